//! The HTML error-analysis report, opened in a real browser: headless Chromium (Debian's
//! `chromium`, installed by `make setup`) renders the report of the gold corpus against a damaged
//! copy of its own gold (so that every error class occurs), and of a `compare` of two such runs.
//! The page must raise no console message or error, and every article and every error class
//! must be in the rendered DOM. A missing Chromium fails these tests; it never skips them.

use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::time::{Duration, Instant};

use quoteval::annotation::{Document, EntityType, Mention, Quote, QuoteKind, Span};
use quoteval::format::json::{path_for, write_document};

fn repo() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

fn quoteval(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_quoteval-ner"))
        .args(args)
        .current_dir(repo())
        .output()
        .expect("run quoteval")
}

fn ok(o: &Output) -> String {
    assert!(
        o.status.success(),
        "quoteval failed: {}\n{}",
        String::from_utf8_lossy(&o.stdout),
        String::from_utf8_lossy(&o.stderr)
    );
    String::from_utf8_lossy(&o.stdout).into_owned()
}

fn chromium() -> PathBuf {
    // An empty CHROMIUM is unset (as setup-chromium.sh reads it).
    let path = std::env::var_os("CHROMIUM")
        .filter(|v| !v.is_empty())
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from("/usr/bin/chromium"));
    assert!(
        path.exists(),
        "the HTML report's browser test needs Chromium at {} (or set CHROMIUM=/path/to/chromium); \
         `make setup` installs Debian's chromium (scripts/setup-chromium.sh)",
        path.display()
    );
    path
}

/// What the browser made of a page: the DOM after the page's scripts ran, and every console
/// message it printed (the page itself never logs, so any message is a problem).
struct Rendered {
    dom: String,
    console: Vec<String>,
}

