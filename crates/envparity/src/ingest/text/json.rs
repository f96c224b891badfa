//! A fast path for JSON text: one pass straight to [`Node`]s with their lines, without the
//! YAML parser. It gives exactly the tree the YAML path gives for ordinary JSON (scalars
//! resolved by the same function, lines of the first character of each value) and gives up
//! (`None`) on anything unusual — any syntax error, duplicate keys, surrogate escapes, a
//! lone carriage return, deep nesting, more nodes than the limit, out-of-range numbers — so
//! that the careful path decides those with its exact messages.

use saphyr_parser::ScalarStyle;

use super::super::scalar::resolve_scalar;
use super::super::yaml::{Limits, Node, Value};

/// serde_json refuses 128 levels; the fast path stops well before so it never accepts what
/// the careful path would refuse.
const MAX_FAST_DEPTH: usize = 120;

/// Maps up to this size find duplicate keys by a linear scan; larger ones by a set.
const SMALL_MAP: usize = 16;

/// Parses one JSON value (the whole text, BOM already removed) or gives up.
pub fn parse(text: &str, limits: &Limits) -> Option<Node> {
    let mut parser = Parser {
        bytes: text.as_bytes(),
        text,
        at: 0,
        line: 1,
        nodes: 0,
        max_nodes: limits.max_nodes,
        max_depth: limits.max_depth.min(MAX_FAST_DEPTH),
    };
    let root = parser.value(1)?;
    parser.whitespace()?;
    (parser.at == parser.bytes.len()).then_some(root)
}

struct Parser<'a> {
    bytes: &'a [u8],
    text: &'a str,
    at: usize,
    line: u32,
    nodes: usize,
    max_nodes: usize,
    max_depth: usize,
}

