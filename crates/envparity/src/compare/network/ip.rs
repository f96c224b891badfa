//! CIDR blocks of `ipBlock` peers, and one address per class of a set of blocks. CIDR blocks
//! are nested or disjoint, so each class is "inside block B but outside B's sub-blocks".

use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub(super) struct Block {
    v6: bool,
    start: u128,
    end: u128,
}

fn to_u128(ip: IpAddr) -> (bool, u128) {
    match ip {
        IpAddr::V4(a) => (false, u128::from(u32::from(a))),
        IpAddr::V6(a) => (true, u128::from(a)),
    }
}

fn from_u128(v6: bool, value: u128) -> IpAddr {
    if v6 {
        IpAddr::V6(Ipv6Addr::from(value))
    } else {
        IpAddr::V4(Ipv4Addr::from(u32::try_from(value).unwrap_or(u32::MAX)))
    }
}

/// Parses `10.0.0.0/8` (a bare address is a single-address block); `None` when malformed.
pub(super) fn parse_cidr(text: &str) -> Option<Block> {
    let (addr, len) = match text.trim().split_once('/') {
        Some((a, l)) => (a, Some(l.parse::<u32>().ok()?)),
        None => (text.trim(), None),
    };
    let (v6, value) = to_u128(addr.parse::<IpAddr>().ok()?);
    let bits = if v6 { 128 } else { 32 };
    let len = len.unwrap_or(bits);
    if len > bits {
        return None;
    }
    let host_bits = bits - len;
    let host_mask: u128 = if host_bits == 128 {
        u128::MAX
    } else {
        (1u128 << host_bits) - 1
    };
    let start = value & !host_mask;
    Some(Block {
        v6,
        start,
        end: start | host_mask,
    })
}

pub(super) fn contains(block: &Block, ip: IpAddr) -> bool {
    let (v6, value) = to_u128(ip);
    v6 == block.v6 && block.start <= value && value <= block.end
}

fn inside(inner: &Block, outer: &Block) -> bool {
    inner.v6 == outer.v6 && outer.start <= inner.start && inner.end <= outer.end && inner != outer
}

/// One address per class of `blocks`, including one outside them all (per address family
/// in use; IPv4 always). Readable documentation addresses are preferred where they fit.
pub(super) fn representatives(blocks: &[Block]) -> Vec<IpAddr> {
    let mut blocks: Vec<Block> = blocks.to_vec();
    blocks.sort();
    blocks.dedup();
    let mut nodes: Vec<(Block, Option<IpAddr>)> = vec![(
        Block {
            v6: false,
            start: 0,
            end: u128::from(u32::MAX),
        },
        Some(IpAddr::V4(Ipv4Addr::new(203, 0, 113, 7))),
    )];
    if blocks.iter().any(|b| b.v6) {
        nodes.push((
            Block {
                v6: true,
                start: 0,
                end: u128::MAX,
            },
            Some(IpAddr::V6(Ipv6Addr::new(0x2001, 0xdb8, 0, 0, 0, 0, 0, 7))),
        ));
    }
    nodes.extend(blocks.iter().map(|b| (*b, None)));
    let mut out = Vec::new();
    for (node, preferred) in nodes {
        // The root (a whole address family) also contains a block equal to it.
        let within = |b: &Block| inside(b, &node) || (preferred.is_some() && *b == node);
        let children: Vec<&Block> = blocks
            .iter()
            .filter(|b| within(b))
            .filter(|b| !blocks.iter().any(|c| inside(b, c) && within(c)))
            .collect();
        let in_child = |ip: IpAddr| children.iter().any(|c| contains(c, ip));
        if let Some(ip) = preferred.filter(|ip| !in_child(*ip)) {
            out.push(ip);
            continue;
        }
        let mut cursor = node.start;
        let mut found = true;
        for child in &children {
            if child.start > cursor {
                break;
            }
            if child.end >= node.end {
                found = false;
                break;
            }
            cursor = cursor.max(child.end + 1);
        }
        if found && cursor <= node.end {
            out.push(from_u128(node.v6, cursor));
        }
    }
    out.sort();
    out.dedup();
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn blocks(texts: &[&str]) -> Vec<Block> {
        texts.iter().filter_map(|t| parse_cidr(t)).collect()
    }

    #[test]
    fn parses_and_contains() {
        let b = parse_cidr("10.1.2.3/8").map(|b| (b.start, b.end));
        assert_eq!(b, Some((0x0a00_0000, 0x0aff_ffff)));
        assert!(parse_cidr("10.0.0.0/33").is_none());
        assert!(parse_cidr("nonsense").is_none());
    }

    #[test]
    fn one_address_per_class() {
        let bs = blocks(&["10.0.0.0/8", "10.0.0.0/16", "10.1.0.0/16", "0.0.0.0/0"]);
        let reps = representatives(&bs);
        // Classes: 10.0/16, 10.1/16, rest of 10/8, rest of 0/0 (the root class is empty).
        assert_eq!(reps.len(), 4, "{reps:?}");
        for b in &bs {
            assert!(reps.iter().any(|ip| contains(b, *ip)));
        }
        let signature = |ip: &IpAddr| bs.iter().map(|b| contains(b, *ip)).collect::<Vec<_>>();
        let mut signatures: Vec<Vec<bool>> = reps.iter().map(signature).collect();
        signatures.dedup();
        assert_eq!(signatures.len(), 4);
    }

    #[test]
    fn outside_address_without_blocks() {
        assert_eq!(
            representatives(&[]),
            vec![IpAddr::V4(Ipv4Addr::new(203, 0, 113, 7))]
        );
    }
}
