//! Scores one annotator's documents against another's, article by article, and lists every item
//! with its outcome (for error lists and for `compare`).

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::align::{MentionOutcome, QuoteThreshold};
use crate::annotation::{Anchoring, Document, Layer, Mention, NamedEntity, Quote, Span};
use crate::score::{align_document, Counts, DocumentAlignment};

/// What happened to one gold or predicted item.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Outcome {
    Correct,
    /// Mentions: same span, other type.
    WrongType,
    /// Mentions: overlapping span (type right or wrong, see `detail`).
    Boundary,
    /// Quotes: found (overlap >= 0.3) with a wrong or missing speaker.
    WrongSpeaker,
    Missed,
    Spurious,
    /// A predicted item given by text that does not occur in the article: a false positive.
    NotInArticle,
}

impl Outcome {
    pub fn is_error(&self) -> bool {
        *self != Outcome::Correct
    }

    /// The JSON name (`wrong_type`), also used in error lists.
    pub fn as_str(&self) -> &'static str {
        match self {
            Outcome::Correct => "correct",
            Outcome::WrongType => "wrong_type",
            Outcome::Boundary => "boundary",
            Outcome::WrongSpeaker => "wrong_speaker",
            Outcome::Missed => "missed",
            Outcome::Spurious => "spurious",
            Outcome::NotInArticle => "not_in_article",
        }
    }

    /// The same in words, for tables ("wrong type").
    pub fn words(&self) -> &'static str {
        match self {
            Outcome::WrongType => "wrong type",
            Outcome::WrongSpeaker => "wrong speaker",
            Outcome::NotInArticle => "not in the article",
            other => other.as_str(),
        }
    }
}

/// What one item of a layer is called in lists: "mention", "quote", "speaker", "place".
pub fn item_noun(layer: Layer) -> &'static str {
    match layer {
        Layer::Mentions => "mention",
        Layer::Quotes => "quote",
        Layer::Speakers => "speaker",
        Layer::Places => "place",
    }
}

/// One item of the comparison. Spans, lines and context are of the gold item when there is one,
/// else of the predicted item.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Item {
    pub layer: Layer,
    pub outcome: Outcome,
    /// Entity type, quote kind, speaker or place.
    pub label: String,
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub gold: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub pred: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub span: Option<Span>,
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub line: Option<usize>,
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub context: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub detail: Option<String>,
    /// The gold item, located, for renderings that mark it in the text (the HTML report).
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub gold_side: Option<Side>,
    /// The predicted item, located.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub pred_side: Option<Side>,
    /// How the predicted item was placed in the article, when the prediction gave it by text.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub anchored: Option<Anchoring>,
}

impl Item {
    /// How the predicted side was placed, where a prediction gave it by text and it was not
    /// found as written ("placed by text: normalised"): what every rendering shows beside it.
    pub fn placement_note(&self) -> Option<String> {
        self.anchored
            .filter(|how| *how != Anchoring::Exact)
            .map(|how| format!("placed by text: {how}"))
    }
}

/// One side (gold or predicted) of an item with everything needed to draw it over the text.
/// `spans` is a list so that a quote of several fragments is still one item.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Side {
    pub spans: Vec<Span>,
    /// Entity type or quote kind.
    pub label: String,
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub speaker: Option<String>,
    #[serde(skip_serializing_if = "Vec::is_empty", default)]
    pub speaker_spans: Vec<Span>,
    #[serde(skip_serializing_if = "Vec::is_empty", default)]
    pub cue: Vec<Span>,
}

impl Side {
    pub fn mention(m: &Mention) -> Side {
        Side {
            spans: vec![m.span],
            label: m.entity_type.to_string(),
            speaker: None,
            speaker_spans: Vec::new(),
            cue: Vec::new(),
        }
    }

