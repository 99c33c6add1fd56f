use super::*;
use crate::annotation::EntityType;
use crate::annotation::SpeakerType;

fn article() -> Arc<Article> {
    Arc::new(Article::new(
        "a1",
        "Putin said that talks were “useful.”\nPutin’s aide Ushakov said “no” — twice.",
    ))
}

#[test]
fn round_trip_through_anchors() {
    let art = article();
    let mut doc = Document::empty(art.clone(), "test");
    let putin2 = art.occurrences("Putin")[1];
    doc.mentions.push(Mention {
        span: art.occurrences("Putin")[0],
        entity_type: EntityType::Person,
    });
    doc.mentions.push(Mention {
        span: putin2,
        entity_type: EntityType::Person,
    });
    doc.quotes.push(Quote {
        span: art.occurrences("useful.")[0],
        fragments: Vec::new(),
        kind: QuoteKind::Direct,
        cue: Some(art.occurrences("said")[0]),
        speaker_mention: Some(art.occurrences("Putin")[0]),
        speaker: Some("Putin".into()),
        joint_speakers: Vec::new(),
    });
    doc.speakers.push(Speaker {
        name: "Putin".into(),
        speaker_type: SpeakerType::Person,
        aliases: vec![],
        named: true,
    });
    let file = AnnotationFile::from_document(&doc);
    assert_eq!(file.mentions[1].occurrence, Some(2));
    assert_eq!(file.quotes[0].text, "useful.");
    let json = file.to_json();
    let back = AnnotationFile::parse(&json, Path::new("a1.json"))
        .unwrap()
        .resolve(art, Path::new("a1.json"), &json)
        .unwrap();
    assert_eq!(back, doc);
}

#[test]
fn ambiguous_and_missing_anchors_are_reported_with_lines() {
    let art = article();
    let json = r#"{
  "schema": "quoteval-annotation/1",
  "article": "a1",
  "mentions": [
{"type": "PERSON", "text": "Putin"},
{"type": "PERSON", "text": "Ushakov"},
{"type": "PERSON", "text": "Zelensky"}
  ],
  "quotes": [
{"kind": "direct", "text": "no", "occurrence": 3, "cue": {"text": "said", "occurrence": 7}}
  ],
  "speakers": [],
  "places": []
}"#;
    let file = Path::new("gold/a1.json");
    let problems = AnnotationFile::parse(json, file)
        .unwrap()
        .resolve(art, file, json)
        .unwrap_err();
    let shown: Vec<String> = problems.iter().map(|p| p.to_string()).collect();
    assert_eq!(shown.len(), 3, "{shown:#?}");
    assert!(
        shown[0]
            .starts_with("gold/a1.json:5: mentions[0]: text \"Putin\" occurs 2 times (lines 1, 2)"),
        "{}",
        shown[0]
    );
    assert!(
        shown[1].starts_with("gold/a1.json:7: mentions[2]: text \"Zelensky\" does not occur"),
        "{}",
        shown[1]
    );
    assert!(
        shown[2].starts_with("gold/a1.json:10: quotes[0]: occurrence 3 of \"no\""),
        "{}",
        shown[2]
    );
}

#[test]
fn unknown_fields_and_schema_versions_are_errors() {
    let file = Path::new("x.json");
    let err = AnnotationFile::parse(
        r#"{"schema": "quoteval-annotation/1", "article": "a", "colour": 1}"#,
        file,
    )
    .unwrap_err();
    assert!(
        err.message.contains("unknown field `colour`"),
        "{}",
        err.message
    );
    assert_eq!(err.line, Some(1));
    let err = AnnotationFile::parse(
        r#"{"schema": "quoteval-annotation/9", "article": "a"}"#,
        file,
    )
    .unwrap_err();
    assert!(err.message.contains("unsupported schema"));
}

#[test]
fn a_covered_layer_left_out_is_an_error_not_an_empty_layer() {
    let file = Path::new("x.json");
    let err = AnnotationFile::parse(
        r#"{"schema": "quoteval-annotation/1", "article": "a", "quotes": [], "speakers": [], "places": []}"#,
        file,
    )
    .unwrap_err();
    assert_eq!(err.item, "mentions");
    assert!(
        err.message.starts_with("missing \"mentions\""),
        "{}",
        err.message
    );
    // Not covered: not needed.
    AnnotationFile::parse(
        r#"{"schema": "quoteval-annotation/1", "article": "a", "layers": ["quotes"], "quotes": []}"#,
        file,
    )
    .unwrap();
}

#[test]
fn a_quote_in_fragments_records_start_in_each_fragment() {
    let art = Arc::new(Article::new("a1", "“A,” he said, “B.”"));
    let mut doc = Document::empty(art.clone(), "test");
    doc.layers = vec![Layer::Quotes];
    let mut q = Quote {
        span: Span::new(0, 0),
        fragments: Vec::new(),
        kind: QuoteKind::Direct,
        cue: Some(art.occurrences("said")[0]),
        speaker_mention: None,
        speaker: None,
        joint_speakers: Vec::new(),
    };
    q.set_pieces(&[art.occurrences("A,")[0], art.occurrences("B.")[0]]);
    doc.quotes.push(q);
    let mut file = AnnotationFile::from_document(&doc);
    assert!(file.all_anchors_have_start(), "{}", file.to_json());
    file.quotes[0].fragments[1].start = None;
    assert!(!file.all_anchors_have_start());
}

#[test]
fn stale_start_offsets_point_to_refresh() {
    let art = article();
    let err = locate(&art, "Ushakov", None, Some(3), None).unwrap_err();
    assert!(
        matches!(err, AnchorError::Moved { recorded: 3, .. }),
        "{err}"
    );
    assert!(err.to_string().contains("gold refresh"), "{err}");
    assert_eq!(
        locate(
            &art,
            "Ushakov",
            None,
            Some(art.occurrences("Ushakov")[0].start),
            None
        )
        .unwrap()
        .len(),
        7
    );
}
