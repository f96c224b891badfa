//! Ingest on broken inputs: every problem is a diagnostic with its path and line, and the
//! other files are still read.

use std::path::PathBuf;

use envparity::ingest::{IngestOptions, read_environment};
use envparity::model::{Diagnostic, Fingerprinter, Level, Snapshot};

fn read(paths: &[PathBuf]) -> Snapshot {
    read_environment(
        "staging",
        paths,
        &Fingerprinter::new(b"ingest-test-key"),
        &IngestOptions::default(),
    )
}

fn errors_dir() -> Snapshot {
    read(&[PathBuf::from("testdata/ingest/errors")])
}

fn diagnostic<'a>(snapshot: &'a Snapshot, file: &str) -> Vec<&'a Diagnostic> {
    snapshot
        .diagnostics
        .iter()
        .filter(|d| d.path == format!("testdata/ingest/errors/{file}"))
        .collect()
}

#[test]
fn malformed_yaml_is_an_error_with_its_line() {
    let snapshot = errors_dir();
    let found = diagnostic(&snapshot, "malformed.yaml");
    assert_eq!(found.len(), 1, "{found:?}");
    assert_eq!(found[0].level, Level::Error);
    assert_eq!(found[0].line, Some(7));
    assert!(
        found[0].message.starts_with("invalid YAML: "),
        "{}",
        found[0].message
    );
    assert!(
        found[0].message.ends_with("at line 7 column 2"),
        "{}",
        found[0].message
    );
}

#[test]
fn bad_json_is_an_error_with_its_line() {
    let snapshot = errors_dir();
    let found = diagnostic(&snapshot, "bad.json");
    assert_eq!(found.len(), 1, "{found:?}");
    assert_eq!(found[0].level, Level::Error);
    assert_eq!(found[0].line, Some(4));
    assert_eq!(
        found[0].message,
        "invalid JSON: trailing comma at line 4 column 21"
    );
}

#[test]
fn non_utf8_is_an_error_with_its_line() {
    let snapshot = errors_dir();
    let found = diagnostic(&snapshot, "latin1.yaml");
    assert_eq!(found.len(), 1, "{found:?}");
    assert_eq!(found[0].level, Level::Error);
    assert_eq!(
        found[0].message,
        "expected UTF-8 text, found an invalid byte at line 4 column 12"
    );
}

#[test]
fn wrong_shapes_are_warnings_and_the_rest_is_read() {
    let snapshot = errors_dir();
    let found = diagnostic(&snapshot, "wrong-shape.yaml");
    let messages: Vec<_> = found
        .iter()
        .map(|d| (d.level, d.line, d.message.as_str()))
        .collect();
    assert_eq!(
        messages,
        [
            (
                Level::Warning,
                Some(6),
                "skipped `Role` `shop-staging/shapeless`: expected `rules` to be a list at line 6"
            ),
            (
                Level::Warning,
                Some(13),
                "skipped `Secret` `wrong-data`: expected `data` to be a mapping at line 13"
            ),
        ]
    );
    let names: Vec<_> = snapshot
        .kube
        .service_accounts
        .iter()
        .map(|s| s.meta.name.as_str())
        .collect();
    assert_eq!(names, ["survivor", "after-the-bad-ones"]);
    assert!(snapshot.kube.roles.is_empty() && snapshot.kube.secrets.is_empty());
    let source = snapshot
        .sources
        .iter()
        .find(|s| s.path.ends_with("wrong-shape.yaml"));
    assert_eq!(source.map(|s| s.objects), Some(3));
}

#[test]
fn missing_path_and_empty_directory_are_errors() {
    let empty = tempfile::tempdir().ok();
    let Some(empty) = empty else { return };
    let missing = PathBuf::from("testdata/ingest/does-not-exist");
    let snapshot = read(&[
        missing,
        empty.path().to_path_buf(),
        PathBuf::from("testdata/ingest/errors/good.yaml"),
    ]);
    let errors: Vec<_> = snapshot
        .diagnostics
        .iter()
        .filter(|d| d.level == Level::Error)
        .map(|d| d.message.as_str())
        .collect();
    assert_eq!(
        errors,
        ["input path does not exist", "no input files in directory"]
    );
    assert_eq!(
        snapshot.diagnostics[0].path,
        "testdata/ingest/does-not-exist"
    );
    assert_eq!(snapshot.kube.service_accounts.len(), 1);
}

