//! Tests of the SARIF renderer (URIs, names, levels, suppressions, fallback locations) and of
//! how the JUnit renderer treats governed findings.

use super::*;

#[test]
fn paths_become_relative_uri_references() {
    assert_eq!(path_uri("a/b.yaml"), "a/b.yaml");
    assert_eq!(path_uri("./a\\b c.yaml"), "a/b%20c.yaml");
    assert_eq!(path_uri("café/x.yaml"), "caf%C3%A9/x.yaml");
    assert_eq!(path_uri("/abs/x.yaml"), "file:///abs/x.yaml");
    assert_eq!(path_uri("C:\\x\\y.yaml"), "file:///C:/x/y.yaml");
}

#[test]
fn names_and_levels() {
    assert_eq!(
        pascal_name("access-broader-in-staging"),
        "AccessBroaderInStaging"
    );
    assert_eq!(short_text("tls-weaker"), "Tls weaker");
    assert_eq!(level(Severity::High), "error");
    assert_eq!(level(Severity::Medium), "warning");
    assert_eq!(level(Severity::Info), "note");
}

use crate::compare::Results;
use crate::findings::{Dimension, Expected, Finding, Rule, Side, Subject, Waiver};
use crate::model::{Provenance, Snapshot, Source};
use crate::report::{Report, build_report};
use serde_json::Value;

/// A report with a waived, an expected, an expired-waiver and an evidence-less finding.
fn governed() -> Report {
    let mut results = Results::default();
    let subject =
        |name: &str| Subject::one_side("k8s-serviceaccount", Side::Production, name.into());
    let prov = Provenance::new("prod\\rbac.yaml", Some(4));
    let waiver = |expired| Waiver {
        owner: "team-ä".into(),
        reason: "migration <in progress>".into(),
        expires: "2026-12-31".into(),
        expired,
    };
    let mut waived = Finding::new(Rule::IdentityMissingInStaging, subject("a"), "waived")
        .production_evidence(Evidence::at(&prov, None, "a"));
    waived.waiver = Some(waiver(false));
    let mut expired = Finding::new(Rule::IdentityMissingInStaging, subject("b"), "expired");
    expired.waiver = Some(waiver(true));
    let mut expected = Finding::new(Rule::IdentityMissingInStaging, subject("c"), "expected");
    expected.expected = Some(Expected {
        reason: "test-only".into(),
    });
    for finding in [waived, expired, expected] {
        results.add(finding);
    }
    results.compared.insert(Dimension::Identity, 3);
    let mut staging = Snapshot::new("staging");
    staging.sources.push(Source {
        path: "staging/b.yaml".into(),
        format: "kubernetes-yaml".into(),
        objects: 1,
    });
    build_report(&staging, &Snapshot::new("production"), results)
}

fn results() -> Vec<Value> {
    let log: Value = serde_json::from_str(&render(&governed())).unwrap_or_default();
    log["runs"][0]["results"]
        .as_array()
        .cloned()
        .unwrap_or_default()
}

fn by_message<'a>(results: &'a [Value], message: &str) -> &'a Value {
    let found = results.iter().find(|r| r["message"]["text"] == message);
    found.unwrap_or_else(|| panic!("no result `{message}`"))
}

#[test]
fn waived_and_expected_findings_are_suppressed_expired_ones_not() {
    let results = results();
    assert_eq!(results.len(), 3);
    let waived = by_message(&results, "waived");
    assert_eq!(waived["suppressions"][0]["kind"], "external");
    assert_eq!(
        waived["suppressions"][0]["justification"],
        "migration <in progress>"
    );
    assert_eq!(waived["suppressions"][0]["properties"]["owner"], "team-ä");
    let expected = by_message(&results, "expected");
    assert_eq!(expected["suppressions"][0]["justification"], "test-only");
    assert!(by_message(&results, "expired")["suppressions"].is_null());
}

#[test]
fn locations_use_evidence_else_the_first_source() {
    let results = results();
    let uri = |r: &Value| r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"].clone();
    let waived = by_message(&results, "waived");
    assert_eq!(uri(waived), "prod/rbac.yaml");
    assert_eq!(
        waived["locations"][0]["physicalLocation"]["region"]["startLine"],
        4
    );
    assert_eq!(uri(by_message(&results, "expired")), "staging/b.yaml");
    assert!(waived["partialFingerprints"]["envparityFingerprint/v1"].is_string());
}

#[test]
fn junit_skips_waived_and_expected_findings() {
    let xml = crate::report::junit::render(&governed(), Some(crate::findings::Severity::Info));
    assert_eq!(xml.matches("<skipped ").count(), 2, "{xml}");
    assert_eq!(xml.matches("<failure ").count(), 1, "{xml}");
    assert!(xml.contains("migration &lt;in progress&gt;"), "{xml}");
    assert!(xml.contains("identity: 2 of 3 pairs at parity"), "{xml}");
}

#[test]
fn input_errors_and_warnings_are_notifications_of_an_unsuccessful_run() {
    let quiet: Value = serde_json::from_str(&render(&governed())).unwrap_or_default();
    let invocation = &quiet["runs"][0]["invocations"][0];
    assert_eq!(invocation["executionSuccessful"], true);
    assert!(invocation.get("toolExecutionNotifications").is_none());

    let mut staging = Snapshot::new("staging");
    staging.diagnostics = vec![
        Diagnostic::new(
            Level::Error,
            "staging/bad.yaml",
            Some(3),
            "expected a mapping",
        ),
        Diagnostic::new(Level::Warning, "staging/role.yaml", None, "skipped `Role`"),
        Diagnostic::new(
            Level::Info,
            "staging/notes.txt",
            None,
            "ignored: not an input",
        ),
    ];
    let report = build_report(&staging, &Snapshot::new("production"), Results::default());
    let log: Value = serde_json::from_str(&render(&report)).unwrap_or_default();
    let invocation = &log["runs"][0]["invocations"][0];
    assert_eq!(invocation["executionSuccessful"], false);
    let notes = invocation["toolExecutionNotifications"]
        .as_array()
        .cloned()
        .unwrap_or_default();
    assert_eq!(notes.len(), 2, "{notes:?}");
    assert_eq!(notes[0]["level"], "error");
    assert_eq!(notes[0]["message"]["text"], "expected a mapping");
    let at = &notes[0]["locations"][0]["physicalLocation"];
    assert_eq!(at["artifactLocation"]["uri"], "staging/bad.yaml");
    assert_eq!(at["region"]["startLine"], 3);
    assert_eq!(notes[1]["level"], "warning");
    assert!(
        notes[1]["locations"][0]["physicalLocation"]
            .get("region")
            .is_none()
    );
}
