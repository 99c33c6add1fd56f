//! brat standoff: PolNeAR-style files read literally (`format::polnear`), and our own documents written to brat
//! and read back without loss. Fixtures are written here; PolNeAR itself is never copied in.

use std::path::Path;
use std::sync::Arc;

use quoteval::annotation::{
    Article, Document, EntityType, Layer, Mention, Place, Quote, QuoteKind, Span, Speaker,
    SpeakerType, Status,
};
use quoteval::format::brat::{annotation_conf, from_brat, parse_ann, to_brat, AnnItem};
use quoteval::format::polnear;

const TEXT: &str = "Putin Says Talks Were ‘Useful’\n\
“We went through virtually every point,” Putin told India Today. “Some we can discuss. Others we cannot agree to.”\n\
He said that the proposals were based on prior discussions.\n\
Trump said Putin “wants to find an end to the war” and called the meeting “reasonably good.”\n\
Kyiv’s reaction was cautious.";

fn at(article: &Article, needle: &str, k: usize) -> Span {
    article.occurrences(needle)[k]
}

fn t_line(article: &Article, id: &str, kind: &str, spans: &[Span]) -> String {
    let offsets: Vec<String> = spans
        .iter()
        .map(|s| format!("{} {}", s.start, s.end))
        .collect();
    let text: Vec<&str> = spans.iter().map(|s| article.slice(*s)).collect();
    format!("{id}\t{kind} {}\t{}\n", offsets.join(";"), text.join(" "))
}

/// A PolNeAR-style annotation of TEXT: interrupted quotation in one Content with two fragments,
/// a quotation split at a sentence into two fragments, a "that" clause, a clause with quoted
/// fragments, a reused Source with Content2, a span over a line break, a note, and a Discuss.
fn polnear_ann(a: &Article) -> String {
    let q1 = at(a, "“We went through virtually every point,”", 0);
    let q2a = at(a, "“Some we can discuss.", 0);
    let q2b = at(a, "Others we cannot agree to.”", 0);
    let mut ann = String::new();
    ann += &t_line(a, "T1", "Source", &[at(a, "Putin", 1)]);
    ann += &t_line(a, "T2", "Cue", &[at(a, "told", 0)]);
    ann += &t_line(a, "T3", "Content", &[q1, q2a, q2b]);
    ann += &t_line(a, "T4", "Attribution", &[at(a, "told", 0)]);
    ann += "E1\tAttribution:T4 Source:T1 Cue:T2 Content:T3\n";
    ann += &t_line(a, "T5", "Source", &[at(a, "He", 0)]);
    ann += &t_line(a, "T6", "Cue", &[at(a, "said", 0)]);
    ann += &t_line(
        a,
        "T7",
        "Content",
        &[at(
            a,
            "that the proposals were based on prior discussions.",
            0,
        )],
    );
    ann += &t_line(a, "T8", "Attribution", &[at(a, "said", 0)]);
    ann += "E2\tAttribution:T8 Cue:T6 Source:T5 Content:T7\n";
    ann += &t_line(a, "T9", "Source", &[at(a, "Trump", 0)]);
    ann += &t_line(a, "T10", "Cue", &[at(a, "said", 1)]);
    ann += &t_line(
        a,
        "T11",
        "Content",
        &[at(a, "Putin “wants to find an end to the war”", 0)],
    );
    ann += &t_line(
        a,
        "T12",
        "Content",
        &[at(a, "the meeting “reasonably good.”", 0)],
    );
    ann += &t_line(a, "T13", "Attribution", &[at(a, "said", 1)]);
    ann += "E3\tAttribution:T13 Source:T9 Cue:T10 Content:T11 Content2:T12 \n";
    // A span across the line break: its text continues on the next line of the file.
    let start = at(a, "discussions.", 0).start;
    let end = at(a, "Trump", 0).end;
    ann += &format!(
        "T14\tDiscuss {start} {end}\t{}\n",
        a.slice(Span::new(start, end))
    );
    ann += "#1\tAnnotatorNotes T3\tInterrupted by the attribution.\n";
    ann
}

fn article() -> Arc<Article> {
    Arc::new(Article::new("breitbart_2016-01-01_test", TEXT))
}

#[test]
fn parsing_joins_continuation_lines_and_reads_every_kind() {
    let a = article();
    let ann = polnear_ann(&a);
    let items = parse_ann(&ann, Path::new("x.ann")).unwrap();
    let discuss = items.iter().find_map(|i| match i {
        AnnItem::Text { id, text, .. } if id == "T14" => Some(text.clone()),
        _ => None,
    });
    assert_eq!(discuss.as_deref(), Some("discussions.\nTrump"));
    let e3 = items.iter().find_map(|i| match i {
        AnnItem::Event { id, args, .. } if id == "E3" => Some(args.clone()),
        _ => None,
    });
    assert_eq!(e3.unwrap().len(), 4);
    assert!(items.iter().any(|i| matches!(i, AnnItem::Note { kind, target, .. } if kind == "AnnotatorNotes" && target == "T3")));
    assert!(quoteval::format::brat::verify(&items, &a, Path::new("x.ann")).is_empty());
}

