//! Shared by the GCP engine tests: generated models over small pools (hierarchy, roles,
//! members, conditions, deny rules), conditions kept as structured values next to their CEL
//! text, and a brute-force reference evaluator written from the documented semantics
//! independently of the engine (it never parses CEL: it evaluates the structured value).

#![allow(dead_code)]

use std::collections::BTreeMap;

use envparity_access::gcp::{
    AllowPolicy, Binding, Condition, DenyPolicy, DenyRule, Model, Node, Request, Resource, Role,
    Timestamp,
};
use proptest::prelude::*;

pub const PERMISSIONS: [&str; 6] = [
    "storage.objects.get",
    "storage.objects.list",
    "storage.buckets.delete",
    "resourcemanager.projects.get",
    "iam.serviceAccounts.actAs",
    "compute.instances.start",
];

pub const MEMBERS: [&str; 7] = [
    "serviceAccount:sa1@p1.iam.gserviceaccount.com",
    "user:alice@example.com",
    "user:bob@other.com",
    "group:devs@example.com",
    "domain:example.com",
    "allUsers",
    "allAuthenticatedUsers",
];

/// The deny-policy spelling of each member of [`MEMBERS`] (same order).
pub const DENY_MEMBERS: [&str; 7] = [
    "principal://iam.googleapis.com/projects/-/serviceAccounts/sa1@p1.iam.gserviceaccount.com",
    "principal://goog/subject/alice@example.com",
    "principal://goog/subject/bob@other.com",
    "principalSet://goog/group/devs@example.com",
    "principalSet://goog/public:all",
    "principalSet://goog/public:all",
    "principalSet://goog/public:all",
];

pub const NODES: [&str; 6] = [
    "organizations/1",
    "folders/10",
    "folders/11",
    "projects/p1",
    "projects/p2",
    "projects/p1/serviceAccounts/sa1@p1.iam.gserviceaccount.com",
];

pub const NAME_LITERALS: [&str; 4] = [
    "projects/p1",
    "projects/_/buckets/b1",
    "projects/_/buckets/b",
    "/objects/o",
];
pub const TYPE_LITERALS: [&str; 2] = [
    "storage.googleapis.com/Bucket",
    "iam.googleapis.com/ServiceAccount",
];
pub const TAG_KEYS: [&str; 2] = ["1/env", "1/team"];
pub const TAG_VALUES: [&str; 2] = ["prod", "test"];
pub const TIMES: [&str; 2] = ["2024-01-01T00:00:00Z", "2025-06-30T12:00:00Z"];

/// A condition as a value, rendered to CEL for the model and evaluated directly by the
/// reference.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Cond {
    True,
    NameEq(usize),
    NamePrefix(usize),
    NameSuffix(usize),
    TypeEq(usize),
    TimeBefore(usize),
    TimeAtOrAfter(usize),
    Tag(usize, usize),
    HasTag(usize),
    Not(Box<Cond>),
    And(Box<Cond>, Box<Cond>),
    Or(Box<Cond>, Box<Cond>),
}

fn lit(pool: &[&str], i: usize) -> String {
    pool[i % pool.len()].to_string()
}

impl Cond {
    pub fn cel(&self) -> String {
        match self {
            Cond::True => "true".to_string(),
            Cond::NameEq(i) => format!("resource.name == \"{}\"", lit(&NAME_LITERALS, *i)),
            Cond::NamePrefix(i) => {
                format!("resource.name.startsWith('{}')", lit(&NAME_LITERALS, *i))
            }
            Cond::NameSuffix(i) => {
                format!("resource.name.endsWith(\"{}\")", lit(&NAME_LITERALS, *i))
            }
            Cond::TypeEq(i) => format!("\"{}\" == resource.type", lit(&TYPE_LITERALS, *i)),
            Cond::TimeBefore(i) => format!("request.time < timestamp(\"{}\")", lit(&TIMES, *i)),
            Cond::TimeAtOrAfter(i) => format!("timestamp(\"{}\") <= request.time", lit(&TIMES, *i)),
            Cond::Tag(k, v) => format!(
                "resource.matchTag('{}', '{}')",
                lit(&TAG_KEYS, *k),
                lit(&TAG_VALUES, *v)
            ),
            Cond::HasTag(k) => format!("resource.hasTagKey(\"{}\")", lit(&TAG_KEYS, *k)),
            Cond::Not(c) => format!("!({})", c.cel()),
            Cond::And(a, b) => format!("({}) && ({})", a.cel(), b.cel()),
            Cond::Or(a, b) => format!("({}) || ({})", a.cel(), b.cel()),
        }
    }

