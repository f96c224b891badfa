//! Which keys and values hold credentials. Used when a literal is read, so that a sensitive
//! value is never shown, and by the secrets dimension (`secret-plaintext`).

/// Key-name parts that name a credential.
const CREDENTIAL_KEY_PARTS: &[&str] = &[
    "password",
    "passwd",
    "pwd",
    "secret",
    "token",
    "apikey",
    "api_key",
    "api-key",
    "accesskey",
    "access_key",
    "private_key",
    "privatekey",
    "credential",
    "credentials",
    "auth",
    "dsn",
    "connectionstring",
    "connection_string",
    "client_secret",
    "webhook",
];

/// Key names containing a credential part that are not credentials themselves.
const NOT_CREDENTIAL_KEYS: &[&str] = &[
    "secret_name",
    "secretname",
    "secret-name",
    "secretref",
    "secret_ref",
    "token_url",
    "tokenurl",
    "auth_url",
    "authurl",
    "auth_type",
    "authtype",
    "author",
    "authority",
    "oauth_url",
    "token_ttl",
    "token_expiry",
    "token_audience",
];

/// True when the key's name says it holds a credential.
pub fn is_credential_key(key: &str) -> bool {
    let lower = key.to_ascii_lowercase();
    let last = lower
        .rsplit(['.', '/', ':'])
        .next()
        .unwrap_or(lower.as_str())
        .to_string();
    if NOT_CREDENTIAL_KEYS.contains(&last.as_str())
        || last.ends_with("_file")
        || last.ends_with("_path")
        || last.ends_with("_ttl")
    {
        return false;
    }
    let compact: String = last.chars().filter(|c| c.is_ascii_alphanumeric()).collect();
    // `templateAuthority`, `author`: words that merely contain `auth`.
    let compact = compact
        .replace("authority", "")
        .replace("author", "")
        .replace("unauth", "");
    CREDENTIAL_KEY_PARTS.iter().any(|part| {
        let part_compact: String = part.chars().filter(|c| c.is_ascii_alphanumeric()).collect();
        compact.contains(&part_compact)
    })
}

/// The name of the credential format the value has, if any.
pub fn credential_shape(value: &str) -> Option<&'static str> {
    let v = value.trim();
    if v.contains("-----BEGIN") && v.contains("PRIVATE KEY") {
        return Some("private key block");
    }
    if (v.starts_with("AKIA") || v.starts_with("ASIA"))
        && v.len() == 20
        && v.chars()
            .all(|c| c.is_ascii_uppercase() || c.is_ascii_digit())
    {
        return Some("AWS access key id");
    }
    if let Some(marker) = super::redact::markers(v).first() {
        return Some(super::redact::kind_name(marker.kind));
    }
    for (prefix, name) in [
        ("ghp_", "GitHub token"),
        ("gho_", "GitHub token"),
        ("ghs_", "GitHub token"),
        ("ghu_", "GitHub token"),
        ("ghr_", "GitHub token"),
        ("github_pat_", "GitHub token"),
        ("glpat-", "GitLab token"),
        ("glptt-", "GitLab token"),
        ("gldt-", "GitLab token"),
        ("xoxb-", "Slack token"),
        ("xoxp-", "Slack token"),
        ("xoxa-", "Slack token"),
        ("xoxr-", "Slack token"),
        ("xapp-", "Slack token"),
        ("sk_live_", "Stripe key"),
        ("rk_live_", "Stripe key"),
    ] {
        if v.starts_with(prefix) && v.len() >= prefix.len() + 16 {
            return Some(name);
        }
    }
    if v.starts_with("https://hooks.slack.com/services/")
        || v.starts_with("https://hooks.slack.com/workflows/")
    {
        return Some("Slack webhook");
    }
    let parts: Vec<&str> = v.split('.').collect();
    if parts.len() == 3 && v.starts_with("eyJ") && parts.iter().all(|p| p.len() >= 8) {
        return Some("JWT");
    }
    if let Some(scheme_end) = v.find("://") {
        let rest = &v[scheme_end + 3..];
        let authority = rest.split(['/', '?']).next().unwrap_or("");
        if let Some((userinfo, _)) = authority.rsplit_once('@')
            && let Some((_, password)) = userinfo.split_once(':')
            && !password.is_empty()
            && !password.starts_with('$')
        {
            return Some("connection string with a password");
        }
    }
    None
}

