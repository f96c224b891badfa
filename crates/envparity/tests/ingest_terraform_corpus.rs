//! Terraform ingest on the shared corpus of `terraform show -json` documents (when present;
//! skipped otherwise): every plan, state and state file of `terraform-json-fixtures` reads
//! without an error or warning and is recognised as Terraform; the deliberately malformed ones give one error that
//! names the file and the line.

use std::path::{Path, PathBuf};

use envparity::ingest::{IngestOptions, read_environment};
use envparity::model::{Fingerprinter, Level, Snapshot};

fn corpus() -> Option<PathBuf> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../../shared/corpus/terraform-json-fixtures/testdata");
    let dir = if dir.is_dir() {
        dir
    } else {
        PathBuf::from("/work/shared/corpus/terraform-json-fixtures/testdata")
    };
    dir.is_dir().then_some(dir)
}

fn read(path: &Path) -> Snapshot {
    read_environment(
        "corpus",
        &[path.to_path_buf()],
        &Fingerprinter::new(b"corpus"),
        &IngestOptions::default(),
    )
}

/// Whether the file is a `terraform show -json` document or a state file (not provider
/// schemas, which are no input).
fn terraform(text: &str) -> bool {
    let Ok(value) = serde_json::from_str::<serde_json::Value>(text) else {
        return false;
    };
    let show = value.get("format_version").is_some()
        && [
            "values",
            "planned_values",
            "resource_changes",
            "prior_state",
        ]
        .iter()
        .any(|k| value.get(k).is_some());
    show || (value.get("version").is_some() && value.get("lineage").is_some())
}

#[test]
fn corpus_terraform_documents_read() {
    let Some(root) = corpus() else {
        eprintln!("skipped: the terraform-json-fixtures corpus is not present");
        return;
    };
    let mut files: Vec<PathBuf> = walkdir::WalkDir::new(&root)
        .sort_by_file_name()
        .into_iter()
        .flatten()
        .filter(|e| e.file_type().is_file())
        .map(walkdir::DirEntry::into_path)
        .filter(|p| p.extension().is_some_and(|e| e == "json" || e == "tfstate"))
        .collect();
    files.sort();
    assert!(
        files.len() >= 25,
        "expected the corpus' JSON files, found {}",
        files.len()
    );
    let mut recognised = 0;
    for path in &files {
        let snapshot = read(path);
        let shown = path.display().to_string();
        let errors: Vec<String> = snapshot
            .diagnostics
            .iter()
            .filter(|d| d.level == Level::Error)
            .map(|d| d.one_line())
            .collect();
        if path.parent().is_some_and(|p| p.ends_with("invalid")) {
            assert_eq!(errors.len(), 1, "{shown}: {errors:?}");
            let error = &snapshot.diagnostics[0];
            assert!(error.line.is_some(), "{shown}: {error:?}");
            assert!(
                error.message.starts_with("invalid JSON:"),
                "{shown}: {error:?}"
            );
            assert!(!error.message.contains('\n'));
            continue;
        }
        assert!(errors.is_empty(), "{shown}: {errors:?}");
        let text = std::fs::read_to_string(path).expect("readable");
        if terraform(&text) {
            recognised += 1;
            let source = snapshot.sources.first();
            assert!(
                source.is_some_and(|s| s.format.starts_with("terraform-")),
                "{shown}: {:?}",
                snapshot.sources
            );
            let warnings: Vec<String> = snapshot
                .diagnostics
                .iter()
                .filter(|d| d.level == Level::Warning)
                .map(|d| d.one_line())
                .collect();
            assert!(warnings.is_empty(), "{shown}: {warnings:?}");
        }
    }
    assert!(recognised >= 20, "only {recognised} documents recognised");
}

#[test]
fn corpus_sensitive_values_stay_out_of_the_model() {
    let Some(root) = corpus() else {
        return;
    };
    for file in [
        "110_sensitive_values/state.json",
        "110_sensitive_values/plan.json",
    ] {
        let snapshot = read(&root.join(file));
        assert!(!snapshot.has_errors(), "{file}");
        // The corpus' only resources are `null_resource`s: counted, never compared.
        assert!(
            snapshot
                .diagnostics
                .iter()
                .any(|d| d.message.contains("`null_resource`")),
            "{file}: {:?}",
            snapshot.diagnostics
        );
    }
}
