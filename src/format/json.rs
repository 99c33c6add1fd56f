//! The annotation file: one human-editable JSON file per article (schema
//! `quoteval-annotation/2`), items anchored by their text and, when the text repeats, by which
//! occurrence. Offsets are derived on load and checked; nobody types them.
//!
//! Version 2 adds quotes in several fragments (`"fragments": [anchor, …]` in place of `text`)
//! and the kind `mixed`. Version-1 files (one piece per quote, direct or indirect) are a subset
//! and keep loading as they are; every file the tool writes is version 2.
//!
//! Gold files and prediction files are the same format, so a prediction is a draft gold file.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use serde::{Deserialize, Serialize};

use super::json_lines::value_lines;
use super::labels::LabelSet;
use super::{write_atomically, Problem, WriteError};
use crate::annotation::{
    AnchorRecord, Article, Document, Layer, Mention, Place, Quote, QuoteKind, Span, Speaker,
    Status, Unanchored,
};
use crate::text::anchor::Anchorer;
use crate::text::quoted_chars;

pub const SCHEMA: &str = "quoteval-annotation/2";

/// The earlier schema, still read: no fragments, no mixed kind.
pub const SCHEMA_V1: &str = "quoteval-annotation/1";

/// Where an item sits in the article, in one of two ways:
/// - by its text and which occurrence of that text (1-based, counting every case-sensitive match
///   in the whole article, overlapping ones included), as people write it; `start` is then the
///   char offset written by the tool as a check, which a hand-edited file leaves out;
/// - by char offsets `start` and `end` (half-open, Unicode scalar values into the verbatim
///   article), as programs write it; `text`, when also given, must be what the offsets cover.
///
/// A prediction may also give an anchor as a bare string, its text (`"cue": "said"`,
/// `"fragments": ["A,", "B."]`), as language models write it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Anchor {
    pub text: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub occurrence: Option<usize>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub start: Option<usize>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub end: Option<usize>,
}

/// An anchor's fields, as an object.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct AnchorFields {
    #[serde(default)]
    text: String,
    #[serde(default)]
    occurrence: Option<usize>,
    #[serde(default)]
    start: Option<usize>,
    #[serde(default)]
    end: Option<usize>,
}

impl<'de> Deserialize<'de> for Anchor {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Anchor, D::Error> {
        struct Visit;
        impl<'de> serde::de::Visitor<'de> for Visit {
            type Value = Anchor;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str(
                    "an anchor: its text, or {\"text\", \"occurrence\", \"start\", \"end\"}",
                )
            }
            fn visit_str<E: serde::de::Error>(self, text: &str) -> Result<Anchor, E> {
                Ok(Anchor {
                    text: text.to_string(),
                    occurrence: None,
                    start: None,
                    end: None,
                })
            }
            fn visit_map<M: serde::de::MapAccess<'de>>(self, map: M) -> Result<Anchor, M::Error> {
                let f =
                    AnchorFields::deserialize(serde::de::value::MapAccessDeserializer::new(map))?;
                Ok(Anchor {
                    text: f.text,
                    occurrence: f.occurrence,
                    start: f.start,
                    end: f.end,
                })
            }
        }
        d.deserialize_any(Visit)
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MentionItem {
    /// The entity type: `PERSON`, `PLACE` or `ORG` in gold; in predictions, a label of the
    /// model entry's label set (`labels = "ontonotes"` reads `GPE` as a place).
    #[serde(rename = "type")]
    pub entity_type: String,
    #[serde(default)]
    pub text: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub occurrence: Option<usize>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub start: Option<usize>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub end: Option<usize>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct QuoteItem {
    /// Required in gold; a prediction may leave it out, and it is then PARC's reading of the
    /// content's quotation marks ([`QuoteKind::of_content`]).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub kind: Option<QuoteKind>,
    /// The content of a quote in one piece; empty when `fragments` gives the pieces.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub text: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub occurrence: Option<usize>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub start: Option<usize>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub end: Option<usize>,
    /// The content of a quote in two or more pieces, in text order (`text` is then absent).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub fragments: Vec<Anchor>,
    #[serde(default)]
    pub cue: Option<Anchor>,
    #[serde(default)]
    pub speaker_mention: Option<Anchor>,
    #[serde(default)]
    pub speaker: Option<String>,
    /// The other speakers of a joint source (canonical names), beside `speaker`.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub joint_speakers: Vec<String>,
}

/// How a file's items are read: gold must place every item exactly; a prediction may give
/// items by text alone.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Reading {
    Gold,
    Prediction,
}

