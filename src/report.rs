//! The report of a run: a versioned JSON document (schema `quoteval-report/1`) holding every
//! count, the derived metrics, the run's settings and timing, and every item with its outcome;
//! and its renderings as a terminal table, CSV, Markdown and an error list.

use std::collections::BTreeMap;
use std::fmt::Write as _;

use serde::{Deserialize, Serialize};

use crate::annotation::{EntityType, Layer};
use crate::confusion::Analysis;
use crate::evaluate::{ArticleScore, Item};
use crate::extract::ExtractStats;
use crate::score::{Counts, Metrics, Prf, SchemaCounts};

pub const SCHEMA: &str = "quoteval-report/1";

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Report {
    pub schema: String,
    pub tool: Tool,
    pub run: Run,
    pub totals: Totals,
    pub articles: Vec<ArticleScore>,
    /// Warnings worth keeping with the numbers (missing predictions, unreviewed gold).
    #[serde(default)]
    pub notes: Vec<String>,
    /// Type confusion and error taxonomy, derived from `articles` (`confusion::Analysis`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub analysis: Option<Analysis>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Tool {
    pub name: String,
    pub version: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Run {
    /// "eval", "score" or "agree".
    pub command: String,
    /// The models.toml entry, for `eval`.
    pub model: Option<String>,
    /// What produced the predictions.
    pub backend: String,
    pub corpus: CorpusInfo,
    /// Where the predictions were read from, for `score`.
    pub predictions: Option<String>,
    /// Every setting that can change a number.
    pub settings: BTreeMap<String, serde_json::Value>,
    pub timing: Timing,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CorpusInfo {
    pub path: String,
    /// sha256 over the articles' ids and texts; `compare` refuses reports that differ here.
    pub fingerprint: String,
    pub articles: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct Timing {
    /// Seconds since the Unix epoch when the run started.
    pub started_at: u64,
    pub wall_seconds: f64,
    pub load_seconds: f64,
    pub extract_seconds: f64,
    pub score_seconds: f64,
    pub articles_per_second: Option<f64>,
    pub word_pieces: u64,
    pub word_pieces_per_second: Option<f64>,
}

impl Timing {
    pub fn with_extraction(mut self, stats: &ExtractStats, articles: usize) -> Timing {
        self.load_seconds = stats.load_seconds;
        self.word_pieces = stats.word_pieces;
        if self.extract_seconds > 0.0 {
            self.articles_per_second = Some(articles as f64 / self.extract_seconds);
            if stats.word_pieces > 0 {
                self.word_pieces_per_second = Some(stats.word_pieces as f64 / self.extract_seconds);
            }
        }
        self
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Totals {
    pub counts: Counts,
    pub metrics: Metrics,
}

impl Report {
    pub fn new(
        run: Run,
        counts: Counts,
        articles: Vec<ArticleScore>,
        notes: Vec<String>,
    ) -> Report {
        let metrics = Metrics::of(&counts);
        let analysis = Some(Analysis::of(&counts, &articles));
        Report {
            schema: SCHEMA.into(),
            tool: Tool {
                name: "quoteval".into(),
                version: env!("CARGO_PKG_VERSION").into(),
            },
            run,
            totals: Totals { counts, metrics },
            articles,
            notes,
            analysis,
        }
    }

    pub fn to_json(&self) -> String {
        let mut s = serde_json::to_string_pretty(self).unwrap_or_default();
        s.push('\n');
        s
    }

    pub fn from_json(text: &str) -> Result<Report, String> {
        let value: serde_json::Value = serde_json::from_str(text).map_err(|e| e.to_string())?;
        match value.get("schema").and_then(|s| s.as_str()) {
            Some(SCHEMA) => serde_json::from_value(value).map_err(|e| e.to_string()),
            Some(other) => Err(format!(
                "report schema {other:?}; this version reads {SCHEMA:?}"
            )),
            None => Err("not a quoteval report (no \"schema\")".into()),
        }
    }

    fn headline(&self) -> String {
        let r = &self.run;
        let what = match &r.model {
            Some(m) => format!("model {m}"),
            None => r.backend.clone(),
        };
        let mut s = format!(
            "quoteval {} — {} on {} ({} articles)",
            r.command,
            what,
            r.corpus.path,
            r.corpus.articles.len()
        );
        let t = &r.timing;
        let _ = write!(s, " in {:.2} s", t.wall_seconds);
        if let Some(a) = t.articles_per_second {
            let _ = write!(s, "; {a:.1} articles/s");
        }
        if let Some(w) = t.word_pieces_per_second {
            let _ = write!(s, ", {w:.0} word pieces/s");
        }
        s
    }

    /// The readable terminal table.
    pub fn to_table(&self) -> String {
        let c = &self.totals.counts;
        let m = &self.totals.metrics;
        let mut s = String::new();
        let _ = writeln!(s, "{}\n", self.headline());
        if c.entities.articles > 0 {
            let _ = writeln!(s, "Entity mentions            strict               exact                partial              type");
            let _ = writeln!(s, "                 gold  pred   P     R     F1      P     R     F1      P     R     F1      P     R     F1");
            let row = |s: &mut String,
                       name: &str,
                       counts: &SchemaCounts,
                       sm: &crate::score::SchemaMetrics| {
                let _ = write!(
                    s,
                    "{name:<15}{:>6}{:>6}",
                    counts.possible(),
                    counts.actual()
                );
                for prf in [sm.strict, sm.exact, sm.partial, sm.entity_type] {
                    let _ = write!(s, "  {}", prf3(&prf));
                }
                s.push('\n');
            };
            for t in EntityType::ALL {
                if let (Some(counts), Some(sm)) =
                    (c.entities.by_type.get(&t), m.entities.by_type.get(&t))
                {
                    row(&mut s, t.as_str(), &counts.strict, sm);
                }
            }
            let micro = c.entities.micro();
            row(&mut s, "micro", &micro.strict, &m.entities.micro);
            let _ = write!(s, "{:<27}", "macro");
            for prf in [
                m.entities.macro_.strict,
                m.entities.macro_.exact,
                m.entities.macro_.partial,
                m.entities.macro_.entity_type,
            ] {
                let _ = write!(s, "  {}", prf3(&prf));
            }
            let _ = writeln!(s, "\n");
        } else {
            let _ = writeln!(s, "Entity mentions: not annotated in the gold\n");
        }
        if c.quotes.articles > 0 {
            let _ = writeln!(s, "Quotes        gold  pred   P     R     F1     direct F1  indirect F1  speaker(name)  speaker(mention)  end-to-end F1");
            for (name, level) in c.quotes.levels() {
                let qm = &m.quotes[name];
                let label = if name == "exact" {
                    "exact".to_string()
                } else {
                    format!("overlap≥{name}")
                };
                let _ = writeln!(
                    s,
                    "{label:<12}{:>6}{:>6}  {}  {:>9}  {:>11}  {:>13}  {:>16}  {:>13}",
                    level.all.tp + level.all.fn_,
                    level.all.tp + level.all.fp,
                    prf3(&qm.all),
                    f3(qm.direct.f1),
                    f3(qm.indirect.f1),
                    opt3(qm.speaker_by_name),
                    opt3(qm.speaker_by_mention),
                    f3(qm.end_to_end.f1),
                );
            }
            let _ = writeln!(s, "\nSpeaker accuracy  all(name)  all(mention)  direct(name)  direct(mention)  indirect(name)  indirect(mention)");
            for (name, _) in c.quotes.levels() {
                let q = &m.quotes[name];
                let label = if name == "exact" {
                    "exact".to_string()
                } else {
                    format!("overlap≥{name}")
                };
                let _ = writeln!(
                    s,
                    "{label:<16}{:>11}{:>14}{:>14}{:>17}{:>16}{:>19}",
                    opt3(q.speaker_by_name),
                    opt3(q.speaker_by_mention),
                    opt3(q.direct_speaker_by_name),
                    opt3(q.direct_speaker_by_mention),
                    opt3(q.indirect_speaker_by_name),
                    opt3(q.indirect_speaker_by_mention),
                );
            }
            s.push('\n');
        } else {
            let _ = writeln!(s, "Quotes: not annotated in the gold\n");
        }
        let _ = writeln!(s, "Sets          gold  pred   P     R     F1");
        for (name, set, prf) in [
            ("speakers", &c.speakers, &m.speakers),
            ("places", &c.places, &m.places),
        ] {
            if set.articles > 0 {
                let t = set.tally;
                let _ = writeln!(
                    s,
                    "{name:<12}{:>6}{:>6}  {}",
                    t.tp + t.fn_,
                    t.tp + t.fp,
                    prf3(prf)
                );
            } else {
                let _ = writeln!(s, "{name:<12}  not annotated in the gold");
            }
        }
        for note in &self.notes {
            let _ = writeln!(s, "note: {note}");
        }
        s
    }

    /// Markdown for a pull-request comment.
    pub fn to_markdown(&self) -> String {
        let c = &self.totals.counts;
        let m = &self.totals.metrics;
        let mut s = format!("### {}\n\n", self.headline());
        if c.entities.articles > 0 {
            s.push_str("| Entities | gold | pred | strict P | strict R | strict F1 | partial F1 | type F1 |\n|---|---:|---:|---:|---:|---:|---:|---:|\n");
            let mut row = |name: &str, counts: &SchemaCounts, sm: &crate::score::SchemaMetrics| {
                let _ = writeln!(
                    s,
                    "| {name} | {} | {} | {} | {} | {} | {} | {} |",
                    counts.possible(),
                    counts.actual(),
                    f3(sm.strict.precision),
                    f3(sm.strict.recall),
                    f3(sm.strict.f1),
                    f3(sm.partial.f1),
                    f3(sm.entity_type.f1)
                );
            };
            for t in EntityType::ALL {
                if let (Some(counts), Some(sm)) =
                    (c.entities.by_type.get(&t), m.entities.by_type.get(&t))
                {
                    row(t.as_str(), &counts.strict, sm);
                }
            }
            row("**micro**", &c.entities.micro().strict, &m.entities.micro);
            s.push('\n');
        }
        if c.quotes.articles > 0 {
            s.push_str("| Quotes | P | R | F1 | direct F1 | indirect F1 | speaker acc. (name) | speaker acc. (mention) | end-to-end F1 |\n|---|---:|---:|---:|---:|---:|---:|---:|---:|\n");
            for (name, _) in c.quotes.levels() {
                let q = &m.quotes[name];
                let label = if name == "exact" {
                    "exact".to_string()
                } else {
                    format!("overlap ≥ {name}")
                };
                let _ = writeln!(
                    s,
                    "| {label} | {} | {} | {} | {} | {} | {} | {} | {} |",
                    f3(q.all.precision),
                    f3(q.all.recall),
                    f3(q.all.f1),
                    f3(q.direct.f1),
                    f3(q.indirect.f1),
                    opt3(q.speaker_by_name),
                    opt3(q.speaker_by_mention),
                    f3(q.end_to_end.f1)
                );
            }
            s.push('\n');
        }
        s.push_str("| Sets | P | R | F1 |\n|---|---:|---:|---:|\n");
        for (name, set, prf) in [
            ("speakers", &c.speakers, &m.speakers),
            ("places", &c.places, &m.places),
        ] {
            if set.articles > 0 {
                let _ = writeln!(
                    s,
                    "| {name} | {} | {} | {} |",
                    f3(prf.precision),
                    f3(prf.recall),
                    f3(prf.f1)
                );
            }
        }
        for note in &self.notes {
            let _ = writeln!(s, "\n> {note}");
        }
        s
    }

    /// Long-format CSV: one row per (article, layer, variant, label, measure). `article` is
    /// `ALL` for the corpus totals.
    pub fn to_csv(&self) -> String {
        let mut w = csv::Writer::from_writer(Vec::new());
        let _ = w.write_record(["article", "layer", "variant", "label", "measure", "value"]);
        let mut scopes: Vec<(&str, &Counts)> = vec![("ALL", &self.totals.counts)];
        scopes.extend(self.articles.iter().map(|a| (a.id.as_str(), &a.counts)));
        for (article, counts) in scopes {
            for row in csv_rows(counts) {
                let _ = w.write_record([article, &row.0, &row.1, &row.2, &row.3, &row.4]);
            }
        }
        String::from_utf8(w.into_inner().unwrap_or_default()).unwrap_or_default()
    }

    /// Every false positive and false negative with its article, span and a line of context.
    pub fn errors(&self) -> String {
        let mut s = String::new();
        for a in &self.articles {
            for item in a.items.iter().filter(|i| i.outcome.is_error()) {
                let _ = writeln!(s, "{}", error_line(&a.id, item));
            }
        }
        if s.is_empty() {
            s.push_str("no errors\n");
        }
        s
    }
}

fn error_line(article: &str, item: &Item) -> String {
    let layer = match item.layer {
        Layer::Mentions => "mention",
        Layer::Quotes => "quote",
        Layer::Speakers => "speaker",
        Layer::Places => "place",
    };
    let outcome = serde_json::to_value(item.outcome)
        .ok()
        .and_then(|v| v.as_str().map(str::to_string))
        .unwrap_or_default();
    let mut s = format!("{article}");
    if let Some(line) = item.line {
        let _ = write!(s, ":{line}");
    }
    let _ = write!(s, "\t{outcome}\t{layer} {}", item.label);
    if let Some(span) = item.span {
        let _ = write!(s, " [{span}]");
    }
    if let Some(g) = &item.gold {
        let _ = write!(s, "\tgold {g:?}");
    }
    if let Some(p) = &item.pred {
        let _ = write!(s, "\tpred {p:?}");
    }
    if let Some(d) = &item.detail {
        let _ = write!(s, "\t{d}");
    }
    if let Some(c) = &item.context {
        let _ = write!(s, "\t{c}");
    }
    s
}

type CsvRow = (String, String, String, String, String);

fn csv_rows(c: &Counts) -> Vec<CsvRow> {
    let m = Metrics::of(c);
    let mut rows: Vec<CsvRow> = Vec::new();
    let mut push = |layer: &str, variant: &str, label: &str, measure: &str, value: String| {
        rows.push((
            layer.into(),
            variant.into(),
            label.into(),
            measure.into(),
            value,
        ));
    };
    if c.entities.articles > 0 {
        let micro = c.entities.micro();
        let mut groups: Vec<(String, crate::score::SchemaSet, crate::score::SchemaMetrics)> = c
            .entities
            .by_type
            .iter()
            .filter_map(|(t, s)| m.entities.by_type.get(t).map(|sm| (t.to_string(), *s, *sm)))
            .collect();
        groups.push(("micro".into(), micro, m.entities.micro));
        for (label, set, sm) in &groups {
            for (variant, counts, prf) in [
                ("strict", set.strict, sm.strict),
                ("exact", set.exact, sm.exact),
                ("partial", set.partial, sm.partial),
                ("type", set.entity_type, sm.entity_type),
            ] {
                for (measure, v) in [
                    ("correct", counts.correct),
                    ("incorrect", counts.incorrect),
                    ("partial", counts.partial),
                    ("missed", counts.missed),
                    ("spurious", counts.spurious),
                ] {
                    push("entities", variant, label, measure, v.to_string());
                }
                prf_rows(&mut push, "entities", variant, label, &prf);
            }
        }
        for (variant, prf) in [
            ("strict", m.entities.macro_.strict),
            ("exact", m.entities.macro_.exact),
            ("partial", m.entities.macro_.partial),
            ("type", m.entities.macro_.entity_type),
        ] {
            prf_rows(&mut push, "entities", variant, "macro", &prf);
        }
    }
    if c.quotes.articles > 0 {
        for (name, level) in c.quotes.levels() {
            let q = &m.quotes[name];
            for (label, t, prf) in [
                ("all", level.all, q.all),
                ("direct", level.direct, q.direct),
                ("indirect", level.indirect, q.indirect),
                ("end_to_end", level.end_to_end, q.end_to_end),
            ] {
                push("quotes", name, label, "tp", t.tp.to_string());
                push("quotes", name, label, "fp", t.fp.to_string());
                push("quotes", name, label, "fn", t.fn_.to_string());
                prf_rows(&mut push, "quotes", name, label, &prf);
            }
            for (label, acc) in [
                ("speaker_by_name", level.speaker_by_name),
                ("speaker_by_mention", level.speaker_by_mention),
                ("direct_speaker_by_name", level.direct_speaker_by_name),
                ("direct_speaker_by_mention", level.direct_speaker_by_mention),
                ("indirect_speaker_by_name", level.indirect_speaker_by_name),
                (
                    "indirect_speaker_by_mention",
                    level.indirect_speaker_by_mention,
                ),
            ] {
                push("quotes", name, label, "correct", acc.correct.to_string());
                push("quotes", name, label, "total", acc.total.to_string());
                push(
                    "quotes",
                    name,
                    label,
                    "accuracy",
                    acc.value().map(|v| format!("{v:.6}")).unwrap_or_default(),
                );
            }
        }
    }
    for (layer, set, prf) in [
        ("speakers", c.speakers, m.speakers),
        ("places", c.places, m.places),
    ] {
        if set.articles > 0 {
            push(layer, "set", "all", "tp", set.tally.tp.to_string());
            push(layer, "set", "all", "fp", set.tally.fp.to_string());
            push(layer, "set", "all", "fn", set.tally.fn_.to_string());
            prf_rows(&mut push, layer, "set", "all", &prf);
        }
    }
    rows
}

fn prf_rows(
    push: &mut impl FnMut(&str, &str, &str, &str, String),
    layer: &str,
    variant: &str,
    label: &str,
    prf: &Prf,
) {
    push(
        layer,
        variant,
        label,
        "precision",
        format!("{:.6}", prf.precision),
    );
    push(
        layer,
        variant,
        label,
        "recall",
        format!("{:.6}", prf.recall),
    );
    push(layer, variant, label, "f1", format!("{:.6}", prf.f1));
}

fn f3(v: f64) -> String {
    format!("{v:.3}")
}

fn opt3(v: Option<f64>) -> String {
    v.map(f3).unwrap_or_else(|| "-".into())
}

fn prf3(p: &Prf) -> String {
    format!("{} {} {}", f3(p.precision), f3(p.recall), f3(p.f1))
}
