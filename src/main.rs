//! The `quoteval` command line: argument parsing and printing only; the work is in the library.
//! Built twice: `quoteval` without libtorch, which hands the commands that run a model to
//! `quoteval-ner` (src/bin/quoteval-ner.rs, this file with the `ner` feature); see
//! `quoteval::handoff`.

use std::io::IsTerminal;
use std::num::NonZeroUsize;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::{Context, Result};
use clap::{Args, Parser, Subcommand};

use quoteval::app::{self, EvalOptions};
use quoteval::exit::{Exit, Failure};
use quoteval::extract::bert::settings::{DeviceSetting, DtypeSetting};
use quoteval::models::Overrides;
use quoteval::report::Report;
use quoteval::score::conll::{self, ChunkMode};

/// Writes to stdout through a result, so that a reader that went away (`| head`) ends the
/// command quietly (see `main`) instead of a panic.
macro_rules! out {
    ($($arg:tt)*) => {{
        use std::io::Write as _;
        write!(std::io::stdout().lock(), $($arg)*)
    }};
}

/// Writes a line to stderr; a closed stderr is no reason to fail.
macro_rules! note {
    ($($arg:tt)*) => {{
        use std::io::Write as _;
        let _ = writeln!(std::io::stderr().lock(), $($arg)*);
    }};
}

const EXIT_HELP: &str = "Exit codes: 0 ok; 1 a gate or check failed; 2 compare: reports cannot be \
compared; 64 usage error; 65 bad input data; 66 input missing or unreadable; 70 internal or model \
error; 73 output cannot be written (exists without --force). See README.";

#[derive(Parser)]
#[command(
    name = "quoteval",
    // Also in quoteval-ner's help and errors (clap would take argv[0]): one command line.
    bin_name = "quoteval",
    version,
    about = "Score speaker, place and quote extraction from news articles against hand-labelled gold",
    after_help = EXIT_HELP
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Run a model from models.toml over the gold corpus and score it.
    Eval(EvalArgs),
    /// Score predictions against gold: two corpus directories or two annotation files, or
    /// CoNLL files with --conll.
    Score(ScoreArgs),
    /// Work on the gold corpus.
    #[command(subcommand)]
    Gold(GoldCommand),
    /// Work on model artifacts.
    #[command(subcommand)]
    Model(ModelCommand),
    /// Compare two JSON reports of one corpus (BASE, e.g. main, and CANDIDATE): every metric with
    /// its delta and bootstrap interval, the items that changed, and --fail-below gates. Exit
    /// code 1: a gate failed; 2: the reports cannot be compared; 64: a bad argument.
    Compare(CompareArgs),
    /// Work on JSON reports.
    #[command(subcommand)]
    Report(ReportCommand),
}

#[derive(Subcommand)]
enum ReportCommand {
    /// Join the JSON reports of the shards of one run (`eval --shard K/N`, every K of 1..N) into
    /// the report of the whole run: counts summed, articles and their items kept.
    Merge {
        /// The shards' JSON reports.
        #[arg(required = true)]
        reports: Vec<PathBuf>,
        #[command(flatten)]
        output: OutputArgs,
    },
}

#[derive(Args)]
struct OutputArgs {
    /// Print the JSON report (schema quoteval-report/2).
    #[arg(long, group = "format")]
    json: bool,
    /// Print long-format CSV (article, layer, variant, label, measure, value).
    #[arg(long, group = "format")]
    csv: bool,
    /// Print Markdown tables for a pull-request comment.
    #[arg(long, group = "format")]
    markdown: bool,
    /// Also list every false positive and false negative with article, span and context
    /// (to stderr when stdout carries JSON or CSV).
    #[arg(long)]
    errors: bool,
    /// Write the output to this file (atomically) instead of stdout.
    #[arg(long, short)]
    out: Option<PathBuf>,
    /// Also print the type confusion matrix and the error taxonomy (always in --json).
    #[arg(long)]
    confusion: bool,
    /// Also write the HTML error-analysis report (one self-contained file) here.
    #[arg(long, value_name = "FILE")]
    html: Option<PathBuf>,
    /// An absolute gate (repeatable): exit 1 when METRIC (a name of `compare --list-metrics`)
    /// is below VALUE, e.g. `--min quotes.0.3.f1=0.9`; the report is written first.
    #[arg(long, value_name = "METRIC=VALUE", value_parser = parse_min)]
    min: Vec<(String, f64)>,
}

