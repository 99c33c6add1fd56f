//! Nothing lost, nothing silent: each reproduction of the reliability issue (empty quotes, gold
//! refresh, corrupted models, silent data errors, partial writes, pipes and exit codes) as a
//! test through the command line. Runs without the `ner` feature.

use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

mod common;
use common::{gold_copy, quoteval, stderr, stdout, ARTICLE};

use quoteval::exit::Exit;

fn code(o: &Output) -> i32 {
    o.status.code().expect("exited, not killed")
}

#[track_caller]
fn assert_exit(o: &Output, want: Exit) {
    assert_eq!(
        code(o),
        want.code() as i32,
        "want {want:?}\nstdout: {}\nstderr: {}",
        stdout(o),
        stderr(o)
    );
}

fn s(p: &Path) -> &str {
    p.to_str().unwrap()
}

/// Runs quoteval with its stdout closed before it writes (as `| head -0`, or `| true`).
fn with_closed_stdout(args: &[&str]) -> (i32, String) {
    let mut child = Command::new(env!("CARGO_BIN_EXE_quoteval-ner"))
        .args(args)
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    drop(child.stdout.take());
    let mut err = String::new();
    child
        .stderr
        .take()
        .unwrap()
        .read_to_string(&mut err)
        .unwrap();
    let status = child.wait().unwrap();
    (status.code().unwrap_or(-1), err)
}

// ---- 6. pipes and exit codes

#[test]
fn a_closed_pipe_ends_the_command_quietly() {
    for args in [
        &["compare", "--list-metrics"][..],
        &["gold", "check"],
        &["eval", "--model", "gold-echo", "--json"],
        &[
            "gold",
            "agree",
            "gold",
            "gold/agreement/annotator-b",
            "--csv",
        ],
    ] {
        let (code, err) = with_closed_stdout(args);
        assert!(!err.contains("panicked"), "{args:?}: {err}");
        assert_eq!(code, 0, "{args:?}: {err}");
    }
}

#[test]
fn exit_codes_tell_usage_bad_data_missing_input_and_refusals_apart() {
    // Usage: an unknown option, a bad --fail-below, a missing argument.
    assert_exit(&quoteval(&["eval", "--no-such-option"]), Exit::Usage);
    assert_exit(&quoteval(&["score", "gold"]), Exit::Usage);
    assert_exit(&quoteval(&["eval", "--model", "nope"]), Exit::Usage);
    let tmp = tempfile::tempdir().unwrap();
    let report = tmp.path().join("r.json");
    let o = quoteval(&[
        "eval",
        "--model",
        "gold-echo",
        "--json",
        "--out",
        s(&report),
    ]);
    assert_exit(&o, Exit::Ok);
    let o = quoteval(&[
        "compare",
        s(&report),
        s(&report),
        "--fail-below",
        "quotes.0.3.f1=banana",
    ]);
    assert_exit(&o, Exit::Usage);
    // Not comparable: another corpus.
    let mut other: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&report).unwrap()).unwrap();
    other["run"]["corpus"]["fingerprint"] = "0".repeat(64).into();
    let other_path = tmp.path().join("other.json");
    std::fs::write(&other_path, other.to_string()).unwrap();
    assert_exit(
        &quoteval(&["compare", s(&report), s(&other_path)]),
        Exit::NotComparable,
    );
    // Missing input; bad input data.
    assert_exit(
        &quoteval(&["compare", s(&report), "/nonexistent/r.json"]),
        Exit::NoInput,
    );
    assert_exit(
        &quoteval(&["gold", "check", "/nonexistent/gold"]),
        Exit::NoInput,
    );
    let (_g, gold) = gold_copy();
    let file = gold.join(format!("{ARTICLE}.json"));
    std::fs::write(&file, "{ not json").unwrap();
    assert_exit(
        &quoteval(&["eval", "--model", "gold-echo", "--gold", s(&gold)]),
        Exit::DataErr,
    );
    // A check that finds problems is a failed check, not a crash.
    let o = quoteval(&["gold", "check", s(&gold)]);
    assert_exit(&o, Exit::Failed);
    assert!(
        stderr(&o).contains(&format!("{ARTICLE}.json:1")),
        "{}",
        stderr(&o)
    );
    // Outputs that exist are refused.
    let out = tmp.path().join("export");
    assert_exit(
        &quoteval(&["gold", "export", "--format", "conll", "--out", s(&out)]),
        Exit::Ok,
    );
    assert_exit(
        &quoteval(&["gold", "export", "--format", "conll", "--out", s(&out)]),
        Exit::CantCreate,
    );
}

