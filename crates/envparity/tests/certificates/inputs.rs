//! Certificate inputs: a Kubernetes TLS Secret and webhook `caBundle`, a ConfigMap and a config
//! file value holding a CA, a DER file, malformed blocks (errors naming file and line, other
//! files still compared) and private-key blocks (fingerprinted, never kept).

use envparity::model::Level;
use envparity::report::Format;

use super::chain;
use super::support::{Ca, Pair, YEAR, assert_valid_report, base64, ca, leaf, rules};

#[test]
fn config_map_ca_bundle_with_another_root() {
    let staging_root = ca("Acme Root CA");
    let other = ca("Legacy Root CA");
    let config_map = |namespace: &str, pem: &str| {
        let indented: String = pem.lines().map(|l| format!("    {l}\n")).collect();
        format!(
            "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: trust\n  namespace: {namespace}\ndata:\n  ca.crt: |\n{indented}"
        )
    };
    let pair = Pair::new();
    pair.write(
        "staging",
        "trust.yaml",
        config_map("shop-staging", &staging_root.pem),
    )
    .write(
        "production",
        "trust.yaml",
        config_map("shop-production", &other.pem),
    );
    let outcome = pair.run();
    // Only the tls dimension speaks of certificates: no config drift for the PEM value.
    assert_eq!(rules(&outcome), ["tls-trust-mismatch"]);
    let cert = &outcome.staging.tls.certificates[0];
    assert_eq!(cert.origin.bundle, "shop-staging/configmap/trust:ca.crt");
    // The block's `BEGIN` line inside the block scalar.
    assert_eq!(cert.origin.provenance.line, Some(8));
}

#[test]
fn config_file_value_with_another_root() {
    let values = |root: &Ca| {
        let indented: String = root.pem.lines().map(|l| format!("      {l}\n")).collect();
        format!("app:\n  replicas: 2\n  tls:\n    ca: |\n{indented}")
    };
    let pair = Pair::new();
    pair.write("staging", "chart/values.yaml", values(&ca("Acme Root CA")))
        .write(
            "production",
            "chart/values.yaml",
            values(&ca("Legacy Root CA")),
        );
    let outcome = pair.run();
    assert!(
        rules(&outcome).contains(&"tls-trust-mismatch"),
        "{:?}",
        rules(&outcome)
    );
    let cert = &outcome.staging.tls.certificates[0];
    assert_eq!(cert.origin.bundle, "chart/values.yaml:app.tls.ca");
    assert_eq!(cert.origin.provenance.line, Some(5));
}

#[test]
fn kubernetes_tls_secret_and_webhook_ca_bundle() {
    let secret = |namespace: &str, root: &Ca| {
        let served = leaf(root, "api.example.com", YEAR, None);
        format!(
            "apiVersion: v1\nkind: Secret\nmetadata:\n  name: api-tls\n  namespace: {namespace}\ntype: kubernetes.io/tls\ndata:\n  tls.crt: {}\n  tls.key: {}\n  ca.crt: {}\n---\napiVersion: admissionregistration.k8s.io/v1\nkind: ValidatingWebhookConfiguration\nmetadata:\n  name: policy-{namespace}\nwebhooks:\n- name: check.example.com\n  clientConfig:\n    caBundle: {}\n",
            base64(served.pem().as_bytes()),
            base64(format!("-----BEGIN PRIVATE KEY-----\nTUlJQ0VBQUFBQUFBQUFBQUFB{namespace}\n-----END PRIVATE KEY-----\n").as_bytes()),
            base64(root.pem.as_bytes()),
            base64(root.pem.as_bytes()),
        )
    };
    let pair = Pair::new();
    pair.write(
        "staging",
        "secret.yaml",
        secret("shop-staging", &ca("Other Root CA")),
    )
    .write(
        "production",
        "secret.yaml",
        secret("shop-production", &ca("Acme Root CA")),
    );
    let outcome = pair.run();
    // The served certificate's issuer, the `ca.crt` trust bundle and the webhook's `caBundle`
    // (paired through the environment tokens learnt from the namespaces).
    assert_eq!(
        rules(&outcome),
        [
            "tls-trust-mismatch",
            "tls-trust-mismatch",
            "tls-trust-mismatch"
        ]
    );
    let bundles: Vec<&str> = outcome
        .staging
        .tls
        .certificates
        .iter()
        .map(|c| c.origin.bundle.as_str())
        .collect();
    assert_eq!(
        bundles,
        [
            "shop-staging/secret/api-tls:tls.crt",
            "shop-staging/secret/api-tls:ca.crt",
            "validatingwebhookconfiguration/policy-shop-staging:webhooks[0].clientConfig.caBundle",
        ]
    );
    let json = pair.render(&outcome, Format::Json);
    assert_valid_report(&json);
    assert!(!json.contains("TUlJQ0VBQUFB"), "the key's text leaked");
    let inventory = serde_json::to_string(&outcome.staging).expect("inventory");
    assert!(!inventory.contains("TUlJQ0VBQUFB"), "the key's text leaked");
}

