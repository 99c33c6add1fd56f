//! `models.toml`: the named model entries `eval` can run, and how each becomes a [`Backend`].
//!
//! An entry is either `predictions = "DIR"` (score files another system wrote) or a pipeline of
//! stages, each naming its backend: `[models.NAME.ner]` (an entity recogniser) and
//! `[models.NAME.quotes]` (a quote extractor). Relative paths are relative to the file.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde::Deserialize;

use crate::extract::bert::BertSettings;
use crate::extract::external::{CommandSettings, ExternalStage, FilesSettings};
use crate::extract::joint::JointSettings;
use crate::extract::predictions::PredictionsBackend;
use crate::extract::quotes::{RulesExtractor, RulesSettings};
use crate::extract::tagger::{Combine, TaggerSettings};
use crate::extract::{Backend, Pipeline, QuoteExtractor};

#[derive(Debug, thiserror::Error)]
pub enum ModelsError {
    #[error("cannot read {path}: {source}")]
    Io {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("{path}: {message}")]
    Invalid { path: PathBuf, message: String },
    #[error("unknown model {name:?}; known models: {}", known.join(", "))]
    Unknown { name: String, known: Vec<String> },
    #[error("model {name:?}: {source}")]
    Build {
        name: String,
        #[source]
        source: crate::extract::StageError,
    },
    /// A `--set KEY=VALUE` that cannot apply: a usage error, named by the assignment.
    #[error("--set {assignment}: {message}")]
    Set { assignment: String, message: String },
    /// No `--model` and no `default` in the file.
    #[error("{path} names no `default` entry: pass --model NAME (known: {})", known.join(", "))]
    NoDefault { path: PathBuf, known: Vec<String> },
    #[error("model {name:?}: {source}")]
    Checksum {
        name: String,
        source: crate::model_check::ChecksumError,
    },
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
struct ModelsFileToml {
    /// The entry `eval` runs without `--model`; optional when every command names one.
    #[serde(default)]
    default: String,
    models: BTreeMap<String, ModelEntry>,
}

#[derive(Debug, Clone, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct ModelEntry {
    #[serde(default)]
    pub description: String,
    /// Annotations to read instead of running a model: a directory of annotation files (and
    /// JSON Lines files), or one `.jsonl` file.
    pub predictions: Option<PathBuf>,
    /// The label set of the entity types in `predictions` (default `quoteval`).
    #[serde(default)]
    pub labels: Option<String>,
    pub ner: Option<NerStage>,
    pub quotes: Option<QuoteStage>,
}

impl ModelEntry {
    /// Whether running this entry runs a model on libtorch (a rust-bert NER stage, or the
    /// tagger in its quote stage): what the light `quoteval` hands to `quoteval-ner`.
    pub fn runs_on_libtorch(&self) -> bool {
        self.predictions.is_none()
            && (matches!(self.ner, Some(NerStage::RustBert(_)))
                || matches!(
                    self.quotes,
                    Some(QuoteStage::Tagger(_))
                        | Some(QuoteStage::Hybrid(_))
                        | Some(QuoteStage::Joint(_))
                ))
    }
}

#[derive(Debug, Clone, Deserialize, PartialEq)]
#[serde(tag = "backend", deny_unknown_fields)]
pub enum NerStage {
    #[serde(rename = "rust-bert")]
    RustBert(BertSettings),
    /// Mentions read from annotation files another system wrote.
    #[serde(rename = "predictions")]
    Predictions(FilesSettings),
    /// Mentions from a program run over the articles ([`crate::extract::external`]).
    #[serde(rename = "command")]
    Command(CommandSettings),
}

#[derive(Debug, Clone, Deserialize, PartialEq)]
#[serde(tag = "backend", deny_unknown_fields)]
pub enum QuoteStage {
    #[serde(rename = "rules")]
    Rules(RulesSettings),
    /// Quotes and speakers read from annotation files another system wrote.
    #[serde(rename = "predictions")]
    Predictions(FilesSettings),
    /// Quotes and speakers from a program run over the articles.
    #[serde(rename = "command")]
    Command(CommandSettings),
    /// The learned quote tagger (`crate::extract::tagger`), rules' speakers as fallback.
    #[serde(rename = "tagger")]
    Tagger(TaggerSettings),
    /// Every rule quote, plus the tagger's attributions that no rule quote overlaps.
    #[serde(rename = "hybrid")]
    Hybrid(TaggerSettings),
    /// The attribution head of the [ner] stage's joint model: entities and attributions from
    /// one forward pass (`crate::extract::joint`).
    #[serde(rename = "joint")]
    Joint(JointSettings),
}

