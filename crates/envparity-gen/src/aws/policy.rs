//! IAM policy statements of the generated roles: realistic actions per service, resources in
//! the environment's account, and the condition keys real policies use.

use serde_json::{Value, json};

use super::Env;
use crate::rng::Rng;

pub const REGION: &str = "eu-west-1";
/// The corporate egress range; the same in both environments.
const OFFICE_CIDRS: &[&str] = &["203.0.113.0/24", "198.51.100.0/24"];

/// The services a generated statement can be about.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Service {
    S3Read,
    S3Write,
    Dynamo,
    Sqs,
    Kms,
    Secrets,
    Logs,
    Ec2Describe,
}

pub const SERVICES: &[Service] = &[
    Service::S3Read,
    Service::S3Write,
    Service::Dynamo,
    Service::Sqs,
    Service::Kms,
    Service::Secrets,
    Service::Logs,
    Service::Ec2Describe,
];

/// Conditions a statement may carry.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Cond {
    None,
    SourceVpce,
    SourceIp,
    Region,
    S3Prefix,
    SecureTransport,
}

/// An environment-neutral statement: rendered once per side.
#[derive(Debug, Clone)]
pub struct StatementSpec {
    pub service: Service,
    pub variant: usize,
    pub cond: Cond,
}

impl StatementSpec {
    pub fn random(rng: &mut Rng, allowed: &[Service]) -> StatementSpec {
        let service = rng.pick(allowed);
        let cond = match service {
            Service::S3Read | Service::S3Write => rng.pick(&[
                Cond::None,
                Cond::None,
                Cond::SourceVpce,
                Cond::S3Prefix,
                Cond::SecureTransport,
            ]),
            Service::Ec2Describe => rng.pick(&[Cond::None, Cond::Region]),
            Service::Secrets | Service::Kms => {
                rng.pick(&[Cond::None, Cond::SourceVpce, Cond::SourceIp])
            }
            _ => rng.pick(&[Cond::None, Cond::None, Cond::SecureTransport, Cond::Region]),
        };
        let cond = if service == Service::S3Write && cond == Cond::S3Prefix {
            Cond::None
        } else {
            cond
        };
        StatementSpec {
            service,
            variant: rng.below(3),
            cond,
        }
    }

    pub fn render(&self, env: &Env, app: &str) -> Value {
        let (actions, resources) = actions_and_resources(self.service, self.variant, env, app);
        let mut stmt = serde_json::Map::new();
        stmt.insert("Sid".into(), json!(sid(self.service, self.variant)));
        stmt.insert("Effect".into(), json!("Allow"));
        stmt.insert("Action".into(), one_or_many(actions));
        stmt.insert("Resource".into(), one_or_many(resources));
        if let Some(cond) = condition(self.cond, env, app) {
            stmt.insert("Condition".into(), cond);
        }
        Value::Object(stmt)
    }
}

fn sid(service: Service, variant: usize) -> String {
    let base = match service {
        Service::S3Read => "ReadData",
        Service::S3Write => "WriteData",
        Service::Dynamo => "TableAccess",
        Service::Sqs => "QueueAccess",
        Service::Kms => "UseDataKey",
        Service::Secrets => "ReadSecrets",
        Service::Logs => "WriteLogs",
        Service::Ec2Describe => "Describe",
    };
    format!("{base}{variant}")
}

fn one_or_many(items: Vec<String>) -> Value {
    if items.len() == 1 {
        json!(items[0])
    } else {
        json!(items)
    }
}

pub fn bucket(env: &Env, app: &str) -> String {
    format!("arn:aws:s3:::{}-{app}-data", env.prefix)
}

