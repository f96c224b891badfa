//! Secrets Manager, CloudTrail and CloudWatch Logs resources → the model's secrets, trails
//! and log groups, as `list-secrets`, `describe-trails` (with `get-trail-status` and
//! `get-event-selectors`) and `describe-log-groups` would show them.

use super::super::node::{ShapeError, Shaped};
use super::Lowering;
use super::attrs::{Field, View};
use super::document::Resource;
use crate::model::{AwsSecret, EventSelector, LogGroup, Trail};

const TYPES: &[&str] = &[
    "aws_secretsmanager_secret",
    "aws_secretsmanager_secret_rotation",
    "aws_cloudtrail",
    "aws_cloudwatch_log_group",
];

pub fn handles(r: &Resource<'_>) -> bool {
    !r.data && TYPES.contains(&r.kind.as_str())
}

pub fn lower(lw: &mut Lowering<'_, '_>) {
    let resources = lw.resources;
    let mut secrets = std::collections::BTreeMap::new();
    for (at, r) in resources.iter().enumerate() {
        let result = match r.kind.as_str() {
            "aws_secretsmanager_secret" if !r.data => {
                secret(lw, r).map(|i| i.map(|i| secrets.insert(at, i)).is_some())
            }
            "aws_cloudtrail" if !r.data => trail(lw, r),
            "aws_cloudwatch_log_group" if !r.data => log_group(lw, r),
            _ => continue,
        };
        match result {
            Ok(true) => lw.objects += 1,
            Ok(false) => {}
            Err(e) => lw.skipped(r, &e),
        }
    }
    for r in resources.iter().filter(|r| r.kind == TYPES[1] && !r.data) {
        if let Err(e) = rotation(lw, r, &secrets) {
            lw.skipped(r, &e);
        }
    }
}

/// A name that identifies the object; `None` (with a warning) when known only after apply.
fn name(lw: &mut Lowering<'_, '_>, r: &Resource<'_>, key: &str) -> Shaped<Option<String>> {
    let view = r.values.at(key);
    match view.text()? {
        Field::Known(name) => Ok(Some(name)),
        Field::Unknown => {
            lw.unknown(r, &view, "the object cannot be paired and is not compared");
            Ok(None)
        }
        Field::Absent => Err(ShapeError {
            field: view.path,
            expected: "a string",
            line: view.line,
        }),
    }
}

/// A known, non-empty text attribute (`""` is how providers write "none").
fn text(r: &Resource<'_>, key: &str) -> Shaped<Option<String>> {
    Ok(r.values.string(key)?.known().filter(|s| !s.is_empty()))
}

fn secret(lw: &mut Lowering<'_, '_>, r: &Resource<'_>) -> Shaped<Option<usize>> {
    let Some(name) = name(lw, r, "name")? else {
        return Ok(None);
    };
    let arn = match text(r, "arn")? {
        Some(arn) => arn,
        None => lw.placeholder(r, &r.values.at("arn"), "known after apply"),
    };
    // Rotation configured on the secret itself (older providers); a rotation resource
    // overrides it below.
    let lambda = text(r, "rotation_lambda_arn")?;
    let rotation_enabled =
        r.values.bool("rotation_enabled")?.known() == Some(true) || lambda.is_some();
    let (rotation_days, rotation_schedule) = match r.values.block("rotation_rules")? {
        Field::Known(rules) if rotation_enabled => rules_of(&rules)?,
        _ => (None, None),
    };
    let tags = r.values.string_map("tags")?;
    let provenance = lw.provenance(r.values.at("name").line);
    let secrets = &mut lw.snapshot.aws.secrets;
    secrets.push(AwsSecret {
        arn,
        name,
        rotation_enabled,
        rotation_days,
        rotation_schedule,
        rotation_lambda: lambda,
        kms_key: text(r, "kms_key_id")?,
        last_rotated: None,
        tags,
        provenance,
    });
    Ok(Some(secrets.len() - 1))
}

