//! `audit-logging-missing-in-staging` for CloudTrail: no trail or no multi-region trail in
//! staging, a paired staging trail that is not logging, event coverage (management events
//! by read/write type, data events by resource type and ARN prefix) that production records
//! and no logging staging trail does, and log-file validation or KMS encryption on in
//! production only. Coverage is a union over an environment's logging trails; when a staging
//! trail's event selectors were not given, its coverage is unknown and nothing is said.

use std::collections::BTreeSet;

use super::{evidence, weakest};
use crate::compare::{Context, Results};
use crate::correlate::pair_by;
use crate::findings::{Confidence, Dimension, Finding, Rule, Severity, Subject};
use crate::model::{EventSelector, Trail};

pub(super) const KIND: &str = "aws-cloudtrail";

pub(super) fn compare(ctx: &Context<'_>, results: &mut Results) {
    let staging = &ctx.staging.aws.trails;
    let production = &ctx.production.aws.trails;
    if staging.is_empty() && production.is_empty() {
        return;
    }
    let (pairs, staging_only, production_only) = trail_pairs(ctx);
    results.staging_only.extend(staging_only);
    results.production_only.extend(production_only);
    results.count_compared(Dimension::Monitoring, production.len());
    let counterpart = |p: &Trail| {
        pairs
            .iter()
            .find(|(_, q, _)| std::ptr::eq(*q, p))
            .map(|(s, _, c)| (*s, *c))
    };
    if let Some(finding) = missing_trail(staging, production, &counterpart) {
        results.add(finding);
    }
    for (s, p, confidence) in &pairs {
        if let Some(finding) = not_logging(s, p, *confidence) {
            results.add(finding);
        }
        integrity(s, p, *confidence, results);
    }
    coverage(ctx, &counterpart, results);
}

type Pair<'a> = (&'a Trail, &'a Trail, Confidence);

/// Pairs trails by mapped name; one trail left on each side pairs as `likely`. Returns the
/// pairs and the unpaired names (`aws-cloudtrail:name`) of each side.
pub(super) fn trail_pairs<'a>(ctx: &Context<'a>) -> (Vec<Pair<'a>>, Vec<String>, Vec<String>) {
    let mut paired = pair_by(
        &ctx.staging.aws.trails,
        &ctx.production.aws.trails,
        |t| t.name.clone(),
        ctx.names,
    );
    if let ([s], [p]) = (
        paired.staging_only.as_slice(),
        paired.production_only.as_slice(),
    ) {
        paired.pairs.push((*s, *p, Confidence::Likely));
        paired.staging_only.clear();
        paired.production_only.clear();
    }
    let only = |list: &[&Trail]| list.iter().map(|t| format!("{KIND}:{}", t.name)).collect();
    let staging_only = only(&paired.staging_only);
    let production_only = only(&paired.production_only);
    (paired.pairs, staging_only, production_only)
}

fn subject(staging: Option<&Trail>, production: &Trail) -> Subject {
    Subject {
        kind: KIND.to_string(),
        staging: staging.map(|t| t.name.clone()),
        production: Some(production.name.clone()),
    }
}

fn maybe_logging(trail: &Trail) -> bool {
    trail.is_logging != Some(false)
}

/// No staging trail at all, or no multi-region one where production has a logging one.
fn missing_trail<'a>(
    staging: &'a [Trail],
    production: &[Trail],
    counterpart: &impl Fn(&Trail) -> Option<(&'a Trail, Confidence)>,
) -> Option<Finding> {
    let none_at_all = staging.is_empty();
    let reference = production
        .iter()
        .filter(|p| maybe_logging(p) && (none_at_all || p.multi_region))
        .min_by(|a, b| a.name.cmp(&b.name))?;
    if !none_at_all && staging.iter().any(|s| s.multi_region) {
        return None;
    }
    let confidence = if reference.is_logging == Some(true) {
        Confidence::Proven
    } else {
        Confidence::Likely
    };
    let paired = counterpart(reference).map(|(s, _)| s);
    let (message, key) = if none_at_all {
        (
            format!(
                "Production trail `{}` records API activity and staging has no CloudTrail trail.",
                reference.name
            ),
            "no-trail",
        )
    } else {
        (
            format!(
                "Production trail `{}` records every region and staging has no multi-region trail, so activity in other regions goes unlogged in staging.",
                reference.name
            ),
            "no-multi-region-trail",
        )
    };
    let mut finding = Finding::new(
        Rule::AuditLoggingMissingInStaging,
        subject(paired, reference),
        message,
    )
    .confidence(confidence)
    .key(key)
    .production_evidence(evidence(&reference.provenance, describe(reference)));
    for s in staging {
        finding = finding.staging_evidence(evidence(&s.provenance, describe(s)));
    }
    Some(finding)
}

