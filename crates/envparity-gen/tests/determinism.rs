//! Reports do not depend on scheduling or input order: a generated organisation (AWS
//! authorization details and many Kubernetes files) compared on a 1-thread and an 8-thread
//! pool, with directories or with the files listed in shuffled orders, renders byte-identical
//! JSON, SARIF, text and Markdown reports.

use std::path::{Path, PathBuf};
use std::process::Command;

use envparity::ingest::IngestOptions;
use envparity::report::{Format, RenderOptions, render_with};
use envparity::{Options, run_compare};

/// Generates one case into `dir` with the generator binary; returns the `--map` pairs.
fn generate(kind: &str, size_flag: &str, size: &str, dir: &Path) -> Vec<(String, String)> {
    let status = Command::new(env!("CARGO_BIN_EXE_envparity-gen"))
        .args([kind, size_flag, size, "--seed", "7", "--out"])
        .arg(dir)
        .output()
        .expect("the generator runs");
    assert!(status.status.success(), "{status:?}");
    let planted: serde_json::Value = serde_json::from_slice(
        &std::fs::read(dir.join("planted.json")).expect("planted.json is written"),
    )
    .expect("planted.json is JSON");
    planted["map"]
        .as_array()
        .expect("a map list")
        .iter()
        .filter_map(|m| m.as_str()?.split_once('='))
        .map(|(from, to)| (from.to_string(), to.to_string()))
        .collect()
}

fn files(dir: &Path) -> Vec<PathBuf> {
    let mut out: Vec<PathBuf> = std::fs::read_dir(dir)
        .expect("a directory")
        .map(|e| e.expect("an entry").path())
        .collect();
    out.sort();
    out
}

/// A reproducible permutation (SplitMix64-driven Fisher–Yates).
fn shuffled(mut items: Vec<PathBuf>, seed: u64) -> Vec<PathBuf> {
    let mut state = seed;
    let mut next = || {
        state = state.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = state;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    };
    for i in (1..items.len()).rev() {
        let j = (next() % (i as u64 + 1)) as usize;
        items.swap(i, j);
    }
    items
}

/// Every rendered report of one run, on a pool of `threads` threads.
fn reports(
    staging: Vec<PathBuf>,
    production: Vec<PathBuf>,
    mappings: &[(String, String)],
    threads: usize,
) -> Vec<String> {
    let options = Options {
        staging,
        production,
        mappings: mappings.to_vec(),
        fingerprint_key: b"determinism".to_vec(),
        ingest: IngestOptions::default(),
        fail_on: None,
    };
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(threads)
        .build()
        .expect("a thread pool");
    let outcome = pool.install(|| run_compare(&options));
    assert!(
        !outcome.report.findings.is_empty(),
        "the generated case has planted findings"
    );
    [Format::Json, Format::Sarif, Format::Text, Format::Markdown]
        .into_iter()
        .map(|format| {
            render_with(&outcome.report, format, &RenderOptions::default())
                .expect("the report renders")
        })
        .collect()
}

fn assert_same(expected: &[String], actual: &[String], what: &str) {
    for (i, (e, a)) in expected.iter().zip(actual).enumerate() {
        assert!(e == a, "report {i} differs with {what}");
    }
}

#[test]
fn aws_reports_do_not_depend_on_threads() {
    let temp = tempfile::tempdir().expect("a temporary directory");
    let maps = generate("aws", "--roles", "150", temp.path());
    let (stg, prd) = (temp.path().join("staging"), temp.path().join("production"));
    let one = reports(vec![stg.clone()], vec![prd.clone()], &maps, 1);
    let eight = reports(vec![stg], vec![prd], &maps, 8);
    assert_same(&one, &eight, "8 threads");
}

#[test]
fn kubernetes_reports_do_not_depend_on_threads_or_file_order() {
    let temp = tempfile::tempdir().expect("a temporary directory");
    let maps = generate("kube", "--namespaces", "12", temp.path());
    let (stg, prd) = (
        files(&temp.path().join("staging")),
        files(&temp.path().join("production")),
    );
    assert!(stg.len() > 5, "many files to shuffle");
    let reference = reports(stg.clone(), prd.clone(), &maps, 1);
    let eight = reports(stg.clone(), prd.clone(), &maps, 8);
    assert_same(&reference, &eight, "8 threads");
    for seed in [1, 2, 3] {
        let shuffled_run = reports(
            shuffled(stg.clone(), seed),
            shuffled(prd.clone(), seed + 10),
            &maps,
            if seed % 2 == 0 { 1 } else { 8 },
        );
        assert_same(&reference, &shuffled_run, &format!("shuffle seed {seed}"));
    }
}
