//! End-to-end tests of the `envparity` binary: exit codes, usage errors, the catalog commands,
//! metamorphic properties, malformed inputs, secret canaries and report snapshots.

mod common;
mod governance;
mod inputs;
mod properties;
mod reports;
mod secrets;
mod snapshots;

use common::{compare_json, envparity, rule_ids, validate};

const SHOP_STAGING: &str = "tests/fixtures/shop/staging";
const SHOP_PRODUCTION: &str = "tests/fixtures/shop/production";

/// Stderr is one line per error, each in the contract's form.
fn assert_one_line_errors(stderr: &str) {
    assert!(!stderr.trim().is_empty(), "expected an error on stderr");
    for line in stderr.lines() {
        assert!(
            line.starts_with("envparity: error: "),
            "unexpected stderr line: {line}"
        );
    }
}

#[test]
fn a_divergent_pair_fails_on_high() {
    let (run, report) = compare_json(SHOP_STAGING, SHOP_PRODUCTION, &["--fail-on", "high"]);
    assert!(
        rule_ids(&report).contains(&"access-broader-in-staging".to_string()),
        "{}",
        run.transcript()
    );
    assert_eq!(run.code, 1, "{}", run.transcript());
    assert_eq!(run.stderr, "");
}

#[test]
fn fail_on_never_exits_zero() {
    let (run, report) = compare_json(SHOP_STAGING, SHOP_PRODUCTION, &["--fail-on", "never"]);
    assert!(!rule_ids(&report).is_empty(), "{}", run.transcript());
    assert_eq!(run.code, 0, "{}", run.transcript());
}

#[test]
fn fail_on_info_counts_every_finding() {
    let (run, report) = compare_json(SHOP_STAGING, SHOP_PRODUCTION, &["--fail-on", "info"]);
    let expected = if rule_ids(&report).is_empty() { 0 } else { 1 };
    assert_eq!(run.code, expected, "{}", run.transcript());
}

#[test]
fn an_identical_pair_exits_zero() {
    let (run, report) = compare_json(SHOP_STAGING, SHOP_STAGING, &[]);
    assert_eq!(
        rule_ids(&report),
        Vec::<String>::new(),
        "{}",
        run.transcript()
    );
    assert_eq!(run.code, 0);
    let text = envparity(&["compare", SHOP_PRODUCTION, SHOP_PRODUCTION]);
    assert_eq!(text.code, 0, "{}", text.transcript());
    assert!(text.stdout.contains("at parity"), "{}", text.stdout);
}

#[test]
fn usage_errors_exit_two_with_one_line() {
    let cases: &[&[&str]] = &[
        &["compare", SHOP_STAGING, SHOP_PRODUCTION, "--map", "stg"],
        &["compare", SHOP_STAGING, SHOP_PRODUCTION, "--map", "=prod"],
        &["compare", "tests/fixtures/does-not-exist", SHOP_PRODUCTION],
        &[
            "compare",
            SHOP_STAGING,
            SHOP_PRODUCTION,
            "--config",
            "envparity.toml",
        ],
        &[
            "compare",
            SHOP_STAGING,
            SHOP_PRODUCTION,
            "--baseline",
            "old.json",
        ],
        &[
            "compare",
            SHOP_STAGING,
            SHOP_PRODUCTION,
            "--purpose",
            "everything",
        ],
        &["check"],
        &["init"],
        &["inventory", "tests/fixtures/does-not-exist"],
        &["explain", "access-broader-in-stagin"],
    ];
    for args in cases {
        let run = envparity(args);
        assert_eq!(run.code, 2, "{args:?}:\n{}", run.transcript());
        assert_one_line_errors(&run.stderr);
        assert_eq!(run.stderr.lines().count(), 1, "{args:?}:\n{}", run.stderr);
        assert_eq!(run.stdout, "", "{args:?}");
    }
    let missing = envparity(&["compare", "tests/fixtures/does-not-exist", SHOP_PRODUCTION]);
    assert!(missing.stderr.contains("`tests/fixtures/does-not-exist`"));
}

