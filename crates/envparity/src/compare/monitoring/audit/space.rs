//! The request space of two audit policies, partitioned into classes that every rule of both
//! policies treats alike (an atomic-predicate analysis). Each dimension's representatives are
//! the literals of both policies plus one fresh "other" value; a lazy decision tree fixes one
//! dimension at a time, only where the first undecided rule of a policy needs it.

use std::collections::BTreeSet;

use crate::model::{AuditPolicy, AuditRule};

/// A value of one dimension: a literal of some policy, or `None` for a fresh value that no
/// policy names.
pub(super) type Rep = Option<String>;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub(super) enum Kind {
    Resource,
    NonResource,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Dim {
    Kind,
    Verb,
    User,
    Group(usize),
    Namespace,
    ApiGroup,
    Resource,
    Subresource,
    Name,
    Path,
}

/// A class of requests: dimensions still `None` are irrelevant to both policies.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(super) struct Partial {
    pub kind: Option<Kind>,
    pub verb: Option<Rep>,
    pub user: Option<Rep>,
    /// Membership of the request's user in each group literal.
    pub groups: Vec<Option<bool>>,
    pub namespace: Option<Rep>,
    pub api_group: Option<Rep>,
    pub resource: Option<Rep>,
    /// `Some(Some(""))` is a request without subresource.
    pub subresource: Option<Rep>,
    pub name: Option<Rep>,
    pub path: Option<String>,
}

/// Representatives of every dimension, from the literals of the policies given.
#[derive(Debug, Clone, Default)]
pub(super) struct Universe {
    pub verbs: Vec<String>,
    pub users: Vec<String>,
    pub groups: Vec<String>,
    pub namespaces: Vec<String>,
    pub api_groups: Vec<String>,
    pub resources: Vec<String>,
    pub subresources: Vec<String>,
    pub names: Vec<String>,
    pub paths: Vec<String>,
}

impl Universe {
    pub fn of(policies: &[&AuditPolicy]) -> Universe {
        let mut sets: [BTreeSet<String>; 9] = Default::default();
        let [
            verbs,
            users,
            groups,
            namespaces,
            api_groups,
            resources,
            subresources,
            names,
            specs,
        ] = &mut sets;
        subresources.insert(String::new());
        for rule in policies.iter().flat_map(|p| p.rules.iter()) {
            verbs.extend(rule.verbs.iter().cloned());
            users.extend(rule.users.iter().cloned());
            groups.extend(rule.user_groups.iter().cloned());
            namespaces.extend(rule.namespaces.iter().cloned());
            specs.extend(rule.non_resource_urls.iter().cloned());
            for gr in &rule.resources {
                api_groups.insert(gr.group.clone());
                names.extend(gr.resource_names.iter().cloned());
                for res in &gr.resources {
                    let (head, tail) = match res.split_once('/') {
                        Some((h, t)) => (h, Some(t)),
                        None => (res.as_str(), None),
                    };
                    if head != "*" {
                        resources.insert(head.to_string());
                    }
                    if let Some(tail) = tail.filter(|t| *t != "*" && !t.is_empty()) {
                        subresources.insert(tail.to_string());
                    }
                }
            }
        }
        let paths = path_representatives(specs);
        let [
            verbs,
            users,
            groups,
            namespaces,
            api_groups,
            resources,
            subresources,
            names,
            _,
        ] = sets;
        let v = |s: BTreeSet<String>| s.into_iter().collect::<Vec<_>>();
        Universe {
            verbs: v(verbs),
            users: v(users),
            groups: v(groups),
            namespaces: v(namespaces),
            api_groups: v(api_groups),
            resources: v(resources),
            subresources: v(subresources),
            names: v(names),
            paths,
        }
    }
}

/// Paths that reach every class of the `nonResourceURLs` specs: each exact path, each prefix
/// (`/api*` → `/api`), each prefix followed by a fresh character, and a path no spec names.
fn path_representatives(specs: &BTreeSet<String>) -> Vec<String> {
    let mut out = BTreeSet::new();
    out.insert("/~other".to_string());
    for spec in specs.iter().filter(|s| s.as_str() != "*") {
        match spec.strip_suffix('*') {
            Some(_) => {
                let prefix = spec.trim_end_matches('*');
                out.insert(prefix.to_string());
                out.insert(format!("{prefix}~"));
            }
            None => {
                out.insert(spec.clone());
            }
        }
    }
    out.into_iter().collect()
}

