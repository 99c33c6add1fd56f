//! The rust-bert backend, without any download.
//!
//! Part one runs in every build: case classes, IOB1/IOB2 decoding of synthetic label sequences,
//! and the whole tokenize -> window -> batch -> stitch -> decode path driven by an oracle scorer
//! that labels a piece correctly only where the window gives it enough context, so that
//! "no entity lost, cut or duplicated at a window boundary" is checked deterministically.
//! Part two (feature `ner`) writes a tiny randomly initialised BertForTokenClassification with
//! tch into a temp dir and runs models.toml -> build -> annotate over documents many windows long.

use std::collections::BTreeMap;
use std::path::Path;
use std::sync::Arc;

use quoteval::annotation::{Article, EntityType, Mention, Span};
use quoteval::extract::bert::case::{case_class, piece_case_class};
use quoteval::extract::bert::decode::{chunks, decode, Chunk, Piece, PieceLabel};
use quoteval::extract::bert::engine::{Batch, BertTokenizer, Engine, ScoreError, Scorer, Scores};
use quoteval::extract::bert::settings::{BertSettings, LabelScheme, Tag};

const LABELS: [&str; 9] = [
    "O", "B-PER", "I-PER", "B-LOC", "I-LOC", "B-ORG", "I-ORG", "B-MISC", "I-MISC",
];

fn label_names() -> Vec<String> {
    LABELS.iter().map(|s| s.to_string()).collect()
}

fn label_map() -> BTreeMap<String, String> {
    [
        ("PER", "PERSON"),
        ("LOC", "PLACE"),
        ("ORG", "ORG"),
        ("MISC", "ignore"),
    ]
    .iter()
    .map(|(k, v)| (k.to_string(), v.to_string()))
    .collect()
}

fn scheme() -> LabelScheme {
    LabelScheme::new(label_names(), &label_map()).unwrap()
}

fn label_id(name: &str) -> u32 {
    LABELS.iter().position(|l| *l == name).unwrap() as u32
}

// ---------------------------------------------------------------------------------------------
// Case classes

#[test]
fn case_classes_follow_the_training_contract() {
    for (word, class) in [
        ("Putin", 3),
        ("NATO", 4),
        ("McDonald", 5),
        ("iPhone", 5),
        ("U.S.", 4),
        ("2025", 1),
        ("’s", 2),
        ("Zelenskyy’s", 3),
    ] {
        assert_eq!(case_class(word), class, "{word}");
    }
    // A piece takes the class of the alphanumeric run around it.
    let chars: Vec<char> = "iPhone’s".chars().collect();
    assert_eq!(piece_case_class(&chars, 1, 6), 5); // "Phone" inside "iPhone"
    assert_eq!(piece_case_class(&chars, 6, 7), 1); // "’"
    assert_eq!(piece_case_class(&chars, 7, 8), 2); // "s"
}

// ---------------------------------------------------------------------------------------------
// Decoding synthetic label sequences

fn tags(labels: &[&str]) -> Vec<(Tag, Option<usize>)> {
    let s = scheme();
    labels
        .iter()
        .map(|l| s.tags[label_id(l) as usize])
        .collect()
}

fn spans(chunks: Vec<Chunk>) -> Vec<(usize, usize, usize)> {
    chunks
        .into_iter()
        .map(|c| (c.units.start, c.units.end, c.ty))
        .collect()
}

#[test]
fn iob2_and_iob1_decode_alike() {
    // Scheme types in order of first appearance: PER 0, LOC 1, ORG 2, MISC 3.
    let iob2 = [
        "B-PER", "I-PER", "O", "B-LOC", "B-LOC", "I-LOC", "B-ORG", "O", "B-PER",
    ];
    let iob1 = [
        "I-PER", "I-PER", "O", "I-LOC", "B-LOC", "I-LOC", "I-ORG", "O", "I-PER",
    ];
    let want = vec![(0, 2, 0), (3, 4, 1), (4, 6, 1), (6, 7, 2), (8, 9, 0)];
    assert_eq!(spans(chunks(&tags(&iob2), &[])), want);
    assert_eq!(spans(chunks(&tags(&iob1), &[])), want);
    // An I- after another type starts a new entity; a trailing entity is closed.
    let mixed = ["I-ORG", "I-PER", "I-PER", "B-PER", "I-MISC"];
    assert_eq!(
        spans(chunks(&tags(&mixed), &[])),
        vec![(0, 1, 2), (1, 3, 0), (3, 4, 0), (4, 5, 3)]
    );
    assert!(chunks(&tags(&["O", "O"]), &[]).is_empty());
    // A line break ends an entity; the I- after it starts a new one.
    let across = ["B-ORG", "I-ORG", "I-ORG"];
    assert_eq!(
        spans(chunks(&tags(&across), &[false, false, true])),
        vec![(0, 2, 2), (2, 3, 2)]
    );
}

