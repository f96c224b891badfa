//! Deny policies: `gcloud iam policies get … --kind=denypolicies --format=json` (with rules)
//! and `gcloud iam policies list` (metadata only: the rules stay unknown). The resource a
//! policy is attached to is decoded from its name
//! (`policies/cloudresourcemanager.googleapis.com%2Fprojects%2F123/denypolicies/x`).

use envparity_access::gcp::deny_attachment;

use super::super::node::{ShapeError, Shaped, str_list};
use super::super::yaml::{Node, Value};
use super::policy::condition;
use super::{Sink, objects};
use crate::model::{GcpDenyPolicy, GcpDenyRule, Level};

fn rule(item: &Node) -> Shaped<GcpDenyRule> {
    let Some(rule) = item.get("denyRule") else {
        return Err(ShapeError {
            field: "denyRule".to_string(),
            expected: "a deny rule",
            line: item.line,
        });
    };
    Ok(GcpDenyRule {
        denied_principals: str_list(rule, "deniedPrincipals")?,
        exception_principals: str_list(rule, "exceptionPrincipals")?,
        denied_permissions: str_list(rule, "deniedPermissions")?,
        exception_permissions: str_list(rule, "exceptionPermissions")?,
        condition: condition(rule, "denialCondition")?,
        line: Some(rule.line),
    })
}

fn policy(node: &Node, sink: &mut Sink<'_>) -> Option<GcpDenyPolicy> {
    let name = node.text_at("name").unwrap_or_default();
    let Some(attachment) = deny_attachment(&name) else {
        sink.diagnostic(
            Level::Warning,
            Some(node.line),
            format!(
                "skipped deny policy `{name}`: its name is not `policies/<attachment point>/denypolicies/<id>`"
            ),
        );
        return None;
    };
    let rules = match node.get("rules").map(|r| &r.value) {
        None => {
            sink.diagnostic(
                Level::Info,
                Some(node.line),
                format!(
                    "deny policy `{name}` was listed without its rules; export it with `gcloud iam policies get` to compare them"
                ),
            );
            None
        }
        Some(Value::Seq(items)) => {
            let mut rules = Vec::new();
            for item in items {
                match rule(item) {
                    Ok(r) => rules.push(r),
                    Err(e) => {
                        // A rule that cannot be read may deny anything: the policy's rules
                        // become unknown rather than lose one.
                        sink.diagnostic(
                            Level::Warning,
                            Some(e.line),
                            format!("deny policy `{name}` has a rule that cannot be read: {e}; its rules are compared as unknown"),
                        );
                        return Some(GcpDenyPolicy {
                            name: name.clone(),
                            attachment,
                            display_name: node.text_at("displayName"),
                            rules: None,
                            provenance: sink.provenance(node.line),
                        });
                    }
                }
            }
            Some(rules)
        }
        Some(_) => {
            sink.diagnostic(
                Level::Warning,
                Some(node.line),
                format!(
                    "deny policy `{name}`: `rules` is not a list; its rules are compared as unknown"
                ),
            );
            None
        }
    };
    Some(GcpDenyPolicy {
        name,
        attachment,
        display_name: node.text_at("displayName"),
        rules,
        provenance: sink.provenance(node.line),
    })
}

pub fn deny_policies(doc: &Node, sink: &mut Sink<'_>) -> usize {
    let mut count = 0;
    for node in objects(doc) {
        if let Some(p) = policy(node, sink) {
            count += p.rules.as_ref().map_or(1, |r| r.len().max(1));
            sink.gcp.deny_policies.push(p);
        }
    }
    count
}
