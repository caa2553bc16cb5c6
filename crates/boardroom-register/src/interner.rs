//! Record ids interned into dense `u32`s.
//!
//! Reading a register looks up two or three ids a statement among
//! millions: each lookup is a random read of the table and one of the
//! string, out of the cache on a large register, and the reading thread
//! spent most of its time waiting for them. So the strings are kept one
//! after another in pages, each after its id and length, and each slot of
//! the table holds 24 bits of its string's hash and where the string is:
//! a lookup is two reads, and a reader that knows which ids come next asks
//! the cache for both ahead of time ([`Interner::prefetch_slot`], then
//! [`Interner::prefetch_text`]).

use foldhash::fast::FixedState;
use std::hash::BuildHasher;

/// Bits of a location within its page.
const PAGE_BITS: u32 = 20;
/// The size of a page of text: 1 MiB. A longer string has a page to itself.
const PAGE: usize = 1 << PAGE_BITS;
/// The bits of a slot that hold a location (plus one; 0 is an empty slot).
const LOC_BITS: u32 = 40;
const LOC_MASK: u64 = (1 << LOC_BITS) - 1;
/// Each string's header in its page: its id and its length, 4 bytes each.
const HEADER: usize = 8;
/// The length recorded for a string of 4 GiB or more, alone in its page.
const LONG: u32 = u32::MAX;

/// A hash of an id, as [`Interner::hash`] computes it: computed once and
/// used for the prefetches and the lookup.
pub type IdHash = u64;

/// An interner of string ids into dense `u32`s, in the order first seen.
#[derive(Debug)]
pub struct Interner {
    /// Open addressing with linear probing, at most half full: 0 for an
    /// empty slot, else the hash's top 24 bits and the location plus one.
    slots: Vec<u64>,
    /// Pages of `[id][length][text]` entries, never moved once written.
    pages: Vec<Vec<u8>>,
    /// Each id's location: its page, then its offset in the page.
    locations: Vec<u64>,
    hasher: FixedState,
}

impl Default for Interner {
    fn default() -> Self {
        Interner {
            slots: vec![0; 1024],
            pages: Vec::new(),
            locations: Vec::new(),
            hasher: FixedState::default(),
        }
    }
}

fn tag(h: IdHash) -> u64 {
    h >> LOC_BITS
}

impl Interner {
    /// The hash an id is found by.
    pub fn hash(&self, s: &str) -> IdHash {
        self.hasher.hash_one(s)
    }

    /// The id of `s`, and whether it was new.
    pub fn intern(&mut self, s: &str) -> (u32, bool) {
        self.intern_hashed(s, self.hash(s))
    }

    /// [`Interner::intern`], with `s`'s [`Interner::hash`].
    pub fn intern_hashed(&mut self, s: &str, h: IdHash) -> (u32, bool) {
        match self.find(s.as_bytes(), h) {
            Ok(i) => (i, false),
            Err(slot) => (self.insert(slot, s, h), true),
        }
    }

    /// The id of `s`, if interned.
    pub fn get(&self, s: &str) -> Option<u32> {
        self.find(s.as_bytes(), self.hash(s)).ok()
    }

    /// The string of id `i` ("" for an id never given).
    pub fn resolve(&self, i: u32) -> &str {
        self.locations
            .get(i as usize)
            .and_then(|&loc| std::str::from_utf8(self.entry(loc).1).ok())
            .unwrap_or("")
    }

    /// How many strings are interned.
    pub fn len(&self) -> usize {
        self.locations.len()
    }

    /// Whether nothing is interned.
    pub fn is_empty(&self) -> bool {
        self.locations.is_empty()
    }

    /// Asks the cache for the slot where a string of hash `h` is looked
    /// for: the first read of a lookup.
    pub fn prefetch_slot(&self, h: IdHash) {
        if let Some(slot) = self.slots.get(self.home(h)) {
            mem_prefetch::prefetch_read_data::<_, 3>(slot);
        }
    }

    /// Asks the cache for the text of the string the slot of hash `h`
    /// points to (its slot asked for earlier): the second read.
    pub fn prefetch_text(&self, h: IdHash) {
        let Some(&slot) = self.slots.get(self.home(h)) else {
            return;
        };
        if slot != 0 && tag(slot) == tag(h) {
            let loc = (slot & LOC_MASK) - 1;
            if let Some(b) = self.page_bytes(loc).first() {
                mem_prefetch::prefetch_read_data::<_, 3>(b);
            }
        }
    }

    /// Asks the cache for where id `i` is kept (the first of two reads of
    /// [`Interner::resolve`]).
    pub fn prefetch_location(&self, i: u32) {
        if let Some(loc) = self.locations.get(i as usize) {
            mem_prefetch::prefetch_read_data::<_, 3>(loc);
        }
    }

    /// Asks the cache for the text of id `i` (the second read).
    pub fn prefetch_resolved(&self, i: u32) {
        if let Some(b) = self
            .locations
            .get(i as usize)
            .and_then(|&loc| self.page_bytes(loc).first())
        {
            mem_prefetch::prefetch_read_data::<_, 3>(b);
        }
    }

    fn home(&self, h: IdHash) -> usize {
        (h as usize) & (self.slots.len() - 1)
    }

    /// The bytes of the page holding `loc`, from `loc` on.
    fn page_bytes(&self, loc: u64) -> &[u8] {
        let page = (loc >> PAGE_BITS) as usize;
        let at = (loc & (PAGE as u64 - 1)) as usize;
        self.pages
            .get(page)
            .and_then(|p| p.get(at..))
            .unwrap_or(&[])
    }