/// PARC's kind of a quote as a system wrote it (for one that could not be placed): direct when
/// the text is all inside quotation marks, mixed when some is, else indirect.
fn kind_of_written(text: &str) -> QuoteKind {
    let chars: Vec<char> = text.chars().collect();
    let quoted = quoted_chars(&chars);
    QuoteKind::of_content(&chars, &quoted, &[Span::new(0, chars.len())])
}

/// The file as written on disk.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AnnotationFile {
    pub schema: String,
    pub article: String,
    #[serde(default)]
    pub status: Status,
    #[serde(default)]
    pub source: String,
    #[serde(default)]
    pub notes: Vec<String>,
    /// The layers the file annotates; absent means all four.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub layers: Option<Vec<Layer>>,
    #[serde(default)]
    pub mentions: Vec<MentionItem>,
    #[serde(default)]
    pub quotes: Vec<QuoteItem>,
    #[serde(default)]
    pub speakers: Vec<Speaker>,
    #[serde(default)]
    pub places: Vec<Place>,
}

impl AnnotationFile {
    /// Parses a file's text; a syntax or schema error comes back as one problem with its line.
    pub fn parse(json: &str, file: &Path) -> Result<AnnotationFile, Problem> {
        let parsed: AnnotationFile = serde_json::from_str(json).map_err(|e| Problem {
            file: file.to_path_buf(),
            line: Some(e.line()),
            item: String::new(),
            message: e.to_string(),
        })?;
        let lines = || value_lines(json);
        if parsed.schema != SCHEMA && parsed.schema != SCHEMA_V1 {
            return Err(Problem {
                file: file.to_path_buf(),
                line: lines().get("schema").copied(),
                item: "schema".into(),
                message: format!(
                    "unsupported schema {:?}; this version reads {SCHEMA:?} and {SCHEMA_V1:?}",
                    parsed.schema
                ),
            });
        }
        check_layer_keys(&parsed, json, file)?;
        for (i, q) in parsed.quotes.iter().enumerate() {
            let item = format!("quotes[{i}]");
            let bad = |message: String| Problem {
                file: file.to_path_buf(),
                line: lines().get(&item).copied(),
                item: item.clone(),
                message,
            };
            if parsed.schema == SCHEMA_V1
                && (!q.fragments.is_empty() || q.kind == Some(QuoteKind::Mixed))
            {
                return Err(bad(format!(
                    "\"fragments\" and kind \"mixed\" need schema {SCHEMA:?}"
                )));
            }
            let one_piece = !q.text.is_empty() || q.end.is_some();
            match (!one_piece, q.fragments.len()) {
                (false, 0) => {}
                (true, n) if n >= 2 => {}
                (false, _) => {
                    return Err(bad("give either \"text\" or \"fragments\", not both".into()))
                }
                (true, 1) => {
                    return Err(bad(
                        "one fragment is a quote in one piece: write it as \"text\"".into(),
                    ))
                }
                (true, _) => {
                    return Err(bad(
                        "a quote needs \"text\", \"start\" and \"end\", or \"fragments\"".into(),
                    ))
                }
            }
            if !q.fragments.is_empty()
                && (q.occurrence.is_some() || q.start.is_some() || q.end.is_some())
            {
                return Err(bad(
                    "\"occurrence\", \"start\" and \"end\" belong inside each fragment".into(),
                ));
            }
        }
        Ok(parsed)
    }

