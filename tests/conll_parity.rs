//! Parity of the CoNLL chunk scorer with conlleval and seqeval, on committed fixtures.
//!
//! `tests/data/conll/*.txt` are synthetic sentences (made-up tokens) with corrupted predicted
//! tags, written by `scripts/conll_parity.py fixtures`; `*.conlleval.txt` and
//! `*.expected.json` hold what the references printed / counted for them (conlleval.pl for
//! IOB1/IOB2 reports, the conlleval PyPI port for lenient counts and IOBES, seqeval 1.2.2
//! strict mode). The hand-written cases below were checked against conlleval.pl as well.

use std::path::{Path, PathBuf};

use quoteval::score::conll::{
    score_conlleval, score_conlleval_file, score_pair, score_pair_files, ChunkCounts, ChunkMode,
    ConllError, ConllScores, Scheme,
};
use serde_json::Value;

const LENIENT: ChunkMode = ChunkMode::Lenient;
const IOB2: ChunkMode = ChunkMode::Strict(Scheme::Iob2);
const IOBES: ChunkMode = ChunkMode::Strict(Scheme::Iobes);

fn data(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/data/conll")
        .join(name)
}

fn read(name: &str) -> String {
    std::fs::read_to_string(data(name)).unwrap_or_else(|e| panic!("{name}: {e}"))
}

fn score(text: &str, mode: ChunkMode) -> ConllScores {
    score_conlleval(text, Path::new("case.txt"), mode).unwrap_or_else(|e| panic!("{e}"))
}

fn counts(gold: usize, guessed: usize, correct: usize) -> ChunkCounts {
    ChunkCounts {
        gold,
        guessed,
        correct,
    }
}

fn counts_of(v: &Value) -> ChunkCounts {
    let n = |k: &str| v[k].as_u64().unwrap_or_else(|| panic!("{k} in {v}")) as usize;
    counts(n("gold"), n("guessed"), n("correct"))
}

/// Counts and token figures of `scores` equal the reference's `expected` object.
fn assert_counts(name: &str, scores: &ConllScores, expected: &Value) {
    assert_eq!(
        scores.tokens as u64,
        expected["tokens"].as_u64().unwrap(),
        "{name}: tokens"
    );
    assert_eq!(
        scores.correct_tags as u64,
        expected["correct_tags"].as_u64().unwrap(),
        "{name}: correct tags"
    );
    assert_eq!(
        scores.overall,
        counts_of(&expected["overall"]),
        "{name}: overall"
    );
    let types = expected["types"].as_object().unwrap();
    assert_eq!(
        scores.types.keys().collect::<Vec<_>>(),
        types.keys().collect::<Vec<_>>(),
        "{name}: types"
    );
    for (ty, c) in types {
        assert_eq!(scores.types[ty], counts_of(c), "{name}: {ty}");
    }
}

const FIXTURES: [(&str, Scheme); 6] = [
    ("synth_iob2", Scheme::Iob2),
    ("synth_iob1", Scheme::Iob2),
    ("synth_iobes", Scheme::Iobes),
    ("synth_noisy_iob2", Scheme::Iob2),
    ("synth_noisy_iobes", Scheme::Iobes),
    ("synth_ties", Scheme::Iob2),
];

#[test]
fn lenient_report_equals_conlleval_byte_for_byte() {
    for (name, _) in FIXTURES {
        let scores = score_conlleval_file(&data(&format!("{name}.txt")), LENIENT).unwrap();
        assert_eq!(
            scores.conlleval_text(),
            read(&format!("{name}.conlleval.txt")),
            "{name}"
        );
    }
}

#[test]
fn lenient_counts_equal_conlleval() {
    for (name, _) in FIXTURES {
        let expected: Value =
            serde_json::from_str(&read(&format!("{name}.expected.json"))).unwrap();
        let scores = score(&read(&format!("{name}.txt")), LENIENT);
        assert_counts(name, &scores, &expected["lenient"]);
    }
}

