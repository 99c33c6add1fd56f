//! `quoteval compare` on reports built from small documents scored in code, and through the CLI
//! on annotation files in a temp dir; and `scripts/bench-gate.py` on synthetic criterion output.
//! No model is needed.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::sync::Arc;

use quoteval::annotation::{
    Article, Document, EntityType, Mention, Place, Quote, QuoteKind, Span, Speaker, SpeakerType,
};
use quoteval::compare::{self, CompareError, Comparison, Direction, Gate, Options, SplitMix64};
use quoteval::evaluate::{score_corpus, Outcome};
use quoteval::report::{CorpusInfo, Report, Run, Timing};
use quoteval::score::{Counts, Metrics};

// ---------------------------------------------------------------------------------------------
// Documents and reports
// ---------------------------------------------------------------------------------------------

fn article_text(i: usize) -> String {
    format!(
        "Report number {i} from the coast.\n\
         “We will rebuild the bridge,” Mayor Ana Costa said in Porto on Monday.\n\
         Officials in Lisbon said the works would start before the winter.\n\
         “It is only a matter of time,” she added."
    )
}

fn at(a: &Article, text: &str) -> Span {
    a.occurrences(text)[0]
}

fn gold_doc(i: usize) -> Document {
    let a = Arc::new(Article::new(format!("art{i:02}"), article_text(i)));
    let mut d = Document::empty(a.clone(), "gold");
    d.mentions = vec![
        Mention {
            span: at(&a, "Ana Costa"),
            entity_type: EntityType::Person,
        },
        Mention {
            span: at(&a, "Porto"),
            entity_type: EntityType::Place,
        },
        Mention {
            span: at(&a, "Lisbon"),
            entity_type: EntityType::Place,
        },
    ];
    let quote = |text: &str, kind, speaker: &str, mention: &str| Quote {
        span: at(&a, text),
        fragments: Vec::new(),
        kind,
        cue: None,
        speaker_mention: Some(at(&a, mention)),
        speaker: Some(speaker.into()),
        joint_speakers: Vec::new(),
    };
    d.quotes = vec![
        quote(
            "We will rebuild the bridge,",
            QuoteKind::Direct,
            "Ana Costa",
            "Ana Costa",
        ),
        quote(
            "the works would start before the winter",
            QuoteKind::Indirect,
            "Officials in Lisbon",
            "Officials",
        ),
        quote(
            "It is only a matter of time,",
            QuoteKind::Direct,
            "Ana Costa",
            "she",
        ),
    ];
    d.speakers = vec![
        Speaker {
            name: "Ana Costa".into(),
            speaker_type: SpeakerType::Person,
            aliases: vec!["Costa".into()],
            named: true,
        },
        Speaker {
            name: "Officials in Lisbon".into(),
            speaker_type: SpeakerType::Other,
            aliases: vec![],
            named: false,
        },
    ];
    d.places = vec![
        Place {
            name: "Porto".into(),
            aliases: vec![],
        },
        Place {
            name: "Lisbon".into(),
            aliases: vec![],
        },
    ];
    d.sort();
    d
}

fn gold(n: usize) -> BTreeMap<String, Document> {
    (0..n)
        .map(|i| (format!("art{i:02}"), gold_doc(i)))
        .collect()
}

/// A prediction: the gold with `edit` applied to article i.
fn predictions(
    gold: &BTreeMap<String, Document>,
    edit: impl Fn(usize, &mut Document),
) -> BTreeMap<String, Document> {
    gold.iter()
        .enumerate()
        .map(|(i, (id, g))| {
            let mut p = g.clone();
            p.source = "pred".into();
            edit(i, &mut p);
            (id.clone(), p)
        })
        .collect()
}

fn report(
    gold: &BTreeMap<String, Document>,
    pred: &BTreeMap<String, Document>,
    fingerprint: &str,
) -> Report {
    let (counts, articles) = score_corpus(gold, pred);
    let run = Run {
        command: "score".into(),
        model: Some("test-model".into()),
        backend: "in code".into(),
        corpus: CorpusInfo {
            path: "test-corpus".into(),
            fingerprint: fingerprint.into(),
            articles: gold.keys().cloned().collect(),
        },
        predictions: None,
        settings: BTreeMap::new(),
        timing: Timing::default(),
    };
    Report::new(run, counts, articles, Vec::new())
}

fn perfect(n: usize) -> Report {
    let g = gold(n);
    report(&g, &predictions(&g, |_, _| {}), "fp")
}

/// Every quote removed.
fn without_quotes(n: usize) -> Report {
    let g = gold(n);
    report(&g, &predictions(&g, |_, p| p.quotes.clear()), "fp")
}

