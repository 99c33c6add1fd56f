//! quoteval's own layers over an attribution corpus that carries quotes only (PolNeAR): entity
//! mentions, the article's speakers with every attribution linked to its speaker or speakers,
//! and its places, as standoff files (schema `quoteval-layers/1`).
//!
//! A file holds offsets, labels, names and short mention texts, keyed by the article id and the
//! sha256 of its text, never the text itself (the corpus's licence keeps its texts with it).
//! Attributions are named by the id of their event (`E7`) in the `.ann` file the import reads,
//! which the file names; the quotes themselves stay the corpus's, read literally.
//!
//! `scripts/polnear_layers.py anchor` writes these files from an annotator's draft.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use serde::Deserialize;
use sha2::{Digest, Sha256};

use super::{Problem, Problems};
use crate::annotation::{Article, Document, EntityType, Layer, Mention, Place, Span, Speaker};

pub const SCHEMA: &str = "quoteval-layers/1";

/// One article's layers, as written on disk.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LayersFile {
    pub schema: String,
    /// The corpus the layers lie over (`polnear`).
    pub corpus: String,
    pub article: String,
    /// sha256 of the article text's UTF-8 bytes: layers never lie over another text.
    pub sha256: String,
    /// The corpus's annotation file whose events `attributions` names.
    pub annotation: String,
    #[serde(default)]
    pub annotator: String,
    pub layers: Vec<Layer>,
    pub mentions: Vec<LayerMention>,
    pub speakers: Vec<Speaker>,
    pub places: Vec<Place>,
    pub attributions: Vec<AttributionLink>,
    #[serde(default)]
    pub notes: Vec<String>,
}

/// An entity mention by its char offsets, with its text as a check.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LayerMention {
    #[serde(rename = "type")]
    pub entity_type: EntityType,
    pub start: usize,
    pub end: usize,
    pub text: String,
}

/// One attribution event and the canonical names of its speakers (none: no source, or one that
/// resolves to nothing; two or more: a joint source).
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AttributionLink {
    pub event: String,
    pub speakers: Vec<String>,
}

