//! Metamorphic properties of the whole comparison over generated snapshots: comparing a
//! snapshot with itself finds nothing, swapping the sides swaps every direction, and renaming
//! the environment consistently (with the mapping) changes nothing. The generated snapshots
//! hold RBAC, a ConfigMap, Namespace objects and NetworkPolicies (`metamorphic/network.rs`).

#[path = "metamorphic/network.rs"]
mod network;

use envparity::compare::{Context, compare_snapshots};
use envparity::correlate::NameMap;
use envparity::model::{
    Binding, ConfigEntry, ConfigMapObject, Fingerprinter, Meta, Provenance, RoleDef, RoleRef,
    RuleAt, ServiceAccount, Snapshot, SubjectRef,
};
use envparity_access::k8s::PolicyRule;
use proptest::prelude::*;

fn meta(kind: &str, namespace: Option<&str>, name: &str) -> Meta {
    Meta {
        kind: kind.to_string().into(),
        api_version: "v1".into(),
        namespace: namespace.map(str::to_string),
        name: name.to_string(),
        provenance: Provenance::new("generated.yaml", Some(1)),
        ..Meta::default()
    }
}

/// A generated role: verb, resource and group indexes into the pools, and whether it is a
/// ClusterRole.
type RoleSpec = (Vec<u8>, Vec<u8>, Vec<u8>, bool);

/// A generated environment: namespace `app-<env>`, a few service accounts, roles and
/// bindings drawn from small pools, and a ConfigMap.
#[derive(Debug, Clone)]
struct Spec {
    accounts: Vec<u8>,
    roles: Vec<RoleSpec>,
    bindings: Vec<(u8, u8, bool)>,
    config: Vec<(u8, u8)>,
    network: Vec<network::PolicySpec>,
}

const VERBS: [&str; 5] = ["get", "list", "watch", "delete", "*"];
const RESOURCES: [&str; 5] = ["pods", "secrets", "pods/log", "*/scale", "*"];
const GROUPS: [&str; 3] = ["", "apps", "*"];

fn spec() -> impl Strategy<Value = Spec> {
    (
        prop::collection::vec(0u8..4, 1..4),
        prop::collection::vec(
            (
                prop::collection::vec(0u8..5, 1..3),
                prop::collection::vec(0u8..5, 1..3),
                prop::collection::vec(0u8..3, 1..2),
                any::<bool>(),
            ),
            0..4,
        ),
        prop::collection::vec((0u8..4, 0u8..4, any::<bool>()), 0..5),
        prop::collection::vec((0u8..4, 0u8..3), 0..4),
        network::policies(),
    )
        .prop_map(|(accounts, roles, bindings, config, network)| Spec {
            accounts,
            roles,
            bindings,
            config,
            network,
        })
}

fn build(spec: &Spec, env: &str) -> Snapshot {
    let fp = Fingerprinter::new(b"k");
    let ns = format!("app-{env}");
    let mut snapshot = Snapshot::new(env);
    let kube = &mut snapshot.kube;
    for a in &spec.accounts {
        kube.service_accounts.push(ServiceAccount {
            meta: meta("ServiceAccount", Some(&ns), &format!("sa{a}")),
            automount_token: None,
            secrets: vec![],
            image_pull_secrets: vec![],
        });
    }
    for (i, (verbs, resources, groups, cluster)) in spec.roles.iter().enumerate() {
        let pick = |pool: &[&str], ix: &[u8]| -> Vec<String> {
            ix.iter()
                .map(|i| pool[*i as usize % pool.len()].to_string())
                .collect()
        };
        kube.roles.push(RoleDef {
            meta: meta(
                if *cluster { "ClusterRole" } else { "Role" },
                (!cluster).then_some(ns.as_str()),
                &format!("role{i}"),
            ),
            cluster: *cluster,
            rules: vec![RuleAt {
                rule: PolicyRule {
                    verbs: pick(&VERBS, verbs),
                    api_groups: pick(&GROUPS, groups),
                    resources: pick(&RESOURCES, resources),
                    ..PolicyRule::default()
                },
                line: Some(3),
            }],
            aggregation: None,
        });
    }
    let role_count = spec.roles.len().max(1) as u8;
    for (i, (account, role, cluster_binding)) in spec.bindings.iter().enumerate() {
        let role_ix = (role % role_count) as usize;
        let role_cluster = spec.roles.get(role_ix).is_some_and(|r| r.3);
        let cluster = *cluster_binding && role_cluster;
        kube.bindings.push(Binding {
            meta: meta(
                if cluster {
                    "ClusterRoleBinding"
                } else {
                    "RoleBinding"
                },
                (!cluster).then_some(ns.as_str()),
                &format!("binding{i}"),
            ),
            cluster,
            role_ref: RoleRef {
                kind: if role_cluster { "ClusterRole" } else { "Role" }.to_string(),
                name: format!("role{role_ix}"),
            },
            subjects: vec![SubjectRef {
                kind: "ServiceAccount".to_string(),
                name: format!("sa{account}"),
                namespace: Some(ns.clone()),
            }],
        });
    }
    if !spec.config.is_empty() {
        let values = ["info", "debug", "changeme"];
        kube.config_maps.push(ConfigMapObject {
            meta: meta("ConfigMap", Some(&ns), "settings"),
            entries: spec
                .config
                .iter()
                .map(|(k, v)| ConfigEntry {
                    key: format!("KEY_{k}"),
                    value: fp.literal(&format!("KEY_{k}"), values[*v as usize % 3]),
                    line: Some(5),
                })
                .collect(),
        });
    }
    network::add(&mut snapshot.kube, &spec.network, env);
    snapshot
}

