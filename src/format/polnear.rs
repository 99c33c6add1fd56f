//! PolNeAR (Newell et al., LREC 2018): attribution annotations in brat standoff, imported
//! literally, as the corpus' authors annotated them.
//!
//! A split directory holds `text/<article>.txt` and `attributions/<article>_<annotator>.ann`.
//! When an article has several annotators' files, the one whose name sorts first is used (the
//! document's notes name it and the ones left out), as `polnear_quotes_score.py` does.
//!
//! Each event of type `Attribution` or `Attribution-no-source` gives one quote per `Content`
//! role (`Content`, `Content2`, …):
//! - the quote's content is the Content span's fragments exactly as annotated: no characters
//!   added or removed, a discontinuous span kept as one quote in several fragments;
//! - its kind is PARC's, from the text ([`QuoteKind::of_content`]): all letters of the
//!   content inside quotation marks = direct, some = mixed, none = indirect;
//! - the first `Source` span is the quote's `speaker_mention` (a discontinuous source, rare,
//!   becomes the span from its first to its last character) and its text the `speaker`;
//!   the first `Cue` span likewise gives the `cue`;
//! - a Content claimed by two events gives two quotes, one per event, as in the annotation.
//!
//! Content spans that no attribution event claims, and events of other types (`Discuss`,
//! `Discard`), are not attributions and are left out; the notes count them. The document covers
//! the quotes layer only: PolNeAR has no entity mentions and no resolved speakers.
//!
//! Any other reading of the corpus would be a different dataset; none is offered here.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use super::brat::{parse_ann, verify, AnnItem};
use super::{Problem, Problems};
use crate::annotation::{
    Article, Document, Layer, Quote, QuoteKind, Span, Speaker, SpeakerType, Status,
};
use crate::text::quoted_chars;

/// Reads a PolNeAR split: every `<article>.txt` of `split_dir/text` that has at least one
/// `.ann` file in `split_dir/attributions`, sorted by id. Any problem in any file fails the
/// import, with every problem listed (file, line, item).
pub fn import_split(split_dir: &Path) -> Result<Vec<(Arc<Article>, Document)>, Problems> {
    import(
        &split_dir.join("text"),
        &split_dir.join("attributions"),
        None,
    )
}

/// [`import_split`] with quoteval's own layers laid over each article (`format::layers`): one
/// `<article>.json` in `layers_dir` for every article; an article without one, or a layer file
/// for an article the split does not have, is a problem.
pub fn import_split_with_layers(
    split_dir: &Path,
    layers_dir: &Path,
) -> Result<Vec<(Arc<Article>, Document)>, Problems> {
    import(
        &split_dir.join("text"),
        &split_dir.join("attributions"),
        Some(layers_dir),
    )
}

/// The `.ann` files of each article, by article id.
type FilesByArticle = BTreeMap<String, Vec<PathBuf>>;

/// The `.ann` files of an attributions directory by article (`<article>_<annotator>.ann`), and
/// the files whose name is not of that form.
fn annotation_files(ann_dir: &Path) -> Result<(FilesByArticle, Vec<Problem>), Problems> {
    let entries =
        std::fs::read_dir(ann_dir).map_err(|e| Problems(vec![Problem::io(ann_dir, &e)]))?;
    let mut by_article: BTreeMap<String, Vec<PathBuf>> = BTreeMap::new();
    let mut problems = Vec::new();
    for entry in entries.filter_map(|e| e.ok()) {
        let path = entry.path();
        if path.extension().map_or(true, |x| x != "ann") {
            continue;
        }
        let stem = crate::corpus::stem(&path);
        match stem.rsplit_once('_') {
            Some((article, _)) => by_article
                .entry(article.to_string())
                .or_default()
                .push(path),
            None => problems.push(Problem::file(
                &path,
                "name is not <article>_<annotator>.ann",
            )),
        }
    }
    Ok((by_article, problems))
}

/// The texts a split's annotation files need that its `text/` lacks: missing input, which a
/// caller may want to tell apart from bad data.
pub fn missing_texts(split_dir: &Path) -> Result<Vec<PathBuf>, Problems> {
    let (by_article, _) = annotation_files(&split_dir.join("attributions"))?;
    Ok(by_article
        .keys()
        .map(|id| split_dir.join("text").join(format!("{id}.txt")))
        .filter(|t| !t.exists())
        .collect())
}