#[test]
fn strict_equals_seqeval() {
    for (name, scheme) in FIXTURES {
        let expected: Value =
            serde_json::from_str(&read(&format!("{name}.expected.json"))).unwrap();
        let key = match scheme {
            Scheme::Iob2 => "strict-iob2",
            Scheme::Iobes => "strict-iobes",
        };
        let reference = &expected[key];
        let mode = ChunkMode::Strict(scheme);
        let scores = score(&read(&format!("{name}.txt")), mode);
        assert_counts(name, &scores, reference);
        // seqeval's precision / recall / F1 (fractions), per type and micro-averaged.
        for (ty, fr) in reference["seqeval"].as_object().unwrap() {
            let c = if ty == "overall" {
                scores.overall
            } else {
                scores.types[ty]
            };
            let m = c.metrics(mode);
            for (key, mine) in [
                ("precision", m.precision),
                ("recall", m.recall),
                ("f1", m.f1),
            ] {
                let theirs = fr[key].as_f64().unwrap();
                assert!(
                    (mine / 100.0 - theirs).abs() < 1e-12,
                    "{name} {ty} {key}: {mine} vs seqeval {theirs}"
                );
            }
        }
        assert!(
            (scores.accuracy() / 100.0 - reference["accuracy"].as_f64().unwrap()).abs() < 1e-12
        );
        // The report shows seqeval's digits.
        assert_eq!(
            scores.conlleval_text(),
            read(&format!("{name}.{key}.txt")),
            "{name}"
        );
    }
}

#[test]
fn pair_files_score_like_the_combined_file() {
    let gold = data("synth_iob2.gold.txt");
    let pred = data("synth_iob2.pred.txt");
    for mode in [LENIENT, IOB2] {
        let combined = score_conlleval_file(&data("synth_iob2.txt"), mode).unwrap();
        assert_eq!(score_pair_files(&gold, &pred, mode).unwrap(), combined);
    }
}

#[test]
fn scores_serialize_with_derived_metrics() {
    let scores = score(&read("synth_iob2.txt"), LENIENT);
    let v = serde_json::to_value(&scores).unwrap();
    assert_eq!(v["mode"], "lenient");
    assert_eq!(v["overall"]["gold"], 71);
    assert_eq!(v["overall"]["guessed"], 83);
    assert_eq!(v["overall"]["correct"], 45);
    // Fractions in [0, 1] under a schema, as every quoteval report (conlleval prints percent).
    assert_eq!(v["schema"], "quoteval-conll/1");
    assert_eq!(
        v["overall"]["f1"].as_f64(),
        Some(scores.overall.f1() / 100.0)
    );
    assert_eq!(v["accuracy"].as_f64(), Some(scores.accuracy() / 100.0));
    assert!(v["overall"]["precision"].as_f64().unwrap() <= 1.0);
    assert!(v["types"]["GPE-CITY"]["precision"].is_f64());
    let strict = serde_json::to_value(score("a B-X B-X\n", IOBES)).unwrap();
    assert_eq!(strict["mode"], serde_json::json!({"strict": "iobes"}));
}

// ---- hand-computed cases (reports checked against conlleval.pl)

#[test]
fn empty_input() {
    for text in ["", "\n\n", "  \n\t\n"] {
        for mode in [LENIENT, IOB2, IOBES] {
            let s = score(text, mode);
            assert_eq!(s.tokens, 0);
            assert_eq!(s.overall, counts(0, 0, 0));
            assert!(s.types.is_empty());
            assert_eq!(
                s.conlleval_text(),
                "processed 0 tokens with 0 phrases; found: 0 phrases; correct: 0.\n"
            );
        }
    }
    let s = score_pair("", Path::new("g"), "\n", Path::new("p"), LENIENT).unwrap();
    assert_eq!(s.tokens, 0);
}

#[test]
fn all_o() {
    let s = score("a O O\nb O O\n", LENIENT);
    assert_eq!(
        s.conlleval_text(),
        "processed 2 tokens with 0 phrases; found: 0 phrases; correct: 0.\n\
         accuracy: 100.00%; precision:   0.00%; recall:   0.00%; FB1:   0.00\n"
    );
    assert_eq!(score("a O O\nb O O\n", IOBES).overall, counts(0, 0, 0));
}

