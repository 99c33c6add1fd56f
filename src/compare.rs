//! `quoteval compare BASE.json CAND.json`: two reports of the same corpus side by side.
//!
//! - every metric of the two runs with its delta, as a terminal table, Markdown (for a
//!   pull-request comment) or JSON (schema `quoteval-compare/1`);
//! - the items whose outcome changed between the runs, per article, with line and context;
//! - a paired bootstrap over articles for every metric: the article indices are resampled with
//!   replacement, the per-article counts of both runs are summed for each resample (counts are
//!   additive), the metrics are recomputed, and the 2.5 and 97.5 percentiles of the deltas give
//!   a 95 % interval; a delta whose interval excludes 0 is marked significant;
//! - gates (`--fail-below METRIC=DROP`) that fail when a metric drops by more than allowed.
//!
//! Reports of different schema versions or of different corpora (`run.corpus.fingerprint`) are
//! refused: their numbers are not comparable.
//!
//! The random numbers come from SplitMix64 ([`SplitMix64`]), written here, so the same seed gives
//! the same intervals on every machine and with every version of every dependency.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write as _;
use std::path::Path;

use serde::{Deserialize, Serialize};

use crate::annotation::{Layer, Span};
use crate::evaluate::{item_noun, ArticleScore, Item, Outcome};
use crate::report::{Report, Timing, Tool, SCHEMA as REPORT_SCHEMA};
use crate::score::catalogue::{self, Quantity};
use crate::score::Counts;

/// The schema of `quoteval compare --json`.
pub const SCHEMA: &str = "quoteval-compare/1";
pub const DEFAULT_RESAMPLES: usize = 10_000;
pub const DEFAULT_SEED: u64 = 42;
pub use crate::score::bootstrap::{quantile, SplitMix64, CONFIDENCE};
/// How many changed items the table and the Markdown list before they stop (JSON lists all).
pub const DEFAULT_MAX_CHANGES: usize = 100;

/// Why two reports could not be compared, or a gate could not be understood. The CLI exits
/// with 2 for `Refused`, 65 for `Input` and 64 for `Usage` (`exit::Exit::of_chain`); 1 is kept
/// for a failed gate.
#[derive(Debug, thiserror::Error)]
pub enum CompareError {
    /// Reports that must not be compared: other schema versions, other corpora.
    #[error("{0}")]
    Refused(String),
    /// A file that cannot be read or is not a report.
    #[error("{0}")]
    Input(String),
    /// A malformed `--fail-below` or an unknown metric name.
    #[error("{0}")]
    Usage(String),
}

// ---------------------------------------------------------------------------------------------
// Metric names: the catalogue's
// ---------------------------------------------------------------------------------------------

/// The metric names `--fail-below` accepts, in display order ([`catalogue::metrics`]).
pub fn metric_names() -> Vec<String> {
    catalogue::metrics().map(|m| m.name.clone()).collect()
}

/// The canonical name of a metric: case-insensitive, and `entities.micro.…` means `entities.…`.
pub fn resolve_metric(name: &str) -> Option<String> {
    catalogue::resolve_metric(name).map(|m| m.name.clone())
}

/// Every metric with its definition, one per line (`--list-metrics --verbose`).
pub fn metric_list() -> String {
    let width = catalogue::metrics()
        .map(|m| m.name.len())
        .max()
        .unwrap_or(0);
    let mut s = String::new();
    for m in catalogue::metrics() {
        let _ = writeln!(s, "{:<width$}  {}", m.name, m.about);
    }
    s
}

/// The valid names, one line per group, for error messages.
pub fn metric_names_help() -> String {
    let mut groups: Vec<(String, Vec<String>)> = Vec::new();
    for name in metric_names() {
        let parts: Vec<&str> = name.split('.').collect();
        let group = match parts[0] {
            "entities"
                if catalogue::Schema::ALL
                    .iter()
                    .any(|s| s.as_str() == parts[1]) =>
            {
                "entities (micro)".to_string()
            }
            "entities" => format!("entities.{}", parts[1]),
            "quotes" => format!("quotes.{}", parts[1]),
            other => other.to_string(),
        };
        match groups.last_mut() {
            Some((g, names)) if *g == group => names.push(name),
            _ => groups.push((group, vec![name])),
        }
    }
    let mut s = String::new();
    for (_, names) in groups {
        let _ = writeln!(s, "  {}", names.join(", "));
    }
    s
}

// ---------------------------------------------------------------------------------------------
// Gates
// ---------------------------------------------------------------------------------------------

/// `--fail-below METRIC=DROP`: fail when METRIC drops by more than DROP (absolute).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Gate {
    pub metric: String,
    pub max_drop: f64,
}

