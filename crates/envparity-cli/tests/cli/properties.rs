//! Metamorphic properties over the binary: comparing an environment with itself is quiet,
//! swapping the sides swaps the directions, and the output depends only on the inputs'
//! content (not on runs, file order or file names).

use std::path::Path;

use crate::common::{
    compare_json, compare_json_in, copy_files, envparity_in, finding_facts, fixture_files,
    pair_tree, rule_ids, same_name,
};

#[test]
fn comparing_an_environment_with_itself_is_quiet() {
    for dir in [
        "tests/fixtures/shop/staging",
        "tests/fixtures/shop/production",
        "tests/fixtures/platform",
    ] {
        let (run, report) = compare_json(dir, dir, &["--fail-on", "info"]);
        assert_eq!(
            rule_ids(&report),
            Vec::<String>::new(),
            "{dir}:\n{}",
            run.transcript()
        );
        assert_eq!(run.code, 0, "{dir}:\n{}", run.transcript());
        assert_eq!(report["summary"]["score"], 100.0, "{dir}");
    }
}

/// Rules whose direction swaps with the sides (the others are one-directional by design).
fn directional(rule: &str) -> bool {
    rule.ends_with("-broader-in-staging")
        || rule.ends_with("-narrower-in-staging")
        || rule.starts_with("identity-missing-in-")
        || rule == "access-divergent"
}

#[test]
fn swapping_the_sides_swaps_the_directions() {
    let staging = "tests/fixtures/shop/staging";
    let production = "tests/fixtures/shop/production";
    let (_, forward) = compare_json(staging, production, &[]);
    let (_, backward) = compare_json(production, staging, &[]);
    let mut forward_rules: Vec<String> = rule_ids(&forward)
        .iter()
        .filter(|rule| directional(rule))
        .map(|rule| swapped(rule))
        .collect();
    forward_rules.sort();
    let backward_rules: Vec<String> = rule_ids(&backward)
        .into_iter()
        .filter(|rule| directional(rule))
        .collect();
    assert!(
        forward_rules
            .iter()
            .any(|r| r.ends_with("-narrower-in-staging")),
        "the fixture should be broader in staging somewhere: {forward_rules:?}"
    );
    assert_eq!(forward_rules, backward_rules);
}

#[test]
fn the_same_inputs_give_byte_identical_reports() {
    let staging = "tests/fixtures/shop/staging";
    let production = "tests/fixtures/shop/production";
    for format in ["json", "text"] {
        let args = ["compare", staging, production, "--format", format];
        let first = envparity_in(&crate::common::crate_dir(), &args);
        let second = envparity_in(&crate::common::crate_dir(), &args);
        assert_eq!(first.stdout, second.stdout, "{format}");
        assert_eq!(first.stderr, second.stderr, "{format}");
    }
}

/// Copies the pair with its files written in reverse order (directory order differs).
fn reversed_tree() -> tempfile::TempDir {
    let tree = tempfile::tempdir().expect("a temporary directory");
    for side in ["staging", "production"] {
        let mut files = fixture_files(&format!("tests/fixtures/shop/{side}"));
        files.reverse();
        copy_files(&files, &tree.path().join(side), same_name);
    }
    tree
}

fn both_formats(dir: &Path) -> (String, String) {
    let json = envparity_in(
        dir,
        &["compare", "staging", "production", "--format", "json"],
    );
    let text = envparity_in(dir, &["compare", "staging", "production"]);
    (json.stdout, text.stdout)
}

#[test]
fn file_order_does_not_change_the_report() {
    let forward = pair_tree("tests/fixtures/shop");
    let reversed = reversed_tree();
    assert_eq!(both_formats(forward.path()), both_formats(reversed.path()));
}

#[test]
fn file_names_do_not_change_the_findings() {
    let plain = pair_tree("tests/fixtures/shop");
    let renamed = tempfile::tempdir().expect("a temporary directory");
    for side in ["staging", "production"] {
        let files = fixture_files(&format!("tests/fixtures/shop/{side}"));
        let count = files.len();
        // Reverse the alphabetical order of the files by their new names.
        copy_files(&files, &renamed.path().join(side), |index, file| {
            format!("{:02}-{}", count - index, same_name(index, file))
        });
    }
    let (_, a) = compare_json_in(plain.path(), "staging", "production", &[]);
    let (_, b) = compare_json_in(renamed.path(), "staging", "production", &[]);
    assert_eq!(finding_facts(&a), finding_facts(&b));
    assert_eq!(a["summary"], b["summary"]);
}

#[test]
fn a_name_mapping_is_accepted() {
    let (run, _) = compare_json(
        "tests/fixtures/shop/staging",
        "tests/fixtures/shop/production",
        &[
            "--map",
            "shop-staging=shop-production",
            "--fail-on",
            "never",
        ],
    );
    assert_eq!(run.code, 0, "{}", run.transcript());
}

/// The rule a finding has with the sides swapped (the catalog's mirror image).
fn swapped(rule: &str) -> String {
    envparity::findings::Rule::from_id(rule)
        .map(|r| r.swapped().id().to_string())
        .unwrap_or_else(|| rule.to_string())
}
