//! The commands behind the CLI, as library functions: each takes plain options and returns a
//! report or a value, so `main` only parses arguments and prints.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::{Instant, SystemTime, UNIX_EPOCH};

use anyhow::{bail, Context, Result};

use crate::annotation::{Article, Document, Status};
use crate::corpus::{stem, Corpus};
use crate::evaluate::score_corpus;
use crate::extract::predictions::PredictionsBackend;
use crate::extract::{Backend, Progress};
use crate::format::json::{path_for, read_document, write_document};
use crate::models::{ModelsFile, Overrides};
use crate::report::{CorpusInfo, Report, Run, Timing};

/// Options of `quoteval eval`.
#[derive(Debug, Clone)]
pub struct EvalOptions {
    pub models_file: PathBuf,
    /// `None`: the file's default entry.
    pub model: Option<String>,
    pub gold_dir: PathBuf,
    pub overrides: Overrides,
}

fn now() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_secs())
        .unwrap_or(0)
}

/// Loads the gold corpus: articles and their gold files, all of which must exist and be valid.
pub fn load_gold(dir: &Path) -> Result<(Corpus, BTreeMap<String, Document>, Vec<String>)> {
    let corpus = Corpus::load(dir)
        .map_err(anyhow::Error::from)
        .with_context(|| format!("reading corpus {}", dir.display()))?;
    let annotations = corpus
        .load_annotations(dir)
        .map_err(anyhow::Error::from)
        .context("reading gold annotations")?;
    if !annotations.missing.is_empty() {
        bail!(
            "{} article(s) in {} have no gold file: {} (draft one with `quoteval gold draft`)",
            annotations.missing.len(),
            dir.display(),
            annotations.missing.join(", ")
        );
    }
    let drafts: Vec<String> = annotations
        .docs
        .values()
        .filter(|d| d.status == Status::Draft)
        .map(|d| d.id().to_string())
        .collect();
    let mut notes = Vec::new();
    if !drafts.is_empty() {
        notes.push(format!(
            "{} gold file(s) are unreviewed drafts: {}",
            drafts.len(),
            drafts.join(", ")
        ));
    }
    Ok((corpus, annotations.docs, notes))
}

/// Runs a model entry over the gold corpus and scores it. Returns the report and the predictions.
pub fn eval(options: &EvalOptions, progress: Progress) -> Result<(Report, Vec<Document>)> {
    let started_at = now();
    let wall = Instant::now();
    let models = ModelsFile::load(&options.models_file)?;
    let name = options
        .model
        .clone()
        .unwrap_or_else(|| models.default.clone());
    let (corpus, gold, mut notes) = load_gold(&options.gold_dir)?;

    let t = Instant::now();
    let mut backend = models.build(&name, &options.overrides)?;
    let build_seconds = t.elapsed().as_secs_f64();
    let t = Instant::now();
    let predictions = backend.annotate(&corpus.articles, progress)?;
    let extract_seconds = t.elapsed().as_secs_f64();
    for p in &predictions {
        notes.extend(
            p.notes
                .iter()
                .filter(|n| n.starts_with("no prediction file"))
                .cloned(),
        );
    }

    let t = Instant::now();
    let by_id: BTreeMap<String, Document> = predictions
        .iter()
        .map(|d| (d.id().to_string(), d.clone()))
        .collect();
    let (counts, articles) = score_corpus(&gold, &by_id);
    let score_seconds = t.elapsed().as_secs_f64();

    let mut settings = models.settings_of(&name);
    settings.insert(
        "models_file".into(),
        options.models_file.display().to_string().into(),
    );
    if let Some(threads) = options.overrides.threads {
        settings.insert("threads_override".into(), threads.into());
    }
    if let Some(batch) = options.overrides.batch_size {
        settings.insert("batch_size_override".into(), batch.into());
    }
    if let Some(device) = &options.overrides.device {
        settings.insert("device_override".into(), device.clone().into());
    }
    if let Some(dtype) = &options.overrides.dtype {
        settings.insert("dtype_override".into(), dtype.clone().into());
    }
    let stats = backend.stats();
    let mut timing = Timing {
        started_at,
        extract_seconds,
        score_seconds,
        ..Timing::default()
    }
    .with_extraction(&stats, corpus.articles.len());
    if timing.load_seconds == 0.0 {
        timing.load_seconds = build_seconds;
    }
    timing.wall_seconds = wall.elapsed().as_secs_f64();
    let run = Run {
        command: "eval".into(),
        model: Some(name),
        backend: backend.describe(),
        corpus: corpus_info(&corpus),
        predictions: None,
        settings,
        timing,
    };
    Ok((Report::new(run, counts, articles, notes), predictions))
}

