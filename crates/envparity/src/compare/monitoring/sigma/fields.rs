//! The first difference inside two paired Sigma searches, told as one field and its values
//! on each side (values as written, at most a few of them), with the lines of that field.

use std::collections::{BTreeMap, BTreeSet};

use super::logic::{Difference, View, field_key};
use crate::model::SigmaSearch;

/// How many values a message shows before saying how many more there are.
const SHOWN_VALUES: usize = 5;

/// Describes how search `s` of staging and search `p` of production differ.
pub(super) fn describe(staging: &View<'_>, production: &View<'_>, s: &str, p: &str) -> Difference {
    let label = if s == p {
        format!("search `{p}`")
    } else {
        format!("search `{p}` (staging `{s}`)")
    };
    let s_search = staging.rule.detection.search(s);
    let p_search = production.rule.detection.search(p);
    let s_alternatives = staging.alternatives_of(s);
    let p_alternatives = production.alternatives_of(p);
    if let ([s_fields], [p_fields]) = (s_alternatives, p_alternatives) {
        let sides = Sides {
            staging: (s_search, s_fields),
            production: (p_search, p_fields),
        };
        if let Some((text, field, s_line, p_line)) = field_difference(&sides) {
            return Difference {
                text: format!("{label}: {text}"),
                key: format!("search={p};field={field}"),
                staging_line: s_line.or(s_search.and_then(|x| x.line)),
                production_line: p_line.or(p_search.and_then(|x| x.line)),
            };
        }
    }
    let lines = (s_search.and_then(|x| x.line), p_search.and_then(|x| x.line));
    let extra = |mine: &[BTreeMap<String, Vec<String>>],
                 theirs: &[BTreeMap<String, Vec<String>>]| {
        mine.iter().find(|a| !theirs.contains(a)).map(brief)
    };
    let (text, key) = if let Some(alternative) = extra(p_alternatives, s_alternatives) {
        let text = format!("{label}: the alternative {alternative} exists in production only");
        (text, format!("search={p};alternative-only=production"))
    } else if let Some(alternative) = extra(s_alternatives, p_alternatives) {
        let text = format!("{label}: the alternative {alternative} exists in staging only");
        (text, format!("search={p};alternative-only=staging"))
    } else {
        (format!("{label} differs"), format!("search={p}"))
    };
    Difference {
        text,
        key,
        staging_line: lines.0,
        production_line: lines.1,
    }
}

type Fields = BTreeMap<String, Vec<String>>;

/// Two single-alternative searches: as written, and mapped and folded.
struct Sides<'a> {
    staging: (Option<&'a SigmaSearch>, &'a Fields),
    production: (Option<&'a SigmaSearch>, &'a Fields),
}

/// The first field name (in order) whose tests differ: its sentence, the field name, and
/// the lines of its tests on each side.
fn field_difference(sides: &Sides<'_>) -> Option<(String, String, Option<u32>, Option<u32>)> {
    let (s_search, s_fields) = sides.staging;
    let (p_search, p_fields) = sides.production;
    let bases: BTreeSet<&str> = s_fields
        .keys()
        .chain(p_fields.keys())
        .map(|k| base(k))
        .collect();
    let field = bases.into_iter().find(|field| {
        let tests = |fields: &Fields| -> Vec<(String, Vec<String>)> {
            keys_of(fields, field)
                .into_iter()
                .map(|k| (k.clone(), fields.get(k).cloned().unwrap_or_default()))
                .collect()
        };
        tests(s_fields) != tests(p_fields)
    })?;
    let s_keys = keys_of(s_fields, field);
    let p_keys = keys_of(p_fields, field);
    // One key on one side and the same or none on the other: name the key, show values.
    let single = match (s_keys.as_slice(), p_keys.as_slice()) {
        ([s], [p]) if s == p => Some(*p),
        ([only], []) | ([], [only]) => Some(*only),
        _ => None,
    };
    let side = |search: Option<&SigmaSearch>, keys: &[&String]| -> (String, Option<u32>) {
        if keys.is_empty() {
            return ("absent".to_string(), None);
        }
        let mut line = None;
        let parts: Vec<String> = keys
            .iter()
            .map(|key| {
                let (values, at) = written(search, key);
                line = line.or(at);
                let values = shown(values.as_deref());
                let modifiers = &key[base(key).len()..];
                if single.is_some() || modifiers.is_empty() {
                    values
                } else {
                    format!("`{modifiers}` {values}")
                }
            })
            .collect();
        (parts.join(" and "), line)
    };
    let (s_text, s_line) = side(s_search, &s_keys);
    let (p_text, p_line) = side(p_search, &p_keys);
    let shown_key = match single {
        Some(key) if !key.is_empty() => key.as_str(),
        _ if field.is_empty() => "keywords",
        _ => field,
    };
    let text = format!("`{shown_key}` is {p_text} in production, {s_text} in staging");
    Some((text, field.to_string(), s_line, p_line))
}

/// The field name of a key, without its modifiers.
fn base(key: &str) -> &str {
    key.split('|').next().unwrap_or_default()
}

/// The keys (field name with modifiers) of one field name, sorted.
fn keys_of<'a>(fields: &'a Fields, field: &str) -> Vec<&'a String> {
    fields.keys().filter(|k| base(k) == field).collect()
}

/// The values of `key` in a single-alternative search, as written, and the field's line.
fn written(search: Option<&SigmaSearch>, key: &str) -> (Option<Vec<String>>, Option<u32>) {
    let Some([fields]) = search.map(|s| s.alternatives.as_slice()) else {
        return (None, None);
    };
    let matching: Vec<_> = fields.iter().filter(|f| field_key(f) == key).collect();
    let Some(first) = matching.first() else {
        return (None, None);
    };
    let mut values: Vec<String> = matching.iter().flat_map(|f| f.values.clone()).collect();
    values.sort();
    values.dedup();
    (Some(values), first.line)
}

/// `[`a`, `b`]`, at most [`SHOWN_VALUES`] values; `absent` when the field is not there.
fn shown(values: Option<&[String]>) -> String {
    let Some(values) = values else {
        return "absent".to_string();
    };
    let mut parts: Vec<String> = values
        .iter()
        .take(SHOWN_VALUES)
        .map(|v| format!("`{}`", super::short(v)))
        .collect();
    if values.len() > SHOWN_VALUES {
        parts.push(format!("and {} more", values.len() - SHOWN_VALUES));
    }
    format!("[{}]", parts.join(", "))
}

/// One alternative in brief: its first three fields with their values.
fn brief(alternative: &BTreeMap<String, Vec<String>>) -> String {
    let mut parts: Vec<String> = alternative
        .iter()
        .take(3)
        .map(|(key, values)| {
            let key = if key.is_empty() {
                "keywords"
            } else {
                key.as_str()
            };
            format!("`{key}`: {}", shown(Some(values)))
        })
        .collect();
    if alternative.len() > 3 {
        parts.push(format!("and {} more fields", alternative.len() - 3));
    }
    format!("{{{}}}", parts.join(", "))
}
