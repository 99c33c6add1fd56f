//! The paired bootstrap over articles of every metric's delta.

use serde::{Deserialize, Serialize};

use super::*;

/// A bootstrap percentile interval of a delta (candidate - base).
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Interval {
    pub low: f64,
    pub high: f64,
    /// The interval excludes 0.
    pub significant: bool,
    /// Resamples in which both runs had a value (all of them unless a layer is covered by only
    /// some articles).
    pub resamples: usize,
}

/// The paired bootstrap: `rows[i]` holds article i's counts in the base run and in the
/// candidate. Resample r draws `n` article indices with `SplitMix64::below(n)`, in order, from
/// one generator seeded with `seed`, sums both runs' counts over them (counts are additive) and
/// recomputes every metric from the catalogue.
pub(super) fn paired_bootstrap(
    rows: &[(Counts, Counts)],
    metrics: &[&Quantity],
    resamples: usize,
    seed: u64,
) -> Vec<Option<Interval>> {
    crate::score::bootstrap::percentile_intervals(
        rows.len(),
        metrics.len(),
        resamples,
        seed,
        |draws| {
            let (mut base, mut cand) = (Counts::default(), Counts::default());
            for i in draws {
                base += &rows[i].0;
                cand += &rows[i].1;
            }
            metrics
                .iter()
                .map(|m| Some(m.value(&cand)? - m.value(&base)?))
                .collect()
        },
    )
    .into_iter()
    .map(|i| {
        i.map(|(low, high, resamples)| Interval {
            low,
            high,
            significant: low > 0.0 || high < 0.0,
            resamples,
        })
    })
    .collect()
}
