//! Hand-written AWS IAM cases with the decision AWS makes: checked against the simulator
//! by `aws_oracle_smoke.rs` and against the engine by `aws_oracle.rs` (no Node needed there).

use super::{SimCase, SimDecision};

pub const BUCKET_OBJECT: &str = "arn:aws:s3:::app-bucket/data.csv";
pub const ROLE: &str = "arn:aws:iam::123456789012:role/deploy";

/// A policy document with the given statements (each a JSON object's text).
pub fn policy(statements: &[&str]) -> String {
    format!(
        r#"{{"Version":"2012-10-17","Statement":[{}]}}"#,
        statements.join(",")
    )
}

pub fn allow(action: &str, resource: &str) -> String {
    format!(r#"{{"Effect":"Allow","Action":"{action}","Resource":"{resource}"}}"#)
}

pub fn deny(action: &str, resource: &str) -> String {
    format!(r#"{{"Effect":"Deny","Action":"{action}","Resource":"{resource}"}}"#)
}

/// A statement with a condition block (`{"Op":{"key":"value"}}` text).
pub fn with_condition(effect: &str, action: &str, condition: &str) -> String {
    format!(r#"{{"Effect":"{effect}","Action":"{action}","Resource":"*","Condition":{condition}}}"#)
}

/// One named case and the decision AWS makes for it.
pub struct GroundTruth {
    pub name: &'static str,
    pub case: SimCase,
    pub expected: SimDecision,
}

fn truth(name: &'static str, case: SimCase, expected: SimDecision) -> GroundTruth {
    GroundTruth {
        name,
        case,
        expected,
    }
}

pub fn ground_truth() -> Vec<GroundTruth> {
    use SimDecision::{Allowed, ExplicitlyDenied, ImplicitlyDenied};
    let get_star = policy(&[&allow("s3:Get*", "*")]);
    let s3_all = policy(&[&allow("s3:*", "*")]);
    let everything = policy(&[&allow("*", "*")]);
    let deny_delete = policy(&[&allow("s3:*", "*"), &deny("s3:DeleteObject", "*")]);
    let not_iam = policy(&[r#"{"Effect":"Allow","NotAction":"iam:*","Resource":"*"}"#]);
    let deny_not_get = policy(&[
        &allow("s3:*", "*"),
        r#"{"Effect":"Deny","NotAction":["s3:GetObject","s3:ListBucket"],"Resource":"*"}"#,
    ]);
    let boundary_get = policy(&[&allow("s3:GetObject", "*")]);
    let scp_s3 = policy(&[&allow("s3:*", "*")]);
    let scp_deny_delete = policy(&[&allow("*", "*"), &deny("s3:DeleteObject", "*")]);
    let vpce = policy(&[&with_condition(
        "Allow",
        "s3:GetObject",
        r#"{"StringEquals":{"aws:SourceVpce":"vpce-1a2b3c4d"}}"#,
    )]);
    let deny_outside_vpce = policy(&[
        &allow("s3:*", "*"),
        &with_condition(
            "Deny",
            "s3:*",
            r#"{"StringNotEquals":{"aws:SourceVpce":"vpce-1a2b3c4d"}}"#,
        ),
    ]);
    let corp_ip = policy(&[&with_condition(
        "Allow",
        "s3:GetObject",
        r#"{"IpAddress":{"aws:SourceIp":["10.0.0.0/8","192.0.2.0/24"]}}"#,
    )]);
    let get = |p: &str| SimCase::new("s3:GetObject", BUCKET_OBJECT).identity(p);
    let put = |p: &str| SimCase::new("s3:PutObject", BUCKET_OBJECT).identity(p);
    let delete = |p: &str| SimCase::new("s3:DeleteObject", BUCKET_OBJECT).identity(p);
    let pass_role = |p: &str| SimCase::new("iam:PassRole", ROLE).identity(p);
    vec![
        truth("s3:Get* allows GetObject", get(&get_star), Allowed),
        truth(
            "s3:Get* does not allow PutObject",
            put(&get_star),
            ImplicitlyDenied,
        ),
        truth(
            "no policy denies",
            SimCase::new("s3:GetObject", BUCKET_OBJECT),
            ImplicitlyDenied,
        ),
        truth("explicit deny wins", delete(&deny_delete), ExplicitlyDenied),
        truth("explicit deny leaves the rest", put(&deny_delete), Allowed),
        truth("NotAction allows other services", get(&not_iam), Allowed),
        truth(
            "NotAction excludes its actions",
            pass_role(&not_iam),
            ImplicitlyDenied,
        ),
        truth(
            "Deny NotAction denies the rest",
            put(&deny_not_get),
            ExplicitlyDenied,
        ),
        truth(
            "Deny NotAction spares its actions",
            get(&deny_not_get),
            Allowed,
        ),
        truth(
            "boundary allows its actions",
            get(&s3_all).boundary(&boundary_get),
            Allowed,
        ),
        truth(
            "boundary caps identity",
            put(&s3_all).boundary(&boundary_get),
            ImplicitlyDenied,
        ),
        truth(
            "boundary alone grants nothing",
            SimCase::new("s3:GetObject", BUCKET_OBJECT).boundary(&boundary_get),
            ImplicitlyDenied,
        ),
        truth(
            "SCP allows its service",
            get(&everything).scp_level(&[&everything, &scp_s3]),
            Allowed,
        ),
        truth(
            "SCP caps other services",
            pass_role(&everything).scp_level(&[&scp_s3]),
            ImplicitlyDenied,
        ),
        truth(
            "every SCP level must allow",
            pass_role(&everything)
                .scp_level(&[&everything])
                .scp_level(&[&scp_s3]),
            ImplicitlyDenied,
        ),
        truth(
            "SCP deny is explicit",
            delete(&everything).scp_level(&[&scp_deny_delete]),
            ExplicitlyDenied,
        ),
        truth(
            "SourceVpce equal allows",
            get(&vpce).context("aws:SourceVpce", &["vpce-1a2b3c4d"]),
            Allowed,
        ),
        truth(
            "SourceVpce other denies",
            get(&vpce).context("aws:SourceVpce", &["vpce-99"]),
            ImplicitlyDenied,
        ),
        truth("SourceVpce absent denies", get(&vpce), ImplicitlyDenied),
        truth(
            "StringNotEquals deny, key absent",
            get(&deny_outside_vpce),
            ExplicitlyDenied,
        ),
        truth(
            "StringNotEquals deny, key matches",
            get(&deny_outside_vpce).context("aws:SourceVpce", &["vpce-1a2b3c4d"]),
            Allowed,
        ),
        truth(
            "SourceIp in range allows",
            get(&corp_ip).context("aws:SourceIp", &["10.20.30.40"]),
            Allowed,
        ),
        truth(
            "SourceIp in second range allows",
            get(&corp_ip).context("aws:SourceIp", &["192.0.2.7"]),
            Allowed,
        ),
        truth(
            "SourceIp outside denies",
            get(&corp_ip).context("aws:SourceIp", &["203.0.113.9"]),
            ImplicitlyDenied,
        ),
        truth("SourceIp absent denies", get(&corp_ip), ImplicitlyDenied),
    ]
}