fn open(page: &Path, fragment: &str) -> Rendered {
    // QUOTEVAL_HTML_KEEP=DIR keeps a copy of every page the tests open, to look at.
    if let Some(keep) = std::env::var_os("QUOTEVAL_HTML_KEEP") {
        std::fs::create_dir_all(&keep).unwrap();
        std::fs::copy(page, Path::new(&keep).join(page.file_name().unwrap())).unwrap();
    }
    let profile = tempfile::tempdir().unwrap();
    let url = format!("file://{}#{fragment}", page.display());
    let mut child = Command::new(chromium())
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--enable-logging=stderr",
            "--v=0",
        ])
        .arg(format!("--user-data-dir={}", profile.path().display()))
        .arg("--dump-dom")
        .arg(&url)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("start chromium");
    let started = Instant::now();
    // Read both pipes on threads so that a chatty browser cannot block on a full pipe.
    let mut out = child.stdout.take().unwrap();
    let mut err = child.stderr.take().unwrap();
    let out = std::thread::spawn(move || {
        let mut s = String::new();
        std::io::Read::read_to_string(&mut out, &mut s).ok();
        s
    });
    let err = std::thread::spawn(move || {
        let mut s = String::new();
        std::io::Read::read_to_string(&mut err, &mut s).ok();
        s
    });
    loop {
        if child.try_wait().unwrap().is_some() {
            break;
        }
        if started.elapsed() > Duration::from_secs(180) {
            child.kill().ok();
            panic!("chromium did not finish rendering {url} within 180 s");
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    let dom = out.join().unwrap();
    let stderr = err.join().unwrap();
    let console = stderr
        .lines()
        .filter(|l| l.contains(":CONSOLE"))
        .map(str::to_string)
        .collect();
    assert!(
        dom.contains("</html>"),
        "chromium printed no DOM for {url}; stderr:\n{stderr}"
    );
    Rendered { dom, console }
}

fn assert_clean(r: &Rendered) {
    assert!(
        r.console.is_empty(),
        "console messages:\n{}",
        r.console.join("\n")
    );
    assert!(
        r.dom.contains("<pre id=\"page-errors\" hidden=\"\"></pre>"),
        "the page recorded errors: {}",
        r.dom
            .split("<pre id=\"page-errors\"")
            .nth(1)
            .and_then(|s| s.split("</pre>").next())
            .unwrap_or("(no error element)")
    );
    assert!(
        r.dom.contains("data-selftest=\"done\""),
        "the page's script did not finish"
    );
}

/// Number of rendered article elements whose id is `a-<id>`.
fn rendered(dom: &str, id: &str) -> bool {
    let needle = format!("id=\"a-{id}\"");
    dom.split("<details")
        .any(|d| d.contains(&needle) && d.contains("data-rendered=\"1\""))
}

fn gold_ids() -> Vec<String> {
    let mut ids: Vec<String> = std::fs::read_dir(repo().join("gold"))
        .unwrap()
        .filter_map(|e| {
            let p = e.unwrap().path();
            (p.extension()? == "txt").then(|| p.file_stem().unwrap().to_string_lossy().into())
        })
        .collect();
    ids.sort();
    ids
}

/// The gold corpus's own annotation, damaged so that every error class occurs: with `variant`
/// 0 and 1 damaging different items (two "runs" for `compare`).
fn damaged_predictions(dir: &Path, variant: usize) {
    let (_, gold, _) = quoteval::app::load_gold(&repo().join("gold")).unwrap();
    for doc in gold.values() {
        let mut p: Document = doc.clone();
        let n = p.mentions.len();
        let mut kept = Vec::new();
        for (i, m) in p.mentions.iter().enumerate() {
            let mut m = m.clone();
            match (i + variant) % 6 {
                // Wrong type.
                0 => {
                    m.entity_type = match m.entity_type {
                        EntityType::Org => EntityType::Place,
                        EntityType::Place => EntityType::Person,
                        EntityType::Person => EntityType::Org,
                    }
                }
                // Wrong boundary: one character short.
                1 if m.span.len() > 2 => m.span = Span::new(m.span.start + 1, m.span.end),
                // Missed.
                2 => continue,
                _ => {}
            }
            kept.push(m);
        }
        // Spurious: the first character of the text when no mention starts there.
        if n > 0 && !doc.mentions.iter().any(|m| m.span.start == 0) {
            kept.push(Mention {
                span: Span::new(0, 1),
                entity_type: EntityType::Org,
            });
        }
        p.mentions = kept;
        let speakers: Vec<String> = doc.speakers.iter().map(|s| s.name.clone()).collect();
        let mut quotes: Vec<Quote> = Vec::new();
        for (i, q) in doc.quotes.iter().enumerate() {
            let mut q = q.clone();
            match (i + variant) % 5 {
                // Wrong boundary: the last three characters left out.
                0 if q.span.len() > 6 && q.fragments.is_empty() => {
                    q.span = Span::new(q.span.start, q.span.end - 3)
                }
                // Wrong speaker.
                1 => {
                    q.speaker = speakers
                        .iter()
                        .find(|s| Some(s.as_str()) != q.speaker.as_deref())
                        .cloned()
                }
                // Missed.
                2 => continue,
                // Wrong kind.
                3 => {
                    q.kind = match q.kind {
                        QuoteKind::Direct => QuoteKind::Indirect,
                        QuoteKind::Indirect | QuoteKind::Mixed => QuoteKind::Direct,
                    }
                }
                _ => {}
            }
            quotes.push(q);
        }
        // Spurious quote: the first line, when no gold quote touches it.
        let text = doc.article.text();
        let first_line = text.chars().take_while(|&c| c != '\n').count();
        let head = Span::new(0, first_line);
        if first_line > 10 && !doc.quotes.iter().any(|q| q.span.overlaps(&head)) {
            quotes.push(Quote {
                span: head,
                fragments: Vec::new(),
                kind: QuoteKind::Direct,
                cue: None,
                speaker_mention: None,
                speaker: None,
                joint_speakers: Vec::new(),
            });
        }
        p.quotes = quotes;
        p.sort();
        write_document(&p, &path_for(dir, doc.id()), false).unwrap();
    }
}

#[test]
fn the_gold_report_renders_every_article_and_error_class_without_errors() {
    let tmp = tempfile::tempdir().unwrap();
    let pred = tmp.path().join("pred");
    std::fs::create_dir(&pred).unwrap();
    damaged_predictions(&pred, 0);
    let html = tmp.path().join("report.html");
    let json = tmp.path().join("report.json");
    ok(&quoteval(&[
        "score",
        "gold",
        pred.to_str().unwrap(),
        "--json",
        "--out",
        json.to_str().unwrap(),
        "--html",
        html.to_str().unwrap(),
    ]));
    let page = std::fs::read_to_string(&html).unwrap();
    assert!(
        !page.contains("src=\"http") && !page.contains("href=\"http"),
        "the page loads nothing from the network"
    );

    let r = open(&html, "selftest");
    assert_clean(&r);
    for id in gold_ids() {
        assert!(rendered(&r.dom, &id), "article {id} is not rendered");
    }
    // Every error class marks some text: mentions by their background, quotes by their line.
    for class in ["correct", "type", "boundary", "missed", "spurious"] {
        assert!(
            r.dom.contains(&format!("class=\"mk m-{class}")),
            "no mention marked {class} in the text"
        );
    }
    for class in [
        "qg-correct",
        "qg-boundary",
        "qg-speaker",
        "qg-missed",
        "qp-spurious",
    ] {
        assert!(r.dom.contains(class), "no quote marked {class} in the text");
    }
    assert!(r.dom.contains("ORG→PLACE"), "the wrong-type tag is shown");
    // The confusion matrix and taxonomy the JSON carries are the ones on the page.
    let report: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&json).unwrap()).unwrap();
    let org_place = report["analysis"]["mentions"]["confusion"]["cells"]["ORG"]["PLACE"]
        .as_u64()
        .unwrap();
    assert!(org_place > 0);
    assert!(
        r.dom.contains(&format!(
            "data-gold=\"ORG\" data-pred=\"PLACE\">{org_place}</td>"
        )),
        "the ORG→PLACE cell shows {org_place}"
    );
}

