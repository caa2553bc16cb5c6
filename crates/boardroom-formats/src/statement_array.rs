//! A JSON array of statements, split into the raw text of its elements
//! while it streams in, so that the elements can be parsed and checked in
//! parallel. The splitter follows strings, escapes and brackets (and checks
//! that brackets match); the parser that receives an element checks the
//! rest of its syntax.

use std::io::Read;

use serde_json::Value;

use crate::bods::ImportError;

/// One element of the array: where it starts in the file, and its text.
#[derive(Debug)]
pub(crate) struct Element {
    /// 1-based line and column of its first byte.
    pub line: usize,
    pub column: usize,
    pub text: Vec<u8>,
    /// A statement longer than the most read (a line of JSON Lines, or an
    /// element of an array): its text is cut, or empty.
    pub too_long: bool,
}

impl Element {
    /// A parse error of this element, placed in the file rather than in
    /// the element.
    pub fn place(&self, e: &serde_json::Error) -> String {
        let text = e.to_string();
        let message = text
            .rsplit_once(" at line ")
            .map_or(text.as_str(), |(m, _)| m);
        let line = self.line + e.line().saturating_sub(1);
        let column = if e.line() <= 1 {
            self.column + e.column().saturating_sub(1)
        } else {
            e.column()
        };
        format!("{message} at line {line} column {column}")
    }
}

/// A statement longer than this is taken for a broken string or bracket
/// (BODS statements are a few kilobytes), so that a damaged file never
/// makes the reader hold the rest of itself in memory: the register
/// reader's cap, the same for every reader of BODS.
pub(crate) const MAX_STATEMENT_BYTES: usize = boardroom_register::MAX_STATEMENT_BYTES;

/// One statement's JSON, parsed as [`serde_json::Value`] is, except that
/// a key twice in one object is an error (a data error, placed at its line
/// and column; syntax errors stay syntax errors). JSON leaves the meaning
/// of such an object undefined and `serde_json` keeps the last value
/// silently: `"exact": 10, "exact": 90` was read as 90%.
pub(crate) fn parse_statement(text: &[u8]) -> Result<Value, serde_json::Error> {
    use serde::de::{DeserializeSeed, Deserializer, Error as _, MapAccess, SeqAccess, Visitor};

    /// serde_json's own token for a number kept as text
    /// (`arbitrary_precision`), which comes as a one-key map.
    const NUMBER: &str = "$serde_json::private::Number";

    struct Strict;
    impl<'de> DeserializeSeed<'de> for Strict {
        type Value = Value;
        fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<Value, D::Error> {
            d.deserialize_any(self)
        }
    }
    impl<'de> Visitor<'de> for Strict {
        type Value = Value;
        fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
            f.write_str("JSON")
        }
        fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Value, A::Error> {
            let mut out = serde_json::Map::new();
            while let Some(k) = map.next_key::<String>()? {
                if k == NUMBER && out.is_empty() {
                    let text: String = map.next_value()?;
                    return text
                        .parse::<serde_json::Number>()
                        .map(Value::Number)
                        .map_err(A::Error::custom);
                }
                if out.contains_key(&k) {
                    return Err(A::Error::custom(format!(
                        "key `{k}` twice in one object: JSON leaves its value undefined"
                    )));
                }
                let v = map.next_value_seed(Strict)?;
                out.insert(k, v);
            }
            Ok(Value::Object(out))
        }
        fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Value, A::Error> {
            let mut out = Vec::new();
            while let Some(v) = seq.next_element_seed(Strict)? {
                out.push(v);
            }
            Ok(Value::Array(out))
        }
        fn visit_bool<E>(self, v: bool) -> Result<Value, E> {
            Ok(Value::Bool(v))
        }
        fn visit_i64<E>(self, v: i64) -> Result<Value, E> {
            Ok(Value::from(v))
        }
        fn visit_u64<E>(self, v: u64) -> Result<Value, E> {
            Ok(Value::from(v))
        }
        fn visit_f64<E>(self, v: f64) -> Result<Value, E> {
            Ok(Value::from(v))
        }
        fn visit_str<E>(self, v: &str) -> Result<Value, E> {
            Ok(Value::String(v.to_owned()))
        }
        fn visit_string<E>(self, v: String) -> Result<Value, E> {
            Ok(Value::String(v))
        }
        fn visit_unit<E>(self) -> Result<Value, E> {
            Ok(Value::Null)
        }
    }

    let mut d = serde_json::Deserializer::from_slice(text);
    let v = Strict.deserialize(&mut d)?;
    d.end()?;
    Ok(v)
}