#[test]
fn errors_say_each_thing_once() {
    let o = quoteval(&["eval", "--models", "/nonexistent/models.toml"]);
    let err = stderr(&o);
    assert_exit(&o, Exit::NoInput);
    assert_eq!(err.matches("No such file or directory").count(), 1, "{err}");
    let tmp = tempfile::tempdir().unwrap();
    let o = quoteval(&["gold", "check", s(tmp.path())]);
    let err = stderr(&o);
    assert_eq!(err.matches("no articles").count(), 1, "{err}");
}

// ---- 5. validation before work and writes

#[test]
fn save_predictions_refuses_existing_files_before_the_model_runs() {
    let tmp = tempfile::tempdir().unwrap();
    let preds = tmp.path().join("preds");
    std::fs::create_dir(&preds).unwrap();
    // The last of the five files exists (the others used to be written before the refusal):
    // nothing may be written, and the report is not produced.
    let existing = preds.join("004_e54c4e970a4453a1.json");
    std::fs::write(&existing, "mine").unwrap();
    let out = tmp.path().join("report.json");
    let o = quoteval(&[
        "eval",
        "--model",
        "gold-echo",
        "--save-predictions",
        s(&preds),
        "--json",
        "--out",
        s(&out),
    ]);
    assert_exit(&o, Exit::CantCreate);
    assert!(stderr(&o).contains("--force"), "{}", stderr(&o));
    assert_eq!(std::fs::read_to_string(&existing).unwrap(), "mine");
    assert_eq!(std::fs::read_dir(&preds).unwrap().count(), 1);
    assert!(!out.exists());
}

#[test]
fn export_and_import_write_all_or_nothing() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("brat");
    std::fs::create_dir(&out).unwrap();
    // The last file export would write exists.
    std::fs::write(out.join("annotation.conf"), "mine").unwrap();
    let o = quoteval(&["gold", "export", "--format", "brat", "--out", s(&out)]);
    assert_exit(&o, Exit::CantCreate);
    assert_eq!(
        std::fs::read_dir(&out).unwrap().count(),
        1,
        "nothing else written"
    );
    assert_eq!(
        std::fs::read_to_string(out.join("annotation.conf")).unwrap(),
        "mine"
    );
}

// ---- 4. silent data errors

#[test]
fn a_gold_file_without_a_covered_layer_is_an_error() {
    let (_g, gold) = gold_copy();
    let file = gold.join(format!("{ARTICLE}.json"));
    let mut v: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&file).unwrap()).unwrap();
    v.as_object_mut().unwrap().remove("mentions");
    std::fs::write(&file, serde_json::to_string_pretty(&v).unwrap()).unwrap();
    let o = quoteval(&["gold", "check", s(&gold)]);
    assert_exit(&o, Exit::Failed);
    assert!(
        stderr(&o).contains("missing \"mentions\""),
        "{}",
        stderr(&o)
    );
}

#[test]
fn duplicate_speakers_and_places_fail_the_check_and_are_not_scored() {
    let (_g, gold) = gold_copy();
    let file = gold.join(format!("{ARTICLE}.json"));
    let mut v: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&file).unwrap()).unwrap();
    let place = v["places"][0].clone();
    v["places"].as_array_mut().unwrap().push(place.clone());
    std::fs::write(&file, serde_json::to_string_pretty(&v).unwrap()).unwrap();
    let o = quoteval(&["gold", "check", s(&gold)]);
    assert_exit(&o, Exit::Failed);
    assert!(stderr(&o).contains("listed twice"), "{}", stderr(&o));
    let o = quoteval(&["eval", "--model", "gold-echo", "--gold", s(&gold)]);
    assert_exit(&o, Exit::DataErr);
    assert!(stderr(&o).contains("listed twice"), "{}", stderr(&o));
}

