//! One `Finding` shape for every rule, serialized exactly as the JSON report contract says.

use std::collections::BTreeMap;

use schemars::JsonSchema;
use serde::Serialize;
use serde_json::Value;

use super::{Dimension, Rule, Severity};
use crate::model::Provenance;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum Confidence {
    /// A semantic proof or an exact fact.
    Proven,
    /// A heuristic, e.g. an inferred name pairing.
    Likely,
    Unknown,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum Side {
    Staging,
    Production,
}

impl Side {
    pub fn other(self) -> Side {
        match self {
            Side::Staging => Side::Production,
            Side::Production => Side::Staging,
        }
    }
}

/// What the finding is about, named in each environment (`None` where a side has none).
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, JsonSchema)]
pub struct Subject {
    pub kind: String,
    pub staging: Option<String>,
    pub production: Option<String>,
}

impl Subject {
    /// A subject that exists on one side only (the other side's name is `null`).
    pub fn one_side(kind: &str, side: Side, name: String) -> Subject {
        Subject {
            kind: kind.to_string(),
            staging: (side == Side::Staging).then(|| name.clone()),
            production: (side == Side::Production).then_some(name),
        }
    }
}

/// One piece of evidence: where in the inputs, and what it shows (never a secret value).
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, JsonSchema)]
pub struct Evidence {
    pub path: String,
    pub line: Option<u32>,
    pub detail: String,
}

impl Evidence {
    pub fn at(provenance: &Provenance, line: Option<u32>, detail: impl Into<String>) -> Evidence {
        Evidence {
            path: provenance.path.to_string(),
            line: line.or(provenance.line),
            detail: detail.into(),
        }
    }
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, JsonSchema)]
pub struct EvidenceSides {
    pub staging: Vec<Evidence>,
    pub production: Vec<Evidence>,
}

/// A concrete request allowed in one environment and denied in the other. `request` is in
/// the names of the environment where it is allowed; the other side's translation is in
/// `staging_request` / `production_request`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, JsonSchema)]
pub struct Witness {
    pub allowed_in: Side,
    pub denied_in: Side,
    pub request: BTreeMap<String, Value>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub staging_request: Option<BTreeMap<String, Value>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub production_request: Option<BTreeMap<String, Value>>,
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub synthetic: bool,
}

impl Witness {
    /// A request allowed in `allowed_in` and denied in the other side, written in each side's
    /// names: the allowed side's request is the witness's `request`, the other side's is kept
    /// as `staging_request` / `production_request`.
    pub fn between(
        allowed_in: Side,
        staging: BTreeMap<String, Value>,
        production: BTreeMap<String, Value>,
        synthetic: bool,
    ) -> Witness {
        match allowed_in {
            Side::Staging => Witness {
                allowed_in,
                denied_in: Side::Production,
                request: staging,
                staging_request: None,
                production_request: Some(production),
                synthetic,
            },
            Side::Production => Witness {
                allowed_in,
                denied_in: Side::Staging,
                request: production,
                staging_request: Some(staging),
                production_request: None,
                synthetic,
            },
        }
    }
}

/// The waiver of the contract that matched a finding.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, JsonSchema)]
pub struct Waiver {
    pub owner: String,
    pub reason: String,
    pub expires: String,
    pub expired: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, JsonSchema)]
pub struct Expected {
    pub reason: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, JsonSchema)]
pub struct Pair {
    pub environment: String,
    pub reference: String,
}

#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct Finding {
    pub rule: Rule,
    pub dimension: Dimension,
    pub severity: Severity,
    pub confidence: Confidence,
    pub fingerprint: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub pair: Option<Pair>,
    pub subject: Subject,
    pub message: String,
    pub evidence: EvidenceSides,
    pub witnesses: Vec<Witness>,
    pub frameworks: Vec<String>,
    pub remediation: String,
    pub waiver: Option<Waiver>,
    pub expected: Option<Expected>,
    /// The essential facts the fingerprint is computed from (not serialized).
    #[serde(skip)]
    pub key: String,
}

impl Finding {
    /// The names of the finding's two sides: its pair's environment and reference under a
    /// contract, else `staging` and `production`.
    pub fn side_names(&self) -> (&str, &str) {
        match &self.pair {
            Some(pair) => (pair.environment.as_str(), pair.reference.as_str()),
            None => ("staging", "production"),
        }
    }
}

impl Finding {
    /// A finding of `rule` with the rule's defaults; add evidence and witnesses after.
    pub fn new(rule: Rule, subject: Subject, message: impl Into<String>) -> Finding {
        Finding {
            rule,
            dimension: rule.dimension(),
            severity: rule.default_severity(),
            confidence: Confidence::Proven,
            fingerprint: String::new(),
            pair: None,
            subject,
            message: message.into(),
            evidence: EvidenceSides::default(),
            witnesses: Vec::new(),
            frameworks: rule.frameworks().iter().map(|f| f.to_string()).collect(),
            remediation: rule.remediation().to_string(),
            waiver: None,
            expected: None,
            key: String::new(),
        }
    }

    pub fn confidence(mut self, confidence: Confidence) -> Finding {
        self.confidence = confidence;
        self
    }

    pub fn severity(mut self, severity: Severity) -> Finding {
        self.severity = severity;
        self
    }

    /// The essential evidence for the fingerprint (beyond rule and subject), e.g. the key
    /// of a config entry or the alert name. Must not contain secret values.
    pub fn key(mut self, key: impl Into<String>) -> Finding {
        self.key = key.into();
        self
    }

    pub fn staging_evidence(mut self, evidence: Evidence) -> Finding {
        self.evidence.staging.push(evidence);
        self
    }

    pub fn production_evidence(mut self, evidence: Evidence) -> Finding {
        self.evidence.production.push(evidence);
        self
    }

    pub fn evidence_on(self, side: Side, evidence: Evidence) -> Finding {
        match side {
            Side::Staging => self.staging_evidence(evidence),
            Side::Production => self.production_evidence(evidence),
        }
    }

    pub fn witness(mut self, witness: Witness) -> Finding {
        self.witnesses.push(witness);
        self
    }

    /// True when the finding counts for `--fail-on` (not waived by a live waiver, not expected).
    pub fn counts(&self) -> bool {
        let waived = self.waiver.as_ref().is_some_and(|w| !w.expired);
        !waived && self.expected.is_none()
    }

    /// The order of findings in every report: severity, rule, subject, then key.
    pub fn sort_key(&self) -> (Severity, &'static str, &Subject, &str, &str) {
        (
            self.severity,
            self.rule.id(),
            &self.subject,
            &self.key,
            &self.message,
        )
    }
}
