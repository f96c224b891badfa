//! The detection logic of a Sigma rule as one comparable key, and the first difference
//! between two rules' logic as a short sentence. Values are compared as Sigma matches them
//! (case-insensitively unless `re`, `cased` or `fieldref`), staging's after mapping its
//! environment names; search identifiers are replaced by their content and `and`/`or`
//! operands sorted, so renaming a search or reordering a condition changes nothing.

use std::collections::BTreeMap;

use crate::model::{
    SigmaCondition, SigmaField, SigmaRule, SigmaSearch, expand_sigma_pattern, parse_sigma_condition,
};

/// One rule's detection with every value mapped and folded, ready to compare.
pub(super) struct View<'a> {
    pub(super) rule: &'a SigmaRule,
    /// Per search (by name): its alternatives, each a map of field key → values.
    searches: BTreeMap<&'a str, Vec<BTreeMap<String, Vec<String>>>>,
    /// Per search (by name): its alternatives as one key.
    contents: BTreeMap<&'a str, String>,
}

impl<'a> View<'a> {
    /// `map` rewrites a value into production's vocabulary (identity for production's side).
    pub(super) fn new(rule: &'a SigmaRule, map: &dyn Fn(&str) -> String) -> View<'a> {
        let mut searches = BTreeMap::new();
        let mut contents = BTreeMap::new();
        for search in &rule.detection.searches {
            let alternatives = alternatives(search, map);
            contents.insert(search.name.as_str(), content_key(&alternatives));
            searches.insert(search.name.as_str(), alternatives);
        }
        View {
            rule,
            searches,
            contents,
        }
    }

    /// The whole detection logic (conditions with searches substituted, and the timeframe).
    pub(super) fn logic_key(&self) -> String {
        let mut conditions: Vec<String> = self
            .rule
            .detection
            .conditions
            .iter()
            .map(|text| match parse_sigma_condition(text) {
                Ok((condition, aggregation)) => {
                    let mut key = print(&self.canon(&condition));
                    if let Some(aggregation) = aggregation {
                        key.push_str(" | ");
                        key.push_str(&aggregation);
                    }
                    key
                }
                Err(_) => format!("unparsed:{text}"),
            })
            .collect();
        conditions.sort();
        conditions.dedup();
        format!(
            "{};timeframe={}",
            conditions.join(" ;; "),
            self.rule.detection.timeframe.as_deref().unwrap_or("-")
        )
    }

    fn canon(&self, condition: &SigmaCondition) -> Canon {
        let content = |name: &str| {
            self.contents.get(name).map_or_else(
                || Canon::Leaf(format!("?{name}")),
                |c| Canon::Leaf(c.clone()),
            )
        };
        let of = |pattern: &str| -> Vec<Canon> {
            let names = expand_sigma_pattern(pattern, self.contents.keys().copied());
            if names.is_empty() {
                vec![Canon::Leaf(format!("?{pattern}"))]
            } else {
                names.into_iter().map(content).collect()
            }
        };
        match condition {
            SigmaCondition::Search(name) => content(name),
            SigmaCondition::AnyOf(pattern) => Canon::Or(of(pattern)),
            SigmaCondition::AllOf(pattern) => Canon::And(of(pattern)),
            SigmaCondition::Not(inner) => Canon::Not(Box::new(self.canon(inner))),
            SigmaCondition::And(items) => Canon::And(items.iter().map(|c| self.canon(c)).collect()),
            SigmaCondition::Or(items) => Canon::Or(items.iter().map(|c| self.canon(c)).collect()),
        }
    }
}

/// A condition over search contents.
enum Canon {
    Leaf(String),
    Not(Box<Canon>),
    And(Vec<Canon>),
    Or(Vec<Canon>),
}

/// Prints a condition with nested `and`s (and `or`s) flattened, operands sorted and
/// deduplicated, and one-operand groups dropped.
fn print(canon: &Canon) -> String {
    let group = |op: &str, items: &[Canon]| {
        let mut parts = Vec::new();
        for item in items {
            match (op, item) {
                ("and", Canon::And(inner)) | ("or", Canon::Or(inner)) => {
                    parts.extend(inner.iter().map(print));
                }
                _ => parts.push(print(item)),
            }
        }
        parts.sort();
        parts.dedup();
        match parts.as_slice() {
            [only] => only.clone(),
            _ => format!("{op}({})", parts.join(",")),
        }
    };
    match canon {
        Canon::Leaf(text) => text.clone(),
        Canon::Not(inner) => format!("not({})", print(inner)),
        Canon::And(items) => group("and", items),
        Canon::Or(items) => group("or", items),
    }
}

/// A field key with its modifiers lowercased (`eventName|StartsWith` → `eventName|startswith`).
pub(super) fn field_key(field: &SigmaField) -> String {
    let mut parts = field.key.split('|');
    let name = parts.next().unwrap_or_default().to_string();
    parts.fold(name, |acc, m| format!("{acc}|{}", m.to_ascii_lowercase()))
}

fn values(field: &SigmaField, map: &dyn Fn(&str) -> String) -> Vec<String> {
    let fold = !field.case_sensitive();
    let mut out: Vec<String> = field
        .values
        .iter()
        .map(|v| {
            let mapped = map(v);
            if fold { mapped.to_lowercase() } else { mapped }
        })
        .collect();
    out.sort();
    out.dedup();
    out
}

fn alternatives(
    search: &SigmaSearch,
    map: &dyn Fn(&str) -> String,
) -> Vec<BTreeMap<String, Vec<String>>> {
    let mut out: Vec<BTreeMap<String, Vec<String>>> = search
        .alternatives
        .iter()
        .map(|fields| {
            let mut alternative: BTreeMap<String, Vec<String>> = BTreeMap::new();
            for field in fields {
                let entry = alternative.entry(field_key(field)).or_default();
                entry.extend(values(field, map));
                entry.sort();
                entry.dedup();
            }
            alternative
        })
        .collect();
    out.sort();
    out.dedup();
    out
}

fn content_key(alternatives: &[BTreeMap<String, Vec<String>>]) -> String {
    let shown: Vec<String> = alternatives
        .iter()
        .map(|a| {
            let fields: Vec<String> = a.iter().map(|(k, v)| format!("{k:?}={v:?}")).collect();
            format!("{{{}}}", fields.join("&"))
        })
        .collect();
    format!("[{}]", shown.join("|"))
}

/// The first difference between two rules' logic, as a message fragment and a key.
pub(super) struct Difference {
    pub(super) text: String,
    pub(super) key: String,
    pub(super) staging_line: Option<u32>,
    pub(super) production_line: Option<u32>,
}

/// Describes the first difference: searches paired by name, then by content, then in name
/// order; the first differing field of the first differing pair, else a search present on
/// one side only, else the condition, else the timeframe.
pub(super) fn first_difference(staging: &View<'_>, production: &View<'_>) -> Difference {
    let (pairs, staging_only, production_only) = pair_searches(staging, production);
    for (s, p) in &pairs {
        if staging.contents[s] != production.contents[p] {
            return super::fields::describe(staging, production, s, p);
        }
    }
    if let Some(p) = production_only.first() {
        return one_side("production", "staging", p, production, staging);
    }
    if let Some(s) = staging_only.first() {
        return one_side("staging", "production", s, staging, production);
    }
    let timeframe = |v: &View<'_>| {
        v.rule
            .detection
            .timeframe
            .clone()
            .unwrap_or_else(|| "(none)".into())
    };
    let (s_time, p_time) = (timeframe(staging), timeframe(production));
    if s_time != p_time {
        return Difference {
            text: format!("timeframe `{p_time}` in production, `{s_time}` in staging"),
            key: "timeframe".into(),
            staging_line: staging.rule.detection.condition_line,
            production_line: production.rule.detection.condition_line,
        };
    }
    let condition = |v: &View<'_>| super::short(&v.rule.detection.conditions.join("` or `"));
    Difference {
        text: format!(
            "condition `{}` in production, `{}` in staging",
            condition(production),
            condition(staging)
        ),
        key: "condition".into(),
        staging_line: staging.rule.detection.condition_line,
        production_line: production.rule.detection.condition_line,
    }
}