#[test]
fn a_missing_predictions_directory_is_an_error() {
    let tmp = tempfile::tempdir().unwrap();
    let models = tmp.path().join("models.toml");
    std::fs::write(
        &models,
        "default = \"p\"\n[models.p]\npredictions = \"no-such-dir\"\n",
    )
    .unwrap();
    let gold = Path::new(env!("CARGO_MANIFEST_DIR")).join("gold");
    let o = quoteval(&["eval", "--models", s(&models), "--gold", s(&gold)]);
    assert_exit(&o, Exit::DataErr);
    assert!(stderr(&o).contains("no-such-dir"), "{}", stderr(&o));
}

#[test]
fn predictions_for_articles_outside_the_gold_are_noted() {
    let (_g, gold) = gold_copy();
    let preds = tempfile::tempdir().unwrap();
    for e in std::fs::read_dir(&gold).unwrap() {
        let p = e.unwrap().path();
        if p.extension().is_some_and(|x| x == "json") {
            std::fs::copy(&p, preds.path().join(p.file_name().unwrap())).unwrap();
        }
    }
    std::fs::write(preds.path().join("zzz_stray.json"), "{}").unwrap();
    let o = quoteval(&["score", s(&gold), s(preds.path()), "--json"]);
    assert_exit(&o, Exit::Ok);
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    let notes = v["notes"].to_string();
    assert!(notes.contains("zzz_stray.json"), "{notes}");
}

#[test]
fn an_article_named_all_is_refused() {
    let (_g, gold) = gold_copy();
    std::fs::write(gold.join("ALL.txt"), "Putin said no.").unwrap();
    let o = quoteval(&["gold", "check", s(&gold)]);
    assert!(stderr(&o).contains("reserved"), "{}", stderr(&o));
    assert_ne!(code(&o), 0);
}

// ---- 1. empty quotes

#[test]
fn an_empty_quotation_is_not_a_quote() {
    use quoteval::annotation::Article;
    use quoteval::extract::quotes::RulesExtractor;
    for text in [
        "Putin said “” and left.\n",
        "Putin said “ ” and left.\n",
        "“”, Putin said.\n",
        "Putin said: \"\"\n",
    ] {
        let article = Article::new("a", text);
        let found = RulesExtractor::default().extract(&article, &[]);
        for q in &found.quotes {
            assert!(
                !article.slice(q.span).trim().is_empty(),
                "{text:?}: empty quote at {}",
                q.span
            );
        }
    }
}

#[test]
fn predictions_that_an_annotation_file_cannot_hold_are_refused_before_scoring() {
    use quoteval::annotation::{Article, Document, Quote, QuoteKind, Span};
    use std::sync::Arc;
    let article = Arc::new(Article::new("a", "Putin said “” and left."));
    let mut doc = Document::empty(article, "test");
    doc.quotes.push(Quote {
        span: Span::new(12, 12),
        fragments: Vec::new(),
        kind: QuoteKind::Direct,
        cue: None,
        speaker_mention: None,
        speaker: None,
        joint_speakers: Vec::new(),
    });
    let err = quoteval::app::validate_predictions(&[doc]).unwrap_err();
    assert!(
        err.to_string().contains("quote at 12..12 is empty"),
        "{err}"
    );
}

// ---- 2. gold refresh

/// Replaces the 4 chars at char `at` (which must read `from`) with `to`.
fn edit_at(path: &Path, at: usize, from: &str, to: &str) {
    let text = std::fs::read_to_string(path).unwrap();
    let chars: Vec<char> = text.chars().collect();
    let found: String = chars[at..at + from.chars().count()].iter().collect();
    assert_eq!(found, from);
    let mut edited: String = chars[..at].iter().collect();
    edited.push_str(to);
    edited.extend(&chars[at + from.chars().count()..]);
    std::fs::write(path, edited).unwrap();
}

