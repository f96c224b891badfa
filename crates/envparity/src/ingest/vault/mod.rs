//! HashiCorp Vault / OpenBao inputs → the model's `vault` section.
//!
//! Detection, in order (first match wins):
//! - HCL text (before YAML/JSON parsing): a file named `*.hcl`, or whose first statement is a
//!   `path "<pattern>"` block. HCL with `path` blocks is an ACL policy (malformed HCL in such a
//!   file is an input error naming the line); other HCL (Nomad, Packer) is ignored.
//! - JSON (or YAML) with one document:
//!   - a policy with its text: `vault read -format=json sys/policies/acl/<name>` (`data.policy`)
//!     or `sys/policy/<name>` (`data.rules`), or a bare `{"name", "policy"|"rules"}`; the text
//!     is HCL or JSON and must mention `path`;
//!   - a policy document in JSON form: only `name` and `path` keys, `path` mapping patterns to
//!     rules;
//!   - an auth-method role: `vault read -format=json auth/<mount>/role/<name>` (`data` with a
//!     role setting such as `token_policies`, `bound_service_account_names`, `bound_claims`,
//!     `role_type`), see `role` for how the mount and name are found.
//!
//! A policy's name is the one the input states (`name`), else the file name without its
//! extension. Every `path` rule keeps its line (for policies embedded in a JSON string, the
//! line of that string).

mod hcl;
mod role;

pub use hcl::{ParsedPolicy, TextError};

use envparity_access::vault::{one_line, parse_policy_json};

use super::yaml::{Node, Value};
use crate::model::{Diagnostic, Level, Provenance, Snapshot, Source, VaultPolicy, VaultRule};

/// Parses a policy's text (HCL, or JSON when it starts with `{`): the pure parser, for tests
/// and fuzzing. `Ok(None)` when the text is not a Vault policy.
pub fn parse_policy_text(text: &str) -> Result<Option<ParsedPolicy>, TextError> {
    if text.trim_start().starts_with('{') {
        let doc: serde_json::Value = serde_json::from_str(text).map_err(|e| TextError {
            line: u32::try_from(e.line()).ok(),
            message: format!("invalid JSON at line {} column {}", e.line(), e.column()),
        })?;
        if doc.get("path").is_none() {
            return Ok(None);
        }
        let policy = parse_policy_json("", &doc).map_err(|e| TextError {
            line: None,
            message: e.to_string(),
        })?;
        return Ok(Some(ParsedPolicy {
            name: Some(policy.name).filter(|n| !n.is_empty()),
            line: 1,
            rules: policy.rules.into_iter().map(|r| (r, 1)).collect(),
        }));
    }
    hcl::parse(text)
}

/// The file name without directories and its last extension.
fn stem(shown: &str) -> &str {
    let file = shown.rsplit('/').next().unwrap_or(shown);
    file.rsplit_once('.').map_or(file, |(s, _)| s)
}

/// Whether the first statement of the text is a `path "..."` block (comments skipped).
fn starts_like_policy(text: &str) -> bool {
    let first = text.lines().map(str::trim).find(|l| {
        !l.is_empty() && !l.starts_with('#') && !l.starts_with("//") && !l.starts_with("/*")
    });
    first.is_some_and(|l| {
        l.strip_prefix("path")
            .is_some_and(|rest| rest.trim_start().starts_with('"'))
    })
}

/// Reads a file's text as an HCL policy; false when it is not one (other readers go on).
pub(crate) fn read_text(text: &str, shown: &str, snapshot: &mut Snapshot) -> bool {
    let named_hcl = shown.to_ascii_lowercase().ends_with(".hcl");
    if !named_hcl && !starts_like_policy(text) {
        return false;
    }
    match hcl::parse(text) {
        Ok(Some(parsed)) => {
            let name = parsed
                .name
                .clone()
                .unwrap_or_else(|| stem(shown).to_string());
            let count = parsed.rules.len();
            push_policy(snapshot, shown, name, parsed, None);
            push_source(snapshot, shown, "vault-policy", count);
        }
        Ok(None) => snapshot.diagnostics.push(Diagnostic::new(
            Level::Info,
            shown,
            None,
            "ignored: HCL that is not a Vault policy (no `path` blocks)",
        )),
        Err(e) => {
            snapshot
                .diagnostics
                .push(Diagnostic::new(Level::Error, shown, e.line, e.message))
        }
    }
    true
}

