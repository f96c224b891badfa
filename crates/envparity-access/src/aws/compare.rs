//! The exact comparison of what two principals may do: collect every pattern and condition of
//! both sides, partition each dimension into atoms, walk the representative tuples some
//! identity `Allow` matches, and return the differences as witness requests, each re-checked
//! by the concrete evaluator. Anything outside the modelled fragment makes the verdict
//! `Unknown`, with the reason.

use std::collections::BTreeMap;

use serde::Serialize;

use super::atoms::{Atoms, KeyUse, KeyValue, Literals};
use super::catalog::ActionCatalog;
use super::condition::{self, Operator};
use super::evaluate::{
    ALWAYS_ALLOWED, Decision, PrincipalPolicies, Request, action_matches, evaluate,
    resource_matches,
};
use super::glob::{Pattern, Wild};
use super::policy::{Effect, Policy, Statement, Targets};
use super::template::Template;
use super::walk::{Entry, NODE_BUDGET, Role, Shape, Walk};
use crate::Verdict;

/// A concrete request allowed by one side and denied by the other.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
pub struct Witness {
    pub request: Request,
    /// The action is not in the action catalog (the engine made it up to stand for a class of
    /// actions no catalog action falls in).
    pub synthetic: bool,
}

/// The outcome of comparing two principals' policies.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Comparison {
    pub verdict: Verdict,
    /// Requests staging allows and production denies (at most `WITNESS_CAP`).
    pub staging_only: Vec<Witness>,
    /// Requests production allows and staging denies (at most `WITNESS_CAP`).
    pub production_only: Vec<Witness>,
    /// Why the verdict is `Unknown` (sorted, one line each); empty otherwise.
    pub unknown: Vec<String>,
}

const SIDES: [&str; 2] = ["staging", "production"];

/// The policies of one side with their role and a name for messages.
fn roles(policies: &PrincipalPolicies) -> Vec<(Role, &Policy, String)> {
    let mut out = Vec::new();
    for (i, p) in policies.identity.iter().enumerate() {
        out.push((Role::Identity, p, format!("identity policy {}", i + 1)));
    }
    if let Some(b) = &policies.boundary {
        out.push((Role::Boundary, b, "permission boundary".to_string()));
    }
    for (level, policies) in policies.scps.iter().enumerate() {
        for (i, p) in policies.iter().enumerate() {
            let name = format!("SCP {} of level {}", i + 1, level + 1);
            out.push((Role::Scp(level), p, name));
        }
    }
    out
}

/// Adds the statement's patterns and conditions; records what the model does not cover.
fn collect(
    statement: &Statement,
    variables: bool,
    at: &str,
    literals: &mut Literals,
    unknown: &mut Vec<String>,
) {
    let at = format!("{at}, {}", statement.label());
    if statement.principals.is_some() {
        unknown.push(format!(
            "{at}: `Principal`/`NotPrincipal` in a policy attached to the principal"
        ));
    }
    literals.actions.extend(
        statement
            .actions
            .patterns
            .iter()
            .map(|p| p.to_ascii_lowercase()),
    );
    let empty = BTreeMap::new();
    for p in statement.resources.iter().flat_map(|t| &t.patterns) {
        let template = Template::parse(p, variables);
        if let Some(var) = template.variables().next() {
            unknown.push(format!(
                "{at}: `Resource` uses the policy variable `${{{var}}}`"
            ));
        } else if let Some(chars) = template.resolve(&empty) {
            literals
                .resources
                .push(Pattern::new(&chars, Wild::Arn, false));
        }
    }
    for c in &statement.conditions {
        let Some(operator) = Operator::parse(&c.operator) else {
            unknown.push(format!(
                "{at}: condition operator `{}` is not supported",
                c.operator
            ));
            continue;
        };
        for v in &c.values {
            if let Some(var) = Template::parse(v, variables).variables().next() {
                unknown.push(format!(
                    "{at}: condition on `{}` uses the policy variable `${{{var}}}`",
                    c.key
                ));
            }
        }
        literals.conditions.push(KeyUse {
            key: c.key.clone(),
            variables,
            operator,
            values: c.values.clone(),
        });
    }
}

fn key_context(key: &str, value: &KeyValue) -> BTreeMap<String, Vec<String>> {
    let mut context = BTreeMap::new();
    if let KeyValue::Values(values) = value {
        context.insert(key.to_string(), values.clone());
    }
    context
}

/// Which representatives of each dimension the statement accepts.
fn masks(statement: &Statement, variables: bool, atoms: &Atoms) -> Vec<Vec<bool>> {
    let empty = BTreeMap::new();
    let mut masks = vec![
        atoms
            .actions
            .iter()
            .map(|r| action_matches(&statement.actions, &r.value))
            .collect(),
        atoms
            .resources
            .iter()
            .map(|r| resource_matches(statement.resources.as_ref(), variables, &r.value, &empty))
            .collect(),
    ];
    for dim in &atoms.keys {
        let conditions: Vec<_> = statement
            .conditions
            .iter()
            .filter(|c| c.key.eq_ignore_ascii_case(&dim.key))
            .collect();
        masks.push(
            dim.reps
                .iter()
                .map(|r| {
                    let context = key_context(&dim.key, &r.value);
                    conditions
                        .iter()
                        .all(|c| condition::holds(c, variables, &context))
                })
                .collect(),
        );
    }
    masks
}