/// A parse error of one line of JSON Lines, placed by its column (the
/// statement's number is its line).
pub(crate) fn at_column(e: &serde_json::Error) -> String {
    let text = e.to_string();
    let message = text
        .rsplit_once(" at line ")
        .map_or(text.as_str(), |(m, _)| m);
    format!("{message} at column {}", e.column())
}

/// Whether a parse error of [`parse_statement`] is about the statement's
/// data (a key twice), which damages that statement only, rather than its
/// syntax.
pub(crate) fn is_data_error(e: &serde_json::Error) -> bool {
    e.classify() == serde_json::error::Category::Data
}

/// A size in bytes as people read it: `64 MiB`, `1000 bytes`.
pub(crate) fn bytes(n: usize) -> String {
    if n >= 1 << 20 && n.is_multiple_of(1 << 20) {
        format!("{} MiB", n >> 20)
    } else {
        format!("{n} bytes")
    }
}

/// Reads one line of JSON Lines into `out` (its newline kept), at most
/// `cap` bytes of it: the rest of a longer line is read past, not kept
/// (a line of gigabytes, or `/dev/zero`, cannot fill the memory). Gives
/// the bytes consumed (0 at the end of the input) and whether the line was
/// cut. Past 64 times the cap with no line end, reading stops there.
pub(crate) fn read_line_capped(
    r: &mut impl std::io::BufRead,
    out: &mut Vec<u8>,
    cap: usize,
) -> std::io::Result<(usize, bool)> {
    let (mut consumed, mut cut) = (0usize, false);
    loop {
        let buf = match r.fill_buf() {
            Ok(b) => b,
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
            Err(e) => return Err(e),
        };
        if buf.is_empty() {
            return Ok((consumed, cut));
        }
        let (take, done) = match memchr::memchr(b'\n', buf) {
            Some(i) => (i + 1, true),
            None => (buf.len(), false),
        };
        let room = cap.saturating_sub(out.len());
        out.extend_from_slice(&buf[..take.min(room)]);
        cut |= take > room;
        r.consume(take);
        consumed += take;
        if done {
            return Ok((consumed, cut));
        }
        if consumed > cap.saturating_mul(64) {
            return Err(std::io::Error::new(
                std::io::ErrorKind::InvalidData,
                format!(
                    "no line end within {} GiB: not BODS JSON Lines; reading stopped",
                    cap.saturating_mul(64) >> 30
                ),
            ));
        }
    }
}

/// Reads a top-level JSON array in chunks and hands out its elements.
pub(crate) struct StatementArray<R> {
    reader: R,
    /// Bytes read; the current element starts at `start`.
    buf: Vec<u8>,
    start: usize,
    /// How far `buf` has been scanned.
    scan: usize,
    /// Open brackets inside the current element.
    open: Vec<u8>,
    in_string: bool,
    escaped: bool,
    opened: bool,
    closed: bool,
    eof: bool,
    /// Line and column of `buf[start]`.
    line: usize,
    column: usize,
    /// Elements handed out so far.
    count: usize,
    /// An error met after some elements of a batch: reported on the next
    /// call, once those elements are out.
    held: Option<ImportError>,
    cap: usize,
    /// The current element has run past `cap`: it is read past, not kept,
    /// and handed out as too long. Where it starts, and the bytes dropped.
    skipping: Option<(usize, usize)>,
    skipped: usize,
}

const CHUNK: usize = 1 << 20;

impl<R: Read> StatementArray<R> {
    /// The elements of the array in `reader`; one longer than `cap` bytes
    /// is read past and handed out as [too long](Element::too_long).
    pub(crate) fn new(reader: R, cap: usize) -> Self {
        StatementArray {
            reader,
            buf: Vec::new(),
            start: 0,
            scan: 0,
            open: Vec::new(),
            in_string: false,
            escaped: false,
            opened: false,
            closed: false,
            eof: false,
            line: 1,
            column: 1,
            count: 0,
            held: None,
            cap,
            skipping: None,
            skipped: 0,
        }
    }

