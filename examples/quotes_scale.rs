//! How the rule-based quote extractor scales with article length: builds one synthetic article
//! of each requested size from the gold corpus (its articles repeated, their gold mentions
//! shifted along), then times each stage of the extractor on it, entities given.
//!
//!     cargo run --release --no-default-features --example quotes_scale -- 1M 5M 20M
//!
//! Sizes are in bytes with an optional K or M suffix (default: 125K 250K 500K 1M).

use std::sync::Arc;
use std::time::Instant;

use quoteval::extract::quotes::entities::Entities;
use quoteval::extract::quotes::RulesExtractor;
use quoteval::text::Text;

#[path = "../benches/common/synthetic.rs"]
mod synthetic;
use synthetic::{gold_pieces, parse_size, synthetic};

/// A fingerprint of the findings, to compare two builds of the extractor at scale.
fn digest(s: &str) -> u64 {
    use std::hash::{Hash, Hasher};
    let mut h = std::collections::hash_map::DefaultHasher::new();
    s.hash(&mut h);
    h.finish()
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let sizes: Vec<usize> = if args.is_empty() {
        vec![125_000, 250_000, 500_000, 1_000_000]
    } else {
        args.iter()
            .map(|a| parse_size(a).unwrap_or_else(|| panic!("not a size: {a}")))
            .collect()
    };
    let pieces = gold_pieces();
    let extractor = RulesExtractor::default();
    for size in sizes {
        let (article, mentions) = synthetic(&pieces, size);
        let article = Arc::new(article);
        let t0 = Instant::now();
        let text = Text::new(&article);
        let t_text = t0.elapsed();
        let t1 = Instant::now();
        let mut ents = Entities::build(&text, &mentions);
        let t_build = t1.elapsed();
        let t2 = Instant::now();
        ents.infer_genders(&text);
        let t_gender = t2.elapsed();
        let t3 = Instant::now();
        let found = extractor.extract(&article, &mentions);
        let t_all = t3.elapsed();
        println!(
            "{:>10} bytes {:>7} mentions: text {:.3}s entities {:.3}s genders {:.3}s | whole extractor {:.3}s, {} quotes, {} speakers, digest {:016x}",
            article.text().len(),
            mentions.len(),
            t_text.as_secs_f64(),
            t_build.as_secs_f64(),
            t_gender.as_secs_f64(),
            t_all.as_secs_f64(),
            found.quotes.len(),
            found.speakers.len(),
            digest(&format!("{:?}{:?}", found.quotes, found.speakers)),
        );
    }
}
