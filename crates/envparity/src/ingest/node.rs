//! Reading [`Node`] trees by shape: typed accessors that report a field of the wrong shape
//! (with its name and line) instead of panicking, so lowering can skip just that object.

use super::yaml::{Node, Value, scalar_text};

/// A field whose value does not have the shape Kubernetes defines for it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ShapeError {
    pub field: String,
    pub expected: &'static str,
    pub line: u32,
}

impl std::fmt::Display for ShapeError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "expected `{}` to be {} at line {}",
            self.field, self.expected, self.line
        )
    }
}

pub type Shaped<T> = Result<T, ShapeError>;

fn wrong(field: &str, expected: &'static str, node: &Node) -> ShapeError {
    ShapeError {
        field: field.to_string(),
        expected,
        line: node.line,
    }
}

impl Node {
    /// The tree as JSON (mapping order kept; a float JSON cannot hold becomes null). Depth is
    /// bounded by the parse limits.
    pub fn to_json(&self) -> serde_json::Value {
        match &self.value {
            Value::Null => serde_json::Value::Null,
            Value::Bool(b) => serde_json::Value::Bool(*b),
            Value::Int(i) => serde_json::Value::from(*i),
            Value::Float(f) => serde_json::Number::from_f64(*f)
                .map_or(serde_json::Value::Null, serde_json::Value::Number),
            Value::String(s) => serde_json::Value::String(s.clone()),
            Value::Seq(items) => {
                serde_json::Value::Array(items.iter().map(Node::to_json).collect())
            }
            Value::Map(entries) => serde_json::Value::Object(
                entries
                    .iter()
                    .map(|(k, v)| (k.clone(), v.to_json()))
                    .collect(),
            ),
        }
    }

    /// The value under `key` of a mapping; `None` when absent, null, or not a mapping.
    pub fn get(&self, key: &str) -> Option<&Node> {
        match &self.value {
            Value::Map(entries) => entries
                .iter()
                .find(|(k, _)| k == key)
                .map(|(_, v)| v)
                .filter(|v| v.value != Value::Null),
            _ => None,
        }
    }

    /// A mapping's entries in document order.
    pub fn entries(&self) -> Option<&[(String, Node)]> {
        match &self.value {
            Value::Map(entries) => Some(entries),
            _ => None,
        }
    }

    /// The text of a non-null scalar.
    pub fn text(&self) -> Option<String> {
        match self.value {
            Value::Null => None,
            _ => scalar_text(&self.value),
        }
    }

    /// `get(key)` then its text, for fields that are read leniently.
    pub fn text_at(&self, key: &str) -> Option<String> {
        self.get(key).and_then(Node::text)
    }

    /// How many collections deep the node goes (0 for a scalar). Iterative: it measures
    /// trees of any depth without recursing.
    pub fn height(&self) -> usize {
        let mut deepest = 0;
        let mut pending = vec![(self, 1)];
        while let Some((node, level)) = pending.pop() {
            match &node.value {
                Value::Seq(items) => {
                    deepest = deepest.max(level);
                    pending.extend(items.iter().map(|n| (n, level + 1)));
                }
                Value::Map(entries) => {
                    deepest = deepest.max(level);
                    pending.extend(entries.iter().map(|(_, n)| (n, level + 1)));
                }
                _ => {}
            }
        }
        deepest
    }
}

/// An optional scalar field as text.
pub fn opt_str(node: &Node, key: &str) -> Shaped<Option<String>> {
    match node.get(key) {
        None => Ok(None),
        Some(v) => v.text().map(Some).ok_or_else(|| wrong(key, "a string", v)),
    }
}

/// An optional sub-object.
pub fn opt_map<'a>(node: &'a Node, key: &str) -> Shaped<Option<&'a Node>> {
    match node.get(key) {
        None => Ok(None),
        Some(v) if matches!(v.value, Value::Map(_)) => Ok(Some(v)),
        Some(v) => Err(wrong(key, "a mapping", v)),
    }
}

/// A list field (empty when absent or null).
pub fn list<'a>(node: &'a Node, key: &str) -> Shaped<&'a [Node]> {
    match node.get(key) {
        None => Ok(&[]),
        Some(Node {
            value: Value::Seq(items),
            ..
        }) => Ok(items),
        Some(v) => Err(wrong(key, "a list", v)),
    }
}

/// A list of mappings (each item must be a mapping).
pub fn map_list<'a>(node: &'a Node, key: &str) -> Shaped<&'a [Node]> {
    let items = list(node, key)?;
    match items.iter().find(|i| !matches!(i.value, Value::Map(_))) {
        Some(bad) => Err(wrong(key, "a list of mappings", bad)),
        None => Ok(items),
    }
}

/// A list of scalars as text.
pub fn str_list(node: &Node, key: &str) -> Shaped<Vec<String>> {
    list(node, key)?
        .iter()
        .map(|item| scalar_text(&item.value).ok_or_else(|| wrong(key, "a list of strings", item)))
        .collect()
}

/// A mapping of scalars (labels, annotations, data), keys sorted.
pub fn string_map<M: FromIterator<(String, String)>>(node: &Node, key: &str) -> Shaped<M> {
    entries(node, key)?
        .iter()
        .map(|(k, v)| {
            let text =
                scalar_text(&v.value).ok_or_else(|| wrong(key, "a mapping of strings", v))?;
            Ok((k.clone(), text))
        })
        .collect()
}

/// A mapping's entries in document order (empty when absent or null).
pub fn entries<'a>(node: &'a Node, key: &str) -> Shaped<&'a [(String, Node)]> {
    match node.get(key) {
        None => Ok(&[]),
        Some(v) => v.entries().ok_or_else(|| wrong(key, "a mapping", v)),
    }
}

/// An optional boolean (the strings `true`/`false` are accepted too).
pub fn opt_bool(node: &Node, key: &str) -> Shaped<Option<bool>> {
    match node.get(key) {
        None => Ok(None),
        Some(v) => match &v.value {
            Value::Bool(b) => Ok(Some(*b)),
            Value::String(s) if s == "true" => Ok(Some(true)),
            Value::String(s) if s == "false" => Ok(Some(false)),
            _ => Err(wrong(key, "a boolean", v)),
        },
    }
}

/// An optional integer (a string of digits is accepted too).
pub fn opt_int(node: &Node, key: &str) -> Shaped<Option<i64>> {
    match node.get(key) {
        None => Ok(None),
        Some(v) => match &v.value {
            Value::Int(i) => Ok(Some(*i)),
            Value::String(s) => s
                .trim()
                .parse()
                .map(Some)
                .map_err(|_| wrong(key, "an integer", v)),
            _ => Err(wrong(key, "an integer", v)),
        },
    }
}
