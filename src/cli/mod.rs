//! The `quoteval` command line: arguments (`args`), the commands' bodies, and what they print
//! (`output`). Both executables are this module's [`main`]: `quoteval` without libtorch, which
//! hands the commands that run a model to `quoteval-ner` (built with the `ner` feature); see
//! [`crate::handoff`].

use std::process::ExitCode;

use anyhow::Result;
use clap::Parser;

use crate::exit::Exit;
use crate::models::{ModelRun, ModelsError};

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

mod args;
mod compare;
mod eval;
mod gold;
mod output;

pub use args::Cli;
use args::{Command, ModelArgs, ReportCommand};

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
    // models.toml is read once, here, for the commands that run a model: the light build
    // decides from it whether to hand the command off, and the command runs what was read.
    let model = cli.command.model_args().map(ModelArgs::load);
    if let Some(name) = crate::handoff::libtorch_model(model.as_ref()) {
        return hand_off(name);
    }
    // A command stage's work directory holds the article texts: remove it on an interrupt.
    if let Err(e) = crate::extract::external::remove_on_signal() {
        note!("warning: cannot install the signal handler: {e}");
    }
    let exit = match run(cli, model) {
        Ok(exit) => exit,
        Err(err) if crate::exit::is_broken_pipe(err.chain()) => Exit::Ok,
        Err(err) => {
            note!("error: {}", chain_text(&err));
            Exit::of_chain(err.chain())
        }
    };
    ExitCode::from(exit.code())
}

/// Runs the command in `quoteval-ner` (this build has no libtorch); returns only when that
/// fails, or where the platform cannot replace the process.
fn hand_off(model: &str) -> ExitCode {
    match crate::handoff::hand_off(model, std::env::args_os().skip(1).collect()) {
        Ok(code) => ExitCode::from(u8::try_from(code).unwrap_or(Exit::Software.code())),
        Err(err) => {
            note!("error: {err}");
            ExitCode::from(Exit::Software.code())
        }
    }
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

/// Runs a parsed command; `model` is the run of a command that runs one, as `main` loaded it.
fn run(cli: Cli, model: Option<Result<ModelRun, ModelsError>>) -> Result<Exit> {
    let model = model.transpose()?;
    match cli.command {
        Command::Eval(args) => match model {
            Some(run) => eval::eval(args, run),
            None => {
                let run = args.model.load()?;
                eval::eval(args, run)
            }
        },
        Command::Score(args) => eval::score(args),
        Command::Compare(args) => compare::compare(args),
        Command::Report(ReportCommand::Merge { reports, output }) => {
            eval::report_merge(&reports, &output)
        }
        Command::Gold(command) => gold::gold(command, model),
        Command::Model(command) => gold::model(command),
    }
}
