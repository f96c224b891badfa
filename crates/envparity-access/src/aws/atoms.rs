//! The atomic partition of the IAM request space: per dimension (action, resource, one per
//! condition key), one representative value for every class of values no statement of either
//! side can tell apart.
//!
//! Every statement is a conjunction of one predicate per dimension (its action patterns, its
//! resource patterns, the conditions on each key), so a concrete request is decided exactly like
//! the tuple of the representatives of its values' classes. Exactness per dimension:
//! - action, resource, string/ARN condition values: the non-empty Boolean combinations of all
//!   patterns, found by breadth-first search over the product of the patterns' automata
//!   (see `glob`);
//! - numbers and dates: every policy value and one point in each open interval around them,
//!   plus one value of the wrong type; IP addresses: the start of every interval the CIDR
//!   blocks cut each address family into, plus one non-address; booleans: `true`, `false`,
//!   a non-boolean;
//! - a condition key is absent, single-valued (one of the classes above), or multivalued. On a
//!   multivalued value, single-valued operators are false and `Null` sees a present key, so
//!   only the set operators look inside: their truth depends on which classes of the coarser
//!   partition by set-qualified conditions alone occur in the list. Every subset of those
//!   classes is a representative (the empty list; a one-class list written as two equal
//!   values, since one value would be single-valued; one value per class otherwise).

use std::collections::{BTreeMap, BTreeSet};

use super::catalog::ActionCatalog;
use super::condition::{Base, Kind, Operator, Values, policy_values};
use super::glob::{Partition, Pattern, Wild};
use super::ranges;

/// Product states explored per dimension before giving up.
const STATE_BUDGET: usize = 200_000;
/// Coarse classes of one multivalued key whose subsets are enumerated.
const MAX_SET_CLASSES: usize = 8;

/// A value of one condition key in a request.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) enum KeyValue {
    Absent,
    Values(Vec<String>),
}

/// One representative; `synthetic` marks an action the catalog does not hold.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Rep<T> {
    pub value: T,
    pub synthetic: bool,
}

/// One condition key and its representatives (absent first).
#[derive(Debug, Clone)]
pub(crate) struct KeyDim {
    /// As written in a policy (the least spelling when several differ in case).
    pub key: String,
    pub reps: Vec<Rep<KeyValue>>,
}

#[derive(Debug, Clone)]
pub(crate) struct Atoms {
    pub actions: Vec<Rep<String>>,
    pub resources: Vec<Rep<String>>,
    pub keys: Vec<KeyDim>,
}

/// A condition of some statement, as the partition sees it.
#[derive(Debug, Clone)]
pub(crate) struct KeyUse {
    pub key: String,
    /// The policy substitutes variables (escapes such as `${*}` are read).
    pub variables: bool,
    pub operator: Operator,
    pub values: Vec<String>,
}

/// The literals of both sides, collected by the comparison.
#[derive(Debug, Default)]
pub(crate) struct Literals {
    pub actions: BTreeSet<String>,
    pub resources: Vec<Pattern>,
    pub conditions: Vec<KeyUse>,
}

fn plain(value: String) -> Rep<String> {
    Rep {
        value,
        synthetic: false,
    }
}

impl Atoms {
    pub(crate) fn build(
        literals: &Literals,
        catalog: &ActionCatalog,
        unknown: &mut Vec<String>,
    ) -> Atoms {
        Atoms {
            actions: action_reps(&literals.actions, catalog, unknown),
            resources: resource_reps(&literals.resources, unknown),
            keys: key_dims(&literals.conditions, unknown),
        }
    }
}

fn literal_prefix(pattern: &str) -> usize {
    pattern
        .chars()
        .take_while(|c| *c != '*' && *c != '?')
        .count()
}

