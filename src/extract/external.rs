//! Stages whose annotations come from outside: a directory or JSON Lines file another system
//! wrote (`backend = "predictions"`), or a program quoteval runs over the articles
//! (`backend = "command"`). Either can be a pipeline's NER stage (its mentions are used) or its
//! quote stage (its quotes and speakers are used), so that another model's entities can feed our
//! quote rules, or our entities another quote extractor.
//!
//! The command contract (README, "Command backends"):
//! - quoteval writes every article verbatim as `<input>/<article>.txt` (UTF-8) into a fresh
//!   directory, and creates an empty `<output>` directory;
//! - it runs the program (no shell) with `{input}` and `{output}` in its arguments replaced by
//!   those directories (also given as `QUOTEVAL_INPUT` and `QUOTEVAL_OUTPUT`), in the directory
//!   of `models.toml`;
//! - the program writes annotations into `<output>`: one JSON Lines file (one article a line) or
//!   `<article>.json` files, items by char offsets (`start`/`end`) or by text, entity types in
//!   the stage's `labels` set;
//! - exit status 0 is success; any other status, or running past `timeout` seconds (the program
//!   is killed), fails the run with the end of the program's stderr.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use serde::Deserialize;

use super::predictions::PredictionsBackend;
use super::{Backend, EntityRecognizer, ExtractError, ExtractStats, Progress, QuoteExtractor};
use super::{QuoteFindings, RunNote};
use crate::annotation::{Article, Document, Layer, Mention};
use crate::format::labels::LabelSet;

/// `backend = "predictions"` as a stage: annotations read from `path`.
#[derive(Debug, Clone, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct FilesSettings {
    /// A directory of annotation files (and JSON Lines files), or one `.jsonl` file.
    pub path: PathBuf,
    /// The label set the files' entity types are in (default `quoteval`).
    #[serde(default)]
    pub labels: Option<String>,
}

/// `backend = "command"`: annotations written by a program run over the articles.
#[derive(Debug, Clone, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct CommandSettings {
    /// The program and its arguments; `{input}` and `{output}` are replaced by the directories.
    pub command: Vec<String>,
    /// The label set of the entity types it writes (default `quoteval`).
    #[serde(default)]
    pub labels: Option<String>,
    /// Seconds before the program is killed (default 3600).
    #[serde(default)]
    pub timeout: Option<u64>,
}

/// Where an external stage's annotations come from.
#[derive(Debug, Clone)]
pub enum Source {
    Files(PathBuf),
    Command {
        argv: Vec<String>,
        /// The directory the program runs in (that of models.toml).
        workdir: PathBuf,
        timeout: Duration,
    },
}

/// A stage fed by annotations from outside; see the module documentation.
pub struct ExternalStage {
    source: Source,
    labels: LabelSet,
    /// The annotations of the articles of the current run.
    docs: BTreeMap<String, Document>,
    notes: Vec<RunNote>,
    /// Seconds the program ran (commands only).
    seconds: f64,
}

const DEFAULT_TIMEOUT_SECONDS: u64 = 3600;

/// The label set a stage or entry names (`labels = "..."`), ours when it names none.
pub fn label_set(labels: &Option<String>) -> Result<LabelSet, String> {
    match labels {
        None => Ok(LabelSet::Quoteval),
        Some(name) => name.parse(),
    }
}

impl ExternalStage {
    /// A stage reading `settings.path` (relative paths already resolved by the caller).
    pub fn files(path: PathBuf, settings: &FilesSettings) -> Result<ExternalStage, String> {
        if !path.exists() {
            return Err(format!("predictions {} do not exist", path.display()));
        }
        Ok(ExternalStage::new(
            Source::Files(path),
            label_set(&settings.labels)?,
        ))
    }

    /// A stage running `settings.command` in `workdir`.
    pub fn command(settings: &CommandSettings, workdir: PathBuf) -> Result<ExternalStage, String> {
        if settings.command.is_empty() {
            return Err("`command` is empty: give the program and its arguments".into());
        }
        Ok(ExternalStage::new(
            Source::Command {
                argv: settings.command.clone(),
                workdir,
                timeout: Duration::from_secs(settings.timeout.unwrap_or(DEFAULT_TIMEOUT_SECONDS)),
            },
            label_set(&settings.labels)?,
        ))
    }

