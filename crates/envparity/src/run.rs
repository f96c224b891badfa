//! The whole pipeline for `compare`: ingest both environments, infer the name mapping,
//! compare every dimension, and assemble the report.

use std::collections::BTreeMap;
use std::path::PathBuf;

use crate::compare::{Context, Results, compare_snapshots};
use crate::contract::Purpose;
use crate::correlate::NameMap;
use crate::findings::Severity;
use crate::govern::{self, Governance};
use crate::ingest::{IngestOptions, read_environment};
use crate::model::{Diagnostic, Fingerprinter, Level, Snapshot};
use crate::report::{Report, build_report};

/// Everything `compare` needs; the CLI fills it from flags, files and the environment.
#[derive(Debug, Clone)]
pub struct Options {
    pub staging: Vec<PathBuf>,
    pub production: Vec<PathBuf>,
    /// `--map FROM=TO` pairs, staging token first.
    pub mappings: Vec<(String, String)>,
    /// The HMAC key for secret fingerprints (random per run unless the user fixes it).
    pub fingerprint_key: Vec<u8>,
    pub ingest: IngestOptions,
    /// `None` for `--fail-on never`.
    pub fail_on: Option<Severity>,
}

/// The report plus what the exit code depends on.
#[derive(Debug)]
pub struct Outcome {
    pub report: Report,
    pub staging: Snapshot,
    pub production: Snapshot,
    /// True when an input could not be read or parsed (exit code 2).
    pub input_errors: bool,
    /// Findings that count for `--fail-on` (exit code 1 when non-zero).
    pub failing: usize,
}

/// Whether both environments were given exactly the same inputs (after resolving paths).
fn same_inputs(staging: &[PathBuf], production: &[PathBuf]) -> bool {
    let resolve = |paths: &[PathBuf]| {
        let mut out: Vec<PathBuf> = paths
            .iter()
            .map(|p| std::fs::canonicalize(p).unwrap_or_else(|_| p.clone()))
            .collect();
        out.sort();
        out.dedup();
        out
    };
    !staging.is_empty() && resolve(staging) == resolve(production)
}

fn display_paths(paths: &[PathBuf]) -> String {
    paths
        .iter()
        .map(|p| p.to_string_lossy().replace('\\', "/"))
        .collect::<Vec<_>>()
        .join(", ")
}

/// Every name of one snapshot that correlation may learn environment tokens from.
pub(crate) fn names_of(snapshot: &Snapshot) -> Vec<String> {
    let kube = &snapshot.kube;
    let mut names: Vec<String> = Vec::new();
    names.extend(kube.namespaces.iter().map(|m| m.name.clone()));
    names.extend(
        kube.service_accounts
            .iter()
            .map(|s| s.meta.qualified_name()),
    );
    names.extend(kube.workloads.iter().map(|w| w.meta.qualified_name()));
    names.extend(kube.roles.iter().map(|r| r.meta.qualified_name()));
    names.extend(kube.bindings.iter().map(|b| b.meta.qualified_name()));
    names.extend(kube.config_maps.iter().map(|c| c.meta.qualified_name()));
    names.extend(kube.secrets.iter().map(|s| s.meta.qualified_name()));
    names.extend(kube.alert_rules.iter().map(|a| a.alert.clone()));
    let aws = &snapshot.aws;
    names.extend(aws.roles.iter().map(|r| r.name.clone()));
    names.extend(aws.users.iter().map(|u| u.name.clone()));
    names.extend(aws.secrets.iter().map(|s| s.name.clone()));
    names.extend(aws.trails.iter().map(|t| t.name.clone()));
    names.extend(aws.security_groups.iter().map(|g| g.name.clone()));
    names.extend(snapshot.gcp.names());
    names.extend(snapshot.vault.names());
    names.sort();
    names
}

/// One info diagnostic per kind of object that was read but is not compared, so that the
/// report says what it did not look at.
fn note_uncompared_kinds(snapshot: &mut Snapshot) {
    let mut kinds: BTreeMap<String, (usize, String)> = BTreeMap::new();
    for other in &snapshot.kube.other {
        let entry = kinds
            .entry(format!("{} ({})", other.meta.kind, other.meta.api_version))
            .or_insert((0, other.meta.provenance.path.to_string()));
        entry.0 += 1;
    }
    for (kind, (count, path)) in kinds {
        snapshot.diagnostics.push(Diagnostic::new(
            Level::Info,
            &path,
            None,
            format!("{count} object(s) of kind {kind} read but not compared by this version"),
        ));
    }
}