/// `--min METRIC=VALUE`, checked while the arguments are parsed (an unknown metric is a usage
/// error before any work).
fn parse_min(spec: &str) -> Result<(String, f64)> {
    let (name, value) = spec
        .split_once('=')
        .with_context(|| format!("{spec:?}: expected METRIC=VALUE"))?;
    let metric = quoteval::score::catalogue::resolve_metric(name)
        .with_context(|| format!("unknown metric {name:?} (quoteval compare --list-metrics)"))?;
    let value: f64 = value
        .trim()
        .parse()
        .with_context(|| format!("{value:?} is not a number"))?;
    Ok((metric.name.clone(), value))
}

/// The `--min` gates of a written report: each one short is said on stderr; exit 1 if any.
fn min_gates(report: &Report, output: &OutputArgs) -> Exit {
    let mut failed = false;
    for (name, floor) in &output.min {
        let value =
            quoteval::score::catalogue::get(name).and_then(|q| q.value(&report.totals.counts));
        match value {
            Some(v) if v >= *floor => {}
            Some(v) => {
                note!("gate failed: {name} = {v:.4}, below --min {floor}");
                failed = true;
            }
            None => {
                note!("gate failed: {name} has no value (its layer was not scored), --min {floor}");
                failed = true;
            }
        }
    }
    if failed {
        Exit::Failed
    } else {
        Exit::Ok
    }
}

#[derive(Args)]
struct EvalArgs {
    /// The models.toml entry to run (default: the file's `default`).
    #[arg(long, short)]
    model: Option<String>,
    /// The model registry.
    #[arg(long, default_value = "models.toml")]
    models: PathBuf,
    /// The gold corpus: articles (*.txt) and gold files (*.json).
    #[arg(long, default_value = "gold")]
    gold: PathBuf,
    /// Threads for inference, 1 or more (overrides the entry).
    #[arg(long)]
    threads: Option<NonZeroUsize>,
    /// Batch size for inference, 1 or more (overrides the entry; the NER and the quote tagger).
    #[arg(long)]
    batch_size: Option<NonZeroUsize>,
    /// cpu, cuda, cuda:N (the N-th GPU) or auto (overrides the entry).
    #[arg(long, value_parser = parse_device)]
    device: Option<DeviceSetting>,
    /// Use the model even when its files do not match the SHA256SUMS beside them.
    #[arg(long)]
    skip_checksums: bool,
    /// Set one of the entry's settings for this run, as if written in models.toml (repeatable):
    /// KEY is a dotted path inside [models.NAME], e.g. `--set quotes.speech_only=false`
    /// (recorded in the report's settings).
    #[arg(long, value_name = "KEY=VALUE")]
    set: Vec<String>,
    /// fp32, bf16 or auto: bf16 on CUDA and on CPUs with AMX or AVX-512 BF16 (overrides the
    /// entry).
    #[arg(long, value_parser = parse_dtype)]
    dtype: Option<DtypeSetting>,
    /// Keep a command stage's work directory (the articles, the program's output and stderr)
    /// after a successful run too; a failed run always keeps it and says where.
    #[arg(long)]
    keep_workdir: bool,
    /// Also write the predictions as annotation files (drafts) into this directory.
    #[arg(long)]
    save_predictions: Option<PathBuf>,
    /// Overwrite existing files in --save-predictions.
    #[arg(long)]
    force: bool,
    /// Run one shard of the corpus, K of N (e.g. 2/4): `report merge` joins the N reports.
    #[arg(long, value_name = "K/N")]
    shard: Option<quoteval::corpus::Shard>,
    /// Run the entry's NER over the tokens of this CoNLL file (`TOKEN ... TAG`) instead of the
    /// gold corpus, and score it as conlleval does (as `score --conll`); with
    /// --save-predictions FILE, also write conlleval's input (`TOKEN GOLD PRED`).
    #[arg(long, value_name = "FILE")]
    conll: Option<PathBuf>,
    /// With --conll: the label set of the file's tags (auto: ours and CoNLL-2003's; MISC and
    /// other types that are none of ours become O on both sides).
    #[arg(long, default_value = "auto")]
    labels: quoteval::format::labels::LabelSet,
    /// With --conll: chunking mode: lenient (conlleval, default), strict-iob2 or strict-iobes.
    #[arg(long, default_value = "lenient")]
    mode: ChunkMode,
    #[command(flatten)]
    output: OutputArgs,
}

#[derive(Args)]
struct ScoreArgs {
    /// Gold: a corpus directory or an annotation file (a CoNLL file with --conll).
    gold: PathBuf,
    /// Predictions: a directory or an annotation file (with --conll: a `TOKEN TAG` file; omit it
    /// when GOLD holds gold and predicted tags as its last two columns, as conlleval reads).
    pred: Option<PathBuf>,
    /// Score CoNLL chunk tags (IOB1, IOB2, IOBES) as conlleval does.
    #[arg(long)]
    conll: bool,
    /// The entity label set of the predictions: quoteval (PERSON, PLACE, ORG), conll2003 (PER,
    /// LOC, ORG) or ontonotes (PERSON; GPE, LOC, FAC as places; ORG); with --conll, of the
    /// tags.
    #[arg(long, default_value = "quoteval")]
    labels: quoteval::format::labels::LabelSet,
    /// With --conll: chunking mode: lenient (conlleval, default), strict-iob2 or strict-iobes
    /// (seqeval's mode='strict').
    #[arg(long, default_value = "lenient")]
    mode: ChunkMode,
    #[command(flatten)]
    output: OutputArgs,
}

