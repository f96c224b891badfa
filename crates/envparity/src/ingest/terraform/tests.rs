//! Terraform lowering on small state and plan documents written for these tests.

use serde_json::{Value, json};

use crate::ingest::{IngestOptions, read_bytes};
use crate::model::{Fingerprinter, Level, Snapshot};

pub(super) fn read(environment: &str, doc: &Value) -> Snapshot {
    let text = serde_json::to_string_pretty(doc).expect("serializes");
    read_bytes(
        environment,
        "tf/state.json",
        text.as_bytes(),
        &Fingerprinter::new(b"test-key"),
        &IngestOptions::default(),
    )
}

fn state(resources: Value, children: Value) -> Value {
    json!({
        "format_version": "1.0",
        "terraform_version": "1.11.4",
        "values": {"root_module": {"resources": resources, "child_modules": children}}
    })
}

fn resource(address: &str, values: Value) -> Value {
    let (kind, name) = address
        .rsplit_once('.')
        .map(|(k, n)| (k.rsplit('.').next().unwrap_or(k), n))
        .expect("type.name");
    json!({"address": address, "mode": "managed", "type": kind, "name": name,
           "provider_name": "registry.terraform.io/hashicorp/aws", "schema_version": 0,
           "values": values, "sensitive_values": {}})
}

fn messages(snapshot: &Snapshot, level: Level) -> Vec<String> {
    snapshot
        .diagnostics
        .iter()
        .filter(|d| d.level == level)
        .map(|d| d.message.clone())
        .collect()
}

