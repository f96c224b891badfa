//! X.509 certificates read from files and objects: bundles paired across environments (by
//! bundle name through the name map, then with environment tokens normalized, then a served
//! certificate by its common name or first DNS name), and `tls-trust-mismatch` for a
//! different issuing CA or root, a private CA against a public one, or a trust bundle that
//! trusts roots the other does not. Key, signature and validity go to `x509_weak`.

use std::collections::{BTreeMap, BTreeSet};

use super::{x509_bundles, x509_weak};
use crate::compare::config::sites::{base_name, object_name};
use crate::compare::{Context, Results};
use crate::correlate::{ENVIRONMENT_TOKENS, pair_by};
use crate::findings::{Confidence, Evidence, Finding, Rule, Subject};
use crate::model::{CertificateFacts, Snapshot, Trust};

/// The certificates of one file, or of one key of one object, in bundle order.
pub(super) struct Bundle<'a> {
    pub name: String,
    /// The name pairs are found by: objects without kustomize's hash suffix.
    key: String,
    pub certs: Vec<&'a CertificateFacts>,
}

impl<'a> Bundle<'a> {
    /// The certificate served from this bundle: its first certificate that is not a CA.
    pub fn leaf(&self) -> Option<&'a CertificateFacts> {
        self.certs.iter().copied().find(|c| !c.is_ca)
    }
}

fn bundles(snapshot: &Snapshot) -> Vec<Bundle<'_>> {
    let mut by_name: BTreeMap<&str, Bundle<'_>> = BTreeMap::new();
    for cert in &snapshot.tls.certificates {
        let origin = &cert.origin;
        let bundle = by_name.entry(origin.bundle.as_str()).or_insert_with(|| {
            let key = match &origin.object {
                Some(o) => {
                    let kind = o.kind.to_ascii_lowercase();
                    let object = object_name(o.namespace.as_deref(), &kind, base_name(&o.name));
                    format!("{object}:{}", o.key)
                }
                None => origin.bundle.clone(),
            };
            Bundle {
                name: origin.bundle.clone(),
                key,
                certs: Vec::new(),
            }
        });
        bundle.certs.push(cert);
    }
    let mut out: Vec<Bundle<'_>> = by_name.into_values().collect();
    for bundle in &mut out {
        bundle
            .certs
            .sort_by_key(|c| (c.origin.index, c.origin.provenance.line));
    }
    out
}

/// `text` in lower case with every environment token replaced by `env`, so that
/// `CN=Acme Staging CA` and `CN=Acme Production CA` compare equal.
pub(super) fn env_normalized(text: &str) -> String {
    let lower = text.to_lowercase();
    let mut out = String::with_capacity(lower.len());
    let mut token = String::new();
    let flush = |token: &mut String, out: &mut String| {
        if ENVIRONMENT_TOKENS.contains(&token.as_str()) {
            out.push_str("env");
        } else {
            out.push_str(token);
        }
        token.clear();
    };
    for c in lower.chars() {
        if c.is_ascii_alphanumeric() {
            token.push(c);
        } else {
            flush(&mut token, &mut out);
            out.push(c);
        }
    }
    flush(&mut token, &mut out);
    out
}

/// A staging name in production's vocabulary, environment tokens normalized.
pub(super) fn staging_form(ctx: &Context<'_>, text: &str) -> String {
    env_normalized(&ctx.names.to_production(text).text)
}

/// The name a served certificate is known by: its common name, else its first DNS name.
fn identity(cert: &CertificateFacts) -> Option<&str> {
    cert.common_name
        .as_deref()
        .or_else(|| cert.sans.iter().find_map(|s| s.strip_prefix("DNS:")))
}

type Pairs<'b, 'a> = Vec<(&'b Bundle<'a>, &'b Bundle<'a>, Confidence)>;

/// The fallback pairing keys, tried in order once mapped names are exhausted.
#[derive(Debug, Clone, Copy)]
enum Fallback {
    /// The bundle name with environment tokens normalized.
    Name,
    /// The served certificate's common name or first DNS name, normalized the same way.
    Identity,
}

fn fallback_key(
    ctx: &Context<'_>,
    fallback: Fallback,
    b: &Bundle<'_>,
    staging: bool,
) -> Option<String> {
    let text = match fallback {
        Fallback::Name => b.key.as_str(),
        Fallback::Identity => identity(b.leaf()?)?,
    };
    Some(if staging {
        staging_form(ctx, text)
    } else {
        env_normalized(text)
    })
}

/// Keys that exactly one of `items` has, with that item's index.
fn unique_keys(
    ctx: &Context<'_>,
    fallback: Fallback,
    items: &[&Bundle<'_>],
    staging: bool,
) -> BTreeMap<String, usize> {
    let mut seen: BTreeMap<String, Vec<usize>> = BTreeMap::new();
    for (i, b) in items.iter().enumerate() {
        if let Some(k) = fallback_key(ctx, fallback, b, staging) {
            seen.entry(k).or_default().push(i);
        }
    }
    seen.into_iter()
        .filter_map(|(k, v)| (v.len() == 1).then(|| (k, v[0])))
        .collect()
}

/// Pairs by mapped bundle name, then by normalized name, then served certificates by name.
fn pair<'b, 'a>(
    ctx: &Context<'_>,
    staging: &'b [Bundle<'a>],
    production: &'b [Bundle<'a>],
    results: &mut Results,
) -> Pairs<'b, 'a> {
    let paired = pair_by(staging, production, |b| b.key.clone(), ctx.names);
    let mut pairs = paired.pairs;
    let mut rest_s = paired.staging_only;
    let mut rest_p = paired.production_only;
    for fallback in [Fallback::Name, Fallback::Identity] {
        let s_keys = unique_keys(ctx, fallback, &rest_s, true);
        let p_keys = unique_keys(ctx, fallback, &rest_p, false);
        let mut used_s = BTreeSet::new();
        let mut used_p = BTreeSet::new();
        for (k, &i) in &s_keys {
            if let Some(&j) = p_keys.get(k) {
                pairs.push((rest_s[i], rest_p[j], Confidence::Likely));
                used_s.insert(i);
                used_p.insert(j);
            }
        }
        rest_s = keep(rest_s, &used_s);
        rest_p = keep(rest_p, &used_p);
    }
    let only = |b: &&Bundle<'_>| format!("certificate:{}", b.name);
    results.staging_only.extend(rest_s.iter().map(only));
    results.production_only.extend(rest_p.iter().map(only));
    pairs.sort_by(|a, b| {
        a.1.name
            .cmp(&b.1.name)
            .then_with(|| a.0.name.cmp(&b.0.name))
    });
    pairs
}