/// [`import_split`] with the two directories given apart, and optionally a layers directory.
pub fn import(
    text_dir: &Path,
    ann_dir: &Path,
    layers_dir: Option<&Path>,
) -> Result<Vec<(Arc<Article>, Document)>, Problems> {
    let (by_article, mut problems) = annotation_files(ann_dir)?;
    let name = |p: &Path| {
        p.file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default()
    };
    let mut docs = Vec::new();
    for (article_id, mut files) in by_article {
        // By file name, as the reference scorer picks the annotator.
        files.sort_by_key(|p| name(p));
        let path = files[0].clone();
        let annotator = crate::corpus::stem(&path)
            .rsplit_once('_')
            .map(|(_, a)| a.to_string())
            .unwrap_or_default();
        let text_path = text_dir.join(format!("{article_id}.txt"));
        let text = match std::fs::read_to_string(&text_path) {
            Ok(t) => t,
            Err(e) => {
                problems.push(Problem::io(&text_path, &e));
                continue;
            }
        };
        let ann = match std::fs::read_to_string(&path) {
            Ok(t) => t,
            Err(e) => {
                problems.push(Problem::io(&path, &e));
                continue;
            }
        };
        let article = Arc::new(Article::new(article_id.clone(), text));
        let layers = match layers_dir {
            None => None,
            Some(dir) => {
                let file = dir.join(format!("{article_id}.json"));
                if !file.exists() {
                    problems.push(Problem::file(
                        &file,
                        format!("no layers for article {article_id}"),
                    ));
                    continue;
                }
                match super::layers::read(&file) {
                    Ok(l) => Some((l, file)),
                    Err(mut p) => {
                        problems.append(&mut p.0);
                        continue;
                    }
                }
            }
        };
        let layers = layers.as_ref().map(|(l, f)| (l, f.as_path()));
        match document_with_layers(article.clone(), &ann, &path, &annotator, layers) {
            Ok(mut doc) => {
                doc.notes.insert(
                    0,
                    format!("imported literally from PolNeAR {}", name(&path)),
                );
                for other in &files[1..] {
                    doc.notes.push(format!(
                        "PolNeAR {} (another annotator) not used",
                        name(other)
                    ));
                }
                docs.push((article, doc));
            }
            Err(mut p) => problems.append(&mut p.0),
        }
    }
    if let Some(dir) = layers_dir {
        // A layer file for no article of the split would be dropped without a word.
        let ids: std::collections::BTreeSet<&str> =
            docs.iter().map(|(a, _)| a.id.as_str()).collect();
        let mut orphans: Vec<PathBuf> = std::fs::read_dir(dir)
            .map_err(|e| Problems(vec![Problem::io(dir, &e)]))?
            .filter_map(|e| e.ok().map(|e| e.path()))
            .filter(|p| p.extension().is_some_and(|x| x == "json"))
            .filter(|p| !ids.contains(crate::corpus::stem(p).as_str()))
            .collect();
        orphans.sort();
        for p in orphans {
            problems.push(Problem::file(
                &p,
                "layers for an article the split does not have (or whose import failed)",
            ));
        }
    }
    if problems.is_empty() {
        Ok(docs)
    } else {
        Err(Problems(problems))
    }
}

/// Strips a role's repetition number: `Content2` -> `Content`.
fn role_base(role: &str) -> &str {
    role.trim_end_matches(|c: char| c.is_ascii_digit())
}

/// Converts one PolNeAR `.ann` file to a quotes-only document (see the module docs).
pub fn document(
    article: Arc<Article>,
    ann: &str,
    file: &Path,
    annotator: &str,
) -> Result<Document, Problems> {
    document_with_layers(article, ann, file, annotator, None)
}

