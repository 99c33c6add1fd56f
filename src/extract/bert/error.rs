//! What can go wrong in the rust-bert backend, as values: each variant keeps its cause (the file,
//! the I/O, tokenizer, JSON or libtorch error, the setting) so a caller can tell them apart without
//! reading the message. The messages are the ones users saw when these were strings.

use std::path::PathBuf;

use super::settings::DeviceSetting;

#[derive(Debug, thiserror::Error)]
pub enum BertError {
    // --- settings (models.toml and run-time overrides) ---
    #[error("device {value:?}: expected \"cpu\", \"cuda\", \"cuda:N\" or \"auto\"")]
    BadDevice { value: String },
    #[error("dtype {value:?}: expected \"fp32\", \"bf16\" or \"auto\"")]
    BadDtype { value: String },
    #[error("batch_size must be at least 1")]
    BatchSize,
    #[error("window = {window}: must be at least 3 ([CLS], a word piece, [SEP])")]
    Window { window: usize },
    #[error(
        "stride = {stride} (the overlap between windows) must be smaller than window - 2 = {content}"
    )]
    Stride { stride: usize, content: usize },
    #[error("threads must be at least 1")]
    Threads,
    #[error("min_confidence = {value}: must be between 0 and 1")]
    MinConfidence { value: f64 },
    /// `labels.TYPE = "VALUE"` with a value that is no target.
    #[error(
        "labels.{label_type} = {value:?}: expected \"PERSON\", \"PLACE\", \"ORG\" or \"ignore\""
    )]
    LabelTarget { label_type: String, value: String },
    #[error("set either `path` or `hub`, not both")]
    PathAndHub,
    #[error("needs `path = \"DIR\"` (a local model directory) or `hub = \"ID\"`")]
    NoSource,
    #[error(
        "hub = {id:?} needs a build with the cargo feature `remote` (cargo build --features \
         remote), which downloads from the model hub; this build reads local models only: \
         set `path = \"DIR\"`"
    )]
    HubNeedsRemote { id: String },
    #[error(
        "{dir}: the rust-bert backend needs a build with the `ner` feature (the default; it needs \
         libtorch: `make setup`)"
    )]
    NeedsNer { dir: PathBuf },

    // --- the model directory checked against the settings ---
    #[error("model directory {dir} does not exist")]
    NoModelDir { dir: PathBuf },
    /// A required file is missing; `or` names the file that would do instead.
    #[error("missing {path}{}", or_instead(.or))]
    MissingFile {
        path: PathBuf,
        or: Option<&'static str>,
    },
    #[error("{path}: architectures {architectures:?}; this backend runs BertForTokenClassification models")]
    Architecture {
        path: PathBuf,
        architectures: Vec<String>,
    },
    /// config.json lacks a key the backend needs.
    #[error("{path}: no {key}")]
    ConfigKey { path: PathBuf, key: &'static str },
    #[error("{path}: id2label key {id:?} is not a number")]
    LabelIdNotNumber { path: PathBuf, id: String },
    #[error("{path}: id2label ids are not 0..{count}")]
    LabelIdsNotDense { path: PathBuf, count: usize },
    #[error("{path}: quoteval_heads: {why}")]
    Heads { path: PathBuf, why: String },
    #[error("{}", unmapped_message(.unmapped, .types))]
    UnmappedLabels {
        unmapped: Vec<String>,
        /// Every type of the model, for the suggested `labels = { ... }`.
        types: Vec<String>,
    },
    #[error("labels maps {} but the model has no such label type (its types: {})", .extra.join(", "), .known.join(", "))]
    UnknownLabels {
        extra: Vec<String>,
        known: Vec<String>,
    },
    /// A label problem found in a model's config.json (the file, then the problem).
    #[error("{path}: {source}")]
    InConfig {
        path: PathBuf,
        source: Box<BertError>,
    },
    #[error(
        "case_features = true needs a model trained with case classes (type_vocab_size >= {needed}); {path} has \
         type_vocab_size {type_vocab_size}"
    )]
    CaseFeatures {
        path: PathBuf,
        needed: usize,
        type_vocab_size: usize,
    },
    #[error("window = {window} exceeds the model's max_position_embeddings ({max})")]
    WindowTooLong { window: usize, max: usize },

    // --- reading and running the model ---
    #[error("cannot read {path}: {source}")]
    Read {
        path: PathBuf,
        source: std::io::Error,
    },
    /// Writing or creating a file or directory (the hub cache).
    #[error("{path}: {source}")]
    Write {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("{path}: {source}")]
    Json {
        path: PathBuf,
        source: serde_json::Error,
    },
    /// The tokenizers crate failed on a file (reading, building or saving a tokenizer).
    #[error("{path}: {source}")]
    Tokenizer {
        path: PathBuf,
        source: tokenizers::Error,
    },
    #[error("{path}: no {token} token")]
    MissingToken { path: PathBuf, token: &'static str },
    #[error("article {article}: {source}")]
    Encode {
        article: String,
        source: tokenizers::Error,
    },
    /// The forward pass failed (the [`super::engine::Scorer`]'s error is the cause).
    #[error("the forward pass failed: {0}")]
    Scorer(#[source] super::engine::ScoreError),
    #[error("the model returned {got} labels for a {rows}x{len} batch")]
    BatchShape { got: usize, rows: usize, len: usize },
    #[error("internal: piece {piece} of article {article} got no label")]
    Unlabelled { piece: usize, article: usize },
    #[error(
        "device = \"{setting}\" but CUDA is not available: {why}; use device = \"cpu\" or \"auto\""
    )]
    NoCuda {
        setting: DeviceSetting,
        why: &'static str,
    },
    #[error("device = \"{setting}\" but only {count} CUDA device(s) are visible")]
    NoSuchCuda {
        setting: DeviceSetting,
        count: usize,
    },
    #[cfg(feature = "ner")]
    #[error("{0}")]
    Model(#[from] rust_bert::RustBertError),
    #[cfg(feature = "ner")]
    #[error(
        "{path}: no tensor {name:?} (the weights must use the names of Hugging Face's \
         BertForTokenClassification: bert.embeddings..., bert.encoder..., classifier...)"
    )]
    MissingTensor { path: PathBuf, name: String },
    #[cfg(feature = "ner")]
    #[error("{path}: {source}")]
    Weights {
        path: PathBuf,
        source: tch::TchError,
    },

    // --- model-hub downloads (feature `remote`) ---
    #[error("no HOME for the model cache")]
    NoHome,
    #[cfg(feature = "remote")]
    #[error("{url}: {source}")]
    Download {
        url: String,
        source: rust_bert::RustBertError,
    },
}

/// "the model's label type MISC is not mapped ...", with the `labels = { ... }` to write.
fn unmapped_message(unmapped: &[String], types: &[String]) -> String {
    let all: Vec<String> = types.iter().map(|t| format!("{t} = \"...\"")).collect();
    format!(
        "the model's label type{} {} {} not mapped in `labels`; map every type to \"PERSON\", \
         \"PLACE\", \"ORG\" or \"ignore\": labels = {{ {} }}",
        if unmapped.len() == 1 { "" } else { "s" },
        unmapped.join(", "),
        if unmapped.len() == 1 { "is" } else { "are" },
        all.join(", ")
    )
}

/// " (or FILE)" after a missing file that another would replace.
fn or_instead(or: &Option<&'static str>) -> String {
    or.map(|f| format!(" (or {f})")).unwrap_or_default()
}