fn keep<'b, 'a>(items: Vec<&'b Bundle<'a>>, used: &BTreeSet<usize>) -> Vec<&'b Bundle<'a>> {
    items
        .into_iter()
        .enumerate()
        .filter_map(|(i, b)| (!used.contains(&i)).then_some(b))
        .collect()
}

pub(super) fn compare(ctx: &Context<'_>, results: &mut Results) -> usize {
    let staging = bundles(ctx.staging);
    let production = bundles(ctx.production);
    let pairs = pair(ctx, &staging, &production, results);
    for (s, p, confidence) in &pairs {
        match (s.leaf(), p.leaf()) {
            (Some(s_leaf), Some(p_leaf)) => {
                let subject = subject(s, p, None);
                leaf_trust(ctx, (s_leaf, p_leaf), &subject, *confidence, results);
                x509_weak::compare((s_leaf, p_leaf), &subject, *confidence, true, results);
            }
            (None, None) => x509_bundles::compare(ctx, (s, p), *confidence, results),
            // A served certificate against a bundle of CAs: not the same role.
            _ => {}
        }
    }
    pairs.len()
}

pub(super) fn subject(s: &Bundle<'_>, p: &Bundle<'_>, name: Option<(&str, &str)>) -> Subject {
    let (s_name, p_name) = match name {
        Some((sn, pn)) => (format!("{}#{sn}", s.name), format!("{}#{pn}", p.name)),
        None => (s.name.clone(), p.name.clone()),
    };
    Subject {
        kind: "certificate".to_string(),
        staging: Some(s_name),
        production: Some(p_name),
    }
}

fn trust_detail(cert: &CertificateFacts) -> String {
    format!(
        "`{}` issued by `{}`, root `{}` ({})",
        cert.name(),
        cert.issuer,
        cert.chain.root,
        cert.chain.trust.as_str()
    )
}

/// A private CA is one whose root is among the inputs; say so in messages.
fn trust_phrase(trust: Trust) -> &'static str {
    match trust {
        Trust::Private => "a private CA",
        Trust::Public => "a public CA",
        Trust::Unknown => "a CA of unknown standing",
    }
}

fn leaf_trust(
    ctx: &Context<'_>,
    (s, p): (&CertificateFacts, &CertificateFacts),
    subject: &Subject,
    confidence: Confidence,
    results: &mut Results,
) {
    let s_issuer = staging_form(ctx, &s.issuer);
    let p_issuer = env_normalized(&p.issuer);
    let s_root = staging_form(ctx, &s.chain.root);
    let p_root = env_normalized(&p.chain.root);
    let mut why = Vec::new();
    let mut key = Vec::new();
    if s_issuer != p_issuer {
        why.push(format!(
            "it is issued by `{}` in staging but by `{}` in production",
            s.issuer, p.issuer
        ));
        key.push(format!("issuer:{s_issuer}->{p_issuer}"));
    } else if s_root != p_root {
        why.push(format!(
            "it chains to root `{}` in staging but to `{}` in production",
            s.chain.root, p.chain.root
        ));
        key.push(format!("root:{s_root}->{p_root}"));
    }
    let classes = (s.chain.trust, p.chain.trust);
    if classes.0 != classes.1 && classes.0 != Trust::Unknown && classes.1 != Trust::Unknown {
        why.push(format!(
            "staging's chain ends at {} but production's at {}",
            trust_phrase(classes.0),
            trust_phrase(classes.1)
        ));
        key.push(format!(
            "trust:{}->{}",
            classes.0.as_str(),
            classes.1.as_str()
        ));
    }
    if why.is_empty() {
        return;
    }
    let message = format!(
        "Certificate `{}` of `{}`: {}; issue staging's certificate from a CA with production's chain.",
        p.name(),
        p.origin.bundle,
        why.join("; "),
    );
    results.add(
        Finding::new(Rule::TlsTrustMismatch, subject.clone(), message)
            .confidence(confidence)
            .key(key.join(";"))
            .staging_evidence(Evidence::at(&s.origin.provenance, None, trust_detail(s)))
            .production_evidence(Evidence::at(&p.origin.provenance, None, trust_detail(p))),
    );
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn environment_tokens_are_normalized() {
        assert_eq!(env_normalized("CN=Acme Staging CA"), "cn=acme env ca");
        assert_eq!(
            env_normalized("CN=Acme Staging CA"),
            env_normalized("CN=Acme Production CA")
        );
        assert_ne!(env_normalized("CN=Acme CA"), env_normalized("CN=Other CA"));
        assert_eq!(env_normalized("api.stg.example.com"), "api.env.example.com");
        assert_eq!(env_normalized("stagingx"), "stagingx");
    }
}
