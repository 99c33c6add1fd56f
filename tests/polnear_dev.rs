//! PolNeAR dev with every quoteval layer: the committed standoff layers (`gold/polnear/dev`, and
//! the two annotators' before adjudication) laid over the corpus's own text and attributions.
//!
//! The corpus is not in the repository (it has no licence to be): these tests read it from
//! `../shared/data/polnear/dev` or `$QUOTEVAL_POLNEAR_DEV`. CI has it (`.ci/run` fails without
//! it); elsewhere each test says on a line of its own that it did not run, and why.

mod common;

use std::path::{Path, PathBuf};

use common::{assert_readme_row, cells, quoteval, readme_row, stderr, stdout};
use quoteval::annotation::Layer;
use quoteval::format::polnear;

/// The dev split, or `None` after saying that the test did not run.
fn dev_split(test: &str) -> Option<PathBuf> {
    let dir = std::env::var_os("QUOTEVAL_POLNEAR_DEV")
        .map(PathBuf::from)
        .unwrap_or_else(|| {
            Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/data/polnear/dev")
        });
    if dir.join("text").is_dir() && dir.join("attributions").is_dir() {
        Some(dir)
    } else if std::env::var("CI").is_ok_and(|v| v == "true") {
        panic!("{test}: CI has no PolNeAR dev split at {}", dir.display());
    } else {
        println!(
            "\n{test}: DID NOT RUN: no PolNeAR dev split at {} (set QUOTEVAL_POLNEAR_DEV)",
            dir.display()
        );
        None
    }
}

fn layers_dir(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("gold/polnear")
        .join(name)
}

/// `gold import --format polnear SPLIT --layers gold/polnear/LAYERS --out OUT`.
fn import(split: &Path, layers: &str, out: &Path) {
    let run = quoteval(&[
        "gold",
        "import",
        "--format",
        "polnear",
        split.to_str().unwrap(),
        "--layers",
        layers_dir(layers).to_str().unwrap(),
        "--out",
        out.to_str().unwrap(),
    ]);
    assert!(run.status.success(), "{}", stderr(&run));
}

#[test]
fn every_dev_article_has_every_layer_and_each_attribution_its_speakers() {
    let Some(split) = dev_split("every_dev_article_has_every_layer") else {
        return;
    };
    let docs = polnear::import_split_with_layers(&split, &layers_dir("dev"))
        .unwrap_or_else(|p| panic!("{p}"));
    assert_eq!(docs.len(), 84);
    let mentions: usize = docs.iter().map(|(_, d)| d.mentions.len()).sum();
    assert!(mentions >= 3_000, "{mentions} gold mentions");
    let mut joint = 0;
    let speakers: usize = docs.iter().map(|(_, d)| d.speakers.len()).sum();
    assert!(speakers >= 800, "{speakers} speakers");
    for (article, doc) in &docs {
        assert_eq!(doc.layers, Layer::ALL.to_vec(), "{}", article.id);
        for q in &doc.quotes {
            for name in q.speaker_names() {
                assert!(doc.speaker(name).is_some(), "{}: {name}", article.id);
            }
            joint += usize::from(!q.joint_speakers.is_empty());
        }
        // The scorer's own consistency rules hold for the merged gold.
        let problems = quoteval::check::check_rules(
            doc,
            Path::new(&article.id),
            quoteval::check::Rules::Scoring,
        );
        assert!(problems.is_empty(), "{problems:?}");
    }
    assert!(joint > 0, "no joint source in PolNeAR dev");
}

#[test]
fn a_changed_text_is_refused_naming_the_article() {
    let Some(split) = dev_split("a_changed_text_is_refused_naming_the_article") else {
        return;
    };
    let tmp = tempfile::tempdir().unwrap();
    let (text, ann) = (tmp.path().join("text"), tmp.path().join("attributions"));
    std::fs::create_dir_all(&text).unwrap();
    std::fs::create_dir_all(&ann).unwrap();
    let id = "breitbart_2016-09-12_stealth-over-health-hillary-clin";
    let original = std::fs::read_to_string(split.join(format!("text/{id}.txt"))).unwrap();
    std::fs::write(
        text.join(format!("{id}.txt")),
        original.replacen("Stealth", "Steаlth", 1), // a Cyrillic а: same length, other text
    )
    .unwrap();
    for entry in std::fs::read_dir(split.join("attributions")).unwrap() {
        let path = entry.unwrap().path();
        if path.file_name().unwrap().to_string_lossy().starts_with(id) {
            std::fs::copy(&path, ann.join(path.file_name().unwrap())).unwrap();
        }
    }
    let only = tmp.path().join("layers");
    std::fs::create_dir(&only).unwrap();
    std::fs::copy(
        layers_dir("dev").join(format!("{id}.json")),
        only.join(format!("{id}.json")),
    )
    .unwrap();
    let err = polnear::import_split_with_layers(tmp.path(), &only)
        .unwrap_err()
        .to_string();
    assert!(
        err.contains(&format!("the text of article {id} differs")),
        "{err}"
    );
}

