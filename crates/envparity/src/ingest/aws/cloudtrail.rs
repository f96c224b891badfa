//! CloudTrail: `describe-trails` → trails; `get-event-selectors` and `get-trail-status` →
//! facts attached to their trail once every file is read (see `finish`).
//!
//! Advanced event selectors are folded into the basic shape: `eventCategory` `Management`
//! gives a selector including management events; `Data` gives one data resource whose type
//! is `resources.type` and whose values are the `resources.ARN` `Equals`/`StartsWith` values
//! (ARN prefixes, as basic selectors use), or `arn:` (every ARN) when there is no ARN filter;
//! `readOnly` `true`/`false` gives `ReadOnly`/`WriteOnly`, else `All`. Negative field
//! selectors (`NotEquals`, `NotStartsWith`…) and other categories are not represented.

use super::super::node::{Shaped, map_list, opt_bool, opt_str, str_list};
use super::super::yaml::Node;
use super::finish::{TrailSelectors, TrailStatus};
use super::{Sink, each_item};
use crate::model::{EventSelector, Trail};

pub fn describe_trails(doc: &Node, sink: &mut Sink<'_>) -> usize {
    each_item(doc, "trailList", "trail", "Name", sink, trail)
}

fn trail(node: &Node, sink: &mut Sink<'_>) -> Shaped<()> {
    let arn = opt_str(node, "TrailARN")?;
    let name = match opt_str(node, "Name")? {
        Some(name) => name,
        None => arn
            .as_deref()
            .map(trail_name)
            .unwrap_or_default()
            .to_string(),
    };
    let line = node.get("Name").map_or(node.line, |n| n.line);
    let flag = |key: &str| opt_bool(node, key).map(|b| b.unwrap_or(false));
    let trail = Trail {
        name,
        arn,
        home_region: opt_str(node, "HomeRegion")?,
        multi_region: flag("IsMultiRegionTrail")?,
        organization_trail: flag("IsOrganizationTrail")?,
        include_global_events: flag("IncludeGlobalServiceEvents")?,
        log_file_validation: flag("LogFileValidationEnabled")?,
        kms_key: opt_str(node, "KmsKeyId")?,
        s3_bucket: opt_str(node, "S3BucketName")?,
        cloudwatch_log_group: opt_str(node, "CloudWatchLogsLogGroupArn")?,
        is_logging: None,
        event_selectors: None,
        provenance: sink.provenance(line),
    };
    sink.aws.trails.push(trail);
    Ok(())
}

/// The trail name in a trail ARN (`…:trail/NAME`), or the text itself.
pub fn trail_name(arn_or_name: &str) -> &str {
    arn_or_name
        .split_once(":trail/")
        .map_or(arn_or_name, |(_, name)| name)
}

pub fn event_selectors(doc: &Node, sink: &mut Sink<'_>) -> usize {
    match read_selectors(doc) {
        Ok((trail, selectors)) => {
            let provenance = sink.provenance(doc.get("TrailARN").map_or(doc.line, |n| n.line));
            sink.pending.selectors.push(TrailSelectors {
                trail,
                selectors,
                provenance,
            });
            1
        }
        Err(e) => {
            sink.skipped("the event selectors", &e);
            0
        }
    }
}

fn read_selectors(doc: &Node) -> Shaped<(String, Vec<EventSelector>)> {
    let trail = opt_str(doc, "TrailARN")?.unwrap_or_default();
    let mut selectors = Vec::new();
    for item in map_list(doc, "EventSelectors")? {
        let mut data_resources = Vec::new();
        for resource in map_list(item, "DataResources")? {
            let kind = opt_str(resource, "Type")?.unwrap_or_default();
            data_resources.push((kind, str_list(resource, "Values")?));
        }
        selectors.push(EventSelector {
            read_write_type: opt_str(item, "ReadWriteType")?.unwrap_or_else(|| "All".into()),
            include_management_events: opt_bool(item, "IncludeManagementEvents")?.unwrap_or(true),
            data_resources,
        });
    }
    for item in map_list(doc, "AdvancedEventSelectors")? {
        if let Some(selector) = advanced(item)? {
            selectors.push(selector);
        }
    }
    Ok((trail, selectors))
}

/// One advanced selector in the basic shape (see the module documentation).
fn advanced(item: &Node) -> Shaped<Option<EventSelector>> {
    let mut category = None;
    let mut read_only = None;
    let mut resource_type = None;
    let mut arns = Vec::new();
    for field in map_list(item, "FieldSelectors")? {
        let equals = str_list(field, "Equals")?;
        match opt_str(field, "Field")?.as_deref() {
            Some("eventCategory") => category = equals.first().cloned(),
            Some("readOnly") => read_only = equals.first().cloned(),
            Some("resources.type") => resource_type = equals.first().cloned(),
            Some("resources.ARN") => {
                arns.extend(equals);
                arns.extend(str_list(field, "StartsWith")?);
            }
            _ => {}
        }
    }
    Ok(advanced_selector(
        category.as_deref(),
        read_only.as_deref(),
        resource_type,
        arns,
    ))
}

/// One advanced event selector as the classic model of CloudTrail reads it: its
/// `eventCategory`, `readOnly` and `resources.type` values and its `resources.ARN` prefixes.
/// Shared by the CLI dump and the Terraform lowering.
pub fn advanced_selector(
    category: Option<&str>,
    read_only: Option<&str>,
    resource_type: Option<String>,
    mut arns: Vec<String>,
) -> Option<EventSelector> {
    let read_write_type = match read_only {
        Some("true") => "ReadOnly",
        Some("false") => "WriteOnly",
        _ => "All",
    }
    .to_string();
    match category {
        Some("Management") => Some(EventSelector {
            read_write_type,
            include_management_events: true,
            data_resources: Vec::new(),
        }),
        Some("Data") => {
            if arns.is_empty() {
                arns.push("arn:".to_string());
            }
            Some(EventSelector {
                read_write_type,
                include_management_events: false,
                data_resources: vec![(resource_type.unwrap_or_default(), arns)],
            })
        }
        _ => None,
    }
}

pub fn trail_status(doc: &Node, sink: &mut Sink<'_>) -> usize {
    match opt_bool(doc, "IsLogging") {
        Ok(Some(is_logging)) => {
            let line = doc.get("IsLogging").map_or(doc.line, |n| n.line);
            let provenance = sink.provenance(line);
            sink.pending.statuses.push(TrailStatus {
                is_logging,
                provenance,
            });
            1
        }
        Ok(None) => 0,
        Err(e) => {
            sink.skipped("the trail status", &e);
            0
        }
    }
}
