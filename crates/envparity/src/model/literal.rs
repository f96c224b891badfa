//! A value read from an input. Its text is kept in memory for comparison but is never
//! serialized when it is sensitive: outputs see a keyed fingerprint instead.

use hmac::{Hmac, KeyInit, Mac};
use serde::ser::SerializeStruct;
use serde::{Serialize, Serializer};
use sha2::Sha256;

/// Computes keyed fingerprints (HMAC-SHA-256) of values. The key is random per run unless
/// the user fixes one (`ENVPARITY_FINGERPRINT_KEY`), so fingerprints cannot be reversed by
/// guessing common values, and are only comparable within a run or under one fixed key.
#[derive(Clone)]
pub struct Fingerprinter {
    key: Vec<u8>,
}

impl std::fmt::Debug for Fingerprinter {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Fingerprinter(<key hidden>)")
    }
}

impl Fingerprinter {
    pub fn new(key: &[u8]) -> Fingerprinter {
        Fingerprinter { key: key.to_vec() }
    }

    /// Hex HMAC-SHA-256 of `value`, truncated to 128 bits.
    pub fn fingerprint(&self, value: &str) -> String {
        let mut out = String::with_capacity(32);
        // HMAC accepts keys of any length, so this construction cannot fail.
        if let Ok(mut mac) = <Hmac<Sha256> as KeyInit>::new_from_slice(&self.key) {
            mac.update(value.as_bytes());
            for byte in mac.finalize().into_bytes().iter().take(16) {
                out.push_str(&format!("{byte:02x}"));
            }
        }
        out
    }

    /// A literal for `value` read under `key`: every credential in it is replaced by a
    /// fingerprint marker (see `redact`), and it is sensitive when one was.
    pub fn literal(&self, key: &str, value: &str) -> Literal {
        let (text, sensitive) = super::redact::redact(self, key, value, false);
        Literal {
            text,
            fingerprint: self.fingerprint(value),
            sensitive,
        }
    }

    /// A literal for a value of a secret object (a Kubernetes Secret's data): all of it is
    /// secret, so it is held only as markers (each setting's value when it holds a config file).
    pub fn secret_literal(&self, key: &str, value: &str) -> Literal {
        let (text, _) = super::redact::redact(self, key, value, true);
        Literal {
            text,
            fingerprint: self.fingerprint(value),
            sensitive: true,
        }
    }
}

/// A value from an input, as the model may hold it: its text with every credential replaced
/// by a marker (`‹secret:<kind>:<fingerprint>›`), so no secret reaches any later stage.
/// Outputs use [`Literal::shown`], which hides even the markers of a sensitive value.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Literal {
    text: String,
    /// Keyed fingerprint of the whole value as read.
    pub fingerprint: String,
    /// True when the value held a credential (its text holds markers).
    pub sensitive: bool,
}

impl Literal {
    /// The redacted text, for comparisons. Secrets in it are markers already; still, print a
    /// value only through `shown`.
    pub fn text(&self) -> &str {
        &self.text
    }

    /// The value as outputs may show it: quoted text, or a redaction when sensitive.
    pub fn shown(&self) -> String {
        if self.sensitive {
            "(redacted secret value)".to_string()
        } else {
            let mut text: String = self.text.chars().take(120).collect();
            if self.text.chars().count() > 120 {
                text.push('…');
            }
            format!("`{}`", text.replace('\n', "\\n"))
        }
    }
}

impl Serialize for Literal {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut state = serializer.serialize_struct("Literal", 2)?;
        if self.sensitive {
            state.serialize_field("fingerprint", &self.fingerprint)?;
        } else {
            state.serialize_field("value", &self.text)?;
        }
        state.serialize_field("sensitive", &self.sensitive)?;
        state.end()
    }
}