/// Articles lose 0, 1 or 2 quotes (i % 3), and every fourth one has a spurious place.
fn mixed(n: usize) -> Report {
    let g = gold(n);
    report(
        &g,
        &predictions(&g, |i, p| {
            p.quotes.truncate(3 - i % 3);
            if i % 4 == 0 {
                p.places.push(Place {
                    name: "Madrid".into(),
                    aliases: vec![],
                });
            }
        }),
        "fp",
    )
}

fn metric<'a>(c: &'a Comparison, name: &str) -> &'a compare::MetricDelta {
    c.metrics
        .iter()
        .find(|m| m.name == name)
        .unwrap_or_else(|| panic!("no metric {name}"))
}

fn options(gates: &[&str]) -> Options {
    Options {
        gates: gates.iter().map(|g| Gate::parse(g).unwrap()).collect(),
        ..Options::default()
    }
}

const HEADLINE_F1S: [&str; 6] = [
    "entities.strict.f1",
    "quotes.0.3.f1",
    "quotes.0.8.f1",
    "quotes.0.3.end_to_end.f1",
    "speakers.f1",
    "places.f1",
];

// ---------------------------------------------------------------------------------------------
// The CLI
// ---------------------------------------------------------------------------------------------

fn quoteval(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_quoteval-ner"))
        .args(args)
        .output()
        .expect("run quoteval")
}

fn text(b: &[u8]) -> String {
    String::from_utf8_lossy(b).into_owned()
}

fn write_report(dir: &Path, name: &str, r: &Report) -> String {
    let path = dir.join(name);
    std::fs::write(&path, r.to_json()).unwrap();
    path.display().to_string()
}

// ---------------------------------------------------------------------------------------------
// Tests
// ---------------------------------------------------------------------------------------------

#[test]
fn a_report_against_itself_has_zero_deltas_and_passes() {
    let r = mixed(12);
    let gates: Vec<String> = compare::metric_names()
        .iter()
        .map(|m| format!("{m}=0"))
        .collect();
    let gates: Vec<&str> = gates.iter().map(String::as_str).collect();
    let c = compare::compare(&r, &r, &options(&gates)).unwrap();
    assert!(c.passed);
    assert_eq!(c.metrics.len(), compare::metric_names().len());
    for m in &c.metrics {
        assert_eq!(m.base, m.candidate, "{}", m.name);
        if let Some(d) = m.delta {
            assert_eq!(d, 0.0, "{}", m.name);
            let i = m.interval.unwrap();
            assert_eq!(
                (i.low, i.high, i.significant),
                (0.0, 0.0, false),
                "{}",
                m.name
            );
        }
    }
    assert_eq!(
        (c.changes.improved, c.changes.regressed, c.changes.changed),
        (0, 0, 0)
    );
    assert!(c.changes.articles.is_empty());

    let tmp = tempfile::tempdir().unwrap();
    let path = write_report(tmp.path(), "r.json", &r);
    let o = quoteval(&[
        "compare",
        &path,
        &path,
        "--fail-below",
        "quotes.0.3.f1=0",
        "--fail-below",
        "speakers.f1=0",
    ]);
    assert_eq!(
        o.status.code(),
        Some(0),
        "{}{}",
        text(&o.stdout),
        text(&o.stderr)
    );
    assert!(text(&o.stderr).is_empty(), "{}", text(&o.stderr));
    let out = text(&o.stdout);
    assert!(
        out.contains("Changed items: 0 improved, 0 regressed"),
        "{out}"
    );
    let row = out
        .lines()
        .find(|l| l.trim_start().starts_with("quotes.0.3.f1 "))
        .unwrap();
    assert!(row.contains("+0.000") && !row.ends_with('*'), "{row}");
}

