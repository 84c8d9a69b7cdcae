//! Date expressions in a sentence, resolved against the report's publication date with no
//! more precision than the words give: "on Monday" is the Monday on or before publication
//! (a report tells what happened), "last month" is that month, "late May" the 21st to the
//! 31st, "mid-2025" May to August, "by September 2026" a due date. A yearless date is put in
//! the past unless the sentence speaks of the future ("will", "slated", "upcoming").
//! When the publication itself is known only to the month or as a range, a weekday or
//! "this week" resolves to the publication's own value: nothing finer can be claimed.
//!
//! English, Arabic (standard, Iraqi and Levantine month names: كانون الثاني … تشرين الأول,
//! شباط, آذار, نيسان, أيار, حزيران, تموز, آب, أيلول) and Sorani month and weekday names;
//! Arabic-Indic digits are folded with the words.

use chrono::{Datelike, Duration, NaiveDate, Weekday};
use serde::Serialize;

use super::fold::{Token, name_keys};
use crate::time::{PartialDate, Precision};

/// When a report was published: a day, or a month, year or range when only that is known.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Published {
    pub first: NaiveDate,
    pub last: NaiveDate,
    pub value: String,
}

impl Published {
    /// `YYYY-MM-DD`, `YYYY-MM`, `YYYY` or `A/B` of those (any digits).
    pub fn parse(s: &str) -> Result<Self, String> {
        let s = crate::time::ascii_digits(s.trim()).into_owned();
        let bad = || format!("`{s}` is not a date: use YYYY-MM-DD (or YYYY-MM, YYYY, A/B)");
        let (a, b) = s.split_once('/').unwrap_or((&s, &s));
        let a = PartialDate::parse(a).map_err(|_| bad())?;
        let b = PartialDate::parse(b).map_err(|_| bad())?;
        if b.last_day() < a.first_day() {
            return Err(format!("`{s}`: the range ends before it starts"));
        }
        Ok(Self {
            first: a.first_day(),
            last: b.last_day(),
            value: s,
        })
    }

    pub fn day(d: NaiveDate) -> Self {
        Self {
            first: d,
            last: d,
            value: d.to_string(),
        }
    }

    fn is_day(&self) -> bool {
        self.first == self.last
    }

    pub fn when(&self, label: &str) -> When {
        let precision = if self.is_day() {
            Precision::Day
        } else {
            PartialDate::parse(&self.value)
                .map(|d| d.precision())
                .unwrap_or(Precision::Range)
        };
        When {
            value: self.value.clone(),
            precision,
            label: label.to_owned(),
        }
    }
}

/// A resolved date: an `EventTime` value (`2022-06-23`, `2022-06`, `A/B`), its precision
/// and the words it was read from.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct When {
    pub value: String,
    pub precision: Precision,
    pub label: String,
}

/// What a date in a sentence is for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Role {
    /// When something happened or happens.
    At,
    /// A deadline: "by September 2026".
    Due,
}

/// A date expression found in a sentence.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Mention {
    /// Index of its first and one past its last token in the sentence's tokens.
    pub tokens: std::ops::Range<usize>,
    pub when: When,
    pub role: Role,
}

