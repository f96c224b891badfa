//! Label selectors: matching, and the label sets that reach every class of a set of selectors
//! (for each key its literal values, "absent" and one fresh value).

use std::collections::{BTreeMap, BTreeSet};

use crate::model::LabelSelector;

pub(super) type Labels = BTreeMap<String, String>;

/// A value no selector names.
pub(super) const OTHER: &str = "<other>";
/// Label combinations beyond which representatives are merged into classes.
const MAX_COMBINATIONS: usize = 512;
/// Distinct classes beyond which representatives fall back to one per selector (inexact).
pub(super) const MAX_CLASSES: usize = 512;

/// Kubernetes selector semantics; an unknown operator matches nothing.
pub(super) fn matches(selector: &LabelSelector, labels: &Labels) -> bool {
    selector
        .match_labels
        .iter()
        .all(|(k, v)| labels.get(k) == Some(v))
        && selector.match_expressions.iter().all(|e| {
            let value = labels.get(&e.key);
            match e.operator.as_str() {
                "In" => value.is_some_and(|v| e.values.contains(v)),
                "NotIn" => value.is_none_or(|v| !e.values.contains(v)),
                "Exists" => value.is_some(),
                "DoesNotExist" => value.is_none(),
                _ => false,
            }
        })
}

/// Label sets covering every class of `selectors` (ignoring `skip_key`), fewest labels first.
/// Small selector sets get every combination of each key's literal values, "absent" and a
/// fresh value; larger ones one label set per distinct combination of matched selectors,
/// which is still exact. `exact` is false only when even those classes are too many and one
/// satisfying set per selector (plus the empty set) is returned.
pub(super) fn representatives<'a>(
    selectors: impl IntoIterator<Item = &'a LabelSelector>,
    skip_key: Option<&str>,
) -> (Vec<Labels>, bool) {
    let selectors: Vec<&LabelSelector> = selectors.into_iter().collect();
    let mut values: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for s in &selectors {
        for (k, v) in &s.match_labels {
            values.entry(k.clone()).or_default().insert(v.clone());
        }
        for e in &s.match_expressions {
            values
                .entry(e.key.clone())
                .or_default()
                .extend(e.values.iter().cloned());
        }
    }
    if let Some(skip) = skip_key {
        values.remove(skip);
    }
    let total = values
        .values()
        .try_fold(1usize, |acc, v| acc.checked_mul(v.len() + 2));
    let out = match total {
        Some(n) if n <= MAX_COMBINATIONS => Some(combinations(&values)),
        _ => classes(&selectors, &values),
    };
    match out {
        Some(mut out) => {
            out.sort_by(|a, b| a.len().cmp(&b.len()).then_with(|| a.cmp(b)));
            (out, true)
        }
        None => (one_per_selector(&selectors, skip_key), false),
    }
}

/// Every combination of each key's literal values, "absent" and [`OTHER`].
fn combinations(values: &BTreeMap<String, BTreeSet<String>>) -> Vec<Labels> {
    let mut out: Vec<Labels> = vec![Labels::new()];
    for (key, vals) in values {
        let mut next = Vec::with_capacity(out.len() * (vals.len() + 2));
        for base in &out {
            next.push(base.clone());
            for v in vals.iter().map(String::as_str).chain([OTHER]) {
                let mut l = base.clone();
                l.insert(key.clone(), v.to_string());
                next.push(l);
            }
        }
        out = next;
    }
    out
}

/// Whether `selector`'s constraints on `key` hold for `value` (`None`: the label is absent).
fn key_holds(selector: &LabelSelector, key: &str, value: Option<&str>) -> bool {
    let mut labels = Labels::new();
    if let Some(v) = value {
        labels.insert(key.to_string(), v.to_string());
    }
    let only_key = LabelSelector {
        match_labels: selector
            .match_labels
            .iter()
            .filter(|(k, _)| *k == key)
            .map(|(k, v)| (k.clone(), v.clone()))
            .collect(),
        match_expressions: selector
            .match_expressions
            .iter()
            .filter(|e| e.key == key)
            .cloned()
            .collect(),
    };
    matches(&only_key, &labels)
}

