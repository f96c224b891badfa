//! Vault ingest on the fixtures under `testdata/vault/`: HCL, JSON and `vault read` forms of
//! ACL policies, auth roles named by file or by the JSON, what is not a Vault input, and the
//! one-line diagnostics of broken policies (the other files are still read).

use std::path::PathBuf;

mod reading;

use envparity::ingest::{IngestOptions, read_bytes};
use envparity::model::{Fingerprinter, Level, Snapshot};
use proptest::prelude::*;
use reading::{read, read_one};

fn diagnostics(snapshot: &Snapshot) -> Vec<String> {
    snapshot
        .diagnostics
        .iter()
        .map(|d| format!("{:?} {}", d.level, d.one_line()))
        .collect()
}

#[test]
fn policies_and_roles_inventory() {
    let snapshot = read(&["testdata/vault/policies", "testdata/vault/roles"]);
    assert!(!snapshot.has_errors(), "{:?}", diagnostics(&snapshot));
    let formats: Vec<(String, String, usize)> = snapshot
        .sources
        .iter()
        .map(|s| (s.path.clone(), s.format.clone(), s.objects))
        .collect();
    insta::assert_json_snapshot!("vault_sources", formats);
    insta::assert_json_snapshot!("vault_inventory", snapshot.vault);
}

#[test]
fn rules_keep_their_lines_and_names() {
    let snapshot = read(&["testdata/vault/policies"]);
    let payments = snapshot
        .vault
        .policies
        .iter()
        .find(|p| p.name == "payments")
        .expect("the policy is named after its file");
    let lines: Vec<Option<u32>> = payments.rules.iter().map(|r| r.provenance.line).collect();
    assert_eq!(
        lines,
        [Some(2), Some(6), Some(10), Some(14), Some(23), Some(27)]
    );
    let reader = snapshot
        .vault
        .policies
        .iter()
        .find(|p| p.name == "kv-reader")
        .expect("named by `data.name`");
    assert_eq!(reader.rules.len(), 2);
}

#[test]
fn role_names_come_from_the_json_or_the_file_name() {
    let snapshot = read(&["testdata/vault/roles"]);
    let mut names: Vec<String> = snapshot
        .vault
        .roles
        .iter()
        .map(|r| r.qualified_name())
        .collect();
    names.sort();
    assert_eq!(
        names,
        ["auth/jwt/role/ci-deploy", "auth/kubernetes/role/payments"]
    );
    let ci = snapshot
        .vault
        .roles
        .iter()
        .find(|r| r.mount == "jwt")
        .expect("jwt role");
    assert_eq!((ci.token_ttl, ci.token_max_ttl), (Some(900), Some(1800)));
    assert!(ci.no_default_policy);
    let unnamed = read_one(
        "role.json",
        r#"{"request_id": "x", "data": {"token_policies": ["a"], "token_ttl": 60}}"#,
    );
    assert_eq!(
        unnamed.vault.roles[0].qualified_name(),
        "auth/unknown/role/role"
    );
    assert!(
        unnamed
            .diagnostics
            .iter()
            .any(|d| d.level == Level::Warning
                && d.message.contains("auth-<mount>-role-<name>.json"))
    );
}

#[test]
fn broken_policies_are_errors_with_lines_and_other_files_still_read() {
    let snapshot = read(&["testdata/vault/broken", "testdata/vault/policies"]);
    let errors: Vec<String> = snapshot
        .diagnostics
        .iter()
        .filter(|d| d.level == Level::Error)
        .map(|d| d.one_line())
        .collect();
    assert_eq!(errors.len(), 2, "{errors:?}");
    assert!(
        errors[0].starts_with("testdata/vault/broken/typo.hcl:5: path `secret/data/app/config`: invalid key `capabilites`"),
        "{errors:?}"
    );
    assert!(
        errors[1].starts_with("testdata/vault/broken/unclosed.hcl:3: invalid HCL at line 3"),
        "{errors:?}"
    );
    assert!(errors.iter().all(|e| !e.contains('\n')));
    assert_eq!(snapshot.vault.policies.len(), 3);
    let bad = read_one(
        "p.json",
        r#"{"path": {"a/*": {"capabilities": ["read", "banana"]}}}"#,
    );
    assert_eq!(
        diagnostics(&bad),
        ["Error p.json:1: policy `p`: path `a/*`: invalid capability `banana`"]
    );
}

