//! NetworkPolicies (with Kubernetes' defaulting of `policyTypes` and port protocols) and
//! Ingresses.

use super::super::node::{Shaped, map_list, opt_int, opt_map, opt_str, str_list};
use super::super::yaml::Node;
use super::rbac::label_selector;
use crate::model::{
    IngressObject, IngressTls, IpBlock, KubeObjects, LabelSelector, Meta, NetworkPeer,
    NetworkPolicyObject, NetworkPort, NetworkRule,
};

pub fn network_policy(node: &Node, meta: Meta, kube: &mut KubeObjects) -> Shaped<()> {
    let empty = Node {
        value: super::super::yaml::Value::Null,
        line: meta.provenance.line.unwrap_or(1),
    };
    let spec = opt_map(node, "spec")?.unwrap_or(&empty);
    let pod_selector = match opt_map(spec, "podSelector")? {
        Some(sel) => label_selector(sel)?,
        None => LabelSelector::default(),
    };
    let ingress = rules(spec, "ingress", "from")?;
    let egress = rules(spec, "egress", "to")?;
    let mut policy_types = str_list(spec, "policyTypes")?;
    if policy_types.is_empty() {
        // Kubernetes' default: Ingress always, Egress when the policy has egress rules.
        policy_types.push("Ingress".to_string());
        if !egress.is_empty() {
            policy_types.push("Egress".to_string());
        }
    }
    kube.network_policies.push(NetworkPolicyObject {
        meta,
        pod_selector,
        policy_types,
        ingress,
        egress,
    });
    Ok(())
}

fn rules(spec: &Node, field: &str, peers_field: &str) -> Shaped<Vec<NetworkRule>> {
    let mut out = Vec::new();
    for rule in map_list(spec, field)? {
        let mut peers = Vec::new();
        for peer in map_list(rule, peers_field)? {
            let ip_block = match opt_map(peer, "ipBlock")? {
                Some(block) => Some(IpBlock {
                    cidr: opt_str(block, "cidr")?.unwrap_or_default(),
                    except: str_list(block, "except")?,
                }),
                None => None,
            };
            peers.push(NetworkPeer {
                pod_selector: opt_map(peer, "podSelector")?
                    .map(label_selector)
                    .transpose()?,
                namespace_selector: opt_map(peer, "namespaceSelector")?
                    .map(label_selector)
                    .transpose()?,
                ip_block,
            });
        }
        let mut ports = Vec::new();
        for port in map_list(rule, "ports")? {
            ports.push(NetworkPort {
                protocol: opt_str(port, "protocol")?.unwrap_or_else(|| "TCP".to_string()),
                port: opt_str(port, "port")?,
                end_port: opt_int(port, "endPort")?,
            });
        }
        out.push(NetworkRule {
            peers,
            ports,
            line: Some(rule.line),
        });
    }
    Ok(out)
}

pub fn ingress(node: &Node, meta: Meta, kube: &mut KubeObjects) -> Shaped<()> {
    let mut class = None;
    let mut hosts = Vec::new();
    let mut tls = Vec::new();
    if let Some(spec) = opt_map(node, "spec")? {
        class = opt_str(spec, "ingressClassName")?;
        for rule in map_list(spec, "rules")? {
            if let Some(host) = opt_str(rule, "host")? {
                hosts.push(host);
            }
        }
        for entry in map_list(spec, "tls")? {
            tls.push(IngressTls {
                hosts: str_list(entry, "hosts")?,
                secret_name: opt_str(entry, "secretName")?,
            });
        }
    }
    // Before `ingressClassName` (Kubernetes 1.18) the class was an annotation.
    if class.is_none() {
        class = meta.annotations.get("kubernetes.io/ingress.class").cloned();
    }
    kube.ingresses.push(IngressObject {
        meta,
        class,
        hosts,
        tls,
    });
    Ok(())
}