    /// The id and the text of the entry at `loc`.
    fn entry(&self, loc: u64) -> (u32, &[u8]) {
        let b = self.page_bytes(loc);
        let word = |i: usize| {
            b.get(i..i + 4)
                .and_then(|w| <[u8; 4]>::try_from(w).ok())
                .map_or(0, u32::from_le_bytes)
        };
        let (id, len) = (word(0), word(4));
        let text = b.get(HEADER..).unwrap_or(&[]);
        let text = if len == LONG {
            text
        } else {
            text.get(..len as usize).unwrap_or(&[])
        };
        (id, text)
    }

    /// The id of `s`, or the empty slot to insert it in.
    fn find(&self, s: &[u8], h: IdHash) -> Result<u32, usize> {
        let mask = self.slots.len() - 1;
        let mut i = self.home(h);
        loop {
            let slot = self.slots[i];
            if slot == 0 {
                return Err(i);
            }
            if tag(slot) == tag(h) {
                let (id, text) = self.entry((slot & LOC_MASK) - 1);
                if text == s {
                    return Ok(id);
                }
            }
            i = (i + 1) & mask;
        }
    }

    fn insert(&mut self, slot: usize, s: &str, h: IdHash) -> u32 {
        let id = u32::try_from(self.locations.len()).unwrap_or(u32::MAX);
        let need = HEADER + s.len();
        // A page is filled up to its size and no further: a string's
        // offset in its page must fit in `PAGE_BITS`.
        let fits = self.pages.last().is_some_and(|p| p.len() + need <= PAGE);
        if !fits {
            self.pages.push(Vec::with_capacity(need.max(PAGE)));
        }
        let page = self.pages.len() - 1;
        let p = &mut self.pages[page];
        let loc = ((page as u64) << PAGE_BITS) | p.len() as u64;
        p.extend_from_slice(&id.to_le_bytes());
        p.extend_from_slice(&u32::try_from(s.len()).unwrap_or(LONG).to_le_bytes());
        p.extend_from_slice(s.as_bytes());
        self.locations.push(loc);
        self.slots[slot] = (tag(h) << LOC_BITS) | (loc + 1);
        if self.locations.len() * 2 > self.slots.len() {
            self.grow();
        }
        id
    }

    /// Doubles the table, placing every string again: the strings are
    /// hashed in the order they are kept (one pass over the pages), then
    /// placed, each slot asked of the cache ahead (they are random reads
    /// of a table larger than the cache).
    fn grow(&mut self) {
        const AHEAD: usize = 16;
        let mut slots = vec![0u64; self.slots.len() * 2];
        let mask = slots.len() - 1;
        let place = |loc: u64| {
            let h = self.hasher.hash_one(text_str(self.entry(loc).1));
            ((h as usize) & mask, (tag(h) << LOC_BITS) | (loc + 1))
        };
        // A few strings hashed ahead of the one placed, in a ring.
        let mut ring = [(0usize, 0u64); AHEAD];
        for (k, &loc) in self.locations.iter().take(AHEAD).enumerate() {
            ring[k] = place(loc);
            mem_prefetch::prefetch_write_data::<_, 3>(&slots[ring[k].0]);
        }
        for k in 0..self.locations.len() {
            let (home, slot) = ring[k % AHEAD];
            if let Some(&loc) = self.locations.get(k + AHEAD) {
                ring[k % AHEAD] = place(loc);
                mem_prefetch::prefetch_write_data::<_, 3>(&slots[ring[k % AHEAD].0]);
            }
            let mut i = home;
            while slots[i] != 0 {
                i = (i + 1) & mask;
            }
            slots[i] = slot;
        }
        self.slots = slots;
    }
}

/// Text the interner wrote from a `&str`, as one again (hashed as `str`,
/// as it was first hashed).
fn text_str(b: &[u8]) -> &str {
    std::str::from_utf8(b).unwrap_or("")
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(48))]
        /// Every string gets one id, in the order first seen, and gives it
        /// back, across pages and through the table's growth.
        #[test]
        fn ids_are_dense_stable_and_resolve(words in prop::collection::vec("[a-c]{0,3}|[é😀x]{1,40}", 0..3000)) {
            let mut i = Interner::default();
            let mut seen: Vec<String> = Vec::new();
            let mut ids = std::collections::HashMap::new();
            for w in &words {
                let (id, new) = i.intern(w);
                match ids.get(w) {
                    Some(&p) => prop_assert_eq!((id, new), (p, false)),
                    None => {
                        prop_assert_eq!((id, new), (seen.len() as u32, true));
                        ids.insert(w.clone(), id);
                        seen.push(w.clone());
                    }
                }
            }
            prop_assert_eq!(i.len(), seen.len());
            for (id, s) in seen.iter().enumerate() {
                prop_assert_eq!(i.resolve(id as u32), s.as_str());
                prop_assert_eq!(i.get(s), Some(id as u32));
            }
            prop_assert_eq!(i.get("not interned"), None);
            prop_assert_eq!(i.resolve(seen.len() as u32), "");
        }
    }

    #[test]
    fn a_string_longer_than_a_page_has_a_page_to_itself() {
        let mut i = Interner::default();
        let long = "x".repeat(3 * PAGE);
        assert_eq!(i.intern("a"), (0, true));
        assert_eq!(i.intern(&long), (1, true));
        assert_eq!(i.intern("b"), (2, true));
        assert_eq!(i.intern(&long), (1, false));
        assert_eq!(i.resolve(1), long);
        assert_eq!(i.resolve(2), "b");
        // Enough strings to fill several pages and grow the table often.
        for n in 0..200_000u32 {
            assert_eq!(i.intern(&format!("record-{n}")).0, n + 3);
        }
        assert_eq!(i.get("record-199999"), Some(200_002));
        assert_eq!(i.resolve(1), long);
    }
}
