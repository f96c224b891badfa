//! The flow space of security-group rules: (protocol, port, peer) with peers as IPv4 and
//! IPv6 address intervals, referenced groups and prefix lists. Rules become boxes; the
//! space is cut at every boundary either side uses, so each elementary cell is admitted by
//! all of its flows or by none, and the difference of two rule sets is exact.

use std::collections::BTreeSet;
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};

use crate::model::SecurityGroupRule;

const TCP: u8 = 6;
const UDP: u8 = 17;
const ICMP: u8 = 1;
const ICMPV6: u8 = 58;
/// Tried in order for "any other protocol" when a rule allows all protocols.
const OTHER_PROTOCOLS: [u8; 4] = [47, 50, 132, 4];

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub(super) enum Protocol {
    All,
    Number(u8),
}

/// One peer class: an address interval (inclusive) or a named peer.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub(super) enum Peer {
    V4(u128, u128),
    V6(u128, u128),
    /// A referenced security group, by its canonical (production-vocabulary) token.
    Group(String),
    PrefixList(String),
}

/// A rule as a box: protocols × port interval × peers. `index` is the rule's position.
#[derive(Debug, Clone)]
pub(super) struct RuleBox {
    pub index: usize,
    pub protocol: Protocol,
    /// Inclusive port interval (ICMP: `type * 256 + code`); `None` means every port.
    pub ports: Option<(u32, u32)>,
    pub peers: Vec<Peer>,
}

/// A cell admitted on one side and not the other.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub(super) struct Cell {
    pub protocol: u8,
    pub ports: (u32, u32),
    pub peer: Peer,
    /// Indexes of the rules admitting the cell on the side that admits it.
    pub rules: Vec<usize>,
}

fn parse_protocol(text: &str) -> Option<Protocol> {
    match text.trim().to_ascii_lowercase().as_str() {
        "-1" | "all" => Some(Protocol::All),
        "tcp" => Some(Protocol::Number(TCP)),
        "udp" => Some(Protocol::Number(UDP)),
        "icmp" => Some(Protocol::Number(ICMP)),
        "icmpv6" => Some(Protocol::Number(ICMPV6)),
        other => other.parse::<u8>().ok().map(Protocol::Number),
    }
}

pub(super) fn protocol_name(protocol: u8) -> String {
    match protocol {
        TCP => "tcp".to_string(),
        UDP => "udp".to_string(),
        ICMP => "icmp".to_string(),
        ICMPV6 => "icmpv6".to_string(),
        n => n.to_string(),
    }
}

/// The port domain of a protocol: TCP/UDP ports, ICMP type and code, or nothing.
fn domain(protocol: u8) -> (u32, u32) {
    match protocol {
        TCP | UDP | ICMP | ICMPV6 => (0, 65_535),
        _ => (0, 0),
    }
}

pub(super) fn has_ports(protocol: u8) -> bool {
    domain(protocol).1 > 0
}

pub(super) fn is_icmp(protocol: u8) -> bool {
    protocol == ICMP || protocol == ICMPV6
}

/// A CIDR (or a bare address) as an inclusive interval; `None` when malformed.
pub(super) fn parse_cidr(text: &str) -> Option<Peer> {
    let (addr, len) = match text.trim().split_once('/') {
        Some((a, l)) => (a, Some(l.parse::<u32>().ok()?)),
        None => (text.trim(), None),
    };
    let (v6, value, bits) = match addr.parse::<IpAddr>().ok()? {
        IpAddr::V4(a) => (false, u128::from(u32::from(a)), 32),
        IpAddr::V6(a) => (true, u128::from(a), 128),
    };
    let len = len.unwrap_or(bits);
    if len > bits {
        return None;
    }
    let host = bits - len;
    let mask = if host == 128 {
        u128::MAX
    } else {
        (1u128 << host) - 1
    };
    let start = value & !mask;
    Some(if v6 {
        Peer::V6(start, start | mask)
    } else {
        Peer::V4(start, start | mask)
    })
}

