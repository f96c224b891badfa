//! Alert rules: every production alert needs a staging counterpart (paired by namespace and
//! alert name after mapping environment tokens) with the same expression, `for` duration and
//! severity. Staging-only alerts are listed as unmatched, never reported as findings.

use std::collections::BTreeMap;

use super::normalize::{canonical_alert_name, expression, same_duration, strip_comments};
use crate::compare::{Context, Results};
use crate::correlate::NameMap;
use crate::findings::{Confidence, Dimension, Evidence, Finding, Rule, Subject};
use crate::model::AlertRule;

const KIND: &str = "alert-rule";

pub(super) fn compare(ctx: &Context<'_>, results: &mut Results) {
    let staging = &ctx.staging.kube.alert_rules;
    let production = &ctx.production.kube.alert_rules;
    if staging.is_empty() && production.is_empty() {
        return;
    }
    let pairing = pair_alerts(staging, production, ctx.names);
    results.count_compared(
        Dimension::Monitoring,
        pairing.pairs.len() + pairing.production_only.len(),
    );
    for (s, p, confidence) in &pairing.pairs {
        if let Some(finding) = differs(&staging[*s], &production[*p], *confidence, ctx.names) {
            results.add(finding);
        }
    }
    for &p in &pairing.production_only {
        results.add(missing(&production[p]));
        results
            .production_only
            .push(format!("{KIND}:{}", subject_name(&production[p])));
    }
    for &s in &pairing.staging_only {
        results
            .staging_only
            .push(format!("{KIND}:{}", subject_name(&staging[s])));
    }
}

/// `namespace/alert`, or the alert name when the PrometheusRule has no namespace.
fn subject_name(alert: &AlertRule) -> String {
    match &alert.meta.namespace {
        Some(ns) => format!("{ns}/{}", alert.alert),
        None => alert.alert.clone(),
    }
}

struct AlertPairing {
    /// (staging index, production index, confidence).
    pairs: Vec<(usize, usize, Confidence)>,
    staging_only: Vec<usize>,
    production_only: Vec<usize>,
}

/// Pairs alerts in three passes, each over what the previous left: (1) mapped namespace and
/// mapped alert name, (2) mapped namespace and alert name with environment words abstracted,
/// (3) abstracted alert name alone. Within one key, rules agreeing on everything pair first,
/// then rules with the same severity, then in input order.
fn pair_alerts(staging: &[AlertRule], production: &[AlertRule], names: &NameMap) -> AlertPairing {
    let mut s_free: Vec<bool> = vec![true; staging.len()];
    let mut p_free: Vec<bool> = vec![true; production.len()];
    let mut pairs = Vec::new();
    let namespace = |a: &AlertRule| a.meta.namespace.clone().unwrap_or_default();
    for pass in 0..3 {
        let mut groups: BTreeMap<String, (Vec<usize>, Vec<usize>)> = BTreeMap::new();
        for (i, alert) in staging.iter().enumerate().filter(|(i, _)| s_free[*i]) {
            let ns = names.to_production(&namespace(alert));
            let name = names.to_production(&alert.alert);
            let key = match pass {
                0 => format!("{}\u{0}{}", ns.text, name.text),
                1 => format!("{}\u{0}{}", ns.text, canonical_alert_name(&name.text)),
                _ => canonical_alert_name(&name.text),
            };
            groups.entry(key).or_default().0.push(i);
        }
        for (i, alert) in production.iter().enumerate().filter(|(i, _)| p_free[*i]) {
            let ns = namespace(alert);
            let key = match pass {
                0 => format!("{ns}\u{0}{}", alert.alert),
                1 => format!("{ns}\u{0}{}", canonical_alert_name(&alert.alert)),
                _ => canonical_alert_name(&alert.alert),
            };
            groups.entry(key).or_default().1.push(i);
        }
        for (s_list, p_list) in groups.values() {
            for (s, p) in pair_group(staging, production, s_list, p_list, names) {
                s_free[s] = false;
                p_free[p] = false;
                let ns = names.to_production(&namespace(&staging[s]));
                let name = names.to_production(&staging[s].alert);
                let confidence = if pass > 0 || ns.inferred || name.inferred {
                    Confidence::Likely
                } else {
                    Confidence::Proven
                };
                pairs.push((s, p, confidence));
            }
        }
    }
    pairs.sort();
    AlertPairing {
        pairs,
        staging_only: (0..staging.len()).filter(|i| s_free[*i]).collect(),
        production_only: (0..production.len()).filter(|i| p_free[*i]).collect(),
    }
}

/// Pairs the alerts sharing one key: identical rules first, then same severity, then order.
fn pair_group(
    staging: &[AlertRule],
    production: &[AlertRule],
    s_list: &[usize],
    p_list: &[usize],
    names: &NameMap,
) -> Vec<(usize, usize)> {
    let mut out = Vec::new();
    let mut s_left: Vec<usize> = s_list.to_vec();
    let mut p_left: Vec<usize> = p_list.to_vec();
    for stage in 0..3 {
        let mut s_rest = Vec::new();
        for s in s_left {
            let found = p_left.iter().position(|&p| match stage {
                0 => differences(&staging[s], &production[p], names).is_empty(),
                1 => staging[s].severity == production[p].severity,
                _ => true,
            });
            match found {
                Some(at) => out.push((s, p_left.remove(at))),
                None => s_rest.push(s),
            }
        }
        s_left = s_rest;
    }
    out
}

