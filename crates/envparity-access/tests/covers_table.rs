//! The `Covers` test table of `policy_comparator_test.go` (SEMANTICS-RESEARCH.md §4.2),
//! re-expressed: the servant is covered by the owner exactly when comparing the servant (as
//! staging) with the owner (as production) finds no staging-only request, and the staging-only
//! witnesses are exactly requests of the listed uncovered atomic sub-rules.

mod common;

use common::{cluster, rule};
use envparity_access::Verdict;
use envparity_access::k8s::{PolicyRule, ScopedRule, allows, compare, rule_matches};

/// `G V R N U` of one rule.
type R = (
    &'static [&'static str],
    &'static [&'static str],
    &'static [&'static str],
    &'static [&'static str],
    &'static [&'static str],
);

struct Row {
    name: &'static str,
    owner: Vec<R>,
    servant: Vec<R>,
    covered: bool,
    uncovered: Vec<R>,
}

const NONE: &[&str] = &[];

fn split_rules(group: &'static [&'static str]) -> Vec<R> {
    vec![
        (group, &["delete"], &["deployments"], NONE, NONE),
        (group, &["delete"], &["builds"], NONE, NONE),
        (group, &["update"], &["builds", "deployments"], NONE, NONE),
    ]
}

fn rows() -> Vec<Row> {
    let v1: &'static [&'static str] = &["v1"];
    let row = |name, owner, servant, covered, uncovered| Row {
        name,
        owner,
        servant,
        covered,
        uncovered,
    };
    vec![
        row(
            "ExactMatch",
            vec![(v1, &["get"], &["builds"], NONE, NONE)],
            vec![(v1, &["get"], &["builds"], NONE, NONE)],
            true,
            vec![],
        ),
        row(
            "SubresourceWildcard",
            vec![(v1, &["get"], &["*/scale"], NONE, NONE)],
            vec![(v1, &["get"], &["foo/scale"], NONE, NONE)],
            true,
            vec![],
        ),
        row(
            "MultipleRulesCoveringSingleRule",
            split_rules(v1),
            vec![(
                v1,
                &["delete", "update"],
                &["builds", "deployments"],
                NONE,
                NONE,
            )],
            true,
            vec![],
        ),
        row(
            "MultipleAPIGroupsCoveringSingleRule",
            [split_rules(&["group1"]), split_rules(&["group2"])].concat(),
            vec![(
                &["group1", "group2"],
                &["delete", "update"],
                &["builds", "deployments"],
                NONE,
                NONE,
            )],
            true,
            vec![],
        ),
        row(
            "SingleAPIGroupsCoveringMultiple",
            vec![(
                &["group1", "group2"],
                &["delete", "update"],
                &["builds", "deployments"],
                NONE,
                NONE,
            )],
            [split_rules(&["group1"]), split_rules(&["group2"])].concat(),
            true,
            vec![],
        ),
        row(
            "MultipleRulesMissingSingleVerbResourceCombination",
            vec![
                (
                    v1,
                    &["delete", "update"],
                    &["builds", "deployments"],
                    NONE,
                    NONE,
                ),
                (v1, &["delete"], &["pods"], NONE, NONE),
            ],
            vec![(
                v1,
                &["delete", "update"],
                &["builds", "deployments", "pods"],
                NONE,
                NONE,
            )],
            false,
            vec![(v1, &["update"], &["pods"], NONE, NONE)],
        ),
        row(
            "APIGroupStarCoveringMultiple",
            vec![(&["*"], &["get"], &["roles"], NONE, NONE)],
            vec![(&["group1", "group2"], &["get"], &["roles"], NONE, NONE)],
            true,
            vec![],
        ),
        row(
            "EnumerationNotCoveringAPIGroupStar",
            vec![(&["dummy-group"], &["get"], &["roles"], NONE, NONE)],
            vec![(&["*"], &["get"], &["roles"], NONE, NONE)],
            false,
            vec![(&["*"], &["get"], &["roles"], NONE, NONE)],
        ),
        row(
            "APIGroupStarCoveringStar",
            vec![(&["*"], &["get"], &["roles"], NONE, NONE)],
            vec![(&["*"], &["get"], &["roles"], NONE, NONE)],
            true,
            vec![],
        ),
        row(
            "VerbStarCoveringMultiple",
            vec![(v1, &["*"], &["roles"], NONE, NONE)],
            vec![(v1, &["watch", "list"], &["roles"], NONE, NONE)],
            true,
            vec![],
        ),
        row(
            "EnumerationNotCoveringVerbStar",
            vec![(
                v1,
                &["get", "list", "watch", "create", "update", "delete", "exec"],
                &["roles"],
                NONE,
                NONE,
            )],
            vec![(v1, &["*"], &["roles"], NONE, NONE)],
            false,
            vec![(v1, &["*"], &["roles"], NONE, NONE)],
        ),
        row(
            "VerbStarCoveringStar",
            vec![(v1, &["*"], &["roles"], NONE, NONE)],
            vec![(v1, &["*"], &["roles"], NONE, NONE)],
            true,
            vec![],
        ),
        row(
            "ResourceStarCoveringMultiple",
            vec![(v1, &["get"], &["*"], NONE, NONE)],
            vec![(v1, &["get"], &["resourcegroup:deployments"], NONE, NONE)],
            true,
            vec![],
        ),
        row(
            "EnumerationNotCoveringResourceStar",
            vec![(
                v1,
                &["get"],
                &["roles", "resourcegroup:deployments"],
                NONE,
                NONE,
            )],
            vec![(v1, &["get"], &["*"], NONE, NONE)],
            false,
            vec![(v1, &["get"], &["*"], NONE, NONE)],
        ),
        row(
            "ResourceStarCoveringStar",
            vec![(v1, &["get"], &["*"], NONE, NONE)],
            vec![(v1, &["get"], &["*"], NONE, NONE)],
            true,
            vec![],
        ),
        row(
            "ResourceNameEmptyCoveringMultiple",
            vec![(v1, &["get"], &["pods"], NONE, NONE)],
            vec![(v1, &["get"], &["pods"], &["foo", "bar"], NONE)],
            true,
            vec![],
        ),
        row(
            "EnumerationNotCoveringResourceNameEmpty",
            vec![(v1, &["get"], &["pods"], &["foo", "bar"], NONE)],
            vec![(v1, &["get"], &["pods"], NONE, NONE)],
            false,
            vec![(v1, &["get"], &["pods"], NONE, NONE)],
        ),
        row(
            "NonResourceURLs",
            vec![(NONE, &["*"], NONE, NONE, &["/apis"])],
            vec![(NONE, &["*"], NONE, NONE, &["/apis"])],
            true,
            vec![],
        ),
        row(
            "NonResourceURLsStar",
            vec![(NONE, &["*"], NONE, NONE, &["*"])],
            vec![(NONE, &["*"], NONE, NONE, &["/apis", "/apis/v1", "/"])],
            true,
            vec![],
        ),
        row(
            "NonResourceURLsStarAfterPrefixDoesntCover",
            vec![(NONE, &["*"], NONE, NONE, &["/apis/*"])],
            vec![(NONE, &["get"], NONE, NONE, &["/apis", "/apis/v1"])],
            false,
            vec![(NONE, &["get"], NONE, NONE, &["/apis"])],
        ),
        row(
            "NonResourceURLsStarAfterPrefix",
            vec![(NONE, &["*"], NONE, NONE, &["/apis/*"])],
            vec![(NONE, &["get"], NONE, NONE, &["/apis/v1/foo", "/apis/v1"])],
            true,
            vec![],
        ),
        row(
            "NonResourceURLsWithOtherFields",
            vec![(v1, &["get"], &["builds"], NONE, &["/apis"])],
            vec![(v1, &["get"], &["builds"], NONE, &["/apis"])],
            true,
            vec![],
        ),
        row(
            "NonResourceURLsWithOtherFieldsFailure",
            vec![(v1, &["get"], &["builds"], NONE, NONE)],
            vec![(v1, &["get"], &["builds"], NONE, &["/apis"])],
            false,
            vec![(NONE, &["get"], NONE, NONE, &["/apis"])],
        ),
    ]
}