/// [`document`], then quoteval's layers laid over it (`format::layers::apply`): the document
/// covers every layer and each quote has its event's speakers.
pub fn document_with_layers(
    article: Arc<Article>,
    ann: &str,
    file: &Path,
    annotator: &str,
    layers: Option<(&super::layers::LayersFile, &Path)>,
) -> Result<Document, Problems> {
    let items = parse_ann(ann, file)?;
    let mut problems = verify(&items, &article, file);
    if !problems.is_empty() {
        return Err(Problems(problems));
    }
    /// A text-bound annotation: its type, fragments and text.
    type TextBound<'a> = (&'a str, &'a Vec<(usize, usize)>, &'a str);
    let spans: BTreeMap<&str, TextBound> = items
        .iter()
        .filter_map(|i| match i {
            AnnItem::Text {
                id,
                kind,
                fragments,
                text,
                ..
            } => Some((id.as_str(), (kind.as_str(), fragments, text.as_str()))),
            _ => None,
        })
        .collect();
    let chars: Vec<char> = article.text().chars().collect();
    let quoted = quoted_chars(&chars);
    let mut doc = Document::empty(article.clone(), format!("PolNeAR annotator {annotator}"));
    doc.status = Status::Reviewed;
    doc.layers = vec![Layer::Quotes];
    let mut speakers: Vec<String> = Vec::new();
    let mut claimed: Vec<&str> = Vec::new();
    // The event of each quote, in `doc.quotes` order, for the layers' speaker links.
    let mut events: Vec<String> = Vec::new();
    let mut attribution_events: std::collections::BTreeSet<String> = Default::default();
    let mut other_events = 0usize;
    for item in &items {
        let AnnItem::Event {
            id: event,
            kind,
            args,
            line,
            ..
        } = item
        else {
            continue;
        };
        if !kind.starts_with("Attribution") {
            other_events += 1;
            continue;
        }
        attribution_events.insert(event.clone());
        // The first span of a role, as one span from its first to its last character.
        let first_of = |role: &str| -> Option<(Span, String)> {
            let id = args
                .iter()
                .find(|(r, _)| role_base(r) == role)
                .map(|(_, t)| t.as_str())?;
            let (_, frags, text) = spans.get(id)?;
            let start = frags.iter().map(|f| f.0).min()?;
            let end = frags.iter().map(|f| f.1).max()?;
            Some((Span::new(start, end), text.replace(['\n', '\r'], " ")))
        };
        for (role, id) in args {
            let base = role_base(role);
            if matches!(base, "Source" | "Cue" | "Content") && !spans.contains_key(id.as_str()) {
                problems.push(Problem {
                    file: file.to_path_buf(),
                    line: Some(*line),
                    item: event.clone(),
                    message: format!("{role}:{id} names a span that does not exist"),
                });
            }
        }
        let cue = first_of("Cue").map(|(s, _)| s);
        let source = first_of("Source").map(|(s, text)| (s, text.trim().to_string()));
        for (_, id) in args.iter().filter(|(r, _)| role_base(r) == "Content") {
            let Some((_, fragments, _)) = spans.get(id.as_str()) else {
                continue;
            };
            claimed.push(id.as_str());
            let pieces: Vec<Span> = fragments.iter().map(|&(s, e)| Span::new(s, e)).collect();
            let mut quote = Quote {
                span: Span::new(0, 0),
                fragments: Vec::new(),
                kind: QuoteKind::Indirect,
                cue,
                speaker_mention: source.as_ref().map(|(s, _)| *s),
                speaker: source.as_ref().map(|(_, t)| t.clone()),
                joint_speakers: Vec::new(),
            };
            quote.set_pieces(&pieces);
            if quote.content_len() == 0 {
                continue;
            }
            quote.kind = QuoteKind::of_content(&chars, &quoted, quote.pieces());
            if let Some(s) = &quote.speaker {
                if !speakers.contains(s) {
                    speakers.push(s.clone());
                }
            }
            doc.quotes.push(quote);
            events.push(event.clone());
        }
    }
    if !problems.is_empty() {
        return Err(Problems(problems));
    }
    let unclaimed = spans
        .iter()
        .filter(|(id, (kind, _, _))| *kind == "Content" && !claimed.contains(id))
        .count();
    // Span types PolNeAR's scheme does not have are left out, and said so.
    let mut unknown: BTreeMap<&str, usize> = BTreeMap::new();
    for (kind, _, _) in spans.values() {
        if !matches!(
            role_base(kind),
            "Source"
                | "Cue"
                | "Content"
                | "Attribution"
                | "Attribution-no-source"
                | "Discuss"
                | "Discard"
        ) {
            *unknown.entry(kind).or_default() += 1;
        }
    }
    if !unknown.is_empty() {
        let listed: Vec<String> = unknown.iter().map(|(k, n)| format!("{k} ({n})")).collect();
        doc.notes.push(format!(
            "left out: span types this import does not know: {}",
            listed.join(", ")
        ));
    }
    if unclaimed > 0 || other_events > 0 {
        doc.notes.push(format!(
            "left out: {unclaimed} Content span(s) no attribution claims, {other_events} \
             non-attribution event(s)"
        ));
    }
    doc.speakers = speakers
        .into_iter()
        .map(|name| {
            let named = name.chars().next().is_some_and(char::is_uppercase);
            Speaker {
                name,
                speaker_type: SpeakerType::Other,
                aliases: Vec::new(),
                named,
            }
        })
        .collect();
    if let Some((layers, layers_path)) = layers {
        let ann_name = file
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        super::layers::apply(
            layers,
            layers_path,
            &ann_name,
            &mut doc,
            &events,
            &attribution_events,
        )?;
    }
    doc.sort();
    Ok(doc)
}

