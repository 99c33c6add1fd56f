//! The learned quote tagger: a BERT token classifier of PolNeAR's Content / Source / Cue spans
//! (`model/quoteval-quote-minilm/`, trained by `training/train_quotes.py`), run through the NER
//! backend's engine (tokenizer, case classes, windows, batches, dtype), decoded into
//! attributions ([`decode`]), and given speakers by the rules' resolution.
//!
//! Two `[models.NAME.quotes]` backends share it:
//! - `tagger`: the tagger's content; the speaker is its Source span resolved like a rule
//!   speaker phrase (names, pronouns, descriptions, unnamed sources); where it found no Source,
//!   the speaker of the rules' frame that overlaps the quote.
//! - `hybrid`: every rule quote as the rules found it, plus the tagger's attributions that no
//!   rule quote overlaps (the rules bound quotations and name speakers better where they fire;
//!   the tagger finds the reported speech they leave out).
//!
//! The cue decides speech vs belief: a cue the speech lexicon ([`crate::extract::quotes::cues`])
//! knows is speech. With `speech_only = true` the tagger's attributions whose cue is a belief,
//! intention or perception, or that have no cue, are dropped, and so are those whose content
//! is neither quoted nor a clause (the nominal object of "praised the U.S. diplomatic push"):
//! the project's guidelines count reported speech only. PolNeAR counts them all. Contents of
//! fewer than `min_words` words are dropped either way.
//!
//! ```toml
//! [models.NAME.quotes]
//! backend = "tagger"                        # or "hybrid"
//! path = "models/quoteval-quote-minilm"
//! speech_only = false
//! # min_words = 3  (the tagger's attributions with fewer words in their content are dropped)
//! # device = "cpu"  dtype = "auto"  batch_size = 8  window = 256  stride = 64  resolve = true
//! ```

pub mod decode;

use std::path::PathBuf;

use serde::Deserialize;

use crate::annotation::{pieces_overlap, EntityType, QuoteKind, Span};
use crate::extract::bert::settings::{BertSettings, DeviceSetting, DtypeSetting};
use crate::extract::quotes::cues::Lexicon;
use crate::extract::quotes::entities::Entities;
use crate::extract::quotes::frames::{Found, NpKind, SpeakerNp};
use crate::extract::quotes::words::{description_len, pronoun, tokens_have_finite_verb};
use crate::extract::quotes::{resolve_found, Analysis};
use crate::extract::QuoteFindings;
use crate::text::{Text, Token};

use decode::Attribution;

/// `[models.NAME.quotes]` settings of the `tagger` and `hybrid` backends.
#[derive(Debug, Clone, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct TaggerSettings {
    /// The assembled tagger (config.json, tokenizer.json, model.safetensors); relative to
    /// models.toml.
    pub path: PathBuf,
    /// Keep only the tagger's attributions that are reported speech as the guidelines define it:
    /// a speech cue (beliefs are not quotes; an attribution without a cue is not known to be
    /// speech) and content that is quoted or a clause (has a finite verb), not a noun phrase.
    #[serde(default)]
    pub speech_only: bool,
    /// Drop the tagger's attributions whose content has fewer words: shorter ones are mostly
    /// pieces of a span the tagger broke ("limiting [the] size [of] Ukraine's military"). On
    /// PolNeAR dev, hybrid, 3 gives all-attributions F1 0.799 at 0.3 against 0.754 with none
    /// (0.794 with 2, 0.797 with 4), though 8.6 % of PolNeAR's Content has one or two words.
    #[serde(default = "default_min_words")]
    pub min_words: usize,
    /// Resolve pronouns and descriptions to named speakers (as the rules' `resolve`).
    #[serde(default = "yes")]
    pub resolve: bool,
    #[serde(default)]
    pub device: DeviceSetting,
    #[serde(default)]
    pub dtype: DtypeSetting,
    #[serde(default = "default_batch_size")]
    pub batch_size: usize,
    /// Model tokens per window; the tagger was trained on windows of 256.
    #[serde(default = "default_window")]
    pub window: usize,
    #[serde(default = "default_stride")]
    pub stride: usize,
}

pub(crate) fn yes() -> bool {
    true
}
pub(crate) fn default_min_words() -> usize {
    3
}
fn default_batch_size() -> usize {
    8
}
fn default_window() -> usize {
    256
}
fn default_stride() -> usize {
    64
}

