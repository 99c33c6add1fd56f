//! Predictions given by text alone, as a language model writes them: no offsets, no occurrence
//! numbers, no kinds, straight quotation marks and collapsed whitespace. quoteval places each
//! item (exact, normalised, approximate) and counts what it cannot place as a false positive,
//! "not in the article", never dropping it.

mod common;

use std::path::Path;

use common::{quoteval, stderr, stdout};
use quoteval::annotation::Document;
use quoteval::corpus::Corpus;
use quoteval::format::json::read_document;

const INVENTED: &str = "We will build a bridge to the moon by Friday";

/// The gold as a language model would return it: texts only, marks straightened, whitespace
/// collapsed, no kinds, plus one invented quote per article.
fn text_only_line(doc: &Document) -> serde_json::Value {
    let flat = |t: &str| {
        t.replace(['“', '”'], "\"")
            .replace('’', "'")
            .split_whitespace()
            .collect::<Vec<_>>()
            .join(" ")
    };
    let mentions: Vec<serde_json::Value> = doc
        .mentions
        .iter()
        .map(|m| serde_json::json!({"type": m.entity_type.as_str(), "text": doc.text_of(m.span)}))
        .collect();
    let mut quotes: Vec<serde_json::Value> = doc
        .quotes
        .iter()
        .map(|q| {
            let pieces: Vec<String> = q.pieces().iter().map(|p| flat(doc.text_of(*p))).collect();
            let mut item = if pieces.len() == 1 {
                serde_json::json!({"text": pieces[0]})
            } else {
                serde_json::json!({"fragments": pieces})
            };
            if let Some(cue) = q.cue {
                item["cue"] = doc.text_of(cue).into();
            }
            if let Some(s) = &q.speaker {
                item["speaker"] = s.as_str().into();
            }
            item
        })
        .collect();
    quotes.push(serde_json::json!({"text": INVENTED, "speaker": "Nobody"}));
    serde_json::json!({
        "article": doc.id(),
        "mentions": mentions,
        "quotes": quotes,
        "speakers": doc.speakers.iter().map(|s| serde_json::json!({"name": s.name, "type": s.speaker_type.as_str(), "aliases": s.aliases})).collect::<Vec<_>>(),
        "places": doc.places.iter().map(|p| serde_json::json!({"name": p.name, "aliases": p.aliases})).collect::<Vec<_>>(),
    })
}

#[test]
fn the_gold_by_text_alone_scores_perfectly_and_an_invented_quote_is_named() {
    let gold = Path::new(env!("CARGO_MANIFEST_DIR")).join("gold");
    let corpus = Corpus::load(&gold).unwrap();
    let tmp = tempfile::tempdir().unwrap();
    let pred = tmp.path().join("llm.jsonl");
    let mut lines = String::new();
    for article in &corpus.articles {
        let doc = read_document(&gold.join(format!("{}.json", article.id)), article.clone())
            .unwrap_or_else(|p| panic!("{p:?}"));
        lines.push_str(&text_only_line(&doc).to_string());
        lines.push('\n');
    }
    std::fs::write(&pred, lines).unwrap();
    let html = tmp.path().join("r.html");
    let o = quoteval(&[
        "score",
        gold.to_str().unwrap(),
        pred.to_str().unwrap(),
        "--json",
        "--html",
        html.to_str().unwrap(),
    ]);
    assert!(o.status.success(), "{}", stderr(&o));
    let report: serde_json::Value = serde_json::from_str(&stdout(&o)).unwrap();
    let m = &report["totals"]["metrics"];
    assert_eq!(m["entities"]["micro"]["strict"]["f1"].as_f64(), Some(1.0));
    assert_eq!(m["quotes"]["0.8"]["all"]["recall"].as_f64(), Some(1.0));
    let articles = corpus.articles.len() as u64;
    let fp = report["totals"]["counts"]["quotes"]["0.3"]["all"]["tally"]["fp"]
        .as_u64()
        .unwrap();
    assert_eq!(
        fp, articles,
        "one false positive per article: the invented quote"
    );
    // Each invented quote is listed under its own class with the text the model wrote, and
    // every placed item says how it was placed.
    let mut invented = 0;
    let mut normalised = 0;
    for a in report["articles"].as_array().unwrap() {
        for item in a["items"].as_array().unwrap() {
            if item["outcome"] == "not_in_article" {
                assert_eq!(item["pred"], INVENTED);
                assert_eq!(item["layer"], "quotes");
                invented += 1;
            }
            if item["anchored"]["how"] == "normalised" {
                normalised += 1;
            }
        }
    }
    assert_eq!(invented, articles);
    assert!(
        normalised > 0,
        "straightened marks are placed after normalising"
    );
    assert!(report["notes"].to_string().contains("not in the article"));
    let taxonomy = &report["analysis"]["quotes"]["taxonomy"];
    assert_eq!(taxonomy["not_in_article"].as_u64(), Some(articles));
    // The error list and the HTML report name the class and the text.
    let o = quoteval(&[
        "score",
        gold.to_str().unwrap(),
        pred.to_str().unwrap(),
        "--errors",
    ]);
    assert!(stdout(&o).contains(&format!(
        "not_in_article\tquote indirect\tpred {INVENTED:?}"
    )));
    let page = std::fs::read_to_string(&html).unwrap();
    assert!(page.contains("not in the article"));
}

