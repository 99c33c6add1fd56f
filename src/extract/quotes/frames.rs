//! Attribution frames: for every speech cue of a sentence, its speaker phrase and the content it
//! governs, and from those the direct and indirect quotes.
//!
//! A sentence is read as a row of units (tokens outside quotations, and whole quotations). For
//! each cue ([`super::cues`]) the rules find:
//! - the speaker phrase: the subject before the verb ("Putin said", "an official told",
//!   "Putin’s aide Yuri Ushakov explained"), skipping adverbs and auxiliaries ("also", "has"),
//!   across a parenthesis between commas ("Putin, speaking to India Today, described"), through
//!   "who" ("Zelensky, who said"), or — for a participle or a second verb ("…, saying", "… and
//!   said") — the subject of the main clause; after the verb when inverted ("…,” said Putin");
//!   after "according to"; between the verb and "as saying" ("Tass cited Putin as saying").
//! - the content: after the verb (past an addressee for "told", past time and place adjuncts up
//!   to "that"), up to a clause boundary (the end of the sentence, ";", a reporter's background
//!   clause such as ", though …", ", something …", ", according to …", a non-speech participle
//!   such as ", signalling …", or the next frame); or before the speaker when the sentence reads
//!   "C, X said" or "“Q,” said X"; or both for an interrupted quotation ("“A,” he said, “B.”").
//! - Content that is only a quotation (or quotations) gives direct quotes; content with words
//!   of its own around quoted words is one mixed quote over the whole clause (PARC 3.0); content
//!   without quotation marks is one indirect quote. "that" and the final punctuation are
//!   outside the clause; titles in quotation marks leave a clause as it is.
//! - Quoted sentences around one attribution in a paragraph ("“A,” he said, “B.”", "“A.” she
//!   said. “B.”") are one quote in fragments.
//! - The kind is finally read off the text, as PARC defines it (`QuoteKind::of_content`).
//!
//! Quotations left over are quotes when:
//! - they follow a speaker and any verb ("“…,” remembered Roy Verley");
//! - they stand alone as a sentence (the speaker of a sentence ending in a colon, else of the
//!   neighbouring quote in the same or the previous paragraph, else the subject of the previous
//!   sentence) or follow a colon ("Xi’s response was limited: “…”");
//! - they read as speech (a clause, a first- or second-person pronoun, or six words or more) in
//!   a sentence that has a speech frame elsewhere (that frame's speaker), or have a name or a
//!   pronoun as the subject of their own clause ("Moore thanked him for “…”").
//!
//! Anything else in quotation marks (titles where titles stand, scare quotes, names) is not a
//! quote.

use crate::annotation::{EntityType, QuoteKind, Span};

use super::cues::{Complement, CueMatch, Form, Frame, Lexicon};
use super::entities::Entities;
use super::words::{
    is_agent_noun, is_determiner, is_negation, is_plural_noun, is_preposition, is_subject_pronoun,
    is_title, is_verb_adjunct, is_weekday, pronoun, Pron,
};
use crate::text::{ParaKind, Text, TokKind, Unit};

/// What a speaker phrase is.
#[derive(Debug, Clone, PartialEq)]
pub enum NpKind {
    /// A name: index into [`Entities::names`].
    Name(usize),
    Pronoun(Pron),
    /// A description: its head noun and the words before it, lowercased.
    Description {
        head: String,
        modifiers: Vec<String>,
    },
}

/// A speaker phrase as written.
#[derive(Debug, Clone, PartialEq)]
pub struct SpeakerNp {
    /// What the quote's `speaker_mention` is: the name without titles, the pronoun, or the
    /// description.
    pub mention: Span,
    pub kind: NpKind,
}

/// A quote found by the frames, before speakers are resolved.
#[derive(Debug, Clone, PartialEq)]
pub struct Found {
    /// From the first fragment's start to the last fragment's end.
    pub span: Span,
    /// The pieces of a quote in two or more fragments (an interrupted quotation); empty for a
    /// quote in one piece.
    pub fragments: Vec<Span>,
    pub kind: QuoteKind,
    pub cue: Option<Span>,
    pub speaker: Option<SpeakerNp>,
    pub sentence: usize,
    /// The quotation a direct quote comes from.
    pub quotation: Option<usize>,
}

/// Switches of the rules.
#[derive(Debug, Clone)]
pub struct Options {
    pub indirect: bool,
}

struct CueFrame {
    /// Unit range of the cue words.
    k0: usize,
    k1: usize,
    m: CueMatch,
    speaker: Option<SpeakerNp>,
    /// Unit range of the speaker phrase, when it is inside this sentence.
    subj: Option<(usize, usize)>,
    inverted: bool,
    /// The speaker comes from the main clause (", saying …", "… and said …"): the frame has
    /// no content before it.
    borrowed: bool,
    /// Inside a relative clause ("which he claims should …", "what he described as …"): part
    /// of another content, never content of its own.
    embedded: bool,
}

pub struct Frames<'a> {
    text: &'a Text,
    ents: &'a Entities,
    lex: &'a Lexicon,
    opts: Options,
    pub found: Vec<Found>,
    /// Quotations consumed by a frame.
    used: Vec<bool>,
    /// Per sentence: a frame whose content was announced by a final colon ("Cruz continued:").
    colon_frame: Vec<Option<(Option<Span>, Option<SpeakerNp>)>>,
    /// Per sentence: the frames with a speaker (first unit, cue, speaker).
    sentence_frames: Vec<Vec<(usize, Option<Span>, SpeakerNp)>>,
    /// Per paragraph: the findings with a speaker, in order, for [`Self::neighbour_speaker`]
    /// (which would otherwise scan every finding for every quotation, quadratic on long
    /// articles); it covers `found[..attributed_upto]`.
    attributed: Vec<Vec<usize>>,
    attributed_upto: usize,
}

const BOUNDARY_WORDS: &[&str] = &[
    "according",
    "though",
    "although",
    "something",
    "which",
    "while",
    "whereas",
    "despite",
    "even",
    "a",
    "an",
];

/// -ing words that are not participles introducing a reporter's comment.
const ING_NOT_PARTICIPLE: &[&str] = &[
    "during",
    "including",
    "according",
    "something",
    "nothing",
    "everything",
    "anything",
    "thing",
    "king",
    "morning",
    "evening",
    "bring",
    "spring",
    "string",
    "wing",
    "ceiling",
    "meeting",
    "building",
    "funding",
    "hearing",
    "briefing",
    "ruling",
    "training",
    "shooting",
    "bombing",
    "fighting",
    "spending",
    "following",
    "pending",
    "regarding",
    "concerning",
    "beginning",
    "being",
    "having",
];

impl<'a> Frames<'a> {
    pub fn new(text: &'a Text, ents: &'a Entities, lex: &'a Lexicon, opts: Options) -> Frames<'a> {
        Frames {
            text,
            ents,
            lex,
            opts,
            found: Vec::new(),
            used: vec![false; text.quotations.len()],
            colon_frame: vec![None; text.sentences.len()],
            sentence_frames: vec![Vec::new(); text.sentences.len()],
            attributed: vec![Vec::new(); text.paragraphs.len()],
            attributed_upto: 0,
        }
    }

    pub fn run(mut self) -> Vec<Found> {
        for s in 0..self.text.sentences.len() {
            if self.sentence_is_body(s) {
                self.sentence(s);
            }
        }
        self.leftovers();
        self.found.sort_by_key(|f| (f.span.start, f.span.end));
        // Quotes never overlap: an indirect quote that overlaps another quote gives way.
        let keep = self.without_overlaps();
        let found: Vec<Found> = std::mem::take(&mut self.found)
            .into_iter()
            .zip(keep)
            .filter(|(_, k)| *k)
            .map(|(f, _)| f)
            .collect();
        self.join_interrupted(found)
    }

    /// Which of the sorted findings stay so that no two overlap: each finding in turn against
    /// every other one it overlaps, in order, the lower kind (indirect, then mixed) or else the
    /// longer one giving way. Only overlapping pairs are visited (the kept findings that reach into this one and
    /// those that start inside it), so this is linear in the findings for bounded nesting
    /// rather than quadratic as a comparison of all pairs is.
    fn without_overlaps(&self) -> Vec<bool> {
        let found = &self.found;
        let mut keep = vec![true; found.len()];
        // Kept earlier findings that reach past the current start, in order.
        let mut reaching: Vec<usize> = Vec::new();
        for i in 0..found.len() {
            reaching.retain(|&j| keep[j] && found[j].span.end > found[i].span.start);
            if !keep[i] {
                continue;
            }
            let later =
                (i + 1..found.len()).take_while(|&j| found[j].span.start < found[i].span.end);
            let others: Vec<usize> = reaching.iter().copied().chain(later).collect();
            for j in others {
                if !keep[i] {
                    break;
                }
                if keep[j] && found[i].span.overlaps(&found[j].span) {
                    let (a, b) = (&found[i], &found[j]);
                    // Direct quotes hold best, then mixed, then indirect.
                    let rank = |k: QuoteKind| match k {
                        QuoteKind::Indirect => 0,
                        QuoteKind::Mixed => 1,
                        QuoteKind::Direct => 2,
                    };
                    let drop = if a.kind != b.kind {
                        if rank(a.kind) < rank(b.kind) {
                            i
                        } else {
                            j
                        }
                    } else if a.span.len() >= b.span.len() {
                        i
                    } else {
                        j
                    };
                    keep[drop] = false;
                }
            }
            if keep[i] {
                reaching.push(i);
            }
        }
        keep
    }

    /// One speech act is one quote: consecutive direct quotes of one paragraph with the same
    /// speaker become one quote in fragments when what lies between them is their attribution
    /// ("“A,” he said, “B.”", "“A.” she said. “B.”") or nothing but spaces and punctuation
    /// (two quotations of one speaker in a row). PARC 3.0, PolNeAR and Citron annotate them so.
    fn join_interrupted(&self, found: Vec<Found>) -> Vec<Found> {
        let mut out: Vec<Found> = Vec::with_capacity(found.len());
        for f in found {
            if let Some(last) = out.last_mut() {
                if self.continues(last, &f) {
                    let mut pieces = if last.fragments.is_empty() {
                        vec![last.span]
                    } else {
                        std::mem::take(&mut last.fragments)
                    };
                    pieces.push(f.span);
                    last.span = Span::new(last.span.start, f.span.end);
                    last.fragments = pieces;
                    if last.cue.is_none() {
                        last.cue = f.cue;
                    }
                    continue;
                }
            }
            out.push(f);
        }
        out
    }

    /// Whether direct quote `next` continues `prev` (see [`Frames::join_interrupted`]).
    fn continues(&self, prev: &Found, next: &Found) -> bool {
        if prev.kind != QuoteKind::Direct || next.kind != QuoteKind::Direct {
            return false;
        }
        let (Some(a), Some(b)) = (&prev.speaker, &next.speaker) else {
            return false;
        };
        if a.mention != b.mention || prev.span.end > next.span.start {
            return false;
        }
        let gap = Span::new(prev.span.end, next.span.start);
        if self.text.para_of(gap.start) != self.text.para_of(gap.end) {
            return false;
        }
        // Another quotation between them (a title, a scare quote) ends the speech act.
        // Quotations are sorted by their opening mark (= `outer().start`): look only at those
        // that open inside the gap, so joining stays linear in the article.
        let quotations = &self.text.quotations;
        let first = quotations.partition_point(|q| q.outer().start <= gap.start);
        let marks_between = quotations[first..]
            .iter()
            .take_while(|q| q.outer().start < gap.end)
            .any(|q| {
                let o = q.outer();
                o.end <= gap.end && !o.contains(&prev.span) && !o.contains(&next.span)
            });
        if marks_between {
            return false;
        }
        let inside = |x: Option<Span>| x.is_some_and(|c| gap.contains(&c));
        let blank = self.text.slice(gap).chars().all(|c| !c.is_alphanumeric());
        inside(prev.cue) || inside(next.cue) || inside(Some(a.mention)) || blank
    }

    fn sentence_is_body(&self, s: usize) -> bool {
        let sent = &self.text.sentences[s];
        let para = &self.text.paragraphs[sent.para];
        para.kind == ParaKind::Body
    }

    // ----- unit helpers -----

    fn units(&self, s: usize) -> &'a [Unit] {
        &self.text.sentences[s].units
    }

