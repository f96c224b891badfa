//! Metamorphic properties of the RBAC comparison: a rule set equals itself, swapping the sides
//! swaps the verdict and the witness lists, and renaming consistently changes nothing.

mod common;

use common::side_strategy;
use envparity_access::Verdict;
use envparity_access::k8s::{PolicyRule, Scope, ScopedRule, compare};
use proptest::prelude::*;

/// An injective renaming of one segment that keeps `*` and the empty string.
fn rename_segment(segment: &str) -> String {
    match segment {
        "*" | "" => segment.to_string(),
        other => format!("{other}-renamed"),
    }
}

/// Renames every `/`-separated segment, so that `res/sub` and `*/sub` stay consistent.
fn rename(value: &str) -> String {
    value
        .split('/')
        .map(rename_segment)
        .collect::<Vec<_>>()
        .join("/")
}

fn rename_all(values: &[String]) -> Vec<String> {
    values.iter().map(|v| rename(v)).collect()
}

/// Renames namespaces, verbs, groups, resources, subresources and names (URLs unchanged).
fn rename_rules(rules: &[ScopedRule]) -> Vec<ScopedRule> {
    rules
        .iter()
        .map(|s| ScopedRule {
            scope: match &s.scope {
                Scope::Cluster => Scope::Cluster,
                Scope::Namespace(ns) => Scope::Namespace(rename(ns)),
            },
            rule: PolicyRule {
                verbs: rename_all(&s.rule.verbs),
                api_groups: rename_all(&s.rule.api_groups),
                resources: rename_all(&s.rule.resources),
                resource_names: rename_all(&s.rule.resource_names),
                non_resource_urls: s.rule.non_resource_urls.clone(),
            },
            origin: s.origin,
        })
        .collect()
}

proptest! {
    #[test]
    fn a_set_equals_itself(x in side_strategy()) {
        let result = compare(&x, &x);
        prop_assert_eq!(result.verdict, Verdict::Equal);
        prop_assert!(result.staging_only.is_empty());
        prop_assert!(result.production_only.is_empty());
    }

    #[test]
    fn duplicating_and_reordering_rules_changes_nothing(x in side_strategy()) {
        let mut y: Vec<ScopedRule> = x.iter().rev().cloned().collect();
        y.extend(x.iter().cloned());
        prop_assert_eq!(compare(&x, &y).verdict, Verdict::Equal);
    }

    #[test]
    fn swapping_sides_swaps_everything(a in side_strategy(), b in side_strategy()) {
        let ab = compare(&a, &b);
        let ba = compare(&b, &a);
        prop_assert_eq!(ba.verdict, ab.verdict.swapped());
        prop_assert_eq!(&ba.staging_only, &ab.production_only);
        prop_assert_eq!(&ba.production_only, &ab.staging_only);
    }

    #[test]
    fn consistent_renaming_keeps_the_verdict(a in side_strategy(), b in side_strategy()) {
        let before = compare(&a, &b);
        let after = compare(&rename_rules(&a), &rename_rules(&b));
        prop_assert_eq!(before.verdict, after.verdict);
        prop_assert_eq!(before.staging_only.is_empty(), after.staging_only.is_empty());
    }

    #[test]
    fn comparison_is_deterministic(a in side_strategy(), b in side_strategy()) {
        prop_assert_eq!(compare(&a, &b), compare(&a, &b));
    }
}

#[test]
fn renaming_helper_is_consistent() {
    assert_eq!(rename("pods/status"), "pods-renamed/status-renamed");
    assert_eq!(rename("*/scale"), "*/scale-renamed");
    assert_eq!(rename("*"), "*");
    assert_eq!(rename(""), "");
}
