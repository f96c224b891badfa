//! Metamorphic properties of the GCP comparison: an environment equals itself, swapping the
//! sides swaps the verdict and the witness lists, and the same grants written differently
//! (bindings reordered, split per member or per policy, conditions rewritten into equivalent
//! forms) compare equal; renaming both sides consistently changes nothing.

mod gcp_common;

use envparity_access::Verdict;
use envparity_access::gcp::{AllowPolicy, Binding, Condition, Model, compare};
use gcp_common::{Cond, MEMBERS, Side, model, side_strategy};
use proptest::prelude::*;

/// An equivalent condition with other text: operands swapped, De Morgan, double negation.
fn rewrite(c: &Cond, variant: usize) -> Cond {
    let r = |x: &Cond| rewrite(x, variant);
    match (c, variant % 3) {
        (Cond::And(a, b), 0) => Cond::And(Box::new(r(b)), Box::new(r(a))),
        (Cond::And(a, b), 1) => Cond::Not(Box::new(Cond::Or(
            Box::new(Cond::Not(Box::new(r(a)))),
            Box::new(Cond::Not(Box::new(r(b)))),
        ))),
        (Cond::Or(a, b), 0) => Cond::Or(Box::new(r(b)), Box::new(r(a))),
        (Cond::Or(a, b), 1) => Cond::Not(Box::new(Cond::And(
            Box::new(Cond::Not(Box::new(r(a)))),
            Box::new(Cond::Not(Box::new(r(b)))),
        ))),
        (Cond::Not(a), 2) => Cond::Not(Box::new(Cond::Not(Box::new(Cond::Not(Box::new(r(a))))))),
        (Cond::And(a, b), _) => Cond::And(Box::new(r(a)), Box::new(r(b))),
        (Cond::Or(a, b), _) => Cond::Or(Box::new(r(a)), Box::new(r(b))),
        (Cond::Not(a), _) => Cond::Not(Box::new(r(a))),
        (leaf, 2) if *leaf != Cond::True => Cond::Not(Box::new(Cond::Not(Box::new(leaf.clone())))),
        (leaf, _) => leaf.clone(),
    }
}

/// The same grants written differently: every binding split per member, into one policy per
/// binding, in reverse order, with rewritten conditions; roles listed in reverse.
fn rewritten(side: &Side, variant: usize) -> Model {
    let mut rewritten_side = side.clone();
    for b in &mut rewritten_side.bindings {
        b.cond = rewrite(&b.cond, variant);
    }
    let original = model(&rewritten_side);
    let mut allow = Vec::new();
    for policy in original.allow.iter().rev() {
        for b in policy.bindings.iter().rev() {
            for m in b.members.iter().rev() {
                allow.push(AllowPolicy {
                    resource: policy.resource.clone(),
                    bindings: vec![Binding {
                        role: b.role.clone(),
                        members: vec![m.clone()],
                        condition: b.condition.clone().map(|c| Condition {
                            expression: format!("({})", c.expression),
                            title: Some("rewritten".to_string()),
                        }),
                        origin: b.origin,
                    }],
                });
            }
        }
    }
    Model { allow, ..original }
}

/// An injective renaming of the environment's names (projects, folders, accounts).
fn rename(text: &str) -> String {
    text.replace("p1", "q1")
        .replace("p2", "q2")
        .replace("folders/1", "folders/9")
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(500))]

    #[test]
    fn an_environment_equals_itself(side in side_strategy(), who in 0usize..MEMBERS.len()) {
        let m = model(&side);
        let result = compare(&m, &m, MEMBERS[who]);
        prop_assert_eq!(result.verdict, Verdict::Equal, "{:?}", result);
        prop_assert!(result.staging_only.is_empty() && result.production_only.is_empty());
    }

    #[test]
    fn swapping_sides_swaps_the_verdict(
        a in side_strategy(),
        b in side_strategy(),
        who in 0usize..MEMBERS.len(),
    ) {
        let (ma, mb) = (model(&a), model(&b));
        let forward = compare(&ma, &mb, MEMBERS[who]);
        let backward = compare(&mb, &ma, MEMBERS[who]);
        prop_assert_eq!(forward.verdict.swapped(), backward.verdict);
        prop_assert_eq!(forward.staging_only, backward.production_only);
        prop_assert_eq!(forward.production_only, backward.staging_only);
    }

    #[test]
    fn the_same_grants_written_differently_are_equal(
        side in side_strategy(),
        variant in 0usize..3,
        who in 0usize..MEMBERS.len(),
    ) {
        let m = model(&side);
        let other = rewritten(&side, variant);
        let result = compare(&m, &other, MEMBERS[who]);
        prop_assert_eq!(result.verdict, Verdict::Equal, "{:?}", result);
    }

    #[test]
    fn renaming_both_sides_changes_nothing(
        a in side_strategy(),
        b in side_strategy(),
        who in 0usize..MEMBERS.len(),
    ) {
        let (ma, mb) = (model(&a), model(&b));
        let plain = compare(&ma, &mb, MEMBERS[who]);
        let principal = rename(MEMBERS[who]);
        let renamed = compare(&ma.renamed(&rename), &mb.renamed(&rename), &principal);
        prop_assert_eq!(plain.verdict, renamed.verdict);
        prop_assert_eq!(plain.staging_only.len(), renamed.staging_only.len());
        prop_assert_eq!(plain.production_only.len(), renamed.production_only.len());
    }
}