    fn new(source: Source, labels: LabelSet) -> ExternalStage {
        ExternalStage {
            source,
            labels,
            docs: BTreeMap::new(),
            notes: Vec::new(),
            seconds: 0.0,
        }
    }

    /// Reads (or produces, by running the program) the annotations of `articles`.
    pub fn load(
        &mut self,
        articles: &[Arc<Article>],
        progress: Progress,
    ) -> Result<(), ExtractError> {
        self.docs.clear();
        let docs = match &self.source {
            Source::Files(path) => {
                let mut files = PredictionsBackend::with_labels(path.clone(), self.labels);
                let docs = files.annotate(articles, progress)?;
                self.notes = files.notes();
                docs
            }
            Source::Command {
                argv,
                workdir,
                timeout,
            } => {
                let t = Instant::now();
                let run = CommandRun::create()?;
                let ran = run
                    .write_inputs(articles)
                    .and_then(|()| run.execute(argv, workdir, *timeout));
                self.seconds = t.elapsed().as_secs_f64();
                let mut files = PredictionsBackend::with_labels(run.output.clone(), self.labels);
                let docs = ran.and_then(|()| files.annotate(articles, progress));
                self.notes = files.notes();
                run.remove();
                docs?
            }
        };
        self.docs = docs.into_iter().map(|d| (d.id().to_string(), d)).collect();
        Ok(())
    }

    /// The annotation of one article, checked to cover `layer`: a stage that does not cover
    /// what it is used for is an error, never an empty layer.
    fn layer_of(&self, id: &str, layer: Layer) -> Result<Option<&Document>, ExtractError> {
        let Some(doc) = self.docs.get(id) else {
            return Ok(None);
        };
        if !doc.covers(layer) {
            return Err(ExtractError::Unsupported(format!(
                "{}: the annotation of article {id} does not cover {} (its \"layers\" leave them out), \
                 which this stage is used for",
                self.describe_source(),
                layer.name()
            )));
        }
        Ok(Some(doc))
    }

    fn describe_source(&self) -> String {
        match &self.source {
            Source::Files(path) => format!("predictions from {}", path.display()),
            Source::Command { argv, .. } => format!("command `{}`", argv.join(" ")),
        }
    }
}

impl EntityRecognizer for ExternalStage {
    fn describe(&self) -> String {
        format!("{} (labels {})", self.describe_source(), self.labels)
    }

    fn recognize(
        &mut self,
        articles: &[Arc<Article>],
        progress: Progress,
    ) -> Result<Vec<Vec<Mention>>, ExtractError> {
        self.load(articles, progress)?;
        articles
            .iter()
            .map(|a| {
                Ok(self
                    .layer_of(&a.id, Layer::Mentions)?
                    .map(|d| d.mentions.clone())
                    .unwrap_or_default())
            })
            .collect()
    }

    fn stats(&self) -> ExtractStats {
        ExtractStats {
            load_seconds: self.seconds,
            ..ExtractStats::default()
        }
    }

    fn notes(&self) -> Vec<RunNote> {
        self.notes.clone()
    }
}

impl QuoteExtractor for ExternalStage {
    fn describe(&self) -> String {
        self.describe_source()
    }

    /// Reads (or runs the program for) the whole batch once, then hands out each article's.
    fn extract_batch(
        &mut self,
        articles: &[Arc<Article>],
        mentions: &[Vec<Mention>],
    ) -> Result<Vec<QuoteFindings>, ExtractError> {
        self.load(articles, &mut |_| {})?;
        for a in articles {
            self.layer_of(&a.id, Layer::Quotes)?;
        }
        Ok(articles
            .iter()
            .zip(mentions)
            .map(|(a, m)| self.extract(a, m))
            .collect())
    }

