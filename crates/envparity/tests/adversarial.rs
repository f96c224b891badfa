//! Hostile inputs, generated at test time: deep nesting, alias bombs, huge files, lists and
//! policies, bad bytes, symlink loops, special and unreadable files (the large ones in
//! `adversarial/scale.rs`). Each must end, on a small (2 MB) stack and within bounded time, in
//! a result or a clear one-line diagnostic.

#[path = "adversarial/scale.rs"]
mod scale;

use std::path::{Path, PathBuf};
use std::sync::mpsc;
use std::time::Duration;

use envparity::ingest::{IngestOptions, Limits, parse_documents, read_bytes, read_environment};
use envparity::model::{Diagnostic, Fingerprinter, Level, Snapshot};
use envparity::{Options, run_compare};

/// A hang detector, not a speed check (speed is measured by `bench/run`): generous, so that a
/// loaded machine does not fail a correct build.
const HANG_LIMIT_SECS: u64 = 300;

/// Runs `f` on a thread with a 2 MB stack (a quarter of the CLI's main thread) and fails the
/// test if it overflows (the process aborts), panics, or takes longer than `secs`.
fn bounded<T: Send + 'static>(what: &str, secs: u64, f: impl FnOnce() -> T + Send + 'static) -> T {
    let (tx, rx) = mpsc::channel();
    let spawned = std::thread::Builder::new()
        .name(what.to_string())
        .stack_size(2 * 1024 * 1024)
        .spawn(move || {
            let _ = tx.send(f());
        });
    let Ok(handle) = spawned else {
        panic!("{what}: cannot spawn a thread");
    };
    match rx.recv_timeout(Duration::from_secs(secs)) {
        Ok(value) => {
            let _ = handle.join();
            value
        }
        Err(mpsc::RecvTimeoutError::Timeout) => panic!("{what}: no result within {secs} s"),
        Err(mpsc::RecvTimeoutError::Disconnected) => panic!("{what}: panicked"),
    }
}

fn ingest_bytes(what: &str, name: &str, bytes: Vec<u8>) -> Snapshot {
    let name = name.to_string();
    bounded(what, HANG_LIMIT_SECS, move || {
        read_bytes(
            "staging",
            &name,
            &bytes,
            &Fingerprinter::new(b"adversarial"),
            &IngestOptions::default(),
        )
    })
}

fn ingest_paths(what: &str, inputs: Vec<PathBuf>, options: IngestOptions) -> Snapshot {
    bounded(what, HANG_LIMIT_SECS, move || {
        read_environment(
            "staging",
            &inputs,
            &Fingerprinter::new(b"adversarial"),
            &options,
        )
    })
}

/// The one error diagnostic of a snapshot; checks it is one line and names the file.
fn the_error<'a>(snapshot: &'a Snapshot, file: &str) -> &'a Diagnostic {
    let errors: Vec<_> = snapshot
        .diagnostics
        .iter()
        .filter(|d| d.level == Level::Error)
        .collect();
    assert_eq!(errors.len(), 1, "{:?}", snapshot.diagnostics);
    let error = errors[0];
    assert_eq!(error.path, file);
    assert!(!error.message.contains('\n'), "{}", error.message);
    error
}

const HEAD: &str = "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: deep\ndata:\n  k: ";

#[test]
fn deep_flow_yaml_is_refused_at_the_depth_limit() {
    let text = format!("{HEAD}{}", "[".repeat(100_000));
    let snapshot = ingest_bytes("deep flow yaml", "deep.yaml", text.into_bytes());
    let error = the_error(&snapshot, "deep.yaml");
    assert_eq!(
        error.message,
        "invalid YAML: flow collections nested deeper than 255 levels at line 6 column 261"
    );
    assert_eq!(error.line, Some(6));
}

#[test]
fn deep_block_yaml_is_refused_at_the_depth_limit() {
    let text = format!("{HEAD}\n    {}x\n", "- ".repeat(100_000));
    let snapshot = ingest_bytes("deep block yaml", "deep.yaml", text.into_bytes());
    let error = the_error(&snapshot, "deep.yaml");
    assert!(
        error.message.contains("nesting deeper than 256 levels"),
        "{error:?}"
    );
}

#[test]
fn deep_flow_mappings_are_refused_at_the_depth_limit() {
    let text = format!("{HEAD}{}", "{a: ".repeat(100_000));
    let snapshot = ingest_bytes("deep flow mappings", "deep.yaml", text.into_bytes());
    let error = the_error(&snapshot, "deep.yaml");
    assert!(
        error.message.contains("nesting deeper than 256 levels"),
        "{error:?}"
    );
}

#[test]
fn deep_json_is_refused() {
    let depth = 100_000;
    let text = format!(
        "{{\"apiVersion\": \"v1\", \"kind\": \"ConfigMap\", \"data\": {}{}}}",
        "[".repeat(depth),
        "]".repeat(depth)
    );
    let snapshot = ingest_bytes("deep json", "deep.json", text.into_bytes());
    let error = the_error(&snapshot, "deep.json");
    assert!(error.message.starts_with("invalid JSON: "), "{error:?}");
    assert!(error.message.contains("nest"), "{error:?}");
    assert_eq!(error.line, Some(1));
}

