//! The HTML error-analysis report (`--html FILE` on `eval`, `score` and `compare`): one
//! self-contained file that opens from disk with no network.
//!
//! The tables (metrics, confusion matrices, taxonomy, deltas, gates) are static HTML written
//! here, every string escaped. The articles are data: one JSON block
//! (`<script type="application/json">`, with `<`, `>` and `&` escaped so that no article text can
//! close it) that `page.js` renders into the DOM with `textContent` only, one article at a time
//! when its `<details>` opens, so a corpus of a thousand articles stays light. A
//! Content-Security-Policy allows only the page's own scripts (by hash) and no network, so even
//! an escaping bug could not run injected code or load anything.
//!
//! Offsets: items carry `char` spans; the page works in JavaScript strings (UTF-16), so every
//! span is converted here, once, with the article's text at hand.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use serde::Serialize;
use sha2::{Digest, Sha256};

use crate::annotation::{Article, Layer, Span};
use crate::compare::{Comparison, Direction};
use crate::confusion::{
    mention_category, quote_category, Analysis, Confusion, MentionCategory, QuoteCategory, MISSED,
    SPURIOUS,
};
use crate::corpus::Corpus;
use crate::evaluate::{ArticleScore, Item, Outcome, Side};
use crate::report::Report;
use crate::score::catalogue;

mod compare;
pub use compare::*;

const CSS: &str = include_str!("page.css");
const JS: &str = include_str!("page.js");
/// Runs first: records every error, failed load and `console.error` on the page, so that a
/// reader sees them and the browser test can read them from the DOM.
const RECORDER: &str = include_str!("recorder.js");

#[derive(Debug, thiserror::Error)]
pub enum HtmlError {
    #[error("reading the articles for the HTML report from {dir}: {message}")]
    Corpus { dir: PathBuf, message: String },
    #[error("the articles in {dir} are not the ones the report scored (corpus fingerprint {found}, the report's {expected}); pass the corpus the report was made from with --gold DIR")]
    Mismatch {
        dir: PathBuf,
        expected: String,
        found: String,
    },
}

/// The texts of a report's articles, read from `dir` (default: the corpus directory the report
/// names) and checked against the report's corpus fingerprint, so that every span lands on the
/// text it was scored on.
pub fn load_texts(
    report: &Report,
    dir: Option<&Path>,
) -> Result<BTreeMap<String, Arc<Article>>, HtmlError> {
    load_texts_near(report, dir, None)
}

/// [`load_texts`] for a report read from `report_file`: a relative corpus path that does not
/// resolve from the current directory is looked for beside the report too (a report moved with
/// its corpus, or read from another directory).
pub fn load_texts_near(
    report: &Report,
    dir: Option<&Path>,
    report_file: Option<&Path>,
) -> Result<BTreeMap<String, Arc<Article>>, HtmlError> {
    let named = PathBuf::from(&report.run.corpus.path);
    let dir = match dir {
        Some(d) => d.to_path_buf(),
        None if named.is_dir() || named.is_absolute() => named,
        None => report_file
            .and_then(Path::parent)
            .map(|p| p.join(&named))
            .filter(|p| p.is_dir())
            .unwrap_or(named),
    };
    let corpus = Corpus::load(&dir).map_err(|e| HtmlError::Corpus {
        dir: dir.clone(),
        message: format!("{e}; pass the corpus the report was made from with --gold DIR"),
    })?;
    let wanted: std::collections::BTreeSet<&str> = report
        .run
        .corpus
        .articles
        .iter()
        .map(String::as_str)
        .collect();
    // A report of one annotation file scored one article of a directory that may hold more.
    let scored = Corpus {
        dir: corpus.dir.clone(),
        articles: corpus
            .articles
            .iter()
            .filter(|a| wanted.contains(a.id.as_str()))
            .cloned()
            .collect(),
    };
    let found = scored.fingerprint();
    if found != report.run.corpus.fingerprint {
        return Err(HtmlError::Mismatch {
            dir,
            expected: report.run.corpus.fingerprint.clone(),
            found,
        });
    }
    Ok(scored
        .articles
        .into_iter()
        .map(|a| (a.id.clone(), a))
        .collect())
}

