//! Quotation marks: which marks open and close a quotation, which are apostrophes, and where
//! each top-level quotation lies.
//!
//! Rules, in the order they are applied to each paragraph (a line of the article):
//! - “ „ « open a double quotation and ” » close it. A straight " opens when it follows a space, a
//!   line start, a bracket or a dash and precedes a non-space; otherwise it closes an open one.
//!   A curly mark typed the wrong way round (” after a space and before a letter) is read by its
//!   position.
//! - ‘ and ’ (and straight ') are apostrophes unless they can be quotation marks: ’ between
//!   letters (Ukraine’s, don’t), before a digit (’90s), the ’n’ of "rock ’n’ roll", and a ‘ that
//!   precedes a digit are apostrophes. ‘ opens a single quotation only after a space, a line
//!   start, a bracket, a dash or a double mark, and ’ closes the innermost open one when a
//!   non-letter follows. Single quotations nested in a double one are part of it; a top-level
//!   single quotation counts only when it closes in the same paragraph.
//! - A quotation still open at the end of a paragraph continues when the next non-empty
//!   paragraph opens with a mark of the same kind (the multi-paragraph convention: every
//!   paragraph opens, only the last closes). Otherwise it is *unbalanced*: it is kept, ending at
//!   the paragraph's end, and marked so; its mark never swallows the rest of the article.

use crate::annotation::Span;

/// The family of a quotation mark.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MarkKind {
    /// “ ” „ and straight ".
    Double,
    /// « ».
    Guillemet,
    /// ‘ ’ and straight '.
    Single,
}

/// One top-level quotation: the marks, and the text inside them paragraph by paragraph.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Quotation {
    pub kind: MarkKind,
    /// Char index of the opening mark.
    pub open: usize,
    /// Chars in the opening mark (2 for the typewriter '' of some wires, else 1).
    pub open_len: usize,
    /// Char index of the closing mark; `None` for an unbalanced quotation.
    pub close: Option<usize>,
    pub close_len: usize,
    /// The text inside the marks, one piece per paragraph, each trimmed of surrounding
    /// whitespace (a continuation paragraph's opening mark is outside its piece).
    pub pieces: Vec<Span>,
}

impl Quotation {
    /// From the opening mark to the closing mark inclusive (or the end of the last piece).
    pub fn outer(&self) -> Span {
        let end = match self.close {
            Some(c) => c + self.close_len,
            None => self
                .pieces
                .last()
                .map_or(self.open + self.open_len, |p| p.end),
        };
        Span::new(self.open, end)
    }

    /// From the first piece's start to the last piece's end.
    pub fn inner(&self) -> Span {
        match (self.pieces.first(), self.pieces.last()) {
            (Some(a), Some(b)) => Span::new(a.start, b.end),
            _ => Span::new(self.open + self.open_len, self.open + self.open_len),
        }
    }

    pub fn balanced(&self) -> bool {
        self.close.is_some()
    }
}

/// The result of reading the marks of a text.
#[derive(Debug, Clone, Default)]
pub struct Marks {
    /// Top-level quotations in text order.
    pub quotations: Vec<Quotation>,
    /// Char indices of every mark read as a quotation mark (top-level and nested, including the
    /// opening marks of continuation paragraphs). Every other ’ ' ‘ is an apostrophe.
    pub mark_positions: Vec<usize>,
}

fn is_space(c: char) -> bool {
    c.is_whitespace()
}

/// Characters after which an opening mark may stand.
fn opens_after(c: Option<char>) -> bool {
    match c {
        None => true,
        Some(c) => {
            is_space(c)
                || matches!(
                    c,
                    '(' | '['
                        | '{'
                        | '—'
                        | '–'
                        | '-'
                        | '/'
                        | ':'
                        | '“'
                        | '"'
                        | '‘'
                        | '«'
                        | '„'
                        | '\u{2026}'
                )
        }
    }
}

/// Characters after which a closing mark may *not* stand.
fn cannot_close_after(c: Option<char>) -> bool {
    match c {
        None => true,
        Some(c) => is_space(c) || matches!(c, '(' | '[' | '{'),
    }
}

#[derive(Debug, Clone, Copy)]
struct Open {
    kind: MarkKind,
    pos: usize,
    len: usize,
}

