//! `check`: every environment of the contract compared with the reference in one run, one
//! report; each finding carries its `pair`.

use std::collections::BTreeMap;

use crate::compare::Results;
use crate::contract::{Contract, Purpose};
use crate::findings::{Dimension, Finding, Pair, Severity};
use crate::ingest::IngestOptions;
use crate::model::{Fingerprinter, Snapshot};
use crate::report::{Report, build_report_for, summarize};
use crate::run::{compare_read, names_of, read_snapshot};

use super::{Governance, apply, failing, raise_for_purposes};

/// Everything `check` needs; the CLI fills it from the contract, flags and the environment.
#[derive(Debug, Clone)]
pub struct CheckOptions {
    pub contract: Contract,
    /// `--map` pairs, added to the contract's `[mapping]`.
    pub mappings: Vec<(String, String)>,
    /// `--purpose` values; when non-empty they replace every environment's `purpose`.
    pub purposes: Vec<Purpose>,
    pub fingerprint_key: Vec<u8>,
    pub ingest: IngestOptions,
    /// `None` for `--fail-on never`.
    pub fail_on: Option<Severity>,
    pub governance: Governance,
}

#[derive(Debug)]
pub struct CheckOutcome {
    pub report: Report,
    /// True when an input could not be read or parsed (exit code 2).
    pub input_errors: bool,
    /// Findings that count for `--fail-on` (exit code 1 when non-zero).
    pub failing: usize,
}

/// The mappings that concern one environment: those whose token occurs in its names. Several
/// environments usually map onto the same reference token (`dev = "prod"`, `stg = "prod"`);
/// keeping the others would translate reference names back into the wrong environment.
fn own_mappings(mappings: &[(String, String)], snapshot: &Snapshot) -> Vec<(String, String)> {
    let names = names_of(snapshot);
    mappings
        .iter()
        .filter(|(from, _)| names.iter().any(|name| has_token(name, from)))
        .cloned()
        .collect()
}

/// Whether `token` occurs in `name` delimited by non-alphanumerics or the ends.
fn has_token(name: &str, token: &str) -> bool {
    let boundary = |c: Option<char>| c.is_none_or(|c| !c.is_ascii_alphanumeric());
    !token.is_empty()
        && name.match_indices(token).any(|(at, _)| {
            boundary(name[..at].chars().next_back())
                && boundary(name[at + token.len()..].chars().next())
        })
}

/// Compares every environment with the reference and applies governance over all pairs.
pub fn run_check(options: &CheckOptions) -> CheckOutcome {
    let contract = &options.contract;
    let fingerprinter = Fingerprinter::new(&options.fingerprint_key);
    let mut mappings = contract.mapping.clone();
    mappings.extend(options.mappings.iter().cloned());
    let mut snapshots: Vec<(String, Snapshot)> = Vec::new();
    let mut all = Results::default();
    let mut pair_compared: BTreeMap<String, BTreeMap<Dimension, usize>> = BTreeMap::new();
    let reference_sources = contract
        .environments
        .get(&contract.reference)
        .map(|e| e.sources.clone())
        .unwrap_or_default();
    let reference = read_snapshot(
        &contract.reference,
        &reference_sources,
        &fingerprinter,
        &options.ingest,
    );
    for (name, environment) in &contract.environments {
        if *name == contract.reference {
            continue;
        }
        let snapshot = read_snapshot(name, &environment.sources, &fingerprinter, &options.ingest);
        let own = own_mappings(&mappings, &snapshot);
        let mut results = compare_read(&snapshot, &reference, &own);
        let now = options.governance.now;
        let expiry = crate::compare::certificate_expiry(&snapshot, &reference, now);
        results.findings.extend(expiry);
        let purposes = if options.purposes.is_empty() {
            &environment.purposes
        } else {
            &options.purposes
        };
        raise_for_purposes(&mut results.findings, purposes);
        for finding in &mut results.findings {
            finding.pair = Some(Pair {
                environment: name.clone(),
                reference: contract.reference.clone(),
            });
            crate::findings::name_environments(finding, name, &contract.reference);
        }
        all.findings.append(&mut results.findings);
        pair_compared.insert(
            format!("{name}/{}", contract.reference),
            results.compared.clone(),
        );
        for (dimension, pairs) in results.compared {
            all.count_compared(dimension, pairs);
        }
        let prefixed = |items: Vec<String>| items.into_iter().map(move |i| format!("{name}: {i}"));
        all.staging_only.extend(prefixed(results.staging_only));
        all.production_only
            .extend(prefixed(results.production_only));
        snapshots.push((name.clone(), snapshot));
    }
    all.staging_only.sort();
    all.production_only.sort();
    apply(&mut all.findings, &options.governance);
    snapshots.push((contract.reference.clone(), reference));
    let keyed: Vec<(String, &Snapshot)> = snapshots.iter().map(|(n, s)| (n.clone(), s)).collect();
    let mut report = build_report_for(&keyed, all);
    for (key, compared) in &pair_compared {
        let in_pair: Vec<Finding> = report
            .findings
            .iter()
            .filter(|f| {
                f.pair
                    .as_ref()
                    .is_some_and(|p| format!("{}/{}", p.environment, p.reference) == *key)
            })
            .cloned()
            .collect();
        report
            .pairs
            .insert(key.clone(), summarize(&in_pair, compared));
    }
    let failing = failing(
        &report.findings,
        options.fail_on,
        options.governance.baseline.as_ref(),
    );
    let input_errors = snapshots.iter().any(|(_, s)| s.has_errors());
    CheckOutcome {
        report,
        input_errors,
        failing,
    }
}
