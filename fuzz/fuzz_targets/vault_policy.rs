//! Fuzz target: Vault / OpenBao policies. The input is read as a policy file (HCL by name, a
//! JSON policy, a `vault read` wrapper holding the text) and as an auth role; every policy
//! ingest accepts is built into an ACL and compared with itself (equal) and with an empty ACL
//! (every witness confirmed by the evaluator). Never panics; every diagnostic is one line
//! naming the file.
#![no_main]

use envparity::ingest::{IngestOptions, read_bytes};
use envparity::model::{Fingerprinter, Snapshot};
use envparity_access::Verdict;
use envparity_access::vault::{Acl, Flavor, Identity, Policy, allows, compare};
use libfuzzer_sys::fuzz_target;
use serde_json::json;

fn ingest(shown: &str, bytes: &[u8]) -> Snapshot {
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
        assert_eq!(d.path, shown, "diagnostic naming another file: {d:?}");
    }
    snapshot
}

fn engine(snapshot: &Snapshot) {
    for policy in &snapshot.vault.policies {
        let policy = Policy {
            name: policy.name.clone(),
            rules: policy.rules.iter().map(|r| r.rule.clone()).collect(),
        };
        for flavor in [Flavor::Vault, Flavor::OpenBao] {
            let Ok(acl) = Acl::new(std::slice::from_ref(&policy), flavor) else {
                continue;
            };
            let Ok(empty) = Acl::new(&[], flavor) else {
                continue;
            };
            let same = compare(&acl, &acl, &Identity);
            assert_eq!(same.verdict, Verdict::Equal, "{:?}", same.unknown);
            let c = compare(&acl, &empty, &Identity);
            for w in &c.staging_only {
                assert!(allows(&acl, &w.staging_request) && !allows(&empty, &w.request));
            }
            assert!(c.production_only.is_empty());
        }
    }
}

fuzz_target!(|data: &[u8]| {
    engine(&ingest("fuzz/policy.hcl", data));
    engine(&ingest("fuzz/policy.json", data));
    ingest("fuzz/auth-kubernetes-role-app.json", data);
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let wrapped = json!({"request_id": "x", "data": {"name": "p", "policy": text}});
    engine(&ingest("fuzz/read.json", wrapped.to_string().as_bytes()));
});