/// A rule as a box; `Err` says what could not be read. `group` canonicalizes a reference.
pub(super) fn rule_box(
    index: usize,
    rule: &SecurityGroupRule,
    group: &impl Fn(&str) -> String,
) -> Result<RuleBox, String> {
    let protocol = parse_protocol(&rule.protocol)
        .ok_or_else(|| format!("unknown protocol `{}`", rule.protocol))?;
    let ports = match protocol {
        Protocol::All => None,
        Protocol::Number(p) if is_icmp(p) => icmp_ports(rule.from_port, rule.to_port),
        Protocol::Number(p) if has_ports(p) => match (rule.from_port, rule.to_port) {
            (None, None) | (Some(-1), Some(-1)) => None,
            (Some(from), Some(to))
                if (0..=65_535).contains(&from) && (from..=65_535).contains(&to) =>
            {
                Some((from as u32, to as u32))
            }
            (from, to) => {
                return Err(format!(
                    "invalid port range {}-{} for protocol `{}`",
                    from.map_or("none".to_string(), |v| v.to_string()),
                    to.map_or("none".to_string(), |v| v.to_string()),
                    rule.protocol
                ));
            }
        },
        Protocol::Number(_) => None,
    };
    let mut peers = Vec::new();
    for cidr in rule.ipv4.iter().chain(&rule.ipv6) {
        peers.push(parse_cidr(cidr).ok_or_else(|| format!("malformed CIDR `{cidr}`"))?);
    }
    peers.extend(rule.groups.iter().map(|g| Peer::Group(group(g))));
    peers.extend(
        rule.prefix_lists
            .iter()
            .map(|p| Peer::PrefixList(p.clone())),
    );
    Ok(RuleBox {
        index,
        protocol,
        ports,
        peers,
    })
}

/// ICMP: `FromPort` is the type, `ToPort` the code; -1 (or absent) means all.
fn icmp_ports(from: Option<i64>, to: Option<i64>) -> Option<(u32, u32)> {
    let icmp_type = from.filter(|t| (0..=255).contains(t))?;
    let base = icmp_type as u32 * 256;
    match to.filter(|c| (0..=255).contains(c)) {
        Some(code) => Some((base + code as u32, base + code as u32)),
        None => Some((base, base + 255)),
    }
}

fn applies(rule: &RuleBox, protocol: u8) -> bool {
    match rule.protocol {
        Protocol::All => true,
        Protocol::Number(p) => p == protocol,
    }
}

fn port_interval(rule: &RuleBox, protocol: u8) -> (u32, u32) {
    rule.ports.unwrap_or(domain(protocol))
}

/// Inclusive elementary intervals of `[lo, hi]` cut at every interval's start and end.
fn elementary(lo: u128, hi: u128, intervals: &[(u128, u128)]) -> Vec<(u128, u128)> {
    let mut cuts: BTreeSet<u128> = BTreeSet::new();
    cuts.insert(lo);
    for &(a, b) in intervals {
        if a > lo && a <= hi {
            cuts.insert(a);
        }
        if b < hi && b >= lo {
            cuts.insert(b + 1);
        }
    }
    let starts: Vec<u128> = cuts.into_iter().collect();
    let mut out = Vec::with_capacity(starts.len());
    for (i, &start) in starts.iter().enumerate() {
        let end = starts.get(i + 1).map_or(hi, |next| next - 1);
        out.push((start, end));
    }
    out
}

fn peer_covers(outer: &Peer, inner: &Peer) -> bool {
    match (outer, inner) {
        (Peer::V4(a, b), Peer::V4(c, d)) | (Peer::V6(a, b), Peer::V6(c, d)) => a <= c && d <= b,
        (Peer::Group(a), Peer::Group(b)) | (Peer::PrefixList(a), Peer::PrefixList(b)) => a == b,
        _ => false,
    }
}

/// The protocols to examine: every number either side names, plus one other when a rule
/// admits all protocols.
fn protocols(a: &[RuleBox], b: &[RuleBox]) -> Vec<u8> {
    let mut named: BTreeSet<u8> = BTreeSet::new();
    let mut all = false;
    for rule in a.iter().chain(b) {
        match rule.protocol {
            Protocol::All => all = true,
            Protocol::Number(p) => {
                named.insert(p);
            }
        }
    }
    if all {
        let other = OTHER_PROTOCOLS
            .into_iter()
            .chain(0..=255)
            .find(|p| !named.contains(p));
        named.extend(other);
        // TCP is where most flows are; always look at it when everything is allowed.
        named.insert(TCP);
    }
    named.into_iter().collect()
}

