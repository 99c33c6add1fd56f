//! From the tagger's piece labels to attributions: BIO over Content / Source / Cue decoded into
//! char spans, then the content pieces of one attribution joined and given their cue and
//! source. Pure functions over labels, so they are tested on hand-built tag sequences.

use crate::annotation::{QuoteKind, Span};
use crate::extract::bert::decode::{Piece, PieceLabel};
use crate::extract::bert::settings::{LabelScheme, Tag};

/// The part of an attribution a span is (PolNeAR's roles).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Part {
    Content,
    Source,
    Cue,
}

impl Part {
    pub fn parse(label_type: &str) -> Option<Part> {
        match label_type.to_ascii_uppercase().as_str() {
            "CONTENT" => Some(Part::Content),
            "SOURCE" => Some(Part::Source),
            "CUE" => Some(Part::Cue),
            _ => None,
        }
    }
}

/// One decoded span.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Tagged {
    pub part: Part,
    pub span: Span,
}

/// A model whose labels are not a quote tagger's.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum NotATagger {
    #[error("label {0:?}: a quote tagger's labels are CONTENT, SOURCE and CUE")]
    Label(String),
    #[error("the model has no CONTENT label: not a quote tagger")]
    NoContent,
}

/// Per label id of the model: its tag and part (None for O). Fails when the model has a label
/// type that is not Content, Source or Cue, or lacks Content.
pub fn label_parts(scheme: &LabelScheme) -> Result<Vec<(Tag, Option<Part>)>, NotATagger> {
    let mut out = Vec::with_capacity(scheme.tags.len());
    for (name, &(tag, ty)) in scheme.names.iter().zip(&scheme.tags) {
        let part = match ty {
            None => None,
            Some(i) => {
                let ty = scheme.types.get(i).map(|(t, _)| t.as_str()).unwrap_or("");
                Some(Part::parse(ty).ok_or_else(|| NotATagger::Label(name.clone()))?)
            }
        };
        out.push((tag, part));
    }
    if !out.iter().any(|(_, p)| *p == Some(Part::Content)) {
        return Err(NotATagger::NoContent);
    }
    Ok(out)
}

/// Spans from piece labels (conlleval's reading of IOB: an I- after O or after another part
/// starts a span). A span runs from its first piece's start to its last piece's end, so the
/// spaces between its words are inside; it never crosses a paragraph (line) break.
pub fn tagged_spans(
    chars: &[char],
    pieces: &[Piece],
    labels: &[PieceLabel],
    parts: &[(Tag, Option<Part>)],
) -> Vec<Tagged> {
    let mut out: Vec<Tagged> = Vec::new();
    let mut open: Option<Tagged> = None;
    for (piece, label) in pieces.iter().zip(labels) {
        let (tag, part) = parts
            .get(label.label as usize)
            .copied()
            .unwrap_or((Tag::Outside, None));
        let Some(part) = part else {
            out.extend(open.take());
            continue;
        };
        let continues = open.as_ref().is_some_and(|o| {
            o.part == part
                && matches!(tag, Tag::Inside | Tag::End)
                && !chars
                    .get(o.span.end..piece.span.start)
                    .is_some_and(|gap| gap.contains(&'\n'))
        });
        match (&mut open, continues) {
            (Some(o), true) => o.span.end = piece.span.end,
            _ => {
                out.extend(open.take());
                open = Some(Tagged {
                    part,
                    span: piece.span,
                });
            }
        }
        if matches!(tag, Tag::End | Tag::Single) {
            out.extend(open.take());
        }
    }
    out.extend(open);
    out
}

/// One attribution: its content in one or more pieces, its cue and source spans.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Attribution {
    pub content: Vec<Span>,
    pub cue: Option<Span>,
    pub source: Option<Span>,
}

/// The most characters between two content pieces that one attribution's cue and source can
/// take ("“…,” Sen. Lindsey Graham, a Republican from South Carolina, said on Sunday, “…”").
const MAX_JOIN_GAP: usize = 120;

