//! The cue lexicon: every word and phrase the rules read as a speech act, in one place.
//!
//! Only speech acts are cues (the annotation guidelines: "said, told, added, stressed,
//! reiterated, noted, explained, described, warned, cautioned, urged, declared, claimed, argued,
//! announced, according to, and the like"). Beliefs, intentions, feelings and perceptions are
//! deliberately absent: believe, think, want, hope, fear, feel, know, expect, worry, wish, see,
//! hear, find, figure, doubt, suspect, plan, intend, signal, indicate, show.
//!
//! Each verb lists its inflections (base, third person, past, participle) and two properties:
//! - its [`Frame`]: where the speaker and the content sit around it;
//! - its [`Complement`]: what may follow it as content. Verbs that are often something other
//!   than a speech act ("maintained the road", "repeated the visit", "called him") only count
//!   with a `that` clause or a quotation after them, or with the content before them.
//!
//! A user can remove entries by lemma or phrase with `disabled_cues` in `models.toml` to build a
//! deliberately weaker candidate.

use std::collections::HashMap;

use crate::text::{TokKind, Token};

/// Where a cue's speaker and content sit.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Frame {
    /// "X said (that) C", "C, X said", "“Q,” said X".
    Say,
    /// Like `Say`, with an addressee that is not content: "X told reporters (that) C".
    Tell,
    /// The content starts right after the verb: "X described the talks as useful",
    /// "X called the meeting “reasonably good”", "X urged Xi to press Russia".
    Describe,
    /// "according to X, C" / "C, according to X": the speaker follows the cue.
    According,
    /// "Tass cited Putin as saying C": the speaker sits between the verb and "as saying".
    AsSaying,
}