#[test]
fn a_degraded_candidate_fails_the_gate_naming_the_metric() {
    let (base, cand) = (perfect(6), without_quotes(6));
    let c = compare::compare(
        &base,
        &cand,
        &options(&["quotes.0.3.f1=0.01", "entities.strict.f1=0"]),
    )
    .unwrap();
    assert!(!c.passed);
    assert_eq!(
        c.failures(),
        vec!["quotes.0.3.f1 dropped 1.000 (1.000 -> 0.000), more than 0.010 allowed".to_string()]
    );
    assert_eq!(metric(&c, "entities.strict.f1").delta, Some(0.0));
    assert_eq!(metric(&c, "quotes.0.3.f1").delta, Some(-1.0));
    // No quote was matched: an accuracy over nothing has no value.
    assert_eq!(metric(&c, "quotes.0.3.speaker_by_name").candidate, None);

    let tmp = tempfile::tempdir().unwrap();
    let (b, k) = (
        write_report(tmp.path(), "base.json", &base),
        write_report(tmp.path(), "cand.json", &cand),
    );
    let o = quoteval(&[
        "compare",
        &b,
        &k,
        "--fail-below",
        "quotes.0.3.f1=0.01",
        "--fail-below",
        "places.f1=0.01",
    ]);
    assert_eq!(
        o.status.code(),
        Some(1),
        "{}{}",
        text(&o.stdout),
        text(&o.stderr)
    );
    let err = text(&o.stderr);
    assert_eq!(
        err.trim(),
        "quotes.0.3.f1 dropped 1.000 (1.000 -> 0.000), more than 0.010 allowed"
    );
    // The table still goes to stdout, with the gate marked.
    assert!(
        text(&o.stdout).contains("FAIL quotes.0.3.f1"),
        "{}",
        text(&o.stdout)
    );
    // A gate on an accuracy the candidate has no value for fails too.
    let o = quoteval(&[
        "compare",
        &b,
        &k,
        "--fail-below",
        "quotes.0.3.speaker_by_name=0.5",
        "--resamples",
        "0",
    ]);
    assert_eq!(o.status.code(), Some(1));
    assert!(
        text(&o.stderr).contains("quotes.0.3.speaker_by_name has no value in the candidate"),
        "{}",
        text(&o.stderr)
    );
}

#[test]
fn the_cli_pipeline_on_annotation_files() {
    // gold/ holds articles and gold files; pred-a/ the gold itself, pred-b/ the gold without quotes.
    let tmp = tempfile::tempdir().unwrap();
    let g = gold(4);
    let dirs: Vec<PathBuf> = ["gold", "pred-a", "pred-b"]
        .iter()
        .map(|d| tmp.path().join(d))
        .collect();
    for (id, doc) in &g {
        std::fs::create_dir_all(&dirs[0]).unwrap();
        std::fs::write(dirs[0].join(format!("{id}.txt")), doc.article.text()).unwrap();
        quoteval::format::json::write_document(
            doc,
            &quoteval::format::json::path_for(&dirs[0], id),
            false,
        )
        .unwrap();
        quoteval::format::json::write_document(
            doc,
            &quoteval::format::json::path_for(&dirs[1], id),
            false,
        )
        .unwrap();
        let mut degraded = doc.clone();
        degraded.quotes.clear();
        quoteval::format::json::write_document(
            &degraded,
            &quoteval::format::json::path_for(&dirs[2], id),
            false,
        )
        .unwrap();
    }
    let p = |x: &Path| x.display().to_string();
    let (a, b) = (p(&tmp.path().join("a.json")), p(&tmp.path().join("b.json")));
    for (pred, out) in [(&dirs[1], &a), (&dirs[2], &b)] {
        let o = quoteval(&["score", &p(&dirs[0]), &p(pred), "--json", "--out", out]);
        assert!(o.status.success(), "{}", text(&o.stderr));
    }
    let o = quoteval(&["compare", &a, &b, "--fail-below", "quotes.0.3.f1=0.01"]);
    assert_eq!(o.status.code(), Some(1), "{}", text(&o.stderr));
    assert!(
        text(&o.stderr).starts_with("quotes.0.3.f1 dropped 1.000"),
        "{}",
        text(&o.stderr)
    );
    // Every lost quote is listed with its article, line and context.
    let out = text(&o.stdout);
    assert!(
        out.contains("Changed items: 0 improved, 12 regressed"),
        "{out}"
    );
    assert!(
        out.contains("art03")
            && out.contains("line 2")
            && out.contains("lost")
            && out.contains("[[We will rebuild the bridge,]]"),
        "{out}"
    );

    let o = quoteval(&["compare", &a, &a, "--fail-below", "quotes.0.3.f1=0.01"]);
    assert_eq!(o.status.code(), Some(0), "{}", text(&o.stderr));

    let o = quoteval(&["compare", &a, &b, "--json"]);
    assert_eq!(o.status.code(), Some(0));
    let c: Comparison = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(c.schema, "quoteval-compare/1");
    assert_eq!(c.bootstrap.resamples, 10_000);
    assert_eq!(c.corpus.articles, 4);
    assert_eq!(c.changes.regressed, 12);
}