#[test]
fn der_certificate_file() {
    let other = ca("Other Root CA");
    let acme = ca("Acme Root CA");
    let pair = Pair::new();
    pair.write(
        "staging",
        "api.der",
        leaf(&other, "api.example.com", YEAR, None).der().as_ref(),
    )
    .write(
        "production",
        "api.der",
        leaf(&acme, "api.example.com", YEAR, None).der().as_ref(),
    );
    let outcome = pair.run();
    assert_eq!(rules(&outcome), ["tls-trust-mismatch"]);
    let source = &outcome.report.environments["staging"].sources[0];
    assert_eq!(source.format, "der-certificate");
    assert_eq!(outcome.staging.tls.certificates[0].origin.encoding, "der");
}

#[test]
fn malformed_blocks_are_errors_naming_file_and_line() {
    let other = ca("Other Root CA");
    let acme = ca("Acme Root CA");
    let pair = Pair::new();
    pair.write(
        "staging",
        "api.pem",
        chain(&leaf(&other, "api.example.com", YEAR, None), &other),
    )
    .write(
        "production",
        "api.pem",
        chain(&leaf(&acme, "api.example.com", YEAR, None), &acme),
    )
    .write(
        "staging",
        "bad-base64.pem",
        "# comment\n-----BEGIN CERTIFICATE-----\nMIIB*notbase64\n-----END CERTIFICATE-----\n",
    )
    .write(
        "staging",
        "not-a-cert.crt",
        format!(
            "-----BEGIN CERTIFICATE-----\n{}\n-----END CERTIFICATE-----\n",
            base64(b"hello, this is not DER")
        ),
    )
    .write("staging", "open.pem", "-----BEGIN CERTIFICATE-----\nMIIB\n")
    .write("staging", "broken.der", [0x30u8, 0x03, 0x30, 0x01, 0x00]);
    let outcome = pair.run();
    assert!(outcome.input_errors);
    // The other files are still compared.
    assert_eq!(rules(&outcome), ["tls-trust-mismatch"]);
    let mut errors: Vec<String> = outcome
        .staging
        .diagnostics
        .iter()
        .filter(|d| d.level == Level::Error)
        .map(|d| {
            let name = d.path.rsplit('/').next().unwrap_or_default();
            let line = d.line.map(|l| format!(":{l}")).unwrap_or_default();
            format!("{name}{line}: {}", d.message)
        })
        .collect();
    errors.sort();
    assert_eq!(
        errors,
        [
            "bad-base64.pem:3: the `CERTIFICATE` PEM block starting at line 2 has a character outside base64",
            "broken.der: expected a DER certificate: the file is not an X.509 certificate (the data is truncated)",
            "not-a-cert.crt:1: the `CERTIFICATE` PEM block holds no X.509 certificate (malformed DER)",
            "open.pem:1: the `CERTIFICATE` PEM block has no `-----END CERTIFICATE-----` line",
        ]
    );
    assert!(errors.iter().all(|e| !e.contains('\n')));
}

#[test]
fn private_key_blocks_are_fingerprinted_never_kept() {
    let acme = ca("Acme Root CA");
    let key = rcgen::KeyPair::generate().expect("key");
    let key_pem = key.serialize_pem();
    let body: String = key_pem
        .lines()
        .filter(|l| !l.starts_with("-----"))
        .collect();
    let pair = Pair::new();
    let served = leaf(&acme, "api.example.com", YEAR, None);
    pair.write("staging", "api.pem", format!("{}{key_pem}", served.pem()))
        .write("production", "api.pem", served.pem());
    let outcome = pair.run();
    let keys = &outcome.staging.tls.private_keys;
    assert_eq!(keys.len(), 1);
    assert_eq!(keys[0].label, "PRIVATE KEY");
    assert_eq!(keys[0].fingerprint.len(), 32);
    for text in [
        serde_json::to_string(&outcome.staging).expect("inventory"),
        pair.render(&outcome, Format::Json),
        pair.render(&outcome, Format::Text),
    ] {
        assert!(!text.contains(&body[..40]), "private key text leaked");
    }
}