/// What may follow a cue as its content.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Complement {
    /// Any clause, with or without "that".
    Clause,
    /// Only a "that" clause, a colon, or a quotation.
    ThatOrQuote,
    /// Only a quotation ("“Why?” he asked", "Cruz continued: “…”").
    QuoteOnly,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CueEntry {
    /// The lemma or phrase a user names in `disabled_cues`.
    pub lemma: &'static str,
    /// Base, third person singular, past (and past participle), present participle. A phrase's
    /// words are separated by spaces and match one token each.
    pub forms: [&'static str; 4],
    pub frame: Frame,
    pub complement: Complement,
}

const fn verb(
    lemma: &'static str,
    forms: [&'static str; 4],
    frame: Frame,
    complement: Complement,
) -> CueEntry {
    CueEntry {
        lemma,
        forms,
        frame,
        complement,
    }
}

use Complement::*;
use Frame::*;

/// The lexicon. Phrases come first so that the longest match wins.
pub const LEXICON: &[CueEntry] = &[
    // Phrases.
    verb(
        "according to",
        ["according to", "", "", ""],
        According,
        Clause,
    ),
    verb(
        "make clear",
        ["make clear", "makes clear", "made clear", "making clear"],
        Say,
        ThatOrQuote,
    ),
    verb(
        "make it clear",
        [
            "make it clear",
            "makes it clear",
            "made it clear",
            "making it clear",
        ],
        Say,
        ThatOrQuote,
    ),
    verb(
        "point out",
        ["point out", "points out", "pointed out", "pointing out"],
        Say,
        Clause,
    ),
    verb(
        "go on to say",
        [
            "go on to say",
            "goes on to say",
            "went on to say",
            "going on to say",
        ],
        Say,
        Clause,
    ),
    verb("as saying", ["as saying", "", "", ""], AsSaying, Clause),
    // Verbs of saying.
    verb("say", ["say", "says", "said", "saying"], Say, Clause),
    verb("tell", ["tell", "tells", "told", "telling"], Tell, Clause),
    verb("add", ["add", "adds", "added", "adding"], Say, Clause),
    verb(
        "stress",
        ["stress", "stresses", "stressed", "stressing"],
        Say,
        Clause,
    ),
    verb(
        "reiterate",
        ["reiterate", "reiterates", "reiterated", "reiterating"],
        Say,
        ThatOrQuote,
    ),
    verb(
        "note",
        ["note", "notes", "noted", "noting"],
        Say,
        ThatOrQuote,
    ),
    verb(
        "explain",
        ["explain", "explains", "explained", "explaining"],
        Say,
        ThatOrQuote,
    ),
    verb("warn", ["warn", "warns", "warned", "warning"], Tell, Clause),
    verb(
        "caution",
        ["caution", "cautions", "cautioned", "cautioning"],
        Tell,
        ThatOrQuote,
    ),
    verb(
        "urge",
        ["urge", "urges", "urged", "urging"],
        Describe,
        Clause,
    ),
    verb(
        "declare",
        ["declare", "declares", "declared", "declaring"],
        Say,
        Clause,
    ),
    verb(
        "claim",
        ["claim", "claims", "claimed", "claiming"],
        Say,
        Clause,
    ),
    verb(
        "argue",
        ["argue", "argues", "argued", "arguing"],
        Say,
        Clause,
    ),
    verb(
        "announce",
        ["announce", "announces", "announced", "announcing"],
        Say,
        ThatOrQuote,
    ),
    verb(
        "insist",
        ["insist", "insists", "insisted", "insisting"],
        Say,
        Clause,
    ),
    verb(
        "assert",
        ["assert", "asserts", "asserted", "asserting"],
        Say,
        Clause,
    ),
    verb(
        "state",
        ["state", "states", "stated", "stating"],
        Say,
        ThatOrQuote,
    ),
    verb(
        "report",
        ["report", "reports", "reported", "reporting"],
        Say,
        ThatOrQuote,
    ),
    verb(
        "write",
        ["write", "writes", "wrote", "writing"],
        Say,
        ThatOrQuote,
    ),
    verb(
        "tweet",
        ["tweet", "tweets", "tweeted", "tweeting"],
        Say,
        ThatOrQuote,
    ),
    verb(
        "emphasize",
        ["emphasize", "emphasizes", "emphasized", "emphasizing"],
        Say,
        ThatOrQuote,
    ),
    verb(
        "emphasise",
        ["emphasise", "emphasises", "emphasised", "emphasising"],
        Say,
        ThatOrQuote,
    ),
    verb(
        "underscore",
        ["underscore", "underscores", "underscored", "underscoring"],
        Say,
        ThatOrQuote,
    ),
    verb(
        "confirm",
        ["confirm", "confirms", "confirmed", "confirming"],
        Say,
        ThatOrQuote,
    ),
    verb(
        "deny",
        ["deny", "denies", "denied", "denying"],
        Say,
        ThatOrQuote,
    ),
    verb(
        "admit",
        ["admit", "admits", "admitted", "admitting"],
        Say,
        ThatOrQuote,
    ),
    verb(
        "acknowledge",
        [
            "acknowledge",
            "acknowledges",
            "acknowledged",
            "acknowledging",
        ],
        Say,
        ThatOrQuote,
    ),
    verb(
        "concede",
        ["concede", "concedes", "conceded", "conceding"],
        Say,
        ThatOrQuote,
    ),
    verb(
        "contend",
        ["contend", "contends", "contended", "contending"],
        Say,
        Clause,
    ),
    verb(
        "maintain",
        ["maintain", "maintains", "maintained", "maintaining"],
        Say,
        ThatOrQuote,
    ),
    verb(
        "reveal",
        ["reveal", "reveals", "revealed", "revealing"],
        Say,
        ThatOrQuote,
    ),
    verb(
        "disclose",
        ["disclose", "discloses", "disclosed", "disclosing"],
        Say,
        ThatOrQuote,
    ),
    verb(
        "predict",
        ["predict", "predicts", "predicted", "predicting"],
        Say,
        ThatOrQuote,
    ),
    verb(
        "promise",
        ["promise", "promises", "promised", "promising"],
        Say,
        ThatOrQuote,
    ),
    verb(
        "pledge",
        ["pledge", "pledges", "pledged", "pledging"],
        Say,
        ThatOrQuote,
    ),
    verb("vow", ["vow", "vows", "vowed", "vowing"], Say, ThatOrQuote),
    verb(
        "allege",
        ["allege", "alleges", "alleged", "alleging"],
        Say,
        ThatOrQuote,
    ),
    verb(
        "complain",
        ["complain", "complains", "complained", "complaining"],
        Say,
        ThatOrQuote,
    ),
    verb(
        "recall",
        ["recall", "recalls", "recalled", "recalling"],
        Say,
        ThatOrQuote,
    ),
    verb(
        "recount",
        ["recount", "recounts", "recounted", "recounting"],
        Say,
        ThatOrQuote,
    ),
    verb(
        "repeat",
        ["repeat", "repeats", "repeated", "repeating"],
        Say,
        ThatOrQuote,
    ),
    verb(
        "mention",
        ["mention", "mentions", "mentioned", "mentioning"],
        Say,
        ThatOrQuote,
    ),
    verb(
        "observe",
        ["observe", "observes", "observed", "observing"],
        Say,
        ThatOrQuote,
    ),
    verb(
        "remark",
        ["remark", "remarks", "remarked", "remarking"],
        Say,
        ThatOrQuote,
    ),
    verb(
        "comment",
        ["comment", "comments", "commented", "commenting"],
        Say,
        ThatOrQuote,
    ),
    verb(
        "suggest",
        ["suggest", "suggests", "suggested", ""],
        Say,
        ThatOrQuote,
    ),
    verb(
        "conclude",
        ["conclude", "concludes", "concluded", "concluding"],
        Say,
        ThatOrQuote,
    ),
    verb(
        "testify",
        ["testify", "testifies", "testified", "testifying"],
        Say,
        ThatOrQuote,
    ),
    verb(
        "counter",
        ["counter", "counters", "countered", "countering"],
        Say,
        ThatOrQuote,
    ),
    verb(
        "reply",
        ["reply", "replies", "replied", "replying"],
        Say,
        ThatOrQuote,
    ),
    verb(
        "respond",
        ["respond", "responds", "responded", "responding"],
        Say,
        ThatOrQuote,
    ),
    verb(
        "answer",
        ["answer", "answers", "answered", "answering"],
        Say,
        ThatOrQuote,
    ),
    verb(
        "boast",
        ["boast", "boasts", "boasted", "boasting"],
        Say,
        ThatOrQuote,
    ),
    verb(
        "charge",
        ["charge", "charges", "charged", "charging"],
        Say,
        ThatOrQuote,
    ),
    verb(
        "assure",
        ["assure", "assures", "assured", "assuring"],
        Tell,
        ThatOrQuote,
    ),
    verb(
        "inform",
        ["inform", "informs", "informed", "informing"],
        Tell,
        ThatOrQuote,
    ),
    verb(
        "remind",
        ["remind", "reminds", "reminded", "reminding"],
        Tell,
        ThatOrQuote,
    ),
    verb(
        "describe",
        ["describe", "describes", "described", "describing"],
        Describe,
        Clause,
    ),
    verb(
        "characterize",
        [
            "characterize",
            "characterizes",
            "characterized",
            "characterizing",
        ],
        Describe,
        Clause,
    ),
    verb(
        "characterise",
        [
            "characterise",
            "characterises",
            "characterised",
            "characterising",
        ],
        Describe,
        Clause,
    ),
    verb(
        "call",
        ["call", "calls", "called", "calling"],
        Describe,
        QuoteOnly,
    ),
    verb(
        "dub",
        ["dub", "dubs", "dubbed", "dubbing"],
        Describe,
        QuoteOnly,
    ),
    verb(
        "label",
        ["label", "labels", "labeled", "labeling"],
        Describe,
        QuoteOnly,
    ),
    verb(
        "brand",
        ["brand", "brands", "branded", "branding"],
        Describe,
        QuoteOnly,
    ),
    verb(
        "term",
        ["term", "terms", "termed", "terming"],
        Describe,
        QuoteOnly,
    ),
    verb(
        "post",
        ["post", "posts", "posted", "posting"],
        Say,
        ThatOrQuote,
    ),
    verb(
        "accuse",
        ["accuse", "accuses", "accused", "accusing"],
        Describe,
        QuoteOnly,
    ),
    verb(
        "criticize",
        ["criticize", "criticizes", "criticized", "criticizing"],
        Describe,
        QuoteOnly,
    ),
    verb(
        "criticise",
        ["criticise", "criticises", "criticised", "criticising"],
        Describe,
        QuoteOnly,
    ),
    verb(
        "blast",
        ["blast", "blasts", "blasted", "blasting"],
        Describe,
        QuoteOnly,
    ),
    verb(
        "slam",
        ["slam", "slams", "slammed", "slamming"],
        Describe,
        QuoteOnly,
    ),
    verb(
        "mock",
        ["mock", "mocks", "mocked", "mocking"],
        Describe,
        QuoteOnly,
    ),
    verb(
        "praise",
        ["praise", "praises", "praised", "praising"],
        Describe,
        QuoteOnly,
    ),
    verb(
        "hail",
        ["hail", "hails", "hailed", "hailing"],
        Describe,
        QuoteOnly,
    ),
    verb(
        "dismiss",
        ["dismiss", "dismisses", "dismissed", "dismissing"],
        Describe,
        QuoteOnly,
    ),
    verb(
        "refer to",
        ["refer to", "refers to", "referred to", "referring to"],
        Describe,
        QuoteOnly,
    ),
    verb(
        "decry",
        ["decry", "decries", "decried", "decrying"],
        Describe,
        QuoteOnly,
    ),
    verb(
        "condemn",
        ["condemn", "condemns", "condemned", "condemning"],
        Describe,
        QuoteOnly,
    ),
    verb("ask", ["ask", "asks", "asked", "asking"], Say, QuoteOnly),
    verb(
        "continue",
        ["continue", "continues", "continued", "continuing"],
        Say,
        QuoteOnly,
    ),
    verb("joke", ["joke", "jokes", "joked", "joking"], Say, QuoteOnly),
    verb(
        "quip",
        ["quip", "quips", "quipped", "quipping"],
        Say,
        QuoteOnly,
    ),
    verb(
        "exclaim",
        ["exclaim", "exclaims", "exclaimed", "exclaiming"],
        Say,
        QuoteOnly,
    ),
    verb(
        "shout",
        ["shout", "shouts", "shouted", "shouting"],
        Say,
        QuoteOnly,
    ),
    verb("write", ["", "", "written", ""], Say, ThatOrQuote),
];

/// Which inflection matched.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Form {
    Base,
    Third,
    Past,
    Participle,
}

/// A cue found at a token position.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CueMatch {
    /// First token of the cue.
    pub first: usize,
    /// One past the last token.
    pub end: usize,
    pub entry: &'static CueEntry,
    pub form: Form,
}

