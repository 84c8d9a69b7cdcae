//! Extraction over the demo registry, with sentences written for these tests.

use super::*;

fn registry() -> Registry {
    let doc: serde_json::Value =
        serde_json::from_str(include_str!("../../../../demo/dataset.json")).expect("demo JSON");
    Registry::from_dataset_json(&doc)
}

fn run(text: &str, published: &str) -> Drafts {
    extract(
        text,
        &Published::parse(published).unwrap(),
        &registry(),
        &NoGazetteer,
    )
}

fn people(e: &EngagementDraft) -> Vec<&str> {
    e.participants
        .iter()
        .filter_map(|p| p.person_id.as_deref())
        .collect()
}

#[test]
fn a_meeting_on_a_weekday_with_people_by_name_and_rank() {
    // 4 July 2022 was a Monday.
    let text = "ERBIL – Prime Minister Masrour Barzani on Sunday met Brig. Gen. Karl Harris \
                in Erbil to discuss the joint brigades.";
    let d = run(text, "2022-07-04");
    assert_eq!(d.engagements.len(), 1, "{:#?}", d.engagements);
    let e = &d.engagements[0];
    assert_eq!(e.kind, EngagementKind::KeyLeaderEngagement);
    assert_eq!(e.when.value, "2022-07-03");
    assert_eq!(people(e), ["masrour-barzani", "karl-harris"]);
    let orgs: Vec<_> = e
        .participants
        .iter()
        .filter_map(|p| p.organisation_id.as_deref())
        .collect();
    assert_eq!(orgs, ["krg", "cjtf-oir"]);
    assert_eq!(
        e.place.as_ref().and_then(|p| p.place_id.as_deref()),
        Some("erbil")
    );
    assert_eq!(&text[e.cites[0].start..e.cites[0].end], text);
    assert!(
        e.topics.contains(&"joint-brigades".to_owned()),
        "{:?}",
        e.topics
    );
}

#[test]
fn a_future_meeting_is_planned_and_apart_from_the_past_one() {
    let text = "The delegation met Governor Omed Xoshnaw, who said the group would also meet \
                Masoud Barzani.";
    let d = run(text, "2025-09-01");
    let planned: Vec<_> = d.engagements.iter().filter(|e| e.planned).collect();
    let past: Vec<_> = d.engagements.iter().filter(|e| !e.planned).collect();
    assert_eq!(past.len(), 1, "{:#?}", d.engagements);
    assert_eq!(people(past[0]), ["omed-xoshnaw"]);
    assert_eq!(planned.len(), 1);
    assert_eq!(people(planned[0]), ["masoud-barzani"]);
}

#[test]
fn an_arabic_report_matches_names_months_and_digits() {
    let text = "استقبل رئيس إقليم كوردستان نيجيرفان بارزاني في أربيل يوم ١٢ أيلول ٢٠٢٥ \
                وفدا برئاسة عبد الأمير رشيد يارالله.";
    let d = run(text, "2025-09-13");
    assert_eq!(d.engagements.len(), 1, "{:#?}", d.engagements);
    let e = &d.engagements[0];
    assert_eq!(e.kind, EngagementKind::DelegationVisit);
    assert_eq!(e.when.value, "2025-09-12");
    assert_eq!(people(e), ["nechirvan-barzani", "abdul-amir-yarallah"]);
    assert_eq!(
        e.place.as_ref().and_then(|p| p.place_id.as_deref()),
        Some("erbil")
    );
}

#[test]
fn a_list_of_governorates_is_one_statement_not_four_incidents() {
    let text = "Attacks continued against the army in Salahuddin, Kirkuk, Diyala and Anbar \
                provinces.";
    let d = run(text, "2020-05-10");
    assert_eq!(d.incidents.len(), 1);
    assert!(d.incidents[0].statement);
    assert_eq!(
        d.incidents[0].places.len(),
        4,
        "{:?}",
        d.incidents[0].places
    );
}

#[test]
fn casualties_are_a_range() {
    let d = run(
        "A roadside bomb in Kirkuk killed at least 3 soldiers.",
        "2021-03-01",
    );
    assert_eq!(d.incidents.len(), 1);
    let i = &d.incidents[0];
    assert!(!i.statement);
    assert_eq!(i.incident_type, IncidentType::Ied);
    assert_eq!(i.killed.unwrap().low, Some(3));
    assert_eq!(i.killed.unwrap().high, None);
}

