//! Imports keep what they read (issue "What a newcomer and a prober hit", item 6): nothing an
//! exchange file says is silently joined, cut or dropped.

use std::path::Path;
use std::sync::Arc;

use quoteval::annotation::Article;
use quoteval::format::{brat, conll, polnear};

const TEXT: &str = "Steve Witkoff met Jared Kushner and Putin in Moscow.";

fn at(needle: &str) -> (usize, usize) {
    let s = Article::new("a", TEXT).occurrences(needle)[0];
    (s.start, s.end)
}

#[test]
fn brat_refuses_a_discontinuous_mention_or_cue() {
    let article = Arc::new(Article::new("a", TEXT));
    let (a0, a1) = at("Steve");
    let (b0, b1) = at("Jared");
    let ann = format!("T1\tPERSON {a0} {a1};{b0} {b1}\tSteve Jared\n");
    let err = brat::from_brat(article.clone(), &ann, Path::new("a.ann"))
        .unwrap_err()
        .to_string();
    assert!(
        err.contains("a.ann:1: T1: a discontinuous PERSON span")
            && err.contains("one span per mention"),
        "{err}"
    );
    let (c0, c1) = at("met");
    let ann = format!("T1\tCue {c0} {c1};{b0} {b1}\tmet Jared\n");
    let err = brat::from_brat(article, &ann, Path::new("a.ann"))
        .unwrap_err()
        .to_string();
    assert!(err.contains("a discontinuous Cue span"), "{err}");
}

#[test]
fn conll_import_of_an_empty_or_truncated_file_is_an_error() {
    let article = Arc::new(Article::new("a", TEXT));
    let err = conll::from_conll(article.clone(), "", Path::new("a.conll")).unwrap_err();
    assert!(err[0].message.contains("no tokens"), "{err:?}");
    let truncated = "Steve B-PERSON\nWitkoff I-PERSON\nmet O\n";
    let err = conll::from_conll(article.clone(), truncated, Path::new("a.conll")).unwrap_err();
    assert!(err[0].message.contains("truncated"), "{err:?}");
    assert_eq!(err[0].line, Some(3));
    // The whole article reads.
    let whole: String = [
        "Steve B-PERSON",
        "Witkoff I-PERSON",
        "met O",
        "Jared B-PERSON",
        "Kushner I-PERSON",
        "and O",
        "Putin B-PERSON",
        "in O",
        "Moscow B-PLACE",
        ". O",
    ]
    .join("\n");
    assert_eq!(
        conll::from_conll(article, &whole, Path::new("a.conll"))
            .unwrap()
            .mentions
            .len(),
        4
    );
}

#[test]
fn polnear_import_notes_a_span_type_it_does_not_know() {
    let article = Arc::new(Article::new("a", TEXT));
    let (s0, s1) = at("Putin");
    let (m0, m1) = at("Moscow");
    let ann = format!("T1\tSource {s0} {s1}\tPutin\nT2\tTopic {m0} {m1}\tMoscow\n");
    let doc = polnear::document(article, &ann, Path::new("a_x.ann"), "x").unwrap();
    assert!(
        doc.notes
            .iter()
            .any(|n| n.contains("span types this import does not know: Topic (1)")),
        "{:?}",
        doc.notes
    );
}
