//! `tls-trust-mismatch` for cert-manager: paired Issuers/ClusterIssuers of another kind, ACME
//! server, CA secret or Vault path, and paired Certificates issued by different issuers.

use crate::compare::{Context, Results};
use crate::correlate::pair_by;
use crate::findings::{Confidence, Evidence, Finding, Rule, Subject};
use crate::model::{CertificateObject, IssuerKind, IssuerObject, Snapshot};

const LETSENCRYPT_STAGING: &str = "acme-staging-v02.api.letsencrypt.org";
const LETSENCRYPT_PRODUCTION: &str = "acme-v02.api.letsencrypt.org";

fn kind_name(kind: &IssuerKind) -> String {
    match kind {
        IssuerKind::Acme { .. } => "ACME".to_string(),
        IssuerKind::Ca { .. } => "CA".to_string(),
        IssuerKind::SelfSigned => "self-signed".to_string(),
        IssuerKind::Vault { .. } => "Vault".to_string(),
        IssuerKind::Other { name } => format!("`{name}`"),
    }
}

fn describe(kind: &IssuerKind) -> String {
    match kind {
        IssuerKind::Acme { server } => format!("ACME server `{server}`"),
        IssuerKind::Ca { secret_name } => format!("CA from Secret `{secret_name}`"),
        IssuerKind::SelfSigned => "self-signed".to_string(),
        IssuerKind::Vault { server, path } => format!("Vault `{server}` path `{path}`"),
        IssuerKind::Other { name } => format!("`{name}` issuer"),
    }
}

/// Why two issuers do not establish the same trust, or `None` when they do.
/// Returns (sentence fragment, fingerprint key).
pub(super) fn trust_difference(
    ctx: &Context<'_>,
    s: &IssuerKind,
    p: &IssuerKind,
) -> Option<(String, String)> {
    let same = |a: &str, b: &str| a == b || ctx.names.to_production(a).text == b;
    match (s, p) {
        (IssuerKind::Acme { server: a }, IssuerKind::Acme { server: b }) => {
            if same(a, b) {
                return None;
            }
            if a.contains(LETSENCRYPT_STAGING) && b.contains(LETSENCRYPT_PRODUCTION) {
                return Some((
                    format!("staging uses Let's Encrypt's staging ACME server (`{a}`), whose certificates chain to an untrusted test root, while production uses Let's Encrypt's production server (`{b}`)"),
                    "acme:letsencrypt-staging".to_string(),
                ));
            }
            if a.contains(LETSENCRYPT_PRODUCTION) && b.contains(LETSENCRYPT_STAGING) {
                return Some((
                    format!("production uses Let's Encrypt's staging ACME server (`{b}`), whose certificates chain to an untrusted test root, while staging uses Let's Encrypt's production server (`{a}`)"),
                    "acme:letsencrypt-staging-in-production".to_string(),
                ));
            }
            Some((format!("staging uses ACME server `{a}` but production uses `{b}`"), format!("acme:{a}->{b}")))
        }
        (IssuerKind::Ca { secret_name: a }, IssuerKind::Ca { secret_name: b }) => (!same(a, b))
            .then(|| (format!("staging's CA comes from Secret `{a}` but production's from Secret `{b}`"), format!("ca:{a}->{b}"))),
        (IssuerKind::Vault { server: a, path: x }, IssuerKind::Vault { server: b, path: y }) => {
            (!(same(a, b) && same(x, y))).then(|| {
                (
                    format!("staging signs with Vault `{a}` path `{x}` but production with Vault `{b}` path `{y}`"),
                    format!("vault:{a}:{x}->{b}:{y}"),
                )
            })
        }
        (IssuerKind::SelfSigned, IssuerKind::SelfSigned) => None,
        (IssuerKind::Other { name: a }, IssuerKind::Other { name: b }) if a == b => None,
        _ => Some((
            format!("staging's issuer is {} ({}) but production's is {} ({})", kind_name(s), describe(s), kind_name(p), describe(p)),
            format!("kind:{}->{}", kind_name(s), kind_name(p)),
        )),
    }
}

