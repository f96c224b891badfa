//! Terraform `vault_policy` gives the same policies (so the same findings) as HCL files of
//! the same policies; a policy whose text waits for apply is withheld with a warning.

use std::path::Path;

use envparity::findings::Severity;
use envparity::ingest::IngestOptions;
use envparity::{Options, Outcome, run_compare};
use serde_json::json;

fn policy(env: &str, capabilities: &str) -> String {
    format!(
        "path \"secret/data/{env}/app/*\" {{\n  capabilities = [{capabilities}]\n}}\n\npath \"auth/token/lookup-self\" {{\n  capabilities = [\"read\"]\n}}\n"
    )
}

fn state(policies: &[(&str, &str)]) -> serde_json::Value {
    let resources: Vec<serde_json::Value> = policies
        .iter()
        .enumerate()
        .map(|(i, (name, text))| {
            json!({"address": format!("vault_policy.p{i}"), "mode": "managed", "type": "vault_policy",
                   "name": format!("p{i}"), "provider_name": "registry.terraform.io/hashicorp/vault",
                   "schema_version": 0, "values": {"id": name, "name": name, "namespace": null, "policy": text},
                   "sensitive_values": {}})
        })
        .collect();
    json!({"format_version": "1.0", "terraform_version": "1.11.4",
           "values": {"root_module": {"resources": resources}}})
}

fn write(dir: &Path, name: &str, text: &str) {
    std::fs::create_dir_all(dir).expect("folder");
    std::fs::write(dir.join(name), text).expect("written");
}

fn compare(staging: &Path, production: &Path) -> Outcome {
    run_compare(&Options {
        staging: vec![staging.to_path_buf()],
        production: vec![production.to_path_buf()],
        mappings: vec![("stg".to_string(), "prod".to_string())],
        fingerprint_key: b"terraform-vault-key".to_vec(),
        ingest: IngestOptions::default(),
        fail_on: Some(Severity::High),
    })
}

fn findings(outcome: &Outcome) -> Vec<String> {
    let mut out: Vec<String> = outcome
        .report
        .findings
        .iter()
        .map(|f| {
            format!(
                "{} {:?} {:?} {}",
                f.rule.id(),
                f.subject.staging,
                f.subject.production,
                f.fingerprint
            )
        })
        .collect();
    out.sort();
    out
}

#[test]
fn vault_policies_in_terraform_compare_like_hcl_files() {
    let work = tempfile::tempdir().expect("temporary directory");
    let dir = work.path();
    let stg = policy("stg", "\"read\", \"list\", \"delete\"");
    let prd = policy("prod", "\"read\", \"list\"");
    write(&dir.join("hcl/staging"), "app.hcl", &stg);
    write(&dir.join("hcl/production"), "app.hcl", &prd);
    let text = |v: serde_json::Value| serde_json::to_string_pretty(&v).expect("serializes");
    write(
        &dir.join("tf/staging"),
        "state.json",
        &text(state(&[("app", &stg)])),
    );
    write(
        &dir.join("tf/production"),
        "state.json",
        &text(state(&[("app", &prd)])),
    );
    let native = compare(&dir.join("hcl/staging"), &dir.join("hcl/production"));
    let terraform = compare(&dir.join("tf/staging"), &dir.join("tf/production"));
    // The same policies in the model (their rules, without where they were read)...
    let rules = |outcome: &Outcome| -> Vec<serde_json::Value> {
        [&outcome.staging, &outcome.production]
            .iter()
            .flat_map(|s| &s.vault.policies)
            .map(|p| {
                let rules: Vec<_> = p
                    .rules
                    .iter()
                    .map(|r| serde_json::to_value(&r.rule).expect("json"))
                    .collect();
                json!({"name": p.name, "rules": rules})
            })
            .collect()
    };
    assert_eq!(rules(&native).len(), 2);
    assert_eq!(rules(&native), rules(&terraform));
    // ...so the same findings, whatever the comparison of Vault policies finds.
    assert_eq!(findings(&native), findings(&terraform));
    assert_eq!(terraform.staging.vault.policies[0].rules.len(), 2);
}

#[test]
fn a_policy_known_only_after_apply_is_withheld() {
    let plan = json!({"format_version": "1.2", "terraform_version": "1.11.4",
        "planned_values": {"root_module": {"resources": [
            {"address": "vault_policy.app", "mode": "managed", "type": "vault_policy", "name": "app",
             "values": {"name": "app"}}]}},
        "resource_changes": [{"address": "vault_policy.app",
            "change": {"actions": ["create"], "after_unknown": {"policy": true, "id": true}}}]});
    let snapshot = envparity::ingest::read_bytes(
        "staging",
        "plan.json",
        plan.to_string().as_bytes(),
        &envparity::model::Fingerprinter::new(b"k"),
        &IngestOptions::default(),
    );
    assert!(snapshot.vault.policies.is_empty());
    assert!(
        snapshot.diagnostics.iter().any(|d| d
            .message
            .contains("`policy` of `vault_policy.app` is known only after apply")),
        "{:?}",
        snapshot.diagnostics
    );
}
