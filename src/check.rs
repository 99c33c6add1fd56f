//! `gold check`: everything that makes a gold corpus unusable, found in one pass.
//!
//! Loading already verifies that every anchor's text occurs and its occurrence exists; on top of
//! that the guidelines require: mentions and quotes do not overlap; a cue or speaker mention lies
//! outside its quote (outside every fragment of it); a quote's kind agrees with the quotation
//! marks of its content (PARC's rule, [`QuoteKind::of_content`]); every quote's speaker is listed and every listed speaker speaks; a surface
//! form belongs to one speaker and one place only; every article has a gold file.

use std::collections::BTreeMap;
use std::path::Path;

use crate::align::normalize_name;
use crate::annotation::{Document, Layer, NamedEntity, QuoteKind, Status};
use crate::corpus::Corpus;
use crate::format::json::{path_for, AnnotationFile};
use crate::format::{Problem, Problems};
use crate::text::quoted_chars;

/// What a successful check found worth saying.
#[derive(Debug, Default)]
pub struct CheckSummary {
    pub articles: usize,
    pub mentions: usize,
    pub quotes: usize,
    pub drafts: Vec<String>,
    /// Files with an anchor that has no `start`: `gold refresh` cannot follow the first edit of
    /// their articles until it has written them once.
    pub without_start: Vec<String>,
}

/// Checks the gold files of a corpus directory.
pub fn check_gold(dir: &Path) -> Result<CheckSummary, Problems> {
    check_gold_with(dir, dir)
}

/// [`check_gold`] of annotation files in `dir` over the articles in `texts`.
pub fn check_gold_with(texts: &Path, dir: &Path) -> Result<CheckSummary, Problems> {
    let corpus = Corpus::load(texts)?;
    let annotations = corpus.load_annotations(dir)?;
    let mut problems: Vec<Problem> = annotations
        .missing
        .iter()
        .map(|id| Problem::file(&path_for(dir, id), "missing: the article has no gold file"))
        .collect();
    let mut summary = CheckSummary {
        articles: annotations.docs.len(),
        ..Default::default()
    };
    for (id, doc) in &annotations.docs {
        problems.extend(check_document(doc, &path_for(dir, id)));
        summary.mentions += doc.mentions.len();
        summary.quotes += doc.quotes.len();
        if doc.status == Status::Draft {
            summary.drafts.push(id.clone());
        }
        let path = path_for(dir, id);
        let parsed = std::fs::read_to_string(&path)
            .ok()
            .and_then(|json| AnnotationFile::parse(&json, &path).ok());
        if parsed.is_some_and(|f| !f.all_anchors_have_start()) {
            summary.without_start.push(id.clone());
        }
    }
    if problems.is_empty() {
        Ok(summary)
    } else {
        Err(Problems(problems))
    }
}

/// The consistency rules of one resolved document (items are named by their text, since the
/// document is in article order while the file may not be). Each rule applies only to the layers
/// the document covers: quotes-only gold (PolNeAR) has no speaker list to agree with.
pub fn check_document(doc: &Document, file: &Path) -> Vec<Problem> {
    check_rules(doc, file, Rules::All)
}

/// Which of the rules to apply.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Rules {
    /// Every rule of the guidelines (`gold check`, `gold refresh`).
    All,
    /// Only the rules without which a score would be wrong, applied to the gold that `eval`,
    /// `score` and `agree` read: an entity listed twice in `speakers` or `places` would be
    /// counted twice, and a quote's speaker must be listed to be matched by name. Conventions a
    /// dataset may follow otherwise (PolNeAR, imported literally, has overlapping attributions
    /// and sources inside their content) are scored as annotated.
    Scoring,
}

