//! Table tests of the GCP comparison: environments named differently and mapped, broader,
//! narrower and divergent grants with their witnesses, deny policies, conditions that cut
//! resources and time, and every way the inputs leave the answer open (`Unknown`, with the
//! fact named).

use envparity_access::Verdict;
use envparity_access::gcp::{
    Comparator, Comparison, Model, Node, Timestamp, WITNESS_CAP, compare, parse_allow_policy,
    parse_deny_policy, parse_role,
};
use serde_json::{Value, json};

const SA: &str = "serviceAccount:app@my-proj-prod.iam.gserviceaccount.com";

fn roles(extra: &[Value]) -> Vec<Value> {
    let mut all = vec![
        json!({"name": "roles/storage.objectViewer", "includedPermissions": ["storage.objects.get", "storage.objects.list"]}),
        json!({"name": "roles/storage.admin", "includedPermissions": ["storage.buckets.delete", "storage.objects.delete", "storage.objects.get", "storage.objects.list"]}),
    ];
    all.extend(extra.iter().cloned());
    all
}

/// An environment `env`: organization 1 → folder `env` → project `my-proj-<env>`.
fn env(env: &str, bindings: Vec<Value>, deny: Vec<Value>, role_defs: Vec<Value>) -> Model {
    let project = format!("projects/my-proj-{env}");
    let folder = format!("folders/{}", if env == "prod" { 20 } else { 10 });
    let text = serde_json::to_string(&bindings)
        .unwrap()
        .replace("ENV", env);
    let bindings: Value = serde_json::from_str(&text).unwrap();
    Model {
        nodes: vec![
            Node {
                name: "organizations/1".into(),
                parent: None,
                aliases: vec![],
            },
            Node {
                name: folder.clone(),
                parent: Some("organizations/1".into()),
                aliases: vec![],
            },
            Node {
                name: project.clone(),
                parent: Some(folder),
                aliases: vec![],
            },
        ],
        allow: vec![
            parse_allow_policy(&project, &json!({"bindings": bindings, "etag": "x"})).unwrap(),
        ],
        deny: deny.iter().map(|d| parse_deny_policy(d).unwrap()).collect(),
        roles: role_defs
            .iter()
            .filter_map(|r| parse_role(r).unwrap())
            .map(|r| (r.name.clone(), r))
            .collect(),
    }
}

fn to_prod(s: &str) -> String {
    s.replace("my-proj-staging", "my-proj-prod")
        .replace("folders/10", "folders/20")
}

/// Staging renamed into production's names, then compared for the service account.
fn run(staging: &Model, production: &Model) -> Comparison {
    compare(&staging.renamed(&to_prod), production, SA)
}

fn b(role: &str) -> Value {
    json!({"role": role, "members": ["serviceAccount:app@my-proj-ENV.iam.gserviceaccount.com"]})
}

fn bc(role: &str, expression: &str) -> Value {
    json!({"role": role, "members": ["serviceAccount:app@my-proj-ENV.iam.gserviceaccount.com"],
           "condition": {"title": "c", "expression": expression}})
}

#[test]
fn mapped_environments_with_the_same_grants_are_equal() {
    let stg = env(
        "staging",
        vec![b("roles/storage.admin")],
        vec![],
        roles(&[]),
    );
    let prd = env("prod", vec![b("roles/storage.admin")], vec![], roles(&[]));
    let result = run(&stg, &prd);
    assert_eq!(result.verdict, Verdict::Equal, "{result:?}");
    // Unmapped, the two environments' projects differ.
    let raw = compare(&stg, &prd, SA);
    assert_eq!(raw.verdict, Verdict::Narrower, "{raw:?}");
}

#[test]
fn broader_in_staging_with_witnesses() {
    let stg = env(
        "staging",
        vec![b("roles/storage.admin")],
        vec![],
        roles(&[]),
    );
    let prd = env(
        "prod",
        vec![b("roles/storage.objectViewer")],
        vec![],
        roles(&[]),
    );
    let result = run(&stg, &prd);
    assert_eq!(result.verdict, Verdict::Broader);
    let permissions: Vec<&str> = result
        .staging_only
        .iter()
        .map(|w| w.request.permission.as_str())
        .collect();
    assert_eq!(
        permissions,
        ["storage.buckets.delete", "storage.objects.delete"]
    );
    let w = &result.staging_only[0];
    assert_eq!(w.request.resource.node, "projects/my-proj-prod");
    assert_eq!(w.granted_by, [0]);
    assert!(!w.shown.name && !w.shown.time);
}

