//! Everything around the forward pass: tokenizing, case classes, windows, batches across
//! articles, stitching window outputs back into one label per piece, decoding. The forward pass
//! itself is a [`Scorer`] (the libtorch model in `model.rs`; tests plug in oracles), so this whole
//! path builds and is tested without libtorch.

use std::collections::HashMap;
use std::path::Path;
use std::sync::Arc;

use tokenizers::models::wordpiece::WordPiece;
use tokenizers::normalizers::bert::BertNormalizer;
use tokenizers::pre_tokenizers::bert::BertPreTokenizer;
use tokenizers::Tokenizer;

use super::case::{piece_case_class, CASE_SPECIAL};
use super::decode::{decode, Piece, PieceLabel};
use super::error::BertError;
use super::settings::{BertSettings, LabelScheme, ModelFiles, TokenizerFile};
use super::window::{plan, Break, Window};
use crate::annotation::{Article, Mention, Span};
use crate::extract::{ExtractStats, Progress};

/// A BERT WordPiece tokenizer (from tokenizer.json, or built from vocab.txt) and its specials.
pub struct BertTokenizer {
    tokenizer: Tokenizer,
    pub cls: u32,
    pub sep: u32,
    pub pad: u32,
    pub lowercase: Option<bool>,
}

impl BertTokenizer {
    pub fn load(files: &ModelFiles) -> Result<BertTokenizer, BertError> {
        match &files.tokenizer {
            TokenizerFile::Json(path) => Self::from_json(path),
            TokenizerFile::Vocab(path) => {
                let lowercase = match &files.tokenizer_config {
                    Some(cfg) => read_do_lower_case(cfg)?,
                    None => None,
                };
                Self::from_vocab(path, lowercase)
            }
        }
    }

    /// A tokenizer.json, used without its truncation, padding and post-processor.
    pub fn from_json(path: &Path) -> Result<BertTokenizer, BertError> {
        let mut tokenizer = Tokenizer::from_file(path).map_err(|e| tokenizer_error(path, e))?;
        tokenizer
            .with_truncation(None)
            .map_err(|e| tokenizer_error(path, e))?;
        tokenizer.with_padding(None);
        Self::with_specials(tokenizer, path, None)
    }

    /// A BERT tokenizer over vocab.txt. `lowercase`: from tokenizer_config.json's `do_lower_case`;
    /// when unknown, a vocabulary without any uppercase entry is taken as uncased.
    pub fn from_vocab(path: &Path, lowercase: Option<bool>) -> Result<BertTokenizer, BertError> {
        let text = std::fs::read_to_string(path).map_err(|source| BertError::Read {
            path: path.to_path_buf(),
            source,
        })?;
        let vocab: HashMap<String, u32> = text
            .lines()
            .enumerate()
            .map(|(i, line)| (line.trim_end_matches('\r').to_string(), i as u32))
            .collect();
        let lowercase = lowercase.unwrap_or_else(|| {
            !vocab.keys().any(|t| {
                !(t.starts_with('[') && t.ends_with(']')) && t.chars().any(char::is_uppercase)
            })
        });
        let model = WordPiece::builder()
            .vocab(vocab)
            .unk_token("[UNK]".into())
            .continuing_subword_prefix("##".into())
            .build()
            .map_err(|e| tokenizer_error(path, e))?;
        let mut tokenizer = Tokenizer::new(model);
        tokenizer.with_normalizer(BertNormalizer::new(true, true, None, lowercase));
        tokenizer.with_pre_tokenizer(BertPreTokenizer);
        Self::with_specials(tokenizer, path, Some(lowercase))
    }

