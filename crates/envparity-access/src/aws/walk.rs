//! The walk over representative tuples: dimension by dimension, keeping the statements of both
//! sides that match the values chosen so far, choosing values only in dimensions some live
//! statement constrains, and exploring one value per distinct set of live statements. At a
//! leaf every completion is decided alike, so each side's decision is read off the live
//! statements.

use std::collections::BTreeSet;

use super::policy::Effect;

/// Witnesses kept per direction; the verdict is computed from all differences.
pub const WITNESS_CAP: usize = 20;

/// Search nodes visited before the comparison gives up.
pub(crate) const NODE_BUDGET: usize = 2_000_000;

/// Which part of a principal's policies a statement belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Role {
    Identity,
    Boundary,
    Scp(usize),
}

/// One statement of one side: which representatives of each dimension it accepts.
#[derive(Debug, Clone)]
pub(crate) struct Entry {
    /// 0 staging, 1 production.
    pub side: usize,
    pub role: Role,
    pub effect: Effect,
    pub masks: Vec<Vec<bool>>,
    /// `full[d]`: accepts every representative of dimension `d`.
    pub full: Vec<bool>,
}

impl Entry {
    pub(crate) fn new(side: usize, role: Role, effect: Effect, masks: Vec<Vec<bool>>) -> Entry {
        let full = masks.iter().map(|m| m.iter().all(|a| *a)).collect();
        Entry {
            side,
            role,
            effect,
            masks,
            full,
        }
    }

    pub(crate) fn matches_something(&self) -> bool {
        self.masks.iter().all(|m| m.iter().any(|a| *a))
    }

    fn accepts(&self, dim: usize, rep: usize) -> bool {
        self.masks
            .get(dim)
            .and_then(|m| m.get(rep))
            .copied()
            .unwrap_or(false)
    }
}

/// What a side has besides statements: a boundary, and how many SCP levels.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Shape {
    pub boundary: bool,
    pub levels: usize,
}

#[derive(Debug)]
pub(crate) struct Walk<'a> {
    entries: &'a [Entry],
    counts: Vec<usize>,
    shapes: [Shape; 2],
    always: Option<usize>,
    nodes: usize,
    pub exhausted: bool,
    /// A request allowed by side `i` and denied by the other exists.
    pub found: [bool; 2],
    /// Up to [`WITNESS_CAP`] tuples of representative indices per side.
    pub tuples: [Vec<Vec<usize>>; 2],
}

impl<'a> Walk<'a> {
    /// `always`: the action representative every principal is allowed (never a difference).
    pub(crate) fn run(
        entries: &'a [Entry],
        counts: Vec<usize>,
        shapes: [Shape; 2],
        always: Option<usize>,
    ) -> Walk<'a> {
        let mut walk = Walk {
            entries,
            counts,
            shapes,
            always,
            nodes: 0,
            exhausted: false,
            found: [false, false],
            tuples: [Vec::new(), Vec::new()],
        };
        let live: Vec<usize> = (0..entries.len()).collect();
        let mut chosen = vec![None; walk.counts.len()];
        walk.descend(&mut chosen, &live);
        walk
    }

    fn entry(&self, e: usize) -> Option<&'a Entry> {
        self.entries.get(e)
    }

    fn descend(&mut self, chosen: &mut Vec<Option<usize>>, live: &[usize]) {
        if self.exhausted {
            return;
        }
        self.nodes += 1;
        if self.nodes > NODE_BUDGET {
            self.exhausted = true;
            return;
        }
        let grants = live.iter().any(|e| {
            self.entry(*e)
                .is_some_and(|x| x.role == Role::Identity && x.effect == Effect::Allow)
        });
        if !grants || chosen.first().copied().flatten() == self.always && self.always.is_some() {
            return;
        }
        let next = (0..self.counts.len()).find(|d| {
            chosen.get(*d).is_some_and(Option::is_none)
                && live.iter().any(|e| {
                    self.entry(*e)
                        .is_some_and(|x| !x.full.get(*d).copied().unwrap_or(true))
                })
        });
        let Some(dim) = next else {
            self.leaf(chosen, live);
            return;
        };
        let mut explored: BTreeSet<Vec<usize>> = BTreeSet::new();
        for rep in 0..self.counts.get(dim).copied().unwrap_or(0) {
            let next_live: Vec<usize> = live
                .iter()
                .copied()
                .filter(|e| self.entry(*e).is_some_and(|x| x.accepts(dim, rep)))
                .collect();
            if !explored.insert(next_live.clone()) {
                continue;
            }
            if let Some(slot) = chosen.get_mut(dim) {
                *slot = Some(rep);
            }
            self.descend(chosen, &next_live);
            if let Some(slot) = chosen.get_mut(dim) {
                *slot = None;
            }
        }
    }

    fn allowed(&self, side: usize, live: &[usize]) -> bool {
        let mine = || {
            live.iter()
                .filter_map(|e| self.entry(*e))
                .filter(move |x| x.side == side)
        };
        let allows = |role: Role| mine().any(|x| x.role == role && x.effect == Effect::Allow);
        let shape = self.shapes.get(side).copied().unwrap_or(Shape {
            boundary: false,
            levels: 0,
        });
        !mine().any(|x| x.effect == Effect::Deny)
            && allows(Role::Identity)
            && (!shape.boundary || allows(Role::Boundary))
            && (0..shape.levels).all(|l| allows(Role::Scp(l)))
    }

    fn leaf(&mut self, chosen: &[Option<usize>], live: &[usize]) {
        let (stg, prd) = (self.allowed(0, live), self.allowed(1, live));
        if stg == prd {
            return;
        }
        let side = usize::from(prd);
        if let Some(found) = self.found.get_mut(side) {
            *found = true;
        }
        if let Some(list) = self.tuples.get_mut(side)
            && list.len() < WITNESS_CAP
        {
            // A free action takes its first representative that is not always allowed.
            let free_action = usize::from(self.always == Some(0));
            let mut tuple: Vec<usize> = chosen.iter().map(|c| c.unwrap_or(0)).collect();
            if let (Some(first), None) = (tuple.first_mut(), chosen.first().copied().flatten()) {
                *first = free_action;
            }
            list.push(tuple);
        }
    }
}
