//! The `quoteval` command line: argument parsing and printing only; the work is in the library.

use std::io::IsTerminal;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::{Context, Result};
use clap::{Args, Parser, Subcommand};

use quoteval::app::{self, EvalOptions};
use quoteval::models::Overrides;
use quoteval::report::Report;
use quoteval::score::conll::{self, ChunkMode};

#[derive(Parser)]
#[command(
    name = "quoteval",
    version,
    about = "Score speaker, place and quote extraction from news articles against hand-labelled gold"
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
    /// code 1: a gate failed; 2: the reports cannot be compared.
    Compare(CompareArgs),
}

#[derive(Args)]
struct OutputArgs {
    /// Print the JSON report (schema quoteval-report/1).
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
    /// Threads for inference (overrides the entry).
    #[arg(long)]
    threads: Option<usize>,
    /// Batch size for inference (overrides the entry).
    #[arg(long)]
    batch_size: Option<usize>,
    /// cpu, cuda or auto (overrides the entry).
    #[arg(long)]
    device: Option<String>,
    /// fp32, bf16 or auto: bf16 on CUDA and on CPUs with AMX or AVX-512 BF16 (overrides the
    /// entry).
    #[arg(long)]
    dtype: Option<String>,
    /// Also write the predictions as annotation files (drafts) into this directory.
    #[arg(long)]
    save_predictions: Option<PathBuf>,
    /// Overwrite existing files in --save-predictions.
    #[arg(long)]
    force: bool,
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
    },
    /// Inter-annotator agreement of two annotations of the same corpus (the scorer; F1 is
    /// symmetric in the two annotators).
    Agree {
        /// A corpus directory with articles and the first annotator's files.
        a: PathBuf,
        /// A directory with the second annotator's files.
        b: PathBuf,
        #[command(flatten)]
        output: OutputArgs,
    },
    /// Write a model's predictions as unreviewed draft gold for the articles without gold.
    Draft {
        /// The models.toml entry (default: the file's default).
        #[arg(long, short)]
        model: Option<String>,
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
    },
    /// Re-derive offsets after articles were edited; list every item that no longer matches.
    Refresh {
        #[arg(default_value = "gold")]
        dir: PathBuf,
        /// Only report; do not rewrite the files.
        #[arg(long)]
        dry_run: bool,
    },
    /// Export gold for annotation tools: brat / INCEpTION (every layer) or CoNLL (mentions).
    Export {
        #[arg(long, value_enum)]
        format: quoteval::gold::ExchangeFormat,
        #[arg(long, default_value = "gold")]
        gold: PathBuf,
        #[arg(long)]
        out: PathBuf,
        /// Overwrite existing files in --out.
        #[arg(long)]
        force: bool,
    },
    /// Import annotations from brat / INCEpTION or CoNLL files as annotation files, or a
    /// PolNeAR split (FROM holds text/ and attributions/) as a corpus of texts and quote gold.
    Import {
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

fn main() -> ExitCode {
    match run(Cli::parse()) {
        Ok(code) => code,
        Err(err) => {
            eprintln!("error: {err:#}");
            ExitCode::FAILURE
        }
    }
}

fn run(cli: Cli) -> Result<ExitCode> {
    match cli.command {
        Command::Eval(args) => eval(args),
        Command::Score(args) => score(args),
        Command::Compare(args) => compare(args),
        Command::Gold(GoldCommand::Check { dir }) => {
            let summary = quoteval::check::check_gold(&dir).map_err(anyhow::Error::from)?;
            println!(
                "{}: {} articles, {} mentions, {} quotes: ok",
                dir.display(),
                summary.articles,
                summary.mentions,
                summary.quotes
            );
            if !summary.drafts.is_empty() {
                println!(
                    "note: {} unreviewed draft(s): {}",
                    summary.drafts.len(),
                    summary.drafts.join(", ")
                );
            }
            Ok(ExitCode::SUCCESS)
        }
        Command::Gold(GoldCommand::Agree { a, b, output }) => {
            let report = app::score_paths(&a, &b, "agree")?;
            emit(&report, &output)?;
            Ok(ExitCode::SUCCESS)
        }
        Command::Gold(GoldCommand::Draft {
            model,
            models,
            gold,
            out,
            force,
        }) => {
            let out = out.unwrap_or_else(|| gold.clone());
            let written = quoteval::gold::draft(&models, model.as_deref(), &gold, &out, force)?;
            if written.is_empty() {
                println!(
                    "every article in {} has gold; nothing to draft (--force drafts them all)",
                    gold.display()
                );
            }
            for path in written {
                println!("drafted {}", path.display());
            }
            Ok(ExitCode::SUCCESS)
        }
        Command::Gold(GoldCommand::Refresh { dir, dry_run }) => {
            let results = quoteval::gold::refresh(&dir, !dry_run)?;
            let mut failed = false;
            for r in &results {
                print!("{r}");
                failed |= !r.lost.is_empty() || !r.inconsistent.is_empty();
            }
            let moved: usize = results.iter().map(|r| r.moved.len()).sum();
            let written = results.iter().filter(|r| r.written).count();
            println!(
                "{} file(s), {moved} item(s) moved, {written} rewritten",
                results.len()
            );
            Ok(if failed {
                ExitCode::FAILURE
            } else {
                ExitCode::SUCCESS
            })
        }
        Command::Gold(GoldCommand::Export {
            format,
            gold,
            out,
            force,
        }) => {
            let written = quoteval::gold::export(&gold, format, &out, force)?;
            println!("wrote {} file(s) to {}", written.len(), out.display());
            Ok(ExitCode::SUCCESS)
        }
        Command::Gold(GoldCommand::Import {
            format,
            from,
            gold,
            out,
            force,
        }) => {
            let written = quoteval::gold::import(&from, format, &gold, &out, force)?;
            println!(
                "wrote {} annotation file(s) to {}",
                written.len(),
                out.display()
            );
            Ok(ExitCode::SUCCESS)
        }
        Command::Model(ModelCommand::Assemble {
            base,
            artifact,
            out,
        }) => {
            let assembled = quoteval::model_artifact::assemble(&base, &artifact, &out)?;
            println!(
                "assembled {} ({} tensors, {} low-rank merges), model.safetensors sha256 {}: checksum ok",
                assembled.out_dir.display(),
                assembled.tensors,
                assembled.merged,
                assembled.model_sha256
            );
            Ok(ExitCode::SUCCESS)
        }
    }
}

fn eval(args: EvalArgs) -> Result<ExitCode> {
    let options = EvalOptions {
        models_file: args.models,
        model: args.model,
        gold_dir: args.gold,
        overrides: Overrides {
            threads: args.threads,
            batch_size: args.batch_size,
            device: args.device,
            dtype: args.dtype,
        },
    };
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
    let (report, predictions) = app::eval(&options, &mut tick)?;
    if let Some(bar) = bar {
        bar.finish_and_clear();
    }
    if let Some(dir) = &args.save_predictions {
        let written = app::write_predictions(&predictions, dir, args.force)?;
        eprintln!(
            "wrote {} prediction file(s) to {}",
            written.len(),
            dir.display()
        );
    }
    emit(&report, &args.output)?;
    Ok(ExitCode::SUCCESS)
}

fn score(args: ScoreArgs) -> Result<ExitCode> {
    if args.conll {
        let scores = match &args.pred {
            None => conll::score_conlleval_file(&args.gold, args.mode)?,
            Some(pred) => conll::score_pair_files(&args.gold, pred, args.mode)?,
        };
        let text = if args.output.json {
            let mut s = serde_json::to_string_pretty(&scores)?;
            s.push('\n');
            s
        } else {
            scores.conlleval_text()
        };
        return write_output(&text, args.output.out.as_deref()).map(|_| ExitCode::SUCCESS);
    }
    let pred = args
        .pred
        .context("score needs GOLD and PRED (or --conll FILE)")?;
    let report = app::score_paths(&args.gold, &pred, "score")?;
    emit(&report, &args.output)?;
    Ok(ExitCode::SUCCESS)
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
    write_output(&body, output.out.as_deref())?;
    if output.errors {
        if machine && output.out.is_none() {
            eprint!("{}", report.errors());
        } else {
            print!(
                "\nErrors (article:line, outcome, item, gold, predicted, detail, context):\n{}",
                report.errors()
            );
        }
    }
    Ok(())
}

fn write_output(text: &str, out: Option<&Path>) -> Result<()> {
    match out {
        Some(path) => quoteval::format::write_atomically(path, text.as_bytes(), true)?,
        None => print!("{text}"),
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
    /// Print the metric names and exit.
    #[arg(long)]
    list_metrics: bool,
}

/// `quoteval compare`: exit 0, 1 when a gate fails (one line per gate on stderr), 2 when the
/// reports cannot be compared or an argument is wrong.
fn compare(args: CompareArgs) -> Result<ExitCode> {
    use quoteval::compare;
    if args.list_metrics {
        println!("{}", compare::metric_names().join("\n"));
        return Ok(ExitCode::SUCCESS);
    }
    let refuse = |message: String| {
        eprintln!("error: {message}");
        Ok(ExitCode::from(2))
    };
    let (Some(base), Some(candidate)) = (args.base, args.candidate) else {
        return refuse("compare needs BASE and CANDIDATE".into());
    };
    let result = args
        .fail_below
        .iter()
        .map(|spec| compare::Gate::parse(spec))
        .collect::<Result<Vec<_>, _>>()
        .and_then(|gates| {
            let (b, c) = compare::read_reports(&base, &candidate)?;
            let options = compare::Options {
                resamples: args.resamples,
                seed: args.seed,
                gates,
                base_name: base.display().to_string(),
                candidate_name: candidate.display().to_string(),
            };
            compare::compare(&b, &c, &options)
        });
    let comparison = match result {
        Ok(c) => c,
        Err(e) => return refuse(e.to_string()),
    };
    let body = if args.json {
        comparison.to_json()
    } else if args.markdown {
        comparison.to_markdown(args.max_changes)
    } else {
        comparison.to_table(args.max_changes)
    };
    if let Err(e) = write_output(&body, args.out.as_deref()) {
        return refuse(format!("{e:#}"));
    }
    for reason in comparison.failures() {
        eprintln!("{reason}");
    }
    Ok(if comparison.passed {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    })
}