    /// Up to `max` more elements, in order; empty when the array is done.
    /// An error comes after the elements before it.
    pub(crate) fn next_batch(&mut self, max: usize) -> Result<Vec<Element>, ImportError> {
        if let Some(e) = self.held.take() {
            return Err(e);
        }
        let mut out = Vec::new();
        while out.len() < max && !self.closed {
            match self.next_element() {
                Ok(Some(e)) => out.push(e),
                Ok(None) => break,
                Err(e) if out.is_empty() => return Err(e),
                Err(e) => {
                    self.held = Some(e);
                    break;
                }
            }
        }
        Ok(out)
    }

    fn fill(&mut self) -> Result<bool, ImportError> {
        if self.eof {
            return Ok(false);
        }
        if self.skipping.is_some() || self.buf.len() - self.start > self.cap {
            self.skip_scanned()?;
        }
        // Drop what was handed out before reading more.
        self.buf.drain(..self.start);
        self.scan -= self.start;
        self.start = 0;
        let old = self.buf.len();
        self.buf.resize(old + CHUNK, 0);
        let n = loop {
            match self.reader.read(&mut self.buf[old..]) {
                Ok(n) => break n,
                Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
                Err(e) => return Err(e.into()),
            }
        };
        self.buf.truncate(old + n);
        self.eof = n == 0;
        Ok(n > 0)
    }

    /// Drops the scanned part of an element too long to keep, keeping the
    /// place of its first byte; past 64 times the cap, the element is
    /// taken for a string or bracket never closed, and reading stops.
    fn skip_scanned(&mut self) -> Result<(), ImportError> {
        let raw = &self.buf[self.start..self.scan];
        if self.skipping.is_none() {
            let lead = raw.iter().take_while(|b| b.is_ascii_whitespace()).count();
            let (mut line, mut column) = (self.line, self.column);
            Self::advance(&mut line, &mut column, &raw[..lead]);
            self.skipping = Some((line, column));
        }
        let (mut line, mut column) = (self.line, self.column);
        Self::advance(&mut line, &mut column, raw);
        (self.line, self.column) = (line, column);
        self.skipped += raw.len();
        self.start = self.scan;
        if self.skipped > self.cap.saturating_mul(64) {
            return Err(self.broken(format!(
                "statement {} runs past {}: a string or bracket that is never closed?",
                self.count + 1,
                bytes(self.cap.saturating_mul(64))
            )));
        }
        Ok(())
    }

    /// A damaged array, placed at the byte being scanned.
    fn broken(&self, message: String) -> ImportError {
        let (mut line, mut column) = (self.line, self.column);
        let upto = self.scan.min(self.buf.len());
        Self::advance(
            &mut line,
            &mut column,
            &self.buf[self.start.min(upto)..upto],
        );
        ImportError::Json {
            statement: self.count + 1,
            message: format!("{message} at line {line} column {column}"),
        }
    }

    /// Moves the line and column of `start` past `bytes`.
    fn advance(line: &mut usize, column: &mut usize, bytes: &[u8]) {
        match memchr::memrchr(b'\n', bytes) {
            Some(last) => {
                *line += memchr::memchr_iter(b'\n', bytes).count();
                *column = bytes.len() - last;
            }
            None => *column += bytes.len(),
        }
    }

