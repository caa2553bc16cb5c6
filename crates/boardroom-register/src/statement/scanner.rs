//! The fast path of [`super::parse_statement`]: one pass over a statement's
//! text that reads the fields the graph needs, borrowing their text, and
//! checks the rest is JSON, without building anything.
//!
//! It gives up (`None`) at anything it does not read exactly as serde_json
//! and the derived readers of [`super::RawStatement`] would: an escape in
//! a string, a struct written as an array, a repeated field, a type other
//! than the one expected, deep nesting. The caller then reads the
//! statement with serde_json, which reads it or says what is wrong with it
//! in its own words. So a statement read here gives the same result as
//! serde_json's, and a statement serde_json refuses is never read here:
//! the two are compared on generated and damaged statements in the tests
//! and by the `bods_statements` fuzz target.

use super::{
    RawDetails, RawEntityType, RawInterest, RawName, RawParty, RawShare, RawStatement, RawText,
    RawUnspecified,
};
use std::borrow::Cow;

/// serde_json's nesting limit is 128; past this depth the scanner leaves
/// the statement to it.
const MAX_DEPTH: u32 = 100;

/// Reads `text` (one statement, valid UTF-8) into `st` (empty) if it can
/// read it exactly; `None` leaves `st` partly read. The statement is read
/// in place: its fields, hundreds of bytes, are not moved as they are read.
pub(super) fn scan<'a>(text: &'a str, st: &mut RawStatement<'a>) -> Option<()> {
    let mut c = Cursor {
        s: text,
        b: text.as_bytes(),
        i: 0,
        depth: 0,
    };
    c.statement(st)?;
    c.ws();
    (c.i == c.b.len()).then_some(())
}

struct Cursor<'a> {
    s: &'a str,
    b: &'a [u8],
    i: usize,
    depth: u32,
}

/// Marks a field as seen; `None` if it already was (serde's "duplicate
/// field").
fn first(seen: &mut u32, bit: u32) -> Option<()> {
    if *seen & bit != 0 {
        return None;
    }
    *seen |= bit;
    Some(())
}

/// The offset of the first quote, backslash or control character (what a
/// JSON string must escape): eight bytes at a time (most strings of a
/// statement are short ids and keys, where a vector search costs more than
/// it saves).
pub(crate) fn special(b: &[u8]) -> Option<usize> {
    const ONES: u64 = 0x0101_0101_0101_0101;
    const HIGH: u64 = 0x8080_8080_8080_8080;
    let zero = |x: u64| x.wrapping_sub(ONES) & !x & HIGH;
    let mut i = 0;
    while let Some(chunk) = b.get(i..i + 8) {
        let mut word = [0u8; 8];
        word.copy_from_slice(chunk);
        let x = u64::from_le_bytes(word);
        // A byte below 0x20, or equal to `"` or `\`. Bytes of 0x80 and
        // above (UTF-8) never match: `!x & HIGH` clears them.
        let hit = (x.wrapping_sub(ONES * 0x20) & !x & HIGH)
            | zero(x ^ (ONES * u64::from(b'"')))
            | zero(x ^ (ONES * u64::from(b'\\')));
        if hit != 0 {
            // The lowest flagged byte is a true match: borrows in the
            // subtractions run only upward, from a byte that matched.
            return Some(i + (hit.trailing_zeros() / 8) as usize);
        }
        i += 8;
    }
    b[i..]
        .iter()
        .position(|&x| x < 0x20 || x == b'"' || x == b'\\')
        .map(|p| i + p)
}

impl<'a> Cursor<'a> {
    fn ws(&mut self) {
        while let Some(b' ' | b'\t' | b'\n' | b'\r') = self.b.get(self.i) {
            self.i += 1;
        }
    }

    fn peek(&mut self) -> Option<u8> {
        self.ws();
        self.b.get(self.i).copied()
    }

    fn eat(&mut self, byte: u8) -> Option<()> {
        (self.peek()? == byte).then(|| self.i += 1)
    }

    fn literal(&mut self, word: &[u8]) -> Option<()> {
        let end = self.i.checked_add(word.len())?;
        (self.b.get(self.i..end)? == word).then(|| self.i = end)
    }