    fn extract(&self, article: &Article, _mentions: &[Mention]) -> QuoteFindings {
        match self.docs.get(&article.id) {
            Some(doc) => QuoteFindings {
                quotes: doc.quotes.clone(),
                speakers: doc.speakers.clone(),
            },
            None => QuoteFindings::default(),
        }
    }

    fn notes(&self) -> Vec<RunNote> {
        self.notes.clone()
    }
}

/// The directories of one run of a command.
struct CommandRun {
    root: PathBuf,
    input: PathBuf,
    output: PathBuf,
}

impl CommandRun {
    fn create() -> Result<CommandRun, ExtractError> {
        static RUNS: AtomicUsize = AtomicUsize::new(0);
        let root = std::env::temp_dir().join(format!(
            "quoteval-command-{}-{}",
            std::process::id(),
            RUNS.fetch_add(1, Ordering::Relaxed)
        ));
        let run = CommandRun {
            input: root.join("input"),
            output: root.join("output"),
            root,
        };
        for dir in [&run.input, &run.output] {
            std::fs::create_dir_all(dir).map_err(|e| {
                ExtractError::Unsupported(format!("cannot create {}: {e}", dir.display()))
            })?;
        }
        Ok(run)
    }

    fn write_inputs(&self, articles: &[Arc<Article>]) -> Result<(), ExtractError> {
        for a in articles {
            let path = self.input.join(format!("{}.txt", a.id));
            std::fs::write(&path, a.text().as_bytes()).map_err(|e| {
                ExtractError::Unsupported(format!("cannot write {}: {e}", path.display()))
            })?;
        }
        Ok(())
    }

    fn execute(
        &self,
        argv: &[String],
        workdir: &Path,
        timeout: Duration,
    ) -> Result<(), ExtractError> {
        let fill = |arg: &String| {
            arg.replace("{input}", &self.input.to_string_lossy())
                .replace("{output}", &self.output.to_string_lossy())
        };
        let args: Vec<String> = argv.iter().map(fill).collect();
        let shown = args.join(" ");
        let fail =
            |message: String| ExtractError::Unsupported(format!("command `{shown}`: {message}"));
        let stderr_path = self.root.join("stderr.txt");
        let stderr = std::fs::File::create(&stderr_path)
            .map_err(|e| fail(format!("cannot create {}: {e}", stderr_path.display())))?;
        let mut child = Command::new(&args[0])
            .args(&args[1..])
            .current_dir(workdir)
            .env("QUOTEVAL_INPUT", &self.input)
            .env("QUOTEVAL_OUTPUT", &self.output)
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(stderr)
            .spawn()
            .map_err(|e| fail(format!("cannot start {:?}: {e}", args[0])))?;
        let started = Instant::now();
        let status = loop {
            match child.try_wait() {
                Ok(Some(status)) => break status,
                Ok(None) if started.elapsed() >= timeout => {
                    let _ = child.kill();
                    let _ = child.wait();
                    return Err(fail(format!(
                        "still running after {} s (the stage's `timeout`): killed{}",
                        timeout.as_secs(),
                        stderr_tail(&stderr_path)
                    )));
                }
                Ok(None) => std::thread::sleep(Duration::from_millis(20)),
                Err(e) => return Err(fail(format!("cannot wait for it: {e}"))),
            }
        };
        if !status.success() {
            let code = status
                .code()
                .map_or_else(|| "a signal".to_string(), |c| format!("status {c}"));
            return Err(fail(format!(
                "exited with {code}{}",
                stderr_tail(&stderr_path)
            )));
        }
        Ok(())
    }

    fn remove(&self) {
        let _ = std::fs::remove_dir_all(&self.root);
    }
}

/// The last lines the program wrote to stderr, to show with its failure.
fn stderr_tail(path: &Path) -> String {
    let text = std::fs::read_to_string(path).unwrap_or_default();
    let lines: Vec<&str> = text.lines().collect();
    if lines.is_empty() {
        return String::new();
    }
    let tail = &lines[lines.len().saturating_sub(20)..];
    format!("; its stderr ends:\n{}", tail.join("\n"))
}