    fn next_element(&mut self) -> Result<Option<Element>, ImportError> {
        if !self.opened {
            loop {
                let rest = &self.buf[self.start..];
                match rest.iter().position(|b| !b.is_ascii_whitespace()) {
                    Some(p) if rest[p] == b'[' => {
                        let (mut line, mut column) = (self.line, self.column);
                        Self::advance(&mut line, &mut column, &rest[..=p]);
                        (self.line, self.column) = (line, column);
                        self.start += p + 1;
                        self.scan = self.start;
                        self.opened = true;
                        break;
                    }
                    Some(_) => {
                        return Err(self.broken("expected a JSON array of statements, `[`".into()));
                    }
                    None => {
                        let (mut line, mut column) = (self.line, self.column);
                        Self::advance(&mut line, &mut column, rest);
                        (self.line, self.column) = (line, column);
                        self.start = self.buf.len();
                        self.scan = self.start;
                        if !self.fill()? {
                            return Err(ImportError::Empty);
                        }
                    }
                }
            }
        }
        loop {
            while self.scan < self.buf.len() {
                let b = self.buf[self.scan];
                if self.in_string {
                    if self.escaped {
                        self.escaped = false;
                        self.scan += 1;
                    } else {
                        // Jump to the next quote or backslash.
                        match memchr::memchr2(b'"', b'\\', &self.buf[self.scan..]) {
                            Some(k) => {
                                let at = self.scan + k;
                                if self.buf[at] == b'"' {
                                    self.in_string = false;
                                } else {
                                    self.escaped = true;
                                }
                                self.scan = at + 1;
                            }
                            None => self.scan = self.buf.len(),
                        }
                    }
                    continue;
                }
                match b {
                    b'"' => self.in_string = true,
                    b'{' => self.open.push(b'}'),
                    b'[' => self.open.push(b']'),
                    b'}' | b']' if self.open.last() == Some(&b) => {
                        self.open.pop();
                    }
                    b'}' | b']' if !self.open.is_empty() => {
                        return Err(self.broken(format!(
                            "a `{}` where another bracket must close first",
                            b as char
                        )));
                    }
                    b',' | b']' if self.open.is_empty() => return self.emit(b),
                    b'}' => return Err(self.broken("a `}` that closes nothing".into())),
                    _ => {}
                }
                self.scan += 1;
            }
            if !self.fill()? {
                return Err(ImportError::Truncated(match self.skipping {
                    Some((line, column)) => format!(
                        "statement {}, at line {line} column {column}, runs on past {} to the end of the file: a string or bracket that is never closed?",
                        self.count + 1,
                        bytes(self.cap)
                    ),
                    None => format!(
                        "the array ends after statement {}: there is no closing `]`",
                        self.count
                    ),
                }));
            }
        }
    }