#[test]
fn figures_actual_and_planned() {
    let text = "The force under the MoPA is expected to reach 138,000. As of late May, the \
                MoPA had 72,000 peshmerga under its command.";
    let d = run(text, "2025-08-18");
    let got: Vec<(f64, FigureStatus, &str)> = d
        .observations
        .iter()
        .map(|o| (o.value, o.status, o.when.value.as_str()))
        .collect();
    assert_eq!(
        got,
        [
            (138_000.0, FigureStatus::Planned, "2025-08-18"),
            (72_000.0, FigureStatus::Actual, "2025-05-21/2025-05-31")
        ]
    );
    assert_eq!(d.observations[1].organisation_id.as_deref(), Some("mopa"));
}

#[test]
fn commitments_have_a_responsible_organisation_and_a_due_date() {
    let text = "NATO will expand its mission by September 2026.";
    let d = run(text, "2025-08-18");
    assert_eq!(d.commitments.len(), 1);
    assert_eq!(d.commitments[0].responsible_org_id, "nato");
    assert_eq!(d.commitments[0].due.as_ref().unwrap().value, "2026-09");
}

#[test]
fn organisations_joined_by_and_each_owe_what_they_agreed() {
    let d = run(
        "The KRG and the Iraqi Army agreed to hold joint patrols by March 2026.",
        "2025-08-18",
    );
    let owed: Vec<(&str, Option<&str>)> = d
        .commitments
        .iter()
        .map(|c| {
            (
                c.responsible_org_id.as_str(),
                c.due.as_ref().map(|w| w.value.as_str()),
            )
        })
        .collect();
    assert_eq!(
        owed,
        [("krg", Some("2026-03")), ("iraqi-army", Some("2026-03"))],
        "{:#?}",
        d.commitments
    );
    // A name and its abbreviation are one organisation.
    let d = run(
        "A memorandum signed by the U.S. Department of Defense (DoD) and the Ministry of \
         Peshmerga Affairs (MoPA) in 2022 committed to providing support.",
        "2025-08-18",
    );
    let owed: Vec<&str> = d
        .commitments
        .iter()
        .map(|c| c.responsible_org_id.as_str())
        .collect();
    assert_eq!(owed, ["us-dod", "mopa"]);
    // A name further back, not joined by "and", owes nothing.
    let d = run(
        "After talks with NATO, the Iraqi Army agreed to open two crossings.",
        "2025-08-18",
    );
    let owed: Vec<&str> = d
        .commitments
        .iter()
        .map(|c| c.responsible_org_id.as_str())
        .collect();
    assert_eq!(owed, ["iraqi-army"]);
}

#[test]
fn both_sides_of_a_meeting_owe_what_both_sides_agreed() {
    let text = "President Nechirvan Barzani on Tuesday received a delegation led by Army Chief \
                of Staff Abdul-Amir Yarallah. Yarallah praised the cooperation, with both \
                parties agreeing to strengthen joint efforts.";
    let d = run(text, "2025-09-10");
    let mut owed: Vec<&str> = d
        .commitments
        .iter()
        .map(|c| c.responsible_org_id.as_str())
        .collect();
    owed.sort_unstable();
    assert_eq!(
        owed,
        ["iraqi-army", "kr-presidency"],
        "{:#?}",
        d.commitments
    );
}

fn orgs(e: &EngagementDraft) -> Vec<&str> {
    e.participants
        .iter()
        .filter_map(|p| p.organisation_id.as_deref())
        .collect()
}

fn place(e: &EngagementDraft) -> Option<&str> {
    e.place.as_ref().and_then(|p| p.place_id.as_deref())
}

#[test]
fn a_meeting_dated_in_the_sentence_before_is_on_that_date() {
    // 4 February 2026 was a Wednesday.
    let text = "BAGHDAD – President Nechirvan Barzani travelled to Baghdad in early January. \
                There he met Prime Minister Mohammed Shia' al-Sudani.\n\
                Rebar Ahmed met Qais al-Muhammadawi.";
    let d = run(text, "2026-02-04");
    assert_eq!(d.engagements.len(), 2, "{:#?}", d.engagements);
    let e = &d.engagements[0];
    assert_eq!(e.when.value, "2026-01-01/2026-01-10");
    assert_eq!(people(e), ["nechirvan-barzani", "mohammed-shia-al-sudani"]);
    assert_eq!(place(e), Some("baghdad"));
    assert_eq!(e.cites.len(), 2);
    // A new paragraph is not dated by the one before.
    assert_eq!(d.engagements[1].when.value, "2026-01-28/2026-02-04");
}

