//! Reading CoNLL columns as conlleval does: lines, delimiters, sentence boundaries, and two
//! files read in step.

#[allow(unused_imports)]
use super::*;
use std::path::Path;

// ---------------------------------------------------------------------------------------------
// Parsing

/// conlleval's sentence-boundary marker in the first column.
pub(super) const BOUNDARY: &[u8] = b"-X-";

pub(super) fn is_space(b: u8) -> bool {
    matches!(b, b' ' | b'\t' | b'\r' | b'\x0b' | b'\x0c')
}

pub(super) fn trim_cr(raw: &[u8]) -> &[u8] {
    raw.strip_suffix(b"\r").unwrap_or(raw)
}

pub(super) fn lossy(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

/// The columns of one line that scoring needs, borrowed from the input.
#[derive(Clone, Copy)]
pub(super) struct Columns<'a> {
    pub(super) count: usize,
    pub(super) first: &'a [u8],
    pub(super) before_last: &'a [u8],
    pub(super) last: &'a [u8],
}

impl<'a> Columns<'a> {
    const NONE: Columns<'static> = Columns {
        count: 0,
        first: &[],
        before_last: &[],
        last: &[],
    };

    #[inline]
    pub(super) fn push(&mut self, field: &'a [u8]) {
        if self.count == 0 {
            self.first = field;
        }
        self.before_last = self.last;
        self.last = field;
        self.count += 1;
    }
}

/// Positions of the bytes `<= 0x20` (whitespace, `\n`, other control bytes), found eight bytes
/// at a time: the scan's only per-byte work.
pub(super) struct Delimiters<'a> {
    pub(super) bytes: &'a [u8],
    /// Start of the next 8-byte word to load.
    pub(super) next_word: usize,
    /// Start of the word `mask` describes.
    pub(super) base: usize,
    /// Bit 7 of byte lane `k` is set when byte `base + k` is `<= 0x20`.
    pub(super) mask: u64,
}

/// The high bit of each byte lane of `x` whose byte is `<= 0x20` (exact per lane: no carry
/// crosses lanes because `0x7f + 0x5f < 0x100`).
#[inline]
pub(super) fn low_bytes(x: u64) -> u64 {
    const HIGH: u64 = 0x8080_8080_8080_8080;
    const LOW7: u64 = 0x7f7f_7f7f_7f7f_7f7f;
    const TO_HIGH: u64 = 0x5f5f_5f5f_5f5f_5f5f; // 0x80 - 0x21
    let above = ((x & LOW7) + TO_HIGH) | x;
    !above & HIGH
}

impl Iterator for Delimiters<'_> {
    type Item = usize;

    #[inline]
    fn next(&mut self) -> Option<usize> {
        loop {
            if self.mask != 0 {
                let lane = (self.mask.trailing_zeros() / 8) as usize;
                self.mask &= self.mask - 1;
                return Some(self.base + lane);
            }
            let rest = self.bytes.get(self.next_word..)?;
            if rest.is_empty() {
                return None;
            }
            self.base = self.next_word;
            if let [b0, b1, b2, b3, b4, b5, b6, b7, ..] = *rest {
                self.mask = low_bytes(u64::from_le_bytes([b0, b1, b2, b3, b4, b5, b6, b7]));
                self.next_word += 8;
            } else {
                self.mask = rest
                    .iter()
                    .enumerate()
                    .filter(|(_, &b)| b <= 0x20)
                    .fold(0, |m, (k, _)| m | 0x80 << (8 * k));
                self.next_word += rest.len();
            }
        }
    }
}

/// One line of input: its 1-based number, its bytes (without `\n`) and its columns.
pub(super) struct Line<'a> {
    pub(super) number: usize,
    pub(super) raw: &'a [u8],
    pub(super) cols: Columns<'a>,
}

/// Splits input into lines and whitespace-separated columns in one pass, borrowing all of it.
/// A final newline does not start another (empty) line.
pub(super) struct Lines<'a> {
    pub(super) bytes: &'a [u8],
    pub(super) delimiters: Delimiters<'a>,
    pub(super) line_start: usize,
    pub(super) number: usize,
}

impl<'a> Lines<'a> {
    pub(super) fn new(bytes: &'a [u8]) -> Self {
        Lines {
            bytes,
            delimiters: Delimiters {
                bytes,
                next_word: 0,
                base: 0,
                mask: 0,
            },
            line_start: 0,
            number: 0,
        }
    }
}