    pub fn holds(&self, r: &Request) -> bool {
        let time = |i: usize| Timestamp::parse(&lit(&TIMES, i)).expect("valid time");
        match self {
            Cond::True => true,
            Cond::NameEq(i) => r.resource.name == lit(&NAME_LITERALS, *i),
            Cond::NamePrefix(i) => r.resource.name.starts_with(&lit(&NAME_LITERALS, *i)),
            Cond::NameSuffix(i) => r.resource.name.ends_with(&lit(&NAME_LITERALS, *i)),
            Cond::TypeEq(i) => r.resource.kind == lit(&TYPE_LITERALS, *i),
            Cond::TimeBefore(i) => r.time < time(*i),
            Cond::TimeAtOrAfter(i) => r.time >= time(*i),
            Cond::Tag(k, v) => {
                r.resource.tags.get(&lit(&TAG_KEYS, *k)) == Some(&lit(&TAG_VALUES, *v))
            }
            Cond::HasTag(k) => r.resource.tags.contains_key(&lit(&TAG_KEYS, *k)),
            Cond::Not(c) => !c.holds(r),
            Cond::And(a, b) => a.holds(r) && b.holds(r),
            Cond::Or(a, b) => a.holds(r) || b.holds(r),
        }
    }

    /// Tags only (the attributes deny conditions may use).
    pub fn tags_only(&self) -> bool {
        match self {
            Cond::True | Cond::Tag(..) | Cond::HasTag(_) => true,
            Cond::Not(c) => c.tags_only(),
            Cond::And(a, b) | Cond::Or(a, b) => a.tags_only() && b.tags_only(),
            _ => false,
        }
    }
}

pub fn cond_strategy() -> impl Strategy<Value = Cond> {
    let leaf = prop_oneof![
        4 => Just(Cond::True),
        2 => (0usize..4).prop_map(Cond::NameEq),
        2 => (0usize..4).prop_map(Cond::NamePrefix),
        1 => (0usize..4).prop_map(Cond::NameSuffix),
        1 => (0usize..2).prop_map(Cond::TypeEq),
        1 => (0usize..2).prop_map(Cond::TimeBefore),
        1 => (0usize..2).prop_map(Cond::TimeAtOrAfter),
        1 => (0usize..2, 0usize..2).prop_map(|(k, v)| Cond::Tag(k, v)),
        1 => (0usize..2).prop_map(Cond::HasTag),
    ];
    leaf.prop_recursive(2, 6, 2, |inner| {
        prop_oneof![
            inner.clone().prop_map(|c| Cond::Not(Box::new(c))),
            (inner.clone(), inner.clone()).prop_map(|(a, b)| Cond::And(Box::new(a), Box::new(b))),
            (inner.clone(), inner).prop_map(|(a, b)| Cond::Or(Box::new(a), Box::new(b))),
        ]
    })
}

pub fn deny_cond_strategy() -> impl Strategy<Value = Cond> {
    prop_oneof![
        3 => Just(Cond::True),
        1 => (0usize..2, 0usize..2).prop_map(|(k, v)| Cond::Tag(k, v)),
        1 => (0usize..2).prop_map(|k| Cond::Not(Box::new(Cond::HasTag(k)))),
    ]
}

