//! Host names in configuration values that address something: URLs (and JDBC / connection
//! URLs), key-value connection strings (`Server=db;...`, `host=db port=5432`), and values
//! that are only hosts or `host:port` lists. Free text yields nothing.

/// Keys of key-value connection strings whose value is a host (lower case, no spaces).
const HOST_KEYS: [&str; 8] = [
    "server",
    "host",
    "hostname",
    "datasource",
    "address",
    "addr",
    "endpoint",
    "url",
];

/// A DNS name or an IPv4 address: dot-separated labels of letters, digits and `-`.
fn is_host(text: &str) -> bool {
    !text.is_empty()
        && text.len() <= 253
        && text.split('.').all(|label| {
            !label.is_empty()
                && label.len() <= 63
                && label
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
                && !label.starts_with('-')
        })
}

fn is_ip(text: &str) -> bool {
    text.parse::<std::net::IpAddr>().is_ok()
}

/// `host`, `host:port` or `[v6]:port` → the host, when it is a host name.
fn host_of(text: &str) -> Option<&str> {
    let text = text.trim().trim_end_matches('.');
    if text.starts_with('[') {
        return None;
    }
    let host = match text.rsplit_once(':') {
        Some((host, port)) if !port.is_empty() && port.chars().all(|c| c.is_ascii_digit()) => host,
        Some(_) => return None,
        None => text,
    };
    (is_host(host) && !is_ip(host)).then_some(host)
}

/// The host of every `scheme://[user[:password]@]host[:port]...` in `text`.
fn url_hosts(text: &str, out: &mut Vec<String>) {
    let mut rest = text;
    while let Some(index) = rest.find("://") {
        let after = &rest[index + 3..];
        let end = after
            .find(|c: char| c.is_whitespace() || "/?#\"'<>;,)]}".contains(c))
            .unwrap_or(after.len());
        let authority = &after[..end];
        let hostport = authority.rsplit_once('@').map_or(authority, |(_, h)| h);
        if let Some(host) = host_of(hostport) {
            out.push(host.to_ascii_lowercase());
        }
        rest = &after[end..];
    }
}

/// Hosts of `Server=tcp:db,1433;Database=x` or `host=db port=5432 dbname=x`.
fn key_value_hosts(text: &str, out: &mut Vec<String>) {
    for part in text.split([';', ' ', '\t', '\n']) {
        let Some((key, value)) = part.split_once('=') else {
            continue;
        };
        let key: String = key
            .chars()
            .filter(|c| !c.is_whitespace())
            .collect::<String>()
            .to_ascii_lowercase();
        if !HOST_KEYS.contains(&key.as_str()) || value.contains("://") {
            continue;
        }
        let value = value.trim().trim_start_matches("tcp:");
        let value = value.split(',').next().unwrap_or(value);
        if let Some(host) = host_of(value).filter(|h| h.contains('.')) {
            out.push(host.to_ascii_lowercase());
        }
    }
}

/// A value that is nothing but hosts: `db.ns.svc`, `redis:6379`, `b1.kafka:9092,b2.kafka:9092`.
/// A bare name needs a dot, and lower case (so that `com.example.Main` is not a host).
fn bare_hosts(text: &str, out: &mut Vec<String>) {
    let text = text.trim();
    if text.is_empty() || text.chars().any(char::is_whitespace) {
        return;
    }
    let mut found = Vec::new();
    for item in text.split(',') {
        let with_port = item.contains(':');
        match host_of(item) {
            Some(host)
                if (with_port || host.contains('.'))
                    && !host.chars().any(|c| c.is_ascii_uppercase())
                    && host.chars().any(|c| c.is_ascii_alphabetic()) =>
            {
                found.push(host.to_string());
            }
            _ => return,
        }
    }
    out.extend(found);
}

/// Every host `value` addresses, lower case, in order of appearance, without repeats.
pub(super) fn hosts(value: &str) -> Vec<String> {
    let mut out = Vec::new();
    if value.contains("://") {
        url_hosts(value, &mut out);
    }
    key_value_hosts(value, &mut out);
    if out.is_empty() {
        bare_hosts(value, &mut out);
    }
    let mut seen = std::collections::BTreeSet::new();
    out.retain(|h| seen.insert(h.clone()));
    out
}

#[cfg(test)]
mod tests {
    use super::hosts;

    #[test]
    fn finds_hosts_in_endpoints() {
        assert_eq!(
            hosts("https://payments.shop-production.svc.cluster.local/v1?x=1"),
            vec!["payments.shop-production.svc.cluster.local"]
        );
        assert_eq!(
            hosts("postgres://app:s3cret@db.prod.internal:5432/app"),
            vec!["db.prod.internal"]
        );
        assert_eq!(
            hosts("jdbc:postgresql://db.shop-production.svc:5432/shop"),
            vec!["db.shop-production.svc"]
        );
        assert_eq!(
            hosts("Server=tcp:sql.prod.example.net,1433;Database=shop;User Id=a"),
            vec!["sql.prod.example.net"]
        );
        assert_eq!(
            hosts("host=db.shop-production.svc port=5432 dbname=shop"),
            vec!["db.shop-production.svc"]
        );
        assert_eq!(hosts("redis-master.cache:6379"), vec!["redis-master.cache"]);
        assert_eq!(
            hosts("b1.kafka.prod:9092,b2.kafka.prod:9092"),
            vec!["b1.kafka.prod", "b2.kafka.prod"]
        );
        assert_eq!(hosts("api:8080"), vec!["api"]);
    }

    #[test]
    fn free_text_has_no_host() {
        assert!(hosts("production").is_empty());
        assert!(hosts("Deployed like production, see the runbook.").is_empty());
        assert!(hosts("com.example.production.Main").is_empty());
        assert!(hosts("1.2.3").is_empty());
        assert!(hosts("10.0.0.1:5432").is_empty());
        assert!(hosts("info").is_empty());
        assert!(hosts("a=b").is_empty());
    }
}
