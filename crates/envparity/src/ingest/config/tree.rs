//! A config document as a tree that remembers which layer (base file or overlay) and line set
//! each value; Helm's merge of values files (maps merge, lists and scalars replace, `null`
//! deletes); and the flattening of a tree to one setting per dotted key path.

use crate::ingest::{Node, Value};

#[derive(Debug, Clone, PartialEq)]
pub(super) struct Tree {
    pub kind: Kind,
    pub line: u32,
    /// Index of the file that set this value, in merge order.
    pub layer: usize,
}

#[derive(Debug, Clone, PartialEq)]
pub(super) enum Kind {
    Null,
    Scalar(String),
    Map(Vec<(String, Tree)>),
    List(Vec<Tree>),
}

/// One flattened setting: its key path, its value text, and where it was set.
#[derive(Debug, Clone, PartialEq)]
pub(super) struct Setting {
    pub key: String,
    pub value: String,
    pub line: u32,
    pub layer: usize,
}

impl Tree {
    pub fn from_node(node: &Node, layer: usize) -> Tree {
        let kind = match &node.value {
            Value::Null => Kind::Null,
            Value::Bool(b) => Kind::Scalar(b.to_string()),
            Value::Int(i) => Kind::Scalar(i.to_string()),
            Value::Float(f) => Kind::Scalar(f.to_string()),
            Value::String(s) => Kind::Scalar(s.clone()),
            Value::Seq(items) => {
                Kind::List(items.iter().map(|i| Tree::from_node(i, layer)).collect())
            }
            Value::Map(entries) => Kind::Map(
                entries
                    .iter()
                    .map(|(k, v)| (k.clone(), Tree::from_node(v, layer)))
                    .collect(),
            ),
        };
        Tree {
            kind,
            line: node.line,
            layer,
        }
    }

    /// A tree of scalars only, from (key, value, line) settings of a flat file.
    pub fn from_flat(settings: &[super::Flat], layer: usize) -> Tree {
        let entries = settings
            .iter()
            .map(|s| {
                let value = Tree {
                    kind: Kind::Scalar(s.value.clone()),
                    line: s.line,
                    layer,
                };
                (s.key.clone(), value)
            })
            .collect();
        Tree {
            kind: Kind::Map(entries),
            line: 1,
            layer,
        }
    }
}

/// Helm's merge of an overlay onto a base: maps merge key by key, anything else in the overlay
/// replaces the base, and a `null` in the overlay deletes the key.
pub(super) fn merge(base: Tree, overlay: Tree) -> Tree {
    match (base.kind, overlay.kind) {
        (Kind::Map(mut entries), Kind::Map(over)) => {
            for (key, value) in over {
                let at = entries.iter().position(|(k, _)| *k == key);
                match (at, &value.kind) {
                    (Some(index), Kind::Null) => {
                        entries.remove(index);
                    }
                    (None, Kind::Null) => {}
                    (None, _) => entries.push((key, without_nulls(value))),
                    (Some(index), _) => {
                        let old = std::mem::replace(
                            &mut entries[index].1,
                            Tree {
                                kind: Kind::Null,
                                line: 0,
                                layer: 0,
                            },
                        );
                        entries[index].1 = merge(old, value);
                    }
                }
            }
            Tree {
                kind: Kind::Map(entries),
                line: base.line,
                layer: base.layer,
            }
        }
        (_, kind) => Tree {
            kind,
            line: overlay.line,
            layer: overlay.layer,
        },
    }
}

/// An overlay's subtree added where the base has nothing: its `null`s delete nothing, so
/// they are dropped, as Helm drops them.
pub(super) fn without_nulls(tree: Tree) -> Tree {
    match tree.kind {
        Kind::Map(entries) => Tree {
            kind: Kind::Map(
                entries
                    .into_iter()
                    .filter(|(_, v)| !matches!(v.kind, Kind::Null))
                    .map(|(k, v)| (k, without_nulls(v)))
                    .collect(),
            ),
            ..tree
        },
        _ => tree,
    }
}

/// A key as one segment of a path: quoted when it holds a dot, a space or a quote.
fn segment(key: &str) -> String {
    if key.is_empty() || key.contains(['.', ' ', '"', '[', ']']) {
        format!("\"{}\"", key.replace('"', "\\\""))
    } else {
        key.to_string()
    }
}

fn join(prefix: &str, key: &str) -> String {
    if prefix.is_empty() {
        segment(key)
    } else {
        format!("{prefix}.{}", segment(key))
    }
}