    /// A string without escapes or control characters, borrowed.
    fn string(&mut self) -> Option<&'a str> {
        if self.peek()? != b'"' {
            return None;
        }
        let start = self.i + 1;
        let end = start + special(self.b.get(start..)?)?;
        if self.b[end] != b'"' {
            return None;
        }
        self.i = end + 1;
        // Both ends are ASCII quotes: char boundaries of valid UTF-8.
        self.s.get(start..end)
    }

    /// `null` (`Some(None)`), or what `read` reads.
    fn or_null<T>(&mut self, read: impl FnOnce(&mut Self) -> Option<T>) -> Option<Option<T>> {
        if self.peek()? == b'n' {
            self.literal(b"null")?;
            return Some(None);
        }
        read(self).map(Some)
    }

    fn text(&mut self) -> Option<Option<Cow<'a, str>>> {
        self.or_null(|c| c.string().map(Cow::Borrowed))
    }

    fn boolean(&mut self) -> Option<bool> {
        match self.peek()? {
            b't' => self.literal(b"true").map(|()| true),
            b'f' => self.literal(b"false").map(|()| false),
            _ => None,
        }
    }

    /// An object, `field` called with each key, at the key's value.
    fn object(&mut self, mut field: impl FnMut(&mut Self, &'a str) -> Option<()>) -> Option<()> {
        self.eat(b'{')?;
        self.depth += 1;
        if self.depth > MAX_DEPTH {
            return None;
        }
        if self.peek()? == b'}' {
            self.i += 1;
        } else {
            loop {
                let key = self.string()?;
                self.eat(b':')?;
                field(self, key)?;
                match self.peek()? {
                    b',' => self.i += 1,
                    b'}' => {
                        self.i += 1;
                        break;
                    }
                    _ => return None,
                }
            }
        }
        self.depth -= 1;
        Some(())
    }

    /// An array, `item` called at each element.
    fn array(&mut self, mut item: impl FnMut(&mut Self) -> Option<()>) -> Option<()> {
        self.eat(b'[')?;
        self.depth += 1;
        if self.depth > MAX_DEPTH {
            return None;
        }
        if self.peek()? == b']' {
            self.i += 1;
        } else {
            loop {
                item(self)?;
                match self.peek()? {
                    b',' => self.i += 1,
                    b']' => {
                        self.i += 1;
                        break;
                    }
                    _ => return None,
                }
            }
        }
        self.depth -= 1;
        Some(())
    }

    /// A JSON number, checked against the grammar serde_json reads.
    fn number(&mut self) -> Option<()> {
        let b = self.b;
        let digits = |i: &mut usize| {
            let from = *i;
            while b.get(*i).is_some_and(u8::is_ascii_digit) {
                *i += 1;
            }
            *i > from
        };
        let mut i = self.i;
        if b.get(i) == Some(&b'-') {
            i += 1;
        }
        match b.get(i)? {
            b'0' => i += 1,
            b'1'..=b'9' => {
                digits(&mut i);
            }
            _ => return None,
        }
        if b.get(i) == Some(&b'.') {
            i += 1;
            if !digits(&mut i) {
                return None;
            }
        }
        if let Some(b'e' | b'E') = b.get(i) {
            i += 1;
            if let Some(b'+' | b'-') = b.get(i) {
                i += 1;
            }
            if !digits(&mut i) {
                return None;
            }
        }
        self.i = i;
        Some(())
    }

    /// Any JSON value, checked and not kept.
    fn skip(&mut self) -> Option<()> {
        match self.peek()? {
            b'"' => self.string().map(drop),
            b'{' => self.object(|c, _| c.skip()),
            b'[' => self.array(Self::skip),
            b't' => self.literal(b"true"),
            b'f' => self.literal(b"false"),
            b'n' => self.literal(b"null"),
            _ => self.number(),
        }
    }

    /// A value's text, as serde_json's `RawValue` holds it; `null` is none.
    fn raw(&mut self) -> Option<Option<RawText<'a>>> {
        self.or_null(|c| {
            let start = c.i;
            c.skip()?;
            c.s.get(start..c.i).map(RawText)
        })
    }

    fn statement(&mut self, st: &mut RawStatement<'a>) -> Option<()> {
        let mut seen = 0u32;
        self.object(|c, key| match key {
            "statementId" => {
                first(&mut seen, 1)?;
                st.statement_id = c.text()?;
                Some(())
            }
            "recordId" => {
                first(&mut seen, 2)?;
                st.record_id = c.text()?;
                Some(())
            }
            "recordType" => {
                first(&mut seen, 4)?;
                st.record_type = c.text()?;
                Some(())
            }
            "recordStatus" => {
                first(&mut seen, 8)?;
                st.record_status = c.text()?;
                Some(())
            }
            "statementDate" => {
                first(&mut seen, 16)?;
                st.statement_date = c.text()?;
                Some(())
            }
            "recordDetails" => {
                first(&mut seen, 32)?;
                if c.peek()? == b'n' {
                    c.literal(b"null")
                } else {
                    c.details(st.record_details.insert(RawDetails::default()))
                }
            }
            _ => c.skip(),
        })
    }

    /// The record's details, into `d` (empty).
    fn details(&mut self, d: &mut RawDetails<'a>) -> Option<()> {
        let mut seen = 0u32;
        self.object(|c, key| {
            match key {
                "isComponent" => {
                    first(&mut seen, 1)?;
                    d.is_component = c.boolean()?;
                }
                "name" => {
                    first(&mut seen, 1 << 1)?;
                    d.name = c.text()?;
                }
                "names" => {
                    first(&mut seen, 1 << 2)?;
                    d.names = c.or_null(|c| {
                        let mut names = Vec::new();
                        c.array(|c| {
                            names.push(c.name()?);
                            Some(())
                        })?;
                        Some(names)
                    })?;
                }
                "entityType" => {
                    first(&mut seen, 1 << 3)?;
                    d.entity_type = c.or_null(Self::entity_type)?;
                }
                "personType" => {
                    first(&mut seen, 1 << 4)?;
                    d.person_type = c.text()?;
                }
                "unspecifiedEntityDetails" => {
                    first(&mut seen, 1 << 5)?;
                    d.unspecified_entity_details = c.or_null(Self::unspecified)?;
                }
                "unspecifiedPersonDetails" => {
                    first(&mut seen, 1 << 6)?;
                    d.unspecified_person_details = c.or_null(Self::unspecified)?;
                }
                "subject" => {
                    first(&mut seen, 1 << 7)?;
                    d.subject = c.text()?;
                }
                "interestedParty" => {
                    first(&mut seen, 1 << 8)?;
                    d.interested_party = c.or_null(|c| match c.peek()? {
                        b'"' => c.string().map(|s| RawParty::Id(Cow::Borrowed(s))),
                        b'{' => c.unspecified().map(RawParty::Unspecified),
                        _ => None,
                    })?;
                }
                "interests" => {
                    first(&mut seen, 1 << 9)?;
                    d.interests = c.or_null(|c| {
                        let mut all = Vec::new();
                        c.array(|c| {
                            all.push(c.interest()?);
                            Some(())
                        })?;
                        Some(all)
                    })?;
                }
                "componentRecords" => {
                    first(&mut seen, 1 << 10)?;
                    d.component_records = c.or_null(|c| {
                        let mut all = Vec::new();
                        c.array(|c| {
                            all.push(Cow::Borrowed(c.string()?));
                            Some(())
                        })?;
                        Some(all)
                    })?;
                }
                "foundingDate" => {
                    first(&mut seen, 1 << 11)?;
                    d.founding_date = c.text()?;
                }
                "dissolutionDate" => {
                    first(&mut seen, 1 << 12)?;
                    d.dissolution_date = c.text()?;
                }
                _ => c.skip()?,
            }
            Some(())
        })
    }

    fn name(&mut self) -> Option<RawName<'a>> {
        let mut n = RawName { full_name: None };
        let mut seen = 0u32;
        self.object(|c, key| match key {
            "fullName" => {
                first(&mut seen, 1)?;
                n.full_name = c.text()?;
                Some(())
            }
            _ => c.skip(),
        })?;
        Some(n)
    }

    fn entity_type(&mut self) -> Option<RawEntityType<'a>> {
        let mut t = RawEntityType {
            kind: None,
            subtype: None,
        };
        let mut seen = 0u32;
        self.object(|c, key| match key {
            "type" => {
                first(&mut seen, 1)?;
                t.kind = c.text()?;
                Some(())
            }
            "subtype" => {
                first(&mut seen, 2)?;
                t.subtype = c.text()?;
                Some(())
            }
            _ => c.skip(),
        })?;
        Some(t)
    }

    fn unspecified(&mut self) -> Option<RawUnspecified<'a>> {
        let mut u = RawUnspecified { reason: None };
        let mut seen = 0u32;
        self.object(|c, key| match key {
            "reason" => {
                first(&mut seen, 1)?;
                u.reason = c.text()?;
                Some(())
            }
            _ => c.skip(),
        })?;
        Some(u)
    }

    fn interest(&mut self) -> Option<RawInterest<'a>> {
        let mut i = RawInterest {
            kind: None,
            direct_or_indirect: None,
            beneficial_ownership_or_control: None,
            share: None,
            start_date: None,
            end_date: None,
        };
        let mut seen = 0u32;
        self.object(|c, key| {
            match key {
                "type" => {
                    first(&mut seen, 1)?;
                    i.kind = c.text()?;
                }
                "directOrIndirect" => {
                    first(&mut seen, 2)?;
                    i.direct_or_indirect = c.text()?;
                }
                "beneficialOwnershipOrControl" => {
                    first(&mut seen, 4)?;
                    i.beneficial_ownership_or_control = c.or_null(Self::boolean)?;
                }
                "share" => {
                    first(&mut seen, 8)?;
                    i.share = c.or_null(Self::share)?;
                }
                "startDate" => {
                    first(&mut seen, 16)?;
                    i.start_date = c.text()?;
                }
                "endDate" => {
                    first(&mut seen, 32)?;
                    i.end_date = c.text()?;
                }
                _ => c.skip()?,
            }
            Some(())
        })?;
        Some(i)
    }

    fn share(&mut self) -> Option<RawShare<'a>> {
        let mut s = RawShare {
            exact: None,
            minimum: None,
            maximum: None,
            exclusive_minimum: None,
            exclusive_maximum: None,
        };
        let mut seen = 0u32;
        self.object(|c, key| {
            match key {
                "exact" => {
                    first(&mut seen, 1)?;
                    s.exact = c.raw()?;
                }
                "minimum" => {
                    first(&mut seen, 2)?;
                    s.minimum = c.raw()?;
                }
                "maximum" => {
                    first(&mut seen, 4)?;
                    s.maximum = c.raw()?;
                }
                "exclusiveMinimum" => {
                    first(&mut seen, 8)?;
                    s.exclusive_minimum = c.raw()?;
                }
                "exclusiveMaximum" => {
                    first(&mut seen, 16)?;
                    s.exclusive_maximum = c.raw()?;
                }
                _ => c.skip()?,
            }
            Some(())
        })?;
        Some(s)
    }
}

