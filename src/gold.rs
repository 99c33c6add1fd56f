//! Keeping the gold corpus growing and valid: draft gold from a model, re-anchor gold after an
//! article's text was edited, and exchange annotations with brat / INCEpTION and CoNLL tools.

use std::collections::BTreeMap;
use std::fmt;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use crate::app::{AppError, Result};

use crate::annotation::{Article, Document, Mention, Quote, Span, Status};
use crate::check::check_document;
use crate::corpus::{stem, Corpus};
use crate::exit::{Exit, Failure};
use crate::format::json::{path_for, write_document, AnnotationFile};
use crate::format::{brat, conll, write_atomically, Problem, Problems};
use crate::models::ModelRun;

/// Runs a model over the articles of `gold_dir` that have no gold file (all of them with
/// `force`) and writes its predictions into `out_dir` as unreviewed drafts. An existing file in
/// `out_dir` is kept unless `force`.
pub fn draft(run: &ModelRun, gold_dir: &Path, out_dir: &Path, force: bool) -> Result<Vec<PathBuf>> {
    let corpus = Corpus::load(gold_dir)?;
    let todo: Vec<Arc<Article>> = corpus
        .articles
        .iter()
        .filter(|a| force || !path_for(gold_dir, &a.id).exists())
        .cloned()
        .collect();
    if todo.is_empty() {
        return Ok(Vec::new());
    }
    if !force {
        let existing: Vec<String> = todo
            .iter()
            .map(|a| path_for(out_dir, &a.id))
            .filter(|p| p.exists())
            .map(|p| p.display().to_string())
            .collect();
        refuse_overwrite(&existing)?;
    }
    let mut backend = run.build()?;
    let docs = backend.annotate(&todo, &mut |_| {})?;
    crate::app::validate_predictions(&docs)?;
    let mut written = Vec::new();
    for mut doc in docs {
        doc.status = Status::Draft;
        doc.source = format!("draft by model {}; review before use as gold", run.name);
        let path = path_for(out_dir, doc.id());
        write_document(&doc, &path, force)?;
        written.push(path);
    }
    Ok(written)
}

/// Refuses, before anything is written, to overwrite existing files.
fn refuse_overwrite(existing: &[String]) -> Result<()> {
    if existing.is_empty() {
        return Ok(());
    }
    Err(Failure::new(
        Exit::CantCreate,
        format!(
            "would overwrite {} file(s): {} (pass --force to replace them)",
            existing.len(),
            existing.join(", ")
        ),
    )
    .into())
}

/// Writes every (path, content) pair, after checking that none exists (unless `force`): a
/// refused write leaves nothing half done.
fn write_all(files: Vec<(PathBuf, Vec<u8>)>, force: bool) -> Result<Vec<PathBuf>> {
    // One writer at a time per directory: two imports into one --out never interleave.
    let mut dirs: Vec<PathBuf> = files
        .iter()
        .filter_map(|(p, _)| p.parent().map(Path::to_path_buf))
        .collect();
    dirs.sort();
    dirs.dedup();
    let _locks = dirs
        .iter()
        .map(|d| crate::format::DirLock::acquire(d))
        .collect::<Result<Vec<_>, _>>()?;
    if !force {
        // Checked under the lock: another writer may have finished meanwhile.
        let existing: Vec<String> = files
            .iter()
            .filter(|(p, _)| p.exists())
            .map(|(p, _)| p.display().to_string())
            .collect();
        refuse_overwrite(&existing)?;
    }
    let mut written = Vec::new();
    for (path, bytes) in files {
        write_atomically(&path, &bytes, force)?;
        written.push(path);
    }
    Ok(written)
}

/// What `refresh` did to one item.
#[derive(Debug, Clone, PartialEq)]
pub struct Moved {
    pub item: String,
    pub text: String,
    pub from: Option<usize>,
    pub to: usize,
}

