//! The article as the quote rules see it: chars, quotation marks ([`super::marks`]), word tokens,
//! paragraphs (with headlines and link lines told apart) and sentences in which every quotation
//! is one opaque unit, so that the frame around a quotation ("“…,” he said.") reads as one
//! sentence whatever punctuation the quotation holds.

use crate::annotation::{Article, Span};

use super::marks::{read_marks, Quotation};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TokKind {
    /// Letters or digits, with inner apostrophes, hyphens and abbreviation periods.
    Word,
    /// One punctuation char that is not a quotation mark.
    Punct,
    /// A quotation mark (top-level or nested).
    Mark,
    /// A possessive ’s / 's / trailing ’ after a word.
    Possessive,
}

#[derive(Debug, Clone)]
pub struct Token {
    pub span: Span,
    pub text: String,
    pub lower: String,
    pub kind: TokKind,
    /// The top-level quotation whose marks enclose the token (marks included), if any.
    pub quote: Option<usize>,
    /// Index of the paragraph the token is in.
    pub para: usize,
}

impl Token {
    pub fn is_word(&self) -> bool {
        self.kind == TokKind::Word
    }

    /// Starts with an uppercase letter.
    pub fn is_cap(&self) -> bool {
        self.kind == TokKind::Word && self.text.chars().next().is_some_and(char::is_uppercase)
    }

    pub fn is_punct(&self, c: char) -> bool {
        self.kind == TokKind::Punct && self.text.starts_with(c)
    }

    pub fn first_char(&self) -> char {
        self.text.chars().next().unwrap_or(' ')
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ParaKind {
    Body,
    /// A title, section heading or other line without sentence punctuation.
    Headline,
    /// "Also Read: …", "Read more: …" and similar link lines.
    Link,
}

#[derive(Debug, Clone)]
pub struct Paragraph {
    pub span: Span,
    pub kind: ParaKind,
}

/// A unit of a sentence: a token outside quotations, or a whole quotation.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Unit {
    Tok(usize),
    Quote(usize),
}

#[derive(Debug, Clone)]
pub struct Sentence {
    pub units: Vec<Unit>,
    /// Paragraph of the first unit.
    pub para: usize,
}

/// Everything the rules read from one article.
#[derive(Debug, Clone)]
pub struct Text {
    pub chars: Vec<char>,
    pub quotations: Vec<Quotation>,
    pub tokens: Vec<Token>,
    pub paragraphs: Vec<Paragraph>,
    pub sentences: Vec<Sentence>,
    /// For each quotation: the index of the sentence it is a unit of.
    pub quote_sentence: Vec<usize>,
    /// For each token: the sentence it belongs to (tokens inside a quotation belong to the
    /// sentence of the quotation).
    pub token_sentence: Vec<usize>,
    para_ranks: Vec<usize>,
}

/// The dashes that sign a quotation with its speaker's name ("“…” ― Pamela Padilla").
pub const SIGNATURE_DASHES: [char; 3] = ['―', '—', '–'];

/// Abbreviations whose period belongs to the word (`abbreviations.txt`, lower case): the one
/// list of the sentence splitter and of the NER decoder's glued-period rule.
static ABBREVIATIONS: std::sync::LazyLock<std::collections::HashSet<&'static str>> =
    std::sync::LazyLock::new(|| {
        include_str!("abbreviations.txt")
            .lines()
            .map(str::trim)
            .filter(|l| !l.is_empty() && !l.starts_with('#'))
            .collect()
    });

/// Whether `lower` (a lower-cased word without its period) is an abbreviation whose period
/// belongs to it.
pub fn is_abbreviation(lower: &str) -> bool {
    ABBREVIATIONS.contains(lower)
}

/// Words that start a sentence after an abbreviation period ("… in the U.S. The …").
const SENTENCE_STARTERS: &[&str] = &[
    "the",
    "he",
    "she",
    "it",
    "they",
    "we",
    "i",
    "but",
    "and",
    "in",
    "a",
    "an",
    "this",
    "that",
    "these",
    "those",
    "his",
    "her",
    "their",
    "its",
    "there",
    "meanwhile",
    "however",
    "on",
    "at",
    "after",
    "before",
    "when",
    "while",
    "as",
    "if",
    "so",
    "yet",
    "still",
    "now",
    "then",
    "also",
    "our",
    "my",
    "what",
    "who",
    "why",
    "how",
];

impl Text {
    pub fn new(article: &Article) -> Text {
        let chars: Vec<char> = article.text().chars().collect();
        Text::from_chars(chars)
    }

