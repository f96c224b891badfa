//! Terraform `vault_policy` gives the same policies (so the same findings) as HCL files of
//! the same policies; a policy whose text waits for apply is withheld with a warning.

use envparity::Outcome;
use envparity::ingest::IngestOptions;
use serde_json::json;

use crate::support::{compare, findings, resource, write_json, write_text};

/// Staging's names renamed into production's.
const ENVS: &[(&str, &str)] = &[("stg", "prod")];

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
            resource(
                "vault",
                &format!("vault_policy.p{i}"),
                json!({"id": name, "name": name, "namespace": null, "policy": text}),
            )
        })
        .collect();
    json!({"format_version": "1.0", "terraform_version": "1.11.4",
           "values": {"root_module": {"resources": resources}}})
}

#[test]
fn vault_policies_in_terraform_compare_like_hcl_files() {
    let work = tempfile::tempdir().expect("temporary directory");
    let dir = work.path();
    let stg = policy("stg", "\"read\", \"list\", \"delete\"");
    let prd = policy("prod", "\"read\", \"list\"");
    write_text(&dir.join("hcl/staging"), "app.hcl", &stg);
    write_text(&dir.join("hcl/production"), "app.hcl", &prd);
    write_json(
        &dir.join("tf/staging"),
        "state.json",
        &state(&[("app", &stg)]),
    );
    write_json(
        &dir.join("tf/production"),
        "state.json",
        &state(&[("app", &prd)]),
    );
    let native = compare(&dir.join("hcl/staging"), &dir.join("hcl/production"), ENVS);
    let terraform = compare(&dir.join("tf/staging"), &dir.join("tf/production"), ENVS);
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
