//! Terraform states give the same findings as the AWS CLI dumps of the same resources.
//!
//! Each scenario (the AWS scenarios of `tests/aws/`, described once here) is written twice
//! per environment: as the dumps users take (`get-account-authorization-details`,
//! `list-secrets`, `describe-trails` with `get-trail-status` and `get-event-selectors`,
//! `describe-security-groups`, `describe-log-groups`), and as the `terraform show -json`
//! state of the Terraform that creates those resources. Staging's state writes inline
//! policies, inline rules and rotation inside their owners; production's uses separate
//! resources inside a child module: both styles must lower to the same model. The test
//! asserts the exact rule ids, and that both inputs give the same findings (rule, subject
//! and fingerprint), and so do the state files (`terraform.tfstate`) of the same resources; a
//! state pair compared with itself gives nothing.

mod native;
mod scenarios;
mod state;

use scenarios::{Env, scenarios};

use crate::support::{compare, findings, problems, rules};

#[test]
fn terraform_states_give_the_findings_of_native_dumps() {
    let work = tempfile::tempdir().expect("temporary directory");
    let mut failures = Vec::new();
    for scenario in scenarios() {
        let name = scenario.name;
        let mappings: Vec<(&str, &str)> = scenario
            .mappings
            .iter()
            .map(|(from, to)| (from.as_str(), to.as_str()))
            .collect();
        let dir = work.path().join(name);
        let (native_stg, native_prd) = (dir.join("native/staging"), dir.join("native/production"));
        let (tf_stg, tf_prd) = (
            dir.join("terraform/staging"),
            dir.join("terraform/production"),
        );
        native::write(&scenario.staging, &native_stg);
        native::write(&scenario.production, &native_prd);
        state::write(&scenario.staging, state::Style::Inline, &tf_stg);
        state::write(&scenario.production, state::Style::Separate, &tf_prd);

        let native = compare(&native_stg, &native_prd, &mappings);
        let terraform = compare(&tf_stg, &tf_prd, &mappings);
        for (what, outcome) in [("native", &native), ("terraform", &terraform)] {
            let found = problems(outcome);
            if !found.is_empty() {
                failures.push(format!("{name} ({what}): diagnostics {found:?}"));
            }
            let expected: Vec<String> = scenario.expected.iter().map(|s| s.to_string()).collect();
            if rules(outcome) != expected {
                failures.push(format!(
                    "{name} ({what}): expected {expected:?}, found {:?}",
                    rules(outcome)
                ));
            }
        }
        // The state files (`terraform.tfstate`) of the same resources.
        let files = compare(
            &dir.join("terraform/staging-file"),
            &dir.join("terraform/production-file"),
            &mappings,
        );
        if !problems(&files).is_empty() || findings(&files) != findings(&terraform) {
            failures.push(format!(
                "{name}: state files differ from their show -json form: {:?} {:?}",
                problems(&files),
                findings(&files)
            ));
        }
        if findings(&native) != findings(&terraform) {
            failures.push(format!(
                "{name}: native and terraform differ:\n  native    {:?}\n  terraform {:?}",
                findings(&native),
                findings(&terraform)
            ));
        }
        // A state compared with itself (the very same file, then a copy) has no parity finding.
        let same = rules(&compare(&tf_stg, &tf_stg, &mappings));
        if !same.is_empty() {
            failures.push(format!("{name}: compare(staging, staging) found {same:?}"));
        }
        let copy = dir.join("terraform/copy");
        std::fs::create_dir_all(&copy).expect("copy folder");
        std::fs::copy(tf_prd.join("state.json"), copy.join("state.json")).expect("copy");
        // Outside parity, a copy shares every identity with its original: that is reported.
        let copied: Vec<&str> = compare(&tf_prd, &copy, &[])
            .report
            .findings
            .iter()
            .filter(|f| f.rule.is_parity_rule())
            .map(|f| f.rule.id())
            .collect();
        if !copied.is_empty() {
            failures.push(format!(
                "{name}: compare(production, its copy) found {copied:?}"
            ));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}
