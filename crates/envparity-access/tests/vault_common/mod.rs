//! Helpers shared by the Vault engine tests: policies from JSON rule lists, requests, and a
//! brute-force reference comparison over a bounded universe of paths and parameters.

#![allow(dead_code)]

use std::collections::BTreeMap;
use std::time::Duration;

use envparity_access::Verdict;
use envparity_access::vault::{
    Acl, Flavor, Operation, PathMapping, Policy, Request, allows, parse_policy_json,
};
use serde_json::{Value, json};

/// A policy from `(pattern, rule body)` pairs (bodies as in the JSON policy format).
pub fn policy(name: &str, rules: &[(&str, Value)]) -> Policy {
    // One `path` mapping per rule, so that a pattern may repeat.
    let paths: Vec<Value> = rules
        .iter()
        .map(|(pattern, body)| {
            let mut one = serde_json::Map::new();
            one.insert((*pattern).to_string(), body.clone());
            Value::Object(one)
        })
        .collect();
    parse_policy_json(name, &json!({ "path": paths }))
        .unwrap_or_else(|e| panic!("policy `{name}` does not parse: {e}"))
}

pub fn acl(policies: &[Policy], flavor: Flavor) -> Acl {
    Acl::new(policies, flavor).expect("the ACL builds")
}

pub fn op(name: &str) -> Operation {
    Operation::parse(name).unwrap_or_else(|| panic!("unknown operation `{name}`"))
}

pub fn request(operation: &str, path: &str) -> Request {
    Request::new(op(operation), path)
}

/// A request with parameters (`name=value` with JSON values) and an optional wrapping TTL in
/// seconds.
pub fn request_with(
    operation: &str,
    path: &str,
    parameters: &[(&str, Value)],
    wrap_seconds: Option<u64>,
) -> Request {
    Request {
        operation: op(operation),
        path: path.to_string(),
        parameters: parameters
            .iter()
            .map(|(k, v)| ((*k).to_string(), v.clone()))
            .collect(),
        wrap_ttl: wrap_seconds.map(Duration::from_secs),
    }
}

/// Every string over `alphabet` of length at most `max_len` (no leading `/`).
pub fn paths(alphabet: &[char], max_len: usize) -> Vec<String> {
    let mut out = vec![String::new()];
    let mut frontier = vec![String::new()];
    for _ in 0..max_len {
        let mut next = Vec::new();
        for p in &frontier {
            for c in alphabet {
                if p.is_empty() && *c == '/' {
                    continue;
                }
                let mut q = p.clone();
                q.push(*c);
                next.push(q);
            }
        }
        out.extend(next.iter().cloned());
        frontier = next;
    }
    out
}

/// The reference comparison: every request of the universe, staging's in staging's names
/// (paths whose translation does not come back to them are left out).
pub struct Brute {
    pub staging_only: bool,
    pub production_only: bool,
}

impl Brute {
    pub fn verdict(&self) -> Verdict {
        Verdict::from_differences(self.staging_only, self.production_only)
    }
}

pub fn brute(
    staging: &Acl,
    production: &Acl,
    mapping: &dyn PathMapping,
    universe: &[String],
    data: &[BTreeMap<String, Value>],
    wraps: &[Option<Duration>],
) -> Brute {
    let mut out = Brute {
        staging_only: false,
        production_only: false,
    };
    // Paths the mapping translates back and forth: the others have no staging counterpart.
    let translated = universe
        .iter()
        .filter(|p| mapping.to_production(&mapping.to_staging(p)) == **p);
    for path in translated {
        for &operation in Operation::compared(production.flavor) {
            for parameters in data {
                for wrap_ttl in wraps {
                    let request = Request {
                        operation,
                        path: path.clone(),
                        parameters: parameters.clone(),
                        wrap_ttl: *wrap_ttl,
                    };
                    let staged = Request {
                        path: mapping.to_staging(path),
                        ..request.clone()
                    };
                    let (s, p) = (allows(staging, &staged), allows(production, &request));
                    out.staging_only |= s && !p;
                    out.production_only |= p && !s;
                }
            }
        }
    }
    out
}

/// Proptest strategies for generated policies.
pub mod strategies {
    use proptest::prelude::*;
    use proptest::sample::select;
    use serde_json::{Value, json};

