//! `envparity-gen aws`: two `aws iam get-account-authorization-details` dumps (staging and
//! production) of the same organisation, production being staging renamed plus planted
//! divergences of known kinds, and the answer key.

mod account;
mod plant;
mod policy;

use std::path::Path;

use serde_json::{Value, json};

use crate::output::{AnswerKey, create_dir, write_json};
use crate::rng::{Rng, UPPER_ALNUM};
pub use plant::Plant;
use policy::{Cond, SERVICES, Service, StatementSpec};

/// The names and ids that differ between the two accounts.
#[derive(Debug, Clone)]
pub struct Env {
    pub side: &'static str,
    pub prefix: &'static str,
    pub account: &'static str,
    pub vpce: &'static str,
    pub oidc: &'static str,
    pub kms_key: &'static str,
}

pub const STAGING: Env = Env {
    side: "staging",
    prefix: "stg",
    account: "111111111111",
    vpce: "vpce-0a1b2c3d4e5f60718",
    oidc: "5C1A9E0F3B7D2468ACE13579BDF02468",
    kms_key: "0f1e2d3c-4b5a-4978-8695-a4b3c2d1e0f9",
};

pub const PRODUCTION: Env = Env {
    side: "production",
    prefix: "prod",
    account: "222222222222",
    vpce: "vpce-09f8e7d6c5b4a3921",
    oidc: "9D8C7B6A5F4E3D2C1B0A99887766F5E4",
    kms_key: "7a6b5c4d-3e2f-4101-9f8e-7d6c5b4a3f2e",
};

const APPS: &[&str] = &[
    "orders",
    "payments",
    "billing",
    "catalog",
    "search",
    "inventory",
    "shipping",
    "accounts",
    "auth",
    "notify",
    "reports",
    "ledger",
    "media",
    "analytics",
    "checkout",
    "pricing",
    "fraud",
    "reviews",
    "cart",
    "loyalty",
    "returns",
    "invoices",
    "tax",
    "quotes",
];
const COMPONENTS: &[&str] = &[
    "api", "worker", "cron", "etl", "reader", "writer", "sync", "lambda",
];
const TEAMS: &[&str] = &["core", "growth", "platform", "finance", "data"];

/// Who may assume the role.
#[derive(Debug, Clone, Copy)]
enum Trust {
    Service(&'static str),
    Irsa,
    CiAccount,
}

/// One role, environment-neutral.
#[derive(Debug, Clone)]
pub struct RoleSpec {
    pub name: String,
    pub app: &'static str,
    path: &'static str,
    team: &'static str,
    trust: Trust,
    inline: Vec<Vec<StatementSpec>>,
    pool: Vec<usize>,
    lambda_basic: bool,
    admin: bool,
    boundary: bool,
    created: String,
    last_used: Option<String>,
    pub plant: Option<Plant>,
}

impl RoleSpec {
    fn random(rng: &mut Rng, index: usize, pool_size: usize) -> RoleSpec {
        let per_cycle = APPS.len() * COMPONENTS.len();
        let app = APPS[index % APPS.len()];
        let component = COMPONENTS[(index / APPS.len()) % COMPONENTS.len()];
        let name = match index / per_cycle {
            0 => format!("{app}-{component}"),
            n => format!("{app}-{component}-{n}"),
        };
        let trust = match rng.below(4) {
            0 => Trust::Service(rng.pick(&[
                "lambda.amazonaws.com",
                "ecs-tasks.amazonaws.com",
                "ec2.amazonaws.com",
            ])),
            1 | 2 => Trust::Irsa,
            _ => Trust::CiAccount,
        };
        let inline = (0..rng.range(1, 3))
            .map(|_| {
                (0..rng.range(1, 4))
                    .map(|_| StatementSpec::random(rng, SERVICES))
                    .collect()
            })
            .collect();
        let pool = (0..rng.range(0, 2))
            .map(|_| rng.below(pool_size))
            .collect::<Vec<_>>();
        let mut pool: Vec<usize> = pool;
        pool.sort_unstable();
        pool.dedup();
        RoleSpec {
            name,
            app,
            path: rng.pick(&["/", "/", "/service-role/", "/app/"]),
            team: rng.pick(TEAMS),
            trust,
            inline,
            pool,
            lambda_basic: matches!(trust, Trust::Service("lambda.amazonaws.com")),
            admin: rng.chance(0.01),
            boundary: rng.chance(0.1),
            created: rng.date(),
            last_used: rng.chance(0.7).then(|| rng.date()),
            plant: None,
        }
    }