#[derive(Subcommand)]
enum GoldCommand {
    /// Validate a gold corpus: anchors resolve, nothing overlaps, speakers match quotes.
    Check {
        /// The corpus directory.
        #[arg(default_value = "gold")]
        dir: PathBuf,
        /// The directory holding the articles (*.txt), when DIR holds the annotation files only.
        #[arg(long)]
        texts: Option<PathBuf>,
    },
    /// Inter-annotator agreement of two annotations of the same corpus (the scorer; F1 is
    /// symmetric in the two annotators).
    Agree {
        /// A directory with the first annotator's files (and the articles, unless --texts).
        a: PathBuf,
        /// A directory with the second annotator's files.
        b: PathBuf,
        /// The directory holding the articles (*.txt): default A when it has them, else gold.
        #[arg(long)]
        texts: Option<PathBuf>,
        #[command(flatten)]
        output: OutputArgs,
    },
    /// Write a model's predictions as unreviewed draft gold for the articles without gold.
    Draft {
        /// The models.toml entry (default: the file's default).
        #[arg(long, short)]
        model: Option<String>,
        /// The model registry.
        #[arg(long, default_value = "models.toml")]
        models: PathBuf,
        /// The corpus directory (articles and existing gold).
        #[arg(long, default_value = "gold")]
        gold: PathBuf,
        /// Where to write the drafts (default: the corpus directory).
        #[arg(long)]
        out: Option<PathBuf>,
        /// Draft every article and overwrite existing files.
        #[arg(long)]
        force: bool,
        /// Use the model even when its files do not match the SHA256SUMS beside them.
        #[arg(long)]
        skip_checksums: bool,
        /// Set one of the entry's settings for this run (repeatable), as `eval --set`.
        #[arg(long, value_name = "KEY=VALUE")]
        set: Vec<String>,
    },
    /// Re-derive offsets after articles were edited; list every item that no longer matches.
    Refresh {
        /// The corpus directory whose gold files are re-anchored.
        #[arg(default_value = "gold")]
        dir: PathBuf,
        /// Only report; do not rewrite the files.
        #[arg(long)]
        dry_run: bool,
        /// List every moved item (default: one line per run of items that moved together).
        #[arg(long, short)]
        verbose: bool,
    },
    /// Export gold for annotation tools: brat / INCEpTION (every layer) or CoNLL (mentions).
    Export {
        /// The format to write.
        #[arg(long, value_enum)]
        format: ExportFormat,
        /// The corpus to export (articles and gold files).
        #[arg(long, default_value = "gold")]
        gold: PathBuf,
        /// Where to write the files.
        #[arg(long)]
        out: PathBuf,
        /// Overwrite existing files in --out.
        #[arg(long)]
        force: bool,
    },
    /// Import annotations from brat / INCEpTION or CoNLL files as annotation files, or a
    /// PolNeAR split (FROM holds text/ and attributions/) as a corpus of texts and quote gold.
    Import {
        /// The format to read.
        #[arg(long, value_enum)]
        format: quoteval::gold::ExchangeFormat,
        /// The directory holding the .ann or .conll files.
        from: PathBuf,
        /// The corpus whose articles the files annotate.
        #[arg(long, default_value = "gold")]
        gold: PathBuf,
        /// Where to write the annotation files.
        #[arg(long)]
        out: PathBuf,
        /// The entity label set of CoNLL files: auto (ours and CoNLL-2003's), quoteval,
        /// conll2003 or ontonotes (PERSON; GPE, LOC, FAC as places; ORG; the rest left out).
        #[arg(long, default_value = "auto")]
        labels: quoteval::format::labels::LabelSet,
        /// With --format polnear: quoteval's entity, speaker and place layers over the split
        /// (one quoteval-layers/1 file per article, such as gold/polnear/dev), merged with the
        /// attributions so that every layer is scored.
        #[arg(long)]
        layers: Option<PathBuf>,
        /// Overwrite existing files in --out.
        #[arg(long)]
        force: bool,
    },
}

