//! One encoder against two: the whole pipelines of three models.toml entries over the gold
//! corpus (criterion; needs the `ner` feature and the models from `make setup`):
//!
//!     cargo bench --bench joint
//!
//! - `quoteval-ner-minilm`: the NER model alone plus the rules (one encoder, entities only);
//! - `quoteval-quote-hybrid`: the NER model, then the quote tagger (two encoders);
//! - `quoteval-joint`: the joint model (one encoder, entities and attributions).
//!
//! Each runs as `quoteval eval` runs it (`Backend::annotate`: model, decoding, rules, speakers).
//! Throughput is in the articles' whitespace-separated words, one unit for every entry whatever
//! its models' windows, so criterion's elements/s of two entries compare directly. Environment: QUOTEVAL_BENCH_THREADS
//! (default 2), QUOTEVAL_BENCH_ENTRIES (default the three above, comma-separated).

use criterion::{criterion_group, criterion_main, Criterion};

#[cfg(feature = "ner")]
fn bench(c: &mut Criterion) {
    use std::path::Path;

    use criterion::Throughput;
    use quoteval::app::load_gold;
    use quoteval::models::{ModelsFile, Overrides};

    let env = |k: &str, d: &str| std::env::var(k).unwrap_or_else(|_| d.to_string());
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let threads: usize = env("QUOTEVAL_BENCH_THREADS", "2")
        .parse()
        .expect("QUOTEVAL_BENCH_THREADS is a number");
    quoteval::process::apply(&quoteval::process::Tuning {
        threads: Some(threads),
        keep_freed_memory: true,
    });
    let models = ModelsFile::load(&root.join("models.toml")).expect("models.toml");
    let (corpus, _, _) = load_gold(&root.join("gold")).expect("gold corpus");
    let articles = corpus.articles.clone();
    let entries = env(
        "QUOTEVAL_BENCH_ENTRIES",
        "quoteval-ner-minilm,quoteval-quote-hybrid,quoteval-joint",
    );
    let mut group = c.benchmark_group("pipeline");
    group.sample_size(10);
    for entry in entries.split(',').map(str::trim) {
        let mut backend = models
            .build(entry, &Overrides::default())
            .unwrap_or_else(|e| panic!("{entry}: {e} (run `make setup`)"));
        let docs = backend.annotate(&articles, &mut |_| {}).expect("warm-up");
        let words: u64 = articles
            .iter()
            .map(|a| a.text().split_whitespace().count() as u64)
            .sum();
        eprintln!(
            "pipeline/{entry}: {} articles, {} word pieces (first stage), {} quotes, stages {:?}",
            articles.len(),
            backend.stats().word_pieces,
            docs.iter().map(|d| d.quotes.len()).sum::<usize>(),
            backend
                .stages()
                .iter()
                .map(|s| (s.stage.clone(), s.model.model_tokens))
                .collect::<Vec<_>>()
        );
        group.throughput(Throughput::Elements(words));
        group.bench_function(entry, |b| {
            b.iter(|| backend.annotate(&articles, &mut |_| {}).expect("inference"));
        });
    }
    group.finish();
}

#[cfg(not(feature = "ner"))]
fn bench(_: &mut Criterion) {
    eprintln!("joint bench skipped: built without the `ner` feature");
}

criterion_group!(benches, bench);
criterion_main!(benches);