// ---------------------------------------------------------------------------------------------
// The data the page renders
// ---------------------------------------------------------------------------------------------

/// A span in UTF-16 code units, as JavaScript indexes strings.
type U16Span = [usize; 2];

struct Utf16 {
    /// UTF-16 offset of every char index, plus the end.
    at: Vec<usize>,
}

impl Utf16 {
    fn of(text: &str) -> Utf16 {
        let mut at = Vec::with_capacity(text.len() + 1);
        let mut n = 0;
        for c in text.chars() {
            at.push(n);
            n += c.len_utf16();
        }
        at.push(n);
        Utf16 { at }
    }

    /// Clamped: a span past the text (a report edited by hand) still renders, shortened.
    fn span(&self, s: Span) -> U16Span {
        let last = self.at.len() - 1;
        let start = self.at[s.start.min(last)];
        let end = self.at[s.end.min(last)];
        [start, end.max(start)]
    }
}

#[derive(Serialize)]
struct SideView {
    /// Spans (several for a quote in fragments).
    s: Vec<U16Span>,
    /// Label: entity type or quote kind.
    t: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    sp: Option<String>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    ss: Vec<U16Span>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    cu: Vec<U16Span>,
}

impl SideView {
    fn of(side: &Side, u: &Utf16) -> SideView {
        SideView {
            s: side.spans.iter().map(|&s| u.span(s)).collect(),
            t: side.label.clone(),
            sp: side.speaker.clone(),
            ss: side.speaker_spans.iter().map(|&s| u.span(s)).collect(),
            cu: side.cue.iter().map(|&s| u.span(s)).collect(),
        }
    }
}

#[derive(Serialize)]
struct ItemView {
    /// Layer: mentions, quotes, speakers, places.
    l: &'static str,
    /// Display class (colour): correct, type, boundary, speaker, missed, spurious.
    c: &'static str,
    /// The category in words.
    k: &'static str,
    lb: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    g: Option<SideView>,
    #[serde(skip_serializing_if = "Option::is_none")]
    p: Option<SideView>,
    #[serde(skip_serializing_if = "Option::is_none")]
    gt: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pt: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    d: Option<String>,
    /// 1: the predicted side is the gold side.
    #[serde(skip_serializing_if = "Option::is_none")]
    sm: Option<u8>,
}

fn layer_name(l: Layer) -> &'static str {
    match l {
        Layer::Mentions => "mentions",
        Layer::Quotes => "quotes",
        Layer::Speakers => "speakers",
        Layer::Places => "places",
    }
}

/// The display class and the category in words of an item.
pub fn class_of(item: &Item) -> (&'static str, &'static str) {
    match item.layer {
        Layer::Mentions => match mention_category(item) {
            MentionCategory::Correct => ("correct", "correct"),
            MentionCategory::WrongType => ("type", "wrong type"),
            MentionCategory::WrongBoundary => ("boundary", "wrong boundary"),
            MentionCategory::WrongBoundaryAndType => ("boundary", "wrong boundary and type"),
            MentionCategory::Missed => ("missed", "missed"),
            MentionCategory::Spurious => ("spurious", "spurious"),
            MentionCategory::NotInArticle => ("spurious", "not in the article"),
        },
        Layer::Quotes => match quote_category(item) {
            QuoteCategory::Correct => ("correct", "correct"),
            QuoteCategory::Boundary => ("boundary", "found, wrong boundary"),
            QuoteCategory::Speaker => ("speaker", "wrong speaker"),
            QuoteCategory::BoundaryAndSpeaker => ("speaker", "wrong boundary and speaker"),
            QuoteCategory::Missed => ("missed", "missed"),
            QuoteCategory::Spurious => ("spurious", "spurious"),
            QuoteCategory::NotInArticle => ("spurious", "not in the article"),
        },
        Layer::Speakers | Layer::Places => match item.outcome {
            Outcome::Correct => ("correct", "correct"),
            Outcome::Missed => ("missed", "missed"),
            Outcome::Spurious => ("spurious", "spurious"),
            _ => ("type", "wrong"),
        },
    }
}

