//! The SARIF and JUnit reports: snapshots of a sample report (examples/shop, run from the
//! repository root), an empty one (a tree compared with itself) and one with long and
//! non-ASCII values; every SARIF log validates against the SARIF 2.1.0 schema and every JUnit
//! document parses as XML with counts that match the JSON report.

use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use serde_json::Value;

use crate::common::{Run, crate_dir, envparity, envparity_in};

const SHOP_STAGING: &str = "examples/shop/staging";
const SHOP_PRODUCTION: &str = "examples/shop/production";
const CAFE_STAGING: &str = "tests/fixtures/café/staging";
const CAFE_PRODUCTION: &str = "tests/fixtures/café/production";

fn repo_root() -> PathBuf {
    crate_dir().join("../..")
}

/// The three report cases: (snapshot name, directory to run in, staging, production).
fn cases() -> Vec<(&'static str, PathBuf, &'static str, &'static str)> {
    vec![
        ("shop", repo_root(), SHOP_STAGING, SHOP_PRODUCTION),
        ("empty", repo_root(), SHOP_STAGING, SHOP_STAGING),
        ("cafe", crate_dir(), CAFE_STAGING, CAFE_PRODUCTION),
    ]
}

fn report(dir: &Path, staging: &str, production: &str, format: &str, fail_on: &str) -> Run {
    let run = envparity_in(
        dir,
        &[
            "compare",
            staging,
            production,
            "--format",
            format,
            "--fail-on",
            fail_on,
        ],
    );
    assert_ne!(run.code, 2, "{}", run.transcript());
    run
}

fn sarif_validator() -> &'static jsonschema::Validator {
    static VALIDATOR: OnceLock<jsonschema::Validator> = OnceLock::new();
    VALIDATOR.get_or_init(|| {
        let path = crate_dir().join("../../../shared/schemas/sarif-2.1.0.json");
        let text = std::fs::read_to_string(&path).expect("the SARIF schema is readable");
        let schema: Value = serde_json::from_str(&text).expect("the SARIF schema is JSON");
        jsonschema::draft4::new(&schema).expect("the SARIF schema compiles")
    })
}

fn validate_sarif(name: &str, log: &Value) {
    let errors: Vec<String> = sarif_validator()
        .iter_errors(log)
        .map(|e| format!("{} at {}", e, e.instance_path()))
        .collect();
    assert!(
        errors.is_empty(),
        "{name}: SARIF violations:\n{}",
        errors.join("\n")
    );
}

