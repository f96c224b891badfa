//! Aggregated ClusterRoles: label selector semantics, the fixpoint over nested aggregation,
//! termination on cycles, and the errors that keep undetermined rules from reading as known.

mod common;

use std::collections::BTreeMap;

use common::rule;
use envparity_access::k8s::{
    AggregationError, ClusterRoleDef, LabelSelector, LabelSelectorRequirement, PolicyRule,
    SelectorOperator, aggregate_cluster_roles,
};

fn labels(pairs: &[(&str, &str)]) -> BTreeMap<String, String> {
    pairs
        .iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect()
}

fn selects(pairs: &[(&str, &str)]) -> LabelSelector {
    LabelSelector {
        match_labels: labels(pairs),
        match_expressions: Vec::new(),
    }
}

fn expr(key: &str, operator: SelectorOperator, values: &[&str]) -> LabelSelector {
    LabelSelector {
        match_labels: BTreeMap::new(),
        match_expressions: vec![LabelSelectorRequirement {
            key: key.to_string(),
            operator,
            values: values.iter().map(|v| v.to_string()).collect(),
        }],
    }
}

fn get(resource: &str) -> PolicyRule {
    rule(&[""], &["get"], &[resource], &[], &[])
}

fn role(
    name: &str,
    l: &[(&str, &str)],
    rules: Vec<PolicyRule>,
    agg: Option<Vec<LabelSelector>>,
) -> ClusterRoleDef {
    ClusterRoleDef {
        name: name.to_string(),
        labels: labels(l),
        rules,
        aggregation: agg,
    }
}

fn effective(roles: &[ClusterRoleDef], name: &str) -> Result<Vec<PolicyRule>, AggregationError> {
    aggregate_cluster_roles(roles)
        .remove(name)
        .unwrap_or_else(|| panic!("no result for {name}"))
}

#[test]
fn selector_operators() {
    let l = labels(&[("tier", "edit"), ("team", "a")]);
    assert!(selects(&[("tier", "edit")]).matches(&l));
    assert!(!selects(&[("tier", "edit"), ("team", "b")]).matches(&l));
    assert!(
        LabelSelector::default().matches(&l),
        "empty selector selects everything"
    );
    assert!(expr("tier", SelectorOperator::In, &["view", "edit"]).matches(&l));
    assert!(!expr("tier", SelectorOperator::In, &["view"]).matches(&l));
    assert!(!expr("missing", SelectorOperator::In, &["x"]).matches(&l));
    assert!(!expr("tier", SelectorOperator::NotIn, &["edit"]).matches(&l));
    assert!(
        expr("missing", SelectorOperator::NotIn, &["x"]).matches(&l),
        "NotIn holds when absent"
    );
    assert!(expr("team", SelectorOperator::Exists, &[]).matches(&l));
    assert!(!expr("missing", SelectorOperator::Exists, &[]).matches(&l));
    assert!(expr("missing", SelectorOperator::DoesNotExist, &[]).matches(&l));
    assert!(!expr("team", SelectorOperator::DoesNotExist, &[]).matches(&l));
}

#[test]
fn selector_validation() {
    assert!(expr("k", SelectorOperator::In, &[]).validate().is_err());
    assert!(expr("k", SelectorOperator::NotIn, &[]).validate().is_err());
    assert!(
        expr("k", SelectorOperator::Exists, &["v"])
            .validate()
            .is_err()
    );
    assert!(
        expr("k", SelectorOperator::DoesNotExist, &["v"])
            .validate()
            .is_err()
    );
    assert!(expr("k", SelectorOperator::Exists, &[]).validate().is_ok());
}

#[test]
fn union_in_name_order_replaces_own_rules_and_dedupes() {
    let roles = [
        role(
            "view",
            &[("agg", "yes")],
            vec![get("pods"), get("services")],
            None,
        ),
        role(
            "edit",
            &[("agg", "yes")],
            vec![get("secrets"), get("pods")],
            None,
        ),
        role("other", &[("agg", "no")], vec![get("nodes")], None),
        role(
            "admin",
            &[],
            vec![get("handwritten")],
            Some(vec![selects(&[("agg", "yes")])]),
        ),
    ];
    assert_eq!(
        effective(&roles, "admin"),
        Ok(vec![get("secrets"), get("pods"), get("services")])
    );
    assert_eq!(
        effective(&roles, "view"),
        Ok(vec![get("pods"), get("services")])
    );
}

