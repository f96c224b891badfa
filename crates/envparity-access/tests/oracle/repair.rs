//! The engine side of the differential test: a small action catalog whose actions all have
//! resource types the pools cover, and the repair of a witness the simulator refuses as it
//! is (a representative resource of no type) into the same claim on a concrete resource.

use envparity_access::aws::{ActionCatalog, Decision, PrincipalPolicies, Request, evaluate};

/// The catalog the comparison expands wildcards with: the pools' actions and a few more of
/// each class the patterns make (other s3/iam actions, other services), all with resource
/// types `resources_of_type` covers. Small, so the comparison is fast in debug builds.
const CATALOG: &[&str] = &[
    "s3:GetObject",
    "s3:PutObject",
    "s3:DeleteObject",
    "s3:ListBucket",
    "s3:GetBucketPolicy",
    "s3:PutBucketPolicy",
    "s3:GetObjectAcl",
    "iam:PassRole",
    "iam:GetRole",
    "iam:CreateRole",
    "iam:DeleteRole",
    "sts:AssumeRole",
    "sqs:ListQueues",
    "sqs:SendMessage",
];

pub fn small_catalog() -> ActionCatalog {
    let embedded = ActionCatalog::embedded();
    let lines: Vec<String> = CATALOG
        .iter()
        .map(|name| {
            let info = embedded.get(name);
            assert!(info.is_some(), "`{name}` is not in the embedded catalog");
            let (types, keys) = info
                .map(|i| (i.resource_types.join(","), i.condition_keys.join(",")))
                .unwrap_or_default();
            format!("{name}\t{types}\t{keys}")
        })
        .collect();
    ActionCatalog::parse(&lines.join("\n"))
}

/// Concrete resources of the pools' resource types, for witnesses the simulator refuses as
/// they are (an engine representative like `arn:aws:s3:::app-` has no resource type).
pub fn resources_of_type(resource_type: &str) -> &'static [&'static str] {
    match resource_type {
        "object" => &[
            "arn:aws:s3:::app-bucket/data.csv",
            "arn:aws:s3:::app-bucket/logs/a.txt",
            "arn:aws:s3:::other-bucket/data.csv",
            "arn:aws:s3:::app-x/x",
            "arn:aws:s3:::x/x",
        ],
        "bucket" => &[
            "arn:aws:s3:::app-bucket",
            "arn:aws:s3:::other-bucket",
            "arn:aws:s3:::app-x",
            "arn:aws:s3:::x",
        ],
        "role" => &[
            "arn:aws:iam::123456789012:role/deploy",
            "arn:aws:iam::123456789012:role/admin",
            "arn:aws:iam::123456789012:role/x",
        ],
        "queue" => &["arn:aws:sqs:us-east-1:123456789012:app-queue"],
        _ => &[],
    }
}

/// The same witness on a resource the simulator accepts for the action, if one keeps the
/// engine's claim (allowed by `allowing`, denied by `denying`).
pub fn repaired(
    catalog: &ActionCatalog,
    witness: &Request,
    allowing: &PrincipalPolicies,
    denying: &PrincipalPolicies,
) -> Option<Request> {
    let info = catalog.get(&witness.action)?;
    let candidates: Vec<&str> = if info.resource_types.is_empty() {
        vec!["*"]
    } else {
        info.resource_types
            .iter()
            .flat_map(|t| resources_of_type(t).iter().copied())
            .collect()
    };
    candidates.into_iter().find_map(|resource| {
        let request = Request {
            resource: resource.to_string(),
            ..witness.clone()
        };
        (evaluate(allowing, &request) == Decision::Allow
            && evaluate(denying, &request) != Decision::Allow)
            .then_some(request)
    })
}