/// `rotation_rules`: days (`0` when unset) and schedule expression (`""` when unset).
fn rules_of(rules: &View<'_>) -> Shaped<(Option<i64>, Option<String>)> {
    let days = rules
        .int("automatically_after_days")?
        .known()
        .filter(|d| *d > 0);
    let schedule = rules
        .string("schedule_expression")?
        .known()
        .filter(|s| !s.is_empty());
    Ok((days, schedule))
}

/// `aws_secretsmanager_secret_rotation`: rotation switched on for the secret it names (by ARN
/// or name, or through the configuration's reference before apply).
fn rotation(
    lw: &mut Lowering<'_, '_>,
    r: &Resource<'_>,
    secrets: &std::collections::BTreeMap<usize, usize>,
) -> Shaped<()> {
    let view = r.values.at("secret_id");
    let target = match view.text()? {
        Field::Known(id) => lw
            .snapshot
            .aws
            .secrets
            .iter()
            .rposition(|s| s.arn == id || s.name == id),
        Field::Unknown => lw
            .index
            .linked(lw.resources, r, &view, &["aws_secretsmanager_secret"])
            .and_then(|at| secrets.get(&at).copied()),
        Field::Absent => None,
    };
    let Some(target) = target else {
        lw.warn(
            Some(view.line),
            format!(
                "ignored `{}`: the secret it rotates is not among the inputs read so far",
                r.address
            ),
        );
        return Ok(());
    };
    let enabled = r.values.bool("rotation_enabled")?.known() != Some(false);
    let (days, schedule) = match r.values.block("rotation_rules")? {
        Field::Known(rules) => {
            if rules.at("automatically_after_days").is_unknown()
                || rules.at("schedule_expression").is_unknown()
            {
                lw.unknown(r, &rules, "the rotation period is compared as not given");
            }
            rules_of(&rules)?
        }
        Field::Unknown => {
            let rules = r.values.at("rotation_rules");
            lw.unknown(r, &rules, "the rotation period is compared as not given");
            (None, None)
        }
        Field::Absent => (None, None),
    };
    let lambda = text(r, "rotation_lambda_arn")?;
    if let Some(secret) = lw.snapshot.aws.secrets.get_mut(target) {
        secret.rotation_enabled = enabled;
        secret.rotation_days = if enabled { days } else { None };
        secret.rotation_schedule = if enabled { schedule } else { None };
        if lambda.is_some() {
            secret.rotation_lambda = lambda;
        }
    }
    Ok(())
}

fn trail(lw: &mut Lowering<'_, '_>, r: &Resource<'_>) -> Shaped<bool> {
    let Some(name) = name(lw, r, "name")? else {
        return Ok(false);
    };
    let flag = |key: &str, default: bool| -> Shaped<bool> {
        Ok(r.values.bool(key)?.known().unwrap_or(default))
    };
    let log_view = r.values.at("cloud_watch_logs_group_arn");
    let cloudwatch_log_group = match log_view.text()? {
        Field::Known(arn) if !arn.is_empty() => Some(arn),
        Field::Unknown => log_group_arn(lw, r, &log_view),
        Field::Known(_) | Field::Absent => None,
    };
    let trail = Trail {
        arn: text(r, "arn")?,
        home_region: text(r, "home_region")?,
        multi_region: flag("is_multi_region_trail", false)?,
        organization_trail: flag("is_organization_trail", false)?,
        include_global_events: flag("include_global_service_events", true)?,
        log_file_validation: flag("enable_log_file_validation", false)?,
        kms_key: match r.values.string("kms_key_id")? {
            Field::Known(key) => Some(key).filter(|k| !k.is_empty()),
            Field::Unknown => {
                Some(lw.placeholder(r, &r.values.at("kms_key_id"), "known after apply"))
            }
            Field::Absent => None,
        },
        s3_bucket: text(r, "s3_bucket_name")?,
        cloudwatch_log_group,
        is_logging: Some(flag("enable_logging", true)?),
        event_selectors: Some(selectors(r)?),
        provenance: lw.provenance(r.values.at("name").line),
        name,
    };
    lw.snapshot.aws.trails.push(trail);
    Ok(true)
}

