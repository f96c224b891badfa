//! `tls-trust-mismatch` from configuration: certificate verification turned off (or TLS
//! disabled) in a ConfigMap value or env literal of one environment and not the other.
//! Settings are recognised as `key: value` pairs, inside multi-line config files and in
//! connection-string parameters; only the canonical setting is ever printed, never the value.

use std::collections::BTreeMap;

use crate::compare::config::entries::{capitalized, side_name};
use crate::compare::config::sites::{Site, plain_sites};
use crate::compare::{Context, Results};
use crate::findings::{Confidence, Finding, Rule, Side, Subject};

fn compact(key: &str) -> String {
    key.chars()
        .filter(char::is_ascii_alphanumeric)
        .map(|c| c.to_ascii_lowercase())
        .collect()
}

fn normalized_value(value: &str) -> String {
    value
        .trim()
        .trim_end_matches([',', ';'])
        .trim_matches(['"', '\''])
        .trim()
        .to_ascii_lowercase()
}

fn truthy(v: &str) -> bool {
    matches!(v, "true" | "1" | "yes" | "on")
}

fn falsy(v: &str) -> bool {
    matches!(v, "false" | "0" | "no" | "off" | "none")
}

/// What one `key = value` setting turns off, in a canonical form safe to print.
fn setting(key: &str, value: &str) -> Option<String> {
    let k = compact(key);
    let v = normalized_value(value);
    if k.is_empty() || k.len() > 60 {
        return None;
    }
    if k == "nodetlsrejectunauthorized" && v == "0" {
        return Some("NODE_TLS_REJECT_UNAUTHORIZED=0".to_string());
    }
    // PostgreSQL (`disable` … `require`) and MySQL (`DISABLED` … `REQUIRED`) modes that do
    // not verify the server's certificate.
    let unverified_modes = [
        "disable",
        "allow",
        "prefer",
        "require",
        "disabled",
        "preferred",
        "required",
    ];
    if k.ends_with("sslmode") && unverified_modes.contains(&v.as_str()) {
        return Some(format!("sslmode={v} (no certificate verification)"));
    }
    if (k.contains("noverif") || (k.contains("disable") && k.contains("verif"))) && truthy(&v) {
        return Some(format!("`{key}` = {v} (certificate verification skipped)"));
    }
    if k == "trustservercertificate" && truthy(&v) {
        return Some(format!(
            "`{key}` = {v} (server certificate trusted unverified)"
        ));
    }
    if k.ends_with("certreqs") && matches!(v.as_str(), "none" | "cert_none" | "ssl.cert_none") {
        return Some(format!("`{key}` = {v} (certificate verification off)"));
    }
    let tls_switches = [
        "usessl",
        "usetls",
        "sslenabled",
        "tlsenabled",
        "enablessl",
        "enabletls",
    ];
    if tls_switches.contains(&k.as_str()) && falsy(&v) {
        return Some(format!("`{key}` = {v} (TLS turned off)"));
    }
    if k.contains("skip") && k.contains("verif") && truthy(&v) {
        return Some(format!("`{key}` = {v} (certificate verification skipped)"));
    }
    if k.contains("insecure") && truthy(&v) {
        return Some(format!("`{key}` = {v} (insecure connections allowed)"));
    }
    let off = falsy(&v) || v == "verify_none";
    let negated = k.contains("skip") || k.contains("noverif") || k.contains("disable");
    if (k.contains("verif") || k == "rejectunauthorized") && !negated && off {
        return Some(format!("`{key}` = {v} (certificate verification off)"));
    }
    None
}

/// Every verification-disabling setting in one value (the key itself, lines of an embedded
/// config file, connection-string parameters), sorted and deduplicated.
pub(super) fn markers(key: &str, value: &str) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    out.extend(setting(key, value));
    for line in value.lines() {
        let line = line.trim().trim_start_matches("- ");
        if line.starts_with('#') {
            continue;
        }
        let split = line.split_once(':').filter(|(k, _)| !k.contains('='));
        let pair = split.or_else(|| line.split_once('='));
        if let Some((k, v)) = pair {
            out.extend(setting(k.trim().trim_matches(['"', '\'']), v));
        }
    }
    for parameter in value.split(['?', '&', ' ', ';', '\n']) {
        if let Some((k, v)) = parameter.split_once('=') {
            out.extend(setting(k, v));
        }
    }
    out.sort();
    out.dedup();
    out
}

