//! `gold` (check, agree, draft, refresh, export, import) and `model assemble`.

use std::path::PathBuf;

use anyhow::Result;

use super::args::{GoldCommand, ModelCommand};
use super::output::{check_output_args, emit, has_articles, min_gates};
use crate::app;
use crate::exit::{Exit, Failure};
use crate::models::ModelRun;

/// A `gold` command; `draft` runs `model`, loaded once by the caller.
pub fn gold(command: GoldCommand, model: Option<ModelRun>) -> Result<Exit> {
    match command {
        GoldCommand::Check { dir, texts } => {
            if !dir.is_dir() {
                return Err(
                    Failure::no_input(format!("{}: no such directory", dir.display())).into(),
                );
            }
            let texts = texts.unwrap_or_else(|| dir.clone());
            let summary = match crate::check::check_gold_with(&texts, &dir) {
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
        GoldCommand::Agree {
            a,
            b,
            texts,
            output,
        } => {
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
        GoldCommand::Draft {
            model: args,
            gold,
            out,
            force,
        } => {
            let run = match model {
                Some(run) => run,
                None => args.load()?,
            };
            let out_dir = out.unwrap_or_else(|| gold.clone());
            // Process-wide choices (libtorch threads, allocator) are made here, not in the library.
            crate::process::apply(&run.tuning()?);
            let written = crate::gold::draft(&run, &gold, &out_dir, force)?;
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
        GoldCommand::Refresh {
            dir,
            dry_run,
            verbose,
        } => {
            let results = crate::gold::refresh(&dir, !dry_run)?;
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
        GoldCommand::Export {
            format,
            gold,
            out,
            force,
        } => {
            let written = crate::gold::export(&gold, format.into(), &out, force)?;
            out!("wrote {} file(s) to {}\n", written.len(), out.display())?;
            Ok(Exit::Ok)
        }
        GoldCommand::Import {
            format,
            from,
            gold,
            out,
            labels,
            layers,
            force,
        } => {
            let written =
                crate::gold::import(&from, format, &gold, &out, labels, layers.as_deref(), force)?;
            out!(
                "wrote {} annotation file(s) to {}\n",
                written.len(),
                out.display()
            )?;
            Ok(Exit::Ok)
        }
    }
}

pub fn model(command: ModelCommand) -> Result<Exit> {
    match command {
        ModelCommand::Assemble {
            base,
            artifact,
            out,
        } => {
            let assembled = crate::model_artifact::assemble(&base, &artifact, &out)?;
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