    pub fn from_chars(chars: Vec<char>) -> Text {
        let marks = read_marks(&chars);
        let paragraphs = paragraphs(&chars);
        let tokens = tokenize(
            &chars,
            &marks.mark_positions,
            &marks.quotations,
            &paragraphs,
        );
        let mut text = Text {
            chars,
            quotations: marks.quotations,
            tokens,
            paragraphs,
            sentences: Vec::new(),
            quote_sentence: Vec::new(),
            token_sentence: Vec::new(),
            para_ranks: Vec::new(),
        };
        let mut rank = 0;
        for p in 0..text.paragraphs.len() {
            text.para_ranks.push(rank);
            let span = text.paragraphs[p].span;
            if text.chars[span.start..span.end]
                .iter()
                .any(|c| !c.is_whitespace())
            {
                rank += 1;
            }
        }
        text.classify_paragraphs();
        text.split_sentences();
        text
    }

    /// The index of a paragraph among the non-empty ones (blank lines do not separate
    /// neighbours).
    pub fn para_rank(&self, para: usize) -> usize {
        self.para_ranks.get(para).copied().unwrap_or(para)
    }

    /// Whether tokens `a` and `b` are in one sentence.
    pub fn same_sentence(&self, a: usize, b: usize) -> bool {
        let s = |t: usize| self.token_sentence.get(t);
        s(a).is_some() && s(a) == s(b)
    }

    /// Whether token `t` is the first of its paragraph.
    pub fn opens_paragraph(&self, t: usize) -> bool {
        t == 0 || self.tokens.get(t - 1).map(|p| p.para) != self.tokens.get(t).map(|c| c.para)
    }

    pub fn slice(&self, span: Span) -> String {
        self.chars[span.start.min(self.chars.len())..span.end.min(self.chars.len())]
            .iter()
            .collect()
    }

    /// The char span a unit covers (a quotation's from mark to mark).
    pub fn unit_span(&self, u: Unit) -> Span {
        match u {
            Unit::Tok(t) => self.tokens[t].span,
            Unit::Quote(q) => self.quotations[q].outer(),
        }
    }

    /// The paragraph a unit ends in.
    pub fn unit_end_para(&self, u: Unit) -> usize {
        let end = self.unit_span(u).end;
        self.para_of(end.saturating_sub(1))
    }

    pub fn para_of(&self, char_index: usize) -> usize {
        match self.paragraphs.binary_search_by(|p| {
            if char_index < p.span.start {
                std::cmp::Ordering::Greater
            } else if char_index >= p.span.end.max(p.span.start + 1) {
                std::cmp::Ordering::Less
            } else {
                std::cmp::Ordering::Equal
            }
        }) {
            Ok(i) => i,
            Err(i) => i
                .saturating_sub(1)
                .min(self.paragraphs.len().saturating_sub(1)),
        }
    }

    /// The tokens inside a quotation (marks excluded).
    pub fn quote_tokens(&self, q: usize) -> impl Iterator<Item = usize> + '_ {
        let inner = self.quotations[q].inner();
        let first = self.tokens.partition_point(|t| t.span.start < inner.start);
        (first..self.tokens.len()).take_while(move |&i| self.tokens[i].span.end <= inner.end)
    }

