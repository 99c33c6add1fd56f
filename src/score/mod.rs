//! Scoring: additive counts per article from the alignments of [`crate::align`], summed over the
//! corpus, and the metrics derived from them.
//!
//! - Entity mentions, per type, under the four SemEval-2013 schemas nervaluate uses: strict
//!   (exact span and type), exact (exact span), partial (overlap; partial matches count half),
//!   type (overlap and same type). A paired prediction is counted under the gold mention's type,
//!   a spurious one under its own type.
//! - Quotes at overlap thresholds 0.3 and 0.8 (shared content chars / gold content length,
//!   fragments counted by their characters only) and exact: P/R/F1 overall, per PARC kind
//!   (direct, indirect, mixed) and for quoted speech (direct and mixed together); Pareti-style
//!   partial P/R/F1 over the matched pairs ([`PartialCredit`]); speaker accuracy over matched
//!   quotes by resolved name and by mention overlap, overall and per kind; end-to-end P/R/F1
//!   where a true positive is a matched quote with the right speaker.
//! - Speakers and places per article as sets of names.
//!
//! A layer the gold does not cover (see [`Layer`]) is not scored for that article.

use std::collections::BTreeMap;
use std::ops::AddAssign;

use serde::{Deserialize, Serialize};

use crate::align::{
    align_mentions, align_quotes, align_quotes_where, align_sets, MentionOutcome, MentionPair,
    QuoteAlignment, QuoteThreshold, SetAlignment,
};
use crate::annotation::{Document, EntityType, Layer, Mention, QuoteKind, Speaker};

pub mod bootstrap;
pub mod catalogue;
pub mod conll;
pub mod counts;
pub mod nervaluate;
pub mod quote_counts;
pub mod spans;

pub use counts::{Accuracy, PartialCredit, Prf, SchemaCounts, Tally};
pub use quote_counts::{QuoteCounts, QuoteLevel, QuoteScope, ScopeCounts};
pub use spans::{SpanCounts, SpanMatch, SpanPart};

/// The four nervaluate schemas for one entity type.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct SchemaSet {
    pub strict: SchemaCounts,
    pub exact: SchemaCounts,
    pub partial: SchemaCounts,
    #[serde(rename = "type")]
    pub entity_type: SchemaCounts,
}

impl AddAssign for SchemaSet {
    fn add_assign(&mut self, o: SchemaSet) {
        self.strict += o.strict;
        self.exact += o.exact;
        self.partial += o.partial;
        self.entity_type += o.entity_type;
    }
}

#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct EntityCounts {
    /// Articles whose gold and prediction cover mentions.
    pub articles: u64,
    /// All types together, from the one alignment of each article: a mention of the wrong type
    /// is one incorrect mention.
    pub overall: SchemaSet,
    /// Each type on its own, as nervaluate and seqeval count it ([`nervaluate`]): a mention of
    /// the wrong type is a miss of the gold type and a spurious mention of the predicted one.
    pub by_type: BTreeMap<EntityType, SchemaSet>,
}

impl EntityCounts {
    /// Micro counts: all types together.
    pub fn micro(&self) -> SchemaSet {
        self.overall
    }
}

impl EntityCounts {
    /// The mean of one schema's precision, recall and F1 over the types present in the gold or
    /// the predictions (1.0 when none is): the macro average, defined here only.
    pub fn macro_prf(&self, schema: catalogue::Schema) -> Prf {
        let present: Vec<Prf> = self
            .by_type
            .values()
            .filter(|s| s.strict.possible() + s.strict.actual() > 0)
            .map(|s| schema.of(s).prf(schema.partial_credit()))
            .collect();
        if present.is_empty() {
            return Prf::new(1.0, 1.0);
        }
        let n = present.len() as f64;
        Prf {
            precision: present.iter().map(|p| p.precision).sum::<f64>() / n,
            recall: present.iter().map(|p| p.recall).sum::<f64>() / n,
            f1: present.iter().map(|p| p.f1).sum::<f64>() / n,
        }
    }
}

