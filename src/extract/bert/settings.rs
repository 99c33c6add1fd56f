//! `[models.NAME.ner]` settings of the rust-bert backend, and the checks that need only the files
//! of a model directory (so that they run, and fail clearly, in every build).
//!
//! ```toml
//! [models.minilm.ner]
//! backend = "rust-bert"
//! path = "models/quoteval-ner-minilm"     # config.json, vocab.txt or tokenizer.json, weights
//! labels = { PER = "PERSON", LOC = "PLACE", ORG = "ORG", MISC = "ignore" }
//! case_features = true
//! # device = "cpu"  batch_size = 8  window = 128  stride = 32  threads = 2  min_confidence = 0.0
//! # dtype = "fp32"  ("bf16", or "auto": bf16 on CUDA and on CPUs with AMX or AVX-512 BF16)
//! ```

use std::collections::BTreeMap;
use std::fmt;
use std::path::{Path, PathBuf};

use serde::Deserialize;

use super::error::BertError;
use crate::annotation::EntityType;
/// Model label names are read by [`crate::tags::split_label`] (every dialect of IOB labels).
pub use crate::tags::{split_label, Tag};

pub const DEFAULT_BATCH_SIZE: usize = 8;
pub const DEFAULT_WINDOW: usize = 128;
pub const DEFAULT_STRIDE: usize = 32;

#[derive(Debug, Clone, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct BertSettings {
    /// A local directory with config.json, vocab.txt or tokenizer.json, and the weights
    /// (model.safetensors or pytorch_model.bin). Relative to models.toml.
    pub path: Option<PathBuf>,
    /// A model-hub id ("dslim/bert-base-NER"); only with the cargo feature `remote`.
    pub hub: Option<String>,
    /// The model's label types (B-/I- stripped) mapped to "PERSON", "PLACE", "ORG" or "ignore".
    /// Every type of the model must be mapped.
    #[serde(default)]
    pub labels: BTreeMap<String, String>,
    /// "cpu" (default), "cuda", "cuda:N" or "auto" (CUDA when libtorch has it and a GPU is there).
    #[serde(default)]
    pub device: DeviceSetting,
    /// Compute precision of the weights and activations: "fp32" (default), "bf16" or "auto"
    /// (see [`DtypeSetting::resolve`]).
    #[serde(default)]
    pub dtype: DtypeSetting,
    /// Windows per forward pass.
    #[serde(default = "default_batch_size")]
    pub batch_size: usize,
    /// Model tokens per window, [CLS] and [SEP] included (128 gives 126 article word pieces).
    #[serde(default = "default_window")]
    pub window: usize,
    /// Overlap between neighbouring windows, in word pieces: each piece is labelled by the window
    /// in which it is farthest from an edge, so every piece sees at least `stride / 2` pieces of
    /// context on each side (except at the article's ends).
    #[serde(default = "default_stride")]
    pub stride: usize,
    /// Intra-op threads for libtorch (tch::set_num_threads); libtorch's default when unset.
    pub threads: Option<usize>,
    /// Feed each piece's case class as token_type_ids (see `case`); the model must have been
    /// trained with them (type_vocab_size >= 6).
    #[serde(default)]
    pub case_features: bool,
    /// Drop entities whose mean word-piece probability is below this (0 keeps everything).
    #[serde(default)]
    pub min_confidence: f64,
}

fn default_batch_size() -> usize {
    DEFAULT_BATCH_SIZE
}
fn default_window() -> usize {
    DEFAULT_WINDOW
}
fn default_stride() -> usize {
    DEFAULT_STRIDE
}

/// Where the model runs.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Deserialize)]
#[serde(try_from = "String")]
pub enum DeviceSetting {
    #[default]
    Cpu,
    Cuda(usize),
    Auto,
}

impl DeviceSetting {
    pub fn parse(s: &str) -> Result<DeviceSetting, BertError> {
        match s.trim() {
            "cpu" => Ok(DeviceSetting::Cpu),
            "cuda" | "gpu" => Ok(DeviceSetting::Cuda(0)),
            "auto" => Ok(DeviceSetting::Auto),
            other => other
                .strip_prefix("cuda:")
                .and_then(|n| n.parse().ok())
                .map(DeviceSetting::Cuda)
                .ok_or_else(|| BertError::BadDevice {
                    value: other.to_string(),
                }),
        }
    }
}

