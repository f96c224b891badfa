//! Witnesses: concrete requests proving a difference, and the bounded, deterministic choice of
//! the best ones among all differences found.

use std::collections::BTreeSet;

use serde::Serialize;

use super::atoms::{Atoms, Rep};
use super::types::{Request, ResourceRequest};

/// Witnesses kept per direction; the verdict is computed from all differences.
pub const WITNESS_CAP: usize = 20;

/// A concrete request granted by one side and denied by the other.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
pub struct Witness {
    pub request: Request,
    /// Some value of the request was invented (no real Kubernetes name was free to stand for
    /// "a value no rule names").
    pub synthetic: bool,
}

/// A witness as a tuple of representative indices, ordered by preference (fewer invented, odd
/// and fresh values first) and then exactly as its `Request` would order (`ranks` are the
/// values' ranks within their dimension, in the field order of `Request`), so that the best
/// witnesses are kept without building a request per candidate.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) struct Candidate {
    pub(crate) synthetic: bool,
    pub(crate) odd: bool,
    pub(crate) fresh: u8,
    /// 0 for resource requests, 1 for non-resource requests (the variant order of `Request`).
    pub(crate) variant: u8,
    pub(crate) ranks: [usize; 5],
    pub(crate) tuple: [usize; 5],
}

/// The rank of each representative's value within its dimension.
#[derive(Debug)]
pub(crate) struct Ranks {
    pub(crate) namespaces: Vec<usize>,
    pub(crate) verbs: Vec<usize>,
    pub(crate) groups: Vec<usize>,
    pub(crate) resources: Vec<usize>,
    pub(crate) names: Vec<usize>,
    pub(crate) urls: Vec<usize>,
}

fn value_ranks<T: Ord>(reps: &[Rep<T>]) -> Vec<usize> {
    let mut order: Vec<usize> = (0..reps.len()).collect();
    order.sort_by(|x, y| {
        reps.get(*x)
            .map(|r| &r.value)
            .cmp(&reps.get(*y).map(|r| &r.value))
    });
    let mut ranks = vec![0; reps.len()];
    for (rank, index) in order.into_iter().enumerate() {
        if let Some(slot) = ranks.get_mut(index) {
            *slot = rank;
        }
    }
    ranks
}

impl Ranks {
    pub(crate) fn of(atoms: &Atoms) -> Ranks {
        Ranks {
            namespaces: value_ranks(&atoms.namespaces),
            verbs: value_ranks(&atoms.verbs),
            groups: value_ranks(&atoms.groups),
            resources: value_ranks(&atoms.resources),
            names: value_ranks(&atoms.names),
            urls: value_ranks(&atoms.urls),
        }
    }
}

/// Differences found in one direction: whether any exists, and the best witnesses.
#[derive(Debug, Default)]
pub(crate) struct Collector {
    pub(crate) found: bool,
    pub(crate) best: BTreeSet<Candidate>,
}

impl Collector {
    pub(crate) fn offer(&mut self, candidate: Candidate) {
        if self.best.len() >= WITNESS_CAP
            && self.best.last().is_some_and(|worst| candidate >= *worst)
        {
            return;
        }
        self.best.insert(candidate);
        if self.best.len() > WITNESS_CAP {
            self.best.pop_last();
        }
    }

    pub(crate) fn witnesses(self, atoms: &Atoms) -> Vec<Witness> {
        self.best
            .into_iter()
            .filter_map(|c| witness(atoms, &c))
            .collect()
    }
}

/// The concrete request of a candidate.
fn witness(a: &Atoms, c: &Candidate) -> Option<Witness> {
    let request = match (c.variant, c.tuple) {
        (0, [ns, verb, group, res, name]) => {
            let res = &a.resources.get(res)?.value;
            Request::Resource(ResourceRequest {
                verb: a.verbs.get(verb)?.value.clone(),
                api_group: a.groups.get(group)?.value.clone(),
                resource: res.0.clone(),
                subresource: res.1.clone(),
                namespace: a.namespaces.get(ns)?.value.clone(),
                name: a.names.get(name)?.value.clone(),
            })
        }
        (_, [verb, url, ..]) => Request::NonResource {
            verb: a.verbs.get(verb)?.value.clone(),
            url: a.urls.get(url)?.value.clone(),
        },
    };
    Some(Witness {
        request,
        synthetic: c.synthetic,
    })
}
