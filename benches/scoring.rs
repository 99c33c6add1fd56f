//! The scorers: the CoNLL chunk scorer on a CoNLL-2003-test-sized input (generated here, so the
//! bench needs no data set; or a real conlleval file from QUOTEVAL_BENCH_CONLL), and the
//! annotation scorer on the gold corpus scored against a degraded copy of itself.
//! QUOTEVAL_BENCH_INJECT_SLOWDOWN=F adds about F more work to both (benches/common/inject.rs;
//! scripts/gate-proof.py only).

use std::path::Path;

use criterion::{criterion_group, criterion_main, BatchSize, Criterion, Throughput};
use quoteval::evaluate::score_corpus;
use quoteval::score::conll::{score_conlleval, ChunkMode, Scheme};

mod common {
    pub mod inject;
    pub mod inputs;
}
use common::inputs::{gold_and_degraded, synthetic_conll};

fn conll(c: &mut Criterion) {
    let (text, tokens) = match std::env::var("QUOTEVAL_BENCH_CONLL") {
        Ok(path) => {
            let text =
                std::fs::read_to_string(&path).expect("QUOTEVAL_BENCH_CONLL names a readable file");
            let tokens = text.lines().filter(|l| !l.trim().is_empty()).count();
            (text, tokens)
        }
        Err(_) => synthetic_conll(),
    };
    let extra = common::inject::conll_extra(&text, common::inject::fraction());
    let mut group = c.benchmark_group("conll_scorer");
    group.throughput(Throughput::Elements(tokens as u64));
    for (name, mode) in [
        ("lenient", ChunkMode::Lenient),
        ("strict_iob2", ChunkMode::Strict(Scheme::Iob2)),
    ] {
        group.bench_function(format!("conll2003_test_size/{name}"), |b| {
            b.iter(|| {
                let scored = score_conlleval(text.as_bytes(), Path::new("bench.conll"), mode)
                    .expect("valid input");
                if let Some(extra) = &extra {
                    std::hint::black_box(
                        score_conlleval(extra.as_bytes(), Path::new("bench.conll"), mode)
                            .expect("valid input"),
                    );
                }
                scored
            })
        });
    }
    group.finish();
}

fn annotations(c: &mut Criterion) {
    let (gold, pred) = gold_and_degraded();
    let extra = common::inject::scorer_extra(&gold, &pred, common::inject::fraction());
    let mut group = c.benchmark_group("annotation_scorer");
    group.throughput(Throughput::Elements(gold.len() as u64));
    group.bench_function("gold_corpus", |b| {
        b.iter_batched(
            || (),
            |_| {
                let scored = score_corpus(&gold, &pred);
                if let Some((g, p)) = &extra {
                    std::hint::black_box(score_corpus(g, p));
                }
                scored
            },
            BatchSize::SmallInput,
        )
    });
    group.finish();
}

criterion_group!(benches, conll, annotations);
criterion_main!(benches);
