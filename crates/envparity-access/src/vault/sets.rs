//! For one path class and operation: the requests one side's matched rule lets through and the
//! other's does not, over wrapping TTLs and parameters. Wrapping is decided exactly (the TTL
//! bounds cut the line into intervals; one candidate per interval). Parameters are decided
//! exactly only when both rules constrain them identically (or the other side not at all);
//! otherwise candidate data built from both rules' names and values is searched, and the
//! difference is `Unknown` when no candidate proves it.

use std::collections::{BTreeMap, BTreeSet};
use std::time::Duration;

use serde_json::Value;

use super::acl::Permissions;
use super::capability::{Flavor, Operation};
use super::evaluate::{Request, permits};

/// Candidate data maps tried at most per pair of rules.
const PARAMETER_CANDIDATES: usize = 2_000;

/// Requests the first side lets through and the second does not.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Difference {
    None,
    /// Parameters and wrapping TTL of one such request.
    Found(BTreeMap<String, Value>, Option<Duration>),
    Unknown(String),
}

/// The difference `a \ b` for operation `op`, `a` and `b` the permissions each side's lookup
/// matched (`None`: no rule).
pub fn difference(
    a: Option<&Permissions>,
    b: Option<&Permissions>,
    op: Operation,
    flavor: Flavor,
) -> Difference {
    let grants = |p: &&Permissions| {
        op.capability(flavor)
            .is_some_and(|c| p.capabilities.contains(c))
    };
    let Some(a) = a.filter(grants) else {
        return Difference::None;
    };
    let b = b.filter(grants);
    let try_request = |params: &BTreeMap<String, Value>, wrap: Option<Duration>| {
        let request = probe(op, params, wrap);
        permits(a, &request, flavor) && !b.is_some_and(|b| permits(b, &request, flavor))
    };
    let wraps = wrap_candidates(a, b);
    if op.capability_only() || !op.checks_parameters(flavor) {
        // Only the wrapping TTL can matter, and there is one candidate per interval.
        let empty = BTreeMap::new();
        return match wraps.iter().find(|w| try_request(&empty, **w)) {
            Some(w) => Difference::Found(empty, *w),
            None => Difference::None,
        };
    }
    let candidates = parameter_candidates(a, b);
    for params in &candidates {
        for w in &wraps {
            if try_request(params, *w) {
                return Difference::Found(params.clone(), *w);
            }
        }
    }
    if let Some(b) = b {
        if b.unconstrained() || a.same_constraints(b) {
            return Difference::None;
        }
        // Wrapping and parameters are checked independently, so with `b`'s parameter rules
        // accepting all that `a`'s accept, `a \ b` is `a`'s parameters times the TTLs `a`
        // accepts and `b` does not: some candidate of each would have been found, given
        // parameters `a` accepts.
        let accepted = candidates
            .iter()
            .any(|p| wraps.iter().any(|w| permits(a, &probe(op, p, *w), flavor)));
        if accepted && (b.parameters_unconstrained() || same_parameters(a, b)) {
            return Difference::None;
        }
        return Difference::Unknown(format!(
            "the parameter rules for `{op}` differ and no request was found that separates them"
        ));
    }
    Difference::Unknown(format!(
        "no request was found that the rule lets through for `{op}` (its parameter rules may exclude every request)"
    ))
}

fn probe(op: Operation, params: &BTreeMap<String, Value>, wrap: Option<Duration>) -> Request {
    Request {
        operation: op,
        path: String::new(),
        parameters: params.clone(),
        wrap_ttl: wrap,
    }
}

/// Same parameter rules, wrapping aside.
fn same_parameters(a: &Permissions, b: &Permissions) -> bool {
    let mut a = a.clone();
    a.min_wrapping_ttl = b.min_wrapping_ttl;
    a.max_wrapping_ttl = b.max_wrapping_ttl;
    a.same_constraints(b)
}

