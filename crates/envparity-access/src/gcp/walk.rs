//! The walk of one principal's comparison over the contexts of the partition: the bindings
//! and deny rules live in each context, set arithmetic where every fact is decided, every
//! assignment of the open facts otherwise, and the witnesses kept (confirmed by the
//! evaluator).

use std::collections::BTreeSet;

use super::bits::Bits;
use super::compare::{Comparator, Comparison, WITNESS_CAP, Witness};
use super::compile::{CBinding, RoleRef};
use super::condition::Cond;
use super::space::Context;
use super::types::Decision;
use crate::Verdict;

/// Open facts one permission may depend on before the comparison gives up on it.
const OPEN_FACTS: usize = 12;

/// The state of one principal's comparison.
pub(super) struct Run<'c, 'm> {
    pub cmp: &'c Comparator<'m>,
    pub principal: &'c str,
    /// Per side: the bindings and deny rules that concern the principal.
    pub bindings: [Vec<usize>; 2],
    pub denies: [Vec<usize>; 2],
    pub found: [bool; 2],
    pub witnesses: [Vec<Witness>; 2],
    pub seen: [BTreeSet<String>; 2],
    pub unknown: BTreeSet<String>,
    pub steps: usize,
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

    pub fn context(&mut self, ctx: &Context) {
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
                    Some(Cond::And(vec![d.cond.clone(), rule.covers(name)]))
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
        let reasons: Vec<String> = atoms.iter().filter_map(|a| self.cmp.describe(*a)).collect();
        if reasons.is_empty() {
            self.unknown
                .insert("a difference depends on facts the inputs do not settle".to_string());
        }
        self.unknown.extend(reasons);
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
            .filter(|g| g.cond == Cond::Const(true))
            .filter_map(|g| sides[side].bindings.get(g.index))
            .filter(|b| b.grants(Some(permission)) == Cond::Const(true))
            .map(|b| b.origin)
            .collect();
        let other = 1 - side;
        let denied_by = denies[other]
            .iter()
            .filter(|d| d.cond == Cond::Const(true))
            .filter_map(|d| sides[other].denies.get(d.index))
            .filter(|r| r.covers(Some(permission)).partial(&|_| None) == Cond::Const(true))
            .filter_map(|r| r.origin)
            .collect();
        self.witnesses[side].push(Witness {
            request,
            shown,
            granted_by,
            denied_by,
        });
    }

    pub fn finish(self) -> Comparison {
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
