//! A real IAM dump compared with a copy of itself in another account (account id rewritten,
//! mapped with `--map`) grants the same access: no access finding. Uses the shared corpus
//! beside the repository when it is there (it is not part of the project).

use std::path::Path;

use envparity::findings::{Dimension, Severity};
use envparity::ingest::IngestOptions;
use envparity::{Options, run_compare};

fn copy_rewritten(from: &Path, to: &Path, account: &str, other: &str) {
    for entry in walkdir::WalkDir::new(from).into_iter().flatten() {
        let relative = entry.path().strip_prefix(from).expect("inside");
        let target = to.join(relative);
        if entry.file_type().is_dir() {
            std::fs::create_dir_all(&target).expect("mkdir");
        } else if let Ok(text) = std::fs::read_to_string(entry.path()) {
            std::fs::write(&target, text.replace(account, other)).expect("write");
        }
    }
}

#[test]
fn cloudmapper_dump_equals_its_copy_in_another_account() {
    let corpus = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../../shared/corpus/cloudmapper-demo-account/account-data");
    if !corpus.exists() {
        eprintln!("skipped: the shared corpus is not beside the repository");
        return;
    }
    let dir = tempfile::tempdir().expect("tempdir");
    let staging = dir.path().join("staging");
    let production = dir.path().join("production");
    copy_rewritten(&corpus, &staging, "123456789012", "123456789012");
    copy_rewritten(&corpus, &production, "123456789012", "210987654321");
    let outcome = run_compare(&Options {
        staging: vec![staging],
        production: vec![production],
        mappings: vec![("123456789012".into(), "210987654321".into())],
        fingerprint_key: b"corpus".to_vec(),
        ingest: IngestOptions::default(),
        fail_on: Some(Severity::High),
    });
    assert!(!outcome.input_errors, "{:?}", outcome.report.diagnostics);
    let access: Vec<String> = outcome
        .report
        .findings
        .iter()
        .filter(|f| f.dimension == Dimension::Access && f.rule.is_parity_rule())
        .map(|f| format!("{} {}", f.rule.id(), f.message))
        .collect();
    assert!(access.is_empty(), "{access:#?}");
    let roles = outcome.staging.aws.roles.len();
    assert!(roles > 0, "the dump was not read");
}