#[cfg(test)]
mod tests {
    use super::{scan, special};
    use crate::statement::{parse_statement, parse_statement_by_serde};
    use proptest::prelude::*;

    fn official() -> Vec<String> {
        let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/../../fixtures/bods/examples");
        let mut out = Vec::new();
        let mut files: Vec<_> = std::fs::read_dir(dir)
            .unwrap_or_else(|e| panic!("{dir}: {e}"))
            .filter_map(|e| e.ok().map(|e| e.path()))
            .filter(|p| p.extension().is_some_and(|x| x == "json"))
            .collect();
        files.sort();
        for f in files {
            let text = std::fs::read_to_string(&f).unwrap_or_else(|e| panic!("{e}"));
            let all: Vec<serde_json::Value> =
                serde_json::from_str(&text).unwrap_or_else(|e| panic!("{}: {e}", f.display()));
            for st in all {
                out.push(st.to_string());
                out.push(serde_json::to_string_pretty(&st).unwrap_or_default());
            }
        }
        assert!(out.len() > 100, "the official examples: {}", out.len());
        out
    }

    fn same(text: &[u8]) {
        let fast = parse_statement(text, 7);
        let slow = parse_statement_by_serde(text, 7);
        assert_eq!(
            fast,
            slow,
            "the scanner and serde_json differ on {}",
            String::from_utf8_lossy(text)
        );
    }

