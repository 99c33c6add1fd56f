//! Long documents: splitting an article's word pieces into model windows.
//!
//! Paragraphs (lines) are the natural unit of a news article: a window boundary between two
//! paragraphs costs no context worth paying for. So consecutive paragraphs that fit are packed
//! whole into windows of at most `content` (= window - 2) pieces, without overlap. A paragraph
//! longer than a window is cut into consecutive *cores* that partition its pieces, each at most
//! `content - overlap` long; a cut goes at the strongest break (a sentence start, else a word
//! start, else a pre-token start) in the last quarter of the allowed range, as late as possible.
//! Each core's *window* is the core plus context on both sides from the same paragraph, filled to
//! `content` pieces and balanced, so every core piece has at least `overlap / 2` pieces of context
//! on each side (except at the paragraph's ends). A piece takes its label only from the window
//! whose core holds it, the window in which it sits farthest from an edge, so no piece is labelled
//! twice or not at all; entities are decoded afterwards over the whole article's label sequence,
//! so an entity that crosses a core boundary is neither cut nor duplicated.

/// How good a place a piece is to start a new core (higher is better).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Break {
    /// Inside a word ("##" continuation or glued to the previous piece's word).
    None,
    /// A new pre-token glued to the previous one ("Putin" | ",").
    Token,
    /// After whitespace.
    Word,
    /// The first piece of a sentence.
    Sentence,
    /// The first piece of a line (paragraph).
    Line,
}

/// One model window over pieces `[start, end)`, labelling pieces `[core_start, core_end)`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Window {
    pub start: usize,
    pub end: usize,
    pub core_start: usize,
    pub core_end: usize,
}

impl Window {
    pub fn len(&self) -> usize {
        self.end - self.start
    }

    pub fn is_empty(&self) -> bool {
        self.end <= self.start
    }

    /// The smaller distance of the core's pieces to the window's edges (their least context).
    pub fn min_context(&self) -> usize {
        (self.core_start - self.start).min(self.end - self.core_end)
    }
}

/// Plans the windows over `breaks.len()` pieces (`breaks[i]`: how good piece `i` is as a cut;
/// [`Break::Line`] starts a paragraph). `content`: pieces per window; `overlap`: the least total
/// context per window inside a long paragraph. Panics unless `overlap < content`.
pub fn plan(breaks: &[Break], content: usize, overlap: usize) -> Vec<Window> {
    assert!(
        overlap < content,
        "overlap {overlap} must be smaller than the window ({content})"
    );
    let n = breaks.len();
    let mut out = Vec::new();
    let mut pack: Option<(usize, usize)> = None;
    let flush = |pack: &mut Option<(usize, usize)>, out: &mut Vec<Window>| {
        if let Some((s, e)) = pack.take() {
            out.push(Window {
                start: s,
                end: e,
                core_start: s,
                core_end: e,
            });
        }
    };
    let mut s = 0;
    while s < n {
        let e = (s + 1..n).find(|&i| breaks[i] == Break::Line).unwrap_or(n);
        if e - s > content {
            flush(&mut pack, &mut out);
            out.extend(plan_paragraph(breaks, s, e, content, overlap));
        } else {
            match pack {
                Some((ps, _)) if e - ps <= content => pack = Some((ps, e)),
                _ => {
                    flush(&mut pack, &mut out);
                    pack = Some((s, e));
                }
            }
        }
        s = e;
    }
    flush(&mut pack, &mut out);
    out
}

/// The windows of a paragraph `[s0, e0)` longer than `content`: cores plus balanced context.
fn plan_paragraph(
    breaks: &[Break],
    s0: usize,
    e0: usize,
    content: usize,
    overlap: usize,
) -> Vec<Window> {
    let core_max = content - overlap;
    let mut cores = Vec::new();
    let mut s = s0;
    while s < e0 {
        let e = if e0 - s <= core_max {
            e0
        } else {
            cut(breaks, s, core_max)
        };
        cores.push((s, e));
        s = e;
    }
    cores
        .into_iter()
        .map(|(cs, ce)| {
            let extra = content - (ce - cs);
            let mut left = (cs - s0).min(extra / 2);
            let right = (e0 - ce).min(extra - left);
            left = (cs - s0).min(extra - right);
            Window {
                start: cs - left,
                end: ce + right,
                core_start: cs,
                core_end: ce,
            }
        })
        .collect()
}

