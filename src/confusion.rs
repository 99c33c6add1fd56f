//! Where a run's errors are: a type confusion matrix (gold type × predicted type, with a
//! `missed` column and a `spurious` row) and the error taxonomy, for mentions and for quotes.
//!
//! Computed from the per-item outcomes that [`crate::evaluate`] lists, so it counts exactly the
//! pairs the error list shows: mentions under the one-to-one SemEval alignment, quotes at overlap
//! 0.3. The tables hide what the matrix shows at once (on the gold corpus, gold ORG mentions found
//! with the right span but typed PLACE: "Kremlin").

use std::collections::BTreeMap;
use std::fmt::Write as _;

use serde::{Deserialize, Serialize};

use crate::annotation::{EntityType, Layer, QuoteKind};
use crate::evaluate::{ArticleScore, Item, Outcome};
use crate::score::Counts;

/// The column of gold items no prediction matched.
pub const MISSED: &str = "missed";
/// The row of predictions that matched no gold item.
pub const SPURIOUS: &str = "spurious";

/// Gold label × predicted label counts. Rows are `labels` then [`SPURIOUS`]; columns are
/// `labels` then [`MISSED`]; every cell is present (zeros included) so a consumer can index it.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct Confusion {
    /// The labels in display order (entity types, or quote kinds).
    pub labels: Vec<String>,
    /// `cells[gold][predicted]`.
    pub cells: BTreeMap<String, BTreeMap<String, u64>>,
}

impl Confusion {
    fn new(labels: Vec<String>) -> Confusion {
        let mut cells = BTreeMap::new();
        for row in labels.iter().map(String::as_str).chain([SPURIOUS]) {
            let cols: BTreeMap<String, u64> = labels
                .iter()
                .map(String::as_str)
                .chain([MISSED])
                .map(|c| (c.to_string(), 0))
                .collect();
            cells.insert(row.to_string(), cols);
        }
        Confusion { labels, cells }
    }

    /// Adds a label met in the data that the display order does not know (kept, not dropped).
    fn ensure(&mut self, label: &str) {
        if self.labels.iter().any(|l| l == label) {
            return;
        }
        self.labels.push(label.to_string());
        let labels = self.labels.clone();
        *self = {
            let mut grown = Confusion::new(labels);
            for (r, cols) in &self.cells {
                for (c, v) in cols {
                    if let Some(cell) = grown.cells.get_mut(r).and_then(|row| row.get_mut(c)) {
                        *cell = *v;
                    }
                }
            }
            grown
        };
    }

    fn add(&mut self, gold: Option<&str>, pred: Option<&str>) {
        for label in gold.iter().chain(pred.iter()) {
            self.ensure(label);
        }
        let row = gold.unwrap_or(SPURIOUS);
        let col = pred.unwrap_or(MISSED);
        if gold.is_none() && pred.is_none() {
            return;
        }
        if let Some(cell) = self.cells.get_mut(row).and_then(|r| r.get_mut(col)) {
            *cell += 1;
        }
    }

    pub fn get(&self, gold: &str, pred: &str) -> u64 {
        self.cells
            .get(gold)
            .and_then(|r| r.get(pred))
            .copied()
            .unwrap_or(0)
    }

    /// Row labels then column labels, in display order.
    pub fn rows(&self) -> Vec<&str> {
        self.labels
            .iter()
            .map(String::as_str)
            .chain([SPURIOUS])
            .collect()
    }

    pub fn columns(&self) -> Vec<&str> {
        self.labels
            .iter()
            .map(String::as_str)
            .chain([MISSED])
            .collect()
    }
}

/// The SemEval-2013 9.1 categories nervaluate reports, over the one-to-one mention alignment.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct MentionTaxonomy {
    /// Same span, same type.
    pub correct: u64,
    /// Same span, other type.
    pub wrong_type: u64,
    /// Overlapping span, same type.
    pub wrong_boundary: u64,
    /// Overlapping span, other type.
    pub wrong_boundary_and_type: u64,
    pub missed: u64,
    pub spurious: u64,
    /// Predicted by text, and nowhere in the article (a false positive of its own class).
    #[serde(default)]
    pub not_in_article: u64,
}

/// Quotes at overlap 0.3: what went wrong with a found quote (its boundary, its speaker, or
/// both), and what was not found at all. `wrong_kind` counts found quotes of another kind
/// (direct / indirect), whatever else went wrong with them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct QuoteTaxonomy {
    /// Exact span and right (or unjudged) speaker.
    pub correct: u64,
    /// Found with another span; speaker right.
    pub boundary: u64,
    /// Exact span; speaker wrong or missing.
    pub speaker: u64,
    pub boundary_and_speaker: u64,
    pub missed: u64,
    pub spurious: u64,
    pub wrong_kind: u64,
    /// Predicted by text, and nowhere in the article.
    #[serde(default)]
    pub not_in_article: u64,
}

