//! The findings of one paired key (`config-value-drift`, `config-placeholder-value`) and of a
//! key present on one side only (`config-key-missing`).

use super::keys::classify;
use super::sites::Site;
use super::values::{placeholder, same_value};
use crate::compare::{Context, Results};
use crate::findings::{Confidence, Evidence, Finding, Rule, Side, Subject};

fn subject(staging: Option<&Site<'_>>, production: Option<&Site<'_>>) -> Subject {
    Subject {
        kind: "config-key".to_string(),
        staging: staging.map(|s| s.name.clone()),
        production: production.map(|p| p.name.clone()),
    }
}

/// Compares the values of one key paired across the environments.
pub(in crate::compare) fn compare_values(
    ctx: &Context<'_>,
    staging: &Site<'_>,
    production: &Site<'_>,
    confidence: Confidence,
    results: &mut Results,
) {
    let (s, p) = (&staging.value, &production.value);
    if s.raw() == p.raw() {
        return;
    }
    // Certificates are compared by the tls dimension, by what they certify.
    if s.raw().contains("-----BEGIN CERTIFICATE") && p.raw().contains("-----BEGIN CERTIFICATE") {
        return;
    }
    if !staging.template
        && !production.template
        && super::storage::empty_or_stored(staging, production, confidence, results)
    {
        return;
    }
    let s_placeholder = placeholder(&staging.key, s.raw());
    let p_placeholder = placeholder(&production.key, p.raw());
    if s_placeholder != p_placeholder {
        let (side, holder, real) = if s_placeholder {
            (Side::Staging, staging, production)
        } else {
            (Side::Production, production, staging)
        };
        if real.value.raw().trim().is_empty() {
            return;
        }
        let shown = if holder.value.sensitive {
            String::from("a placeholder")
        } else {
            format!("the placeholder {}", holder.value.shown())
        };
        let message = format!(
            "{} {} holds {shown} where {} has a real value; set a real value in {}.",
            capitalized(side_name(side)),
            holder.phrase(),
            side_name(side.other()),
            side_name(side),
        );
        results.add(
            Finding::new(
                Rule::ConfigPlaceholderValue,
                subject(Some(staging), Some(production)),
                message,
            )
            .confidence(confidence)
            .key(format!("placeholder:{}", side_name(side)))
            .evidence_on(side, holder.evidence("placeholder value"))
            .evidence_on(side.other(), real.evidence("real value")),
        );
        return;
    }
    if s_placeholder && p_placeholder {
        return;
    }
    // Sensitive values are expected to differ (isolation): only secret-plaintext and
    // secret-shared-across-environments look at them.
    if s.sensitive || p.sensitive {
        return;
    }
    if same_value(ctx.names, s.raw(), p.raw()) {
        return;
    }
    let class = classify(&production.key);
    if staging.template || production.template {
        templated_drift(staging, production, class, results);
        return;
    }
    let what = class.label().map_or(String::new(), |l| format!(" ({l})"));
    let (message, s_detail, p_detail, s_line, p_line) = if s.raw().contains('\n')
        || p.raw().contains('\n')
    {
        // A file held in one key: point at the first line that differs, not the whole text.
        let (index, s_count, p_count) = first_different_line(ctx, s.raw(), p.raw());
        let message = format!(
            "`{}` differs from line {} of its content on: staging's {} has {s_count} line(s), production's {} has {p_count}; align them or declare the difference as expected.",
            production.key,
            index + 1,
            staging.described,
            production.described,
        );
        let detail =
            |count: usize| format!("{count} line(s); first difference at line {}", index + 1);
        let at = |line: Option<u32>| line.map(|l| l + 1 + index as u32);
        (
            message,
            detail(s_count),
            detail(p_count),
            at(staging.line),
            at(production.line),
        )
    } else {
        let message = format!(
            "`{}`{what} is {} in staging's {} but {} in production's {}; align them or declare the difference as expected.",
            production.key,
            s.shown(),
            staging.described,
            p.shown(),
            production.described,
        );
        (
            message,
            format!("value {}", s.shown()),
            format!("value {}", p.shown()),
            staging.line,
            production.line,
        )
    };
    let evidence = |site: &Site<'_>, line: Option<u32>, detail: String| {
        Evidence::at(site.provenance, line.or(site.line), detail)
    };
    results.add(
        Finding::new(
            Rule::ConfigValueDrift,
            subject(Some(staging), Some(production)),
            message,
        )
        .confidence(confidence)
        .severity(class.drift_severity())
        .key("value")
        .staging_evidence(evidence(staging, s_line, s_detail))
        .production_evidence(evidence(production, p_line, p_detail)),
    );
}

