//! Secret canaries: values planted in every input format (Secrets' stringData and base64 data,
//! a ConfigMap password, an environment literal, connection strings, `.env`, properties, JSON,
//! tfvars, Helm values and their overlays, Go-template values, a config file held in a value,
//! a private key file, key shapes and high-entropy strings under plain names, and malformed
//! files of each format) must never appear in any output of any command, in any report format,
//! diagnostic or error message, in clear or in base64.

use crate::common::{Run, envparity};

const STAGING: &str = "tests/fixtures/canary/staging";
const PRODUCTION: &str = "tests/fixtures/canary/production";
const BROKEN: &str = "tests/fixtures/canary/broken";

/// Every planted value, in clear and as the base64 found in `data`.
const CANARIES: &[&str] = &[
    "CANARY-7f3a9c-SECRET",
    "CANARY-7f3a9c-PRODSECRET",
    "CANARY-7f3a9c-B64DATA",
    "CANARY-7f3a9c-PRODB64",
    "CANARY-7f3a9c-SHARED",
    "CANARY-7f3a9c-CONFIGMAP",
    "CANARY-7f3a9c-PRODCONFIGMAP",
    "CANARY-7f3a9c-ENVTOKEN",
    "CANARY-7f3a9c-PRODENVTOKEN",
    "CANARY-7f3a9c-CONNSTR",
    "CANARY-7f3a9c-PRODCONNSTR",
    "CANARY-7f3a9c-DOTENV",
    "CANARY-7f3a9c-PRODDOTENV",
    "CANARY-7f3a9c-JDBC",
    "CANARY-7f3a9c-PROPS",
    "CANARY-7f3a9c-JSONKEY",
    "CANARY-7f3a9c-PRODJSONKEY",
    "CANARY-7f3a9c-TFVARS",
    "CANARY-7f3a9c-PRODTFVARS",
    "CANARY-7f3a9c-HELMBASE",
    "CANARY-7f3a9c-GOTMPL",
    "CANARY-7f3a9c-EMBEDDED",
    "CANARY-7f3a9c-BROKENTF",
    "CANARY-7f3a9c-BROKENENV",
    "CANARY-7f3a9c-BROKENYAML",
    "CANARY-7f3a9c-BROKENJSON",
    "AKIA7F3A9CCANARY0001",
    "Xk9Qz7f3a9cLmN2pR8sT4vW6yB1dF3hJ",
    "CANARY7f3a9cSLACK",
];

fn base64(bytes: &[u8]) -> String {
    const ALPHABET: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = String::new();
    for chunk in bytes.chunks(3) {
        let b = [
            chunk[0],
            *chunk.get(1).unwrap_or(&0),
            *chunk.get(2).unwrap_or(&0),
        ];
        let n = (u32::from(b[0]) << 16) | (u32::from(b[1]) << 8) | u32::from(b[2]);
        for i in 0..4 {
            if i <= chunk.len() {
                out.push(ALPHABET[((n >> (18 - 6 * i)) & 63) as usize] as char);
            } else {
                out.push('=');
            }
        }
    }
    out
}

/// Fails naming the canary and the command when any planted value leaks.
fn assert_no_canary(args: &[&str], run: &Run) {
    let all = format!("{}\n{}", run.stdout, run.stderr);
    assert!(
        !all.to_lowercase().contains("7f3a9c"),
        "{args:?} leaks a canary:\n{all}"
    );
    for canary in CANARIES {
        let encoded = base64(canary.as_bytes());
        let stem = encoded.trim_end_matches('=');
        assert!(!all.contains(stem), "{args:?} leaks {canary} in base64");
    }
}

#[test]
fn base64_matches_the_fixture() {
    assert_eq!(
        base64(b"CANARY-7f3a9c-SHARED"),
        "Q0FOQVJZLTdmM2E5Yy1TSEFSRUQ="
    );
}

