//! Pair the entities of two environments by mapped name.

use std::collections::BTreeMap;

use super::NameMap;
use crate::findings::Confidence;

/// The result of pairing one kind of entity.
#[derive(Debug)]
pub struct Paired<'a, T> {
    /// (staging, production, confidence of the pairing).
    pub pairs: Vec<(&'a T, &'a T, Confidence)>,
    pub staging_only: Vec<&'a T>,
    pub production_only: Vec<&'a T>,
}

/// Pairs `staging` with `production` entities whose names agree once the staging name is
/// rewritten into production's vocabulary. Pairings that needed an inferred mapping are
/// `likely`; exact and user-mapped ones `proven`. Output order follows the names, so it does
/// not depend on input order. Several entities with one name pair in name order.
pub fn pair_by<'a, T>(
    staging: &'a [T],
    production: &'a [T],
    name: impl Fn(&T) -> String,
    names: &NameMap,
) -> Paired<'a, T> {
    let mut by_name: BTreeMap<String, Vec<&'a T>> = BTreeMap::new();
    for item in production {
        by_name.entry(name(item)).or_default().push(item);
    }
    let mut staging_sorted: Vec<(String, &'a T)> =
        staging.iter().map(|item| (name(item), item)).collect();
    staging_sorted.sort_by(|a, b| a.0.cmp(&b.0));

    let mut pairs = Vec::new();
    let mut staging_only = Vec::new();
    for (staging_name, item) in staging_sorted {
        let mapped = names.to_production(&staging_name);
        let candidates = by_name.get_mut(&mapped.text);
        match candidates.filter(|c| !c.is_empty()) {
            Some(candidates) => {
                let counterpart = candidates.remove(0);
                let confidence = if mapped.inferred {
                    Confidence::Likely
                } else {
                    Confidence::Proven
                };
                pairs.push((item, counterpart, confidence));
            }
            None => staging_only.push(item),
        }
    }
    let production_only = by_name.into_values().flatten().collect();
    Paired {
        pairs,
        staging_only,
        production_only,
    }
}