/// The run-time overrides, owned by `extract` (below this module, so that the stages that apply
/// them never import `models`).
pub use crate::extract::Overrides;

/// One model run as a command asks for it: models.toml read once, the entry to run (the file's
/// default unless one is named) with `--set` applied, and the command line's overrides. `main`
/// builds it once and hands it to `eval`, `eval --conll`, `gold draft` and the hand-off.
#[derive(Debug, Clone)]
pub struct ModelRun {
    pub file: ModelsFile,
    /// The entry's name, which [`ModelRun::load`] checked the file has.
    pub name: String,
    pub overrides: Overrides,
}

impl ModelRun {
    pub fn load(
        models_file: &Path,
        model: Option<&str>,
        overrides: Overrides,
    ) -> Result<ModelRun, ModelsError> {
        let (file, name) = ModelsFile::load_entry(models_file, model, &overrides.settings)?;
        file.entry(&name)?;
        Ok(ModelRun {
            file,
            name,
            overrides,
        })
    }

    pub fn entry(&self) -> Result<&ModelEntry, ModelsError> {
        self.file.entry(&self.name)
    }

    /// What the run asks of the process ([`crate::process::apply`], called by the executable).
    pub fn tuning(&self) -> Result<crate::process::Tuning, ModelsError> {
        self.file.tuning(&self.name, &self.overrides)
    }

    /// The whole backend (loading its models).
    pub fn build(&self) -> Result<Box<dyn Backend>, ModelsError> {
        self.file.build(&self.name, &self.overrides)
    }

    /// The NER stage alone, as `eval --conll` runs it.
    pub fn build_ner(&self) -> Result<Box<dyn crate::extract::EntityRecognizer>, ModelsError> {
        self.file.build_ner(&self.name, &self.overrides)
    }

    /// The settings a report records: the entry as written (after `--set`), the models file,
    /// and every override given.
    pub fn settings(&self) -> BTreeMap<String, serde_json::Value> {
        let mut settings = self.file.settings_of(&self.name);
        settings.insert(
            "models_file".into(),
            self.file.path.display().to_string().into(),
        );
        let o = &self.overrides;
        if let Some(threads) = o.threads {
            settings.insert("threads_override".into(), threads.into());
        }
        if let Some(batch) = o.batch_size {
            settings.insert("batch_size_override".into(), batch.into());
        }
        if let Some(device) = &o.device {
            settings.insert("device_override".into(), device.to_string().into());
        }
        if let Some(dtype) = &o.dtype {
            settings.insert("dtype_override".into(), dtype.to_string().into());
        }
        settings
    }
}

#[derive(Debug, Clone)]
pub struct ModelsFile {
    pub path: PathBuf,
    pub default: String,
    pub models: BTreeMap<String, ModelEntry>,
    /// The file as parsed, to record an entry's settings verbatim in reports.
    raw: toml::Table,
}

impl ModelsFile {
    pub fn load(path: &Path) -> Result<ModelsFile, ModelsError> {
        let text = std::fs::read_to_string(path).map_err(|source| ModelsError::Io {
            path: path.into(),
            source,
        })?;
        Self::parse(&text, path)
    }

    pub fn parse(text: &str, path: &Path) -> Result<ModelsFile, ModelsError> {
        let invalid = |message: String| ModelsError::Invalid {
            path: path.into(),
            message,
        };
        let raw: ModelsFileToml = toml::from_str(text).map_err(|e| invalid(e.to_string()))?;
        let table: toml::Table = toml::from_str(text).map_err(|e| invalid(e.to_string()))?;
        for (name, entry) in &raw.models {
            let has_stages = entry.ner.is_some() || entry.quotes.is_some();
            if entry.predictions.is_some() && has_stages {
                return Err(invalid(format!(
                    "models.{name}: `predictions` cannot be combined with stages"
                )));
            }
            if entry.labels.is_some() && entry.predictions.is_none() {
                return Err(invalid(format!(
                    "models.{name}: `labels` belongs with `predictions` (a stage names its own labels)"
                )));
            }
            if entry.predictions.is_none() && entry.ner.is_none() {
                return Err(invalid(format!(
                    "models.{name}: needs `predictions = \"DIR\"` or a [models.{name}.ner] stage"
                )));
            }
        }
        let file = ModelsFile {
            path: path.to_path_buf(),
            default: raw.default,
            models: raw.models,
            raw: table,
        };
        if !file.default.is_empty() {
            file.entry(&file.default)
                .map_err(|e| invalid(format!("default: {e}")))?;
        }
        Ok(file)
    }

