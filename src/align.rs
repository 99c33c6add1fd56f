//! Matching a prediction to the gold, item by item. Every scorer counts from these alignments,
//! and the error lists print them, so a number in a report can always be traced to items.
//!
//! All matchings are one-to-one: a gold item is credited to at most one prediction, so extra
//! predictions over the same gold item count as spurious (nervaluate and seqeval let several
//! predictions claim one gold entity; we do not, which keeps counts additive and honest).

use std::collections::BTreeSet;

use serde::{Deserialize, Serialize};
use unicode_normalization::char::is_combining_mark;
use unicode_normalization::UnicodeNormalization;

use crate::annotation::{Document, Layer, Mention, NamedEntity, Quote, QuoteKind};

/// How a predicted mention relates to the gold mention it was paired with (SemEval-2013 task
/// 9.1 categories, as in nervaluate).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum MentionOutcome {
    /// Same span, same type.
    Exact,
    /// Same span, other type.
    WrongType,
    /// Overlapping span, same type.
    Boundary,
    /// Overlapping span, other type.
    BoundaryAndType,
    /// A gold mention no prediction overlaps.
    Missed,
    /// A prediction that overlaps no (unpaired) gold mention.
    Spurious,
}

#[derive(Debug, Clone, PartialEq)]
pub struct MentionPair {
    pub gold: Option<Mention>,
    pub pred: Option<Mention>,
    pub outcome: MentionOutcome,
}

/// Pairs predicted with gold mentions: identical spans first, then the largest overlaps.
pub fn align_mentions(gold: &[Mention], pred: &[Mention]) -> Vec<MentionPair> {
    let mut gold_used = vec![false; gold.len()];
    let mut pred_used = vec![false; pred.len()];
    let mut pairs = Vec::new();

    for (p, pm) in pred.iter().enumerate() {
        // Prefer a same-type gold mention when two gold mentions share the span.
        let candidates = gold
            .iter()
            .enumerate()
            .filter(|(g, gm)| !gold_used[*g] && gm.span == pm.span);
        if let Some((g, gm)) = candidates.min_by_key(|(_, gm)| gm.entity_type != pm.entity_type) {
            gold_used[g] = true;
            pred_used[p] = true;
            let outcome = if gm.entity_type == pm.entity_type {
                MentionOutcome::Exact
            } else {
                MentionOutcome::WrongType
            };
            pairs.push(MentionPair {
                gold: Some(gm.clone()),
                pred: Some(pm.clone()),
                outcome,
            });
        }
    }

    let mut overlaps: Vec<(usize, usize, usize)> = Vec::new();
    for (g, gm) in gold.iter().enumerate().filter(|(g, _)| !gold_used[*g]) {
        for (p, pm) in pred.iter().enumerate().filter(|(p, _)| !pred_used[*p]) {
            let o = gm.span.overlap(&pm.span);
            if o > 0 {
                overlaps.push((o, g, p));
            }
        }
    }
    overlaps.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(&b.1)).then(a.2.cmp(&b.2)));
    for (_, g, p) in overlaps {
        if gold_used[g] || pred_used[p] {
            continue;
        }
        gold_used[g] = true;
        pred_used[p] = true;
        let (gm, pm) = (&gold[g], &pred[p]);
        let outcome = if gm.entity_type == pm.entity_type {
            MentionOutcome::Boundary
        } else {
            MentionOutcome::BoundaryAndType
        };
        pairs.push(MentionPair {
            gold: Some(gm.clone()),
            pred: Some(pm.clone()),
            outcome,
        });
    }

    for (g, gm) in gold.iter().enumerate().filter(|(g, _)| !gold_used[*g]) {
        let _ = g;
        pairs.push(MentionPair {
            gold: Some(gm.clone()),
            pred: None,
            outcome: MentionOutcome::Missed,
        });
    }
    for (p, pm) in pred.iter().enumerate().filter(|(p, _)| !pred_used[*p]) {
        let _ = p;
        pairs.push(MentionPair {
            gold: None,
            pred: Some(pm.clone()),
            outcome: MentionOutcome::Spurious,
        });
    }
    pairs.sort_by_key(|pair| pair.gold.as_ref().or(pair.pred.as_ref()).map(|m| m.span));
    pairs
}