#[test]
fn a_deny_policy_in_production() {
    let rule = json!({
        "name": "policies/cloudresourcemanager.googleapis.com%2Ffolders%2F20/denypolicies/no-delete",
        "rules": [{"denyRule": {
            "deniedPrincipals": ["principalSet://goog/public:all"],
            "deniedPermissions": ["storage.googleapis.com/buckets.delete"],
        }}],
    });
    let stg = env(
        "staging",
        vec![b("roles/storage.admin")],
        vec![],
        roles(&[]),
    );
    let prd = env(
        "prod",
        vec![b("roles/storage.admin")],
        vec![rule],
        roles(&[]),
    );
    let result = run(&stg, &prd);
    assert_eq!(result.verdict, Verdict::Broader);
    assert_eq!(result.staging_only.len(), 1);
    assert_eq!(
        result.staging_only[0].request.permission,
        "storage.buckets.delete"
    );
    assert_eq!(result.staging_only[0].denied_by, [0]);
}

#[test]
fn conditions_cut_resources_and_time() {
    let stg = env(
        "staging",
        vec![bc(
            "roles/storage.objectViewer",
            "resource.name.startsWith('projects/_/buckets/a-')",
        )],
        vec![],
        roles(&[]),
    );
    let prd = env(
        "prod",
        vec![bc(
            "roles/storage.objectViewer",
            "resource.name.startsWith('projects/_/buckets/b-')",
        )],
        vec![],
        roles(&[]),
    );
    let result = run(&stg, &prd);
    assert_eq!(result.verdict, Verdict::Divergent, "{result:?}");
    assert!(
        result.staging_only[0]
            .request
            .resource
            .name
            .starts_with("projects/_/buckets/a-")
    );
    assert!(
        result.production_only[0]
            .request
            .resource
            .name
            .starts_with("projects/_/buckets/b-")
    );
    assert!(result.staging_only[0].shown.name);

    let expiring = env(
        "staging",
        vec![bc(
            "roles/storage.objectViewer",
            "request.time < timestamp('2025-01-01T00:00:00Z')",
        )],
        vec![],
        roles(&[]),
    );
    let permanent = env(
        "prod",
        vec![b("roles/storage.objectViewer")],
        vec![],
        roles(&[]),
    );
    let result = run(&expiring, &permanent);
    assert_eq!(result.verdict, Verdict::Narrower, "{result:?}");
    let w = &result.production_only[0];
    assert!(w.shown.time);
    assert!(w.request.time >= Timestamp::parse("2025-01-01T00:00:00Z").unwrap());
}

#[test]
fn predefined_roles_without_definition() {
    // The same undefined predefined role on both sides: the same permissions.
    let stg = env("staging", vec![b("roles/run.admin")], vec![], roles(&[]));
    let prd = env("prod", vec![b("roles/run.admin")], vec![], roles(&[]));
    assert_eq!(run(&stg, &prd).verdict, Verdict::Equal);
    // Production grants more, but staging's undefined role may hold it too.
    let prd = env(
        "prod",
        vec![b("roles/run.admin"), b("roles/storage.admin")],
        vec![],
        roles(&[]),
    );
    let result = run(&stg, &prd);
    assert_eq!(result.verdict, Verdict::Unknown);
    assert!(result.production_only.is_empty());
    assert!(
        result
            .unknown
            .iter()
            .any(|r| r.contains("`roles/run.admin`") && r.contains("gcloud iam roles describe")),
        "{:?}",
        result.unknown
    );
    // A definition exported by one environment serves both.
    let run_admin =
        json!({"name": "roles/run.admin", "includedPermissions": ["run.services.update"]});
    let stg = env("staging", vec![b("roles/run.admin")], vec![], roles(&[]));
    let prd = env(
        "prod",
        vec![b("roles/run.admin"), b("roles/storage.admin")],
        vec![],
        roles(&[run_admin]),
    );
    let result = run(&stg, &prd);
    assert_eq!(result.verdict, Verdict::Narrower, "{result:?}");
}

