//! Planted Kubernetes divergences: which namespaces get one, what each kind removes or adds
//! in staging, and the finding each must raise.

use super::objects::alert_names;
use super::{NamespaceSpec, PRODUCTION, STAGING};
use crate::output::{Planted, Subject};
use crate::rng::Rng;

/// The kinds of planted divergence; each changes staging only.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Plant {
    /// The `api` Role also grants `create pods/exec`.
    ExtraRule,
    /// The `worker` Role lacks `get pods/log`.
    MissingRule,
    /// The namespace has no `default-deny` NetworkPolicy.
    NetworkPolicyMissing,
    /// The first alert of the namespace's PrometheusRule is missing.
    AlertMissing,
    /// `DB_PASSWORD` is a literal in the `api` Deployment instead of a secretKeyRef.
    PlaintextSecret,
    /// The `worker` ServiceAccount (and its Role, binding, Deployment) is missing.
    ServiceAccountMissing,
    /// `FEATURE_FLAGS` of the ConfigMap differs.
    ConfigDrift,
}

const KINDS: &[Plant] = &[
    Plant::ExtraRule,
    Plant::MissingRule,
    Plant::NetworkPolicyMissing,
    Plant::AlertMissing,
    Plant::PlaintextSecret,
    Plant::ServiceAccountMissing,
    Plant::ConfigDrift,
];

impl Plant {
    fn name(self) -> &'static str {
        match self {
            Plant::ExtraRule => "extra-rule-in-staging",
            Plant::MissingRule => "missing-rule-in-staging",
            Plant::NetworkPolicyMissing => "network-policy-missing-in-staging",
            Plant::AlertMissing => "alert-missing-in-staging",
            Plant::PlaintextSecret => "plaintext-secret-in-staging",
            Plant::ServiceAccountMissing => "serviceaccount-missing-in-staging",
            Plant::ConfigDrift => "config-drift-in-staging",
        }
    }

    /// The rule and subject of the finding that must report this plant.
    fn expected(self, spec: &NamespaceSpec) -> (&'static str, Subject) {
        let stg = spec.namespace(STAGING);
        let prd = spec.namespace(PRODUCTION);
        let both = |kind, s: String, p: String| Subject {
            kind,
            staging: Some(s),
            production: Some(p),
        };
        match self {
            Plant::ExtraRule => (
                "access-broader-in-staging",
                both(
                    "k8s-serviceaccount",
                    format!("{stg}/api"),
                    format!("{prd}/api"),
                ),
            ),
            Plant::MissingRule => (
                "access-narrower-in-staging",
                both(
                    "k8s-serviceaccount",
                    format!("{stg}/worker"),
                    format!("{prd}/worker"),
                ),
            ),
            Plant::NetworkPolicyMissing => (
                "network-broader-in-staging",
                both("k8s-namespace", stg, prd),
            ),
            Plant::AlertMissing => {
                let alert = alert_names(spec).into_iter().next().unwrap_or_default();
                (
                    "detection-rule-missing-in-staging",
                    Subject {
                        kind: "alert-rule",
                        staging: None,
                        production: Some(format!("{prd}/{alert}")),
                    },
                )
            }
            Plant::PlaintextSecret => (
                "secret-plaintext",
                Subject {
                    kind: "config-key",
                    staging: Some(format!(
                        "{stg}/deployment/api:containers.api.env.DB_PASSWORD"
                    )),
                    production: None,
                },
            ),
            Plant::ServiceAccountMissing => (
                "identity-missing-in-staging",
                Subject {
                    kind: "k8s-serviceaccount",
                    staging: None,
                    production: Some(format!("{prd}/worker")),
                },
            ),
            Plant::ConfigDrift => (
                "config-value-drift",
                both(
                    "config-key",
                    format!("{stg}/configmap/{}-config:FEATURE_FLAGS", spec.app),
                    format!("{prd}/configmap/{}-config:FEATURE_FLAGS", spec.app),
                ),
            ),
        }
    }
}

/// Picks `divergence × namespaces` namespaces for one plant each (at least one per kind when
/// there are enough namespaces), and records the findings they must raise.
pub fn choose(rng: &mut Rng, specs: &mut [NamespaceSpec], divergence: f64) -> Vec<Planted> {
    let wanted = (specs.len() as f64 * divergence).round() as usize;
    let wanted = wanted
        .max(KINDS.len().min(specs.len() / 2))
        .min(specs.len());
    let mut order: Vec<usize> = (0..specs.len()).collect();
    rng.shuffle(&mut order);
    let mut chosen: Vec<usize> = order.into_iter().take(wanted).collect();
    chosen.sort_unstable();
    let mut planted = Vec::new();
    for (n, i) in chosen.into_iter().enumerate() {
        let kind = KINDS[n % KINDS.len()];
        let Some(spec) = specs.get_mut(i) else {
            continue;
        };
        spec.plant = Some(kind);
        let (rule, subject) = kind.expected(spec);
        planted.push(Planted {
            kind: kind.name(),
            rule,
            subject,
        });
    }
    planted
}
