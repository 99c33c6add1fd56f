//! CoNLL chunk scoring: a fast, exact re-implementation of `conlleval`, plus a strict mode that
//! agrees with `seqeval`'s `mode='strict'`.
//!
//! Two inputs are read:
//!
//! * **conlleval's format** ([`score_conlleval`]): one token per line, whitespace-separated
//!   columns, the *gold* tag and the *predicted* tag in the last two columns. Blank lines and
//!   lines whose first column is `-X-` separate sentences. Every line must have as many columns
//!   as the first non-blank one (conlleval refuses the file otherwise).
//! * **a gold file and a prediction file** ([`score_pair`]): `TOKEN ... TAG` lines (token in the
//!   first column, tag in the last), blank lines between sentences. The two files must hold the
//!   same tokens in the same order with the same sentence breaks; the first place where they do
//!   not is an error naming both files and lines.
//!
//! `-DOCSTART-` lines get exactly conlleval's treatment: they are tokens like any other (counted
//! in `processed N tokens`), and since they carry `O` tags they close every open chunk, so they
//! act as sentence boundaries for chunking.
//!
//! Tags are `O` or `P-TYPE` with `P` one of `B`, `I`, `E`, `S` (IOB1, IOB2 and IOBES) and a
//! non-empty `TYPE` (which may itself contain `-`: the prefix ends at the first one). Anything
//! else (`X-PER`, `B`, `B-`, `[`) is an error naming the file and line.
//!
//! # Modes
//!
//! [`ChunkMode::Lenient`] (the default) is conlleval's chunking, rule for rule: its
//! `startOfChunk`/`endOfChunk`, with the `E-`/`S-` rules of the widely used conlleval ports
//! (for `B`/`I`/`O` tags these are identical to the 2004 `conlleval.pl`). So an `I-` after `O`
//! or after another type starts a chunk, a type switch inside a chunk splits it, and a guessed
//! chunk is correct when it starts and ends where a gold chunk does with the same type.
//!
//! [`ChunkMode::Strict`] follows `seqeval`'s `mode='strict'` with the given [`Scheme`]: chunks
//! come only from valid sequences (IOB2: `B (I)*`; IOBES: `B (I)* E` or `S`), an invalid `I-`
//! starts nothing, and a chunk is correct when gold and guess have the same type, start and end.
//!
//! # Numbers
//!
//! The counts ([`ChunkCounts`]) are the result; precision, recall and F1 (percent, `0` where a
//! denominator is `0`) are derived from them by [`ChunkCounts::metrics`] the way the mode's
//! reference computes them, so they round like its printed figures: conlleval's formulas in
//! lenient mode, seqeval's fractions in strict mode. [`ConllScores::conlleval_text`] prints
//! conlleval's report; in lenient mode byte for byte what conlleval prints.
//!
//! Columns are separated by ASCII whitespace (space, tab, `\r`, `\x0b`, `\x0c`); conlleval
//! itself splits on single spaces, which agrees on files that use one space between columns.
//!
//! The parser borrows from the input: no allocation per token, chunk types are interned.

use std::collections::{BTreeMap, HashMap};
use std::fmt::{self, Write as _};
use std::path::{Path, PathBuf};
use std::str::FromStr;

use serde::ser::SerializeStruct;
use serde::{Serialize, Serializer};

use crate::tags::{end_of_chunk, split_conll, start_of_chunk, Tag as Prefix, Typed};

mod parse;
use parse::*;

/// The tagging scheme whose valid sequences [`ChunkMode::Strict`] accepts as chunks.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Scheme {
    /// `B-` starts every chunk, `I-` continues it (seqeval's `IOB2`). `E-`/`S-` tags are errors.
    Iob2,
    /// `B- I-* E-` or `S-` (seqeval's `IOBES`).
    Iobes,
}

impl fmt::Display for Scheme {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Scheme::Iob2 => "IOB2",
            Scheme::Iobes => "IOBES",
        })
    }
}