impl Gate {
    /// Parses `METRIC=DROP`; an unknown metric lists the valid ones.
    pub fn parse(spec: &str) -> Result<Gate, CompareError> {
        let Some((name, drop)) = spec.split_once('=') else {
            return Err(CompareError::Usage(format!(
                "--fail-below expects METRIC=DROP (e.g. quotes.0.3.f1=0.01), got {spec:?}"
            )));
        };
        let max_drop: f64 = drop.trim().parse().ok().filter(|d: &f64| d.is_finite() && *d >= 0.0).ok_or_else(|| {
            CompareError::Usage(format!(
                "--fail-below {spec}: DROP must be a non-negative number, an absolute amount such as 0.01"
            ))
        })?;
        let metric = resolve_metric(name).ok_or_else(|| {
            CompareError::Usage(format!(
                "--fail-below {spec}: unknown metric {:?}; the valid metrics are:\n{}",
                name.trim(),
                metric_names_help().trim_end()
            ))
        })?;
        Ok(Gate { metric, max_drop })
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct GateResult {
    pub metric: String,
    pub max_drop: f64,
    pub base: Option<f64>,
    pub candidate: Option<f64>,
    /// base - candidate (positive: the candidate is worse).
    pub drop: Option<f64>,
    pub passed: bool,
    /// The one-line reason a gate failed.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub reason: Option<String>,
}

/// Decimals that show `v` (at least 3, at most 6).
fn decimals(v: f64) -> usize {
    (3..6)
        .find(|&d| ((v * 10f64.powi(d as i32)).round() - v * 10f64.powi(d as i32)).abs() < 1e-6)
        .unwrap_or(6)
}

fn check_gate(gate: &Gate, base: Option<f64>, candidate: Option<f64>) -> GateResult {
    let d = decimals(gate.max_drop);
    let mut r = GateResult {
        metric: gate.metric.clone(),
        max_drop: gate.max_drop,
        base,
        candidate,
        drop: None,
        passed: true,
        reason: None,
    };
    match (base, candidate) {
        (Some(b), Some(c)) => {
            let drop = b - c;
            r.drop = Some(drop);
            // A tolerance for float noise: 0.9 - 0.89 is a hair above 0.01.
            if drop > gate.max_drop + 1e-9 {
                r.passed = false;
                r.reason = Some(format!(
                    "{} dropped {drop:.d$} ({b:.d$} -> {c:.d$}), more than {:.d$} allowed",
                    gate.metric, gate.max_drop
                ));
            }
        }
        (Some(b), None) => {
            r.passed = false;
            r.reason = Some(format!(
                "{} has no value in the candidate (base {b:.d$}): nothing it could be computed over",
                gate.metric
            ));
        }
        // Nothing to compare against: the base has no value either (or only the candidate has one).
        (None, _) => {}
    }
    r
}

// ---------------------------------------------------------------------------------------------
// Bootstrap
// ---------------------------------------------------------------------------------------------

/// A bootstrap percentile interval of a delta (candidate - base).
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Interval {
    pub low: f64,
    pub high: f64,
    /// The interval excludes 0.
    pub significant: bool,
    /// Resamples in which both runs had a value (all of them unless a layer is covered by only
    /// some articles).
    pub resamples: usize,
}

/// The paired bootstrap: `rows[i]` holds article i's counts in the base run and in the
/// candidate. Resample r draws `n` article indices with `SplitMix64::below(n)`, in order, from
/// one generator seeded with `seed`, sums both runs' counts over them (counts are additive) and
/// recomputes every metric from the catalogue.
fn paired_bootstrap(
    rows: &[(Counts, Counts)],
    metrics: &[&Quantity],
    resamples: usize,
    seed: u64,
) -> Vec<Option<Interval>> {
    crate::score::bootstrap::percentile_intervals(
        rows.len(),
        metrics.len(),
        resamples,
        seed,
        |draws| {
            let (mut base, mut cand) = (Counts::default(), Counts::default());
            for i in draws {
                base += &rows[i].0;
                cand += &rows[i].1;
            }
            metrics
                .iter()
                .map(|m| Some(m.value(&cand)? - m.value(&base)?))
                .collect()
        },
    )
    .into_iter()
    .map(|i| {
        i.map(|(low, high, resamples)| Interval {
            low,
            high,
            significant: low > 0.0 || high < 0.0,
            resamples,
        })
    })
    .collect()
}

// ---------------------------------------------------------------------------------------------
// Changed items
// ---------------------------------------------------------------------------------------------

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Direction {
    Improved,
    Regressed,
    /// Another outcome of the same worth (a boundary error became a type error), or a gold item
    /// only one report has (the gold changed).
    Changed,
}

/// One item whose outcome differs between the runs. `base` / `candidate` is `None` where that
/// run has no such item (a spurious prediction only the other run made).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Change {
    pub layer: Layer,
    pub label: String,
    pub direction: Direction,
    /// A few words: "found", "lost", "speaker fixed", "new spurious", …
    pub what: String,
    pub base: Option<Outcome>,
    pub candidate: Option<Outcome>,
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub gold: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub base_pred: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub candidate_pred: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub span: Option<Span>,
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub line: Option<usize>,
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub context: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub base_detail: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub candidate_detail: Option<String>,
}

impl Change {
    /// The text a listing shows: the gold item's, else what a run predicted.
    fn shown_text(&self) -> &str {
        self.gold
            .as_deref()
            .or(self.candidate_pred.as_deref())
            .or(self.base_pred.as_deref())
            .unwrap_or("")
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ArticleChanges {
    pub id: String,
    pub changes: Vec<Change>,
}

#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct ChangeSummary {
    pub improved: usize,
    pub regressed: usize,
    pub changed: usize,
    /// Articles with at least one change; the others are left out.
    pub articles: Vec<ArticleChanges>,
}

/// Worth of a gold item's outcome: found right, found with an error, not found.
fn worth(o: Outcome) -> u8 {
    match o {
        Outcome::Correct => 2,
        Outcome::WrongType | Outcome::Boundary | Outcome::WrongSpeaker => 1,
        Outcome::Missed | Outcome::Spurious | Outcome::NotInArticle => 0,
    }
}

/// (layer, label, gold-side?, text, span): gold-side items by their gold text and span,
/// spurious ones by their predicted text and span.
type ItemKey = (Layer, String, bool, String, Option<Span>);

fn item_key(item: &Item) -> ItemKey {
    match &item.gold {
        Some(g) => (item.layer, item.label.clone(), true, g.clone(), item.span),
        None => (
            item.layer,
            item.label.clone(),
            false,
            item.pred.clone().unwrap_or_default(),
            item.span,
        ),
    }
}

fn describe(gold_side: bool, base: Option<Outcome>, cand: Option<Outcome>) -> (Direction, String) {
    match (gold_side, base, cand) {
        (false, None, Some(_)) => (Direction::Regressed, "new spurious".into()),
        (false, Some(_), None) => (Direction::Improved, "spurious removed".into()),
        (true, Some(b), Some(c)) => {
            let what = match (b, c) {
                (Outcome::Missed, Outcome::Correct) => "found".to_string(),
                (Outcome::Correct, Outcome::Missed) => "lost".to_string(),
                (Outcome::WrongSpeaker, Outcome::Correct) => "speaker fixed".to_string(),
                (Outcome::Correct, Outcome::WrongSpeaker) => "wrong speaker introduced".to_string(),
                (Outcome::Missed, Outcome::WrongSpeaker) => "found, wrong speaker".to_string(),
                (Outcome::WrongSpeaker, Outcome::Missed) => "lost (had wrong speaker)".to_string(),
                (b, c) => format!("{} -> {}", b.words(), c.words()),
            };
            let dir = match worth(c).cmp(&worth(b)) {
                std::cmp::Ordering::Greater => Direction::Improved,
                std::cmp::Ordering::Less => Direction::Regressed,
                std::cmp::Ordering::Equal => Direction::Changed,
            };
            (dir, what)
        }
        (true, None, Some(_)) => (
            Direction::Changed,
            "gold item only in the candidate's report".into(),
        ),
        (true, Some(_), None) => (
            Direction::Changed,
            "gold item only in the base's report".into(),
        ),
        // Same outcome in both, or absent from both: not a change (never called so).
        _ => (Direction::Changed, String::new()),
    }
}

/// The items whose outcome differs between two scorings of one article.
pub fn changed_items(base: &ArticleScore, cand: &ArticleScore) -> Vec<Change> {
    let mut by_key: BTreeMap<ItemKey, (Vec<&Item>, Vec<&Item>)> = BTreeMap::new();
    for item in &base.items {
        by_key.entry(item_key(item)).or_default().0.push(item);
    }
    for item in &cand.items {
        by_key.entry(item_key(item)).or_default().1.push(item);
    }
    let mut out = Vec::new();
    for (key, (bs, cs)) in by_key {
        for i in 0..bs.len().max(cs.len()) {
            let (b, c) = (bs.get(i).copied(), cs.get(i).copied());
            let (bo, co) = (b.map(|x| x.outcome), c.map(|x| x.outcome));
            if bo == co {
                continue;
            }
            let (direction, what) = describe(key.2, bo, co);
            let anchor = c.or(b).expect("one side has the item");
            out.push(Change {
                layer: key.0,
                label: key.1.clone(),
                direction,
                what,
                base: bo,
                candidate: co,
                gold: anchor.gold.clone(),
                base_pred: b.and_then(|x| x.pred.clone()),
                candidate_pred: c.and_then(|x| x.pred.clone()),
                span: anchor.span,
                line: anchor.line,
                context: anchor.context.clone(),
                base_detail: b.and_then(|x| x.detail.clone()),
                candidate_detail: c.and_then(|x| x.detail.clone()),
            });
        }
    }
    out.sort_by_key(|c| (c.line.unwrap_or(usize::MAX), c.layer, c.span, c.direction));
    out
}

// ---------------------------------------------------------------------------------------------
// The comparison
// ---------------------------------------------------------------------------------------------

#[derive(Debug, Clone)]
pub struct Options {
    pub resamples: usize,
    pub seed: u64,
    pub gates: Vec<Gate>,
    /// How the two runs are named in the output (their file paths, in the CLI).
    pub base_name: String,
    pub candidate_name: String,
}

impl Default for Options {
    fn default() -> Options {
        Options {
            resamples: DEFAULT_RESAMPLES,
            seed: DEFAULT_SEED,
            gates: Vec::new(),
            base_name: "base".into(),
            candidate_name: "candidate".into(),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RunSummary {
    /// The report file (or the name given in [`Options`]).
    pub name: String,
    pub command: String,
    pub model: Option<String>,
    pub backend: String,
    pub timing: Timing,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CorpusSummary {
    pub path: String,
    pub fingerprint: String,
    pub articles: usize,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct BootstrapInfo {
    /// 0: no bootstrap was run.
    pub resamples: usize,
    pub seed: u64,
    pub confidence: f64,
    pub generator: String,
    pub method: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct MetricDelta {
    pub name: String,
    /// Headline metrics lead the Markdown summary.
    pub headline: bool,
    /// `null`: the layer is not annotated, or an accuracy over nothing.
    pub base: Option<f64>,
    pub candidate: Option<f64>,
    /// candidate - base.
    pub delta: Option<f64>,
    pub interval: Option<Interval>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SettingChange {
    pub key: String,
    pub base: Option<serde_json::Value>,
    pub candidate: Option<serde_json::Value>,
}

/// `quoteval compare`'s result (schema `quoteval-compare/1`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Comparison {
    pub schema: String,
    pub tool: Tool,
    pub base: RunSummary,
    pub candidate: RunSummary,
    pub corpus: CorpusSummary,
    pub settings_changed: Vec<SettingChange>,
    pub bootstrap: BootstrapInfo,
    pub metrics: Vec<MetricDelta>,
    pub changes: ChangeSummary,
    pub gates: Vec<GateResult>,
    /// Every gate passed.
    pub passed: bool,
    pub notes: Vec<String>,
}

fn read_value(path: &Path) -> Result<serde_json::Value, CompareError> {
    let text = std::fs::read_to_string(path)
        .map_err(|e| CompareError::Input(format!("reading {}: {e}", path.display())))?;
    serde_json::from_str(&text)
        .map_err(|e| CompareError::Input(format!("{}: not JSON: {e}", path.display())))
}

/// Reads two reports, refusing reports of different (or unknown) schema versions.
pub fn read_reports(base: &Path, candidate: &Path) -> Result<(Report, Report), CompareError> {
    let values = [read_value(base)?, read_value(candidate)?];
    let paths = [base, candidate];
    let mut schemas = Vec::new();
    for (v, p) in values.iter().zip(paths) {
        match v.get("schema").and_then(|s| s.as_str()) {
            Some(s) => schemas.push(s.to_string()),
            None => {
                return Err(CompareError::Input(format!(
                    "{}: not a quoteval report (no \"schema\")",
                    p.display()
                )))
            }
        }
    }
    if schemas[0] != schemas[1] {
        return Err(CompareError::Refused(format!(
            "cannot compare reports of different schema versions: {} is {:?}, {} is {:?}; re-run both with the same quoteval",
            base.display(),
            schemas[0],
            candidate.display(),
            schemas[1]
        )));
    }
    if schemas[0] != REPORT_SCHEMA {
        return Err(CompareError::Refused(format!(
            "cannot compare: both reports are {:?}, and this quoteval ({}) reads {REPORT_SCHEMA:?}",
            schemas[0],
            env!("CARGO_PKG_VERSION")
        )));
    }
    let [b, c] = values;
    let parse = |v: serde_json::Value, p: &Path| {
        serde_json::from_value::<Report>(v).map_err(|e| {
            CompareError::Input(format!(
                "{}: not a valid {REPORT_SCHEMA} report: {e}",
                p.display()
            ))
        })
    };
    Ok((parse(b, base)?, parse(c, candidate)?))
}

fn short(fingerprint: &str) -> &str {
    fingerprint.get(..12).unwrap_or(fingerprint)
}

fn check_comparable(base: &Report, cand: &Report, o: &Options) -> Result<(), CompareError> {
    if base.schema != cand.schema {
        return Err(CompareError::Refused(format!(
            "cannot compare reports of different schema versions: {} is {:?}, {} is {:?}",
            o.base_name, base.schema, o.candidate_name, cand.schema
        )));
    }
    let (bc, cc) = (&base.run.corpus, &cand.run.corpus);
    if bc.fingerprint != cc.fingerprint {
        let mut s = format!(
            "cannot compare reports on different corpora: {} is on {} ({} articles, fingerprint {}), {} is on {} ({} articles, fingerprint {})",
            o.base_name,
            bc.path,
            bc.articles.len(),
            short(&bc.fingerprint),
            o.candidate_name,
            cc.path,
            cc.articles.len(),
            short(&cc.fingerprint)
        );
        let (bi, ci): (BTreeSet<&String>, BTreeSet<&String>) =
            (bc.articles.iter().collect(), cc.articles.iter().collect());
        let only_b: Vec<&str> = bi.difference(&ci).map(|s| s.as_str()).collect();
        let only_c: Vec<&str> = ci.difference(&bi).map(|s| s.as_str()).collect();
        if !only_b.is_empty() {
            let _ = write!(s, "; only in {}: {}", o.base_name, only_b.join(", "));
        }
        if !only_c.is_empty() {
            let _ = write!(s, "; only in {}: {}", o.candidate_name, only_c.join(", "));
        }
        if only_b.is_empty() && only_c.is_empty() {
            s.push_str("; the article ids are the same, so some article text differs");
        }
        return Err(CompareError::Refused(s));
    }
    let ids = |r: &Report| {
        r.articles
            .iter()
            .map(|a| a.id.clone())
            .collect::<BTreeSet<_>>()
    };
    let (bi, ci) = (ids(base), ids(cand));
    if bi != ci {
        let diff: Vec<String> = bi.symmetric_difference(&ci).cloned().collect();
        return Err(CompareError::Refused(format!(
            "cannot compare: the reports score different articles of the same corpus ({} only in one of them)",
            diff.join(", ")
        )));
    }
    Ok(())
}

/// The catalogue's gold-side counts (articles covered and gold items of each layer): an
/// article whose values differ between the runs had its gold changed.
const GOLD_SIDE: [&str; 8] = [
    "entities.articles",
    "entities.gold",
    "quotes.articles",
    "quotes.0.3.gold",
    "speakers.articles",
    "speakers.gold",
    "places.articles",
    "places.gold",
];

/// The gold-side values of the layers `scored` keeps (a layer one run did not predict has no
/// gold-side counts in that run).
fn gold_side(c: &Counts, scored: &dyn Fn(Layer) -> bool) -> Vec<Option<f64>> {
    GOLD_SIDE
        .iter()
        .filter_map(|name| catalogue::get(name))
        .filter(|q| scored(q.layer))
        .map(|q| q.value(c))
        .collect()
}

/// Compares two reports of the same corpus.
pub fn compare(base: &Report, cand: &Report, o: &Options) -> Result<Comparison, CompareError> {
    check_comparable(base, cand, o)?;
    let defs: Vec<&Quantity> = catalogue::metrics().collect();
    // Gates name metrics; re-resolve in case they were built by hand.
    let mut gates = Vec::new();
    for g in &o.gates {
        let metric = resolve_metric(&g.metric).ok_or_else(|| {
            CompareError::Usage(format!(
                "unknown metric {:?}; the valid metrics are:\n{}",
                g.metric,
                metric_names_help().trim_end()
            ))
        })?;
        gates.push(Gate {
            metric,
            max_drop: g.max_drop,
        });
    }

    let mut notes = Vec::new();
    let cand_by_id: BTreeMap<&str, &ArticleScore> =
        cand.articles.iter().map(|a| (a.id.as_str(), a)).collect();
    let mut rows: Vec<(Counts, Counts)> = Vec::with_capacity(base.articles.len());
    let mut sums = [Counts::default(), Counts::default()];
    let mut gold_changed = Vec::new();
    let mut articles = Vec::new();
    for ba in &base.articles {
        let ca = cand_by_id[ba.id.as_str()];
        // A layer one run did not predict is compared on neither items nor gold.
        let both = |l: Layer| ba.counts.articles(l) > 0 && ca.counts.articles(l) > 0;
        if gold_side(&ba.counts, &both) != gold_side(&ca.counts, &both) {
            gold_changed.push(ba.id.clone());
        }
        sums[0] += &ba.counts;
        sums[1] += &ca.counts;
        rows.push((ba.counts.clone(), ca.counts.clone()));
        let mut changes = changed_items(ba, ca);
        changes.retain(|c| both(c.layer));
        if !changes.is_empty() {
            articles.push(ArticleChanges {
                id: ba.id.clone(),
                changes,
            });
        }
    }
    if !gold_changed.is_empty() {
        notes.push(format!(
            "the gold differs between the two runs in {} article(s) ({}): the deltas mix gold edits with model changes",
            gold_changed.len(),
            gold_changed.join(", ")
        ));
    }
    for (r, s, name) in [
        (base, &sums[0], &o.base_name),
        (cand, &sums[1], &o.candidate_name),
    ] {
        let differs = catalogue::all()
            .iter()
            .any(|q| q.value(s) != q.value(&r.totals.counts));
        if differs {
            notes.push(format!("{name}: the articles' counts do not add up to the report's totals; the article sums are used"));
        }
    }
    let n = rows.len();
    if o.resamples > 0 && n < 10 {
        notes.push(format!(
            "only {n} article(s): the bootstrap intervals are rough"
        ));
    }

    let intervals = paired_bootstrap(&rows, &defs, o.resamples, o.seed);
    let metrics: Vec<MetricDelta> = defs
        .iter()
        .zip(intervals)
        .map(|(d, interval)| {
            let (b, c) = (d.value(&sums[0]), d.value(&sums[1]));
            let delta = match (b, c) {
                (Some(b), Some(c)) => Some(c - b),
                _ => None,
            };
            MetricDelta {
                name: d.name.clone(),
                headline: d.headline,
                base: b,
                candidate: c,
                delta,
                interval: if delta.is_some() { interval } else { None },
            }
        })
        .collect();

    let gate_results: Vec<GateResult> = gates
        .iter()
        .map(|g| {
            let m = metrics
                .iter()
                .find(|m| m.name == g.metric)
                .expect("resolved metric");
            check_gate(g, m.base, m.candidate)
        })
        .collect();

    let mut settings_changed = Vec::new();
    let keys: BTreeSet<&String> = base
        .run
        .settings
        .keys()
        .chain(cand.run.settings.keys())
        .collect();
    for k in keys {
        let (b, c) = (base.run.settings.get(k), cand.run.settings.get(k));
        if b != c {
            settings_changed.push(SettingChange {
                key: k.clone(),
                base: b.cloned(),
                candidate: c.cloned(),
            });
        }
    }

    let mut changes = ChangeSummary {
        articles,
        ..ChangeSummary::default()
    };
    for c in changes.articles.iter().flat_map(|a| &a.changes) {
        match c.direction {
            Direction::Improved => changes.improved += 1,
            Direction::Regressed => changes.regressed += 1,
            Direction::Changed => changes.changed += 1,
        }
    }
    let summary = |r: &Report, name: &str| RunSummary {
        name: name.to_string(),
        command: r.run.command.clone(),
        model: r.run.model.clone(),
        backend: r.run.backend.clone(),
        timing: r.run.timing.clone(),
    };
    let passed = gate_results.iter().all(|g| g.passed);
    Ok(Comparison {
        schema: SCHEMA.into(),
        tool: Tool { name: "quoteval".into(), version: env!("CARGO_PKG_VERSION").into() },
        base: summary(base, &o.base_name),
        candidate: summary(cand, &o.candidate_name),
        corpus: CorpusSummary { path: base.run.corpus.path.clone(), fingerprint: base.run.corpus.fingerprint.clone(), articles: n },
        settings_changed,
        bootstrap: BootstrapInfo {
            resamples: o.resamples,
            seed: o.seed,
            confidence: CONFIDENCE,
            generator: "splitmix64".into(),
            method: "paired percentile bootstrap over articles: resample article indices with replacement, sum both runs' counts, recompute, take the 2.5 and 97.5 percentiles (linear interpolation) of the deltas".into(),
        },
        metrics,
        changes,
        gates: gate_results,
        passed,
        notes,
    })
}

// ---------------------------------------------------------------------------------------------
// Rendering
// ---------------------------------------------------------------------------------------------

fn f3(v: Option<f64>) -> String {
    v.map(|v| format!("{v:.3}")).unwrap_or_else(|| "-".into())
}

fn signed(v: Option<f64>) -> String {
    match v {
        // Float noise (1 - 0.9 - 0.1) must not print as "-0.000": an unchanged row reads +0.000.
        Some(v) if v.abs() < 1e-12 => "+0.000".into(),
        Some(v) => format!("{v:+.3}"),
        None => "-".into(),
    }
}

fn interval_str(i: &Option<Interval>) -> String {
    match i {
        Some(i) => format!("[{}, {}]", signed(Some(i.low)), signed(Some(i.high))),
        None => String::new(),
    }
}

/// At most `n` chars of `s` on one line.
fn clip(s: &str, n: usize) -> String {
    let flat = s.replace(['\n', '\r', '\t'], " ");
    if flat.chars().count() <= n {
        flat
    } else {
        format!(
            "{}…",
            flat.chars().take(n.saturating_sub(1)).collect::<String>()
        )
    }
}

/// "quote direct", "mention PERSON", "speaker".
fn item_name(ch: &Change) -> String {
    let word = item_noun(ch.layer);
    if ch.label == word {
        word.to_string()
    } else {
        format!("{word} {}", ch.label)
    }
}

/// What else a reader needs about a change: the speakers of a quote whose speaker changed, or
/// the predicted text on each side when it differs.
fn change_note(ch: &Change) -> Option<String> {
    let speaker_change = [ch.base, ch.candidate].contains(&Some(Outcome::WrongSpeaker));
    if ch.layer == Layer::Quotes && speaker_change {
        // The side with the wrong speaker says which speaker it predicted.
        let wrong = if ch.candidate == Some(Outcome::WrongSpeaker) {
            &ch.candidate_detail
        } else {
            &ch.base_detail
        };
        return wrong.clone();
    }
    if ch.gold.is_some() && ch.base_pred != ch.candidate_pred {
        let p = |p: &Option<String>| {
            p.as_deref()
                .map(|p| format!("{:?}", clip(p, 40)))
                .unwrap_or_else(|| "nothing".into())
        };
        return Some(format!(
            "predicted {} -> {}",
            p(&ch.base_pred),
            p(&ch.candidate_pred)
        ));
    }
    None
}

fn run_line(r: &RunSummary) -> String {
    let what = match &r.model {
        Some(m) => format!("model {m}"),
        None => r.backend.clone(),
    };
    format!("{}: {} ({})", r.name, r.command, what)
}

fn setting(v: &Option<serde_json::Value>) -> String {
    v.as_ref()
        .map(|v| v.to_string())
        .unwrap_or_else(|| "(unset)".into())
}

impl Comparison {
    pub fn to_json(&self) -> String {
        let mut s = serde_json::to_string_pretty(self).unwrap_or_default();
        s.push('\n');
        s
    }

    /// The one-line reasons of the failed gates.
    pub fn failures(&self) -> Vec<String> {
        self.gates.iter().filter_map(|g| g.reason.clone()).collect()
    }

    /// The metrics grouped by the catalogue's sections; a metric the catalogue does not know
    /// (a report from another version) goes last.
    fn sections(&self) -> Vec<(&'static str, Vec<&MetricDelta>)> {
        let mut out: Vec<(&'static str, Vec<&MetricDelta>)> = Vec::new();
        for m in &self.metrics {
            let section = catalogue::get(&m.name)
                .map(|q| q.section.title())
                .unwrap_or("Other");
            match out.last_mut() {
                Some((s, ms)) if *s == section => ms.push(m),
                _ => out.push((section, vec![m])),
            }
        }
        out
    }

    /// The readable terminal table.
    pub fn to_table(&self, max_changes: usize) -> String {
        let mut s = String::from("quoteval compare\n");
        let _ = writeln!(s, "  base       {}", run_line(&self.base));
        let _ = writeln!(s, "  candidate  {}", run_line(&self.candidate));
        let _ = writeln!(
            s,
            "  corpus     {}: {} articles, fingerprint {}",
            self.corpus.path,
            self.corpus.articles,
            short(&self.corpus.fingerprint)
        );
        for c in &self.settings_changed {
            let _ = writeln!(
                s,
                "  setting    {}: {} -> {}",
                c.key,
                setting(&c.base),
                setting(&c.candidate)
            );
        }
        let b = &self.bootstrap;
        let ci_head = if b.resamples > 0 {
            format!("{:.0}% interval", b.confidence * 100.0)
        } else {
            String::new()
        };
        let _ = writeln!(
            s,
            "\n{:<37}{:>7}{:>11}{:>9}   {ci_head}",
            "Metric", "base", "candidate", "delta"
        );
        for (section, metrics) in self.sections() {
            let _ = writeln!(s, "{section}");
            for m in metrics {
                let sig = match &m.interval {
                    Some(i) if i.significant => "  *",
                    _ => "",
                };
                let line = format!(
                    "  {:<35}{:>7}{:>11}{:>9}   {}{sig}",
                    m.name,
                    f3(m.base),
                    f3(m.candidate),
                    signed(m.delta),
                    interval_str(&m.interval)
                );
                let _ = writeln!(s, "{}", line.trim_end());
            }
        }
        if b.resamples > 0 {
            let _ = writeln!(
                s,
                "* the {:.0}% interval of the delta excludes 0 (paired bootstrap over {} articles, {} resamples, seed {})",
                b.confidence * 100.0,
                self.corpus.articles,
                b.resamples,
                b.seed
            );
        }
        let t = |r: &RunSummary| r.timing.clone();
        let (bt, ct) = (t(&self.base), t(&self.candidate));
        if bt.extract_seconds > 0.0 || ct.extract_seconds > 0.0 {
            let _ = writeln!(
                s,
                "\n{:<37}{:>7}{:>11}{:>9}",
                "Timing", "base", "candidate", "ratio"
            );
            let row = |s: &mut String, name: &str, b: Option<f64>, c: Option<f64>| {
                let ratio = match (b, c) {
                    (Some(b), Some(c)) if b > 0.0 => format!("{:.2}", c / b),
                    _ => "-".into(),
                };
                let v = |x: Option<f64>| x.map(|x| format!("{x:.2}")).unwrap_or_else(|| "-".into());
                let _ = writeln!(s, "  {name:<35}{:>7}{:>11}{:>9}", v(b), v(c), ratio);
            };
            row(
                &mut s,
                "extract seconds",
                Some(bt.extract_seconds),
                Some(ct.extract_seconds),
            );
            row(
                &mut s,
                "articles/s",
                bt.articles_per_second,
                ct.articles_per_second,
            );
            row(
                &mut s,
                "word pieces/s",
                bt.word_pieces_per_second,
                ct.word_pieces_per_second,
            );
        }
        let c = &self.changes;
        let _ = writeln!(s, "\nChanged items: {} improved, {} regressed, {} other (+ improved, - regressed, ~ other)", c.improved, c.regressed, c.changed);
        let mut shown = 0;
        let total = c.improved + c.regressed + c.changed;
        'articles: for a in &c.articles {
            let _ = writeln!(s, "{}", a.id);
            for ch in &a.changes {
                if shown >= max_changes {
                    let _ = writeln!(
                        s,
                        "  … {} more (--max-changes, or --json for all)",
                        total - shown
                    );
                    break 'articles;
                }
                shown += 1;
                let mark = match ch.direction {
                    Direction::Improved => '+',
                    Direction::Regressed => '-',
                    Direction::Changed => '~',
                };
                let place = ch.line.map(|l| format!("line {l}")).unwrap_or_default();
                let text = ch.shown_text();
                let item = item_name(ch);
                let mut line = format!(
                    "  {mark} {place:<9} {item:<17} {:<26} {:?}",
                    ch.what,
                    clip(text, 60)
                );
                if let Some(note) = change_note(ch) {
                    let _ = write!(line, "  ({note})");
                }
                let _ = writeln!(s, "{line}");
                if let Some(ctx) = &ch.context {
                    let _ = writeln!(s, "              {ctx}");
                }
            }
        }
        if !self.gates.is_empty() {
            let _ = writeln!(s, "\nGates");
            for g in &self.gates {
                let status = if g.passed { "ok  " } else { "FAIL" };
                let _ = writeln!(
                    s,
                    "  {status} {:<32} {} -> {} (drop {}, allowed {})",
                    g.metric,
                    f3(g.base),
                    f3(g.candidate),
                    f3(g.drop),
                    format_args!("{:.*}", decimals(g.max_drop), g.max_drop)
                );
            }
        }
        for n in &self.notes {
            let _ = writeln!(s, "note: {n}");
        }
        s
    }

    /// Markdown for a pull-request comment: the headline metrics, the gates, then every metric
    /// and the changed items in collapsed sections.
    pub fn to_markdown(&self, max_changes: usize) -> String {
        let mut s = String::new();
        let gate_word = if self.gates.is_empty() {
            String::new()
        } else if self.passed {
            " — gates passed ✅".into()
        } else {
            format!(
                " — {} gate(s) failed ❌",
                self.gates.iter().filter(|g| !g.passed).count()
            )
        };
        let _ = writeln!(s, "### quoteval compare{gate_word}\n");
        let _ = writeln!(
            s,
            "Base **{}** vs candidate **{}** on `{}` ({} articles, corpus `{}`).\n",
            md(&run_line(&self.base)),
            md(&run_line(&self.candidate)),
            md(&self.corpus.path),
            self.corpus.articles,
            short(&self.corpus.fingerprint)
        );
        if !self.settings_changed.is_empty() {
            let list: Vec<String> = self
                .settings_changed
                .iter()
                .map(|c| {
                    format!(
                        "`{}`: {} → {}",
                        c.key,
                        md(&setting(&c.base)),
                        md(&setting(&c.candidate))
                    )
                })
                .collect();
            let _ = writeln!(s, "Settings changed: {}\n", list.join(", "));
        }
        let ci = self.bootstrap.resamples > 0;
        let table = |s: &mut String, metrics: &[&MetricDelta]| {
            if ci {
                s.push_str("| Metric | base | candidate | Δ | 95% interval | |\n|---|---:|---:|---:|---|---|\n");
            } else {
                s.push_str("| Metric | base | candidate | Δ |\n|---|---:|---:|---:|\n");
            }
            for m in metrics {
                let delta = signed(m.delta);
                let (delta, mark) = match &m.interval {
                    Some(i) if i.significant && m.delta.unwrap_or(0.0) > 0.0 => {
                        (format!("**{delta}**"), "▲ significant")
                    }
                    Some(i) if i.significant => (format!("**{delta}**"), "▼ significant"),
                    _ => (delta, ""),
                };
                if ci {
                    let _ = writeln!(
                        s,
                        "| `{}` | {} | {} | {delta} | {} | {mark} |",
                        m.name,
                        f3(m.base),
                        f3(m.candidate),
                        interval_str(&m.interval)
                    );
                } else {
                    let _ = writeln!(
                        s,
                        "| `{}` | {} | {} | {delta} |",
                        m.name,
                        f3(m.base),
                        f3(m.candidate)
                    );
                }
            }
            s.push('\n');
        };
        let headline: Vec<&MetricDelta> = self.metrics.iter().filter(|m| m.headline).collect();
        table(&mut s, &headline);
        if !self.gates.is_empty() {
            s.push_str(
                "| Gate | base | candidate | drop | allowed | |\n|---|---:|---:|---:|---:|---|\n",
            );
            for g in &self.gates {
                let _ = writeln!(
                    s,
                    "| `{}` | {} | {} | {} | {:.*} | {} |",
                    g.metric,
                    f3(g.base),
                    f3(g.candidate),
                    f3(g.drop),
                    decimals(g.max_drop),
                    g.max_drop,
                    if g.passed { "✅" } else { "❌" }
                );
            }
            s.push('\n');
        }
        let _ = writeln!(
            s,
            "<details><summary>All {} metrics</summary>\n",
            self.metrics.len()
        );
        for (section, metrics) in self.sections() {
            let _ = writeln!(s, "**{section}**\n");
            table(&mut s, &metrics);
        }
        if ci {
            let b = &self.bootstrap;
            let _ = writeln!(
                s,
                "Intervals: paired bootstrap over articles, {} resamples, seed {}; **bold** deltas have an interval that excludes 0.\n",
                b.resamples, b.seed
            );
        }
        s.push_str("</details>\n\n");
        let c = &self.changes;
        let _ = writeln!(
            s,
            "<details><summary>Changed items: {} improved, {} regressed, {} other</summary>\n",
            c.improved, c.regressed, c.changed
        );
        let total = c.improved + c.regressed + c.changed;
        if total > 0 {
            s.push_str(
                "| | article:line | item | change | text | detail |\n|---|---|---|---|---|---|\n",
            );
            for (shown, (a, ch)) in c
                .articles
                .iter()
                .flat_map(|a| a.changes.iter().map(move |ch| (a, ch)))
                .enumerate()
            {
                if shown >= max_changes {
                    let _ = writeln!(
                        s,
                        "\n… {} more; `quoteval compare --json` lists all.",
                        total - shown
                    );
                    break;
                }
                let mark = match ch.direction {
                    Direction::Improved => "➕",
                    Direction::Regressed => "➖",
                    Direction::Changed => "〰️",
                };
                let place = match ch.line {
                    Some(l) => format!("{}:{l}", a.id),
                    None => a.id.clone(),
                };
                let text = ch.shown_text();
                let _ = writeln!(
                    s,
                    "| {mark} | {} | {} | {} | {} | {} |",
                    md(&place),
                    md(&item_name(ch)),
                    md(&ch.what),
                    md(&clip(text, 80)),
                    md(&change_note(ch).unwrap_or_default())
                );
            }
        }
        s.push_str("\n</details>\n");
        for n in &self.notes {
            let _ = writeln!(s, "\n> {}", md(n));
        }
        s
    }
}

/// Text safe inside a Markdown table cell.
fn md(s: &str) -> String {
    s.replace('|', "\\|")
        .replace(['\n', '\r'], " ")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
}

#[cfg(test)]
mod tests {
    use super::*;
    #[test]
    fn splitmix64_reference_values() {
        // The first outputs of Vigna's splitmix64.c.
        assert_eq!(SplitMix64::new(0).next_u64(), 0xE220_A839_7B1D_CDAF);
        let mut r = SplitMix64::new(1234567);
        assert_eq!(r.next_u64(), 6457827717110365317);
        assert_eq!(r.next_u64(), 3203168211198807973);
        assert_eq!(r.next_u64(), 9817491932198370423);
    }

    #[test]
    fn quantile_interpolates() {
        let mut v = vec![4.0, 1.0, 3.0, 2.0];
        assert_eq!(quantile(&mut v, 0.0), 1.0);
        assert_eq!(quantile(&mut v, 1.0), 4.0);
        assert!((quantile(&mut v, 0.5) - 2.5).abs() < 1e-12);
        assert!((quantile(&mut v, 0.25) - 1.75).abs() < 1e-12);
    }

    #[test]
    fn names_resolve() {
        assert_eq!(
            resolve_metric("Entities.Micro.Strict.F1").as_deref(),
            Some("entities.strict.f1")
        );
        assert_eq!(
            resolve_metric("entities.PERSON.partial.recall").as_deref(),
            Some("entities.person.partial.recall")
        );
        assert_eq!(
            resolve_metric("quotes.0.3.speaker_by_name").as_deref(),
            Some("quotes.0.3.speaker_by_name")
        );
        assert_eq!(resolve_metric("quotes.0.5.f1"), None);
        let names = metric_names();
        // 60 entity metrics, 129 quote metrics at three levels: P/R/F1 of all, each of the
        // three kinds, quoted speech and end to end (18), speaker accuracy by name and by
        // mention over all, each kind and quoted (10), Pareti-style partial P/R/F1 over all,
        // each kind and quoted (15); 9 for the sets (speakers, named speakers, places).
        assert_eq!(names.len(), 60 + 3 * (18 + 10 + 15) + 9);
        assert_eq!(names.iter().collect::<BTreeSet<_>>().len(), names.len());
    }

    #[test]
    fn gate_messages() {
        let g = Gate::parse("quotes.0.3.f1=0.01").unwrap();
        let r = check_gate(&g, Some(0.912), Some(0.860));
        assert!(!r.passed);
        assert_eq!(
            r.reason.as_deref(),
            Some("quotes.0.3.f1 dropped 0.052 (0.912 -> 0.860), more than 0.010 allowed")
        );
        assert!(
            check_gate(&g, Some(0.9), Some(0.89)).passed,
            "a drop of exactly the allowance passes"
        );
        assert!(check_gate(&g, Some(0.5), Some(0.9)).passed);
        assert!(!check_gate(&g, Some(0.5), None).passed);
        assert!(check_gate(&g, None, None).passed);
        assert!(matches!(
            Gate::parse("quotes.0.3.f1"),
            Err(CompareError::Usage(_))
        ));
        assert!(matches!(
            Gate::parse("quotes.0.3.f1=-1"),
            Err(CompareError::Usage(_))
        ));
        let d = Gate::parse("speakers.f1=0.0025").unwrap();
        assert_eq!(decimals(d.max_drop), 4);
    }
}
