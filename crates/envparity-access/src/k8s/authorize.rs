//! The concrete RBAC authorizer: does one rule, or a set of scoped rules, allow one request.
//!
//! Written plainly after `plugin/pkg/auth/authorizer/rbac` (`RuleAllows`, `VerbMatches`,
//! `APIGroupMatches`, `ResourceMatches`, `ResourceNameMatches`, `NonResourceURLMatches`). The
//! comparison engine builds its atomic partition from the per-dimension matchers below, so the
//! two can never disagree on what one dimension of a rule accepts.

use super::types::{PolicyRule, Request, Scope, ScopedRule};

/// The wildcard of verbs, API groups, resources and non-resource URLs.
const ALL: &str = "*";

/// Whether `rule` grants `req`, ignoring where the rule is bound.
///
/// A resource request needs verb, API group, resource and resource name to match; a
/// non-resource request needs verb and URL. A rule with only `nonResourceURLs` has no resources
/// and so never grants a resource request, and a rule without `nonResourceURLs` never grants a
/// non-resource request.
pub fn rule_matches(rule: &PolicyRule, req: &Request) -> bool {
    match req {
        Request::Resource(r) => {
            verb_matches(rule, &r.verb)
                && api_group_matches(rule, &r.api_group)
                && resource_matches(rule, &r.resource, r.subresource.as_deref())
                && resource_name_matches(rule, r.name.as_deref())
        }
        Request::NonResource { verb, url } => {
            verb_matches(rule, verb) && non_resource_url_matches(rule, url)
        }
    }
}

/// Whether any of `rules` grants `req` where it is bound (RBAC is purely additive).
///
/// `Scope::Cluster` rules (ClusterRoleBinding) apply to every request; `Scope::Namespace(ns)`
/// rules (RoleBinding) apply only to resource requests in namespace `ns`.
pub fn allows(rules: &[ScopedRule], req: &Request) -> bool {
    rules
        .iter()
        .any(|scoped| scope_applies(&scoped.scope, req) && rule_matches(&scoped.rule, req))
}

/// Whether a rule bound at `scope` is consulted for `req` at all.
pub(crate) fn scope_applies(scope: &Scope, req: &Request) -> bool {
    match req {
        Request::Resource(r) => namespace_applies(scope, r.namespace.as_deref()),
        Request::NonResource { .. } => matches!(scope, Scope::Cluster),
    }
}

/// Whether a rule bound at `scope` is consulted for a resource request in `namespace`
/// (`None` = cluster-scoped or cluster-wide).
pub(crate) fn namespace_applies(scope: &Scope, namespace: Option<&str>) -> bool {
    match scope {
        Scope::Cluster => true,
        Scope::Namespace(ns) => namespace == Some(ns.as_str()),
    }
}

/// `*` or exact, case-sensitive equality.
pub(crate) fn verb_matches(rule: &PolicyRule, verb: &str) -> bool {
    rule.verbs.iter().any(|v| v == ALL || v == verb)
}

/// `*` or exact equality; the core group is the empty string.
pub(crate) fn api_group_matches(rule: &PolicyRule, group: &str) -> bool {
    rule.api_groups.iter().any(|g| g == ALL || g == group)
}

/// Matches the combined `resource` or `resource/subresource` against `*`, the exact combined
/// string, or `*/subresource`. An empty subresource counts as none, as in the authorizer.
pub(crate) fn resource_matches(
    rule: &PolicyRule,
    resource: &str,
    subresource: Option<&str>,
) -> bool {
    let sub = subresource.filter(|s| !s.is_empty());
    rule.resources.iter().any(|pattern| {
        pattern == ALL
            || combined_equals(pattern, resource, sub)
            || sub.is_some_and(|s| pattern.strip_prefix("*/") == Some(s))
    })
}

/// `pattern == resource` or `pattern == resource + "/" + sub`, without allocating.
fn combined_equals(pattern: &str, resource: &str, sub: Option<&str>) -> bool {
    match sub {
        None => pattern == resource,
        Some(s) => {
            pattern
                .strip_prefix(resource)
                .and_then(|rest| rest.strip_prefix('/'))
                == Some(s)
        }
    }
}

/// An empty `resourceNames` grants every name; otherwise the request must name one of them,
/// so requests whose name is unknown (list, create, ...) are not granted.
pub(crate) fn resource_name_matches(rule: &PolicyRule, name: Option<&str>) -> bool {
    rule.resource_names.is_empty()
        || name.is_some_and(|n| rule.resource_names.iter().any(|listed| listed == n))
}

/// Whether any of the rule's `nonResourceURLs` accepts `url`.
pub(crate) fn non_resource_url_matches(rule: &PolicyRule, url: &str) -> bool {
    rule.non_resource_urls
        .iter()
        .any(|pattern| url_pattern_matches(pattern, url))
}

/// `*`, exact, or a pattern ending in `*` matching every URL that starts with the pattern with
/// its trailing `*`s trimmed. A `*` anywhere else is an ordinary character.
pub(crate) fn url_pattern_matches(pattern: &str, url: &str) -> bool {
    pattern == ALL
        || pattern == url
        || (pattern.ends_with('*') && url.starts_with(pattern.trim_end_matches('*')))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rule(resources: &[&str]) -> PolicyRule {
        PolicyRule {
            verbs: vec!["get".into()],
            api_groups: vec![String::new()],
            resources: resources.iter().map(|s| s.to_string()).collect(),
            ..PolicyRule::default()
        }
    }

    #[test]
    fn combined_resource_needs_the_slash() {
        let r = rule(&["podsstatus", "pods/status"]);
        assert!(resource_matches(&r, "pods", Some("status")));
        assert!(!resource_matches(&r, "pod", Some("sstatus")));
        assert!(!resource_matches(&r, "pods", None));
        assert!(resource_matches(&r, "pods/status", None));
    }

    #[test]
    fn star_subresource_needs_a_subresource() {
        let r = rule(&["*/scale"]);
        assert!(resource_matches(&r, "deployments", Some("scale")));
        assert!(!resource_matches(&r, "deployments", None));
        assert!(!resource_matches(&r, "deployments", Some("")));
        assert!(!resource_matches(&r, "deployments", Some("status")));
    }

    #[test]
    fn empty_subresource_counts_as_none() {
        let r = rule(&["pods"]);
        assert!(resource_matches(&r, "pods", Some("")));
    }

    #[test]
    fn url_star_only_special_at_the_end() {
        assert!(url_pattern_matches("/api*", "/apis/apps"));
        assert!(!url_pattern_matches("/a*b", "/axb"));
        assert!(url_pattern_matches("/a*b", "/a*b"));
        assert!(url_pattern_matches("**", ""));
    }
}
