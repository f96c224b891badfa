//! What in a NetworkPolicy envparity cannot evaluate (Kubernetes would reject it, so what is
//! really enforced is unknown): malformed CIDRs, unknown selector operators, protocols and
//! port numbers out of range.

use super::ip::parse_cidr;
use super::namespace_of;
use crate::model::{LabelSelector, NetworkPolicyObject};

/// One construct that makes a comparison undecidable, with the line it is on.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub(super) struct Problem {
    pub text: String,
    pub line: Option<u32>,
}

const OPERATORS: [&str; 4] = ["In", "NotIn", "Exists", "DoesNotExist"];
const PROTOCOLS: [&str; 3] = ["TCP", "UDP", "SCTP"];

fn selector_problems(selector: &LabelSelector, line: Option<u32>, out: &mut Vec<Problem>) {
    for e in &selector.match_expressions {
        if !OPERATORS.contains(&e.operator.as_str()) {
            out.push(Problem {
                text: format!(
                    "label selector operator `{}` (key `{}`) is not one Kubernetes knows",
                    e.operator, e.key
                ),
                line,
            });
        }
    }
}

fn port_number(text: &str) -> Option<u16> {
    text.parse::<u16>().ok().filter(|n| *n > 0)
}

/// Everything in `policy` that envparity cannot evaluate; empty for a well-formed policy.
pub(super) fn problems(policy: &NetworkPolicyObject) -> Vec<Problem> {
    let mut out = Vec::new();
    selector_problems(&policy.pod_selector, policy.meta.provenance.line, &mut out);
    for rule in policy.ingress.iter().chain(policy.egress.iter()) {
        for peer in &rule.peers {
            for sel in [&peer.pod_selector, &peer.namespace_selector]
                .into_iter()
                .flatten()
            {
                selector_problems(sel, rule.line, &mut out);
            }
            if let Some(block) = &peer.ip_block {
                for cidr in std::iter::once(&block.cidr).chain(block.except.iter()) {
                    if parse_cidr(cidr).is_none() {
                        out.push(Problem {
                            text: format!("ipBlock `{cidr}` is not a CIDR"),
                            line: rule.line,
                        });
                    }
                }
            }
        }
        for port in &rule.ports {
            let problem = |text: String| Problem {
                text,
                line: rule.line,
            };
            if !port.protocol.is_empty() && !PROTOCOLS.contains(&port.protocol.as_str()) {
                out.push(problem(format!(
                    "protocol `{}` is not TCP, UDP or SCTP",
                    port.protocol
                )));
            }
            let text = port.port.as_deref();
            let numeric = text.filter(|t| t.chars().all(|c| c.is_ascii_digit()));
            if let Some(t) = numeric.filter(|t| port_number(t).is_none()) {
                out.push(problem(format!("port `{t}` is not a port number")));
            }
            if let Some(end) = port.end_port {
                let start = numeric.and_then(port_number);
                let valid = start.is_some_and(|s| u16::try_from(end).is_ok_and(|e| e >= s));
                if !valid {
                    out.push(problem(format!(
                        "endPort `{end}` does not close a range starting at a port number"
                    )));
                }
            }
        }
    }
    out
}

/// How a policy's problem reads in a message: ``NetworkPolicy `ns/name`: <problem>``.
pub(super) fn describe(policy: &NetworkPolicyObject, problem: &Problem) -> String {
    let name = if policy.meta.namespace.is_some() {
        policy.meta.qualified_name()
    } else {
        format!("{}/{}", namespace_of(policy), policy.meta.name)
    };
    format!("NetworkPolicy `{name}`: {}", problem.text)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::compare::network::tests::{from_pods, policy};
    use crate::model::{IpBlock, LabelExpression, NetworkPeer, NetworkPort, NetworkRule};

    #[test]
    fn well_formed_policies_have_no_problem() {
        let p = policy(
            "ns",
            "a",
            &[("app", "db")],
            vec![from_pods(&[("app", "api")], Some("5432"))],
            None,
        );
        assert!(problems(&p).is_empty());
        let named = policy("ns", "b", &[], vec![from_pods(&[], Some("http"))], None);
        assert!(problems(&named).is_empty());
    }

    #[test]
    fn reports_what_cannot_be_evaluated() {
        let mut p = policy("ns", "a", &[], Vec::new(), None);
        p.pod_selector.match_expressions.push(LabelExpression {
            key: "app".into(),
            operator: "Matches".into(),
            values: Vec::new(),
        });
        p.ingress.push(NetworkRule {
            peers: vec![NetworkPeer {
                pod_selector: None,
                namespace_selector: None,
                ip_block: Some(IpBlock {
                    cidr: "10.0.0/8".into(),
                    except: vec!["10.1.0.0/16".into()],
                }),
            }],
            ports: vec![
                NetworkPort {
                    protocol: "ICMP".into(),
                    port: Some("70000".into()),
                    end_port: None,
                },
                NetworkPort {
                    protocol: "TCP".into(),
                    port: Some("9000".into()),
                    end_port: Some(8000),
                },
            ],
            line: Some(7),
        });
        let texts: Vec<String> = problems(&p).into_iter().map(|p| p.text).collect();
        assert_eq!(texts.len(), 5, "{texts:?}");
        assert!(texts[1].contains("`10.0.0/8`"));
        assert!(describe(&p, &problems(&p)[0]).starts_with("NetworkPolicy `ns/a`: "));
    }
}
