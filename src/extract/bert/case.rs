//! Case classes: the token_type_ids of a model trained with `case_features` (shared contract with
//! training/ner_common.py, `word_case_class` / `piece_case_class`).
//!
//! 0 is for special tokens ([CLS], [SEP], [PAD]). Any other piece is classed by its enclosing
//! word: its char span in the original text, extended left while its first char and the chars
//! before are alphanumeric, and right while its last char and the chars after are alphanumeric
//! (the maximal run of `char::is_alphanumeric` chars containing it; a piece with no alphanumeric
//! char is its own word). Over the letters (`char::is_alphabetic`) of that word: 1 no letters,
//! 2 all lowercase, 3 first letter uppercase and the rest lowercase (a single uppercase letter
//! included), 4 all uppercase with at least two letters, 5 anything else. Letters that are
//! neither upper- nor lowercase count as lowercase.

pub const CASE_SPECIAL: u8 = 0;
pub const CASE_NO_LETTER: u8 = 1;
pub const CASE_LOWER: u8 = 2;
pub const CASE_TITLE: u8 = 3;
pub const CASE_UPPER: u8 = 4;
pub const CASE_MIXED: u8 = 5;
/// The type vocabulary a model needs for case features.
pub const NUM_CASE_CLASSES: usize = 6;

/// The case class of a whole word.
pub fn case_class(word: &str) -> u8 {
    let mut letters = word
        .chars()
        .filter(|c| c.is_alphabetic())
        .map(char::is_uppercase);
    let Some(first_upper) = letters.next() else {
        return CASE_NO_LETTER;
    };
    let (mut count, mut rest_upper, mut rest_lower) = (1usize, 0usize, 0usize);
    for upper in letters {
        count += 1;
        if upper {
            rest_upper += 1;
        } else {
            rest_lower += 1;
        }
    }
    if !first_upper && rest_upper == 0 {
        CASE_LOWER
    } else if first_upper && rest_upper == 0 {
        CASE_TITLE
    } else if first_upper && rest_lower == 0 && count >= 2 {
        CASE_UPPER
    } else {
        CASE_MIXED
    }
}

/// The case class of the piece covering `chars[start..end]` (char indices into the original text).
pub fn piece_case_class(chars: &[char], start: usize, end: usize) -> u8 {
    if end <= start || end > chars.len() {
        return CASE_NO_LETTER;
    }
    let (mut s, mut e) = (start, end);
    if chars[s].is_alphanumeric() {
        while s > 0 && chars[s - 1].is_alphanumeric() {
            s -= 1;
        }
    }
    if chars[e - 1].is_alphanumeric() {
        while e < chars.len() && chars[e].is_alphanumeric() {
            e += 1;
        }
    }
    let word: String = chars[s..e].iter().collect();
    case_class(&word)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn word_classes() {
        assert_eq!(case_class("Putin"), CASE_TITLE);
        assert_eq!(case_class("NATO"), CASE_UPPER);
        assert_eq!(case_class("McDonald"), CASE_MIXED);
        assert_eq!(case_class("iPhone"), CASE_MIXED);
        assert_eq!(case_class("U.S."), CASE_UPPER);
        assert_eq!(case_class("2025"), CASE_NO_LETTER);
        assert_eq!(case_class("’s"), CASE_LOWER);
        assert_eq!(case_class("Zelenskyy’s"), CASE_TITLE);
        assert_eq!(case_class("A"), CASE_TITLE);
        assert_eq!(case_class("said"), CASE_LOWER);
        assert_eq!(case_class("Éric"), CASE_TITLE);
        // Letters without case (CJK) count as lowercase.
        assert_eq!(case_class("北京"), CASE_LOWER);
        assert_eq!(case_class("X北"), CASE_TITLE);
    }

    #[test]
    fn pieces_take_the_class_of_their_word() {
        let chars: Vec<char> = "McDonald’s U.S. 2025s".chars().collect();
        // "don" inside "McDonald"
        assert_eq!(piece_case_class(&chars, 2, 5), CASE_MIXED);
        // the apostrophe is its own word; the "s" after it is a word of its own
        assert_eq!(piece_case_class(&chars, 8, 9), CASE_NO_LETTER);
        assert_eq!(piece_case_class(&chars, 9, 10), CASE_LOWER);
        // "U" and "S" of "U.S." are single capitals
        assert_eq!(piece_case_class(&chars, 11, 12), CASE_TITLE);
        assert_eq!(piece_case_class(&chars, 12, 13), CASE_NO_LETTER);
        // "##s" of "2025s": the word is "2025s"
        assert_eq!(piece_case_class(&chars, 20, 21), CASE_LOWER);
    }
}
