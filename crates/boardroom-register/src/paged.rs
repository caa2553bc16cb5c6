//! A list that grows a page at a time: items are never moved once pushed.
//!
//! A `Vec` of millions of items doubles as it grows, copying every item
//! each time and touching twice the memory it ends with; on a machine where
//! memory touched for the first time is slow, the register spent a tenth
//! of its reading in those copies. Pages of a fixed number of items are
//! allocated once each, full size, and never copied.

use std::ops::{Index, IndexMut};

/// Items per page: 2^16.
const SHIFT: u32 = 16;
const PAGE: usize = 1 << SHIFT;

/// A list of `T` indexed like a slice, stored in pages of [`PAGE`] items.
#[derive(Debug)]
pub(crate) struct Paged<T> {
    pages: Vec<Vec<T>>,
    len: usize,
}

impl<T> Default for Paged<T> {
    fn default() -> Self {
        Paged {
            pages: Vec::new(),
            len: 0,
        }
    }
}

impl<T> Paged<T> {
    pub(crate) fn len(&self) -> usize {
        self.len
    }

    pub(crate) fn push(&mut self, item: T) {
        if self.len & (PAGE - 1) == 0 {
            self.pages.push(Vec::with_capacity(PAGE));
        }
        // A page is pushed above whenever the last one is full.
        if let Some(page) = self.pages.last_mut() {
            page.push(item);
        }
        self.len += 1;
    }

    pub(crate) fn get(&self, i: usize) -> Option<&T> {
        self.pages.get(i >> SHIFT)?.get(i & (PAGE - 1))
    }

    pub(crate) fn get_mut(&mut self, i: usize) -> Option<&mut T> {
        self.pages.get_mut(i >> SHIFT)?.get_mut(i & (PAGE - 1))
    }

    pub(crate) fn iter(&self) -> impl Iterator<Item = &T> {
        self.pages.iter().flatten()
    }
}

impl<T> Index<usize> for Paged<T> {
    type Output = T;
    fn index(&self, i: usize) -> &T {
        &self.pages[i >> SHIFT][i & (PAGE - 1)]
    }
}

impl<T> IndexMut<usize> for Paged<T> {
    fn index_mut(&mut self, i: usize) -> &mut T {
        &mut self.pages[i >> SHIFT][i & (PAGE - 1)]
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Indexing, iteration and length agree with a `Vec` across pages.
    #[test]
    fn agrees_with_a_vec_across_pages() {
        let n = 3 * PAGE + 17;
        let mut p = Paged::default();
        let mut v = Vec::new();
        for i in 0..n {
            p.push(i as u64 * 7);
            v.push(i as u64 * 7);
        }
        assert_eq!(p.len(), v.len());
        assert!(p.iter().eq(v.iter()));
        for i in [0, 1, PAGE - 1, PAGE, PAGE + 1, 2 * PAGE, n - 1] {
            assert_eq!(p[i], v[i]);
            assert_eq!(p.get(i), v.get(i));
        }
        assert_eq!(p.get(n), None);
        p[PAGE] = 1;
        *p.get_mut(n - 1).expect("the last item") = 2;
        assert_eq!((p[PAGE], p[n - 1]), (1, 2));
        assert_eq!(p.get_mut(n), None);
    }
}