/// Compares what `staging` and `production` allow, both already in one vocabulary.
pub fn compare(
    staging: &PrincipalPolicies,
    production: &PrincipalPolicies,
    catalog: &ActionCatalog,
) -> Comparison {
    let sides = [staging, production];
    let mut unknown = Vec::new();
    let mut literals = Literals::default();
    for (name, side) in SIDES.iter().zip(sides) {
        for (_, policy, at) in roles(side) {
            for s in &policy.statements {
                collect(
                    s,
                    policy.variables,
                    &format!("{name} {at}"),
                    &mut literals,
                    &mut unknown,
                );
            }
        }
    }
    // The always-allowed action is a class of its own, skipped by the walk.
    literals.actions.insert(ALWAYS_ALLOWED.to_ascii_lowercase());
    let atoms = Atoms::build(&literals, catalog, &mut unknown);
    let always = atoms
        .actions
        .iter()
        .position(|r| r.value.eq_ignore_ascii_case(ALWAYS_ALLOWED));
    let mut entries = Vec::new();
    for (index, side) in sides.iter().enumerate() {
        for (role, policy, _) in roles(side) {
            for s in &policy.statements {
                // A condition the evaluator cannot read never holds.
                if s.conditions
                    .iter()
                    .any(|c| Operator::parse(&c.operator).is_none())
                {
                    continue;
                }
                let entry = Entry::new(index, role, s.effect, masks(s, policy.variables, &atoms));
                if entry.matches_something() {
                    entries.push(entry);
                }
            }
        }
    }
    let mut counts = vec![atoms.actions.len(), atoms.resources.len()];
    counts.extend(atoms.keys.iter().map(|k| k.reps.len()));
    let shape = |p: &PrincipalPolicies| Shape {
        boundary: p.boundary.is_some(),
        levels: p.scps.len(),
    };
    let walk = Walk::run(
        &entries,
        counts,
        [shape(staging), shape(production)],
        always,
    );
    if walk.exhausted {
        unknown.push(format!(
            "the comparison needs more than {NODE_BUDGET} steps (too many interacting conditions)"
        ));
    }
    let [stg_tuples, prd_tuples] = &walk.tuples;
    let staging_only = confirmed(&atoms, stg_tuples, staging, production, &mut unknown);
    let production_only = confirmed(&atoms, prd_tuples, production, staging, &mut unknown);
    unknown.sort();
    unknown.dedup();
    let verdict = if unknown.is_empty() {
        Verdict::from_differences(walk.found[0], walk.found[1])
    } else {
        Verdict::Unknown
    };
    Comparison {
        verdict,
        staging_only,
        production_only,
        unknown,
    }
}

/// The requests of the tuples that `allowing` allows and `denying` does not.
fn confirmed(
    atoms: &Atoms,
    tuples: &[Vec<usize>],
    allowing: &PrincipalPolicies,
    denying: &PrincipalPolicies,
    unknown: &mut Vec<String>,
) -> Vec<Witness> {
    let mut out = Vec::new();
    for tuple in tuples {
        let Some(witness) = witness(atoms, tuple) else {
            continue;
        };
        let request = &witness.request;
        if evaluate(allowing, request) == Decision::Allow
            && evaluate(denying, request) != Decision::Allow
        {
            out.push(witness);
        } else {
            unknown.push("a difference found by the comparison was not confirmed".to_string());
        }
    }
    out
}

fn witness(atoms: &Atoms, tuple: &[usize]) -> Option<Witness> {
    let action = atoms.actions.get(*tuple.first()?)?;
    let resource = atoms.resources.get(*tuple.get(1)?)?;
    let mut context = BTreeMap::new();
    for (dim, rep) in atoms.keys.iter().zip(tuple.get(2..)?) {
        if let KeyValue::Values(values) = &dim.reps.get(*rep)?.value {
            context.insert(dim.key.clone(), values.clone());
        }
    }
    Some(Witness {
        request: Request {
            action: action.value.clone(),
            resource: resource.value.clone(),
            context,
        },
        synthetic: action.synthetic,
    })
}

/// Whether the principal may do everything: its policies allow exactly what one unconditioned
/// `Allow` of `Action: "*"` on `Resource: "*"` allows (so nothing is denied or conditioned).
pub fn admin_equivalent(policies: &PrincipalPolicies) -> bool {
    let all = |p: &str| Targets {
        negated: false,
        patterns: vec![p.to_string()],
    };
    let admin = PrincipalPolicies {
        identity: vec![Policy {
            variables: false,
            statements: vec![Statement {
                index: 1,
                sid: None,
                effect: Effect::Allow,
                actions: all("*"),
                resources: Some(all("*")),
                principals: None,
                conditions: Vec::new(),
            }],
        }],
        boundary: None,
        scps: Vec::new(),
    };
    compare(policies, &admin, &ActionCatalog::default()).verdict == Verdict::Equal
}
