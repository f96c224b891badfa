//! YAML scalars: resolution of plain scalars by the YAML 1.2 core schema (null, booleans,
//! integers, floats), explicit core tags, and merge-key detection.

use saphyr_parser::{ScalarStyle, Tag};

use super::yaml::Value;

/// The text of a scalar value (`None` for collections; `null` is the empty string).
pub fn scalar_text(value: &Value) -> Option<String> {
    match value {
        Value::Null => Some(String::new()),
        Value::Bool(b) => Some(b.to_string()),
        Value::Int(i) => Some(i.to_string()),
        Value::Float(f) => Some(f.to_string()),
        Value::String(s) => Some(s.clone()),
        Value::Seq(_) | Value::Map(_) => None,
    }
}

fn core_tag(tag: Option<&Tag>) -> Option<&str> {
    tag.filter(|t| t.is_yaml_core_schema())
        .map(|t| t.suffix.as_str())
}

pub(super) fn is_merge_key(text: &str, style: ScalarStyle, tag: Option<&Tag>) -> bool {
    text == "<<"
        && (core_tag(tag) == Some("merge") || (style == ScalarStyle::Plain && tag.is_none()))
}

/// YAML 1.2 core schema resolution of a scalar.
pub(super) fn resolve_scalar(text: &str, style: ScalarStyle, tag: Option<&Tag>) -> Value {
    let string = || Value::String(text.to_string());
    if let Some(tag) = tag {
        return match core_tag(Some(tag)) {
            Some("null") => Value::Null,
            Some("bool") => parse_bool(text).map_or_else(string, Value::Bool),
            Some("int") => parse_int(text).map_or_else(string, Value::Int),
            Some("float") => parse_float(text).map_or_else(string, Value::Float),
            _ => string(),
        };
    }
    if style != ScalarStyle::Plain {
        return string();
    }
    if matches!(text, "" | "~" | "null" | "Null" | "NULL") {
        return Value::Null;
    }
    if let Some(b) = parse_bool(text) {
        return Value::Bool(b);
    }
    if let Some(i) = parse_int(text) {
        return Value::Int(i);
    }
    if let Some(f) = parse_float(text) {
        return Value::Float(f);
    }
    string()
}

fn parse_bool(text: &str) -> Option<bool> {
    match text {
        "true" | "True" | "TRUE" => Some(true),
        "false" | "False" | "FALSE" => Some(false),
        _ => None,
    }
}

fn parse_int(text: &str) -> Option<i64> {
    if let Some(hex) = text.strip_prefix("0x") {
        return i64::from_str_radix(hex, 16).ok();
    }
    if let Some(oct) = text.strip_prefix("0o") {
        return i64::from_str_radix(oct, 8).ok();
    }
    let digits = text.strip_prefix(['-', '+']).unwrap_or(text);
    if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    text.parse().ok()
}

fn parse_float(text: &str) -> Option<f64> {
    match text {
        ".inf" | ".Inf" | ".INF" | "+.inf" | "+.Inf" | "+.INF" => return Some(f64::INFINITY),
        "-.inf" | "-.Inf" | "-.INF" => return Some(f64::NEG_INFINITY),
        ".nan" | ".NaN" | ".NAN" => return Some(f64::NAN),
        _ => {}
    }
    let body = text.strip_prefix(['-', '+']).unwrap_or(text);
    let valid = body.bytes().any(|b| b.is_ascii_digit())
        && body
            .bytes()
            .all(|b| b.is_ascii_digit() || matches!(b, b'.' | b'e' | b'E' | b'-' | b'+'))
        && body
            .bytes()
            .next()
            .is_some_and(|b| b.is_ascii_digit() || b == b'.');
    if valid { text.parse().ok() } else { None }
}
