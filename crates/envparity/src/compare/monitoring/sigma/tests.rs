//! Unit tests of Sigma rule pairing and comparison, on rules read from small YAML texts.

use super::*;
use crate::ingest::{IngestOptions, read_bytes};
use crate::model::{Fingerprinter, Snapshot};

fn snapshot(environment: &str, text: &str) -> Snapshot {
    let fingerprinter = Fingerprinter::new(b"test-key");
    let options = IngestOptions::default();
    let snapshot = read_bytes(
        environment,
        "rules.yml",
        text.as_bytes(),
        &fingerprinter,
        &options,
    );
    assert!(
        snapshot.diagnostics.is_empty(),
        "{:?}",
        snapshot.diagnostics
    );
    snapshot
}

fn run_mapped(staging: &str, production: &str, map: &[(&str, &str)]) -> Results {
    let s = snapshot("staging", staging);
    let p = snapshot("production", production);
    let pairs: Vec<(String, String)> = map
        .iter()
        .map(|(a, b)| (a.to_string(), b.to_string()))
        .collect();
    let names = NameMap::new(&pairs);
    let ctx = Context {
        staging: &s,
        production: &p,
        names: &names,
    };
    let mut results = Results::default();
    compare(&ctx, &mut results);
    results
}

fn run(staging: &str, production: &str) -> Results {
    run_mapped(staging, production, &[])
}

fn messages(results: &Results) -> Vec<String> {
    results
        .findings
        .iter()
        .map(|f| format!("{}: {}", f.rule.id(), f.message))
        .collect()
}

const BASE: &str = "\
title: Console Login Without MFA
id: 11111111-2222-3333-4444-555555555555
status: test
level: high
logsource: {product: aws, service: cloudtrail}
detection:
  selection:
    eventName: ConsoleLogin
    additionalEventData.MFAUsed: 'No'
    recipientAccountId: '111111111111'
  filter_main_sso:
    userIdentity.arn|contains: AWSReservedSSO
  condition: selection and not 1 of filter_main_*
";

#[test]
fn identical_rules_are_quiet_and_counted() {
    let results = run(BASE, BASE);
    assert!(results.findings.is_empty(), "{:?}", messages(&results));
    assert_eq!(results.compared.get(&Dimension::Monitoring), Some(&1));
}

#[test]
fn renamed_searches_reordered_condition_and_case_are_quiet() {
    let staging = "\
id: 11111111-2222-3333-4444-555555555555
title: Console Login Without MFA (old title)
level: HIGH
status: test
logsource: {service: cloudtrail, product: AWS}
detection:
  exclude_sso:
    userIdentity.arn|CONTAINS: awsreservedsso
  login:
    recipientAccountId: 111111111111
    additionalEventData.MFAUsed: 'no'
    eventName: [ConsoleLogin, consolelogin]
  condition: (NOT exclude_sso) AND login
";
    let results = run(staging, BASE);
    assert!(results.findings.is_empty(), "{:?}", messages(&results));
}

#[test]
fn level_and_status_differences_are_named() {
    let staging = BASE
        .replace("level: high", "level: medium")
        .replace("status: test", "status: experimental");
    let results = run(&staging, BASE);
    assert_eq!(
        messages(&results),
        vec![
            "detection-rule-differs: sigma rule `Console Login Without MFA` differs between staging and production: level `high` in production, `medium` in staging; status `test` in production, `experimental` in staging."
        ]
    );
}

#[test]
fn logic_difference_names_the_first_differing_field() {
    let staging = BASE.replace("    eventName: ConsoleLogin\n", "");
    let results = run(&staging, BASE);
    let finding = &results.findings[0];
    assert_eq!(
        finding.message,
        "sigma rule `Console Login Without MFA` differs between staging and production: detection logic: search `selection`: `eventName` is [`ConsoleLogin`] in production, absent in staging."
    );
    assert_eq!(finding.evidence.production[0].line, Some(8));
    assert_eq!(finding.evidence.staging[0].line, Some(8));
    let regex = BASE
        .replace("AWSReservedSSO", "AWSReservedSSO_.*")
        .replace("|contains", "|re");
    let lower = regex.replace("AWSReservedSSO_", "awsreservedsso_");
    let results = run(&lower, &regex);
    assert_eq!(results.findings.len(), 1, "{:?}", messages(&results));
    assert!(results.findings[0].message.contains("`userIdentity.arn|re` is [`AWSReservedSSO_.*`] in production, [`awsreservedsso_.*`] in staging"));
}

