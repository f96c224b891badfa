//! Reading fixtures as one environment, shared by the ingest test binaries: whole files and
//! directories through `read_environment`, or one file's text through `read_bytes`. Each
//! binary uses what it needs of it.
#![allow(dead_code)]

use std::path::PathBuf;

use envparity::ingest::{IngestOptions, read_bytes, read_environment};
use envparity::model::{Fingerprinter, Snapshot};

/// The files or directories at `paths`, read as staging.
pub fn read(paths: &[&str]) -> Snapshot {
    let inputs: Vec<PathBuf> = paths.iter().map(PathBuf::from).collect();
    read_environment(
        "staging",
        &inputs,
        &Fingerprinter::new(b"ingest-test-key"),
        &IngestOptions::default(),
    )
}

/// `text` read as staging's file `shown`.
pub fn read_one(shown: &str, text: &str) -> Snapshot {
    read_bytes(
        "staging",
        shown,
        text.as_bytes(),
        &Fingerprinter::new(b"ingest-test-key"),
        &IngestOptions::default(),
    )
}