/// How attributions become quotes: the settings [`combine`] reads, shared by the `tagger` and
/// `hybrid` backends and the joint model's quote stage (`crate::extract::joint`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Reading {
    pub speech_only: bool,
    pub min_words: usize,
    pub resolve: bool,
}

impl TaggerSettings {
    pub fn reading(&self) -> Reading {
        Reading {
            speech_only: self.speech_only,
            min_words: self.min_words,
            resolve: self.resolve,
        }
    }

    /// The engine's settings for this model: the tagger's parts are not entity types, so every
    /// label maps to "ignore" and [`decode`] reads them instead of the NER decoder.
    pub fn bert_settings(&self) -> BertSettings {
        BertSettings {
            path: Some(self.path.clone()),
            hub: None,
            labels: ["CONTENT", "SOURCE", "CUE"]
                .iter()
                .map(|t| (t.to_string(), "ignore".to_string()))
                .collect(),
            device: self.device,
            dtype: self.dtype,
            batch_size: self.batch_size,
            window: self.window,
            stride: self.stride,
            threads: None,
            case_features: true,
            min_confidence: 0.0,
        }
    }
}

/// How the tagger's attributions and the rules' frames combine ([`combine`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Combine {
    /// The tagger's attributions; the speaker from its Source, the rules' where it has none.
    Tagger,
    /// The rule quotes, plus the tagger's attributions that no rule quote overlaps.
    Hybrid,
}

/// Is the cue a speech act? Any word of it that starts a lexicon cue makes it one ("said",
/// "according to", "told reporters"); "believes", "wants", "hopes" are not in the lexicon.
pub fn is_speech_cue(text: &Text, lexicon: &Lexicon, cue: Span) -> bool {
    text.tokens
        .iter()
        .enumerate()
        .filter(|(_, t)| t.span.start >= cue.start && t.span.end <= cue.end)
        .any(|(i, _)| lexicon.match_at(&text.tokens, i).is_some())
}

/// The speaker phrase of a Source span: the most complete person name in it (else any name),
/// else a lone pronoun, else a description (its head: the last word before a preposition,
/// a relative word or a comma). A Source that runs into its cue ("His ex-wife agreed") ends
/// before it.
pub fn speaker_np(
    text: &Text,
    ents: &Entities,
    source: Span,
    cue: Option<Span>,
) -> Option<SpeakerNp> {
    // Only a cue that starts inside the Source cuts it: one the tagger spread over the whole
    // Source leaves the Source as it is.
    let cut = cue
        .map(|c| c.start)
        .filter(|&start| start > source.start)
        .unwrap_or(usize::MAX);
    let toks: Vec<usize> = (0..text.tokens.len())
        .filter(|&i| {
            let s = text.tokens[i].span;
            s.start >= source.start && s.end <= source.end && s.start < cut
        })
        .collect();
    let mut names: Vec<usize> = toks
        .iter()
        .filter_map(|&t| ents.by_token.get(t).copied().flatten())
        .collect();
    names.dedup();
    if let Some(&n) = names.iter().max_by_key(|&&n| {
        let name = &ents.names[n];
        (name.etype == EntityType::Person, name.words.len(), n)
    }) {
        return Some(SpeakerNp {
            mention: ents.names[n].span,
            kind: NpKind::Name(n),
        });
    }
    let words: Vec<usize> = toks
        .iter()
        .copied()
        .take_while(|&t| text.tokens[t].is_word() || text.tokens[t].text != ",")
        .filter(|&t| text.tokens[t].is_word())
        .collect();
    let first = *words.first()?;
    if words.len() == 1 {
        if let Some(p) = pronoun(&text.tokens[first].lower) {
            return Some(SpeakerNp {
                mention: text.tokens[first].span,
                kind: NpKind::Pronoun(p),
            });
        }
    }
    let lowers: Vec<&str> = words
        .iter()
        .map(|&t| text.tokens[t].lower.as_str())
        .collect();
    let end = description_len(&lowers);
    let head = words[end - 1];
    Some(SpeakerNp {
        mention: Span::new(text.tokens[first].span.start, text.tokens[head].span.end),
        kind: NpKind::Description {
            head: text.tokens[head].lower.clone(),
            modifiers: words[..end - 1]
                .iter()
                .map(|&t| text.tokens[t].lower.clone())
                .collect(),
        },
    })
}

