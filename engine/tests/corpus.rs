//! The labelled corpus: real-looking messages and links, Chinese and English, each with
//! the overall verdict an investor should get against the demo data.

// A benchmark, example or test helper, not a request path: a failure is a broken set-up.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use engine::feed::parse_notice;
use engine::{check, Index, IndexData, Overall, TakedownEntry, TakedownScope, TakedownStatus};

const CORPUS: &str = include_str!("corpus.tsv");
const NOTICE: &str = include_str!("../../store/demo/takedown-notice.txt");

/// The demo data, built the way `store::demo` loads it.
fn demo_index() -> Index {
    let takedown = parse_notice(NOTICE)
        .expect("the demo notice parses")
        .into_iter()
        .zip(1..)
        .map(|(entry, id)| {
            let scope = if entry.host.parse::<std::net::IpAddr>().is_ok() {
                TakedownScope::Ip
            } else {
                TakedownScope::Host
            };
            TakedownEntry {
                id,
                scope,
                target: entry.host,
                status: TakedownStatus::TakedownRequested,
                listed_on: "2026-11-27".into(),
            }
        })
        .collect();
    Index::build(IndexData {
        official_domains: vec!["kgi.com.tw".into()],
        brand_keywords: vec!["kgi".into(), "凱基".into()],
        firm_names: vec!["凱基證券".into(), "KGI Securities".into()],
        takedown,
        ..IndexData::default()
    })
    .expect("the demo index builds")
}

fn expected(label: &str) -> Overall {
    match label {
        "fraud" => Overall::Fraud,
        "suspicious" => Overall::Suspicious,
        "unknown" => Overall::Unknown,
        "official" => Overall::Official,
        "nothing_found" => Overall::NothingFound,
        other => panic!("unknown label {other:?} in corpus.tsv"),
    }
}

#[test]
fn every_corpus_message_gets_its_labelled_verdict() {
    let index = demo_index();
    let mut wrong = Vec::new();
    let mut count = 0;
    for line in CORPUS.lines().filter(|l| !l.trim().is_empty() && !l.starts_with('#')) {
        let (label, text) = line.split_once('\t').expect("label<TAB>message");
        let text = text.replace("\\n", "\n");
        let report = check(&text, &index).expect("every corpus message is checkable");
        count += 1;
        if report.verdict != expected(label) {
            let reasons: Vec<_> =
                report.findings.iter().flat_map(|f| f.reasons.iter().map(|r| r.code())).collect();
            wrong.push(format!("{text:?}: expected {label}, got {:?} ({reasons:?})", report.verdict));
        }
    }
    assert!(count >= 70, "the corpus has {count} messages");
    assert!(wrong.is_empty(), "{} of {count} corpus messages misjudged:\n{}", wrong.len(), wrong.join("\n"));
}
