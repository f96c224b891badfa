//! Label selectors: matching, and the label sets that reach every class of a set of selectors
//! (for each key its literal values, "absent" and one fresh value).

use std::collections::{BTreeMap, BTreeSet};

use crate::model::LabelSelector;

pub(super) type Labels = BTreeMap<String, String>;

/// A value no selector names.
pub(super) const OTHER: &str = "<other>";
/// Label combinations beyond which representatives fall back to one per selector.
const MAX_COMBINATIONS: usize = 512;

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
/// `exact` is false when the combinations were too many and only one satisfying set per
/// selector (plus the empty set) is returned.
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
    match total {
        Some(n) if n <= MAX_COMBINATIONS => {
            let mut out: Vec<Labels> = vec![Labels::new()];
            for (key, vals) in &values {
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
            out.sort_by(|a, b| a.len().cmp(&b.len()).then_with(|| a.cmp(b)));
            (out, true)
        }
        _ => {
            let mut out: BTreeSet<Labels> = BTreeSet::new();
            out.insert(Labels::new());
            for s in &selectors {
                let mut l: Labels = s.match_labels.clone();
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
            (out, false)
        }
    }
}

/// `{app=web, tier=front}`, or `{}` for no labels.
pub(super) fn show(labels: &Labels) -> String {
    let inner: Vec<String> = labels.iter().map(|(k, v)| format!("{k}={v}")).collect();
    format!("{{{}}}", inner.join(", "))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::LabelExpression;

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
            match_labels: BTreeMap::new(),
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
}