#[test]
fn refresh_reports_an_item_edited_away_instead_of_moving_it() {
    let (_g, gold) = gold_copy();
    // Record the starts first (a no-op on the committed gold, which carries them).
    let o = quoteval(&["gold", "refresh", s(&gold)]);
    assert_exit(&o, Exit::Ok);
    let file = gold.join(format!("{ARTICLE}.json"));
    let before = std::fs::read_to_string(&file).unwrap();
    assert!(
        before.contains("\"start\": 1251"),
        "the cue's start is recorded"
    );
    // The reproduction: Trump's cue "said" at char 1251 becomes "told".
    edit_at(&gold.join(format!("{ARTICLE}.txt")), 1251, "said", "told");
    let o = quoteval(&["gold", "refresh", s(&gold)]);
    assert_exit(&o, Exit::Failed);
    let out = stdout(&o);
    assert!(
        // (Trump's quote is quotes[6] since the gold joined interrupted quotations.)
        out.contains("quotes[6].cue: \"said\" recorded at char 1251 is no longer there"),
        "{out}"
    );
    assert!(!out.contains("moved from char 1251"), "{out}");
    assert_eq!(
        std::fs::read_to_string(&file).unwrap(),
        before,
        "not rewritten"
    );
}

#[test]
fn refresh_follows_an_insertion_in_one_line_and_dry_run_counts_what_it_would_write() {
    let (_g, gold) = gold_copy();
    let dry = quoteval(&["gold", "refresh", "--dry-run", s(&gold)]);
    assert_exit(&dry, Exit::Ok);
    let real = quoteval(&["gold", "refresh", s(&gold)]);
    assert_exit(&real, Exit::Ok);
    let rewritten = |o: &Output| {
        let out = stdout(o);
        let last = out.lines().last().unwrap_or("").to_string();
        last.split(", ")
            .nth(2)
            .and_then(|w| w.split(' ').next())
            .and_then(|n| n.parse::<usize>().ok())
            .unwrap_or_else(|| panic!("{last}"))
    };
    assert_eq!(
        rewritten(&dry),
        rewritten(&real),
        "{}\n{}",
        stdout(&dry),
        stdout(&real)
    );
    // Insert a sentence near the top: every later item moves by its length, in one line.
    let txt = gold.join(format!("{ARTICLE}.txt"));
    let text = std::fs::read_to_string(&txt).unwrap();
    let at = text.find('\n').unwrap() + 1;
    std::fs::write(
        &txt,
        format!("{}An “editor’s” note.\n{}", &text[..at], &text[at..]),
    )
    .unwrap();
    let o = quoteval(&["gold", "refresh", s(&gold)]);
    assert_exit(&o, Exit::Ok);
    let out = stdout(&o);
    let lines: Vec<&str> = out.lines().filter(|l| l.contains(ARTICLE)).collect();
    assert_eq!(lines.len(), 1, "{out}");
    assert!(lines[0].contains("moved by +20 chars"), "{out}");
    assert_exit(&quoteval(&["gold", "check", s(&gold)]), Exit::Ok);
}

#[test]
fn refresh_refuses_a_wrong_article_field() {
    let (_g, gold) = gold_copy();
    let file = gold.join(format!("{ARTICLE}.json"));
    let text = std::fs::read_to_string(&file).unwrap();
    let wrong = text.replacen(
        &format!("\"article\": \"{ARTICLE}\""),
        "\"article\": \"001_06e2ed253b1ca91f\"",
        1,
    );
    assert_ne!(wrong, text);
    std::fs::write(&file, &wrong).unwrap();
    let o = quoteval(&["gold", "refresh", s(&gold)]);
    assert_exit(&o, Exit::Failed);
    assert!(stdout(&o).contains("names article"), "{}", stdout(&o));
    assert_eq!(std::fs::read_to_string(&file).unwrap(), wrong);
}

#[test]
fn the_committed_gold_records_its_starts() {
    let o = quoteval(&["gold", "check"]);
    assert_exit(&o, Exit::Ok);
    assert!(!stdout(&o).contains("without \"start\""), "{}", stdout(&o));
}

// ---- 8. smaller