impl TryFrom<String> for DeviceSetting {
    type Error = BertError;
    fn try_from(s: String) -> Result<Self, BertError> {
        DeviceSetting::parse(&s)
    }
}

impl fmt::Display for DeviceSetting {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            DeviceSetting::Cpu => f.write_str("cpu"),
            DeviceSetting::Cuda(0) => f.write_str("cuda"),
            DeviceSetting::Cuda(n) => write!(f, "cuda:{n}"),
            DeviceSetting::Auto => f.write_str("auto"),
        }
    }
}

/// The precision a model computes in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Deserialize)]
#[serde(try_from = "String")]
pub enum DtypeSetting {
    #[default]
    Fp32,
    Bf16,
    /// bf16 where the hardware computes it natively (CUDA; a CPU with AMX or AVX-512 BF16),
    /// fp32 elsewhere: on other CPUs libtorch converts bf16 on every operation and it is
    /// slower than fp32.
    Auto,
}

/// The precision that actually runs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Dtype {
    Fp32,
    Bf16,
}

impl DtypeSetting {
    pub fn parse(s: &str) -> Result<DtypeSetting, BertError> {
        match s.trim() {
            "fp32" | "float32" => Ok(DtypeSetting::Fp32),
            "bf16" | "bfloat16" => Ok(DtypeSetting::Bf16),
            "auto" => Ok(DtypeSetting::Auto),
            other => Err(BertError::BadDtype {
                value: other.to_string(),
            }),
        }
    }

    /// `auto` made concrete: bf16 on CUDA or where the CPU has native bf16 arithmetic.
    pub fn resolve(self, cuda: bool) -> Dtype {
        match self {
            DtypeSetting::Fp32 => Dtype::Fp32,
            DtypeSetting::Bf16 => Dtype::Bf16,
            DtypeSetting::Auto if cuda || cpu_has_native_bf16() => Dtype::Bf16,
            DtypeSetting::Auto => Dtype::Fp32,
        }
    }
}

impl TryFrom<String> for DtypeSetting {
    type Error = BertError;
    fn try_from(s: String) -> Result<Self, BertError> {
        DtypeSetting::parse(&s)
    }
}

impl fmt::Display for DtypeSetting {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            DtypeSetting::Fp32 => "fp32",
            DtypeSetting::Bf16 => "bf16",
            DtypeSetting::Auto => "auto",
        })
    }
}

impl fmt::Display for Dtype {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Dtype::Fp32 => "fp32",
            Dtype::Bf16 => "bf16",
        })
    }
}

/// Whether this CPU computes bf16 natively (AMX-BF16 or AVX512-BF16), from the kernel's
/// /proc/cpuinfo flags: `is_x86_feature_detected!` knows neither on the supported Rust
/// versions (1.80). False where the file is missing (not Linux).
pub fn cpu_has_native_bf16() -> bool {
    static DETECTED: std::sync::OnceLock<bool> = std::sync::OnceLock::new();
    *DETECTED.get_or_init(|| {
        std::fs::read_to_string("/proc/cpuinfo").is_ok_and(|text| cpuinfo_has_native_bf16(&text))
    })
}

/// [`cpu_has_native_bf16`] on the text of /proc/cpuinfo: the first `flags` line (every core of
/// a machine has the same).
pub fn cpuinfo_has_native_bf16(cpuinfo: &str) -> bool {
    cpuinfo
        .lines()
        .find(|l| l.starts_with("flags"))
        .and_then(|l| l.split_once(':'))
        .is_some_and(|(_, flags)| {
            flags
                .split_whitespace()
                .any(|f| f == "amx_bf16" || f == "avx512_bf16")
        })
}

/// What a model label type maps to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Target {
    Entity(EntityType),
    Ignore,
}

impl Target {
    pub fn parse(s: &str) -> Option<Target> {
        match s {
            "ignore" => Some(Target::Ignore),
            other => EntityType::parse(other).map(Target::Entity),
        }
    }
}

