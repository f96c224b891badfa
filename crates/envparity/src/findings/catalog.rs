//! The rule catalog: stable ids, dimension, default severity, framework mapping, and the
//! text of `envparity explain`. A table by design.

use schemars::JsonSchema;
use serde::{Serialize, Serializer};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum Dimension {
    Identity,
    Access,
    Trust,
    Secrets,
    Tls,
    Monitoring,
    Network,
    Config,
    Governance,
}

impl Dimension {
    pub const ALL: [Dimension; 9] = [
        Dimension::Identity,
        Dimension::Access,
        Dimension::Trust,
        Dimension::Secrets,
        Dimension::Tls,
        Dimension::Monitoring,
        Dimension::Network,
        Dimension::Config,
        Dimension::Governance,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Dimension::Identity => "identity",
            Dimension::Access => "access",
            Dimension::Trust => "trust",
            Dimension::Secrets => "secrets",
            Dimension::Tls => "tls",
            Dimension::Monitoring => "monitoring",
            Dimension::Network => "network",
            Dimension::Config => "config",
            Dimension::Governance => "governance",
        }
    }

    /// Weight in the overall score.
    pub fn weight(self) -> f64 {
        match self {
            Dimension::Access | Dimension::Trust | Dimension::Secrets => 3.0,
            Dimension::Identity | Dimension::Tls | Dimension::Monitoring | Dimension::Network => {
                2.0
            }
            Dimension::Config | Dimension::Governance => 1.0,
        }
    }
}

/// Ordered from most to least severe, so sorting puts critical first.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Critical,
    High,
    Medium,
    Low,
    Info,
}

impl Severity {
    pub const ALL: [Severity; 5] = [
        Severity::Critical,
        Severity::High,
        Severity::Medium,
        Severity::Low,
        Severity::Info,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Critical => "critical",
            Severity::High => "high",
            Severity::Medium => "medium",
            Severity::Low => "low",
            Severity::Info => "info",
        }
    }

    pub fn parse(text: &str) -> Option<Severity> {
        Severity::ALL.into_iter().find(|s| s.as_str() == text)
    }

    /// True when `self` is at least as severe as `threshold`.
    pub fn at_least(self, threshold: Severity) -> bool {
        self <= threshold
    }
}

macro_rules! rules {
    ($( $variant:ident = $id:literal, $dim:ident, $sev:ident, [$($fw:literal),*],
        $summary:literal, $remedy:literal; )*) => {
        /// Every rule envparity can report. Ids are stable: they are part of the contract.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub enum Rule { $($variant),* }

        impl Rule {
            pub const ALL: &'static [Rule] = &[$(Rule::$variant),*];

            pub fn id(self) -> &'static str { match self { $(Rule::$variant => $id),* } }
            pub fn dimension(self) -> Dimension { match self { $(Rule::$variant => Dimension::$dim),* } }
            pub fn default_severity(self) -> Severity { match self { $(Rule::$variant => Severity::$sev),* } }
            pub fn frameworks(self) -> &'static [&'static str] { match self { $(Rule::$variant => &[$($fw),*]),* } }
            /// One sentence: what the finding means.
            pub fn summary(self) -> &'static str { match self { $(Rule::$variant => $summary),* } }
            /// How to fix it.
            pub fn remediation(self) -> &'static str { match self { $(Rule::$variant => $remedy),* } }
        }
    };
}

