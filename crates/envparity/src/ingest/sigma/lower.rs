//! One Sigma rule document → a [`SigmaRule`]: metadata read leniently, the `detection`
//! section put in canonical form, and the condition checked against the searches it names.
//! A rule of the wrong shape is skipped with a warning naming its line.

use crate::ingest::node::{ShapeError, Shaped, map_list, opt_map, opt_str, str_list};
use crate::ingest::yaml::{Node, Value, scalar_text};
use crate::model::{
    Diagnostic, Fingerprinter, Level, Provenance, SIGMA_NULL, SigmaDetection, SigmaField,
    SigmaLogsource, SigmaRelated, SigmaRule, SigmaSearch, expand_sigma_pattern,
    normalize_sigma_condition, parse_sigma_condition,
};

/// Lowers one rule document; `None` (with a warning) when it cannot be a comparable rule.
pub(super) fn rule(
    doc: &Node,
    shown: &str,
    fingerprinter: &Fingerprinter,
    diagnostics: &mut Vec<Diagnostic>,
) -> Option<SigmaRule> {
    // Titles and keys may span lines; a diagnostic is always one line.
    let warn = |diagnostics: &mut Vec<Diagnostic>, line: u32, message: String| {
        let message = message.split_whitespace().collect::<Vec<_>>().join(" ");
        diagnostics.push(Diagnostic::new(Level::Warning, shown, Some(line), message));
    };
    let (title, id) = match (opt_str(doc, "title"), opt_str(doc, "id")) {
        // A title is a label: kept on one line (block scalars end with a newline).
        (Ok(title), Ok(id)) => (
            title.map(|t| t.split_whitespace().collect::<Vec<_>>().join(" ")),
            id,
        ),
        (Err(e), _) | (_, Err(e)) => {
            warn(diagnostics, e.line, format!("skipped a sigma rule: {e}"));
            return None;
        }
    };
    let Some(name) = title.clone().or_else(|| id.clone()) else {
        let message = "skipped a sigma rule without `title` or `id`".to_string();
        warn(diagnostics, doc.line, message);
        return None;
    };
    match lower(doc, shown, &name, (title, id), fingerprinter) {
        Ok(Lowered { rule, notes }) => {
            for (line, note) in notes {
                warn(diagnostics, line, format!("sigma rule `{name}`: {note}"));
            }
            Some(rule)
        }
        Err(Skip::Shape(e)) => {
            warn(
                diagnostics,
                e.line,
                format!("skipped sigma rule `{name}`: {e}"),
            );
            None
        }
        Err(Skip::NoCondition(line)) => {
            let message = format!("skipped sigma rule `{name}`: `detection` has no `condition`");
            warn(diagnostics, line, message);
            None
        }
    }
}

enum Skip {
    Shape(ShapeError),
    NoCondition(u32),
}

impl From<ShapeError> for Skip {
    fn from(e: ShapeError) -> Skip {
        Skip::Shape(e)
    }
}

/// A lowered rule and the warnings about it that do not stop it being compared.
struct Lowered {
    rule: SigmaRule,
    notes: Vec<(u32, String)>,
}

fn lower(
    doc: &Node,
    shown: &str,
    name: &str,
    (title, id): (Option<String>, Option<String>),
    fingerprinter: &Fingerprinter,
) -> Result<Lowered, Skip> {
    let lowercase = |key: &str| -> Shaped<Option<String>> {
        Ok(opt_str(doc, key)?.map(|v| v.trim().to_ascii_lowercase()))
    };
    let logsource = match opt_map(doc, "logsource")? {
        Some(node) => logsource(node)?,
        None => SigmaLogsource::default(),
    };
    let mut tags = str_list(doc, "tags")?;
    tags.sort();
    tags.dedup();
    let mut related = Vec::new();
    for item in map_list(doc, "related")? {
        if let Some(id) = opt_str(item, "id")? {
            let kind = opt_str(item, "type")?.unwrap_or_default();
            related.push(SigmaRelated {
                id: id.trim().to_ascii_lowercase(),
                kind: kind.trim().to_ascii_lowercase(),
            });
        }
    }
    let (detection, notes) = detection(doc, fingerprinter)?;
    let rule = SigmaRule {
        provenance: Provenance::new(shown, Some(doc.line)),
        id: id.map(|i| i.trim().to_ascii_lowercase()),
        title: title.unwrap_or_else(|| name.to_string()),
        status: lowercase("status")?,
        level: lowercase("level")?,
        status_line: doc.get("status").map(|n| n.line),
        level_line: doc.get("level").map(|n| n.line),
        logsource,
        detection,
        related,
        tags,
    };
    Ok(Lowered { rule, notes })
}

fn logsource(node: &Node) -> Shaped<SigmaLogsource> {
    let part = |key: &str| -> Shaped<Option<String>> {
        Ok(opt_str(node, key)?.map(|v| v.trim().to_ascii_lowercase()))
    };
    Ok(SigmaLogsource {
        product: part("product")?,
        service: part("service")?,
        category: part("category")?,
    })
}

fn wrong(field: String, expected: &'static str, node: &Node) -> ShapeError {
    ShapeError {
        field,
        expected,
        line: node.line,
    }
}

type Notes = Vec<(u32, String)>;