/// One spelled-out form of an entry.
#[derive(Debug, Clone)]
struct FormWords {
    words: Vec<&'static str>,
    entry: &'static CueEntry,
    form: Form,
}

/// The lexicon with some entries switched off, indexed by first word.
#[derive(Debug, Clone)]
pub struct Lexicon {
    by_first: HashMap<&'static str, Vec<FormWords>>,
}

impl Lexicon {
    /// The full lexicon minus the lemmas or phrases named in `disabled` (case-insensitive).
    pub fn new(disabled: &[String]) -> Lexicon {
        let disabled: Vec<String> = disabled.iter().map(|d| d.trim().to_lowercase()).collect();
        let mut by_first: HashMap<&'static str, Vec<FormWords>> = HashMap::new();
        for entry in LEXICON
            .iter()
            .filter(|e| !disabled.iter().any(|d| d == e.lemma))
        {
            for (k, form) in entry.forms.iter().enumerate() {
                if form.is_empty() {
                    continue;
                }
                let words: Vec<&'static str> = form.split(' ').collect();
                let form = if entry.forms[0].is_empty() {
                    Form::Past // "written" is listed as the past of "write" in an entry of its own
                } else {
                    match k {
                        0 => Form::Base,
                        1 => Form::Third,
                        2 => Form::Past,
                        _ => Form::Participle,
                    }
                };
                by_first
                    .entry(words[0])
                    .or_default()
                    .push(FormWords { words, entry, form });
            }
        }
        for forms in by_first.values_mut() {
            forms.sort_by_key(|f| std::cmp::Reverse(f.words.len()));
        }
        Lexicon { by_first }
    }

