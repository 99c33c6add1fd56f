//! `compare`: two reports, their deltas and gates, as a table, Markdown, JSON or HTML.

use anyhow::Result;

use super::args::CompareArgs;
use super::output::{html_failure, write_output};
use crate::exit::{Exit, Failure};

/// `quoteval compare`: exit 0, 1 when a gate fails (one line per gate on stderr), 2 when the
/// reports cannot be compared, 64 for a wrong argument (a bad `--fail-below`), 65 or 66 when a
/// report cannot be read.
pub fn compare(args: CompareArgs) -> Result<Exit> {
    use crate::compare;
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
        let texts = crate::html::load_texts_near(&b, args.gold.as_deref(), Some(&base))
            .map_err(html_failure)?;
        write_output(
            &crate::html::compare_html(&comparison, &b, &c, &texts),
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
