//! The metric catalogue: every quantity a report carries, with one name, one definition and one
//! place.
//!
//! A [`Quantity`] is either a metric (precision, recall, F1, an accuracy) or a count (tp, missed,
//! gold, …). Each has a dotted name (`quotes.0.3.direct.f1`), a section, its CSV coordinates
//! (layer, variant, label, measure), a one-line definition, and a formula over [`Counts`].
//! Everything that shows or compares numbers reads them from here:
//!
//! - the report's terminal table, Markdown and CSV ([`crate::report`]) render [`tables`] and
//!   [`all`];
//! - `compare` computes deltas, bootstrap intervals and gates for every [`metrics`] entry;
//! - `compare --list-metrics` prints [`metrics`] with their definitions.
//!
//! Adding a metric means adding its count to [`Counts`] (additive, so the bootstrap and report
//! merging keep working) and one entry in [`build`]; the renderers, `compare` and the gates pick
//! it up from there.
//!
//! Formulas call the scorer's own [`Tally::prf`], [`SchemaCounts::prf`],
//! [`super::EntityCounts::macro_prf`] and [`Accuracy::value`], which [`crate::score::Metrics::of`] uses
//! too, so the JSON metrics and the catalogue cannot drift (a test checks every entry).

use std::collections::HashMap;
use std::fmt;
use std::sync::OnceLock;

use crate::annotation::{EntityType, Layer, QuoteKind};

use super::{Accuracy, Counts, Prf, QuoteLevel, QuoteScope, SchemaCounts, SchemaSet, Tally};
use super::{SpanMatch, SpanPart};
use crate::align::QuoteThreshold;

mod tables;
pub use tables::*;

/// Where a quantity is shown.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Section {
    Entities,
    Quotes,
    Sets,
}

impl Section {
    pub fn title(&self) -> &'static str {
        match self {
            Section::Entities => "Entity mentions",
            Section::Quotes => "Quotes",
            Section::Sets => "Speakers and places",
        }
    }
}

/// A metric (a rate in [0, 1], compared and gated) or a count (an integer, additive).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Metric,
    Count,
}

/// The four SemEval-2013 schemas nervaluate uses.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Schema {
    Strict,
    Exact,
    Partial,
    Type,
}

impl Schema {
    pub const ALL: [Schema; 4] = [Schema::Strict, Schema::Exact, Schema::Partial, Schema::Type];

    pub fn as_str(&self) -> &'static str {
        match self {
            Schema::Strict => "strict",
            Schema::Exact => "exact",
            Schema::Partial => "partial",
            Schema::Type => "type",
        }
    }

    pub fn of(&self, s: &SchemaSet) -> SchemaCounts {
        match self {
            Schema::Strict => s.strict,
            Schema::Exact => s.exact,
            Schema::Partial => s.partial,
            Schema::Type => s.entity_type,
        }
    }

    /// The partial schema gives a boundary match half credit (nervaluate's rule).
    pub fn partial_credit(&self) -> bool {
        *self == Schema::Partial
    }

    fn about(&self) -> &'static str {
        match self {
            Schema::Strict => "exact span and type",
            Schema::Exact => "exact span, any type",
            Schema::Partial => "overlapping span, any type; a boundary match counts half",
            Schema::Type => "overlapping span and the same type",
        }
    }
}

/// A quote matching level every report carries: a position in [`QuoteThreshold::REPORTED`]
/// (the one list of thresholds; the keys of `totals.metrics.quotes`, in report order).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Level(usize);

impl Level {
    /// Every reported level, in report order.
    pub fn all() -> impl Iterator<Item = Level> {
        (0..QuoteThreshold::REPORTED.len()).map(Level)
    }

    pub fn threshold(&self) -> QuoteThreshold {
        QuoteThreshold::REPORTED[self.0]
    }

    /// The key in metric names and reports: `0.3`, `0.8`, `exact`.
    pub fn as_str(&self) -> String {
        self.threshold().name()
    }

    /// The label of a table row.
    pub fn label(&self) -> String {
        match self.threshold() {
            QuoteThreshold::Overlap(t) => format!("overlap ≥ {t}"),
            QuoteThreshold::Exact => "exact".into(),
        }
    }

