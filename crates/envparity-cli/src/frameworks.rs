//! The names behind the framework ids of the rule catalog: OWASP Non-Human Identities Top 10
//! (2025), NIST CSF 2.0 subcategories and NIST SP 800-207 zero-trust tenets.

/// A framework id of the catalog, e.g. `OWASP-NHI:NHI5`, split into the framework's display
/// name, the item and the item's title.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FrameworkItem {
    pub framework: &'static str,
    pub item: String,
    pub title: &'static str,
    /// A remark on the id, e.g. its name in an older version of the framework.
    pub note: Option<&'static str>,
}

fn owasp_nhi(item: &str) -> Option<&'static str> {
    Some(match item {
        "NHI1" => "Improper Offboarding",
        "NHI2" => "Secret Leakage",
        "NHI3" => "Vulnerable Third-Party NHI",
        "NHI4" => "Insecure Authentication",
        "NHI5" => "Overprivileged NHI",
        "NHI6" => "Insecure Cloud Deployment Configurations",
        "NHI7" => "Long-Lived Secrets",
        "NHI8" => "Environment Isolation",
        "NHI9" => "NHI Reuse",
        "NHI10" => "Human Use of NHI",
        _ => return None,
    })
}

fn nist_csf(item: &str) -> Option<&'static str> {
    Some(match item {
        "GV.PO-01" => "Policy for managing cybersecurity risks is established and enforced",
        "PR.AA-01" => {
            "Identities and credentials for authorized users, services and hardware are managed"
        }
        "PR.AA-05" => {
            "Access permissions, entitlements and authorizations are managed and incorporate least privilege"
        }
        "PR.DS-01" => {
            "The confidentiality, integrity and availability of data-at-rest are protected"
        }
        "PR.DS-02" => {
            "The confidentiality, integrity and availability of data-in-transit are protected"
        }
        "PR.PS-01" => "Configuration management practices are established and applied",
        "PR.IR-01" => "Networks and environments are protected from unauthorized logical access",
        "DE.CM-01" => "Networks and network services are monitored for adverse events",
        "DE.CM-09" => {
            "Computing hardware, software, runtime environments and their data are monitored"
        }
        _ => return None,
    })
}

fn zero_trust_tenet(item: &str) -> Option<&'static str> {
    Some(match item {
        "T1" => "All data sources and computing services are considered resources",
        "T2" => "All communication is secured regardless of network location",
        "T3" => "Access to individual enterprise resources is granted on a per-session basis",
        "T4" => "Access to resources is determined by dynamic policy",
        "T5" => {
            "The integrity and security posture of all owned and associated assets is monitored"
        }
        "T6" => {
            "All resource authentication and authorization are dynamic and strictly enforced before access is allowed"
        }
        "T7" => {
            "Information about the current state of assets, network and communications is collected to improve security posture"
        }
        _ => return None,
    })
}

/// The named item of a catalog framework id; `None` for an id of no known framework.
pub fn describe(id: &str) -> Option<FrameworkItem> {
    let (framework, item) = id.split_once(':')?;
    let (name, title, note) = match framework {
        "OWASP-NHI" => (
            "OWASP Non-Human Identities Top 10 (2025)",
            owasp_nhi(item)?,
            None,
        ),
        "NIST-CSF-2.0" => (
            "NIST CSF 2.0",
            nist_csf(item)?,
            (item == "PR.AA-05").then_some("least privilege; it was PR.AC-4 in NIST CSF 1.1"),
        ),
        "NIST-SP-800-207" => (
            "NIST SP 800-207 (zero trust)",
            zero_trust_tenet(item)?,
            None,
        ),
        _ => return None,
    };
    let item = match item.strip_prefix('T') {
        Some(number) if framework == "NIST-SP-800-207" => format!("tenet {number}"),
        _ => item.to_string(),
    };
    Some(FrameworkItem {
        framework: name,
        item,
        title,
        note,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use envparity::findings::Rule;

    #[test]
    fn every_catalog_framework_id_has_a_name() {
        for rule in Rule::ALL {
            for id in rule.frameworks() {
                assert!(
                    describe(id).is_some(),
                    "{}: unnamed framework id {id}",
                    rule.id()
                );
            }
        }
    }

    #[test]
    fn least_privilege_notes_the_csf_1_1_id() {
        let item = describe("NIST-CSF-2.0:PR.AA-05").expect("known");
        assert!(item.note.is_some_and(|n| n.contains("PR.AC-4")));
        let tenet = describe("NIST-SP-800-207:T6").expect("known");
        assert_eq!(tenet.item, "tenet 6");
        assert!(describe("OWASP-NHI:NHI11").is_none());
    }
}