/// Reads one environment and notes the kinds it does not compare.
pub(crate) fn read_snapshot(
    name: &str,
    inputs: &[PathBuf],
    fingerprinter: &Fingerprinter,
    ingest: &IngestOptions,
) -> Snapshot {
    let mut snapshot = read_environment(name, inputs, fingerprinter, ingest);
    note_uncompared_kinds(&mut snapshot);
    snapshot
}

/// Pairs the entities of two snapshots (explicit mappings plus inferred ones) and compares
/// every dimension.
pub(crate) fn compare_read(
    staging: &Snapshot,
    production: &Snapshot,
    mappings: &[(String, String)],
) -> Results {
    let mut names = NameMap::new(mappings);
    {
        // Freed before comparing: at org scale the name lists are tens of megabytes.
        let staging_names = names_of(staging);
        let production_names = names_of(production);
        names.infer(
            staging_names.iter().map(String::as_str),
            production_names.iter().map(String::as_str),
        );
    }
    names.infer_accounts(&staging.accounts(), &production.accounts());
    let ctx = Context {
        staging,
        production,
        names: &names,
    };
    compare_snapshots(&ctx)
}

pub fn run_compare(options: &Options) -> Outcome {
    run_governed(options, None, &[])
}

/// The names of the two environments: they select per-environment files (`values-<name>.yaml`,
/// `<name>.env`, template branches on `.Environment.Name`) and name them in the report.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EnvironmentNames {
    pub staging: String,
    pub production: String,
}

impl Default for EnvironmentNames {
    fn default() -> Self {
        EnvironmentNames {
            staging: "staging".to_string(),
            production: "production".to_string(),
        }
    }
}

/// `compare` with the parity contract's governance (expected differences, waivers, baseline)
/// and test purposes applied between compare and report.
pub fn run_governed(
    options: &Options,
    governance: Option<&Governance>,
    purposes: &[Purpose],
) -> Outcome {
    run_governed_as(options, &EnvironmentNames::default(), governance, purposes)
}

/// [`run_governed`] with the environments' names given.
pub fn run_governed_as(
    options: &Options,
    names: &EnvironmentNames,
    governance: Option<&Governance>,
    purposes: &[Purpose],
) -> Outcome {
    let fingerprinter = Fingerprinter::new(&options.fingerprint_key);
    // The two environments are read in parallel; each snapshot depends on its inputs only.
    let (mut staging, production) = rayon::join(
        || {
            read_snapshot(
                &names.staging,
                &options.staging,
                &fingerprinter,
                &options.ingest,
            )
        },
        || {
            read_snapshot(
                &names.production,
                &options.production,
                &fingerprinter,
                &options.ingest,
            )
        },
    );
    let mut results = compare_read(&staging, &production, &options.mappings);
    if let Some(governance) = governance {
        // Certificate expiry needs the run's date, which only governance carries.
        let expiry = crate::compare::certificate_expiry(&staging, &production, governance.now);
        results.findings.extend(expiry);
    }
    // The same inputs read for each environment are one snapshot compared with itself, unless
    // per-environment files (`values-<env>.yaml`, `<env>.env`) made the two differ.
    if same_inputs(&options.staging, &options.production) && staging.sources == production.sources {
        // An environment compared with itself has no parity difference; the per-environment
        // and isolation checks would only repeat themselves, so they are left out, and the
        // report says so.
        results.findings.retain(|f| f.rule.is_parity_rule());
        staging.diagnostics.push(Diagnostic::new(
            Level::Info,
            &display_paths(&options.staging),
            None,
            "staging and production are the same inputs: per-environment and isolation checks are skipped",
        ));
    }
    govern::raise_for_purposes(&mut results.findings, purposes);
    for finding in &mut results.findings {
        crate::findings::name_environments(finding, &names.staging, &names.production);
    }
    if let Some(governance) = governance {
        govern::apply(&mut results.findings, governance);
    }
    let report = build_report(&staging, &production, results);
    let baseline = governance.and_then(|g| g.baseline.as_ref());
    let failing = govern::failing(&report.findings, options.fail_on, baseline);
    let input_errors = staging.has_errors() || production.has_errors();
    Outcome {
        report,
        staging,
        production,
        input_errors,
        failing,
    }
}
