//! The exact partition of the request context: the resources of the hierarchy named by
//! either side, and for each attribute the conditions read (`resource.name`, `.type`,
//! `.service`, each tag key, `request.time`) the regions its predicates cut out, with one
//! representative value per non-empty region.
//!
//! Strings: with equality literals E, prefixes P and suffixes S, every region is hit by a
//! literal of E or by `a + f + b` (a ∈ P ∪ {""} the longest matching prefix, b ∈ S ∪ {""} the
//! longest matching suffix, f a character no literal contains): such a string has exactly
//! the prefixes of a and the suffixes of b among the literals and equals none of them.
//! Instants: the points t, the open intervals between them, and both ends. Tags: absent, each
//! value named, one other value.

use std::collections::{BTreeMap, BTreeSet};

use super::condition::{Atom, Atoms, Attr, StrOp, atom_holds};
use super::timestamp::Timestamp;
use super::types::{Request, Resource};

const ATTRS: [Attr; 3] = [Attr::Name, Attr::Type, Attr::Service];
const DAY: i128 = 86_400 * 1_000_000_000;
const SECOND: i128 = 1_000_000_000;

/// Representatives of one string attribute and, per representative, the truth of each of the
/// attribute's atoms (in `atoms` order).
#[derive(Debug, Clone, Default)]
pub(crate) struct StringDim {
    pub reps: Vec<String>,
    atoms: Vec<(StrOp, String)>,
    signatures: Vec<Vec<bool>>,
}

fn signature(atoms: &[(StrOp, String)], s: &str) -> Vec<bool> {
    atoms
        .iter()
        .map(|(op, v)| match op {
            StrOp::Eq => s == v,
            StrOp::Prefix => s.starts_with(v.as_str()),
            StrOp::Suffix => s.ends_with(v.as_str()),
        })
        .collect()
}

/// A character none of the literals contains.
fn fresh_char(literals: &[&str]) -> char {
    let used: BTreeSet<char> = literals.iter().flat_map(|l| l.chars()).collect();
    ['x', '#', '~', '^']
        .into_iter()
        .chain((0xE000..0xF8FF).filter_map(char::from_u32))
        .find(|c| !used.contains(c))
        .unwrap_or('\u{F8FF}')
}

impl StringDim {
    fn build(mut atoms: Vec<(StrOp, String)>) -> StringDim {
        atoms.sort();
        atoms.dedup();
        if atoms.is_empty() {
            return StringDim {
                reps: vec![String::new()],
                atoms,
                signatures: vec![Vec::new()],
            };
        }
        let literal = |op: StrOp| -> Vec<&str> {
            atoms
                .iter()
                .filter(|(o, _)| *o == op)
                .map(|(_, v)| v.as_str())
                .collect()
        };
        let (equal, prefixes, suffixes) = (
            literal(StrOp::Eq),
            literal(StrOp::Prefix),
            literal(StrOp::Suffix),
        );
        let all: Vec<&str> = atoms.iter().map(|(_, v)| v.as_str()).collect();
        let fresh = fresh_char(&all).to_string();
        let mut candidates: Vec<String> = equal.iter().map(|e| e.to_string()).collect();
        let prefixes: Vec<&str> = [vec![""], prefixes].concat();
        let suffixes: Vec<&str> = [vec![""], suffixes].concat();
        for a in &prefixes {
            for b in &suffixes {
                for filler in ["/x", "-x", fresh.as_str()] {
                    candidates.push(format!("{a}{filler}{b}"));
                }
            }
        }
        let mut seen = BTreeSet::new();
        let (mut reps, mut signatures) = (Vec::new(), Vec::new());
        for c in candidates {
            let sig = signature(&atoms, &c);
            if seen.insert(sig.clone()) {
                reps.push(c);
                signatures.push(sig);
            }
        }
        StringDim {
            reps,
            atoms,
            signatures,
        }
    }

    fn relevant(&self) -> bool {
        !self.atoms.is_empty()
    }