#[test]
fn agreement_of_annotator_a_finds_the_texts() {
    let o = quoteval(&[
        "gold",
        "agree",
        "gold/agreement/annotator-a",
        "gold/agreement/annotator-b",
        "--json",
    ]);
    assert_exit(&o, Exit::Ok);
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(v["run"]["command"], "agree");
}

#[test]
fn score_conll_honours_every_output_format() {
    let data = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/conll/synth_iob2.txt");
    let o = quoteval(&["score", "--conll", s(&data), "--json"]);
    assert_exit(&o, Exit::Ok);
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(v["schema"], "quoteval-conll/1");
    let f1 = v["overall"]["f1"].as_f64().unwrap();
    assert!((0.0..=1.0).contains(&f1), "{f1}");
    let o = quoteval(&["score", "--conll", s(&data), "--csv"]);
    assert_exit(&o, Exit::Ok);
    assert!(
        stdout(&o).starts_with("label,measure,value\n"),
        "{}",
        stdout(&o)
    );
    assert!(
        stdout(&o).contains(&format!("overall,f1,{f1}")),
        "{}",
        stdout(&o)
    );
    let o = quoteval(&["score", "--conll", s(&data), "--markdown"]);
    assert_exit(&o, Exit::Ok);
    assert!(stdout(&o).contains("| overall |"), "{}", stdout(&o));
    let o = quoteval(&["score", "--conll", s(&data), "--errors"]);
    assert_exit(&o, Exit::Usage);
}

#[test]
fn device_help_names_cuda_n() {
    let o = quoteval(&["eval", "--help"]);
    assert!(stdout(&o).contains("cuda:N"), "{}", stdout(&o));
}

// ---- 3. a corrupted model

/// A model directory with a SHA256SUMS, as the default model has, and a models.toml using it.
fn model_with_sums() -> (tempfile::TempDir, PathBuf, PathBuf) {
    let tmp = tempfile::tempdir().unwrap();
    let model = tmp.path().join("model");
    std::fs::create_dir(&model).unwrap();
    let weights = model.join("model.safetensors");
    std::fs::write(&weights, vec![0x3fu8; 8192]).unwrap();
    std::fs::write(model.join("config.json"), "{}").unwrap();
    std::fs::write(model.join("vocab.txt"), "[PAD]\n[UNK]\n").unwrap();
    let sums: String = ["model.safetensors", "config.json", "vocab.txt"]
        .iter()
        .map(|n| {
            let d = quoteval::model_check::sha256_file(&model.join(n)).unwrap();
            format!("{d}  {n}\n")
        })
        .collect();
    std::fs::write(model.join("SHA256SUMS"), sums).unwrap();
    let models = tmp.path().join("models.toml");
    std::fs::write(
        &models,
        "default = \"m\"\n[models.m.ner]\nbackend = \"rust-bert\"\npath = \"model\"\n\
         labels = { PER = \"PERSON\", LOC = \"PLACE\", ORG = \"ORG\", MISC = \"ignore\" }\n",
    )
    .unwrap();
    (tmp, models, weights)
}

#[test]
fn a_model_file_that_fails_its_checksum_is_refused_unless_the_user_opts_out() {
    let (_tmp, models, weights) = model_with_sums();
    let gold = Path::new(env!("CARGO_MANIFEST_DIR")).join("gold");
    // NaN bytes over part of the weights, same size.
    let mut bytes = std::fs::read(&weights).unwrap();
    for b in &mut bytes[100..200] {
        *b = 0xff;
    }
    std::fs::write(&weights, &bytes).unwrap();
    let o = quoteval(&["eval", "--models", s(&models), "--gold", s(&gold)]);
    assert_exit(&o, Exit::DataErr);
    let err = stderr(&o);
    assert!(
        err.contains(&format!("{}: sha256", weights.display())),
        "{err}"
    );
    // Opting out gets past the check (to loading, which this model does not survive).
    let o = quoteval(&[
        "eval",
        "--models",
        s(&models),
        "--gold",
        s(&gold),
        "--skip-checksums",
    ]);
    assert!(!stderr(&o).contains("sha256"), "{}", stderr(&o));
}
