//! What a command prints or writes: a report in the chosen format, its error list, the HTML
//! page, the `--min` gates; every output checked before any work.

use std::path::Path;

use anyhow::Result;

use super::args::OutputArgs;
use crate::exit::{Exit, Failure};
use crate::report::Report;
use crate::score::conll;

/// Output options that cannot work together, refused before any work.
pub fn check_output_args(output: &OutputArgs, conll: bool) -> Result<()> {
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
            crate::format::check_writable(path, false)
                .map_err(|e| Failure::new(Exit::CantCreate, format!("{flag} {e}")))?;
        }
    }
    Ok(())
}

/// The `--min` gates of a written report: each one short is said on stderr; exit 1 if any.
pub fn min_gates(report: &Report, output: &OutputArgs) -> Exit {
    let mut failed = false;
    for (name, floor) in &output.min {
        let value = crate::score::catalogue::get(name).and_then(|q| q.value(&report.totals.counts));
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

/// Prints (or writes) a report in the chosen format, and the error list when asked.
pub fn emit(report: &Report, output: &OutputArgs) -> Result<()> {
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
            let texts = crate::html::load_texts(report, None).map_err(html_failure)?;
            Some((crate::html::report_html(report, &texts), path))
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

/// Prints (or writes) CoNLL chunk scores in the chosen format: conlleval's own text by default.
pub fn emit_conll(scores: &conll::ConllScores, out: &OutputArgs) -> Result<Exit> {
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

/// The corpus of an HTML report cannot be read (66), or is not the one the report scored (2, as
/// `compare` refuses other corpora).
pub fn html_failure(e: crate::html::HtmlError) -> anyhow::Error {
    let exit = match e {
        crate::html::HtmlError::Corpus { .. } => Exit::NoInput,
        crate::html::HtmlError::Mismatch { .. } => Exit::NotComparable,
    };
    Failure::new(exit, e.to_string()).into()
}

pub fn write_output(text: &str, out: Option<&Path>) -> Result<()> {
    match out {
        Some(path) => crate::format::write_atomically(path, text.as_bytes(), true)?,
        None => out!("{text}")?,
    }
    Ok(())
}

pub fn has_articles(dir: &Path) -> bool {
    std::fs::read_dir(dir).is_ok_and(|entries| {
        entries
            .filter_map(|e| e.ok())
            .any(|e| e.path().extension().is_some_and(|x| x == "txt"))
    })
}
