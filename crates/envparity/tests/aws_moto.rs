//! The AWS end-to-end scenarios with real components: moto as the AWS endpoint (loopback),
//! the real AWS CLI to seed two accounts and dump them as users do, envparity to compare.
//!
//! Every folder `tests/aws/<scenario>/` holds `staging.sh` and `production.sh` (run as
//! accounts 111111111111 and 222222222222 through `tests/aws/env.sh`), `expected.txt` (the
//! exact multiset of rule ids) and optionally `map.txt` (`FROM=TO` lines for `--map`). Each
//! scenario is checked for its exact findings, a schema-valid report, `compare(x, x)` being
//! empty, swapped sides swapping directions, and a snapshot of its findings.
//!
//! Needs `moto_server` and `aws` on PATH: skipped with a reason when missing, failed in CI.

#[path = "aws_moto/moto.rs"]
mod moto;
#[path = "../../envparity-access/tests/oracle/mod.rs"]
mod oracle;
#[path = "aws_moto/redact.rs"]
mod redact;
#[path = "aws_moto/witness.rs"]
mod witness;

use std::path::{Path, PathBuf};

use envparity::findings::Severity;
use envparity::ingest::IngestOptions;
use envparity::report::{Format, TextStyle, render};
use envparity::{Options, Outcome, run_compare};
use serde_json::Value;

const STAGING_ACCOUNT: &str = "111111111111";
const PRODUCTION_ACCOUNT: &str = "222222222222";

struct Scenario {
    name: String,
    dir: PathBuf,
    expected: Vec<String>,
    mappings: Vec<(String, String)>,
}

fn scenarios(suite: &Path) -> Vec<Scenario> {
    let mut out = Vec::new();
    for entry in std::fs::read_dir(suite)
        .expect("tests/aws is readable")
        .flatten()
    {
        let dir = entry.path();
        if !dir.join("staging.sh").is_file() {
            continue;
        }
        let read = |file: &str| std::fs::read_to_string(dir.join(file)).unwrap_or_default();
        let mut expected: Vec<String> = read("expected.txt")
            .lines()
            .map(str::trim)
            .filter(|l| !l.is_empty())
            .map(String::from)
            .collect();
        expected.sort();
        let mappings = read("map.txt")
            .lines()
            .filter_map(|l| l.trim().split_once('='))
            .map(|(from, to)| (from.to_string(), to.to_string()))
            .collect();
        out.push(Scenario {
            name: entry.file_name().to_string_lossy().into_owned(),
            dir,
            expected,
            mappings,
        });
    }
    out.sort_by(|a, b| a.name.cmp(&b.name));
    out
}

fn compare(staging: &Path, production: &Path, mappings: Vec<(String, String)>) -> Outcome {
    run_compare(&Options {
        staging: vec![staging.to_path_buf()],
        production: vec![production.to_path_buf()],
        mappings,
        fingerprint_key: b"aws-moto-scenario-key".to_vec(),
        ingest: IngestOptions::default(),
        fail_on: Some(Severity::High),
    })
}

fn rules(outcome: &Outcome) -> Vec<String> {
    outcome.report.rule_ids()
}

/// Rules without a mirror image (one-way or per-environment checks): left out of the
/// swapped-sides comparison.
fn one_way(rule: &str) -> bool {
    matches!(
        rule,
        "audit-logging-missing-in-staging"
            | "detection-rule-missing-in-staging"
            | "trust-broader-in-staging"
            | "privilege-wildcard-admin"
            | "secret-plaintext"
            | "config-placeholder-value"
    )
}

fn schema() -> jsonschema::Validator {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../../shared/schemas/envparity-report-v1.schema.json");
    let text = std::fs::read_to_string(&path)
        .unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()));
    let schema: Value = serde_json::from_str(&text).expect("schema is JSON");
    jsonschema::draft7::new(&schema).expect("schema compiles")
}

/// The JSON report with the temporary directory cut from every path.
fn report_json(outcome: &Outcome, root: &Path) -> Value {
    let json = render(&outcome.report, Format::Json, TextStyle::default()).expect("json");
    let prefix = format!("{}/", root.display());
    serde_json::from_str(&json.replace(&prefix, "")).expect("the report is JSON")
}

