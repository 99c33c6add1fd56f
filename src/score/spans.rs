//! The parts of attributions scored as spans on their own, as CofeNet's evaluation scores PolNeAR
//! (Wang et al., COLING 2022; `exe/eval/evaluation.py` of cofe-ai/CofeNet): for each part
//! (content, source, cue), the article's gold spans and predicted spans as two sets. `exact`: a
//! gold span is found when a predicted span is identical, a predicted span that is no gold span
//! is a false positive. `begin` (CofeNet's looser form): the same over the spans' first
//! characters only.
//!
//! CofeNet reads the spans off BIO tags, so a span is counted once however many attributions
//! share it (one source for two contents) and a discontinuous content is one span per piece;
//! the sets here do the same. Boundaries are compared after trimming edge whitespace,
//! punctuation and quotation marks, which BIO tags over tokens leave out or keep as whole tokens
//! where character offsets differ by a mark.

use std::collections::BTreeSet;
use std::ops::AddAssign;

use serde::{Deserialize, Serialize};

use super::Tally;
use crate::annotation::{Document, Span};

/// A part of an attribution (PARC / PolNeAR: content, source, cue).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum SpanPart {
    Content,
    Source,
    Cue,
}

impl SpanPart {
    pub const ALL: [SpanPart; 3] = [SpanPart::Content, SpanPart::Source, SpanPart::Cue];

    pub fn as_str(&self) -> &'static str {
        match self {
            SpanPart::Content => "content",
            SpanPart::Source => "source",
            SpanPart::Cue => "cue",
        }
    }
}

/// How a predicted span finds a gold span.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum SpanMatch {
    /// The same first and last character.
    Exact,
    /// The same first character.
    Begin,
}

impl SpanMatch {
    pub const ALL: [SpanMatch; 2] = [SpanMatch::Exact, SpanMatch::Begin];

    pub fn as_str(&self) -> &'static str {
        match self {
            SpanMatch::Exact => "exact",
            SpanMatch::Begin => "begin",
        }
    }
}

/// The tallies of one part.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct PartCounts {
    pub exact: Tally,
    pub begin: Tally,
}

/// Content, source and cue spans of an article or a corpus (additive).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct SpanCounts {
    /// Articles whose spans were counted: 0 in a report written before these counts existed,
    /// whose span metrics are then `null`, not the zero-denominator rule's 1.0.
    pub articles: u64,
    pub content: PartCounts,
    pub source: PartCounts,
    pub cue: PartCounts,
}

impl SpanCounts {
    /// The spans of one article's gold and prediction.
    pub fn of(gold: &Document, pred: &Document) -> SpanCounts {
        let mut counts = SpanCounts {
            articles: 1,
            ..SpanCounts::default()
        };
        for part in SpanPart::ALL {
            let (g, p) = (spans(gold, part), spans(pred, part));
            let starts = |s: &BTreeSet<Span>| s.iter().map(|s| s.start).collect::<BTreeSet<_>>();
            let slot = counts.part_mut(part);
            slot.exact = set_tally(&g, &p);
            slot.begin = set_tally(&starts(&g), &starts(&p));
        }
        counts
    }

    pub fn part(&self, part: SpanPart) -> &PartCounts {
        match part {
            SpanPart::Content => &self.content,
            SpanPart::Source => &self.source,
            SpanPart::Cue => &self.cue,
        }
    }

    fn part_mut(&mut self, part: SpanPart) -> &mut PartCounts {
        match part {
            SpanPart::Content => &mut self.content,
            SpanPart::Source => &mut self.source,
            SpanPart::Cue => &mut self.cue,
        }
    }

    pub fn tally(&self, part: SpanPart, matching: SpanMatch) -> Tally {
        let p = self.part(part);
        match matching {
            SpanMatch::Exact => p.exact,
            SpanMatch::Begin => p.begin,
        }
    }
}

