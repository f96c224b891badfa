//! Hand-written RBAC comparisons: verdicts, the shape and preference order of witnesses, the
//! witness cap, synthetic values, and the cluster-admin check.

mod common;

use common::{cluster, in_namespace, res_req, rule, url_req};
use envparity_access::Verdict;
use envparity_access::k8s::{Request, WITNESS_CAP, admin_equivalent, allows, compare};

const NONE: &[&str] = &[];

#[test]
fn admin_against_nothing_has_one_witness_per_class() {
    let admin = [
        cluster(rule(&["*"], &["*"], &["*"], NONE, NONE)),
        cluster(rule(NONE, &["*"], NONE, NONE, &["*"])),
    ];
    let result = compare(&admin, &[]);
    assert_eq!(result.verdict, Verdict::Broader);
    assert!(result.production_only.is_empty());
    // namespace {none, fresh} x verb {fresh} x group {fresh} x resource {fresh, fresh/sub}
    // x name {none, fresh}, plus one URL.
    assert_eq!(result.staging_only.len(), 9);
    let requests: Vec<&Request> = result.staging_only.iter().map(|w| &w.request).collect();
    assert!(requests.contains(&&res_req("get", "", "pods", None, None)));
    assert!(requests.contains(&&res_req(
        "get",
        "",
        "pods/status",
        Some("default"),
        Some("example")
    )));
    assert!(requests.contains(&&url_req("get", "/healthz")));
}

#[test]
fn witnesses_are_capped_and_prefer_literals() {
    let admin = [cluster(rule(&["*"], &["*"], &["*"], NONE, NONE))];
    let resources = ["pods", "secrets", "configmaps", "services", "nodes", "jobs"];
    let prd = [in_namespace(
        "team-a",
        rule(&["", "apps"], &["get", "list"], &resources, NONE, NONE),
    )];
    let result = compare(&admin, &prd);
    assert_eq!(result.verdict, Verdict::Broader);
    assert_eq!(result.staging_only.len(), WITNESS_CAP);
    assert!(result.staging_only.iter().all(|w| !w.synthetic));
    assert!(
        result
            .staging_only
            .iter()
            .all(|w| allows(&admin, &w.request) && !allows(&prd, &w.request))
    );
    // The first witnesses use only values the rules name (no fresh verb, group or resource).
    match &result.staging_only[0].request {
        Request::Resource(r) => {
            assert!(["get", "list"].contains(&r.verb.as_str()), "{r:?}");
            assert!(resources.contains(&r.resource.as_str()), "{r:?}");
        }
        other => panic!("unexpected first witness {other:?}"),
    }
}

#[test]
fn role_binding_is_narrower_than_cluster_binding() {
    let r = rule(&[""], &["get"], &["pods"], NONE, NONE);
    let result = compare(&[in_namespace("team-a", r.clone())], &[cluster(r)]);
    assert_eq!(result.verdict, Verdict::Narrower);
    assert!(result.staging_only.is_empty());
    let namespaces: Vec<Option<String>> = result
        .production_only
        .iter()
        .filter_map(|w| match &w.request {
            Request::Resource(r) => Some(r.namespace.clone()),
            Request::NonResource { .. } => None,
        })
        .collect();
    assert!(
        namespaces.contains(&None),
        "cluster-wide request expected: {namespaces:?}"
    );
    assert!(
        namespaces.contains(&Some("default".to_string())),
        "another namespace expected: {namespaces:?}"
    );
    assert!(!namespaces.contains(&Some("team-a".to_string())));
}

#[test]
fn divergent_with_one_witness_each_way() {
    let stg = [cluster(rule(&[""], &["get"], &["secrets"], NONE, NONE))];
    let prd = [cluster(rule(&[""], &["get"], &["configmaps"], NONE, NONE))];
    let result = compare(&stg, &prd);
    assert_eq!(result.verdict, Verdict::Divergent);
    assert_eq!(
        result.staging_only[0].request,
        res_req("get", "", "secrets", None, None)
    );
    assert_eq!(
        result.production_only[0].request,
        res_req("get", "", "configmaps", None, None)
    );
}

#[test]
fn star_subresource_versus_enumeration() {
    let stg = [cluster(rule(
        &["apps"],
        &["update"],
        &["*/scale"],
        NONE,
        NONE,
    ))];
    let prd = [cluster(rule(
        &["apps"],
        &["update"],
        &["deployments/scale", "statefulsets/scale"],
        NONE,
        NONE,
    ))];
    let result = compare(&stg, &prd);
    assert_eq!(result.verdict, Verdict::Broader);
    assert!(result.staging_only.iter().all(|w| match &w.request {
        Request::Resource(r) =>
            r.subresource.as_deref() == Some("scale") && r.resource != "deployments",
        Request::NonResource { .. } => false,
    }));
}

#[test]
fn exhausted_vocabulary_gives_synthetic_witnesses() {
    let all_verbs = [
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
    let stg = [cluster(rule(&[""], &["*"], &["pods"], NONE, NONE))];
    let prd = [cluster(rule(&[""], &all_verbs, &["pods"], NONE, NONE))];
    let result = compare(&stg, &prd);
    assert_eq!(result.verdict, Verdict::Broader);
    assert!(!result.staging_only.is_empty());
    assert!(result.staging_only.iter().all(|w| w.synthetic));
}

#[test]
fn url_prefix_witness_is_readable() {
    let stg = [cluster(rule(NONE, &["get"], NONE, NONE, &["/apis/*"]))];
    let prd = [cluster(rule(NONE, &["get"], NONE, NONE, &["/apis/apps/*"]))];
    let result = compare(&stg, &prd);
    assert_eq!(result.verdict, Verdict::Broader);
    assert_eq!(result.staging_only[0].request, url_req("get", "/apis/"));
}

#[test]
fn resource_names_versus_all_names() {
    let stg = [cluster(rule(
        &[""],
        &["get"],
        &["secrets"],
        &["token"],
        NONE,
    ))];
    let prd = [cluster(rule(&[""], &["get"], &["secrets"], NONE, NONE))];
    let result = compare(&stg, &prd);
    assert_eq!(result.verdict, Verdict::Narrower);
    assert!(
        result
            .production_only
            .iter()
            .any(|w| w.request == res_req("get", "", "secrets", None, None))
    );
}

#[test]
fn empty_sides_are_equal() {
    let result = compare(&[], &[]);
    assert_eq!(result.verdict, Verdict::Equal);
}

#[test]
fn admin_equivalence() {
    let admin = rule(&["*"], &["*"], &["*"], NONE, NONE);
    assert!(admin_equivalent(&[cluster(admin.clone())]));
    assert!(!admin_equivalent(&[in_namespace("ns", admin)]));
    assert!(!admin_equivalent(&[cluster(rule(
        &["*"],
        &["*"],
        &["*"],
        &["x"],
        NONE
    ))]));
    assert!(!admin_equivalent(&[cluster(rule(
        &[""],
        &["*"],
        &["*"],
        NONE,
        NONE
    ))]));
    assert!(!admin_equivalent(&[]));
}
