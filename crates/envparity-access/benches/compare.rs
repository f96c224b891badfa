//! Micro-benchmarks of the access engines: Kubernetes RBAC `compare` of two generated rule
//! sets, and AWS IAM `compare` of two generated principals, each pair differing in a few
//! planted places. Run with `cargo bench -p envparity-access`.

use divan::Bencher;
use envparity_access::aws::{self, ActionCatalog, PrincipalPolicies, parse_policy};
use envparity_access::k8s::{self, PolicyRule, Scope, ScopedRule};
use serde_json::{Value, json};

fn main() {
    divan::main();
}

/// SplitMix64, so every run benchmarks the same inputs.
struct Rng(u64);

impl Rng {
    fn below(&mut self, n: usize) -> usize {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        ((z ^ (z >> 31)) % n as u64) as usize
    }

    fn some(&mut self, items: &[&str], max: usize) -> Vec<String> {
        let n = 1 + self.below(max);
        let mut out: Vec<String> = (0..n)
            .map(|_| items[self.below(items.len())].to_string())
            .collect();
        out.sort();
        out.dedup();
        out
    }
}

const VERBS: &[&str] = &[
    "get", "list", "watch", "create", "update", "patch", "delete",
];
const GROUPS: &[&str] = &[
    "",
    "apps",
    "batch",
    "networking.k8s.io",
    "monitoring.coreos.com",
];
const RESOURCES: &[&str] = &[
    "pods",
    "pods/log",
    "pods/exec",
    "configmaps",
    "secrets",
    "services",
    "deployments",
    "deployments/scale",
    "jobs",
    "cronjobs",
    "networkpolicies",
    "prometheusrules",
    "*",
];

/// `n` rules over 20 namespaces; production is the same set with every 50th rule changed.
fn k8s_pair(n: usize) -> (Vec<ScopedRule>, Vec<ScopedRule>) {
    let mut rng = Rng(n as u64);
    let staging: Vec<ScopedRule> = (0..n)
        .map(|origin| {
            let scope = if rng.below(20) == 0 {
                Scope::Cluster
            } else {
                Scope::Namespace(format!("app{}", rng.below(20)))
            };
            let names = if rng.below(5) == 0 {
                vec![format!("obj-{}", rng.below(10))]
            } else {
                vec![]
            };
            let rule = PolicyRule {
                verbs: rng.some(VERBS, 3),
                api_groups: rng.some(GROUPS, 2),
                resources: rng.some(RESOURCES, 3),
                resource_names: names,
                non_resource_urls: vec![],
            };
            ScopedRule {
                scope,
                rule,
                origin,
            }
        })
        .collect();
    let mut production = staging.clone();
    for (i, r) in production.iter_mut().enumerate() {
        if i % 50 == 7 {
            r.rule.verbs = vec!["get".into()];
        }
    }
    (staging, production)
}

#[divan::bench(args = [100, 1000])]
fn k8s_compare(bencher: Bencher, rules: usize) {
    let (staging, production) = k8s_pair(rules);
    bencher.bench(|| k8s::compare(divan::black_box(&staging), divan::black_box(&production)));
}

/// A statement like the generator's: actions of one service on resources of one app,
/// sometimes with a condition.
fn statement(rng: &mut Rng, app: usize) -> Value {
    let acct = "222222222222";
    let (actions, resource): (&[&str], String) = match rng.below(5) {
        0 => (
            &["s3:GetObject", "s3:ListBucket", "s3:Get*"],
            format!("arn:aws:s3:::prod-app{app}-data/*"),
        ),
        1 => (
            &["s3:PutObject", "s3:DeleteObject"],
            format!("arn:aws:s3:::prod-app{app}-data/uploads/*"),
        ),
        2 => (
            &["dynamodb:GetItem", "dynamodb:Query", "dynamodb:PutItem"],
            format!("arn:aws:dynamodb:eu-west-1:{acct}:table/prod-app{app}"),
        ),
        3 => (
            &["sqs:SendMessage", "sqs:ReceiveMessage"],
            format!("arn:aws:sqs:eu-west-1:{acct}:prod-app{app}"),
        ),
        _ => (&["ec2:Describe*"], "*".to_string()),
    };
    let mut stmt = json!({"Effect": "Allow", "Action": rng.some(actions, 2), "Resource": resource});
    let condition = match rng.below(4) {
        0 => Some(json!({"StringEquals": {"aws:SourceVpce": "vpce-0123"}})),
        1 => Some(json!({"IpAddress": {"aws:SourceIp": ["203.0.113.0/24"]}})),
        2 => Some(json!({"Bool": {"aws:SecureTransport": "true"}})),
        _ => None,
    };
    if let (Some(c), Some(obj)) = (condition, stmt.as_object_mut()) {
        obj.insert("Condition".into(), c);
    }
    stmt
}

fn principal(statements: &[Value]) -> PrincipalPolicies {
    let identity = statements
        .chunks(4)
        .filter_map(|c| parse_policy(&json!({"Version": "2012-10-17", "Statement": c})).ok())
        .collect();
    PrincipalPolicies {
        identity,
        boundary: None,
        scps: vec![],
    }
}

/// `n` statements over a few apps; staging drops one condition and adds one action.
fn aws_pair(n: usize) -> (PrincipalPolicies, PrincipalPolicies) {
    let mut rng = Rng(n as u64 + 1);
    let production: Vec<Value> = (0..n).map(|i| statement(&mut rng, i % 4)).collect();
    let mut staging = production.clone();
    if let Some(obj) = staging.first_mut().and_then(Value::as_object_mut) {
        obj.remove("Condition");
    }
    staging.push(json!({"Effect": "Allow", "Action": "dynamodb:DeleteTable",
                        "Resource": "arn:aws:dynamodb:eu-west-1:222222222222:table/prod-app0"}));
    (principal(&staging), principal(&production))
}

#[divan::bench(args = [5, 20, 100])]
fn aws_compare(bencher: Bencher, statements: usize) {
    let (staging, production) = aws_pair(statements);
    let catalog = ActionCatalog::embedded();
    bencher.bench(|| {
        aws::compare(
            divan::black_box(&staging),
            divan::black_box(&production),
            catalog,
        )
    });
}