/// One piece per word, words split at whitespace and around non-alphanumeric chars.
fn simple_pieces(text: &str) -> (Vec<char>, Vec<Piece>) {
    let chars: Vec<char> = text.chars().collect();
    let mut pieces = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        if chars[i].is_whitespace() {
            i += 1;
            continue;
        }
        let start = i;
        i += 1;
        if chars[start].is_alphanumeric() {
            while i < chars.len() && chars[i].is_alphanumeric() {
                i += 1;
            }
        }
        pieces.push(Piece {
            id: 0,
            span: Span::new(start, i),
            word: pieces.len() as u32,
        });
    }
    (chars, pieces)
}

fn mentions_text(text: &str, mentions: &[Mention]) -> Vec<(String, EntityType)> {
    let chars: Vec<char> = text.chars().collect();
    mentions
        .iter()
        .map(|m| {
            (
                chars[m.span.start..m.span.end].iter().collect(),
                m.entity_type,
            )
        })
        .collect()
}

#[test]
fn units_spans_and_trimming() {
    let text = "“Zelenskyy’s” aide met St. Petersburg’s O’Brien in the U.S. — at NATO.";
    let (chars, pieces) = simple_pieces(text);
    let piece_text = |p: &Piece| chars[p.span.start..p.span.end].iter().collect::<String>();
    // The model labels every piece of the entities, possessives and quotes included, and gives
    // the period of "St." an O: spans come out trimmed, "St." keeps its period.
    let labels: Vec<PieceLabel> = pieces
        .iter()
        .map(|p| {
            let t = piece_text(p);
            let l = match t.as_str() {
                "“" | "Zelenskyy" => "B-PER",
                "’" if p.span.start < 13 => "I-PER",
                "s" if p.span.start < 13 => "I-PER",
                "”" => "I-PER",
                "St" => "B-LOC",
                "Petersburg" => "I-LOC",
                "O" => "B-PER",
                "Brien" => "I-PER",
                "U" | "S" => "B-LOC",
                "NATO" => "B-ORG",
                _ => "O",
            };
            PieceLabel {
                label: label_id(l),
                prob: 0.9,
            }
        })
        .collect();
    let got = decode(&chars, &pieces, &labels, &scheme(), 0.0);
    assert_eq!(
        mentions_text(text, &got),
        vec![
            ("Zelenskyy".to_string(), EntityType::Person),
            ("St. Petersburg".to_string(), EntityType::Place),
            ("O’Brien".to_string(), EntityType::Person),
            ("U.S.".to_string(), EntityType::Place),
            ("NATO".to_string(), EntityType::Org),
        ]
    );
    // min_confidence drops entities whose mean piece probability is lower.
    let mut low = labels.clone();
    let nato = pieces.iter().position(|p| piece_text(p) == "NATO").unwrap();
    low[nato].prob = 0.3;
    let got = decode(&chars, &pieces, &low, &scheme(), 0.5);
    assert_eq!(got.len(), 4);
    assert!(mentions_text(text, &got).iter().all(|(t, _)| t != "NATO"));
}

// ---------------------------------------------------------------------------------------------
// The whole path with an oracle scorer

