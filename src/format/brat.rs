//! brat standoff (`.ann`): importing PolNeAR, and exporting our own annotations to brat and back.
//!
//! # The `.ann` syntax read here
//! One annotation per line, fields separated by tabs:
//! - `T<n>\t<Type> <start> <end>[;<start> <end>…]\t<text>`: a text-bound annotation; offsets are
//!   half-open char offsets into the article; fragments of a discontinuous span are joined by
//!   one space in `<text>`. A span that crosses a line break is written with the break, so its
//!   text continues on the following line(s) of the file; such continuation lines are joined
//!   back. Every `T` line's text is checked against the article; a mismatch is a problem
//!   reported with the file and line.
//! - `E<n>\t<Type>:<trigger> <Role>:<id> …`: an event; a role may carry a number suffix
//!   (`Content2`) when it is repeated.
//! - `R<n>\t<Type> Arg1:<id> Arg2:<id>`, `A<n>\t<Name> <id> [<value>]`, and notes
//!   `#<n>\t<Type> <id>\t<text>`.
//!
//! # PolNeAR ([`import_polnear`])
//! Each attribution event (`Attribution` or `Attribution-no-source`) gives quotes with layers
//! = `[quotes]` (PolNeAR has no entity mentions and no resolved speakers):
//! - every `Content` span becomes quotes: its fragments are joined where only spaces (no line
//!   break) separate them, and each resulting piece is one quote;
//! - a piece is *direct* when, once a leading complementiser "that", leading punctuation and
//!   trailing punctuation are set aside, it lies inside one quotation of the article (the
//!   quotation marks are read with the extractor's own rules, [`crate::extract::quotes::marks`]);
//!   its span is then the text inside the marks, as the annotation guidelines define a direct
//!   quote. PolNeAR splits long quotations into sentence fragments; fragments of one Content
//!   separated by spaces only are joined first, so a quotation's paragraph is one quote;
//! - a piece that holds quotation marks but is not itself inside one quotation ("he will do
//!   “very, very well” in Nevada") is read as the guidelines read such a clause: through its
//!   quoted fragments only, each a direct quote ([`MixedContent::Fragments`], the default);
//!   [`MixedContent::Indirect`] keeps the whole piece as one indirect quote instead;
//! - any other piece is *indirect*, its span without a leading "that" and without the final
//!   punctuation;
//! - the first `Source` span is the quote's `speaker_mention` and its text is the quote's
//!   `speaker` (listed in `speakers`); the first `Cue` span (its first fragment) is the `cue`;
//! - the same piece claimed by two events is kept once; `Discuss`, `Discard` and other types
//!   are ignored.
//!
//! When an article has two annotators' files (`<article>_<annotator>.ann`), the file of the
//! annotator code that sorts first is used; the document's notes name the file used and the
//! one left out.
//!
//! # Our own annotations ([`to_brat`], [`from_brat`])
//! Designed so that `from_brat(to_brat(doc)) == doc` for a sorted document:
//! - mentions: `T` lines typed `PERSON`, `PLACE`, `ORG`;
//! - quotes: a `Quote` span (the content; a quote in fragments is one discontinuous span,
//!   `start end;start end`), a `Cue` and a `Source` span (the speaker mention)
//!   when present (spans shared by several quotes are written once), an event
//!   `E<n>\tQuote:<content> Cue:<cue> Source:<source>`, an attribute `A<n>\tKind E<n> Direct`
//!   (or `Indirect`, `Mixed`), and `#<n>\tAnnotatorNotes E<n>\tspeaker: "<resolved name>"` (the name as a
//!   JSON string);
//! - document-level items as notes holding JSON: one `Document` note (status, source, notes,
//!   layers), then one `Speaker` note per speaker and one `Place` note per place, in order.
//!   They are attached to the first text-bound annotation (brat shows them there), or to `T0`
//!   when there is none; the importer finds them by type, not by target.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use serde::{Deserialize, Serialize};

use super::{Problem, Problems};
use crate::annotation::{
    Article, Document, EntityType, Layer, Mention, Place, Quote, QuoteKind, Span, Speaker,
    SpeakerType, Status,
};
use crate::extract::quotes::marks::read_marks;

