//! Text folding for search, so that a name is found however it is spelt or typed.
//!
//! Latin script: case and diacritics are ignored (`Muhammadawi` = `muḥammadāwī`).
//! Arabic script (Arabic and Sorani Kurdish): hamza forms of alef (أ إ آ ٱ) fold to ا, teh
//! marbuta ة and Kurdish ە / ھ fold to ه, alef maksura ى and Farsi/Kurdish yeh ی fold to ي,
//! keheh ک folds to ك, hamza on a waw or yeh seat (ؤ ئ) and bare hamza are dropped with
//! their seat (so شؤون = شئون, مسؤول = مسئول), harakat and tatweel are removed, and
//! Arabic-Indic digits become ASCII digits. A word that starts with the article ال is
//! indexed both with and without it, and searched without it, so `بارزاني` finds
//! `البارزاني`.

use unicode_normalization::UnicodeNormalization;
use unicode_normalization::char::is_combining_mark;

/// Folds one character after canonical decomposition; `None` drops it.
fn fold_char(c: char) -> Option<char> {
    Some(match c {
        'ٱ' => 'ا',
        'ة' | 'ە' | 'ھ' => 'ه',
        'ى' | 'ی' | 'ې' => 'ي',
        'ک' => 'ك',
        'ء' | 'ـ' => return None,
        '٠'..='٩' => char::from(b'0' + (c as u32 - '٠' as u32) as u8),
        '۰'..='۹' => char::from(b'0' + (c as u32 - '۰' as u32) as u8),
        c if is_combining_mark(c) => return None,
        c => c,
    })
}

/// Folds a text to search tokens: lower-case, without diacritics, with Arabic-script
/// letter variants unified, split on anything that is not a letter or digit.
pub fn tokens(text: &str) -> Vec<String> {
    // Hamza seats go before decomposition, which would otherwise leave a bare و or ي.
    let folded: String = text
        .chars()
        .filter(|c| !matches!(c, 'ؤ' | 'ئ'))
        .nfkd()
        .filter_map(fold_char)
        .flat_map(char::to_lowercase)
        .collect();
    folded
        .split(|c: char| !c.is_alphanumeric())
        .filter(|t| !t.is_empty())
        .map(str::to_owned)
        .collect()
}

/// Strips the Arabic definite article from a token when what remains is still a word.
fn without_article(token: &str) -> Option<&str> {
    token
        .strip_prefix("ال")
        .filter(|rest| rest.chars().count() >= 2)
}

/// The text a record is indexed under: every token, plus article-less variants.
pub fn index_document<'a>(parts: impl IntoIterator<Item = &'a str>) -> String {
    let mut out = String::new();
    for part in parts {
        for token in tokens(part) {
            if let Some(bare) = without_article(&token) {
                out.push_str(bare);
                out.push(' ');
            }
            out.push_str(&token);
            out.push(' ');
        }
    }
    out.truncate(out.trim_end().len());
    out
}

/// The tokens a user's query is matched with (each as a word prefix, all required).
/// Returns an empty list when the query has nothing searchable in it.
pub fn query_tokens(query: &str) -> Vec<String> {
    tokens(query)
        .into_iter()
        .map(|t| without_article(&t).map(str::to_owned).unwrap_or(t))
        .collect()
}

/// A key to sort names by: the folded tokens joined by spaces.
pub fn sort_key(name: &str) -> String {
    tokens(name).join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn latin_names_fold_case_and_diacritics() {
        assert_eq!(tokens("Qais al-Muḥammadāwī"), ["qais", "al", "muhammadawi"]);
        assert_eq!(tokens("ZÉRAVANI"), ["zeravani"]);
    }

    #[test]
    fn arabic_alef_hamza_variants_fold_to_bare_alef() {
        for v in ["أحمد", "إحمد", "آحمد", "ٱحمد", "احمد"] {
            assert_eq!(tokens(v), ["احمد"], "{v}");
        }
    }

    #[test]
    fn teh_marbuta_and_heh_fold_together() {
        assert_eq!(tokens("البيشمركة"), tokens("البيشمركه"));
    }

    #[test]
    fn yeh_variants_fold_together() {
        assert_eq!(tokens("يارالله مصطفى"), tokens("يارالله مصطفي"));
        assert_eq!(tokens("بارزانی"), tokens("بارزاني"));
    }

    #[test]
    fn harakat_tatweel_and_hamza_seats_are_ignored() {
        assert_eq!(tokens("مُحَمَّد"), ["محمد"]);
        assert_eq!(tokens("مـحـمـد"), ["محمد"]);
        assert_eq!(tokens("مسؤول"), tokens("مسئول"));
        assert_eq!(tokens("شؤون"), tokens("شئون"));
    }

    #[test]
    fn sorani_letters_fold_with_their_arabic_neighbours() {
        assert_eq!(tokens("پێشمەرگە"), tokens("پێشمهرگه"));
        assert_eq!(tokens("کوردستان"), tokens("كوردستان"));
    }

    #[test]
    fn article_is_indexed_both_ways_and_queried_without() {
        let doc = index_document(["نيجيرفان البارزاني"]);
        assert!(doc.split(' ').any(|t| t == "بارزاني"), "{doc}");
        assert!(doc.split(' ').any(|t| t == "البارزاني"), "{doc}");
        assert_eq!(query_tokens("البارزاني"), ["بارزاني"]);
        assert_eq!(
            query_tokens("الى"),
            ["الي"],
            "a short word keeps its letters"
        );
    }

    #[test]
    fn arabic_indic_digits_become_ascii() {
        assert_eq!(tokens("٢٠٢٥"), ["2025"]);
        assert_eq!(tokens("۲۰۲۵"), ["2025"]);
    }

    #[test]
    fn punctuation_only_queries_have_no_tokens() {
        assert!(query_tokens(" -- ,, ").is_empty());
    }
}