/// Words of the synthetic articles: (text, entity type or None); entity words of one type in a
/// row form one entity unless a `|` separates them.
const LEXICON: &[(&str, Option<&str>)] = &[
    ("the", None),
    ("said", None),
    ("on", None),
    ("Tuesday", None),
    ("that", None),
    ("talks", None),
    ("would", None),
    ("resume", None),
    ("in", None),
    ("—", None),
    ("–", None),
    ("it’s", None),
    ("“no”", None),
    ("officials", None),
    ("Volodymyr Zelenskyy", Some("PER")),
    ("Putin", Some("PER")),
    ("Sean O’Brien", Some("PER")),
    ("José Álvarez", Some("PER")),
    ("Łukasz Müller-Schmidt", Some("PER")),
    ("Jean-Pierre Raffarin", Some("PER")),
    ("Kyiv", Some("LOC")),
    ("São Paulo", Some("LOC")),
    ("St. Petersburg", Some("LOC")),
    ("the U.S.", Some("LOC")),
    ("Zürich", Some("LOC")),
    ("NATO", Some("ORG")),
    ("Kyiv Independent", Some("ORG")),
    ("Gazprom", Some("ORG")),
    ("World Cup", Some("MISC")),
];

struct Doc {
    text: String,
    /// (char span, model type) of every entity, MISC included.
    entities: Vec<(Span, &'static str)>,
}

/// A pseudo-random article: sentences of lexicon words, entities often adjacent to one another
/// (same type too, for IOB1's B-), glued possessives and quotes, several lines.
fn synthetic_doc(seed: u64, sentences: usize) -> Doc {
    let mut state = seed
        .wrapping_mul(6364136223846793005)
        .wrapping_add(1442695040888963407);
    let mut next = move |n: usize| {
        state = state
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        ((state >> 33) as usize) % n
    };
    let mut text = String::new();
    let mut entities = Vec::new();
    for s in 0..sentences {
        if s > 0 {
            text.push_str(if next(5) == 0 { "\n" } else { " " });
        }
        let words = 3 + next(14);
        for w in 0..words {
            if w > 0 {
                text.push(' ');
            }
            let (word, ty) = LEXICON[next(LEXICON.len())];
            let (word, ty) = if w == 0 && ty.is_none() {
                ("Officials", None)
            } else {
                (word, ty)
            };
            let open_quote = ty.is_some() && next(6) == 0;
            if open_quote {
                text.push('“');
            }
            let start = text.chars().count();
            // "the U.S." has "the" outside the entity.
            let (prefix, name) = match word.strip_prefix("the ") {
                Some(rest) if ty.is_some() => ("the ", rest),
                _ => ("", word),
            };
            text.push_str(prefix);
            let start = start + prefix.chars().count();
            text.push_str(name);
            if let Some(ty) = ty {
                entities.push((Span::new(start, start + name.chars().count()), ty));
            }
            match next(8) {
                0 if ty.is_some() && !name.ends_with('.') => text.push_str("’s"),
                1 if !name.ends_with('.') => text.push(','),
                _ => {}
            }
            if open_quote {
                text.push('”');
            }
        }
        if !text.ends_with('.') {
            text.push('.');
        }
    }
    Doc { text, entities }
}

/// A vocabulary for the synthetic articles: every char as a word and as a "##" continuation,
/// plus a few whole words and sub-words so that words split into several pieces.
fn write_vocab(dir: &Path) {
    let mut vocab: Vec<String> = ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]"]
        .iter()
        .map(|s| s.to_string())
        .collect();
    for w in [
        "the", "said", "putin", "ky", "##iv", "zel", "##ensky", "##y", "nat", "##o", "sao", "pa",
        "##ulo",
    ] {
        vocab.push(w.to_string());
    }
    let chars = "abcdefghijklmnopqrstuvwxyz0123456789.,;:!?'\"()-–—’‘“”…ł";
    for c in chars.chars() {
        vocab.push(c.to_string());
        vocab.push(format!("##{c}"));
    }
    let mut seen = std::collections::HashSet::new();
    vocab.retain(|v| seen.insert(v.clone()));
    std::fs::write(dir.join("vocab.txt"), vocab.join("\n") + "\n").unwrap();
}

fn settings(window: usize, stride: usize, batch_size: usize) -> BertSettings {
    toml::from_str(&format!(
        "path = \".\"\nwindow = {window}\nstride = {stride}\nbatch_size = {batch_size}\ncase_features = true\n\
         labels = {{ PER = \"PERSON\", LOC = \"PLACE\", ORG = \"ORG\", MISC = \"ignore\" }}\n"
    ))
    .unwrap()
}

