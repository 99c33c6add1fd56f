//! Quotations no frame claimed: which of them are quotes, and their speakers (an adjacent
//! attribution, a colon, a neighbouring quote, the subject of a nearby sentence).

use super::*;

impl<'a> Frames<'a> {
    pub(super) fn leftovers(&mut self) {
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
            // An attribution written beside the quotation (a dash signature, "“…,” X said")
            // names its speaker outright; the others are inferred, and a transcript's label
            // inside the marks overrides them.
            let beside = self
                .only_punct_before(s, k)
                .then(|| self.dash_signature(s, k))
                .flatten()
                .map(|speaker| (None, speaker))
                .or_else(|| {
                    self.adjacent_attribution(s, k)
                        .map(|(cue, speaker)| (Some(cue), speaker))
                });
            let attributed = beside.is_some();
            let (cue, speaker) = if let Some((cue, speaker)) = beside {
                (cue, Some(speaker))
            } else if standalone {
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
                // A transcript names each turn's speaker inside the marks ("PENCE: …").
                let label = (!attributed)
                    .then(|| self.transcript_label(piece))
                    .flatten();
                let speaker = label.or_else(|| speaker.clone());
                self.found.push(Found {
                    span: piece,
                    fragments: Vec::new(),
                    kind: QuoteKind::Direct,
                    cue,
                    speaker,
                    sentence: s,
                    quotation: Some(q),
                });
            }
        }
    }

    fn only_punct_before(&self, s: usize, k: usize) -> bool {
        (0..k).all(|x| {
            self.tok(s, x)
                .is_some_and(|t| self.text.tokens[t].kind == TokKind::Punct)
        })
    }

    /// The signature of a quotation signed with a dash, as reader comments and pull quotes are
    /// ("“…” ― Pamela Padilla"): a name after the dash and nothing else to the end of the
    /// sentence, or making up the next sentence of the paragraph when the quotation ended its
    /// own.
    pub(super) fn dash_signature(&self, s: usize, k: usize) -> Option<SpeakerNp> {
        let signed = |s: usize, dash: usize| -> Option<SpeakerNp> {
            let d = self.tok(s, dash)?;
            if !(self.text.tokens[d].kind == TokKind::Punct
                && SIGNATURE_DASHES.contains(&self.text.tokens[d].first_char()))
            {
                return None;
            }
            let n = self.ents.name_at(self.tok(s, dash + 1)?)?;
            let name = &self.ents.names[n];
            let rest_is_the_name = self.units(s)[dash + 1..].iter().all(|u| match u {
                Unit::Tok(t) => {
                    let tok = &self.text.tokens[*t];
                    tok.kind == TokKind::Punct || name.span.contains(&tok.span)
                }
                Unit::Quote(_) => false,
            });
            (name.etype != EntityType::Place && rest_is_the_name).then_some(SpeakerNp {
                mention: name.span,
                kind: NpKind::Name(n),
            })
        };
        if k + 1 < self.units(s).len() {
            return signed(s, k + 1);
        }
        let next = s + 1;
        (next < self.text.sentences.len()
            && self.text.sentences[next].para == self.text.sentences[s].para)
            .then(|| signed(next, 0))
            .flatten()
    }

    /// The speaker label that opens a turn of a transcript inside quotation marks: one to three
    /// words in capitals, then a colon ("WALLACE: Let’s start …", "MR. TRUMP: …").
    pub(super) fn transcript_label(&self, piece: Span) -> Option<SpeakerNp> {
        let tokens = &self.text.tokens;
        let first = tokens.partition_point(|t| t.span.start < piece.start);
        let mut words = Vec::new();
        for (i, tok) in tokens.iter().enumerate().skip(first) {
            if tok.span.end > piece.end || words.len() > 3 {
                return None;
            }
            if tok.is_punct(':') {
                break;
            }
            let letters = tok.text.chars().filter(|c| c.is_alphabetic()).count();
            if !(tok.is_word() && letters >= 2 && !tok.text.chars().any(char::is_lowercase)) {
                return None;
            }
            words.push(i);
        }
        let (&a, &b) = (words.first()?, words.last()?);
        let mention = Span::new(tokens[a].span.start, tokens[b].span.end);
        let kind = match self.ents.name_at(b) {
            Some(n) => NpKind::Name(n),
            None => NpKind::Description {
                head: tokens[b].lower.clone(),
                modifiers: words[..words.len() - 1]
                    .iter()
                    .map(|&t| tokens[t].lower.clone())
                    .collect(),
            },
        };
        Some(SpeakerNp { mention, kind })
    }

    /// "“…,” remembered Roy Verley." / "“…,” the senator quipped.": a quotation followed by a
    /// speaker and a verb in the past or present tense (or the verb first), whatever the verb:
    /// the position alone marks the attribution. Returns the verb's span and the speaker.
    pub(super) fn adjacent_attribution(&self, s: usize, k: usize) -> Option<(Span, SpeakerNp)> {
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
    pub(super) fn clause_subject(&self, s: usize, k: usize) -> Option<SpeakerNp> {
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
    pub(super) fn nearest_frame(
        &self,
        s: usize,
        k: usize,
    ) -> Option<(usize, Option<Span>, SpeakerNp)> {
        self.sentence_frames[s]
            .iter()
            .min_by_key(|(k0, _, _)| k0.abs_diff(k))
            .cloned()
    }

    /// Words a person says rather than a name or a term: a clause (sentence punctuation
    /// inside or at the end) or a first- or second-person pronoun.
    pub(super) fn speech_like(&self, q: usize) -> bool {
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
    pub(super) fn index_attributed(&mut self) {
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
    pub(super) fn neighbour_speaker(
        &self,
        s: usize,
        q: usize,
    ) -> (Option<Span>, Option<SpeakerNp>) {
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
    pub(super) fn colon_speaker(&self, s: usize, k: usize) -> Option<SpeakerNp> {
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

    pub(super) fn first_subject_from(
        &self,
        s: usize,
        from: usize,
        limit: usize,
    ) -> Option<SpeakerNp> {
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

    pub(super) fn first_subject(&self, s: usize, limit: usize) -> Option<SpeakerNp> {
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