/// A drift where a side's value is a template: what it renders to is unknown, so the finding
/// says so (confidence `unknown`) instead of claiming a difference or an equality.
fn templated_drift(
    staging: &Site<'_>,
    production: &Site<'_>,
    class: super::keys::KeyClass,
    results: &mut Results,
) {
    let message = format!(
        "`{}` is {} in staging's {} and {} in production's {}; at least one is a template, so whether they render to the same value is unknown; render the chart per environment to compare them.",
        production.key,
        staging.value.shown(),
        staging.described,
        production.value.shown(),
        production.described,
    );
    results.add(
        Finding::new(
            Rule::ConfigValueDrift,
            subject(Some(staging), Some(production)),
            message,
        )
        .confidence(Confidence::Unknown)
        .severity(class.drift_severity())
        .key("template")
        .staging_evidence(staging.evidence(format!("value {}", staging.value.shown())))
        .production_evidence(production.evidence(format!("value {}", production.value.shown()))),
    );
}

/// The 0-based index of the first line that differs (after name mapping), and both line counts.
fn first_different_line(
    ctx: &Context<'_>,
    staging: &str,
    production: &str,
) -> (usize, usize, usize) {
    let s_lines: Vec<&str> = staging.lines().collect();
    let p_lines: Vec<&str> = production.lines().collect();
    let index = (0..s_lines.len().max(p_lines.len()))
        .find(|&i| match (s_lines.get(i), p_lines.get(i)) {
            (Some(a), Some(b)) => !same_value(ctx.names, a, b),
            _ => true,
        })
        .unwrap_or(0);
    (index, s_lines.len(), p_lines.len())
}

/// A key set on one side only.
pub(in crate::compare) struct Present<'s> {
    pub side: Side,
    /// The key's subject name on its side.
    pub name: &'s str,
    pub key: &'s str,
    /// The holding object as a person reads it.
    pub described: &'s str,
    pub evidence: Evidence,
}

/// Reports a key that `present` has and the paired object on the other side lacks.
pub(in crate::compare) fn key_missing(
    present: Present<'_>,
    other_object: &str,
    other_evidence: Evidence,
    confidence: Confidence,
    results: &mut Results,
) {
    let side = present.side;
    let name = present.name.to_string();
    let subject = Subject::one_side("config-key", side, name);
    let message = format!(
        "{} {other_object} lacks `{}`, which {}'s {} sets; add it to {} or declare the difference as expected.",
        capitalized(side_name(side.other())),
        present.key,
        side_name(side),
        present.described,
        side_name(side.other()),
    );
    results.add(
        Finding::new(Rule::ConfigKeyMissing, subject, message)
            .confidence(confidence)
            .key(format!("missing-in:{}", side_name(side.other())))
            .evidence_on(side, present.evidence)
            .evidence_on(side.other(), other_evidence),
    );
}

/// `text` with its first letter in upper case (messages are sentences).
pub(in crate::compare) fn capitalized(text: &str) -> String {
    let mut chars = text.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().collect::<String>() + chars.as_str(),
        None => String::new(),
    }
}

pub(in crate::compare) fn side_name(side: Side) -> &'static str {
    match side {
        Side::Staging => "staging",
        Side::Production => "production",
    }
}
