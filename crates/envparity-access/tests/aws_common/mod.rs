//! Shared by the AWS tests: builders for policies and requests, a deliberately simple second
//! evaluator (recursive wildcard matching, conditions written out operator by operator), and
//! proptest strategies drawing policies from small pools.
#![allow(dead_code)]

use std::collections::BTreeMap;
use std::net::IpAddr;

use envparity_access::aws::{Policy, PrincipalPolicies, Request, parse_policy};
use proptest::prelude::*;
use proptest::sample::select;
use serde_json::{Value, json};

pub fn policy(doc: Value) -> Policy {
    parse_policy(&doc).unwrap_or_else(|e| panic!("{e}"))
}

/// A 2012-10-17 policy of the given statements.
pub fn statements(list: Vec<Value>) -> Policy {
    policy(json!({"Version": "2012-10-17", "Statement": list}))
}

pub fn identity(list: Vec<Value>) -> PrincipalPolicies {
    PrincipalPolicies {
        identity: vec![statements(list)],
        boundary: None,
        scps: Vec::new(),
    }
}

pub fn req(action: &str, resource: &str, context: &[(&str, &[&str])]) -> Request {
    Request {
        action: action.to_string(),
        resource: resource.to_string(),
        context: context
            .iter()
            .map(|(k, vs)| (k.to_string(), vs.iter().map(|v| v.to_string()).collect()))
            .collect(),
    }
}

// ---- the reference evaluator ----------------------------------------------------------------

/// `*`/`?` wildcard match by recursion; `colon_rule`: ARN segments (`?` and inner `*` do not
/// match `:`, a `*` before `:` or at the end does).
fn wild(p: &[char], t: &[char], colon_rule: bool) -> bool {
    match p.split_first() {
        None => t.is_empty(),
        Some(('*', rest)) => {
            let crosses = !colon_rule || rest.first().is_none_or(|c| *c == ':');
            wild(rest, t, colon_rule)
                || t.split_first()
                    .is_some_and(|(c, tail)| (crosses || *c != ':') && wild(p, tail, colon_rule))
        }
        Some(('?', rest)) => t
            .split_first()
            .is_some_and(|(c, tail)| (!colon_rule || *c != ':') && wild(rest, tail, colon_rule)),
        Some((c, rest)) => t
            .split_first()
            .is_some_and(|(x, tail)| x == c && wild(rest, tail, colon_rule)),
    }
}

fn chars(s: &str) -> Vec<char> {
    s.chars().collect()
}

fn strings(v: &Value) -> Vec<String> {
    match v {
        Value::Array(items) => items.iter().flat_map(strings).collect(),
        Value::String(s) => vec![s.clone()],
        Value::Bool(b) => vec![b.to_string()],
        Value::Number(n) => vec![n.to_string()],
        _ => Vec::new(),
    }
}

fn get<'a>(ctx: &'a BTreeMap<String, Vec<String>>, key: &str) -> Option<&'a Vec<String>> {
    ctx.iter()
        .find(|(k, _)| k.to_lowercase() == key.to_lowercase())
        .map(|(_, v)| v)
}

/// One value against one policy value under a base operator; `None`: wrong type.
fn base_match(base: &str, value: &str, policy: &str) -> Option<bool> {
    let num = |s: &str| s.parse::<f64>().ok().filter(|n| n.is_finite());
    let ip = |s: &str| s.parse::<IpAddr>().ok();
    Some(match base {
        "stringequals" => value == policy,
        "stringequalsignorecase" => value.to_lowercase() == policy.to_lowercase(),
        "stringlike" => wild(&chars(policy), &chars(value), false),
        "arnlike" | "arnequals" => wild(&chars(policy), &chars(value), true),
        "numericlessthan" => num(value)? < num(policy)?,
        "numericgreaterthanequals" => num(value)? >= num(policy)?,
        "numericequals" => num(value)? == num(policy)?,
        "bool" => {
            value.to_lowercase() == policy.to_lowercase()
                && ["true", "false"].contains(&value.to_lowercase().as_str())
        }
        "ipaddress" => {
            let addr = ip(value)?;
            let (net, bits) = policy.split_once('/')?;
            let (net, bits): (IpAddr, u32) = (net.parse().ok()?, bits.parse().ok()?);
            match (addr, net) {
                (IpAddr::V4(a), IpAddr::V4(n)) => {
                    let mask = if bits == 0 {
                        0
                    } else {
                        u32::MAX << (32 - bits)
                    };
                    u32::from(a) & mask == u32::from(n) & mask
                }
                (IpAddr::V6(a), IpAddr::V6(n)) => {
                    let mask = if bits == 0 {
                        0
                    } else {
                        u128::MAX << (128 - bits)
                    };
                    u128::from(a) & mask == u128::from(n) & mask
                }
                _ => false,
            }
        }
        _ => return None,
    })
}

