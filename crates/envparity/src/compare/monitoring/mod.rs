//! The monitoring dimension: alert rules (PrometheusRules) and Kubernetes audit policies.

mod alerts;
mod audit;
mod normalize;

use super::{Context, Results};

pub fn compare(ctx: &Context<'_>, results: &mut Results) {
    alerts::compare(ctx, results);
    audit::compare(ctx, results);
}
