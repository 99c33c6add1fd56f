//! The speaker resolver: one pass over an article's quotes, after the quote backends have named
//! a speaker phrase (`Quote::speaker_mention`) and a first speaker for each, that applies the
//! guidelines' "Speakers" rules (`gold/GUIDELINES.md`) the first resolution leaves open:
//!
//! - a pronoun is resolved to a named entity the NER found ("he" to the subject of the sentence
//!   or the most recent compatible person), never to a capitalised word the name heuristic took
//!   for a name ("Democratic", "Debates");
//! - "we", "us" and "you" are generic: no speaker; a relative "who" / "which" is its antecedent;
//! - a place or an adjective that only qualifies the speaker's noun ("Democratic speechwriters",
//!   "Connecticut’s tax commissioner", "observers in Virginia") is not the speaker: the noun
//!   phrase is;
//! - a document or data release ("the report", "a Reuters survey") is resolved to its producer
//!   when the article names one;
//! - a definite description ("the Vermont senator", "the fund") is resolved to the entity it
//!   denotes: a person whose roles in the article carry its head (or, for a title, the most
//!   salient person), an organisation whose name carries its head, else the organisation last
//!   named;
//! - a joint source ("Cummings and Conyers said") gives each entity (`Quote::joint_speakers`).
//!
//! Everything else keeps the speaker it came with, so the pass only changes what a rule above
//! decides. The speakers of the article are then the distinct speakers of its quotes.
//! Public entry points: [`resolve_speakers`] (a [`Document`]) and [`resolve_in`] (what the rule
//! and tagger backends hold when they finish an article).

use std::collections::BTreeMap;

use crate::annotation::{Document, EntityType, Quote, Span, Speaker, SpeakerType};
use crate::extract::quotes::entities::Entities;
use crate::extract::quotes::words::{
    description_len, has_finite_verb, is_agent_noun, is_common_capitalised, is_determiner,
    is_document_noun, is_generic_role, is_modifier_adjective, is_org_noun, is_org_word,
    is_plural_noun, is_preposition, is_time_noun, is_title, is_verb_adjunct, pronoun, Pron,
};
use crate::text::{Text, TokKind, Token};

mod list;
use list::*;

/// Resolves the speakers of a document's quotes and rebuilds its speaker list from them.
pub fn resolve_speakers(doc: &mut Document) {
    let text = Text::new(&doc.article);
    let mut ents = Entities::build(&text, &doc.mentions);
    ents.infer_genders(&text);
    let speakers = std::mem::take(&mut doc.speakers);
    doc.speakers = resolve_in(&text, &ents, &mut doc.quotes, speakers);
}

/// What the pass decided for one quote.
#[derive(Debug, Clone, PartialEq)]
enum Who {
    /// The speaker it came with.
    Keep,
    /// Named entities (clusters of [`Entities`]); several for a joint source.
    Named(Vec<usize>),
    /// An unnamed source: its description as written.
    Unnamed(String, SpeakerType),
    /// No speaker.
    Nobody,
}

/// Resolves `quotes`' speakers against the article's text and entities; returns the article's
/// speakers: those of `speakers` still used, then the new ones, in order of first use.
pub fn resolve_in(
    text: &Text,
    ents: &Entities,
    quotes: &mut [Quote],
    speakers: Vec<Speaker>,
) -> Vec<Speaker> {
    let r = Pass {
        text,
        ents,
        ner_ran: ents.names.iter().any(|n| n.from_ner),
        writer: std::cell::OnceCell::new(),
    };
    let decisions: Vec<Who> = quotes
        .iter()
        .enumerate()
        .map(|(i, q)| r.decide(q, speakers_of(q, &speakers), &quotes[..i]))
        .collect();
    let mut out = SpeakerList::new(speakers);
    for (q, who) in quotes.iter_mut().zip(decisions) {
        match who {
            Who::Keep => {}
            Who::Nobody => {
                q.speaker = None;
                q.joint_speakers.clear();
            }
            Who::Unnamed(name, t) => {
                q.speaker = Some(out.unnamed(&name, t));
                q.joint_speakers.clear();
            }
            Who::Named(clusters) => {
                let mut names = clusters.iter().map(|&c| out.named(text, ents, c));
                q.speaker = names.next();
                q.joint_speakers = names.filter(|n| Some(n) != q.speaker.as_ref()).collect();
            }
        }
    }
    out.merge_acronyms(quotes);
    out.used_by(quotes)
}

/// The initials of a name's capitalised words ("International Monetary Fund" -> "IMF").
fn initials(name: &str) -> String {
    name.split_whitespace()
        .filter_map(|w| w.chars().next())
        .filter(|c| c.is_uppercase())
        .collect()
}

/// A name written as an acronym ("IMF", "AROS"): one word of 2 to 6 capital letters.
fn is_acronym(name: &str) -> bool {
    let n = name.chars().count();
    (2..=6).contains(&n) && name.chars().all(|c| c.is_ascii_uppercase())
}

fn speakers_of<'s>(q: &Quote, speakers: &'s [Speaker]) -> Option<&'s Speaker> {
    let name = q.speaker.as_deref()?;
    speakers.iter().find(|s| s.name == name)
}

struct Pass<'a> {
    text: &'a Text,
    ents: &'a Entities,
    /// Whether any name came from NER mentions; without them every name is the heuristic's.
    ner_ran: bool,
    /// The cluster of the person who wrote the article in the first person, when it names them;
    /// looked for only when a Source is "I".
    writer: std::cell::OnceCell<Option<usize>>,
}

