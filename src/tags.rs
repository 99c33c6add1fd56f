//! Chunk tags (BIO / IOB1 / IOB2 / IOBES, and BILOU) and the one chunking rule: conlleval's.
//!
//! Three places turn a row of tags into chunks: the rust-bert backend (a model's labels, per
//! word: `extract::bert::decode`), CoNLL scoring (`score::conll`) and CoNLL import
//! (`format::conll`). They all chunk with [`start_of_chunk`] / [`end_of_chunk`] (conlleval's
//! `startOfChunk` / `endOfChunk`, with the `E-`/`S-` rules of its common ports), through
//! [`Chunker`] where they want the chunks themselves. So an `I-` after `O` or after another
//! type starts a chunk, a type switch splits one, `E-` and `S-` close one, and `O` ends one.
//!
//! What differs between them is only how a tag is *written*, on purpose, and it is a choice of
//! function here, not a second reading:
//! - [`split_conll`]: a CoNLL file's tags, as conlleval reads them: `O`, or `B-`, `I-`, `E-`,
//!   `S-` and a type (the prefix ends at the first `-`). Anything else is for the caller to
//!   refuse (scoring names the line; import accepts `O`, `B-` and `I-` only).
//! - [`split_label`]: a model's label names (config.json `id2label`), which come in every
//!   dialect: `-` or `_` after the prefix, `E`/`L` and `S`/`U`, and bare types (IO tagging)
//!   read as `I-`. Nothing is refused.
//!
//! seqeval's strict mode (valid sequences only) is a different rule, kept by `score::conll`.

/// The position a tag marks within a chunk.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Tag {
    /// O.
    Outside,
    /// B-: starts a chunk.
    Begin,
    /// I-, or a bare type: continues a chunk of its type, or starts one.
    Inside,
    /// E- / L-: continues (or starts) a chunk and ends it.
    End,
    /// S- / U-: a one-token chunk.
    Single,
}

/// A tag with its chunk type (any id the caller chooses; the type of [`Tag::Outside`] is never
/// looked at).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Typed<T> {
    pub tag: Tag,
    pub ty: T,
}

/// conlleval's `endOfChunk`: did a chunk end between `prev` and `cur`?
#[inline]
pub fn end_of_chunk<T: PartialEq>(prev: &Typed<T>, cur: &Typed<T>) -> bool {
    match prev.tag {
        Tag::End | Tag::Single => true,
        Tag::Begin | Tag::Inside => {
            matches!(cur.tag, Tag::Begin | Tag::Single | Tag::Outside) || prev.ty != cur.ty
        }
        Tag::Outside => false,
    }
}

/// conlleval's `startOfChunk`: did a chunk start between `prev` and `cur`?
#[inline]
pub fn start_of_chunk<T: PartialEq>(prev: &Typed<T>, cur: &Typed<T>) -> bool {
    match cur.tag {
        Tag::Begin | Tag::Single => true,
        Tag::Inside | Tag::End => {
            matches!(prev.tag, Tag::End | Tag::Single | Tag::Outside) || prev.ty != cur.ty
        }
        Tag::Outside => false,
    }
}

/// A CoNLL tag as conlleval reads it: `O` -> (Outside, ""), `B-PER` -> (Begin, "PER"), the prefix
/// ending at the first `-` (`B-I-X` has type `I-X`). `None` for anything else (`X-PER`, `B`,
/// `[`); the type may be empty (`B-`), which the caller judges.
#[inline]
pub fn split_conll(raw: &[u8]) -> Option<(Tag, &[u8])> {
    let tag = match raw {
        b"O" => return Some((Tag::Outside, b"")),
        [b'B', b'-', ..] => Tag::Begin,
        [b'I', b'-', ..] => Tag::Inside,
        [b'E', b'-', ..] => Tag::End,
        [b'S', b'-', ..] => Tag::Single,
        _ => return None,
    };
    Some((tag, &raw[2..]))
}

/// [`split_conll`] of a `&str`.
pub fn split_conll_str(raw: &str) -> Option<(Tag, &str)> {
    // The prefix is two ASCII bytes, so the rest starts on a char boundary.
    split_conll(raw.as_bytes())
        .map(|(tag, _)| (tag, if tag == Tag::Outside { "" } else { &raw[2..] }))
}

