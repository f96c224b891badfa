//! AWS controls other than access, trust and identity: Secrets Manager rotation and sharing,
//! long-lived access keys, CloudTrail coverage, alarms and detectors, log retention, and
//! security-group flows. One file per concern; each pairs by name through the [`NameMap`].

mod credentials;
mod dates;
mod detection;
mod retention;
mod rotation;
mod security_groups;
mod shared;
mod trails;

#[cfg(test)]
mod tests;

use crate::compare::{Context, Results};
use crate::correlate::{NameMap, Paired, pair_by};
use crate::findings::{Confidence, Evidence, Side};
use crate::model::Provenance;

pub fn compare(ctx: &Context<'_>, results: &mut Results) {
    rotation::compare(ctx, results);
    shared::compare(ctx, results);
    credentials::compare(ctx, results);
    trails::compare(ctx, results);
    detection::compare(ctx, results);
    retention::compare(ctx, results);
    security_groups::compare(ctx, results);
}

/// Pairs two lists by mapped name and records the unpaired ones as `kind:name`.
fn pair_named<'a, T>(
    staging: &'a [T],
    production: &'a [T],
    kind: &str,
    name: impl Fn(&T) -> String,
    names: &NameMap,
    results: &mut Results,
) -> Paired<'a, T> {
    let paired = pair_by(staging, production, &name, names);
    for item in &paired.staging_only {
        results.staging_only.push(format!("{kind}:{}", name(item)));
    }
    for item in &paired.production_only {
        results
            .production_only
            .push(format!("{kind}:{}", name(item)));
    }
    paired
}

/// Evidence at a fact's own provenance.
fn evidence(provenance: &Provenance, detail: impl Into<String>) -> Evidence {
    Evidence::at(provenance, None, detail)
}

/// The lower of two confidences (`proven` > `likely` > `unknown`).
fn weakest(a: Confidence, b: Confidence) -> Confidence {
    a.max(b)
}

/// `staging` / `production`, for messages.
fn side_label(side: Side) -> &'static str {
    match side {
        Side::Staging => "staging",
        Side::Production => "production",
    }
}

/// `Staging` / `Production`, to start a message.
fn side_title(side: Side) -> &'static str {
    match side {
        Side::Staging => "Staging",
        Side::Production => "Production",
    }
}

/// `likely` when an inferred mapping was needed, else `proven`.
fn pairing_confidence(inferred: bool) -> Confidence {
    if inferred {
        Confidence::Likely
    } else {
        Confidence::Proven
    }
}
