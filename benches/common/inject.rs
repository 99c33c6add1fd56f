//! The test-only slowdown of `scripts/gate-proof.py`: with QUOTEVAL_BENCH_INJECT_SLOWDOWN=F (for
//! example 0.15) the scorer and extractor benchmarks do about F more work per iteration (a
//! measured share of their own work, done again), so that the benchmark gate can be shown to
//! catch a known slowdown. Read here, in bench code, only: src/ never reads it, and without the
//! variable the benchmarks are unchanged (no extra work, not even a branch in the measured loop
//! beyond an `Option` check).

// Each benchmark target uses a part.
#![allow(dead_code)]

use std::collections::BTreeMap;
use std::sync::Arc;
use std::time::Instant;

use quoteval::annotation::{Article, Document};
use quoteval::evaluate::score_corpus;

pub const VAR: &str = "QUOTEVAL_BENCH_INJECT_SLOWDOWN";

/// F of QUOTEVAL_BENCH_INJECT_SLOWDOWN (0 when unset); panics on a value outside [0, 1], so a
/// typo never silently measures nothing.
pub fn fraction() -> f64 {
    match std::env::var(VAR) {
        Err(_) => 0.0,
        Ok(s) => match s.trim().parse::<f64>() {
            Ok(f) if (0.0..=1.0).contains(&f) => f,
            _ => panic!("{VAR}={s:?}: expected a fraction between 0 and 1, e.g. 0.15"),
        },
    }
}

/// The extractor's extra work: the articles' texts joined, cut at the first paragraph break
/// after `fraction` of their bytes, as one article (extraction is linear in the text).
pub fn extractor_extra(articles: &[Arc<Article>], fraction: f64) -> Option<Article> {
    if fraction <= 0.0 {
        return None;
    }
    let joined: String = articles
        .iter()
        .map(|a| a.text())
        .collect::<Vec<_>>()
        .join("\n\n");
    let want = next_char_boundary(&joined, (joined.len() as f64 * fraction) as usize);
    let cut = joined[want..]
        .find("\n\n")
        .map_or(joined.len(), |i| want + i);
    eprintln!(
        "{VAR}: the extractor also runs on {cut} of {} bytes ({:.1} %)",
        joined.len(),
        100.0 * cut as f64 / joined.len() as f64
    );
    Some(Article::new("injected", &joined[..cut]))
}

/// The CoNLL scorer's extra work: the first sentences of `text` up to `fraction` of its lines.
pub fn conll_extra(text: &str, fraction: f64) -> Option<String> {
    if fraction <= 0.0 {
        return None;
    }
    let want = next_char_boundary(text, (text.len() as f64 * fraction) as usize);
    let cut = text[want..]
        .find("\n\n")
        .map_or(text.len(), |i| want + 2 + i);
    Some(text[..cut].to_string())
}

/// The first char boundary of `text` at or after `byte` (its length past the end).
fn next_char_boundary(text: &str, mut byte: usize) -> usize {
    while byte < text.len() && !text.is_char_boundary(byte) {
        byte += 1;
    }
    byte.min(text.len())
}

pub type Docs = BTreeMap<String, Document>;

/// The annotation scorer's extra work: the subset of documents whose scoring time, measured here
/// one document at a time (best of 15 runs each), sums closest to `fraction` of the corpus's.
pub fn scorer_extra(gold: &Docs, pred: &Docs, fraction: f64) -> Option<(Docs, Docs)> {
    if fraction <= 0.0 {
        return None;
    }
    let ids: Vec<&String> = gold.keys().collect();
    let cost: Vec<f64> = ids
        .iter()
        .map(|id| {
            let g: Docs = [((*id).clone(), gold[*id].clone())].into();
            let p: Docs = pred
                .get(*id)
                .map(|d| [((*id).clone(), d.clone())].into())
                .unwrap_or_default();
            (0..15)
                .map(|_| {
                    let t = Instant::now();
                    std::hint::black_box(score_corpus(&g, &p));
                    t.elapsed().as_secs_f64()
                })
                .fold(f64::INFINITY, f64::min)
        })
        .collect();
    let total: f64 = cost.iter().sum();
    // Exhaustive over subsets when few documents (the gold corpus has 13), else a greedy pick.
    let best: Vec<usize> = if ids.len() <= 20 {
        let mask = (1u32..1 << ids.len())
            .min_by(|a, b| {
                let err = |m: u32| {
                    let s: f64 = (0..ids.len())
                        .filter(|i| m >> i & 1 == 1)
                        .map(|i| cost[i])
                        .sum();
                    (s / total - fraction).abs()
                };
                err(*a).total_cmp(&err(*b))
            })
            .expect("at least one document");
        (0..ids.len()).filter(|i| mask >> i & 1 == 1).collect()
    } else {
        let mut order: Vec<usize> = (0..ids.len()).collect();
        order.sort_by(|a, b| cost[*b].total_cmp(&cost[*a]));
        let mut acc = 0.0;
        order
            .into_iter()
            .filter(|i| {
                let take = acc + cost[*i] <= fraction * total;
                acc += if take { cost[*i] } else { 0.0 };
                take
            })
            .collect()
    };
    let share: f64 = best.iter().map(|i| cost[*i]).sum::<f64>() / total;
    eprintln!(
        "{VAR}: the annotation scorer also scores {} of {} documents ({:.1} % of its time)",
        best.len(),
        ids.len(),
        100.0 * share
    );
    let pick = |docs: &Docs| -> Docs {
        best.iter()
            .filter_map(|i| docs.get(ids[*i]).map(|d| (ids[*i].clone(), d.clone())))
            .collect()
    };
    Some((pick(gold), pick(pred)))
}