    /// The representative shown for region `rep`: `preferred` when it falls in the region.
    fn shown(&self, rep: usize, preferred: &str) -> String {
        let own = self.reps.get(rep).cloned().unwrap_or_default();
        if !self.relevant() {
            return own;
        }
        match self.signatures.get(rep) {
            Some(sig) if *sig == signature(&self.atoms, preferred) => preferred.to_string(),
            _ => own,
        }
    }
}

/// One tag key: `None` (absent) or a value.
#[derive(Debug, Clone)]
pub(crate) struct TagDim {
    pub key: String,
    pub reps: Vec<Option<String>>,
}

/// One point of the partition: an index per dimension.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Context {
    pub node: usize,
    pub strings: [usize; 3],
    pub tags: Vec<usize>,
    pub time: usize,
}

#[derive(Debug, Clone)]
pub(crate) struct Space {
    pub nodes: Vec<String>,
    strings: [StringDim; 3],
    tags: Vec<TagDim>,
    times: Vec<Timestamp>,
    /// Per atom of the table: its truth per representative of the dimension it reads.
    truth: Vec<Option<(Dim, Vec<bool>)>>,
}

#[derive(Debug, Clone, Copy)]
enum Dim {
    String(usize),
    Tag(usize),
    Time,
}

/// Which attributes of a witness request its decision depends on.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize)]
pub struct Shown {
    pub name: bool,
    #[serde(rename = "type")]
    pub kind: bool,
    pub service: bool,
    pub time: bool,
}

fn time_reps(instants: &BTreeSet<Timestamp>) -> Vec<Timestamp> {
    let Some(first) = instants.first() else {
        return vec![Timestamp::default()];
    };
    let mut out = vec![first.plus_nanos(-DAY)];
    let list: Vec<Timestamp> = instants.iter().copied().collect();
    for (i, t) in list.iter().enumerate() {
        out.push(*t);
        let next = list.get(i + 1);
        let after = [DAY, SECOND, 1]
            .into_iter()
            .map(|step| t.plus_nanos(step))
            .find(|c| next.is_none_or(|n| c < n));
        out.extend(after);
    }
    out
}

impl Space {
    pub fn build(atoms: &Atoms, nodes: BTreeSet<String>) -> Space {
        let mut strings: [Vec<(StrOp, String)>; 3] = Default::default();
        let mut tags: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
        let mut instants = BTreeSet::new();
        for atom in &atoms.list {
            match atom {
                Atom::Str { attr, op, value } => {
                    if let Some(i) = ATTRS.iter().position(|a| a == attr) {
                        strings[i].push((*op, value.clone()));
                    }
                }
                Atom::Tag { key, value } => {
                    let values = tags.entry(key.clone()).or_default();
                    values.extend(value.clone());
                }
                Atom::Time { at, .. } => {
                    instants.insert(*at);
                }
                Atom::Opaque(_) | Atom::Missing(_) | Atom::Pattern(_) => {}
            }
        }
        let strings = strings.map(StringDim::build);
        let tags: Vec<TagDim> = tags
            .into_iter()
            .map(|(key, values)| {
                let mut reps: Vec<Option<String>> = vec![None];
                let other = (0..)
                    .map(|i| {
                        if i == 0 {
                            "x".to_string()
                        } else {
                            format!("x{i}")
                        }
                    })
                    .find(|v| !values.contains(v))
                    .unwrap_or_default();
                reps.extend(values.into_iter().map(Some));
                reps.push(Some(other));
                TagDim { key, reps }
            })
            .collect();
        let times = time_reps(&instants);
        let mut space = Space {
            nodes: nodes.into_iter().collect(),
            strings,
            tags,
            times,
            truth: Vec::new(),
        };
        space.truth = atoms.list.iter().map(|a| space.truth_of(a)).collect();
        space
    }

