//! Entity mentions as CoNLL `TOKEN TAG` lines (IOB2), for NER tools and annotators that read
//! CoNLL. Only the mentions layer travels; the article text stays the source of truth, so import
//! aligns the tokens back onto it and export-then-import gives back the same mentions.
//!
//! Tokens are runs of alphanumeric characters and single other characters, also cut at every
//! mention boundary; a blank line separates the article's lines. Types are written as the
//! annotation model names them (`B-PERSON`, `I-PLACE`, `B-ORG`); import also reads CoNLL-2003's
//! `PER` and `LOC` (and ignores `MISC`), and other label sets on request
//! ([`crate::format::labels`]: `--labels ontonotes` reads spaCy's `GPE`, `FAC`, `NORP`, …).

use std::fmt::Write as _;
use std::path::Path;
use std::sync::Arc;

use crate::annotation::{Article, Document, EntityType, Layer, Mention, Span};
use crate::format::labels::LabelSet;
use crate::format::Problem;
use crate::tags::{split_conll_str, Chunker, Tag, Typed};

/// The tokens of an article as char spans, cut at the given extra boundaries too.
fn tokens(article: &Article, cuts: &[usize]) -> Vec<Span> {
    let chars: Vec<char> = article.text().chars().collect();
    let mut out = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        if chars[i].is_whitespace() {
            i += 1;
            continue;
        }
        let start = i;
        if chars[i].is_alphanumeric() {
            while i < chars.len()
                && chars[i].is_alphanumeric()
                && (i == start || !cuts.contains(&i))
            {
                i += 1;
            }
        } else {
            i += 1;
        }
        out.push(Span::new(start, i));
    }
    out
}

/// Writes a document's mentions as `TOKEN TAG` lines.
pub fn to_conll(doc: &Document) -> String {
    let article = &doc.article;
    let cuts: Vec<usize> = doc
        .mentions
        .iter()
        .flat_map(|m| [m.span.start, m.span.end])
        .collect();
    let mut out = String::new();
    let mut last_line = None;
    for token in tokens(article, &cuts) {
        let line = article.line_of(token.start);
        if last_line.is_some_and(|l| l != line) {
            out.push('\n');
        }
        last_line = Some(line);
        let tag = match doc.mentions.iter().find(|m| m.span.contains(&token)) {
            Some(m) if m.span.start == token.start => format!("B-{}", m.entity_type),
            Some(m) => format!("I-{}", m.entity_type),
            None => "O".into(),
        };
        let _ = writeln!(out, "{} {tag}", article.slice(token));
    }
    out
}

/// One token of a CoNLL file: its text and its tag (the last column).
#[derive(Debug, Clone, PartialEq)]
pub struct Token {
    pub text: String,
    pub tag: String,
}

/// Reads a CoNLL token file (`TOKEN ... TAG` per line, a blank line between sentences,
/// `-DOCSTART-` lines skipped) into its sentences.
pub fn read_sentences(text: &str, file: &Path) -> Result<Vec<Vec<Token>>, Problem> {
    let mut sentences: Vec<Vec<Token>> = vec![Vec::new()];
    for (n, line) in text.lines().enumerate() {
        let line = line.trim_end();
        if line.is_empty() || line.starts_with("-DOCSTART-") {
            if sentences.last().is_some_and(|s| !s.is_empty()) {
                sentences.push(Vec::new());
            }
            continue;
        }
        let mut cols = line.split_whitespace();
        let (Some(token), Some(tag)) = (cols.next(), cols.last()) else {
            return Err(Problem {
                file: file.to_path_buf(),
                line: Some(n + 1),
                item: String::new(),
                message: format!("expected `TOKEN ... TAG`, found {line:?}"),
            });
        };
        if let Some(sentence) = sentences.last_mut() {
            sentence.push(Token {
                text: token.to_string(),
                tag: tag.to_string(),
            });
        }
    }
    sentences.retain(|s| !s.is_empty());
    Ok(sentences)
}

/// Reads `TOKEN TAG` lines back onto the article: each token must be the next non-space text.
pub fn from_conll(
    article: Arc<Article>,
    text: &str,
    file: &Path,
) -> Result<Document, Vec<Problem>> {
    from_conll_with(article, text, file, LabelSet::Auto)
}