impl AddAssign<&EntityCounts> for EntityCounts {
    fn add_assign(&mut self, o: &EntityCounts) {
        self.articles += o.articles;
        self.overall += o.overall;
        for (t, s) in &o.by_type {
            *self.by_type.entry(*t).or_default() += *s;
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct SetCounts {
    pub articles: u64,
    #[serde(flatten)]
    pub tally: Tally,
}

impl AddAssign for SetCounts {
    fn add_assign(&mut self, o: SetCounts) {
        self.articles += o.articles;
        self.tally += o.tally;
    }
}

/// Everything counted for one article, or summed over many.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct Counts {
    pub entities: EntityCounts,
    pub quotes: QuoteCounts,
    /// Content, source and cue spans on their own, CofeNet's way ([`spans`]); counted where
    /// quotes are (absent from reports written before it existed).
    #[serde(default)]
    pub spans: SpanCounts,
    pub speakers: SetCounts,
    /// The named speakers alone (`Speaker::named` on both sides), matched as `speakers` are:
    /// what a system finds of the people and organisations the article names.
    #[serde(default)]
    pub speakers_named: SetCounts,
    pub places: SetCounts,
    /// Articles whose gold covers a layer that the prediction does not (a file whose `layers`
    /// leave it out): that layer is not scored there, rather than scored as all missed.
    #[serde(default, skip_serializing_if = "LayerArticles::is_zero")]
    pub not_predicted: LayerArticles,
}

/// A number of articles per layer.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct LayerArticles {
    #[serde(default)]
    pub mentions: u64,
    #[serde(default)]
    pub quotes: u64,
    #[serde(default)]
    pub speakers: u64,
    #[serde(default)]
    pub places: u64,
}

impl LayerArticles {
    pub fn get(&self, layer: Layer) -> u64 {
        match layer {
            Layer::Mentions => self.mentions,
            Layer::Quotes => self.quotes,
            Layer::Speakers => self.speakers,
            Layer::Places => self.places,
        }
    }

    fn get_mut(&mut self, layer: Layer) -> &mut u64 {
        match layer {
            Layer::Mentions => &mut self.mentions,
            Layer::Quotes => &mut self.quotes,
            Layer::Speakers => &mut self.speakers,
            Layer::Places => &mut self.places,
        }
    }

    pub fn is_zero(&self) -> bool {
        *self == LayerArticles::default()
    }
}

impl AddAssign for LayerArticles {
    fn add_assign(&mut self, o: LayerArticles) {
        for layer in Layer::ALL {
            *self.get_mut(layer) += o.get(layer);
        }
    }
}

impl Counts {
    /// Why `layer` has no scores when no article scored it: the words the reports print.
    pub fn unscored_reason(&self, layer: Layer) -> &'static str {
        if self.not_predicted.get(layer) > 0 {
            "not predicted"
        } else {
            "not annotated in the gold"
        }
    }

    /// Articles where both the gold and the prediction cover `layer` (the articles it is
    /// scored on).
    pub fn articles(&self, layer: Layer) -> u64 {
        match layer {
            Layer::Mentions => self.entities.articles,
            Layer::Quotes => self.quotes.articles,
            Layer::Speakers => self.speakers.articles,
            Layer::Places => self.places.articles,
        }
    }
}

impl AddAssign<&Counts> for Counts {
    fn add_assign(&mut self, o: &Counts) {
        self.entities += &o.entities;
        self.quotes += o.quotes;
        self.spans += o.spans;
        self.speakers += o.speakers;
        self.speakers_named += o.speakers_named;
        self.places += o.places;
        self.not_predicted += o.not_predicted;
    }
}

/// One article's prediction aligned with its gold, once: the counts ([`DocumentAlignment::counts`])
/// and the item list ([`crate::evaluate::items`]) are both read off it, so they cannot disagree.
/// A layer the gold does not cover has no alignment.
#[derive(Debug, Clone)]
pub struct DocumentAlignment<'a> {
    pub gold: &'a Document,
    pub pred: &'a Document,
    pub mentions: Option<Vec<MentionPair>>,
    /// One per [`QuoteThreshold::REPORTED`], in that order.
    pub quotes: Option<Vec<QuoteLevelAlignment>>,
    pub speakers: Option<SetAlignment>,
    pub places: Option<SetAlignment>,
}

/// The quote alignments at one threshold: all quotes, and each scope of
/// [`QuoteScope::PARTS`] (each kind, and quoted speech) on its own.
#[derive(Debug, Clone)]
pub struct QuoteLevelAlignment {
    pub threshold: QuoteThreshold,
    pub all: QuoteAlignment,
    pub by_kind: Vec<(QuoteScope, QuoteAlignment)>,
}