#[test]
fn billion_laughs_is_refused() {
    let mut text = String::from("apiVersion: v1\nkind: ConfigMap\nmetadata: {name: lol}\n");
    text.push_str("a0: &a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol, lol]\n");
    for i in 1..10 {
        let prev = i - 1;
        let refs = vec![format!("*a{prev}"); 10].join(", ");
        text.push_str(&format!("a{i}: &a{i} [{refs}]\n"));
    }
    let snapshot = ingest_bytes("billion laughs", "lol.yaml", text.into_bytes());
    let error = the_error(&snapshot, "lol.yaml");
    assert!(error.message.contains("too many nodes"), "{error:?}");
}

#[test]
fn aliases_cannot_nest_past_the_depth_limit() {
    // Each anchor nests the previous one 200 levels deeper: without a depth check on
    // aliases, 100 of them build a tree 20,000 levels deep from 1,000 lines.
    let mut text = String::from("a0: &a0 x\n");
    for i in 1..100 {
        let prev = i - 1;
        let open = "[".repeat(200);
        let close = "]".repeat(200);
        text.push_str(&format!("a{i}: &a{i} {open}*a{prev}{close}\n"));
    }
    let result = bounded("alias nesting", HANG_LIMIT_SECS, move || {
        parse_documents(&text, &Limits::default()).map(|docs| docs.len())
    });
    let Err(error) = result else {
        panic!("expected a depth error, got {result:?}");
    };
    assert!(
        error.message.contains("nesting deeper than 256 levels"),
        "{error:?}"
    );
    assert_eq!(error.line, 3);
}

#[test]
fn a_50_mb_single_line_is_read_or_refused_by_the_size_limit() {
    let dir = tempdir();
    let path = dir.path().join("big.yaml");
    let mut text = String::from("apiVersion: v1\nkind: ConfigMap\nmetadata: {name: big}\n");
    text.push_str("data: {k: ");
    text.push_str(&"x".repeat(50 * 1024 * 1024));
    text.push('}');
    write(&path, text.as_bytes());
    // Under a limit it exceeds: refused before reading, naming the limit.
    let limited = IngestOptions {
        max_file_bytes: 10 * 1024 * 1024,
        ..IngestOptions::default()
    };
    let snapshot = ingest_paths("50 MB limited", vec![path.clone()], limited);
    let error = the_error(&snapshot, &shown(&path));
    assert_eq!(
        error.message,
        "file is larger than the limit of 10485760 bytes"
    );
    // Under the default limit (64 MiB) it is read.
    let snapshot = ingest_paths("50 MB", vec![path], IngestOptions::default());
    assert!(!snapshot.has_errors(), "{:?}", snapshot.diagnostics);
    assert_eq!(snapshot.kube.config_maps.len(), 1);
}

#[test]
fn a_million_element_list_is_refused_by_the_node_limit() {
    let mut text = String::from("apiVersion: v1\nkind: List\nitems: [");
    text.push_str(&"0,".repeat(1_000_000));
    text.push(']');
    let snapshot = ingest_bytes("1M list yaml", "list.yaml", text.into_bytes());
    let error = the_error(&snapshot, "list.yaml");
    assert!(error.message.contains("too many nodes"), "{error:?}");
}

#[test]
fn a_million_element_json_list_is_refused_by_the_node_limit() {
    let mut text = String::from("{\"apiVersion\": \"v1\", \"kind\": \"List\", \"items\": [");
    text.push_str(&"0,".repeat(1_000_000));
    text.push_str("0]}");
    let snapshot = ingest_bytes("1M list json", "list.json", text.into_bytes());
    let error = the_error(&snapshot, "list.json");
    assert!(error.message.contains("too many nodes"), "{error:?}");
}

/// A Role with `rules` rules, bound to the service account `shop/app`.
fn role(rules: usize, extra_verb: &str) -> String {
    let mut text = String::from(
        "apiVersion: rbac.authorization.k8s.io/v1\nkind: RoleBinding\n\
         metadata: {name: app, namespace: shop}\n\
         roleRef: {apiGroup: rbac.authorization.k8s.io, kind: Role, name: big}\n\
         subjects: [{kind: ServiceAccount, name: app, namespace: shop}]\n---\n\
         apiVersion: rbac.authorization.k8s.io/v1\nkind: Role\n\
         metadata: {name: big, namespace: shop}\nrules:\n",
    );
    for i in 0..rules {
        text.push_str(&format!(
            "- apiGroups: [\"g{i}.example.com\"]\n  resources: [\"r{i}\", \"r{i}/status\"]\n  verbs: [get, list{extra_verb}]\n"
        ));
    }
    text
}

