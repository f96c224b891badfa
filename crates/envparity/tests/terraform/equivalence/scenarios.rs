//! The scenarios: the AWS scenarios of `tests/aws/` (the resources their `staging.sh` and
//! `production.sh` create, and their `expected.txt`), plus one of log retention.

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

pub struct Scenario {
    pub name: &'static str,
    pub staging: Env,
    pub production: Env,
    pub mappings: Vec<(String, String)>,
    pub expected: Vec<&'static str>,
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

pub fn scenarios() -> Vec<Scenario> {
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
