//! The brute-force reference of the GCP engine tests: membership by the documented
//! definitions, the reference evaluator (deny rules of the ancestors first, then bindings),
//! and the concrete universe of requests it is run on.

use std::collections::BTreeMap;

use envparity_access::gcp::{Condition, Model, Request, Resource, Timestamp};

use super::{Cond, NAME_LITERALS, NODES, PERMISSIONS, Side, conditions, v2};

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
