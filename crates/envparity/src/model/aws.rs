//! AWS facts of one environment: IAM (roles, users, groups, managed policies, SCPs), the
//! credential report, Secrets Manager, CloudTrail, security groups and detection controls.
//! Policy documents are kept as compact JSON text with their provenance; the access engine
//! parses them when comparing, so a malformed document becomes `access-unknown`, never a lost
//! file.

use std::collections::BTreeMap;

use serde::Serialize;

use super::Provenance;

#[derive(Debug, Clone, Default, Serialize)]
pub struct AwsObjects {
    /// Account ids seen in the inputs (from ARNs), sorted.
    pub accounts: Vec<String>,
    pub roles: Vec<IamRole>,
    pub users: Vec<IamUser>,
    pub groups: Vec<IamGroup>,
    /// Customer- and AWS-managed policies with their default version.
    pub managed_policies: Vec<ManagedPolicy>,
    /// Service control policies applied to the environment.
    pub scps: Vec<PolicyDocument>,
    pub credential_report: Vec<CredentialReportRow>,
    pub secrets: Vec<AwsSecret>,
    pub trails: Vec<Trail>,
    pub security_groups: Vec<SecurityGroup>,
    pub alarms: Vec<Alarm>,
    pub detectors: Vec<GuardDutyDetector>,
    pub config_recorders: Vec<ConfigRecorder>,
    pub log_groups: Vec<LogGroup>,
}

/// A policy document as found (decoded from URL-encoding when needed), with a name for
/// messages: `inline policy x of role y`, a managed policy ARN, an SCP name.
#[derive(Debug, Clone, Serialize)]
pub struct PolicyDocument {
    pub name: String,
    pub document: PolicyJson,
    pub provenance: Provenance,
}

/// A JSON value held as its minified text (object keys in document order). An org-scale
/// dump holds tens of thousands of policy documents: as text they take about what the input
/// took, as decoded values about three times that. [`PolicyJson::value`] decodes on use.
#[derive(Clone, PartialEq, Eq)]
pub struct PolicyJson(Box<str>);

impl PolicyJson {
    pub fn new(value: &serde_json::Value) -> PolicyJson {
        PolicyJson(value.to_string().into_boxed_str())
    }

    /// The decoded value. The text was written from a value, so decoding cannot fail; its
    /// depth is bounded by the parse limits, so the recursion limit is not needed.
    pub fn value(&self) -> serde_json::Value {
        let mut de = serde_json::Deserializer::from_str(&self.0);
        de.disable_recursion_limit();
        serde::Deserialize::deserialize(&mut de).unwrap_or(serde_json::Value::Null)
    }

    /// The minified JSON text.
    pub fn text(&self) -> &str {
        &self.0
    }
}

impl From<serde_json::Value> for PolicyJson {
    fn from(value: serde_json::Value) -> PolicyJson {
        PolicyJson::new(&value)
    }
}

impl std::fmt::Debug for PolicyJson {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl Serialize for PolicyJson {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        self.value().serialize(serializer)
    }
}

/// An inline policy.
#[derive(Debug, Clone, Serialize)]
pub struct NamedPolicy {
    pub name: String,
    pub document: PolicyDocument,
}

#[derive(Debug, Clone, Serialize)]
pub struct IamRole {
    pub arn: String,
    pub name: String,
    pub path: String,
    pub trust_policy: Option<PolicyDocument>,
    pub inline_policies: Vec<NamedPolicy>,
    /// ARNs of attached managed policies.
    pub attached_policies: Vec<String>,
    /// ARN of the permissions boundary.
    pub permissions_boundary: Option<String>,
    pub tags: BTreeMap<String, String>,
    pub max_session_duration: Option<i64>,
    /// ISO-8601 date of last use, when known.
    pub last_used: Option<String>,
    pub instance_profiles: Vec<String>,
    pub provenance: Provenance,
}

#[derive(Debug, Clone, Serialize)]
pub struct IamUser {
    pub arn: String,
    pub name: String,
    pub path: String,
    pub inline_policies: Vec<NamedPolicy>,
    pub attached_policies: Vec<String>,
    pub permissions_boundary: Option<String>,
    /// Group names.
    pub groups: Vec<String>,
    pub tags: BTreeMap<String, String>,
    pub provenance: Provenance,
}

