//! NetworkPolicy effect in one namespace: which (pod, direction, peer, port) flows each side
//! allows, evaluated on representatives that reach every class the policies distinguish, and
//! why the comparison is not exact when it is not (too many classes, unresolved named ports).
//! Peers are pods (matched by selectors) or cluster-external addresses (matched by ipBlocks),
//! as Kubernetes documents ipBlock; whether a CNI also applies ipBlocks to pod IPs is not
//! modelled.

use std::collections::BTreeSet;
use std::net::IpAddr;

use super::ip::{self, Block};
use super::labels::{self, Labels, OTHER};
use super::ports::{Port, literal_ports, naming_doubt, port_representatives};
use crate::model::{NetworkPeer, NetworkPolicyObject, NetworkRule};

pub(super) const NAME_LABEL: &str = "kubernetes.io/metadata.name";
pub(super) const OTHER_NAMESPACE: &str = "<another namespace>";
/// Examples kept per difference, and candidates they are chosen from.
const EXAMPLES: usize = 5;
const CANDIDATES: usize = 400;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub(super) enum Direction {
    Ingress,
    Egress,
}

impl Direction {
    pub fn as_str(self) -> &'static str {
        match self {
            Direction::Ingress => "ingress",
            Direction::Egress => "egress",
        }
    }

    fn policy_type(self) -> &'static str {
        match self {
            Direction::Ingress => "Ingress",
            Direction::Egress => "Egress",
        }
    }

    fn rules(self, policy: &NetworkPolicyObject) -> &[NetworkRule] {
        match self {
            Direction::Ingress => &policy.ingress,
            Direction::Egress => &policy.egress,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) enum Peer {
    Pod {
        namespace: String,
        namespace_labels: Labels,
        pod_labels: Labels,
    },
    Address(IpAddr),
}

/// One concrete flow to or from a pod of the namespace compared.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct Flow {
    pub direction: Direction,
    pub pod: Labels,
    pub peer: Peer,
    pub port: Port,
}

/// What one side does with a flow: the policies isolating the pod, and the rule allowing it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct Verdict {
    pub allowed: bool,
    pub selecting: Vec<usize>,
    /// (policy index, rule line) of the first rule allowing the flow.
    pub allowed_by: Option<(usize, Option<u32>)>,
}

#[derive(Debug, Clone)]
pub(super) struct Example {
    pub flow: Flow,
    pub staging: Verdict,
    pub production: Verdict,
}

/// Flows allowed by one side and denied by the other, per direction.
#[derive(Debug, Default)]
pub(super) struct Differences {
    /// Allowed in staging, denied in production: (direction, examples, total count).
    pub broader: Vec<(Direction, Vec<Example>, usize)>,
    pub narrower: Vec<(Direction, Vec<Example>, usize)>,
    /// Why the comparison is not exact (sorted, distinct); empty when a quiet result is a
    /// proof. Differences listed above are real either way.
    pub unknown: Vec<String>,
    /// (protocol, name) of the named ports whose numbers would decide a difference.
    pub unresolved_ports: Vec<(String, String)>,
}

/// Flow evaluations per namespace and direction beyond which envparity gives up (unknown).
const MAX_EVALUATIONS: usize = 400_000;

fn peer_matches(rule_peer: &NetworkPeer, policy_ns: &str, peer: &Peer) -> bool {
    match (rule_peer, peer) {
        (
            NetworkPeer {
                ip_block: Some(block),
                ..
            },
            Peer::Address(addr),
        ) => {
            let within = |cidr: &str| ip::parse_cidr(cidr).is_some_and(|b| ip::contains(&b, *addr));
            within(&block.cidr) && !block.except.iter().any(|e| within(e))
        }
        (
            NetworkPeer {
                ip_block: None,
                pod_selector,
                namespace_selector,
            },
            Peer::Pod {
                namespace,
                namespace_labels,
                pod_labels,
            },
        ) => {
            if pod_selector.is_none() && namespace_selector.is_none() {
                return false;
            }
            let ns_ok = match namespace_selector {
                Some(sel) => labels::matches(sel, namespace_labels),
                None => namespace == policy_ns,
            };
            ns_ok
                && pod_selector
                    .as_ref()
                    .is_none_or(|sel| labels::matches(sel, pod_labels))
        }
        _ => false,
    }
}

fn rule_allows(rule: &NetworkRule, policy_ns: &str, peer: &Peer, port: &Port) -> bool {
    (rule.peers.is_empty() || rule.peers.iter().any(|p| peer_matches(p, policy_ns, peer)))
        && (rule.ports.is_empty()
            || rule
                .ports
                .iter()
                .any(|p| super::ports::port_matches(p, port)))
}