    fn tok(&self, s: usize, k: usize) -> Option<usize> {
        match self.units(s).get(k)? {
            Unit::Tok(t) => Some(*t),
            Unit::Quote(_) => None,
        }
    }

    fn lower(&self, s: usize, k: usize) -> &'a str {
        match self.units(s).get(k) {
            Some(Unit::Tok(t)) => &self.text.tokens[*t].lower,
            _ => "",
        }
    }

    fn is_punct(&self, s: usize, k: usize, c: char) -> bool {
        self.tok(s, k)
            .is_some_and(|t| self.text.tokens[t].is_punct(c))
    }

    fn quote_at(&self, s: usize, k: usize) -> Option<usize> {
        match self.units(s).get(k)? {
            Unit::Quote(q) => Some(*q),
            Unit::Tok(_) => None,
        }
    }

    /// A comma, or a quotation whose text ends with a comma ("“…very useful,” though").
    fn is_comma_like(&self, s: usize, k: usize) -> bool {
        self.is_punct(s, k, ',')
            || self
                .quote_at(s, k)
                .is_some_and(|q| self.text.quote_last_char(q) == Some(','))
    }

    fn unit_of_token(&self, s: usize, t: usize) -> Option<usize> {
        self.units(s).iter().position(|u| *u == Unit::Tok(t))
    }

    // ----- one sentence -----

    fn sentence(&mut self, s: usize) {
        let n = self.units(s).len();
        let mut frames: Vec<CueFrame> = Vec::new();
        let mut k = 0;
        while k < n {
            let Some(t) = self.tok(s, k) else {
                k += 1;
                continue;
            };
            let Some(m) = self.lex.match_at(&self.text.tokens, t) else {
                k += 1;
                continue;
            };
            let len = m.end - m.first;
            if !self.accept_cue(s, k, &m) {
                k += 1;
                continue;
            }
            frames.push(CueFrame {
                k0: k,
                k1: k + len,
                m,
                speaker: None,
                subj: None,
                inverted: false,
                borrowed: false,
                embedded: false,
            });
            k += len;
        }
        if frames.is_empty() {
            return;
        }
        for i in 0..frames.len() {
            self.find_speaker(s, &mut frames, i);
        }
        // A verb that reports speech only with a quotation ("continued", "asked", "called")
        // is no frame without one nearby: "the process would continue" is not speech.
        frames.retain(|f| {
            f.m.entry.complement != Complement::QuoteOnly || {
                let from = f.subj.map_or(f.k0, |(a, _)| a.min(f.k0)).saturating_sub(2);
                let quote = |x: usize| {
                    self.quote_at(s, x)
                        .is_some_and(|q| !self.is_title_where_titles_stand(s, q))
                };
                let mut later = false;
                for x in f.k1..n {
                    if quote(x) {
                        later = true;
                        break;
                    }
                    if self
                        .tok(s, x)
                        .is_some_and(|t| self.lex.match_at(&self.text.tokens, t).is_some())
                    {
                        break;
                    }
                }
                later
                    || (from..f.k0).any(quote)
                    || (f.k1 < n && self.is_punct(s, f.k1, ':') && f.k1 + 1 == n)
            }
        });
        // Units no content region may cross: the cues and their speaker phrases (of frames that
        // have a speaker and stand on their own).
        let mut blocked = vec![false; n];
        for f in frames
            .iter()
            .filter(|f| (f.speaker.is_some() || f.m.entry.frame == Frame::According) && !f.embedded)
        {
            for b in blocked.iter_mut().take(f.k1).skip(f.k0) {
                *b = true;
            }
            if let Some((a, b)) = f.subj {
                for x in blocked.iter_mut().take(b).skip(a) {
                    *x = true;
                }
            }
        }
        for i in 0..frames.len() {
            let f = &frames[i];
            if f.speaker.is_none() && f.m.entry.frame != Frame::According {
                continue;
            }
            if f.embedded {
                // "which an FBI investigation said was “extremely careless”": the quotation
                // marks are the investigation's; the gapped clause is no indirect quote.
                if let Some((a, b)) = self.after_region(s, f, &blocked) {
                    if (a..b).any(|x| self.quote_at(s, x).is_some()) {
                        let cue_span = self.cue_span(s, f);
                        self.emit(s, a, b, cue_span, f.speaker.clone(), Complement::QuoteOnly);
                    }
                }
                continue;
            }
            let after = self.after_region(s, f, &blocked);
            let before = if f.borrowed {
                None
            } else {
                self.before_region(s, f, &blocked, &frames[..i])
            };
            let cue_span = self.cue_span(s, f);
            if let Some(sp) = &f.speaker {
                self.sentence_frames[s].push((f.k0, cue_span, sp.clone()));
            }
            // A quotation right before the attribution ("“…,” he told Fox 35 in Orlando") is
            // its content; what follows the verb then counts only when it is another quotation
            // (an interrupted quotation: "“A,” he said, “B.”") or a "that" clause.
            let quote_before = before.is_some_and(|(a, b)| {
                (a..b).any(|x| {
                    self.quote_at(s, x)
                        .is_some_and(|q| !self.is_title_where_titles_stand(s, q))
                })
            });
            // A parenthetical attribution: "After all, she added, Republicans “…”" — the rest
            // of the sentence continues the content (not an apposition to an inverted subject).
            let k_end = f
                .subj
                .filter(|_| f.inverted)
                .map_or(f.k1, |(_, b)| b.max(f.k1));
            let frame_start = f.subj.map_or(f.k0, |(a, _)| a.min(f.k0));
            let parenthetical = after.is_none()
                && (before.is_some()
                    || (frame_start > 0 && self.is_punct(s, frame_start - 1, ',')))
                && !f.inverted
                && k_end + 1 < n
                && self.is_punct(s, k_end, ',')
                && !is_determiner(self.lower(s, k_end + 1))
                && !self.tok(s, k_end + 1).is_some_and(|t| {
                    let l = &self.text.tokens[t].lower;
                    l.len() > 4 && (l.ends_with("ing") || l.ends_with("ed"))
                });
            let after = if parenthetical {
                self.region_end(s, k_end + 1, &blocked)
                    .map(|e| (k_end + 1, e))
                    .filter(|&(a2, e)| {
                        !quote_before || (a2..e).any(|x| self.quote_at(s, x).is_some())
                    })
            } else {
                after
            };
            let after = after.filter(|&(a2, _)| {
                !quote_before
                    || self.quote_at(s, a2).is_some()
                    || self.first_quote_in(s, a2, a2 + 1)
                    || (a2 > 0 && self.lower(s, a2 - 1) == "that")
            });
            let mut emitted = false;
            if let Some((a, b)) = after {
                // A "that" clause or a colon makes any speech verb's content a clause.
                let clause =
                    a > 0 && (self.lower(s, a - 1) == "that" || self.is_punct(s, a - 1, ':'));
                let complement = if clause {
                    Complement::Clause
                } else {
                    f.m.entry.complement
                };
                emitted |= self.emit(s, a, b, cue_span, f.speaker.clone(), complement);
            }
            if let Some((a, b)) = before {
                if !emitted || quote_before {
                    self.emit(s, a, b, cue_span, f.speaker.clone(), Complement::Clause);
                }
            }
            // "Cruz continued:" at the end of a sentence announces the next paragraph's quotation.
            let k_after = f
                .subj
                .filter(|_| f.inverted)
                .map_or(f.k1, |(_, b)| b.max(f.k1));
            if k_after < n && self.is_punct(s, k_after, ':') && k_after + 1 >= n {
                self.colon_frame[s] = Some((cue_span, f.speaker.clone()));
            }
        }
    }

    fn first_quote_in(&self, s: usize, a: usize, b: usize) -> bool {
        (a..b.min(self.units(s).len())).any(|k| self.quote_at(s, k).is_some())
    }

    /// Whether a lexicon match is used as a speech verb here.
    fn accept_cue(&self, s: usize, k: usize, m: &CueMatch) -> bool {
        let tokens = &self.text.tokens;
        let first = &tokens[m.first];
        if m.entry.frame == Frame::According {
            return true;
        }
        if first.is_cap() {
            // "State media", "Say", "Note:" … but "Said Dorothy Poynter, …, “…”".
            let name_next = k == 0
                && m.form == Form::Past
                && self.tok(s, k + 1).is_some_and(|t| {
                    self.ents
                        .name_at(t)
                        .is_some_and(|n| self.ents.names[n].etype == EntityType::Person)
                });
            if !name_next {
                return false;
            }
        }
        let prev = if k > 0 { self.lower(s, k - 1) } else { "" };
        let prev_tok = if k > 0 { self.tok(s, k - 1) } else { None };
        // "Another tweeted", "One said": a determiner standing alone as the subject.
        let det_subject = matches!(
            prev,
            "another" | "one" | "others" | "some" | "many" | "several" | "both" | "most" | "few"
        ) && matches!(m.form, Form::Past | Form::Third)
            && (k < 2 || self.is_comma_like(s, k - 2) || self.quote_at(s, k - 2).is_some());
        if (is_determiner(prev) && !det_subject)
            || prev_tok.is_some_and(|t| tokens[t].kind == TokKind::Possessive)
        {
            return false; // "the claim", "his remarks", "Putin’s comments"
        }
        if m.entry.frame == Frame::AsSaying {
            return true;
        }
        // Negated: "did not say", "declined to say", "never said".
        let back = |d: usize| if k >= d { self.lower(s, k - d) } else { "" };
        if is_negation(back(1))
            || is_negation(back(2))
            || (back(1) == "to" && is_negation(back(2)))
            || (back(1) == "to" && is_negation(back(3)))
        {
            return false;
        }
        match m.form {
            Form::Base => {
                // "officials say", "they warn", "will say" — not "to say", imperatives, or nouns
                // ("Minnesota state delegate").
                k > 0
                    && prev_tok.is_some_and(|t| {
                        let tk = &tokens[t];
                        let l = tk.lower.as_str();
                        matches!(
                            l,
                            "i" | "we"
                                | "you"
                                | "they"
                                | "do"
                                | "does"
                                | "did"
                                | "will"
                                | "would"
                                | "could"
                                | "can"
                                | "may"
                                | "might"
                                | "should"
                                | "must"
                                | "also"
                                | "often"
                                | "still"
                                | "now"
                                | "who"
                                | "generally"
                                | "repeatedly"
                                | "always"
                                | "never"
                        ) || (tk.is_word()
                            && is_plural_noun(l)
                            && (is_agent_noun(l)
                                || l.ends_with("ans")
                                || l.ends_with("ists")
                                || l.ends_with("ers")))
                    })
            }
            Form::Participle => {
                // ", saying …", "was saying", "while adding", "an email stating, “…”".
                let end = k + (m.end - m.first);
                let quote_next = self.quote_at(s, end).is_some()
                    || ((self.is_punct(s, end, ',') || self.is_punct(s, end, ':'))
                        && self.quote_at(s, end + 1).is_some());
                k > 0
                    && (self.is_comma_like(s, k - 1)
                        || quote_next
                        || matches!(
                            prev,
                            "was"
                                | "were"
                                | "is"
                                | "are"
                                | "been"
                                | "be"
                                | "while"
                                | "also"
                                | "and"
                                | "before"
                                | "after"
                                | "by"
                                | "even"
                        ))
            }
            Form::Past | Form::Third => {
                // Passive "was told", "is said to" are not the speaker's own act.
                !matches!(
                    prev,
                    "was" | "were" | "is" | "are" | "be" | "been" | "being" | "get" | "got"
                )
            }
        }
    }

    fn cue_span(&self, s: usize, f: &CueFrame) -> Option<Span> {
        let t0 = self.tok(s, f.k0)?;
        let t1 = self.tok(s, f.k1 - 1)?;
        Some(Span::new(
            self.text.tokens[t0].span.start,
            self.text.tokens[t1].span.end,
        ))
    }

    // ----- speakers -----

    fn find_speaker(&self, s: usize, frames: &mut [CueFrame], i: usize) {
        let n = self.units(s).len();
        let f = &frames[i];
        match f.m.entry.frame {
            Frame::According => {
                if let Some((np, a, b)) = self.np_after(s, f.k1) {
                    let fr = &mut frames[i];
                    fr.speaker = Some(np);
                    fr.subj = Some((a, b));
                    fr.inverted = true;
                }
                return;
            }
            Frame::AsSaying => {
                // "Tass cited Putin as saying": the phrase right before "as"; or "X was quoted
                // as saying": the subject before "was quoted".
                if f.k0 > 0 {
                    let prev = self.lower(s, f.k0 - 1);
                    let end = if matches!(prev, "quoted" | "cited")
                        && f.k0 >= 2
                        && matches!(self.lower(s, f.k0 - 2), "was" | "were" | "is" | "been")
                    {
                        self.skip_adjuncts_back(s, f.k0 - 2)
                    } else {
                        Some(f.k0 - 1)
                    };
                    if let Some((np, a, b)) = end.and_then(|e| self.np_before(s, e)) {
                        let fr = &mut frames[i];
                        fr.speaker = Some(np);
                        fr.subj = Some((a, b));
                    }
                }
                return;
            }
            _ => {}
        }
        let participle = f.m.form == Form::Participle;
        let Some(kb) = self.skip_adjuncts_back(s, f.k0) else {
            // The cue starts the sentence: an inverted subject may follow ("Said Putin: …").
            if let Some((np, a, b)) = self.np_after(s, f.k1) {
                let fr = &mut frames[i];
                fr.speaker = Some(np);
                fr.subj = Some((a, b));
                fr.inverted = true;
            }
            return;
        };
        let prev = self.lower(s, kb);
        // A participle after a comma, or a second verb after "and": the main clause's subject.
        if participle || matches!(prev, "and" | "but" | "or" | "then") {
            if let Some(sp) = self.main_subject(s, frames, i, kb) {
                frames[i].speaker = Some(sp);
            }
            frames[i].borrowed = true;
            return;
        }
        // "Zelensky, who said …", "a campaign surrogate who said …"
        if matches!(prev, "who" | "which" | "that") && kb >= 1 {
            let before = if self.is_punct(s, kb - 1, ',') {
                kb.checked_sub(2)
            } else {
                Some(kb - 1)
            };
            if let Some((np, _, _)) = before.and_then(|b| self.np_before(s, b)) {
                frames[i].speaker = Some(np);
            }
            return;
        }
        let after_is_subject = |fr: &Self| {
            fr.np_after(s, frames[i].k1).filter(|(_, _, b)| {
                // An inverted subject is followed by the end, a comma, a colon, a period or a
                // preposition ("said Putin in a statement").
                *b >= n
                    || fr.is_comma_like(s, *b)
                    || fr.is_punct(s, *b, '.')
                    || fr.is_punct(s, *b, ':')
                    || fr.is_punct(s, *b, '(')
                    || fr.is_punct(s, *b, '—')
                    || is_preposition(fr.lower(s, *b))
                    || is_weekday(fr.lower(s, *b))
                    || matches!(
                        fr.lower(s, *b),
                        "who"
                            | "whose"
                            | "and"
                            | "involved"
                            | "familiar"
                            | "close"
                            | "briefed"
                            | "knowledgeable"
                            | "speaking"
                            | "told"
                    )
            })
        };
        if self.is_comma_like(s, kb)
            || self.quote_at(s, kb).is_some()
            || self.is_punct(s, kb, '—')
            || self.is_punct(s, kb, '–')
        {
            // An apposition or parenthesis between commas before the verb ("Graham, a former
            // candidate, told CBS News", "Putin, speaking to India Today …, described") wins
            // over an inverted subject after it.
            if let Some(sp) = self.parenthesised_subject(s, kb) {
                let fr = &mut frames[i];
                fr.speaker = Some(sp.0);
                fr.subj = Some((sp.1, sp.2));
                return;
            }
            if let Some((np, a, b)) = after_is_subject(self) {
                let fr = &mut frames[i];
                fr.speaker = Some(np);
                fr.subj = Some((a, b));
                fr.inverted = true;
                return;
            }
            // "Gov. John Kasich (R-OH), said": a subject, then a stray comma.
            if self.is_punct(s, kb, ',') {
                if let Some(kn) = self.skip_adjuncts_back(s, kb) {
                    if let Some((np, a, b)) = self.np_before(s, kn) {
                        let clause_start = a == 0
                            || self.is_comma_like(s, a - 1)
                            || self.quote_at(s, a - 1).is_some();
                        if clause_start && matches!(np.kind, NpKind::Name(_)) && kn + 1 < kb {
                            let fr = &mut frames[i];
                            fr.speaker = Some(np);
                            fr.subj = Some((a, b));
                            return;
                        }
                    }
                }
            }
            // A parenthesis between commas: "Putin, speaking to India Today …, described".
            if self.is_punct(s, kb, ',') {
                let mut c = kb;
                while c > 0 {
                    c -= 1;
                    if self.is_punct(s, c, ',') {
                        break;
                    }
                }
                if c > 0 && self.is_punct(s, c, ',') {
                    if let Some((np, a, b)) = self.np_before(s, c - 1) {
                        // The phrase must begin the clause.
                        if a == 0
                            || self.is_comma_like(s, a - 1)
                            || self.quote_at(s, a - 1).is_some()
                        {
                            let fr = &mut frames[i];
                            fr.speaker = Some(np);
                            fr.subj = Some((a, b));
                            return;
                        }
                    }
                }
            }
            return;
        }
        if let Some((np, a, b)) = self.np_before(s, kb) {
            // "which he claims should …", "what he described as …": a relative clause.
            let embedded =
                a > 0 && matches!(self.lower(s, a - 1), "which" | "what" | "whom" | "whatever");
            let fr = &mut frames[i];
            fr.speaker = Some(np);
            fr.subj = Some((a, b));
            fr.embedded = embedded;
            return;
        }
        // A subject with a post-modifier: "an official familiar with the talks said", "a
        // source close to the campaign told", "one person briefed on the matter said".
        let mut x = kb;
        while x > 0 && kb - x < 8 {
            let l = self.lower(s, x);
            if matches!(
                l,
                "familiar" | "close" | "briefed" | "involved" | "knowledgeable" | "with"
            ) {
                if let Some((np, a, _)) = self.np_before(s, x - 1) {
                    if matches!(np.kind, NpKind::Description { .. } | NpKind::Name(_)) {
                        let fr = &mut frames[i];
                        fr.speaker = Some(np);
                        fr.subj = Some((a, kb + 1));
                        return;
                    }
                }
            }
            if self.quote_at(s, x).is_some() || self.is_punct(s, x, '.') || self.is_punct(s, x, ';')
            {
                break;
            }
            x -= 1;
        }
    }

    /// "X, a former candidate, told …" / "X, who …, said": the subject before a comma-delimited
    /// segment that ends at unit `kb` (the comma right before the verb) and opens like an
    /// apposition or a participle clause.
    fn parenthesised_subject(&self, s: usize, kb: usize) -> Option<(SpeakerNp, usize, usize)> {
        let dash = |x: usize| self.is_punct(s, x, '—') || self.is_punct(s, x, '–');
        if !self.is_punct(s, kb, ',') && !dash(kb) {
            return None;
        }
        // Walk back over the segments between commas and dashes ("Dean Johnson, a salesman
        // from Sumter, South Carolina, says"; "Jason Sims — a teacher — says") to a name or a
        // pronoun that begins the clause.
        let mut c = kb;
        while c > 0 && kb - c < 30 {
            c -= 1;
            if self.quote_at(s, c).is_some() || self.is_punct(s, c, ';') || self.is_punct(s, c, ':')
            {
                return None;
            }
            if self.tok(s, c).is_some_and(|t| {
                self.lex
                    .match_at(&self.text.tokens, t)
                    .is_some_and(|m| m.form != Form::Base)
            }) {
                return None;
            }
            if !(self.is_punct(s, c, ',') || dash(c)) || c == 0 {
                continue;
            }
            let Some((np, a, b)) = self.np_before(s, c - 1) else {
                continue;
            };
            if !matches!(np.kind, NpKind::Name(_) | NpKind::Pronoun(_)) {
                continue;
            }
            let first = self.lower(s, c + 1);
            let opens = matches!(
                first,
                "a" | "an"
                    | "the"
                    | "who"
                    | "whose"
                    | "which"
                    | "his"
                    | "her"
                    | "their"
                    | "its"
                    | "one"
                    | "also"
                    | "speaking"
                    | "writing"
                    | "asked"
                    | "appearing"
                    | "according"
                    | "along"
                    | "like"
                    | "himself"
                    | "herself"
                    | "both"
                    | "each"
                    | "now"
                    | "then"
                    | "once"
            ) || (first.len() > 4 && (first.ends_with("ing") || first.ends_with("ed")))
                || is_preposition(first)
                || is_title(first)
                || is_agent_noun(first)
                || first.chars().any(|ch| ch.is_ascii_digit())
                || self
                    .tok(s, c + 1)
                    .is_some_and(|t| self.text.tokens[t].is_cap())
                || dash(c);
            if !opens {
                continue;
            }
            // The phrase must begin its clause.
            if a == 0
                || self.is_comma_like(s, a - 1)
                || self.quote_at(s, a - 1).is_some()
                || matches!(self.lower(s, a - 1), "but" | "and" | "so")
            {
                return Some((np, a, b));
            }
        }
        None
    }

    /// Steps back from unit `k` (exclusive) over adverbs, auxiliaries and short time phrases;
    /// `None` when nothing is left before.
    fn skip_adjuncts_back(&self, s: usize, k: usize) -> Option<usize> {
        let mut j = k;
        while j > 0 {
            if self.is_punct(s, j - 1, ')') {
                // A parenthesis: "(D-Wash.)", "(R)".
                let mut x = j - 1;
                while x > 0 && !self.is_punct(s, x, '(') && j - x < 12 {
                    x -= 1;
                }
                if self.is_punct(s, x, '(') {
                    j = x;
                    continue;
                }
            }
            let l = self.lower(s, j - 1);
            // "on Wednesday", "last week"
            if j >= 2 && is_weekday(l) && matches!(self.lower(s, j - 2), "on" | "last" | "this") {
                j -= 2;
                continue;
            }
            // Not a word of a name ("India Today said").
            let in_name = self
                .tok(s, j - 1)
                .is_some_and(|t| self.ents.name_at(t).is_some());
            if is_verb_adjunct(l) && !in_name {
                j -= 1;
                continue;
            }
            if l == "week" && j >= 2 && matches!(self.lower(s, j - 2), "last" | "this") {
                j -= 2;
                continue;
            }
            break;
        }
        if j == 0 {
            None
        } else {
            Some(j - 1)
        }
    }

    /// The subject of the main clause, for a participle or coordinated verb at unit `kb + 1`:
    /// the speaker of an earlier frame of the sentence, else the first speaker-like phrase that
    /// begins the sentence.
    fn main_subject(
        &self,
        s: usize,
        frames: &[CueFrame],
        i: usize,
        kb: usize,
    ) -> Option<SpeakerNp> {
        // The clause the participle hangs on starts after the last ", though" / ", but" / ";".
        let mut clause_start = 0;
        for x in (1..kb).rev() {
            if self.is_punct(s, x, ';') {
                clause_start = x + 1;
                break;
            }
            if matches!(
                self.lower(s, x),
                "though" | "although" | "but" | "while" | "whereas" | "yet"
            ) && self.is_comma_like(s, x - 1)
            {
                clause_start = x + 1;
                break;
            }
        }
        if let Some(sp) = frames[..i]
            .iter()
            .rev()
            .filter(|f| f.k0 >= clause_start && !f.embedded)
            .find_map(|f| f.speaker.clone())
        {
            return Some(sp);
        }
        // The first phrase of the clause that can be a subject.
        let mut k = clause_start;
        while k < kb {
            if let Some(t) = self.tok(s, k) {
                let tok = &self.text.tokens[t];
                if tok.is_word() {
                    let place = self
                        .ents
                        .name_at(t)
                        .is_some_and(|n| self.ents.names[n].etype == EntityType::Place);
                    if let Some((np, _, b)) = self.np_after(s, k).filter(|_| !place) {
                        // "Putin stuck to his pledge … and said": the phrase must be followed by
                        // something other than a possessive "’s" (then it is a modifier).
                        if b < kb
                            && self
                                .tok(s, b)
                                .is_some_and(|t| self.text.tokens[t].kind == TokKind::Possessive)
                        {
                            k = b + 1;
                            continue;
                        }
                        return Some(np);
                    }
                    // Introductory phrases: "In Beijing, …", "Meanwhile, …".
                    if is_preposition(&tok.lower)
                        || tok.lower == "meanwhile"
                        || tok.lower == "however"
                    {
                        if let Some(c) = (k..kb).find(|&x| self.is_punct(s, x, ',')) {
                            k = c;
                        }
                    }
                }
            }
            k += 1;
        }
        None
    }

    /// The speaker phrase that ends at unit `k`: (phrase, first unit, end unit).
    fn np_before(&self, s: usize, k: usize) -> Option<(SpeakerNp, usize, usize)> {
        let t = self.tok(s, k)?;
        let tokens = &self.text.tokens;
        let tok = &tokens[t];
        if !tok.is_word() {
            return None;
        }
        if is_subject_pronoun(&tok.lower) {
            let p = pronoun(&tok.lower)?;
            return Some((
                SpeakerNp {
                    mention: tok.span,
                    kind: NpKind::Pronoun(p),
                },
                k,
                k + 1,
            ));
        }
        // "Another tweeted", "One said", "Others say": a determiner standing alone.
        if matches!(
            tok.lower.as_str(),
            "another"
                | "one"
                | "others"
                | "some"
                | "many"
                | "several"
                | "both"
                | "most"
                | "few"
                | "neither"
        ) && (k == 0 || self.is_comma_like(s, k - 1) || self.quote_at(s, k - 1).is_some())
        {
            let np = SpeakerNp {
                mention: tok.span,
                kind: NpKind::Description {
                    head: tok.lower.clone(),
                    modifiers: Vec::new(),
                },
            };
            return Some((np, k, k + 1));
        }
        if let Some(n) = self.ents.name_at(t) {
            let name = &self.ents.names[n];
            if name.end == t + 1 {
                let a = self.unit_of_token(s, name.first).unwrap_or(k);
                // Include the titles and roles in front in the phrase's unit range.
                let mut a2 = a;
                while a2 > 0 {
                    let l = self.lower(s, a2 - 1);
                    let pt = self.tok(s, a2 - 1);
                    let is_mod = pt.is_some_and(|pt| {
                        let p = &tokens[pt];
                        let verb_form = !p.is_cap()
                            && p.lower.len() > 4
                            && (p.lower.ends_with("ed") || p.lower.ends_with("ing"))
                            && !is_title(&p.lower)
                            && !is_agent_noun(&p.lower);
                        (p.is_word() && p.is_cap() && self.lex.match_at(tokens, pt).is_none())
                            || (p.is_word()
                                && !verb_form
                                && !is_preposition(l)
                                && !is_verb_adjunct(l)
                                && !matches!(l, "and" | "or" | "but" | "that" | "who" | "which")
                                && (pronoun(l).is_none()
                                    || is_determiner(l)
                                    || p.is_cap()
                                        && p.text.chars().all(|c| c.is_uppercase() || c == '.'))
                                && self
                                    .lex
                                    .match_at(tokens, pt)
                                    .map_or(true, |m| m.form == Form::Base))
                            || p.kind == TokKind::Possessive
                    });
                    if is_mod && k - a2 < 10 {
                        a2 -= 1;
                    } else {
                        break;
                    }
                }
                return Some((
                    SpeakerNp {
                        mention: name.span,
                        kind: NpKind::Name(n),
                    },
                    a2,
                    k + 1,
                ));
            }
            return None;
        }
        // "the President said": a capitalised title after a determiner is a description.
        let cap_title = tok.is_cap()
            && ((is_title(&tok.lower) && k > 0 && is_determiner(self.lower(s, k - 1)))
                || (k == 0 && is_agent_noun(&tok.lower) && self.ents.name_at(t).is_none()));
        if (tok.is_cap() && !cap_title)
            || is_preposition(&tok.lower)
            || is_verb_adjunct(&tok.lower)
            || is_determiner(&tok.lower)
        {
            return None;
        }
        let agent = is_agent_noun(&tok.lower);
        // A description: determiner and modifiers before the head.
        let mut a = k;
        let mut modifiers = Vec::new();
        while a > 0 && k - a < 5 {
            let Some(pt) = self.tok(s, a - 1) else { break };
            let p = &tokens[pt];
            let l = p.lower.as_str();
            if p.kind == TokKind::Possessive {
                a -= 1;
                continue;
            }
            if !p.is_word() {
                break;
            }
            if is_determiner(l) {
                a -= 1;
                modifiers.push(l.to_string());
                // "the former president", "one senior official": adjectives in the list of
                // determiners go on to the article before them.
                if !matches!(
                    l,
                    "former" | "senior" | "top" | "other" | "various" | "numerous"
                ) {
                    break;
                }
                continue;
            }
            if is_preposition(l)
                || is_verb_adjunct(l)
                || matches!(
                    l,
                    "and"
                        | "or"
                        | "but"
                        | "that"
                        | "who"
                        | "which"
                        | "though"
                        | "although"
                        | "because"
                        | "if"
                        | "so"
                        | "yet"
                        | "whereas"
                        | "unless"
                        | "until"
                )
                || is_subject_pronoun(l)
                || l.chars().any(|c| c.is_ascii_digit())
            {
                break;
            }
            if pronoun(l).is_some() {
                break;
            }
            modifiers.push(l.to_string());
            a -= 1;
        }
        modifiers.reverse();
        // A head outside the list of agent nouns needs a determiner ("the gambling tycoon").
        // "the gambling tycoon" — not "at the time", "that almost".
        let det_led = a < k
            && self.tok(s, a).is_some_and(|t| {
                matches!(
                    tokens[t].lower.as_str(),
                    "the"
                        | "a"
                        | "an"
                        | "one"
                        | "another"
                        | "each"
                        | "some"
                        | "several"
                        | "many"
                        | "his"
                        | "her"
                        | "their"
                )
            })
            && !(a > 0 && is_preposition(self.lower(s, a - 1)));
        if !agent && !det_led {
            return None;
        }
        let first_tok = self.tok(s, a)?;
        let mention = Span::new(tokens[first_tok].span.start, tok.span.end);
        Some((
            SpeakerNp {
                mention,
                kind: NpKind::Description {
                    head: tok.lower.clone(),
                    modifiers,
                },
            },
            a,
            k + 1,
        ))
    }

    /// The speaker phrase that starts at or just after unit `k` (titles and determiners
    /// skipped): (phrase, first unit, end unit).
    fn np_after(&self, s: usize, k: usize) -> Option<(SpeakerNp, usize, usize)> {
        let n = self.units(s).len();
        let tokens = &self.text.tokens;
        if is_preposition(self.lower(s, k))
            || matches!(
                self.lower(s, k),
                "meanwhile" | "however" | "afterward" | "afterwards" | "still" | "then"
            )
        {
            return None;
        }
        let mut j = k;
        let mut modifiers: Vec<String> = Vec::new();
        while j < n && j < k + 6 {
            let t = self.tok(s, j)?;
            let tok = &tokens[t];
            if !tok.is_word() && tok.kind != TokKind::Possessive {
                return None;
            }
            if j == k && is_subject_pronoun(&tok.lower) {
                let p = pronoun(&tok.lower)?;
                return Some((
                    SpeakerNp {
                        mention: tok.span,
                        kind: NpKind::Pronoun(p),
                    },
                    j,
                    j + 1,
                ));
            }
            if let Some(nm) = self.ents.name_at(t) {
                let name = &self.ents.names[nm];
                let end_unit = self.unit_of_token(s, name.end - 1).map_or(j + 1, |u| u + 1);
                // "according to Kremlin officials": a name modifying an agent noun.
                if let Some(nt) = self.tok(s, end_unit) {
                    let next = &tokens[nt];
                    if next.is_word() && !next.is_cap() && is_agent_noun(&next.lower) {
                        j = end_unit;
                        modifiers.extend(name.words.iter().map(|w| w.to_lowercase()));
                        continue;
                    }
                    if next.kind == TokKind::Possessive {
                        // "according to Russia’s foreign ministry"
                        j = end_unit + 1;
                        modifiers.extend(name.words.iter().map(|w| w.to_lowercase()));
                        continue;
                    }
                }
                // "said one Trump confidant": a noun after the name heads the phrase.
                if let (Some(nt), true) = (self.tok(s, end_unit), j > k || !modifiers.is_empty()) {
                    let next = &tokens[nt];
                    let after = end_unit + 1;
                    let ends = after >= n
                        || self.is_comma_like(s, after)
                        || self.is_punct(s, after, '.')
                        || is_preposition(self.lower(s, after));
                    if next.is_word()
                        && !next.is_cap()
                        && !is_preposition(&next.lower)
                        && !is_verb_adjunct(&next.lower)
                        && ends
                    {
                        let first = tokens[self.tok(s, k)?].span.start;
                        let mut mods = modifiers.clone();
                        mods.extend(name.words.iter().map(|w| w.to_lowercase()));
                        return Some((
                            SpeakerNp {
                                mention: Span::new(first, next.span.end),
                                kind: NpKind::Description {
                                    head: next.lower.clone(),
                                    modifiers: mods,
                                },
                            },
                            k,
                            end_unit + 1,
                        ));
                    }
                }
                // "Air Force 1st Lt. Tyler Livingston": a later name in the same run of
                // capitalised words and titles is the person.
                let mut x = end_unit;
                while x < n && x < end_unit + 6 {
                    let Some(xt) = self.tok(s, x) else { break };
                    let xk = &tokens[xt];
                    if let Some(nm2) = self.ents.name_at(xt) {
                        if self.ents.names[nm2].etype == EntityType::Person {
                            let name2 = &self.ents.names[nm2];
                            let end2 = self
                                .unit_of_token(s, name2.end - 1)
                                .map_or(x + 1, |u| u + 1);
                            return Some((
                                SpeakerNp {
                                    mention: name2.span,
                                    kind: NpKind::Name(nm2),
                                },
                                k,
                                end2,
                            ));
                        }
                    }
                    let role_word = xk.is_word()
                        && !is_preposition(&xk.lower)
                        && !is_verb_adjunct(&xk.lower)
                        && self.lex.match_at(tokens, xt).is_none();
                    if role_word {
                        x += 1;
                    } else {
                        break;
                    }
                }
                return Some((
                    SpeakerNp {
                        mention: name.span,
                        kind: NpKind::Name(nm),
                    },
                    k,
                    end_unit,
                ));
            }
            let l = tok.lower.as_str();
            if !tok.is_cap() && is_agent_noun(l) {
                // "former Massachusetts congressman Barney Frank", "Republican party boss
                // Reince Priebus": the name after the role words.
                let mut look = j + 1;
                while look < n
                    && look < j + 3
                    && self.tok(s, look).is_some_and(|t| {
                        let x = &tokens[t];
                        x.is_word()
                            && !x.is_cap()
                            && !is_preposition(&x.lower)
                            && self.lex.match_at(tokens, t).is_none()
                    })
                {
                    look += 1;
                }
                if let Some(nt) = self.tok(s, look).filter(|_| look > j + 1) {
                    if let Some(nm) = self.ents.name_at(nt) {
                        let name = &self.ents.names[nm];
                        if name.first == nt && name.etype == EntityType::Person {
                            let end = self
                                .unit_of_token(s, name.end - 1)
                                .map_or(look + 1, |u| u + 1);
                            return Some((
                                SpeakerNp {
                                    mention: name.span,
                                    kind: NpKind::Name(nm),
                                },
                                k,
                                end,
                            ));
                        }
                    }
                }
                if let Some(nt) = self.tok(s, j + 1) {
                    if let Some(nm) = self.ents.name_at(nt) {
                        let name = &self.ents.names[nm];
                        if name.first == nt && name.etype == EntityType::Person {
                            let end = self.unit_of_token(s, name.end - 1).map_or(j + 2, |u| u + 1);
                            return Some((
                                SpeakerNp {
                                    mention: name.span,
                                    kind: NpKind::Name(nm),
                                },
                                k,
                                end,
                            ));
                        }
                    }
                }
                // Take a following noun of a compound ("state media", "Kremlin spokesman").
                let mut head_j = j;
                while let Some(nt) = self.tok(s, head_j + 1) {
                    let nx = &tokens[nt];
                    if nx.is_word()
                        && !nx.is_cap()
                        && is_agent_noun(&nx.lower)
                        && head_j + 1 < k + 7
                    {
                        modifiers.push(tokens[self.tok(s, head_j)?].lower.clone());
                        head_j += 1;
                    } else {
                        break;
                    }
                }
                let first = tokens[self.tok(s, k)?].span.start;
                let head = &tokens[self.tok(s, head_j)?];
                let mention = Span::new(first, head.span.end);
                return Some((
                    SpeakerNp {
                        mention,
                        kind: NpKind::Description {
                            head: head.lower.clone(),
                            modifiers,
                        },
                    },
                    k,
                    head_j + 1,
                ));
            }
            // A lowercase word that ends the phrase is its head ("said the gambling tycoon.").
            if !tok.is_cap()
                && j > k
                && !is_preposition(l)
                && !is_verb_adjunct(l)
                && !is_determiner(l)
                && tok.is_word()
            {
                let after = j + 1;
                let ends = after >= n
                    || self.is_comma_like(s, after)
                    || self.is_punct(s, after, '.')
                    || is_preposition(self.lower(s, after))
                    || matches!(
                        self.lower(s, after),
                        "who"
                            | "involved"
                            | "familiar"
                            | "close"
                            | "briefed"
                            | "knowledgeable"
                            | "speaking"
                    );
                let det_led = self
                    .tok(s, k)
                    .is_some_and(|t| is_determiner(&tokens[t].lower));
                if ends && det_led {
                    let first = tokens[self.tok(s, k)?].span.start;
                    return Some((
                        SpeakerNp {
                            mention: Span::new(first, tok.span.end),
                            kind: NpKind::Description {
                                head: l.to_string(),
                                modifiers,
                            },
                        },
                        k,
                        j + 1,
                    ));
                }
            }
            if is_determiner(l)
                || is_title(l)
                || tok.is_cap()
                || tok.kind == TokKind::Possessive
                || (l.len() > 2 && !is_preposition(l) && !is_verb_adjunct(l) && j > k)
            {
                modifiers.push(l.to_string());
                j += 1;
                continue;
            }
            return None;
        }
        None
    }

    // ----- content -----

    /// The content after the cue: (first unit, end unit). When no clause follows, a quotation
    /// within the verb's phrase still does ("warned of a “…” battle ahead", "referred to them as
    /// “…”").
    fn after_region(&self, s: usize, f: &CueFrame, blocked: &[bool]) -> Option<(usize, usize)> {
        if let Some(r) = self.after_clause(s, f, blocked) {
            return Some(r);
        }
        // "Said Dorothy Poynter, who grew up with Ali, “…”": past an apposition to the quotation.
        if f.inverted && f.k0 == 0 {
            let n = self.units(s).len();
            let from = f.subj.map_or(f.k1, |(_, b)| b);
            for x in from..n {
                if blocked[x] {
                    break;
                }
                if self.quote_at(s, x).is_some()
                    && x > 0
                    && (self.is_punct(s, x - 1, ',') || self.is_punct(s, x - 1, ':'))
                {
                    return Some((x, self.region_end(s, x, blocked).unwrap_or(n).max(x + 1)));
                }
            }
        }
        if matches!(f.m.entry.frame, Frame::According | Frame::AsSaying) {
            return None;
        }
        let n = self.units(s).len();
        let p = if f.inverted {
            f.subj.map_or(f.k1, |(_, b)| b)
        } else {
            f.k1
        };
        if p >= n || self.is_punct(s, p, ',') || self.is_punct(s, p, '.') {
            return None;
        }
        let e = self.region_end(s, p, blocked)?;
        let first_quote = (p..e).find(|&x| {
            self.quote_at(s, x)
                .is_some_and(|q| !self.is_title_where_titles_stand(s, q))
        })?;
        (first_quote < p + 10).then_some((p, e))
    }

    fn after_clause(&self, s: usize, f: &CueFrame, blocked: &[bool]) -> Option<(usize, usize)> {
        let n = self.units(s).len();
        let mut p = if f.inverted {
            f.subj.map_or(f.k1, |(_, b)| b)
        } else {
            f.k1
        };
        if f.m.entry.frame == Frame::According {
            // "according to X, C": the content follows the comma after X.
            if p < n && self.is_comma_like(s, p) && self.quote_at(s, p).is_none() {
                p += 1;
            } else {
                return None;
            }
            return self.region_end(s, p, blocked).map(|e| (p, e));
        }
        if f.m.entry.frame == Frame::AsSaying {
            if p < n && self.lower(s, p) == "that" {
                p += 1;
            }
            return self
                .region_end(s, p, blocked)
                .map(|e| (p, e))
                .filter(|(a, e)| {
                    e > a
                        && !self.is_punct(s, *a, ',')
                        && !is_preposition(self.lower(s, *a))
                        && !self.is_punct(s, *a, '.')
                });
        }
        if p >= n {
            return None;
        }
        // A colon or a comma and then a quotation: "He added, “…”", "Cruz said: “…”".
        if self.is_punct(s, p, ':') || self.is_punct(s, p, ',') {
            let colon = self.is_punct(s, p, ':');
            if p + 1 < n && self.quote_at(s, p + 1).is_some() {
                return Some((
                    p + 1,
                    self.region_end(s, p + 1, blocked).unwrap_or(n).max(p + 2),
                ));
            }
            if colon && p + 1 < n && f.m.entry.complement != Complement::QuoteOnly {
                return self.region_end(s, p + 1, blocked).map(|e| (p + 1, e));
            }
            // "He said, however, that …"
            let that = (p + 1..(p + 5).min(n)).find(|&x| self.lower(s, x) == "that")?;
            let between_ok = (p + 1..that).all(|x| {
                self.is_punct(s, x, ',')
                    || is_verb_adjunct(self.lower(s, x))
                    || matches!(
                        self.lower(s, x),
                        "however" | "though" | "too" | "in" | "fact" | "turn"
                    )
            });
            return between_ok
                .then(|| self.region_end(s, that + 1, blocked).map(|e| (that + 1, e)))
                .flatten();
        }
        if self.quote_at(s, p).is_some() {
            return Some((p, self.region_end(s, p, blocked).unwrap_or(n).max(p + 1)));
        }
        // "that" within reach, past adjuncts and an addressee: "said on 3 December that",
        // "told the Kyiv Independent that", "said at a town hall in Salem, New Hampshire, on
        // Monday that".
        let mut j = p;
        while j < n && j < p + 16 {
            let l = self.lower(s, j);
            if l == "that" {
                if j > p && self.is_punct(s, j - 1, ',') && j == p + 1 {
                    break; // "said, that …" is odd; leave it to the clause rules
                }
                return self.region_end(s, j + 1, blocked).map(|e| (j + 1, e));
            }
            let stop = self.quote_at(s, j).is_some()
                || blocked[j]
                || self.is_punct(s, j, ';')
                || self.is_punct(s, j, ':')
                || self.is_punct(s, j, '.')
                || matches!(
                    l,
                    "is" | "are"
                        | "was"
                        | "were"
                        | "has"
                        | "have"
                        | "had"
                        | "will"
                        | "would"
                        | "be"
                        | "and"
                        | "but"
                        | "if"
                        | "whether"
                        | "because"
                        | "when"
                        | "what"
                        | "how"
                        | "why"
                        | "who"
                        | "which"
                        | "as"
                )
                || self
                    .tok(s, j)
                    .is_some_and(|t| self.lex.match_at(&self.text.tokens, t).is_some());
            if stop {
                break;
            }
            j += 1;
        }
        // "he said of Trump and Ryan, “…”", "Clinton said at a town hall on Monday, “…”"
        if let Some(c) = (p..(p + 12).min(n))
            .find(|&x| self.is_punct(s, x, ',') || self.quote_at(s, x).is_some() || blocked[x])
        {
            if self.is_punct(s, c, ',')
                && c + 1 < n
                && self.quote_at(s, c + 1).is_some()
                && is_preposition(self.lower(s, p))
            {
                return Some((
                    c + 1,
                    self.region_end(s, c + 1, blocked).unwrap_or(n).max(c + 2),
                ));
            }
        }
        match f.m.entry.complement {
            Complement::QuoteOnly => {
                // A quotation within the verb's phrase: "called the meeting … “reasonably good.”"
                let e = self.region_end(s, p, blocked)?;
                if (p..e).any(|x| self.quote_at(s, x).is_some()) {
                    return Some((p, e));
                }
                return None;
            }
            Complement::ThatOrQuote => {
                let e = self.region_end(s, p, blocked)?;
                if f.m.entry.frame == Frame::Describe
                    || (p..e).any(|x| self.quote_at(s, x).is_some())
                {
                    // Only the quotations count (see `emit`).
                    return Some((p, e));
                }
                return None;
            }
            Complement::Clause => {}
        }
        let mut start = p;
        match f.m.entry.frame {
            Frame::Describe => {}
            Frame::Tell => {
                // Skip the addressee: a pronoun, a name, or a short noun phrase.
                start = self.skip_addressee(s, p)?;
                // "As one employee told Palo Alto Weekly, “…”"
                if start + 1 < n
                    && (self.is_punct(s, start, ',') || self.is_punct(s, start, ':'))
                    && self.quote_at(s, start + 1).is_some()
                {
                    return Some((
                        start + 1,
                        self.region_end(s, start + 1, blocked)
                            .unwrap_or(n)
                            .max(start + 2),
                    ));
                }
            }
            Frame::Say => {}
            Frame::According | Frame::AsSaying => unreachable!(),
        }
        if start >= n {
            return None;
        }
        let l = self.lower(s, start);
        if self.quote_at(s, start).is_none()
            && (is_preposition(l)
                || is_weekday(l)
                || matches!(
                    l,
                    "so" | "nothing"
                        | "yes"
                        | "no"
                        | "little"
                        | "much"
                        | "more"
                        | "otherwise"
                        | "goodbye"
                        | "hello"
                        | "thanks"
                        | "sorry"
                        | "anything"
                        | "something"
                        | "it"
                        | "this"
                        | "the"
                        | "a"
                        | "an"
                ) && f.m.entry.frame != Frame::Describe)
        {
            // "said in a statement", "told India Today before landing", "said so".
            // A determiner starts an object, not a clause, unless a verb-like word follows
            // soon; keep it simple: only pronoun- or name-led clauses without "that".
            if !matches!(l, "the" | "a" | "an") {
                return None;
            }
        }
        if self
            .tok(s, start)
            .is_some_and(|t| self.text.tokens[t].kind == TokKind::Punct)
        {
            return None;
        }
        let e = self.region_end(s, start, blocked)?;
        if e <= start {
            return None;
        }
        Some((start, e))
    }

    /// Skips the addressee of "told": returns the unit where the content starts.
    fn skip_addressee(&self, s: usize, p: usize) -> Option<usize> {
        let n = self.units(s).len();
        let t = self.tok(s, p)?;
        let tok = &self.text.tokens[t];
        if matches!(
            tok.lower.as_str(),
            "him" | "her" | "them" | "us" | "me" | "you" | "reporters" | "journalists"
        ) {
            return Some(p + 1);
        }
        if let Some(nm) = self.ents.name_at(t) {
            let end = self.unit_of_token(s, self.ents.names[nm].end - 1)? + 1;
            return Some(end);
        }
        // [det] [modifier] noun
        let mut j = p;
        if is_determiner(&tok.lower) {
            j += 1;
        }
        let mut words = 0;
        while j < n && words < 3 {
            let Some(t) = self.tok(s, j) else { break };
            let tk = &self.text.tokens[t];
            if !tk.is_word() || is_preposition(&tk.lower) || tk.lower == "that" {
                break;
            }
            words += 1;
            j += 1;
        }
        (words > 0).then_some(j)
    }

    /// Where content starting at unit `a` ends (exclusive), `None` if empty.
    fn region_end(&self, s: usize, a: usize, blocked: &[bool]) -> Option<usize> {
        #![allow(clippy::mut_range_bound)]
        let n = self.units(s).len();
        let mut k = a;
        while k < n {
            if blocked[k] && k > a {
                // The next frame begins here; drop a comma or "and" before it.
                let mut e = k;
                while e > a
                    && (self.is_punct(s, e - 1, ',')
                        || matches!(self.lower(s, e - 1), "and" | "but"))
                {
                    e -= 1;
                }
                return (e > a).then_some(e);
            }
            if self.is_punct(s, k, ';') {
                return (k > a).then_some(k);
            }
            if k > a && self.is_comma_like(s, k) && k + 1 < n {
                let next = self.lower(s, k + 1);
                let boundary = BOUNDARY_WORDS.contains(&next)
                    && !(matches!(next, "a" | "an") && k + 1 == n)
                    || (next == "as"
                        && matches!(
                            self.lower(s, k + 2),
                            "cited" | "reported" | "quoted" | "noted" | "told"
                        ))
                    || (next.len() >= 5
                        && next.ends_with("ing")
                        && !ING_NOT_PARTICIPLE.contains(&next)
                        && self.tok(s, k + 1).is_some())
                    || (next == "said" || next == "says");
                // ", a claim …", ", an assertion …": a noun apposition after the clause, only
                // when it ends the sentence; "a"/"an" otherwise stay (lists).
                let apposition_ok = !matches!(next, "a" | "an")
                    || (self.quote_at(s, k).is_none() && self.apposition_to_end(s, k + 1));
                // ", which some have argued …, was …": a relative clause between commas is a
                // parenthesis; the content goes on after it.
                if matches!(next, "which" | "who") && self.is_punct(s, k, ',') {
                    if let Some(c2) = (k + 2..n).find(|&x| self.is_punct(s, x, ',')) {
                        if c2 + 1 < n && !blocked[c2 + 1] {
                            k = c2 + 1;
                            continue;
                        }
                    }
                }
                if boundary && apposition_ok {
                    let e = if self.quote_at(s, k).is_some() {
                        k + 1
                    } else {
                        k
                    };
                    return (e > a).then_some(e);
                }
            }
            k += 1;
        }
        (n > a).then_some(n)
    }

    /// Whether a phrase from unit `k` runs to the end of the sentence without a verb-like word.
    fn apposition_to_end(&self, s: usize, k: usize) -> bool {
        let n = self.units(s).len();
        let mut words = 0;
        for x in k..n {
            let l = self.lower(s, x);
            if matches!(
                l,
                "is" | "was" | "are" | "were" | "has" | "have" | "had" | "will" | "would"
            ) {
                return false;
            }
            words += 1;
        }
        words <= 12
    }

    /// The content before the speaker: "C, X said" / "“Q,” said X" / "C, according to X".
    fn before_region(
        &self,
        s: usize,
        f: &CueFrame,
        blocked: &[bool],
        earlier: &[CueFrame],
    ) -> Option<(usize, usize)> {
        // "…, according to AP" after another frame's content cites the report, not a new quote.
        if f.m.entry.frame == Frame::According
            && earlier.iter().any(|e| e.speaker.is_some() && !e.embedded)
        {
            return None;
        }
        // The unit right before the frame (speaker or cue, whichever comes first; for "Tass
        // cited Putin as saying", the reporter before the verb).
        let frame_start = match f.subj {
            _ if f.m.entry.frame == Frame::AsSaying => {
                let verb = f.subj.map_or(f.k0, |(a, _)| a).saturating_sub(1);
                verb.checked_sub(1)
                    .and_then(|r| self.np_before(s, r))
                    .map_or(verb, |(_, a, _)| a.min(verb))
            }
            Some((a, _)) if !f.inverted => a,
            _ => f.k0,
        };
        if frame_start == 0 {
            return None;
        }
        let mut end = frame_start;
        // "C, X said", "“Q,” X said", "“Q” X said".
        if self.is_punct(s, end - 1, ',')
            || self.is_punct(s, end - 1, '—')
            || self.is_punct(s, end - 1, '–')
        {
            end -= 1;
        } else if self.quote_at(s, end - 1).is_none() {
            return None;
        }
        if end == 0 {
            return None;
        }
        // Start: the sentence start, or after an earlier frame, ";" or ":".
        let mut a = end;
        while a > 0 {
            let k = a - 1;
            if blocked[k] || self.is_punct(s, k, ';') || self.is_punct(s, k, ':') {
                break;
            }
            a -= 1;
        }
        // An earlier frame's content may not be claimed twice.
        if let Some(prev) = earlier
            .iter()
            .rev()
            .find(|e| !e.embedded && e.speaker.is_some())
        {
            let prev_end = match prev.subj {
                Some((_, b)) if prev.inverted => b.max(prev.k1),
                _ => prev.k1,
            };
            if a < prev_end {
                a = prev_end;
            }
        }
        // A background clause (", though there was no confirmation …"): the speech is before
        // it, unless the quotation marks are after it.
        if let Some(kt) = (a + 1..end).rev().find(|&x| {
            matches!(
                self.lower(s, x),
                "though" | "although" | "whereas" | "while"
            ) && self.is_comma_like(s, x - 1)
        }) {
            let quoted_after = (kt..end).any(|x| {
                self.quote_at(s, x)
                    .is_some_and(|q| !self.is_title_where_titles_stand(s, q))
            });
            if quoted_after {
                a = kt + 1;
            } else {
                end = if self.quote_at(s, kt - 1).is_some() {
                    kt
                } else {
                    kt - 1
                };
            }
        }
        // Skip leading punctuation and conjunctions.
        while a < end
            && (self.is_punct(s, a, ',')
                || matches!(
                    self.lower(s, a),
                    "though" | "although" | "but" | "and" | "while"
                ))
        {
            a += 1;
        }
        if end <= a {
            return None;
        }
        // An introductory phrase ("Asked about …,", "In an interview,") is not content.
        let has_quote = (a..end).any(|x| self.quote_at(s, x).is_some());
        let first = self.lower(s, a);
        if !has_quote
            && (is_preposition(first)
                || is_weekday(first)
                || (first.len() > 4
                    && (first.ends_with("ing") || first.ends_with("ed"))
                    && !self.tok(s, a).is_some_and(|t| {
                        self.text.tokens[t].is_cap() && self.ents.name_at(t).is_some()
                    })))
        {
            return None;
        }
        Some((a, end))
    }

    /// Turns a content region into quotes. Returns whether anything was emitted.
    fn emit(
        &mut self,
        s: usize,
        a: usize,
        b: usize,
        cue: Option<Span>,
        speaker: Option<SpeakerNp>,
        complement: Complement,
    ) -> bool {
        let quotations: Vec<usize> = (a..b).filter_map(|k| self.quote_at(s, k)).collect();
        // PARC's mixed quote: a reported clause with quoted fragments in it ("said the plan was
        // “a disaster”") is one quote over the whole clause, as an indirect quote would be,
        // marks included. Only when the clause has words of its own outside the quotations
        // (beyond "that"): "said “We will win.”" stays direct.
        let speech = quotations
            .iter()
            .any(|&q| !self.used[q] && !self.is_title_where_titles_stand(s, q));
        // Adjuncts of the verb before a colon that opens the quotation ("said in a statement:
        // “…”", "added about Carson: “…”") are no part of the content.
        let a = match (a..b).find(|&k| self.quote_at(s, k).is_some()) {
            Some(kq) if kq > a && self.is_punct(s, kq - 1, ':') => kq,
            _ => a,
        };
        if speech && self.opts.indirect && self.words_outside_quotations(s, a, b) > 0 {
            if let Some(span) = self.clause_span(s, a, b, 1) {
                for &q in &quotations {
                    self.used[q] = true;
                }
                self.found.push(Found {
                    span,
                    fragments: Vec::new(),
                    kind: QuoteKind::Mixed,
                    cue,
                    speaker,
                    sentence: s,
                    quotation: None,
                });
                return true;
            }
        }
        if !quotations.is_empty() {
            let mut any = false;
            for q in quotations {
                if self.used[q] || self.is_title_where_titles_stand(s, q) {
                    continue;
                }
                self.used[q] = true;
                for piece in self.text.quotations[q].pieces.clone() {
                    if self.text.paragraphs[self.text.para_of(piece.start)].kind != ParaKind::Body {
                        continue;
                    }
                    self.found.push(Found {
                        span: piece,
                        fragments: Vec::new(),
                        kind: QuoteKind::Direct,
                        cue,
                        speaker: speaker.clone(),
                        sentence: s,
                        quotation: Some(q),
                    });
                    any = true;
                }
            }
            // Title-only quotations leave the clause indirect ("said he watched “Saturday
            // Night Live”"); otherwise the fragments are the quotes.
            let all_titles = (a..b)
                .filter_map(|k| self.quote_at(s, k))
                .all(|q| self.is_title_where_titles_stand(s, q));
            if !all_titles {
                return any;
            }
        }
        if !self.opts.indirect || complement != Complement::Clause {
            return false;
        }
        let Some(span) = self.indirect_span(s, a, b) else {
            return false;
        };
        self.found.push(Found {
            span,
            fragments: Vec::new(),
            kind: QuoteKind::Indirect,
            cue,
            speaker,
            sentence: s,
            quotation: None,
        });
        true
    }

    /// Words of units `[a, b)` outside quotations, a leading "that" not counted.
    fn words_outside_quotations(&self, s: usize, a: usize, b: usize) -> usize {
        (a..b)
            .filter(|&k| {
                self.tok(s, k)
                    .is_some_and(|t| self.text.tokens[t].is_word())
                    && !(k == a && self.lower(s, k) == "that")
            })
            .count()
    }

    /// The char span of an indirect quote over units `[a, b)`: "that", leading punctuation
    /// and final punctuation outside; at least three words.
    fn indirect_span(&self, s: usize, a: usize, b: usize) -> Option<Span> {
        self.clause_span(s, a, b, 3)
    }

    /// The char span of a reported clause over units `[a, b)`, "that", leading punctuation
    /// and final punctuation outside (a quotation is a unit of its own, so a clause that ends
    /// in one keeps its closing mark); `None` below `min_words` words outside quotations.
    fn clause_span(&self, s: usize, mut a: usize, mut b: usize, min_words: usize) -> Option<Span> {
        while a < b
            && (self.lower(s, a) == "that"
                || self
                    .tok(s, a)
                    .is_some_and(|t| self.text.tokens[t].kind == TokKind::Punct))
        {
            a += 1;
        }
        while b > a
            && self.tok(s, b - 1).is_some_and(|t| {
                self.text.tokens[t].kind == TokKind::Punct
                    && !matches!(self.text.tokens[t].first_char(), ')' | ']' | '%')
            })
        {
            b -= 1;
        }
        let words = (a..b)
            .filter(|&k| {
                self.tok(s, k)
                    .is_some_and(|t| self.text.tokens[t].is_word())
            })
            .count();
        if words < min_words {
            return None;
        }
        let start = self.text.unit_span(self.units(s)[a]).start;
        let end = self.text.unit_span(self.units(s)[b - 1]).end;
        Some(Span::new(start, end))
    }

    /// A title-like quotation in a position where titles stand: after a preposition, a
    /// determiner or a possessive, or before a noun ("on “Meet the Press”", "the “Make America
    /// Great Again” slogan"). After a verb ("King says Ali “Was The Greatest”") it is speech.
    fn is_title_where_titles_stand(&self, s: usize, q: usize) -> bool {
        if !self.is_title_like(q) {
            return false;
        }
        let units = self.units(s);
        let Some(k) = units.iter().position(|u| *u == Unit::Quote(q)) else {
            return true;
        };
        if k == 0 {
            return false; // "“Denver,” he answered."
        }
        let prev = self.lower(s, k - 1);
        let prev_tok = self.tok(s, k - 1).map(|t| &self.text.tokens[t]);
        let after_title_word = is_preposition(prev)
            || is_determiner(prev)
            || prev_tok.is_some_and(|t| t.kind == TokKind::Possessive || t.kind == TokKind::Mark)
            || matches!(
                prev,
                "called"
                    | "titled"
                    | "entitled"
                    | "dubbed"
                    | "named"
                    | "headlined"
                    | "program"
                    | "show"
                    | "book"
                    | "film"
                    | "movie"
                    | "song"
                    | "slogan"
                    | "watch"
                    | "watched"
                    | "watching"
                    | "read"
                    | "reading"
                    | "see"
                    | "saw"
                    | "attend"
                    | "attended"
                    | "appear"
                    | "appeared"
                    | "host"
                    | "hosts"
                    | "hosted"
                    | "star"
                    | "starred"
                    | "play"
                    | "played"
                    | "perform"
                    | "performed"
                    | "publish"
                    | "published"
                    | "release"
                    | "released"
                    | "air"
                    | "aired"
                    | "launch"
                    | "launched"
                    | "sang"
                    | "sing"
            );
        let before_noun = self.tok(s, k + 1).is_some_and(|t| {
            let nt = &self.text.tokens[t];
            nt.is_word()
                && !nt.is_cap()
                && !is_preposition(&nt.lower)
                && self.lex.match_at(&self.text.tokens, t).is_none()
                && !matches!(nt.lower.as_str(), "and" | "or" | "but")
        });
        after_title_word || before_noun
    }

    /// A title, name or slogan in quotation marks: every longer word capitalised, no sentence
    /// punctuation inside, a few words at most ("Saturday Night Live", "Make America Great
    /// Again").
    fn is_title_like(&self, q: usize) -> bool {
        let toks: Vec<usize> = self.text.quote_tokens(q).collect();
        let words: Vec<&str> = toks
            .iter()
            .filter(|&&t| self.text.tokens[t].is_word())
            .map(|&t| self.text.tokens[t].text.as_str())
            .collect();
        if words.is_empty() {
            return true;
        }
        if words.len() > 8 {
            return false;
        }
        // Sentence punctuation inside, other than a final comma or period that the American
        // style puts inside the marks ("on “Fox News Sunday,” Issa said").
        let last_word = toks
            .iter()
            .rposition(|&t| self.text.tokens[t].is_word())
            .unwrap_or(0);
        let punct = toks.iter().enumerate().any(|(i, &t)| {
            let tk = &self.text.tokens[t];
            tk.kind == TokKind::Punct
                && (matches!(tk.first_char(), '!' | '?' | ';' | ':')
                    || (matches!(tk.first_char(), '.' | ',') && i < last_word))
        });
        if punct {
            return false;
        }
        let long: Vec<&&str> = words.iter().filter(|w| w.chars().count() > 3).collect();
        !long.is_empty()
            && long
                .iter()
                .all(|w| w.chars().next().is_some_and(char::is_uppercase))
            && !words.iter().any(|w| matches!(*w, "I" | "We" | "You"))
    }

    // ----- quotations no frame claimed -----

    fn leftovers(&mut self) {
        let n_q = self.text.quotations.len();
        for q in 0..n_q {
            if self.used[q] {
                continue;
            }
            let s = self.text.quote_sentence[q];
            let first_piece = match self.text.quotations[q].pieces.first() {
                Some(p) => *p,
                None => continue,
            };
            if self.text.paragraphs[self.text.para_of(first_piece.start)].kind != ParaKind::Body {
                continue;
            }
            let units = self.units(s);
            let k = units.iter().position(|u| *u == Unit::Quote(q)).unwrap_or(0);
            let standalone = units.iter().all(|u| match u {
                Unit::Quote(_) => true,
                Unit::Tok(t) => self.text.tokens[*t].kind == TokKind::Punct,
            });
            let after_colon = k > 0 && self.is_punct(s, k - 1, ':');
            if self.is_title_where_titles_stand(s, q) {
                continue;
            }
            if let Some((cue, speaker)) = self.adjacent_attribution(s, k) {
                self.used[q] = true;
                for piece in self.text.quotations[q].pieces.clone() {
                    self.found.push(Found {
                        span: piece,
                        fragments: Vec::new(),
                        kind: QuoteKind::Direct,
                        cue: Some(cue),
                        speaker: Some(speaker.clone()),
                        sentence: s,
                        quotation: Some(q),
                    });
                }
                continue;
            }
            let (cue, speaker) = if standalone {
                if self.text.quote_words(q) < 2 && self.text.quotations[q].pieces.len() == 1 {
                    continue;
                }
                self.index_attributed();
                self.neighbour_speaker(s, q)
            } else if after_colon {
                (None, self.colon_speaker(s, k))
            } else if let Some((_, cue, sp)) =
                self.nearest_frame(s, k).filter(|_| self.speech_like(q))
            {
                // A quotation in a sentence that reports speech, but outside the frames'
                // regions: the nearest frame's speaker.
                (cue, Some(sp))
            } else if self.speech_like(q) && self.text.quote_words(q) >= 4 {
                // A full clause in quotation marks with no speech cue ("Moore thanked him for
                // “…”", "chiding him, “…”"): the subject of its clause.
                match self.clause_subject(s, k) {
                    Some(sp) => (None, Some(sp)),
                    // The neighbour is rarely the speaker of such a quotation (measured on
                    // PolNeAR train): leave it out.
                    None => continue,
                }
            } else {
                continue;
            };
            self.used[q] = true;
            for piece in self.text.quotations[q].pieces.clone() {
                self.found.push(Found {
                    span: piece,
                    fragments: Vec::new(),
                    kind: QuoteKind::Direct,
                    cue,
                    speaker: speaker.clone(),
                    sentence: s,
                    quotation: Some(q),
                });
            }
        }
    }

    /// "“…,” remembered Roy Verley." / "“…,” the senator quipped.": a quotation followed by a
    /// speaker and a verb in the past or present tense (or the verb first), whatever the verb:
    /// the position alone marks the attribution. Returns the verb's span and the speaker.
    fn adjacent_attribution(&self, s: usize, k: usize) -> Option<(Span, SpeakerNp)> {
        let n = self.units(s).len();
        let tokens = &self.text.tokens;
        let q = self.quote_at(s, k)?;
        let mut p = k + 1;
        // The quotation's own comma may stand outside the marks.
        if !matches!(
            self.text.quote_last_char(q),
            Some(',' | '?' | '!' | '—' | '-' | '…')
        ) {
            if self.is_punct(s, p, ',') {
                p += 1;
            } else {
                return None;
            }
        }
        let verb_at = |x: usize| -> Option<Span> {
            let t = self.tok(s, x)?;
            let tk = &tokens[t];
            let l = tk.lower.as_str();
            let verb_like = tk.is_word()
                && !tk.is_cap()
                && l.len() > 3
                && (l.ends_with("ed")
                    || (l.ends_with('s') && !l.ends_with("ss") && !l.ends_with("us")))
                && !is_preposition(l)
                && !is_determiner(l)
                && !is_agent_noun(l);
            verb_like.then_some(tk.span)
        };
        let ends = |x: usize| {
            x >= n
                || self.is_comma_like(s, x)
                || self.is_punct(s, x, '.')
                || self.is_punct(s, x, '(')
                || is_preposition(self.lower(s, x))
                || is_weekday(self.lower(s, x))
        };
        // NP verb
        if let Some((np, _, b)) = self.np_after(s, p) {
            if let Some(v) = verb_at(b) {
                if ends(b + 1) {
                    return Some((v, np));
                }
            }
        }
        // det word{1,3} verb: "the suit reads."
        if self
            .tok(s, p)
            .is_some_and(|t| is_determiner(&tokens[t].lower))
        {
            for x in p + 2..(p + 5).min(n) {
                if let Some(v) = verb_at(x) {
                    let words_ok = (p + 1..x).all(|y| {
                        self.tok(s, y)
                            .is_some_and(|t| tokens[t].is_word() && !tokens[t].is_cap())
                    });
                    if words_ok && ends(x + 1) {
                        let t0 = self.tok(s, p)?;
                        let t1 = self.tok(s, x - 1)?;
                        let head = tokens[t1].lower.clone();
                        let mention = Span::new(tokens[t0].span.start, tokens[t1].span.end);
                        return Some((
                            v,
                            SpeakerNp {
                                mention,
                                kind: NpKind::Description {
                                    head,
                                    modifiers: Vec::new(),
                                },
                            },
                        ));
                    }
                }
            }
        }
        // verb NP
        if let Some(v) = verb_at(p) {
            if let Some((np, _, b)) = self.np_after(s, p + 1) {
                if ends(b) {
                    return Some((v, np));
                }
            }
        }
        None
    }

    /// The subject of the clause a quotation at unit `k` stands in: the first name, pronoun or
    /// description at the start of that clause (after an introductory phrase).
    fn clause_subject(&self, s: usize, k: usize) -> Option<SpeakerNp> {
        let mut start = 0;
        for x in (1..k).rev() {
            if self.is_punct(s, x, ';')
                || (self.is_comma_like(s, x - 1)
                    && matches!(
                        self.lower(s, x),
                        "though" | "although" | "but" | "while" | "whereas" | "yet"
                    ))
            {
                start = x + 1;
                break;
            }
        }
        let mut x = start;
        while x < k {
            let t = self.tok(s, x)?;
            let tok = &self.text.tokens[t];
            if tok.is_word()
                && (is_preposition(&tok.lower)
                    || matches!(
                        tok.lower.as_str(),
                        "meanwhile" | "however" | "still" | "then"
                    ))
            {
                // An introductory phrase up to its comma.
                match (x..k).find(|&c| self.is_punct(s, c, ',')) {
                    Some(c) => {
                        x = c + 1;
                        continue;
                    }
                    None => return None,
                }
            }
            if tok.is_word() && matches!(tok.lower.as_str(), "he" | "she" | "they") {
                return Some(SpeakerNp {
                    mention: tok.span,
                    kind: NpKind::Pronoun(pronoun(&tok.lower)?),
                });
            }
            if let Some(n) = self.ents.name_at(t) {
                let name = &self.ents.names[n];
                if name.etype == EntityType::Place
                    || self
                        .text
                        .tokens
                        .get(name.end)
                        .is_some_and(|x| x.kind == TokKind::Possessive)
                {
                    return None;
                }
                return Some(SpeakerNp {
                    mention: name.span,
                    kind: NpKind::Name(n),
                });
            }
            // Anything else first (a description, a clause): no subject to take.
            return None;
        }
        None
    }

    /// The frame of sentence `s` nearest to unit `k`.
    fn nearest_frame(&self, s: usize, k: usize) -> Option<(usize, Option<Span>, SpeakerNp)> {
        self.sentence_frames[s]
            .iter()
            .min_by_key(|(k0, _, _)| k0.abs_diff(k))
            .cloned()
    }

    /// Words a person says rather than a name or a term: a clause (sentence punctuation
    /// inside or at the end) or a first- or second-person pronoun.
    fn speech_like(&self, q: usize) -> bool {
        let toks: Vec<usize> = self.text.quote_tokens(q).collect();
        let words = toks
            .iter()
            .filter(|&&t| self.text.tokens[t].is_word())
            .count();
        let personal = toks.iter().any(|&t| {
            matches!(
                self.text.tokens[t].lower.as_str(),
                "i" | "we" | "you" | "my" | "our" | "me" | "us" | "i'm" | "i’m" | "we're" | "we’re"
            )
        });
        let clause = matches!(self.text.quote_last_char(q), Some('.' | '!' | '?'));
        words >= 2 && (personal || (clause && words >= 4) || words >= 6)
    }

    /// Brings [`Self::attributed`] up to date with the findings so far.
    fn index_attributed(&mut self) {
        for i in self.attributed_upto..self.found.len() {
            if self.found[i].speaker.is_some() {
                let para = self.text.sentences[self.found[i].sentence].para;
                self.attributed[para].push(i);
            }
        }
        self.attributed_upto = self.found.len();
    }

    /// The speaker of a quotation standing alone: the sentence before announced it with a
    /// colon; or a neighbouring quote in the same or the previous paragraph; or the subject of
    /// the previous sentence.
    fn neighbour_speaker(&self, s: usize, q: usize) -> (Option<Span>, Option<SpeakerNp>) {
        if s > 0 {
            if let Some((cue, sp)) = &self.colon_frame[s - 1] {
                return (*cue, sp.clone());
            }
        }
        let para = self.text.sentences[s].para;
        debug_assert_eq!(self.attributed_upto, self.found.len());
        // The last earlier quote within the paragraph or the one before (paragraphs are in
        // order and their ranks never decrease, so those are the paragraphs from this one back
        // while the rank allows). Ties go to the later finding, as `max_by_key` gives.
        let rank = self.text.para_rank(para);
        let earlier = (0..=para)
            .rev()
            .take_while(|&p| self.text.para_rank(p) + 1 >= rank)
            .flat_map(|p| self.attributed[p].iter().copied())
            .filter(|&i| self.found[i].sentence < s)
            .max_by_key(|&i| (self.found[i].span.start, i))
            .map(|i| &self.found[i]);
        // A later attributed quote in the same paragraph; ties to the earlier finding.
        let later = self.attributed[para]
            .iter()
            .copied()
            .filter(|&i| self.found[i].sentence > s)
            .min_by_key(|&i| (self.found[i].span.start, i))
            .map(|i| &self.found[i]);
        let _ = q;
        if let Some(f) = earlier.filter(|f| self.text.sentences[f.sentence].para == para) {
            return (None, f.speaker.clone());
        }
        if let Some(f) = later {
            return (None, f.speaker.clone());
        }
        if let Some(f) = earlier {
            return (None, f.speaker.clone());
        }
        // The subject of the previous sentence.
        if s > 0
            && self.text.para_rank(self.text.sentences[s - 1].para) + 1 >= self.text.para_rank(para)
        {
            let n = self.units(s - 1).len();
            if let Some(sp) = self.first_subject(s - 1, n) {
                return (None, Some(sp));
            }
        }
        (None, None)
    }

    /// The speaker of "Xi’s response was limited: “…”": the first name or pronoun of the
    /// sentence before the colon.
    fn colon_speaker(&self, s: usize, k: usize) -> Option<SpeakerNp> {
        // The clause right before the colon: "…, though Xi’s response was limited: “…”".
        let mut start = 0;
        for x in (1..k).rev() {
            if self.is_punct(s, x, ';')
                || (self.is_comma_like(s, x - 1)
                    && matches!(
                        self.lower(s, x),
                        "though" | "although" | "but" | "while" | "and" | "whereas" | "yet"
                    ))
            {
                start = x;
                break;
            }
        }
        self.first_subject_from(s, start, k)
            .or_else(|| self.first_subject(s, k))
    }

    fn first_subject_from(&self, s: usize, from: usize, limit: usize) -> Option<SpeakerNp> {
        for x in from..limit {
            let Some(t) = self.tok(s, x) else { continue };
            let tok = &self.text.tokens[t];
            if tok.is_word() && matches!(tok.lower.as_str(), "he" | "she" | "they") {
                return Some(SpeakerNp {
                    mention: tok.span,
                    kind: NpKind::Pronoun(pronoun(&tok.lower)?),
                });
            }
            if let Some(n) = self.ents.name_at(t) {
                let name = &self.ents.names[n];
                if name.etype != EntityType::Place {
                    return Some(SpeakerNp {
                        mention: name.span,
                        kind: NpKind::Name(n),
                    });
                }
            }
        }
        None
    }

    fn first_subject(&self, s: usize, limit: usize) -> Option<SpeakerNp> {
        for x in 0..limit {
            let Some(t) = self.tok(s, x) else { continue };
            let tok = &self.text.tokens[t];
            if tok.is_word()
                && is_subject_pronoun(&tok.lower)
                && !matches!(tok.lower.as_str(), "it" | "you" | "we" | "i" | "us" | "me")
            {
                return Some(SpeakerNp {
                    mention: tok.span,
                    kind: NpKind::Pronoun(pronoun(&tok.lower)?),
                });
            }
            if let Some(n) = self.ents.name_at(t) {
                let name = &self.ents.names[n];
                if name.etype != EntityType::Place {
                    return Some(SpeakerNp {
                        mention: name.span,
                        kind: NpKind::Name(n),
                    });
                }
            }
        }
        None
    }
}