impl Parser<'_> {
    /// Skips JSON whitespace, counting lines; a carriage return must start `\r\n`.
    fn whitespace(&mut self) -> Option<()> {
        while let Some(&byte) = self.bytes.get(self.at) {
            match byte {
                b' ' | b'\t' => self.at += 1,
                b'\n' => {
                    self.at += 1;
                    self.line = self.line.saturating_add(1);
                }
                b'\r' if self.bytes.get(self.at + 1) == Some(&b'\n') => self.at += 1,
                b'\r' => return None,
                _ => break,
            }
        }
        Some(())
    }

    fn count(&mut self) -> Option<()> {
        self.nodes += 1;
        (self.nodes <= self.max_nodes).then_some(())
    }

    /// A value starting at the next non-blank byte; `level` is its collection depth if it is
    /// a collection (the root collection is level 1).
    fn value(&mut self, level: usize) -> Option<Node> {
        self.whitespace()?;
        self.count()?;
        let line = self.line;
        let value = match *self.bytes.get(self.at)? {
            b'{' => self.object(level)?,
            b'[' => self.array(level)?,
            b'"' => Value::String(self.string()?),
            b't' => self.literal("true", Value::Bool(true))?,
            b'f' => self.literal("false", Value::Bool(false))?,
            b'n' => self.literal("null", Value::Null)?,
            b'-' | b'0'..=b'9' => self.number()?,
            _ => return None,
        };
        Some(Node { value, line })
    }

    fn literal(&mut self, word: &str, value: Value) -> Option<Value> {
        let end = self.at + word.len();
        (self.bytes.get(self.at..end)? == word.as_bytes()).then_some(())?;
        self.at = end;
        Some(value)
    }

    fn enter(&self, level: usize) -> Option<()> {
        (level <= self.max_depth).then_some(())
    }

    fn array(&mut self, level: usize) -> Option<Value> {
        self.enter(level)?;
        self.at += 1;
        let mut items = Vec::new();
        self.whitespace()?;
        if self.bytes.get(self.at) == Some(&b']') {
            self.at += 1;
            return Some(Value::Seq(items));
        }
        loop {
            items.push(self.value(level + 1)?);
            self.whitespace()?;
            match *self.bytes.get(self.at)? {
                b',' => self.at += 1,
                b']' => {
                    self.at += 1;
                    // Exact size: most lists in policies hold one or two items, and the
                    // doubling growth left room for four, in trees of millions of nodes.
                    items.shrink_to_fit();
                    return Some(Value::Seq(items));
                }
                _ => return None,
            }
        }
    }

    fn object(&mut self, level: usize) -> Option<Value> {
        self.enter(level)?;
        self.at += 1;
        let mut entries: Vec<(String, Node)> = Vec::new();
        let mut seen: Option<std::collections::HashSet<String>> = None;
        self.whitespace()?;
        if self.bytes.get(self.at) == Some(&b'}') {
            self.at += 1;
            return Some(Value::Map(entries));
        }
        loop {
            self.whitespace()?;
            if self.bytes.get(self.at) != Some(&b'"') {
                return None;
            }
            let key = self.string()?;
            if duplicate(&entries, &mut seen, &key) {
                return None;
            }
            self.whitespace()?;
            (self.bytes.get(self.at) == Some(&b':')).then_some(())?;
            self.at += 1;
            let value = self.value(level + 1)?;
            entries.push((key, value));
            self.whitespace()?;
            match *self.bytes.get(self.at)? {
                b',' => self.at += 1,
                b'}' => {
                    self.at += 1;
                    entries.shrink_to_fit();
                    return Some(Value::Map(entries));
                }
                _ => return None,
            }
        }
    }

    /// A string at the opening quote; escapes decoded. Control characters and surrogate
    /// escapes give up.
    fn string(&mut self) -> Option<String> {
        self.at += 1;
        let start = self.at;
        // The common case: no escape, one copy.
        while let Some(&byte) = self.bytes.get(self.at) {
            match byte {
                b'"' => {
                    let text = self.text.get(start..self.at)?.to_string();
                    self.at += 1;
                    return Some(text);
                }
                b'\\' => break,
                0x00..=0x1f => return None,
                _ => self.at += 1,
            }
        }
        let mut out: Vec<u8> = self.bytes.get(start..self.at)?.to_vec();
        loop {
            let byte = *self.bytes.get(self.at)?;
            self.at += 1;
            match byte {
                b'"' => return String::from_utf8(out).ok(),
                b'\\' => {
                    let escape = *self.bytes.get(self.at)?;
                    self.at += 1;
                    let decoded = match escape {
                        b'"' => '"',
                        b'\\' => '\\',
                        b'/' => '/',
                        b'b' => '\u{8}',
                        b'f' => '\u{c}',
                        b'n' => '\n',
                        b'r' => '\r',
                        b't' => '\t',
                        b'u' => self.unicode_escape()?,
                        _ => return None,
                    };
                    let mut buffer = [0u8; 4];
                    out.extend_from_slice(decoded.encode_utf8(&mut buffer).as_bytes());
                }
                0x00..=0x1f => return None,
                _ => out.push(byte),
            }
        }
    }

    /// The four hex digits after `\u`; surrogates (pairs or lone) give up.
    fn unicode_escape(&mut self) -> Option<char> {
        let digits = self.bytes.get(self.at..self.at + 4)?;
        let digits = std::str::from_utf8(digits).ok()?;
        if !digits.bytes().all(|b| b.is_ascii_hexdigit()) {
            return None;
        }
        let code = u32::from_str_radix(digits, 16).ok()?;
        self.at += 4;
        char::from_u32(code)
    }

    /// A number by the JSON grammar, resolved as the YAML path resolves the same plain
    /// scalar; infinite or not-a-number results give up (JSON parsers refuse them).
    fn number(&mut self) -> Option<Value> {
        let start = self.at;
        if self.bytes.get(self.at) == Some(&b'-') {
            self.at += 1;
        }
        match *self.bytes.get(self.at)? {
            b'0' => self.at += 1,
            b'1'..=b'9' => self.digits(),
            _ => return None,
        }
        if self.bytes.get(self.at) == Some(&b'.') {
            self.at += 1;
            self.required_digits()?;
        }
        if matches!(self.bytes.get(self.at), Some(b'e' | b'E')) {
            self.at += 1;
            if matches!(self.bytes.get(self.at), Some(b'+' | b'-')) {
                self.at += 1;
            }
            self.required_digits()?;
        }
        let text = self.text.get(start..self.at)?;
        match resolve_scalar(text, ScalarStyle::Plain, None) {
            Value::Float(f) if !f.is_finite() => None,
            value @ (Value::Int(_) | Value::Float(_)) => Some(value),
            _ => None,
        }
    }

    fn digits(&mut self) {
        while self.bytes.get(self.at).is_some_and(u8::is_ascii_digit) {
            self.at += 1;
        }
    }

    fn required_digits(&mut self) -> Option<()> {
        let before = self.at;
        self.digits();
        (self.at > before).then_some(())
    }
}

/// Whether `key` is already among the entries (then the fast path gives up: the careful path
/// applies YAML's rule for repeated keys).
fn duplicate(
    entries: &[(String, Node)],
    seen: &mut Option<std::collections::HashSet<String>>,
    key: &str,
) -> bool {
    if entries.len() < SMALL_MAP {
        return entries.iter().any(|(k, _)| k == key);
    }
    let set = seen.get_or_insert_with(|| entries.iter().map(|(k, _)| k.clone()).collect());
    !set.insert(key.to_string())
}

#[cfg(test)]
mod tests;
