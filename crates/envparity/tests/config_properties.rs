//! Properties of config ingest: any bytes under any config file name never panic and give
//! one-line diagnostics; a credential planted under a credential key in any format never
//! appears in the model's text; Helm's merge of a base and an overlay agrees with a
//! brute-force reference merge over flat key paths.

use std::collections::BTreeMap;

use envparity::ingest::{IngestOptions, read_bytes};
use envparity::model::{ConfigValue, Fingerprinter, Snapshot};
use proptest::prelude::*;

const NAMES: &[&str] = &[
    "app/.env",
    "app/application.properties",
    "env/config.tfvars",
    "overrides/api.yaml.gotmpl",
    "charts/app/values.yaml",
    "overrides/staging.env",
    "config.json",
];

fn read(name: &str, text: &str) -> Snapshot {
    let options = IngestOptions {
        render_kustomize: false,
        ..IngestOptions::default()
    };
    read_bytes(
        "staging",
        name,
        text.as_bytes(),
        &Fingerprinter::new(b"k"),
        &options,
    )
}

fn all_text(snapshot: &Snapshot) -> String {
    let mut out = String::new();
    for file in &snapshot.config_files {
        for setting in &file.entries {
            out.push_str(setting.value.literal().text());
            out.push('\n');
        }
    }
    out.push_str(&serde_json::to_string(snapshot).unwrap_or_default());
    for d in &snapshot.diagnostics {
        out.push_str(&d.message);
    }
    out
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(1500))]

    #[test]
    fn any_bytes_under_any_config_name_never_panic(index in 0..NAMES.len(), bytes in proptest::collection::vec(any::<u8>(), 0..400)) {
        let options = IngestOptions { render_kustomize: false, ..IngestOptions::default() };
        let snapshot = read_bytes("staging", NAMES[index], &bytes, &Fingerprinter::new(b"k"), &options);
        for d in &snapshot.diagnostics {
            prop_assert!(!d.message.contains('\n'), "{d:?}");
        }
    }

    #[test]
    fn planted_credentials_never_reach_the_model(secret in "[A-Za-z][A-Za-z0-9]{11,30}", format in 0..6usize) {
        let canary = format!("Zq{secret}9");
        let (name, text) = match format {
            0 => ("app/.env", format!("DB_PASSWORD={canary}\nLOG=info\n")),
            1 => ("app/application.properties", format!("db.password = {canary}\nx=1\n")),
            2 => ("env/config.tfvars", format!("db_password = \"{canary}\"\n")),
            3 => ("charts/app/values.yaml", format!("app:\n  apiKey: {canary}\n")),
            4 => ("overrides/api.yaml.gotmpl", format!("api:\n  {{{{ if eq .Environment.Name \"staging\" }}}}\n  TOKEN: \"{canary}\"\n  {{{{ end }}}}\n")),
            _ => ("config.json", format!("{{\"client_secret\": \"{canary}\"}}")),
        };
        let snapshot = read(name, &text);
        prop_assert!(!snapshot.config_files.is_empty(), "{name} not read: {:?}", snapshot.diagnostics);
        prop_assert!(!all_text(&snapshot).contains(&canary), "{name} leaks");
    }

    #[test]
    fn helm_merge_agrees_with_a_flat_reference(
        base in proptest::collection::btree_map("[a-c]", proptest::collection::btree_map("[x-z]", proptest::option::of(0u8..4), 0..3), 0..3),
        overlay in proptest::collection::btree_map("[a-c]", proptest::collection::btree_map("[x-z]", proptest::option::of(0u8..4), 0..3), 0..3),
    ) {
        let yaml = |tree: &BTreeMap<String, BTreeMap<String, Option<u8>>>| {
            let mut out = String::new();
            for (k, inner) in tree {
                if inner.is_empty() {
                    out.push_str(&format!("{k}: {{}}\n"));
                    continue;
                }
                out.push_str(&format!("{k}:\n"));
                for (k2, v) in inner {
                    match v {
                        Some(v) => out.push_str(&format!("  {k2}: {v}\n")),
                        None => out.push_str(&format!("  {k2}: null\n")),
                    }
                }
            }
            if out.is_empty() { "{}\n".to_string() } else { out }
        };
        let dir = tempfile::tempdir().map_err(|e| TestCaseError::fail(e.to_string()))?;
        std::fs::write(dir.path().join("values.yaml"), yaml(&base)).map_err(|e| TestCaseError::fail(e.to_string()))?;
        std::fs::write(dir.path().join("values-staging.yaml"), yaml(&overlay)).map_err(|e| TestCaseError::fail(e.to_string()))?;
        let snapshot = envparity::ingest::read_environment("staging", &[dir.path().to_path_buf()], &Fingerprinter::new(b"k"), &IngestOptions::default());
        // Reference: maps merge, a null in the overlay deletes, other values replace; an empty
        // map stays a leaf `{}`.
        let mut expected: BTreeMap<String, String> = BTreeMap::new();
        let mut merged: BTreeMap<String, BTreeMap<String, Option<u8>>> = base.clone();
        for (k, inner) in &overlay {
            let slot = merged.entry(k.clone()).or_default();
            for (k2, v) in inner {
                match v {
                    None => { slot.remove(k2); }
                    Some(v) => { slot.insert(k2.clone(), Some(*v)); }
                }
            }
        }
        for (k, inner) in &merged {
            let inner: Vec<(&String, u8)> = inner.iter().filter_map(|(k2, v)| v.map(|v| (k2, v))).collect();
            if inner.is_empty() {
                expected.insert(k.clone(), "{}".to_string());
            }
            for (k2, v) in inner {
                expected.insert(format!("{k}.{k2}"), v.to_string());
            }
        }
        let got: BTreeMap<String, String> = snapshot
            .config_files
            .iter()
            .flat_map(|f| f.entries.iter())
            .filter(|s| s.key != "(root)")
            .map(|s| {
                let text = match &s.value {
                    ConfigValue::Scalar { value } | ConfigValue::Template { value } => value.text().to_string(),
                };
                (s.key.clone(), text)
            })
            .collect();
        prop_assert_eq!(got, expected);
    }
}
