//! Writing generated files: JSON as the AWS CLI prints it (4-space indent), multi-document
//! YAML in block style, and the `planted.json` answer key.

use std::fmt::Write as _;
use std::fs;
use std::path::Path;

use serde::Serialize;
use serde_json::Value;

/// One planted divergence and the finding that must report it.
#[derive(Debug, Clone, Serialize)]
pub struct Planted {
    /// What was changed, e.g. `extra-action-in-staging`.
    pub kind: &'static str,
    pub rule: &'static str,
    pub subject: Subject,
}

#[derive(Debug, Clone, Serialize)]
pub struct Subject {
    pub kind: &'static str,
    pub staging: Option<String>,
    pub production: Option<String>,
}

/// The answer key written next to the snapshots.
#[derive(Debug, Serialize)]
pub struct AnswerKey {
    pub generator: &'static str,
    pub source: &'static str,
    pub seed: u64,
    /// Entities (roles, users, groups, policies / Kubernetes objects) per side.
    pub objects_per_side: usize,
    /// `FROM=TO` pairs to pass as `--map` so the two sides line up.
    pub map: Vec<String>,
    pub planted: Vec<Planted>,
}

pub fn create_dir(dir: &Path) -> Result<(), String> {
    fs::create_dir_all(dir).map_err(|e| format!("cannot create `{}`: {e}", dir.display()))
}

pub fn write_text(path: &Path, text: &str) -> Result<(), String> {
    if let Some(parent) = path.parent() {
        create_dir(parent)?;
    }
    fs::write(path, text).map_err(|e| format!("cannot write `{}`: {e}", path.display()))
}

/// JSON with the AWS CLI's 4-space indentation and a final newline.
pub fn write_json(path: &Path, value: &impl Serialize) -> Result<(), String> {
    let mut buf = Vec::new();
    let formatter = serde_json::ser::PrettyFormatter::with_indent(b"    ");
    let mut ser = serde_json::Serializer::with_formatter(&mut buf, formatter);
    value
        .serialize(&mut ser)
        .map_err(|e| format!("cannot encode `{}`: {e}", path.display()))?;
    buf.push(b'\n');
    let text = String::from_utf8(buf).map_err(|e| format!("cannot encode: {e}"))?;
    write_text(path, &text)
}

/// Documents separated by `---`, each in block style.
pub fn yaml_documents(docs: &[Value]) -> String {
    let mut out = String::new();
    for (i, doc) in docs.iter().enumerate() {
        if i > 0 {
            out.push_str("---\n");
        }
        block(doc, 0, &mut out);
    }
    out
}

fn key_text(key: &str) -> String {
    let plain = !key.is_empty()
        && key
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.' | '/'));
    if plain {
        key.to_string()
    } else {
        scalar(&Value::String(key.to_string()))
    }
}

/// Whether a string can be written unquoted and still read back as the same string.
fn plain_safe(s: &str) -> bool {
    const WORDS: &[&str] = &["true", "false", "yes", "no", "on", "off", "null", "y", "n"];
    s.starts_with(|c: char| c.is_ascii_alphabetic() || c == '/')
        && s.chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.' | '/'))
        && !WORDS.contains(&s.to_ascii_lowercase().as_str())
}

/// A scalar in flow form: strings plain when safe, else double-quoted (JSON escapes are
/// valid YAML).
fn scalar(value: &Value) -> String {
    match value {
        Value::String(s) if plain_safe(s) => s.clone(),
        Value::String(s) => serde_json::to_string(s).unwrap_or_default(),
        Value::Array(a) if a.is_empty() => "[]".into(),
        Value::Object(o) if o.is_empty() => "{}".into(),
        other => other.to_string(),
    }
}

fn is_block(value: &Value) -> bool {
    matches!(value, Value::Array(a) if !a.is_empty())
        || matches!(value, Value::Object(o) if !o.is_empty())
}

fn block(value: &Value, indent: usize, out: &mut String) {
    let pad = " ".repeat(indent);
    match value {
        Value::Object(map) if !map.is_empty() => {
            for (k, v) in map {
                if is_block(v) {
                    let _ = writeln!(out, "{pad}{}:", key_text(k));
                    let child = if v.is_array() { indent } else { indent + 2 };
                    block(v, child, out);
                } else {
                    let _ = writeln!(out, "{pad}{}: {}", key_text(k), scalar(v));
                }
            }
        }
        Value::Array(items) if !items.is_empty() => {
            for item in items {
                if is_block(item) {
                    // The first line of the item goes after the dash.
                    let mut inner = String::new();
                    block(item, indent + 2, &mut inner);
                    let trimmed = inner.get(indent + 2..).unwrap_or_default();
                    let _ = write!(out, "{pad}- {trimmed}");
                } else {
                    let _ = writeln!(out, "{pad}- {}", scalar(item));
                }
            }
        }
        other => {
            let _ = writeln!(out, "{pad}{}", scalar(other));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn yaml_block_style() {
        let doc = json!({"kind": "Role", "rules": [{"verbs": ["get", "list"], "apiGroups": [""]}],
                         "metadata": {"name": "api", "labels": {}}});
        let text = yaml_documents(&[doc.clone(), doc]);
        assert!(text.starts_with("kind: Role\nrules:\n- verbs:\n  - get\n"));
        assert!(text.contains("apiGroups:\n  - \"\"\n"));
        assert!(text.contains("  labels: {}\n---\n"));
    }
}
