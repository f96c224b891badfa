//! The parse expectations of the servers' `policy_test.go`: normalization of patterns and
//! capabilities, TTLs, and the one-line errors for invalid policies.

use envparity_access::vault::{Capability, KeyKind, Ttl, parse_policy_json, parse_rule};
use serde_json::{Value, json};

#[test]
fn parse_normalization() {
    let rule = |pattern: &str, body: Value| {
        let fields: Vec<(String, Value)> = body
            .as_object()
            .map(|m| m.iter().map(|(k, v)| (k.clone(), v.clone())).collect())
            .unwrap_or_default();
        parse_rule(pattern, &fields)
    };
    let star = rule("*", json!({"policy": "deny"})).expect("parses");
    assert_eq!(star.key(), (KeyKind::Prefix, String::new()));
    assert!(star.capabilities.is_deny());
    let stage = rule("stage/*", json!({"policy": "sudo"})).expect("parses");
    assert_eq!(stage.key(), (KeyKind::Prefix, "stage/".to_string()));
    let expected: Vec<Capability> = ["create", "read", "update", "delete", "list", "sudo"]
        .iter()
        .filter_map(|c| Capability::parse(c))
        .collect();
    assert_eq!(
        stage.capabilities.iter().collect::<Vec<_>>().len(),
        expected.len()
    );
    assert!(expected.iter().all(|c| stage.capabilities.contains(*c)));
    let leading = rule("/foo/bar", json!({"capabilities": ["read"]})).expect("parses");
    assert_eq!(leading.key(), (KeyKind::Exact, "foo/bar".to_string()));
    for pattern in [
        "test/+/segment",
        "test/segment/at/end/+",
        "test/segment/at/end/v2/+/",
        "test/+/wildcard/+/*",
        "test/+/wildcard/+/end*",
    ] {
        let r = rule(pattern, json!({"capabilities": ["read"]})).expect("parses");
        assert_eq!(
            r.key(),
            (KeyKind::Segment, pattern.to_string()),
            "{pattern}"
        );
    }
    // `deny` collapses the list, whatever else it holds.
    let denied = rule("x", json!({"capabilities": ["read", "deny", "list"]})).expect("parses");
    assert_eq!(
        denied.capabilities.iter().collect::<Vec<_>>(),
        [Capability::Deny]
    );
    let ttl = rule(
        "x",
        json!({"capabilities": ["read"], "max_wrapping_ttl": "1h", "min_wrapping_ttl": "2d"}),
    );
    assert!(ttl.is_err(), "max below min is refused");
    let ttl = rule(
        "x",
        json!({"capabilities": ["read"], "max_wrapping_ttl": "1h30m"}),
    )
    .expect("parses");
    assert_eq!(ttl.max_wrapping_ttl, Ttl::seconds(5400));
}

#[test]
fn parse_errors() {
    let rule_error = |pattern: &str, body: Value| -> String {
        let fields: Vec<(String, Value)> = body
            .as_object()
            .map(|m| m.iter().map(|(k, v)| (k.clone(), v.clone())).collect())
            .unwrap_or_default();
        match parse_rule(pattern, &fields) {
            Ok(_) => panic!("`{pattern}` {body} should not parse"),
            Err(e) => e.to_string(),
        }
    };
    assert_eq!(
        rule_error("foo", json!({"capabilites": ["read"]})),
        "path `foo`: invalid key `capabilites`"
    );
    assert_eq!(
        rule_error("foo", json!({"policy": "banana"})),
        "path `foo`: invalid policy `banana`"
    );
    assert_eq!(
        rule_error("foo", json!({"capabilities": ["banana"]})),
        "path `foo`: invalid capability `banana`"
    );
    assert_eq!(
        rule_error(
            "foo",
            json!({"policy": "read", "max_wrapping_ttl": 100, "min_wrapping_ttl": 200})
        ),
        "path `foo`: `max_wrapping_ttl` cannot be less than `min_wrapping_ttl`"
    );
    assert!(rule_error("foo/+*", json!({"policy": "read"})).contains("`+*` is forbidden"));
    let top = parse_policy_json("p", &json!({"name": "p", "nope": {}})).map(|_| ());
    assert_eq!(
        top.map_err(|e| e.to_string()),
        Err("invalid key `nope`".to_string())
    );
}