/// Labels a piece with its gold label (IOB2 or IOB1) when the window gives it at least
/// `min_context` pieces of context on both sides (or it is at a paragraph's edge), and with a
/// wrong label otherwise, so that only correctly owned labels can produce the gold mentions.
struct Oracle {
    gold: Vec<Vec<u32>>,
    /// Per article and piece: the piece starts a line (a paragraph).
    line_start: Vec<Vec<bool>>,
    min_context: usize,
    calls: usize,
    rows: usize,
}

impl Scorer for Oracle {
    fn score(&mut self, batch: &Batch) -> Result<Scores, ScoreError> {
        self.calls += 1;
        self.rows += batch.rows;
        let wrong = PieceLabel {
            label: label_id("B-ORG"),
            prob: 0.1,
        };
        let mut out = vec![
            PieceLabel {
                label: 0,
                prob: 1.0
            };
            batch.rows * batch.len
        ];
        for (r, &(a, w)) in batch.windows.iter().enumerate() {
            let n = batch.article_pieces[r];
            for i in w.start..w.end {
                let edge = |p: usize| p == 0 || p == n || self.line_start[a][p];
                let left = if edge(w.start) {
                    usize::MAX
                } else {
                    i - w.start
                };
                let right = if edge(w.end) {
                    usize::MAX
                } else {
                    w.end - 1 - i
                };
                out[r * batch.len + 1 + i - w.start] = if left.min(right) >= self.min_context {
                    PieceLabel {
                        label: self.gold[a][i],
                        prob: 0.9,
                    }
                } else {
                    wrong
                };
            }
        }
        Ok(out.into())
    }
}

/// Gold piece labels: per piece, the entity it lies in; B- on an entity's first piece (IOB2), or
/// only where it directly follows an entity of the same type (IOB1).
fn gold_labels(doc: &Doc, pieces: &[Piece], iob1: bool) -> Vec<u32> {
    let mut prev_entity: Option<usize> = None;
    let mut prev_was_entity = false;
    pieces
        .iter()
        .map(|p| {
            let hit = doc
                .entities
                .iter()
                .position(|(s, _)| s.start <= p.span.start && p.span.end <= s.end);
            let label = match hit {
                None => "O".to_string(),
                Some(e) => {
                    let ty = doc.entities[e].1;
                    let first = prev_entity != Some(e) || !prev_was_entity;
                    let same_type_before = first
                        && prev_was_entity
                        && prev_entity.is_some_and(|q| {
                            doc.entities[q].1 == ty
                                && doc.entities[q].0.end + 1 >= doc.entities[e].0.start
                        });
                    if first && (!iob1 || same_type_before) {
                        format!("B-{ty}")
                    } else {
                        format!("I-{ty}")
                    }
                }
            };
            prev_was_entity = hit.is_some();
            if hit.is_some() {
                prev_entity = hit;
            }
            label_id(&label)
        })
        .collect()
}

fn oracle_engine(dir: &Path, window: usize, stride: usize, batch_size: usize) -> Engine {
    let tokenizer = BertTokenizer::from_vocab(&dir.join("vocab.txt"), None).unwrap();
    Engine::new(tokenizer, scheme(), &settings(window, stride, batch_size))
}

fn expected(doc: &Doc) -> Vec<(String, EntityType)> {
    let chars: Vec<char> = doc.text.chars().collect();
    doc.entities
        .iter()
        .filter(|(_, ty)| *ty != "MISC")
        .map(|(s, ty)| {
            let t = match *ty {
                "PER" => EntityType::Person,
                "LOC" => EntityType::Place,
                _ => EntityType::Org,
            };
            (chars[s.start..s.end].iter().collect(), t)
        })
        .collect()
}