    /// Loads the file and returns it with the name of the entry to run (`model`, else the
    /// file's default), after applying `settings` (`KEY=VALUE`, `--set`) to that entry: KEY is a
    /// dotted path inside `[models.NAME]` (`quotes.speech_only`, `ner.batch_size`), VALUE a TOML
    /// value (a bare word that is not one is read as a string). The entry is validated again as
    /// written, and the report records the settings as set.
    pub fn load_entry(
        path: &Path,
        model: Option<&str>,
        settings: &[String],
    ) -> Result<(ModelsFile, String), ModelsError> {
        let file = Self::load(path)?;
        let name = model.map_or_else(|| file.default.clone(), str::to_string);
        if name.is_empty() {
            return Err(ModelsError::NoDefault {
                path: path.into(),
                known: file.names(),
            });
        }
        if settings.is_empty() {
            return Ok((file, name));
        }
        file.entry(&name)?;
        let invalid = |message: String| ModelsError::Set {
            assignment: settings.join(" "),
            message,
        };
        let mut table = file.raw.clone();
        for assignment in settings {
            let (key, value) = assignment
                .split_once('=')
                .ok_or_else(|| invalid(format!("{assignment:?}: expected KEY=VALUE")))?;
            let value: toml::Value = toml::from_str::<toml::Table>(&format!("v = {value}"))
                .ok()
                .and_then(|mut t| t.remove("v"))
                .unwrap_or_else(|| toml::Value::String(value.to_string()));
            let mut keys: Vec<&str> = key.trim().split('.').collect();
            let leaf = keys
                .pop()
                .filter(|k| !k.is_empty())
                .ok_or_else(|| invalid(format!("{assignment:?}: expected KEY=VALUE")))?;
            let mut at = table
                .get_mut("models")
                .and_then(|m| m.get_mut(&name))
                .and_then(|e| e.as_table_mut())
                .ok_or_else(|| invalid(format!("no [models.{name}]")))?;
            let mut walked = format!("models.{name}");
            for k in keys {
                walked = format!("{walked}.{k}");
                at = at
                    .get_mut(k)
                    .and_then(|t| t.as_table_mut())
                    .ok_or_else(|| {
                        invalid(format!("{assignment:?}: no [{walked}] table in the file"))
                    })?;
            }
            at.insert(leaf.to_string(), value);
        }
        let text = toml::to_string(&table).map_err(|e| invalid(e.to_string()))?;
        let file = Self::parse(&text, path).map_err(|e| match e {
            // The position of a TOML error is in the rewritten file, not the user's: keep only
            // what is wrong ("unknown field `speech_onl`, expected one of ...").
            ModelsError::Invalid { message, .. } => invalid(
                message
                    .lines()
                    .filter(|l| !l.starts_with("TOML parse error") && !l.contains('|'))
                    .map(str::trim)
                    .filter(|l| !l.is_empty())
                    .collect::<Vec<_>>()
                    .join(" "),
            ),
            other => other,
        })?;
        Ok((file, name))
    }

    /// An entry's settings as written in the file, for the report.
    pub fn settings_of(&self, name: &str) -> BTreeMap<String, serde_json::Value> {
        let entry = self
            .raw
            .get("models")
            .and_then(|m| m.get(name))
            .and_then(|e| e.as_table());
        entry
            .map(|t| {
                t.iter()
                    .filter_map(|(k, v)| Some((k.clone(), serde_json::to_value(v).ok()?)))
                    .collect()
            })
            .unwrap_or_default()
    }

    pub fn names(&self) -> Vec<String> {
        self.models.keys().cloned().collect()
    }

    pub fn entry(&self, name: &str) -> Result<&ModelEntry, ModelsError> {
        self.models.get(name).ok_or_else(|| ModelsError::Unknown {
            name: name.into(),
            known: self.names(),
        })
    }

    /// Resolves a path written in the file relative to the file's directory.
    pub fn resolve(&self, path: &Path) -> PathBuf {
        if path.is_absolute() {
            path.to_path_buf()
        } else {
            self.dir().join(path)
        }
    }

