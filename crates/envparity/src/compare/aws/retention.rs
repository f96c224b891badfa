//! `log-retention-mismatch` for CloudWatch Logs: paired log groups (by mapped name) with a
//! different `retentionInDays` (absent means never expire), and paired trails whose
//! CloudWatch Logs groups (when both are in the inputs) keep events for different times.

use super::trails::{self, trail_pairs};
use super::{evidence, pair_named};
use crate::compare::{Context, Results};
use crate::findings::{Dimension, Finding, Rule, Subject};
use crate::model::{LogGroup, Snapshot, Trail};

const KIND: &str = "aws-log-group";

pub(super) fn compare(ctx: &Context<'_>, results: &mut Results) {
    let staging = &ctx.staging.aws.log_groups;
    let production = &ctx.production.aws.log_groups;
    if staging.is_empty() && production.is_empty() {
        return;
    }
    let paired = pair_named(
        staging,
        production,
        KIND,
        |g| g.name.clone(),
        ctx.names,
        results,
    );
    results.count_compared(Dimension::Monitoring, paired.pairs.len());
    let mut compared: Vec<(&str, &str)> = Vec::new();
    for (s, p, confidence) in &paired.pairs {
        compared.push((&s.name, &p.name));
        if s.retention_days != p.retention_days {
            results.add(
                Finding::new(
                    Rule::LogRetentionMismatch,
                    Subject {
                        kind: KIND.to_string(),
                        staging: Some(s.name.clone()),
                        production: Some(p.name.clone()),
                    },
                    format!(
                        "Staging log group `{}` keeps events {} while production log group `{}` keeps them {}.",
                        s.name,
                        keeps(s.retention_days),
                        p.name,
                        keeps(p.retention_days)
                    ),
                )
                .confidence(*confidence)
                .key(format!("{:?}/{:?}", s.retention_days, p.retention_days))
                .staging_evidence(evidence(&s.provenance, detail(s)))
                .production_evidence(evidence(&p.provenance, detail(p))),
            );
        }
    }
    let (pairs, _, _) = trail_pairs(ctx);
    for (s, p, confidence) in pairs {
        let (Some(sg), Some(pg)) = (trail_group(ctx.staging, s), trail_group(ctx.production, p))
        else {
            continue;
        };
        let already = compared
            .iter()
            .any(|(a, b)| *a == sg.name.as_str() && *b == pg.name.as_str());
        if already || sg.retention_days == pg.retention_days {
            continue;
        }
        results.add(
            Finding::new(
                Rule::LogRetentionMismatch,
                Subject {
                    kind: trails::KIND.to_string(),
                    staging: Some(s.name.clone()),
                    production: Some(p.name.clone()),
                },
                format!(
                    "Staging trail `{}` delivers to log group `{}` that keeps events {} while production trail `{}` delivers to `{}` that keeps them {}.",
                    s.name,
                    sg.name,
                    keeps(sg.retention_days),
                    p.name,
                    pg.name,
                    keeps(pg.retention_days)
                ),
            )
            .confidence(confidence)
            .key(format!(
                "trail-logs:{:?}/{:?}",
                sg.retention_days, pg.retention_days
            ))
            .staging_evidence(evidence(&sg.provenance, detail(sg)))
            .production_evidence(evidence(&pg.provenance, detail(pg))),
        );
    }
}

/// The log group a trail delivers to (`arn:aws:logs:…:log-group:NAME:*`), when read.
fn trail_group<'a>(snapshot: &'a Snapshot, trail: &Trail) -> Option<&'a LogGroup> {
    let arn = trail.cloudwatch_log_group.as_deref()?;
    let name = match arn.split_once(":log-group:") {
        Some((_, rest)) => rest.strip_suffix(":*").unwrap_or(rest),
        None => arn,
    };
    snapshot.aws.log_groups.iter().find(|g| g.name == name)
}

fn keeps(days: Option<i64>) -> String {
    match days {
        None => "forever (never expire)".to_string(),
        Some(1) => "1 day".to_string(),
        Some(n) => format!("{n} days"),
    }
}

fn detail(group: &LogGroup) -> String {
    match group.retention_days {
        Some(days) => format!("log group `{}`: retentionInDays {days}", group.name),
        None => format!(
            "log group `{}`: no retentionInDays (never expire)",
            group.name
        ),
    }
}
