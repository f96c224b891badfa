//! The IAM comparison and evaluator checked against the reference evaluator of `aws_common` over
//! a concrete universe of requests: pool values, random strings, and random condition contexts
//! (absent keys, single values, multivalued lists, odd spellings of the keys).

mod aws_common;

use std::collections::BTreeMap;

use aws_common::{Side, req, side_strategy};
use envparity_access::Verdict;
use envparity_access::aws::{
    ActionCatalog, Comparison, Decision, Request, WITNESS_CAP, Witness, compare, evaluate,
};
use proptest::prelude::*;
use proptest::sample::select;

type Context = BTreeMap<String, Vec<String>>;

/// Spellings of a key, and the values it may take (`None`: absent).
type Pool = (Vec<&'static str>, Vec<Option<Vec<&'static str>>>);

fn context_pools() -> Vec<Pool> {
    vec![
        (
            vec!["aws:PrincipalTag/team", "AWS:principaltag/TEAM"],
            vec![
                None,
                Some(vec!["a"]),
                Some(vec!["A"]),
                Some(vec!["b"]),
                Some(vec!["ab"]),
                Some(vec!["a", "b"]),
                Some(vec![]),
                Some(vec!["c", "c"]),
                Some(vec!["?"]),
            ],
        ),
        (
            vec!["aws:TagKeys"],
            vec![
                None,
                Some(vec!["a"]),
                Some(vec!["b"]),
                Some(vec!["bx"]),
                Some(vec!["a", "b"]),
                Some(vec!["a", "c"]),
                Some(vec![]),
                Some(vec!["b", "bc"]),
                Some(vec!["a", "a"]),
            ],
        ),
        (
            vec!["s3:max-keys"],
            vec![
                None,
                Some(vec!["3"]),
                Some(vec!["5"]),
                Some(vec!["7"]),
                Some(vec!["10"]),
                Some(vec!["11"]),
                Some(vec!["x"]),
                Some(vec!["3", "4"]),
            ],
        ),
        (
            vec!["aws:SecureTransport", "aws:securetransport"],
            vec![
                None,
                Some(vec!["true"]),
                Some(vec!["false"]),
                Some(vec!["TRUE"]),
                Some(vec!["yes"]),
                Some(vec![]),
            ],
        ),
        (
            vec!["aws:SourceIp"],
            vec![
                None,
                Some(vec!["10.1.2.3"]),
                Some(vec!["10.2.0.1"]),
                Some(vec!["192.168.0.1"]),
                Some(vec!["2001:db8::1"]),
                Some(vec!["::1"]),
                Some(vec!["x"]),
            ],
        ),
        (
            vec!["aws:TokenIssueTime"],
            vec![None, Some(vec!["2024-01-01T00:00:00Z"]), Some(vec![])],
        ),
        (
            vec!["aws:SourceArn"],
            vec![
                None,
                Some(vec!["arn:aws:s3:::bucket/x"]),
                Some(vec!["arn:aws:iam::1:role/x"]),
                Some(vec!["arn:aws:iam::1:2:role/x"]),
                Some(vec!["x"]),
            ],
        ),
    ]
}

fn context_strategy() -> impl Strategy<Value = Context> {
    let parts: Vec<_> = context_pools()
        .into_iter()
        .map(|(spellings, values)| (select(spellings), select(values)))
        .collect();
    parts.prop_map(|choices| {
        choices
            .into_iter()
            .filter_map(|(key, value)| {
                value.map(|v| (key.to_string(), v.iter().map(|s| s.to_string()).collect()))
            })
            .collect()
    })
}

#[derive(Debug, Clone)]
struct Universe {
    actions: Vec<String>,
    resources: Vec<String>,
    contexts: Vec<Context>,
}

fn universe_strategy() -> impl Strategy<Value = Universe> {
    (
        "[a-z0-9]{1,3}:[a-zA-Z]{0,5}",
        "arn:aws:[a-z3]{1,3}:[a-z:]{0,3}:[a-z/*]{0,5}",
        prop::collection::vec(context_strategy(), 12),
    )
        .prop_map(|(action, resource, mut contexts)| {
            let owned = |xs: &[&str]| xs.iter().map(|x| x.to_string()).collect::<Vec<_>>();
            contexts.push(Context::new());
            Universe {
                actions: [
                    owned(&[
                        "s3:GetObject",
                        "S3:GETOBJECT",
                        "s3:PutObject",
                        "s3:GetBucketPolicy",
                        "s3:ListBucket",
                        "ec2:DescribeInstances",
                        "ec2:RunInstances",
                        "iam:CreateUser",
                        "sts:GetCallerIdentity",
                        "x",
                    ]),
                    vec![action],
                ]
                .concat(),
                resources: [
                    owned(&[
                        "arn:aws:s3:::bucket/a",
                        "arn:aws:s3:::bucket/ab",
                        "arn:aws:s3:::bucket/a:b",
                        "arn:aws:s3:::bucket",
                        "arn:aws:s3:::bocket/x",
                        "arn:aws:iam::111:role/x",
                        "arn:aws:iam::1:2:role/x",
                        "",
                    ]),
                    vec![resource],
                ]
                .concat(),
                contexts,
            }
        })
}

