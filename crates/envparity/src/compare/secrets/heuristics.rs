//! Which plain values are credentials, read from the markers redaction left in them: the
//! decision (key names, value shapes, flags, numbers, URLs, placeholders) was taken in
//! `model::sensitivity` when the value was read.

use crate::model::redact::{kind_name, markers};

/// Why a value of a plain-config key is a credential held in plain text, or `None`. The
/// decision was taken when the value was read: its credentials are markers now.
pub(in crate::compare) fn plaintext_reason(_key: &str, text: &str) -> Option<String> {
    let marker = markers(text)
        .into_iter()
        .find(|m| !m.kind.starts_with("stored"))?;
    Some(if marker.kind == "named" {
        "its name says it is a credential".to_string()
    } else {
        format!("the value has the shape of a {}", kind_name(marker.kind))
    })
}

/// The fingerprints of the credentials of a redacted value that would be shared if another
/// environment held them too (certificates, public keys and non-credential values of secret
/// objects excluded), sorted: the identity of the value's secret parts.
pub(in crate::compare) fn shareable_fingerprints(text: &str) -> Vec<String> {
    let mut out: Vec<String> = markers(text)
        .into_iter()
        .filter(|m| m.kind != "stored-other")
        .map(|m| m.fingerprint.to_string())
        .collect();
    out.sort();
    out.dedup();
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Fingerprinter;

    fn text(key: &str, value: &str) -> String {
        Fingerprinter::new(b"k")
            .literal(key, value)
            .text()
            .to_string()
    }

    #[test]
    fn plaintext_needs_a_real_credential() {
        let reason = |k: &str, v: &str| plaintext_reason(k, &text(k, v));
        assert!(reason("DB_PASSWORD", "s3cr3t-Pa55").is_some());
        assert!(reason("LOG_LEVEL", "AKIAABCDEFGHIJKLMNOP").is_some());
        assert!(reason("DATABASE_URL", "postgres://app:hunter22@db:5432/app").is_some());
        assert!(reason("DB_PASSWORD", "changeme").is_none());
        assert!(reason("DB_PASSWORD", "${DB_PASSWORD}").is_none());
        assert!(reason("AUTH_ENABLED", "true").is_none());
        assert!(reason("OAUTH_CLIENT_ID", "my-client-1234").is_none());
        assert!(reason("TOKEN_TIMEOUT", "30s").is_none());
        assert!(reason("AUTH_MODE", "oidc").is_none());
        assert!(reason("SENTRY_DSN", "https://abc@sentry.io/1").is_none());
        assert!(reason("apiKey", "").is_none());
        assert!(reason("JWT_SECRET", "$(SHARED_SECRET)").is_none());
    }

    #[test]
    fn shareable_values() {
        let fp = Fingerprinter::new(b"k");
        let stored = |k: &str, v: &str| shareable_fingerprints(fp.secret_literal(k, v).text());
        assert_eq!(stored("password", "hunter2-but-longer").len(), 1);
        assert_eq!(stored("random", "a8f7e6d5c4b3a2910f").len(), 1);
        assert!(stored("username", "admin").is_empty());
        assert!(stored("ca.crt", "-----BEGIN CERTIFICATE-----\nMIIB").is_empty());
        assert!(stored("password", "changeme").is_empty());
        assert!(stored("port", "5432").is_empty());
        assert!(stored("host", "db-1234567890123456.internal").is_empty());
        let a = shareable_fingerprints(&text("DB_URL", "postgres://u:pw-123456@db-staging/x"));
        let b = shareable_fingerprints(&text("DB_URL", "postgres://u:pw-123456@db-prod/x"));
        assert_eq!(a, b);
    }
}
