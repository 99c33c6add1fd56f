//! A comparison as a terminal table, Markdown and JSON.

use std::fmt::Write as _;

use super::*;

pub(super) fn f3(v: Option<f64>) -> String {
    v.map(|v| format!("{v:.3}")).unwrap_or_else(|| "-".into())
}

pub(super) fn signed(v: Option<f64>) -> String {
    match v {
        // Float noise (1 - 0.9 - 0.1) must not print as "-0.000": an unchanged row reads +0.000.
        Some(v) if v.abs() < 1e-12 => "+0.000".into(),
        Some(v) => format!("{v:+.3}"),
        None => "-".into(),
    }
}

pub(super) fn interval_str(i: &Option<Interval>) -> String {
    match i {
        Some(i) => format!("[{}, {}]", signed(Some(i.low)), signed(Some(i.high))),
        None => String::new(),
    }
}

/// At most `n` chars of `s` on one line.
pub(super) fn clip(s: &str, n: usize) -> String {
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
pub(super) fn item_name(ch: &Change) -> String {
    let word = item_noun(ch.layer);
    if ch.label == word {
        word.to_string()
    } else {
        format!("{word} {}", ch.label)
    }
}

/// What else a reader needs about a change: the speakers of a quote whose speaker changed, or
/// the predicted text on each side when it differs.
pub(super) fn change_note(ch: &Change) -> Option<String> {
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

pub(super) fn run_line(r: &RunSummary) -> String {
    let what = match &r.model {
        Some(m) => format!("model {m}"),
        None => r.backend.clone(),
    };
    format!("{}: {} ({})", r.name, r.command, what)
}

pub(super) fn setting(v: &Option<serde_json::Value>) -> String {
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
pub(super) fn md(s: &str) -> String {
    s.replace('|', "\\|")
        .replace(['\n', '\r'], " ")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
}
