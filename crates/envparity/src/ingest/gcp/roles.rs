//! Role definitions: `gcloud iam roles describe … --format=json` (one role with its
//! `includedPermissions`) and `gcloud iam roles list` (roles by name only, unless listed with
//! their permissions).

use super::super::node::{opt_bool, str_list};
use super::super::yaml::Node;
use super::{Sink, objects};
use crate::model::{GcpRole, Level};

pub fn roles(doc: &Node, sink: &mut Sink<'_>) -> usize {
    let mut count = 0;
    let mut names_only = 0;
    for node in objects(doc) {
        let Some(name) = node.text_at("name") else {
            sink.diagnostic(
                Level::Warning,
                Some(node.line),
                "skipped a role without `name`",
            );
            continue;
        };
        let permissions = if node.get("includedPermissions").is_some() {
            match str_list(node, "includedPermissions") {
                Ok(p) => Some(p),
                Err(e) => {
                    sink.diagnostic(
                        Level::Warning,
                        Some(e.line),
                        format!("role `{name}` kept without its permissions: {e}"),
                    );
                    None
                }
            }
        } else if super::has(node, "includedPermissions") {
            // `includedPermissions: null`: a role that grants nothing.
            Some(Vec::new())
        } else {
            names_only += 1;
            None
        };
        sink.gcp.roles.push(GcpRole {
            name,
            title: node.text_at("title"),
            stage: node.text_at("stage"),
            permissions,
            deleted: opt_bool(node, "deleted").ok().flatten().unwrap_or(false),
            provenance: sink.provenance(node.line),
        });
        count += 1;
    }
    if names_only > 0 {
        sink.diagnostic(
            Level::Info,
            Some(doc.line),
            format!(
                "{names_only} role(s) listed without their permissions; export each with `gcloud iam roles describe` to compare them"
            ),
        );
    }
    count
}
