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
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use serde::Deserialize;

use super::predictions::PredictionsBackend;
use super::StageError;
use super::{Backend, EntityRecognizer, ExtractError, ExtractStats, Progress, QuoteExtractor};
use super::{QuoteFindings, RunNote};
use crate::annotation::{AnchorRecord, Article, Document, Layer, Mention, Unanchored};
use crate::format::labels::{LabelSet, UnknownLabelSet};

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
    /// Keep a command's work directory after a successful run too (a failed run always keeps
    /// it).
    keep_workdir: bool,
}

const DEFAULT_TIMEOUT_SECONDS: u64 = 3600;

/// The label set a stage or entry names (`labels = "..."`), ours when it names none.
pub fn label_set(labels: &Option<String>) -> Result<LabelSet, UnknownLabelSet> {
    match labels {
        None => Ok(LabelSet::Quoteval),
        Some(name) => name.parse(),
    }
}

impl ExternalStage {
    /// A stage reading `settings.path` (relative paths already resolved by the caller).
    pub fn files(path: PathBuf, settings: &FilesSettings) -> Result<ExternalStage, StageError> {
        if !path.exists() {
            return Err(StageError::MissingPredictions(path));
        }
        Ok(ExternalStage::new(
            Source::Files(path),
            label_set(&settings.labels)?,
        ))
    }

    /// A stage running `settings.command` in `workdir`.
    pub fn command(
        settings: &CommandSettings,
        workdir: PathBuf,
    ) -> Result<ExternalStage, StageError> {
        if settings.command.is_empty() {
            return Err(StageError::EmptyCommand);
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
            keep_workdir: false,
        }
    }

    /// Keeps a command's work directory after a successful run (`--keep-workdir`).
    pub fn keeping_workdir(mut self, keep: bool) -> ExternalStage {
        self.keep_workdir = keep;
        self
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
                // A failed run keeps its files for the user to look at, and says where.
                match (run.finish(docs.is_err() || self.keep_workdir), docs) {
                    (Some(kept), Err(e)) => {
                        return Err(ExtractError::Kept {
                            kept,
                            source: Box::new(e),
                        })
                    }
                    (Some(kept), Ok(docs)) => {
                        self.notes.push(RunNote::WorkdirKept(kept));
                        docs
                    }
                    (None, docs) => docs?,
                }
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

    fn placed_by_text(&self, article: &str) -> (Vec<AnchorRecord>, Vec<Unanchored>) {
        self.placed(article, Layer::Mentions)
    }
}

impl ExternalStage {
    /// The text placements of one layer of one article's annotation.
    fn placed(&self, article: &str, layer: Layer) -> (Vec<AnchorRecord>, Vec<Unanchored>) {
        match self.docs.get(article) {
            Some(doc) => (
                doc.anchoring
                    .iter()
                    .filter(|r| r.layer == layer)
                    .cloned()
                    .collect(),
                doc.unanchored
                    .iter()
                    .filter(|u| u.layer == layer)
                    .cloned()
                    .collect(),
            ),
            None => (Vec::new(), Vec::new()),
        }
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
        _mentions: &[Vec<Mention>],
    ) -> Result<Vec<QuoteFindings>, ExtractError> {
        self.load(articles, &mut |_| {})?;
        for a in articles {
            self.layer_of(&a.id, Layer::Quotes)?;
        }
        Ok(articles.iter().map(|a| self.quotes_of(a)).collect())
    }