    fn truth_of(&self, atom: &Atom) -> Option<(Dim, Vec<bool>)> {
        let mut probe = Request::default();
        match atom {
            Atom::Str { attr, .. } => {
                let i = ATTRS.iter().position(|a| a == attr)?;
                let dim = self.strings.get(i)?;
                let truth = dim
                    .reps
                    .iter()
                    .map(|r| {
                        probe.resource.name.clone_from(r);
                        probe.resource.kind.clone_from(r);
                        probe.resource.service.clone_from(r);
                        atom_holds(atom, &probe).unwrap_or(false)
                    })
                    .collect();
                Some((Dim::String(i), truth))
            }
            Atom::Tag { key, .. } => {
                let i = self.tags.iter().position(|t| t.key == *key)?;
                let truth = self.tags.get(i)?.reps.iter().map(|r| {
                    probe.resource.tags.clear();
                    if let Some(v) = r {
                        probe.resource.tags.insert(key.clone(), v.clone());
                    }
                    atom_holds(atom, &probe).unwrap_or(false)
                });
                Some((Dim::Tag(i), truth.collect()))
            }
            Atom::Time { .. } => {
                let truth = self.times.iter().map(|t| {
                    probe.time = *t;
                    atom_holds(atom, &probe).unwrap_or(false)
                });
                Some((Dim::Time, truth.collect()))
            }
            Atom::Opaque(_) | Atom::Missing(_) | Atom::Pattern(_) => None,
        }
    }

    /// How many contexts the partition has (saturating).
    pub fn size(&self) -> u128 {
        let mut n = self.nodes.len() as u128;
        for d in &self.strings {
            n = n.saturating_mul(d.reps.len() as u128);
        }
        for t in &self.tags {
            n = n.saturating_mul(t.reps.len() as u128);
        }
        n.saturating_mul(self.times.len() as u128)
    }

    /// Every context of resource `node`, in a fixed order.
    pub fn contexts_of(&self, node: usize) -> Vec<Context> {
        let mut radices: Vec<usize> = self.strings.iter().map(|d| d.reps.len()).collect();
        radices.extend(self.tags.iter().map(|t| t.reps.len()));
        radices.push(self.times.len());
        let mut digits = vec![0usize; radices.len()];
        let mut out = Vec::new();
        if radices.contains(&0) {
            return out;
        }
        loop {
            let tags = digits.get(3..digits.len() - 1).unwrap_or_default().to_vec();
            out.push(Context {
                node,
                strings: [digits[0], digits[1], digits[2]],
                tags,
                time: digits.last().copied().unwrap_or(0),
            });
            let mut i = digits.len();
            loop {
                if i == 0 {
                    return out;
                }
                i -= 1;
                digits[i] += 1;
                if digits[i] < radices[i] {
                    break;
                }
                digits[i] = 0;
            }
        }
    }

    /// The truth of a decided atom in `ctx`; `None` for opaque and missing facts.
    pub fn value(&self, atom: usize, ctx: &Context) -> Option<bool> {
        let (dim, truth) = self.truth.get(atom)?.as_ref()?;
        let rep = match dim {
            Dim::String(i) => *ctx.strings.get(*i)?,
            Dim::Tag(i) => *ctx.tags.get(*i)?,
            Dim::Time => ctx.time,
        };
        truth.get(rep).copied()
    }

    /// A concrete request of the context, and which of its attributes matter.
    pub fn request(&self, ctx: &Context, principal: &str, permission: &str) -> (Request, Shown) {
        let node = self.nodes.get(ctx.node).cloned().unwrap_or_default();
        let shown = |i: usize, preferred: &str| {
            self.strings
                .get(i)
                .zip(ctx.strings.get(i))
                .map(|(d, r)| d.shown(*r, preferred))
                .unwrap_or_default()
        };
        let name = if self.strings[0].relevant() {
            shown(0, &node)
        } else {
            node.clone()
        };
        let mut tags = BTreeMap::new();
        for (dim, rep) in self.tags.iter().zip(&ctx.tags) {
            if let Some(Some(value)) = dim.reps.get(*rep) {
                tags.insert(dim.key.clone(), value.clone());
            }
        }
        let request = Request {
            principal: principal.to_string(),
            permission: permission.to_string(),
            resource: Resource {
                node,
                name,
                kind: shown(1, ""),
                service: shown(2, ""),
                tags,
            },
            time: self.times.get(ctx.time).copied().unwrap_or_default(),
        };
        let flags = Shown {
            name: self.strings[0].relevant(),
            kind: self.strings[1].relevant(),
            service: self.strings[2].relevant(),
            time: self.times.len() > 1,
        };
        (request, flags)
    }
}