/// The outcome of re-anchoring one gold file.
#[derive(Debug, Default)]
pub struct Refreshed {
    pub file: PathBuf,
    /// Items now found at another position than recorded.
    pub moved: Vec<Moved>,
    /// Items that no longer match the article: what to fix by hand.
    pub lost: Vec<Problem>,
    /// Consistency problems of the re-anchored document (overlaps and the like).
    pub inconsistent: Vec<Problem>,
    /// Whether the file's content would change (fresh `start` and `occurrence` fields).
    pub changed: bool,
    pub written: bool,
}

impl Refreshed {
    /// Like `Display`, but the moved items in runs: one line per run of items (in article
    /// order) that moved by the same number of chars, since one edit moves everything after it.
    pub fn summary(&self) -> String {
        let mut out = String::new();
        let mut moved: Vec<&Moved> = self.moved.iter().collect();
        moved.sort_by_key(|m| (m.from, m.to));
        let mut runs: Vec<(i64, Vec<&Moved>)> = Vec::new();
        for m in moved {
            let delta = m.to as i64 - m.from.unwrap_or(m.to) as i64;
            match runs.last_mut() {
                Some((d, items)) if *d == delta => items.push(m),
                _ => runs.push((delta, vec![m])),
            }
        }
        for (delta, items) in runs {
            if let [m] = items.as_slice() {
                let from = m.from.map(|s| s.to_string()).unwrap_or_else(|| "?".into());
                out.push_str(&format!(
                    "{}: {}: {:?} moved from char {from} to {}\n",
                    self.file.display(),
                    m.item,
                    m.text,
                    m.to
                ));
            } else {
                let first = items[0].from.unwrap_or(0);
                let last = items[items.len() - 1].from.unwrap_or(0);
                out.push_str(&format!(
                    "{}: {} items recorded at chars {first}..={last} moved by {delta:+} chars (--verbose lists them)\n",
                    self.file.display(),
                    items.len()
                ));
            }
        }
        for p in self.lost.iter().chain(&self.inconsistent) {
            out.push_str(&format!("{p}\n"));
        }
        out
    }
}

impl fmt::Display for Refreshed {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for m in &self.moved {
            let from = m.from.map(|s| s.to_string()).unwrap_or_else(|| "?".into());
            writeln!(
                f,
                "{}: {}: {:?} moved from char {from} to {}",
                self.file.display(),
                m.item,
                m.text,
                m.to
            )?;
        }
        for p in self.lost.iter().chain(&self.inconsistent) {
            writeln!(f, "{p}")?;
        }
        Ok(())
    }
}

/// Re-derives the offsets of every item of every gold file in `dir` against the current article
/// texts, and rewrites a file (with fresh `occurrence` and `start` fields, atomically) only when
/// `write` is set, every item was followed, the result passes `gold check`'s rules and the
/// content changed. Otherwise nothing is written and what to fix is listed.
///
/// An item with a recorded `start` is followed only to where the text around it went: the
/// edits are learnt from the items whose text occurs once in the edited article (an item is
/// trusted when a neighbour moved by the same amount), and an item must now sit exactly at its
/// old start plus the shift of the nearest trusted item before or after it. An item whose text
/// is no longer there, even if the same text occurs elsewhere, is lost, never moved to the
/// nearest match. An item without `start` is found by its `occurrence`.
pub fn refresh(dir: &Path, write: bool) -> Result<Vec<Refreshed>> {
    let corpus = Corpus::load(dir)?;
    let mut out = Vec::new();
    for article in &corpus.articles {
        let file = path_for(dir, &article.id);
        if !file.exists() {
            continue;
        }
        let json = std::fs::read_to_string(&file).map_err(|source| AppError::Read {
            path: file.display().to_string(),
            source,
        })?;
        let parsed = AnnotationFile::parse(&json, &file).map_err(|p| Problems(vec![p]))?;
        out.push(refresh_file(&parsed, &json, article.clone(), &file, write)?);
    }
    Ok(out)
}

/// One anchor of a gold file, as written.
struct Anchor<'a> {
    item: String,
    text: &'a str,
    occurrence: Option<usize>,
    start: Option<usize>,
}