#[test]
fn no_trailing_newline() {
    for (mode, tag) in [(LENIENT, "B-PER"), (IOB2, "B-PER"), (IOBES, "S-PER")] {
        let s = score(&format!("a O O\nb {tag} {tag}"), mode);
        assert_eq!(s.overall, counts(1, 1, 1), "{mode}");
    }
    let s = score("a O O\nb B-PER B-PER", LENIENT);
    assert_eq!(
        s.conlleval_text(),
        "processed 2 tokens with 1 phrases; found: 1 phrases; correct: 1.\n\
         accuracy: 100.00%; precision: 100.00%; recall: 100.00%; FB1: 100.00\n\
         \x20             PER: precision: 100.00%; recall: 100.00%; FB1: 100.00  1\n"
    );
}

#[test]
fn iob1_against_iob2() {
    // The same two chunks, written in IOB1 (gold) and IOB2 (prediction).
    let text = "x I-PER B-PER\ny I-PER I-PER\nz B-PER B-PER\n";
    let s = score(text, LENIENT);
    assert_eq!(s.overall, counts(2, 2, 2));
    assert_eq!(s.correct_tags, 2);
    assert_eq!(
        s.conlleval_text(),
        "processed 3 tokens with 2 phrases; found: 2 phrases; correct: 2.\n\
         accuracy:  66.67%; precision: 100.00%; recall: 100.00%; FB1: 100.00\n\
         \x20             PER: precision: 100.00%; recall: 100.00%; FB1: 100.00  2\n"
    );
    // Strict IOB2: the gold's leading I- starts nothing, so only `z` is a gold chunk.
    assert_eq!(score(text, IOB2).overall, counts(1, 2, 1));
}

#[test]
fn lenient_quirks() {
    // I- after O starts a chunk; I- of another type starts another one.
    let s = score("a O O\nb I-PER I-PER\nc I-LOC I-PER\nd O O\n", LENIENT);
    assert_eq!(s.types["PER"], counts(1, 1, 0));
    assert_eq!(s.types["LOC"], counts(1, 0, 0));
    assert!(s.conlleval_text().ends_with(
        "             LOC: precision:   0.00%; recall:   0.00%; FB1:   0.00  0\n\
         \x20             PER: precision:   0.00%; recall:   0.00%; FB1:   0.00  1\n"
    ));
    // Strict IOB2 sees no chunk at all there.
    assert_eq!(
        score("a O O\nb I-PER I-PER\nc I-LOC I-PER\nd O O\n", IOB2).overall,
        counts(0, 0, 0)
    );
    // B- after B- of the same type: two chunks.
    assert_eq!(
        score("a B-PER B-PER\nb B-PER I-PER\n", LENIENT).overall,
        counts(2, 1, 0)
    );
}

#[test]
fn iobes() {
    // B E S: two chunks in both modes.
    let text = "a B-LOC B-LOC\nb E-LOC E-LOC\nc S-LOC S-LOC\n";
    assert_eq!(score(text, LENIENT).overall, counts(2, 2, 2));
    assert_eq!(score(text, IOBES).overall, counts(2, 2, 2));
    // S S: two chunks (conlleval's S- rules).
    assert_eq!(
        score("a S-X S-X\nb S-X S-X\n", LENIENT).overall,
        counts(2, 2, 2)
    );
    // A chunk without its E-: lenient takes it, strict does not.
    let text = "a B-LOC B-LOC\nb I-LOC I-LOC\nc O O\n";
    assert_eq!(score(text, LENIENT).overall, counts(1, 1, 1));
    assert_eq!(score(text, IOBES).overall, counts(0, 0, 0));
    // E- after O starts (and ends) a chunk leniently; strictly it is nothing.
    let text = "a O O\nb E-PER E-PER\nc O S-PER\n";
    assert_eq!(score(text, LENIENT).overall, counts(1, 2, 1));
    assert_eq!(score(text, IOBES).overall, counts(0, 1, 0));
    // Gold B-I-E against prediction S + B-E: strict needs the same span.
    let text = "a B-ORG S-ORG\nb I-ORG B-ORG\nc E-ORG E-ORG\n";
    assert_eq!(score(text, IOBES).overall, counts(1, 2, 0));
    assert_eq!(score(text, LENIENT).overall, counts(1, 2, 0));
}

