//! GCP `gcloud … --format=json` output → the model: detect which command printed a parsed
//! file (by its keys; a top-level list by its first item), then lower it with one line of
//! provenance per binding, rule, account and key.
//!
//! Detection rules (first match wins; Kubernetes objects are never GCP):
//! - `bindings` whose items carry `role`, or only `etag`/`version`/`bindings`/`auditConfigs`
//!   with an `etag`: an allow policy (`get-iam-policy`). The resource it is attached to is
//!   not in that output: it comes from the file name (`projects-<id>.iam.json`,
//!   `folders-<id>.json`, `organizations-<id>.json`, `serviceAccounts-<email>.json`; the id
//!   ends at the first `.`), else the policy is kept with an unknown resource and a warning;
//! - `resource` with `policy` (one result of `gcloud asset search-all-iam-policies`), a
//!   `results` list of them, or a list of them: allow policies with their resources (and
//!   `folders`/`organization`/`project` as hierarchy);
//! - a list of `{id, type, policy}` (`gcloud projects get-ancestors-iam-policy`): policies
//!   of a project and its ancestors, innermost first; without `policy`
//!   (`gcloud projects get-ancestors`): the hierarchy only;
//! - `rules` whose items carry `denyRule`, or `kind: DenyPolicy`, or a `name` containing
//!   `/denypolicies/` (single or listed): deny policies;
//! - `includedPermissions`, or a list of roles (`name` `roles/…` or `…/roles/…` with `title`):
//!   role definitions (listed roles without permissions are kept as names only);
//! - `email` with `uniqueId` and `projectId` (single or listed): service accounts;
//! - `keyType` with `validAfterTime` (single or listed): service-account keys;
//! - `projectId` with `projectNumber` (`gcloud projects describe`), or `name` `folders/…`
//!   with `parent` (`gcloud resource-manager folders describe`): the hierarchy.

mod accounts;
mod deny;
mod hierarchy;
mod policy;
mod roles;

use super::yaml::{Node, Value};
use crate::model::{
    Diagnostic, GcpObjects, Level, Provenance, Snapshot, Source, service_account_project,
};

/// The `gcloud` outputs, one per command family.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    AllowPolicy,
    AssetPolicies,
    Ancestors,
    DenyPolicies,
    Roles,
    ServiceAccounts,
    Keys,
    Hierarchy,
}

impl Format {
    pub fn name(self) -> &'static str {
        match self {
            Format::AllowPolicy | Format::AssetPolicies => "gcp-iam-policy",
            Format::Ancestors | Format::Hierarchy => "gcp-resource-hierarchy",
            Format::DenyPolicies => "gcp-deny-policy",
            Format::Roles => "gcp-iam-roles",
            Format::ServiceAccounts => "gcp-service-accounts",
            Format::Keys => "gcp-service-account-keys",
        }
    }
}

pub(crate) fn has(node: &Node, key: &str) -> bool {
    node.entries()
        .is_some_and(|entries| entries.iter().any(|(k, _)| k == key))
}

fn items(node: &Node) -> Option<&[Node]> {
    match &node.value {
        Value::Seq(items) => Some(items),
        _ => None,
    }
}

fn is_allow_policy(doc: &Node) -> bool {
    let bindings_have_roles = doc
        .get("bindings")
        .and_then(items)
        .is_some_and(|list| !list.is_empty() && list.iter().all(|b| has(b, "role")));
    let only_policy_keys = doc.entries().is_some_and(|entries| {
        entries
            .iter()
            .all(|(k, _)| matches!(k.as_str(), "etag" | "version" | "bindings" | "auditConfigs"))
    });
    bindings_have_roles || (has(doc, "etag") && only_policy_keys)
}

fn is_deny_policy(doc: &Node) -> bool {
    let rules = doc
        .get("rules")
        .and_then(items)
        .is_some_and(|list| !list.is_empty() && list.iter().all(|r| has(r, "denyRule")));
    rules
        || doc.text_at("kind").as_deref() == Some("DenyPolicy")
        || doc
            .text_at("name")
            .is_some_and(|n| n.contains("/denypolicies/"))
}

fn is_role(doc: &Node, listed: bool) -> bool {
    let named = doc
        .text_at("name")
        .is_some_and(|n| n.starts_with("roles/") || n.contains("/roles/"));
    has(doc, "includedPermissions") && named || listed && named && has(doc, "title")
}

/// The format of one object (or of a list's items, `listed`).
fn detect_object(doc: &Node, listed: bool) -> Option<Format> {
    if has(doc, "apiVersion") && has(doc, "kind") {
        return None;
    }
    if is_allow_policy(doc) {
        return Some(Format::AllowPolicy);
    }
    if has(doc, "resource") && doc.get("policy").is_some_and(|p| p.entries().is_some()) {
        return Some(Format::AssetPolicies);
    }
    if listed && has(doc, "id") && doc.text_at("type").is_some() {
        return Some(Format::Ancestors);
    }
    if is_deny_policy(doc) {
        return Some(Format::DenyPolicies);
    }
    if is_role(doc, listed) {
        return Some(Format::Roles);
    }
    if has(doc, "email") && has(doc, "uniqueId") && has(doc, "projectId") {
        return Some(Format::ServiceAccounts);
    }
    if has(doc, "keyType") && has(doc, "validAfterTime") {
        return Some(Format::Keys);
    }
    let folder = doc
        .text_at("name")
        .is_some_and(|n| n.starts_with("folders/"));
    if has(doc, "projectId") && has(doc, "projectNumber") || folder && has(doc, "parent") {
        return Some(Format::Hierarchy);
    }
    None
}

