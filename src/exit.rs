//! The exit codes of the `quoteval` command line, in one place: what each means, and which
//! error maps to which. Scripts (and the CI workflow) rely on them, so they never change meaning.
//!
//! | code | [`Exit`] | meaning |
//! |---:|---|---|
//! | 0 | `Ok` | success (also when the reader of stdout went away, as in `quoteval ... \| head`) |
//! | 1 | `Failed` | the command ran and its verdict is "no": a `--fail-below` gate failed, `gold check` found problems, `gold refresh` lost items |
//! | 2 | `NotComparable` | `compare`: the two reports must not be compared (other corpus, other schema) |
//! | 64 | `Usage` | a wrong command line: unknown option, bad value, unknown `--model`, bad `--fail-below` |
//! | 65 | `DataErr` | bad input data: an invalid annotation, brat, CoNLL, report or models.toml file, a model that fails its checksum |
//! | 66 | `NoInput` | an input file or directory does not exist or cannot be read |
//! | 70 | `Software` | an internal error, or the model failed while running |
//! | 73 | `CantCreate` | an output cannot be written: it exists (pass `--force`), or the write failed |
//!
//! 64 to 73 follow BSD's `sysexits.h`.

use std::fmt;

/// An exit code of the command line (see the module docs for the table).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
#[repr(u8)]
pub enum Exit {
    Ok = 0,
    Failed = 1,
    NotComparable = 2,
    Usage = 64,
    DataErr = 65,
    NoInput = 66,
    Software = 70,
    CantCreate = 73,
}

impl Exit {
    /// Every code with its one-line meaning, in the order of the table.
    pub const ALL: [(Exit, &'static str); 8] = [
        (Exit::Ok, "success"),
        (
            Exit::Failed,
            "a gate or check failed (--fail-below, gold check, gold refresh)",
        ),
        (
            Exit::NotComparable,
            "compare: the reports cannot be compared",
        ),
        (Exit::Usage, "usage error (bad option, value or model name)"),
        (
            Exit::DataErr,
            "bad input data (named by file, line and item)",
        ),
        (Exit::NoInput, "an input does not exist or cannot be read"),
        (
            Exit::Software,
            "internal error, or the model failed while running",
        ),
        (
            Exit::CantCreate,
            "an output cannot be written (exists without --force, or the write failed)",
        ),
    ];

    pub fn code(self) -> u8 {
        self as u8
    }

    /// The code for an error, from the first error in its chain (outermost first) that says
    /// what kind of failure it is. An error nobody classified is an internal error.
    pub fn of_chain<'a>(
        chain: impl IntoIterator<Item = &'a (dyn std::error::Error + 'static)>,
    ) -> Exit {
        for err in chain {
            if let Some(exit) = Exit::of_error(err) {
                return exit;
            }
        }
        Exit::Software
    }

    fn of_error(err: &(dyn std::error::Error + 'static)) -> Option<Exit> {
        use crate::compare::CompareError;
        use crate::extract::ExtractError;
        use crate::format::{Problems, WriteError};
        use crate::models::ModelsError;
        if let Some(f) = err.downcast_ref::<Failure>() {
            return Some(f.exit);
        }
        if err.downcast_ref::<Problems>().is_some() {
            return Some(Exit::DataErr);
        }
        if err.downcast_ref::<WriteError>().is_some() {
            return Some(Exit::CantCreate);
        }
        if let Some(e) = err.downcast_ref::<CompareError>() {
            return Some(match e {
                CompareError::Refused(_) => Exit::NotComparable,
                CompareError::Input(_) => Exit::DataErr,
                CompareError::Usage(_) => Exit::Usage,
            });
        }
        if let Some(e) = err.downcast_ref::<ModelsError>() {
            return Some(match e {
                ModelsError::Io { source, .. } => io_exit(source),
                ModelsError::Unknown { .. }
                | ModelsError::Set { .. }
                | ModelsError::NoDefault { .. } => Exit::Usage,
                ModelsError::Checksum {
                    source: crate::model_check::ChecksumError::Io { source, .. },
                    ..
                } => io_exit(source),
                ModelsError::Invalid { .. }
                | ModelsError::Build { .. }
                | ModelsError::Checksum { .. } => Exit::DataErr,
            });
        }
        if let Some(e) = err.downcast_ref::<ExtractError>() {
            return Some(match e {
                ExtractError::Predictions(_) => Exit::DataErr,
                ExtractError::Model { .. } | ExtractError::Unsupported(_) => Exit::Software,
                // Judged by what failed, not by the directory kept.
                ExtractError::Kept { source, .. } => return Exit::of_error(source.as_ref()),
            });
        }
        if err.downcast_ref::<crate::report::MergeError>().is_some()
            || err.downcast_ref::<crate::report::ReadError>().is_some()
        {
            return Some(Exit::DataErr);
        }
        if let Some(e) = err.downcast_ref::<crate::score::conll::ConllError>() {
            return Some(match e {
                crate::score::conll::ConllError::Io { source, .. } => io_exit(source),
                _ => Exit::DataErr,
            });
        }
        if let Some(e) = err.downcast_ref::<crate::model_check::ChecksumError>() {
            return Some(match e {
                crate::model_check::ChecksumError::Io { source, .. } => io_exit(source),
                _ => Exit::DataErr,
            });
        }
        if let Some(e) = err.downcast_ref::<std::io::Error>() {
            return Some(io_exit(e));
        }
        if err.downcast_ref::<serde_json::Error>().is_some() {
            return Some(Exit::DataErr);
        }
        None
    }
}