/// The `name` of every item when each item is a map with a distinct scalar `name`.
fn item_names(items: &[Tree]) -> Option<Vec<String>> {
    let mut names = Vec::with_capacity(items.len());
    for item in items {
        let Kind::Map(entries) = &item.kind else {
            return None;
        };
        let name = entries
            .iter()
            .find_map(|(k, v)| match (&v.kind, k.as_str()) {
                (Kind::Scalar(s), "name") => Some(s.clone()),
                _ => None,
            })?;
        if names.contains(&name) {
            return None;
        }
        names.push(name);
    }
    Some(names)
}

fn scalar_text(tree: &Tree) -> Option<String> {
    match &tree.kind {
        Kind::Scalar(s) => Some(s.clone()),
        Kind::Null => Some("null".to_string()),
        _ => None,
    }
}

/// Flattens a tree into settings, in document order.
pub(super) fn flatten(tree: &Tree, prefix: &str, out: &mut Vec<Setting>) {
    let leaf = |value: String, out: &mut Vec<Setting>| {
        out.push(Setting {
            key: if prefix.is_empty() {
                "(root)".to_string()
            } else {
                prefix.to_string()
            },
            value,
            line: tree.line,
            layer: tree.layer,
        });
    };
    match &tree.kind {
        Kind::Null => leaf("null".to_string(), out),
        Kind::Scalar(s) => leaf(s.clone(), out),
        Kind::Map(entries) if entries.is_empty() => leaf("{}".to_string(), out),
        Kind::Map(entries) => {
            for (key, value) in entries {
                flatten(value, &join(prefix, key), out);
            }
        }
        Kind::List(items) if items.is_empty() => leaf("[]".to_string(), out),
        Kind::List(items) => {
            if let Some(texts) = items.iter().map(scalar_text).collect::<Option<Vec<_>>>() {
                leaf(format!("[{}]", texts.join(", ")), out);
            } else if let Some(names) = item_names(items) {
                for (item, name) in items.iter().zip(names) {
                    let path = format!("{prefix}[name={name}]");
                    match &item.kind {
                        Kind::Map(entries) if entries.len() > 1 => {
                            for (key, value) in entries.iter().filter(|(k, _)| k != "name") {
                                flatten(value, &join(&path, key), out);
                            }
                        }
                        _ => flatten(item, &path, out),
                    }
                }
            } else {
                for (index, item) in items.iter().enumerate() {
                    flatten(item, &format!("{prefix}[{index}]"), out);
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ingest::{Limits, parse_documents};

    fn tree(text: &str, layer: usize) -> Tree {
        let docs = parse_documents(text, &Limits::default()).unwrap_or_default();
        docs.first()
            .map(|d| Tree::from_node(d, layer))
            .unwrap_or(Tree {
                kind: Kind::Null,
                line: 1,
                layer,
            })
    }

    fn flat(tree: &Tree) -> Vec<(String, String, usize)> {
        let mut out = Vec::new();
        flatten(tree, "", &mut out);
        out.into_iter().map(|s| (s.key, s.value, s.layer)).collect()
    }

    #[test]
    fn helm_merge_rules() {
        let base = tree(
            "app:\n  replicas: 1\n  list: [a, b]\n  keep: x\n  gone: y\n  nested:\n    a: 1\n",
            0,
        );
        let overlay = tree(
            "app:\n  replicas: 3\n  list: [c]\n  gone: null\n  nested:\n    b: 2\n",
            1,
        );
        let merged = flat(&merge(base, overlay));
        assert_eq!(
            merged,
            vec![
                ("app.replicas".into(), "3".into(), 1),
                ("app.list".into(), "[c]".into(), 1),
                ("app.keep".into(), "x".into(), 0),
                ("app.nested.a".into(), "1".into(), 0),
                ("app.nested.b".into(), "2".into(), 1),
            ]
        );
    }

    #[test]
    fn keys_with_dots_are_quoted_and_named_items_keyed() {
        let t = tree(
            "ingress:\n  annotations:\n    alb.ingress.kubernetes.io/scheme: internal\nenv:\n  - name: A\n    value: '1'\n  - name: B\n    value: '2'\nports:\n  - {port: 80}\n",
            0,
        );
        let keys: Vec<String> = flat(&t).into_iter().map(|(k, _, _)| k).collect();
        assert_eq!(
            keys,
            vec![
                "ingress.annotations.\"alb.ingress.kubernetes.io/scheme\"",
                "env[name=A].value",
                "env[name=B].value",
                "ports[0].port",
            ]
        );
    }
}
