//! The ACL comparison checked against a brute-force reference over thousands of generated
//! policy pairs: every request of a bounded universe (every short path over the patterns'
//! characters and one other, paths derived from the patterns, every compared operation, a
//! pool of parameter maps and wrapping TTLs) is
//! evaluated on both sides. Every difference the reference finds must be in the engine's
//! verdict, every engine witness must hold, and without parameter rules the engine must
//! always decide.

mod vault_common;

use std::collections::BTreeMap;
use std::time::Duration;

use envparity_access::Verdict;
use envparity_access::vault::{Acl, Comparison, Flavor, Identity, TokenMap, allows, compare};
use proptest::prelude::*;
use serde_json::{Value, json};
use vault_common::{brute, build, derived_paths, paths, strategies};

const SEGMENTS: &[&str] = &["a", "b", "ab", "+", ""];

fn flavor() -> impl Strategy<Value = Flavor> {
    prop_oneof![Just(Flavor::Vault), Just(Flavor::OpenBao)]
}

fn acl(side: &[Vec<(String, Value)>], flavor: Flavor) -> Acl {
    Acl::new(&build(side), flavor).expect("the ACL builds")
}

/// Every witness holds in the concrete evaluator; the verdict agrees with the witnesses.
fn witnesses_hold(c: &Comparison, staging: &Acl, production: &Acl) -> Result<(), TestCaseError> {
    for w in &c.staging_only {
        prop_assert!(
            allows(staging, &w.staging_request) && !allows(production, &w.request),
            "{w:?}"
        );
    }
    for w in &c.production_only {
        prop_assert!(
            allows(production, &w.request) && !allows(staging, &w.staging_request),
            "{w:?}"
        );
    }
    let (s, p) = (!c.staging_only.is_empty(), !c.production_only.is_empty());
    match c.verdict {
        Verdict::Equal => prop_assert!(!s && !p),
        Verdict::Broader => prop_assert!(s && !p),
        Verdict::Narrower => prop_assert!(!s && p),
        Verdict::Divergent => prop_assert!(s && p),
        Verdict::Unknown => prop_assert!(!c.unknown.is_empty()),
    }
    Ok(())
}

/// The reference's differences are all in a decided verdict.
fn covers(c: &Comparison, reference: &vault_common::Brute) -> Result<(), TestCaseError> {
    if c.verdict == Verdict::Unknown {
        return Ok(());
    }
    let (s, p) = (!c.staging_only.is_empty(), !c.production_only.is_empty());
    prop_assert!(
        (!reference.staging_only || s) && (!reference.production_only || p),
        "engine {:?}, reference {:?}",
        c.verdict,
        reference.verdict()
    );
    Ok(())
}

fn data_pool() -> Vec<BTreeMap<String, Value>> {
    let one = |pairs: &[(&str, Value)]| -> BTreeMap<String, Value> {
        pairs
            .iter()
            .map(|(k, v)| ((*k).to_string(), v.clone()))
            .collect()
    };
    vec![
        BTreeMap::new(),
        one(&[("k1", json!("v1"))]),
        one(&[("k1", json!("v2"))]),
        one(&[("k1", json!(""))]),
        one(&[("K1", json!("vx"))]),
        one(&[("k2", json!("v1"))]),
        one(&[("k1", json!("v1")), ("k2", json!("v2"))]),
        one(&[("other", json!("v1"))]),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 2000, ..ProptestConfig::default() })]

    #[test]
    fn capabilities_only(
        staging in strategies::side(SEGMENTS, false),
        production in strategies::side(SEGMENTS, false),
        flavor in flavor(),
    ) {
        let (s, p) = (acl(&staging, flavor), acl(&production, flavor));
        let c = compare(&s, &p, &Identity);
        prop_assert_ne!(c.verdict, Verdict::Unknown, "{:?}", c.unknown);
        witnesses_hold(&c, &s, &p)?;
        let mut universe = paths(&['a', 'b', '/', 'x'], 4);
        universe.extend(derived_paths(&[&staging, &production]));
        let reference = brute(&s, &p, &Identity, &universe, &[BTreeMap::new()], &[None]);
        covers(&c, &reference)?;
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 400, ..ProptestConfig::default() })]

    #[test]
    fn with_parameters_and_wrapping(
        staging in strategies::side(SEGMENTS, true),
        production in strategies::side(SEGMENTS, true),
        flavor in flavor(),
    ) {
        let (s, p) = (acl(&staging, flavor), acl(&production, flavor));
        let c = compare(&s, &p, &Identity);
        witnesses_hold(&c, &s, &p)?;
        let mut universe = paths(&['a', 'b', '/', 'x'], 2);
        universe.extend(derived_paths(&[&staging, &production]));
        let wraps = [None, Some(Duration::from_secs(50)), Some(Duration::from_secs(350)), Some(Duration::from_secs(500))];
        let reference = brute(&s, &p, &Identity, &universe, &data_pool(), &wraps);
        covers(&c, &reference)?;
    }
}

const STAGING_SEGMENTS: &[&str] = &["a", "stg", "prod", "+", ""];
const PRODUCTION_SEGMENTS: &[&str] = &["a", "prod", "stg", "+", ""];

/// The patterns of a side with `stg` renamed to `prod` (to derive paths in production's names).
fn in_production_names(side: &[Vec<(String, Value)>]) -> Vec<Vec<(String, Value)>> {
    side.iter()
        .map(|rules| {
            rules
                .iter()
                .map(|(p, b)| (p.replace("stg", "prod"), b.clone()))
                .collect()
        })
        .collect()
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 400, ..ProptestConfig::default() })]

    /// Under a `stg=prod` mapping (with names of the other environment on both sides too):
    /// witnesses hold in each side's own names, and a decided verdict covers the reference.
    #[test]
    fn under_a_mapping(
        staging in strategies::side(STAGING_SEGMENTS, false),
        production in strategies::side(PRODUCTION_SEGMENTS, false),
    ) {
        let (s, p) = (acl(&staging, Flavor::Vault), acl(&production, Flavor::Vault));
        let map = TokenMap::new([("stg".to_string(), "prod".to_string())]);
        let c = compare(&s, &p, &map);
        witnesses_hold(&c, &s, &p)?;
        let mut universe = paths(&['a', '/', 'x'], 3);
        universe.extend(derived_paths(&[&in_production_names(&staging), &production]));
        let reference = brute(&s, &p, &map, &universe, &[BTreeMap::new()], &[None]);
        covers(&c, &reference)?;
    }
}