    /// Whether every anchor records its `start` (so `gold refresh` can follow an edit).
    pub fn all_anchors_have_start(&self) -> bool {
        self.mentions.iter().all(|m| m.start.is_some())
            && self.quotes.iter().all(|q| {
                // A quote in fragments records `start` in each fragment instead.
                let content = if q.fragments.is_empty() {
                    q.start.is_some()
                } else {
                    q.fragments.iter().all(|f| f.start.is_some())
                };
                content
                    && [&q.cue, &q.speaker_mention]
                        .iter()
                        .all(|a| a.as_ref().map_or(true, |a| a.start.is_some()))
            })
    }

    /// Resolves every anchor against the article, with entity types in our own label set.
    /// Collects all problems rather than stopping at the first, so that one `gold check` run
    /// lists everything to fix.
    pub fn resolve(
        &self,
        article: Arc<Article>,
        file: &Path,
        json: &str,
    ) -> Result<Document, Vec<Problem>> {
        self.resolve_labels(article, file, json, LabelSet::Quoteval)
    }

    /// [`AnnotationFile::resolve`] with entity types read in `labels` (a prediction file of a
    /// model whose entry names its label set); a label the set maps to none of our types is
    /// left out.
    pub fn resolve_labels(
        &self,
        article: Arc<Article>,
        file: &Path,
        json: &str,
        labels: LabelSet,
    ) -> Result<Document, Vec<Problem>> {
        self.resolve_as(article, file, json, labels, Reading::Gold)
    }