/// The `detection` section: searches, conditions (normalized, sorted), timeframe, and notes
/// on conditions that do not parse or name searches that do not exist.
fn detection(doc: &Node, fingerprinter: &Fingerprinter) -> Result<(SigmaDetection, Notes), Skip> {
    let Some(node) = doc.get("detection") else {
        return Err(Skip::NoCondition(doc.line));
    };
    let entries = node
        .entries()
        .ok_or_else(|| wrong("detection".into(), "a mapping", node))?;
    let Some(condition) = node.get("condition") else {
        return Err(Skip::NoCondition(node.line));
    };
    let texts: Vec<String> = match &condition.value {
        Value::Seq(items) => items
            .iter()
            .map(|i| {
                i.text().ok_or_else(|| {
                    wrong(
                        "detection.condition".into(),
                        "a string or a list of strings",
                        i,
                    )
                })
            })
            .collect::<Shaped<_>>()?,
        _ => vec![
            condition
                .text()
                .ok_or_else(|| wrong("detection.condition".into(), "a string", condition))?,
        ],
    };
    let timeframe = opt_str(node, "timeframe")?;
    let mut searches = Vec::new();
    for (key, value) in entries {
        if key != "condition" && key != "timeframe" {
            searches.push(search(key, value, fingerprinter)?);
        }
    }
    searches.sort_by(|a, b| a.name.cmp(&b.name));
    let notes = check_conditions(&texts, &searches, condition.line);
    let mut conditions: Vec<String> = texts.iter().map(|t| normalize_sigma_condition(t)).collect();
    conditions.sort();
    conditions.dedup();
    let detection = SigmaDetection {
        searches,
        conditions,
        timeframe,
        condition_line: Some(condition.line),
    };
    Ok((detection, notes))
}

/// Notes on conditions that do not parse, or name a search (or a pattern) nothing defines.
fn check_conditions(texts: &[String], searches: &[SigmaSearch], line: u32) -> Notes {
    let mut notes = Vec::new();
    let names = || searches.iter().map(|s| s.name.as_str());
    for text in texts {
        match parse_sigma_condition(text) {
            Err(e) => notes.push((line, format!("{e}; it is compared as written"))),
            Ok((condition, _)) => {
                for reference in condition.references() {
                    let pattern = reference == "them" || reference.contains('*');
                    let found = if pattern {
                        !expand_sigma_pattern(reference, names()).is_empty()
                    } else {
                        names().any(|n| n == reference)
                    };
                    if !found {
                        let message = format!(
                            "the condition names `{reference}`, which `detection` does not define"
                        );
                        notes.push((line, message));
                    }
                }
            }
        }
    }
    notes
}

/// A search identifier: a mapping (one alternative), a list of mappings or keywords (several
/// alternatives), or one keyword.
fn search(name: &str, node: &Node, fingerprinter: &Fingerprinter) -> Shaped<SigmaSearch> {
    let keyword = |node: &Node| value_text(node, "", fingerprinter);
    let field = |suffix: &str| format!("detection.{name}{suffix}");
    let alternatives = match &node.value {
        Value::Map(entries) => vec![fields(name, entries, fingerprinter)?],
        Value::Seq(items) if items.iter().all(|i| is_scalar(&i.value)) => {
            let values = items.iter().map(keyword).collect();
            vec![vec![SigmaField::new("", values, Some(node.line))]]
        }
        Value::Seq(items) => items
            .iter()
            .map(|item| match &item.value {
                Value::Map(entries) => fields(name, entries, fingerprinter),
                v if is_scalar(v) => Ok(vec![SigmaField::new(
                    "",
                    vec![keyword(item)],
                    Some(item.line),
                )]),
                _ => Err(wrong(field("[]"), "a mapping or a value", item)),
            })
            .collect::<Shaped<_>>()?,
        Value::Null => return Err(wrong(field(""), "a mapping or a list", node)),
        _ => vec![vec![SigmaField::new(
            "",
            vec![keyword(node)],
            Some(node.line),
        )]],
    };
    Ok(SigmaSearch::new(name, Some(node.line), alternatives))
}

/// The fields of one mapping: each value a scalar or a list of scalars.
fn fields(
    name: &str,
    entries: &[(String, Node)],
    fingerprinter: &Fingerprinter,
) -> Shaped<Vec<SigmaField>> {
    let mut out = Vec::new();
    for (key, value) in entries {
        let values = match &value.value {
            Value::Seq(items) => items
                .iter()
                .map(|item| {
                    if is_scalar(&item.value) {
                        Ok(value_text(item, key, fingerprinter))
                    } else {
                        Err(wrong(
                            format!("detection.{name}.{key}"),
                            "a value or a list of values",
                            item,
                        ))
                    }
                })
                .collect::<Shaped<_>>()?,
            Value::Map(_) => {
                return Err(wrong(
                    format!("detection.{name}.{key}"),
                    "a value or a list of values",
                    value,
                ));
            }
            _ => vec![value_text(value, key, fingerprinter)],
        };
        out.push(SigmaField::new(key, values, Some(value.line)));
    }
    Ok(out)
}

fn is_scalar(value: &Value) -> bool {
    !matches!(value, Value::Seq(_) | Value::Map(_))
}

/// A scalar's text; `null` becomes [`SIGMA_NULL`] (an empty string stays empty). A credential
/// in it (a detection for a known leaked key) is held only as a fingerprint marker.
fn value_text(node: &Node, field: &str, fingerprinter: &Fingerprinter) -> String {
    match &node.value {
        Value::Null => SIGMA_NULL.to_string(),
        value => {
            let text = scalar_text(value).unwrap_or_default();
            let field = field.split('|').next().unwrap_or_default();
            fingerprinter.literal(field, &text).text().to_string()
        }
    }
}