    fn notes(&self) -> Vec<RunNote> {
        self.notes.clone()
    }
}

impl ExternalStage {
    /// One article's quotes from what [`ExternalStage::load`] read.
    fn quotes_of(&self, article: &Article) -> QuoteFindings {
        match self.docs.get(&article.id) {
            Some(doc) => {
                let (anchoring, unanchored) = self.placed(&article.id, Layer::Quotes);
                QuoteFindings {
                    quotes: doc.quotes.clone(),
                    speakers: doc.speakers.clone(),
                    anchoring,
                    unanchored,
                }
            }
            None => QuoteFindings::default(),
        }
    }
}

/// The work directories of command runs still in progress, removed by [`remove_on_signal`]'s
/// handler when the process is interrupted.
static LIVE_RUNS: Mutex<Vec<PathBuf>> = Mutex::new(Vec::new());

/// Removes the work directories of the command runs in progress (they hold the article texts)
/// when the process gets SIGINT, SIGTERM or SIGHUP, then exits with 130. The executable calls
/// it once at start; a library user with its own handler can skip it.
pub fn remove_on_signal() -> Result<(), ctrlc::Error> {
    ctrlc::set_handler(|| {
        let dirs = LIVE_RUNS.lock().map(|d| d.clone()).unwrap_or_default();
        for dir in dirs {
            let _ = std::fs::remove_dir_all(dir);
        }
        std::process::exit(130);
    })
}

/// The directories of one run of a command: new for each run, readable by its owner only.
struct CommandRun {
    root: PathBuf,
    input: PathBuf,
    output: PathBuf,
}

/// How much of a program's stderr a failure message shows: its end, at most this many bytes.
const STDERR_SHOWN_BYTES: u64 = 16 * 1024;

impl CommandRun {
    fn create() -> Result<CommandRun, ExtractError> {
        // tempfile makes the directory with a random name and mode 0700: a fresh one for every
        // run (no stale files from an earlier run are scored) that no other user can read.
        let mut builder = tempfile::Builder::new();
        builder.prefix("quoteval-command-");
        #[cfg(unix)]
        builder.permissions(std::os::unix::fs::PermissionsExt::from_mode(0o700));
        let root = builder
            .tempdir()
            .map_err(|e| ExtractError::Unsupported(format!("cannot create a work directory: {e}")))?
            .keep();
        if let Ok(mut live) = LIVE_RUNS.lock() {
            live.push(root.clone());
        }
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
        let mut command = Command::new(&args[0]);
        command
            .args(&args[1..])
            .current_dir(workdir)
            .env("QUOTEVAL_INPUT", &self.input)
            .env("QUOTEVAL_OUTPUT", &self.output)
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(stderr);
        // A process group of its own, so that a timeout ends the program and everything it
        // started (`bash -c "sleep 47"` leaves the sleep behind when only bash is killed).
        #[cfg(unix)]
        std::os::unix::process::CommandExt::process_group(&mut command, 0);
        let mut child = command.spawn().map_err(|e| {
            fail(format!(
                "cannot start {:?} in {}: {e}",
                args[0],
                workdir.display()
            ))
        })?;
        let started = Instant::now();
        let status = loop {
            match child.try_wait() {
                Ok(Some(status)) => break status,
                Ok(None) if started.elapsed() >= timeout => {
                    kill_group(&mut child);
                    return Err(fail(format!(
                        "still running after {} s (the stage's `timeout`): killed with its \
                         process group{}",
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

    /// Removes the directory, or keeps it and says where.
    fn finish(self, keep: bool) -> Option<PathBuf> {
        if let Ok(mut live) = LIVE_RUNS.lock() {
            live.retain(|d| d != &self.root);
        }
        if keep {
            Some(self.root)
        } else {
            let _ = std::fs::remove_dir_all(&self.root);
            None
        }
    }
}

/// Kills the child's whole process group (it leads one, see `execute`), then reaps it.
fn kill_group(child: &mut std::process::Child) {
    #[cfg(unix)]
    if let Ok(pid) = i32::try_from(child.id()) {
        // SAFETY: kill(2) with a negative pid signals that process group; no memory is touched.
        unsafe {
            libc::kill(-pid, libc::SIGKILL);
        }
    }
    let _ = child.kill();
    let _ = child.wait();
}

/// The end of what the program wrote to stderr (its last 20 lines, at most
/// [`STDERR_SHOWN_BYTES`]), to show with its failure; bytes that are not UTF-8 are shown as �.
fn stderr_tail(path: &Path) -> String {
    use std::io::{Read, Seek, SeekFrom};
    let mut bytes = Vec::new();
    if let Ok(mut f) = std::fs::File::open(path) {
        let len = f.metadata().map(|m| m.len()).unwrap_or(0);
        let from = len.saturating_sub(STDERR_SHOWN_BYTES);
        if f.seek(SeekFrom::Start(from)).is_ok() {
            let _ = f.take(STDERR_SHOWN_BYTES).read_to_end(&mut bytes);
        }
        if from > 0 {
            // Start at a line, not inside one (or inside a character).
            if let Some(nl) = bytes.iter().position(|&b| b == b'\n') {
                bytes.drain(..=nl);
            }
        }
    }
    let text = String::from_utf8_lossy(&bytes);
    let lines: Vec<&str> = text.lines().collect();
    if lines.is_empty() {
        return String::new();
    }
    let tail = &lines[lines.len().saturating_sub(20)..];
    format!("; its stderr ends:\n{}", tail.join("\n"))
}
