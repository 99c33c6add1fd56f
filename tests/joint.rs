//! The joint model (`[models.NAME.quotes] backend = "joint"`): one encoder, an entity head and an
//! attribution head, with the project's assembled model (`make setup` builds
//! models/quoteval-joint-minilm; a missing model fails the test).
#![cfg(feature = "ner")]

use std::path::Path;
use std::sync::Arc;

use quoteval::annotation::{Article, QuoteKind};
use quoteval::models::{ModelsFile, Overrides};

const ENTRY: &str = "quoteval-joint";

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

fn gold_articles() -> Vec<Arc<Article>> {
    let mut paths: Vec<_> = std::fs::read_dir(root().join("gold"))
        .expect("gold/")
        .map(|e| e.expect("entry").path())
        .filter(|p| p.extension().is_some_and(|x| x == "txt"))
        .collect();
    paths.sort();
    assert!(paths.len() >= 5, "{paths:?}");
    paths
        .iter()
        .map(|p| {
            let id = p.file_stem().expect("name").to_string_lossy().to_string();
            Arc::new(Article::new(id, std::fs::read_to_string(p).expect("text")))
        })
        .collect()
}

/// One forward pass: the joint entry reads each word piece once (as many model tokens as the
/// same model run as an entity recogniser alone), and its mentions are exactly the entity head's.
#[test]
fn the_joint_entry_reads_each_article_once_and_its_mentions_are_the_entity_heads() {
    let models = ModelsFile::load(&root().join("models.toml")).expect("models.toml");
    let dir = root().join("models/quoteval-joint-minilm");
    assert!(
        dir.join("model.safetensors").exists(),
        "{} is missing: run `make setup`",
        dir.display()
    );
    let articles = gold_articles();
    let mut joint = models
        .build(ENTRY, &Overrides::default())
        .expect("the joint entry builds");
    let docs = joint.annotate(&articles, &mut |_| {}).expect("runs");
    let stages = joint.stages();
    assert_eq!(stages.len(), 1, "one stage: {stages:?}");
    assert_eq!(stages[0].stage, "joint");

    let mut ner = models
        .build_ner(ENTRY, &Overrides::default())
        .expect("the entity head alone builds");
    let mentions = ner.recognize(&articles, &mut |_| {}).expect("runs");
    assert_eq!(joint.stats().word_pieces, ner.stats().word_pieces);
    assert_eq!(joint.stats().model_tokens, ner.stats().model_tokens);
    for (doc, m) in docs.iter().zip(&mentions) {
        assert_eq!(&doc.mentions, m, "{}", doc.article.id);
    }
    let quotes: usize = docs.iter().map(|d| d.quotes.len()).sum();
    assert!(quotes >= 40, "{quotes} quotes in the gold articles");
    let with_speaker = docs
        .iter()
        .flat_map(|d| &d.quotes)
        .filter(|q| q.speaker.is_some())
        .count();
    assert!(
        with_speaker * 10 >= quotes * 8,
        "{with_speaker} of {quotes}"
    );
    // Char offsets into the verbatim (multi-byte) text: every piece is non-empty text.
    for d in &docs {
        for q in &d.quotes {
            for p in q.pieces() {
                assert!(
                    d.article.get(*p).is_some_and(|s| !s.trim().is_empty()),
                    "{q:?}"
                );
            }
        }
    }
}

#[test]
fn the_joint_entry_attributes_a_direct_and_an_indirect_quote() {
    let models = ModelsFile::load(&root().join("models.toml")).expect("models.toml");
    let mut joint = models.build(ENTRY, &Overrides::default()).expect("builds");
    let text = "Trump campaign slams Clinton over emails\n\
        “She has lied to the American people again and again,” Trump campaign manager \
        Kellyanne Conway said on Sunday. “It is a disgrace.”\n\
        Conway added that the campaign would release new advertisements in Ohio next week.\n";
    let article = Arc::new(Article::new("news", text));
    let doc = joint
        .annotate(std::slice::from_ref(&article), &mut |_| {})
        .expect("runs")
        .remove(0);
    let quote = |needle: &str| {
        doc.quotes
            .iter()
            .find(|q| article.slice(q.span).contains(needle))
            .unwrap_or_else(|| panic!("no quote with {needle:?}: {:?}", doc.quotes))
    };
    let direct = quote("lied to the American people");
    assert_ne!(direct.kind, QuoteKind::Indirect);
    assert_eq!(direct.speaker.as_deref(), Some("Kellyanne Conway"));
    let indirect = quote("release new advertisements");
    assert_eq!(indirect.kind, QuoteKind::Indirect);
    assert_eq!(indirect.speaker.as_deref(), Some("Kellyanne Conway"));
    assert!(doc
        .mentions
        .iter()
        .any(|m| article.slice(m.span) == "Kellyanne Conway"));
}

/// The `joint` stage needs a model with an attribution head, run by a rust-bert [ner] stage;
/// anything else is refused when the entry is built, naming what is wrong.
#[test]
fn the_joint_stage_refuses_an_entry_it_cannot_run() {
    let dir = tempfile::tempdir().expect("tempdir");
    let ner_only = root().join("models/quoteval-ner-minilm");
    // The error that building entry `m` of a models.toml with this body gives.
    let refusal = |body: String| -> String {
        let path = dir.path().join("models.toml");
        std::fs::write(&path, format!("default = \"m\"\n{body}")).expect("write");
        ModelsFile::load(&path)
            .expect("parses")
            .build("m", &Overrides::default())
            .err()
            .expect("refused")
            .to_string()
    };
    let err = refusal(format!(
        "[models.m.ner]\nbackend = \"rust-bert\"\npath = {:?}\n\
         labels = {{ PER = \"PERSON\", LOC = \"PLACE\", ORG = \"ORG\", MISC = \"ignore\" }}\n\
         case_features = true\n[models.m.quotes]\nbackend = \"joint\"\n",
        ner_only.display().to_string()
    ));
    assert!(err.contains("no attribution head"), "{err}");

    let preds = dir.path().join("preds");
    std::fs::create_dir(&preds).expect("mkdir");
    let err = refusal(format!(
        "[models.m.ner]\nbackend = \"predictions\"\npath = {:?}\n\
         [models.m.quotes]\nbackend = \"joint\"\n",
        preds.display().to_string()
    ));
    assert!(err.contains("needs a `rust-bert` [ner] stage"), "{err}");

    let err = toml::from_str::<quoteval::extract::joint::JointSettings>("combine = \"both\"")
        .expect_err("refused")
        .to_string();
    assert!(err.contains("hybrid"), "{err}");
}
