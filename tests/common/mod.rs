//! Helpers shared by the command-line tests: running the binary, reading its output, and a
//! scratch copy of the gold corpus. Each test crate uses a part of them.
#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

/// The first gold article, whose items several tests edit.
pub const ARTICLE: &str = "000_de67a28c626ab951";

/// Runs the command line in the repository root: `quoteval-ner`, the build with models in-process
/// (tests/light.rs runs the light `quoteval`, which hands model runs to it).
pub fn quoteval(args: &[&str]) -> Output {
    quoteval_in(Path::new(env!("CARGO_MANIFEST_DIR")), args)
}

/// Runs the command line (`quoteval-ner`) in `dir`.
pub fn quoteval_in(dir: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_quoteval-ner"))
        .args(args)
        .current_dir(dir)
        .output()
        .expect("run quoteval")
}

pub fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

pub fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

/// A copy of the gold corpus (texts and gold files) in a temp dir.
pub fn gold_copy() -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let gold = dir.path().join("gold");
    std::fs::create_dir(&gold).unwrap();
    for entry in std::fs::read_dir(Path::new(env!("CARGO_MANIFEST_DIR")).join("gold")).unwrap() {
        let path = entry.unwrap().path();
        if path.is_file() && path.extension().is_some_and(|x| x == "txt" || x == "json") {
            std::fs::copy(&path, gold.join(path.file_name().unwrap())).unwrap();
        }
    }
    (dir, gold)
}
