//! Aggregated ClusterRoles: label selectors and the fixpoint that gives each ClusterRole its
//! effective rules, as the `clusterroleaggregation` controller converges to.
//!
//! For a role with `aggregationRule`, the controller walks its selectors in order, lists the
//! matching ClusterRoles sorted by name (skipping the role itself) and appends each of their
//! rules unless a deep-equal rule is already present; the result replaces the role's own
//! `rules`. Any change re-enqueues every aggregating role, so nested aggregation converges. Here
//! aggregating roles start empty (their hand-written rules are replaced) and are recomputed in
//! name order until nothing changes, which also terminates on selection cycles.

use std::collections::BTreeMap;
use std::fmt;

use serde::Serialize;

use super::types::PolicyRule;

/// One ClusterRole as far as aggregation is concerned.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct ClusterRoleDef {
    pub name: String,
    pub labels: BTreeMap<String, String>,
    /// The `rules` as written (replaced when the role is aggregated).
    pub rules: Vec<PolicyRule>,
    /// `aggregationRule.clusterRoleSelectors`; `None` when the role has no `aggregationRule`.
    pub aggregation: Option<Vec<LabelSelector>>,
}

/// A `metav1.LabelSelector`: all of `match_labels` and all of `match_expressions` must hold.
/// An empty selector selects every role.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct LabelSelector {
    pub match_labels: BTreeMap<String, String>,
    pub match_expressions: Vec<LabelSelectorRequirement>,
}

/// One `matchExpressions` entry.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct LabelSelectorRequirement {
    pub key: String,
    pub operator: SelectorOperator,
    pub values: Vec<String>,
}

/// The operators of `matchExpressions`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum SelectorOperator {
    /// The label is present with one of `values` (non-empty).
    In,
    /// The label is absent or has none of `values` (non-empty).
    NotIn,
    /// The label is present (`values` empty).
    Exists,
    /// The label is absent (`values` empty).
    DoesNotExist,
}

/// Why a role's effective rules cannot be determined.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub enum AggregationError {
    /// Several ClusterRoles share this name.
    DuplicateName { role: String },
    /// A selector the API server would reject, so the controller never updates the role.
    InvalidSelector { role: String, detail: String },
    /// The role selects a role whose effective rules are undetermined.
    DependsOnUnresolved { role: String, dependency: String },
}

impl fmt::Display for AggregationError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            AggregationError::DuplicateName { role } => {
                write!(f, "several ClusterRoles are named `{role}`")
            }
            AggregationError::InvalidSelector { role, detail } => {
                write!(
                    f,
                    "ClusterRole `{role}` has an invalid aggregation selector: {detail}"
                )
            }
            AggregationError::DependsOnUnresolved { role, dependency } => write!(
                f,
                "ClusterRole `{role}` aggregates `{dependency}`, whose rules are undetermined"
            ),
        }
    }
}

impl std::error::Error for AggregationError {}

impl LabelSelectorRequirement {
    fn validate(&self) -> Result<(), String> {
        let needs_values = matches!(
            self.operator,
            SelectorOperator::In | SelectorOperator::NotIn
        );
        match (needs_values, self.values.is_empty()) {
            (true, true) => Err(format!(
                "operator {:?} on key `{}` needs values",
                self.operator, self.key
            )),
            (false, false) => Err(format!(
                "operator {:?} on key `{}` takes no values",
                self.operator, self.key
            )),
            _ => Ok(()),
        }
    }

    fn matches(&self, labels: &BTreeMap<String, String>) -> bool {
        let value = labels.get(&self.key);
        let listed = value.is_some_and(|v| self.values.contains(v));
        match self.operator {
            SelectorOperator::In => listed,
            SelectorOperator::NotIn => !listed,
            SelectorOperator::Exists => value.is_some(),
            SelectorOperator::DoesNotExist => value.is_none(),
        }
    }
}

impl LabelSelector {
    /// Checks the operator/values pairing the API server enforces.
    pub fn validate(&self) -> Result<(), String> {
        self.match_expressions
            .iter()
            .try_for_each(LabelSelectorRequirement::validate)
    }

    /// Whether a role with `labels` is selected.
    pub fn matches(&self, labels: &BTreeMap<String, String>) -> bool {
        self.match_labels
            .iter()
            .all(|(k, v)| labels.get(k) == Some(v))
            && self.match_expressions.iter().all(|e| e.matches(labels))
    }
}