/// One parsed line (or, for a text-bound annotation, lines) of an `.ann` file.
#[derive(Debug, Clone, PartialEq)]
pub enum AnnItem {
    Text {
        id: String,
        kind: String,
        fragments: Vec<(usize, usize)>,
        text: String,
        line: usize,
        /// The first file line joined to the text as its continuation, if any: where to point
        /// when the joined text does not match (a stray line, not a text with a line break).
        continued_at: Option<usize>,
    },
    Event {
        id: String,
        kind: String,
        trigger: String,
        args: Vec<(String, String)>,
        line: usize,
    },
    Relation {
        id: String,
        kind: String,
        args: Vec<(String, String)>,
        line: usize,
    },
    Attribute {
        id: String,
        name: String,
        target: String,
        value: Option<String>,
        line: usize,
    },
    Note {
        id: String,
        kind: String,
        target: String,
        text: String,
        line: usize,
    },
}

impl AnnItem {
    pub fn line(&self) -> usize {
        match self {
            AnnItem::Text { line, .. }
            | AnnItem::Event { line, .. }
            | AnnItem::Relation { line, .. }
            | AnnItem::Attribute { line, .. }
            | AnnItem::Note { line, .. } => *line,
        }
    }
}

fn problem(file: &Path, line: usize, item: &str, message: impl Into<String>) -> Problem {
    Problem {
        file: file.to_path_buf(),
        line: Some(line),
        item: item.to_string(),
        message: message.into(),
    }
}

/// Whether a file line starts a new annotation (an id and a tab).
fn starts_annotation(line: &str) -> bool {
    let Some((id, _)) = line.split_once('\t') else {
        return false;
    };
    let mut chars = id.chars();
    match chars.next() {
        Some('T' | 'E' | 'R' | 'A' | 'M' | 'N' | '#') => {
            chars.all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
        }
        Some('*') => true,
        _ => false,
    }
}

/// Parses an `.ann` file. Syntax errors are problems with their line; lines of unknown kinds
/// (`*` equivalences, normalisations) are skipped.
pub fn parse_ann(content: &str, file: &Path) -> Result<Vec<AnnItem>, Problems> {
    let mut problems = Vec::new();
    // Group continuation lines with the annotation they belong to.
    let mut records: Vec<(usize, String, Option<usize>)> = Vec::new();
    for (i, line) in content.split('\n').enumerate() {
        let line = line.strip_suffix('\r').unwrap_or(line);
        if starts_annotation(line) {
            records.push((i + 1, line.to_string(), None));
        } else if let Some(last) = records
            .last_mut()
            .filter(|r| r.1.starts_with('T') || line.trim().is_empty())
        {
            // Only a text can continue on the next line; a blank line ends nothing.
            last.1.push('\n');
            last.1.push_str(line);
            if !line.trim().is_empty() {
                last.2.get_or_insert(i + 1);
            }
        } else if !line.trim().is_empty() {
            problems.push(problem(
                file,
                i + 1,
                "",
                format!("not an annotation line: {line:?}"),
            ));
        }
    }
    let mut items = Vec::new();
    for (line, record, continued_at) in records {
        // A blank line after a record (the file's final newline) belongs to no annotation.
        let record = if record.starts_with('T') {
            record
        } else {
            record.trim_end_matches(['\n', '\r', ' ']).to_string()
        };
        let mut fields = record.splitn(3, '\t');
        let id = fields.next().unwrap_or("").to_string();
        let data = fields.next().unwrap_or("");
        let tail = fields.next();
        let bad = |m: &str| problem(file, line, &id, m.to_string());
        match id.chars().next() {
            Some('T') => {
                let Some((kind, offsets)) = data.split_once(' ') else {
                    problems.push(bad("a text-bound annotation needs a type and offsets"));
                    continue;
                };
                let mut fragments = Vec::new();
                let mut ok = true;
                for frag in offsets.split(';') {
                    let nums: Vec<&str> = frag.split_whitespace().collect();
                    match (
                        nums.len(),
                        nums.first().and_then(|s| s.parse::<usize>().ok()),
                        nums.get(1).and_then(|s| s.parse::<usize>().ok()),
                    ) {
                        // An empty span annotates nothing (brat cannot make one), and an
                        // annotation file cannot hold it.
                        (2, Some(s), Some(e)) if s < e => fragments.push((s, e)),
                        _ => ok = false,
                    }
                }
                if !ok || fragments.is_empty() {
                    problems.push(bad(&format!(
                        "bad offsets {offsets:?} (expected `START END[;START END…]`, START < END)"
                    )));
                    continue;
                }
                // A trailing line break at the end of the file is not part of the text.
                let text = tail.unwrap_or("").to_string();
                items.push(AnnItem::Text {
                    id,
                    kind: kind.to_string(),
                    fragments,
                    text,
                    line,
                    continued_at,
                });
            }
            Some('E') => {
                let mut parts = data.split_whitespace();
                let Some((kind, trigger)) = parts.next().and_then(|p| p.split_once(':')) else {
                    problems.push(bad("an event needs Type:Trigger"));
                    continue;
                };
                let mut args = Vec::new();
                for p in parts {
                    match p.split_once(':') {
                        Some((r, t)) => args.push((r.to_string(), t.to_string())),
                        None => problems.push(bad(&format!("bad event argument {p:?}"))),
                    }
                }
                items.push(AnnItem::Event {
                    id,
                    kind: kind.to_string(),
                    trigger: trigger.to_string(),
                    args,
                    line,
                });
            }
            Some('R') => {
                let mut parts = data.split_whitespace();
                let kind = parts.next().unwrap_or("").to_string();
                let args = parts
                    .filter_map(|p| p.split_once(':'))
                    .map(|(r, t)| (r.to_string(), t.to_string()))
                    .collect();
                items.push(AnnItem::Relation {
                    id,
                    kind,
                    args,
                    line,
                });
            }
            Some('A' | 'M') => {
                let parts: Vec<&str> = data.split_whitespace().collect();
                if parts.len() < 2 {
                    problems.push(bad("an attribute needs a name and a target"));
                    continue;
                }
                items.push(AnnItem::Attribute {
                    id,
                    name: parts[0].to_string(),
                    target: parts[1].to_string(),
                    value: parts.get(2).map(|s| s.to_string()),
                    line,
                });
            }
            Some('#') => {
                let (kind, target) = data.split_once(' ').unwrap_or((data, ""));
                items.push(AnnItem::Note {
                    id,
                    kind: kind.to_string(),
                    target: target.trim().to_string(),
                    text: tail.unwrap_or("").to_string(),
                    line,
                });
            }
            _ => {}
        }
    }
    if problems.is_empty() {
        Ok(items)
    } else {
        Err(Problems(problems))
    }
}

