//! `secret-rotation-mismatch` for Secrets Manager: paired secrets (by mapped name) must both
//! rotate or both not, with the same period. `rate(N days)` equals `AutomaticallyAfterDays`
//! N; a rotation whose period is not given is compared as enabled only.

use super::{evidence, pair_named, weakest};
use crate::compare::{Context, Results};
use crate::correlate::NameMap;
use crate::findings::{Confidence, Dimension, Finding, Rule, Subject};
use crate::model::AwsSecret;

const KIND: &str = "aws-secret";

pub(super) fn compare(ctx: &Context<'_>, results: &mut Results) {
    let staging = &ctx.staging.aws.secrets;
    let production = &ctx.production.aws.secrets;
    if staging.is_empty() && production.is_empty() {
        return;
    }
    let paired = pair_named(
        staging,
        production,
        KIND,
        |s| s.name.clone(),
        ctx.names,
        results,
    );
    results.count_compared(Dimension::Secrets, paired.pairs.len());
    for (s, p, confidence) in paired.pairs {
        if let Some(finding) = mismatch(s, p, confidence, ctx.names) {
            results.add(finding);
        }
    }
}

/// A secret's rotation, normalized for comparison.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Rotation {
    Off,
    Days(i64),
    /// A schedule expression that is not `rate(N days)` (in production's vocabulary).
    Schedule(String),
    /// Enabled, period not given.
    On,
}

impl Rotation {
    fn describe(&self) -> String {
        match self {
            Rotation::Off => "no automatic rotation".to_string(),
            Rotation::Days(1) => "rotation every day".to_string(),
            Rotation::Days(n) => format!("rotation every {n} days"),
            Rotation::Schedule(s) => format!("rotation on schedule `{s}`"),
            Rotation::On => "rotation enabled (period not given)".to_string(),
        }
    }
}

/// `rate(30 days)` → 30; `rate(1 day)` → 1; anything else `None`.
fn rate_days(expression: &str) -> Option<i64> {
    let inner = expression.trim().strip_prefix("rate(")?.strip_suffix(')')?;
    let (number, unit) = inner.trim().split_once(' ')?;
    match unit.trim() {
        "day" | "days" => number.trim().parse().ok(),
        _ => None,
    }
}

fn rotation(secret: &AwsSecret, map: impl Fn(&str) -> String) -> Rotation {
    if !secret.rotation_enabled {
        return Rotation::Off;
    }
    if let Some(days) = secret.rotation_days {
        return Rotation::Days(days);
    }
    match &secret.rotation_schedule {
        Some(schedule) => match rate_days(schedule) {
            Some(days) => Rotation::Days(days),
            None => Rotation::Schedule(map(schedule.trim())),
        },
        None => Rotation::On,
    }
}

fn mismatch(
    staging: &AwsSecret,
    production: &AwsSecret,
    confidence: Confidence,
    names: &NameMap,
) -> Option<Finding> {
    let s = rotation(staging, |t| names.to_production(t).text);
    let p = rotation(production, str::to_string);
    let comparable = match (&s, &p) {
        (Rotation::Off, _) | (_, Rotation::Off) => true,
        (Rotation::On, _) | (_, Rotation::On) => false,
        _ => true,
    };
    if s == p || !comparable {
        return None;
    }
    // A cron schedule against a day count may still be the same period: say so.
    let confidence = match (&s, &p) {
        (Rotation::Schedule(_), Rotation::Days(_)) | (Rotation::Days(_), Rotation::Schedule(_)) => {
            weakest(confidence, Confidence::Likely)
        }
        _ => confidence,
    };
    let message = format!(
        "Staging secret `{}` has {} while production secret `{}` has {}.",
        staging.name,
        s.describe(),
        production.name,
        p.describe()
    );
    Some(
        Finding::new(
            Rule::SecretRotationMismatch,
            Subject {
                kind: KIND.to_string(),
                staging: Some(staging.name.clone()),
                production: Some(production.name.clone()),
            },
            message,
        )
        .confidence(confidence)
        .key(format!("rotation:{:?}/{:?}", s, p))
        .staging_evidence(evidence(&staging.provenance, detail(staging)))
        .production_evidence(evidence(&production.provenance, detail(production))),
    )
}

fn detail(secret: &AwsSecret) -> String {
    let mut text = format!(
        "secret `{}`: RotationEnabled {}",
        secret.name, secret.rotation_enabled
    );
    if let Some(days) = secret.rotation_days {
        text.push_str(&format!(", AutomaticallyAfterDays {days}"));
    }
    if let Some(schedule) = &secret.rotation_schedule {
        text.push_str(&format!(", ScheduleExpression `{schedule}`"));
    }
    text
}
