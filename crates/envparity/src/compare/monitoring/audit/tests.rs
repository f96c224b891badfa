//! Audit policy comparison: examples, and the partition checked against a brute-force
//! reference evaluator over a small concrete universe of requests.

use proptest::prelude::*;

use super::space::{Kind, Leaf, Partial, Universe, partition, path_matches};
use super::*;
use crate::correlate::NameMap;
use crate::model::{AuditGroupResources, AuditRule, Meta, Provenance, Snapshot};

fn rule(level: &str) -> AuditRule {
    AuditRule {
        level: level.into(),
        users: Vec::new(),
        user_groups: Vec::new(),
        verbs: Vec::new(),
        namespaces: Vec::new(),
        resources: Vec::new(),
        non_resource_urls: Vec::new(),
        omit_stages: Vec::new(),
        line: Some(3),
    }
}

fn policy(name: &str, rules: Vec<AuditRule>) -> AuditPolicy {
    AuditPolicy {
        meta: Meta {
            kind: "Policy".into(),
            api_version: "audit.k8s.io/v1".into(),
            name: name.into(),
            provenance: Provenance::new("audit.yaml", Some(1)),
            ..Meta::default()
        },
        omit_stages: Vec::new(),
        rules,
    }
}

fn secrets_rule(level: &str) -> AuditRule {
    AuditRule {
        resources: vec![AuditGroupResources {
            group: String::new(),
            resources: vec!["secrets".into()],
            resource_names: Vec::new(),
        }],
        ..rule(level)
    }
}

fn run(staging: Vec<AuditPolicy>, production: Vec<AuditPolicy>) -> Results {
    let mut s = Snapshot::new("staging");
    s.kube.audit_policies = staging;
    let mut p = Snapshot::new("production");
    p.kube.audit_policies = production;
    let names = NameMap::default();
    let ctx = Context {
        staging: &s,
        production: &p,
        names: &names,
    };
    let mut results = Results::default();
    compare(&ctx, &mut results);
    results
}

#[test]
fn same_policy_is_quiet() {
    let p = policy("audit", vec![secrets_rule("Metadata"), rule("Request")]);
    let results = run(vec![p.clone()], vec![p]);
    assert!(results.findings.is_empty(), "{:?}", results.findings);
    assert_eq!(results.compared.get(&Dimension::Monitoring), Some(&1));
}

#[test]
fn lower_level_in_staging_fires_with_example() {
    let staging = policy("audit", vec![secrets_rule("None"), rule("Metadata")]);
    let production = policy(
        "audit",
        vec![secrets_rule("RequestResponse"), rule("Metadata")],
    );
    let results = run(vec![staging], vec![production]);
    assert_eq!(results.findings.len(), 1);
    let f = &results.findings[0];
    assert!(f.message.contains("`secrets`"), "{}", f.message);
    assert!(
        f.message
            .contains("`RequestResponse` in production and at `None`")
    );
    // Staging logging more is not a finding.
    let results = run(
        vec![policy("audit", vec![rule("RequestResponse")])],
        vec![policy("audit", vec![rule("Metadata")])],
    );
    assert!(results.findings.is_empty());
}

#[test]
fn missing_policy_and_omitted_stage() {
    let production = policy("audit", vec![rule("Metadata")]);
    let results = run(Vec::new(), vec![production.clone()]);
    assert_eq!(results.findings.len(), 1);
    assert!(results.findings[0].message.contains("staging has none"));
    let mut staging = production.clone();
    staging.omit_stages = vec!["RequestReceived".into()];
    let results = run(vec![staging], vec![production]);
    assert_eq!(results.findings.len(), 1);
    assert!(
        results.findings[0]
            .key
            .starts_with("stages=RequestReceived")
    );
}

#[test]
fn nothing_to_compare() {
    assert!(run(Vec::new(), Vec::new()).compared.is_empty());
}

// ---- brute-force reference -------------------------------------------------------------