#[test]
fn strict_iob2_rejects_iobes_tags() {
    let err = score_conlleval("a O O\nb S-PER S-PER\n", Path::new("f.txt"), IOB2).unwrap_err();
    assert!(
        matches!(&err, ConllError::TagNotInScheme { line: 2, item, scheme: Scheme::Iob2, .. } if item == "S-PER")
    );
    assert_eq!(
        err.to_string(),
        "f.txt:2: tag \"S-PER\" is not allowed by the IOB2 scheme"
    );
}

#[test]
fn percentages_round_like_printf() {
    // 1 of 32 guessed chunks correct: precision 3.125 exactly, printed as 3.12 (ties to even on
    // the exact binary value, as C's printf); 3 of 32: 9.375 -> 9.38.
    for (correct, p) in [(1usize, "  3.12"), (3, "  9.38")] {
        let mut text = String::new();
        for i in 0..32 {
            let gold = if i < correct { "B-PER" } else { "O" };
            text.push_str(&format!("t{i} {gold} B-PER\n"));
        }
        let s = score(&text, LENIENT);
        assert_eq!(s.overall, counts(correct, 32, correct));
        let f1 = if correct == 1 { "  6.06" } else { " 17.14" };
        assert_eq!(
            s.conlleval_text(),
            format!(
                "processed 32 tokens with {correct} phrases; found: 32 phrases; correct: {correct}.\n\
                 accuracy: {p}%; precision: {p}%; recall: 100.00%; FB1: {f1}\n\
                 \x20             PER: precision: {p}%; recall: 100.00%; FB1: {f1}  32\n"
            )
        );
    }
    // Strict mode rounds like seqeval's fractions: 1 of 160 is 0.625 % for conlleval ("0.62")
    // but 0.00625 ("0.0063") for seqeval.
    let mut text = String::from("a B-PER B-PER\n");
    for i in 1..160 {
        text.push_str(&format!("t{i} O B-PER\n"));
    }
    assert!(score(&text, LENIENT)
        .conlleval_text()
        .contains("PER: precision:   0.62%"));
    assert!(score(&text, IOB2)
        .conlleval_text()
        .contains("PER: precision:   0.63%"));
}

#[test]
fn docstart_and_boundaries() {
    // -DOCSTART- is a token for conlleval (counted), and its O tags end chunks.
    let s = score("-DOCSTART- O O\n\na B-PER B-PER\n", LENIENT);
    assert_eq!((s.tokens, s.overall), (2, counts(1, 1, 1)));
    let s = score("a I-PER I-PER\n-DOCSTART- O O\nb I-PER I-PER\n", LENIENT);
    assert_eq!((s.tokens, s.overall), (3, counts(2, 2, 2)));
    // A -X- line is a sentence break and no token; an I- after it starts a chunk.
    let s = score("a B-PER B-PER\n-X- O O\nb I-PER I-PER\n", LENIENT);
    assert_eq!((s.tokens, s.overall), (2, counts(2, 2, 2)));
    // Strict chunks end at sentence breaks.
    let s = score("a B-PER B-PER\n\nb I-PER I-PER\n", IOB2);
    assert_eq!(s.overall, counts(1, 1, 1));
}

#[test]
fn crlf_tabs_and_extra_columns() {
    let s = score(
        "a\tNN\tB-NP B-NP\r\nb\tNN\tI-NP  I-NP\r\n\r\nc NN B-VP O\r\n",
        LENIENT,
    );
    assert_eq!(s.tokens, 3);
    assert_eq!(s.types["NP"], counts(1, 1, 1));
    assert_eq!(s.types["VP"], counts(1, 0, 0));
}

#[test]
fn hyphenated_and_many_types() {
    // The prefix ends at the first hyphen.
    let s = score("a B-GPE-CITY B-GPE-CITY\nb I-GPE-CITY I-GPE\n", LENIENT);
    assert_eq!(s.types["GPE-CITY"], counts(1, 1, 0));
    assert_eq!(s.types["GPE"], counts(0, 1, 0));
    // More types than the interner's linear scan holds; sorted by name (bytes).
    let mut text = String::new();
    for i in (0..60).rev() {
        text.push_str(&format!(
            "w B-T{i:02} B-T{i:02}\nw O B-T{:02}\n",
            (i + 1) % 60
        ));
    }
    let s = score(&text, LENIENT);
    assert_eq!(s.types.len(), 60);
    assert_eq!(s.types.keys().next().map(String::as_str), Some("T00"));
    assert!(s.types.values().all(|c| *c == counts(1, 2, 1)));
    assert_eq!(s.overall, counts(60, 120, 60));
}