/// The shifts (new start - old start) that the items of a file imply, learnt from the items
/// whose text occurs exactly once in the edited article.
struct Shifts {
    /// (old start, shift), sorted by old start.
    trusted: Vec<(usize, i64)>,
}

impl Shifts {
    fn learn(anchors: &[Anchor], article: &Article) -> Shifts {
        let mut unique: Vec<(usize, i64)> = anchors
            .iter()
            .filter_map(|a| {
                let old = a.start?;
                let all = article.occurrences(a.text);
                (all.len() == 1).then(|| (old, all[0].start as i64 - old as i64))
            })
            .collect();
        unique.sort();
        unique.dedup();
        // A unique text can still be a different occurrence than the one recorded (the recorded
        // one was edited away): trust a shift only when a neighbour moved by the same amount.
        let agreed: Vec<(usize, i64)> = unique
            .iter()
            .enumerate()
            .filter(|(i, (_, d))| {
                let prev = i.checked_sub(1).and_then(|j| unique.get(j));
                let next = unique.get(i + 1);
                prev.is_some_and(|p| p.1 == *d) || next.is_some_and(|n| n.1 == *d)
            })
            .map(|(_, u)| *u)
            .collect();
        Shifts {
            trusted: if agreed.is_empty() { unique } else { agreed },
        }
    }

    /// The shifts an item recorded at `old` may have moved by: that of the nearest trusted item
    /// at or before it, and that of the nearest after it (one edit lies between them); no shift
    /// when nothing is trusted.
    fn around(&self, old: usize) -> Vec<i64> {
        let before = self.trusted.iter().rev().find(|(o, _)| *o <= old);
        let after = self.trusted.iter().find(|(o, _)| *o > old);
        let mut out: Vec<i64> = before.iter().chain(after.iter()).map(|(_, d)| *d).collect();
        if out.is_empty() {
            out.push(0);
        }
        out.dedup();
        out
    }
}

