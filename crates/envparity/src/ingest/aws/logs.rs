//! `aws logs describe-log-groups` → log groups with retention and encryption key.

use super::super::node::{Shaped, opt_int, opt_str};
use super::super::yaml::Node;
use super::{Sink, each_item};
use crate::model::LogGroup;

pub fn log_groups(doc: &Node, sink: &mut Sink<'_>) -> usize {
    each_item(
        doc,
        "logGroups",
        "log group",
        "logGroupName",
        sink,
        log_group,
    )
}

fn log_group(node: &Node, sink: &mut Sink<'_>) -> Shaped<()> {
    let line = node.get("logGroupName").map_or(node.line, |n| n.line);
    let group = LogGroup {
        name: opt_str(node, "logGroupName")?.unwrap_or_default(),
        retention_days: opt_int(node, "retentionInDays")?,
        kms_key: opt_str(node, "kmsKeyId")?,
        provenance: sink.provenance(line),
    };
    sink.aws.log_groups.push(group);
    Ok(())
}