#[test]
fn changed_items_name_what_changed() {
    let g = gold(3);
    let base = report(
        &g,
        &predictions(&g, |i, p| {
            if i == 0 {
                p.quotes.remove(0); // missed in the base, found in the candidate
            }
        }),
        "fp",
    );
    let cand = report(
        &g,
        &predictions(&g, |i, p| match i {
            1 => p.quotes[2].speaker = Some("Officials in Lisbon".into()), // wrong speaker
            2 => p.places.push(Place {
                name: "Madrid".into(),
                aliases: vec![],
            }), // spurious
            _ => {}
        }),
        "fp",
    );
    let c = compare::compare(
        &base,
        &cand,
        &Options {
            resamples: 0,
            ..Options::default()
        },
    )
    .unwrap();
    assert_eq!(
        (c.changes.improved, c.changes.regressed, c.changes.changed),
        (1, 2, 0),
        "{:#?}",
        c.changes
    );
    let all: Vec<(&str, &compare::Change)> = c
        .changes
        .articles
        .iter()
        .flat_map(|a| a.changes.iter().map(move |ch| (a.id.as_str(), ch)))
        .collect();

    let (id, found) = all.iter().find(|(_, ch)| ch.what == "found").unwrap();
    assert_eq!(*id, "art00");
    assert_eq!(
        (found.direction, found.base, found.candidate),
        (
            Direction::Improved,
            Some(Outcome::Missed),
            Some(Outcome::Correct)
        )
    );
    assert_eq!(found.gold.as_deref(), Some("We will rebuild the bridge,"));
    assert_eq!(found.line, Some(2));
    assert!(found
        .context
        .as_deref()
        .unwrap()
        .contains("[[We will rebuild the bridge,]]"));

    let (id, wrong) = all
        .iter()
        .find(|(_, ch)| ch.what == "wrong speaker introduced")
        .unwrap();
    assert_eq!(*id, "art01");
    assert_eq!(
        (wrong.direction, wrong.candidate),
        (Direction::Regressed, Some(Outcome::WrongSpeaker))
    );
    assert_eq!(wrong.line, Some(4));

    let (id, spurious) = all
        .iter()
        .find(|(_, ch)| ch.what == "new spurious")
        .unwrap();
    assert_eq!(*id, "art02");
    assert_eq!(
        (spurious.base, spurious.candidate, spurious.gold.as_deref()),
        (None, Some(Outcome::Spurious), None)
    );
    assert_eq!(spurious.candidate_pred.as_deref(), Some("Madrid"));

    // The other way round, each change flips.
    let back = compare::compare(
        &cand,
        &base,
        &Options {
            resamples: 0,
            ..Options::default()
        },
    )
    .unwrap();
    assert_eq!((back.changes.improved, back.changes.regressed), (2, 1));
    let md = c.to_markdown(100);
    assert!(
        md.contains("wrong speaker introduced")
            && md.contains("speaker Ana Costa / predicted Officials in Lisbon"),
        "{md}"
    );
}

#[test]
fn reports_on_different_corpora_are_refused() {
    let g = gold(3);
    let base = report(&g, &predictions(&g, |_, _| {}), "fp-one");
    let cand = report(&g, &predictions(&g, |_, _| {}), "fp-two");
    match compare::compare(&base, &cand, &Options::default()) {
        Err(CompareError::Refused(m)) => assert!(
            m.contains("different corpora") && m.contains("fp-one") && m.contains("fp-two"),
            "{m}"
        ),
        other => panic!("{other:?}"),
    }
    let tmp = tempfile::tempdir().unwrap();
    let (b, k) = (
        write_report(tmp.path(), "base.json", &base),
        write_report(tmp.path(), "cand.json", &cand),
    );
    let o = quoteval(&["compare", &b, &k]);
    assert_eq!(o.status.code(), Some(2));
    let err = text(&o.stderr);
    assert!(
        err.contains("different corpora") && err.contains("base.json") && err.contains("cand.json"),
        "{err}"
    );
    assert!(o.stdout.is_empty());
}

#[test]
fn a_report_of_a_schema_this_version_does_not_read_is_refused_naming_it() {
    let tmp = tempfile::tempdir().unwrap();
    let r = perfect(2);
    let b = write_report(tmp.path(), "base.json", &r);
    let newer = r
        .to_json()
        .replacen("\"quoteval-report/3\"", "\"quoteval-report/9\"", 1);
    let k = tmp.path().join("cand.json");
    std::fs::write(&k, newer).unwrap();
    let k = k.display().to_string();
    let o = quoteval(&["compare", &b, &k]);
    assert_eq!(o.status.code(), Some(2));
    let err = text(&o.stderr);
    assert!(
        err.contains("cand.json")
            && err.contains("quoteval-report/9")
            && err.contains("reads \"quoteval-report/3\" and \"quoteval-report/2\""),
        "{err}"
    );
}