fn refresh_file(
    parsed: &AnnotationFile,
    json: &str,
    article: Arc<Article>,
    file: &Path,
    write: bool,
) -> Result<Refreshed> {
    let mut result = Refreshed {
        file: file.to_path_buf(),
        ..Default::default()
    };
    if parsed.article != article.id {
        result.lost.push(Problem {
            file: file.to_path_buf(),
            line: None,
            item: "article".into(),
            message: format!(
                "names article {:?} but the file is for {:?}: fix the field (or the file name) by hand",
                parsed.article, article.id
            ),
        });
    }
    let mut anchors = Vec::new();
    for (i, m) in parsed.mentions.iter().enumerate() {
        anchors.push(Anchor {
            item: format!("mentions[{i}]"),
            text: &m.text,
            occurrence: m.occurrence,
            start: m.start,
        });
    }
    for (i, q) in parsed.quotes.iter().enumerate() {
        if q.fragments.is_empty() {
            anchors.push(Anchor {
                item: format!("quotes[{i}]"),
                text: &q.text,
                occurrence: q.occurrence,
                start: q.start,
            });
        }
        for (j, f) in q.fragments.iter().enumerate() {
            anchors.push(Anchor {
                item: format!("quotes[{i}].fragments[{j}]"),
                text: &f.text,
                occurrence: f.occurrence,
                start: f.start,
            });
        }
        for (name, part) in [("cue", &q.cue), ("speaker_mention", &q.speaker_mention)] {
            if let Some(a) = part {
                anchors.push(Anchor {
                    item: format!("quotes[{i}].{name}"),
                    text: &a.text,
                    occurrence: a.occurrence,
                    start: a.start,
                });
            }
        }
    }
    let shifts = Shifts::learn(&anchors, &article);

    let mut resolved: BTreeMap<String, Span> = BTreeMap::new();
    for a in &anchors {
        let all = article.occurrences(a.text);
        let lost = |message: String| Problem {
            file: file.to_path_buf(),
            line: None,
            item: a.item.clone(),
            message,
        };
        let span = if all.is_empty() {
            result.lost.push(lost(format!(
                "{:?} no longer occurs in the article",
                a.text
            )));
            continue;
        } else if let Some(old) = a.start {
            let expected: Vec<usize> = shifts
                .around(old)
                .iter()
                .map(|d| (old as i64 + d).max(0) as usize)
                .collect();
            match all.iter().find(|s| expected.contains(&s.start)) {
                Some(span) => *span,
                None => {
                    let nearest = all
                        .iter()
                        .min_by_key(|s| s.start.abs_diff(expected[0]))
                        .map_or(0, |s| s.start);
                    result.lost.push(lost(format!(
                        "{:?} recorded at char {old} is no longer there (expected at char {}; \
                         the nearest {:?} is at char {nearest}): the item was edited away, or moved \
                         with the text around it changed; fix it by hand (delete \"start\" to pick by \
                         \"occurrence\")",
                        a.text,
                        expected
                            .iter()
                            .map(|e| e.to_string())
                            .collect::<Vec<_>>()
                            .join(" or "),
                        a.text
                    )));
                    continue;
                }
            }
        } else {
            match a.occurrence {
                Some(k) if k >= 1 && k <= all.len() => all[k - 1],
                None if all.len() == 1 => all[0],
                Some(k) => {
                    result.lost.push(lost(format!(
                        "occurrence {k} of {:?} no longer exists ({} left)",
                        a.text,
                        all.len()
                    )));
                    continue;
                }
                None => {
                    result.lost.push(lost(format!(
                        "{:?} now occurs {} times; say which with \"occurrence\"",
                        a.text,
                        all.len()
                    )));
                    continue;
                }
            }
        };
        if a.start.is_some_and(|s| s != span.start) {
            result.moved.push(Moved {
                item: a.item.clone(),
                text: a.text.to_string(),
                from: a.start,
                to: span.start,
            });
        }
        resolved.insert(a.item.clone(), span);
    }

    let mut doc = Document::empty(article.clone(), parsed.source.clone());
    doc.status = parsed.status;
    doc.notes = parsed.notes.clone();
    doc.layers = parsed
        .layers
        .clone()
        .unwrap_or_else(|| crate::annotation::Layer::ALL.to_vec());
    doc.speakers = parsed.speakers.clone();
    doc.places = parsed.places.clone();
    for (i, m) in parsed.mentions.iter().enumerate() {
        // Gold types are our own; `gold check` names any other label.
        let Some(entity_type) = crate::annotation::EntityType::parse(&m.entity_type) else {
            result.lost.push(Problem {
                file: file.to_path_buf(),
                line: None,
                item: format!("mentions[{i}].type"),
                message: format!(
                    "unknown entity type {:?} (PERSON, PLACE, ORG)",
                    m.entity_type
                ),
            });
            continue;
        };
        if let Some(span) = resolved.get(&format!("mentions[{i}]")) {
            doc.mentions.push(Mention {
                span: *span,
                entity_type,
            });
        }
    }
    for (i, q) in parsed.quotes.iter().enumerate() {
        let pieces: Option<Vec<Span>> = if q.fragments.is_empty() {
            resolved.get(&format!("quotes[{i}]")).map(|s| vec![*s])
        } else {
            (0..q.fragments.len())
                .map(|j| {
                    resolved
                        .get(&format!("quotes[{i}].fragments[{j}]"))
                        .copied()
                })
                .collect()
        };
        let Some(kind) = q.kind else {
            // Gold names every quote's kind; `gold check` names the one that does not.
            result.lost.push(Problem {
                file: file.to_path_buf(),
                line: None,
                item: format!("quotes[{i}].kind"),
                message: "needs \"kind\": direct, indirect or mixed".into(),
            });
            continue;
        };
        if let Some(pieces) = pieces {
            let mut quote = Quote {
                span: pieces[0],
                fragments: Vec::new(),
                kind,
                cue: resolved.get(&format!("quotes[{i}].cue")).copied(),
                speaker_mention: resolved
                    .get(&format!("quotes[{i}].speaker_mention"))
                    .copied(),
                speaker: q.speaker.clone(),
                joint_speakers: Vec::new(),
            };
            quote.set_pieces(&pieces);
            doc.quotes.push(quote);
        }
    }
    doc.sort();
    result.inconsistent = check_document(&doc, file);
    if result.lost.is_empty() && result.inconsistent.is_empty() {
        let fresh = AnnotationFile::from_document(&doc).to_json();
        result.changed = fresh != json;
        if write && result.changed {
            write_atomically(file, fresh.as_bytes(), true)?;
            result.written = true;
        }
    }
    Ok(result)
}