    /// A path pattern of one to three segments from `segments`, maybe globbed, maybe with a
    /// leading `/`.
    pub fn pattern(segments: &'static [&'static str]) -> impl Strategy<Value = String> {
        (
            prop::collection::vec(select(segments), 1..=3),
            any::<bool>(),
            prop::bool::weighted(0.1),
        )
            .prop_map(|(segs, glob, slash)| {
                let mut p = segs.join("/");
                if glob && !p.ends_with('+') {
                    p.push('*');
                }
                if slash {
                    p.insert(0, '/');
                }
                p
            })
    }

    const CAPABILITIES: [&str; 8] = [
        "read", "list", "update", "create", "delete", "deny", "sudo", "patch",
    ];

    fn parameter_map() -> impl Strategy<Value = Option<Value>> {
        prop::option::weighted(
            0.3,
            prop::collection::btree_map(
                select(vec!["k1", "K2", "*"]),
                prop::collection::vec(select(vec!["v1", "v2", "v*", ""]), 0..=2),
                1..=2,
            )
            .prop_map(|m| json!(m)),
        )
    }

    /// A rule body; with `parameters`, also parameter and wrapping rules.
    pub fn body(parameters: bool) -> BoxedStrategy<Value> {
        let caps = prop::collection::vec(select(CAPABILITIES.to_vec()), 1..=3);
        if !parameters {
            return caps.prop_map(|c| json!({"capabilities": c})).boxed();
        }
        (
            caps,
            parameter_map(),
            parameter_map(),
            prop::option::weighted(0.2, Just(vec!["k1"])),
            prop::option::weighted(0.2, select(vec![100u64, 300])),
            prop::option::weighted(0.2, select(vec![300u64, 400])),
        )
            .prop_map(|(c, allowed, denied, required, min, max)| {
                let mut b = json!({"capabilities": c});
                if let Some(a) = allowed {
                    b["allowed_parameters"] = a;
                }
                if let Some(d) = denied {
                    b["denied_parameters"] = d;
                }
                if let Some(r) = required {
                    b["required_parameters"] = json!(r);
                }
                if let Some(m) = min {
                    b["min_wrapping_ttl"] = json!(m);
                }
                if let Some(m) = max.filter(|m| min.is_none_or(|n| n <= *m)) {
                    b["max_wrapping_ttl"] = json!(m);
                }
                b
            })
            .boxed()
    }

    /// One side: one or two policies of one to four rules.
    pub fn side(
        segments: &'static [&'static str],
        parameters: bool,
    ) -> impl Strategy<Value = Vec<Vec<(String, Value)>>> {
        prop::collection::vec(
            prop::collection::vec((pattern(segments), body(parameters)), 1..=4),
            1..=2,
        )
    }
}

/// The policies of a generated side.
pub fn build(side: &[Vec<(String, Value)>]) -> Vec<Policy> {
    side.iter()
        .enumerate()
        .map(|(i, rules)| {
            let rules: Vec<(&str, Value)> =
                rules.iter().map(|(p, b)| (p.as_str(), b.clone())).collect();
            policy(&format!("p{i}"), &rules)
        })
        .collect()
}

/// Paths derived from the patterns themselves, independently of the engine's partition: each
/// pattern with its `*` dropped and its `+` segments filled with `x` or nothing, every prefix
/// of that, and each extended by a few suffixes.
pub fn derived_paths(sides: &[&[Vec<(String, Value)>]]) -> Vec<String> {
    let mut out = std::collections::BTreeSet::new();
    for side in sides {
        for policy in side.iter() {
            for (pattern, _) in policy {
                let base = pattern.trim_start_matches('/').trim_end_matches('*');
                let segments: Vec<&str> = base.split('/').collect();
                let pluses = segments.iter().filter(|s| **s == "+").count();
                for mask in 0..(1u32 << pluses) {
                    let mut k = 0;
                    let filled: Vec<&str> = segments
                        .iter()
                        .map(|s| {
                            if *s == "+" {
                                k += 1;
                                if mask & (1 << (k - 1)) == 0 { "x" } else { "" }
                            } else {
                                s
                            }
                        })
                        .collect();
                    let full = filled.join("/");
                    let mut ends: Vec<usize> = full.char_indices().map(|(i, _)| i).collect();
                    ends.push(full.len());
                    for end in ends {
                        for suffix in ["", "x", "/", "/x", "a", "b/x", "x/"] {
                            out.insert(format!("{}{suffix}", &full[..end]));
                        }
                    }
                }
            }
        }
    }
    out.into_iter().filter(|p| !p.starts_with('/')).collect()
}