/// Texts compare with line breaks as spaces (our writer puts a span's line breaks as spaces).
fn same_text(a: &str, b: &str) -> bool {
    let norm = |s: &str| s.replace("\r\n", "\n").replace(['\n', '\r'], " ");
    let (a, b) = (norm(a), norm(b));
    a == b || a.trim_end() == b.trim_end()
}

/// Checks every text-bound annotation against the article: offsets inside the text, and the
/// written text equal to the text at the offsets (fragments joined by a space).
pub fn verify(items: &[AnnItem], article: &Article, file: &Path) -> Vec<Problem> {
    let mut problems = Vec::new();
    for item in items {
        if let AnnItem::Text {
            id,
            fragments,
            text,
            line,
            continued_at,
            ..
        } = item
        {
            let mut parts = Vec::new();
            for &(s, e) in fragments {
                match article.get(Span::new(s, e)) {
                    Some(t) => parts.push(t.to_string()),
                    None => {
                        problems.push(problem(
                            file,
                            *line,
                            id,
                            format!(
                                "offsets {s} {e} lie outside the article ({} chars)",
                                article.char_len()
                            ),
                        ));
                        parts.clear();
                        break;
                    }
                }
            }
            if parts.is_empty() {
                continue;
            }
            let want = parts.join(" ");
            let first_line = text.split('\n').next().unwrap_or("");
            if let Some(at) = continued_at
                .filter(|_| !same_text(&want, text))
                .filter(|_| same_text(&want, first_line))
            {
                // The text on the annotation's own line matches; what follows is a stray line.
                let stray = text.split('\n').skip(1).find(|l| !l.trim().is_empty());
                problems.push(problem(
                    file,
                    at,
                    "",
                    format!("not an annotation line: {:?}", stray.unwrap_or("")),
                ));
            } else if !same_text(&want, text) {
                problems.push(problem(
                    file,
                    *line,
                    id,
                    format!("text {text:?} does not match the article's {want:?}"),
                ));
            }
        }
    }
    problems
}

// ----- PolNeAR -----

/// Reads PolNeAR: every `<article>.txt` of `text_dir` that has at least one
/// `<article>_<annotator>.ann` in `ann_dir`, one annotator per article (the code that sorts
/// first). Articles are returned sorted by id. Any problem in any file fails the import, with
/// every problem listed.
pub fn import_polnear(
    text_dir: &Path,
    ann_dir: &Path,
) -> Result<Vec<(Arc<Article>, Document)>, Problems> {
    import_polnear_with(text_dir, ann_dir, PolnearOptions::default())
}

