//! The scorers: the CoNLL chunk scorer on a CoNLL-2003-test-sized input (generated here, so the
//! bench needs no data set; or a real conlleval file from QUOTEVAL_BENCH_CONLL), and the
//! annotation scorer on the gold corpus scored against a degraded copy of itself.

use std::collections::BTreeMap;
use std::path::Path;

use criterion::{criterion_group, criterion_main, BatchSize, Criterion, Throughput};
use quoteval::annotation::Document;
use quoteval::corpus::Corpus;
use quoteval::evaluate::score_corpus;
use quoteval::score::conll::{score_conlleval, ChunkMode, Scheme};

/// A conlleval-format text with the shape of CoNLL-2003 test: 3,453 sentences, 46,435 tokens,
/// about 5,600 entities, and predictions with about 10 % of the tags corrupted (SplitMix64, fixed
/// seed, so every run scores the same input).
fn synthetic_conll() -> (String, usize) {
    let mut state: u64 = 0x5eed;
    let mut next = move || {
        state = state.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = state;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    };
    let types = ["PER", "LOC", "ORG", "MISC"];
    let mut out = String::new();
    let mut tokens = 0;
    for _ in 0..3453 {
        let len = 13 + (next() % 2) as usize;
        let mut gold: Vec<String> = Vec::with_capacity(len);
        let mut i = 0;
        while i < len {
            if next() % 8 == 0 {
                let t = types[(next() % 4) as usize];
                let n = 1 + (next() % 3) as usize;
                for k in 0..n.min(len - i) {
                    gold.push(format!("{}-{t}", if k == 0 { "B" } else { "I" }));
                }
                i += n.min(len - i);
            } else {
                gold.push("O".into());
                i += 1;
            }
        }
        for (k, g) in gold.iter().enumerate() {
            let pred = match next() % 10 {
                0 => format!("I-{}", types[(next() % 4) as usize]),
                1 => "O".to_string(),
                _ => g.clone(),
            };
            out.push_str(&format!("tok{k} NNP I-NP {g} {pred}\n"));
            tokens += 1;
        }
        out.push('\n');
    }
    (out, tokens)
}

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
    let mut group = c.benchmark_group("conll_scorer");
    group.throughput(Throughput::Elements(tokens as u64));
    for (name, mode) in [
        ("lenient", ChunkMode::Lenient),
        ("strict_iob2", ChunkMode::Strict(Scheme::Iob2)),
    ] {
        group.bench_function(format!("conll2003_test_size/{name}"), |b| {
            b.iter(|| {
                score_conlleval(text.as_bytes(), Path::new("bench.conll"), mode)
                    .expect("valid input")
            })
        });
    }
    group.finish();
}

fn annotations(c: &mut Criterion) {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("gold");
    let corpus = Corpus::load(&dir).expect("gold corpus");
    let gold = corpus
        .load_annotations(&dir)
        .expect("gold annotations")
        .docs;
    // A prediction that differs: every other mention and quote dropped.
    let pred: BTreeMap<String, Document> = gold
        .iter()
        .map(|(id, d)| {
            let mut p = d.clone();
            p.mentions = p.mentions.into_iter().step_by(2).collect();
            p.quotes = p.quotes.into_iter().step_by(2).collect();
            (id.clone(), p)
        })
        .collect();
    let mut group = c.benchmark_group("annotation_scorer");
    group.throughput(Throughput::Elements(gold.len() as u64));
    group.bench_function("gold_corpus", |b| {
        b.iter_batched(|| (), |_| score_corpus(&gold, &pred), BatchSize::SmallInput)
    });
    group.finish();
}

criterion_group!(benches, conll, annotations);
criterion_main!(benches);
