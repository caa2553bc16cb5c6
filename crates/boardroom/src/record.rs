//! A BODS record's history: the statements about one relationship record,
//! in order, read into interests with the dates each was in force.
//!
//! One reading, used by the BODS import and by the register (`owners`,
//! `analyse`), so that "in force on a date" means the same everywhere:
//!
//! - An interest is in force from its `startDate`; without one, from the
//!   `statementDate` of the first statement that states it (the data says
//!   nothing of earlier dates).
//! - It ends at its `endDate`, as stated by the latest statement that
//!   states it. Without one, it ends when a later statement about the
//!   record no longer states it: at the `startDate` of the new interest of
//!   the same type that replaces it, when that lies after its own start and
//!   on or before the statement, else at that statement's `statementDate`.
//!   A `closed` statement ends every interest it does not give an end
//!   date, at its `statementDate`.
//! - A new interest that restates one no longer stated, with the same type
//!   and start date but other details (fermcat.json: a 50% holding since
//!   2019 restated as 100% since 2019 in 2022), is a change: the old one
//!   ends and the new one starts at the statement that makes it.
//! - Two statements state the same interest when they agree on everything
//!   but the end date ([`Dated::same`]).
//!
//! Statements are read in file order, one at a time; the reader keeps the
//! latest statement's interests and, when asked to, those ended ones a
//! caller still needs (for one date, say), so a register of millions of
//! records is read in one pass.

/// An interest as a statement states it: what the reading needs of it.
pub trait Dated: Clone {
    /// A date: `NaiveDate`, or a `YYYY-MM-DD` string, which orders alike.
    type Date: Ord + Clone;
    /// The interest type's code, for "replaced by the same type".
    fn kind_code(&self) -> Option<&str>;
    fn start(&self) -> Option<&Self::Date>;
    fn end(&self) -> Option<&Self::Date>;
    /// Whether `other` states the same interest, its end date aside.
    fn same(&self, other: &Self) -> bool;
}

/// One interest of a record with the dates the history gives it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct InForce<I: Dated> {
    pub interest: I,
    /// Stated start, else the date of the first statement stating it.
    pub from: I::Date,
    /// Stated or derived end (exclusive); `None` while it lasts.
    pub until: Option<I::Date>,
}

impl<I: Dated> InForce<I> {
    /// Whether the interest is in force on `date`.
    pub fn on(&self, date: &I::Date) -> bool {
        self.from <= *date && self.until.as_ref().is_none_or(|u| date < u)
    }
}

/// The history of one record, read statement by statement.
#[derive(Clone, Debug)]
pub struct RecordHistory<I: Dated> {
    /// The interests of the latest statement that have not ended.
    open: Vec<InForce<I>>,
    /// Interests that have ended and that the caller kept.
    ended: Vec<InForce<I>>,
    /// The date of the `closed` statement, once there is one.
    closed: Option<I::Date>,
}

impl<I: Dated> Default for RecordHistory<I> {
    fn default() -> Self {
        RecordHistory {
            open: Vec::new(),
            ended: Vec::new(),
            closed: None,
        }
    }
}

