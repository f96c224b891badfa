//! Helpers shared by the Terraform tests: writing inputs, comparing two folders, and listing
//! an outcome's findings, rule ids and non-info diagnostics in a deterministic order.

use std::path::Path;

use envparity::findings::Severity;
use envparity::ingest::IngestOptions;
use envparity::{Options, Outcome, run_compare};
use serde_json::{Value, json};

/// Compares the folder `staging` with `production`, staging's names renamed by `mappings`.
pub fn compare(staging: &Path, production: &Path, mappings: &[(&str, &str)]) -> Outcome {
    run_compare(&Options {
        staging: vec![staging.to_path_buf()],
        production: vec![production.to_path_buf()],
        mappings: mappings
            .iter()
            .map(|(from, to)| (from.to_string(), to.to_string()))
            .collect(),
        fingerprint_key: b"terraform-test-key".to_vec(),
        ingest: IngestOptions::default(),
        fail_on: Some(Severity::High),
    })
}

/// What must be the same: rule, subject and fingerprint of every finding, sorted.
pub fn findings(outcome: &Outcome) -> Vec<String> {
    let mut out: Vec<String> = outcome
        .report
        .findings
        .iter()
        .map(|f| {
            format!(
                "{} {} {:?} {:?} {}",
                f.rule.id(),
                f.subject.kind,
                f.subject.staging,
                f.subject.production,
                f.fingerprint
            )
        })
        .collect();
    out.sort();
    out
}

/// The rule ids of the findings, sorted.
pub fn rules(outcome: &Outcome) -> Vec<String> {
    outcome.report.rule_ids()
}

/// The diagnostics of both environments above `info`, one line each.
pub fn problems(outcome: &Outcome) -> Vec<String> {
    let all = outcome
        .staging
        .diagnostics
        .iter()
        .chain(&outcome.production.diagnostics);
    all.filter(|d| d.level != envparity::model::Level::Info)
        .map(|d| d.one_line())
        .collect()
}

/// Writes `text` to `dir/name`, creating `dir`.
pub fn write_text(dir: &Path, name: &str, text: &str) {
    std::fs::create_dir_all(dir).expect("folder");
    std::fs::write(dir.join(name), text).expect("written");
}

/// Writes `value` as pretty-printed JSON to `dir/name`, creating `dir`.
pub fn write_json(dir: &Path, name: &str, value: &Value) {
    let text = serde_json::to_string_pretty(value).expect("serializes");
    write_text(dir, name, &text);
}

/// A managed resource of a `terraform show -json` module: `address` ends in `type.name`
/// (after any module path); `provider` names the HashiCorp provider (`aws`, `google`, `vault`).
pub fn resource(provider: &str, address: &str, values: Value) -> Value {
    let mut parts = address.rsplitn(3, '.');
    let name = parts.next().unwrap_or_default();
    let kind = parts.next().expect("type.name");
    json!({"address": address, "mode": "managed", "type": kind, "name": name,
           "provider_name": format!("registry.terraform.io/hashicorp/{provider}"), "schema_version": 0,
           "values": values, "sensitive_values": {}})
}