fn month_names() -> Vec<(Vec<String>, u32)> {
    const NAMES: &[(&str, u32)] = &[
        ("january", 1),
        ("jan", 1),
        ("february", 2),
        ("feb", 2),
        ("march", 3),
        ("mar", 3),
        ("april", 4),
        ("apr", 4),
        ("may", 5),
        ("june", 6),
        ("jun", 6),
        ("july", 7),
        ("jul", 7),
        ("august", 8),
        ("aug", 8),
        ("september", 9),
        ("sept", 9),
        ("sep", 9),
        ("october", 10),
        ("oct", 10),
        ("november", 11),
        ("nov", 11),
        ("december", 12),
        ("dec", 12),
        // Standard Arabic.
        ("يناير", 1),
        ("فبراير", 2),
        ("مارس", 3),
        ("أبريل", 4),
        ("إبريل", 4),
        ("مايو", 5),
        ("يونيو", 6),
        ("يوليو", 7),
        ("أغسطس", 8),
        ("سبتمبر", 9),
        ("أكتوبر", 10),
        ("نوفمبر", 11),
        ("ديسمبر", 12),
        // Iraqi and Levantine (Syriac) names.
        ("كانون الثاني", 1),
        ("شباط", 2),
        ("آذار", 3),
        ("نيسان", 4),
        ("أيار", 5),
        ("حزيران", 6),
        ("تموز", 7),
        ("آب", 8),
        ("أيلول", 9),
        ("تشرين الأول", 10),
        ("تشرين الثاني", 11),
        ("كانون الأول", 12),
        // Sorani.
        ("کانوونی دووەم", 1),
        ("شوبات", 2),
        ("ئازار", 3),
        ("نیسان", 4),
        ("ئایار", 5),
        ("مایس", 5),
        ("حوزەیران", 6),
        ("تەممووز", 7),
        ("تەموز", 7),
        ("ئاب", 8),
        ("ئەیلوول", 9),
        ("ئەیلول", 9),
        ("کانونی دووەم", 1),
        ("کانونی یەکەم", 12),
        ("تشرینی یەکەم", 10),
        ("تشرینی دووەم", 11),
        ("کانوونی یەکەم", 12),
    ];
    let mut v: Vec<(Vec<String>, u32)> = NAMES.iter().map(|(n, m)| (name_keys(n), *m)).collect();
    // Longest first, so "كانون الثاني" wins over a shorter name.
    v.sort_by_key(|(k, _)| std::cmp::Reverse(k.len()));
    v
}

fn weekday_names() -> Vec<(String, Weekday)> {
    use Weekday::*;
    const NAMES: &[(&str, Weekday)] = &[
        ("monday", Mon),
        ("tuesday", Tue),
        ("wednesday", Wed),
        ("thursday", Thu),
        ("friday", Fri),
        ("saturday", Sat),
        ("sunday", Sun),
        ("الاثنين", Mon),
        ("الإثنين", Mon),
        ("الثلاثاء", Tue),
        ("الأربعاء", Wed),
        ("الخميس", Thu),
        ("الجمعة", Fri),
        ("السبت", Sat),
        ("الأحد", Sun),
        ("دووشەممە", Mon),
        ("سێشەممە", Tue),
        ("چوارشەممە", Wed),
        ("پێنجشەممە", Thu),
        ("هەینی", Fri),
        ("شەممە", Sat),
        ("یەکشەممە", Sun),
    ];
    NAMES
        .iter()
        .filter_map(|(n, d)| name_keys(n).into_iter().next().map(|k| (k, *d)))
        .collect()
}

/// Words that put a sentence in the future.
pub fn is_future_word(key: &str) -> bool {
    const EN: &[&str] = &[
        "will",
        "would",
        "shall",
        "scheduled",
        "slated",
        "upcoming",
        "expected",
        "plans",
        "planned",
        "next",
        "set",
        "due",
    ];
    EN.contains(&key)
        || FUTURE_AR
            .iter()
            .any(|w| name_keys(w).first().is_some_and(|k| k == key))
}

const FUTURE_AR: &[&str] = &[
    "سوف",
    "المقبل",
    "القادم",
    "المقبلة",
    "القادمة",
    "داهاتوو",
    "المقرر",
    "يعتزم",
    "سيزور",
    "سيلتقي",
];

fn last_of_month(y: i32, m: u32) -> NaiveDate {
    let (ny, nm) = if m == 12 { (y + 1, 1) } else { (y, m + 1) };
    NaiveDate::from_ymd_opt(ny, nm, 1)
        .and_then(|d| d.pred_opt())
        .expect("valid month")
}

fn month_value(y: i32, m: u32) -> String {
    format!("{y:04}-{m:02}")
}

fn range(a: String, b: String) -> (String, Precision) {
    if a == b {
        let p = PartialDate::parse(&a)
            .map(|d| d.precision())
            .unwrap_or(Precision::Range);
        (a, p)
    } else {
        (format!("{a}/{b}"), Precision::Range)
    }
}

fn days(a: NaiveDate, b: NaiveDate) -> (String, Precision) {
    range(a.to_string(), b.to_string())
}

fn number(key: &str) -> Option<u32> {
    let digits = key.trim_end_matches(|c: char| c.is_alphabetic());
    (!digits.is_empty() && digits.len() < 5 && key.starts_with(|c: char| c.is_ascii_digit()))
        .then(|| digits.parse().ok())
        .flatten()
}

