//! The servers' parameter, wrapping, merge and parse test tables re-expressed:
//! `TestACL_AllowOperation`, `TestACL_ValuePermissions` and `TestACL_PolicyMerge`.

mod vault_common;

use envparity_access::vault::{Flavor, Ttl, allows};
use serde_json::{Value, json};
use vault_common::{acl, policy, request_with};

fn permissions_policy() -> envparity_access::vault::Policy {
    policy(
        "dev",
        &[
            (
                "dev/*",
                json!({"policy": "write", "allowed_parameters": {"zip": []}}),
            ),
            (
                "foo/bar",
                json!({"policy": "write", "denied_parameters": {"zap": []},
                       "min_wrapping_ttl": 300, "max_wrapping_ttl": "400s"}),
            ),
            (
                "foo/baz",
                json!({"policy": "write", "allowed_parameters": {"hello": []},
                       "denied_parameters": {"zap": []}, "min_wrapping_ttl": 300}),
            ),
            (
                "working/phone",
                json!({"policy": "write", "max_wrapping_ttl": 400}),
            ),
            (
                "broken/phone",
                json!({"policy": "write", "allowed_parameters": {"steve": []},
                       "denied_parameters": {"steve": []}}),
            ),
            (
                "hello/world",
                json!({"policy": "write", "allowed_parameters": {"*": []},
                       "denied_parameters": {"*": []}}),
            ),
            (
                "tree/fort",
                json!({"policy": "write", "allowed_parameters": {"*": []},
                       "denied_parameters": {"foo": []}}),
            ),
            (
                "fruit/apple",
                json!({"policy": "write", "allowed_parameters": {"pear": []},
                       "denied_parameters": {"*": []}}),
            ),
            (
                "cold/weather",
                json!({"policy": "write", "allowed_parameters": {}, "denied_parameters": {}}),
            ),
            (
                "var/aws",
                json!({"policy": "write", "allowed_parameters": {"*": []},
                       "denied_parameters": {"soft": [], "warm": [], "kitty": []}}),
            ),
            (
                "var/req",
                json!({"policy": "write", "required_parameters": ["foo"]}),
            ),
        ],
    )
}

