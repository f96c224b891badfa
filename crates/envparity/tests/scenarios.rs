//! Scenario tests: every folder `tests/scenarios/<rule-id>/<case>/{staging,production}` is
//! compared; a case named `fires*` must raise `<rule-id>`, a case named `quiet*` must not.
//! The findings of each case are snapshotted (`tests/snapshots/`), and every report is
//! validated against the JSON report schema.

use std::path::{Path, PathBuf};

use envparity::findings::Severity;
use envparity::ingest::IngestOptions;
use envparity::report::{Format, TextStyle, render};
use envparity::{Options, run_compare};

fn cases() -> Vec<(String, String, PathBuf)> {
    // Relative to the package root (the test's working directory), so that the paths in
    // evidence, and therefore the snapshots, are the same on every machine.
    let root = Path::new("tests/scenarios");
    let mut out = Vec::new();
    let Ok(rules) = std::fs::read_dir(root) else {
        return out;
    };
    for rule in rules.flatten() {
        let Ok(cases) = std::fs::read_dir(rule.path()) else {
            continue;
        };
        for case in cases.flatten() {
            if case.path().join("staging").exists() {
                out.push((
                    rule.file_name().to_string_lossy().into_owned(),
                    case.file_name().to_string_lossy().into_owned(),
                    case.path(),
                ));
            }
        }
    }
    out.sort();
    out
}

fn options(dir: &Path) -> Options {
    let mut mappings = Vec::new();
    if let Ok(text) = std::fs::read_to_string(dir.join("map.txt")) {
        for line in text.lines().filter(|l| !l.trim().is_empty()) {
            if let Some((from, to)) = line.trim().split_once('=') {
                mappings.push((from.to_string(), to.to_string()));
            }
        }
    }
    Options {
        staging: vec![dir.join("staging")],
        production: vec![dir.join("production")],
        mappings,
        fingerprint_key: b"scenario-test-key".to_vec(),
        ingest: IngestOptions::default(),
        fail_on: Some(Severity::High),
    }
}

fn schema() -> jsonschema::Validator {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../../shared/schemas/envparity-report-v1.schema.json");
    let text = std::fs::read_to_string(&path)
        .unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()));
    let schema: serde_json::Value = serde_json::from_str(&text).expect("schema is JSON");
    jsonschema::draft7::new(&schema).expect("schema compiles")
}

#[test]
fn scenarios() {
    let validator = schema();
    let all = cases();
    assert!(!all.is_empty(), "no scenario found");
    let mut failures = Vec::new();
    for (rule, case, dir) in &all {
        let outcome = run_compare(&options(dir));
        let json = render(&outcome.report, Format::Json, TextStyle::default()).expect("json");
        let value: serde_json::Value = serde_json::from_str(&json).expect("valid json");
        if let Err(error) = validator.validate(&value) {
            failures.push(format!(
                "{rule}/{case}: report violates the schema: {error}"
            ));
        }
        let fired = outcome.report.findings.iter().any(|f| f.rule.id() == rule);
        if case.starts_with("fires") && !fired {
            failures.push(format!(
                "{rule}/{case}: expected `{rule}` to fire, it did not"
            ));
        }
        if case.starts_with("quiet") && fired {
            failures.push(format!(
                "{rule}/{case}: expected `{rule}` to stay quiet, it fired"
            ));
        }
        let findings = &value["findings"];
        let mut settings = insta::Settings::clone_current();
        settings.set_prepend_module_to_snapshot(false);
        settings.set_snapshot_suffix(format!("{rule}-{case}"));
        settings.bind(|| insta::assert_json_snapshot!("scenario", findings));
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}
