//! The atomic partition of the RBAC request space: per dimension, one representative value for
//! every class of values that no rule of either side can tell apart.
//!
//! A rule's decision is a conjunction of one predicate per dimension, each depending on that
//! dimension's value only (namespace via the binding scope, verb, API group, the
//! resource/subresource pair, the resource name; or verb and URL). Two values of a dimension
//! that satisfy the same predicates of every rule are interchangeable, so any concrete request
//! is decided exactly like the tuple of the representatives of its values' classes.
//!
//! The partition covers the requests the API server can produce: resources and subresources
//! never contain `/`. Verbs, groups, names, namespaces and URLs are arbitrary strings.

use std::collections::BTreeSet;

use super::types::{Scope, ScopedRule};
use super::vocabulary::{self, Fresh};

/// One representative of a class of values of one dimension. The derived order (synthetic,
/// odd, fresh, value) is the preference order for witnesses.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) struct Rep<T> {
    /// Invented, not a real Kubernetes name.
    pub synthetic: bool,
    /// Built from literals but not a request the API server produces (a resource containing
    /// `/` or `*`, an empty resource).
    pub odd: bool,
    /// How many of its parts stand for "any value not named" rather than a literal.
    pub fresh: u8,
    pub value: T,
}

/// A resource and its optional subresource, neither containing `/`.
pub(crate) type ResourcePair = (String, Option<String>);

/// The representatives of every dimension, each list in preference order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Atoms {
    pub namespaces: Vec<Rep<Option<String>>>,
    pub verbs: Vec<Rep<String>>,
    pub groups: Vec<Rep<String>>,
    pub resources: Vec<Rep<ResourcePair>>,
    pub names: Vec<Rep<Option<String>>>,
    pub urls: Vec<Rep<String>>,
}

/// Every literal of every dimension, from both sides.
#[derive(Debug, Default)]
struct Literals {
    namespaces: BTreeSet<String>,
    verbs: BTreeSet<String>,
    groups: BTreeSet<String>,
    resources: BTreeSet<String>,
    names: BTreeSet<String>,
    urls: BTreeSet<String>,
}

const ALL: &str = "*";

impl Atoms {
    /// The representatives for the rules of both sides.
    pub(crate) fn build<'a>(rules: impl IntoIterator<Item = &'a ScopedRule>) -> Atoms {
        let mut lit = Literals::default();
        for scoped in rules {
            if let Scope::Namespace(ns) = &scoped.scope {
                lit.namespaces.insert(ns.clone());
            }
            let rule = &scoped.rule;
            lit.verbs
                .extend(rule.verbs.iter().filter(|v| *v != ALL).cloned());
            lit.groups
                .extend(rule.api_groups.iter().filter(|g| *g != ALL).cloned());
            lit.resources
                .extend(rule.resources.iter().filter(|r| *r != ALL).cloned());
            lit.names.extend(rule.resource_names.iter().cloned());
            lit.urls.extend(rule.non_resource_urls.iter().cloned());
        }
        Atoms {
            namespaces: optional_reps(&lit.namespaces, vocabulary::NAMESPACES, "namespace-"),
            verbs: plain_reps(&lit.verbs, vocabulary::VERBS, "unnamed-verb-"),
            groups: plain_reps(&lit.groups, vocabulary::GROUPS, "unnamed-group-"),
            resources: resource_reps(&lit.resources),
            names: optional_reps(&lit.names, vocabulary::NAMES, "name-"),
            urls: url_reps(&lit.urls),
        }
    }
}

fn literal<T>(value: T, odd: bool) -> Rep<T> {
    Rep {
        synthetic: false,
        odd,
        fresh: 0,
        value,
    }
}

fn fresh<T>(value: T, synthetic: bool, fresh: u8, odd: bool) -> Rep<T> {
    Rep {
        synthetic,
        odd,
        fresh,
        value,
    }
}

