//! `aws cloudwatch describe-alarms` → metric alarms (composite alarms are not read).

use super::super::node::{Shaped, opt_bool, opt_int, opt_str};
use super::super::yaml::{Node, Value};
use super::{Sink, each_item};
use crate::model::Alarm;

pub fn alarms(doc: &Node, sink: &mut Sink<'_>) -> usize {
    each_item(doc, "MetricAlarms", "alarm", "AlarmName", sink, alarm)
}

fn alarm(node: &Node, sink: &mut Sink<'_>) -> Shaped<()> {
    let line = node.get("AlarmName").map_or(node.line, |n| n.line);
    let threshold = match node.get("Threshold").map(|n| &n.value) {
        Some(Value::Float(f)) => Some(*f),
        Some(Value::Int(i)) => Some(*i as f64),
        Some(Value::String(s)) => s.trim().parse().ok(),
        _ => None,
    };
    let alarm = Alarm {
        name: opt_str(node, "AlarmName")?.unwrap_or_default(),
        namespace: opt_str(node, "Namespace")?,
        metric: opt_str(node, "MetricName")?,
        comparison: opt_str(node, "ComparisonOperator")?,
        threshold,
        evaluation_periods: opt_int(node, "EvaluationPeriods")?,
        actions_enabled: opt_bool(node, "ActionsEnabled")?.unwrap_or(true),
        provenance: sink.provenance(line),
    };
    sink.aws.alarms.push(alarm);
    Ok(())
}
