//! Extraction: turning articles into [`Document`]s. Backends sit behind [`Backend`]; the usual one
//! is a [`Pipeline`] that composes an entity recogniser with a quote extractor, each chosen by an
//! entry of `models.toml` (see [`crate::models`]).

use std::path::PathBuf;
use std::sync::Arc;

use serde::Serialize;

use crate::annotation::{
    AnchorRecord, Article, Document, Layer, Mention, Quote, Speaker, Unanchored,
};
use crate::format::Problems;

pub mod bert;
pub mod external;
pub mod joint;
pub mod predictions;
pub mod quotes;
pub mod tagger;

#[derive(Debug, thiserror::Error)]
pub enum ExtractError {
    /// A model failed while it ran (its forward pass, tokenizer or input), the cause kept.
    #[error("model {}: {source}", path.display())]
    Model {
        path: PathBuf,
        #[source]
        source: bert::BertError,
    },
    #[error("{0}")]
    Predictions(#[from] Problems),
    #[error("{0}")]
    Unsupported(String),
    /// A command stage failed; its work directory is kept for the user to look at.
    #[error("{source}\n(the command's input, output and stderr.txt are kept in {})", kept.display())]
    Kept {
        kept: PathBuf,
        #[source]
        source: Box<ExtractError>,
    },
}

/// Counters a backend keeps over a run, for the report's timing section.
#[derive(Debug, Clone, Default, Serialize, PartialEq)]
pub struct ExtractStats {
    /// Word pieces the model read, excluding special tokens and window overlap.
    pub word_pieces: u64,
    /// Word pieces fed to the model, including window overlap and special tokens.
    pub model_tokens: u64,
    /// Seconds spent loading the model.
    pub load_seconds: f64,
}

/// One stage of a pipeline over a run: what ran, the seconds it took, its model's counters.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct StageStats {
    /// "ner" or "quotes".
    pub stage: String,
    pub backend: String,
    pub seconds: f64,
    pub model: ExtractStats,
}

/// Called with the number of articles finished so far.
pub type Progress<'a> = &'a mut dyn FnMut(usize);

/// Anything that annotates articles.
pub trait Backend {
    /// What the report calls this backend.
    fn describe(&self) -> String;
    fn annotate(
        &mut self,
        articles: &[Arc<Article>],
        progress: Progress,
    ) -> Result<Vec<Document>, ExtractError>;
    fn stats(&self) -> ExtractStats {
        ExtractStats::default()
    }
    /// The stages of the last [`Backend::annotate`], timed (none where the backend has no
    /// stages, e.g. prediction files).
    fn stages(&self) -> Vec<StageStats> {
        Vec::new()
    }
    /// What the last [`Backend::annotate`] found worth keeping with the report's numbers.
    fn notes(&self) -> Vec<RunNote> {
        Vec::new()
    }
}

/// A fact about a run that the report keeps beside its numbers (typed, so that nothing has to
/// recognise it by its wording).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RunNote {
    /// An article had no prediction file: it was scored as an empty prediction.
    NoPrediction { path: std::path::PathBuf },
    /// Prediction files whose article is not in the corpus: not scored.
    NotInCorpus { paths: Vec<String> },
    /// A command stage's work directory, kept on request (`--keep-workdir`).
    WorkdirKept(std::path::PathBuf),
}

impl std::fmt::Display for RunNote {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            RunNote::NoPrediction { path } => write!(f, "no prediction file {}", path.display()),
            RunNote::NotInCorpus { paths } => write!(
                f,
                "prediction file without an article in the corpus, not scored: {}",
                paths.join(", ")
            ),
            RunNote::WorkdirKept(dir) => {
                write!(
                    f,
                    "the command's work directory is kept in {}",
                    dir.display()
                )
            }
        }
    }
}

