//! CloudWatch alarms, GuardDuty and AWS Config: `detection-rule-missing-in-staging` for a
//! production alarm without a staging counterpart (or with its actions disabled in staging),
//! a GuardDuty detector or a Config recorder active in production only; and
//! `detection-rule-differs` for paired alarms watching a different metric or condition.

use super::{evidence, pair_named};
use crate::compare::{Context, Results};
use crate::correlate::NameMap;
use crate::findings::{Confidence, Dimension, Finding, Rule, Subject};
use crate::model::{Alarm, ConfigRecorder, GuardDutyDetector};

const ALARM: &str = "aws-alarm";
const GUARDDUTY: &str = "aws-guardduty";
const RECORDER: &str = "aws-config-recorder";

pub(super) fn compare(ctx: &Context<'_>, results: &mut Results) {
    alarms(ctx, results);
    guardduty(ctx, results);
    recorders(ctx, results);
}

fn alarms(ctx: &Context<'_>, results: &mut Results) {
    let staging = &ctx.staging.aws.alarms;
    let production = &ctx.production.aws.alarms;
    if staging.is_empty() && production.is_empty() {
        return;
    }
    let paired = pair_named(
        staging,
        production,
        ALARM,
        |a| a.name.clone(),
        ctx.names,
        results,
    );
    results.count_compared(Dimension::Monitoring, production.len());
    for p in &paired.production_only {
        results.add(
            Finding::new(
                Rule::DetectionRuleMissingInStaging,
                Subject::one_side(ALARM, crate::findings::Side::Production, p.name.clone()),
                format!(
                    "Production alarm `{}` ({}) has no staging counterpart, so it cannot fire in staging.",
                    p.name,
                    condition(p)
                ),
            )
            .key("missing")
            .production_evidence(evidence(&p.provenance, detail(p))),
        );
    }
    for (s, p, confidence) in paired.pairs {
        let subject = Subject {
            kind: ALARM.to_string(),
            staging: Some(s.name.clone()),
            production: Some(p.name.clone()),
        };
        if p.actions_enabled && !s.actions_enabled {
            results.add(
                Finding::new(
                    Rule::DetectionRuleMissingInStaging,
                    subject.clone(),
                    format!(
                        "Staging alarm `{}` has its actions disabled while production alarm `{}` notifies, so the alarm cannot alert in staging.",
                        s.name, p.name
                    ),
                )
                .confidence(confidence)
                .key("actions-disabled")
                .staging_evidence(evidence(&s.provenance, detail(s)))
                .production_evidence(evidence(&p.provenance, detail(p))),
            );
        }
        let differences = differences(s, p, ctx.names);
        if differences.is_empty() {
            continue;
        }
        let described: Vec<String> = differences
            .iter()
            .map(|(aspect, sv, pv)| format!("{aspect} {sv} in staging, {pv} in production"))
            .collect();
        let aspects: Vec<&str> = differences.iter().map(|d| d.0).collect();
        results.add(
            Finding::new(
                Rule::DetectionRuleDiffers,
                subject,
                format!(
                    "Alarm `{}` differs from production alarm `{}`: {}.",
                    s.name,
                    p.name,
                    described.join("; ")
                ),
            )
            .confidence(confidence)
            .key(aspects.join(","))
            .staging_evidence(evidence(&s.provenance, detail(s)))
            .production_evidence(evidence(&p.provenance, detail(p))),
        );
    }
}

fn shown<T: std::fmt::Display>(value: &Option<T>) -> String {
    match value {
        Some(v) => format!("`{v}`"),
        None => "(none)".to_string(),
    }
}

/// (aspect, staging value, production value) for each aspect that differs; staging's text
/// is rewritten into production's names first.
fn differences(s: &Alarm, p: &Alarm, names: &NameMap) -> Vec<(&'static str, String, String)> {
    let map = |v: &Option<String>| v.as_ref().map(|t| names.to_production(t).text);
    let mut out = Vec::new();
    for (aspect, sv, pv, mapped) in [
        ("namespace", &s.namespace, &p.namespace, map(&s.namespace)),
        ("metric", &s.metric, &p.metric, map(&s.metric)),
        (
            "comparison",
            &s.comparison,
            &p.comparison,
            s.comparison.clone(),
        ),
    ] {
        if mapped != *pv {
            out.push((aspect, shown(sv), shown(pv)));
        }
    }
    if s.threshold != p.threshold {
        out.push(("threshold", shown(&s.threshold), shown(&p.threshold)));
    }
    if s.evaluation_periods != p.evaluation_periods {
        out.push((
            "evaluation periods",
            shown(&s.evaluation_periods),
            shown(&p.evaluation_periods),
        ));
    }
    out
}

