//! Service control policies: `aws organizations describe-policy` output of a
//! `SERVICE_CONTROL_POLICY` (its `Content` is the document as JSON text), or a bare policy
//! document in a file whose name contains `scp` (the only way a bare policy file is told
//! apart from other policies; see the detection rules in the module above).

use super::super::yaml::Node;
use super::policy::{self, Label};
use super::{Sink, file_name};
use crate::model::Level;

pub fn describe_policy(doc: &Node, sink: &mut Sink<'_>) -> usize {
    let Some(policy) = doc.get("Policy") else {
        return 0;
    };
    let summary = policy.get("PolicySummary");
    let name = summary
        .and_then(|s| s.text_at("Name").or_else(|| s.text_at("Arn")))
        .unwrap_or_else(|| stem(sink.path).to_string());
    let Some(content) = policy.get("Content") else {
        sink.diagnostic(
            Level::Warning,
            Some(policy.line),
            format!("skipped service control policy `{name}`: it has no `Content`"),
        );
        return 0;
    };
    let document = policy::document(
        content,
        &Label::named(&name, "service control policy"),
        sink,
    );
    sink.aws.scps.push(document);
    1
}

pub fn bare_policy(doc: &Node, sink: &mut Sink<'_>) -> usize {
    let name = stem(sink.path).to_string();
    let document = policy::document(doc, &Label::named(&name, "service control policy"), sink);
    sink.aws.scps.push(document);
    1
}

/// A file name without its last extension.
fn stem(path: &str) -> &str {
    let name = file_name(path);
    name.rsplit_once('.').map_or(name, |(stem, _)| stem)
}