    /// The directory of models.toml, where relative paths start and command stages run: `.`
    /// for a bare file name (whose `parent()` is the empty path, where no program can start).
    pub fn dir(&self) -> PathBuf {
        match self.path.parent() {
            Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
            _ => PathBuf::from("."),
        }
    }

    /// What running the named entry asks of the process ([`crate::process::apply`], called by
    /// the executable): its threads (the override first), and freed memory kept where a model
    /// runs on libtorch.
    pub fn tuning(
        &self,
        name: &str,
        overrides: &Overrides,
    ) -> Result<crate::process::Tuning, ModelsError> {
        let entry = self.entry(name)?;
        Ok(match &entry.ner {
            Some(NerStage::RustBert(settings)) if entry.predictions.is_none() => {
                crate::process::Tuning {
                    threads: overrides.threads.or(settings.threads),
                    keep_freed_memory: true,
                }
            }
            _ => crate::process::Tuning::default(),
        })
    }

    /// Builds the NER stage of a named entry alone (loading its model), as `eval --conll` runs it.
    pub fn build_ner(
        &self,
        name: &str,
        overrides: &Overrides,
    ) -> Result<Box<dyn crate::extract::EntityRecognizer>, ModelsError> {
        let entry = self.entry(name)?;
        let fail = |e: crate::extract::StageError| ModelsError::Build {
            name: name.into(),
            source: e,
        };
        Ok(match &entry.ner {
            Some(NerStage::Predictions(settings)) => Box::new(
                ExternalStage::files(self.resolve(&settings.path), settings).map_err(fail)?,
            ),
            Some(NerStage::Command(settings)) => Box::new(
                ExternalStage::command(settings, self.dir())
                    .map_err(fail)?
                    .keeping_workdir(overrides.keep_workdir),
            ),
            Some(NerStage::RustBert(settings)) => {
                self.check_sums(name, settings, overrides)?;
                crate::extract::bert::load(settings, &self.dir(), overrides)
                    .map_err(|e| fail(e.into()))?
            }
            None => return Err(fail(crate::extract::StageError::NoNer)),
        })
    }

    /// Builds the backend of a named entry (loading its model).
    pub fn build(
        &self,
        name: &str,
        overrides: &Overrides,
    ) -> Result<Box<dyn Backend>, ModelsError> {
        let entry = self.entry(name)?;
        let fail = |e: crate::extract::StageError| ModelsError::Build {
            name: name.into(),
            source: e,
        };
        if let Some(source) = &entry.predictions {
            let source = self.resolve(source);
            if !source.exists() {
                return Err(fail(crate::extract::StageError::MissingPredictions(source)));
            }
            let labels =
                crate::extract::external::label_set(&entry.labels).map_err(|e| fail(e.into()))?;
            return Ok(Box::new(PredictionsBackend::with_labels(source, labels)));
        }
        if let Some(QuoteStage::Joint(joint)) = &entry.quotes {
            let Some(NerStage::RustBert(settings)) = &entry.ner else {
                return Err(fail(
                    crate::extract::joint::JointError::NeedsRustBert.into(),
                ));
            };
            self.check_sums(name, settings, overrides)?;
            return load_joint(name, settings, joint, &self.dir(), overrides).map_err(fail);
        }
        let ner = self.build_ner(name, overrides)?;
        let quotes: Option<Box<dyn QuoteExtractor>> = match &entry.quotes {
            Some(QuoteStage::Rules(settings)) => Some(Box::new(
                RulesExtractor::new(settings.clone()).map_err(|e| fail(e.into()))?,
            )),
            Some(QuoteStage::Predictions(settings)) => Some(Box::new(
                ExternalStage::files(self.resolve(&settings.path), settings).map_err(fail)?,
            )),
            Some(QuoteStage::Command(settings)) => Some(Box::new(
                ExternalStage::command(settings, self.dir())
                    .map_err(fail)?
                    .keeping_workdir(overrides.keep_workdir),
            )),
            Some(QuoteStage::Tagger(settings)) => {
                Some(self.tagger(name, settings, Combine::Tagger, overrides)?)
            }
            Some(QuoteStage::Hybrid(settings)) => {
                Some(self.tagger(name, settings, Combine::Hybrid, overrides)?)
            }
            Some(QuoteStage::Joint(_)) => unreachable!("built above"),
            None => None,
        };
        Ok(Box::new(Pipeline::new(name, ner, quotes)))
    }
}