/// A site with the verification settings it turns off.
struct Marked<'a> {
    site: Site<'a>,
    markers: Vec<String>,
}

pub(super) fn compare<'a>(ctx: &Context<'a>, results: &mut Results) {
    // Whole values only: `markers` reads the settings of an embedded config file itself.
    let whole = |sites: Vec<Site<'a>>| -> Vec<Site<'a>> {
        sites.into_iter().filter(|s| !s.nested).collect()
    };
    let staging = whole(plain_sites(ctx.staging));
    let production = whole(plain_sites(ctx.production));
    let index = |sites: &[Site<'_>]| -> BTreeMap<String, usize> {
        sites
            .iter()
            .enumerate()
            .map(|(i, s)| (s.name.clone(), i))
            .collect()
    };
    let p_index = index(&production);
    let p_objects: Vec<&str> = production.iter().map(|s| s.object.as_str()).collect();
    let s_objects: Vec<&str> = staging.iter().map(|s| s.object.as_str()).collect();
    // Staging sites, with their production counterparts found by mapped name.
    let mut seen_production = vec![false; production.len()];
    for s in &staging {
        let mapped = ctx.names.to_production(&s.name);
        let counterpart = p_index
            .get(&mapped.text)
            .or_else(|| p_index.get(&s.name))
            .copied();
        let confidence = if mapped.inferred {
            Confidence::Likely
        } else {
            Confidence::Proven
        };
        let s_markers = markers(&s.key, s.value.raw());
        match counterpart {
            Some(i) => {
                seen_production[i] = true;
                let p_markers = markers(&production[i].key, production[i].value.raw());
                if s_markers == p_markers {
                    continue;
                }
                if !s_markers.is_empty() {
                    report(
                        Side::Staging,
                        Marked {
                            site: s.clone(),
                            markers: s_markers.clone(),
                        },
                        Some(&production[i]),
                        &p_markers,
                        confidence,
                        results,
                    );
                }
                if !p_markers.is_empty() && s_markers.is_empty() {
                    report(
                        Side::Production,
                        Marked {
                            site: production[i].clone(),
                            markers: p_markers,
                        },
                        Some(s),
                        &[],
                        confidence,
                        results,
                    );
                }
            }
            None if !s_markers.is_empty() => {
                let object = ctx.names.to_production(&s.object).text;
                if p_objects.contains(&object.as_str()) {
                    report(
                        Side::Staging,
                        Marked {
                            site: s.clone(),
                            markers: s_markers,
                        },
                        None,
                        &[],
                        confidence,
                        results,
                    );
                }
            }
            None => {}
        }
    }
    for (p, seen) in production.iter().zip(seen_production) {
        if seen {
            continue;
        }
        let p_markers = markers(&p.key, p.value.raw());
        if p_markers.is_empty() {
            continue;
        }
        let object = ctx.names.to_staging(&p.object);
        if s_objects.contains(&object.as_str()) || s_objects.contains(&p.object.as_str()) {
            report(
                Side::Production,
                Marked {
                    site: p.clone(),
                    markers: p_markers,
                },
                None,
                &[],
                Confidence::Proven,
                results,
            );
        }
    }
}

