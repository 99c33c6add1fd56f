//! One encoder for who said what: a joint model (`model/quoteval-joint-minilm/`, trained by
//! `training/train_joint.py`) whose classifier has an entity head and an attribution head
//! (Content / Source / Cue) over one encoder (config.json `quoteval_heads`). One forward pass per
//! window gives both: the entity head is decoded into mentions as any NER model's labels
//! ([`crate::extract::bert::decode`]), the attribution head by Viterbi over valid BIO sequences
//! ([`crate::extract::bert::viterbi`]) into attributions, which become quotes as the tagger's do
//! ([`crate::extract::tagger::combine`]: the rules' frames, speakers resolved from the Source).
//!
//! The entry names the model once, in its `[ner]` stage; the quote stage says how attributions
//! are read:
//!
//! ```toml
//! [models.NAME.ner]
//! backend = "rust-bert"
//! path = "models/quoteval-joint-minilm"      # a model with quoteval_heads
//! labels = { PER = "PERSON", LOC = "PLACE", ORG = "ORG", MISC = "ignore" }
//! window = 256
//!
//! [models.NAME.quotes]
//! backend = "joint"
//! combine = "hybrid"     # or "tagger" (as the tagger's backends of those names)
//! speech_only = true     # min_words = 3, resolve = true
//! ```
//!
//! The same model in an entry without the `joint` stage (or through `eval --conll`) is an
//! entity recogniser: its entity head only.

use serde::Deserialize;

use crate::extract::tagger::{default_min_words, yes, Combine, Reading};

/// `[models.NAME.quotes] backend = "joint"`.
#[derive(Debug, Clone, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct JointSettings {
    #[serde(default = "hybrid")]
    pub combine: Combine,
    #[serde(default)]
    pub speech_only: bool,
    #[serde(default = "default_min_words")]
    pub min_words: usize,
    #[serde(default = "yes")]
    pub resolve: bool,
}

fn hybrid() -> Combine {
    Combine::Hybrid
}

impl JointSettings {
    pub fn reading(&self) -> Reading {
        Reading {
            speech_only: self.speech_only,
            min_words: self.min_words,
            resolve: self.resolve,
        }
    }
}

/// A joint entry whose model has no attribution head.
#[derive(Debug, thiserror::Error)]
pub enum JointError {
    #[error("the `joint` quote stage needs a `rust-bert` [ner] stage: the model it runs")]
    NeedsRustBert,
    #[error(
        "{}: no attribution head (config.json has no quoteval_heads): the `joint` quote stage \
         needs a joint model, e.g. models/quoteval-joint-minilm",
        .0.display()
    )]
    NoAttributionHead(std::path::PathBuf),
    #[error("{}: {source}", dir.display())]
    NotATagger {
        dir: std::path::PathBuf,
        #[source]
        source: crate::extract::tagger::decode::NotATagger,
    },
}

#[cfg(feature = "ner")]
pub use model::JointBackend;

#[cfg(feature = "ner")]
mod model {
    use std::sync::Arc;
    use std::time::Instant;

    use super::{JointError, JointSettings};
    use crate::annotation::{Article, Document};
    use crate::extract::bert::decode::decode;
    use crate::extract::bert::settings::{LabelScheme, ModelConfig, Tag};
    use crate::extract::bert::viterbi::viterbi;
    use crate::extract::bert::{BertError, BertRecognizer};
    use crate::extract::quotes::RulesExtractor;
    use crate::extract::tagger::decode::{label_parts, Part};
    use crate::extract::tagger::{quotes_from_labels, Combine};
    use crate::extract::{
        document, Backend, ExtractError, ExtractStats, Progress, StageError, StageStats,
    };

    /// Articles per forward-pass group (batches stay full; the rules' analyses of a group are
    /// held at once).
    const GROUP: usize = 16;

