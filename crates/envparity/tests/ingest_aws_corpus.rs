//! AWS ingest on the shared real-world corpus (when present): the AWS CLI dumps of
//! cloudsplaining and CloudMapper read without errors, each file alone without warnings.
//! Ignored by default; run with `cargo test -p envparity --test ingest_aws_corpus --
//! --ignored --nocapture`.

use std::path::{Path, PathBuf};

use envparity::ingest::{IngestOptions, read_environment};
use envparity::model::{Fingerprinter, Level};

fn corpus() -> Option<PathBuf> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/corpus");
    let dir = if dir.is_dir() {
        dir
    } else {
        PathBuf::from("/work/shared/corpus")
    };
    dir.is_dir().then_some(dir)
}

#[test]
#[ignore = "needs the shared corpus"]
fn corpus_aws_dumps_read_without_errors() {
    let Some(root) = corpus() else {
        return;
    };
    for name in ["cloudsplaining-iam", "cloudmapper-demo-account"] {
        let dir = root.join(name);
        let files = walkdir::WalkDir::new(&dir)
            .sort_by_file_name()
            .into_iter()
            .flatten();
        for entry in files.filter(|e| e.file_type().is_file()) {
            let entry = entry.into_path();
            let snapshot = read_environment(
                "corpus",
                std::slice::from_ref(&entry),
                &Fingerprinter::new(b"corpus"),
                &IngestOptions::default(),
            );
            let problems: Vec<_> = snapshot
                .diagnostics
                .iter()
                .filter(|d| d.level != Level::Info)
                .map(|d| d.one_line())
                .collect();
            assert!(problems.is_empty(), "{}: {problems:?}", entry.display());
        }
        let whole = read_environment(
            "corpus",
            std::slice::from_ref(&dir),
            &Fingerprinter::new(b"corpus"),
            &IngestOptions::default(),
        );
        assert!(!whole.has_errors(), "{name}");
        let a = &whole.aws;
        println!(
            "{name}: accounts {:?} roles {} users {} groups {} policies {} report rows {} secrets {} trails {} sgs {} detectors {}",
            a.accounts,
            a.roles.len(),
            a.users.len(),
            a.groups.len(),
            a.managed_policies.len(),
            a.credential_report.len(),
            a.secrets.len(),
            a.trails.len(),
            a.security_groups.len(),
            a.detectors.len()
        );
    }
}
