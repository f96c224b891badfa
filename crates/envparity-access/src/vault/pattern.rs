//! Each lookup key as a small deterministic automaton over characters: "the path equals this
//! exact key", "the path starts with this prefix key", "the path matches this `+` pattern"
//! (segment by segment, a trailing `*` only on the last segment). The partition of the path
//! space walks their product (see `partition`).

use super::policy::KeyKind;

/// A state of one predicate's automaton.
pub type State = u32;

/// The state from which nothing is accepted any more.
pub const DEAD: State = u32::MAX;

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Segment {
    Plus,
    Literal(Vec<char>),
}

/// One key as an automaton.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Predicate {
    Exact(Vec<char>),
    /// Accepting (and absorbing) once the whole prefix is read.
    Prefix(Vec<char>),
    Segments {
        segments: Vec<Segment>,
        /// The last segment is a prefix of the path's segment, and anything may follow.
        prefix: bool,
        /// `offsets[i]`: the first state of segment `i` (a literal of length `n` has `n + 1`
        /// states, `+` one); `accept_all` follows the last.
        offsets: Vec<State>,
        accept_all: State,
    },
}

impl Predicate {
    pub fn new(kind: KeyKind, key: &str) -> Predicate {
        match kind {
            KeyKind::Exact => Predicate::Exact(key.chars().collect()),
            KeyKind::Prefix => Predicate::Prefix(key.chars().collect()),
            KeyKind::Segment => {
                let (body, prefix) = match key.strip_suffix('*') {
                    Some(body) => (body, true),
                    None => (key, false),
                };
                let segments: Vec<Segment> = body
                    .split('/')
                    .map(|s| {
                        if s == "+" {
                            Segment::Plus
                        } else {
                            Segment::Literal(s.chars().collect())
                        }
                    })
                    .collect();
                let mut offsets = Vec::with_capacity(segments.len());
                let mut next: State = 0;
                for s in &segments {
                    offsets.push(next);
                    let width = match s {
                        Segment::Plus => 1,
                        Segment::Literal(l) => l.len() + 1,
                    };
                    next = next.saturating_add(u32::try_from(width).unwrap_or(u32::MAX - 1));
                }
                Predicate::Segments {
                    segments,
                    prefix,
                    offsets,
                    accept_all: next,
                }
            }
        }
    }

    /// The characters of the key's literals (not `/`).
    pub fn literal_chars(&self) -> Vec<char> {
        match self {
            Predicate::Exact(chars) | Predicate::Prefix(chars) => {
                chars.iter().copied().filter(|c| *c != '/').collect()
            }
            Predicate::Segments { segments, .. } => segments
                .iter()
                .flat_map(|s| match s {
                    Segment::Plus => Vec::new(),
                    Segment::Literal(l) => l.clone(),
                })
                .collect(),
        }
    }

    pub fn initial(&self) -> State {
        match self {
            Predicate::Exact(_) | Predicate::Prefix(_) => 0,
            Predicate::Segments { .. } => self.enter(0),
        }
    }

    /// The state at the start of segment `i` (a satisfied prefix accepts everything after).
    fn enter(&self, i: usize) -> State {
        let Predicate::Segments {
            segments,
            prefix,
            offsets,
            accept_all,
        } = self
        else {
            return DEAD;
        };
        let last = segments.len().saturating_sub(1);
        if *prefix && i == last && segments.get(i) == Some(&Segment::Literal(Vec::new())) {
            return *accept_all;
        }
        offsets.get(i).copied().unwrap_or(DEAD)
    }

    /// Segment index and position within it of a state of a `Segments` predicate.
    fn locate(offsets: &[State], state: State) -> Option<(usize, u32)> {
        let i = offsets.partition_point(|o| *o <= state).checked_sub(1)?;
        Some((i, state - offsets.get(i)?))
    }

    pub fn step(&self, state: State, c: char) -> State {
        if state == DEAD {
            return DEAD;
        }
        match self {
            Predicate::Exact(chars) => match chars.get(state as usize) {
                Some(expected) if *expected == c => state + 1,
                _ => DEAD,
            },
            Predicate::Prefix(chars) => {
                if state as usize == chars.len() {
                    state
                } else {
                    match chars.get(state as usize) {
                        Some(expected) if *expected == c => state + 1,
                        _ => DEAD,
                    }
                }
            }
            Predicate::Segments {
                segments,
                prefix,
                offsets,
                accept_all,
            } => {
                if state == *accept_all {
                    return state;
                }
                let Some((i, j)) = Self::locate(offsets, state) else {
                    return DEAD;
                };
                let last = segments.len().saturating_sub(1);
                let complete = match segments.get(i) {
                    Some(Segment::Plus) => true,
                    Some(Segment::Literal(l)) => j as usize == l.len(),
                    None => return DEAD,
                };
                if c == '/' {
                    return if complete && i < last {
                        self.enter(i + 1)
                    } else {
                        DEAD
                    };
                }
                match segments.get(i) {
                    Some(Segment::Plus) => state,
                    Some(Segment::Literal(l)) => match l.get(j as usize) {
                        Some(expected) if *expected == c => {
                            if *prefix && i == last && j as usize + 1 == l.len() {
                                *accept_all
                            } else {
                                state + 1
                            }
                        }
                        _ => DEAD,
                    },
                    None => DEAD,
                }
            }
        }
    }

    pub fn accepts(&self, state: State) -> bool {
        if state == DEAD {
            return false;
        }
        match self {
            Predicate::Exact(chars) | Predicate::Prefix(chars) => state as usize == chars.len(),
            Predicate::Segments {
                segments,
                prefix,
                offsets,
                accept_all,
            } => {
                if state == *accept_all {
                    return true;
                }
                if *prefix {
                    return false;
                }
                let last = segments.len().saturating_sub(1);
                match Self::locate(offsets, state) {
                    Some((i, j)) if i == last => match segments.get(i) {
                        Some(Segment::Plus) => true,
                        Some(Segment::Literal(l)) => j as usize == l.len(),
                        None => false,
                    },
                    _ => false,
                }
            }
        }
    }
}
