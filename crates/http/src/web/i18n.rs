//! The interface's three languages: Project Fluent catalogues (`crates/http/i18n/*.ftl`)
//! compiled into the binary, right-to-left direction for Arabic and Sorani, and numbers
//! and dates written the way each language writes them.

use std::sync::LazyLock;

use chrono::{Datelike, NaiveDate};
use fluent_bundle::concurrent::FluentBundle;
use fluent_bundle::{FluentArgs, FluentResource, FluentValue};
use hawkari_core::time::{EventTime, Precision};
use hawkari_core::values::Names;

/// A language of the interface.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Locale {
    En,
    Ar,
    Ckb,
}

impl Locale {
    pub const ALL: [Locale; 3] = [Locale::En, Locale::Ar, Locale::Ckb];

    pub fn code(self) -> &'static str {
        match self {
            Locale::En => "en",
            Locale::Ar => "ar",
            Locale::Ckb => "ckb",
        }
    }

    pub fn from_code(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|l| l.code() == code)
    }

    /// `rtl` for Arabic-script languages.
    pub fn dir(self) -> &'static str {
        if self == Locale::En { "ltr" } else { "rtl" }
    }

    /// The language's own name, for the switcher.
    pub fn native_name(self) -> &'static str {
        match self {
            Locale::En => "English",
            Locale::Ar => "العربية",
            Locale::Ckb => "کوردی",
        }
    }

    fn source(self) -> &'static str {
        match self {
            Locale::En => include_str!("../../i18n/en.ftl"),
            Locale::Ar => include_str!("../../i18n/ar.ftl"),
            Locale::Ckb => include_str!("../../i18n/ckb.ftl"),
        }
    }
}

fn bundle(locale: Locale) -> FluentBundle<FluentResource> {
    let resource = FluentResource::try_new(locale.source().to_owned())
        .unwrap_or_else(|(_, errors)| panic!("{}.ftl does not parse: {errors:?}", locale.code()));
    let lang = locale.code().parse().expect("a valid language tag");
    let mut bundle = FluentBundle::new_concurrent(vec![lang]);
    // In right-to-left languages a placeable (an organisation's Latin name, a date
    // written YYYY-MM-DD) inside a sentence is isolated, so that the bidi algorithm does
    // not scramble it with the punctuation around it. English sentences hold their
    // values in <bdi> where the templates mix directions; there the invisible marks
    // would only get in the way of copy, paste and search.
    bundle.set_use_isolating(locale.dir() == "rtl");
    bundle
        .add_resource(resource)
        .expect("no duplicate messages");
    bundle
}

static BUNDLES: LazyLock<[FluentBundle<FluentResource>; 3]> =
    LazyLock::new(|| [bundle(Locale::En), bundle(Locale::Ar), bundle(Locale::Ckb)]);

/// Translates for one locale; templates call it as `tr`.
#[derive(Debug, Clone, Copy)]
pub struct Tr {
    pub locale: Locale,
}

