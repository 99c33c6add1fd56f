//! The project's own default model (models.toml `default`, assembled by `make setup`) on the gold
//! corpus: real offsets on every article, predictions that survive the file format, and quality
//! floors that catch a broken inference path (wrong case classes, windows or label map would drop
//! these far below the floors). A missing model fails the test: run `make setup`.
#![cfg(feature = "ner")]

use std::path::Path;
use std::sync::Arc;

use quoteval::annotation::{Article, EntityType};
use quoteval::app::{eval, EvalOptions};
use quoteval::format::json::{path_for, read_document};
use quoteval::models::{ModelRun, ModelsFile, Overrides};
use quoteval::report::Report;

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

fn options() -> EvalOptions {
    let models = ModelsFile::load(&root().join("models.toml")).expect("models.toml");
    let entry = models.entry(&models.default).expect("default entry");
    if let Some(quoteval::models::NerStage::RustBert(s)) = &entry.ner {
        let dir = models.resolve(s.path.as_deref().expect("the default model is local"));
        assert!(
            dir.join("model.safetensors").exists(),
            "{} is missing: run `make setup`",
            dir.display()
        );
    }
    EvalOptions {
        gold_dir: root().join("gold"),
        shard: None,
    }
}

/// The default entry of `models_file`, as the command line loads it.
fn default_run(models_file: &Path) -> ModelRun {
    ModelRun::load(models_file, None, Overrides::default()).expect("the default entry loads")
}

fn is_word(c: Option<char>) -> bool {
    c.is_some_and(char::is_alphanumeric)
}

#[test]
fn default_model_spans_are_exact_on_every_article_and_survive_the_file_format() {
    let (report, predictions) = eval(
        &default_run(&root().join("models.toml")),
        &options(),
        &mut |_| {},
    )
    .expect("eval runs");
    assert_eq!(predictions.len(), 5);
    let tmp = tempfile::tempdir().unwrap();
    quoteval::app::write_predictions(&predictions, tmp.path(), false).unwrap();
    for doc in &predictions {
        let article = &doc.article;
        let chars: Vec<char> = article.text().chars().collect();
        assert!(!doc.mentions.is_empty(), "{}: no mentions", doc.id());
        for m in &doc.mentions {
            let text = article.get(m.span).expect("span inside the article");
            assert!(
                !text.is_empty() && text.trim() == text,
                "{}: {:?} at {}",
                doc.id(),
                text,
                m.span
            );
            // Mentions are whole words: never a piece of one (the possessive ’s is outside).
            assert!(
                !is_word(m.span.start.checked_sub(1).map(|i| chars[i]))
                    || !is_word(Some(chars[m.span.start])),
                "{}: {text:?} starts inside a word",
                doc.id()
            );
            assert!(
                !is_word(chars.get(m.span.end).copied()) || !is_word(Some(chars[m.span.end - 1])),
                "{}: {text:?} ends inside a word",
                doc.id()
            );
        }
        for q in &doc.quotes {
            assert!(
                article.get(q.span).is_some_and(|t| !t.is_empty()),
                "{}: quote at {}",
                doc.id(),
                q.span
            );
        }
        // Written as anchors, read back to the same char offsets.
        let back = read_document(&path_for(tmp.path(), doc.id()), article.clone())
            .expect("prediction file reads back");
        assert_eq!(back.mentions, doc.mentions, "{}", doc.id());
        assert_eq!(back.quotes, doc.quotes, "{}", doc.id());
    }
    assert!(
        report.run.timing.word_pieces > 3000,
        "{:?}",
        report.run.timing
    );
    // The default is the joint model: one stage, one forward pass over the whole corpus.
    let stages: Vec<(&str, u64)> = report
        .run
        .timing
        .stages
        .iter()
        .map(|s| (s.stage.as_str(), s.word_pieces))
        .collect();
    let pieces = report.run.timing.word_pieces;
    assert_eq!(stages, [("joint", pieces)], "{:?}", report.run.timing);
    assert!(report.run.timing.stages.iter().all(|s| s.seconds > 0.0));
    assert!(
        report.to_table().contains("\n  joint: "),
        "{}",
        report.to_table()
    );

    // The default's predictions written out and read back as an entry of their own score as
    // the model did: draft gold is a prediction written out.
    assert_files_entry_scores_the_same(
        tmp.path(),
        &format!(
            "[models.files]\npredictions = \"{}\"\n",
            tmp.path().display()
        ),
        &report,
    );
}

