//! Keeping the gold corpus growing and valid: draft gold from a model, re-anchor gold after an
//! article's text was edited, and exchange annotations with brat / INCEpTION and CoNLL tools.

use std::collections::BTreeMap;
use std::fmt;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use anyhow::{bail, Context, Result};

use crate::annotation::{Article, Document, Mention, Quote, Span, Status};
use crate::check::check_document;
use crate::corpus::{stem, Corpus};
use crate::format::json::{path_for, write_document, AnnotationFile};
use crate::format::{brat, conll, write_atomically, Problem, Problems};
use crate::models::{ModelsFile, Overrides};

/// Runs a model over the articles of `gold_dir` that have no gold file (all of them with
/// `force`) and writes its predictions into `out_dir` as unreviewed drafts. An existing file in
/// `out_dir` is kept unless `force`.
pub fn draft(
    models_file: &Path,
    model: Option<&str>,
    gold_dir: &Path,
    out_dir: &Path,
    force: bool,
) -> Result<Vec<PathBuf>> {
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
        if !existing.is_empty() {
            bail!(
                "would overwrite {} (pass --force to replace them)",
                existing.join(", ")
            );
        }
    }
    let models = ModelsFile::load(models_file)?;
    let name = model
        .map(str::to_string)
        .unwrap_or_else(|| models.default.clone());
    let mut backend = models.build(&name, &Overrides::default())?;
    let docs = backend.annotate(&todo, &mut |_| {})?;
    let mut written = Vec::new();
    for mut doc in docs {
        doc.status = Status::Draft;
        doc.source = format!("draft by model {name}; review before use as gold");
        let path = path_for(out_dir, doc.id());
        write_document(&doc, &path, force)?;
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
    pub written: bool,
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
/// texts. Each anchor is looked up leniently: the occurrence nearest its recorded `start` when
/// there is one, else its `occurrence`. A file is rewritten (with fresh `occurrence` and `start`
/// fields, atomically) only when `write` is set and every item still matches; otherwise nothing
/// is written and the items that no longer match are listed.
pub fn refresh(dir: &Path, write: bool) -> Result<Vec<Refreshed>> {
    let corpus = Corpus::load(dir)?;
    let mut out = Vec::new();
    for article in &corpus.articles {
        let file = path_for(dir, &article.id);
        if !file.exists() {
            continue;
        }
        let json = std::fs::read_to_string(&file)
            .with_context(|| format!("reading {}", file.display()))?;
        let parsed = AnnotationFile::parse(&json, &file).map_err(|p| Problems(vec![p]))?;
        out.push(refresh_file(&parsed, article.clone(), &file, write)?);
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

fn refresh_file(
    parsed: &AnnotationFile,
    article: Arc<Article>,
    file: &Path,
    write: bool,
) -> Result<Refreshed> {
    let mut result = Refreshed {
        file: file.to_path_buf(),
        ..Default::default()
    };
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
        anchors.push(Anchor {
            item: format!("quotes[{i}]"),
            text: &q.text,
            occurrence: q.occurrence,
            start: q.start,
        });
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
    // How far the text moved around each recorded position, learnt from anchors whose text is
    // unique in the edited article: an item is looked for at its old start plus the shift of the
    // nearest such anchor before it (or after it, at the top of the article).
    let mut shifts: Vec<(usize, i64)> = anchors
        .iter()
        .filter_map(|a| {
            let old = a.start?;
            let all = article.occurrences(a.text);
            (all.len() == 1).then(|| (old, all[0].start as i64 - old as i64))
        })
        .collect();
    shifts.sort();
    let shift_at = |old: usize| -> i64 {
        let before = shifts.iter().rev().find(|(o, _)| *o <= old);
        before.or(shifts.first()).map_or(0, |(_, d)| *d)
    };

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
            let expected = (old as i64 + shift_at(old)).max(0) as usize;
            let Some(best) = all
                .iter()
                .min_by_key(|s| (s.start.abs_diff(expected), s.start))
            else {
                continue;
            };
            *best
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
        if let Some(span) = resolved.get(&format!("mentions[{i}]")) {
            doc.mentions.push(Mention {
                span: *span,
                entity_type: m.entity_type,
            });
        }
    }
    for (i, q) in parsed.quotes.iter().enumerate() {
        if let Some(span) = resolved.get(&format!("quotes[{i}]")) {
            doc.quotes.push(Quote {
                span: *span,
                kind: q.kind,
                cue: resolved.get(&format!("quotes[{i}].cue")).copied(),
                speaker_mention: resolved
                    .get(&format!("quotes[{i}].speaker_mention"))
                    .copied(),
                speaker: q.speaker.clone(),
            });
        }
    }
    doc.sort();
    result.inconsistent = check_document(&doc, file);
    if write && result.lost.is_empty() {
        write_document(&doc, file, true)?;
        result.written = true;
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
    let corpus = Corpus::load(gold_dir)?;
    let annotations = corpus.load_annotations(gold_dir)?;
    let mut written = Vec::new();
    let mut put = |path: PathBuf, bytes: &[u8]| -> Result<()> {
        write_atomically(&path, bytes, force)?;
        written.push(path);
        Ok(())
    };
    for (id, doc) in &annotations.docs {
        match format {
            ExchangeFormat::Brat => {
                put(
                    out_dir.join(format!("{id}.txt")),
                    doc.article.text().as_bytes(),
                )?;
                put(
                    out_dir.join(format!("{id}.ann")),
                    brat::to_brat(doc).as_bytes(),
                )?;
            }
            ExchangeFormat::Conll => put(
                out_dir.join(format!("{id}.conll")),
                conll::to_conll(doc).as_bytes(),
            )?,
            ExchangeFormat::Polnear => bail!("PolNeAR is an import format; export to brat instead"),
        }
    }
    if format == ExchangeFormat::Brat {
        put(
            out_dir.join("annotation.conf"),
            brat::annotation_conf().as_bytes(),
        )?;
    }
    Ok(written)
}

/// Reads annotations in an exchange format from `from_dir` (one file per article of the corpus
/// in `gold_dir`) and writes them as annotation files into `out_dir`. The article texts are the
/// corpus's; a brat `.txt` that differs from them is an error, never silently accepted.
pub fn import(
    from_dir: &Path,
    format: ExchangeFormat,
    gold_dir: &Path,
    out_dir: &Path,
    force: bool,
) -> Result<Vec<PathBuf>> {
    if format == ExchangeFormat::Polnear {
        return import_polnear_corpus(from_dir, out_dir, force);
    }
    let corpus = Corpus::load(gold_dir)?;
    let mut docs: BTreeMap<String, Document> = BTreeMap::new();
    let mut problems = Vec::new();
    for article in &corpus.articles {
        let file = from_dir.join(format!("{}.{}", article.id, format.extension()));
        if !file.exists() {
            continue;
        }
        let text = std::fs::read_to_string(&file)
            .with_context(|| format!("reading {}", file.display()))?;
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
            ExchangeFormat::Conll => conll::from_conll(article.clone(), &text, &file),
            ExchangeFormat::Polnear => unreachable!("handled above"),
        };
        match doc {
            Ok(doc) => {
                docs.insert(stem(&file), doc);
            }
            Err(mut p) => problems.append(&mut p),
        }
    }
    if !problems.is_empty() {
        return Err(Problems(problems).into());
    }
    if docs.is_empty() {
        bail!(
            "no .{} file in {} matches an article of {}",
            format.extension(),
            from_dir.display(),
            gold_dir.display()
        );
    }
    let mut written = Vec::new();
    for (id, doc) in docs {
        let path = path_for(out_dir, &id);
        write_document(&doc, &path, force)?;
        written.push(path);
    }
    Ok(written)
}

/// Writes a PolNeAR split as a corpus: `<id>.txt` (the article, verbatim) and `<id>.json` (its
/// attributions as quotes; one annotator per article, see `format::brat::import_polnear`).
fn import_polnear_corpus(split_dir: &Path, out_dir: &Path, force: bool) -> Result<Vec<PathBuf>> {
    let docs = brat::import_polnear(&split_dir.join("text"), &split_dir.join("attributions"))?;
    if docs.is_empty() {
        bail!(
            "no PolNeAR attributions under {}",
            split_dir.join("attributions").display()
        );
    }
    let mut written = Vec::new();
    for (article, doc) in docs {
        let txt = out_dir.join(format!("{}.txt", article.id));
        write_atomically(&txt, article.text().as_bytes(), force)?;
        let path = path_for(out_dir, &article.id);
        write_document(&doc, &path, force)?;
        written.push(path);
    }
    Ok(written)
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
      "speakers": [{"name": "Putin", "type": "PERSON"}]}"#;

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