#[test]
fn custom_roles_without_definition_are_never_equal() {
    let custom = "projects/my-proj-ENV/roles/deployer";
    let stg = env("staging", vec![b(custom)], vec![], roles(&[]));
    let prd = env("prod", vec![b(custom)], vec![], roles(&[]));
    let result = run(&stg, &prd);
    assert_eq!(result.verdict, Verdict::Unknown);
    assert!(
        result
            .unknown
            .iter()
            .any(|r| r.contains("projects/my-proj-prod/roles/deployer"))
    );
    let def = |e: &str| json!({"name": format!("projects/my-proj-{e}/roles/deployer"), "includedPermissions": ["run.services.update"]});
    let stg = env("staging", vec![b(custom)], vec![], roles(&[def("staging")]));
    let prd = env("prod", vec![b(custom)], vec![], roles(&[def("prod")]));
    assert_eq!(run(&stg, &prd).verdict, Verdict::Equal);
}

#[test]
fn opaque_conditions() {
    let opaque = "request.time.getHours('Europe/Berlin') >= 9";
    let stg = env(
        "staging",
        vec![bc("roles/storage.admin", opaque)],
        vec![],
        roles(&[]),
    );
    let prd = env(
        "prod",
        vec![bc("roles/storage.admin", opaque)],
        vec![],
        roles(&[]),
    );
    assert_eq!(run(&stg, &prd).verdict, Verdict::Equal);
    let other = "request.time.getHours('Europe/Berlin') >= 8";
    let prd = env(
        "prod",
        vec![bc("roles/storage.admin", other)],
        vec![],
        roles(&[]),
    );
    let result = run(&stg, &prd);
    assert_eq!(result.verdict, Verdict::Unknown);
    assert!(
        result.unknown.iter().any(|r| r.contains("getHours")),
        "{:?}",
        result.unknown
    );
    // A difference that depends on what the opaque part says is never proven.
    let prd = env(
        "prod",
        vec![bc("roles/storage.objectViewer", opaque)],
        vec![],
        roles(&[]),
    );
    let result = run(&stg, &prd);
    assert_eq!(result.verdict, Verdict::Unknown);
    assert!(result.staging_only.is_empty());
}

#[test]
fn deny_policies_without_rules_and_unknown_hierarchy() {
    let listed = json!({"name": "policies/cloudresourcemanager.googleapis.com%2Fprojects%2Fmy-proj-prod/denypolicies/guard", "kind": "DenyPolicy"});
    let stg = env(
        "staging",
        vec![b("roles/storage.admin")],
        vec![],
        roles(&[]),
    );
    let prd = env(
        "prod",
        vec![b("roles/storage.admin")],
        vec![listed],
        roles(&[]),
    );
    let result = run(&stg, &prd);
    assert_eq!(result.verdict, Verdict::Unknown);
    assert!(
        result
            .unknown
            .iter()
            .any(|r| r.contains("gcloud iam policies get"))
    );

    let org = |e: &str| {
        let mut m = env(e, vec![], vec![], roles(&[]));
        m.allow.push(
            parse_allow_policy(
                "organizations/1",
                &json!({"bindings": [{"role": "roles/storage.admin", "members": [SA]}]}),
            )
            .unwrap(),
        );
        m
    };
    let (stg, mut prd) = (org("staging"), org("prod"));
    assert_eq!(run(&stg, &prd).verdict, Verdict::Equal);
    prd.nodes.retain(|n| !n.name.starts_with("folders/"));
    let result = run(&stg, &prd);
    assert_eq!(result.verdict, Verdict::Unknown);
    assert!(
        result.unknown.iter().any(|r| r.contains("get-ancestors")),
        "{:?}",
        result.unknown
    );
}

#[test]
fn witnesses_are_capped_and_members_listed() {
    let many: Vec<String> = (0..50).map(|i| format!("svc.things.verb{i:02}")).collect();
    let big = json!({"name": "roles/big", "includedPermissions": many});
    let stg = env("staging", vec![b("roles/big")], vec![], roles(&[big]));
    let prd = env("prod", vec![], vec![], roles(&[]));
    let staging = stg.renamed(&to_prod);
    let comparator = Comparator::new(&staging, &prd);
    let result = comparator.compare(SA);
    assert_eq!(result.verdict, Verdict::Broader);
    assert_eq!(result.staging_only.len(), WITNESS_CAP);
    let members: Vec<String> = comparator.members().iter().map(|m| m.to_string()).collect();
    assert_eq!(members, [SA]);
}