/// The agreement of the two annotators before adjudication, as `gold agree` computes it, is
/// the one `gold/polnear/AGREEMENT.md` records.
#[test]
fn the_recorded_agreement_is_what_gold_agree_computes() {
    let Some(split) = dev_split("the_recorded_agreement_is_what_gold_agree_computes") else {
        return;
    };
    let tmp = tempfile::tempdir().unwrap();
    let (a, b) = (tmp.path().join("a"), tmp.path().join("b"));
    for (side, out) in [("annotator-a", &a), ("annotator-b", &b)] {
        import(&split, side, out);
    }
    let run = quoteval(&[
        "gold",
        "agree",
        a.to_str().unwrap(),
        b.to_str().unwrap(),
        "--json",
    ]);
    assert!(run.status.success(), "{}", stderr(&run));
    let report: serde_json::Value = serde_json::from_str(&stdout(&run)).unwrap();
    let recorded = std::fs::read_to_string(layers_dir("AGREEMENT.md")).unwrap();
    let m = &report["totals"]["metrics"];
    for (name, value, floor) in [
        (
            "mentions strict F1",
            &m["entities"]["micro"]["strict"]["f1"],
            0.95,
        ),
        ("speakers F1", &m["speakers"]["f1"], 0.90),
        ("places F1", &m["places"]["f1"], 0.95),
        (
            "attribution-to-speaker agreement",
            &m["quotes"]["0.3"]["all"]["speaker_by_name"],
            0.90,
        ),
    ] {
        let v = value.as_f64().unwrap_or_else(|| panic!("{name}: {value}"));
        assert!(v >= floor, "{name} {v:.3} is below {floor}");
        let line = format!("| {name} | {v:.3} |");
        assert!(
            recorded.contains(&line),
            "AGREEMENT.md does not record `{line}`"
        );
    }
}

/// The default entry on PolNeAR dev with every layer: the corpus is large enough that the
/// interval of entity F1 is narrower than ±0.02, and every layer is scored.
#[test]
fn the_default_on_dev_has_intervals_narrow_enough_to_decide() {
    let Some(split) = dev_split("the_default_on_dev_has_intervals_narrow_enough_to_decide") else {
        return;
    };
    let tmp = tempfile::tempdir().unwrap();
    let corpus = tmp.path().join("dev");
    import(&split, "dev", &corpus);
    let run = quoteval(&["eval", "--gold", corpus.to_str().unwrap(), "--json"]);
    assert!(run.status.success(), "{}", stderr(&run));
    let report: serde_json::Value = serde_json::from_str(&stdout(&run)).unwrap();
    let counts = &report["totals"]["counts"]["entities"]["overall"]["strict"];
    let gold = counts["correct"].as_u64().unwrap()
        + counts["incorrect"].as_u64().unwrap()
        + counts["partial"].as_u64().unwrap_or(0)
        + counts["missed"].as_u64().unwrap();
    assert!(gold >= 3_000, "{gold} gold mentions");
    let interval = &report["totals"]["intervals"]["entities.strict.f1"];
    let (low, high) = (
        interval["low"].as_f64().unwrap(),
        interval["high"].as_f64().unwrap(),
    );
    assert!(
        high - low < 0.04,
        "interval [{low}, {high}] is ±0.02 or wider"
    );
    assert_readme_row(
        &readme_row("default (joint, one encoder)", "PolNeAR dev (84 articles)"),
        &cells(&report),
        "the default's README row on PolNeAR dev (84 articles)",
    );
    for metric in ["speakers.f1", "places.f1", "quotes.0.3.f1"] {
        assert!(
            report["totals"]["intervals"][metric].is_object(),
            "{metric} has no interval"
        );
    }
}
