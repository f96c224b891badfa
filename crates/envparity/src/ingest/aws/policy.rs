//! IAM policy documents in both forms AWS tools write them: a decoded JSON object (the AWS
//! CLI) or a string holding URL-encoded JSON (the raw API and most SDKs; also plain JSON
//! text, as in Organizations' `Content`). A document that does not parse is kept as its raw
//! string with a warning, so the principal stays and its access reads as unknown.

use super::super::yaml::{Node, Value};
use super::Sink;
use crate::model::{Level, PolicyDocument};

/// What a policy document belongs to: `plain` is stored on the model, `quoted` (user values
/// in backticks) goes into messages.
pub struct Label {
    pub plain: String,
    pub quoted: String,
}

impl Label {
    pub fn inline(policy: &str, owner_kind: &str, owner: &str) -> Label {
        Label {
            plain: format!("inline policy {policy} of {owner_kind} {owner}"),
            quoted: format!("inline policy `{policy}` of {owner_kind} `{owner}`"),
        }
    }

    pub fn trust(role: &str) -> Label {
        Label {
            plain: format!("trust policy of role {role}"),
            quoted: format!("trust policy of role `{role}`"),
        }
    }

    /// A managed policy or an SCP: its ARN or name alone.
    pub fn named(name: &str, kind: &str) -> Label {
        Label {
            plain: name.to_string(),
            quoted: format!("{kind} `{name}`"),
        }
    }
}

/// Reads the policy document at `node` (object or encoded string) for `label`.
pub fn document(node: &Node, label: &Label, sink: &mut Sink<'_>) -> PolicyDocument {
    let document = match &node.value {
        Value::String(text) => match parse_text(text) {
            Ok(value) => value,
            Err(reason) => {
                sink.diagnostic(
                    Level::Warning,
                    Some(node.line),
                    format!(
                        "cannot parse the policy document of {}: {reason}; access through it \
                         is unknown",
                        label.quoted
                    ),
                );
                serde_json::Value::String(text.clone())
            }
        },
        _ => node.to_json(),
    };
    if !document.is_object() && !document.is_string() {
        sink.diagnostic(
            Level::Warning,
            Some(node.line),
            format!(
                "the policy document of {} is not a JSON object; access through it is unknown",
                label.quoted
            ),
        );
    }
    PolicyDocument {
        name: label.plain.clone(),
        document: document.into(),
        provenance: sink.provenance(node.line),
    }
}

/// A document string: JSON as is when it starts with `{`, else URL-decoded first.
pub fn parse_text(text: &str) -> Result<serde_json::Value, String> {
    let trimmed = text.trim();
    let decoded;
    let json = if trimmed.starts_with('{') {
        trimmed
    } else {
        decoded = String::from_utf8(percent_decode(trimmed))
            .map_err(|_| "its URL-decoded bytes are not UTF-8".to_string())?;
        decoded.as_str()
    };
    serde_json::from_str(json).map_err(|e| format!("invalid JSON: {e}"))
}

/// RFC 3986 percent-decoding: `%XX` becomes the byte; anything else (including `+` and a
/// malformed escape) stays as it is.
pub fn percent_decode(text: &str) -> Vec<u8> {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%'
            && let (Some(high), Some(low)) = (
                bytes.get(i + 1).and_then(|b| hex(*b)),
                bytes.get(i + 2).and_then(|b| hex(*b)),
            )
        {
            out.push(high << 4 | low);
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    out
}

fn hex(byte: u8) -> Option<u8> {
    match byte {
        b'0'..=b'9' => Some(byte - b'0'),
        b'a'..=b'f' => Some(byte - b'a' + 10),
        b'A'..=b'F' => Some(byte - b'A' + 10),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn encoded_and_plain_text_parse_alike() {
        let plain = r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:*","Resource":"arn:aws:s3:::a+b"}]}"#;
        let encoded = "%7B%22Version%22%3A%222012-10-17%22%2C%22Statement%22%3A%5B%7B%22Effect%22%3A%22Allow%22%2C%22Action%22%3A%22s3%3A%2A%22%2C%22Resource%22%3A%22arn%3Aaws%3As3%3A%3A%3Aa+b%22%7D%5D%7D";
        assert_eq!(parse_text(plain), parse_text(encoded));
        assert!(parse_text(plain).is_ok());
    }

    #[test]
    fn malformed_escapes_stay_literal() {
        assert_eq!(percent_decode("%zz%4"), b"%zz%4".to_vec());
        assert_eq!(percent_decode("a%20b"), b"a b".to_vec());
        assert!(parse_text("%7B%22Version%22").is_err());
    }
}
