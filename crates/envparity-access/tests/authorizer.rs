//! The concrete authorizer against `TestNonResourceURLCovers` and the facts of the upstream
//! `rbac_test.go` (SEMANTICS-RESEARCH.md §4.1–4.2).

mod common;

use common::{cluster, in_namespace, res_req, rule, url_req};
use envparity_access::k8s::{allows, compare, rule_matches};

const NONE: &[&str] = &[];

/// (owner pattern, requested URL, covered).
const URL_COVERS: &[(&str, &str, bool)] = &[
    ("*", "", true),
    ("*", "/", true),
    ("*", "/api", true),
    ("/*", "", false),
    ("/*", "/", true),
    ("/*", "/foo", true),
    ("/api", "/api", true),
    ("/apis", "/api", false),
    ("/api/v1", "/api", false),
    ("/api/v1", "/api/v1", true),
    ("/api/*", "/api/v1", true),
    ("/api/*", "/api", false),
    ("/api/*/*", "/api/v1", false),
    ("/*/v1/*", "/api/v1", false),
];

#[test]
fn non_resource_url_covers_table() {
    for &(owner, requested, want) in URL_COVERS {
        let owner_rule = rule(NONE, &["*"], NONE, NONE, &[owner]);
        let got = rule_matches(&owner_rule, &url_req("get", requested));
        assert_eq!(got, want, "rule_matches({owner:?}, {requested:?})");
        // The same row through the comparison: the servant URL is covered exactly then.
        let servant = [cluster(rule(NONE, &["get"], NONE, NONE, &[requested]))];
        let result = compare(&servant, &[cluster(owner_rule)]);
        assert_eq!(
            result.staging_only.is_empty(),
            want,
            "compare({requested:?} vs {owner:?})"
        );
    }
}

#[test]
fn pods_does_not_grant_pods_status() {
    let rules = [cluster(rule(&["*"], &["*"], &["pods"], NONE, NONE))];
    assert!(allows(
        &rules,
        &res_req("get", "", "pods", Some("ns1"), None)
    ));
    assert!(!allows(
        &rules,
        &res_req("get", "", "pods/status", Some("ns1"), None)
    ));
}

#[test]
fn pods_status_does_not_grant_pods() {
    let rules = [cluster(rule(&["*"], &["*"], &["pods/status"], NONE, NONE))];
    assert!(allows(
        &rules,
        &res_req("get", "", "pods/status", Some("ns1"), None)
    ));
    assert!(!allows(
        &rules,
        &res_req("get", "", "pods", Some("ns1"), None)
    ));
}

#[test]
fn cluster_role_bound_in_a_namespace_stays_there() {
    let rules = [in_namespace(
        "ns1",
        rule(&["*"], &["*"], &["*"], NONE, &["*"]),
    )];
    assert!(allows(
        &rules,
        &res_req("get", "", "pods", Some("ns1"), Some("p"))
    ));
    assert!(!allows(
        &rules,
        &res_req("get", "", "pods", Some("ns2"), Some("p"))
    ));
    assert!(!allows(
        &rules,
        &res_req("get", "", "nodes", None, Some("n1"))
    ));
    assert!(!allows(&rules, &res_req("list", "", "pods", None, None)));
    assert!(!allows(&rules, &url_req("get", "/healthz")));
}

#[test]
fn cluster_binding_applies_everywhere() {
    let rules = [cluster(rule(&["*"], &["*"], &["*"], NONE, &["*"]))];
    assert!(allows(
        &rules,
        &res_req("get", "", "pods", Some("ns2"), None)
    ));
    assert!(allows(
        &rules,
        &res_req("get", "", "nodes", None, Some("n1"))
    ));
    assert!(allows(&rules, &url_req("get", "/healthz")));
}

#[test]
fn apis_prefix() {
    let rules = [cluster(rule(NONE, &["get"], NONE, NONE, &["/apis/*"]))];
    assert!(allows(&rules, &url_req("get", "/apis/v1")));
    assert!(allows(&rules, &url_req("get", "/apis/v1/foobar")));
    assert!(!allows(&rules, &url_req("get", "/api/v1")));
    assert!(!allows(&rules, &url_req("post", "/apis/v1")));
}

#[test]
fn star_verb_group_resource() {
    let r = rule(&["*"], &["*"], &["*"], NONE, NONE);
    assert!(rule_matches(
        &r,
        &res_req(
            "escalate",
            "rbac.authorization.k8s.io",
            "roles",
            Some("a"),
            None
        )
    ));
    assert!(rule_matches(
        &r,
        &res_req("get", "", "pods/log", Some("a"), None)
    ));
    assert!(!rule_matches(&r, &url_req("get", "/healthz")));
}

#[test]
fn tuple_expansion() {
    let r = rule(
        &["", "apps"],
        &["get", "list"],
        &["pods", "deployments"],
        NONE,
        NONE,
    );
    for group in ["", "apps"] {
        for verb in ["get", "list"] {
            for resource in ["pods", "deployments"] {
                assert!(rule_matches(
                    &r,
                    &res_req(verb, group, resource, Some("n"), None)
                ));
            }
        }
    }
    assert!(!rule_matches(
        &r,
        &res_req("watch", "", "pods", Some("n"), None)
    ));
    assert!(!rule_matches(
        &r,
        &res_req("get", "batch", "pods", Some("n"), None)
    ));
}

#[test]
fn verbs_are_case_sensitive() {
    let r = rule(&[""], &["get"], &["pods"], NONE, NONE);
    assert!(!rule_matches(
        &r,
        &res_req("GET", "", "pods", Some("n"), None)
    ));
}

#[test]
fn subresource_expansion() {
    let r = rule(&[""], &["get"], &["*/scale", "pods/log"], NONE, NONE);
    assert!(rule_matches(
        &r,
        &res_req("get", "", "deployments/scale", Some("n"), None)
    ));
    assert!(rule_matches(
        &r,
        &res_req("get", "", "pods/log", Some("n"), None)
    ));
    assert!(!rule_matches(
        &r,
        &res_req("get", "", "deployments", Some("n"), None)
    ));
    assert!(!rule_matches(
        &r,
        &res_req("get", "", "pods/exec", Some("n"), None)
    ));
}

#[test]
fn resource_names_need_a_known_name() {
    let r = rule(
        &[""],
        &["get", "list", "create"],
        &["secrets"],
        &["token"],
        NONE,
    );
    assert!(rule_matches(
        &r,
        &res_req("get", "", "secrets", Some("n"), Some("token"))
    ));
    assert!(!rule_matches(
        &r,
        &res_req("get", "", "secrets", Some("n"), Some("other"))
    ));
    assert!(!rule_matches(
        &r,
        &res_req("list", "", "secrets", Some("n"), None)
    ));
    assert!(!rule_matches(
        &r,
        &res_req("create", "", "secrets", Some("n"), None)
    ));
}

#[test]
fn resource_and_non_resource_rules_stay_apart() {
    let urls_only = rule(NONE, &["*"], NONE, NONE, &["*"]);
    assert!(!rule_matches(
        &urls_only,
        &res_req("get", "", "pods", None, None)
    ));
    let resources_only = rule(&["*"], &["*"], &["*"], NONE, NONE);
    assert!(!rule_matches(&resources_only, &url_req("get", "/")));
    let both = rule(&["*"], &["get"], &["pods"], NONE, &["/metrics"]);
    assert!(rule_matches(&both, &res_req("get", "", "pods", None, None)));
    assert!(rule_matches(&both, &url_req("get", "/metrics")));
}