#[test]
fn hidden_files_only_count_as_empty() {
    let Ok(dir) = tempfile::tempdir() else { return };
    let _ = std::fs::write(
        dir.path().join(".secret.yaml"),
        "apiVersion: v1\nkind: Secret\n",
    );
    let snapshot = read(&[dir.path().to_path_buf()]);
    assert!(snapshot.has_errors());
    assert!(snapshot.kube.secrets.is_empty());
}

#[cfg(unix)]
#[test]
fn symlink_loops_are_skipped() {
    let Ok(dir) = tempfile::tempdir() else { return };
    let sub = dir.path().join("sub");
    let _ = std::fs::create_dir(&sub);
    let _ = std::fs::write(
        sub.join("sa.yaml"),
        "apiVersion: v1\nkind: ServiceAccount\nmetadata:\n  name: a\n",
    );
    let _ = std::os::unix::fs::symlink(dir.path(), sub.join("loop"));
    let snapshot = read(&[dir.path().to_path_buf()]);
    assert_eq!(snapshot.kube.service_accounts.len(), 1);
    assert!(
        snapshot
            .diagnostics
            .iter()
            .any(|d| d.level == Level::Warning && d.message.contains("loops back"))
    );
}

#[test]
fn binary_files_without_manifests_are_ignored_not_errors() {
    let Ok(dir) = tempfile::tempdir() else { return };
    let _ = std::fs::write(
        dir.path().join("logo.png"),
        [0x89, b'P', b'N', b'G', 0xff, 0xfe],
    );
    let _ = std::fs::write(
        dir.path().join("main.tf"),
        "resource \"x\" \"y\" {\n  a = [\n}\n",
    );
    let snapshot = read(&[dir.path().to_path_buf()]);
    assert!(!snapshot.has_errors(), "{:?}", snapshot.diagnostics);
    assert_eq!(snapshot.diagnostics.len(), 2);
}

#[test]
fn alias_bomb_file_is_an_error() {
    let Ok(dir) = tempfile::tempdir() else { return };
    let mut text =
        String::from("apiVersion: v1\nkind: ConfigMap\na0: &a0 [x, x, x, x, x, x, x, x, x, x]\n");
    for i in 1..12 {
        let p = i - 1;
        let refs = vec![format!("*a{p}"); 10].join(", ");
        text.push_str(&format!("a{i}: &a{i} [{refs}]\n"));
    }
    let _ = std::fs::write(dir.path().join("bomb.yaml"), text);
    let snapshot = read(&[dir.path().to_path_buf()]);
    assert!(
        snapshot
            .diagnostics
            .iter()
            .any(|d| d.level == Level::Error && d.message.contains("too many nodes"))
    );
}

#[test]
fn stray_documents_and_templates_are_warnings() {
    let Ok(dir) = tempfile::tempdir() else { return };
    let mixed = "apiVersion: v1\nkind: ServiceAccount\nmetadata:\n  name: a\n---\nreplicas: 2\n";
    let _ = std::fs::write(dir.path().join("mixed.yaml"), mixed);
    let template = "apiVersion: v1\nkind: ServiceAccount\nmetadata:\n  name: {{ .Values.name }}\n  labels:\n    {{- include \"labels\" . | nindent 4 }}\n";
    let _ = std::fs::write(dir.path().join("template.yaml"), template);
    let snapshot = read(&[dir.path().to_path_buf()]);
    assert!(!snapshot.has_errors(), "{:?}", snapshot.diagnostics);
    let warnings: Vec<_> = snapshot
        .diagnostics
        .iter()
        .map(|d| {
            (
                d.level,
                d.line,
                d.path.rsplit('/').next().unwrap_or_default(),
            )
        })
        .collect();
    assert_eq!(
        warnings,
        [
            (Level::Warning, Some(6), "mixed.yaml"),
            (Level::Warning, Some(4), "template.yaml"),
        ]
    );
    assert!(
        snapshot.diagnostics[1]
            .message
            .contains("unrendered template")
    );
    assert_eq!(snapshot.kube.service_accounts.len(), 1);
}

#[test]
fn unparsable_yaml_named_file_is_an_error_even_without_kubernetes_keys() {
    let snapshot = errors_dir();
    let found = diagnostic(&snapshot, "broken-values.yaml");
    assert_eq!(found.len(), 1, "{found:?}");
    assert_eq!(found[0].level, Level::Error);
    assert!(found[0].line.is_some(), "{found:?}");
}

#[test]
fn unparsable_file_of_another_kind_is_only_ignored() {
    let snapshot = errors_dir();
    let found = diagnostic(&snapshot, "notes.txt");
    assert_eq!(found.len(), 1, "{found:?}");
    assert_eq!(found[0].level, Level::Info);
}