/// One label set per distinct set of matched selectors: keys are assigned one at a time and
/// partial assignments that leave the same selectors satisfiable are merged (selectors are
/// conjunctions of per-key constraints, so they stay indistinguishable). `None` past
/// [`MAX_CLASSES`].
fn classes(
    selectors: &[&LabelSelector],
    values: &BTreeMap<String, BTreeSet<String>>,
) -> Option<Vec<Labels>> {
    let better = |a: &Labels, b: &Labels| (a.len(), a) < (b.len(), b);
    let mut states: BTreeMap<Vec<bool>, Labels> =
        BTreeMap::from([(vec![true; selectors.len()], Labels::new())]);
    for (key, vals) in values {
        let choices: Vec<Option<&str>> = std::iter::once(None)
            .chain(vals.iter().map(|v| Some(v.as_str())))
            .chain([Some(OTHER)])
            .collect();
        let mut next: BTreeMap<Vec<bool>, Labels> = BTreeMap::new();
        for (alive, base) in &states {
            for choice in &choices {
                let state: Vec<bool> = alive
                    .iter()
                    .zip(selectors)
                    .map(|(a, s)| *a && key_holds(s, key, *choice))
                    .collect();
                let mut labels = base.clone();
                if let Some(v) = choice {
                    labels.insert(key.clone(), v.to_string());
                }
                match next.get(&state) {
                    Some(kept) if !better(&labels, kept) => {}
                    _ => {
                        next.insert(state, labels);
                    }
                }
            }
        }
        if next.len() > MAX_CLASSES {
            return None;
        }
        states = next;
    }
    Some(states.into_values().collect())
}

/// The lossy fallback: the empty set and one satisfying set per selector.
fn one_per_selector(selectors: &[&LabelSelector], skip_key: Option<&str>) -> Vec<Labels> {
    let mut out: BTreeSet<Labels> = BTreeSet::new();
    out.insert(Labels::new());
    for s in selectors {
        let mut l: Labels = s.match_labels.to_btree();
        for e in &s.match_expressions {
            match (e.operator.as_str(), e.values.first()) {
                ("In", Some(v)) => {
                    l.insert(e.key.clone(), v.clone());
                }
                ("Exists", _) => {
                    l.entry(e.key.clone()).or_insert_with(|| OTHER.to_string());
                }
                _ => {}
            }
        }
        if let Some(skip) = skip_key {
            l.remove(skip);
        }
        out.insert(l);
    }
    let mut out: Vec<Labels> = out.into_iter().collect();
    out.sort_by(|a, b| a.len().cmp(&b.len()).then_with(|| a.cmp(b)));
    out
}

/// `{app=web, tier=front}`, or `{}` for no labels.
pub(super) fn show(labels: &Labels) -> String {
    let inner: Vec<String> = labels.iter().map(|(k, v)| format!("{k}={v}")).collect();
    format!("{{{}}}", inner.join(", "))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{LabelExpression, StringMap};

    fn sel(pairs: &[(&str, &str)]) -> LabelSelector {
        LabelSelector {
            match_labels: pairs
                .iter()
                .map(|(k, v)| (k.to_string(), v.to_string()))
                .collect(),
            match_expressions: Vec::new(),
        }
    }

    #[test]
    fn selector_semantics() {
        let labels: Labels = [("app".to_string(), "web".to_string())].into();
        assert!(matches(&sel(&[]), &labels));
        assert!(matches(&sel(&[("app", "web")]), &labels));
        assert!(!matches(&sel(&[("app", "db")]), &labels));
        let not_in = LabelSelector {
            match_labels: StringMap::new(),
            match_expressions: vec![LabelExpression {
                key: "app".into(),
                operator: "NotIn".into(),
                values: vec!["db".into()],
            }],
        };
        assert!(matches(&not_in, &labels));
        assert!(matches(&not_in, &Labels::new()));
    }

    #[test]
    fn combinations_cover_each_key() {
        let a = sel(&[("app", "web")]);
        let b = sel(&[("tier", "front")]);
        let (reps, exact) = representatives([&a, &b], None);
        assert!(exact);
        // (1 value + absent + other) per key, two keys.
        assert_eq!(reps.len(), 9);
        assert!(reps[0].is_empty());
        assert!(reps.iter().any(|l| matches(&a, l) && matches(&b, l)));
    }

    /// Many keys: too many combinations, but few classes, and the classes are exact.
    #[test]
    fn many_keys_merge_into_exact_classes() {
        let keys: Vec<String> = (0..8).map(|i| format!("k{i}")).collect();
        let sels: Vec<LabelSelector> = keys
            .iter()
            .map(|k| sel(&[(k.as_str(), "a"), ("app", "web")]))
            .collect();
        let (reps, exact) = representatives(sels.iter(), None);
        assert!(exact);
        assert!(reps.len() <= 1 << 8, "{}", reps.len());
        // Every reachable combination of matched selectors has a representative.
        let signature = |l: &Labels| -> Vec<bool> { sels.iter().map(|s| matches(s, l)).collect() };
        let got: BTreeSet<Vec<bool>> = reps.iter().map(signature).collect();
        assert_eq!(got.len(), 256, "all 2^8 match sets are reachable");
        assert!(reps[0].is_empty());
    }
}