/// Groups the spans into attributions, paragraph by paragraph:
/// - content pieces of one paragraph separated only by punctuation, or quotations separated by a
///   cue (with or without its source), are one attribution (PolNeAR's discontinuous Content,
///   "“A,” he said, “B.”"); reported pieces around a cue are two: on PolNeAR dev, joining them
///   gave the first piece the second's source ("Trump wants a pledge to spare Clinton, who has
///   not been charged, …"), and keeping them apart raised the tagger's all-attributions F1 @0.3
///   from 0.777 to 0.793 and its speaker accuracy from 0.830 to 0.866;
/// - its cue is the one between its pieces, else the nearest cue of the paragraph outside it;
/// - its source is the source of the paragraph nearest to that cue (to the content when there
///   is no cue), outside the content and on the cue's side of it.
///
/// Content without a letter or digit is dropped (a stray quotation mark).
pub fn attributions(chars: &[char], spans: &[Tagged]) -> Vec<Attribution> {
    let para = paragraph_index(chars);
    let para_of = |pos: usize| para.get(pos).copied().unwrap_or(usize::MAX);
    let of = |part: Part| -> Vec<Span> {
        let mut v: Vec<Span> = spans
            .iter()
            .filter(|t| t.part == part)
            .map(|t| t.span)
            .collect();
        v.sort_by_key(|s| (s.start, s.end));
        v
    };
    let has_word = |s: &Span| {
        chars
            .get(s.start..s.end)
            .is_some_and(|cs| cs.iter().any(|c| c.is_alphanumeric()))
    };
    let contents: Vec<Span> = of(Part::Content).into_iter().filter(has_word).collect();
    let (cues, sources) = (of(Part::Cue), of(Part::Source));
    let inside =
        |outer: &[Span], s: &Span| outer.iter().any(|o| o.start <= s.start && s.end <= o.end);

    // A cue right after a content piece (before the next piece, in its paragraph) is that
    // piece's own: "“A,” Smith said. “B,” Jones added." is two attributions.
    let own_cue_after = |k: usize| {
        let c = contents[k];
        let limit = contents
            .get(k + 1)
            .map_or(c.end + MAX_JOIN_GAP, |n| n.start.min(c.end + MAX_JOIN_GAP));
        cues.iter()
            .any(|q| q.start >= c.end && q.end <= limit && para_of(q.start) == para_of(c.start))
    };
    // A quotation: some of its letters inside quotation marks (PARC's direct or mixed).
    let quoted = crate::text::quoted_chars(chars);
    let is_quotation = |s: &Span| {
        QuoteKind::of_content(chars, &quoted, std::slice::from_ref(s)) != QuoteKind::Indirect
    };
    let mut groups: Vec<(Vec<Span>, Option<Span>)> = Vec::new();
    for (k, &c) in contents.iter().enumerate() {
        if let Some((pieces, cue)) = groups.last_mut() {
            let last = pieces[pieces.len() - 1];
            let gap = Span::new(last.end, c.start.max(last.end));
            let same_para = para_of(last.start) == para_of(c.start);
            let gap_chars = chars.get(gap.start..gap.end).unwrap_or(&[]);
            let only_punct = !gap_chars.iter().any(|ch| ch.is_alphanumeric());
            // "“A,” he said, “B.”" is one sentence; "“A,” he said. “B.”" is two quotes.
            let sentence_end = gap_chars
                .windows(2)
                .any(|w| matches!(w[0], '.' | '!' | '?') && w[1].is_whitespace());
            let gap_cue = cues
                .iter()
                .find(|k| gap.start <= k.start && k.end <= gap.end)
                .copied();
            if same_para
                && gap.len() <= MAX_JOIN_GAP
                && (only_punct
                    || (gap_cue.is_some()
                        && is_quotation(&last)
                        && is_quotation(&c)
                        && !sentence_end
                        && cue.is_none_or_eq(gap_cue)
                        && !own_cue_after(k)))
            {
                pieces.push(c);
                if cue.is_none() {
                    *cue = gap_cue;
                }
                continue;
            }
        }
        groups.push((vec![c], None));
    }

    groups
        .into_iter()
        .map(|(content, gap_cue)| {
            let first = content[0];
            let hull = Span::new(first.start, content[content.len() - 1].end);
            let p = para_of(first.start);
            let outside = |s: &Span| para_of(s.start) == p && !inside(&content, s);
            let cue = gap_cue.or_else(|| nearest(chars, &cues, hull, &outside));
            // The source stands on the cue's side of the content ("Smith said that …",
            // "according to Smith, …"; "…, Smith said"); one across the content belongs to
            // another attribution.
            let on_cue_side = |s: &Span| match cue {
                Some(c) if c.end <= hull.start => s.end <= hull.start,
                Some(c) if c.start >= hull.end => s.start >= hull.end,
                _ => true,
            };
            let source = nearest(chars, &sources, cue.unwrap_or(hull), &|s| {
                outside(s) && on_cue_side(s)
            });
            Attribution {
                content,
                cue,
                source,
            }
        })
        .collect()
}