fn condition(alarm: &Alarm) -> String {
    format!(
        "{}/{} {} {} for {} period(s)",
        alarm.namespace.as_deref().unwrap_or("?"),
        alarm.metric.as_deref().unwrap_or("?"),
        alarm.comparison.as_deref().unwrap_or("?"),
        alarm.threshold.map_or("?".to_string(), |t| t.to_string()),
        alarm
            .evaluation_periods
            .map_or("?".to_string(), |n| n.to_string()),
    )
}

fn detail(alarm: &Alarm) -> String {
    format!(
        "alarm `{}`: {}, actions {}",
        alarm.name,
        condition(alarm),
        if alarm.actions_enabled {
            "enabled"
        } else {
            "disabled"
        }
    )
}

/// `Some(true)` enabled, `Some(false)` disabled, `None` unknown (status not given).
fn detector_enabled(detector: &GuardDutyDetector) -> Option<bool> {
    detector.status.as_deref().map(|s| s == "ENABLED")
}

fn guardduty(ctx: &Context<'_>, results: &mut Results) {
    let staging = &ctx.staging.aws.detectors;
    let production = &ctx.production.aws.detectors;
    let Some(reference) = production
        .iter()
        .filter(|d| detector_enabled(d) == Some(true))
        .min_by(|a, b| a.id.cmp(&b.id))
    else {
        return;
    };
    results.count_compared(Dimension::Monitoring, 1);
    // Staging enabled or unknown: nothing proven.
    if staging.iter().any(|d| detector_enabled(d) != Some(false)) {
        return;
    }
    let (message, staging_name) = match staging.first() {
        Some(d) => (
            format!(
                "GuardDuty detector `{}` is enabled in production and staging's detector `{}` is disabled.",
                reference.id, d.id
            ),
            Some(d.id.clone()),
        ),
        None => (
            format!(
                "GuardDuty detector `{}` is enabled in production and staging has no GuardDuty detector.",
                reference.id
            ),
            None,
        ),
    };
    let mut finding = Finding::new(
        Rule::DetectionRuleMissingInStaging,
        Subject {
            kind: GUARDDUTY.to_string(),
            staging: staging_name,
            production: Some(reference.id.clone()),
        },
        message,
    )
    .confidence(Confidence::Proven)
    .key("guardduty")
    .production_evidence(evidence(
        &reference.provenance,
        format!("detector `{}`: ENABLED", reference.id),
    ));
    for d in staging {
        finding = finding.staging_evidence(evidence(
            &d.provenance,
            format!("detector `{}`: {}", d.id, d.status.as_deref().unwrap_or("")),
        ));
    }
    results.add(finding);
}

fn recorders(ctx: &Context<'_>, results: &mut Results) {
    let staging = &ctx.staging.aws.config_recorders;
    let production = &ctx.production.aws.config_recorders;
    let Some(reference) = production
        .iter()
        .filter(|r| r.recording)
        .min_by(|a, b| a.name.cmp(&b.name))
    else {
        return;
    };
    results.count_compared(Dimension::Monitoring, 1);
    if staging.iter().any(|r| r.recording) {
        return;
    }
    let mapped = ctx.names.to_staging(&reference.name);
    let counterpart: Option<&ConfigRecorder> = staging
        .iter()
        .find(|r| r.name == mapped)
        .or(staging.first());
    let message = match counterpart {
        Some(r) => format!(
            "AWS Config recorder `{}` records in production and staging's recorder `{}` is not recording.",
            reference.name, r.name
        ),
        None => format!(
            "AWS Config recorder `{}` records in production and staging has no configuration recorder.",
            reference.name
        ),
    };
    let mut finding = Finding::new(
        Rule::DetectionRuleMissingInStaging,
        Subject {
            kind: RECORDER.to_string(),
            staging: counterpart.map(|r| r.name.clone()),
            production: Some(reference.name.clone()),
        },
        message,
    )
    .key("config-recorder")
    .production_evidence(evidence(
        &reference.provenance,
        format!("recorder `{}`: recording true", reference.name),
    ));
    for r in staging {
        finding = finding.staging_evidence(evidence(
            &r.provenance,
            format!("recorder `{}`: recording false", r.name),
        ));
    }
    results.add(finding);
}