#[test]
fn windows_lose_cut_or_duplicate_no_entity() {
    let dir = tempfile::tempdir().unwrap();
    write_vocab(dir.path());
    let docs: Vec<Doc> = (0..6)
        .map(|seed| synthetic_doc(seed, 4 + 6 * seed as usize))
        .collect();
    let articles: Vec<Arc<Article>> = docs
        .iter()
        .enumerate()
        .map(|(i, d)| Arc::new(Article::new(format!("a{i}"), d.text.clone())))
        .collect();
    let mut straddling = 0;
    for (window, stride) in [
        (5, 0),
        (5, 2),
        (8, 2),
        (8, 5),
        (16, 4),
        (16, 6),
        (16, 13),
        (32, 8),
        (128, 32),
    ] {
        for iob1 in [false, true] {
            let mut engine = oracle_engine(dir.path(), window, stride, 3);
            let prepared: Vec<_> = articles
                .iter()
                .map(|a| engine.prepare(a).unwrap())
                .collect();
            let gold = docs
                .iter()
                .zip(&prepared)
                .map(|(d, p)| gold_labels(d, &p.pieces, iob1))
                .collect();
            let line_start = prepared
                .iter()
                .map(|p| {
                    (0..p.pieces.len())
                        .map(|i| {
                            i > 0
                                && p.chars[p.pieces[i - 1].span.end..p.pieces[i].span.start]
                                    .contains(&'\n')
                        })
                        .collect()
                })
                .collect();
            let mut oracle = Oracle {
                gold,
                line_start,
                min_context: stride / 2,
                calls: 0,
                rows: 0,
            };
            let mut done = Vec::new();
            let got = engine
                .recognize(&mut oracle, &articles, &mut |n| done.push(n))
                .unwrap();
            assert_eq!(done.last(), Some(&articles.len()));
            for ((doc, p), mentions) in docs.iter().zip(&prepared).zip(&got) {
                assert_eq!(
                    mentions_text(&doc.text, mentions),
                    expected(doc),
                    "window {window} stride {stride} iob1 {iob1}\n{}",
                    doc.text
                );
                // Count entities that cross a core boundary (so the test is not vacuous).
                for w in &p.windows[1..] {
                    let cut = p.pieces[w.core_start].span.start;
                    straddling += doc
                        .entities
                        .iter()
                        .filter(|(s, _)| s.start < cut && cut < s.end)
                        .count();
                }
            }
            let windows: usize = prepared.iter().map(|p| p.windows.len()).sum();
            assert_eq!(oracle.rows, windows);
            let stats = &engine.stats;
            assert_eq!(
                stats.word_pieces,
                prepared.iter().map(|p| p.pieces.len() as u64).sum::<u64>()
            );
            assert!(stats.model_tokens >= stats.word_pieces + 2 * windows as u64);
        }
    }
    assert!(
        straddling > 50,
        "only {straddling} entities straddled a window boundary"
    );
}

#[test]
fn batches_carry_specials_case_classes_and_padding() {
    let dir = tempfile::tempdir().unwrap();
    write_vocab(dir.path());
    let engine = oracle_engine(dir.path(), 8, 2, 4);
    let a = Article::new("a", "Putin NATO iPhone 2025 it’s");
    let b = Article::new("b", "Kyiv");
    let prepared = vec![engine.prepare(&a).unwrap(), engine.prepare(&b).unwrap()];
    let batch = engine.batch(
        &prepared,
        &[(0, prepared[0].windows[0]), (1, prepared[1].windows[0])],
        10,
    );
    assert_eq!(batch.windows[1].0, 11);
    let row = |r: usize| &batch.type_ids[r * batch.len..(r + 1) * batch.len];
    let pieces = &prepared[0].pieces;
    let w = prepared[0].windows[0];
    let first = row(0);
    assert_eq!(first[0], 0);
    // "putin" is one piece; NATO is "nat" "##o"; iPhone is per-char pieces; 2025 likewise.
    assert_eq!(first[1], 3);
    assert_eq!(&first[2..4], &[4, 4]);
    assert_eq!(first[4], 5);
    assert_eq!(first[1 + w.len()], 0, "[SEP]");
    assert_eq!(batch.input_ids[0], engine.tokenizer.cls as i64);
    assert_eq!(batch.input_ids[1 + w.len()], engine.tokenizer.sep as i64);
    assert!(pieces.len() >= w.len());
    // The short row is padded with [PAD] and masked.
    let b_len = prepared[1].windows[0].len();
    assert_eq!(
        batch.mask[batch.len..batch.len + b_len + 2]
            .iter()
            .sum::<i64>(),
        b_len as i64 + 2
    );
    assert_eq!(batch.mask[batch.len + b_len + 2..].iter().sum::<i64>(), 0);
    assert_eq!(
        batch.input_ids[2 * batch.len - 1],
        engine.tokenizer.pad as i64
    );
}

