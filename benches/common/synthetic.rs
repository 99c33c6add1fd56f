//! Long synthetic articles for scaling measurements: the gold corpus repeated up to a size,
//! with each copy's gold mentions shifted to its offsets (so the extractor runs with
//! entities given, as after NER). Shared by `benches/quotes.rs` and `examples/quotes_scale.rs`.

use std::path::Path;

use quoteval::annotation::{Article, Mention, Span};
use quoteval::corpus::Corpus;

/// The gold articles' texts and mentions (`gold/` of this crate).
pub fn gold_pieces() -> Vec<(String, Vec<Mention>)> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("gold");
    let corpus = Corpus::load(&dir).expect("the gold corpus");
    let gold = corpus.load_annotations(&dir).expect("the gold annotations");
    gold.docs
        .values()
        .map(|d| (d.article.text().to_string(), d.mentions.clone()))
        .collect()
}

/// The pieces repeated, separated by blank lines, until the text has at least `bytes` bytes.
pub fn synthetic(pieces: &[(String, Vec<Mention>)], bytes: usize) -> (Article, Vec<Mention>) {
    let mut text = String::new();
    let mut chars = 0;
    let mut mentions = Vec::new();
    'fill: loop {
        for (t, ms) in pieces {
            if text.len() >= bytes {
                break 'fill;
            }
            for m in ms {
                mentions.push(Mention {
                    span: Span::new(m.span.start + chars, m.span.end + chars),
                    ..m.clone()
                });
            }
            text.push_str(t);
            text.push_str("\n\n");
            chars += t.chars().count() + 2;
        }
    }
    (Article::new("synthetic", text), mentions)
}

/// "100K", "5M", "20000": bytes.
pub fn parse_size(s: &str) -> Option<usize> {
    let s = s.trim();
    let (num, mul) = match s.chars().last()? {
        'K' | 'k' => (&s[..s.len() - 1], 1_000.0),
        'M' | 'm' => (&s[..s.len() - 1], 1_000_000.0),
        _ => (s, 1.0),
    };
    num.parse::<f64>().ok().map(|n| (n * mul) as usize)
}
