//! HashiCorp Vault and OpenBao ACL policies: the `path` rule model and its normalization, the
//! ACL built from several policies (merge per identical key), the concrete evaluator (lookup
//! priority, capabilities, wrapping, parameters), and an exact comparison of two ACLs over a
//! partition of the path space, with witness requests, under a staging → production mapping.

mod acl;
mod capability;
mod compare;
mod duration;
mod evaluate;
mod mapping;
mod params;
mod partition;
mod pattern;
mod policy;
mod sets;

pub use acl::{Acl, AclError, Entry, Permissions};
pub use capability::{Capabilities, Capability, Flavor, Operation};
pub use compare::{Comparison, WITNESS_CAP, Witness, compare};
pub use duration::{Ttl, parse_duration_second};
pub use evaluate::{Decision, Request, allows, capabilities, decide, lookup, permits};
pub use mapping::{FnMapping, Identity, PathMapping, TokenMap, renamed};
pub use params::globbed_strings_match;
pub use policy::{
    KeyKind, PathRule, Policy, PolicyError, key_of, one_line, parse_policy_json, parse_rule,
};