rules! {
    IdentityMissingInStaging = "identity-missing-in-staging", Identity, Medium,
        ["OWASP-NHI:NHI1", "NIST-CSF-2.0:PR.AA-01", "NIST-SP-800-207:T7"],
        "A production non-human identity has no staging counterpart, so its controls are never exercised before release.",
        "Create the identity in staging with the same grants, or map it with --map / [mapping] if it exists under another name.";
    IdentityMissingInProduction = "identity-missing-in-production", Identity, Low,
        ["OWASP-NHI:NHI1", "NIST-CSF-2.0:PR.AA-01"],
        "A staging-only non-human identity: a test-only identity or an orphan that nobody offboarded.",
        "Remove the identity if it is unused, or declare it as an intended difference in envparity.toml.";
    IdentitySharedAcrossEnvironments = "identity-shared-across-environments", Identity, High,
        ["OWASP-NHI:NHI8", "OWASP-NHI:NHI9", "NIST-CSF-2.0:PR.AA-01", "NIST-SP-800-207:T6"],
        "The same identity is used by both environments, so a staging compromise is a production compromise.",
        "Give each environment its own identity and credentials.";
    AccessBroaderInStaging = "access-broader-in-staging", Access, High,
        ["OWASP-NHI:NHI5", "NIST-CSF-2.0:PR.AA-05", "NIST-SP-800-207:T6"],
        "Staging grants requests that production denies: tests pass with privileges production will not have.",
        "Remove the extra grants from staging (see the witness requests), or grant them in production if they are needed.";
    AccessNarrowerInStaging = "access-narrower-in-staging", Access, Medium,
        ["OWASP-NHI:NHI5", "NIST-CSF-2.0:PR.AA-05", "NIST-SP-800-207:T6"],
        "Production grants requests that staging denies: those production privileges are never validated, or they are privilege creep.",
        "Remove the extra production grants if unused, or grant them in staging so that tests exercise them.";
    AccessDivergent = "access-divergent", Access, High,
        ["OWASP-NHI:NHI5", "NIST-CSF-2.0:PR.AA-05", "NIST-SP-800-207:T6"],
        "Staging and production each grant requests the other denies.",
        "Align the two environments' grants; the witnesses show one request per direction.";
    AccessUnknown = "access-unknown", Access, Medium,
        ["NIST-CSF-2.0:PR.AA-05"],
        "envparity could not decide whether the two environments grant the same access; the message says why.",
        "Provide the missing inputs (for example the referenced roles) or simplify the construct named in the message.";
    PrivilegeWildcardAdmin = "privilege-wildcard-admin", Access, High,
        ["OWASP-NHI:NHI5", "NIST-CSF-2.0:PR.AA-05", "NIST-SP-800-207:T3"],
        "A non-human identity holds administrator-equivalent access.",
        "Replace the wildcard grant with the verbs and resources the workload needs.";
    TrustCrossEnvironment = "trust-cross-environment", Trust, Critical,
        ["OWASP-NHI:NHI8", "NIST-CSF-2.0:PR.IR-01", "NIST-SP-800-207:T1"],
        "A principal of one environment may assume, bind to or act as an identity of the other.",
        "Remove the binding or trust relation that crosses environments.";
    TrustBroaderInStaging = "trust-broader-in-staging", Trust, High,
        ["OWASP-NHI:NHI8", "NIST-CSF-2.0:PR.AA-05", "NIST-SP-800-207:T6"],
        "Staging's trust policy or binding admits principals that production's does not.",
        "Restrict staging's trust to the principals production admits.";
    SecretSharedAcrossEnvironments = "secret-shared-across-environments", Secrets, Critical,
        ["OWASP-NHI:NHI2", "OWASP-NHI:NHI8", "NIST-CSF-2.0:PR.AA-01", "NIST-SP-800-207:T6"],
        "The same secret value or the same secret reference is used by both environments.",
        "Rotate the secret and issue a distinct one per environment.";
    SecretPlaintext = "secret-plaintext", Secrets, High,
        ["OWASP-NHI:NHI2", "NIST-CSF-2.0:PR.DS-01", "NIST-CSF-2.0:PR.AA-01"],
        "A credential is stored in plain configuration (ConfigMap, environment literal, values file).",
        "Move the credential into a Secret or a secret store and reference it; rotate the exposed value.";
    SecretStorageMismatch = "secret-storage-mismatch", Secrets, High,
        ["OWASP-NHI:NHI2", "NIST-CSF-2.0:PR.AA-01", "NIST-CSF-2.0:PR.PS-01"],
        "One environment reads the value from a secret store and the other from somewhere weaker.",
        "Read the value the same way in both environments, from a secret store.";
    SecretRotationMismatch = "secret-rotation-mismatch", Secrets, Medium,
        ["OWASP-NHI:NHI7", "NIST-CSF-2.0:PR.AA-01"],
        "Rotation is enabled in one environment only, or with a different period: rotation logic is untested.",
        "Enable the same rotation schedule in staging as in production.";
    CredentialLongLived = "credential-long-lived", Secrets, Medium,
        ["OWASP-NHI:NHI7", "NIST-CSF-2.0:PR.AA-01", "NIST-SP-800-207:T3"],
        "Static long-lived credentials where the other environment uses short-lived ones.",
        "Use short-lived, automatically issued credentials in both environments.";
    TokenTtlMismatch = "token-ttl-mismatch", Secrets, Medium,
        ["OWASP-NHI:NHI7", "NIST-CSF-2.0:PR.AA-01", "NIST-SP-800-207:T3"],
        "Token or credential lifetime settings differ between the environments.",
        "Use the same token lifetime and automount settings in both environments.";
    TlsTrustMismatch = "tls-trust-mismatch", Tls, High,
        ["OWASP-NHI:NHI4", "NIST-CSF-2.0:PR.DS-02", "NIST-SP-800-207:T2"],
        "The environments trust different issuers, CAs or bundles, or one disables verification.",
        "Issue staging certificates the same way as production's (same issuer kind and trust chain).";
    CertificateWeakerInStaging = "certificate-weaker-in-staging", Tls, Medium,
        ["OWASP-NHI:NHI4", "NIST-CSF-2.0:PR.DS-02", "NIST-SP-800-207:T2"],
        "Staging's certificate uses a weaker key or algorithm, or a longer validity, than production's.",
        "Request staging certificates with production's key algorithm, size and duration.";
    CertificateExpired = "certificate-expired", Tls, High,
        ["OWASP-NHI:NHI4", "NIST-CSF-2.0:PR.AA-01", "NIST-CSF-2.0:PR.DS-02"],
        "A certificate in the inputs is past its notAfter date at the time of the run.",
        "Renew the certificate (or remove it from the bundle) and automate renewal before expiry.";
    CertificateExpiring = "certificate-expiring", Tls, Medium,
        ["OWASP-NHI:NHI4", "NIST-CSF-2.0:PR.AA-01", "NIST-CSF-2.0:PR.DS-02"],
        "A certificate in the inputs expires within 30 days of the time of the run.",
        "Renew the certificate now and check that renewal is automated in both environments.";
    AuditLoggingMissingInStaging = "audit-logging-missing-in-staging", Monitoring, High,
        ["OWASP-NHI:NHI10", "NIST-CSF-2.0:DE.CM-01", "NIST-CSF-2.0:DE.CM-09", "NIST-SP-800-207:T7"],
        "Production records audit events that staging does not, so detections cannot be tested in staging.",
        "Apply production's audit policy in staging.";
    DetectionRuleMissingInStaging = "detection-rule-missing-in-staging", Monitoring, Medium,
        ["NIST-CSF-2.0:DE.CM-01", "NIST-CSF-2.0:DE.CM-09", "NIST-SP-800-207:T5"],
        "A production alert or detection rule has no staging counterpart: the same alert cannot fire in staging.",
        "Deploy the same alerting rules in staging (with staging's routing).";
    DetectionRuleDiffers = "detection-rule-differs", Monitoring, Low,
        ["NIST-CSF-2.0:DE.CM-01", "NIST-SP-800-207:T5"],
        "A paired alert rule has a different expression, duration or severity.",
        "Use production's rule in staging, changing only environment names.";
    LogRetentionMismatch = "log-retention-mismatch", Monitoring, Low,
        ["NIST-CSF-2.0:DE.CM-09", "NIST-SP-800-207:T7"],
        "Log retention differs between the environments.",
        "Use the same retention in staging as in production, or declare the difference as expected.";
    NetworkBroaderInStaging = "network-broader-in-staging", Network, High,
        ["OWASP-NHI:NHI6", "NIST-CSF-2.0:PR.IR-01", "NIST-SP-800-207:T2"],
        "Staging admits network flows that production denies.",
        "Apply production's network policy in staging.";
    NetworkNarrowerInStaging = "network-narrower-in-staging", Network, Medium,
        ["OWASP-NHI:NHI6", "NIST-CSF-2.0:PR.IR-01", "NIST-SP-800-207:T2"],
        "Production admits network flows that staging denies: those paths are never tested.",
        "Align the policies; if production's extra flows are unneeded, remove them there.";
    NetworkUnknown = "network-unknown", Network, Medium,
        ["OWASP-NHI:NHI6", "NIST-CSF-2.0:PR.IR-01"],
        "envparity could not decide whether the two environments admit the same network flows; the message says why.",
        "Fix the construct named in the message (a malformed CIDR, an unknown operator, an invalid port) or use port numbers instead of port names where the two environments differ; simplify selectors if they distinguish too many classes.";
    NetworkCrossEnvironmentPath = "network-cross-environment-path", Network, Critical,
        ["OWASP-NHI:NHI8", "NIST-CSF-2.0:PR.IR-01", "NIST-SP-800-207:T1"],
        "One environment can reach or references the other's endpoints, namespaces, accounts or brokers.",
        "Remove the reference or the network path to the other environment.";
    ConfigValueDrift = "config-value-drift", Config, Low,
        ["NIST-CSF-2.0:PR.PS-01"],
        "The same configuration key has different values, and the difference is not declared as expected.",
        "Align the value, or declare the difference in envparity.toml [[expected]] with a reason.";
    ConfigKeyMissing = "config-key-missing", Config, Low,
        ["NIST-CSF-2.0:PR.PS-01"],
        "A configuration key exists in one environment only.",
        "Add the key to the other environment, or declare the difference as expected.";
    ConfigPlaceholderValue = "config-placeholder-value", Config, Medium,
        ["NIST-CSF-2.0:PR.PS-01", "OWASP-NHI:NHI6"],
        "A placeholder value (changeme, TODO, xxx) where the other environment has a real value.",
        "Set a real value for this environment.";
    WaiverExpired = "waiver-expired", Governance, High,
        ["NIST-CSF-2.0:GV.PO-01"],
        "A waiver's expiry date has passed; the finding it covered counts again.",
        "Fix the finding, or renew the waiver with its owner's agreement.";
    WaiverUnused = "waiver-unused", Governance, Low,
        ["NIST-CSF-2.0:GV.PO-01"],
        "A waiver or expected difference matched no finding.",
        "Remove the stale entry from envparity.toml.";
}