    pub fn of<'c>(&self, c: &'c Counts) -> &'c QuoteLevel {
        c.quotes.level(self.0)
    }

    fn about(&self) -> String {
        match self.threshold() {
            QuoteThreshold::Overlap(t) => format!(
                "a predicted quote finds a gold quote when they share more than {t} of the gold's content characters (fragments by their characters only; a Gender Gap Tracker threshold); gold quotes in text order each take the best unmatched prediction, one-to-one"
            ),
            QuoteThreshold::Exact => {
                "a predicted quote finds a gold quote with the identical fragments".into()
            }
        }
    }
}

/// Which tally of a quote level.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum QuotePart {
    All,
    Kind(QuoteKind),
    /// Direct and mixed quotes together.
    Quoted,
    EndToEnd,
}

impl QuotePart {
    fn of(&self, l: &QuoteLevel) -> Tally {
        match self {
            QuotePart::EndToEnd => l.end_to_end,
            part => l.tally(part.scope().unwrap_or(QuoteScope::All)),
        }
    }

    /// The quotes this part counts; `None` for end to end.
    fn scope(&self) -> Option<QuoteScope> {
        match self {
            QuotePart::All => Some(QuoteScope::All),
            QuotePart::Kind(k) => Some(QuoteScope::Kind(*k)),
            QuotePart::Quoted => Some(QuoteScope::Quoted),
            QuotePart::EndToEnd => None,
        }
    }
}

/// How a speaker is judged right.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum SpeakerBy {
    Name,
    Mention,
}

impl SpeakerBy {
    pub const ALL: [SpeakerBy; 2] = [SpeakerBy::Name, SpeakerBy::Mention];

    fn as_str(&self) -> &'static str {
        match self {
            SpeakerBy::Name => "speaker_by_name",
            SpeakerBy::Mention => "speaker_by_mention",
        }
    }
}

/// A field of a tally: the three counts, the two totals, or a rate.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum TallyField {
    Tp,
    Fp,
    Fn,
    Gold,
    Pred,
    Precision,
    Recall,
    F1,
}

impl TallyField {
    const COUNTS: [TallyField; 3] = [TallyField::Tp, TallyField::Fp, TallyField::Fn];
    const RATES: [TallyField; 3] = [TallyField::Precision, TallyField::Recall, TallyField::F1];

    fn as_str(&self) -> &'static str {
        match self {
            TallyField::Tp => "tp",
            TallyField::Fp => "fp",
            TallyField::Fn => "fn",
            TallyField::Gold => "gold",
            TallyField::Pred => "pred",
            TallyField::Precision => "precision",
            TallyField::Recall => "recall",
            TallyField::F1 => "f1",
        }
    }

    fn of(&self, t: &Tally) -> f64 {
        match self {
            TallyField::Tp => t.tp as f64,
            TallyField::Fp => t.fp as f64,
            TallyField::Fn => t.fn_ as f64,
            TallyField::Gold => (t.tp + t.fn_) as f64,
            TallyField::Pred => (t.tp + t.fp) as f64,
            rate => pick(&t.prf(), *rate),
        }
    }
}

fn pick(p: &Prf, f: TallyField) -> f64 {
    match f {
        TallyField::Precision => p.precision,
        TallyField::Recall => p.recall,
        _ => p.f1,
    }
}

/// A field of one schema's counts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum SchemaField {
    Correct,
    Incorrect,
    Partial,
    Missed,
    Spurious,
    /// correct + incorrect + partial + missed: the gold mentions.
    Possible,
    /// correct + incorrect + partial + spurious: the predicted mentions.
    Actual,
    Rate(TallyField),
}

impl SchemaField {
    const COUNTS: [SchemaField; 5] = [
        SchemaField::Correct,
        SchemaField::Incorrect,
        SchemaField::Partial,
        SchemaField::Missed,
        SchemaField::Spurious,
    ];

