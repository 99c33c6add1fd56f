//! Runs a models.toml entry's NER over a CoNLL-2003 file and writes conlleval's input
//! (`TOKEN GOLD PRED`, a blank line between sentences), for `quoteval score --conll`:
//!
//!     cargo run --release --example conll_ner -- /work/shared/data/conll2003/test.txt \
//!         test.fp32.conll --dtype fp32
//!     quoteval score --conll test.fp32.conll
//!
//! Options: `--models FILE` (default models.toml), `--model NAME` (default: the file's
//! default), `--dtype fp32|bf16|auto`, `--threads N`, `--batch-size N`.
//!
//! The sentences are one article, one sentence per line (the tokens joined by spaces), so the
//! backend windows across neighbouring sentences as it does in news text. Predicted mentions are
//! mapped back onto the tokens they overlap (B- on the first). The backend maps the model's
//! types to PERSON, PLACE and ORG (MISC is ignored), so the gold column keeps PER, LOC and ORG
//! and turns MISC into O: the score is over those three types, comparable between two runs of
//! this script (dtypes, thread counts), not with the four-type F1 of the training script.

use std::path::PathBuf;
use std::sync::Arc;

use quoteval::annotation::{Article, EntityType, Span};
use quoteval::extract::bert;
use quoteval::models::{ModelsFile, NerStage, Overrides};

fn main() {
    if let Err(e) = run() {
        eprintln!("conll_ner: {e}");
        std::process::exit(1);
    }
}

fn run() -> Result<(), String> {
    let mut args = std::env::args().skip(1);
    let mut positional = Vec::new();
    let mut models = PathBuf::from("models.toml");
    let mut model = None;
    let mut overrides = Overrides::default();
    while let Some(a) = args.next() {
        let mut value = || args.next().ok_or(format!("{a} needs a value"));
        match a.as_str() {
            "--models" => models = PathBuf::from(value()?),
            "--model" => model = Some(value()?),
            "--dtype" => overrides.dtype = Some(value()?),
            "--threads" => overrides.threads = Some(value()?.parse().map_err(|e| format!("{e}"))?),
            "--batch-size" => {
                overrides.batch_size = Some(value()?.parse().map_err(|e| format!("{e}"))?)
            }
            _ => positional.push(a),
        }
    }
    let [input, output] = positional.as_slice() else {
        return Err("usage: conll_ner CONLL_IN OUT [--models F] [--model N] [--dtype D]".into());
    };
    let file = ModelsFile::load(&models).map_err(|e| e.to_string())?;
    let name = model.unwrap_or_else(|| file.default.clone());
    let entry = file.entry(&name).map_err(|e| e.to_string())?;
    let Some(NerStage::RustBert(settings)) = &entry.ner else {
        return Err(format!("model {name:?} has no rust-bert NER stage"));
    };
    let base = models.parent().unwrap_or(std::path::Path::new("."));
    // As `quoteval eval` does: the executable makes the process-wide choices.
    quoteval::process::apply(&file.tuning(&name, &overrides).map_err(|e| e.to_string())?);
    let mut recognizer = bert::load(settings, base, &overrides).map_err(|e| e.to_string())?;

    let conll = std::fs::read_to_string(input).map_err(|e| format!("{input}: {e}"))?;
    // (token, gold tag, char span) per sentence.
    let mut sentences: Vec<Vec<(String, String, Span)>> = vec![Vec::new()];
    let mut text = String::new();
    let mut chars = 0;
    for (n, line) in conll.lines().enumerate() {
        let line = line.trim_end();
        if line.is_empty() || line.starts_with("-DOCSTART-") {
            if sentences.last().is_some_and(|s| !s.is_empty()) {
                sentences.push(Vec::new());
                text.push('\n');
                chars += 1;
            }
            continue;
        }
        let mut cols = line.split_whitespace();
        let (Some(token), Some(tag)) = (cols.next(), cols.last()) else {
            return Err(format!("{input}:{}: expected TOKEN ... TAG", n + 1));
        };
        let sentence = sentences.last_mut().expect("one sentence at least");
        if !sentence.is_empty() {
            text.push(' ');
            chars += 1;
        }
        let len = token.chars().count();
        let gold = if tag.ends_with("MISC") { "O" } else { tag };
        sentence.push((
            token.to_string(),
            gold.to_string(),
            Span::new(chars, chars + len),
        ));
        text.push_str(token);
        chars += len;
    }
    let article = Arc::new(Article::new("conll", text));
    let started = std::time::Instant::now();
    let mentions = recognizer
        .recognize(std::slice::from_ref(&article), &mut |_| {})
        .map_err(|e| e.to_string())?
        .pop()
        .unwrap_or_default();
    eprintln!(
        "conll_ner: {} sentences, {} mentions in {:.1} s, {}",
        sentences.iter().filter(|s| !s.is_empty()).count(),
        mentions.len(),
        started.elapsed().as_secs_f64(),
        recognizer.describe()
    );
    let mut out = String::new();
    let mut m = 0;
    for sentence in sentences.iter().filter(|s| !s.is_empty()) {
        let mut prev: Option<usize> = None;
        for (token, gold, span) in sentence {
            while m < mentions.len() && mentions[m].span.end <= span.start {
                m += 1;
            }
            let pred = match mentions.get(m).filter(|x| x.span.overlaps(span)) {
                Some(x) => {
                    let ty = match x.entity_type {
                        EntityType::Person => "PER",
                        EntityType::Place => "LOC",
                        EntityType::Org => "ORG",
                    };
                    let tag = if prev == Some(m) { "I" } else { "B" };
                    prev = Some(m);
                    format!("{tag}-{ty}")
                }
                None => {
                    prev = None;
                    "O".to_string()
                }
            };
            out.push_str(&format!("{token} {gold} {pred}\n"));
        }
        out.push('\n');
    }
    std::fs::write(output, out).map_err(|e| format!("{output}: {e}"))
}