/// The peer classes the rules distinguish.
fn peer_classes(rules: &[&RuleBox]) -> Vec<Peer> {
    let mut v4 = Vec::new();
    let mut v6 = Vec::new();
    let mut named: BTreeSet<Peer> = BTreeSet::new();
    for peer in rules.iter().flat_map(|r| &r.peers) {
        match peer {
            Peer::V4(a, b) => v4.push((*a, *b)),
            Peer::V6(a, b) => v6.push((*a, *b)),
            other => {
                named.insert(other.clone());
            }
        }
    }
    let mut out = Vec::new();
    if !v4.is_empty() {
        let max = u128::from(u32::MAX);
        out.extend(
            elementary(0, max, &v4)
                .into_iter()
                .map(|(a, b)| Peer::V4(a, b)),
        );
    }
    if !v6.is_empty() {
        out.extend(
            elementary(0, u128::MAX, &v6)
                .into_iter()
                .map(|(a, b)| Peer::V6(a, b)),
        );
    }
    out.extend(named);
    out
}

/// The rules whose port interval contains `ports`.
fn on_port<'r>(rules: &[&'r RuleBox], protocol: u8, ports: (u32, u32)) -> Vec<&'r RuleBox> {
    rules
        .iter()
        .filter(|r| {
            let (x, y) = port_interval(r, protocol);
            x <= ports.0 && ports.1 <= y
        })
        .copied()
        .collect()
}

/// Every cell `a` admits and `b` does not, sorted.
pub(super) fn difference(a: &[RuleBox], b: &[RuleBox]) -> Vec<Cell> {
    let mut out = Vec::new();
    for protocol in protocols(a, b) {
        let a_rules: Vec<&RuleBox> = a.iter().filter(|r| applies(r, protocol)).collect();
        if a_rules.is_empty() {
            continue;
        }
        let b_rules: Vec<&RuleBox> = b.iter().filter(|r| applies(r, protocol)).collect();
        let (lo, hi) = domain(protocol);
        let intervals: Vec<(u128, u128)> = a_rules
            .iter()
            .chain(&b_rules)
            .map(|r| {
                let (x, y) = port_interval(r, protocol);
                (u128::from(x), u128::from(y))
            })
            .collect();
        for (p_lo, p_hi) in elementary(u128::from(lo), u128::from(hi), &intervals) {
            let ports = (p_lo as u32, p_hi as u32);
            let a_here = on_port(&a_rules, protocol, ports);
            if a_here.is_empty() {
                continue;
            }
            let b_here = on_port(&b_rules, protocol, ports);
            let mut all_here = a_here.clone();
            all_here.extend(&b_here);
            for peer in peer_classes(&all_here) {
                let admitting: Vec<usize> = a_here
                    .iter()
                    .filter(|r| r.peers.iter().any(|p| peer_covers(p, &peer)))
                    .map(|r| r.index)
                    .collect();
                if admitting.is_empty() {
                    continue;
                }
                if b_here
                    .iter()
                    .any(|r| r.peers.iter().any(|p| peer_covers(p, &peer)))
                {
                    continue;
                }
                out.push(Cell {
                    protocol,
                    ports,
                    peer,
                    rules: admitting,
                });
            }
        }
    }
    out.sort();
    out
}

/// A concrete address inside an interval: a documentation address when it fits.
pub(super) fn sample_address(peer: &Peer) -> Option<IpAddr> {
    let pick = |lo: u128, hi: u128, preferred: u128| {
        if lo <= preferred && preferred <= hi {
            preferred
        } else if hi > lo {
            lo + 1
        } else {
            lo
        }
    };
    match peer {
        Peer::V4(lo, hi) => {
            let doc = u128::from(u32::from(Ipv4Addr::new(203, 0, 113, 9)));
            let value = u32::try_from(pick(*lo, *hi, doc)).ok()?;
            Some(IpAddr::V4(Ipv4Addr::from(value)))
        }
        Peer::V6(lo, hi) => {
            let doc = u128::from(Ipv6Addr::new(0x2001, 0xdb8, 0, 0, 0, 0, 0, 9));
            Some(IpAddr::V6(Ipv6Addr::from(pick(*lo, *hi, doc))))
        }
        _ => None,
    }
}

/// A concrete port inside an interval: a well-known one when it fits.
pub(super) fn sample_port(ports: (u32, u32)) -> u32 {
    [22, 443, 80, 3389, 5432, 3306, 6379, 8080]
        .into_iter()
        .find(|p| ports.0 <= *p && *p <= ports.1)
        .unwrap_or(ports.0)
}
