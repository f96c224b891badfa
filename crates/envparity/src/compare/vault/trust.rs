//! Who may log in through a Vault role, across environments: `trust-cross-environment` when a
//! role of one environment admits an identity named for the other (a Kubernetes namespace or
//! service account, a JWT/OIDC subject, claim or audience carrying the other environment's
//! name token, or a namespace only the other environment's cluster has), and
//! `identity-shared-across-environments` when paired roles admit exactly the same identities.

use std::collections::BTreeSet;

use envparity_access::vault::one_line;

use crate::compare::{Context, Results};
use crate::findings::{Confidence, Evidence, Finding, Rule, Side, Subject};
use crate::model::{Snapshot, VaultRole};

/// Names by which an environment is commonly called (whole tokens).
const ALIASES: [&[&str]; 5] = [
    &["production", "prod", "prd", "live"],
    &["staging", "stg", "stage"],
    &["development", "dev"],
    &["sandbox"],
    &["qa", "uat", "test"],
];

fn tokens(text: &str) -> BTreeSet<String> {
    text.split(|c: char| !c.is_ascii_alphanumeric())
        .filter(|t| !t.is_empty())
        .map(str::to_ascii_lowercase)
        .collect()
}

/// The tokens that name each environment: the mapping's tokens of each side (those the other
/// side's do not share), and the environment's name with its usual aliases.
fn environment_tokens(ctx: &Context<'_>) -> [BTreeSet<String>; 2] {
    let mut staging: BTreeSet<String> = BTreeSet::new();
    let mut production: BTreeSet<String> = BTreeSet::new();
    for (from, to, _) in ctx.names.entries() {
        staging.extend(tokens(from));
        production.extend(tokens(to));
    }
    for (set, name) in [
        (&mut staging, &ctx.staging.environment),
        (&mut production, &ctx.production.environment),
    ] {
        let name = name.to_ascii_lowercase();
        set.extend(tokens(&name));
        if let Some(group) = ALIASES.iter().find(|g| g.contains(&name.as_str())) {
            set.extend(group.iter().map(|s| s.to_string()));
        }
    }
    let common: BTreeSet<String> = staging.intersection(&production).cloned().collect();
    staging.retain(|t| !common.contains(t));
    production.retain(|t| !common.contains(t));
    [staging, production]
}

fn namespaces(snapshot: &Snapshot) -> BTreeSet<&str> {
    snapshot
        .kube
        .namespaces
        .iter()
        .map(|m| m.name.as_str())
        .collect()
}

fn side_word(side: Side) -> &'static str {
    match side {
        Side::Staging => "staging",
        Side::Production => "production",
    }
}

/// The role field a binding kind was read from (`bound_claims.env` → `bound_claims`).
fn field(kind: &str) -> &str {
    kind.split('.').next().unwrap_or(kind)
}

pub fn cross_environment(ctx: &Context<'_>, results: &mut Results) -> usize {
    let env_tokens = environment_tokens(ctx);
    let own_namespaces = [namespaces(ctx.staging), namespaces(ctx.production)];
    let mut checked = 0;
    for (side, snapshot) in [
        (Side::Staging, ctx.staging),
        (Side::Production, ctx.production),
    ] {
        let (own, other) = match side {
            Side::Staging => (0, 1),
            Side::Production => (1, 0),
        };
        for role in &snapshot.vault.roles {
            checked += 1;
            for (kind, value) in role.bindings() {
                let value_tokens = tokens(&value);
                let named_token = value_tokens
                    .iter()
                    .find(|t| env_tokens[other].contains(*t) && !env_tokens[own].contains(*t));
                let other_namespace = kind == "bound_service_account_namespaces"
                    && own_namespaces[other].contains(value.as_str())
                    && !own_namespaces[own].contains(value.as_str());
                let why = match (named_token, other_namespace) {
                    (_, true) => format!("a namespace of {}'s cluster", side_word(side.other())),
                    (Some(token), false) => {
                        format!("which names {} (`{token}`)", side_word(side.other()))
                    }
                    (None, false) => continue,
                };
                let message = format!(
                    "{} Vault role `{}` admits `{}` `{}`, {why}: identities of {} can log in to {}'s Vault",
                    side_word(side),
                    one_line(&role.qualified_name()),
                    one_line(&kind),
                    one_line(&value),
                    side_word(side.other()),
                    side_word(side)
                );
                let subject = Subject::one_side("vault-role", side, role.qualified_name());
                let evidence = Evidence::at(
                    &role.at(field(&kind)),
                    None,
                    format!("`{}` includes `{}`", one_line(&kind), one_line(&value)),
                );
                results.add(
                    Finding::new(Rule::TrustCrossEnvironment, subject, message)
                        .key(format!("{}|{kind}|{value}", side_word(side)))
                        .evidence_on(side, evidence),
                );
            }
        }
    }
    checked
}

/// `identity-shared-across-environments`: the paired roles admit the very same identities
/// (wildcards aside): the very same names, not names the mapping pairs.
pub fn shared(stg: &VaultRole, prd: &VaultRole, results: &mut Results) {
    let concrete = |role: &VaultRole| -> BTreeSet<(String, String)> {
        role.bindings()
            .into_iter()
            .filter(|(_, v)| v != "*" && !v.is_empty())
            .collect()
    };
    let (s, p) = (concrete(stg), concrete(prd));
    if s.is_empty() || s != p {
        return;
    }
    // Kubernetes names repeat across clusters; a JWT/OIDC subject or claim is one identity.
    let kubernetes_only = s
        .iter()
        .all(|(k, _)| k.starts_with("bound_service_account"));
    let shown: Vec<String> = s
        .iter()
        .map(|(k, v)| format!("`{}` `{}`", one_line(k), one_line(v)))
        .collect();
    let message = format!(
        "Vault role `{}` admits the same identities in staging and production ({}): one credential can log in to both environments",
        one_line(&prd.qualified_name()),
        shown.join(", ")
    );
    let subject = Subject {
        kind: "vault-role".into(),
        staging: Some(stg.qualified_name()),
        production: Some(prd.qualified_name()),
    };
    let confidence = if kubernetes_only {
        Confidence::Likely
    } else {
        Confidence::Proven
    };
    let key: Vec<String> = s.iter().map(|(k, v)| format!("{k}={v}")).collect();
    let first = s
        .iter()
        .next()
        .map(|(k, _)| field(k).to_string())
        .unwrap_or_default();
    results.add(
        Finding::new(Rule::IdentitySharedAcrossEnvironments, subject, message)
            .confidence(confidence)
            .key(key.join("|"))
            .staging_evidence(Evidence::at(
                &stg.at(&first),
                None,
                "admits these identities",
            ))
            .production_evidence(Evidence::at(
                &prd.at(&first),
                None,
                "admits these identities",
            )),
    );
}
