//! Fuzz target: GCP IAM. The input is read as a whole `gcloud` output file (an allow policy by
//! its file name), then (when it is text) placed as a binding's condition, a member, a deny
//! rule's principal, permission and denial condition, and a role's permission, both through
//! ingest and straight into the engine, which compares and evaluates the result. Never
//! panics; every diagnostic is one line naming the file; every witness is confirmed.
#![no_main]

use envparity::ingest::{IngestOptions, read_bytes};
use envparity::model::Fingerprinter;
use envparity_access::gcp::{
    Comparator, Decision, Evaluator, Request, Resource, parse_allow_policy, parse_deny_policy,
    parse_role,
};
use libfuzzer_sys::fuzz_target;
use serde_json::{Value, json};

fn ingest(shown: &str, bytes: &[u8]) {
    let options = IngestOptions {
        render_kustomize: false,
        ..IngestOptions::default()
    };
    let snapshot = read_bytes(
        "staging",
        shown,
        bytes,
        &Fingerprinter::new(b"fuzz-key"),
        &options,
    );
    for d in &snapshot.diagnostics {
        assert!(!d.message.contains('\n'), "multi-line diagnostic: {d:?}");
        assert!(!d.path.is_empty(), "diagnostic without a path: {d:?}");
    }
}

fn documents(text: &str) -> (Value, Value, Value) {
    let allow = json!({
        "bindings": [
            {"role": "roles/custom", "members": ["user:a@example.com", text],
             "condition": {"title": "fuzz", "expression": text}},
            {"role": "roles/viewer", "members": [text]},
        ],
        "etag": "BwYAAAAAAAA=",
        "version": 3,
    });
    let deny = json!({
        "name": "policies/cloudresourcemanager.googleapis.com%2Fprojects%2Fp/denypolicies/d",
        "rules": [{"denyRule": {
            "deniedPrincipals": [text, "principalSet://goog/public:all"],
            "exceptionPrincipals": [text],
            "deniedPermissions": [text, "storage.googleapis.com/objects.*"],
            "exceptionPermissions": [text],
            "denialCondition": {"title": "fuzz", "expression": text},
        }}],
    });
    let role =
        json!({"name": "roles/custom", "includedPermissions": [text, "storage.objects.get"]});
    (allow, deny, role)
}

fn engine(text: &str, allow: &Value, deny: &Value, role: &Value) {
    let (Ok(allow), Ok(deny), Ok(Some(role))) = (
        parse_allow_policy("projects/p", allow),
        parse_deny_policy(deny),
        parse_role(role),
    ) else {
        return;
    };
    let mut staging = envparity_access::gcp::Model::default();
    staging.allow.push(allow);
    staging.deny.push(deny);
    staging.roles.insert(role.name.clone(), role);
    let production = envparity_access::gcp::Model::default();
    let comparator = Comparator::new(&staging, &production);
    for principal in ["user:a@example.com", text] {
        let result = comparator.compare(principal);
        for w in &result.staging_only {
            assert_eq!(
                Evaluator::new(&staging).evaluate(&w.request),
                Decision::Allowed
            );
        }
    }
    let request = Request {
        principal: text.to_string(),
        permission: text.to_string(),
        resource: Resource {
            node: "projects/p".to_string(),
            name: text.to_string(),
            ..Resource::default()
        },
        ..Request::default()
    };
    let _ = Evaluator::new(&staging).evaluate(&request);
}

fuzz_target!(|data: &[u8]| {
    ingest("fuzz/projects-p.iam.json", data);
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let (allow, deny, role) = documents(text);
    for (name, value) in [
        ("projects-p.iam.json", &allow),
        ("deny.json", &deny),
        ("role.json", &role),
    ] {
        ingest(&format!("fuzz/{name}"), value.to_string().as_bytes());
    }
    engine(text, &allow, &deny, &role);
});
