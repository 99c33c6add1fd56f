//! brat standoff (`.ann`): the parser (also used by [`crate::format::polnear`]), and exporting our
//! own annotations to brat and back.
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
//! PolNeAR's own files are read literally by [`crate::format::polnear`], which uses this parser.
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
use std::path::Path;
use std::sync::Arc;

use serde::{Deserialize, Serialize};

use super::{Problem, Problems};
use crate::annotation::{
    Article, Document, EntityType, Layer, Mention, Place, Quote, QuoteKind, Span, Speaker, Status,
};

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

/// The role without its number suffix (`Content2` -> `Content`).
fn role_base(role: &str) -> &str {
    role.trim_end_matches(|c: char| c.is_ascii_digit())
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
            // Only a quote's content comes in fragments; a mention, cue or source joined over
            // its gap would become text nobody annotated ("Steve Witkoff and Jared").
            if fragments.len() > 1 && kind != "Quote" {
                let offsets: Vec<String> =
                    fragments.iter().map(|(s, e)| format!("{s} {e}")).collect();
                problems.push(problem(
                    file,
                    *line,
                    id,
                    format!(
                        "a discontinuous {kind} span ({}): only a quote's content may be in \
                         fragments; write one span per {}",
                        offsets.join(";"),
                        if EntityType::parse(kind).is_some() {
                            "mention"
                        } else {
                            "cue or source"
                        }
                    ),
                ));
                continue;
            }
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
            joint_speakers: Vec::new(),
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
