use super::*;

fn lenient(text: &str) -> ConllScores {
    score_conlleval(text, Path::new("t.txt"), ChunkMode::Lenient).expect("valid input")
}

fn strict(text: &str, scheme: Scheme) -> ConllScores {
    score_conlleval(text, Path::new("t.txt"), ChunkMode::Strict(scheme)).expect("valid input")
}

fn counts(gold: usize, guessed: usize, correct: usize) -> ChunkCounts {
    ChunkCounts {
        gold,
        guessed,
        correct,
    }
}

#[test]
fn i_after_o_starts_a_chunk_in_lenient_mode_only() {
    let text = "a O O\nb I-PER I-PER\nc I-PER I-PER\nd O O\n";
    assert_eq!(lenient(text).overall, counts(1, 1, 1));
    assert_eq!(strict(text, Scheme::Iob2).overall, counts(0, 0, 0));
}

#[test]
fn type_switch_splits_a_chunk() {
    let text = "a B-PER B-PER\nb I-PER I-LOC\n";
    let s = lenient(text);
    assert_eq!(s.overall, counts(1, 2, 0));
    assert_eq!(s.types["LOC"], counts(0, 1, 0));
    assert_eq!(s.types["PER"], counts(1, 1, 0));
    let s = strict(text, Scheme::Iob2);
    assert_eq!(s.overall, counts(1, 1, 0));
}

#[test]
fn lines_and_columns_borrow_from_the_input() {
    let text = b"  tok\tNN  B-NP\tI-NP \r\n\nx\x01y  O O\nlast-line-without-newline O\x0bB";
    let lines: Vec<Line<'_>> = Lines::new(text).collect();
    assert_eq!(lines.len(), 4);
    let c = lines[0].cols;
    assert_eq!((lines[0].number, c.count), (1, 4));
    assert_eq!(
        (c.first, c.before_last, c.last),
        (&b"tok"[..], &b"B-NP"[..], &b"I-NP"[..])
    );
    assert_eq!(lines[0].raw, b"  tok\tNN  B-NP\tI-NP \r");
    assert_eq!((lines[1].cols.count, lines[1].raw), (0, &b""[..]));
    assert_eq!(
        (lines[2].cols.count, lines[2].cols.first),
        (3, &b"x\x01y"[..])
    );
    let c = lines[3].cols;
    assert_eq!(
        (lines[3].number, c.count, c.before_last, c.last),
        (4, 3, &b"O"[..], &b"B"[..])
    );
    assert_eq!(Lines::new(b"").count(), 0);
    assert_eq!(Lines::new(b"\n").count(), 1);
    assert_eq!(Lines::new(b"a\n").count(), 1);
}

#[test]
fn delimiters_match_a_bytewise_scan() {
    let text: Vec<u8> = (0u16..700).map(|i| (i * 37 % 256) as u8).collect();
    for len in [0, 1, 7, 8, 9, 63, 64, 65, 700] {
        let slice = &text[..len];
        let found: Vec<usize> = Delimiters {
            bytes: slice,
            next_word: 0,
            base: 0,
            mask: 0,
        }
        .collect();
        let expected: Vec<usize> = (0..len).filter(|&i| slice[i] <= 0x20).collect();
        assert_eq!(found, expected, "len {len}");
    }
}

#[test]
fn interner_switches_to_a_map() {
    let names: Vec<String> = (0..100).map(|i| format!("T{i}")).collect();
    let mut interner = Interner::new();
    let ids: Vec<u32> = names
        .iter()
        .map(|n| interner.intern(n.as_bytes()))
        .collect();
    let again: Vec<u32> = names
        .iter()
        .map(|n| interner.intern(n.as_bytes()))
        .collect();
    assert_eq!(ids, again);
    assert_eq!(ids, (1..=100).collect::<Vec<u32>>());
}
