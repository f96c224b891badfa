//! Terraform variable files (`*.tfvars`, HCL): each top-level attribute and the keys of its
//! objects become settings. Expressions that are not literals (`var.x`, function calls) are
//! kept as their `${...}` text.

use super::tree::{Kind, Tree};

/// Why a tfvars file could not be read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct TfvarsError {
    pub line: Option<u32>,
    pub message: String,
}

/// Parses HCL attributes into a tree; lines are those of the top-level attributes.
pub(super) fn parse(text: &str) -> Result<Tree, TfvarsError> {
    let value: serde_json::Value = hcl::from_str(text).map_err(|e| error(&e))?;
    let serde_json::Value::Object(map) = value else {
        return Err(TfvarsError {
            line: None,
            message: "expected `name = value` attributes".to_string(),
        });
    };
    let lines = attribute_lines(text);
    let entries = map
        .iter()
        .map(|(key, value)| {
            let line = lines.iter().find(|(k, _)| k == key).map_or(1, |(_, l)| *l);
            (key.clone(), tree(value, line))
        })
        .collect();
    Ok(Tree {
        kind: Kind::Map(entries),
        line: 1,
        layer: 0,
    })
}

/// `name = ...` at the start of a line, with its 1-based line number.
fn attribute_lines(text: &str) -> Vec<(String, u32)> {
    let mut out = Vec::new();
    for (index, line) in text.lines().enumerate() {
        let Some((name, _)) = line.split_once('=') else {
            continue;
        };
        if line.starts_with([' ', '\t']) {
            continue;
        }
        let name = name.trim().trim_matches('"');
        if !name.is_empty()
            && name
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '-'))
        {
            out.push((
                name.to_string(),
                u32::try_from(index + 1).unwrap_or(u32::MAX),
            ));
        }
    }
    out
}

fn tree(value: &serde_json::Value, line: u32) -> Tree {
    let kind = match value {
        serde_json::Value::Null => Kind::Null,
        serde_json::Value::Bool(b) => Kind::Scalar(b.to_string()),
        serde_json::Value::Number(n) => Kind::Scalar(n.to_string()),
        serde_json::Value::String(s) => Kind::Scalar(s.clone()),
        serde_json::Value::Array(items) => {
            Kind::List(items.iter().map(|i| tree(i, line)).collect())
        }
        serde_json::Value::Object(map) => Kind::Map(
            map.iter()
                .map(|(k, v)| (k.clone(), tree(v, line)))
                .collect(),
        ),
    };
    Tree {
        kind,
        line,
        layer: 0,
    }
}

/// The parser's error as one line with its position; the parser's own text (which quotes the
/// offending source line, possibly a secret) is not repeated.
fn error(e: &hcl::Error) -> TfvarsError {
    let text = e.to_string();
    let number_after = |word: &str| {
        text.split(word)
            .nth(1)
            .and_then(|rest| {
                rest.trim_start()
                    .split(|c: char| !c.is_ascii_digit())
                    .next()
            })
            .and_then(|n| n.parse::<u32>().ok())
    };
    let line = number_after("line ");
    let message = match (line, number_after("column ")) {
        (Some(l), Some(c)) => {
            format!("invalid HCL at line {l} column {c}: expected `name = value` attributes")
        }
        _ => "invalid HCL: expected `name = value` attributes".to_string(),
    };
    TfvarsError { line, message }
}

#[cfg(test)]
mod tests {
    use super::super::tree::flatten;
    use super::*;

    #[test]
    fn attributes_objects_and_expressions() {
        let text = "env = \"staging\"\nretention_days = 30\n\ntags = {\n  team = \"x\"\n}\nlist = [\"a\", \"b\"]\nref = var.other\n";
        let tree = parse(text).unwrap_or_else(|e| panic!("{e:?}"));
        let mut settings = Vec::new();
        flatten(&tree, "", &mut settings);
        let got: Vec<(String, String, u32)> = settings
            .into_iter()
            .map(|s| (s.key, s.value, s.line))
            .collect();
        assert!(got.contains(&("env".into(), "staging".into(), 1)));
        assert!(got.contains(&("retention_days".into(), "30".into(), 2)));
        assert!(got.contains(&("tags.team".into(), "x".into(), 4)));
        assert!(got.contains(&("list".into(), "[a, b]".into(), 7)));
        assert!(
            got.iter()
                .any(|(k, v, _)| k == "ref" && v.contains("var.other"))
        );
    }

    #[test]
    fn malformed_hcl_names_a_line() {
        let e = parse("a = 1\nb = [1,\n").err();
        assert!(
            e.is_some_and(|e| e.line.is_some() && e.message.starts_with("invalid HCL at line"))
        );
    }
}