    fn as_str(&self) -> &'static str {
        match self {
            SchemaField::Correct => "correct",
            SchemaField::Incorrect => "incorrect",
            SchemaField::Partial => "partial",
            SchemaField::Missed => "missed",
            SchemaField::Spurious => "spurious",
            SchemaField::Possible => "gold",
            SchemaField::Actual => "pred",
            SchemaField::Rate(r) => r.as_str(),
        }
    }

    fn of(&self, c: &SchemaCounts, schema: Schema) -> f64 {
        match self {
            SchemaField::Correct => c.correct as f64,
            SchemaField::Incorrect => c.incorrect as f64,
            SchemaField::Partial => c.partial as f64,
            SchemaField::Missed => c.missed as f64,
            SchemaField::Spurious => c.spurious as f64,
            SchemaField::Possible => c.possible() as f64,
            SchemaField::Actual => c.actual() as f64,
            SchemaField::Rate(r) => pick(&c.prf(schema.partial_credit()), *r),
        }
    }
}

/// Whose entity counts: every type summed (micro) or one type.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Scope {
    Micro,
    Type(EntityType),
}

/// How a quantity is computed from [`Counts`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
enum Source {
    /// Articles whose gold covers the layer.
    Articles(Layer),
    Schema {
        scope: Scope,
        schema: Schema,
        field: SchemaField,
    },
    /// The mean over the entity types present in the gold or the predictions.
    Macro {
        schema: Schema,
        rate: TallyField,
    },
    Quote {
        level: Level,
        part: QuotePart,
        field: TallyField,
    },
    Speaker {
        level: Level,
        scope: QuoteScope,
        by: SpeakerBy,
        field: AccuracyField,
    },
    /// Pareti-style partial precision, recall or F1 of the pairs matched at a level.
    Partial {
        level: Level,
        scope: QuoteScope,
        rate: TallyField,
    },
    Set {
        set: SetKind,
        field: TallyField,
    },
    /// An attribution part as spans on their own (`score::spans`, CofeNet's evaluation).
    Span {
        matching: SpanMatch,
        part: SpanPart,
        field: TallyField,
    },
}

/// The article-level sets of names a report counts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
enum SetKind {
    Speakers,
    /// The named speakers alone.
    NamedSpeakers,
    Places,
}

impl SetKind {
    fn layer(self) -> Layer {
        match self {
            SetKind::Speakers | SetKind::NamedSpeakers => Layer::Speakers,
            SetKind::Places => Layer::Places,
        }
    }