type Effective = Result<Vec<PolicyRule>, AggregationError>;

/// The effective rules of every ClusterRole, by name: a role without `aggregationRule` keeps its
/// rules; an aggregated role gets the fixpoint of the union of the rules of the roles its
/// selectors pick (in selector order, each selector's roles sorted by name, deep-equal rules
/// once), or an error when that cannot be determined.
pub fn aggregate_cluster_roles(roles: &[ClusterRoleDef]) -> BTreeMap<String, Effective> {
    let mut by_name: BTreeMap<&str, Vec<&ClusterRoleDef>> = BTreeMap::new();
    for role in roles {
        by_name.entry(role.name.as_str()).or_default().push(role);
    }
    let mut result: BTreeMap<String, Effective> = BTreeMap::new();
    // For each valid aggregated role: the names it selects, in aggregation order.
    let mut selections: BTreeMap<&str, Vec<&str>> = BTreeMap::new();
    for (name, defs) in &by_name {
        let effective = match defs.as_slice() {
            [role] => match &role.aggregation {
                None => Ok(role.rules.clone()),
                Some(selectors) => match selectors.iter().try_for_each(LabelSelector::validate) {
                    Ok(()) => {
                        selections.insert(name, selected(name, selectors, &by_name));
                        Ok(Vec::new())
                    }
                    Err(detail) => Err(AggregationError::InvalidSelector {
                        role: (*name).to_string(),
                        detail,
                    }),
                },
            },
            _ => Err(AggregationError::DuplicateName {
                role: (*name).to_string(),
            }),
        };
        result.insert((*name).to_string(), effective);
    }
    propagate_errors(&selections, &mut result);
    selections.retain(|name, _| result.get(*name).is_some_and(Result::is_ok));
    converge(&selections, &mut result);
    result
}

/// The names `selectors` pick, selector by selector, each sorted by name, without `own`.
fn selected<'a>(
    own: &str,
    selectors: &[LabelSelector],
    by_name: &BTreeMap<&'a str, Vec<&ClusterRoleDef>>,
) -> Vec<&'a str> {
    let mut names = Vec::new();
    for selector in selectors {
        // `by_name` iterates in name order.
        for (name, defs) in by_name {
            if *name != own && defs.iter().any(|d| selector.matches(&d.labels)) {
                names.push(*name);
            }
        }
    }
    names
}

/// Marks every aggregated role that (transitively) selects an undetermined role.
fn propagate_errors(
    selections: &BTreeMap<&str, Vec<&str>>,
    result: &mut BTreeMap<String, Effective>,
) {
    let mut changed = true;
    while changed {
        changed = false;
        for (name, picks) in selections {
            if result.get(*name).is_some_and(Result::is_err) {
                continue;
            }
            let bad = picks
                .iter()
                .find(|p| result.get(**p).is_some_and(Result::is_err));
            if let Some(dependency) = bad {
                let error = AggregationError::DependsOnUnresolved {
                    role: (*name).to_string(),
                    dependency: (*dependency).to_string(),
                };
                result.insert((*name).to_string(), Err(error));
                changed = true;
            }
        }
    }
}

/// Recomputes the aggregated roles in name order until nothing changes. The rule sets only
/// grow and are bounded by the distinct rules of all roles; the pass bound also stops any
/// reordering that would not settle.
fn converge(selections: &BTreeMap<&str, Vec<&str>>, result: &mut BTreeMap<String, Effective>) {
    let distinct: usize = result.values().flatten().map(Vec::len).sum();
    let max_passes = (selections.len() + 1) * (distinct + 1) + 1;
    for _ in 0..max_passes {
        let mut changed = false;
        for (name, picks) in selections {
            let mut rules: Vec<PolicyRule> = Vec::new();
            for pick in picks {
                if let Some(Ok(theirs)) = result.get(*pick) {
                    for rule in theirs {
                        if !rules.contains(rule) {
                            rules.push(rule.clone());
                        }
                    }
                }
            }
            let slot = result
                .entry((*name).to_string())
                .or_insert_with(|| Ok(Vec::new()));
            if slot.as_ref().ok() != Some(&rules) {
                *slot = Ok(rules);
                changed = true;
            }
        }
        if !changed {
            return;
        }
    }
}
