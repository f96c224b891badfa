//! The data the GCP engine works on: the resource hierarchy, allow policies with their
//! bindings, deny policies with their rules, role definitions, and requests.

use std::collections::{BTreeMap, BTreeSet};

use serde::Serialize;

use super::condition::{Attr, Facts};
use super::timestamp::Timestamp;

/// One environment's IAM as exported: everything names resources the way the resource
/// hierarchy does (`organizations/123`, `folders/456`, `projects/my-proj`).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Model {
    /// Resources with a known parent or alias (the hierarchy); a resource absent here has
    /// no known ancestors.
    pub nodes: Vec<Node>,
    pub allow: Vec<AllowPolicy>,
    pub deny: Vec<DenyPolicy>,
    /// Role definitions by name (`roles/…`, `projects/…/roles/…`, `organizations/…/roles/…`).
    pub roles: BTreeMap<String, Role>,
}

/// A resource of the hierarchy: its parent, and other names it goes by (a project's number
/// form `projects/123456789012`).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Node {
    pub name: String,
    pub parent: Option<String>,
    pub aliases: Vec<String>,
}

/// The allow policy attached to one resource.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct AllowPolicy {
    /// The resource it is attached to; empty when unknown (its bindings then apply nowhere
    /// for certain, which the comparison reports as unknown).
    pub resource: String,
    pub bindings: Vec<Binding>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Binding {
    pub role: String,
    pub members: Vec<String>,
    pub condition: Option<Condition>,
    /// An index the caller uses to find the binding again (provenance); opaque here.
    pub origin: usize,
}

/// A CEL condition of a binding or deny rule.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Condition {
    pub expression: String,
    pub title: Option<String>,
}

/// A deny policy and where it is attached.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct DenyPolicy {
    /// The policy's name (for messages).
    pub name: String,
    /// The resource it is attached to (`projects/…`, `folders/…`, `organizations/…`).
    pub attachment: String,
    /// `None` when only the policy's metadata was exported (`gcloud iam policies list`):
    /// its rules are unknown.
    pub rules: Option<Vec<DenyRule>>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct DenyRule {
    pub denied_principals: Vec<String>,
    pub exception_principals: Vec<String>,
    /// v2 permission names (`service.googleapis.com/resource.verb`), `*` wildcards allowed.
    pub denied_permissions: Vec<String>,
    pub exception_permissions: Vec<String>,
    pub condition: Option<Condition>,
    pub origin: usize,
}

/// A role definition.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Role {
    pub name: String,
    /// v1 permission names.
    pub permissions: BTreeSet<String>,
}

impl Role {
    /// Whether the role is predefined (the same everywhere) rather than a custom role of a
    /// project or organization.
    pub fn is_predefined(name: &str) -> bool {
        name.starts_with("roles/")
    }
}

/// The resource a request is about.
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
pub struct Resource {
    /// The innermost resource of the hierarchy containing it (or the resource itself when it
    /// is one): its ancestors decide which policies apply.
    pub node: String,
    /// `resource.name` as conditions see it.
    pub name: String,
    /// `resource.type`, e.g. `storage.googleapis.com/Bucket`.
    #[serde(rename = "type")]
    pub kind: String,
    /// `resource.service`, e.g. `storage.googleapis.com`.
    pub service: String,
    /// Effective tags: namespaced key (`123/env`) → short value name.
    pub tags: BTreeMap<String, String>,
}

/// A request: a principal asks to use a permission on a resource at a time.
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
pub struct Request {
    /// A member in either spelling (`serviceAccount:x@p.iam.gserviceaccount.com`).
    pub principal: String,
    /// v1 permission name.
    pub permission: String,
    pub resource: Resource,
    pub time: Timestamp,
}

impl Facts for Request {
    fn string(&self, attr: Attr) -> &str {
        match attr {
            Attr::Name => &self.resource.name,
            Attr::Type => &self.resource.kind,
            Attr::Service => &self.resource.service,
        }
    }

    fn time(&self) -> Timestamp {
        self.time
    }

    fn tag(&self, key: &str) -> Option<&str> {
        self.resource.tags.get(key).map(String::as_str)
    }
}

/// The concrete evaluator's answer.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Decision {
    Allowed,
    Denied,
    /// Depends on something outside the inputs or the supported fragment (a role without
    /// definition, an opaque condition, a deny policy without its rules).
    Unknown,
}
