//! The one place where a value that may be secret becomes safe to hold: every credential in
//! it (the whole value when its key names a credential, a token of a known credential shape,
//! the password of a connection string, a private key block, a high-entropy string, each
//! credential setting of a config file held in the value) is replaced by a marker carrying
//! the kind of credential and a keyed fingerprint. Nothing after ingest sees the secret: the
//! model holds the redacted text, comparisons compare markers.

use super::embedded::settings;
use super::literal::Fingerprinter;
use super::sensitivity::{
    credential_shape, descriptive_key, is_credential_key, is_placeholder, is_reference_value,
    names_a_secret_object, non_credential_value, shareable_credential,
};

/// The opening and closing of a marker: `‹secret:<kind>:<fingerprint>›`.
pub const MARKER_OPEN: &str = "‹secret:";
pub const MARKER_CLOSE: char = '›';

/// Kinds of markers, by slug, and how a message names them.
const KINDS: &[(&str, &str)] = &[
    ("named", "credential named by its key"),
    ("stored", "value of a secret object"),
    ("stored-other", "value of a secret object"),
    ("private-key", "private key block"),
    ("aws-access-key-id", "AWS access key id"),
    ("aws-secret-key", "AWS secret access key"),
    ("github-token", "GitHub token"),
    ("gitlab-token", "GitLab token"),
    ("slack-token", "Slack token"),
    ("slack-webhook", "Slack webhook"),
    ("stripe-key", "Stripe key"),
    ("jwt", "JWT"),
    ("url-password", "connection string with a password"),
    ("high-entropy", "high-entropy string"),
];

fn slug_of(name: &str) -> &'static str {
    KINDS
        .iter()
        .find(|(_, n)| *n == name)
        .map_or("high-entropy", |(slug, _)| slug)
}

/// How a message names the kind of a marker's credential.
pub fn kind_name(slug: &str) -> &'static str {
    KINDS
        .iter()
        .find(|(s, _)| *s == slug)
        .map_or("credential", |(_, name)| name)
}

/// One marker found in a text: its kind slug and fingerprint.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Marker<'a> {
    pub kind: &'a str,
    pub fingerprint: &'a str,
}

/// Every marker of a redacted text, in order.
pub fn markers(text: &str) -> Vec<Marker<'_>> {
    let mut out = Vec::new();
    let mut rest = text;
    while let Some(start) = rest.find(MARKER_OPEN) {
        let body = &rest[start + MARKER_OPEN.len()..];
        let Some(end) = body.find(MARKER_CLOSE) else {
            break;
        };
        if let Some((kind, fingerprint)) = body[..end].split_once(':') {
            out.push(Marker { kind, fingerprint });
        }
        rest = &body[end + MARKER_CLOSE.len_utf8()..];
    }
    out
}

fn marker(fingerprinter: &Fingerprinter, kind: &str, secret: &str) -> String {
    format!(
        "{MARKER_OPEN}{kind}:{}{MARKER_CLOSE}",
        fingerprinter.fingerprint(secret)
    )
}

/// The redacted text of a value read under `key`, and whether anything was secret. With
/// `stored`, the value comes from a secret object: all of it is secret (each setting's value
/// when it holds a config file).
pub fn redact(
    fingerprinter: &Fingerprinter,
    key: &str,
    value: &str,
    stored: bool,
) -> (String, bool) {
    if value.trim().is_empty() {
        return (value.to_string(), false);
    }
    if let Some(settings) = settings(key, value) {
        return redact_file(fingerprinter, value, &settings, stored);
    }
    let v = value.trim();
    if stored {
        return (marker(fingerprinter, stored_kind(key, value), value), true);
    }
    if is_reference_value(v) || is_placeholder(key, v) {
        return (value.to_string(), false);
    }
    if is_credential_key(key)
        && !descriptive_key(key)
        && !non_credential_value(v)
        && !names_a_secret_object(key, v)
    {
        let kind = credential_shape(v).map_or("named", slug_of);
        return (marker(fingerprinter, kind, value), true);
    }
    redact_tokens(fingerprinter, value)
}

/// The kind of a secret object's value: `stored` when sharing it across environments shares
/// a credential, `stored-other` for certificates, public keys, user names, ports and the like.
fn stored_kind(key: &str, value: &str) -> &'static str {
    if shareable_credential(key, value) {
        "stored"
    } else {
        "stored-other"
    }
}