#[test]
fn no_output_contains_a_secret_value() {
    let runs: &[&[&str]] = &[
        &["compare", STAGING, PRODUCTION],
        &["compare", STAGING, PRODUCTION, "--format", "text"],
        &["compare", STAGING, PRODUCTION, "--format", "json"],
        &["compare", STAGING, STAGING, "--format", "json"],
        &["compare", STAGING, STAGING, "--format", "text"],
        &[
            "compare",
            STAGING,
            PRODUCTION,
            "--format",
            "json",
            "--map",
            "staging=production",
        ],
        &["inventory", STAGING],
        &["inventory", STAGING, "--format", "text"],
        &["inventory", PRODUCTION, "--format", "json"],
        &["compare", STAGING, PRODUCTION, "--format", "sarif"],
        &["compare", STAGING, PRODUCTION, "--format", "markdown"],
        &["compare", STAGING, PRODUCTION, "--format", "junit"],
        &["compare", STAGING, PRODUCTION, "--format", "html"],
        &["compare", BROKEN, PRODUCTION],
        &["compare", BROKEN, PRODUCTION, "--format", "json"],
        &["compare", BROKEN, PRODUCTION, "--format", "sarif"],
        &["compare", BROKEN, PRODUCTION, "--format", "html"],
        &["inventory", BROKEN],
    ];
    for args in runs {
        let run = envparity(args);
        assert_no_canary(args, &run);
    }
}

#[test]
fn the_canary_fixture_is_understood() {
    // Guards the test above against passing because nothing was read.
    let inventory = envparity(&["inventory", STAGING]).json();
    let kube = &inventory["kube"];
    assert_eq!(
        kube["secrets"].as_array().map(Vec::len),
        Some(1),
        "{inventory}"
    );
    assert_eq!(kube["config_maps"].as_array().map(Vec::len), Some(1));
    assert_eq!(kube["workloads"].as_array().map(Vec::len), Some(1));
    // Every config format was read: .env, properties, JSON, tfvars, Helm values merged with
    // the staging overlay, Go-template values and the file holding an embedded .env.
    let files: Vec<String> = inventory["config_files"]
        .as_array()
        .map(|files| {
            files
                .iter()
                .filter_map(|f| f["name"].as_str().map(str::to_string))
                .collect()
        })
        .unwrap_or_default();
    for name in [
        "config/.env",
        "config/application.properties",
        "config/settings.json",
        "config/app.tfvars",
        "config/values.yaml",
        "config/api.yaml.gotmpl",
        "config/embedded.yaml",
    ] {
        assert!(
            files.contains(&name.to_string()),
            "{name} not read: {files:?}"
        );
    }
    let broken = envparity(&["inventory", BROKEN]);
    assert_eq!(broken.code, 2, "{}", broken.stderr);
    assert_eq!(
        broken
            .stderr
            .lines()
            .filter(|l| l.contains("error"))
            .count(),
        4,
        "{}",
        broken.stderr
    );
    let report = envparity(&["compare", STAGING, PRODUCTION, "--format", "json"]).json();
    let rules = crate::common::rule_ids(&report);
    assert!(rules.contains(&"secret-plaintext".to_string()), "{rules:?}");
    let plaintext_in_files = report["findings"]
        .as_array()
        .map(|all| {
            all.iter()
                .filter(|f| f["rule"] == "secret-plaintext")
                .filter(|f| {
                    f["subject"]["staging"]
                        .as_str()
                        .is_some_and(|s| s.starts_with("file/"))
                })
                .count()
        })
        .unwrap_or(0);
    // .env (3: named, key shape, high entropy), properties (2), JSON, tfvars, Helm base and
    // overlay, Go template, embedded file.
    assert!(plaintext_in_files >= 11, "{plaintext_in_files}: {report}");
    assert!(
        rules.contains(&"secret-shared-across-environments".to_string()),
        "{rules:?}"
    );
}

#[test]
fn output_files_contain_no_secret_value() {
    let dir = tempfile::tempdir().expect("a temporary directory");
    for format in ["text", "json", "sarif", "markdown", "junit", "html"] {
        let path = dir.path().join(format!("report.{format}"));
        let path_text = path.to_string_lossy().into_owned();
        let args = [
            "compare", STAGING, PRODUCTION, "--format", format, "--output", &path_text,
        ];
        let run = envparity(&args);
        let written = std::fs::read_to_string(&path).expect("the report was written");
        let as_run = Run {
            code: run.code,
            stdout: written,
            stderr: run.stderr,
        };
        assert_no_canary(&args, &as_run);
    }
}