fn action_reps(
    patterns: &BTreeSet<String>,
    catalog: &ActionCatalog,
    unknown: &mut Vec<String>,
) -> Vec<Rep<String>> {
    let compiled = patterns
        .iter()
        .map(|p| Pattern::plain(p, Wild::Glob, true))
        .collect();
    let mut part = match Partition::build(compiled, true, STATE_BUDGET) {
        Ok(part) => part,
        Err(e) => {
            unknown.push(format!("actions: {e}"));
            return patterns.iter().map(|p| plain(p.clone())).collect();
        }
    };
    // Catalog actions as representatives: those of the most specific patterns first, then of
    // the services the patterns name, then any (for the class no pattern matches).
    let mut ordered: Vec<&String> = patterns.iter().collect();
    ordered.sort_by_key(|p| std::cmp::Reverse(literal_prefix(p)));
    let services: BTreeSet<String> = patterns
        .iter()
        .filter_map(|p| p.split_once(':'))
        .filter(|(s, _)| literal_prefix(s) == s.chars().count())
        .map(|(s, _)| format!("{s}:*"))
        .collect();
    let mut offered = BTreeSet::new();
    let mut done = false;
    for pattern in ordered.into_iter().chain(services.iter()) {
        for info in catalog.matching(pattern) {
            if !done && offered.insert(info.name.to_ascii_lowercase()) {
                done = part.offer(&info.name);
            }
        }
    }
    let none_class = vec![false; part.patterns().len()];
    let mut none_pending = part
        .atoms
        .iter()
        .any(|a| !a.offered && part.signature(&a.value) == none_class);
    for info in catalog.iter() {
        if done || !none_pending {
            break;
        }
        if part.signature(&info.name) == none_class {
            done = part.offer(&info.name);
            none_pending = false;
        }
    }
    let mut reps: Vec<Rep<String>> = part
        .atoms
        .into_iter()
        .map(|a| Rep {
            synthetic: !a.offered,
            value: a.value,
        })
        .collect();
    reps.sort_by(|a, b| (a.synthetic, &a.value).cmp(&(b.synthetic, &b.value)));
    reps
}

/// The classes of strings for a set of patterns, offered values (`candidates`) first.
fn string_classes(
    patterns: Vec<Pattern>,
    candidates: &[String],
    what: &str,
    unknown: &mut Vec<String>,
) -> Vec<String> {
    match Partition::build(patterns, false, STATE_BUDGET) {
        Ok(mut part) => {
            for c in candidates {
                if part.offer(c) {
                    break;
                }
            }
            let mut atoms = part.atoms;
            atoms.sort_by(|a, b| {
                (!a.offered, a.value.len(), &a.value).cmp(&(!b.offered, b.value.len(), &b.value))
            });
            atoms.into_iter().map(|a| a.value).collect()
        }
        Err(e) => {
            unknown.push(format!("{what}: {e}"));
            candidates.to_vec()
        }
    }
}

/// The patterns' literal instances, sorted (the order of the policies does not matter).
fn instances(patterns: &[Pattern]) -> Vec<String> {
    // Filled instances first: each class takes the first candidate offered to it.
    let filled: BTreeSet<String> = patterns.iter().map(|p| p.filled_instance('x')).collect();
    let bare: BTreeSet<String> = patterns.iter().map(|p| p.instance('x')).collect();
    filled.into_iter().chain(bare).collect()
}

fn resource_reps(patterns: &[Pattern], unknown: &mut Vec<String>) -> Vec<Rep<String>> {
    let candidates = instances(patterns);
    string_classes(patterns.to_vec(), &candidates, "resources", unknown)
        .into_iter()
        .map(plain)
        .collect()
}

/// The single-value classes of one key for the given conditions (all of one kind).
fn value_classes(
    kind: Kind,
    uses: &[&KeyUse],
    key: &str,
    unknown: &mut Vec<String>,
) -> Vec<String> {
    let empty = BTreeMap::new();
    let mut patterns = Vec::new();
    let mut numbers = Vec::new();
    let mut dates = Vec::new();
    let mut ranges = Vec::new();
    for u in uses {
        match policy_values(u.operator.base, &u.values, u.variables, &empty) {
            Values::Patterns(ps) => patterns.extend(ps),
            Values::Numbers(ns) => numbers.extend(ns),
            Values::Dates(ds) => dates.extend(ds),
            Values::Ranges(rs) => ranges.extend(rs),
            Values::Bools(_) => {}
        }
    }
    let what = format!("condition key `{key}`");
    match kind {
        Kind::Str => {
            let candidates = instances(&patterns);
            string_classes(patterns, &candidates, &what, unknown)
        }
        Kind::Numeric => ranges::number_reps(&numbers, &what, unknown),
        Kind::Date => ranges::date_reps(&dates, &what, unknown),
        Kind::Ip => ranges::address_reps(&ranges),
        Kind::Bool => ["true", "false", "not-a-bool"].map(str::to_string).to_vec(),
        Kind::Null => vec!["value".to_string()],
    }
}