impl ModelsFile {
    /// A rust-bert stage's model checked against the `SHA256SUMS` beside it (unless the run
    /// skips checksums).
    fn check_sums(
        &self,
        name: &str,
        settings: &crate::extract::bert::BertSettings,
        overrides: &Overrides,
    ) -> Result<(), ModelsError> {
        if let (Some(dir), false) = (&settings.path, overrides.skip_checksums) {
            crate::model_check::check_model_dir(&self.resolve(dir)).map_err(|e| {
                ModelsError::Checksum {
                    name: name.into(),
                    source: e,
                }
            })?;
        }
        Ok(())
    }

    /// The `tagger` / `hybrid` quote stage of an entry: its model checked against the
    /// `SHA256SUMS` beside it, then loaded.
    fn tagger(
        &self,
        name: &str,
        settings: &TaggerSettings,
        how: Combine,
        overrides: &Overrides,
    ) -> Result<Box<dyn QuoteExtractor>, ModelsError> {
        if !overrides.skip_checksums {
            crate::model_check::check_model_dir(&self.resolve(&settings.path)).map_err(|e| {
                ModelsError::Checksum {
                    name: name.into(),
                    source: e,
                }
            })?;
        }
        load_tagger(settings, how, &self.dir(), overrides).map_err(|source| ModelsError::Build {
            name: name.into(),
            source,
        })
    }
}

#[cfg(feature = "ner")]
fn load_tagger(
    settings: &TaggerSettings,
    how: Combine,
    base: &Path,
    overrides: &Overrides,
) -> Result<Box<dyn QuoteExtractor>, crate::extract::StageError> {
    // The same overrides as the NER stage's (`extract::bert::effective_settings`).
    let mut settings = settings.clone();
    overrides.apply_to_model(
        &mut settings.device,
        &mut settings.dtype,
        &mut settings.batch_size,
    );
    Ok(Box::new(crate::extract::tagger::TaggerExtractor::load(
        settings, how, base,
    )?))
}

/// A joint entry: the [ner] stage's model with both heads, as one backend.
#[cfg(feature = "ner")]
fn load_joint(
    name: &str,
    settings: &crate::extract::bert::BertSettings,
    joint: &JointSettings,
    base: &Path,
    overrides: &Overrides,
) -> Result<Box<dyn Backend>, crate::extract::StageError> {
    use crate::extract::bert;
    let settings = bert::effective_settings(settings, overrides)?;
    let (files, scheme) = bert::model_files(&settings, base)?;
    let model = bert::BertRecognizer::load(settings, files, scheme)?;
    Ok(Box::new(crate::extract::joint::JointBackend::new(
        name,
        model,
        joint.clone(),
    )?))
}

#[cfg(not(feature = "ner"))]
fn load_joint(
    _: &str,
    settings: &crate::extract::bert::BertSettings,
    _: &JointSettings,
    _: &Path,
    _: &Overrides,
) -> Result<Box<dyn Backend>, crate::extract::StageError> {
    Err(crate::extract::StageError::Bert(
        crate::extract::bert::BertError::NeedsNer {
            dir: settings.path.clone().unwrap_or_default(),
        },
    ))
}

