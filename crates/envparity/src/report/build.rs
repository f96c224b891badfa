//! Assemble the report: fingerprints, deterministic order, score per dimension, unmatched
//! entities and diagnostics. Field names and shapes follow the `envparity.report/v1` contract.

use std::collections::{BTreeMap, BTreeSet};

use schemars::JsonSchema;
use serde::Serialize;

use crate::compare::Results;
use crate::findings::{Dimension, Finding, Severity, fingerprint};
use crate::model::{Diagnostic, Snapshot, Source};

pub const SCHEMA: &str = "envparity.report/v1";

#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct Tool {
    pub name: &'static str,
    pub version: &'static str,
}

#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct EnvironmentInfo {
    pub name: String,
    pub sources: Vec<Source>,
}

#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct DimensionSummary {
    pub score: f64,
    pub compared: usize,
    pub findings: usize,
}

#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct Summary {
    pub score: f64,
    pub dimensions: BTreeMap<&'static str, DimensionSummary>,
    pub findings_by_severity: BTreeMap<&'static str, usize>,
}

#[derive(Debug, Clone, Default, Serialize, JsonSchema)]
pub struct Unmatched {
    pub staging_only: Vec<String>,
    pub production_only: Vec<String>,
}

#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct Report {
    pub schema: &'static str,
    pub tool: Tool,
    /// Keyed by role (`staging`, `production`) for `compare`, by name for `check`.
    pub environments: BTreeMap<String, EnvironmentInfo>,
    pub summary: Summary,
    /// `check` only: the summary of each environment against the reference, keyed
    /// `environment/reference` (absent from `compare` reports).
    #[serde(skip_serializing_if = "BTreeMap::is_empty")]
    pub pairs: BTreeMap<String, Summary>,
    pub findings: Vec<Finding>,
    pub unmatched: Unmatched,
    pub diagnostics: Vec<Diagnostic>,
}

impl Report {
    /// The rule ids of the findings, sorted (a rule firing twice is listed twice): what a
    /// script or a test checks first.
    pub fn rule_ids(&self) -> Vec<String> {
        let mut ids: Vec<String> = self
            .findings
            .iter()
            .map(|f| f.rule.id().to_string())
            .collect();
        ids.sort();
        ids
    }
}

fn round1(value: f64) -> f64 {
    (value * 10.0).round() / 10.0
}

/// Scores per dimension: the share of compared pairs without a counting finding; overall the
/// weighted mean over dimensions that compared something (100 when nothing was compared).
pub fn summarize(findings: &[Finding], compared: &BTreeMap<Dimension, usize>) -> Summary {
    let mut dimensions = BTreeMap::new();
    let mut weighted = 0.0;
    let mut weights = 0.0;
    for dimension in Dimension::ALL {
        let pairs = compared.get(&dimension).copied().unwrap_or(0);
        let in_dimension: Vec<&Finding> = findings
            .iter()
            .filter(|f| f.dimension == dimension)
            .collect();
        let divergent: BTreeSet<_> = in_dimension
            .iter()
            .filter(|f| f.counts())
            .map(|f| &f.subject)
            .collect();
        if pairs == 0 && in_dimension.is_empty() {
            continue;
        }
        let denominator = pairs.max(divergent.len());
        let score = if denominator == 0 {
            100.0
        } else {
            100.0 * (denominator - divergent.len()) as f64 / denominator as f64
        };
        if denominator > 0 {
            weighted += score * dimension.weight();
            weights += dimension.weight();
        }
        dimensions.insert(
            dimension.as_str(),
            DimensionSummary {
                score: round1(score),
                compared: pairs,
                findings: in_dimension.len(),
            },
        );
    }
    let mut findings_by_severity = BTreeMap::new();
    for severity in Severity::ALL {
        let count = findings.iter().filter(|f| f.severity == severity).count();
        findings_by_severity.insert(severity.as_str(), count);
    }
    Summary {
        score: if weights > 0.0 {
            round1(weighted / weights)
        } else {
            100.0
        },
        dimensions,
        findings_by_severity,
    }
}

/// Sorts findings into the contract's order and fills in fingerprints.
pub fn finish_findings(findings: &mut Vec<Finding>) {
    for finding in findings.iter_mut() {
        finding.fingerprint = fingerprint(finding);
        // Witnesses keep the engine's order (simplest first) within each direction.
        finding.witnesses.sort_by_key(|w| w.allowed_in);
        finding.evidence.staging.sort();
        finding.evidence.staging.dedup();
        finding.evidence.production.sort();
        finding.evidence.production.dedup();
    }
    findings.sort_by(|a, b| a.sort_key().cmp(&b.sort_key()));
    findings.dedup_by(|a, b| a.fingerprint == b.fingerprint && a.message == b.message);
}

fn environment(snapshot: &Snapshot) -> EnvironmentInfo {
    let mut sources = snapshot.sources.clone();
    sources.sort();
    EnvironmentInfo {
        name: snapshot.environment.clone(),
        sources,
    }
}

pub fn build_report(staging: &Snapshot, production: &Snapshot, results: Results) -> Report {
    build_report_for(
        &[
            ("staging".to_string(), staging),
            ("production".to_string(), production),
        ],
        results,
    )
}

/// The report over any number of environments, each keyed as given (`check`).
pub fn build_report_for(snapshots: &[(String, &Snapshot)], results: Results) -> Report {
    let mut findings = results.findings;
    finish_findings(&mut findings);
    let summary = summarize(&findings, &results.compared);
    let mut diagnostics: Vec<Diagnostic> = snapshots
        .iter()
        .flat_map(|(_, snapshot)| snapshot.diagnostics.iter())
        .cloned()
        .collect();
    diagnostics.sort();
    diagnostics.dedup();
    let mut environments = BTreeMap::new();
    for (key, snapshot) in snapshots {
        environments.insert(key.clone(), environment(snapshot));
    }
    Report {
        schema: SCHEMA,
        tool: Tool {
            name: "envparity",
            version: env!("CARGO_PKG_VERSION"),
        },
        environments,
        summary,
        pairs: BTreeMap::new(),
        findings,
        unmatched: Unmatched {
            staging_only: results.staging_only,
            production_only: results.production_only,
        },
        diagnostics,
    }
}