/// Run-time settings from the command line that override an entry's own.
#[derive(Debug, Clone, Default)]
pub struct Overrides {
    pub threads: Option<usize>,
    pub batch_size: Option<usize>,
    pub device: Option<crate::extract::bert::settings::DeviceSetting>,
    /// Use the model even when its files do not match the `SHA256SUMS` beside them.
    pub skip_checksums: bool,
    /// Keep a command stage's work directory after a successful run (`--keep-workdir`).
    pub keep_workdir: bool,
    pub dtype: Option<crate::extract::bert::settings::DtypeSetting>,
    /// `KEY=VALUE` assignments to the entry's settings (`--set quotes.speech_only=false`),
    /// applied by `models::ModelsFile::load_entry` as if written in the file.
    pub settings: Vec<String>,
}

impl Overrides {
    /// Applies the overrides every model-running stage shares (the NER model and the quote
    /// tagger alike): device, dtype and batch size.
    pub fn apply_to_model(
        &self,
        device: &mut bert::settings::DeviceSetting,
        dtype: &mut bert::settings::DtypeSetting,
        batch_size: &mut usize,
    ) {
        if let Some(d) = self.device {
            *device = d;
        }
        if let Some(d) = self.dtype {
            *dtype = d;
        }
        if let Some(b) = self.batch_size {
            *batch_size = b;
        }
    }
}

