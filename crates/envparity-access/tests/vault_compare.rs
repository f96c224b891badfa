//! The ACL comparison on hand-written cases: verdicts, witnesses (re-checked here with the
//! concrete evaluator), parameters and wrapping, the path mapping, and what must be `Unknown`.

mod vault_common;

use envparity_access::Verdict;
use envparity_access::vault::{
    Acl, Comparison, Flavor, Identity, PathMapping, Policy, TokenMap, allows, compare,
};
use serde_json::json;
use vault_common::{acl, policy};

fn vault(policies: &[Policy]) -> Acl {
    acl(policies, Flavor::Vault)
}

/// Compares and checks every witness against the concrete evaluator.
fn run(staging: &Acl, production: &Acl, mapping: &dyn PathMapping) -> Comparison {
    let c = compare(staging, production, mapping);
    for w in &c.staging_only {
        assert!(allows(staging, &w.staging_request), "{w:?}");
        assert!(!allows(production, &w.request), "{w:?}");
        assert_eq!(mapping.to_staging(&w.request.path), w.staging_request.path);
    }
    for w in &c.production_only {
        assert!(allows(production, &w.request), "{w:?}");
        assert!(!allows(staging, &w.staging_request), "{w:?}");
    }
    c
}

fn env_map() -> TokenMap {
    TokenMap::new([("staging".to_string(), "production".to_string())])
}

#[test]
fn the_same_policies_are_equal() {
    let p = policy(
        "app",
        &[
            (
                "secret/data/app/*",
                json!({"capabilities": ["read", "list"]}),
            ),
            ("secret/data/app/admin", json!({"capabilities": ["deny"]})),
            ("sys/+/status", json!({"capabilities": ["read"]})),
        ],
    );
    let c = run(&vault(std::slice::from_ref(&p)), &vault(&[p]), &Identity);
    assert_eq!(c.verdict, Verdict::Equal);
    assert!(c.unknown.is_empty());
}

#[test]
fn mapped_paths_pair_and_extra_capabilities_show() {
    let staging = vault(&[policy(
        "app",
        &[(
            "secret/data/staging/*",
            json!({"capabilities": ["read", "list", "update"]}),
        )],
    )]);
    let production = vault(&[policy(
        "app",
        &[(
            "secret/data/production/*",
            json!({"capabilities": ["read", "list"]}),
        )],
    )]);
    let c = run(&staging, &production, &env_map());
    assert_eq!(c.verdict, Verdict::Broader, "{c:?}");
    let first = &c.staging_only[0];
    assert_eq!(first.request.operation.name(), "update");
    assert_eq!(first.request.path, "secret/data/production/example");
    assert_eq!(first.staging_request.path, "secret/data/staging/example");
    // Without the mapping the two sides share nothing.
    let unmapped = run(&staging, &production, &Identity);
    assert_eq!(unmapped.verdict, Verdict::Divergent);
}

#[test]
fn a_more_specific_deny_narrows_only_its_own_key() {
    let staging = vault(&[policy(
        "p",
        &[
            ("secret/*", json!({"capabilities": ["read"]})),
            ("secret/admin", json!({"capabilities": ["deny"]})),
        ],
    )]);
    let production = vault(&[policy(
        "p",
        &[("secret/*", json!({"capabilities": ["read"]}))],
    )]);
    let c = run(&staging, &production, &Identity);
    assert_eq!(c.verdict, Verdict::Narrower);
    assert!(
        c.production_only
            .iter()
            .all(|w| w.request.path == "secret/admin"),
        "{c:?}"
    );
    // A more specific grant beats a less specific deny.
    let staging = vault(&[policy(
        "p",
        &[
            ("sys/*", json!({"capabilities": ["deny"]})),
            ("sys/seal", json!({"capabilities": ["update", "sudo"]})),
        ],
    )]);
    let production = vault(&[policy("p", &[("sys/*", json!({"capabilities": ["deny"]}))])]);
    let c = run(&staging, &production, &Identity);
    assert_eq!(c.verdict, Verdict::Broader);
    let ops: Vec<&str> = c
        .staging_only
        .iter()
        .map(|w| w.request.operation.name())
        .collect();
    assert!(ops.contains(&"update") && ops.contains(&"sudo"), "{ops:?}");
}

#[test]
fn segment_wildcards_and_trailing_slashes() {
    let staging = vault(&[policy(
        "p",
        &[("kv/+/config", json!({"capabilities": ["read"]}))],
    )]);
    let production = vault(&[policy("p", &[("kv/*", json!({"capabilities": ["read"]}))])]);
    let c = run(&staging, &production, &Identity);
    assert_eq!(c.verdict, Verdict::Narrower);
    let w = &c.production_only[0];
    assert!(!w.request.path.ends_with("/config"), "{w:?}");
    // `+` matches an empty segment too: `kv//config`.
    let staging = vault(&[policy(
        "p",
        &[("kv/+/config", json!({"capabilities": ["read"]}))],
    )]);
    let production = vault(&[policy(
        "p",
        &[
            ("kv/+/config", json!({"capabilities": ["read"]})),
            ("kv//config", json!({"capabilities": ["deny"]})),
        ],
    )]);
    let c = run(&staging, &production, &Identity);
    assert_eq!(c.verdict, Verdict::Broader);
    assert_eq!(c.staging_only[0].request.path, "kv//config");
}