fn key_dims(uses: &[KeyUse], unknown: &mut Vec<String>) -> Vec<KeyDim> {
    let mut by_key: BTreeMap<String, Vec<&KeyUse>> = BTreeMap::new();
    for u in uses {
        by_key
            .entry(u.key.to_ascii_lowercase())
            .or_default()
            .push(u);
    }
    let mut dims = Vec::new();
    for group in by_key.values() {
        let Some(key) = group.iter().map(|u| u.key.clone()).min() else {
            continue;
        };
        let kinds: BTreeSet<Kind> = group
            .iter()
            .map(|u| u.operator.base.kind())
            .filter(|k| *k != Kind::Null)
            .collect();
        if kinds.len() > 1 {
            unknown.push(format!(
                "condition key `{key}` is tested by operators of different value types"
            ));
        }
        let kinds: Vec<Kind> = if kinds.is_empty() {
            vec![Kind::Null]
        } else {
            kinds.into_iter().collect()
        };
        let mut singles: Vec<String> = Vec::new();
        let mut coarse: Vec<String> = Vec::new();
        let set_uses: Vec<&KeyUse> = group
            .iter()
            .copied()
            .filter(|u| u.operator.qualifier.is_some())
            .collect();
        for kind in &kinds {
            let of_kind: Vec<&KeyUse> = group
                .iter()
                .copied()
                .filter(|u| u.operator.base.kind() == *kind || u.operator.base == Base::Null)
                .collect();
            singles.extend(value_classes(*kind, &of_kind, &key, unknown));
            let set_of_kind: Vec<&KeyUse> = set_uses
                .iter()
                .copied()
                .filter(|u| u.operator.base.kind() == *kind)
                .collect();
            if !set_of_kind.is_empty() {
                coarse.extend(value_classes(*kind, &set_of_kind, &key, unknown));
            }
        }
        let mut reps = vec![Rep {
            value: KeyValue::Absent,
            synthetic: false,
        }];
        reps.extend(singles.into_iter().map(|v| Rep {
            value: KeyValue::Values(vec![v]),
            synthetic: false,
        }));
        reps.extend(multi_reps(&coarse, &key, unknown).into_iter().map(|v| Rep {
            value: KeyValue::Values(v),
            synthetic: false,
        }));
        dims.push(KeyDim { key, reps });
    }
    dims
}

/// Multivalued representatives: every subset of the coarse classes (just the empty list when no
/// set operator tests the key).
fn multi_reps(coarse: &[String], key: &str, unknown: &mut Vec<String>) -> Vec<Vec<String>> {
    let classes: Vec<&String> = if coarse.len() > MAX_SET_CLASSES {
        unknown.push(format!(
            "condition key `{key}`: more than {MAX_SET_CLASSES} value classes under set operators"
        ));
        coarse.iter().take(MAX_SET_CLASSES).collect()
    } else {
        coarse.iter().collect()
    };
    let mut out: Vec<Vec<String>> = (0u32..1 << classes.len())
        .map(|mask| {
            let mut set: Vec<String> = classes
                .iter()
                .enumerate()
                .filter(|(i, _)| mask & (1 << i) != 0)
                .map(|(_, v)| (*v).clone())
                .collect();
            if let [one] = set.as_slice() {
                set.push(one.clone());
            }
            set
        })
        .collect();
    out.sort_by_key(Vec::len);
    out
}
