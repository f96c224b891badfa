//! Table tests of the GCP evaluator: members, roles, hierarchy inheritance, deny before
//! allow with principal and permission exceptions, the CEL fragment, and what stays unknown.
//! Policies are written in the JSON `gcloud` prints.

use std::collections::BTreeMap;

use envparity_access::gcp::{
    Decision, Model, Node, Request, Resource, Timestamp, evaluate, parse_allow_policy,
    parse_deny_policy, parse_role,
};
use serde_json::{Value, json};

const SA: &str = "serviceAccount:app@my-proj.iam.gserviceaccount.com";

fn node(name: &str, parent: Option<&str>) -> Node {
    Node {
        name: name.to_string(),
        parent: parent.map(str::to_string),
        aliases: Vec::new(),
    }
}

/// Organization 1 → folder 2 → project `my-proj` (number 42), and project `other`.
fn model(policies: &[(&str, Value)], deny: &[Value]) -> Model {
    let roles = [
        json!({"name": "roles/storage.objectViewer", "includedPermissions": ["storage.objects.get", "storage.objects.list"], "stage": "GA"}),
        json!({"name": "roles/storage.admin", "includedPermissions": ["storage.objects.get", "storage.objects.list", "storage.objects.delete", "storage.buckets.delete"]}),
        json!({"name": "projects/my-proj/roles/deployer", "includedPermissions": ["run.services.update"]}),
    ];
    Model {
        nodes: vec![
            node("organizations/1", None),
            node("folders/2", Some("organizations/1")),
            Node {
                aliases: vec!["projects/42".to_string()],
                ..node("projects/my-proj", Some("folders/2"))
            },
            node("projects/other", Some("organizations/1")),
        ],
        allow: policies
            .iter()
            .map(|(r, p)| parse_allow_policy(r, p).unwrap())
            .collect(),
        deny: deny.iter().map(|d| parse_deny_policy(d).unwrap()).collect(),
        roles: roles
            .iter()
            .filter_map(|r| parse_role(r).unwrap())
            .map(|r| (r.name.clone(), r))
            .collect(),
    }
}

fn request(principal: &str, permission: &str, node: &str) -> Request {
    Request {
        principal: principal.to_string(),
        permission: permission.to_string(),
        resource: Resource {
            node: node.to_string(),
            name: node.to_string(),
            ..Resource::default()
        },
        time: Timestamp::parse("2025-01-01T00:00:00Z").unwrap(),
    }
}

fn binding(role: &str, members: &[&str]) -> Value {
    json!({"role": role, "members": members})
}

fn conditional(role: &str, members: &[&str], expression: &str) -> Value {
    json!({"role": role, "members": members, "condition": {"title": "t", "expression": expression}})
}

fn policy(bindings: Vec<Value>) -> Value {
    json!({"bindings": bindings, "etag": "BwYAAAAAAAA=", "version": 3})
}

fn deny(attachment: &str, rule: Value) -> Value {
    let encoded = attachment.replace('/', "%2F");
    json!({
        "name": format!("policies/cloudresourcemanager.googleapis.com%2F{encoded}/denypolicies/guard"),
        "kind": "DenyPolicy",
        "rules": [{"denyRule": rule, "description": "guard"}],
    })
}

use Decision::{Allowed, Denied, Unknown};

#[test]
fn members_roles_and_inheritance() {
    let m = model(
        &[
            (
                "organizations/1",
                policy(vec![binding(
                    "roles/storage.objectViewer",
                    &["domain:example.com"],
                )]),
            ),
            (
                "projects/my-proj",
                policy(vec![
                    binding("roles/storage.admin", &[SA]),
                    binding(
                        "projects/my-proj/roles/deployer",
                        &["group:ops@example.com"],
                    ),
                    binding("roles/storage.objectViewer", &["allAuthenticatedUsers"]),
                ]),
            ),
        ],
        &[],
    );
    let cases = [
        (SA, "storage.buckets.delete", "projects/my-proj", Allowed),
        (SA, "storage.buckets.delete", "projects/other", Denied),
        (SA, "storage.buckets.delete", "projects/42", Allowed),
        (
            SA,
            "storage.objects.get",
            "projects/my-proj/serviceAccounts/x",
            Allowed,
        ),
        (
            "user:ann@example.com",
            "storage.objects.get",
            "projects/other",
            Allowed,
        ),
        (
            "user:ann@example.com",
            "storage.objects.delete",
            "projects/my-proj",
            Denied,
        ),
        (
            "user:ann@elsewhere.com",
            "storage.objects.get",
            "projects/other",
            Denied,
        ),
        (
            "user:ann@elsewhere.com",
            "storage.objects.get",
            "projects/my-proj",
            Allowed,
        ),
        (
            "allUsers",
            "storage.objects.get",
            "projects/my-proj",
            Denied,
        ),
        (
            "group:ops@example.com",
            "run.services.update",
            "projects/my-proj",
            Allowed,
        ),
        (
            "user:ops-member@example.com",
            "run.services.update",
            "projects/my-proj",
            Denied,
        ),
        (SA, "run.services.update", "folders/2", Denied),
    ];
    for (who, permission, node, expected) in cases {
        let got = evaluate(&m, &request(who, permission, node));
        assert_eq!(got, expected, "{who} {permission} {node}");
    }
}