/// A report of the previous schema (quote counts as 21 flat fields, tests/fixtures/report-v2)
/// is read with the counts and metrics this version computes for the same files, and compares
/// with a new report: nothing changed.
#[test]
fn a_schema_2_report_is_read_as_this_version_computes_it() {
    let fixture = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/report-v2");
    let old_path = fixture.join("report.json");
    let old = Report::from_json(&std::fs::read_to_string(&old_path).unwrap()).expect("/2 reads");
    let run = Command::new(env!("CARGO_BIN_EXE_quoteval-ner"))
        .args([
            "score",
            "gold/000_de67a28c626ab951.json",
            "tests/fixtures/report-v2/pred.json",
            "--json",
        ])
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .output()
        .unwrap();
    assert!(run.status.success(), "{}", text(&run.stderr));
    let new = Report::from_json(&text(&run.stdout)).unwrap();
    assert_eq!(new.schema, "quoteval-report/3");
    assert_eq!(old.schema, new.schema, "upgraded as read");
    assert!(old.totals.counts.quotes.articles > 0);
    // `/2` had no span counts: they are absent (no articles), their metrics null.
    let without_spans = |c: &Counts| Counts {
        spans: Default::default(),
        ..c.clone()
    };
    assert_eq!(old.totals.counts.spans.articles, 0);
    assert!(new.totals.counts.spans.articles > 0);
    assert_eq!(old.totals.counts, without_spans(&new.totals.counts));
    // The upgrade derives the metrics from the counts (JSON keeps the new ones' floats only to
    // their printed digits).
    assert_eq!(
        old.totals.metrics,
        Metrics::of(&without_spans(&new.totals.counts))
    );
    assert_eq!(old.totals.metrics.spans, None);
    let counts = |r: &Report| {
        r.articles
            .iter()
            .map(|a| without_spans(&a.counts))
            .collect::<Vec<_>>()
    };
    assert_eq!(counts(&old), counts(&new));

    let tmp = tempfile::tempdir().unwrap();
    let new_path = write_report(tmp.path(), "new.json", &new);
    let o = quoteval(&["compare", old_path.to_str().unwrap(), &new_path, "--json"]);
    assert_eq!(o.status.code(), Some(0), "{}", text(&o.stderr));
    let c: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    let deltas = c["metrics"].as_array().unwrap();
    assert!(deltas.len() > 100);
    for d in deltas {
        let name = d["name"].as_str().unwrap();
        if name.starts_with("spans.") {
            assert!(d["base"].is_null() && d["delta"].is_null(), "{d}");
        } else {
            assert!(
                d["delta"].is_null() || d["delta"].as_f64() == Some(0.0),
                "{d}"
            );
        }
    }
}

#[test]
fn an_unknown_metric_lists_the_valid_ones() {
    let tmp = tempfile::tempdir().unwrap();
    let r = write_report(tmp.path(), "r.json", &perfect(2));
    let o = quoteval(&["compare", &r, &r, "--fail-below", "quotes.0.5.f1=0.01"]);
    // A usage error (64), not "cannot compare" (2).
    assert_eq!(o.status.code(), Some(64));
    let err = text(&o.stderr);
    assert!(err.contains("unknown metric \"quotes.0.5.f1\""), "{err}");
    for name in [
        "entities.strict.f1",
        "entities.macro.partial.f1",
        "entities.person.type.recall",
        "quotes.0.3.f1",
        "quotes.exact.end_to_end.f1",
        "quotes.0.8.speaker_by_mention",
        "speakers.f1",
        "places.precision",
    ] {
        assert!(err.contains(name), "{name} missing from {err}");
    }
    let o = quoteval(&["compare", &r, &r, "--fail-below", "quotes.0.3.f1"]);
    assert_eq!(o.status.code(), Some(64));
    assert!(text(&o.stderr).contains("METRIC=DROP"));
    // Names are case-insensitive and `entities.micro.` is accepted.
    assert_eq!(
        Gate::parse("Entities.Micro.Strict.F1=0.02").unwrap().metric,
        "entities.strict.f1"
    );
    let o = quoteval(&["compare", "--list-metrics"]);
    assert_eq!(
        text(&o.stdout).lines().count(),
        compare::metric_names().len()
    );
}

