//! `network-unknown`: named ports whose number decides a difference, constructs Kubernetes
//! would reject, and too many classes; and the exact cases that stay decided.

use super::tests::{from_pods, policy, run, selector};
use super::*;
use crate::findings::Confidence;
use crate::model::{IpBlock, NetworkRule};

fn ids(results: &Results) -> Vec<&'static str> {
    results.findings.iter().map(|f| f.rule.id()).collect()
}

fn to_db(ns: &str, port: &str) -> NetworkPolicyObject {
    policy(
        ns,
        "db",
        &[("app", "db")],
        vec![from_pods(&[("app", "api")], Some(port))],
        None,
    )
}

#[test]
fn name_against_number_is_unknown() {
    let results = run(
        vec![to_db("shop-staging", "postgres")],
        vec![to_db("shop-production", "5432")],
    );
    assert_eq!(ids(&results), vec!["network-unknown"]);
    let f = &results.findings[0];
    assert_eq!(f.confidence, Confidence::Unknown);
    assert!(f.message.contains("named port `postgres`"), "{}", f.message);
    assert!(f.message.contains("`shop-staging`") && f.message.contains("`shop-production`"));
    assert!(!f.evidence.staging.is_empty());
}

#[test]
fn same_name_or_name_against_nothing_is_decided() {
    let same = run(
        vec![to_db("shop-staging", "postgres")],
        vec![to_db("shop-production", "postgres")],
    );
    assert!(same.findings.is_empty(), "{:?}", same.findings);
    let deny = policy("shop-production", "db", &[("app", "db")], Vec::new(), None);
    let broader = run(vec![to_db("shop-staging", "postgres")], vec![deny]);
    assert_eq!(ids(&broader), vec!["network-broader-in-staging"]);
}

#[test]
fn malformed_cidr_is_unknown_even_when_equal() {
    let with_block = |ns: &str| {
        let mut p = policy(ns, "ext", &[], Vec::new(), Some(Vec::new()));
        p.egress.push(NetworkRule {
            peers: vec![NetworkPeer {
                pod_selector: None,
                namespace_selector: None,
                ip_block: Some(IpBlock {
                    cidr: "10.0.0/8".into(),
                    except: Vec::new(),
                }),
            }],
            ports: Vec::new(),
            line: Some(14),
        });
        p
    };
    let results = run(
        vec![with_block("shop-staging")],
        vec![with_block("shop-production")],
    );
    assert_eq!(ids(&results), vec!["network-unknown"]);
    let f = &results.findings[0];
    assert!(
        f.message.contains("`10.0.0/8` is not a CIDR"),
        "{}",
        f.message
    );
    assert_eq!(f.evidence.staging[0].line, Some(14));
    assert_eq!(f.evidence.production[0].line, Some(14));
}

#[test]
fn too_many_pod_classes_is_unknown() {
    // Ten independent selectors: 1024 classes of pods, more than envparity compares.
    let many = |ns: &str| -> Vec<NetworkPolicyObject> {
        (0..10)
            .map(|i| {
                let key = format!("k{i}");
                let mut p = policy(ns, &format!("p{i}"), &[], Vec::new(), None);
                p.pod_selector = selector(&[(key.as_str(), "on")]);
                p
            })
            .collect()
    };
    let results = run(many("shop-staging"), many("shop-production"));
    assert_eq!(ids(&results), vec!["network-unknown"]);
    assert!(results.findings[0].message.contains("classes of pods"));
}

#[test]
fn many_labels_with_few_classes_stay_exact() {
    // Twelve keys are 3^12 combinations, but only a handful of classes: still exact.
    let pairs: Vec<(String, String)> = (0..12)
        .map(|i| (format!("k{i}"), "x".to_string()))
        .collect();
    let refs: Vec<(&str, &str)> = pairs
        .iter()
        .map(|(k, v)| (k.as_str(), v.as_str()))
        .collect();
    let wide = |ns: &str| policy(ns, "wide", &refs, vec![from_pods(&refs, Some("80"))], None);
    let results = run(vec![wide("shop-staging")], vec![wide("shop-production")]);
    assert!(results.findings.is_empty(), "{:?}", results.findings);
}
