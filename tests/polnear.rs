//! PolNeAR imported literally: a split written here in PolNeAR's layout (made-up text, never a
//! copy of the corpus) goes through `gold import --format polnear`, is checked quote by quote,
//! and exported to brat again with the same Content spans.

use std::collections::BTreeSet;
use std::path::Path;

use quoteval::annotation::{Article, QuoteKind, Span};
use quoteval::format::brat::{parse_ann, AnnItem};
use quoteval::gold::{export, import, ExchangeFormat};

const ARTICLE: &str = "nyt_2016-02-03_made-up-article";

const TEXT: &str = "Clinton Says Race Is ‘Far From Over’\n\n\
“We are not going anywhere,” Hillary Clinton told supporters in Iowa. “This race is far from over.”\n\n\
Her campaign said the result was “a virtual tie” and that she would win New Hampshire.\n\n\
Aides think that the polls are wrong.";

fn at(needle: &str, k: usize) -> Span {
    Article::new("a", TEXT).occurrences(needle)[k]
}

fn t_line(id: &str, kind: &str, spans: &[Span]) -> String {
    let a = Article::new("a", TEXT);
    let offsets: Vec<String> = spans
        .iter()
        .map(|s| format!("{} {}", s.start, s.end))
        .collect();
    let text: Vec<&str> = spans.iter().map(|s| a.slice(*s)).collect();
    format!("{id}\t{kind} {}\t{}\n", offsets.join(";"), text.join(" "))
}

/// The Content spans of the original annotation, as written (fragments in the order PolNeAR's
/// annotator gave them: the second fragment first).
fn contents() -> Vec<Vec<Span>> {
    vec![
        vec![
            at("“This race is far from over.”", 0),
            at("“We are not going anywhere,”", 0),
        ],
        vec![at(
            "the result was “a virtual tie” and that she would win New Hampshire",
            0,
        )],
        vec![at("that the polls are wrong", 0)],
    ]
}

fn ann() -> String {
    let c = contents();
    let mut s = String::new();
    s += &t_line("T1", "Source", &[at("Hillary Clinton", 0)]);
    s += &t_line("T2", "Cue", &[at("told", 0)]);
    s += &t_line("T3", "Content", &c[0]);
    s += &t_line("T4", "Attribution", &[at("told", 0)]);
    s += "E1\tAttribution:T4 Source:T1 Cue:T2 Content:T3\n";
    s += &t_line("T5", "Source", &[at("Her campaign", 0)]);
    s += &t_line("T6", "Cue", &[at("said", 0)]);
    s += &t_line("T7", "Content", &c[1]);
    s += &t_line("T8", "Attribution", &[at("said", 0)]);
    s += "E2\tAttribution:T8 Source:T5 Cue:T6 Content:T7\n";
    s += &t_line("T9", "Content", &c[2]);
    s += &t_line("T10", "Cue", &[at("think", 0)]);
    s += &t_line("T11", "Attribution", &[at("think", 0)]);
    s += "E3\tAttribution-no-source:T11 Cue:T10 Content:T9\n";
    s += "#1\tAnnotatorNotes T9\tbelief, kept: the corpus annotates it\n";
    s
}

fn write_split(dir: &Path) {
    std::fs::create_dir_all(dir.join("text")).unwrap();
    std::fs::create_dir_all(dir.join("attributions")).unwrap();
    std::fs::write(dir.join("text").join(format!("{ARTICLE}.txt")), TEXT).unwrap();
    std::fs::write(
        dir.join("attributions").join(format!("{ARTICLE}_ab12.ann")),
        ann(),
    )
    .unwrap();
    // A second annotator's file sorts later and is not used.
    std::fs::write(
        dir.join("attributions").join(format!("{ARTICLE}_zz99.ann")),
        "",
    )
    .unwrap();
}

#[test]
fn a_split_is_imported_literally_and_exported_with_the_same_content_spans() {
    let tmp = tempfile::tempdir().unwrap();
    let split = tmp.path().join("dev");
    write_split(&split);
    let corpus = tmp.path().join("corpus");
    let written = import(
        &split,
        ExchangeFormat::Polnear,
        &split,
        &corpus,
        Default::default(),
        None,
        false,
    )
    .unwrap();
    assert_eq!(written.len(), 1);

    let c = quoteval::corpus::Corpus::load(&corpus).unwrap();
    let docs = c.load_annotations(&corpus).unwrap().docs;
    let doc = &docs[ARTICLE];
    let got: Vec<(QuoteKind, Vec<Span>, Option<String>)> = doc
        .quotes
        .iter()
        .map(|q| (q.kind, q.pieces().to_vec(), q.speaker.clone()))
        .collect();
    let mut interrupted = contents()[0].clone();
    interrupted.sort();
    assert_eq!(
        got,
        vec![
            // One speech act in two fragments, marks included as annotated.
            (
                QuoteKind::Direct,
                interrupted,
                Some("Hillary Clinton".to_string())
            ),
            // A reported clause with quoted words: mixed, "that" and all as annotated.
            (
                QuoteKind::Mixed,
                contents()[1].clone(),
                Some("Her campaign".to_string())
            ),
            (QuoteKind::Indirect, contents()[2].clone(), None),
        ]
    );
    assert!(doc.notes[0].contains(&format!("{ARTICLE}_ab12.ann")));
    assert!(doc.notes.iter().any(|n| n.contains("_zz99.ann")));

    // Exported to brat, the Quote spans are PolNeAR's Content spans.
    let out = tmp.path().join("brat");
    export(&corpus, ExchangeFormat::Brat, &out, false).unwrap();
    let text = std::fs::read_to_string(out.join(format!("{ARTICLE}.ann"))).unwrap();
    let spans = |items: Vec<AnnItem>, kind: &str| -> BTreeSet<Vec<(usize, usize)>> {
        items
            .into_iter()
            .filter_map(|i| match i {
                AnnItem::Text {
                    kind: k, fragments, ..
                } if k == kind => {
                    let mut f = fragments;
                    f.sort();
                    Some(f)
                }
                _ => None,
            })
            .collect()
    };
    let exported = spans(parse_ann(&text, Path::new("x.ann")).unwrap(), "Quote");
    let original = spans(parse_ann(&ann(), Path::new("y.ann")).unwrap(), "Content");
    assert_eq!(exported, original);
}

#[test]
fn a_content_span_that_does_not_match_the_text_names_file_and_line() {
    let tmp = tempfile::tempdir().unwrap();
    let split = tmp.path().join("dev");
    write_split(&split);
    let file = split
        .join("attributions")
        .join(format!("{ARTICLE}_ab12.ann"));
    let broken = ann().replace("\tthat the polls are wrong", "\tthat the polls are right");
    std::fs::write(&file, broken).unwrap();
    let err = import(
        &split,
        ExchangeFormat::Polnear,
        &split,
        &tmp.path().join("corpus"),
        Default::default(),
        None,
        false,
    )
    .unwrap_err()
    .to_string();
    assert!(err.contains("_ab12.ann:"), "{err}");
    assert!(err.contains("T9"), "{err}");
    assert!(!tmp.path().join("corpus").exists(), "nothing is written");
}