impl<I: Dated> RecordHistory<I> {
    /// Reads the next statement about the record: its `statementDate`,
    /// whether it is `closed`, and its interests. An interest that ends
    /// here is kept when `keep` says so (say, when it was in force on a
    /// date the caller asks about), else dropped.
    pub fn push(
        &mut self,
        date: &I::Date,
        closed: bool,
        interests: &[I],
        mut keep: impl FnMut(&InForce<I>) -> bool,
    ) {
        let mut next: Vec<InForce<I>> = Vec::with_capacity(interests.len());
        let mut previous = std::mem::take(&mut self.open);
        // Interests stated before and again: they go on.
        let mut fresh: Vec<&I> = Vec::new();
        for i in interests {
            match previous.iter().position(|p| p.interest.same(i)) {
                Some(k) => {
                    let mut p = previous.swap_remove(k);
                    // The later statement knows more: its end date wins.
                    if let Some(e) = i.end() {
                        p.until = Some(e.clone());
                    }
                    p.interest = i.clone();
                    next.push(p);
                }
                None => fresh.push(i),
            }
        }
        // An interest no longer stated that a new one restates with the
        // same type and start but other details (a holding that grew) has
        // changed: the change takes effect with this statement.
        let restates = |p: &InForce<I>, i: &I| {
            i.kind_code() == p.interest.kind_code() && i.start() == p.interest.start()
        };
        let changed: Vec<bool> = fresh
            .iter()
            .map(|i| previous.iter().any(|p| p.until.is_none() && restates(p, i)))
            .collect();
        for (i, &changed) in fresh.iter().zip(&changed) {
            let from = match (changed, i.start()) {
                (false, Some(s)) => s.clone(),
                _ => date.clone(),
            };
            next.push(InForce {
                from,
                until: i.end().cloned(),
                interest: (*i).clone(),
            });
        }
        // The others end here, or where a new interest of their type starts
        // after them.
        for mut p in previous {
            if p.until.is_none() {
                let successor = fresh
                    .iter()
                    .zip(&changed)
                    .filter(|(i, changed)| !**changed && i.kind_code() == p.interest.kind_code())
                    .filter_map(|(i, _)| i.start())
                    .filter(|s| p.from < **s && *s <= date)
                    .min()
                    .cloned();
                let restated = fresh.iter().any(|i| restates(&p, i));
                p.until = Some(match successor {
                    Some(s) if !restated => s,
                    _ => date.clone(),
                });
            }
            if keep(&p) {
                self.ended.push(p);
            }
        }
        if closed {
            for mut p in next {
                if p.until.is_none() {
                    p.until = Some(date.clone());
                }
                if keep(&p) {
                    self.ended.push(p);
                }
            }
            self.closed = Some(date.clone());
        } else {
            // Stated ends that have passed stay open until the record says
            // more: a later statement may restate them.
            self.open = next;
        }
    }

    /// Every interest read and kept, with its dates: ended ones first.
    pub fn interests(&self) -> impl Iterator<Item = &InForce<I>> {
        self.ended.iter().chain(&self.open)
    }