/// How tag sequences are cut into chunks.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum ChunkMode {
    /// conlleval's rules (the default).
    #[default]
    Lenient,
    /// seqeval's `mode='strict'` with a scheme.
    Strict(Scheme),
}

impl fmt::Display for ChunkMode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ChunkMode::Lenient => f.write_str("lenient"),
            ChunkMode::Strict(scheme) => write!(f, "strict {scheme}"),
        }
    }
}

impl FromStr for ChunkMode {
    type Err = String;

    /// `lenient` (or `conlleval`), `iob2` / `strict-iob2`, `iobes` / `strict-iobes`; any case.
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s.to_ascii_lowercase().as_str() {
            "lenient" | "conlleval" | "default" => Ok(ChunkMode::Lenient),
            "iob2" | "strict-iob2" | "strict_iob2" => Ok(ChunkMode::Strict(Scheme::Iob2)),
            "iobes" | "strict-iobes" | "strict_iobes" => Ok(ChunkMode::Strict(Scheme::Iobes)),
            _ => Err(format!(
                "unknown chunk mode {s:?} (expected lenient, strict-iob2 or strict-iobes)"
            )),
        }
    }
}

/// A malformed or misaligned input. Every variant names the file and the 1-based line.
#[derive(Debug, thiserror::Error)]
pub enum ConllError {
    /// The file could not be read.
    #[error("{}: cannot read: {source}", file.display())]
    Io {
        file: PathBuf,
        #[source]
        source: std::io::Error,
    },
    /// A non-blank line with fewer columns than the format needs.
    #[error("{}:{line}: expected at least {expected} columns, found {found}: {item:?}", file.display())]
    TooFewColumns {
        file: PathBuf,
        line: usize,
        expected: usize,
        found: usize,
        item: String,
    },
    /// A line whose column count differs from the first line's (conlleval's format only).
    #[error(
        "{}:{line}: {found} columns, but line {first_line} has {expected}: {item:?}",
        file.display()
    )]
    ColumnCount {
        file: PathBuf,
        line: usize,
        found: usize,
        expected: usize,
        first_line: usize,
        item: String,
    },
    /// A tag that is not `O` nor `B-`, `I-`, `E-`, `S-` followed by a type.
    #[error(
        "{}:{line}: invalid tag {item:?} (expected O, or B-, I-, E-, S- and a type)",
        file.display()
    )]
    InvalidTag {
        file: PathBuf,
        line: usize,
        item: String,
    },
    /// A two-column file whose first column is no tag: tokens and gold tags, no predictions.
    #[error(
        "{}:{line}: {item:?} is no tag: conlleval reads the last two columns as GOLD and \
         PREDICTED tags, and this file has one tag column (TOKEN TAG); give the predictions as a \
         second file (score --conll GOLD PRED) or as a third column",
        file.display()
    )]
    NoPredictedColumn {
        file: PathBuf,
        line: usize,
        item: String,
    },
    /// A well-formed tag that the strict scheme does not allow (`E-`/`S-` under IOB2).
    #[error("{}:{line}: tag {item:?} is not allowed by the {scheme} scheme", file.display())]
    TagNotInScheme {
        file: PathBuf,
        line: usize,
        item: String,
        scheme: Scheme,
    },
    /// The gold and prediction files part ways: different tokens, a sentence break in one
    /// but not the other, or one ends first. `*_item` says what each file has there.
    #[error(
        "gold and prediction do not align: {}:{gold_line} has {gold_item}, {}:{pred_line} has {pred_item}",
        gold_file.display(),
        pred_file.display()
    )]
    Misaligned {
        gold_file: PathBuf,
        gold_line: usize,
        gold_item: String,
        pred_file: PathBuf,
        pred_line: usize,
        pred_item: String,
    },
}

/// Chunk counts for one type, or for all of them: the result that P/R/F1 are derived from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize)]
pub struct ChunkCounts {
    /// Chunks in the gold annotation (conlleval's "phrases").
    pub gold: usize,
    /// Chunks in the prediction (conlleval's "found").
    pub guessed: usize,
    /// Predicted chunks that match a gold chunk exactly (conlleval's "correct").
    pub correct: usize,
}