fn report(
    side: Side,
    marked: Marked<'_>,
    other: Option<&Site<'_>>,
    other_markers: &[String],
    confidence: Confidence,
    results: &mut Results,
) {
    let site = &marked.site;
    let settings = marked.markers.join(", ");
    let other_state = if other_markers.is_empty() {
        format!("{} verifies certificates there", side_name(side.other()))
    } else {
        format!(
            "{} only has {}",
            side_name(side.other()),
            other_markers.join(", ")
        )
    };
    let message = format!(
        "{} turns TLS verification off in {} ({settings}) but {other_state}; verify certificates in {} too.",
        capitalized(side_name(side)),
        site.phrase(),
        side_name(side),
    );
    let own = Some(site.name.clone());
    let theirs = other.map(|o| o.name.clone());
    let (staging, production) = match side {
        Side::Staging => (own, theirs),
        Side::Production => (theirs, own),
    };
    let subject = Subject {
        kind: "config-key".to_string(),
        staging,
        production,
    };
    let mut finding = Finding::new(Rule::TlsTrustMismatch, subject, message)
        .confidence(confidence)
        .key(format!(
            "verification-off-in:{}:{settings}",
            side_name(side)
        ))
        .evidence_on(side, site.evidence(settings.clone()));
    if let Some(other) = other {
        let detail = if other_markers.is_empty() {
            "verification not turned off".to_string()
        } else {
            other_markers.join(", ")
        };
        finding = finding.evidence_on(side.other(), other.evidence(detail));
    }
    results.add(finding);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn recognised_settings() {
        assert_eq!(
            markers("NODE_TLS_REJECT_UNAUTHORIZED", "0"),
            vec!["NODE_TLS_REJECT_UNAUTHORIZED=0"]
        );
        assert_eq!(
            markers("NODE_TLS_REJECT_UNAUTHORIZED", "1"),
            Vec::<String>::new()
        );
        assert_eq!(markers("VAULT_SKIP_VERIFY", "true").len(), 1);
        assert_eq!(markers("GRPC_INSECURE", "true").len(), 1);
        assert_eq!(markers("SSL_VERIFY", "false").len(), 1);
        assert_eq!(markers("SSL_VERIFY", "true"), Vec::<String>::new());
        assert_eq!(
            markers("DATABASE_URL", "postgres://db:5432/app?sslmode=disable"),
            vec!["sslmode=disable (no certificate verification)"]
        );
        assert_eq!(
            markers("DATABASE_URL", "postgres://db:5432/app?sslmode=verify-full"),
            Vec::<String>::new()
        );
    }

    #[test]
    fn more_verification_switches() {
        assert_eq!(markers("GIT_SSL_NO_VERIFY", "1").len(), 1);
        assert_eq!(markers("GIT_SSL_NO_VERIFY", "0"), Vec::<String>::new());
        assert_eq!(
            markers("DB", "Server=db;TrustServerCertificate=True;").len(),
            1
        );
        assert_eq!(
            markers("REDIS_URL", "rediss://r:6380/0?ssl_cert_reqs=none").len(),
            1
        );
        assert_eq!(markers("MYSQL_SSL_MODE", "DISABLED").len(), 1);
        assert_eq!(
            markers("MYSQL_SSL_MODE", "VERIFY_IDENTITY"),
            Vec::<String>::new()
        );
        assert_eq!(
            markers("JDBC_URL", "jdbc:mysql://db/app?useSSL=false").len(),
            1
        );
        assert_eq!(markers("verify_mode", "VERIFY_NONE").len(), 1);
        assert_eq!(markers("verify_mode", "VERIFY_PEER"), Vec::<String>::new());
        // The four classic switches, as keys and as settings of an embedded file.
        let file = "tls:\n  insecureSkipVerify: true\ndb: postgres://d/a?sslmode=disable\nverify: false\nNODE_TLS_REJECT_UNAUTHORIZED=0\n";
        assert_eq!(
            markers("app.yaml", file).len(),
            4,
            "{:?}",
            markers("app.yaml", file)
        );
    }

    #[test]
    fn embedded_config_files() {
        let config = "server:\n  url: https://api\n  tls:\n    insecureSkipVerify: true\n";
        assert_eq!(
            markers("config.yaml", config),
            vec!["`insecureSkipVerify` = true (certificate verification skipped)"]
        );
        assert_eq!(markers("app.properties", "ssl.verify=false\n").len(), 1);
        assert_eq!(
            markers("config.yaml", "# insecure: true\nverify: true\n"),
            Vec::<String>::new()
        );
        assert_eq!(markers("INSECURE_PORT", "8080"), Vec::<String>::new());
    }

    #[test]
    fn never_prints_the_value() {
        let secret_url = "postgres://app:hunter2@db/app?sslmode=disable";
        assert!(
            markers("DATABASE_URL", secret_url)
                .iter()
                .all(|m| !m.contains("hunter2"))
        );
    }
}