/// The quotes of an article from the tagger's attributions and the rules' analysis.
///
/// `Tagger`: every attribution, its speaker from its Source, else from the rule frame that
/// shares the most characters with it. `Hybrid`: every rule quote as the rules found it
/// (content, fragments, speaker), plus the attributions that no rule quote overlaps. On PolNeAR
/// dev the rules bound quotations and attribute speakers better wherever they fire (direct F1
/// 0.891 against the tagger's 0.736 at 0.3, speaker accuracy 0.905 against 0.758), and the
/// tagger finds the reported speech they leave out (README, "The quote tagger").
pub fn combine(
    analysis: &Analysis,
    attributions: &[Attribution],
    lexicon: &Lexicon,
    how: Combine,
    reading: &Reading,
) -> QuoteFindings {
    let words_in = |pieces: &[Span]| -> Vec<&Token> {
        analysis
            .text
            .tokens
            .iter()
            .filter(|t| t.is_word() && pieces.iter().any(|p| p.contains(&t.span)))
            .collect()
    };
    let mut found: Vec<Found> = Vec::new();
    if how == Combine::Hybrid {
        found.extend(analysis.found.iter().cloned());
    }
    for att in attributions {
        // Under the guidelines only speech is a quote: an attribution without a cue is not
        // known to be one.
        if reading.speech_only
            && !att
                .cue
                .is_some_and(|c| is_speech_cue(&analysis.text, lexicon, c))
        {
            continue;
        }
        let words = words_in(&att.content);
        if words.len() < reading.min_words {
            continue;
        }
        // Reported speech is a clause; the nominal object of a speech verb ("praised [the U.S.
        // diplomatic push]") is not a quote under the guidelines. Quoted words are a quotation
        // whatever their grammar.
        if reading.speech_only
            && words.iter().all(|t| t.quote.is_none())
            && !tokens_have_finite_verb(words.iter().copied())
        {
            continue;
        }
        let rule = analysis
            .found
            .iter()
            .map(|f| (pieces_overlap(f.pieces(), &att.content), f))
            .filter(|(n, _)| *n > 0)
            .max_by_key(|(n, f)| (*n, std::cmp::Reverse(f.span.start)))
            .map(|(_, f)| f);
        if how == Combine::Hybrid && rule.is_some() {
            continue;
        }
        let own = att
            .source
            .and_then(|s| speaker_np(&analysis.text, &analysis.ents, s, att.cue));
        let (Some(first), Some(last)) = (att.content.first(), att.content.last()) else {
            continue;
        };
        found.push(Found {
            span: Span::new(first.start, last.end),
            fragments: if att.content.len() > 1 {
                att.content.clone()
            } else {
                Vec::new()
            },
            // Set from the text by `resolve_found`.
            kind: QuoteKind::Indirect,
            cue: att.cue.or_else(|| rule.and_then(|r| r.cue)),
            speaker: own.or_else(|| rule.and_then(|r| r.speaker.clone())),
            sentence: rule.map_or(0, |r| r.sentence),
            quotation: None,
        });
    }
    found.sort_by_key(|f| (f.span.start, f.span.end));
    resolve_found(analysis, found, reading.resolve)
}

/// The quotes of one article from its attribution labels (one per word piece): BIO spans, joined
/// into attributions, then [`combine`]d with the rules' analysis of the article and its mentions.
/// The one path from labels to quotes, for the tagger's own model and the joint model's
/// attribution head alike.
#[allow(clippy::too_many_arguments)]
pub fn quotes_from_labels(
    rules: &crate::extract::quotes::RulesExtractor,
    article: &crate::annotation::Article,
    mentions: &[crate::annotation::Mention],
    prepared: &crate::extract::bert::engine::Prepared,
    labels: &[crate::extract::bert::decode::PieceLabel],
    parts: &[(crate::extract::bert::settings::Tag, Option<decode::Part>)],
    how: Combine,
    reading: &Reading,
) -> QuoteFindings {
    let spans = decode::tagged_spans(&prepared.chars, &prepared.pieces, labels, parts);
    let atts = decode::attributions(&prepared.chars, &spans);
    let analysis = rules.analyse(article, mentions);
    combine(&analysis, &atts, rules.lexicon(), how, reading)
}

#[cfg(feature = "ner")]
pub use model::TaggerExtractor;

#[cfg(feature = "ner")]
mod model {
    use std::path::Path;
    use std::sync::Arc;

