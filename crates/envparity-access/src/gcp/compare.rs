//! The exact comparison of what one principal may do in two environments (both models in one
//! vocabulary): for every context of the partition (see `space`), each side's bindings and
//! deny rules are reduced to what the context decides; permissions are finite sets once
//! roles are resolved, so each side's effective permissions are computed as sets and
//! compared. Where a fact stays open (a role without definition, an opaque condition, an
//! unknown ancestry) each permission is decided for every assignment of the open facts: a
//! difference is proven only when it holds for all of them, equality only when no assignment
//! differs; anything else is `Unknown`, with the facts named. Every witness is re-checked by
//! the concrete evaluator.

use std::collections::{BTreeMap, BTreeSet};

use serde::Serialize;

use super::bits::Bits;
use super::compile::{Applies, Compiled, RoleRef};
use super::condition::{Atom, Atoms, Cond};
use super::evaluate::Evaluator;
use super::member::Member;
use super::space::{Shown, Space};
use super::types::{Model, Request};
use super::walk::Run;
use crate::Verdict;

/// Witnesses kept per direction; the verdict is computed from all differences.
pub const WITNESS_CAP: usize = 20;

/// Contexts of the partition beyond which the comparison gives up (`Unknown`).
pub const CONTEXT_BUDGET: u128 = 200_000;

/// Decisions of single permissions under open facts before the comparison gives up.
pub(crate) const STEP_BUDGET: usize = 20_000_000;

/// A request allowed by one side and denied by the other.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Witness {
    pub request: Request,
    /// The attributes of the resource the difference depends on.
    pub shown: Shown,
    /// `origin`s of the bindings that grant it on the allowing side.
    pub granted_by: Vec<usize>,
    /// `origin`s of the deny rules that deny it on the denying side (empty when nothing
    /// grants it there).
    pub denied_by: Vec<usize>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Comparison {
    pub verdict: Verdict,
    /// Requests staging allows and production denies (at most [`WITNESS_CAP`]).
    pub staging_only: Vec<Witness>,
    /// Requests production allows and staging denies (at most [`WITNESS_CAP`]).
    pub production_only: Vec<Witness>,
    /// Why the verdict is `Unknown` (sorted, one line each); empty otherwise.
    pub unknown: Vec<String>,
}