    fn of(self, c: &Counts) -> &super::SetCounts {
        match self {
            SetKind::Speakers => &c.speakers,
            SetKind::NamedSpeakers => &c.speakers_named,
            SetKind::Places => &c.places,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
enum AccuracyField {
    Correct,
    Total,
    Value,
}

impl AccuracyField {
    fn as_str(&self) -> &'static str {
        match self {
            AccuracyField::Correct => "correct",
            AccuracyField::Total => "total",
            AccuracyField::Value => "accuracy",
        }
    }
}

fn covers(c: &Counts, layer: Layer) -> bool {
    c.articles(layer) > 0
}

impl Source {
    fn layer(&self) -> Layer {
        match self {
            Source::Articles(l) => *l,
            Source::Schema { .. } | Source::Macro { .. } => Layer::Mentions,
            Source::Quote { .. }
            | Source::Speaker { .. }
            | Source::Partial { .. }
            | Source::Span { .. } => Layer::Quotes,
            Source::Set { set, .. } => set.layer(),
        }
    }

    /// Whether the counts scored what this quantity is computed from: its layer in some
    /// article, and for the span counts, a report recent enough to have them.
    fn covered(&self, c: &Counts) -> bool {
        match self {
            Source::Articles(_) => true,
            Source::Span { .. } => covers(c, Layer::Quotes) && c.spans.articles > 0,
            _ => covers(c, self.layer()),
        }
    }

    fn value(&self, c: &Counts) -> Option<f64> {
        if let Source::Articles(l) = self {
            return Some(c.articles(*l) as f64);
        }
        if !self.covered(c) {
            return None;
        }
        Some(match *self {
            Source::Articles(_) => unreachable!("handled above"),
            Source::Schema {
                scope,
                schema,
                field,
            } => {
                let set = match scope {
                    Scope::Micro => c.entities.micro(),
                    Scope::Type(t) => c.entities.by_type.get(&t).copied().unwrap_or_default(),
                };
                field.of(&schema.of(&set), schema)
            }
            Source::Macro { schema, rate } => pick(&c.entities.macro_prf(schema), rate),
            Source::Quote { level, part, field } => field.of(&part.of(level.of(c))),
            Source::Partial { level, scope, rate } => {
                let l = level.of(c);
                pick(&l.partial_in(scope).prf(&l.tally(scope)), rate)
            }
            Source::Speaker {
                level,
                scope,
                by,
                field,
            } => {
                let a: Accuracy = level.of(c).speaker_in(scope, by);
                match field {
                    AccuracyField::Correct => a.correct as f64,
                    AccuracyField::Total => a.total as f64,
                    AccuracyField::Value => a.value()?,
                }
            }
            Source::Set { set, field } => field.of(&set.of(c).tally),
            Source::Span {
                matching,
                part,
                field,
            } => field.of(&c.spans.tally(part, matching)),
        })
    }
}

/// One entry of the catalogue.
#[derive(Debug, Clone)]
pub struct Quantity {
    /// The dotted name `compare`, gates and `--list-metrics` use.
    pub name: String,
    pub section: Section,
    pub kind: Kind,
    /// Shown first by `compare` and in its Markdown summary.
    pub headline: bool,
    /// CSV coordinates.
    pub layer: Layer,
    pub variant: String,
    pub label: String,
    pub measure: String,
    /// What it means, in one line.
    pub about: String,
    source: Source,
}

impl Quantity {
    /// The value over summed counts; `None` where the gold covers the layer in no article, or
    /// for an accuracy over nothing.
    pub fn value(&self, c: &Counts) -> Option<f64> {
        self.source.value(c)
    }

    /// The value as a report prints it: counts as integers, rates with `decimals`, nothing as
    /// `none`.
    pub fn format(&self, c: &Counts, decimals: usize, none: &str) -> String {
        match (self.value(c), self.kind) {
            (None, _) => none.to_string(),
            (Some(v), Kind::Count) => format!("{}", v as u64),
            (Some(v), Kind::Metric) => format!("{v:.decimals$}"),
        }
    }

    /// The CSV's layer column.
    pub fn csv_layer(&self) -> &'static str {
        match self.layer {
            Layer::Mentions => "entities",
            Layer::Quotes => "quotes",
            Layer::Speakers => "speakers",
            Layer::Places => "places",
        }
    }

    /// True where this quantity has a value at all for counts covering its layer (the CSV
    /// leaves out layers no article covers).
    pub fn layer_covered(&self, c: &Counts) -> bool {
        self.source.covered(c)
    }
}

impl fmt::Display for Quantity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.name)
    }
}

struct Catalogue {
    all: Vec<Quantity>,
    by_name: HashMap<String, usize>,
}

fn catalogue() -> &'static Catalogue {
    static CATALOGUE: OnceLock<Catalogue> = OnceLock::new();
    CATALOGUE.get_or_init(|| {
        let all = build();
        let by_name = all
            .iter()
            .enumerate()
            .map(|(i, q)| (q.name.clone(), i))
            .collect();
        Catalogue { all, by_name }
    })
}

/// Every quantity, in display order.
pub fn all() -> &'static [Quantity] {
    &catalogue().all
}

/// The metrics (compared, gated), in display order.
pub fn metrics() -> impl Iterator<Item = &'static Quantity> {
    all().iter().filter(|q| q.kind == Kind::Metric)
}

/// A quantity by its exact name.
pub fn get(name: &str) -> Option<&'static Quantity> {
    let c = catalogue();
    c.by_name.get(name).map(|&i| &c.all[i])
}

/// A metric by the name a user typed: case-insensitive, and `entities.micro.…` means
/// `entities.…`.
pub fn resolve_metric(name: &str) -> Option<&'static Quantity> {
    let lower = name.trim().to_lowercase();
    let lower = match lower.strip_prefix("entities.micro.") {
        Some(rest) => format!("entities.{rest}"),
        None => lower,
    };
    get(&lower).filter(|q| q.kind == Kind::Metric)
}

