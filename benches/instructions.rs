//! Instruction counts (Callgrind, through iai-callgrind) of the deterministic code: the two
//! scorers, the rule quote extractor, tokenization (quotation marks, tokens and sentences) and
//! report rendering. A count does not drift with the machine's load, so
//! `scripts/bench-gate.py --instructions` gates these tightly (2 % by default) where the
//! wall-clock benchmarks need a paired design and an interval (docs/benchmarks.md).
//!
//!     scripts/setup-iai.sh      # valgrind, and iai-callgrind-runner of Cargo.lock's version
//!     cargo bench --no-default-features --bench instructions
//!
//! Needs no libtorch. Inputs as in benches/scoring.rs and benches/quotes.rs (the gold corpus,
//! the generated CoNLL-2003-test-sized text); only the benchmark function is counted, not
//! its setup. QUOTEVAL_BENCH_INJECT_SLOWDOWN=F adds about F more work to the scorers and the
//! extractor, as in those benches (scripts/gate-proof.py only).

use std::collections::BTreeMap;
use std::hint::black_box;
use std::path::Path;
use std::sync::Arc;

use iai_callgrind::{library_benchmark, library_benchmark_group, main, LibraryBenchmarkConfig};
use quoteval::annotation::Article;
use quoteval::corpus::Corpus;
use quoteval::evaluate::score_corpus;
use quoteval::extract::quotes::RulesExtractor;
use quoteval::report::{CorpusInfo, Report, Run, Timing};
use quoteval::score::conll::{score_conlleval, ChunkMode};
use quoteval::text::Text;

mod common {
    pub mod inject;
    pub mod inputs;
}
use common::inject::{self, Docs};
use common::inputs::{gold_and_degraded, synthetic_conll};

fn articles() -> Vec<Arc<Article>> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("gold");
    Corpus::load(&dir).expect("gold corpus").articles
}

struct Scoring {
    gold: Docs,
    pred: Docs,
    extra: Option<(Docs, Docs)>,
}

fn scoring() -> Scoring {
    let (gold, pred) = gold_and_degraded();
    let extra = inject::scorer_extra(&gold, &pred, inject::fraction());
    Scoring { gold, pred, extra }
}

#[library_benchmark]
#[bench::gold_corpus(scoring())]
fn annotation_scorer(input: Scoring) -> (usize, Scoring) {
    let (counts, articles) = score_corpus(&input.gold, &input.pred);
    black_box(&counts);
    if let Some((g, p)) = &input.extra {
        black_box(score_corpus(g, p));
    }
    (articles.len(), input)
}

fn conll_text() -> (String, Option<String>) {
    let (text, _) = synthetic_conll();
    let extra = inject::conll_extra(&text, inject::fraction());
    (text, extra)
}

#[library_benchmark]
#[bench::conll2003_test_size_lenient(conll_text())]
fn conll_scorer(input: (String, Option<String>)) -> (usize, (String, Option<String>)) {
    let score = |t: &str| {
        score_conlleval(t.as_bytes(), Path::new("bench.conll"), ChunkMode::Lenient)
            .expect("valid input")
    };
    let scored = black_box(score(&input.0));
    if let Some(extra) = &input.1 {
        black_box(score(extra));
    }
    drop(scored);
    (input.0.len(), input)
}

struct Extracting {
    articles: Vec<Arc<Article>>,
    extractor: RulesExtractor,
    extra: Option<Article>,
}

fn extracting() -> Extracting {
    let articles = articles();
    let extra = inject::extractor_extra(&articles, inject::fraction());
    Extracting {
        articles,
        extractor: RulesExtractor::default(),
        extra,
    }
}

#[library_benchmark]
#[bench::gold_corpus(extracting())]
fn quotes_extract(input: Extracting) -> (usize, Extracting) {
    let mut found = 0;
    for a in &input.articles {
        found += input.extractor.extract(a, &[]).quotes.len();
    }
    if let Some(extra) = &input.extra {
        black_box(input.extractor.extract(extra, &[]));
    }
    (found, input)
}

#[library_benchmark]
#[bench::gold_corpus(articles())]
fn text_tokenize(articles: Vec<Arc<Article>>) -> (usize, Vec<Arc<Article>>) {
    let sentences = articles.iter().map(|a| Text::new(a).sentences.len()).sum();
    (sentences, articles)
}

struct Rendering {
    report: Report,
    texts: BTreeMap<String, Arc<Article>>,
}

fn rendering() -> Rendering {
    let (gold, pred) = gold_and_degraded();
    let (counts, scores) = score_corpus(&gold, &pred);
    let run = Run {
        command: "score".into(),
        model: Some("bench".into()),
        backend: "in code".into(),
        corpus: CorpusInfo {
            path: "gold".into(),
            fingerprint: "bench".into(),
            articles: gold.keys().cloned().collect(),
        },
        predictions: None,
        settings: BTreeMap::new(),
        timing: Timing::default(),
    };
    let texts = gold
        .iter()
        .map(|(id, d)| (id.clone(), d.article.clone()))
        .collect();
    Rendering {
        report: Report::new(run, counts, scores, Vec::new()),
        texts,
    }
}

#[library_benchmark]
#[bench::markdown(rendering())]
fn report_markdown(input: Rendering) -> (usize, Rendering) {
    let n = input.report.to_markdown().len() + input.report.to_table().len();
    (n, input)
}

#[library_benchmark]
#[bench::json(rendering())]
fn report_json(input: Rendering) -> (usize, Rendering) {
    (input.report.to_json().len(), input)
}

#[library_benchmark]
#[bench::html(rendering())]
fn report_html(input: Rendering) -> (usize, Rendering) {
    (
        quoteval::html::report_html(&input.report, &input.texts).len(),
        input,
    )
}

library_benchmark_group!(
    name = scorers;
    benchmarks = annotation_scorer, conll_scorer
);
library_benchmark_group!(
    name = extractor;
    benchmarks = quotes_extract, text_tokenize
);
library_benchmark_group!(
    name = reports;
    benchmarks = report_markdown, report_json, report_html
);

main!(
    config = LibraryBenchmarkConfig::default().pass_through_env(inject::VAR);
    library_benchmark_groups = scorers, extractor, reports
);