/// An exchange format for annotation tools.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum ExchangeFormat {
    /// brat standoff (.ann beside .txt), also read by INCEpTION: every layer.
    Brat,
    /// CoNLL `TOKEN TAG` (IOB2): entity mentions only.
    Conll,
    /// A PolNeAR split directory (`text/*.txt`, `attributions/*_<annotator>.ann`), import only:
    /// writes a corpus (the texts and quotes-only gold) that `eval --gold` reads.
    Polnear,
}

impl ExchangeFormat {
    fn extension(&self) -> &'static str {
        match self {
            ExchangeFormat::Brat => "ann",
            ExchangeFormat::Conll => "conll",
            ExchangeFormat::Polnear => "ann",
        }
    }
}

/// Writes every gold document of `gold_dir` into `out_dir` in an exchange format (for brat, the
/// article text and the `annotation.conf` too). Existing files are kept unless `force`.
pub fn export(
    gold_dir: &Path,
    format: ExchangeFormat,
    out_dir: &Path,
    force: bool,
) -> Result<Vec<PathBuf>> {
    if format == ExchangeFormat::Polnear {
        return Err(Failure::usage("PolNeAR is an import format; export to brat instead").into());
    }
    let corpus = Corpus::load(gold_dir)?;
    let annotations = corpus.load_annotations(gold_dir)?;
    let mut files: Vec<(PathBuf, Vec<u8>)> = Vec::new();
    for (id, doc) in &annotations.docs {
        match format {
            ExchangeFormat::Brat => {
                files.push((
                    out_dir.join(format!("{id}.txt")),
                    doc.article.text().as_bytes().to_vec(),
                ));
                files.push((
                    out_dir.join(format!("{id}.ann")),
                    brat::to_brat(doc).into_bytes(),
                ));
            }
            ExchangeFormat::Conll => files.push((
                out_dir.join(format!("{id}.conll")),
                conll::to_conll(doc).into_bytes(),
            )),
            ExchangeFormat::Polnear => unreachable!("refused above"),
        }
    }
    if format == ExchangeFormat::Brat {
        files.push((
            out_dir.join("annotation.conf"),
            brat::annotation_conf().as_bytes().to_vec(),
        ));
    }
    write_all(files, force)
}

