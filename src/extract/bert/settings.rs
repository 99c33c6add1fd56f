//! `[models.NAME.ner]` settings of the rust-bert backend.

use std::collections::BTreeMap;
use std::path::PathBuf;

use serde::Deserialize;

#[derive(Debug, Clone, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct BertSettings {
    /// A local directory with config.json, vocab.txt or tokenizer.json, and the weights.
    pub path: Option<PathBuf>,
    /// The model's labels mapped to PERSON / PLACE / ORG / "ignore", by entity type (B-/I- stripped).
    #[serde(default)]
    pub labels: BTreeMap<String, String>,
}