/// [`import_polnear`] with options.
pub fn import_polnear_with(
    text_dir: &Path,
    ann_dir: &Path,
    options: PolnearOptions,
) -> Result<Vec<(Arc<Article>, Document)>, Problems> {
    let entries =
        std::fs::read_dir(ann_dir).map_err(|e| Problems(vec![Problem::io(ann_dir, &e)]))?;
    let mut by_article: BTreeMap<String, Vec<(String, PathBuf)>> = BTreeMap::new();
    let mut problems = Vec::new();
    for entry in entries.filter_map(|e| e.ok()) {
        let path = entry.path();
        if path.extension().map_or(true, |x| x != "ann") {
            continue;
        }
        let stem = crate::corpus::stem(&path);
        match stem.rsplit_once('_') {
            Some((article, annotator)) => by_article
                .entry(article.to_string())
                .or_default()
                .push((annotator.to_string(), path)),
            None => problems.push(Problem::file(
                &path,
                "name is not <article>_<annotator>.ann",
            )),
        }
    }
    let mut docs = Vec::new();
    for (article_id, mut files) in by_article {
        files.sort();
        let (annotator, path) = files[0].clone();
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
        match polnear_document(article.clone(), &ann, &path, &annotator, options) {
            Ok(mut doc) => {
                let name = |p: &PathBuf| {
                    p.file_name()
                        .map(|n| n.to_string_lossy().into_owned())
                        .unwrap_or_default()
                };
                doc.notes
                    .push(format!("imported from PolNeAR {}", name(&path)));
                for (_, other) in &files[1..] {
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
pub fn polnear_document(
    article: Arc<Article>,
    ann: &str,
    file: &Path,
    annotator: &str,
    options: PolnearOptions,
) -> Result<Document, Problems> {
    let items = parse_ann(ann, file)?;
    let problems = verify(&items, &article, file);
    if !problems.is_empty() {
        return Err(Problems(problems));
    }
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
    let marks = read_marks(&chars);
    let mut doc = Document::empty(article.clone(), format!("PolNeAR annotator {annotator}"));
    doc.status = Status::Reviewed;
    doc.layers = vec![Layer::Quotes];
    let mut problems = Vec::new();
    let mut seen: Vec<Span> = Vec::new();
    let mut speakers: Vec<String> = Vec::new();
    let mut claimed: Vec<&str> = Vec::new();
    let mut add_content = |content_id: &str,
                           cue: Option<Span>,
                           source: Option<(Span, String)>,
                           line: usize,
                           doc: &mut Document| {
        let Some((_, fragments, _)) = spans.get(content_id) else {
            problems.push(problem(
                file,
                line,
                content_id,
                "the event names a span that does not exist",
            ));
            return;
        };
        for piece in merge_fragments(&chars, fragments) {
            for (span, kind) in classify_piece(&chars, &marks.quotations, piece, options.mixed) {
                if seen.contains(&span) {
                    continue;
                }
                seen.push(span);
                let speaker = source.as_ref().map(|(_, t)| t.clone());
                if let Some(s) = &speaker {
                    if !speakers.contains(s) {
                        speakers.push(s.clone());
                    }
                }
                doc.quotes.push(Quote {
                    span,
                    fragments: Vec::new(),
                    kind,
                    cue,
                    speaker_mention: source.as_ref().map(|(s, _)| *s),
                    speaker,
                });
            }
        }
    };
    for item in &items {
        let AnnItem::Event {
            kind, args, line, ..
        } = item
        else {
            continue;
        };
        if !kind.starts_with("Attribution") {
            continue;
        }
        let first_of = |role: &str| -> Option<(Span, String)> {
            let id = args
                .iter()
                .find(|(r, _)| role_base(r) == role)
                .map(|(_, t)| t.as_str())?;
            let (_, frags, text) = spans.get(id)?;
            let (s, e) = frags[0];
            Some((Span::new(s, e), text.replace('\n', " ")))
        };
        let cue = first_of("Cue").map(|(s, _)| s);
        let source = first_of("Source").map(|(s, text)| {
            // The speaker's text: the whole Source annotation as written.
            (s, text.trim().to_string())
        });
        for (_, id) in args.iter().filter(|(r, _)| role_base(r) == "Content") {
            claimed.push(id.as_str());
            add_content(id, cue, source.clone(), *line, &mut doc);
        }
    }
    // Content spans no event claims: quotes without cue or source.
    for item in &items {
        if let AnnItem::Text { id, kind, line, .. } = item {
            if kind == "Content" && !claimed.contains(&id.as_str()) {
                add_content(id, None, None, *line, &mut doc);
            }
        }
    }
    if !problems.is_empty() {
        return Err(Problems(problems));
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
    doc.sort();
    Ok(doc)
}

/// Joins the fragments of one span where only spaces and tabs separate them.
fn merge_fragments(chars: &[char], fragments: &[(usize, usize)]) -> Vec<Span> {
    let mut frags: Vec<(usize, usize)> = fragments.to_vec();
    frags.sort_unstable();
    let mut out: Vec<Span> = Vec::new();
    for (s, e) in frags {
        if let Some(last) = out.last_mut() {
            if s >= last.end
                && chars[last.end..s]
                    .iter()
                    .all(|c| *c == ' ' || *c == '\t' || *c == '\u{a0}')
            {
                last.end = last.end.max(e);
                continue;
            }
        }
        out.push(Span::new(s, e));
    }
    out
}

/// How a Content piece that holds quotation marks but is not itself inside one quotation is
/// read ("he will do “very, very well” in Nevada").
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum MixedContent {
    /// As the annotation guidelines read such a clause: through its quoted fragments only,
    /// each a direct quote (the unquoted rest is dropped). The default.
    #[default]
    Fragments,
    /// The whole piece as one indirect quote.
    Indirect,
}

/// Options of the PolNeAR import.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct PolnearOptions {
    pub mixed: MixedContent,
}

/// The quotes a Content piece gives: direct (the text of the quotation it lies in, marks
/// excluded), the quoted fragments of a mixed piece, or one indirect quote (without "that" and
/// the final punctuation). Empty for a piece with no words.
fn classify_piece(
    chars: &[char],
    quotations: &[crate::extract::quotes::marks::Quotation],
    piece: Span,
    mixed: MixedContent,
) -> Vec<(Span, QuoteKind)> {
    let is_space = |c: char| c.is_whitespace();
    let has_word = |s: usize, e: usize| chars[s..e].iter().any(|c| c.is_alphanumeric());
    let mut a = piece.start;
    let mut b = piece.end.min(chars.len());
    while a < b && is_space(chars[a]) {
        a += 1;
    }
    while b > a && is_space(chars[b - 1]) {
        b -= 1;
    }
    if a >= b || !has_word(a, b) {
        return Vec::new();
    }
    let word_at = |i: usize, w: &str| {
        let wc: Vec<char> = w.chars().collect();
        i + wc.len() <= b
            && chars[i..i + wc.len()]
                .iter()
                .zip(&wc)
                .all(|(x, y)| x.to_lowercase().eq(y.to_lowercase()))
            && (i + wc.len() == b || !chars[i + wc.len()].is_alphanumeric())
    };
    // Set aside "that", leading and trailing punctuation for the direct test.
    let mut da = a;
    if word_at(da, "that") {
        da += 4;
    }
    while da < b && (is_space(chars[da]) || matches!(chars[da], ':' | ',' | '—' | '–' | '-')) {
        da += 1;
    }
    let mut db = b;
    while db > da && (is_space(chars[db - 1]) || matches!(chars[db - 1], '.' | ',' | ';' | ':')) {
        db -= 1;
    }
    // The text of a quotation's paragraph pieces that falls inside [s, e).
    let inside = |q: &crate::extract::quotes::marks::Quotation,
                  s: usize,
                  e: usize|
     -> Vec<(Span, QuoteKind)> {
        q.pieces
            .iter()
            .filter_map(|p| {
                let (mut x, mut y) = (p.start.max(s), p.end.min(e));
                while x < y && is_space(chars[x]) {
                    x += 1;
                }
                while y > x && is_space(chars[y - 1]) {
                    y -= 1;
                }
                (x < y && has_word(x, y)).then(|| (Span::new(x, y), QuoteKind::Direct))
            })
            .collect()
    };
    if da < db {
        if let Some(q) = quotations
            .iter()
            .find(|q| q.outer().start <= da && db <= q.outer().end)
        {
            let found = inside(q, da, db);
            if !found.is_empty() {
                return found;
            }
        }
        if mixed == MixedContent::Fragments {
            let found: Vec<(Span, QuoteKind)> = quotations
                .iter()
                .filter(|q| q.outer().overlaps(&Span::new(da, db)))
                .flat_map(|q| inside(q, da, db))
                .collect();
            if !found.is_empty() {
                return found;
            }
        }
    }
    // Indirect: without a leading "that" and the final punctuation.
    let mut ia = a;
    if word_at(ia, "that") {
        ia += 4;
        while ia < b && is_space(chars[ia]) {
            ia += 1;
        }
    }
    let mut ib = b;
    while ib > ia && matches!(chars[ib - 1], '.' | ',' | ';' | ':') {
        ib -= 1;
    }
    while ib > ia && is_space(chars[ib - 1]) {
        ib -= 1;
    }
    if ia >= ib {
        return Vec::new();
    }
    vec![(Span::new(ia, ib), QuoteKind::Indirect)]
}

// ----- our own documents -----

#[derive(Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct DocumentNote {
    status: Status,
    source: String,
    #[serde(default)]
    notes: Vec<String>,
    layers: Vec<Layer>,
}

/// The brat `annotation.conf` that declares what [`to_brat`] writes.
pub fn annotation_conf() -> &'static str {
    "[entities]\nPERSON\nPLACE\nORG\nQuote\nCue\nSource\n\n[relations]\n\n[events]\nQuote\tCue?:Cue, Source?:Source\n\n[attributes]\nKind\tArg:Quote, Value:Direct|Indirect|Mixed\n"
}

/// Writes a document as brat standoff (see the module docs). The text of a span that crosses
/// a line break is written with spaces for the breaks.
pub fn to_brat(doc: &Document) -> String {
    let article = &doc.article;
    let flat = |span: Span| {
        article
            .slice(span)
            .replace("\r\n", " ")
            .replace(['\n', '\r'], " ")
    };
    let mut out = String::new();
    let mut t = 0usize;
    let mut lines_t: Vec<String> = Vec::new();
    let mut first_t: Option<String> = None;
    // A discontinuous span (a quote in fragments) is written as brat writes one:
    // `start end;start end`, its text the fragments' texts joined by a space.
    let mut text_bound = |kind: &str, pieces: &[Span], lines_t: &mut Vec<String>| -> String {
        t += 1;
        let id = format!("T{t}");
        let offsets: Vec<String> = pieces
            .iter()
            .map(|p| format!("{} {}", p.start, p.end))
            .collect();
        let texts: Vec<String> = pieces.iter().map(|p| flat(*p)).collect();
        lines_t.push(format!(
            "{id}\t{kind} {}\t{}",
            offsets.join(";"),
            texts.join(" ")
        ));
        id
    };
    for m in &doc.mentions {
        let id = text_bound(m.entity_type.as_str(), &[m.span], &mut lines_t);
        first_t.get_or_insert(id);
    }
    let mut shared: BTreeMap<(&str, Span), String> = BTreeMap::new();
    let mut quote_lines: Vec<String> = Vec::new();
    for (i, q) in doc.quotes.iter().enumerate() {
        let content = text_bound("Quote", q.pieces(), &mut lines_t);
        first_t.get_or_insert(content.clone());
        let mut args = format!("Quote:{content}");
        for (role, span) in [("Cue", q.cue), ("Source", q.speaker_mention)] {
            if let Some(span) = span {
                let id = match shared.get(&(role, span)) {
                    Some(id) => id.clone(),
                    None => {
                        let id = text_bound(role, &[span], &mut lines_t);
                        shared.insert((role, span), id.clone());
                        id
                    }
                };
                args.push_str(&format!(" {role}:{id}"));
            }
        }
        let e = format!("E{}", i + 1);
        quote_lines.push(format!("{e}\t{args}"));
        let kind = match q.kind {
            QuoteKind::Direct => "Direct",
            QuoteKind::Indirect => "Indirect",
            QuoteKind::Mixed => "Mixed",
        };
        quote_lines.push(format!("A{}\tKind {e} {kind}", i + 1));
    }
    for l in &lines_t {
        out.push_str(l);
        out.push('\n');
    }
    for l in &quote_lines {
        out.push_str(l);
        out.push('\n');
    }
    let mut note = 0usize;
    for (i, q) in doc.quotes.iter().enumerate() {
        if let Some(name) = &q.speaker {
            note += 1;
            out.push_str(&format!(
                "#{note}\tAnnotatorNotes E{}\tspeaker: {}\n",
                i + 1,
                json(name)
            ));
        }
    }
    let target = first_t.unwrap_or_else(|| "T0".to_string());
    let meta = DocumentNote {
        status: doc.status,
        source: doc.source.clone(),
        notes: doc.notes.clone(),
        layers: doc.layers.clone(),
    };
    note += 1;
    out.push_str(&format!("#{note}\tDocument {target}\t{}\n", json(&meta)));
    for s in &doc.speakers {
        note += 1;
        out.push_str(&format!("#{note}\tSpeaker {target}\t{}\n", json(s)));
    }
    for p in &doc.places {
        note += 1;
        out.push_str(&format!("#{note}\tPlace {target}\t{}\n", json(p)));
    }
    out
}

/// The text-bound types of a quote in the scheme [`to_brat`] writes.
const QUOTE_TYPES: [&str; 3] = ["Quote", "Cue", "Source"];

fn item_id(item: &AnnItem) -> &str {
    match item {
        AnnItem::Text { id, .. }
        | AnnItem::Event { id, .. }
        | AnnItem::Relation { id, .. }
        | AnnItem::Attribute { id, .. }
        | AnnItem::Note { id, .. } => id,
    }
}

/// Compact JSON of our data (which always serialises).
fn json<T: Serialize + ?Sized>(v: &T) -> String {
    serde_json::to_string(v).unwrap_or_default()
}

/// Reads a document written by [`to_brat`] (or by a person in brat with the same scheme)
/// against its article. Every problem is reported with the file and line.
pub fn from_brat(article: Arc<Article>, ann: &str, file: &Path) -> Result<Document, Problems> {
    let items = parse_ann(ann, file)?;
    let mut problems = verify(&items, &article, file);
    // Every item is read or refused: a duplicate id, a type outside the scheme or a quote span
    // no event uses would otherwise be dropped without a word.
    let mut first_line: BTreeMap<&str, usize> = BTreeMap::new();
    for item in &items {
        let id = item_id(item);
        match first_line.get(id) {
            Some(first) => problems.push(problem(
                file,
                item.line(),
                id,
                format!("duplicate id (first used on line {first})"),
            )),
            None => {
                first_line.insert(id, item.line());
            }
        }
    }
    let mut doc = Document::empty(article.clone(), String::new());
    let mut texts: BTreeMap<&str, (&str, Span)> = BTreeMap::new();
    let mut pieces_of: BTreeMap<&str, Vec<Span>> = BTreeMap::new();
    for item in &items {
        if let AnnItem::Text {
            id,
            kind,
            fragments,
            line,
            ..
        } = item
        {
            let start = fragments.iter().map(|f| f.0).min().unwrap_or(0);
            let end = fragments.iter().map(|f| f.1).max().unwrap_or(0);
            texts.insert(id.as_str(), (kind.as_str(), Span::new(start, end)));
            pieces_of.insert(
                id.as_str(),
                fragments.iter().map(|&(s, e)| Span::new(s, e)).collect(),
            );
            if let Some(t) = EntityType::parse(kind) {
                doc.mentions.push(Mention {
                    span: Span::new(start, end),
                    entity_type: t,
                });
            } else if !QUOTE_TYPES.contains(&kind.as_str()) {
                problems.push(problem(
                    file,
                    *line,
                    id,
                    format!(
                        "unknown type {kind:?} (this scheme has PERSON, PLACE, ORG, {}; see annotation.conf)",
                        QUOTE_TYPES.join(", ")
                    ),
                ));
            }
        }
    }
    let mut used: std::collections::BTreeSet<&str> = std::collections::BTreeSet::new();
    for item in &items {
        match item {
            AnnItem::Event { trigger, args, .. } => {
                used.insert(trigger.as_str());
                used.extend(args.iter().map(|(_, t)| t.as_str()));
            }
            AnnItem::Relation { kind, line, id, .. } => problems.push(problem(
                file,
                *line,
                id,
                format!("relation {kind:?} is not part of this scheme (quotes are events)"),
            )),
            _ => {}
        }
    }
    for item in &items {
        if let AnnItem::Text { id, kind, line, .. } = item {
            if QUOTE_TYPES.contains(&kind.as_str()) && !used.contains(id.as_str()) {
                problems.push(problem(
                    file,
                    *line,
                    id,
                    format!(
                        "{kind} span that no Quote event uses (give it an event, or delete it)"
                    ),
                ));
            }
        }
    }
    let mut kinds: BTreeMap<&str, QuoteKind> = BTreeMap::new();
    let mut speakers_of: BTreeMap<&str, String> = BTreeMap::new();
    let mut meta: Option<DocumentNote> = None;
    for item in &items {
        match item {
            AnnItem::Attribute {
                name,
                target,
                value,
                line,
                id,
            } if name == "Kind" => match value.as_deref() {
                Some("Direct") => {
                    kinds.insert(target.as_str(), QuoteKind::Direct);
                }
                Some("Indirect") => {
                    kinds.insert(target.as_str(), QuoteKind::Indirect);
                }
                Some("Mixed") => {
                    kinds.insert(target.as_str(), QuoteKind::Mixed);
                }
                other => problems.push(problem(
                    file,
                    *line,
                    id,
                    format!("Kind must be Direct, Indirect or Mixed, not {other:?}"),
                )),
            },
            AnnItem::Note {
                kind,
                target,
                text,
                line,
                id,
            } => {
                let text = text.trim_end_matches(['\n', '\r']);
                let bad = |what: &str, e: serde_json::Error| {
                    problem(file, *line, id, format!("{what}: {e}"))
                };
                match kind.as_str() {
                    "AnnotatorNotes" => {
                        if let Some(name) = text.strip_prefix("speaker: ") {
                            match serde_json::from_str::<String>(name) {
                                Ok(n) => {
                                    speakers_of.insert(target.as_str(), n);
                                }
                                Err(e) => problems.push(bad("speaker note", e)),
                            }
                        }
                    }
                    "Document" => match serde_json::from_str::<DocumentNote>(text) {
                        Ok(m) => meta = Some(m),
                        Err(e) => problems.push(bad("Document note", e)),
                    },
                    "Speaker" => match serde_json::from_str::<Speaker>(text) {
                        Ok(s) => doc.speakers.push(s),
                        Err(e) => problems.push(bad("Speaker note", e)),
                    },
                    "Place" => match serde_json::from_str::<Place>(text) {
                        Ok(p) => doc.places.push(p),
                        Err(e) => problems.push(bad("Place note", e)),
                    },
                    _ => {}
                }
            }
            _ => {}
        }
    }
    for item in &items {
        let AnnItem::Event {
            id,
            kind,
            trigger,
            args,
            line,
        } = item
        else {
            continue;
        };
        if kind != "Quote" {
            problems.push(problem(
                file,
                *line,
                id,
                format!("unknown event type {kind:?} (this scheme has Quote)"),
            ));
            continue;
        }
        let span_of = |t: &str, want: &str| -> Result<Span, Problem> {
            match texts.get(t) {
                Some((k, s)) if *k == want => Ok(*s),
                Some((k, _)) => Err(problem(
                    file,
                    *line,
                    id,
                    format!("{t} is a {k}, expected a {want}"),
                )),
                None => Err(problem(file, *line, id, format!("{t} does not exist"))),
            }
        };
        let span = match span_of(trigger, "Quote") {
            Ok(s) => s,
            Err(p) => {
                problems.push(p);
                continue;
            }
        };
        let mut cue = None;
        let mut speaker_mention = None;
        for (role, t) in args {
            match role_base(role) {
                "Cue" => match span_of(t, "Cue") {
                    Ok(s) => cue = Some(s),
                    Err(p) => problems.push(p),
                },
                "Source" => match span_of(t, "Source") {
                    Ok(s) => speaker_mention = Some(s),
                    Err(p) => problems.push(p),
                },
                other => problems.push(problem(file, *line, id, format!("unknown role {other:?}"))),
            }
        }
        let Some(kind) = kinds.get(id.as_str()).copied() else {
            problems.push(problem(
                file,
                *line,
                id,
                "no Kind attribute (Direct, Indirect or Mixed)",
            ));
            continue;
        };
        let mut quote = Quote {
            span,
            fragments: Vec::new(),
            kind,
            cue,
            speaker_mention,
            speaker: speakers_of.get(id.as_str()).cloned(),
        };
        if let Some(pieces) = pieces_of.get(trigger.as_str()) {
            quote.set_pieces(pieces);
        }
        doc.quotes.push(quote);
    }
    match meta {
        Some(m) => {
            doc.status = m.status;
            doc.source = m.source;
            doc.notes = m.notes;
            doc.layers = m.layers;
        }
        None => {
            // A file written by hand in brat: everything it can hold.
            doc.status = Status::Draft;
            doc.source = format!("brat {}", file.display());
        }
    }
    if !problems.is_empty() {
        return Err(Problems(problems));
    }
    doc.sort();
    Ok(doc)
}