    /// Every lemma or phrase the lexicon knows (for validating `disabled_cues`).
    pub fn lemmas() -> Vec<&'static str> {
        let mut v: Vec<&'static str> = Vec::new();
        for e in LEXICON {
            if !v.contains(&e.lemma) {
                v.push(e.lemma);
            }
        }
        v
    }

    /// The cue whose words start at token `i` (longest first), if the tokens there spell one.
    /// Only word tokens outside quotations are read; the caller decides whether the use is a
    /// speech act in context.
    pub fn match_at(&self, tokens: &[Token], i: usize) -> Option<CueMatch> {
        let tok = tokens.get(i)?;
        if tok.kind != TokKind::Word || tok.quote.is_some() {
            return None;
        }
        let forms = self.by_first.get(tok.lower.as_str())?;
        for f in forms {
            if i + f.words.len() > tokens.len() {
                continue;
            }
            let ok = f.words.iter().enumerate().skip(1).all(|(j, w)| {
                let t = &tokens[i + j];
                t.kind == TokKind::Word && t.quote.is_none() && t.lower == *w
            });
            if ok {
                return Some(CueMatch {
                    first: i,
                    end: i + f.words.len(),
                    entry: f.entry,
                    form: f.form,
                });
            }
        }
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::text::Text;

    #[test]
    fn lexicon_has_speech_acts_not_beliefs() {
        let lemmas = Lexicon::lemmas();
        for speech in [
            "say",
            "tell",
            "add",
            "stress",
            "reiterate",
            "note",
            "explain",
            "describe",
            "warn",
            "caution",
            "urge",
            "declare",
            "claim",
            "argue",
            "announce",
            "according to",
        ] {
            assert!(lemmas.contains(&speech), "{speech}");
        }
        for belief in [
            "believe", "think", "want", "hope", "fear", "feel", "know", "expect", "signal",
        ] {
            assert!(!lemmas.contains(&belief), "{belief}");
        }
    }

    #[test]
    fn phrases_match_longest_and_disabled_entries_vanish() {
        let t = Text::from_chars("According to him, it made it clear.".chars().collect());
        let lex = Lexicon::new(&[]);
        let m = lex.match_at(&t.tokens, 0).unwrap();
        assert_eq!((m.entry.lemma, m.end), ("according to", 2));
        let m = lex.match_at(&t.tokens, 5).unwrap();
        assert_eq!(m.entry.lemma, "make it clear");
        assert_eq!(m.form, Form::Past);
        let lex = Lexicon::new(&["According to".into()]);
        assert!(lex.match_at(&t.tokens, 0).is_none());
    }
}
