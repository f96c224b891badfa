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
    CREDENTIAL_KEY_PARTS.iter().any(|part| {
        let part_compact: String = part.chars().filter(|c| c.is_ascii_alphanumeric()).collect();
        compact.contains(&part_compact)
    })
}

/// True when the value's shape is a known credential format.
pub fn is_credential_shape(value: &str) -> bool {
    credential_shape(value).is_some()
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
    for (prefix, name) in [
        ("ghp_", "GitHub token"),
        ("gho_", "GitHub token"),
        ("ghs_", "GitHub token"),
        ("github_pat_", "GitHub token"),
        ("glpat-", "GitLab token"),
        ("xoxb-", "Slack token"),
        ("xoxp-", "Slack token"),
        ("sk_live_", "Stripe key"),
    ] {
        if v.starts_with(prefix) && v.len() >= prefix.len() + 16 {
            return Some(name);
        }
    }
    if v.starts_with("https://hooks.slack.com/services/") {
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

/// Whether a value read under `key` must be hidden in every output. A value holding a whole
/// file (`.env`, properties, YAML) is sensitive when one of its settings is.
pub fn is_sensitive(key: &str, value: &str) -> bool {
    if value.trim().is_empty() {
        return false;
    }
    if (is_credential_key(key) && !is_reference_value(value)) || is_credential_shape(value) {
        return true;
    }
    if value.split_whitespace().any(is_credential_shape) {
        return true;
    }
    value
        .lines()
        .skip_while(|l| l.trim().is_empty())
        .any(|line| {
            let line = line.trim().trim_start_matches("export ");
            if line.starts_with('#') || line.starts_with("//") {
                return false;
            }
            let split = line
                .split_once('=')
                .or_else(|| line.split_once(':'))
                .filter(|(k, _)| !k.trim().is_empty() && !k.contains(' '));
            match split {
                Some((inner_key, inner_value)) => {
                    let inner_value = inner_value.trim().trim_matches(['"', '\'']);
                    !inner_value.is_empty()
                        && is_credential_key(inner_key.trim())
                        && !is_reference_value(inner_value)
                        && !inner_value.starts_with('$')
                }
                None => false,
            }
        })
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
    fn embedded_files() {
        assert!(is_sensitive(
            "config.env",
            "DB_USERNAME=admin\nDB_PASSWORD=somepw\n"
        ));
        assert!(is_sensitive(
            "application.properties",
            "app.name=x\nspring.datasource.password=admin\n"
        ));
        assert!(is_sensitive("settings.yaml", "db:\n  password: hunter2\n"));
        assert!(!is_sensitive(
            "settings.yaml",
            "db:\n  host: db\n  password_file: /run/x\n"
        ));
        assert!(!is_sensitive("app.env", "PASSWORD=${DB_PASSWORD}\n"));
    }

    #[test]
    fn placeholders() {
        assert!(is_placeholder("DB_PASSWORD", "changeme"));
        assert!(is_placeholder("API_URL", "TODO"));
        assert!(is_placeholder("token", "token"));
        assert!(!is_placeholder("replicas", "3"));
    }
}