/// Precision, recall and F1, in percent.
#[derive(Debug, Clone, Copy, PartialEq, Default, Serialize)]
pub struct ChunkMetrics {
    pub precision: f64,
    pub recall: f64,
    pub f1: f64,
}

impl ChunkCounts {
    /// Precision in percent as conlleval computes it: `100 * correct / guessed`, `0` when
    /// nothing was guessed.
    pub fn precision(&self) -> f64 {
        percent(self.correct, self.guessed)
    }

    /// Recall in percent as conlleval computes it: `100 * correct / gold`, `0` without gold.
    pub fn recall(&self) -> f64 {
        percent(self.correct, self.gold)
    }

    /// F1 in percent as conlleval computes it: `2PR / (P + R)` on the percentages, `0` when
    /// both are `0`.
    pub fn f1(&self) -> f64 {
        harmonic(self.precision(), self.recall())
    }

    /// P/R/F1 in percent, computed the way `mode`'s reference does, so that they round like
    /// its printed figures: conlleval's formulas (the three methods above) for
    /// [`ChunkMode::Lenient`]; for [`ChunkMode::Strict`], seqeval's fractions
    /// (`p = correct / guessed`, `r = correct / gold`, `f = 2pr / (p + r)`, `0` for a zero
    /// denominator) times 100. The two differ at most in the last bit.
    pub fn metrics(&self, mode: ChunkMode) -> ChunkMetrics {
        match mode {
            ChunkMode::Lenient => ChunkMetrics {
                precision: self.precision(),
                recall: self.recall(),
                f1: self.f1(),
            },
            ChunkMode::Strict(_) => {
                let p = fraction(self.correct, self.guessed);
                let r = fraction(self.correct, self.gold);
                ChunkMetrics {
                    precision: 100.0 * p,
                    recall: 100.0 * r,
                    f1: 100.0 * harmonic(p, r),
                }
            }
        }
    }
}

/// `100 * num / den` in `f64` (conlleval's order of operations), `0` for a zero denominator.
fn percent(num: usize, den: usize) -> f64 {
    if den == 0 {
        0.0
    } else {
        100.0 * num as f64 / den as f64
    }
}

/// `num / den` (seqeval's), `0` for a zero denominator.
fn fraction(num: usize, den: usize) -> f64 {
    if den == 0 {
        0.0
    } else {
        num as f64 / den as f64
    }
}

fn harmonic(p: f64, r: f64) -> f64 {
    if p + r > 0.0 {
        2.0 * p * r / (p + r)
    } else {
        0.0
    }
}

/// The result of scoring one input.
///
/// Serialized as `schema` ([`CONLL_SCHEMA`]), `mode`, `tokens`, `correct_tags`, `accuracy`,
/// `overall` and `types`, each counts object with its derived `precision`, `recall` and `f1`
/// (fractions in [0, 1]: [`ChunkCounts::metrics`] / 100) beside `gold`, `guessed` and `correct`.
#[derive(Debug, Clone, PartialEq)]
pub struct ConllScores {
    /// The chunking mode used.
    pub mode: ChunkMode,
    /// Tokens read (sentence breaks excluded, `-DOCSTART-` lines included, as conlleval).
    pub tokens: usize,
    /// Tokens whose predicted tag equals the gold tag.
    pub correct_tags: usize,
    /// Counts over all types.
    pub overall: ChunkCounts,
    /// Counts per chunk type, for every type with a gold or a guessed chunk, sorted by name.
    pub types: BTreeMap<String, ChunkCounts>,
}

impl ConllScores {
    /// Token accuracy in percent (`0` for an empty input).
    pub fn accuracy(&self) -> f64 {
        match self.mode {
            ChunkMode::Lenient => percent(self.correct_tags, self.tokens),
            ChunkMode::Strict(_) => 100.0 * fraction(self.correct_tags, self.tokens),
        }
    }

