//! Certificates embedded in Kubernetes objects: `data`/`stringData` of Secrets (`tls.crt`,
//! `ca.crt`, base64 as the API stores them), `data`/`binaryData` of ConfigMaps, `caBundle`
//! fields (webhooks, APIServices, CRD conversion) and PEM text in any other field. Only
//! certificate blocks are read; private keys in these objects belong to the secrets dimension.

use super::{Found, Holder, read_der, read_pem_text};
use crate::ingest::decode_base64;
use crate::ingest::yaml::{Node, Value};
use crate::model::{Diagnostic, TlsObjects};

/// Where the certificates of one file go, and how lines are checked.
struct Scan<'a> {
    shown: &'a str,
    /// The file's lines, to check that a block's computed line really holds its `BEGIN` line
    /// (true in block scalars, not in JSON strings with `\n` escapes).
    lines: Vec<&'a str>,
    tls: &'a mut TlsObjects,
    diagnostics: &'a mut Vec<Diagnostic>,
}

/// Reads the certificates embedded in the Kubernetes objects of one file's documents.
pub fn scan_documents(
    docs: &[Node],
    source: Option<&str>,
    shown: &str,
    tls: &mut TlsObjects,
    diagnostics: &mut Vec<Diagnostic>,
) {
    let lines = match source {
        Some(text) if super::pem::holds_a_block(text) => text.lines().collect(),
        _ => Vec::new(),
    };
    let mut scan = Scan {
        shown,
        lines,
        tls,
        diagnostics,
    };
    for doc in docs {
        object(doc, &mut scan);
    }
}

fn object(node: &Node, scan: &mut Scan<'_>) {
    let (Some(_), Some(kind)) = (node.text_at("apiVersion"), node.text_at("kind")) else {
        return;
    };
    if kind.ends_with("List")
        && let Some(Node {
            value: Value::Seq(items),
            ..
        }) = node.get("items")
    {
        for item in items {
            object(item, scan);
        }
        return;
    }
    let metadata = node.get("metadata");
    let holder = Holder {
        kind: kind.clone(),
        namespace: metadata.and_then(|m| m.text_at("namespace")),
        name: metadata.and_then(|m| m.text_at("name")).unwrap_or_default(),
    };
    let fields: &[(&str, bool)] = match kind.as_str() {
        "Secret" => &[("data", true), ("stringData", false)],
        "ConfigMap" => &[("data", false), ("binaryData", true)],
        _ => {
            walk(node, "", &holder, scan);
            return;
        }
    };
    for (field, base64) in fields {
        let Some(entries) = node.get(field).and_then(Node::entries) else {
            continue;
        };
        for (key, value) in entries {
            if let Value::String(text) = &value.value {
                let place = Found::new(scan.shown, &holder, key, value.line);
                if *base64 {
                    encoded(text, &place, scan);
                } else {
                    plain(text, &place, scan);
                }
            }
        }
    }
}

/// Any other object: every string field holding a PEM block, and every `caBundle`.
fn walk(node: &Node, path: &str, holder: &Holder, scan: &mut Scan<'_>) {
    match &node.value {
        Value::Map(entries) => {
            for (key, child) in entries {
                if path.is_empty() && key == "metadata" {
                    // Annotations repeat the object (`last-applied-configuration`).
                    continue;
                }
                let child_path = if path.is_empty() {
                    key.clone()
                } else {
                    format!("{path}.{key}")
                };
                if let Value::String(text) = &child.value {
                    let place = Found::new(scan.shown, holder, &child_path, child.line);
                    if key.eq_ignore_ascii_case("cabundle") {
                        encoded(text, &place, scan);
                    } else {
                        plain(text, &place, scan);
                    }
                } else {
                    walk(child, &child_path, holder, scan);
                }
            }
        }
        Value::Seq(items) => {
            for (i, item) in items.iter().enumerate() {
                walk(item, &format!("{path}[{i}]"), holder, scan);
            }
        }
        _ => {}
    }
}

/// A value holding PEM text.
fn plain(text: &str, place: &Found<'_>, scan: &mut Scan<'_>) {
    if !super::pem::holds_a_block(text) {
        return;
    }
    let lines = &scan.lines;
    let lines_hold = |offset: u32| {
        let index = (place.line as usize + offset as usize).checked_sub(1);
        index
            .and_then(|i| lines.get(i))
            .is_some_and(|l| l.contains("-----BEGIN "))
    };
    read_pem_text(text, place, &lines_hold, scan.tls, scan.diagnostics);
}

/// A base64 value (Secret `data`, ConfigMap `binaryData`, `caBundle`): PEM or DER inside.
fn encoded(text: &str, place: &Found<'_>, scan: &mut Scan<'_>) {
    let compact: String = text.chars().filter(|c| !c.is_whitespace()).collect();
    let Some(bytes) = decode_base64(&compact) else {
        return;
    };
    match std::str::from_utf8(&bytes) {
        Ok(decoded) if super::pem::holds_a_block(decoded) => {
            read_pem_text(decoded, place, &|_| false, scan.tls, scan.diagnostics);
        }
        Ok(_) => {}
        Err(_) if super::looks_like_der(&bytes) => {
            read_der(&bytes, place, scan.tls, scan.diagnostics);
        }
        Err(_) => {}
    }
}
