//! Bytes → documents: UTF-8 decoding, JSON syntax checking (for precise JSON errors) and
//! YAML parsing, with every failure as one plain sentence with a line and column.

use super::yaml::{Limits, Node, ParseError, Value, parse_documents};

/// Why a file's content could not be turned into documents.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TextError {
    pub line: Option<u32>,
    pub message: String,
}

/// Decodes UTF-8, naming the line and column of the first invalid byte.
pub fn decode(bytes: &[u8]) -> Result<String, TextError> {
    std::str::from_utf8(bytes).map(str::to_string).map_err(|e| {
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
        let value = serde_json::from_str::<serde_json::Value>(body).map_err(|e| {
            let full = e.to_string();
            let message = full
                .rsplit_once(" at line ")
                .map_or(full.as_str(), |(m, _)| m);
            let line = u32::try_from(e.line()).unwrap_or(u32::MAX);
            TextError {
                line: Some(line),
                message: format!(
                    "invalid JSON: {message} at line {line} column {}",
                    e.column()
                ),
            }
        })?;
        // Valid JSON the YAML parser rejects (rare corner cases) is still read, without lines.
        return Ok(parse_documents(body, limits).unwrap_or_else(|_| vec![from_json(value, 1)]));
    }
    parse_documents(text, limits).map_err(|e: ParseError| TextError {
        line: Some(e.line),
        message: format!("invalid YAML: {e}"),
    })
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
