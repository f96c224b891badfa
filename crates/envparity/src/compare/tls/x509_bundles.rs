//! `tls-trust-mismatch` for paired trust bundles (files or keys holding only CA certificates,
//! such as `ca-bundle.pem` or a Secret's `ca.crt`): the CAs one environment trusts that the
//! other does not, compared by name with environment tokens normalized; the CAs both trust go
//! to `x509_weak` for their key and signature.

use std::collections::BTreeMap;

use super::x509::{Bundle, env_normalized, staging_form, subject};
use super::x509_weak;
use crate::compare::{Context, Results};
use crate::findings::{Confidence, Evidence, Finding, Rule};
use crate::model::CertificateFacts;

fn list(names: &[&str]) -> String {
    names
        .iter()
        .map(|n| format!("`{n}`"))
        .collect::<Vec<_>>()
        .join(", ")
}

/// Two bundles of CA certificates: the roots each trusts that the other does not, and the
/// key and signature of the CAs both trust.
pub(super) fn compare(
    ctx: &Context<'_>,
    (s, p): (&Bundle<'_>, &Bundle<'_>),
    confidence: Confidence,
    results: &mut Results,
) {
    let s_names: BTreeMap<String, &CertificateFacts> = s
        .certs
        .iter()
        .map(|c| (staging_form(ctx, &c.subject), *c))
        .collect();
    let p_names: BTreeMap<String, &CertificateFacts> = p
        .certs
        .iter()
        .map(|c| (env_normalized(&c.subject), *c))
        .collect();
    for (name, s_cert) in &s_names {
        if let Some(p_cert) = p_names.get(name) {
            let subject = subject(s, p, Some((s_cert.name(), p_cert.name())));
            x509_weak::compare((s_cert, p_cert), &subject, confidence, false, results);
        }
    }
    let extra_s: Vec<&str> = s_names
        .iter()
        .filter(|(n, _)| !p_names.contains_key(*n))
        .map(|(_, c)| c.subject.as_str())
        .collect();
    let extra_p: Vec<&str> = p_names
        .iter()
        .filter(|(n, _)| !s_names.contains_key(*n))
        .map(|(_, c)| c.subject.as_str())
        .collect();
    if extra_s.is_empty() && extra_p.is_empty() {
        return;
    }
    let mut parts = Vec::new();
    if !extra_s.is_empty() {
        parts.push(format!("staging's also trusts {}", list(&extra_s)));
    }
    if !extra_p.is_empty() {
        parts.push(format!("production's also trusts {}", list(&extra_p)));
    }
    let message = format!(
        "Trust bundle `{}` differs: {}; trust the same CAs in both environments.",
        p.name,
        parts.join("; "),
    );
    let normalized = |extra: &[&str], staging: bool| {
        extra
            .iter()
            .map(|n| {
                if staging {
                    staging_form(ctx, n)
                } else {
                    env_normalized(n)
                }
            })
            .collect::<Vec<_>>()
            .join("|")
    };
    let key = format!(
        "bundle:+{}-{}",
        normalized(&extra_s, true),
        normalized(&extra_p, false)
    );
    let detail = |b: &Bundle<'_>| {
        format!("{} certificate(s): {}", b.certs.len(), {
            let names: Vec<&str> = b.certs.iter().map(|c| c.name()).collect();
            list(&names)
        })
    };
    let first = |b: &Bundle<'_>| b.certs.first().map(|c| c.origin.provenance.clone());
    let mut finding = Finding::new(Rule::TlsTrustMismatch, subject(s, p, None), message)
        .confidence(confidence)
        .key(key);
    if let Some(at) = first(s) {
        finding = finding.staging_evidence(Evidence::at(&at, None, detail(s)));
    }
    if let Some(at) = first(p) {
        finding = finding.production_evidence(Evidence::at(&at, None, detail(p)));
    }
    results.add(finding);
}
