//! One account's dump: roles, users and groups, and the `Policies` list (customer- and
//! AWS-managed, with their version lists) in `get-account-authorization-details` form.

use serde_json::{Value, json};

use super::{Env, RoleSpec, customer_arn, id, policy, render_role};
use crate::rng::Rng;

pub fn render_account(specs: &[RoleSpec], env: &Env, seed: u64, pool_size: usize) -> Value {
    let roles: Vec<Value> = specs
        .iter()
        .filter(|s| s.plant.is_none_or(|p| p.present_in(env)))
        .map(|s| render_role(s, env, seed))
        .collect();
    let mut attachments = vec![0usize; pool_size];
    for spec in specs {
        for k in &spec.pool {
            attachments[*k] += 1;
        }
    }
    let mut policies: Vec<Value> = (0..pool_size)
        .map(|k| {
            let (name, doc) = policy::pool_policy(k, env);
            managed_policy(
                &name,
                &customer_arn(env, &name),
                doc,
                attachments[k],
                seed,
                env,
            )
        })
        .collect();
    for (name, doc) in [
        policy::standard_boundary(env),
        policy::restricted_boundary(env),
    ] {
        policies.push(managed_policy(
            &name,
            &customer_arn(env, &name),
            doc,
            0,
            seed,
            env,
        ));
    }
    policies.push(managed_policy(
        "AWSLambdaBasicExecutionRole",
        "arn:aws:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole",
        policy::document(vec![json!({"Effect": "Allow",
            "Action": ["logs:CreateLogGroup", "logs:CreateLogStream", "logs:PutLogEvents"], "Resource": "*"})]),
        specs.iter().filter(|s| s.lambda_basic).count(),
        seed,
        env,
    ));
    policies.push(managed_policy(
        "AdministratorAccess",
        "arn:aws:iam::aws:policy/AdministratorAccess",
        policy::document(vec![
            json!({"Effect": "Allow", "Action": "*", "Resource": "*"}),
        ]),
        specs.iter().filter(|s| s.admin).count(),
        seed,
        env,
    ));
    let (users, groups) = users_and_groups(specs.len(), env, seed);
    json!({"UserDetailList": users, "GroupDetailList": groups, "RoleDetailList": roles, "Policies": policies})
}

fn managed_policy(
    name: &str,
    arn: &str,
    doc: Value,
    attachments: usize,
    seed: u64,
    env: &Env,
) -> Value {
    let mut rng = Rng::derived(seed, &format!("{}/policy/{name}", env.side));
    let versions = rng.range(1, 3);
    let list: Vec<Value> = (1..=versions)
        .rev()
        .map(|v| {
            let document = if v == versions { doc.clone() } else { policy::document(vec![]) };
            json!({"Document": document, "VersionId": format!("v{v}"), "IsDefaultVersion": v == versions,
                   "CreateDate": rng.date()})
        })
        .collect();
    let path = if arn.contains(":aws:policy/service-role/") {
        "/service-role/"
    } else {
        "/"
    };
    json!({"PolicyName": name, "PolicyId": id("ANPA", seed, env, name), "Arn": arn, "Path": path,
           "DefaultVersionId": format!("v{versions}"), "AttachmentCount": attachments,
           "PermissionsBoundaryUsageCount": 0, "IsAttachable": true, "CreateDate": rng.date(),
           "UpdateDate": rng.date(), "PolicyVersionList": list})
}

/// A few CI users in a deployers group, the same in both accounts.
fn users_and_groups(roles: usize, env: &Env, seed: u64) -> (Vec<Value>, Vec<Value>) {
    let p = env.prefix;
    let acct = env.account;
    let group = format!("{p}-deployers");
    let groups = vec![
        json!({"Path": "/", "GroupName": group, "GroupId": id("AGPA", seed, env, &group),
        "Arn": format!("arn:aws:iam::{acct}:group/{group}"), "CreateDate": "2020-03-02T10:11:12+00:00",
        "GroupPolicyList": [{"PolicyName": "pass-app-roles", "PolicyDocument": policy::document(vec![
            json!({"Effect": "Allow", "Action": "iam:PassRole", "Resource": format!("arn:aws:iam::{acct}:role/app/{p}-*"),
                   "Condition": {"StringEquals": {"iam:PassedToService": "ecs-tasks.amazonaws.com"}}})])}],
        "AttachedManagedPolicies": []}),
    ];
    let users = (0..(roles / 200).clamp(2, 20))
        .map(|i| {
            let name = format!("{p}-ci-deploy-{i}");
            let mut rng = Rng::derived(seed, &format!("{}/user/{i}", env.side));
            json!({"Path": "/", "UserName": name, "UserId": id("AIDA", seed, env, &name),
                "Arn": format!("arn:aws:iam::{acct}:user/{name}"), "CreateDate": rng.date(),
                "UserPolicyList": [{"PolicyName": "push-artifacts", "PolicyDocument": policy::document(vec![
                    json!({"Effect": "Allow", "Action": ["s3:PutObject", "s3:GetObject"],
                           "Resource": format!("arn:aws:s3:::{p}-artifacts-{i}/*"),
                           "Condition": {"IpAddress": {"aws:SourceIp": ["203.0.113.0/24"]}}})])}],
                "GroupList": [group], "AttachedManagedPolicies": [],
                "Tags": [{"Key": "owner", "Value": "platform"}]})
        })
        .collect();
    (users, groups)
}
