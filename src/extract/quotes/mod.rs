//! The rule-based quote extractor and speaker attribution.
//!
//! Modules, in the order an article goes through them:
//! - [`marks`]: which quotation marks pair up, which are apostrophes; quotations over several
//!   paragraphs; unbalanced marks.
//! - [`text`]: tokens, paragraphs (headlines and "Also Read:" lines told apart) and sentences
//!   in which a quotation is one unit.
//! - [`entities`]: the NER mentions passed in plus capitalised names the NER missed, clustered
//!   into entities, with the roles the article gives them; pronoun and description resolution.
//! - [`cues`]: the speech-cue lexicon (one place; documented there).
//! - [`frames`]: for every cue, its speaker phrase and content; quotes from the content.
//! - this module: speaker phrases resolved to speakers; the article's speaker list.
//! - [`places`]: the article's places from the PLACE mentions, aliases clustered.
//!
//! Everything is general: no rule names an article, a person or a place beyond the small
//! tables of [`words`] (pronouns, titles, countries and their abbreviations).

pub mod cues;
pub mod entities;
pub mod frames;
pub mod places;
pub mod speakers;
pub mod words;

use std::collections::BTreeMap;
use std::sync::Arc;

use serde::Deserialize;

use crate::annotation::{
    Article, EntityType, Mention, Quote, QuoteKind, Span, Speaker, SpeakerType,
};
use crate::extract::{ExtractError, QuoteExtractor, QuoteFindings};

use crate::text::{quoted_chars, Text};
use cues::Lexicon;
use entities::Entities;
use frames::{Found, Frames, NpKind, Options, SpeakerNp};
use words::{is_org_noun, is_plural_noun, Pron};

/// `[models.NAME.quotes]` settings of the rule-based extractor (`backend = "rules"`).
///
/// ```toml
/// [models.rules-direct-only.quotes]
/// backend = "rules"
/// indirect = false                      # direct quotes only
/// disabled_cues = ["according to", "told"]  # a deliberately weaker candidate
/// resolve = false                       # speakers as written: no pronoun/description resolution
/// ```
#[derive(Debug, Clone, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct RulesSettings {
    /// Cue lemmas or phrases to leave out of the lexicon ("say", "according to", …).
    #[serde(default)]
    pub disabled_cues: Vec<String>,
    /// Whether to extract indirect (reported) speech; direct quotes are always extracted.
    #[serde(default = "yes")]
    pub indirect: bool,
    /// Whether to resolve pronouns and descriptions to named speakers.
    #[serde(default = "yes")]
    pub resolve: bool,
}

fn yes() -> bool {
    true
}

impl Default for RulesSettings {
    fn default() -> Self {
        RulesSettings {
            disabled_cues: Vec::new(),
            indirect: true,
            resolve: true,
        }
    }
}

impl RulesSettings {
    /// Names in `disabled_cues` that are not in the lexicon.
    pub fn unknown_cues(&self) -> Vec<String> {
        let known = Lexicon::lemmas();
        self.disabled_cues
            .iter()
            .filter(|c| !known.contains(&c.trim().to_lowercase().as_str()))
            .cloned()
            .collect()
    }
}

/// The rule-based [`QuoteExtractor`].
/// `disabled_cues` naming cues the lexicon does not have.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("disabled_cues: {} not in the cue lexicon (known: {})", .0.join(", "), Lexicon::lemmas().join(", "))]
pub struct UnknownCues(pub Vec<String>);

#[derive(Debug, Clone)]
pub struct RulesExtractor {
    settings: RulesSettings,
    lexicon: Lexicon,
}

impl RulesExtractor {
    /// Fails when `disabled_cues` names something the lexicon does not have.
    pub fn new(settings: RulesSettings) -> Result<RulesExtractor, UnknownCues> {
        let unknown = settings.unknown_cues();
        if !unknown.is_empty() {
            return Err(UnknownCues(unknown));
        }
        let lexicon = Lexicon::new(&settings.disabled_cues);
        Ok(RulesExtractor { settings, lexicon })
    }

    pub fn settings(&self) -> &RulesSettings {
        &self.settings
    }

    /// The quotes of one article. The rules cannot fail, so this needs no batch.
    pub fn extract(&self, article: &Article, mentions: &[Mention]) -> QuoteFindings {
        let analysis = self.analyse(article, mentions);
        resolve_found(&analysis, analysis.found.clone(), self.settings.resolve)
    }
}

impl Default for RulesExtractor {
    fn default() -> Self {
        RulesExtractor {
            settings: RulesSettings::default(),
            lexicon: Lexicon::new(&[]),
        }
    }
}

