//! The items whose outcome changed between the two runs.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use super::*;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Direction {
    Improved,
    Regressed,
    /// Another outcome of the same worth (a boundary error became a type error), or a gold item
    /// only one report has (the gold changed).
    Changed,
}

/// One item whose outcome differs between the runs. `base` / `candidate` is `None` where that
/// run has no such item (a spurious prediction only the other run made).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Change {
    pub layer: Layer,
    pub label: String,
    pub direction: Direction,
    /// A few words: "found", "lost", "speaker fixed", "new spurious", …
    pub what: String,
    pub base: Option<Outcome>,
    pub candidate: Option<Outcome>,
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub gold: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub base_pred: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub candidate_pred: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub span: Option<Span>,
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub line: Option<usize>,
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub context: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub base_detail: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub candidate_detail: Option<String>,
}

impl Change {
    /// The text a listing shows: the gold item's, else what a run predicted.
    pub(super) fn shown_text(&self) -> &str {
        self.gold
            .as_deref()
            .or(self.candidate_pred.as_deref())
            .or(self.base_pred.as_deref())
            .unwrap_or("")
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ArticleChanges {
    pub id: String,
    pub changes: Vec<Change>,
}

#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct ChangeSummary {
    pub improved: usize,
    pub regressed: usize,
    pub changed: usize,
    /// Articles with at least one change; the others are left out.
    pub articles: Vec<ArticleChanges>,
}

/// Worth of a gold item's outcome: found right, found with an error, not found.
pub(super) fn worth(o: Outcome) -> u8 {
    match o {
        Outcome::Correct => 2,
        Outcome::WrongType | Outcome::Boundary | Outcome::WrongSpeaker => 1,
        Outcome::Missed | Outcome::Spurious | Outcome::NotInArticle => 0,
    }
}

/// (layer, label, gold-side?, text, span): gold-side items by their gold text and span,
/// spurious ones by their predicted text and span.
type ItemKey = (Layer, String, bool, String, Option<Span>);

pub(super) fn item_key(item: &Item) -> ItemKey {
    match &item.gold {
        Some(g) => (item.layer, item.label.clone(), true, g.clone(), item.span),
        None => (
            item.layer,
            item.label.clone(),
            false,
            item.pred.clone().unwrap_or_default(),
            item.span,
        ),
    }
}

pub(super) fn describe(
    gold_side: bool,
    base: Option<Outcome>,
    cand: Option<Outcome>,
) -> (Direction, String) {
    match (gold_side, base, cand) {
        (false, None, Some(_)) => (Direction::Regressed, "new spurious".into()),
        (false, Some(_), None) => (Direction::Improved, "spurious removed".into()),
        (true, Some(b), Some(c)) => {
            let what = match (b, c) {
                (Outcome::Missed, Outcome::Correct) => "found".to_string(),
                (Outcome::Correct, Outcome::Missed) => "lost".to_string(),
                (Outcome::WrongSpeaker, Outcome::Correct) => "speaker fixed".to_string(),
                (Outcome::Correct, Outcome::WrongSpeaker) => "wrong speaker introduced".to_string(),
                (Outcome::Missed, Outcome::WrongSpeaker) => "found, wrong speaker".to_string(),
                (Outcome::WrongSpeaker, Outcome::Missed) => "lost (had wrong speaker)".to_string(),
                (b, c) => format!("{} -> {}", b.words(), c.words()),
            };
            let dir = match worth(c).cmp(&worth(b)) {
                std::cmp::Ordering::Greater => Direction::Improved,
                std::cmp::Ordering::Less => Direction::Regressed,
                std::cmp::Ordering::Equal => Direction::Changed,
            };
            (dir, what)
        }
        (true, None, Some(_)) => (
            Direction::Changed,
            "gold item only in the candidate's report".into(),
        ),
        (true, Some(_), None) => (
            Direction::Changed,
            "gold item only in the base's report".into(),
        ),
        // Same outcome in both, or absent from both: not a change (never called so).
        _ => (Direction::Changed, String::new()),
    }
}

/// The items whose outcome differs between two scorings of one article.
pub fn changed_items(base: &ArticleScore, cand: &ArticleScore) -> Vec<Change> {
    let mut by_key: BTreeMap<ItemKey, (Vec<&Item>, Vec<&Item>)> = BTreeMap::new();
    for item in &base.items {
        by_key.entry(item_key(item)).or_default().0.push(item);
    }
    for item in &cand.items {
        by_key.entry(item_key(item)).or_default().1.push(item);
    }
    let mut out = Vec::new();
    for (key, (bs, cs)) in by_key {
        for i in 0..bs.len().max(cs.len()) {
            let (b, c) = (bs.get(i).copied(), cs.get(i).copied());
            let (bo, co) = (b.map(|x| x.outcome), c.map(|x| x.outcome));
            if bo == co {
                continue;
            }
            let (direction, what) = describe(key.2, bo, co);
            let anchor = c.or(b).expect("one side has the item");
            out.push(Change {
                layer: key.0,
                label: key.1.clone(),
                direction,
                what,
                base: bo,
                candidate: co,
                gold: anchor.gold.clone(),
                base_pred: b.and_then(|x| x.pred.clone()),
                candidate_pred: c.and_then(|x| x.pred.clone()),
                span: anchor.span,
                line: anchor.line,
                context: anchor.context.clone(),
                base_detail: b.and_then(|x| x.detail.clone()),
                candidate_detail: c.and_then(|x| x.detail.clone()),
            });
        }
    }
    out.sort_by_key(|c| (c.line.unwrap_or(usize::MAX), c.layer, c.span, c.direction));
    out
}