#[test]
fn a_comparison_renders_its_changes_without_errors() {
    let tmp = tempfile::tempdir().unwrap();
    let mut reports = Vec::new();
    for variant in 0..2 {
        let pred = tmp.path().join(format!("pred{variant}"));
        std::fs::create_dir(&pred).unwrap();
        damaged_predictions(&pred, variant);
        let json = tmp.path().join(format!("run{variant}.json"));
        ok(&quoteval(&[
            "score",
            "gold",
            pred.to_str().unwrap(),
            "--json",
            "--out",
            json.to_str().unwrap(),
        ]));
        reports.push(json);
    }
    let html = tmp.path().join("compare.html");
    let o = quoteval(&[
        "compare",
        reports[0].to_str().unwrap(),
        reports[1].to_str().unwrap(),
        "--resamples",
        "200",
        "--fail-below",
        "entities.strict.f1=0.5",
        "--html",
        html.to_str().unwrap(),
        "--gold",
        "gold",
    ]);
    ok(&o);
    let r = open(&html, "selftest");
    assert_clean(&r);
    for id in gold_ids() {
        assert!(rendered(&r.dom, &id), "article {id} is not rendered");
    }
    for dir in ["chg-improved", "chg-regressed"] {
        assert!(
            r.dom.contains(&format!("chg {dir}")),
            "no {dir} item outlined in the text"
        );
    }
    assert!(r.dom.contains("Every gate passed."), "the gate verdict");
    assert!(r.dom.contains("entities.strict.f1"), "the deltas table");

    // The corpus must be the one the reports scored.
    let other = tempfile::tempdir().unwrap();
    std::fs::write(other.path().join("x.txt"), "Another text.").unwrap();
    let o = quoteval(&[
        "compare",
        reports[0].to_str().unwrap(),
        reports[1].to_str().unwrap(),
        "--resamples",
        "0",
        "--html",
        tmp.path().join("refused.html").to_str().unwrap(),
        "--gold",
        other.path().to_str().unwrap(),
    ]);
    assert_eq!(o.status.code(), Some(2));
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(err.contains("not the ones the report scored"), "{err}");
}