impl Tr {
    fn bundle(&self) -> &'static FluentBundle<FluentResource> {
        &BUNDLES[Locale::ALL
            .iter()
            .position(|l| *l == self.locale)
            .unwrap_or(0)]
    }

    fn format(&self, key: &str, args: Option<&FluentArgs>) -> String {
        let bundle = self.bundle();
        let Some(pattern) = bundle.get_message(key).and_then(|m| m.value()) else {
            tracing::error!(key, locale = self.locale.code(), "missing translation");
            return key.to_owned();
        };
        let mut errors = vec![];
        let text = bundle
            .format_pattern(pattern, args, &mut errors)
            .into_owned();
        if !errors.is_empty() {
            tracing::warn!(key, ?errors, "translation formatting");
        }
        text
    }

    /// The message `key`.
    pub fn t(&self, key: &str) -> String {
        self.format(key, None)
    }

    /// The message `key` with one string argument.
    pub fn t1(&self, key: &str, name: &str, value: &str) -> String {
        let mut args = FluentArgs::new();
        args.set(name.to_owned(), FluentValue::from(value.to_owned()));
        self.format(key, Some(&args))
    }

    /// The message `key` with two string arguments.
    pub fn t2(&self, key: &str, a: &(&str, &str), b: &(&str, &str)) -> String {
        let mut args = FluentArgs::new();
        args.set(a.0.to_owned(), FluentValue::from(a.1.to_owned()));
        args.set(b.0.to_owned(), FluentValue::from(b.1.to_owned()));
        self.format(key, Some(&args))
    }

    /// The message `key` with any arguments (already formatted for the reader).
    pub fn with_args(&self, key: &str, args: &FluentArgs) -> String {
        self.format(key, Some(args))
    }

    /// The message `key` with a count (plural forms).
    pub fn count(&self, key: &str, n: impl std::borrow::Borrow<usize>) -> String {
        let mut args = FluentArgs::new();
        args.set("count", FluentValue::from(*n.borrow()));
        self.digits(&self.format(key, Some(&args)))
    }

    /// A problem found by a record's own rules (said in English by the core and the API)
    /// in the reader's language, where the catalogues know it; as said otherwise.
    pub fn problem(&self, message: &str) -> String {
        if self.locale == Locale::En {
            return message.to_owned();
        }
        for (pattern, key) in PROBLEMS {
            if let Some(found) = problem_args(pattern, message) {
                let mut args = FluentArgs::new();
                for (name, value) in found {
                    args.set(name, FluentValue::from(value));
                }
                return self.format(key, Some(&args));
            }
        }
        message.to_owned()
    }

    /// ASCII digits as the locale writes them (Arabic-Indic in Arabic and Sorani).
    pub fn digits(&self, s: &str) -> String {
        if self.locale == Locale::En {
            return s.to_owned();
        }
        s.chars()
            .map(|c| match c {
                '0'..='9' => char::from_u32('٠' as u32 + (c as u32 - '0' as u32)).unwrap_or(c),
                c => c,
            })
            .collect()
    }

    pub fn num(&self, n: impl std::borrow::Borrow<usize>) -> String {
        self.digits(&n.borrow().to_string())
    }

    /// The name of month `m` (1–12).
    pub fn month(&self, m: u32) -> &'static str {
        const EN: [&str; 12] = [
            "January",
            "February",
            "March",
            "April",
            "May",
            "June",
            "July",
            "August",
            "September",
            "October",
            "November",
            "December",
        ];
        // Iraqi Arabic month names, as used in Iraqi official writing.
        const AR: [&str; 12] = [
            "كانون الثاني",
            "شباط",
            "آذار",
            "نيسان",
            "أيار",
            "حزيران",
            "تموز",
            "آب",
            "أيلول",
            "تشرين الأول",
            "تشرين الثاني",
            "كانون الأول",
        ];
        const CKB: [&str; 12] = [
            "کانوونی دووەم",
            "شوبات",
            "ئازار",
            "نیسان",
            "ئایار",
            "حوزەیران",
            "تەممووز",
            "ئاب",
            "ئەیلوول",
            "تشرینی یەکەم",
            "تشرینی دووەم",
            "کانوونی یەکەم",
        ];
        let i = (m.clamp(1, 12) - 1) as usize;
        match self.locale {
            Locale::En => EN[i],
            Locale::Ar => AR[i],
            Locale::Ckb => CKB[i],
        }
    }

    /// A day: "3 July 2022", "٣ تموز ٢٠٢٢".
    pub fn date(&self, d: NaiveDate) -> String {
        self.digits(&format!(
            "{} {} {}",
            d.day(),
            self.month(d.month()),
            d.year()
        ))
    }

    /// A partial date as precisely as it is known.
    pub fn partial(&self, d: &hawkari_core::time::PartialDate) -> String {
        let first = d.first_day();
        match d.precision() {
            Precision::Year => self.digits(&first.year().to_string()),
            Precision::Month => {
                self.digits(&format!("{} {}", self.month(first.month()), first.year()))
            }
            _ => self.date(first),
        }
    }

    /// A source as one line: publisher — title, date.
    pub fn cite(&self, s: &hawkari_core::values::Source) -> String {
        let mut text = format!("{} — {}", s.publisher, s.title);
        if let Some(d) = &s.date {
            text.push_str(&format!(", {}", self.partial(d)));
        }
        text
    }

    /// When something happened, as precisely as it is known, with the source's wording.
    pub fn when(&self, w: &EventTime) -> String {
        let (start, end) = (w.start().date_naive(), w.end().date_naive());
        let main = match w.precision() {
            Precision::Year => self.digits(&start.year().to_string()),
            Precision::Month => {
                self.digits(&format!("{} {}", self.month(start.month()), start.year()))
            }
            Precision::Day => self.date(start),
            Precision::Instant => format!(
                "{} {}",
                self.date(start),
                self.digits(&w.start().format("%H:%M UTC").to_string())
            ),
            Precision::Range => format!("{} – {}", self.date(start), self.date(end)),
        };
        match w.label() {
            // In a right-to-left page the source's wording (often Latin) is isolated, so
            // that its brackets stay around it.
            Some(label) if self.locale.dir() == "rtl" => {
                format!("{main} (\u{2068}{label}\u{2069})")
            }
            Some(label) => format!("{main} ({label})"),
            None => main,
        }
    }

    /// A name in the reader's script when the record has it, else the best other.
    pub fn name<'a>(&self, names: &'a Names) -> &'a str {
        let preferred = match self.locale {
            Locale::En => [&names.en, &names.ar, &names.ckb],
            Locale::Ar => [&names.ar, &names.ckb, &names.en],
            Locale::Ckb => [&names.ckb, &names.ar, &names.en],
        };
        preferred
            .into_iter()
            .flatten()
            .next()
            .map(|n| n.as_str())
            .unwrap_or_default()
    }
}

