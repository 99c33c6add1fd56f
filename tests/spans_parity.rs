//! Parity of the attribution span metrics (`score::spans`, `spans.*` in the catalogue) with an
//! independent implementation of CofeNet's evaluation as its authors run it on PolNeAR: each
//! part (content, source, cue) written as BIO tags over word tokens, spans read back off the
//! tags, and a gold span found when the predicted spans list holds it (exact) or holds one with
//! its first token (begin); every predicted span not in the gold list is a false positive.
//! Nothing here shares code with `score::spans`: tokens instead of characters, tags instead of
//! sets. Gold: the gold corpus; predictions: the rules over the gold articles and mentions.

use std::path::Path;

use quoteval::annotation::{Document, Span};
use quoteval::extract::quotes::RulesExtractor;
use quoteval::score::{score_document, SpanMatch, SpanPart, Tally};

/// Word tokens (runs of letters and digits) as character ranges; everything else separates them
/// (CofeNet's spans are over tokens, and a mark at a span's edge is no word of it).
fn word_tokens(text: &str) -> Vec<(usize, usize)> {
    let mut out = Vec::new();
    let mut start = None;
    for (i, c) in text.chars().chain(std::iter::once(' ')).enumerate() {
        match (c.is_alphanumeric(), start) {
            (true, None) => start = Some(i),
            (false, Some(s)) => {
                out.push((s, i));
                start = None;
            }
            _ => {}
        }
    }
    out
}

/// The BIO tags of one part over the tokens: a token inside a span is tagged, `B` on the
/// span's first token.
fn bio(tokens: &[(usize, usize)], spans: &[Span]) -> Vec<char> {
    let mut tags = vec!['O'; tokens.len()];
    for s in spans {
        let inside: Vec<usize> = (0..tokens.len())
            .filter(|&i| tokens[i].0 >= s.start && tokens[i].1 <= s.end)
            .collect();
        for (k, &i) in inside.iter().enumerate() {
            tags[i] = if k == 0 { 'B' } else { 'I' };
        }
    }
    tags
}

/// Spans read off BIO tags as token ranges: a `B`, or an `I` after `O`, opens one.
fn spans_of(tags: &[char]) -> Vec<(usize, usize)> {
    let mut out = Vec::new();
    let mut open: Option<usize> = None;
    for (i, &t) in tags.iter().chain(std::iter::once(&'O')).enumerate() {
        match t {
            'B' => {
                if let Some(s) = open {
                    out.push((s, i));
                }
                open = Some(i);
            }
            'I' if open.is_none() => open = Some(i),
            'O' => {
                if let Some(s) = open.take() {
                    out.push((s, i));
                }
            }
            _ => {}
        }
    }
    out
}

/// CofeNet's rule over two lists of spans: gold in pred is a true positive, else a false
/// negative; pred not in gold a false positive.
fn cofenet_tally<T: PartialEq>(gold: &[T], pred: &[T]) -> Tally {
    let tp = gold.iter().filter(|g| pred.contains(g)).count() as u64;
    Tally {
        tp,
        fn_: gold.len() as u64 - tp,
        fp: pred.iter().filter(|p| !gold.contains(p)).count() as u64,
    }
}

fn part_spans(doc: &Document, part: SpanPart) -> Vec<Span> {
    doc.quotes
        .iter()
        .flat_map(|q| match part {
            SpanPart::Content => q.pieces().to_vec(),
            SpanPart::Source => q.speaker_mention.into_iter().collect(),
            SpanPart::Cue => q.cue.into_iter().collect(),
        })
        .collect()
}

#[test]
fn span_metrics_match_cofenets_evaluation_over_bio_tags() {
    let gold_dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("gold");
    let (_, gold, _) = quoteval::app::load_gold(&gold_dir).expect("the gold corpus");
    let rules = RulesExtractor::default();
    let mut checked = 0;
    let mut ours_total = [[Tally::default(); 2]; 3];
    let mut theirs_total = [[Tally::default(); 2]; 3];
    for doc in gold.values() {
        let found = rules.extract(&doc.article, &doc.mentions);
        let mut pred = Document::empty(doc.article.clone(), "rules");
        pred.layers = doc.layers.clone();
        pred.mentions = doc.mentions.clone();
        pred.quotes = found.quotes;
        pred.speakers = found.speakers;
        let counts = score_document(doc, &pred);
        let tokens = word_tokens(doc.article.text());
        for (i, part) in SpanPart::ALL.into_iter().enumerate() {
            let g = spans_of(&bio(&tokens, &part_spans(doc, part)));
            let p = spans_of(&bio(&tokens, &part_spans(&pred, part)));
            let starts = |s: &[(usize, usize)]| s.iter().map(|s| s.0).collect::<Vec<_>>();
            let theirs = [
                cofenet_tally(&g, &p),
                cofenet_tally(&starts(&g), &starts(&p)),
            ];
            for (j, matching) in [SpanMatch::Exact, SpanMatch::Begin].into_iter().enumerate() {
                let ours = counts.spans.tally(part, matching);
                ours_total[i][j] += ours;
                theirs_total[i][j] += theirs[j];
                checked += (theirs[j].tp + theirs[j].fp + theirs[j].fn_) as usize;
            }
        }
    }
    assert_eq!(ours_total, theirs_total);
    // Something was compared, and the rules are not perfect: the test can tell a difference.
    assert!(checked > 300, "{checked}");
    assert!(ours_total[0][0].fp + ours_total[0][0].fn_ > 0);
}