    /// The element that ends at `self.scan`, where `end` (`,` or `]`) is.
    fn emit(&mut self, end: u8) -> Result<Option<Element>, ImportError> {
        let raw = &self.buf[self.start..self.scan];
        let lead = raw.iter().take_while(|b| b.is_ascii_whitespace()).count();
        let text = raw.trim_ascii();
        let (mut line, mut column) = (self.line, self.column);
        Self::advance(&mut line, &mut column, &raw[..lead]);
        // Whatever the reads: a statement longer than the cap is too long,
        // whether it was dropped on the way or arrived in one read.
        if self.skipping.is_none() && raw.len() > self.cap {
            self.skipping = Some((line, column));
        }
        let element = if let Some((line, column)) = self.skipping.take() {
            self.skipped = 0;
            Some(Element {
                line,
                column,
                text: Vec::new(),
                too_long: true,
            })
        } else if text.is_empty() {
            if end == b']' && self.count == 0 {
                None // `[]`
            } else {
                return Err(self.broken("an empty element in the array".into()));
            }
        } else {
            Some(Element {
                line,
                column,
                text: text.to_vec(),
                too_long: false,
            })
        };
        let (mut line, mut column) = (self.line, self.column);
        Self::advance(&mut line, &mut column, &self.buf[self.start..=self.scan]);
        (self.line, self.column) = (line, column);
        self.start = self.scan + 1;
        self.scan = self.start;
        self.closed = end == b']';
        if element.is_some() {
            self.count += 1;
        }
        Ok(element)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    struct Slow<'a>(&'a [u8], usize);
    impl Read for Slow<'_> {
        fn read(&mut self, out: &mut [u8]) -> std::io::Result<usize> {
            let n = self.1.min(self.0.len()).min(out.len());
            out[..n].copy_from_slice(&self.0[..n]);
            self.0 = &self.0[n..];
            Ok(n)
        }
    }

    /// The elements, as (line, column, text), and the error that ended the
    /// reading, if any.
    fn split(text: &str, chunk: usize) -> (Vec<(usize, usize, String)>, Option<ImportError>) {
        let mut a = StatementArray::new(Slow(text.as_bytes(), chunk), MAX_STATEMENT_BYTES);
        let mut all = Vec::new();
        loop {
            match a.next_batch(2) {
                Ok(batch) if batch.is_empty() => return (all, None),
                Ok(batch) => all.extend(batch.into_iter().map(|e| {
                    (
                        e.line,
                        e.column,
                        String::from_utf8_lossy(&e.text).into_owned(),
                    )
                })),
                Err(e) => return (all, Some(e)),
            }
        }
    }

    #[test]
    fn elements_come_out_whole_and_placed_whatever_the_reads() {
        let text =
            " [ {\"a\": \"x,]}\\\"\", \"b\": [1, {\"c\": \"\\\\\"}]},\n  {\"d\": \"é\"} ,{}]  ";
        for chunk in [1, 2, 3, 7, 1000] {
            let (got, err) = split(text, chunk);
            assert!(err.is_none(), "chunk {chunk}: {err:?}");
            let want = [
                (1, 4, r#"{"a": "x,]}\"", "b": [1, {"c": "\\"}]}"#),
                (2, 3, r#"{"d": "é"}"#),
                (2, 16, "{}"),
            ];
            let want: Vec<_> = want
                .iter()
                .map(|&(l, c, t)| (l, c, t.to_string()))
                .collect();
            assert_eq!(got, want, "chunk {chunk}");
        }
        assert!(split("[]", 1).0.is_empty());
        assert!(split("[ \n ]", 1).1.is_none());
    }

    #[test]
    fn a_cut_or_broken_array_is_reported_after_the_statements_before_it() {
        let (got, err) = split(r#"[{"a": 1}, {"b""#, 3);
        assert_eq!(got.len(), 1);
        assert!(matches!(err, Some(ImportError::Truncated(_))));
        let (got, err) = split(r#"[{"a": 1},, {}]"#, 3);
        assert_eq!(got.len(), 1);
        assert!(matches!(err, Some(ImportError::Json { statement: 2, .. })));
        // A mismatched bracket is caught where it is, not at the end.
        let (got, err) = split("[{\"a\": 1},\n {\"a\": [1}, {\"b\": 2}]", 3);
        assert_eq!(got.len(), 1);
        match err {
            Some(ImportError::Json { statement, message }) => {
                assert_eq!(statement, 2);
                assert!(message.ends_with("at line 2 column 10"), "{message}");
            }
            other => panic!("{other:?}"),
        }
        assert!(matches!(split("   ", 3).1, Some(ImportError::Empty)));
        assert!(matches!(
            split(r#"{"a": 1}"#, 3).1,
            Some(ImportError::Json { statement: 1, .. })
        ));
    }

    #[test]
    fn an_unclosed_string_stops_at_the_size_cap() {
        // Runs to the end of the file: cut short, said where it starts.
        let text = format!("[{{\"a\": 1}}, {{\"b\": \"{}", "x".repeat(5000));
        let mut a = StatementArray::new(Slow(text.as_bytes(), 100), 1000);
        let first = a.next_batch(10).expect("the first statement");
        assert_eq!(first.len(), 1);
        match a.next_batch(10) {
            Err(ImportError::Truncated(m)) => {
                assert!(
                    m.contains("statement 2, at line 1 column 12, runs on past 1000 bytes"),
                    "{m}"
                )
            }
            other => panic!("{other:?}"),
        }
        // Runs on without end: stopped past 64 times the cap, never held.
        let endless = std::iter::once(b'[')
            .chain(std::iter::once(b'"'))
            .chain(std::iter::repeat(b'x'));
        let endless: Vec<u8> = endless.take(200_000).collect();
        let mut a = StatementArray::new(Slow(&endless, 4096), 1000);
        assert!(matches!(
            a.next_batch(10),
            Err(ImportError::Json { statement: 1, .. })
        ));
        assert!(a.buf.len() < 1000 + 2 * CHUNK);
    }

    /// Issue 20, item 6: an element of an array over the cap ended the
    /// reading; it is read past and handed out as too long, placed where
    /// it starts, and the elements after it are read.
    #[test]
    fn an_over_long_element_is_skipped_and_the_rest_read() {
        let long = format!("{{\"b\": \"{}\", \"c\": [\"]\"]}}", "x,]".repeat(2000));
        let text = format!("[{{\"a\": 1}},\n  {long}, {{\"d\": 2}}]");
        for chunk in [7, 100, 5000] {
            let mut a = StatementArray::new(Slow(text.as_bytes(), chunk), 1000);
            let all = a.next_batch(10).expect("every element");
            let got: Vec<_> = all
                .iter()
                .map(|e| {
                    (
                        e.line,
                        e.column,
                        e.too_long,
                        String::from_utf8_lossy(&e.text).into_owned(),
                    )
                })
                .collect();
            assert_eq!(
                got,
                [
                    (1, 2, false, r#"{"a": 1}"#.to_string()),
                    (2, 3, true, String::new()),
                    (2, long.len() + 5, false, r#"{"d": 2}"#.to_string()),
                ],
                "chunk {chunk}"
            );
            assert!(a.next_batch(10).expect("the end").is_empty());
        }
    }
}
