//! Fuzz target: Terraform `show -json` lowering. The input is read as a whole document, then
//! (when it is text) placed as one resource of a state, as a plan's whole root module with
//! its marks and configuration, and as a plan's resource change, so arbitrary shapes reach
//! every reader of resources, marks and references. Never panics; every diagnostic is one
//! line naming the file.
#![no_main]

use envparity::ingest::{IngestOptions, read_bytes};
use envparity::model::Fingerprinter;
use libfuzzer_sys::fuzz_target;

fn check(bytes: &[u8]) {
    let fingerprinter = Fingerprinter::new(b"fuzz-key");
    let options = IngestOptions {
        render_kustomize: false,
        ..IngestOptions::default()
    };
    let snapshot = read_bytes("staging", "fuzz/plan.json", bytes, &fingerprinter, &options);
    for d in &snapshot.diagnostics {
        assert!(!d.message.contains('\n'), "multi-line diagnostic: {d:?}");
        assert!(!d.path.is_empty(), "diagnostic without a path: {d:?}");
    }
}

fuzz_target!(|data: &[u8]| {
    check(data);
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    check(
        format!(
            r#"{{"format_version":"1.0","values":{{"root_module":{{"resources":[{text}]}}}}}}"#
        )
        .as_bytes(),
    );
    check(
        format!(
            r#"{{"format_version":"1.2","planned_values":{{"root_module":{text}}},"resource_changes":[{{"address":"aws_iam_role.a","change":{{"after_unknown":{text},"after_sensitive":{text}}}}}],"configuration":{{"root_module":{text}}}}}"#
        )
        .as_bytes(),
    );
});