/// The length of a double mark starting at `i`: 2 for '' (two typewriter apostrophes), 1 for
/// “ ” „ " « », 0 otherwise.
fn double_mark_len(chars: &[char], i: usize, end: usize) -> usize {
    match chars[i] {
        '“' | '”' | '„' | '"' | '«' | '»' => 1,
        '\'' if i + 1 < end && chars[i + 1] == '\'' => 2,
        _ => 0,
    }
}

/// Reads the quotation marks of `chars`.
pub fn read_marks(chars: &[char]) -> Marks {
    let mut marks = Marks::default();
    // Paragraph bounds: [start, end) without the newline.
    let mut paras: Vec<(usize, usize)> = Vec::new();
    let mut start = 0;
    for (i, &c) in chars.iter().enumerate() {
        if c == '\n' {
            paras.push((start, i));
            start = i + 1;
        }
    }
    paras.push((start, chars.len()));

    // The quotation carried over from an earlier paragraph, if any.
    let mut carried: Option<Quotation> = None;
    let mut p = 0;
    while p < paras.len() {
        let (ps, pe) = paras[p];
        let first = (ps..pe).find(|&i| !is_space(chars[i]));
        let Some(first) = first else {
            p += 1;
            continue;
        };
        let mut stack: Vec<Open> = Vec::new();
        let mut scan_from = first;
        if let Some(q) = carried.as_mut() {
            // The continuation paragraph opens with a mark of the carried quotation's kind
            // (checked before carrying); it is skipped here and the piece starts after it.
            let len = double_mark_len(chars, first, pe).max(1);
            for k in first..first + len {
                marks.mark_positions.push(k);
            }
            stack.push(Open {
                kind: q.kind,
                pos: first,
                len,
            });
            scan_from = first + len;
        }
        let mut i = scan_from;
        while i < pe {
            let c = chars[i];
            let prev = if i > ps { Some(chars[i - 1]) } else { None };
            let dlen = double_mark_len(chars, i, pe);
            let next = if i + dlen.max(1) < pe {
                Some(chars[i + dlen.max(1)])
            } else {
                None
            };
            let top_double = stack.iter().rposition(|o| o.kind != MarkKind::Single);
            // Three typewriter apostrophes after a nested single quotation: its closer, then
            // the double closer.
            if dlen == 2
                && i + 2 < pe
                && chars[i + 2] == '\''
                && stack.last().is_some_and(|o| o.kind == MarkKind::Single)
            {
                let t = stack.len() - 1;
                close_to(&mut stack, t, i, 1, chars, &mut marks, &mut carried);
                i += 1;
                continue;
            }
            if dlen > 0 {
                let kind = if matches!(c, '«' | '»') {
                    MarkKind::Guillemet
                } else {
                    MarkKind::Double
                };
                let looks_open = opens_after(prev) && next.is_some_and(|n| !is_space(n));
                let looks_close = !cannot_close_after(prev);
                let opening = match c {
                    // “ used as a closer: after a non-space, before a space or the end, with a
                    // double quotation open.
                    '“' | '„' | '«' => !(top_double.is_some() && looks_close && !looks_open),
                    // ” used as an opener: no double quotation open, at a word start.
                    '”' | '»' => top_double.is_none() && looks_open && !looks_close,
                    // Straight " or '': close the innermost open double quotation when the
                    // position allows, else open.
                    _ => match top_double {
                        Some(_) => !looks_close && looks_open,
                        None => true,
                    },
                };
                if opening {
                    stack.push(Open {
                        kind,
                        pos: i,
                        len: dlen,
                    });
                    for k in i..i + dlen {
                        marks.mark_positions.push(k);
                    }
                } else if let Some(t) = top_double {
                    close_to(&mut stack, t, i, dlen, chars, &mut marks, &mut carried);
                }
                // A closer with nothing open is a stray mark: ignored.
                i += dlen;
                continue;
            }
            if matches!(c, '‘' | '’' | '\'') {
                let prev_letter = prev.is_some_and(|c| c.is_alphanumeric());
                let next_letter = next.is_some_and(|c| c.is_alphanumeric());
                let next_digit = next.is_some_and(|c| c.is_ascii_digit());
                // rock ’n’ roll, rock 'n' roll
                let n_contraction = next == Some('n')
                    && i + 2 < pe
                    && matches!(chars[i + 2], '’' | '\'')
                    && (i + 3 >= pe || is_space(chars[i + 3]));
                let closing_n =
                    prev == Some('n') && i >= 2 && matches!(chars[i - 2], '’' | '\'' | '‘');
                let apostrophe = n_contraction
                    || closing_n
                    || (prev_letter && next_letter)
                    || (c != '‘' && next_digit && !prev_letter);
                if !apostrophe {
                    let top_single = stack.last().is_some_and(|o| o.kind == MarkKind::Single);
                    let can_open = c != '’'
                        && opens_after(prev)
                        && next.is_some_and(|n| !is_space(n))
                        && !next_digit;
                    let can_close = c != '‘' && !cannot_close_after(prev) && !next_letter;
                    if top_single && can_close {
                        let t = stack.len() - 1;
                        close_to(&mut stack, t, i, 1, chars, &mut marks, &mut carried);
                    } else if can_open {
                        stack.push(Open {
                            kind: MarkKind::Single,
                            pos: i,
                            len: 1,
                        });
                        marks.mark_positions.push(i);
                    }
                    // Otherwise an apostrophe (voters’, ’em).
                }
            }
            i += 1;
        }

        // End of paragraph: what is still open?
        let bottom_double = stack.iter().position(|o| o.kind != MarkKind::Single);
        // Nested openers never closed are not quotation marks after all.
        let bottom_pos = bottom_double.map(|b| stack[b].pos);
        for o in &stack {
            if Some(o.pos) != bottom_pos {
                forget(&mut marks, o);
            }
        }
        if let Some(b) = bottom_double {
            let open = stack[b];
            let piece = trim(chars, open.pos + open.len, pe);
            let mut q = carried.take().unwrap_or(Quotation {
                kind: open.kind,
                open: open.pos,
                open_len: open.len,
                close: None,
                close_len: 0,
                pieces: Vec::new(),
            });
            if !piece.is_empty() {
                q.pieces.push(piece);
            }
            // Continue when the next non-empty paragraph opens with the same kind of mark.
            let mut n = p + 1;
            while n < paras.len() && (paras[n].0..paras[n].1).all(|k| is_space(chars[k])) {
                n += 1;
            }
            let continues = n < paras.len() && {
                let (ns, ne) = paras[n];
                let f = (ns..ne).find(|&k| !is_space(chars[k])).unwrap_or(ns);
                match open.kind {
                    MarkKind::Double => {
                        matches!(chars[f], '“' | '„' | '"') || double_mark_len(chars, f, ne) == 2
                    }
                    MarkKind::Guillemet => chars[f] == '«',
                    MarkKind::Single => false,
                }
            };
            if continues {
                carried = Some(q);
            } else {
                marks.quotations.push(q);
            }
        } else if let Some(q) = carried.take() {
            marks.quotations.push(q);
        }
        p += 1;
    }
    if let Some(q) = carried.take() {
        marks.quotations.push(q);
    }
    marks.quotations.sort_by_key(|q| q.open);
    marks.mark_positions.sort_unstable();
    marks.mark_positions.dedup();
    marks
}

