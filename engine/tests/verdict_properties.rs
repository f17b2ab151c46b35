//! Properties of the headline that must hold for any message: it is "official" only when
//! every link, phone number and LINE ID in the message is official, however many there are
//! and wherever the one that is not sits.

// A benchmark, example or test helper, not a request path: a failure is a broken set-up.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use engine::{check, extract, Index, IndexData, Overall, TakedownEntry, TakedownScope, TakedownStatus};
use proptest::prelude::*;

fn index() -> Index {
    let entry = |id, scope, target: &str| TakedownEntry {
        id,
        scope,
        target: target.into(),
        status: TakedownStatus::TakedownRequested,
        listed_on: "2026-11-27".into(),
    };
    Index::build(IndexData {
        official_domains: vec!["kgi.com.tw".into()],
        official_phones: vec!["+886223456789".into()],
        official_line_ids: vec!["kgi_official".into()],
        brand_keywords: vec!["kgi".into(), "凱基".into()],
        firm_names: vec!["凱基證券".into(), "KGI Securities".into()],
        takedown: vec![
            entry(1, TakedownScope::Host, "kkpp.kgi357.com"),
            entry(2, TakedownScope::Ip, "89.106.207.153"),
        ],
        cleared_lookalikes: vec![],
    })
    .expect("valid index")
}

/// Things a message can hold: official ones first, then ones that are not.
const OFFICIAL: &[&str] = &[
    "https://www.kgi.com.tw/",
    "www.kgi.com.tw",
    "kgi.com.tw/login",
    "HTTPS://WWW.KGI.COM.TW/a",
    "ｗｗｗ．ｋｇｉ．ｃｏｍ．ｔｗ",
    "kgi。com。tw",
    "(02)2345-6789",
    "+886 2 2345 6789",
    "@kgi_official",
];
const NOT_OFFICIAL: &[&str] = &[
    "https://kkpp.kgi357.com/index/login",
    "kkpp.kgi357。com",
    "hxxps://89[.]106[.]207[.]153/x",
    "https://example.org/",
    "kgi.com.tw.evil.net",
    "https://www.kgi.com.tw@evil.example/",
    "bit.ly/3abc",
    "0912-345-678",
    "@stock888",
    "http://198.51.100.7/",
];
const GLUE: &[&str] = &[" ", "\n", "，", "。", " 請至 ", "【凱基證券】", " and ", "\t"];

fn item() -> impl Strategy<Value = &'static str> {
    prop_oneof![4 => proptest::sample::select(OFFICIAL), 1 => proptest::sample::select(NOT_OFFICIAL)]
}

fn message() -> impl Strategy<Value = String> {
    proptest::collection::vec((item(), proptest::sample::select(GLUE)), 1..260).prop_map(|items| {
        items.into_iter().fold(String::new(), |mut text, (thing, glue)| {
            text.push_str(thing);
            text.push_str(glue);
            text
        })
    })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(96))]

    #[test]
    fn the_headline_is_official_only_when_every_finding_alone_is_official(text in message()) {
        let index = index();
        let report = check(&text, &index).expect("checkable");
        let candidates = extract(&text);
        prop_assert_eq!(report.findings.len() + report.hidden.total, candidates.len(), "every finding is counted");
        if report.verdict == Overall::Official {
            for candidate in &candidates {
                let alone = check(&candidate.raw, &index).expect("checkable");
                prop_assert_eq!(alone.verdict, Overall::Official, "{:?} in {:?}", candidate.raw, text);
            }
        }
    }

    #[test]
    fn one_thing_that_is_not_official_anywhere_spoils_the_headline(
        officials in proptest::collection::vec(proptest::sample::select(OFFICIAL), 0..300),
        other in proptest::sample::select(NOT_OFFICIAL),
        at in any::<proptest::sample::Index>(),
    ) {
        let mut things: Vec<&str> = officials;
        things.insert(at.index(things.len() + 1), other);
        let text = things.join(" ");
        let report = check(&text, &index()).expect("checkable");
        prop_assert_ne!(report.verdict, Overall::Official, "{:?}", text);
    }
}
