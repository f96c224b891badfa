//! Governance, applied between compare and report: test-purpose severities, expected
//! differences, waivers that expire, entries that match nothing, and the baseline that
//! decides which findings are new.

mod check;

use std::collections::BTreeSet;

use serde_json::Value;

use crate::contract::{Date, ExpectedEntry, Location, Purpose, Selector, WaiverEntry};
use crate::findings::{Evidence, Expected, Finding, Rule, Severity, Subject, Waiver};

pub use check::{CheckOptions, CheckOutcome, run_check};

/// The contract entries and facts governance needs; `now` comes from the caller (the CLI
/// reads `--now`, `SOURCE_DATE_EPOCH` or the clock).
#[derive(Debug, Clone)]
pub struct Governance {
    pub expected: Vec<ExpectedEntry>,
    pub waivers: Vec<WaiverEntry>,
    pub now: Date,
    /// Fingerprints of a previous report: these findings are not new.
    pub baseline: Option<BTreeSet<String>>,
}

impl Governance {
    /// No entries and no baseline: findings pass through unchanged.
    pub fn none(now: Date) -> Governance {
        Governance {
            expected: Vec::new(),
            waivers: Vec::new(),
            now,
            baseline: None,
        }
    }
}

/// Raises the severity of the findings an environment exists to validate.
pub fn raise_for_purposes(findings: &mut [Finding], purposes: &[Purpose]) {
    for finding in findings.iter_mut() {
        for purpose in purposes {
            finding.severity = purpose.raise(finding.rule, finding.severity);
        }
    }
}

fn matches(selector: &Selector, finding: &Finding) -> bool {
    selector.rule == finding.rule
        && [&finding.subject.staging, &finding.subject.production]
            .into_iter()
            .flatten()
            .any(|name| selector.matcher.is_match(name))
}

/// A finding about an entry of the contract itself.
fn entry_finding(
    rule: Rule,
    kind: &str,
    selector: &Selector,
    at: &Location,
    message: String,
) -> Finding {
    let subject = Subject {
        kind: kind.to_string(),
        staging: Some(selector.subject.clone()),
        production: Some(selector.subject.clone()),
    };
    Finding::new(rule, subject, message)
        .key(selector.rule.id())
        .staging_evidence(Evidence {
            path: at.path.clone(),
            line: Some(at.line),
            detail: format!("{} `{}`", selector.rule.id(), selector.subject),
        })
}

/// Marks expected and waived findings, and adds `waiver-expired` / `waiver-unused` findings.
pub fn apply(findings: &mut Vec<Finding>, governance: &Governance) {
    let mut raised = Vec::new();
    for entry in &governance.expected {
        let mut used = false;
        for finding in findings.iter_mut().filter(|f| matches(&entry.selector, f)) {
            finding.expected = Some(Expected {
                reason: entry.reason.clone(),
            });
            used = true;
        }
        if !used {
            raised.push(entry_finding(
                Rule::WaiverUnused,
                "expected-difference",
                &entry.selector,
                &entry.location,
                format!(
                    "the expected difference for `{}` on `{}` matches no finding; remove it from the contract",
                    entry.selector.rule.id(),
                    entry.selector.subject
                ),
            ));
        }
    }
    for entry in &governance.waivers {
        let expired = entry.expires < governance.now;
        let mut covered = 0;
        for finding in findings.iter_mut().filter(|f| matches(&entry.selector, f)) {
            finding.waiver = Some(Waiver {
                owner: entry.owner.clone(),
                reason: entry.reason.clone(),
                expires: entry.expires.to_string(),
                expired,
            });
            covered += 1;
        }
        if expired {
            raised.push(entry_finding(
                Rule::WaiverExpired,
                "waiver",
                &entry.selector,
                &entry.location,
                format!(
                    "the waiver of `{}` on `{}` owned by `{}` expired on {}; the {covered} finding(s) it covered count again",
                    entry.selector.rule.id(),
                    entry.selector.subject,
                    entry.owner,
                    entry.expires
                ),
            ));
        } else if covered == 0 {
            raised.push(entry_finding(
                Rule::WaiverUnused,
                "waiver",
                &entry.selector,
                &entry.location,
                format!(
                    "the waiver of `{}` on `{}` owned by `{}` matches no finding; remove it from the contract",
                    entry.selector.rule.id(),
                    entry.selector.subject,
                    entry.owner
                ),
            ));
        }
    }
    findings.extend(raised);
}

/// The fingerprints of a previous JSON report (`--baseline`).
pub fn parse_baseline(text: &str) -> Result<BTreeSet<String>, String> {
    let value: Value = serde_json::from_str(text).map_err(|e| {
        format!(
            "is not a JSON report (line {}, column {})",
            e.line(),
            e.column()
        )
    })?;
    let findings = value
        .get("findings")
        .and_then(Value::as_array)
        .ok_or_else(|| "is not an envparity JSON report (no `findings` array)".to_string())?;
    Ok(findings
        .iter()
        .filter_map(|f| f.get("fingerprint").and_then(Value::as_str))
        .map(str::to_string)
        .collect())
}

/// The findings that count for `--fail-on`: not waived, not expected, not in the baseline,
/// at or above the threshold (`None` for `never`).
pub fn failing(
    findings: &[Finding],
    fail_on: Option<Severity>,
    baseline: Option<&BTreeSet<String>>,
) -> usize {
    let Some(threshold) = fail_on else { return 0 };
    findings
        .iter()
        .filter(|f| f.counts() && f.severity.at_least(threshold))
        .filter(|f| baseline.is_none_or(|known| !known.contains(&f.fingerprint)))
        .count()
}
