//! The HTML page of a comparison: deltas, gates, and the changed items in the texts.

#[allow(unused_imports)]
use super::*;

pub(super) fn num(v: Option<f64>) -> String {
    v.map(|v| format!("{v:.3}")).unwrap_or_else(|| "–".into())
}

pub(super) fn signed(v: Option<f64>) -> String {
    v.map(|v| format!("{v:+.3}")).unwrap_or_else(|| "–".into())
}

pub(super) fn deltas_section(c: &Comparison) -> String {
    let mut s = String::from("<section id=\"deltas\"><h2>Metrics: candidate − base</h2>");
    let _ = write!(
        s,
        "<p class=\"hint\">Intervals: paired bootstrap over articles, {} resamples, seed {}, {:.0}% percentile interval; <b>*</b> the interval excludes 0.</p>",
        c.bootstrap.resamples,
        c.bootstrap.seed,
        c.bootstrap.confidence * 100.0
    );
    let table = |rows: &mut dyn Iterator<Item = &crate::compare::MetricDelta>| {
        let mut t = String::from(
            "<table class=\"deltas\"><thead><tr><th>metric</th><th>base</th><th>candidate</th><th>Δ</th><th>interval</th></tr></thead><tbody>",
        );
        for m in rows {
            let dir = match m.delta {
                Some(d) if d > 0.0 => "up",
                Some(d) if d < 0.0 => "down",
                _ => "flat",
            };
            let interval = match &m.interval {
                Some(i) => format!(
                    "[{:+.3}, {:+.3}]{}",
                    i.low,
                    i.high,
                    if i.significant { " *" } else { "" }
                ),
                None => "–".into(),
            };
            let about = catalogue::get(&m.name)
                .map(|q| q.about.as_str())
                .unwrap_or("");
            let _ = write!(
                t,
                "<tr class=\"{dir}\"><td title=\"{}\">{}</td><td>{}</td><td>{}</td><td class=\"delta\">{}</td><td>{}</td></tr>",
                esc(about),
                esc(&m.name),
                num(m.base),
                num(m.candidate),
                signed(m.delta),
                esc(&interval)
            );
        }
        t.push_str("</tbody></table>");
        t
    };
    s.push_str(&table(&mut c.metrics.iter().filter(|m| m.headline)));
    let _ = write!(
        s,
        "<details><summary>All {} metrics</summary>{}</details>",
        c.metrics.len(),
        table(&mut c.metrics.iter())
    );
    s.push_str("</section>");
    s
}

pub(super) fn gates_section(c: &Comparison) -> String {
    let mut s = String::from("<section id=\"gates\"><h2>Gates</h2>");
    if c.gates.is_empty() {
        s.push_str("<p>No gates (<code>--fail-below</code>) were set.</p></section>");
        return s;
    }
    let _ = write!(
        s,
        "<p class=\"verdict {}\">{}</p><table class=\"gates\"><thead><tr><th>metric</th><th>allowed drop</th><th>base</th><th>candidate</th><th>drop</th><th>verdict</th></tr></thead><tbody>",
        if c.passed { "pass" } else { "fail" },
        if c.passed {
            "Every gate passed."
        } else {
            "A gate failed."
        }
    );
    for g in &c.gates {
        let _ = write!(
            s,
            "<tr class=\"{}\"><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
            if g.passed { "pass" } else { "fail" },
            esc(&g.metric),
            g.max_drop,
            num(g.base),
            num(g.candidate),
            num(g.drop),
            esc(&match (&g.reason, g.passed) {
                (Some(r), true) => format!("pass ({r})"),
                (Some(r), false) => format!("FAIL: {r}"),
                (None, true) => "pass".to_string(),
                (None, false) => "FAIL".to_string(),
            })
        );
    }
    s.push_str("</tbody></table></section>");
    s
}