/// When a predicted quote counts as finding a gold quote.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub enum QuoteThreshold {
    /// Identical content: the same fragments.
    Exact,
    /// The content characters the two share, divided by the gold quote's content length, above
    /// this value.
    Overlap(f64),
}

impl QuoteThreshold {
    /// The thresholds every report carries: the Gender Gap Tracker's 0.3 and 0.8, and exact.
    pub const REPORTED: [QuoteThreshold; 3] = [
        QuoteThreshold::Overlap(0.3),
        QuoteThreshold::Overlap(0.8),
        QuoteThreshold::Exact,
    ];

    pub fn name(&self) -> String {
        match self {
            QuoteThreshold::Exact => "exact".into(),
            QuoteThreshold::Overlap(t) => format!("{t}"),
        }
    }

    /// The score a pair is ranked by when this threshold accepts it, else `None`.
    fn score(&self, gold: &Quote, pred: &Quote) -> Option<f64> {
        match self {
            QuoteThreshold::Exact => (gold.pieces() == pred.pieces()).then_some(1.0),
            QuoteThreshold::Overlap(t) => {
                let r = overlap_ratio(gold, pred);
                (r > *t).then_some(r)
            }
        }
    }
}

/// Content characters shared over the gold content's length (0 for an empty gold quote). Only
/// the characters of the fragments count, never the text between them.
pub fn overlap_ratio(gold: &Quote, pred: &Quote) -> f64 {
    let len = gold.content_len();
    if len == 0 {
        return 0.0;
    }
    gold.shared_chars(pred) as f64 / len as f64
}

/// Predicted content characters shared with the gold over the prediction's content length (0 for
/// an empty prediction): the precision side of the Pareti-style partial score.
pub fn overlap_of_pred(gold: &Quote, pred: &Quote) -> f64 {
    let len = pred.content_len();
    if len == 0 {
        return 0.0;
    }
    gold.shared_chars(pred) as f64 / len as f64
}

/// A gold quote and the prediction it was matched with, with the speaker verdicts.
#[derive(Debug, Clone, PartialEq)]
pub struct QuotePair {
    pub gold: usize,
    pub pred: usize,
    /// Shared content characters over the gold content's length.
    pub ratio: f64,
    /// Shared content characters over the prediction's content length.
    pub pred_ratio: f64,
    /// `None` when the gold quote has no resolved speaker.
    pub speaker_by_name: Option<bool>,
    /// See [`speaker_mention_matches`]: `None` when the gold quote has a resolved speaker but
    /// no mention span.
    pub speaker_by_mention: Option<bool>,
}

#[derive(Debug, Clone, PartialEq, Default)]
pub struct QuoteAlignment {
    pub pairs: Vec<QuotePair>,
    /// Indices of gold quotes left unmatched.
    pub missed: Vec<usize>,
    /// Indices of predicted quotes left unmatched.
    pub spurious: Vec<usize>,
}

/// One-to-one matching of predicted to gold quotes as the Gender Gap Tracker's evaluation does
/// it (and `polnear_quotes_score.py`, which the parity script checks us against): gold quotes in
/// text order each take the still-unmatched prediction with the highest overlap ratio above the
/// threshold (ties: the earlier prediction). Restricted to one kind when `kind` is given.
pub fn align_quotes(
    gold: &Document,
    pred: &Document,
    threshold: QuoteThreshold,
    kind: Option<QuoteKind>,
) -> QuoteAlignment {
    align_quotes_where(gold, pred, threshold, |k| {
        kind.map_or(true, |want| k == want)
    })
}

