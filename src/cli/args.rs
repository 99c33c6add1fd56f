//! The command line's arguments (clap), with the groups several commands share flattened in:
//! [`ModelArgs`] (which model runs, and how) and [`OutputArgs`] (what is printed or written).

use std::num::NonZeroUsize;
use std::path::PathBuf;

use anyhow::{Context, Result};
use clap::{Args, Parser, Subcommand};

use crate::extract::bert::settings::{DeviceSetting, DtypeSetting};
use crate::models::{ModelRun, ModelsError, Overrides};
use crate::score::conll::ChunkMode;

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
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Subcommand)]
pub enum Command {
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
pub enum ReportCommand {
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

impl Command {
    /// The model a command runs, if it runs one.
    pub fn model_args(&self) -> Option<&ModelArgs> {
        match self {
            Command::Eval(args) => Some(&args.model),
            Command::Gold(GoldCommand::Draft { model, .. }) => Some(model),
            _ => None,
        }
    }
}

/// Which model runs and how: one group shared by every command that runs one (`eval`, `gold
/// draft`), turned into a [`ModelRun`] once.
#[derive(Args)]
pub struct ModelArgs {
    /// The models.toml entry to run (default: the file's `default`).
    #[arg(long, short)]
    pub model: Option<String>,
    /// The model registry.
    #[arg(long, default_value = "models.toml")]
    pub models: PathBuf,
    /// Threads for inference, 1 or more (overrides the entry).
    #[arg(long)]
    pub threads: Option<NonZeroUsize>,
    /// Batch size for inference, 1 or more (overrides the entry; the NER and the quote tagger).
    #[arg(long)]
    pub batch_size: Option<NonZeroUsize>,
    /// cpu, cuda, cuda:N (the N-th GPU) or auto (overrides the entry).
    #[arg(long, value_parser = parse_device)]
    pub device: Option<DeviceSetting>,
    /// Use the model even when its files do not match the SHA256SUMS beside them.
    #[arg(long)]
    pub skip_checksums: bool,
    /// Set one of the entry's settings for this run, as if written in models.toml (repeatable):
    /// KEY is a dotted path inside [models.NAME], e.g. `--set quotes.speech_only=false`
    /// (recorded in the report's settings).
    #[arg(long, value_name = "KEY=VALUE")]
    pub set: Vec<String>,
    /// fp32, bf16 or auto: bf16 on CUDA and on CPUs with AMX or AVX-512 BF16 (overrides the
    /// entry).
    #[arg(long, value_parser = parse_dtype)]
    pub dtype: Option<DtypeSetting>,
    /// Keep a command stage's work directory (the articles, the program's output and stderr)
    /// after a successful run too; a failed run always keeps it and says where.
    #[arg(long)]
    pub keep_workdir: bool,
}

impl ModelArgs {
    pub fn overrides(&self) -> Overrides {
        Overrides {
            threads: self.threads.map(NonZeroUsize::get),
            batch_size: self.batch_size.map(NonZeroUsize::get),
            device: self.device,
            skip_checksums: self.skip_checksums,
            keep_workdir: self.keep_workdir,
            dtype: self.dtype,
            settings: self.set.clone(),
        }
    }