    /// Resolves every anchor, as gold (every item placed exactly, or a problem) or as a
    /// prediction (items given by text alone placed by [`crate::text::anchor`], in document
    /// order per layer, and those that cannot be placed kept as [`Unanchored`]).
    pub fn resolve_as(
        &self,
        article: Arc<Article>,
        file: &Path,
        json: &str,
        labels: LabelSet,
        reading: Reading,
    ) -> Result<Document, Vec<Problem>> {
        let lines = value_lines(json);
        let mut problems = Vec::new();
        let mut problem = |item: String, message: String| {
            problems.push(Problem {
                file: file.to_path_buf(),
                line: lines.get(&item).copied(),
                item,
                message,
            });
        };
        if self.article != article.id {
            problem(
                "article".into(),
                format!(
                    "names article {:?} but the file is for {:?}",
                    self.article, article.id
                ),
            );
        }

        let mut doc = Document::empty(article.clone(), self.source.clone());
        doc.status = self.status;
        doc.notes = self.notes.clone();
        doc.layers = self.layers.clone().unwrap_or_else(|| Layer::ALL.to_vec());
        doc.speakers = self.speakers.clone();
        doc.places = self.places.clone();

        let predicted = reading == Reading::Prediction;
        let anchorer = predicted.then(|| Anchorer::new(&article));
        // Given by text alone: a prediction's item with no offset and no occurrence.
        let by_text = |occurrence: Option<usize>, start: Option<usize>, end: Option<usize>| {
            predicted && occurrence.is_none() && start.is_none() && end.is_none()
        };
        let (mut cursor, mut taken) = (0usize, Vec::new());
        for (i, m) in self.mentions.iter().enumerate() {
            let item = format!("mentions[{i}]");
            let entity_type = match labels.map(&m.entity_type) {
                Ok(t) => t,
                Err(e) => {
                    problem(format!("{item}.type"), e.to_string());
                    continue;
                }
            };
            let Some(entity_type) = entity_type else {
                continue;
            };
            if let (Some(anchorer), true) = (&anchorer, by_text(m.occurrence, m.start, m.end)) {
                match anchorer.place(&m.text, cursor, &taken) {
                    Some((span, anchoring)) => {
                        doc.mentions.push(Mention { span, entity_type });
                        doc.anchoring.push(AnchorRecord {
                            layer: Layer::Mentions,
                            span,
                            anchoring,
                        });
                        taken.push(span);
                        cursor = span.end;
                    }
                    None => doc.unanchored.push(Unanchored {
                        layer: Layer::Mentions,
                        label: entity_type.to_string(),
                        text: m.text.clone(),
                    }),
                }
                continue;
            }
            match locate(&article, &m.text, m.occurrence, m.start, m.end) {
                Ok(span) => doc.mentions.push(Mention { span, entity_type }),
                Err(e) => problem(item, e.to_string()),
            }
        }
        let chars: Vec<char> = article.text().chars().collect();
        let quoted = quoted_chars(&chars);
        let (mut quote_cursor, mut quote_taken) = (0usize, Vec::<Span>::new());
        for (i, q) in self.quotes.iter().enumerate() {
            let item = format!("quotes[{i}]");
            if q.kind.is_none() && !predicted {
                problem(
                    item.clone(),
                    "needs \"kind\": direct, indirect or mixed".into(),
                );
            }
            let mut pieces = Vec::new();
            let whole = Anchor {
                text: q.text.clone(),
                occurrence: q.occurrence,
                start: q.start,
                end: q.end,
            };
            let anchor_texts: Vec<&Anchor> = if q.fragments.is_empty() {
                vec![&whole]
            } else {
                q.fragments.iter().collect()
            };
            let textual = anchorer.as_ref().filter(|_| {
                anchor_texts
                    .iter()
                    .all(|a| by_text(a.occurrence, a.start, a.end))
            });
            if let Some(anchorer) = textual {
                let texts: Vec<&str> = anchor_texts.iter().map(|a| a.text.as_str()).collect();
                let placed = anchorer.place_pieces(&texts, quote_cursor, &quote_taken);
                let Some((placed_pieces, anchoring)) = placed else {
                    doc.unanchored.push(Unanchored {
                        layer: Layer::Quotes,
                        label: q
                            .kind
                            .unwrap_or_else(|| kind_of_written(&texts.join(" ")))
                            .to_string(),
                        text: texts.join(" … "),
                    });
                    continue;
                };
                pieces = placed_pieces;
                quote_cursor = pieces[0].end;
                quote_taken.extend(pieces.iter().copied());
                doc.anchoring.push(AnchorRecord {
                    layer: Layer::Quotes,
                    span: Span::new(pieces[0].start, pieces[pieces.len() - 1].end),
                    anchoring,
                });
            } else if q.fragments.is_empty() {
                match locate(&article, &q.text, q.occurrence, q.start, q.end) {
                    Ok(span) => pieces.push(span),
                    Err(e) => problem(item.clone(), e.to_string()),
                }
            } else {
                for (j, f) in q.fragments.iter().enumerate() {
                    match locate(&article, &f.text, f.occurrence, f.start, f.end) {
                        Ok(span) => {
                            if pieces.last().is_some_and(|p: &Span| p.end > span.start) {
                                problem(
                                    format!("{item}.fragments[{j}]"),
                                    format!(
                                        "fragment {:?} must start after the previous one ends \
                                         (fragments in text order, not overlapping)",
                                        f.text
                                    ),
                                );
                            }
                            pieces.push(span);
                        }
                        Err(e) => problem(format!("{item}.fragments[{j}]"), e.to_string()),
                    }
                }
                if pieces.len() != q.fragments.len() {
                    pieces.clear();
                }
            }
            let (Some(first), Some(last)) = (pieces.first().copied(), pieces.last().copied())
            else {
                continue;
            };
            let span = Span::new(first.start, last.end);
            let mut part = |name: &str, anchor: &Option<Anchor>| -> Option<Span> {
                let anchor = anchor.as_ref()?;
                if let (Some(anchorer), true) = (
                    &anchorer,
                    by_text(anchor.occurrence, anchor.start, anchor.end),
                ) {
                    // A cue or source given by text: its occurrence nearest to the quote
                    // ("…,” he said" and "He said “…”" both), outside the content.
                    return anchorer.place_near(&anchor.text, span, &pieces);
                }
                match locate(
                    &article,
                    &anchor.text,
                    anchor.occurrence,
                    anchor.start,
                    anchor.end,
                ) {
                    Ok(span) => Some(span),
                    Err(message) => {
                        problem(format!("{item}.{name}"), message.to_string());
                        None
                    }
                }
            };
            let cue = part("cue", &q.cue);
            let speaker_mention = part("speaker_mention", &q.speaker_mention);
            let kind = q
                .kind
                .unwrap_or_else(|| QuoteKind::of_content(&chars, &quoted, &pieces));
            doc.quotes.push(Quote {
                span,
                fragments: if pieces.len() > 1 { pieces } else { Vec::new() },
                kind,
                cue,
                speaker_mention,
                speaker: q.speaker.clone(),
                joint_speakers: q.joint_speakers.clone(),
            });
        }
        doc.sort();
        if problems.is_empty() {
            Ok(doc)
        } else {
            Err(problems)
        }
    }

