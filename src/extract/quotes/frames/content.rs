//! Content of the frames: the region after or before a cue, its clause boundaries, and the
//! quotes (direct, mixed, indirect; fragments) it gives.

use super::*;

impl<'a> Frames<'a> {
    /// The content after the cue: (first unit, end unit). When no clause follows, a quotation
    /// within the verb's phrase still does ("warned of a “…” battle ahead", "referred to them as
    /// “…”").
    pub(super) fn after_region(
        &self,
        s: usize,
        f: &CueFrame,
        blocked: &[bool],
    ) -> Option<(usize, usize)> {
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

    pub(super) fn after_clause(
        &self,
        s: usize,
        f: &CueFrame,
        blocked: &[bool],
    ) -> Option<(usize, usize)> {
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
    pub(super) fn skip_addressee(&self, s: usize, p: usize) -> Option<usize> {
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
    pub(super) fn region_end(&self, s: usize, a: usize, blocked: &[bool]) -> Option<usize> {
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
                let boundary = crate::extract::quotes::words::is_clause_boundary_word(next)
                    && !(matches!(next, "a" | "an") && k + 1 == n)
                    || (next == "as"
                        && matches!(
                            self.lower(s, k + 2),
                            "cited" | "reported" | "quoted" | "noted" | "told"
                        ))
                    || (next.len() >= 5
                        && next.ends_with("ing")
                        && !crate::extract::quotes::words::is_ing_not_participle(next)
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
    pub(super) fn apposition_to_end(&self, s: usize, k: usize) -> bool {
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
    pub(super) fn before_region(
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
    pub(super) fn emit(
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
    pub(super) fn words_outside_quotations(&self, s: usize, a: usize, b: usize) -> usize {
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
    pub(super) fn indirect_span(&self, s: usize, a: usize, b: usize) -> Option<Span> {
        self.clause_span(s, a, b, 3)
    }

    /// The char span of a reported clause over units `[a, b)`, "that", leading punctuation
    /// and final punctuation outside (a quotation is a unit of its own, so a clause that ends
    /// in one keeps its closing mark); `None` below `min_words` words outside quotations.
    pub(super) fn clause_span(
        &self,
        s: usize,
        mut a: usize,
        mut b: usize,
        min_words: usize,
    ) -> Option<Span> {
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
    pub(super) fn is_title_where_titles_stand(&self, s: usize, q: usize) -> bool {
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
    pub(super) fn is_title_like(&self, q: usize) -> bool {
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
}
