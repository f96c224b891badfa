//! Network dimension tests on model objects: effect comparison per namespace pair and
//! cross-environment selectors.

use super::*;
use crate::findings::Finding;
use crate::model::{IpBlock, Meta, NetworkPort, NetworkRule, Provenance, StringMap, Workload};

pub(super) fn selector(pairs: &[(&str, &str)]) -> LabelSelector {
    LabelSelector {
        match_labels: pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect(),
        match_expressions: Vec::new(),
    }
}

fn meta(kind: &str, ns: &str, name: &str) -> Meta {
    Meta {
        kind: kind.to_string().into(),
        api_version: "networking.k8s.io/v1".into(),
        namespace: Some(ns.into()),
        name: name.into(),
        labels: StringMap::new(),
        annotations: StringMap::new(),
        provenance: Provenance::new(&format!("{ns}/{name}.yaml"), Some(1)),
    }
}

pub(super) fn policy(
    ns: &str,
    name: &str,
    pods: &[(&str, &str)],
    ingress: Vec<NetworkRule>,
    egress: Option<Vec<NetworkRule>>,
) -> NetworkPolicyObject {
    let mut types = vec!["Ingress".to_string()];
    if egress.is_some() {
        types.push("Egress".to_string());
    }
    NetworkPolicyObject {
        meta: meta("NetworkPolicy", ns, name),
        pod_selector: selector(pods),
        policy_types: types,
        ingress,
        egress: egress.unwrap_or_default(),
    }
}

pub(super) fn from_pods(pods: &[(&str, &str)], port: Option<&str>) -> NetworkRule {
    NetworkRule {
        peers: vec![NetworkPeer {
            pod_selector: Some(selector(pods)),
            namespace_selector: None,
            ip_block: None,
        }],
        ports: port
            .map(|p| NetworkPort {
                protocol: "TCP".into(),
                port: Some(p.into()),
                end_port: None,
            })
            .into_iter()
            .collect(),
        line: Some(9),
    }
}

fn from_namespace(pairs: &[(&str, &str)]) -> NetworkRule {
    NetworkRule {
        peers: vec![NetworkPeer {
            pod_selector: None,
            namespace_selector: Some(selector(pairs)),
            ip_block: None,
        }],
        ports: Vec::new(),
        line: Some(12),
    }
}

fn workload(ns: &str) -> Workload {
    Workload {
        meta: meta("Deployment", ns, "web"),
        service_account: None,
        automount_token: None,
        replicas: None,
        containers: Vec::new(),
        projected_tokens: Vec::new(),
        secret_volumes: Vec::new(),
    }
}

pub(super) fn run(
    staging: Vec<NetworkPolicyObject>,
    production: Vec<NetworkPolicyObject>,
) -> Results {
    let mut s = Snapshot::new("staging");
    s.kube.network_policies = staging;
    s.kube.workloads.push(workload("shop-staging"));
    let mut p = Snapshot::new("production");
    p.kube.network_policies = production;
    p.kube.workloads.push(workload("shop-production"));
    let mut names = NameMap::default();
    names.infer(["shop-staging"], ["shop-production"]);
    let ctx = Context {
        staging: &s,
        production: &p,
        names: &names,
    };
    let mut results = Results::default();
    compare(&ctx, &mut results);
    results
}

fn rules(results: &Results) -> Vec<&'static str> {
    results
        .findings
        .iter()
        .map(|f: &Finding| f.rule.id())
        .collect()
}

fn redis(ns: &str, from: &str, port: &str) -> NetworkPolicyObject {
    policy(
        ns,
        "redis",
        &[("app", "redis")],
        vec![from_pods(&[("app", from)], Some(port))],
        None,
    )
}

#[test]
fn same_effect_is_quiet() {
    let results = run(
        vec![redis("shop-staging", "cart", "6379")],
        vec![redis("shop-production", "cart", "6379")],
    );
    assert!(results.findings.is_empty(), "{:?}", results.findings);
    assert_eq!(results.compared.get(&Dimension::Network), Some(&1));
}