/// Aligns a prediction with the gold of the same article, layer by layer: a layer is aligned
/// where both the gold and the prediction cover it.
pub fn align_document<'a>(gold: &'a Document, pred: &'a Document) -> DocumentAlignment<'a> {
    let both = |layer| gold.covers(layer) && pred.covers(layer);
    DocumentAlignment {
        gold,
        pred,
        mentions: both(Layer::Mentions).then(|| align_mentions(&gold.mentions, &pred.mentions)),
        quotes: both(Layer::Quotes).then(|| {
            QuoteThreshold::REPORTED
                .iter()
                .map(|&threshold| QuoteLevelAlignment {
                    threshold,
                    all: align_quotes(gold, pred, threshold, None),
                    by_kind: QuoteScope::PARTS
                        .iter()
                        .map(|&scope| {
                            let a =
                                align_quotes_where(gold, pred, threshold, |k| scope.includes(k));
                            (scope, a)
                        })
                        .collect(),
                })
                .collect()
        }),
        speakers: both(Layer::Speakers).then(|| align_sets(&gold.speakers, &pred.speakers)),
        places: both(Layer::Places).then(|| align_sets(&gold.places, &pred.places)),
    }
}

impl DocumentAlignment<'_> {
    /// The quote alignment of all kinds at `threshold`, if the gold covers quotes.
    pub fn quotes_at(&self, threshold: QuoteThreshold) -> Option<&QuoteAlignment> {
        self.quotes
            .as_ref()?
            .iter()
            .find(|l| l.threshold == threshold)
            .map(|l| &l.all)
    }

    /// The additive counts of this article.
    pub fn counts(&self) -> Counts {
        let mut counts = Counts::default();
        if let Some(pairs) = &self.mentions {
            counts.entities = entity_counts(pairs, &self.gold.mentions, &self.pred.mentions);
        }
        if let Some(levels) = &self.quotes {
            counts.quotes.articles = 1;
            counts.spans = SpanCounts::of(self.gold, self.pred);
            let by_name = self.gold.covers(Layer::Speakers);
            for aligned in levels {
                if let Some(level) = counts.quotes.at_mut(aligned.threshold) {
                    *level = quote_level(self.gold, self.pred, aligned, by_name);
                }
            }
        }
        if let Some(a) = &self.speakers {
            counts.speakers = SetCounts {
                articles: 1,
                tally: tally(a.pairs.len(), a.spurious.len(), a.missed.len()),
            };
            let named = |s: &[Speaker]| s.iter().filter(|s| s.named).cloned().collect::<Vec<_>>();
            let n = align_sets(&named(&self.gold.speakers), &named(&self.pred.speakers));
            counts.speakers_named = SetCounts {
                articles: 1,
                tally: tally(n.pairs.len(), n.spurious.len(), n.missed.len()),
            };
        }
        if let Some(a) = &self.places {
            counts.places = SetCounts {
                articles: 1,
                tally: tally(a.pairs.len(), a.spurious.len(), a.missed.len()),
            };
        }
        // Items the prediction gave by text that are nowhere in the article: false positives
        // of their layer, never dropped.
        for u in &self.pred.unanchored {
            match u.layer {
                Layer::Mentions if self.mentions.is_some() => {
                    let spurious = |set: &mut SchemaSet| {
                        for c in [
                            &mut set.strict,
                            &mut set.exact,
                            &mut set.partial,
                            &mut set.entity_type,
                        ] {
                            c.spurious += 1;
                        }
                    };
                    spurious(&mut counts.entities.overall);
                    if let Some(t) = EntityType::parse(&u.label) {
                        spurious(counts.entities.by_type.entry(t).or_default());
                    }
                }
                Layer::Quotes if self.quotes.is_some() => {
                    let kind = QuoteKind::parse(&u.label).unwrap_or(QuoteKind::Indirect);
                    for threshold in QuoteThreshold::REPORTED {
                        if let Some(level) = counts.quotes.at_mut(threshold) {
                            unplaced_quote(level, kind);
                        }
                    }
                    // Its content is a span found nowhere: a false positive of both matchings.
                    counts.spans.content.exact.fp += 1;
                    counts.spans.content.begin.fp += 1;
                }
                _ => {}
            }
        }
        for layer in Layer::ALL {
            if self.gold.covers(layer) && !self.pred.covers(layer) {
                *counts.not_predicted.get_mut(layer) = 1;
            }
        }
        counts
    }

    /// Whether `layer` was scored for this article (the gold and the prediction both cover it).
    pub fn scored(&self, layer: Layer) -> bool {
        self.gold.covers(layer) && self.pred.covers(layer)
    }
}

/// Counts a prediction against the gold of the same article.
pub fn score_document(gold: &Document, pred: &Document) -> Counts {
    align_document(gold, pred).counts()
}

