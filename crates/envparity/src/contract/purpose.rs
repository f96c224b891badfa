//! Test-purpose profiles: what an environment exists to validate, and the severity floor each
//! purpose gives the rules of the dimensions it covers.

use crate::findings::{Dimension, Rule, Severity};

/// One `purpose` value of `envparity.toml`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Purpose {
    Access,
    Rotation,
    Detection,
    Network,
    Tls,
    IncidentResponse,
    Config,
}

/// What a purpose covers: whole dimensions, single rules, and the severity they are raised to.
struct Profile {
    dimensions: &'static [Dimension],
    rules: &'static [Rule],
    floor: Severity,
}

impl Purpose {
    pub const ALL: [Purpose; 7] = [
        Purpose::Access,
        Purpose::Rotation,
        Purpose::Detection,
        Purpose::Network,
        Purpose::Tls,
        Purpose::IncidentResponse,
        Purpose::Config,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Purpose::Access => "access",
            Purpose::Rotation => "rotation",
            Purpose::Detection => "detection",
            Purpose::Network => "network",
            Purpose::Tls => "tls",
            Purpose::IncidentResponse => "incident-response",
            Purpose::Config => "config",
        }
    }

    pub fn parse(text: &str) -> Option<Purpose> {
        Purpose::ALL.into_iter().find(|p| p.as_str() == text)
    }

    /// The table purpose → (dimensions and rules, new severity).
    fn profile(self) -> Profile {
        match self {
            Purpose::Access => Profile {
                dimensions: &[Dimension::Access, Dimension::Trust, Dimension::Identity],
                rules: &[],
                floor: Severity::High,
            },
            Purpose::Rotation => Profile {
                dimensions: &[],
                rules: &[
                    Rule::SecretRotationMismatch,
                    Rule::CredentialLongLived,
                    Rule::TokenTtlMismatch,
                ],
                floor: Severity::High,
            },
            Purpose::Detection => Profile {
                dimensions: &[Dimension::Monitoring],
                rules: &[],
                floor: Severity::High,
            },
            Purpose::Network => Profile {
                dimensions: &[Dimension::Network],
                rules: &[],
                floor: Severity::High,
            },
            Purpose::Tls => Profile {
                dimensions: &[Dimension::Tls],
                rules: &[],
                floor: Severity::High,
            },
            Purpose::IncidentResponse => Profile {
                dimensions: &[],
                rules: &[
                    Rule::AuditLoggingMissingInStaging,
                    Rule::DetectionRuleMissingInStaging,
                    Rule::LogRetentionMismatch,
                ],
                floor: Severity::High,
            },
            Purpose::Config => Profile {
                dimensions: &[Dimension::Config],
                rules: &[],
                floor: Severity::Medium,
            },
        }
    }

    /// The severity a finding of `rule` gets in an environment with this purpose: raised to
    /// the profile's floor when covered, never lowered.
    pub fn raise(self, rule: Rule, severity: Severity) -> Severity {
        let profile = self.profile();
        let covered =
            profile.dimensions.contains(&rule.dimension()) || profile.rules.contains(&rule);
        // `Severity` orders from critical (smallest) to info.
        if covered && profile.floor < severity {
            profile.floor
        } else {
            severity
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rotation_makes_rotation_mismatch_high() {
        let raised = Purpose::Rotation.raise(
            Rule::SecretRotationMismatch,
            Rule::SecretRotationMismatch.default_severity(),
        );
        assert_eq!(raised, Severity::High);
    }

    #[test]
    fn never_lowers_and_ignores_other_dimensions() {
        assert_eq!(
            Purpose::Access.raise(Rule::AccessBroaderInStaging, Severity::Critical),
            Severity::Critical
        );
        assert_eq!(
            Purpose::Tls.raise(Rule::ConfigValueDrift, Severity::Low),
            Severity::Low
        );
    }

    #[test]
    fn names_round_trip() {
        for purpose in Purpose::ALL {
            assert_eq!(Purpose::parse(purpose.as_str()), Some(purpose));
        }
    }
}
