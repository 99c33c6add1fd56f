//! conlleval-compatible scorer on the command line (used by `scripts/conll_parity.py`).
//!
//! ```text
//! cargo run --release --no-default-features --example conlleval -- [--mode M] [--json] FILE
//! cargo run --release --no-default-features --example conlleval -- [--mode M] [--json] --pair GOLD PRED
//! ```
//!
//! `M` is `lenient` (conlleval, the default), `strict-iob2` or `strict-iobes` (seqeval strict).
//! FILE is conlleval's input (`... GOLD PRED` per line); `-` reads standard input. Prints
//! conlleval's report, or the scores as JSON with `--json`.

use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use quoteval::score::conll::{self, ChunkMode, ConllScores};

fn usage() -> ExitCode {
    eprintln!("usage: conlleval [--mode lenient|strict-iob2|strict-iobes] [--json] (FILE | --pair GOLD PRED)");
    ExitCode::from(2)
}

fn main() -> ExitCode {
    let mut mode = ChunkMode::Lenient;
    let mut json = false;
    let mut files: Vec<PathBuf> = Vec::new();
    let mut pair = false;
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        match arg.as_str() {
            "--json" => json = true,
            "--pair" => pair = true,
            "--mode" => match args.next().map(|m| m.parse::<ChunkMode>()) {
                Some(Ok(m)) => mode = m,
                Some(Err(e)) => {
                    eprintln!("conlleval: {e}");
                    return ExitCode::from(2);
                }
                None => return usage(),
            },
            "-h" | "--help" => return usage(),
            _ => files.push(PathBuf::from(arg)),
        }
    }
    let result: Result<ConllScores, conll::ConllError> = match (pair, files.as_slice()) {
        (true, [gold, pred]) => conll::score_pair_files(gold, pred, mode),
        (false, [file]) if file.as_os_str() == "-" => {
            let mut text = Vec::new();
            if let Err(e) = std::io::stdin().read_to_end(&mut text) {
                eprintln!("conlleval: cannot read standard input: {e}");
                return ExitCode::FAILURE;
            }
            conll::score_conlleval(&text, Path::new("<stdin>"), mode)
        }
        (false, [file]) => conll::score_conlleval_file(file, mode),
        _ => return usage(),
    };
    match result {
        Ok(scores) if json => match serde_json::to_string_pretty(&scores) {
            Ok(text) => {
                println!("{text}");
                ExitCode::SUCCESS
            }
            Err(e) => {
                eprintln!("conlleval: {e}");
                ExitCode::FAILURE
            }
        },
        Ok(scores) => {
            print!("{}", scores.conlleval_text());
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("conlleval: {e}");
            ExitCode::FAILURE
        }
    }
}