    /// Number of words inside a quotation.
    pub fn quote_words(&self, q: usize) -> usize {
        self.quote_tokens(q)
            .filter(|&i| self.tokens[i].is_word())
            .count()
    }

    /// The last char inside a quotation that is not a mark or space.
    pub fn quote_last_char(&self, q: usize) -> Option<char> {
        let inner = self.quotations[q].inner();
        self.chars[inner.start..inner.end]
            .iter()
            .rev()
            .find(|c| !c.is_whitespace() && !matches!(c, '’' | '\'' | '"' | '”' | ')' | ']'))
            .copied()
    }

    fn classify_paragraphs(&mut self) {
        let mut first_body = true;
        for p in 0..self.paragraphs.len() {
            let span = self.paragraphs[p].span;
            let text = self.slice(span);
            let trimmed = text.trim();
            if trimmed.is_empty() {
                continue;
            }
            let lower = trimmed.to_lowercase();
            const LINK_PREFIXES: &[&str] = &[
                "also read",
                "read also",
                "read more",
                "read:",
                "related:",
                "related story",
                "related stories",
                "see also",
                "watch:",
                "watch more",
                "click here",
                "subscribe",
                "follow us",
                "listen:",
                "more:",
            ];
            if LINK_PREFIXES.iter().any(|p| lower.starts_with(p)) {
                self.paragraphs[p].kind = ParaKind::Link;
                continue;
            }
            let last = trimmed.chars().last().unwrap_or(' ');
            let ends_sentence = matches!(
                last,
                '.' | '!' | '?' | '…' | '”' | '"' | '’' | '\'' | ':' | ';' | ',' | ')' | '»'
            );
            let words: Vec<&str> = trimmed.split_whitespace().collect();
            let content: Vec<&&str> = words.iter().filter(|w| w.chars().count() > 3).collect();
            let caps = content
                .iter()
                .filter(|w| w.chars().next().is_some_and(char::is_uppercase))
                .count();
            let title_case = !content.is_empty() && caps * 10 >= content.len() * 7;
            // "“…” ― Pamela Padilla": a quotation signed with a dash (reader comments, pull
            // quotes) ends in a name, not in sentence punctuation.
            let signed_quotation = matches!(trimmed.chars().next(), Some('“' | '"' | '«'))
                && trimmed
                    .rsplit_once(SIGNATURE_DASHES)
                    .is_some_and(|(_, name)| {
                        let name: Vec<&str> = name.split_whitespace().collect();
                        (1..=4).contains(&name.len())
                            && name
                                .iter()
                                .all(|w| w.chars().next().is_some_and(char::is_uppercase))
                    });
            let headline = (!ends_sentence && !signed_quotation && words.len() <= 30)
                || (first_body && title_case && words.len() <= 25 && !trimmed.ends_with(':'));
            if headline {
                self.paragraphs[p].kind = ParaKind::Headline;
            }
            first_body = false;
        }
    }

    fn split_sentences(&mut self) {
        let n = self.tokens.len();
        self.token_sentence = vec![0; n];
        self.quote_sentence = vec![0; self.quotations.len()];
        let mut sentences: Vec<Sentence> = Vec::new();
        let mut current: Vec<Unit> = Vec::new();
        let mut i = 0;
        while i < n {
            let tok = &self.tokens[i];
            let unit = match tok.quote {
                Some(q) => {
                    // Skip to the first token after the quotation.
                    let outer = self.quotations[q].outer();
                    let mut j = i;
                    while j < n && self.tokens[j].span.start < outer.end {
                        j += 1;
                    }
                    let u = Unit::Quote(q);
                    current.push(u);
                    i = j;
                    u
                }
                None => {
                    let u = Unit::Tok(i);
                    current.push(u);
                    i += 1;
                    u
                }
            };
            let next = if i < n { Some(i) } else { None };
            if self.boundary_after(unit, next) {
                let para = self.unit_para_start(current[0]);
                sentences.push(Sentence {
                    units: std::mem::take(&mut current),
                    para,
                });
            }
        }
        if !current.is_empty() {
            let para = self.unit_para_start(current[0]);
            sentences.push(Sentence {
                units: current,
                para,
            });
        }
        for (s, sent) in sentences.iter().enumerate() {
            for u in &sent.units {
                match *u {
                    Unit::Tok(t) => self.token_sentence[t] = s,
                    Unit::Quote(q) => self.quote_sentence[q] = s,
                }
            }
        }
        for (t, tok) in self.tokens.iter().enumerate() {
            if let Some(q) = tok.quote {
                self.token_sentence[t] = self.quote_sentence[q];
            }
        }
        self.sentences = sentences;
    }

