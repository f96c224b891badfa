//! Inputs that cannot be read, parsed or understood: each is reported with its file (and line
//! where known) in one line, nothing panics, and the other files' findings are still reported.

use std::path::Path;

use serde_json::Value;

use crate::common::{Run, compare_json_in, envparity_in, finding_facts, pair_tree};

/// The findings of the clean pair, to compare the broken runs with.
fn clean_facts() -> Vec<String> {
    let tree = pair_tree("tests/fixtures/shop");
    let (_, report) = compare_json_in(tree.path(), "staging", "production", &[]);
    finding_facts(&report)
}

/// The shop pair with one extra file in staging.
fn tree_with(name: &str, content: &[u8]) -> tempfile::TempDir {
    let tree = pair_tree("tests/fixtures/shop");
    std::fs::write(tree.path().join("staging").join(name), content).expect("write the bad file");
    tree
}

fn mentions(report: &Value, needle: &str) -> bool {
    let diagnostics = report["diagnostics"].to_string();
    let sources = report["environments"].to_string();
    diagnostics.contains(needle) || sources.contains(needle)
}

/// Exit 2, one `envparity: error:` line naming the file (and a line number when `line`),
/// and a complete report of everything else.
fn assert_input_error(run: &Run, report: &Value, file: &str, line: bool) {
    assert_eq!(run.code, 2, "{}", run.transcript());
    let errors: Vec<&str> = run.stderr.lines().collect();
    assert!(!errors.is_empty(), "no error on stderr");
    for error in &errors {
        assert!(error.starts_with("envparity: error: "), "{error}");
    }
    let named = errors.iter().find(|e| e.contains(file));
    let Some(named) = named else {
        panic!("no error names {file}:\n{}", run.stderr)
    };
    if line {
        let after = named.split(file).nth(1).unwrap_or_default();
        assert!(
            after.starts_with(':') && after[1..].starts_with(|c: char| c.is_ascii_digit()),
            "no line number in: {named}"
        );
    }
    assert!(
        mentions(report, file),
        "the report's diagnostics do not name {file}"
    );
    assert_eq!(
        finding_facts(report),
        clean_facts(),
        "other files' findings were lost"
    );
}

#[test]
fn malformed_yaml_is_an_input_error_with_a_line() {
    let content = b"apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: broken\n  labels: {app: [x\ndata:\n  a: b\n";
    let tree = tree_with("broken.yaml", content);
    let (run, report) = compare_json_in(tree.path(), "staging", "production", &[]);
    assert_input_error(&run, &report, "broken.yaml", true);
}

#[test]
fn invalid_json_is_an_input_error() {
    let content = b"{\n  \"apiVersion\": \"v1\",\n  \"kind\": \"ServiceAccount\",\n  \"metadata\": {\"name\": \"x\"\n";
    let tree = tree_with("broken.json", content);
    let (run, report) = compare_json_in(tree.path(), "staging", "production", &[]);
    assert_input_error(&run, &report, "broken.json", false);
}

#[test]
fn a_non_utf8_file_is_an_input_error() {
    let content = b"apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: latin1\ndata:\n  city: M\xfcnchen\xff\xfe\n";
    let tree = tree_with("latin1.yaml", content);
    let (run, report) = compare_json_in(tree.path(), "staging", "production", &[]);
    assert_input_error(&run, &report, "latin1.yaml", false);
}

#[test]
fn an_unknown_kind_is_a_diagnostic_not_an_error() {
    let content = b"apiVersion: widgets.example.com/v1\nkind: Widget\nmetadata:\n  name: w\n  namespace: shop-staging\nspec:\n  size: 3\n";
    let tree = tree_with("widget.yaml", content);
    let (run, report) = compare_json_in(tree.path(), "staging", "production", &[]);
    assert_ne!(run.code, 2, "{}", run.transcript());
    assert!(mentions(&report, "widget.yaml"), "{}", run.transcript());
    assert_eq!(finding_facts(&report), clean_facts());
    let inventory = envparity_in(tree.path(), &["inventory", "staging", "--format", "text"]);
    assert_eq!(inventory.code, 0, "{}", inventory.transcript());
    assert!(inventory.stdout.contains("Widget"), "{}", inventory.stdout);
}

#[test]
fn an_empty_directory_is_reported() {
    let tree = tempfile::tempdir().expect("a temporary directory");
    std::fs::create_dir(tree.path().join("empty")).expect("create the empty directory");
    let production = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/shop/production");
    let production = production.to_string_lossy().into_owned();
    let (run, report) = compare_json_in(tree.path(), "empty", &production, &["--fail-on", "never"]);
    if run.code == 2 {
        assert!(run.stderr.contains("empty"), "{}", run.transcript());
    } else {
        assert!(mentions(&report, "empty"), "{}", run.transcript());
    }
}

#[test]
fn an_input_error_in_inventory_exits_two_after_printing() {
    let content = b"apiVersion: v1\nkind: ConfigMap\nmetadata: {name: [\n";
    let tree = tree_with("broken.yaml", content);
    let run = envparity_in(tree.path(), &["inventory", "staging"]);
    assert_eq!(run.code, 2, "{}", run.transcript());
    assert!(run.stderr.contains("broken.yaml"), "{}", run.stderr);
    let snapshot = run.json();
    assert!(
        !snapshot["kube"]["roles"]
            .as_array()
            .is_none_or(Vec::is_empty)
    );
}

#[test]
fn a_yaml_alias_bomb_does_not_hang() {
    let mut bomb = String::from("apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: bomb\n");
    bomb.push_str("a: &a [x, x, x, x, x, x, x, x, x, x]\n");
    for (name, previous) in ["b", "c", "d", "e", "f", "g", "h", "i"]
        .iter()
        .zip(["a", "b", "c", "d", "e", "f", "g", "h"])
    {
        bomb.push_str(&format!("{name}: &{name} [*{previous}, *{previous}, *{previous}, *{previous}, *{previous}, *{previous}, *{previous}, *{previous}, *{previous}, *{previous}]\n"));
    }
    let tree = tree_with("bomb.yaml", bomb.as_bytes());
    // The common runner enforces a timeout and the absence of a panic.
    let run = envparity_in(
        tree.path(),
        &["compare", "staging", "production", "--format", "json"],
    );
    assert!(
        run.code == 2 || run.json()["findings"].is_array(),
        "{}",
        run.transcript()
    );
}
