//! Stages from anywhere: a `command` backend run over the articles under its documented contract,
//! annotations read by char offsets and from JSON Lines, label sets per entry, and layers a
//! prediction does not cover reported as not predicted (never as 0, never as a regression).
//! The command is `tests/fixtures/command_ner.py`, a dependency-free Python program.

mod common;

use std::path::{Path, PathBuf};

use common::{gold_copy, quoteval_in, stderr, stdout};

fn fixture() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/command_ner.py")
}

/// A models.toml in `dir` with the given entries (the `default` is the first one named).
fn models_toml(dir: &Path, default: &str, entries: &str) -> PathBuf {
    let path = dir.join("models.toml");
    std::fs::write(&path, format!("default = \"{default}\"\n{entries}")).unwrap();
    path
}

fn command_entry(name: &str, extra_args: &str, quotes: bool) -> String {
    let mut s = format!(
        "[models.{name}.ner]\nbackend = \"command\"\nlabels = \"ontonotes\"\ntimeout = 30\n\
         command = [\"python3\", \"{}\", \"{{input}}\", \"{{output}}\", \"--person\", \"Putin\", \
         \"--person\", \"Trump\", \"--place\", \"Ukraine\", \"--place\", \"Russia\"{extra_args}]\n",
        fixture().display()
    );
    if quotes {
        s.push_str(&format!("[models.{name}.quotes]\nbackend = \"rules\"\n"));
    }
    s
}

/// `quoteval eval --models MODELS --gold GOLD EXTRA...`, run in `dir`.
fn eval(dir: &Path, models: &Path, gold: &Path, extra: &[&str]) -> std::process::Output {
    let mut args = vec![
        "eval",
        "--models",
        models.to_str().unwrap(),
        "--gold",
        gold.to_str().unwrap(),
    ];
    args.extend_from_slice(extra);
    quoteval_in(dir, &args)
}

fn json(text: &str) -> serde_json::Value {
    serde_json::from_str(text).unwrap_or_else(|e| panic!("not JSON ({e}): {text}"))
}