    /// models.toml read once, the entry chosen and `--set` applied to it.
    pub fn load(&self) -> Result<ModelRun, ModelsError> {
        ModelRun::load(&self.models, self.model.as_deref(), self.overrides())
    }
}

#[derive(Args)]
pub struct OutputArgs {
    /// Print the JSON report (schema quoteval-report/3).
    #[arg(long, group = "format")]
    pub json: bool,
    /// Print long-format CSV (article, layer, variant, label, measure, value).
    #[arg(long, group = "format")]
    pub csv: bool,
    /// Print Markdown tables for a pull-request comment.
    #[arg(long, group = "format")]
    pub markdown: bool,
    /// Also list every false positive and false negative with article, span and context
    /// (to stderr when stdout carries JSON or CSV).
    #[arg(long)]
    pub errors: bool,
    /// Write the output to this file (atomically) instead of stdout.
    #[arg(long, short)]
    pub out: Option<PathBuf>,
    /// Also print the type confusion matrix and the error taxonomy (always in --json).
    #[arg(long)]
    pub confusion: bool,
    /// Also write the HTML error-analysis report (one self-contained file) here.
    #[arg(long, value_name = "FILE")]
    pub html: Option<PathBuf>,
    /// An absolute gate (repeatable): exit 1 when METRIC (a name of `compare --list-metrics`)
    /// is below VALUE, e.g. `--min quotes.0.3.f1=0.9`; the report is written first.
    #[arg(long, value_name = "METRIC=VALUE", value_parser = parse_min)]
    pub min: Vec<(String, f64)>,
}

/// `--min METRIC=VALUE`, checked while the arguments are parsed (an unknown metric is a usage
/// error before any work).
pub fn parse_min(spec: &str) -> Result<(String, f64)> {
    let (name, value) = spec
        .split_once('=')
        .with_context(|| format!("{spec:?}: expected METRIC=VALUE"))?;
    let metric = crate::score::catalogue::resolve_metric(name)
        .with_context(|| format!("unknown metric {name:?} (quoteval compare --list-metrics)"))?;
    let value: f64 = value
        .trim()
        .parse()
        .with_context(|| format!("{value:?} is not a number"))?;
    Ok((metric.name.clone(), value))
}

#[derive(Args)]
pub struct EvalArgs {
    #[command(flatten)]
    pub model: ModelArgs,
    /// The gold corpus: articles (*.txt) and gold files (*.json).
    #[arg(long, default_value = "gold")]
    pub gold: PathBuf,
    /// Also write the predictions as annotation files (drafts) into this directory.
    #[arg(long)]
    pub save_predictions: Option<PathBuf>,
    /// Overwrite existing files in --save-predictions.
    #[arg(long)]
    pub force: bool,
    /// Run one shard of the corpus, K of N (e.g. 2/4): `report merge` joins the N reports.
    #[arg(long, value_name = "K/N")]
    pub shard: Option<crate::corpus::Shard>,
    /// Run the entry's NER over the tokens of this CoNLL file (`TOKEN ... TAG`) instead of the
    /// gold corpus, and score it as conlleval does (as `score --conll`); with
    /// --save-predictions FILE, also write conlleval's input (`TOKEN GOLD PRED`).
    #[arg(long, value_name = "FILE")]
    pub conll: Option<PathBuf>,
    /// With --conll: the label set of the file's tags (auto: ours and CoNLL-2003's; MISC and
    /// other types that are none of ours become O on both sides).
    #[arg(long, default_value = "auto")]
    pub labels: crate::format::labels::LabelSet,
    /// With --conll: chunking mode: lenient (conlleval, default), strict-iob2 or strict-iobes.
    #[arg(long, default_value = "lenient")]
    pub mode: ChunkMode,
    #[command(flatten)]
    pub output: OutputArgs,
}

#[derive(Args)]
pub struct ScoreArgs {
    /// Gold: a corpus directory or an annotation file (a CoNLL file with --conll).
    pub gold: PathBuf,
    /// Predictions: a directory or an annotation file (with --conll: a `TOKEN TAG` file; omit it
    /// when GOLD holds gold and predicted tags as its last two columns, as conlleval reads).
    pub pred: Option<PathBuf>,
    /// Score CoNLL chunk tags (IOB1, IOB2, IOBES) as conlleval does.
    #[arg(long)]
    pub conll: bool,
    /// The entity label set of the predictions: quoteval (PERSON, PLACE, ORG), conll2003 (PER,
    /// LOC, ORG) or ontonotes (PERSON; GPE, LOC, FAC as places; ORG); with --conll, of the
    /// tags.
    #[arg(long, default_value = "quoteval")]
    pub labels: crate::format::labels::LabelSet,
    /// With --conll: chunking mode: lenient (conlleval, default), strict-iob2 or strict-iobes
    /// (seqeval's mode='strict').
    #[arg(long, default_value = "lenient")]
    pub mode: ChunkMode,
    #[command(flatten)]
    pub output: OutputArgs,
}

#[derive(Subcommand)]
pub enum GoldCommand {
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
        #[command(flatten)]
        model: ModelArgs,
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
        format: crate::gold::ExchangeFormat,
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
        labels: crate::format::labels::LabelSet,
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
pub enum ModelCommand {
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

#[derive(Args)]
pub struct CompareArgs {
    /// The base report (`quoteval eval --json`), e.g. of the main branch.
    #[arg(required_unless_present = "list_metrics")]
    pub base: Option<PathBuf>,
    /// The candidate report, e.g. of the pull request.
    #[arg(required_unless_present = "list_metrics")]
    pub candidate: Option<PathBuf>,
    /// Print Markdown for a pull-request comment.
    #[arg(long, group = "compare_format")]
    pub markdown: bool,
    /// Print JSON (schema quoteval-compare/1).
    #[arg(long, group = "compare_format")]
    pub json: bool,
    /// Write the output to this file (atomically) instead of stdout.
    #[arg(long, short)]
    pub out: Option<PathBuf>,
    /// Bootstrap resamples (0: no intervals).
    #[arg(long, default_value_t = crate::compare::DEFAULT_RESAMPLES)]
    pub resamples: usize,
    /// Bootstrap seed: the same seed gives the same intervals on every machine.
    #[arg(long, default_value_t = crate::compare::DEFAULT_SEED)]
    pub seed: u64,
    /// Exit 1 when METRIC drops by more than DROP (absolute), e.g. quotes.0.3.f1=0.01.
    /// Repeatable. See --list-metrics.
    #[arg(long = "fail-below", value_name = "METRIC=DROP")]
    pub fail_below: Vec<String>,
    /// Changed items listed in the table and the Markdown (JSON lists all).
    #[arg(long, default_value_t = crate::compare::DEFAULT_MAX_CHANGES)]
    pub max_changes: usize,
    /// Print every metric (the names --fail-below takes) with its definition, one a line, and exit.
    #[arg(long)]
    pub list_metrics: bool,
    /// Also write the HTML report of the comparison (deltas, gates, changed items in the text).
    #[arg(long, value_name = "FILE")]
    pub html: Option<PathBuf>,
    /// With --html: the corpus directory whose articles the reports scored (default: the one
    /// the base report names); checked against the reports' corpus fingerprint.
    #[arg(long, value_name = "DIR", requires = "html")]
    pub gold: Option<PathBuf>,
}

/// The formats `gold export` writes (PolNeAR is import only).
#[derive(Clone, Copy, clap::ValueEnum)]
pub enum ExportFormat {
    /// brat standoff (.ann beside .txt), also read by INCEpTION: every layer.
    Brat,
    /// CoNLL `TOKEN TAG` (IOB2): entity mentions only.
    Conll,
}

impl From<ExportFormat> for crate::gold::ExchangeFormat {
    fn from(f: ExportFormat) -> Self {
        match f {
            ExportFormat::Brat => crate::gold::ExchangeFormat::Brat,
            ExportFormat::Conll => crate::gold::ExchangeFormat::Conll,
        }
    }
}

/// `--device`, checked while the arguments are parsed (a bad value is a usage error).
fn parse_device(s: &str) -> Result<DeviceSetting, crate::extract::bert::BertError> {
    DeviceSetting::parse(s)
}

/// `--dtype`, checked while the arguments are parsed.
fn parse_dtype(s: &str) -> Result<DtypeSetting, crate::extract::bert::BertError> {
    DtypeSetting::parse(s)
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
        walk(&Cli::command(), "crate", &mut missing);
        assert!(missing.is_empty(), "no help text: {missing:?}");
    }
}
