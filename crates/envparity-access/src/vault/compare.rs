//! The exact comparison of two ACLs: rename staging's patterns into production's names,
//! partition the path space by both sides' keys, and for every class representative and
//! operation compare the requests each side's matched rule lets through. Every difference
//! becomes a witness request, re-checked by the concrete evaluator on the original (not
//! renamed) staging ACL; what the engine cannot decide (parameter rules it cannot separate,
//! settings the evaluator ignores, an inexact renaming) makes the verdict `Unknown`, never
//! `Equal`.

use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};

use serde::Serialize;
use serde_json::Value;

use super::acl::{Acl, Permissions};
use super::capability::{Capabilities, Capability, Operation};
use super::evaluate::{Request, allows, lookup};
use super::mapping::{PathMapping, renamed};
use super::partition::representatives;
use super::pattern::Predicate;
use super::policy::{KeyKind, one_line};
use super::sets::{Difference, difference};
use crate::Verdict;

/// Witnesses kept per direction; the verdict is computed from all differences.
pub const WITNESS_CAP: usize = 20;

/// Reasons for `Unknown` kept (the rest are counted).
const REASON_CAP: usize = 10;

/// A request allowed by one side and denied by the other.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Witness {
    /// In production's names.
    pub request: Request,
    /// The same request in staging's names.
    pub staging_request: Request,
}

/// The outcome of comparing two ACLs.
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

