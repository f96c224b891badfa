//! Fuzz target: config files of every kind (`.env`, properties, tfvars, Go-template values,
//! Helm values) never panic ingest, every diagnostic is one line, and no value of a
//! credential-named key reaches the model in clear.
#![no_main]

use envparity::ingest::{IngestOptions, read_bytes};
use envparity::model::Fingerprinter;
use libfuzzer_sys::fuzz_target;

const NAMES: &[&str] = &[
    "app/.env",
    "app/.env.staging",
    "app/application.properties",
    "env/config.tfvars",
    "overrides/api.yaml.gotmpl",
    "charts/app/values-staging.yaml",
    "overrides/staging.env",
    "config.json",
];

fuzz_target!(|input: &[u8]| {
    let Some((&selector, bytes)) = input.split_first() else {
        return;
    };
    let name = NAMES[usize::from(selector) % NAMES.len()];
    let fingerprinter = Fingerprinter::new(b"fuzz-key");
    let options = IngestOptions {
        render_kustomize: false,
        ..IngestOptions::default()
    };
    let snapshot = read_bytes("staging", name, bytes, &fingerprinter, &options);
    for d in &snapshot.diagnostics {
        assert!(!d.message.contains('\n'), "multi-line diagnostic: {d:?}");
    }
    for file in &snapshot.config_files {
        for setting in &file.entries {
            let literal = setting.value.literal();
            if literal.sensitive {
                assert_eq!(literal.shown(), "(redacted secret value)");
            }
        }
    }
});