    pub fn role_name(&self, env: &Env) -> String {
        format!("{}-{}", env.prefix, self.name)
    }

    pub fn arn(&self, env: &Env) -> String {
        format!(
            "arn:aws:iam::{}:role{}{}",
            env.account,
            self.path,
            self.role_name(env)
        )
    }
}

fn trust_document(trust: Trust, env: &Env, spec: &RoleSpec) -> Value {
    let statement = match trust {
        Trust::Service(service) => {
            json!({"Effect": "Allow", "Principal": {"Service": service}, "Action": "sts:AssumeRole"})
        }
        Trust::Irsa => {
            let issuer = format!("oidc.eks.{}.amazonaws.com/id/{}", policy::REGION, env.oidc);
            json!({"Effect": "Allow",
                "Principal": {"Federated": format!("arn:aws:iam::{}:oidc-provider/{issuer}", env.account)},
                "Action": "sts:AssumeRoleWithWebIdentity",
                "Condition": {"StringEquals": {
                    format!("{issuer}:sub"): format!("system:serviceaccount:{}-{}:{}", spec.app, env.side, spec.name),
                    format!("{issuer}:aud"): "sts.amazonaws.com"}}})
        }
        Trust::CiAccount => json!({"Effect": "Allow",
            "Principal": {"AWS": "arn:aws:iam::333333333333:role/ci-deployer"},
            "Action": "sts:AssumeRole",
            "Condition": {"StringEquals": {"sts:ExternalId": format!("{}-deploy", env.prefix)}}}),
    };
    policy::document(vec![statement])
}

/// Stable per-side ids: the same role gets different ids in the two accounts.
pub(super) fn id(prefix: &str, seed: u64, env: &Env, label: &str) -> String {
    let mut rng = Rng::derived(seed, &format!("{}/{label}", env.side));
    format!("{prefix}{}", rng.chars(UPPER_ALNUM, 17))
}

pub(super) fn managed_ref(name: &str, arn: &str) -> Value {
    json!({"PolicyName": name, "PolicyArn": arn})
}

pub(super) fn customer_arn(env: &Env, name: &str) -> String {
    format!("arn:aws:iam::{}:policy/{name}", env.account)
}

pub(super) fn render_role(spec: &RoleSpec, env: &Env, seed: u64) -> Value {
    let mut inline: Vec<Value> = spec
        .inline
        .iter()
        .enumerate()
        .map(|(i, stmts)| {
            let statements = stmts.iter().map(|s| s.render(env, spec.app)).collect();
            json!({"PolicyName": format!("{}-{}-inline-{i}", env.prefix, spec.app), "PolicyDocument": policy::document(statements)})
        })
        .collect();
    let mut attached = Vec::new();
    for k in &spec.pool {
        let (name, _) = policy::pool_policy(*k, env);
        attached.push(managed_ref(&name, &customer_arn(env, &name)));
    }
    if spec.lambda_basic {
        attached.push(managed_ref(
            "AWSLambdaBasicExecutionRole",
            "arn:aws:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole",
        ));
    }
    if spec.admin {
        attached.push(managed_ref(
            "AdministratorAccess",
            "arn:aws:iam::aws:policy/AdministratorAccess",
        ));
    }
    let mut boundary = spec
        .boundary
        .then(|| customer_arn(env, &policy::standard_boundary(env).0));
    if let Some(plant) = spec.plant {
        plant.apply(spec, env, &mut inline, &mut boundary);
    }
    let mut role = serde_json::Map::new();
    role.insert("Path".into(), json!(spec.path));
    role.insert("RoleName".into(), json!(spec.role_name(env)));
    role.insert("RoleId".into(), json!(id("AROA", seed, env, &spec.name)));
    role.insert("Arn".into(), json!(spec.arn(env)));
    role.insert("CreateDate".into(), json!(spec.created));
    role.insert(
        "AssumeRolePolicyDocument".into(),
        trust_document(spec.trust, env, spec),
    );
    role.insert("InstanceProfileList".into(), json!([]));
    role.insert("RolePolicyList".into(), json!(inline));
    role.insert("AttachedManagedPolicies".into(), json!(attached));
    if let Some(arn) = boundary {
        role.insert(
            "PermissionsBoundary".into(),
            json!({"PermissionsBoundaryType": "Policy", "PermissionsBoundaryArn": arn}),
        );
    }
    role.insert(
        "Tags".into(),
        json!([{"Key": "environment", "Value": env.side}, {"Key": "team", "Value": spec.team},
               {"Key": "app", "Value": spec.app}]),
    );
    let last_used = match &spec.last_used {
        Some(date) => json!({"LastUsedDate": date, "Region": policy::REGION}),
        None => json!({}),
    };
    role.insert("RoleLastUsed".into(), last_used);
    Value::Object(role)
}

/// Generates both dumps and the answer key under `out`.
pub fn generate(roles: usize, seed: u64, divergence: f64, out: &Path) -> Result<AnswerKey, String> {
    let mut rng = Rng::new(seed);
    let pool_size = (roles / 25).max(8);
    let mut specs: Vec<RoleSpec> = (0..roles)
        .map(|i| RoleSpec::random(&mut rng, i, pool_size))
        .collect();
    let planted = plant::choose(&mut rng, &mut specs, divergence);
    let mut objects = 0;
    for env in [&STAGING, &PRODUCTION] {
        let dump = account::render_account(&specs, env, seed, pool_size);
        objects = [
            "RoleDetailList",
            "UserDetailList",
            "GroupDetailList",
            "Policies",
        ]
        .iter()
        .map(|k| dump[*k].as_array().map_or(0, Vec::len))
        .sum::<usize>()
        .max(objects);
        let dir = out.join(env.side);
        create_dir(&dir)?;
        write_json(&dir.join("gaad.json"), &dump)?;
    }
    let map = [
        (STAGING.account, PRODUCTION.account),
        (STAGING.prefix, PRODUCTION.prefix),
        (STAGING.side, PRODUCTION.side),
        (STAGING.vpce, PRODUCTION.vpce),
        (STAGING.oidc, PRODUCTION.oidc),
        (STAGING.kms_key, PRODUCTION.kms_key),
    ];
    Ok(AnswerKey {
        generator: "envparity-gen",
        source: "aws",
        seed,
        objects_per_side: objects,
        map: map.iter().map(|(f, t)| format!("{f}={t}")).collect(),
        planted,
    })
}

/// The statement every planted role carries, so each plant has something to change.
pub fn anchor_statement(env: &Env, app: &str, actions: &[&str], cond: Cond) -> Value {
    let b = policy::bucket(env, app);
    let mut stmt = json!({"Sid": "AnchorObjects", "Effect": "Allow", "Action": actions, "Resource": format!("{b}/*")});
    if let (Some(c), Some(obj)) = (policy::condition(cond, env, app), stmt.as_object_mut()) {
        obj.insert("Condition".into(), c);
    }
    stmt
}

/// Services a planted role may use in its random statements (none touching its own bucket).
pub const PLANT_SAFE: &[Service] = &[
    Service::Dynamo,
    Service::Sqs,
    Service::Logs,
    Service::Ec2Describe,
];

#[cfg(test)]
mod tests {
    use super::*;

