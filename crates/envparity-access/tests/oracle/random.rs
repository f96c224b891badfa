//! Seeded random IAM principals (identity policies, boundary, SCP levels) and concrete
//! requests over small pools of actions, resources and condition keys, for differential
//! tests against the simulator. Every request in the pools is valid for the simulator
//! (the resource has a type the action accepts; only global condition keys).

use std::collections::BTreeMap;

use super::SimCase;

/// SplitMix64: a tiny deterministic generator, so a run is reproducible from its seed.
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Rng {
        Rng(seed)
    }

    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }

    /// A number in `0..n` (`n > 0`).
    pub fn below(&mut self, n: usize) -> usize {
        (self.next_u64() % n as u64) as usize
    }

    /// True with probability `percent` / 100.
    pub fn chance(&mut self, percent: u64) -> bool {
        self.next_u64() % 100 < percent
    }

    pub fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len())]
    }
}

/// Concrete requests the simulator accepts: (action, resource). `sqs:ListQueues` is a
/// wildcard-only action (no resource type: the resource must be `*`). Not
/// `sts:GetCallerIdentity`: AWS allows it whatever the policies say.
pub const REQUESTS: &[(&str, &str)] = &[
    ("s3:GetObject", "arn:aws:s3:::app-bucket/data.csv"),
    ("s3:GetObject", "arn:aws:s3:::app-bucket/logs/a.txt"),
    ("s3:GetObject", "arn:aws:s3:::other-bucket/data.csv"),
    ("s3:PutObject", "arn:aws:s3:::app-bucket/data.csv"),
    ("s3:PutObject", "arn:aws:s3:::other-bucket/data.csv"),
    ("s3:DeleteObject", "arn:aws:s3:::app-bucket/logs/a.txt"),
    ("s3:ListBucket", "arn:aws:s3:::app-bucket"),
    ("s3:ListBucket", "arn:aws:s3:::other-bucket"),
    ("s3:GetBucketPolicy", "arn:aws:s3:::app-bucket"),
    ("iam:PassRole", "arn:aws:iam::123456789012:role/deploy"),
    ("iam:PassRole", "arn:aws:iam::123456789012:role/admin"),
    ("iam:GetRole", "arn:aws:iam::123456789012:role/deploy"),
    ("sqs:ListQueues", "*"),
];

pub const ACTION_PATTERNS: &[&str] = &[
    "s3:GetObject",
    "s3:PutObject",
    "s3:DeleteObject",
    "s3:ListBucket",
    "s3:Get*",
    "s3:*Object",
    "s3:*",
    "s3:?utObject",
    "iam:PassRole",
    "iam:*",
    "iam:Get*",
    "sqs:List*",
    "*",
];

pub const RESOURCE_PATTERNS: &[&str] = &[
    "*",
    "*",
    "arn:aws:s3:::app-bucket/*",
    "arn:aws:s3:::app-bucket",
    "arn:aws:s3:::*/data.csv",
    "arn:aws:s3:::app-*",
    "arn:aws:s3:::other-bucket/*",
    "arn:aws:s3:::app-bucket/logs/*",
    "arn:aws:iam::123456789012:role/*",
    "arn:aws:iam::123456789012:role/deploy",
    "arn:aws:iam::*:role/adm?n",
];

/// Condition blocks over global keys (JSON text of the `Condition` value).
pub const CONDITIONS: &[&str] = &[
    r#"{"StringEquals":{"aws:SourceVpce":"vpce-1"}}"#,
    r#"{"StringEquals":{"aws:SourceVpce":["vpce-1","vpce-2"]}}"#,
    r#"{"StringNotEquals":{"aws:SourceVpce":"vpce-1"}}"#,
    r#"{"StringEqualsIfExists":{"aws:SourceVpce":"vpce-2"}}"#,
    r#"{"StringLike":{"aws:SourceVpce":"vpce-*"}}"#,
    r#"{"IpAddress":{"aws:SourceIp":"10.0.0.0/8"}}"#,
    r#"{"NotIpAddress":{"aws:SourceIp":["10.0.0.0/8","192.0.2.0/24"]}}"#,
    r#"{"Bool":{"aws:SecureTransport":"false"}}"#,
    r#"{"Bool":{"aws:SecureTransport":"true"}}"#,
    r#"{"Null":{"aws:SourceVpce":"true"}}"#,
    r#"{"StringEquals":{"aws:RequestedRegion":"eu-west-1"}}"#,
    r#"{"StringEquals":{"aws:SourceVpce":"vpce-1"},"IpAddress":{"aws:SourceIp":"10.0.0.0/8"}}"#,
];

