//! Witness requests in the contract's shape, written in each environment's names.

use std::collections::BTreeMap;

use envparity_access::k8s::{Request, ResourceRequest, Scope, ScopedRule};
use serde_json::Value;

use crate::correlate::NameMap;
use crate::findings::{Side, Witness};

/// Rewrites staging rules into production's vocabulary (namespaces and resource names).
pub fn rules_to_production(rules: &[ScopedRule], names: &NameMap) -> Vec<ScopedRule> {
    rules
        .iter()
        .map(|scoped| {
            let mut scoped = scoped.clone();
            if let Scope::Namespace(ns) = &scoped.scope {
                scoped.scope = Scope::Namespace(names.to_production(ns).text);
            }
            scoped.rule.resource_names = scoped
                .rule
                .resource_names
                .iter()
                .map(|n| names.to_production(n).text)
                .collect();
            scoped
        })
        .collect()
}

/// A request (in production's vocabulary) rewritten into staging's names.
pub fn request_to_staging(request: &Request, names: &NameMap) -> Request {
    match request {
        Request::Resource(r) => Request::Resource(ResourceRequest {
            namespace: r.namespace.as_ref().map(|ns| names.to_staging(ns)),
            name: r.name.as_ref().map(|n| names.to_staging(n)),
            ..r.clone()
        }),
        Request::NonResource { .. } => request.clone(),
    }
}

/// The contract's JSON shape of a Kubernetes request.
pub fn request_json(request: &Request) -> BTreeMap<String, Value> {
    let mut map = BTreeMap::new();
    let text = |s: &str| Value::String(s.to_string());
    let opt = |s: &Option<String>| s.as_deref().map(text).unwrap_or(Value::Null);
    match request {
        Request::Resource(r) => {
            map.insert("verb".into(), text(&r.verb));
            map.insert("apiGroup".into(), text(&r.api_group));
            map.insert("resource".into(), text(&r.resource));
            map.insert("subresource".into(), opt(&r.subresource));
            map.insert("namespace".into(), opt(&r.namespace));
            map.insert("name".into(), opt(&r.name));
        }
        Request::NonResource { verb, url } => {
            map.insert("verb".into(), text(verb));
            map.insert("nonResourceURL".into(), text(url));
        }
    }
    map
}

/// A witness allowed in `allowed_in`; `canonical` is in production's vocabulary.
pub fn witness(allowed_in: Side, canonical: &Request, synthetic: bool, names: &NameMap) -> Witness {
    let staging = request_json(&request_to_staging(canonical, names));
    let production = request_json(canonical);
    Witness::between(allowed_in, staging, production, synthetic)
}

/// `get secrets/log "db" in namespace shop` in one line, for messages.
pub fn describe(request: &Request) -> String {
    match request {
        Request::Resource(r) => {
            let group = if r.api_group.is_empty() {
                String::new()
            } else {
                format!(".{}", r.api_group)
            };
            let mut text = format!("`{}` `{}{}", r.verb, r.resource, group);
            if let Some(sub) = &r.subresource {
                text.push('/');
                text.push_str(sub);
            }
            text.push('`');
            if let Some(name) = &r.name {
                text.push_str(&format!(" named `{name}`"));
            }
            match &r.namespace {
                Some(ns) => text.push_str(&format!(" in namespace `{ns}`")),
                None => text.push_str(" cluster-wide"),
            }
            text
        }
        Request::NonResource { verb, url } => format!("`{verb}` on URL `{url}`"),
    }
}

/// Whether an opaque role bound in `scope` could grant `request`.
pub fn scope_covers(scope: &Scope, request: &Request) -> bool {
    match (scope, request) {
        (Scope::Cluster, _) => true,
        (Scope::Namespace(ns), Request::Resource(r)) => r.namespace.as_deref() == Some(ns),
        (Scope::Namespace(_), Request::NonResource { .. }) => false,
    }
}