    use super::decode::{label_parts, Part};
    use super::{quotes_from_labels, Combine, TaggerSettings};
    use crate::annotation::{Article, Mention};
    use crate::extract::bert::engine::{BertTokenizer, Engine};
    use crate::extract::bert::model::{device_of, TchScorer};
    use crate::extract::bert::settings::{ModelFiles, Tag};
    use crate::extract::quotes::RulesExtractor;
    use crate::extract::{ExtractError, ExtractStats, QuoteExtractor, QuoteFindings};

    /// The `tagger` / `hybrid` quote extractor (the model loaded once).
    pub struct TaggerExtractor {
        how: Combine,
        settings: TaggerSettings,
        files: ModelFiles,
        parts: Vec<(Tag, Option<Part>)>,
        rules: RulesExtractor,
        engine: Engine,
        scorer: TchScorer,
    }

    impl TaggerExtractor {
        /// `base`: the directory of models.toml (relative paths).
        pub fn load(
            settings: TaggerSettings,
            how: Combine,
            base: &Path,
        ) -> Result<TaggerExtractor, crate::extract::StageError> {
            let started = std::time::Instant::now();
            let bert = settings.bert_settings();
            let (files, scheme) = crate::extract::bert::model_files(&bert, base)?;
            let parts =
                label_parts(&scheme).map_err(|source| crate::extract::StageError::NotATagger {
                    dir: files.dir.clone(),
                    source,
                })?;
            let device = device_of(bert.device)?;
            let tokenizer = BertTokenizer::load(&files)?;
            let dtype = bert.dtype.resolve(device.is_cuda());
            let scorer = TchScorer::load(&files, device, dtype)?;
            let mut engine = Engine::new(tokenizer, scheme, &bert);
            engine.stats.load_seconds = started.elapsed().as_secs_f64();
            Ok(TaggerExtractor {
                how,
                settings,
                files,
                parts,
                rules: RulesExtractor::default(),
                engine,
                scorer,
            })
        }

        fn findings(
            &mut self,
            articles: &[Arc<Article>],
            mentions: &[Vec<Mention>],
        ) -> Result<Vec<QuoteFindings>, ExtractError> {
            let dir = &self.files.dir;
            let fail = |source| ExtractError::Model {
                path: dir.clone(),
                source,
            };
            let (engine, scorer) = (&mut self.engine, &mut self.scorer);
            let mut prepared = Vec::with_capacity(articles.len());
            for a in articles {
                let p = engine.prepare(a).map_err(fail)?;
                engine.stats.word_pieces += p.pieces.len() as u64;
                prepared.push(p);
            }
            let scores = engine.label(scorer, &prepared, 0).map_err(fail)?;
            let mut out = Vec::with_capacity(articles.len());
            for (((article, p), s), m) in articles.iter().zip(&prepared).zip(&scores).zip(mentions)
            {
                out.push(quotes_from_labels(
                    &self.rules,
                    article,
                    m,
                    p,
                    &s.labels,
                    &self.parts,
                    self.how,
                    &self.settings.reading(),
                ));
            }
            Ok(out)
        }
    }

    impl QuoteExtractor for TaggerExtractor {
        fn describe(&self) -> String {
            format!(
                "{} {} ({}, window {}{})",
                match self.how {
                    Combine::Tagger => "tagger",
                    Combine::Hybrid => "hybrid tagger + rules",
                },
                self.files.dir.display(),
                self.scorer.device_name(),
                self.settings.window,
                if self.settings.speech_only {
                    ", speech only"
                } else {
                    ""
                }
            )
        }

        /// Counters of the tagger's own model (word pieces, model tokens, load time).
        fn stats(&self) -> ExtractStats {
            self.engine.stats.clone()
        }

