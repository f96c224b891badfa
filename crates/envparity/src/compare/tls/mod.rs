//! The tls dimension: issuers, certificates' issuers and keys, Ingress TLS and verification
//! settings in config (`tls-trust-mismatch`, `certificate-weaker-in-staging`).

mod certificates;
mod ingress;
mod issuers;
mod verification;

use super::{Context, Results};
use crate::findings::Dimension;

pub fn compare(ctx: &Context<'_>, results: &mut Results) {
    let compared = issuers::compare_issuers(ctx, results)
        + certificates::compare(ctx, results)
        + ingress::compare(ctx, results);
    verification::compare(ctx, results);
    results.count_compared(Dimension::Tls, compared);
}

#[cfg(test)]
mod tests;
