//! The concrete IAM evaluator on hand-written cases (SEMANTICS-RESEARCH §6): explicit deny,
//! `NotAction`/`NotResource`, boundaries, SCP levels, condition operators and their
//! missing-key rules, set qualifiers, policy variables, matching case rules.

mod aws_common;

use aws_common::{identity, req, statements};
use envparity_access::aws::{Decision, PrincipalPolicies, evaluate};
use serde_json::{Value, json};

use Decision::{Allow, ExplicitDeny, ImplicitDeny};

const OBJ: &str = "arn:aws:s3:::bucket/key";

fn allow(action: Value, resource: Value) -> Value {
    json!({"Effect": "Allow", "Action": action, "Resource": resource})
}

fn cond(op: &str, key: &str, values: Value) -> Value {
    json!({"Effect": "Allow", "Action": "*", "Resource": "*", "Condition": {op: {key: values}}})
}

/// A request context and the decision expected for it.
type Case<'a> = (&'a [(&'a str, &'a [&'a str])], Decision);

/// The decision of a single conditioned `Allow` for each context.
fn decide(op: &str, key: &str, values: Value, cases: &[Case]) {
    let p = identity(vec![cond(op, key, values)]);
    for (context, expected) in cases {
        let got = evaluate(&p, &req("s3:GetObject", OBJ, context));
        assert_eq!(got, *expected, "{op} {key} with {context:?}");
    }
}

#[test]
fn explicit_deny_wins_and_default_is_implicit_deny() {
    let p = identity(vec![
        allow(json!("s3:*"), json!("*")),
        json!({"Effect": "Deny", "Action": "s3:DeleteObject", "Resource": "*"}),
    ]);
    assert_eq!(evaluate(&p, &req("s3:GetObject", OBJ, &[])), Allow);
    assert_eq!(
        evaluate(&p, &req("s3:DeleteObject", OBJ, &[])),
        ExplicitDeny
    );
    assert_eq!(
        evaluate(&p, &req("ec2:RunInstances", "*", &[])),
        ImplicitDeny
    );
    assert_eq!(
        evaluate(
            &PrincipalPolicies::default(),
            &req("s3:GetObject", OBJ, &[])
        ),
        ImplicitDeny
    );
    // No permission is needed to learn who you are, even against an explicit deny.
    let deny_all = identity(vec![
        json!({"Effect": "Deny", "Action": "*", "Resource": "*"}),
    ]);
    assert_eq!(
        evaluate(&deny_all, &req("STS:GetCallerIdentity", "*", &[])),
        Allow
    );
}

#[test]
fn not_action_and_not_resource() {
    let p = identity(vec![
        json!({"Effect": "Allow", "NotAction": "iam:*", "Resource": "*"}),
        json!({"Effect": "Deny", "Action": "s3:*", "NotResource": "arn:aws:s3:::bucket/*"}),
    ]);
    assert_eq!(evaluate(&p, &req("s3:GetObject", OBJ, &[])), Allow);
    assert_eq!(evaluate(&p, &req("IAM:CreateUser", "*", &[])), ImplicitDeny);
    assert_eq!(
        evaluate(&p, &req("s3:GetObject", "arn:aws:s3:::other/key", &[])),
        ExplicitDeny
    );
    assert_eq!(
        evaluate(&p, &req("ec2:RunInstances", "arn:aws:s3:::other/key", &[])),
        Allow
    );
}

#[test]
fn boundary_and_scp_levels_intersect() {
    let mut p = identity(vec![allow(json!(["s3:*", "ec2:*"]), json!("*"))]);
    p.boundary = Some(statements(vec![allow(
        json!(["s3:Get*", "ec2:*"]),
        json!("*"),
    )]));
    assert_eq!(evaluate(&p, &req("s3:GetObject", OBJ, &[])), Allow);
    assert_eq!(evaluate(&p, &req("s3:PutObject", OBJ, &[])), ImplicitDeny);
    // Level 1: full access. Level 2: two policies, union within the level.
    p.scps = vec![
        vec![statements(vec![allow(json!("*"), json!("*"))])],
        vec![
            statements(vec![allow(json!("s3:*"), json!("*"))]),
            statements(vec![allow(json!("ec2:Describe*"), json!("*"))]),
        ],
    ];
    assert_eq!(evaluate(&p, &req("s3:GetObject", OBJ, &[])), Allow);
    assert_eq!(evaluate(&p, &req("ec2:DescribeInstances", "*", &[])), Allow);
    assert_eq!(
        evaluate(&p, &req("ec2:RunInstances", "*", &[])),
        ImplicitDeny
    );
    // A deny in an SCP wins over everything.
    p.scps[0].push(statements(vec![
        json!({"Effect": "Deny", "Action": "s3:Get*", "Resource": "*"}),
    ]));
    assert_eq!(evaluate(&p, &req("s3:GetObject", OBJ, &[])), ExplicitDeny);
    // A boundary never grants by itself.
    let only_boundary = PrincipalPolicies {
        boundary: Some(statements(vec![allow(json!("*"), json!("*"))])),
        ..PrincipalPolicies::default()
    };
    assert_eq!(
        evaluate(&only_boundary, &req("s3:GetObject", OBJ, &[])),
        ImplicitDeny
    );
}

#[test]
fn string_operators_and_missing_keys() {
    let k = "aws:PrincipalTag/team";
    decide(
        "StringEquals",
        k,
        json!(["a", "b"]),
        &[
            (&[(k, &["a"])], Allow),
            (&[(k, &["b"])], Allow),
            (&[(k, &["A"])], ImplicitDeny),
            (&[], ImplicitDeny),
            (&[("AWS:PRINCIPALTAG/TEAM", &["a"])], Allow),
            (&[(k, &["a", "b"])], ImplicitDeny),
        ],
    );
    decide(
        "StringNotEquals",
        k,
        json!(["a", "b"]),
        &[
            (&[(k, &["c"])], Allow),
            (&[(k, &["b"])], ImplicitDeny),
            (&[], Allow),
        ],
    );
    decide(
        "StringEqualsIfExists",
        k,
        json!("a"),
        &[
            (&[], Allow),
            (&[(k, &["a"])], Allow),
            (&[(k, &["b"])], ImplicitDeny),
        ],
    );
    decide(
        "StringEqualsIgnoreCase",
        k,
        json!("A"),
        &[(&[(k, &["a"])], Allow)],
    );
    decide(
        "StringNotEqualsIgnoreCase",
        k,
        json!("A"),
        &[(&[(k, &["a"])], ImplicitDeny)],
    );
    decide(
        "StringLike",
        k,
        json!("t?am-*"),
        &[
            (&[(k, &["team-x"])], Allow),
            (&[(k, &["tam-x"])], ImplicitDeny),
            (&[(k, &["t:am-"])], Allow),
        ],
    );
    decide(
        "StringNotLike",
        k,
        json!("a*"),
        &[(&[(k, &["ab"])], ImplicitDeny), (&[(k, &["b"])], Allow)],
    );
    decide("stringequals", k, json!("a"), &[(&[(k, &["a"])], Allow)]);
}

#[test]
fn set_qualifiers() {
    let k = "aws:TagKeys";
    decide(
        "ForAllValues:StringEquals",
        k,
        json!(["a", "b"]),
        &[
            (&[], Allow),
            (&[(k, &[])], Allow),
            (&[(k, &["a", "b"])], Allow),
            (&[(k, &["a"])], Allow),
            (&[(k, &["a", "c"])], ImplicitDeny),
        ],
    );
    decide(
        "ForAnyValue:StringEquals",
        k,
        json!(["a", "b"]),
        &[
            (&[], ImplicitDeny),
            (&[(k, &[])], ImplicitDeny),
            (&[(k, &["c", "b"])], Allow),
            (&[(k, &["c"])], ImplicitDeny),
        ],
    );
    decide(
        "ForAnyValue:StringEqualsIfExists",
        k,
        json!("a"),
        &[(&[], Allow)],
    );
    decide(
        "ForAnyValue:StringNotLike",
        k,
        json!("a*"),
        &[
            (&[(k, &["ab", "b"])], Allow),
            (&[(k, &["ab", "ac"])], ImplicitDeny),
        ],
    );
}

#[test]
fn null_bool_numbers_dates_addresses_arns() {
    let k = "aws:TokenIssueTime";
    decide(
        "Null",
        k,
        json!("true"),
        &[(&[], Allow), (&[(k, &["x"])], ImplicitDeny)],
    );
    decide(
        "Null",
        k,
        json!(false),
        &[(&[], ImplicitDeny), (&[(k, &["x"])], Allow)],
    );
    let b = "aws:SecureTransport";
    decide(
        "Bool",
        b,
        json!(true),
        &[
            (&[(b, &["true"])], Allow),
            (&[(b, &["TRUE"])], Allow),
            (&[(b, &["false"])], ImplicitDeny),
            (&[(b, &["yes"])], ImplicitDeny),
            (&[], ImplicitDeny),
        ],
    );
    let n = "s3:max-keys";
    decide(
        "NumericLessThan",
        n,
        json!(10),
        &[
            (&[(n, &["9.5"])], Allow),
            (&[(n, &["10"])], ImplicitDeny),
            (&[(n, &["x"])], ImplicitDeny),
        ],
    );
    decide(
        "NumericNotEquals",
        n,
        json!("10"),
        &[
            (&[(n, &["10.0"])], ImplicitDeny),
            (&[(n, &["x"])], ImplicitDeny),
            (&[(n, &["3"])], Allow),
        ],
    );
    let d = "aws:CurrentTime";
    decide(
        "DateLessThan",
        d,
        json!("2024-01-01T00:00:00Z"),
        &[
            (&[(d, &["2023-12-31T23:59:59Z"])], Allow),
            (&[(d, &["1704067200"])], ImplicitDeny),
            (&[(d, &["1704067199"])], Allow),
            (&[(d, &["2024-01-01T01:00:00+02:00"])], Allow),
        ],
    );
    decide(
        "DateGreaterThanEquals",
        d,
        json!(1_704_067_200),
        &[(&[(d, &["2024-01-01"])], Allow)],
    );
    let ip = "aws:SourceIp";
    decide(
        "IpAddress",
        ip,
        json!(["10.0.0.0/8", "2001:db8::/32"]),
        &[
            (&[(ip, &["10.1.2.3"])], Allow),
            (&[(ip, &["11.0.0.1"])], ImplicitDeny),
            (&[(ip, &["2001:db8::1"])], Allow),
            (&[(ip, &["2001:db9::1"])], ImplicitDeny),
            (&[(ip, &["not-an-ip"])], ImplicitDeny),
        ],
    );
    decide(
        "NotIpAddress",
        ip,
        json!("10.0.0.0/8"),
        &[
            (&[(ip, &["10.1.2.3"])], ImplicitDeny),
            (&[(ip, &["192.168.0.1"])], Allow),
            (&[], Allow),
        ],
    );
    let a = "aws:SourceArn";
    decide(
        "ArnLike",
        a,
        json!("arn:aws:s3:::bucket/*"),
        &[
            (&[(a, &["arn:aws:s3:::bucket/x:y"])], Allow),
            (&[(a, &["arn:aws:s3:::other/x"])], ImplicitDeny),
        ],
    );
}

#[test]
fn several_keys_and_operators_are_and() {
    let p = identity(vec![json!({
        "Effect": "Allow", "Action": "*", "Resource": "*",
        "Condition": {
            "StringEquals": {"aws:PrincipalTag/team": "a", "aws:RequestedRegion": "eu-west-1"},
            "Bool": {"aws:SecureTransport": "true"}
        }
    })]);
    let full: &[(&str, &[&str])] = &[
        ("aws:PrincipalTag/team", &["a"]),
        ("aws:RequestedRegion", &["eu-west-1"]),
        ("aws:SecureTransport", &["true"]),
    ];
    assert_eq!(evaluate(&p, &req("s3:GetObject", OBJ, full)), Allow);
    assert_eq!(
        evaluate(&p, &req("s3:GetObject", OBJ, &full[..2])),
        ImplicitDeny
    );
    assert_eq!(
        evaluate(&p, &req("s3:GetObject", OBJ, &full[1..])),
        ImplicitDeny
    );
}

#[test]
fn unsupported_operator_never_holds() {
    decide(
        "BinaryEquals",
        "aws:x",
        json!("QmluYXJ5"),
        &[(&[("aws:x", &["QmluYXJ5"])], ImplicitDeny)],
    );
}

#[test]
fn matching_case_rules_and_arn_segments() {
    let p = identity(vec![allow(
        json!("S3:get*"),
        json!([
            "arn:aws:s3:::Bucket/*",
            "arn:aws:iam::*:role/r",
            "arn:aws:s3:::b*x"
        ]),
    )]);
    assert_eq!(
        evaluate(&p, &req("s3:GetObject", "arn:aws:s3:::Bucket/a:b/c", &[])),
        Allow
    );
    assert_eq!(
        evaluate(&p, &req("s3:GetObject", "arn:aws:s3:::bucket/a", &[])),
        ImplicitDeny
    );
    // `*` ending a segment runs across colons; inside a segment it does not.
    assert_eq!(
        evaluate(&p, &req("s3:GetObject", "arn:aws:iam::1:2:role/r", &[])),
        Allow
    );
    assert_eq!(
        evaluate(&p, &req("s3:GetObject", "arn:aws:s3:::bax", &[])),
        Allow
    );
    assert_eq!(
        evaluate(&p, &req("s3:GetObject", "arn:aws:s3:::ba:x", &[])),
        ImplicitDeny
    );
}

#[test]
fn policy_variables() {
    let doc = |version: &str| {
        let mut p = identity(vec![allow(
            json!("s3:*"),
            json!("arn:aws:s3:::home/${aws:username}/*"),
        )]);
        p.identity[0] = aws_common::policy(json!({
            "Version": version,
            "Statement": [allow(json!("s3:*"), json!(["arn:aws:s3:::home/${aws:username}/*", "arn:aws:s3:::lit/${*}", "arn:aws:s3:::d/${aws:PrincipalTag/x, 'none'}"]))]
        }));
        p
    };
    let p = doc("2012-10-17");
    let bob: &[(&str, &[&str])] = &[("aws:username", &["bob"])];
    assert_eq!(
        evaluate(&p, &req("s3:GetObject", "arn:aws:s3:::home/bob/f", bob)),
        Allow
    );
    assert_eq!(
        evaluate(&p, &req("s3:GetObject", "arn:aws:s3:::home/eve/f", bob)),
        ImplicitDeny
    );
    assert_eq!(
        evaluate(&p, &req("s3:GetObject", "arn:aws:s3:::home/bob/f", &[])),
        ImplicitDeny
    );
    // `${*}` is a literal star; a default stands in for a missing key.
    assert_eq!(
        evaluate(&p, &req("s3:GetObject", "arn:aws:s3:::lit/*", &[])),
        Allow
    );
    assert_eq!(
        evaluate(&p, &req("s3:GetObject", "arn:aws:s3:::lit/x", &[])),
        ImplicitDeny
    );
    assert_eq!(
        evaluate(&p, &req("s3:GetObject", "arn:aws:s3:::d/none", &[])),
        Allow
    );
    // Without Version 2012-10-17 the text is literal.
    let old = doc("2008-10-17");
    assert_eq!(
        evaluate(&old, &req("s3:GetObject", "arn:aws:s3:::home/bob/f", bob)),
        ImplicitDeny
    );
    assert_eq!(
        evaluate(
            &old,
            &req("s3:GetObject", "arn:aws:s3:::home/${aws:username}/f", bob)
        ),
        Allow
    );
}
