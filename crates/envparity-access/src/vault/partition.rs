//! The exact partition of the path space induced by a set of lookup keys. The lookup of every
//! operation depends on a path only through which keys accept the path, which accept the path
//! without its trailing `/`, and whether it ends in `/`: its *signature*. A breadth-first
//! walk over the product of the keys' automata (alphabet: the keys' literal characters, `/`
//! and one fresh character standing for every other) visits every reachable product state,
//! and every transition out of a visited state yields a signature; the first path found for
//! each signature is the representative of its class. Every path is decided like its class's
//! representative by both sides, so checking the representatives decides all paths.

use std::collections::{BTreeSet, HashSet};

use super::pattern::{Predicate, State};

/// Product states explored at most (times the number of keys) before giving up.
const WORK_BUDGET: usize = 20_000_000;

/// Characters tried, in order, as the fresh character.
const FRESH: [char; 8] = ['x', 'z', 'q', 'k', 'j', '_', '~', '%'];

/// Readable text tried in place of a run of fresh characters.
const READABLE: [&str; 2] = ["example", "other"];

type Accepts = Vec<bool>;
type Signature = (Accepts, Option<Accepts>);

/// One representative path per class of the partition, in breadth-first order (shorter
/// first). `Err` with a reason when the work budget is exceeded.
pub fn representatives(predicates: &[Predicate]) -> Result<Vec<String>, String> {
    let literal: BTreeSet<char> = predicates.iter().flat_map(|p| p.literal_chars()).collect();
    let fresh = FRESH
        .iter()
        .copied()
        .find(|c| !literal.contains(c))
        .or_else(|| ('\u{e000}'..='\u{f8ff}').find(|c| !literal.contains(c)))
        .unwrap_or('\u{10ffff}');
    // The fresh character first: representatives then read as "some other name" where any
    // name would do.
    let mut alphabet: Vec<char> = vec![fresh];
    alphabet.extend(literal);
    alphabet.push('/');

    let accepts = |states: &[State]| -> Accepts {
        predicates
            .iter()
            .zip(states)
            .map(|(p, s)| p.accepts(*s))
            .collect()
    };
    let initial: Vec<State> = predicates.iter().map(Predicate::initial).collect();
    // The empty path is a node of its own: it cannot be followed by `/`, unlike later paths
    // that reach the same automaton states.
    let mut visited: HashSet<Vec<State>> = HashSet::new();
    let mut queue: Vec<(Vec<State>, String)> = vec![(initial.clone(), String::new())];
    let mut seen: HashSet<Signature> = HashSet::new();
    let mut reps: Vec<String> = Vec::new();
    let budget = WORK_BUDGET / predicates.len().max(1);
    let mut next = 0;
    while let Some((states, path)) = queue.get(next).cloned() {
        next += 1;
        let here = accepts(&states);
        for &c in &alphabet {
            // Request paths never start with `/` (the servers strip it).
            if path.is_empty() && c == '/' {
                continue;
            }
            let moved: Vec<State> = predicates
                .iter()
                .zip(&states)
                .map(|(p, s)| p.step(*s, c))
                .collect();
            let mut extended = path.clone();
            extended.push(c);
            let signature = (accepts(&moved), (c == '/').then(|| here.clone()));
            if seen.insert(signature) {
                reps.push(extended.clone());
            }
            if !visited.contains(&moved) {
                if visited.len() >= budget {
                    return Err(format!(
                        "the path patterns are too many to partition exactly ({} keys)",
                        predicates.len()
                    ));
                }
                visited.insert(moved.clone());
                queue.push((moved, extended));
            }
        }
    }
    if seen.insert((accepts(&initial), None)) {
        reps.insert(0, String::new());
    }
    Ok(reps
        .into_iter()
        .map(|r| readable(predicates, &r, fresh))
        .collect())
}

/// The signature of `path` (with the automata run from the start).
pub fn signature(predicates: &[Predicate], path: &str) -> Signature {
    let mut states: Vec<State> = predicates.iter().map(Predicate::initial).collect();
    let mut before_last: Option<Vec<State>> = None;
    for c in path.chars() {
        before_last = (c == '/').then(|| states.clone());
        for (p, s) in predicates.iter().zip(states.iter_mut()) {
            *s = p.step(*s, c);
        }
    }
    let accepts = |states: &[State]| -> Accepts {
        predicates
            .iter()
            .zip(states)
            .map(|(p, s)| p.accepts(*s))
            .collect()
    };
    (accepts(&states), before_last.map(|b| accepts(&b)))
}

/// `path` with its runs of the fresh character replaced by readable text, when that keeps the
/// path in its class.
fn readable(predicates: &[Predicate], path: &str, fresh: char) -> String {
    if !path.contains(fresh) {
        return path.to_string();
    }
    let target = signature(predicates, path);
    for word in READABLE {
        let mut out = String::new();
        let mut in_run = false;
        for c in path.chars() {
            if c == fresh {
                if !in_run {
                    out.push_str(word);
                }
                in_run = true;
            } else {
                out.push(c);
                in_run = false;
            }
        }
        if signature(predicates, &out) == target {
            return out;
        }
    }
    path.to_string()
}