/// Reads a parsed JSON/YAML file as a Vault policy or role; false when it is neither.
pub(crate) fn read_documents(docs: &[Node], shown: &str, snapshot: &mut Snapshot) -> bool {
    let mut present = docs.iter().filter(|d| d.value != Value::Null);
    let (Some(doc), None) = (present.next(), present.next()) else {
        return false;
    };
    if doc.entries().is_none() || (doc.get("apiVersion").is_some() && doc.get("kind").is_some()) {
        return false;
    }
    let data = doc.get("data").filter(|d| d.entries().is_some());
    if let Some((text_node, name)) = policy_text(doc, data) {
        let Value::String(text) = &text_node.value else {
            return false;
        };
        let name = name.unwrap_or_else(|| stem(shown).to_string());
        match parse_policy_text(text) {
            Ok(Some(parsed)) => {
                let count = parsed.rules.len();
                push_policy(snapshot, shown, name, parsed, Some(text_node.line));
                push_source(snapshot, shown, "vault-policy", count);
            }
            Ok(None) => return false,
            Err(e) => {
                let message = format!(
                    "the policy text of `{}` does not parse: {}",
                    one_line(&name),
                    e.message
                );
                snapshot.diagnostics.push(Diagnostic::new(
                    Level::Error,
                    shown,
                    Some(text_node.line),
                    message,
                ));
            }
        }
        return true;
    }
    if policy_document(doc) {
        read_policy_document(doc, shown, snapshot);
        return true;
    }
    let role_data = data.or(Some(doc)).filter(|d| {
        role::ROLE_KEYS.iter().any(|k| d.get(k).is_some())
            && (data.is_some()
                || doc.get("mount").is_some()
                || role::from_file_name(file_name(shown)).is_some())
    });
    if let Some(role_data) = role_data {
        read_role(doc, role_data, shown, snapshot);
        return true;
    }
    false
}

fn file_name(shown: &str) -> &str {
    shown.rsplit('/').next().unwrap_or(shown)
}

/// The node holding a policy's text and the name the input gives it.
fn policy_text<'a>(doc: &'a Node, data: Option<&'a Node>) -> Option<(&'a Node, Option<String>)> {
    let holder = data.unwrap_or(doc);
    let text = ["policy", "rules"].iter().find_map(|k| {
        holder
            .get(k)
            .filter(|n| matches!(n.value, Value::String(_)))
    })?;
    let mentions_path = text.text().is_some_and(|t| t.contains("path"));
    if !mentions_path {
        return None;
    }
    let name = holder.text_at("name").or_else(|| doc.text_at("name"));
    // A bare object needs its name beside the text; a `vault read` wrapper has `data`.
    (data.is_some() || name.is_some()).then_some((text, name))
}

/// A policy in JSON form: only `name` and `path`, every rule a mapping.
fn policy_document(doc: &Node) -> bool {
    let entries = doc.entries().unwrap_or_default();
    let keys_ok = entries.iter().all(|(k, _)| k == "name" || k == "path");
    let Some(paths) = doc.get("path") else {
        return false;
    };
    let blocks: Vec<&Node> = match &paths.value {
        Value::Map(_) => vec![paths],
        Value::Seq(items) => items.iter().collect(),
        _ => return false,
    };
    keys_ok
        && blocks.iter().all(|b| {
            b.entries()
                .is_some_and(|rules| rules.iter().all(|(_, r)| r.entries().is_some()))
        })
}