/// Verbs and API groups: each literal, plus one value named by no rule.
fn plain_reps(literals: &BTreeSet<String>, known: &[&str], prefix: &str) -> Vec<Rep<String>> {
    let mut taken = literals.clone();
    taken.insert(ALL.to_string());
    let other = vocabulary::pick(known, &taken, prefix, true);
    let mut reps: Vec<Rep<String>> = literals.iter().map(|l| literal(l.clone(), false)).collect();
    reps.push(fresh(other.value, other.synthetic, 1, false));
    reps.sort();
    reps
}

/// Namespaces and resource names: each literal, plus one value named by no rule, plus absent
/// (cluster-scoped; name unknown). Absent falls in the same class as the unnamed value (only
/// cluster-bound rules, resp. rules without `resourceNames`, accept either); it is kept because
/// it makes the more telling witness.
fn optional_reps(
    literals: &BTreeSet<String>,
    known: &[&str],
    prefix: &str,
) -> Vec<Rep<Option<String>>> {
    let other = vocabulary::pick(known, literals, prefix, false);
    let mut reps = vec![literal(None, false)];
    reps.extend(literals.iter().map(|l| literal(Some(l.clone()), false)));
    reps.push(fresh(Some(other.value), other.synthetic, 1, false));
    reps.sort();
    reps
}

fn is_odd(resource: &str, sub: Option<&str>) -> bool {
    resource.is_empty()
        || resource.contains(['/', '*'])
        || sub.is_some_and(|s| s.contains(['/', '*']))
}

/// Resource/subresource pairs of the requests the API server produces: neither part contains
/// `/` (request paths are split on it) and an empty subresource is none. The predicates are
/// "combined string equals literal L" and "subresource equals x" (from `*/x`). A literal L is
/// produced by exactly one pair (`L`, or `resource/subresource` split at its only `/`) or by
/// none (two `/`, empty subresource); a literal `*/x` is only reachable as the pair (`*`, `x`),
/// which every rule treats like any other resource with subresource `x`. The remaining classes
/// are represented by a fresh resource (not the first segment of any literal, so
/// `fresh/anything` is never a literal) without subresource and with each `x`; a fresh
/// subresource falls in the class of "no subresource" and is added for a more telling witness.
fn resource_reps(literals: &BTreeSet<String>) -> Vec<Rep<ResourcePair>> {
    let subs: BTreeSet<String> = literals
        .iter()
        .filter_map(|l| l.strip_prefix("*/"))
        .filter(|s| !s.is_empty() && !s.contains('/'))
        .map(str::to_string)
        .collect();
    let mut reps: BTreeSet<Rep<ResourcePair>> = BTreeSet::new();
    for l in literals {
        match l.split_once('/') {
            None => {
                reps.insert(literal((l.clone(), None), is_odd(l, None)));
            }
            Some((head, tail)) if head != ALL && !tail.is_empty() && !tail.contains('/') => {
                let pair = (head.to_string(), Some(tail.to_string()));
                reps.insert(literal(pair, is_odd(head, Some(tail))));
            }
            Some(_) => {}
        }
    }
    let mut taken = literals.clone();
    taken.extend(
        literals
            .iter()
            .filter_map(|l| l.split('/').next())
            .map(str::to_string),
    );
    taken.insert(ALL.to_string());
    let res: Fresh = vocabulary::pick(vocabulary::RESOURCES, &taken, "unnamed-resource-", true);
    let sub: Fresh = vocabulary::pick(
        vocabulary::SUBRESOURCES,
        &subs,
        "unnamed-subresource-",
        true,
    );
    reps.insert(fresh((res.value.clone(), None), res.synthetic, 1, false));
    for x in &subs {
        let odd = is_odd(&res.value, Some(x));
        reps.insert(fresh(
            (res.value.clone(), Some(x.clone())),
            res.synthetic,
            1,
            odd,
        ));
    }
    let pair = (res.value, Some(sub.value));
    reps.insert(fresh(pair, res.synthetic || sub.synthetic, 2, false));
    reps.into_iter().collect()
}

