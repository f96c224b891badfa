//! GCP IAM: allow policies along the resource hierarchy, deny policies evaluated first, role
//! definitions, the supported fragment of CEL conditions, the concrete evaluator, and an
//! exact comparison of what one principal may do in two environments, with witness requests.

mod bits;
mod cel;
mod compare;
mod compile;
mod condition;
mod evaluate;
mod json;
mod member;
mod permission;
mod rename;
mod space;
mod timestamp;
mod types;
mod walk;

pub use compare::{CONTEXT_BUDGET, Comparator, Comparison, WITNESS_CAP, Witness, compare};
pub use condition::canonical as canonical_condition;
pub use evaluate::{Evaluator, allows, evaluate};
pub use json::{PolicyError, deny_attachment, parse_allow_policy, parse_deny_policy, parse_role};
pub use member::Member;
pub use permission::{v1_pattern, v2_name};
pub use space::Shown;
pub use timestamp::Timestamp;
pub use types::{
    AllowPolicy, Binding, Condition, Decision, DenyPolicy, DenyRule, Model, Node, Request,
    Resource, Role,
};