/// A model's labels, each resolved to its tag and (type index, target).
#[derive(Debug, Clone, PartialEq)]
pub struct LabelScheme {
    /// By label id: the label as the model names it.
    pub names: Vec<String>,
    /// By label id: its tag and the index of its type in `types` (None for O).
    pub tags: Vec<(Tag, Option<usize>)>,
    /// The model's distinct types (B-/I- stripped), with what each maps to.
    pub types: Vec<(String, Target)>,
}

impl LabelScheme {
    /// Resolves `names` (by label id) against the settings' `labels` map. Every model type must be
    /// mapped, every mapped type must exist, every target must be PERSON, PLACE, ORG or ignore.
    pub fn new(
        names: Vec<String>,
        map: &BTreeMap<String, String>,
    ) -> Result<LabelScheme, BertError> {
        let mut types: Vec<(String, Target)> = Vec::new();
        let mut tags = Vec::with_capacity(names.len());
        let mut unmapped = Vec::new();
        for name in &names {
            let (tag, ty) = split_label(name);
            if tag == Tag::Outside {
                tags.push((tag, None));
                continue;
            }
            let index = match types.iter().position(|(t, _)| t == ty) {
                Some(i) => i,
                None => {
                    let target = match map.get(ty) {
                        Some(value) => {
                            Target::parse(value).ok_or_else(|| BertError::LabelTarget {
                                label_type: ty.to_string(),
                                value: value.clone(),
                            })?
                        }
                        None => {
                            unmapped.push(ty.to_string());
                            Target::Ignore
                        }
                    };
                    types.push((ty.to_string(), target));
                    types.len() - 1
                }
            };
            tags.push((tag, Some(index)));
        }
        if !unmapped.is_empty() {
            return Err(BertError::UnmappedLabels {
                unmapped,
                types: types.iter().map(|(t, _)| t.clone()).collect(),
            });
        }
        let extra: Vec<String> = map
            .keys()
            .filter(|k| !types.iter().any(|(t, _)| t == *k))
            .cloned()
            .collect();
        if !extra.is_empty() {
            return Err(BertError::UnknownLabels {
                extra,
                known: types.iter().map(|(t, _)| t.clone()).collect(),
            });
        }
        Ok(LabelScheme { names, tags, types })
    }

    pub fn len(&self) -> usize {
        self.names.len()
    }

    pub fn is_empty(&self) -> bool {
        self.names.is_empty()
    }
}

/// The files of a local model directory.
#[derive(Debug, Clone, PartialEq)]
pub struct ModelFiles {
    pub dir: PathBuf,
    pub config: PathBuf,
    pub tokenizer: TokenizerFile,
    /// tokenizer_config.json, when present (for `do_lower_case`).
    pub tokenizer_config: Option<PathBuf>,
    pub weights: PathBuf,
}

#[derive(Debug, Clone, PartialEq)]
pub enum TokenizerFile {
    /// A `tokenizers` tokenizer.json (used as is, without its post-processor).
    Json(PathBuf),
    /// A BERT WordPiece vocabulary, one piece a line.
    Vocab(PathBuf),
}

impl ModelFiles {
    /// Finds the files in `dir`, naming the first one missing.
    pub fn find(dir: &Path) -> Result<ModelFiles, BertError> {
        if !dir.is_dir() {
            return Err(BertError::NoModelDir {
                dir: dir.to_path_buf(),
            });
        }
        let config = dir.join("config.json");
        if !config.is_file() {
            return Err(BertError::MissingFile {
                path: config,
                or: None,
            });
        }
        let tokenizer = if dir.join("tokenizer.json").is_file() {
            TokenizerFile::Json(dir.join("tokenizer.json"))
        } else if dir.join("vocab.txt").is_file() {
            TokenizerFile::Vocab(dir.join("vocab.txt"))
        } else {
            return Err(BertError::MissingFile {
                path: dir.join("vocab.txt"),
                or: Some("tokenizer.json"),
            });
        };
        let weights = ["model.safetensors", "pytorch_model.bin"]
            .iter()
            .map(|f| dir.join(f))
            .find(|p| p.is_file())
            .ok_or_else(|| BertError::MissingFile {
                path: dir.join("model.safetensors"),
                or: Some("pytorch_model.bin"),
            })?;
        let tokenizer_config = Some(dir.join("tokenizer_config.json")).filter(|p| p.is_file());
        Ok(ModelFiles {
            dir: dir.to_path_buf(),
            config,
            tokenizer,
            tokenizer_config,
            weights,
        })
    }
}

