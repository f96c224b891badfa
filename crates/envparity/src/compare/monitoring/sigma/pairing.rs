//! Pairing Sigma rules across environments: by `id` (first with the same log source, for
//! collections that reuse one id), then through `related` ids declared `renamed` or
//! `obsolete`, then, where one side has no id, by title after mapping environment names.

use std::collections::BTreeMap;

use super::super::normalize::canonical_alert_name;
use crate::correlate::NameMap;
use crate::findings::Confidence;
use crate::model::SigmaRule;

pub(super) struct Pairing {
    /// (staging index, production index, confidence), sorted.
    pub(super) pairs: Vec<(usize, usize, Confidence)>,
    pub(super) staging_only: Vec<usize>,
    pub(super) production_only: Vec<usize>,
}

struct State<'a> {
    staging: &'a [SigmaRule],
    production: &'a [SigmaRule],
    s_free: Vec<bool>,
    p_free: Vec<bool>,
    pairs: Vec<(usize, usize, Confidence)>,
}

type Key<'k> = &'k dyn Fn(&SigmaRule) -> Option<(String, Confidence)>;

/// Per key: the free staging rules (with their key's confidence) and production rules.
type Groups = BTreeMap<String, (Vec<(usize, Confidence)>, Vec<usize>)>;

impl State<'_> {
    /// Pairs free rules with equal keys, in input order, where `allowed` agrees. The
    /// confidence is the staging key's.
    fn by_key(
        &mut self,
        staging_key: Key<'_>,
        production_key: Key<'_>,
        allowed: fn(&SigmaRule, &SigmaRule) -> bool,
    ) {
        let mut groups: Groups = BTreeMap::new();
        for (i, rule) in self
            .staging
            .iter()
            .enumerate()
            .filter(|(i, _)| self.s_free[*i])
        {
            if let Some((key, confidence)) = staging_key(rule) {
                groups.entry(key).or_default().0.push((i, confidence));
            }
        }
        for (i, rule) in self
            .production
            .iter()
            .enumerate()
            .filter(|(i, _)| self.p_free[*i])
        {
            if let Some((key, _)) = production_key(rule) {
                groups.entry(key).or_default().1.push(i);
            }
        }
        for (s_list, p_list) in groups.values() {
            for &(s, confidence) in s_list {
                let found = p_list
                    .iter()
                    .copied()
                    .find(|&p| self.p_free[p] && allowed(&self.staging[s], &self.production[p]));
                if let Some(p) = found {
                    self.take(s, p, confidence);
                }
            }
        }
    }

    fn take(&mut self, s: usize, p: usize, confidence: Confidence) {
        self.s_free[s] = false;
        self.p_free[p] = false;
        self.pairs.push((s, p, confidence));
    }

    /// Pairs a free rule of one side with a free rule of the other whose id it declares it
    /// renamed or made obsolete.
    fn by_related(&mut self) {
        let by_id = |rules: &[SigmaRule]| {
            let mut map: BTreeMap<String, Vec<usize>> = BTreeMap::new();
            for (i, rule) in rules.iter().enumerate() {
                if let Some(id) = &rule.id {
                    map.entry(id.clone()).or_default().push(i);
                }
            }
            map
        };
        let successors = |rule: &SigmaRule| -> Vec<String> {
            rule.related
                .iter()
                .filter(|r| matches!(r.kind.as_str(), "renamed" | "obsolete"))
                .map(|r| r.id.clone())
                .collect()
        };
        let staging_ids = by_id(self.staging);
        let production_ids = by_id(self.production);
        for p in 0..self.production.len() {
            for id in successors(&self.production[p]) {
                let found = staging_ids.get(&id).into_iter().flatten().copied();
                if let Some(s) = found
                    .into_iter()
                    .find(|&s| self.s_free[s])
                    .filter(|_| self.p_free[p])
                {
                    self.take(s, p, Confidence::Likely);
                }
            }
        }
        for s in 0..self.staging.len() {
            for id in successors(&self.staging[s]) {
                let found = production_ids.get(&id).into_iter().flatten().copied();
                if let Some(p) = found
                    .into_iter()
                    .find(|&p| self.p_free[p])
                    .filter(|_| self.s_free[s])
                {
                    self.take(s, p, Confidence::Likely);
                }
            }
        }
    }
}

fn either_without_id(s: &SigmaRule, p: &SigmaRule) -> bool {
    s.id.is_none() || p.id.is_none()
}

pub(super) fn pair(staging: &[SigmaRule], production: &[SigmaRule], names: &NameMap) -> Pairing {
    let mut state = State {
        staging,
        production,
        s_free: vec![true; staging.len()],
        p_free: vec![true; production.len()],
        pairs: Vec::new(),
    };
    let proven = |key: Option<String>| key.map(|k| (k, Confidence::Proven));
    let with_logsource =
        |r: &SigmaRule| proven(r.id.as_ref().map(|id| format!("{id}\u{0}{}", r.logsource)));
    let id = |r: &SigmaRule| proven(r.id.clone());
    state.by_key(&with_logsource, &with_logsource, |_, _| true);
    state.by_key(&id, &id, |_, _| true);
    state.by_related();
    let mapped_title = |r: &SigmaRule| {
        let mapped = names.to_production(&r.title);
        let confidence = if mapped.inferred {
            Confidence::Likely
        } else {
            Confidence::Proven
        };
        Some((mapped.text, confidence))
    };
    let title = |r: &SigmaRule| proven(Some(r.title.clone()));
    state.by_key(&mapped_title, &title, either_without_id);
    let canonical_staging = |r: &SigmaRule| {
        let mapped = names.to_production(&r.title).text;
        Some((canonical_alert_name(&mapped), Confidence::Likely))
    };
    let canonical = |r: &SigmaRule| Some((canonical_alert_name(&r.title), Confidence::Likely));
    state.by_key(&canonical_staging, &canonical, either_without_id);
    let mut pairs = state.pairs;
    pairs.sort();
    Pairing {
        pairs,
        staging_only: (0..staging.len()).filter(|i| state.s_free[*i]).collect(),
        production_only: (0..production.len()).filter(|i| state.p_free[*i]).collect(),
    }
}