/// Three-valued match: decided, or undecided until `Dim` is fixed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Tri {
    Yes,
    No,
    Need(Dim),
}

fn and(a: Tri, b: impl FnOnce() -> Tri) -> Tri {
    match a {
        Tri::No => Tri::No,
        Tri::Yes => b(),
        Tri::Need(d) => match b() {
            Tri::No => Tri::No,
            _ => Tri::Need(d),
        },
    }
}

fn or(a: Tri, b: Tri) -> Tri {
    match (a, b) {
        (Tri::Yes, _) | (_, Tri::Yes) => Tri::Yes,
        (Tri::No, Tri::No) => Tri::No,
        (Tri::Need(d), _) | (_, Tri::Need(d)) => Tri::Need(d),
    }
}

fn from_bool(b: bool) -> Tri {
    if b { Tri::Yes } else { Tri::No }
}

fn eq(dim: Dim, value: &Option<Rep>, literal: &str) -> Tri {
    match value {
        None => Tri::Need(dim),
        Some(v) => from_bool(v.as_deref() == Some(literal)),
    }
}

fn listed(dim: Dim, value: &Option<Rep>, list: &[String]) -> Tri {
    if list.is_empty() {
        return Tri::Yes;
    }
    match value {
        None => Tri::Need(dim),
        Some(v) => from_bool(v.as_ref().is_some_and(|v| list.contains(v))),
    }
}

/// The apiserver's `pathMatches`: `*`, an exact path, or a trailing-`*` prefix.
pub(super) fn path_matches(path: &str, spec: &str) -> bool {
    spec == "*"
        || spec == path
        || (spec.ends_with('*') && path.starts_with(spec.trim_end_matches('*')))
}

/// Does `res` of a rule (`pods`, `*`, `pods/log`, `*/log`, `pods/*`) match the request?
fn resource_matches(res: &str, q: &Partial) -> Tri {
    if res == "*" {
        return Tri::Yes;
    }
    let exact = match res.split_once('/') {
        Some((head, tail)) => and(eq(Dim::Resource, &q.resource, head), || {
            if tail.is_empty() {
                Tri::No
            } else {
                eq(Dim::Subresource, &q.subresource, tail)
            }
        }),
        None => and(eq(Dim::Resource, &q.resource, res), || {
            eq(Dim::Subresource, &q.subresource, "")
        }),
    };
    let any_resource = match res.strip_prefix("*/") {
        Some(sub) if !sub.is_empty() => eq(Dim::Subresource, &q.subresource, sub),
        _ => Tri::No,
    };
    let any_sub = match res.strip_suffix("/*") {
        Some(head) => eq(Dim::Resource, &q.resource, head),
        None => Tri::No,
    };
    or(or(exact, any_resource), any_sub)
}

fn rule_matches(rule: &AuditRule, q: &Partial, universe: &Universe) -> Tri {
    let users = listed(Dim::User, &q.user, &rule.users);
    let groups = || {
        if rule.user_groups.is_empty() {
            return Tri::Yes;
        }
        let mut acc = Tri::No;
        for group in &rule.user_groups {
            let member = match universe.groups.iter().position(|g| g == group) {
                Some(i) => match q.groups.get(i).copied().flatten() {
                    Some(b) => from_bool(b),
                    None => Tri::Need(Dim::Group(i)),
                },
                None => Tri::No,
            };
            acc = or(acc, member);
        }
        acc
    };
    let verbs = || listed(Dim::Verb, &q.verb, &rule.verbs);
    let scope = || {
        let kind = |want: Kind| match q.kind {
            None => Tri::Need(Dim::Kind),
            Some(k) => from_bool(k == want),
        };
        if !rule.namespaces.is_empty() || !rule.resources.is_empty() {
            and(kind(Kind::Resource), || {
                and(
                    listed(Dim::Namespace, &q.namespace, &rule.namespaces),
                    || resources_match(rule, q),
                )
            })
        } else if !rule.non_resource_urls.is_empty() {
            and(kind(Kind::NonResource), || match &q.path {
                None => Tri::Need(Dim::Path),
                Some(path) => from_bool(
                    rule.non_resource_urls
                        .iter()
                        .any(|spec| path_matches(path, spec)),
                ),
            })
        } else {
            Tri::Yes
        }
    };
    and(users, || and(groups(), || and(verbs(), scope)))
}