#[test]
fn the_bootstrap_interval_holds_the_delta_and_is_reproducible() {
    let (base, cand) = (perfect(24), mixed(24));
    let run = |seed, resamples| {
        compare::compare(
            &base,
            &cand,
            &Options {
                seed,
                resamples,
                ..Options::default()
            },
        )
        .unwrap()
    };
    let (one, again) = (run(7, 10_000), run(7, 10_000));
    assert!(one.metrics == again.metrics, "same seed, same intervals");
    // The deltas take few distinct values, so 10,000 resamples often land on the same
    // percentiles whatever the seed; 200 show that another seed draws other resamples.
    let few = run(7, 200).metrics;
    assert!(
        (8..13).any(|seed| run(seed, 200).metrics != few),
        "another seed, other intervals"
    );
    for name in HEADLINE_F1S {
        let m = metric(&one, name);
        let (d, i) = (m.delta.unwrap(), m.interval.unwrap());
        assert!(
            i.low <= d + 1e-12 && d <= i.high + 1e-12,
            "{name}: {d} outside [{}, {}]",
            i.low,
            i.high
        );
        assert_eq!(i.resamples, 10_000);
    }
    // Two of three articles lose quotes: a clear, significant drop; entities are untouched.
    let q = metric(&one, "quotes.0.3.f1");
    assert!(
        q.delta.unwrap() < 0.0 && q.interval.unwrap().significant && q.interval.unwrap().high < 0.0,
        "{q:?}"
    );
    assert!(q.interval.unwrap().low < q.interval.unwrap().high);
    let e = metric(&one, "entities.strict.f1").interval.unwrap();
    assert_eq!((e.low, e.high, e.significant), (0.0, 0.0, false));

    // Every article loses the same quote: every resample has the same delta.
    let g = gold(10);
    let uniform = report(
        &g,
        &predictions(&g, |_, p| {
            p.quotes.remove(1);
        }),
        "fp",
    );
    let c = compare::compare(
        &report(&g, &predictions(&g, |_, _| {}), "fp"),
        &uniform,
        &Options::default(),
    )
    .unwrap();
    let m = metric(&c, "quotes.0.3.f1");
    let (d, i) = (m.delta.unwrap(), m.interval.unwrap());
    assert!((d - (0.8 - 1.0)).abs() < 1e-12, "{d}");
    assert!(
        (i.low - d).abs() < 1e-12 && (i.high - d).abs() < 1e-12 && i.significant,
        "{i:?}"
    );
}

/// The type-7 percentile (numpy's default).
fn percentile(sorted: &[f64], q: f64) -> f64 {
    let pos = q * (sorted.len() - 1) as f64;
    let i = pos.floor() as usize;
    let frac = pos - i as f64;
    if i + 1 < sorted.len() {
        sorted[i] + frac * (sorted[i + 1] - sorted[i])
    } else {
        sorted[i]
    }
}

#[test]
fn the_bootstrap_matches_resampling_the_reports_by_hand() {
    // Resample r draws n indices with SplitMix64::below(n) from one generator seeded with the
    // seed; the per-article counts are summed and the metrics recomputed by the scorer itself.
    let (base, cand) = (mixed(15), perfect(15));
    let (resamples, seed) = (400, 99);
    let c = compare::compare(
        &base,
        &cand,
        &Options {
            resamples,
            seed,
            ..Options::default()
        },
    )
    .unwrap();
    let n = base.articles.len();
    let mut rng = SplitMix64::new(seed);
    type Pick = fn(&Metrics) -> f64;
    let picks: [(&str, Pick); 6] = [
        ("entities.strict.f1", |m| {
            m.entities.as_ref().unwrap().micro.strict.f1
        }),
        ("quotes.0.3.f1", |m| {
            m.quotes.as_ref().unwrap()["0.3"].scopes["all"].prf.f1
        }),
        ("quotes.0.8.recall", |m| {
            m.quotes.as_ref().unwrap()["0.8"].scopes["all"].prf.recall
        }),
        ("quotes.0.3.end_to_end.f1", |m| {
            m.quotes.as_ref().unwrap()["0.3"].end_to_end.f1
        }),
        ("places.f1", |m| m.places.unwrap().f1),
        ("entities.macro.partial.f1", |m| {
            m.entities.as_ref().unwrap().macro_.partial.f1
        }),
    ];
    let mut deltas: Vec<Vec<f64>> = vec![Vec::new(); picks.len()];
    for _ in 0..resamples {
        let (mut b, mut k) = (Counts::default(), Counts::default());
        for _ in 0..n {
            let i = rng.below(n);
            b += &base.articles[i].counts;
            k += &cand.articles[i].counts;
        }
        let (mb, mk) = (Metrics::of(&b), Metrics::of(&k));
        for (d, (_, pick)) in deltas.iter_mut().zip(&picks) {
            d.push(pick(&mk) - pick(&mb));
        }
    }
    for (mut d, (name, _)) in deltas.into_iter().zip(picks) {
        d.sort_by(f64::total_cmp);
        let i = metric(&c, name).interval.unwrap();
        assert!(
            (i.low - percentile(&d, 0.025)).abs() < 1e-12,
            "{name}: {} vs {}",
            i.low,
            percentile(&d, 0.025)
        );
        assert!(
            (i.high - percentile(&d, 0.975)).abs() < 1e-12,
            "{name}: {} vs {}",
            i.high,
            percentile(&d, 0.975)
        );
    }
}

