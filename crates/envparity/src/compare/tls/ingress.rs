//! `tls-trust-mismatch` for paired Ingresses: TLS terminated for a host in one environment
//! and not in the other.

use crate::compare::{Context, Results};
use crate::correlate::pair_by;
use crate::findings::{Confidence, Evidence, Finding, Rule, Subject};
use crate::model::IngressObject;

/// The hosts a `tls` section covers; an entry without hosts covers the default host (`*`).
fn tls_hosts(ingress: &IngressObject) -> Vec<String> {
    let mut out: Vec<String> = ingress
        .tls
        .iter()
        .flat_map(|t| {
            if t.hosts.is_empty() {
                vec!["*".to_string()]
            } else {
                t.hosts.clone()
            }
        })
        .collect();
    out.sort();
    out.dedup();
    out
}

fn covered(tls: &[String], host: &str) -> bool {
    tls.iter().any(|t| {
        t == "*"
            || t == host
            || t.strip_prefix("*.")
                .is_some_and(|suffix| host.split_once('.').is_some_and(|(_, rest)| rest == suffix))
    })
}

fn list(hosts: &[String]) -> String {
    hosts
        .iter()
        .map(|h| format!("`{h}`"))
        .collect::<Vec<_>>()
        .join(", ")
}

pub(super) fn compare(ctx: &Context<'_>, results: &mut Results) -> usize {
    let paired = pair_by(
        &ctx.staging.kube.ingresses,
        &ctx.production.kube.ingresses,
        |i| i.meta.qualified_name(),
        ctx.names,
    );
    let compared = paired.pairs.len();
    for (s, p, confidence) in paired.pairs {
        let s_tls = tls_hosts(s);
        let p_tls = tls_hosts(p);
        if s_tls.is_empty() != p_tls.is_empty() {
            let (with, without, hosts) = if s_tls.is_empty() {
                ("production", "staging", &p_tls)
            } else {
                ("staging", "production", &s_tls)
            };
            let message = format!(
                "Ingress `{}` terminates TLS for {} in {with} but has no tls section in {without}; serve the same hosts over TLS in both environments.",
                p.meta.qualified_name(),
                list(hosts),
            );
            add(
                results,
                s,
                p,
                confidence,
                message,
                format!("no-tls-in:{without}"),
            );
            continue;
        }
        // Hosts that pair once staging's are written in production's names (or the only host
        // of each side).
        for s_host in &s.hosts {
            let mapped = ctx.names.to_production(s_host).text;
            let only_hosts = s.hosts.len() == 1 && p.hosts.len() == 1;
            let found = p.hosts.iter().find(|h| **h == mapped || *h == s_host);
            let Some(p_host) = found.or(if only_hosts { p.hosts.first() } else { None }) else {
                continue;
            };
            let s_has = covered(&s_tls, s_host);
            let p_has = covered(&p_tls, p_host);
            if s_has == p_has {
                continue;
            }
            let (with, without) = if s_has {
                ("staging", "production")
            } else {
                ("production", "staging")
            };
            let message = format!(
                "Ingress `{}` serves host `{p_host}` over TLS in {with} but not in {without} (staging host `{s_host}`); add the host to the tls section in {without}.",
                p.meta.qualified_name(),
            );
            add(
                results,
                s,
                p,
                confidence,
                message,
                format!("host:{p_host}:no-tls-in:{without}"),
            );
        }
    }
    compared
}

fn add(
    results: &mut Results,
    s: &IngressObject,
    p: &IngressObject,
    confidence: Confidence,
    message: String,
    key: String,
) {
    let detail = |i: &IngressObject| {
        let hosts = tls_hosts(i);
        if hosts.is_empty() {
            "no tls section".to_string()
        } else {
            format!("tls for {}", list(&hosts))
        }
    };
    let subject = Subject {
        kind: "k8s-ingress".to_string(),
        staging: Some(s.meta.qualified_name()),
        production: Some(p.meta.qualified_name()),
    };
    results.add(
        Finding::new(Rule::TlsTrustMismatch, subject, message)
            .confidence(confidence)
            .key(key)
            .staging_evidence(Evidence::at(&s.meta.provenance, None, detail(s)))
            .production_evidence(Evidence::at(&p.meta.provenance, None, detail(p))),
    );
}