/// A generated binding: node, role index, members, condition.
#[derive(Debug, Clone)]
pub struct BindingSpec {
    pub node: usize,
    pub role: usize,
    pub members: Vec<usize>,
    pub cond: Cond,
}

#[derive(Debug, Clone)]
pub struct DenySpec {
    pub node: usize,
    pub principals: Vec<usize>,
    pub exceptions: Vec<usize>,
    /// Indexes into [`deny_permission`].
    pub permissions: Vec<usize>,
    pub excepted: Vec<usize>,
    pub cond: Cond,
}

/// A generated environment.
#[derive(Debug, Clone)]
pub struct Side {
    /// Parent of `projects/p2`: folder 10 or 11.
    pub p2_parent: usize,
    /// Permissions of roles `roles/r0`…`roles/r3` and of the custom role.
    pub roles: Vec<Vec<usize>>,
    pub bindings: Vec<BindingSpec>,
    pub denies: Vec<DenySpec>,
}

pub const ROLE_NAMES: [&str; 5] = [
    "roles/r0",
    "roles/r1",
    "roles/r2",
    "roles/r3",
    "projects/p1/roles/custom",
];

/// The v2 deny permission (or wildcard) of index `i`.
pub fn deny_permission(i: usize) -> String {
    match i % (PERMISSIONS.len() + 2) {
        n if n < PERMISSIONS.len() => v2(PERMISSIONS[n]),
        n if n == PERMISSIONS.len() => "storage.googleapis.com/objects.*".to_string(),
        _ => "iam.googleapis.com/*".to_string(),
    }
}

fn v2(v1: &str) -> String {
    let (service, rest) = v1.split_once('.').expect("dotted permission");
    let service = if service == "resourcemanager" {
        "cloudresourcemanager"
    } else {
        service
    };
    format!("{service}.googleapis.com/{rest}")
}

pub fn side_strategy() -> impl Strategy<Value = Side> {
    let binding = (
        0usize..NODES.len(),
        0usize..ROLE_NAMES.len(),
        prop::collection::vec(0usize..MEMBERS.len(), 1..3),
        cond_strategy(),
    )
        .prop_map(|(node, role, members, cond)| BindingSpec {
            node,
            role,
            members,
            cond,
        });
    let deny = (
        0usize..5,
        prop::collection::vec(0usize..DENY_MEMBERS.len(), 1..3),
        prop::collection::vec(0usize..DENY_MEMBERS.len(), 0..2),
        prop::collection::vec(0usize..PERMISSIONS.len() + 2, 1..3),
        prop::collection::vec(0usize..PERMISSIONS.len() + 2, 0..2),
        deny_cond_strategy(),
    )
        .prop_map(
            |(node, principals, exceptions, permissions, excepted, cond)| DenySpec {
                node,
                principals,
                exceptions,
                permissions,
                excepted,
                cond,
            },
        );
    (
        0usize..2,
        prop::collection::vec(prop::collection::vec(0usize..PERMISSIONS.len(), 0..4), 5),
        prop::collection::vec(binding, 0..6),
        prop::collection::vec(deny, 0..3),
    )
        .prop_map(|(p2_parent, roles, bindings, denies)| Side {
            p2_parent,
            roles,
            bindings,
            denies,
        })
}

