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
//!
//! [`Frames`] is one `impl` in four files, by responsibility: this one (the types, the run over
//! sentences, the cues of one sentence, overlaps and interrupted quotations), `speaker.rs` (the
//! speaker phrase of a cue), `content.rs` (the content a cue governs, and the quotes it gives)
//! and `leftovers.rs` (quotations no frame claimed).

use crate::annotation::{EntityType, QuoteKind, Span};

use super::cues::{Complement, CueMatch, Form, Frame, Lexicon};
use super::entities::Entities;
use super::words::{
    is_agent_noun, is_determiner, is_form_of_be, is_negation, is_plural_noun, is_preposition,
    is_subject_pronoun, is_title, is_verb_adjunct, is_weekday, pronoun, Pron,
};
use crate::text::{ParaKind, Text, TokKind, Unit, SIGNATURE_DASHES};

mod content;
mod leftovers;
mod speaker;

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

impl Found {
    /// Its content: the fragments, or the span when it is in one piece (as [`Quote::pieces`]).
    ///
    /// [`Quote::pieces`]: crate::annotation::Quote::pieces
    pub fn pieces(&self) -> &[Span] {
        if self.fragments.is_empty() {
            std::slice::from_ref(&self.span)
        } else {
            &self.fragments
        }
    }
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
                        || is_form_of_be(prev)
                        || matches!(
                            prev,
                            "while" | "also" | "and" | "before" | "after" | "by" | "even"
                        ))
            }
            Form::Past | Form::Third => {
                // Passive "was told", "is said to" are not the speaker's own act.
                !(is_form_of_be(prev) || matches!(prev, "get" | "got"))
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
}