    /// The joint model as a whole backend: one pass, entities and quotes.
    pub struct JointBackend {
        name: String,
        model: BertRecognizer,
        settings: JointSettings,
        /// The attribution head's labels: tag and type for Viterbi, tag and part for spans.
        attribution_tags: Vec<(Tag, Option<usize>)>,
        parts: Vec<(Tag, Option<Part>)>,
        rules: RulesExtractor,
        seconds: f64,
    }

    impl JointBackend {
        pub fn new(
            name: &str,
            model: BertRecognizer,
            settings: JointSettings,
        ) -> Result<JointBackend, StageError> {
            let dir = model.files.dir.clone();
            let config = ModelConfig::read(&model.files.config)?;
            let heads = config
                .heads
                .as_ref()
                .ok_or_else(|| JointError::NoAttributionHead(dir.clone()))?;
            let names = heads.attribution_labels(&config.labels);
            let map = ["CONTENT", "SOURCE", "CUE"]
                .iter()
                .map(|t| (t.to_string(), "ignore".to_string()))
                .collect();
            let scheme = LabelScheme::new(names, &map).map_err(|e| BertError::InConfig {
                path: model.files.config.clone(),
                source: Box::new(e),
            })?;
            let parts =
                label_parts(&scheme).map_err(|source| JointError::NotATagger { dir, source })?;
            Ok(JointBackend {
                name: name.to_string(),
                attribution_tags: scheme.tags.clone(),
                parts,
                model,
                settings,
                rules: RulesExtractor::default(),
                seconds: 0.0,
            })
        }

        fn group(
            &mut self,
            articles: &[Arc<Article>],
            first: usize,
        ) -> Result<Vec<Document>, BertError> {
            let engine = &mut self.model.engine;
            let mut prepared = Vec::with_capacity(articles.len());
            for a in articles {
                let p = engine.prepare(a)?;
                engine.stats.word_pieces += p.pieces.len() as u64;
                prepared.push(p);
            }
            let scores = engine.label(&mut self.model.scorer, &prepared, first)?;
            let reading = self.settings.reading();
            let mut out = Vec::with_capacity(articles.len());
            for ((article, p), s) in articles.iter().zip(&prepared).zip(&scores) {
                let mentions = decode(
                    &p.chars,
                    &p.pieces,
                    &s.labels,
                    &engine.scheme,
                    engine.min_confidence,
                );
                let labels = viterbi(&s.attributions, s.width, &self.attribution_tags);
                let found = quotes_from_labels(
                    &self.rules,
                    article,
                    &mentions,
                    p,
                    &labels,
                    &self.parts,
                    self.settings.combine,
                    &reading,
                );
                out.push(document(&self.name, article, mentions, Some(found)));
            }
            Ok(out)
        }
    }

    impl Backend for JointBackend {
        fn describe(&self) -> String {
            use crate::extract::EntityRecognizer;
            format!(
                "joint {} + {}{}",
                self.model.describe(),
                match self.settings.combine {
                    Combine::Tagger => "attributions",
                    Combine::Hybrid => "attributions and rules (hybrid)",
                },
                if self.settings.speech_only {
                    ", speech only"
                } else {
                    ""
                }
            )
        }

        fn annotate(
            &mut self,
            articles: &[Arc<Article>],
            progress: Progress,
        ) -> Result<Vec<Document>, ExtractError> {
            let started = Instant::now();
            let mut out = Vec::with_capacity(articles.len());
            for (k, group) in articles.chunks(GROUP).enumerate() {
                let docs = self
                    .group(group, k * GROUP)
                    .map_err(|source| ExtractError::Model {
                        path: self.model.files.dir.clone(),
                        source,
                    })?;
                out.extend(docs);
                progress(out.len());
            }
            self.seconds = started.elapsed().as_secs_f64();
            Ok(out)
        }

        fn stats(&self) -> ExtractStats {
            self.model.engine.stats.clone()
        }

        /// One stage: the forward pass and both decodings, timed together.
        fn stages(&self) -> Vec<StageStats> {
            vec![StageStats {
                stage: "joint".into(),
                backend: self.describe(),
                seconds: self.seconds,
                model: self.stats(),
            }]
        }
    }
}
