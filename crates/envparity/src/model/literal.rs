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

    /// A literal for `value`, sensitive when the key name or the value's shape says so.
    pub fn literal(&self, key: &str, value: &str) -> Literal {
        let sensitive = super::sensitivity::is_sensitive(key, value);
        self.literal_with(value, sensitive)
    }

    /// A literal whose sensitivity the caller decides (Secret data is always sensitive).
    pub fn literal_with(&self, value: &str, sensitive: bool) -> Literal {
        Literal {
            raw: value.to_string(),
            fingerprint: self.fingerprint(value),
            sensitive,
        }
    }
}

/// A value from an input. `raw` never leaves the process when `sensitive` is set: use
/// [`Literal::shown`] to print it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Literal {
    raw: String,
    pub fingerprint: String,
    pub sensitive: bool,
}

impl Literal {
    /// The text, for comparisons inside the engine only. Never print it: use `shown`.
    pub fn raw(&self) -> &str {
        &self.raw
    }

    /// The value as outputs may show it: quoted text, or a redaction when sensitive.
    pub fn shown(&self) -> String {
        if self.sensitive {
            "(redacted secret value)".to_string()
        } else {
            let mut text: String = self.raw.chars().take(120).collect();
            if self.raw.chars().count() > 120 {
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
            state.serialize_field("value", &self.raw)?;
        }
        state.serialize_field("sensitive", &self.sensitive)?;
        state.end()
    }
}
