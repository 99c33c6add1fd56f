//! Scorer figures checked against hand computation.

use std::sync::Arc;

use super::*;
use crate::annotation::{Article, Mention, Place, Quote, Span, Speaker, SpeakerType};

const TEXT: &str = "“We went through virtually every point,” Putin told India Today in New Delhi. \
“Some we can discuss,” he said — “others we cannot.” Zelenskyy’s aide said Kyiv’s view was clear.";

fn article() -> Arc<Article> {
    Arc::new(Article::new("t", TEXT))
}

fn at(a: &Article, text: &str, n: usize) -> Span {
    a.occurrences(text)[n]
}

fn mention(a: &Article, text: &str, t: EntityType) -> Mention {
    Mention {
        span: at(a, text, 0),
        entity_type: t,
    }
}

fn quote(a: &Article, text: &str, kind: QuoteKind, speaker: &str, mention: &str) -> Quote {
    Quote {
        span: at(a, text, 0),
        fragments: Vec::new(),
        kind,
        cue: None,
        speaker_mention: Some(at(a, mention, 0)),
        speaker: Some(speaker.into()),
        joint_speakers: Vec::new(),
    }
}

fn person(name: &str, aliases: &[&str]) -> Speaker {
    Speaker {
        name: name.into(),
        speaker_type: SpeakerType::Person,
        aliases: aliases.iter().map(|s| s.to_string()).collect(),
        named: true,
    }
}

fn gold() -> Document {
    let a = article();
    let mut d = Document::empty(a.clone(), "gold");
    d.mentions = vec![
        mention(&a, "Putin", EntityType::Person),
        mention(&a, "India Today", EntityType::Org),
        mention(&a, "New Delhi", EntityType::Place),
        mention(&a, "Zelenskyy", EntityType::Person),
        mention(&a, "Kyiv", EntityType::Place),
    ];
    d.quotes = vec![
        quote(
            &a,
            "We went through virtually every point,",
            QuoteKind::Direct,
            "Vladimir Putin",
            "Putin",
        ),
        // One quotation interrupted by its attribution: two gold quotes.
        quote(
            &a,
            "Some we can discuss,",
            QuoteKind::Direct,
            "Vladimir Putin",
            "he",
        ),
        quote(
            &a,
            "others we cannot.",
            QuoteKind::Direct,
            "Vladimir Putin",
            "he",
        ),
        quote(
            &a,
            "Kyiv’s view was clear",
            QuoteKind::Indirect,
            "Zelenskyy’s aide",
            "Zelenskyy’s aide",
        ),
    ];
    d.speakers = vec![
        person("Vladimir Putin", &["Putin"]),
        Speaker {
            name: "Zelenskyy’s aide".into(),
            speaker_type: SpeakerType::Person,
            aliases: vec![],
            named: false,
        },
    ];
    d.places = vec![
        Place {
            name: "New Delhi".into(),
            aliases: vec![],
        },
        Place {
            name: "Kyiv".into(),
            aliases: vec![],
        },
    ];
    d.sort();
    d
}

#[test]
fn gold_against_itself_is_perfect() {
    let g = gold();
    let c = score_document(&g, &g);
    let m = Metrics::of(&c);
    assert_eq!(m.entities.as_ref().unwrap().micro.strict.f1, 1.0);
    assert_eq!(
        m.quotes.as_ref().unwrap()["exact"].scopes["all"].prf.f1,
        1.0
    );
    assert_eq!(
        m.quotes.as_ref().unwrap()["exact"].scopes["all"].speaker_by_name,
        Some(1.0)
    );
    assert_eq!(m.speakers.unwrap().f1, 1.0);
    assert_eq!(m.places.unwrap().f1, 1.0);
}