#[derive(Subcommand)]
enum ModelCommand {
    /// Merge a committed fine-tuned artifact into its base encoder and verify the checksum.
    Assemble {
        /// The base encoder directory (model.safetensors, vocab.txt, tokenizer.json).
        #[arg(long)]
        base: PathBuf,
        /// The committed artifact directory (adapters, config.json, SHA256SUMS).
        #[arg(long)]
        artifact: PathBuf,
        /// Where to write the assembled model.
        #[arg(long)]
        out: PathBuf,
    },
}

pub fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) => {
            let _ = e.print();
            // clap's own code is 0 for --help and --version, 2 for any usage error; 2 is ours
            // for "cannot compare".
            return ExitCode::from(if e.exit_code() == 0 {
                Exit::Ok.code()
            } else {
                Exit::Usage.code()
            });
        }
    };
    if !quoteval::handoff::RUNS_MODELS {
        if let Some(model) = libtorch_model(&cli.command) {
            return hand_off(&model);
        }
    }
    // A command stage's work directory holds the article texts: remove it on an interrupt.
    if let Err(e) = quoteval::extract::external::remove_on_signal() {
        note!("warning: cannot install the signal handler: {e}");
    }
    let exit = match run(cli) {
        Ok(exit) => exit,
        Err(err) if quoteval::exit::is_broken_pipe(err.chain()) => Exit::Ok,
        Err(err) => {
            note!("error: {}", chain_text(&err));
            Exit::of_chain(err.chain())
        }
    };
    ExitCode::from(exit.code())
}

/// The models.toml entry a command would run on libtorch: `eval` and `gold draft` of an entry
/// with a rust-bert stage or the quote tagger.
fn libtorch_model(command: &Command) -> Option<String> {
    let (models, model, set) = match command {
        Command::Eval(args) => (&args.models, &args.model, &args.set),
        Command::Gold(GoldCommand::Draft {
            models, model, set, ..
        }) => (models, model, set),
        _ => return None,
    };
    quoteval::handoff::libtorch_model(models, model.as_deref(), set)
}

/// Runs the command in `quoteval-ner` (this build has no libtorch); returns only when that
/// fails, or where the platform cannot replace the process.
fn hand_off(model: &str) -> ExitCode {
    match quoteval::handoff::hand_off(model, std::env::args_os().skip(1).collect()) {
        Ok(code) => ExitCode::from(u8::try_from(code).unwrap_or(Exit::Software.code())),
        Err(err) => {
            note!("error: {err}");
            ExitCode::from(Exit::Software.code())
        }
    }
}

/// The formats `gold export` writes (PolNeAR is import only).
#[derive(Clone, Copy, clap::ValueEnum)]
enum ExportFormat {
    /// brat standoff (.ann beside .txt), also read by INCEpTION: every layer.
    Brat,
    /// CoNLL `TOKEN TAG` (IOB2): entity mentions only.
    Conll,
}

impl From<ExportFormat> for quoteval::gold::ExchangeFormat {
    fn from(f: ExportFormat) -> Self {
        match f {
            ExportFormat::Brat => quoteval::gold::ExchangeFormat::Brat,
            ExportFormat::Conll => quoteval::gold::ExchangeFormat::Conll,
        }
    }
}

/// `--device`, checked while the arguments are parsed (a bad value is a usage error).
fn parse_device(s: &str) -> Result<DeviceSetting, quoteval::extract::bert::BertError> {
    DeviceSetting::parse(s)
}

/// `--dtype`, checked while the arguments are parsed.
fn parse_dtype(s: &str) -> Result<DtypeSetting, quoteval::extract::bert::BertError> {
    DtypeSetting::parse(s)
}

/// An error and its causes, each said once: many errors already include their cause's text.
fn chain_text(err: &anyhow::Error) -> String {
    let mut text = String::new();
    for cause in err.chain() {
        let part = cause.to_string();
        if text.contains(&part) {
            continue;
        }
        if !text.is_empty() {
            text.push_str(": ");
        }
        text.push_str(&part);
    }
    text
}

