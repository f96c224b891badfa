//! Inputs that once crashed a fuzz target (or an adversarial test), replayed through the same
//! code as the target: `testdata/fuzz-regressions/<target>/*`. Each runs on a 2 MB stack so a
//! stack overflow fails here as it did there.

use std::path::{Path, PathBuf};

use envparity::ingest::{IngestOptions, Limits, parse_documents, read_bytes};
use envparity::model::Fingerprinter;
use envparity::report::{Format, TextStyle, render};
use envparity::{Options, run_compare};

/// The regression inputs of one target, sorted by name (none when the folder is absent).
fn inputs(target: &str) -> Vec<(String, Vec<u8>)> {
    let dir = Path::new("testdata/fuzz-regressions").join(target);
    let mut paths: Vec<PathBuf> = std::fs::read_dir(&dir)
        .map(|entries| entries.filter_map(|e| e.ok().map(|e| e.path())).collect())
        .unwrap_or_default();
    paths.sort();
    paths
        .into_iter()
        .filter_map(|p| {
            let bytes = std::fs::read(&p).ok()?;
            Some((p.display().to_string(), bytes))
        })
        .collect()
}

/// Runs `check` on every input of `target` on a thread with a 2 MB stack.
fn replay(target: &'static str, check: fn(&str, &[u8])) {
    let handle = std::thread::Builder::new()
        .name(target.to_string())
        .stack_size(2 * 1024 * 1024)
        .spawn(move || {
            for (name, bytes) in inputs(target) {
                check(&name, &bytes);
            }
        });
    match handle.map(std::thread::JoinHandle::join) {
        Ok(Ok(())) => {}
        Ok(Err(_)) => panic!("a `{target}` regression input failed"),
        Err(e) => panic!("cannot spawn a thread: {e}"),
    }
}

#[test]
fn yaml_documents() {
    replay("yaml_documents", |name, bytes| {
        let Ok(text) = std::str::from_utf8(bytes) else {
            return;
        };
        if let Err(e) = parse_documents(text, &Limits::default()) {
            assert!(e.line >= 1 && e.column >= 1, "{name}: {e:?}");
            assert!(!e.to_string().contains('\n'), "{name}: {e:?}");
        }
    });
}

#[test]
fn ingest_file() {
    replay("ingest_file", |name, bytes| {
        let options = IngestOptions {
            render_kustomize: false,
            ..IngestOptions::default()
        };
        let fingerprinter = Fingerprinter::new(b"fuzz-key");
        let snapshot = read_bytes(
            "staging",
            "fuzz/input.yaml",
            bytes,
            &fingerprinter,
            &options,
        );
        for d in &snapshot.diagnostics {
            assert!(!d.message.contains('\n'), "{name}: {d:?}");
            assert!(!d.path.is_empty(), "{name}: {d:?}");
        }
    });
}

#[test]
fn compare_two_inputs() {
    replay("compare_two_inputs", |name, data| {
        let (staging, production) = match data.iter().position(|&b| b == 0) {
            Some(at) => (&data[..at], &data[at + 1..]),
            None => (data, &b""[..]),
        };
        let Ok(dir) = tempfile::tempdir() else {
            panic!("cannot create a temporary directory");
        };
        let staging_file = dir.path().join("staging.yaml");
        let production_file = dir.path().join("production.yaml");
        let written = std::fs::write(&staging_file, staging)
            .and_then(|()| std::fs::write(&production_file, production));
        assert!(written.is_ok(), "{name}: cannot write the inputs");
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
}
