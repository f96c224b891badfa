//! `privilege-wildcard-admin`: non-human identities holding cluster-admin-equivalent rules,
//! reported per environment.

use std::collections::BTreeMap;

use envparity_access::k8s;

use super::grants::{Grants, SubjectKey};
use crate::compare::Results;
use crate::findings::{Finding, Rule, Side, Subject};

/// `privilege-wildcard-admin`: a service account (or the service-account groups) holding
/// cluster-admin-equivalent rules, per environment.
pub(super) fn wildcard_admin(
    side: Side,
    subjects: &BTreeMap<SubjectKey, Grants>,
    results: &mut Results,
) {
    for (key, grants) in subjects {
        let nhi = match key {
            SubjectKey::ServiceAccount { .. } => true,
            SubjectKey::Group(g) => g.starts_with("system:serviceaccounts"),
            SubjectKey::User(u) => u.starts_with("system:serviceaccount:"),
        };
        if !nhi || !k8s::admin_equivalent(&grants.rules) {
            continue;
        }
        let name = key.name();
        let subject = Subject::one_side(key.kind(), side, name.clone());
        let side_name = match side {
            Side::Staging => "staging",
            Side::Production => "production",
        };
        let mut finding = Finding::new(
            Rule::PrivilegeWildcardAdmin,
            subject,
            format!(
                "{} `{name}` holds cluster-admin-equivalent access (all verbs on all resources cluster-wide) in {side_name}",
                key.kind().trim_start_matches("k8s-")
            ),
        )
        .key(side_name);
        let admin_rule = grants
            .rules
            .iter()
            .find(|r| k8s::admin_equivalent(std::slice::from_ref(*r)));
        if let Some(r) = admin_rule
            && let Some(origin) = grants.origins.get(r.origin)
        {
            finding = finding.evidence_on(side, origin.evidence(&r.rule));
        }
        results.add(finding);
    }
}