#[test]
fn clap_usage_errors_exit_two() {
    let cases: &[&[&str]] = &[
        &[],
        &["compare"],
        &["compare", SHOP_STAGING],
        &[
            "compare",
            SHOP_STAGING,
            SHOP_PRODUCTION,
            "--fail-on",
            "severe",
        ],
        &["compare", SHOP_STAGING, SHOP_PRODUCTION, "--format", "yaml"],
        &["compare", SHOP_STAGING, SHOP_PRODUCTION, "--bogus"],
        &["rules", "--format", "csv"],
        &["frobnicate"],
    ];
    for args in cases {
        let run = envparity(args);
        assert_eq!(run.code, 2, "{args:?}:\n{}", run.transcript());
        assert!(!run.stderr.is_empty(), "{args:?}");
    }
    assert_eq!(envparity(&["--help"]).code, 0);
    assert_eq!(envparity(&["--version"]).code, 0);
}

#[test]
fn rules_lists_the_catalog() {
    let text = envparity(&["rules"]);
    assert_eq!(text.code, 0);
    let json = envparity(&["rules", "--format", "json"]);
    assert_eq!(json.code, 0);
    let rules = json.json();
    let rules = rules.as_array().expect("an array of rules");
    assert!(rules.len() >= 30);
    for rule in rules {
        let id = rule["id"].as_str().expect("an id");
        assert!(text.stdout.contains(id), "{id} missing from the table");
        for field in ["dimension", "default_severity", "frameworks", "summary"] {
            assert!(!rule[field].is_null(), "{id} has no {field}");
        }
    }
    assert!(text.stdout.lines().all(|line| line.chars().count() <= 100));
}

#[test]
fn explain_says_what_why_and_how() {
    let run = envparity(&["explain", "access-broader-in-staging"]);
    assert_eq!(run.code, 0, "{}", run.transcript());
    for part in [
        "What it means",
        "Why it matters",
        "How to fix it",
        "PR.AA-05",
        "PR.AC-4",
    ] {
        assert!(run.stdout.contains(part), "missing {part}:\n{}", run.stdout);
    }
    let unknown = envparity(&["explain", "acess-divergent"]);
    assert_eq!(unknown.code, 2);
    assert!(
        unknown.stderr.contains("access-divergent"),
        "{}",
        unknown.stderr
    );
}

#[test]
fn output_goes_to_a_file() {
    let dir = tempfile::tempdir().expect("a temporary directory");
    let path = dir.path().join("report.json");
    let path_text = path.to_string_lossy().into_owned();
    let run = envparity(&[
        "compare",
        SHOP_STAGING,
        SHOP_PRODUCTION,
        "--format",
        "json",
        "--output",
        &path_text,
        "--fail-on",
        "never",
    ]);
    assert_eq!(run.code, 0, "{}", run.transcript());
    assert_eq!(run.stdout, "");
    let written = std::fs::read_to_string(&path).expect("the report was written");
    let report: serde_json::Value = serde_json::from_str(&written).expect("JSON");
    validate(&report);
}

#[test]
fn text_output_is_plain_without_a_terminal() {
    let run = envparity(&[
        "compare",
        SHOP_STAGING,
        SHOP_PRODUCTION,
        "--fail-on",
        "never",
    ]);
    assert_eq!(run.code, 0, "{}", run.transcript());
    assert!(!run.stdout.contains('\x1b'));
    assert!(run.stdout.contains("score"));
    assert!(
        run.stdout.lines().all(|line| line.chars().count() <= 100),
        "{}",
        run.stdout
    );
}

#[test]
fn inventory_prints_the_snapshot() {
    let run = envparity(&["inventory", SHOP_STAGING]);
    assert_eq!(run.code, 0, "{}", run.transcript());
    let snapshot = run.json();
    assert_eq!(snapshot["environment"], "staging");
    let kube = &snapshot["kube"];
    assert_eq!(kube["service_accounts"].as_array().map(Vec::len), Some(2));
    assert_eq!(kube["roles"].as_array().map(Vec::len), Some(2));
    let text = envparity(&["inventory", SHOP_STAGING, "--format", "text"]);
    assert_eq!(text.code, 0);
    for part in [
        "environment: staging",
        "service accounts",
        "sources",
        "diagnostics",
    ] {
        assert!(
            text.stdout.contains(part),
            "missing {part}:\n{}",
            text.stdout
        );
    }
}
