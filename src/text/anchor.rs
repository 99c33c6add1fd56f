//! Placing items a system gave by text alone (a language model's answer: quote text, entity
//! strings, no offsets) into the verbatim article, in three steps:
//!
//! 1. **exact**: the text as written, as a whole word or phrase (no letter or digit on either
//!    side of it);
//! 2. **normalised**: after curly and straight quotation marks, apostrophes and primes, dashes
//!    and hyphens, and runs of whitespace (no-break spaces included) are each made one form, on
//!    both sides, offsets mapped back to the verbatim text;
//! 3. **approximate**: the stretch of the article most similar to the text, at or above
//!    [`MIN_SIMILARITY_SHORT`] (texts of up to four words, by characters: normalised
//!    Levenshtein similarity, `strsim`) or [`MIN_SIMILARITY_LONG`] (longer texts, by words:
//!    1 - word edit distance / the longer length), lowercased and normalised as in step 2.
//!
//! Where a text occurs more than once, the first occurrence at or after the caller's position
//! that no item of the same layer took yet wins (items listed in document order land in order),
//! else the first free one anywhere. A text found by none of the steps is not placed at all: the
//! caller counts it as a false positive, never drops it.

use crate::annotation::{Anchoring, Article, Span};

/// The least similarity at which a text of up to four words is placed approximately.
pub const MIN_SIMILARITY_SHORT: f64 = 0.85;
/// The least similarity at which a longer text is placed approximately.
pub const MIN_SIMILARITY_LONG: f64 = 0.80;
/// Texts of up to this many words are compared by characters.
const SHORT_WORDS: usize = 4;

/// One form for each family of characters that writers and models exchange freely.
fn normal(c: char) -> char {
    match c {
        '“' | '”' | '„' | '‟' | '«' | '»' | '″' | '〝' | '〞' | '＂' => '"',
        '‘' | '’' | '‚' | '‛' | '′' | '`' | '´' | '＇' => '\'',
        '‐' | '‑' | '‒' | '–' | '—' | '―' | '−' | '﹘' | '﹣' | '－' => '-',
        c if c.is_whitespace() => ' ',
        c => c,
    }
}

/// `text` normalised, with the index in `text` (in chars) of each normalised char; runs of
/// whitespace become one space.
fn normalise(text: impl Iterator<Item = char>) -> (Vec<char>, Vec<usize>) {
    let (mut out, mut at) = (Vec::new(), Vec::new());
    for (i, c) in text.enumerate() {
        let n = normal(c);
        if n == ' ' && out.last() == Some(&' ') {
            continue;
        }
        out.push(n);
        at.push(i);
    }
    (out, at)
}

fn is_word(c: char) -> bool {
    c.is_alphanumeric()
}

/// The steps that place a text as written (exact, then normalised), each tried only when the
/// one before found nothing.
type Step = fn(&Anchorer, &[char]) -> Vec<Span>;
const WRITTEN_STEPS: [(Step, Anchoring); 2] = [
    (Anchorer::exact, Anchoring::Exact),
    (Anchorer::normalised, Anchoring::Normalised),
];

/// An article prepared for anchoring.
pub struct Anchorer {
    chars: Vec<char>,
    norm: Vec<char>,
    /// `norm[i]` is `chars[norm_at[i]]`, normalised.
    norm_at: Vec<usize>,
    /// Words (alphanumeric runs) as spans of `chars`, and their lowercased text.
    words: Vec<(Span, String)>,
}

impl Anchorer {
    pub fn new(article: &Article) -> Anchorer {
        let chars: Vec<char> = article.text().chars().collect();
        let (norm, norm_at) = normalise(chars.iter().copied());
        let mut words = Vec::new();
        let mut i = 0;
        while i < chars.len() {
            if is_word(chars[i]) {
                let start = i;
                while i < chars.len() && is_word(chars[i]) {
                    i += 1;
                }
                let text: String = chars[start..i]
                    .iter()
                    .flat_map(|c| c.to_lowercase())
                    .collect();
                words.push((Span::new(start, i), text));
            } else {
                i += 1;
            }
        }
        Anchorer {
            chars,
            norm,
            norm_at,
            words,
        }
    }

    /// Places `text`: the first free occurrence at or after `from`, else the first free one,
    /// by the first step that finds any. `taken` are the spans this layer already holds.
    pub fn place(&self, text: &str, from: usize, taken: &[Span]) -> Option<(Span, Anchoring)> {
        if let Some(placed) = self.place_written(text, from, taken) {
            return Some(placed);
        }
        let free = |s: &Span| !taken.iter().any(|t| t.overlaps(s) || *t == *s);
        let (span, score) = self.approximate(text.trim(), from, &free)?;
        Some((span, Anchoring::Approximate { score }))
    }

