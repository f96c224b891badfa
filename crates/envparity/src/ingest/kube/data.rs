//! Secrets and ConfigMaps: every value becomes a [`crate::model::Literal`] at once, so raw
//! secret text never travels further than the fingerprinter.

use super::super::node::{ShapeError, Shaped, entries, opt_str};
use super::super::yaml::{Node, scalar_text};
use crate::model::{
    ConfigEntry, ConfigMapObject, Fingerprinter, KubeObjects, Meta, SecretEntry, SecretObject,
};

pub fn secret(
    node: &Node,
    meta: Meta,
    fingerprinter: &Fingerprinter,
    kube: &mut KubeObjects,
) -> Shaped<()> {
    let secret_type = opt_str(node, "type")?.unwrap_or_else(|| "Opaque".to_string());
    let mut out: Vec<SecretEntry> = Vec::new();
    for (key, value) in entries(node, "data")? {
        let text = scalar(value, "data")?;
        let compact: String = text.chars().filter(|c| !c.is_whitespace()).collect();
        let plain = match decode_base64(&compact).map(String::from_utf8) {
            Some(Ok(decoded)) => decoded,
            // Binary data or not base64 at all: fingerprint the text as written.
            Some(Err(_)) | None => compact,
        };
        out.push(SecretEntry {
            key: key.clone(),
            value: fingerprinter.secret_literal(key, &plain),
            line: Some(value.line),
        });
    }
    // `stringData` is merged over `data` by the API server: its keys win.
    for (key, value) in entries(node, "stringData")? {
        let text = scalar(value, "stringData")?;
        let entry = SecretEntry {
            key: key.clone(),
            value: fingerprinter.secret_literal(key, &text),
            line: Some(value.line),
        };
        match out.iter_mut().find(|e| &e.key == key) {
            Some(slot) => *slot = entry,
            None => out.push(entry),
        }
    }
    kube.secrets.push(SecretObject {
        meta,
        secret_type,
        entries: out,
    });
    Ok(())
}

pub fn config_map(
    node: &Node,
    meta: Meta,
    fingerprinter: &Fingerprinter,
    kube: &mut KubeObjects,
) -> Shaped<()> {
    let mut out = Vec::new();
    for field in ["data", "binaryData"] {
        for (key, value) in entries(node, field)? {
            let text = scalar(value, field)?;
            out.push(ConfigEntry {
                key: key.clone(),
                value: fingerprinter.literal(key, &text),
                line: Some(value.line),
            });
        }
    }
    kube.config_maps
        .push(ConfigMapObject { meta, entries: out });
    Ok(())
}

fn scalar(value: &Node, field: &str) -> Shaped<String> {
    scalar_text(&value.value).ok_or_else(|| ShapeError {
        field: field.to_string(),
        expected: "a mapping of strings",
        line: value.line,
    })
}

/// Standard base64 with optional padding; `None` when the text is not base64.
pub fn decode_base64(text: &str) -> Option<Vec<u8>> {
    let body = text.trim_end_matches('=');
    if text.len() - body.len() > 2 || (text.len() != body.len() && !text.len().is_multiple_of(4)) {
        return None;
    }
    let mut out = Vec::with_capacity(body.len() * 3 / 4);
    let mut acc: u32 = 0;
    let mut bits = 0;
    for byte in body.bytes() {
        let v = match byte {
            b'A'..=b'Z' => byte - b'A',
            b'a'..=b'z' => byte - b'a' + 26,
            b'0'..=b'9' => byte - b'0' + 52,
            b'+' => 62,
            b'/' => 63,
            _ => return None,
        };
        acc = (acc << 6) | u32::from(v);
        bits += 6;
        if bits >= 8 {
            bits -= 8;
            out.push(((acc >> bits) & 0xff) as u8);
        }
    }
    // A single leftover character (6 bits) cannot end a valid encoding.
    if body.len() % 4 == 1 {
        return None;
    }
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::decode_base64;

    #[test]
    fn decodes_padded_and_unpadded_base64() {
        assert_eq!(decode_base64("aGVsbG8="), Some(b"hello".to_vec()));
        assert_eq!(decode_base64("aGVsbG8"), Some(b"hello".to_vec()));
        assert_eq!(decode_base64("YWRtaW4="), Some(b"admin".to_vec()));
        assert_eq!(decode_base64(""), Some(Vec::new()));
        assert_eq!(decode_base64("not base64!"), None);
        assert_eq!(decode_base64("a"), None);
    }
}