/// Request contexts covering every value the conditions distinguish.
pub fn contexts() -> Vec<BTreeMap<String, Vec<String>>> {
    let make = |pairs: &[(&str, &str)]| {
        pairs
            .iter()
            .map(|(k, v)| (k.to_string(), vec![v.to_string()]))
            .collect::<BTreeMap<_, _>>()
    };
    vec![
        make(&[]),
        make(&[("aws:SourceVpce", "vpce-1")]),
        make(&[("aws:SourceVpce", "vpce-2"), ("aws:SourceIp", "10.1.2.3")]),
        make(&[("aws:SourceVpce", "vpce-1"), ("aws:SourceIp", "10.9.9.9")]),
        make(&[
            ("aws:SourceIp", "192.0.2.44"),
            ("aws:SecureTransport", "true"),
        ]),
        make(&[
            ("aws:SourceIp", "203.0.113.5"),
            ("aws:SecureTransport", "false"),
        ]),
        make(&[
            ("aws:SourceVpce", "other"),
            ("aws:RequestedRegion", "eu-west-1"),
        ]),
        make(&[
            ("aws:RequestedRegion", "us-east-1"),
            ("aws:SecureTransport", "true"),
        ]),
    ]
}

/// One principal's policies, as JSON documents.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Principal {
    pub identity: Vec<String>,
    pub boundary: Vec<String>,
    pub scps: Vec<Vec<String>>,
}

impl Principal {
    /// The simulator case for one request against this principal.
    pub fn case(
        &self,
        action: &str,
        resource: &str,
        context: &BTreeMap<String, Vec<String>>,
    ) -> SimCase {
        SimCase {
            identity: self.identity.clone(),
            boundary: self.boundary.clone(),
            scps: self.scps.clone(),
            action: action.to_string(),
            resource: resource.to_string(),
            principal: None,
            context: context.clone(),
        }
    }
}

fn list(rng: &mut Rng, pool: &[&str], max: usize) -> String {
    let n = 1 + rng.below(max);
    let items: Vec<String> = (0..n).map(|_| format!("\"{}\"", rng.pick(pool))).collect();
    if n == 1 && rng.chance(50) {
        items[0].clone()
    } else {
        format!("[{}]", items.join(","))
    }
}

/// A random statement; `allow_percent` sets how often it is an Allow.
pub fn statement(rng: &mut Rng, allow_percent: u64) -> String {
    let effect = if rng.chance(allow_percent) {
        "Allow"
    } else {
        "Deny"
    };
    let action_key = if rng.chance(15) {
        "NotAction"
    } else {
        "Action"
    };
    let resource_key = if rng.chance(10) {
        "NotResource"
    } else {
        "Resource"
    };
    let mut text = format!(
        r#"{{"Effect":"{effect}","{action_key}":{},"{resource_key}":{}"#,
        list(rng, ACTION_PATTERNS, 2),
        list(rng, RESOURCE_PATTERNS, 2)
    );
    if rng.chance(30) {
        text.push_str(&format!(r#","Condition":{}"#, rng.pick(CONDITIONS)));
    }
    text.push('}');
    text
}

pub fn policy(rng: &mut Rng, allow_percent: u64, max_statements: usize) -> String {
    let n = 1 + rng.below(max_statements);
    let statements: Vec<String> = (0..n).map(|_| statement(rng, allow_percent)).collect();
    format!(
        r#"{{"Version":"2012-10-17","Statement":[{}]}}"#,
        statements.join(",")
    )
}

/// A random principal: 1–2 identity policies, sometimes a boundary, sometimes SCP levels.
pub fn principal(rng: &mut Rng) -> Principal {
    let identity = (0..1 + rng.below(2)).map(|_| policy(rng, 75, 3)).collect();
    let boundary = if rng.chance(20) {
        vec![policy(rng, 85, 2)]
    } else {
        Vec::new()
    };
    let scps = if rng.chance(20) {
        (0..1 + rng.below(2))
            .map(|_| vec![policy(rng, 85, 2)])
            .collect()
    } else {
        Vec::new()
    };
    Principal {
        identity,
        boundary,
        scps,
    }
}

/// The production side of a pair: often a small edit of staging, sometimes unrelated.
pub fn counterpart(rng: &mut Rng, staging: &Principal) -> Principal {
    let mut production = staging.clone();
    match rng.below(6) {
        0 => {}
        1 => production.identity.push(policy(rng, 60, 1)),
        2 => {
            let i = rng.below(production.identity.len().max(1));
            if i < production.identity.len() {
                production.identity[i] = policy(rng, 75, 3);
            }
        }
        3 => production.boundary = vec![policy(rng, 85, 2)],
        4 => production.scps = vec![vec![policy(rng, 85, 2)]],
        _ => production = principal(rng),
    }
    production
}
