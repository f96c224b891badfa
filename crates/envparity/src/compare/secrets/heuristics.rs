//! Which plain values are credentials, beyond the shared key-name and value-shape lists of
//! `model::sensitivity`: settings whose names mention a credential but whose values are flags,
//! numbers, URLs, paths or auth-mode words are not credentials.

use crate::model::sensitivity::{
    credential_shape, is_credential_key, is_placeholder, is_reference_value,
};

/// Last words of key names that describe a credential without holding one.
const DESCRIPTIVE_WORDS: &[&str] = &[
    "id",
    "user",
    "username",
    "name",
    "url",
    "uri",
    "endpoint",
    "host",
    "hostname",
    "port",
    "enabled",
    "enable",
    "disabled",
    "disable",
    "mode",
    "type",
    "method",
    "provider",
    "issuer",
    "audience",
    "audiences",
    "scope",
    "scopes",
    "header",
    "expiry",
    "expiration",
    "expires",
    "timeout",
    "ttl",
    "lifetime",
    "duration",
    "length",
    "size",
    "path",
    "file",
    "dir",
    "realm",
    "domain",
    "region",
    "version",
    "algorithm",
    "policy",
    "format",
    "level",
    "count",
    "interval",
    "strategy",
    "ref",
    "location",
    "store",
    "backend",
    "namespace",
    "mount",
    "role",
    "kind",
];

/// Values that name an auth mechanism rather than hold a credential.
const MECHANISM_WORDS: &[&str] = &[
    "basic",
    "bearer",
    "oauth",
    "oauth2",
    "oidc",
    "ldap",
    "jwt",
    "saml",
    "kerberos",
    "none",
    "internal",
    "kubernetes",
    "iam",
    "token",
    "apikey",
    "api_key",
    "password",
    "header",
    "cookie",
    "required",
    "optional",
    "disabled",
    "enabled",
    "mtls",
    "tls",
    "x509",
    "anonymous",
    "md5",
    "scram-sha-256",
    "trust",
    "peer",
    "cert",
];

/// Splits a key into lower-case words at `_`, `-`, `.`, `/`, `:` and camelCase boundaries.
fn words(key: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut current = String::new();
    let mut previous_lower = false;
    for c in key.chars() {
        if !c.is_ascii_alphanumeric() {
            if !current.is_empty() {
                out.push(std::mem::take(&mut current));
            }
            previous_lower = false;
            continue;
        }
        if c.is_ascii_uppercase() && previous_lower && !current.is_empty() {
            out.push(std::mem::take(&mut current));
        }
        previous_lower = c.is_ascii_lowercase() || c.is_ascii_digit();
        current.push(c.to_ascii_lowercase());
    }
    if !current.is_empty() {
        out.push(current);
    }
    out
}

/// True when the key names something about a credential (its id, URL, lifetime, mode).
fn descriptive_key(key: &str) -> bool {
    words(key)
        .last()
        .is_some_and(|last| DESCRIPTIVE_WORDS.contains(&last.as_str()))
}

/// True when the value is a flag, a number or duration, a URL or path, an expansion of
/// another variable, a mechanism word, or too short to be a credential.
fn non_credential_value(value: &str) -> bool {
    let v = value.trim();
    let lower = v.to_ascii_lowercase();
    if v.chars().count() < 4 {
        return true;
    }
    if matches!(
        lower.as_str(),
        "true" | "false" | "yes" | "no" | "on" | "off" | "null" | "nil"
    ) || MECHANISM_WORDS.contains(&lower.as_str())
    {
        return true;
    }
    let number_or_duration = v.trim_end_matches(|c: char| c.is_ascii_alphabetic());
    if !number_or_duration.is_empty()
        && number_or_duration
            .chars()
            .all(|c| c.is_ascii_digit() || c == '.')
        && v.len() - number_or_duration.len() <= 2
    {
        return true;
    }
    v.contains("://")
        || v.starts_with('/')
        || v.starts_with("$(")
        || v.starts_with('$')
        || v.starts_with("file:")
        || v.starts_with("env:")
}