/// Every check of one seeded scenario; returns the problems found.
fn check(
    scenario: &Scenario,
    root: &Path,
    validator: &jsonschema::Validator,
    simulator: Option<&mut oracle::Simulator>,
) -> Vec<String> {
    let name = &scenario.name;
    let staging = root.join(name).join("staging");
    let production = root.join(name).join("production");
    let mut failures = Vec::new();

    let outcome = compare(&staging, &production, scenario.mappings.clone());
    let json = report_json(&outcome, root);
    if outcome.input_errors {
        failures.push(format!(
            "{name}: an input could not be read: {}",
            json["diagnostics"]
        ));
    }
    if let Err(error) = validator.validate(&json) {
        failures.push(format!("{name}: the report violates the schema: {error}"));
    }
    let found = rules(&outcome);
    if found != scenario.expected {
        failures.push(format!(
            "{name}: expected rules {:?}, found {:?}",
            scenario.expected, found
        ));
    }

    // Every access witness holds in the independent IAM simulator.
    if let Some(simulator) = simulator {
        failures.extend(witness::confirm(
            simulator,
            name,
            &json["findings"],
            &staging,
            &production,
        ));
    }

    // The very same inputs on both sides: no parity difference at all.
    let same = rules(&compare(&staging, &staging, scenario.mappings.clone()));
    if !same.is_empty() {
        failures.push(format!("{name}: compare(staging, staging) found {same:?}"));
    }

    // Swapping the sides swaps every direction.
    let reversed: Vec<(String, String)> = scenario
        .mappings
        .iter()
        .map(|(from, to)| (to.clone(), from.clone()))
        .collect();
    let backward: Vec<String> = rules(&compare(&production, &staging, reversed))
        .into_iter()
        .filter(|r| !one_way(r))
        .collect();
    let mut forward: Vec<String> = found
        .iter()
        .filter(|r| !one_way(r))
        .map(|r| swapped(r))
        .collect();
    forward.sort();
    if forward != backward {
        failures.push(format!(
            "{name}: with the sides swapped, expected {forward:?}, found {backward:?}"
        ));
    }

    // Findings, unmatched entities and diagnostics, without what moto makes up per run.
    let mut findings = json["findings"].clone();
    redact::redact_findings(&mut findings);
    let mut snapshot = serde_json::json!({
        "findings": findings,
        "unmatched": json["unmatched"],
        "diagnostics": json["diagnostics"],
    });
    redact::redact_value(&mut snapshot);
    let mut settings = insta::Settings::clone_current();
    settings.set_prepend_module_to_snapshot(false);
    settings.set_snapshot_suffix(name.as_str());
    let matched = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
        settings.bind(|| insta::assert_json_snapshot!("aws", snapshot));
    }));
    if matched.is_err() {
        failures.push(format!("{name}: the findings differ from the snapshot"));
    }
    failures
}

#[test]
fn aws_scenarios_against_moto() {
    if let Some(tool) = moto::missing_tool() {
        let reason = format!(
            "`{tool}` is not on PATH; install the AWS tools with \
             `python3 -m pip install \"moto[server]==5.2.1\" awscli`"
        );
        assert!(
            std::env::var_os("CI").is_none(),
            "aws scenarios cannot run in CI: {reason}"
        );
        eprintln!("skipping the aws scenarios: {reason}");
        return;
    }
    let suite = std::fs::canonicalize("tests/aws").expect("tests/aws exists");
    let all = scenarios(&suite);
    assert!(!all.is_empty(), "no scenario in tests/aws");
    let validator = schema();
    let work = tempfile::tempdir().expect("temporary directory");
    // ENVPARITY_AWS_DUMPS=<dir> keeps the dumps there and reuses them on the next run (remove
    // a scenario's folder to seed it again): quick iterations on the comparison side.
    let kept = std::env::var_os("ENVPARITY_AWS_DUMPS").map(PathBuf::from);
    if let Some(dir) = &kept {
        std::fs::create_dir_all(dir).expect("ENVPARITY_AWS_DUMPS folder");
    }
    let root = std::fs::canonicalize(kept.as_deref().unwrap_or(work.path())).expect("dump folder");
    let mut server: Option<moto::Moto> = None;
    // The oracle is optional here (its own tests insist on it): without Node.js the witnesses
    // go unconfirmed, and the suite says so.
    let mut simulator = oracle::Simulator::start();
    if simulator.is_none() {
        eprintln!("aws scenarios: access witnesses not confirmed (no IAM simulator)");
    }

    let mut failures = Vec::new();
    for scenario in &all {
        let out = root.join(&scenario.name);
        let reuse =
            kept.is_some() && out.join("staging").is_dir() && out.join("production").is_dir();
        let started = std::time::Instant::now();
        if !reuse {
            let server = server.get_or_insert_with(|| moto::Moto::start(&root));
            if let Err(errors) = seed_scenario(server, &suite, scenario, &out) {
                failures.extend(errors);
                continue;
            }
        }
        failures.extend(check(scenario, &root, &validator, simulator.as_mut()));
        eprintln!(
            "aws scenario {}: {:.1} s",
            scenario.name,
            started.elapsed().as_secs_f64()
        );
    }
    drop(server);
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// Resets moto and seeds and dumps both accounts of one scenario, at the same time.
fn seed_scenario(
    server: &moto::Moto,
    suite: &Path,
    scenario: &Scenario,
    out: &Path,
) -> Result<(), Vec<String>> {
    server.reset();
    let _ = std::fs::remove_dir_all(out);
    let run = |side: &str, account: &str| {
        let script = scenario.dir.join(format!("{side}.sh"));
        let child = moto::seed(server, suite, &script, account, &out.join(side));
        (child, format!("{}/{side}.sh", scenario.name))
    };
    let children = [
        run("staging", STAGING_ACCOUNT),
        run("production", PRODUCTION_ACCOUNT),
    ];
    let errors: Vec<String> = children
        .into_iter()
        .filter_map(|(child, what)| moto::finish(child, &what).err())
        .collect();
    if errors.is_empty() {
        Ok(())
    } else {
        Err(errors)
    }
}

/// The rule a finding has with the sides swapped (the catalog's mirror image).
fn swapped(rule: &str) -> String {
    envparity::findings::Rule::from_id(rule)
        .map(|r| r.swapped().id().to_string())
        .unwrap_or_else(|| rule.to_string())
}