    /// The interests in force on `date`.
    pub fn on<'a>(&'a self, date: &'a I::Date) -> impl Iterator<Item = &'a I> + 'a {
        self.interests()
            .filter(move |x| x.on(date))
            .map(|x| &x.interest)
    }

    /// The interests of the latest statement with no end date: those in
    /// force now, as far as the record says (none once it is closed).
    pub fn current(&self) -> impl Iterator<Item = &I> {
        self.open
            .iter()
            .filter(|x| x.until.is_none())
            .map(|x| &x.interest)
    }

    /// The date of the record's `closed` statement, if any.
    pub fn closed(&self) -> Option<&I::Date> {
        self.closed.as_ref()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Clone, Debug, PartialEq)]
    struct I {
        kind: &'static str,
        share: u32,
        start: Option<&'static str>,
        end: Option<&'static str>,
    }

    impl Dated for I {
        type Date = &'static str;
        fn kind_code(&self) -> Option<&str> {
            Some(self.kind)
        }
        fn start(&self) -> Option<&&'static str> {
            self.start.as_ref()
        }
        fn end(&self) -> Option<&&'static str> {
            self.end.as_ref()
        }
        fn same(&self, o: &Self) -> bool {
            (self.kind, self.share, self.start) == (o.kind, o.share, o.start)
        }
    }

    fn i(share: u32, start: Option<&'static str>, end: Option<&'static str>) -> I {
        I {
            kind: "shareholding",
            share,
            start,
            end,
        }
    }

    fn on(h: &RecordHistory<I>, d: &'static str) -> Vec<u32> {
        h.on(&d).map(|x| x.share).collect()
    }

    /// tecido.json: each update replaces the holding with one that starts
    /// on a stated date; the closing statement gives no end date.
    #[test]
    fn a_replaced_interest_ends_where_its_successor_starts() {
        let mut h = RecordHistory::default();
        let all = |_: &InForce<I>| true;
        h.push(
            &"2019-01-20",
            false,
            &[i(100, Some("2002-03-09"), None)],
            all,
        );
        h.push(
            &"2021-09-25",
            false,
            &[i(40, Some("2021-09-24"), None)],
            all,
        );
        h.push(
            &"2022-09-25",
            false,
            &[i(30, Some("2022-09-21"), None)],
            all,
        );
        h.push(&"2023-03-03", true, &[i(30, Some("2022-09-21"), None)], all);
        assert_eq!(on(&h, "2010-01-01"), [100]);
        assert_eq!(on(&h, "2021-09-23"), [100]);
        assert_eq!(on(&h, "2021-09-24"), [40]);
        assert_eq!(on(&h, "2023-01-01"), [30]);
        assert_eq!(on(&h, "2023-03-03"), Vec::<u32>::new());
        assert_eq!(on(&h, "2002-03-08"), Vec::<u32>::new());
        assert_eq!(h.current().count(), 0);
    }

    /// fermcat.json: a closing statement gives the end date; on the days
    /// between that end and the closing statement the interest is over.
    #[test]
    fn a_stated_end_date_from_a_later_statement_counts() {
        let mut h = RecordHistory::default();
        let all = |_: &InForce<I>| true;
        h.push(
            &"2019-09-11",
            false,
            &[i(50, Some("2019-09-11"), None)],
            all,
        );
        h.push(
            &"2020-09-11",
            false,
            &[i(50, Some("2019-09-11"), None)],
            all,
        );
        h.push(
            &"2021-09-11",
            true,
            &[i(50, Some("2019-09-11"), Some("2021-04-03"))],
            all,
        );
        assert_eq!(on(&h, "2020-01-01"), [50]);
        assert_eq!(on(&h, "2021-04-02"), [50]);
        assert_eq!(on(&h, "2021-05-01"), Vec::<u32>::new());
    }

    /// An undated interest is in force from the first statement stating
    /// it, not before.
    #[test]
    fn an_undated_interest_starts_with_its_first_statement() {
        let mut h = RecordHistory::default();
        h.push(&"2023-11-16", false, &[i(1, None, None)], |_| true);
        h.push(
            &"2023-11-17",
            true,
            &[i(1, None, Some("2023-11-17"))],
            |_| true,
        );
        assert_eq!(on(&h, "2023-11-15"), Vec::<u32>::new());
        assert_eq!(on(&h, "2023-11-16"), [1]);
        assert_eq!(on(&h, "2023-11-17"), Vec::<u32>::new());
    }

    /// An interest restated beside one that is no longer stated is not its
    /// successor, whatever its start date.
    #[test]
    fn only_a_new_interest_replaces_one() {
        let mut h = RecordHistory::default();
        let all = |_: &InForce<I>| true;
        h.push(
            &"2020-01-31",
            false,
            &[i(54, None, None), i(7, Some("2020-01-31"), None)],
            all,
        );
        h.push(&"2020-08-28", false, &[i(7, Some("2020-01-31"), None)], all);
        assert_eq!(on(&h, "2020-02-01"), [54, 7]);
        assert_eq!(on(&h, "2020-09-01"), [7]);
    }

    /// fermcat.json, 2022: the same holding restated with its old start
    /// date and a new share. The new share holds from the statement, not
    /// back to the start: no 150% between.
    #[test]
    fn a_restated_interest_changes_at_its_statement() {
        let mut h = RecordHistory::default();
        let all = |_: &InForce<I>| true;
        h.push(
            &"2019-09-11",
            false,
            &[i(50, Some("2019-09-11"), None)],
            all,
        );
        h.push(
            &"2022-01-21",
            false,
            &[i(100, Some("2019-09-11"), None)],
            all,
        );
        assert_eq!(on(&h, "2020-01-01"), [50]);
        assert_eq!(on(&h, "2022-01-20"), [50]);
        assert_eq!(on(&h, "2022-01-21"), [100]);
    }

    /// Interests the caller does not keep are dropped once they end.
    #[test]
    fn ended_interests_are_kept_only_when_asked() {
        let mut h = RecordHistory::default();
        let keep = |x: &InForce<I>| x.on(&"2020-06-01");
        h.push(
            &"2019-01-01",
            false,
            &[i(10, Some("2019-01-01"), None)],
            keep,
        );
        h.push(
            &"2021-01-01",
            false,
            &[i(20, Some("2021-01-01"), None)],
            keep,
        );
        h.push(
            &"2022-01-01",
            false,
            &[i(30, Some("2022-01-01"), None)],
            keep,
        );
        assert_eq!(h.interests().count(), 2, "10 (kept) and 30 (open)");
        assert_eq!(on(&h, "2020-06-01"), [10]);
        assert_eq!(on(&h, "2023-01-01"), [30]);
    }
}
