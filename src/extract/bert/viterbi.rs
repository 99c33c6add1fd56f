//! Decoding constrained to valid chunk sequences: the most probable labels (the sum of their
//! log-probabilities) among the sequences in which every `I-X` (or `E-X`) continues a chunk of
//! type X, and, where the labels have `E-`/`S-`, every chunk that is open is closed. Argmax per
//! piece can give `O I-CONTENT I-CONTENT`, which conlleval's reading turns into a chunk that
//! begins where no model said so; here the sequence itself is made valid (as a CRF's Viterbi
//! does with learned transitions; these are the hard ones, so any token classifier can use it).

use super::decode::PieceLabel;
use crate::tags::Tag;

/// `probs`: `width` probabilities per piece (one softmax each); `tags`: each label's tag and
/// type (by label id, `width` of them). Returns one label per piece with its probability.
pub fn viterbi(probs: &[f32], width: usize, tags: &[(Tag, Option<usize>)]) -> Vec<PieceLabel> {
    if width == 0 || probs.is_empty() {
        return Vec::new();
    }
    debug_assert_eq!(tags.len(), width);
    debug_assert_eq!(probs.len() % width, 0);
    let n = probs.len() / width;
    let closing = tags
        .iter()
        .any(|(t, _)| matches!(t, Tag::End | Tag::Single));
    let open = |l: usize| matches!(tags[l].0, Tag::Begin | Tag::Inside);
    let allowed = |prev: Option<usize>, cur: usize| -> bool {
        let (tag, ty) = tags[cur];
        let continues = matches!(tag, Tag::Inside | Tag::End);
        match prev {
            None => !continues,
            Some(p) => {
                if continues {
                    open(p) && tags[p].1 == ty
                } else {
                    !(closing && open(p))
                }
            }
        }
    };
    // A probability of 0 is a very unlikely label, not an impossible one.
    let ln = |p: f32| (p.max(1e-12) as f64).ln();
    let mut best = vec![f64::NEG_INFINITY; width];
    for (l, b) in best.iter_mut().enumerate() {
        if allowed(None, l) {
            *b = ln(probs[l]);
        }
    }
    let mut back = vec![0u8; n * width];
    for i in 1..n {
        let mut next = vec![f64::NEG_INFINITY; width];
        for cur in 0..width {
            let emit = ln(probs[i * width + cur]);
            for (prev, &score) in best.iter().enumerate() {
                if score == f64::NEG_INFINITY || !allowed(Some(prev), cur) {
                    continue;
                }
                if score + emit > next[cur] {
                    next[cur] = score + emit;
                    back[i * width + cur] = prev as u8;
                }
            }
        }
        best = next;
    }
    let mut last = (0..width)
        .filter(|&l| !(closing && open(l)) && best[l] > f64::NEG_INFINITY)
        .max_by(|&a, &b| best[a].total_cmp(&best[b]))
        .unwrap_or(0);
    let mut labels = vec![0usize; n];
    for i in (0..n).rev() {
        labels[i] = last;
        last = back[i * width + last] as usize;
    }
    labels
        .into_iter()
        .enumerate()
        .map(|(i, l)| PieceLabel {
            label: l as u32,
            prob: probs[i * width + l],
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// O, B-CONTENT, I-CONTENT, B-CUE, I-CUE
    const BIO: [(Tag, Option<usize>); 5] = [
        (Tag::Outside, None),
        (Tag::Begin, Some(0)),
        (Tag::Inside, Some(0)),
        (Tag::Begin, Some(1)),
        (Tag::Inside, Some(1)),
    ];

    fn decode(rows: &[[f32; 5]]) -> Vec<u32> {
        let probs: Vec<f32> = rows.iter().flatten().copied().collect();
        viterbi(&probs, 5, &BIO).iter().map(|l| l.label).collect()
    }

    #[test]
    fn a_valid_argmax_sequence_is_kept() {
        let rows = [
            [0.9, 0.05, 0.02, 0.02, 0.01],
            [0.1, 0.8, 0.05, 0.03, 0.02],
            [0.1, 0.1, 0.7, 0.05, 0.05],
            [0.1, 0.0, 0.0, 0.85, 0.05],
        ];
        assert_eq!(decode(&rows), [0, 1, 2, 3]);
    }

    #[test]
    fn an_inside_after_outside_becomes_the_likelier_valid_sequence() {
        // Argmax: O I-CONTENT I-CONTENT. Valid: O B-CONTENT I-CONTENT (B has 0.35 at piece 2).
        let rows = [
            [0.9, 0.05, 0.02, 0.02, 0.01],
            [0.1, 0.35, 0.5, 0.03, 0.02],
            [0.1, 0.05, 0.8, 0.03, 0.02],
        ];
        assert_eq!(decode(&rows), [0, 1, 2]);
        // The first piece may not be inside a chunk either.
        let rows = [[0.1, 0.3, 0.6, 0.0, 0.0], [0.1, 0.1, 0.8, 0.0, 0.0]];
        assert_eq!(decode(&rows), [1, 2]);
    }

    #[test]
    fn an_inside_of_another_type_cannot_continue_a_chunk() {
        // Argmax: B-CUE I-CONTENT: the content's I- may not follow a cue.
        let rows = [[0.05, 0.05, 0.05, 0.8, 0.05], [0.2, 0.1, 0.45, 0.05, 0.2]];
        let got = decode(&rows);
        assert_eq!(got[0], 3);
        assert_ne!(got[1], 2, "{got:?}");
        // Each pair is valid.
        for w in got.windows(2) {
            let (t, ty) = BIO[w[1] as usize];
            if t == Tag::Inside {
                assert_eq!(BIO[w[0] as usize].1, ty);
            }
        }
    }

    #[test]
    fn iobes_chunks_are_closed() {
        // O, B-X, I-X, E-X, S-X
        let tags = [
            (Tag::Outside, None),
            (Tag::Begin, Some(0)),
            (Tag::Inside, Some(0)),
            (Tag::End, Some(0)),
            (Tag::Single, Some(0)),
        ];
        // Argmax B-X O: an opened chunk must end, so B becomes S (or O follows E...).
        let probs = [0.0, 0.6, 0.0, 0.0, 0.4, 0.9, 0.0, 0.05, 0.05, 0.0];
        let got: Vec<u32> = viterbi(&probs, 5, &tags).iter().map(|l| l.label).collect();
        assert_eq!(got, [4, 0]);
        assert!(viterbi(&[], 5, &tags).is_empty());
    }
}