#[test]
fn an_arabic_statement_s_speaker_follows_its_verb() {
    let text = "وأعلنت وزارة شؤون البيشمركة أن عدد المنتسبين بلغ ٥٠٠٠٠ عنصر.";
    let d = run(text, "2025-10-16");
    assert_eq!(d.engagements.len(), 1, "{:#?}", d.engagements);
    assert_eq!(d.engagements[0].kind, EngagementKind::PublicStatement);
    assert_eq!(orgs(&d.engagements[0]), ["mopa"]);
}

#[test]
fn arabic_both_sides_after_the_verb_and_a_deadline_at_the_year_s_end() {
    let text = "التقى محمد شياع السوداني يوم الاثنين مسرور بارزاني في بغداد. \
                واتفق الجانبان على تشكيل لجنة مشتركة قبل نهاية العام.";
    let d = run(text, "2025-10-16");
    let mut got: Vec<(String, Option<String>)> = d
        .commitments
        .iter()
        .map(|c| {
            (
                c.responsible_org_id.clone(),
                c.due.as_ref().map(|w| w.value.clone()),
            )
        })
        .collect();
    got.sort();
    let dec = Some("2025-12".to_owned());
    assert_eq!(
        got,
        [
            ("iraq-pmo".to_owned(), dec.clone()),
            ("krg".to_owned(), dec)
        ]
    );
}

#[test]
fn a_visit_announced_for_next_week_is_planned_not_a_pledge() {
    let text = "Prime Minister Masrour Barzani will visit Baghdad next week.";
    let d = run(text, "2025-11-20");
    assert!(d.commitments.is_empty(), "{:#?}", d.commitments);
    assert_eq!(d.engagements.len(), 1);
    assert!(d.engagements[0].planned);
    assert_eq!(d.engagements[0].when.value, "2025-11-24/2025-11-30");
    let text = "ومن المقرر أن يزور محمد شياع السوداني أربيل الأسبوع المقبل.";
    let d = run(text, "2026-01-20");
    assert_eq!(d.engagements.len(), 1, "{:#?}", d.engagements);
    assert!(d.engagements[0].planned);
    assert_eq!(d.engagements[0].when.value, "2026-01-26/2026-02-01");
    assert_eq!(place(&d.engagements[0]), Some("erbil"));
}

#[test]
fn a_governor_s_city_is_his_post_not_the_meeting_s_place() {
    let text = "لە کۆتایی ئەیلول، ئومێد خۆشناو، پارێزگاری هەولێر، لەگەڵ هاوپەیمانی \
                نێودەوڵەتی کۆبووەوە.";
    let d = run(text, "2025-10-01");
    assert_eq!(d.engagements.len(), 1, "{:#?}", d.engagements);
    let e = &d.engagements[0];
    assert_eq!(e.when.value, "2025-09-21/2025-09-30");
    assert_eq!(place(e), None);
    assert_eq!(orgs(e), ["erbil-governorate", "cjtf-oir"]);
}

#[test]
fn arabic_and_sorani_cues_with_their_affixes() {
    // بهجوم: the attack word with ب written onto it.
    let d = run("وأصيب ثلاثة من عناصر الشرطة بهجوم في ديالى.", "2025-10-16");
    assert_eq!(d.incidents.len(), 1, "{:#?}", d.incidents);
    // بەڵێنی دا: a pledge, due by the end of 2026.
    let d = run(
        "حکوومەتی هەرێمی کوردستان بەڵێنی دا تا کۆتایی ساڵی ٢٠٢٦ هێزەکان یەکبخات.",
        "2025-10-01",
    );
    assert_eq!(d.commitments.len(), 1, "{:#?}", d.commitments);
    assert_eq!(d.commitments[0].responsible_org_id, "krg");
    assert_eq!(
        d.commitments[0].due.as_ref().map(|w| w.value.as_str()),
        Some("2026-12")
    );
    // سيدعم: the future prefix on "will support".
    let d = run(
        "قال مسعود بارزاني إن الحزب الديمقراطي الكردستاني سيدعم الحكومة.",
        "2026-01-20",
    );
    assert_eq!(
        d.commitments
            .iter()
            .map(|c| c.responsible_org_id.as_str())
            .collect::<Vec<_>>(),
        ["kdp"]
    );
}