#[test]
fn tokenizer_offsets_are_char_spans_of_the_verbatim_text() {
    let dir = tempfile::tempdir().unwrap();
    write_vocab(dir.path());
    let engine = oracle_engine(dir.path(), 16, 4, 2);
    let text = "“José Álvarez’s” — São Paulo… Łukasz\u{00A0}O’Brien said: “no”.";
    let a = Article::new("a", text);
    let p = engine.prepare(&a).unwrap();
    let chars: Vec<char> = text.chars().collect();
    let texts: Vec<String> = p
        .pieces
        .iter()
        .map(|x| chars[x.span.start..x.span.end].iter().collect())
        .collect();
    assert_eq!(
        &texts[..6],
        ["“", "J", "o", "s", "é", "Á"].map(String::from).as_slice()
    );
    assert!(texts.contains(&"Ł".to_string()) && texts.contains(&"’".to_string()));
    for x in &p.pieces {
        assert!(!a.slice(x.span).trim().is_empty(), "{:?}", x);
    }
}

// ---------------------------------------------------------------------------------------------
// A real (tiny, random) model through models.toml

#[cfg(feature = "ner")]
mod model {
    use super::*;
    use quoteval::models::{ModelsFile, Overrides};
    use rust_bert::bert::{BertConfig, BertForTokenClassification};

    /// Writes config.json, vocab.txt and a random model.safetensors for a 2-layer, 32-wide BERT
    /// token classifier with 6 token types.
    pub fn write_tiny_model(dir: &Path) {
        write_vocab(dir);
        let vocab_size = std::fs::read_to_string(dir.join("vocab.txt"))
            .unwrap()
            .lines()
            .count();
        let id2label: serde_json::Map<String, serde_json::Value> = LABELS
            .iter()
            .enumerate()
            .map(|(i, l)| (i.to_string(), serde_json::json!(l)))
            .collect();
        let label2id: serde_json::Map<String, serde_json::Value> = LABELS
            .iter()
            .enumerate()
            .map(|(i, l)| (l.to_string(), serde_json::json!(i)))
            .collect();
        let config = serde_json::json!({
            "architectures": ["BertForTokenClassification"],
            "model_type": "bert",
            "hidden_act": "gelu",
            "attention_probs_dropout_prob": 0.1,
            "hidden_dropout_prob": 0.1,
            "hidden_size": 32,
            "initializer_range": 0.02,
            "intermediate_size": 64,
            "max_position_embeddings": 64,
            "num_attention_heads": 2,
            "num_hidden_layers": 2,
            "type_vocab_size": 6,
            "vocab_size": vocab_size,
            "id2label": id2label,
            "label2id": label2id,
        });
        std::fs::write(
            dir.join("config.json"),
            serde_json::to_string_pretty(&config).unwrap(),
        )
        .unwrap();
        let cfg: BertConfig = serde_json::from_value(config).unwrap();
        tch::manual_seed(7);
        let vs = tch::nn::VarStore::new(tch::Device::Cpu);
        let _model = BertForTokenClassification::new(vs.root(), &cfg).unwrap();
        vs.save(dir.join("model.safetensors")).unwrap();
    }

    /// Adds the tokenizer.json of the vocabulary (the backend then prefers it to vocab.txt).
    fn write_tokenizer_json(dir: &Path) {
        let tok = BertTokenizer::from_vocab(&dir.join("vocab.txt"), Some(true)).unwrap();
        tok.save(&dir.join("tokenizer.json")).unwrap();
    }

    /// A models.toml with one entry; `extra` adds keys (or replaces the window of 16).
    fn models_toml(dir: &Path, extra: &str) -> ModelsFile {
        let window = if extra.contains("window") {
            ""
        } else {
            "window = 16\n"
        };
        let text = format!(
            "default = \"tiny\"\n[models.tiny.ner]\nbackend = \"rust-bert\"\npath = \"model\"\n{window}\
             stride = 4\nbatch_size = 3\nthreads = 1\ncase_features = true\n\
             labels = {{ PER = \"PERSON\", LOC = \"PLACE\", ORG = \"ORG\", MISC = \"ignore\" }}\n{extra}"
        );
        let path = dir.join("models.toml");
        std::fs::write(&path, text).unwrap();
        ModelsFile::load(&path).unwrap()
    }