fn run(cli: Cli) -> Result<Exit> {
    match cli.command {
        Command::Eval(args) => eval(args),
        Command::Score(args) => score(args),
        Command::Compare(args) => compare(args),
        Command::Report(ReportCommand::Merge { reports, output }) => {
            report_merge(&reports, &output)
        }
        Command::Gold(GoldCommand::Check { dir, texts }) => {
            if !dir.is_dir() {
                return Err(
                    Failure::no_input(format!("{}: no such directory", dir.display())).into(),
                );
            }
            let texts = texts.unwrap_or_else(|| dir.clone());
            let summary = match quoteval::check::check_gold_with(&texts, &dir) {
                Ok(summary) => summary,
                Err(problems) => {
                    // The verdict of a check, not a failure to run it.
                    note!("{problems}");
                    note!("{}: {} problem(s)", dir.display(), problems.0.len());
                    return Ok(Exit::Failed);
                }
            };
            out!(
                "{}: {} articles, {} mentions, {} quotes: ok\n",
                dir.display(),
                summary.articles,
                summary.mentions,
                summary.quotes
            )?;
            if !summary.drafts.is_empty() {
                out!(
                    "note: {} unreviewed draft(s): {}\n",
                    summary.drafts.len(),
                    summary.drafts.join(", ")
                )?;
            }
            if !summary.without_start.is_empty() {
                out!(
                    "note: {} file(s) have anchors without \"start\", so `gold refresh` cannot follow \
                     the first edit of their articles; run `quoteval gold refresh` once to add them: {}\n",
                    summary.without_start.len(),
                    summary.without_start.join(", ")
                )?;
            }
            Ok(Exit::Ok)
        }
        Command::Gold(GoldCommand::Agree {
            a,
            b,
            texts,
            output,
        }) => {
            check_output_args(&output, false)?;
            let texts = match texts {
                Some(t) => t,
                None if has_articles(&a) => a.clone(),
                None => {
                    let fallback = PathBuf::from("gold");
                    note!(
                        "note: {} holds no articles (*.txt); reading them from {} (set --texts)",
                        a.display(),
                        fallback.display()
                    );
                    fallback
                }
            };
            let report = app::agree(&texts, &a, &b)?;
            emit(&report, &output)?;
            Ok(min_gates(&report, &output))
        }
        Command::Gold(GoldCommand::Draft {
            model,
            models,
            gold,
            out,
            force,
            skip_checksums,
            set,
        }) => {
            let out_dir = out.unwrap_or_else(|| gold.clone());
            let overrides = Overrides {
                skip_checksums,
                settings: set,
                ..Overrides::default()
            };
            let (registry, name) = quoteval::models::ModelsFile::load_entry(
                &models,
                model.as_deref(),
                &overrides.settings,
            )?;
            quoteval::process::apply(&registry.tuning(&name, &overrides)?);
            let written = quoteval::gold::draft(
                &models,
                model.as_deref(),
                &gold,
                &out_dir,
                force,
                &overrides,
            )?;
            if written.is_empty() {
                out!(
                    "every article in {} has gold; nothing to draft (--force drafts them all)\n",
                    gold.display()
                )?;
            }
            for path in written {
                out!("drafted {}\n", path.display())?;
            }
            Ok(Exit::Ok)
        }
        Command::Gold(GoldCommand::Refresh {
            dir,
            dry_run,
            verbose,
        }) => {
            let results = quoteval::gold::refresh(&dir, !dry_run)?;
            let mut failed = false;
            for r in &results {
                if verbose {
                    out!("{r}")?;
                } else {
                    out!("{}", r.summary())?;
                }
                failed |= !r.lost.is_empty() || !r.inconsistent.is_empty();
            }
            let moved: usize = results.iter().map(|r| r.moved.len()).sum();
            let changed = results.iter().filter(|r| r.changed).count();
            let written = results.iter().filter(|r| r.written).count();
            if dry_run {
                out!(
                    "{} file(s), {moved} item(s) moved, {changed} would be rewritten (dry run: nothing written)\n",
                    results.len()
                )?;
            } else {
                out!(
                    "{} file(s), {moved} item(s) moved, {written} rewritten\n",
                    results.len()
                )?;
            }
            Ok(if failed { Exit::Failed } else { Exit::Ok })
        }
        Command::Gold(GoldCommand::Export {
            format,
            gold,
            out,
            force,
        }) => {
            let written = quoteval::gold::export(&gold, format.into(), &out, force)?;
            out!("wrote {} file(s) to {}\n", written.len(), out.display())?;
            Ok(Exit::Ok)
        }
        Command::Gold(GoldCommand::Import {
            format,
            from,
            gold,
            out,
            labels,
            layers,
            force,
        }) => {
            let written = quoteval::gold::import(
                &from,
                format,
                &gold,
                &out,
                labels,
                layers.as_deref(),
                force,
            )?;
            out!(
                "wrote {} annotation file(s) to {}\n",
                written.len(),
                out.display()
            )?;
            Ok(Exit::Ok)
        }
        Command::Model(ModelCommand::Assemble {
            base,
            artifact,
            out,
        }) => {
            let assembled = quoteval::model_artifact::assemble(&base, &artifact, &out)?;
            out!(
                "assembled {} ({} tensors, {} low-rank merges), model.safetensors sha256 {}: checksum ok\n",
                assembled.out_dir.display(),
                assembled.tensors,
                assembled.merged,
                assembled.model_sha256
            )?;
            Ok(Exit::Ok)
        }
    }
}

