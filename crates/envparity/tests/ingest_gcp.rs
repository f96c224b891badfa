//! GCP ingest on the fixtures under `testdata/gcp/`: every `gcloud` output detected by
//! content, the resource of a policy from its file name, one line per binding, and the
//! diagnostics of files of the wrong shape. Random JSON never panics.

mod reading;

use envparity::model::Level;
use proptest::prelude::*;
use reading::{read, read_one};

#[test]
fn inventory_snapshot() {
    let snapshot = read(&["testdata/gcp/inventory"]);
    let formats: Vec<(String, String, usize)> = snapshot
        .sources
        .iter()
        .map(|s| {
            (
                s.path.rsplit('/').next().unwrap_or("").to_string(),
                s.format.clone(),
                s.objects,
            )
        })
        .collect();
    insta::assert_json_snapshot!(
        "gcp_inventory",
        serde_json::json!({
            "sources": formats,
            "diagnostics": snapshot.diagnostics,
            "gcp": snapshot.gcp,
        })
    );
}

#[test]
fn every_file_is_recognised() {
    let snapshot = read(&["testdata/gcp/inventory"]);
    let files = std::fs::read_dir("testdata/gcp/inventory").unwrap().count();
    assert_eq!(snapshot.sources.len(), files, "{:?}", snapshot.diagnostics);
    assert!(
        snapshot
            .sources
            .iter()
            .all(|s| s.format.starts_with("gcp-"))
    );
    assert!(!snapshot.has_errors());
}

#[test]
fn a_policy_without_resource_is_kept_with_a_warning() {
    let s = read_one(
        "exports/policy.json",
        r#"{"bindings": [{"role": "roles/viewer", "members": ["user:a@example.com"]}], "etag": "x"}"#,
    );
    assert_eq!(s.gcp.policies.len(), 1);
    assert_eq!(s.gcp.policies[0].resource, None);
    let warning = s
        .diagnostics
        .iter()
        .find(|d| d.level == Level::Warning)
        .unwrap();
    assert!(
        warning.message.contains("projects-<id>.iam.json"),
        "{}",
        warning.message
    );
}

#[test]
fn bindings_of_the_wrong_shape_are_skipped_with_their_line() {
    let text = "{\n  \"bindings\": [\n    {\"role\": \"roles/viewer\", \"members\": \"user:a@example.com\"},\n    {\"role\": \"roles/editor\", \"members\": [\"user:b@example.com\"]}\n  ],\n  \"etag\": \"x\"\n}\n";
    let s = read_one("projects-p.iam.json", text);
    assert_eq!(s.gcp.policies[0].bindings.len(), 1);
    assert_eq!(s.gcp.policies[0].bindings[0].line, Some(4));
    let warning = s
        .diagnostics
        .iter()
        .find(|d| d.level == Level::Warning)
        .unwrap();
    assert_eq!(warning.line, Some(3));
    assert!(
        warning.message.contains("`roles/viewer`"),
        "{}",
        warning.message
    );
}

#[test]
fn deny_rules_that_cannot_be_read_make_the_rules_unknown() {
    let text = r#"{"name": "policies/cloudresourcemanager.googleapis.com%2Fprojects%2Fp/denypolicies/d",
                  "rules": [{"denyRule": {"deniedPrincipals": "principalSet://goog/public:all"}}]}"#;
    let s = read_one("deny.json", text);
    assert_eq!(s.gcp.deny_policies.len(), 1);
    assert!(s.gcp.deny_policies[0].rules.is_none());
    assert_eq!(s.gcp.deny_policies[0].attachment, "projects/p");
}

#[test]
fn other_json_is_not_gcp() {
    for (name, text) in [
        (
            "values.json",
            r#"{"bindings": {"port": 8080}, "replicas": 2}"#,
        ),
        (
            "k8s.json",
            r#"{"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "x"}, "data": {"etag": "1"}}"#,
        ),
        ("list.json", r#"[{"name": "a"}, {"name": "b"}]"#),
    ] {
        let s = read_one(name, text);
        assert!(s.gcp.is_empty(), "{name}: {:?}", s.gcp);
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(300))]

    /// Random JSON shaped like `gcloud` output never panics and never loses the file
    /// without a diagnostic or source.
    #[test]
    fn random_gcloud_like_json_never_panics(
        keys in prop::collection::vec(prop::sample::select(vec![
            "bindings", "role", "members", "etag", "condition", "expression", "rules", "denyRule",
            "deniedPrincipals", "deniedPermissions", "name", "includedPermissions", "email",
            "uniqueId", "projectId", "keyType", "validAfterTime", "projectNumber", "parent",
            "policy", "resource", "id", "type", "kind",
        ]), 1..8),
        values in prop::collection::vec(prop::sample::select(vec![
            "\"roles/viewer\"", "[\"user:a@b.c\"]", "[]", "{}", "1", "null", "true",
            "\"policies/x%2Fy/denypolicies/z\"", "[{\"role\": \"r\"}]", "[{\"denyRule\": {}}]",
            "{\"expression\": \"a &&\"}", "\"projects/p/serviceAccounts/a@b/keys/k\"",
            "{\"type\": \"folder\", \"id\": \"1\"}", "{\"bindings\": 3}",
        ]), 1..8),
        list in any::<bool>(),
    ) {
        let fields: Vec<String> = keys
            .iter()
            .zip(values.iter().cycle())
            .map(|(k, v)| format!("\"{k}\": {v}"))
            .collect();
        let object = format!("{{{}}}", fields.join(", "));
        let text = if list { format!("[{object}, {object}]") } else { object };
        let s = read_one("projects-p.iam.json", &text);
        prop_assert!(!s.sources.is_empty() || !s.diagnostics.is_empty());
    }
}
