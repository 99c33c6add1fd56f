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
use std::path::{Path, PathBuf};

use crate::models::ModelsFile;

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

/// The models.toml entry that `eval` or `gold draft` would run on libtorch: the entry `model`
/// (default: the file's default) when [`crate::models::ModelEntry::runs_on_libtorch`]. `None`
/// when the file cannot be read or names no such entry: this process then reports the error
/// itself, exactly as `quoteval-ner` would. `settings` (`--set`) apply first: they can change
/// a stage's backend.
pub fn libtorch_model(models: &Path, model: Option<&str>, settings: &[String]) -> Option<String> {
    let (file, name) = ModelsFile::load_entry(models, model, settings).ok()?;
    let entry = file.entry(&name).ok()?;
    entry.runs_on_libtorch().then_some(name)
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
        assert_eq!(libtorch_model(&models, None, &[]).as_deref(), Some("bert"));
        assert_eq!(
            libtorch_model(&models, Some("bert"), &[]).as_deref(),
            Some("bert")
        );
        assert_eq!(libtorch_model(&models, Some("echo"), &[]), None);
        // Errors are this process's to report.
        assert_eq!(libtorch_model(&models, Some("nope"), &[]), None);
        assert_eq!(
            libtorch_model(&dir.path().join("none.toml"), None, &[]),
            None
        );
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