/// A concrete request.
#[derive(Debug, Clone)]
struct Concrete {
    user: &'static str,
    groups: Vec<&'static str>,
    verb: &'static str,
    /// (namespace, group, resource, subresource, name), or `None` for a non-resource URL.
    resource: Option<[&'static str; 5]>,
    path: &'static str,
}

/// The apiserver's `ruleMatches`, written directly on concrete requests.
fn reference_matches(r: &AuditRule, q: &Concrete) -> bool {
    let has = |list: &[String], v: &str| list.iter().any(|x| x == v);
    if !r.users.is_empty() && !has(&r.users, q.user) {
        return false;
    }
    if !r.user_groups.is_empty() && !q.groups.iter().any(|g| has(&r.user_groups, g)) {
        return false;
    }
    if !r.verbs.is_empty() && !has(&r.verbs, q.verb) {
        return false;
    }
    if !r.namespaces.is_empty() || !r.resources.is_empty() {
        let Some([ns, group, resource, sub, name]) = q.resource else {
            return false;
        };
        if !r.namespaces.is_empty() && !has(&r.namespaces, ns) {
            return false;
        }
        if r.resources.is_empty() {
            return true;
        }
        let combined = if sub.is_empty() {
            resource.to_string()
        } else {
            format!("{resource}/{sub}")
        };
        return r.resources.iter().any(|gr| {
            gr.group == group
                && (gr.resources.is_empty()
                    || gr.resources.iter().any(|res| {
                        (gr.resource_names.is_empty() || has(&gr.resource_names, name))
                            && (*res == combined
                                || res == "*"
                                || (!sub.is_empty() && res.strip_prefix("*/") == Some(sub))
                                || res.strip_suffix("/*") == Some(resource))
                    }))
        });
    }
    if !r.non_resource_urls.is_empty() {
        return q.resource.is_none() && r.non_resource_urls.iter().any(|s| path_matches(q.path, s));
    }
    true
}

fn reference_decide(p: &AuditPolicy, q: &Concrete) -> Option<usize> {
    p.rules.iter().position(|r| reference_matches(r, q))
}

fn universe_requests() -> Vec<Concrete> {
    let group_sets: Vec<Vec<&'static str>> = (0..8u8)
        .map(|m| {
            ["g1", "g2", "g3"]
                .into_iter()
                .enumerate()
                .filter(|(i, _)| m & (1 << i) != 0)
                .map(|(_, g)| g)
                .collect()
        })
        .collect();
    let mut targets: Vec<(Option<[&'static str; 5]>, &'static str)> = Vec::new();
    for ns in ["", "a", "zz"] {
        for group in ["", "apps", "zz"] {
            for resource in ["pods", "secrets", "zz"] {
                for sub in ["", "log", "zz"] {
                    for name in ["n1", "zz"] {
                        targets.push((Some([ns, group, resource, sub, name]), ""));
                    }
                }
            }
        }
    }
    for path in ["/healthz", "/api", "/api/v1", "/apis", "/zz"] {
        targets.push((None, path));
    }
    let mut out = Vec::new();
    for user in ["alice", "bob", "zed"] {
        for groups in &group_sets {
            for verb in ["get", "delete", "zzz"] {
                for (resource, path) in &targets {
                    out.push(Concrete {
                        user,
                        groups: groups.clone(),
                        verb,
                        resource: *resource,
                        path,
                    });
                }
            }
        }
    }
    out
}

/// Does the class `p` contain the concrete request `q`?
fn covers(p: &Partial, q: &Concrete, u: &Universe, specs: &[String]) -> bool {
    fn rep_ok(rep: &Option<Option<String>>, value: &str, lits: &[String]) -> bool {
        match rep {
            None => true,
            Some(Some(v)) => v == value,
            Some(None) => !lits.iter().any(|l| l == value),
        }
    }
    let kind = if q.resource.is_some() {
        Kind::Resource
    } else {
        Kind::NonResource
    };
    if p.kind.is_some_and(|k| k != kind)
        || !rep_ok(&p.user, q.user, &u.users)
        || !rep_ok(&p.verb, q.verb, &u.verbs)
    {
        return false;
    }
    for (i, g) in u.groups.iter().enumerate() {
        if let Some(Some(member)) = p.groups.get(i)
            && *member != q.groups.contains(&g.as_str())
        {
            return false;
        }
    }
    if let Some([ns, group, resource, sub, name]) = q.resource {
        rep_ok(&p.namespace, ns, &u.namespaces)
            && rep_ok(&p.api_group, group, &u.api_groups)
            && rep_ok(&p.resource, resource, &u.resources)
            && rep_ok(&p.subresource, sub, &u.subresources)
            && rep_ok(&p.name, name, &u.names)
    } else {
        p.path.as_ref().is_none_or(|rep| {
            specs
                .iter()
                .all(|s| path_matches(rep, s) == path_matches(q.path, s))
        })
    }
}

/// A small deterministic generator, so each proptest case is one `u64` seed.
struct Gen(u64);

impl Gen {
    fn next(&mut self, n: usize) -> usize {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        (self.0 % n as u64) as usize
    }

    fn subset(&mut self, pool: &[&str]) -> Vec<String> {
        if self.next(2) == 0 {
            return Vec::new();
        }
        pool.iter()
            .filter(|_| self.next(2) == 0)
            .map(|s| s.to_string())
            .collect()
    }

    fn policy(&mut self) -> AuditPolicy {
        let levels = ["None", "Metadata", "Request", "RequestResponse"];
        let mut rules = Vec::new();
        for _ in 0..self.next(5) {
            let mut r = rule(levels[self.next(4)]);
            r.users = self.subset(&["alice", "bob"]);
            r.user_groups = self.subset(&["g1", "g2", "g3"]);
            r.verbs = self.subset(&["get", "delete"]);
            match self.next(3) {
                0 => {
                    r.namespaces = self.subset(&["", "a"]);
                    for _ in 0..self.next(3) {
                        r.resources.push(AuditGroupResources {
                            group: ["", "apps"][self.next(2)].into(),
                            resources: self
                                .subset(&["pods", "secrets", "*", "pods/log", "*/log", "pods/*"]),
                            resource_names: self.subset(&["n1"]),
                        });
                    }
                }
                1 => r.non_resource_urls = self.subset(&["/healthz", "/api*", "/api", "*"]),
                _ => {}
            }
            r.omit_stages = self.subset(&["RequestReceived"]);
            rules.push(r);
        }
        let mut p = policy("audit", rules);
        p.omit_stages = self.subset(&["ResponseStarted"]);
        p
    }
}

fn check_against_reference(staging: &AuditPolicy, production: &AuditPolicy) {
    let Some(leaves) = partition(staging, production, 100_000) else {
        panic!("budget exceeded");
    };
    let u = Universe::of(&[staging, production]);
    let specs: Vec<String> = [staging, production]
        .iter()
        .flat_map(|p| {
            p.rules
                .iter()
                .flat_map(|r| r.non_resource_urls.iter().cloned())
        })
        .collect();
    for q in universe_requests() {
        let covering: Vec<&Leaf> = leaves
            .iter()
            .filter(|l| covers(&l.request, &q, &u, &specs))
            .collect();
        // Path representatives may share a class, so several leaves can cover one request;
        // every covering leaf must agree with the reference.
        assert!(!covering.is_empty(), "no class covers {q:?}");
        for leaf in covering {
            assert_eq!(
                leaf.staging,
                reference_decide(staging, &q),
                "staging, {q:?}"
            );
            assert_eq!(
                leaf.production,
                reference_decide(production, &q),
                "production, {q:?}"
            );
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(48))]
    #[test]
    fn partition_agrees_with_brute_force(seed in 1u64..) {
        let mut generator = Gen(seed);
        let staging = generator.policy();
        let production = generator.policy();
        check_against_reference(&staging, &production);
    }
}

#[test]
fn reference_check_can_fail() {
    // A class claimed for the wrong rule must be caught: swap the decisions of one policy.
    let s = policy("audit", vec![secrets_rule("None"), rule("Metadata")]);
    let p = policy("audit", vec![rule("Metadata")]);
    let Some(mut leaves) = partition(&s, &p, 1000) else {
        panic!("budget exceeded");
    };
    for leaf in &mut leaves {
        leaf.staging = leaf.staging.map(|i| 1 - i);
    }
    let u = Universe::of(&[&s, &p]);
    let disagrees = universe_requests().iter().any(|q| {
        leaves
            .iter()
            .filter(|l| covers(&l.request, q, &u, &[]))
            .any(|l| l.staging != reference_decide(&s, q))
    });
    assert!(disagrees);
}
