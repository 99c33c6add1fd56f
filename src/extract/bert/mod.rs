//! The rust-bert token-classification backend. Settings are always compiled (so `models.toml`
//! validates in every build); the model code needs the `ner` feature.

pub mod settings;
pub use settings::BertSettings;