/// A config file held in one value: each credential setting's value is replaced in its line.
fn redact_file(
    fingerprinter: &Fingerprinter,
    value: &str,
    settings: &[super::embedded::Setting],
    stored: bool,
) -> (String, bool) {
    let mut lines: Vec<String> = value.split('\n').map(str::to_string).collect();
    let mut any = false;
    for setting in settings {
        let v = setting.value.trim();
        let secret = if stored {
            !v.is_empty()
        } else {
            is_credential_key(&setting.path)
                && !descriptive_key(&setting.path)
                && !names_a_secret_object(&setting.path, v)
                && !is_placeholder(&setting.path, v)
                && !is_reference_value(v)
                && !non_credential_value(v)
        };
        let Some(line) = lines.get_mut(setting.offset as usize) else {
            continue;
        };
        if secret && let Some(at) = line.rfind(v) {
            let kind = if stored {
                stored_kind(&setting.path, v)
            } else {
                credential_shape(v).map_or("named", slug_of)
            };
            line.replace_range(at..at + v.len(), &marker(fingerprinter, kind, v));
            any = true;
        }
    }
    let joined = lines.join("\n");
    // Credentials of a known shape anywhere else in the file (comments, unparsed lines).
    let (text, shaped) = redact_tokens(fingerprinter, &joined);
    (text, any || shaped || stored)
}

/// Replaces private key blocks and every whitespace-separated token of a credential shape (or
/// only the password of a connection string). Certificate and public key blocks are public:
/// kept as they are.
fn redact_tokens(fingerprinter: &Fingerprinter, value: &str) -> (String, bool) {
    let mut any = false;
    let mut out = String::with_capacity(value.len());
    let mut rest = value;
    loop {
        let Some(start) = rest.find("-----BEGIN") else {
            any |= redact_plain(fingerprinter, rest, &mut out);
            break;
        };
        any |= redact_plain(fingerprinter, &rest[..start], &mut out);
        let block_text = &rest[start..];
        let end = block_text
            .find("-----END")
            .and_then(|e| block_text[e + 8..].find("-----").map(|f| e + 8 + f + 5))
            .unwrap_or(block_text.len());
        let block = &block_text[..end];
        if block.lines().next().unwrap_or("").contains("PRIVATE KEY") {
            out.push_str(&marker(fingerprinter, "private-key", block));
            any = true;
        } else {
            out.push_str(block);
        }
        rest = &block_text[end..];
    }
    (out, any)
}

/// The token pass of [`redact_tokens`] over text outside PEM blocks.
fn redact_plain(fingerprinter: &Fingerprinter, text: &str, out: &mut String) -> bool {
    let mut any = false;
    let mut last = 0;
    for (start, token) in tokens(text) {
        let trimmed = token.trim_matches(|c: char| {
            matches!(
                c,
                '"' | '\'' | ',' | ';' | '(' | ')' | '[' | ']' | '{' | '}'
            )
        });
        if trimmed.is_empty() || trimmed.contains(MARKER_OPEN) {
            continue;
        }
        let offset = start + token.find(trimmed).unwrap_or(0);
        let replacement = match credential_shape(trimmed) {
            Some("connection string with a password") => password_redacted(fingerprinter, trimmed),
            Some(name) => Some(marker(fingerprinter, slug_of(name), trimmed)),
            None if high_entropy(trimmed) => Some(marker(fingerprinter, "high-entropy", trimmed)),
            None => None,
        };
        if let Some(replacement) = replacement {
            out.push_str(&text[last..offset]);
            out.push_str(&replacement);
            last = offset + trimmed.len();
            any = true;
        }
    }
    out.push_str(&text[last..]);
    any
}

/// Whitespace-separated tokens with their byte offsets.
fn tokens(text: &str) -> Vec<(usize, &str)> {
    let mut out = Vec::new();
    let mut start = None;
    for (index, c) in text.char_indices() {
        match (c.is_whitespace(), start) {
            (true, Some(s)) => {
                out.push((s, &text[s..index]));
                start = None;
            }
            (false, None) => start = Some(index),
            _ => {}
        }
    }
    if let Some(s) = start {
        out.push((s, &text[s..]));
    }
    out
}

/// `scheme://user:password@host/...` with the password replaced by a marker.
fn password_redacted(fingerprinter: &Fingerprinter, url: &str) -> Option<String> {
    let scheme_end = url.find("://")? + 3;
    let authority_end = url[scheme_end..]
        .find(['/', '?'])
        .map_or(url.len(), |i| scheme_end + i);
    let at = url[scheme_end..authority_end].rfind('@')? + scheme_end;
    let colon = url[scheme_end..at].find(':')? + scheme_end;
    let password = &url[colon + 1..at];
    Some(format!(
        "{}{}{}",
        &url[..colon + 1],
        marker(fingerprinter, "url-password", password),
        &url[at..]
    ))
}