    /// The file for a document: anchors computed from spans, `start` written as a check.
    pub fn from_document(doc: &Document) -> AnnotationFile {
        let article = &doc.article;
        let anchor = |span: Span| -> (String, Option<usize>, Option<usize>) {
            let text = article.slice(span).to_string();
            let all = article.occurrences(&text);
            let occurrence = if all.len() > 1 {
                all.iter().position(|s| *s == span).map(|i| i + 1)
            } else {
                None
            };
            (text, occurrence, Some(span.start))
        };
        let mentions = doc
            .mentions
            .iter()
            .map(|m| {
                let (text, occurrence, start) = anchor(m.span);
                MentionItem {
                    entity_type: m.entity_type.as_str().to_string(),
                    text,
                    occurrence,
                    start,
                    end: None,
                }
            })
            .collect();
        let quotes = doc
            .quotes
            .iter()
            .map(|q| {
                let (text, occurrence, start) = if q.fragments.is_empty() {
                    anchor(q.span)
                } else {
                    (String::new(), None, None)
                };
                let fragments = q
                    .fragments
                    .iter()
                    .map(|&f| {
                        let (text, occurrence, start) = anchor(f);
                        Anchor {
                            text,
                            occurrence,
                            start,
                            end: None,
                        }
                    })
                    .collect();
                let part = |span: Option<Span>| {
                    span.map(|s| {
                        let (text, occurrence, start) = anchor(s);
                        Anchor {
                            text,
                            occurrence,
                            start,
                            end: None,
                        }
                    })
                };
                QuoteItem {
                    kind: Some(q.kind),
                    text,
                    occurrence,
                    start,
                    end: None,
                    fragments,
                    cue: part(q.cue),
                    speaker_mention: part(q.speaker_mention),
                    speaker: q.speaker.clone(),
                    joint_speakers: q.joint_speakers.clone(),
                }
            })
            .collect();
        AnnotationFile {
            schema: SCHEMA.to_string(),
            article: article.id.clone(),
            status: doc.status,
            source: doc.source.clone(),
            notes: doc.notes.clone(),
            layers: if doc.layers == Layer::ALL {
                None
            } else {
                Some(doc.layers.clone())
            },
            mentions,
            quotes,
            speakers: doc.speakers.clone(),
            places: doc.places.clone(),
        }
    }

    pub fn to_json(&self) -> String {
        // Serialising plain data into a String cannot fail.
        let mut s = serde_json::to_string_pretty(self).unwrap_or_default();
        s.push('\n');
        s
    }
}

/// A layer the file covers must be written out, even when empty: a file without `"mentions"`
/// would otherwise read as an article without mentions, and be scored so.
fn check_layer_keys(parsed: &AnnotationFile, json: &str, file: &Path) -> Result<(), Problem> {
    let Ok(serde_json::Value::Object(keys)) = serde_json::from_str::<serde_json::Value>(json)
    else {
        return Ok(());
    };
    let covered = parsed.layers.clone().unwrap_or_else(|| Layer::ALL.to_vec());
    let missing: Vec<String> = covered
        .iter()
        .map(|l| {
            serde_json::to_value(l)
                .ok()
                .and_then(|v| v.as_str().map(String::from))
        })
        .filter_map(|name| name.filter(|n| !keys.contains_key(n)))
        .collect();
    if missing.is_empty() {
        return Ok(());
    }
    Err(Problem {
        file: file.to_path_buf(),
        line: None,
        item: missing[0].clone(),
        message: format!(
            "missing {}: write an empty list when the article has none, or leave the layer out of \"layers\"",
            missing
                .iter()
                .map(|m| format!("\"{m}\""))
                .collect::<Vec<_>>()
                .join(", ")
        ),
    })
}

