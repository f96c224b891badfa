//! Bytes → documents: UTF-8 decoding, JSON syntax checking (for precise JSON errors) and
//! YAML parsing, with every failure as one plain sentence with a line and column.

mod json;
mod reindent;

use std::borrow::Cow;

use super::yaml::{Limits, Node, ParseError, Value, parse_documents};

/// Why a file's content could not be turned into documents.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TextError {
    pub line: Option<u32>,
    pub message: String,
}

/// Decodes UTF-8, naming the line and column of the first invalid byte.
pub fn decode(bytes: &[u8]) -> Result<Cow<'_, str>, TextError> {
    std::str::from_utf8(bytes).map(Cow::Borrowed).map_err(|e| {
        let valid = e.valid_up_to();
        let before = &bytes[..valid];
        let line = before.iter().filter(|&&b| b == b'\n').count() + 1;
        let line_start = before
            .iter()
            .rposition(|&b| b == b'\n')
            .map_or(0, |p| p + 1);
        let column = String::from_utf8_lossy(&before[line_start..])
            .chars()
            .count()
            + 1;
        let line = u32::try_from(line).unwrap_or(u32::MAX);
        TextError {
            line: Some(line),
            message: format!(
                "expected UTF-8 text, found an invalid byte at line {line} column {column}"
            ),
        }
    })
}

/// True when the text starts like a JSON document.
pub fn looks_like_json(text: &str) -> bool {
    text.trim_start_matches('\u{feff}')
        .trim_start()
        .starts_with(['{', '['])
}

/// Parses a file's documents: JSON is checked by a JSON parser first so its errors name the
/// exact position; lines come from the YAML parser (JSON is YAML).
pub fn documents(text: &str, limits: &Limits) -> Result<Vec<Node>, TextError> {
    if looks_like_json(text) {
        let body = text.trim_start_matches('\u{feff}');
        // Ordinary JSON takes one fast pass; anything unusual is decided below.
        if let Some(node) = json::parse(body, limits) {
            return Ok(vec![node]);
        }
        let value = serde_json::from_str::<serde_json::Value>(body).map_err(|e| {
            let full = e.to_string();
            let message = match full
                .rsplit_once(" at line ")
                .map_or(full.as_str(), |(m, _)| m)
            {
                // serde_json stops at 128 levels, below the YAML limit.
                "recursion limit exceeded" => "nesting deeper than 128 levels",
                message => message,
            };
            let line = u32::try_from(e.line()).unwrap_or(u32::MAX);
            TextError {
                line: Some(line),
                message: format!(
                    "invalid JSON: {message} at line {line} column {}",
                    e.column()
                ),
            }
        })?;
        // Valid JSON the YAML parser rejects (rare corner cases) is still read, without
        // lines, unless it is beyond the limits (the YAML parser's error then says which).
        return parse_documents(body, limits).or_else(|e| {
            let node = from_json(value, 1);
            if node.height() <= limits.max_depth && count_nodes(&node) <= limits.max_nodes {
                Ok(vec![node])
            } else {
                Err(yaml_error(e))
            }
        });
    }
    parse_documents(text, limits).or_else(|e| match reindent::reindent_quoted_continuations(text) {
        Some(fixed) if e.message.contains("invalid indentation in quoted scalar") => {
            parse_documents(&fixed, limits).map_err(|_| yaml_error(e))
        }
        _ => Err(yaml_error(e)),
    })
}

fn yaml_error(e: ParseError) -> TextError {
    TextError {
        line: Some(e.line),
        message: format!("invalid YAML: {e}"),
    }
}

/// The nodes of a tree, counted without recursion.
fn count_nodes(node: &Node) -> usize {
    let mut count = 0;
    let mut pending = vec![node];
    while let Some(node) = pending.pop() {
        count += 1;
        match &node.value {
            Value::Seq(items) => pending.extend(items),
            Value::Map(entries) => pending.extend(entries.iter().map(|(_, n)| n)),
            _ => {}
        }
    }
    count
}

fn from_json(value: serde_json::Value, line: u32) -> Node {
    let value = match value {
        serde_json::Value::Null => Value::Null,
        serde_json::Value::Bool(b) => Value::Bool(b),
        serde_json::Value::Number(n) => match n.as_i64() {
            Some(i) => Value::Int(i),
            None => Value::Float(n.as_f64().unwrap_or(f64::NAN)),
        },
        serde_json::Value::String(s) => Value::String(s),
        serde_json::Value::Array(items) => {
            Value::Seq(items.into_iter().map(|v| from_json(v, line)).collect())
        }
        serde_json::Value::Object(map) => Value::Map(
            map.into_iter()
                .map(|(k, v)| (k, from_json(v, line)))
                .collect(),
        ),
    };
    Node { value, line }
}
