//! From per-piece labels to entity mentions with exact char spans.
//!
//! Pieces are merged into *units*, the words that labels and spans are made of, close to the
//! tokens of CoNLL-style training data (where only a token's first piece carries a label):
//! the pieces of one pre-token ("zel", "##ensky", "##y") form one word; words glued together
//! without whitespace join into one unit when a connector lies between two alphanumeric words
//! ("U.S", "O’Brien", "2,000", "AT&T", "bloomberg.com", "Jean-Pierre"; a hyphen only before a
//! capital or digit, so "Kremlin-linked" stays "Kremlin" + "-" + "linked"; an apostrophe before a
//! final "s" is a possessive, so "Putin’s" stays "Putin" + "’" + "s"), and a glued final "." joins
//! an abbreviation ("U.S.", "J.", "St.", but not "US." at a sentence's end). A unit's label is the
//! label of its first piece (as in training, where only a token's first piece is labelled).
//!
//! Units are decoded as IOB1 or IOB2 (also IOBES/BILOU and bare IO labels) by conlleval's rule
//! ([`crate::tags`]): B- starts an entity; I- continues an open entity of its type and otherwise
//! starts one (after O, or after another type); O and a line break end it. Entities never begin or end with punctuation, nor end with a
//! possessive "’s". Types mapped to "ignore" are dropped after decoding (so an ignored type still
//! ends an entity of another type).

use std::ops::Range;

use super::settings::{LabelScheme, Tag, Target};
use crate::annotation::{Mention, Span};
use crate::tags::{self, Chunker, Typed};

/// One word piece of an article.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Piece {
    /// Vocabulary id.
    pub id: u32,
    /// Char span in the article text.
    pub span: Span,
    /// The pre-token (word) it belongs to; pieces of one word share it.
    pub word: u32,
}

/// A run of pieces that gets one label.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Unit {
    pub pieces: Range<usize>,
    pub span: Span,
    /// Whether it has an alphanumeric char (else it is punctuation or a symbol).
    pub alnum: bool,
}

struct Word {
    pieces: Range<usize>,
    span: Span,
    alnum: bool,
}

fn text(chars: &[char], span: Span) -> &[char] {
    &chars[span.start.min(chars.len())..span.end.min(chars.len())]
}

fn is_apostrophe(c: char) -> bool {
    matches!(c, '\'' | '’' | 'ʼ' | '‘')
}