fn tally(tp: usize, fp: usize, fn_: usize) -> Tally {
    Tally {
        tp: tp as u64,
        fp: fp as u64,
        fn_: fn_ as u64,
    }
}

fn entity_counts(pairs: &[MentionPair], gold: &[Mention], pred: &[Mention]) -> EntityCounts {
    let mut counts = EntityCounts {
        articles: 1,
        overall: SchemaSet::default(),
        // Every type appears, so macro averages see types with no mentions in some articles.
        by_type: EntityType::ALL
            .iter()
            .map(|&t| (t, nervaluate::type_counts(gold, pred, t)))
            .collect(),
    };
    for pair in pairs {
        if pair.gold.is_none() && pair.pred.is_none() {
            continue;
        }
        let s = &mut counts.overall;
        use MentionOutcome::*;
        // (strict, exact, partial, type) outcome for each SemEval category.
        let cor = |c: &mut SchemaCounts| c.correct += 1;
        let inc = |c: &mut SchemaCounts| c.incorrect += 1;
        let par = |c: &mut SchemaCounts| c.partial += 1;
        match pair.outcome {
            Exact => {
                cor(&mut s.strict);
                cor(&mut s.exact);
                cor(&mut s.partial);
                cor(&mut s.entity_type);
            }
            WrongType => {
                inc(&mut s.strict);
                cor(&mut s.exact);
                cor(&mut s.partial);
                inc(&mut s.entity_type);
            }
            Boundary => {
                inc(&mut s.strict);
                inc(&mut s.exact);
                par(&mut s.partial);
                cor(&mut s.entity_type);
            }
            BoundaryAndType => {
                inc(&mut s.strict);
                inc(&mut s.exact);
                par(&mut s.partial);
                inc(&mut s.entity_type);
            }
            Missed => {
                for c in [
                    &mut s.strict,
                    &mut s.exact,
                    &mut s.partial,
                    &mut s.entity_type,
                ] {
                    c.missed += 1;
                }
            }
            Spurious => {
                for c in [
                    &mut s.strict,
                    &mut s.exact,
                    &mut s.partial,
                    &mut s.entity_type,
                ] {
                    c.spurious += 1;
                }
            }
        }
    }
    counts
}

fn alignment_tally(a: &QuoteAlignment) -> Tally {
    tally(a.pairs.len(), a.spurious.len(), a.missed.len())
}

/// A predicted quote that could not be placed: a false positive of every scope it belongs to,
/// end to end too.
fn unplaced_quote(level: &mut QuoteLevel, kind: QuoteKind) {
    level.end_to_end.fp += 1;
    for scope in QuoteScope::EVERY.iter().filter(|s| s.includes(kind)) {
        level.scope_mut(*scope).tally.fp += 1;
    }
}

/// The counts of one scope from its alignment.
fn scope_counts(a: &QuoteAlignment) -> ScopeCounts {
    let mut counts = ScopeCounts {
        tally: alignment_tally(a),
        ..ScopeCounts::default()
    };
    for pair in &a.pairs {
        if let Some(ok) = pair.speaker_by_name {
            counts.speaker_by_name.add(ok);
        }
        if let Some(ok) = pair.speaker_by_mention {
            counts.speaker_by_mention.add(ok);
        }
        counts.partial.add(pair.pred_ratio, pair.ratio);
    }
    counts
}

fn quote_level(
    gold: &Document,
    pred: &Document,
    aligned: &QuoteLevelAlignment,
    by_name: bool,
) -> QuoteLevel {
    let all = &aligned.all;
    let mut level = QuoteLevel::default();
    *level.scope_mut(QuoteScope::All) = scope_counts(all);
    for (scope, a) in &aligned.by_kind {
        *level.scope_mut(*scope) = scope_counts(a);
    }
    let right_speaker = all
        .pairs
        .iter()
        .filter(|pair| {
            if by_name {
                pair.speaker_by_name
            } else {
                pair.speaker_by_mention
            }
            .unwrap_or(false)
        })
        .count();
    level.end_to_end = tally(
        right_speaker,
        pred.quotes.len() - right_speaker,
        gold.quotes.len() - right_speaker,
    );
    level
}

/// Metrics derived from [`Counts`]; never stored without the counts they came from.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Metrics {
    /// Each layer is `null` where no article scored it (not annotated in the gold, or not
    /// predicted): a layer nobody looked at has no precision, rather than 0 or 1.
    pub entities: Option<EntityMetrics>,
    pub quotes: Option<BTreeMap<String, QuoteMetrics>>,
    /// `{exact,begin}.{content,source,cue}`: P/R/F1 of the attribution parts as spans.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub spans: Option<BTreeMap<String, BTreeMap<String, Prf>>>,
    pub speakers: Option<Prf>,
    /// The named speakers alone; absent from reports written before it existed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub speakers_named: Option<Prf>,
    pub places: Option<Prf>,
}

