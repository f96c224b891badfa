//! Metamorphic properties of the IAM comparison: a principal equals itself, swapping the sides
//! swaps the verdict and the witness lists, and the same permissions written differently
//! (statements split per action and per resource, lists reordered) compare equal.

mod aws_common;

use aws_common::{Side, side_strategy};
use envparity_access::Verdict;
use envparity_access::aws::{ActionCatalog, compare};
use proptest::prelude::*;
use serde_json::Value;

fn catalog() -> ActionCatalog {
    ActionCatalog::parse("s3:GetObject\ns3:PutObject\nec2:DescribeInstances\n")
}

/// One statement per (action, resource) pair when the statement lists patterns positively;
/// lists reversed otherwise.
fn rewrite(statements: &[Value]) -> Vec<Value> {
    let mut out = Vec::new();
    for s in statements.iter().rev() {
        let list = |k: &str| s.get(k).and_then(Value::as_array).cloned();
        match (list("Action"), list("Resource")) {
            (Some(actions), Some(resources)) => {
                for a in actions.iter().rev() {
                    for r in &resources {
                        let mut one = s.clone();
                        one["Action"] = a.clone();
                        one["Resource"] = Value::Array(vec![r.clone()]);
                        out.push(one);
                    }
                }
            }
            _ => {
                let mut one = s.clone();
                for k in ["NotAction", "NotResource", "Action", "Resource"] {
                    if let Some(Value::Array(items)) = one.get_mut(k) {
                        items.reverse();
                    }
                }
                out.push(one);
            }
        }
    }
    out
}

fn rewrite_side(side: &Side) -> Side {
    Side {
        identity: side.identity.iter().rev().map(|p| rewrite(p)).collect(),
        boundary: side.boundary.as_ref().map(|p| rewrite(p)),
        scps: side
            .scps
            .iter()
            .map(|level| level.iter().map(|p| rewrite(p)).collect())
            .collect(),
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(80))]

    #[test]
    fn a_principal_equals_itself(x in side_strategy()) {
        let p = x.policies();
        let result = compare(&p, &p, &catalog());
        prop_assert_eq!(result.verdict, Verdict::Equal);
        prop_assert!(result.staging_only.is_empty() && result.production_only.is_empty());
    }

    #[test]
    fn swapping_sides_swaps_the_result(x in side_strategy(), y in side_strategy()) {
        let (px, py) = (x.policies(), y.policies());
        let forward = compare(&px, &py, &catalog());
        let backward = compare(&py, &px, &catalog());
        prop_assert_eq!(forward.verdict, backward.verdict.swapped());
        prop_assert_eq!(&forward.staging_only, &backward.production_only);
        prop_assert_eq!(&forward.production_only, &backward.staging_only);
    }

    #[test]
    fn rewriting_the_same_permissions_is_equal(x in side_strategy()) {
        let result = compare(&x.policies(), &rewrite_side(&x).policies(), &catalog());
        prop_assert_eq!(result.verdict, Verdict::Equal, "{:?}", result);
    }
}