    fn with_specials(
        tokenizer: Tokenizer,
        path: &Path,
        lowercase: Option<bool>,
    ) -> Result<BertTokenizer, BertError> {
        let id = |token: &'static str| {
            tokenizer
                .token_to_id(token)
                .ok_or_else(|| BertError::MissingToken {
                    path: path.to_path_buf(),
                    token,
                })
        };
        let cls = id("[CLS]")?;
        let sep = id("[SEP]")?;
        let pad = id("[PAD]").unwrap_or(0);
        Ok(BertTokenizer {
            tokenizer,
            cls,
            sep,
            pad,
            lowercase,
        })
    }

    /// Writes the tokenizer as a tokenizer.json.
    pub fn save(&self, path: &Path) -> Result<(), BertError> {
        self.tokenizer
            .save(path, true)
            .map_err(|e| tokenizer_error(path, e))
    }

    pub fn vocab_size(&self) -> usize {
        self.tokenizer.get_vocab_size(true)
    }

    /// The article's word pieces with char spans (no special tokens).
    pub fn pieces(&self, article: &Article) -> Result<Vec<Piece>, BertError> {
        self.pieces_in_segments(article, ENCODE_SEGMENT_BYTES)
    }

    /// [`Self::pieces`], encoding the text in line-aligned segments of about `segment` bytes.
    fn pieces_in_segments(
        &self,
        article: &Article,
        segment: usize,
    ) -> Result<Vec<Piece>, BertError> {
        let text = article.text();
        let mut pieces = Vec::new();
        // Word ids restart in every segment; pieces of one word must share one, across the text.
        let mut first_word = 0u32;
        for (offset, part) in segments(text, segment) {
            let enc = self
                .tokenizer
                .encode(part, false)
                .map_err(|source| BertError::Encode {
                    article: article.id.to_string(),
                    source,
                })?;
            let word_ids = enc.get_word_ids();
            let mut words = 0u32;
            pieces.reserve(enc.len());
            for (i, (&id, &(start, end))) in enc.get_ids().iter().zip(enc.get_offsets()).enumerate()
            {
                let (start, end) = (start + offset, end + offset);
                let span = article.span_of_bytes(start, end).unwrap_or_else(|| {
                    // Not on char boundaries (cannot happen with BERT normalizers): widen to them.
                    let floor = (0..=start.min(text.len()))
                        .rev()
                        .find(|&b| text.is_char_boundary(b))
                        .unwrap_or(0);
                    let ceil = (end.min(text.len())..=text.len())
                        .find(|&b| text.is_char_boundary(b))
                        .unwrap_or(text.len());
                    Span::new(
                        article.char_of_byte(floor).unwrap_or(0),
                        article.char_of_byte(ceil).unwrap_or(0),
                    )
                });
                let word = match word_ids.get(i).copied().flatten() {
                    Some(w) => {
                        words = words.max(w + 1);
                        first_word.saturating_add(w)
                    }
                    None => u32::MAX - pieces.len() as u32,
                };
                pieces.push(Piece { id, span, word });
            }
            first_word = first_word.saturating_add(words);
        }
        Ok(pieces)
    }
}

fn tokenizer_error(path: &Path, source: tokenizers::Error) -> BertError {
    BertError::Tokenizer {
        path: path.to_path_buf(),
        source,
    }
}

/// Bytes of text the tokenizer encodes at a time. Its intermediate structures (the normalized
/// copies with an alignment per byte, a `String` per token) take about a hundred times the text:
/// a 5 MB article encoded whole held 0.6 GB. BERT's normalizer works per char and its
/// pre-tokenizer splits at whitespace, so segments that end after a whitespace char (a line end
/// where there is one) give the pieces of the whole text.
const ENCODE_SEGMENT_BYTES: usize = 64 * 1024;

/// `text` cut into consecutive `(byte offset, segment)`s of at most about `max` bytes, each ending
/// after a newline, else after another whitespace char, else (one word longer than `max`) where
/// the next whitespace is.
fn segments(text: &str, max: usize) -> impl Iterator<Item = (usize, &str)> {
    let max = max.max(1);
    let mut start = 0;
    std::iter::from_fn(move || {
        if start >= text.len() {
            return None;
        }
        let rest = &text[start..];
        let len = if rest.len() <= max {
            rest.len()
        } else {
            let mut limit = max;
            while !rest.is_char_boundary(limit) {
                limit -= 1;
            }
            let head = &rest[..limit];
            let after_whitespace =
                |i: usize| i + rest[i..].chars().next().map_or(1, char::len_utf8);
            head.rfind('\n')
                .map(|i| i + 1)
                .or_else(|| head.rfind(char::is_whitespace).map(after_whitespace))
                .filter(|&end| end > 0)
                .or_else(|| {
                    rest[limit..]
                        .find(char::is_whitespace)
                        .map(|i| after_whitespace(limit + i))
                })
                .unwrap_or(rest.len())
        };
        let part = (start, &rest[..len]);
        start += len;
        Some(part)
    })
}

fn read_do_lower_case(path: &Path) -> Result<Option<bool>, BertError> {
    let text = std::fs::read_to_string(path).map_err(|source| BertError::Read {
        path: path.to_path_buf(),
        source,
    })?;
    let v: serde_json::Value = serde_json::from_str(&text).map_err(|source| BertError::Json {
        path: path.to_path_buf(),
        source,
    })?;
    Ok(v.get("do_lower_case").and_then(|b| b.as_bool()))
}