impl Rule {
    /// Whether the rule compares the two environments (a difference between them), rather than
    /// checking one environment on its own or the isolation between them.
    pub fn is_parity_rule(self) -> bool {
        !matches!(
            self,
            Rule::PrivilegeWildcardAdmin
                | Rule::SecretPlaintext
                | Rule::SecretSharedAcrossEnvironments
                | Rule::IdentitySharedAcrossEnvironments
                | Rule::TrustCrossEnvironment
                | Rule::NetworkCrossEnvironmentPath
                | Rule::CertificateExpired
                | Rule::CertificateExpiring
        )
    }

    /// The rule the same difference is reported under when staging and production trade
    /// places (broader ↔ narrower, missing in staging ↔ missing in production); other rules
    /// are their own mirror image.
    pub fn swapped(self) -> Rule {
        match self {
            Rule::AccessBroaderInStaging => Rule::AccessNarrowerInStaging,
            Rule::AccessNarrowerInStaging => Rule::AccessBroaderInStaging,
            Rule::NetworkBroaderInStaging => Rule::NetworkNarrowerInStaging,
            Rule::NetworkNarrowerInStaging => Rule::NetworkBroaderInStaging,
            Rule::IdentityMissingInStaging => Rule::IdentityMissingInProduction,
            Rule::IdentityMissingInProduction => Rule::IdentityMissingInStaging,
            other => other,
        }
    }

    pub fn from_id(id: &str) -> Option<Rule> {
        Rule::ALL.iter().copied().find(|rule| rule.id() == id)
    }
}

impl Serialize for Rule {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.id())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn swapping_twice_is_the_identity_and_keeps_the_dimension() {
        for rule in Rule::ALL {
            assert_eq!(rule.swapped().swapped(), *rule, "{}", rule.id());
            assert_eq!(
                rule.swapped().dimension(),
                rule.dimension(),
                "{}",
                rule.id()
            );
        }
        assert_eq!(
            Rule::AccessBroaderInStaging.swapped(),
            Rule::AccessNarrowerInStaging
        );
        assert_eq!(
            Rule::IdentityMissingInProduction.swapped(),
            Rule::IdentityMissingInStaging
        );
    }
}
