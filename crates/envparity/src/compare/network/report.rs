//! Findings for one namespace pair: one per direction and kind of difference, with example
//! flows as witnesses (in each side's names) and the policies that decide them as evidence.

use std::collections::{BTreeMap, BTreeSet};

use serde_json::{Value, json};

use super::effect::{Differences, Direction, Example, Flow, NAME_LABEL, Peer, Verdict};
use super::labels::{Labels, show};
use crate::correlate::NameMap;
use crate::findings::{Confidence, Evidence, Finding, Rule, Side, Subject, Witness};
use crate::model::NetworkPolicyObject;

pub(super) struct NamespacePair<'a> {
    pub staging_ns: &'a str,
    pub production_ns: &'a str,
    /// Staging's policies as written (same order as those compared).
    pub staging: &'a [&'a NetworkPolicyObject],
    pub production: &'a [&'a NetworkPolicyObject],
    pub names: &'a NameMap,
    pub inferred: bool,
}

impl NamespacePair<'_> {
    pub fn findings(&self, differences: &Differences) -> Vec<Finding> {
        let mut out = Vec::new();
        for (dir, examples, _) in &differences.broader {
            out.push(self.finding(Side::Staging, *dir, examples));
        }
        for (dir, examples, _) in &differences.narrower {
            out.push(self.finding(Side::Production, *dir, examples));
        }
        out
    }

    /// A flow in one side's names (the comparison runs in production's).
    fn localize(&self, flow: &Flow, side: Side) -> Flow {
        if side == Side::Production {
            return flow.clone();
        }
        let map = |l: &Labels| -> Labels {
            l.iter()
                .map(|(k, v)| (k.clone(), self.names.to_staging(v)))
                .collect()
        };
        let peer = match &flow.peer {
            Peer::Pod {
                namespace,
                namespace_labels,
                pod_labels,
            } => Peer::Pod {
                namespace: self.names.to_staging(namespace),
                namespace_labels: map(namespace_labels),
                pod_labels: map(pod_labels),
            },
            Peer::Address(a) => Peer::Address(*a),
        };
        Flow {
            direction: flow.direction,
            pod: map(&flow.pod),
            peer,
            port: flow.port.clone(),
        }
    }

    fn namespace(&self, side: Side) -> &str {
        match side {
            Side::Staging => self.staging_ns,
            Side::Production => self.production_ns,
        }
    }

    fn describe(&self, flow: &Flow, side: Side) -> String {
        let pods = format!("pods {} in `{}`", show(&flow.pod), self.namespace(side));
        let peer = match &flow.peer {
            Peer::Pod {
                namespace,
                namespace_labels,
                pod_labels,
            } => {
                let mut extra = namespace_labels.clone();
                extra.remove(NAME_LABEL);
                let ns_labels = if extra.is_empty() {
                    String::new()
                } else {
                    format!(" labelled {}", show(&extra))
                };
                format!(
                    "pods {} in namespace `{namespace}`{ns_labels}",
                    show(pod_labels)
                )
            }
            Peer::Address(a) => format!("address `{a}`"),
        };
        match flow.direction {
            Direction::Ingress => format!("{} from {peer} to {pods}", flow.port.show()),
            Direction::Egress => format!("{} from {pods} to {peer}", flow.port.show()),
        }
    }

    fn request(&self, flow: &Flow, side: Side) -> BTreeMap<String, Value> {
        let flow = self.localize(flow, side);
        let peer = match &flow.peer {
            Peer::Pod {
                namespace,
                namespace_labels,
                pod_labels,
            } => json!({"namespace": namespace, "namespace_labels": namespace_labels,
                        "pod_labels": pod_labels}),
            Peer::Address(a) => json!({"ip": a.to_string()}),
        };
        BTreeMap::from([
            ("direction".to_string(), json!(flow.direction.as_str())),
            ("namespace".to_string(), json!(self.namespace(side))),
            ("pod_labels".to_string(), json!(flow.pod)),
            ("peer".to_string(), peer),
            ("port".to_string(), json!(flow.port.show())),
        ])
    }

    fn evidence(&self, side: Side, verdict: &Verdict, text: &str) -> Vec<Evidence> {
        let policies = match side {
            Side::Staging => self.staging,
            Side::Production => self.production,
        };
        if let Some((i, line)) = verdict.allowed_by {
            return policies
                .get(i)
                .map(|p| {
                    Evidence::at(
                        &p.meta.provenance,
                        line,
                        format!("NetworkPolicy `{}` allows {text}", p.meta.qualified_name()),
                    )
                })
                .into_iter()
                .collect();
        }
        verdict
            .selecting
            .iter()
            .filter_map(|&i| policies.get(i))
            .map(|p| {
                Evidence::at(
                    &p.meta.provenance,
                    None,
                    format!(
                        "NetworkPolicy `{}` selects the pods and none of its rules allows {text}",
                        p.meta.qualified_name()
                    ),
                )
            })
            .collect()
    }

    /// `network-unknown`: why this namespace pair could not be compared exactly.
    pub fn unknown(&self, reasons: &[String], evidence: Vec<(Side, Evidence)>) -> Finding {
        let message = format!(
            "envparity could not decide whether staging namespace `{}` and production namespace `{}` admit the same network flows: {}.",
            self.staging_ns,
            self.production_ns,
            reasons.join("; ")
        );
        let mut finding = Finding::new(
            Rule::NetworkUnknown,
            Subject {
                kind: "k8s-namespace".into(),
                staging: Some(self.staging_ns.to_string()),
                production: Some(self.production_ns.to_string()),
            },
            message,
        )
        .confidence(Confidence::Unknown)
        .key("unknown");
        for (side, ev) in evidence {
            finding = finding.evidence_on(side, ev);
        }
        finding
    }

    fn finding(&self, allowed_in: Side, dir: Direction, examples: &[Example]) -> Finding {
        let denied_in = allowed_in.other();
        let (rule, allowed_name, denied_name) = match allowed_in {
            Side::Staging => (Rule::NetworkBroaderInStaging, "staging", "production"),
            Side::Production => (Rule::NetworkNarrowerInStaging, "production", "staging"),
        };
        let example = examples
            .first()
            .map(|e| self.describe(&self.localize(&e.flow, allowed_in), allowed_in))
            .unwrap_or_default();
        let allowing_has_none = match allowed_in {
            Side::Staging => self.staging.is_empty(),
            Side::Production => self.production.is_empty(),
        };
        let message = if allowing_has_none {
            format!(
                "{allowed_name} namespace `{}` has no NetworkPolicy while {denied_name} namespace `{}` restricts {}, so {allowed_name} allows {} flows {denied_name} denies, e.g. {example}.",
                self.namespace(allowed_in),
                self.namespace(denied_in),
                dir.as_str(),
                dir.as_str()
            )
        } else {
            format!(
                "{allowed_name} namespace `{}` allows {} flows that {denied_name} namespace `{}` denies, e.g. {example}.",
                self.namespace(allowed_in),
                dir.as_str(),
                self.namespace(denied_in)
            )
        };
        let confidence = if self.inferred {
            Confidence::Likely
        } else {
            Confidence::Proven
        };
        let mut finding = Finding::new(
            rule,
            Subject {
                kind: "k8s-namespace".into(),
                staging: Some(self.staging_ns.to_string()),
                production: Some(self.production_ns.to_string()),
            },
            message,
        )
        .confidence(confidence)
        .key(format!("direction={}", dir.as_str()));
        // One piece of evidence per side and policy rule, described by its first example.
        let mut seen: BTreeSet<(Side, String, Option<u32>)> = BTreeSet::new();
        for e in examples {
            for side in [Side::Staging, Side::Production] {
                let text = self.describe(&self.localize(&e.flow, side), side);
                let verdict = match side {
                    Side::Staging => &e.staging,
                    Side::Production => &e.production,
                };
                for ev in self.evidence(side, verdict, &text) {
                    if seen.insert((side, ev.path.clone(), ev.line)) {
                        finding = finding.evidence_on(side, ev);
                    }
                }
            }
            let other = self.request(&e.flow, denied_in);
            finding = finding.witness(Witness {
                allowed_in,
                denied_in,
                request: self.request(&e.flow, allowed_in),
                staging_request: (denied_in == Side::Staging).then(|| other.clone()),
                production_request: (denied_in == Side::Production).then_some(other),
                synthetic: false,
            });
        }
        finding
    }
}