/// Where each piece may start a new core (see [`super::window`]).
pub fn breaks(chars: &[char], pieces: &[Piece]) -> Vec<Break> {
    let text = |span: Span| &chars[span.start.min(chars.len())..span.end.min(chars.len())];
    let closing =
        |t: &[char]| t.len() == 1 && matches!(t[0], '”' | '"' | '’' | '\'' | ')' | ']' | '»');
    let opening = |c: char| {
        c.is_uppercase() || c.is_numeric() || matches!(c, '“' | '"' | '‘' | '\'' | '(' | '[' | '«')
    };
    (0..pieces.len())
        .map(|i| {
            if i == 0 {
                return Break::Line;
            }
            let (prev, cur) = (pieces[i - 1], pieces[i]);
            if prev.word == cur.word {
                return Break::None;
            }
            let gap = text(Span::new(prev.span.end.min(cur.span.start), cur.span.start));
            if gap.is_empty() || !gap.iter().all(|c| c.is_whitespace()) {
                return Break::Token;
            }
            if gap.iter().any(|&c| c == '\n' || c == '\u{2029}') {
                return Break::Line;
            }
            let starts_sentence = text(cur.span).first().is_some_and(|&c| opening(c)) && {
                let mut j = i - 1;
                while j > 0 && i - j <= 3 && closing(text(pieces[j].span)) {
                    j -= 1;
                }
                text(pieces[j].span)
                    .last()
                    .is_some_and(|c| matches!(c, '.' | '!' | '?' | '…'))
            };
            if starts_sentence {
                Break::Sentence
            } else {
                Break::Word
            }
        })
        .collect()
}

/// An article ready for the model.
#[derive(Debug, Clone)]
pub struct Prepared {
    pub chars: Vec<char>,
    pub pieces: Vec<Piece>,
    /// token_type_ids of each piece: its case class, or 0 without case features.
    pub types: Vec<u8>,
    pub windows: Vec<Window>,
}

/// One batch of windows, padded to the longest: row-major `rows x len` ids, types and mask.
/// Row `r` is `[CLS] pieces of windows[r] [SEP] [PAD]...`.
#[derive(Debug, Clone)]
pub struct Batch {
    pub rows: usize,
    pub len: usize,
    pub input_ids: Vec<i64>,
    pub type_ids: Vec<i64>,
    pub mask: Vec<i64>,
    /// Which article (index into the `recognize` call's articles) and window each row is.
    pub windows: Vec<(usize, Window)>,
    /// The number of pieces of each row's article.
    pub article_pieces: Vec<usize>,
}

/// The forward pass over a batch. A failure is any error value, kept as the cause of
/// [`BertError::Scorer`]: scorers are plugged in from outside (tests' oracles), so the trait
/// names no error type of this crate.
pub trait Scorer {
    fn score(&mut self, batch: &Batch) -> Result<Scores, ScoreError>;
}

/// What one forward pass gives for every row and position of a batch (`rows * len` positions,
/// row-major).
#[derive(Debug, Clone, Default)]
pub struct Scores {
    /// The entity head's argmax label and its probability (a one-head model's only head).
    pub labels: Vec<PieceLabel>,
    /// A joint model's attribution head: `width` probabilities per position (its own softmax),
    /// for constrained decoding ([`super::viterbi`]); empty for a one-head model.
    pub attributions: Vec<f32>,
    pub width: usize,
}

impl From<Vec<PieceLabel>> for Scores {
    fn from(labels: Vec<PieceLabel>) -> Scores {
        Scores {
            labels,
            attributions: Vec::new(),
            width: 0,
        }
    }
}

/// An article's share of the forward passes: one entry per piece (`width` probabilities per piece
/// in `attributions`), each from the window whose core holds the piece.
#[derive(Debug, Clone, Default)]
pub struct ArticleScores {
    pub labels: Vec<PieceLabel>,
    pub attributions: Vec<f32>,
    pub width: usize,
}

/// A failed forward pass, whatever the scorer's own error type.
pub type ScoreError = Box<dyn std::error::Error + Send + Sync>;

/// The model-independent part of the recogniser.
pub struct Engine {
    pub tokenizer: BertTokenizer,
    pub scheme: LabelScheme,
    /// Article pieces per window (the window setting less [CLS] and [SEP]).
    pub content: usize,
    pub overlap: usize,
    pub batch_size: usize,
    pub case_features: bool,
    pub min_confidence: f64,
    pub stats: ExtractStats,
}