#[test]
fn entity_schemas_match_hand_computation() {
    let g = gold();
    let a = g.article.clone();
    let mut p = Document::empty(a.clone(), "pred");
    p.mentions = vec![
        mention(&a, "Putin", EntityType::Person),  // exact
        mention(&a, "India", EntityType::Place),   // overlaps "India Today", other type
        mention(&a, "Today", EntityType::Org), // overlaps "India Today" too: spurious (one-to-one)
        mention(&a, "New Delhi", EntityType::Org), // same span, wrong type
        mention(&a, "Zelenskyy’s", EntityType::Person), // boundary (possessive inside), same type
                                               // Kyiv missed
    ];
    p.sort();
    let c = score_document(&g, &p).entities;
    let micro = c.micro();
    // India/Today: "India" (5 shared chars) beats "Today" (5) by order: tie -> earlier pred.
    assert_eq!(
        micro.strict,
        SchemaCounts {
            correct: 1,
            incorrect: 3,
            partial: 0,
            missed: 1,
            spurious: 1
        }
    );
    assert_eq!(
        micro.exact,
        SchemaCounts {
            correct: 2,
            incorrect: 2,
            partial: 0,
            missed: 1,
            spurious: 1
        }
    );
    assert_eq!(
        micro.partial,
        SchemaCounts {
            correct: 2,
            incorrect: 0,
            partial: 2,
            missed: 1,
            spurious: 1
        }
    );
    assert_eq!(
        micro.entity_type,
        SchemaCounts {
            correct: 2,
            incorrect: 2,
            partial: 0,
            missed: 1,
            spurious: 1
        }
    );
    // Partial: (2 + 0.5 * 2) / 5 predictions, 3 / 5 gold.
    let m = Metrics::of(&score_document(&g, &p));
    assert!((m.entities.as_ref().unwrap().micro.partial.precision - 0.6).abs() < 1e-12);
    assert!((m.entities.as_ref().unwrap().micro.partial.recall - 0.6).abs() < 1e-12);
    // Per type, each type on its own (nervaluate): ORG sees the gold "India Today" and the ORG
    // predictions "Today" (overlapping: incorrect) and "New Delhi" (no ORG gold: spurious).
    let org = c.by_type[&EntityType::Org].strict;
    assert_eq!(
        org,
        SchemaCounts {
            correct: 0,
            incorrect: 1,
            partial: 0,
            missed: 0,
            spurious: 1
        }
    );
    // PLACE sees the gold "New Delhi" and "Kyiv" (both missed: "New Delhi" was predicted an
    // ORG) and the PLACE prediction "India", which overlaps no PLACE gold: spurious.
    let place = c.by_type[&EntityType::Place].strict;
    assert_eq!(
        place,
        SchemaCounts {
            correct: 0,
            incorrect: 0,
            partial: 0,
            missed: 2,
            spurious: 1
        }
    );
    // Macro strict F1: PERSON P=1/2 R=1/2 -> 0.5; ORG 0; PLACE 0 -> mean 1/6.
    assert!((m.entities.as_ref().unwrap().macro_.strict.f1 - 1.0 / 6.0).abs() < 1e-12);
}

#[test]
fn quotes_split_by_attribution_and_overlapping_predictions() {
    let g = gold();
    let a = g.article.clone();
    let mut p = Document::empty(a.clone(), "pred");
    // A system that takes the interrupted quotation as one span from the first “ to the last ”.
    let whole = Span::new(at(&a, "Some we", 0).start, at(&a, "cannot.", 0).end);
    p.quotes = vec![
        quote(
            &a,
            "We went through virtually every point,",
            QuoteKind::Direct,
            "Putin",
            "Putin",
        ),
        Quote {
            span: whole,
            fragments: Vec::new(),
            kind: QuoteKind::Direct,
            cue: None,
            speaker_mention: Some(at(&a, "he", 0)),
            speaker: Some("Putin".into()),
            joint_speakers: Vec::new(),
        },
        // Indirect quote found with its background: 21 gold chars, all covered; wrong speaker.
        Quote {
            span: Span::new(at(&a, "Kyiv’s", 0).start, a.char_len()),
            fragments: Vec::new(),
            kind: QuoteKind::Indirect,
            cue: None,
            speaker_mention: Some(at(&a, "Zelenskyy", 0)),
            speaker: Some("Zelenskyy".into()),
            joint_speakers: Vec::new(),
        },
    ];
    p.speakers = vec![person("Putin", &[]), person("Zelenskyy", &[])];
    p.sort();
    let c = score_document(&g, &p).quotes;
    // The long span covers both halves; one-to-one gives it to one of them (ratio 1.0 each;
    // the earlier gold wins the tie), so the other half is missed.
    assert_eq!(
        c.named("0.3").unwrap().tally(QuoteScope::All),
        Tally {
            tp: 3,
            fp: 0,
            fn_: 1
        }
    );
    assert_eq!(
        c.named("0.3")
            .unwrap()
            .tally(QuoteScope::Kind(QuoteKind::Direct)),
        Tally {
            tp: 2,
            fp: 0,
            fn_: 1
        }
    );
    assert_eq!(
        c.named("0.3")
            .unwrap()
            .tally(QuoteScope::Kind(QuoteKind::Indirect)),
        Tally {
            tp: 1,
            fp: 0,
            fn_: 0
        }
    );
    assert_eq!(
        c.named("exact").unwrap().tally(QuoteScope::All),
        Tally {
            tp: 1,
            fp: 2,
            fn_: 3
        }
    );
    // Speakers: "Putin" is an alias of gold "Vladimir Putin" (x2); "Zelenskyy" is not the aide.
    assert_eq!(
        c.named("0.3")
            .unwrap()
            .scope(QuoteScope::All)
            .speaker_by_name,
        Accuracy {
            correct: 2,
            total: 3
        }
    );
    // Mentions: "Putin" = "Putin", "he" = "he", "Zelenskyy" overlaps "Zelenskyy’s aide".
    assert_eq!(
        c.named("0.3")
            .unwrap()
            .scope(QuoteScope::All)
            .speaker_by_mention,
        Accuracy {
            correct: 3,
            total: 3
        }
    );
    assert_eq!(
        c.named("0.3").unwrap().end_to_end,
        Tally {
            tp: 2,
            fp: 1,
            fn_: 2
        }
    );
    let m = Metrics::of(&score_document(&g, &p));
    assert!((m.quotes.as_ref().unwrap()["0.3"].scopes["all"].prf.f1 - 6.0 / 7.0).abs() < 1e-12);
    // Speakers as sets: Putin found, the aide missed, Zelenskyy spurious.
    let s = score_document(&g, &p).speakers.tally;
    assert_eq!(
        s,
        Tally {
            tp: 1,
            fp: 1,
            fn_: 1
        }
    );
}