fn has_articles(dir: &Path) -> bool {
    std::fs::read_dir(dir).is_ok_and(|entries| {
        entries
            .filter_map(|e| e.ok())
            .any(|e| e.path().extension().is_some_and(|x| x == "txt"))
    })
}

/// Output options that cannot work together, refused before any work.
fn check_output_args(output: &OutputArgs, conll: bool) -> Result<()> {
    if conll && output.errors {
        return Err(Failure::usage(
            "--errors lists the items of annotation files; `score --conll` counts chunks only \
             (its --json, --csv and --markdown carry every count)",
        )
        .into());
    }
    // Every output is checked before any work, so that none is written when another cannot be.
    for (flag, path) in [("--out", &output.out), ("--html", &output.html)] {
        if let Some(path) = path {
            quoteval::format::check_writable(path, false)
                .map_err(|e| Failure::new(Exit::CantCreate, format!("{flag} {e}")))?;
        }
    }
    Ok(())
}

fn eval(args: EvalArgs) -> Result<Exit> {
    check_output_args(&args.output, args.conll.is_some())?;
    let options = EvalOptions {
        models_file: args.models.clone(),
        model: args.model.clone(),
        gold_dir: args.gold.clone(),
        overrides: Overrides {
            threads: args.threads.map(NonZeroUsize::get),
            batch_size: args.batch_size.map(NonZeroUsize::get),
            device: args.device,
            skip_checksums: args.skip_checksums,
            keep_workdir: args.keep_workdir,
            dtype: args.dtype,
            settings: args.set.clone(),
        },
        shard: args.shard,
    };
    if let Some(conll) = &args.conll {
        return eval_conll(&options, conll, &args);
    }
    // Everything that can be checked is checked before the model runs.
    if let Some(dir) = &args.save_predictions {
        quoteval::format::check_writable(dir, true)
            .map_err(|e| Failure::new(Exit::CantCreate, format!("--save-predictions {e}")))?;
        app::check_predictions_target(&options.gold_dir, dir, args.force)?;
    }
    let show_progress = std::io::stderr().is_terminal() && !args.output.json && !args.output.csv;
    let bar = show_progress.then(|| {
        let bar = indicatif::ProgressBar::new(0);
        bar.set_style(
            indicatif::ProgressStyle::with_template(
                "{spinner} {msg} [{bar:30}] {pos}/{len} articles ({elapsed})",
            )
            .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar()),
        );
        bar.set_message("annotating");
        bar
    });
    let mut tick = |done: usize| {
        if let Some(bar) = &bar {
            bar.set_position(done as u64);
        }
    };
    if let Some(bar) = &bar {
        if let Ok(corpus) = quoteval::corpus::Corpus::load(&options.gold_dir) {
            bar.set_length(corpus.articles.len() as u64);
        }
    }
    // Process-wide choices (libtorch threads, allocator) are made here, not in the library.
    let (models, name) = quoteval::models::ModelsFile::load_entry(
        &options.models_file,
        options.model.as_deref(),
        &options.overrides.settings,
    )?;
    quoteval::process::apply(&models.tuning(&name, &options.overrides)?);
    let (report, predictions) = app::eval(&options, &mut tick)?;
    if let Some(bar) = bar {
        bar.finish_and_clear();
    }
    if let Some(dir) = &args.save_predictions {
        let written = app::write_predictions(&predictions, dir, args.force)?;
        note!(
            "wrote {} prediction file(s) to {}",
            written.len(),
            dir.display()
        );
    }
    emit(&report, &args.output)?;
    Ok(min_gates(&report, &args.output))
}

/// `eval --conll FILE`.
fn eval_conll(options: &EvalOptions, conll: &std::path::Path, args: &EvalArgs) -> Result<Exit> {
    if args.shard.is_some() {
        return Err(
            Failure::usage("--shard splits the gold corpus; it does not apply to --conll").into(),
        );
    }
    let out = &args.output;
    if out.html.is_some() || out.confusion {
        return Err(Failure::usage(
            "--html and --confusion describe a gold corpus run, not --conll",
        )
        .into());
    }
    if let Some(file) = &args.save_predictions {
        if file.exists() && (file.is_dir() || !args.force) {
            return Err(Failure::new(
                Exit::CantCreate,
                format!(
                    "--save-predictions {}: exists (pass --force to replace a file)",
                    file.display()
                ),
            )
            .into());
        }
    }
    let (models, name) = quoteval::models::ModelsFile::load_entry(
        &options.models_file,
        options.model.as_deref(),
        &options.overrides.settings,
    )?;
    quoteval::process::apply(&models.tuning(&name, &options.overrides)?);
    let run = app::eval_conll(
        &options.models_file,
        Some(&name),
        &options.overrides,
        conll,
        args.labels,
        args.mode,
    )?;
    note!(
        "{} sentences through {} in {:.1} s",
        run.sentences,
        run.backend,
        run.seconds
    );
    if let Some(file) = &args.save_predictions {
        quoteval::format::write_atomically(file, run.tagged.as_bytes(), true)?;
        note!("wrote conlleval's input to {}", file.display());
    }
    emit_conll(&run.scores, out)
}