    fn dumps(seed: u64) -> (Vec<crate::output::Planted>, Value, Value) {
        let mut rng = Rng::new(seed);
        let mut specs: Vec<RoleSpec> = (0..120).map(|i| RoleSpec::random(&mut rng, i, 8)).collect();
        let planted = plant::choose(&mut rng, &mut specs, 0.05);
        let stg = account::render_account(&specs, &STAGING, seed, 8);
        let prd = account::render_account(&specs, &PRODUCTION, seed, 8);
        (planted, stg, prd)
    }

    #[test]
    fn same_seed_same_dumps() {
        let (p1, s1, r1) = dumps(3);
        let (p2, s2, r2) = dumps(3);
        assert_eq!((s1, r1), (s2, r2));
        assert_eq!(p1.len(), p2.len());
        assert_eq!(p1.len(), 6);
    }

    #[test]
    fn missing_roles_are_missing_and_names_are_renamed() {
        let (planted, stg, prd) = dumps(5);
        let names = |dump: &Value| -> Vec<String> {
            dump["RoleDetailList"]
                .as_array()
                .into_iter()
                .flatten()
                .filter_map(|r| r["Arn"].as_str().map(str::to_string))
                .collect()
        };
        let (stg, prd) = (names(&stg), names(&prd));
        assert_eq!(stg.len(), 119);
        assert_eq!(prd.len(), 119);
        assert!(
            stg.iter()
                .all(|a| a.starts_with("arn:aws:iam::111111111111:role/") && a.contains("/stg-"))
        );
        for p in planted {
            if let Some(s) = &p.subject.staging {
                assert!(stg.contains(s), "{s}");
            }
            if let Some(s) = &p.subject.production {
                assert!(prd.contains(s), "{s}");
            }
        }
    }
}
