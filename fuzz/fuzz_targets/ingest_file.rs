//! Fuzz target: ingest of one file's bytes (`read_bytes`, the pure part of
//! `read_environment`) never panics, and every diagnostic is one line naming the file.
#![no_main]

use envparity::ingest::{IngestOptions, read_bytes};
use envparity::model::Fingerprinter;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|bytes: &[u8]| {
    let fingerprinter = Fingerprinter::new(b"fuzz-key");
    let options = IngestOptions {
        render_kustomize: false,
        ..IngestOptions::default()
    };
    let snapshot = read_bytes(
        "staging",
        "fuzz/input.yaml",
        bytes,
        &fingerprinter,
        &options,
    );
    for d in &snapshot.diagnostics {
        assert!(!d.message.contains('\n'), "multi-line diagnostic: {d:?}");
        assert!(!d.path.is_empty(), "diagnostic without a path: {d:?}");
    }
});