impl QuoteExtractor for RulesExtractor {
    fn describe(&self) -> String {
        let mut d = String::from("rules");
        let mut notes = Vec::new();
        if !self.settings.indirect {
            notes.push("direct only".to_string());
        }
        if !self.settings.resolve {
            notes.push("no resolution".to_string());
        }
        if !self.settings.disabled_cues.is_empty() {
            notes.push(format!(
                "without {}",
                self.settings.disabled_cues.join(", ")
            ));
        }
        if !notes.is_empty() {
            d.push_str(&format!(" ({})", notes.join("; ")));
        }
        d
    }

    /// The rules cannot fail: each article is read on its own.
    fn extract_batch(
        &mut self,
        articles: &[Arc<Article>],
        mentions: &[Vec<Mention>],
    ) -> Result<Vec<QuoteFindings>, ExtractError> {
        Ok(articles
            .iter()
            .zip(mentions)
            .map(|(a, m)| self.extract(a, m))
            .collect())
    }
}

/// What the rules read in an article before speakers are resolved: its tokens, its entities,
/// and the attribution frames (quotes with their cue and speaker phrase). The tagger backends
/// (`crate::extract::tagger`) build on the same analysis.
pub struct Analysis {
    pub text: Text,
    pub ents: Entities,
    pub found: Vec<Found>,
}

impl RulesExtractor {
    pub fn analyse(&self, article: &Article, mentions: &[Mention]) -> Analysis {
        let text = Text::new(article);
        let mut ents = Entities::build(&text, mentions);
        ents.infer_genders(&text);
        let found = Frames::new(
            &text,
            &ents,
            &self.lexicon,
            Options {
                indirect: self.settings.indirect,
            },
        )
        .run();
        Analysis { text, ents, found }
    }

    pub fn lexicon(&self) -> &Lexicon {
        &self.lexicon
    }
}

/// Resolves the speaker phrases of `found` (quotes in text order) to speakers and sets each
/// quote's PARC kind.
pub fn resolve_found(analysis: &Analysis, found: Vec<Found>, resolve: bool) -> QuoteFindings {
    let text = &analysis.text;
    let mut findings = Resolver {
        text,
        ents: &analysis.ents,
        resolve,
        speakers: Vec::new(),
        keys: BTreeMap::new(),
    }
    .resolve(found);
    if resolve {
        let speakers = std::mem::take(&mut findings.speakers);
        findings.speakers = crate::extract::quotes::speakers::resolve_in(
            text,
            &analysis.ents,
            &mut findings.quotes,
            speakers,
        );
    }
    // The kind is PARC's, read off the text: a quotation in single marks reads as
    // indirect, as it does to the annotation tools and to independent scorers.
    let quoted = quoted_chars(&text.chars);
    for q in &mut findings.quotes {
        q.kind = QuoteKind::of_content(&text.chars, &quoted, q.pieces());
    }
    findings
}

/// Turns speaker phrases into speakers.
struct Resolver<'a> {
    text: &'a Text,
    ents: &'a Entities,
    resolve: bool,
    speakers: Vec<Speaker>,
    /// Identity of a speaker (cluster id or normalised description) -> index in `speakers`.
    keys: BTreeMap<String, usize>,
}