/// A unit of a span, in English, Arabic or Sorani, as its English word.
fn unit_word(key: &str) -> &str {
    const UNITS: &[(&str, &str)] = &[
        ("أشهر", "months"),
        ("شهور", "months"),
        ("شهرا", "months"),
        ("أسابيع", "weeks"),
        ("أيام", "days"),
        ("يوما", "days"),
        ("سنوات", "years"),
        ("مانگ", "months"),
        ("مانگدا", "months"),
        ("هەفتە", "weeks"),
        ("هەفتەدا", "weeks"),
        ("ڕۆژ", "days"),
        ("ڕۆژدا", "days"),
    ];
    UNITS
        .iter()
        .find(|(w, _)| name_keys(w).first().is_some_and(|k| k == key))
        .map(|(_, u)| *u)
        .unwrap_or(key)
}

/// A count written as a word: "six months", ستة أشهر، شەش مانگ.
fn count_word(key: &str) -> Option<u32> {
    const AR: &[(&str, u32)] = &[
        ("ثلاثة", 3),
        ("أربعة", 4),
        ("خمسة", 5),
        ("ستة", 6),
        ("سبعة", 7),
        ("ثمانية", 8),
        ("تسعة", 9),
        ("عشرة", 10),
        ("سێ", 3),
        ("چوار", 4),
        ("پێنج", 5),
        ("شەش", 6),
        ("حەوت", 7),
        ("هەشت", 8),
        ("نۆ", 9),
        ("دە", 10),
    ];
    if let Some((_, n)) = AR
        .iter()
        .find(|(w, _)| name_keys(w).first().is_some_and(|k| k == key))
    {
        return Some(*n);
    }
    const WORDS: &[(&str, u32)] = &[
        ("a", 1),
        ("one", 1),
        ("two", 2),
        ("three", 3),
        ("four", 4),
        ("five", 5),
        ("six", 6),
        ("seven", 7),
        ("eight", 8),
        ("nine", 9),
        ("ten", 10),
        ("twelve", 12),
        ("eighteen", 18),
    ];
    WORDS.iter().find(|(w, _)| *w == key).map(|(_, n)| *n)
}

fn year(key: &str) -> Option<i32> {
    (key.len() == 4)
        .then(|| key.parse::<i32>().ok())
        .flatten()
        .filter(|y| (1900..=2100).contains(y))
}

