//! Speed of the learned quote tagger (`tagger` quote backend; criterion; needs the `ner` feature
//! and the assembled tagger from `make setup`), measured as the `ner` bench measures the NER
//! model, so that the two read side by side:
//!
//!     cargo bench --bench tagger
//!     cargo bench --bench ner -- infer/fp32/8 && cargo bench --bench tagger -- infer/fp32/8
//!
//! Articles: the gold corpus (`gold/`), each with its gold mentions as the entities the rules'
//! speaker resolution is given, so the measurement covers the model, the decoding into
//! attributions and the speakers, as `quoteval eval` runs them. Environment:
//! QUOTEVAL_BENCH_TAGGER (the assembled model directory; default models/quoteval-quote-minilm),
//! QUOTEVAL_BENCH_THREADS (default 2), QUOTEVAL_BENCH_DTYPES (default "fp32,bf16"),
//! QUOTEVAL_BENCH_BATCHES (default "1,8,32"). Throughput is in article word pieces (no window
//! overlap, no [CLS]/[SEP]), so criterion prints pieces/s; `load` times loading the model.

use criterion::{criterion_group, criterion_main, Criterion};

#[cfg(feature = "ner")]
fn bench(c: &mut Criterion) {
    use std::path::{Path, PathBuf};
    use std::sync::Arc;

    use criterion::{BenchmarkId, Throughput};
    use quoteval::annotation::Mention;
    use quoteval::app::load_gold;
    use quoteval::extract::tagger::{Combine, TaggerExtractor, TaggerSettings};
    use quoteval::extract::QuoteExtractor;

    let env = |k: &str, d: &str| std::env::var(k).unwrap_or_else(|_| d.to_string());
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let model = PathBuf::from(env("QUOTEVAL_BENCH_TAGGER", "models/quoteval-quote-minilm"));
    let model = if model.is_absolute() {
        model
    } else {
        root.join(model)
    };
    let threads: usize = env("QUOTEVAL_BENCH_THREADS", "2")
        .parse()
        .expect("QUOTEVAL_BENCH_THREADS is a number");
    quoteval::process::apply(&quoteval::process::Tuning {
        threads: Some(threads),
        keep_freed_memory: true,
    });
    let (corpus, gold, _) = load_gold(&root.join("gold")).expect("gold corpus");
    let articles: Vec<Arc<quoteval::annotation::Article>> = corpus.articles.clone();
    let mentions: Vec<Vec<Mention>> = articles
        .iter()
        .map(|a| {
            gold.get(&a.id)
                .map(|d| d.mentions.clone())
                .unwrap_or_default()
        })
        .collect();
    let settings = |dtype: &str, batch_size: usize| -> TaggerSettings {
        toml::from_str(&format!(
            "path = {:?}\ndtype = {dtype:?}\nbatch_size = {batch_size}\n",
            model.display().to_string()
        ))
        .expect("tagger settings")
    };

    let mut group = c.benchmark_group("tagger");
    group.sample_size(10);
    group.bench_function("load", |b| {
        b.iter(|| {
            TaggerExtractor::load(settings("fp32", 8), Combine::Tagger, root)
                .expect("the tagger loads (run `make setup`)")
        });
    });
    let dtypes = env("QUOTEVAL_BENCH_DTYPES", "fp32,bf16");
    let batches = env("QUOTEVAL_BENCH_BATCHES", "1,8,32");
    for dtype in dtypes.split(',').map(str::trim) {
        for batch_size in batches.split(',').map(|b| {
            b.trim()
                .parse::<usize>()
                .expect("QUOTEVAL_BENCH_BATCHES: numbers")
        }) {
            let mut tagger =
                TaggerExtractor::load(settings(dtype, batch_size), Combine::Tagger, root)
                    .expect("the tagger loads (run `make setup`)");
            let found = tagger.extract_batch(&articles, &mentions).expect("warm-up");
            let stats = tagger.stats();
            eprintln!(
                "tagger/infer/{dtype}/{batch_size}: {} articles, {} word pieces, {} model tokens, {} quotes, {}",
                articles.len(),
                stats.word_pieces,
                stats.model_tokens,
                found.iter().map(|f| f.quotes.len()).sum::<usize>(),
                tagger.describe()
            );
            group.throughput(Throughput::Elements(stats.word_pieces));
            group.bench_with_input(
                BenchmarkId::new(format!("infer/{dtype}"), batch_size),
                &articles,
                |b, articles| {
                    b.iter(|| {
                        tagger
                            .extract_batch(articles, &mentions)
                            .expect("inference")
                    });
                },
            );
        }
    }
    group.finish();
}

#[cfg(not(feature = "ner"))]
fn bench(_: &mut Criterion) {
    eprintln!("tagger bench skipped: built without the `ner` feature");
}

criterion_group!(benches, bench);
criterion_main!(benches);
