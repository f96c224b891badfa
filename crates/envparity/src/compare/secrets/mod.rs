//! The secrets dimension: credentials in plain config (`secret-plaintext`), storage that
//! differs (`secret-storage-mismatch`), credentials shared by both environments
//! (`secret-shared-across-environments`) and token settings that differ (`token-ttl-mismatch`).

mod heuristics;
mod plaintext;
mod shared;
mod storage;
mod tokens;

use super::{Context, Results};
use crate::findings::{Dimension, Side};

pub fn compare(ctx: &Context<'_>, results: &mut Results) {
    plaintext::report(ctx.staging, Side::Staging, results);
    plaintext::report(ctx.production, Side::Production, results);
    shared::compare(ctx, results);
    let compared = storage::compare(ctx, results) + tokens::compare(ctx, results);
    results.count_compared(Dimension::Secrets, compared);
}

#[cfg(test)]
mod tests;