#[test]
fn messages_stay_on_one_line() {
    let production = BASE.replace(
        "title: Console Login Without MFA",
        "title: |\n  Console Login\n  Without MFA",
    );
    let staging = production.replace("level: high", "level: low");
    let results = run(&staging, &production);
    assert_eq!(results.findings.len(), 1);
    let finding = &results.findings[0];
    assert!(
        finding
            .message
            .starts_with("sigma rule `Console Login Without MFA` differs"),
        "{}",
        finding.message
    );
    assert!(!finding.evidence.staging[0].detail.contains('\n'));
    assert_eq!(
        finding.subject.production.as_deref(),
        Some("Console Login Without MFA (11111111-2222-3333-4444-555555555555)")
    );
}

#[test]
fn condition_difference_is_named() {
    let staging = BASE.replace("selection and not 1 of filter_main_*", "selection");
    let results = run(&staging, BASE);
    assert_eq!(results.findings.len(), 1);
    assert!(
        results.findings[0]
            .message
            .ends_with("detection logic: condition `selection and not 1 of filter_main_*` in production, `selection` in staging."),
        "{}",
        results.findings[0].message
    );
}

#[test]
fn environment_values_are_mapped_before_comparing() {
    let staging = BASE.replace("111111111111", "999999999999");
    assert_eq!(run(&staging, BASE).findings.len(), 1);
    let results = run_mapped(&staging, BASE, &[("999999999999", "111111111111")]);
    assert!(results.findings.is_empty(), "{:?}", messages(&results));
}

#[test]
fn missing_deprecated_and_staging_only() {
    let other = BASE
        .replace(
            "11111111-2222-3333-4444-555555555555",
            "99999999-2222-3333-4444-555555555555",
        )
        .replace("Console Login Without MFA", "Other Rule");
    let deprecated = other
        .replace("99999999", "88888888")
        .replace("Other Rule", "Old Rule")
        .replace("status: test", "status: deprecated");
    let production = format!("{BASE}---\n{other}---\n{deprecated}");
    let staging = BASE.replace(
        "11111111-2222-3333-4444-555555555555",
        "77777777-2222-3333-4444-555555555555",
    );
    let results = run(&staging, &production);
    let mut rules: Vec<&str> = results.findings.iter().map(|f| f.rule.id()).collect();
    rules.sort();
    assert_eq!(rules, vec!["detection-rule-missing-in-staging"; 2]);
    assert_eq!(results.production_only.len(), 3);
    assert_eq!(
        results.staging_only,
        vec!["sigma-rule:Console Login Without MFA (77777777-2222-3333-4444-555555555555)"]
    );
    assert_eq!(results.compared.get(&Dimension::Monitoring), Some(&2));
}

#[test]
fn both_inactive_pairs_are_quiet() {
    let production = BASE.replace("status: test", "status: deprecated");
    let staging = production
        .replace("level: high", "level: low")
        .replace("ConsoleLogin", "Other");
    let results = run(&staging, &production);
    assert!(results.findings.is_empty(), "{:?}", messages(&results));
    assert_eq!(results.compared.get(&Dimension::Monitoring), Some(&1));
}

#[test]
fn rules_without_id_pair_by_title_with_environment_words_abstracted() {
    let strip = |text: &str, env: &str| {
        text.replace("id: 11111111-2222-3333-4444-555555555555\n", "")
            .replace(
                "Console Login Without MFA",
                &format!("Console Login Without MFA {env}"),
            )
    };
    let results = run(
        &strip(BASE, "Staging"),
        &strip(&BASE.replace("level: high", "level: low"), "Production"),
    );
    assert_eq!(results.findings.len(), 1, "{:?}", messages(&results));
    assert_eq!(results.findings[0].rule, Rule::DetectionRuleDiffers);
    assert_eq!(results.findings[0].confidence, Confidence::Likely);
}

#[test]
fn renamed_rules_pair_through_related() {
    let production = BASE.replace(
        "11111111-2222-3333-4444-555555555555",
        "22222222-2222-3333-4444-555555555555",
    ) + "related:\n  - id: 11111111-2222-3333-4444-555555555555\n    type: renamed\n";
    let results = run(BASE, &production);
    assert!(results.findings.is_empty(), "{:?}", messages(&results));
    assert!(results.production_only.is_empty());
}

mod properties {
    //! Metamorphic properties of the canonical form: renaming searches, reordering fields,
    //! values and `and`/`or` operands, and changing keyword case never make a difference.

    use super::*;
    use proptest::prelude::*;