/// Groups pieces into units (see the module documentation).
pub fn units(chars: &[char], pieces: &[Piece]) -> Vec<Unit> {
    let mut words: Vec<Word> = Vec::new();
    for (i, p) in pieces.iter().enumerate() {
        match words.last_mut() {
            Some(w) if pieces[w.pieces.start].word == p.word => {
                w.pieces.end = i + 1;
                w.span.end = w.span.end.max(p.span.end);
            }
            _ => words.push(Word {
                pieces: i..i + 1,
                span: p.span,
                alnum: false,
            }),
        }
    }
    for w in &mut words {
        w.alnum = text(chars, w.span).iter().any(|c| c.is_alphanumeric());
    }
    // Word j is glued to word j - 1: nothing but non-whitespace between them.
    let glued = |j: usize| {
        let (a, b) = (words[j - 1].span.end, words[j].span.start);
        a <= b
            && text(chars, Span::new(a, b))
                .iter()
                .all(|c| !c.is_whitespace())
    };
    let single = |j: usize| -> Option<char> {
        let t = text(chars, words[j].span);
        if t.len() == 1 {
            Some(t[0])
        } else {
            None
        }
    };
    let is_s = |j: usize| {
        let t = text(chars, words[j].span);
        t == ['s'] || t == ['S']
    };
    // Does the punctuation word `j` connect the alphanumeric words j - 1 and j + 1?
    let connects = |j: usize| -> bool {
        let Some(c) = single(j) else { return false };
        if is_apostrophe(c) {
            let possessive =
                is_s(j + 1) && !(j + 2 < words.len() && glued(j + 2) && words[j + 2].alnum);
            return !possessive;
        }
        if matches!(c, '-' | '‐' | '‑') {
            let next = text(chars, words[j + 1].span);
            return next
                .first()
                .is_some_and(|c| c.is_uppercase() || c.is_ascii_digit());
        }
        matches!(c, '.' | ',' | '&' | '@' | '_')
    };

    let mut out = Vec::new();
    let mut i = 0;
    while i < words.len() {
        let mut j = i + 1;
        if words[i].alnum {
            loop {
                if j < words.len() && glued(j) && words[j].alnum {
                    j += 1;
                } else if j + 1 < words.len()
                    && glued(j)
                    && !words[j].alnum
                    && glued(j + 1)
                    && words[j + 1].alnum
                    && connects(j)
                {
                    j += 2;
                } else {
                    break;
                }
            }
            if j < words.len() && glued(j) && single(j) == Some('.') {
                // "U.S.", "D.C.", "Ph.D." (short letter groups joined by periods), "J.", "St.".
                let unit = &words[i..j];
                let dotted = unit.len() >= 3
                    && unit.iter().all(|w| {
                        let t = text(chars, w.span);
                        if w.alnum {
                            t.len() <= 2 && t.iter().all(|c| c.is_alphabetic())
                        } else {
                            t == ['.']
                        }
                    });
                let word: String = text(chars, unit[0].span).iter().collect();
                let single = unit.len() == 1
                    && (word.chars().count() == 1 && word.chars().all(char::is_alphabetic)
                        || crate::text::is_abbreviation(&word.to_lowercase()));
                if dotted || single {
                    j += 1;
                }
            }
        }
        out.push(Unit {
            pieces: words[i].pieces.start..words[j - 1].pieces.end,
            span: Span::new(words[i].span.start, words[j - 1].span.end),
            alnum: words[i..j].iter().any(|w| w.alnum),
        });
        i = j;
    }
    out
}

/// An entity before filtering: units `[start, end)` and its model type (index into the scheme).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Chunk {
    pub units: Range<usize>,
    pub ty: usize,
}

/// Decodes per-unit (tag, type) labels into chunks (IOB1, IOB2, IOBES / BILOU, IO), by
/// conlleval's rule ([`crate::tags::Chunker`]). `new_line[u]`: a line break lies before unit `u`;
/// no entity crosses one.
pub fn chunks(tags: &[(Tag, Option<usize>)], new_line: &[bool]) -> Vec<Chunk> {
    let mut out = Vec::new();
    // Every tag but O has a type (`LabelScheme`), so every chunk has one.
    let mut push = |c: Option<tags::Chunk<Option<usize>>>| {
        if let Some(tags::Chunk {
            start,
            end,
            ty: Some(ty),
        }) = c
        {
            out.push(Chunk {
                units: start..end,
                ty,
            });
        }
    };
    let mut chunker = Chunker::new(None);
    for (u, &(tag, ty)) in tags.iter().enumerate() {
        if new_line.get(u).copied().unwrap_or(false) {
            push(chunker.boundary(u));
        }
        push(chunker.step(u, Typed { tag, ty }));
    }
    push(chunker.finish(tags.len()));
    out
}

/// Trims punctuation at either end and a final possessive "’s" off a chunk's units.
fn trim(chars: &[char], units: &[Unit], mut r: Range<usize>) -> Range<usize> {
    loop {
        if r.start < r.end && !units[r.start].alnum {
            r.start += 1;
        } else if r.start < r.end && !units[r.end - 1].alnum {
            r.end -= 1;
        } else if r.end - r.start >= 3 && {
            let s = text(chars, units[r.end - 1].span);
            let apostrophe = text(chars, units[r.end - 2].span);
            (s == ['s'] || s == ['S']) && apostrophe.len() == 1 && is_apostrophe(apostrophe[0])
        } {
            r.end -= 2;
        } else {
            return r;
        }
    }
}

/// Per-piece model output: the label id and its probability.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct PieceLabel {
    pub label: u32,
    pub prob: f32,
}

