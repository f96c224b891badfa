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
use super::compile::{Applies, CBinding, Compiled, RoleRef};
use super::condition::{Atom, Atoms, Cond};
use super::evaluate::Evaluator;
use super::member::Member;
use super::space::{Context, Shown, Space};
use super::types::{Decision, Model, Request};
use crate::Verdict;

/// Witnesses kept per direction; the verdict is computed from all differences.
pub const WITNESS_CAP: usize = 20;

/// Contexts of the partition beyond which the comparison gives up (`Unknown`).
pub const CONTEXT_BUDGET: u128 = 200_000;

/// Open facts one permission may depend on before the comparison gives up on it.
const OPEN_FACTS: usize = 12;

/// Decisions of single permissions under open facts before the comparison gives up.
const STEP_BUDGET: usize = 20_000_000;

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
    models: [&'m Model; 2],
    sides: [Compiled<'m>; 2],
    evaluators: [Evaluator<'m>; 2],
    atoms: Atoms,
    space: Space,
    /// Every permission of a known role bound on either side, sorted.
    universe: Vec<String>,
    /// Per side and binding: the permissions of its role (over `universe`).
    role_bits: [Vec<Bits>; 2],
    /// Per side and deny rule: the permissions it certainly denies (over `universe`).
    deny_bits: [Vec<Bits>; 2],
    /// Per side, node and binding / deny rule: whether it applies there.
    binding_applies: [Vec<Vec<Applies>>; 2],
    deny_applies: [Vec<Vec<Applies>>; 2],
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

    fn describe(&self, atom: usize) -> String {
        match self.atoms.get(atom) {
            Some(Atom::Opaque(text)) => {
                format!("condition `{text}` is outside the supported fragment")
            }
            Some(Atom::Missing(text)) => text.clone(),
            _ => "a condition could not be decided".to_string(),
        }
    }
}

/// The state of one principal's comparison.
struct Run<'c, 'm> {
    cmp: &'c Comparator<'m>,
    principal: &'c str,
    /// Per side: the bindings and deny rules that concern the principal.
    bindings: [Vec<usize>; 2],
    denies: [Vec<usize>; 2],
    found: [bool; 2],
    witnesses: [Vec<Witness>; 2],
    seen: [BTreeSet<String>; 2],
    unknown: BTreeSet<String>,
    steps: usize,
}

/// A binding or deny rule live in one context, with what is left of its condition.
struct Live {
    index: usize,
    cond: Cond,
}

impl Run<'_, '_> {
    fn live(&self, side: usize, ctx: &Context, deny: bool) -> Vec<Live> {
        let (indices, applies) = if deny {
            (&self.denies[side], &self.cmp.deny_applies[side])
        } else {
            (&self.bindings[side], &self.cmp.binding_applies[side])
        };
        let compiled = &self.cmp.sides[side];
        let value = |a: usize| self.cmp.space.value(a, ctx);
        let mut out = Vec::new();
        for &index in indices {
            let Some(at) = applies.get(ctx.node).and_then(|row| row.get(index)) else {
                continue;
            };
            let own = if deny {
                compiled.denies.get(index).map(|d| d.cond.clone())
            } else {
                compiled.bindings.get(index).map(|b| b.cond.clone())
            };
            let Some(own) = own else { continue };
            let cond = Cond::And(vec![at.cond(), own]).partial(&value);
            if cond != Cond::Const(false) {
                out.push(Live { index, cond });
            }
        }
        out
    }

    fn context(&mut self, ctx: &Context) {
        let grants = [self.live(0, ctx, false), self.live(1, ctx, false)];
        if grants.iter().all(Vec::is_empty) {
            return;
        }
        let denies = [self.live(0, ctx, true), self.live(1, ctx, true)];
        if self.identical(&grants, &denies) {
            return;
        }
        let sides = &self.cmp.sides;
        let settled = (0..2).all(|s| {
            grants[s].iter().all(|g| {
                g.cond == Cond::Const(true)
                    && matches!(
                        sides[s].bindings.get(g.index).map(|b| &b.role),
                        Some(RoleRef::Known(_))
                    )
            }) && denies[s].iter().all(|d| {
                d.cond == Cond::Const(true)
                    && sides[s]
                        .denies
                        .get(d.index)
                        .is_some_and(|r| r.denied.maybe.is_none() && r.excepted.maybe.is_none())
            })
        });
        if settled {
            self.settled(ctx, &grants, &denies);
        } else {
            self.open(ctx, &grants, &denies);
        }
    }

    /// Both sides hold the same live grants (same role with the same permissions, or the
    /// same missing role; the same remaining condition) and the same live deny rules: every
    /// permission is decided alike, whatever the open facts.
    fn identical(&self, grants: &[Vec<Live>; 2], denies: &[Vec<Live>; 2]) -> bool {
        let grant_keys = |s: usize| {
            let mut keys: Vec<(String, Option<&Bits>, String)> = grants[s]
                .iter()
                .filter_map(|g| {
                    let b = self.cmp.sides[s].bindings.get(g.index)?;
                    let bits = match b.role {
                        RoleRef::Known(_) => Some(self.cmp.role_bits[s].get(g.index)?),
                        RoleRef::Missing(_) => None,
                    };
                    let role = match b.role {
                        RoleRef::Known(_) => b.role_name.clone(),
                        RoleRef::Missing(atom) => format!("{atom}"),
                    };
                    Some((role, bits, format!("{:?}", g.cond)))
                })
                .collect();
            keys.sort();
            keys
        };
        let deny_keys = |s: usize| {
            let mut keys: Vec<String> = denies[s]
                .iter()
                .filter_map(|d| {
                    let rule = self.cmp.sides[s].denies.get(d.index)?;
                    Some(format!(
                        "{:?}|{:?}|{:?}",
                        rule.denied, rule.excepted, d.cond
                    ))
                })
                .collect();
            keys.sort();
            keys
        };
        grant_keys(0) == grant_keys(1) && deny_keys(0) == deny_keys(1)
    }

    /// Every condition decided and every role known: set arithmetic.
    fn settled(&mut self, ctx: &Context, grants: &[Vec<Live>; 2], denies: &[Vec<Live>; 2]) {
        let n = self.cmp.universe.len();
        let effective: [Bits; 2] = [0, 1].map(|s| {
            let mut allowed = Bits::new(n);
            for g in &grants[s] {
                if let Some(bits) = self.cmp.role_bits[s].get(g.index) {
                    allowed.or(bits);
                }
            }
            for d in &denies[s] {
                if let Some(bits) = self.cmp.deny_bits[s].get(d.index) {
                    allowed.minus(bits);
                }
            }
            allowed
        });
        for side in 0..2 {
            let mut only = effective[side].clone();
            only.minus(&effective[1 - side]);
            for p in only.ones() {
                self.found[side] = true;
                self.offer(side, p, ctx, grants, denies);
            }
        }
    }

    /// Some fact open: each permission decided under every assignment of its open facts.
    fn open(&mut self, ctx: &Context, grants: &[Vec<Live>; 2], denies: &[Vec<Live>; 2]) {
        let sides = &self.cmp.sides;
        let any_missing_role = (0..2).any(|s| {
            grants[s].iter().any(|g| {
                matches!(
                    sides[s].bindings.get(g.index).map(|b| &b.role),
                    Some(RoleRef::Missing(_))
                )
            })
        });
        let mut candidates = Bits::new(self.cmp.universe.len());
        for (live, bits) in grants.iter().zip(&self.cmp.role_bits) {
            for g in live {
                if let Some(bits) = bits.get(g.index) {
                    candidates.or(bits);
                }
            }
        }
        let mut permissions: Vec<Option<usize>> = if any_missing_role {
            (0..self.cmp.universe.len()).map(Some).collect()
        } else {
            candidates.ones().map(Some).collect()
        };
        if any_missing_role {
            permissions.push(None);
        }
        for p in permissions {
            let name = p.and_then(|i| self.cmp.universe.get(i)).map(String::as_str);
            let effect: [Cond; 2] = [0, 1].map(|s| {
                let allow = grants[s].iter().filter_map(|g| {
                    let b: &CBinding<'_> = sides[s].bindings.get(g.index)?;
                    Some(Cond::And(vec![g.cond.clone(), b.grants(name)]))
                });
                let deny = denies[s].iter().filter_map(|d| {
                    let rule = sides[s].denies.get(d.index)?;
                    Some(Cond::And(vec![d.cond.clone(), rule.denies(name)]))
                });
                let allow = Cond::Or(allow.collect());
                let deny = Cond::Or(deny.collect());
                Cond::And(vec![allow, Cond::Not(Box::new(deny))]).partial(&|_| None)
            });
            if effect[0] == effect[1] {
                continue;
            }
            let mut open = Vec::new();
            effect[0].atoms(&mut open);
            effect[1].atoms(&mut open);
            open.sort_unstable();
            open.dedup();
            if open.len() > OPEN_FACTS {
                self.unknown_from(&open);
                continue;
            }
            let (mut differs, mut always) = (false, [true, true]);
            for assignment in 0u32..(1u32 << open.len()) {
                self.steps += 1;
                let value = |a: usize| {
                    open.iter()
                        .position(|o| *o == a)
                        .map(|bit| assignment & (1 << bit) != 0)
                };
                let v = [effect[0].eval(&value), effect[1].eval(&value)];
                if v[0] != v[1] {
                    differs = true;
                }
                for side in 0..2 {
                    always[side] &= v[side] == Some(true) && v[1 - side] == Some(false);
                }
            }
            if !differs {
                continue;
            }
            match (p, always) {
                (Some(p), [true, _]) => {
                    self.found[0] = true;
                    self.offer(0, p, ctx, grants, denies);
                }
                (Some(p), [_, true]) => {
                    self.found[1] = true;
                    self.offer(1, p, ctx, grants, denies);
                }
                _ => self.unknown_from(&open),
            }
        }
    }

    fn unknown_from(&mut self, atoms: &[usize]) {
        for a in atoms {
            self.unknown.insert(self.cmp.describe(*a));
        }
    }

    /// Keeps a witness for permission `p` allowed by `side` in `ctx` (one per permission, up
    /// to the cap), confirmed by the concrete evaluator on both sides.
    fn offer(
        &mut self,
        side: usize,
        p: usize,
        ctx: &Context,
        grants: &[Vec<Live>; 2],
        denies: &[Vec<Live>; 2],
    ) {
        let Some(permission) = self.cmp.universe.get(p) else {
            return;
        };
        if self.witnesses[side].len() >= WITNESS_CAP || self.seen[side].contains(permission) {
            return;
        }
        let (request, shown) = self.cmp.space.request(ctx, self.principal, permission);
        let allowed = self.cmp.evaluators[side].evaluate(&request) == Decision::Allowed;
        let denied = self.cmp.evaluators[1 - side].evaluate(&request) == Decision::Denied;
        if !(allowed && denied) {
            self.unknown.insert(
                "a difference found by the comparison was not confirmed by the evaluator"
                    .to_string(),
            );
            return;
        }
        self.seen[side].insert(permission.clone());
        let sides = &self.cmp.sides;
        let granted_by = grants[side]
            .iter()
            .filter_map(|g| sides[side].bindings.get(g.index))
            .filter(|b| b.grants(Some(permission)) == Cond::Const(true))
            .map(|b| b.origin)
            .collect();
        let other = 1 - side;
        let denied_by = denies[other]
            .iter()
            .filter_map(|d| sides[other].denies.get(d.index))
            .filter(|r| r.denies(Some(permission)).partial(&|_| None) == Cond::Const(true))
            .filter_map(|r| r.origin)
            .collect();
        self.witnesses[side].push(Witness {
            request,
            shown,
            granted_by,
            denied_by,
        });
    }

    fn finish(self) -> Comparison {
        let unknown: Vec<String> = self.unknown.into_iter().collect();
        let verdict = if unknown.is_empty() {
            Verdict::from_differences(self.found[0], self.found[1])
        } else {
            Verdict::Unknown
        };
        let [staging_only, production_only] = self.witnesses;
        Comparison {
            verdict,
            staging_only,
            production_only,
            unknown,
        }
    }
}

impl Comparator<'_> {
    /// The two models compared (staging first).
    pub fn models(&self) -> [&Model; 2] {
        self.models
    }
}