/// The writer of a first-person article (an op-ed), named by a byline ("By Charlotte Meehan")
/// in its first three paragraphs or a contributor's note ("Charlotte Meehan is
/// playwright-in-residence at …") that opens one of its last three: the person "I" refers to
/// outside quotations.
fn writer(text: &Text, ents: &Entities, ner_ran: bool) -> Option<usize> {
    let tokens = &text.tokens;
    let last_para = tokens.last()?.para;
    let first_para = tokens.first()?.para;
    let rank = |p: usize| text.para_rank(p);
    let person_at = |t: usize| -> Option<usize> {
        let n = ents.name_at(t)?;
        let name = &ents.names[n];
        (name.first == t
            && name.words.len() > 1
            && (name.from_ner || !ner_ran)
            && ents.clusters[name.cluster].etype == EntityType::Person)
            .then_some(n)
    };
    for (t, tok) in tokens.iter().enumerate() {
        if !text.opens_paragraph(t) || tok.quote.is_some() {
            continue;
        }
        let early = rank(tok.para) < rank(first_para) + 3;
        let late = rank(tok.para) + 3 > rank(last_para);
        if early && tok.lower == "by" {
            if let Some(n) = person_at(t + 1) {
                return Some(ents.names[n].cluster);
            }
        }
        if late {
            if let Some(n) = person_at(t) {
                let verb = tokens.get(ents.names[n].end).map(|v| v.lower.as_str());
                if matches!(verb, Some("is" | "was" | "writes" | "teaches" | "directs")) {
                    return Some(ents.names[n].cluster);
                }
            }
        }
    }
    None
}