#[test]
fn a_command_ner_stage_feeds_the_rule_quotes() {
    let (tmp, gold) = gold_copy();
    let models = models_toml(tmp.path(), "cmd", &command_entry("cmd", "", true));
    let out = eval(tmp.path(), &models, &gold, &["--json"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let report = json(&stdout(&out));
    assert!(
        report["run"]["backend"]
            .as_str()
            .unwrap()
            .contains("command `python3"),
        "{}",
        report["run"]["backend"]
    );
    // GPE read as PLACE through the ontonotes label set; PERSON kept.
    let by_type = &report["totals"]["counts"]["entities"]["by_type"];
    assert!(by_type["PERSON"]["strict"]["correct"].as_u64().unwrap() > 0);
    assert!(by_type["PLACE"]["strict"]["correct"].as_u64().unwrap() > 0);
    assert_eq!(by_type["ORG"]["strict"]["correct"].as_u64().unwrap(), 0);
    // The rules found quotes over these mentions, and every layer was scored.
    let quotes = &report["totals"]["counts"]["quotes"];
    assert_eq!(quotes["articles"].as_u64().unwrap(), 5);
    assert!(quotes["0.3"]["all"]["tally"]["tp"].as_u64().unwrap() > 10);
    assert!(
        report["totals"]["metrics"]["speakers"]["f1"]
            .as_f64()
            .unwrap()
            > 0.0
    );
}

#[test]
fn a_failing_command_names_its_status_and_stderr() {
    let (tmp, gold) = gold_copy();
    let models = models_toml(
        tmp.path(),
        "bad",
        &command_entry("bad", ", \"--fail\", \"3\"", true),
    );
    let out = eval(tmp.path(), &models, &gold, &[]);
    assert!(!out.status.success());
    let err = stderr(&out);
    assert!(err.contains("exited with status 3"), "{err}");
    assert!(err.contains("failing on purpose"), "{err}");
}

#[test]
fn a_command_past_its_timeout_is_killed() {
    let (tmp, gold) = gold_copy();
    let entry = command_entry("slow", ", \"--sleep\", \"30\"", false)
        .replace("timeout = 30", "timeout = 1");
    let models = models_toml(tmp.path(), "slow", &entry);
    let started = std::time::Instant::now();
    let out = eval(tmp.path(), &models, &gold, &[]);
    assert!(!out.status.success());
    assert!(
        stderr(&out).contains("still running after 1 s"),
        "{}",
        stderr(&out)
    );
    assert!(
        started.elapsed().as_secs() < 20,
        "the program was not killed"
    );
}

/// A pipeline without a quote stage predicts mentions and places only: quotes and speakers are
/// "not predicted" (JSON null, the table says so, a note names the articles), and compare
/// against a full run reports no regressions for them.
#[test]
fn layers_a_prediction_leaves_out_are_not_predicted() {
    let (tmp, gold) = gold_copy();
    let models = models_toml(
        tmp.path(),
        "ner-only",
        &format!(
            "{}[models.echo]\npredictions = \"{}\"\n",
            command_entry("ner-only", "", false),
            gold.display()
        ),
    );
    let run = |model: &str, format: &str| {
        let out = eval(tmp.path(), &models, &gold, &["--model", model, format]);
        assert!(out.status.success(), "{}", stderr(&out));
        stdout(&out)
    };
    let report = json(&run("ner-only", "--json"));
    let metrics = &report["totals"]["metrics"];
    assert!(metrics["entities"].is_object() && metrics["places"].is_object());
    for layer in ["quotes", "speakers"] {
        assert!(metrics[layer].is_null(), "{layer}: {}", metrics[layer]);
        assert_eq!(
            report["totals"]["counts"]["not_predicted"][layer].as_u64(),
            Some(5)
        );
    }
    let notes = report["notes"].to_string();
    assert!(
        notes.contains("quotes: not predicted on 5 article(s)"),
        "{notes}"
    );
    let table = run("ner-only", "--markdown");
    assert!(table.contains("not predicted"), "{table}");
    assert!(!table.contains("not annotated in the gold"), "{table}");

    let base = tmp.path().join("echo.json");
    let cand = tmp.path().join("ner-only.json");
    std::fs::write(&base, run("echo", "--json")).unwrap();
    std::fs::write(&cand, serde_json::to_string(&report).unwrap()).unwrap();
    let out = quoteval_in(
        tmp.path(),
        &[
            "compare",
            base.to_str().unwrap(),
            cand.to_str().unwrap(),
            "--json",
        ],
    );
    assert!(out.status.success(), "{}", stderr(&out));
    let cmp = json(&stdout(&out));
    let changed = cmp["changes"]["articles"].to_string();
    for layer in ["\"quotes\"", "\"speakers\""] {
        assert!(
            !changed.contains(layer),
            "{layer} items compared: {changed}"
        );
    }
    let quotes_f1 = cmp["metrics"]
        .as_array()
        .unwrap()
        .iter()
        .find(|m| m["name"] == "quotes.0.3.f1")
        .unwrap();
    assert!(quotes_f1["candidate"].is_null() && quotes_f1["delta"].is_null());
}

/// JSON Lines predictions by offsets, checked against the text: a wrong offset is an error that
/// names the file, the line and the item.
#[test]
fn json_lines_predictions_are_read_by_offsets_and_checked() {
    let (tmp, gold) = gold_copy();
    let article = common::ARTICLE;
    let text = std::fs::read_to_string(gold.join(format!("{article}.txt"))).unwrap();
    let chars: Vec<char> = text.chars().collect();
    let find = |word: &str| {
        let w: Vec<char> = word.chars().collect();
        (0..chars.len())
            .find(|&i| chars[i..].starts_with(&w))
            .unwrap()
    };
    let trump = find("Trump");
    let line = |start: usize, end: usize, text: &str| {
        format!(
            "{{\"article\": \"{article}\", \"layers\": [\"mentions\"], \"mentions\": \
             [{{\"type\": \"PERSON\", \"start\": {start}, \"end\": {end}, \"text\": \"{text}\"}}]}}\n"
        )
    };
    let good = tmp.path().join("good.jsonl");
    std::fs::write(&good, format!("\n{}", line(trump, trump + 5, "Trump"))).unwrap();
    let models = models_toml(
        tmp.path(),
        "lines",
        &format!(
            "[models.lines]\npredictions = \"{}\"\n[models.wrong]\npredictions = \"{}\"\n",
            good.display(),
            tmp.path().join("wrong.jsonl").display()
        ),
    );
    let run = |model: &str| eval(tmp.path(), &models, &gold, &["--model", model, "--json"]);
    let out = run("lines");
    assert!(out.status.success(), "{}", stderr(&out));
    let report = json(&stdout(&out));
    assert_eq!(
        report["totals"]["counts"]["entities"]["by_type"]["PERSON"]["strict"]["correct"].as_u64(),
        Some(1)
    );
    // Four articles had no line: scored as empty, and said so.
    assert!(report["notes"].to_string().contains("no prediction"));
    // `score` reads the same file directly.
    let out = quoteval_in(
        tmp.path(),
        &[
            "score",
            gold.to_str().unwrap(),
            good.to_str().unwrap(),
            "--json",
        ],
    );
    assert!(out.status.success(), "{}", stderr(&out));
    let scored = json(&stdout(&out));
    assert_eq!(
        scored["totals"]["counts"]["entities"],
        report["totals"]["counts"]["entities"]
    );

    std::fs::write(
        tmp.path().join("wrong.jsonl"),
        line(trump + 1, trump + 6, "Trump"),
    )
    .unwrap();
    let out = run("wrong");
    assert!(!out.status.success());
    let err = stderr(&out);
    assert!(
        err.contains("wrong.jsonl:1: mentions[0]: \"text\" is \"Trump\" but chars"),
        "{err}"
    );
}

/// `eval --shard K/N` on every K, merged by `report merge`, gives the unsharded run's counts and
/// articles exactly; a missing or repeated shard is refused.
#[test]
fn sharded_runs_merge_into_the_whole_run() {
    let (tmp, gold) = gold_copy();
    let models = models_toml(tmp.path(), "cmd", &command_entry("cmd", "", true));
    let run = |extra: &[&str]| {
        let mut args = vec!["--json"];
        args.extend_from_slice(extra);
        let out = eval(tmp.path(), &models, &gold, &args);
        assert!(out.status.success(), "{}", stderr(&out));
        stdout(&out)
    };
    let whole = json(&run(&[]));
    let mut shards = Vec::new();
    for k in 1..=3 {
        let path = tmp.path().join(format!("shard{k}.json"));
        std::fs::write(&path, run(&["--shard", &format!("{k}/3")])).unwrap();
        shards.push(path.display().to_string());
    }
    let one = json(&std::fs::read_to_string(&shards[0]).unwrap());
    assert_eq!(
        one["run"]["corpus"]["articles"].as_array().unwrap().len(),
        2
    );
    assert_eq!(
        one["run"]["corpus"]["fingerprint"],
        whole["run"]["corpus"]["fingerprint"]
    );

    let mut args = vec!["report", "merge"];
    args.extend(shards.iter().map(String::as_str));
    args.push("--json");
    let out = quoteval_in(tmp.path(), &args);
    assert!(out.status.success(), "{}", stderr(&out));
    let merged = json(&stdout(&out));
    assert_eq!(merged["totals"]["counts"], whole["totals"]["counts"]);
    assert_eq!(merged["totals"]["metrics"], whole["totals"]["metrics"]);
    assert_eq!(merged["articles"], whole["articles"]);
    assert_eq!(merged["run"]["corpus"], whole["run"]["corpus"]);
    // Each stage's seconds add up over the shards.
    let stage_seconds = |report: &serde_json::Value, stage: &str| -> f64 {
        report["run"]["timing"]["stages"]
            .as_array()
            .and_then(|a| a.iter().find(|s| s["stage"] == stage))
            .and_then(|s| s["seconds"].as_f64())
            .unwrap_or_else(|| panic!("no {stage} stage: {}", report["run"]["timing"]))
    };
    for stage in ["ner", "quotes"] {
        let sum: f64 = shards
            .iter()
            .map(|p| stage_seconds(&json(&std::fs::read_to_string(p).unwrap()), stage))
            .sum();
        assert!(
            (stage_seconds(&merged, stage) - sum).abs() < 1e-9,
            "{stage}"
        );
    }

    let out = quoteval_in(tmp.path(), &["report", "merge", &shards[0], &shards[2]]);
    assert!(!out.status.success());
    assert!(
        stderr(&out).contains("missing shard(s): 2/3"),
        "{}",
        stderr(&out)
    );
    let out = quoteval_in(
        tmp.path(),
        &[
            "report", "merge", &shards[0], &shards[1], &shards[1], &shards[2],
        ],
    );
    assert!(
        stderr(&out).contains("shard 2/3 is given twice"),
        "{}",
        stderr(&out)
    );

    // A shard edited by hand, or of another run, is refused with the reason (never a sum with
    // more correct than gold).
    let edited = |edit: &dyn Fn(&mut serde_json::Value)| -> String {
        let mut v = json(&std::fs::read_to_string(&shards[1]).unwrap());
        edit(&mut v);
        let path = tmp.path().join("edited.json");
        std::fs::write(&path, v.to_string()).unwrap();
        let out = quoteval_in(
            tmp.path(),
            &[
                "report",
                "merge",
                &shards[0],
                path.to_str().unwrap(),
                &shards[2],
            ],
        );
        assert_eq!(out.status.code(), Some(65), "{}", stderr(&out));
        stderr(&out)
    };
    let err = edited(&|v| {
        v["totals"]["counts"]["entities"]["overall"]["strict"]["correct"] = 391.into();
    });
    assert!(err.contains("totals.counts are not the sum"), "{err}");
    let err = edited(&|v| {
        let articles = v["articles"].as_array_mut().unwrap();
        let copy = articles[0].clone();
        articles.push(copy);
    });
    assert!(
        err.contains("are not those of its run.corpus.articles"),
        "{err}"
    );
    let err = edited(&|v| {
        v["run"]["corpus"]["articles"] = v["run"]["corpus"]["articles"]
            .as_array()
            .unwrap()
            .iter()
            .chain(std::iter::once(&serde_json::json!(common::ARTICLE)))
            .cloned()
            .collect();
        let first = json(&std::fs::read_to_string(&shards[0]).unwrap());
        let article = first["articles"][0].clone();
        v["articles"].as_array_mut().unwrap().push(article);
    });
    assert!(err.contains("is in shard 1/3 and in shard 2/3"), "{err}");
    let err = edited(&|v| v["run"]["model"] = "another".into());
    assert!(err.contains("its run.model differs"), "{err}");
}

/// `eval --conll FILE` runs the entry's NER over a CoNLL token file and scores it with the
/// conlleval scorer, in our types (MISC, none of ours, is O on both sides).
#[test]
fn eval_conll_scores_a_models_ner_on_a_token_file() {
    let (tmp, _gold) = gold_copy();
    let models = models_toml(tmp.path(), "cmd", &command_entry("cmd", "", false));
    let conll = tmp.path().join("tiny.conll");
    std::fs::write(
        &conll,
        "-DOCSTART- O\n\nPutin B-PER\ntold O\nUkraine B-LOC\n. O\n\n\
         Trump B-PER\nspoke O\nEnglish B-MISC\nin O\nRussia B-LOC\n\nKyiv B-LOC\n",
    )
    .unwrap();
    let tagged = tmp.path().join("tagged.txt");
    let out = quoteval_in(
        tmp.path(),
        &[
            "eval",
            "--models",
            models.to_str().unwrap(),
            "--conll",
            conll.to_str().unwrap(),
            "--save-predictions",
            tagged.to_str().unwrap(),
            "--json",
        ],
    );
    assert!(out.status.success(), "{}", stderr(&out));
    let scores = json(&stdout(&out));
    // Putin, Ukraine, Trump, Russia found; Kyiv missed (the program does not know it).
    let overall = &scores["overall"];
    assert_eq!(overall["gold"].as_u64(), Some(5), "{scores}");
    assert_eq!(overall["correct"].as_u64(), Some(4), "{scores}");
    assert_eq!(overall["guessed"].as_u64(), Some(4), "{scores}");
    let text = std::fs::read_to_string(&tagged).unwrap();
    assert!(text.contains("Ukraine B-PLACE B-PLACE\n"), "{text}");
    assert!(text.contains("English O O\n"), "{text}");
}

// ---------------------------------------------------------------------------------------------
// What a newcomer and a prober hit (issue 24): command stages and outputs that match nothing.
// ---------------------------------------------------------------------------------------------

/// A models.toml with one entry whose NER stage is `command` (a TOML array of strings).
fn command_models(dir: &Path, command: &[&str], timeout: u64) -> PathBuf {
    let argv: Vec<String> = command.iter().map(|a| format!("{a:?}")).collect();
    models_toml(
        dir,
        "cmd",
        &format!(
            "[models.cmd.ner]\nbackend = \"command\"\ntimeout = {timeout}\ncommand = [{}]\n",
            argv.join(", ")
        ),
    )
}

/// The work directories a run left under `tmp` (quoteval's runs use TMPDIR).
fn workdirs(tmp: &Path) -> Vec<PathBuf> {
    let mut dirs: Vec<PathBuf> = std::fs::read_dir(tmp)
        .unwrap()
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| {
            p.file_name()
                .unwrap()
                .to_string_lossy()
                .starts_with("quoteval-command-")
        })
        .collect();
    dirs.sort();
    dirs
}

/// `quoteval eval` in `dir` with TMPDIR set to `tmpdir`.
fn eval_with_tmpdir(dir: &Path, tmpdir: &Path, args: &[&str]) -> std::process::Output {
    std::process::Command::new(env!("CARGO_BIN_EXE_quoteval-ner"))
        .arg("eval")
        .args(args)
        .current_dir(dir)
        .env("TMPDIR", tmpdir)
        .output()
        .unwrap()
}

#[test]
fn a_command_stage_runs_when_models_toml_is_given_as_a_bare_name() {
    let (tmp, gold) = gold_copy();
    command_models(
        tmp.path(),
        &[
            "python3",
            fixture().to_str().unwrap(),
            "{input}",
            "{output}",
            "--person",
            "Putin",
        ],
        30,
    );
    // The README's form: models.toml in the current directory, named bare.
    let out = eval(tmp.path(), Path::new("models.toml"), &gold, &["--json"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let report = json(&stdout(&out));
    assert!(
        report["totals"]["counts"]["entities"]["by_type"]["PERSON"]["strict"]["correct"]
            .as_u64()
            .unwrap()
            > 0
    );
}

#[test]
fn predictions_that_match_no_article_are_an_error_never_zeros() {
    let (tmp, gold) = gold_copy();
    let write = |rel: &str, body: &str| {
        let path = tmp.path().join(rel);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(&path, body).unwrap();
        path
    };
    let line = |article: &str| {
        format!(
            "{{\"article\": \"{article}\", \"layers\": [\"mentions\"], \"mentions\": \
             [{{\"type\": \"PERSON\", \"text\": \"Putin\", \"occurrence\": 1}}]}}\n"
        )
    };
    let id = common::ARTICLE;
    let cases = [
        ("wrong-id/p.jsonl", line(&format!("{id}.txt")), false),
        ("empty/p.jsonl", String::new(), false),
        ("nested/sub/p.jsonl", line(id), false),
        ("ndjson/p.ndjson", line(id), true),
        ("upper/p.JSONL", line(id), true),
        ("file/preds.json", line(id), false),
    ];
    for (rel, body, readable) in cases {
        let path = write(rel, &body);
        // A directory for the directory cases, the file itself for `preds.json`.
        let source = if rel.starts_with("file/") {
            path.clone()
        } else {
            tmp.path().join(rel.split('/').next().unwrap())
        };
        let models = models_toml(
            tmp.path(),
            "p",
            &format!("[models.p]\npredictions = \"{}\"\n", source.display()),
        );
        let out = eval(tmp.path(), &models, &gold, &["--json"]);
        if readable {
            assert!(out.status.success(), "{rel}: {}", stderr(&out));
            let report = json(&stdout(&out));
            let strict = &report["totals"]["counts"]["entities"]["overall"]["strict"];
            let predicted: u64 = ["correct", "incorrect", "partial", "spurious"]
                .iter()
                .map(|k| strict[k].as_u64().unwrap())
                .sum();
            assert_eq!(predicted, 1, "{rel}: {strict}");
        } else {
            assert_eq!(out.status.code(), Some(65), "{rel}: {}", stderr(&out));
            let err = stderr(&out);
            assert!(
                err.contains("no prediction for any of the") || err.contains("JSON Lines"),
                "{rel}: {err}"
            );
        }
    }
}

#[test]
fn a_failed_command_keeps_its_private_workdir_and_says_where() {
    let (tmp, gold) = gold_copy();
    let scratch = tempfile::tempdir().unwrap();
    let models = command_models(
        tmp.path(),
        &["python3", "-c", "import sys; sys.exit(3)", "{input}"],
        30,
    );
    let out = eval_with_tmpdir(
        tmp.path(),
        scratch.path(),
        &[
            "--models",
            models.to_str().unwrap(),
            "--gold",
            gold.to_str().unwrap(),
        ],
    );
    assert!(!out.status.success(), "{}", stderr(&out));
    let kept = workdirs(scratch.path());
    assert_eq!(kept.len(), 1, "{kept:?}");
    let err = stderr(&out);
    assert!(
        err.contains(&format!("are kept in {}", kept[0].display())),
        "{err}"
    );
    assert!(kept[0]
        .join("input")
        .join(format!("{}.txt", common::ARTICLE))
        .exists());
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(&kept[0]).unwrap().permissions().mode();
        assert_eq!(mode & 0o777, 0o700, "{mode:o}");
    }
}

#[test]
fn a_command_whose_output_matches_no_article_is_bad_data_with_its_workdir_kept() {
    let (tmp, gold) = gold_copy();
    let scratch = tempfile::tempdir().unwrap();
    let write = "import os, sys; open(os.path.join(sys.argv[1], 'p.jsonl'), 'w').write(\
                 '{\"article\": \"nope\", \"layers\": [\"mentions\"], \"mentions\": []}\\n')";
    let models = command_models(tmp.path(), &["python3", "-c", write, "{output}"], 30);
    let out = eval_with_tmpdir(
        tmp.path(),
        scratch.path(),
        &[
            "--models",
            models.to_str().unwrap(),
            "--gold",
            gold.to_str().unwrap(),
        ],
    );
    // The kept directory does not hide what went wrong: bad data (65), not an internal error.
    assert_eq!(out.status.code(), Some(65), "{}", stderr(&out));
    assert!(
        stderr(&out).contains("no prediction for any of the"),
        "{}",
        stderr(&out)
    );
    assert!(stderr(&out).contains("are kept in"), "{}", stderr(&out));
    assert_eq!(workdirs(scratch.path()).len(), 1);
}

#[test]
fn keep_workdir_keeps_a_new_directory_for_each_run() {
    let (tmp, gold) = gold_copy();
    let scratch = tempfile::tempdir().unwrap();
    let models = command_models(
        tmp.path(),
        &[
            "python3",
            fixture().to_str().unwrap(),
            "{input}",
            "{output}",
            "--person",
            "Putin",
        ],
        30,
    );
    let args = [
        "--models",
        models.to_str().unwrap(),
        "--gold",
        gold.to_str().unwrap(),
        "--keep-workdir",
        "--json",
    ];
    for run in 1..=2 {
        let out = eval_with_tmpdir(tmp.path(), scratch.path(), &args);
        assert!(out.status.success(), "{}", stderr(&out));
        assert_eq!(workdirs(scratch.path()).len(), run);
        let report = json(&stdout(&out));
        let notes = report["notes"].to_string();
        assert!(notes.contains("work directory is kept in"), "{notes}");
    }
    // Without --keep-workdir nothing is left behind.
    let out = eval_with_tmpdir(tmp.path(), scratch.path(), &args[..4]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert_eq!(workdirs(scratch.path()).len(), 2);
}

#[test]
fn a_timeout_ends_the_programs_whole_process_group() {
    let (tmp, gold) = gold_copy();
    let scratch = tempfile::tempdir().unwrap();
    // A sleep no other process runs: the child of bash outlives bash unless the group is killed.
    let marker = format!("sleep 47.{}", std::process::id());
    let script = format!("{marker} & wait");
    let models = command_models(tmp.path(), &["bash", "-c", &script], 1);
    let out = eval_with_tmpdir(
        tmp.path(),
        scratch.path(),
        &[
            "--models",
            models.to_str().unwrap(),
            "--gold",
            gold.to_str().unwrap(),
        ],
    );
    assert!(!out.status.success());
    assert!(
        stderr(&out).contains("killed with its process group"),
        "{}",
        stderr(&out)
    );
    std::thread::sleep(std::time::Duration::from_millis(300));
    let left = std::process::Command::new("pgrep")
        .args(["-f", &marker])
        .output()
        .unwrap();
    assert!(
        left.stdout.is_empty(),
        "still running: {}",
        String::from_utf8_lossy(&left.stdout)
    );
}

#[test]
fn a_huge_or_non_utf8_stderr_is_shown_capped_and_lossily() {
    let (tmp, gold) = gold_copy();
    let noisy = "import sys; sys.stderr.write('x' * 50_000_000 + '\\nthe end\\n'); sys.exit(2)";
    let models = command_models(tmp.path(), &["python3", "-c", noisy], 60);
    let out = eval(tmp.path(), &models, &gold, &[]);
    assert!(!out.status.success());
    let err = stderr(&out);
    assert!(
        err.contains("the end"),
        "{}",
        &err[err.len().saturating_sub(300)..]
    );
    assert!(err.len() < 100_000, "a {} byte message", err.len());

    let latin1 = "import sys; sys.stderr.buffer.write(b'caf\\xe9 failed\\n'); sys.exit(2)";
    let models = command_models(tmp.path(), &["python3", "-c", latin1], 60);
    let out = eval(tmp.path(), &models, &gold, &[]);
    let err = stderr(&out);
    assert!(err.contains("caf\u{fffd} failed"), "{err}");
}

#[cfg(unix)]
#[test]
fn sigterm_removes_the_command_workdir() {
    let (tmp, gold) = gold_copy();
    let scratch = tempfile::tempdir().unwrap();
    let models = command_models(tmp.path(), &["sleep", "30"], 60);
    let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_quoteval-ner"))
        .args([
            "eval",
            "--models",
            models.to_str().unwrap(),
            "--gold",
            gold.to_str().unwrap(),
        ])
        .current_dir(tmp.path())
        .env("TMPDIR", scratch.path())
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap();
    let started = std::time::Instant::now();
    while workdirs(scratch.path()).is_empty() {
        assert!(
            started.elapsed().as_secs() < 20,
            "no work directory appeared"
        );
        std::thread::sleep(std::time::Duration::from_millis(50));
    }
    std::thread::sleep(std::time::Duration::from_millis(200));
    let pid = child.id().to_string();
    std::process::Command::new("kill")
        .args(["-TERM", &pid])
        .status()
        .unwrap();
    let status = child.wait().unwrap();
    assert_eq!(status.code(), Some(130));
    assert!(
        workdirs(scratch.path()).is_empty(),
        "{:?}",
        workdirs(scratch.path())
    );
}

#[test]
fn a_crlf_article_keeps_its_offsets_through_a_command() {
    let tmp = tempfile::tempdir().unwrap();
    let gold = tmp.path().join("gold");
    std::fs::create_dir(&gold).unwrap();
    let text = "Headline\r\nPutin met Trump in Alaska.\r\nTrump said “yes.”\r\n";
    std::fs::write(gold.join("a.txt"), text).unwrap();
    std::fs::write(
        gold.join("a.json"),
        r#"{"schema": "quoteval-annotation/2", "article": "a", "layers": ["mentions"],
            "mentions": [{"type": "PERSON", "text": "Putin"},
                         {"type": "PERSON", "text": "Trump", "occurrence": 1},
                         {"type": "PLACE", "text": "Alaska"},
                         {"type": "PERSON", "text": "Trump", "occurrence": 2}]}"#,
    )
    .unwrap();
    let models = models_toml(
        tmp.path(),
        "cmd",
        &command_entry("cmd", ", \"--place\", \"Alaska\"", false),
    );
    let out = eval(tmp.path(), &models, &gold, &["--json"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let report = json(&stdout(&out));
    assert_eq!(
        report["totals"]["metrics"]["entities"]["micro"]["strict"]["f1"].as_f64(),
        Some(1.0),
        "{}",
        report["totals"]["counts"]["entities"]["overall"]
    );
}
