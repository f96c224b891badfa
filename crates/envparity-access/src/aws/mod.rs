//! AWS IAM: policy documents, the concrete evaluator, and an exact comparison of what two
//! principals may do, with witness requests.

mod atoms;
mod catalog;
mod compare;
mod condition;
mod evaluate;
mod glob;
mod policy;
mod ranges;
mod template;
mod trust;
mod values;
mod walk;

pub use catalog::{ActionCatalog, ActionInfo, glob_match};
pub use compare::{Comparison, Witness, admin_equivalent, compare};
pub use evaluate::{Decision, PrincipalPolicies, Request, evaluate};
pub use policy::{
    Condition, Effect, Policy, PolicyError, Principals, Statement, Targets, parse_policy,
};
pub use trust::{PrincipalKind, TrustedPrincipal, trusted_principals};
pub use walk::WITNESS_CAP;