#[derive(Debug, Clone, Serialize)]
pub struct IamGroup {
    pub arn: String,
    pub name: String,
    pub inline_policies: Vec<NamedPolicy>,
    pub attached_policies: Vec<String>,
    pub provenance: Provenance,
}

#[derive(Debug, Clone, Serialize)]
pub struct ManagedPolicy {
    pub arn: String,
    pub name: String,
    /// The default version's document.
    pub document: PolicyDocument,
}

/// One row of the IAM credential report (dates ISO-8601; `None` for `N/A`/`no_information`).
#[derive(Debug, Clone, Serialize)]
pub struct CredentialReportRow {
    pub user: String,
    pub arn: String,
    pub password_enabled: bool,
    pub access_keys: Vec<AccessKeyInfo>,
    pub provenance: Provenance,
}

#[derive(Debug, Clone, Serialize)]
pub struct AccessKeyInfo {
    /// 1 or 2, as in the report's columns.
    pub slot: u8,
    pub active: bool,
    pub last_rotated: Option<String>,
    pub last_used: Option<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct AwsSecret {
    pub arn: String,
    pub name: String,
    pub rotation_enabled: bool,
    pub rotation_days: Option<i64>,
    /// `ScheduleExpression` of the rotation rules, when used instead of days.
    pub rotation_schedule: Option<String>,
    pub rotation_lambda: Option<String>,
    pub kms_key: Option<String>,
    pub last_rotated: Option<String>,
    pub tags: BTreeMap<String, String>,
    pub provenance: Provenance,
}

#[derive(Debug, Clone, Serialize)]
pub struct Trail {
    pub name: String,
    pub arn: Option<String>,
    pub home_region: Option<String>,
    pub multi_region: bool,
    pub organization_trail: bool,
    pub include_global_events: bool,
    pub log_file_validation: bool,
    pub kms_key: Option<String>,
    pub s3_bucket: Option<String>,
    pub cloudwatch_log_group: Option<String>,
    /// From `get-trail-status`, when given.
    pub is_logging: Option<bool>,
    /// From `get-event-selectors`, when given (`None`: unknown, not "no selectors").
    pub event_selectors: Option<Vec<EventSelector>>,
    pub provenance: Provenance,
}

#[derive(Debug, Clone, Serialize)]
pub struct EventSelector {
    /// `All`, `ReadOnly`, `WriteOnly`.
    pub read_write_type: String,
    pub include_management_events: bool,
    /// (resource type, values), e.g. `AWS::S3::Object`, `["arn:aws:s3"]`.
    pub data_resources: Vec<(String, Vec<String>)>,
}

#[derive(Debug, Clone, Serialize)]
pub struct SecurityGroup {
    pub id: String,
    pub name: String,
    pub vpc_id: Option<String>,
    pub owner_id: Option<String>,
    pub ingress: Vec<SecurityGroupRule>,
    pub egress: Vec<SecurityGroupRule>,
    pub provenance: Provenance,
}

/// One `IpPermissions` entry: protocol `-1` means all; ports `None` means all.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SecurityGroupRule {
    pub protocol: String,
    pub from_port: Option<i64>,
    pub to_port: Option<i64>,
    pub ipv4: Vec<String>,
    pub ipv6: Vec<String>,
    /// Referenced security group ids (with owner account when given: `account/sg-…`).
    pub groups: Vec<String>,
    pub prefix_lists: Vec<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct Alarm {
    pub name: String,
    pub namespace: Option<String>,
    pub metric: Option<String>,
    pub comparison: Option<String>,
    pub threshold: Option<f64>,
    pub evaluation_periods: Option<i64>,
    pub actions_enabled: bool,
    pub provenance: Provenance,
}

#[derive(Debug, Clone, Serialize)]
pub struct GuardDutyDetector {
    pub id: String,
    /// `ENABLED` / `DISABLED`; `None` when only the id is known (`list-detectors`).
    pub status: Option<String>,
    pub provenance: Provenance,
}

#[derive(Debug, Clone, Serialize)]
pub struct ConfigRecorder {
    pub name: String,
    pub recording: bool,
    pub last_status: Option<String>,
    pub provenance: Provenance,
}

#[derive(Debug, Clone, Serialize)]
pub struct LogGroup {
    pub name: String,
    pub retention_days: Option<i64>,
    pub kms_key: Option<String>,
    pub provenance: Provenance,
}
