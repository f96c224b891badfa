//! `--format junit`: JUnit XML so CI dashboards show parity as tests. One test suite per
//! dimension; in it one passing case summarizing the pairs at parity, and one case per finding
//! (named by rule and subject): a failure at or above `--fail-on`, skipped when waived or
//! expected, passing otherwise. Inputs that could not be read (the errors that make the exit
//! code 2) are a last suite, `envparity.inputs`, of one erroring case per error, so that a
//! dashboard says why the run failed. A pure function of the report; XML escaped by hand.

use std::collections::BTreeSet;
use std::fmt::Write as _;

use super::Report;
use crate::findings::{Confidence, Dimension, Evidence, Finding, Severity};
use crate::model::Level;

/// Text escaped for XML character data and attribute values; characters XML 1.0 cannot carry
/// (most control characters) become U+FFFD.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            '\n' => out.push_str("&#10;"),
            '\r' => out.push_str("&#13;"),
            '\t' => out.push_str("&#9;"),
            '\u{0}'..='\u{1f}' | '\u{fffe}' | '\u{ffff}' => out.push('\u{fffd}'),
            c => out.push(c),
        }
    }
    out
}

/// Character data: like [`escape`] but newlines stay readable.
fn escape_body(text: &str) -> String {
    escape(text).replace("&#10;", "\n")
}

enum Outcome {
    Passed,
    Failed,
    Skipped(String),
}

fn outcome(finding: &Finding, fail_on: Option<Severity>) -> Outcome {
    if let Some(expected) = &finding.expected {
        return Outcome::Skipped(format!("expected: {}", expected.reason));
    }
    if let Some(waiver) = finding.waiver.as_ref().filter(|w| !w.expired) {
        return Outcome::Skipped(format!(
            "waived by {} until {}: {}",
            waiver.owner, waiver.expires, waiver.reason
        ));
    }
    match fail_on {
        Some(threshold) if finding.severity.at_least(threshold) => Outcome::Failed,
        _ => Outcome::Passed,
    }
}

fn side(name: &Option<String>) -> &str {
    name.as_deref().unwrap_or("(none)")
}

fn case_name(finding: &Finding) -> String {
    let pair = finding
        .pair
        .as_ref()
        .map(|p| format!(" [{} vs {}]", p.environment, p.reference))
        .unwrap_or_default();
    format!(
        "{} {} {} -> {}{pair}",
        finding.rule.id(),
        finding.subject.kind,
        side(&finding.subject.staging),
        side(&finding.subject.production)
    )
}

fn evidence_lines(out: &mut String, label: &str, evidence: &[Evidence]) {
    for item in evidence {
        let line = item.line.map(|l| format!(":{l}")).unwrap_or_default();
        let _ = writeln!(out, "{label} {}{line} {}", item.path, item.detail);
    }
}

fn confidence(confidence: Confidence) -> &'static str {
    match confidence {
        Confidence::Proven => "proven",
        Confidence::Likely => "likely",
        Confidence::Unknown => "unknown",
    }
}

/// What a failure or a passing finding says: message, facts, evidence and remediation.
fn details(finding: &Finding) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "{}", finding.message);
    let _ = writeln!(
        out,
        "severity: {}; confidence: {}; fingerprint: {}",
        finding.severity.as_str(),
        confidence(finding.confidence),
        finding.fingerprint
    );
    let (staging, production) = finding.side_names();
    evidence_lines(&mut out, &format!("{staging}:"), &finding.evidence.staging);
    evidence_lines(
        &mut out,
        &format!("{production}:"),
        &finding.evidence.production,
    );
    if !finding.witnesses.is_empty() {
        let _ = writeln!(out, "witnesses: {}", finding.witnesses.len());
    }
    let _ = writeln!(out, "how to fix: {}", finding.remediation);
    if !finding.frameworks.is_empty() {
        let _ = writeln!(out, "frameworks: {}", finding.frameworks.join(", "));
    }
    out
}

struct Suite {
    name: String,
    cases: Vec<String>,
    failures: usize,
    errors: usize,
    skipped: usize,
}