    /// conlleval's report (as without `-l`):
    ///
    /// ```text
    /// processed 46435 tokens with 5648 phrases; found: 5702 phrases; correct: 5035.
    /// accuracy:  97.62%; precision:  88.30%; recall:  89.15%; FB1:  88.72
    ///               LOC: precision:  90.44%; recall:  91.67%; FB1:  91.05  1691
    /// ```
    ///
    /// In lenient mode this is conlleval's output byte for byte (the `accuracy:` line is left
    /// out when there are no tokens, as conlleval does). In strict mode the layout is the same
    /// and each percentage shows the digits seqeval prints for its fraction with `digits=4`
    /// (seqeval's `0.0063` is shown as `0.63`).
    pub fn conlleval_text(&self) -> String {
        let pct = |x: f64| -> String {
            match self.mode {
                ChunkMode::Lenient => format!("{x:6.2}"),
                ChunkMode::Strict(_) => format!("{:>6}", fraction_digits(x / 100.0)),
            }
        };
        let mut out = String::with_capacity(128 + 80 * self.types.len());
        let o = &self.overall;
        // Writing to a String cannot fail.
        let _ = writeln!(
            out,
            "processed {} tokens with {} phrases; found: {} phrases; correct: {}.",
            self.tokens, o.gold, o.guessed, o.correct
        );
        if self.tokens > 0 {
            let m = o.metrics(self.mode);
            let _ = writeln!(
                out,
                "accuracy: {}%; precision: {}%; recall: {}%; FB1: {}",
                pct(self.accuracy()),
                pct(m.precision),
                pct(m.recall),
                pct(m.f1)
            );
        }
        for (name, c) in &self.types {
            // Perl's %17s pads by bytes.
            for _ in name.len()..17 {
                out.push(' ');
            }
            let m = c.metrics(self.mode);
            let _ = writeln!(
                out,
                "{name}: precision: {}%; recall: {}%; FB1: {}  {}",
                pct(m.precision),
                pct(m.recall),
                pct(m.f1),
                c.guessed
            );
        }
        out
    }
}

/// A fraction in `[0, 1]` rounded to 4 decimals the way Python's `'%.4f'` (and so seqeval's
/// report) rounds it, written as a percentage with 2 decimals: `0.00625` -> `"0.63"`.
fn fraction_digits(x: f64) -> String {
    let four = format!("{x:.4}");
    match four.split_once('.') {
        Some((int, dec)) if dec.len() == 4 => {
            let units =
                int.parse::<u64>().unwrap_or(0) * 100 + dec[..2].parse::<u64>().unwrap_or(0);
            format!("{units}.{}", &dec[2..])
        }
        _ => format!("{:.2}", 100.0 * x),
    }
}

/// Counts with the metrics of a mode, for serialization.
struct WithMetrics<'s> {
    counts: &'s ChunkCounts,
    mode: ChunkMode,
}

impl Serialize for WithMetrics<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        // Fractions in [0, 1], as in every other quoteval report (conlleval prints percent).
        let m = self.counts.metrics(self.mode);
        let mut s = serializer.serialize_struct("ChunkCounts", 6)?;
        s.serialize_field("gold", &self.counts.gold)?;
        s.serialize_field("guessed", &self.counts.guessed)?;
        s.serialize_field("correct", &self.counts.correct)?;
        s.serialize_field("precision", &(m.precision / 100.0))?;
        s.serialize_field("recall", &(m.recall / 100.0))?;
        s.serialize_field("f1", &(m.f1 / 100.0))?;
        s.end()
    }
}

/// The schema of `score --conll --json`.
pub const CONLL_SCHEMA: &str = "quoteval-conll/1";

impl ConllScores {
    /// `score --conll --json`: the serialization below, pretty, with a final newline.
    pub fn to_json(&self) -> String {
        let mut s = serde_json::to_string_pretty(self).unwrap_or_default();
        s.push('\n');
        s
    }

