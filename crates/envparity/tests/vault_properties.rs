//! Whole-pipeline properties on the Vault scenarios (`tests/scenarios/*/*vault*`): an
//! environment compared with itself (no mapping) has no finding, and swapping the sides (with
//! the mapping reversed) swaps every direction. `trust-cross-environment` is left out of the swap: it
//! reads the environments' own names (`staging`, `production`), which stay in place.

use std::path::{Path, PathBuf};

use envparity::findings::{Rule, Severity};
use envparity::ingest::IngestOptions;
use envparity::{Options, Outcome, run_compare};

fn vault_cases() -> Vec<PathBuf> {
    let mut out = Vec::new();
    let Ok(rules) = std::fs::read_dir("tests/scenarios") else {
        return out;
    };
    for rule in rules.flatten() {
        for case in std::fs::read_dir(rule.path())
            .into_iter()
            .flatten()
            .flatten()
        {
            let name = case.file_name().to_string_lossy().into_owned();
            if name.contains("-vault") && case.path().join("staging").is_dir() {
                out.push(case.path());
            }
        }
    }
    out.sort();
    out
}

fn mappings(dir: &Path) -> Vec<(String, String)> {
    std::fs::read_to_string(dir.join("map.txt"))
        .unwrap_or_default()
        .lines()
        .filter_map(|l| l.trim().split_once('='))
        .map(|(a, b)| (a.to_string(), b.to_string()))
        .collect()
}

fn compare(staging: &Path, production: &Path, mappings: Vec<(String, String)>) -> Outcome {
    run_compare(&Options {
        staging: vec![staging.to_path_buf()],
        production: vec![production.to_path_buf()],
        mappings,
        fingerprint_key: b"vault-properties-key".to_vec(),
        ingest: IngestOptions::default(),
        fail_on: Some(Severity::High),
    })
}

fn rules(outcome: &Outcome) -> Vec<String> {
    outcome.report.rule_ids()
}

#[test]
fn there_are_vault_scenarios() {
    assert!(vault_cases().len() >= 18, "{:?}", vault_cases());
}

#[test]
fn an_environment_equals_itself() {
    let mut failures = Vec::new();
    for case in vault_cases() {
        for side in ["staging", "production"] {
            let dir = case.join(side);
            let outcome = compare(&dir, &dir, Vec::new());
            let found = rules(&outcome);
            if !found.is_empty() || outcome.input_errors {
                failures.push(format!("{}: {found:?}", dir.display()));
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn swapping_sides_swaps_directions() {
    let mut failures = Vec::new();
    for case in vault_cases() {
        let (staging, production) = (case.join("staging"), case.join("production"));
        let forward = compare(&staging, &production, mappings(&case));
        let reversed: Vec<(String, String)> =
            mappings(&case).into_iter().map(|(a, b)| (b, a)).collect();
        let backward = compare(&production, &staging, reversed);
        let keep = |r: &String| r != "trust-cross-environment";
        let mut expected: Vec<String> = rules(&forward)
            .into_iter()
            .filter(keep)
            .map(|r| {
                Rule::from_id(&r)
                    .map(|rule| rule.swapped().id().to_string())
                    .unwrap_or(r)
            })
            .collect();
        expected.sort();
        let found: Vec<String> = rules(&backward).into_iter().filter(keep).collect();
        if expected != found {
            failures.push(format!(
                "{}: expected {expected:?}, found {found:?}",
                case.display()
            ));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}