    fn unit_para_start(&self, u: Unit) -> usize {
        self.para_of(self.unit_span(u).start)
    }

    fn boundary_after(&self, unit: Unit, next: Option<usize>) -> bool {
        let Some(next) = next else { return true };
        let nt = &self.tokens[next];
        if self.unit_end_para(unit) != nt.para {
            return true;
        }
        let next_starts =
            nt.is_cap() || nt.kind == TokKind::Mark || nt.first_char().is_ascii_digit();
        match unit {
            Unit::Tok(t) => {
                let tok = &self.tokens[t];
                if tok.kind == TokKind::Punct && matches!(tok.first_char(), '.' | '!' | '?' | '…')
                {
                    return next_starts;
                }
                if tok.is_word() && tok.text.ends_with('.') && tok.text.chars().count() > 1 {
                    // An abbreviation period that may also end the sentence.
                    return nt.is_cap() && SENTENCE_STARTERS.contains(&nt.lower.as_str());
                }
                false
            }
            Unit::Quote(q) => {
                matches!(self.quote_last_char(q), Some('.' | '!' | '?' | '…'))
                    && self.quotations[q].balanced()
                    && next_starts
                    && !self.attribution_follows(next)
            }
        }
    }
}

impl Text {
    /// Whether a speech verb follows within a few words of token `t` before any punctuation
    /// ("“Why not?” Ms. White asked.", "“No!” said Putin."): the quotation's attribution, so no
    /// sentence ends after the quotation.
    fn attribution_follows(&self, t: usize) -> bool {
        const VERBS: &[&str] = &[
            "said",
            "says",
            "told",
            "tells",
            "added",
            "adds",
            "asked",
            "asks",
            "wrote",
            "writes",
            "explained",
            "recalled",
            "noted",
            "continued",
            "insisted",
            "replied",
            "responded",
            "remembered",
            "joked",
            "quipped",
            "declared",
            "stated",
            "argued",
            "acknowledged",
            "admitted",
            "warned",
            "according",
            "exclaimed",
            "shouted",
            "tweeted",
            "posted",
            "stressed",
            "added",
            "countered",
            "concluded",
            "complained",
        ];
        let para = self.tokens[t].para;
        for k in t..(t + 6).min(self.tokens.len()) {
            let tok = &self.tokens[k];
            if tok.para != para || tok.kind == TokKind::Mark {
                return false;
            }
            if tok.kind == TokKind::Punct && !matches!(tok.first_char(), '.' | '-') {
                return false;
            }
            if tok.is_word() && VERBS.contains(&tok.lower.as_str()) {
                return !self.verb_opens_content(k);
            }
        }
        false
    }