fn resources_match(rule: &AuditRule, q: &Partial) -> Tri {
    if rule.resources.is_empty() {
        return Tri::Yes;
    }
    let mut acc = Tri::No;
    for gr in &rule.resources {
        let this = and(eq(Dim::ApiGroup, &q.api_group, &gr.group), || {
            if gr.resources.is_empty() {
                return Tri::Yes;
            }
            let mut any = Tri::No;
            for res in &gr.resources {
                let named = listed(Dim::Name, &q.name, &gr.resource_names);
                any = or(any, and(named, || resource_matches(res, q)));
            }
            any
        });
        acc = or(acc, this);
    }
    acc
}

/// What a policy does with a class of requests: the index of the first matching rule
/// (`None`: no rule matches, so the request is not logged).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Decision {
    Decided(Option<usize>),
    Needs(Dim),
}

pub(super) fn decide(policy: &AuditPolicy, q: &Partial, universe: &Universe) -> Decision {
    for (i, rule) in policy.rules.iter().enumerate() {
        match rule_matches(rule, q, universe) {
            Tri::Yes => return Decision::Decided(Some(i)),
            Tri::No => {}
            Tri::Need(d) => return Decision::Needs(d),
        }
    }
    Decision::Decided(None)
}

/// One class of the partition and the rule each policy applies to it.
#[derive(Debug, Clone)]
pub(super) struct Leaf {
    pub request: Partial,
    pub staging: Option<usize>,
    pub production: Option<usize>,
}

/// Every class of requests the two policies can tell apart, in a deterministic order.
/// `None` when there are more than `budget` classes.
pub(super) fn partition(
    staging: &AuditPolicy,
    production: &AuditPolicy,
    budget: usize,
) -> Option<Vec<Leaf>> {
    let universe = Universe::of(&[staging, production]);
    let start = Partial {
        groups: vec![None; universe.groups.len()],
        ..Partial::default()
    };
    let mut leaves = Vec::new();
    let mut stack = vec![start];
    while let Some(q) = stack.pop() {
        let s = decide(staging, &q, &universe);
        let p = decide(production, &q, &universe);
        let dim = match (s, p) {
            (Decision::Decided(s), Decision::Decided(p)) => {
                leaves.push(Leaf {
                    request: q,
                    staging: s,
                    production: p,
                });
                if leaves.len() > budget {
                    return None;
                }
                continue;
            }
            (Decision::Needs(d), _) | (_, Decision::Needs(d)) => d,
        };
        let mut children = refine(&q, dim, &universe);
        children.reverse();
        stack.extend(children);
    }
    Some(leaves)
}

/// The classes of `q` with `dim` fixed to each of its representatives.
fn refine(q: &Partial, dim: Dim, u: &Universe) -> Vec<Partial> {
    let reps = |lits: &[String]| -> Vec<Rep> {
        let mut v: Vec<Rep> = lits.iter().cloned().map(Some).collect();
        v.push(None);
        v
    };
    let with = |f: &dyn Fn(&mut Partial)| {
        let mut c = q.clone();
        f(&mut c);
        c
    };
    match dim {
        Dim::Kind => [Kind::Resource, Kind::NonResource]
            .into_iter()
            .map(|k| with(&|c| c.kind = Some(k)))
            .collect(),
        Dim::Group(i) => [true, false]
            .into_iter()
            .map(|b| {
                with(&|c| {
                    if let Some(slot) = c.groups.get_mut(i) {
                        *slot = Some(b);
                    }
                })
            })
            .collect(),
        Dim::Path => u
            .paths
            .iter()
            .map(|p| with(&|c| c.path = Some(p.clone())))
            .collect(),
        Dim::Verb => each(reps(&u.verbs), |c, r| c.verb = Some(r), q),
        Dim::User => each(reps(&u.users), |c, r| c.user = Some(r), q),
        Dim::Namespace => each(reps(&u.namespaces), |c, r| c.namespace = Some(r), q),
        Dim::ApiGroup => each(reps(&u.api_groups), |c, r| c.api_group = Some(r), q),
        Dim::Resource => each(reps(&u.resources), |c, r| c.resource = Some(r), q),
        Dim::Subresource => each(reps(&u.subresources), |c, r| c.subresource = Some(r), q),
        Dim::Name => each(reps(&u.names), |c, r| c.name = Some(r), q),
    }
}

fn each(reps: Vec<Rep>, set: impl Fn(&mut Partial, Rep), q: &Partial) -> Vec<Partial> {
    reps.into_iter()
        .map(|r| {
            let mut c = q.clone();
            set(&mut c, r);
            c
        })
        .collect()
}
