//! Terraform GCP IAM gives the findings of `gcloud` exports of the same project:
//! `google_project_iam_custom_role`, `google_project_iam_member`/`_binding`/`_policy` and
//! `google_service_account` against `gcloud iam roles describe`, `gcloud projects
//! get-iam-policy` and `gcloud iam service-accounts list`; a condition known only after apply
//! is `access-unknown`.

use std::path::Path;

use serde_json::{Value, json};

use crate::support::{compare, findings, problems, resource, rules, write_json as save};

/// Staging's project renamed into production's.
const SHOP: &[(&str, &str)] = &[("stg-shop", "prod-shop")];

struct Project {
    id: &'static str,
    /// Permissions of the custom role `app`.
    permissions: Vec<&'static str>,
}

impl Project {
    fn account(&self) -> String {
        format!("app@{}.iam.gserviceaccount.com", self.id)
    }

    fn role(&self) -> String {
        format!("projects/{}/roles/app", self.id)
    }
}

/// The `gcloud` exports of a project.
fn native(project: &Project, dir: &Path) {
    save(
        dir,
        &format!("projects-{}.iam.json", project.id),
        &json!({"version": 1, "etag": "BwYX0", "bindings": [
            {"role": project.role(), "members": [format!("serviceAccount:{}", project.account())]},
            {"role": project.role(), "members": ["group:platform@example.com"]}
        ]}),
    );
    save(
        dir,
        "roles-app.json",
        &json!({"name": project.role(), "title": "app", "stage": "GA", "etag": "BwYX1",
                "includedPermissions": project.permissions}),
    );
    save(
        dir,
        "service-accounts.json",
        &json!([{"email": project.account(), "projectId": project.id, "uniqueId": "1000",
                 "name": format!("projects/{}/serviceAccounts/{}", project.id, project.account()),
                 "displayName": "app", "disabled": false}]),
    );
}

/// The Terraform state of the same project: the account's binding as a member resource, the
/// group's as a binding resource (one binding once lowered, as `gcloud` shows it).
fn state(project: &Project) -> Value {
    json!({"format_version": "1.0", "terraform_version": "1.11.4", "values": {"root_module": {"resources": [
        resource("google", "google_project_iam_custom_role.app", json!({
            "deleted": false, "description": "", "id": project.role(), "name": project.role(),
            "permissions": project.permissions, "project": project.id, "role_id": "app",
            "stage": "GA", "title": "app"})),
        resource("google", "google_project_iam_member.app", json!({
            "condition": [], "etag": "BwYX0", "id": "x", "member": format!("serviceAccount:{}", project.account()),
            "project": project.id, "role": project.role()})),
        resource("google", "google_project_iam_binding.owners", json!({
            "condition": [], "etag": "BwYX0", "id": "y", "members": ["group:platform@example.com"],
            "project": project.id, "role": project.role()})),
        resource("google", "google_service_account.app", json!({
            "account_id": "app", "description": "", "disabled": false, "display_name": "app",
            "email": project.account(), "id": format!("projects/{}/serviceAccounts/{}", project.id, project.account()),
            "member": format!("serviceAccount:{}", project.account()),
            "name": format!("projects/{}/serviceAccounts/{}", project.id, project.account()),
            "project": project.id, "unique_id": "1000"})),
    ]}}})
}

#[test]
fn terraform_gcp_iam_gives_the_findings_of_gcloud_exports() {
    let work = tempfile::tempdir().expect("temporary directory");
    let staging = Project {
        id: "stg-shop",
        permissions: vec!["storage.objects.get", "storage.objects.delete"],
    };
    let production = Project {
        id: "prod-shop",
        permissions: vec!["storage.objects.get"],
    };
    let dir = work.path();
    native(&staging, &dir.join("native/staging"));
    native(&production, &dir.join("native/production"));
    save(&dir.join("tf/staging"), "state.json", &state(&staging));
    save(
        &dir.join("tf/production"),
        "state.json",
        &state(&production),
    );
    let native = compare(
        &dir.join("native/staging"),
        &dir.join("native/production"),
        SHOP,
    );
    let terraform = compare(&dir.join("tf/staging"), &dir.join("tf/production"), SHOP);
    assert!(problems(&native).is_empty(), "{:?}", problems(&native));
    assert!(
        problems(&terraform).is_empty(),
        "{:?}",
        problems(&terraform)
    );
    let rules = rules(&terraform);
    assert!(
        rules.contains(&"access-broader-in-staging".to_string()),
        "{rules:?}"
    );
    assert_eq!(findings(&native), findings(&terraform));
    let same = compare(&dir.join("tf/staging"), &dir.join("tf/staging"), &[]);
    assert!(same.report.findings.is_empty(), "{:?}", findings(&same));
}

#[test]
fn a_condition_known_only_after_apply_is_access_unknown() {
    let work = tempfile::tempdir().expect("temporary directory");
    let project = |id: &'static str| Project {
        id,
        permissions: vec!["storage.objects.get"],
    };
    let plan = |p: &Project| {
        let mut doc = state(p);
        let values = doc["values"].take();
        doc["planned_values"] = values;
        doc.as_object_mut().map(|o| o.remove("values"));
        doc["resource_changes"] = json!([{"address": "google_project_iam_member.app",
            "change": {"actions": ["create"], "after_unknown": {"condition": [{"expression": true}]}}}]);
        doc["planned_values"]["root_module"]["resources"][1]["values"]["condition"] =
            json!([{"title": "until rollout"}]);
        doc
    };
    let (s, p) = (project("stg-shop"), project("prod-shop"));
    save(&work.path().join("staging"), "plan.json", &plan(&s));
    save(&work.path().join("production"), "plan.json", &plan(&p));
    let outcome = compare(
        &work.path().join("staging"),
        &work.path().join("production"),
        SHOP,
    );
    let rules = rules(&outcome);
    assert!(rules.contains(&"access-unknown".to_string()), "{rules:?}");
}