    /// Whether the speech verb at token `v` goes on to report content of its own, so that it
    /// starts a new sentence rather than attributing the quotation before it: a "that" clause
    /// ("“…fanatic recklessness.” Park said that …") or a new quotation inside its clause
    /// ("Park said Kim's mental state is “spiraling out of control.”"). A quotation opened by
    /// a comma or colon continues the one before ("“No!” said Putin, “never.”").
    fn verb_opens_content(&self, v: usize) -> bool {
        let para = self.tokens[v].para;
        for k in v + 1..self.tokens.len() {
            let tok = &self.tokens[k];
            if tok.para != para {
                return false;
            }
            match tok.kind {
                TokKind::Mark => {
                    let before = &self.tokens[k - 1];
                    return !(before.kind == TokKind::Punct
                        && matches!(before.first_char(), ',' | ':'));
                }
                TokKind::Punct if matches!(tok.first_char(), '.' | '!' | '?' | '…' | ';') => {
                    return false;
                }
                _ if k == v + 1 && tok.lower == "that" => return true,
                _ => {}
            }
        }
        false
    }
}

fn paragraphs(chars: &[char]) -> Vec<Paragraph> {
    let mut out = Vec::new();
    let mut start = 0;
    for (i, &c) in chars.iter().enumerate() {
        if c == '\n' {
            out.push(Paragraph {
                span: Span::new(start, i),
                kind: ParaKind::Body,
            });
            start = i + 1;
        }
    }
    out.push(Paragraph {
        span: Span::new(start, chars.len()),
        kind: ParaKind::Body,
    });
    out
}

fn tokenize(
    chars: &[char],
    mark_positions: &[usize],
    quotations: &[Quotation],
    paras: &[Paragraph],
) -> Vec<Token> {
    let is_mark = |i: usize| mark_positions.binary_search(&i).is_ok();
    let mut tokens = Vec::new();
    let n = chars.len();
    let mut i = 0;
    let mut para = 0;
    let push = |tokens: &mut Vec<Token>, s: usize, e: usize, kind: TokKind, para: usize| {
        let text: String = chars[s..e].iter().collect();
        // The same as `to_lowercase` for ASCII, without its per-char Unicode table walk.
        let lower = if text.is_ascii() {
            text.to_ascii_lowercase()
        } else {
            text.to_lowercase()
        };
        tokens.push(Token {
            span: Span::new(s, e),
            text,
            lower,
            kind,
            quote: None,
            para,
        });
    };
    while i < n {
        let c = chars[i];
        while para + 1 < paras.len() && i >= paras[para + 1].span.start {
            para += 1;
        }
        if c.is_whitespace() {
            i += 1;
            continue;
        }
        if is_mark(i) {
            push(&mut tokens, i, i + 1, TokKind::Mark, para);
            i += 1;
            continue;
        }
        let apostrophe = matches!(c, '’' | '\'' | '‘');
        if c.is_alphanumeric() || (apostrophe && i + 1 < n && chars[i + 1].is_ascii_digit()) {
            let start = i;
            i += 1;
            while i < n {
                let c = chars[i];
                let next = chars.get(i + 1).copied();
                let inner_hyphen =
                    matches!(c, '-' | '‑' | '‐') && next.is_some_and(char::is_alphanumeric);
                if c.is_alphanumeric() || inner_hyphen {
                    i += 1;
                } else if matches!(c, '’' | '\'')
                    && !is_mark(i)
                    && next.is_some_and(char::is_alphabetic)
                {
                    // Possessive ’s is a token of its own; other inner apostrophes stay.
                    let after = chars.get(i + 2).copied();
                    if matches!(next, Some('s' | 'S')) && !after.is_some_and(char::is_alphanumeric)
                    {
                        break;
                    }
                    i += 1;
                } else if matches!(c, ',' | '.')
                    && chars[i - 1].is_ascii_digit()
                    && next.is_some_and(|n| n.is_ascii_digit())
                {
                    i += 1; // 2,000 and 3.5
                } else if c == '.' {
                    let word: String = chars[start..i].iter().collect::<String>().to_lowercase();
                    let single_letter = i - start == 1 && chars[start].is_alphabetic();
                    let dotted = word.split('.').all(|p| p.chars().count() == 1); // u.s, d.c
                    let initial_chain = single_letter || (dotted && word.contains('.'));
                    if is_abbreviation(&word) || initial_chain {
                        i += 1;
                        // u.s. -> keep consuming "s."
                        continue;
                    }
                    break;
                } else {
                    break;
                }
            }
            push(&mut tokens, start, i, TokKind::Word, para);
            continue;
        }
        if apostrophe && !is_mark(i) {
            // ’s after a word, or a trailing ’ (voters’).
            let prev_word = tokens
                .last()
                .is_some_and(|t: &Token| t.kind == TokKind::Word && t.span.end == i);
            if prev_word
                && i + 1 < n
                && matches!(chars[i + 1], 's' | 'S')
                && !chars.get(i + 2).is_some_and(|c| c.is_alphanumeric())
            {
                push(&mut tokens, i, i + 2, TokKind::Possessive, para);
                i += 2;
                continue;
            }
            if prev_word {
                push(&mut tokens, i, i + 1, TokKind::Possessive, para);
                i += 1;
                continue;
            }
        }
        push(&mut tokens, i, i + 1, TokKind::Punct, para);
        i += 1;
    }
    // Which quotation each token is in.
    let mut q = 0;
    for tok in tokens.iter_mut() {
        while q < quotations.len() && quotations[q].outer().end <= tok.span.start {
            q += 1;
        }
        if q < quotations.len() {
            let outer = quotations[q].outer();
            if outer.start <= tok.span.start && tok.span.start < outer.end {
                tok.quote = Some(q);
            }
        }
    }
    tokens
}

