//! `trust-cross-environment` for GCP: a binding in one environment whose member is a
//! service account of the other environment (its project belongs to the other environment
//! and not to this one). On a service account's own policy with a role that lets the member
//! act as it (`roles/iam.serviceAccountTokenCreator`, `roles/iam.serviceAccountUser`,
//! `roles/iam.workloadIdentityUser`), the message says so.

use std::collections::BTreeSet;

use envparity_access::gcp::Member;

use super::model::Built;
use super::{evidence, index, side_word};
use crate::compare::{Context, Results};
use crate::findings::{Dimension, Finding, Rule, Side, Subject};
use crate::model::{GcpObjects, service_account_project};

const ACT_AS: [&str; 3] = [
    "roles/iam.serviceAccountTokenCreator",
    "roles/iam.serviceAccountUser",
    "roles/iam.workloadIdentityUser",
];

/// The project ids (and numbers) an environment's inputs belong to.
fn projects(gcp: &GcpObjects) -> BTreeSet<String> {
    let mut out = BTreeSet::new();
    let mut add = |name: &str| {
        if let Some(id) = name
            .strip_prefix("projects/")
            .and_then(|r| r.split('/').next())
            && !id.is_empty()
            && id != "_"
            && id != "-"
        {
            out.insert(id.to_string());
        }
    };
    for p in &gcp.policies {
        if let Some(r) = &p.resource
            && !r.contains("/serviceAccounts/")
        {
            add(r);
        }
    }
    for r in &gcp.resources {
        add(&r.name);
        r.aliases.iter().for_each(|a| add(a));
    }
    for a in &gcp.service_accounts {
        if let Some(p) = &a.project_id {
            out.insert(p.clone());
        }
    }
    out
}

/// The project of a service account: from the other environment's list, else its e-mail.
fn project_of(email: &str, gcp: &GcpObjects) -> Option<String> {
    gcp.service_accounts
        .iter()
        .find(|a| a.email.eq_ignore_ascii_case(email))
        .and_then(|a| a.project_id.clone())
        .or_else(|| service_account_project(email).map(str::to_string))
}

pub fn compare(ctx: &Context<'_>, built: &[Built; 2], results: &mut Results) {
    let gcp = [&ctx.staging.gcp, &ctx.production.gcp];
    let owned = [projects(gcp[0]), projects(gcp[1])];
    let mut checked = 0;
    let mut seen = BTreeSet::new();
    for side in [Side::Staging, Side::Production] {
        let (own, other) = (index(side), 1 - index(side));
        checked += built[own].model.allow.len();
        for origin in &built[own].bindings {
            for m in &origin.members {
                let Some(email) = Member::parse(m).service_account().map(str::to_string) else {
                    continue;
                };
                let Some(project) = project_of(&email, gcp[other]) else {
                    continue;
                };
                if !owned[other].contains(&project) || owned[own].contains(&project) {
                    continue;
                }
                let resource = origin.resource.as_deref().unwrap_or("an unknown resource");
                if !seen.insert((
                    own,
                    email.clone(),
                    resource.to_string(),
                    origin.role.clone(),
                )) {
                    continue;
                }
                let other_word = side_word(side.other());
                let act_as = ACT_AS.contains(&origin.role.as_str())
                    && resource.contains("/serviceAccounts/");
                let message = if act_as {
                    format!(
                        "{other_word} service account `{email}` may act as `{resource}` of {} through `{}`",
                        side_word(side),
                        origin.role
                    )
                } else {
                    format!(
                        "{other_word} service account `{email}` is granted `{}` on `{resource}` in {}",
                        origin.role,
                        side_word(side)
                    )
                };
                let subject = Subject::one_side("gcp-service-account", side, email.clone());
                let finding = Finding::new(Rule::TrustCrossEnvironment, subject, message)
                    .key(format!("{}|{resource}|{}", side_word(side), origin.role))
                    .evidence_on(side, evidence(origin));
                results.add(finding);
            }
        }
    }
    results.count_compared(Dimension::Trust, checked);
}