fn actions_and_resources(
    service: Service,
    variant: usize,
    env: &Env,
    app: &str,
) -> (Vec<String>, Vec<String>) {
    let p = env.prefix;
    let acct = env.account;
    let s = |v: &[&str]| v.iter().map(|x| x.to_string()).collect::<Vec<_>>();
    let b = bucket(env, app);
    match (service, variant) {
        (Service::S3Read, 0) => (
            s(&["s3:GetObject", "s3:ListBucket"]),
            vec![b.clone(), format!("{b}/*")],
        ),
        (Service::S3Read, 1) => (
            s(&["s3:Get*", "s3:List*"]),
            vec![b.clone(), format!("{b}/*")],
        ),
        (Service::S3Read, _) => (
            s(&["s3:GetObject", "s3:GetObjectVersion", "s3:ListBucket"]),
            vec![
                format!("arn:aws:s3:::{p}-{app}-reports"),
                format!("arn:aws:s3:::{p}-{app}-reports/*"),
            ],
        ),
        (Service::S3Write, 0) => (
            s(&["s3:PutObject", "s3:DeleteObject"]),
            vec![format!("{b}/uploads/*")],
        ),
        (Service::S3Write, _) => (
            s(&[
                "s3:PutObject",
                "s3:AbortMultipartUpload",
                "s3:ListMultipartUploadParts",
            ]),
            vec![format!("arn:aws:s3:::{p}-{app}-exports/*")],
        ),
        (Service::Dynamo, v) => {
            let table = format!("arn:aws:dynamodb:{REGION}:{acct}:table/{p}-{app}-table");
            let actions = match v {
                0 => s(&["dynamodb:GetItem", "dynamodb:Query", "dynamodb:Scan"]),
                1 => s(&[
                    "dynamodb:GetItem",
                    "dynamodb:PutItem",
                    "dynamodb:UpdateItem",
                    "dynamodb:Query",
                ]),
                _ => s(&[
                    "dynamodb:BatchGetItem",
                    "dynamodb:BatchWriteItem",
                    "dynamodb:DescribeTable",
                ]),
            };
            (actions, vec![table.clone(), format!("{table}/index/*")])
        }
        (Service::Sqs, v) => {
            let queue = format!("arn:aws:sqs:{REGION}:{acct}:{p}-{app}-events");
            let actions = if v == 0 {
                s(&["sqs:SendMessage", "sqs:GetQueueUrl"])
            } else {
                s(&[
                    "sqs:ReceiveMessage",
                    "sqs:DeleteMessage",
                    "sqs:GetQueueAttributes",
                    "sqs:ChangeMessageVisibility",
                ])
            };
            let dlq = format!("arn:aws:sqs:{REGION}:{acct}:{p}-{app}-events-dlq");
            (
                actions,
                if v == 2 {
                    vec![queue, dlq]
                } else {
                    vec![queue]
                },
            )
        }
        (Service::Kms, v) => {
            let key = format!("arn:aws:kms:{REGION}:{acct}:key/{}", env.kms_key);
            let actions = if v == 0 {
                s(&["kms:Decrypt"])
            } else {
                s(&["kms:Decrypt", "kms:GenerateDataKey*", "kms:DescribeKey"])
            };
            (actions, vec![key])
        }
        (Service::Secrets, v) => {
            let actions = if v == 0 {
                s(&["secretsmanager:GetSecretValue"])
            } else {
                s(&[
                    "secretsmanager:GetSecretValue",
                    "secretsmanager:DescribeSecret",
                ])
            };
            (
                actions,
                vec![format!(
                    "arn:aws:secretsmanager:{REGION}:{acct}:secret:{p}/{app}/*"
                )],
            )
        }
        (Service::Logs, _) => (
            s(&["logs:CreateLogStream", "logs:PutLogEvents"]),
            vec![format!(
                "arn:aws:logs:{REGION}:{acct}:log-group:/aws/{p}/{app}:*"
            )],
        ),
        (Service::Ec2Describe, v) => {
            let actions = if v == 0 {
                s(&["ec2:Describe*"])
            } else {
                s(&[
                    "ec2:DescribeInstances",
                    "ec2:DescribeTags",
                    "ec2:DescribeSubnets",
                ])
            };
            (actions, s(&["*"]))
        }
    }
}