    fn articles() -> Vec<Arc<Article>> {
        (0..4)
            .map(|i| {
                Arc::new(Article::new(
                    format!("a{i}"),
                    synthetic_doc(100 + i, 3 + 5 * i as usize).text,
                ))
            })
            .collect()
    }

    fn run(file: &ModelsFile, overrides: &Overrides) -> Vec<quoteval::annotation::Document> {
        let mut backend = file.build("tiny", overrides).unwrap();
        let docs = backend.annotate(&articles(), &mut |_| {}).unwrap();
        let stats = backend.stats();
        assert!(
            stats.word_pieces > 0
                && stats.model_tokens > stats.word_pieces
                && stats.load_seconds > 0.0
        );
        docs
    }

    fn check_spans(docs: &[quoteval::annotation::Document]) -> usize {
        let mut n = 0;
        for d in docs {
            let chars: Vec<char> = d.article.text().chars().collect();
            for m in &d.mentions {
                let text = d.text_of(m.span);
                assert_eq!(
                    text,
                    chars[m.span.start..m.span.end].iter().collect::<String>()
                );
                assert!(!text.is_empty() && text.trim() == text, "{text:?}");
                // Spans end on word boundaries: never inside an alphanumeric run.
                let inside = |i: usize| {
                    i > 0
                        && i < chars.len()
                        && chars[i - 1].is_alphanumeric()
                        && chars[i].is_alphanumeric()
                };
                assert!(
                    !inside(m.span.start) && !inside(m.span.end),
                    "{text:?} cuts a word"
                );
                n += 1;
            }
        }
        n
    }