#[test]
fn a_text_that_differs_from_the_article_is_reported_with_file_and_line() {
    let a = article();
    let mut ann = polnear_ann(&a);
    ann = ann.replace("\tHe\n", "\tShe\n");
    let err = polnear::document(a, &ann, Path::new("attributions/x_4e07.ann"), "4e07").unwrap_err();
    let shown = err.to_string();
    assert!(
        shown.starts_with(
            "attributions/x_4e07.ann:6: T5: text \"She\" does not match the article's \"He\""
        ),
        "{shown}"
    );
}

#[test]
fn import_reads_a_split_and_picks_the_first_annotator_in_sorted_order() {
    let dir = tempfile::tempdir().unwrap();
    let text_dir = dir.path().join("text");
    let ann_dir = dir.path().join("attributions");
    std::fs::create_dir_all(&text_dir).unwrap();
    std::fs::create_dir_all(&ann_dir).unwrap();
    let a = article();
    std::fs::write(text_dir.join(format!("{}.txt", a.id)), TEXT).unwrap();
    let full = polnear_ann(&a);
    // Annotator "d473" wrote everything; "4e07" only the first event. 4e07 sorts first.
    let first_event: String = full.lines().take(5).map(|l| format!("{l}\n")).collect();
    std::fs::write(ann_dir.join(format!("{}_d473.ann", a.id)), &full).unwrap();
    std::fs::write(ann_dir.join(format!("{}_4e07.ann", a.id)), &first_event).unwrap();
    let docs = polnear::import(&text_dir, &ann_dir, None).unwrap();
    assert_eq!(docs.len(), 1);
    let (art, doc) = &docs[0];
    assert_eq!(art.id, a.id);
    assert_eq!(doc.source, "PolNeAR annotator 4e07");
    // Read literally: the one Content of the first event, in its three fragments as annotated
    // (q2a and q2b touch, so they stay two pieces), is one quote.
    assert_eq!(doc.quotes.len(), 1);
    assert_eq!(doc.quotes[0].pieces().len(), 3, "{:?}", doc.quotes[0]);
    assert!(
        doc.notes.iter().any(|n| n.contains("_4e07.ann")),
        "{:?}",
        doc.notes
    );
    assert!(
        doc.notes
            .iter()
            .any(|n| n.contains("_d473.ann") && n.contains("not used")),
        "{:?}",
        doc.notes
    );
    // A broken file fails the import with the file named.
    std::fs::write(
        ann_dir.join(format!("{}_4e07.ann", a.id)),
        "T1\tSource 0 5\tPutiX\n",
    )
    .unwrap();
    let err = polnear::import(&text_dir, &ann_dir, None)
        .unwrap_err()
        .to_string();
    assert!(err.contains("_4e07.ann:1: T1"), "{err}");
}

fn our_document() -> Document {
    let text = "Russian President Vladimir Putin said the talks were “useful.”\n“We will see,” Putin said of the\nnext round, according to Tass.\tAn official told reporters nothing.";
    let a = Arc::new(Article::new("004_test", text));
    let mut doc = Document::empty(a.clone(), "annotator-a");
    doc.status = Status::Reviewed;
    doc.notes = vec!["a note with \"quotes\"\tand a tab".into()];
    doc.layers = vec![
        Layer::Mentions,
        Layer::Quotes,
        Layer::Speakers,
        Layer::Places,
    ];
    doc.mentions = vec![
        Mention {
            span: at(&a, "Vladimir Putin", 0),
            entity_type: EntityType::Person,
        },
        Mention {
            span: at(&a, "Putin", 1),
            entity_type: EntityType::Person,
        },
        Mention {
            span: at(&a, "Tass", 0),
            entity_type: EntityType::Org,
        },
    ];
    doc.quotes = vec![
        Quote {
            span: at(&a, "the talks were “useful.”", 0),
            fragments: Vec::new(),
            kind: QuoteKind::Mixed,
            cue: Some(at(&a, "said", 0)),
            speaker_mention: Some(at(&a, "Vladimir Putin", 0)),
            speaker: Some("Vladimir Putin".into()),
            joint_speakers: Vec::new(),
        },
        Quote {
            span: at(&a, "We will see,", 0),
            fragments: Vec::new(),
            kind: QuoteKind::Direct,
            cue: Some(at(&a, "said", 1)),
            speaker_mention: Some(at(&a, "Putin", 1)),
            speaker: Some("Vladimir Putin".into()),
            joint_speakers: Vec::new(),
        },
        // A span over a line break, and a quote without cue or speaker.
        Quote {
            span: at(&a, "of the\nnext round", 0),
            fragments: Vec::new(),
            kind: QuoteKind::Indirect,
            cue: None,
            speaker_mention: None,
            speaker: None,
            joint_speakers: Vec::new(),
        },
        Quote {
            span: at(&a, "nothing", 0),
            fragments: Vec::new(),
            kind: QuoteKind::Indirect,
            cue: Some(at(&a, "told", 0)),
            speaker_mention: Some(at(&a, "An official", 0)),
            speaker: Some("An \"official\"".into()),
            joint_speakers: Vec::new(),
        },
    ];
    doc.speakers = vec![
        Speaker {
            name: "Vladimir Putin".into(),
            speaker_type: SpeakerType::Person,
            aliases: vec!["Putin".into()],
            named: true,
        },
        Speaker {
            name: "An \"official\"".into(),
            speaker_type: SpeakerType::Person,
            aliases: vec![],
            named: false,
        },
    ];
    doc.places = vec![Place {
        name: "Russia".into(),
        aliases: vec!["Russian Federation".into()],
    }];
    doc.sort();
    doc
}

