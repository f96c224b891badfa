//! The monitoring dimension: alert rules (PrometheusRules), Kubernetes audit policies and
//! Sigma detection rules.

mod alerts;
mod audit;
mod normalize;
mod sigma;

use super::{Context, Results};

pub fn compare(ctx: &Context<'_>, results: &mut Results) {
    alerts::compare(ctx, results);
    audit::compare(ctx, results);
    sigma::compare(ctx, results);
}