#[test]
fn selectors_apply_in_order() {
    let roles = [
        role("a", &[("x", "1")], vec![get("pods")], None),
        role("b", &[("y", "1")], vec![get("secrets")], None),
        role(
            "agg",
            &[],
            vec![],
            Some(vec![selects(&[("y", "1")]), selects(&[("x", "1")])]),
        ),
    ];
    assert_eq!(
        effective(&roles, "agg"),
        Ok(vec![get("secrets"), get("pods")])
    );
}

#[test]
fn nested_aggregation_reaches_the_fixpoint() {
    // "top" sorts before "middle" is ready: one pass is not enough.
    let roles = [
        role(
            "a-top",
            &[],
            vec![],
            Some(vec![selects(&[("level", "middle")])]),
        ),
        role(
            "b-middle",
            &[("level", "middle")],
            vec![],
            Some(vec![selects(&[("level", "leaf")])]),
        ),
        role("c-leaf", &[("level", "leaf")], vec![get("pods")], None),
    ];
    assert_eq!(effective(&roles, "a-top"), Ok(vec![get("pods")]));
    assert_eq!(effective(&roles, "b-middle"), Ok(vec![get("pods")]));
}

#[test]
fn cycles_terminate_with_the_union() {
    let roles = [
        role(
            "a",
            &[("ring", "yes")],
            vec![get("ignored")],
            Some(vec![selects(&[("ring", "yes")])]),
        ),
        role(
            "b",
            &[("ring", "yes")],
            vec![],
            Some(vec![selects(&[("ring", "yes")])]),
        ),
        role("leaf", &[("ring", "yes")], vec![get("pods")], None),
    ];
    let result = aggregate_cluster_roles(&roles);
    assert_eq!(result.get("a"), Some(&Ok(vec![get("pods")])));
    assert_eq!(result.get("b"), Some(&Ok(vec![get("pods")])));
}

#[test]
fn self_selection_is_skipped() {
    let roles = [role(
        "self",
        &[("k", "v")],
        vec![get("pods")],
        Some(vec![selects(&[("k", "v")])]),
    )];
    assert_eq!(effective(&roles, "self"), Ok(vec![]));
}

#[test]
fn empty_aggregation_rule_clears_the_rules() {
    let roles = [role("r", &[], vec![get("pods")], Some(vec![]))];
    assert_eq!(effective(&roles, "r"), Ok(vec![]));
}

#[test]
fn invalid_selectors_and_duplicates_are_errors_that_propagate() {
    let roles = [
        role(
            "bad",
            &[("k", "v")],
            vec![],
            Some(vec![expr("k", SelectorOperator::In, &[])]),
        ),
        role("dup", &[("d", "1")], vec![get("pods")], None),
        role("dup", &[("d", "1")], vec![get("secrets")], None),
        role("uses-bad", &[], vec![], Some(vec![selects(&[("k", "v")])])),
        role("uses-dup", &[], vec![], Some(vec![selects(&[("d", "1")])])),
        role(
            "uses-uses",
            &[("z", "1")],
            vec![],
            Some(vec![LabelSelector::default()]),
        ),
    ];
    let result = aggregate_cluster_roles(&roles);
    assert!(matches!(
        result.get("bad"),
        Some(Err(AggregationError::InvalidSelector { .. }))
    ));
    assert!(matches!(
        result.get("dup"),
        Some(Err(AggregationError::DuplicateName { .. }))
    ));
    assert_eq!(
        result.get("uses-bad"),
        Some(&Err(AggregationError::DependsOnUnresolved {
            role: "uses-bad".into(),
            dependency: "bad".into()
        }))
    );
    assert!(matches!(
        result.get("uses-dup"),
        Some(Err(AggregationError::DependsOnUnresolved { .. }))
    ));
    assert!(matches!(
        result.get("uses-uses"),
        Some(Err(AggregationError::DependsOnUnresolved { .. }))
    ));
}