#[test]
fn english_deadlines_within_a_span_and_before_an_event() {
    let text = "The KRG Ministry of Interior agreed to open two centres within six months. \
                The Iraqi Army committed to completing the joint brigades before the elections.";
    let d = run(text, "2025-11-20");
    let got: Vec<(&str, Option<&str>)> = d
        .commitments
        .iter()
        .map(|c| {
            (
                c.responsible_org_id.as_str(),
                c.due.as_ref().map(|w| w.value.as_str()),
            )
        })
        .collect();
    assert_eq!(
        got,
        [
            ("krg-moi", Some("2026-05-20")),
            // An event with no date: no due date is made up.
            ("iraqi-army", None)
        ]
    );
}

#[test]
fn unknown_people_and_organisations_are_proposed() {
    let text = "Col. John Example of the Imaginary Support Agency (ISA) met Governor Omed Xoshnaw.";
    let d = run(text, "2025-08-18");
    assert_eq!(d.proposed_people.len(), 1, "{:?}", d.proposed_people);
    assert_eq!(d.proposed_people[0].name, "John Example");
    assert_eq!(d.proposed_organisations[0].name, "Imaginary Support Agency");
}

#[test]
fn a_delegations_members_take_part_in_each_of_its_visits() {
    let text = "President Nechirvan Barzani on Tuesday received a delegation led by Army Chief \
                of Staff Abdul-Amir Yarallah. Earlier, the delegation met Governor Omed \
                Xoshnaw in Erbil. Qais al-Muhammadawi was among the members of the delegation.";
    let d = run(text, "2025-09-10");
    assert_eq!(d.engagements.len(), 2, "{:#?}", d.engagements);
    for e in &d.engagements {
        assert_eq!(e.kind, EngagementKind::DelegationVisit);
        let p = people(e);
        assert!(
            p.contains(&"abdul-amir-yarallah") && p.contains(&"qais-al-muhammadawi"),
            "{p:?}"
        );
    }
    assert_eq!(d.engagements[0].when.value, "2025-09-09");
    assert!(people(&d.engagements[1]).contains(&"omed-xoshnaw"));
}

#[test]
fn an_undated_remark_joins_the_meeting_and_a_quoted_organisation_is_no_speaker() {
    let text = "Prime Minister Masrour Barzani met Brig. Gen. Karl Harris on Sunday. \
                Masrour Barzani stressed the need for cooperation. \
                \"NATO is a partner,\" he said.";
    let d = run(text, "2022-07-04");
    assert_eq!(d.engagements.len(), 1, "{:#?}", d.engagements);
    assert_eq!(d.engagements[0].cites.len(), 2);
}

mod any_text {
    use super::*;
    use proptest::prelude::*;

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(400))]

        /// No text makes extraction panic (a panic is a dropped connection at the API),
        /// every citation lies on character boundaries of the text, and tokens' spans run
        /// forward without overlapping. Characters that fold into several keys (`¼`,
        /// ligatures), digits of every script, punctuation and Arabic are drawn on purpose.
        #[test]
        fn any_text_gives_drafts_whose_citations_are_slices_of_it(
            text in proptest::collection::vec(
                prop_oneof![
                    Just("¼".to_owned()), Just("ﬁ".to_owned()), Just("①".to_owned()),
                    Just("٢٠٢٥".to_owned()), Just(",".to_owned()), Just(".".to_owned()),
                    Just(" ".to_owned()), Just("72,000".to_owned()), Just("(".to_owned()),
                    Just("met".to_owned()), Just("Barzani".to_owned()), Just("on Monday".to_owned()),
                    Just("agreed to".to_owned()), Just("by September 2026".to_owned()),
                    Just("في".to_owned()), Just("آب".to_owned()), Just("Erbil".to_owned()),
                    any::<char>().prop_map(String::from),
                    "\\PC{0,6}",
                ],
                0..40,
            ).prop_map(|parts| parts.concat())
        ) {
            let tokens = fold::tokens(&text);
            for w in tokens.windows(2) {
                prop_assert!(w[0].span.end <= w[1].span.start, "{:?}", w);
            }
            let d = run(&text, "2025-06-01");
            let cites = d
                .engagements
                .iter()
                .flat_map(|e| e.cites.iter())
                .chain(d.commitments.iter().map(|c| &c.cite))
                .chain(d.incidents.iter().map(|i| &i.cite))
                .chain(d.observations.iter().map(|o| &o.cite))
                .chain(d.proposed_people.iter().map(|p| &p.cite))
                .chain(d.proposed_organisations.iter().map(|p| &p.cite));
            for c in cites {
                prop_assert!(text.get(c.start..c.end).is_some(), "{c:?}");
            }
        }
    }
}