fn io_exit(e: &std::io::Error) -> Exit {
    match e.kind() {
        std::io::ErrorKind::NotFound | std::io::ErrorKind::PermissionDenied => Exit::NoInput,
        _ => Exit::DataErr,
    }
}

impl fmt::Display for Exit {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.code())
    }
}

/// An error that carries its exit code: for failures that no typed error of the library
/// describes (a missing argument, a corpus without gold).
#[derive(Debug, thiserror::Error)]
#[error("{message}")]
pub struct Failure {
    pub exit: Exit,
    pub message: String,
}

impl Failure {
    pub fn new(exit: Exit, message: impl Into<String>) -> Failure {
        Failure {
            exit,
            message: message.into(),
        }
    }

    pub fn usage(message: impl Into<String>) -> Failure {
        Failure::new(Exit::Usage, message)
    }

    pub fn data(message: impl Into<String>) -> Failure {
        Failure::new(Exit::DataErr, message)
    }

    pub fn no_input(message: impl Into<String>) -> Failure {
        Failure::new(Exit::NoInput, message)
    }
}

/// Whether an error chain ends in a closed pipe (`quoteval ... | head`): not a failure of ours.
pub fn is_broken_pipe<'a>(
    chain: impl IntoIterator<Item = &'a (dyn std::error::Error + 'static)>,
) -> bool {
    chain.into_iter().any(|e| {
        e.downcast_ref::<std::io::Error>()
            .is_some_and(|io| io.kind() == std::io::ErrorKind::BrokenPipe)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_are_distinct_and_documented() {
        let codes: std::collections::BTreeSet<u8> =
            Exit::ALL.iter().map(|(e, _)| e.code()).collect();
        assert_eq!(codes.len(), Exit::ALL.len());
        assert_eq!(Exit::NotComparable.code(), 2);
        assert_eq!(Exit::Usage.code(), 64);
        assert_eq!(Exit::DataErr.code(), 65);
        let docs = include_str!("exit.rs");
        for (exit, _) in Exit::ALL {
            assert!(
                docs.contains(&format!("//! | {} | `{exit:?}` |", exit.code())),
                "{exit:?} missing from the table"
            );
        }
    }

    #[test]
    fn errors_map_to_their_codes_through_context() {
        let chain = |e: anyhow::Error| Exit::of_chain(e.chain());
        let problems = crate::format::Problems(vec![]);
        assert_eq!(
            chain(anyhow::Error::from(problems).context("reading gold")),
            Exit::DataErr
        );
        assert_eq!(
            chain(crate::compare::CompareError::Refused("x".into()).into()),
            Exit::NotComparable
        );
        assert_eq!(
            chain(crate::compare::CompareError::Usage("x".into()).into()),
            Exit::Usage
        );
        let missing = std::fs::read("/nonexistent/quoteval").unwrap_err();
        assert_eq!(chain(anyhow::Error::from(missing)), Exit::NoInput);
        assert_eq!(chain(anyhow::anyhow!("unclassified")), Exit::Software);
        let pipe = std::io::Error::from(std::io::ErrorKind::BrokenPipe);
        assert!(is_broken_pipe(
            anyhow::Error::from(pipe).context("writing").chain()
        ));
    }
}
