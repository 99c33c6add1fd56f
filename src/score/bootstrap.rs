//! Bootstrap over articles: the generator, the percentile rule and a run's own intervals.
//!
//! Counts are additive, so a resample of articles is a sum of their counts and every metric of
//! the catalogue is recomputed from it. `compare` pairs two runs on the same resamples; a single
//! report carries the interval of each headline metric ([`intervals`]), so a user sees what a
//! corpus of this size can tell apart.
//!
//! The random numbers come from SplitMix64 ([`SplitMix64`]), written here, so the same seed gives
//! the same intervals on every machine and with every version of every dependency.

use serde::{Deserialize, Serialize};

use super::catalogue::Quantity;
use super::Counts;

/// The bootstrap interval's coverage.
pub const CONFIDENCE: f64 = 0.95;
/// Resamples and seed of a report's own intervals.
pub const REPORT_RESAMPLES: usize = 1_000;
pub const REPORT_SEED: u64 = 42;

/// SplitMix64 (Steele, Lea, Flood 2014; Vigna's reference constants): a tiny, fast generator
/// with a fixed output sequence for a seed, so bootstrap intervals are reproducible everywhere.
#[derive(Debug, Clone)]
pub struct SplitMix64(u64);

impl SplitMix64 {
    pub fn new(seed: u64) -> SplitMix64 {
        SplitMix64(seed)
    }

    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// A number in `0..n` (Lemire's multiply-shift; the bias, below n / 2^64, is negligible).
    pub fn below(&mut self, n: usize) -> usize {
        ((self.next_u64() as u128 * n as u128) >> 64) as usize
    }
}

/// The `q` quantile of `v` by linear interpolation between order statistics (numpy's default,
/// Hyndman and Fan's type 7). Reorders `v`.
pub fn quantile(v: &mut [f64], q: f64) -> f64 {
    assert!(!v.is_empty());
    let pos = q.clamp(0.0, 1.0) * (v.len() - 1) as f64;
    let i = pos.floor() as usize;
    let frac = pos - i as f64;
    let (_, lo, rest) = v.select_nth_unstable_by(i, f64::total_cmp);
    let lo = *lo;
    if frac == 0.0 || rest.is_empty() {
        return lo;
    }
    let hi = rest.iter().copied().fold(f64::INFINITY, f64::min);
    lo + frac * (hi - lo)
}

/// A 95 % percentile interval of one metric of one run.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct RunInterval {
    pub low: f64,
    pub high: f64,
}

/// The percentile bootstrap over `n` articles, for `count` statistics at once. Resample r draws
/// `n` article indices with `SplitMix64::below(n)`, in order, from one generator seeded with
/// `seed`, and `statistics` gives each statistic's value on those articles (`None`: no value
/// there); the 2.5 and 97.5 percentiles of a statistic's values are its interval, returned with
/// the number of resamples that had a value. `None` where none had.
pub fn percentile_intervals(
    n: usize,
    count: usize,
    resamples: usize,
    seed: u64,
    mut statistics: impl FnMut(&mut dyn Iterator<Item = usize>) -> Vec<Option<f64>>,
) -> Vec<Option<(f64, f64, usize)>> {
    if n == 0 || resamples == 0 {
        return vec![None; count];
    }
    let mut rng = SplitMix64::new(seed);
    let mut values: Vec<Vec<f64>> = (0..count).map(|_| Vec::with_capacity(resamples)).collect();
    for _ in 0..resamples {
        let mut draws = (0..n).map(|_| rng.below(n));
        for (v, x) in values.iter_mut().zip(statistics(&mut draws)) {
            v.extend(x);
        }
    }
    let tail = (1.0 - CONFIDENCE) / 2.0;
    values
        .into_iter()
        .map(|mut v| {
            (!v.is_empty()).then(|| {
                (
                    quantile(&mut v, tail),
                    quantile(&mut v, 1.0 - tail),
                    v.len(),
                )
            })
        })
        .collect()
}

/// The percentile bootstrap of one run ([`percentile_intervals`]): each resample sums its
/// articles' counts and recomputes each metric. `None` where no resample had a value (a layer
/// no article covers).
pub fn intervals(
    rows: &[&Counts],
    metrics: &[&Quantity],
    resamples: usize,
    seed: u64,
) -> Vec<Option<RunInterval>> {
    percentile_intervals(rows.len(), metrics.len(), resamples, seed, |draws| {
        let mut sum = Counts::default();
        for i in draws {
            sum += rows[i];
        }
        metrics.iter().map(|m| m.value(&sum)).collect()
    })
    .into_iter()
    .map(|i| i.map(|(low, high, _)| RunInterval { low, high }))
    .collect()
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;

    use super::*;
    use crate::annotation::{Article, Document, EntityType, Mention, Span};
    use crate::score::{align_document, catalogue};

    /// Counts of an article with one gold PERSON mention, found or not.
    fn article_counts(found: bool) -> Counts {
        let a = Arc::new(Article::new("a", "Putin spoke."));
        let mention = Mention {
            span: Span::new(0, 5),
            entity_type: EntityType::Person,
        };
        let mut gold = Document::empty(a.clone(), "gold");
        gold.mentions = vec![mention.clone()];
        let mut pred = Document::empty(a, "pred");
        if found {
            pred.mentions = vec![mention];
        }
        align_document(&gold, &pred).counts()
    }

    #[test]
    fn agreeing_articles_give_a_point_and_disagreeing_ones_a_spread() {
        let metric = catalogue::get("entities.strict.f1").expect("in the catalogue");
        let hit = article_counts(true);
        let miss = article_counts(false);
        let same = intervals(&[&hit, &hit, &hit], &[metric], 200, 7);
        assert_eq!(
            same,
            vec![Some(RunInterval {
                low: 1.0,
                high: 1.0
            })]
        );
        let rows: Vec<&Counts> = (0..20)
            .map(|i| if i % 2 == 0 { &hit } else { &miss })
            .collect();
        let spread = intervals(&rows, &[metric], 1_000, 7)[0].expect("a value");
        assert!(spread.low < 0.6 && spread.high > 0.7, "{spread:?}");
        assert!(spread.low > 0.3 && spread.high < 0.9, "{spread:?}");
        assert_eq!(intervals(&[], &[metric], 100, 7), vec![None]);
    }
}