        fn extract_batch(
            &mut self,
            articles: &[Arc<Article>],
            mentions: &[Vec<Mention>],
        ) -> Result<Vec<QuoteFindings>, ExtractError> {
            // Groups of articles keep the batches full without holding every article's
            // analysis at once.
            let mut out = Vec::with_capacity(articles.len());
            for (a, m) in articles.chunks(16).zip(mentions.chunks(16)) {
                out.extend(self.findings(a, m)?);
            }
            Ok(out)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::annotation::Article;
    use crate::extract::quotes::{nth, RulesExtractor};

    fn run(
        text: &str,
        parts: &[(&str, &str, &str)],
        how: Combine,
        speech_only: bool,
    ) -> (Article, QuoteFindings) {
        let article = Article::new("t", text);
        let span = |s: &str| nth(&article, s, 0).unwrap_or_else(|| panic!("{s:?} not in text"));
        let atts: Vec<Attribution> = parts
            .iter()
            .map(|(content, cue, source)| Attribution {
                content: content.split('|').map(span).collect(),
                cue: (!cue.is_empty()).then(|| span(cue)),
                source: (!source.is_empty()).then(|| span(source)),
            })
            .collect();
        let rules = RulesExtractor::default();
        let analysis = rules.analyse(&article, &[]);
        let mut settings: TaggerSettings = toml::from_str("path = \"x\"").expect("parses");
        settings.speech_only = speech_only;
        settings.min_words = 1;
        let found = combine(&analysis, &atts, rules.lexicon(), how, &settings.reading());
        (article, found)
    }

    #[test]
    fn the_source_span_names_the_speaker_and_the_kind_comes_from_the_text() {
        let text = "Senator Jane Smith said on Monday that the economy is strong.";
        let (_, f) = run(
            text,
            &[("the economy is strong", "said", "Senator Jane Smith")],
            Combine::Tagger,
            false,
        );
        assert_eq!(f.quotes.len(), 1);
        assert_eq!(f.quotes[0].speaker.as_deref(), Some("Jane Smith"));
        assert_eq!(f.quotes[0].kind, QuoteKind::Indirect);
        let text = "“We will win,” Jane Smith said, “and soon.”";
        let (a, f) = run(
            text,
            &[("We will win,|and soon.", "said", "Jane Smith")],
            Combine::Tagger,
            false,
        );
        assert_eq!(f.quotes.len(), 1);
        assert_eq!(f.quotes[0].pieces().len(), 2, "{:?}", f.quotes[0]);
        assert_eq!(f.quotes[0].kind, QuoteKind::Direct);
        assert_eq!(a.get(f.quotes[0].pieces()[1]), Some("and soon."));
    }

    #[test]
    fn a_source_that_runs_into_its_cue_ends_before_it() {
        // The tagger's Source sometimes takes the cue's verb too ("His ex-wife agreed").
        let text = "His ex-wife agreed that the court should keep the file sealed.";
        let (_, f) = run(
            text,
            &[(
                "the court should keep the file sealed",
                "agreed",
                "His ex-wife agreed",
            )],
            Combine::Tagger,
            false,
        );
        assert_eq!(f.quotes.len(), 1);
        assert_eq!(f.quotes[0].speaker.as_deref(), Some("His ex-wife"));
    }

    #[test]
    fn a_pronoun_source_is_resolved_and_a_missing_one_comes_from_the_rules() {
        let text = "Jane Smith arrived late.\nShe said the plan had failed. “It is over,” Smith told reporters.";
        let (_, f) = run(
            text,
            &[
                ("the plan had failed", "said", "She"),
                ("It is over,", "", ""),
            ],
            Combine::Tagger,
            false,
        );
        assert_eq!(f.quotes.len(), 2, "{:?}", f.quotes);
        assert!(
            f.quotes
                .iter()
                .all(|q| q.speaker.as_deref() == Some("Jane Smith")),
            "{:?}",
            f.quotes
        );
    }

    #[test]
    fn belief_cues_are_dropped_only_with_speech_only() {
        let text = "Jane Smith believes the economy is strong.";
        let att = [("the economy is strong", "believes", "Jane Smith")];
        assert_eq!(run(text, &att, Combine::Tagger, false).1.quotes.len(), 1);
        assert!(run(text, &att, Combine::Tagger, true).1.quotes.is_empty());
        let text = "Jane Smith said the economy is strong.";
        let att = [("the economy is strong", "said", "Jane Smith")];
        assert_eq!(run(text, &att, Combine::Tagger, true).1.quotes.len(), 1);
        // Without a cue it is not known to be speech.
        let att = [("the economy is strong", "", "Jane Smith")];
        assert_eq!(run(text, &att, Combine::Tagger, false).1.quotes.len(), 1);
        assert!(run(text, &att, Combine::Tagger, true).1.quotes.is_empty());
    }

    #[test]
    fn nominal_contents_are_not_reported_speech_under_speech_only() {
        let text = "The Kremlin leader praised the U.S. diplomatic push. He described it as \
                    “a real chance” and added talks had gone well.";
        let att = [
            ("the U.S. diplomatic push", "praised", "The Kremlin leader"),
            ("it as “a real chance”", "described", "He"),
            ("talks had gone well", "added", "He"),
        ];
        let kept = |speech_only| -> Vec<String> {
            let (article, found) = run(text, &att, Combine::Tagger, speech_only);
            found
                .quotes
                .iter()
                .map(|q| article.get(q.span).unwrap_or_default().to_string())
                .collect()
        };
        // PolNeAR's reading: every attribution.
        assert_eq!(kept(false).len(), 3);
        // The guidelines': a clause, or words in quotation marks, whatever their grammar.
        assert_eq!(kept(true), ["it as “a real chance”", "talks had gone well"]);
    }

    #[test]
    fn hybrid_keeps_the_rule_quotes_and_adds_what_only_the_tagger_found() {
        let text = "Jane Smith believes the economy is strong. “Taxes will fall,” said John \
                    Doe, “and soon.”";
        // The tagger's own reading of the quotation: cut short, and without its second piece.
        let att = [
            ("the economy is strong", "believes", "Jane Smith"),
            ("Taxes will fall", "said", "John Doe"),
        ];
        let (_, tagger) = run(text, &att, Combine::Tagger, false);
        let (a, hybrid) = run(text, &att, Combine::Hybrid, false);
        assert_eq!(tagger.quotes.len(), 2);
        assert_eq!(hybrid.quotes.len(), 2, "{:?}", hybrid.quotes);
        assert_eq!(a.get(hybrid.quotes[0].span), Some("the economy is strong"));
        assert_eq!(hybrid.quotes[0].speaker.as_deref(), Some("Jane Smith"));
        // The rules' quote, whole: both pieces of the interrupted quotation.
        let pieces: Vec<_> = hybrid.quotes[1]
            .pieces()
            .iter()
            .map(|&p| a.get(p))
            .collect();
        assert_eq!(pieces, [Some("Taxes will fall,"), Some("and soon.")]);
        assert_eq!(hybrid.quotes[1].speaker.as_deref(), Some("John Doe"));
        assert_eq!(hybrid.quotes[1].kind, QuoteKind::Direct);
        // speech_only drops the tagger's belief, never a rule quote.
        let (_, speech) = run(text, &att, Combine::Hybrid, true);
        assert_eq!(speech.quotes.len(), 1, "{:?}", speech.quotes);
    }

    #[test]
    fn contents_shorter_than_min_words_are_dropped() {
        let text = "Sources said the talks would limit the size of Ukraine’s army — soon.";
        let article = Article::new("t", text);
        let span = |s: &str| nth(&article, s, 0).expect("in text");
        let att = |content: &str| Attribution {
            content: vec![span(content)],
            cue: Some(span("said")),
            source: Some(span("Sources")),
        };
        let atts = [
            att("the talks would limit"),
            att("Ukraine’s army"),
            att("soon"),
        ];
        let rules = RulesExtractor::default();
        let analysis = rules.analyse(&article, &[]);
        let mut settings: TaggerSettings = toml::from_str("path = \"x\"").expect("parses");
        assert_eq!(settings.min_words, 3);
        let kept = |settings: &TaggerSettings| -> Vec<String> {
            combine(
                &analysis,
                &atts,
                rules.lexicon(),
                Combine::Tagger,
                &settings.reading(),
            )
            .quotes
            .iter()
            .map(|q| article.get(q.span).unwrap_or_default().to_string())
            .collect()
        };
        assert_eq!(kept(&settings), ["the talks would limit"]);
        // "Ukraine’s" is one word, whatever its apostrophe.
        settings.min_words = 2;
        assert_eq!(kept(&settings), ["the talks would limit", "Ukraine’s army"]);
        settings.min_words = 0;
        assert_eq!(kept(&settings).len(), 3);
    }

    #[test]
    fn settings_parse_with_defaults() {
        let s: TaggerSettings = toml::from_str("path = \"models/x\"").expect("parses");
        assert_eq!(
            (s.window, s.stride, s.speech_only, s.resolve),
            (256, 64, false, true)
        );
        assert!(toml::from_str::<TaggerSettings>("path = \"x\"\nwindw = 3").is_err());
        let b = s.bert_settings();
        assert!(b.case_features);
        assert_eq!(b.labels.len(), 3);
    }
}
