//! Reading one resource's attributes by path: each [`View`] carries the value, the plan's
//! "known after apply" marks, the sensitivity marks and the configuration expressions at the
//! same place, so lowering asks one question (`string("name")`) and gets a known value, an
//! unknown one, an absent one, or a shape error naming the attribute path.

use super::super::node::{ShapeError, Shaped};
use super::super::yaml::{Node, Value};

/// A value as the plan knows it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Field<T> {
    Known(T),
    /// Known only after apply (`after_unknown`).
    Unknown,
    /// Absent or null.
    Absent,
}

impl<T> Field<T> {
    pub fn known(self) -> Option<T> {
        match self {
            Field::Known(value) => Some(value),
            Field::Unknown | Field::Absent => None,
        }
    }
}

/// A mark tree (`after_unknown`, `sensitive_values`, `after_sensitive`): `true` marks the
/// whole value below it; mappings and lists mark parts.
#[derive(Debug, Clone, Copy)]
pub enum Mark<'a> {
    None,
    All,
    Tree(&'a Node),
}

impl<'a> Mark<'a> {
    pub fn of(node: Option<&'a Node>) -> Mark<'a> {
        match node.map(|n| &n.value) {
            Some(Value::Bool(true)) => Mark::All,
            Some(Value::Map(_) | Value::Seq(_)) => node.map_or(Mark::None, Mark::Tree),
            _ => Mark::None,
        }
    }

    fn key(self, key: &str) -> Mark<'a> {
        match self {
            Mark::All => Mark::All,
            Mark::Tree(node) => Mark::of(node.get(key)),
            Mark::None => Mark::None,
        }
    }

    fn index(self, index: usize) -> Mark<'a> {
        match self {
            Mark::All => Mark::All,
            Mark::Tree(Node {
                value: Value::Seq(items),
                ..
            }) => Mark::of(items.get(index)),
            Mark::Tree(_) | Mark::None => Mark::None,
        }
    }

    fn is_set(self) -> bool {
        matches!(self, Mark::All)
    }

    /// True when anything at or below this place is marked.
    fn any(self) -> bool {
        match self {
            Mark::None => false,
            Mark::All => true,
            Mark::Tree(node) => {
                let mut pending = vec![node];
                while let Some(node) = pending.pop() {
                    match &node.value {
                        Value::Bool(true) => return true,
                        Value::Seq(items) => pending.extend(items),
                        Value::Map(entries) => pending.extend(entries.iter().map(|(_, n)| n)),
                        _ => {}
                    }
                }
                false
            }
        }
    }
}

/// One place in a resource's attributes.
#[derive(Debug, Clone)]
pub struct View<'a> {
    /// The value here; `None` when absent or null.
    pub node: Option<&'a Node>,
    /// The line of the value, else of its nearest present parent.
    pub line: u32,
    /// The attribute path, for messages (`inline_policy[0].policy`).
    pub path: String,
    unknown: Mark<'a>,
    sensitive: Mark<'a>,
    /// The configuration expression here (plans only).
    config: Option<&'a Node>,
}

