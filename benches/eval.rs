//! The whole `eval` pipeline per article: the default model of models.toml (NER, quotes,
//! places) over one article, then scoring against its gold; and over the whole gold corpus.
//! The model is loaded once, outside the measurement (`ner` bench measures loading).
//! QUOTEVAL_BENCH_MODEL names another models.toml entry.

use std::collections::BTreeMap;
use std::path::Path;

use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use quoteval::app::load_gold;
use quoteval::evaluate::score_corpus;
use quoteval::models::{ModelsFile, Overrides};

fn eval_pipeline(c: &mut Criterion) {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let models = ModelsFile::load(&root.join("models.toml")).expect("models.toml");
    let name = std::env::var("QUOTEVAL_BENCH_MODEL").unwrap_or_else(|_| models.default.clone());
    let (corpus, gold, _) = load_gold(&root.join("gold")).expect("gold corpus");
    // As `quoteval eval` does: the executable makes the process-wide choices.
    quoteval::process::apply(
        &models
            .tuning(&name, &Overrides::default())
            .expect("the entry exists"),
    );
    let mut backend = models
        .build(&name, &Overrides::default())
        .expect("the model builds (run `make setup`)");

    let mut group = c.benchmark_group("eval_pipeline");
    group.sample_size(10);
    group.throughput(Throughput::Elements(1));
    for article in &corpus.articles {
        let one = std::slice::from_ref(article);
        let gold_one: BTreeMap<_, _> = gold
            .iter()
            .filter(|(id, _)| *id == &article.id)
            .map(|(k, v)| (k.clone(), v.clone()))
            .collect();
        group.bench_function(format!("article/{}", article.id), |b| {
            b.iter(|| {
                let docs = backend.annotate(one, &mut |_| {}).expect("annotate");
                let pred = docs.into_iter().map(|d| (d.id().to_string(), d)).collect();
                score_corpus(&gold_one, &pred)
            })
        });
    }
    group.throughput(Throughput::Elements(corpus.articles.len() as u64));
    group.bench_function("corpus", |b| {
        b.iter(|| {
            let docs = backend
                .annotate(&corpus.articles, &mut |_| {})
                .expect("annotate");
            let pred = docs.into_iter().map(|d| (d.id().to_string(), d)).collect();
            score_corpus(&gold, &pred)
        })
    });
    group.finish();
}

criterion_group!(benches, eval_pipeline);
criterion_main!(benches);