/// [`check_document`] with a choice of [`Rules`].
pub fn check_rules(doc: &Document, file: &Path, rules: Rules) -> Vec<Problem> {
    let all = rules == Rules::All;
    let mut problems = Vec::new();
    let text = |span| doc.text_of(span).to_string();
    let mut problem = |item: String, message: String| {
        problems.push(Problem {
            file: file.to_path_buf(),
            line: None,
            item,
            message,
        });
    };

    let speakers_layer = doc.covers(Layer::Speakers);
    for pair in doc
        .mentions
        .windows(2)
        .filter(|_| all && doc.covers(Layer::Mentions))
    {
        if pair[0].span.overlaps(&pair[1].span) {
            problem(
                format!("mention {:?} at {}", text(pair[0].span), pair[0].span),
                format!(
                    "overlaps mention {:?} at {} (no nesting: keep the longest name)",
                    text(pair[1].span),
                    pair[1].span
                ),
            );
        }
    }
    // Quotes are in article order; only quotes whose extents overlap can share characters (a
    // quote may sit between the fragments of another).
    for (i, a) in doc.quotes.iter().enumerate().filter(|_| all) {
        for b in doc.quotes[i + 1..]
            .iter()
            .take_while(|b| b.span.start < a.span.end)
        {
            if a.shared_chars(b) > 0 {
                problem(
                    format!("quote {:?} at {}", text(a.span), a.span),
                    format!("overlaps quote {:?} at {}", text(b.span), b.span),
                );
            }
        }
    }
    let chars: Vec<char> = doc.article.text().chars().collect();
    let quoted = quoted_chars(&chars);
    for q in &doc.quotes {
        let item = format!("quote {:?} at {}", text(q.span), q.span);
        let by_marks = QuoteKind::of_content(&chars, &quoted, q.pieces());
        if all && by_marks != q.kind {
            let why = match by_marks {
                QuoteKind::Direct => "all of its words lie inside quotation marks",
                QuoteKind::Mixed => "some of its words lie inside quotation marks, some outside",
                QuoteKind::Indirect => "none of its words lies inside (double) quotation marks",
            };
            problem(
                item.clone(),
                format!(
                    "kind {:?} contradicts its quotation marks: {why}, so it is {:?}",
                    q.kind.as_str(),
                    by_marks.as_str()
                ),
            );
        }
        for (name, part) in [("cue", q.cue), ("speaker_mention", q.speaker_mention)] {
            if let Some(span) = part.filter(|_| all) {
                if q.pieces().iter().any(|p| p.overlaps(&span)) {
                    problem(
                        item.clone(),
                        format!("its {name} {:?} lies inside the quote", text(span)),
                    );
                }
            }
        }
        match &q.speaker {
            _ if !speakers_layer => {}
            None if all => problem(item.clone(), "has no speaker".into()),
            None => {}
            Some(s) if doc.speaker(s).is_none() => problem(
                item.clone(),
                format!("speaker {s:?} is not listed in \"speakers\""),
            ),
            Some(_) => {}
        }
        for s in q.joint_speakers.iter().filter(|_| speakers_layer) {
            if doc.speaker(s).is_none() {
                problem(
                    item.clone(),
                    format!("joint speaker {s:?} is not listed in \"speakers\""),
                );
            }
        }
    }
    for s in doc.speakers.iter().filter(|_| all && speakers_layer) {
        if !doc
            .quotes
            .iter()
            .any(|q| q.speaker_names().any(|n| n == s.name))
        {
            problem(
                format!("speaker {:?}", s.name),
                "speaks no quote (speakers are the distinct speakers of the quotes)".into(),
            );
        }
    }
    // Entities are told apart by position, so that one listed twice under the same name (which
    // would be counted twice) is caught as well as two sharing a surface form.
    let mut duplicate_forms = |kind: &str, entities: Vec<&dyn NamedEntity>| {
        let mut owner: BTreeMap<String, (usize, String)> = BTreeMap::new();
        for (i, e) in entities.iter().enumerate() {
            for n in e.names() {
                let key = normalize_name(n);
                match owner.get(&key) {
                    Some((j, _)) if *j == i => {}
                    Some((_, other)) if other == e.name() => {
                        problem(
                            format!("{kind} {:?}", e.name()),
                            format!("listed twice in \"{kind}s\" (it would be counted twice)"),
                        );
                        break;
                    }
                    Some((_, other)) => problem(
                        format!("{kind} {:?}", e.name()),
                        format!("name {n:?} also belongs to {kind} {other:?} (a surface form names one {kind} only)"),
                    ),
                    None => {
                        owner.insert(key, (i, e.name().to_string()));
                    }
                }
            }
        }
    };
    if speakers_layer {
        duplicate_forms(
            "speaker",
            doc.speakers.iter().map(|s| s as &dyn NamedEntity).collect(),
        );
    }
    if doc.covers(Layer::Places) {
        duplicate_forms(
            "place",
            doc.places.iter().map(|p| p as &dyn NamedEntity).collect(),
        );
    }
    problems
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::annotation::{Article, Quote, QuoteKind, Span, Speaker, SpeakerType};
    use std::sync::Arc;

    #[test]
    fn inconsistent_documents_are_reported_item_by_item() {
        let a = Arc::new(Article::new("t", "“A,” he said. “B,” Putin said."));
        let mut d = Document::empty(a.clone(), "g");
        let q = |text: &str, speaker: &str| Quote {
            span: a.occurrences(text)[0],
            fragments: Vec::new(),
            kind: QuoteKind::Direct,
            cue: None,
            speaker_mention: None,
            speaker: Some(speaker.into()),
            joint_speakers: Vec::new(),
        };
        d.quotes = vec![
            q("A,", "Vladimir Putin"),
            q("A,” he", "Vladimir Putin"),
            q("B,", "Putin"),
        ];
        // Letters inside and outside the marks: mixed, so that the kind is no problem here.
        d.quotes[1].kind = QuoteKind::Mixed;
        d.quotes[2].cue = Some(Span::new(
            a.occurrences("B,")[0].start,
            a.occurrences("B,")[0].start + 1,
        ));
        d.speakers = vec![
            Speaker {
                name: "Vladimir Putin".into(),
                speaker_type: SpeakerType::Person,
                aliases: vec!["Putin".into()],
                named: true,
            },
            Speaker {
                name: "Ushakov".into(),
                speaker_type: SpeakerType::Person,
                aliases: vec!["Putin".into()],
                named: true,
            },
        ];
        d.sort();
        let problems: Vec<String> = check_document(&d, Path::new("g.json"))
            .iter()
            .map(|p| p.to_string())
            .collect();
        assert!(
            problems.iter().any(|p| p.contains("overlaps quote")),
            "{problems:#?}"
        );
        assert!(
            problems.iter().any(|p| p.contains("cue \"B\" lies inside")),
            "{problems:#?}"
        );
        assert!(
            problems
                .iter()
                .any(|p| p.contains("speaker \"Putin\" is not listed")),
            "{problems:#?}"
        );
        assert!(
            problems
                .iter()
                .any(|p| p.contains("speaker \"Ushakov\": speaks no quote")),
            "{problems:#?}"
        );
        assert!(
            problems
                .iter()
                .any(|p| p.contains("also belongs to speaker \"Vladimir Putin\"")),
            "{problems:#?}"
        );
        assert_eq!(problems.len(), 5, "{problems:#?}");
        // Quotes-only gold is held to the quote rules only.
        d.layers = vec![Layer::Quotes];
        let problems: Vec<String> = check_document(&d, Path::new("g.json"))
            .iter()
            .map(|p| p.to_string())
            .collect();
        assert_eq!(problems.len(), 2, "{problems:#?}");
    }

    #[test]
    fn scoring_rules_accept_a_dataset_s_own_conventions_but_not_double_counting() {
        // PolNeAR-style: two attributions whose contents overlap, a source inside the content.
        let a = Arc::new(Article::new(
            "t",
            "He said Putin told them the talks were useful.",
        ));
        let mut d = Document::empty(a.clone(), "g");
        d.layers = vec![Layer::Quotes];
        let q = |content: &str, mention: &str| Quote {
            span: a.occurrences(content)[0],
            fragments: Vec::new(),
            kind: QuoteKind::Indirect,
            cue: None,
            speaker_mention: Some(a.occurrences(mention)[0]),
            speaker: None,
            joint_speakers: Vec::new(),
        };
        d.quotes = vec![
            q("Putin told them the talks were useful", "He"),
            q("the talks were useful", "Putin"),
        ];
        d.sort();
        assert!(!check_rules(&d, Path::new("g.json"), Rules::All).is_empty());
        assert!(check_rules(&d, Path::new("g.json"), Rules::Scoring).is_empty());
        // A place listed twice would be counted twice: refused under both.
        let mut d = Document::empty(a.clone(), "g");
        d.layers = vec![Layer::Places];
        let kyiv = crate::annotation::Place {
            name: "Kyiv".into(),
            aliases: vec![],
        };
        d.places = vec![kyiv.clone(), kyiv];
        assert!(!check_rules(&d, Path::new("g.json"), Rules::Scoring).is_empty());
    }

    #[test]
    fn a_speaker_or_place_listed_twice_is_a_problem() {
        let a = Arc::new(Article::new("t", "“A,” Putin said in Kyiv."));
        let mut d = Document::empty(a.clone(), "g");
        d.quotes = vec![Quote {
            span: a.occurrences("A,")[0],
            fragments: Vec::new(),
            kind: QuoteKind::Direct,
            cue: None,
            speaker_mention: None,
            speaker: Some("Putin".into()),
            joint_speakers: Vec::new(),
        }];
        let putin = Speaker {
            name: "Putin".into(),
            speaker_type: SpeakerType::Person,
            aliases: vec![],
            named: true,
        };
        d.speakers = vec![putin.clone(), putin];
        let kyiv = crate::annotation::Place {
            name: "Kyiv".into(),
            aliases: vec!["Kyiv".into()],
        };
        d.places = vec![kyiv.clone(), kyiv];
        let problems: Vec<String> = check_document(&d, Path::new("g.json"))
            .iter()
            .map(|p| p.to_string())
            .collect();
        assert_eq!(
            problems,
            vec![
                "g.json: speaker \"Putin\": listed twice in \"speakers\" (it would be counted twice)",
                "g.json: place \"Kyiv\": listed twice in \"places\" (it would be counted twice)",
            ]
        );
    }

    #[test]
    fn a_quote_in_fragments_keeps_its_attribution_between_them_and_its_kind_is_checked() {
        let a = Arc::new(Article::new(
            "t",
            "“A,” he said, “B.” He said the plan was “a disaster”.",
        ));
        let mut d = Document::empty(a.clone(), "g");
        d.layers = vec![Layer::Quotes];
        let at = |t: &str, k: usize| a.occurrences(t)[k];
        let mut joined = Quote {
            span: Span::new(0, 0),
            fragments: Vec::new(),
            kind: QuoteKind::Direct,
            cue: Some(at("said", 0)),
            speaker_mention: Some(at("he", 0)),
            speaker: None,
            joint_speakers: Vec::new(),
        };
        joined.set_pieces(&[at("A,", 0), at("B.", 0)]);
        let mixed = Quote {
            span: at("the plan was “a disaster”", 0),
            fragments: Vec::new(),
            kind: QuoteKind::Direct,
            cue: Some(at("said", 1)),
            speaker_mention: Some(at("He", 0)),
            speaker: None,
            joint_speakers: Vec::new(),
        };
        d.quotes = vec![joined, mixed];
        d.sort();
        let problems: Vec<String> = check_document(&d, Path::new("g.json"))
            .iter()
            .map(|p| p.to_string())
            .collect();
        assert_eq!(problems.len(), 1, "{problems:#?}");
        assert!(
            problems[0].contains("kind \"direct\" contradicts its quotation marks")
                && problems[0].contains("so it is \"mixed\""),
            "{problems:#?}"
        );
        d.quotes[1].kind = QuoteKind::Mixed;
        assert!(check_document(&d, Path::new("g.json")).is_empty());
    }
}
