//! Properties of certificate ingest: arbitrary bytes as a certificate file, in a PEM block or
//! in a Secret never panic and give one-line diagnostics naming the file; a generated
//! certificate compared with itself gives no finding.

use envparity::ingest::{IngestOptions, read_bytes};
use envparity::model::Fingerprinter;
use proptest::prelude::*;

use super::support::{Pair, YEAR, base64, ca, leaf, rules};

fn check(shown: &str, bytes: &[u8]) {
    let options = IngestOptions {
        render_kustomize: false,
        ..IngestOptions::default()
    };
    let snapshot = read_bytes("staging", shown, bytes, &Fingerprinter::new(b"k"), &options);
    for d in &snapshot.diagnostics {
        assert!(!d.message.contains('\n'), "{d:?}");
        assert_eq!(d.path, shown);
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn arbitrary_bytes_never_panic(bytes in proptest::collection::vec(any::<u8>(), 0..600)) {
        check("in.der", &bytes);
        let mut der = vec![0x30, 0x82];
        let length = u16::try_from(bytes.len() + 2).unwrap_or(u16::MAX).to_be_bytes();
        der.extend(length);
        der.extend([0x30, 0x00]);
        der.extend(&bytes);
        check("in.crt", &der);
        let pem = format!("-----BEGIN CERTIFICATE-----\n{}\n-----END CERTIFICATE-----\n", base64(&der));
        check("in.pem", pem.as_bytes());
        let secret = format!(
            "apiVersion: v1\nkind: Secret\nmetadata:\n  name: s\ndata:\n  tls.crt: {}\n  ca.crt: {}\n",
            base64(pem.as_bytes()),
            base64(&der),
        );
        check("secret.yaml", secret.as_bytes());
    }

    #[test]
    fn arbitrary_pem_text_never_panics(text in "(-----(BEGIN|END) [A-Z ]{0,12}-----\n|[A-Za-z0-9+/=: ]{0,70}\n){0,12}") {
        check("in.pem", text.as_bytes());
    }
}

#[test]
fn the_same_certificates_on_both_sides_are_parity() {
    let root = ca("Acme Root CA");
    let served = leaf(&root, "api.example.com", YEAR, None).pem();
    let pair = Pair::new();
    for side in ["staging", "production"] {
        pair.write(side, "api.pem", format!("{served}{}", root.pem))
            .write(side, "ca-bundle.pem", root.pem.clone());
    }
    assert_eq!(rules(&pair.run()), Vec::<&str>::new());
}
