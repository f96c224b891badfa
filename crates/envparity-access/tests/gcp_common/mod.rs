//! Shared by the GCP engine tests: generated models over small pools (hierarchy, roles,
//! members, conditions, deny rules), conditions kept as structured values next to their CEL
//! text, and a brute-force reference evaluator written from the documented semantics
//! independently of the engine (it never parses CEL: it evaluates the structured value).

#![allow(dead_code)]

mod reference;

#[allow(unused_imports)]
pub use reference::*;

use std::collections::BTreeMap;

use envparity_access::gcp::{
    AllowPolicy, Binding, Condition, DenyPolicy, DenyRule, Model, Node, Request, Role, Timestamp,
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

pub fn v2(v1: &str) -> String {
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
