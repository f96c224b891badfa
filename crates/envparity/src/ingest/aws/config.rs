//! `aws configservice describe-configuration-recorder-status` → configuration recorders and
//! whether they are recording.

use super::super::node::{Shaped, opt_bool, opt_str};
use super::super::yaml::Node;
use super::{Sink, each_item};
use crate::model::ConfigRecorder;

pub fn recorder_status(doc: &Node, sink: &mut Sink<'_>) -> usize {
    each_item(
        doc,
        "ConfigurationRecordersStatus",
        "configuration recorder",
        "name",
        sink,
        recorder,
    )
}

fn recorder(node: &Node, sink: &mut Sink<'_>) -> Shaped<()> {
    let line = node.get("name").map_or(node.line, |n| n.line);
    let recorder = ConfigRecorder {
        name: opt_str(node, "name")?.unwrap_or_default(),
        recording: opt_bool(node, "recording")?.unwrap_or(false),
        last_status: opt_str(node, "lastStatus")?,
        provenance: sink.provenance(line),
    };
    sink.aws.config_recorders.push(recorder);
    Ok(())
}