#[test]
fn deny_before_allow_with_exceptions() {
    let allow = [(
        "organizations/1",
        policy(vec![binding(
            "roles/storage.admin",
            &[SA, "user:ann@example.com", "user:bob@example.com"],
        )]),
    )];
    let rule = json!({
        "deniedPrincipals": ["principalSet://goog/public:all"],
        "exceptionPrincipals": ["principal://goog/subject/bob@example.com"],
        "deniedPermissions": ["storage.googleapis.com/objects.*", "storage.googleapis.com/buckets.delete"],
        "exceptionPermissions": ["storage.googleapis.com/objects.list"],
    });
    let m = model(&allow, &[deny("folders/2", rule)]);
    let cases = [
        (SA, "storage.objects.get", "projects/my-proj", Denied),
        (SA, "storage.objects.list", "projects/my-proj", Allowed),
        (SA, "storage.buckets.delete", "projects/my-proj", Denied),
        (SA, "storage.buckets.delete", "projects/other", Allowed),
        (
            "user:bob@example.com",
            "storage.objects.get",
            "projects/my-proj",
            Allowed,
        ),
        (
            "user:ann@example.com",
            "storage.objects.get",
            "projects/my-proj",
            Denied,
        ),
    ];
    for (who, permission, node, expected) in cases {
        assert_eq!(
            evaluate(&m, &request(who, permission, node)),
            expected,
            "{who} {permission} {node}"
        );
    }
}

#[test]
fn deny_policies_by_project_number_and_tags() {
    let allow = [(
        "projects/my-proj",
        policy(vec![binding("roles/storage.admin", &[SA])]),
    )];
    let rule = json!({
        "deniedPrincipals": ["principal://iam.googleapis.com/projects/-/serviceAccounts/app@my-proj.iam.gserviceaccount.com"],
        "deniedPermissions": ["storage.googleapis.com/buckets.delete"],
        "denialCondition": {"title": "prod", "expression": "resource.matchTag('1/env', 'prod')"},
    });
    let m = model(&allow, &[deny("projects/42", rule)]);
    let mut tagged = request(SA, "storage.buckets.delete", "projects/my-proj");
    assert_eq!(evaluate(&m, &tagged), Allowed);
    tagged.resource.tags = BTreeMap::from([("1/env".to_string(), "prod".to_string())]);
    assert_eq!(evaluate(&m, &tagged), Denied);
    tagged.resource.tags = BTreeMap::from([("1/env".to_string(), "dev".to_string())]);
    assert_eq!(evaluate(&m, &tagged), Allowed);
}

