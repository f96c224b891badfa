//! Kubernetes RBAC: the authorizer's rule semantics, an exact comparison of two rule sets by
//! atomic partition of the request space, the witnesses that prove each difference, and the
//! resolution of aggregated ClusterRoles.

mod aggregate;
mod atoms;
mod authorize;
mod compare;
mod types;
mod vocabulary;
mod witness;

pub use aggregate::{
    AggregationError, ClusterRoleDef, LabelSelector, LabelSelectorRequirement, SelectorOperator,
    aggregate_cluster_roles,
};
pub use authorize::{allows, rule_matches};
pub use compare::{Comparison, admin_equivalent, compare};
pub use types::{PolicyRule, Request, ResourceRequest, Scope, ScopedRule};
pub use witness::{WITNESS_CAP, Witness};