/// Non-resource URLs. Patterns are exact literals E and prefixes P (trailing `*` trimmed).
/// The class of a URL outside E is fixed by its longest prefix in P (the matching prefixes
/// form a chain), so the representatives are: each exact literal; for each prefix p a URL in E's
/// complement whose longest prefix is p; and, unless `""` is a prefix, one URL with no prefix.
fn url_reps(literals: &BTreeSet<String>) -> Vec<Rep<String>> {
    let exact: BTreeSet<&str> = literals
        .iter()
        .filter(|u| !u.ends_with('*'))
        .map(String::as_str)
        .collect();
    let prefixes: BTreeSet<&str> = literals
        .iter()
        .filter(|u| u.ends_with('*'))
        .map(|u| u.trim_end_matches('*'))
        .collect();
    let longest = |url: &str| {
        prefixes
            .iter()
            .filter(|p| url.starts_with(**p))
            .max_by_key(|p| p.len())
            .copied()
    };
    let in_class = |url: &str, class: Option<&str>| !exact.contains(url) && longest(url) == class;

    let mut reps: BTreeSet<Rep<String>> = exact
        .iter()
        .map(|e| literal((*e).to_string(), false))
        .collect();
    let classes = prefixes.iter().map(|p| Some(*p));
    let no_prefix = (!prefixes.contains("")).then_some(None);
    for class in classes.chain(no_prefix) {
        if let Some(p) = class.filter(|p| !p.is_empty() && in_class(p, class)) {
            reps.insert(literal(p.to_string(), false));
        } else if let Some(k) = vocabulary::URLS.iter().find(|k| in_class(k, class)) {
            reps.insert(fresh((*k).to_string(), false, 1, false));
        } else {
            // p + c where no longer pattern continues p with c: its longest prefix is p and it
            // is no exact literal.
            let base = class.unwrap_or("");
            let next: BTreeSet<char> = prefixes
                .iter()
                .chain(exact.iter())
                .filter_map(|q| q.strip_prefix(base))
                .filter_map(|rest| rest.chars().next())
                .collect();
            let c = vocabulary::pick_char(&next);
            reps.insert(fresh(format!("{base}{c}"), true, 1, false));
        }
    }
    reps.into_iter().collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn set(values: &[&str]) -> BTreeSet<String> {
        values.iter().map(|s| s.to_string()).collect()
    }

    fn values<T: Clone>(reps: &[Rep<T>]) -> Vec<T> {
        reps.iter().map(|r| r.value.clone()).collect()
    }

    #[test]
    fn url_classes_one_each() {
        let reps = values(&url_reps(&set(&[
            "/api",
            "/api/*",
            "/apis/*",
            "/apis/apps/*",
        ])));
        assert!(reps.contains(&"/api".to_string()));
        assert!(reps.contains(&"/api/".to_string()));
        assert!(reps.contains(&"/apis/".to_string()));
        assert!(reps.contains(&"/apis/apps/".to_string()));
        assert!(reps.contains(&"/healthz".to_string()));
        assert_eq!(reps.len(), 5);
    }

    #[test]
    fn url_star_leaves_no_unmatched_class() {
        let reps = values(&url_reps(&set(&["*", "/x"])));
        assert_eq!(reps, vec!["/x".to_string(), "/healthz".to_string()]);
    }

    #[test]
    fn resource_literals_become_their_request_pair() {
        let reps = values(&resource_reps(&set(&["pods", "pods/status", "*/scale"])));
        let pair = |r: &str, s: Option<&str>| (r.to_string(), s.map(str::to_string));
        assert!(reps.contains(&pair("pods", None)));
        assert!(reps.contains(&pair("pods", Some("status"))));
        assert!(reps.contains(&pair("secrets", Some("scale"))));
        assert!(reps.contains(&pair("secrets", Some("status"))));
        assert!(reps.contains(&pair("secrets", None)));
        assert!(!reps.contains(&pair("*", Some("scale"))));
        assert!(!reps.contains(&pair("pods/status", None)));
    }
}