#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct SchemaMetrics {
    pub strict: Prf,
    pub exact: Prf,
    pub partial: Prf,
    #[serde(rename = "type")]
    pub entity_type: Prf,
}

impl SchemaMetrics {
    fn of(s: &SchemaSet) -> SchemaMetrics {
        SchemaMetrics {
            strict: s.strict.prf(false),
            exact: s.exact.prf(false),
            partial: s.partial.prf(true),
            entity_type: s.entity_type.prf(false),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct EntityMetrics {
    pub micro: SchemaMetrics,
    /// Mean over the types that occur in the gold or the predictions (1.0 when none does).
    #[serde(rename = "macro")]
    pub macro_: SchemaMetrics,
    pub by_type: BTreeMap<EntityType, SchemaMetrics>,
}

/// The metrics of one quote scope at one threshold (JSON: the P/R/F1 flattened in, beside the
/// scope's speaker accuracies and partial credit).
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct ScopeMetrics {
    #[serde(flatten)]
    pub prf: Prf,
    /// `null` when no matched quote had a gold speaker.
    pub speaker_by_name: Option<f64>,
    pub speaker_by_mention: Option<f64>,
    /// Pareti-style partial P/R/F1 ([`PartialCredit`]) over the scope's matched pairs.
    pub partial: Prf,
}

/// The metrics of one threshold: each scope's by name (`all`, `direct`, ...), and end to end.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct QuoteMetrics {
    #[serde(flatten)]
    pub scopes: BTreeMap<String, ScopeMetrics>,
    pub end_to_end: Prf,
}

impl QuoteMetrics {
    fn of(level: &QuoteLevel) -> QuoteMetrics {
        QuoteMetrics {
            scopes: QuoteScope::EVERY
                .iter()
                .map(|scope| {
                    let c = level.scope(*scope);
                    let metrics = ScopeMetrics {
                        prf: c.tally.prf(),
                        speaker_by_name: c.speaker_by_name.value(),
                        speaker_by_mention: c.speaker_by_mention.value(),
                        partial: c.partial.prf(&c.tally),
                    };
                    (scope.as_str().to_string(), metrics)
                })
                .collect(),
            end_to_end: level.end_to_end.prf(),
        }
    }

    /// The metrics of a scope (every scope is present in a report this version writes).
    pub fn scope(&self, scope: QuoteScope) -> Option<&ScopeMetrics> {
        self.scopes.get(scope.as_str())
    }
}

impl Metrics {
    pub fn of(c: &Counts) -> Metrics {
        let by_type: BTreeMap<EntityType, SchemaMetrics> = c
            .entities
            .by_type
            .iter()
            .map(|(t, s)| (*t, SchemaMetrics::of(s)))
            .collect();
        use catalogue::Schema;
        let macro_ = SchemaMetrics {
            strict: c.entities.macro_prf(Schema::Strict),
            exact: c.entities.macro_prf(Schema::Exact),
            partial: c.entities.macro_prf(Schema::Partial),
            entity_type: c.entities.macro_prf(Schema::Type),
        };
        let quotes = c
            .quotes
            .levels()
            .map(|(name, level)| (name, QuoteMetrics::of(level)))
            .collect();
        let scored = |layer: Layer| c.articles(layer) > 0;
        Metrics {
            entities: scored(Layer::Mentions).then(|| EntityMetrics {
                micro: SchemaMetrics::of(&c.entities.micro()),
                macro_,
                by_type,
            }),
            quotes: scored(Layer::Quotes).then_some(quotes),
            spans: (scored(Layer::Quotes) && c.spans.articles > 0).then(|| {
                SpanMatch::ALL
                    .iter()
                    .map(|m| {
                        let parts = SpanPart::ALL
                            .iter()
                            .map(|p| (p.as_str().to_string(), c.spans.tally(*p, *m).prf()))
                            .collect();
                        (m.as_str().to_string(), parts)
                    })
                    .collect()
            }),
            speakers: scored(Layer::Speakers).then(|| c.speakers.tally.prf()),
            speakers_named: scored(Layer::Speakers).then(|| c.speakers_named.tally.prf()),
            places: scored(Layer::Places).then(|| c.places.tally.prf()),
        }
    }
}

#[cfg(test)]
mod tests;