/// Writes a models.toml of one entry, `files` (its TOML after `default = "files"`), into `dir`,
/// runs it on the gold and checks it scores exactly as `report`.
fn assert_files_entry_scores_the_same(dir: &Path, entry: &str, report: &Report) {
    let models = dir.join("models.toml");
    std::fs::write(&models, format!("default = \"files\"\n{entry}")).unwrap();
    let (again, _) =
        eval(&default_run(&models), &options(), &mut |_| {}).expect("eval from files runs");
    assert_eq!(again.totals.counts, report.totals.counts);
    assert_eq!(again.articles, report.articles);
}

#[test]
fn a_stage_can_come_from_anywhere() {
    // The hybrid entry's mentions read back by a `predictions` NER stage and fed to the same
    // quote stage give the hybrid's report: the quote stage reads mentions, not a model.
    let hybrid = ModelRun::load(
        &root().join("models.toml"),
        Some("quoteval-quote-hybrid"),
        Overrides::default(),
    )
    .expect("the hybrid entry loads");
    let (report, predictions) = eval(&hybrid, &options(), &mut |_| {}).expect("eval runs");
    let stages: Vec<&str> = report
        .run
        .timing
        .stages
        .iter()
        .map(|s| s.stage.as_str())
        .collect();
    assert_eq!(stages, ["ner", "quotes"], "{:?}", report.run.timing);
    let tmp = tempfile::tempdir().unwrap();
    quoteval::app::write_predictions(&predictions, tmp.path(), false).unwrap();
    assert_files_entry_scores_the_same(
        tmp.path(),
        &format!(
            "[models.files.ner]\nbackend = \"predictions\"\npath = \"{}\"\n\
             [models.files.quotes]\nbackend = \"hybrid\"\npath = \"{}\"\nspeech_only = true\n",
            tmp.path().display(),
            root().join("models/quoteval-quote-minilm").display()
        ),
        &report,
    );
}

#[test]
fn default_model_quality_floors_on_the_gold_corpus() {
    let (report, _) = eval(
        &default_run(&root().join("models.toml")),
        &options(),
        &mut |_| {},
    )
    .expect("eval runs");
    let m = &report.totals.metrics;
    let (Some(entities), Some(quotes), Some(speakers)) = (&m.entities, &m.quotes, &m.speakers)
    else {
        panic!("every layer is scored: {m:?}");
    };
    let person = entities.by_type[&EntityType::Person].strict.f1;
    let place = entities.by_type[&EntityType::Place].strict.f1;
    assert!(person >= 0.95, "PERSON strict F1 {person}");
    assert!(place >= 0.85, "PLACE strict F1 {place}");
    assert!(
        entities.micro.entity_type.f1 >= 0.85,
        "micro type F1 {}",
        entities.micro.entity_type.f1
    );
    assert!(
        quotes["0.3"].scopes["all"].prf.f1 >= 0.90,
        "quotes F1 at 0.3 {}",
        quotes["0.3"].scopes["all"].prf.f1
    );
    assert!(speakers.f1 >= 0.85, "speakers F1 {}", speakers.f1);
}

#[test]
fn default_model_reads_case_on_multibyte_text() {
    let models = ModelsFile::load(&root().join("models.toml")).unwrap();
    let _ = options();
    let mut backend = models
        .build(&models.default, &Overrides::default())
        .unwrap();
    let text = "“We agree,” said Zelenskyy’s aide in Kryvyi Rih — and Emmanuel Macron met Xi Jinping in Beijing.";
    let article = Arc::new(Article::new("t", text));
    let doc = backend
        .annotate(std::slice::from_ref(&article), &mut |_| {})
        .unwrap()
        .remove(0);
    let found: Vec<(&str, EntityType)> = doc
        .mentions
        .iter()
        .map(|m| (article.slice(m.span), m.entity_type))
        .collect();
    for expected in [
        ("Zelenskyy", EntityType::Person),
        ("Emmanuel Macron", EntityType::Person),
        ("Xi Jinping", EntityType::Person),
        ("Beijing", EntityType::Place),
    ] {
        assert!(found.contains(&expected), "{expected:?} not in {found:?}");
    }
}
