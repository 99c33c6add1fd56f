//! Applies the speaker resolver (`quoteval::extract::quotes::speakers`) to saved predictions, so that a
//! change to it can be scored with `quoteval score` without running the models again:
//!
//!     quoteval eval --gold GOLD --save-predictions PRED --force   # once
//!     cargo run --release --no-default-features --features light --example resolve_speakers \
//!         -- GOLD PRED OUT
//!     quoteval score GOLD OUT
//!
//! GOLD is the corpus directory (its `<id>.txt` articles), PRED the saved predictions (made
//! without the resolver, or with it: the pass is idempotent), OUT a new directory.

use std::path::PathBuf;
use std::process::ExitCode;

use quoteval::corpus::Corpus;
use quoteval::extract::quotes::speakers::resolve_speakers;
use quoteval::format::json::{path_for, read_document, write_document};

fn main() -> ExitCode {
    let args: Vec<PathBuf> = std::env::args_os().skip(1).map(PathBuf::from).collect();
    let [gold, pred, out] = args.as_slice() else {
        eprintln!("usage: resolve_speakers GOLD PRED OUT");
        return ExitCode::from(2);
    };
    let corpus = match Corpus::load(gold) {
        Ok(c) => c,
        Err(e) => {
            eprintln!("{gold:?}: {e:?}");
            return ExitCode::FAILURE;
        }
    };
    if let Err(e) = std::fs::create_dir_all(out) {
        eprintln!("{out:?}: {e}");
        return ExitCode::FAILURE;
    }
    let mut written = 0;
    for id in corpus.ids() {
        let file = path_for(pred, &id);
        let Some(article) = corpus.article(&id) else {
            continue;
        };
        if !file.exists() {
            continue;
        }
        let mut doc = match read_document(&file, article.clone()) {
            Ok(d) => d,
            Err(e) => {
                eprintln!("{file:?}: {e:?}");
                return ExitCode::FAILURE;
            }
        };
        resolve_speakers(&mut doc);
        if let Err(e) = write_document(&doc, &path_for(out, &id), true) {
            eprintln!("{id}: {e}");
            return ExitCode::FAILURE;
        }
        written += 1;
    }
    eprintln!("wrote {written} prediction file(s) to {}", out.display());
    ExitCode::SUCCESS
}