    /// The rows of the CSV and Markdown outputs: (label, counts), the overall row first.
    fn rows(&self) -> Vec<(&str, &ChunkCounts)> {
        std::iter::once(("overall", &self.overall))
            .chain(self.types.iter().map(|(n, c)| (n.as_str(), c)))
            .collect()
    }

    /// `score --conll --csv`: long form `label,measure,value` (fractions in [0, 1]); the
    /// `overall` rows also carry `tokens`, `correct_tags` and `accuracy`.
    pub fn to_csv(&self) -> String {
        let mut w = csv::Writer::from_writer(Vec::new());
        let _ = w.write_record(["label", "measure", "value"]);
        let _ = w.write_record(["overall", "tokens", &self.tokens.to_string()]);
        let _ = w.write_record(["overall", "correct_tags", &self.correct_tags.to_string()]);
        let _ = w.write_record([
            "overall",
            "accuracy",
            &(self.accuracy() / 100.0).to_string(),
        ]);
        for (label, c) in self.rows() {
            let m = c.metrics(self.mode);
            for (measure, value) in [
                ("gold", c.gold.to_string()),
                ("guessed", c.guessed.to_string()),
                ("correct", c.correct.to_string()),
                ("precision", (m.precision / 100.0).to_string()),
                ("recall", (m.recall / 100.0).to_string()),
                ("f1", (m.f1 / 100.0).to_string()),
            ] {
                let _ = w.write_record([label, measure, &value]);
            }
        }
        String::from_utf8(w.into_inner().unwrap_or_default()).unwrap_or_default()
    }

    /// `score --conll --markdown`: one table, the overall row first.
    pub fn to_markdown(&self) -> String {
        let mut out = format!(
            "**CoNLL chunks** ({} mode; {} tokens, accuracy {:.4})\n\n\
             | type | P | R | F1 | gold | found | correct |\n|---|---:|---:|---:|---:|---:|---:|\n",
            self.mode,
            self.tokens,
            self.accuracy() / 100.0
        );
        for (label, c) in self.rows() {
            let m = c.metrics(self.mode);
            let _ = writeln!(
                out,
                "| {label} | {:.4} | {:.4} | {:.4} | {} | {} | {} |",
                m.precision / 100.0,
                m.recall / 100.0,
                m.f1 / 100.0,
                c.gold,
                c.guessed,
                c.correct
            );
        }
        out
    }
}

impl Serialize for ConllScores {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mode = self.mode;
        let types: BTreeMap<&str, WithMetrics<'_>> = self
            .types
            .iter()
            .map(|(name, counts)| (name.as_str(), WithMetrics { counts, mode }))
            .collect();
        let mut s = serializer.serialize_struct("ConllScores", 7)?;
        s.serialize_field("schema", CONLL_SCHEMA)?;
        s.serialize_field("mode", &mode)?;
        s.serialize_field("tokens", &self.tokens)?;
        s.serialize_field("correct_tags", &self.correct_tags)?;
        s.serialize_field("accuracy", &(self.accuracy() / 100.0))?;
        s.serialize_field(
            "overall",
            &WithMetrics {
                counts: &self.overall,
                mode,
            },
        )?;
        s.serialize_field("types", &types)?;
        s.end()
    }
}