fn issuer_name(issuer: &IssuerObject) -> String {
    let kind = if issuer.cluster {
        "ClusterIssuer"
    } else {
        "Issuer"
    };
    format!("{kind}/{}", issuer.meta.qualified_name())
}

pub(super) fn compare_issuers(ctx: &Context<'_>, results: &mut Results) -> usize {
    let paired = pair_by(
        &ctx.staging.kube.issuers,
        &ctx.production.kube.issuers,
        issuer_name,
        ctx.names,
    );
    let compared = paired.pairs.len();
    for (s, p, confidence) in paired.pairs {
        let Some((why, key)) = trust_difference(ctx, &s.issuer, &p.issuer) else {
            continue;
        };
        let subject = Subject {
            kind: "issuer".to_string(),
            staging: Some(s.meta.qualified_name()),
            production: Some(p.meta.qualified_name()),
        };
        let message = format!(
            "{} `{}`: {why}; issue staging certificates through the same kind of issuer and trust chain as production.",
            s.meta.kind,
            p.meta.qualified_name(),
        );
        results.add(
            Finding::new(Rule::TlsTrustMismatch, subject, message)
                .confidence(confidence)
                .key(key)
                .staging_evidence(Evidence::at(&s.meta.provenance, None, describe(&s.issuer)))
                .production_evidence(Evidence::at(&p.meta.provenance, None, describe(&p.issuer))),
        );
    }
    compared
}

/// The issuer a Certificate's issuerRef names, in the Certificate's snapshot.
fn resolve<'a>(snapshot: &'a Snapshot, cert: &CertificateObject) -> Option<&'a IssuerObject> {
    let cluster = cert.issuer_kind == "ClusterIssuer";
    snapshot.kube.issuers.iter().find(|i| {
        i.cluster == cluster
            && i.meta.name == cert.issuer_name
            && (cluster || i.meta.namespace == cert.meta.namespace)
    })
}

/// Compares the issuers a paired Certificate's issuerRefs name (when the names are not a
/// pair themselves: then the issuer comparison above covers them).
pub(super) fn compare_issuer_refs(
    ctx: &Context<'_>,
    s: &CertificateObject,
    p: &CertificateObject,
    confidence: Confidence,
    results: &mut Results,
) {
    let s_ref = format!("{} `{}`", s.issuer_kind, s.issuer_name);
    let p_ref = format!("{} `{}`", p.issuer_kind, p.issuer_name);
    let names_pair = s.issuer_name == p.issuer_name
        || ctx.names.to_production(&s.issuer_name).text == p.issuer_name;
    if names_pair && s.issuer_kind == p.issuer_kind {
        return;
    }
    let (why, key, confidence) = match (resolve(ctx.staging, s), resolve(ctx.production, p)) {
        (Some(si), Some(pi)) => match trust_difference(ctx, &si.issuer, &pi.issuer) {
            Some((why, key)) => (why, key, confidence),
            None => return,
        },
        _ => (
            "the issuers are not in the inputs, so envparity cannot tell whether they establish the same trust".to_string(),
            format!("ref:{}/{}->{}/{}", s.issuer_kind, s.issuer_name, p.issuer_kind, p.issuer_name),
            Confidence::Likely,
        ),
    };
    let subject = Subject {
        kind: "certificate".to_string(),
        staging: Some(s.meta.qualified_name()),
        production: Some(p.meta.qualified_name()),
    };
    let message = format!(
        "Certificate `{}` is issued by {s_ref} in staging but by {p_ref} in production: {why}; use an issuer with production's trust chain in staging.",
        p.meta.qualified_name(),
    );
    results.add(
        Finding::new(Rule::TlsTrustMismatch, subject, message)
            .confidence(confidence)
            .key(key)
            .staging_evidence(Evidence::at(
                &s.meta.provenance,
                None,
                format!("issuerRef {s_ref}"),
            ))
            .production_evidence(Evidence::at(
                &p.meta.provenance,
                None,
                format!("issuerRef {p_ref}"),
            )),
    );
}