/// Every message id of a catalogue, in order.
pub fn message_ids(locale: Locale) -> Vec<String> {
    locale
        .source()
        .lines()
        .filter_map(|l| l.split_once(" =").map(|(k, _)| k))
        .filter(|k| {
            !k.is_empty()
                && k.chars().next().is_some_and(|c| c.is_ascii_lowercase())
                && !k.contains(' ')
        })
        .map(str::to_owned)
        .collect()
}

/// The problems the records' own rules say (in English, as the API says them), by the
/// message that says them in the catalogues: `{name}` stands for a value passed on.
const PROBLEMS: &[(&str, &str)] = &[
    ("no {kind} with id `{id}`", "problem-no-such"),
    ("ends before it starts", "problem-ends-before-start"),
    (
        "ends ({to}) before it starts ({from})",
        "problem-ends-before-start",
    ),
    ("must be a number", "problem-not-a-number"),
    ("a number is required", "problem-number-required"),
    (
        "at least one of en, ar or ckb is required",
        "form-error-name-needed",
    ),
    ("`{item}` is listed twice", "problem-listed-twice"),
    (
        "an engagement needs at least one participant",
        "problem-no-participant",
    ),
    (
        "give a person_id, an organisation_id, or both",
        "problem-participant-empty",
    ),
    (
        "the counterpart must differ from the responsible organisation",
        "problem-counterpart-same",
    ),
    (
        "an organisation cannot be its own parent",
        "problem-own-parent",
    ),
    (
        "an organisation does not answer to itself",
        "problem-answers-to-itself",
    ),
    (
        "an engagement cannot follow up itself",
        "problem-follows-itself",
    ),
    ("must satisfy low ≤ best ≤ high", "form-estimate-order"),
    ("this party is counted twice", "problem-party-twice"),
    ("give a point or a place_id", "problem-point-or-place"),
    ("give an organisation_id or a name", "problem-actor-empty"),
    ("latitude must be between -90 and 90", "problem-latitude"),
    (
        "longitude must be between -180 and 180",
        "problem-longitude",
    ),
    (
        "`{p}` is not a P-code of the gazetteer",
        "problem-unknown-pcode",
    ),
    (
        "the ring does not close: its last position must repeat its first",
        "problem-ring-open",
    ),
    ("a ring needs at least four positions", "problem-ring-short"),
    ("a line needs at least two positions", "problem-line-short"),
    ("give a geometry or admin_units", "problem-no-shape"),
    (
        "an area of responsibility names the unit or mechanism responsible",
        "problem-aor-needs-org",
    ),
    (
        "`{lead}` leads the site; it cannot also support it",
        "problem-lead-supports",
    ),
    (
        "is earlier than the report before it",
        "problem-earlier-report",
    ),
    (
        "is earlier than the entry before it",
        "problem-earlier-entry",
    ),
    (
        "name at least one milestone the condition depends on",
        "problem-condition-milestone",
    ),
    (
        "no milestone `{k}` in this programme",
        "problem-no-milestone",
    ),
    (
        "must be 1 (confirmed) to 6 (cannot be judged)",
        "problem-credibility",
    ),
    ("missing field `{field}`", "problem-missing"),
    (
        "3 to 64 characters: lower-case letters, digits, `.`, `-` or `_`",
        "problem-username",
    ),
    ("at least {n} characters", "problem-at-least-chars"),
    (
        "an organisation administrator gives roles up to org_admin",
        "problem-role-too-high",
    ),
    ("1 to 100 characters", "problem-name-length"),
    (
        "positions are [longitude, latitude] in degrees",
        "problem-positions",
    ),
    (
        "a coordination line is a LineString geometry, not composed of admin units",
        "problem-line-not-units",
    ),
    (
        "a coordination line is a LineString; other areas are a Polygon or MultiPolygon",
        "problem-line-or-polygon",
    ),
];