/// Scores conlleval-format input (`... GOLD PRED` per line). `file` only names the input in
/// errors. Accepts `&str` or bytes; types that are not UTF-8 are reported lossily.
pub fn score_conlleval<T: AsRef<[u8]> + ?Sized>(
    text: &T,
    file: &Path,
    mode: ChunkMode,
) -> Result<ConllScores, ConllError> {
    let mut scorer = Scorer::new(mode);
    let mut columns: Option<(usize, usize)> = None; // (count, line) of the first non-blank line
    for Line {
        number: line,
        raw,
        cols,
    } in Lines::new(text.as_ref())
    {
        if cols.count == 0 {
            scorer.boundary();
            continue;
        }
        match columns {
            None => columns = Some((cols.count, line)),
            Some((expected, first_line)) if expected != cols.count => {
                return Err(ConllError::ColumnCount {
                    file: file.to_path_buf(),
                    line,
                    found: cols.count,
                    expected,
                    first_line,
                    item: lossy(trim_cr(raw)),
                });
            }
            Some(_) => {}
        }
        if cols.first == BOUNDARY {
            scorer.boundary();
            continue;
        }
        if cols.count < 2 {
            return Err(ConllError::TooFewColumns {
                file: file.to_path_buf(),
                line,
                expected: 2,
                found: cols.count,
                item: lossy(trim_cr(raw)),
            });
        }
        let gold = scorer
            .tag(cols.before_last, file, line)
            .map_err(|e| match e {
                // Two columns read as GOLD PRED whose first is no tag: a `TOKEN TAG` file.
                ConllError::InvalidTag { file, line, item } if cols.count == 2 => {
                    ConllError::NoPredictedColumn { file, line, item }
                }
                other => other,
            })?;
        let pred = scorer.tag(cols.last, file, line)?;
        scorer.token(gold, pred);
    }
    Ok(scorer.finish())
}

/// Scores a gold file against a prediction file, both `TOKEN ... TAG` per line (token in the
/// first column, tag in the last). The files must align token by token, with sentence breaks
/// (blank or `-X-` lines; several in a row count as one) at the same places; leading and
/// trailing breaks are ignored.
pub fn score_pair<G: AsRef<[u8]> + ?Sized, P: AsRef<[u8]> + ?Sized>(
    gold: &G,
    gold_file: &Path,
    pred: &P,
    pred_file: &Path,
    mode: ChunkMode,
) -> Result<ConllScores, ConllError> {
    let mut scorer = Scorer::new(mode);
    let mut g = PairReader::new(gold.as_ref(), gold_file);
    let mut p = PairReader::new(pred.as_ref(), pred_file);
    loop {
        let (ge, pe) = (g.next_event()?, p.next_event()?);
        match (ge, pe) {
            (
                Event::Token {
                    token: gt,
                    tag: gtag,
                    line: gl,
                },
                Event::Token {
                    token: pt,
                    tag: ptag,
                    line: pl,
                },
            ) => {
                if gt != pt {
                    return Err(misaligned(gold_file, ge, pred_file, pe));
                }
                let gold_tag = scorer.tag(gtag, gold_file, gl)?;
                let pred_tag = scorer.tag(ptag, pred_file, pl)?;
                scorer.token(gold_tag, pred_tag);
            }
            (Event::Break { .. }, Event::Break { .. }) => scorer.boundary(),
            (Event::End { .. }, Event::End { .. }) => break,
            _ => return Err(misaligned(gold_file, ge, pred_file, pe)),
        }
    }
    Ok(scorer.finish())
}

/// Reads `path` and scores it with [`score_conlleval`].
pub fn score_conlleval_file(path: &Path, mode: ChunkMode) -> Result<ConllScores, ConllError> {
    let text = read(path)?;
    score_conlleval(&text, path, mode)
}

/// Reads both files and scores them with [`score_pair`].
pub fn score_pair_files(
    gold_path: &Path,
    pred_path: &Path,
    mode: ChunkMode,
) -> Result<ConllScores, ConllError> {
    let gold = read(gold_path)?;
    let pred = read(pred_path)?;
    score_pair(&gold, gold_path, &pred, pred_path, mode)
}

fn read(path: &Path) -> Result<Vec<u8>, ConllError> {
    std::fs::read(path).map_err(|source| ConllError::Io {
        file: path.to_path_buf(),
        source,
    })
}

// ---------------------------------------------------------------------------------------------
// Scoring

/// A parsed tag: its prefix ([`crate::tags::Tag`]) and interned type (`0` is the empty type of
/// `O`).
type Tag = Typed<u32>;

const OUTSIDE: Tag = Typed {
    tag: Prefix::Outside,
    ty: 0,
};

/// Chunk-type interner: a linear scan while there are few types, a hash map beyond.
struct Interner<'a> {
    names: Vec<&'a [u8]>,
    map: HashMap<&'a [u8], u32>,
}