/// Reads annotations in an exchange format from `from_dir` (one file per article of the corpus
/// in `gold_dir`) and writes them as annotation files into `out_dir`. The article texts are the
/// corpus's; a brat `.txt` that differs from them is an error, never silently accepted.
pub fn import(
    from_dir: &Path,
    format: ExchangeFormat,
    gold_dir: &Path,
    out_dir: &Path,
    labels: crate::format::labels::LabelSet,
    layers: Option<&Path>,
    force: bool,
) -> Result<Vec<PathBuf>> {
    if format == ExchangeFormat::Polnear {
        return import_polnear_corpus(from_dir, layers, out_dir, force);
    }
    if let Some(dir) = layers {
        return Err(Failure::usage(format!(
            "--layers {} applies to --format polnear only",
            dir.display()
        ))
        .into());
    }
    let corpus = Corpus::load(gold_dir)?;
    let mut docs: BTreeMap<String, Document> = BTreeMap::new();
    let mut problems = Vec::new();
    for article in &corpus.articles {
        let file = from_dir.join(format!("{}.{}", article.id, format.extension()));
        if !file.exists() {
            continue;
        }
        let text = std::fs::read_to_string(&file).map_err(|source| AppError::Read {
            path: file.display().to_string(),
            source,
        })?;
        if format == ExchangeFormat::Brat {
            let txt = file.with_extension("txt");
            if let Ok(theirs) = std::fs::read_to_string(&txt) {
                if theirs != article.text() {
                    problems.push(Problem::file(
                        &txt,
                        format!(
                            "differs from the corpus article {}.txt; annotations would not line up",
                            article.id
                        ),
                    ));
                    continue;
                }
            }
        }
        let doc = match format {
            ExchangeFormat::Brat => brat::from_brat(article.clone(), &text, &file).map_err(|p| p.0),
            ExchangeFormat::Conll => conll::from_conll_with(article.clone(), &text, &file, labels),
            ExchangeFormat::Polnear => unreachable!("handled above"),
        };
        match doc {
            Ok(doc) => {
                docs.insert(stem(&file), doc);
            }
            Err(mut p) => problems.append(&mut p),
        }
    }
    // A file for an article the corpus does not have would be dropped without a word.
    if let Ok(entries) = std::fs::read_dir(from_dir) {
        let mut orphans: Vec<PathBuf> = entries
            .filter_map(|e| e.ok().map(|e| e.path()))
            .filter(|p| p.is_file() && p.extension().is_some_and(|x| x == format.extension()))
            .filter(|p| corpus.article(&stem(p)).is_none())
            .collect();
        orphans.sort();
        for p in orphans {
            problems.push(Problem::file(
                &p,
                format!(
                    "no article {}.txt in {}: not imported",
                    stem(&p),
                    gold_dir.display()
                ),
            ));
        }
    }
    if !problems.is_empty() {
        return Err(Problems(problems).into());
    }
    if docs.is_empty() {
        return Err(Failure::no_input(format!(
            "no .{} file in {} matches an article of {}",
            format.extension(),
            from_dir.display(),
            gold_dir.display()
        ))
        .into());
    }
    let files = docs
        .into_iter()
        .map(|(id, doc)| {
            (
                path_for(out_dir, &id),
                AnnotationFile::from_document(&doc).to_json().into_bytes(),
            )
        })
        .collect();
    write_all(files, force)
}

