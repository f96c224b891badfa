//! The parity contract end to end: `check` over dev, staging and production, waivers that
//! apply, expire and go unused, expected differences, test purposes, baselines, contract
//! errors with line and column, and `init`.

use std::path::{Path, PathBuf};

use serde_json::Value;

use crate::common::{crate_dir, envparity_in, findings, validate};

/// The platform example: dev, staging and production against production.
fn platform() -> PathBuf {
    crate_dir().join("../../examples/platform")
}

/// The example contract with its sources made absolute, plus `extra` entries.
fn contract_text(extra: &str) -> String {
    let text = std::fs::read_to_string(platform().join("envparity.toml"))
        .expect("the example contract is readable");
    let base = platform().to_string_lossy().replace('\\', "/");
    let mut text = text;
    for env in ["dev", "staging", "production"] {
        text = text.replace(
            &format!("sources = [\"{env}\"]"),
            &format!("sources = [\"{base}/{env}\"]"),
        );
    }
    text.push_str(extra);
    text
}

/// Writes `contract` into a temporary directory and runs `check` there with JSON output.
fn check(contract: &str, extra: &[&str]) -> (crate::common::Run, Value, tempfile::TempDir) {
    let dir = tempfile::tempdir().expect("a temporary directory");
    std::fs::write(dir.path().join("envparity.toml"), contract).expect("write the contract");
    let mut args = vec!["check", "--format", "json"];
    if !extra.contains(&"--now") {
        args.extend(["--now", "2026-11-28"]);
    }
    args.extend_from_slice(extra);
    let run = envparity_in(dir.path(), &args);
    let report = run.json();
    validate(&report);
    (run, report, dir)
}

fn with_rule<'a>(report: &'a Value, rule: &str) -> Vec<&'a Value> {
    findings(report)
        .iter()
        .filter(|f| f["rule"] == rule)
        .collect()
}

#[test]
fn check_covers_every_pair_in_one_report() {
    let (run, report, _dir) = check(&contract_text(""), &[]);
    assert_eq!(run.code, 0, "{}", run.transcript());
    let environments: Vec<&String> = report["environments"]
        .as_object()
        .expect("environments is an object")
        .keys()
        .collect();
    assert_eq!(environments, ["dev", "production", "staging"]);
    let mut pairs: Vec<String> = findings(&report)
        .iter()
        .map(|f| format!("{}>{}", f["pair"]["environment"], f["pair"]["reference"]))
        .collect();
    pairs.sort();
    pairs.dedup();
    assert_eq!(
        pairs,
        ["\"dev\">\"production\"", "\"staging\">\"production\""]
    );
}

#[test]
fn findings_speak_of_each_environment_by_its_name() {
    let (_, report, _dir) = check(&contract_text(""), &[]);
    let dev: Vec<String> = findings(&report)
        .iter()
        .filter(|f| f["pair"]["environment"] == "dev")
        .map(|f| format!("{} {}", f["message"], f["remediation"]))
        .collect();
    assert!(!dev.is_empty());
    assert!(dev.iter().any(|m| m.contains("in dev")), "{dev:?}");
    // Outside backticks no dev finding calls its environment "staging".
    for text in &dev {
        let prose: String = text.split('`').step_by(2).collect();
        assert!(!prose.contains("staging"), "{text}");
    }
    // The text report labels each side's evidence with the pair's names.
    let dir = tempfile::tempdir().expect("a temporary directory");
    std::fs::write(dir.path().join("envparity.toml"), contract_text("")).expect("written");
    let args = ["check", "--format", "text", "--now", "2026-11-28"];
    let run = envparity_in(dir.path(), &args);
    assert!(run.stdout.contains("dev: "), "{}", run.stdout);
}

#[test]
fn a_live_waiver_keeps_the_finding_without_failing() {
    let (run, report, _dir) = check(&contract_text(""), &["--fail-on", "high"]);
    assert_eq!(run.code, 0, "{}", run.transcript());
    let waived = with_rule(&report, "access-broader-in-staging");
    assert_eq!(waived.len(), 1);
    assert_eq!(waived[0]["waiver"]["owner"], "team-platform");
    assert_eq!(waived[0]["waiver"]["expired"], false);
    assert!(with_rule(&report, "waiver-expired").is_empty());
    assert!(with_rule(&report, "waiver-unused").is_empty());
}

