//! Fuzz target: certificate ingest. The first byte picks how the rest is presented: as the
//! bytes of a file (DER or PEM, detected by content), wrapped in a PEM `CERTIFICATE` block, or
//! base64-encoded as `tls.crt` of a Kubernetes Secret. Ingest never panics, every diagnostic
//! is one line naming the file, and the snapshot serializes.
#![no_main]

use envparity::ingest::{IngestOptions, read_bytes};
use envparity::model::Fingerprinter;
use libfuzzer_sys::fuzz_target;

fn base64(bytes: &[u8]) -> String {
    const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
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
                out.push(char::from(ALPHABET[((n >> (18 - 6 * i)) & 63) as usize]));
            } else {
                out.push('=');
            }
        }
    }
    out
}

fuzz_target!(|data: &[u8]| {
    let Some((&mode, rest)) = data.split_first() else {
        return;
    };
    let (shown, bytes) = match mode % 3 {
        0 => ("fuzz/input.crt", rest.to_vec()),
        1 => {
            let pem = format!(
                "-----BEGIN CERTIFICATE-----\n{}\n-----END CERTIFICATE-----\n",
                base64(rest)
            );
            ("fuzz/input.pem", pem.into_bytes())
        }
        _ => {
            let secret = format!(
                "apiVersion: v1\nkind: Secret\nmetadata:\n  name: tls\ntype: kubernetes.io/tls\ndata:\n  tls.crt: {}\n",
                base64(rest)
            );
            ("fuzz/secret.yaml", secret.into_bytes())
        }
    };
    let fingerprinter = Fingerprinter::new(b"fuzz-key");
    let options = IngestOptions {
        render_kustomize: false,
        ..IngestOptions::default()
    };
    let snapshot = read_bytes("staging", shown, &bytes, &fingerprinter, &options);
    for d in &snapshot.diagnostics {
        assert!(!d.message.contains('\n'), "multi-line diagnostic: {d:?}");
        assert!(!d.path.is_empty(), "diagnostic without a path: {d:?}");
    }
    let _ = serde_json::to_string(&snapshot);
});
