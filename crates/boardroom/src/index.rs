//! Look-ups of a structure by id, built once on first use.
//!
//! A structure's parts are public vectors, so that files map onto them
//! one to one. Finding a party, a body or an entity's interests by
//! scanning those vectors made loading, validation and control quadratic
//! in the size of the structure (a star of 64,000 holdings took 48 s).
//! [`Index`] keeps hash maps beside the vectors.
//!
//! The invariant that keeps it true: parts are added (pushed) or the
//! whole structure is rebuilt, never renamed in place. The index records
//! the length of each vector it was built from; when any length has
//! changed it is not used, and look-ups scan as before. Every hit is
//! checked against the vector it points into.

/// A hash map with foldhash, seeded per process: look-ups by id are most
/// of the work of loading a large structure, and SipHash took 7% of it.
pub type HashMap<K, V> = std::collections::HashMap<K, V, foldhash::fast::RandomState>;
use std::sync::OnceLock;

use crate::model::Structure;

/// Positions by id, and of an entity's share classes and interests.
#[derive(Default)]
pub struct Index(OnceLock<Positions>);

/// A clone is indexed again on first use: the copy may be changed.
impl Clone for Index {
    fn clone(&self) -> Self {
        Index::default()
    }
}

/// An index is a cache: two structures are equal whatever their indexes.
impl PartialEq for Index {
    fn eq(&self, _: &Self) -> bool {
        true
    }
}

impl std::fmt::Debug for Index {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Index")
    }
}

#[derive(Default)]
pub(crate) struct Positions {
    lengths: [usize; 8],
    pub party: HashMap<Box<str>, usize>,
    pub body: HashMap<Box<str>, usize>,
    pub group: HashMap<Box<str>, usize>,
    pub office: HashMap<Box<str>, usize>,
    pub source: HashMap<Box<str>, usize>,
    /// Interests declared in the structure, then those issued by events.
    pub interest: HashMap<Box<str>, usize>,
    pub event_interest: HashMap<Box<str>, usize>,
    /// An entity's share classes, in the order declared.
    pub classes: HashMap<Box<str>, Vec<usize>>,
    /// The interests in an entity (declared, not issued by events), in the
    /// order declared.
    pub interests_in: HashMap<Box<str>, Vec<usize>>,
    /// The interests a party holds (declared), in the order declared.
    pub interests_of: HashMap<Box<str>, Vec<usize>>,
}

fn lengths(s: &Structure) -> [usize; 8] {
    [
        s.party.len(),
        s.body.len(),
        s.group.len(),
        s.office.len(),
        s.source.len(),
        s.interest.len(),
        s.event.len(),
        s.share_class.len(),
    ]
}

/// The first position of each id: where two parts share an id (which
/// validation refuses), the first is found, as a scan would.
fn first<'a>(ids: impl Iterator<Item = &'a str>) -> HashMap<Box<str>, usize> {
    let mut m = HashMap::default();
    for (i, id) in ids.enumerate() {
        m.entry(id.into()).or_insert(i);
    }
    m
}

impl Positions {
    fn of(s: &Structure) -> Positions {
        let mut classes: HashMap<Box<str>, Vec<usize>> = HashMap::default();
        for (i, c) in s.share_class.iter().enumerate() {
            classes.entry(c.entity.as_str().into()).or_default().push(i);
        }
        let mut interests_in: HashMap<Box<str>, Vec<usize>> = HashMap::default();
        let mut interests_of: HashMap<Box<str>, Vec<usize>> = HashMap::default();
        for (i, x) in s.interest.iter().enumerate() {
            interests_in
                .entry(x.subject.as_str().into())
                .or_default()
                .push(i);
            if let Some(h) = &x.holder {
                interests_of.entry(h.as_str().into()).or_default().push(i);
            }
        }
        let mut event_interest = HashMap::default();
        for (i, e) in s.event.iter().enumerate() {
            if let Some(x) = &e.interest {
                event_interest.entry(x.id.as_str().into()).or_insert(i);
            }
        }
        Positions {
            lengths: lengths(s),
            party: first(s.party.iter().map(|p| p.id.as_str())),
            body: first(s.body.iter().map(|b| b.id.as_str())),
            group: first(s.group.iter().map(|g| g.id.as_str())),
            office: first(s.office.iter().map(|o| o.id.as_str())),
            source: first(s.source.iter().map(|x| x.id.as_str())),
            interest: first(s.interest.iter().map(|x| x.id.as_str())),
            event_interest,
            classes,
            interests_in,
            interests_of,
        }
    }
}

impl Index {
    /// The positions of `s`, or `None` when `s` has grown or shrunk since
    /// they were found (then callers scan).
    pub(crate) fn of<'a>(&'a self, s: &Structure) -> Option<&'a Positions> {
        let p = self.0.get_or_init(|| Positions::of(s));
        (p.lengths == lengths(s)).then_some(p)
    }
}