type SearchPairs<'a> = (Vec<(&'a str, &'a str)>, Vec<&'a str>, Vec<&'a str>);

fn pair_searches<'a>(staging: &View<'a>, production: &View<'a>) -> SearchPairs<'a> {
    let mut s_left: Vec<&str> = staging.contents.keys().copied().collect();
    let mut p_left: Vec<&str> = production.contents.keys().copied().collect();
    let mut pairs = Vec::new();
    let mut take = |s_left: &mut Vec<&'a str>,
                    p_left: &mut Vec<&'a str>,
                    same: &dyn Fn(&str, &str) -> bool| {
        let mut s_rest = Vec::new();
        for s in s_left.drain(..) {
            match p_left.iter().position(|p| same(s, p)) {
                Some(at) => pairs.push((s, p_left.remove(at))),
                None => s_rest.push(s),
            }
        }
        *s_left = s_rest;
    };
    take(&mut s_left, &mut p_left, &|s, p| s == p);
    take(&mut s_left, &mut p_left, &|s, p| {
        staging.contents[s] == production.contents[p]
    });
    take(&mut s_left, &mut p_left, &|_, _| true);
    pairs.sort_by(|a, b| a.1.cmp(b.1));
    (pairs, s_left, p_left)
}

fn one_side(
    side: &str,
    other: &str,
    name: &str,
    view: &View<'_>,
    other_view: &View<'_>,
) -> Difference {
    let line = view.rule.detection.search(name).and_then(|s| s.line);
    let other_line = other_view.rule.detection.condition_line;
    let (staging_line, production_line) = if side == "staging" {
        (line, other_line)
    } else {
        (other_line, line)
    };
    Difference {
        text: format!("search `{name}` exists in {side} only, not in {other}"),
        key: format!("search={name};only={side}"),
        staging_line,
        production_line,
    }
}

impl View<'_> {
    /// The alternatives of one search (mapped and folded).
    pub(super) fn alternatives_of(&self, name: &str) -> &[BTreeMap<String, Vec<String>>] {
        self.searches.get(name).map_or(&[], Vec::as_slice)
    }
}
