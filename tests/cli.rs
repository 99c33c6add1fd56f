//! The CLI on the real gold corpus and on broken copies of it: exit codes, messages that name
//! file, line and item, report formats, and files that are never overwritten unless asked.

use std::path::Path;

mod common;
use common::{gold_copy, quoteval, stderr, stdout, ARTICLE};

#[test]
fn the_committed_gold_passes_its_check() {
    let o = quoteval(&["gold", "check", "gold"]);
    assert!(o.status.success(), "{}{}", stdout(&o), stderr(&o));
    assert!(stdout(&o).contains("5 articles"), "{}", stdout(&o));
}

#[test]
fn a_broken_gold_file_fails_the_check_naming_file_line_and_item() {
    let (_tmp, gold) = gold_copy();
    let file = gold.join(format!("{ARTICLE}.json"));
    let text = std::fs::read_to_string(&file).unwrap();
    // "Alaska" occurs once; make the anchor name a text that is not in the article.
    let broken = text.replacen("\"text\": \"Alaska\"", "\"text\": \"Alaskaa\"", 1);
    assert_ne!(broken, text);
    std::fs::write(&file, &broken).unwrap();
    // The item's line is the line where its object opens.
    let lines: Vec<&str> = broken.lines().collect();
    let text_line = lines.iter().position(|l| l.contains("Alaskaa")).unwrap();
    let line = (0..=text_line)
        .rev()
        .find(|&i| lines[i].trim_start().starts_with('{'))
        .unwrap()
        + 1;
    let o = quoteval(&["gold", "check", gold.to_str().unwrap()]);
    assert!(!o.status.success());
    let err = stderr(&o);
    assert!(
        err.contains(&format!("{ARTICLE}.json:{line}: mentions[")),
        "{err}"
    );
    assert!(
        err.contains("\"Alaskaa\" does not occur in the article"),
        "{err}"
    );
}

#[test]
fn a_missing_gold_file_and_a_stray_one_are_both_reported() {
    let (_tmp, gold) = gold_copy();
    std::fs::rename(
        gold.join(format!("{ARTICLE}.json")),
        gold.join("stray.json"),
    )
    .unwrap();
    let o = quoteval(&["gold", "check", gold.to_str().unwrap()]);
    assert!(!o.status.success());
    let err = stderr(&o);
    assert!(err.contains("stray.json: no article stray.txt"), "{err}");
}