/// The values of `pattern`'s `{name}` parts in `message`, if it has that form.
fn problem_args(pattern: &str, message: &str) -> Option<Vec<(String, String)>> {
    let (mut pat, mut rest, mut args) = (pattern, message, Vec::new());
    loop {
        let Some(open) = pat.find('{') else {
            return (rest == pat).then_some(args);
        };
        rest = rest.strip_prefix(&pat[..open])?;
        let close = open + pat[open..].find('}')?;
        let name = &pat[open + 1..close];
        pat = &pat[close + 1..];
        let next = &pat[..pat.find('{').unwrap_or(pat.len())];
        let end = if next.is_empty() {
            rest.len()
        } else {
            rest.find(next)?
        };
        args.push((name.to_owned(), rest[..end].to_owned()));
        rest = &rest[end..];
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_catalogue_has_every_message_in_the_same_order() {
        let en = message_ids(Locale::En);
        assert!(en.len() > 100, "{}", en.len());
        for locale in [Locale::Ar, Locale::Ckb] {
            assert_eq!(
                message_ids(locale),
                en,
                "{}.ftl differs from en.ftl",
                locale.code()
            );
        }
    }

    #[test]
    fn every_message_formats_without_error_in_every_language() {
        for locale in Locale::ALL {
            let bundle = bundle(locale);
            for key in message_ids(Locale::En) {
                let message = bundle
                    .get_message(&key)
                    .unwrap_or_else(|| panic!("{}: {key} missing", locale.code()));
                let mut args = FluentArgs::new();
                let coverage = super::super::map::COVERAGE_MESSAGES
                    .iter()
                    .flat_map(|(_, names)| names.iter().copied());
                for name in [
                    "user",
                    "organisation",
                    "date",
                    "name",
                    "query",
                    "n",
                    "area",
                    "value",
                    "type",
                    "place",
                    "grade",
                    "target",
                    "unit",
                    "rate",
                    "org",
                    "who",
                    "field",
                    "when",
                    "line",
                    "ring",
                    "polygon",
                    "detail",
                    "mb",
                    "why",
                    "read",
                    "stored",
                    "rejected",
                    "file",
                    "format",
                    "killed",
                    "injured",
                    "total",
                    "position",
                    "km",
                    "pair",
                    "codes",
                    "path",
                    "pct",
                ]
                .into_iter()
                .chain(coverage)
                {
                    args.set(name, FluentValue::from("x"));
                }
                for (pattern, _) in PROBLEMS {
                    for (name, _) in problem_args(pattern, pattern).unwrap_or_default() {
                        args.set(name, FluentValue::from("x"));
                    }
                }
                args.set("count", FluentValue::from(3));
                let mut errors = vec![];
                let text =
                    bundle.format_pattern(message.value().unwrap(), Some(&args), &mut errors);
                assert!(
                    errors.is_empty() && !text.trim().is_empty(),
                    "{}: {key}: {errors:?}",
                    locale.code()
                );
            }
        }
    }

    #[test]
    fn every_key_the_templates_and_code_use_exists() {
        let en = message_ids(Locale::En);
        let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/templates");
        let mut sources: Vec<String> = std::fs::read_dir(dir)
            .unwrap()
            .map(|e| std::fs::read_to_string(e.unwrap().path()).unwrap())
            .collect();
        // Every module of the web, whatever its feature folder.
        let mut dirs = vec![std::path::PathBuf::from(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/src/web"
        ))];
        while let Some(d) = dirs.pop() {
            for e in std::fs::read_dir(d).unwrap() {
                let path = e.unwrap().path();
                if path.is_dir() {
                    dirs.push(path);
                } else if path.extension().is_some_and(|x| x == "rs") {
                    sources.push(std::fs::read_to_string(path).unwrap());
                }
            }
        }
        for src in sources {
            for quote in [
                ".t(\"",
                ".t1(\"",
                ".t2(\"",
                ".count(\"",
                ".with_args(\"",
                ".with_args(\n            \"",
            ] {
                for piece in src.split(quote).skip(1) {
                    let key = piece.split('"').next().unwrap();
                    assert!(
                        en.iter().any(|k| k == key),
                        "`{key}` is used but not in en.ftl"
                    );
                }
            }
        }
    }

    #[test]
    fn every_key_made_from_a_code_exists() {
        let en = message_ids(Locale::En);
        let code = |v: serde_json::Value| v.as_str().unwrap().to_owned();
        let mut keys = Vec::new();
        use hawkari_core::commitment::CommitmentStatus;
        use hawkari_core::engagement::{EngagementKind, ParticipantRole};
        use hawkari_core::organisation::OrganisationKind;
        use hawkari_core::values::Confidence;
        for k in [
            EngagementKind::KeyLeaderEngagement,
            EngagementKind::DelegationVisit,
            EngagementKind::Call,
            EngagementKind::JointCommitteeSession,
            EngagementKind::PublicStatement,
        ] {
            keys.push(format!("kind-{}", code(serde_json::json!(k))));
        }
        for r in [
            ParticipantRole::Lead,
            ParticipantRole::Participant,
            ParticipantRole::Host,
            ParticipantRole::NoteTaker,
            ParticipantRole::Interpreter,
        ] {
            keys.push(format!("role-{}", code(serde_json::json!(r))));
        }
        for s in CommitmentStatus::ALL {
            keys.push(format!("status-{}", s.as_str()));
        }
        for c in [Confidence::High, Confidence::Moderate, Confidence::Low] {
            keys.push(format!("confidence-{}", code(serde_json::json!(c))));
        }
        for k in [
            OrganisationKind::Coalition,
            OrganisationKind::Federal,
            OrganisationKind::Regional,
            OrganisationKind::JointMechanism,
            OrganisationKind::Party,
            OrganisationKind::Other,
        ] {
            keys.push(format!("org-kind-{}", code(serde_json::json!(k))));
        }
        use hawkari_core::incident::{LocationPrecision, Party};
        for t in hawkari_core::incident::IncidentType::ALL {
            keys.push(format!("incident-type-{}", t.as_str()));
        }
        for p in [
            Party::SecurityForces,
            Party::Civilians,
            Party::Attackers,
            Party::Unknown,
        ] {
            keys.push(format!("party-{}", code(serde_json::json!(p))));
        }
        for p in [
            LocationPrecision::Exact,
            LocationPrecision::Near,
            LocationPrecision::SubDistrict,
            LocationPrecision::District,
            LocationPrecision::Governorate,
        ] {
            keys.push(format!("precision-{}", code(serde_json::json!(p))));
        }
        for k in super::super::registry::PLACE_KINDS {
            let kind: hawkari_core::place::PlaceKind =
                serde_json::from_value(serde_json::json!(k)).expect("a place kind");
            keys.push(format!("place-kind-{}", code(serde_json::json!(kind))));
        }
        for level in 1..=3 {
            keys.push(format!("place-level-{level}"));
        }
        for (key, _) in super::super::map::COVERAGE_MESSAGES {
            keys.push(key.to_owned());
        }
        use hawkari_core::area::AreaKind;
        for k in [
            AreaKind::Responsibility,
            AreaKind::CoordinationLine,
            AreaKind::Concern,
        ] {
            keys.push(format!("area-kind-{}", code(serde_json::json!(k))));
        }
        for r in ["A", "B", "C", "D", "E", "F"] {
            keys.push(format!("reliability-{r}"));
        }
        for level in 1..=3 {
            keys.push(format!("form-unit-level-{level}"));
            keys.push(format!("form-unit-level-{level}-plural"));
        }
        for c in 1..=6 {
            keys.push(format!("credibility-{c}"));
        }
        for c in super::super::lists::BY_NAME
            .iter()
            .chain(&super::super::lists::BY_DATE)
            .chain(&super::super::lists::INCIDENT_ORDERS)
        {
            keys.push(format!("list-sort-{c}"));
        }
        for key in [
            "form-actor-n",
            "form-party-n",
            "form-source-n",
            "form-estimate-low",
            "form-estimate-best",
            "form-estimate-high",
        ] {
            keys.push(key.to_owned());
        }
        for key in keys {
            assert!(en.contains(&key), "`{key}` is not in en.ftl");
        }
    }

    #[test]
    fn arabic_and_sorani_write_arabic_indic_digits_and_their_month_names() {
        let d = NaiveDate::from_ymd_opt(2022, 7, 3).unwrap();
        assert_eq!(Tr { locale: Locale::En }.date(d), "3 July 2022");
        assert_eq!(Tr { locale: Locale::Ar }.date(d), "٣ تموز ٢٠٢٢");
        assert_eq!(
            Tr {
                locale: Locale::Ckb
            }
            .date(d),
            "٣ تەممووز ٢٠٢٢"
        );
        assert_eq!(Locale::Ar.dir(), "rtl");
    }

    /// Every message of the right-to-left catalogues: isolates (LRI, RLI, FSI … PDI)
    /// balanced and never nested, and every left-to-right run with inner punctuation (a
    /// date `2025-05-21`, a range, a code `jcc-kirkuk`, a number `36.19`) inside one, so
    /// that the bidi algorithm cannot reorder its parts.
    #[test]
    fn every_right_to_left_message_isolates_its_left_to_right_runs() {
        let mut bad = Vec::new();
        for (name, text) in [
            ("ar", include_str!("../../i18n/ar.ftl")),
            ("ckb", include_str!("../../i18n/ckb.ftl")),
        ] {
            for line in text.lines() {
                let Some((key, value)) = line.split_once(" = ") else {
                    continue;
                };
                if key.starts_with('#') {
                    continue;
                }
                let (mut depth, mut placeable, mut run) = (0i32, false, String::new());
                let check_run = |run: &mut String, bad: &mut Vec<String>| {
                    let chars: Vec<char> = run.chars().collect();
                    let inner = chars.windows(3).any(|w| {
                        w[0].is_ascii_alphanumeric()
                            && matches!(w[1], '-' | '/' | '.' | ':')
                            && w[2].is_ascii_alphanumeric()
                    });
                    if inner {
                        bad.push(format!("{name} {key}: `{run}` is not isolated"));
                    }
                    run.clear();
                };
                for c in value.chars() {
                    match c {
                        '{' => placeable = true,
                        '}' => placeable = false,
                        _ if placeable => {}
                        '\u{2066}' | '\u{2067}' | '\u{2068}' => {
                            depth += 1;
                            if depth > 1 {
                                bad.push(format!("{name} {key}: nested isolates"));
                            }
                        }
                        '\u{2069}' => depth -= 1,
                        c if depth == 0 && (c.is_ascii_alphanumeric() || "-/.:".contains(c)) => {
                            run.push(c);
                            continue;
                        }
                        _ => {}
                    }
                    check_run(&mut run, &mut bad);
                }
                check_run(&mut run, &mut bad);
                if depth != 0 {
                    bad.push(format!("{name} {key}: isolates not closed"));
                }
            }
        }
        assert!(bad.is_empty(), "{}", bad.join("\n"));
    }

    /// Every problem the records' own rules can say (each `problems.add(…, "message")` in
    /// the core) is known to the catalogues, so that a form shows it in Arabic and Sorani.
    #[test]
    fn every_problem_the_records_rules_say_is_translated() {
        let mut dirs = vec![std::path::PathBuf::from(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/../core/src"
        ))];
        let mut files = Vec::new();
        while let Some(dir) = dirs.pop() {
            for entry in std::fs::read_dir(dir).unwrap() {
                let path = entry.unwrap().path();
                if path.is_dir() {
                    dirs.push(path);
                } else if path.extension().is_some_and(|e| e == "rs") {
                    files.push(path);
                }
            }
        }
        let mut missing = Vec::new();
        let mut seen = 0;
        for path in files {
            let src = std::fs::read_to_string(path).unwrap();
            for call in src.split("problems.add(").skip(1) {
                // The call's text, to its closing parenthesis.
                let mut depth = 1;
                let end = call
                    .char_indices()
                    .find(|(_, c)| {
                        match c {
                            '(' => depth += 1,
                            ')' => depth -= 1,
                            _ => {}
                        }
                        depth == 0
                    })
                    .map_or(call.len(), |(i, _)| i);
                let literals: Vec<&str> = call[..end].split('"').skip(1).step_by(2).collect();
                // The message is the last literal (the first names the field).
                let Some(message) = literals.last().filter(|m| m.contains(' ')) else {
                    continue;
                };
                seen += 1;
                if !PROBLEMS
                    .iter()
                    .any(|(p, _)| problem_args(p, message).is_some())
                {
                    missing.push(message.to_string());
                }
            }
        }
        assert!(seen > 20, "found {seen} messages");
        assert!(missing.is_empty(), "not in PROBLEMS: {missing:#?}");
        let ar = Tr { locale: Locale::Ar };
        for (pattern, _) in PROBLEMS {
            assert_ne!(ar.problem(pattern), *pattern, "{pattern}");
        }
        let said = ar.problem("no person with id `no-such-person`");
        assert!(
            said.contains("no-such-person") && said.contains("لا يوجد"),
            "{said}"
        );
        assert_eq!(
            Tr { locale: Locale::En }.problem("ends before it starts"),
            "ends before it starts"
        );
    }

    #[test]
    fn latin_values_in_right_to_left_sentences_are_isolated() {
        let ar = Tr { locale: Locale::Ar };
        let said = ar.t1("form-release-gains", "who", "Iraqi Army");
        assert!(said.contains("\u{2068}Iraqi Army\u{2069}"), "{said:?}");
        assert!(
            ar.t("form-when").contains("\u{2066}2025-05-21\u{2069}"),
            "date examples read left to right"
        );
        let en = Tr { locale: Locale::En };
        assert_eq!(
            en.t1("form-release-gains", "who", "Iraqi Army"),
            "Iraqi Army will be able to read it"
        );
        let when =
            hawkari_core::time::EventTime::parse("2025-05-21/2025-05-31", Some("late May".into()))
                .unwrap();
        assert!(ar.when(&when).ends_with("(\u{2068}late May\u{2069})"));
    }
}