/// Writes a PolNeAR split as a corpus: `<id>.txt` (the article, verbatim) and `<id>.json` (its
/// attributions as quotes, imported literally; one annotator per article, see
/// `format::polnear`), with quoteval's entity, speaker and place layers laid over each article
/// when `layers` names their directory (`format::layers`).
fn import_polnear_corpus(
    split_dir: &Path,
    layers: Option<&Path>,
    out_dir: &Path,
    force: bool,
) -> Result<Vec<PathBuf>> {
    // A missing text is missing input (66), not bad data.
    let texts = split_dir.join("text");
    let anns = split_dir.join("attributions");
    for dir in [&texts, &anns] {
        if !dir.is_dir() {
            return Err(Failure::no_input(format!(
                "{}: no such directory (a PolNeAR split holds text/ and attributions/)",
                dir.display()
            ))
            .into());
        }
    }
    let missing: Vec<String> = crate::format::polnear::missing_texts(split_dir)?
        .iter()
        .map(|p| p.display().to_string())
        .collect();
    if !missing.is_empty() {
        return Err(Failure::no_input(format!(
            "no text for {} annotated article(s): {}",
            missing.len(),
            missing.join(", ")
        ))
        .into());
    }
    let docs = match layers {
        None => crate::format::polnear::import_split(split_dir)?,
        Some(dir) => crate::format::polnear::import_split_with_layers(split_dir, dir)?,
    };
    if docs.is_empty() {
        return Err(Failure::no_input(format!(
            "no PolNeAR attributions under {}",
            split_dir.join("attributions").display()
        ))
        .into());
    }
    let mut files = Vec::new();
    for (article, doc) in docs {
        files.push((
            out_dir.join(format!("{}.txt", article.id)),
            article.text().as_bytes().to_vec(),
        ));
        files.push((
            path_for(out_dir, &article.id),
            AnnotationFile::from_document(&doc).to_json().into_bytes(),
        ));
    }
    let written = write_all(files, force)?;
    Ok(written
        .into_iter()
        .filter(|p| p.extension().is_some_and(|x| x == "json"))
        .collect())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::format::json::read_document;

    fn corpus_with(text: &str, json: &str) -> tempfile::TempDir {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("a.txt"), text).unwrap();
        std::fs::write(dir.path().join("a.json"), json).unwrap();
        dir
    }

    const GOLD: &str = r#"{"schema": "quoteval-annotation/1", "article": "a",
      "mentions": [{"type": "PERSON", "text": "Putin", "occurrence": 2, "start": 35}],
      "quotes": [{"kind": "direct", "text": "useful", "start": 47, "cue": {"text": "said", "occurrence": 2}, "speaker": "Putin"}],
      "speakers": [{"name": "Putin", "type": "PERSON"}], "places": []}"#;

    #[test]
    fn refresh_follows_an_edit_and_rewrites_anchors() {
        let original = "Putin said no. Later, on Thursday, Putin said “useful”.";
        let dir = corpus_with(original, GOLD);
        // Unchanged text: nothing moves, and the file (once written) still loads.
        let r = refresh(dir.path(), false).unwrap();
        assert!(r[0].moved.is_empty() && r[0].lost.is_empty(), "{}", r[0]);
        // An editor inserts a sentence before the second Putin.
        let edited =
            "Putin said no. “Putin” was trending. Later, on Thursday, Putin said “useful”.";
        std::fs::write(dir.path().join("a.txt"), edited).unwrap();
        let art = Arc::new(Article::new("a", edited));
        assert!(
            read_document(&dir.path().join("a.json"), art.clone()).is_err(),
            "the stale start is caught on load"
        );
        let r = refresh(dir.path(), true).unwrap();
        // The unique "useful" moved by 22 chars, so "Putin" is looked for near 35 + 22 = 57, not
        // at the inserted "“Putin”" (16), which is nearer its old position.
        assert_eq!(
            r[0].moved,
            vec![
                Moved {
                    item: "mentions[0]".into(),
                    text: "Putin".into(),
                    from: Some(35),
                    to: 57
                },
                Moved {
                    item: "quotes[0]".into(),
                    text: "useful".into(),
                    from: Some(47),
                    to: 69
                },
            ]
        );
        assert!(r[0].written);
        let doc = read_document(&dir.path().join("a.json"), art.clone()).unwrap();
        assert_eq!(doc.text_of(doc.mentions[0].span), "Putin");
        assert_eq!(
            doc.mentions[0].span.start,
            art.occurrences("Putin")[2].start
        );
    }

    #[test]
    fn refresh_lists_lost_items_and_writes_nothing() {
        let dir = corpus_with(
            "Putin said no. Later, on Thursday, Putin said “useful”.",
            GOLD,
        );
        std::fs::write(
            dir.path().join("a.txt"),
            "Putin said no. Later, on Thursday, Putin called it “helpful”.",
        )
        .unwrap();
        let before = std::fs::read_to_string(dir.path().join("a.json")).unwrap();
        let r = refresh(dir.path(), true).unwrap();
        let lost: Vec<String> = r[0].lost.iter().map(|p| p.to_string()).collect();
        assert!(
            lost.iter()
                .any(|l| l.contains("quotes[0]: \"useful\" no longer occurs")),
            "{lost:?}"
        );
        assert!(
            lost.iter()
                .any(|l| l.contains("quotes[0].cue: occurrence 2 of \"said\" no longer exists")),
            "{lost:?}"
        );
        assert!(!r[0].written);
        assert_eq!(
            std::fs::read_to_string(dir.path().join("a.json")).unwrap(),
            before
        );
    }
}
