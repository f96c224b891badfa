//! Hand-written IAM comparisons: verdicts, witnesses from the catalog or synthetic, the open
//! world of actions, conditions as dimensions, what makes the verdict `Unknown`, the admin
//! check and trusted principals.

mod aws_common;

use aws_common::{identity, policy, req, statements};
use envparity_access::Verdict;
use envparity_access::aws::{
    ActionCatalog, Decision, PrincipalKind, PrincipalPolicies, TrustedPrincipal, admin_equivalent,
    compare, evaluate, trusted_principals,
};
use serde_json::{Value, json};

fn catalog() -> ActionCatalog {
    ActionCatalog::parse(
        "s3:GetObject\ns3:GetBucketPolicy\ns3:PutObject\ns3:DeleteObject\nec2:RunInstances\niam:CreateUser\n",
    )
}

fn allow(action: Value, resource: Value) -> Value {
    json!({"Effect": "Allow", "Action": action, "Resource": resource})
}

fn confirmed(
    stg: &PrincipalPolicies,
    prd: &PrincipalPolicies,
) -> envparity_access::aws::Comparison {
    let result = compare(stg, prd, &catalog());
    for w in &result.staging_only {
        assert_eq!(evaluate(stg, &w.request), Decision::Allow);
        assert_ne!(evaluate(prd, &w.request), Decision::Allow);
    }
    for w in &result.production_only {
        assert_eq!(evaluate(prd, &w.request), Decision::Allow);
        assert_ne!(evaluate(stg, &w.request), Decision::Allow);
    }
    result
}

#[test]
fn wildcard_is_not_its_catalog_expansion() {
    // The catalog holds every s3:Get action it knows, but AWS may add more: `s3:Get*` stays
    // broader than the list, through a synthetic action only.
    let stg = identity(vec![allow(json!("s3:Get*"), json!("*"))]);
    let prd = identity(vec![allow(
        json!(["s3:GetObject", "s3:GetBucketPolicy"]),
        json!("*"),
    )]);
    let result = confirmed(&stg, &prd);
    assert_eq!(result.verdict, Verdict::Broader);
    assert!(!result.staging_only.is_empty());
    assert!(result.staging_only.iter().all(|w| w.synthetic));
    assert!(
        result.staging_only[0]
            .request
            .action
            .to_lowercase()
            .starts_with("s3:get")
    );
    // The same list written twice, in another order and case, is equal.
    let prd2 = identity(vec![
        allow(json!("S3:GETBUCKETPOLICY"), json!("*")),
        allow(json!("s3:getobject"), json!("*")),
    ]);
    let result = confirmed(&prd, &prd2);
    assert_eq!(result.verdict, Verdict::Equal);
}

#[test]
fn witnesses_prefer_catalog_actions_and_literal_resources() {
    let stg = identity(vec![allow(
        json!("s3:*"),
        json!(["arn:aws:s3:::b/*", "arn:aws:s3:::c"]),
    )]);
    let prd = identity(vec![allow(
        json!("s3:GetObject"),
        json!("arn:aws:s3:::b/*"),
    )]);
    let result = confirmed(&stg, &prd);
    assert_eq!(result.verdict, Verdict::Broader);
    let first = &result.staging_only[0];
    assert!(!first.synthetic);
    assert!(catalog().get(&first.request.action).is_some(), "{first:?}");
    assert!(
        result
            .staging_only
            .iter()
            .any(|w| w.request.resource == "arn:aws:s3:::c")
    );
    assert!(result.production_only.is_empty());
}