#[test]
fn shared_custom_roles_are_one_object() {
    let org_role = "organizations/1/roles/auditor";
    let stg = env("staging", vec![b(org_role)], vec![], roles(&[]));
    let prd = env("prod", vec![b(org_role)], vec![], roles(&[]));
    let staging = stg.renamed(&to_prod);
    assert_eq!(
        Comparator::new(&staging, &prd).compare(SA).verdict,
        Verdict::Unknown
    );
    let shared = |role: &str| role == org_role;
    let comparator = Comparator::with_shared_roles(&staging, &prd, &shared);
    assert_eq!(comparator.compare(SA).verdict, Verdict::Equal);
    // A definition exported by one environment serves both.
    let def = json!({"name": org_role, "includedPermissions": ["logging.logEntries.list"]});
    let prd = env(
        "prod",
        vec![b(org_role), b("roles/storage.objectViewer")],
        vec![],
        roles(&[def]),
    );
    let comparator = Comparator::with_shared_roles(&staging, &prd, &shared);
    assert_eq!(comparator.compare(SA).verdict, Verdict::Narrower);
}

/// An organization-sized pair: roles of thousands of permissions, dozens of conditional
/// bindings on bucket prefixes, a role undefined on both sides; one planted difference.
#[test]
fn large_environments_compare_exactly() {
    let big: Vec<String> = (0..3000)
        .map(|i| format!("svc{}.things.verb{i}", i % 40))
        .collect();
    let mut bindings = vec![b("roles/big"), b("roles/undefined.everywhere")];
    for i in 0..40 {
        bindings.push(bc(
            "roles/storage.objectViewer",
            &format!("resource.name.startsWith('projects/_/buckets/data-{i}-')"),
        ));
    }
    let defs = |extra: usize| {
        let mut perms = big.clone();
        perms.truncate(3000 - extra);
        roles(&[json!({"name": "roles/big", "includedPermissions": perms})])
    };
    let stg = env("staging", bindings.clone(), vec![], defs(0));
    let prd = env("prod", bindings, vec![], defs(1));
    let started = std::time::Instant::now();
    let result = run(&stg, &prd);
    assert_eq!(result.verdict, Verdict::Unknown, "{:?}", result.unknown);
    let permissions: Vec<&str> = result
        .staging_only
        .iter()
        .map(|w| w.request.permission.as_str())
        .collect();
    // The dropped permission may be in the undefined role: not proven, unknown.
    assert!(permissions.is_empty(), "{permissions:?}");
    assert!(
        result
            .unknown
            .iter()
            .any(|r| r.contains("roles/undefined.everywhere"))
    );
    // Without the undefined role the difference is proven, and it is the only one.
    let defined = |m: &Model| {
        let mut m = m.clone();
        for p in &mut m.allow {
            p.bindings
                .retain(|b| b.role != "roles/undefined.everywhere");
        }
        m
    };
    let result = run(&defined(&stg), &defined(&prd));
    assert_eq!(result.verdict, Verdict::Broader);
    let permissions: Vec<&str> = result
        .staging_only
        .iter()
        .map(|w| w.request.permission.as_str())
        .collect();
    assert_eq!(permissions, ["svc39.things.verb2999"]);
    assert!(
        started.elapsed().as_secs() < 60,
        "took {:?}",
        started.elapsed()
    );
}

#[test]
fn conditional_deny_rules_name_their_rule_and_only_real_open_facts() {
    let guard = json!({
        "name": "policies/cloudresourcemanager.googleapis.com%2Fprojects%2Fmy-proj-prod/denypolicies/guard",
        "rules": [{"denyRule": {
            "deniedPrincipals": ["principalSet://goog/public:all"],
            "deniedPermissions": ["storage.googleapis.com/buckets.delete"],
            "denialCondition": {"title": "prod", "expression": "resource.matchTag('1/env', 'prod')"},
        }}],
    });
    let stg = env(
        "staging",
        vec![b("roles/storage.admin")],
        vec![],
        roles(&[]),
    );
    let prd = env(
        "prod",
        vec![b("roles/storage.admin")],
        vec![guard.clone()],
        roles(&[]),
    );
    let result = run(&stg, &prd);
    assert_eq!(result.verdict, Verdict::Broader, "{result:?}");
    let w = &result.staging_only[0];
    assert_eq!(w.request.permission, "storage.buckets.delete");
    assert_eq!(
        w.request.resource.tags.get("1/env").map(String::as_str),
        Some("prod")
    );
    assert_eq!(w.denied_by, [0]);

    let stg = env("staging", vec![b("roles/run.admin")], vec![], roles(&[]));
    let prd = env("prod", vec![b("roles/run.admin")], vec![guard], roles(&[]));
    let result = run(&stg, &prd);
    assert_eq!(result.verdict, Verdict::Unknown);
    assert_eq!(result.unknown.len(), 1, "{:?}", result.unknown);
    assert!(result.unknown[0].contains("`roles/run.admin`"));
}