/// The HTML of `compare`: deltas with intervals, gates, both runs' confusion matrices, and every
/// article with both runs' items, the changed ones outlined. `texts` are the articles.
pub fn compare_html(
    c: &Comparison,
    base: &Report,
    cand: &Report,
    texts: &BTreeMap<String, Arc<Article>>,
) -> String {
    let title = format!(
        "quoteval compare — {} vs {} on {} ({} articles)",
        c.base.name, c.candidate.name, c.corpus.path, c.corpus.articles
    );
    let mut body = format!(
        "<header><h1>quoteval compare</h1><p class=\"run\">base: {}<br>candidate: {}</p>{}</header>",
        esc(&format!("{} — {}", c.base.name, run_line(base))),
        esc(&format!("{} — {}", c.candidate.name, run_line(cand))),
        notes(&c.notes)
    );
    let _ = write!(
        body,
        "<p class=\"summary\"><span class=\"chg-improved chip\">{} improved</span> <span class=\"chg-regressed chip\">{} regressed</span> <span class=\"chg-changed chip\">{} changed</span> items</p>",
        c.changes.improved, c.changes.regressed, c.changes.changed
    );
    body.push_str(&gates_section(c));
    body.push_str(&deltas_section(c));
    body.push_str(&legend());
    let _ = write!(
        body,
        "<section id=\"confusion\"><h2>Confusion and error taxonomy</h2><div class=\"runs\">{}{}</div></section>",
        analysis_section(
            &Analysis::of(&base.totals.counts, &base.articles),
            &format!("base: {}", c.base.name)
        ),
        analysis_section(
            &Analysis::of(&cand.totals.counts, &cand.articles),
            &format!("candidate: {}", c.candidate.name)
        )
    );
    body.push_str(&articles_section(
        "Articles, most regressions first",
        "Sorted by regressed items, then by changed items. Changed items are outlined in the text \
         (green: improved, red: regressed, amber: changed); switch between the base's and the \
         candidate's items above the text.",
    ));

    let changes: BTreeMap<&str, &crate::compare::ArticleChanges> = c
        .changes
        .articles
        .iter()
        .map(|a| (a.id.as_str(), a))
        .collect();
    let base_by_id: BTreeMap<&str, &ArticleScore> =
        base.articles.iter().map(|a| (a.id.as_str(), a)).collect();
    let mut articles: Vec<ArticleView> = cand
        .articles
        .iter()
        .map(|a| {
            let (text, u, _) = text_of(texts, &a.id);
            let ch: Vec<ChangeView> = changes
                .get(a.id.as_str())
                .map(|x| {
                    x.changes
                        .iter()
                        .map(|ch| ChangeView {
                            s: ch.span.map(|s| u.span(s)),
                            dir: direction_name(ch.direction),
                            what: ch.what.clone(),
                            l: layer_name(ch.layer),
                            lb: ch.label.clone(),
                            gt: ch.gold.clone(),
                            bp: ch.base_pred.clone(),
                            cp: ch.candidate_pred.clone(),
                        })
                        .collect()
                })
                .unwrap_or_default();
            let count = |d: &str| ch.iter().filter(|c| c.dir == d).count();
            let (improved, regressed) = (count("improved"), count("regressed"));
            ArticleView {
                id: a.id.clone(),
                anchor: anchor_of(&a.id),
                text: text.to_string(),
                lost: ch.len(),
                classes: classes_of(&a.items),
                items: a.items.iter().map(|i| item_view(i, &u)).collect(),
                base_items: Some(
                    base_by_id
                        .get(a.id.as_str())
                        .map(|b| b.items.iter().map(|i| item_view(i, &u)).collect())
                        .unwrap_or_default(),
                ),
                changes: ch,
                improved: Some(improved),
                regressed: Some(regressed),
            }
        })
        .collect();
    articles.sort_by(|a, b| {
        b.regressed
            .cmp(&a.regressed)
            .then(b.lost.cmp(&a.lost))
            .then_with(|| a.id.cmp(&b.id))
    });
    let payload = Payload {
        kind: "compare",
        articles,
    };
    page(&title, &body, &payload)
}
