//! A JSON array of statements, split into the raw text of its elements
//! while it streams in, so that the elements can be parsed and checked in
//! parallel. The splitter only follows strings and nesting; the parser
//! that receives an element still checks its syntax.

use std::io::Read;

use crate::bods::ImportError;

/// Reads a top-level JSON array in chunks and hands out its elements' text.
pub(crate) struct StatementArray<R> {
    reader: R,
    /// Bytes read; the current element starts at `start`.
    buf: Vec<u8>,
    start: usize,
    /// How far `buf` has been scanned.
    scan: usize,
    /// Nesting inside the current element.
    depth: u32,
    in_string: bool,
    escaped: bool,
    opened: bool,
    closed: bool,
    eof: bool,
    /// Elements handed out so far.
    count: usize,
}

const CHUNK: usize = 1 << 20;

impl<R: Read> StatementArray<R> {
    pub(crate) fn new(reader: R) -> Self {
        StatementArray {
            reader,
            buf: Vec::new(),
            start: 0,
            scan: 0,
            depth: 0,
            in_string: false,
            escaped: false,
            opened: false,
            closed: false,
            eof: false,
            count: 0,
        }
    }

    /// Up to `max` more elements, in order; empty when the array is done.
    pub(crate) fn next_batch(&mut self, max: usize) -> Result<Vec<Vec<u8>>, ImportError> {
        let mut out = Vec::new();
        while out.len() < max && !self.closed {
            match self.next_element()? {
                Some(e) => out.push(e),
                None => break,
            }
        }
        Ok(out)
    }

    fn fill(&mut self) -> Result<bool, ImportError> {
        if self.eof {
            return Ok(false);
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

    fn truncated(&self) -> ImportError {
        ImportError::Truncated(format!(
            "the array ends after statement {}: there is no closing `]`",
            self.count
        ))
    }

    fn next_element(&mut self) -> Result<Option<Vec<u8>>, ImportError> {
        if !self.opened {
            loop {
                match self.buf.iter().position(|b| !b.is_ascii_whitespace()) {
                    Some(p) if self.buf[p] == b'[' => {
                        self.start = p + 1;
                        self.scan = p + 1;
                        self.opened = true;
                        break;
                    }
                    Some(_) => {
                        return Err(ImportError::Json {
                            statement: 1,
                            message: "expected a JSON array of statements, `[`".into(),
                        });
                    }
                    None => {
                        self.buf.clear();
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
                    b'{' | b'[' => self.depth += 1,
                    b'}' | b']' if self.depth > 0 => self.depth -= 1,
                    b',' | b']' if self.depth == 0 => {
                        let end = self.scan;
                        let text = self.buf[self.start..end].trim_ascii();
                        let element = if text.is_empty() {
                            if b == b']' && self.count == 0 {
                                None // `[]`
                            } else {
                                return Err(ImportError::Json {
                                    statement: self.count + 1,
                                    message: "an empty element in the array".into(),
                                });
                            }
                        } else {
                            Some(text.to_vec())
                        };
                        self.start = end + 1;
                        self.scan = end + 1;
                        self.closed = b == b']';
                        if let Some(e) = element {
                            self.count += 1;
                            return Ok(Some(e));
                        }
                        return Ok(None);
                    }
                    b'}' => {
                        return Err(ImportError::Json {
                            statement: self.count + 1,
                            message: "a `}` that closes nothing".into(),
                        });
                    }
                    _ => {}
                }
                self.scan += 1;
            }
            if !self.fill()? {
                return Err(self.truncated());
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn split(text: &str, chunk: usize) -> Result<Vec<String>, ImportError> {
        struct Slow<'a>(&'a [u8], usize);
        impl Read for Slow<'_> {
            fn read(&mut self, out: &mut [u8]) -> std::io::Result<usize> {
                let n = self.1.min(self.0.len()).min(out.len());
                out[..n].copy_from_slice(&self.0[..n]);
                self.0 = &self.0[n..];
                Ok(n)
            }
        }
        let mut a = StatementArray::new(Slow(text.as_bytes(), chunk));
        let mut all = Vec::new();
        loop {
            let batch = a.next_batch(2)?;
            if batch.is_empty() {
                return Ok(all);
            }
            all.extend(
                batch
                    .into_iter()
                    .map(|b| String::from_utf8_lossy(&b).into_owned()),
            );
        }
    }

    #[test]
    fn elements_come_out_whole_whatever_the_reads() {
        let text = r#" [ {"a": "x,]}\"", "b": [1, {"c": "\\"}]}, {"d": "é"} ,{}]  "#;
        for chunk in [1, 2, 3, 7, 1000] {
            let got = split(text, chunk).expect("splits");
            assert_eq!(
                got,
                [
                    r#"{"a": "x,]}\"", "b": [1, {"c": "\\"}]}"#,
                    r#"{"d": "é"}"#,
                    "{}"
                ],
                "chunk {chunk}"
            );
        }
        assert!(split("[]", 1).expect("empty array").is_empty());
    }

    #[test]
    fn a_cut_or_broken_array_is_reported() {
        assert!(matches!(
            split(r#"[{"a": 1}, {"b""#, 3),
            Err(ImportError::Truncated(_))
        ));
        assert!(matches!(
            split(r#"[{"a": 1},, {}]"#, 3),
            Err(ImportError::Json { statement: 2, .. })
        ));
        assert!(matches!(split("   ", 3), Err(ImportError::Empty)));
        assert!(matches!(
            split(r#"{"a": 1}"#, 3),
            Err(ImportError::Json { statement: 1, .. })
        ));
    }
}
