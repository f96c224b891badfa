//! Generated NetworkPolicies and Namespace objects for the metamorphic properties: pod
//! selectors from a small label pool, ingress and egress rules whose peers are pod and
//! namespace selectors (by name, by environment label, all) and ipBlocks, and ports (numbers,
//! a range, a named port, protocol only).

use envparity::model::{
    IpBlock, KubeObjects, LabelExpression, LabelSelector, Meta, NetworkPeer, NetworkPolicyObject,
    NetworkPort, NetworkRule, Provenance, StringMap,
};
use proptest::prelude::*;

/// One rule: indexes into the peer and port pools (empty: every peer / every port).
pub type RuleSpec = (Vec<u8>, Vec<u8>);

/// One policy: its pod selector, and its ingress / egress rules when it has that type.
#[derive(Debug, Clone)]
pub struct PolicySpec {
    pods: u8,
    ingress: Option<Vec<RuleSpec>>,
    egress: Option<Vec<RuleSpec>>,
}

const NAME_LABEL: &str = "kubernetes.io/metadata.name";

fn rule_spec() -> impl Strategy<Value = RuleSpec> {
    (
        prop::collection::vec(0u8..9, 0..3),
        prop::collection::vec(0u8..7, 0..3),
    )
}

pub fn policies() -> impl Strategy<Value = Vec<PolicySpec>> {
    prop::collection::vec(
        (
            0u8..6,
            prop::option::of(prop::collection::vec(rule_spec(), 0..3)),
            prop::option::of(prop::collection::vec(rule_spec(), 0..3)),
        )
            .prop_map(|(pods, ingress, egress)| PolicySpec {
                pods,
                ingress,
                egress,
            }),
        0..4,
    )
}

fn labels(pairs: &[(&str, &str)]) -> StringMap {
    pairs
        .iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect()
}

fn selector(pairs: &[(&str, &str)]) -> LabelSelector {
    LabelSelector {
        match_labels: labels(pairs),
        match_expressions: Vec::new(),
    }
}

fn expression(key: &str, operator: &str, values: &[&str]) -> LabelSelector {
    LabelSelector {
        match_labels: StringMap::new(),
        match_expressions: vec![LabelExpression {
            key: key.to_string(),
            operator: operator.to_string(),
            values: values.iter().map(|v| v.to_string()).collect(),
        }],
    }
}

fn pod_selector(index: u8) -> LabelSelector {
    match index % 6 {
        0 => selector(&[]),
        1 => selector(&[("app", "web")]),
        2 => selector(&[("app", "api")]),
        3 => selector(&[("app", "db"), ("tier", "back")]),
        4 => expression("tier", "In", &["front", "edge"]),
        _ => expression("app", "NotIn", &["db"]),
    }
}

fn peer(index: u8, env: &str) -> NetworkPeer {
    let pods = |s: LabelSelector| NetworkPeer {
        pod_selector: Some(s),
        namespace_selector: None,
        ip_block: None,
    };
    let namespaces = |s: LabelSelector, p: Option<LabelSelector>| NetworkPeer {
        pod_selector: p,
        namespace_selector: Some(s),
        ip_block: None,
    };
    let block = |cidr: &str, except: &[&str]| NetworkPeer {
        pod_selector: None,
        namespace_selector: None,
        ip_block: Some(IpBlock {
            cidr: cidr.to_string(),
            except: except.iter().map(|e| e.to_string()).collect(),
        }),
    };
    let own = format!("app-{env}");
    match index % 9 {
        0 => pods(selector(&[("app", "web")])),
        1 => pods(selector(&[])),
        2 => namespaces(selector(&[(NAME_LABEL, own.as_str())]), None),
        3 => namespaces(
            selector(&[("environment", env)]),
            Some(selector(&[("app", "api")])),
        ),
        4 => namespaces(selector(&[(NAME_LABEL, "monitoring")]), None),
        5 => namespaces(selector(&[]), None),
        6 => block("10.0.0.0/8", &["10.1.0.0/16"]),
        7 => block("0.0.0.0/0", &[]),
        _ => block("192.168.0.0/16", &[]),
    }
}

fn port(index: u8) -> NetworkPort {
    let (protocol, port, end_port) = match index % 7 {
        0 => ("TCP", Some("80"), None),
        1 => ("TCP", Some("443"), None),
        2 => ("TCP", Some("5432"), None),
        3 => ("UDP", Some("53"), None),
        4 => ("TCP", Some("8000"), Some(8080)),
        5 => ("TCP", Some("http"), None),
        _ => ("TCP", None, None),
    };
    NetworkPort {
        protocol: protocol.to_string(),
        port: port.map(str::to_string),
        end_port,
    }
}

fn rules(specs: &[RuleSpec], env: &str) -> Vec<NetworkRule> {
    specs
        .iter()
        .map(|(peers, ports)| NetworkRule {
            peers: peers.iter().map(|p| peer(*p, env)).collect(),
            ports: ports.iter().map(|p| port(*p)).collect(),
            line: Some(9),
        })
        .collect()
}

fn meta(kind: &str, namespace: Option<&str>, name: &str, pairs: &[(&str, &str)]) -> Meta {
    Meta {
        kind: kind.to_string().into(),
        api_version: "networking.k8s.io/v1".into(),
        namespace: namespace.map(str::to_string),
        name: name.to_string(),
        labels: labels(pairs),
        provenance: Provenance::new("generated.yaml", Some(1)),
        ..Meta::default()
    }
}

/// Adds the environment's Namespace objects (`app-<env>` labelled with the environment, and
/// the shared `monitoring`) and its generated NetworkPolicies in `app-<env>`.
pub fn add(kube: &mut KubeObjects, specs: &[PolicySpec], env: &str) {
    let ns = format!("app-{env}");
    kube.namespaces
        .push(meta("Namespace", None, &ns, &[("environment", env)]));
    kube.namespaces
        .push(meta("Namespace", None, "monitoring", &[("team", "sre")]));
    for (i, spec) in specs.iter().enumerate() {
        let mut policy_types = Vec::new();
        if spec.ingress.is_some() {
            policy_types.push("Ingress".to_string());
        }
        if spec.egress.is_some() {
            policy_types.push("Egress".to_string());
        }
        kube.network_policies.push(NetworkPolicyObject {
            meta: meta("NetworkPolicy", Some(&ns), &format!("np{i}"), &[]),
            pod_selector: pod_selector(spec.pods),
            policy_types,
            ingress: rules(spec.ingress.as_deref().unwrap_or_default(), env),
            egress: rules(spec.egress.as_deref().unwrap_or_default(), env),
        });
    }
}