#[cfg(test)]
mod tests {
    use super::*;

    const TEXT: &str = "“We will win,” Trump said, “and win big.” \
                        He said the plan was “a disaster” for Nevada.\n\
                        Aides think that polls are wrong.";

    fn doc(ann: &str) -> Document {
        document(
            Arc::new(Article::new("a", TEXT)),
            ann,
            Path::new("a_x.ann"),
            "x",
        )
        .unwrap()
    }

    fn offsets(needle: &str) -> (usize, usize) {
        let a = Article::new("a", TEXT);
        let s = a.occurrences(needle)[0];
        (s.start, s.end)
    }

    #[test]
    fn contents_are_kept_as_annotated_and_kinds_follow_parc() {
        let (a0, a1) = offsets("“We will win,”");
        let (b0, b1) = offsets("“and win big.”");
        let (s0, s1) = offsets("Trump");
        let (c0, c1) = offsets("said");
        let (m0, m1) = offsets("the plan was “a disaster” for Nevada");
        let (h0, h1) = offsets("He");
        let (i0, i1) = offsets("that polls are wrong");
        let (w0, w1) = offsets("Aides");
        let ann = format!(
            "T1\tContent {a0} {a1};{b0} {b1}\t“We will win,” “and win big.”\n\
             T2\tSource {s0} {s1}\tTrump\n\
             T3\tCue {c0} {c1}\tsaid\n\
             E1\tAttribution:T3 Content:T1 Source:T2 Cue:T3\n\
             T4\tContent {m0} {m1}\tthe plan was “a disaster” for Nevada\n\
             T5\tSource {h0} {h1}\tHe\n\
             E2\tAttribution:T5 Content:T4 Source:T5\n\
             T6\tContent {i0} {i1}\tthat polls are wrong\n\
             T7\tSource {w0} {w1}\tAides\n\
             E3\tAttribution-no-source:T7 Content:T6\n\
             T8\tContent {i0} {i1}\tthat polls are wrong\n"
        );
        let d = doc(&ann);
        let got: Vec<(QuoteKind, Vec<(usize, usize)>)> = d
            .quotes
            .iter()
            .map(|q| {
                (
                    q.kind,
                    q.pieces().iter().map(|p| (p.start, p.end)).collect(),
                )
            })
            .collect();
        assert_eq!(
            got,
            vec![
                (QuoteKind::Direct, vec![(a0, a1), (b0, b1)]),
                (QuoteKind::Mixed, vec![(m0, m1)]),
                (QuoteKind::Indirect, vec![(i0, i1)]),
            ],
            "T8 is claimed by no event"
        );
        assert_eq!(d.quotes[0].speaker.as_deref(), Some("Trump"));
        assert_eq!(d.quotes[0].cue, Some(Span::new(c0, c1)));
        assert_eq!(d.quotes[2].speaker, None);
        assert!(d.notes.iter().any(|n| n.contains("1 Content span")));
        assert_eq!(d.layers, vec![Layer::Quotes]);
    }

    #[test]
    fn an_event_naming_a_missing_span_is_an_error_with_its_line() {
        let err = document(
            Arc::new(Article::new("a", TEXT)),
            "E1\tAttribution:T9 Content:T9\n",
            Path::new("a_x.ann"),
            "x",
        )
        .unwrap_err();
        let shown = err.0[0].to_string();
        assert!(shown.starts_with("a_x.ann:1: E1: Content:T9"), "{shown}");
    }
}