/// Drops the positions of an opener that turned out not to be a quotation mark.
fn forget(marks: &mut Marks, o: &Open) {
    marks
        .mark_positions
        .retain(|&m| m < o.pos || m >= o.pos + o.len);
}

/// Closes the open mark at stack index `t` (dropping anything opened after it) with the mark
/// of `len` chars at `close`.
fn close_to(
    stack: &mut Vec<Open>,
    t: usize,
    close: usize,
    len: usize,
    chars: &[char],
    marks: &mut Marks,
    carried: &mut Option<Quotation>,
) {
    let open = stack[t];
    // Marks opened after it and never closed were apostrophes or strays.
    for o in stack.drain(t + 1..) {
        forget(marks, &o);
    }
    stack.pop();
    for k in close..close + len {
        marks.mark_positions.push(k);
    }
    if !stack.is_empty() {
        return; // nested: part of the enclosing quotation
    }
    let piece = trim(chars, open.pos + open.len, close);
    if open.kind == MarkKind::Single
        && carried.is_none()
        && !(piece.start..piece.end).any(|k| chars[k].is_alphabetic())
    {
        // A top-level single quotation needs a letter inside to be one.
        return;
    }
    match carried.take() {
        Some(mut q) => {
            if !piece.is_empty() {
                q.pieces.push(piece);
            }
            q.close = Some(close);
            q.close_len = len;
            marks.quotations.push(q);
        }
        None => marks.quotations.push(Quotation {
            kind: open.kind,
            open: open.pos,
            open_len: open.len,
            close: Some(close),
            close_len: len,
            pieces: vec![piece],
        }),
    }
}