#[test]
fn a_role_with_20k_rules_compares_in_bounded_time() {
    let dir = tempdir();
    let staging = dir.path().join("staging.yaml");
    let production = dir.path().join("production.yaml");
    write(&staging, role(20_000, ", delete").as_bytes());
    write(&production, role(20_000, "").as_bytes());
    let options = Options {
        staging: vec![staging],
        production: vec![production],
        mappings: Vec::new(),
        fingerprint_key: b"adversarial".to_vec(),
        ingest: IngestOptions::default(),
        fail_on: None,
    };
    let (errors, roles, messages) = bounded("20k rules", HANG_LIMIT_SECS, move || {
        let outcome = run_compare(&options);
        let messages: Vec<String> = outcome
            .report
            .findings
            .iter()
            .map(|f| f.message.clone())
            .collect();
        (
            outcome.input_errors,
            outcome.staging.kube.roles.len(),
            messages,
        )
    });
    assert!(!errors);
    assert_eq!(roles, 1);
    assert!(
        messages.iter().any(|m| m
            == "cannot decide whether `shop/app` has the same access in both environments: \
                its roles hold 40000 rules, more than the 2000 the access comparison handles"),
        "{messages:?}"
    );
}

#[test]
fn non_utf8_bytes_are_an_error_naming_line_and_column() {
    let mut bytes = b"apiVersion: v1\nkind: ConfigMap\ndata:\n  k: caf".to_vec();
    bytes.extend([0xe9, 0xff, 0xfe]);
    let snapshot = ingest_bytes("non-utf8", "latin1.yaml", bytes);
    let error = the_error(&snapshot, "latin1.yaml");
    assert_eq!(
        error.message,
        "expected UTF-8 text, found an invalid byte at line 4 column 9"
    );
    assert_eq!(error.line, Some(4));
}

const CONFIG_MAP: &str = "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: app}\ndata: {a: b}\n";

#[test]
fn a_symlink_loop_is_skipped_with_a_warning() {
    let dir = tempdir();
    write(&dir.path().join("app.yaml"), CONFIG_MAP.as_bytes());
    symlink(dir.path(), &dir.path().join("loop"));
    let snapshot = ingest_paths(
        "symlink loop",
        vec![dir.path().to_path_buf()],
        IngestOptions::default(),
    );
    assert_eq!(snapshot.kube.config_maps.len(), 1);
    assert!(!snapshot.has_errors(), "{:?}", snapshot.diagnostics);
    assert!(
        snapshot
            .diagnostics
            .iter()
            .any(|d| d.level == Level::Warning && d.message.contains("loops back")),
        "{:?}",
        snapshot.diagnostics
    );
}

#[test]
fn special_files_in_a_directory_are_skipped_with_a_diagnostic() {
    let dir = tempdir();
    write(&dir.path().join("app.yaml"), CONFIG_MAP.as_bytes());
    symlink(Path::new("/dev/zero"), &dir.path().join("zero.yaml"));
    let fifo = dir.path().join("pipe.yaml");
    let have_fifo = mkfifo(&fifo);
    let snapshot = ingest_paths(
        "special files",
        vec![dir.path().to_path_buf()],
        IngestOptions::default(),
    );
    assert_eq!(snapshot.kube.config_maps.len(), 1);
    let mut skipped = vec![shown(&dir.path().join("zero.yaml"))];
    if have_fifo {
        skipped.push(shown(&fifo));
    }
    for path in skipped {
        assert!(
            snapshot.diagnostics.iter().any(|d| d.path == path
                && d.level == Level::Warning
                && d.message == "skipped: not a regular file"),
            "{path}: {:?}",
            snapshot.diagnostics
        );
    }
}

#[test]
fn a_special_file_given_as_input_is_an_error() {
    let dir = tempdir();
    let fifo = dir.path().join("pipe.yaml");
    // Without `mkfifo`, a character device stands in (reading /dev/zero never ends either).
    let input = if mkfifo(&fifo) {
        fifo
    } else {
        PathBuf::from("/dev/zero")
    };
    let snapshot = ingest_paths(
        "special input",
        vec![input.clone()],
        IngestOptions::default(),
    );
    let error = the_error(&snapshot, &shown(&input));
    assert_eq!(
        error.message,
        "input path is neither a regular file nor a directory"
    );
}

// An unreadable directory cannot be tested here: the tests run as root, who reads any
// directory whatever its permissions.

fn tempdir() -> tempfile::TempDir {
    match tempfile::tempdir() {
        Ok(dir) => dir,
        Err(e) => panic!("cannot create a temporary directory: {e}"),
    }
}

fn write(path: &Path, bytes: &[u8]) {
    if let Err(e) = std::fs::write(path, bytes) {
        panic!("cannot write {}: {e}", path.display());
    }
}

fn symlink(target: &Path, link: &Path) {
    if let Err(e) = std::os::unix::fs::symlink(target, link) {
        panic!("cannot link {}: {e}", link.display());
    }
}

/// Makes a FIFO with the `mkfifo` tool; false where the tool is missing.
fn mkfifo(path: &Path) -> bool {
    std::process::Command::new("mkfifo")
        .arg(path)
        .status()
        .is_ok_and(|s| s.success())
}

fn shown(path: &Path) -> String {
    path.to_string_lossy().replace('\\', "/")
}