/// Why a stage of an entry could not be built; `models` names the entry around it.
#[derive(Debug, thiserror::Error)]
pub enum StageError {
    #[error(transparent)]
    Labels(#[from] crate::format::labels::UnknownLabelSet),
    #[error(transparent)]
    Cues(#[from] quotes::UnknownCues),
    #[error("predictions {} do not exist", .0.display())]
    MissingPredictions(std::path::PathBuf),
    #[error("`command` is empty: give the program and its arguments")]
    EmptyCommand,
    #[error("needs a [ner] stage")]
    NoNer,
    #[error(transparent)]
    Bert(#[from] bert::BertError),
    #[error(transparent)]
    Joint(#[from] joint::JointError),
    #[error("{}: {source}", dir.display())]
    NotATagger {
        dir: std::path::PathBuf,
        #[source]
        source: tagger::decode::NotATagger,
    },
}

/// Finds entity mentions.
pub trait EntityRecognizer {
    fn describe(&self) -> String;
    /// One list of mentions per article, each sorted by span.
    fn recognize(
        &mut self,
        articles: &[Arc<Article>],
        progress: Progress,
    ) -> Result<Vec<Vec<Mention>>, ExtractError>;
    fn stats(&self) -> ExtractStats;
    /// What the last run found worth keeping with the report's numbers.
    fn notes(&self) -> Vec<RunNote> {
        Vec::new()
    }
    /// For a stage whose mentions came as text (a language model's answer): how each was
    /// placed, and those that are nowhere in the article. Models that find spans have none.
    fn placed_by_text(&self, _article: &str) -> (Vec<AnchorRecord>, Vec<Unanchored>) {
        (Vec::new(), Vec::new())
    }
}

/// What a quote extractor finds in one article.
#[derive(Debug, Clone, Default)]
pub struct QuoteFindings {
    pub quotes: Vec<Quote>,
    pub speakers: Vec<Speaker>,
    /// Quotes given by text: how each was placed ([`Document::anchoring`]).
    pub anchoring: Vec<AnchorRecord>,
    /// Quotes given by text that are nowhere in the article ([`Document::unanchored`]).
    pub unanchored: Vec<Unanchored>,
}

/// Finds quotes and their speakers, given the article and its entity mentions.
pub trait QuoteExtractor {
    fn describe(&self) -> String;
    /// The quotes of several articles (`mentions[i]` are those of `articles[i]`), in order. The
    /// one way to run an extractor, so that every extractor can fail and say so: a model-backed
    /// one runs its model over them in batches and returns its failure, never an empty article.
    fn extract_batch(
        &mut self,
        articles: &[Arc<Article>],
        mentions: &[Vec<Mention>],
    ) -> Result<Vec<QuoteFindings>, ExtractError>;
    /// What the last run found worth keeping with the report's numbers.
    fn notes(&self) -> Vec<RunNote> {
        Vec::new()
    }
    /// Counters of the extractor's own model (none for the rules).
    fn stats(&self) -> ExtractStats {
        ExtractStats::default()
    }
}

/// An entity recogniser followed by an optional quote extractor; places come from the mentions.
pub struct Pipeline {
    name: String,
    ner: Box<dyn EntityRecognizer>,
    quotes: Option<Box<dyn QuoteExtractor>>,
    /// Seconds of the last `annotate` in each stage.
    ner_seconds: f64,
    quote_seconds: f64,
}

impl Pipeline {
    pub fn new(
        name: impl Into<String>,
        ner: Box<dyn EntityRecognizer>,
        quotes: Option<Box<dyn QuoteExtractor>>,
    ) -> Pipeline {
        Pipeline {
            name: name.into(),
            ner,
            quotes,
            ner_seconds: 0.0,
            quote_seconds: 0.0,
        }
    }
}

/// The document of one article from what the stages found: its mentions, and its quotes and
/// speakers where a quote stage ran (without one, quotes and speakers are not predicted, rather
/// than predicted empty, which would score as all missed). Places come from the mentions.
pub fn document(
    model: &str,
    article: &Arc<Article>,
    mentions: Vec<Mention>,
    found: Option<QuoteFindings>,
) -> Document {
    let mut doc = Document::empty(article.clone(), format!("model {model}"));
    match found {
        Some(found) => {
            doc.quotes = found.quotes;
            doc.speakers = found.speakers;
            doc.anchoring = found.anchoring;
            doc.unanchored = found.unanchored;
        }
        None => doc.layers = vec![Layer::Mentions, Layer::Places],
    }
    doc.places = quotes::places::places_from_mentions(article, &mentions);
    doc.mentions = mentions;
    doc.sort();
    doc
}

impl Backend for Pipeline {
    fn describe(&self) -> String {
        match &self.quotes {
            Some(q) => format!("{} + {}", self.ner.describe(), q.describe()),
            None => self.ner.describe(),
        }
    }

    fn annotate(
        &mut self,
        articles: &[Arc<Article>],
        progress: Progress,
    ) -> Result<Vec<Document>, ExtractError> {
        let started = std::time::Instant::now();
        let mentions = self.ner.recognize(articles, progress)?;
        self.ner_seconds = started.elapsed().as_secs_f64();
        let started = std::time::Instant::now();
        let mut found = match &mut self.quotes {
            Some(q) => q
                .extract_batch(articles, &mentions)?
                .into_iter()
                .map(Some)
                .collect(),
            None => vec![None; articles.len()],
        };
        self.quote_seconds = started.elapsed().as_secs_f64();
        Ok(articles
            .iter()
            .zip(mentions)
            .zip(found.iter_mut())
            .map(|((article, mentions), found)| {
                let mut doc = document(&self.name, article, mentions, found.take());
                let (anchoring, unanchored) = self.ner.placed_by_text(&article.id);
                doc.anchoring.splice(0..0, anchoring);
                doc.unanchored.splice(0..0, unanchored);
                doc
            })
            .collect())
    }

    fn stats(&self) -> ExtractStats {
        self.ner.stats()
    }

    fn stages(&self) -> Vec<StageStats> {
        let mut stages = vec![StageStats {
            stage: "ner".into(),
            backend: self.ner.describe(),
            seconds: self.ner_seconds,
            model: self.ner.stats(),
        }];
        if let Some(q) = &self.quotes {
            stages.push(StageStats {
                stage: "quotes".into(),
                backend: q.describe(),
                seconds: self.quote_seconds,
                model: q.stats(),
            });
        }
        stages
    }

    fn notes(&self) -> Vec<RunNote> {
        let mut notes = self.ner.notes();
        if let Some(q) = &self.quotes {
            notes.extend(q.notes());
        }
        notes
    }
}
