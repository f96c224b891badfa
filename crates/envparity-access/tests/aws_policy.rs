//! Parsing IAM policy documents: accepted shapes and one-line errors naming the statement.

use envparity_access::aws::{Effect, PrincipalKind, parse_policy};
use serde_json::json;

#[test]
fn accepts_strings_lists_and_single_statements() {
    let p = parse_policy(&json!({
        "Version": "2012-10-17",
        "Statement": {"Sid": "S", "Effect": "Deny", "NotAction": "s3:*", "NotResource": ["a", "b"],
            "Condition": {"NumericLessThan": {"s3:max-keys": 10}, "Bool": {"aws:SecureTransport": false}}}
    }))
    .unwrap_or_else(|e| panic!("{e}"));
    assert!(p.variables);
    let s = &p.statements[0];
    assert_eq!(
        (s.index, s.sid.as_deref(), s.effect),
        (1, Some("S"), Effect::Deny)
    );
    assert!(s.actions.negated && s.resources.as_ref().is_some_and(|r| r.negated));
    let values: Vec<&str> = s
        .conditions
        .iter()
        .flat_map(|c| c.values.iter().map(String::as_str))
        .collect();
    assert_eq!(values, ["10", "false"]);
    let old = parse_policy(&json!({"Statement": [{"Effect": "Allow", "Action": "*", "Principal": {"AWS": "*", "Service": ["a"]}}]}))
        .unwrap_or_else(|e| panic!("{e}"));
    assert!(!old.variables);
    let principals = old.statements[0]
        .principals
        .as_ref()
        .map(|p| p.entries.clone());
    assert_eq!(
        principals,
        Some(vec![
            (PrincipalKind::Any, "*".to_string()),
            (PrincipalKind::Service, "a".to_string())
        ])
    );
}

#[test]
fn errors_name_the_statement() {
    let err = |doc: serde_json::Value| parse_policy(&doc).map(|_| ()).unwrap_err().to_string();
    let ok = json!({"Effect": "Allow", "Action": "*", "Resource": "*"});
    assert_eq!(
        err(
            json!({"Statement": [ok, {"Sid": "AllowS3", "Effect": "Allow", "Action": 3, "Resource": "*"}]})
        ),
        "statement 2 (`AllowS3`): `Action` must be a string or a list of strings"
    );
    assert_eq!(
        err(json!({"Statement": [{"Effect": "Allow", "Action": "*", "Foo": 1}]})),
        "statement 1: unknown key `Foo`"
    );
    assert_eq!(
        err(json!({"Statement": [{"Effect": "Permit", "Action": "*"}]})),
        "statement 1: unknown `Effect` `Permit`"
    );
    assert_eq!(
        err(json!({"Statement": [{"Effect": "Allow", "Resource": "*"}]})),
        "statement 1: has neither `Action` nor `NotAction`"
    );
    assert_eq!(
        err(json!({"Statement": [{"Effect": "Allow", "Action": "*", "NotAction": "*"}]})),
        "statement 1: has both `Action` and `NotAction`"
    );
    assert_eq!(
        err(json!({"Version": "2020-01-01", "Statement": []})),
        "unknown policy `Version` `2020-01-01`"
    );
    assert_eq!(
        err(
            json!({"Statement": [{"Effect": "Allow", "Action": "*", "Condition": {"StringEquals": {"k": {"x": 1}}}}]})
        ),
        "statement 1: condition values of `k` must be strings, numbers or booleans"
    );
}