    /// Places a quote's content given by text in pieces (one piece, or its fragments): each
    /// after the previous one, tried as written (a corpus's content may keep its marks), else
    /// without the quotation marks a model put around it. The whole quote is placed, in text
    /// order, or none of it; its anchoring is its least sure piece's.
    pub fn place_pieces(
        &self,
        texts: &[&str],
        from: usize,
        taken: &[Span],
    ) -> Option<(Vec<Span>, Anchoring)> {
        let (mut pieces, mut least) = (Vec::with_capacity(texts.len()), Anchoring::Exact);
        let mut from = from;
        for text in texts {
            let (span, how) = self
                .place_written(text, from, taken)
                .or_else(|| self.place(strip_quotation_marks(text), from, taken))?;
            from = span.end;
            pieces.push(span);
            least = least.least_sure(how);
        }
        let in_order = pieces.windows(2).all(|w| w[0].end <= w[1].start);
        (!pieces.is_empty() && in_order).then_some((pieces, least))
    }

    /// Places a quote's cue or source given by text: of the occurrences found by the first step
    /// that finds any (exact, then normalised), the one nearest to the quote `around` that lies
    /// outside `inside` (the quote's own content). No approximate step: a cue is a word or two.
    pub fn place_near(&self, text: &str, around: Span, inside: &[Span]) -> Option<Span> {
        let needle: Vec<char> = text.trim().chars().collect();
        if needle.is_empty() {
            return None;
        }
        let gap = |s: &Span| {
            if s.end <= around.start {
                around.start - s.end
            } else {
                s.start.saturating_sub(around.end)
            }
        };
        let outside = |s: &Span| !inside.iter().any(|p| p.overlaps(s));
        // A source or cue is in the quote's paragraph as a rule: nearest there first.
        let apart = |s: &Span| {
            let (from, to) = if s.end <= around.start {
                (s.end, around.start)
            } else {
                (around.end.min(s.start), s.start)
            };
            self.chars[from..to].contains(&'\n')
        };
        for (find, _) in WRITTEN_STEPS {
            if let Some(best) = find(self, &needle)
                .into_iter()
                .filter(outside)
                .min_by_key(|s| (apart(s), gap(s)))
            {
                return Some(best);
            }
        }
        None
    }

    /// [`Anchorer::place`] without the approximate step: the text as written or normalised.
    pub fn place_written(
        &self,
        text: &str,
        from: usize,
        taken: &[Span],
    ) -> Option<(Span, Anchoring)> {
        let needle: Vec<char> = text.trim().chars().collect();
        if needle.is_empty() {
            return None;
        }
        let free = |s: &Span| !taken.iter().any(|t| t.overlaps(s) || *t == *s);
        for (find, how) in WRITTEN_STEPS {
            let found = find(self, &needle);
            let pick = found
                .iter()
                .find(|s| s.start >= from && free(s))
                .or_else(|| found.iter().find(|s| free(s)));
            if let Some(span) = pick {
                return Some((*span, how));
            }
        }
        None
    }

    /// Whole-word occurrences of `needle` in the verbatim text.
    fn exact(&self, needle: &[char]) -> Vec<Span> {
        occurrences(&self.chars, needle)
            .into_iter()
            .map(|i| Span::new(i, i + needle.len()))
            .filter(|s| self.whole(*s))
            .collect()
    }

    /// Occurrences after normalising both sides, as spans of the verbatim text.
    fn normalised(&self, needle: &[char]) -> Vec<Span> {
        let (needle, _) = normalise(needle.iter().copied());
        if needle.is_empty() {
            return Vec::new();
        }
        occurrences(&self.norm, &needle)
            .into_iter()
            .map(|i| Span::new(self.norm_at[i], self.norm_at[i + needle.len() - 1] + 1))
            .filter(|s| self.whole(*s))
            .collect()
    }

    /// The most similar run of words, if similar enough (ties: the first free one at or after
    /// `from`, else the first free one).
    fn approximate(
        &self,
        text: &str,
        from: usize,
        free: &dyn Fn(&Span) -> bool,
    ) -> Option<(Span, f64)> {
        let (norm, _) = normalise(text.chars());
        let lower: String = norm.iter().flat_map(|c| c.to_lowercase()).collect();
        let needle: Vec<&str> = lower
            .split(|c: char| !is_word(c))
            .filter(|w| !w.is_empty())
            .collect();
        let m = needle.len();
        if m == 0 || self.words.is_empty() {
            return None;
        }
        let short = m <= SHORT_WORDS;
        let joined = needle.join(" ");
        let slack = if short { 1 } else { (m / 10).max(1) };
        let mut best: Option<(Span, f64, bool)> = None;
        for len in m.saturating_sub(slack).max(1)..=m + slack {
            for start in 0..self.words.len().saturating_sub(len - 1) {
                let window = &self.words[start..start + len];
                let span = Span::new(window[0].0.start, window[len - 1].0.end);
                if !free(&span) {
                    continue;
                }
                let score = if short {
                    let candidate: Vec<&str> = window.iter().map(|(_, w)| w.as_str()).collect();
                    strsim::normalized_levenshtein(&joined, &candidate.join(" "))
                } else {
                    let candidate: Vec<&str> = window.iter().map(|(_, w)| w.as_str()).collect();
                    let distance = strsim::generic_levenshtein(&needle, &candidate);
                    1.0 - distance as f64 / m.max(len) as f64
                };
                let after = span.start >= from;
                let better = match best {
                    None => true,
                    Some((_, b, b_after)) => score > b || (score == b && after && !b_after),
                };
                if better {
                    best = Some((span, score, after));
                }
            }
        }
        let (span, score, _) = best?;
        let floor = if short {
            MIN_SIMILARITY_SHORT
        } else {
            MIN_SIMILARITY_LONG
        };
        (score >= floor).then_some((span, score))
    }