#[test]
fn empty_gold_and_empty_predictions_are_defined() {
    let a = article();
    let empty = Document::empty(a.clone(), "none");
    let both = Metrics::of(&score_document(&empty, &empty));
    assert_eq!(both.entities.as_ref().unwrap().micro.strict.f1, 1.0);
    assert_eq!(both.entities.as_ref().unwrap().macro_.strict.f1, 1.0);
    assert_eq!(
        both.quotes.as_ref().unwrap()["0.3"].scopes["all"].prf.f1,
        1.0
    );
    assert_eq!(
        both.quotes.as_ref().unwrap()["0.3"].scopes["all"].speaker_by_name,
        None
    );
    let g = gold();
    let nothing = Metrics::of(&score_document(&g, &empty));
    assert_eq!(
        nothing.entities.as_ref().unwrap().micro.strict.precision,
        0.0
    );
    assert_eq!(
        nothing.quotes.as_ref().unwrap()["0.8"].scopes["all"]
            .prf
            .recall,
        0.0
    );
    assert_eq!(nothing.places.unwrap().f1, 0.0);
    let against_empty_gold = Metrics::of(&score_document(&empty, &g));
    assert_eq!(against_empty_gold.speakers.unwrap().precision, 0.0);
    for v in [
        nothing.entities.as_ref().unwrap().macro_.partial.f1,
        against_empty_gold.quotes.as_ref().unwrap()["exact"]
            .end_to_end
            .f1,
    ] {
        assert!(v.is_finite());
    }
}

#[test]
fn uncovered_layers_are_not_scored_and_counts_add_up() {
    let mut g = gold();
    g.layers = vec![Layer::Quotes];
    let c = score_document(&g, &Document::empty(g.article.clone(), "p"));
    assert_eq!(c.entities.articles, 0);
    assert_eq!(c.entities.micro(), SchemaSet::default());
    assert_eq!(c.places.articles, 0);
    assert_eq!(c.quotes.articles, 1);
    // End-to-end without a speaker layer judges speakers by mention.
    let full = gold();
    let mut total = Counts::default();
    total += &score_document(&full, &full);
    total += &c;
    assert_eq!(
        total.quotes.named("0.3").unwrap().tally(QuoteScope::All),
        Tally {
            tp: 4,
            fp: 0,
            fn_: 4
        }
    );
    assert_eq!(total.entities.articles, 1);
    // Without a speakers layer, speakers are judged by mention only.
    assert_eq!(
        c.quotes
            .named("0.3")
            .unwrap()
            .scope(QuoteScope::All)
            .speaker_by_name,
        Accuracy::default()
    );
    let quotes_only = score_document(&g, &g);
    assert_eq!(
        quotes_only
            .quotes
            .named("0.3")
            .unwrap()
            .scope(QuoteScope::All)
            .speaker_by_name
            .total,
        0
    );
    assert_eq!(
        quotes_only
            .quotes
            .named("0.3")
            .unwrap()
            .scope(QuoteScope::All)
            .speaker_by_mention,
        Accuracy {
            correct: 4,
            total: 4
        }
    );
    assert_eq!(
        quotes_only.quotes.named("0.3").unwrap().end_to_end,
        Tally {
            tp: 4,
            fp: 0,
            fn_: 0
        }
    );
}

#[test]
fn named_speakers_are_counted_apart_from_descriptions() {
    let g = gold();
    let mut with_unnamed = g.clone();
    with_unnamed.speakers.push(Speaker {
        name: "an aide".into(),
        speaker_type: SpeakerType::Person,
        aliases: Vec::new(),
        named: false,
    });
    // A prediction that finds every named speaker but not the description.
    let c = score_document(&with_unnamed, &g);
    let named = g.speakers.iter().filter(|s| s.named).count() as u64;
    assert_eq!(c.speakers.tally.fn_, 1);
    assert_eq!(c.speakers_named.tally.tp, named);
    assert_eq!(c.speakers_named.tally.fn_, 0);
    let m = Metrics::of(&c);
    assert_eq!(m.speakers_named.map(|p| p.f1), Some(1.0));
    assert!(m.speakers.unwrap().f1 < 1.0);
}
