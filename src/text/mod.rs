//! Text primitives shared by extraction and the formats, below both (it imports only
//! [`crate::annotation`]): quotation marks ([`marks`]: the full reading of the quote rules, and
//! [`quoted_chars`], the simple rule that decides a quote's PARC kind for gold, imports and
//! predictions alike), and the article split into paragraphs, tokens and sentences in which a
//! quotation is one unit ([`Text`]).
//!
//! `format::conll` keeps its own tokenizer on purpose: its tokens are the exchange format's
//! (alphanumeric runs and single other chars, cut at mention boundaries), which a round trip
//! must reproduce; the quote rules' tokens keep apostrophes, hyphens and abbreviations inside
//! words.

pub mod anchor;
pub mod marks;
mod sentences;

pub use marks::quoted_chars;
pub use sentences::{
    is_abbreviation, ParaKind, Paragraph, Sentence, Text, TokKind, Token, Unit, SIGNATURE_DASHES,
};
