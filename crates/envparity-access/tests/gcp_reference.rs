//! The GCP comparison and evaluator checked against a brute-force reference: generated
//! environments (hierarchy, roles, members, conditions, deny rules) are compared for one
//! principal; every witness must be a real difference under the reference evaluator, and
//! every difference among the requests of a concrete universe must show in the verdict.

mod gcp_common;

use envparity_access::Verdict;
use envparity_access::gcp::{Comparison, Decision, Evaluator, WITNESS_CAP, Witness, compare};
use gcp_common::{
    MEMBERS, Side, conditions, model, reference_allows, side_strategy, universe,
};
use proptest::prelude::*;

fn check_witnesses(
    allowing: &Side,
    denying: &Side,
    witnesses: &[Witness],
) -> Result<(), TestCaseError> {
    let (ma, md) = (model(allowing), model(denying));
    let (ca, cd) = (conditions(allowing), conditions(denying));
    prop_assert!(witnesses.len() <= WITNESS_CAP);
    for (i, w) in witnesses.iter().enumerate() {
        prop_assert!(
            reference_allows(&ma, &ca, &w.request),
            "witness not granted by its side: {w:?}"
        );
        prop_assert!(
            !reference_allows(&md, &cd, &w.request),
            "witness granted by the other side: {w:?}"
        );
        prop_assert!(!witnesses[..i].contains(w), "duplicate witness {w:?}");
    }
    Ok(())
}

fn check(stg: &Side, prd: &Side, principal: &str) -> Result<(), TestCaseError> {
    let (ms, mp) = (model(stg), model(prd));
    let Comparison {
        verdict,
        staging_only,
        production_only,
        unknown,
    } = compare(&ms, &mp, principal);
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
    let (cs, cp) = (conditions(stg), conditions(prd));
    let (mut stg_only, mut prd_only) = (None, None);
    for request in universe(principal) {
        match (
            reference_allows(&ms, &cs, &request),
            reference_allows(&mp, &cp, &request),
        ) {
            (true, false) => stg_only = stg_only.or(Some(request)),
            (false, true) => prd_only = prd_only.or(Some(request)),
            _ => {}
        }
        if stg_only.is_some() && prd_only.is_some() {
            break;
        }
    }
    prop_assert!(
        stg_only.is_none() || says_stg,
        "universe has a staging-only request {stg_only:?}, verdict {verdict:?}"
    );
    prop_assert!(
        prd_only.is_none() || says_prd,
        "universe has a production-only request {prd_only:?}, verdict {verdict:?}"
    );
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(1500))]

    #[test]
    fn compare_agrees_with_brute_force(
        stg in side_strategy(),
        prd in side_strategy(),
        who in 0usize..MEMBERS.len(),
    ) {
        check(&stg, &prd, MEMBERS[who])?;
    }

    /// Production a perturbation of staging (a binding dropped, a role changed), so that
    /// near-equal environments are common.
    #[test]
    fn compare_agrees_on_near_equal_environments(
        stg in side_strategy(),
        drop in 0usize..6,
        role in 0usize..5,
        permission in 0usize..6,
        who in 0usize..MEMBERS.len(),
    ) {
        let mut prd = stg.clone();
        if drop < prd.bindings.len() {
            prd.bindings.remove(drop);
        }
        if let Some(perms) = prd.roles.get_mut(role) {
            if perms.contains(&permission) {
                perms.retain(|p| *p != permission);
            } else {
                perms.push(permission);
            }
        }
        check(&stg, &prd, MEMBERS[who])?;
        check(&prd, &stg, MEMBERS[who])?;
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(150))]

    /// The engine's evaluator decides every request of the universe like the reference.
    #[test]
    fn evaluator_agrees_with_reference(side in side_strategy(), who in 0usize..MEMBERS.len()) {
        let m = model(&side);
        let c = conditions(&side);
        let evaluator = Evaluator::new(&m);
        for request in universe(MEMBERS[who]) {
            let expected = if reference_allows(&m, &c, &request) {
                Decision::Allowed
            } else {
                Decision::Denied
            };
            prop_assert_eq!(evaluator.evaluate(&request), expected, "{:?}", request);
        }
    }
}
