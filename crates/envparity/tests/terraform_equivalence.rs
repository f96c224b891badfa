//! Terraform states give the same findings as the AWS CLI dumps of the same resources.
//!
//! Each scenario (the AWS scenarios of `tests/aws/`, described once here) is written twice
//! per environment: as the dumps users take (`get-account-authorization-details`,
//! `list-secrets`, `describe-trails` with `get-trail-status` and `get-event-selectors`,
//! `describe-security-groups`, `describe-log-groups`), and as the `terraform show -json`
//! state of the Terraform that creates those resources. Staging's state writes inline
//! policies, inline rules and rotation inside their owners; production's uses separate
//! resources inside a child module: both styles must lower to the same model. The test
//! asserts the exact rule ids, and that both inputs give the same findings (rule, subject
//! and fingerprint); a state pair compared with itself gives nothing.

#[path = "terraform_equivalence/native.rs"]
mod native;
#[path = "terraform_equivalence/state.rs"]
mod state;

use std::path::Path;

use envparity::findings::Severity;
use envparity::ingest::IngestOptions;
use envparity::{Options, Outcome, run_compare};
use serde_json::{Value, json};

/// One environment's resources.
#[derive(Debug, Clone, Default)]
pub struct Env {
    pub account: &'static str,
    pub roles: Vec<Role>,
    /// Customer-managed policies: name, document.
    pub policies: Vec<(&'static str, Value)>,
    /// Secrets: name, rotation period in days (rotated by a Lambda function) or none.
    pub secrets: Vec<(&'static str, Option<i64>)>,
    /// Logging multi-region trails with log file validation, by name.
    pub trails: Vec<&'static str>,
    pub groups: Vec<Group>,
    /// Log groups: name, retention in days (none: never expire).
    pub log_groups: Vec<(&'static str, Option<i64>)>,
}

#[derive(Debug, Clone)]
pub struct Role {
    pub name: &'static str,
    pub trust: Value,
    pub inline: Vec<(&'static str, Value)>,
    /// Names of customer-managed policies of the same environment.
    pub attached: Vec<&'static str>,
    pub boundary: Option<&'static str>,
}

/// A security group with ingress rules (protocol, from port, to port, CIDR); egress is open,
/// as EC2 creates it.
#[derive(Debug, Clone)]
pub struct Group {
    pub name: &'static str,
    pub id: &'static str,
    pub ingress: Vec<(&'static str, i64, i64, &'static str)>,
}

fn service_trust(service: &str) -> Value {
    json!({"Version": "2012-10-17", "Statement": [
        {"Effect": "Allow", "Principal": {"Service": service}, "Action": "sts:AssumeRole"}]})
}

fn allow(actions: Value, resource: Value) -> Value {
    json!({"Effect": "Allow", "Action": actions, "Resource": resource})
}

fn doc(statements: Vec<Value>) -> Value {
    json!({"Version": "2012-10-17", "Statement": statements})
}

/// `app_role` of the AWS scenario suite: trusted by EC2, one inline policy.
fn app_role(name: &'static str, policy: &'static str, document: Value) -> Role {
    Role {
        name,
        trust: service_trust("ec2.amazonaws.com"),
        inline: vec![(policy, document)],
        attached: Vec::new(),
        boundary: None,
    }
}

fn env(account: &'static str, roles: Vec<Role>) -> Env {
    Env {
        account,
        roles,
        ..Env::default()
    }
}

const STG: &str = "111111111111";
const PRD: &str = "222222222222";

struct Scenario {
    name: &'static str,
    staging: Env,
    production: Env,
    mappings: Vec<(String, String)>,
    expected: Vec<&'static str>,
}

fn rotated(
    prefix: &'static str,
    account: &'static str,
    secret: &'static str,
    days: Option<i64>,
) -> Env {
    let rotator = if prefix == "stg" {
        "stg-rotator"
    } else {
        "prod-rotator"
    };
    Env {
        account,
        roles: vec![Role {
            name: rotator,
            trust: service_trust("lambda.amazonaws.com"),
            inline: Vec::new(),
            attached: Vec::new(),
            boundary: None,
        }],
        secrets: vec![(secret, days)],
        ..Env::default()
    }
}

fn web(name: &'static str, id: &'static str, cidr: &'static str) -> Group {
    Group {
        name,
        id,
        ingress: vec![("tcp", 443, 443, cidr)],
    }
}

fn scenarios() -> Vec<Scenario> {
    let data = |bucket: &str, actions: Value| {
        doc(vec![allow(
            actions,
            json!(format!("arn:aws:s3:::{bucket}/*")),
        )])
    };
    let mut out = vec![
        Scenario {
            name: "wildcard-action-in-staging",
            staging: env(
                STG,
                vec![app_role(
                    "stg-app",
                    "data-access",
                    data("stg-data", json!("s3:*")),
                )],
            ),
            production: env(
                PRD,
                vec![app_role(
                    "prod-app",
                    "data-access",
                    data("prod-data", json!("s3:GetObject")),
                )],
            ),
            mappings: Vec::new(),
            expected: vec!["access-broader-in-staging"],
        },
        Scenario {
            name: "explicit-deny-in-production",
            staging: env(
                STG,
                vec![app_role(
                    "stg-app",
                    "data-access",
                    data(
                        "stg-data",
                        json!(["s3:GetObject", "s3:PutObject", "s3:DeleteObject"]),
                    ),
                )],
            ),
            production: env(
                PRD,
                vec![app_role(
                    "prod-app",
                    "data-access",
                    doc(vec![
                        allow(
                            json!(["s3:GetObject", "s3:PutObject", "s3:DeleteObject"]),
                            json!("arn:aws:s3:::prod-data/*"),
                        ),
                        json!({"Effect": "Deny", "Action": "s3:DeleteObject", "Resource": "*"}),
                    ]),
                )],
            ),
            mappings: Vec::new(),
            expected: vec!["access-broader-in-staging"],
        },
        Scenario {
            name: "permissions-boundary-in-production",
            staging: env(
                STG,
                vec![app_role(
                    "stg-app",
                    "data-access",
                    data("stg-data", json!(["s3:GetObject", "s3:PutObject"])),
                )],
            ),
            production: Env {
                policies: vec![(
                    "prod-read-only-boundary",
                    doc(vec![allow(json!(["s3:Get*", "s3:List*"]), json!("*"))]),
                )],
                ..env(
                    PRD,
                    vec![Role {
                        boundary: Some("prod-read-only-boundary"),
                        ..app_role(
                            "prod-app",
                            "data-access",
                            data("prod-data", json!(["s3:GetObject", "s3:PutObject"])),
                        )
                    }],
                )
            },
            mappings: Vec::new(),
            expected: vec!["access-broader-in-staging"],
        },
        Scenario {
            name: "role-in-one-account-only",
            staging: env(
                STG,
                vec![
                    app_role(
                        "stg-app",
                        "data-access",
                        data("stg-data", json!("s3:GetObject")),
                    ),
                    app_role(
                        "stg-loadtest",
                        "load",
                        data("stg-data", json!("s3:GetObject")),
                    ),
                ],
            ),
            production: env(
                PRD,
                vec![
                    app_role(
                        "prod-app",
                        "data-access",
                        data("prod-data", json!("s3:GetObject")),
                    ),
                    app_role(
                        "prod-reporting",
                        "report",
                        data("prod-data", json!("s3:GetObject")),
                    ),
                ],
            ),
            mappings: Vec::new(),
            expected: vec![
                "identity-missing-in-production",
                "identity-missing-in-staging",
            ],
        },
        Scenario {
            name: "source-vpce-condition-in-production",
            staging: env(
                STG,
                vec![app_role(
                    "stg-app",
                    "data-access",
                    data("stg-data", json!("s3:GetObject")),
                )],
            ),
            production: env(
                PRD,
                vec![app_role(
                    "prod-app",
                    "data-access",
                    doc(vec![json!({
                "Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::prod-data/*",
                "Condition": {"StringEquals": {"aws:SourceVpce": "vpce-0a1b2c3d4e5f60718"}}})]),
                )],
            ),
            mappings: Vec::new(),
            expected: vec!["access-broader-in-staging"],
        },
        Scenario {
            name: "staging-account-trusted-by-production",
            staging: env(
                STG,
                vec![app_role(
                    "stg-deployer",
                    "deploy",
                    doc(vec![allow(
                        json!("s3:PutObject"),
                        json!("arn:aws:s3:::stg-artifacts/*"),
                    )]),
                )],
            ),
            production: env(
                PRD,
                vec![Role {
                    trust: json!({"Version": "2012-10-17", "Statement": [
                    {"Effect": "Allow", "Principal": {"Service": "ec2.amazonaws.com"}, "Action": "sts:AssumeRole"},
                    {"Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::111111111111:root"}, "Action": "sts:AssumeRole"}]}),
                    ..app_role(
                        "prod-deployer",
                        "deploy",
                        doc(vec![allow(
                            json!("s3:PutObject"),
                            json!("arn:aws:s3:::prod-artifacts/*"),
                        )]),
                    )
                }],
            ),
            mappings: vec![(STG.to_string(), PRD.to_string())],
            expected: vec!["trust-cross-environment"],
        },
        Scenario {
            name: "secret-rotation-in-production-only",
            staging: rotated("stg", STG, "stg/db/password", None),
            production: rotated("prod", PRD, "prod/db/password", Some(30)),
            mappings: Vec::new(),
            expected: vec!["secret-rotation-mismatch"],
        },
        Scenario {
            name: "trail-in-production-only",
            staging: env(STG, Vec::new()),
            production: Env {
                trails: vec!["prod-audit"],
                ..env(PRD, Vec::new())
            },
            mappings: Vec::new(),
            expected: vec!["audit-logging-missing-in-staging"],
        },
        Scenario {
            name: "security-group-open-in-staging",
            staging: Env {
                groups: vec![web("stg-web", "sg-0a1a1a1a1a1a1a1a1", "0.0.0.0/0")],
                ..env(STG, Vec::new())
            },
            production: Env {
                groups: vec![web("prod-web", "sg-0b2b2b2b2b2b2b2b2", "10.0.0.0/8")],
                ..env(PRD, Vec::new())
            },
            mappings: Vec::new(),
            expected: vec!["network-broader-in-staging"],
        },
        Scenario {
            name: "log-retention-shorter-in-staging",
            staging: Env {
                log_groups: vec![("/app/stg/audit", Some(7))],
                ..env(STG, Vec::new())
            },
            production: Env {
                log_groups: vec![("/app/prod/audit", Some(365))],
                ..env(PRD, Vec::new())
            },
            mappings: vec![("stg".to_string(), "prod".to_string())],
            expected: vec!["log-retention-mismatch"],
        },
    ];
    out.push(same_controls_written_differently());
    out
}

/// No finding: the same permissions written differently (one inline policy against a
/// managed plus an inline one), and the same rotation, trail, group and retention.
fn same_controls_written_differently() -> Scenario {
    let mut staging = rotated("stg", STG, "stg/db/password", Some(30));
    staging.roles.push(app_role(
        "stg-app",
        "app-access",
        doc(vec![
            allow(
                json!(["s3:Get*", "s3:GetObject", "s3:PutObject"]),
                json!("arn:aws:s3:::stg-data/*"),
            ),
            allow(json!("s3:ListBucket"), json!("arn:aws:s3:::stg-data")),
            allow(
                json!("sqs:Send*"),
                json!("arn:aws:sqs:us-east-1:111111111111:stg-jobs"),
            ),
        ]),
    ));
    staging.trails = vec!["stg-audit"];
    staging.groups = vec![web("stg-web", "sg-0a1a1a1a1a1a1a1a1", "10.0.0.0/8")];
    staging.log_groups = vec![("/app/stg/audit", Some(90))];
    let mut production = rotated("prod", PRD, "prod/db/password", Some(30));
    production.policies = vec![(
        "prod-app-queue-and-list",
        doc(vec![
            json!({"Sid": "Queue", "Effect": "Allow", "Action": ["sqs:Send*"], "Resource": ["arn:aws:sqs:us-east-1:222222222222:prod-jobs"]}),
            json!({"Sid": "List", "Effect": "Allow", "Action": ["s3:ListBucket"], "Resource": "arn:aws:s3:::prod-data"}),
        ]),
    )];
    production.roles.push(Role {
        attached: vec!["prod-app-queue-and-list"],
        ..app_role(
            "prod-app",
            "object-access",
            doc(vec![
                allow(json!(["s3:PutObject"]), json!(["arn:aws:s3:::prod-data/*"])),
                allow(json!("s3:Get*"), json!("arn:aws:s3:::prod-data/*")),
            ]),
        )
    });
    production.trails = vec!["prod-audit"];
    production.groups = vec![web("prod-web", "sg-0b2b2b2b2b2b2b2b2", "10.0.0.0/8")];
    production.log_groups = vec![("/app/prod/audit", Some(90))];
    Scenario {
        name: "same-controls-written-differently",
        staging,
        production,
        mappings: Vec::new(),
        expected: Vec::new(),
    }
}

fn compare(staging: &Path, production: &Path, mappings: &[(String, String)]) -> Outcome {
    run_compare(&Options {
        staging: vec![staging.to_path_buf()],
        production: vec![production.to_path_buf()],
        mappings: mappings.to_vec(),
        fingerprint_key: b"terraform-equivalence-key".to_vec(),
        ingest: IngestOptions::default(),
        fail_on: Some(Severity::High),
    })
}

/// What must be the same: rule, subject and fingerprint of every finding.
fn findings(outcome: &Outcome) -> Vec<String> {
    let mut out: Vec<String> = outcome
        .report
        .findings
        .iter()
        .map(|f| {
            format!(
                "{} {} {:?} {:?} {}",
                f.rule.id(),
                f.subject.kind,
                f.subject.staging,
                f.subject.production,
                f.fingerprint
            )
        })
        .collect();
    out.sort();
    out
}

fn rules(outcome: &Outcome) -> Vec<String> {
    let mut out: Vec<String> = outcome
        .report
        .findings
        .iter()
        .map(|f| f.rule.id().to_string())
        .collect();
    out.sort();
    out
}

fn problems(outcome: &Outcome) -> Vec<String> {
    let all = outcome
        .staging
        .diagnostics
        .iter()
        .chain(&outcome.production.diagnostics);
    all.filter(|d| d.level != envparity::model::Level::Info)
        .map(|d| d.one_line())
        .collect()
}

#[test]
fn terraform_states_give_the_findings_of_native_dumps() {
    let work = tempfile::tempdir().expect("temporary directory");
    let mut failures = Vec::new();
    for scenario in scenarios() {
        let name = scenario.name;
        let dir = work.path().join(name);
        let (native_stg, native_prd) = (dir.join("native/staging"), dir.join("native/production"));
        let (tf_stg, tf_prd) = (
            dir.join("terraform/staging"),
            dir.join("terraform/production"),
        );
        native::write(&scenario.staging, &native_stg);
        native::write(&scenario.production, &native_prd);
        state::write(&scenario.staging, state::Style::Inline, &tf_stg);
        state::write(&scenario.production, state::Style::Separate, &tf_prd);

        let native = compare(&native_stg, &native_prd, &scenario.mappings);
        let terraform = compare(&tf_stg, &tf_prd, &scenario.mappings);
        for (what, outcome) in [("native", &native), ("terraform", &terraform)] {
            let found = problems(outcome);
            if !found.is_empty() {
                failures.push(format!("{name} ({what}): diagnostics {found:?}"));
            }
            let expected: Vec<String> = scenario.expected.iter().map(|s| s.to_string()).collect();
            if rules(outcome) != expected {
                failures.push(format!(
                    "{name} ({what}): expected {expected:?}, found {:?}",
                    rules(outcome)
                ));
            }
        }
        if findings(&native) != findings(&terraform) {
            failures.push(format!(
                "{name}: native and terraform differ:\n  native    {:?}\n  terraform {:?}",
                findings(&native),
                findings(&terraform)
            ));
        }
        // A state compared with itself (the very same file, then a copy) has no parity finding.
        let same = rules(&compare(&tf_stg, &tf_stg, &scenario.mappings));
        if !same.is_empty() {
            failures.push(format!("{name}: compare(staging, staging) found {same:?}"));
        }
        let copy = dir.join("terraform/copy");
        std::fs::create_dir_all(&copy).expect("copy folder");
        std::fs::copy(tf_prd.join("state.json"), copy.join("state.json")).expect("copy");
        // Outside parity, a copy shares every identity with its original: that is reported.
        let copied: Vec<&str> = compare(&tf_prd, &copy, &[])
            .report
            .findings
            .iter()
            .filter(|f| f.rule.is_parity_rule())
            .map(|f| f.rule.id())
            .collect();
        if !copied.is_empty() {
            failures.push(format!(
                "{name}: compare(production, its copy) found {copied:?}"
            ));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}
