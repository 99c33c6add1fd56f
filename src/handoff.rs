//! The hand-off from `quoteval` to `quoteval-ner` for the commands that run a model.
//!
//! libtorch's static initialisation costs about half a second and 100 MB at every start of a
//! process linked against it, whatever the command. So the user-facing `quoteval` is built
//! without the `ner` feature (no libtorch: it starts in milliseconds), and `quoteval-ner` is the
//! same command line (`src/main.rs`) built with it. The commands that run a model on libtorch
//! (`eval` and `gold draft` of a models.toml entry with a rust-bert stage or the quote tagger)
//! are handed to the `quoteval-ner` beside the running executable, with the same arguments;
//! everything else (scoring, `compare`, `gold check`, `eval` of a `predictions` entry, ...)
//! runs in `quoteval`.
//! A build with `ner` ([`RUNS_MODELS`]) runs everything itself.

use std::ffi::OsString;
use std::path::PathBuf;

use crate::models::{ModelRun, ModelsError};

/// The executable built with the `ner` feature, expected beside `quoteval`.
pub const NER_BINARY: &str = "quoteval-ner";

/// Whether this build runs models itself (the `ner` feature is compiled in).
pub const RUNS_MODELS: bool = cfg!(feature = "ner");

/// Set in the environment of a handed-off process: a `quoteval-ner` that is in fact a light
/// build (a copy gone wrong) fails instead of handing off to itself for ever.
const HANDED_OFF_ENV: &str = "QUOTEVAL_HANDED_OFF";

#[derive(Debug, thiserror::Error)]
pub enum HandoffError {
    #[error(
        "model {model:?} runs on libtorch, which this quoteval (built without it, to start fast) \
         leaves to {}; it is missing: build it with `make setup` (or `make build`)",
        path.display()
    )]
    Missing { model: String, path: PathBuf },
    #[error(
        "model {model:?} runs on libtorch, but {} was built without the `ner` feature too \
         (rebuild with `make build`)",
        path.display()
    )]
    NotNer { model: String, path: PathBuf },
    #[error("cannot locate the quoteval executable: {0}")]
    CurrentExe(std::io::Error),
    #[error("cannot run {}: {source}", path.display())]
    Exec {
        path: PathBuf,
        source: std::io::Error,
    },
}

/// The entry to hand to `quoteval-ner`: that of a command's model run when this build has no
/// libtorch and the entry runs a model on it ([`crate::models::ModelEntry::runs_on_libtorch`]).
/// `None` for a run that could not be loaded: this process then reports the error itself,
/// exactly as `quoteval-ner` would.
pub fn libtorch_model(run: Option<&Result<ModelRun, ModelsError>>) -> Option<&str> {
    match run {
        Some(Ok(run)) if !RUNS_MODELS && run.entry().is_ok_and(|e| e.runs_on_libtorch()) => {
            Some(&run.name)
        }
        _ => None,
    }
}

/// The `quoteval-ner` beside the running executable (symbolic links resolved, so a link to
/// `quoteval` on the PATH still finds it).
pub fn ner_binary() -> Result<PathBuf, HandoffError> {
    let exe = std::env::current_exe().map_err(HandoffError::CurrentExe)?;
    let exe = exe.canonicalize().unwrap_or(exe);
    Ok(exe.with_file_name(format!("{NER_BINARY}{}", std::env::consts::EXE_SUFFIX)))
}

/// Runs `quoteval-ner` with `args` (this process's arguments, without the program name) for
/// `model`. On Unix it replaces this process (exec), so the exit code, signals and standard
/// streams are the command's own, and it returns only an error; elsewhere it waits and returns
/// the child's exit code.
pub fn hand_off(model: &str, args: Vec<OsString>) -> Result<i32, HandoffError> {
    let path = ner_binary()?;
    if std::env::var_os(HANDED_OFF_ENV).is_some() {
        return Err(HandoffError::NotNer {
            model: model.into(),
            path,
        });
    }
    if !path.is_file() {
        return Err(HandoffError::Missing {
            model: model.into(),
            path,
        });
    }
    let mut command = std::process::Command::new(&path);
    command.args(args).env(HANDED_OFF_ENV, "1");
    #[cfg(unix)]
    {
        use std::os::unix::process::CommandExt as _;
        let source = command.exec();
        Err(HandoffError::Exec { path, source })
    }
    #[cfg(not(unix))]
    {
        let status = command
            .status()
            .map_err(|source| HandoffError::Exec { path, source })?;
        // A child ended by a signal has no code: report it as an internal error (70).
        Ok(status.code().unwrap_or(70))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_rust_bert_entries_are_handed_off() {
        let dir = tempfile::tempdir().unwrap();
        let models = dir.path().join("models.toml");
        std::fs::write(
            &models,
            "default = \"bert\"\n[models.bert.ner]\nbackend = \"rust-bert\"\npath = \"m\"\n\
             labels = { PER = \"PERSON\" }\n[models.echo]\npredictions = \"gold\"\n",
        )
        .unwrap();
        let load = |model: Option<&str>| {
            ModelRun::load(&models, model, crate::models::Overrides::default())
        };
        // Only a build without libtorch hands anything off.
        let handed = (!RUNS_MODELS).then_some("bert");
        assert_eq!(libtorch_model(Some(&load(None))), handed);
        assert_eq!(libtorch_model(Some(&load(Some("bert")))), handed);
        assert_eq!(libtorch_model(Some(&load(Some("echo")))), None);
        assert!(load(Some("bert"))
            .unwrap()
            .entry()
            .unwrap()
            .runs_on_libtorch());
        assert!(!load(Some("echo"))
            .unwrap()
            .entry()
            .unwrap()
            .runs_on_libtorch());
        // Errors are this process's to report.
        assert_eq!(libtorch_model(Some(&load(Some("nope")))), None);
        let missing = ModelRun::load(
            &dir.path().join("none.toml"),
            None,
            crate::models::Overrides::default(),
        );
        assert_eq!(libtorch_model(Some(&missing)), None);
        assert_eq!(libtorch_model(None), None);
    }

    #[test]
    fn the_ner_binary_is_beside_this_one() {
        let exe = std::env::current_exe().unwrap().canonicalize().unwrap();
        let path = ner_binary().unwrap();
        assert_eq!(path.parent(), exe.parent());
        assert!(path
            .file_name()
            .unwrap()
            .to_string_lossy()
            .starts_with(NER_BINARY));
    }
}
