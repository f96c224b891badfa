//! The generated JSON Schema of `envparity.report/v1`: the stored copy in `schemas/` is in sync
//! with the code (`UPDATE_SCHEMA=1` rewrites it), and real reports validate against both the
//! generated schema and the shared contract schema.

use std::path::{Path, PathBuf};

use envparity::findings::{Finding, Rule, Severity, Subject, Waiver};
use envparity::ingest::IngestOptions;
use envparity::report::{Format, TextStyle, render};
use envparity::schema::report_schema_text;
use envparity::{Options, run_compare};

fn repo_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

fn stored_path() -> PathBuf {
    repo_root().join("schemas/envparity-report-v1.generated.json")
}

fn validator(schema_text: &str) -> jsonschema::Validator {
    let schema: serde_json::Value = serde_json::from_str(schema_text).expect("schema is JSON");
    jsonschema::draft7::new(&schema).expect("schema compiles")
}

fn shared_schema() -> jsonschema::Validator {
    let path = repo_root().join("../shared/schemas/envparity-report-v1.schema.json");
    let text = std::fs::read_to_string(&path)
        .unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()));
    validator(&text)
}

/// Every scenario's report: together they hold every rule's shape (witnesses, evidence,
/// one-sided subjects, diagnostics).
fn scenario_reports() -> Vec<(String, serde_json::Value)> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/scenarios");
    let mut dirs = Vec::new();
    for rule in std::fs::read_dir(&root).expect("scenarios").flatten() {
        for case in std::fs::read_dir(rule.path())
            .into_iter()
            .flatten()
            .flatten()
        {
            if case.path().join("staging").exists() {
                dirs.push(case.path());
            }
        }
    }
    dirs.sort();
    dirs.into_iter()
        .map(|dir| {
            let options = Options {
                staging: vec![dir.join("staging")],
                production: vec![dir.join("production")],
                mappings: Vec::new(),
                fingerprint_key: b"schema-test-key".to_vec(),
                ingest: IngestOptions::default(),
                fail_on: Some(Severity::High),
            };
            let mut outcome = run_compare(&options);
            // One waived finding, so that the `waiver` object is exercised too.
            let mut waived = Finding::new(
                Rule::ConfigValueDrift,
                Subject {
                    kind: "config-key".to_string(),
                    staging: Some("app/config.yaml:replicas".to_string()),
                    production: Some("app/config.yaml:replicas".to_string()),
                },
                "`replicas` is 1 in staging and 3 in production — ünïcode",
            );
            waived.fingerprint = "0123456789abcdef".to_string();
            waived.waiver = Some(Waiver {
                owner: "team-platform".to_string(),
                reason: "cost".to_string(),
                expires: "2027-01-31".to_string(),
                expired: false,
            });
            outcome.report.findings.push(waived);
            let json = render(&outcome.report, Format::Json, TextStyle::default()).expect("json");
            (
                dir.display().to_string(),
                serde_json::from_str(&json).expect("valid json"),
            )
        })
        .collect()
}

#[test]
fn generated_schema_is_in_sync() {
    let generated = report_schema_text();
    let path = stored_path();
    if std::env::var_os("UPDATE_SCHEMA").is_some() {
        std::fs::write(&path, &generated).expect("write the schema");
        return;
    }
    let stored = std::fs::read_to_string(&path).unwrap_or_default();
    assert!(
        stored == generated,
        "{} is out of date; run `UPDATE_SCHEMA=1 cargo test -p envparity --test report_schema`",
        path.display()
    );
}

#[test]
fn reports_validate_against_generated_and_shared_schemas() {
    let generated = validator(&report_schema_text());
    let shared = shared_schema();
    let reports = scenario_reports();
    assert!(reports.len() > 10, "too few scenario reports");
    let mut failures = Vec::new();
    for (name, report) in &reports {
        for (which, schema) in [("generated", &generated), ("shared", &shared)] {
            if let Err(error) = schema.validate(report) {
                failures.push(format!("{name}: violates the {which} schema: {error}"));
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn generated_schema_rejects_what_the_contract_forbids() {
    let generated = validator(&report_schema_text());
    let (_, mut report) = scenario_reports().into_iter().next().expect("a report");
    report["findings"][0]["severity"] = serde_json::json!("urgent");
    assert!(
        generated.validate(&report).is_err(),
        "unknown severity accepted"
    );
    report["findings"][0]["severity"] = serde_json::json!("high");
    report["findings"][0]["rule"] = serde_json::json!("no-such-rule");
    assert!(
        generated.validate(&report).is_err(),
        "unknown rule accepted"
    );
    report["findings"][0]["rule"] = serde_json::json!("config-value-drift");
    report["schema"] = serde_json::json!("envparity.report/v2");
    assert!(
        generated.validate(&report).is_err(),
        "wrong schema id accepted"
    );
}