/// Decodes an article's piece labels into mentions (sorted by span).
pub fn decode(
    chars: &[char],
    pieces: &[Piece],
    labels: &[PieceLabel],
    scheme: &LabelScheme,
    min_confidence: f64,
) -> Vec<Mention> {
    assert_eq!(pieces.len(), labels.len());
    let units = units(chars, pieces);
    let tags: Vec<(Tag, Option<usize>)> = units
        .iter()
        .map(|u| {
            scheme
                .tags
                .get(labels[u.pieces.start].label as usize)
                .copied()
                .unwrap_or((Tag::Outside, None))
        })
        .collect();
    let new_line: Vec<bool> = (0..units.len())
        .map(|u| {
            u > 0 && {
                let (a, b) = (units[u - 1].span.end, units[u].span.start);
                a < b
                    && text(chars, Span::new(a, b))
                        .iter()
                        .any(|&c| c == '\n' || c == '\u{2029}')
            }
        })
        .collect();
    let mut mentions = Vec::new();
    for chunk in chunks(&tags, &new_line) {
        let Target::Entity(entity_type) = scheme.types[chunk.ty].1 else {
            continue;
        };
        let r = trim(chars, &units, chunk.units);
        if r.is_empty() {
            continue;
        }
        let piece_range = units[r.start].pieces.start..units[r.end - 1].pieces.end;
        if min_confidence > 0.0 {
            let probs = &labels[piece_range.clone()];
            let mean = probs.iter().map(|l| l.prob as f64).sum::<f64>() / probs.len() as f64;
            if mean < min_confidence {
                continue;
            }
        }
        mentions.push(Mention {
            span: Span::new(units[r.start].span.start, units[r.end - 1].span.end),
            entity_type,
        });
    }
    mentions
}

#[cfg(test)]
pub(super) mod tests {
    use super::*;

    /// Pieces of `text` split at whitespace and around every non-alphanumeric char (a BERT
    /// pre-tokenizer), each word one piece.
    pub(in crate::extract::bert) fn pieces_of(text: &str) -> (Vec<char>, Vec<Piece>) {
        let chars: Vec<char> = text.chars().collect();
        let mut pieces = Vec::new();
        let mut i = 0;
        while i < chars.len() {
            if chars[i].is_whitespace() {
                i += 1;
                continue;
            }
            let start = i;
            if chars[i].is_alphanumeric() {
                while i < chars.len() && chars[i].is_alphanumeric() {
                    i += 1;
                }
            } else {
                i += 1;
            }
            let word = pieces.len() as u32;
            pieces.push(Piece {
                id: 0,
                span: Span::new(start, i),
                word,
            });
        }
        (chars, pieces)
    }

    fn unit_texts(text: &str) -> Vec<String> {
        let (chars, pieces) = pieces_of(text);
        units(&chars, &pieces)
            .iter()
            .map(|u| chars[u.span.start..u.span.end].iter().collect())
            .collect()
    }

    #[test]
    fn units_follow_conll_tokens() {
        assert_eq!(
            unit_texts("the U.S. and O’Brien’s 2,000 AT&T"),
            ["the", "U.S.", "and", "O’Brien", "’", "s", "2,000", "AT&T"]
        );
        assert_eq!(
            unit_texts("“Putin’s” Kremlin-linked Jean-Pierre J. Mr. St."),
            [
                "“",
                "Putin",
                "’",
                "s",
                "”",
                "Kremlin",
                "-",
                "linked",
                "Jean-Pierre",
                "J.",
                "Mr.",
                "St."
            ]
        );
        // A two-letter word at a sentence end keeps its period out; dotted ones keep it in.
        assert_eq!(
            unit_texts("the US. The U.K. Ph.D."),
            ["the", "US", ".", "The", "U.K.", "Ph.D."]
        );
        assert_eq!(
            unit_texts("Kyiv/Moscow, bloomberg.com."),
            ["Kyiv", "/", "Moscow", ",", "bloomberg.com", "."]
        );
    }
}
