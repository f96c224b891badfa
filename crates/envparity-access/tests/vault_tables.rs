//! The servers' ACL test tables (OpenBao `acl_test.go`, the same in Vault unless noted),
//! re-expressed: single policy, layered policies, the capabilities endpoint, `+` priority,
//! granting policies and OpenBao's LIST/SCAN deny case.

mod vault_common;

use envparity_access::vault::{Flavor, Policy, capabilities, decide};
use serde_json::json;
use vault_common::{acl, policy, request};

/// `aclPolicy` ("DeV"), with the flavour's extra rule.
fn acl_policy(flavor: Flavor) -> Policy {
    let last = match flavor {
        Flavor::Vault => ("1/2/+/+", json!({"capabilities": ["update", "recover"]})),
        Flavor::OpenBao => ("1/2/+/+", json!({"capabilities": ["update"]})),
    };
    let mut rules = vec![
        ("dev/*", json!({"policy": "sudo"})),
        ("stage/*", json!({"policy": "write"})),
        (
            "stage/aws/*",
            json!({"policy": "read", "capabilities": ["update", "sudo"]}),
        ),
        ("stage/aws/policy/*", json!({"policy": "sudo"})),
        ("prod/*", json!({"policy": "read"})),
        ("prod/aws/*", json!({"policy": "deny"})),
        ("sys/*", json!({"policy": "deny"})),
        (
            "foo/bar",
            json!({"capabilities": ["read", "create", "sudo"]}),
        ),
        (
            "baz/quux",
            json!({"capabilities": ["read", "create", "patch"]}),
        ),
        ("test/+/segment", json!({"capabilities": ["read"]})),
        ("+/segment/at/front", json!({"capabilities": ["read"]})),
        ("test/segment/at/end/+", json!({"capabilities": ["read"]})),
        (
            "test/segment/at/end/v2/+/",
            json!({"capabilities": ["read"]}),
        ),
        ("test/+/wildcard/+/*", json!({"capabilities": ["read"]})),
        (
            "test/+/wildcardglob/+/end*",
            json!({"capabilities": ["read"]}),
        ),
        ("1/2/*", json!({"capabilities": ["create"]})),
        ("1/2/+", json!({"capabilities": ["read"]})),
        last,
    ];
    if flavor == Flavor::OpenBao {
        rules.push(("asdf/fdsa", json!({"capabilities": ["scan"]})));
    }
    policy("DeV", &rules)
}

/// `aclPolicy2` ("OpS").
fn acl_policy2() -> Policy {
    policy(
        "OpS",
        &[
            ("dev/hide/*", json!({"policy": "deny"})),
            (
                "stage/aws/policy/*",
                json!({"policy": "deny", "capabilities": ["read", "update", "sudo"]}),
            ),
            ("prod/*", json!({"policy": "write"})),
            ("sys/seal", json!({"policy": "sudo"})),
            ("foo/bar", json!({"capabilities": ["deny"]})),
            ("baz/quux", json!({"capabilities": ["deny"]})),
        ],
    )
}

type Case = (&'static str, &'static str, bool, bool);