#[test]
fn conditions_are_dimensions() {
    let open = identity(vec![allow(json!("s3:GetObject"), json!("*"))]);
    let mut fenced = identity(vec![allow(json!("s3:GetObject"), json!("*"))]);
    fenced.identity.push(statements(vec![json!({
        "Effect": "Deny", "Action": "*", "Resource": "*",
        "Condition": {"NotIpAddress": {"aws:SourceIp": "10.0.0.0/8"}}
    })]));
    let result = confirmed(&open, &fenced);
    assert_eq!(result.verdict, Verdict::Broader);
    // One witness per class of requests the statements tell apart: a missing source address
    // (bare `NotIpAddress` holds on a missing key) stands for the addresses outside the block.
    assert_eq!(result.staging_only.len(), 1);
    let w = &result.staging_only[0].request;
    assert_eq!(
        (w.action.as_str(), w.context.get("aws:SourceIp")),
        ("s3:GetObject", None)
    );
    // The fence written as an allow condition differs at the edges of the key's domain.
    let allow_fence = identity(vec![json!({
        "Effect": "Allow", "Action": "s3:GetObject", "Resource": "*",
        "Condition": {"IpAddressIfExists": {"aws:SourceIp": "10.0.0.0/8"}}
    })]);
    // A multivalued or malformed source address satisfies neither `IpAddressIfExists` nor the
    // deny's `NotIpAddress`, so only the deny form allows it; an absent one satisfies both, so
    // only the allow form allows it.
    let result = confirmed(&fenced, &allow_fence);
    assert_eq!(result.verdict, Verdict::Divergent);
    let ip = |w: &envparity_access::aws::Witness| w.request.context.get("aws:SourceIp").cloned();
    let odd = |v: Vec<String>| v.len() != 1 || v[0].parse::<std::net::IpAddr>().is_err();
    assert!(result.staging_only.iter().all(|w| ip(w).is_some_and(odd)));
    assert!(result.production_only.iter().all(|w| ip(w).is_none()));
}

#[test]
fn set_operators_compare_exactly() {
    let any = |op: &str, values: Value| {
        identity(vec![
            json!({"Effect": "Allow", "Action": "s3:PutObject", "Resource": "*",
            "Condition": {op: {"aws:TagKeys": values}}}),
        ])
    };
    let all_ab = any("ForAllValues:StringEquals", json!(["a", "b"]));
    let all_ba = any("ForAllValues:StringEquals", json!(["b", "a"]));
    assert_eq!(confirmed(&all_ab, &all_ba).verdict, Verdict::Equal);
    let all_a = any("ForAllValues:StringEquals", json!(["a"]));
    let result = confirmed(&all_ab, &all_a);
    assert_eq!(result.verdict, Verdict::Broader);
    let some_a = any("ForAnyValue:StringEquals", json!(["a"]));
    let result = confirmed(&all_a, &some_a);
    // Absent key and empty list pass ForAllValues only; ["a","c"] passes ForAnyValue only.
    assert_eq!(result.verdict, Verdict::Divergent);
}

#[test]
fn unsupported_constructs_are_unknown_never_equal() {
    let base = allow(json!("s3:*"), json!("*"));
    let cases: Vec<(Value, &str)> = vec![
        (
            json!({"Effect": "Allow", "Action": "s3:*", "Resource": "*", "Condition": {"BinaryEquals": {"aws:x": "QQ=="}}}),
            "BinaryEquals",
        ),
        (
            json!({"Effect": "Deny", "Action": "s3:*", "Resource": "*", "NotPrincipal": {"AWS": "arn:aws:iam::1:root"}}),
            "Principal",
        ),
        (
            json!({"Effect": "Allow", "Action": "s3:*", "Resource": "arn:aws:s3:::home/${aws:username}/*"}),
            "aws:username",
        ),
        (
            json!({"Effect": "Allow", "Action": "s3:*", "Resource": "*", "Condition": {"StringLike": {"s3:prefix": "${aws:PrincipalTag/team}/*"}}}),
            "aws:PrincipalTag/team",
        ),
    ];
    for (extra, needle) in cases {
        let stg = identity(vec![base.clone(), extra.clone()]);
        let prd = identity(vec![base.clone(), extra]);
        let result = confirmed(&stg, &prd);
        assert_eq!(result.verdict, Verdict::Unknown, "{needle}");
        assert!(
            result.unknown.iter().any(|u| u.contains(needle)),
            "{needle}: {:?}",
            result.unknown
        );
    }
    // Mixed value types on one key.
    let stg = identity(vec![
        json!({"Effect": "Allow", "Action": "*", "Resource": "*",
        "Condition": {"StringEquals": {"k": "1"}, "NumericLessThan": {"k": 5}}}),
    ]);
    let result = confirmed(&stg, &stg);
    assert_eq!(result.verdict, Verdict::Unknown);
    assert!(result.unknown[0].contains("`k`"), "{:?}", result.unknown);
}