/// [`from_conll`] with the entity types read through `labels` ([`LabelSet`]).
pub fn from_conll_with(
    article: Arc<Article>,
    text: &str,
    file: &Path,
    labels: LabelSet,
) -> Result<Document, Vec<Problem>> {
    let mut doc = Document::empty(article.clone(), format!("imported from {}", file.display()));
    doc.layers = vec![Layer::Mentions];
    let chars: Vec<char> = article.text().chars().collect();
    let mut cursor = 0;
    // Token spans, and the chunks over them (conlleval's rule, as everywhere).
    let mut spans: Vec<Span> = Vec::new();
    let mut chunker = Chunker::new(EntityType::Person);
    let mut chunked = Vec::new();
    let mut problems = Vec::new();
    for (n, line) in text.lines().enumerate() {
        let problem = |message: String| Problem {
            file: file.to_path_buf(),
            line: Some(n + 1),
            item: String::new(),
            message,
        };
        let line = line.trim_end();
        if line.is_empty() {
            continue;
        }
        let mut cols = line.split_whitespace();
        let (Some(token), Some(tag)) = (cols.next(), cols.last()) else {
            problems.push(problem(format!("expected `TOKEN TAG`, found {line:?}")));
            break;
        };
        while cursor < chars.len() && chars[cursor].is_whitespace() {
            cursor += 1;
        }
        let len = token.chars().count();
        let span = Span::new(cursor, cursor + len);
        if article.get(span) != Some(token) {
            let found = article
                .get(Span::new(cursor, (cursor + len).min(chars.len())))
                .unwrap_or("");
            problems.push(problem(format!(
                "token {token:?} does not match the article at char {cursor} ({found:?})"
            )));
            break;
        }
        cursor = span.end;
        // Import reads IOB2 and IOB1 only (what export writes and NER tools exchange).
        let (prefix, ty) = match split_conll_str(tag) {
            Some((p @ (Tag::Outside | Tag::Begin | Tag::Inside), t)) => (p, t),
            _ => {
                problems.push(problem(format!("tag {tag:?} is not O, B-TYPE or I-TYPE")));
                break;
            }
        };
        let ty = if prefix == Tag::Outside {
            None
        } else {
            match labels.map(ty) {
                Ok(t) => t,
                Err(e) => {
                    problems.push(problem(e.to_string()));
                    break;
                }
            }
        };
        // Chunks are of our entity types: a type the label set ignores reads as O, and two
        // labels of one type continue each other (`B-GPE I-LOC` is one PLACE).
        let typed = match ty {
            Some(t) => Typed { tag: prefix, ty: t },
            None => Typed {
                tag: Tag::Outside,
                ty: EntityType::Person,
            },
        };
        let at = spans.len();
        spans.push(span);
        chunked.extend(chunker.step(at, typed));
    }
    chunked.extend(chunker.finish(spans.len()));
    if problems.is_empty() {
        // An empty or truncated file would import as an article with fewer mentions than it
        // has: say so rather than score it.
        let rest = chars[cursor.min(chars.len())..]
            .iter()
            .filter(|c| !c.is_whitespace())
            .count();
        if spans.is_empty() {
            problems.push(Problem::file(
                file,
                format!(
                    "no tokens: the article {} has {} chars of text",
                    article.id,
                    chars.len()
                ),
            ));
        } else if rest > 0 {
            problems.push(Problem {
                file: file.to_path_buf(),
                line: Some(text.lines().count()),
                item: String::new(),
                message: format!(
                    "the tokens end at char {cursor} of {}: the file is truncated ({rest} \
                     non-space chars of the article have no token)",
                    chars.len()
                ),
            });
        }
    }
    doc.mentions.extend(chunked.into_iter().map(|c| Mention {
        span: Span::new(spans[c.start].start, spans[c.end - 1].end),
        entity_type: c.ty,
    }));
    if problems.is_empty() {
        doc.sort();
        Ok(doc)
    } else {
        Err(problems)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn mentions_survive_export_and_import_on_multibyte_text() {
        let a = Arc::new(Article::new(
            "a",
            "“We agree,” said Zelenskyy’s aide in Kryvyi Rih.\nUS-Russia talks — Kyiv.",
        ));
        let mut doc = Document::empty(a.clone(), "gold");
        for (text, t) in [
            ("Zelenskyy", EntityType::Person),
            ("Kryvyi Rih", EntityType::Place),
            ("US", EntityType::Place),
            ("Russia", EntityType::Place),
            ("Kyiv", EntityType::Place),
        ] {
            doc.mentions.push(Mention {
                span: a.occurrences(text)[0],
                entity_type: t,
            });
        }
        doc.sort();
        let conll = to_conll(&doc);
        assert!(conll.contains("Zelenskyy B-PERSON\n’ O\ns O\n"), "{conll}");
        assert!(conll.contains("Kryvyi B-PLACE\nRih I-PLACE\n"), "{conll}");
        assert!(
            conll.contains(". O\n\nUS B-PLACE\n- O\nRussia B-PLACE\n"),
            "{conll}"
        );
        let back = from_conll(a, &conll, Path::new("a.conll")).unwrap();
        assert_eq!(back.mentions, doc.mentions);
    }

    #[test]
    fn ontonotes_tags_import_with_their_label_set() {
        let a = Arc::new(Article::new("a", "Putin met Chinese envoys in Kyiv."));
        let conll = "Putin B-PERSON\nmet O\nChinese B-NORP\nenvoys O\nin O\nKyiv B-GPE\n. O\n";
        let err = from_conll(a.clone(), conll, Path::new("x.conll")).unwrap_err();
        assert!(
            err[0]
                .to_string()
                .starts_with("x.conll:3: unknown entity type \"NORP\""),
            "{}",
            err[0]
        );
        let doc =
            from_conll_with(a.clone(), conll, Path::new("x.conll"), LabelSet::OntoNotes).unwrap();
        let found: Vec<(&str, EntityType)> = doc
            .mentions
            .iter()
            .map(|m| (a.slice(m.span), m.entity_type))
            .collect();
        assert_eq!(
            found,
            vec![("Putin", EntityType::Person), ("Kyiv", EntityType::Place)]
        );
    }

    #[test]
    fn a_token_that_does_not_match_the_article_is_reported_with_its_line() {
        let a = Arc::new(Article::new("a", "Putin spoke."));
        let err = from_conll(a, "Putin B-PER\nsaid O\n", Path::new("x.conll")).unwrap_err();
        assert_eq!(
            err[0].to_string(),
            "x.conll:2: token \"said\" does not match the article at char 6 (\"spok\")"
        );
    }
}
