//! The data the RBAC engine works on: policy rules, where they apply, and requests.

use serde::Serialize;

/// One rule of a Role or ClusterRole, exactly as written (`rbac.authorization.k8s.io/v1`).
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
pub struct PolicyRule {
    pub verbs: Vec<String>,
    pub api_groups: Vec<String>,
    pub resources: Vec<String>,
    pub resource_names: Vec<String>,
    pub non_resource_urls: Vec<String>,
}

/// Where a rule applies, decided by the binding that grants it.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
pub enum Scope {
    /// Granted by a ClusterRoleBinding: every namespace, cluster-scoped resources and
    /// non-resource URLs.
    Cluster,
    /// Granted by a RoleBinding in this namespace: namespaced requests in it only.
    Namespace(String),
}

/// A rule together with the scope it is granted in. `origin` is an opaque index the caller
/// uses to trace the rule back to its binding and role (provenance).
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
pub struct ScopedRule {
    pub scope: Scope,
    pub rule: PolicyRule,
    pub origin: usize,
}

/// A resource request as the authorizer sees it.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
pub struct ResourceRequest {
    pub verb: String,
    pub api_group: String,
    pub resource: String,
    pub subresource: Option<String>,
    /// `None` for cluster-scoped resources and cluster-wide collection requests.
    pub namespace: Option<String>,
    /// `None` where the name is not known at authorization time (list, create, ...).
    pub name: Option<String>,
}

/// A request to the API server.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
pub enum Request {
    Resource(ResourceRequest),
    NonResource { verb: String, url: String },
}