#[test]
fn parameters_and_wrapping_give_witnesses() {
    let staging = vault(&[policy(
        "p",
        &[(
            "pki/issue/web",
            json!({"capabilities": ["update"], "allowed_parameters": {"ttl": ["1h", "2h"], "common_name": []}}),
        )],
    )]);
    let production = vault(&[policy(
        "p",
        &[("pki/issue/web", json!({"capabilities": ["update"]}))],
    )]);
    let c = run(&staging, &production, &Identity);
    assert_eq!(c.verdict, Verdict::Narrower, "{c:?}");
    assert!(!c.production_only[0].request.parameters.is_empty());

    let staging = vault(&[policy(
        "p",
        &[(
            "auth/approle/role/x/secret-id",
            json!({"capabilities": ["update"], "max_wrapping_ttl": 300}),
        )],
    )]);
    let production = vault(&[policy(
        "p",
        &[(
            "auth/approle/role/x/secret-id",
            json!({"capabilities": ["update"], "max_wrapping_ttl": 600}),
        )],
    )]);
    let c = run(&staging, &production, &Identity);
    assert_eq!(c.verdict, Verdict::Narrower, "{c:?}");
    let ttl = c.production_only[0].request.wrap_ttl.expect("wrapped");
    assert!(ttl.as_secs() > 300 && ttl.as_secs() <= 600);
}

#[test]
fn undecidable_parts_are_unknown_never_equal() {
    // Rules whose parameters exclude every request cannot be told apart from no rule.
    let staging = vault(&[policy(
        "p",
        &[(
            "kv/x",
            json!({"capabilities": ["update"], "required_parameters": ["a"], "denied_parameters": {"*": []}}),
        )],
    )]);
    let production = vault(&[policy("p", &[])]);
    let c = run(&staging, &production, &Identity);
    assert_eq!(c.verdict, Verdict::Unknown, "{c:?}");
    assert!(!c.unknown.is_empty());

    // Settings the evaluator does not decide, different on each side.
    let with_mfa = |methods: &[&str]| {
        vault(&[policy(
            "p",
            &[(
                "kv/x",
                json!({"capabilities": ["read"], "mfa_methods": methods}),
            )],
        )])
    };
    let c = run(&with_mfa(&["totp"]), &with_mfa(&["duo"]), &Identity);
    assert_eq!(c.verdict, Verdict::Unknown);
    assert!(c.unknown[0].contains("mfa_methods"), "{:?}", c.unknown);
    assert_eq!(
        run(&with_mfa(&["totp"]), &with_mfa(&["totp"]), &Identity).verdict,
        Verdict::Equal
    );
}

#[test]
fn inexact_renaming_is_unknown() {
    let staging = vault(&[policy(
        "p",
        &[("secret/staging*", json!({"capabilities": ["read"]}))],
    )]);
    let production = vault(&[policy(
        "p",
        &[("secret/production*", json!({"capabilities": ["read"]}))],
    )]);
    let c = run(&staging, &production, &env_map());
    assert_eq!(c.verdict, Verdict::Unknown, "{c:?}");
    assert!(
        c.unknown.iter().any(|r| r.contains("ends inside")),
        "{:?}",
        c.unknown
    );

    let staging = vault(&[policy(
        "p",
        &[
            ("secret/staging/*", json!({"capabilities": ["read"]})),
            ("secret/production/*", json!({"capabilities": ["list"]})),
        ],
    )]);
    let production = vault(&[policy(
        "p",
        &[(
            "secret/production/*",
            json!({"capabilities": ["read", "list"]}),
        )],
    )]);
    let c = run(&staging, &production, &env_map());
    assert_eq!(c.verdict, Verdict::Unknown, "{c:?}");
    assert!(
        c.unknown.iter().any(|r| r.contains("renames both")),
        "{:?}",
        c.unknown
    );
}

#[test]
fn root_grants_everything() {
    let root = vault(&[policy("root", &[])]);
    let other = vault(&[policy("p", &[("*", json!({"capabilities": ["read"]}))])]);
    let c = run(&root, &other, &Identity);
    assert_eq!(c.verdict, Verdict::Broader);
    assert_eq!(run(&root, &root, &Identity).verdict, Verdict::Equal);
}

#[test]
fn flavours_differ_in_list_fallbacks() {
    let p = policy(
        "p",
        &[
            ("foo/metadata/*", json!({"capabilities": ["list"]})),
            ("foo/metadata/private/*", json!({"capabilities": ["deny"]})),
        ],
    );
    let q = policy(
        "p",
        &[("foo/metadata/*", json!({"capabilities": ["list"]}))],
    );
    for flavor in [Flavor::Vault, Flavor::OpenBao] {
        let (s, pr) = (
            acl(std::slice::from_ref(&p), flavor),
            acl(std::slice::from_ref(&q), flavor),
        );
        let c = run(&s, &pr, &Identity);
        assert_eq!(c.verdict, Verdict::Narrower, "{flavor:?}");
    }
}

#[test]
fn templated_paths_compare_as_written() {
    let p = |caps: &[&str]| {
        vault(&[policy(
            "default",
            &[(
                "identity/entity/id/{{identity.entity.id}}",
                json!({"capabilities": caps}),
            )],
        )])
    };
    assert_eq!(
        run(&p(&["read"]), &p(&["read"]), &Identity).verdict,
        Verdict::Equal
    );
    assert_eq!(
        run(&p(&["read", "update"]), &p(&["read"]), &Identity).verdict,
        Verdict::Broader
    );
}