/// [`align_quotes`] over the gold and predicted quotes whose kind `keep` accepts (quoted speech:
/// direct and mixed together).
pub fn align_quotes_where(
    gold: &Document,
    pred: &Document,
    threshold: QuoteThreshold,
    keep: impl Fn(QuoteKind) -> bool,
) -> QuoteAlignment {
    let of_kind = |q: &Quote| keep(q.kind);
    let gold_idx: Vec<usize> = (0..gold.quotes.len())
        .filter(|&i| of_kind(&gold.quotes[i]))
        .collect();
    let pred_idx: Vec<usize> = (0..pred.quotes.len())
        .filter(|&i| of_kind(&pred.quotes[i]))
        .collect();

    let mut gold_used = vec![false; gold.quotes.len()];
    let mut pred_used = vec![false; pred.quotes.len()];
    let mut alignment = QuoteAlignment::default();
    for &g in &gold_idx {
        let gq = &gold.quotes[g];
        let mut best: Option<(f64, usize)> = None;
        for &p in pred_idx.iter().filter(|&&p| !pred_used[p]) {
            if let Some(score) = threshold.score(gq, &pred.quotes[p]) {
                if best.map_or(true, |(b, _)| score > b) {
                    best = Some((score, p));
                }
            }
        }
        let Some((_, p)) = best else { continue };
        gold_used[g] = true;
        pred_used[p] = true;
        let pq = &pred.quotes[p];
        alignment.pairs.push(QuotePair {
            gold: g,
            pred: p,
            ratio: overlap_ratio(gq, pq),
            pred_ratio: overlap_of_pred(gq, pq),
            speaker_by_name: speaker_name_matches(gold, gq, pred, pq),
            speaker_by_mention: speaker_mention_matches(gq, pq),
        });
    }
    alignment.missed = gold_idx.into_iter().filter(|&g| !gold_used[g]).collect();
    alignment.spurious = pred_idx.into_iter().filter(|&p| !pred_used[p]).collect();
    alignment
}

/// Whether the predicted speaker mention overlaps the gold one. A gold quote with no source at
/// all (no mention, no speaker: PolNeAR's `Attribution-no-source`) is right only when the
/// prediction names no speaker either, as `polnear_quotes_score.py` judges it; one with a
/// resolved speaker but no mention is not judged by mention (`None`).
fn speaker_mention_matches(gq: &Quote, pq: &Quote) -> Option<bool> {
    match (gq.speaker_mention, &gq.speaker) {
        (Some(gm), _) => Some(pq.speaker_mention.is_some_and(|pm| pm.overlaps(&gm))),
        (None, None) => Some(pq.speaker_mention.is_none()),
        (None, Some(_)) => None,
    }
}

/// Whether the predicted quote's resolved speaker is the gold quote's: some name of the
/// predicted speaker (canonical or alias) equals some name of the gold speaker after
/// [`normalize_name`]; for a joint source, any name of any of its speakers. A speaker missing
/// from a document's speaker list is taken by its name alone.
/// Not judged (`None`) when the gold does not cover speakers: PolNeAR's "speaker" is the source
/// text ("he"), not a resolved entity.
fn speaker_name_matches(gold: &Document, gq: &Quote, pred: &Document, pq: &Quote) -> Option<bool> {
    if !gold.covers(Layer::Speakers) {
        return None;
    }
    gq.speaker.as_deref()?;
    let Some(pred_name) = pq.speaker.as_deref() else {
        return Some(false);
    };
    let names = |doc: &Document, name: &str| -> BTreeSet<String> {
        match doc.speaker(name) {
            Some(s) => s.names().map(normalize_name).collect(),
            None => BTreeSet::from([normalize_name(name)]),
        }
    };
    // A joint source's quote is right for any one of its speakers.
    let gold_names: BTreeSet<String> = gq
        .speaker_names()
        .flat_map(|name| names(gold, name))
        .collect();
    if names(pred, pred_name)
        .iter()
        .any(|n| !n.is_empty() && gold_names.contains(n))
    {
        return Some(true);
    }
    // Two descriptions of the same head noun name the same unnamed source, as in the article's
    // speaker set (`align_sets`).
    let head_of_description = |doc: &Document, name: &str| -> Option<String> {
        doc.speaker(name)
            .filter(|s| !s.named)
            .and_then(|s| description_head(&s.name))
    };
    let pred_head = head_of_description(pred, pred_name);
    Some(pred_head.is_some_and(|h| {
        gq.speaker_names()
            .any(|g| head_of_description(gold, g).as_deref() == Some(h.as_str()))
    }))
}

