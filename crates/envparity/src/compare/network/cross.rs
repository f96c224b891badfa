//! NetworkPolicies admitting the other environment: a namespace selector of one side naming
//! a namespace only the other side has, or a label value carrying the other environment's
//! token (`environment: production` in a staging policy).

use std::collections::BTreeSet;

use super::{effect::Direction, known_namespaces, namespace_of};
use crate::compare::{Context, Results};
use crate::correlate::ENVIRONMENT_TOKENS;
use crate::findings::{Evidence, Finding, Rule, Side, Subject};
use crate::model::{NetworkPolicyObject, NetworkRule, Snapshot};

/// The environment tokens a side's own names use (namespace names and Namespace labels).
pub(super) fn tokens_of(
    snapshot: &Snapshot,
    extra: impl Iterator<Item = String>,
) -> BTreeSet<String> {
    let mut texts: Vec<String> = known_namespaces(snapshot).into_iter().collect();
    for ns in &snapshot.kube.namespaces {
        texts.extend(ns.labels.values().cloned());
    }
    texts.extend(extra);
    texts.iter().flat_map(|t| env_tokens(t)).collect()
}

pub(super) fn env_tokens(text: &str) -> Vec<String> {
    text.split(|c: char| !c.is_ascii_alphanumeric())
        .map(str::to_ascii_lowercase)
        .filter(|t| ENVIRONMENT_TOKENS.contains(&t.as_str()))
        .collect()
}

struct SideView<'a> {
    side: Side,
    policies: &'a [NetworkPolicyObject],
    /// The other environment's counterparts of this side's namespaces.
    other_namespaces: BTreeSet<String>,
    /// Tokens naming the other environment and never used by this one.
    other_tokens: BTreeSet<String>,
}

pub(super) fn compare(ctx: &Context<'_>, results: &mut Results) {
    let entries: Vec<(String, String)> = ctx
        .names
        .entries()
        .map(|(f, t, _)| (f.to_string(), t.to_string()))
        .collect();
    let s_tokens = tokens_of(ctx.staging, entries.iter().map(|(f, _)| f.clone()));
    let p_tokens = tokens_of(ctx.production, entries.iter().map(|(_, t)| t.clone()));
    let s_ns = known_namespaces(ctx.staging);
    let p_ns = known_namespaces(ctx.production);
    // The other side's counterparts of this side's namespaces (`shop-production` for
    // `shop-staging`): shared infrastructure namespaces (`monitoring`) never count.
    let s_counterparts: BTreeSet<String> = s_ns
        .iter()
        .map(|ns| ctx.names.to_production(ns).text)
        .filter(|mapped| !s_ns.contains(mapped))
        .collect();
    let p_counterparts: BTreeSet<String> = p_ns
        .iter()
        .map(|ns| ctx.names.to_staging(ns))
        .filter(|mapped| !p_ns.contains(mapped))
        .collect();
    let views = [
        SideView {
            side: Side::Staging,
            policies: &ctx.staging.kube.network_policies,
            other_namespaces: s_counterparts,
            other_tokens: p_tokens.difference(&s_tokens).cloned().collect(),
        },
        SideView {
            side: Side::Production,
            policies: &ctx.production.kube.network_policies,
            other_namespaces: p_counterparts,
            other_tokens: s_tokens.difference(&p_tokens).cloned().collect(),
        },
    ];
    for view in &views {
        for policy in view.policies {
            for (dir, rules) in [
                (Direction::Ingress, &policy.ingress),
                (Direction::Egress, &policy.egress),
            ] {
                check_rules(view, policy, dir, rules, results);
            }
        }
    }
}

fn check_rules(
    view: &SideView<'_>,
    policy: &NetworkPolicyObject,
    dir: Direction,
    rules: &[NetworkRule],
    results: &mut Results,
) {
    let this = match view.side {
        Side::Staging => "staging",
        Side::Production => "production",
    };
    let other = match view.side {
        Side::Staging => "production",
        Side::Production => "staging",
    };
    let mut seen = BTreeSet::new();
    for rule in rules {
        for selector in rule
            .peers
            .iter()
            .filter_map(|p| p.namespace_selector.as_ref())
        {
            let mut pairs: Vec<(&str, &str)> = selector
                .match_labels
                .iter()
                .map(|(k, v)| (k.as_str(), v.as_str()))
                .collect();
            for e in selector
                .match_expressions
                .iter()
                .filter(|e| e.operator == "In")
            {
                pairs.extend(e.values.iter().map(|v| (e.key.as_str(), v.as_str())));
            }
            for (key, value) in pairs {
                let reason = if view.other_namespaces.contains(value) {
                    format!("`{value}` is a {other} namespace")
                } else if let Some(token) = env_tokens(value)
                    .into_iter()
                    .find(|t| view.other_tokens.contains(t))
                {
                    format!("`{token}` names the {other} environment")
                } else {
                    continue;
                };
                if !seen.insert((key.to_string(), value.to_string())) {
                    continue;
                }
                let (from_to, direction) = match dir {
                    Direction::Ingress => ("from", "ingress"),
                    Direction::Egress => ("to", "egress"),
                };
                let name = policy.meta.qualified_name();
                let message = format!(
                    "{this} NetworkPolicy `{name}` allows {direction} {from_to} namespaces selected by `{key}={value}`, and {reason}.",
                );
                let subject = Subject {
                    kind: "k8s-networkpolicy".into(),
                    staging: (view.side == Side::Staging).then(|| name.clone()),
                    production: (view.side == Side::Production).then(|| name.clone()),
                };
                let evidence = Evidence::at(
                    &policy.meta.provenance,
                    rule.line,
                    format!(
                        "{direction} rule in namespace `{}` selects namespaces with `{key}={value}`",
                        namespace_of(policy)
                    ),
                );
                results.add(
                    Finding::new(Rule::NetworkCrossEnvironmentPath, subject, message)
                        .key(format!("side={this};direction={direction};{key}={value}"))
                        .evidence_on(view.side, evidence),
                );
            }
        }
    }
}
