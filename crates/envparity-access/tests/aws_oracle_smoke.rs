//! The IAM simulator oracle answers the hand-written ground-truth cases as AWS does, and
//! reports invalid input as errors: checks the harness itself before the engine relies on it.

#[path = "oracle/mod.rs"]
mod oracle;

use oracle::cases::{allow, ground_truth, policy};
use oracle::{SimCase, SimDecision, Simulator};

#[test]
fn simulator_matches_ground_truth() {
    let Some(mut simulator) = Simulator::start() else {
        eprintln!("skipped simulator_matches_ground_truth: the IAM simulator is unavailable");
        return;
    };
    let truths = ground_truth();
    assert!(truths.len() >= 20);
    let cases: Vec<SimCase> = truths.iter().map(|t| t.case.clone()).collect();
    let answers = simulator.decide_all(&cases);
    let failures: Vec<String> = truths
        .iter()
        .zip(&answers)
        .filter(|(truth, answer)| **answer != Ok(truth.expected))
        .map(|(truth, answer)| {
            format!(
                "{}: expected {:?}, simulator said {:?}\n  case: {:?}",
                truth.name, truth.expected, answer, truth.case
            )
        })
        .collect();
    assert!(
        failures.is_empty(),
        "{} of {} cases disagree:\n{}",
        failures.len(),
        truths.len(),
        failures.join("\n")
    );
}

#[test]
fn simulator_answers_one_by_one_and_reports_errors() {
    let Some(mut simulator) = Simulator::start() else {
        eprintln!(
            "skipped simulator_answers_one_by_one_and_reports_errors: the IAM simulator is unavailable"
        );
        return;
    };
    let get_star = policy(&[&allow("s3:Get*", "*")]);
    let allowed = SimCase::new("s3:GetObject", "arn:aws:s3:::b/k").identity(&get_star);
    assert_eq!(simulator.decide(&allowed), Ok(SimDecision::Allowed));
    let unknown_action = SimCase::new("s3:NoSuchAction", "arn:aws:s3:::b/k").identity(&get_star);
    let error = simulator.decide(&unknown_action);
    assert!(
        error.as_ref().is_err_and(|e| e.contains("invalid.action")),
        "{error:?}"
    );
    let not_json = SimCase::new("s3:GetObject", "arn:aws:s3:::b/k").identity("{not json");
    assert!(simulator.decide(&not_json).is_err());
    // A service-specific key that does not apply to the action is refused, not ignored.
    let foreign_key = allowed.clone().context("s3:prefix", &["logs/"]);
    assert!(simulator.decide(&foreign_key).is_err());
    // The process is still answering after errors.
    assert_eq!(simulator.decide(&allowed), Ok(SimDecision::Allowed));
}

#[test]
fn simulator_keeps_order_in_large_batches() {
    let Some(mut simulator) = Simulator::start() else {
        eprintln!(
            "skipped simulator_keeps_order_in_large_batches: the IAM simulator is unavailable"
        );
        return;
    };
    let get_star = policy(&[&allow("s3:Get*", "*")]);
    let cases: Vec<SimCase> = (0..3000)
        .map(|i| {
            let action = if i % 3 == 0 {
                "s3:PutObject"
            } else {
                "s3:GetObject"
            };
            SimCase::new(action, &format!("arn:aws:s3:::bucket-{i}/key")).identity(&get_star)
        })
        .collect();
    let answers = simulator.decide_all(&cases);
    assert_eq!(answers.len(), cases.len());
    for (i, answer) in answers.iter().enumerate() {
        let expected = if i % 3 == 0 {
            SimDecision::ImplicitlyDenied
        } else {
            SimDecision::Allowed
        };
        assert_eq!(answer, &Ok(expected), "case {i}");
    }
}
