//! The one annotation model shared by gold files, predictions, imports and exports.
//!
//! A [`Document`] is one article's text plus what one annotator (a person or a system) found in
//! it: entity mentions, quotes, speakers and places. Gold and predictions are the same type, so a
//! prediction written out is a draft gold file, and the agreement of two annotators is a score.
//!
//! Every span is a half-open range of Unicode scalar values (`char` indices) into the verbatim
//! article text. Byte offsets exist only inside [`Article`], which converts at the edge.

use std::fmt;
use std::sync::Arc;

use serde::{Deserialize, Serialize};

/// A half-open `[start, end)` range of `char` indices into an article's text.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct Span {
    pub start: usize,
    pub end: usize,
}

impl Span {
    pub fn new(start: usize, end: usize) -> Self {
        debug_assert!(start <= end, "span start {start} after end {end}");
        Span { start, end }
    }

    pub fn len(&self) -> usize {
        self.end - self.start
    }

    pub fn is_empty(&self) -> bool {
        self.start >= self.end
    }

    /// Number of characters the two spans share.
    pub fn overlap(&self, other: &Span) -> usize {
        let start = self.start.max(other.start);
        let end = self.end.min(other.end);
        end.saturating_sub(start)
    }

    pub fn overlaps(&self, other: &Span) -> bool {
        self.overlap(other) > 0
    }

    pub fn contains(&self, other: &Span) -> bool {
        self.start <= other.start && other.end <= self.end
    }
}

impl fmt::Display for Span {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}..{}", self.start, self.end)
    }
}

/// The verbatim text of one article, with its id (the file stem).
///
/// Keeps a `char` -> byte table so that slicing by `char` spans is O(1).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Article {
    pub id: String,
    text: String,
    /// Byte offset of every char, plus one final entry for `text.len()`.
    char_starts: Vec<usize>,
}

impl Article {
    pub fn new(id: impl Into<String>, text: impl Into<String>) -> Self {
        let text = text.into();
        let mut char_starts: Vec<usize> = text.char_indices().map(|(b, _)| b).collect();
        char_starts.push(text.len());
        Article {
            id: id.into(),
            text,
            char_starts,
        }
    }

    pub fn text(&self) -> &str {
        &self.text
    }

    /// Length in chars.
    pub fn char_len(&self) -> usize {
        self.char_starts.len() - 1
    }

    /// The text of a span, or `None` when the span lies outside the article.
    pub fn get(&self, span: Span) -> Option<&str> {
        if span.start > span.end || span.end > self.char_len() {
            return None;
        }
        Some(&self.text[self.char_starts[span.start]..self.char_starts[span.end]])
    }

    /// The text of a span that is known to be valid (checked when the document was built).
    pub fn slice(&self, span: Span) -> &str {
        self.get(span).unwrap_or("")
    }

    /// Byte offset of a char index (clamped to the end of the text).
    pub fn byte_of_char(&self, char_index: usize) -> usize {
        self.char_starts[char_index.min(self.char_len())]
    }

    /// Char index of a byte offset, or `None` when it is not on a char boundary.
    pub fn char_of_byte(&self, byte: usize) -> Option<usize> {
        self.char_starts.binary_search(&byte).ok()
    }

    /// Converts a byte range to a char span; `None` when either end is not a char boundary.
    pub fn span_of_bytes(&self, start: usize, end: usize) -> Option<Span> {
        Some(Span::new(
            self.char_of_byte(start)?,
            self.char_of_byte(end)?,
        ))
    }

    /// Every occurrence of `needle` (case-sensitive, overlapping ones included), in order.
    pub fn occurrences(&self, needle: &str) -> Vec<Span> {
        let mut found = Vec::new();
        if needle.is_empty() {
            return found;
        }
        let needle_chars = needle.chars().count();
        let mut from = 0;
        while let Some(pos) = self.text[from..].find(needle) {
            let byte = from + pos;
            // `find` returns char boundaries, so the lookup cannot fail.
            if let Some(start) = self.char_of_byte(byte) {
                found.push(Span::new(start, start + needle_chars));
            }
            let step = self.text[byte..].chars().next().map_or(1, char::len_utf8);
            from = byte + step;
        }
        found
    }

    /// 1-based line number (counting `\n`) on which a char index falls.
    pub fn line_of(&self, char_index: usize) -> usize {
        let byte = self.byte_of_char(char_index);
        1 + self.text.as_bytes()[..byte]
            .iter()
            .filter(|&&b| b == b'\n')
            .count()
    }

