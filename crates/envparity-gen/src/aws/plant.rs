//! Planted AWS divergences: which roles get one, what each kind changes on which side, and
//! the finding each must raise.

use serde_json::{Value, json};

use super::policy::{self, Cond, StatementSpec};
use super::{Env, PLANT_SAFE, PRODUCTION, RoleSpec, STAGING, anchor_statement};
use crate::output::{Planted, Subject};
use crate::rng::Rng;

/// The kinds of planted divergence, in the order they are handed out.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Plant {
    /// Staging's anchor statement also allows `s3:DeleteObject`.
    ExtraActionInStaging,
    /// Staging's anchor statement lacks production's `aws:SourceVpce` condition.
    MissingConditionInStaging,
    /// Production adds an explicit Deny of `s3:PutObject`.
    ExtraDenyInProduction,
    /// Production has a read-only permissions boundary, staging none.
    BoundaryOnlyInProduction,
    /// The role exists in production only.
    MissingInStaging,
    /// The role exists in staging only.
    MissingInProduction,
}

const KINDS: &[Plant] = &[
    Plant::ExtraActionInStaging,
    Plant::MissingConditionInStaging,
    Plant::ExtraDenyInProduction,
    Plant::BoundaryOnlyInProduction,
    Plant::MissingInStaging,
    Plant::MissingInProduction,
];

impl Plant {
    fn name(self) -> &'static str {
        match self {
            Plant::ExtraActionInStaging => "extra-action-in-staging",
            Plant::MissingConditionInStaging => "missing-condition-in-staging",
            Plant::ExtraDenyInProduction => "extra-deny-in-production",
            Plant::BoundaryOnlyInProduction => "boundary-only-in-production",
            Plant::MissingInStaging => "role-missing-in-staging",
            Plant::MissingInProduction => "role-missing-in-production",
        }
    }

    fn rule(self) -> &'static str {
        match self {
            Plant::MissingInStaging => "identity-missing-in-staging",
            Plant::MissingInProduction => "identity-missing-in-production",
            _ => "access-broader-in-staging",
        }
    }

    pub fn present_in(self, env: &Env) -> bool {
        match self {
            Plant::MissingInStaging => env.side != STAGING.side,
            Plant::MissingInProduction => env.side != PRODUCTION.side,
            _ => true,
        }
    }

    /// Adds the anchor statement and this plant's change to one side's rendering.
    pub fn apply(
        self,
        spec: &RoleSpec,
        env: &Env,
        inline: &mut [Value],
        boundary: &mut Option<String>,
    ) {
        let staging = env.side == STAGING.side;
        let read_write = ["s3:GetObject", "s3:PutObject"];
        let anchor = match self {
            Plant::ExtraActionInStaging if staging => anchor_statement(
                env,
                spec.app,
                &["s3:GetObject", "s3:PutObject", "s3:DeleteObject"],
                Cond::SourceVpce,
            ),
            Plant::MissingConditionInStaging if staging => {
                anchor_statement(env, spec.app, &read_write, Cond::None)
            }
            _ => anchor_statement(env, spec.app, &read_write, Cond::SourceVpce),
        };
        let mut extra = vec![anchor];
        if self == Plant::ExtraDenyInProduction && !staging {
            extra.push(
                json!({"Sid": "NoOverwrite", "Effect": "Deny", "Action": "s3:PutObject",
                              "Resource": format!("{}/*", policy::bucket(env, spec.app))}),
            );
        }
        if self == Plant::BoundaryOnlyInProduction && !staging {
            *boundary = Some(format!(
                "arn:aws:iam::{}:policy/{}",
                env.account,
                policy::restricted_boundary(env).0
            ));
        }
        if let Some(statements) = inline
            .first_mut()
            .and_then(|p| p.get_mut("PolicyDocument"))
            .and_then(|d| d.get_mut("Statement"))
            .and_then(Value::as_array_mut)
        {
            statements.extend(extra);
        }
    }
}

/// Picks `divergence × roles` roles (at least one per kind when there are enough roles),
/// makes them plant-safe and records the findings they must raise.
pub fn choose(rng: &mut Rng, specs: &mut [RoleSpec], divergence: f64) -> Vec<Planted> {
    let wanted = ((specs.len() as f64) * divergence).round() as usize;
    let wanted = wanted
        .max(KINDS.len().min(specs.len() / 4))
        .min(specs.len());
    let mut order: Vec<usize> = (0..specs.len()).collect();
    rng.shuffle(&mut order);
    let mut chosen: Vec<usize> = order.into_iter().take(wanted).collect();
    chosen.sort_unstable();
    let mut planted = Vec::new();
    for (n, i) in chosen.into_iter().enumerate() {
        let kind = KINDS[n % KINDS.len()];
        let Some(spec) = specs.get_mut(i) else {
            continue;
        };
        spec.plant = Some(kind);
        spec.admin = false;
        spec.boundary = false;
        for stmts in &mut spec.inline {
            for s in stmts.iter_mut() {
                if !PLANT_SAFE.contains(&s.service) {
                    *s = StatementSpec::random(rng, PLANT_SAFE);
                }
            }
        }
        let subject = Subject {
            kind: "aws-iam-role",
            staging: kind.present_in(&STAGING).then(|| spec.arn(&STAGING)),
            production: kind.present_in(&PRODUCTION).then(|| spec.arn(&PRODUCTION)),
        };
        planted.push(Planted {
            kind: kind.name(),
            rule: kind.rule(),
            subject,
        });
    }
    planted
}
