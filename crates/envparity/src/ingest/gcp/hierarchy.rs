//! The resource hierarchy: `gcloud projects get-ancestors` (a list of `{id, type}`,
//! innermost first), `gcloud projects get-ancestors-iam-policy` (the same with each
//! ancestor's `policy`), `gcloud projects describe` (`projectId`, `projectNumber`, `parent`)
//! and `gcloud resource-manager folders describe` (`name`, `parent`).

use super::super::yaml::Node;
use super::{Sink, objects};
use crate::model::{GcpResource, Level};

/// `project` / `folder` / `organization` and an id as a resource name.
fn resource_name(kind: &str, id: &str) -> Option<String> {
    let collection = match kind {
        "project" => "projects",
        "folder" => "folders",
        "organization" => "organizations",
        _ => return None,
    };
    let id = id.rsplit('/').next().unwrap_or(id);
    (!id.is_empty()).then(|| format!("{collection}/{id}"))
}

/// A `parent`: `{"type": "folder", "id": "456"}` (v1) or `"folders/456"` (v3).
fn parent(node: &Node) -> Option<String> {
    let p = node.get("parent")?;
    if let Some(text) = p.text() {
        return Some(text);
    }
    resource_name(&p.text_at("type")?, &p.text_at("id")?)
}

pub fn ancestors(doc: &Node, sink: &mut Sink<'_>) -> usize {
    let mut names = Vec::new();
    for node in objects(doc) {
        let (kind, id) = (node.text_at("type"), node.text_at("id"));
        match kind.zip(id).and_then(|(k, i)| resource_name(&k, &i)) {
            Some(name) => names.push((name, node)),
            None => sink.diagnostic(
                Level::Warning,
                Some(node.line),
                "skipped an ancestor that is not a project, folder or organization with an id",
            ),
        }
    }
    let mut count = 0;
    for (i, (name, node)) in names.iter().enumerate() {
        let parent = names.get(i + 1).map(|(p, _)| p.clone());
        sink.gcp.resources.push(GcpResource {
            name: name.clone(),
            parent,
            aliases: Vec::new(),
            provenance: sink.provenance(node.line),
        });
        count += 1;
        if let Some(policy) = node.get("policy") {
            let p = super::policy::policy_of(policy, name, sink);
            count += p.bindings.len();
            sink.gcp.policies.push(p);
        }
    }
    count
}

pub fn describe(doc: &Node, sink: &mut Sink<'_>) -> usize {
    let provenance = sink.provenance(doc.line);
    let resource = if let Some(project) = doc.text_at("projectId") {
        let mut aliases = Vec::new();
        if let Some(number) = doc.text_at("projectNumber") {
            aliases.push(format!("projects/{number}"));
        }
        GcpResource {
            name: format!("projects/{project}"),
            parent: parent(doc),
            aliases,
            provenance,
        }
    } else {
        let Some(name) = doc.text_at("name") else {
            return 0;
        };
        GcpResource {
            name,
            parent: parent(doc),
            aliases: Vec::new(),
            provenance,
        }
    };
    sink.gcp.resources.push(resource);
    1
}