/// Last words of key names that describe a credential without holding one.
const DESCRIPTIVE_WORDS: &[&str] = &[
    "id",
    "ids",
    "names",
    "namespaces",
    "users",
    "groups",
    "email",
    "emails",
    "arn",
    "class",
    "secretname",
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
/// True when a key ending in `Secret` holds the name of a Secret object (`githubConfigSecret:
/// github-arc`, `tlsSecret: api-tls`), not a credential: a lowercase DNS name with a dash.
pub fn names_a_secret_object(key: &str, value: &str) -> bool {
    let own = key.rsplit(['.', '#']).next().unwrap_or(key);
    let v = value.trim();
    words(own).last().is_some_and(|w| w == "secret")
        && (3..=63).contains(&v.len())
        && v.contains('-')
        && v.starts_with(|c: char| c.is_ascii_lowercase())
        && v.chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
        && v.chars().filter(char::is_ascii_digit).count() <= 2
}

pub fn descriptive_key(key: &str) -> bool {
    // The setting's own name: the last segment of a dotted path.
    let own = key.rsplit(['.', '#']).next().unwrap_or(key);
    let words = words(own);
    // `existingSecret`, `secretProviderClass`, `secret_arn`: names of secret objects.
    words.first().is_some_and(|first| first == "existing")
        || words
            .last()
            .is_some_and(|last| DESCRIPTIVE_WORDS.contains(&last.as_str()))
}

/// True when the value is a flag, a number or duration, a URL or path, an expansion of
/// another variable, a mechanism word, or too short to be a credential.
pub fn non_credential_value(value: &str) -> bool {
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
    // An upper-case identifier (`MANIFEST_ADMIN_CLIENT_SECRET`) names a variable filled in at
    // deploy time, not a credential.
    let variable_name = v.contains('_')
        && v.chars()
            .all(|c| c.is_ascii_uppercase() || c.is_ascii_digit() || c == '_');
    variable_name
        || v.contains("://")
        || v.starts_with('/')
        || v.starts_with("$(")
        || v.starts_with('$')
        || v.starts_with("file:")
        || v.starts_with("env:")
}

/// True when a value held under `key` is a credential: its name says so and the value is not a
/// placeholder, a reference, a flag, a number, a URL or a path — or its shape is a known
/// credential format whatever the key.
pub fn is_credential_value(key: &str, value: &str) -> bool {
    let v = value.trim();
    if v.is_empty() {
        return false;
    }
    if credential_shape(v).is_some() {
        return true;
    }
    is_credential_key(key)
        && !descriptive_key(key)
        && !names_a_secret_object(key, v)
        && !is_placeholder(key, v)
        && !is_reference_value(v)
        && !non_credential_value(v)
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
pub fn shareable_credential(key: &str, value: &str) -> bool {
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

/// Values that are placeholders rather than real values.
pub fn is_placeholder(key: &str, value: &str) -> bool {
    let v = value.trim().to_ascii_lowercase();
    const PLACEHOLDERS: &[&str] = &[
        "changeme",
        "change-me",
        "change_me",
        "todo",
        "tbd",
        "xxx",
        "xxxx",
        "replace_me",
        "replaceme",
        "replace-me",
        "placeholder",
        "dummy",
        "fixme",
        "<changeme>",
        "secret",
        "password",
    ];
    if PLACEHOLDERS.contains(&v.as_str()) {
        return true;
    }
    if v.len() >= 3 && v.chars().all(|c| c == 'x') {
        return true;
    }
    let key_last = key.rsplit(['.', '/']).next().unwrap_or(key);
    !v.is_empty() && v.eq_ignore_ascii_case(key_last)
}

/// Values that point to a secret rather than hold one (`${VAR}`, `vault:...`, `arn:...`).
pub fn is_reference_value(value: &str) -> bool {
    let v = value.trim();
    v.starts_with("${")
        || v.starts_with("{{")
        || v.starts_with("vault:")
        || v.starts_with("ref+")
        || v.starts_with("arn:")
        || v.starts_with("secretsmanager:")
        || v.starts_with("projects/")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn credential_keys() {
        assert!(is_credential_key("DB_PASSWORD"));
        assert!(is_credential_key("app.apiKey"));
        assert!(is_credential_key("STRIPE_SECRET"));
        assert!(!is_credential_key("SECRET_NAME"));
        assert!(!is_credential_key("password_file"));
        assert!(!is_credential_key("replicas"));
    }

    #[test]
    fn credential_shapes() {
        assert_eq!(
            credential_shape("AKIAABCDEFGHIJKLMNOP"),
            Some("AWS access key id")
        );
        assert_eq!(
            credential_shape("postgres://app:hunter2@db:5432/app"),
            Some("connection string with a password")
        );
        assert_eq!(credential_shape("postgres://db:5432/app"), None);
        assert_eq!(credential_shape("hello"), None);
    }

    #[test]
    fn placeholders() {
        assert!(is_placeholder("DB_PASSWORD", "changeme"));
        assert!(is_placeholder("API_URL", "TODO"));
        assert!(is_placeholder("token", "token"));
        assert!(!is_placeholder("replicas", "3"));
    }
}
