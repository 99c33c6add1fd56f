//! Speakers of the frames: the speaker phrase of each cue (before the verb, inverted after it,
//! across parentheses and relative clauses, the main clause's subject for a participle) as a
//! [`SpeakerNp`].

use super::*;

impl<'a> Frames<'a> {
    pub(super) fn find_speaker(&self, s: usize, frames: &mut [CueFrame], i: usize) {
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
                        && is_form_of_be(self.lower(s, f.k0 - 2))
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
        // A participle after a form of "be" is a progressive finite verb ("He is claiming
        // that …", "Trump was telling voters …"): its subject stands before it, as for "said".
        let progressive = f.k0 > 0 && is_form_of_be(self.lower(s, f.k0 - 1));
        let participle = f.m.form == Form::Participle && !progressive;
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
    pub(super) fn parenthesised_subject(
        &self,
        s: usize,
        kb: usize,
    ) -> Option<(SpeakerNp, usize, usize)> {
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
    pub(super) fn skip_adjuncts_back(&self, s: usize, k: usize) -> Option<usize> {
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
    pub(super) fn main_subject(
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
    pub(super) fn np_before(&self, s: usize, k: usize) -> Option<(SpeakerNp, usize, usize)> {
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
    pub(super) fn np_after(&self, s: usize, k: usize) -> Option<(SpeakerNp, usize, usize)> {
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
}
