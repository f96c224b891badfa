//! Certificates → the model: PEM files (one or many `CERTIFICATE` blocks, any extension,
//! detected by content), DER files (binary, detected by parsing, size-capped), certificates
//! embedded in Kubernetes objects, and the chains linking them within one environment.
//! Private-key blocks are never decoded: only their place and a keyed fingerprint are kept.

mod chain;
mod embedded;
mod files;
mod parse;
mod pem;

use std::path::PathBuf;

pub use embedded::scan_documents;
pub use files::read_file;

use crate::model::{
    CertificateOrigin, ConfigValue, Diagnostic, EmbeddingObject, Level, Provenance, Snapshot,
    TlsObjects,
};

/// DER files larger than this are not tried as certificates (real ones are a few KiB).
const MAX_DER_BYTES: usize = 256 * 1024;

/// The Kubernetes object a value belongs to.
#[derive(Debug, Clone)]
struct Holder {
    kind: String,
    namespace: Option<String>,
    name: String,
}

/// Where certificates of one value (or file) are found.
struct Found<'a> {
    shown: &'a str,
    holder: Option<&'a Holder>,
    key: String,
    line: u32,
}

impl<'a> Found<'a> {
    fn new(shown: &'a str, holder: &'a Holder, key: &str, line: u32) -> Found<'a> {
        Found {
            shown,
            holder: Some(holder),
            key: key.to_string(),
            line,
        }
    }

    /// `<namespace>/<kind>/<name>:<key>`, or the file itself.
    fn bundle(&self) -> String {
        match self.holder {
            Some(h) => {
                let kind = h.kind.to_ascii_lowercase();
                match &h.namespace {
                    Some(ns) => format!("{ns}/{kind}/{}:{}", h.name, self.key),
                    None => format!("{kind}/{}:{}", h.name, self.key),
                }
            }
            None if self.key.is_empty() => self.shown.to_string(),
            None => format!("{}:{}", self.shown, self.key),
        }
    }

    /// ``key `tls.crt` of Secret `ns/name` `` for diagnostics about embedded values.
    fn described(&self) -> String {
        match self.holder {
            Some(h) => {
                let name = match &h.namespace {
                    Some(ns) => format!("{ns}/{}", h.name),
                    None => h.name.clone(),
                };
                format!("key `{}` of {} `{name}`", self.key, h.kind)
            }
            None => format!("key `{}`", self.key),
        }
    }

    fn origin(&self, line: u32, index: usize, encoding: &str) -> CertificateOrigin {
        CertificateOrigin {
            provenance: Provenance::new(self.shown, Some(line)),
            bundle: self.bundle(),
            index,
            encoding: encoding.to_string(),
            object: self.holder.map(|h| EmbeddingObject {
                kind: h.kind.clone(),
                namespace: h.namespace.clone(),
                name: h.name.clone(),
                key: self.key.clone(),
            }),
        }
    }
}

/// One certificate block of a PEM text: the DER, or why it is unusable.
enum Decoded {
    Der { line: u32, der: Vec<u8> },
    Broken { line: u32, message: String },
}

/// The certificate blocks of a PEM text (lines relative to the text), in order.
fn certificate_blocks(text: &str) -> Vec<Decoded> {
    let (blocks, open_ended) = pem::blocks(text);
    let mut out: Vec<Decoded> = open_ended
        .into_iter()
        .filter(|b| pem::is_certificate(&b.label))
        .map(|b| Decoded::Broken {
            line: b.line,
            message: format!(
                "the `{0}` PEM block has no `-----END {0}-----` line",
                b.label
            ),
        })
        .collect();
    for block in blocks.into_iter().filter(|b| pem::is_certificate(&b.label)) {
        let decoded = match (block.bad_line, crate::ingest::decode_base64(&block.body)) {
            (Some(bad), _) => Decoded::Broken {
                line: bad,
                message: format!(
                    "the `{}` PEM block starting at line {} has a character outside base64",
                    block.label, block.line
                ),
            },
            (None, None) => Decoded::Broken {
                line: block.line,
                message: format!("the `{}` PEM block is not valid base64", block.label),
            },
            (None, Some(der)) => Decoded::Der {
                line: block.line,
                der,
            },
        };
        out.push(decoded);
    }
    out.sort_by_key(|d| match d {
        Decoded::Der { line, .. } | Decoded::Broken { line, .. } => *line,
    });
    out
}

/// The certificates of a PEM value embedded in an object. `begin_at(offset)` says whether the
/// file line `place.line + offset` holds the block's `BEGIN` line (else the value's line is
/// used). Broken blocks are warnings.
fn read_pem_text(
    text: &str,
    place: &Found<'_>,
    begin_at: &dyn Fn(u32) -> bool,
    tls: &mut TlsObjects,
    diagnostics: &mut Vec<Diagnostic>,
) {
    let mut index = 0;
    for decoded in certificate_blocks(text) {
        let (line, result) = match decoded {
            Decoded::Der { line, der } => {
                let at = line_in_file(place.line, line, begin_at);
                (at, parse::certificate(&der, place.origin(at, index, "pem")))
            }
            Decoded::Broken { message, .. } => (place.line, Err(message)),
        };
        match result {
            Ok(facts) => {
                tls.certificates.push(facts);
                index += 1;
            }
            Err(message) => diagnostics.push(Diagnostic::new(
                Level::Warning,
                place.shown,
                Some(line),
                format!("{}: {}", place.described(), block_phrase(&message)),
            )),
        }
    }
}

