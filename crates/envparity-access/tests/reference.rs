//! The RBAC comparison checked against a brute-force reference: every request of a large
//! concrete universe is evaluated on both sides with the concrete authorizer. Resources and
//! subresources of the universe contain no `/`, like every request the API server produces.

mod common;

use common::{side_strategy, url_side_strategy};
use envparity_access::Verdict;
use envparity_access::k8s::{
    Comparison, Request, ResourceRequest, ScopedRule, WITNESS_CAP, Witness, allows, compare,
};
use proptest::prelude::*;

/// Values a random string may add to one dimension of the universe.
fn random_word() -> impl Strategy<Value = String> {
    "[a-z]{1,4}"
}

/// Pool values (with and without the rules' literals) plus random strings, per dimension.
#[derive(Debug, Clone)]
struct Universe {
    verbs: Vec<String>,
    groups: Vec<String>,
    resources: Vec<String>,
    subresources: Vec<Option<String>>,
    names: Vec<Option<String>>,
    namespaces: Vec<Option<String>>,
    urls: Vec<String>,
}

fn universe_strategy() -> impl Strategy<Value = Universe> {
    (
        random_word(),
        random_word(),
        random_word(),
        random_word(),
        random_word(),
        "/[a-z/]{0,6}",
    )
        .prop_map(|(v, g, r, s, n, u)| {
            let owned = |xs: &[&str]| xs.iter().map(|x| x.to_string()).collect::<Vec<_>>();
            let opt = |xs: &[&str]| xs.iter().map(|x| Some(x.to_string())).collect::<Vec<_>>();
            let mut subresources = vec![None];
            subresources.extend(opt(&["status", "scale", "", "*"]));
            subresources.push(Some(s));
            let mut names = vec![None];
            names.extend(opt(&["a", "b"]));
            names.push(Some(n));
            let mut namespaces = vec![None];
            namespaces.extend(opt(&["ns1", "ns2"]));
            namespaces.push(Some(format!("{v}-ns")));
            let mut urls = owned(&[
                "",
                "/",
                "/api",
                "/api/",
                "/api/v1",
                "/apis",
                "/apis/apps",
                "/ap",
                "/healthz",
                "/x",
                "/xy",
                "/x/y",
            ]);
            urls.push(u);
            Universe {
                verbs: [owned(&["get", "list", "Get", "*", "watch"]), vec![v]].concat(),
                groups: [owned(&["", "apps", "*"]), vec![g]].concat(),
                resources: [
                    owned(&["pods", "deployments", "*", "secrets", "a"]),
                    vec![r],
                ]
                .concat(),
                subresources,
                names,
                namespaces,
                urls,
            }
        })
}

impl Universe {
    /// Calls `visit` on every request of the universe (one reused value, no allocation per
    /// request) until it returns `false`.
    fn for_each_request(&self, mut visit: impl FnMut(&Request) -> bool) {
        let mut req = Request::Resource(ResourceRequest {
            verb: String::new(),
            api_group: String::new(),
            resource: String::new(),
            subresource: None,
            namespace: None,
            name: None,
        });
        for verb in &self.verbs {
            for group in &self.groups {
                for resource in &self.resources {
                    for sub in &self.subresources {
                        for name in &self.names {
                            for ns in &self.namespaces {
                                if let Request::Resource(r) = &mut req {
                                    r.verb.clone_from(verb);
                                    r.api_group.clone_from(group);
                                    r.resource.clone_from(resource);
                                    r.subresource.clone_from(sub);
                                    r.name.clone_from(name);
                                    r.namespace.clone_from(ns);
                                }
                                if !visit(&req) {
                                    return;
                                }
                            }
                        }
                    }
                }
            }
            for url in &self.urls {
                let non_resource = Request::NonResource {
                    verb: verb.clone(),
                    url: url.clone(),
                };
                if !visit(&non_resource) {
                    return;
                }
            }
        }
    }
}

/// Whether the universe holds a staging-only and a production-only request.
fn brute_force(stg: &[ScopedRule], prd: &[ScopedRule], universe: &Universe) -> (bool, bool) {
    let (mut stg_only, mut prd_only) = (false, false);
    universe.for_each_request(|req| {
        match (allows(stg, req), allows(prd, req)) {
            (true, false) => stg_only = true,
            (false, true) => prd_only = true,
            _ => {}
        }
        !(stg_only && prd_only)
    });
    (stg_only, prd_only)
}

fn check_witnesses(
    side: &[ScopedRule],
    other: &[ScopedRule],
    witnesses: &[Witness],
) -> Result<(), TestCaseError> {
    prop_assert!(witnesses.len() <= WITNESS_CAP);
    for (i, w) in witnesses.iter().enumerate() {
        prop_assert!(
            allows(side, &w.request),
            "witness not granted by its side: {w:?}"
        );
        prop_assert!(
            !allows(other, &w.request),
            "witness granted by the other side: {w:?}"
        );
        prop_assert!(!witnesses[..i].contains(w), "duplicate witness {w:?}");
    }
    Ok(())
}

fn check(stg: &[ScopedRule], prd: &[ScopedRule], universe: &Universe) -> Result<(), TestCaseError> {
    let Comparison {
        verdict,
        staging_only,
        production_only,
    } = compare(stg, prd);
    // (a) every witness is a real difference.
    check_witnesses(stg, prd, &staging_only)?;
    check_witnesses(prd, stg, &production_only)?;
    // Witness lists exist exactly in the directions the verdict names.
    let (says_stg, says_prd) = match verdict {
        Verdict::Equal => (false, false),
        Verdict::Broader => (true, false),
        Verdict::Narrower => (false, true),
        Verdict::Divergent => (true, true),
        Verdict::Unknown => return Err(TestCaseError::fail("unknown verdict for plain rules")),
    };
    prop_assert_eq!(says_stg, !staging_only.is_empty());
    prop_assert_eq!(says_prd, !production_only.is_empty());
    // (b), (c) no difference of the universe escapes the verdict.
    let (stg_only, prd_only) = brute_force(stg, prd, universe);
    prop_assert!(
        !stg_only || says_stg,
        "universe has a staging-only request, verdict {verdict:?}"
    );
    prop_assert!(
        !prd_only || says_prd,
        "universe has a production-only request, verdict {verdict:?}"
    );
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(2000))]

    #[test]
    fn compare_agrees_with_brute_force(
        stg in side_strategy(),
        prd in side_strategy(),
        universe in universe_strategy(),
    ) {
        check(&stg, &prd, &universe)?;
    }
}

proptest! {
    /// Production a perturbation of staging, so that near-equal sets are common.
    #[test]
    fn compare_agrees_on_near_equal_sets(
        stg in side_strategy(),
        extra in side_strategy(),
        drop in 0usize..4,
        universe in universe_strategy(),
    ) {
        let mut prd: Vec<ScopedRule> = stg.iter().enumerate().filter(|(i, _)| *i != drop).map(|(_, r)| r.clone()).collect();
        prd.extend(extra.into_iter().take(1));
        check(&stg, &prd, &universe)?;
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(1000))]

    /// Non-resource rules only, where the prefix/exact partition of URLs decides.
    #[test]
    fn compare_agrees_on_url_rules(
        stg in url_side_strategy(),
        prd in url_side_strategy(),
        universe in universe_strategy(),
    ) {
        let urls_only = Universe { resources: Vec::new(), ..universe };
        check(&stg, &prd, &urls_only)?;
    }
}
