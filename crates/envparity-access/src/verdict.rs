//! The outcome of comparing what two environments grant one identity.

use serde::Serialize;

/// How the first argument's grants (staging) relate to the second's (production).
/// `Equal` is only returned when proven; anything the engine cannot decide is `Unknown`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Verdict {
    Equal,
    /// Staging grants requests production denies, and nothing the other way round.
    Broader,
    /// Production grants requests staging denies, and nothing the other way round.
    Narrower,
    /// Both directions differ.
    Divergent,
    /// Undecided (an unresolved role reference, an unsupported construct).
    Unknown,
}

impl Verdict {
    /// The verdict seen from the other side (swapping staging and production).
    pub fn swapped(self) -> Verdict {
        match self {
            Verdict::Broader => Verdict::Narrower,
            Verdict::Narrower => Verdict::Broader,
            other => other,
        }
    }

    /// Combines the two emptiness checks into a verdict.
    pub fn from_differences(staging_only: bool, production_only: bool) -> Verdict {
        match (staging_only, production_only) {
            (false, false) => Verdict::Equal,
            (true, false) => Verdict::Broader,
            (false, true) => Verdict::Narrower,
            (true, true) => Verdict::Divergent,
        }
    }
}