fn item_view(item: &Item, u: &Utf16) -> ItemView {
    let (c, k) = class_of(item);
    let mut g = item.gold_side.as_ref().map(|s| SideView::of(s, u));
    let mut p = item.pred_side.as_ref().map(|s| SideView::of(s, u));
    // A report written before items carried their sides: mark the one span it has.
    if g.is_none() && p.is_none() {
        if let Some(span) = item.span {
            let side = SideView {
                s: vec![u.span(span)],
                t: item.label.clone(),
                sp: None,
                ss: Vec::new(),
                cu: Vec::new(),
            };
            if item.outcome == Outcome::Spurious {
                p = Some(side);
            } else {
                g = Some(side);
            }
        }
    }
    // Size matters for a thousand articles: a predicted side equal to the gold one is sent once
    // (`sm`), texts the page can slice from the article are left out, and so is the detail of a
    // correct item.
    let same = g.is_some() && item.gold_side.is_some() && item.gold_side == item.pred_side;
    if same {
        p = None;
    }
    ItemView {
        l: layer_name(item.layer),
        c,
        k,
        lb: item.label.clone(),
        gt: item.gold.clone().filter(|_| g.is_none()),
        pt: item.pred.clone().filter(|_| p.is_none() && !same),
        g,
        p,
        sm: same.then_some(1),
        d: {
            let notes: Vec<String> = item
                .detail
                .clone()
                .filter(|_| c != "correct")
                .into_iter()
                .chain(item.placement_note())
                .collect();
            (!notes.is_empty()).then(|| notes.join("; "))
        },
    }
}

#[derive(Serialize)]
struct ChangeView {
    #[serde(skip_serializing_if = "Option::is_none")]
    s: Option<U16Span>,
    /// improved, regressed, changed.
    dir: &'static str,
    what: String,
    l: &'static str,
    lb: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    gt: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    bp: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    cp: Option<String>,
}

fn direction_name(d: Direction) -> &'static str {
    match d {
        Direction::Improved => "improved",
        Direction::Regressed => "regressed",
        Direction::Changed => "changed",
    }
}

#[derive(Serialize)]
struct ArticleView {
    id: String,
    /// The element id, for links (`#a-…`).
    anchor: String,
    text: String,
    /// What the article lost: its error items (report), or its regressions and changes
    /// (compare); articles are listed worst first.
    lost: usize,
    /// Items per display class.
    classes: BTreeMap<&'static str, usize>,
    items: Vec<ItemView>,
    #[serde(skip_serializing_if = "Option::is_none")]
    base_items: Option<Vec<ItemView>>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    changes: Vec<ChangeView>,
    #[serde(skip_serializing_if = "Option::is_none")]
    improved: Option<usize>,
    #[serde(skip_serializing_if = "Option::is_none")]
    regressed: Option<usize>,
}

#[derive(Serialize)]
struct Payload {
    /// "report" or "compare".
    kind: &'static str,
    articles: Vec<ArticleView>,
}

/// An id usable in a URL fragment whatever the article id holds.
fn anchor_of(id: &str) -> String {
    let mut s = String::from("a-");
    for c in id.chars() {
        if c.is_ascii_alphanumeric() || c == '-' || c == '_' {
            s.push(c);
        } else {
            let _ = write!(s, ".{:x}", c as u32);
        }
    }
    s
}

