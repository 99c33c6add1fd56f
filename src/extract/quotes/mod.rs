//! The rule-based quote extractor and speaker attribution.

pub mod places;

use serde::Deserialize;

/// `[models.NAME.quotes]` settings of the rule-based extractor.
#[derive(Debug, Clone, Deserialize, PartialEq, Default)]
#[serde(deny_unknown_fields)]
pub struct RulesSettings {}