impl Universe {
    fn for_each(&self, mut visit: impl FnMut(&Request) -> bool) {
        let mut r = req("", "", &[]);
        for a in &self.actions {
            for res in &self.resources {
                for ctx in &self.contexts {
                    r.action.clone_from(a);
                    r.resource.clone_from(res);
                    r.context.clone_from(ctx);
                    if !visit(&r) {
                        return;
                    }
                }
            }
        }
    }
}

fn catalog() -> ActionCatalog {
    ActionCatalog::parse(
        "s3:GetObject\ns3:PutObject\ns3:GetBucketPolicy\ns3:ListBucket\nec2:DescribeInstances\nec2:RunInstances\niam:CreateUser\nsts:AssumeRole\n",
    )
}

fn check_witnesses(side: &Side, other: &Side, witnesses: &[Witness]) -> Result<(), TestCaseError> {
    prop_assert!(witnesses.len() <= WITNESS_CAP);
    let (mine, theirs) = (side.policies(), other.policies());
    for (i, w) in witnesses.iter().enumerate() {
        let r = &w.request;
        prop_assert!(
            side.allows(r),
            "reference: witness not allowed by its side: {w:?}"
        );
        prop_assert!(
            !other.allows(r),
            "reference: witness allowed by the other side: {w:?}"
        );
        prop_assert_eq!(evaluate(&mine, r), Decision::Allow);
        prop_assert!(evaluate(&theirs, r) != Decision::Allow);
        prop_assert!(!witnesses[..i].contains(w), "duplicate witness {w:?}");
    }
    Ok(())
}

fn check(stg: &Side, prd: &Side, universe: &Universe) -> Result<(), TestCaseError> {
    let (sp, pp) = (stg.policies(), prd.policies());
    let Comparison {
        verdict,
        staging_only,
        production_only,
        unknown,
    } = compare(&sp, &pp, &catalog());
    prop_assert!(unknown.is_empty(), "unknown: {unknown:?}");
    check_witnesses(stg, prd, &staging_only)?;
    check_witnesses(prd, stg, &production_only)?;
    let (says_stg, says_prd) = match verdict {
        Verdict::Equal => (false, false),
        Verdict::Broader => (true, false),
        Verdict::Narrower => (false, true),
        Verdict::Divergent => (true, true),
        Verdict::Unknown => return Err(TestCaseError::fail("unknown verdict")),
    };
    prop_assert_eq!(says_stg, !staging_only.is_empty());
    prop_assert_eq!(says_prd, !production_only.is_empty());
    let mut failure = None;
    universe.for_each(|r| {
        let (s, p) = (stg.allows(r), prd.allows(r));
        // The evaluator agrees with the reference...
        if (evaluate(&sp, r) == Decision::Allow) != s || (evaluate(&pp, r) == Decision::Allow) != p
        {
            failure = Some(format!("evaluator and reference disagree on {r:?}"));
        }
        // ... and no difference of the universe escapes the verdict.
        if s && !p && !says_stg {
            failure = Some(format!(
                "staging-only request {r:?} missed, verdict {verdict:?}"
            ));
        }
        if p && !s && !says_prd {
            failure = Some(format!(
                "production-only request {r:?} missed, verdict {verdict:?}"
            ));
        }
        failure.is_none()
    });
    if let Some(f) = failure {
        return Err(TestCaseError::fail(f));
    }
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    #[test]
    fn compare_agrees_with_the_reference(
        stg in side_strategy(),
        prd in side_strategy(),
        universe in universe_strategy(),
    ) {
        check(&stg, &prd, &universe)?;
    }

    /// Production a perturbation of staging, so that near-equal policies are common.
    #[test]
    fn compare_agrees_on_near_equal_policies(
        stg in side_strategy(),
        extra in aws_common::statement_strategy(),
        drop in 0usize..3,
        universe in universe_strategy(),
    ) {
        let mut prd = stg.clone();
        if let Some(first) = prd.identity.first_mut() {
            if drop < first.len() && first.len() > 1 {
                first.remove(drop);
            } else {
                first.push(extra);
            }
        }
        check(&stg, &prd, &universe)?;
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(200))]

    /// One action and resource, so that the conditions (missing keys, multivalued lists, set
    /// operators, typed values) decide every difference.
    #[test]
    fn compare_agrees_on_conditions(
        stg in aws_common::condition_side_strategy(),
        prd in aws_common::condition_side_strategy(),
        contexts in prop::collection::vec(context_strategy(), 40),
    ) {
        let universe = Universe {
            actions: vec!["s3:GetObject".to_string()],
            resources: vec!["arn:aws:s3:::bucket/a".to_string()],
            contexts,
        };
        check(&stg, &prd, &universe)?;
    }
}