impl AddAssign for PartCounts {
    fn add_assign(&mut self, o: PartCounts) {
        self.exact += o.exact;
        self.begin += o.begin;
    }
}

impl AddAssign for SpanCounts {
    fn add_assign(&mut self, o: SpanCounts) {
        self.articles += o.articles;
        self.content += o.content;
        self.source += o.source;
        self.cue += o.cue;
    }
}

fn set_tally<T: Ord>(gold: &BTreeSet<T>, pred: &BTreeSet<T>) -> Tally {
    let tp = gold.intersection(pred).count() as u64;
    Tally {
        tp,
        fp: pred.len() as u64 - tp,
        fn_: gold.len() as u64 - tp,
    }
}

/// A document's spans of one part, trimmed, each once.
fn spans(doc: &Document, part: SpanPart) -> BTreeSet<Span> {
    let mut out = BTreeSet::new();
    for q in &doc.quotes {
        let found: &[Span] = match part {
            SpanPart::Content => q.pieces(),
            SpanPart::Source => q.speaker_mention.as_slice(),
            SpanPart::Cue => q.cue.as_slice(),
        };
        out.extend(
            found
                .iter()
                .filter_map(|s| trimmed(doc.article.slice(*s), *s)),
        );
    }
    out
}

/// The span without whitespace, punctuation and quotation marks at either edge (`text` is its
/// text); `None` when nothing else is left.
fn trimmed(text: &str, span: Span) -> Option<Span> {
    let edge = |c: char| {
        c.is_whitespace()
            || c.is_ascii_punctuation()
            || matches!(c, '“' | '”' | '‘' | '’' | '«' | '»' | '„' | '—' | '–' | '…')
    };
    let kept = text.trim_start_matches(edge);
    let start = span.start + (text.chars().count() - kept.chars().count());
    let kept = kept.trim_end_matches(edge);
    let end = start + kept.chars().count();
    (start < end).then(|| Span::new(start, end))
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;

    use super::*;
    use crate::annotation::{Article, Quote, QuoteKind};

    fn quote(content: Span, cue: Span, source: Span) -> Quote {
        Quote {
            span: content,
            fragments: Vec::new(),
            kind: QuoteKind::Direct,
            cue: Some(cue),
            speaker_mention: Some(source),
            speaker: None,
            joint_speakers: Vec::new(),
        }
    }

    #[test]
    fn parts_are_sets_of_trimmed_spans_matched_exactly_or_by_their_start() {
        // “Go now,” she said — “and fast.” Ann’s aide added.
        let text = "“Go now,” she said — “and fast.” Ann’s aide added.";
        let article = Arc::new(Article::new("a", text));
        let at = |s: &str| {
            let b = text.find(s).unwrap();
            let start = text[..b].chars().count();
            Span::new(start, start + s.chars().count())
        };
        let mut gold = Document::empty(article.clone(), "gold");
        // Two contents of one source and cue: the source and the cue count once.
        gold.quotes = vec![
            quote(at("“Go now,”"), at("said"), at("she")),
            quote(at("“and fast.”"), at("said"), at("she")),
        ];
        let mut pred = Document::empty(article, "pred");
        pred.quotes = vec![
            // The same content without its marks: exact after trimming.
            quote(at("Go now"), at("said"), at("she")),
            // A longer second content: begins right, ends wrong.
            quote(at("“and fast.” Ann’s"), at("added"), at("aide")),
        ];
        let c = SpanCounts::of(&gold, &pred);
        let t = |tp, fp, fn_| Tally { tp, fp, fn_ };
        assert_eq!(c.content.exact, t(1, 1, 1));
        assert_eq!(c.content.begin, t(2, 0, 0));
        assert_eq!(c.source.exact, t(1, 1, 0));
        assert_eq!(c.cue.exact, t(1, 1, 0));
        let mut sum = c;
        sum += c;
        assert_eq!(sum.tally(SpanPart::Content, SpanMatch::Exact), t(2, 2, 2));
    }
}
