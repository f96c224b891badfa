//! Effect evaluation: port classes, and metamorphic properties (a policy set compared with
//! itself differs nowhere; swapping sides swaps the directions of the differences).

use super::*;
use crate::compare::network::ports::port_matches;
use crate::compare::network::tests::{from_pods, policy};
use crate::model::NetworkPort;

#[test]
fn port_ranges_split_into_classes() {
    let rule = NetworkRule {
        peers: Vec::new(),
        ports: vec![NetworkPort {
            protocol: "TCP".into(),
            port: Some("8000".into()),
            end_port: Some(8080),
        }],
        line: None,
    };
    let reps = port_representatives(&[&rule]);
    let numbers: Vec<u16> = reps
        .iter()
        .filter_map(|p| match p {
            Port::Number(_, n) => Some(*n),
            Port::Named(..) => None,
        })
        .collect();
    assert_eq!(numbers, vec![443, 8080, 8081]);
    assert!(port_matches(
        &rule.ports[0],
        &Port::Number("TCP".into(), 8080)
    ));
    assert!(!port_matches(
        &rule.ports[0],
        &Port::Number("UDP".into(), 8000)
    ));
}

#[test]
fn self_comparison_and_swap() {
    let a = [
        policy(
            "ns",
            "a",
            &[("app", "db")],
            vec![from_pods(&[], Some("5432"))],
            None,
        ),
        policy("ns", "b", &[], Vec::new(), Some(vec![from_pods(&[], None)])),
    ];
    let b = [policy(
        "ns",
        "a",
        &[("app", "db")],
        vec![from_pods(&[("app", "api")], None)],
        None,
    )];
    let a_refs: Vec<&NetworkPolicyObject> = a.iter().collect();
    let b_refs: Vec<&NetworkPolicyObject> = b.iter().collect();
    let same = compare_namespace("ns", &a_refs, &a_refs);
    assert!(same.broader.is_empty() && same.narrower.is_empty());
    let ab = compare_namespace("ns", &a_refs, &b_refs);
    let ba = compare_namespace("ns", &b_refs, &a_refs);
    let dirs = |v: &Vec<(Direction, Vec<Example>, usize)>| -> Vec<(Direction, usize)> {
        v.iter().map(|(d, _, n)| (*d, *n)).collect()
    };
    assert_eq!(dirs(&ab.broader), dirs(&ba.narrower));
    assert_eq!(dirs(&ab.narrower), dirs(&ba.broader));
    assert!(!ab.broader.is_empty() && !ab.narrower.is_empty());
}
