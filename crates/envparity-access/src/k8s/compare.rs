//! Exact comparison of two RBAC rule sets over the atomic partition of the request space, with
//! concrete witness requests for each difference. Exact over the requests the API server can
//! produce (resources and subresources without `/`; see `atoms`).
//!
//! For every rule of one side, the representative tuples it matches are walked dimension by
//! dimension while tracking which rules of the other side still match the prefix; a subtree is
//! cut as soon as one of those rules accepts everything the rule accepts below it (covered), or
//! none is left (every tuple below differs: recorded, a few sampled as witnesses). Since every
//! concrete request is decided like one representative tuple (see `atoms`), the verdict is exact.

use serde::Serialize;

use super::atoms::{Atoms, Rep};
use super::authorize::{
    api_group_matches, namespace_applies, non_resource_url_matches, resource_matches,
    resource_name_matches, verb_matches,
};
use super::types::{Scope, ScopedRule};
use super::witness::{Candidate, Collector, Ranks, WITNESS_CAP, Witness};
use crate::Verdict;

/// The outcome of comparing two rule sets of one identity.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Comparison {
    pub verdict: Verdict,
    /// Requests staging grants and production denies (at most [`WITNESS_CAP`]).
    pub staging_only: Vec<Witness>,
    /// Requests production grants and staging denies (at most [`WITNESS_CAP`]).
    pub production_only: Vec<Witness>,
}

/// Compares what `staging` and `production` grant, both already in one vocabulary.
pub fn compare(staging: &[ScopedRule], production: &[ScopedRule]) -> Comparison {
    let atoms = Atoms::build(staging.iter().chain(production));
    let stg = Footprints::of(staging, &atoms);
    let prd = Footprints::of(production, &atoms);
    let ranks = Ranks::of(&atoms);
    let staging_only = one_direction(&atoms, &ranks, &stg, &prd);
    let production_only = one_direction(&atoms, &ranks, &prd, &stg);
    Comparison {
        verdict: Verdict::from_differences(staging_only.found, production_only.found),
        staging_only: staging_only.witnesses(&atoms),
        production_only: production_only.witnesses(&atoms),
    }
}

/// Whether the rules hold a cluster-admin equivalent: a rule bound cluster-wide with verbs,
/// API groups and resources `*` and no resource names.
pub fn admin_equivalent(rules: &[ScopedRule]) -> bool {
    let star = |values: &[String]| values.iter().any(|v| v == "*");
    rules.iter().any(|s| {
        s.scope == Scope::Cluster
            && star(&s.rule.verbs)
            && star(&s.rule.api_groups)
            && star(&s.rule.resources)
            && s.rule.resource_names.is_empty()
    })
}

/// The two request spaces and the order of their dimensions.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Space {
    /// namespace, verb, group, resource pair, name.
    Resource,
    /// verb, URL.
    NonResource,
}

/// Which representatives of each dimension a rule accepts.
#[derive(Debug, Clone)]
struct Footprint(Vec<Vec<bool>>);

impl Footprint {
    fn accepts(&self, dim: usize, rep: usize) -> bool {
        self.0
            .get(dim)
            .and_then(|m| m.get(rep))
            .copied()
            .unwrap_or(false)
    }

    fn indices(&self, dim: usize) -> impl Iterator<Item = usize> + '_ {
        self.0
            .get(dim)
            .into_iter()
            .flat_map(|m| m.iter().enumerate().filter(|(_, a)| **a).map(|(i, _)| i))
    }

    /// In dimension `dim`, accepts everything `other` accepts.
    fn contains_in(&self, other: &Footprint, dim: usize) -> bool {
        match (self.0.get(dim), other.0.get(dim)) {
            (Some(mine), Some(theirs)) => mine.iter().zip(theirs).all(|(m, t)| *m || !*t),
            _ => false,
        }
    }

    /// `result[d]`: from dimension `d` on, accepts everything `other` accepts.
    fn contains_from(&self, other: &Footprint) -> Vec<bool> {
        let mut result = vec![true; other.0.len() + 1];
        for d in (0..other.0.len()).rev() {
            let next = result.get(d + 1).copied().unwrap_or(true);
            if let Some(slot) = result.get_mut(d) {
                *slot = next && self.contains_in(other, d);
            }
        }
        result
    }

    /// Accepts some tuple `other` accepts.
    fn intersects(&self, other: &Footprint) -> bool {
        self.0
            .iter()
            .zip(&other.0)
            .all(|(mine, theirs)| mine.iter().zip(theirs).any(|(m, t)| *m && *t))
    }

    fn matches_something(&self) -> bool {
        self.0.iter().all(|m| m.iter().any(|a| *a))
    }
}

fn mask<T>(reps: &[Rep<T>], accepts: impl Fn(&T) -> bool) -> Vec<bool> {
    reps.iter().map(|r| accepts(&r.value)).collect()
}

/// The footprints of one side's rules that match anything, per request space.
struct Footprints {
    resource: Vec<Footprint>,
    non_resource: Vec<Footprint>,
}

