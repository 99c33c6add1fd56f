//! The rust-bert token-classification backend. Settings, tokenizing, case classes, windows and
//! decoding are always compiled (so `models.toml` validates, and the path is tested, in every
//! build); the libtorch model needs the `ner` feature.
//!
//! Path of an article: the tokenizer's word pieces (byte offsets converted once to char spans)
//! -> case classes (token_type_ids, with `case_features`) -> windows of at most `window - 2`
//! pieces, each labelling only its core (see [`window`]) -> batches of windows across articles,
//! longest first -> one (label, probability) per piece -> units and IOB decoding into mentions
//! with char spans into the verbatim article (see [`decode`]).

pub mod case;
pub mod decode;
pub mod engine;
pub mod error;
#[cfg(feature = "ner")]
pub mod model;
pub mod settings;
pub mod viterbi;
pub mod window;

use std::path::Path;
#[cfg(feature = "ner")]
use std::sync::Arc;
#[cfg(feature = "ner")]
use std::time::Instant;

pub use error::BertError;
pub use settings::BertSettings;
use settings::{LabelScheme, ModelFiles, ModelSource};

#[cfg(feature = "ner")]
use crate::annotation::{Article, Mention};
use crate::extract::EntityRecognizer;
use crate::extract::Overrides;
#[cfg(feature = "ner")]
use crate::extract::{ExtractError, ExtractStats, Progress};

/// The settings after run-time overrides, checked.
pub fn effective_settings(
    settings: &BertSettings,
    overrides: &Overrides,
) -> Result<BertSettings, BertError> {
    let mut s = settings.clone();
    if let Some(t) = overrides.threads {
        s.threads = Some(t);
    }
    overrides.apply_to_model(&mut s.device, &mut s.dtype, &mut s.batch_size);
    s.check()?;
    Ok(s)
}

/// Resolves the model files (downloading them with the `remote` feature) and checks them against
/// the settings; `base` is the directory of models.toml.
pub fn model_files(
    settings: &BertSettings,
    base: &Path,
) -> Result<(ModelFiles, LabelScheme), BertError> {
    let files = match settings.source(base)? {
        ModelSource::Local(dir) => ModelFiles::find(&dir)?,
        ModelSource::Hub(id) => hub::fetch(&id)?,
    };
    let (config, scheme) = settings.check_model(&files)?;
    let _ = config;
    Ok((files, scheme))
}

/// The recogniser of a `[models.NAME.ner] backend = "rust-bert"` entry: loads the model once.
pub fn load(
    settings: &BertSettings,
    base: &Path,
    overrides: &Overrides,
) -> Result<Box<dyn EntityRecognizer>, BertError> {
    let settings = effective_settings(settings, overrides)?;
    let (files, scheme) = model_files(&settings, base)?;
    load_checked(settings, files, scheme)
}

#[cfg(not(feature = "ner"))]
fn load_checked(
    _: BertSettings,
    files: ModelFiles,
    _: LabelScheme,
) -> Result<Box<dyn EntityRecognizer>, BertError> {
    Err(BertError::NeedsNer { dir: files.dir })
}

#[cfg(feature = "ner")]
fn load_checked(
    settings: BertSettings,
    files: ModelFiles,
    scheme: LabelScheme,
) -> Result<Box<dyn EntityRecognizer>, BertError> {
    Ok(Box::new(BertRecognizer::load(settings, files, scheme)?))
}

/// The rust-bert entity recogniser.
#[cfg(feature = "ner")]
pub struct BertRecognizer {
    pub engine: engine::Engine,
    pub scorer: model::TchScorer,
    pub files: ModelFiles,
    pub settings: BertSettings,
}