fn corpus_info(corpus: &Corpus) -> CorpusInfo {
    CorpusInfo {
        path: corpus.dir.display().to_string(),
        fingerprint: corpus.fingerprint(),
        articles: corpus.ids(),
    }
}

/// `quoteval score GOLD PRED`: two corpus directories, or two annotation files (the article
/// text is the `.txt` beside the gold file). `command` names the run ("score" or "agree").
pub fn score_paths(gold: &Path, pred: &Path, command: &str) -> Result<Report> {
    let started_at = now();
    let wall = Instant::now();
    let (corpus, gold_docs, mut notes, pred_docs) = if gold.is_dir() {
        if !pred.is_dir() {
            bail!(
                "{} is a directory but {} is not: give two directories or two files",
                gold.display(),
                pred.display()
            );
        }
        let (corpus, gold_docs, notes) = load_gold(gold)?;
        let mut backend = PredictionsBackend {
            dir: pred.to_path_buf(),
        };
        let preds = backend.annotate(&corpus.articles, &mut |_| {})?;
        (corpus, gold_docs, notes, preds)
    } else {
        let text_path = gold.with_extension("txt");
        let text = std::fs::read_to_string(&text_path).with_context(|| {
            format!(
                "reading the article of {} (expected at {})",
                gold.display(),
                text_path.display()
            )
        })?;
        let article = Arc::new(Article::new(stem(gold), text));
        let gold_doc = read_document(gold, article.clone()).map_err(crate::format::Problems)?;
        let pred_doc = read_document(pred, article.clone()).map_err(crate::format::Problems)?;
        let dir = gold.parent().unwrap_or(Path::new(".")).to_path_buf();
        let corpus = Corpus {
            dir,
            articles: vec![article],
        };
        (
            corpus,
            BTreeMap::from([(gold_doc.id().to_string(), gold_doc)]),
            Vec::new(),
            vec![pred_doc],
        )
    };
    for p in &pred_docs {
        notes.extend(
            p.notes
                .iter()
                .filter(|n| n.starts_with("no prediction file"))
                .cloned(),
        );
    }
    let t = Instant::now();
    let by_id: BTreeMap<String, Document> = pred_docs
        .into_iter()
        .map(|d| (d.id().to_string(), d))
        .collect();
    let (counts, articles) = score_corpus(&gold_docs, &by_id);
    let timing = Timing {
        started_at,
        score_seconds: t.elapsed().as_secs_f64(),
        wall_seconds: wall.elapsed().as_secs_f64(),
        ..Timing::default()
    };
    let run = Run {
        command: command.into(),
        model: None,
        backend: format!("annotations in {}", pred.display()),
        corpus: corpus_info(&corpus),
        predictions: Some(pred.display().to_string()),
        settings: BTreeMap::new(),
        timing,
    };
    Ok(Report::new(run, counts, articles, notes))
}

/// Writes predictions as annotation files (drafts) into `dir`, skipping none: an existing file
/// is an error unless `force`. Returns the paths written.
pub fn write_predictions(docs: &[Document], dir: &Path, force: bool) -> Result<Vec<PathBuf>> {
    let mut written = Vec::new();
    for doc in docs {
        let path = path_for(dir, doc.id());
        let mut draft = doc.clone();
        draft.status = Status::Draft;
        write_document(&draft, &path, force)?;
        written.push(path);
    }
    Ok(written)
}