/// Result of matching predicted names to gold entities (speakers or places).
#[derive(Debug, Clone, PartialEq, Default)]
pub struct SetAlignment {
    /// (gold index, pred index)
    pub pairs: Vec<(usize, usize)>,
    pub missed: Vec<usize>,
    pub spurious: Vec<usize>,
}

/// Matches predicted entities to gold ones: a prediction matches a gold entity when its
/// canonical name or one of its aliases equals the gold's canonical name or one of its aliases
/// after [`normalize_name`]. One-to-one, in prediction order; a second prediction of an
/// already-found gold entity is spurious (a duplicate). Then, among what is left, an unnamed
/// speaker (a description, [`NamedEntity::is_description`]) matches an unnamed gold speaker of
/// the same head noun ([`description_head`]: "attorneys" and "attorneys for the family"), again
/// one-to-one in prediction order: one article's descriptions with one head name one group.
pub fn align_sets<G: NamedEntity, P: NamedEntity>(gold: &[G], pred: &[P]) -> SetAlignment {
    let mut out = align_by_name(gold, pred);
    let gold_heads: Vec<Option<String>> = gold
        .iter()
        .map(|g| {
            if g.is_description() {
                description_head(g.name())
            } else {
                None
            }
        })
        .collect();
    let mut still_spurious = Vec::new();
    for &p in &out.spurious {
        let h = pred[p]
            .is_description()
            .then(|| description_head(pred[p].name()))
            .flatten();
        let hit = h.and_then(|h| {
            out.missed
                .iter()
                .position(|&g| gold_heads[g].as_deref() == Some(h.as_str()))
        });
        match hit {
            Some(k) => {
                let g = out.missed.remove(k);
                out.pairs.push((g, p));
            }
            None => still_spurious.push(p),
        }
    }
    out.spurious = still_spurious;
    out.pairs.sort_by_key(|&(_, p)| p);
    out
}

/// Words that end the head noun phrase of a description: prepositions and relative words.
const DESCRIPTION_CUT: &[&str] = &[
    "of",
    "in",
    "on",
    "at",
    "for",
    "from",
    "to",
    "with",
    "by",
    "about",
    "near",
    "inside",
    "outside",
    "within",
    "who",
    "whom",
    "whose",
    "which",
    "that",
    "like",
    "including",
];

/// Adjectives and participles that open a postmodifier after a description's head ("familiar
/// with", "close to", "briefed on").
const POSTMODIFIERS: &[&str] = &[
    "familiar",
    "close",
    "knowledgeable",
    "involved",
    "briefed",
    "aware",
    "present",
    "speaking",
    "authorized",
    "responsible",
    "working",
    "based",
    "loyal",
    "opposed",
];

/// Words that can open a description as its quantity, before "of" ("nearly eight of 10 voters",
/// "a majority of voters", "many of his supporters"): the description's head is then after the
/// "of". One list for the scorer ([`description_head`]) and the extractor, which writes such a
/// description in full, so both sides name the same group the same way.
pub fn is_quantity_word(lower: &str) -> bool {
    lower.chars().all(|c| c.is_ascii_digit())
        || matches!(
            lower,
            "nearly"
                | "some"
                | "many"
                | "most"
                | "all"
                | "few"
                | "one"
                | "two"
                | "three"
                | "four"
                | "five"
                | "six"
                | "seven"
                | "eight"
                | "nine"
                | "ten"
                | "half"
                | "several"
                | "none"
                | "each"
                | "any"
                | "both"
                | "majority"
                | "group"
                | "members"
                | "a"
                | "chorus"
                | "number"
                | "dozens"
                | "hundreds"
                | "thousands"
                | "millions"
                | "lot"
                | "out"
                | "percent"
                | "only"
                | "about"
                | "almost"
                | "more"
                | "than"
        )
}