/// Why an anchor does not denote a span of the article.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum AnchorError {
    #[error("empty \"text\"")]
    EmptyText,
    #[error("text {0:?} does not occur in the article")]
    NotFound(String),
    #[error("text {text:?} occurs {count} times (lines {lines}); add \"occurrence\": 1..{count}")]
    Ambiguous {
        text: String,
        count: usize,
        lines: String,
    },
    #[error("occurrence {occurrence} of {text:?} does not exist; it occurs {count} time(s)")]
    NoSuchOccurrence {
        text: String,
        occurrence: usize,
        count: usize,
    },
    #[error(
        "{text:?} is recorded at char {recorded} but its occurrence is at {found}: the article \
         changed (run `quoteval gold refresh`) or the occurrence was edited (delete \"start\")"
    )]
    Moved {
        text: String,
        recorded: usize,
        found: usize,
    },
    #[error("\"end\" needs \"start\"")]
    EndWithoutStart,
    #[error("give \"occurrence\" or \"start\"/\"end\", not both")]
    OccurrenceAndOffsets,
    #[error("empty or reversed span {start}..{end}")]
    EmptySpan { start: usize, end: usize },
    #[error("span {start}..{end} is outside the article ({len} chars)")]
    Outside {
        start: usize,
        end: usize,
        len: usize,
    },
    #[error("\"text\" is {text:?} but chars {start}..{end} are {covered:?}")]
    TextDiffers {
        text: String,
        start: usize,
        end: usize,
        covered: String,
    },
}

/// Finds the span an anchor denotes, or says exactly why it cannot.
pub fn locate(
    article: &Article,
    text: &str,
    occurrence: Option<usize>,
    start: Option<usize>,
    end: Option<usize>,
) -> Result<Span, AnchorError> {
    if let Some(end) = end {
        return locate_offsets(article, text, occurrence, start, end);
    }
    if text.is_empty() {
        return Err(AnchorError::EmptyText);
    }
    let all = article.occurrences(text);
    let span = match (all.len(), occurrence) {
        (0, _) => return Err(AnchorError::NotFound(text.to_string())),
        (1, None) => all[0],
        (n, None) => {
            return Err(AnchorError::Ambiguous {
                text: text.to_string(),
                count: n,
                lines: lines_of(article, &all),
            })
        }
        (n, Some(k)) if k == 0 || k > n => {
            return Err(AnchorError::NoSuchOccurrence {
                text: text.to_string(),
                occurrence: k,
                count: n,
            })
        }
        (_, Some(k)) => all[k - 1],
    };
    if let Some(start) = start {
        if start != span.start {
            return Err(AnchorError::Moved {
                text: text.to_string(),
                recorded: start,
                found: span.start,
            });
        }
    }
    Ok(span)
}

/// An item given by char offsets: inside the article, not empty, and covering `text` when the
/// file gives it too.
fn locate_offsets(
    article: &Article,
    text: &str,
    occurrence: Option<usize>,
    start: Option<usize>,
    end: usize,
) -> Result<Span, AnchorError> {
    let Some(start) = start else {
        return Err(AnchorError::EndWithoutStart);
    };
    if occurrence.is_some() {
        return Err(AnchorError::OccurrenceAndOffsets);
    }
    if start >= end {
        return Err(AnchorError::EmptySpan { start, end });
    }
    let span = Span::new(start, end);
    let Some(covered) = article.get(span) else {
        return Err(AnchorError::Outside {
            start,
            end,
            len: article.char_len(),
        });
    };
    if !text.is_empty() && covered != text {
        return Err(AnchorError::TextDiffers {
            text: text.to_string(),
            start,
            end,
            covered: covered.to_string(),
        });
    }
    Ok(span)
}

fn lines_of(article: &Article, spans: &[Span]) -> String {
    let lines: Vec<String> = spans
        .iter()
        .take(12)
        .map(|s| article.line_of(s.start).to_string())
        .collect();
    let more = if spans.len() > 12 { ", …" } else { "" };
    format!("{}{more}", lines.join(", "))
}