/// 10,000 resamples over 50 articles, every metric: well under a second in release.
/// `cargo test --release --no-default-features --test compare bootstrap_speed -- --nocapture`
#[test]
fn bootstrap_speed() {
    let (base, cand) = (perfect(50), mixed(50));
    // A debug build is some twenty times slower: time it, but only a release build must pass.
    let (runs, resamples) = if cfg!(debug_assertions) {
        (1, 1_000)
    } else {
        (3, 10_000)
    };
    let best = (0..runs)
        .map(|_| {
            let t = std::time::Instant::now();
            let c = compare::compare(
                &base,
                &cand,
                &Options {
                    resamples,
                    ..Options::default()
                },
            )
            .unwrap();
            assert_eq!(c.bootstrap.resamples, resamples);
            t.elapsed().as_secs_f64()
        })
        .fold(f64::INFINITY, f64::min);
    eprintln!(
        "compare with {resamples} resamples over 50 articles and {} metrics: {:.1} ms",
        compare::metric_names().len(),
        best * 1e3
    );
    if !cfg!(debug_assertions) {
        assert!(best < 1.0, "{best} s");
    }
}

#[test]
fn stored_metrics_are_the_compared_values() {
    let (base, cand) = (perfect(5), mixed(5));
    let c = compare::compare(
        &base,
        &cand,
        &Options {
            resamples: 0,
            ..Options::default()
        },
    )
    .unwrap();
    let m = &cand.totals.metrics;
    assert_eq!(
        metric(&c, "quotes.0.3.f1").candidate,
        Some(m.quotes.as_ref().unwrap()["0.3"].scopes["all"].prf.f1)
    );
    assert_eq!(
        metric(&c, "quotes.exact.direct.precision").candidate,
        Some(
            m.quotes.as_ref().unwrap()["exact"].scopes["direct"]
                .prf
                .precision
        )
    );
    assert_eq!(
        metric(&c, "quotes.0.8.speaker_by_name").candidate,
        m.quotes.as_ref().unwrap()["0.8"].scopes["all"].speaker_by_name
    );
    assert_eq!(
        metric(&c, "entities.place.partial.recall").candidate,
        Some(
            m.entities.as_ref().unwrap().by_type[&EntityType::Place]
                .partial
                .recall
        )
    );
    assert_eq!(
        metric(&c, "places.precision").candidate,
        Some(m.places.unwrap().precision)
    );
    assert!(
        metric(&c, "quotes.0.3.f1").interval.is_none(),
        "--resamples 0: no intervals"
    );
}

#[test]
fn edited_gold_is_noted() {
    let g = gold(3);
    let base = report(&g, &predictions(&g, |_, _| {}), "fp");
    let mut g2 = g.clone();
    g2.get_mut("art01").unwrap().quotes.pop();
    let cand = report(&g2, &predictions(&g2, |_, _| {}), "fp");
    let c = compare::compare(
        &base,
        &cand,
        &Options {
            resamples: 0,
            ..Options::default()
        },
    )
    .unwrap();
    assert!(
        c.notes
            .iter()
            .any(|n| n.contains("gold differs") && n.contains("art01")),
        "{:?}",
        c.notes
    );
}

#[test]
fn markdown_for_a_pull_request() {
    let c = compare::compare(&perfect(8), &mixed(8), &options(&["quotes.0.3.f1=0.01"])).unwrap();
    let md = c.to_markdown(5);
    assert!(
        md.starts_with("### quoteval compare — 1 gate(s) failed ❌"),
        "{md}"
    );
    assert!(md.contains("| `quotes.0.3.f1` | 1.000 |"), "{md}");
    assert!(md.contains("▼ significant"), "{md}");
    assert!(md.contains(&format!(
        "<details><summary>All {} metrics</summary>",
        compare::metric_names().len()
    )));
    assert!(
        md.contains("more; `quoteval compare --json` lists all"),
        "{md}"
    );
}

// ---------------------------------------------------------------------------------------------
// scripts/bench-gate.py
// ---------------------------------------------------------------------------------------------

fn python() -> Option<&'static str> {
    ["python3", "python"].into_iter().find(|p| {
        Command::new(p)
            .arg("--version")
            .output()
            .is_ok_and(|o| o.status.success())
    })
}

fn bench_gate(args: &[&str]) -> Option<Output> {
    let Some(py) = python() else {
        eprintln!("no python3: bench-gate not tested");
        return None;
    };
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("scripts/bench-gate.py");
    Some(Command::new(py).arg(script).args(args).output().unwrap())
}

