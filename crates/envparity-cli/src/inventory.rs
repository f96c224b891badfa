//! `envparity inventory <PATH>`: the normalized snapshot of one environment, as JSON (secret
//! values only as fingerprints) or as a text summary.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::path::PathBuf;
use std::process::ExitCode;

use envparity::ingest::read_environment;
use envparity::model::{AwsObjects, Fingerprinter, KubeObjects, Level, Snapshot};

use crate::args::{DataFormat, InventoryArgs};
use crate::compare::{print_errors, require_input};
use crate::{EXIT_ERROR, Failure, output};

/// The environment's name: the last component of the path (`.` and `..` resolved).
fn environment_name(path: &std::path::Path) -> String {
    let resolved = std::fs::canonicalize(path).unwrap_or_else(|_| path.to_path_buf());
    resolved
        .file_name()
        .map(|name| name.to_string_lossy().into_owned())
        .unwrap_or_else(|| "environment".to_string())
}

/// Object counts per kind, in a fixed order.
fn counts(kube: &KubeObjects) -> Vec<(&'static str, usize)> {
    vec![
        ("namespaces", kube.namespaces.len()),
        ("service accounts", kube.service_accounts.len()),
        ("roles", kube.roles.iter().filter(|r| !r.cluster).count()),
        (
            "cluster roles",
            kube.roles.iter().filter(|r| r.cluster).count(),
        ),
        (
            "role bindings",
            kube.bindings.iter().filter(|b| !b.cluster).count(),
        ),
        (
            "cluster role bindings",
            kube.bindings.iter().filter(|b| b.cluster).count(),
        ),
        ("secrets", kube.secrets.len()),
        ("config maps", kube.config_maps.len()),
        ("workloads", kube.workloads.len()),
        ("network policies", kube.network_policies.len()),
        ("ingresses", kube.ingresses.len()),
        ("issuers", kube.issuers.len()),
        ("certificates", kube.certificates.len()),
        ("alert rules", kube.alert_rules.len()),
        ("secret store references", kube.secret_store_refs.len()),
        ("audit policies", kube.audit_policies.len()),
        ("other objects", kube.other.len()),
    ]
}

/// AWS object counts per kind, in a fixed order.
fn aws_counts(aws: &AwsObjects) -> Vec<(&'static str, usize)> {
    vec![
        ("aws accounts", aws.accounts.len()),
        ("iam roles", aws.roles.len()),
        ("iam users", aws.users.len()),
        ("iam groups", aws.groups.len()),
        ("iam managed policies", aws.managed_policies.len()),
        ("service control policies", aws.scps.len()),
        ("credential report rows", aws.credential_report.len()),
        ("aws secrets", aws.secrets.len()),
        ("cloudtrail trails", aws.trails.len()),
        ("security groups", aws.security_groups.len()),
        ("cloudwatch alarms", aws.alarms.len()),
        ("guardduty detectors", aws.detectors.len()),
        ("config recorders", aws.config_recorders.len()),
        ("log groups", aws.log_groups.len()),
    ]
}

/// The text summary: counts per object kind, sources, diagnostics.
pub fn summary(snapshot: &Snapshot) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "environment: {}", snapshot.environment);
    let _ = writeln!(out, "\nobjects:");
    for (kind, count) in counts(&snapshot.kube) {
        if count > 0 {
            let _ = writeln!(out, "  {kind:<26} {count:>5}");
        }
    }
    let mut others: BTreeMap<&str, usize> = BTreeMap::new();
    for object in &snapshot.kube.other {
        *others.entry(object.meta.kind.as_ref()).or_insert(0) += 1;
    }
    for (kind, count) in others {
        let _ = writeln!(out, "    {kind:<24} {count:>5}");
    }
    for (kind, count) in aws_counts(&snapshot.aws) {
        if count > 0 {
            let _ = writeln!(out, "  {kind:<26} {count:>5}");
        }
    }
    let tls = [
        ("x509 certificates", snapshot.tls.certificates.len()),
        ("private key blocks", snapshot.tls.private_keys.len()),
    ];
    for (kind, count) in tls {
        if count > 0 {
            let _ = writeln!(out, "  {kind:<26} {count:>5}");
        }
    }
    let mut sources = snapshot.sources.clone();
    sources.sort();
    let _ = writeln!(out, "\nsources ({}):", sources.len());
    for source in &sources {
        let objects = if source.objects == 1 {
            "object"
        } else {
            "objects"
        };
        let _ = writeln!(
            out,
            "  {} ({}, {} {objects})",
            source.path, source.format, source.objects
        );
    }
    let mut diagnostics = snapshot.diagnostics.clone();
    diagnostics.sort();
    let _ = writeln!(out, "\ndiagnostics ({}):", diagnostics.len());
    for diagnostic in &diagnostics {
        let level = match diagnostic.level {
            Level::Error => "error",
            Level::Warning => "warning",
            Level::Info => "info",
        };
        let _ = writeln!(out, "  {level}: {}", diagnostic.one_line());
    }
    out
}

pub fn run(args: &InventoryArgs) -> Result<ExitCode, Failure> {
    require_input(&args.path)?;
    let fingerprinter = Fingerprinter::new(&output::fingerprint_key());
    let snapshot = read_environment(
        &environment_name(&args.path),
        &[PathBuf::from(&args.path)],
        &fingerprinter,
        &args.limits.ingest(),
    );
    let text = match args.format {
        DataFormat::Json => match serde_json::to_string_pretty(&snapshot) {
            Ok(mut json) => {
                json.push('\n');
                json
            }
            Err(error) => {
                return Err(Failure::new(format!(
                    "cannot serialize the snapshot: {error}"
                )));
            }
        },
        DataFormat::Text => summary(&snapshot),
    };
    output::write(&text, None)?;
    if snapshot.has_errors() {
        let mut diagnostics = snapshot.diagnostics.clone();
        diagnostics.sort();
        print_errors(&diagnostics);
        return Ok(ExitCode::from(EXIT_ERROR));
    }
    Ok(ExitCode::SUCCESS)
}
