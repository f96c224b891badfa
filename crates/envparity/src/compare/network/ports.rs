//! Ports of NetworkPolicy rules: matching (numbers, ranges, named ports, protocols), one
//! representative port per class the rules distinguish, and when a named port (whose number
//! only the running pods know) leaves a difference undecided.

use std::collections::BTreeSet;

use crate::model::{NetworkPort, NetworkRule};

#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub(super) enum Port {
    Number(String, u16),
    Named(String, String),
}

impl Port {
    pub fn show(&self) -> String {
        match self {
            Port::Number(proto, n) => format!("{proto}/{n}"),
            Port::Named(proto, name) => format!("{proto}/{name}"),
        }
    }
}

pub(super) fn protocol(port: &NetworkPort) -> String {
    if port.protocol.is_empty() {
        "TCP".to_string()
    } else {
        port.protocol.clone()
    }
}

pub(super) fn port_matches(rule: &NetworkPort, port: &Port) -> bool {
    let (proto, ok) = match (&rule.port, port) {
        (None, Port::Number(p, _) | Port::Named(p, _)) => (p, true),
        (Some(text), Port::Number(p, n)) => match text.parse::<u16>() {
            Ok(start) => {
                let end = rule
                    .end_port
                    .and_then(|e| u16::try_from(e).ok())
                    .unwrap_or(start);
                (p, start <= *n && *n <= end)
            }
            Err(_) => (p, false),
        },
        (Some(text), Port::Named(p, name)) => (p, text == name),
    };
    ok && *proto == protocol(rule)
}

/// Ports reaching every class of the rules' ports: range boundaries and named ports, per
/// protocol in use (TCP always).
pub(super) fn port_representatives(rules: &[&NetworkRule]) -> Vec<Port> {
    let mut protocols: BTreeSet<String> = BTreeSet::from(["TCP".to_string()]);
    let mut numbers: BTreeSet<u16> = BTreeSet::from([1]);
    let mut named: BTreeSet<String> = BTreeSet::new();
    for port in rules.iter().flat_map(|r| r.ports.iter()) {
        protocols.insert(protocol(port));
        match port.port.as_deref().map(|t| (t, t.parse::<u16>())) {
            Some((_, Ok(start))) => {
                let end = port
                    .end_port
                    .and_then(|e| u16::try_from(e).ok())
                    .unwrap_or(start);
                numbers.insert(start);
                if let Some(next) = end.checked_add(1) {
                    numbers.insert(next);
                }
            }
            Some((text, Err(_))) => {
                named.insert(text.to_string());
            }
            None => {}
        }
    }
    numbers.remove(&0);
    // Each elementary interval [a, next) is one class; show a familiar port from it if any.
    let bounds: Vec<u16> = numbers.iter().copied().collect();
    let numbers: Vec<u16> = bounds
        .iter()
        .enumerate()
        .map(|(i, &a)| {
            let end = bounds.get(i + 1).copied().map_or(65_536, u32::from);
            [443u16, 80, 8080, 53]
                .into_iter()
                .find(|n| a <= *n && u32::from(*n) < end)
                .unwrap_or(a)
        })
        .collect();
    let mut out = Vec::new();
    for proto in &protocols {
        out.extend(numbers.iter().map(|n| Port::Number(proto.clone(), *n)));
        out.extend(named.iter().map(|n| Port::Named(proto.clone(), n.clone())));
    }
    out
}

/// Whether a difference on `ports[index]` holds whatever number each named port stands
/// for (names are resolved on the destination pod, which the inputs do not show). With
/// `ports[index]` allowed by one side and denied by the other for one pod and peer, and
/// `denied_allows` saying which of `ports` the denying side allows for them: a numbered port
/// differs for sure when the denying side allows no named port of its protocol (the port
/// may carry that name); a named port when the denying side allows no numbered port of its
/// protocol (the name may stand for that number). Returns the names that leave it open.
pub(super) fn naming_doubt(
    ports: &[Port],
    index: usize,
    denied_allows: &[bool],
) -> Vec<(String, String)> {
    let mut doubt: Vec<(String, String)> = ports
        .iter()
        .zip(denied_allows)
        .filter(|(_, allowed)| **allowed)
        .filter_map(|(other, _)| match (&ports[index], other) {
            (Port::Number(proto, _), Port::Named(p, name))
            | (Port::Named(proto, name), Port::Number(p, _))
                if p == proto =>
            {
                Some((p.clone(), name.clone()))
            }
            _ => None,
        })
        .collect();
    doubt.sort();
    doubt.dedup();
    doubt
}

/// The ports rules name (as opposed to the "any other port" representatives).
pub(super) fn literal_ports(rules: &[&NetworkRule]) -> BTreeSet<Port> {
    rules
        .iter()
        .flat_map(|r| r.ports.iter())
        .filter_map(|p| {
            let text = p.port.as_deref()?;
            Some(match text.parse::<u16>() {
                Ok(n) => Port::Number(protocol(p), n),
                Err(_) => Port::Named(protocol(p), text.to_string()),
            })
        })
        .collect()
}