impl Resolver<'_> {
    fn resolve(mut self, found: Vec<Found>) -> QuoteFindings {
        let mut quotes = Vec::with_capacity(found.len());
        // Speakers of earlier quotes, for "they" after a group ("Ukrainian officials said …
        // They added …").
        let mut history: Vec<(usize, usize)> = Vec::new(); // (char pos, speaker index)
        for f in found {
            // An empty quotation (“”) quotes nothing; an annotation file cannot hold it either.
            if self.text.slice(f.span).trim().is_empty() {
                continue;
            }
            let (mention, speaker) = match &f.speaker {
                Some(np) => {
                    let idx = self.speaker_of(np, &history);
                    (Some(np.mention), idx)
                }
                None => (None, None),
            };
            if let Some(i) = speaker {
                history.push((f.span.start, i));
            }
            let mut quote = Quote {
                span: f.span,
                fragments: Vec::new(),
                kind: f.kind,
                cue: f.cue,
                speaker_mention: mention,
                speaker: speaker.map(|i| self.speakers[i].name.clone()),
                joint_speakers: Vec::new(),
            };
            // Joined pieces may include an empty quotation (“”): the annotation model keeps
            // fragments non-empty, sorted and disjoint (found by tests/fuzz.rs).
            quote.set_pieces(&f.fragments);
            if quote.content_len() == 0 {
                continue;
            }
            quotes.push(quote);
        }
        QuoteFindings {
            quotes,
            speakers: self.speakers,
            ..QuoteFindings::default()
        }
    }

    fn speaker_of(&mut self, np: &SpeakerNp, history: &[(usize, usize)]) -> Option<usize> {
        let written = self.text.slice(np.mention);
        match &np.kind {
            NpKind::Name(n) => Some(self.named(self.ents.names[*n].cluster)),
            NpKind::Pronoun(p) => {
                if self.resolve {
                    if matches!(p, Pron::He | Pron::She | Pron::It) {
                        if let Some(n) =
                            self.ents
                                .subject_antecedent(self.text, np.mention.start, *p)
                        {
                            return Some(self.named(self.ents.names[n].cluster));
                        }
                    }
                    if *p == Pron::They {
                        // `history` is in text order: stop at the first one out of reach.
                        if let Some(&(_, i)) = history
                            .iter()
                            .rev()
                            .take_while(|(pos, _)| np.mention.start.saturating_sub(*pos) < 2000)
                            .find(|(_, i)| !self.speakers[*i].named)
                        {
                            return Some(i);
                        }
                        if let Some(n) = self.ents.antecedent(np.mention.start, *p) {
                            return Some(self.named(self.ents.names[n].cluster));
                        }
                    }
                }
                Some(self.unnamed(&written, SpeakerType::Other))
            }
            NpKind::Description { head, modifiers } => {
                if self.resolve && !is_plural_noun(head) {
                    if let Some(n) = self.ents.describe(np.mention.start, head, modifiers) {
                        return Some(self.named(self.ents.names[n].cluster));
                    }
                }
                let t = if is_org_noun(head) {
                    SpeakerType::Org
                } else if is_plural_noun(head) {
                    SpeakerType::Other
                } else {
                    SpeakerType::Person
                };
                Some(self.unnamed(&written, t))
            }
        }
    }

    fn named(&mut self, cluster: usize) -> usize {
        let key = format!("cluster:{cluster}");
        if let Some(&i) = self.keys.get(&key) {
            return i;
        }
        let cl = &self.ents.clusters[cluster];
        // Every written form of the cluster, from the article itself.
        let mut forms: Vec<String> = Vec::new();
        for &n in self.ents.names_of(cluster) {
            let s = self.text.slice(self.ents.names[n].span);
            if !forms.contains(&s) {
                forms.push(s);
            }
        }
        let canonical = forms
            .iter()
            .max_by(|a, b| {
                let (wa, wb) = (a.split_whitespace().count(), b.split_whitespace().count());
                wa.cmp(&wb)
                    .then(a.chars().count().cmp(&b.chars().count()))
                    .then(std::cmp::Ordering::Greater)
            })
            .cloned()
            .unwrap_or_else(|| cl.canonical.clone());
        let aliases: Vec<String> = forms.into_iter().filter(|f| *f != canonical).collect();
        let speaker_type = match cl.etype {
            EntityType::Person => SpeakerType::Person,
            EntityType::Org | EntityType::Place => SpeakerType::Org,
        };
        self.speakers.push(Speaker {
            name: canonical,
            speaker_type,
            aliases,
            named: true,
        });
        let i = self.speakers.len() - 1;
        self.keys.insert(key, i);
        i
    }

    fn unnamed(&mut self, written: &str, speaker_type: SpeakerType) -> usize {
        let norm: Vec<String> = written
            .split_whitespace()
            .map(|w| w.to_lowercase())
            .skip_while(|w| matches!(w.as_str(), "the" | "a" | "an"))
            .collect();
        let key = format!("unnamed:{}", norm.join(" "));
        if let Some(&i) = self.keys.get(&key) {
            return i;
        }
        self.speakers.push(Speaker {
            name: written.to_string(),
            speaker_type,
            aliases: Vec::new(),
            named: false,
        });
        let i = self.speakers.len() - 1;
        self.keys.insert(key, i);
        i
    }
}

/// Runs the extractor with default settings over one text (for tests and benchmarks).
pub fn extract_text(text: &str, mentions: &[Mention]) -> QuoteFindings {
    let article = Article::new("text", text);
    RulesExtractor::default().extract(&article, mentions)
}

/// The char span of the `k`-th occurrence of `needle` (for tests).
pub fn nth(article: &Article, needle: &str, k: usize) -> Option<Span> {
    article.occurrences(needle).get(k).copied()
}