/// Prints (or writes) CoNLL chunk scores in the chosen format: conlleval's own text by default.
fn emit_conll(scores: &conll::ConllScores, out: &OutputArgs) -> Result<Exit> {
    let text = if out.json {
        scores.to_json()
    } else if out.csv {
        scores.to_csv()
    } else if out.markdown {
        scores.to_markdown()
    } else {
        scores.conlleval_text()
    };
    write_output(&text, out.out.as_deref())?;
    Ok(Exit::Ok)
}

/// `report merge`.
fn report_merge(reports: &[PathBuf], output: &OutputArgs) -> Result<Exit> {
    check_output_args(output, false)?;
    let mut parsed = Vec::with_capacity(reports.len());
    for path in reports {
        let text = std::fs::read_to_string(path)
            .map_err(|e| Failure::no_input(format!("{}: {e}", path.display())))?;
        parsed.push(
            Report::from_json(&text).with_context(|| {
                format!("{} is not a report this version reads", path.display())
            })?,
        );
    }
    let merged = Report::merge(&parsed)?;
    emit(&merged, output)?;
    Ok(min_gates(&merged, output))
}

fn score(args: ScoreArgs) -> Result<Exit> {
    check_output_args(&args.output, args.conll)?;
    if args.conll {
        let scores = match &args.pred {
            None => conll::score_conlleval_file(&args.gold, args.mode)?,
            Some(pred) => conll::score_pair_files(&args.gold, pred, args.mode)?,
        };
        return emit_conll(&scores, &args.output);
    }
    let Some(pred) = args.pred else {
        return Err(Failure::usage("score needs GOLD and PRED (or --conll FILE)").into());
    };
    let report = app::score_paths(&args.gold, &pred, "score", args.labels)?;
    emit(&report, &args.output)?;
    Ok(min_gates(&report, &args.output))
}

/// Prints (or writes) a report in the chosen format, and the error list when asked.
fn emit(report: &Report, output: &OutputArgs) -> Result<()> {
    let machine = output.json || output.csv;
    let body = if output.json {
        report.to_json()
    } else if output.csv {
        report.to_csv()
    } else if output.markdown {
        report.to_markdown()
    } else {
        report.to_table()
    };
    let body = match &report.analysis {
        Some(analysis) if output.confusion && !machine => {
            format!("{body}\n{}", analysis.to_table())
        }
        _ => body,
    };
    // The HTML page is made before anything is written: if its corpus cannot be read, no
    // output is left half done.
    let page = match &output.html {
        Some(path) => {
            let texts = quoteval::html::load_texts(report, None).map_err(html_failure)?;
            Some((quoteval::html::report_html(report, &texts), path))
        }
        None => None,
    };
    write_output(&body, output.out.as_deref())?;
    if let Some((page, path)) = page {
        write_output(&page, Some(path))?;
    }
    if output.errors {
        if machine && output.out.is_none() {
            use std::io::Write as _;
            let _ = write!(std::io::stderr().lock(), "{}", report.errors());
        } else if output.markdown {
            out!("\n#### Errors\n\n{}", report.errors_markdown())?;
        } else {
            out!(
                "\nErrors (article:line, outcome, item, gold, predicted, detail, context):\n{}",
                report.errors()
            )?;
        }
    }
    Ok(())
}

/// The corpus of an HTML report cannot be read (66), or is not the one the report scored (2, as
/// `compare` refuses other corpora).
fn html_failure(e: quoteval::html::HtmlError) -> anyhow::Error {
    let exit = match e {
        quoteval::html::HtmlError::Corpus { .. } => Exit::NoInput,
        quoteval::html::HtmlError::Mismatch { .. } => Exit::NotComparable,
    };
    Failure::new(exit, e.to_string()).into()
}

fn write_output(text: &str, out: Option<&Path>) -> Result<()> {
    match out {
        Some(path) => quoteval::format::write_atomically(path, text.as_bytes(), true)?,
        None => out!("{text}")?,
    }
    Ok(())
}

