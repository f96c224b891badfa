//! The concrete evaluator, written plainly after IAM's documented order: deny policies of
//! the resource and its ancestors first (a denied permission is denied unless the principal
//! is an exception or the permission is excepted, and only when the denial condition holds),
//! then the allow bindings of the resource and its ancestors (a binding grants its role's
//! permissions to its members when its condition holds). It is the oracle every witness of
//! the comparison is re-checked against.

use super::compile::{Applies, Compiled};
use super::condition::{Atoms, Cond, atom_holds};
use super::member::Member;
use super::types::{Decision, Model, Request};

/// A model prepared once for many requests.
#[derive(Debug)]
pub struct Evaluator<'m> {
    compiled: Compiled<'m>,
    atoms: Atoms,
}

impl<'m> Evaluator<'m> {
    pub fn new(model: &'m Model) -> Evaluator<'m> {
        Evaluator::with_fallback(model, None, &|_| false)
    }

    /// An evaluator that looks roles missing from `model` up in `fallback` when they are the
    /// same object in both (predefined roles, and custom roles `shared` says are).
    pub fn with_fallback(
        model: &'m Model,
        fallback: Option<&'m Model>,
        shared: &dyn Fn(&str) -> bool,
    ) -> Evaluator<'m> {
        let mut atoms = Atoms::default();
        let compiled = Compiled::new(model, fallback, shared, "", &mut atoms);
        Evaluator { compiled, atoms }
    }

    pub fn evaluate(&self, request: &Request) -> Decision {
        let principal = Member::parse(&request.principal);
        let node = self.compiled.canon(&request.resource.node);
        let permission = Some(request.permission.as_str());
        // Attachment questions intern atoms; a scratch copy keeps `evaluate` read-only.
        let mut atoms = self.atoms.clone();
        let mut denials = Vec::new();
        for rule in &self.compiled.denies {
            if !rule.applies_to(&principal) {
                continue;
            }
            let applies = self.compiled.applies(&rule.node, &node, &mut atoms);
            if applies == Applies::No {
                continue;
            }
            denials.push(Cond::And(vec![applies.cond(), rule.denies(permission)]));
        }
        let mut grants = Vec::new();
        for binding in &self.compiled.bindings {
            if !binding.members.iter().any(|m| m.includes(&principal)) {
                continue;
            }
            let applies = self.compiled.binding_applies(binding, &node, &mut atoms);
            if applies == Applies::No {
                continue;
            }
            grants.push(Cond::And(vec![
                applies.cond(),
                binding.cond.clone(),
                binding.grants(permission),
            ]));
        }
        let value = |i: usize| atoms.get(i).and_then(|a| atom_holds(a, request));
        let denied = Cond::Or(denials).eval(&value);
        let allowed = Cond::Or(grants).eval(&value);
        match (denied, allowed) {
            (Some(true), _) | (_, Some(false)) => Decision::Denied,
            (Some(false), Some(true)) => Decision::Allowed,
            _ => Decision::Unknown,
        }
    }
}

/// The decision for one request.
pub fn evaluate(model: &Model, request: &Request) -> Decision {
    Evaluator::new(model).evaluate(request)
}

/// Whether `request` is certainly allowed.
pub fn allows(model: &Model, request: &Request) -> bool {
    evaluate(model, request) == Decision::Allowed
}