/// A model label name: "B-PER" -> (Begin, "PER"), "U_ORG" -> (Single, "ORG"), "PER" -> (Inside,
/// "PER"), "O" or "" -> (Outside, "").
pub fn split_label(label: &str) -> (Tag, &str) {
    if label == "O" || label.is_empty() {
        return (Tag::Outside, "");
    }
    if let Some((prefix, rest)) = label.split_once(['-', '_']) {
        let tag = match prefix {
            "B" => Some(Tag::Begin),
            "I" => Some(Tag::Inside),
            "E" | "L" => Some(Tag::End),
            "S" | "U" => Some(Tag::Single),
            _ => None,
        };
        if let Some(tag) = tag {
            if !rest.is_empty() {
                return (tag, rest);
            }
        }
    }
    (Tag::Inside, label)
}

/// A chunk: tokens `start..end` of type `ty`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Chunk<T> {
    pub start: usize,
    pub end: usize,
    pub ty: T,
}

/// conlleval's chunking, one token at a time: feed every token's tag with [`Chunker::step`]
/// (and a boundary, such as a sentence or line break, with [`Chunker::boundary`]), then
/// [`Chunker::finish`]; each returns the chunk that ended there, if any.
#[derive(Debug, Clone)]
pub struct Chunker<T> {
    prev: Typed<T>,
    /// Where the open chunk started (a chunk is open exactly when `prev` is not O).
    start: usize,
}

impl<T: Copy + PartialEq> Chunker<T> {
    /// `outside_ty`: any value of `T`; it is the type of the O before the first token.
    pub fn new(outside_ty: T) -> Chunker<T> {
        Chunker {
            prev: Typed {
                tag: Tag::Outside,
                ty: outside_ty,
            },
            start: 0,
        }
    }

    /// Token `at` has tag `cur`.
    #[inline]
    pub fn step(&mut self, at: usize, cur: Typed<T>) -> Option<Chunk<T>> {
        let done = end_of_chunk(&self.prev, &cur).then_some(Chunk {
            start: self.start,
            end: at,
            ty: self.prev.ty,
        });
        if start_of_chunk(&self.prev, &cur) {
            self.start = at;
        }
        self.prev = cur;
        done
    }

    /// A break before token `at`: whatever is open ends there (an O without a token).
    pub fn boundary(&mut self, at: usize) -> Option<Chunk<T>> {
        let ty = self.prev.ty;
        self.step(
            at,
            Typed {
                tag: Tag::Outside,
                ty,
            },
        )
    }

    /// The end of the input at token `at`.
    pub fn finish(mut self, at: usize) -> Option<Chunk<T>> {
        self.boundary(at)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn chunks(tags: &[&str]) -> Vec<(usize, usize, String)> {
        let mut c = Chunker::new("");
        let mut out = Vec::new();
        for (i, t) in tags.iter().enumerate() {
            let (tag, ty) = split_conll_str(t).unwrap();
            out.extend(c.step(i, Typed { tag, ty }));
        }
        out.extend(c.finish(tags.len()));
        out.into_iter()
            .map(|c| (c.start, c.end, c.ty.to_string()))
            .collect()
    }

    #[test]
    fn conlleval_chunks() {
        let c = |s: usize, e: usize, t: &str| (s, e, t.to_string());
        // I after O starts a chunk; a type switch splits one.
        assert_eq!(
            chunks(&["I-PER", "I-PER", "I-LOC", "O", "B-ORG", "I-ORG"]),
            vec![c(0, 2, "PER"), c(2, 3, "LOC"), c(4, 6, "ORG")]
        );
        // B splits; E and S close.
        assert_eq!(
            chunks(&["B-PER", "B-PER", "E-PER", "I-PER", "S-LOC", "E-LOC"]),
            vec![
                c(0, 1, "PER"),
                c(1, 3, "PER"),
                c(3, 4, "PER"),
                c(4, 5, "LOC"),
                c(5, 6, "LOC")
            ]
        );
    }

    #[test]
    fn tag_syntaxes() {
        assert_eq!(split_conll(b"B-I-X"), Some((Tag::Begin, b"I-X".as_slice())));
        assert_eq!(split_conll(b"B-"), Some((Tag::Begin, b"".as_slice())));
        assert_eq!(split_conll(b"X-PER"), None);
        assert_eq!(split_conll(b"B_PER"), None);
        assert_eq!(split_conll_str("O"), Some((Tag::Outside, "")));
        assert_eq!(split_label("B_PER"), (Tag::Begin, "PER"));
        assert_eq!(split_label("L-PER"), (Tag::End, "PER"));
        assert_eq!(split_label("PER"), (Tag::Inside, "PER"));
        assert_eq!(split_label("B-"), (Tag::Inside, "B-"));
    }
}