fn rules_of(staging: &Snapshot, production: &Snapshot) -> Vec<String> {
    let names = {
        let mut n = NameMap::new(&[]);
        n.infer(
            staging
                .kube
                .namespaces
                .iter()
                .map(|m| m.name.as_str())
                .chain(
                    staging
                        .kube
                        .service_accounts
                        .iter()
                        .filter_map(|s| s.meta.namespace.as_deref()),
                ),
            production
                .kube
                .namespaces
                .iter()
                .map(|m| m.name.as_str())
                .chain(
                    production
                        .kube
                        .service_accounts
                        .iter()
                        .filter_map(|s| s.meta.namespace.as_deref()),
                ),
        );
        n
    };
    let ctx = Context {
        staging,
        production,
        names: &names,
    };
    let mut rules: Vec<String> = compare_snapshots(&ctx)
        .findings
        .iter()
        .map(|f| f.rule.id().to_string())
        .collect();
    rules.sort();
    rules
}

/// Rules whose firing legitimately depends on the side (per-environment or one-way checks).
fn directional(rule: &str) -> bool {
    matches!(
        rule,
        "config-placeholder-value" | "privilege-wildcard-admin" | "secret-plaintext"
    )
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(300))]

    #[test]
    fn self_comparison_is_empty(s in spec()) {
        let a = build(&s, "production");
        let b = build(&s, "production");
        let found: Vec<String> = rules_of(&a, &b)
            .into_iter()
            .filter(|r| r != "privilege-wildcard-admin")
            .collect();
        prop_assert!(found.is_empty(), "compare(x, x) found {:?}", found);
    }

    #[test]
    fn renaming_the_environment_changes_nothing(s in spec()) {
        let staging = build(&s, "staging");
        let production = build(&s, "production");
        let found: Vec<String> = rules_of(&staging, &production)
            .into_iter()
            .filter(|r| r != "privilege-wildcard-admin")
            .collect();
        prop_assert!(found.is_empty(), "a renamed copy differs: {:?}", found);
    }

    #[test]
    fn swapping_sides_swaps_directions(a in spec(), b in spec()) {
        let staging = build(&a, "staging");
        let production = build(&b, "production");
        let forward: Vec<String> = rules_of(&staging, &production)
            .iter()
            .filter(|r| !directional(r))
            .map(|r| swap(r))
            .collect();
        let staging2 = build(&b, "staging");
        let production2 = build(&a, "production");
        let backward: Vec<String> = rules_of(&staging2, &production2)
            .into_iter()
            .filter(|r| !directional(r))
            .collect();
        let mut forward = forward;
        forward.sort();
        prop_assert_eq!(forward, backward);
    }
}

/// The generator reaches the network dimension: sampled pairs raise each network rule the
/// properties above are about, so they are not vacuous.
#[test]
fn generated_pairs_exercise_the_network_rules() {
    use proptest::strategy::ValueTree;
    use proptest::test_runner::TestRunner;
    let mut runner = TestRunner::deterministic();
    let mut seen = std::collections::BTreeSet::new();
    for _ in 0..200 {
        let (Ok(a), Ok(b)) = (spec().new_tree(&mut runner), spec().new_tree(&mut runner)) else {
            continue;
        };
        let staging = build(&a.current(), "staging");
        let production = build(&b.current(), "production");
        seen.extend(
            rules_of(&staging, &production)
                .into_iter()
                .filter(|r| r.starts_with("network-")),
        );
    }
    for rule in [
        "network-broader-in-staging",
        "network-narrower-in-staging",
        "network-unknown",
    ] {
        assert!(seen.contains(rule), "{rule} never fired: {seen:?}");
    }
}

/// The rule a finding has with the sides swapped (the catalog's mirror image).
fn swap(rule: &str) -> String {
    envparity::findings::Rule::from_id(rule)
        .map(|r| r.swapped().id().to_string())
        .unwrap_or_else(|| rule.to_string())
}
