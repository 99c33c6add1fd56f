//! The commands behind the CLI, as library functions: each takes plain options and returns a
//! report or a value, so `main` only parses arguments and prints.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::{Instant, SystemTime, UNIX_EPOCH};

use crate::annotation::{Article, Document, Status};
use crate::check::{check_rules, Rules};
use crate::corpus::{stem, Corpus};
use crate::evaluate::score_corpus;
use crate::exit::{Exit, Failure};
use crate::extract::predictions::PredictionsBackend;
use crate::extract::{Backend, ExtractError, Progress};
use crate::format::json::{path_for, read_document, write_document};
use crate::format::labels::LabelSet;
use crate::format::{Problem, Problems, WriteError};
use crate::models::{ModelRun, ModelsError};
use crate::report::{CorpusInfo, Report, Run, StageTiming, Timing};

/// Why a command could not do its work. Each variant keeps its cause as a value, so the CLI
/// picks the exit code from the type ([`crate::exit::Exit::of_chain`]), never from the wording.
#[derive(Debug, thiserror::Error)]
/// Each variant's cause is its `source()`, so that the exit code is read off the error chain
/// (`exit::Exit::of_chain`) without `exit` knowing this type.
pub enum AppError {
    /// A failure that already carries its exit code.
    #[error("{0}")]
    Failure(#[from] Failure),
    #[error("{0}")]
    Models(#[from] ModelsError),
    #[error("{0}")]
    Extract(#[from] ExtractError),
    #[error("{0}")]
    Write(#[from] WriteError),
    /// Bad input, each problem with its file, line and item.
    #[error("{0}")]
    Problems(#[from] Problems),
    /// A CoNLL file (or the tags a model's run made of one) that conlleval's reading refuses.
    #[error("{0}")]
    Conll(#[from] crate::score::conll::ConllError),
    /// Gold that breaks the rules a score depends on ([`crate::check::Rules::Scoring`]).
    #[error("{what} fails `quoteval gold check`")]
    GoldCheck {
        what: String,
        #[source]
        problems: Problems,
    },
    /// A file that cannot be read.
    #[error("reading {path}")]
    Read {
        path: String,
        #[source]
        source: std::io::Error,
    },
    /// The article text beside an annotation file.
    #[error("reading the article of {gold} (expected at {text})")]
    ArticleText {
        gold: String,
        text: String,
        #[source]
        source: std::io::Error,
    },
}

pub type Result<T, E = AppError> = std::result::Result<T, E>;

/// Options of `quoteval eval`.
#[derive(Debug, Clone)]
pub struct EvalOptions {
    pub gold_dir: PathBuf,
    /// Run one shard of the corpus only (`report merge` joins the shards' reports).
    pub shard: Option<crate::corpus::Shard>,
}

fn now() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_secs())
        .unwrap_or(0)
}

/// Loads the gold corpus: articles and their gold files, all of which must exist and be valid
/// under the rules a score depends on ([`Rules::Scoring`]: a duplicate speaker or place would be
/// counted twice); the guidelines' other conventions are `gold check`'s, not the scorer's, so a
/// dataset imported literally is scored as annotated.
pub fn load_gold(dir: &Path) -> Result<(Corpus, BTreeMap<String, Document>, Vec<String>)> {
    load_gold_from(dir, dir)
}

/// [`load_gold`] with the articles in `texts` and the gold files in `dir`.
pub fn load_gold_from(
    texts: &Path,
    dir: &Path,
) -> Result<(Corpus, BTreeMap<String, Document>, Vec<String>)> {
    if !dir.is_dir() {
        return Err(Failure::no_input(format!("{}: no such directory", dir.display())).into());
    }
    let corpus = Corpus::load(texts)?;
    let annotations = corpus.load_annotations(dir)?;
    if !annotations.missing.is_empty() {
        return Err(Failure::data(format!(
            "{} article(s) in {} have no gold file: {} (draft one with `quoteval gold draft`)",
            annotations.missing.len(),
            dir.display(),
            annotations.missing.join(", ")
        ))
        .into());
    }
    let problems: Vec<Problem> = annotations
        .docs
        .iter()
        .flat_map(|(id, doc)| check_rules(doc, &path_for(dir, id), Rules::Scoring))
        .collect();
    if !problems.is_empty() {
        return Err(AppError::GoldCheck {
            what: dir.display().to_string(),
            problems: Problems(problems),
        });
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
pub fn eval(
    run: &ModelRun,
    options: &EvalOptions,
    progress: Progress,
) -> Result<(Report, Vec<Document>)> {
    let started_at = now();
    let wall = Instant::now();
    let (mut corpus, mut gold, mut notes) = load_gold(&options.gold_dir)?;
    // A shard's report names the whole corpus, so that the shards' reports can be merged and
    // the merge compared with an unsharded run.
    let fingerprint = corpus.fingerprint();
    if let Some(shard) = options.shard {
        corpus = corpus.shard(shard);
        gold.retain(|id, _| corpus.article(id).is_some());
    }

    let t = Instant::now();
    let mut backend = run.build()?;
    let build_seconds = t.elapsed().as_secs_f64();
    let t = Instant::now();
    let predictions = backend.annotate(&corpus.articles, progress)?;
    let extract_seconds = t.elapsed().as_secs_f64();
    validate_predictions(&predictions)?;
    notes.extend(backend.notes().iter().map(|n| n.to_string()));

    let t = Instant::now();
    let by_id: BTreeMap<String, Document> = predictions
        .iter()
        .map(|d| (d.id().to_string(), d.clone()))
        .collect();
    let (counts, articles) = score_corpus(&gold, &by_id);
    let score_seconds = t.elapsed().as_secs_f64();

    let mut settings = run.settings();
    if let Some(shard) = options.shard {
        settings.insert("shard".into(), shard.to_string().into());
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
    timing.stages = backend.stages().iter().map(StageTiming::new).collect();
    timing.wall_seconds = wall.elapsed().as_secs_f64();
    let meta = Run {
        command: "eval".into(),
        model: Some(run.name.clone()),
        backend: backend.describe(),
        corpus: CorpusInfo {
            fingerprint,
            ..corpus_info(&corpus)
        },
        predictions: None,
        settings,
        timing,
    };
    Ok((Report::new(meta, counts, articles, notes), predictions))
}

fn corpus_info(corpus: &Corpus) -> CorpusInfo {
    CorpusInfo {
        path: corpus.dir.display().to_string(),
        fingerprint: corpus.fingerprint(),
        articles: corpus.ids(),
    }
}

/// A backend's output is checked before it is scored or written: an item that an annotation
/// file cannot hold (an empty or out-of-range span) would be scored here but refused on reading
/// the saved predictions back.
pub fn validate_predictions(docs: &[Document]) -> Result<()> {
    let mut problems = Vec::new();
    for doc in docs {
        let spans =
            doc.mentions
                .iter()
                .map(|m| ("mention", m.span))
                .chain(doc.quotes.iter().flat_map(|q| {
                    [
                        ("quote", Some(q.span)),
                        ("cue", q.cue),
                        ("speaker mention", q.speaker_mention),
                    ]
                    .into_iter()
                    .filter_map(|(what, s)| Some((what, s?)))
                }));
        for (what, span) in spans {
            let text = doc.article.get(span);
            if span.is_empty() || text.is_none() {
                problems.push(format!(
                    "{}: {what} at {span} is empty or outside the article",
                    doc.id()
                ));
            }
        }
    }
    if problems.is_empty() {
        Ok(())
    } else {
        Err(Failure::new(
            Exit::Software,
            format!(
                "the backend produced invalid items:\n{}",
                problems.join("\n")
            ),
        )
        .into())
    }
}

/// `quoteval gold agree A B`: the agreement of two annotations of the articles in `texts`.
pub fn agree(texts: &Path, a: &Path, b: &Path) -> Result<Report> {
    score_dirs(texts, a, b, "agree", LabelSet::Quoteval)
}

/// Refuses, before any model runs, a `--save-predictions` directory that would need files
/// overwritten (without `force`) or that is not a directory.
pub fn check_predictions_target(gold_dir: &Path, dir: &Path, force: bool) -> Result<()> {
    if dir.exists() && !dir.is_dir() {
        return Err(Failure::new(
            Exit::CantCreate,
            format!("--save-predictions {}: not a directory", dir.display()),
        )
        .into());
    }
    // A missing corpus is reported by the command itself, with its own exit code.
    if force || !gold_dir.is_dir() {
        return Ok(());
    }
    let corpus = Corpus::load(gold_dir)?;
    let existing: Vec<String> = corpus
        .articles
        .iter()
        .map(|a| path_for(dir, &a.id))
        .filter(|p| p.exists())
        .map(|p| p.display().to_string())
        .collect();
    if existing.is_empty() {
        Ok(())
    } else {
        Err(Failure::new(
            Exit::CantCreate,
            format!(
                "--save-predictions would overwrite {} file(s): {} (pass --force to replace them)",
                existing.len(),
                existing.join(", ")
            ),
        )
        .into())
    }
}

/// `quoteval score GOLD PRED`: two corpus directories, or two annotation files (the article
/// text is the `.txt` beside the gold file). `command` names the run ("score" or "agree").
/// `score GOLD PRED`: predictions (annotation files or JSON Lines, items by offsets or by text)
/// with entity types in `labels`, against gold.
pub fn score_paths(gold: &Path, pred: &Path, command: &str, labels: LabelSet) -> Result<Report> {
    for path in [gold, pred] {
        if !path.exists() {
            return Err(Failure::no_input(format!(
                "{}: no such file or directory",
                path.display()
            ))
            .into());
        }
    }
    if gold.is_dir() {
        return score_dirs(gold, gold, pred, command, labels);
    }
    score_files(gold, pred, command, labels)
}

fn score_dirs(
    texts: &Path,
    gold: &Path,
    pred: &Path,
    command: &str,
    labels: LabelSet,
) -> Result<Report> {
    let started_at = now();
    let wall = Instant::now();
    // Predictions: a directory, or one JSON Lines file (an article a line).
    let json_lines = pred.is_file()
        && pred
            .extension()
            .map(|x| x.to_string_lossy().to_lowercase())
            .is_some_and(|x| x == "jsonl" || x == "ndjson");
    if !pred.is_dir() && !json_lines {
        return Err(Failure::usage(format!(
            "{} is a directory but {} is not: give two directories, a directory and a .jsonl \
             file, or two files",
            gold.display(),
            pred.display()
        ))
        .into());
    }
    let (corpus, gold_docs, notes) = load_gold_from(texts, gold)?;
    let mut backend = PredictionsBackend::with_labels(pred.to_path_buf(), labels);
    let preds = backend.annotate(&corpus.articles, &mut |_| {})?;
    let mut notes = notes;
    notes.extend(backend.notes().iter().map(|n| n.to_string()));
    let parts = Scored {
        started_at,
        wall,
        corpus,
        gold_docs,
        notes,
        pred_docs: preds,
    };
    Ok(parts.report(gold, pred, command))
}

fn score_files(gold: &Path, pred: &Path, command: &str, labels: LabelSet) -> Result<Report> {
    let started_at = now();
    let wall = Instant::now();
    let text_path = gold.with_extension("txt");
    let text = std::fs::read_to_string(&text_path).map_err(|source| AppError::ArticleText {
        gold: gold.display().to_string(),
        text: text_path.display().to_string(),
        source,
    })?;
    let article = Arc::new(Article::new(stem(gold), text));
    let gold_doc = read_document(gold, article.clone()).map_err(Problems)?;
    let pred_doc = crate::format::json::read_document_as(
        pred,
        article.clone(),
        labels,
        crate::format::json::Reading::Prediction,
    )
    .map_err(Problems)?;
    let problems = check_rules(&gold_doc, gold, Rules::Scoring);
    if !problems.is_empty() {
        return Err(AppError::GoldCheck {
            what: gold.display().to_string(),
            problems: Problems(problems),
        });
    }
    let dir = gold.parent().unwrap_or(Path::new(".")).to_path_buf();
    let corpus = Corpus {
        dir,
        articles: vec![article],
    };
    let parts = Scored {
        started_at,
        wall,
        corpus,
        gold_docs: BTreeMap::from([(gold_doc.id().to_string(), gold_doc)]),
        notes: Vec::new(),
        pred_docs: vec![pred_doc],
    };
    Ok(parts.report(gold, pred, command))
}

/// What `score` and `agree` read, before scoring.
struct Scored {
    started_at: u64,
    wall: Instant,
    corpus: Corpus,
    gold_docs: BTreeMap<String, Document>,
    notes: Vec<String>,
    pred_docs: Vec<Document>,
}

impl Scored {
    fn report(self, gold: &Path, pred: &Path, command: &str) -> Report {
        let notes = self.notes;
        let t = Instant::now();
        let by_id: BTreeMap<String, Document> = self
            .pred_docs
            .into_iter()
            .map(|d| (d.id().to_string(), d))
            .collect();
        let (counts, articles) = score_corpus(&self.gold_docs, &by_id);
        let timing = Timing {
            started_at: self.started_at,
            score_seconds: t.elapsed().as_secs_f64(),
            wall_seconds: self.wall.elapsed().as_secs_f64(),
            ..Timing::default()
        };
        // `agree` names both sides: B's annotations scored against A's.
        let backend = if command == "agree" {
            format!(
                "annotator B ({}) against annotator A ({})",
                pred.display(),
                gold.display()
            )
        } else {
            format!("annotations in {}", pred.display())
        };
        let run = Run {
            command: command.into(),
            model: None,
            backend,
            corpus: corpus_info(&self.corpus),
            predictions: Some(pred.display().to_string()),
            settings: BTreeMap::new(),
            timing,
        };
        Report::new(run, counts, articles, notes)
    }
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

/// What `quoteval eval --conll` produced: the scores, and conlleval's three-column input
/// (`TOKEN GOLD PRED`) they were computed from.
#[derive(Debug, Clone)]
pub struct ConllRun {
    pub scores: crate::score::conll::ConllScores,
    pub tagged: String,
    pub backend: String,
    pub sentences: usize,
    pub seconds: f64,
}

/// `quoteval eval --conll FILE`: runs a model entry's NER stage over the tokens of a CoNLL file
/// and scores it with the conlleval scorer. The sentences become one article, a sentence a
/// line and its tokens joined by spaces, so the model windows across neighbouring sentences
/// as it does in news text. Both columns are scored in our types: the gold tags read through
/// `labels` (CoNLL-2003's MISC, which is none of ours, becomes O), predicted mentions tagged
/// B-/I- on the tokens they overlap.
pub fn eval_conll(
    run: &ModelRun,
    conll: &Path,
    labels: crate::format::labels::LabelSet,
    mode: crate::score::conll::ChunkMode,
) -> Result<ConllRun> {
    use crate::annotation::Span;
    let text = std::fs::read_to_string(conll).map_err(|source| AppError::Read {
        path: conll.display().to_string(),
        source,
    })?;
    let sentences =
        crate::format::conll::read_sentences(&text, conll).map_err(|p| Problems(vec![p]))?;
    let gold_tag = |n: usize, tag: &str| -> Result<String> {
        let Some((prefix, label)) = tag.split_once('-') else {
            return Ok(tag.to_string());
        };
        let mapped = labels.map(label).map_err(|e| {
            Problems(vec![Problem {
                file: conll.to_path_buf(),
                line: None,
                item: format!("sentence {n}"),
                message: e.to_string(),
            }])
        })?;
        Ok(match mapped {
            Some(t) => format!("{prefix}-{}", t.as_str()),
            None => "O".to_string(),
        })
    };

    // The article, and each token's char span in it.
    let mut article = String::new();
    let mut spans: Vec<Vec<Span>> = Vec::with_capacity(sentences.len());
    let mut chars = 0;
    for sentence in &sentences {
        let mut s = Vec::with_capacity(sentence.len());
        for (i, token) in sentence.iter().enumerate() {
            if i > 0 {
                article.push(' ');
                chars += 1;
            }
            let len = token.text.chars().count();
            s.push(Span::new(chars, chars + len));
            article.push_str(&token.text);
            chars += len;
        }
        article.push('\n');
        chars += 1;
        spans.push(s);
    }
    let stem = conll
        .file_stem()
        .map_or_else(|| "conll".to_string(), |s| s.to_string_lossy().into_owned());
    let article = Arc::new(Article::new(&stem, article));

    let mut ner = run.build_ner()?;
    let started = Instant::now();
    let mentions = ner
        .recognize(std::slice::from_ref(&article), &mut |_| {})?
        .pop()
        .unwrap_or_default();
    let seconds = started.elapsed().as_secs_f64();

    let mut tagged = String::new();
    let mut m = 0;
    for (n, (sentence, spans)) in sentences.iter().zip(&spans).enumerate() {
        let mut previous: Option<usize> = None;
        for (token, span) in sentence.iter().zip(spans) {
            while m < mentions.len() && mentions[m].span.end <= span.start {
                m += 1;
            }
            let pred = match mentions.get(m).filter(|x| x.span.overlaps(span)) {
                Some(x) => {
                    let prefix = if previous == Some(m) { "I" } else { "B" };
                    previous = Some(m);
                    format!("{prefix}-{}", x.entity_type.as_str())
                }
                None => {
                    previous = None;
                    "O".to_string()
                }
            };
            let gold = gold_tag(n + 1, &token.tag)?;
            tagged.push_str(&format!("{} {gold} {pred}\n", token.text));
        }
        tagged.push('\n');
    }
    let scores = crate::score::conll::score_conlleval(&tagged, conll, mode)?;
    Ok(ConllRun {
        scores,
        tagged,
        backend: ner.describe(),
        sentences: sentences.len(),
        seconds,
    })
}

#[cfg(test)]
mod exit_tests {
    use super::*;
    use crate::exit::Exit;

    fn chain(err: AppError) -> Exit {
        let err = anyhow::Error::from(err);
        Exit::of_chain(err.chain())
    }

    /// The command errors are judged by their cause, which is each variant's `source()`.
    #[test]
    fn command_errors_exit_by_their_cause() {
        let gold = AppError::GoldCheck {
            what: "gold".into(),
            problems: crate::format::Problems(vec![]),
        };
        assert_eq!(chain(gold), Exit::DataErr);
        let unreadable = AppError::Read {
            path: "x".into(),
            source: std::io::Error::from(std::io::ErrorKind::NotFound),
        };
        assert_eq!(chain(unreadable), Exit::NoInput);
        let failed = AppError::from(Failure::new(Exit::CantCreate, "exists"));
        assert_eq!(chain(failed), Exit::CantCreate);
        let models = AppError::from(ModelsError::Set {
            assignment: "a=1".into(),
            message: "x".into(),
        });
        assert_eq!(chain(models), Exit::Usage);
        let conll = AppError::from(crate::score::conll::ConllError::TooFewColumns {
            file: "x.conll".into(),
            line: 3,
            expected: 2,
            found: 1,
            item: "token".into(),
        });
        assert_eq!(chain(conll), Exit::DataErr);
    }
}