#[test]
fn an_expired_waiver_stops_applying_and_names_its_owner() {
    let (run, report, _dir) = check(&contract_text(""), &["--now", "2027-07-01"]);
    assert_eq!(run.code, 1, "{}", run.transcript());
    let expired = with_rule(&report, "waiver-expired");
    assert_eq!(expired.len(), 1);
    let message = expired[0]["message"].as_str().unwrap_or_default();
    assert!(message.contains("`team-platform`"), "{message}");
    let covered = with_rule(&report, "access-broader-in-staging");
    assert_eq!(covered[0]["waiver"]["expired"], true);
}

#[test]
fn source_date_epoch_fixes_the_date() {
    let dir = tempfile::tempdir().expect("a temporary directory");
    std::fs::write(dir.path().join("envparity.toml"), contract_text("")).expect("write");
    // 2027-07-01T00:00:00Z, after the example waiver's expiry.
    let output = assert_cmd::Command::new(assert_cmd::cargo::cargo_bin!("envparity"))
        .args(["check", "--format", "json"])
        .current_dir(dir.path())
        .env("SOURCE_DATE_EPOCH", "1814400000")
        .output()
        .expect("the binary runs");
    assert_eq!(output.status.code(), Some(1));
    let report: Value = serde_json::from_slice(&output.stdout).expect("a JSON report");
    assert_eq!(with_rule(&report, "waiver-expired").len(), 1);
}

#[test]
fn entries_matching_nothing_are_unused() {
    let extra = r#"
[[waivers]]
rule = "secret-plaintext"
subject = "platform-stg/nothing-*"
reason = "an old exception"
owner = "team-legacy"
expires = "2027-06-30"

[[expected]]
rule = "tls-trust-mismatch"
subject = "*"
reason = "nothing differs here"
"#;
    let (run, report, _dir) = check(&contract_text(extra), &["--fail-on", "high"]);
    assert_eq!(run.code, 0, "waiver-unused is low: {}", run.transcript());
    let unused = with_rule(&report, "waiver-unused");
    assert_eq!(unused.len(), 2);
    assert!(unused.iter().any(|f| {
        f["message"]
            .as_str()
            .is_some_and(|m| m.contains("`team-legacy`"))
    }));
}

#[test]
fn expected_differences_are_marked_and_never_fail() {
    let (run, report, _dir) = check(&contract_text(""), &["--fail-on", "info"]);
    assert_eq!(run.code, 0, "{}", run.transcript());
    let drift = with_rule(&report, "config-value-drift");
    assert_eq!(drift.len(), 2);
    assert!(drift.iter().all(|f| f["expected"]["reason"].is_string()));
}

#[test]
fn purposes_raise_the_severity_of_what_an_environment_validates() {
    // dev's purpose is `config`: config drift is raised from low to medium.
    let (_, report, _dir) = check(&contract_text(""), &[]);
    let drift = with_rule(&report, "config-value-drift");
    assert!(drift.iter().all(|f| f["severity"] == "medium"));
    // `--purpose` overrides the contract's purposes.
    let (_, report, _dir) = check(&contract_text(""), &["--purpose", "tls"]);
    let drift = with_rule(&report, "config-value-drift");
    assert!(drift.iter().all(|f| f["severity"] == "low"));
}

/// The example contract without its expected differences, so config drift counts.
fn contract_without_expected() -> String {
    let text = contract_text("");
    let start = text.find("[[expected]]").unwrap_or(text.len());
    let end = text.find("[[waivers]]").unwrap_or(text.len());
    format!("{}{}", &text[..start], &text[end..])
}

#[test]
fn a_baseline_fails_only_on_new_findings() {
    let contract = contract_without_expected();
    let (run, report, dir) = check(&contract, &["--fail-on", "low"]);
    assert_eq!(run.code, 1, "{}", run.transcript());
    std::fs::write(dir.path().join("old.json"), &run.stdout).expect("write the baseline");
    let rerun = envparity_in(
        dir.path(),
        &[
            "check",
            "--now",
            "2026-11-28",
            "--fail-on",
            "low",
            "--baseline",
            "old.json",
        ],
    );
    assert_eq!(rerun.code, 0, "nothing new: {}", rerun.transcript());
    // Drop one counting finding from the baseline: it is new again.
    let mut older = report.clone();
    let list = older["findings"].as_array_mut().expect("findings");
    let index = list
        .iter()
        .position(|f| f["rule"] == "config-value-drift")
        .expect("a drift finding");
    list.remove(index);
    std::fs::write(dir.path().join("older.json"), older.to_string()).expect("write");
    let rerun = envparity_in(
        dir.path(),
        &[
            "check",
            "--now",
            "2026-11-28",
            "--fail-on",
            "low",
            "--baseline",
            "older.json",
        ],
    );
    assert_eq!(rerun.code, 1, "one new finding: {}", rerun.transcript());
}