fn read_policy_document(doc: &Node, shown: &str, snapshot: &mut Snapshot) {
    let name = doc
        .text_at("name")
        .unwrap_or_else(|| stem(shown).to_string());
    let blocks: Vec<&Node> = match doc.get("path").map(|p| &p.value) {
        Some(Value::Seq(items)) => items.iter().collect(),
        _ => doc.get("path").into_iter().collect(),
    };
    let mut parsed = ParsedPolicy {
        name: Some(name.clone()),
        line: doc.line,
        rules: Vec::new(),
    };
    for block in blocks {
        for (pattern, body) in block.entries().unwrap_or_default() {
            let fields: Vec<(String, serde_json::Value)> = body
                .entries()
                .unwrap_or_default()
                .iter()
                .map(|(k, v)| (k.clone(), v.to_json()))
                .collect();
            match envparity_access::vault::parse_rule(pattern, &fields) {
                Ok(rule) => parsed.rules.push((rule, body.line)),
                Err(e) => {
                    let message = format!("policy `{}`: {e}", one_line(&name));
                    snapshot.diagnostics.push(Diagnostic::new(
                        Level::Error,
                        shown,
                        Some(body.line),
                        message,
                    ));
                    return;
                }
            }
        }
    }
    let count = parsed.rules.len();
    push_policy(snapshot, shown, name, parsed, None);
    push_source(snapshot, shown, "vault-policy", count);
}

fn read_role(doc: &Node, data: &Node, shown: &str, snapshot: &mut Snapshot) {
    let given_mount = doc.text_at("mount");
    let given_name = doc
        .text_at("role")
        .or_else(|| {
            (doc.get("data").is_some())
                .then(|| doc.text_at("name"))
                .flatten()
        })
        .or_else(|| data.text_at("role_name"));
    let from_file = role::from_file_name(file_name(shown));
    let mount = given_mount.or_else(|| from_file.as_ref().map(|(m, _)| m.clone()));
    let name = given_name
        .or_else(|| from_file.as_ref().map(|(_, n)| n.clone()))
        .unwrap_or_else(|| stem(shown).to_string());
    let mount = mount.unwrap_or_else(|| {
        snapshot.diagnostics.push(Diagnostic::new(
            Level::Warning,
            shown,
            Some(doc.line),
            "cannot tell the auth mount of this role: name the file \
             `auth-<mount>-role-<name>.json` or add `\"mount\"` beside `data`; read as mount \
             `unknown`",
        ));
        "unknown".to_string()
    });
    let (role, warnings) = role::lower(data, &mount, &name, shown);
    for warning in warnings {
        snapshot.diagnostics.push(Diagnostic::new(
            Level::Warning,
            shown,
            Some(data.line),
            format!("role `{}`: {warning}", one_line(&role.qualified_name())),
        ));
    }
    snapshot.vault.roles.push(role);
    push_source(snapshot, shown, "vault-role", 1);
}

fn push_policy(
    snapshot: &mut Snapshot,
    shown: &str,
    name: String,
    parsed: ParsedPolicy,
    line_override: Option<u32>,
) {
    if let Some(earlier) = snapshot.vault.policies.iter().find(|p| p.name == name) {
        let message = format!(
            "a policy named `{}` was already read from `{}`; this one is ignored",
            one_line(&name),
            one_line(&earlier.provenance.path)
        );
        snapshot.diagnostics.push(Diagnostic::new(
            Level::Warning,
            shown,
            Some(parsed.line),
            message,
        ));
        return;
    }
    let rules = parsed
        .rules
        .into_iter()
        .map(|(rule, line)| VaultRule {
            rule,
            provenance: Provenance::new(shown, Some(line_override.unwrap_or(line))),
        })
        .collect();
    snapshot.vault.policies.push(VaultPolicy {
        name,
        rules,
        provenance: Provenance::new(shown, Some(line_override.unwrap_or(parsed.line))),
    });
}

fn push_source(snapshot: &mut Snapshot, shown: &str, format: &str, objects: usize) {
    snapshot.sources.push(Source {
        path: shown.to_string(),
        format: format.to_string(),
        objects,
    });
}