/// Writes criterion's layout: <dir>/<id>/<baseline>/{estimates,benchmark}.json.
fn criterion_bench(dir: &Path, id: &str, baseline: &str, median_ns: f64) {
    let d = dir.join(id).join(baseline);
    std::fs::create_dir_all(&d).unwrap();
    let est = |v: f64| serde_json::json!({"confidence_interval": {"confidence_level": 0.95, "lower_bound": v * 0.98, "upper_bound": v * 1.02}, "point_estimate": v, "standard_error": v * 0.01});
    let estimates = serde_json::json!({"mean": est(median_ns * 1.01), "median": est(median_ns), "median_abs_dev": est(median_ns * 0.02), "slope": null, "std_dev": est(median_ns * 0.03)});
    std::fs::write(d.join("estimates.json"), estimates.to_string()).unwrap();
    let parts: Vec<&str> = id.split('/').collect();
    let bench = serde_json::json!({"group_id": parts[0], "function_id": parts.get(1), "value_str": parts.get(2), "throughput": null, "full_id": id, "directory_name": id, "title": id});
    std::fs::write(d.join("benchmark.json"), bench.to_string()).unwrap();
}

#[test]
fn bench_gate_self_test() {
    if let Some(o) = bench_gate(&["--self-test"]) {
        assert_eq!(
            o.status.code(),
            Some(0),
            "{}{}",
            text(&o.stdout),
            text(&o.stderr)
        );
    }
}

#[test]
fn bench_gate_fails_on_a_slowdown() {
    let tmp = tempfile::tempdir().unwrap();
    let root = tmp.path().join("criterion");
    criterion_bench(&root, "score/corpus", "main", 1000.0);
    criterion_bench(&root, "score/corpus", "new", 1050.0);
    criterion_bench(&root, "align/quotes/64", "main", 2000.0);
    criterion_bench(&root, "align/quotes/64", "new", 2500.0);
    criterion_bench(&root, "only/new", "new", 10.0);
    let dir = root.display().to_string();
    let Some(o) = bench_gate(&[
        "--criterion-dir",
        &dir,
        "--base",
        "main",
        "--candidate",
        "new",
        "--max-slowdown",
        "1.10",
    ]) else {
        return;
    };
    assert_eq!(
        o.status.code(),
        Some(1),
        "{}{}",
        text(&o.stdout),
        text(&o.stderr)
    );
    let out = text(&o.stdout);
    assert!(
        out.contains("align/quotes/64")
            && out.contains("1.250")
            && out.contains("score/corpus")
            && out.contains("1.050"),
        "{out}"
    );
    assert!(
        text(&o.stderr).contains("align/quotes/64"),
        "{}",
        text(&o.stderr)
    );
    let o = bench_gate(&["--criterion-dir", &dir, "--max-slowdown", "1.30"]).unwrap();
    assert_eq!(
        o.status.code(),
        Some(0),
        "{}{}",
        text(&o.stdout),
        text(&o.stderr)
    );
    let o = bench_gate(&[
        "--criterion-dir",
        &tmp.path().join("nothing").display().to_string(),
    ])
    .unwrap();
    assert_eq!(o.status.code(), Some(2));
}

#[test]
fn partial_credit_summed_in_another_order_is_no_mismatch_but_a_real_one_is() {
    // A report's totals hold the corpus's partial credit; compare re-adds the articles' and
    // may land a few bits away (floating-point addition is not associative). Only a real
    // difference is a note.
    let tmp = tempfile::tempdir().unwrap();
    let r = mixed(12);
    let path = write_report(tmp.path(), "base.json", &r);
    let with_credit = |delta: f64, name: &str| -> String {
        let mut v: serde_json::Value =
            serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap();
        let credit =
            &mut v["totals"]["counts"]["quotes"]["0.3"]["all"]["partial"]["precision_credit"];
        let x = credit.as_f64().expect("a partial credit in the totals");
        *credit = serde_json::json!(x * (1.0 + delta));
        let out = tmp.path().join(name);
        std::fs::write(&out, serde_json::to_string(&v).unwrap()).unwrap();
        out.display().to_string()
    };
    let note = "do not add up";
    let rounding = with_credit(1e-15, "rounding.json");
    let out = quoteval(&["compare", &path, &rounding]);
    assert!(!text(&out.stdout).contains(note), "{}", text(&out.stdout));
    let edited = with_credit(0.01, "edited.json");
    let out = quoteval(&["compare", &path, &edited]);
    assert!(
        text(&out.stdout).contains(note) || text(&out.stderr).contains(note),
        "{}",
        text(&out.stdout)
    );
}