/// The model of a generated environment (every role defined, complete hierarchy).
pub fn model(side: &Side) -> Model {
    let node = |parent: Option<&str>, name: &str| Node {
        name: name.to_string(),
        parent: parent.map(str::to_string),
        aliases: Vec::new(),
    };
    let p2_parent = if side.p2_parent == 0 {
        "folders/10"
    } else {
        "folders/11"
    };
    let nodes = vec![
        node(None, NODES[0]),
        node(Some(NODES[0]), NODES[1]),
        node(Some(NODES[0]), NODES[2]),
        node(Some(NODES[1]), NODES[3]),
        node(Some(p2_parent), NODES[4]),
        node(Some(NODES[3]), NODES[5]),
    ];
    let mut by_node: BTreeMap<usize, Vec<Binding>> = BTreeMap::new();
    for (i, b) in side.bindings.iter().enumerate() {
        by_node.entry(b.node).or_default().push(Binding {
            role: ROLE_NAMES[b.role].to_string(),
            members: b.members.iter().map(|m| MEMBERS[*m].to_string()).collect(),
            condition: (b.cond != Cond::True).then(|| Condition {
                expression: b.cond.cel(),
                title: None,
            }),
            origin: i,
        });
    }
    let allow = by_node
        .into_iter()
        .map(|(n, bindings)| AllowPolicy {
            resource: NODES[n].to_string(),
            bindings,
        })
        .collect();
    let deny = side
        .denies
        .iter()
        .enumerate()
        .map(|(i, d)| DenyPolicy {
            name: format!("deny-{i}"),
            attachment: NODES[d.node].to_string(),
            rules: Some(vec![DenyRule {
                denied_principals: d
                    .principals
                    .iter()
                    .map(|m| DENY_MEMBERS[*m].to_string())
                    .collect(),
                exception_principals: d
                    .exceptions
                    .iter()
                    .map(|m| DENY_MEMBERS[*m].to_string())
                    .collect(),
                denied_permissions: d.permissions.iter().map(|p| deny_permission(*p)).collect(),
                exception_permissions: d.excepted.iter().map(|p| deny_permission(*p)).collect(),
                condition: (d.cond != Cond::True).then(|| Condition {
                    expression: d.cond.cel(),
                    title: None,
                }),
                origin: i,
            }]),
        })
        .collect();
    let roles = ROLE_NAMES
        .iter()
        .zip(&side.roles)
        .map(|(name, perms)| {
            let role = Role {
                name: name.to_string(),
                permissions: perms.iter().map(|p| PERMISSIONS[*p].to_string()).collect(),
            };
            (name.to_string(), role)
        })
        .collect();
    Model {
        nodes,
        allow,
        deny,
        roles,
    }
}

/// The reference: the side's conditions by their CEL text.
pub fn conditions(side: &Side) -> BTreeMap<String, Cond> {
    let mut out = BTreeMap::new();
    for c in side
        .bindings
        .iter()
        .map(|b| &b.cond)
        .chain(side.denies.iter().map(|d| &d.cond))
    {
        out.insert(c.cel(), c.clone());
    }
    out
}

/// Whether member `m` (either spelling) includes principal `p` (allow spelling), by the
/// documented definitions.
pub fn includes(m: &str, p: &str) -> bool {
    let normal = |s: &str| -> String {
        if let Some(e) = s.strip_prefix("principal://goog/subject/") {
            return format!("user:{e}");
        }
        if let Some(e) =
            s.strip_prefix("principal://iam.googleapis.com/projects/-/serviceAccounts/")
        {
            return format!("serviceAccount:{e}");
        }
        if let Some(e) = s.strip_prefix("principalSet://goog/group/") {
            return format!("group:{e}");
        }
        if s == "principalSet://goog/public:all" {
            return "allUsers".to_string();
        }
        s.to_string()
    };
    let (m, p) = (normal(m), normal(p));
    if m == p || m == "allUsers" {
        return true;
    }
    if m == "allAuthenticatedUsers" {
        return p != "allUsers";
    }
    if let (Some(domain), Some(email)) = (m.strip_prefix("domain:"), p.strip_prefix("user:")) {
        return email.ends_with(&format!("@{domain}"));
    }
    false
}

fn glob(pattern: &str, text: &str) -> bool {
    match pattern.split_once('*') {
        None => pattern == text,
        Some((head, tail)) => {
            text.starts_with(head)
                && (0..=text.len() - head.len()).any(|i| {
                    text.get(head.len() + i..)
                        .is_some_and(|rest| glob(tail, rest))
                })
        }
    }
}

/// The reference evaluator of one model: deny rules of the resource's ancestors first,
/// then bindings.
pub struct Reference<'a> {
    model: &'a Model,
    conds: BTreeMap<String, Cond>,
    parents: BTreeMap<&'a str, &'a str>,
}