    /// Every statement of the official BODS 0.4 examples, compact and
    /// pretty-printed, is read by the scanner itself (not left to
    /// serde_json), and read as serde_json reads it.
    #[test]
    fn the_official_examples_are_read_by_the_scanner_as_by_serde() {
        let mut escaped = 0;
        for st in official() {
            same(st.as_bytes());
            if scan(&st, &mut Default::default()).is_none() {
                // Only a string with an escape is left to serde_json.
                assert!(st.contains('\\'), "not read by the scanner: {st}");
                escaped += 1;
            }
        }
        assert!(escaped < 10, "{escaped} statements left to serde_json");
    }

    /// Eight bytes at a time finds what a byte at a time finds.
    #[test]
    fn special_finds_the_first_quote_backslash_or_control() {
        let slow = |b: &[u8]| b.iter().position(|&x| x < 0x20 || x == b'"' || x == b'\\');
        let mut b: Vec<u8> = "abcdéfgh ijklmnop qrstuvwx yzABCDEFGH".into();
        for at in 0..b.len() {
            for x in [
                b'"', b'\\', 0, 0x1f, b'\n', 0x7f, 0x20, 0x80, 0xff, b'!', b'#',
            ] {
                let keep = b[at];
                b[at] = x;
                assert_eq!(special(&b), slow(&b), "{x:#x} at {at}");
                b[at] = keep;
            }
        }
    }

