//! The report of a run: a versioned JSON document (schema `quoteval-report/3`) holding every
//! count, the derived metrics, the run's settings and timing, and every item with its outcome;
//! and its renderings as a terminal table, CSV, Markdown and an error list.

use std::collections::BTreeMap;
use std::fmt::Write as _;

use serde::{Deserialize, Serialize};

use crate::annotation::Layer;
use crate::confusion::Analysis;
use crate::evaluate::{item_noun, ArticleScore, Item};
use crate::extract::{ExtractStats, StageStats};
use crate::score::bootstrap::{self, RunInterval};
use crate::score::{catalogue, Counts, Metrics};

pub const SCHEMA: &str = "quoteval-report/3";
/// The schema before quote counts were keyed by scope (`score::quote_counts`): still read, and
/// upgraded as it is read ([`Report::from_json`]), so `compare` takes a base report from before.
pub const SCHEMA_V2: &str = "quoteval-report/2";

/// Why shards could not be merged into one run's report.
#[derive(Debug, thiserror::Error)]
pub enum MergeError {
    #[error("no reports to merge")]
    NoReports,
    #[error("report of {0} is not a shard (no settings.shard)")]
    NotAShard(String),
    #[error(transparent)]
    Shard(crate::corpus::ShardError),
    #[error("shard {shard} is not of the same run as shard {first}: its {field} differs")]
    OtherRun {
        shard: crate::corpus::Shard,
        first: crate::corpus::Shard,
        field: &'static str,
    },
    #[error("shard {shard} is one of {}, not of {count}", shard.count)]
    OtherCount {
        shard: crate::corpus::Shard,
        count: usize,
    },
    #[error("shard {0} is given twice")]
    Repeated(crate::corpus::Shard),
    #[error("missing shard(s): {0}")]
    Missing(String),
    #[error("shard {shard}: its articles ({listed}) are not those of its run.corpus.articles ({corpus})")]
    ArticlesNotCorpus {
        shard: crate::corpus::Shard,
        listed: String,
        corpus: String,
    },
    #[error("article {id} is in shard {first} and in shard {second}")]
    ArticleTwice {
        id: String,
        first: crate::corpus::Shard,
        second: crate::corpus::Shard,
    },
    #[error("shard {0}: totals.counts are not the sum of its articles' counts (edited by hand?)")]
    CountsNotSum(crate::corpus::Shard),
    #[error("shard {0}: totals.metrics are not those of its totals.counts (edited by hand?)")]
    MetricsNotCounts(crate::corpus::Shard),
}

/// Rewrites a `/2` report as `/3`: each article's and the totals' quote counts into the scoped
/// shape, and the totals' metrics derived again from the upgraded counts (they are a function of
/// them; `/2` wrote their quote part in the flat shape too).
fn upgrade_v2(report: &mut serde_json::Value) -> Result<(), serde_json::Error> {
    fn upgrade_counts(counts: Option<&mut serde_json::Value>) -> Result<(), serde_json::Error> {
        let Some(quotes) = counts
            .and_then(|c| c.get_mut("quotes"))
            .and_then(|q| q.as_object_mut())
        else {
            return Ok(());
        };
        for (name, level) in quotes.iter_mut() {
            if name != "articles" {
                *level = crate::score::quote_counts::upgrade_v2_level(level)?;
            }
        }
        Ok(())
    }
    if let Some(articles) = report.get_mut("articles").and_then(|a| a.as_array_mut()) {
        for article in articles {
            upgrade_counts(article.get_mut("counts"))?;
        }
    }
    if let Some(totals) = report.get_mut("totals") {
        upgrade_counts(totals.get_mut("counts"))?;
        let counts: Counts = serde_json::from_value(totals["counts"].clone())?;
        totals["metrics"] = serde_json::to_value(Metrics::of(&counts))?;
    }
    report["schema"] = SCHEMA.into();
    Ok(())
}

/// Why a file is not a report this version reads.
#[derive(Debug, thiserror::Error)]
pub enum ReadError {
    #[error(transparent)]
    Json(#[from] serde_json::Error),
    #[error("report schema {0:?}; this version reads {SCHEMA:?} and {SCHEMA_V2:?}")]
    Schema(String),
    #[error("not a quoteval report (no \"schema\")")]
    NotAReport,
}

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
    /// The pipeline's stages (NER, then quotes), each timed on its own: where the extraction
    /// time goes when both stages run a model. Empty for prediction files.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub stages: Vec<StageTiming>,
}