impl<'a> Iterator for Lines<'a> {
    type Item = Line<'a>;

    #[inline]
    fn next(&mut self) -> Option<Line<'a>> {
        let bytes = self.bytes;
        if self.line_start >= bytes.len() {
            return None;
        }
        let mut cols = Columns::NONE;
        let mut field_start = self.line_start;
        let end = loop {
            // The end of the input ends the last line like a newline.
            let (at, b) = match self.delimiters.next() {
                Some(at) => (at, bytes.get(at).copied().unwrap_or(b'\n')),
                None => (bytes.len(), b'\n'),
            };
            if b != b'\n' && !is_space(b) {
                continue; // another control byte: part of a field
            }
            if at > field_start {
                cols.push(bytes.get(field_start..at).unwrap_or_default());
            }
            field_start = at + 1;
            if b == b'\n' {
                break at;
            }
        };
        self.number += 1;
        let line = Line {
            number: self.number,
            raw: bytes.get(self.line_start..end).unwrap_or_default(),
            cols,
        };
        self.line_start = end + 1;
        Some(line)
    }
}

/// What one file of a pair holds next.
#[derive(Clone, Copy)]
pub(super) enum Event<'a> {
    Token {
        token: &'a [u8],
        tag: &'a [u8],
        line: usize,
    },
    /// One or more sentence-break lines, the first on `line`.
    Break { line: usize },
    /// End of input; `line` is one past the last line.
    End { line: usize },
}

pub(super) fn describe(event: Event<'_>) -> (usize, String) {
    match event {
        Event::Token { token, line, .. } => (line, format!("token {:?}", lossy(token))),
        Event::Break { line } => (line, "a sentence break".to_string()),
        Event::End { line } => (line, "the end of the file".to_string()),
    }
}

pub(super) fn misaligned(
    gold_file: &Path,
    g: Event<'_>,
    pred_file: &Path,
    p: Event<'_>,
) -> ConllError {
    let (gold_line, gold_item) = describe(g);
    let (pred_line, pred_item) = describe(p);
    ConllError::Misaligned {
        gold_file: gold_file.to_path_buf(),
        gold_line,
        gold_item,
        pred_file: pred_file.to_path_buf(),
        pred_line,
        pred_item,
    }
}

/// Turns one `TOKEN ... TAG` file into tokens and collapsed sentence breaks.
pub(super) struct PairReader<'a> {
    pub(super) lines: Lines<'a>,
    pub(super) file: &'a Path,
    pub(super) line: usize,
    /// A token line read while looking past a sentence break.
    pub(super) pending: Option<Event<'a>>,
    pub(super) started: bool,
}

impl<'a> PairReader<'a> {
    pub(super) fn new(text: &'a [u8], file: &'a Path) -> Self {
        PairReader {
            lines: Lines::new(text),
            file,
            line: 0,
            pending: None,
            started: false,
        }
    }

    /// The next token line, or `End`; `Err` for a malformed line. Sets `*broke` when sentence
    /// break lines were skipped on the way, with the first one's line.
    pub(super) fn next_line(&mut self, broke: &mut Option<usize>) -> Result<Event<'a>, ConllError> {
        for Line { number, raw, cols } in self.lines.by_ref() {
            self.line = number;
            if cols.count == 0 || cols.first == BOUNDARY {
                broke.get_or_insert(self.line);
                continue;
            }
            if cols.count < 2 {
                return Err(ConllError::TooFewColumns {
                    file: self.file.to_path_buf(),
                    line: self.line,
                    expected: 2,
                    found: cols.count,
                    item: lossy(trim_cr(raw)),
                });
            }
            return Ok(Event::Token {
                token: cols.first,
                tag: cols.last,
                line: self.line,
            });
        }
        Ok(Event::End {
            line: self.line + 1,
        })
    }

    pub(super) fn next_event(&mut self) -> Result<Event<'a>, ConllError> {
        if let Some(event) = self.pending.take() {
            return Ok(event);
        }
        let mut broke = None;
        let event = self.next_line(&mut broke)?;
        let started = std::mem::replace(&mut self.started, true);
        match (broke, event) {
            // Leading and trailing breaks are not sentence breaks.
            (Some(line), Event::Token { .. }) if started => {
                self.pending = Some(event);
                Ok(Event::Break { line })
            }
            _ => Ok(event),
        }
    }
}