fn negation(base: &str) -> Option<&'static str> {
    Some(match base {
        "stringnotequals" => "stringequals",
        "stringnotequalsignorecase" => "stringequalsignorecase",
        "stringnotlike" => "stringlike",
        "arnnotlike" => "arnlike",
        "notipaddress" => "ipaddress",
        "numericnotequals" => "numericequals",
        _ => return None,
    })
}

/// One value against all policy values: positive operators OR, negated ones NOR; wrong type
/// is false either way.
fn single(op: &str, value: &str, policy: &[String]) -> bool {
    let (base, negated) = match negation(op) {
        Some(b) => (b, true),
        None => (op, false),
    };
    let results: Vec<Option<bool>> = policy.iter().map(|p| base_match(base, value, p)).collect();
    if base == "ipaddress" || base.starts_with("numeric") {
        let typed = match base {
            "ipaddress" => value.parse::<IpAddr>().is_ok(),
            _ => value.parse::<f64>().is_ok_and(|n| n.is_finite()),
        };
        if !typed {
            return false;
        }
    }
    let any = results.contains(&Some(true));
    if negated { !any } else { any }
}

fn condition(op: &str, key: &str, policy: &[String], ctx: &BTreeMap<String, Vec<String>>) -> bool {
    let lower = op.to_lowercase();
    let value = get(ctx, key);
    if lower == "null" {
        return policy.iter().any(|p| (p == "true") == value.is_none());
    }
    let (set, rest) = match lower.split_once(':') {
        Some((q, r)) => (Some(q.to_string()), r.to_string()),
        None => (None, lower.clone()),
    };
    let (base, if_exists) = match rest.strip_suffix("ifexists") {
        Some(b) => (b.to_string(), true),
        None => (rest, false),
    };
    let negated = negation(&base).is_some();
    match (set.as_deref(), value) {
        (None, None) => if_exists || negated,
        (None, Some(v)) if v.len() == 1 => single(&base, &v[0], policy),
        (None, Some(_)) => false,
        (Some("forallvalues"), None) => true,
        (Some("forallvalues"), Some(v)) => v.iter().all(|x| single(&base, x, policy)),
        (Some(_), None) => if_exists,
        (Some(_), Some(v)) => v.iter().any(|x| single(&base, x, policy)),
    }
}

/// A statement's verdict on a request: `Some(effect)` when it applies. Works on the JSON.
fn statement_applies(s: &Value, r: &Request) -> bool {
    let list = |k: &str| s.get(k).map(strings);
    let action_hit = |ps: Vec<String>| {
        ps.iter().any(|p| {
            wild(
                &chars(&p.to_lowercase()),
                &chars(&r.action.to_lowercase()),
                false,
            )
        })
    };
    let resource_hit = |ps: Vec<String>| {
        ps.iter()
            .any(|p| wild(&chars(p), &chars(&r.resource), true))
    };
    let action = match (list("Action"), list("NotAction")) {
        (Some(ps), _) => action_hit(ps),
        (_, Some(ps)) => !action_hit(ps),
        _ => false,
    };
    let resource = match (list("Resource"), list("NotResource")) {
        (Some(ps), _) => resource_hit(ps),
        (_, Some(ps)) => !resource_hit(ps),
        _ => true,
    };
    let conditions = match s.get("Condition").and_then(Value::as_object) {
        None => true,
        Some(block) => block.iter().all(|(op, entries)| {
            entries.as_object().is_some_and(|m| {
                m.iter()
                    .all(|(key, vals)| condition(op, key, &strings(vals), &r.context))
            })
        }),
    };
    action && resource && conditions
}