impl<'a> View<'a> {
    pub fn root(
        values: Option<&'a Node>,
        line: u32,
        unknown: Mark<'a>,
        sensitive: Mark<'a>,
        config: Option<&'a Node>,
    ) -> View<'a> {
        View {
            node: values.filter(|n| n.value != Value::Null),
            line: values.map_or(line, |n| n.line),
            path: String::new(),
            unknown,
            sensitive,
            config,
        }
    }

    /// The attribute `key` of this object.
    pub fn at(&self, key: &str) -> View<'a> {
        let node = self.node.and_then(|n| n.get(key));
        let config = self.config.and_then(|c| c.get(key));
        View {
            node,
            line: node.map_or(self.line, |n| n.line),
            path: if self.path.is_empty() {
                key.to_string()
            } else {
                format!("{}.{key}", self.path)
            },
            unknown: self.unknown.key(key),
            sensitive: self.sensitive.key(key),
            config,
        }
    }

    /// Item `index` of this list.
    pub fn item(&self, index: usize) -> View<'a> {
        let node = match self.node.map(|n| &n.value) {
            Some(Value::Seq(items)) => items.get(index).filter(|n| n.value != Value::Null),
            _ => None,
        };
        let config = match self.config.map(|c| &c.value) {
            Some(Value::Seq(items)) => items.get(index),
            _ => None,
        };
        View {
            node,
            line: node.map_or(self.line, |n| n.line),
            path: format!("{}[{index}]", self.path),
            unknown: self.unknown.index(index),
            sensitive: self.sensitive.index(index),
            config,
        }
    }

    /// Known only after apply (the whole value).
    pub fn is_unknown(&self) -> bool {
        self.unknown.is_set()
    }

    /// Some part of the value is known only after apply.
    pub fn has_unknown(&self) -> bool {
        self.unknown.any()
    }

    /// Marked sensitive, wholly or in part.
    pub fn is_sensitive(&self) -> bool {
        self.sensitive.any()
    }

    /// The references of the configuration expression here (`aws_iam_role.app.name`…),
    /// most specific first, as Terraform lists them.
    pub fn references(&self) -> Vec<String> {
        let Some(list) = self.config.and_then(|c| c.get("references")) else {
            return Vec::new();
        };
        match &list.value {
            Value::Seq(items) => items.iter().filter_map(Node::text).collect(),
            _ => Vec::new(),
        }
    }

    /// True when this attribute is written in the configuration (plans only).
    pub fn configured(&self) -> bool {
        self.config.is_some()
    }

    fn wrong(&self, expected: &'static str) -> ShapeError {
        ShapeError {
            field: self.path.clone(),
            expected,
            line: self.line,
        }
    }

    /// The text of a string attribute.
    pub fn string(&self, key: &str) -> Shaped<Field<String>> {
        self.at(key).text()
    }

    /// This value as a string.
    pub fn text(&self) -> Shaped<Field<String>> {
        if self.is_unknown() {
            return Ok(Field::Unknown);
        }
        match self.node.map(|n| &n.value) {
            None => Ok(Field::Absent),
            Some(Value::String(s)) => Ok(Field::Known(s.clone())),
            Some(_) => Err(self.wrong("a string")),
        }
    }

    pub fn int(&self, key: &str) -> Shaped<Field<i64>> {
        let view = self.at(key);
        if view.is_unknown() {
            return Ok(Field::Unknown);
        }
        match view.node.map(|n| &n.value) {
            None => Ok(Field::Absent),
            Some(Value::Int(i)) => Ok(Field::Known(*i)),
            Some(Value::Float(f)) if f.fract() == 0.0 && f.abs() < 9.0e15 => {
                Ok(Field::Known(*f as i64))
            }
            Some(_) => Err(view.wrong("a number")),
        }
    }

    pub fn bool(&self, key: &str) -> Shaped<Field<bool>> {
        let view = self.at(key);
        if view.is_unknown() {
            return Ok(Field::Unknown);
        }
        match view.node.map(|n| &n.value) {
            None => Ok(Field::Absent),
            Some(Value::Bool(b)) => Ok(Field::Known(*b)),
            Some(_) => Err(view.wrong("a boolean")),
        }
    }

    /// The items of a list (or set) attribute; unknown when the list or any item is.
    pub fn list(&self, key: &str) -> Shaped<Field<Vec<View<'a>>>> {
        let view = self.at(key);
        if view.is_unknown() {
            return Ok(Field::Unknown);
        }
        match view.node.map(|n| &n.value) {
            None => Ok(Field::Absent),
            Some(Value::Seq(items)) => {
                let items: Vec<View<'a>> = (0..items.len()).map(|i| view.item(i)).collect();
                if items.iter().any(View::is_unknown) {
                    return Ok(Field::Unknown);
                }
                Ok(Field::Known(items))
            }
            Some(_) => Err(view.wrong("a list")),
        }
    }

    /// A list of strings.
    pub fn strings(&self, key: &str) -> Shaped<Field<Vec<String>>> {
        let items = match self.list(key)? {
            Field::Known(items) => items,
            Field::Unknown => return Ok(Field::Unknown),
            Field::Absent => return Ok(Field::Absent),
        };
        let mut out = Vec::with_capacity(items.len());
        for item in items {
            match item.node.map(|n| &n.value) {
                Some(Value::String(s)) => out.push(s.clone()),
                None => {}
                Some(_) => return Err(item.wrong("a string")),
            }
        }
        Ok(Field::Known(out))
    }

    /// Nested blocks (a list of objects).
    pub fn blocks(&self, key: &str) -> Shaped<Field<Vec<View<'a>>>> {
        let items = match self.list(key)? {
            Field::Known(items) => items,
            other => return Ok(other),
        };
        for item in &items {
            if !matches!(item.node.map(|n| &n.value), Some(Value::Map(_)) | None) {
                return Err(item.wrong("an object"));
            }
        }
        Ok(Field::Known(
            items.into_iter().filter(|i| i.node.is_some()).collect(),
        ))
    }

    /// The first of a block that holds at most one object (`metadata`, `role_ref`).
    pub fn block(&self, key: &str) -> Shaped<Field<View<'a>>> {
        Ok(match self.blocks(key)? {
            Field::Known(mut items) if !items.is_empty() => Field::Known(items.swap_remove(0)),
            Field::Known(_) | Field::Absent => Field::Absent,
            Field::Unknown => Field::Unknown,
        })
    }

    /// The entries of a map attribute, each as a view; unknown when the map is.
    pub fn entries(&self, key: &str) -> Shaped<Field<Vec<(String, View<'a>)>>> {
        let view = self.at(key);
        if view.is_unknown() {
            return Ok(Field::Unknown);
        }
        match view.node.map(|n| &n.value) {
            None => Ok(Field::Absent),
            Some(Value::Map(entries)) => Ok(Field::Known(
                entries
                    .iter()
                    .map(|(k, _)| (k.clone(), view.at(k)))
                    .collect(),
            )),
            Some(_) => Err(view.wrong("a map")),
        }
    }

    /// A map of strings (tags, labels) whose values are not sensitive; sensitive or unknown
    /// entries are left out.
    pub fn string_map(&self, key: &str) -> Shaped<std::collections::BTreeMap<String, String>> {
        let mut out = std::collections::BTreeMap::new();
        if let Field::Known(entries) = self.entries(key)? {
            for (k, v) in entries {
                if v.is_sensitive() {
                    continue;
                }
                if let Field::Known(text) = v.text()? {
                    out.insert(k, text);
                }
            }
        }
        Ok(out)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ingest::yaml::{Limits, parse_documents};

    fn node(text: &str) -> Node {
        let mut docs = parse_documents(text, &Limits::default()).expect("parses");
        docs.remove(0)
    }

    #[test]
    fn unknown_and_sensitive_marks_follow_paths() {
        let values = node(
            r#"{"name": "a", "inline_policy": [{"name": "p"}], "tags": {"k": "v", "s": "x"}}"#,
        );
        let unknown = node(r#"{"inline_policy": [{"policy": true}], "arn": true}"#);
        let sensitive = node(r#"{"tags": {"s": true}}"#);
        let view = View::root(
            Some(&values),
            1,
            Mark::of(Some(&unknown)),
            Mark::of(Some(&sensitive)),
            None,
        );
        assert_eq!(view.string("name"), Ok(Field::Known("a".into())));
        assert_eq!(view.string("arn"), Ok(Field::Unknown));
        assert_eq!(view.string("path"), Ok(Field::Absent));
        let blocks = view
            .blocks("inline_policy")
            .expect("shape")
            .known()
            .expect("known");
        assert_eq!(blocks[0].string("policy"), Ok(Field::Unknown));
        assert_eq!(blocks[0].at("policy").path, "inline_policy[0].policy");
        let tags = view.string_map("tags").expect("shape");
        assert_eq!(tags.len(), 1, "the sensitive tag is left out");
        assert!(view.at("tags").is_sensitive());
    }

    #[test]
    fn wrong_types_name_the_attribute() {
        let values = node(r#"{"name": ["a"], "max_session_duration": "x"}"#);
        let view = View::root(Some(&values), 1, Mark::None, Mark::None, None);
        let error = view.string("name").expect_err("a list is no string");
        assert_eq!(error.field, "name");
        assert!(view.int("max_session_duration").is_err());
    }
}