fn selecting(policies: &[&NetworkPolicyObject], dir: Direction, pod: &Labels) -> Vec<usize> {
    (0..policies.len())
        .filter(|&i| {
            let p = policies[i];
            p.policy_types.iter().any(|t| t == dir.policy_type())
                && labels::matches(&p.pod_selector, pod)
        })
        .collect()
}

fn verdict(
    policies: &[&NetworkPolicyObject],
    selecting: &[usize],
    ns: &str,
    dir: Direction,
    peer: &Peer,
    port: &Port,
) -> Verdict {
    if selecting.is_empty() {
        return Verdict {
            allowed: true,
            selecting: Vec::new(),
            allowed_by: None,
        };
    }
    let allowed_by = selecting.iter().find_map(|&i| {
        dir.rules(policies[i])
            .iter()
            .find(|r| rule_allows(r, ns, peer, port))
            .map(|r| (i, r.line))
    });
    Verdict {
        allowed: allowed_by.is_some(),
        selecting: selecting.to_vec(),
        allowed_by,
    }
}

/// Peers reaching every class of the rules' peers: namespaces (by name and labels) times pod
/// label sets, and one address per CIDR class. Returns the peers and whether they are exact.
fn peer_representatives(ns: &str, rules: &[&NetworkRule]) -> (Vec<Peer>, bool) {
    let peers: Vec<&NetworkPeer> = rules.iter().flat_map(|r| r.peers.iter()).collect();
    let ns_selectors: Vec<_> = peers
        .iter()
        .filter_map(|p| p.namespace_selector.as_ref())
        .collect();
    let pod_selectors: Vec<_> = peers
        .iter()
        .filter_map(|p| p.pod_selector.as_ref())
        .collect();
    let mut names: BTreeSet<String> = BTreeSet::from([ns.to_string(), OTHER_NAMESPACE.to_string()]);
    for sel in &ns_selectors {
        names.extend(sel.match_labels.get(NAME_LABEL).cloned());
        for e in sel.match_expressions.iter().filter(|e| e.key == NAME_LABEL) {
            names.extend(e.values.iter().cloned());
        }
    }
    let (ns_labels, exact_ns) =
        labels::representatives(ns_selectors.iter().copied(), Some(NAME_LABEL));
    let (pod_labels, exact_pod) = labels::representatives(pod_selectors.iter().copied(), None);
    let mut out = Vec::new();
    // The own namespace first, then others, so examples read naturally.
    let mut ordered: Vec<&String> = names.iter().filter(|n| *n == ns).collect();
    ordered.extend(names.iter().filter(|n| *n != ns));
    for name in ordered {
        for nl in &ns_labels {
            let mut namespace_labels = nl.clone();
            if name != OTHER_NAMESPACE {
                namespace_labels.insert(NAME_LABEL.to_string(), name.clone());
            } else {
                namespace_labels.insert(NAME_LABEL.to_string(), OTHER.to_string());
            }
            for pl in &pod_labels {
                out.push(Peer::Pod {
                    namespace: name.clone(),
                    namespace_labels: namespace_labels.clone(),
                    pod_labels: pl.clone(),
                });
            }
        }
    }
    let blocks: Vec<Block> = peers
        .iter()
        .filter_map(|p| p.ip_block.as_ref())
        .flat_map(|b| std::iter::once(&b.cidr).chain(b.except.iter()))
        .filter_map(|c| ip::parse_cidr(c))
        .collect();
    out.extend(ip::representatives(&blocks).into_iter().map(Peer::Address));
    (out, exact_ns && exact_pod)
}

/// Up to [`EXAMPLES`] examples that read well and differ: flows without synthetic labels and
/// on ports the rules name first, one per (pod, peer namespace or address) before repeats.
fn pick(candidates: Vec<Example>, literal_ports: &BTreeSet<Port>) -> Vec<Example> {
    let synthetic = |l: &Labels| l.values().any(|v| v == OTHER);
    let rank = |e: &Example| {
        let peer_synthetic = match &e.flow.peer {
            Peer::Pod {
                namespace_labels,
                pod_labels,
                ..
            } => synthetic(namespace_labels) || synthetic(pod_labels),
            Peer::Address(_) => false,
        };
        (
            synthetic(&e.flow.pod) || peer_synthetic,
            !literal_ports.contains(&e.flow.port),
        )
    };
    let mut ordered: Vec<(usize, Example)> = candidates.into_iter().enumerate().collect();
    ordered.sort_by_key(|(i, e)| (rank(e), *i));
    let group = |e: &Example| {
        let peer = match &e.flow.peer {
            Peer::Pod { namespace, .. } => namespace.clone(),
            Peer::Address(_) => String::new(),
        };
        (e.flow.pod.clone(), peer)
    };
    let mut seen = BTreeSet::new();
    let (mut first, mut rest): (Vec<Example>, Vec<Example>) = (Vec::new(), Vec::new());
    for (_, e) in ordered {
        if seen.insert(group(&e)) {
            first.push(e);
        } else {
            rest.push(e);
        }
    }
    first.into_iter().chain(rest).take(EXAMPLES).collect()
}