/// The index of the "of" after an opening quantity ([`is_quantity_word`]) when a word follows
/// it: `["a", "majority", "of", "voters"]` -> `Some(2)`; `None` otherwise.
pub fn quantity_of<S: AsRef<str>>(words: &[S]) -> Option<usize> {
    let k = words.iter().position(|w| w.as_ref() == "of")?;
    (k + 1 < words.len() && words[..k].iter().all(|w| is_quantity_word(w.as_ref()))).then_some(k)
}

/// The head noun of a description, the unit two unnamed speakers are compared by: the last word
/// of its [`normalize_name`] form before a preposition or a relative word, a plural "-s" dropped
/// ("attorneys for the family" -> "attorney", "one GOP source in the room" -> "source"). A
/// phrase that opens with a quantity and "of" takes its head after the "of" ("Nearly eight of
/// 10 voters" -> "voter"). `None` for an empty name.
pub fn description_head(name: &str) -> Option<String> {
    let norm = normalize_name(name);
    let words: Vec<&str> = norm.split_whitespace().collect();
    let mut from = 0;
    // "nearly eight of 10 voters", "some of the experts": the head follows "of".
    if let Some(k) = quantity_of(&words) {
        from = k + 1;
    }
    let rest = &words[from..];
    let mut cut = rest
        .iter()
        .skip(1)
        .position(|w| DESCRIPTION_CUT.contains(w))
        .map_or(rest.len(), |k| k + 1);
    // "an official familiar with …", "people close to …": the adjective that opens a
    // postmodifier is not the head.
    while cut > 1 && POSTMODIFIERS.contains(&rest[cut - 1]) {
        cut -= 1;
    }
    let head = rest[..cut].last()?;
    let singular = match head.strip_suffix('s') {
        Some(stem) if stem.len() > 2 && !stem.ends_with('s') => stem,
        _ => head,
    };
    Some(singular.to_string())
}

/// [`align_sets`]' first pass: by names alone.
fn align_by_name<G: NamedEntity, P: NamedEntity>(gold: &[G], pred: &[P]) -> SetAlignment {
    let gold_names: Vec<BTreeSet<String>> = gold
        .iter()
        .map(|g| {
            g.names()
                .map(normalize_name)
                .filter(|n| !n.is_empty())
                .collect()
        })
        .collect();
    let mut used = vec![false; gold.len()];
    let mut out = SetAlignment::default();
    for (p, pe) in pred.iter().enumerate() {
        let names: Vec<String> = pe.names().map(normalize_name).collect();
        // The canonical name decides first; aliases only when it matches nothing free.
        let hit = names
            .iter()
            .find_map(|n| (0..gold.len()).find(|&g| !used[g] && gold_names[g].contains(n)));
        match hit {
            Some(g) => {
                used[g] = true;
                out.pairs.push((g, p));
            }
            None => out.spurious.push(p),
        }
    }
    out.missed = (0..gold.len()).filter(|&g| !used[g]).collect();
    out
}

/// Words dropped from the front of a name: titles, roles and articles. Never the whole name.
const LEADING_WORDS: &[&str] = &[
    "the",
    "a",
    "an",
    "president",
    "vice",
    "prime",
    "minister",
    "pm",
    "mr",
    "mrs",
    "ms",
    "miss",
    "dr",
    "sir",
    "dame",
    "lord",
    "secretary",
    "state",
    "of",
    "foreign",
    "defense",
    "defence",
    "chancellor",
    "king",
    "queen",
    "prince",
    "princess",
    "senator",
    "sen",
    "rep",
    "representative",
    "gov",
    "governor",
    "general",
    "gen",
    "lt",
    "col",
    "colonel",
    "judge",
    "justice",
    "pope",
    "rev",
    "envoy",
    "special",
    "leader",
    "chief",
    "adviser",
    "advisor",
    "aide",
    "spokesman",
    "spokeswoman",
    "spokesperson",
    "mayor",
];