/// The parts of config.json the backend checks before loading (the model code reads the rest).
#[derive(Debug, Clone, PartialEq)]
pub struct ModelConfig {
    /// Label names by id.
    pub labels: Vec<String>,
    /// A joint model's heads (config.json `quoteval_heads`); None: one head of every label.
    pub heads: Option<Heads>,
    pub type_vocab_size: usize,
    pub max_position_embeddings: usize,
    pub vocab_size: usize,
}

impl ModelConfig {
    pub fn read(path: &Path) -> Result<ModelConfig, BertError> {
        #[derive(Deserialize)]
        struct Raw {
            id2label: Option<BTreeMap<String, String>>,
            type_vocab_size: Option<usize>,
            max_position_embeddings: Option<usize>,
            vocab_size: Option<usize>,
            architectures: Option<Vec<String>>,
            quoteval_heads: Option<BTreeMap<String, [usize; 2]>>,
        }
        let text = std::fs::read_to_string(path).map_err(|source| BertError::Read {
            path: path.to_path_buf(),
            source,
        })?;
        let raw: Raw = serde_json::from_str(&text).map_err(|source| BertError::Json {
            path: path.to_path_buf(),
            source,
        })?;
        if let Some(arch) = &raw.architectures {
            if !arch.iter().any(|a| a == "BertForTokenClassification") {
                return Err(BertError::Architecture {
                    path: path.to_path_buf(),
                    architectures: arch.clone(),
                });
            }
        }
        let missing = |key: &'static str| BertError::ConfigKey {
            path: path.to_path_buf(),
            key,
        };
        let id2label = raw.id2label.ok_or_else(|| missing("id2label"))?;
        let mut labels = vec![None; id2label.len()];
        for (id, label) in &id2label {
            let i: usize = id.parse().map_err(|_| BertError::LabelIdNotNumber {
                path: path.to_path_buf(),
                id: id.clone(),
            })?;
            let slot = labels
                .get_mut(i)
                .ok_or_else(|| BertError::LabelIdsNotDense {
                    path: path.to_path_buf(),
                    count: id2label.len(),
                })?;
            *slot = Some(label.clone());
        }
        let heads =
            match raw.quoteval_heads {
                Some(map) => Some(Heads::from_config(&map, labels.len()).map_err(|why| {
                    BertError::Heads {
                        path: path.to_path_buf(),
                        why,
                    }
                })?),
                None => None,
            };
        Ok(ModelConfig {
            heads,
            labels: labels.into_iter().map(|l| l.unwrap_or_default()).collect(),
            type_vocab_size: raw.type_vocab_size.unwrap_or(2),
            max_position_embeddings: raw
                .max_position_embeddings
                .ok_or_else(|| missing("max_position_embeddings"))?,
            vocab_size: raw.vocab_size.ok_or_else(|| missing("vocab_size"))?,
        })
    }
}

/// The two heads of a joint model over one encoder: which rows of its classifier are the entity
/// labels and which the attribution (Content / Source / Cue) labels, each a softmax of its own.
/// config.json: `"quoteval_heads": {"entities": [0, 9], "attributions": [9, 16]}`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Heads {
    pub entities: std::ops::Range<usize>,
    pub attributions: std::ops::Range<usize>,
}