impl Footprints {
    fn of(rules: &[ScopedRule], atoms: &Atoms) -> Footprints {
        let mut resource = Vec::new();
        let mut non_resource = Vec::new();
        for scoped in rules {
            let (scope, rule) = (&scoped.scope, &scoped.rule);
            let fp = Footprint(vec![
                mask(&atoms.namespaces, |ns| {
                    namespace_applies(scope, ns.as_deref())
                }),
                mask(&atoms.verbs, |v| verb_matches(rule, v)),
                mask(&atoms.groups, |g| api_group_matches(rule, g)),
                mask(&atoms.resources, |(r, s)| {
                    resource_matches(rule, r, s.as_deref())
                }),
                mask(&atoms.names, |n| resource_name_matches(rule, n.as_deref())),
            ]);
            if fp.matches_something() {
                resource.push(fp);
            }
            if *scope == Scope::Cluster && !rule.non_resource_urls.is_empty() {
                let fp = Footprint(vec![
                    mask(&atoms.verbs, |v| verb_matches(rule, v)),
                    mask(&atoms.urls, |u| non_resource_url_matches(rule, u)),
                ]);
                if fp.matches_something() {
                    non_resource.push(fp);
                }
            }
        }
        Footprints {
            resource,
            non_resource,
        }
    }
}

/// Requests granted by `from` and denied by `against`.
fn one_direction(
    atoms: &Atoms,
    ranks: &Ranks,
    from: &Footprints,
    against: &Footprints,
) -> Collector {
    let mut out = Collector::default();
    let spaces = [
        (Space::Resource, &from.resource, &against.resource),
        (
            Space::NonResource,
            &from.non_resource,
            &against.non_resource,
        ),
    ];
    for (space, rules, others) in spaces {
        for rule in rules {
            let others: Vec<&Footprint> = others.iter().filter(|o| o.intersects(rule)).collect();
            let walk = Walk {
                atoms,
                ranks,
                space,
                rule,
                covers_from: others.iter().map(|o| o.contains_from(rule)).collect(),
                others,
            };
            let mut prefix = Vec::with_capacity(rule.0.len());
            walk.descend(0, &mut prefix, (0..walk.others.len()).collect(), &mut out);
        }
    }
    out
}

/// The walk over the tuples one rule matches.
struct Walk<'a> {
    atoms: &'a Atoms,
    ranks: &'a Ranks,
    space: Space,
    rule: &'a Footprint,
    /// The other side's rules that match some tuple `rule` matches.
    others: Vec<&'a Footprint>,
    /// `covers_from[o][d]`: other rule `o` accepts, in every dimension from `d` on, all that
    /// `rule` accepts.
    covers_from: Vec<Vec<bool>>,
}

impl Walk<'_> {
    /// `live`: the other side's rules matching the chosen `prefix`.
    fn descend(&self, dim: usize, prefix: &mut Vec<usize>, live: Vec<usize>, out: &mut Collector) {
        let covered = |o: &usize| {
            self.covers_from
                .get(*o)
                .and_then(|c| c.get(dim))
                .copied()
                .unwrap_or(false)
        };
        if live.iter().any(covered) {
            return;
        }
        if live.is_empty() {
            out.found = true;
            let mut budget = WITNESS_CAP;
            self.sample(dim, prefix, &mut budget, out);
            return;
        }
        for rep in self.rule.indices(dim) {
            let next = live
                .iter()
                .copied()
                .filter(|o| self.others.get(*o).is_some_and(|f| f.accepts(dim, rep)))
                .collect();
            prefix.push(rep);
            self.descend(dim + 1, prefix, next, out);
            prefix.pop();
        }
    }

    /// Offers up to `budget` tuples completing `prefix`, in preference order.
    fn sample(&self, dim: usize, prefix: &mut Vec<usize>, budget: &mut usize, out: &mut Collector) {
        if dim == self.rule.0.len() {
            if let Some(candidate) = self.candidate(prefix) {
                out.offer(candidate);
            }
            *budget = budget.saturating_sub(1);
            return;
        }
        for rep in self.rule.indices(dim) {
            if *budget == 0 {
                return;
            }
            prefix.push(rep);
            self.sample(dim + 1, prefix, budget, out);
            prefix.pop();
        }
    }

    /// The candidate of a complete tuple of representative indices.
    fn candidate(&self, tuple: &[usize]) -> Option<Candidate> {
        let (a, r) = (self.atoms, self.ranks);
        match (self.space, tuple) {
            (Space::Resource, &[ns, verb, group, res, name]) => {
                let (n, v, g) = (
                    a.namespaces.get(ns)?,
                    a.verbs.get(verb)?,
                    a.groups.get(group)?,
                );
                let (rs, nm) = (a.resources.get(res)?, a.names.get(name)?);
                Some(Candidate {
                    synthetic: n.synthetic
                        || v.synthetic
                        || g.synthetic
                        || rs.synthetic
                        || nm.synthetic,
                    odd: rs.odd,
                    fresh: n.fresh + v.fresh + g.fresh + rs.fresh + nm.fresh,
                    variant: 0,
                    ranks: [
                        *r.verbs.get(verb)?,
                        *r.groups.get(group)?,
                        *r.resources.get(res)?,
                        *r.namespaces.get(ns)?,
                        *r.names.get(name)?,
                    ],
                    tuple: [ns, verb, group, res, name],
                })
            }
            (Space::NonResource, &[verb, url]) => {
                let (v, u) = (a.verbs.get(verb)?, a.urls.get(url)?);
                Some(Candidate {
                    synthetic: v.synthetic || u.synthetic,
                    odd: false,
                    fresh: v.fresh + u.fresh,
                    variant: 1,
                    ranks: [*r.verbs.get(verb)?, *r.urls.get(url)?, 0, 0, 0],
                    tuple: [verb, url, 0, 0, 0],
                })
            }
            _ => None,
        }
    }
}
