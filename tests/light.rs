//! The light `quoteval` (built without the `ner` feature; src/handoff.rs says why): it links no
//! libtorch, runs the commands without a model itself with the same output as `quoteval-ner`,
//! and hands the commands that run a model to the `quoteval-ner` beside it.
//!
//! The other CLI tests run `quoteval-ner` (the one binary a `cargo test` invocation can build with
//! `ner`); this one first builds `quoteval` in a second cargo invocation, in this test's profile
//! and target directory, so it never runs a stale one (a no-op after `make build`).
#![cfg(feature = "ner")]

mod common;

use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::sync::OnceLock;

use common::{stderr, stdout};

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

fn ner() -> &'static Path {
    Path::new(env!("CARGO_BIN_EXE_quoteval-ner"))
}

/// The light `quoteval`, built once per test run beside `quoteval-ner`.
fn light() -> &'static Path {
    static LIGHT: OnceLock<PathBuf> = OnceLock::new();
    LIGHT.get_or_init(|| {
        let profile_dir = ner().parent().expect("a profile directory");
        let profile = match profile_dir.file_name().and_then(|n| n.to_str()) {
            Some("debug") => "dev",
            Some(name) => name,
            None => panic!("{}: no profile directory", ner().display()),
        };
        let target_dir = profile_dir.parent().expect("a target directory");
        let status = Command::new(env!("CARGO"))
            .args(["build", "--no-default-features", "--features", "light"])
            .args(["--bin", "quoteval", "--profile", profile, "--target-dir"])
            .arg(target_dir)
            .current_dir(root())
            .status()
            .expect("run cargo");
        assert!(status.success(), "building the light quoteval failed");
        profile_dir.join(format!("quoteval{}", std::env::consts::EXE_SUFFIX))
    })
}

fn run(bin: &Path, args: &[&str]) -> Output {
    Command::new(bin)
        .args(args)
        .current_dir(root())
        .env_remove("QUOTEVAL_HANDED_OFF")
        .output()
        .expect("run quoteval")
}

/// The same exit code, stdout and stderr from both builds.
fn assert_same(args: &[&str]) -> Output {
    let light = run(light(), args);
    let ner = run(ner(), args);
    assert_eq!(light.status.code(), ner.status.code(), "{args:?}");
    assert_eq!(stdout(&light), stdout(&ner), "{args:?}");
    assert_eq!(stderr(&light), stderr(&ner), "{args:?}");
    light
}

fn contains(haystack: &[u8], needle: &[u8]) -> bool {
    haystack.windows(needle.len()).any(|w| w == needle)
}

#[test]
fn the_light_build_links_no_libtorch() {
    // The libraries a binary needs are named in its dynamic string table.
    let light = std::fs::read(light()).unwrap();
    let ner = std::fs::read(ner()).unwrap();
    assert!(contains(&ner, b"libc10.so"), "the probe finds libtorch");
    assert!(!contains(&light, b"libc10.so"));
    assert!(!contains(&light, b"libtorch_cpu.so"));
}

#[test]
fn commands_without_a_model_run_in_quoteval_as_in_quoteval_ner() {
    let conll = "tests/data/conll/synth_iob2.txt";
    for args in [
        &["--help"][..],
        &["eval", "--help"],
        &["gold", "check", "gold"],
        &["score", "gold", "gold", "--csv"],
        &["score", "--conll", conll],
        &["score", "--conll", conll, "--json"],
        &["compare", "--list-metrics"],
        &["gold", "check", "no-such-dir"],
        &["score", "--bogus"],
    ] {
        assert_same(args);
    }
    assert!(run(light(), &["gold", "check", "gold"]).status.success());
}

#[test]
fn eval_of_predictions_runs_in_quoteval_without_quoteval_ner() {
    // Alone in a directory: a hand-off would fail, so the success is the light build's own.
    let dir = tempfile::tempdir().unwrap();
    let alone = dir.path().join("quoteval");
    std::fs::copy(light(), &alone).unwrap();
    let gold = root().join("gold");
    let models = dir.path().join("models.toml");
    std::fs::write(
        &models,
        format!(
            "default = \"echo\"\n[models.echo]\npredictions = {:?}\n",
            gold.display().to_string()
        ),
    )
    .unwrap();
    let models = models.to_string_lossy().into_owned();
    let gold = gold.to_string_lossy().into_owned();
    let args = ["eval", "--models", &models, "--gold", &gold, "--csv"];
    let out = run(&alone, &args);
    assert!(out.status.success(), "{}", stderr(&out));
    assert_eq!(stdout(&out), stdout(&run(ner(), &args)));
}

#[test]
fn eval_of_a_model_is_handed_to_quoteval_ner() {
    // The default model (`make setup`); the report is the same as quoteval-ner's own.
    assert_same(&["eval", "--csv"]);
    // Errors and exit codes come through unchanged (a bad --device: 65, the entry as overridden).
    let out = assert_same(&["eval", "--device", "tpu"]);
    assert!(!out.status.success(), "{}", stderr(&out));
}

#[test]
fn a_missing_quoteval_ner_is_named_with_the_fix() {
    let dir = tempfile::tempdir().unwrap();
    let alone = dir.path().join("quoteval");
    std::fs::copy(light(), &alone).unwrap();
    let models = root().join("models.toml");
    let models = models.to_string_lossy();
    for args in [
        &["eval", "--models", &models][..],
        &[
            "gold",
            "draft",
            "--models",
            &models,
            "--out",
            "/nonexistent",
        ],
    ] {
        let out = run(&alone, args);
        assert_eq!(out.status.code(), Some(70), "{args:?}");
        let err = stderr(&out);
        let expected = dir.path().canonicalize().unwrap().join("quoteval-ner");
        assert!(err.contains(&expected.display().to_string()), "{err}");
        assert!(err.contains("make setup"), "{err}");
    }
    // A light build in quoteval-ner's place fails instead of handing off to itself.
    std::fs::copy(light(), dir.path().join("quoteval-ner")).unwrap();
    let out = run(&alone, &["eval", "--models", &models]);
    assert_eq!(out.status.code(), Some(70));
    assert!(
        stderr(&out).contains("without the `ner` feature"),
        "{}",
        stderr(&out)
    );
}