impl Heads {
    fn from_config(map: &BTreeMap<String, [usize; 2]>, labels: usize) -> Result<Heads, String> {
        let range = |name: &str| -> Result<std::ops::Range<usize>, String> {
            let [start, end] = *map.get(name).ok_or_else(|| format!("no {name:?} head"))?;
            if start >= end || end > labels {
                return Err(format!(
                    "head {name:?} [{start}, {end}) is not a range of the {labels} labels"
                ));
            }
            Ok(start..end)
        };
        if let Some(other) = map
            .keys()
            .find(|k| !matches!(k.as_str(), "entities" | "attributions"))
        {
            return Err(format!(
                "unknown head {other:?} (heads: entities, attributions)"
            ));
        }
        let heads = Heads {
            entities: range("entities")?,
            attributions: range("attributions")?,
        };
        if heads.entities.start < heads.attributions.end
            && heads.attributions.start < heads.entities.end
        {
            return Err("the entities and attributions heads overlap".into());
        }
        Ok(heads)
    }

    /// The attribution head's label names, without the prefix that keeps them apart from the
    /// entity labels in config.json (`ATTR-B-CONTENT` -> `B-CONTENT`).
    pub fn attribution_labels(&self, labels: &[String]) -> Vec<String> {
        labels[self.attributions.clone()]
            .iter()
            .map(|l| l.strip_prefix(ATTRIBUTION_PREFIX).unwrap_or(l).to_string())
            .collect()
    }
}

/// How a joint model's config.json names its attribution labels.
pub const ATTRIBUTION_PREFIX: &str = "ATTR-";

/// Where the model comes from.
#[derive(Debug, Clone, PartialEq)]
pub enum ModelSource {
    Local(PathBuf),
    Hub(String),
}

impl BertSettings {
    /// Checks the numbers and the label targets (everything that needs no model files).
    pub fn check(&self) -> Result<(), BertError> {
        if self.batch_size == 0 {
            return Err(BertError::BatchSize);
        }
        if self.window < 3 {
            return Err(BertError::Window {
                window: self.window,
            });
        }
        if self.stride + 2 >= self.window {
            return Err(BertError::Stride {
                stride: self.stride,
                content: self.window - 2,
            });
        }
        if self.threads == Some(0) {
            return Err(BertError::Threads);
        }
        if !(0.0..=1.0).contains(&self.min_confidence) {
            return Err(BertError::MinConfidence {
                value: self.min_confidence,
            });
        }
        for (ty, value) in &self.labels {
            if Target::parse(value).is_none() {
                return Err(BertError::LabelTarget {
                    label_type: ty.clone(),
                    value: value.clone(),
                });
            }
        }
        Ok(())
    }

    /// The model's source: `path` resolved against `base` (the directory of models.toml), or `hub`.
    pub fn source(&self, base: &Path) -> Result<ModelSource, BertError> {
        match (&self.path, &self.hub) {
            (Some(_), Some(_)) => Err(BertError::PathAndHub),
            (None, None) => Err(BertError::NoSource),
            (Some(path), None) => Ok(ModelSource::Local(if path.is_absolute() {
                path.clone()
            } else {
                base.join(path)
            })),
            (None, Some(hub)) => {
                if cfg!(feature = "remote") {
                    Ok(ModelSource::Hub(hub.clone()))
                } else {
                    Err(BertError::HubNeedsRemote { id: hub.clone() })
                }
            }
        }
    }

