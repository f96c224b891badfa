//! Chains within one environment: each certificate's issuer is looked up among the
//! environment's own certificates (subject name equal to the issuer name and, where both are
//! present, subject key identifier equal to the authority key identifier) up to a self-signed
//! root, and the end of the chain is classified:
//! - **private**: the chain ends at a self-signed root present in the inputs, or at a known
//!   test root (Let's Encrypt's `(STAGING)` roots, `Fake LE`, Pebble);
//! - **public**: the root (present or only named as the last issuer) is one of the well-known
//!   public root CA families below;
//! - **unknown**: otherwise (the root is not among the inputs and its name is not known).

use std::collections::{BTreeMap, BTreeSet};

use crate::model::{CertificateFacts, ChainFacts, Trust};

/// Longest chain followed (real chains have 2–4 certificates).
const MAX_DEPTH: usize = 16;

/// Certificates of one subject name tried as an issuer (a hostile bundle of thousands of
/// same-named certificates must not make linking quadratic).
const MAX_CANDIDATES: usize = 256;

/// Names of well-known public root CAs and their families, matched case-insensitively
/// against the root's distinguished name.
const PUBLIC_ROOTS: &[&str] = &[
    "isrg root",
    "let's encrypt",
    "digicert",
    "amazon root ca",
    "amazon rsa 2048",
    "amazon ecdsa",
    "starfield",
    "globalsign",
    "sectigo",
    "usertrust",
    "comodo",
    "gts root",
    "google trust services",
    "baltimore cybertrust",
    "entrust",
    "go daddy",
    "godaddy",
    "identrust",
    "microsoft rsa root",
    "microsoft ecc root",
    "quovadis",
    "certum",
    "buypass",
    "ssl.com",
    "actalis",
    "harica",
    "t-telesec",
    "d-trust",
    "swisssign",
    "trustwave",
    "zerossl",
    "cloudflare inc",
];

/// Markers of test roots that no client trusts.
const TEST_ROOTS: &[&str] = &["(staging)", "fake le ", "pebble", "happy hacker fake"];

/// Whose trust a root name stands for, when the name alone says so.
pub fn classify_name(root: &str) -> Option<Trust> {
    let lower = root.to_lowercase();
    if TEST_ROOTS.iter().any(|m| lower.contains(m)) {
        return Some(Trust::Private);
    }
    PUBLIC_ROOTS
        .iter()
        .any(|m| lower.contains(m))
        .then_some(Trust::Public)
}

/// Fills every certificate's [`ChainFacts`].
pub fn link(certificates: &mut [CertificateFacts]) {
    let mut by_subject: BTreeMap<&str, Vec<usize>> = BTreeMap::new();
    for (i, cert) in certificates.iter().enumerate() {
        by_subject.entry(cert.subject.as_str()).or_default().push(i);
    }
    // CAs first, then by fingerprint: the first candidate that fits is the issuer.
    for candidates in by_subject.values_mut() {
        candidates.sort_by(|&a, &b| {
            let (a, b) = (&certificates[a], &certificates[b]);
            b.is_ca.cmp(&a.is_ca).then_with(|| a.sha256.cmp(&b.sha256))
        });
    }
    let chains: Vec<ChainFacts> = (0..certificates.len())
        .map(|i| chain(certificates, &by_subject, i))
        .collect();
    for (cert, chain) in certificates.iter_mut().zip(chains) {
        cert.chain = chain;
    }
}

/// The issuer of `cert` among the candidates (sorted CAs first, then by fingerprint).
fn issuer_of(
    certificates: &[CertificateFacts],
    by_subject: &BTreeMap<&str, Vec<usize>>,
    cert: &CertificateFacts,
) -> Option<usize> {
    let candidates = by_subject.get(cert.issuer.as_str())?;
    candidates.iter().copied().take(MAX_CANDIDATES).find(|&j| {
        let candidate = &certificates[j];
        candidate.sha256 != cert.sha256
            && match (&cert.authority_key_id, &candidate.subject_key_id) {
                (Some(aki), Some(ski)) => aki == ski,
                _ => true,
            }
    })
}

fn chain(
    certificates: &[CertificateFacts],
    by_subject: &BTreeMap<&str, Vec<usize>>,
    start: usize,
) -> ChainFacts {
    let mut seen: BTreeSet<&str> = BTreeSet::new();
    let mut current = &certificates[start];
    seen.insert(current.sha256.as_str());
    let mut issuers = Vec::new();
    let (root, root_in_inputs) = loop {
        if current.self_signed {
            break (current.subject.clone(), true);
        }
        if issuers.len() >= MAX_DEPTH {
            break (current.issuer.clone(), false);
        }
        match issuer_of(certificates, by_subject, current) {
            Some(j) if seen.insert(certificates[j].sha256.as_str()) => {
                current = &certificates[j];
                issuers.push(current.subject.clone());
            }
            _ => break (current.issuer.clone(), false),
        }
    };
    let trust = classify_name(&root).unwrap_or(if root_in_inputs {
        Trust::Private
    } else {
        Trust::Unknown
    });
    ChainFacts {
        issuers,
        root,
        root_in_inputs,
        trust,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_of_public_and_test_roots() {
        assert_eq!(
            classify_name("C=US, O=Internet Security Research Group, CN=ISRG Root X1"),
            Some(Trust::Public)
        );
        assert_eq!(
            classify_name("C=US, O=(STAGING) Let's Encrypt, CN=(STAGING) Pretend Pear X1"),
            Some(Trust::Private)
        );
        assert_eq!(classify_name("CN=Acme Internal Root CA"), None);
    }
}