    #[test]
    fn tiny_random_model_end_to_end() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir(dir.path().join("model")).unwrap();
        write_tiny_model(&dir.path().join("model"));
        let file = models_toml(dir.path(), "");
        let docs = run(&file, &Overrides::default());
        assert_eq!(docs.len(), 4);
        let found = check_spans(&docs);
        assert!(found > 0, "a random 9-label head should label something");
        // Batching and padding change nothing.
        let one = run(
            &file,
            &Overrides {
                batch_size: Some(1),
                ..Default::default()
            },
        );
        let many = run(
            &file,
            &Overrides {
                batch_size: Some(64),
                ..Default::default()
            },
        );
        for ((a, b), c) in docs.iter().zip(&one).zip(&many) {
            assert_eq!(a.mentions, b.mentions);
            assert_eq!(a.mentions, c.mentions);
        }
        // The same model read through tokenizer.json gives the same mentions.
        write_tokenizer_json(&dir.path().join("model"));
        let again = run(&file, &Overrides::default());
        for (a, b) in docs.iter().zip(&again) {
            assert_eq!(a.mentions, b.mentions);
        }
        // min_confidence = 1 keeps nothing.
        let strict = models_toml(dir.path(), "min_confidence = 1.0\n");
        assert!(run(&strict, &Overrides::default())
            .iter()
            .all(|d| d.mentions.is_empty()));
    }

    /// Writes every window of the default model over the gold articles (ids, types, spans, the
    /// model's labels and probabilities) and the mentions, as JSON lines, for
    /// scripts/bert_parity.py to check against transformers. Paths from QUOTEVAL_PARITY_MODEL
    /// (default models/quoteval-ner-minilm), QUOTEVAL_PARITY_ARTICLES (default gold) and
    /// QUOTEVAL_PARITY_OUT (required).
    #[test]
    #[ignore = "needs the assembled default model; run by scripts/bert_parity.py"]
    fn dump_windows_for_parity() {
        use quoteval::extract::bert::{model_files, BertRecognizer};
        use quoteval::extract::EntityRecognizer;
        use std::io::Write;

        let env = |k: &str, d: &str| std::env::var(k).unwrap_or_else(|_| d.to_string());
        let out = std::env::var("QUOTEVAL_PARITY_OUT").expect("QUOTEVAL_PARITY_OUT");
        let model = env("QUOTEVAL_PARITY_MODEL", "models/quoteval-ner-minilm");
        let dir = env("QUOTEVAL_PARITY_ARTICLES", "gold");
        let settings: BertSettings = toml::from_str(&format!(
            "path = {model:?}\nthreads = 2\ncase_features = {}\n\
             labels = {{ PER = \"PERSON\", LOC = \"PLACE\", ORG = \"ORG\", MISC = \"ignore\" }}\n{}",
            env("QUOTEVAL_PARITY_CASE", "true"),
            std::env::var("QUOTEVAL_PARITY_EXTRA").unwrap_or_default().replace(';', "\n"),
        ))
        .unwrap();
        let (files, scheme) = model_files(&settings, Path::new(".")).unwrap();
        let mut rec = BertRecognizer::load(settings, files, scheme).unwrap();
        let mut paths: Vec<_> = std::fs::read_dir(&dir)
            .unwrap()
            .map(|e| e.unwrap().path())
            .filter(|p| p.extension().is_some_and(|x| x == "txt"))
            .collect();
        paths.sort();
        let mut w = std::io::BufWriter::new(std::fs::File::create(out).unwrap());
        for path in paths {
            let id = path.file_stem().unwrap().to_string_lossy().into_owned();
            let article = Arc::new(Article::new(
                id.clone(),
                std::fs::read_to_string(&path).unwrap(),
            ));
            let p = rec.engine.prepare(&article).unwrap();
            for window in &p.windows {
                let batch = rec
                    .engine
                    .batch(std::slice::from_ref(&p), &[(0, *window)], 0);
                let out = rec.scorer.score(&batch).unwrap();
                let pieces = &p.pieces[window.start..window.end];
                let record = serde_json::json!({
                    "article": id,
                    "window": [window.start, window.end, window.core_start, window.core_end],
                    "ids": pieces.iter().map(|x| x.id).collect::<Vec<_>>(),
                    "spans": pieces.iter().map(|x| [x.span.start, x.span.end]).collect::<Vec<_>>(),
                    "types": &batch.type_ids[1..1 + pieces.len()],
                    "labels": out.labels[1..1 + pieces.len()].iter().map(|l| l.label).collect::<Vec<_>>(),
                    "probs": out.labels[1..1 + pieces.len()].iter().map(|l| l.prob).collect::<Vec<_>>(),
                });
                writeln!(w, "{record}").unwrap();
            }
            let mentions = rec
                .recognize(std::slice::from_ref(&article), &mut |_| {})
                .unwrap()
                .remove(0);
            let record = serde_json::json!({
                "article": id,
                "mentions": mentions.iter().map(|m| serde_json::json!([m.span.start, m.span.end, m.entity_type.as_str(), article.slice(m.span)])).collect::<Vec<_>>(),
            });
            writeln!(w, "{record}").unwrap();
        }
    }

    #[test]
    fn configuration_errors_are_clear() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir(dir.path().join("model")).unwrap();
        write_tiny_model(&dir.path().join("model"));
        let build_err = |file: &ModelsFile| {
            file.build("tiny", &Overrides::default())
                .err()
                .unwrap()
                .to_string()
        };
        // An unmapped model label is named.
        let text =
            "default = \"tiny\"\n[models.tiny.ner]\nbackend = \"rust-bert\"\npath = \"model\"\n\
                    labels = { PER = \"PERSON\", LOC = \"PLACE\", ORG = \"ORG\" }\n";
        std::fs::write(dir.path().join("models.toml"), text).unwrap();
        let err = build_err(&ModelsFile::load(&dir.path().join("models.toml")).unwrap());
        assert!(err.contains("MISC is not mapped"), "{err}");
        // A bad override is named.
        let file = models_toml(dir.path(), "");
        let err = file
            .build(
                "tiny",
                &Overrides {
                    batch_size: Some(0),
                    ..Default::default()
                },
            )
            .err()
            .unwrap()
            .to_string();
        assert!(err.contains("batch_size"), "{err}");
        // A device override is typed: "tpu" cannot even be given (the CLI refuses it as a
        // usage error, tests/cli.rs).
        assert!(
            quoteval::extract::bert::settings::DeviceSetting::parse("tpu")
                .unwrap_err()
                .to_string()
                .contains("tpu")
        );
        // A window longer than the model's positions.
        let err = build_err(&models_toml(dir.path(), "window = 100\n"));
        assert!(err.contains("max_position_embeddings"), "{err}");
        // A missing weights file is named.
        std::fs::remove_file(dir.path().join("model/model.safetensors")).unwrap();
        let err = build_err(&models_toml(dir.path(), ""));
        assert!(err.contains("model.safetensors"), "{err}");
    }
}