fn not_logging(staging: &Trail, production: &Trail, confidence: Confidence) -> Option<Finding> {
    if staging.is_logging != Some(false) || production.is_logging == Some(false) {
        return None;
    }
    let confidence = match production.is_logging {
        Some(true) => confidence,
        _ => weakest(confidence, Confidence::Likely),
    };
    Some(
        Finding::new(
            Rule::AuditLoggingMissingInStaging,
            subject(Some(staging), production),
            format!(
                "Staging trail `{}` is not logging (IsLogging false) while production trail `{}` is.",
                staging.name, production.name
            ),
        )
        .confidence(confidence)
        .key("not-logging")
        .staging_evidence(evidence(&staging.provenance, describe(staging)))
        .production_evidence(evidence(&production.provenance, describe(production))),
    )
}

/// Log-file validation and KMS encryption on in production only (severity medium).
fn integrity(staging: &Trail, production: &Trail, confidence: Confidence, results: &mut Results) {
    let checks = [
        (
            production.log_file_validation && !staging.log_file_validation,
            "log-file-validation",
            "log file validation",
        ),
        (
            production.kms_key.is_some() && staging.kms_key.is_none(),
            "kms-encryption",
            "KMS encryption of log files",
        ),
    ];
    for (differs, key, what) in checks {
        if !differs {
            continue;
        }
        results.add(
            Finding::new(
                Rule::AuditLoggingMissingInStaging,
                subject(Some(staging), production),
                format!(
                    "Production trail `{}` has {what} and staging trail `{}` does not.",
                    production.name, staging.name
                ),
            )
            .severity(Severity::Medium)
            .confidence(confidence)
            .key(key)
            .staging_evidence(evidence(&staging.provenance, describe(staging)))
            .production_evidence(evidence(&production.provenance, describe(production))),
        );
    }
}

pub(super) fn describe(trail: &Trail) -> String {
    let logging = match trail.is_logging {
        Some(true) => "logging",
        Some(false) => "not logging",
        None => "logging status not given",
    };
    format!(
        "trail `{}`: {}, {logging}, log file validation {}, KMS key {}",
        trail.name,
        if trail.multi_region {
            "multi-region"
        } else {
            "single-region"
        },
        if trail.log_file_validation {
            "on"
        } else {
            "off"
        },
        if trail.kms_key.is_some() {
            "set"
        } else {
            "none"
        },
    )
}

/// One kind of recorded event.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
enum Recorded {
    Management {
        write: bool,
    },
    Data {
        kind: String,
        prefix: String,
        write: bool,
    },
}

/// Read/write coverage of a `ReadWriteType`; `None` when the value is not one AWS defines.
fn read_write(selector: &EventSelector) -> Option<&'static [bool]> {
    match selector.read_write_type.as_str() {
        "All" => Some(&[false, true]),
        "ReadOnly" => Some(&[false]),
        "WriteOnly" => Some(&[true]),
        _ => None,
    }
}

/// What a trail records; staging's data prefixes are rewritten into production's names.
/// An unknown read/write type counts as both for staging (assume covered) and as neither
/// for production (never claim what is not known).
fn recorded(trail: &Trail, map: &impl Fn(&str) -> String, generous: bool) -> BTreeSet<Recorded> {
    let mut out = BTreeSet::new();
    for selector in trail.event_selectors.iter().flatten() {
        let rw: &[bool] = match read_write(selector) {
            Some(rw) => rw,
            None if generous => &[false, true],
            None => &[],
        };
        for &write in rw {
            if selector.include_management_events {
                out.insert(Recorded::Management { write });
            }
            for (kind, values) in &selector.data_resources {
                for value in values {
                    out.insert(Recorded::Data {
                        kind: kind.clone(),
                        prefix: map(value),
                        write,
                    });
                }
            }
        }
    }
    out
}

