//! Property test: random resources, marks and expressions never panic the Terraform
//! lowering.

use proptest::prelude::*;
use serde_json::{Value, json};

use super::tests::read;

/// JSON values over the names the lowering looks for, so random documents reach it.
fn value() -> impl Strategy<Value = Value> {
    let names = prop::sample::select(vec![
        "name",
        "arn",
        "policy",
        "role",
        "user",
        "policy_arn",
        "inline_policy",
        "metadata",
        "rule",
        "ingress",
        "security_group_id",
        "secret_id",
        "rotation_rules",
        "data",
        "resources",
        "address",
        "type",
        "values",
        "references",
        "expressions",
        "0",
    ]);
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        any::<i64>().prop_map(|n| json!(n)),
        prop::sample::select(vec![
            "",
            "x",
            "aws_iam_role",
            "aws_iam_role.a",
            "{}",
            "-1",
            "arn:aws:iam::1:role/a"
        ])
        .prop_map(|s| json!(s)),
    ];
    leaf.prop_recursive(4, 48, 6, move |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..4).prop_map(Value::Array),
            prop::collection::vec((names.clone(), inner), 0..5).prop_map(|entries| {
                Value::Object(
                    entries
                        .into_iter()
                        .map(|(k, v)| (k.to_string(), v))
                        .collect(),
                )
            }),
        ]
    })
}

const TYPES: &[&str] = &[
    "aws_iam_role",
    "aws_iam_role_policy",
    "aws_iam_role_policy_attachment",
    "aws_iam_user",
    "aws_iam_access_key",
    "aws_iam_policy",
    "aws_secretsmanager_secret",
    "aws_secretsmanager_secret_rotation",
    "aws_cloudtrail",
    "aws_cloudwatch_log_group",
    "aws_security_group",
    "aws_security_group_rule",
    "kubernetes_role_binding_v1",
    "kubernetes_secret",
    "kubernetes_cluster_role",
];

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    /// Random attribute values, marks and expressions never panic the lowering, and every
    /// diagnostic stays on one line.
    #[test]
    fn random_resources_never_panic(
        kind in prop::sample::select(TYPES),
        values in value(),
        unknown in value(),
        sensitive in value(),
        expressions in value(),
    ) {
        let address = format!("module.m.{kind}.r");
        let doc = json!({
            "format_version": "1.2",
            "planned_values": {"root_module": {"child_modules": [{"address": "module.m", "resources": [
                {"address": address, "mode": "managed", "type": kind, "name": "r",
                 "values": values, "sensitive_values": sensitive}]}]}},
            "resource_changes": [{"address": address, "change": {"after_unknown": unknown}}],
            "configuration": {"root_module": {"module_calls": {"m": {"module": {"resources": [
                {"address": format!("{kind}.r"), "expressions": expressions}]}}}}}
        });
        for environment in ["staging", "production"] {
            let snapshot = read(environment, &doc);
            for d in &snapshot.diagnostics {
                prop_assert!(!d.message.contains('\n'), "{d:?}");
            }
        }
    }
}
