//! `token-ttl-mismatch` for paired Vault roles: the lifetime of the tokens they issue
//! (`token_ttl`, `token_max_ttl`, `token_period`, `token_explicit_max_ttl`) differs, so token
//! renewal and expiry are not exercised in staging as production runs them.

use envparity_access::vault::one_line;

use crate::compare::Results;
use crate::findings::{Evidence, Finding, Rule, Subject};
use crate::model::VaultRole;

fn shown(value: Option<u64>) -> String {
    match value {
        Some(seconds) => format!("{seconds}s"),
        None => "unset (the mount's default)".to_string(),
    }
}

pub fn compare(stg: &VaultRole, prd: &VaultRole, results: &mut Results) {
    let fields = [
        ("token_ttl", stg.token_ttl, prd.token_ttl),
        ("token_max_ttl", stg.token_max_ttl, prd.token_max_ttl),
        ("token_period", stg.token_period, prd.token_period),
        (
            "token_explicit_max_ttl",
            stg.token_explicit_max_ttl,
            prd.token_explicit_max_ttl,
        ),
    ];
    let differing: Vec<(&str, Option<u64>, Option<u64>)> =
        fields.into_iter().filter(|(_, s, p)| s != p).collect();
    if differing.is_empty() {
        return;
    }
    let parts: Vec<String> = differing
        .iter()
        .map(|(field, s, p)| {
            format!(
                "`{field}` {} in staging and {} in production",
                shown(*s),
                shown(*p)
            )
        })
        .collect();
    let message = format!(
        "Vault role `{}` issues tokens with a different lifetime: {}",
        one_line(&stg.qualified_name()),
        parts.join("; ")
    );
    let subject = Subject {
        kind: "vault-role".into(),
        staging: Some(stg.qualified_name()),
        production: Some(prd.qualified_name()),
    };
    let key: Vec<&str> = differing.iter().map(|(f, _, _)| *f).collect();
    let mut finding = Finding::new(Rule::TokenTtlMismatch, subject, message).key(key.join("|"));
    for (field, s, p) in &differing {
        // The TTLs are read from `token_*` or from the legacy field of the same meaning.
        let legacy = field.trim_start_matches("token_");
        let line_key = |role: &VaultRole| {
            if role.lines.contains_key(*field) {
                field.to_string()
            } else {
                legacy.to_string()
            }
        };
        finding = finding
            .staging_evidence(Evidence::at(
                &stg.at(&line_key(stg)),
                None,
                format!("`{field}`: {}", shown(*s)),
            ))
            .production_evidence(Evidence::at(
                &prd.at(&line_key(prd)),
                None,
                format!("`{field}`: {}", shown(*p)),
            ));
    }
    results.add(finding);
}