    /// A one-line excerpt around a span, the span itself bracketed as `[[...]]`, for error lists.
    pub fn context(&self, span: Span, width: usize) -> String {
        let start = span.start.saturating_sub(width);
        let end = (span.end + width).min(self.char_len());
        let flat = |s: &str| s.replace(['\n', '\r', '\t'], " ");
        format!(
            "{}{}[[{}]]{}{}",
            if start > 0 { "…" } else { "" },
            flat(self.slice(Span::new(start, span.start.min(self.char_len())))),
            flat(self.slice(span)),
            flat(self.slice(Span::new(span.end.min(self.char_len()), end))),
            if end < self.char_len() { "…" } else { "" },
        )
    }
}

/// The entity types the harness scores. Model labels outside these are mapped to nothing.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "UPPERCASE")]
pub enum EntityType {
    Person,
    Place,
    Org,
}

impl EntityType {
    pub const ALL: [EntityType; 3] = [EntityType::Person, EntityType::Place, EntityType::Org];

    pub fn as_str(&self) -> &'static str {
        match self {
            EntityType::Person => "PERSON",
            EntityType::Place => "PLACE",
            EntityType::Org => "ORG",
        }
    }

    pub fn parse(s: &str) -> Option<EntityType> {
        match s {
            "PERSON" => Some(EntityType::Person),
            "PLACE" => Some(EntityType::Place),
            "ORG" => Some(EntityType::Org),
            _ => None,
        }
    }
}

impl fmt::Display for EntityType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// One named-entity mention.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Mention {
    pub span: Span,
    #[serde(rename = "type")]
    pub entity_type: EntityType,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum QuoteKind {
    /// Every letter and digit of the content lies inside quotation marks (PARC 3.0 "direct").
    Direct,
    /// No letter or digit of the content lies inside quotation marks.
    Indirect,
    /// Reported speech that is partly inside quotation marks: some of the content's letters are
    /// quoted, some are not (PARC 3.0 "mixed": `said the plan was “a disaster”`).
    Mixed,
}

impl QuoteKind {
    pub const ALL: [QuoteKind; 3] = [QuoteKind::Direct, QuoteKind::Indirect, QuoteKind::Mixed];

    pub fn as_str(&self) -> &'static str {
        match self {
            QuoteKind::Direct => "direct",
            QuoteKind::Indirect => "indirect",
            QuoteKind::Mixed => "mixed",
        }
    }

    pub fn parse(s: &str) -> Option<QuoteKind> {
        QuoteKind::ALL.into_iter().find(|k| k.as_str() == s)
    }

    /// The PARC kind of content made of `pieces`, decided from the text alone, as PARC 3.0
    /// defines the kinds and as `polnear_quotes_score.py --parc-kind` decides them: the letters
    /// and digits of the pieces all inside quotation marks = direct, some = mixed, none (or no
    /// letters at all) = indirect. `quoted` is [`crate::text::quoted_chars`] of the article.
    pub fn of_content(chars: &[char], quoted: &[bool], pieces: &[Span]) -> QuoteKind {
        let (mut letters, mut inside) = (0usize, 0usize);
        for piece in pieces {
            let end = piece.end.min(chars.len());
            let start = piece.start.min(end);
            for (i, c) in chars[start..end].iter().enumerate() {
                if c.is_alphanumeric() {
                    letters += 1;
                    inside += usize::from(quoted.get(start + i).copied().unwrap_or(false));
                }
            }
        }
        if letters > 0 && inside == letters {
            QuoteKind::Direct
        } else if inside > 0 {
            QuoteKind::Mixed
        } else {
            QuoteKind::Indirect
        }
    }
}

impl fmt::Display for QuoteKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// One reported speech act: its content, kind, cue, the mention that names its speaker in the
/// text, and the speaker that mention resolves to.
///
/// The content is one or more fragments: PARC 3.0, PolNeAR and Citron store `“A,” he said,
/// “B.”` as one quote whose content is "A," and "B.". `span` always runs from the first
/// fragment's start to the last fragment's end; `fragments` lists the pieces when there are two
/// or more (sorted and disjoint) and is empty for a quote in one piece, whose content
/// is `span` itself. [`Quote::pieces`] gives the content either way.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Quote {
    pub span: Span,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub fragments: Vec<Span>,
    pub kind: QuoteKind,
    pub cue: Option<Span>,
    pub speaker_mention: Option<Span>,
    /// Canonical name of the resolved speaker: the `name` of an entry of [`Document::speakers`].
    pub speaker: Option<String>,
    /// The other speakers of a joint source ("Clinton and Trump said"; guidelines version 3):
    /// canonical names, each an entry of [`Document::speakers`]. A predicted speaker that is any
    /// one of `speaker` and these is right.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub joint_speakers: Vec<String>,
}

