//! One module per dimension. Each reads the two snapshots through a [`Context`], pairs what
//! it compares, and adds [`Finding`]s and the number of compared pairs to [`Results`].

mod access;
mod aws;
mod aws_access;
mod config;
mod gcp;
mod identity;
mod monitoring;
mod network;
mod secrets;
mod tls;
mod vault;

use std::collections::BTreeMap;

use crate::correlate::NameMap;
use crate::findings::{Dimension, Finding};
use crate::model::Snapshot;

pub(crate) use tls::certificate_expiry;

/// What every dimension module gets.
pub struct Context<'a> {
    pub staging: &'a Snapshot,
    pub production: &'a Snapshot,
    pub names: &'a NameMap,
}

/// What the comparison produced.
#[derive(Debug, Default)]
pub struct Results {
    pub findings: Vec<Finding>,
    /// Pairs compared per dimension (the score's denominator).
    pub compared: BTreeMap<Dimension, usize>,
    /// Entities present in one environment only, by qualified name with a kind prefix.
    pub staging_only: Vec<String>,
    pub production_only: Vec<String>,
}

impl Results {
    pub fn add(&mut self, finding: Finding) {
        self.findings.push(finding);
    }

    pub fn count_compared(&mut self, dimension: Dimension, pairs: usize) {
        *self.compared.entry(dimension).or_insert(0) += pairs;
    }
}

/// Runs every dimension over two snapshots.
pub fn compare_snapshots(ctx: &Context<'_>) -> Results {
    let mut results = Results::default();
    identity::compare(ctx, &mut results);
    access::compare(ctx, &mut results);
    secrets::compare(ctx, &mut results);
    tls::compare(ctx, &mut results);
    monitoring::compare(ctx, &mut results);
    network::compare(ctx, &mut results);
    aws::compare(ctx, &mut results);
    aws_access::compare(ctx, &mut results);
    gcp::compare(ctx, &mut results);
    vault::compare(ctx, &mut results);
    config::compare(ctx, &mut results);
    results.staging_only.sort();
    results.staging_only.dedup();
    results.production_only.sort();
    results.production_only.dedup();
    results
}