/// Why a value of a plain-config key is a credential held in plain text, or `None`.
pub(in crate::compare) fn plaintext_reason(key: &str, value: &str) -> Option<String> {
    let v = value.trim();
    if v.is_empty() {
        return None;
    }
    if let Some(shape) = credential_shape(v) {
        return Some(format!("the value has the shape of a {shape}"));
    }
    if !is_credential_key(key)
        || descriptive_key(key)
        || is_placeholder(key, v)
        || is_reference_value(v)
        || non_credential_value(v)
    {
        return None;
    }
    Some("its name says it is a credential".to_string())
}

/// True when the value looks randomly generated: long, no whitespace, letters and digits.
fn looks_random(value: &str) -> bool {
    let v = value.trim();
    v.len() >= 16
        && !v.chars().any(char::is_whitespace)
        && v.chars().any(|c| c.is_ascii_digit())
        && v.chars().any(|c| c.is_ascii_alphabetic())
        && !v.contains("://")
        && !v.starts_with('/')
}

/// True when sharing this value between environments shares a credential: a credential key
/// or shape, or a random-looking value; never a certificate, a public key or a placeholder.
pub(in crate::compare) fn shareable_credential(key: &str, value: &str) -> bool {
    let v = value.trim();
    if v.is_empty() || is_placeholder(key, v) || is_reference_value(v) {
        return false;
    }
    if credential_shape(v).is_some() {
        return true;
    }
    let lower_key = key.to_ascii_lowercase();
    let public = v.contains("-----BEGIN CERTIFICATE")
        || v.contains("-----BEGIN PUBLIC KEY")
        || lower_key.ends_with(".crt")
        || lower_key.ends_with(".pub")
        || lower_key.ends_with("ca.pem")
        || lower_key.ends_with("cert.pem");
    if public {
        return false;
    }
    (is_credential_key(key) && !descriptive_key(key) && !non_credential_value(v))
        || (!descriptive_key(key) && looks_random(v))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plaintext_needs_a_real_credential() {
        assert!(plaintext_reason("DB_PASSWORD", "s3cr3t-Pa55").is_some());
        assert!(plaintext_reason("LOG_LEVEL", "AKIAABCDEFGHIJKLMNOP").is_some());
        assert!(plaintext_reason("DATABASE_URL", "postgres://app:hunter22@db:5432/app").is_some());
        assert!(plaintext_reason("DB_PASSWORD", "changeme").is_none());
        assert!(plaintext_reason("DB_PASSWORD", "${DB_PASSWORD}").is_none());
        assert!(plaintext_reason("AUTH_ENABLED", "true").is_none());
        assert!(plaintext_reason("OAUTH_CLIENT_ID", "my-client-1234").is_none());
        assert!(plaintext_reason("TOKEN_TIMEOUT", "30s").is_none());
        assert!(plaintext_reason("AUTH_MODE", "oidc").is_none());
        assert!(plaintext_reason("SENTRY_DSN", "https://abc@sentry.io/1").is_none());
        assert!(plaintext_reason("apiKey", "").is_none());
        assert!(plaintext_reason("JWT_SECRET", "$(SHARED_SECRET)").is_none());
    }

    #[test]
    fn key_words() {
        assert_eq!(words("oauthClientId"), vec!["oauth", "client", "id"]);
        assert_eq!(words("DB_PASSWORD"), vec!["db", "password"]);
        assert!(descriptive_key("API_TOKEN_URL"));
        assert!(!descriptive_key("API_TOKEN"));
    }

    #[test]
    fn shareable_values() {
        assert!(shareable_credential("password", "hunter2-but-longer"));
        assert!(shareable_credential("random", "a8f7e6d5c4b3a2910f"));
        assert!(!shareable_credential("username", "admin"));
        assert!(!shareable_credential(
            "ca.crt",
            "-----BEGIN CERTIFICATE-----\nMIIB"
        ));
        assert!(!shareable_credential("password", "changeme"));
        assert!(!shareable_credential("port", "5432"));
        assert!(!shareable_credential(
            "host",
            "db-1234567890123456.internal"
        ));
    }
}
