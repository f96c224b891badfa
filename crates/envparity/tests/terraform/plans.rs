//! Terraform plans: values known only after apply never compare equal. A role whose policy
//! text, attachment or boundary waits for apply is `access-unknown`; a security group whose
//! rule does is `network-unknown`; a Kubernetes binding to a role whose rules do is
//! `access-unknown`; even when both environments' plans are alike, and even against itself.

use std::path::Path;

use envparity::Outcome;
use serde_json::{Value, json};

use crate::support::{compare, rules, write_json};

/// Staging's names renamed into production's.
const ENVS: &[(&str, &str)] = &[("stg", "prod")];

const TRUST: &str = r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"ec2.amazonaws.com"},"Action":"sts:AssumeRole"}]}"#;

/// A resource of the AWS provider (as the plans write every resource, Kubernetes ones too).
fn resource(address: &str, values: Value) -> Value {
    crate::support::resource("aws", address, values)
}

fn change(address: &str, unknown: Value) -> Value {
    json!({"address": address, "mode": "managed", "change": {"actions": ["create"],
           "before": null, "after_unknown": unknown, "after_sensitive": {}}})
}

fn config(address: &str, expressions: Value) -> Value {
    let (kind, name) = address.split_once('.').expect("type.name");
    json!({"address": address, "mode": "managed", "type": kind, "name": name, "expressions": expressions})
}

fn plan(resources: Vec<Value>, changes: Vec<Value>, configuration: Vec<Value>) -> Value {
    json!({
        "format_version": "1.2",
        "terraform_version": "1.11.4",
        "planned_values": {"root_module": {"resources": resources}},
        "resource_changes": changes,
        "configuration": {"root_module": {"resources": configuration}},
    })
}

/// An application role of account `account` named `<env>-app`, with one inline policy whose
/// text is known (`Some`) or known only after apply (`None`), and an attachment of a policy
/// ARN given by a variable (known or not).
fn app_plan(env: &str, account: &str, policy: Option<&str>, attachment_known: bool) -> Value {
    let name = format!("{env}-app");
    let mut resources = vec![resource(
        "aws_iam_role.app",
        json!({
            "name": name, "arn": format!("arn:aws:iam::{account}:role/{name}"), "path": "/",
            "assume_role_policy": TRUST, "max_session_duration": 3600, "permissions_boundary": null,
            "tags": null}),
    )];
    let mut changes = vec![change(
        "aws_iam_role.app",
        json!({"id": true, "inline_policy": true,
        "managed_policy_arns": true, "unique_id": true, "create_date": true, "tags_all": true}),
    )];
    let mut policy_values = json!({"name": "data", "role": name});
    if let Some(text) = policy {
        policy_values["policy"] = json!(text);
    }
    resources.push(resource("aws_iam_role_policy.data", policy_values));
    changes.push(change(
        "aws_iam_role_policy.data",
        json!({"id": true, "policy": policy.is_none()}),
    ));
    let mut attachment = json!({"role": name});
    if attachment_known {
        attachment["policy_arn"] = json!(format!("arn:aws:iam::aws:policy/ReadOnlyAccess"));
    }
    resources.push(resource("aws_iam_role_policy_attachment.extra", attachment));
    changes.push(change(
        "aws_iam_role_policy_attachment.extra",
        json!({"id": true, "policy_arn": !attachment_known}),
    ));
    let configuration = vec![
        config(
            "aws_iam_role.app",
            json!({"name": {"constant_value": name}}),
        ),
        config(
            "aws_iam_role_policy_attachment.extra",
            json!({"policy_arn": {"references": ["var.extra_policy"]}}),
        ),
    ];
    plan(resources, changes, configuration)
}

const READ: &str = r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:GetObject","Resource":"*"}]}"#;

/// Writes a plan as `dir/plan.json`.
fn write(dir: &Path, doc: &Value) {
    write_json(dir, "plan.json", doc);
}

fn pair(staging: &Value, production: &Value) -> (Outcome, tempfile::TempDir) {
    let work = tempfile::tempdir().expect("temporary directory");
    let (s, p) = (work.path().join("staging"), work.path().join("production"));
    write(&s, staging);
    write(&p, production);
    (compare(&s, &p, ENVS), work)
}

#[test]
fn known_plans_compare_like_states() {
    let staging = app_plan("stg", "111111111111", Some(READ), true);
    let production = app_plan("prod", "222222222222", Some(READ), true);
    let (outcome, _work) = pair(&staging, &production);
    assert_eq!(rules(&outcome), Vec::<String>::new());
    assert!(!outcome.input_errors);
}