/// The headline metrics, shown first by `compare`.
const HEADLINE: [&str; 9] = [
    "entities.strict.f1",
    "entities.macro.strict.f1",
    "quotes.0.3.f1",
    "quotes.0.8.f1",
    "quotes.0.3.speaker_by_name",
    "quotes.0.3.end_to_end.f1",
    "quotes.0.8.end_to_end.f1",
    "speakers.f1",
    "places.f1",
];

fn rate_about(field: TallyField) -> &'static str {
    match field {
        TallyField::Precision => "precision",
        TallyField::Recall => "recall",
        _ => "F1",
    }
}

/// Builds the catalogue. The order is the display order of `compare` and the CSV.
fn build() -> Vec<Quantity> {
    let mut out: Vec<Quantity> = Vec::new();
    #[allow(clippy::too_many_arguments)]
    let mut push = |name: String,
                    section: Section,
                    kind: Kind,
                    layer: Layer,
                    coords: [&str; 3],
                    about: String,
                    source: Source| {
        out.push(Quantity {
            headline: HEADLINE.contains(&name.as_str()),
            name,
            section,
            kind,
            layer,
            variant: coords[0].to_string(),
            label: coords[1].to_string(),
            measure: coords[2].to_string(),
            about,
            source,
        });
    };

    // Entity mentions: micro (no scope in the name), macro, then each type.
    push(
        "entities.articles".into(),
        Section::Entities,
        Kind::Count,
        Layer::Mentions,
        ["articles", "all", "articles"],
        "articles whose gold covers entity mentions".into(),
        Source::Articles(Layer::Mentions),
    );
    let mut scopes: Vec<(String, String, Scope)> =
        vec![(String::new(), "micro".into(), Scope::Micro)];
    scopes.extend(EntityType::ALL.iter().map(|t| {
        (
            format!("{}.", t.as_str().to_lowercase()),
            t.as_str().to_string(),
            Scope::Type(*t),
        )
    }));
    for (prefix, label, scope) in &scopes {
        let whose = match scope {
            Scope::Micro => "all types summed (micro)".to_string(),
            Scope::Type(t) => format!("{t} mentions (a paired prediction counts under the gold type, a spurious one under its own)"),
        };
        for (field, about) in [
            (SchemaField::Possible, "gold mentions"),
            (SchemaField::Actual, "predicted mentions"),
        ] {
            push(
                format!("entities.{prefix}{}", field.as_str()),
                Section::Entities,
                Kind::Count,
                Layer::Mentions,
                ["all", label, field.as_str()],
                format!("{about}, {whose}"),
                Source::Schema {
                    scope: *scope,
                    schema: Schema::Strict,
                    field,
                },
            );
        }
        for schema in Schema::ALL {
            for field in SchemaField::COUNTS {
                push(
                    format!("entities.{prefix}{}.{}", schema.as_str(), field.as_str()),
                    Section::Entities,
                    Kind::Count,
                    Layer::Mentions,
                    [schema.as_str(), label, field.as_str()],
                    format!(
                        "{} count under the {} schema ({}), {whose}",
                        field.as_str(),
                        schema.as_str(),
                        schema.about()
                    ),
                    Source::Schema {
                        scope: *scope,
                        schema,
                        field,
                    },
                );
            }
        }
        for schema in Schema::ALL {
            for rate in TallyField::RATES {
                push(
                    format!("entities.{prefix}{}.{}", schema.as_str(), rate.as_str()),
                    Section::Entities,
                    Kind::Metric,
                    Layer::Mentions,
                    [schema.as_str(), label, rate.as_str()],
                    format!(
                        "{} of entity mentions, {} schema ({}), {whose}; nervaluate / SemEval-2013",
                        rate_about(rate),
                        schema.as_str(),
                        schema.about()
                    ),
                    Source::Schema {
                        scope: *scope,
                        schema,
                        field: SchemaField::Rate(rate),
                    },
                );
            }
        }
        if *scope == Scope::Micro {
            for schema in Schema::ALL {
                for rate in TallyField::RATES {
                    push(
                        format!("entities.macro.{}.{}", schema.as_str(), rate.as_str()),
                        Section::Entities,
                        Kind::Metric,
                        Layer::Mentions,
                        [schema.as_str(), "macro", rate.as_str()],
                        format!(
                            "{} of entity mentions, {} schema, the mean over the types present in the gold or the predictions (1.0 when none is)",
                            rate_about(rate),
                            schema.as_str()
                        ),
                        Source::Macro { schema, rate },
                    );
                }
            }
        }
    }

    // Quotes.
    push(
        "quotes.articles".into(),
        Section::Quotes,
        Kind::Count,
        Layer::Quotes,
        ["articles", "all", "articles"],
        "articles whose gold covers quotes".into(),
        Source::Articles(Layer::Quotes),
    );
    for level in Level::all() {
        let l = level.as_str();
        let l = l.as_str();
        let mut parts: Vec<(String, String, QuotePart, String)> =
            vec![("".into(), "all".into(), QuotePart::All, "quotes".into())];
        parts.extend(QuoteKind::ALL.iter().map(|k| {
            (
                format!("{k}."),
                k.to_string(),
                QuotePart::Kind(*k),
                format!(
                    "{k} quotes (PARC 3.0: {}), matched only with predictions of the same kind",
                    match k {
                        QuoteKind::Direct => "every letter of the content inside quotation marks",
                        QuoteKind::Indirect => "no letter inside quotation marks",
                        QuoteKind::Mixed => "some letters inside quotation marks, some outside",
                    }
                ),
            )
        }));
        parts.push((
            "quoted.".into(),
            "quoted".into(),
            QuotePart::Quoted,
            "quoted speech (direct and mixed quotes together), matched with predictions of either kind, as polnear_quotes_score.py --parc-kind quoted counts it".into(),
        ));
        parts.push((
            "end_to_end.".into(),
            "end_to_end".into(),
            QuotePart::EndToEnd,
            "quotes end to end: a true positive is a matched quote whose speaker is right (by name where the gold covers speakers, else by mention)".into(),
        ));
        for (prefix, label, part, whose) in &parts {
            for field in [TallyField::Gold, TallyField::Pred]
                .into_iter()
                .chain(TallyField::COUNTS)
            {
                push(
                    format!("quotes.{l}.{prefix}{}", field.as_str()),
                    Section::Quotes,
                    Kind::Count,
                    Layer::Quotes,
                    [l, label, field.as_str()],
                    format!("{} of {whose}; {}", field.as_str(), level.about()),
                    Source::Quote {
                        level,
                        part: *part,
                        field,
                    },
                );
            }
            for field in TallyField::RATES {
                push(
                    format!("quotes.{l}.{prefix}{}", field.as_str()),
                    Section::Quotes,
                    Kind::Metric,
                    Layer::Quotes,
                    [l, label, field.as_str()],
                    format!("{} of {whose}; {}", rate_about(field), level.about()),
                    Source::Quote {
                        level,
                        part: *part,
                        field,
                    },
                );
            }
            let Some(scope) = part.scope() else {
                continue;
            };
            // Pareti-style partial scores (QSample; Pareti's PARC papers): credit for the
            // characters a matched prediction gets right, not all-or-nothing.
            let partial_label = match scope {
                QuoteScope::All => "partial".to_string(),
                s => format!("{}_partial", s.as_str()),
            };
            for rate in TallyField::RATES {
                push(
                    format!("quotes.{l}.{prefix}partial.{}", rate.as_str()),
                    Section::Quotes,
                    Kind::Metric,
                    Layer::Quotes,
                    [l, &partial_label, rate.as_str()],
                    format!(
                        "Pareti-style partial {} of {whose}: over the pairs matched at this level, precision credit = shared characters / predicted length, recall credit = shared characters / gold length, summed and divided by the predicted (precision) or gold (recall) quotes (Pareti 2016; QSample); {}",
                        rate_about(rate),
                        level.about()
                    ),
                    Source::Partial { level, scope, rate },
                );
            }
            for by in SpeakerBy::ALL {
                let judged = match by {
                    SpeakerBy::Name => {
                        "the resolved speaker's name matches the gold speaker or an alias"
                    }
                    SpeakerBy::Mention => "the speaker mention overlaps the gold speaker mention",
                };
                // CSV label: `speaker_by_name`, `direct_speaker_by_name`, …
                let csv_label = match scope {
                    QuoteScope::All => by.as_str().to_string(),
                    s => format!("{}_{}", s.as_str(), by.as_str()),
                };
                for field in [
                    AccuracyField::Correct,
                    AccuracyField::Total,
                    AccuracyField::Value,
                ] {
                    let (name, k) = match field {
                        AccuracyField::Value => {
                            (format!("quotes.{l}.{prefix}{}", by.as_str()), Kind::Metric)
                        }
                        f => (
                            format!("quotes.{l}.{prefix}{}.{}", by.as_str(), f.as_str()),
                            Kind::Count,
                        ),
                    };
                    push(
                        name,
                        Section::Quotes,
                        k,
                        Layer::Quotes,
                        [l, &csv_label, field.as_str()],
                        format!(
                            "speaker accuracy ({}) over the matched {whose} whose gold names a speaker: right when {judged}; null over none",
                            field.as_str()
                        ),
                        Source::Speaker {
                            level,
                            scope,
                            by,
                            field,
                        },
                    );
                }
            }
        }
    }

    // Attribution parts as spans on their own, as CofeNet's evaluation scores PolNeAR.
    for matching in SpanMatch::ALL {
        let m = matching.as_str();
        let how = match matching {
            SpanMatch::Exact => "a predicted span finds a gold span with the same first and last character",
            SpanMatch::Begin => "a predicted span finds a gold span with the same first character (CofeNet's `begin`)",
        };
        for part in SpanPart::ALL {
            let p = part.as_str();
            for field in [TallyField::Gold, TallyField::Pred]
                .into_iter()
                .chain(TallyField::COUNTS)
                .chain(TallyField::RATES)
            {
                let rate = TallyField::RATES.contains(&field);
                push(
                    format!("spans.{m}.{p}.{}", field.as_str()),
                    Section::Quotes,
                    if rate { Kind::Metric } else { Kind::Count },
                    Layer::Quotes,
                    ["spans", &format!("{m}.{p}"), field.as_str()],
                    format!(
                        "{} of the attributions' {p} spans taken on their own, each span once per article (one source of two contents counts once; a discontinuous content once per piece), edge whitespace, punctuation and quotation marks trimmed; {how} (CofeNet's evaluation of PolNeAR)",
                        if rate { rate_about(field) } else { field.as_str() }
                    ),
                    Source::Span {
                        matching,
                        part,
                        field,
                    },
                );
            }
        }
    }

    // Speakers (all, and the named ones alone) and places as sets of names per article.
    for (set, name, variant, what) in [
        (
            SetKind::Speakers,
            "speakers",
            "all",
            "speakers (the people and organisations quoted)",
        ),
        (
            SetKind::NamedSpeakers,
            "speakers.named",
            "named",
            "the named speakers alone (a source the article never names left out on both sides)",
        ),
        (SetKind::Places, "places", "all", "places"),
    ] {
        let layer = set.layer();
        if set != SetKind::NamedSpeakers {
            push(
                format!("{name}.articles"),
                Section::Sets,
                Kind::Count,
                layer,
                ["set", "all", "articles"],
                format!("articles whose gold covers {name}"),
                Source::Articles(layer),
            );
        }
        for field in [TallyField::Gold, TallyField::Pred]
            .into_iter()
            .chain(TallyField::COUNTS)
            .chain(TallyField::RATES)
        {
            let kind = if TallyField::RATES.contains(&field) {
                Kind::Metric
            } else {
                Kind::Count
            };
            push(
                format!("{name}.{}", field.as_str()),
                Section::Sets,
                kind,
                layer,
                ["set", variant, field.as_str()],
                format!(
                    "{} of {what} per article as sets of names: a prediction matches a gold entry when a name or alias equals one of the gold's after normalisation; one-to-one",
                    rate_about(field)
                ),
                Source::Set { set, field },
            );
        }
    }
    out
}

#[cfg(test)]
mod tests;