#[cfg(test)]
mod tests {
    use super::*;

    fn text(s: &str) -> Text {
        Text::from_chars(s.chars().collect())
    }

    #[test]
    fn tokens_keep_abbreviations_and_split_possessives() {
        let t =
            text("U.S. President Donald Trump’s envoy met Mr. Putin at 5 p.m. on Dec. 2, 2025.");
        let words: Vec<&str> = t.tokens.iter().map(|t| t.text.as_str()).collect();
        assert_eq!(
            words,
            vec![
                "U.S.",
                "President",
                "Donald",
                "Trump",
                "’s",
                "envoy",
                "met",
                "Mr.",
                "Putin",
                "at",
                "5",
                "p.m.",
                "on",
                "Dec.",
                "2",
                ",",
                "2025",
                "."
            ]
        );
    }

    #[test]
    fn quotations_are_single_sentence_units() {
        let t = text("“We went through every point. It took time,” Putin said. “Some we can discuss.” He left.");
        assert_eq!(t.sentences.len(), 3);
        assert_eq!(t.sentences[0].units.len(), 4); // quote Putin said .
        assert_eq!(t.sentences[1].units, vec![Unit::Quote(1)]);
    }

    #[test]
    fn a_speech_verb_with_content_of_its_own_starts_a_new_sentence() {
        // The verb after “…” attributes it ...
        let t = text("“No!” said Putin. “Why not?” Ms. White asked, “again?”");
        assert_eq!(t.sentences.len(), 2);
        // ... unless it goes on to report content of its own.
        let t = text(
            "Seoul accused Kim of “fanatic recklessness.” President Park said Kim’s state is “spiraling out of control.” Tokyo said that it agreed.",
        );
        assert_eq!(t.sentences.len(), 3);
        let t = text("“It’s over.” Park said that “nobody” listened.");
        assert_eq!(t.sentences.len(), 2);
    }

    #[test]
    fn headlines_and_link_lines() {
        let t = text("Putin Rejects Parts of Peace Plan\nPutin said no.\nAlso Read: Putin says “no”\nDignified peace\nHe said so.");
        let kinds: Vec<ParaKind> = t.paragraphs.iter().map(|p| p.kind).collect();
        assert_eq!(
            kinds,
            vec![
                ParaKind::Headline,
                ParaKind::Body,
                ParaKind::Link,
                ParaKind::Headline,
                ParaKind::Body
            ]
        );
    }
}
