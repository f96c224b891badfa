//! Sigma detection rules: every active production rule needs a staging counterpart (paired
//! by id, see `pairing`) with the same detection logic, log source, level and status.
//! Staging-only rules are listed as unmatched, never reported as findings (as for alerts).
//!
//! Rules whose status is `deprecated` or `unsupported` are not meant to run: a production
//! one without a staging counterpart is listed as unmatched but not reported missing, and a
//! pair where both sides are inactive is counted as compared but never reported (what
//! neither environment runs cannot make their detections differ). When only one side is
//! inactive, the status difference is reported.

mod fields;
mod logic;
mod pairing;

use logic::{Difference, View};

use crate::compare::{Context, Results};
use crate::correlate::NameMap;
use crate::findings::{Confidence, Dimension, Evidence, Finding, Rule, Side, Subject};
use crate::model::SigmaRule;

const KIND: &str = "sigma-rule";

pub(super) fn compare(ctx: &Context<'_>, results: &mut Results) {
    let staging = &ctx.staging.detection_rules;
    let production = &ctx.production.detection_rules;
    if staging.is_empty() && production.is_empty() {
        return;
    }
    let pairing = pairing::pair(staging, production, ctx.names);
    let missing: Vec<&SigmaRule> = pairing
        .production_only
        .iter()
        .map(|&p| &production[p])
        .filter(|rule| !rule.inactive())
        .collect();
    results.count_compared(Dimension::Monitoring, pairing.pairs.len() + missing.len());
    for &(s, p, confidence) in &pairing.pairs {
        let finding = differs(&staging[s], &production[p], confidence, ctx.names);
        if let Some(finding) = finding {
            results.add(finding);
        }
    }
    for rule in missing {
        results.add(missing_in_staging(rule));
    }
    for &p in &pairing.production_only {
        let name = subject_name(&production[p]);
        results.production_only.push(format!("{KIND}:{name}"));
    }
    for &s in &pairing.staging_only {
        let name = subject_name(&staging[s]);
        results.staging_only.push(format!("{KIND}:{name}"));
    }
}

/// `title (id)`, or the title alone for a rule without an id.
fn subject_name(rule: &SigmaRule) -> String {
    match &rule.id {
        Some(id) => one_line(&format!("{} ({id})", rule.title)),
        None => one_line(&rule.title),
    }
}

/// Text on one line: runs of whitespace (newlines of block scalars too) become one space.
fn one_line(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// A value for a one-line message: on one line, at most 160 characters.
fn short(text: &str) -> String {
    let text = one_line(text);
    let mut out: String = text.chars().take(160).collect();
    if text.chars().count() > 160 {
        out.push('…');
    }
    out
}

fn or_none(value: &Option<String>) -> &str {
    value.as_deref().unwrap_or("(none)")
}

/// The essential facts of a rule for evidence: level, status, log source, condition.
fn detail(rule: &SigmaRule) -> String {
    format!(
        "sigma rule `{}`: level `{}`, status `{}`, logsource `{}`, condition `{}`",
        short(&rule.title),
        or_none(&rule.level),
        or_none(&rule.status),
        rule.logsource,
        short(&rule.detection.conditions.join("` or `"))
    )
}

fn differs(
    staging: &SigmaRule,
    production: &SigmaRule,
    confidence: Confidence,
    names: &NameMap,
) -> Option<Finding> {
    if staging.inactive() && production.inactive() {
        return None;
    }
    let map_staging = |value: &str| names.to_production(value).text;
    let s_view = View::new(staging, &map_staging);
    let p_view = View::new(production, &|value: &str| value.to_string());
    let logic: Option<Difference> = (s_view.logic_key() != p_view.logic_key())
        .then(|| logic::first_difference(&s_view, &p_view));
    let mut parts = Vec::new();
    let mut aspects = Vec::new();
    let mut compared = |aspect: &'static str, s: String, p: String| {
        if s != p {
            parts.push(format!(
                "{aspect} `{}` in production, `{}` in staging",
                short(&p),
                short(&s)
            ));
            aspects.push(format!("{aspect}={s}|{p}"));
        }
    };
    compared(
        "level",
        or_none(&staging.level).into(),
        or_none(&production.level).into(),
    );
    compared(
        "status",
        or_none(&staging.status).into(),
        or_none(&production.status).into(),
    );
    compared(
        "logsource",
        staging.logsource.to_string(),
        production.logsource.to_string(),
    );
    if let Some(difference) = &logic {
        parts.push(format!("detection logic: {}", difference.text));
        aspects.push(format!("logic={}", difference.key));
    }
    if parts.is_empty() {
        return None;
    }
    let message = format!(
        "sigma rule `{}` differs between staging and production: {}.",
        production.title,
        parts.join("; ")
    );
    let message = one_line(&message);
    // Evidence points at the first differing aspect: the logic, else the level, else the status.
    let lines = match &logic {
        Some(d) => (d.staging_line, d.production_line),
        None if staging.level != production.level => (staging.level_line, production.level_line),
        None if staging.status != production.status => {
            (staging.status_line, production.status_line)
        }
        None => (None, None),
    };
    Some(
        Finding::new(
            Rule::DetectionRuleDiffers,
            Subject {
                kind: KIND.into(),
                staging: Some(subject_name(staging)),
                production: Some(subject_name(production)),
            },
            message,
        )
        .confidence(confidence)
        .key(format!(
            "sigma={};{}",
            rule_key(production),
            aspects.join(";")
        ))
        .staging_evidence(Evidence::at(&staging.provenance, lines.0, detail(staging)))
        .production_evidence(Evidence::at(
            &production.provenance,
            lines.1,
            detail(production),
        )),
    )
}

/// The rule's identity for fingerprints: its id, else its title.
fn rule_key(rule: &SigmaRule) -> &str {
    rule.id.as_deref().unwrap_or(&rule.title)
}

fn missing_in_staging(production: &SigmaRule) -> Finding {
    let message = format!(
        "production sigma rule `{}` (level `{}`, logsource `{}`) has no staging counterpart, so it can never fire in staging.",
        production.title,
        or_none(&production.level),
        production.logsource
    );
    let message = one_line(&message);
    Finding::new(
        Rule::DetectionRuleMissingInStaging,
        Subject::one_side(KIND, Side::Production, subject_name(production)),
        message,
    )
    .key(format!("sigma={}", rule_key(production)))
    .production_evidence(Evidence::at(
        &production.provenance,
        None,
        detail(production),
    ))
}

#[cfg(test)]
mod tests;
