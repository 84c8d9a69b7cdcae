//! Sentences with byte offsets: a report is cut at sentence-final punctuation (`.`, `!`,
//! `?`, Arabic `؟` and `۔`) followed by a space and the start of a new sentence, and at
//! line breaks. Abbreviations (`Col.`, `Maj.`, `Sept.`, `U.S.`, an initial such as
//! `Myles B. Caggins`) do not end a sentence.

use std::ops::Range;

/// Words that end with a full stop without ending the sentence (folded to lower case).
const ABBREVIATIONS: &[&str] = &[
    "col", "gen", "maj", "brig", "lt", "capt", "cpt", "sgt", "adm", "gov", "sen", "rep", "dr",
    "mr", "mrs", "ms", "st", "no", "vs", "jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep",
    "sept", "oct", "nov", "dec", "u.s", "u.k", "u.n", "e.g", "i.e", "approx", "est", "pres", "jr",
    "sr", "mt", "ft",
];

/// The sentences of `text`, as byte ranges trimmed of surrounding space; empty lines and
/// lines of punctuation only are left out.
pub fn split(text: &str) -> Vec<Range<usize>> {
    let mut out = Vec::new();
    let mut start = 0;
    let chars: Vec<(usize, char)> = text.char_indices().collect();
    for (k, &(i, c)) in chars.iter().enumerate() {
        let end_here = match c {
            '\n' | '\r' => Some(i),
            '.' | '!' | '?' | '؟' | '۔' => {
                let next = chars.get(k + 1).map(|&(_, n)| n);
                let closes = matches!(next, Some('"' | '”' | '’' | '\'' | ')'));
                let from = if closes { k + 2 } else { k + 1 };
                let gap = chars.get(from).map(|&(_, n)| n);
                let first = chars[from.min(chars.len())..]
                    .iter()
                    .map(|&(_, n)| n)
                    .find(|n| !n.is_whitespace());
                let breaks = match gap {
                    None => true,
                    Some(g) if g.is_whitespace() => first.is_none_or(|f| {
                        f.is_uppercase()
                            || !f.is_ascii()
                            || matches!(f, '"' | '“' | '‘' | '\'' | '(' | '[' | '—' | '-')
                            || f.is_ascii_digit()
                    }),
                    _ => false,
                };
                (breaks && !is_abbreviation(&text[start..i], c)).then(|| {
                    if closes {
                        chars[k + 1].0 + chars[k + 1].1.len_utf8()
                    } else {
                        i + c.len_utf8()
                    }
                })
            }
            _ => None,
        };
        if let Some(e) = end_here {
            push(text, start..e, &mut out);
            start = e;
        }
    }
    push(text, start..text.len(), &mut out);
    out
}

/// Whether the word before a full stop is an abbreviation or an initial.
fn is_abbreviation(before: &str, stop: char) -> bool {
    if stop != '.' {
        return false;
    }
    let word = before
        .rsplit(|c: char| c.is_whitespace() || c == '(' || c == '"' || c == '“')
        .next()
        .unwrap_or("");
    let lower = word.to_lowercase();
    // A single capital letter is an initial (`Myles B. Caggins`).
    (word.chars().count() == 1 && word.chars().all(char::is_uppercase))
        || ABBREVIATIONS.contains(&lower.as_str())
}

fn push(text: &str, r: Range<usize>, out: &mut Vec<Range<usize>>) {
    let s = &text[r.clone()];
    if s.trim().is_empty() {
        return;
    }
    let lead = s.len() - s.trim_start().len();
    let trail = s.len() - s.trim_end().len();
    let r = (r.start + lead)..(r.end - trail);
    if text[r.clone()].chars().any(char::is_alphanumeric) {
        out.push(r);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn texts(t: &str) -> Vec<&str> {
        split(t).into_iter().map(|r| &t[r]).collect()
    }

    #[test]
    fn abbreviations_and_initials_do_not_end_a_sentence() {
        assert_eq!(
            texts("Col. Myles B. Caggins III spoke. He met the U.S. envoy on Sept. 25.\nNext line"),
            [
                "Col. Myles B. Caggins III spoke.",
                "He met the U.S. envoy on Sept. 25.",
                "Next line"
            ]
        );
    }

    #[test]
    fn quotes_stay_with_their_sentence_and_arabic_marks_end_one() {
        assert_eq!(
            texts("He said \"we met.\" Then left. هل التقى؟ نعم."),
            ["He said \"we met.\"", "Then left.", "هل التقى؟", "نعم."]
        );
    }

    #[test]
    fn offsets_index_the_original_text() {
        let t = "  First one.  Second one.  ";
        let r = split(t);
        assert_eq!(r, [2..12, 14..25]);
    }
}
