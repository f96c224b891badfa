//! Service accounts (`gcloud iam service-accounts list|describe --format=json`) and their
//! keys (`gcloud iam service-accounts keys list --iam-account=… --format=json`). Key
//! listings carry no key material; only the key's id, type and validity are kept.

use super::super::node::opt_bool;
use super::super::yaml::Node;
use super::{Sink, objects};
use crate::model::{GcpKey, GcpServiceAccount, Level};

pub fn service_accounts(doc: &Node, sink: &mut Sink<'_>) -> usize {
    let mut count = 0;
    for node in objects(doc) {
        let Some(email) = node.text_at("email") else {
            sink.diagnostic(
                Level::Warning,
                Some(node.line),
                "skipped a service account without `email`",
            );
            continue;
        };
        sink.gcp.service_accounts.push(GcpServiceAccount {
            email: email.to_ascii_lowercase(),
            project_id: node.text_at("projectId"),
            unique_id: node.text_at("uniqueId"),
            display_name: node.text_at("displayName"),
            disabled: opt_bool(node, "disabled").ok().flatten().unwrap_or(false),
            provenance: sink.provenance(node.line),
        });
        count += 1;
    }
    count
}

/// `projects/<p>/serviceAccounts/<email>/keys/<id>` → (email, id).
fn key_name(name: &str) -> Option<(String, String)> {
    let (account, id) = name.split_once("/keys/")?;
    let email = account.rsplit('/').next()?;
    (email.contains('@') && !id.is_empty()).then(|| (email.to_ascii_lowercase(), id.to_string()))
}

pub fn keys(doc: &Node, sink: &mut Sink<'_>) -> usize {
    let mut count = 0;
    for node in objects(doc) {
        let name = node.text_at("name").unwrap_or_default();
        let Some((service_account, key_id)) = key_name(&name) else {
            sink.diagnostic(
                Level::Warning,
                Some(node.line),
                format!(
                    "skipped key `{name}`: its name is not `projects/<project>/serviceAccounts/<email>/keys/<id>`"
                ),
            );
            continue;
        };
        if !sink.gcp.keys_listed.contains(&service_account) {
            sink.gcp.keys_listed.push(service_account.clone());
        }
        sink.gcp.keys.push(GcpKey {
            service_account,
            key_id,
            key_type: node.text_at("keyType").unwrap_or_default(),
            valid_after: node.text_at("validAfterTime"),
            valid_before: node.text_at("validBeforeTime"),
            disabled: opt_bool(node, "disabled").ok().flatten().unwrap_or(false),
            provenance: sink.provenance(node.line),
        });
        count += 1;
    }
    count
}