fn text_of<'a>(
    texts: &'a BTreeMap<String, Arc<Article>>,
    id: &str,
) -> (&'a str, Utf16, Option<&'a Article>) {
    match texts.get(id) {
        Some(a) => (a.text(), Utf16::of(a.text()), Some(a)),
        None => ("", Utf16::of(""), None),
    }
}

fn classes_of(items: &[Item]) -> BTreeMap<&'static str, usize> {
    let mut m = BTreeMap::new();
    for i in items {
        *m.entry(class_of(i).0).or_default() += 1;
    }
    m
}

fn report_articles(
    articles: &[ArticleScore],
    texts: &BTreeMap<String, Arc<Article>>,
) -> Vec<ArticleView> {
    let mut out: Vec<ArticleView> = articles
        .iter()
        .map(|a| {
            let (text, u, _) = text_of(texts, &a.id);
            ArticleView {
                id: a.id.clone(),
                anchor: anchor_of(&a.id),
                text: text.to_string(),
                lost: a.items.iter().filter(|i| i.outcome.is_error()).count(),
                classes: classes_of(&a.items),
                items: a.items.iter().map(|i| item_view(i, &u)).collect(),
                base_items: None,
                changes: Vec::new(),
                improved: None,
                regressed: None,
            }
        })
        .collect();
    out.sort_by(|a, b| b.lost.cmp(&a.lost).then_with(|| a.id.cmp(&b.id)));
    out
}

// ---------------------------------------------------------------------------------------------
// Escaping and the page frame
// ---------------------------------------------------------------------------------------------