trait NoneOrEq {
    fn is_none_or_eq(&self, other: Option<Span>) -> bool;
}

impl NoneOrEq for Option<Span> {
    /// A group takes at most one cue: a second gap with another cue starts a new attribution.
    fn is_none_or_eq(&self, other: Option<Span>) -> bool {
        self.is_none() || *self == other
    }
}

/// The candidate nearest to `anchor` (chars between them; an earlier one wins a tie). One in
/// the same sentence beats any across a sentence end ("“A,” Smith said. “B,” Jones added.":
/// the cue of “B” is "added").
fn nearest(
    chars: &[char],
    cands: &[Span],
    anchor: Span,
    keep: &dyn Fn(&Span) -> bool,
) -> Option<Span> {
    cands
        .iter()
        .filter(|s| keep(s))
        .min_by_key(|s| {
            let gap = if s.end <= anchor.start {
                Span::new(s.end, anchor.start)
            } else {
                Span::new(anchor.end, s.start.max(anchor.end))
            };
            let crosses = (gap.start..gap.end).any(|i| {
                matches!(chars.get(i), Some('.' | '!' | '?'))
                    && chars.get(i + 1).is_some_and(|c| c.is_whitespace())
            });
            (crosses, gap.len())
        })
        .copied()
}

/// The paragraph (line) of every char.
fn paragraph_index(chars: &[char]) -> Vec<usize> {
    let mut line = 0;
    chars
        .iter()
        .map(|&c| {
            let here = line;
            if c == '\n' {
                line += 1;
            }
            here
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    const O: (Tag, Option<Part>) = (Tag::Outside, None);

    /// Parts in the order of `training/quote_common.py`'s QUOTE_LABELS.
    fn parts() -> Vec<(Tag, Option<Part>)> {
        vec![
            O,
            (Tag::Begin, Some(Part::Content)),
            (Tag::Inside, Some(Part::Content)),
            (Tag::Begin, Some(Part::Source)),
            (Tag::Inside, Some(Part::Source)),
            (Tag::Begin, Some(Part::Cue)),
            (Tag::Inside, Some(Part::Cue)),
        ]
    }

    /// Whitespace-separated words as pieces, labelled by the given label ids.
    fn tag(text: &str, ids: &[u32]) -> (Vec<char>, Vec<Tagged>) {
        let chars: Vec<char> = text.chars().collect();
        let mut pieces = Vec::new();
        let mut i = 0;
        while i < chars.len() {
            if chars[i].is_whitespace() {
                i += 1;
                continue;
            }
            let s = i;
            while i < chars.len() && !chars[i].is_whitespace() {
                i += 1;
            }
            pieces.push(Piece {
                id: 0,
                span: Span::new(s, i),
                word: pieces.len() as u32,
            });
        }
        assert_eq!(pieces.len(), ids.len(), "one label per word");
        let labels: Vec<PieceLabel> = ids
            .iter()
            .map(|&label| PieceLabel { label, prob: 1.0 })
            .collect();
        let spans = tagged_spans(&chars, &pieces, &labels, &parts());
        (chars, spans)
    }

    fn text_of(chars: &[char], s: Span) -> String {
        chars[s.start..s.end].iter().collect()
    }

    #[test]
    fn bio_decoding_follows_conlleval() {
        // I- after O starts a span; B- inside a run starts a new one.
        let (chars, spans) = tag("a b c d e", &[2, 2, 1, 2, 0]);
        let got: Vec<String> = spans.iter().map(|t| text_of(&chars, t.span)).collect();
        assert_eq!(got, ["a b", "c d"]);
        assert!(spans.iter().all(|t| t.part == Part::Content));
    }

    #[test]
    fn spans_stop_at_a_paragraph_break() {
        let (chars, spans) = tag("a b\nc", &[1, 2, 2]);
        let got: Vec<String> = spans.iter().map(|t| text_of(&chars, t.span)).collect();
        assert_eq!(got, ["a b", "c"]);
    }

    #[test]
    fn fragments_around_a_cue_are_one_attribution() {
        // “We will win,” he said, “and soon.”
        let text = "“We will win,” he said, “and soon.”";
        let (chars, spans) = tag(text, &[1, 2, 2, 3, 5, 1, 2]);
        let atts = attributions(&chars, &spans);
        assert_eq!(atts.len(), 1, "{atts:?}");
        let a = &atts[0];
        let pieces: Vec<String> = a.content.iter().map(|s| text_of(&chars, *s)).collect();
        assert_eq!(pieces, ["“We will win,”", "“and soon.”"]);
        assert_eq!(a.cue.map(|s| text_of(&chars, s)).as_deref(), Some("said,"));
        assert_eq!(a.source.map(|s| text_of(&chars, s)).as_deref(), Some("he"));
    }

    #[test]
    fn reported_pieces_around_a_cue_are_two_attributions() {
        // Not a quotation interrupted by its cue: the second piece is another source's.
        let text = "Trump wants Obama to promise no pardon for Clinton , who has not been charged , before January";
        let ids = [3, 5, 1, 2, 2, 2, 2, 2, 2, 0, 3, 5, 6, 6, 6, 0, 1, 2];
        let (chars, spans) = tag(text, &ids);
        let atts = attributions(&chars, &spans);
        assert_eq!(atts.len(), 2, "{atts:?}");
        assert_eq!(
            atts[0].source.map(|s| text_of(&chars, s)).as_deref(),
            Some("Trump")
        );
        assert_eq!(
            atts[1].source.map(|s| text_of(&chars, s)).as_deref(),
            Some("who")
        );
    }

    #[test]
    fn contents_of_two_paragraphs_or_two_cues_stay_apart() {
        let text = "Smith said taxes rise.\nJones said they fall.";
        let (chars, spans) = tag(text, &[3, 5, 1, 2, 3, 5, 1, 2]);
        let atts = attributions(&chars, &spans);
        assert_eq!(atts.len(), 2);
        assert_eq!(
            atts[1].source.map(|s| text_of(&chars, s)).as_deref(),
            Some("Jones")
        );
        // One paragraph, content – cue – content – cue: the second content has its own cue.
        let text = "“A b,” Smith said . “C d,” Jones added .";
        let (chars, spans) = tag(text, &[1, 2, 3, 5, 0, 1, 2, 3, 5, 0]);
        let atts = attributions(&chars, &spans);
        assert_eq!(atts.len(), 2, "{atts:?}");
        assert_eq!(
            atts[1].source.map(|s| text_of(&chars, s)).as_deref(),
            Some("Jones")
        );
    }

    #[test]
    fn source_is_the_one_nearest_the_cue() {
        // "Trump, who met Cruz, said he would win": the source by the cue is Trump, not Cruz.
        let text = "Cruz left . Trump said he would win";
        let (chars, spans) = tag(text, &[3, 0, 0, 3, 5, 1, 2, 2]);
        let atts = attributions(&chars, &spans);
        assert_eq!(atts.len(), 1);
        assert_eq!(
            atts[0].source.map(|s| text_of(&chars, s)).as_deref(),
            Some("Trump")
        );
        assert_eq!(text_of(&chars, atts[0].content[0]), "he would win");
    }

    #[test]
    fn the_source_stands_on_the_cues_side_of_the_content() {
        // "Jones said the plan failed , Smith added ." with the tagger's Source on "Smith" only
        // after the content: a cue before the content takes no source after it.
        let text = "Jones said the plan failed , Smith warned";
        let (chars, spans) = tag(text, &[0, 5, 1, 2, 2, 0, 3, 0]);
        let atts = attributions(&chars, &spans);
        assert_eq!(atts.len(), 1);
        assert_eq!(
            atts[0].cue.map(|s| text_of(&chars, s)).as_deref(),
            Some("said")
        );
        assert_eq!(atts[0].source, None);
        // A cue after the content may take a source after it.
        let text = "the plan failed , said Smith";
        let (chars, spans) = tag(text, &[1, 2, 2, 0, 5, 3]);
        let atts = attributions(&chars, &spans);
        assert_eq!(
            atts[0].source.map(|s| text_of(&chars, s)).as_deref(),
            Some("Smith")
        );
    }

    #[test]
    fn punctuation_only_content_is_dropped() {
        let (chars, spans) = tag("“ said", &[1, 5]);
        assert!(attributions(&chars, &spans).is_empty());
    }
}