#[test]
fn unknown_policy_text_is_access_unknown_even_when_both_plans_are_alike() {
    for (staging, production) in [(None, Some(READ)), (None, None)] {
        let (outcome, _work) = pair(
            &app_plan("stg", "111111111111", staging, true),
            &app_plan("prod", "222222222222", production, true),
        );
        assert_eq!(
            rules(&outcome),
            vec!["access-unknown"],
            "{staging:?} / {production:?}"
        );
        let finding = &outcome.report.findings[0];
        assert!(
            finding.message.contains("known only after apply"),
            "{}",
            finding.message
        );
        assert_eq!(
            finding.subject.staging.as_deref(),
            Some("arn:aws:iam::111111111111:role/stg-app")
        );
    }
}

#[test]
fn unknown_attachment_is_access_unknown() {
    let (outcome, _work) = pair(
        &app_plan("stg", "111111111111", Some(READ), false),
        &app_plan("prod", "222222222222", Some(READ), false),
    );
    assert_eq!(rules(&outcome), vec!["access-unknown"]);
}

#[test]
fn a_plan_against_itself_keeps_its_unknowns() {
    let work = tempfile::tempdir().expect("temporary directory");
    let dir = work.path().join("plan");
    write(&dir, &app_plan("stg", "111111111111", None, true));
    assert_eq!(rules(&compare(&dir, &dir, &[])), vec!["access-unknown"]);
}

fn group_plan(env: &str, cidr: Option<&str>) -> Value {
    let mut rule = json!({"protocol": "tcp", "from_port": 443, "to_port": 443, "ipv6_cidr_blocks": [],
                          "prefix_list_ids": [], "security_groups": [], "self": false});
    let mut unknown_rule = json!({});
    match cidr {
        Some(cidr) => rule["cidr_blocks"] = json!([cidr]),
        None => unknown_rule = json!({"cidr_blocks": true}),
    }
    plan(
        vec![resource(
            "aws_security_group.web",
            json!({"name": format!("{env}-web"), "vpc_id": "vpc-1",
            "ingress": [rule], "egress": []}),
        )],
        vec![change(
            "aws_security_group.web",
            json!({"id": true, "arn": true, "owner_id": true,
            "ingress": [unknown_rule]}),
        )],
        Vec::new(),
    )
}

#[test]
fn unknown_security_group_rule_is_network_unknown() {
    let (outcome, _work) = pair(
        &group_plan("stg", None),
        &group_plan("prod", Some("10.0.0.0/8")),
    );
    assert_eq!(rules(&outcome), vec!["network-unknown"]);
    let (outcome, _work) = pair(
        &group_plan("stg", Some("10.0.0.0/8")),
        &group_plan("prod", Some("10.0.0.0/8")),
    );
    assert_eq!(rules(&outcome), Vec::<String>::new());
}

fn rbac_plan(namespace: &str, verbs_known: bool) -> Value {
    let mut rule = json!({"api_groups": [""], "resources": ["secrets"], "resource_names": null});
    if verbs_known {
        rule["verbs"] = json!(["get"]);
    }
    let meta = |name: &str| json!([{"name": name, "namespace": namespace, "labels": null, "annotations": null}]);
    plan(
        vec![
            resource(
                "kubernetes_role_v1.read",
                json!({"metadata": meta("read"), "rule": [rule]}),
            ),
            resource(
                "kubernetes_role_binding_v1.read",
                json!({"metadata": meta("read"),
                "role_ref": [{"api_group": "rbac.authorization.k8s.io", "kind": "Role", "name": "read"}],
                "subject": [{"api_group": "", "kind": "ServiceAccount", "name": "api", "namespace": namespace}]}),
            ),
            resource(
                "kubernetes_service_account_v1.api",
                json!({"metadata": meta("api")}),
            ),
        ],
        vec![change(
            "kubernetes_role_v1.read",
            json!({"rule": [{"verbs": !verbs_known}]}),
        )],
        Vec::new(),
    )
}

#[test]
fn binding_to_a_role_with_unknown_rules_is_access_unknown() {
    let (outcome, _work) = pair(&rbac_plan("app-stg", false), &rbac_plan("app-prod", true));
    assert!(
        rules(&outcome).contains(&"access-unknown".to_string()),
        "{:?}",
        rules(&outcome)
    );
    let (outcome, _work) = pair(&rbac_plan("app-stg", true), &rbac_plan("app-prod", true));
    assert_eq!(rules(&outcome), Vec::<String>::new());
}
