//! The GCP comparison and evaluator checked against a brute-force reference: generated
//! environments (hierarchy, roles, members, conditions, deny rules) are compared for one
//! principal; every witness must be a real difference under the reference evaluator, and
//! every difference among the requests of a concrete universe must show in the verdict.

mod gcp_common;

use std::sync::OnceLock;

use envparity_access::Verdict;
use envparity_access::gcp::{
    Comparison, Decision, Evaluator, Request, WITNESS_CAP, Witness, compare,
};
use gcp_common::{MEMBERS, ROLE_NAMES, Reference, Side, model, side_strategy, universe};
use proptest::prelude::*;

fn check_witnesses(
    allowing: &Side,
    denying: &Side,
    witnesses: &[Witness],
) -> Result<(), TestCaseError> {
    let (ma, md) = (model(allowing), model(denying));
    let (ra, rd) = (Reference::new(&ma, allowing), Reference::new(&md, denying));
    prop_assert!(witnesses.len() <= WITNESS_CAP);
    for (i, w) in witnesses.iter().enumerate() {
        prop_assert!(
            ra.allows(&w.request),
            "witness not granted by its side: {w:?}"
        );
        prop_assert!(
            !rd.allows(&w.request),
            "witness granted by the other side: {w:?}"
        );
        prop_assert!(!witnesses[..i].contains(w), "duplicate witness {w:?}");
    }
    Ok(())
}

/// Compares `stg` and `prd` for `principal`; the brute force visits one request in
/// `SAMPLE` of the universe, from `offset` on.
fn check(stg: &Side, prd: &Side, principal: &str, offset: usize) -> Result<(), TestCaseError> {
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
    let (rs, rp) = (Reference::new(&ms, stg), Reference::new(&mp, prd));
    let (mut stg_only, mut prd_only) = (None, None);
    for request in cached_universe(principal)
        .iter()
        .skip(offset % SAMPLE)
        .step_by(SAMPLE)
    {
        match (rs.allows(request), rp.allows(request)) {
            (true, false) => stg_only = stg_only.or(Some(request.clone())),
            (false, true) => prd_only = prd_only.or(Some(request.clone())),
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

/// The universe of each pool member, built once.
fn cached_universe(principal: &str) -> &'static [Request] {
    static ALL: OnceLock<Vec<(String, Vec<Request>)>> = OnceLock::new();
    let all = ALL.get_or_init(|| {
        MEMBERS
            .iter()
            .map(|m| (m.to_string(), universe(m)))
            .collect()
    });
    all.iter()
        .find(|(m, _)| m == principal)
        .map(|(_, u)| u.as_slice())
        .unwrap_or_default()
}

/// One request in this many of the universe is visited per case (a different offset each
/// case, so that the cases together visit all of it).
const SAMPLE: usize = 5;

/// The number of generated cases, scaled by `GCP_PROPTEST_SCALE` (a percentage).
fn cases(default: u32) -> u32 {
    let scale: u32 = std::env::var("GCP_PROPTEST_SCALE")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(100);
    (default * scale / 100).max(1)
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(cases(1000)))]

    #[test]
    fn compare_agrees_with_brute_force(
        stg in side_strategy(),
        prd in side_strategy(),
        who in 0usize..MEMBERS.len(),
        offset in 0usize..SAMPLE,
    ) {
        check(&stg, &prd, MEMBERS[who], offset)?;
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
        offset in 0usize..SAMPLE,
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
        check(&stg, &prd, MEMBERS[who], offset)?;
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(cases(100)))]

    /// The engine's evaluator decides every request of the universe like the reference.
    #[test]
    fn evaluator_agrees_with_reference(side in side_strategy(), who in 0usize..MEMBERS.len()) {
        let m = model(&side);
        let reference = Reference::new(&m, &side);
        let evaluator = Evaluator::new(&m);
        for request in cached_universe(MEMBERS[who]).iter().step_by(3) {
            let expected = if reference.allows(request) {
                Decision::Allowed
            } else {
                Decision::Denied
            };
            prop_assert_eq!(evaluator.evaluate(request), expected, "{:?}", request);
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(cases(500)))]

    /// With some role definitions missing, every proven witness and every `Equal` verdict
    /// holds for any definition of the missing roles (the same on both sides for predefined
    /// roles, independent ones for the custom role).
    #[test]
    fn proofs_hold_for_every_definition_of_missing_roles(
        stg in side_strategy(),
        prd in side_strategy(),
        missing in prop::collection::btree_set(0usize..5, 1..3),
        completion in prop::collection::vec(prop::collection::vec(0usize..6, 0..4), 5),
        custom in prop::collection::vec(0usize..6, 0..4),
        who in 0usize..MEMBERS.len(),
    ) {
        let without = |side: &Side| {
            let mut m = model(side);
            for i in &missing {
                m.roles.remove(ROLE_NAMES[*i]);
            }
            m
        };
        let result = compare(&without(&stg), &without(&prd), MEMBERS[who]);
        let complete = |side: &Side, custom_role: &[usize]| {
            let mut s = side.clone();
            for i in &missing {
                s.roles[*i] = if *i == 4 { custom_role.to_vec() } else { completion[*i].clone() };
            }
            s
        };
        let (cs, cp) = (complete(&stg, &completion[4]), complete(&prd, &custom));
        check_witnesses(&cs, &cp, &result.staging_only)?;
        check_witnesses(&cp, &cs, &result.production_only)?;
        if result.verdict == Verdict::Equal {
            let full = compare(&model(&cs), &model(&cp), MEMBERS[who]);
            prop_assert_eq!(full.verdict, Verdict::Equal, "{:?}", full);
        }
    }
}
