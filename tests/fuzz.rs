//! Fuzzing with a seeded generator, for a fixed time budget per target, in the ordinary test
//! suite (stable Rust, no `ner` feature): the annotation file parser, the brat and CoNLL
//! importers, the PolNeAR importer (see [`polnear_import`]) and the quote extractor.
//!
//! Every target checks more than "no panic": whatever an importer or the extractor accepts must
//! survive the trip through an annotation file (written, read back, equal), which is what the
//! rest of the tool relies on.
//!
//! `QUOTEVAL_FUZZ_SECONDS` (default 2) is the budget per target, `QUOTEVAL_FUZZ_SEED` the seed
//! (default fixed, so a run is reproducible; a failure prints the seed and the case number, and
//! `QUOTEVAL_FUZZ_CASE=N` replays that case alone).

use std::panic::{catch_unwind, AssertUnwindSafe};
use std::path::Path;
use std::sync::Arc;
use std::time::{Duration, Instant};

use quoteval::annotation::{Article, Document, EntityType, Mention, Span};
use quoteval::extract::quotes::RulesExtractor;
use quoteval::format::json::AnnotationFile;
use quoteval::format::{brat, conll};

fn env_u64(name: &str, default: u64) -> u64 {
    std::env::var(name)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

/// Runs `case(rng)` for the time budget (or only the case named by `QUOTEVAL_FUZZ_CASE`), each
/// case with its own generator seeded from (seed, case number); reports the first panic or
/// failed property with what replays it. Returns the number of cases run.
fn fuzz(target: &str, mut case: impl FnMut(&mut fastrand::Rng) -> Result<(), String>) -> u64 {
    let seed = env_u64("QUOTEVAL_FUZZ_SEED", 0x5eed_2026);
    let budget = Duration::from_millis(env_u64("QUOTEVAL_FUZZ_SECONDS", 2) * 1000);
    let only = std::env::var("QUOTEVAL_FUZZ_CASE")
        .ok()
        .and_then(|v| v.parse::<u64>().ok());
    let started = Instant::now();
    let mut n = only.unwrap_or(0);
    let mut runs = 0;
    loop {
        let mut rng = fastrand::Rng::with_seed(seed ^ n.wrapping_mul(0x9e37_79b9_7f4a_7c15));
        let t = Instant::now();
        let outcome = catch_unwind(AssertUnwindSafe(|| case(&mut rng)));
        let replay = format!("QUOTEVAL_FUZZ_SEED={seed} QUOTEVAL_FUZZ_CASE={n}");
        match outcome {
            Err(_) => panic!("{target}: case {n} panicked (replay: {replay})"),
            Ok(Err(why)) => panic!("{target}: case {n}: {why} (replay: {replay})"),
            Ok(Ok(())) => {}
        }
        // A case is small: a second is a hang.
        assert!(
            t.elapsed() < Duration::from_secs(5),
            "{target}: case {n} took {:?} (replay: {replay})",
            t.elapsed()
        );
        runs += 1;
        n += 1;
        if only.is_some() || started.elapsed() >= budget {
            break;
        }
    }
    eprintln!("{target}: {runs} cases, 0 failures (seed {seed})");
    runs
}

// ---- generators

const WORDS: &[&str] = &[
    "Putin",
    "Vladimir",
    "Trump",
    "Zelensky",
    "Kyiv",
    "Moscow",
    "Kremlin",
    "Ushakov",
    "said",
    "says",
    "told",
    "added",
    "according",
    "to",
    "the",
    "talks",
    "were",
    "useful",
    "he",
    "she",
    "they",
    "an",
    "official",
    "spokesman",
    "President",
    "that",
    "and",
    "in",
    "on",
    "war",
    "we",
    "cannot",
    "agree",
    "U.S.",
    "it",
    "is",
    "not",
    "a",
    "reporters",
    "claimed",
    "noted",
    "—",
    ",",
    ".",
    ":",
    ";",
    "?",
    "!",
    "(",
    ")",
    "’s",
    "Mr",
    "Ms.",
    "Dr.",
];
const MARKS: &[&str] = &[
    "“", "”", "‘", "’", "\"", "'", "«", "»", "„", "—", "\n", "\n\n", " ",
];

fn pick<'a>(rng: &mut fastrand::Rng, items: &[&'a str]) -> &'a str {
    items[rng.usize(..items.len())]
}

