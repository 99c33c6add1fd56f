//! The learned quote tagger (`[models.NAME.quotes] backend = "tagger" | "hybrid"`) with the
//! project's assembled model (`make setup` builds models/quoteval-quote-minilm; a missing model
//! fails the test). Checks the whole path: engine windows and offsets, decoding, fragments,
//! PARC kind, speaker resolution, and the models.toml entries.
#![cfg(feature = "ner")]

use std::path::Path;
use std::sync::Arc;

use quoteval::annotation::{pieces_overlap, Article, QuoteKind};
use quoteval::extract::quotes::RulesExtractor;
use quoteval::extract::tagger::{Combine, TaggerExtractor, TaggerSettings};
use quoteval::extract::QuoteExtractor;
use quoteval::models::{ModelsFile, Overrides, QuoteStage};

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

fn tagger(how: Combine) -> TaggerExtractor {
    let dir = root().join("models/quoteval-quote-minilm");
    assert!(
        dir.join("model.safetensors").exists(),
        "{} is missing: run `make setup`",
        dir.display()
    );
    let settings: TaggerSettings =
        toml::from_str("path = \"models/quoteval-quote-minilm\"").expect("settings");
    TaggerExtractor::load(settings, how, root()).expect("the tagger loads")
}

const NEWS: &str = "Trump campaign slams Clinton over emails\n\
“She has lied to the American people again and again,” Trump campaign manager Kellyanne \
Conway said on Sunday. “It is a disgrace.”\n\
Conway added that the campaign would release new advertisements in Ohio next week.\n";

#[test]
fn the_tagger_finds_a_direct_and_an_indirect_quote_with_their_speaker() {
    let mut t = tagger(Combine::Tagger);
    let article = Arc::new(Article::new("news", NEWS));
    let found = t
        .extract_batch(std::slice::from_ref(&article), &[Vec::new()])
        .expect("runs")
        .pop()
        .expect("one article");
    let quotes: Vec<(String, QuoteKind, Option<String>)> = found
        .quotes
        .iter()
        .map(|q| {
            let text: Vec<&str> = q.pieces().iter().filter_map(|p| article.get(*p)).collect();
            (text.join(" | "), q.kind, q.speaker.clone())
        })
        .collect();
    let direct = quotes
        .iter()
        .find(|(t, _, _)| t.contains("lied to the American people"))
        .unwrap_or_else(|| panic!("no direct quote: {quotes:?}"));
    assert_ne!(direct.1, QuoteKind::Indirect, "{direct:?}");
    assert_eq!(direct.2.as_deref(), Some("Kellyanne Conway"), "{quotes:?}");
    let indirect = quotes
        .iter()
        .find(|(t, _, _)| t.contains("release new advertisements"))
        .unwrap_or_else(|| panic!("no indirect quote: {quotes:?}"));
    assert_eq!(indirect.1, QuoteKind::Indirect);
    assert_eq!(
        indirect.2.as_deref(),
        Some("Kellyanne Conway"),
        "{quotes:?}"
    );
    // Offsets are char offsets into the verbatim text: every piece is non-empty text.
    for q in &found.quotes {
        for p in q.pieces() {
            assert!(
                article.get(*p).is_some_and(|s| !s.trim().is_empty()),
                "{q:?}"
            );
        }
    }
}

#[test]
fn hybrid_keeps_every_rule_quote_and_adds_the_tagger_quotes_the_rules_missed() {
    let article = Arc::new(Article::new("news", NEWS));
    let run = |how| {
        tagger(how)
            .extract_batch(std::slice::from_ref(&article), &[Vec::new()])
            .expect("runs")
            .pop()
            .expect("one article")
    };
    let (t, h) = (run(Combine::Tagger), run(Combine::Hybrid));
    let rules = RulesExtractor::default().extract(&article, &[]);
    assert!(!rules.quotes.is_empty() && !t.quotes.is_empty());
    for q in &rules.quotes {
        assert!(
            h.quotes
                .iter()
                .any(|x| x.pieces() == q.pieces() && x.speaker == q.speaker),
            "rule quote {q:?} missing from the hybrid {:?}",
            h.quotes
        );
    }
    let tagger_only: Vec<_> = t
        .quotes
        .iter()
        .filter(|q| {
            rules
                .quotes
                .iter()
                .all(|r| pieces_overlap(r.pieces(), q.pieces()) == 0)
        })
        .collect();
    for q in &tagger_only {
        assert!(
            h.quotes.iter().any(|x| x.pieces() == q.pieces()),
            "tagger quote {q:?} missing from the hybrid"
        );
    }
    assert_eq!(h.quotes.len(), rules.quotes.len() + tagger_only.len());
}

#[test]
fn models_toml_has_tagger_and_hybrid_entries_that_build() {
    let models = ModelsFile::load(&root().join("models.toml")).expect("models.toml");
    for (name, want) in [
        ("quoteval-quote-tagger", "tagger"),
        ("quoteval-quote-hybrid", "hybrid"),
    ] {
        let entry = models.entry(name).expect("entry");
        let got = match &entry.quotes {
            Some(QuoteStage::Tagger(_)) => "tagger",
            Some(QuoteStage::Hybrid(_)) => "hybrid",
            _ => "other",
        };
        assert_eq!(got, want);
        let backend = models
            .build(name, &Overrides::default())
            .unwrap_or_else(|e| panic!("{name}: {e}"));
        assert!(backend.describe().contains(want), "{}", backend.describe());
    }
}