/// One differing aspect: its name and the staging and production values as shown.
struct Difference {
    aspect: &'static str,
    staging: String,
    production: String,
}

fn differences(staging: &AlertRule, production: &AlertRule, names: &NameMap) -> Vec<Difference> {
    let mut out = Vec::new();
    let mapped = names.to_production(&staging.expr).text;
    if expression(&mapped) != expression(&production.expr) {
        out.push(Difference {
            aspect: "expr",
            staging: one_line(&staging.expr),
            production: one_line(&production.expr),
        });
    }
    if !same_duration(
        staging.for_duration.as_deref(),
        production.for_duration.as_deref(),
    ) {
        out.push(Difference {
            aspect: "for",
            staging: staging.for_duration.clone().unwrap_or_else(|| "0s".into()),
            production: production
                .for_duration
                .clone()
                .unwrap_or_else(|| "0s".into()),
        });
    }
    // Severity labels sometimes carry routing keys named per environment (`team-staging`).
    let severity = |s: &Option<String>, staging: bool| {
        s.as_deref().map(|v| {
            let v = if staging {
                names.to_production(v).text
            } else {
                v.to_string()
            };
            canonical_alert_name(&v)
        })
    };
    if severity(&staging.severity, true) != severity(&production.severity, false) {
        let show = |s: &Option<String>| s.clone().unwrap_or_else(|| "(none)".into());
        out.push(Difference {
            aspect: "severity",
            staging: show(&staging.severity),
            production: show(&production.severity),
        });
    }
    out
}

/// The expression as written without comments, on one line (whitespace runs become one space).
fn one_line(expr: &str) -> String {
    strip_comments(expr)
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

/// A value for a one-line message: at most 160 characters.
fn short(text: &str) -> String {
    let mut out: String = text.chars().take(160).collect();
    if text.chars().count() > 160 {
        out.push('…');
    }
    out
}

fn differs(
    staging: &AlertRule,
    production: &AlertRule,
    confidence: Confidence,
    names: &NameMap,
) -> Option<Finding> {
    let diffs = differences(staging, production, names);
    if diffs.is_empty() {
        return None;
    }
    let parts: Vec<String> = diffs
        .iter()
        .map(|d| {
            format!(
                "{} (staging `{}`, production `{}`)",
                d.aspect,
                short(&d.staging),
                short(&d.production)
            )
        })
        .collect();
    let aspects: Vec<&str> = diffs.iter().map(|d| d.aspect).collect();
    let message = format!(
        "alert `{}` differs between staging and production in {}.",
        production.alert,
        parts.join(" and ")
    );
    let key = format!(
        "alert={};severity={};differs={};{}",
        production.alert,
        production.severity.as_deref().unwrap_or("-"),
        aspects.join(","),
        diffs
            .iter()
            .map(|d| format!("{}={}|{}", d.aspect, d.staging, d.production))
            .collect::<Vec<_>>()
            .join(";")
    );
    let detail = |side: &str, rule: &AlertRule| {
        format!(
            "{side} alert `{}` in PrometheusRule `{}` group `{}`: expr `{}`, for `{}`, severity `{}`",
            rule.alert,
            rule.meta.qualified_name(),
            rule.group,
            one_line(&rule.expr),
            rule.for_duration.as_deref().unwrap_or("0s"),
            rule.severity.as_deref().unwrap_or("(none)")
        )
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
        .key(key)
        .staging_evidence(Evidence::at(
            &staging.meta.provenance,
            staging.line,
            detail("staging", staging),
        ))
        .production_evidence(Evidence::at(
            &production.meta.provenance,
            production.line,
            detail("production", production),
        )),
    )
}

fn missing(production: &AlertRule) -> Finding {
    let severity = production.severity.as_deref().unwrap_or("(none)");
    let message = format!(
        "production alert `{}` (severity `{severity}`, PrometheusRule `{}`) has no staging counterpart, so it can never fire in staging.",
        production.alert,
        production.meta.qualified_name()
    );
    Finding::new(
        Rule::DetectionRuleMissingInStaging,
        Subject {
            kind: KIND.into(),
            staging: None,
            production: Some(subject_name(production)),
        },
        message,
    )
    .key(format!(
        "alert={};severity={severity};group={}",
        production.alert, production.group
    ))
    .production_evidence(Evidence::at(
        &production.meta.provenance,
        production.line,
        format!(
            "alert `{}` in group `{}`: expr `{}`",
            production.alert,
            production.group,
            short(&one_line(&production.expr))
        ),
    ))
}

#[cfg(test)]
#[path = "alerts_tests.rs"]
mod tests;