/// The sha256 of a text, as the layer files record it (lowercase hex).
pub fn text_sha256(text: &str) -> String {
    Sha256::digest(text.as_bytes())
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// Reads one layer file; a JSON error names its line.
pub fn read(path: &Path) -> Result<LayersFile, Problems> {
    let text = std::fs::read_to_string(path).map_err(|e| Problems(vec![Problem::io(path, &e)]))?;
    let file: LayersFile = serde_json::from_str(&text).map_err(|e| {
        Problems(vec![Problem {
            file: path.to_path_buf(),
            line: Some(e.line()),
            item: String::new(),
            message: e.to_string(),
        }])
    })?;
    if file.schema != SCHEMA {
        return Err(Problems(vec![Problem::file(
            path,
            format!("schema {:?} is not {SCHEMA:?}", file.schema),
        )]));
    }
    Ok(file)
}

/// Lays `layers` over `doc`, the corpus's quotes-only document of the same article, whose
/// `events[i]` is the event id that gave `doc.quotes[i]`; `attributions` is every attribution
/// event of the annotation file (one with no content gives no quote, but may be linked). The mentions, speakers and places
/// become the document's, each quote's speaker is its event's (a joint source: the first as
/// `speaker`, the others as `joint_speakers`), and the document covers every layer. Everything
/// is checked first: the text's checksum, the annotation file, each mention's text, every event
/// linked once and to listed speakers. On any problem the document is left as it was.
pub fn apply(
    layers: &LayersFile,
    path: &Path,
    annotation: &str,
    doc: &mut Document,
    events: &[String],
    attributions: &BTreeSet<String>,
) -> Result<(), Problems> {
    let article: &Article = &doc.article;
    let mut problems = Vec::new();
    let mut problem = |item: String, message: String| {
        problems.push(Problem {
            file: path.to_path_buf(),
            line: None,
            item,
            message,
        })
    };
    if layers.article != article.id {
        problem(
            "article".into(),
            format!("{:?} is not the article {:?}", layers.article, article.id),
        );
    }
    let sha = text_sha256(article.text());
    if layers.sha256 != sha {
        problem(
            "sha256".into(),
            format!(
                "the text of article {} differs from the one these layers were annotated on \
                 (sha256 {sha}, layers {})",
                article.id, layers.sha256
            ),
        );
        return Err(Problems(problems));
    }
    if layers.annotation != annotation {
        problem(
            "annotation".into(),
            format!(
                "the layers link the events of {:?}, but the import reads {annotation:?}",
                layers.annotation
            ),
        );
    }
    let mut mentions = Vec::with_capacity(layers.mentions.len());
    for (i, m) in layers.mentions.iter().enumerate() {
        let span = Span::new(m.start, m.end);
        match article.get(span) {
            Some(t) if m.start < m.end && t == m.text => mentions.push(Mention {
                span,
                entity_type: m.entity_type,
            }),
            found => problem(
                format!("mentions[{i}]"),
                format!(
                    "{:?} is not the text at {span} ({:?})",
                    m.text,
                    found.unwrap_or("beyond the end of the text")
                ),
            ),
        }
    }
    let listed: BTreeSet<&str> = layers.speakers.iter().map(|s| s.name.as_str()).collect();
    let mut links: BTreeMap<&str, &[String]> = BTreeMap::new();
    for (i, link) in layers.attributions.iter().enumerate() {
        if links.insert(&link.event, &link.speakers).is_some() {
            problem(
                format!("attributions[{i}]"),
                format!("event {} is linked twice", link.event),
            );
        }
        for name in link
            .speakers
            .iter()
            .filter(|n| !listed.contains(n.as_str()))
        {
            problem(
                format!("attributions[{i}]"),
                format!("speaker {name:?} is not listed in \"speakers\""),
            );
        }
    }
    let known: BTreeSet<&str> = events.iter().map(String::as_str).collect();
    for event in known.iter().filter(|e| !links.contains_key(*e)) {
        problem(
            "attributions".into(),
            format!("event {event} of {annotation} is not linked to a speaker"),
        );
    }
    for event in links.keys().filter(|e| !attributions.contains(**e)) {
        problem(
            "attributions".into(),
            format!("event {event} is no attribution of {annotation}"),
        );
    }
    if !problems.is_empty() {
        return Err(Problems(problems));
    }
    for (quote, event) in doc.quotes.iter_mut().zip(events) {
        let names = links.get(event.as_str()).copied().unwrap_or_default();
        quote.speaker = names.first().cloned();
        quote.joint_speakers = names.iter().skip(1).cloned().collect();
    }
    doc.mentions = mentions;
    doc.speakers = layers.speakers.clone();
    doc.places = layers.places.clone();
    doc.layers = Layer::ALL.to_vec();
    if !layers.annotator.is_empty() {
        doc.notes.push(format!(
            "entity, speaker and place layers: {} ({})",
            layers.annotator,
            path.file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_default()
        ));
    }
    doc.notes.extend(layers.notes.iter().cloned());
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::annotation::{Quote, QuoteKind, SpeakerType};
    use std::sync::Arc;

    const TEXT: &str = "“We win,” Clinton and Trump said — in Détroit.";

    fn doc() -> Document {
        let article = Arc::new(Article::new("a", TEXT));
        let mut doc = Document::empty(article, "test");
        doc.layers = vec![Layer::Quotes];
        doc.quotes.push(Quote {
            span: Span::new(1, 7),
            fragments: Vec::new(),
            kind: QuoteKind::Direct,
            cue: None,
            speaker_mention: None,
            speaker: Some("Clinton and Trump".into()),
            joint_speakers: Vec::new(),
        });
        doc
    }

    fn layers(sha: &str) -> LayersFile {
        let json = format!(
            r#"{{"schema": "quoteval-layers/1", "corpus": "polnear", "article": "a",
            "sha256": "{sha}", "annotation": "a_x.ann", "annotator": "t",
            "layers": ["mentions", "speakers", "places"],
            "mentions": [{{"type": "PERSON", "start": 10, "end": 17, "text": "Clinton"}},
                         {{"type": "PERSON", "start": 22, "end": 27, "text": "Trump"}},
                         {{"type": "PLACE", "start": 38, "end": 45, "text": "Détroit"}}],
            "speakers": [{{"name": "Clinton", "type": "PERSON", "aliases": [], "named": true}},
                         {{"name": "Trump", "type": "PERSON", "aliases": [], "named": true}}],
            "places": [{{"name": "Détroit", "aliases": []}}],
            "attributions": [{{"event": "E1", "speakers": ["Clinton", "Trump"]}}]}}"#
        );
        serde_json::from_str(&json).unwrap()
    }

    #[test]
    fn a_joint_source_gives_the_quote_each_speaker_and_offsets_are_chars() {
        let mut d = doc();
        apply(
            &layers(&text_sha256(TEXT)),
            Path::new("a.json"),
            "a_x.ann",
            &mut d,
            &["E1".to_string()],
            &BTreeSet::from(["E1".to_string()]),
        )
        .unwrap();
        assert_eq!(d.quotes[0].speaker.as_deref(), Some("Clinton"));
        assert_eq!(d.quotes[0].joint_speakers, vec!["Trump".to_string()]);
        assert_eq!(d.mentions.len(), 3);
        assert_eq!(d.text_of(d.mentions[2].span), "Détroit");
        assert_eq!(d.speakers[1].speaker_type, SpeakerType::Person);
        assert_eq!(d.layers, Layer::ALL.to_vec());
    }

    #[test]
    fn another_text_is_refused_naming_the_article() {
        let mut d = doc();
        let err = apply(
            &layers(&text_sha256("another text")),
            Path::new("a.json"),
            "a_x.ann",
            &mut d,
            &["E1".to_string()],
            &BTreeSet::from(["E1".to_string()]),
        )
        .unwrap_err();
        assert!(
            err.to_string().contains("text of article a differs"),
            "{err}"
        );
        assert_eq!(
            d.layers,
            vec![Layer::Quotes],
            "the document is left as it was"
        );
    }

    #[test]
    fn an_unlinked_event_and_a_wrong_mention_text_are_problems() {
        let mut l = layers(&text_sha256(TEXT));
        l.mentions[0].text = "Clinto".into();
        let mut d = doc();
        let err = apply(
            &l,
            Path::new("a.json"),
            "a_x.ann",
            &mut d,
            &["E1".to_string(), "E2".to_string()],
            &BTreeSet::from(["E1".to_string(), "E2".to_string()]),
        )
        .unwrap_err()
        .to_string();
        assert!(
            err.contains("mentions[0]: \"Clinto\" is not the text at"),
            "{err}"
        );
        assert!(err.contains("event E2 of a_x.ann is not linked"), "{err}");
    }
}