    /// No letter or digit continues the span on either side (where its own edge is one).
    fn whole(&self, s: Span) -> bool {
        let c = &self.chars;
        let left = s.start == 0 || !is_word(c[s.start]) || !is_word(c[s.start - 1]);
        let right = s.end >= c.len() || !is_word(c[s.end - 1]) || !is_word(c[s.end]);
        left && right
    }
}

/// Start indices of `needle` in `hay` (overlapping ones too).
fn occurrences(hay: &[char], needle: &[char]) -> Vec<usize> {
    if needle.is_empty() || needle.len() > hay.len() {
        return Vec::new();
    }
    (0..=hay.len() - needle.len())
        .filter(|&i| hay[i] == needle[0] && hay[i..i + needle.len()] == *needle)
        .collect()
}

/// A quote's text as a model tends to write it, without the quotation marks around it (the
/// content of a quote excludes them) or the whitespace.
pub fn strip_quotation_marks(text: &str) -> &str {
    let text = text.trim();
    // Only a text that opens with a mark is wrapped in marks; a mixed quote ends in one of its
    // own ("the talks as “useful”"), which is content.
    if text.chars().next().is_some_and(|c| normal(c) == '"') {
        text.trim_matches(|c: char| normal(c) == '"' || c.is_whitespace())
    } else {
        text
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const TEXT: &str =
        "“We will win,” Trump said — in Détroit. Trump’s aide said the\u{a0}plan was \
                        “a disaster.” Zelenskyy met Trump.";

    fn placed(text: &str, from: usize) -> Option<(String, Anchoring)> {
        let article = Article::new("a", TEXT);
        let anchorer = Anchorer::new(&article);
        anchorer
            .place(text, from, &[])
            .map(|(span, how)| (article.slice(span).to_string(), how))
    }

    #[test]
    fn exact_then_normalised_then_approximate() {
        assert_eq!(
            placed("Détroit", 0),
            Some(("Détroit".into(), Anchoring::Exact))
        );
        // Straight marks and an ordinary space for the no-break one.
        assert_eq!(
            placed("the plan was \"a disaster.\"", 0),
            Some((
                "the\u{a0}plan was “a disaster.”".into(),
                Anchoring::Normalised
            ))
        );
        assert_eq!(
            placed("Trump's aide", 0),
            Some(("Trump’s aide".into(), Anchoring::Normalised))
        );
        let (text, how) = placed("Zelensky", 0).unwrap();
        assert_eq!(text, "Zelenskyy");
        assert!(matches!(how, Anchoring::Approximate { score } if score > 0.85));
        let (text, how) = placed("Trump's aide said that the plan was a disaster", 0).unwrap();
        assert_eq!(text, "Trump’s aide said the\u{a0}plan was “a disaster");
        assert!(matches!(how, Anchoring::Approximate { .. }), "{how:?}");
        assert_eq!(placed("Vladimir Putin", 0), None);
        assert_eq!(placed("a quote nobody ever said in this text", 0), None);
    }

    #[test]
    fn whole_words_in_document_order_skipping_taken_spans() {
        let article = Article::new("a", TEXT);
        let a = Anchorer::new(&article);
        let first = a.place("Trump", 0, &[]).unwrap().0;
        let second = a.place("Trump", first.end, &[first]).unwrap().0;
        let third = a.place("Trump", second.end, &[first, second]).unwrap().0;
        assert!(first.start < second.start && second.start < third.start);
        // A source named near a quote: the nearest occurrence, not the first.
        let quote = article.occurrences("a disaster.")[0];
        let source = a.place_near("Trump", quote, &[quote]).unwrap();
        assert_eq!(
            source, third,
            "the nearest Trump (after the quote), not the first"
        );
        // A fourth "Trump" has no free place: found approximately nowhere either.
        assert_eq!(a.place("Trump", third.end, &[first, second, third]), None);
        // "in" is not found inside "win".
        assert_eq!(article.slice(a.place("in", 0, &[]).unwrap().0), "in");
        assert!(a.place("in", 0, &[]).unwrap().0.start > 20);
    }

    #[test]
    fn quotation_marks_around_a_quote_are_not_its_content() {
        assert_eq!(strip_quotation_marks(" “We will win,” "), "We will win,");
        assert_eq!(strip_quotation_marks("\"a disaster.\""), "a disaster.");
        assert_eq!(
            strip_quotation_marks("the talks as “useful”"),
            "the talks as “useful”"
        );
    }
}
