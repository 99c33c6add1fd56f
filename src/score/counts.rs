//! Additive counts and the precision / recall / F1 derived from them.
//!
//! Every count here adds up: per-article counts sum to the corpus counts, so a report's totals
//! can be recomputed from its articles, and a bootstrap can resample articles.
//!
//! Zero denominators: a metric whose denominator is zero is 1.0 when the gold and the prediction
//! are both empty (nothing to find, nothing claimed) and 0.0 otherwise. Never NaN.

use std::ops::AddAssign;

use serde::{Deserialize, Serialize};

/// A ratio with the zero-denominator rule above.
fn ratio(num: f64, den: f64, both_empty: bool) -> f64 {
    if den > 0.0 {
        num / den
    } else if both_empty {
        1.0
    } else {
        0.0
    }
}

pub fn f1(precision: f64, recall: f64) -> f64 {
    if precision + recall > 0.0 {
        2.0 * precision * recall / (precision + recall)
    } else {
        0.0
    }
}

/// Precision, recall and F1.
#[derive(Debug, Clone, Copy, PartialEq, Default, Serialize, Deserialize)]
pub struct Prf {
    pub precision: f64,
    pub recall: f64,
    pub f1: f64,
}

impl Prf {
    pub fn new(precision: f64, recall: f64) -> Prf {
        Prf {
            precision,
            recall,
            f1: f1(precision, recall),
        }
    }
}

/// True positives, false positives, false negatives.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct Tally {
    pub tp: u64,
    pub fp: u64,
    #[serde(rename = "fn")]
    pub fn_: u64,
}

impl Tally {
    pub fn prf(&self) -> Prf {
        let empty = self.tp + self.fp + self.fn_ == 0;
        Prf::new(
            ratio(self.tp as f64, (self.tp + self.fp) as f64, empty),
            ratio(self.tp as f64, (self.tp + self.fn_) as f64, empty),
        )
    }
}

impl AddAssign for Tally {
    fn add_assign(&mut self, o: Tally) {
        self.tp += o.tp;
        self.fp += o.fp;
        self.fn_ += o.fn_;
    }
}

/// Correct out of total (an accuracy); 1.0 when there is nothing to judge... except that an
/// accuracy over nothing is reported as `null` by [`Accuracy::value`], so it cannot pass for
/// a perfect score.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct Accuracy {
    pub correct: u64,
    pub total: u64,
}

impl Accuracy {
    pub fn value(&self) -> Option<f64> {
        (self.total > 0).then(|| self.correct as f64 / self.total as f64)
    }

    pub fn add(&mut self, correct: bool) {
        self.total += 1;
        self.correct += correct as u64;
    }
}

impl AddAssign for Accuracy {
    fn add_assign(&mut self, o: Accuracy) {
        self.correct += o.correct;
        self.total += o.total;
    }
}

/// The five SemEval-2013 outcome counts of one schema.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct SchemaCounts {
    pub correct: u64,
    pub incorrect: u64,
    pub partial: u64,
    pub missed: u64,
    pub spurious: u64,
}

impl SchemaCounts {
    /// Gold mentions: correct + incorrect + partial + missed.
    pub fn possible(&self) -> u64 {
        self.correct + self.incorrect + self.partial + self.missed
    }

    /// Predicted mentions: correct + incorrect + partial + spurious.
    pub fn actual(&self) -> u64 {
        self.correct + self.incorrect + self.partial + self.spurious
    }

    /// With `partial_credit` (the partial schema) a partial match counts half, as in nervaluate.
    pub fn prf(&self, partial_credit: bool) -> Prf {
        let hits = self.correct as f64
            + if partial_credit {
                0.5 * self.partial as f64
            } else {
                0.0
            };
        let empty = self.possible() == 0 && self.actual() == 0;
        Prf::new(
            ratio(hits, self.actual() as f64, empty),
            ratio(hits, self.possible() as f64, empty),
        )
    }
}

impl AddAssign for SchemaCounts {
    fn add_assign(&mut self, o: SchemaCounts) {
        self.correct += o.correct;
        self.incorrect += o.incorrect;
        self.partial += o.partial;
        self.missed += o.missed;
        self.spurious += o.spurious;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn empty_inputs_give_defined_values() {
        let none = Tally::default().prf();
        assert_eq!((none.precision, none.recall, none.f1), (1.0, 1.0, 1.0));
        let nothing_predicted = Tally {
            tp: 0,
            fp: 0,
            fn_: 3,
        }
        .prf();
        assert_eq!(
            (
                nothing_predicted.precision,
                nothing_predicted.recall,
                nothing_predicted.f1
            ),
            (0.0, 0.0, 0.0)
        );
        let no_gold = Tally {
            tp: 0,
            fp: 2,
            fn_: 0,
        }
        .prf();
        assert_eq!(
            (no_gold.precision, no_gold.recall, no_gold.f1),
            (0.0, 0.0, 0.0)
        );
        assert_eq!(Accuracy::default().value(), None);
        let s = SchemaCounts::default().prf(true);
        assert_eq!(s.f1, 1.0);
    }

    #[test]
    fn partial_credit_is_half() {
        let c = SchemaCounts {
            correct: 2,
            incorrect: 1,
            partial: 2,
            missed: 1,
            spurious: 2,
        };
        assert_eq!(c.possible(), 6);
        assert_eq!(c.actual(), 7);
        let p = c.prf(true);
        assert!((p.precision - 3.0 / 7.0).abs() < 1e-12);
        assert!((p.recall - 0.5).abs() < 1e-12);
        assert!((c.prf(false).recall - 2.0 / 6.0).abs() < 1e-12);
    }
}

/// Pareti-style partial credit of matched quotes (as QSample and the PARC papers report it),
/// summed over matched pairs: each pair earns its shared characters over the predicted length
/// towards precision and over the gold length towards recall. P = precision credit / predicted
/// quotes, R = recall credit / gold quotes (from the [`Tally`] of the same pairs), with the
/// zero-denominator rule above. Sums of ratios, so additive like every count.
#[derive(Debug, Clone, Copy, PartialEq, Default, Serialize, Deserialize)]
pub struct PartialCredit {
    pub precision_credit: f64,
    pub recall_credit: f64,
}

impl PartialCredit {
    /// Precision, recall and F1 over the predicted and gold quotes of `tally`.
    pub fn prf(&self, tally: &Tally) -> Prf {
        let empty = tally.tp + tally.fp + tally.fn_ == 0;
        Prf::new(
            ratio(self.precision_credit, (tally.tp + tally.fp) as f64, empty),
            ratio(self.recall_credit, (tally.tp + tally.fn_) as f64, empty),
        )
    }

    pub fn add(&mut self, precision: f64, recall: f64) {
        self.precision_credit += precision;
        self.recall_credit += recall;
    }
}

impl AddAssign for PartialCredit {
    fn add_assign(&mut self, o: PartialCredit) {
        self.precision_credit += o.precision_credit;
        self.recall_credit += o.recall_credit;
    }
}