const LINEAR_TYPES: usize = 24;

impl<'a> Interner<'a> {
    fn new() -> Self {
        Interner {
            names: vec![b"".as_slice()],
            map: HashMap::new(),
        }
    }

    #[inline]
    fn intern(&mut self, name: &'a [u8]) -> u32 {
        if self.names.len() <= LINEAR_TYPES {
            if let Some(i) = self.names.iter().position(|n| *n == name) {
                return i as u32;
            }
        } else if let Some(&i) = self.map.get(name) {
            return i;
        }
        let id = self.names.len() as u32;
        self.names.push(name);
        if self.names.len() > LINEAR_TYPES {
            if self.map.is_empty() {
                for (i, n) in self.names.iter().enumerate() {
                    self.map.insert(n, i as u32);
                }
            } else {
                self.map.insert(name, id);
            }
        }
        id
    }
}

/// conlleval's running state.
struct Lenient {
    last_gold: Tag,
    last_pred: Tag,
    in_correct: bool,
}

/// One side's open chunk candidate in strict mode.
#[derive(Clone, Copy)]
struct Chain {
    open: bool,
    start: usize,
    ty: u32,
    last: Prefix,
}

impl Chain {
    const CLOSED: Chain = Chain {
        open: false,
        start: 0,
        ty: 0,
        last: Prefix::Outside,
    };

    /// seqeval's entity extraction, one token at a time: returns `(start, type)` of the chunk
    /// that ends just before position `at`, if it is a valid one.
    #[inline]
    fn step(&mut self, cur: Tag, at: usize, scheme: Scheme) -> Option<(usize, u32)> {
        let mut done = None;
        if self.open {
            let inside = matches!(self.last, Prefix::Begin | Prefix::Inside)
                && cur.ty == self.ty
                && (cur.tag == Prefix::Inside
                    || (scheme == Scheme::Iobes && cur.tag == Prefix::End));
            if inside {
                self.last = cur.tag;
                return None;
            }
            let valid = match scheme {
                Scheme::Iob2 => true,
                Scheme::Iobes => matches!(self.last, Prefix::End | Prefix::Single),
            };
            self.open = false;
            if valid {
                done = Some((self.start, self.ty));
            }
        }
        let starts = match scheme {
            Scheme::Iob2 => cur.tag == Prefix::Begin,
            Scheme::Iobes => matches!(cur.tag, Prefix::Begin | Prefix::Single),
        };
        if starts {
            *self = Chain {
                open: true,
                start: at,
                ty: cur.ty,
                last: cur.tag,
            };
        }
        done
    }
}

struct Strict {
    scheme: Scheme,
    gold: Chain,
    pred: Chain,
}

enum State {
    Lenient(Lenient),
    Strict(Strict),
}

struct Scorer<'a> {
    mode: ChunkMode,
    types: Interner<'a>,
    counts: Vec<ChunkCounts>,
    tokens: usize,
    correct_tags: usize,
    state: State,
}

impl<'a> Scorer<'a> {
    fn new(mode: ChunkMode) -> Self {
        let state = match mode {
            ChunkMode::Lenient => State::Lenient(Lenient {
                last_gold: OUTSIDE,
                last_pred: OUTSIDE,
                in_correct: false,
            }),
            ChunkMode::Strict(scheme) => State::Strict(Strict {
                scheme,
                gold: Chain::CLOSED,
                pred: Chain::CLOSED,
            }),
        };
        Scorer {
            mode,
            types: Interner::new(),
            counts: vec![ChunkCounts::default()],
            tokens: 0,
            correct_tags: 0,
            state,
        }
    }