/// The end of the core starting at `s`: the latest strongest break in the last quarter of
/// `(s, s + max]` (a shorter core costs a window sooner).
fn cut(breaks: &[Break], s: usize, core_max: usize) -> usize {
    let lo = s + (core_max - core_max / 4).max(1);
    let hi = s + core_max;
    let mut best = hi;
    let mut best_break = Break::None;
    for i in (lo..=hi).rev() {
        if breaks[i] > best_break {
            best_break = breaks[i];
            best = i;
            if best_break == Break::Line {
                break;
            }
        }
    }
    best
}

/// For each piece, the index of the window whose core holds it.
pub fn owners(windows: &[Window], n: usize) -> Vec<usize> {
    let mut owner = vec![usize::MAX; n];
    for (k, w) in windows.iter().enumerate() {
        for o in &mut owner[w.core_start..w.core_end] {
            *o = k;
        }
    }
    owner
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check(windows: &[Window], n: usize, content: usize, overlap: usize) {
        let mut next = 0;
        for w in windows {
            assert_eq!(w.core_start, next, "cores must be contiguous: {windows:?}");
            assert!(w.start <= w.core_start && w.core_start < w.core_end && w.core_end <= w.end);
            assert!(w.len() <= content);
            if n > content {
                assert_eq!(w.len(), content, "long articles get full windows: {w:?}");
                assert!(
                    w.core_start - w.start >= (overlap / 2).min(w.core_start),
                    "{w:?}"
                );
                assert!(
                    w.end - w.core_end >= (overlap / 2).min(n - w.core_end),
                    "{w:?}"
                );
            }
            next = w.core_end;
        }
        assert_eq!(next, n);
    }

    #[test]
    fn windows_partition_every_length() {
        for content in [3, 5, 14, 16, 126] {
            for overlap in [0, 1, 2, content / 2, content - 1] {
                for n in 0..(4 * content + 7) {
                    let breaks: Vec<Break> = (0..n)
                        .map(|i| {
                            if i % 7 == 0 {
                                Break::Sentence
                            } else {
                                Break::Word
                            }
                        })
                        .collect();
                    let w = plan(&breaks, content, overlap);
                    check(&w, n, content, overlap);
                    assert!(owners(&w, n).iter().all(|&o| o < w.len()));
                }
            }
        }
    }

    #[test]
    fn paragraphs_are_packed_whole_and_long_ones_windowed() {
        // Paragraphs of 3, 4, 10, 2 and 2 pieces; windows of 8.
        let mut breaks = vec![Break::Word; 21];
        for start in [0, 3, 7, 17, 19] {
            breaks[start] = Break::Line;
        }
        let w = plan(&breaks, 8, 2);
        let whole = |s, e| Window {
            start: s,
            end: e,
            core_start: s,
            core_end: e,
        };
        assert_eq!(w[0], whole(0, 7));
        assert_eq!(w.last(), Some(&whole(17, 21)));
        // The 10-piece paragraph: cores of at most 6, context from the paragraph only.
        let long: Vec<&Window> = w
            .iter()
            .filter(|x| x.core_start >= 7 && x.core_end <= 17)
            .collect();
        assert_eq!(long.len(), 2);
        assert!(long
            .iter()
            .all(|x| x.start >= 7 && x.end <= 17 && x.len() == 8));
        assert_eq!((long[0].core_start, long[1].core_end), (7, 17));
    }

    #[test]
    fn short_articles_are_one_window() {
        assert_eq!(
            plan(&[Break::Word; 5], 5, 2),
            vec![Window {
                start: 0,
                end: 5,
                core_start: 0,
                core_end: 5
            }]
        );
        assert!(plan(&[], 5, 2).is_empty());
    }

    #[test]
    fn cores_end_at_the_strongest_late_break() {
        let mut breaks = vec![Break::None; 40];
        breaks[6] = Break::Sentence; // too early (before the last quarter of the core)
        breaks[8] = Break::Sentence;
        breaks[9] = Break::Word;
        let w = plan(&breaks, 14, 4); // cores of at most 10
        assert_eq!((w[0].core_start, w[0].core_end), (0, 8));
        assert_eq!(
            w[0],
            Window {
                start: 0,
                end: 14,
                core_start: 0,
                core_end: 8
            }
        );
        // With no break at all, a core is as long as allowed.
        let w = plan(&[Break::None; 40], 14, 4);
        assert_eq!((w[0].core_end, w[1].core_end), (10, 20));
        assert_eq!(
            w[1],
            Window {
                start: 8,
                end: 22,
                core_start: 10,
                core_end: 20
            }
        );
    }
}