/// Which `gcloud` output `doc` is, if any (see the module documentation).
pub fn detect(doc: &Node) -> Option<Format> {
    match &doc.value {
        Value::Map(_) => {
            if let Some(results) = doc.get("results").and_then(items)
                && results.first().and_then(|r| detect_object(r, true))
                    == Some(Format::AssetPolicies)
            {
                return Some(Format::AssetPolicies);
            }
            detect_object(doc, false)
        }
        Value::Seq(list) => {
            let first = list.first()?;
            let format = detect_object(first, true)?;
            list.iter()
                .all(|item| detect_object(item, true) == Some(format))
                .then_some(format)
        }
        _ => None,
    }
}

/// Where lowering writes.
pub struct Sink<'a> {
    pub path: &'a str,
    pub gcp: &'a mut GcpObjects,
    pub diagnostics: &'a mut Vec<Diagnostic>,
}

impl Sink<'_> {
    pub fn provenance(&self, line: u32) -> Provenance {
        Provenance::new(self.path, Some(line))
    }

    pub fn diagnostic(&mut self, level: Level, line: Option<u32>, message: impl Into<String>) {
        self.diagnostics
            .push(Diagnostic::new(level, self.path, line, message));
    }
}

/// The objects of a document that is one object, a list of them, or (for asset results) a
/// `results` list.
pub(crate) fn objects(doc: &Node) -> Vec<&Node> {
    match &doc.value {
        Value::Seq(list) => list.iter().collect(),
        _ => match doc.get("results").and_then(items) {
            Some(results) if !has(doc, "bindings") => results.iter().collect(),
            _ => vec![doc],
        },
    }
}

fn lower(format: Format, doc: &Node, sink: &mut Sink<'_>) -> usize {
    match format {
        Format::AllowPolicy => policy::get_iam_policy(doc, sink),
        Format::AssetPolicies => policy::asset_policies(doc, sink),
        Format::Ancestors => hierarchy::ancestors(doc, sink),
        Format::DenyPolicies => deny::deny_policies(doc, sink),
        Format::Roles => roles::roles(doc, sink),
        Format::ServiceAccounts => accounts::service_accounts(doc, sink),
        Format::Keys => accounts::keys(doc, sink),
        Format::Hierarchy => hierarchy::describe(doc, sink),
    }
}

/// Lowers a file's document when it is `gcloud` output, recording its [`Source`]; false
/// otherwise.
pub fn read_documents(docs: &[Node], shown: &str, snapshot: &mut Snapshot) -> bool {
    let mut present = docs.iter().filter(|d| d.value != Value::Null);
    let (Some(doc), None) = (present.next(), present.next()) else {
        return false;
    };
    let Some(format) = detect(doc) else {
        return false;
    };
    let mut sink = Sink {
        path: shown,
        gcp: &mut snapshot.gcp,
        diagnostics: &mut snapshot.diagnostics,
    };
    let objects = lower(format, doc, &mut sink);
    snapshot.sources.push(Source {
        path: shown.to_string(),
        format: format.name().to_string(),
        objects,
    });
    true
}

/// The last component of a shown path.
pub(crate) fn file_name(shown: &str) -> &str {
    shown.rsplit('/').next().unwrap_or(shown)
}

/// The resource an allow policy file is about, from its name (see the module documentation).
pub fn resource_from_file_name(shown: &str) -> Option<String> {
    let name = file_name(shown);
    let name = [".json", ".yaml", ".yml"]
        .iter()
        .find_map(|ext| name.strip_suffix(ext))
        .unwrap_or(name);
    if let Some(email) = name.strip_prefix("serviceAccounts-") {
        let email = email.strip_suffix(".iam").unwrap_or(email);
        if !email.contains('@') {
            return None;
        }
        let project = service_account_project(email).unwrap_or("-");
        return Some(format!("projects/{project}/serviceAccounts/{email}"));
    }
    for kind in ["projects", "folders", "organizations"] {
        if let Some(rest) = name.strip_prefix(kind).and_then(|r| r.strip_prefix('-')) {
            let id = rest.split('.').next().unwrap_or_default();
            if !id.is_empty() {
                return Some(format!("{kind}/{id}"));
            }
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn resources_from_file_names() {
        let cases = [
            (
                "a/projects-my-proj-staging.iam.json",
                Some("projects/my-proj-staging"),
            ),
            ("organizations-123.iam.json", Some("organizations/123")),
            ("folders-456.json", Some("folders/456")),
            (
                "serviceAccounts-deploy@my-proj.iam.gserviceaccount.com.iam.json",
                Some("projects/my-proj/serviceAccounts/deploy@my-proj.iam.gserviceaccount.com"),
            ),
            ("policy.json", None),
            ("projects-.json", None),
        ];
        for (file, expected) in cases {
            assert_eq!(resource_from_file_name(file).as_deref(), expected, "{file}");
        }
    }
}