#[derive(Args)]
struct CompareArgs {
    /// The base report (`quoteval eval --json`), e.g. of the main branch.
    #[arg(required_unless_present = "list_metrics")]
    base: Option<PathBuf>,
    /// The candidate report, e.g. of the pull request.
    #[arg(required_unless_present = "list_metrics")]
    candidate: Option<PathBuf>,
    /// Print Markdown for a pull-request comment.
    #[arg(long, group = "compare_format")]
    markdown: bool,
    /// Print JSON (schema quoteval-compare/1).
    #[arg(long, group = "compare_format")]
    json: bool,
    /// Write the output to this file (atomically) instead of stdout.
    #[arg(long, short)]
    out: Option<PathBuf>,
    /// Bootstrap resamples (0: no intervals).
    #[arg(long, default_value_t = quoteval::compare::DEFAULT_RESAMPLES)]
    resamples: usize,
    /// Bootstrap seed: the same seed gives the same intervals on every machine.
    #[arg(long, default_value_t = quoteval::compare::DEFAULT_SEED)]
    seed: u64,
    /// Exit 1 when METRIC drops by more than DROP (absolute), e.g. quotes.0.3.f1=0.01.
    /// Repeatable. See --list-metrics.
    #[arg(long = "fail-below", value_name = "METRIC=DROP")]
    fail_below: Vec<String>,
    /// Changed items listed in the table and the Markdown (JSON lists all).
    #[arg(long, default_value_t = quoteval::compare::DEFAULT_MAX_CHANGES)]
    max_changes: usize,
    /// Print every metric (the names --fail-below takes) with its definition, one a line, and exit.
    #[arg(long)]
    list_metrics: bool,
    /// Also write the HTML report of the comparison (deltas, gates, changed items in the text).
    #[arg(long, value_name = "FILE")]
    html: Option<PathBuf>,
    /// With --html: the corpus directory whose articles the reports scored (default: the one
    /// the base report names); checked against the reports' corpus fingerprint.
    #[arg(long, value_name = "DIR", requires = "html")]
    gold: Option<PathBuf>,
}

/// `quoteval compare`: exit 0, 1 when a gate fails (one line per gate on stderr), 2 when the
/// reports cannot be compared, 64 for a wrong argument (a bad `--fail-below`), 65 or 66 when a
/// report cannot be read.
fn compare(args: CompareArgs) -> Result<Exit> {
    use quoteval::compare;
    if args.list_metrics {
        // One metric a line: its name, then its definition from the catalogue.
        out!("{}", compare::metric_list())?;
        return Ok(Exit::Ok);
    }
    let (Some(base), Some(candidate)) = (args.base, args.candidate) else {
        return Err(Failure::usage("compare needs BASE and CANDIDATE").into());
    };
    // Arguments first: a bad gate is a usage error whatever the reports hold.
    let gates = args
        .fail_below
        .iter()
        .map(|spec| compare::Gate::parse(spec))
        .collect::<Result<Vec<_>, _>>()?;
    for path in [&base, &candidate] {
        if !path.is_file() {
            return Err(Failure::no_input(format!("{}: no such file", path.display())).into());
        }
    }
    let (b, c) = compare::read_reports(&base, &candidate)?;
    let options = compare::Options {
        resamples: args.resamples,
        seed: args.seed,
        gates,
        base_name: base.display().to_string(),
        candidate_name: candidate.display().to_string(),
    };
    let comparison = compare::compare(&b, &c, &options)?;
    let body = if args.json {
        comparison.to_json()
    } else if args.markdown {
        comparison.to_markdown(args.max_changes)
    } else {
        comparison.to_table(args.max_changes)
    };
    write_output(&body, args.out.as_deref())?;
    if let Some(path) = &args.html {
        let texts = quoteval::html::load_texts_near(&b, args.gold.as_deref(), Some(&base))
            .map_err(html_failure)?;
        write_output(
            &quoteval::html::compare_html(&comparison, &b, &c, &texts),
            Some(path),
        )?;
    }
    for reason in comparison.failures() {
        note!("{reason}");
    }
    Ok(if comparison.passed {
        Exit::Ok
    } else {
        Exit::Failed
    })
}

#[cfg(test)]
mod tests {
    use clap::CommandFactory;

    use super::Cli;

    /// Every option and argument of every command says what it is for.
    #[test]
    fn every_option_and_argument_has_help() {
        fn walk(cmd: &clap::Command, path: &str, missing: &mut Vec<String>) {
            for arg in cmd.get_arguments() {
                let id = arg.get_id().as_str();
                if id == "help" || id == "version" {
                    continue;
                }
                if arg.get_help().is_none() && arg.get_long_help().is_none() {
                    missing.push(format!("{path} {id}"));
                }
            }
            for sub in cmd.get_subcommands() {
                walk(sub, &format!("{path} {}", sub.get_name()), missing);
            }
        }
        let mut missing = Vec::new();
        walk(&Cli::command(), "quoteval", &mut missing);
        assert!(missing.is_empty(), "no help text: {missing:?}");
    }
}