/// Statement JSON lists of one side: identity, optional boundary, SCP levels.
#[derive(Debug, Clone)]
pub struct Side {
    pub identity: Vec<Vec<Value>>,
    pub boundary: Option<Vec<Value>>,
    pub scps: Vec<Vec<Vec<Value>>>,
}

impl Side {
    pub fn policies(&self) -> PrincipalPolicies {
        PrincipalPolicies {
            identity: self
                .identity
                .iter()
                .map(|s| statements(s.clone()))
                .collect(),
            boundary: self.boundary.as_ref().map(|s| statements(s.clone())),
            scps: self
                .scps
                .iter()
                .map(|level| level.iter().map(|s| statements(s.clone())).collect())
                .collect(),
        }
    }

    /// The reference decision: is the request allowed?
    pub fn allows(&self, r: &Request) -> bool {
        if r.action.to_lowercase() == "sts:getcalleridentity" {
            return true;
        }
        let all = self
            .identity
            .iter()
            .chain(self.boundary.iter())
            .chain(self.scps.iter().flatten())
            .flatten();
        let effect = |s: &Value, e: &str| s.get("Effect").and_then(Value::as_str) == Some(e);
        if all
            .clone()
            .any(|s| effect(s, "Deny") && statement_applies(s, r))
        {
            return false;
        }
        let allows = |ss: &[Value]| {
            ss.iter()
                .any(|s| effect(s, "Allow") && statement_applies(s, r))
        };
        self.identity.iter().any(|p| allows(p))
            && self.boundary.as_ref().is_none_or(|b| allows(b))
            && self
                .scps
                .iter()
                .all(|level| level.iter().any(|p| allows(p)))
    }
}

// ---- strategies ---------------------------------------------------------------------------

pub const ACTIONS: &[&str] = &[
    "s3:GetObject",
    "s3:Get*",
    "s3:*",
    "*",
    "s3:PutObject",
    "ec2:*Instances",
    "ec2:DescribeInstances",
    "s3:?etObject",
    "S3:getobject",
    "iam:*",
    "s3:*Object",
];
pub const RESOURCES: &[&str] = &[
    "*",
    "arn:aws:s3:::bucket/*",
    "arn:aws:s3:::bucket/a*",
    "arn:aws:s3:::b?cket/*",
    "arn:aws:s3:::bucket",
    "arn:aws:iam::*:role/x",
    "arn:aws:iam::111:role/*",
    "arn:aws:s3:::*",
    "arn:aws:s3:::bucket/a*b",
];

/// (operator, key, values) of the condition pool; one value type per key.
pub fn condition_pool() -> Vec<(&'static str, &'static str, Value)> {
    vec![
        ("StringEquals", "aws:PrincipalTag/team", json!("a")),
        ("StringEquals", "aws:PrincipalTag/team", json!(["a", "b"])),
        ("StringLike", "aws:PrincipalTag/team", json!("a*")),
        ("StringLike", "aws:PrincipalTag/team", json!("?")),
        ("StringNotEquals", "aws:PrincipalTag/team", json!("b")),
        ("StringEqualsIfExists", "aws:PrincipalTag/team", json!("a")),
        (
            "StringEqualsIgnoreCase",
            "aws:PrincipalTag/Team",
            json!("A"),
        ),
        (
            "ForAllValues:StringEquals",
            "aws:TagKeys",
            json!(["a", "b"]),
        ),
        ("ForAnyValue:StringLike", "aws:TagKeys", json!("b*")),
        ("ForAnyValue:StringEquals", "aws:TagKeys", json!("a")),
        ("ForAnyValue:StringNotEquals", "aws:TagKeys", json!("a")),
        ("StringEquals", "aws:TagKeys", json!("a")),
        ("NumericLessThan", "s3:max-keys", json!(10)),
        ("NumericGreaterThanEquals", "s3:max-keys", json!("5")),
        ("Bool", "aws:SecureTransport", json!(true)),
        ("Bool", "aws:SecureTransport", json!("false")),
        ("IpAddress", "aws:SourceIp", json!("10.0.0.0/8")),
        (
            "NotIpAddress",
            "aws:SourceIp",
            json!(["10.1.0.0/16", "2001:db8::/32"]),
        ),
        ("Null", "aws:TokenIssueTime", json!("true")),
        ("Null", "aws:TokenIssueTime", json!("false")),
        ("ArnLike", "aws:SourceArn", json!("arn:aws:s3:::bucket/*")),
        (
            "ArnNotLike",
            "aws:SourceArn",
            json!("arn:aws:iam::*:role/x"),
        ),
    ]
}