/// Compares the effect of two sides' policies (both in production's vocabulary) on the pods
/// of namespace `ns`.
pub(super) fn compare_namespace(
    ns: &str,
    staging: &[&NetworkPolicyObject],
    production: &[&NetworkPolicyObject],
) -> Differences {
    let all: Vec<&NetworkPolicyObject> = staging.iter().chain(production.iter()).copied().collect();
    let (pods, exact_pods) = labels::representatives(all.iter().map(|p| &p.pod_selector), None);
    let mut out = Differences::default();
    let mut unknown: BTreeSet<String> = BTreeSet::new();
    if !exact_pods {
        unknown.insert(format!(
            "the policies' pod selectors distinguish more than {} classes of pods, so only one pod per selector was compared",
            labels::MAX_CLASSES
        ));
    }
    let mut doubtful: BTreeSet<(String, String)> = BTreeSet::new();
    for dir in [Direction::Ingress, Direction::Egress] {
        let rules: Vec<&NetworkRule> = all.iter().flat_map(|p| dir.rules(p).iter()).collect();
        let (peers, exact_peers) = peer_representatives(ns, &rules);
        if !exact_peers {
            unknown.insert(format!(
                "the {} rules' selectors distinguish more than {} classes of peers, so only one peer per selector was compared",
                dir.as_str(),
                labels::MAX_CLASSES
            ));
        }
        let ports = port_representatives(&rules);
        let work = pods
            .len()
            .saturating_mul(peers.len())
            .saturating_mul(ports.len());
        if work > MAX_EVALUATIONS {
            unknown.insert(format!(
                "the {} rules distinguish {work} classes of flows, more than the {MAX_EVALUATIONS} envparity evaluates",
                dir.as_str()
            ));
            continue;
        }
        let (mut broader, mut narrower) = ((Vec::new(), 0), (Vec::new(), 0));
        for pod in &pods {
            let sel_s = selecting(staging, dir, pod);
            let sel_p = selecting(production, dir, pod);
            if sel_s.is_empty() && sel_p.is_empty() {
                continue;
            }
            for peer in &peers {
                let s_all: Vec<Verdict> = ports
                    .iter()
                    .map(|port| verdict(staging, &sel_s, ns, dir, peer, port))
                    .collect();
                let p_all: Vec<Verdict> = ports
                    .iter()
                    .map(|port| verdict(production, &sel_p, ns, dir, peer, port))
                    .collect();
                for (index, port) in ports.iter().enumerate() {
                    let (s, p) = (&s_all[index], &p_all[index]);
                    let (bucket, denied) = match (s.allowed, p.allowed) {
                        (true, false) => (&mut broader, &p_all),
                        (false, true) => (&mut narrower, &s_all),
                        _ => continue,
                    };
                    let denied: Vec<bool> = denied.iter().map(|v| v.allowed).collect();
                    let doubt = naming_doubt(&ports, index, &denied);
                    if !doubt.is_empty() {
                        doubtful.extend(doubt);
                        continue;
                    }
                    bucket.1 += 1;
                    if bucket.0.len() < CANDIDATES {
                        let flow = Flow {
                            direction: dir,
                            pod: pod.clone(),
                            peer: peer.clone(),
                            port: port.clone(),
                        };
                        bucket.0.push(Example {
                            flow,
                            staging: s.clone(),
                            production: p.clone(),
                        });
                    }
                }
            }
        }
        let literal_ports: BTreeSet<Port> = literal_ports(&rules);
        if broader.1 > 0 {
            out.broader
                .push((dir, pick(broader.0, &literal_ports), broader.1));
        }
        if narrower.1 > 0 {
            out.narrower
                .push((dir, pick(narrower.0, &literal_ports), narrower.1));
        }
    }
    for (proto, name) in &doubtful {
        unknown.insert(format!(
            "named port `{name}` ({proto}) is not resolved to a number in the inputs, and whether the flows differ depends on that number"
        ));
    }
    out.unknown = unknown.into_iter().collect();
    out.unresolved_ports = doubtful.into_iter().collect();
    out
}

#[cfg(test)]
#[path = "effect_tests.rs"]
mod tests;
