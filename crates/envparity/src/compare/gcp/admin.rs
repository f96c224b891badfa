//! `privilege-wildcard-admin` for GCP, per environment: a service account bound without
//! condition, on a project, folder or organization, to a basic role that administers it
//! (`roles/owner`, `roles/editor`) or to a role whose definition lets it rewrite the
//! resource's IAM policy (`resourcemanager.{projects,folders,organizations}.setIamPolicy`,
//! which grants any role, itself included).

use std::collections::BTreeMap;

use envparity_access::gcp::Member;

use super::model::Built;
use super::{evidence, side_word};
use crate::compare::Results;
use crate::findings::{Finding, Rule, Side, Subject};
use crate::model::GcpObjects;

const BASIC: [&str; 2] = ["roles/owner", "roles/editor"];

const SET_IAM_POLICY: [&str; 3] = [
    "resourcemanager.projects.setIamPolicy",
    "resourcemanager.folders.setIamPolicy",
    "resourcemanager.organizations.setIamPolicy",
];

/// A project, folder or organization (not a resource inside one).
fn hierarchy_node(resource: &str) -> bool {
    let mut parts = resource.split('/');
    matches!(
        (parts.next(), parts.next(), parts.next()),
        (Some("projects" | "folders" | "organizations"), Some(id), None) if !id.is_empty()
    )
}

/// Why `role` is administrator-equivalent, if it is.
fn admin_role(role: &str, gcp: &GcpObjects) -> Option<String> {
    if BASIC.contains(&role) {
        return Some(format!("`{role}`"));
    }
    let definition = gcp.roles.iter().find(|r| r.name == role && !r.deleted)?;
    let permission = definition
        .permissions
        .iter()
        .flatten()
        .find(|p| SET_IAM_POLICY.contains(&p.as_str()))?;
    Some(format!("`{role}` (it holds `{permission}`)"))
}

pub fn compare(side: Side, gcp: &GcpObjects, built: &Built, results: &mut Results) {
    // service account → (why, origin index) per administering binding
    let mut admins: BTreeMap<String, Vec<(String, usize)>> = BTreeMap::new();
    for (i, origin) in built.bindings.iter().enumerate() {
        let Some(resource) = &origin.resource else {
            continue;
        };
        if origin.conditional || !hierarchy_node(resource) {
            continue;
        }
        let Some(why) = admin_role(&origin.role, gcp) else {
            continue;
        };
        for m in &origin.members {
            if let Some(email) = Member::parse(m).service_account() {
                admins
                    .entry(email.to_string())
                    .or_default()
                    .push((format!("{why} on `{resource}`"), i));
            }
        }
    }
    for (email, grants) in admins {
        let subject = Subject::one_side("gcp-service-account", side, email.clone());
        let whys: Vec<&str> = grants.iter().map(|(w, _)| w.as_str()).collect();
        let message = format!(
            "GCP service account `{email}` holds administrator-equivalent access in {}: {}",
            side_word(side),
            whys.join(", ")
        );
        let mut finding =
            Finding::new(Rule::PrivilegeWildcardAdmin, subject, message).key(side_word(side));
        for (_, i) in &grants {
            if let Some(origin) = built.bindings.get(*i) {
                finding = finding.evidence_on(side, evidence(origin));
            }
        }
        results.add(finding);
    }
}