impl<'a> Reference<'a> {
    pub fn new(model: &'a Model, side: &Side) -> Reference<'a> {
        let parents = model
            .nodes
            .iter()
            .filter_map(|n| Some((n.name.as_str(), n.parent.as_deref()?)))
            .collect();
        Reference {
            model,
            conds: conditions(side),
            parents,
        }
    }

    pub fn allows(&self, r: &Request) -> bool {
        let mut ancestors = vec![r.resource.node.as_str()];
        let mut at = r.resource.node.as_str();
        while let Some(p) = self.parents.get(at) {
            if ancestors.contains(p) {
                break;
            }
            ancestors.push(p);
            at = p;
        }
        let holds = |c: &Option<Condition>| match c {
            None => true,
            Some(c) => self
                .conds
                .get(&c.expression)
                .expect("known condition")
                .holds(r),
        };
        let perm_v2 = v2(&r.permission);
        for policy in self
            .model
            .deny
            .iter()
            .filter(|p| ancestors.contains(&p.attachment.as_str()))
        {
            for rule in policy.rules.iter().flatten() {
                let principal = rule
                    .denied_principals
                    .iter()
                    .any(|m| includes(m, &r.principal))
                    && !rule
                        .exception_principals
                        .iter()
                        .any(|m| includes(m, &r.principal));
                let permission = rule.denied_permissions.iter().any(|p| glob(p, &perm_v2))
                    && !rule.exception_permissions.iter().any(|p| glob(p, &perm_v2));
                if principal && permission && holds(&rule.condition) {
                    return false;
                }
            }
        }
        self.model
            .allow
            .iter()
            .filter(|p| ancestors.contains(&p.resource.as_str()))
            .flat_map(|p| &p.bindings)
            .any(|b| {
                self.model
                    .roles
                    .get(&b.role)
                    .is_some_and(|role| role.permissions.contains(&r.permission))
                    && b.members.iter().any(|m| includes(m, &r.principal))
                    && holds(&b.condition)
            })
    }
}

/// Requests of a concrete universe for one principal: every pool permission, node, a set
/// of names (the literals, extensions and unrelated ones), types, tag sets and times.
pub fn universe(principal: &str) -> Vec<Request> {
    let mut names: Vec<String> = NAME_LITERALS.iter().map(|s| s.to_string()).collect();
    names.extend(NAME_LITERALS.iter().map(|s| format!("{s}x")));
    for extra in [
        "projects/_/buckets/b1/objects/o",
        "projects/_/buckets/b/objects/o",
        "projects/p1/objects/o",
        "zzz",
        "",
    ] {
        names.push(extra.to_string());
    }
    let types = ["storage.googleapis.com/Bucket", "other"];
    let tag = |pairs: &[(&str, &str)]| -> BTreeMap<String, String> {
        pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect()
    };
    let tag_sets = [
        tag(&[]),
        tag(&[("1/env", "prod")]),
        tag(&[("1/env", "test")]),
        tag(&[("1/team", "prod")]),
        tag(&[("1/env", "qa"), ("1/team", "test")]),
    ];
    let times: Vec<Timestamp> = [
        "2023-01-01T00:00:00Z",
        "2024-01-01T00:00:00Z",
        "2026-01-01T00:00:00Z",
    ]
    .iter()
    .filter_map(|t| Timestamp::parse(t))
    .collect();
    let mut out = Vec::new();
    for permission in PERMISSIONS {
        for node in NODES {
            for name in &names {
                for kind in types {
                    for tags in &tag_sets {
                        for time in &times {
                            out.push(Request {
                                principal: principal.to_string(),
                                permission: permission.to_string(),
                                resource: Resource {
                                    node: node.to_string(),
                                    name: name.clone(),
                                    kind: kind.to_string(),
                                    service: String::new(),
                                    tags: tags.clone(),
                                },
                                time: *time,
                            });
                        }
                    }
                }
            }
        }
    }
    out
}