#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct MentionAnalysis {
    pub confusion: Confusion,
    pub taxonomy: MentionTaxonomy,
}

#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct QuoteAnalysis {
    /// Gold kind × predicted kind of the quotes matched at overlap 0.3.
    pub confusion: Confusion,
    pub taxonomy: QuoteTaxonomy,
}

/// The confusion matrices and taxonomies of a run; a layer the gold does not annotate is `None`.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct Analysis {
    pub mentions: Option<MentionAnalysis>,
    pub quotes: Option<QuoteAnalysis>,
}

/// How a mention item falls into the taxonomy. Reads the predicted type from the item's
/// predicted side (reports without sides: only the outcome, so boundary errors count as
/// same-type).
pub fn mention_category(item: &Item) -> MentionCategory {
    let same_type = match (&item.gold_side, &item.pred_side) {
        (Some(g), Some(p)) => g.label == p.label,
        _ => true,
    };
    match item.outcome {
        Outcome::Correct => MentionCategory::Correct,
        Outcome::WrongType => MentionCategory::WrongType,
        Outcome::Boundary if same_type => MentionCategory::WrongBoundary,
        Outcome::Boundary => MentionCategory::WrongBoundaryAndType,
        Outcome::Missed => MentionCategory::Missed,
        Outcome::Spurious => MentionCategory::Spurious,
        Outcome::NotInArticle => MentionCategory::NotInArticle,
        // Not produced for mentions.
        Outcome::WrongSpeaker => MentionCategory::Correct,
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MentionCategory {
    Correct,
    WrongType,
    WrongBoundary,
    WrongBoundaryAndType,
    Missed,
    Spurious,
    NotInArticle,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum QuoteCategory {
    Correct,
    Boundary,
    Speaker,
    BoundaryAndSpeaker,
    Missed,
    Spurious,
    NotInArticle,
}

/// How a quote item falls into the taxonomy (a found quote's boundary is judged from its sides;
/// without sides it counts as exact).
pub fn quote_category(item: &Item) -> QuoteCategory {
    let exact = match (&item.gold_side, &item.pred_side) {
        (Some(g), Some(p)) => g.spans == p.spans,
        _ => true,
    };
    match (item.outcome, exact) {
        (Outcome::Missed, _) => QuoteCategory::Missed,
        (Outcome::Spurious, _) => QuoteCategory::Spurious,
        (Outcome::NotInArticle, _) => QuoteCategory::NotInArticle,
        (Outcome::WrongSpeaker, true) => QuoteCategory::Speaker,
        (Outcome::WrongSpeaker, false) => QuoteCategory::BoundaryAndSpeaker,
        (_, true) => QuoteCategory::Correct,
        (_, false) => QuoteCategory::Boundary,
    }
}

fn side_label(side: &Option<crate::evaluate::Side>) -> Option<&str> {
    side.as_ref().map(|s| s.label.as_str())
}

impl Analysis {
    /// The analysis of a run's items; `counts` says which layers the gold annotates.
    pub fn of(counts: &Counts, articles: &[ArticleScore]) -> Analysis {
        let items = || articles.iter().flat_map(|a| a.items.iter());
        let mentions = (counts.entities.articles > 0).then(|| {
            let mut confusion =
                Confusion::new(EntityType::ALL.iter().map(|t| t.to_string()).collect());
            let mut t = MentionTaxonomy::default();
            for item in items().filter(|i| i.layer == Layer::Mentions) {
                let (gold, pred) = match (side_label(&item.gold_side), side_label(&item.pred_side))
                {
                    (None, None) => fallback_labels(item),
                    pair => pair,
                };
                confusion.add(gold, pred);
                match mention_category(item) {
                    MentionCategory::Correct => t.correct += 1,
                    MentionCategory::WrongType => t.wrong_type += 1,
                    MentionCategory::WrongBoundary => t.wrong_boundary += 1,
                    MentionCategory::WrongBoundaryAndType => t.wrong_boundary_and_type += 1,
                    MentionCategory::Missed => t.missed += 1,
                    MentionCategory::Spurious => t.spurious += 1,
                    MentionCategory::NotInArticle => t.not_in_article += 1,
                }
            }
            MentionAnalysis {
                confusion,
                taxonomy: t,
            }
        });
        let quotes = (counts.quotes.articles > 0).then(|| {
            let mut confusion =
                Confusion::new(QuoteKind::ALL.iter().map(|k| k.to_string()).collect());
            let mut t = QuoteTaxonomy::default();
            for item in items().filter(|i| i.layer == Layer::Quotes) {
                let (gold, pred) = match (side_label(&item.gold_side), side_label(&item.pred_side))
                {
                    (None, None) => fallback_labels(item),
                    pair => pair,
                };
                confusion.add(gold, pred);
                if matches!((gold, pred), (Some(g), Some(p)) if g != p) {
                    t.wrong_kind += 1;
                }
                match quote_category(item) {
                    QuoteCategory::Correct => t.correct += 1,
                    QuoteCategory::Boundary => t.boundary += 1,
                    QuoteCategory::Speaker => t.speaker += 1,
                    QuoteCategory::BoundaryAndSpeaker => t.boundary_and_speaker += 1,
                    QuoteCategory::Missed => t.missed += 1,
                    QuoteCategory::Spurious => t.spurious += 1,
                    QuoteCategory::NotInArticle => t.not_in_article += 1,
                }
            }
            QuoteAnalysis {
                confusion,
                taxonomy: t,
            }
        });
        Analysis { mentions, quotes }
    }

    /// The terminal tables (`--confusion`).
    pub fn to_table(&self) -> String {
        let mut s = String::new();
        if let Some(m) = &self.mentions {
            let _ = writeln!(
                s,
                "Entity type confusion (rows: gold, columns: predicted; pairs at any overlap)"
            );
            s.push_str(&matrix_table(&m.confusion));
            let t = &m.taxonomy;
            let _ = writeln!(
                s,
                "Mention errors (SemEval/nervaluate): correct {}, wrong type {}, wrong boundary {}, wrong boundary and type {}, missed {}, spurious {}, not in the article {}\n",
                t.correct, t.wrong_type, t.wrong_boundary, t.wrong_boundary_and_type, t.missed, t.spurious, t.not_in_article
            );
        }
        if let Some(q) = &self.quotes {
            let _ = writeln!(
                s,
                "Quote kind confusion (rows: gold, columns: predicted; matched at overlap≥0.3)"
            );
            s.push_str(&matrix_table(&q.confusion));
            let t = &q.taxonomy;
            let _ = writeln!(
                s,
                "Quote errors at overlap≥0.3: correct {}, boundary {}, speaker {}, boundary and speaker {}, missed {}, spurious {}, not in the article {} (of the found: wrong kind {})\n",
                t.correct, t.boundary, t.speaker, t.boundary_and_speaker, t.missed, t.spurious, t.not_in_article, t.wrong_kind
            );
        }
        if s.is_empty() {
            s.push_str("Confusion: neither mentions nor quotes are annotated in the gold\n");
        }
        s
    }
}

/// Old reports carry no sides: the item's label is the gold label (or the predicted one for a
/// spurious item), and the predicted type of a wrong-type pair is not known.
fn fallback_labels(item: &Item) -> (Option<&str>, Option<&str>) {
    match item.outcome {
        Outcome::Missed => (Some(item.label.as_str()), None),
        Outcome::Spurious | Outcome::NotInArticle => (None, Some(item.label.as_str())),
        _ => (Some(item.label.as_str()), Some(item.label.as_str())),
    }
}

fn matrix_table(c: &Confusion) -> String {
    let cols = c.columns();
    let width = cols.iter().map(|c| c.len()).max().unwrap_or(6).max(6) + 2;
    let mut s = format!("{:<12}", "gold \\ pred");
    for col in &cols {
        let _ = write!(s, "{col:>width$}");
    }
    s.push('\n');
    for row in c.rows() {
        let _ = write!(s, "{row:<12}");
        for col in &cols {
            if row == SPURIOUS && *col == MISSED {
                let _ = write!(s, "{:>width$}", "-");
            } else {
                let _ = write!(s, "{:>width$}", c.get(row, col));
            }
        }
        s.push('\n');
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::annotation::{Article, Document, Mention, Quote, Span};
    use crate::evaluate::score_corpus;
    use std::sync::Arc;

    fn mention(start: usize, end: usize, t: EntityType) -> Mention {
        Mention {
            span: Span::new(start, end),
            entity_type: t,
        }
    }

    #[test]
    fn matrix_and_taxonomy_count_each_pair_once() {
        // "Kremlin" typed PLACE (wrong type), "Putin" cut short (boundary), "Moscow" missed,
        // "Tuesday" spurious.
        let text = "The Kremlin said Vladimir Putin was in Moscow on Tuesday.";
        let article = Arc::new(Article::new("a", text));
        let at = |s: &str| {
            let start = text.find(s).unwrap();
            (start, start + s.len())
        };
        let (k0, k1) = at("Kremlin");
        let (p0, p1) = at("Vladimir Putin");
        let (m0, m1) = at("Moscow");
        let (t0, t1) = at("Tuesday");
        let mut gold = Document::empty(article.clone(), "gold");
        gold.mentions = vec![
            mention(k0, k1, EntityType::Org),
            mention(p0, p1, EntityType::Person),
            mention(m0, m1, EntityType::Place),
        ];
        let mut pred = Document::empty(article.clone(), "pred");
        pred.mentions = vec![
            mention(k0, k1, EntityType::Place),
            mention(p0 + 9, p1, EntityType::Person),
            mention(t0, t1, EntityType::Org),
        ];
        let gold = BTreeMap::from([("a".to_string(), gold)]);
        let pred = BTreeMap::from([("a".to_string(), pred)]);
        let (counts, articles) = score_corpus(&gold, &pred);
        let a = Analysis::of(&counts, &articles);
        let m = a.mentions.clone().expect("mentions are annotated");
        assert_eq!(m.confusion.get("ORG", "PLACE"), 1);
        assert_eq!(m.confusion.get("ORG", "ORG"), 0);
        assert_eq!(m.confusion.get("PERSON", "PERSON"), 1);
        assert_eq!(m.confusion.get("PLACE", MISSED), 1);
        assert_eq!(m.confusion.get(SPURIOUS, "ORG"), 1);
        let total: u64 = m.confusion.cells.values().flat_map(|r| r.values()).sum();
        assert_eq!(total, 4, "one cell per aligned item");
        assert_eq!(
            m.taxonomy,
            MentionTaxonomy {
                correct: 0,
                wrong_type: 1,
                wrong_boundary: 1,
                wrong_boundary_and_type: 0,
                missed: 1,
                spurious: 1,
                not_in_article: 0,
            }
        );
        let table = a.to_table();
        assert!(table.contains("wrong type 1"), "{table}");
        assert!(table.lines().any(|l| l.starts_with("ORG")), "{table}");
    }

    #[test]
    fn quotes_split_boundary_speaker_and_kind() {
        let text = "“We will win,” he said. She said that taxes would rise. “No,” they said.";
        let article = Arc::new(Article::new("q", text));
        let chars: Vec<char> = text.chars().collect();
        let find = |s: &str| {
            let needle: Vec<char> = s.chars().collect();
            let start = (0..chars.len())
                .find(|&i| chars[i..].starts_with(&needle))
                .unwrap();
            Span::new(start, start + needle.len())
        };
        let quote = |span: Span, kind: QuoteKind, speaker: &str| Quote {
            span,
            fragments: Vec::new(),
            kind,
            cue: None,
            speaker_mention: None,
            speaker: Some(speaker.to_string()),
            joint_speakers: Vec::new(),
        };
        let win = find("We will win,");
        let taxes = find("taxes would rise");
        let no = find("No,");
        let mut gold = Document::empty(article.clone(), "gold");
        gold.quotes = vec![
            quote(win, QuoteKind::Direct, "A"),
            quote(taxes, QuoteKind::Indirect, "B"),
            quote(no, QuoteKind::Direct, "C"),
        ];
        gold.layers = vec![Layer::Quotes];
        let mut pred = Document::empty(article.clone(), "pred");
        pred.quotes = vec![
            // Boundary only (longer), speaker right.
            quote(Span::new(win.start, win.end + 1), QuoteKind::Direct, "A"),
            // Exact span, wrong kind: still found; speaker unjudged (no speakers layer).
            quote(taxes, QuoteKind::Direct, "B"),
        ];
        let gold = BTreeMap::from([("q".to_string(), gold)]);
        let pred = BTreeMap::from([("q".to_string(), pred)]);
        let (counts, articles) = score_corpus(&gold, &pred);
        let a = Analysis::of(&counts, &articles);
        assert!(a.mentions.is_none(), "mentions are not annotated");
        let q = a.quotes.expect("quotes are annotated");
        assert_eq!(q.taxonomy.boundary, 1);
        assert_eq!(q.taxonomy.correct, 1);
        assert_eq!(q.taxonomy.missed, 1);
        assert_eq!(q.taxonomy.wrong_kind, 1);
        assert_eq!(q.confusion.get("indirect", "direct"), 1);
        assert_eq!(q.confusion.get("direct", MISSED), 1);
    }
}
