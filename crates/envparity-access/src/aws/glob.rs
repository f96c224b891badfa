//! IAM wildcard patterns as small automata: the three matching flavours (exact, `*`/`?` glob,
//! ARN glob), policy-variable templates, concrete matching, and the exact partition of all
//! strings into the Boolean combinations of a set of patterns, one shortest witness each.

use std::collections::{BTreeMap, HashMap, HashSet, VecDeque};

/// How `*` and `?` of a pattern are read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Wild {
    /// No wildcards (`StringEquals`): every character is literal.
    Exact,
    /// `*` any run, `?` any one character, `:` included (actions, `StringLike`).
    Glob,
    /// ARN rule (`Resource`, `ArnLike`): wildcards stay within a colon-separated segment —
    /// `?` never matches `:`, `*` matches no `:` — except that a `*` ending a segment (followed
    /// by `:` or ending the pattern) may run beyond the colon boundary.
    Arn,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Tok {
    Lit(char),
    One { colon: bool },
    Star { colon: bool },
}

/// A compiled pattern; `fold` compares letters ASCII case-insensitively.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Pattern {
    toks: Vec<Tok>,
    fold: bool,
}

/// One character of a pattern's text and whether it may act as a wildcard (characters from an
/// escape such as `${*}` or from a substituted variable are literal).
pub(crate) type Char = (char, bool);

impl Pattern {
    pub(crate) fn new(chars: &[Char], wild: Wild, fold: bool) -> Pattern {
        let mut toks = Vec::with_capacity(chars.len());
        for (i, (c, can_wild)) in chars.iter().copied().enumerate() {
            let segment_end = chars.get(i + 1).is_none_or(|(n, _)| *n == ':');
            toks.push(match (wild, can_wild, c) {
                (Wild::Exact, _, _) | (_, false, _) => Tok::Lit(c),
                (Wild::Glob, true, '*') => Tok::Star { colon: true },
                (Wild::Glob, true, '?') => Tok::One { colon: true },
                (Wild::Arn, true, '*') => Tok::Star { colon: segment_end },
                (Wild::Arn, true, '?') => Tok::One { colon: false },
                _ => Tok::Lit(c),
            });
        }
        Pattern { toks, fold }
    }

    /// A pattern whose every character may be a wildcard.
    pub(crate) fn plain(text: &str, wild: Wild, fold: bool) -> Pattern {
        let chars: Vec<Char> = text.chars().map(|c| (c, true)).collect();
        Pattern::new(&chars, wild, fold)
    }

    fn close(&self, set: &mut Vec<u32>) {
        let len = set.len();
        for i in 0..len {
            let mut q = set.get(i).copied().unwrap_or(0) as usize;
            while let Some(Tok::Star { .. }) = self.toks.get(q) {
                q += 1;
                set.push(q as u32);
            }
        }
        set.sort_unstable();
        set.dedup();
    }

    fn start(&self) -> Vec<u32> {
        let mut set = vec![0];
        self.close(&mut set);
        set
    }

    fn eq(&self, a: char, b: char) -> bool {
        a == b || self.fold && a.eq_ignore_ascii_case(&b)
    }

    fn step(&self, set: &[u32], c: char) -> Vec<u32> {
        let mut next = Vec::new();
        self.step_into(set, c, &mut next);
        next
    }

    fn step_into(&self, set: &[u32], c: char, next: &mut Vec<u32>) {
        next.clear();
        for &p in set {
            match self.toks.get(p as usize) {
                Some(Tok::Lit(l)) if self.eq(c, *l) => next.push(p + 1),
                Some(Tok::One { colon }) if *colon || c != ':' => next.push(p + 1),
                Some(Tok::Star { colon }) if *colon || c != ':' => next.push(p),
                _ => {}
            }
        }
        self.close(next);
    }

    fn accepts(&self, set: &[u32]) -> bool {
        set.last().is_some_and(|p| *p as usize == self.toks.len())
    }

    pub(crate) fn matches(&self, text: &str) -> bool {
        let mut set = self.start();
        let mut next = Vec::with_capacity(set.len() + 1);
        for c in text.chars() {
            if set.is_empty() {
                return false;
            }
            self.step_into(&set, c, &mut next);
            std::mem::swap(&mut set, &mut next);
        }
        self.accepts(&set)
    }