/// The date expressions in a sentence, given its tokens (folded) and text.
pub fn find(tokens: &[Token], text: &str, published: &Published) -> Vec<Mention> {
    let months = month_names();
    let weekdays = weekday_names();
    let keys: Vec<&str> = tokens.iter().map(|t| t.key.as_str()).collect();
    let future = keys.iter().any(|k| is_future_word(k));
    let k = |i: usize| keys.get(i).copied().unwrap_or("");
    let ar = |w: &str| name_keys(w).into_iter().next().unwrap_or_default();
    let last_words = [ar("الماضي"), ar("الماضية"), ar("ڕابردوو"), ar("پێشوو")];
    let month_words = [ar("الشهر"), ar("مانگی")];
    let week_words = [ar("الأسبوع"), ar("الاسبوع"), ar("هەفتەی")];
    let year_words = [ar("العام"), ar("السنة"), ar("ساڵی")];
    let yesterday = [ar("أمس"), ar("البارحة"), ar("دوێنێ")];
    let by_words = [ar("بحلول"), ar("حتى"), ar("قبل"), ar("تا"), ar("هەتا")];
    let this_words = [ar("هذا"), ar("ئەم")];
    let current_words = [ar("الجاري"), ar("الحالي"), ar("ئێستا")];
    let next_words = [ar("المقبل"), ar("القادم"), ar("المقبلة"), ar("داهاتوو")];
    let this_month_ckb = ar("مانگە");
    // Arabic and Sorani "late / early / mid" before a month or a year.
    let late_words = [ar("أواخر"), ar("نهاية"), ar("کۆتایی"), ar("كۆتایی")];
    let early_words = [ar("أوائل"), ar("مطلع"), ar("بداية"), ar("سەرەتای")];
    let mid_words = [ar("منتصف"), ar("أواسط"), ar("ناوەڕاستی")];
    // A number written with a thousands separator is not a year or a day.
    let part_of_number = |i: usize| {
        let s = tokens[i].span.start;
        let e = tokens[i].span.end;
        let before = text[..s].chars().rev().take(2).collect::<Vec<_>>();
        let after = text[e..].chars().take(2).collect::<Vec<_>>();
        (before.len() == 2 && matches!(before[0], ',' | '.') && before[1].is_ascii_digit())
            || (after.len() == 2 && matches!(after[0], ',' | '.') && after[1].is_ascii_digit())
    };
    let month_at = |i: usize| -> Option<(u32, usize)> {
        months.iter().find_map(|(name, m)| {
            (name.iter().enumerate().all(|(j, n)| k(i + j) == n)).then_some((*m, name.len()))
        })
    };
    let mut out = Vec::new();
    let mut i = 0;
    while i < keys.len() {
        let start = i;
        let due = i > 0
            && (matches!(k(i - 1), "by" | "before" | "until" | "within")
                || (k(i - 1) == "the" && i > 1 && matches!(k(i - 2), "by" | "before" | "until"))
                || by_words
                    .iter()
                    .any(|w| w == k(i - 1) || k(i - 1).strip_prefix('و') == Some(w)));
        let role = if due { Role::Due } else { Role::At };
        // Qualifier: early / mid / late / end of.
        let (qual, qlen) = match (k(i), k(i + 1)) {
            ("early" | "beginning", "of") => (Some('e'), 2),
            ("early", _) => (Some('e'), 1),
            ("mid", _) | ("middle", "of") => (Some('m'), if k(i) == "mid" { 1 } else { 2 }),
            ("late", _) => (Some('l'), 1),
            ("end", "of") => (Some('l'), 2),
            (a, _) if late_words.iter().any(|w| w == a) => (Some('l'), 1),
            (a, _) if early_words.iter().any(|w| w == a) => (Some('e'), 1),
            (a, _) if mid_words.iter().any(|w| w == a) => (Some('m'), 1),
            _ => (None, 0),
        };
        // "the end of" a year is its December (a deadline's month), not "late" in it.
        let end_of = matches!(k(i), "end") || late_words[1..].iter().any(|w| w == k(i));
        let j = i + qlen;
        let push = |end: usize, value: String, precision: Precision, out: &mut Vec<Mention>| {
            let label = text[tokens[start].span.start..tokens[end - 1].span.end].to_owned();
            out.push(Mention {
                tokens: start..end,
                when: When {
                    value,
                    precision,
                    label,
                },
                role,
            });
        };
        // [day] Month [day][,] [year]
        let day_before = number(k(j)).filter(|d| (1..=31).contains(d) && !part_of_number(j));
        let mj = if day_before.is_some() { j + 1 } else { j };
        let mj = if k(mj) == "of" && day_before.is_some() {
            mj + 1
        } else {
            mj
        };
        if let Some((m, mlen)) = month_at(mj) {
            // "may" alone is a verb far more often than a month.
            let bare_may = keys[mj] == "may" && mlen == 1;
            let mut e = mj + mlen;
            let day_after = if day_before.is_none() {
                number(k(e)).filter(|d| (1..=31).contains(d) && year(k(e)).is_none())
            } else {
                None
            };
            if day_after.is_some() {
                e += 1;
            }
            let day = day_before.or(day_after);
            let y = year(k(e)).filter(|_| !part_of_number(e));
            if y.is_some() {
                e += 1;
            }
            let capital_may = text[tokens[mj].span.clone()].starts_with('M');
            if !bare_may || day.is_some() || y.is_some() || (qual.is_some() && capital_may) {
                let y = y.unwrap_or_else(|| {
                    // The year that puts the date on the right side of publication.
                    let probe = |yy: i32| {
                        NaiveDate::from_ymd_opt(yy, m, day.unwrap_or(1)).unwrap_or_default()
                    };
                    if future || role == Role::Due {
                        let yy = published.first.year();
                        if probe(yy) >= published.first.with_day(1).unwrap_or(published.first) {
                            yy
                        } else {
                            yy + 1
                        }
                    } else {
                        let yy = published.last.year();
                        if probe(yy) <= published.last {
                            yy
                        } else {
                            yy - 1
                        }
                    }
                });
                let (value, precision) = match (day, qual) {
                    (Some(d), _) => match NaiveDate::from_ymd_opt(y, m, d) {
                        Some(date) => (date.to_string(), Precision::Day),
                        None => {
                            i = e;
                            continue;
                        }
                    },
                    (None, Some(q)) => {
                        let last = last_of_month(y, m).day();
                        let (a, b) = match q {
                            'e' => (1, 10),
                            'm' => (11, 20),
                            _ => (21, last),
                        };
                        let d = |x| NaiveDate::from_ymd_opt(y, m, x).expect("valid");
                        days(d(a), d(b))
                    }
                    (None, None) => (month_value(y, m), Precision::Month),
                };
                push(e, value, precision, &mut out);
                i = e;
                continue;
            }
        }
        // "by the end of the year", "نهاية العام", "کۆتایی ساڵی ٢٠٢٦": December.
        if end_of {
            let (jj, the_year) = match (k(j), k(j + 1)) {
                ("the" | "this", "year") => (j + 2, true),
                ("year", _) => (j + 1, true),
                (a, _) if year_words.iter().any(|w| w == a) => (j + 1, true),
                _ => (j, false),
            };
            let y = year(k(jj)).filter(|_| !part_of_number(jj));
            if the_year || y.is_some() {
                let e = if y.is_some() { jj + 1 } else { jj };
                let y = y.unwrap_or(published.last.year());
                push(e, month_value(y, 12), Precision::Month, &mut out);
                i = e;
                continue;
            }
        }
        // "within six months" (of publication): a deadline.
        // Arabic خلال ستة أشهر, Sorani لە ماوەی شەش مانگدا.
        if k(i) == "within" || k(i) == ar("خلال") || k(i) == ar("ماوەی") {
            let n = number(k(i + 1)).or_else(|| count_word(k(i + 1)));
            let unit = unit_word(k(i + 2));
            if let Some(n) = n.filter(|n| (1..=120).contains(n)) {
                let add = |d: NaiveDate| match unit {
                    "day" | "days" => Some(d + Duration::days(n.into())),
                    "week" | "weeks" => Some(d + Duration::days(7 * i64::from(n))),
                    "month" | "months" => d.checked_add_months(chrono::Months::new(n)),
                    "year" | "years" => d.checked_add_months(chrono::Months::new(12 * n)),
                    _ => None,
                };
                if let (Some(a), Some(b)) = (add(published.first), add(published.last)) {
                    let (value, precision) = days(a, b);
                    let label = text[tokens[i].span.start..tokens[i + 2].span.end].to_owned();
                    out.push(Mention {
                        tokens: i..i + 3,
                        when: When {
                            value,
                            precision,
                            label,
                        },
                        role: Role::Due,
                    });
                    i += 3;
                    continue;
                }
            }
        }
        // [qualifier] year
        if let Some(y) = year(k(j)).filter(|_| !part_of_number(j)) {
            let (value, precision) = match qual {
                Some('e') => range(month_value(y, 1), month_value(y, 4)),
                Some('m') => range(month_value(y, 5), month_value(y, 8)),
                Some(_) => range(month_value(y, 9), month_value(y, 12)),
                None => (y.to_string(), Precision::Year),
            };
            push(j + 1, value, precision, &mut out);
            i = j + 1;
            continue;
        }
        // Weekdays, resolved to the past (or the future when the sentence is).
        if let Some((_, wd)) = weekdays.iter().find(|(n, _)| n == k(i)) {
            let (value, precision) = if !published.is_day() {
                (published.value.clone(), published.when("").precision)
            } else if future {
                let mut d = published.first + Duration::days(1);
                while d.weekday() != *wd {
                    d += Duration::days(1);
                }
                (d.to_string(), Precision::Day)
            } else {
                let mut d = published.last;
                while d.weekday() != *wd {
                    d -= Duration::days(1);
                }
                (d.to_string(), Precision::Day)
            };
            push(i + 1, value, precision, &mut out);
            i += 1;
            continue;
        }
        // Relative expressions.
        let monday = |d: NaiveDate| d - Duration::days(d.weekday().num_days_from_monday() as i64);
        let prev_month = |d: NaiveDate| {
            let first = d.with_day(1).expect("valid");
            first.pred_opt().expect("valid")
        };
        // This month: its first day to publication (or, in the future, to its end).
        let this_month = |later: bool| {
            if !published.is_day() {
                return (published.value.clone(), published.when("").precision);
            }
            let d = published.last;
            if later {
                days(d, last_of_month(d.year(), d.month()))
            } else {
                days(d.with_day(1).expect("valid"), d)
            }
        };
        let next_week = || {
            let a = monday(published.first) + Duration::days(7);
            let b = monday(published.last) + Duration::days(13);
            days(a, b)
        };
        let next_month = || {
            let a =
                last_of_month(published.first.year(), published.first.month()) + Duration::days(1);
            let b =
                last_of_month(published.last.year(), published.last.month()) + Duration::days(1);
            range(
                month_value(a.year(), a.month()),
                month_value(b.year(), b.month()),
            )
        };
        let rel: Option<(usize, String, Precision)> = match (k(i), k(i + 1), k(i + 2)) {
            ("last", "month", _) | ("past", "month", _) => {
                let a = prev_month(published.first);
                let b = prev_month(published.last);
                let (v, p) = range(
                    month_value(a.year(), a.month()),
                    month_value(b.year(), b.month()),
                );
                Some((2, v, p))
            }
            ("last", "year", _) | ("past", "year", _) => {
                let (v, p) = range(
                    (published.first.year() - 1).to_string(),
                    (published.last.year() - 1).to_string(),
                );
                Some((2, v, p))
            }
            ("last", "week", _) | ("past", "week", _) => {
                let (v, p) = days(
                    monday(published.first) - Duration::days(7),
                    monday(published.last) - Duration::days(1),
                );
                Some((2, v, p))
            }
            ("earlier", "this", "week") | ("this", "week", _) | ("earlier", "in", "week") => {
                let n = if k(i) == "this" { 2 } else { 3 };
                if published.is_day() {
                    let (v, p) = days(monday(published.first), published.last);
                    Some((n, v, p))
                } else {
                    Some((n, published.value.clone(), published.when("").precision))
                }
            }
            ("earlier" | "later", "this", "month")
            | ("this", "month", _)
            | ("earlier" | "later", "in", "month") => {
                let n = if k(i) == "this" { 2 } else { 3 };
                let later = k(i) == "later" || (k(i) != "earlier" && future);
                let (v, p) = this_month(later);
                Some((n, v, p))
            }
            ("next", "week", _) => {
                let (v, p) = next_week();
                Some((2, v, p))
            }
            ("next", "month", _) => {
                let (v, p) = next_month();
                Some((2, v, p))
            }
            ("next", "year", _) => {
                let (v, p) = range(
                    (published.first.year() + 1).to_string(),
                    (published.last.year() + 1).to_string(),
                );
                Some((2, v, p))
            }
            // الشهر الجاري / هذا الشهر / ئەم مانگە
            (a, b, _)
                if (month_words.iter().any(|w| w == a) && current_words.iter().any(|w| w == b))
                    || (this_words.iter().any(|w| w == a)
                        && (month_words.iter().any(|w| w == b) || b == this_month_ckb)) =>
            {
                let (v, p) = this_month(future);
                Some((2, v, p))
            }
            (a, b, _) if week_words.iter().any(|w| w == a) && next_words.iter().any(|w| w == b) => {
                let (v, p) = next_week();
                Some((2, v, p))
            }
            (a, b, _)
                if month_words.iter().any(|w| w == a) && next_words.iter().any(|w| w == b) =>
            {
                let (v, p) = next_month();
                Some((2, v, p))
            }
            ("yesterday", _, _) => Some((1, String::new(), Precision::Day)),
            ("today", _, _) => Some((1, published.value.clone(), published.when("").precision)),
            (a, b, _)
                if month_words.iter().any(|w| w == a) && last_words.iter().any(|w| w == b) =>
            {
                let a = prev_month(published.first);
                let b = prev_month(published.last);
                let (v, p) = range(
                    month_value(a.year(), a.month()),
                    month_value(b.year(), b.month()),
                );
                Some((2, v, p))
            }
            (a, b, _) if week_words.iter().any(|w| w == a) && last_words.iter().any(|w| w == b) => {
                let (v, p) = days(
                    monday(published.first) - Duration::days(7),
                    monday(published.last) - Duration::days(1),
                );
                Some((2, v, p))
            }
            (a, b, _) if year_words.iter().any(|w| w == a) && last_words.iter().any(|w| w == b) => {
                let (v, p) = range(
                    (published.first.year() - 1).to_string(),
                    (published.last.year() - 1).to_string(),
                );
                Some((2, v, p))
            }
            (a, _, _) if yesterday.iter().any(|w| w == a) => {
                Some((1, String::new(), Precision::Day))
            }
            _ => None,
        };
        if let Some((n, mut v, mut p)) = rel {
            if v.is_empty() {
                // Yesterday.
                if published.is_day() {
                    v = (published.first - Duration::days(1)).to_string();
                } else {
                    (v, p) = days(published.first - Duration::days(1), published.last);
                }
            }
            push(i + n, v, p, &mut out);
            i += n;
            continue;
        }
        i += 1;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::intake::fold::tokens;

    fn dates(text: &str, published: &str) -> Vec<(String, Role)> {
        let p = Published::parse(published).unwrap();
        find(&tokens(text), text, &p)
            .into_iter()
            .map(|m| (m.when.value, m.role))
            .collect()
    }

    fn values(text: &str, published: &str) -> Vec<String> {
        dates(text, published).into_iter().map(|d| d.0).collect()
    }

    #[test]
    fn weekdays_are_the_day_on_or_before_publication() {
        // 4 July 2022 was a Monday.
        assert_eq!(
            values("He tweeted on Monday.", "2022-07-04"),
            ["2022-07-04"]
        );
        assert_eq!(values("They met on Sunday.", "2022-07-04"), ["2022-07-03"]);
        assert_eq!(values("They met on Tuesday.", "2022-07-04"), ["2022-06-28"]);
        assert_eq!(
            values("They will meet on Tuesday.", "2022-07-04"),
            ["2022-07-05"]
        );
    }

    #[test]
    fn an_undated_report_gives_its_own_range_for_a_weekday() {
        assert_eq!(
            values("received on Tuesday", "2025-07-01/2025-11-10"),
            ["2025-07-01/2025-11-10"]
        );
        assert_eq!(values("earlier this week", "2020-05"), ["2020-05"]);
    }

    #[test]
    fn months_days_years_and_parts_of_them() {
        let p = "2025-08-18";
        assert_eq!(values("on June 23", "2022-07-04"), ["2022-06-23"]);
        assert_eq!(values("Sept. 25, 2017, referendum", p), ["2017-09-25"]);
        assert_eq!(values("in October 2017", p), ["2017-10"]);
        assert_eq!(values("As of late May", p), ["2025-05-21/2025-05-31"]);
        assert_eq!(values("As of mid-2025", p), ["2025-05/2025-08"]);
        assert_eq!(values("by late 2025", p), ["2025-09/2025-12"]);
        assert_eq!(values("signed in 2022", p), ["2022"]);
        assert_eq!(values("Last month there were", "2022-07-04"), ["2022-06"]);
        assert_eq!(values("published on July 29", p), ["2025-07-29"]);
        assert_eq!(
            values("elections slated for November 11", "2025-07-01/2025-11-10"),
            ["2025-11-11"]
        );
    }

    #[test]
    fn by_a_date_is_a_deadline() {
        assert_eq!(
            dates("scheduled to end by September 2026", "2025-08-01"),
            [("2026-09".to_owned(), Role::Due)]
        );
    }

    #[test]
    fn numbers_and_the_verb_may_are_not_dates() {
        assert!(values("approximately 2,500 troops; it may rain", "2025-08-01").is_empty());
        assert!(values("72,000 peshmerga", "2025-08-01").is_empty());
    }

    #[test]
    fn arabic_and_sorani_months_and_relative_words() {
        assert_eq!(values("في ٢٣ حزيران ٢٠٢٢", "2022-07-04"), ["2022-06-23"]);
        assert_eq!(values("في 5 تشرين الأول", "2022-11-04"), ["2022-10-05"]);
        assert_eq!(values("يوم الأحد", "2022-07-04"), ["2022-07-03"]);
        assert_eq!(values("الشهر الماضي", "2022-07-04"), ["2022-06"]);
        assert_eq!(values("لە ١٠ی ئایار", "2022-07-04"), ["2022-05-10"]);
        assert_eq!(values("مانگی ڕابردوو", "2022-07-04"), ["2022-06"]);
        assert_eq!(values("یەکشەممە", "2022-07-04"), ["2022-07-03"]);
        assert_eq!(values("في أيلول ٢٠٢٦", "2025-01-01"), ["2026-09"]);
    }

    #[test]
    fn this_month_runs_from_its_first_day_to_publication() {
        // 20 November 2025 was a Thursday.
        let p = "2025-11-20";
        assert_eq!(
            values("Earlier this month, the ministry said", p),
            ["2025-11-01/2025-11-20"]
        );
        assert_eq!(
            values("The talks will resume later this month.", p),
            ["2025-11-20/2025-11-30"]
        );
        assert_eq!(
            values("اجتمعا في وقت سابق هذا الشهر", p),
            ["2025-11-01/2025-11-20"]
        );
        assert_eq!(values("خلال الشهر الجاري", p), ["2025-11-01/2025-11-20"]);
        assert_eq!(values("earlier this month", "2020-05"), ["2020-05"]);
    }

    #[test]
    fn next_week_and_next_month_are_after_publication() {
        let p = "2025-11-20";
        assert_eq!(
            values("He will visit Baghdad next week.", p),
            ["2025-11-24/2025-11-30"]
        );
        assert_eq!(
            values("سيزور أربيل الأسبوع المقبل", p),
            ["2025-11-24/2025-11-30"]
        );
        assert_eq!(
            values("هەفتەی داهاتوو سەردانی بەغدا دەکات", p),
            ["2025-11-24/2025-11-30"]
        );
        assert_eq!(values("The committee meets next month.", p), ["2025-12"]);
        assert_eq!(values("الشهر المقبل", "2025-12-03"), ["2026-01"]);
    }

    #[test]
    fn late_early_and_mid_in_arabic_and_sorani() {
        let p = "2025-10-16";
        assert_eq!(values("وفي أواخر أيلول زار", p), ["2025-09-21/2025-09-30"]);
        assert_eq!(values("في مطلع آب", p), ["2025-08-01/2025-08-10"]);
        assert_eq!(values("منتصف حزيران", p), ["2025-06-11/2025-06-20"]);
        assert_eq!(values("لە کۆتایی ئەیلول", p), ["2025-09-21/2025-09-30"]);
        assert_eq!(values("لە سەرەتای ئەیلوول", p), ["2025-09-01/2025-09-10"]);
    }

    #[test]
    fn deadlines_at_the_end_of_a_year_or_within_a_span() {
        let p = "2025-11-20";
        assert_eq!(
            dates("pledged to do it by the end of the year", p),
            [("2025-12".to_owned(), Role::Due)]
        );
        assert_eq!(
            dates("agreed to finish by the end of 2026", p),
            [("2026-12".to_owned(), Role::Due)]
        );
        assert_eq!(
            dates("واتفق الجانبان على تشكيل لجنة قبل نهاية العام", p),
            [("2025-12".to_owned(), Role::Due)]
        );
        assert_eq!(
            dates("بەڵێنی دا تا کۆتایی ساڵی ٢٠٢٦ یەکبخات", p),
            [("2026-12".to_owned(), Role::Due)]
        );
        assert_eq!(
            dates("agreed to open two centres within six months", p),
            [("2026-05-20".to_owned(), Role::Due)]
        );
        assert_eq!(
            dates("to be completed within 3 weeks", p),
            [("2025-12-11".to_owned(), Role::Due)]
        );
        assert_eq!(
            dates("committed to finish it before June", p),
            [("2026-06".to_owned(), Role::Due)]
        );
        // "late 2025" stays a part of the year; a bare "within" is no date.
        assert_eq!(values("by late 2025", p), ["2025-09/2025-12"]);
        assert!(values("within the joint brigades", p).is_empty());
        assert_eq!(
            dates("اتفقا على فتح مركزين خلال ستة أشهر", p),
            [("2026-05-20".to_owned(), Role::Due)]
        );
        assert_eq!(
            dates("بەڵێنیان دا لە ماوەی شەش مانگدا", p),
            [("2026-05-20".to_owned(), Role::Due)]
        );
        assert_eq!(
            dates("خلال ٣ أسابيع", p),
            [("2025-12-11".to_owned(), Role::Due)]
        );
        // "during last month" is no deadline.
        assert_eq!(values("خلال الشهر الماضي", p), ["2025-10"]);
    }

    #[test]
    fn publication_dates_are_checked() {
        assert!(Published::parse("yesterday").is_err());
        assert!(Published::parse("2025-02-30").is_err());
        assert_eq!(Published::parse("٢٠٢٥-٠٨-١٨").unwrap().value, "2025-08-18");
    }
}