/// The ARN of the log group a trail delivers to when the plan knows it only after apply:
/// the referenced `aws_cloudwatch_log_group`'s name, in the ARN form CloudTrail uses.
fn log_group_arn(lw: &mut Lowering<'_, '_>, r: &Resource<'_>, view: &View<'_>) -> Option<String> {
    let group = lw
        .index
        .linked(lw.resources, r, view, &["aws_cloudwatch_log_group"])
        .and_then(|at| lw.resources.get(at))
        .and_then(|g| g.values.string("name").ok()?.known());
    match group {
        Some(name) => Some(format!("arn:{}:logs:::log-group:{name}:*", lw.partition)),
        None => {
            lw.unknown(r, view, "the trail's log group is not known");
            Some(lw.placeholder(r, view, "known after apply"))
        }
    }
}

/// `event_selector` and `advanced_event_selector` blocks; none means CloudTrail's default
/// selector (all management events), as `get-event-selectors` shows for such a trail.
/// Advanced selectors are folded the way the CLI dump reader folds them.
fn selectors(r: &Resource<'_>) -> Shaped<Vec<EventSelector>> {
    let mut out = Vec::new();
    if let Field::Known(blocks) = r.values.blocks("event_selector")? {
        for block in blocks {
            let mut data_resources = Vec::new();
            if let Field::Known(items) = block.blocks("data_resource")? {
                for item in items {
                    let kind = item.string("type")?.known().unwrap_or_default();
                    let values = item.strings("values")?.known().unwrap_or_default();
                    data_resources.push((kind, values));
                }
            }
            out.push(EventSelector {
                read_write_type: block
                    .string("read_write_type")?
                    .known()
                    .unwrap_or_else(|| "All".to_string()),
                include_management_events: block
                    .bool("include_management_events")?
                    .known()
                    .unwrap_or(true),
                data_resources,
            });
        }
    }
    let mut advanced_seen = false;
    if let Field::Known(blocks) = r.values.blocks("advanced_event_selector")? {
        for block in blocks {
            advanced_seen = true;
            if let Some(selector) = advanced(&block)? {
                out.push(selector);
            }
        }
    }
    if out.is_empty() && !advanced_seen {
        out.push(EventSelector {
            read_write_type: "All".to_string(),
            include_management_events: true,
            data_resources: Vec::new(),
        });
    }
    Ok(out)
}

fn advanced(block: &View<'_>) -> Shaped<Option<EventSelector>> {
    let (mut category, mut read_only, mut resource_type) = (None, None, None);
    let mut arns = Vec::new();
    if let Field::Known(fields) = block.blocks("field_selector")? {
        for field in fields {
            let equals = field.strings("equals")?.known().unwrap_or_default();
            match field.string("field")?.known().as_deref() {
                Some("eventCategory") => category = equals.first().cloned(),
                Some("readOnly") => read_only = equals.first().cloned(),
                Some("resources.type") => resource_type = equals.first().cloned(),
                Some("resources.ARN") => {
                    arns.extend(equals);
                    arns.extend(field.strings("starts_with")?.known().unwrap_or_default());
                }
                _ => {}
            }
        }
    }
    Ok(crate::ingest::aws::advanced_selector(
        category.as_deref(),
        read_only.as_deref(),
        resource_type,
        arns,
    ))
}

fn log_group(lw: &mut Lowering<'_, '_>, r: &Resource<'_>) -> Shaped<bool> {
    let Some(name) = name(lw, r, "name")? else {
        return Ok(false);
    };
    let view = r.values.at("retention_in_days");
    let retention_days = match r.values.int("retention_in_days")? {
        // 0 is the provider's "never expire", which the API shows as no retention.
        Field::Known(days) => Some(days).filter(|d| *d > 0),
        Field::Absent => None,
        Field::Unknown => {
            lw.unknown(r, &view, "the log group is not compared");
            return Ok(false);
        }
    };
    lw.snapshot.aws.log_groups.push(LogGroup {
        name,
        retention_days,
        kms_key: text(r, "kms_key_id")?,
        provenance: lw.provenance(r.values.at("name").line),
    });
    Ok(true)
}
