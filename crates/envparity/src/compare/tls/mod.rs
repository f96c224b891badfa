//! The tls dimension: issuers, certificates' issuers and keys, Ingress TLS and verification
//! settings in config (`tls-trust-mismatch`, `certificate-weaker-in-staging`); X.509
//! certificates read from files and objects (`x509*`), whose expiry is checked against the
//! run's date by [`certificate_expiry`] (`certificate-expired`, `certificate-expiring`).

mod certificates;
mod ingress;
mod issuers;
mod verification;
mod x509;
mod x509_bundles;
mod x509_expiry;
mod x509_weak;

pub(crate) use x509_expiry::certificate_expiry;

use super::{Context, Results};
use crate::findings::Dimension;

pub fn compare(ctx: &Context<'_>, results: &mut Results) {
    let compared = issuers::compare_issuers(ctx, results)
        + certificates::compare(ctx, results)
        + ingress::compare(ctx, results)
        + x509::compare(ctx, results);
    verification::compare(ctx, results);
    results.count_compared(Dimension::Tls, compared);
}

#[cfg(test)]
mod tests;
