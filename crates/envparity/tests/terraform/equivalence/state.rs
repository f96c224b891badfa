//! The `terraform show -json` state of the Terraform that creates an [`Env`](super::Env),
//! in the shape the AWS provider records (computed attributes included: a role's
//! `inline_policy` and `managed_policy_arns` list what was attached, as after a refresh).

use std::path::Path;

use serde_json::{Value, json};

use super::Env;
use super::native::secret_arn;
use crate::support::{resource, write_json};

/// How the Terraform is written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Style {
    /// Policies inside the role, rules inside the group, everything in the root module.
    Inline,
    /// `aws_iam_role_policy`, attachments, rotation and rule resources, in a child module.
    Separate,
}

struct Module {
    prefix: String,
    resources: Vec<Value>,
}

impl Module {
    fn add(&mut self, kind: &str, name: &str, values: Value) {
        let address = format!("{}{kind}.{name}", self.prefix);
        self.resources.push(resource("aws", &address, values));
    }
}

fn text(value: &Value) -> String {
    serde_json::to_string(value).expect("serializes")
}

pub fn write(env: &Env, style: Style, dir: &Path) {
    let account = env.account;
    let mut module = Module {
        prefix: match style {
            Style::Inline => String::new(),
            Style::Separate => "module.platform.".to_string(),
        },
        resources: Vec::new(),
    };
    let separate = style == Style::Separate;
    let policy_arn = |name: &str| format!("arn:aws:iam::{account}:policy/{name}");
    for (i, role) in env.roles.iter().enumerate() {
        let key = format!("r{i}");
        let inline: Vec<Value> = role
            .inline
            .iter()
            .map(|(name, doc)| json!({"name": name, "policy": text(doc)}))
            .collect();
        let attached: Vec<String> = role.attached.iter().map(|n| policy_arn(n)).collect();
        module.add(
            "aws_iam_role",
            &key,
            json!({
                "arn": format!("arn:aws:iam::{account}:role/{}", role.name),
                "assume_role_policy": text(&role.trust),
                "create_date": "2024-05-01T12:00:00Z",
                "description": "",
                "force_detach_policies": false,
                "id": role.name,
                "inline_policy": inline,
                "managed_policy_arns": attached,
                "max_session_duration": 3600,
                "name": role.name,
                "name_prefix": "",
                "path": "/",
                "permissions_boundary": role.boundary.map(policy_arn).unwrap_or_default(),
                "tags": {},
                "tags_all": {},
                "unique_id": format!("AROA{account}{i:04}")
            }),
        );
        if separate {
            for (j, (name, doc)) in role.inline.iter().enumerate() {
                module.add(
                    "aws_iam_role_policy",
                    &format!("{key}_{j}"),
                    json!({
                        "id": format!("{}:{name}", role.name), "name": name, "name_prefix": "",
                        "policy": text(doc), "role": role.name
                    }),
                );
            }
            for (j, name) in role.attached.iter().enumerate() {
                module.add("aws_iam_role_policy_attachment", &format!("{key}_{j}"), json!({
                    "id": format!("{}-{j}", role.name), "policy_arn": policy_arn(name), "role": role.name
                }));
            }
        }
    }
    for (i, (name, doc)) in env.policies.iter().enumerate() {
        module.add("aws_iam_policy", &format!("p{i}"), json!({
            "arn": policy_arn(name), "attachment_count": 1, "description": "", "id": policy_arn(name),
            "name": name, "name_prefix": "", "path": "/", "policy": text(doc),
            "policy_id": format!("ANPA{account}{i:04}"), "tags": {}, "tags_all": {}
        }));
    }
    for (i, (name, days)) in env.secrets.iter().enumerate() {
        let arn = secret_arn(account, name);
        let lambda = format!("arn:aws:lambda:us-east-1:{account}:function:rotate-db");
        let rules = days.map(
            |d| json!([{"automatically_after_days": d, "duration": "", "schedule_expression": ""}]),
        );
        let inline_rotation = !separate && days.is_some();
        module.add("aws_secretsmanager_secret", &format!("s{i}"), json!({
            "arn": arn, "description": "", "force_overwrite_replica_secret": false, "id": arn,
            "kms_key_id": "", "name": name, "name_prefix": "", "policy": "", "recovery_window_in_days": 30,
            "replica": [], "tags": {}, "tags_all": {},
            "rotation_enabled": inline_rotation,
            "rotation_lambda_arn": if inline_rotation { lambda.clone() } else { String::new() },
            "rotation_rules": if inline_rotation { rules.clone().unwrap_or_default() } else { json!([]) }
        }));
        if separate && let Some(rules) = rules {
            module.add(
                "aws_secretsmanager_secret_rotation",
                &format!("s{i}"),
                json!({
                    "id": arn, "rotate_immediately": true, "rotation_enabled": true,
                    "rotation_lambda_arn": lambda, "rotation_rules": rules, "secret_id": arn
                }),
            );
        }
    }
    for (i, name) in env.trails.iter().enumerate() {
        module.add("aws_cloudtrail", &format!("t{i}"), json!({
            "advanced_event_selector": [], "arn": format!("arn:aws:cloudtrail:us-east-1:{account}:trail/{name}"),
            "cloud_watch_logs_group_arn": "", "cloud_watch_logs_role_arn": "",
            "enable_log_file_validation": true, "enable_logging": true, "event_selector": [],
            "home_region": "us-east-1", "id": name, "include_global_service_events": true,
            "insight_selector": [], "is_multi_region_trail": true, "is_organization_trail": false,
            "kms_key_id": "", "name": name, "s3_bucket_name": format!("{name}-logs"), "s3_key_prefix": "",
            "sns_topic_name": "", "tags": {}, "tags_all": {}
        }));
    }
    for (i, group) in env.groups.iter().enumerate() {
        let rule = |protocol: &str, from: i64, to: i64, cidr: &str| {
            json!({
                "cidr_blocks": [cidr], "description": "", "from_port": from, "ipv6_cidr_blocks": [],
                "prefix_list_ids": [], "protocol": protocol, "security_groups": [], "self": false, "to_port": to
            })
        };
        let ingress: Vec<Value> = if separate {
            Vec::new()
        } else {
            group
                .ingress
                .iter()
                .map(|(p, f, t, c)| rule(p, *f, *t, c))
                .collect()
        };
        module.add("aws_security_group", &format!("g{i}"), json!({
            "arn": format!("arn:aws:ec2:us-east-1:{account}:security-group/{}", group.id),
            "description": "web tier", "egress": [rule("-1", 0, 0, "0.0.0.0/0")], "id": group.id,
            "ingress": ingress, "name": group.name, "name_prefix": "", "owner_id": account,
            "revoke_rules_on_delete": false, "tags": {}, "tags_all": {}, "vpc_id": "vpc-0c3c3c3c3c3c3c3c3"
        }));
        if separate {
            for (j, (protocol, from, to, cidr)) in group.ingress.iter().enumerate() {
                module.add("aws_vpc_security_group_ingress_rule", &format!("g{i}_{j}"), json!({
                    "arn": format!("arn:aws:ec2:us-east-1:{account}:security-group-rule/sgr-{i}{j}"),
                    "cidr_ipv4": cidr, "cidr_ipv6": null, "description": null, "from_port": from,
                    "id": format!("sgr-{i}{j}"), "ip_protocol": protocol, "prefix_list_id": null,
                    "referenced_security_group_id": null, "security_group_id": group.id,
                    "security_group_rule_id": format!("sgr-{i}{j}"), "tags": null, "tags_all": {}, "to_port": to
                }));
            }
        }
    }
    for (i, (name, days)) in env.log_groups.iter().enumerate() {
        module.add("aws_cloudwatch_log_group", &format!("l{i}"), json!({
            "arn": format!("arn:aws:logs:us-east-1:{account}:log-group:{name}"), "id": name,
            "kms_key_id": "", "log_group_class": "STANDARD", "name": name, "name_prefix": "",
            "retention_in_days": days.unwrap_or(0), "skip_destroy": false, "tags": {}, "tags_all": {}
        }));
    }
    std::fs::create_dir_all(dir).expect("state folder");
    write_state_file(&module, dir);
    let root = match style {
        Style::Inline => json!({"resources": module.resources}),
        Style::Separate => json!({"child_modules": [
            {"address": "module.platform", "resources": module.resources}
        ]}),
    };
    let state = json!({
        "format_version": "1.0",
        "terraform_version": "1.11.4",
        "values": {"outputs": {}, "root_module": root}
    });
    write_json(dir, "state.json", &state);
}

/// The same resources as the state file itself (`terraform.tfstate`, format version 4),
/// written to `file/terraform.tfstate` beside the `show -json` form.
fn write_state_file(module: &Module, dir: &Path) {
    let resources: Vec<Value> = module
        .resources
        .iter()
        .map(|r| {
            let mut entry = json!({
                "mode": r["mode"], "type": r["type"], "name": r["name"],
                "provider": "provider[\"registry.terraform.io/hashicorp/aws\"]",
                "instances": [{"schema_version": 0, "attributes": r["values"],
                               "sensitive_attributes": [], "private": "bnVsbA=="}]
            });
            if !module.prefix.is_empty() {
                entry["module"] = json!(module.prefix.trim_end_matches('.'));
            }
            entry
        })
        .collect();
    let state = json!({
        "version": 4, "terraform_version": "1.11.4", "serial": 3,
        "lineage": "8d0c1e2f-0000-4000-8000-000000000000", "outputs": {},
        "resources": resources, "check_results": null
    });
    let file = dir.with_file_name(format!(
        "{}-file",
        dir.file_name().and_then(|n| n.to_str()).unwrap_or("state")
    ));
    write_json(&file, "terraform.tfstate", &state);
}
