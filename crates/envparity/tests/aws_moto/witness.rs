//! Confirms every access witness of a scenario with the independent IAM simulator (the oracle
//! harness of envparity-access): the request must be allowed, with the policies dumped from
//! moto, on the side the witness says, and its translation denied on the other side.

use std::collections::BTreeMap;
use std::path::Path;

use serde_json::Value;

use crate::oracle::{SimCase, Simulator};

/// The policies that decide a principal's own requests, as JSON texts.
#[derive(Debug, Default)]
struct Policies {
    identity: Vec<String>,
    boundary: Vec<String>,
}

/// The dumped `get-account-authorization-details` of one environment.
struct Gaad(Value);

impl Gaad {
    fn read(dir: &Path) -> Result<Gaad, String> {
        let path = dir.join("get-account-authorization-details.json");
        let text = std::fs::read_to_string(&path)
            .map_err(|e| format!("cannot read `{}`: {e}", path.display()))?;
        serde_json::from_str(&text)
            .map(Gaad)
            .map_err(|e| format!("`{}` is not JSON: {e}", path.display()))
    }

    fn list(&self, key: &str) -> &[Value] {
        self.0[key].as_array().map_or(&[], Vec::as_slice)
    }

    /// The default version of a managed policy of this account.
    fn managed(&self, arn: &str) -> Result<String, String> {
        let policy = self
            .list("Policies")
            .iter()
            .find(|p| p["Arn"] == arn)
            .ok_or_else(|| format!("managed policy `{arn}` is not in the dump"))?;
        let versions = policy["PolicyVersionList"]
            .as_array()
            .map_or(&[][..], Vec::as_slice);
        versions
            .iter()
            .find(|v| v["IsDefaultVersion"] == true)
            .map(|v| v["Document"].to_string())
            .ok_or_else(|| format!("managed policy `{arn}` has no default version"))
    }

    /// Inline and attached policies of one role, user or group entry.
    fn own(&self, entry: &Value, inline_key: &str, out: &mut Policies) -> Result<(), String> {
        for inline in entry[inline_key].as_array().into_iter().flatten() {
            out.identity.push(inline["PolicyDocument"].to_string());
        }
        for attached in entry["AttachedManagedPolicies"]
            .as_array()
            .into_iter()
            .flatten()
        {
            let arn = attached["PolicyArn"].as_str().unwrap_or_default();
            out.identity.push(self.managed(arn)?);
        }
        if let Some(arn) = entry["PermissionsBoundary"]["PermissionsBoundaryArn"].as_str() {
            out.boundary.push(self.managed(arn)?);
        }
        Ok(())
    }

    /// Everything that decides the requests of the role or user with this ARN.
    fn policies_of(&self, arn: &str) -> Result<Policies, String> {
        let mut out = Policies::default();
        if let Some(role) = self.list("RoleDetailList").iter().find(|r| r["Arn"] == arn) {
            self.own(role, "RolePolicyList", &mut out)?;
            return Ok(out);
        }
        let user = self
            .list("UserDetailList")
            .iter()
            .find(|u| u["Arn"] == arn)
            .ok_or_else(|| format!("no role or user `{arn}` in the dump"))?;
        self.own(user, "UserPolicyList", &mut out)?;
        for name in user["GroupList"].as_array().into_iter().flatten() {
            if let Some(group) = self
                .list("GroupDetailList")
                .iter()
                .find(|g| g["GroupName"] == *name)
            {
                let mut group_policies = Policies::default();
                self.own(group, "GroupPolicyList", &mut group_policies)?;
                out.identity.extend(group_policies.identity);
            }
        }
        Ok(out)
    }
}

/// A witness request as a simulator case for one principal.
fn case(request: &Value, principal: &str, policies: &Policies) -> Result<SimCase, String> {
    let field = |key: &str| {
        request[key]
            .as_str()
            .map(String::from)
            .ok_or_else(|| format!("witness request without `{key}`: {request}"))
    };
    let mut context: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for (key, value) in request["context"].as_object().into_iter().flatten() {
        let values = match value {
            Value::Array(items) => items.iter().map(scalar).collect(),
            other => vec![scalar(other)],
        };
        context.insert(key.clone(), values);
    }
    Ok(SimCase {
        identity: policies.identity.clone(),
        boundary: policies.boundary.clone(),
        scps: Vec::new(),
        action: field("action")?,
        resource: field("resource")?,
        principal: Some(principal.to_string()),
        context,
    })
}

fn scalar(value: &Value) -> String {
    value
        .as_str()
        .map_or_else(|| value.to_string(), String::from)
}

/// The other side's name for a side of the report.
fn other(side: &str) -> &'static str {
    if side == "staging" {
        "production"
    } else {
        "staging"
    }
}

/// Checks the witnesses of every access finding on an IAM role or user (but synthetic ones);
/// returns the disagreements (and anything that kept a witness from being checked).
pub fn confirm(
    simulator: &mut Simulator,
    name: &str,
    findings: &Value,
    staging: &Path,
    production: &Path,
) -> Vec<String> {
    let mut failures = Vec::new();
    let (staging_gaad, production_gaad) = match (Gaad::read(staging), Gaad::read(production)) {
        (Ok(s), Ok(p)) => (s, p),
        (Err(e), _) | (_, Err(e)) => return vec![format!("{name}: {e}")],
    };
    for finding in findings.as_array().into_iter().flatten() {
        let rule = finding["rule"].as_str().unwrap_or_default();
        let kind = finding["subject"]["kind"].as_str().unwrap_or_default();
        if !rule.starts_with("access-") || !matches!(kind, "aws-iam-role" | "aws-iam-user") {
            continue;
        }
        for witness in finding["witnesses"].as_array().into_iter().flatten() {
            // A synthetic witness names an action the catalog lacks (standing for actions a
            // wildcard will also match): the simulator only knows real actions.
            if witness["synthetic"] == true {
                continue;
            }
            let allowed = witness["allowed_in"].as_str().unwrap_or("staging");
            let denied = other(allowed);
            let translated = &witness[format!("{denied}_request")];
            let checks = [
                (allowed, &witness["request"], true),
                (denied, translated, false),
            ];
            for (side, request, expect_allowed) in checks {
                let gaad = if side == "staging" {
                    &staging_gaad
                } else {
                    &production_gaad
                };
                let principal = finding["subject"][side].as_str().unwrap_or_default();
                let decided = gaad
                    .policies_of(principal)
                    .and_then(|p| case(request, principal, &p))
                    .and_then(|c| simulator.decide(&c));
                match decided {
                    Ok(d) if d.is_allowed() == expect_allowed => {}
                    Ok(d) => failures.push(format!(
                        "{name}: {rule} witness {request} on `{principal}` ({side}): \
                         the simulator says {d:?}"
                    )),
                    Err(e) => failures.push(format!(
                        "{name}: {rule} witness {request} on `{principal}` ({side}): \
                         the simulator cannot evaluate it: {e}"
                    )),
                }
            }
        }
    }
    failures
}
