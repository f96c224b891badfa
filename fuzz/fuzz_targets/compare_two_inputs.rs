//! Fuzz target: two byte strings (split at the first NUL byte) as the single manifest file of
//! staging and of production; `run_compare` and the renderers never panic.
#![no_main]

use std::path::PathBuf;
use std::sync::OnceLock;

use envparity::ingest::IngestOptions;
use envparity::report::{Format, TextStyle, render};
use envparity::{Options, run_compare};
use libfuzzer_sys::fuzz_target;

/// One directory per fuzzing process, reused by every run.
fn dir() -> &'static PathBuf {
    static DIR: OnceLock<PathBuf> = OnceLock::new();
    DIR.get_or_init(|| {
        let dir = std::env::temp_dir().join(format!("envparity-fuzz-{}", std::process::id()));
        for env in ["staging", "production"] {
            let _ = std::fs::create_dir_all(dir.join(env));
        }
        dir
    })
}

fuzz_target!(|data: &[u8]| {
    let (staging, production) = match data.iter().position(|&b| b == 0) {
        Some(at) => (&data[..at], &data[at + 1..]),
        None => (data, &b""[..]),
    };
    let staging_file = dir().join("staging/app.yaml");
    let production_file = dir().join("production/app.yaml");
    if std::fs::write(&staging_file, staging).is_err()
        || std::fs::write(&production_file, production).is_err()
    {
        return;
    }
    let options = Options {
        staging: vec![staging_file],
        production: vec![production_file],
        mappings: Vec::new(),
        fingerprint_key: b"fuzz-key".to_vec(),
        ingest: IngestOptions {
            render_kustomize: false,
            ..IngestOptions::default()
        },
        fail_on: None,
    };
    let outcome = run_compare(&options);
    for format in [Format::Json, Format::Text] {
        let _ = render(&outcome.report, format, TextStyle::default());
    }
});