impl Quote {
    /// The content's pieces, in text order (one piece: `span`).
    pub fn pieces(&self) -> &[Span] {
        if self.fragments.is_empty() {
            std::slice::from_ref(&self.span)
        } else {
            &self.fragments
        }
    }

    /// Sets the content from pieces in any order: empty pieces dropped, overlapping ones merged
    /// (touching ones are kept apart, as an annotator wrote them), `span` the hull; one piece left means no `fragments`. No piece at all leaves
    /// the quote unchanged.
    pub fn set_pieces(&mut self, pieces: &[Span]) {
        let pieces = normalize_pieces(pieces);
        let (Some(first), Some(last)) = (pieces.first(), pieces.last()) else {
            return;
        };
        self.span = Span::new(first.start, last.end);
        self.fragments = if pieces.len() > 1 { pieces } else { Vec::new() };
    }

    /// Characters of content (the fragments' lengths summed).
    pub fn content_len(&self) -> usize {
        self.pieces().iter().map(Span::len).sum()
    }

    /// Characters of content the two quotes share.
    pub fn shared_chars(&self, other: &Quote) -> usize {
        pieces_overlap(self.pieces(), other.pieces())
    }

    /// Every speaker the quote names: `speaker`, then the other speakers of a joint source.
    pub fn speaker_names(&self) -> impl Iterator<Item = &str> {
        self.speaker
            .iter()
            .chain(self.joint_speakers.iter())
            .map(String::as_str)
    }

    /// Whether a char index lies in the content (not just between its fragments).
    pub fn covers(&self, char_index: usize) -> bool {
        self.pieces()
            .iter()
            .any(|p| p.start <= char_index && char_index < p.end)
    }
}

/// Pieces sorted, empty ones dropped, overlapping ones merged.
pub fn normalize_pieces(pieces: &[Span]) -> Vec<Span> {
    let mut sorted: Vec<Span> = pieces.iter().copied().filter(|p| !p.is_empty()).collect();
    sorted.sort();
    let mut out: Vec<Span> = Vec::with_capacity(sorted.len());
    for p in sorted {
        match out.last_mut() {
            Some(last) if p.start < last.end => last.end = last.end.max(p.end),
            _ => out.push(p),
        }
    }
    out
}

/// Characters two sets of sorted, disjoint pieces share.
pub fn pieces_overlap(a: &[Span], b: &[Span]) -> usize {
    let mut total = 0;
    for x in a {
        for y in b {
            total += x.overlap(y);
        }
    }
    total
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "UPPERCASE")]
pub enum SpeakerType {
    Person,
    Org,
    Other,
}

impl SpeakerType {
    pub fn as_str(&self) -> &'static str {
        match self {
            SpeakerType::Person => "PERSON",
            SpeakerType::Org => "ORG",
            SpeakerType::Other => "OTHER",
        }
    }
}

/// A distinct speaker of an article.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Speaker {
    /// The most complete proper name the article uses, or the description for an unnamed source.
    pub name: String,
    #[serde(rename = "type")]
    pub speaker_type: SpeakerType,
    #[serde(default)]
    pub aliases: Vec<String>,
    /// False for a source the article never names ("an official").
    #[serde(default = "yes")]
    pub named: bool,
}

fn yes() -> bool {
    true
}

/// A distinct place an article mentions.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Place {
    pub name: String,
    #[serde(default)]
    pub aliases: Vec<String>,
}

/// Anything with a canonical name and aliases: speakers and places are scored as sets of these.
pub trait NamedEntity {
    fn name(&self) -> &str;
    fn aliases(&self) -> &[String];
    fn names(&self) -> Box<dyn Iterator<Item = &str> + '_> {
        Box::new(std::iter::once(self.name()).chain(self.aliases().iter().map(String::as_str)))
    }
    /// Whether the entity is a description the article never names ("an official"); such an
    /// entity also matches another description of the same head noun (`align::align_sets`).
    fn is_description(&self) -> bool {
        false
    }
}

impl NamedEntity for Speaker {
    fn name(&self) -> &str {
        &self.name
    }
    fn aliases(&self) -> &[String] {
        &self.aliases
    }
    fn is_description(&self) -> bool {
        !self.named
    }
}