    const FIELDS: [&str; 4] = ["eventName", "eventSource", "user|contains", "path|endswith"];
    const VALUES: [&str; 4] = ["A", "b", "C d", "*x"];

    #[derive(Debug, Clone)]
    enum Cond {
        Search(usize),
        Not(Box<Cond>),
        And(Vec<Cond>),
        Or(Vec<Cond>),
    }

    fn cond(searches: usize) -> impl Strategy<Value = Cond> {
        let leaf = (0..searches).prop_map(Cond::Search);
        leaf.prop_recursive(3, 12, 3, |inner| {
            prop_oneof![
                inner.clone().prop_map(|c| Cond::Not(Box::new(c))),
                prop::collection::vec(inner.clone(), 2..4).prop_map(Cond::And),
                prop::collection::vec(inner, 2..4).prop_map(Cond::Or),
            ]
        })
    }

    fn render(c: &Cond, name: &dyn Fn(usize) -> String, reverse: bool, upper: bool) -> String {
        let word = |w: &str| {
            if upper {
                w.to_uppercase()
            } else {
                w.to_string()
            }
        };
        let group = |items: &[Cond], op: &str| {
            let mut parts: Vec<String> = items
                .iter()
                .map(|i| render(i, name, reverse, upper))
                .collect();
            if reverse {
                parts.reverse();
            }
            format!("({})", parts.join(&format!("  {}\t", word(op))))
        };
        match c {
            Cond::Search(i) => name(*i),
            Cond::Not(inner) => format!("{} {}", word("not"), render(inner, name, reverse, upper)),
            Cond::And(items) => group(items, "and"),
            Cond::Or(items) => group(items, "or"),
        }
    }

    type Search = Vec<(usize, Vec<usize>)>;

    fn rule_text(
        searches: &[Search],
        condition: &str,
        name: &dyn Fn(usize) -> String,
        reverse: bool,
    ) -> String {
        let mut out = String::from(
            "title: Generated\nid: 12345678-0000-4000-8000-000000000000\nlogsource: {product: aws}\ndetection:\n",
        );
        for (i, fields) in searches.iter().enumerate() {
            out.push_str(&format!("  {}:\n", name(i)));
            let mut fields = fields.clone();
            if reverse {
                fields.reverse();
            }
            for (field, values) in fields {
                let mut values: Vec<String> =
                    values.iter().map(|v| format!("'{}'", VALUES[*v])).collect();
                if reverse {
                    values.reverse();
                }
                out.push_str(&format!("    {}: [{}]\n", FIELDS[field], values.join(", ")));
            }
        }
        out.push_str(&format!("  condition: \"{condition}\"\n"));
        out
    }

    fn searches() -> impl Strategy<Value = Vec<Search>> {
        prop::collection::vec(
            prop::collection::btree_map(
                0..FIELDS.len(),
                prop::collection::vec(0..VALUES.len(), 1..3),
                1..3,
            )
            .prop_map(|m| m.into_iter().collect::<Search>()),
            1..4,
        )
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(64))]
        #[test]
        fn rewriting_a_rule_without_changing_its_logic_is_quiet(
            (searches, condition) in searches().prop_flat_map(|s| {
                let n = s.len();
                (Just(s), cond(n))
            })
        ) {
            let original = |i: usize| format!("selection_{i}");
            let renamed = |i: usize| format!("renamed_{}_x", 9 - i);
            let production = rule_text(&searches, &render(&condition, &original, false, false), &original, false);
            let staging = rule_text(&searches, &render(&condition, &renamed, true, true), &renamed, true);
            let results = run(&staging, &production);
            prop_assert!(results.findings.is_empty(), "{:?}\n{staging}\n{production}", messages(&results));
        }

        #[test]
        fn a_changed_value_is_a_difference(searches in searches()) {
            let name = |i: usize| format!("s{i}");
            let condition = (0..searches.len()).map(name).collect::<Vec<_>>().join(" and ");
            let production = rule_text(&searches, &condition, &name, false);
            let mut changed = searches.clone();
            changed[0][0].1 = vec![VALUES.len() - 1];
            changed[0][0].1.push(0);
            let set = |v: &[usize]| v.iter().copied().collect::<std::collections::BTreeSet<_>>();
            prop_assume!(set(&changed[0][0].1) != set(&searches[0][0].1));
            let staging = rule_text(&changed, &condition, &name, false);
            let results = run(&staging, &production);
            prop_assert_eq!(results.findings.len(), 1);
        }
    }
}