#[test]
fn export_then_import_of_our_own_annotation_is_lossless() {
    let doc = our_document();
    let ann = to_brat(&doc);
    assert!(ann.contains("\tPERSON "), "{ann}");
    assert!(ann.contains("Kind E2 Direct"), "{ann}");
    assert!(
        ann.contains("#1\tAnnotatorNotes E1\tspeaker: \"Vladimir Putin\""),
        "{ann}"
    );
    // Every line is one annotation: line breaks inside spans are written as spaces.
    assert!(
        ann.lines().all(|l| l.starts_with(['T', 'E', 'A', '#'])),
        "{ann}"
    );
    let back = from_brat(doc.article.clone(), &ann, Path::new("004_test.ann")).unwrap();
    assert_eq!(back, doc);
}

#[test]
fn a_quote_in_fragments_round_trips_as_one_discontinuous_span() {
    let text = "“We will win,” Trump said, “and win big.”\nHe said it was “a disaster”.";
    let a = Arc::new(Article::new("f", text));
    let mut doc = Document::empty(a.clone(), "annotator-a");
    doc.layers = vec![Layer::Quotes];
    let mut joined = Quote {
        span: Span::new(0, 0),
        fragments: Vec::new(),
        kind: QuoteKind::Direct,
        cue: Some(at(&a, "said", 0)),
        speaker_mention: Some(at(&a, "Trump", 0)),
        speaker: None,
        joint_speakers: Vec::new(),
    };
    joined.set_pieces(&[at(&a, "We will win,", 0), at(&a, "and win big.", 0)]);
    let mixed = Quote {
        span: at(&a, "it was “a disaster”", 0),
        fragments: Vec::new(),
        kind: QuoteKind::Mixed,
        cue: Some(at(&a, "said", 1)),
        speaker_mention: Some(at(&a, "He", 0)),
        speaker: None,
        joint_speakers: Vec::new(),
    };
    doc.quotes = vec![joined, mixed];
    doc.sort();
    let ann = to_brat(&doc);
    let (w, b) = (at(&a, "We will win,", 0), at(&a, "and win big.", 0));
    assert!(
        ann.contains(&format!(
            "\tQuote {} {};{} {}\tWe will win, and win big.\n",
            w.start, w.end, b.start, b.end
        )),
        "{ann}"
    );
    assert!(ann.contains("Kind E2 Mixed"), "{ann}");
    assert!(annotation_conf().contains("Direct|Indirect|Mixed"));
    let back = from_brat(a, &ann, Path::new("f.ann")).unwrap();
    assert_eq!(back, doc);
    assert_eq!(back.quotes[0].pieces(), &[w, b]);
}

#[test]
fn an_empty_document_round_trips_too() {
    let a = Arc::new(Article::new("e", "No quotes here."));
    let mut doc = Document::empty(a.clone(), "model rules");
    doc.layers = vec![Layer::Quotes];
    let ann = to_brat(&doc);
    assert_eq!(from_brat(a, &ann, Path::new("e.ann")).unwrap(), doc);
}

#[test]
fn a_broken_brat_file_lists_every_problem_with_its_line() {
    let doc = our_document();
    let ann = to_brat(&doc)
        .replace("Kind E2 Direct", "Kind E2 Reported")
        .replace("Quote:T4", "Quote:T99");
    let err = from_brat(doc.article.clone(), &ann, Path::new("004_test.ann")).unwrap_err();
    let shown: Vec<String> = err.0.iter().map(|p| p.to_string()).collect();
    assert!(
        shown
            .iter()
            .any(|s| s.contains("Kind must be Direct, Indirect or Mixed")),
        "{shown:#?}"
    );
    assert!(
        shown.iter().any(|s| s.contains("T99 does not exist")),
        "{shown:#?}"
    );
    assert!(
        shown.iter().all(|s| s.starts_with("004_test.ann:")),
        "{shown:#?}"
    );
}

#[test]
fn the_annotation_conf_declares_what_the_export_writes() {
    let conf = annotation_conf();
    for kind in ["PERSON", "PLACE", "ORG", "Quote", "Cue", "Source", "Kind"] {
        assert!(conf.contains(kind), "{kind}");
    }
}