fn line_in_file(value_line: u32, block_line: u32, begin_at: &dyn Fn(u32) -> bool) -> u32 {
    let offset = block_line.saturating_sub(1);
    if begin_at(offset) {
        value_line.saturating_add(offset)
    } else {
        value_line
    }
}

/// Parse errors of a block read as "the PEM block is not an X.509 certificate (…)".
fn block_phrase(message: &str) -> String {
    match message.strip_prefix("not an X.509 certificate") {
        Some(rest) => format!("the `CERTIFICATE` PEM block holds no X.509 certificate{rest}"),
        None => message.to_string(),
    }
}

/// A DER certificate embedded in an object.
fn read_der(
    der: &[u8],
    place: &Found<'_>,
    tls: &mut TlsObjects,
    diagnostics: &mut Vec<Diagnostic>,
) {
    match parse::certificate(der, place.origin(place.line, 0, "der")) {
        Ok(facts) => tls.certificates.push(facts),
        Err(message) => diagnostics.push(Diagnostic::new(
            Level::Warning,
            place.shown,
            Some(place.line),
            format!("{}: the DER value is {message}", place.described()),
        )),
    }
}

/// A DER `SEQUENCE` spanning exactly the bytes, whose first element is a `SEQUENCE` (as a
/// certificate's `tbsCertificate` is; a PKCS#8 key starts with an `INTEGER`).
fn looks_like_der(bytes: &[u8]) -> bool {
    if bytes.len() < 4 || bytes.len() > MAX_DER_BYTES || bytes[0] != 0x30 {
        return false;
    }
    let (length, header) = match bytes[1] {
        n if n < 0x80 => (usize::from(n), 2),
        0x81 => (usize::from(bytes[2]), 3),
        0x82 => ((usize::from(bytes[2]) << 8) | usize::from(bytes[3]), 4),
        0x83 if bytes.len() > 4 => (
            (usize::from(bytes[2]) << 16) | (usize::from(bytes[3]) << 8) | usize::from(bytes[4]),
            5,
        ),
        _ => return false,
    };
    header + length == bytes.len() && bytes.get(header) == Some(&0x30)
}

/// The path of `shown` below the input it was found under (`certs/api.pem` for
/// `staging/certs/api.pem` read from input `staging`); the file name for a file input.
fn relative(shown: &str, inputs: &[PathBuf]) -> String {
    for input in inputs {
        let root = input.to_string_lossy().replace('\\', "/");
        let root = root.trim_end_matches('/');
        if shown == root {
            return shown.rsplit('/').next().unwrap_or(shown).to_string();
        }
        if let Some(rest) = shown.strip_prefix(root).and_then(|r| r.strip_prefix('/')) {
            return rest.to_string();
        }
    }
    shown.to_string()
}

/// After every file of an environment is read: reads the certificates held in config values,
/// names file bundles by their path below the input, and builds each certificate's chain.
pub fn finish(snapshot: &mut Snapshot, inputs: &[PathBuf]) {
    let tls = &mut snapshot.tls;
    for file in &snapshot.config_files {
        for setting in &file.entries {
            let ConfigValue::Scalar { value } = &setting.value else {
                continue;
            };
            let before = tls.certificates.len();
            let line = setting.provenance.line.unwrap_or(1);
            let path = &setting.provenance.path;
            scan_config_value(
                value.text(),
                path,
                &setting.key,
                line,
                tls,
                &mut snapshot.diagnostics,
            );
            for cert in &mut tls.certificates[before..] {
                cert.origin.bundle = format!("{}:{}", file.name, setting.key);
            }
        }
    }
    for cert in &mut tls.certificates {
        let origin = &mut cert.origin;
        if origin.object.is_none()
            && let Some(rest) = origin.bundle.strip_prefix(&*origin.provenance.path)
        {
            origin.bundle = format!("{}{rest}", relative(&origin.provenance.path, inputs));
        }
    }
    chain::link(&mut tls.certificates);
}

/// The certificates in one value of a config file: `key` is the value's key path, `line` its
/// line. Broken blocks are warnings.
fn scan_config_value(
    text: &str,
    shown: &str,
    key: &str,
    line: u32,
    tls: &mut TlsObjects,
    diagnostics: &mut Vec<Diagnostic>,
) {
    if !pem::holds_a_block(text) {
        return;
    }
    let place = Found {
        shown,
        holder: None,
        key: key.to_string(),
        line,
    };
    read_pem_text(text, &place, &|_| false, tls, diagnostics);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn relative_paths() {
        let inputs = vec![PathBuf::from("env/staging/")];
        assert_eq!(relative("env/staging/certs/a.pem", &inputs), "certs/a.pem");
        assert_eq!(relative("other/a.pem", &inputs), "other/a.pem");
        let file = vec![PathBuf::from("env/staging/a.pem")];
        assert_eq!(relative("env/staging/a.pem", &file), "a.pem");
    }

    #[test]
    fn der_shape() {
        assert!(looks_like_der(&[0x30, 0x02, 0x30, 0x00]));
        assert!(!looks_like_der(&[0x30, 0x03, 0x02, 0x01, 0x00]));
        assert!(!looks_like_der(&[0x30, 0x05, 0x30, 0x00]));
        assert!(!looks_like_der(b"hello"));
    }
}