/// Reads and resolves one annotation file against its article.
pub fn read_document(file: &Path, article: Arc<Article>) -> Result<Document, Vec<Problem>> {
    read_document_labels(file, article, LabelSet::Quoteval)
}

/// [`read_document`] with entity types read in `labels`.
pub fn read_document_labels(
    file: &Path,
    article: Arc<Article>,
    labels: LabelSet,
) -> Result<Document, Vec<Problem>> {
    read_document_as(file, article, labels, Reading::Gold)
}

/// [`read_document_labels`] as gold or as a prediction ([`Reading`]).
pub fn read_document_as(
    file: &Path,
    article: Arc<Article>,
    labels: LabelSet,
    reading: Reading,
) -> Result<Document, Vec<Problem>> {
    let json = std::fs::read_to_string(file).map_err(|e| vec![Problem::io(file, &e)])?;
    let parsed = AnnotationFile::parse(&json, file).map_err(|p| vec![p])?;
    parsed.resolve_as(article, file, &json, labels, reading)
}

/// What a JSON Lines file of annotations holds.
#[derive(Debug, Default)]
pub struct JsonLines {
    pub docs: Vec<Document>,
    /// Articles named by a line but not known to the caller: not read.
    pub unknown_articles: Vec<String>,
}

/// Reads a JSON Lines file of annotations: one article per line, each line an annotation file
/// on one line (`"schema"` may be left out: it is the current one), so that a system writes
/// its predictions with one `json.dumps` per article. Blank lines are skipped; an article given
/// twice is an error. `article_of` finds the article a line names.
pub fn read_json_lines(
    file: &Path,
    article_of: &dyn Fn(&str) -> Option<Arc<Article>>,
    labels: LabelSet,
    reading: Reading,
) -> Result<JsonLines, Vec<Problem>> {
    let text = std::fs::read_to_string(file).map_err(|e| vec![Problem::io(file, &e)])?;
    let mut out = JsonLines::default();
    let mut problems = Vec::new();
    let mut seen: std::collections::BTreeMap<String, usize> = Default::default();
    for (i, line) in text.lines().enumerate() {
        let number = i + 1;
        if line.trim().is_empty() {
            continue;
        }
        let at_line = |mut p: Problem| {
            p.line = Some(number);
            p
        };
        let mut value: serde_json::Value = match serde_json::from_str(line) {
            Ok(v) => v,
            Err(e) => {
                problems.push(at_line(Problem::file(file, e.to_string())));
                continue;
            }
        };
        if let Some(object) = value.as_object_mut() {
            object
                .entry("schema")
                .or_insert_with(|| serde_json::Value::String(SCHEMA.into()));
        }
        let json = value.to_string();
        let parsed = match AnnotationFile::parse(&json, file) {
            Ok(p) => p,
            Err(p) => {
                problems.push(at_line(p));
                continue;
            }
        };
        if let Some(first) = seen.insert(parsed.article.clone(), number) {
            problems.push(at_line(Problem {
                file: file.to_path_buf(),
                line: None,
                item: "article".into(),
                message: format!(
                    "article {:?} is already given on line {first}",
                    parsed.article
                ),
            }));
            continue;
        }
        let Some(article) = article_of(&parsed.article) else {
            out.unknown_articles.push(parsed.article.clone());
            continue;
        };
        match parsed.resolve_as(article, file, &json, labels, reading) {
            Ok(doc) => out.docs.push(doc),
            Err(ps) => problems.extend(ps.into_iter().map(at_line)),
        }
    }
    if problems.is_empty() {
        Ok(out)
    } else {
        Err(problems)
    }
}

/// Writes a document as an annotation file, atomically; an existing file is kept unless
/// `overwrite` is set.
pub fn write_document(doc: &Document, file: &Path, overwrite: bool) -> Result<(), WriteError> {
    write_atomically(
        file,
        AnnotationFile::from_document(doc).to_json().as_bytes(),
        overwrite,
    )
}

/// The annotation file path for an article id inside a directory.
pub fn path_for(dir: &Path, article_id: &str) -> PathBuf {
    dir.join(format!("{article_id}.json"))
}

#[cfg(test)]
mod tests;