/// Windows per group of articles between progress reports, in batches.
const GROUP_BATCHES: usize = 8;

impl Engine {
    pub fn new(tokenizer: BertTokenizer, scheme: LabelScheme, settings: &BertSettings) -> Engine {
        Engine {
            tokenizer,
            scheme,
            content: settings.window - 2,
            overlap: settings.stride,
            batch_size: settings.batch_size,
            case_features: settings.case_features,
            min_confidence: settings.min_confidence,
            stats: ExtractStats::default(),
        }
    }

    pub fn prepare(&self, article: &Article) -> Result<Prepared, BertError> {
        let chars: Vec<char> = article.text().chars().collect();
        let pieces = self.tokenizer.pieces(article)?;
        let types = if self.case_features {
            pieces
                .iter()
                .map(|p| piece_case_class(&chars, p.span.start, p.span.end))
                .collect()
        } else {
            vec![CASE_SPECIAL; pieces.len()]
        };
        let windows = plan(&breaks(&chars, &pieces), self.content, self.overlap);
        Ok(Prepared {
            chars,
            pieces,
            types,
            windows,
        })
    }

    /// Builds the batch of the given windows (`(index into prepared, window)`); rows name their
    /// article as `first_article` + that index.
    pub fn batch(
        &self,
        prepared: &[Prepared],
        windows: &[(usize, Window)],
        first_article: usize,
    ) -> Batch {
        let len = windows.iter().map(|(_, w)| w.len()).max().unwrap_or(0) + 2;
        let rows = windows.len();
        let mut input_ids = vec![self.tokenizer.pad as i64; rows * len];
        let mut type_ids = vec![CASE_SPECIAL as i64; rows * len];
        let mut mask = vec![0i64; rows * len];
        for (r, &(a, w)) in windows.iter().enumerate() {
            let row = r * len;
            let p = &prepared[a];
            input_ids[row] = self.tokenizer.cls as i64;
            for (k, i) in (w.start..w.end).enumerate() {
                input_ids[row + 1 + k] = p.pieces[i].id as i64;
                type_ids[row + 1 + k] = p.types[i] as i64;
            }
            input_ids[row + 1 + w.len()] = self.tokenizer.sep as i64;
            mask[row..row + w.len() + 2].iter_mut().for_each(|m| *m = 1);
        }
        Batch {
            rows,
            len,
            input_ids,
            type_ids,
            mask,
            windows: windows
                .iter()
                .map(|&(a, w)| (first_article + a, w))
                .collect(),
            article_pieces: windows
                .iter()
                .map(|&(a, _)| prepared[a].pieces.len())
                .collect(),
        }
    }

    /// Runs the scorer over prepared articles: all their windows, longest first, in batches;
    /// returns each article's scores, each piece scored by the window whose core holds it.
    pub fn label(
        &mut self,
        scorer: &mut dyn Scorer,
        prepared: &[Prepared],
        first_article: usize,
    ) -> Result<Vec<ArticleScores>, BertError> {
        let unset = PieceLabel {
            label: u32::MAX,
            prob: 0.0,
        };
        let mut scores: Vec<ArticleScores> = prepared
            .iter()
            .map(|p| ArticleScores {
                labels: vec![unset; p.pieces.len()],
                ..ArticleScores::default()
            })
            .collect();
        let mut all: Vec<(usize, Window)> = prepared
            .iter()
            .enumerate()
            .flat_map(|(a, p)| p.windows.iter().map(move |&w| (a, w)))
            .collect();
        all.sort_by_key(|(a, w)| (std::cmp::Reverse(w.len()), *a, w.start));
        for chunk in all.chunks(self.batch_size) {
            let batch = self.batch(prepared, chunk, first_article);
            let out = scorer.score(&batch).map_err(BertError::Scorer)?;
            let positions = batch.rows * batch.len;
            if out.labels.len() != positions || out.attributions.len() != positions * out.width {
                return Err(BertError::BatchShape {
                    got: out.labels.len(),
                    rows: batch.rows,
                    len: batch.len,
                });
            }
            let width = out.width;
            for (r, &(a, w)) in chunk.iter().enumerate() {
                let article = &mut scores[a];
                if width > 0 && article.width == 0 {
                    article.width = width;
                    article.attributions = vec![0.0; prepared[a].pieces.len() * width];
                }
                for i in w.core_start..w.core_end {
                    let at = r * batch.len + 1 + (i - w.start);
                    article.labels[i] = out.labels[at];
                    if width > 0 {
                        article.attributions[i * width..(i + 1) * width]
                            .copy_from_slice(&out.attributions[at * width..(at + 1) * width]);
                    }
                }
                self.stats.model_tokens += w.len() as u64 + 2;
            }
        }
        for (a, s) in scores.iter().enumerate() {
            if let Some(i) = s.labels.iter().position(|x| x.label == u32::MAX) {
                return Err(BertError::Unlabelled {
                    piece: i,
                    article: first_article + a,
                });
            }
        }
        Ok(scores)
    }

