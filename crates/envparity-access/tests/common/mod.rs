//! Builders shared by the RBAC integration tests: rules, requests and proptest strategies.
#![allow(dead_code)]

use envparity_access::k8s::{PolicyRule, Request, ResourceRequest, Scope, ScopedRule};
use proptest::prelude::*;
use proptest::sample::select;

pub fn strings(values: &[&str]) -> Vec<String> {
    values.iter().map(|s| s.to_string()).collect()
}

/// A rule with groups, verbs, resources, resource names and non-resource URLs.
pub fn rule(g: &[&str], v: &[&str], r: &[&str], n: &[&str], u: &[&str]) -> PolicyRule {
    PolicyRule {
        verbs: strings(v),
        api_groups: strings(g),
        resources: strings(r),
        resource_names: strings(n),
        non_resource_urls: strings(u),
    }
}

pub fn cluster(rule: PolicyRule) -> ScopedRule {
    ScopedRule {
        scope: Scope::Cluster,
        rule,
        origin: 0,
    }
}

pub fn in_namespace(ns: &str, rule: PolicyRule) -> ScopedRule {
    ScopedRule {
        scope: Scope::Namespace(ns.to_string()),
        rule,
        origin: 0,
    }
}

/// A resource request; `resource` may be `res/sub`.
pub fn res_req(
    verb: &str,
    group: &str,
    resource: &str,
    ns: Option<&str>,
    name: Option<&str>,
) -> Request {
    let (resource, subresource) = match resource.split_once('/') {
        Some((r, s)) => (r.to_string(), Some(s.to_string())),
        None => (resource.to_string(), None),
    };
    Request::Resource(ResourceRequest {
        verb: verb.to_string(),
        api_group: group.to_string(),
        resource,
        subresource,
        namespace: ns.map(str::to_string),
        name: name.map(str::to_string),
    })
}

pub fn url_req(verb: &str, url: &str) -> Request {
    Request::NonResource {
        verb: verb.to_string(),
        url: url.to_string(),
    }
}

pub const POOL_VERBS: &[&str] = &["get", "list", "create", "Get", "*"];
pub const POOL_GROUPS: &[&str] = &["", "apps", "batch", "*"];
pub const POOL_RESOURCES: &[&str] = &[
    "pods",
    "pods/status",
    "*",
    "*/status",
    "deployments",
    "deployments/scale",
    "*/scale",
    "secrets",
    "a/b/c",
];
pub const POOL_NAMES: &[&str] = &["a", "b"];
pub const POOL_URLS: &[&str] = &[
    "/api", "/api/*", "/apis", "/apis/*", "*", "/healthz", "/", "/ap*", "/api/v1", "/x", "/x*",
];
pub const POOL_NAMESPACES: &[&str] = &["ns1", "ns2", "ns3"];

fn pick_some(pool: &'static [&'static str], max: usize) -> impl Strategy<Value = Vec<String>> {
    prop::collection::vec(select(pool).prop_map(str::to_string), 1..=max)
}

fn maybe_some(pool: &'static [&'static str], max: usize) -> impl Strategy<Value = Vec<String>> {
    prop_oneof![3 => Just(Vec::new()), 1 => pick_some(pool, max)]
}

pub fn scope_strategy() -> impl Strategy<Value = Scope> {
    prop_oneof![
        Just(Scope::Cluster),
        select(POOL_NAMESPACES).prop_map(|ns| Scope::Namespace(ns.to_string())),
    ]
}

pub fn rule_strategy() -> impl Strategy<Value = ScopedRule> {
    (
        scope_strategy(),
        pick_some(POOL_VERBS, 2),
        pick_some(POOL_GROUPS, 2),
        prop::collection::vec(select(POOL_RESOURCES).prop_map(str::to_string), 0..=2),
        maybe_some(POOL_NAMES, 2),
        maybe_some(POOL_URLS, 2),
    )
        .prop_map(
            |(scope, verbs, api_groups, resources, resource_names, non_resource_urls)| ScopedRule {
                scope,
                rule: PolicyRule {
                    verbs,
                    api_groups,
                    resources,
                    resource_names,
                    non_resource_urls,
                },
                origin: 0,
            },
        )
}

pub fn side_strategy() -> impl Strategy<Value = Vec<ScopedRule>> {
    prop::collection::vec(rule_strategy(), 0..=4)
}

/// A cluster-wide rule with non-resource URLs only.
pub fn url_rule_strategy() -> impl Strategy<Value = ScopedRule> {
    (select(&["get", "*"][..]), pick_some(POOL_URLS, 3)).prop_map(|(verb, urls)| ScopedRule {
        scope: Scope::Cluster,
        rule: PolicyRule {
            verbs: vec![verb.to_string()],
            non_resource_urls: urls,
            ..PolicyRule::default()
        },
        origin: 0,
    })
}

pub fn url_side_strategy() -> impl Strategy<Value = Vec<ScopedRule>> {
    prop::collection::vec(url_rule_strategy(), 0..=3)
}
