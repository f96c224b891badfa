//! `token-ttl-mismatch`: paired workloads whose service-account token is mounted in one
//! environment only or projected with another lifetime or audience, and paired
//! ServiceAccounts with different automount settings.

use crate::compare::config::env::pair_workloads;
use crate::compare::{Context, Results};
use crate::correlate::pair_by;
use crate::findings::{Evidence, Finding, Rule, Subject};
use crate::model::{ServiceAccount, Snapshot, Workload};

/// Kubernetes' default lifetime of a projected service-account token.
const DEFAULT_EXPIRATION_SECONDS: i64 = 3600;

pub(super) fn compare(ctx: &Context<'_>, results: &mut Results) -> usize {
    compare_workloads(ctx, results) + compare_service_accounts(ctx, results)
}

fn service_account<'a>(snapshot: &'a Snapshot, workload: &Workload) -> Option<&'a ServiceAccount> {
    let name = workload.service_account.as_deref().unwrap_or("default");
    snapshot
        .kube
        .service_accounts
        .iter()
        .find(|sa| sa.meta.namespace == workload.meta.namespace && sa.meta.name == name)
}

/// Whether a token is mounted, and what decides it: the pod spec, else the ServiceAccount,
/// else Kubernetes' default (mounted).
fn effective_automount(snapshot: &Snapshot, workload: &Workload) -> (bool, String) {
    if let Some(value) = workload.automount_token {
        return (
            value,
            format!("automountServiceAccountToken: {value} in the pod spec"),
        );
    }
    match service_account(snapshot, workload).and_then(|sa| sa.automount_token.map(|v| (sa, v))) {
        Some((sa, value)) => (
            value,
            format!(
                "automountServiceAccountToken: {value} on ServiceAccount `{}`",
                sa.meta.qualified_name()
            ),
        ),
        None => (
            true,
            "automountServiceAccountToken unset (Kubernetes mounts the token)".to_string(),
        ),
    }
}

/// The projected tokens as comparable text, audiences in production's names.
fn projected(workload: &Workload, map: impl Fn(&str) -> String) -> Vec<String> {
    let mut out: Vec<String> = workload
        .projected_tokens
        .iter()
        .map(|t| {
            let audience = t
                .audience
                .as_deref()
                .map(&map)
                .unwrap_or_else(|| "(API server)".to_string());
            let seconds = t.expiration_seconds.unwrap_or(DEFAULT_EXPIRATION_SECONDS);
            format!("audience `{audience}` expiring after {seconds}s")
        })
        .collect();
    out.sort();
    out
}

fn describe(tokens: &[String]) -> String {
    if tokens.is_empty() {
        "no projected token".to_string()
    } else {
        tokens.join("; ")
    }
}

/// True when neither pod spec decides and both ServiceAccounts are present and paired: the
/// ServiceAccount finding already reports the difference.
fn decided_by_paired_accounts(ctx: &Context<'_>, s: &Workload, p: &Workload) -> bool {
    if s.automount_token.is_some() || p.automount_token.is_some() {
        return false;
    }
    match (
        service_account(ctx.staging, s),
        service_account(ctx.production, p),
    ) {
        (Some(s_sa), Some(p_sa)) => {
            let s_name = s_sa.meta.qualified_name();
            let p_name = p_sa.meta.qualified_name();
            s_name == p_name || ctx.names.to_production(&s_name).text == p_name
        }
        _ => false,
    }
}

fn compare_workloads(ctx: &Context<'_>, results: &mut Results) -> usize {
    let paired = pair_workloads(ctx);
    let compared = paired.pairs.len();
    for (s, p, confidence) in paired.pairs {
        let subject = || Subject {
            kind: "workload".to_string(),
            staging: Some(s.meta.qualified_name()),
            production: Some(p.meta.qualified_name()),
        };
        let (s_mount, s_why) = effective_automount(ctx.staging, s);
        let (p_mount, p_why) = effective_automount(ctx.production, p);
        if s_mount != p_mount && !decided_by_paired_accounts(ctx, s, p) {
            let (mounted, not) = if s_mount {
                ("staging", "production")
            } else {
                ("production", "staging")
            };
            let message = format!(
                "{} `{}` gets a service-account token mounted in {mounted} but not in {not}; use the same automountServiceAccountToken setting in both.",
                s.meta.kind,
                p.meta.qualified_name(),
            );
            results.add(
                Finding::new(Rule::TokenTtlMismatch, subject(), message)
                    .confidence(confidence)
                    .key(format!("{}:automount:{s_mount}->{p_mount}", s.meta.kind))
                    .staging_evidence(Evidence::at(&s.meta.provenance, None, s_why))
                    .production_evidence(Evidence::at(&p.meta.provenance, None, p_why)),
            );
        }
        let s_tokens = projected(s, |a| ctx.names.to_production(a).text);
        let p_tokens = projected(p, str::to_string);
        if s_tokens != p_tokens {
            let message = format!(
                "{} `{}` projects a service-account token with {} in staging but {} in production; use the same lifetime and audience in both.",
                s.meta.kind,
                p.meta.qualified_name(),
                describe(&s_tokens),
                describe(&p_tokens),
            );
            results.add(
                Finding::new(Rule::TokenTtlMismatch, subject(), message)
                    .confidence(confidence)
                    .key(format!(
                        "{}:projected:{}->{}",
                        s.meta.kind,
                        describe(&s_tokens),
                        describe(&p_tokens)
                    ))
                    .staging_evidence(Evidence::at(&s.meta.provenance, None, describe(&s_tokens)))
                    .production_evidence(Evidence::at(
                        &p.meta.provenance,
                        None,
                        describe(&p_tokens),
                    )),
            );
        }
    }
    compared
}

fn compare_service_accounts(ctx: &Context<'_>, results: &mut Results) -> usize {
    let paired = pair_by(
        &ctx.staging.kube.service_accounts,
        &ctx.production.kube.service_accounts,
        |sa| sa.meta.qualified_name(),
        ctx.names,
    );
    let compared = paired.pairs.len();
    for (s, p, confidence) in paired.pairs {
        let s_mount = s.automount_token.unwrap_or(true);
        let p_mount = p.automount_token.unwrap_or(true);
        if s_mount == p_mount {
            continue;
        }
        let shown = |v: Option<bool>| v.map_or("unset (mounted)".to_string(), |v| v.to_string());
        let message = format!(
            "ServiceAccount `{}` has automountServiceAccountToken {} in staging but {} in production; use the same setting in both.",
            p.meta.qualified_name(),
            shown(s.automount_token),
            shown(p.automount_token),
        );
        let subject = Subject {
            kind: "k8s-serviceaccount".to_string(),
            staging: Some(s.meta.qualified_name()),
            production: Some(p.meta.qualified_name()),
        };
        results.add(
            Finding::new(Rule::TokenTtlMismatch, subject, message)
                .confidence(confidence)
                .key(format!("automount:{s_mount}->{p_mount}"))
                .staging_evidence(Evidence::at(
                    &s.meta.provenance,
                    None,
                    format!("automountServiceAccountToken: {}", shown(s.automount_token)),
                ))
                .production_evidence(Evidence::at(
                    &p.meta.provenance,
                    None,
                    format!("automountServiceAccountToken: {}", shown(p.automount_token)),
                )),
        );
    }
    compared
}