    /// Recognises the entities of articles, in groups (a progress report after each).
    pub fn recognize(
        &mut self,
        scorer: &mut dyn Scorer,
        articles: &[Arc<Article>],
        progress: Progress,
    ) -> Result<Vec<Vec<Mention>>, BertError> {
        let mut out = Vec::with_capacity(articles.len());
        let mut group: Vec<Prepared> = Vec::new();
        let mut group_windows = 0;
        let mut group_start = 0;
        for (i, article) in articles.iter().enumerate() {
            let p = self.prepare(article)?;
            self.stats.word_pieces += p.pieces.len() as u64;
            group_windows += p.windows.len();
            group.push(p);
            if group_windows >= self.batch_size * GROUP_BATCHES || i + 1 == articles.len() {
                let scores = self.label(scorer, &group, group_start)?;
                for (p, s) in group.iter().zip(&scores) {
                    out.push(decode(
                        &p.chars,
                        &p.pieces,
                        &s.labels,
                        &self.scheme,
                        self.min_confidence,
                    ));
                }
                group.clear();
                group_windows = 0;
                group_start = i + 1;
                progress(i + 1);
            }
        }
        Ok(out)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    use super::super::decode::tests::pieces_of;

    #[test]
    fn segments_end_after_whitespace_and_cover_the_text() {
        let text = "Zeile eins\nzwei drei vier\n\nfünf\u{2028}sechs siebenundzwanzigtausend x";
        for max in [1, 3, 8, 16, 1000] {
            let parts: Vec<(usize, &str)> = segments(text, max).collect();
            assert_eq!(parts.iter().map(|p| p.1).collect::<String>(), text, "{max}");
            for (i, &(offset, part)) in parts.iter().enumerate() {
                assert_eq!(&text[offset..offset + part.len()], part);
                if i + 1 < parts.len() {
                    assert!(part.ends_with(char::is_whitespace), "{max}: {part:?}");
                }
            }
        }
        assert_eq!(segments("", 4).count(), 0);
    }

    #[test]
    fn pieces_encoded_in_segments_are_the_pieces_of_the_whole_text() {
        let dir = tempfile::tempdir().unwrap();
        let vocab = dir.path().join("vocab.txt");
        let tokens = "[PAD] [UNK] [CLS] [SEP] zeile eins zwei drei vier funf sechs sieben ##und \
                      ##zwanzig ##tausend x , . \u{201c} \u{201d} er sagte ##te";
        std::fs::write(
            &vocab,
            tokens.split_whitespace().collect::<Vec<_>>().join("\n"),
        )
        .unwrap();
        let tokenizer = BertTokenizer::from_vocab(&vocab, Some(true)).unwrap();
        let line = "Zeile eins, zwei \u{201c}drei\u{201d} – er sagte: vier.\n";
        let text = format!(
            "{}Fünf\u{2028}sechs siebenundzwanzigtausend\r\n\n{}x",
            line.repeat(5),
            "sagtete ".repeat(20)
        );
        let article = Article::new("a", text);
        let whole = tokenizer.pieces_in_segments(&article, usize::MAX).unwrap();
        assert!(whole.len() > 60);
        for max in [1, 5, 17, 64, 100] {
            assert_eq!(
                tokenizer.pieces_in_segments(&article, max).unwrap(),
                whole,
                "{max}"
            );
        }
    }

    #[test]
    fn breaks_find_lines_sentences_and_words() {
        let (chars, pieces) = pieces_of("He said “no.” Then Kyiv’s\nNext. he");
        let b = breaks(&chars, &pieces);
        let expect = [
            Break::Line,     // He
            Break::Word,     // said
            Break::Word,     // “
            Break::Token,    // no
            Break::Token,    // .
            Break::Token,    // ”
            Break::Sentence, // Then
            Break::Word,     // Kyiv
            Break::Token,    // ’
            Break::Token,    // s
            Break::Line,     // Next
            Break::Token,    // .
            Break::Word,     // he (lowercase: not a sentence start)
        ];
        assert_eq!(b, expect);
    }
}
