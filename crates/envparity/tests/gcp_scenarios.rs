//! Metamorphic checks over every GCP scenario (`tests/scenarios/*/*gcp*`): an environment
//! compared with itself raises no parity finding, and swapping the sides (with the mapping
//! inverted) swaps every direction (`Rule::swapped`).

use std::path::{Path, PathBuf};

use envparity::compare::{Context, compare_snapshots};
use envparity::correlate::NameMap;
use envparity::findings::{Rule, Severity};
use envparity::ingest::{IngestOptions, read_environment};
use envparity::model::{Fingerprinter, Snapshot};
use envparity::{Options, run_compare};

fn gcp_cases() -> Vec<PathBuf> {
    let mut out = Vec::new();
    for rule in std::fs::read_dir("tests/scenarios").unwrap().flatten() {
        for case in std::fs::read_dir(rule.path()).unwrap().flatten() {
            if case.file_name().to_string_lossy().contains("gcp") {
                out.push(case.path());
            }
        }
    }
    out.sort();
    assert!(out.len() >= 20, "GCP scenarios not found: {out:?}");
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

fn read(dir: &Path, env: &str) -> Snapshot {
    read_environment(
        env,
        &[dir.to_path_buf()],
        &Fingerprinter::new(b"gcp-scenario-key"),
        &IngestOptions::default(),
    )
}

fn rules(staging: &Path, production: &Path, mappings: Vec<(String, String)>) -> Vec<String> {
    let outcome = run_compare(&Options {
        staging: vec![staging.to_path_buf()],
        production: vec![production.to_path_buf()],
        mappings,
        fingerprint_key: b"gcp-scenario-key".to_vec(),
        ingest: IngestOptions::default(),
        fail_on: Some(Severity::High),
    });
    outcome.report.rule_ids()
}

#[test]
fn an_environment_compared_with_itself_has_no_parity_finding() {
    for case in gcp_cases() {
        for env in ["staging", "production"] {
            let snapshot = read(&case.join(env), env);
            let names = NameMap::new(&[]);
            let ctx = Context {
                staging: &snapshot,
                production: &snapshot,
                names: &names,
            };
            let found: Vec<&str> = compare_snapshots(&ctx)
                .findings
                .iter()
                .filter(|f| f.rule.is_parity_rule())
                .map(|f| f.rule.id())
                .collect();
            assert!(found.is_empty(), "{}/{env}: {found:?}", case.display());
        }
    }
}

#[test]
fn swapping_sides_swaps_directions() {
    for case in gcp_cases() {
        let (stg, prd) = (case.join("staging"), case.join("production"));
        let forward = mappings(&case);
        let backward: Vec<(String, String)> = forward
            .iter()
            .map(|(a, b)| (b.clone(), a.clone()))
            .collect();
        let mut expected: Vec<String> = rules(&stg, &prd, forward)
            .iter()
            .map(|r| Rule::from_id(r).map_or(r.clone(), |r| r.swapped().id().to_string()))
            .collect();
        expected.sort();
        let found = rules(&prd, &stg, backward);
        assert_eq!(found, expected, "{}", case.display());
    }
}
