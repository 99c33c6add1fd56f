//! Per-type entity counts as nervaluate 1.x defines them (`Evaluator.evaluate`, 1.2.1): each type
//! is scored on its own, the gold and the prediction both filtered to that type, and each schema
//! runs its own greedy matching, predictions in text order against the gold mentions not yet
//! used. So a gold ORG predicted as PLACE is a missed ORG and a spurious PLACE here, while the
//! overall (micro) counts, from the one alignment of [`crate::align::align_mentions`], call it one
//! incorrect mention. seqeval's per-type figures follow the same filtering.
//!
//! nervaluate's spans have inclusive ends and count an overlap of at least
//! `min_overlap_percentage` (1 %, its default) of the gold span; here spans are half-open char
//! spans, so the shared characters are the overlap.

use crate::annotation::{EntityType, Mention};

use super::counts::SchemaCounts;
use super::SchemaSet;

/// The four schemas' counts of one type in one article, nervaluate's way.
pub fn type_counts(gold: &[Mention], pred: &[Mention], entity_type: EntityType) -> SchemaSet {
    let gold: Vec<&Mention> = gold
        .iter()
        .filter(|m| m.entity_type == entity_type)
        .collect();
    let pred: Vec<&Mention> = pred
        .iter()
        .filter(|m| m.entity_type == entity_type)
        .collect();
    SchemaSet {
        strict: strict(&gold, &pred),
        exact: exact(&gold, &pred),
        partial: partial(&gold, &pred),
        entity_type: ent_type(&gold, &pred),
    }
}

/// nervaluate's `_has_sufficient_overlap` at its default 1 %: the shared characters are at
/// least 1 % of the gold mention (computed as it does, in floating point).
fn overlaps(pred: &Mention, gold: &Mention) -> bool {
    let shared = pred.span.overlap(&gold.span);
    shared > 0 && (shared as f64 / gold.span.len() as f64) * 100.0 >= MIN_OVERLAP_PERCENTAGE
}

const MIN_OVERLAP_PERCENTAGE: f64 = 1.0;

fn same_span(a: &Mention, b: &Mention) -> bool {
    a.span == b.span
}

/// The gold mentions no prediction matched are missed.
fn finish(mut c: SchemaCounts, used: &[bool]) -> SchemaCounts {
    c.missed += used.iter().filter(|u| !**u).count() as u64;
    c
}

/// `StrictEvaluation`: same span and label is correct; else the first unused overlapping gold
/// mention makes it incorrect (and is used up); else spurious.
fn strict(gold: &[&Mention], pred: &[&Mention]) -> SchemaCounts {
    exact_else_first_overlap(gold, pred, |g, p| {
        g.entity_type == p.entity_type && same_span(g, p)
    })
}

/// `ExactEvaluation`: as strict, with the label not looked at.
fn exact(gold: &[&Mention], pred: &[&Mention]) -> SchemaCounts {
    exact_else_first_overlap(gold, pred, same_span)
}

/// The loop strict and exact share: each prediction, in order, takes the first unused gold
/// mention that `matches` it (correct); failing that, the first unused one it overlaps
/// (incorrect, scanned before the match was found); else it is spurious.
fn exact_else_first_overlap(
    gold: &[&Mention],
    pred: &[&Mention],
    matches: impl Fn(&Mention, &Mention) -> bool,
) -> SchemaCounts {
    let mut used = vec![false; gold.len()];
    let mut c = SchemaCounts::default();
    for p in pred {
        let mut incorrect = None;
        let mut matched = false;
        for (g, gm) in gold.iter().enumerate() {
            if used[g] {
                continue;
            }
            if matches(gm, p) {
                c.correct += 1;
                used[g] = true;
                matched = true;
                break;
            }
            if incorrect.is_none() && overlaps(p, gm) {
                incorrect = Some(g);
            }
        }
        if !matched {
            match incorrect {
                Some(g) => {
                    c.incorrect += 1;
                    used[g] = true;
                }
                None => c.spurious += 1,
            }
        }
    }
    finish(c, &used)
}

