//! The scorers' inputs, shared by `benches/scoring.rs` (wall clock) and
//! `benches/instructions.rs` (instruction counts): a conlleval-format text with the shape of
//! CoNLL-2003 test, generated (no data set needed), and the gold corpus with a degraded copy.

use std::collections::BTreeMap;
use std::path::Path;

use quoteval::annotation::Document;

/// A conlleval-format text with the shape of CoNLL-2003 test: 3,453 sentences, 46,435 tokens,
/// about 5,600 entities, and predictions with about 10 % of the tags corrupted (SplitMix64, fixed
/// seed, so every run scores the same input).
pub fn synthetic_conll() -> (String, usize) {
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

/// The gold corpus of this crate (`gold/`) and a prediction that differs from it: every other
/// mention and quote dropped. The input of the annotation scorer's benchmarks.
pub fn gold_and_degraded() -> (BTreeMap<String, Document>, BTreeMap<String, Document>) {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("gold");
    let corpus = quoteval::corpus::Corpus::load(&dir).expect("gold corpus");
    let gold = corpus
        .load_annotations(&dir)
        .expect("gold annotations")
        .docs;
    let pred = gold
        .iter()
        .map(|(id, d)| {
            let mut p = d.clone();
            p.mentions = p.mentions.into_iter().step_by(2).collect();
            p.quotes = p.quotes.into_iter().step_by(2).collect();
            (id.clone(), p)
        })
        .collect();
    (gold, pred)
}