fn covers(have: &BTreeSet<Recorded>, wanted: &Recorded) -> bool {
    have.iter().any(|h| match (h, wanted) {
        (Recorded::Management { write: a }, Recorded::Management { write: b }) => a == b,
        (
            Recorded::Data {
                kind: k1,
                prefix: p1,
                write: w1,
            },
            Recorded::Data {
                kind: k2,
                prefix: p2,
                write: w2,
            },
        ) => k1 == k2 && w1 == w2 && p2.starts_with(p1.as_str()),
        _ => false,
    })
}

fn coverage<'a>(
    ctx: &Context<'_>,
    counterpart: &impl Fn(&Trail) -> Option<(&'a Trail, Confidence)>,
    results: &mut Results,
) {
    let logging: Vec<&Trail> = ctx
        .staging
        .aws
        .trails
        .iter()
        .filter(|t| maybe_logging(t))
        .collect();
    if logging.is_empty() || logging.iter().any(|t| t.event_selectors.is_none()) {
        return;
    }
    let map = |v: &str| ctx.names.to_production(v).text;
    let mut staging = BTreeSet::new();
    for trail in &logging {
        staging.extend(recorded(trail, &map, true));
    }
    let mut reported = BTreeSet::new();
    let mut production: Vec<&Trail> = ctx.production.aws.trails.iter().collect();
    production.sort_by(|a, b| a.name.cmp(&b.name));
    for p in production.into_iter().filter(|p| maybe_logging(p)) {
        let missing: Vec<Recorded> = recorded(p, &|v: &str| v.to_string(), false)
            .into_iter()
            .filter(|r| !covers(&staging, r) && !reported.contains(r))
            .collect();
        let mut groups: Vec<(String, String, Vec<&'static str>)> = Vec::new();
        for item in &missing {
            let (key, what, rw) = match item {
                Recorded::Management { write } => (
                    "management".to_string(),
                    "management events".to_string(),
                    if *write { "write" } else { "read" },
                ),
                Recorded::Data {
                    kind,
                    prefix,
                    write,
                } => (
                    format!("data:{kind}:{prefix}"),
                    format!("`{kind}` data events on `{prefix}`"),
                    if *write { "write" } else { "read" },
                ),
            };
            match groups.iter_mut().find(|g| g.0 == key) {
                Some(group) => group.2.push(rw),
                None => groups.push((key, what, vec![rw])),
            }
        }
        reported.extend(missing);
        let paired = counterpart(p);
        for (key, what, rws) in groups {
            let rw = rws.join(" and ");
            let mut finding = Finding::new(
                Rule::AuditLoggingMissingInStaging,
                subject(paired.map(|(s, _)| s), p),
                format!(
                    "Production trail `{}` records {rw} {what} that no logging staging trail records.",
                    p.name
                ),
            )
            .confidence(paired.map_or(Confidence::Proven, |(_, c)| c))
            .key(format!("{key}:{rw}"))
            .production_evidence(evidence(&p.provenance, selectors(p)));
            for s in &logging {
                finding = finding.staging_evidence(evidence(&s.provenance, selectors(s)));
            }
            results.add(finding);
        }
    }
}

fn selectors(trail: &Trail) -> String {
    let Some(list) = &trail.event_selectors else {
        return format!("trail `{}`: event selectors not given", trail.name);
    };
    if list.is_empty() {
        return format!("trail `{}`: no event selectors", trail.name);
    }
    let parts: Vec<String> = list
        .iter()
        .map(|s| {
            let data: Vec<String> = s
                .data_resources
                .iter()
                .map(|(kind, values)| format!("{kind} {}", values.join(" ")))
                .collect();
            format!(
                "ReadWriteType {}, management events {}{}",
                s.read_write_type,
                if s.include_management_events {
                    "on"
                } else {
                    "off"
                },
                if data.is_empty() {
                    String::new()
                } else {
                    format!(", data {}", data.join("; "))
                }
            )
        })
        .collect();
    format!(
        "trail `{}` event selectors: {}",
        trail.name,
        parts.join(" | ")
    )
}