pub fn condition(cond: Cond, env: &Env, app: &str) -> Option<Value> {
    Some(match cond {
        Cond::None => return None,
        Cond::SourceVpce => json!({"StringEquals": {"aws:SourceVpce": env.vpce}}),
        Cond::SourceIp => json!({"IpAddress": {"aws:SourceIp": OFFICE_CIDRS}}),
        Cond::Region => json!({"StringEquals": {"aws:RequestedRegion": [REGION, "eu-central-1"]}}),
        Cond::S3Prefix => json!({"StringLike": {"s3:prefix": [format!("{app}/*"), "shared/*"]}}),
        Cond::SecureTransport => json!({"Bool": {"aws:SecureTransport": "true"}}),
    })
}

pub fn document(statements: Vec<Value>) -> Value {
    json!({"Version": "2012-10-17", "Statement": statements})
}

/// The shared customer-managed policy number `k` of the pool.
pub fn pool_policy(k: usize, env: &Env) -> (String, Value) {
    let p = env.prefix;
    let acct = env.account;
    match k % 5 {
        0 => (
            format!("{p}-shared-logging-{k}"),
            document(vec![json!({"Effect": "Allow",
                "Action": ["logs:CreateLogGroup", "logs:CreateLogStream", "logs:PutLogEvents", "logs:DescribeLogStreams"],
                "Resource": format!("arn:aws:logs:{REGION}:{acct}:log-group:/shared/{p}/{k}/*")})]),
        ),
        1 => (
            format!("{p}-config-read-{k}"),
            document(vec![
                json!({"Effect": "Allow", "Action": ["ssm:GetParameter", "ssm:GetParametersByPath"],
                       "Resource": format!("arn:aws:ssm:{REGION}:{acct}:parameter/{p}/shared{k}/*")}),
                json!({"Effect": "Allow", "Action": "secretsmanager:GetSecretValue",
                       "Resource": format!("arn:aws:secretsmanager:{REGION}:{acct}:secret:{p}/shared{k}/*"),
                       "Condition": {"StringEquals": {"aws:SourceVpce": env.vpce}}}),
            ]),
        ),
        2 => (
            format!("{p}-ecr-pull-{k}"),
            document(vec![json!({"Effect": "Allow",
                "Action": ["ecr:GetAuthorizationToken", "ecr:BatchGetImage", "ecr:GetDownloadUrlForLayer"],
                "Resource": "*"})]),
        ),
        3 => (
            format!("{p}-artifacts-read-{k}"),
            document(vec![
                json!({"Effect": "Allow", "Action": ["s3:Get*", "s3:ListBucket"],
                "Resource": [format!("arn:aws:s3:::{p}-artifacts-{k}"), format!("arn:aws:s3:::{p}-artifacts-{k}/*")],
                "Condition": {"Bool": {"aws:SecureTransport": "true"}}}),
            ]),
        ),
        _ => (
            format!("{p}-deny-outside-regions-{k}"),
            document(vec![
                json!({"Effect": "Deny", "NotAction": ["iam:*", "sts:*", "support:*"], "Resource": "*",
                "Condition": {"StringNotEquals": {"aws:RequestedRegion": [REGION, "eu-central-1"]}}}),
            ]),
        ),
    }
}

/// The standard permissions boundary: broad, never the reason a request is denied here.
pub fn standard_boundary(env: &Env) -> (String, Value) {
    (
        format!("{}-boundary-standard", env.prefix),
        document(vec![
            json!({"Effect": "Allow", "Action": ["s3:*", "dynamodb:*", "sqs:*", "kms:*", "secretsmanager:*",
                "logs:*", "ec2:Describe*", "ssm:Get*", "ecr:*", "sns:*"], "Resource": "*"}),
            json!({"Effect": "Deny", "Action": ["iam:*", "organizations:*", "account:*"], "Resource": "*"}),
        ]),
    )
}

/// A narrow boundary: reads only.
pub fn restricted_boundary(env: &Env) -> (String, Value) {
    (
        format!("{}-boundary-read-only", env.prefix),
        document(vec![json!({"Effect": "Allow",
            "Action": ["s3:GetObject", "s3:ListBucket", "logs:*", "dynamodb:GetItem", "dynamodb:Query",
                       "sqs:ReceiveMessage", "kms:Decrypt", "secretsmanager:GetSecretValue", "ec2:Describe*"],
            "Resource": "*"})]),
    )
}