    /// Bits of JSON inserted into statements: structure, repeated fields,
    /// wrong types, escapes, bad numbers and literals.
    const TOKENS: &[&str] = &[
        "{",
        "}",
        "[",
        "]",
        ",",
        ":",
        "\"",
        " ",
        "\t",
        "\n",
        "null",
        "nul",
        "true",
        "fals",
        "0",
        "01",
        "-",
        "-0",
        "1.",
        "1.5",
        "2e",
        "3e+4",
        "5E-1",
        "\\",
        "\\n",
        "\\u0041",
        "\\ud800",
        "\u{1}",
        "é",
        "\"recordId\":\"x\",",
        "\"recordType\":\"entity\",",
        "\"statementId\":null,",
        "\"recordDetails\":{},",
        "\"share\":{\"exact\":5},",
        "\"exact\":\"5\",",
        "\"interestedParty\":\"p\",",
        "\"interestedParty\":{\"reason\":\"r\"},",
        "\"isComponent\":null,",
        "\"names\":[[\"n\"]],",
        "\"a\":1,",
        "\"a\":1,\"a\":2,",
        "\"type\":\"shareholding\",",
        "\"beneficialOwnershipOrControl\":1,",
        "\"a\":01,",
        "\"a\":-,",
        "\"a\":1.,",
        "\"a\":1e,",
        "\"a\":.5,",
        "\"a\":+1,",
        "\"a\":-01.5e+7,",
        "\"a\":[1,],",
        "\"a\":{\"b\":1,},",
        "\"a\":\"\t\",",
        "\"exact\":05,",
        "\"minimum\":1e400,",
        "\"maximum\":-0.0,",
        "[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[",
    ];

    fn mutated() -> impl Strategy<Value = Vec<u8>> {
        let base = official();
        let n = base.len();
        (
            0..n,
            prop::collection::vec((any::<prop::sample::Index>(), 0..TOKENS.len() + 2), 1..4),
        )
            .prop_map(move |(k, edits)| {
                let mut t: Vec<u8> = base[k].clone().into_bytes();
                for (at, op) in edits {
                    let i = at.index(t.len() + 1);
                    match op {
                        o if o < TOKENS.len() => {
                            t.splice(i..i, TOKENS[o].bytes());
                        }
                        o if o == TOKENS.len() && i < t.len() => {
                            t.remove(i);
                        }
                        _ => {
                            // Cut the statement at this point.
                            t.truncate(i);
                        }
                    }
                }
                t
            })
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(3000))]
        /// A damaged statement is read alike, or refused alike with
        /// serde_json's message.
        #[test]
        fn a_damaged_statement_is_read_or_refused_as_by_serde(t in mutated()) {
            same(&t);
        }
    }
}
