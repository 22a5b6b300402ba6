//! Sets of edit ids kept as ranges of sequence numbers per writer. A writer
//! (one page load) numbers its edits 1, 2, 3…, so a city's 200,000 edit ids
//! fit in a few thousand ranges: small in memory and in the snapshot.

use crate::domain::log::edit::EditId;
use std::collections::BTreeMap;

#[derive(Clone, Debug, Default, PartialEq)]
pub struct IdSet {
    /// Writer → position in `ranges` (a map of the same type as the ledger's
    /// indexes, so the wasm carries one map of strings).
    writers: BTreeMap<String, usize>,
    names: Vec<String>,
    /// Per writer: sorted, disjoint, non-adjacent inclusive ranges.
    ranges: Vec<Vec<(u64, u64)>>,
    len: usize,
}

impl IdSet {
    pub fn len(&self) -> usize {
        self.len
    }

    pub fn is_empty(&self) -> bool {
        self.len == 0
    }

    fn of(&self, writer: &str) -> &[(u64, u64)] {
        self.writers
            .get(writer)
            .map_or(&[], |&n| self.ranges[n].as_slice())
    }

    pub fn contains(&self, id: &EditId) -> bool {
        let ranges = self.of(&id.writer);
        let at = ranges.partition_point(|r| r.1 < id.seq);
        ranges.get(at).is_some_and(|r| r.0 <= id.seq)
    }

    /// Adds an id; false when it was there already.
    pub fn insert(&mut self, id: &EditId) -> bool {
        let n = match self.writers.get(&id.writer) {
            Some(&n) => n,
            None => {
                self.writers.insert(id.writer.clone(), self.ranges.len());
                self.names.push(id.writer.clone());
                self.ranges.push(Vec::new());
                self.ranges.len() - 1
            }
        };
        let ranges = &mut self.ranges[n];
        let seq = id.seq;
        // The common case: the next number of a writer.
        if let Some(last) = ranges.last_mut() {
            if last.1.checked_add(1) == Some(seq) {
                last.1 = seq;
                self.len += 1;
                return true;
            }
        }
        let at = ranges.partition_point(|r| r.1 < seq);
        if ranges.get(at).is_some_and(|r| r.0 <= seq) {
            return false;
        }
        let joins_left = at > 0 && ranges[at - 1].1.checked_add(1) == Some(seq);
        let joins_right = ranges
            .get(at)
            .is_some_and(|r| seq.checked_add(1) == Some(r.0));
        match (joins_left, joins_right) {
            (true, true) => {
                ranges[at - 1].1 = ranges[at].1;
                ranges.remove(at);
            }
            (true, false) => ranges[at - 1].1 = seq,
            (false, true) => ranges[at].0 = seq,
            (false, false) => ranges.insert(at, (seq, seq)),
        }
        self.len += 1;
        true
    }

    /// How many ids of `writer` are above `mark`.
    pub fn count_above(&self, writer: &str, mark: u64) -> usize {
        self.of(writer)
            .iter()
            .map(|&(a, b)| {
                if b <= mark {
                    0
                } else {
                    (b - a.max(mark.saturating_add(1)) + 1) as usize
                }
            })
            .sum()
    }

    /// Writers and their ranges, in the order writers were first seen.
    pub fn writers(&self) -> impl Iterator<Item = (&str, &[(u64, u64)])> + '_ {
        self.names
            .iter()
            .zip(&self.ranges)
            .map(|(w, r)| (w.as_str(), r.as_slice()))
    }

    /// `w1:1-5.7.9-12 w2:3`: the set as text for the snapshot.
    pub fn to_text(&self) -> String {
        let mut out = String::new();
        for (writer, ranges) in self.writers() {
            if ranges.is_empty() {
                continue;
            }
            if !out.is_empty() {
                out.push(' ');
            }
            out.push_str(writer);
            out.push(':');
            for (i, &(a, b)) in ranges.iter().enumerate() {
                if i > 0 {
                    out.push('.');
                }
                out.push_str(&a.to_string());
                if b != a {
                    out.push('-');
                    out.push_str(&b.to_string());
                }
            }
        }
        out
    }

    /// Reads `to_text`; `None` when the text is not one (ranges out of order,
    /// overlapping, a writer twice).
    pub fn from_text(text: &str) -> Option<IdSet> {
        let mut set = IdSet::default();
        for part in text.split(' ').filter(|p| !p.is_empty()) {
            let (writer, list) = part.rsplit_once(':')?;
            if writer.is_empty() || set.writers.contains_key(writer) {
                return None;
            }
            let mut ranges: Vec<(u64, u64)> = Vec::new();
            for range in list.split('.') {
                let (a, b) = match range.split_once('-') {
                    Some((a, b)) => (a.parse::<u64>().ok()?, b.parse::<u64>().ok()?),
                    None => {
                        let a = range.parse::<u64>().ok()?;
                        (a, a)
                    }
                };
                let after_last = ranges
                    .last()
                    .is_none_or(|&(_, last)| last.checked_add(1).is_some_and(|next| a > next));
                if b < a || !after_last {
                    return None;
                }
                set.len += (b - a) as usize + 1;
                ranges.push((a, b));
            }
            set.writers.insert(writer.to_owned(), set.ranges.len());
            set.names.push(writer.to_owned());
            set.ranges.push(ranges);
        }
        Some(set)
    }
}