    pub fn quote(q: &Quote) -> Side {
        Side {
            spans: q.pieces().to_vec(),
            label: q.kind.to_string(),
            speaker: q.speaker.clone(),
            speaker_spans: q.speaker_mention.into_iter().collect(),
            cue: q.cue.into_iter().collect(),
        }
    }
}

/// One article's counts and items.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ArticleScore {
    pub id: String,
    pub counts: Counts,
    pub items: Vec<Item>,
}

/// Scores every gold article against its prediction (an empty one when the prediction is absent).
pub fn score_corpus(
    gold: &BTreeMap<String, Document>,
    pred: &BTreeMap<String, Document>,
) -> (Counts, Vec<ArticleScore>) {
    let mut total = Counts::default();
    let mut articles = Vec::new();
    for (id, g) in gold {
        let empty;
        let p = match pred.get(id) {
            Some(p) => p,
            None => {
                empty = Document::empty(g.article.clone(), "no prediction");
                &empty
            }
        };
        let aligned = align_document(g, p);
        let counts = aligned.counts();
        total += &counts;
        articles.push(ArticleScore {
            id: id.clone(),
            counts,
            items: items(&aligned),
        });
    }
    (total, articles)
}

const CONTEXT_CHARS: usize = 40;

/// Every gold and predicted item with its outcome, read off the article's one alignment:
/// mentions under the strict schema, quotes at overlap 0.3 (the headline threshold), speakers
/// and places as name sets.
pub fn items(aligned: &DocumentAlignment) -> Vec<Item> {
    let (gold, pred) = (aligned.gold, aligned.pred);
    let article = &gold.article;
    let located = |span: Span| {
        (
            Some(span),
            Some(article.line_of(span.start)),
            Some(article.context(span, CONTEXT_CHARS)),
        )
    };
    let mut out = Vec::new();

    if let Some(pairs) = &aligned.mentions {
        for pair in pairs {
            let Some(anchor) = pair.gold.as_ref().or(pair.pred.as_ref()) else {
                continue;
            };
            let (span, line, context) = located(anchor.span);
            let outcome = match pair.outcome {
                MentionOutcome::Exact => Outcome::Correct,
                MentionOutcome::WrongType => Outcome::WrongType,
                MentionOutcome::Boundary | MentionOutcome::BoundaryAndType => Outcome::Boundary,
                MentionOutcome::Missed => Outcome::Missed,
                MentionOutcome::Spurious => Outcome::Spurious,
            };
            let detail = match (&pair.gold, &pair.pred) {
                (Some(_), Some(p)) if outcome != Outcome::Correct => Some(format!(
                    "predicted {} {:?}",
                    p.entity_type,
                    article.slice(p.span)
                )),
                _ => None,
            };
            out.push(Item {
                layer: Layer::Mentions,
                outcome,
                label: anchor.entity_type.to_string(),
                gold: pair
                    .gold
                    .as_ref()
                    .map(|m| article.slice(m.span).to_string()),
                pred: pair
                    .pred
                    .as_ref()
                    .map(|m| article.slice(m.span).to_string()),
                span,
                line,
                context,
                detail,
                gold_side: pair.gold.as_ref().map(Side::mention),
                pred_side: pair.pred.as_ref().map(Side::mention),
                anchored: pair
                    .pred
                    .as_ref()
                    .and_then(|m| pred.anchoring_of(Layer::Mentions, m.span)),
            });
        }
    }

    if let Some(a) = aligned.quotes_at(QuoteThreshold::Overlap(0.3)) {
        let by_name = gold.covers(Layer::Speakers);
        for pair in &a.pairs {
            let (gq, pq) = (&gold.quotes[pair.gold], &pred.quotes[pair.pred]);
            let right = if by_name {
                pair.speaker_by_name
            } else {
                pair.speaker_by_mention
            };
            let (span, line, context) = located(gq.span);
            out.push(Item {
                layer: Layer::Quotes,
                outcome: if right.unwrap_or(true) {
                    Outcome::Correct
                } else {
                    Outcome::WrongSpeaker
                },
                label: gq.kind.to_string(),
                gold: Some(article.slice(gq.span).to_string()),
                pred: Some(article.slice(pq.span).to_string()),
                span,
                line,
                context,
                detail: Some(format!(
                    "overlap {:.2}; speaker {} / predicted {}",
                    pair.ratio,
                    gq.speaker.as_deref().unwrap_or("-"),
                    pq.speaker.as_deref().unwrap_or("-")
                )),
                gold_side: Some(Side::quote(gq)),
                pred_side: Some(Side::quote(pq)),
                anchored: pred.anchoring_of(Layer::Quotes, pq.span),
            });
        }
        for &g in &a.missed {
            let q = &gold.quotes[g];
            let (span, line, context) = located(q.span);
            out.push(Item {
                layer: Layer::Quotes,
                outcome: Outcome::Missed,
                label: q.kind.to_string(),
                gold: Some(article.slice(q.span).to_string()),
                pred: None,
                span,
                line,
                context,
                detail: q.speaker.as_ref().map(|s| format!("speaker {s}")),
                gold_side: Some(Side::quote(q)),
                pred_side: None,
                anchored: None,
            });
        }
        for &p in &a.spurious {
            let q = &pred.quotes[p];
            let (span, line, context) = located(q.span);
            out.push(Item {
                layer: Layer::Quotes,
                outcome: Outcome::Spurious,
                label: q.kind.to_string(),
                gold: None,
                pred: Some(article.slice(q.span).to_string()),
                span,
                line,
                context,
                detail: q.speaker.as_ref().map(|s| format!("predicted speaker {s}")),
                gold_side: None,
                pred_side: Some(Side::quote(q)),
                anchored: pred.anchoring_of(Layer::Quotes, q.span),
            });
        }
    }

    // What the prediction wrote that is nowhere in the article, in the layers scored.
    for u in &pred.unanchored {
        let scored = match u.layer {
            Layer::Mentions => aligned.mentions.is_some(),
            Layer::Quotes => aligned.quotes.is_some(),
            _ => false,
        };
        if scored {
            out.push(set_item(
                u.layer,
                &u.label,
                Outcome::NotInArticle,
                None,
                Some(u.text.clone()),
                Some("not in the article: counted as a false positive".into()),
            ));
        }
    }

    let sets = |out: &mut Vec<Item>,
                layer: Layer,
                label: &str,
                gold_names: Vec<(String, String)>,
                pred_names: Vec<String>,
                a: &crate::align::SetAlignment| {
        for (g, p) in &a.pairs {
            out.push(set_item(
                layer,
                label,
                Outcome::Correct,
                Some(gold_names[*g].0.clone()),
                Some(pred_names[*p].clone()),
                Some(gold_names[*g].1.clone()),
            ));
        }
        for g in &a.missed {
            out.push(set_item(
                layer,
                label,
                Outcome::Missed,
                Some(gold_names[*g].0.clone()),
                None,
                Some(gold_names[*g].1.clone()),
            ));
        }
        for p in &a.spurious {
            out.push(set_item(
                layer,
                label,
                Outcome::Spurious,
                None,
                Some(pred_names[*p].clone()),
                None,
            ));
        }
    };
    let names = |e: &dyn NamedEntity| {
        (
            e.name().to_string(),
            format!("aliases: {}", e.aliases().join(", ")),
        )
    };
    if let Some(a) = &aligned.speakers {
        let from = out.len();
        sets(
            &mut out,
            Layer::Speakers,
            "speaker",
            gold.speakers.iter().map(|s| names(s)).collect(),
            pred.speakers.iter().map(|s| s.name.clone()).collect(),
            a,
        );
        // Which attributions gave a wrong or missing speaker: a spurious speaker's quotes, a
        // missed one's gold attributions.
        for item in &mut out[from..] {
            let (doc, name) = match (item.outcome, &item.gold, &item.pred) {
                (Outcome::Missed, Some(g), _) => (gold, g.clone()),
                (Outcome::Spurious, _, Some(p)) => (pred, p.clone()),
                _ => continue,
            };
            let quotes: Vec<&Quote> = doc
                .quotes
                .iter()
                .filter(|q| q.speaker_names().any(|n| n == name))
                .collect();
            let Some(first) = quotes.first() else {
                continue;
            };
            let listed = attributions(article, &quotes);
            item.detail = Some(match item.detail.take() {
                Some(d) => format!("{d}; {listed}"),
                None => listed,
            });
            // The report marks the first attribution's source (or content) in the text.
            let anchor = first.speaker_mention.unwrap_or(first.span);
            (item.span, item.line, item.context) = located(anchor);
        }
    }
    if let Some(a) = &aligned.places {
        sets(
            &mut out,
            Layer::Places,
            "place",
            gold.places.iter().map(|s| names(s)).collect(),
            pred.places.iter().map(|s| s.name.clone()).collect(),
            a,
        );
    }
    out
}