#[cfg(feature = "ner")]
impl BertRecognizer {
    pub fn load(
        settings: BertSettings,
        files: ModelFiles,
        scheme: LabelScheme,
    ) -> Result<BertRecognizer, BertError> {
        let started = Instant::now();
        // The thread count is process-wide: the executable sets it (crate::process).
        let device = model::device_of(settings.device)?;
        let tokenizer = engine::BertTokenizer::load(&files)?;
        let dtype = settings.dtype.resolve(device.is_cuda());
        let scorer = model::TchScorer::load(&files, device, dtype)?;
        let mut engine = engine::Engine::new(tokenizer, scheme, &settings);
        engine.stats.load_seconds = started.elapsed().as_secs_f64();
        Ok(BertRecognizer {
            engine,
            scorer,
            files,
            settings,
        })
    }
}

#[cfg(feature = "ner")]
impl EntityRecognizer for BertRecognizer {
    fn describe(&self) -> String {
        format!(
            "rust-bert {} ({}, window {}, stride {}, batch {}{})",
            self.files.dir.display(),
            self.scorer.device_name(),
            self.settings.window,
            self.settings.stride,
            self.settings.batch_size,
            if self.settings.case_features {
                ", case features"
            } else {
                ""
            }
        )
    }

    fn recognize(
        &mut self,
        articles: &[Arc<Article>],
        progress: Progress,
    ) -> Result<Vec<Vec<Mention>>, ExtractError> {
        self.engine
            .recognize(&mut self.scorer, articles, progress)
            .map_err(|source| ExtractError::Model {
                path: self.files.dir.clone(),
                source,
            })
    }

    fn stats(&self) -> ExtractStats {
        self.engine.stats.clone()
    }
}

#[cfg(feature = "ner")]
impl model::TchScorer {
    /// "cpu, 2 threads, fp32" / "cuda:0, bf16": what ran, for `describe`.
    pub(crate) fn device_name(&self) -> String {
        match self.device {
            tch::Device::Cpu => format!("cpu, {} threads, {}", tch::get_num_threads(), self.dtype),
            tch::Device::Cuda(n) => format!("cuda:{n}, {}", self.dtype),
            other => format!("{other:?}, {}", self.dtype),
        }
    }
}

/// Model-hub downloads (feature `remote`): the files are fetched through rust-bert's cache and
/// linked under their own names into `~/.cache/quoteval/hub/ID/`.
mod hub {
    use super::{BertError, ModelFiles};

    /// Unreachable in practice: `BertSettings::source` refuses a hub id in such a build.
    #[cfg(not(feature = "remote"))]
    pub fn fetch(id: &str) -> Result<ModelFiles, BertError> {
        Err(BertError::HubNeedsRemote { id: id.to_string() })
    }

    #[cfg(feature = "remote")]
    pub fn fetch(id: &str) -> Result<ModelFiles, BertError> {
        use rust_bert::resources::{RemoteResource, ResourceProvider};
        let home = std::env::var_os("HOME").ok_or(BertError::NoHome)?;
        let dir = std::path::Path::new(&home)
            .join(".cache/quoteval/hub")
            .join(id);
        std::fs::create_dir_all(&dir).map_err(|source| BertError::Write {
            path: dir.clone(),
            source,
        })?;
        let get = |file: &str| -> Result<(), BertError> {
            let target = dir.join(file);
            if target.exists() {
                return Ok(());
            }
            let url = format!("https://huggingface.co/{id}/resolve/main/{file}");
            let path = RemoteResource::new(&url, &format!("quoteval/{id}"))
                .get_local_path()
                .map_err(|source| BertError::Download {
                    url: url.clone(),
                    source,
                })?;
            std::fs::copy(&path, &target).map_err(|source| BertError::Write {
                path: target.clone(),
                source,
            })?;
            Ok(())
        };
        get("config.json")?;
        get("tokenizer.json").or_else(|_| get("vocab.txt"))?;
        let _ = get("tokenizer_config.json");
        get("model.safetensors").or_else(|_| get("pytorch_model.bin"))?;
        ModelFiles::find(&dir)
    }
}