#[test]
fn conditions_of_the_fragment() {
    let cases: &[(&str, &str, &str, Decision)] = &[
        (
            "resource.name.startsWith('projects/_/buckets/data-')",
            "projects/_/buckets/data-1",
            "",
            Allowed,
        ),
        (
            "resource.name.startsWith('projects/_/buckets/data-')",
            "projects/_/buckets/logs",
            "",
            Denied,
        ),
        (
            "resource.name.endsWith('.csv') || resource.name == 'x'",
            "a/b.csv",
            "",
            Allowed,
        ),
        ("resource.name != 'x'", "x", "", Denied),
        ("!(resource.name in ['a', 'b'])", "b", "", Denied),
        (
            "resource.type == 'storage.googleapis.com/Bucket'",
            "n",
            "storage.googleapis.com/Bucket",
            Allowed,
        ),
        (
            "request.time < timestamp('2026-01-01T00:00:00Z')",
            "n",
            "",
            Allowed,
        ),
        (
            "request.time >= timestamp(\"2025-01-01T00:00:00.000Z\")",
            "n",
            "",
            Allowed,
        ),
        (
            "timestamp('2025-01-01T00:00:00Z') < request.time",
            "n",
            "",
            Denied,
        ),
        (
            "request.time == timestamp('2025-01-01T00:00:00Z') && true",
            "n",
            "",
            Allowed,
        ),
        ("resource.hasTagKey('1/env')", "n", "", Denied),
        (
            "request.time.getHours('Europe/Berlin') > 8",
            "n",
            "",
            Unknown,
        ),
        (
            "api.getAttribute('iam.googleapis.com/modifiedGrantsByRole', []).hasOnly(['roles/x'])",
            "n",
            "",
            Unknown,
        ),
        (
            "resource.name == 'n' || request.host == 'x'",
            "n",
            "",
            Allowed,
        ),
        (
            "resource.name == 'm' && request.host == 'x'",
            "n",
            "",
            Denied,
        ),
        (
            "resource.name == 'm' || request.host == 'x'",
            "n",
            "",
            Unknown,
        ),
        ("this is not CEL", "n", "", Unknown),
    ];
    for (expression, name, kind, expected) in cases {
        let m = model(
            &[(
                "projects/my-proj",
                policy(vec![conditional("roles/storage.admin", &[SA], expression)]),
            )],
            &[],
        );
        let mut r = request(SA, "storage.objects.get", "projects/my-proj");
        r.resource.name = name.to_string();
        r.resource.kind = kind.to_string();
        assert_eq!(evaluate(&m, &r), *expected, "{expression} on {name}");
    }
}

#[test]
fn what_the_inputs_leave_open_is_unknown() {
    let missing_role = model(
        &[(
            "projects/my-proj",
            policy(vec![binding("roles/run.admin", &[SA])]),
        )],
        &[],
    );
    let r = request(SA, "run.services.update", "projects/my-proj");
    assert_eq!(evaluate(&missing_role, &r), Unknown);
    let listed = json!({
        "name": "policies/cloudresourcemanager.googleapis.com%2Fprojects%2F42/denypolicies/guard",
        "kind": "DenyPolicy",
    });
    let without_rules = model(
        &[(
            "projects/my-proj",
            policy(vec![binding("roles/storage.admin", &[SA])]),
        )],
        &[listed],
    );
    let r = request(SA, "storage.objects.get", "projects/my-proj");
    assert_eq!(evaluate(&without_rules, &r), Unknown);
    let mut unlinked = model(
        &[(
            "organizations/1",
            policy(vec![binding("roles/storage.admin", &[SA])]),
        )],
        &[],
    );
    unlinked.nodes.clear();
    assert_eq!(evaluate(&unlinked, &r), Unknown);
    let unknown_resource = model(
        &[("", policy(vec![binding("roles/storage.admin", &[SA])]))],
        &[],
    );
    assert_eq!(evaluate(&unknown_resource, &r), Unknown);
}

#[test]
fn parse_errors_name_what_was_expected() {
    let bad = [
        json!({"bindings": [{"members": ["user:a@b.c"]}]}),
        json!({"bindings": [{"role": "roles/x", "members": "user:a@b.c"}]}),
        json!({"bindings": [{"role": "roles/x", "members": [], "condition": {"title": "t"}}]}),
        json!([1, 2]),
    ];
    for value in bad {
        let e = parse_allow_policy("projects/p", &value).unwrap_err();
        assert!(!e.to_string().contains('\n'), "{e}");
    }
    assert!(parse_deny_policy(&json!({"name": "x"})).is_err());
    assert!(
        parse_deny_policy(&json!({"name": "policies/a/denypolicies/b", "rules": [{}]})).is_err()
    );
    assert_eq!(
        parse_role(&json!({"name": "roles/x", "title": "X"})).unwrap(),
        None
    );
}

#[test]
fn a_resource_of_an_unknown_project_may_inherit_any_project_policy() {
    let m = model(
        &[(
            "projects/my-proj",
            policy(vec![binding("roles/storage.admin", &[SA])]),
        )],
        &[],
    );
    let mut r = request(SA, "storage.objects.get", "projects/_/buckets/b");
    assert_eq!(evaluate(&m, &r), Unknown);
    r.resource.node = "projects/my-proj/buckets/b".to_string();
    assert_eq!(evaluate(&m, &r), Allowed);
    r.resource.node = "projects/other/buckets/b".to_string();
    assert_eq!(evaluate(&m, &r), Denied);
}