impl NamedEntity for Place {
    fn name(&self) -> &str {
        &self.name
    }
    fn aliases(&self) -> &[String] {
        &self.aliases
    }
}

/// Whether a person has checked an annotation.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "lowercase")]
pub enum Status {
    #[default]
    Reviewed,
    Draft,
}

/// A kind of item an annotation can cover. Gold that covers only some layers (PolNeAR has quotes
/// but no entity mentions) is scored on those layers only.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Layer {
    Mentions,
    Quotes,
    Speakers,
    Places,
}

impl Layer {
    pub const ALL: [Layer; 4] = [
        Layer::Mentions,
        Layer::Quotes,
        Layer::Speakers,
        Layer::Places,
    ];

    /// The name annotation files use in `"layers"`.
    pub fn name(&self) -> &'static str {
        match self {
            Layer::Mentions => "mentions",
            Layer::Quotes => "quotes",
            Layer::Speakers => "speakers",
            Layer::Places => "places",
        }
    }
}

/// One article with one annotator's (or one system's) annotation of it.
#[derive(Debug, Clone, PartialEq)]
pub struct Document {
    pub article: Arc<Article>,
    pub status: Status,
    /// Who or what produced the annotation ("annotator-a", "model minilm-ner").
    pub source: String,
    pub notes: Vec<String>,
    /// The layers this annotation covers; the rest are not annotated (as opposed to empty).
    pub layers: Vec<Layer>,
    /// Sorted by span.
    pub mentions: Vec<Mention>,
    /// Sorted by span.
    pub quotes: Vec<Quote>,
    pub speakers: Vec<Speaker>,
    pub places: Vec<Place>,
    /// How the items a prediction gave by text alone were placed in the article (items given
    /// by offsets have no record): what the report shows beside each.
    pub anchoring: Vec<AnchorRecord>,
    /// Items a prediction gave by text that could not be placed in the article at all: each
    /// is a false positive of its layer, listed as "not in the article" with the text written.
    pub unanchored: Vec<Unanchored>,
}

/// How an item given by text was found in the article.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", tag = "how")]
pub enum Anchoring {
    /// The text as written.
    Exact,
    /// After quotation marks, apostrophes, dashes and whitespace were normalised.
    Normalised,
    /// The most similar stretch of the article, at `score` (1.0 identical) at or above the
    /// documented threshold.
    Approximate { score: f64 },
}

impl Anchoring {
    /// The less sure of two placements (of a quote's pieces): approximate below normalised
    /// below exact, the lower score between two approximate ones.
    pub fn least_sure(self, other: Anchoring) -> Anchoring {
        use Anchoring::*;
        match (self, other) {
            (Approximate { score: a }, Approximate { score: b }) => Approximate { score: a.min(b) },
            (a @ Approximate { .. }, _) | (_, a @ Approximate { .. }) => a,
            (Normalised, _) | (_, Normalised) => Normalised,
            _ => Exact,
        }
    }
}

impl fmt::Display for Anchoring {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Anchoring::Exact => f.write_str("exact"),
            Anchoring::Normalised => f.write_str("normalised"),
            Anchoring::Approximate { score } => write!(f, "approximate {score:.2}"),
        }
    }
}

/// Where one item given by text landed.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AnchorRecord {
    pub layer: Layer,
    /// The item's span (a quote's first to last character).
    pub span: Span,
    pub anchoring: Anchoring,
}

/// An item given by text that does not occur in the article.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Unanchored {
    pub layer: Layer,
    /// The entity type or quote kind it was given.
    pub label: String,
    /// What the system wrote.
    pub text: String,
}

impl Document {
    /// An empty annotation of an article.
    pub fn empty(article: Arc<Article>, source: impl Into<String>) -> Self {
        Document {
            article,
            status: Status::Draft,
            source: source.into(),
            notes: Vec::new(),
            layers: Layer::ALL.to_vec(),
            mentions: Vec::new(),
            quotes: Vec::new(),
            speakers: Vec::new(),
            places: Vec::new(),
            anchoring: Vec::new(),
            unanchored: Vec::new(),
        }
    }

    /// How the item of `layer` at `span` was anchored, when it was given by text.
    pub fn anchoring_of(&self, layer: Layer, span: Span) -> Option<Anchoring> {
        self.anchoring
            .iter()
            .find(|r| r.layer == layer && r.span == span)
            .map(|r| r.anchoring)
    }

    pub fn id(&self) -> &str {
        &self.article.id
    }

