//! Security-group findings: the differing cells of two groups become one broader or
//! narrower finding with concrete witness flows, named in each side's words.

use std::collections::BTreeMap;

use serde_json::{Value, json};

use super::space::{self, Cell, Peer};
use super::{Direction, rule_text, subject};
use crate::compare::Context;
use crate::compare::aws::{evidence, side_label, side_title};
use crate::findings::{Confidence, Finding, Rule, Side, Witness};
use crate::model::{SecurityGroup, Snapshot};

/// Witness flows shown per finding.
const SHOWN: usize = 5;

/// The pair being compared, to name peers in each side's words.
pub(super) struct Groups<'a> {
    pub ctx: &'a Context<'a>,
    pub s: &'a SecurityGroup,
    pub p: &'a SecurityGroup,
}

impl Groups<'_> {
    fn group(&self, side: Side) -> &SecurityGroup {
        match side {
            Side::Staging => self.s,
            Side::Production => self.p,
        }
    }

    fn snapshot(&self, side: Side) -> &Snapshot {
        match side {
            Side::Staging => self.ctx.staging,
            Side::Production => self.ctx.production,
        }
    }

    /// A canonical group token as `sg-… (name)` on one side, when that side has it.
    fn group_peer(&self, side: Side, token: &str) -> String {
        let snapshot = self.snapshot(side);
        let map = |t: &str| match side {
            Side::Staging => self.ctx.names.to_production(t).text,
            Side::Production => t.to_string(),
        };
        if let Some(name) = token.strip_prefix("group:")
            && let Some(g) = snapshot
                .aws
                .security_groups
                .iter()
                .find(|g| map(&g.name) == name)
        {
            return format!("{} ({})", g.id, g.name);
        }
        match (token.strip_prefix("id:"), side) {
            (Some(id), Side::Production) => id.to_string(),
            (Some(id), Side::Staging) => self.ctx.names.to_staging(id),
            _ => token.trim_start_matches("group:").to_string(),
        }
    }

    fn peer(&self, side: Side, peer: &Peer) -> String {
        match peer {
            Peer::Group(token) => self.group_peer(side, token),
            Peer::PrefixList(id) => id.clone(),
            other => space::sample_address(other).map_or(String::new(), |a| a.to_string()),
        }
    }
}

/// Protocol and port of a cell as request fields and as text (`tcp/22`).
fn flow(cell: &Cell) -> (BTreeMap<String, Value>, String) {
    let mut fields = BTreeMap::new();
    let name = space::protocol_name(cell.protocol);
    fields.insert("protocol".to_string(), json!(name));
    let text = if space::is_icmp(cell.protocol) {
        let value = if cell.ports.0 <= 2048 && 2048 <= cell.ports.1 {
            2048
        } else {
            cell.ports.0
        };
        fields.insert("icmp_type".to_string(), json!(value / 256));
        fields.insert("icmp_code".to_string(), json!(value % 256));
        format!("{name} type {} code {}", value / 256, value % 256)
    } else if space::has_ports(cell.protocol) {
        let port = space::sample_port(cell.ports);
        fields.insert("port".to_string(), json!(port));
        format!("{name}/{port}")
    } else {
        format!("protocol {name}")
    };
    (fields, text)
}

/// Up to [`SHOWN`] cells, one per (protocol, port interval), preferring documentation
/// addresses (`203.0.113.9`, `2001:db8::9`) as the peer.
fn shown(cells: &[Cell]) -> Vec<&Cell> {
    let mut by_port: BTreeMap<(u8, (u32, u32)), &Cell> = BTreeMap::new();
    let doc = |c: &Cell| {
        space::sample_address(&c.peer)
            .is_some_and(|a| a.to_string() == "203.0.113.9" || a.to_string() == "2001:db8::9")
    };
    for cell in cells {
        let entry = by_port.entry((cell.protocol, cell.ports)).or_insert(cell);
        if !doc(entry) && doc(cell) {
            *entry = cell;
        }
    }
    by_port.into_values().take(SHOWN).collect()
}

pub(super) fn differs(
    groups: &Groups<'_>,
    allowed: Side,
    direction: Direction,
    cells: &[Cell],
    confidence: Confidence,
) -> Finding {
    let denied = allowed.other();
    let rule = match allowed {
        Side::Staging => Rule::NetworkBroaderInStaging,
        Side::Production => Rule::NetworkNarrowerInStaging,
    };
    let (a_group, d_group) = (groups.group(allowed), groups.group(denied));
    let picked = shown(cells);
    let mut classes: Vec<String> = cells
        .iter()
        .map(|c| {
            format!(
                "{}:{}-{}",
                space::protocol_name(c.protocol),
                c.ports.0,
                c.ports.1
            )
        })
        .collect();
    classes.dedup();
    let mut describe_first = String::new();
    let mut finding_witnesses = Vec::new();
    let mut allowed_evidence = Vec::new();
    let mut denied_evidence = Vec::new();
    for cell in &picked {
        let (fields, flow_text) = flow(cell);
        let peer_here = groups.peer(allowed, &cell.peer);
        let peer_there = groups.peer(denied, &cell.peer);
        let text = format!("{flow_text} {} {peer_here}", direction.preposition());
        if describe_first.is_empty() {
            describe_first = text.clone();
        }
        let request = |peer: &str| {
            let mut r = fields.clone();
            r.insert("direction".to_string(), json!(direction.word()));
            r.insert(direction.peer_key().to_string(), json!(peer));
            r
        };
        let translated = (peer_there != peer_here).then(|| request(&peer_there));
        finding_witnesses.push(Witness {
            allowed_in: allowed,
            denied_in: denied,
            request: request(&peer_here),
            staging_request: if denied == Side::Staging {
                translated.clone()
            } else {
                None
            },
            production_request: if denied == Side::Production {
                translated
            } else {
                None
            },
            synthetic: false,
        });
        let rules = direction.rules(a_group);
        for index in &cell.rules {
            if let Some(r) = rules.get(*index) {
                allowed_evidence.push(format!(
                    "{} rule {} of `{}` admits {text}",
                    direction.word(),
                    rule_text(r),
                    a_group.name
                ));
            }
        }
        denied_evidence.push(format!(
            "no {} rule of `{}` admits {flow_text} {} {peer_there}",
            direction.word(),
            d_group.name,
            direction.preposition()
        ));
    }
    allowed_evidence.sort();
    allowed_evidence.dedup();
    let more = classes.len().saturating_sub(1);
    let message = format!(
        "{} security group `{}` admits {} {describe_first} that {} group `{}` does not{}.",
        side_title(allowed),
        a_group.name,
        direction.word(),
        side_label(denied),
        d_group.name,
        match more {
            0 => String::new(),
            1 => " (and 1 other port range)".to_string(),
            n => format!(" (and {n} other port ranges)"),
        }
    );
    let mut finding = Finding::new(rule, subject(groups.s, groups.p), message)
        .confidence(confidence)
        .key(format!("{}:{}", direction.word(), classes.join(",")));
    for detail in allowed_evidence {
        finding = finding.evidence_on(allowed, evidence(&a_group.provenance, detail));
    }
    for detail in denied_evidence {
        finding = finding.evidence_on(denied, evidence(&d_group.provenance, detail));
    }
    for witness in finding_witnesses {
        finding = finding.witness(witness);
    }
    finding
}
