//! `eval` (a model over the gold corpus or a CoNLL file), `score` and `report merge`.

use std::io::IsTerminal;
use std::path::{Path, PathBuf};

use anyhow::{Context, Result};

use super::args::{EvalArgs, OutputArgs, ScoreArgs};
use super::output::{check_output_args, emit, emit_conll, min_gates};
use crate::app::{self, EvalOptions};
use crate::exit::{Exit, Failure};
use crate::models::ModelRun;
use crate::report::Report;
use crate::score::conll;

/// `eval`: the run's model over the gold corpus (or, with `--conll`, over a CoNLL file).
pub fn eval(args: EvalArgs, run: ModelRun) -> Result<Exit> {
    check_output_args(&args.output, args.conll.is_some())?;
    let options = EvalOptions {
        gold_dir: args.gold.clone(),
        shard: args.shard,
    };
    if let Some(conll) = &args.conll {
        return eval_conll(&run, conll, &args);
    }
    // Everything that can be checked is checked before the model runs.
    if let Some(dir) = &args.save_predictions {
        crate::format::check_writable(dir, true)
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
        if let Ok(corpus) = crate::corpus::Corpus::load(&options.gold_dir) {
            bar.set_length(corpus.articles.len() as u64);
        }
    }
    // Process-wide choices (libtorch threads, allocator) are made here, not in the library.
    crate::process::apply(&run.tuning()?);
    let (report, predictions) = app::eval(&run, &options, &mut tick)?;
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
fn eval_conll(model: &ModelRun, conll: &Path, args: &EvalArgs) -> Result<Exit> {
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
    // Process-wide choices (libtorch threads, allocator) are made here, not in the library.
    crate::process::apply(&model.tuning()?);
    let run = app::eval_conll(model, conll, args.labels, args.mode)?;
    note!(
        "{} sentences through {} in {:.1} s",
        run.sentences,
        run.backend,
        run.seconds
    );
    if let Some(file) = &args.save_predictions {
        crate::format::write_atomically(file, run.tagged.as_bytes(), true)?;
        note!("wrote conlleval's input to {}", file.display());
    }
    emit_conll(&run.scores, out)
}

/// `report merge`.
pub fn report_merge(reports: &[PathBuf], output: &OutputArgs) -> Result<Exit> {
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

pub fn score(args: ScoreArgs) -> Result<Exit> {
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