/// A random news-like article: words, names and cues with quotation marks (paired, unpaired,
/// empty, nested), dashes and line breaks.
fn article_text(rng: &mut fastrand::Rng) -> String {
    let mut out = String::new();
    for _ in 0..rng.usize(0..120) {
        match rng.u8(0..10) {
            0..=5 => {
                if !out.is_empty() && !out.ends_with([' ', '\n']) {
                    out.push(' ');
                }
                out.push_str(pick(rng, WORDS));
            }
            6..=8 => out.push_str(pick(rng, MARKS)),
            _ => {
                // A whole quotation, sometimes empty.
                let (open, close) =
                    [("“", "”"), ("‘", "’"), ("\"", "\""), ("“", "")][rng.usize(..4)];
                out.push(' ');
                out.push_str(open);
                for _ in 0..rng.usize(0..6) {
                    out.push_str(pick(rng, WORDS));
                    out.push(' ');
                }
                if rng.bool() {
                    out = out.trim_end().to_string();
                }
                out.push_str(close);
            }
        }
    }
    out
}

/// Random edits of a text: deletions, insertions of JSON- and brat-significant characters,
/// duplicated slices, changed digits.
fn mutate(rng: &mut fastrand::Rng, text: &str) -> String {
    const ALPHABET: &[&str] = &[
        "{",
        "}",
        "[",
        "]",
        "\"",
        ":",
        ",",
        "\\",
        "\t",
        "\n",
        " ",
        "0",
        "1",
        "9",
        "-",
        ";",
        "T",
        "E",
        "A",
        "#",
        "“",
        "”",
        "’",
        "—",
        "null",
        "true",
        "99999999999999999999",
        "\u{0}",
        "\"occurrence\": 0",
        "\"start\": 3",
        "\"text\": \"\"",
    ];
    let mut chars: Vec<char> = text.chars().collect();
    for _ in 0..rng.usize(1..6) {
        let len = chars.len();
        let at = rng.usize(..=len);
        match rng.u8(0..5) {
            0 if len > 0 => {
                let end = (at + rng.usize(1..8)).min(len);
                chars.drain(at.min(len)..end);
            }
            1 => {
                let ins: Vec<char> = pick(rng, ALPHABET).chars().collect();
                chars.splice(at..at, ins);
            }
            2 if len > 0 => {
                let from = rng.usize(..len);
                let end = (from + rng.usize(1..40)).min(len);
                let slice: Vec<char> = chars[from..end].to_vec();
                chars.splice(at..at, slice);
            }
            3 if len > 0 => {
                let i = rng.usize(..len);
                if chars[i].is_ascii_digit() {
                    chars[i] = char::from(b'0' + rng.u8(0..10));
                }
            }
            _ => {}
        }
    }
    chars.into_iter().collect()
}

fn gold_dir() -> std::path::PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("gold")
}

/// The committed gold: (article, the file's text, the document).
fn gold() -> Vec<(Arc<Article>, String, Document)> {
    let corpus = quoteval::corpus::Corpus::load(&gold_dir()).unwrap();
    let ann = corpus.load_annotations(&gold_dir()).unwrap();
    corpus
        .articles
        .iter()
        .map(|a| {
            let path = gold_dir().join(format!("{}.json", a.id));
            (
                a.clone(),
                std::fs::read_to_string(path).unwrap(),
                ann.docs[&a.id].clone(),
            )
        })
        .collect()
}

/// What every accepted document must survive: written as an annotation file and read back,
/// it is the same document.
fn round_trips(doc: &Document) -> Result<(), String> {
    let json = AnnotationFile::from_document(doc).to_json();
    let file = Path::new("fuzz.json");
    let parsed = AnnotationFile::parse(&json, file).map_err(|p| format!("re-parse: {p}"))?;
    let back = parsed
        .resolve(doc.article.clone(), file, &json)
        .map_err(|p| format!("re-read: {}", quoteval::format::Problems(p)))?;
    let mut sorted = doc.clone();
    sorted.sort();
    if back != sorted {
        return Err("the annotation file does not read back as the same document".into());
    }
    Ok(())
}

// ---- targets

#[test]
fn fuzz_annotation_file_parser() {
    let gold = gold();
    let runs = fuzz("annotation parser", |rng| {
        let (article, json, _) = &gold[rng.usize(..gold.len())];
        let mutated = mutate(rng, json);
        let file = Path::new("fuzz.json");
        let Ok(parsed) = AnnotationFile::parse(&mutated, file) else {
            return Ok(());
        };
        let Ok(doc) = parsed.resolve(article.clone(), file, &mutated) else {
            return Ok(());
        };
        let _ = quoteval::check::check_document(&doc, file);
        round_trips(&doc)
    });
    assert!(runs > 0);
}