    fn literals(&self) -> impl Iterator<Item = char> + '_ {
        self.toks.iter().filter_map(|t| match t {
            Tok::Lit(c) => Some(*c),
            _ => None,
        })
    }

    /// The pattern's literal text with wildcards dropped and `?` as `fill`: a readable candidate
    /// witness.
    pub(crate) fn instance(&self, fill: char) -> String {
        self.toks
            .iter()
            .filter_map(|t| match t {
                Tok::Lit(c) => Some(*c),
                Tok::One { .. } => Some(fill),
                Tok::Star { .. } => None,
            })
            .collect()
    }

    /// Like [`Pattern::instance`], but a trailing `*` is filled with one `fill` too, so that
    /// a witness for `bucket/*` is the object `bucket/x`, a request AWS can receive, rather
    /// than the empty key `bucket/`.
    pub(crate) fn filled_instance(&self, fill: char) -> String {
        let mut text = self.instance(fill);
        if matches!(self.toks.last(), Some(Tok::Star { .. })) {
            text.push(fill);
        }
        text
    }
}

/// A character no pattern names (nor its other case): it stands for every such character.
pub(crate) fn fresh_char(taken: &HashSet<char>) -> char {
    let preferred = "xzqjkvwyuabcdefghilmnoprst0123456789-_".chars();
    preferred
        .chain((0x100u32..0x2_0000).filter_map(char::from_u32))
        .find(|c| {
            !taken.contains(c)
                && !taken.contains(&c.to_ascii_uppercase())
                && !taken.contains(&c.to_ascii_lowercase())
        })
        .unwrap_or('\u{10FFFF}')
}

/// Pattern-steps allowed per product state of the budget: a search over a few hundred
/// patterns runs as before; thousands of long literals stop with a reason instead of running
/// for minutes.
pub(crate) const WORK_PER_STATE: usize = 100;

/// The subset construction of one pattern, built as the search needs it: state 0 is the start.
struct LazyDfa {
    sets: Vec<Vec<u32>>,
    index: HashMap<Vec<u32>, u32>,
    /// `rows[state][char index]`, `u32::MAX` until computed.
    rows: Vec<Vec<u32>>,
    accepting: Vec<bool>,
    width: usize,
}

impl LazyDfa {
    fn new(pattern: &Pattern, width: usize) -> LazyDfa {
        let mut dfa = LazyDfa {
            sets: Vec::new(),
            index: HashMap::new(),
            rows: Vec::new(),
            accepting: Vec::new(),
            width,
        };
        dfa.intern(pattern, pattern.start());
        dfa
    }

    fn intern(&mut self, pattern: &Pattern, set: Vec<u32>) -> u32 {
        if let Some(id) = self.index.get(&set) {
            return *id;
        }
        let id = u32::try_from(self.sets.len()).unwrap_or(u32::MAX);
        self.accepting.push(pattern.accepts(&set));
        self.rows.push(vec![u32::MAX; self.width]);
        self.index.insert(set.clone(), id);
        self.sets.push(set);
        id
    }

    fn accepts(&self, state: u32) -> bool {
        self.accepting.get(state as usize).copied().unwrap_or(false)
    }

    fn next(&mut self, pattern: &Pattern, state: u32, ci: usize, c: char) -> u32 {
        let known = self
            .rows
            .get(state as usize)
            .and_then(|r| r.get(ci))
            .copied()
            .unwrap_or(u32::MAX);
        if known != u32::MAX {
            return known;
        }
        let set = self.sets.get(state as usize).cloned().unwrap_or_default();
        let id = self.intern(pattern, pattern.step(&set, c));
        if let Some(slot) = self
            .rows
            .get_mut(state as usize)
            .and_then(|r| r.get_mut(ci))
        {
            *slot = id;
        }
        id
    }
}

/// One class of strings: those matching exactly the patterns of its signature.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Atom {
    pub value: String,
    /// The value was offered as a candidate (a catalog action, a policy literal) rather than
    /// built by the search.
    pub offered: bool,
}

/// The exact partition of all strings by a set of patterns.
#[derive(Debug, Clone)]
pub(crate) struct Partition {
    patterns: Vec<Pattern>,
    by_signature: BTreeMap<Vec<bool>, usize>,
    pub atoms: Vec<Atom>,
    pending: usize,
}

