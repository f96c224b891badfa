//! Allow policies: `get-iam-policy` output (resource from the file name) and the results of
//! `gcloud asset search-all-iam-policies` (resource, and the hierarchy around it, inside).

use super::super::node::{ShapeError, Shaped, opt_int, opt_map, opt_str, str_list};
use super::super::yaml::{Node, Value};
use super::{Sink, objects, resource_from_file_name};
use crate::model::{GcpBinding, GcpCondition, GcpPolicy, GcpResource, Level};

/// A `condition` / `denialCondition` object.
pub(super) fn condition(node: &Node, key: &str) -> Shaped<Option<GcpCondition>> {
    let Some(c) = opt_map(node, key)? else {
        return Ok(None);
    };
    let Some(expression) = opt_str(c, "expression")? else {
        return Err(ShapeError {
            field: format!("{key}.expression"),
            expected: "a CEL expression",
            line: c.line,
        });
    };
    Ok(Some(GcpCondition {
        expression,
        title: opt_str(c, "title")?,
    }))
}

fn binding(node: &Node) -> Shaped<GcpBinding> {
    let Some(role) = opt_str(node, "role")? else {
        return Err(ShapeError {
            field: "role".to_string(),
            expected: "a role name",
            line: node.line,
        });
    };
    Ok(GcpBinding {
        role,
        members: str_list(node, "members")?,
        condition: condition(node, "condition")?,
        line: Some(node.line),
    })
}

/// The policy object `node`, attached to `resource`.
fn policy(node: &Node, resource: Option<String>, sink: &mut Sink<'_>) -> GcpPolicy {
    let mut bindings = Vec::new();
    match node.get("bindings").map(|b| &b.value) {
        None => {}
        Some(Value::Seq(items)) => {
            for item in items {
                match binding(item) {
                    Ok(b) => bindings.push(b),
                    Err(e) => {
                        let role = item.text_at("role").unwrap_or_default();
                        sink.diagnostic(
                            Level::Warning,
                            Some(e.line),
                            format!("skipped the binding of role `{role}`: {e}"),
                        );
                    }
                }
            }
        }
        Some(_) => sink.diagnostic(
            Level::Warning,
            Some(node.line),
            "skipped `bindings`: expected a list of bindings",
        ),
    }
    GcpPolicy {
        resource,
        etag: node.text_at("etag"),
        version: opt_int(node, "version").ok().flatten(),
        bindings,
        provenance: sink.provenance(node.line),
    }
}

/// The policy object `node` of a known resource.
pub(super) fn policy_of(node: &Node, resource: &str, sink: &mut Sink<'_>) -> GcpPolicy {
    policy(node, Some(resource.to_string()), sink)
}

/// `gcloud projects|folders|organizations get-iam-policy … --format=json`.
pub fn get_iam_policy(doc: &Node, sink: &mut Sink<'_>) -> usize {
    let resource = resource_from_file_name(sink.path);
    if resource.is_none() {
        sink.diagnostic(
            Level::Warning,
            Some(doc.line),
            "cannot tell which resource this IAM policy is attached to: name the file after it \
             (`projects-<id>.iam.json`, `folders-<id>.iam.json`, `organizations-<id>.iam.json`, \
             `serviceAccounts-<email>.iam.json`); its bindings are compared as unknown",
        );
    }
    let policy = policy(doc, resource, sink);
    let count = policy.bindings.len().max(1);
    sink.gcp.policies.push(policy);
    count
}

/// A full resource name (`//cloudresourcemanager.googleapis.com/projects/p`) in the relative
/// form the hierarchy uses.
pub(super) fn relative(name: &str) -> String {
    let t = name.trim();
    match t.strip_prefix("//") {
        Some(rest) => rest.split_once('/').map_or(t, |(_, r)| r).to_string(),
        None => t.to_string(),
    }
}

/// Results of `gcloud asset search-all-iam-policies --format=json` (a list, one result, or
/// the API's `results` list).
pub fn asset_policies(doc: &Node, sink: &mut Sink<'_>) -> usize {
    let mut count = 0;
    for item in objects(doc) {
        let (Some(resource), Some(node)) = (item.text_at("resource"), item.get("policy")) else {
            sink.diagnostic(
                Level::Warning,
                Some(item.line),
                "skipped an IAM policy search result without `resource` and `policy`",
            );
            continue;
        };
        let resource = relative(&resource);
        let policy = policy(node, Some(resource.clone()), sink);
        count += policy.bindings.len().max(1);
        sink.gcp.policies.push(policy);
        hierarchy(item, &resource, sink);
    }
    count
}

/// The hierarchy an asset search result states: the project holding the resource (by
/// number), its folders (innermost first) and organization.
fn hierarchy(item: &Node, resource: &str, sink: &mut Sink<'_>) {
    let folders = str_list(item, "folders").unwrap_or_default();
    let organization = item.text_at("organization").filter(|o| !o.is_empty());
    let project = item.text_at("project").filter(|p| !p.is_empty());
    let mut chain: Vec<String> = Vec::new();
    let is_project = resource.starts_with("projects/") && resource.matches('/').count() == 1;
    let mut aliases = Vec::new();
    match (&project, is_project) {
        (Some(p), true) if p != resource => aliases.push(p.clone()),
        (Some(p), false) => chain.push(p.clone()),
        _ => {}
    }
    chain.extend(folders);
    chain.extend(organization);
    let mut name = resource.to_string();
    let provenance = sink.provenance(item.line);
    for (i, parent) in chain.iter().enumerate() {
        sink.gcp.resources.push(GcpResource {
            name: name.clone(),
            parent: Some(parent.clone()),
            aliases: if i == 0 {
                std::mem::take(&mut aliases)
            } else {
                Vec::new()
            },
            provenance: provenance.clone(),
        });
        name.clone_from(parent);
    }
    if !aliases.is_empty() {
        sink.gcp.resources.push(GcpResource {
            name,
            parent: None,
            aliases,
            provenance,
        });
    }
}