/// One stage of the run's pipeline ([`crate::extract::StageStats`] as the report keeps it).
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct StageTiming {
    /// "ner" or "quotes".
    pub stage: String,
    pub backend: String,
    pub seconds: f64,
    /// Loading the stage's model (0 for the rules).
    pub load_seconds: f64,
    /// Word pieces the stage's model read (0 for the rules).
    pub word_pieces: u64,
    pub word_pieces_per_second: Option<f64>,
}

impl StageTiming {
    pub fn new(stage: &StageStats) -> StageTiming {
        StageTiming {
            stage: stage.stage.clone(),
            backend: stage.backend.clone(),
            seconds: stage.seconds,
            load_seconds: stage.model.load_seconds,
            word_pieces: stage.model.word_pieces,
            word_pieces_per_second: None,
        }
        .with_rate()
    }

    fn with_rate(mut self) -> StageTiming {
        self.word_pieces_per_second = (self.seconds > 0.0 && self.word_pieces > 0)
            .then(|| self.word_pieces as f64 / self.seconds);
        self
    }
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

/// The note a report makes of predicted items that are nowhere in the article.
fn unplaced_note(articles: &[ArticleScore]) -> Option<String> {
    let unplaced: Vec<&Item> = articles
        .iter()
        .flat_map(|a| &a.items)
        .filter(|i| i.outcome == crate::evaluate::Outcome::NotInArticle)
        .collect();
    let count = |layer| unplaced.iter().filter(|i| i.layer == layer).count();
    (!unplaced.is_empty()).then(|| {
        format!(
            "{} mention(s) and {} quote(s) the predictions give by text are not in the article: \
             each is a false positive (\"not in the article\" in --errors)",
            count(Layer::Mentions),
            count(Layer::Quotes)
        )
    })
}

/// The notes a report makes of its layers not predicted on some articles.
fn layer_notes(counts: &Counts, articles: &[ArticleScore]) -> Vec<String> {
    let mut notes = Vec::new();
    for layer in Layer::ALL {
        let missing = counts.not_predicted.get(layer);
        if missing > 0 {
            let unpredicted: Vec<&str> = articles
                .iter()
                .filter(|a| a.counts.not_predicted.get(layer) > 0)
                .map(|a| a.id.as_str())
                .collect();
            notes.push(format!(
                "{}: not predicted on {missing} article(s), not scored there: {}",
                layer.name(),
                unpredicted.join(", ")
            ));
        }
    }
    notes
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Totals {
    pub counts: Counts,
    pub metrics: Metrics,
    /// The 95 % percentile bootstrap interval over articles ([`bootstrap::intervals`], 1,000
    /// resamples, seed 42) of each headline metric, and of the few in `WITH_INTERVAL`, that has
    /// a value: what this corpus can tell apart. Absent from reports written before it existed.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub intervals: BTreeMap<String, RunInterval>,
}

/// Two JSON values equal up to the last bits of their numbers (a report read back from JSON
/// may differ from the one written in a float's last place).
fn nearly_equal(a: &serde_json::Value, b: &serde_json::Value) -> bool {
    use serde_json::Value;
    match (a, b) {
        (Value::Number(x), Value::Number(y)) => match (x.as_f64(), y.as_f64()) {
            (Some(x), Some(y)) => (x - y).abs() <= 1e-9 * x.abs().max(y.abs()).max(1.0),
            _ => x == y,
        },
        (Value::Array(x), Value::Array(y)) => {
            x.len() == y.len() && x.iter().zip(y).all(|(x, y)| nearly_equal(x, y))
        }
        (Value::Object(x), Value::Object(y)) => {
            x.len() == y.len()
                && x.iter()
                    .all(|(k, v)| y.get(k).is_some_and(|w| nearly_equal(v, w)))
        }
        _ => a == b,
    }
}

/// Metrics that carry an interval besides the headline ones: the per-type entity F1s, the
/// precision and recall of the article-level layers, and the named speakers' F1.
const WITH_INTERVAL: [&str; 8] = [
    "entities.person.strict.f1",
    "entities.place.strict.f1",
    "entities.org.strict.f1",
    "speakers.precision",
    "speakers.recall",
    "speakers.named.f1",
    "places.precision",
    "places.recall",
];

/// Whether a report gives this metric an interval.
fn has_interval(q: &catalogue::Quantity) -> bool {
    q.headline || WITH_INTERVAL.contains(&q.name.as_str())
}

/// The intervals over the articles' counts of the headline metrics and [`WITH_INTERVAL`].
fn report_intervals(articles: &[ArticleScore]) -> BTreeMap<String, RunInterval> {
    let metrics: Vec<&catalogue::Quantity> =
        catalogue::metrics().filter(|q| has_interval(q)).collect();
    let rows: Vec<&Counts> = articles.iter().map(|a| &a.counts).collect();
    let found = bootstrap::intervals(
        &rows,
        &metrics,
        bootstrap::REPORT_RESAMPLES,
        bootstrap::REPORT_SEED,
    );
    metrics
        .iter()
        .zip(found)
        .filter_map(|(q, i)| Some((q.name.clone(), i?)))
        .collect()
}

impl Report {
    pub fn new(
        run: Run,
        counts: Counts,
        articles: Vec<ArticleScore>,
        notes: Vec<String>,
    ) -> Report {
        let metrics = Metrics::of(&counts);
        let mut notes = notes;
        notes.extend(layer_notes(&counts, &articles));
        notes.extend(unplaced_note(&articles));
        let analysis = Some(Analysis::of(&counts, &articles));
        let intervals = report_intervals(&articles);
        Report {
            schema: SCHEMA.into(),
            tool: Tool {
                name: "quoteval".into(),
                version: env!("CARGO_PKG_VERSION").into(),
            },
            run,
            totals: Totals {
                counts,
                metrics,
                intervals,
            },
            articles,
            notes,
            analysis,
        }
    }

    /// Joins the reports of the shards of one run (`eval --shard K/N`, K = 1..N) into the report
    /// of the whole run: the additive counts summed, the articles (with their counts and items,
    /// so `compare`'s bootstrap still works) in id order, the notes kept once each. Refuses
    /// reports of different runs, corpora or versions, and a missing or repeated shard.
    pub fn merge(shards: &[Report]) -> Result<Report, MergeError> {
        use crate::corpus::Shard;
        let first = shards.first().ok_or(MergeError::NoReports)?;
        let shard_of = |r: &Report| -> Result<Shard, MergeError> {
            r.run
                .settings
                .get("shard")
                .and_then(|v| v.as_str())
                .ok_or_else(|| MergeError::NotAShard(r.describe()))?
                .parse()
                .map_err(MergeError::Shard)
        };
        let count = shard_of(first)?.count;
        let mut seen = vec![false; count];
        let without_shard = |r: &Report| {
            let mut s = r.run.settings.clone();
            s.remove("shard");
            s
        };
        let mut ids: BTreeMap<&str, Shard> = BTreeMap::new();
        for r in shards {
            let shard = shard_of(r)?;
            let differs = [
                ("schema", r.schema != first.schema),
                ("tool", r.tool != first.tool),
                ("run.command", r.run.command != first.run.command),
                ("run.model", r.run.model != first.run.model),
                ("run.backend", r.run.backend != first.run.backend),
                (
                    "run.corpus.fingerprint",
                    r.run.corpus.fingerprint != first.run.corpus.fingerprint,
                ),
                ("run.settings", without_shard(r) != without_shard(first)),
            ];
            if let Some((field, _)) = differs.iter().find(|(_, d)| *d) {
                return Err(MergeError::OtherRun {
                    shard,
                    first: shard_of(first)?,
                    field,
                });
            }
            if shard.count != count {
                return Err(MergeError::OtherCount { shard, count });
            }
            if std::mem::replace(&mut seen[shard.index - 1], true) {
                return Err(MergeError::Repeated(shard));
            }
            // A shard is trusted only as far as it is consistent: its articles are its corpus,
            // its counts their sum, its metrics derived from its counts.
            let listed: Vec<&str> = r.articles.iter().map(|a| a.id.as_str()).collect();
            let corpus: Vec<&str> = r.run.corpus.articles.iter().map(String::as_str).collect();
            if listed != corpus {
                return Err(MergeError::ArticlesNotCorpus {
                    shard,
                    listed: listed.join(", "),
                    corpus: corpus.join(", "),
                });
            }
            for id in listed {
                if let Some(other) = ids.insert(id, shard) {
                    return Err(MergeError::ArticleTwice {
                        id: id.to_string(),
                        first: other,
                        second: shard,
                    });
                }
            }
            let mut sum = Counts::default();
            for a in &r.articles {
                sum += &a.counts;
            }
            if sum != r.totals.counts {
                return Err(MergeError::CountsNotSum(shard));
            }
            if !nearly_equal(
                &serde_json::to_value(Metrics::of(&r.totals.counts)).unwrap_or_default(),
                &serde_json::to_value(&r.totals.metrics).unwrap_or_default(),
            ) {
                return Err(MergeError::MetricsNotCounts(shard));
            }
        }
        let missing: Vec<String> = (1..=count)
            .filter(|k| !seen[k - 1])
            .map(|k| format!("{k}/{count}"))
            .collect();
        if !missing.is_empty() {
            return Err(MergeError::Missing(missing.join(", ")));
        }

        let mut articles: Vec<ArticleScore> = shards
            .iter()
            .flat_map(|r| r.articles.iter().cloned())
            .collect();
        articles.sort_by(|a, b| a.id.cmp(&b.id));
        let mut counts = Counts::default();
        for a in &articles {
            counts += &a.counts;
        }
        // Each shard's own layer notes are recomputed for the whole; other notes kept once.
        let mut notes: Vec<String> = Vec::new();
        for r in shards {
            let mut own = layer_notes(&r.totals.counts, &r.articles);
            own.extend(unplaced_note(&r.articles));
            for n in &r.notes {
                if !own.contains(n) && !notes.contains(n) {
                    notes.push(n.clone());
                }
            }
        }
        let mut run = first.run.clone();
        run.settings.remove("shard");
        run.settings.insert("shards".into(), count.into());
        run.corpus.articles = articles.iter().map(|a| a.id.clone()).collect();
        // Work adds up over shards; the wall time is the longest shard's (they run side by side).
        let mut stats = ExtractStats::default();
        let mut timing = Timing {
            started_at: shards
                .iter()
                .map(|r| r.run.timing.started_at)
                .min()
                .unwrap_or(0),
            ..Timing::default()
        };
        let mut stages: Vec<StageTiming> = Vec::new();
        for r in shards {
            let t = &r.run.timing;
            timing.wall_seconds = timing.wall_seconds.max(t.wall_seconds);
            timing.extract_seconds += t.extract_seconds;
            timing.score_seconds += t.score_seconds;
            stats.load_seconds += t.load_seconds;
            stats.word_pieces += t.word_pieces;
            for s in &t.stages {
                match stages.iter_mut().find(|x| x.stage == s.stage) {
                    Some(x) => {
                        x.seconds += s.seconds;
                        x.load_seconds += s.load_seconds;
                        x.word_pieces += s.word_pieces;
                    }
                    None => stages.push(s.clone()),
                }
            }
        }
        let mut timing = timing.with_extraction(&stats, articles.len());
        timing.stages = stages.into_iter().map(StageTiming::with_rate).collect();
        run.timing = timing;
        Ok(Report::new(run, counts, articles, notes))
    }

    fn describe(&self) -> String {
        match &self.run.model {
            Some(m) => format!("model {m}"),
            None => self.run.backend.clone(),
        }
    }

    pub fn to_json(&self) -> String {
        let mut s = serde_json::to_string_pretty(self).unwrap_or_default();
        s.push('\n');
        s
    }

    /// The one reader of reports (`compare`, `report merge`, the HTML page): this version's
    /// schema, or `/2` upgraded.
    pub fn from_json(text: &str) -> Result<Report, ReadError> {
        let mut value: serde_json::Value = serde_json::from_str(text)?;
        match value.get("schema").and_then(|s| s.as_str()) {
            Some(SCHEMA) => Ok(serde_json::from_value(value)?),
            Some(SCHEMA_V2) => {
                upgrade_v2(&mut value)?;
                Ok(serde_json::from_value(value)?)
            }
            Some(other) => Err(ReadError::Schema(other.to_string())),
            None => Err(ReadError::NotAReport),
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

    /// One line per pipeline stage: its seconds, its model's rate, what ran.
    fn stage_lines(&self, prefix: &str) -> String {
        let mut s = String::new();
        for stage in &self.run.timing.stages {
            let _ = write!(s, "{prefix}{}: {:.2} s", stage.stage, stage.seconds);
            if let Some(w) = stage.word_pieces_per_second {
                let _ = write!(s, ", {w:.0} word pieces/s");
            }
            let _ = writeln!(s, " ({})", stage.backend);
        }
        s
    }

    /// The readable terminal table: the catalogue's tables ([`catalogue::tables`]).
    pub fn to_table(&self) -> String {
        let c = &self.totals.counts;
        let mut s = String::new();
        let _ = writeln!(s, "{}\n{}", self.headline(), self.stage_lines("  "));
        for table in catalogue::tables() {
            if c.articles(table.layer) == 0 {
                let _ = writeln!(s, "{}: {}\n", table.title, c.unscored_reason(table.layer));
                continue;
            }
            let cells = cells(&table, c);
            let label_width = table
                .rows
                .iter()
                .map(|(l, _)| l.chars().count())
                .chain([table.title.chars().count()])
                .max()
                .unwrap_or(0);
            let widths: Vec<usize> = (0..table.columns.len())
                .map(|k| {
                    cells
                        .iter()
                        .map(|row| row[k].chars().count())
                        .chain([table.columns[k].0.chars().count()])
                        .max()
                        .unwrap_or(0)
                })
                .collect();
            let mut line = pad_right(table.title, label_width);
            for (k, (header, _)) in table.columns.iter().enumerate() {
                let _ = write!(line, "  {}", pad_left(header, widths[k]));
            }
            let _ = writeln!(s, "{}", line.trim_end());
            for (r, (label, _)) in table.rows.iter().enumerate() {
                let mut line = pad_right(label, label_width);
                for (k, cell) in cells[r].iter().enumerate() {
                    let _ = write!(line, "  {}", pad_left(cell, widths[k]));
                }
                let _ = writeln!(s, "{}", line.trim_end());
            }
            s.push('\n');
        }
        let intervals = self.metrics_with_intervals();
        if !intervals.is_empty() {
            let _ = writeln!(s, "{}", self.interval_caption());
            let width = intervals.iter().map(|(n, _, _)| n.len()).max().unwrap_or(0);
            for (name, value, i) in intervals {
                let _ = writeln!(
                    s,
                    "  {name:width$}  {value:.3}  [{:.3}, {:.3}]",
                    i.low, i.high
                );
            }
            s.push('\n');
        }
        for note in &self.notes {
            let _ = writeln!(s, "note: {note}");
        }
        s
    }

    /// The metrics with intervals (the headline ones, per-type entity F1, speakers' and places'
    /// precision and recall), in catalogue order: (name, value, interval).
    pub fn metrics_with_intervals(&self) -> Vec<(&'static str, f64, RunInterval)> {
        let c = &self.totals.counts;
        catalogue::metrics()
            .filter(|q| has_interval(q))
            .filter_map(|q| {
                let interval = *self.totals.intervals.get(&q.name)?;
                Some((q.name.as_str(), q.value(c)?, interval))
            })
            .collect()
    }

    /// The sentence that says how the intervals were made.
    pub fn interval_caption(&self) -> String {
        format!(
            "95% intervals: percentile bootstrap over the {} articles ({} resamples, seed {})",
            self.articles.len(),
            bootstrap::REPORT_RESAMPLES,
            bootstrap::REPORT_SEED
        )
    }

    /// Markdown for a pull-request comment: the same tables as [`Report::to_table`].
    pub fn to_markdown(&self) -> String {
        let c = &self.totals.counts;
        let mut s = format!("### {}\n\n", self.headline());
        let stages = self.stage_lines("- ");
        if !stages.is_empty() {
            let _ = writeln!(s, "{stages}");
        }
        for table in catalogue::tables() {
            if c.articles(table.layer) == 0 {
                let _ = writeln!(s, "_{}: {}_\n", table.title, c.unscored_reason(table.layer));
                continue;
            }
            let _ = write!(s, "| {} |", table.title);
            for (header, _) in &table.columns {
                let _ = write!(s, " {header} |");
            }
            s.push_str("\n|---|");
            s.push_str(&"---:|".repeat(table.columns.len()));
            s.push('\n');
            for (r, row) in cells(&table, c).iter().enumerate() {
                let _ = write!(s, "| {} |", table.rows[r].0);
                for cell in row {
                    let _ = write!(s, " {cell} |");
                }
                s.push('\n');
            }
            s.push('\n');
        }
        let intervals = self.metrics_with_intervals();
        if !intervals.is_empty() {
            let _ = writeln!(s, "_{}_\n", self.interval_caption());
            s.push_str("| metric | value | 95% interval |\n|---|---:|---:|\n");
            for (name, value, i) in intervals {
                let _ = writeln!(
                    s,
                    "| `{name}` | {value:.3} | [{:.3}, {:.3}] |",
                    i.low, i.high
                );
            }
            s.push('\n');
        }
        for note in &self.notes {
            let _ = writeln!(s, "> {note}\n");
        }
        s
    }

    /// Long-format CSV: one row per (article, layer, variant, label, measure), every quantity
    /// of the catalogue for the layers the gold covers. `article` is `ALL` for the corpus
    /// totals; an accuracy over nothing is an empty value.
    pub fn to_csv(&self) -> String {
        let mut w = csv::Writer::from_writer(Vec::new());
        let _ = w.write_record(["article", "layer", "variant", "label", "measure", "value"]);
        let mut scopes: Vec<(&str, &Counts)> = vec![("ALL", &self.totals.counts)];
        scopes.extend(self.articles.iter().map(|a| (a.id.as_str(), &a.counts)));
        for (article, counts) in scopes {
            for q in catalogue::all().iter().filter(|q| q.layer_covered(counts)) {
                let _ = w.write_record([
                    article,
                    q.csv_layer(),
                    &q.variant,
                    &q.label,
                    &q.measure,
                    &q.format(counts, 6, ""),
                ]);
            }
        }
        String::from_utf8(w.into_inner().unwrap_or_default()).unwrap_or_default()
    }

    /// Every false positive and false negative with its article, span and a line of context.
    /// [`Report::errors`] as a Markdown table (with `--markdown --errors`).
    pub fn errors_markdown(&self) -> String {
        let cell = |s: &str| s.replace('|', "\\|").replace('\n', " ");
        let mut s = String::from(
            "| article:line | outcome | item | gold | predicted | detail |\n|---|---|---|---|---|---|\n",
        );
        let mut any = false;
        for a in &self.articles {
            for item in a.items.iter().filter(|i| i.outcome.is_error()) {
                any = true;
                let place = match item.line {
                    Some(l) => format!("{}:{l}", a.id),
                    None => a.id.clone(),
                };
                let detail: Vec<String> = item
                    .detail
                    .iter()
                    .cloned()
                    .chain(item.placement_note())
                    .collect();
                let detail = detail.join("; ");
                let _ = writeln!(
                    s,
                    "| {} | {} | {} {} | {} | {} | {} |",
                    cell(&place),
                    item.outcome.words(),
                    item_noun(item.layer),
                    cell(&item.label),
                    cell(item.gold.as_deref().unwrap_or("")),
                    cell(item.pred.as_deref().unwrap_or("")),
                    cell(detail.trim()),
                );
            }
        }
        if !any {
            return "no errors\n".into();
        }
        s
    }

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
    let layer = item_noun(item.layer);
    let outcome = item.outcome.as_str();
    let mut s = article.to_string();
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
    if let Some(note) = item.placement_note() {
        let _ = write!(s, "\t{note}");
    }
    if let Some(c) = &item.context {
        let _ = write!(s, "\t{c}");
    }
    s
}

/// The formatted cells of a table (3 decimals; "-" where there is no value, "" where the
/// catalogue has no quantity).
fn cells(table: &catalogue::Table, c: &Counts) -> Vec<Vec<String>> {
    (0..table.rows.len())
        .map(|r| {
            (0..table.columns.len())
                .map(|k| {
                    table
                        .cell(r, k)
                        .map(|q| q.format(c, 3, "-"))
                        .unwrap_or_default()
                })
                .collect()
        })
        .collect()
}

fn pad_left(s: &str, width: usize) -> String {
    format!("{}{s}", " ".repeat(width.saturating_sub(s.chars().count())))
}

fn pad_right(s: &str, width: usize) -> String {
    format!("{s}{}", " ".repeat(width.saturating_sub(s.chars().count())))
}
