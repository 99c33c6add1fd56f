//! Speed of the rule-based quote extractor (criterion).
//!
//!     cargo bench --no-default-features --bench quotes
//!     QUOTEVAL_BENCH_ARTICLES=/path/to/texts cargo bench --no-default-features --bench quotes
//!
//!     QUOTEVAL_BENCH_SIZES=100K,1M,5M,20M cargo bench --no-default-features --bench quotes -- scale
//!
//! Articles: every `*.txt` of QUOTEVAL_BENCH_ARTICLES (default: the gold corpus, `gold/`).
//! Throughput is in article bytes. Groups: `extract` (the whole extractor, no NER mentions),
//! `text` (quotation marks, tokens and sentences only), `brat` (writing the extractor's
//! output as brat standoff and reading it back), `scale` (the whole extractor on one long
//! article, the gold corpus repeated to each size of QUOTEVAL_BENCH_SIZES with its gold
//! mentions as the entities given; default 100K and 1M, to keep the default run short).
//! QUOTEVAL_BENCH_INJECT_SLOWDOWN=F makes `extract` do about F more work (benches/common/
//! inject.rs; scripts/gate-proof.py only).

use std::path::{Path, PathBuf};
use std::sync::Arc;

use criterion::{criterion_group, criterion_main, Criterion, Throughput};

use quoteval::annotation::{Article, Document};
use quoteval::extract::quotes::RulesExtractor;
use quoteval::format::brat::{from_brat, to_brat};
use quoteval::text::Text;

mod common {
    pub mod inject;
    pub mod synthetic;
}
use common::synthetic::{gold_pieces, parse_size, synthetic};

fn articles() -> Vec<Arc<Article>> {
    let dir = std::env::var("QUOTEVAL_BENCH_ARTICLES")
        .map(PathBuf::from)
        .unwrap_or_else(|_| Path::new(env!("CARGO_MANIFEST_DIR")).join("gold"));
    let mut paths: Vec<PathBuf> = std::fs::read_dir(&dir)
        .map(|rd| {
            rd.filter_map(|e| e.ok().map(|e| e.path()))
                .filter(|p| p.extension().is_some_and(|x| x == "txt"))
                .collect()
        })
        .unwrap_or_default();
    paths.sort();
    let mut out: Vec<Arc<Article>> = paths
        .iter()
        .filter_map(|p| {
            let text = std::fs::read_to_string(p).ok()?;
            Some(Arc::new(Article::new(
                p.file_stem()?.to_string_lossy(),
                text,
            )))
        })
        .collect();
    if out.is_empty() {
        eprintln!("no articles in {}; using a built-in sample", dir.display());
        let sample = "Russian President Vladimir Putin said that several proposals were unacceptable. “We went through virtually every point,” Putin told India Today. “Some we can discuss, others we cannot agree to.” According to an official, talks resume on Thursday.\n";
        out.push(Arc::new(Article::new("sample", sample.repeat(20))));
    }
    out
}

fn bench(c: &mut Criterion) {
    let articles = articles();
    let bytes: u64 = articles.iter().map(|a| a.text().len() as u64).sum();
    let extractor = RulesExtractor::default();
    let extra = common::inject::extractor_extra(&articles, common::inject::fraction());

    let mut g = c.benchmark_group("quotes");
    g.throughput(Throughput::Bytes(bytes));
    g.bench_function("extract", |b| {
        b.iter(|| {
            let found = articles
                .iter()
                .map(|a| extractor.extract(a, &[]).quotes.len())
                .sum::<usize>();
            if let Some(extra) = &extra {
                std::hint::black_box(extractor.extract(extra, &[]));
            }
            found
        })
    });
    g.bench_function("text", |b| {
        b.iter(|| {
            articles
                .iter()
                .map(|a| Text::new(a).sentences.len())
                .sum::<usize>()
        })
    });
    let docs: Vec<Document> = articles
        .iter()
        .map(|a| {
            let found = extractor.extract(a, &[]);
            let mut d = Document::empty(a.clone(), "model rules");
            d.quotes = found.quotes;
            d.speakers = found.speakers;
            d.sort();
            d
        })
        .collect();
    g.bench_function("brat", |b| {
        b.iter(|| {
            docs.iter()
                .map(|d| {
                    from_brat(d.article.clone(), &to_brat(d), Path::new("bench.ann"))
                        .map(|x| x.quotes.len())
                        .unwrap_or(0)
                })
                .sum::<usize>()
        })
    });
    g.finish();
}

/// The extractor on one long article per size: linear in the article's length (a quadratic
/// step shows as throughput falling with size).
fn scale(c: &mut Criterion) {
    let sizes: Vec<usize> = std::env::var("QUOTEVAL_BENCH_SIZES")
        .unwrap_or_else(|_| "100K,1M".into())
        .split(',')
        .map(|s| parse_size(s).unwrap_or_else(|| panic!("QUOTEVAL_BENCH_SIZES: not a size: {s}")))
        .collect();
    let pieces = gold_pieces();
    let extractor = RulesExtractor::default();
    let mut g = c.benchmark_group("scale");
    g.sample_size(10);
    for size in sizes {
        let (article, mentions) = synthetic(&pieces, size);
        g.throughput(Throughput::Bytes(article.text().len() as u64));
        g.bench_function(format!("extract/{size}"), |b| {
            b.iter(|| extractor.extract(&article, &mentions).quotes.len())
        });
    }
    g.finish();
}

criterion_group!(benches, bench, scale);
criterion_main!(benches);
