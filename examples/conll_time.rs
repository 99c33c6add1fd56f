//! Quick release-mode timing of the CoNLL chunk scorer (not a benchmark harness).
//!
//! ```text
//! cargo run --release --no-default-features --example conll_time -- FILE [--mode M] [--runs N]
//! cargo run --release --no-default-features --example conll_time -- --pair GOLD PRED [--mode M]
//! ```
//!
//! FILE is conlleval's input (`... GOLD PRED`). Prints the median, minimum and maximum over
//! `N` runs (default 20, after one warm-up run) of scoring the in-memory text, and of reading
//! the file(s) and scoring.

use std::path::PathBuf;
use std::process::ExitCode;
use std::time::{Duration, Instant};

use quoteval::score::conll::{self, ChunkMode};

fn stats(mut times: Vec<Duration>) -> String {
    times.sort();
    let ms = |d: Duration| d.as_secs_f64() * 1e3;
    format!(
        "median {:.3} ms  (min {:.3}, max {:.3}, {} runs)",
        ms(times[times.len() / 2]),
        ms(times[0]),
        ms(times[times.len() - 1]),
        times.len()
    )
}

fn main() -> ExitCode {
    let mut mode = ChunkMode::Lenient;
    let mut runs = 20usize;
    let mut pair = false;
    let mut files: Vec<PathBuf> = Vec::new();
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        match arg.as_str() {
            "--pair" => pair = true,
            "--mode" => match args.next().map(|m| m.parse::<ChunkMode>()) {
                Some(Ok(m)) => mode = m,
                _ => {
                    eprintln!("conll_time: --mode needs lenient, strict-iob2 or strict-iobes");
                    return ExitCode::from(2);
                }
            },
            "--runs" => match args.next().and_then(|n| n.parse::<usize>().ok()) {
                Some(n) if n > 0 => runs = n,
                _ => {
                    eprintln!("conll_time: --runs needs a positive number");
                    return ExitCode::from(2);
                }
            },
            _ => files.push(PathBuf::from(arg)),
        }
    }
    if files.len() != if pair { 2 } else { 1 } {
        eprintln!("usage: conll_time (FILE | --pair GOLD PRED) [--mode M] [--runs N]");
        return ExitCode::from(2);
    }
    let texts: Vec<Vec<u8>> = match files.iter().map(std::fs::read).collect() {
        Ok(t) => t,
        Err(e) => {
            eprintln!("conll_time: {e}");
            return ExitCode::FAILURE;
        }
    };
    let score_text = || match pair {
        true => conll::score_pair(&texts[0], &files[0], &texts[1], &files[1], mode),
        false => conll::score_conlleval(&texts[0], &files[0], mode),
    };
    let score_file = || match pair {
        true => conll::score_pair_files(&files[0], &files[1], mode),
        false => conll::score_conlleval_file(&files[0], mode),
    };
    let first = match score_text() {
        Ok(s) => s,
        Err(e) => {
            eprintln!("conll_time: {e}");
            return ExitCode::FAILURE;
        }
    };
    let mut in_memory = Vec::with_capacity(runs);
    let mut with_read = Vec::with_capacity(runs);
    for _ in 0..runs {
        let t = Instant::now();
        let s = score_text();
        in_memory.push(t.elapsed());
        assert!(matches!(&s, Ok(s) if *s == first));
        let t = Instant::now();
        let s = score_file();
        with_read.push(t.elapsed());
        assert!(matches!(&s, Ok(s) if *s == first));
    }
    print!("{}", first.conlleval_text());
    println!(
        "{} tokens, {} bytes, mode {mode}",
        first.tokens,
        texts.iter().map(Vec::len).sum::<usize>()
    );
    println!("score (text in memory): {}", stats(in_memory));
    println!("read file(s) + score:   {}", stats(with_read));
    ExitCode::SUCCESS
}