fn check(policies: &[Policy], flavor: Flavor, cases: &[Case]) {
    let acl = acl(policies, flavor);
    let mut failures = Vec::new();
    for (op, path, allowed, root) in cases {
        let d = decide(&acl, &request(op, path));
        if d.allowed != *allowed || d.root_privs != *root {
            failures.push(format!(
                "{flavor:?} {op} {path}: expected allowed={allowed} root={root}, got allowed={} root={}",
                d.allowed, d.root_privs
            ));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

const SINGLE: &[Case] = &[
    ("read", "root", false, false),
    ("help", "root", true, false),
    ("read", "dev/foo", true, true),
    ("update", "dev/foo", true, true),
    ("delete", "stage/foo", true, false),
    ("list", "stage/aws/foo", true, true),
    ("update", "stage/aws/foo", true, true),
    ("update", "stage/aws/policy/foo", true, true),
    ("delete", "prod/foo", false, false),
    ("update", "prod/foo", false, false),
    ("read", "prod/foo", true, false),
    ("list", "prod/foo", true, false),
    ("read", "prod/aws/foo", false, false),
    ("read", "foo/bar", true, true),
    ("list", "foo/bar", false, true),
    ("update", "foo/bar", false, true),
    ("create", "foo/bar", true, true),
    ("read", "baz/quux", true, false),
    ("create", "baz/quux", true, false),
    ("patch", "baz/quux", true, false),
    ("list", "baz/quux", false, false),
    ("update", "baz/quux", false, false),
    ("read", "test/foo/bar/segment", false, false),
    ("read", "test/foo/segment", true, false),
    ("read", "test/bar/segment", true, false),
    ("read", "test/segment/at/frond", false, false),
    ("read", "test/segment/at/front", true, false),
    ("read", "test/segment/at/end/foo", true, false),
    ("read", "test/segment/at/end/foo/", false, false),
    ("read", "test/segment/at/end/v2/foo/", true, false),
    ("read", "test/segment/wildcard/at/foo/", true, false),
    ("read", "test/segment/wildcard/at/end", true, false),
    ("read", "test/segment/wildcard/at/end/", true, false),
    ("read", "1/2/3/4", false, false),
    ("read", "1/2/3", true, false),
    ("update", "1/2/3", false, false),
    ("update", "1/2/3/4", true, false),
    ("create", "1/2/3/4/5", true, false),
    ("read", "sys/mount/foo", false, false),
];

#[test]
fn single_policy() {
    for flavor in [Flavor::Vault, Flavor::OpenBao] {
        check(&[acl_policy(flavor)], flavor, SINGLE);
    }
    check(
        &[acl_policy(Flavor::Vault)],
        Flavor::Vault,
        &[("recover", "1/2/3/4", true, false)],
    );
    check(
        &[acl_policy(Flavor::OpenBao)],
        Flavor::OpenBao,
        &[
            ("scan", "baz/quux", false, false),
            ("scan", "asdf/fdsa", true, false),
            ("list", "asdf/fdsa", false, false),
        ],
    );
}

#[test]
fn capabilities_endpoint() {
    let acl = acl(&[acl_policy(Flavor::Vault)], Flavor::Vault);
    assert_eq!(capabilities(&acl, "dev"), ["deny"]);
    assert_eq!(
        capabilities(&acl, "dev/"),
        ["sudo", "read", "list", "update", "delete", "create"]
    );
    assert_eq!(
        capabilities(&acl, "stage/aws/test"),
        ["sudo", "read", "list", "update"]
    );
    let root = vault_common::acl(&[policy("root", &[])], Flavor::Vault);
    assert_eq!(capabilities(&root, "any/path"), ["root"]);
}

#[test]
fn root_policy_must_be_alone() {
    let both = [policy("root", &[]), acl_policy(Flavor::Vault)];
    assert!(envparity_access::vault::Acl::new(&both, Flavor::Vault).is_err());
}

#[test]
fn layered_policies() {
    let cases: &[Case] = &[
        ("read", "root", false, false),
        ("help", "root", true, false),
        ("read", "dev/foo", true, true),
        ("update", "dev/foo", true, true),
        ("read", "dev/hide/foo", false, false),
        ("update", "dev/hide/foo", false, false),
        ("delete", "stage/foo", true, false),
        ("list", "stage/aws/foo", true, true),
        ("update", "stage/aws/foo", true, true),
        ("update", "stage/aws/policy/foo", false, false),
        ("delete", "prod/foo", true, false),
        ("update", "prod/foo", true, false),
        ("read", "prod/foo", true, false),
        ("list", "prod/foo", true, false),
        ("read", "prod/aws/foo", false, false),
        ("read", "sys/status", false, false),
        ("update", "sys/seal", true, true),
        ("read", "foo/bar", false, false),
        ("list", "foo/bar", false, false),
        ("update", "foo/bar", false, false),
        ("create", "foo/bar", false, false),
        ("read", "baz/quux", false, false),
        ("list", "baz/quux", false, false),
        ("update", "baz/quux", false, false),
        ("create", "baz/quux", false, false),
        ("patch", "baz/quux", false, false),
    ];
    for flavor in [Flavor::Vault, Flavor::OpenBao] {
        check(&[acl_policy(flavor), acl_policy2()], flavor, cases);
        // The order of the policies does not matter.
        check(&[acl_policy2(), acl_policy(flavor)], flavor, cases);
    }
}

#[test]
fn segment_wildcard_priority() {
    let pairs = [
        ("+/*", "*", "foo/bar/bar/baz"),
        ("+/*", "foo/+/*", "foo/bar/bar/baz"),
        ("foo/+/+/*", "foo/+/bar/baz", "foo/bar/bar/baz"),
        ("foo/+/+/baz", "foo/+/bar/baz", "foo/bar/bar/baz"),
        ("foo/+/(ar/baz", "foo/(ar/+/baz", "foo/(ar/(ar/baz"),
        ("foo/bar/+/baz*", "foo/bar/+/baz", "foo/bar/bar/baz"),
        ("foo/bar/+/b*", "foo/bar/+/ba*", "foo/bar/bar/baz"),
    ];
    for flavor in [Flavor::Vault, Flavor::OpenBao] {
        for (read_rule, update_rule, path) in pairs {
            let p = policy(
                "p",
                &[
                    (read_rule, json!({"capabilities": ["read"]})),
                    (update_rule, json!({"capabilities": ["update"]})),
                ],
            );
            let cases: Vec<Case> =
                vec![("update", path, true, false), ("read", path, false, false)];
            check(&[p], flavor, &cases);
        }
    }
}

#[test]
fn granting_policies_allowed_column() {
    let granting = policy(
        "granting_policy",
        &[
            ("kv/foo", json!({"capabilities": ["update", "read"]})),
            ("kv/path/*", json!({"capabilities": ["read"]})),
            (
                "kv/path/longer",
                json!({"capabilities": ["update", "read"]}),
            ),
            ("kv/path/longer2", json!({"capabilities": ["update"]})),
            ("kv/deny", json!({"capabilities": ["deny"]})),
            (
                "ns1/kv/foo",
                json!({"capabilities": ["update", "read", "recover"]}),
            ),
        ],
    );
    let merged = policy(
        "merged_policy",
        &[
            ("kv/foo", json!({"capabilities": ["update", "read"]})),
            ("kv/bar", json!({"capabilities": ["update", "read"]})),
            ("kv/path/*", json!({"capabilities": ["read"]})),
            ("kv/path/longer", json!({"capabilities": ["read"]})),
            ("kv/path/longer3", json!({"capabilities": ["read"]})),
            ("kv/deny", json!({"capabilities": ["update"]})),
        ],
    );
    check(
        std::slice::from_ref(&granting),
        Flavor::Vault,
        &[
            ("read", "kv/foo", true, false),
            ("update", "kv/foo", true, false),
            ("read", "kv/bad", false, false),
            ("read", "kv/deny", false, false),
            ("read", "kv/path/foo", true, false),
            ("read", "kv/path/longer", true, false),
        ],
    );
    check(
        &[granting, merged],
        Flavor::Vault,
        &[
            ("read", "kv/foo", true, false),
            ("read", "kv/path/longer3", true, false),
            ("read", "kv/bar", true, false),
            ("read", "kv/deny", false, false),
            ("update", "kv/path/longer", true, false),
            ("read", "kv/path/foo", true, false),
            ("recover", "ns1/kv/foo", true, false),
        ],
    );
}

#[test]
fn list_and_scan_under_a_deny_glob() {
    let p = policy(
        "p",
        &[
            ("foo/metadata/*", json!({"capabilities": ["list", "scan"]})),
            ("foo/metadata/private/*", json!({"capabilities": ["deny"]})),
            (
                "foo/metadata/private/granted/*",
                json!({"capabilities": ["list", "scan"]}),
            ),
        ],
    );
    let expected = [
        ("foo/", false),
        ("foo/metadata/", true),
        ("foo/metadata/test/", true),
        ("foo/metadata/private/", false),
        ("foo/metadata/private/internal/", false),
        ("foo/metadata/private/granted/", true),
        ("foo/metadata/private/granted/test/", true),
    ];
    let cases: Vec<Case> = expected
        .iter()
        .flat_map(|(path, allowed)| {
            [
                ("list", *path, *allowed, false),
                ("scan", *path, *allowed, false),
            ]
        })
        .collect();
    check(std::slice::from_ref(&p), Flavor::OpenBao, &cases);
    // Vault retries a LIST without the trailing `/` first: `foo/metadata/private` falls under
    // `foo/metadata/*`, `foo/metadata/private/granted` under the deny.
    check(
        &[p],
        Flavor::Vault,
        &[
            ("list", "foo/metadata/private/", true, false),
            ("list", "foo/metadata/private/granted/", false, false),
            ("list", "foo/metadata/private/granted/test/", true, false),
            ("list", "foo/", false, false),
        ],
    );
}
