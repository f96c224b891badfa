//! Metamorphic properties of the ACL comparison: an ACL equals itself, swapping the sides
//! swaps the verdict and the witness lists, the same rules reordered or split across policies
//! compare equal, and renaming one environment's names consistently (with the mapping)
//! changes nothing.

mod vault_common;

use envparity_access::Verdict;
use envparity_access::vault::{Acl, Flavor, Identity, TokenMap, compare};
use proptest::prelude::*;
use serde_json::Value;
use vault_common::{build, policy, strategies};

const SEGMENTS: &[&str] = &["a", "b", "ab", "+", ""];
const TOKENS: &[&str] = &["a", "e", "+", ""];

type Side = Vec<Vec<(String, Value)>>;

fn acl(side: &Side) -> Acl {
    Acl::new(&build(side), Flavor::Vault).expect("the ACL builds")
}

/// The side with every segment `e` of its patterns replaced by `word`.
fn named(side: &Side, word: &str) -> Side {
    side.iter()
        .map(|rules| {
            rules
                .iter()
                .map(|(pattern, body)| {
                    let renamed: Vec<&str> = pattern
                        .split('/')
                        .map(|s| match s {
                            "e" => word,
                            "e*" => "GLOB",
                            other => other,
                        })
                        .collect();
                    let text = renamed.join("/").replace("GLOB", &format!("{word}*"));
                    (text, body.clone())
                })
                .collect()
        })
        .collect()
}

fn requests(ws: &[envparity_access::vault::Witness]) -> Vec<String> {
    let mut out: Vec<String> = ws
        .iter()
        .map(|w| serde_json::to_string(&w.request).unwrap_or_default())
        .collect();
    out.sort();
    out
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 600, ..ProptestConfig::default() })]

    #[test]
    fn an_acl_equals_itself(side in strategies::side(SEGMENTS, true)) {
        let a = acl(&side);
        let c = compare(&a, &a, &Identity);
        prop_assert_eq!(c.verdict, Verdict::Equal, "{:?}", c.unknown);
    }

    #[test]
    fn swapping_sides_swaps_directions(
        staging in strategies::side(SEGMENTS, true),
        production in strategies::side(SEGMENTS, true),
    ) {
        let (s, p) = (acl(&staging), acl(&production));
        let forward = compare(&s, &p, &Identity);
        let backward = compare(&p, &s, &Identity);
        prop_assert_eq!(forward.verdict.swapped(), backward.verdict);
        if forward.verdict != Verdict::Unknown {
            prop_assert_eq!(requests(&forward.staging_only), requests(&backward.production_only));
            prop_assert_eq!(requests(&forward.production_only), requests(&backward.staging_only));
        }
    }

    #[test]
    fn reordered_and_split_policies_are_equal(side in strategies::side(SEGMENTS, true)) {
        let original = acl(&side);
        // Policies and rules in reverse order.
        let reversed: Side = side
            .iter()
            .rev()
            .map(|rules| rules.iter().rev().cloned().collect())
            .collect();
        let c = compare(&original, &acl(&reversed), &Identity);
        prop_assert_eq!(c.verdict, Verdict::Equal, "{:?}", c.unknown);
        // Every rule in a policy of its own.
        let split: Side = side.iter().flatten().map(|rule| vec![rule.clone()]).collect();
        let c = compare(&original, &acl(&split), &Identity);
        prop_assert_eq!(c.verdict, Verdict::Equal, "{:?}", c.unknown);
    }

    #[test]
    fn renaming_by_the_mapping_changes_nothing(side in strategies::side(TOKENS, true)) {
        let staging = acl(&named(&side, "stg"));
        let production = acl(&named(&side, "prod"));
        let map = TokenMap::new([("stg".to_string(), "prod".to_string())]);
        let c = compare(&staging, &production, &map);
        // A glob that ends inside the renamed token cannot be renamed exactly.
        let glob_in_token = side.iter().flatten().any(|(p, _)| p.ends_with("e*"));
        if glob_in_token {
            prop_assert_eq!(c.verdict, Verdict::Unknown);
        } else {
            prop_assert_eq!(c.verdict, Verdict::Equal, "{:?}", c.unknown);
        }
    }
}

#[test]
fn renaming_applies_to_parameter_values() {
    let side = |env: &str| {
        policy(
            "p",
            &[(
                &format!("auth/{env}/role/+"),
                serde_json::json!({"capabilities": ["update"],
                                   "allowed_parameters": {"bound_namespace": [format!("app-{env}")]}}),
            )],
        )
    };
    let staging = Acl::new(&[side("stg")], Flavor::Vault).expect("builds");
    let production = Acl::new(&[side("prod")], Flavor::Vault).expect("builds");
    let map = TokenMap::new([("stg".to_string(), "prod".to_string())]);
    assert_eq!(compare(&staging, &production, &map).verdict, Verdict::Equal);
}
