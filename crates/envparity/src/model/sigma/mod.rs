//! Sigma detection rules: identity (`id`, `title`), maturity (`status`), severity (`level`),
//! log source, and the detection logic in a canonical form (searches with sorted fields and
//! values, normalized conditions), each with its provenance.

mod condition;

use serde::Serialize;

pub use condition::{
    SigmaCondition, expand_sigma_pattern, normalize_sigma_condition, parse_sigma_condition,
};

use super::Provenance;

/// The text standing for a YAML `null` value in a search (Sigma: the field is empty or absent).
pub const SIGMA_NULL: &str = "(null)";

/// One Sigma rule, as deployed in one environment.
#[derive(Debug, Clone, Serialize)]
pub struct SigmaRule {
    /// The file and the line of the rule's document.
    pub provenance: Provenance,
    /// The rule's UUID, lowercased; `None` when the rule has none.
    pub id: Option<String>,
    pub title: String,
    /// `stable`, `test`, `experimental`, `deprecated`, `unsupported` (lowercased).
    pub status: Option<String>,
    /// `informational`, `low`, `medium`, `high`, `critical` (lowercased).
    pub level: Option<String>,
    /// The lines of `status` and `level` (for evidence).
    pub status_line: Option<u32>,
    pub level_line: Option<u32>,
    pub logsource: SigmaLogsource,
    pub detection: SigmaDetection,
    /// Rules this one is related to (`renamed`, `obsolete`, `derived`, `merged`, `similar`).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub related: Vec<SigmaRelated>,
    /// Tags, sorted.
    pub tags: Vec<String>,
}

impl SigmaRule {
    /// True for rules that are not meant to run (`deprecated`, `unsupported`).
    pub fn inactive(&self) -> bool {
        matches!(self.status.as_deref(), Some("deprecated" | "unsupported"))
    }
}

/// Which logs a rule reads (values lowercased).
#[derive(Debug, Clone, Default, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub struct SigmaLogsource {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub product: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub service: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub category: Option<String>,
}

impl std::fmt::Display for SigmaLogsource {
    /// `product/service/category`, with `-` for a missing part.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let part = |p: &Option<String>| p.clone().unwrap_or_else(|| "-".into());
        write!(
            f,
            "{}/{}/{}",
            part(&self.product),
            part(&self.service),
            part(&self.category)
        )
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SigmaRelated {
    pub id: String,
    /// The relation, lowercased (`renamed`, `obsolete`, …).
    pub kind: String,
}

/// The `detection` section in canonical form.
#[derive(Debug, Clone, Default, Serialize)]
pub struct SigmaDetection {
    /// Search identifiers, sorted by name.
    pub searches: Vec<SigmaSearch>,
    /// The conditions, normalized and sorted (usually one; several mean any of them).
    pub conditions: Vec<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub timeframe: Option<String>,
    /// The line of `condition`.
    pub condition_line: Option<u32>,
}

impl SigmaDetection {
    pub fn search(&self, name: &str) -> Option<&SigmaSearch> {
        self.searches.iter().find(|s| s.name == name)
    }
}

/// A search identifier: any one of its alternatives matches (a mapping is one alternative, a
/// list of mappings several); an alternative matches when all its fields do.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SigmaSearch {
    pub name: String,
    pub line: Option<u32>,
    /// Each alternative's fields sorted by key; alternatives sorted and deduplicated.
    pub alternatives: Vec<Vec<SigmaField>>,
}

/// One field test: the field name with its modifiers as written (`eventName|startswith`; empty
/// for a keyword search) and the values it accepts, sorted and deduplicated ([`SIGMA_NULL`]
/// for `null`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SigmaField {
    pub key: String,
    pub values: Vec<String>,
    pub line: Option<u32>,
}

impl SigmaSearch {
    /// A search with its alternatives in canonical order: fields by key (then values),
    /// alternatives sorted and deduplicated. Lines take no part in the order.
    pub fn new(name: &str, line: Option<u32>, mut alternatives: Vec<Vec<SigmaField>>) -> Self {
        for fields in &mut alternatives {
            fields.sort_by(|a, b| (&a.key, &a.values).cmp(&(&b.key, &b.values)));
        }
        let order = |fields: &Vec<SigmaField>| -> Vec<(String, Vec<String>)> {
            fields
                .iter()
                .map(|f| (f.key.clone(), f.values.clone()))
                .collect()
        };
        alternatives.sort_by_key(order);
        alternatives.dedup_by(|a, b| order(a) == order(b));
        SigmaSearch {
            name: name.to_string(),
            line,
            alternatives,
        }
    }
}

impl SigmaField {
    /// A field with its values put in canonical order.
    pub fn new(key: &str, mut values: Vec<String>, line: Option<u32>) -> SigmaField {
        values.sort();
        values.dedup();
        SigmaField {
            key: key.to_string(),
            values,
            line,
        }
    }

    /// The modifiers after the field name (`contains`, `all`, `re`, …), lowercased.
    pub fn modifiers(&self) -> impl Iterator<Item = String> + '_ {
        self.key.split('|').skip(1).map(str::to_ascii_lowercase)
    }

    /// Sigma compares values case-insensitively except under `re`, `cased` and `fieldref`.
    pub fn case_sensitive(&self) -> bool {
        self.modifiers()
            .any(|m| matches!(m.as_str(), "re" | "cased" | "fieldref"))
    }

    /// How the field is named in messages (`keywords` for a keyword search).
    pub fn shown_key(&self) -> &str {
        if self.key.is_empty() {
            "keywords"
        } else {
            &self.key
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fields_and_alternatives_are_sorted() {
        let a = SigmaField::new("b|contains", vec!["y".into(), "x".into(), "y".into()], None);
        assert_eq!(a.values, vec!["x", "y"]);
        let b = SigmaField::new("a", vec!["1".into()], Some(3));
        let search = SigmaSearch::new(
            "selection",
            None,
            vec![
                vec![a.clone(), b.clone()],
                vec![b.clone()],
                vec![b.clone(), a.clone()],
            ],
        );
        let canon = search.alternatives;
        assert_eq!(canon.len(), 2);
        assert_eq!(canon[0], vec![b.clone()]);
        assert_eq!(canon[1], vec![b, a]);
    }

    #[test]
    fn case_sensitivity_follows_modifiers() {
        let field = |key: &str| SigmaField::new(key, Vec::new(), None);
        assert!(!field("eventName").case_sensitive());
        assert!(!field("eventName|contains|all").case_sensitive());
        assert!(field("CommandLine|re").case_sensitive());
        assert!(field("CommandLine|contains|cased").case_sensitive());
        assert!(field("userIdentity.arn|fieldref").case_sensitive());
        assert_eq!(field("").shown_key(), "keywords");
    }
}
