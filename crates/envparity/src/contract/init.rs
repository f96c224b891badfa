//! `init`: a commented starter `envparity.toml` inferred from snapshot directories (the
//! environment names from the directory names, mappings from name inference).

use std::collections::BTreeMap;
use std::fmt::Write;
use std::path::PathBuf;

use crate::correlate::NameMap;
use crate::ingest::IngestOptions;
use crate::model::Fingerprinter;
use crate::run::{names_of, read_snapshot};

/// A TOML basic string.
fn quote(text: &str) -> String {
    let mut out = String::from("\"");
    for c in text.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            c if c.is_control() => {
                let _ = write!(out, "\\u{:04X}", c as u32);
            }
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// A TOML key: bare when it may be, quoted otherwise.
fn key(text: &str) -> String {
    let bare = !text.is_empty()
        && text
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_');
    if bare { text.to_string() } else { quote(text) }
}

/// The environment name of a directory: its last component, lowercased.
fn environment_name(dir: &std::path::Path) -> Option<String> {
    let name = dir.file_name()?.to_string_lossy().to_lowercase();
    (!name.is_empty()).then_some(name)
}

/// The reference: the environment whose name says production, else the last one given.
fn pick_reference(names: &[String]) -> String {
    names
        .iter()
        .find(|n| matches!(n.as_str(), "production" | "prod" | "prd" | "live"))
        .or_else(|| names.iter().find(|n| n.contains("prod")))
        .or_else(|| names.last())
        .cloned()
        .unwrap_or_default()
}

/// The starter contract for `dirs` (at least two, with distinct names).
pub fn starter(dirs: &[PathBuf], fingerprint_key: &[u8]) -> Result<String, String> {
    if dirs.len() < 2 {
        return Err(
            "`envparity init` needs at least two snapshot directories, e.g. `envparity init staging production`"
                .to_string(),
        );
    }
    let mut environments: Vec<(String, &PathBuf)> = Vec::new();
    for dir in dirs {
        let name = environment_name(dir).ok_or_else(|| {
            format!(
                "`{}` has no directory name to call the environment",
                dir.display()
            )
        })?;
        if environments.iter().any(|(n, _)| *n == name) {
            return Err(format!(
                "two directories are named `{name}`; environment names must differ"
            ));
        }
        environments.push((name, dir));
    }
    let names: Vec<String> = environments.iter().map(|(n, _)| n.clone()).collect();
    let reference = pick_reference(&names);
    let fingerprinter = Fingerprinter::new(fingerprint_key);
    let ingest = IngestOptions::default();
    let snapshots: BTreeMap<&str, _> = environments
        .iter()
        .map(|(name, dir)| {
            let snapshot = read_snapshot(name, &[(*dir).clone()], &fingerprinter, &ingest);
            (name.as_str(), snapshot)
        })
        .collect();
    let mut mapping: BTreeMap<String, String> = BTreeMap::new();
    if let Some(reference_snapshot) = snapshots.get(reference.as_str()) {
        let reference_names = names_of(reference_snapshot);
        for (name, snapshot) in &snapshots {
            if *name == reference {
                continue;
            }
            let mut map = NameMap::new(&[]);
            let own = names_of(snapshot);
            map.infer(
                own.iter().map(String::as_str),
                reference_names.iter().map(String::as_str),
            );
            map.infer_accounts(&snapshot.accounts(), &reference_snapshot.accounts());
            for (from, to, _) in map.entries() {
                mapping
                    .entry(from.to_string())
                    .or_insert_with(|| to.to_string());
            }
        }
    }
    Ok(render(&environments, &reference, &mapping))
}

fn render(
    environments: &[(String, &PathBuf)],
    reference: &str,
    mapping: &BTreeMap<String, String>,
) -> String {
    let mut out = String::new();
    let listed: Vec<&str> = environments.iter().map(|(n, _)| n.as_str()).collect();
    let _ = writeln!(
        out,
        "# envparity.toml: the parity contract, read by `envparity check` and `envparity compare`."
    );
    let _ = writeln!(
        out,
        "# Written by `envparity init` for {}; review it, then commit it.",
        listed.join(", ")
    );
    let _ = writeln!(out);
    let _ = writeln!(
        out,
        "# The environment every other environment is compared with."
    );
    let _ = writeln!(out, "reference = {}", quote(reference));
    for (name, dir) in environments {
        let _ = writeln!(out);
        let _ = writeln!(out, "[environments.{}]", key(name));
        let source = dir.to_string_lossy().replace('\\', "/");
        let _ = writeln!(out, "sources = [{}]", quote(&source));
        if name != reference {
            let _ = writeln!(
                out,
                "# What this environment exists to validate (raises those dimensions' severity):"
            );
            let _ = writeln!(
                out,
                "# access, rotation, detection, network, tls, incident-response, config."
            );
            let _ = writeln!(out, "# purpose = [\"access\"]");
        }
    }
    let _ = writeln!(out);
    let _ = writeln!(
        out,
        "# Name tokens of an environment and their counterpart in the reference, applied to whole"
    );
    let _ = writeln!(
        out,
        "# tokens. Inferred from the snapshots: check them, add what inference missed."
    );
    let _ = writeln!(out, "[mapping]");
    for (from, to) in mapping {
        let _ = writeln!(out, "{} = {}", key(from), quote(to));
    }
    out.push_str(TAIL);
    out
}

const TAIL: &str = r#"
# Intended, reviewed differences: reported in their own section, never failing.
# [[expected]]
# rule = "config-value-drift"
# subject = "*/deployment/web:spec.replicas"  # glob over the subject's names
# reason = "staging runs one replica to save cost"

# Temporary exceptions: every field is required, and they expire loudly.
# [[waivers]]
# rule = "access-broader-in-staging"
# subject = "*/loadtest"
# reason = "load test needs bulk delete until the fixture API exists"
# owner = "team-payments"
# expires = "2027-01-31"                     # YYYY-MM-DD
"#;
