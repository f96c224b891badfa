//! `aws secretsmanager list-secrets` → secrets with their rotation settings (the listing
//! carries no secret values).

use super::super::node::{Shaped, opt_bool, opt_int, opt_map, opt_str};
use super::super::yaml::Node;
use super::{Sink, each_item, tags};
use crate::model::AwsSecret;

pub fn list_secrets(doc: &Node, sink: &mut Sink<'_>) -> usize {
    each_item(doc, "SecretList", "secret", "Name", sink, secret)
}

fn secret(node: &Node, sink: &mut Sink<'_>) -> Shaped<()> {
    let arn = opt_str(node, "ARN")?.unwrap_or_default();
    let name = opt_str(node, "Name")?.unwrap_or_else(|| arn.clone());
    let line = node.get("Name").map_or(node.line, |n| n.line);
    let (rotation_days, rotation_schedule) = match opt_map(node, "RotationRules")? {
        Some(rules) => (
            opt_int(rules, "AutomaticallyAfterDays")?,
            opt_str(rules, "ScheduleExpression")?,
        ),
        None => (None, None),
    };
    let secret = AwsSecret {
        arn,
        name,
        rotation_enabled: opt_bool(node, "RotationEnabled")?.unwrap_or(false),
        rotation_days,
        rotation_schedule,
        rotation_lambda: opt_str(node, "RotationLambdaARN")?,
        kms_key: opt_str(node, "KmsKeyId")?,
        last_rotated: sink.date(node, "LastRotatedDate"),
        tags: tags(node, "Tags")?,
        provenance: sink.provenance(line),
    };
    sink.aws.secrets.push(secret);
    Ok(())
}