#[test]
fn sarif_reports_validate_and_match_their_snapshots() {
    for (name, dir, staging, production) in cases() {
        let run = report(&dir, staging, production, "sarif", "high");
        let log: Value = serde_json::from_str(&run.stdout).expect("SARIF is JSON");
        validate_sarif(name, &log);
        let json = report(&dir, staging, production, "json", "high").json();
        let findings = json["findings"].as_array().map(Vec::len).unwrap_or(0);
        let results = &log["runs"][0]["results"];
        assert_eq!(results.as_array().map(Vec::len), Some(findings), "{name}");
        let rules = log["runs"][0]["tool"]["driver"]["rules"]
            .as_array()
            .cloned()
            .unwrap_or_default();
        for result in results.as_array().into_iter().flatten() {
            let index = result["ruleIndex"].as_u64().expect("a rule index") as usize;
            assert_eq!(rules[index]["id"], result["ruleId"], "{name}");
            assert!(result["partialFingerprints"]["envparityFingerprint/v1"].is_string());
            let uri = result["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
                .as_str()
                .expect("a location uri");
            assert!(!uri.starts_with('/') && !uri.contains('\\'), "{uri}");
        }
        insta::assert_snapshot!(format!("sarif_{name}"), run.transcript());
    }
}

/// `compare` in `format` of a `staging/` holding one malformed manifest with the shop
/// example's production; it must end with exit code 2.
fn compare_broken_staging(format: &str) -> Run {
    let tmp = tempfile::tempdir().expect("a temporary directory");
    let staging = tmp.path().join("staging");
    std::fs::create_dir_all(&staging).expect("a staging directory");
    std::fs::write(staging.join("broken.yaml"), "kind: Role\n  bad: [\n").expect("written");
    let production = repo_root().join(SHOP_PRODUCTION);
    let production = production.to_string_lossy();
    let args = ["compare", "staging", &production, "--format", format];
    let run = envparity_in(tmp.path(), &args);
    assert_eq!(run.code, 2, "{}", run.transcript());
    run
}

#[test]
fn sarif_of_a_run_with_input_errors_validates_and_says_so() {
    let run = compare_broken_staging("sarif");
    let log: Value = serde_json::from_str(&run.stdout).expect("SARIF is JSON");
    validate_sarif("input errors", &log);
    let invocation = &log["runs"][0]["invocations"][0];
    assert_eq!(invocation["executionSuccessful"], false);
    let error = &invocation["toolExecutionNotifications"][0];
    assert_eq!(error["level"], "error");
    let at = &error["locations"][0]["physicalLocation"];
    assert_eq!(at["artifactLocation"]["uri"], "staging/broken.yaml");
    assert!(at["region"]["startLine"].as_u64().is_some(), "{error}");
}

#[test]
fn junit_of_a_run_with_input_errors_has_an_erroring_case_per_error() {
    let run = compare_broken_staging("junit");
    check_junit("input errors", &run.stdout);
    let document = roxmltree::Document::parse(&run.stdout).expect("JUnit is XML");
    let suite = document
        .descendants()
        .find(|n| n.attribute("name") == Some("envparity.inputs"))
        .expect("an inputs suite");
    assert_eq!(count_attr(suite, "errors"), 1);
    let case = suite.children().find(|n| n.is_element()).expect("a case");
    assert!(
        case.attribute("name")
            .is_some_and(|n| n.starts_with("input staging/broken.yaml:")),
        "{:?}",
        case.attribute("name")
    );
    assert_eq!(count_attr(document.root_element(), "errors"), 1);
}

#[test]
fn sarif_is_deterministic() {
    let first = report(&repo_root(), SHOP_STAGING, SHOP_PRODUCTION, "sarif", "high");
    let second = report(&repo_root(), SHOP_STAGING, SHOP_PRODUCTION, "sarif", "high");
    assert_eq!(first.stdout, second.stdout);
}

fn count_attr(node: roxmltree::Node, name: &str) -> usize {
    node.attribute(name)
        .and_then(|v| v.parse().ok())
        .unwrap_or(usize::MAX)
}

/// Parses a JUnit document and checks every count attribute against the elements.
fn check_junit(name: &str, xml: &str) -> (usize, usize, usize) {
    let document = match roxmltree::Document::parse(xml) {
        Ok(document) => document,
        Err(error) => panic!("{name}: JUnit is not XML ({error}):\n{xml}"),
    };
    let root = document.root_element();
    assert_eq!(root.tag_name().name(), "testsuites", "{name}");
    let count = |node: roxmltree::Node, tag: &str| {
        node.descendants()
            .filter(|n| n.tag_name().name() == tag)
            .count()
    };
    for suite in root.children().filter(|n| n.is_element()) {
        assert_eq!(suite.tag_name().name(), "testsuite", "{name}");
        assert_eq!(
            count_attr(suite, "tests"),
            count(suite, "testcase"),
            "{name}"
        );
        assert_eq!(count_attr(suite, "failures"), count(suite, "failure"));
        assert_eq!(count_attr(suite, "errors"), count(suite, "error"));
        assert_eq!(count_attr(suite, "skipped"), count(suite, "skipped"));
        for case in suite.children().filter(|n| n.is_element()) {
            assert_eq!(case.tag_name().name(), "testcase", "{name}");
            assert!(case.attribute("name").is_some_and(|n| !n.is_empty()));
            assert!(case.attribute("classname").is_some());
        }
    }
    let (tests, failures, skipped) = (
        count(root, "testcase"),
        count(root, "failure"),
        count(root, "skipped"),
    );
    assert_eq!(count_attr(root, "tests"), tests, "{name}");
    assert_eq!(count_attr(root, "failures"), failures, "{name}");
    assert_eq!(count_attr(root, "errors"), count(root, "error"), "{name}");
    assert_eq!(count_attr(root, "skipped"), skipped, "{name}");
    (tests, failures, skipped)
}

#[test]
fn junit_reports_parse_and_match_their_snapshots() {
    for (name, dir, staging, production) in cases() {
        let run = report(&dir, staging, production, "junit", "high");
        let (tests, failures, _) = check_junit(name, &run.stdout);
        let json = report(&dir, staging, production, "json", "high").json();
        let findings = json["findings"].as_array().cloned().unwrap_or_default();
        let failing = findings
            .iter()
            .filter(|f| f["severity"] == "high" || f["severity"] == "critical")
            .count();
        assert_eq!(failures, failing, "{name}");
        assert!(tests >= findings.len(), "{name}");
        assert_eq!(run.code, i32::from(failing > 0), "{name}");
        insta::assert_snapshot!(format!("junit_{name}"), run.transcript());
    }
}

#[test]
fn junit_failures_follow_fail_on() {
    let all = report(&repo_root(), SHOP_STAGING, SHOP_PRODUCTION, "junit", "info");
    let never = report(
        &repo_root(),
        SHOP_STAGING,
        SHOP_PRODUCTION,
        "junit",
        "never",
    );
    let (_, all_failures, _) = check_junit("info", &all.stdout);
    let (_, never_failures, _) = check_junit("never", &never.stdout);
    let json = report(&repo_root(), SHOP_STAGING, SHOP_PRODUCTION, "json", "info").json();
    let findings = json["findings"].as_array().map(Vec::len).unwrap_or(0);
    assert!(findings > 0);
    assert_eq!(all_failures, findings);
    assert_eq!(never_failures, 0);
}

#[test]
fn sarif_and_junit_write_to_a_file() {
    let dir = tempfile::tempdir().expect("a temporary directory");
    for format in ["sarif", "junit"] {
        let path = dir.path().join(format!("report.{format}"));
        let path_text = path.to_string_lossy().into_owned();
        let run = envparity(&[
            "compare",
            CAFE_STAGING,
            CAFE_PRODUCTION,
            "--format",
            format,
            "--output",
            &path_text,
            "--fail-on",
            "never",
        ]);
        assert_eq!(run.code, 0, "{}", run.transcript());
        assert_eq!(run.stdout, "");
        let written = std::fs::read_to_string(&path).expect("the report was written");
        assert!(!written.is_empty());
    }
}

/// Text and JSON over the same three cases (sample, empty, long and non-ASCII values); every
/// JSON report validates against the report schema.
#[test]
fn text_and_json_reports_match_their_snapshots() {
    let schema_path = crate_dir().join("../../../shared/schemas/envparity-report-v1.schema.json");
    let schema: Value = serde_json::from_str(
        &std::fs::read_to_string(&schema_path).expect("the report schema is beside the repository"),
    )
    .expect("schema is JSON");
    let validator = jsonschema::draft7::new(&schema).expect("schema compiles");
    for (name, dir, staging, production) in cases() {
        let text = report(&dir, staging, production, "text", "never");
        insta::assert_snapshot!(format!("text_{name}"), text.transcript());
        let json = report(&dir, staging, production, "json", "never");
        let value: Value = serde_json::from_str(&json.stdout).expect("json report");
        if let Err(error) = validator.validate(&value) {
            panic!("{name}: the JSON report violates the schema: {error}");
        }
        insta::assert_snapshot!(format!("json_{name}"), json.transcript());
    }
}