/// No wrapping, and one TTL inside every interval the bounds of both rules cut.
fn wrap_candidates(a: &Permissions, b: Option<&Permissions>) -> Vec<Option<Duration>> {
    let mut bounds: BTreeSet<i64> = BTreeSet::new();
    for p in std::iter::once(a).chain(b) {
        for t in [p.min_wrapping_ttl.0, p.max_wrapping_ttl.0] {
            if t > 0 {
                bounds.insert(t);
            }
        }
    }
    let mut points: BTreeSet<i64> = BTreeSet::from([1_000_000_000]);
    for t in &bounds {
        for delta in [0, 1_000_000_000, -1_000_000_000, 1, -1] {
            let point = t.saturating_add(delta);
            if point > 0 {
                points.insert(point);
            }
        }
    }
    let mut out = vec![None];
    // Whole seconds first: they read better in a witness.
    let (whole, odd): (Vec<i64>, Vec<i64>) =
        points.into_iter().partition(|p| p % 1_000_000_000 == 0);
    for p in whole.into_iter().chain(odd) {
        out.push(Some(Duration::from_nanos(u64::try_from(p).unwrap_or(0))));
    }
    out
}

/// Data maps to try: the first side's required parameters with values drawn from both rules'
/// values, optionally one more parameter named by either rule (or a fresh one).
fn parameter_candidates(a: &Permissions, b: Option<&Permissions>) -> Vec<BTreeMap<String, Value>> {
    let rules: Vec<&Permissions> = std::iter::once(a).chain(b).collect();
    let required: BTreeSet<String> = a
        .required_parameters
        .iter()
        .map(|r| r.to_lowercase())
        .collect();
    let mut names: BTreeSet<String> = BTreeSet::new();
    let mut values: Vec<Value> = Vec::new();
    for p in &rules {
        names.extend(p.allowed_parameters.keys().cloned());
        names.extend(p.denied_parameters.keys().cloned());
        names.extend(p.required_parameters.iter().map(|r| r.to_lowercase()));
        for v in p
            .allowed_parameters
            .values()
            .chain(p.denied_parameters.values())
            .flatten()
        {
            for candidate in value_candidates(v) {
                if !values.contains(&candidate) {
                    values.push(candidate);
                }
            }
        }
    }
    names.remove("*");
    let fresh = ["param", "param1", "param2"]
        .into_iter()
        .find(|n| !names.contains(*n))
        .unwrap_or("param3");
    names.insert(fresh.to_string());
    for v in [
        Value::String("example".into()),
        Value::String(String::new()),
        Value::Null,
    ] {
        if !values.contains(&v) {
            values.push(v);
        }
    }
    let mut bases: Vec<BTreeMap<String, Value>> = vec![BTreeMap::new()];
    for name in &required {
        let mut grown = Vec::new();
        for base in &bases {
            for v in &values {
                let mut next = base.clone();
                next.insert(name.clone(), v.clone());
                grown.push(next);
                if grown.len() >= PARAMETER_CANDIDATES / 4 {
                    break;
                }
            }
        }
        bases = grown;
    }
    let mut out = bases.clone();
    for base in bases.iter().take(8) {
        for name in names.iter().filter(|n| !required.contains(*n)) {
            for v in &values {
                if out.len() >= PARAMETER_CANDIDATES {
                    return out;
                }
                let mut next = base.clone();
                next.insert(name.clone(), v.clone());
                out.push(next);
            }
        }
    }
    out
}

/// Values that may sit on either side of a listed value: the value itself, and for a globbed
/// string its literal part, and that part extended.
fn value_candidates(v: &Value) -> Vec<Value> {
    let Value::String(s) = v else {
        return vec![v.clone()];
    };
    let stem = s.trim_start_matches('*').trim_end_matches('*');
    let mut out = vec![Value::String(s.clone())];
    if stem != s {
        out.push(Value::String(stem.to_string()));
        out.push(Value::String(format!("{stem}x")));
        out.push(Value::String(format!("x{stem}")));
    }
    out
}
