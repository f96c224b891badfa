//! Contract parsing: the example of CONTRACT.md parses; every kind of mistake is one error
//! with line and column.

use std::path::Path;

use super::*;

const GOOD: &str = r#"reference = "production"

[environments.staging]
sources = ["snapshots/staging"]
purpose = ["access", "rotation", "detection"]

[environments.production]
sources = ["snapshots/production"]

[mapping]
"111111111111" = "222222222222"
stg = "prod"

[[expected]]
rule = "config-value-drift"
subject = "deployment/web:spec.replicas"
reason = "staging runs one replica to save cost"

[[waivers]]
rule = "access-broader-in-staging"
subject = "arn:aws:iam::*:role/*-loadtest"
reason = "load test needs bulk delete until the fixture API exists"
owner = "team-payments"
expires = "2027-01-31"
"#;

fn parse_text(text: &str) -> Result<Contract, ContractError> {
    parse(text, Path::new("conf/envparity.toml"))
}

#[test]
fn the_contract_example_parses() -> Result<(), ContractError> {
    let contract = parse_text(GOOD)?;
    assert_eq!(contract.reference, "production");
    assert_eq!(contract.environments.len(), 2);
    let staging = &contract.environments["staging"];
    assert_eq!(
        staging.sources,
        vec![PathBuf::from("conf/snapshots/staging")]
    );
    assert_eq!(staging.purposes.len(), 3);
    assert_eq!(contract.mapping.len(), 2);
    assert_eq!(contract.expected[0].selector.rule, Rule::ConfigValueDrift);
    let waiver = &contract.waivers[0];
    assert_eq!(waiver.expires.to_string(), "2027-01-31");
    assert_eq!(waiver.location.line, 19);
    assert!(
        waiver
            .selector
            .matcher
            .is_match("arn:aws:iam::1:role/pay-loadtest")
    );
    Ok(())
}

fn error_of(text: &str) -> ContractError {
    match parse_text(text) {
        Ok(_) => panic!("expected an error"),
        Err(error) => error,
    }
}

#[test]
fn unknown_keys_are_errors_with_position() {
    let error = error_of(&GOOD.replace("owner = ", "ownr = "));
    assert_eq!(
        (error.line, error.path.as_str()),
        (23, "conf/envparity.toml")
    );
    assert!(error.message.contains("ownr"), "{error}");
    assert!(!error.to_string().contains('\n'));
}

#[test]
fn missing_required_fields_are_errors() {
    let error = error_of(&GOOD.replace("owner = \"team-payments\"\n", ""));
    assert!(error.message.contains("owner"), "{error}");
    assert!(error.line >= 19, "{error}");
}

#[test]
fn bad_dates_are_errors_at_the_value() {
    let error = error_of(&GOOD.replace("2027-01-31", "2027-02-30"));
    assert_eq!((error.line, error.column), (24, 11), "{error}");
    assert!(error.message.contains("YYYY-MM-DD"));
}

#[test]
fn unquoted_toml_dates_are_accepted() -> Result<(), ContractError> {
    let contract = parse_text(&GOOD.replace("\"2027-01-31\"", "2027-01-31"))?;
    assert_eq!(contract.waivers[0].expires.to_string(), "2027-01-31");
    Ok(())
}

#[test]
fn invalid_globs_are_errors_at_the_value() {
    let error = error_of(&GOOD.replace("role/*-loadtest", "role/[-loadtest"));
    assert_eq!((error.line, error.column), (21, 11), "{error}");
    assert!(error.message.contains("glob"));
}

#[test]
fn unknown_rules_purposes_and_references_are_errors() {
    assert!(
        error_of(&GOOD.replace("\"config-value-drift\"", "\"nope\""))
            .message
            .contains("nope")
    );
    assert!(
        error_of(&GOOD.replace("\"detection\"", "\"fun\""))
            .message
            .contains("fun")
    );
    let error = error_of(&GOOD.replace("reference = \"production\"", "reference = \"prod\""));
    assert_eq!((error.line, error.column), (1, 13));
}
