//! HashiCorp Vault / OpenBao: pair auth roles by mount and name and ACL policies by name (both
//! through the name map), compare each role pair's effective ACL (its policies combined,
//! `default` included unless `token_no_default_policy`) and each policy pair with the Vault
//! engine (`access-*` with witness requests), and report roles present on one side only,
//! token lifetimes that differ, roles that admit the other environment's identities and
//! roles that admit the very same identities in both.

mod access;
mod effective;
mod trust;
mod ttl;

use super::{Context, Results};
use crate::correlate::pair_by;
use crate::findings::{Dimension, Evidence, Finding, Rule, Side, Subject};
use crate::model::{VaultPolicy, VaultRole};
use access::Pair;
use envparity_access::vault::one_line;

pub fn compare(ctx: &Context<'_>, results: &mut Results) {
    let (stg, prd) = (&ctx.staging.vault, &ctx.production.vault);
    if stg.is_empty() && prd.is_empty() {
        return;
    }
    let mut compared = 0;
    let mut ttl_pairs = 0;
    let roles = pair_by(&stg.roles, &prd.roles, VaultRole::qualified_name, ctx.names);
    for (s, p, confidence) in &roles.pairs {
        compared += 1;
        ttl_pairs += 1;
        let pair = Pair {
            subject: Subject {
                kind: "vault-role".into(),
                staging: Some(s.qualified_name()),
                production: Some(p.qualified_name()),
            },
            what: format!("Vault role `{}`", one_line(&s.qualified_name())),
            staging: effective::of_role(s, &stg.policies),
            production: effective::of_role(p, &prd.policies),
            confidence: *confidence,
        };
        access::compare_pair(ctx, &pair, results);
        ttl::compare(s, p, results);
        trust::shared(s, p, results);
    }
    for role in &roles.staging_only {
        missing(
            Side::Staging,
            role,
            &ctx.names.to_production(&role.qualified_name()).text,
            results,
        );
    }
    for role in &roles.production_only {
        missing(
            Side::Production,
            role,
            &ctx.names.to_staging(&role.qualified_name()),
            results,
        );
    }
    let policies = pair_by(
        &stg.policies,
        &prd.policies,
        |p: &VaultPolicy| p.name.clone(),
        ctx.names,
    );
    for (s, p, confidence) in &policies.pairs {
        compared += 1;
        let pair = Pair {
            subject: Subject {
                kind: "vault-policy".into(),
                staging: Some(s.name.clone()),
                production: Some(p.name.clone()),
            },
            what: format!("Vault policy `{}`", one_line(&s.name)),
            staging: effective::of_policy(s),
            production: effective::of_policy(p),
            confidence: *confidence,
        };
        access::compare_pair(ctx, &pair, results);
    }
    for p in &policies.staging_only {
        results
            .staging_only
            .push(format!("vault-policy:{}", p.name));
    }
    for p in &policies.production_only {
        results
            .production_only
            .push(format!("vault-policy:{}", p.name));
    }
    let identities = roles.pairs.len() + roles.staging_only.len() + roles.production_only.len();
    results.count_compared(Dimension::Access, compared);
    results.count_compared(Dimension::Identity, identities);
    results.count_compared(Dimension::Secrets, ttl_pairs);
    let checked = trust::cross_environment(ctx, results);
    results.count_compared(Dimension::Trust, checked);
}

/// `identity-missing-in-production` (a staging-only role) or `-in-staging`.
fn missing(present_in: Side, role: &VaultRole, expected: &str, results: &mut Results) {
    let name = role.qualified_name();
    let shown = one_line(&name);
    let (rule, message) = match present_in {
        Side::Staging => (
            Rule::IdentityMissingInProduction,
            format!(
                "Vault role `{shown}` exists only in staging (expected `{}` in production)",
                one_line(expected)
            ),
        ),
        Side::Production => (
            Rule::IdentityMissingInStaging,
            format!(
                "Vault role `{shown}` of production has no staging counterpart (expected `{}`), so its controls are never exercised before release",
                one_line(expected)
            ),
        ),
    };
    let entry = format!("vault-role:{name}");
    match present_in {
        Side::Staging => results.staging_only.push(entry),
        Side::Production => results.production_only.push(entry),
    }
    let subject = Subject::one_side("vault-role", present_in, name.clone());
    let evidence = Evidence::at(
        &role.provenance,
        None,
        format!("role `{shown}` is defined here"),
    );
    results.add(Finding::new(rule, subject, message).evidence_on(present_in, evidence));
}