#[test]
fn allow_operation() {
    let cases: &[(&str, Option<u64>, &[&str], bool)] = &[
        ("dev/ops", None, &["zip"], true),
        ("foo/bar", None, &["zap"], false),
        ("foo/bar", None, &["zip"], false),
        ("foo/bar", Some(50), &["zip"], false),
        ("foo/bar", Some(450), &["zip"], false),
        ("foo/bar", Some(350), &["zip"], true),
        ("foo/baz", None, &["hello"], false),
        ("foo/baz", Some(50), &["hello"], false),
        ("foo/baz", Some(450), &["hello"], true),
        ("foo/baz", None, &["zap"], false),
        ("broken/phone", None, &["steve"], false),
        ("working/phone", None, &[""], false),
        ("working/phone", Some(450), &[""], false),
        ("working/phone", Some(350), &[""], true),
        ("hello/world", None, &["one"], false),
        ("tree/fort", None, &["one"], true),
        ("tree/fort", None, &["foo"], false),
        ("fruit/apple", None, &["pear"], false),
        ("fruit/apple", None, &["one"], false),
        ("cold/weather", None, &["four"], true),
        ("var/aws", None, &["cold", "warm", "kitty"], false),
        ("var/req", None, &["cold", "warm", "kitty"], false),
        ("var/req", None, &["cold", "warm", "kitty", "foo"], true),
    ];
    let mut failures = Vec::new();
    for flavor in [Flavor::Vault, Flavor::OpenBao] {
        let acl = acl(&[permissions_policy()], flavor);
        for (path, wrap, params, expected) in cases {
            for op in ["update", "create"] {
                let params: Vec<(&str, Value)> = params.iter().map(|p| (*p, json!(""))).collect();
                let got = allows(&acl, &request_with(op, path, &params, *wrap));
                if got != *expected {
                    failures.push(format!(
                        "{flavor:?} {op} {path} {params:?} wrap {wrap:?}: expected {expected}"
                    ));
                }
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

fn value_permissions_policy() -> envparity_access::vault::Policy {
    policy(
        "dev",
        &[
            (
                "dev/*",
                json!({"policy": "write", "allowed_parameters": {"allow": ["good"]}}),
            ),
            (
                "foo/bar",
                json!({"policy": "write", "denied_parameters": {"deny": ["bad*"]}}),
            ),
            (
                "foo/baz",
                json!({"policy": "write", "allowed_parameters": {"ALLOW": ["good"]},
                       "denied_parameters": {"dEny": ["bad"]}}),
            ),
            (
                "fizz/buzz",
                json!({"policy": "write",
                       "allowed_parameters": {"allow_multi": ["good", "good1", "good2", "*good3"],
                                              "allow": ["good"]},
                       "denied_parameters": {"deny_multi": ["bad", "bad1", "bad2"]}}),
            ),
            (
                "test/types",
                json!({"policy": "write",
                       "allowed_parameters": {"map": [{"good": "one"}], "int": [1, 2],
                                              "bool": [false]},
                       "denied_parameters": {}}),
            ),
            (
                "test/star",
                json!({"policy": "write",
                       "allowed_parameters": {"*": [], "foo": [], "bar": [false]},
                       "denied_parameters": {}}),
            ),
        ],
    )
}

/// Path, parameters, expected.
type ValueCase = (&'static str, Vec<(&'static str, Value)>, bool);

#[test]
fn value_permissions() {
    let cases: Vec<ValueCase> = vec![
        ("dev/ops", vec![("allow", json!("good"))], true),
        ("dev/ops", vec![("allow", json!("bad"))], false),
        ("foo/bar", vec![("deny", json!("bad"))], false),
        ("foo/bar", vec![("deny", json!("bad glob"))], false),
        ("foo/bar", vec![("deny", json!("good"))], true),
        ("foo/bar", vec![("allow", json!("good"))], true),
        ("foo/bar", vec![("deny", Value::Null)], true),
        ("foo/bar", vec![("allow", Value::Null)], true),
        ("foo/baz", vec![("aLLow", json!("good"))], true),
        ("foo/baz", vec![("deny", json!("bad"))], false),
        ("foo/baz", vec![("deny", json!("good"))], false),
        (
            "foo/baz",
            vec![("allow", json!("good")), ("deny", json!("bad"))],
            false,
        ),
        (
            "foo/baz",
            vec![("deny", json!("good")), ("allow", json!("bad"))],
            false,
        ),
        (
            "foo/baz",
            vec![("deNy", json!("bad")), ("allow", json!("good"))],
            false,
        ),
        ("foo/baz", vec![("aLLow", json!("bad"))], false),
        ("foo/baz", vec![("Neither", json!("bad"))], false),
        ("foo/baz", vec![("allow", Value::Null)], false),
        ("fizz/buzz", vec![("allow_multi", json!("good"))], true),
        ("fizz/buzz", vec![("allow_multi", json!("good1"))], true),
        ("fizz/buzz", vec![("allow_multi", json!("good2"))], true),
        (
            "fizz/buzz",
            vec![("allow_multi", json!("glob good2"))],
            false,
        ),
        (
            "fizz/buzz",
            vec![("allow_multi", json!("glob good3"))],
            true,
        ),
        ("fizz/buzz", vec![("allow_multi", json!("bad"))], false),
        (
            "fizz/buzz",
            vec![("allow_multi", json!("good1")), ("allow", json!("good"))],
            true,
        ),
        ("fizz/buzz", vec![("deny_multi", json!("bad2"))], false),
        (
            "fizz/buzz",
            vec![
                ("deny_multi", json!("good")),
                ("allow_multi", json!("good2")),
            ],
            false,
        ),
        ("test/types", vec![("map", json!({"good": "one"}))], true),
        ("test/types", vec![("map", json!({"bad": "one"}))], false),
        ("test/types", vec![("int", json!(1))], true),
        ("test/types", vec![("int", json!(3))], false),
        ("test/types", vec![("bool", json!(false))], true),
        ("test/types", vec![("bool", json!(true))], false),
        ("test/star", vec![("anything", json!(true))], true),
        ("test/star", vec![("foo", json!(true))], true),
        ("test/star", vec![("bar", json!(false))], true),
        ("test/star", vec![("bar", json!(true))], false),
    ];
    let mut failures = Vec::new();
    for flavor in [Flavor::Vault, Flavor::OpenBao] {
        let acl = acl(&[value_permissions_policy()], flavor);
        for (path, params, expected) in &cases {
            for op in ["update", "create"] {
                let got = allows(&acl, &request_with(op, path, params, None));
                if got != *expected {
                    failures.push(format!(
                        "{flavor:?} {op} {path} {params:?}: expected {expected}"
                    ));
                }
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn vault_splits_comma_separated_values() {
    let p = policy(
        "p",
        &[(
            "kv/*",
            json!({"capabilities": ["update"], "allowed_parameters": {"roles": ["a", "b"]}}),
        )],
    );
    let send = |flavor, value: Value| {
        allows(
            &acl(std::slice::from_ref(&p), flavor),
            &request_with("update", "kv/x", &[("roles", value)], None),
        )
    };
    assert!(send(Flavor::Vault, json!("a, b")));
    assert!(!send(Flavor::OpenBao, json!("a, b")));
    assert!(send(Flavor::Vault, json!(["a", "b"])));
    assert!(!send(Flavor::OpenBao, json!(["a", "b"])));
    assert!(!send(Flavor::Vault, json!("a,c")));
}

#[test]
fn policy_merge() {
    let p = policy(
        "merging",
        &[
            (
                "foo/bar",
                json!({"policy": "write", "denied_parameters": {"baz": []},
                       "required_parameters": ["baz"]}),
            ),
            (
                "foo/bar",
                json!({"policy": "write", "denied_parameters": {"zip": []}}),
            ),
            (
                "hello/universe",
                json!({"policy": "write", "allowed_parameters": {"foo": []},
                       "required_parameters": ["foo"], "max_wrapping_ttl": 300,
                       "min_wrapping_ttl": 100}),
            ),
            (
                "hello/universe",
                json!({"policy": "write", "allowed_parameters": {"bar": []},
                       "required_parameters": ["bar"], "max_wrapping_ttl": 200,
                       "min_wrapping_ttl": 50}),
            ),
            (
                "allow/all",
                json!({"policy": "write", "allowed_parameters": {"test": []}}),
            ),
            (
                "allow/all",
                json!({"policy": "write",
                       "allowed_parameters": {"*": [], "test": [], "test1": ["foo"]}}),
            ),
            (
                "allow/all1",
                json!({"policy": "write",
                       "allowed_parameters": {"*": [], "test": [], "test1": ["foo"]}}),
            ),
            (
                "allow/all1",
                json!({"policy": "write", "allowed_parameters": {"test": []}}),
            ),
            (
                "deny/all",
                json!({"policy": "write", "denied_parameters": {"test": []}}),
            ),
            (
                "deny/all",
                json!({"policy": "write", "denied_parameters": {"*": [], "test": []}}),
            ),
            (
                "value/merge",
                json!({"policy": "write", "allowed_parameters": {"test": [1, 2]},
                       "denied_parameters": {"test": [1, 2]}}),
            ),
            (
                "value/merge",
                json!({"policy": "write", "allowed_parameters": {"test": [3, 4]},
                       "denied_parameters": {"test": [3, 4]}}),
            ),
            (
                "value/empty",
                json!({"policy": "write", "allowed_parameters": {"empty": []},
                       "denied_parameters": {"empty": [1]}}),
            ),
            (
                "value/empty",
                json!({"policy": "write", "allowed_parameters": {"empty": [1]},
                       "denied_parameters": {"empty": []}}),
            ),
        ],
    );
    let acl = acl(&[p], Flavor::Vault);
    let perms = |key: &str| {
        acl.exact
            .get(key)
            .map(|e| e.permissions.clone())
            .unwrap_or_else(|| panic!("no merged entry for `{key}`"))
    };
    let foo_bar = perms("foo/bar");
    assert!(foo_bar.allowed_parameters.is_empty());
    assert_eq!(
        json!(foo_bar.denied_parameters),
        json!({"baz": [], "zip": []})
    );
    assert_eq!(foo_bar.required_parameters, ["baz"]);

    let hello = perms("hello/universe");
    assert_eq!(
        (hello.min_wrapping_ttl, hello.max_wrapping_ttl),
        (Ttl::seconds(50), Ttl::seconds(200))
    );
    assert_eq!(
        json!(hello.allowed_parameters),
        json!({"foo": [], "bar": []})
    );
    assert_eq!(hello.required_parameters, ["foo", "bar"]);

    for key in ["allow/all", "allow/all1"] {
        assert_eq!(
            json!(perms(key).allowed_parameters),
            json!({"*": [], "test": [], "test1": ["foo"]}),
            "{key}"
        );
    }
    assert_eq!(
        json!(perms("deny/all").denied_parameters),
        json!({"*": [], "test": []})
    );
    let merged = perms("value/merge");
    assert_eq!(
        json!(merged.allowed_parameters),
        json!({"test": [3, 4, 1, 2]})
    );
    assert_eq!(
        json!(merged.denied_parameters),
        json!({"test": [3, 4, 1, 2]})
    );
    let empty = perms("value/empty");
    assert_eq!(json!(empty.allowed_parameters), json!({"empty": []}));
    assert_eq!(json!(empty.denied_parameters), json!({"empty": []}));
}