#[test]
fn escapes_are_literal_not_unknown() {
    let stg = identity(vec![allow(json!("s3:*"), json!("arn:aws:s3:::b/${*}"))]);
    let prd = identity(vec![allow(json!("s3:*"), json!("arn:aws:s3:::b/*"))]);
    let result = confirmed(&stg, &prd);
    assert_eq!(result.verdict, Verdict::Narrower);
    assert_eq!(result.unknown, Vec::<String>::new());
}

#[test]
fn boundary_and_scps_in_the_comparison() {
    let stg = identity(vec![allow(json!("*"), json!("*"))]);
    let mut prd = stg.clone();
    prd.scps = vec![vec![statements(vec![allow(json!("s3:*"), json!("*"))])]];
    let result = confirmed(&stg, &prd);
    assert_eq!(result.verdict, Verdict::Broader);
    let mut prd2 = stg.clone();
    prd2.boundary = Some(statements(vec![allow(json!("s3:*"), json!("*"))]));
    assert_eq!(confirmed(&prd, &prd2).verdict, Verdict::Equal);
    assert_eq!(confirmed(&prd, &stg).verdict, Verdict::Narrower);
}

#[test]
fn admin_equivalence() {
    assert!(admin_equivalent(&identity(vec![allow(
        json!("*"),
        json!("*")
    )])));
    assert!(admin_equivalent(&identity(vec![
        json!({"Effect": "Allow", "NotAction": "iam:*", "Resource": "*"}),
        allow(json!("IAM:*"), json!("*")),
    ])));
    assert!(!admin_equivalent(&identity(vec![allow(
        json!("s3:*"),
        json!("*")
    )])));
    assert!(!admin_equivalent(&identity(vec![
        allow(json!("*"), json!("*")),
        json!({"Effect": "Deny", "Action": "iam:CreateUser", "Resource": "*"}),
    ])));
    assert!(!admin_equivalent(&identity(vec![
        json!({"Effect": "Allow", "Action": "*", "Resource": "*",
        "Condition": {"Bool": {"aws:MultiFactorAuthPresent": "true"}}})
    ])));
    assert!(!admin_equivalent(&PrincipalPolicies::default()));
    let mut bounded = identity(vec![allow(json!("*"), json!("*"))]);
    bounded.boundary = Some(statements(vec![allow(json!("s3:*"), json!("*"))]));
    assert!(!admin_equivalent(&bounded));
    let _ = req("", "", &[]);
}

#[test]
fn trust_policy_principals() {
    let trust = policy(json!({"Version": "2012-10-17", "Statement": [
        {"Effect": "Allow", "Principal": {"AWS": ["arn:aws:iam::111122223333:root", "*"], "Service": "ec2.amazonaws.com"}, "Action": "sts:AssumeRole"},
        {"Effect": "Allow", "Principal": {"Federated": "arn:aws:iam::1:oidc-provider/token.actions.githubusercontent.com"}, "Action": ["sts:AssumeRoleWithWebIdentity", "s3:GetObject"],
         "Condition": {"StringLike": {"token.actions.githubusercontent.com:sub": "repo:o/r:*"}}},
        {"Effect": "Deny", "Principal": "*", "Action": "sts:AssumeRole"},
        {"Effect": "Allow", "Principal": "*", "Action": "s3:*"}
    ]}));
    let got = trusted_principals(&trust);
    let t = |kind, value: &str, conditional, action: &str| TrustedPrincipal {
        kind,
        value: value.to_string(),
        conditional,
        action: action.to_string(),
    };
    assert_eq!(
        got,
        vec![
            t(
                PrincipalKind::Aws,
                "arn:aws:iam::111122223333:root",
                false,
                "sts:AssumeRole"
            ),
            t(
                PrincipalKind::Service,
                "ec2.amazonaws.com",
                false,
                "sts:AssumeRole"
            ),
            t(
                PrincipalKind::Federated,
                "arn:aws:iam::1:oidc-provider/token.actions.githubusercontent.com",
                true,
                "sts:AssumeRoleWithWebIdentity"
            ),
            t(PrincipalKind::Any, "*", false, "sts:AssumeRole"),
        ]
    );
}
