//! The one shape every finding has, and the rule catalog it refers to.

mod catalog;
mod finding;
mod fingerprint;
mod speak;

pub use catalog::{Dimension, Rule, Severity};
pub use finding::{
    Confidence, Evidence, EvidenceSides, Expected, Finding, Pair, Side, Subject, Waiver, Witness,
};
pub use fingerprint::fingerprint;
pub use speak::name_environments;
