//! What a config key controls, read from its name: endpoints and proxies, identities,
//! security switches, limits. Drift in an endpoint or identity setting ranks above drift in a
//! replica count or a log level.

use crate::findings::Severity;
use crate::model::sensitivity::is_credential_key;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(in crate::compare) enum KeyClass {
    /// Where the workload connects: URLs, hosts, brokers, proxies, buckets, queues.
    Endpoint,
    /// Credentials (their values are compared only for sharing and plaintext).
    Credential,
    /// Who the workload is: roles, accounts, service accounts, client ids, principals.
    Identity,
    /// TLS, verification, authentication and access switches.
    Security,
    /// Capacity: replicas, limits, quotas, sizes, timeouts, rates.
    Limit,
    Other,
}

const ENDPOINT_WORDS: &[&str] = &[
    "url",
    "uri",
    "host",
    "hostname",
    "hosts",
    "endpoint",
    "endpoints",
    "address",
    "addr",
    "proxy",
    "broker",
    "brokers",
    "server",
    "servers",
    "domain",
    "bucket",
    "queue",
    "topic",
    "dsn",
    "database",
    "db",
    "redis",
    "kafka",
    "smtp",
    "dns",
    "upstream",
    "origin",
    "ingress",
    "base",
    "cluster",
    "region",
];
const IDENTITY_WORDS: &[&str] = &[
    "role",
    "arn",
    "account",
    "serviceaccount",
    "principal",
    "iam",
    "clientid",
    "client",
    "audience",
    "issuer",
    "subject",
    "user",
    "username",
    "identity",
    "group",
    "sso",
];
const SECURITY_WORDS: &[&str] = &[
    "tls",
    "ssl",
    "verify",
    "insecure",
    "insecureskipverify",
    "cert",
    "certificate",
    "ca",
    "cipher",
    "ciphers",
    "auth",
    "authentication",
    "authorization",
    "cors",
    "csp",
    "waf",
    "securitygroups",
    "firewall",
    "allowlist",
    "whitelist",
    "denylist",
    "acl",
    "mtls",
    "debug",
    "encryption",
    "encrypted",
    "kms",
    "hsts",
    "sslmode",
];
const LIMIT_WORDS: &[&str] = &[
    "replicas",
    "replica",
    "replicacount",
    "limit",
    "limits",
    "quota",
    "memory",
    "cpu",
    "size",
    "timeout",
    "max",
    "min",
    "rate",
    "ratelimit",
    "threads",
    "workers",
    "concurrency",
    "pool",
    "requests",
    "retention",
    "ttl",
    "interval",
    "capacity",
    "count",
    "storage",
];

/// The words of a key path, lower case: `app.ingress."alb.ingress.kubernetes.io/scheme"` →
/// `app`, `ingress`, `alb`, ... ; `DB_HOST` → `db`, `host`; `maxReplicas` → `max`, `replicas`.
fn words(key: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut word = String::new();
    let mut previous_lower = false;
    for c in key.chars() {
        if c.is_ascii_alphanumeric() {
            if c.is_ascii_uppercase() && previous_lower && !word.is_empty() {
                out.push(std::mem::take(&mut word));
            }
            previous_lower = c.is_ascii_lowercase() || c.is_ascii_digit();
            word.push(c.to_ascii_lowercase());
        } else {
            previous_lower = false;
            if !word.is_empty() {
                out.push(std::mem::take(&mut word));
            }
        }
    }
    if !word.is_empty() {
        out.push(word);
    }
    out
}

/// The last segment of a key path: `a.b` → `b`, `a."x.y/z"` → `x.y/z`, `f#s` → `s`.
fn last_segment(key: &str) -> &str {
    let key = key.rsplit('#').next().unwrap_or(key);
    if let Some(body) = key.strip_suffix('"')
        && let Some(open) = body
            .rfind(".\"")
            .map(|i| i + 2)
            .or(body.starts_with('"').then_some(1))
    {
        return &body[open..];
    }
    key.rsplit('.').next().unwrap_or(key)
}

/// Classifies a key by its last words (the setting itself), then by the whole path.
pub(in crate::compare) fn classify(key: &str) -> KeyClass {
    let last = last_segment(key);
    let compact: String = last
        .chars()
        .filter(char::is_ascii_alphanumeric)
        .collect::<String>()
        .to_ascii_lowercase();
    let last_words = words(last);
    let has = |list: &[&str]| {
        list.contains(&compact.as_str()) || last_words.iter().any(|w| list.contains(&w.as_str()))
    };
    if has(SECURITY_WORDS) {
        KeyClass::Security
    } else if is_credential_key(key) {
        KeyClass::Credential
    } else if has(LIMIT_WORDS) {
        KeyClass::Limit
    } else if has(ENDPOINT_WORDS) {
        KeyClass::Endpoint
    } else if has(IDENTITY_WORDS) {
        KeyClass::Identity
    } else {
        KeyClass::Other
    }
}

impl KeyClass {
    /// The severity of a value drift in a key of this class.
    pub fn drift_severity(self) -> Severity {
        match self {
            KeyClass::Endpoint | KeyClass::Identity | KeyClass::Security => Severity::Medium,
            KeyClass::Credential | KeyClass::Limit | KeyClass::Other => Severity::Low,
        }
    }

    /// How a message names the class, or nothing for plain settings.
    pub fn label(self) -> Option<&'static str> {
        match self {
            KeyClass::Endpoint => Some("an endpoint setting"),
            KeyClass::Identity => Some("an identity setting"),
            KeyClass::Security => Some("a security setting"),
            KeyClass::Limit => Some("a capacity setting"),
            KeyClass::Credential => Some("a credential"),
            KeyClass::Other => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn classes() {
        assert_eq!(classify("config.public.HTTPS_PROXY"), KeyClass::Endpoint);
        assert_eq!(
            classify("kafka.\"metadata.broker.list\""),
            KeyClass::Endpoint
        );
        assert_eq!(classify("API_HOST_NAME"), KeyClass::Endpoint);
        assert_eq!(
            classify("serviceAccount.annotations.\"eks.amazonaws.com/role-arn\""),
            KeyClass::Identity
        );
        assert_eq!(classify("replicaCount"), KeyClass::Limit);
        assert_eq!(classify("resources.limits.memory"), KeyClass::Limit);
        assert_eq!(classify("tls.insecureSkipVerify"), KeyClass::Security);
        assert_eq!(classify("DB_PASSWORD"), KeyClass::Credential);
        assert_eq!(classify("image.tag"), KeyClass::Other);
        // Severities sort most severe first.
        assert!(KeyClass::Endpoint.drift_severity() < KeyClass::Limit.drift_severity());
    }
}
