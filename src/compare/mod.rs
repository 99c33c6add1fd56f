//! `quoteval compare BASE.json CAND.json`: two reports of the same corpus side by side.
//!
//! - every metric of the two runs with its delta, as a terminal table, Markdown (for a
//!   pull-request comment) or JSON (schema `quoteval-compare/1`) (`render`);
//! - the items whose outcome changed between the runs, per article, with line and context
//!   (`changes`);
//! - a paired bootstrap over articles for every metric (`bootstrap`): the article indices are
//!   resampled with replacement, the per-article counts of both runs are summed for each
//!   resample (counts are additive), the metrics are recomputed, and the 2.5 and 97.5
//!   percentiles of the deltas give a 95 % interval; a delta whose interval excludes 0 is marked
//!   significant;
//! - gates (`--fail-below METRIC=DROP`) that fail when a metric drops by more than allowed
//!   (`gates`).
//!
//! Reports are read by [`Report::from_json`], the one reader (a report of the previous schema is
//! upgraded as it is read); reports of an unknown schema or of different corpora
//! (`run.corpus.fingerprint`) are refused: their numbers are not comparable.
//!
//! The random numbers are `score::bootstrap`'s SplitMix64, so the same seed gives the same
//! intervals on every machine and with every version of every dependency.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write as _;
use std::path::Path;

use serde::{Deserialize, Serialize};

use crate::annotation::{Layer, Span};
use crate::evaluate::{item_noun, ArticleScore, Item, Outcome};
use crate::report::{
    ReadError, Report, Timing, Tool, SCHEMA as REPORT_SCHEMA, SCHEMA_V2 as REPORT_SCHEMA_V2,
};
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

mod bootstrap;
mod changes;
mod gates;
mod render;
#[cfg(test)]
mod tests;

pub use bootstrap::*;
pub use changes::*;
pub use gates::*;

// Metric names: the catalogue's
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

/// Reads one report through [`Report::from_json`], the one reader: a report of a schema this
/// version does not read is refused (exit 2), one that is not a report is bad input.
pub(super) fn read_report(path: &Path) -> Result<Report, CompareError> {
    let text = std::fs::read_to_string(path)
        .map_err(|e| CompareError::Input(format!("reading {}: {e}", path.display())))?;
    Report::from_json(&text).map_err(|e| match e {
        ReadError::Schema(schema) => CompareError::Refused(format!(
            "cannot compare {}: it is {schema:?}, and this quoteval ({}) reads {REPORT_SCHEMA:?} and {REPORT_SCHEMA_V2:?}",
            path.display(),
            env!("CARGO_PKG_VERSION")
        )),
        ReadError::NotAReport => CompareError::Input(format!(
            "{}: not a quoteval report (no \"schema\")",
            path.display()
        )),
        ReadError::Json(e) => {
            CompareError::Input(format!("{}: not a valid report: {e}", path.display()))
        }
    })
}

/// Reads two reports. Reports of the previous schema are upgraded as they are read, so a base
/// report written before an upgrade still compares with a new candidate.
pub fn read_reports(base: &Path, candidate: &Path) -> Result<(Report, Report), CompareError> {
    Ok((read_report(base)?, read_report(candidate)?))
}

pub(super) fn short(fingerprint: &str) -> &str {
    fingerprint.get(..12).unwrap_or(fingerprint)
}

pub(super) fn check_comparable(
    base: &Report,
    cand: &Report,
    o: &Options,
) -> Result<(), CompareError> {
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
pub(super) const GOLD_SIDE: [&str; 8] = [
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
pub(super) fn gold_side(c: &Counts, scored: &dyn Fn(Layer) -> bool) -> Vec<Option<f64>> {
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
    // Partial credit is a sum of fractions: added in another order (per article here, over the
    // whole corpus in the report) it may differ in the last bits, which is no mismatch.
    let same = |a: Option<f64>, b: Option<f64>| match (a, b) {
        (Some(a), Some(b)) => (a - b).abs() <= 1e-9 * a.abs().max(b.abs()).max(1.0),
        (a, b) => a.is_none() && b.is_none(),
    };
    for (r, s, name) in [
        (base, &sums[0], &o.base_name),
        (cand, &sums[1], &o.candidate_name),
    ] {
        let differs = catalogue::all()
            .iter()
            .any(|q| !same(q.value(s), q.value(&r.totals.counts)));
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