#[test]
fn gold_still_needs_kinds_and_exact_anchors() {
    let tmp = tempfile::tempdir().unwrap();
    std::fs::write(tmp.path().join("a.txt"), "Putin said: “No.” Putin left.").unwrap();
    std::fs::write(
        tmp.path().join("a.json"),
        r#"{"schema": "quoteval-annotation/2", "article": "a", "layers": ["mentions", "quotes"],
            "mentions": [{"type": "PERSON", "text": "Putin"}],
            "quotes": [{"text": "No."}]}"#,
    )
    .unwrap();
    let o = quoteval(&["gold", "check", tmp.path().to_str().unwrap()]);
    assert!(!o.status.success());
    let err = stderr(&o);
    assert!(err.contains("occurs 2 times"), "{err}");
    assert!(err.contains("needs \"kind\""), "{err}");
}

#[test]
fn score_labels_reads_another_label_set() {
    let tmp = tempfile::tempdir().unwrap();
    let gold = tmp.path().join("gold");
    std::fs::create_dir(&gold).unwrap();
    std::fs::write(gold.join("a.txt"), "Putin flew to Alaska.").unwrap();
    std::fs::write(
        gold.join("a.json"),
        r#"{"schema": "quoteval-annotation/2", "article": "a", "layers": ["mentions"],
            "mentions": [{"type": "PERSON", "text": "Putin"}, {"type": "PLACE", "text": "Alaska"}]}"#,
    )
    .unwrap();
    let pred = tmp.path().join("p.jsonl");
    std::fs::write(
        &pred,
        r#"{"article": "a", "layers": ["mentions"], "mentions": [{"type": "PER", "text": "Putin"}, {"type": "LOC", "text": "Alaska"}]}"#,
    )
    .unwrap();
    let run = |labels: &str| {
        quoteval(&[
            "score",
            gold.to_str().unwrap(),
            pred.to_str().unwrap(),
            "--labels",
            labels,
            "--json",
        ])
    };
    let o = run("conll2003");
    assert!(o.status.success(), "{}", stderr(&o));
    let report: serde_json::Value = serde_json::from_str(&stdout(&o)).unwrap();
    assert_eq!(
        report["totals"]["metrics"]["entities"]["micro"]["strict"]["f1"].as_f64(),
        Some(1.0)
    );
    // In our own label set PER is no type: a bad-input error naming it.
    let o = run("quoteval");
    assert_eq!(o.status.code(), Some(65), "{}", stderr(&o));
    assert!(stderr(&o).contains("PER"), "{}", stderr(&o));
}