#[test]
fn other_inputs_are_not_vault() {
    let snapshot = read(&["testdata/vault/other"]);
    assert!(snapshot.vault.is_empty());
    assert_eq!(
        snapshot.kube.config_maps.len(),
        1,
        "the ConfigMap stays Kubernetes"
    );
    assert!(
        snapshot
            .diagnostics
            .iter()
            .any(|d| d.level == Level::Info && d.message.contains("not a Vault policy"))
    );
    // A `policy` string that does not mention `path` is not a Vault policy.
    let config = read_one("app.json", r#"{"name": "retry", "policy": "exponential"}"#);
    assert!(config.vault.is_empty());
}

#[test]
fn duplicate_policy_names_keep_the_first() {
    let dir = tempfile::tempdir().expect("temporary directory");
    for (sub, pattern) in [("a", "x"), ("b", "y")] {
        let path = dir.path().join(sub);
        std::fs::create_dir_all(&path).expect("directory");
        let text = format!("path \"{pattern}\" {{\n  capabilities = [\"read\"]\n}}\n");
        std::fs::write(path.join("app.hcl"), text).expect("file");
    }
    let root = dir.path().display().to_string();
    let snapshot = read(&[&root]);
    assert_eq!(snapshot.vault.policies.len(), 1);
    assert_eq!(snapshot.vault.policies[0].rules[0].rule.pattern, "x");
    assert!(
        snapshot
            .diagnostics
            .iter()
            .any(|d| d.level == Level::Warning && d.message.contains("already read"))
    );
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 512, ..ProptestConfig::default() })]

    /// Arbitrary text named as a policy never panics; every diagnostic is one line naming the
    /// file.
    #[test]
    fn random_policy_text_never_panics(text in "(path \"[a-z/+*]{0,8}\" \\{ ?(capabilities|policy|allowed_parameters|max_wrapping_ttl) ?= ?[\\[\\]\"a-z0-9{}=, ]{0,20}\\}?\n?){0,3}") {
        for shown in ["policy.hcl", "policy.json", "auth-k8s-role-x.json"] {
            let snapshot = read_one(shown, &text);
            for d in &snapshot.diagnostics {
                prop_assert!(!d.message.contains('\n'), "{}", d.message);
                prop_assert_eq!(&d.path, shown);
            }
        }
    }

    #[test]
    fn random_bytes_never_panic(bytes in prop::collection::vec(any::<u8>(), 0..256)) {
        let snapshot = read_bytes(
            "staging",
            "policy.hcl",
            &bytes,
            &Fingerprinter::new(b"k"),
            &IngestOptions::default(),
        );
        for d in &snapshot.diagnostics {
            prop_assert!(!d.message.contains('\n'), "{}", d.message);
        }
    }
}

#[test]
fn templated_paths_and_comment_styles_parse() {
    let text = "# Allow tokens to look up their own properties\npath \"auth/token/lookup-self\" {\n    capabilities = [\"read\"]\n}\n\n// identity templating\npath \"identity/entity/id/{{identity.entity.id}}\" {\n  capabilities = [\"read\"]\n}\n/* legacy */\npath \"cubbyhole/*\" {\n    capabilities = [\"create\", \"read\", \"update\", \"delete\", \"list\"]\n}\n";
    let snapshot = read_one("default.hcl", text);
    assert!(
        snapshot.diagnostics.is_empty(),
        "{:?}",
        diagnostics(&snapshot)
    );
    let policy = &snapshot.vault.policies[0];
    assert_eq!(policy.name, "default");
    assert_eq!(
        policy.rules[1].rule.pattern,
        "identity/entity/id/{{identity.entity.id}}"
    );
    assert_eq!(policy.rules[1].provenance.line, Some(7));
}

/// Inputs that once crashed the `vault_policy` fuzz target, replayed as the target reads them.
#[test]
fn fuzz_regressions() {
    let dir = std::path::Path::new("testdata/fuzz-regressions/vault_policy");
    let mut inputs: Vec<PathBuf> = std::fs::read_dir(dir)
        .map(|entries| entries.filter_map(|e| e.ok().map(|e| e.path())).collect())
        .unwrap_or_default();
    inputs.sort();
    assert!(!inputs.is_empty());
    for input in inputs {
        let bytes = std::fs::read(&input).expect("readable");
        for shown in [
            "fuzz/policy.hcl",
            "fuzz/policy.json",
            "fuzz/auth-kubernetes-role-app.json",
        ] {
            let snapshot = read_bytes(
                "staging",
                shown,
                &bytes,
                &Fingerprinter::new(b"fuzz-key"),
                &IngestOptions::default(),
            );
            for d in &snapshot.diagnostics {
                assert!(!d.message.contains('\n'), "{}: {d:?}", input.display());
            }
        }
    }
}
