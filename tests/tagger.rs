//! The learned quote tagger (`[models.NAME.quotes] backend = "tagger" | "hybrid"`) with the
//! project's assembled model (`make setup` builds models/quoteval-quote-minilm; a missing model
//! fails the test). Checks the whole path: engine windows and offsets, decoding, fragments,
//! PARC kind, speaker resolution, and the models.toml entries.
#![cfg(feature = "ner")]

mod common;

use std::path::Path;
use std::sync::Arc;

use common::{gold_copy, quoteval, stderr};

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

/// A tagger whose model breaks in the middle of a run (its tokenizer's unknown-word token is
/// gone, so the first article with a character outside the vocabulary cannot be encoded) fails
/// `eval` with exit 70 and names the model and the article, instead of scoring the articles it
/// could not read as articles without quotes.
#[test]
fn a_tagger_failing_mid_run_fails_eval_with_70_naming_it() {
    let scratch = tempfile::tempdir().unwrap();
    let broken = scratch.path().join("broken-tagger");
    std::fs::create_dir(&broken).unwrap();
    for entry in std::fs::read_dir(root().join("models/quoteval-quote-minilm")).unwrap() {
        let path = entry.unwrap().path();
        std::fs::copy(&path, broken.join(path.file_name().unwrap())).unwrap();
    }
    let tokenizer = broken.join("tokenizer.json");
    let mut json: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&tokenizer).unwrap()).unwrap();
    json["model"]["unk_token"] = "[NO-SUCH-TOKEN]".into();
    std::fs::write(&tokenizer, json.to_string()).unwrap();

    // The last article (in corpus order) gains a character the vocabulary lacks; the others
    // are read first and are fine.
    let (_dir, gold) = gold_copy();
    let mut texts: Vec<_> = std::fs::read_dir(&gold)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|x| x == "txt"))
        .collect();
    texts.sort();
    let last = texts.last().unwrap();
    let mut text = std::fs::read_to_string(last).unwrap();
    text.push_str("\nA snowman \u{2603} stood outside.\n");
    std::fs::write(last, text).unwrap();
    let last_id = last.file_stem().unwrap().to_str().unwrap();

    let run = quoteval(&[
        "eval",
        "--model",
        "quoteval-quote-hybrid",
        "--gold",
        gold.to_str().unwrap(),
        "--set",
        &format!("quotes.path={}", broken.display()),
        "--skip-checksums",
    ]);
    let err = stderr(&run);
    assert_eq!(run.status.code(), Some(70), "{err}");
    assert!(err.contains(&broken.display().to_string()), "{err}");
    assert!(err.contains(last_id), "{err}");
    assert!(run.stdout.is_empty(), "no report for a failed run");
}