#[test]
fn eval_of_the_gold_echo_is_perfect_and_its_json_adds_up() {
    let o = quoteval(&["eval", "--model", "gold-echo", "--json"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let report: serde_json::Value = serde_json::from_str(&stdout(&o)).unwrap();
    assert_eq!(report["schema"], "quoteval-report/3");
    assert_eq!(report["run"]["model"], "gold-echo");
    assert_eq!(
        report["run"]["corpus"]["articles"]
            .as_array()
            .unwrap()
            .len(),
        5
    );
    assert_eq!(
        report["run"]["corpus"]["fingerprint"]
            .as_str()
            .unwrap()
            .len(),
        64
    );
    let m = &report["totals"]["metrics"];
    assert_eq!(m["entities"]["micro"]["strict"]["f1"], 1.0);
    assert_eq!(m["quotes"]["0.3"]["all"]["f1"], 1.0);
    assert_eq!(m["speakers"]["f1"], 1.0);
    assert_eq!(m["places"]["f1"], 1.0);
    // Additivity: the articles' counts sum to the totals.
    let articles = report["articles"].as_array().unwrap();
    for (path, total) in [
        (
            "/quotes/0.3/all/tally/tp",
            &report["totals"]["counts"]["quotes"]["0.3"]["all"]["tally"]["tp"],
        ),
        (
            "/entities/by_type/PERSON/strict/correct",
            &report["totals"]["counts"]["entities"]["by_type"]["PERSON"]["strict"]["correct"],
        ),
        ("/places/tp", &report["totals"]["counts"]["places"]["tp"]),
    ] {
        let sum: u64 = articles
            .iter()
            .map(|a| a["counts"].pointer(path).and_then(|v| v.as_u64()).unwrap())
            .sum();
        assert_eq!(Some(sum), total.as_u64(), "{path}");
    }
}

#[test]
fn degraded_predictions_are_scored_and_every_error_is_listed_with_context() {
    let (tmp, gold) = gold_copy();
    let pred = tmp.path().join("pred");
    std::fs::create_dir(&pred).unwrap();
    for entry in std::fs::read_dir(&gold).unwrap() {
        let path = entry.unwrap().path();
        if path.extension().is_some_and(|x| x == "json") {
            let mut doc: serde_json::Value =
                serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap();
            // Drop every indirect quote and the first place.
            doc["quotes"]
                .as_array_mut()
                .unwrap()
                .retain(|q| q["kind"] == "direct");
            doc["places"].as_array_mut().unwrap().remove(0);
            std::fs::write(pred.join(path.file_name().unwrap()), doc.to_string()).unwrap();
        }
    }
    let o = quoteval(&[
        "score",
        gold.to_str().unwrap(),
        pred.to_str().unwrap(),
        "--json",
    ]);
    assert!(o.status.success(), "{}", stderr(&o));
    let report: serde_json::Value = serde_json::from_str(&stdout(&o)).unwrap();
    let q = &report["totals"]["counts"]["quotes"]["0.3"];
    assert_eq!(q["indirect"]["tally"]["tp"], 0);
    assert_eq!(q["all"]["tally"]["fp"], 0);
    assert_eq!(q["direct"]["tally"]["fn"], 0);
    assert_eq!(report["totals"]["counts"]["places"]["fn"], 5);

    let o = quoteval(&[
        "score",
        gold.to_str().unwrap(),
        pred.to_str().unwrap(),
        "--errors",
    ]);
    let out = stdout(&o);
    let missed_quotes = out
        .lines()
        .filter(|l| l.contains("\tmissed\tquote indirect"))
        .count();
    assert_eq!(
        missed_quotes as u64,
        q["indirect"]["tally"]["fn"].as_u64().unwrap(),
        "{out}"
    );
    assert!(
        out.contains(&format!("{ARTICLE}:4\tmissed\tquote indirect")),
        "{out}"
    );
    assert!(
        out.contains("[[the proposals were based on prior US-Russia discussions"),
        "{out}"
    );
    assert_eq!(
        out.lines()
            .filter(|l| l.contains("\tmissed\tplace"))
            .count(),
        5
    );
}

#[test]
fn csv_and_markdown_carry_the_same_figures() {
    let o = quoteval(&["eval", "--model", "gold-echo", "--csv"]);
    assert!(o.status.success());
    let csv = stdout(&o);
    assert!(csv.starts_with("article,layer,variant,label,measure,value\n"));
    assert!(csv.contains("ALL,quotes,0.3,all,f1,1.000000"), "{csv}");
    assert!(
        csv.contains(&format!("{ARTICLE},entities,strict,micro,correct,44")),
        "{csv}"
    );
    let o = quoteval(&["eval", "--model", "gold-echo", "--markdown"]);
    let md = stdout(&o);
    assert!(
        md.contains("| overlap ≥ 0.3 | 1.000 | 1.000 | 1.000 |"),
        "{md}"
    );
}

#[test]
fn predictions_are_written_as_drafts_and_never_overwritten_without_force() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("drafts");
    let o = quoteval(&[
        "eval",
        "--model",
        "gold-echo",
        "--save-predictions",
        out.to_str().unwrap(),
    ]);
    assert!(o.status.success(), "{}", stderr(&o));
    let written = out.join(format!("{ARTICLE}.json"));
    let first = std::fs::read_to_string(&written).unwrap();
    assert!(first.contains("\"status\": \"draft\""));
    std::fs::write(&written, "edited by a person").unwrap();
    let o = quoteval(&[
        "eval",
        "--model",
        "gold-echo",
        "--save-predictions",
        out.to_str().unwrap(),
    ]);
    assert!(!o.status.success());
    assert!(stderr(&o).contains("pass --force"), "{}", stderr(&o));
    assert_eq!(
        std::fs::read_to_string(&written).unwrap(),
        "edited by a person"
    );
    let o = quoteval(&[
        "eval",
        "--model",
        "gold-echo",
        "--save-predictions",
        out.to_str().unwrap(),
        "--force",
    ]);
    assert!(o.status.success());
    assert_eq!(std::fs::read_to_string(&written).unwrap(), first);
}

#[test]
fn unknown_models_list_the_known_ones_and_exit_non_zero() {
    let o = quoteval(&["eval", "--model", "no-such-model"]);
    assert!(!o.status.success());
    let err = stderr(&o);
    assert!(
        err.contains(
            "unknown model \"no-such-model\"; known models: gold-echo, quoteval-joint, \
             quoteval-ner-minilm, quoteval-quote-hybrid, quoteval-quote-tagger, spacy-sm"
        ),
        "{err}"
    );
}

#[test]
fn set_changes_an_entry_for_one_run_and_a_wrong_one_is_refused() {
    // The gold read back as predictions, pointed at another copy of the gold by --set.
    let (_tmp, gold) = gold_copy();
    let set = format!("predictions={:?}", gold.display().to_string());
    let o = quoteval(&["eval", "--model", "gold-echo", "--set", &set, "--json"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let report: serde_json::Value = serde_json::from_str(&stdout(&o)).unwrap();
    assert_eq!(
        report["run"]["settings"]["predictions"],
        serde_json::json!(gold.display().to_string()),
        "{}",
        report["run"]["settings"]
    );
    // An entry that --set breaks is refused before anything runs, naming the setting.
    let o = quoteval(&[
        "eval",
        "--model",
        "gold-echo",
        "--set",
        "predictions=/no/such/dir",
    ]);
    assert!(!o.status.success());
    assert!(stderr(&o).contains("/no/such/dir"), "{}", stderr(&o));
    let o = quoteval(&["eval", "--model", "gold-echo", "--set", "ner.threads=2"]);
    assert_eq!(o.status.code(), Some(64), "{}", stderr(&o));
    assert!(
        stderr(&o).contains("no [models.gold-echo.ner] table"),
        "{}",
        stderr(&o)
    );
}

/// What a prober tried, each with the exit code the README's table gives it.
#[test]
fn exit_codes_follow_the_table_for_what_a_prober_tried() {
    let usage = [
        vec!["eval", "--threads", "0"],
        vec!["eval", "--batch-size", "0"],
        vec!["eval", "--dtype", "fp16"],
        vec!["eval", "--device", "foo"],
        vec!["eval", "--set", "quotes.speech_onl=false"],
    ];
    for args in usage {
        let o = quoteval(&args);
        assert_eq!(o.status.code(), Some(64), "{args:?}: {}", stderr(&o));
        assert!(!stderr(&o).contains("panicked"), "{args:?}");
    }
    // A --set typo names the key, not a line of a file the user never wrote.
    let o = quoteval(&["eval", "--set", "quotes.speech_onl=false"]);
    assert!(
        stderr(&o).contains("--set quotes.speech_onl=false: unknown field `speech_onl`"),
        "{}",
        stderr(&o)
    );
    // A TOKEN TAG file given alone to score --conll: bad input, with the hint.
    let tmp = tempfile::tempdir().unwrap();
    let two = tmp.path().join("two.txt");
    std::fs::write(&two, "EU B-ORG\nrejects O\n").unwrap();
    let o = quoteval(&["score", "--conll", two.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(65), "{}", stderr(&o));
    assert!(stderr(&o).contains("one tag column"), "{}", stderr(&o));
    // Missing inputs: 66.
    let missing = tmp.path().join("no-such-predictions");
    let o = quoteval(&["score", "gold", missing.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(66), "{}", stderr(&o));
    let split = tmp.path().join("split");
    std::fs::create_dir_all(split.join("text")).unwrap();
    std::fs::create_dir_all(split.join("attributions")).unwrap();
    std::fs::write(split.join("attributions/a_x.ann"), "").unwrap();
    let out = tmp.path().join("out");
    let o = quoteval(&[
        "gold",
        "import",
        "--format",
        "polnear",
        split.to_str().unwrap(),
        "--out",
        out.to_str().unwrap(),
    ]);
    assert_eq!(o.status.code(), Some(66), "{}", stderr(&o));
    assert!(stderr(&o).contains("a.txt"), "{}", stderr(&o));
}

/// Every output is checked before the model runs, none is written when another cannot be,
/// and --out writes through a symbolic link.
#[test]
fn outputs_are_checked_before_any_work_and_written_through_links() {
    let tmp = tempfile::tempdir().unwrap();
    let ok = tmp.path().join("ok.json");
    let blocker = tmp.path().join("a-file");
    std::fs::write(&blocker, "").unwrap();
    let under_file = blocker.join("r.html");
    // A model entry that would take seconds: refused at once, nothing written.
    let started = std::time::Instant::now();
    let o = quoteval(&[
        "eval",
        "--out",
        ok.to_str().unwrap(),
        "--html",
        under_file.to_str().unwrap(),
    ]);
    assert_eq!(o.status.code(), Some(73), "{}", stderr(&o));
    assert!(stderr(&o).contains("--html"), "{}", stderr(&o));
    assert!(!ok.exists(), "--out was written although --html cannot be");
    assert!(started.elapsed().as_secs() < 5, "the model ran first");
    let o = quoteval(&["eval", "--out", tmp.path().to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(73), "{}", stderr(&o));
    let o = quoteval(&["eval", "--save-predictions", blocker.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(73), "{}", stderr(&o));
    // Through a link: the link stays, its target gets the report.
    let target = tmp.path().join("target.json");
    std::fs::write(&target, "old").unwrap();
    let link = tmp.path().join("link.json");
    std::os::unix::fs::symlink(&target, &link).unwrap();
    let o = quoteval(&[
        "score",
        "gold",
        "gold",
        "--json",
        "--out",
        link.to_str().unwrap(),
    ]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(std::fs::symlink_metadata(&link)
        .unwrap()
        .file_type()
        .is_symlink());
    assert!(std::fs::read_to_string(&target)
        .unwrap()
        .contains("quoteval-report"));
}

/// `--min METRIC=VALUE`: an absolute gate for CI without a base report.
#[test]
fn min_gates_fail_with_exit_1_after_writing_the_report() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("r.json");
    let o = quoteval(&[
        "score",
        "gold",
        "gold",
        "--min",
        "quotes.0.3.f1=0.9",
        "--min",
        "entities.strict.f1=1",
    ]);
    assert!(o.status.success(), "{}", stderr(&o));
    let o = quoteval(&[
        "eval",
        "--model",
        "gold-echo",
        "--json",
        "--out",
        out.to_str().unwrap(),
        "--min",
        "entities.strict.f1=1.5",
    ]);
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    assert!(out.exists(), "the report is written before the verdict");
    assert!(
        stderr(&o).contains("gate failed: entities.strict.f1 = 1.0000, below --min 1.5"),
        "{}",
        stderr(&o)
    );
    let o = quoteval(&["eval", "--min", "no.such.metric=1"]);
    assert_eq!(o.status.code(), Some(64), "{}", stderr(&o));
}

/// Copies the files of `from` that `keep` accepts into `to`.
fn copy_files(from: &str, to: &Path, keep: impl Fn(&Path) -> bool) {
    for entry in std::fs::read_dir(from).unwrap() {
        let path = entry.unwrap().path();
        if keep(&path) {
            std::fs::copy(&path, to.join(path.file_name().unwrap())).unwrap();
        }
    }
}

/// The small things a newcomer tripped on (item 9).
#[test]
fn small_things_a_user_trips_on() {
    // gold export offers only the formats it writes.
    let o = quoteval(&["gold", "export", "--help"]);
    assert!(
        stdout(&o).contains("brat") && !stdout(&o).contains("polnear"),
        "{}",
        stdout(&o)
    );
    // agree names both sides.
    let o = quoteval(&["gold", "agree", "gold", "gold/agreement/annotator-b"]);
    assert!(
        stdout(&o).contains("annotator B (gold/agreement/annotator-b) against annotator A (gold)"),
        "{}",
        stdout(&o)
    );
    // --markdown --errors renders the errors as a Markdown table.
    let o = quoteval(&[
        "score",
        "gold",
        "gold/agreement/annotator-b",
        "--markdown",
        "--errors",
    ]);
    assert!(
        stdout(&o).contains("| article:line | outcome | item | gold | predicted | detail |"),
        "{}",
        stdout(&o)
    );
    // gold check --texts: annotation files in one directory, articles in another.
    let tmp = tempfile::tempdir().unwrap();
    copy_files("gold", tmp.path(), |p| {
        p.extension().is_some_and(|x| x == "json")
    });
    let o = quoteval(&[
        "gold",
        "check",
        tmp.path().to_str().unwrap(),
        "--texts",
        "gold",
    ]);
    assert!(o.status.success(), "{}", stderr(&o));
    // compare --html finds the corpus beside the reports when run from elsewhere.
    let reports = tempfile::tempdir().unwrap();
    let base = reports.path().join("base.json");
    let o = quoteval(&[
        "score",
        "gold",
        "gold",
        "--json",
        "--out",
        base.to_str().unwrap(),
    ]);
    assert!(o.status.success(), "{}", stderr(&o));
    // The report names the corpus as "gold", relative: copy the corpus beside the report.
    let beside = reports.path().join("gold");
    std::fs::create_dir(&beside).unwrap();
    copy_files("gold", &beside, |p| p.is_file());
    let html = reports.path().join("c.html");
    let o = std::process::Command::new(env!("CARGO_BIN_EXE_quoteval-ner"))
        .args(["compare", "base.json", "base.json", "--html", "c.html"])
        .current_dir(reports.path())
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(html.exists());
    // Without the corpus anywhere, the error says to pass --gold.
    std::fs::remove_dir_all(&beside).unwrap();
    let o = std::process::Command::new(env!("CARGO_BIN_EXE_quoteval-ner"))
        .args(["compare", "base.json", "base.json", "--html", "c2.html"])
        .current_dir(reports.path())
        .output()
        .unwrap();
    assert!(!o.status.success());
    assert!(stderr(&o).contains("--gold DIR"), "{}", stderr(&o));
}

/// models.toml's `default` is needed only by a command that names no entry.
#[test]
fn default_is_optional_when_model_is_given() {
    let tmp = tempfile::tempdir().unwrap();
    let gold = Path::new(env!("CARGO_MANIFEST_DIR")).join("gold");
    let models = tmp.path().join("models.toml");
    std::fs::write(
        &models,
        format!(
            "[models.echo]\npredictions = {:?}\n",
            gold.display().to_string()
        ),
    )
    .unwrap();
    let m = models.to_str().unwrap();
    let o = quoteval(&["eval", "--models", m, "--model", "echo"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let o = quoteval(&["eval", "--models", m]);
    assert_eq!(o.status.code(), Some(64), "{}", stderr(&o));
    assert!(stderr(&o).contains("pass --model NAME"), "{}", stderr(&o));
}

#[test]
fn every_command_has_help() {
    for args in [
        vec!["--help"],
        vec!["eval", "--help"],
        vec!["score", "--help"],
        vec!["gold", "--help"],
        vec!["gold", "check", "--help"],
        vec!["gold", "agree", "--help"],
        vec!["model", "assemble", "--help"],
    ] {
        let o = quoteval(&args);
        assert!(o.status.success(), "{args:?}");
        assert!(stdout(&o).contains("Usage: quoteval"), "{args:?}");
    }
}

#[test]
fn agreement_of_the_two_committed_annotations_is_reproducible() {
    // The two annotators' independent files (guidelines version 1, both), scored against each
    // other: the first annotator's files stand in for the gold, whose articles they share.
    let tmp = tempfile::tempdir().unwrap();
    for entry in std::fs::read_dir("gold").unwrap() {
        let path = entry.unwrap().path();
        if path.extension().is_some_and(|x| x == "txt") {
            std::fs::copy(&path, tmp.path().join(path.file_name().unwrap())).unwrap();
        }
    }
    for entry in std::fs::read_dir("gold/agreement/annotator-a").unwrap() {
        let path = entry.unwrap().path();
        std::fs::copy(&path, tmp.path().join(path.file_name().unwrap())).unwrap();
    }
    let o = quoteval(&[
        "gold",
        "agree",
        tmp.path().to_str().unwrap(),
        "gold/agreement/annotator-b",
        "--json",
    ]);
    assert!(o.status.success(), "{}", stderr(&o));
    let report: serde_json::Value = serde_json::from_str(&stdout(&o)).unwrap();
    let f1 = report["totals"]["metrics"]["quotes"]["0.8"]["all"]["f1"]
        .as_f64()
        .unwrap();
    assert!(f1 > 0.95 && f1 < 1.0, "{f1}");
}

/// The documents of a corpus directory, for comparing what survived a round trip.
fn documents(corpus: &Path, annotations: &Path) -> Vec<quoteval::annotation::Document> {
    let c = quoteval::corpus::Corpus::load(corpus).unwrap();
    c.load_annotations(annotations)
        .unwrap()
        .docs
        .into_values()
        .collect()
}

#[test]
fn brat_export_then_import_is_lossless() {
    let tmp = tempfile::tempdir().unwrap();
    let brat = tmp.path().join("brat");
    let back = tmp.path().join("back");
    let o = quoteval(&[
        "gold",
        "export",
        "--format",
        "brat",
        "--out",
        brat.to_str().unwrap(),
    ]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(brat.join("annotation.conf").exists());
    assert_eq!(
        std::fs::read_to_string(brat.join(format!("{ARTICLE}.txt"))).unwrap(),
        std::fs::read_to_string(format!("gold/{ARTICLE}.txt")).unwrap()
    );
    let o = quoteval(&[
        "gold",
        "import",
        "--format",
        "brat",
        brat.to_str().unwrap(),
        "--out",
        back.to_str().unwrap(),
    ]);
    assert!(o.status.success(), "{}", stderr(&o));
    let gold = Path::new(env!("CARGO_MANIFEST_DIR")).join("gold");
    let (a, b) = (documents(&gold, &gold), documents(&gold, &back));
    assert_eq!(a.len(), 5);
    for (x, y) in a.iter().zip(&b) {
        assert_eq!(x.mentions, y.mentions, "{}", x.id());
        assert_eq!(x.quotes, y.quotes, "{}", x.id());
        assert_eq!(x.speakers, y.speakers, "{}", x.id());
        assert_eq!(x.places, y.places, "{}", x.id());
        assert_eq!(
            (x.status, &x.notes, &x.layers),
            (y.status, &y.notes, &y.layers),
            "{}",
            x.id()
        );
    }
    // Importing again into the same place refuses to overwrite.
    let o = quoteval(&[
        "gold",
        "import",
        "--format",
        "brat",
        brat.to_str().unwrap(),
        "--out",
        back.to_str().unwrap(),
    ]);
    assert!(!o.status.success());
}

#[test]
fn conll_export_then_import_keeps_every_mention() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("conll");
    let back = tmp.path().join("back");
    assert!(quoteval(&[
        "gold",
        "export",
        "--format",
        "conll",
        "--out",
        out.to_str().unwrap()
    ])
    .status
    .success());
    let o = quoteval(&[
        "gold",
        "import",
        "--format",
        "conll",
        out.to_str().unwrap(),
        "--out",
        back.to_str().unwrap(),
    ]);
    assert!(o.status.success(), "{}", stderr(&o));
    let gold = Path::new(env!("CARGO_MANIFEST_DIR")).join("gold");
    for (x, y) in documents(&gold, &gold).iter().zip(&documents(&gold, &back)) {
        assert_eq!(x.mentions, y.mentions, "{}", x.id());
        assert_eq!(y.layers, vec![quoteval::annotation::Layer::Mentions]);
    }
}

#[test]
fn drafts_cover_only_articles_without_gold_and_pass_the_check() {
    let (_tmp, gold) = gold_copy();
    std::fs::remove_file(gold.join(format!("{ARTICLE}.json"))).unwrap();
    let models = Path::new(env!("CARGO_MANIFEST_DIR")).join("models.toml");
    let o = quoteval(&[
        "gold",
        "draft",
        "--model",
        "gold-echo",
        "--models",
        models.to_str().unwrap(),
        "--gold",
        gold.to_str().unwrap(),
    ]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert_eq!(
        stdout(&o)
            .lines()
            .filter(|l| l.starts_with("drafted"))
            .count(),
        1,
        "{}",
        stdout(&o)
    );
    let drafted = std::fs::read_to_string(gold.join(format!("{ARTICLE}.json"))).unwrap();
    assert!(drafted.contains("\"status\": \"draft\""));
    let o = quoteval(&["gold", "check", gold.to_str().unwrap()]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(
        stdout(&o).contains("1 unreviewed draft(s)"),
        "{}",
        stdout(&o)
    );
    // Nothing left to draft; --force would redo everything but never silently.
    let o = quoteval(&[
        "gold",
        "draft",
        "--model",
        "gold-echo",
        "--models",
        models.to_str().unwrap(),
        "--gold",
        gold.to_str().unwrap(),
    ]);
    assert!(stdout(&o).contains("nothing to draft"), "{}", stdout(&o));
}

#[test]
fn refresh_of_unchanged_gold_moves_nothing_and_keeps_it_valid() {
    let (_tmp, gold) = gold_copy();
    let o = quoteval(&["gold", "refresh", gold.to_str().unwrap()]);
    assert!(o.status.success(), "{}{}", stdout(&o), stderr(&o));
    assert!(
        // The committed gold records every start: nothing to rewrite.
        stdout(&o).contains("5 file(s), 0 item(s) moved, 0 rewritten"),
        "{}",
        stdout(&o)
    );
    assert!(quoteval(&["gold", "check", gold.to_str().unwrap()])
        .status
        .success());
    // An edit that deletes a quoted word is listed, and the file is left as it was.
    let txt = gold.join(format!("{ARTICLE}.txt"));
    let json = gold.join(format!("{ARTICLE}.json"));
    let before = std::fs::read_to_string(&json).unwrap();
    std::fs::write(
        &txt,
        std::fs::read_to_string(&txt)
            .unwrap()
            .replace("“useful,”", "“helpful,”"),
    )
    .unwrap();
    let o = quoteval(&["gold", "refresh", gold.to_str().unwrap()]);
    assert!(!o.status.success());
    assert!(
        stdout(&o).contains(
            "\"the discussions with US officials as “necessary” and “useful,”\" no longer occurs in the article"
        ),
        "{}",
        stdout(&o)
    );
    assert_eq!(std::fs::read_to_string(&json).unwrap(), before);
}
