//! Sigma rule files: detection by content (a mapping with `detection` and `logsource`, no
//! `apiVersion`), rule collections (`action: global`, `reset`, `repeat`) expanded into plain
//! rule documents, and each rule lowered into [`SigmaRule`](crate::model::SigmaRule)s.

mod lower;

use std::collections::BTreeMap;

use super::yaml::{Limits, Node, Value};
use crate::model::{Diagnostic, Fingerprinter, Level, Snapshot, Source};

/// Reads a file's documents as Sigma rules and records the file's [`Source`]; false (nothing
/// recorded) when the file is not a Sigma rule file.
pub fn read_documents(
    docs: &[Node],
    shown: &str,
    fingerprinter: &Fingerprinter,
    limits: &Limits,
    snapshot: &mut Snapshot,
) -> bool {
    if !is_sigma(docs) {
        return false;
    }
    let expanded = match expand(docs, limits.max_nodes, shown, &mut snapshot.diagnostics) {
        Ok(expanded) => expanded,
        Err(line) => {
            let message = format!(
                "sigma rule collection expands to more than {} nodes",
                limits.max_nodes
            );
            let diagnostic = Diagnostic::new(Level::Error, shown, Some(line), message);
            snapshot.diagnostics.push(diagnostic);
            return true;
        }
    };
    let mut objects = 0;
    for doc in &expanded {
        if doc.get("correlation").is_some() {
            let message = "sigma correlation rule read but not compared by this version";
            info(snapshot, shown, doc.line, message);
        } else if sigma_shaped(doc) {
            let rule = lower::rule(doc, shown, fingerprinter, &mut snapshot.diagnostics);
            if let Some(rule) = rule {
                snapshot.detection_rules.push(rule);
                objects += 1;
            }
        } else {
            snapshot.diagnostics.push(Diagnostic::new(
                Level::Warning,
                shown,
                Some(doc.line),
                "ignored a document that is not a sigma rule (no `detection` and `logsource`)",
            ));
        }
    }
    snapshot.sources.push(Source {
        path: shown.to_string(),
        format: "sigma".to_string(),
        objects,
    });
    true
}

fn info(snapshot: &mut Snapshot, shown: &str, line: u32, message: &str) {
    snapshot
        .diagnostics
        .push(Diagnostic::new(Level::Info, shown, Some(line), message));
}

/// A document with the two keys every Sigma rule has.
fn sigma_shaped(doc: &Node) -> bool {
    doc.get("detection").is_some() && doc.get("logsource").is_some()
}

/// A Sigma file: no Kubernetes object, and a rule document, or a collection whose global
/// document and rule documents together hold `detection` and `logsource`.
fn is_sigma(docs: &[Node]) -> bool {
    if docs.iter().any(|d| d.get("apiVersion").is_some()) {
        return false;
    }
    if docs.iter().any(sigma_shaped) {
        return true;
    }
    let has = |key: &str| docs.iter().any(|d| d.get(key).is_some());
    docs.iter().any(|d| action(d).as_deref() == Some("global"))
        && has("detection")
        && has("logsource")
}

fn action(doc: &Node) -> Option<String> {
    doc.text_at("action").map(|a| a.trim().to_ascii_lowercase())
}

/// The rule documents of a file with its collection actions applied: the `global` document
/// is merged into every following one (until `reset` or the next `global`), `repeat` repeats
/// the previous document with its own keys merged over it. Each result keeps the line of its
/// own document. `Err(line)` when the expansion passes `max_nodes`.
fn expand(
    docs: &[Node],
    max_nodes: usize,
    shown: &str,
    diagnostics: &mut Vec<Diagnostic>,
) -> Result<Vec<Node>, u32> {
    let mut out = Vec::new();
    let mut global: Option<(Node, usize)> = None;
    let mut previous: Option<Node> = None;
    let mut budget = max_nodes;
    for doc in docs.iter().filter(|d| d.value != Value::Null) {
        let own = match action(doc).as_deref() {
            None => doc.clone(),
            Some("global") => {
                let body = without_action(doc);
                let size = count_nodes(&body);
                global = Some((body, size));
                continue;
            }
            Some("reset") => {
                global = None;
                continue;
            }
            Some("repeat") => match &previous {
                Some(previous) => merge(previous, &without_action(doc)),
                None => {
                    let message = "ignored `action: repeat`: no rule document before it";
                    diagnostics.push(Diagnostic::new(
                        Level::Warning,
                        shown,
                        Some(doc.line),
                        message,
                    ));
                    continue;
                }
            },
            Some(other) => {
                // The action is user text and may span lines; a diagnostic never does.
                let other = other.split_whitespace().collect::<Vec<_>>().join(" ");
                let message =
                    format!("ignored a document with unknown sigma collection action `{other}`");
                diagnostics.push(Diagnostic::new(
                    Level::Warning,
                    shown,
                    Some(doc.line),
                    message,
                ));
                continue;
            }
        };
        let cost = count_nodes(&own) + global.as_ref().map_or(0, |(_, size)| *size);
        budget = budget.checked_sub(cost).ok_or(doc.line)?;
        let mut rule = match &global {
            Some((global, _)) => merge(global, &own),
            None => own.clone(),
        };
        rule.line = doc.line;
        out.push(rule);
        previous = Some(own);
    }
    Ok(out)
}

fn without_action(doc: &Node) -> Node {
    match &doc.value {
        Value::Map(entries) => Node {
            value: Value::Map(
                entries
                    .iter()
                    .filter(|(k, _)| k != "action")
                    .cloned()
                    .collect(),
            ),
            line: doc.line,
        },
        _ => doc.clone(),
    }
}

/// Deep merge: mappings merge key by key (the overlay's order after the base's), anything
/// else is replaced by the overlay. Depth is bounded by the parser's nesting limit.
fn merge(base: &Node, overlay: &Node) -> Node {
    let (Value::Map(base_entries), Value::Map(overlay_entries)) = (&base.value, &overlay.value)
    else {
        return overlay.clone();
    };
    let mut entries = base_entries.clone();
    let index: BTreeMap<String, usize> = entries
        .iter()
        .enumerate()
        .map(|(i, (k, _))| (k.clone(), i))
        .collect();
    for (key, value) in overlay_entries {
        match index.get(key) {
            Some(&i) => {
                let merged = merge(&entries[i].1, value);
                entries[i].1 = merged;
            }
            None => entries.push((key.clone(), value.clone())),
        }
    }
    Node {
        value: Value::Map(entries),
        line: overlay.line,
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

#[cfg(test)]
mod tests;