fn contract_error(contract: &str) -> String {
    let dir = tempfile::tempdir().expect("a temporary directory");
    std::fs::write(dir.path().join("envparity.toml"), contract).expect("write the contract");
    let run = envparity_in(dir.path(), &["check"]);
    assert_eq!(run.code, 2, "{}", run.transcript());
    assert_eq!(run.stderr.lines().count(), 1, "{}", run.stderr);
    assert_eq!(run.stdout, "");
    run.stderr
}

#[test]
fn contract_errors_name_file_line_and_column() {
    let good = contract_text("");
    let line_of = |needle: &str| {
        good.lines()
            .position(|l| l.contains(needle))
            .map(|i| i + 1)
            .unwrap_or(0)
    };
    let cases = [
        ("owner = ", "ownr = ", line_of("owner = "), "ownr"),
        (
            "2027-06-30",
            "2027-06-31",
            line_of("expires = "),
            "YYYY-MM-DD",
        ),
        (
            "platform-stg/batch",
            "platform-stg/[batch",
            line_of("platform-stg/batch"),
            "glob",
        ),
    ];
    for (from, to, line, says) in cases {
        let stderr = contract_error(&good.replacen(from, to, 1));
        assert!(
            stderr.contains(&format!("`envparity.toml` line {line}, column ")),
            "{stderr}"
        );
        assert!(stderr.contains(says), "{stderr}");
    }
    let missing = contract_error(&good.replace("owner = \"team-platform\"\n", ""));
    assert!(missing.contains("owner"), "{missing}");
}

#[test]
fn compare_uses_the_contract_in_the_working_directory() {
    let dir = tempfile::tempdir().expect("a temporary directory");
    std::fs::write(dir.path().join("envparity.toml"), contract_text("")).expect("write");
    let staging = platform().join("staging");
    let production = platform().join("production");
    let args = [
        "compare",
        staging.to_str().unwrap_or_default(),
        production.to_str().unwrap_or_default(),
        "--format",
        "json",
        "--now",
        "2026-11-28",
    ];
    let run = envparity_in(dir.path(), &args);
    assert_eq!(run.code, 0, "{}", run.transcript());
    let report = run.json();
    validate(&report);
    assert_eq!(
        with_rule(&report, "access-broader-in-staging")[0]["waiver"]["owner"],
        "team-platform"
    );
    // Elsewhere, without a contract, the same comparison fails.
    let bare = envparity_in(&crate_dir(), &args);
    assert_eq!(bare.code, 1, "{}", bare.transcript());
}

#[test]
fn init_writes_a_starter_contract_once() {
    let dir = tempfile::tempdir().expect("a temporary directory");
    let sources: Vec<String> = ["dev", "staging", "production"]
        .iter()
        .map(|env| platform().join(env).to_string_lossy().into_owned())
        .collect();
    let mut args = vec!["init"];
    args.extend(sources.iter().map(String::as_str));
    let run = envparity_in(dir.path(), &args);
    assert_eq!(run.code, 0, "{}", run.transcript());
    let written = std::fs::read_to_string(dir.path().join("envparity.toml")).expect("written");
    assert!(written.contains("reference = \"production\""), "{written}");
    assert!(written.contains("stg = \"prod\""), "{written}");
    assert!(written.contains("dev = \"prod\""), "{written}");
    let again = envparity_in(dir.path(), &args);
    assert_eq!(again.code, 2);
    assert!(again.stderr.contains("already exists"), "{}", again.stderr);
    assert_eq!(
        std::fs::read_to_string(dir.path().join("envparity.toml")).expect("still there"),
        written
    );
    let checked = envparity_in(dir.path(), &["check", "--format", "json"]);
    assert_eq!(
        checked.code,
        1,
        "the starter contract runs: {}",
        checked.transcript()
    );
    validate(&checked.json());
}

#[test]
fn init_needs_two_directories() {
    let run = envparity_in(Path::new(&crate_dir()), &["init"]);
    assert_eq!(run.code, 2);
    assert_eq!(run.stderr.lines().count(), 1, "{}", run.stderr);
}
