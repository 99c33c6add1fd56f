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

/// The README's benchmark row of `entry` on `corpus`: its five cells.
pub fn readme_row(entry: &str, corpus: &str) -> Vec<String> {
    let readme = std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("README.md"))
        .expect("README.md");
    let line = readme
        .lines()
        .find(|l| l.starts_with(&format!("| {entry} | {corpus}")))
        .unwrap_or_else(|| panic!("no README row for {entry} on {corpus}"));
    line.trim_matches('|')
        .split('|')
        .skip(2)
        .map(|c| c.trim().to_string())
        .collect()
}

/// A report's cells as the benchmark script writes them.
pub fn cells(report: &serde_json::Value) -> Vec<String> {
    let m = &report["totals"]["metrics"];
    let values = [
        (
            "entities.strict.f1",
            &m["entities"]["micro"]["strict"]["f1"],
        ),
        ("quotes.0.3.f1", &m["quotes"]["0.3"]["all"]["f1"]),
        (
            "quotes.0.3.speaker_by_name",
            &m["quotes"]["0.3"]["all"]["speaker_by_name"],
        ),
        ("speakers.f1", &m["speakers"]["f1"]),
        ("places.f1", &m["places"]["f1"]),
    ];
    values
        .iter()
        .map(|(name, v)| {
            let i = &report["totals"]["intervals"][name];
            format!(
                "{:.3} [{:.3}, {:.3}]",
                v.as_f64().unwrap(),
                i["low"].as_f64().unwrap(),
                i["high"].as_f64().unwrap()
            )
        })
        .collect()
}

/// How far a README benchmark cell may sit from a fresh run's: the models run in bf16 wherever
/// the CPU has AMX or AVX-512 BF16, and the two kernels round differently (the hybrid's PolNeAR
/// dev entity F1 reads 0.904 on an Intel Xeon with AMX and 0.903 on an AMD EPYC with AVX-512
/// BF16 only). A real change of the model or the scorer moves a cell further.
pub const README_CELL_TOLERANCE: f64 = 0.003;

/// Checks a README row against a fresh run's cells, each of "F1 [low, high]" within
/// [`README_CELL_TOLERANCE`].
pub fn assert_readme_row(readme: &[String], fresh: &[String], what: &str) {
    let numbers = |cell: &str| -> Vec<f64> {
        cell.split(|c: char| !(c.is_ascii_digit() || c == '.'))
            .filter(|s| !s.is_empty())
            .map(|s| {
                s.parse::<f64>()
                    .unwrap_or_else(|_| panic!("{what}: cell {cell:?}"))
            })
            .collect()
    };
    assert_eq!(
        readme.len(),
        fresh.len(),
        "{what}: {readme:?} against {fresh:?}"
    );
    for (r, f) in readme.iter().zip(fresh) {
        let (rn, fnum) = (numbers(r), numbers(f));
        let close = rn.len() == fnum.len()
            && rn
                .iter()
                .zip(&fnum)
                .all(|(a, b)| (a - b).abs() <= README_CELL_TOLERANCE + 1e-9);
        assert!(
            close,
            "{what}: README {readme:?}, fresh run {fresh:?} (tolerance {README_CELL_TOLERANCE}); \
             rerun scripts/benchmark_table.py --out README.md"
        );
    }
}