/// A long random-looking token: 24+ characters of a base64/base62 alphabet mixing upper and
/// lower case letters and digits, with high Shannon entropy; never a URL, a path, a UUID or a
/// hex digest (commit ids and image digests are not secrets).
pub fn high_entropy(token: &str) -> bool {
    if token.len() < 24 || token.len() > 512 || token.contains("://") || token.starts_with('/') {
        return false;
    }
    let alphabet = |c: char| c.is_ascii_alphanumeric() || matches!(c, '+' | '/' | '=' | '_' | '-');
    if !token.chars().all(alphabet) {
        return false;
    }
    let upper = token.chars().any(|c| c.is_ascii_uppercase());
    let lower = token.chars().any(|c| c.is_ascii_lowercase());
    let digit = token.chars().any(|c| c.is_ascii_digit());
    if !(upper && lower && digit) {
        return false;
    }
    // Names made of words (`my-Service-Account-2024`) have separators every few characters.
    let longest_run = token.split(['-', '_']).map(str::len).max().unwrap_or(0);
    if longest_run < 20 {
        return false;
    }
    entropy(token) >= 4.0
}

/// Shannon entropy in bits per character.
fn entropy(text: &str) -> f64 {
    let mut counts = [0usize; 256];
    for b in text.bytes() {
        counts[usize::from(b)] += 1;
    }
    let n = text.len() as f64;
    counts
        .iter()
        .filter(|&&c| c > 0)
        .map(|&c| {
            let p = c as f64 / n;
            -p * p.log2()
        })
        .sum()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fp() -> Fingerprinter {
        Fingerprinter::new(b"test-key")
    }

    fn r(key: &str, value: &str) -> (String, bool) {
        redact(&fp(), key, value, false)
    }

    #[test]
    fn named_credentials_become_markers() {
        let (text, sensitive) = r("DB_PASSWORD", "hunter2-secret");
        assert!(sensitive && !text.contains("hunter2"));
        assert_eq!(markers(&text)[0].kind, "named");
        assert_eq!(
            r("DB_PASSWORD", "changeme"),
            ("changeme".to_string(), false)
        );
        assert!(!r("DB_PASSWORD", "${DB_PASSWORD}").1);
        assert_eq!(r("AUTH_MODE", "oidc"), ("oidc".to_string(), false));
    }

    #[test]
    fn shapes_inside_text_keep_the_rest() {
        let (text, sensitive) = r(
            "DATABASE_URL",
            "postgres://app:hunter22@db.staging:5432/app",
        );
        assert!(sensitive && !text.contains("hunter22") && text.contains("@db.staging:5432/app"));
        let (text, _) = r("NOTE", "key AKIAABCDEFGHIJKLMNOP here");
        assert!(text.starts_with("key ‹secret:aws-access-key-id:") && text.ends_with("› here"));
        let pem = "-----BEGIN RSA PRIVATE KEY-----\nMIIEabc\n-----END RSA PRIVATE KEY-----\n";
        let (text, _) = r("tls.key", pem);
        assert!(!text.contains("MIIEabc"));
        let cert = "-----BEGIN CERTIFICATE-----\nMIIBcert\n-----END CERTIFICATE-----\n";
        assert_eq!(r("ca.crt", cert), (cert.to_string(), false));
    }

    #[test]
    fn embedded_files_redact_each_setting() {
        let (text, sensitive) = r("app.env", "DB_HOST=db\nDB_PASSWORD=s3cretvalue\n");
        assert!(sensitive && text.starts_with("DB_HOST=db\nDB_PASSWORD=‹secret:named:"));
        let (text, sensitive) = redact(&fp(), "app.env", "DB_HOST=db\nMODE=x\n", true);
        assert!(sensitive && !text.contains("=db") && !text.contains("=x"));
    }

    #[test]
    fn names_of_secret_objects_are_not_credentials() {
        assert!(!r("githubConfigSecret", "github-arc").1);
        assert!(!r("existingSecret", "falco-config-secrets").1);
        assert!(r("clientSecret", "Zx8-kd93Lq-00aP").1);
        assert!(!r("DB_PASSWORD", "MANIFEST_DB_PASSWORD").1);
    }

    #[test]
    fn same_secret_same_marker() {
        let a = r("password", "same-value-123").0;
        let b = r("DB_PASSWD", "same-value-123").0;
        assert_eq!(markers(&a)[0].fingerprint, markers(&b)[0].fingerprint);
    }

    #[test]
    fn entropy_heuristic() {
        assert!(high_entropy("wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"));
        assert!(!high_entropy("3f2c1a9e8b7d6c5f4e3d2c1b0a9f8e7d6c5b4a39"));
        assert!(!high_entropy("123e4567-e89b-12d3-a456-426614174000"));
        assert!(!high_entropy("my-Service-Account-Name-2024"));
        assert!(!high_entropy("https://example.com/aVeryLongPathSegment123"));
    }
}
