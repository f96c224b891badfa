//! The one shape every finding has, and the rule catalog it refers to.

mod catalog;
mod finding;
mod fingerprint;

pub use catalog::{Dimension, Rule, Severity};
pub use finding::{
    Confidence, Evidence, EvidenceSides, Expected, Finding, Pair, Side, Subject, Waiver, Witness,
};
pub use fingerprint::fingerprint;