/// `PartialEvaluation`: among overlapping unused gold mentions, the same span is correct;
/// otherwise the first overlapping one makes it partial; else spurious.
fn partial(gold: &[&Mention], pred: &[&Mention]) -> SchemaCounts {
    let mut used = vec![false; gold.len()];
    let mut c = SchemaCounts::default();
    for p in pred {
        let mut first_partial = None;
        let mut matched = false;
        for (g, gm) in gold.iter().enumerate() {
            if used[g] || !overlaps(p, gm) {
                continue;
            }
            if same_span(gm, p) {
                c.correct += 1;
                used[g] = true;
                matched = true;
                break;
            }
            if first_partial.is_none() {
                first_partial = Some(g);
            }
        }
        if !matched {
            match first_partial {
                Some(g) => {
                    c.partial += 1;
                    used[g] = true;
                }
                None => c.spurious += 1,
            }
        }
    }
    finish(c, &used)
}

/// `EntityTypeEvaluation`: among overlapping unused gold mentions of the same label, the one with
/// the closest boundaries (first on ties) is correct; otherwise the first overlapping one of
/// another label makes it incorrect; else spurious.
fn ent_type(gold: &[&Mention], pred: &[&Mention]) -> SchemaCounts {
    let mut used = vec![false; gold.len()];
    let mut c = SchemaCounts::default();
    for p in pred {
        let mut best: Option<(usize, usize)> = None;
        let mut incorrect = None;
        for (g, gm) in gold.iter().enumerate() {
            if used[g] || !overlaps(p, gm) {
                continue;
            }
            if gm.entity_type == p.entity_type {
                let distance =
                    p.span.start.abs_diff(gm.span.start) + p.span.end.abs_diff(gm.span.end);
                if best.map_or(true, |(_, d)| distance < d) {
                    best = Some((g, distance));
                }
            } else if incorrect.is_none() {
                incorrect = Some(g);
            }
        }
        match (best, incorrect) {
            (Some((g, _)), _) => {
                c.correct += 1;
                used[g] = true;
            }
            (None, Some(g)) => {
                c.incorrect += 1;
                used[g] = true;
            }
            (None, None) => c.spurious += 1,
        }
    }
    finish(c, &used)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::annotation::Span;
    use EntityType::{Org, Person, Place};

    fn m(start: usize, end: usize, t: EntityType) -> Mention {
        Mention {
            span: Span::new(start, end),
            entity_type: t,
        }
    }

    /// A gold ORG predicted as PLACE: a missed ORG and a spurious PLACE, in every schema.
    #[test]
    fn a_wrong_type_is_a_miss_of_one_type_and_a_spurious_of_the_other() {
        let gold = [m(0, 5, Org)];
        let pred = [m(0, 5, Place)];
        let org = type_counts(&gold, &pred, Org);
        let place = type_counts(&gold, &pred, Place);
        for c in [org.strict, org.exact, org.partial, org.entity_type] {
            assert_eq!((c.missed, c.spurious, c.correct), (1, 0, 0));
        }
        for c in [place.strict, place.exact, place.partial, place.entity_type] {
            assert_eq!((c.missed, c.spurious, c.correct), (0, 1, 0));
        }
    }

    #[test]
    fn overlaps_are_matched_greedily_in_prediction_order() {
        // Two predictions overlap one gold mention: the first takes it, the second is spurious.
        let gold = [m(0, 10, Person)];
        let pred = [m(0, 4, Person), m(2, 10, Person)];
        let c = type_counts(&gold, &pred, Person);
        assert_eq!(
            (c.strict.incorrect, c.strict.spurious, c.strict.missed),
            (1, 1, 0)
        );
        assert_eq!((c.partial.partial, c.partial.spurious), (1, 1));
        // ent_type: the first prediction overlapping with the same label is correct.
        assert_eq!((c.entity_type.correct, c.entity_type.spurious), (1, 1));
        // Touching spans (half-open) share no character: no overlap.
        let c = type_counts(&[m(0, 5, Person)], &[m(5, 9, Person)], Person);
        assert_eq!((c.strict.missed, c.strict.spurious), (1, 1));
    }

    #[test]
    fn ent_type_prefers_the_closest_boundaries() {
        let gold = [m(0, 20, Place), m(5, 9, Place)];
        let pred = [m(4, 9, Place)];
        let c = type_counts(&gold, &pred, Place);
        // The second gold mention is closer (distance 1 against 15): the first one is missed.
        assert_eq!((c.entity_type.correct, c.entity_type.missed), (1, 1));
    }
}