/// `[start, end)` without leading and trailing whitespace.
pub fn trim(chars: &[char], mut start: usize, mut end: usize) -> Span {
    while start < end && is_space(chars[start]) {
        start += 1;
    }
    while end > start && is_space(chars[end - 1]) {
        end -= 1;
    }
    Span::new(start, end)
}

/// Whether a char is any quotation mark (or apostrophe-like mark).
pub fn is_mark_char(c: char) -> bool {
    matches!(c, '“' | '”' | '„' | '"' | '«' | '»' | '‘' | '’' | '\'')
}

/// For every char of a text: whether it lies inside double quotation marks (the marks included).
///
/// Deliberately simple, so that a kind means the same here as in the independent scorer
/// (`polnear_quotes_score.py`): “ opens, ” closes, « opens, » closes, a straight " toggles, and
/// nothing else counts (single marks are too often apostrophes to decide a kind by). An
/// unclosed mark runs on to the next closing mark, as it does for a reader of a quotation that
/// continues over paragraphs.
pub fn quoted_chars(chars: &[char]) -> Vec<bool> {
    let mut inside = false;
    chars
        .iter()
        .map(|&c| match c {
            '“' | '«' => {
                inside = true;
                true
            }
            '”' | '»' => {
                inside = false;
                true
            }
            '"' => {
                inside = !inside;
                true
            }
            _ => inside,
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn quotes(text: &str) -> Vec<String> {
        let chars: Vec<char> = text.chars().collect();
        read_marks(&chars)
            .quotations
            .iter()
            .map(|q| {
                q.pieces
                    .iter()
                    .map(|p| chars[p.start..p.end].iter().collect::<String>())
                    .collect::<Vec<_>>()
                    .join("|")
            })
            .collect()
    }

    #[test]
    fn curly_and_straight_pairs() {
        assert_eq!(quotes("He said “yes,” and “no.”"), vec!["yes,", "no."]);
        assert_eq!(quotes("He said \"yes,\" and \"no.\""), vec!["yes,", "no."]);
        assert_eq!(quotes("«Oui», dit-il."), vec!["Oui"]);
        // Typewriter '' as double marks (some wire copy).
        assert_eq!(
            quotes("''It's time,'' he said. ''We're done.''"),
            vec!["It's time,", "We're done."]
        );
        assert_eq!(
            quotes("''She'd say, 'What?''' he said."),
            vec!["She'd say, 'What?'"]
        );
    }

    #[test]
    fn apostrophes_are_not_marks() {
        assert_eq!(
            quotes("Ukraine’s war in the ’90s, rock ’n’ roll and voters’ views."),
            Vec::<String>::new()
        );
        assert_eq!(
            quotes("“Ukraine’s allies don’t agree,” she said."),
            vec!["Ukraine’s allies don’t agree,"]
        );
    }

    #[test]
    fn nested_single_inside_double() {
        assert_eq!(
            quotes("“Sometimes we said, ‘Yes, we can discuss this.’” Then."),
            vec!["Sometimes we said, ‘Yes, we can discuss this.’"]
        );
    }

    #[test]
    fn multi_paragraph_quotation() {
        let t = "He said:\n“First part.\n\n“Second part.\n“Third,” he said.\nAfter.";
        assert_eq!(quotes(t), vec!["First part.|Second part.|Third,"]);
    }

    #[test]
    fn unbalanced_mark_stops_at_paragraph_end() {
        let t = "He said “this never closes.\nPutin said “yes.”";
        assert_eq!(quotes(t), vec!["this never closes.", "yes."]);
    }
}