/// `adapters/openai_chat.py` as a command stage, on recorded answers in the endpoint's own
/// response format (hand-written; no network): a malformed first answer is retried, every raw
/// answer is saved, and the text-only answer is placed by quoteval, the invented quote counted
/// as not in the article.
#[test]
fn the_openai_adapter_replays_recorded_answers_through_the_anchoring() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let tmp = tempfile::tempdir().unwrap();
    let gold = tmp.path().join("gold");
    std::fs::create_dir(&gold).unwrap();
    std::fs::write(
        gold.join("a1.txt"),
        "Kremlin aide Yuri Ushakov said on Tuesday that the talks in Moscow were “useful”.\n\n\
         “We are not giving up,” Ushakov told reporters. “Peace is possible.”\n",
    )
    .unwrap();
    std::fs::write(
        gold.join("a1.json"),
        r#"{"schema": "quoteval-annotation/2", "article": "a1",
          "mentions": [{"type": "ORG", "text": "Kremlin"}, {"type": "PERSON", "text": "Yuri Ushakov"},
                       {"type": "PLACE", "text": "Moscow"}, {"type": "PERSON", "text": "Ushakov", "occurrence": 2}],
          "quotes": [{"kind": "mixed", "text": "the talks in Moscow were “useful”", "cue": {"text": "said"}, "speaker": "Yuri Ushakov"},
                     {"kind": "direct", "fragments": [{"text": "We are not giving up,"}, {"text": "Peace is possible."}],
                      "cue": {"text": "told"}, "speaker": "Yuri Ushakov"}],
          "speakers": [{"name": "Yuri Ushakov", "type": "PERSON", "aliases": ["Ushakov"]}],
          "places": [{"name": "Moscow"}]}"#,
    )
    .unwrap();
    std::fs::write(
        gold.join("a2.txt"),
        "Zelenskyy’s office said Kyiv would not cede land.\n",
    )
    .unwrap();
    std::fs::write(
        gold.join("a2.json"),
        r#"{"schema": "quoteval-annotation/2", "article": "a2",
          "mentions": [{"type": "PERSON", "text": "Zelenskyy"}, {"type": "PLACE", "text": "Kyiv", "occurrence": 1}],
          "quotes": [{"kind": "indirect", "text": "Kyiv would not cede land", "cue": {"text": "said"}, "speaker": "Zelenskyy’s office"}],
          "speakers": [{"name": "Zelenskyy’s office", "type": "ORG", "named": false}],
          "places": [{"name": "Kyiv"}]}"#,
    )
    .unwrap();
    let raw = tmp.path().join("raw");
    let command = serde_json::json!([
        "python3",
        root.join("adapters/openai_chat.py"),
        "{input}",
        "{output}",
        "--replay",
        root.join("tests/fixtures/openai_replay"),
        "--save-raw",
        raw,
    ]);
    let models = tmp.path().join("models.toml");
    std::fs::write(
        &models,
        format!(
            "[models.llm.ner]\nbackend = \"command\"\ncommand = {command}\n\
             [models.llm.quotes]\nbackend = \"command\"\ncommand = {command}\n"
        ),
    )
    .unwrap();
    let o = quoteval(&[
        "eval",
        "--models",
        models.to_str().unwrap(),
        "--model",
        "llm",
        "--gold",
        gold.to_str().unwrap(),
        "--json",
    ]);
    assert!(o.status.success(), "{}", stderr(&o));
    let report: serde_json::Value = serde_json::from_str(&stdout(&o)).unwrap();
    let m = &report["totals"]["metrics"];
    assert_eq!(m["entities"]["micro"]["strict"]["f1"].as_f64(), Some(1.0));
    assert_eq!(m["quotes"]["0.8"]["all"]["recall"].as_f64(), Some(1.0));
    assert_eq!(m["quotes"]["0.3"]["all"]["precision"].as_f64(), Some(0.75));
    assert_eq!(
        m["quotes"]["0.3"]["all"]["speaker_by_name"].as_f64(),
        Some(1.0)
    );
    assert_eq!(m["speakers"]["f1"].as_f64(), Some(1.0));
    let items: Vec<&serde_json::Value> = report["articles"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|a| a["items"].as_array().unwrap())
        .collect();
    let invented: Vec<_> = items
        .iter()
        .filter(|i| i["outcome"] == "not_in_article")
        .collect();
    assert_eq!(invented.len(), 1);
    assert_eq!(invented[0]["pred"], "Russia will win the war by Christmas");
    // The doubled space of a2's answer was placed after normalising.
    assert!(items
        .iter()
        .any(|i| i["layer"] == "quotes" && i["anchored"]["how"] == "normalised"));
    // Both attempts of a1 are kept, the one of a2 alone.
    let a1: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(raw.join("a1.json")).unwrap()).unwrap();
    assert_eq!(a1.as_array().map(Vec::len), Some(2));
    assert!(raw.join("a2.json").exists());
}
