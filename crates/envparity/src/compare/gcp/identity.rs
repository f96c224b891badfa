//! GCP service accounts as identities: listed in one environment only
//! (`identity-missing-in-staging` / `-in-production`, when both environments list their
//! service accounts), and the very same service account bound in both environments' policies
//! (`identity-shared-across-environments`).

use std::collections::{BTreeMap, BTreeSet};

use envparity_access::gcp::Member;

use super::model::{Built, Renamer};
use super::{evidence, side_word};
use crate::compare::{Context, Results};
use crate::findings::{Dimension, Evidence, Finding, Rule, Side, Subject};
use crate::model::GcpServiceAccount;

const KIND: &str = "gcp-service-account";

/// Service accounts listed by one environment and not by the other (production names),
/// when both environments list service accounts.
pub fn one_sided_accounts(ctx: &Context<'_>, renamer: &Renamer<'_>) -> BTreeSet<String> {
    let (stg, prd) = accounts(ctx, renamer);
    if stg.is_empty() || prd.is_empty() {
        return BTreeSet::new();
    }
    let (s, p): (BTreeSet<&String>, BTreeSet<&String>) =
        (stg.keys().collect(), prd.keys().collect());
    s.symmetric_difference(&p).map(|e| e.to_string()).collect()
}

type Accounts<'a> = BTreeMap<String, &'a GcpServiceAccount>;

/// Each side's service accounts by e-mail in production's names.
fn accounts<'a>(ctx: &Context<'a>, renamer: &Renamer<'_>) -> (Accounts<'a>, Accounts<'a>) {
    let stg = ctx
        .staging
        .gcp
        .service_accounts
        .iter()
        .map(|a| (renamer.to_production(&a.email).0.to_ascii_lowercase(), a))
        .collect();
    let prd = ctx
        .production
        .gcp
        .service_accounts
        .iter()
        .map(|a| (a.email.to_ascii_lowercase(), a))
        .collect();
    (stg, prd)
}

pub fn compare(
    ctx: &Context<'_>,
    renamer: &Renamer<'_>,
    built: &[Built; 2],
    results: &mut Results,
) {
    let (stg, prd) = accounts(ctx, renamer);
    if !stg.is_empty() && !prd.is_empty() {
        let mut identities = 0;
        for (email, account) in &stg {
            identities += 1;
            if !prd.contains_key(email) {
                missing(Side::Staging, account, email, results);
            }
        }
        for (email, account) in &prd {
            if !stg.contains_key(email) {
                identities += 1;
                missing(
                    Side::Production,
                    account,
                    &renamer.to_staging(email),
                    results,
                );
            }
        }
        results.count_compared(Dimension::Identity, identities);
    }
    shared(built, results);
}

fn missing(present_in: Side, account: &GcpServiceAccount, expected: &str, results: &mut Results) {
    let (rule, message) = match present_in {
        Side::Staging => (
            Rule::IdentityMissingInProduction,
            format!(
                "GCP service account `{}` exists only in staging (expected `{expected}` in production)",
                account.email
            ),
        ),
        Side::Production => (
            Rule::IdentityMissingInStaging,
            format!(
                "GCP service account `{}` of production has no staging counterpart (expected `{expected}`), so its controls are never exercised before release",
                account.email
            ),
        ),
    };
    let entry = format!("{KIND}:{}", account.email);
    match present_in {
        Side::Staging => results.staging_only.push(entry),
        Side::Production => results.production_only.push(entry),
    }
    let subject = Subject::one_side(KIND, present_in, account.email.clone());
    let evidence = Evidence::at(
        &account.provenance,
        None,
        format!("service account `{}` is listed here", account.email),
    );
    results.add(Finding::new(rule, subject, message).evidence_on(present_in, evidence));
}

/// Service-account e-mails (as written) bound in a side's policies, with the first binding.
fn bound_accounts(built: &Built) -> BTreeMap<String, usize> {
    let mut out = BTreeMap::new();
    for (i, origin) in built.bindings.iter().enumerate() {
        for m in &origin.members {
            if let Some(email) = Member::parse(m).service_account() {
                out.entry(email.to_string()).or_insert(i);
            }
        }
    }
    out
}

/// `identity-shared-across-environments`: the same e-mail bound in both environments.
fn shared(built: &[Built; 2], results: &mut Results) {
    let (stg, prd) = (bound_accounts(&built[0]), bound_accounts(&built[1]));
    for (email, s) in &stg {
        let Some(p) = prd.get(email) else {
            continue;
        };
        let subject = Subject {
            kind: KIND.to_string(),
            staging: Some(email.clone()),
            production: Some(email.clone()),
        };
        let message = format!(
            "GCP service account `{email}` is bound in both staging and production: one identity serves both environments, so a staging compromise is a production compromise"
        );
        let mut finding = Finding::new(Rule::IdentitySharedAcrossEnvironments, subject, message);
        for (side, built, at) in [
            (Side::Staging, &built[0], s),
            (Side::Production, &built[1], p),
        ] {
            if let Some(origin) = built.bindings.get(*at) {
                let mut e = evidence(origin);
                e.detail = format!("{} in {}", e.detail, side_word(side));
                finding = finding.evidence_on(side, e);
            }
        }
        results.add(finding);
    }
}