#[test]
fn fuzz_brat_import() {
    let gold = gold();
    fuzz("brat import", |rng| {
        let (article, _, doc) = &gold[rng.usize(..gold.len())];
        let ann = brat::to_brat(doc);
        // Line-level edits (dropped, repeated, swapped lines) and character-level ones.
        let mut lines: Vec<String> = ann.lines().map(String::from).collect();
        for _ in 0..rng.usize(0..4) {
            if lines.is_empty() {
                break;
            }
            let i = rng.usize(..lines.len());
            match rng.u8(0..3) {
                0 => {
                    lines.remove(i);
                }
                1 => {
                    let l = lines[i].clone();
                    lines.insert(rng.usize(..=lines.len()), l);
                }
                _ => {
                    let j = rng.usize(..lines.len());
                    lines.swap(i, j);
                }
            }
        }
        let mut text = lines.join("\n");
        if rng.bool() {
            text = mutate(rng, &text);
        }
        let file = Path::new("fuzz.ann");
        let _ = brat::parse_ann(&text, file);
        match brat::from_brat(article.clone(), &text, file) {
            Ok(doc) => round_trips(&doc),
            Err(_) => Ok(()),
        }
    });
    // Unmodified, the round trip is lossless.
    for (article, _, doc) in &gold {
        let back =
            brat::from_brat(article.clone(), &brat::to_brat(doc), Path::new("x.ann")).unwrap();
        assert_eq!(&back, doc);
    }
}

#[test]
fn fuzz_conll_import() {
    let gold = gold();
    fuzz("conll import", |rng| {
        let (article, _, doc) = &gold[rng.usize(..gold.len())];
        let mut text = conll::to_conll(doc);
        if rng.u8(0..4) > 0 {
            text = mutate(rng, &text);
        }
        match conll::from_conll(article.clone(), &text, Path::new("fuzz.conll")) {
            Ok(doc) => round_trips(&doc),
            Err(_) => Ok(()),
        }
    });
}

/// The PolNeAR importer's entry point for the fuzzer (the literal import of `format/polnear.rs`).
fn polnear_import(article: Arc<Article>, ann: &str) -> Result<Document, String> {
    quoteval::format::polnear::document(article, ann, Path::new("fuzz_a.ann"), "a")
        .map_err(|p| p.to_string())
}

#[test]
fn fuzz_polnear_import() {
    fuzz("polnear import", |rng| {
        let text = article_text(rng);
        let article = Arc::new(Article::new("fuzz", text));
        let n = article.char_len();
        let mut ann = String::new();
        let mut t = 0;
        let mut span = |rng: &mut fastrand::Rng, ann: &mut String, kind: &str| -> String {
            t += 1;
            let s = rng.usize(..=n);
            let e = (s + rng.usize(0..60)).min(n);
            let text = article.slice(Span::new(s, e)).replace('\n', " ");
            ann.push_str(&format!("T{t}\t{kind} {s} {e}\t{text}\n"));
            format!("T{t}")
        };
        for e in 0..rng.usize(0..6) {
            let content = span(rng, &mut ann, "Content");
            let cue = span(rng, &mut ann, "Cue");
            let source = span(rng, &mut ann, "Source");
            let kind = ["Attribution", "Attribution-no-source", "Discuss"][rng.usize(..3)];
            ann.push_str(&format!(
                "E{}\t{kind}:{cue} Content:{content} Source:{source}\n",
                e + 1
            ));
        }
        let ann = if rng.bool() { mutate(rng, &ann) } else { ann };
        match polnear_import(article, &ann) {
            Ok(doc) => round_trips(&doc),
            Err(_) => Ok(()),
        }
    });
}

#[test]
fn fuzz_quote_extractor() {
    let extractor = RulesExtractor::default();
    fuzz("quote extractor", |rng| {
        let text = article_text(rng);
        let article = Arc::new(Article::new("fuzz", text));
        // Mentions as an NER would give them: capitalised words, some typed at random.
        let mut mentions = Vec::new();
        for w in ["Putin", "Trump", "Kyiv", "Moscow", "Kremlin", "Ushakov"] {
            for span in article.occurrences(w) {
                if rng.u8(0..4) > 0 {
                    let entity_type = match w {
                        "Kyiv" | "Moscow" => EntityType::Place,
                        "Kremlin" => EntityType::Org,
                        _ => EntityType::Person,
                    };
                    mentions.push(Mention { span, entity_type });
                }
            }
        }
        mentions.sort_by_key(|m| m.span);
        mentions.dedup_by(|a, b| a.span.overlaps(&b.span));
        let found = extractor.extract(&article, &mentions);
        let mut doc = Document::empty(article.clone(), "fuzz");
        doc.mentions = mentions;
        doc.quotes = found.quotes;
        doc.speakers = found.speakers;
        quoteval::app::validate_predictions(std::slice::from_ref(&doc))
            .map_err(|e| e.to_string())?;
        round_trips(&doc)
    });
}
