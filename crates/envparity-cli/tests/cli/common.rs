//! Helpers of the integration tests: run the binary from the crate directory with a fixed
//! fingerprint key, parse and validate JSON reports, copy fixtures into temporary trees.

use std::path::{Path, PathBuf};
use std::sync::OnceLock;
use std::time::Duration;

use serde_json::Value;

pub const KEY: &str = "envparity-test-fingerprint-key";

/// The crate directory: tests run the binary from here so evidence paths are relative.
pub fn crate_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

pub struct Run {
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
}

impl Run {
    pub fn json(&self) -> Value {
        match serde_json::from_str(&self.stdout) {
            Ok(value) => value,
            Err(error) => panic!("stdout is not JSON ({error}):\n{}", self.stdout),
        }
    }

    /// The exit code, stdout and stderr in one text (for snapshots and failure messages).
    pub fn transcript(&self) -> String {
        format!(
            "exit: {}\n--- stderr\n{}--- stdout\n{}",
            self.code, self.stderr, self.stdout
        )
    }
}

/// Runs `envparity args…` in `dir`; never a panic, never a backtrace, never a timeout.
pub fn envparity_in(dir: &Path, args: &[&str]) -> Run {
    let output = assert_cmd::Command::new(assert_cmd::cargo::cargo_bin!("envparity"))
        .args(args)
        .current_dir(dir)
        .env("ENVPARITY_FINGERPRINT_KEY", KEY)
        .env("NO_COLOR", "1")
        .env_remove("RUST_BACKTRACE")
        .timeout(Duration::from_secs(60))
        .output()
        .expect("the binary runs");
    let run = Run {
        code: output.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&output.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&output.stderr).into_owned(),
    };
    assert!(
        !run.stderr.contains("panicked") && !run.stderr.contains("backtrace"),
        "envparity {args:?} panicked:\n{}",
        run.transcript()
    );
    assert!(
        [0, 1, 2].contains(&run.code),
        "envparity {args:?} exited with {}:\n{}",
        run.code,
        run.transcript()
    );
    run
}

pub fn envparity(args: &[&str]) -> Run {
    envparity_in(&crate_dir(), args)
}

/// `compare staging production --format json`, checked against the report schema.
pub fn compare_json_in(
    dir: &Path,
    staging: &str,
    production: &str,
    extra: &[&str],
) -> (Run, Value) {
    let mut args = vec!["compare", staging, production, "--format", "json"];
    args.extend_from_slice(extra);
    let run = envparity_in(dir, &args);
    let report = run.json();
    validate(&report);
    (run, report)
}

pub fn compare_json(staging: &str, production: &str, extra: &[&str]) -> (Run, Value) {
    compare_json_in(&crate_dir(), staging, production, extra)
}

fn validator() -> &'static jsonschema::Validator {
    static VALIDATOR: OnceLock<jsonschema::Validator> = OnceLock::new();
    VALIDATOR.get_or_init(|| {
        let path = crate_dir().join("../../../shared/schemas/envparity-report-v1.schema.json");
        let text = std::fs::read_to_string(&path).expect("the report schema is readable");
        let schema: Value = serde_json::from_str(&text).expect("the schema is JSON");
        jsonschema::draft7::new(&schema).expect("the schema compiles")
    })
}

/// Fails with every schema violation when `report` does not satisfy envparity.report/v1.
pub fn validate(report: &Value) {
    let errors: Vec<String> = validator()
        .iter_errors(report)
        .map(|e| format!("{} at {}", e, e.instance_path()))
        .collect();
    assert!(
        errors.is_empty(),
        "schema violations:\n{}",
        errors.join("\n")
    );
}

pub fn findings(report: &Value) -> &Vec<Value> {
    report["findings"].as_array().expect("findings is an array")
}

/// The sorted rule ids of a report's findings (a multiset).
pub fn rule_ids(report: &Value) -> Vec<String> {
    let mut ids: Vec<String> = findings(report)
        .iter()
        .map(|f| f["rule"].as_str().unwrap_or_default().to_string())
        .collect();
    ids.sort();
    ids
}

/// What a finding says, without where it was found (paths and lines may differ).
pub fn finding_facts(report: &Value) -> Vec<String> {
    let mut facts: Vec<String> = findings(report)
        .iter()
        .map(|f| {
            format!(
                "{} {} {} {} | {}",
                f["severity"], f["rule"], f["subject"], f["fingerprint"], f["message"]
            )
        })
        .collect();
    facts.sort();
    facts
}

/// The files of a fixture directory, sorted by name.
pub fn fixture_files(dir: &str) -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(crate_dir().join(dir))
        .expect("the fixture directory exists")
        .map(|entry| entry.expect("a directory entry").path())
        .filter(|path| path.is_file())
        .collect();
    files.sort();
    files
}

/// Copies `files` into `to` (created) in the given order, naming each with `name`.
pub fn copy_files(files: &[PathBuf], to: &Path, name: impl Fn(usize, &Path) -> String) {
    std::fs::create_dir_all(to).expect("create the copy's directory");
    for (index, file) in files.iter().enumerate() {
        std::fs::copy(file, to.join(name(index, file))).expect("copy a fixture file");
    }
}

/// The file's own name.
pub fn same_name(_: usize, file: &Path) -> String {
    file.file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default()
}

/// A temporary tree with `staging/` and `production/` copied from a fixture pair.
pub fn pair_tree(fixture: &str) -> tempfile::TempDir {
    let tree = tempfile::tempdir().expect("a temporary directory");
    for side in ["staging", "production"] {
        let files = fixture_files(&format!("{fixture}/{side}"));
        copy_files(&files, &tree.path().join(side), same_name);
    }
    tree
}
