//! The report's words as search folds them ([`crate::text::tokens`]: case, diacritics,
//! Arabic letter variants, Arabic-Indic digits), each with the byte range it came from,
//! so that a match on folded text cites the original text exactly.

use std::ops::Range;

use unicode_normalization::char::is_combining_mark;

/// One word of the report.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Token {
    /// Folded, without the Arabic article (as search queries are folded).
    pub key: String,
    /// Byte range in the original text.
    pub span: Range<usize>,
}

/// Whether a character belongs to a word (before folding; marks and tatweel join words).
fn in_word(c: char) -> bool {
    c.is_alphanumeric() || is_combining_mark(c) || c == 'ـ'
}

/// The folded key of a single word, or none when folding leaves nothing.
fn fold_word(word: &str) -> Vec<String> {
    crate::text::query_tokens(word)
}

/// The words of `text`, folded, with their spans.
pub fn tokens(text: &str) -> Vec<Token> {
    let mut out = Vec::new();
    let mut start: Option<usize> = None;
    // A word that folds to several keys (`¼` → `1`, `4`) gives every key but the last an
    // empty span at its start, so that spans never overlap and always run forward: the
    // text between two tokens is always a slice.
    let push = |s: usize, e: usize, out: &mut Vec<Token>| {
        let keys = fold_word(&text[s..e]);
        let last = keys.len().saturating_sub(1);
        for (k, key) in keys.into_iter().enumerate() {
            let span = if k == last { s..e } else { s..s };
            out.push(Token { key, span });
        }
    };
    for (i, c) in text.char_indices() {
        if in_word(c) {
            start.get_or_insert(i);
        } else if let Some(s) = start.take() {
            push(s, i, &mut out);
        }
    }
    if let Some(s) = start {
        push(s, text.len(), &mut out);
    }
    out
}

/// A name folded to the keys the report's words are compared with.
pub fn name_keys(name: &str) -> Vec<String> {
    crate::text::query_tokens(name)
}

/// The folded keys of a cue word as reports write it: an Arabic-script word also with the
/// conjunctions و / ف or the preposition ب written onto it, with the feminine ت of a
/// verb (أعلن → وأعلنت) and with the Sorani ی after it (بەڵێن → بەڵێنی).
pub fn word_forms(word: &str) -> Vec<String> {
    let arabic = word.chars().any(|c| ('\u{0600}'..='\u{06ff}').contains(&c));
    let forms: Vec<String> = if arabic {
        let bare = word.strip_prefix("ال").unwrap_or(word);
        vec![
            word.to_owned(),
            format!("و{word}"),
            format!("ف{word}"),
            format!("ب{bare}"),
            format!("{word}ت"),
            format!("و{word}ت"),
            format!("{word}ی"),
        ]
    } else {
        vec![word.to_owned()]
    };
    let mut out: Vec<String> = Vec::new();
    for f in forms {
        if let Some(k) = name_keys(&f).into_iter().next()
            && !out.contains(&k)
        {
            out.push(k);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn spans_point_back_into_the_original() {
        let text = "Col. Bolles met اللواء سيروان in ٢٠٢٢";
        let toks = tokens(text);
        let keys: Vec<&str> = toks.iter().map(|t| t.key.as_str()).collect();
        assert_eq!(keys[..3], ["col", "bolles", "met"]);
        assert_eq!(keys[3], name_keys("لواء")[0], "article and hamza folded");
        assert_eq!(keys[5..], ["in", "2022"]);
        assert_eq!(&text[toks[4].span.clone()], "سيروان");
        assert_eq!(&text[toks[6].span.clone()], "٢٠٢٢");
    }

    #[test]
    fn cue_words_are_found_with_their_arabic_and_sorani_affixes() {
        let forms = word_forms("أعلن");
        for written in ["وأعلنت", "أعلنت", "فأعلن"] {
            assert!(forms.contains(&name_keys(written)[0]), "{written}");
        }
        assert!(word_forms("هجوم").contains(&name_keys("بهجوم")[0]));
        assert!(word_forms("بەڵێن").contains(&name_keys("بەڵێنی")[0]));
        assert_eq!(word_forms("met"), ["met"]);
    }
}