#[test]
fn broader_and_narrower() {
    let results = run(
        vec![redis("shop-staging", "frontend", "6379")],
        vec![redis("shop-production", "cart", "6379")],
    );
    assert_eq!(
        rules(&results),
        vec!["network-broader-in-staging", "network-narrower-in-staging"]
    );
    let broader = &results.findings[0];
    assert!(
        broader.message.contains("app=frontend"),
        "{}",
        broader.message
    );
    assert!(
        broader.message.contains("`shop-staging`"),
        "{}",
        broader.message
    );
    assert!(!broader.witnesses.is_empty() && broader.witnesses.len() <= 5);
    assert_eq!(broader.confidence, crate::findings::Confidence::Likely);
    assert!(!broader.evidence.staging.is_empty() && !broader.evidence.production.is_empty());
}

#[test]
fn missing_default_deny_in_staging() {
    let deny = policy(
        "shop-production",
        "default-deny",
        &[],
        Vec::new(),
        Some(Vec::new()),
    );
    let results = run(Vec::new(), vec![deny]);
    assert_eq!(
        rules(&results),
        vec!["network-broader-in-staging", "network-broader-in-staging"]
    );
    assert!(results.findings[0].message.contains("has no NetworkPolicy"));
}

#[test]
fn nothing_to_compare() {
    let results = run(Vec::new(), Vec::new());
    assert!(results.findings.is_empty() && results.compared.is_empty());
}

#[test]
fn unknown_staging_namespace_is_unmatched_not_compared() {
    let results = run(Vec::new(), vec![redis("billing-production", "cart", "1")]);
    assert!(results.findings.is_empty());
    assert_eq!(
        results.production_only,
        vec!["k8s-namespace:billing-production"]
    );
}

#[test]
fn environment_label_values_are_mapped() {
    let staging = policy(
        "shop-staging",
        "from-env",
        &[],
        vec![from_namespace(&[("environment", "staging")])],
        None,
    );
    let production = policy(
        "shop-production",
        "from-env",
        &[],
        vec![from_namespace(&[("environment", "production")])],
        None,
    );
    let results = run(vec![staging], vec![production]);
    assert!(results.findings.is_empty(), "{:?}", results.findings);
}

#[test]
fn cross_environment_selector_fires() {
    let staging = policy(
        "shop-staging",
        "from-prod",
        &[],
        vec![from_namespace(&[(
            "kubernetes.io/metadata.name",
            "shop-production",
        )])],
        None,
    );
    let results = run(vec![staging], Vec::new());
    assert!(rules(&results).contains(&"network-cross-environment-path"));
    let staging = policy(
        "shop-staging",
        "from-env",
        &[],
        vec![from_namespace(&[("environment", "production")])],
        None,
    );
    let results = run(vec![staging], Vec::new());
    assert!(rules(&results).contains(&"network-cross-environment-path"));
}

#[test]
fn ip_blocks_compare_by_effect() {
    let rule = |cidr: &str, except: &[&str]| NetworkRule {
        peers: vec![NetworkPeer {
            pod_selector: None,
            namespace_selector: None,
            ip_block: Some(IpBlock {
                cidr: cidr.into(),
                except: except.iter().map(|e| e.to_string()).collect(),
            }),
        }],
        ports: Vec::new(),
        line: None,
    };
    let s = policy(
        "shop-staging",
        "ext",
        &[],
        vec![rule("10.0.0.0/8", &[])],
        None,
    );
    let p = policy(
        "shop-production",
        "ext",
        &[],
        vec![rule("10.0.0.0/8", &["10.1.0.0/16"])],
        None,
    );
    let results = run(vec![s.clone()], vec![p]);
    assert_eq!(rules(&results), vec!["network-broader-in-staging"]);
    let w = &results.findings[0].witnesses[0];
    assert_eq!(w.request["peer"]["ip"], "10.1.0.0");
    let same = policy(
        "shop-production",
        "ext",
        &[],
        vec![rule("10.0.0.0/8", &[])],
        None,
    );
    assert!(run(vec![s], vec![same]).findings.is_empty());
}