    /// Parses and interns one tag.
    #[inline]
    fn tag(&mut self, raw: &'a [u8], file: &Path, line: usize) -> Result<Tag, ConllError> {
        if raw == b"O" {
            return Ok(OUTSIDE);
        }
        let invalid = || ConllError::InvalidTag {
            file: file.to_path_buf(),
            line,
            item: lossy(raw),
        };
        let (prefix, mut name) = match split_conll(raw) {
            Some(split) => split,
            None => return Err(invalid()),
        };
        if let ChunkMode::Strict(scheme) = self.mode {
            if scheme == Scheme::Iob2 && matches!(prefix, Prefix::End | Prefix::Single) {
                return Err(ConllError::TagNotInScheme {
                    file: file.to_path_buf(),
                    line,
                    item: lossy(raw),
                    scheme,
                });
            }
            // seqeval strips hyphens around the type.
            while let [b'-', rest @ ..] = name {
                name = rest;
            }
            while let [rest @ .., b'-'] = name {
                name = rest;
            }
        }
        if name.is_empty() {
            return Err(invalid());
        }
        let ty = self.types.intern(name);
        if ty as usize == self.counts.len() {
            self.counts.push(ChunkCounts::default());
        }
        Ok(Typed { tag: prefix, ty })
    }

    /// One token with its gold and predicted tag.
    #[inline]
    fn token(&mut self, gold: Tag, pred: Tag) {
        self.tokens += 1;
        self.correct_tags += usize::from(gold == pred);
        self.chunk_step(gold, pred);
    }

    /// A sentence break: both sides `O`, no token.
    #[inline]
    fn boundary(&mut self) {
        self.chunk_step(OUTSIDE, OUTSIDE);
    }

    #[inline]
    fn chunk_step(&mut self, gold: Tag, pred: Tag) {
        let counts = &mut self.counts;
        match &mut self.state {
            State::Lenient(s) => {
                let (lg, lp) = (s.last_gold, s.last_pred);
                if s.in_correct {
                    let end_gold = end_of_chunk(&lg, &gold);
                    let end_pred = end_of_chunk(&lp, &pred);
                    if end_gold && end_pred && lp.ty == lg.ty {
                        s.in_correct = false;
                        counts[lg.ty as usize].correct += 1;
                    } else if end_gold != end_pred || pred.ty != gold.ty {
                        s.in_correct = false;
                    }
                }
                let start_gold = start_of_chunk(&lg, &gold);
                let start_pred = start_of_chunk(&lp, &pred);
                if start_gold && start_pred && pred.ty == gold.ty {
                    s.in_correct = true;
                }
                if start_gold {
                    counts[gold.ty as usize].gold += 1;
                }
                if start_pred {
                    counts[pred.ty as usize].guessed += 1;
                }
                s.last_gold = gold;
                s.last_pred = pred;
            }
            State::Strict(s) => {
                // Sentence breaks reuse the next token's position: only equality of positions
                // between gold and prediction matters, and both sides see the same ones.
                let at = self.tokens;
                let g = s.gold.step(gold, at, s.scheme);
                let p = s.pred.step(pred, at, s.scheme);
                if let Some((_, ty)) = g {
                    counts[ty as usize].gold += 1;
                }
                if let Some((_, ty)) = p {
                    counts[ty as usize].guessed += 1;
                }
                if g.is_some() && g == p {
                    if let Some((_, ty)) = g {
                        counts[ty as usize].correct += 1;
                    }
                }
            }
        }
    }

    fn finish(mut self) -> ConllScores {
        match &mut self.state {
            State::Lenient(s) => {
                if s.in_correct {
                    self.counts[s.last_gold.ty as usize].correct += 1;
                }
            }
            State::Strict(_) => self.boundary(),
        }
        let mut overall = ChunkCounts::default();
        let mut types = BTreeMap::new();
        for (name, c) in self.types.names.iter().zip(&self.counts) {
            overall.gold += c.gold;
            overall.guessed += c.guessed;
            overall.correct += c.correct;
            if c.gold > 0 || c.guessed > 0 {
                types.insert(lossy(name), *c);
            }
        }
        ConllScores {
            mode: self.mode,
            tokens: self.tokens,
            correct_tags: self.correct_tags,
            overall,
            types,
        }
    }
}

#[cfg(test)]
mod tests;
