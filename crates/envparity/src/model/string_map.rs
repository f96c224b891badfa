//! A small map of strings sorted by key (labels, annotations, label selectors): a sorted
//! vector, which behaves like a `BTreeMap<String, String>` for the operations the model
//! needs but takes a fraction of its memory for the few entries such maps hold. (A one-entry
//! `BTreeMap` allocates a node for eleven; a cluster of 100k objects holds ~150k such maps.)

use std::collections::BTreeMap;

use serde::Serialize;

/// Entries sorted by key, keys unique.
#[derive(Debug, Clone, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct StringMap(Vec<(String, String)>);

impl StringMap {
    pub fn new() -> StringMap {
        StringMap(Vec::new())
    }

    fn position(&self, key: &str) -> Result<usize, usize> {
        self.0.binary_search_by(|(k, _)| k.as_str().cmp(key))
    }

    /// Sets `key` to `value`, returning the value it replaced.
    pub fn insert(&mut self, key: String, value: String) -> Option<String> {
        match self.position(&key) {
            Ok(at) => Some(std::mem::replace(&mut self.0[at].1, value)),
            Err(at) => {
                self.0.insert(at, (key, value));
                None
            }
        }
    }

    pub fn remove(&mut self, key: &str) -> Option<String> {
        self.position(key).ok().map(|at| self.0.remove(at).1)
    }

    pub fn get(&self, key: &str) -> Option<&String> {
        self.position(key).ok().map(|at| &self.0[at].1)
    }

    pub fn contains_key(&self, key: &str) -> bool {
        self.position(key).is_ok()
    }

    pub fn len(&self) -> usize {
        self.0.len()
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// Entries in key order.
    pub fn iter(&self) -> impl DoubleEndedIterator<Item = (&String, &String)> + ExactSizeIterator {
        self.0.iter().map(|(k, v)| (k, v))
    }

    pub fn keys(&self) -> impl DoubleEndedIterator<Item = &String> + ExactSizeIterator {
        self.0.iter().map(|(k, _)| k)
    }

    pub fn values(&self) -> impl DoubleEndedIterator<Item = &String> + ExactSizeIterator {
        self.0.iter().map(|(_, v)| v)
    }

    pub fn values_mut(
        &mut self,
    ) -> impl DoubleEndedIterator<Item = &mut String> + ExactSizeIterator {
        self.0.iter_mut().map(|(_, v)| v)
    }

    /// The same entries as a `BTreeMap`, for code that combines label sets.
    pub fn to_btree(&self) -> BTreeMap<String, String> {
        self.0.iter().cloned().collect()
    }
}

/// Later entries win over earlier ones with the same key, as when collecting a `BTreeMap`.
impl FromIterator<(String, String)> for StringMap {
    fn from_iter<I: IntoIterator<Item = (String, String)>>(iter: I) -> StringMap {
        let mut entries: Vec<(String, String)> = iter.into_iter().collect();
        // Stable: equal keys keep their input order, so the last of a run is the latest.
        entries.sort_by(|a, b| a.0.cmp(&b.0));
        let mut out: Vec<(String, String)> = Vec::with_capacity(entries.len());
        for (key, value) in entries {
            match out.last_mut() {
                Some(last) if last.0 == key => last.1 = value,
                _ => out.push((key, value)),
            }
        }
        out.shrink_to_fit();
        StringMap(out)
    }
}

impl From<BTreeMap<String, String>> for StringMap {
    fn from(map: BTreeMap<String, String>) -> StringMap {
        StringMap(map.into_iter().collect())
    }
}

impl<'a> IntoIterator for &'a StringMap {
    type Item = (&'a String, &'a String);
    type IntoIter = std::iter::Map<
        std::slice::Iter<'a, (String, String)>,
        fn(&'a (String, String)) -> (&'a String, &'a String),
    >;

    fn into_iter(self) -> Self::IntoIter {
        self.0.iter().map(|(k, v)| (k, v))
    }
}

impl IntoIterator for StringMap {
    type Item = (String, String);
    type IntoIter = std::vec::IntoIter<(String, String)>;

    fn into_iter(self) -> Self::IntoIter {
        self.0.into_iter()
    }
}

/// Serialized as a JSON object in key order, exactly as a `BTreeMap` is.
impl Serialize for StringMap {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_map(self.iter())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    proptest! {
        /// Every operation agrees with `BTreeMap`, the reference.
        #[test]
        fn behaves_like_a_btree_map(
            initial in proptest::collection::vec(("[a-d]{1,2}", "[x-z]{0,2}"), 0..12),
            ops in proptest::collection::vec((0u8..3, "[a-d]{1,2}", "[x-z]{0,2}"), 0..12),
        ) {
            let mut map: StringMap = initial.iter().cloned().collect();
            let mut reference: BTreeMap<String, String> = initial.iter().cloned().collect();
            for (op, key, value) in ops {
                match op {
                    0 => prop_assert_eq!(
                        map.insert(key.clone(), value.clone()),
                        reference.insert(key, value)
                    ),
                    1 => prop_assert_eq!(map.remove(&key), reference.remove(&key)),
                    _ => prop_assert_eq!(map.get(&key), reference.get(&key)),
                }
                prop_assert_eq!(map.to_btree(), reference.clone());
                prop_assert_eq!(map.len(), reference.len());
                prop_assert!(map.iter().eq(reference.iter()));
                prop_assert_eq!(
                    serde_json::to_string(&map).ok(),
                    serde_json::to_string(&reference).ok()
                );
            }
            let rebuilt = StringMap::from(reference.clone());
            prop_assert_eq!(rebuilt, map);
        }
    }
}