impl Comparison {
    fn undecided(reason: String) -> Comparison {
        Comparison {
            verdict: Verdict::Unknown,
            staging_only: Vec::new(),
            production_only: Vec::new(),
            unknown: vec![reason],
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
enum Direction {
    StagingOnly,
    ProductionOnly,
}

/// The matched rule of one side: its key (for messages and caching) and permissions.
type Matched<'a> = Option<(KeyKind, &'a str, &'a Permissions)>;

/// Compares what `staging` and `production` allow, staging's names translated by `mapping`.
pub fn compare(staging: &Acl, production: &Acl, mapping: &dyn PathMapping) -> Comparison {
    let (translated, mut unknown) = match renamed(staging, mapping) {
        Ok(pair) => pair,
        Err(e) => return Comparison::undecided(format!("staging: {e}")),
    };
    if translated.flavor != production.flavor {
        return Comparison::undecided("the two sides follow different server flavours".into());
    }
    if unknown.is_empty() && translated.same_rules(production) {
        return Comparison {
            verdict: Verdict::Equal,
            staging_only: Vec::new(),
            production_only: Vec::new(),
            unknown,
        };
    }
    let keys: BTreeSet<(KeyKind, &str)> = translated
        .keys()
        .chain(production.keys())
        .map(|(kind, key, _)| (kind, key))
        .collect();
    let predicates: Vec<Predicate> = keys
        .iter()
        .map(|(kind, key)| Predicate::new(*kind, key))
        .collect();
    let paths = match representatives(&predicates) {
        Ok(paths) => paths,
        Err(reason) => return Comparison::undecided(reason),
    };
    let root = root_permissions();
    let flavor = production.flavor;
    let mut cache: HashMap<(String, String, Operation, Direction), Difference> = HashMap::new();
    let mut reported: HashSet<(String, String, Operation, Direction)> = HashSet::new();
    let mut found: BTreeMap<Direction, Vec<Witness>> = BTreeMap::new();
    let mut proven = [false, false];
    for path in &paths {
        for &op in Operation::compared(flavor) {
            let s = matched(&translated, op, path, &root);
            let p = matched(production, op, path, &root);
            if let (Some((sk, skey, sp)), Some((pk, pkey, pp))) = (s, p)
                && granted(sp, op, flavor)
                && granted(pp, op, flavor)
                && sp.extras != pp.extras
            {
                unknown.push(format!(
                    "`{op}` under staging's `{}` and production's `{}`: settings the ACL evaluator does not decide differ ({})",
                    shown(sk, skey),
                    shown(pk, pkey),
                    extras_differing(sp, pp)
                ));
            }
            for (direction, a, b) in [
                (Direction::StagingOnly, s, p),
                (Direction::ProductionOnly, p, s),
            ] {
                let cache_key = (label(a), label(b), op, direction);
                let diff = cache
                    .entry(cache_key.clone())
                    .or_insert_with(|| difference(a.map(|m| m.2), b.map(|m| m.2), op, flavor))
                    .clone();
                match diff {
                    Difference::None => {}
                    Difference::Unknown(why) => {
                        if reported.insert(cache_key) {
                            unknown.push(format!(
                                "`{}` under staging's {} and production's {}: {why}",
                                one_line(path),
                                describe(s),
                                describe(p)
                            ));
                        }
                    }
                    Difference::Found(parameters, wrap_ttl) => {
                        let request = Request {
                            operation: op,
                            path: path.clone(),
                            parameters,
                            wrap_ttl,
                        };
                        let staging_request = to_staging(&request, mapping);
                        let holds = match direction {
                            Direction::StagingOnly => {
                                allows(staging, &staging_request) && !allows(production, &request)
                            }
                            Direction::ProductionOnly => {
                                allows(production, &request) && !allows(staging, &staging_request)
                            }
                        };
                        if holds {
                            proven[direction as usize] = true;
                            found.entry(direction).or_default().push(Witness {
                                request,
                                staging_request,
                            });
                        } else {
                            unknown.push(format!(
                                "`{op}` on `{}` differs only after renaming: staging decides `{}` otherwise",
                                one_line(&request.path),
                                one_line(&staging_request.path)
                            ));
                        }
                    }
                }
            }
        }
    }
    let [staging_found, production_found] = proven;
    let verdict = if unknown.is_empty() {
        Verdict::from_differences(staging_found, production_found)
    } else if staging_found && production_found {
        Verdict::Divergent
    } else {
        Verdict::Unknown
    };
    Comparison {
        verdict,
        staging_only: best(found.remove(&Direction::StagingOnly).unwrap_or_default()),
        production_only: best(found.remove(&Direction::ProductionOnly).unwrap_or_default()),
        unknown: capped(unknown),
    }
}

/// Everything: what the `root` policy grants, as one rule.
fn root_permissions() -> Permissions {
    let mut capabilities = Capabilities::empty();
    for c in Capability::ALL {
        if c != Capability::Deny {
            capabilities.insert(c);
        }
    }
    Permissions {
        capabilities,
        min_wrapping_ttl: Default::default(),
        max_wrapping_ttl: Default::default(),
        allowed_parameters: BTreeMap::new(),
        denied_parameters: BTreeMap::new(),
        required_parameters: Vec::new(),
        extras: BTreeMap::new(),
    }
}

fn matched<'a>(acl: &'a Acl, op: Operation, path: &str, root: &'a Permissions) -> Matched<'a> {
    if acl.root {
        return Some((KeyKind::Prefix, "", root));
    }
    lookup(acl, op, path)
}

fn granted(perms: &Permissions, op: Operation, flavor: super::capability::Flavor) -> bool {
    op.capability(flavor)
        .is_some_and(|c| perms.capabilities.contains(c))
}

fn label(m: Matched<'_>) -> String {
    match m {
        None => String::new(),
        Some((kind, key, _)) => format!("{kind:?}:{key}"),
    }
}

/// A key as written in a policy.
fn shown(kind: KeyKind, key: &str) -> String {
    match kind {
        KeyKind::Prefix => format!("{}*", one_line(key)),
        KeyKind::Exact | KeyKind::Segment => one_line(key),
    }
}

fn describe(m: Matched<'_>) -> String {
    match m {
        None => "no rule".to_string(),
        Some((kind, key, _)) => format!("`{}`", shown(kind, key)),
    }
}

fn extras_differing(a: &Permissions, b: &Permissions) -> String {
    let keys: BTreeSet<&String> = a.extras.keys().chain(b.extras.keys()).collect();
    let differing: Vec<String> = keys
        .into_iter()
        .filter(|k| a.extras.get(*k) != b.extras.get(*k))
        .map(|k| format!("`{k}`"))
        .collect();
    differing.join(", ")
}

/// The request in staging's names: the path and string parameter values translated back.
fn to_staging(request: &Request, mapping: &dyn PathMapping) -> Request {
    let parameters = request
        .parameters
        .iter()
        .map(|(k, v)| {
            let v = match v {
                Value::String(s) => Value::String(mapping.to_staging(s)),
                other => other.clone(),
            };
            (k.clone(), v)
        })
        .collect();
    Request {
        operation: request.operation,
        path: mapping.to_staging(&request.path),
        parameters,
        wrap_ttl: request.wrap_ttl,
    }
}

/// The most readable witnesses first: paths a person would send for the operation (no empty
/// segment, no trailing `/` except to list), shorter, then by name.
fn best(mut witnesses: Vec<Witness>) -> Vec<Witness> {
    let key = |w: &Witness| {
        let r = &w.request;
        let empty_segment = r.path.is_empty() || r.path.contains("//");
        let odd_slash = r.path.ends_with('/') != (r.operation == Operation::List);
        let parameters = serde_json::to_string(&r.parameters).unwrap_or_default();
        (
            empty_segment,
            odd_slash,
            r.path.len(),
            r.path.clone(),
            r.operation,
            parameters,
            r.wrap_ttl,
        )
    };
    witnesses.sort_by_cached_key(key);
    witnesses.truncate(WITNESS_CAP);
    witnesses
}

fn capped(mut reasons: Vec<String>) -> Vec<String> {
    reasons.sort();
    reasons.dedup();
    if reasons.len() > REASON_CAP {
        let more = reasons.len() - REASON_CAP;
        reasons.truncate(REASON_CAP);
        reasons.push(format!("and {more} more"));
    }
    reasons
}