fn to_rule(r: &R) -> PolicyRule {
    rule(r.0, r.1, r.2, r.3, r.4)
}

fn bound(rules: &[R]) -> Vec<ScopedRule> {
    rules.iter().map(|r| cluster(to_rule(r))).collect()
}

/// The failures of one row, empty when it holds.
fn check_row(row: &Row) -> Vec<String> {
    let (owner, servant) = (bound(&row.owner), bound(&row.servant));
    let result = compare(&servant, &owner);
    let mut failures = Vec::new();
    let covered = result.staging_only.is_empty();
    if covered != row.covered {
        failures.push(format!(
            "covered: got {covered}, want {} ({result:?})",
            row.covered
        ));
    }
    if covered != matches!(result.verdict, Verdict::Equal | Verdict::Narrower) {
        failures.push(format!(
            "verdict {:?} disagrees with the witnesses",
            result.verdict
        ));
    }
    let uncovered: Vec<PolicyRule> = row.uncovered.iter().map(to_rule).collect();
    for sub in &uncovered {
        if !result
            .staging_only
            .iter()
            .any(|w| rule_matches(sub, &w.request))
        {
            failures.push(format!("no witness for uncovered sub-rule {sub:?}"));
        }
    }
    for w in &result.staging_only {
        if !uncovered.iter().any(|sub| rule_matches(sub, &w.request)) {
            failures.push(format!("witness {w:?} outside the uncovered sub-rules"));
        }
        if !allows(&servant, &w.request) || allows(&owner, &w.request) {
            failures.push(format!("witness {w:?} is not servant-only"));
        }
    }
    failures
}

#[test]
fn covers_table() {
    let mut failures = Vec::new();
    for row in rows() {
        for failure in check_row(&row) {
            failures.push(format!("{}: {failure}", row.name));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn covers_table_has_every_row() {
    assert_eq!(rows().len(), 23);
}
