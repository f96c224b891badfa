//! The AWS CLI dumps of an [`Env`](super::Env), one file per command as users save them,
//! in the shapes the AWS CLI prints (the same commands `tests/aws/lib.sh` runs).

use std::path::Path;

use serde_json::{Value, json};

use super::Env;
use crate::support::write_json as save;

pub fn secret_arn(account: &str, name: &str) -> String {
    format!("arn:aws:secretsmanager:us-east-1:{account}:secret:{name}-AbCdEf")
}

pub fn write(env: &Env, dir: &Path) {
    let account = env.account;
    let policy_arn = |name: &str| format!("arn:aws:iam::{account}:policy/{name}");
    let roles: Vec<Value> = env
        .roles
        .iter()
        .enumerate()
        .map(|(i, role)| {
            let mut value = json!({
                "Path": "/",
                "RoleName": role.name,
                "RoleId": format!("AROA{account}{i:04}"),
                "Arn": format!("arn:aws:iam::{account}:role/{}", role.name),
                "CreateDate": "2024-05-01T12:00:00+00:00",
                "AssumeRolePolicyDocument": role.trust,
                "InstanceProfileList": [],
                "RolePolicyList": role.inline.iter()
                    .map(|(name, doc)| json!({"PolicyName": name, "PolicyDocument": doc}))
                    .collect::<Vec<_>>(),
                "AttachedManagedPolicies": role.attached.iter()
                    .map(|name| json!({"PolicyName": name, "PolicyArn": policy_arn(name)}))
                    .collect::<Vec<_>>(),
                "Tags": [],
                "RoleLastUsed": {}
            });
            if let Some(boundary) = role.boundary {
                value["PermissionsBoundary"] = json!({
                    "PermissionsBoundaryType": "Policy",
                    "PermissionsBoundaryArn": policy_arn(boundary)
                });
            }
            value
        })
        .collect();
    let policies: Vec<Value> = env
        .policies
        .iter()
        .enumerate()
        .map(|(i, (name, doc))| {
            json!({
                "PolicyName": name,
                "PolicyId": format!("ANPA{account}{i:04}"),
                "Arn": policy_arn(name),
                "Path": "/",
                "DefaultVersionId": "v1",
                "AttachmentCount": 1,
                "IsAttachable": true,
                "PolicyVersionList": [
                    {"Document": doc, "VersionId": "v1", "IsDefaultVersion": true,
                     "CreateDate": "2024-05-01T12:00:00+00:00"}
                ]
            })
        })
        .collect();
    save(
        dir,
        "get-account-authorization-details.json",
        &json!({"UserDetailList": [], "GroupDetailList": [], "RoleDetailList": roles,
                "Policies": policies}),
    );
    let secrets: Vec<Value> = env
        .secrets
        .iter()
        .map(|(name, days)| {
            let mut value = json!({
                "ARN": secret_arn(account, name),
                "Name": name,
                "LastChangedDate": "2024-05-01T12:00:00+00:00",
                "Tags": [],
                "SecretVersionsToStages": {"v1": ["AWSCURRENT"]},
                "CreatedDate": "2024-05-01T12:00:00+00:00"
            });
            if let Some(days) = days {
                value["RotationEnabled"] = json!(true);
                value["RotationLambdaARN"] = json!(format!(
                    "arn:aws:lambda:us-east-1:{account}:function:rotate-db"
                ));
                value["RotationRules"] = json!({"AutomaticallyAfterDays": days});
            }
            value
        })
        .collect();
    save(dir, "list-secrets.json", &json!({"SecretList": secrets}));
    let trails: Vec<Value> = env
        .trails
        .iter()
        .map(|name| {
            json!({
                "Name": name,
                "S3BucketName": format!("{name}-logs"),
                "IncludeGlobalServiceEvents": true,
                "IsMultiRegionTrail": true,
                "HomeRegion": "us-east-1",
                "TrailARN": format!("arn:aws:cloudtrail:us-east-1:{account}:trail/{name}"),
                "LogFileValidationEnabled": true,
                "HasCustomEventSelectors": false,
                "HasInsightSelectors": false,
                "IsOrganizationTrail": false
            })
        })
        .collect();
    save(dir, "describe-trails.json", &json!({"trailList": trails}));
    for name in &env.trails {
        save(
            dir,
            &format!("get-trail-status-{name}.json"),
            &json!({"IsLogging": true}),
        );
        save(
            dir,
            &format!("get-event-selectors-{name}.json"),
            &json!({
                "TrailARN": format!("arn:aws:cloudtrail:us-east-1:{account}:trail/{name}"),
                "EventSelectors": [{"ReadWriteType": "All", "IncludeManagementEvents": true,
                                    "DataResources": [], "ExcludeManagementEventSources": []}]
            }),
        );
    }
    let groups: Vec<Value> = env
        .groups
        .iter()
        .map(|group| {
            json!({
                "Description": "web tier",
                "GroupName": group.name,
                "IpPermissions": group.ingress.iter().map(|(protocol, from, to, cidr)| json!({
                    "FromPort": from, "IpProtocol": protocol, "IpRanges": [{"CidrIp": cidr}],
                    "Ipv6Ranges": [], "PrefixListIds": [], "ToPort": to, "UserIdGroupPairs": []
                })).collect::<Vec<_>>(),
                "OwnerId": account,
                "GroupId": group.id,
                "IpPermissionsEgress": [{"IpProtocol": "-1", "IpRanges": [{"CidrIp": "0.0.0.0/0"}],
                                         "Ipv6Ranges": [], "PrefixListIds": [], "UserIdGroupPairs": []}],
                "VpcId": "vpc-0c3c3c3c3c3c3c3c3"
            })
        })
        .collect();
    save(
        dir,
        "describe-security-groups.json",
        &json!({"SecurityGroups": groups}),
    );
    let log_groups: Vec<Value> = env
        .log_groups
        .iter()
        .map(|(name, days)| {
            let mut value = json!({
                "logGroupName": name,
                "creationTime": 1_714_564_800_000_i64,
                "metricFilterCount": 0,
                "arn": format!("arn:aws:logs:us-east-1:{account}:log-group:{name}:*"),
                "storedBytes": 0
            });
            if let Some(days) = days {
                value["retentionInDays"] = json!(days);
            }
            value
        })
        .collect();
    save(
        dir,
        "describe-log-groups.json",
        &json!({"logGroups": log_groups}),
    );
}
