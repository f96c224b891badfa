//! GCP identities and role definitions of a Terraform document → the model, as `gcloud`
//! lists them: `google_project_iam_custom_role` (a role definition with its permissions),
//! `google_service_account`, and `google_service_account_key` (a user-managed key of its
//! account: its id and validity only; the private key is never read). Terraform declares
//! its service accounts' keys, so each account counts as listed (with or without keys).

use super::super::node::Shaped;
use super::Lowering;
use super::attrs::Field;
use super::document::Resource;
use crate::model::{GcpKey, GcpRole, GcpServiceAccount};

pub const TYPES: &[&str] = &[
    "google_project_iam_custom_role",
    "google_service_account",
    "google_service_account_key",
];

pub fn lower(lw: &mut Lowering<'_, '_>) {
    let resources = lw.resources;
    for r in resources.iter().filter(|r| !r.data) {
        let result = match r.kind.as_str() {
            "google_project_iam_custom_role" => role(lw, r),
            "google_service_account" => account(lw, r),
            "google_service_account_key" => key(lw, r),
            _ => continue,
        };
        match result {
            Ok(true) => lw.objects += 1,
            Ok(false) => {}
            Err(e) => lw.skipped(r, &e),
        }
    }
}

/// A known text attribute, or `None` with a warning that the object is not compared.
fn known(lw: &mut Lowering<'_, '_>, r: &Resource<'_>, key: &str) -> Shaped<Option<String>> {
    let view = r.values.at(key);
    match view.text()? {
        Field::Known(text) if !text.is_empty() => Ok(Some(text)),
        Field::Unknown => {
            lw.unknown(r, &view, "the object is not compared");
            Ok(None)
        }
        Field::Known(_) | Field::Absent => {
            lw.warn(
                Some(view.line),
                format!("ignored `{}`: it has no `{key}`", r.address),
            );
            Ok(None)
        }
    }
}

fn role(lw: &mut Lowering<'_, '_>, r: &Resource<'_>) -> Shaped<bool> {
    let name = match r.values.string("name")?.known().filter(|n| !n.is_empty()) {
        Some(name) => name,
        None => {
            let (Some(project), Some(id)) = (known(lw, r, "project")?, known(lw, r, "role_id")?)
            else {
                return Ok(false);
            };
            format!("projects/{project}/roles/{id}")
        }
    };
    let permissions = match r.values.strings("permissions")? {
        Field::Known(permissions) => Some(permissions),
        Field::Unknown => {
            lw.unknown(
                r,
                &r.values.at("permissions"),
                "what the role grants is unknown",
            );
            None
        }
        Field::Absent => Some(Vec::new()),
    };
    lw.snapshot.gcp.roles.push(GcpRole {
        name,
        title: r.values.string("title")?.known().filter(|t| !t.is_empty()),
        stage: r.values.string("stage")?.known().filter(|s| !s.is_empty()),
        permissions,
        deleted: r.values.bool("deleted")?.known().unwrap_or(false),
        provenance: lw.provenance(r.line),
    });
    Ok(true)
}

fn account(lw: &mut Lowering<'_, '_>, r: &Resource<'_>) -> Shaped<bool> {
    let email = match r.values.string("email")? {
        Field::Known(email) if !email.is_empty() => email,
        _ => {
            // Before apply the e-mail is derived from the account id and project.
            let (Some(id), Some(project)) = (known(lw, r, "account_id")?, known(lw, r, "project")?)
            else {
                return Ok(false);
            };
            format!("{id}@{project}.iam.gserviceaccount.com")
        }
    };
    let email = email.to_ascii_lowercase();
    // Terraform declares the account's keys: none declared is a listing without keys.
    if !lw.snapshot.gcp.keys_listed.contains(&email) {
        lw.snapshot.gcp.keys_listed.push(email.clone());
    }
    lw.snapshot.gcp.service_accounts.push(GcpServiceAccount {
        email,
        project_id: r.values.string("project")?.known(),
        unique_id: r.values.string("unique_id")?.known(),
        display_name: r.values.string("display_name")?.known(),
        disabled: r.values.bool("disabled")?.known().unwrap_or(false),
        provenance: lw.provenance(r.line),
    });
    Ok(true)
}

fn key(lw: &mut Lowering<'_, '_>, r: &Resource<'_>) -> Shaped<bool> {
    let Some(account) = known(lw, r, "service_account_id")? else {
        return Ok(false);
    };
    // `projects/<p>/serviceAccounts/<email>`, or the e-mail itself.
    let email = account
        .rsplit('/')
        .next()
        .unwrap_or(&account)
        .to_ascii_lowercase();
    let key_id = match r.values.string("name")?.known() {
        Some(name) => name.rsplit('/').next().unwrap_or(&name).to_string(),
        None => lw.placeholder(r, &r.values.at("name"), "known after apply"),
    };
    let date = |key: &str| -> Shaped<Option<String>> {
        Ok(r.values.string(key)?.known().filter(|d| !d.is_empty()))
    };
    let (valid_after, valid_before) = (date("valid_after")?, date("valid_before")?);
    let provenance = lw.provenance(r.line);
    let gcp = &mut lw.snapshot.gcp;
    if !gcp.keys_listed.contains(&email) {
        gcp.keys_listed.push(email.clone());
    }
    gcp.keys.push(GcpKey {
        service_account: email,
        key_id,
        key_type: "USER_MANAGED".to_string(),
        valid_after,
        valid_before,
        disabled: false,
        provenance,
    });
    Ok(true)
}