// ---- errors

#[test]
fn malformed_lines_name_file_and_line() {
    let f = Path::new("data/in.txt");
    let err = score_conlleval("a O O\nb X-PER O\n", f, LENIENT).unwrap_err();
    assert!(matches!(&err, ConllError::InvalidTag { line: 2, item, .. } if item == "X-PER"));
    assert!(
        err.to_string()
            .starts_with("data/in.txt:2: invalid tag \"X-PER\""),
        "{err}"
    );

    for bad in ["B", "B-", "I-", "o", "[", "O-PER", "B_PER"] {
        let err = score_conlleval(&format!("a O {bad}\n"), f, LENIENT).unwrap_err();
        assert!(
            matches!(&err, ConllError::InvalidTag { line: 1, item, .. } if item == bad),
            "{bad}: {err}"
        );
    }

    let err = score_conlleval("lonely\n", f, LENIENT).unwrap_err();
    assert!(
        matches!(
            &err,
            ConllError::TooFewColumns {
                line: 1,
                found: 1,
                ..
            }
        ),
        "{err}"
    );
    assert_eq!(
        err.to_string(),
        "data/in.txt:1: expected at least 2 columns, found 1: \"lonely\""
    );

    let err = score_conlleval("\na O O\n\nb O\n", f, LENIENT).unwrap_err();
    assert!(
        matches!(
            &err,
            ConllError::ColumnCount {
                line: 4,
                found: 2,
                expected: 3,
                first_line: 2,
                ..
            }
        ),
        "{err}"
    );

    let err = score_pair(
        "a O\nb\n",
        Path::new("g.txt"),
        "a O\nb O\n",
        Path::new("p.txt"),
        LENIENT,
    )
    .unwrap_err();
    assert!(
        matches!(&err, ConllError::TooFewColumns { line: 2, file, .. } if file == Path::new("g.txt")),
        "{err}"
    );

    let err = score_conlleval_file(Path::new("/nonexistent/conll.txt"), LENIENT).unwrap_err();
    assert!(matches!(err, ConllError::Io { .. }));
}

#[test]
fn misaligned_pairs_report_the_first_mismatch() {
    let (g, p) = (Path::new("gold.txt"), Path::new("pred.txt"));
    let gold = "a O\nb B-PER\n\nc O\nd O\n";

    // Different token text.
    let err = score_pair(gold, g, "a O\nb B-PER\n\nc O\nD O\n", p, LENIENT).unwrap_err();
    assert!(
        matches!(
            &err,
            ConllError::Misaligned {
                gold_line: 5,
                pred_line: 5,
                ..
            }
        ),
        "{err}"
    );
    assert_eq!(
        err.to_string(),
        "gold and prediction do not align: gold.txt:5 has token \"d\", pred.txt:5 has token \"D\""
    );

    // The prediction is shorter.
    let err = score_pair(gold, g, "a O\nb B-PER\n\nc O\n", p, LENIENT).unwrap_err();
    assert!(
        matches!(&err, ConllError::Misaligned { gold_line: 5, pred_line: 5, pred_item, .. } if pred_item == "the end of the file"),
        "{err}"
    );

    // The gold is shorter.
    let err = score_pair("a O\n", g, "a O\nb O", p, LENIENT).unwrap_err();
    assert!(
        matches!(
            &err,
            ConllError::Misaligned {
                gold_line: 2,
                pred_line: 2,
                ..
            }
        ),
        "{err}"
    );

    // A sentence break in one file only.
    let err = score_pair(gold, g, "a O\nb B-PER\nc O\nd O\n", p, LENIENT).unwrap_err();
    assert!(
        matches!(&err, ConllError::Misaligned { gold_line: 3, pred_line: 3, gold_item, .. } if gold_item == "a sentence break"),
        "{err}"
    );

    // Extra blank lines (several in a row, leading, trailing) do not matter.
    let s = score_pair(gold, g, "\n\na O\nb B-PER\n\n\n\nc O\nd O", p, LENIENT).unwrap();
    assert_eq!((s.tokens, s.overall), (4, counts(1, 1, 1)));
}
