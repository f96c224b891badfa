//! GCP IAM: build each environment's engine model (policies along the hierarchy, deny
//! policies, roles), rename staging into production's names, and compare per member with the
//! GCP engine (`access-*` with witnesses re-checked by the evaluator); report service
//! accounts present on one side only or shared by both, administrator-equivalent grants to
//! service accounts, grants that cross environments, and user-managed keys where the other
//! environment has none.

mod access;
mod admin;
mod identity;
mod keys;
mod model;
mod trust;

use super::{Context, Results};
use crate::findings::{Evidence, Side};
use model::{Built, Origin, Renamer, build};

pub fn compare(ctx: &Context<'_>, results: &mut Results) {
    let (stg, prd) = (&ctx.staging.gcp, &ctx.production.gcp);
    if stg.is_empty() && prd.is_empty() {
        return;
    }
    let renamer = Renamer::new(ctx.names, stg, prd);
    let built = [build(stg), build(prd)];
    identity::compare(ctx, &renamer, &built, results);
    access::compare(ctx, &renamer, &built, results);
    for side in [Side::Staging, Side::Production] {
        admin::compare(side, side_of(ctx, side), &built[index(side)], results);
    }
    trust::compare(ctx, &built, results);
    keys::compare(ctx, &renamer, results);
}

fn index(side: Side) -> usize {
    match side {
        Side::Staging => 0,
        Side::Production => 1,
    }
}

fn side_of<'a>(ctx: &Context<'a>, side: Side) -> &'a crate::model::GcpObjects {
    match side {
        Side::Staging => &ctx.staging.gcp,
        Side::Production => &ctx.production.gcp,
    }
}

fn side_word(side: Side) -> &'static str {
    match side {
        Side::Staging => "staging",
        Side::Production => "production",
    }
}

/// Evidence of a binding or deny rule.
fn evidence(origin: &Origin) -> Evidence {
    Evidence::at(&origin.provenance, None, origin.detail.clone())
}

/// The origins of `built`'s bindings that name `member` (as written).
fn bindings_of<'a>(built: &'a Built, member: &str) -> impl Iterator<Item = &'a Origin> {
    let wanted = member.to_ascii_lowercase();
    built
        .bindings
        .iter()
        .filter(move |o| o.members.iter().any(|m| m.to_ascii_lowercase() == wanted))
}
