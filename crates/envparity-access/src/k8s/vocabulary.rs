//! Real Kubernetes names the comparison prefers when it needs a value no rule mentions, and
//! the picker that falls back to an invented value only when all of them are taken.

use std::collections::BTreeSet;

/// API verbs, most common first.
pub(crate) const VERBS: &[&str] = &[
    "get",
    "list",
    "watch",
    "create",
    "update",
    "patch",
    "delete",
    "deletecollection",
    "impersonate",
    "bind",
    "escalate",
    "use",
    "approve",
    "sign",
    "attest",
    "proxy",
];

/// API groups; the core group is the empty string.
pub(crate) const GROUPS: &[&str] = &[
    "",
    "apps",
    "batch",
    "rbac.authorization.k8s.io",
    "networking.k8s.io",
    "policy",
    "autoscaling",
    "storage.k8s.io",
    "apiextensions.k8s.io",
    "admissionregistration.k8s.io",
    "certificates.k8s.io",
    "coordination.k8s.io",
    "discovery.k8s.io",
    "events.k8s.io",
    "scheduling.k8s.io",
    "node.k8s.io",
    "authentication.k8s.io",
    "authorization.k8s.io",
    "flowcontrol.apiserver.k8s.io",
    "apiregistration.k8s.io",
    "resource.k8s.io",
];

/// Resources (plural names, never containing `/`).
pub(crate) const RESOURCES: &[&str] = &[
    "pods",
    "secrets",
    "configmaps",
    "services",
    "deployments",
    "replicasets",
    "statefulsets",
    "daemonsets",
    "jobs",
    "cronjobs",
    "nodes",
    "namespaces",
    "serviceaccounts",
    "roles",
    "rolebindings",
    "clusterroles",
    "clusterrolebindings",
    "persistentvolumeclaims",
    "persistentvolumes",
    "ingresses",
    "networkpolicies",
    "events",
    "endpoints",
    "endpointslices",
    "leases",
    "limitranges",
    "resourcequotas",
    "poddisruptionbudgets",
    "horizontalpodautoscalers",
    "storageclasses",
    "customresourcedefinitions",
    "certificatesigningrequests",
];

/// Subresources.
pub(crate) const SUBRESOURCES: &[&str] = &[
    "status",
    "scale",
    "log",
    "exec",
    "attach",
    "portforward",
    "proxy",
    "eviction",
    "binding",
    "token",
    "ephemeralcontainers",
    "finalize",
    "approval",
    "resize",
];

/// Namespaces every cluster has.
pub(crate) const NAMESPACES: &[&str] =
    &["default", "kube-system", "kube-public", "kube-node-lease"];

/// Object names (any DNS label is a real object name, so invented ones are not synthetic).
pub(crate) const NAMES: &[&str] = &["example", "app", "web", "db"];

/// Non-resource URLs the API server serves.
pub(crate) const URLS: &[&str] = &[
    "/healthz",
    "/livez",
    "/readyz",
    "/version",
    "/metrics",
    "/api",
    "/api/v1",
    "/apis",
    "/apis/apps",
    "/apis/apps/v1",
    "/openapi/v2",
    "/openapi/v3",
    "/",
    "/logs",
    "/debug/pprof",
    "/.well-known/openid-configuration",
    "/openid/v1/jwks",
];

/// A value standing for "any value not named".
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Fresh {
    pub value: String,
    /// Invented rather than taken from the real vocabulary.
    pub synthetic: bool,
}

/// The first `known` value not in `taken`, else the first `{invented_prefix}{i}` not in
/// `taken` (flagged synthetic when `invented_is_synthetic`).
pub(crate) fn pick(
    known: &[&str],
    taken: &BTreeSet<String>,
    invented_prefix: &str,
    invented_is_synthetic: bool,
) -> Fresh {
    if let Some(value) = known.iter().find(|k| !taken.contains(**k)) {
        return Fresh {
            value: (*value).to_string(),
            synthetic: false,
        };
    }
    // Among `taken.len() + 1` distinct candidates at least one is free.
    let value = (0..=taken.len())
        .map(|i| format!("{invented_prefix}{i}"))
        .find(|candidate| !taken.contains(candidate))
        .unwrap_or_else(|| format!("{invented_prefix}{}", taken.len() + 1));
    Fresh {
        value,
        synthetic: invented_is_synthetic,
    }
}

/// A character outside `excluded`, readable ones first.
pub(crate) fn pick_char(excluded: &BTreeSet<char>) -> char {
    const READABLE: &str = "xyzabcdefghijklmnopqrstuvw0123456789-_./";
    READABLE
        .chars()
        .chain((0xC0u32..).filter_map(char::from_u32))
        .find(|c| !excluded.contains(c))
        .unwrap_or('\u{10FFFF}')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pick_prefers_known_then_invents() {
        let taken: BTreeSet<String> = ["get", "list"].iter().map(|s| s.to_string()).collect();
        assert_eq!(
            pick(&["get", "list", "watch"], &taken, "v-", true).value,
            "watch"
        );
        let fresh = pick(&["get", "list"], &taken, "v-", true);
        assert_eq!(fresh.value, "v-0");
        assert!(fresh.synthetic);
    }

    #[test]
    fn pick_char_skips_excluded() {
        let excluded: BTreeSet<char> = ['x', 'y'].into_iter().collect();
        assert_eq!(pick_char(&excluded), 'z');
    }
}