/// The form names are compared in: compatibility-decomposed with diacritics removed, lowercase,
/// a possessive `'s` / `’s` dropped, punctuation removed ("U.S." -> "us"), whitespace collapsed,
/// and leading titles, roles and articles dropped while a word remains ("President Vladimir
/// Putin" -> "vladimir putin", "the Kremlin" -> "kremlin", "an official" -> "official").
pub fn normalize_name(name: &str) -> String {
    let trimmed = name.trim();
    let without_possessive = ["’s", "'s", "’", "'"]
        .iter()
        .find_map(|suffix| trimmed.strip_suffix(suffix))
        .unwrap_or(trimmed);
    let folded: String = without_possessive
        .nfkd()
        .filter(|c| !is_combining_mark(*c))
        .flat_map(char::to_lowercase)
        .filter_map(|c| {
            if c.is_alphanumeric() {
                Some(c)
            } else if c.is_whitespace() || c == '-' || c == '‐' || c == '–' {
                Some(' ')
            } else {
                None
            }
        })
        .collect();
    let mut words: Vec<&str> = folded.split_whitespace().collect();
    while words.len() > 1 && LEADING_WORDS.contains(&words[0]) {
        words.remove(0);
    }
    words.join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::annotation::{Article, EntityType, Place, Span, Speaker, SpeakerType};
    use std::sync::Arc;

    fn m(start: usize, end: usize, t: EntityType) -> Mention {
        Mention {
            span: Span::new(start, end),
            entity_type: t,
        }
    }

    #[test]
    fn names_normalise_titles_case_diacritics_possessives_punctuation() {
        assert_eq!(normalize_name("President Vladimir Putin"), "vladimir putin");
        assert_eq!(normalize_name("Putin’s"), "putin");
        assert_eq!(normalize_name("Mr. Trump"), "trump");
        assert_eq!(normalize_name("U.S."), "us");
        assert_eq!(normalize_name("US"), "us");
        assert_eq!(normalize_name("Zelenskyy"), "zelenskyy");
        assert_eq!(normalize_name("Emmanuel Macrón"), "emmanuel macron");
        assert_eq!(normalize_name("the Kremlin"), "kremlin");
        assert_eq!(
            normalize_name("Secretary of State Marco Rubio"),
            "marco rubio"
        );
        assert_eq!(
            normalize_name("President"),
            "president",
            "a title alone stays"
        );
        assert_eq!(normalize_name("Kryvyi Rih"), "kryvyi rih");
        assert_eq!(normalize_name("Russia-installed"), "russia installed");
    }

    #[test]
    fn mentions_pair_exact_first_then_largest_overlap_one_to_one() {
        use EntityType::*;
        let gold = [m(0, 14, Person), m(20, 25, Place), m(30, 35, Org)];
        let pred = [
            m(9, 14, Person),
            m(0, 8, Person),
            m(20, 25, Org),
            m(40, 44, Place),
            m(31, 33, Org),
            m(30, 34, Org),
        ];
        let pairs = align_mentions(&gold, &pred);
        let outcomes: Vec<_> = pairs.iter().map(|p| p.outcome).collect();
        // "Vladimir Putin" predicted as "Vladimir" + "Putin": one boundary match, one spurious.
        assert_eq!(
            outcomes,
            vec![
                MentionOutcome::Boundary,
                MentionOutcome::Spurious,
                MentionOutcome::WrongType,
                MentionOutcome::Boundary,
                MentionOutcome::Spurious,
                MentionOutcome::Spurious,
            ]
        );
        assert_eq!(
            pairs[0].pred.as_ref().unwrap().span,
            Span::new(0, 8),
            "8 shared chars beat 5"
        );
        assert_eq!(pairs[3].pred.as_ref().unwrap().span, Span::new(30, 34));
    }

    fn quote(start: usize, end: usize, speaker: &str, mention: Option<(usize, usize)>) -> Quote {
        Quote {
            span: Span::new(start, end),
            fragments: Vec::new(),
            kind: QuoteKind::Direct,
            cue: None,
            speaker_mention: mention.map(|(s, e)| Span::new(s, e)),
            speaker: Some(speaker.into()),
            joint_speakers: Vec::new(),
        }
    }

    #[test]
    fn quotes_match_by_overlap_over_gold_length_one_to_one() {
        let art = Arc::new(Article::new("a", "x".repeat(200)));
        let mut gold = Document::empty(art.clone(), "g");
        gold.quotes = vec![
            quote(0, 100, "Vladimir Putin", Some((150, 155))),
            quote(110, 120, "Trump", None),
        ];
        gold.speakers = vec![Speaker {
            name: "Vladimir Putin".into(),
            speaker_type: SpeakerType::Person,
            aliases: vec!["Putin".into()],
            named: true,
        }];
        let mut pred = Document::empty(art, "p");
        // Two predictions over the first gold quote (it was split): the larger one matches.
        pred.quotes = vec![
            quote(0, 35, "Putin", Some((150, 155))),
            quote(40, 100, "Ushakov", Some((160, 167))),
            quote(110, 119, "Donald Trump", None),
        ];
        let at = |t| align_quotes(&gold, &pred, t, None);
        let a = at(QuoteThreshold::Overlap(0.3));
        assert_eq!(
            a.pairs.iter().map(|p| (p.gold, p.pred)).collect::<Vec<_>>(),
            vec![(0, 1), (1, 2)]
        );
        assert_eq!(a.spurious, vec![0]);
        assert_eq!(a.pairs[0].speaker_by_name, Some(false));
        assert_eq!(a.pairs[0].speaker_by_mention, Some(false));
        assert_eq!(
            a.pairs[1].speaker_by_name,
            Some(false),
            "Donald Trump is not an alias of Trump here"
        );
        let a = at(QuoteThreshold::Overlap(0.8));
        assert_eq!(a.pairs.len(), 1);
        assert_eq!(a.missed, vec![0]);
        let a = at(QuoteThreshold::Exact);
        assert!(a.pairs.is_empty());
        // The smaller piece alone still finds the quote at 0.3 with the right speaker.
        pred.quotes.remove(1);
        let a = align_quotes(&gold, &pred, QuoteThreshold::Overlap(0.3), None);
        assert_eq!(
            a.pairs[0].speaker_by_name,
            Some(true),
            "Putin is an alias of Vladimir Putin"
        );
        assert_eq!(a.pairs[0].speaker_by_mention, Some(true));
    }

    #[test]
    fn fragments_count_their_characters_only() {
        let art = Arc::new(Article::new("a", "x".repeat(200)));
        let mut gold = Document::empty(art.clone(), "g");
        // “A,” he said, “B.”: one quote in two pieces of 40 characters each, 20 between them.
        let mut joined = quote(0, 40, "Putin", None);
        joined.set_pieces(&[Span::new(0, 40), Span::new(60, 100)]);
        gold.quotes = vec![joined.clone()];
        let mut pred = Document::empty(art, "p");
        // The two pieces as two quotes: the first finds half the content, the second is spurious.
        pred.quotes = vec![quote(0, 40, "Putin", None), quote(60, 100, "Putin", None)];
        let a = align_quotes(&gold, &pred, QuoteThreshold::Overlap(0.3), None);
        assert_eq!(a.pairs.len(), 1);
        assert_eq!(a.pairs[0].ratio, 0.5);
        assert_eq!(a.spurious, vec![1]);
        assert!(
            align_quotes(&gold, &pred, QuoteThreshold::Overlap(0.8), None)
                .pairs
                .is_empty()
        );
        // One span over both pieces and the attribution between them: all the gold content is
        // found, but 20 of its 100 characters are not content.
        pred.quotes = vec![quote(0, 100, "Putin", None)];
        let a = align_quotes(&gold, &pred, QuoteThreshold::Overlap(0.8), None);
        assert_eq!((a.pairs[0].ratio, a.pairs[0].pred_ratio), (1.0, 0.8));
        assert!(align_quotes(&gold, &pred, QuoteThreshold::Exact, None)
            .pairs
            .is_empty());
        // The same two fragments: an exact match.
        pred.quotes = vec![joined];
        assert_eq!(
            align_quotes(&gold, &pred, QuoteThreshold::Exact, None)
                .pairs
                .len(),
            1
        );
    }

    #[test]
    fn descriptions_match_by_head_noun_and_names_never_do() {
        assert_eq!(
            description_head("attorneys for the family").as_deref(),
            Some("attorney")
        );
        assert_eq!(description_head("Attorneys").as_deref(), Some("attorney"));
        assert_eq!(
            description_head("Nearly eight of 10 voters").as_deref(),
            Some("voter")
        );
        assert_eq!(
            description_head("one GOP source in the room").as_deref(),
            Some("source")
        );
        assert_eq!(description_head("the press").as_deref(), Some("press"));
        assert_eq!(
            description_head("Only 52 percent of registered voters").as_deref(),
            Some("voter")
        );
        assert_eq!(description_head("A majority").as_deref(), Some("majority"));
        assert_eq!(
            description_head("an official familiar with the arrangements").as_deref(),
            Some("official")
        );
        assert_eq!(description_head("“ ”"), None);
        let sp = |name: &str, named: bool| Speaker {
            name: name.into(),
            speaker_type: SpeakerType::Other,
            aliases: Vec::new(),
            named,
        };
        let gold = [
            sp("attorneys for the family", false),
            sp("Democrats", false),
            sp("Jane Smith", true),
        ];
        let pred = [
            sp("attorneys", false),
            sp("some attorneys", false),
            sp("Smith attorneys", true),
            sp("many Democrats", false),
        ];
        let a = align_sets(&gold, &pred);
        // One-to-one: the second description of the same head is spurious, and a named
        // speaker never matches by head.
        assert_eq!(a.pairs, vec![(0, 0), (1, 3)]);
        assert_eq!(a.spurious, vec![1, 2]);
        assert_eq!(a.missed, vec![2]);
    }

    #[test]
    fn a_gold_quote_with_no_source_wants_no_speaker() {
        let art = Arc::new(Article::new("a", "x".repeat(40)));
        let mut gold = Document::empty(art.clone(), "g");
        let mut no_source = quote(0, 10, "A", None);
        no_source.speaker = None;
        gold.quotes = vec![no_source];
        let mut pred = Document::empty(art, "p");
        pred.quotes = vec![quote(0, 10, "B", Some((20, 25)))];
        let judged = |pred: &Document| {
            align_quotes(&gold, pred, QuoteThreshold::Overlap(0.3), None).pairs[0]
                .speaker_by_mention
        };
        assert_eq!(judged(&pred), Some(false));
        pred.quotes[0].speaker_mention = None;
        assert_eq!(judged(&pred), Some(true));
    }

    #[test]
    fn a_ratio_equal_to_the_threshold_does_not_match() {
        // As the Gender Gap Tracker's evaluation: the overlap must be above the threshold.
        let art = Arc::new(Article::new("a", "x".repeat(20)));
        let mut gold = Document::empty(art.clone(), "g");
        gold.quotes = vec![quote(0, 10, "A", None)];
        let mut pred = Document::empty(art, "p");
        pred.quotes = vec![quote(0, 3, "A", None)];
        assert!(
            align_quotes(&gold, &pred, QuoteThreshold::Overlap(0.3), None)
                .pairs
                .is_empty()
        );
        pred.quotes = vec![quote(0, 4, "A", None)];
        assert_eq!(
            align_quotes(&gold, &pred, QuoteThreshold::Overlap(0.3), None)
                .pairs
                .len(),
            1
        );
    }

    #[test]
    fn sets_match_by_any_name_and_count_duplicates_as_spurious() {
        let gold = vec![
            Place {
                name: "United States".into(),
                aliases: vec!["U.S.".into(), "US".into()],
            },
            Place {
                name: "Kyiv".into(),
                aliases: vec![],
            },
        ];
        let pred = vec![
            Place {
                name: "US".into(),
                aliases: vec![],
            },
            Place {
                name: "U.S.".into(),
                aliases: vec![],
            },
            Place {
                name: "Kiev".into(),
                aliases: vec!["Kyiv".into()],
            },
        ];
        let a = align_sets(&gold, &pred);
        assert_eq!(a.pairs, vec![(0, 0), (1, 2)]);
        assert_eq!(a.spurious, vec![1]);
        assert!(a.missed.is_empty());
    }
}