#[test]
fn untrusted_article_text_is_shown_not_run() {
    let tmp = tempfile::tempdir().unwrap();
    let corpus = tmp.path().join("corpus");
    let pred = tmp.path().join("pred");
    std::fs::create_dir(&corpus).unwrap();
    std::fs::create_dir(&pred).unwrap();
    let text = "Evil </script><script>document.title='pwned'</script> and \
                <img src=x onerror=\"document.title='pwned'\"> said “Kremlin & co” — 😀 Putin.";
    std::fs::write(corpus.join("evil.txt"), text).unwrap();
    let article = std::sync::Arc::new(quoteval::annotation::Article::new("evil", text));
    let at = |s: &str| article.occurrences(s)[0];
    let mut gold = Document::empty(article.clone(), "test");
    gold.status = quoteval::annotation::Status::Reviewed;
    gold.layers = vec![quoteval::annotation::Layer::Mentions];
    gold.mentions = vec![
        Mention {
            span: at("</script><script>"),
            entity_type: EntityType::Org,
        },
        Mention {
            span: at("Putin"),
            entity_type: EntityType::Person,
        },
    ];
    let mut p = gold.clone();
    p.mentions = vec![
        Mention {
            span: at("<img src=x"),
            entity_type: EntityType::Place,
        },
        Mention {
            span: at("Putin"),
            entity_type: EntityType::Person,
        },
    ];
    write_document(&gold, &path_for(&corpus, "evil"), false).unwrap();
    write_document(&p, &path_for(&pred, "evil"), false).unwrap();
    let html = tmp.path().join("evil.html");
    ok(&quoteval(&[
        "score",
        corpus.to_str().unwrap(),
        pred.to_str().unwrap(),
        "--html",
        html.to_str().unwrap(),
    ]));
    let page = std::fs::read_to_string(&html).unwrap();
    assert!(
        !page.contains("<img src=x"),
        "the text is escaped in the file"
    );
    let r = open(&html, "selftest");
    assert_clean(&r);
    assert!(!r.dom.contains("<title>pwned"), "no injected script ran");
    assert!(
        !r.dom.contains("<script>document.title"),
        "no script element was injected"
    );
    assert!(!r.dom.contains("<img"), "no element was injected");
    for shown in [
        "&lt;/script&gt;&lt;script&gt;",
        "&lt;img src=x",
        "onerror=\"document.title=",
    ] {
        assert!(r.dom.contains(shown), "the text {shown} is shown as text");
    }
    // The marks land on the right characters after the emoji (two UTF-16 units).
    assert!(r.dom.contains(">Putin</span>"), "“Putin” is marked exactly");
}

#[test]
fn confusion_table_and_json_agree_and_sides_point_at_their_text() {
    let tmp = tempfile::tempdir().unwrap();
    let pred = tmp.path().join("pred");
    std::fs::create_dir(&pred).unwrap();
    damaged_predictions(&pred, 0);
    let table = ok(&quoteval(&[
        "score",
        "gold",
        pred.to_str().unwrap(),
        "--confusion",
    ]));
    let json = ok(&quoteval(&[
        "score",
        "gold",
        pred.to_str().unwrap(),
        "--json",
    ]));
    let report: serde_json::Value = serde_json::from_str(&json).unwrap();
    let m = &report["analysis"]["mentions"];
    let cells = &m["confusion"]["cells"];
    // The table's ORG row is the JSON's.
    let org_row = table
        .lines()
        .skip_while(|l| !l.starts_with("Entity type confusion"))
        .find(|l| l.starts_with("ORG"))
        .expect("an ORG row in the --confusion table");
    let numbers: Vec<u64> = org_row
        .split_whitespace()
        .skip(1)
        .map(|n| n.parse().unwrap())
        .collect();
    let expected: Vec<u64> = ["PERSON", "PLACE", "ORG", "missed"]
        .iter()
        .map(|c| cells["ORG"][c].as_u64().unwrap())
        .collect();
    assert_eq!(numbers, expected, "{org_row}");
    let t = &m["taxonomy"];
    assert!(
        table.contains(&format!("wrong type {}", t["wrong_type"])),
        "{table}"
    );
    // Every located side's spans cover the item's text (char offsets; the gold has “ ” ’ —).
    let texts: std::collections::BTreeMap<String, Vec<char>> = gold_ids()
        .into_iter()
        .map(|id| {
            let text = std::fs::read_to_string(repo().join("gold").join(format!("{id}.txt")));
            (id, text.unwrap().chars().collect())
        })
        .collect();
    let mut checked = 0;
    for article in report["articles"].as_array().unwrap() {
        let chars = &texts[article["id"].as_str().unwrap()];
        for item in article["items"].as_array().unwrap() {
            for (side, text) in [("gold_side", "gold"), ("pred_side", "pred")] {
                let Some(spans) = item[side]["spans"].as_array() else {
                    continue;
                };
                let at = |i: usize, end: &str| spans[i][end].as_u64().unwrap() as usize;
                // The item's text is the content's hull; each fragment lies inside it, in order.
                let (s, e) = (at(0, "start"), at(spans.len() - 1, "end"));
                let got: String = chars[s..e].iter().collect();
                assert_eq!(Some(got.as_str()), item[text].as_str(), "{item}");
                for i in 1..spans.len() {
                    assert!(at(i - 1, "end") <= at(i, "start"), "{item}");
                }
                checked += 1;
            }
        }
    }
    assert!(checked > 500, "only {checked} sides checked");
}