#[cfg(not(feature = "ner"))]
fn load_tagger(
    settings: &TaggerSettings,
    _: Combine,
    _: &Path,
    _: &Overrides,
) -> Result<Box<dyn QuoteExtractor>, crate::extract::StageError> {
    Err(crate::extract::StageError::Bert(
        crate::extract::bert::BertError::NeedsNer {
            dir: settings.path.clone(),
        },
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tuning_is_what_the_entry_asks_of_the_process() {
        let text =
            "default = \"m\"\n[models.m.ner]\nbackend = \"rust-bert\"\npath = \"x\"\nthreads = 3\n\
                    labels = { PER = \"PERSON\" }\n[models.echo]\npredictions = \"gold\"\n";
        let file = ModelsFile::parse(text, Path::new("models.toml")).unwrap();
        let none = Overrides::default();
        assert_eq!(
            file.tuning("m", &none).unwrap(),
            crate::process::Tuning {
                threads: Some(3),
                keep_freed_memory: true
            }
        );
        let two = Overrides {
            threads: Some(2),
            ..Overrides::default()
        };
        assert_eq!(file.tuning("m", &two).unwrap().threads, Some(2));
        // Reading annotation files runs no model: nothing to tune.
        assert_eq!(
            file.tuning("echo", &two).unwrap(),
            crate::process::Tuning::default()
        );
    }

    #[test]
    fn unknown_models_list_the_known_ones() {
        let text = "default = \"echo\"\n[models.echo]\npredictions = \"gold\"\n[models.other]\npredictions = \"x\"\n";
        let file = ModelsFile::parse(text, Path::new("/p/models.toml")).unwrap();
        let err = file.entry("nope").unwrap_err().to_string();
        assert_eq!(err, "unknown model \"nope\"; known models: echo, other");
        assert_eq!(file.resolve(Path::new("gold")), PathBuf::from("/p/gold"));
    }

    #[test]
    fn invalid_entries_are_rejected_with_the_file_named() {
        let bad_backend = "default = \"m\"\n[models.m.ner]\nbackend = \"spacy\"\n";
        let err = ModelsFile::parse(bad_backend, Path::new("models.toml"))
            .unwrap_err()
            .to_string();
        assert!(
            err.starts_with("models.toml: ") && err.contains("unknown variant `spacy`"),
            "{err}"
        );
        let empty = "default = \"m\"\n[models.m]\ndescription = \"x\"\n";
        let err = ModelsFile::parse(empty, Path::new("models.toml"))
            .unwrap_err()
            .to_string();
        assert!(err.contains("needs `predictions"), "{err}");
        let no_default = "default = \"zz\"\n[models.m]\npredictions = \"d\"\n";
        let err = ModelsFile::parse(no_default, Path::new("models.toml"))
            .unwrap_err()
            .to_string();
        assert!(err.contains("unknown model \"zz\""), "{err}");
    }

    #[test]
    fn set_changes_one_entry_as_if_written_in_the_file() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("models.toml");
        std::fs::write(
            &path,
            "default = \"m\"\n[models.m.ner]\nbackend = \"rust-bert\"\npath = \"x\"\n\
             labels = { PER = \"PERSON\" }\n[models.m.quotes]\nbackend = \"rules\"\n\
             [models.n]\npredictions = \"gold\"\n",
        )
        .unwrap();
        let set = |items: &[&str]| {
            let items: Vec<String> = items.iter().map(|s| s.to_string()).collect();
            ModelsFile::load_entry(&path, None, &items)
        };
        let (file, name) = set(&["ner.threads=3", "quotes.resolve=false"]).unwrap();
        assert_eq!(name, "m");
        assert_eq!(
            file.tuning("m", &Overrides::default()).unwrap().threads,
            Some(3)
        );
        let quotes = &file.settings_of("m")["quotes"];
        assert_eq!(quotes["resolve"], serde_json::json!(false), "{quotes}");
        // A bare word is a string; the entry is checked again, so a wrong value is an error.
        let err = set(&["ner.threads=many"]).unwrap_err().to_string();
        assert_eq!(
            err,
            "--set ner.threads=many: invalid type: string \"many\", expected usize"
        );
        // A typo names the key, not a line of the rewritten file; it is a usage error.
        let typo = set(&["quotes.resolv=false"]).unwrap_err();
        assert!(matches!(typo, ModelsError::Set { .. }));
        assert!(
            typo.to_string()
                .starts_with("--set quotes.resolv=false: unknown field `resolv`"),
            "{typo}"
        );
        let err = set(&["tagger.path=x"]).unwrap_err().to_string();
        assert!(err.contains("no [models.m.tagger] table"), "{err}");
        let err = set(&["ner.threads"]).unwrap_err().to_string();
        assert!(err.contains("expected KEY=VALUE"), "{err}");
        let err = ModelsFile::load_entry(&path, Some("zz"), &["a=1".into()])
            .unwrap_err()
            .to_string();
        assert!(err.contains("unknown model \"zz\""), "{err}");
    }

    #[test]
    fn default_is_optional_when_the_command_names_the_entry() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("models.toml");
        std::fs::write(&path, "[models.n]\npredictions = \"gold\"\n").unwrap();
        let (_, name) = ModelsFile::load_entry(&path, Some("n"), &[]).unwrap();
        assert_eq!(name, "n");
        let err = ModelsFile::load_entry(&path, None, &[]).unwrap_err();
        assert!(matches!(err, ModelsError::NoDefault { .. }), "{err}");
        assert!(
            err.to_string().contains("pass --model NAME (known: n)"),
            "{err}"
        );
    }
}