/// The attributions of a speaker, as an error line lists them: "from: “he” (cue “said”, line
/// 12), …", the first three and a count of the rest.
fn attributions(article: &crate::annotation::Article, quotes: &[&Quote]) -> String {
    let mut parts: Vec<String> = quotes
        .iter()
        .take(3)
        .map(|q| {
            let mut p = match q.speaker_mention {
                Some(m) => format!("“{}”", article.slice(m)),
                None => "no source".to_string(),
            };
            if let Some(c) = q.cue {
                p.push_str(&format!(" cue “{}”", article.slice(c)));
            }
            format!("{p} (line {})", article.line_of(q.span.start))
        })
        .collect();
    if quotes.len() > 3 {
        parts.push(format!("{} more", quotes.len() - 3));
    }
    format!("from: {}", parts.join(", "))
}

fn set_item(
    layer: Layer,
    label: &str,
    outcome: Outcome,
    gold: Option<String>,
    pred: Option<String>,
    detail: Option<String>,
) -> Item {
    let detail = detail.filter(|d| d != "aliases: ");
    Item {
        layer,
        outcome,
        label: label.into(),
        gold,
        pred,
        span: None,
        line: None,
        context: None,
        detail,
        gold_side: None,
        pred_side: None,
        anchored: None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::annotation::{Article, QuoteKind, Speaker, SpeakerType};
    use std::sync::Arc;

    #[test]
    fn a_wrong_or_missing_speaker_lists_the_attributions_that_gave_it() {
        let text = "Jane Smith spoke.\n“We will win,” she said — “soon.”";
        let article = Arc::new(Article::new("t", text));
        let at = |s: &str| article.occurrences(s)[0];
        let quote = |speaker: &str| Quote {
            span: at("“We will win,”"),
            fragments: Vec::new(),
            kind: QuoteKind::Direct,
            cue: Some(at("said")),
            speaker_mention: Some(at("she")),
            speaker: Some(speaker.into()),
            joint_speakers: Vec::new(),
        };
        let speaker = |name: &str| Speaker {
            name: name.into(),
            speaker_type: SpeakerType::Person,
            aliases: Vec::new(),
            named: true,
        };
        let mut gold = Document::empty(article.clone(), "gold");
        gold.quotes = vec![quote("Jane Smith")];
        gold.speakers = vec![speaker("Jane Smith")];
        let mut pred = Document::empty(article.clone(), "pred");
        pred.quotes = vec![quote("Debates")];
        pred.speakers = vec![speaker("Debates")];
        let aligned = align_document(&gold, &pred);
        let errors: Vec<Item> = items(&aligned)
            .into_iter()
            .filter(|i| i.layer == Layer::Speakers)
            .collect();
        assert_eq!(errors.len(), 2, "{errors:?}");
        for e in &errors {
            let detail = e.detail.as_deref().unwrap_or_default();
            assert!(
                detail.contains("from: “she” cue “said” (line 2)"),
                "{detail}"
            );
            assert_eq!(e.span, Some(at("she")));
        }
    }
}