    /// Checks a local model directory against these settings: its files, its labels against
    /// `labels`, its type vocabulary against `case_features`, its positions against `window`.
    pub fn check_model(&self, files: &ModelFiles) -> Result<(ModelConfig, LabelScheme), BertError> {
        let config = ModelConfig::read(&files.config)?;
        // A joint model is an entity recogniser through its entity head.
        let entity_labels = match &config.heads {
            Some(h) => config.labels[h.entities.clone()].to_vec(),
            None => config.labels.clone(),
        };
        let scheme =
            LabelScheme::new(entity_labels, &self.labels).map_err(|e| BertError::InConfig {
                path: files.config.clone(),
                source: Box::new(e),
            })?;
        if self.case_features && config.type_vocab_size < super::case::NUM_CASE_CLASSES {
            return Err(BertError::CaseFeatures {
                path: files.config.clone(),
                needed: super::case::NUM_CASE_CLASSES,
                type_vocab_size: config.type_vocab_size,
            });
        }
        if self.window > config.max_position_embeddings {
            return Err(BertError::WindowTooLong {
                window: self.window,
                max: config.max_position_embeddings,
            });
        }
        Ok((config, scheme))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(toml_text: &str) -> Result<BertSettings, toml::de::Error> {
        toml::from_str(toml_text)
    }

    #[test]
    fn native_bf16_from_cpuinfo_flags() {
        let amd = "processor\t: 0\nmodel name\t: AMD EPYC\nflags\t\t: fpu sse avx avx2 fma\n";
        let spr = "processor\t: 0\nflags\t\t: avx2 avx512f avx512_bf16 amx_bf16 amx_tile\n";
        let amx_only = "flags\t\t: avx2 amx_bf16\n";
        // A flag's name inside another word does not count.
        let lookalike = "flags\t\t: avx2 avx512_bf16x\nbugs\t\t: amx_bf16\n";
        assert!(!cpuinfo_has_native_bf16(amd));
        assert!(cpuinfo_has_native_bf16(spr));
        assert!(cpuinfo_has_native_bf16(amx_only));
        assert!(!cpuinfo_has_native_bf16(lookalike));
        assert!(!cpuinfo_has_native_bf16(""));
        assert_eq!(DtypeSetting::Auto.resolve(true), Dtype::Bf16);
        assert_eq!(DtypeSetting::Fp32.resolve(true), Dtype::Fp32);
        assert_eq!(DtypeSetting::Bf16.resolve(false), Dtype::Bf16);
        let cpu = if cpu_has_native_bf16() {
            Dtype::Bf16
        } else {
            Dtype::Fp32
        };
        assert_eq!(DtypeSetting::Auto.resolve(false), cpu);
    }

    #[test]
    fn defaults_and_every_key() {
        let s = parse("path = \"m\"").unwrap();
        assert_eq!(
            (s.batch_size, s.window, s.stride, s.device),
            (8, 128, 32, DeviceSetting::Cpu)
        );
        assert!(!s.case_features && s.min_confidence == 0.0 && s.threads.is_none());
        let s = parse(
            "path = \"m\"\nlabels = { PER = \"PERSON\" }\ndevice = \"cuda:1\"\nbatch_size = 4\nwindow = 64\n\
             stride = 16\nthreads = 2\ncase_features = true\nmin_confidence = 0.5\n",
        )
        .unwrap();
        assert_eq!(s.device, DeviceSetting::Cuda(1));
        assert_eq!(
            (s.batch_size, s.window, s.stride, s.threads),
            (4, 64, 16, Some(2))
        );
        assert!(s.check().is_ok());
        assert!(parse("path = \"m\"\nwindow_size = 3")
            .unwrap_err()
            .to_string()
            .contains("unknown field `window_size`"));
        assert_eq!(s.dtype, DtypeSetting::Fp32);
        assert_eq!(parse("dtype = \"bf16\"").unwrap().dtype, DtypeSetting::Bf16);
        assert_eq!(parse("dtype = \"auto\"").unwrap().dtype, DtypeSetting::Auto);
        assert!(parse("dtype = \"fp16\"")
            .unwrap_err()
            .to_string()
            .contains("expected \"fp32\", \"bf16\" or \"auto\""));
        assert!(parse("device = \"tpu\"")
            .unwrap_err()
            .to_string()
            .contains("expected \"cpu\""));
    }

    #[test]
    fn bad_numbers_are_named() {
        let with = |extra: &str| {
            parse(&format!("path = \"m\"\n{extra}"))
                .unwrap()
                .check()
                .unwrap_err()
                .to_string()
        };
        assert!(with("batch_size = 0").contains("batch_size"));
        assert!(with("window = 16\nstride = 14").contains("stride = 14"));
        assert!(with("threads = 0").contains("threads"));
        assert!(with("min_confidence = 1.5").contains("min_confidence"));
        assert!(with("labels = { PER = \"PEOPLE\" }").contains("labels.PER"));
    }

    #[test]
    fn source_needs_exactly_one_of_path_and_hub() {
        let base = Path::new("/base");
        assert_eq!(
            parse("path = \"m\"").unwrap().source(base).unwrap(),
            ModelSource::Local("/base/m".into())
        );
        assert!(parse("")
            .unwrap()
            .source(base)
            .unwrap_err()
            .to_string()
            .contains("needs `path"));
        assert!(parse("path = \"m\"\nhub = \"x/y\"")
            .unwrap()
            .source(base)
            .unwrap_err()
            .to_string()
            .contains("not both"));
        let hub = parse("hub = \"x/y\"").unwrap().source(base);
        if cfg!(feature = "remote") {
            assert_eq!(hub.unwrap(), ModelSource::Hub("x/y".into()));
        } else {
            assert!(hub.unwrap_err().to_string().contains("feature `remote`"));
        }
    }

    #[test]
    fn labels_split_and_map() {
        assert_eq!(split_label("B-PER"), (Tag::Begin, "PER"));
        assert_eq!(split_label("I-LOC"), (Tag::Inside, "LOC"));
        assert_eq!(split_label("E-ORG"), (Tag::End, "ORG"));
        assert_eq!(split_label("U-ORG"), (Tag::Single, "ORG"));
        assert_eq!(split_label("PER"), (Tag::Inside, "PER"));
        assert_eq!(split_label("O"), (Tag::Outside, ""));
        let names: Vec<String> = ["O", "B-PER", "I-PER", "B-MISC", "I-MISC"]
            .iter()
            .map(|s| s.to_string())
            .collect();
        let mut map = BTreeMap::new();
        map.insert("PER".to_string(), "PERSON".to_string());
        let err = LabelScheme::new(names.clone(), &map)
            .unwrap_err()
            .to_string();
        assert!(err.contains("type MISC is not mapped"), "{err}");
        map.insert("MISC".to_string(), "ignore".to_string());
        let scheme = LabelScheme::new(names.clone(), &map).unwrap();
        assert_eq!(
            scheme.types,
            vec![
                ("PER".to_string(), Target::Entity(EntityType::Person)),
                ("MISC".to_string(), Target::Ignore)
            ]
        );
        assert_eq!(scheme.tags[2], (Tag::Inside, Some(0)));
        map.insert("GPE".to_string(), "PLACE".to_string());
        let err = LabelScheme::new(names, &map).unwrap_err().to_string();
        assert!(
            err.contains("labels maps GPE") && err.contains("PER, MISC"),
            "{err}"
        );
    }

    #[test]
    fn joint_heads_are_read_checked_and_give_the_entity_head_to_the_label_scheme() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("config.json");
        let write = |heads: &str| {
            let mut labels: Vec<String> = ["O", "B-PER", "I-PER"].map(String::from).to_vec();
            labels.extend(["O", "B-CONTENT", "I-CONTENT"].map(|l| format!("ATTR-{l}")));
            let id2label: BTreeMap<String, String> = labels
                .iter()
                .enumerate()
                .map(|(i, l)| (i.to_string(), l.clone()))
                .collect();
            let json = format!(
                "{{\"id2label\": {}, \"max_position_embeddings\": 512, \"vocab_size\": 10{heads}}}",
                serde_json::to_string(&id2label).unwrap()
            );
            std::fs::write(&path, json).unwrap();
            ModelConfig::read(&path)
        };
        let config = write(r#", "quoteval_heads": {"entities": [0, 3], "attributions": [3, 6]}"#)
            .expect("reads");
        let heads = config.heads.clone().expect("heads");
        assert_eq!(heads.entities, 0..3);
        assert_eq!(
            heads.attribution_labels(&config.labels),
            ["O", "B-CONTENT", "I-CONTENT"]
        );
        assert_eq!(write("").expect("reads").heads, None);
        for (bad, why) in [
            (
                r#"{"entities": [0, 3], "attributions": [3, 7]}"#,
                "not a range",
            ),
            (r#"{"entities": [0, 4], "attributions": [3, 6]}"#, "overlap"),
            (r#"{"entities": [0, 3]}"#, "no \"attributions\" head"),
            (
                r#"{"entities": [0, 3], "attributions": [3, 6], "x": [0, 1]}"#,
                "unknown head",
            ),
        ] {
            let err = write(&format!(r#", "quoteval_heads": {bad}"#))
                .expect_err(bad)
                .to_string();
            assert!(
                err.contains(why) && err.contains("config.json"),
                "{bad}: {err}"
            );
        }
    }
}
