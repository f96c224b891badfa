//! Certificate files: a DER certificate (tried first, by shape and parse) or a PEM file (a
//! line opening a block at its first column), with one error per broken certificate block
//! naming its line, private-key blocks kept as keyed fingerprints only, and other blocks
//! (public keys, requests) listed in an info diagnostic.

use std::path::Path;

use super::{Decoded, Found, block_phrase, certificate_blocks, looks_like_der, parse, pem};
use crate::model::{
    Diagnostic, Fingerprinter, Level, PrivateKeyBlock, Provenance, Snapshot, Source,
};

fn certificate_extension(shown: &str) -> bool {
    Path::new(shown)
        .extension()
        .and_then(|e| e.to_str())
        .is_some_and(|e| matches!(e.to_ascii_lowercase().as_str(), "der" | "cer" | "crt"))
}

/// Reads a PEM or DER certificate file; false when the content is neither (the caller then
/// tries other formats).
pub fn read_file(
    bytes: &[u8],
    shown: &str,
    fingerprinter: &Fingerprinter,
    snapshot: &mut Snapshot,
) -> bool {
    if looks_like_der(bytes) {
        let place = Found {
            shown,
            holder: None,
            key: String::new(),
            line: 1,
        };
        match parse::certificate(bytes, place.origin(1, 0, "der")) {
            Ok(facts) => {
                snapshot.tls.certificates.push(facts);
                snapshot.sources.push(Source {
                    path: shown.to_string(),
                    format: "der-certificate".to_string(),
                    objects: 1,
                });
                return true;
            }
            Err(message) if certificate_extension(shown) => {
                let message = format!("expected a DER certificate: the file is {message}");
                let diagnostic = Diagnostic::new(Level::Error, shown, None, message);
                snapshot.diagnostics.push(diagnostic);
                return true;
            }
            // Another DER structure (a request, a revocation list): not a certificate file.
            Err(_) => {}
        }
    }
    match std::str::from_utf8(bytes) {
        Ok(text) if pem::starts_a_block(text) => {
            read_pem_file(text, shown, fingerprinter, snapshot);
            true
        }
        _ => false,
    }
}

fn read_pem_file(text: &str, shown: &str, fingerprinter: &Fingerprinter, snapshot: &mut Snapshot) {
    let place = Found {
        shown,
        holder: None,
        key: String::new(),
        line: 1,
    };
    let mut objects = 0;
    for decoded in certificate_blocks(text) {
        let (line, result) = match decoded {
            Decoded::Der { line, der } => (
                line,
                parse::certificate(&der, place.origin(line, objects, "pem")),
            ),
            Decoded::Broken { line, message } => (line, Err(message)),
        };
        match result {
            Ok(facts) => {
                snapshot.tls.certificates.push(facts);
                objects += 1;
            }
            Err(message) => snapshot.diagnostics.push(Diagnostic::new(
                Level::Error,
                shown,
                Some(line),
                block_phrase(&message),
            )),
        }
    }
    let (blocks, open_ended) = pem::blocks(text);
    for block in open_ended.iter().filter(|b| pem::is_private_key(&b.label)) {
        let message = format!(
            "the `{0}` PEM block has no `-----END {0}-----` line",
            block.label
        );
        let diagnostic = Diagnostic::new(Level::Error, shown, Some(block.line), message);
        snapshot.diagnostics.push(diagnostic);
    }
    let mut other: Vec<String> = Vec::new();
    for block in blocks.iter().filter(|b| !pem::is_certificate(&b.label)) {
        if pem::is_private_key(&block.label) {
            snapshot.tls.private_keys.push(PrivateKeyBlock {
                provenance: Provenance::new(shown, Some(block.line)),
                label: block.label.clone(),
                fingerprint: fingerprinter.fingerprint(&block.body),
            });
            objects += 1;
        } else {
            other.push(format!("`{}` (line {})", block.label, block.line));
        }
    }
    if !other.is_empty() {
        let message = format!(
            "skipped PEM blocks that are not certificates: {}",
            other.join(", ")
        );
        let diagnostic = Diagnostic::new(Level::Info, shown, None, message);
        snapshot.diagnostics.push(diagnostic);
    }
    if objects > 0 {
        snapshot.sources.push(Source {
            path: shown.to_string(),
            format: "pem".to_string(),
            objects,
        });
    }
}