impl Partition {
    /// Explores the product of the patterns' automata breadth-first over the characters the
    /// patterns name plus `:` plus one fresh character (with `fold_domain`, strings are
    /// lower-case: every pattern folds case). Fails when more than `budget` product states are
    /// reachable, or when expanding them would step the patterns' automata more than
    /// [`WORK_PER_STATE`] times `budget` times (thousands of patterns over long literals).
    pub(crate) fn build(
        patterns: Vec<Pattern>,
        fold_domain: bool,
        budget: usize,
    ) -> Result<Partition, String> {
        let mut unique: Vec<Pattern> = Vec::with_capacity(patterns.len());
        for p in patterns {
            if !unique.contains(&p) {
                unique.push(p);
            }
        }
        let patterns = unique;
        let mut taken: HashSet<char> = patterns.iter().flat_map(Pattern::literals).collect();
        taken.insert(':');
        let fresh = fresh_char(&taken);
        let any_fold = patterns.iter().any(|p| p.fold);
        let mut alphabet: Vec<char> = taken
            .iter()
            .flat_map(|c| {
                if fold_domain {
                    [c.to_ascii_lowercase(); 2]
                } else if any_fold {
                    [c.to_ascii_lowercase(), c.to_ascii_uppercase()]
                } else {
                    [*c; 2]
                }
            })
            .chain(taken.iter().copied().filter(|_| !fold_domain))
            .collect();
        alphabet.push(fresh);
        alphabet.sort_unstable();
        alphabet.dedup();
        let mut dfas: Vec<LazyDfa> = patterns
            .iter()
            .map(|p| LazyDfa::new(p, alphabet.len()))
            .collect();
        let start: Vec<u32> = vec![0; patterns.len()];
        let mut seen: HashSet<Vec<u32>> = HashSet::new();
        let mut queue = VecDeque::new();
        seen.insert(start.clone());
        queue.push_back((start, String::new()));
        let mut by_signature = BTreeMap::new();
        let mut atoms = Vec::new();
        let mut next: Vec<u32> = Vec::with_capacity(patterns.len());
        let work_budget = budget.saturating_mul(WORK_PER_STATE);
        let mut work = 0usize;
        while let Some((state, text)) = queue.pop_front() {
            work = work.saturating_add(patterns.len());
            if work > work_budget {
                return Err(format!(
                    "more than {work_budget} automaton steps to explore for {} patterns",
                    patterns.len()
                ));
            }
            let signature: Vec<bool> = dfas
                .iter()
                .zip(&state)
                .map(|(d, s)| d.accepts(*s))
                .collect();
            by_signature.entry(signature).or_insert_with(|| {
                atoms.push(Atom {
                    value: text.clone(),
                    offered: false,
                });
                atoms.len() - 1
            });
            for (ci, c) in alphabet.iter().enumerate() {
                next.clear();
                next.extend(
                    dfas.iter_mut()
                        .zip(&patterns)
                        .zip(&state)
                        .map(|((d, p), s)| d.next(p, *s, ci, *c)),
                );
                if seen.contains(&next) {
                    continue;
                }
                if seen.len() >= budget {
                    return Err(format!(
                        "more than {budget} pattern states to explore for {} patterns",
                        patterns.len()
                    ));
                }
                seen.insert(next.clone());
                let mut longer = text.clone();
                longer.push(*c);
                queue.push_back((next.clone(), longer));
            }
        }
        let pending = atoms.len();
        Ok(Partition {
            patterns,
            by_signature,
            atoms,
            pending,
        })
    }

    pub(crate) fn signature(&self, text: &str) -> Vec<bool> {
        self.patterns.iter().map(|p| p.matches(text)).collect()
    }

    /// Uses `candidate` as its class's value unless an earlier candidate took the class.
    /// Returns whether every class now has an offered value.
    pub(crate) fn offer(&mut self, candidate: &str) -> bool {
        if let Some(&i) = self.by_signature.get(&self.signature(candidate))
            && let Some(atom) = self.atoms.get_mut(i)
            && !atom.offered
        {
            atom.value = candidate.to_string();
            atom.offered = true;
            self.pending = self.pending.saturating_sub(1);
        }
        self.pending == 0
    }

    pub(crate) fn patterns(&self) -> &[Pattern] {
        &self.patterns
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn arn_stars() {
        let p = Pattern::plain("arn:aws:s3:::b*x", Wild::Arn, false);
        assert!(p.matches("arn:aws:s3:::bax"));
        assert!(!p.matches("arn:aws:s3:::ba:x"));
        let p = Pattern::plain("arn:aws:iam::*:role/r", Wild::Arn, false);
        assert!(p.matches("arn:aws:iam::1:2:role/r"));
        let p = Pattern::plain("arn:aws:s3:::a?c", Wild::Arn, false);
        assert!(!p.matches("arn:aws:s3:::a:c"));
        assert!(Pattern::plain("*", Wild::Arn, false).matches("a:b/c"));
    }

    #[test]
    fn partitions() {
        let pats = vec![
            Pattern::plain("s3:get*", Wild::Glob, true),
            Pattern::plain("s3:*object", Wild::Glob, true),
        ];
        let part = Partition::build(pats, true, 10_000).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(part.atoms.len(), 4);
        for atom in &part.atoms {
            assert!(part.by_signature.contains_key(&part.signature(&atom.value)));
        }
    }
}