/// Escapes text for HTML element content and quoted attribute values.
pub fn esc(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

/// JSON that can sit inside `<script type="application/json">`: `<`, `>` and `&` occur in JSON
/// only inside strings, where `\u003c` means the same, so no text can end the block.
fn script_json<T: Serialize>(value: &T) -> String {
    let json = serde_json::to_string(value).unwrap_or_else(|_| "null".into());
    let mut out = String::with_capacity(json.len() + json.len() / 16);
    for c in json.chars() {
        match c {
            '<' => out.push_str("\\u003c"),
            '>' => out.push_str("\\u003e"),
            '&' => out.push_str("\\u0026"),
            '\u{2028}' => out.push_str("\\u2028"),
            '\u{2029}' => out.push_str("\\u2029"),
            c => out.push(c),
        }
    }
    out
}

fn base64(bytes: &[u8]) -> String {
    const ABC: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = String::with_capacity(bytes.len().div_ceil(3) * 4);
    for chunk in bytes.chunks(3) {
        let b = [
            chunk[0],
            chunk.get(1).copied().unwrap_or(0),
            chunk.get(2).copied().unwrap_or(0),
        ];
        let n = (b[0] as u32) << 16 | (b[1] as u32) << 8 | b[2] as u32;
        for i in 0..4 {
            if i <= chunk.len() {
                out.push(ABC[(n >> (18 - 6 * i) & 63) as usize] as char);
            } else {
                out.push('=');
            }
        }
    }
    out
}

fn csp_hash(script: &str) -> String {
    format!("'sha256-{}'", base64(&Sha256::digest(script.as_bytes())))
}

fn page(title: &str, body: &str, payload: &Payload) -> String {
    let csp = format!(
        "default-src 'none'; style-src 'unsafe-inline'; img-src data:; script-src {} {}",
        csp_hash(RECORDER),
        csp_hash(JS)
    );
    let mut s = String::new();
    let _ = write!(
        s,
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n\
         <meta http-equiv=\"Content-Security-Policy\" content=\"{csp}\">\n\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n\
         <title>{}</title>\n<script>{RECORDER}</script>\n<style>{CSS}</style>\n</head>\n<body>\n\
         <pre id=\"page-errors\" hidden></pre>\n{body}\n\
         <script type=\"application/json\" id=\"quoteval-data\">{}</script>\n\
         <script>{JS}</script>\n</body>\n</html>\n",
        esc(title),
        script_json(payload)
    );
    s
}

// ---------------------------------------------------------------------------------------------
// Static sections
// ---------------------------------------------------------------------------------------------

const LEGEND: [(&str, &str, &str); 6] = [
    (
        "correct",
        "correct",
        "found with the right span and type (quotes: and speaker)",
    ),
    ("type", "wrong type", "same span, other entity type"),
    (
        "boundary",
        "wrong boundary",
        "overlapping span (mentions: type right or wrong; quotes: found at overlap ≥ 0.3)",
    ),
    (
        "speaker",
        "wrong speaker",
        "quote found, speaker wrong or missing",
    ),
    ("missed", "missed", "a gold item nothing matched"),
    (
        "spurious",
        "spurious",
        "a prediction that matched no gold item",
    ),
];

fn legend() -> String {
    let mut s = String::from("<section id=\"legend\"><h2>Legend</h2><ul class=\"legend\">");
    for (class, name, what) in LEGEND {
        let _ = write!(
            s,
            "<li><span class=\"sw m-{class}\">{}</span> {}</li>",
            esc(name),
            esc(what)
        );
    }
    s.push_str(
        "</ul><ul class=\"legend keys\">\
         <li><span class=\"mk mg m-correct\">gold span</span> solid underline; \
         <span class=\"mk mp m-correct\">predicted span</span> dashed overline</li>\
         <li><span class=\"seg qg qg-correct\">gold quote</span> thick underline; \
         <span class=\"seg qp qp-correct\">predicted quote</span> thick overline, \
         each in its item's colour</li>\
         <li><span class=\"cue\">cue</span> italic bold; <span class=\"spk\">speaker mention</span> \
         double underline; <sup class=\"tag t-type\">ORG→PLACE</sup> gold→predicted type</li>\
         <li>Hover or click any mark: the panel beside the text shows the gold and the predicted item.</li>\
         </ul></section>",
    );
    s
}

fn confusion_table(c: &Confusion, caption: &str) -> String {
    // The largest off-diagonal cell among gold×predicted types: the confusion worth a look.
    let mut worst: Option<(&str, &str, u64)> = None;
    for r in &c.labels {
        for col in &c.labels {
            let v = c.get(r, col);
            if r != col && v > 0 && worst.map_or(true, |w| v > w.2) {
                worst = Some((r, col, v));
            }
        }
    }
    let mut s = format!(
        "<div class=\"cell\"><table class=\"confusion\"><caption>{}</caption><thead><tr><th>gold \\ predicted</th>",
        esc(caption)
    );
    for col in c.columns() {
        let _ = write!(s, "<th>{}</th>", esc(col));
    }
    s.push_str("<th>gold total</th></tr></thead><tbody>");
    for row in c.rows() {
        let _ = write!(s, "<tr><th>{}</th>", esc(row));
        let mut total = 0;
        for col in c.columns() {
            if row == SPURIOUS && col == MISSED {
                s.push_str("<td class=\"na\">–</td>");
                continue;
            }
            let v = c.get(row, col);
            total += v;
            let class = if row == col {
                "diag"
            } else if worst.is_some_and(|w| w.0 == row && w.1 == col) {
                "off worst"
            } else if col == MISSED {
                "off missed"
            } else if row == SPURIOUS {
                "off spurious"
            } else {
                "off"
            };
            let zero = if v == 0 { " zero" } else { "" };
            let _ = write!(
                s,
                "<td class=\"{class}{zero}\" data-gold=\"{}\" data-pred=\"{}\">{v}</td>",
                esc(row),
                esc(col)
            );
        }
        if row == SPURIOUS {
            s.push_str("<td class=\"na\">–</td>");
        } else {
            let _ = write!(s, "<td>{total}</td>");
        }
        s.push_str("</tr>");
    }
    s.push_str("</tbody></table>");
    if let Some((g, p, v)) = worst {
        let of: u64 = c.columns().iter().map(|col| c.get(g, col)).sum();
        let _ = write!(
            s,
            "<p class=\"worst-note\">Largest confusion: <b>{v}</b> of {of} gold <b>{}</b> predicted <b>{}</b>.</p>",
            esc(g),
            esc(p)
        );
    }
    s.push_str("</div>");
    s
}

fn taxonomy_table(rows: &[(&str, &str, u64)], caption: &str) -> String {
    let total: u64 = rows.iter().map(|r| r.2).sum();
    let mut s = format!(
        "<table class=\"taxonomy\"><caption>{}</caption><tbody>",
        esc(caption)
    );
    for (class, name, v) in rows {
        let share = if total > 0 {
            100.0 * *v as f64 / total as f64
        } else {
            0.0
        };
        let _ = write!(
            s,
            "<tr><th><span class=\"sw m-{class}\">{}</span></th><td>{v}</td><td class=\"share\">{share:.1}%</td></tr>",
            esc(name)
        );
    }
    let _ = write!(s, "</tbody></table>");
    s
}

fn analysis_section(a: &Analysis, heading: &str) -> String {
    let mut s = format!("<div class=\"analysis\"><h3>{}</h3>", esc(heading));
    if let Some(m) = &a.mentions {
        s.push_str("<div class=\"pair\">");
        s.push_str(&confusion_table(
            &m.confusion,
            "Entity types: gold × predicted (pairs at any overlap)",
        ));
        let t = &m.taxonomy;
        s.push_str(&taxonomy_table(
            &[
                ("correct", "correct", t.correct),
                ("type", "wrong type", t.wrong_type),
                ("boundary", "wrong boundary", t.wrong_boundary),
                (
                    "boundary",
                    "wrong boundary and type",
                    t.wrong_boundary_and_type,
                ),
                ("missed", "missed", t.missed),
                ("spurious", "spurious", t.spurious),
                ("spurious", "not in the article", t.not_in_article),
            ],
            "Mention errors (SemEval 2013 / nervaluate categories)",
        ));
        s.push_str("</div>");
    }
    if let Some(q) = &a.quotes {
        s.push_str("<div class=\"pair\">");
        s.push_str(&confusion_table(
            &q.confusion,
            "Quote kinds: gold × predicted (matched at overlap ≥ 0.3)",
        ));
        let t = &q.taxonomy;
        s.push_str(&taxonomy_table(
            &[
                ("correct", "correct", t.correct),
                ("boundary", "boundary", t.boundary),
                ("speaker", "speaker", t.speaker),
                ("speaker", "boundary and speaker", t.boundary_and_speaker),
                ("missed", "missed", t.missed),
                ("spurious", "spurious", t.spurious),
                ("spurious", "not in the article", t.not_in_article),
                ("type", "of the found: wrong kind", t.wrong_kind),
            ],
            "Quote errors at overlap ≥ 0.3",
        ));
        s.push_str("</div>");
    }
    if a.mentions.is_none() && a.quotes.is_none() {
        s.push_str("<p>Neither mentions nor quotes are annotated in the gold.</p>");
    }
    s.push_str("</div>");
    s
}

fn run_line(report: &Report) -> String {
    let r = &report.run;
    let what = match &r.model {
        Some(m) => format!("model {m}"),
        None => r.backend.clone(),
    };
    format!(
        "quoteval {} — {} on {} ({} articles), {:.2} s",
        r.command,
        what,
        r.corpus.path,
        r.corpus.articles.len(),
        r.timing.wall_seconds
    )
}

fn metrics_section(report: &Report) -> String {
    let counts = &report.totals.counts;
    let mut s = String::from(
        "<section id=\"metrics\"><h2>Metrics</h2><p class=\"hint\">From the metric catalogue \
         (<code>quoteval compare --list-metrics</code>); hover a value for its name and definition.</p>",
    );
    for table in catalogue::tables() {
        let any = (0..table.rows.len())
            .flat_map(|r| (0..table.columns.len()).map(move |c| (r, c)))
            .find_map(|(r, c)| table.cell(r, c));
        if !any.is_some_and(|q| q.layer_covered(counts)) {
            let _ = write!(
                s,
                "<p><b>{}</b>: {}.</p>",
                esc(table.title),
                counts.unscored_reason(table.layer)
            );
            continue;
        }
        let _ = write!(
            s,
            "<table class=\"metrics\"><caption>{}</caption><thead><tr><th></th>",
            esc(table.title)
        );
        for (header, _) in &table.columns {
            let _ = write!(s, "<th>{}</th>", esc(header));
        }
        s.push_str("</tr></thead><tbody>");
        for (r, (label, _)) in table.rows.iter().enumerate() {
            let _ = write!(s, "<tr><th>{}</th>", esc(label));
            for c in 0..table.columns.len() {
                match table.cell(r, c) {
                    Some(q) => {
                        let _ = write!(
                            s,
                            "<td title=\"{}: {}\">{}</td>",
                            esc(&q.name),
                            esc(&q.about),
                            esc(&q.format(counts, 3, "–"))
                        );
                    }
                    None => s.push_str("<td></td>"),
                }
            }
            s.push_str("</tr>");
        }
        s.push_str("</tbody></table>");
    }
    let intervals = report.metrics_with_intervals();
    if !intervals.is_empty() {
        let _ = write!(
            s,
            "<table class=\"metrics intervals\"><caption>{}</caption><thead><tr><th>metric</th>\
             <th>value</th><th>95% interval</th></tr></thead><tbody>",
            esc(&report.interval_caption())
        );
        for (name, value, i) in intervals {
            let _ = write!(
                s,
                "<tr><th><code>{}</code></th><td>{value:.3}</td><td>[{:.3}, {:.3}]</td></tr>",
                esc(name),
                i.low,
                i.high
            );
        }
        s.push_str("</tbody></table>");
    }
    s.push_str("</section>");
    s
}

fn notes(notes: &[String]) -> String {
    if notes.is_empty() {
        return String::new();
    }
    let mut s = String::from("<ul class=\"notes\">");
    for n in notes {
        let _ = write!(s, "<li>{}</li>", esc(n));
    }
    s.push_str("</ul>");
    s
}

fn articles_section(heading: &str, sorted_by: &str) -> String {
    format!(
        "<section id=\"articles\"><h2>{}</h2><p class=\"hint\">{} Click an article to render it; \
         links (<code>#a-ID</code>) open one directly.</p>\
         <div id=\"worst\"></div><div id=\"article-list\"></div></section>",
        esc(heading),
        esc(sorted_by)
    )
}

/// The HTML report of one run. `texts` are the articles (see [`load_texts`]).
pub fn report_html(report: &Report, texts: &BTreeMap<String, Arc<Article>>) -> String {
    let analysis = Analysis::of(&report.totals.counts, &report.articles);
    let title = run_line(report);
    let mut body = format!(
        "<header><h1>quoteval error analysis</h1><p class=\"run\">{}</p>{}</header>",
        esc(&title),
        notes(&report.notes)
    );
    body.push_str(&legend());
    body.push_str(&metrics_section(report));
    let _ = write!(
        body,
        "<section id=\"confusion\"><h2>Confusion and error taxonomy</h2>{}</section>",
        analysis_section(&analysis, "All articles")
    );
    body.push_str(&articles_section(
        "Articles, worst first",
        "Sorted by errors (every item not correct), most first.",
    ));
    let payload = Payload {
        kind: "report",
        articles: report_articles(&report.articles, texts),
    };
    page(&title, &body, &payload)
}

#[cfg(test)]
mod tests;