    pub fn text_of(&self, span: Span) -> &str {
        self.article.slice(span)
    }

    /// Puts mentions and quotes in article order; writers and scorers rely on it.
    pub fn sort(&mut self) {
        self.mentions.sort_by_key(|m| (m.span, m.entity_type));
        self.quotes
            .sort_by(|a, b| a.span.cmp(&b.span).then_with(|| a.pieces().cmp(b.pieces())));
    }

    pub fn covers(&self, layer: Layer) -> bool {
        self.layers.contains(&layer)
    }

    pub fn speaker(&self, name: &str) -> Option<&Speaker> {
        self.speakers.iter().find(|s| s.name == name)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn char_spans_over_multibyte_text() {
        let a = Article::new("t", "“Yes,” he said — Kyiv’s “no”.");
        let occ = a.occurrences("“");
        assert_eq!(occ, vec![Span::new(0, 1), Span::new(24, 25)]);
        assert_eq!(a.slice(Span::new(1, 4)), "Yes");
        assert_eq!(a.occurrences("Kyiv"), vec![Span::new(17, 21)]);
        assert_eq!(a.slice(Span::new(15, 16)), "—");
        assert_eq!(a.char_of_byte(a.byte_of_char(17)), Some(17));
        // A byte inside the three-byte “ is not a char boundary.
        assert_eq!(a.char_of_byte(1), None);
        assert_eq!(a.get(Span::new(3, 99)), None);
    }

    #[test]
    fn occurrences_count_overlapping_matches() {
        let a = Article::new("t", "aaa");
        assert_eq!(a.occurrences("aa").len(), 2);
        assert!(a.occurrences("").is_empty());
    }

    #[test]
    fn span_overlap() {
        let s = Span::new(2, 6);
        assert_eq!(s.overlap(&Span::new(4, 10)), 2);
        assert_eq!(s.overlap(&Span::new(6, 10)), 0);
        assert!(s.contains(&Span::new(2, 6)));
    }

    #[test]
    fn quote_pieces_and_shared_chars() {
        let mut q = Quote {
            span: Span::new(0, 0),
            fragments: Vec::new(),
            kind: QuoteKind::Direct,
            cue: None,
            speaker_mention: None,
            speaker: None,
            joint_speakers: Vec::new(),
        };
        q.set_pieces(&[
            Span::new(20, 30),
            Span::new(0, 5),
            Span::new(4, 8),
            Span::new(9, 9),
            Span::new(30, 31),
        ]);
        assert_eq!(q.span, Span::new(0, 31));
        assert_eq!(
            q.pieces(),
            &[Span::new(0, 8), Span::new(20, 30), Span::new(30, 31)]
        );
        assert_eq!(q.content_len(), 19);
        assert!(q.covers(21) && !q.covers(10));
        let mut whole = q.clone();
        whole.set_pieces(&[Span::new(0, 31)]);
        assert!(whole.fragments.is_empty());
        // Only the characters of the fragments count, not the gap between them.
        assert_eq!(q.shared_chars(&whole), 19);
        assert_eq!(whole.shared_chars(&q), 19);
    }

    #[test]
    fn parc_kind_from_the_quotation_marks() {
        use crate::text::quoted_chars;
        let text = "He said the plan was “a disaster” and “A,” he said, “B.” Then: no.";
        let chars: Vec<char> = text.chars().collect();
        let quoted = quoted_chars(&chars);
        let a = Article::new("t", text);
        let at = |s: &str| a.occurrences(s)[0];
        let kind = |pieces: &[Span]| QuoteKind::of_content(&chars, &quoted, pieces);
        assert_eq!(kind(&[at("the plan was “a disaster”")]), QuoteKind::Mixed);
        assert_eq!(kind(&[at("a disaster")]), QuoteKind::Direct);
        assert_eq!(kind(&[at("“a disaster”")]), QuoteKind::Direct);
        assert_eq!(kind(&[at("A,"), at("B.")]), QuoteKind::Direct);
        assert_eq!(kind(&[at("the plan was")]), QuoteKind::Indirect);
        assert_eq!(kind(&[at("Then: no")]), QuoteKind::Indirect);
        assert_eq!(kind(&[at("”")]), QuoteKind::Indirect);
    }

    #[test]
    fn context_marks_the_span_on_one_line() {
        let a = Article::new("t", "First line.\nPutin said “no”.");
        let span = a.occurrences("no")[0];
        assert_eq!(a.context(span, 6), "…said “[[no]]”.");
        assert_eq!(a.line_of(span.start), 2);
    }
}