/// One erroring case per input error, named by file and line.
fn inputs_suite(report: &Report) -> Option<Suite> {
    let classname = "envparity.inputs";
    let cases: Vec<String> = report
        .diagnostics
        .iter()
        .filter(|d| d.level == Level::Error)
        .map(|d| {
            let line = d.line.map(|l| format!(":{l}")).unwrap_or_default();
            format!(
                "    <testcase classname=\"{classname}\" name=\"input {}{line}\">\n      <error type=\"input-error\" message=\"{}\"/>\n    </testcase>\n",
                escape(&d.path),
                escape(&d.message)
            )
        })
        .collect();
    (!cases.is_empty()).then(|| Suite {
        name: classname.to_string(),
        errors: cases.len(),
        cases,
        failures: 0,
        skipped: 0,
    })
}

fn suite(report: &Report, dimension: Dimension, fail_on: Option<Severity>) -> Option<Suite> {
    let summary = report.summary.dimensions.get(dimension.as_str())?;
    let classname = format!("envparity.{}", dimension.as_str());
    let findings: Vec<&Finding> = report
        .findings
        .iter()
        .filter(|f| f.dimension == dimension)
        .collect();
    let divergent: BTreeSet<_> = findings
        .iter()
        .filter(|f| f.counts())
        .map(|f| &f.subject)
        .collect();
    let mut suite = Suite {
        name: classname.clone(),
        cases: Vec::new(),
        failures: 0,
        errors: 0,
        skipped: 0,
    };
    if summary.compared > 0 {
        let at_parity = summary.compared.saturating_sub(divergent.len());
        suite.cases.push(format!(
            "    <testcase classname=\"{}\" name=\"{}: {at_parity} of {} pairs at parity\"/>\n",
            escape(&classname),
            dimension.as_str(),
            summary.compared
        ));
    }
    for finding in findings {
        let head = format!(
            "    <testcase classname=\"{}\" name=\"{}\"",
            escape(&classname),
            escape(&case_name(finding))
        );
        let case = match outcome(finding, fail_on) {
            Outcome::Failed => {
                suite.failures += 1;
                format!(
                    "{head}>\n      <failure type=\"{}\" message=\"{}\">{}</failure>\n    </testcase>\n",
                    finding.rule.id(),
                    escape(&finding.message),
                    escape_body(&details(finding))
                )
            }
            Outcome::Skipped(reason) => {
                suite.skipped += 1;
                format!(
                    "{head}>\n      <skipped message=\"{}\"/>\n    </testcase>\n",
                    escape(&reason)
                )
            }
            Outcome::Passed => format!(
                "{head}>\n      <system-out>{}</system-out>\n    </testcase>\n",
                escape_body(&details(finding))
            ),
        };
        suite.cases.push(case);
    }
    Some(suite)
}

pub fn render(report: &Report, fail_on: Option<Severity>) -> String {
    let suites: Vec<Suite> = Dimension::ALL
        .into_iter()
        .filter_map(|d| suite(report, d, fail_on))
        .chain(inputs_suite(report))
        .collect();
    let tests: usize = suites.iter().map(|s| s.cases.len()).sum();
    let failures: usize = suites.iter().map(|s| s.failures).sum();
    let errors: usize = suites.iter().map(|s| s.errors).sum();
    let skipped: usize = suites.iter().map(|s| s.skipped).sum();
    let mut out = String::from("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    let _ = writeln!(
        out,
        "<testsuites name=\"envparity\" tests=\"{tests}\" failures=\"{failures}\" errors=\"{errors}\" skipped=\"{skipped}\">"
    );
    for suite in &suites {
        let _ = writeln!(
            out,
            "  <testsuite name=\"{}\" tests=\"{}\" failures=\"{}\" errors=\"{}\" skipped=\"{}\">",
            escape(&suite.name),
            suite.cases.len(),
            suite.failures,
            suite.errors,
            suite.skipped
        );
        for case in &suite.cases {
            out.push_str(case);
        }
        out.push_str("  </testsuite>\n");
    }
    out.push_str("</testsuites>\n");
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_markup_quotes_and_control_characters() {
        assert_eq!(
            escape("a<b>&\"c\" 'd'"),
            "a&lt;b&gt;&amp;&quot;c&quot; &apos;d&apos;"
        );
        assert_eq!(escape("x\u{1}y\nz"), "x\u{fffd}y&#10;z");
        assert_eq!(escape("café"), "café");
        assert_eq!(escape_body("a\nb<"), "a\nb&lt;");
    }
}