impl Pass<'_> {
    /// Whether a cluster is an entity the NER found (one of its names is an NER mention), not
    /// only a capitalised run the name heuristic kept; every cluster when no NER ran.
    fn credible(&self, cluster: usize) -> bool {
        !self.ner_ran
            || self
                .ents
                .names_of(cluster)
                .iter()
                .any(|&n| self.ents.names[n].from_ner)
    }

    /// The word tokens inside a span.
    fn words_in(&self, span: Span) -> Vec<usize> {
        let toks = &self.text.tokens;
        let from = toks.partition_point(|t| t.span.end <= span.start);
        (from..toks.len())
            .take_while(|&i| toks[i].span.start < span.end)
            .filter(|&i| toks[i].is_word() || toks[i].kind == TokKind::Possessive)
            .collect()
    }

    fn decide(&self, q: &Quote, current: Option<&Speaker>, earlier: &[Quote]) -> Who {
        let Some(m) = q.speaker_mention else {
            return match q.cue {
                Some(cue) if q.speaker.is_none() => self.subject_of_cue(cue),
                _ => Who::Keep,
            };
        };
        let toks = self.words_in(m);
        let Some(&first) = toks.first() else {
            return Who::Keep;
        };
        let tokens = &self.text.tokens;
        let first_lower = tokens[first].lower.as_str();
        if toks.len() == 1 {
            if matches!(first_lower, "we" | "us" | "you") {
                return Who::Nobody;
            }
            if matches!(first_lower, "who" | "which" | "whom") {
                return self.relative(first);
            }
            // A Source cut to its article ("The" of "The Post has learned") is the name after
            // it, else no one; a conjunction is no one.
            if matches!(first_lower, "the" | "a" | "an" | "and" | "or" | "but") {
                return match self.ents.name_at(first + 1) {
                    Some(n)
                        if self.ents.names[n].first == first + 1
                            && self.credible(self.ents.names[n].cluster)
                            && !self.only_qualifies(n, q.cue) =>
                    {
                        Who::Named(vec![self.ents.names[n].cluster])
                    }
                    _ => Who::Nobody,
                };
            }
            if first_lower == "i" && tokens[first].quote.is_none() {
                let writer = *self
                    .writer
                    .get_or_init(|| writer(self.text, self.ents, self.ner_ran));
                return writer.map_or(Who::Keep, |c| Who::Named(vec![c]));
            }
            if let Some(p) = pronoun(first_lower) {
                return self.pronoun(m, p, current, earlier);
            }
        }
        if let Some(who) = self.after_dateline(&toks) {
            return who;
        }
        // Names inside the speaker phrase.
        let mut names: Vec<usize> = toks.iter().filter_map(|&t| self.ents.name_at(t)).collect();
        names.dedup();
        // The backend's speaker is a name written in the phrase: kept, with a joint source's
        // others.
        // "Democrats", "Lawmakers": a capitalised plural the NER did not take for a name is a
        // group, an unnamed source.
        if let [n] = names[..] {
            if self.is_group_word(n) {
                let written = self.text.slice(self.ents.names[n].span);
                return Who::Unnamed(written, SpeakerType::Other);
            }
        }
        // A document or data release names its producers, before any name is kept as said.
        let np = self.noun_phrase(m, q.cue);
        let head_word = np.and_then(|np| self.head_word(np));
        let head = head_word.filter(|&h| self.can_head(h));
        if let Some(h) = head.filter(|&h| is_document_noun(&tokens[h].lower)) {
            return self.producer(m, np.unwrap_or(m), h, &names);
        }
        if let Some(s) = current.filter(|s| s.named) {
            if let Some(&n) = names.iter().find(|&&n| {
                let written = self.text.slice(self.ents.names[n].span);
                written == s.name || s.aliases.contains(&written)
            }) {
                if !self.only_qualifies(n, q.cue) && self.titled_person_after(n).is_none() {
                    let c = self.ents.names[n].cluster;
                    let joint = self.joint_with(n);
                    if joint.is_empty() || !self.credible(c) {
                        return Who::Keep;
                    }
                    let mut all = vec![c];
                    all.extend(joint);
                    return Who::Named(all);
                }
            }
        }
        let mut speaking: Vec<usize> = Vec::new();
        for &n in &names {
            // "House Speaker Paul Ryan", "Connecticut tax commissioner Kevin Sullivan": the
            // person after the title speaks.
            if let Some(p) = self.titled_person_after(n) {
                speaking.push(p);
            } else if !self.only_qualifies(n, q.cue) {
                speaking.push(n);
            }
        }
        speaking.dedup();
        let credible: Vec<usize> = speaking
            .iter()
            .copied()
            .filter(|&n| self.credible(self.ents.names[n].cluster))
            .collect();
        if let Some(&n) = credible
            .iter()
            .find(|&&n| self.ents.names[n].etype == EntityType::Person)
            .or(credible.first())
        {
            let c = self.ents.names[n].cluster;
            let mut all = vec![c];
            all.extend(self.joint_with(n));
            let current_cluster = current
                .filter(|s| s.named)
                .and_then(|s| self.cluster_named(&s.name));
            let same = current_cluster
                .is_some_and(|cc| credible.iter().any(|&k| self.ents.names[k].cluster == cc));
            if same && all.len() == 1 {
                return Who::Keep;
            }
            if same {
                if let Some(cc) = current_cluster {
                    all.retain(|&x| x != cc);
                    all.insert(0, cc);
                }
            }
            return Who::Named(all);
        }
        if !speaking.is_empty() {
            return Who::Keep;
        }
        if !names.is_empty() {
            // Every name in the phrase only qualifies its noun: the noun phrase is the source.
            return match np {
                Some(np) if head.is_some() => self.description(np),
                _ => self.named_after_preposition(names[0]),
            };
        }
        match np {
            Some(_) if head_word.is_some_and(|h| self.is_fragment(h)) => Who::Nobody,
            Some(np) if head.is_some() && !current.is_some_and(|s| s.named) => self.description(np),
            _ => Who::Keep,
        }
    }

    /// A single capitalised plural that no NER mention of the article names ("Democrats").
    fn is_group_word(&self, n: usize) -> bool {
        let name = &self.ents.names[n];
        match &name.words[..] {
            [w] => {
                let lower = w.to_lowercase();
                !self.credible(name.cluster)
                    && is_plural_noun(&lower)
                    && !is_org_word(w)
                    && !w.chars().all(|c| !c.is_lowercase())
            }
            _ => false,
        }
    }

    /// A person named right after `n` and its title ("House Speaker Paul Ryan").
    fn titled_person_after(&self, n: usize) -> Option<usize> {
        let tokens = &self.text.tokens;
        let mut k = self.ents.names[n].end;
        let start = k;
        while k < tokens.len() && k < start + 4 && is_title(&tokens[k].lower) {
            k += 1;
        }
        if k == start {
            return None;
        }
        let p = self.ents.name_at(k)?;
        let name = &self.ents.names[p];
        (name.first == k && name.etype == EntityType::Person && self.credible(name.cluster))
            .then_some(p)
    }

    /// Whether a name in a speaker phrase only qualifies another word: a capitalised adjective
    /// ("Democratic"), a place or a name the NER did not find written before a noun or after a
    /// preposition ("Connecticut’s tax commissioner", "the Senator from Texas"); never before
    /// the quote's own cue ("Xi’s response").
    fn only_qualifies(&self, n: usize, cue: Option<Span>) -> bool {
        let tokens = &self.text.tokens;
        let name = &self.ents.names[n];
        let lower: Vec<String> = name.words.iter().map(|w| w.to_lowercase()).collect();
        if lower.len() == 1
            && (is_modifier_adjective(&lower[0]) || is_common_capitalised(&lower[0]))
        {
            return true;
        }
        let weak = name.etype == EntityType::Place || !self.credible(name.cluster);
        let mut after = name.end;
        let possessor = tokens
            .get(after)
            .is_some_and(|t| t.kind == TokKind::Possessive);
        if possessor {
            after += 1;
        }
        // "Obama’s former campaign strategist", "the Clinton campaign", "Democratic
        // speechwriters": a name before a noun qualifies it. After a name the NER found, only a
        // word that can head a speaker's description counts ("Trump tells", "Trump also").
        // "Xi’s response was …": a noun that is the quote's cue is the speaker's act.
        let in_cue = |t: &Token| cue.is_some_and(|c| c.overlaps(&t.span));
        let noun_after = if possessor {
            // A possessor qualifies a person or a body ("Obama’s former campaign strategist",
            // "Pagliano’s lawyer"), but what it wrote or did is its own ("Nervo’s conclusion",
            // "Trump’s returns", "Ivana Trump’s brief"): the head of the noun after decides.
            let head = tokens[after.min(tokens.len())..]
                .iter()
                .take(4)
                .take_while(|t| nominal(t) && !in_cue(t))
                .last();
            head.is_some_and(|t| {
                let l = t.lower.as_str();
                is_agent_noun(l) || is_org_noun(l) || is_title(l) || is_generic_role(l)
            })
        } else {
            tokens.get(after).is_some_and(|t| {
                let l = t.lower.as_str();
                !in_cue(t)
                    && nominal(t)
                    && (weak
                        || is_agent_noun(l)
                        || is_org_noun(l)
                        || is_title(l)
                        || is_document_noun(l))
            })
        };
        if noun_after {
            return true;
        }
        // "supporters in Congress", "members of Congress", "Officials at Homeland Security
        // Investigations": a group the name places, which the guidelines keep as an unnamed source.
        if name.first >= 2 {
            let (p, g) = (&tokens[name.first - 1], &tokens[name.first - 2]);
            if is_preposition(&p.lower)
                && is_plural_noun(&g.lower)
                && !is_time_noun(&g.lower)
                && (nominal(g) || g.is_cap() && self.ents.name_at(name.first - 2).is_none())
                && self.text.same_sentence(name.first - 2, name.first)
            {
                return true;
            }
        }
        if !weak {
            return false;
        }
        // After a preposition: "the Senator from Texas".
        name.first >= 2 && {
            let p = &tokens[name.first - 1];
            let q = &tokens[name.first - 2];
            // "The White House is saying" opens its sentence: the word before "The" belongs
            // to another.
            (is_preposition(&p.lower) || is_determiner(&p.lower) && name.first >= 3)
                && self.text.same_sentence(name.first - 2, name.first)
                && q.is_word()
                && !is_verbal(&q.lower)
        }
    }

    /// The speaker of a quote found with its cue but no Source: a name written right before the
    /// cue in its sentence, past adverbs and auxiliaries ("Trump unleashed", "Russia backing",
    /// "the United States, Britain and France support"), with a joint source's others.
    fn subject_of_cue(&self, cue: Span) -> Who {
        let tokens = &self.text.tokens;
        let c = tokens.partition_point(|t| t.span.end <= cue.start);
        let mut k = c;
        while k > 0 && c - k < 3 {
            let l = tokens[k - 1].lower.as_str();
            if !(tokens[k - 1].is_word() && (is_verb_adjunct(l) || is_verbal(l))) {
                break;
            }
            k -= 1;
        }
        let Some(n) = k.checked_sub(1).and_then(|b| self.ents.name_at(b)) else {
            return Who::Nobody;
        };
        let name = &self.ents.names[n];
        if name.end != k
            || name.in_quote
            || !self.text.same_sentence(name.first, c)
            || !self.credible(name.cluster)
        {
            return Who::Nobody;
        }
        if self.only_qualifies(n, Some(cue)) {
            return Who::Nobody;
        }
        let mut all = vec![name.cluster];
        all.extend(self.joint_with(n));
        Who::Named(all)
    }

    /// A Source that is only a dateline ("BRUSSELS - European leaders gathered …": capitals
    /// opening a paragraph, then a dash) is the noun phrase after the dash.
    fn after_dateline(&self, toks: &[usize]) -> Option<Who> {
        let tokens = &self.text.tokens;
        let (&first, &last) = (toks.first()?, toks.last()?);
        let capitals = toks.iter().all(|&t| {
            let w = &tokens[t].text;
            w.chars().any(char::is_alphabetic) && !w.chars().any(char::is_lowercase)
        });
        let dash = tokens
            .get(last + 1)
            .is_some_and(|t| matches!(t.text.as_str(), "-" | "–" | "—"));
        if !(self.text.opens_paragraph(first) && capitals && dash) {
            return None;
        }
        let start = last + 2;
        let end = (start..tokens.len().min(start + 6))
            .find(|&k| {
                let t = &tokens[k];
                !t.is_word() || !(t.is_cap() || nominal(t))
            })
            .unwrap_or(tokens.len().min(start + 6));
        if end == start {
            return Some(Who::Nobody);
        }
        let np = Span::new(tokens[start].span.start, tokens[end - 1].span.end);
        if let Some(n) = self.ents.name_at(start) {
            let name = &self.ents.names[n];
            if name.end == end && self.credible(name.cluster) {
                return Some(Who::Named(vec![name.cluster]));
            }
        }
        Some(self.description(np))
    }

    /// A source written as a noun and a preposition before a name that only qualifies it: "The
    /// city of Phoenix is demanding" is the place standing for its government; "Experts on North
    /// Korea said", "observers in Virginia say" are the unnamed group.
    fn named_after_preposition(&self, n: usize) -> Who {
        let tokens = &self.text.tokens;
        let name = &self.ents.names[n];
        let (Some(prep), Some(noun)) = (
            name.first.checked_sub(1).map(|k| &tokens[k]),
            name.first.checked_sub(2).map(|k| &tokens[k]),
        ) else {
            return Who::Nobody;
        };
        if !is_preposition(&prep.lower) {
            return Who::Nobody;
        }
        if prep.lower == "of" && is_government_noun(&noun.lower) && self.credible(name.cluster) {
            return Who::Named(vec![name.cluster]);
        }
        if !(is_plural_noun(&noun.lower) && (nominal(noun) || noun.is_cap())) {
            return Who::Nobody;
        }
        // Back over the group's modifiers ("Political observers", "many experts").
        let start = self.phrase_start(name.first - 1, 4);
        let written = self
            .text
            .slice(Span::new(tokens[start].span.start, name.span.end));
        Who::Unnamed(written, SpeakerType::Other)
    }

    /// A pronoun speaker: kept when it already names an entity the NER found; else the subject
    /// antecedent the rules read, or the most recent compatible entity, among those the NER
    /// found.
    fn pronoun(&self, m: Span, p: Pron, current: Option<&Speaker>, earlier: &[Quote]) -> Who {
        let ok = |c: usize| -> bool {
            let cl = &self.ents.clusters[c];
            self.credible(c)
                && match p {
                    Pron::He | Pron::She => {
                        cl.etype == EntityType::Person && cl.gender.map_or(true, |g| g == p)
                    }
                    Pron::It | Pron::They => cl.etype != EntityType::Person,
                    Pron::Other => false,
                }
        };
        if p == Pron::Other {
            return Who::Keep;
        }
        if let Some(s) = current {
            if !s.named {
                return Who::Keep;
            }
            if let Some(c) = self.cluster_named(&s.name) {
                // "it" / "they" stand for an organisation the text is about: one that spoke
                // just before, or is named in this sentence or the one before.
                // "they" for a named organisation only when it spoke just before: a group
                // described as "they" is far more often unnamed ("show insiders").
                let near = matches!(p, Pron::He | Pron::She)
                    || earlier
                        .iter()
                        .rev()
                        .take_while(|e| m.start.saturating_sub(e.span.end) < 2000)
                        .any(|e| e.speaker.as_deref() == Some(s.name.as_str()))
                    || (p == Pron::It && self.named_near(c, m.start));
                if ok(c) && near {
                    return Who::Keep;
                }
                if ok(c) {
                    return Who::Nobody;
                }
            }
        }
        if let Some(n) = self.ents.subject_antecedent(self.text, m.start, p) {
            let c = self.ents.names[n].cluster;
            if ok(c) {
                return Who::Named(vec![c]);
            }
        }
        // A person of unknown gender is a likely referent only close by; further back, only
        // one whose gender the article or the name gives.
        let known = |c: usize| ok(c) && self.ents.clusters[c].gender.is_some();
        let found = match p {
            Pron::He | Pron::She => self
                .last_before(m.start, 600, ok)
                .or_else(|| self.last_before(m.start, 3000, known)),
            _ => self.last_before(m.start, 3000, ok),
        };
        match found {
            Some(c) => Who::Named(vec![c]),
            None if current.is_some_and(|s| s.named) => Who::Nobody,
            None => Who::Keep,
        }
    }

    /// Whether a name of `cluster` stands outside quotations in the sentence of `pos` or the
    /// one before it.
    fn named_near(&self, cluster: usize, pos: usize) -> bool {
        let tokens = &self.text.tokens;
        let t = tokens.partition_point(|tk| tk.span.start < pos);
        let Some(&s) = self.text.token_sentence.get(t) else {
            return false;
        };
        self.ents.names_of(cluster).iter().any(|&n| {
            let name = &self.ents.names[n];
            let ns = self.text.token_sentence.get(name.first).copied();
            !name.in_quote && name.span.end <= pos && ns.is_some_and(|ns| ns + 1 >= s)
        })
    }

    /// The cluster whose canonical name or one of whose forms is `name`.
    fn cluster_named(&self, name: &str) -> Option<usize> {
        self.ents
            .clusters
            .iter()
            .position(|cl| cl.canonical == name || cl.forms.iter().any(|f| f == name))
            .or_else(|| {
                self.ents
                    .names
                    .iter()
                    .find(|n| self.text.slice(n.span) == name)
                    .map(|n| n.cluster)
            })
    }

    /// The cluster of the last name outside quotations ending before `pos` (within `reach`
    /// chars) that `ok` accepts.
    fn last_before(&self, pos: usize, reach: usize, ok: impl Fn(usize) -> bool) -> Option<usize> {
        self.ents
            .names
            .iter()
            .rev()
            .filter(|n| n.span.end <= pos && !n.in_quote)
            .take_while(|n| pos - n.span.end <= reach)
            .map(|n| n.cluster)
            .find(|&c| ok(c))
    }

    /// "…, who said": the name or noun phrase the relative pronoun follows.
    fn relative(&self, t: usize) -> Who {
        let tokens = &self.text.tokens;
        let mut k = t;
        while k > 0 && tokens[k - 1].is_punct(',') {
            k -= 1;
        }
        // "…, and who has come out": the antecedent is a clause away.
        if k == 0 || matches!(tokens[k - 1].lower.as_str(), "and" | "or" | "but") {
            return Who::Nobody;
        }
        if let Some(n) = self.ents.name_at(k - 1) {
            let c = self.ents.names[n].cluster;
            if self.credible(c) {
                return Who::Named(vec![c]);
            }
        }
        // The noun phrase before.
        let end = k;
        let start = self.phrase_start(end, 8);
        if start == end {
            return Who::Nobody;
        }
        let span = Span::new(tokens[start].span.start, tokens[end - 1].span.end);
        self.description(span)
    }

    /// Where the noun phrase that ends before token `end` starts: back over at most `max` words
    /// of its sentence, to its determiner or to a verb, a preposition or punctuation.
    fn phrase_start(&self, end: usize, max: usize) -> usize {
        let tokens = &self.text.tokens;
        let mut start = end;
        while start > 0 && end - start < max {
            let w = &tokens[start - 1];
            if !w.is_word()
                || is_verbal(&w.lower)
                || is_preposition(&w.lower)
                || !self.text.same_sentence(start - 1, end - 1)
            {
                break;
            }
            start -= 1;
            if is_determiner(&w.lower) {
                break;
            }
        }
        start
    }

    /// The noun phrase a speaker phrase belongs to: extended right over the lowercase words of
    /// its noun ("Democratic" -> "Democratic speechwriters") and left over its determiner and
    /// modifiers; the quote's cue, words of saying, prepositions and punctuation end it.
    fn noun_phrase(&self, m: Span, cue: Option<Span>) -> Option<Span> {
        let tokens = &self.text.tokens;
        let toks = self.words_in(m);
        let (&first, &last) = (toks.first()?, toks.last()?);
        let mut end = last + 1;
        // "pushing private doctors to query": a lone lowercase modifier cut from its plural noun.
        let cut_modifier = first == last
            && !tokens[last].is_cap()
            && tokens
                .get(last + 1)
                .is_some_and(|t| nominal(t) && is_plural_noun(&t.lower));
        let open =
            tokens[last].is_cap() || tokens[last].kind == TokKind::Possessive || cut_modifier;
        while open && end < tokens.len() && end - last <= 3 {
            let t = &tokens[end];
            // The cue is never part of its speaker ("Video shows", "His ex-wife agreed").
            if cue.is_some_and(|c| c.overlaps(&t.span)) {
                break;
            }
            let noun = nominal(t);
            if !(noun || t.kind == TokKind::Possessive) {
                break;
            }
            end += 1;
            // A plural, a role or a document ends the noun ("speechwriters", "commissioner").
            if noun
                && (is_plural_noun(&t.lower)
                    || is_title(&t.lower)
                    || is_agent_noun(&t.lower)
                    || is_org_noun(&t.lower)
                    || is_document_noun(&t.lower))
            {
                break;
            }
        }
        let mut start = first;
        // Its determiner and quantity ("two Democratic speechwriters", "one West Virginia
        // official"): the whole noun phrase is the unnamed speaker's name.
        while open && start > 0 && first - start < 3 {
            let t = &tokens[start - 1];
            // The determiner list holds the numbers and quantities ("two", "some").
            let quantity = t.is_word()
                && (is_determiner(&t.lower) || t.lower.chars().all(|c| c.is_ascii_digit()));
            if !quantity || t.para != tokens[first].para {
                break;
            }
            start -= 1;
        }
        let first = start;
        // Leading words that cannot start a noun phrase ("what multiple lawmakers").
        let mut s = first;
        while s < end
            && matches!(
                tokens[s].lower.as_str(),
                "what"
                    | "where"
                    | "when"
                    | "how"
                    | "why"
                    | "who"
                    | "which"
                    | "whom"
                    | "as"
                    | "while"
                    | "because"
                    | "if"
                    | "since"
            )
        {
            s += 1;
        }
        if s > first {
            start = s;
        }
        if start >= end {
            return None;
        }
        Some(Span::new(
            tokens[start].span.start,
            tokens[end - 1].span.end,
        ))
    }

    /// The last word of a noun phrase before a preposition or a relative word (after a
    /// quantity's "of": "a majority of voters" -> "voters").
    fn head_word(&self, np: Span) -> Option<usize> {
        let tokens = &self.text.tokens;
        let words: Vec<usize> = self
            .words_in(np)
            .into_iter()
            .filter(|&t| tokens[t].is_word())
            .collect();
        let lowers: Vec<&str> = words.iter().map(|&t| tokens[t].lower.as_str()).collect();
        words[..description_len(&lowers)].last().copied()
    }

    /// Whether a head word can head a description: not a name, a pronoun or a determiner.
    fn can_head(&self, h: usize) -> bool {
        let t = &self.text.tokens[h];
        !t.is_cap() && pronoun(&t.lower).is_none() && !is_determiner(&t.lower)
    }

    /// The head of a description: [`Self::head_word`] when it [`Self::can_head`].
    fn head_of(&self, np: Span) -> Option<usize> {
        self.head_word(np).filter(|&h| self.can_head(h))
    }

    /// A head word the quote tagger's Source can end on that names no one: a preposition, a
    /// number or a time ("in", "2015", "this month").
    fn is_fragment(&self, h: usize) -> bool {
        let l = self.text.tokens[h].lower.as_str();
        is_preposition(l) || l.chars().all(|c| c.is_ascii_digit()) || is_time_noun(l)
    }

    /// An unnamed source or, for a definite description, the entity it denotes.
    fn description(&self, np: Span) -> Who {
        let tokens = &self.text.tokens;
        let Some(h) = self.head_of(np) else {
            return Who::Nobody;
        };
        let head = tokens[h].lower.clone();
        let words: Vec<usize> = self
            .words_in(np)
            .into_iter()
            .filter(|&t| tokens[t].is_word())
            .collect();
        let Some(&first) = words.first() else {
            return Who::Nobody;
        };
        let written = self
            .text
            .slice(Span::new(tokens[first].span.start, tokens[h].span.end));
        let plural = is_plural_noun(&head);
        let org = is_org_noun(&head);
        let kind = if org {
            SpeakerType::Org
        } else if plural {
            SpeakerType::Other
        } else {
            SpeakerType::Person
        };
        // "…, Don Fowler, said": an apposition names the source.
        let after = self.words_in(np).last().map_or(h + 1, |&t| t + 1);
        if tokens.get(after).is_some_and(|t| t.is_punct(',')) {
            if let Some(n) = self.ents.name_at(after + 1) {
                let name = &self.ents.names[n];
                if name.first == after + 1
                    && name.etype == EntityType::Person
                    && !org
                    && !plural
                    && self.credible(name.cluster)
                {
                    return Who::Named(vec![name.cluster]);
                }
            }
        }
        // Only a bare definite description ("the fund", "the agency") stands for an entity
        // named before; "the Trump team", "Clinton’s team" are sources of their own.
        let bare = words.iter().all(|&t| !tokens[t].is_cap() || t == first);
        let definite = matches!(
            tokens[first].lower.as_str(),
            "the" | "his" | "her" | "its" | "their"
        ) || self
            .words_in(np)
            .iter()
            .any(|&t| t < h && tokens[t].kind == TokKind::Possessive);
        if definite && !plural {
            if org
                && bare
                && tokens[first].lower == "the"
                && !matches!(
                    head.as_str(),
                    "campaign"
                        | "administration"
                        | "government"
                        | "media"
                        | "press"
                        | "police"
                        | "military"
                        | "army"
                )
            {
                let with_head = |c: usize| {
                    let cl = &self.ents.clusters[c];
                    self.credible(c)
                        && cl.etype != EntityType::Person
                        && cl
                            .forms
                            .iter()
                            .any(|f| f.split_whitespace().any(|w| w.eq_ignore_ascii_case(&head)))
                };
                let any_org =
                    |c: usize| self.credible(c) && self.ents.clusters[c].etype == EntityType::Org;
                let multiword =
                    |c: usize| with_head(c) && self.ents.clusters[c].canonical.contains(' ');
                if let Some(c) = self
                    .last_before(np.start, usize::MAX, multiword)
                    .or_else(|| self.last_before(np.start, usize::MAX, with_head))
                    .or_else(|| self.last_before(np.start, 1500, any_org))
                {
                    return Who::Named(vec![c]);
                }
            } else if !org && (is_title(&head) || is_agent_noun(&head)) {
                let modifiers: Vec<String> = words
                    .iter()
                    .filter(|&&t| t != h)
                    .map(|&t| tokens[t].lower.clone())
                    .collect();
                if let Some(n) = self.ents.describe(np.start, &head, &modifiers) {
                    let c = self.ents.names[n].cluster;
                    if self.credible(c) {
                        return Who::Named(vec![c]);
                    }
                }
                // "the Vermont senator": the most salient person; never for a possessed role
                // ("Obama’s strategist", "his aide"), which names someone else.
                let possessed = self
                    .words_in(np)
                    .iter()
                    .any(|&t| t < h && tokens[t].kind == TokKind::Possessive);
                if is_title(&head)
                    && !is_generic_role(&head)
                    && !possessed
                    && tokens[first].lower == "the"
                {
                    if let Some(c) = self.salient_person(np.start) {
                        return Who::Named(vec![c]);
                    }
                }
            }
        }
        Who::Unnamed(written, kind)
    }

    /// The person the article has named most often (outside quotations) before `pos`, among
    /// those named in the 1500 characters before it; on a tie the most recent.
    fn salient_person(&self, pos: usize) -> Option<usize> {
        let mut counts: BTreeMap<usize, (usize, usize)> = BTreeMap::new();
        for n in self
            .ents
            .names
            .iter()
            .filter(|n| n.span.end <= pos && !n.in_quote)
        {
            let c = n.cluster;
            if self.ents.clusters[c].etype != EntityType::Person || !self.credible(c) {
                continue;
            }
            let e = counts.entry(c).or_default();
            e.0 += 1;
            e.1 = n.span.end;
        }
        counts
            .into_iter()
            .filter(|(_, (_, last))| pos - last <= 1500)
            .max_by_key(|(_, (count, last))| (*count, *last))
            .map(|(c, _)| c)
    }

    /// A document or data release as the source: its producer when the article names one (in
    /// the phrase, "by"/"from" it, or where the same noun is written earlier), else as it was.
    fn producer(&self, m: Span, np: Span, head: usize, names: &[usize]) -> Who {
        let tokens = &self.text.tokens;
        let producer_of = |n: usize| -> Option<usize> {
            let name = &self.ents.names[n];
            let c = name.cluster;
            (self.credible(c) && name.etype != EntityType::Place).then_some(c)
        };
        // Every organisation or person the phrase names produced it: "a New York Times/CBS News
        // poll", "a Washington Post-ABC News poll" (a joint source, guidelines version 3).
        let mut producers: Vec<usize> = Vec::new();
        for c in names.iter().filter_map(|&n| producer_of(n)) {
            if !producers.contains(&c) {
                producers.push(c);
            }
        }
        if !producers.is_empty() {
            return Who::Named(producers);
        }
        // "an analysis by Lily Batchelder", "a poll from Quinnipiac".
        let after = self.words_in(np).last().map_or(head + 1, |&t| t + 1);
        if tokens
            .get(after)
            .is_some_and(|t| matches!(t.lower.as_str(), "by" | "from" | "of"))
        {
            let mut k = after + 1;
            while k < tokens.len() && k <= after + 3 && self.ents.name_at(k).is_none() {
                k += 1;
            }
            if let Some(n) = self.ents.name_at(k) {
                if let Some(c) = producer_of(n) {
                    // "a study by Harvard and the University of California".
                    let mut all = vec![c];
                    all.extend(self.joint_with(n).into_iter().filter(|&j| j != c));
                    return Who::Named(all);
                }
            }
        }
        // The same noun written earlier, in a sentence that names its producer; for a first,
        // indefinite mention ("A new poll shows …"), where the next sentences name it ("The
        // Reuters/Ipsos poll released Friday shows …").
        let lower = &tokens[head].lower;
        let stem = lower.trim_end_matches('s');
        let same_noun = |t: usize| {
            let w = &tokens[t].lower;
            w == lower || w.trim_end_matches('s') == stem
        };
        let org_in_sentence_of = |t: usize| -> Option<usize> {
            self.ents
                .names
                .iter()
                .enumerate()
                .filter(|(_, n)| self.text.same_sentence(n.first, t))
                .filter_map(|(k, n)| {
                    let c = producer_of(k)?;
                    // Only an organisation: a person in the sentence is as often its subject.
                    (self.ents.clusters[c].etype == EntityType::Org)
                        .then(|| (n.span.start.abs_diff(tokens[t].span.start), c))
                })
                .min()
                .map(|(_, c)| c)
        };
        let earlier = (0..head)
            .rev()
            .filter(|&t| same_noun(t) && tokens[t].span.start < m.start)
            .find_map(org_in_sentence_of);
        if let Some(c) = earlier {
            return Who::Named(vec![c]);
        }
        let first = self.words_in(np).first().copied().unwrap_or(head);
        if matches!(tokens[first].lower.as_str(), "a" | "an") {
            let sentence = self.text.token_sentence[head];
            let later = (head + 1..tokens.len())
                .take_while(|&t| self.text.token_sentence[t] <= sentence + 3)
                .filter(|&t| same_noun(t) && self.text.token_sentence[t] > sentence)
                .find_map(org_in_sentence_of);
            if let Some(c) = later {
                return Who::Named(vec![c]);
            }
        }
        Who::Keep
    }

    /// The token after a parenthetical that follows a name ("Jon Tester (D-Mont.) and ..."),
    /// or `k` itself when none starts there.
    fn past_parenthetical(&self, k: usize) -> usize {
        let tokens = &self.text.tokens;
        if !tokens.get(k).is_some_and(|t| t.is_punct('(')) {
            return k;
        }
        (k + 1..tokens.len().min(k + 12))
            .find(|&j| tokens[j].is_punct(')'))
            .map_or(k, |j| j + 1)
    }

    /// The token before a parenthetical that ends at `k` ("Jon Tester (D-Mont.)" from its ")"),
    /// or `k` itself when none ends there; the mirror of [`Self::past_parenthetical`].
    fn before_parenthetical(&self, k: usize) -> usize {
        let tokens = &self.text.tokens;
        if !tokens[k].is_punct(')') {
            return k;
        }
        (k.saturating_sub(11)..k)
            .rev()
            .find(|&i| tokens[i].is_punct('('))
            .map_or(k, |open| open.saturating_sub(1))
    }

    /// The other entities of a joint source: "X and Y", "X, Y and Z" around the name `n`.
    fn joint_with(&self, n: usize) -> Vec<usize> {
        let tokens = &self.text.tokens;
        let names = &self.ents.names;
        let mut out = Vec::new();
        // Places that speak stand for their governments ("India and Pakistan", "Canada and the
        // European Union" said; guidelines version 3); a place listed with a person is where
        // the person is from ("Sen. Smith, Texas, and ...").
        let person_and_place = |a: EntityType, b: EntityType| {
            matches!(
                (a, b),
                (EntityType::Person, EntityType::Place) | (EntityType::Place, EntityType::Person)
            )
        };
        let joinable = |k: usize| -> Option<usize> {
            let c = names[k].cluster;
            (self.credible(c) && !person_and_place(names[n].etype, names[k].etype)).then_some(c)
        };
        // Forwards: ", Y" / "and Y".
        let mut k = self.past_parenthetical(names[n].end);
        let mut cur = n;
        while let Some(t) = tokens.get(k) {
            let joiner = t.is_punct(',') || t.lower == "and";
            if !joiner {
                break;
            }
            let mut j = k + 1;
            if tokens.get(j).is_some_and(|t| t.lower == "and") {
                j += 1;
            }
            // Titles and an article before the next name ("and Rep. John Conyers", "and the
            // European Union").
            while tokens
                .get(j)
                .is_some_and(|t| is_title(&t.lower) || t.is_punct('.') || t.lower == "the")
            {
                j += 1;
            }
            let Some(next) = self.ents.name_at(j) else {
                break;
            };
            if names[next].first != j || next == cur {
                break;
            }
            let Some(c) = joinable(next) else { break };
            if !t.is_punct(',') || tokens.get(k + 1).is_some_and(|t| t.lower == "and") {
                out.push(c);
                break;
            }
            out.push(c);
            cur = next;
            k = self.past_parenthetical(names[next].end);
        }
        // A list must end in "and": "X, Y said" is an apposition, not a joint source.
        if !out.is_empty() {
            let last_end = self.past_parenthetical(names[cur].end);
            let ended_with_and = (names[n].end..last_end.max(names[n].end + 1))
                .any(|i| tokens.get(i).is_some_and(|t| t.lower == "and"))
                || out.len() == 1 && tokens.get(names[n].end).is_some_and(|t| t.lower == "and");
            if !ended_with_and {
                out.clear();
            }
        }
        // Backwards: "X and" before the name.
        if out.is_empty() && names[n].first >= 2 && tokens[names[n].first - 1].lower == "and" {
            let mut j = names[n].first - 2;
            while j > 0
                && (is_title(&tokens[j].lower)
                    || tokens[j].is_punct('.')
                    || tokens[j].lower == "the")
            {
                j -= 1;
            }
            // "Jon Tester (D-Mont.) and David Vitter".
            j = self.before_parenthetical(j);
            if let Some(prev) = self.ents.name_at(j) {
                if names[prev].end == j + 1 || names[prev].end == names[n].first - 1 {
                    if let Some(c) = joinable(prev) {
                        out.push(c);
                    }
                }
            }
        }
        out.retain(|&c| c != names[n].cluster);
        out.dedup();
        out
    }
}

/// A noun for a place's government in "the city of Phoenix", "the state of Texas".
fn is_government_noun(lower: &str) -> bool {
    matches!(
        lower,
        "city" | "state" | "town" | "county" | "government" | "province" | "commonwealth"
    )
}

/// A word that is a verb or auxiliary rather than part of a noun phrase (one word, written in
/// lowercase: [`has_finite_verb`]'s reading, plus the verbs of saying in their base form).
fn is_verbal(lower: &str) -> bool {
    has_finite_verb(&[(lower, true)]) || crate::extract::quotes::words::is_verb_or_auxiliary(lower)
}

/// A lowercase word that can stand in a noun phrase: not a verb, an adverb, a preposition, a
/// conjunction or a relative word.
fn nominal(t: &Token) -> bool {
    if !t.is_word() || t.is_cap() {
        return false;
    }
    let l = t.lower.as_str();
    let adverb = is_verb_adjunct(l) || (l.len() > 4 && l.ends_with("ly"));
    let function = is_preposition(l) || matches!(l, "and" | "or" | "who" | "which" | "that");
    !(is_verbal(l) || adverb || function)
}

#[cfg(test)]
mod tests;