const POLICY: &str = r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:GetObject","Resource":"arn:aws:s3:::stg-data/*"}]}"#;
const TRUST: &str = r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"ec2.amazonaws.com"},"Action":"sts:AssumeRole"}]}"#;

fn role_values(name: &str) -> Value {
    json!({"name": name, "arn": format!("arn:aws:iam::111111111111:role/{name}"), "path": "/",
           "assume_role_policy": TRUST, "inline_policy": [], "managed_policy_arns": [],
           "permissions_boundary": "", "max_session_duration": 3600, "tags": {}, "tags_all": {}})
}

#[test]
fn state_lowers_roles_with_their_policies_across_modules() {
    let boundary = "arn:aws:iam::111111111111:policy/boundary";
    let mut role = role_values("stg-app");
    role["permissions_boundary"] = json!(boundary);
    role["inline_policy"] = json!([{"name": "", "policy": ""}]);
    let doc = state(
        json!([resource("aws_iam_role.app", role)]),
        json!([{"address": "module.iam", "resources": [
            resource("module.iam.aws_iam_role_policy.read",
                json!({"name": "read", "role": "stg-app", "policy": POLICY})),
            resource("module.iam.aws_iam_policy.boundary",
                json!({"name": "boundary", "arn": boundary, "path": "/", "policy": POLICY})),
            resource("module.iam.aws_iam_role_policy_attachment.b",
                json!({"role": "stg-app", "policy_arn": boundary})),
        ]}]),
    );
    let snapshot = read("staging", &doc);
    assert!(
        messages(&snapshot, Level::Warning).is_empty(),
        "{:?}",
        snapshot.diagnostics
    );
    let aws = &snapshot.aws;
    assert_eq!(aws.accounts, vec!["111111111111".to_string()]);
    let role = &aws.roles[0];
    assert_eq!(
        role.inline_policies.len(),
        1,
        "the empty computed block is not a policy"
    );
    assert_eq!(
        role.inline_policies[0].document.name,
        "inline policy read of role stg-app"
    );
    assert_eq!(
        role.inline_policies[0].document.document.value()["Statement"][0]["Action"],
        "s3:GetObject"
    );
    assert_eq!(role.attached_policies, vec![boundary.to_string()]);
    assert_eq!(role.permissions_boundary.as_deref(), Some(boundary));
    assert!(role.trust_policy.is_some());
    assert_eq!(aws.managed_policies[0].arn, boundary);
    assert_eq!(snapshot.sources[0].format, "terraform-state");
    assert_eq!(snapshot.sources[0].objects, 2);
}

fn plan(resources: Value, changes: Value, config: Value) -> Value {
    json!({
        "format_version": "1.2",
        "terraform_version": "1.11.4",
        "planned_values": {"root_module": {"resources": resources}},
        "resource_changes": changes,
        "configuration": {"root_module": {"resources": config}},
        "prior_state": {"format_version": "1.0", "values": {"root_module": {}}}
    })
}

fn change(address: &str, unknown: Value) -> Value {
    json!({"address": address, "change": {"actions": ["create"], "after_unknown": unknown,
                                           "after_sensitive": {}}})
}

/// A new role whose inline policy names a bucket created in the same plan, and a managed
/// policy attached by a reference: the policy text is unknown, the ARN is derived.
fn unknown_plan() -> Value {
    let mut role = role_values("stg-app");
    role.as_object_mut().map(|o| o.remove("arn"));
    plan(
        json!([
            resource("aws_iam_role.app", role),
            resource(
                "aws_iam_role_policy.read",
                json!({"name": "read", "role": "stg-app"})
            ),
            resource(
                "aws_iam_policy.extra",
                json!({"name": "extra", "path": "/", "policy": POLICY})
            ),
            resource(
                "aws_iam_role_policy_attachment.extra",
                json!({"role": "stg-app"})
            ),
            resource("aws_s3_bucket.data", json!({"bucket": "stg-data"})),
        ]),
        json!([
            change(
                "aws_iam_role.app",
                json!({"arn": true, "id": true, "inline_policy": true, "managed_policy_arns": true})
            ),
            change(
                "aws_iam_role_policy.read",
                json!({"policy": true, "id": true})
            ),
            change("aws_iam_policy.extra", json!({"arn": true, "id": true})),
            change(
                "aws_iam_role_policy_attachment.extra",
                json!({"policy_arn": true, "id": true})
            ),
        ]),
        json!([
            {"address": "aws_iam_role.app", "mode": "managed", "type": "aws_iam_role", "name": "app",
             "expressions": {"name": {"constant_value": "stg-app"}}},
            {"address": "aws_iam_role_policy_attachment.extra", "mode": "managed",
             "type": "aws_iam_role_policy_attachment", "name": "extra",
             "expressions": {"policy_arn": {"references": ["aws_iam_policy.extra.arn", "aws_iam_policy.extra"]}}},
        ]),
    )
}

#[test]
fn plan_unknown_policy_is_a_placeholder_distinct_per_environment() {
    let staging = read("staging", &unknown_plan());
    let production = read("production", &unknown_plan());
    let doc = |s: &Snapshot| s.aws.roles[0].inline_policies[0].document.document.value();
    assert!(
        doc(&staging).is_string(),
        "an unknown policy is no document"
    );
    assert_ne!(
        doc(&staging),
        doc(&production),
        "never equal across environments"
    );
    assert!(
        staging.aws.roles[0].inline_policies[0]
            .document
            .name
            .contains("known only after apply")
    );
    let warnings = messages(&staging, Level::Warning);
    assert!(
        warnings.iter().any(|m| m.contains("`policy` of `aws_iam_role_policy.read` is known only after apply")),
        "{warnings:?}"
    );
    // The computed lists of a plan are not what will be deployed.
    assert_eq!(staging.aws.roles[0].inline_policies.len(), 1);
    // The attachment follows the configuration's reference to the policy being created.
    let role = &staging.aws.roles[0];
    assert_eq!(role.attached_policies.len(), 1);
    assert_eq!(
        staging.aws.managed_policies[0].arn,
        role.attached_policies[0]
    );
    assert!(
        messages(&staging, Level::Info)
            .iter()
            .any(|m| m.contains("`prior_state` is not compared"))
    );
    assert!(
        messages(&staging, Level::Info)
            .iter()
            .any(|m| m.contains("`aws_s3_bucket` (1)"))
    );
    assert_eq!(staging.sources[0].format, "terraform-plan");
}

#[test]
fn wrong_types_warn_with_the_resource_address() {
    let mut role = role_values("stg-app");
    role["max_session_duration"] = json!("long");
    let doc = state(json!([resource("aws_iam_role.app", role)]), json!([]));
    let snapshot = read("staging", &doc);
    let warnings = messages(&snapshot, Level::Warning);
    assert_eq!(warnings.len(), 1, "{warnings:?}");
    assert!(warnings[0].starts_with("skipped `aws_iam_role.app`: expected `max_session_duration`"));
    assert!(snapshot.aws.roles.is_empty());
    assert!(!snapshot.has_errors());
}

#[test]
fn secrets_are_never_held_raw() {
    let secret = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY";
    let doc = state(
        json!([
            resource("aws_iam_user.ci", json!({"name": "stg-ci", "arn": "arn:aws:iam::111111111111:user/stg-ci", "path": "/"})),
            resource("aws_iam_access_key.ci", json!({"user": "stg-ci", "id": "AKIAEXAMPLE", "status": "Active",
                "create_date": "2024-01-02T03:04:05Z", "secret": secret, "ses_smtp_password_v4": secret})),
            {"address": "kubernetes_secret_v1.db", "mode": "managed", "type": "kubernetes_secret_v1", "name": "db",
             "values": {"metadata": [{"name": "db", "namespace": "app"}], "type": "Opaque",
                        "data": {"password": secret}, "binary_data": null},
             "sensitive_values": {"data": true}},
            {"address": "kubernetes_config_map_v1.cfg", "mode": "managed", "type": "kubernetes_config_map_v1", "name": "cfg",
             "values": {"metadata": [{"name": "cfg", "namespace": "app"}], "data": {"token": secret, "mode": "fast"}},
             "sensitive_values": {"data": {"token": true}}},
        ]),
        json!([]),
    );
    let snapshot = read("staging", &doc);
    let out = serde_json::to_string(&snapshot).expect("serializes");
    assert!(
        !out.contains(secret),
        "a secret value reached the model's output"
    );
    let row = &snapshot.aws.credential_report[0];
    assert_eq!((row.user.as_str(), row.access_keys.len()), ("stg-ci", 1));
    assert_eq!(
        row.access_keys[0].last_rotated.as_deref(),
        Some("2024-01-02T03:04:05Z")
    );
    assert_eq!(snapshot.kube.secrets[0].entries[0].key, "password");
    let cfg = &snapshot.kube.config_maps[0];
    let token = cfg
        .entries
        .iter()
        .find(|e| e.key == "token")
        .expect("token kept");
    assert!(token.value.sensitive);
    assert!(!token.value.text().contains(secret));
}

#[test]
fn kubernetes_rbac_lowers_like_a_manifest() {
    let doc = state(
        json!([
            {"address": "kubernetes_role_v1.read", "mode": "managed", "type": "kubernetes_role_v1", "name": "read",
             "values": {"metadata": [{"name": "read", "namespace": "app", "labels": {}}],
                        "rule": [{"api_groups": [""], "resources": ["secrets"], "verbs": ["get", "list"], "resource_names": []}]}},
            {"address": "kubernetes_role_binding_v1.read", "mode": "managed", "type": "kubernetes_role_binding_v1", "name": "read",
             "values": {"metadata": [{"name": "read", "namespace": "app"}],
                        "role_ref": [{"api_group": "rbac.authorization.k8s.io", "kind": "Role", "name": "read"}],
                        "subject": [{"kind": "ServiceAccount", "name": "api", "namespace": "app", "api_group": ""}]}},
            {"address": "kubernetes_service_account_v1.api", "mode": "managed", "type": "kubernetes_service_account_v1", "name": "api",
             "values": {"metadata": [{"name": "api", "namespace": "app"}], "automount_service_account_token": false,
                        "secret": [], "image_pull_secret": []}},
        ]),
        json!([]),
    );
    let snapshot = read("staging", &doc);
    assert!(
        snapshot.diagnostics.is_empty(),
        "{:?}",
        snapshot.diagnostics
    );
    let kube = &snapshot.kube;
    assert_eq!(kube.roles[0].rules[0].rule.verbs, vec!["get", "list"]);
    assert_eq!(
        kube.bindings[0].subjects[0].namespace.as_deref(),
        Some("app")
    );
    assert_eq!(kube.service_accounts[0].automount_token, Some(false));
    assert_eq!(snapshot.sources[0].objects, 3);
}

#[test]
fn security_groups_gather_inline_and_separate_rules() {
    let doc = state(
        json!([
            resource(
                "aws_security_group.web",
                json!({"id": "sg-1", "name": "stg-web", "vpc_id": "vpc-1",
                "owner_id": "111111111111",
                "ingress": [{"protocol": "tcp", "from_port": 443, "to_port": 443, "cidr_blocks": ["10.0.0.0/8"],
                             "ipv6_cidr_blocks": [], "prefix_list_ids": [], "security_groups": [], "self": true}],
                "egress": []})
            ),
            resource(
                "aws_security_group_rule.ssh",
                json!({"type": "ingress", "security_group_id": "sg-1",
                "protocol": "6", "from_port": 22, "to_port": 22, "cidr_blocks": ["0.0.0.0/0"]})
            ),
            resource(
                "aws_vpc_security_group_egress_rule.all",
                json!({"security_group_id": "sg-1",
                "ip_protocol": "-1", "cidr_ipv4": "0.0.0.0/0"})
            ),
        ]),
        json!([]),
    );
    let snapshot = read("staging", &doc);
    assert!(
        snapshot.diagnostics.is_empty(),
        "{:?}",
        snapshot.diagnostics
    );
    let group = &snapshot.aws.security_groups[0];
    assert_eq!(group.ingress.len(), 2);
    assert_eq!(group.ingress[0].groups, vec!["111111111111/sg-1"]);
    assert_eq!(group.ingress[1].protocol, "tcp");
    assert_eq!(group.egress[0].protocol, "-1");
    assert_eq!(group.egress[0].ipv4, vec!["0.0.0.0/0"]);
}

#[test]
fn secrets_trails_and_log_groups() {
    let arn = "arn:aws:secretsmanager:us-east-1:111111111111:secret:stg/db-AbCdEf";
    let doc = state(
        json!([
            resource(
                "aws_secretsmanager_secret.db",
                json!({"arn": arn, "name": "stg/db", "kms_key_id": "",
                "rotation_enabled": false, "rotation_rules": []})
            ),
            resource(
                "aws_secretsmanager_secret_rotation.db",
                json!({"secret_id": arn, "rotation_enabled": true,
                "rotation_lambda_arn": "arn:aws:lambda:us-east-1:111111111111:function:rot",
                "rotation_rules": [{"automatically_after_days": 0, "schedule_expression": "rate(30 days)", "duration": ""}]})
            ),
            resource(
                "aws_cloudtrail.audit",
                json!({"name": "stg-audit", "s3_bucket_name": "logs",
                "is_multi_region_trail": true, "enable_logging": false, "event_selector": [],
                "cloud_watch_logs_group_arn": "arn:aws:logs:us-east-1:111111111111:log-group:trail:*"})
            ),
            resource(
                "aws_cloudwatch_log_group.trail",
                json!({"name": "trail", "retention_in_days": 0})
            ),
        ]),
        json!([]),
    );
    let snapshot = read("staging", &doc);
    assert!(
        snapshot.diagnostics.is_empty(),
        "{:?}",
        snapshot.diagnostics
    );
    let secret = &snapshot.aws.secrets[0];
    assert!(secret.rotation_enabled);
    assert_eq!(secret.rotation_schedule.as_deref(), Some("rate(30 days)"));
    let trail = &snapshot.aws.trails[0];
    assert_eq!((trail.multi_region, trail.is_logging), (true, Some(false)));
    assert!(trail.include_global_events, "the provider's default");
    assert_eq!(
        trail.event_selectors.as_ref().map(Vec::len),
        Some(1),
        "CloudTrail's default selector"
    );
    assert_eq!(
        snapshot.aws.log_groups[0].retention_days, None,
        "0 is never expire"
    );
}

#[test]
fn documents_that_are_not_terraform_are_left_alone() {
    let other = json!({"format_version": "1.0", "provider_schemas": {}});
    let snapshot = read("staging", &other);
    assert!(
        snapshot
            .sources
            .iter()
            .all(|s| !s.format.starts_with("terraform"))
    );
    let empty = json!({"format_version": "1.0", "values": {}});
    let snapshot = read("staging", &empty);
    assert_eq!(snapshot.sources[0].format, "terraform-state");
    assert!(snapshot.diagnostics.is_empty());
}

#[test]
fn malformed_documents_are_one_line_errors_with_a_line() {
    for name in ["tf/plan.json", "tf/terraform.tfstate"] {
        let snapshot = read_bytes(
            "staging",
            name,
            b"{\n  \"format_version\": \"1.0\",\n  \"values\": {\n}",
            &Fingerprinter::new(b"test-key"),
            &IngestOptions::default(),
        );
        let errors: Vec<_> = snapshot
            .diagnostics
            .iter()
            .filter(|d| d.level == Level::Error)
            .collect();
        assert_eq!(errors.len(), 1, "{name}: {:?}", snapshot.diagnostics);
        assert_eq!(errors[0].path, name);
        assert!(errors[0].line.is_some(), "{:?}", errors[0]);
        assert!(
            errors[0].message.starts_with("invalid JSON:"),
            "{:?}",
            errors[0]
        );
    }
}