pub fn statement_strategy() -> impl Strategy<Value = Value> {
    let pool = condition_pool();
    (
        prop::bool::weighted(0.25),
        prop::bool::weighted(0.15),
        prop::collection::vec(select(ACTIONS), 1..3),
        prop::bool::weighted(0.15),
        prop::collection::vec(select(RESOURCES), 1..3),
        prop::collection::vec(select(pool), 0..3),
    )
        .prop_map(
            |(deny, not_action, actions, not_resource, resources, conds)| {
                let mut s = serde_json::Map::new();
                s.insert("Effect".into(), json!(if deny { "Deny" } else { "Allow" }));
                s.insert(
                    (if not_action { "NotAction" } else { "Action" }).into(),
                    json!(actions),
                );
                s.insert(
                    (if not_resource {
                        "NotResource"
                    } else {
                        "Resource"
                    })
                    .into(),
                    json!(resources),
                );
                if !conds.is_empty() {
                    let mut block = serde_json::Map::new();
                    for (op, key, values) in conds {
                        let entry = block.entry(op.to_string()).or_insert_with(|| json!({}));
                        if let Some(m) = entry.as_object_mut() {
                            m.insert(key.to_string(), values);
                        }
                    }
                    s.insert("Condition".into(), Value::Object(block));
                }
                Value::Object(s)
            },
        )
}

fn statement_list(max: usize) -> impl Strategy<Value = Vec<Value>> {
    prop::collection::vec(statement_strategy(), 1..=max)
}

pub fn side_strategy() -> impl Strategy<Value = Side> {
    (
        prop::collection::vec(statement_list(3), 1..3),
        prop::option::weighted(0.25, statement_list(2)),
        prop::collection::vec(prop::collection::vec(statement_list(2), 1..3), 0..2),
    )
        .prop_map(|(identity, boundary, scps)| Side {
            identity,
            boundary,
            scps,
        })
}

/// A statement on one action and resource whose conditions decide everything.
pub fn condition_statement_strategy() -> impl Strategy<Value = Value> {
    (
        prop::bool::weighted(0.3),
        prop::collection::vec(select(condition_pool()), 1..5),
    )
        .prop_map(|(deny, conds)| {
            let mut block = serde_json::Map::new();
            for (op, key, values) in conds {
                let entry = block.entry(op.to_string()).or_insert_with(|| json!({}));
                if let Some(m) = entry.as_object_mut() {
                    m.insert(key.to_string(), values);
                }
            }
            json!({"Effect": if deny { "Deny" } else { "Allow" }, "Action": "s3:GetObject",
                "Resource": "*", "Condition": Value::Object(block)})
        })
}

/// Identity policies only: an unconditioned grant or not, and conditioned statements.
pub fn condition_side_strategy() -> impl Strategy<Value = Side> {
    (
        prop::bool::ANY,
        prop::collection::vec(condition_statement_strategy(), 1..4),
    )
        .prop_map(|(open, mut list)| {
            if open {
                list.push(json!({"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*"}));
            }
            Side {
                identity: vec![list],
                boundary: None,
                scps: Vec::new(),
            }
        })
}