/// Two models prepared once, compared for any number of principals.
#[derive(Debug)]
pub struct Comparator<'m> {
    pub(super) models: [&'m Model; 2],
    pub(super) sides: [Compiled<'m>; 2],
    pub(super) evaluators: [Evaluator<'m>; 2],
    pub(super) atoms: Atoms,
    pub(super) space: Space,
    /// Every permission of a known role bound on either side, sorted.
    pub(super) universe: Vec<String>,
    /// Per side and binding: the permissions of its role (over `universe`).
    pub(super) role_bits: [Vec<Bits>; 2],
    /// Per side and deny rule: the permissions it certainly denies (over `universe`).
    pub(super) deny_bits: [Vec<Bits>; 2],
    /// Per side, node and binding / deny rule: whether it applies there.
    pub(super) binding_applies: [Vec<Vec<Applies>>; 2],
    pub(super) deny_applies: [Vec<Vec<Applies>>; 2],
}

/// Compares what `principal` may do under `staging` and under `production`.
pub fn compare(staging: &Model, production: &Model, principal: &str) -> Comparison {
    Comparator::new(staging, production).compare(principal)
}

impl<'m> Comparator<'m> {
    /// Prepares two models; predefined roles are the same in both, custom roles are not.
    pub fn new(staging: &'m Model, production: &'m Model) -> Comparator<'m> {
        Comparator::with_shared_roles(staging, production, &|_| false)
    }

    /// Prepares two models, with the custom roles `shared` says are one object in both
    /// environments (an organization's role, or a role of a project both environments use):
    /// a definition given on one side serves both, and a missing definition hides no
    /// difference.
    pub fn with_shared_roles(
        staging: &'m Model,
        production: &'m Model,
        shared: &dyn Fn(&str) -> bool,
    ) -> Comparator<'m> {
        let mut atoms = Atoms::default();
        let stg = Compiled::new(staging, Some(production), shared, "staging: ", &mut atoms);
        let prd = Compiled::new(
            production,
            Some(staging),
            shared,
            "production: ",
            &mut atoms,
        );
        let mut universe = BTreeSet::new();
        for side in [&stg, &prd] {
            for b in &side.bindings {
                if let RoleRef::Known(role) = &b.role {
                    universe.extend(role.permissions.iter().cloned());
                }
            }
        }
        let universe: Vec<String> = universe.into_iter().collect();
        let index: BTreeMap<&str, usize> = universe
            .iter()
            .enumerate()
            .map(|(i, p)| (p.as_str(), i))
            .collect();
        let mut nodes = stg.nodes.clone();
        nodes.extend(prd.nodes.iter().cloned());
        let sides = [stg, prd];
        let role_bits = sides.each_ref().map(|s| {
            s.bindings
                .iter()
                .map(|b| match &b.role {
                    RoleRef::Known(role) => Bits::of(
                        universe.len(),
                        role.permissions
                            .iter()
                            .filter_map(|p| index.get(p.as_str()).copied()),
                    ),
                    RoleRef::Missing(_) => Bits::new(universe.len()),
                })
                .collect()
        });
        let deny_bits = sides.each_ref().map(|s| {
            s.denies
                .iter()
                .map(|d| {
                    let denied = universe.iter().enumerate().filter(|(_, p)| {
                        d.denied.matches(Some(p)) == Cond::Const(true)
                            && d.excepted.matches(Some(p)) == Cond::Const(false)
                    });
                    Bits::of(universe.len(), denied.map(|(i, _)| i))
                })
                .collect()
        });
        let node_list: Vec<String> = nodes.iter().cloned().collect();
        let mut binding_applies: [Vec<Vec<Applies>>; 2] = Default::default();
        let mut deny_applies: [Vec<Vec<Applies>>; 2] = Default::default();
        for (i, side) in sides.iter().enumerate() {
            for node in &node_list {
                let own = side.canon(node);
                let b = side
                    .bindings
                    .iter()
                    .map(|b| side.binding_applies(b, &own, &mut atoms))
                    .collect();
                let d = side
                    .denies
                    .iter()
                    .map(|d| side.applies(&d.node, &own, &mut atoms))
                    .collect();
                binding_applies[i].push(b);
                deny_applies[i].push(d);
            }
        }
        let space = Space::build(&atoms, nodes);
        Comparator {
            models: [staging, production],
            evaluators: [
                Evaluator::with_fallback(staging, Some(production), shared),
                Evaluator::with_fallback(production, Some(staging), shared),
            ],
            sides,
            atoms,
            space,
            universe,
            role_bits,
            deny_bits,
            binding_applies,
            deny_applies,
        }
    }

    /// Every member bound in either model (canonical, sorted).
    pub fn members(&self) -> BTreeSet<Member> {
        self.sides
            .iter()
            .flat_map(|s| s.bindings.iter().flat_map(|b| b.members.iter().cloned()))
            .collect()
    }

    /// Compares what `principal` may do on both sides.
    pub fn compare(&self, principal: &str) -> Comparison {
        let member = Member::parse(principal);
        let mut run = Run {
            cmp: self,
            principal,
            bindings: self.sides.each_ref().map(|s| {
                (0..s.bindings.len())
                    .filter(|i| {
                        s.bindings
                            .get(*i)
                            .is_some_and(|b| b.members.iter().any(|m| m.includes(&member)))
                    })
                    .collect()
            }),
            denies: self.sides.each_ref().map(|s| {
                (0..s.denies.len())
                    .filter(|i| s.denies.get(*i).is_some_and(|d| d.applies_to(&member)))
                    .collect()
            }),
            found: [false, false],
            witnesses: [Vec::new(), Vec::new()],
            seen: [BTreeSet::new(), BTreeSet::new()],
            unknown: BTreeSet::new(),
            steps: 0,
        };
        if run.bindings.iter().all(Vec::is_empty) {
            return run.finish();
        }
        if self.space.size() > CONTEXT_BUDGET {
            run.unknown.insert(format!(
                "the conditions cut the request space into more than {CONTEXT_BUDGET} parts"
            ));
            return run.finish();
        }
        for node in 0..self.space.nodes.len() {
            let live = |s: usize| {
                run.bindings[s].iter().any(|b| {
                    self.binding_applies[s]
                        .get(node)
                        .and_then(|row| row.get(*b))
                        .is_some_and(|a| *a != Applies::No)
                })
            };
            if !live(0) && !live(1) {
                continue;
            }
            for ctx in self.space.contexts_of(node) {
                run.context(&ctx);
                if run.steps > STEP_BUDGET {
                    run.unknown.insert(format!(
                        "the comparison needs more than {STEP_BUDGET} steps (too many open facts)"
                    ));
                    return run.finish();
                }
            }
        }
        run.finish()
    }

    /// The reason an open atom gives for `Unknown` (`None` for atoms that are open only
    /// together with a role without definition, the fact reported instead).
    pub(crate) fn describe(&self, atom: usize) -> Option<String> {
        match self.atoms.get(atom)? {
            Atom::Opaque(text) => Some(format!(
                "condition `{text}` is outside the supported fragment"
            )),
            Atom::Missing(text) => Some(text.clone()),
            Atom::Pattern(_) | Atom::Str { .. } | Atom::Time { .. } | Atom::Tag { .. } => None,
        }
    }
}

impl Comparator<'_> {
    /// The two models compared (staging first).
    pub fn models(&self) -> [&Model; 2] {
        self.models
    }
}
