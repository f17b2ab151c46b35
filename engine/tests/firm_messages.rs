//! The rule for messages that speak as the firm (`engine::sender`), measured both ways on
//! messages made from templates: ordinary messages that merely mention the firm beside
//! news and government links must stay as they were, and messages written as the firm that
//! send the reader to an address that is not the firm's must all be suspicious, for the
//! reason that the message speaks as the firm.
//!
//! The figures printed here are the ones in `docs/benchmarks.md` ("Messages that speak as
//! the firm"); run with `--nocapture` to see them.

// A benchmark, example or test helper, not a request path: a failure is a broken set-up.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use engine::{check, Index, IndexData, Overall, Reason};

const ORDINARY_HOSTS: &str = include_str!("data/ordinary-hosts.txt");

/// Messages that mention the firm without speaking as it: a customer's question, news, a
/// chat between friends. No scam wording, so any warning would come from the rule itself.
const MENTIONS: &[&str] = &[
    "我的凱基帳戶餘額是多少？ {link}",
    "凱基證券今天股價漲了，新聞在這 {link}",
    "聽說凱基證券有新活動 {link}",
    "你用凱基還是元大？我看到這篇 {link}",
    "凱基證券公告第三季財報 {link}",
    "媽，凱基的App怎麼用？我先看 {link}",
    "I opened a KGI account last year. Interesting article: {link}",
    "Is KGI Securities a good broker? {link}",
    "新聞：凱基證券舉辦理財講座 {link}",
    "朋友推薦凱基，你覺得呢 {link}",
    "凱基證券在台北有幾家分公司？ {link}",
    "{link} 這篇提到凱基證券",
    "今天去凱基證券辦事，順便看了 {link}",
    "KGI stock price today {link}",
    "明天跟凱基的營業員吃飯 {link}",
];

/// Messages written as the firm, in the forms customers receive.
const AS_THE_FIRM: &[&str] = &[
    "【凱基證券】您的帳戶資料需要更新，請至 {link} 辦理",
    "凱基證券客服提醒您：您的交割帳戶有異動，詳情 {link}",
    "KGI Securities: your statement is ready at {link}",
    "【凱基】恭喜您獲得新戶禮，請點 {link} 領取",
    "親愛的凱基用戶，系統升級，請重新登錄 {link}",
    "凱基證券通知：您的申購已中籤，繳款請至 {link}",
    "Dear KGI customer, please review your account at {link}",
    "您的帳戶即將到期，請至 {link} 延長\n凱基證券 敬上",
    "[KGI Securities] New login from another device. Check: {link}",
    "凱基證券｜年終回饋活動 {link}",
];

/// Addresses the firm never sends: fresh domains, short links, other people's sites.
const NOT_THE_FIRMS: &[&str] = &[
    "https://secure-update.top/login",
    "kgi-service.vip",
    "https://bit.ly/3xYzAbc",
    "lihi1.com/AbCd",
    "https://forms.gle/AbCdEf123",
    "www.0xdappplus.com",
];

fn demo_index() -> Index {
    Index::build(IndexData {
        official_domains: vec!["kgi.com.tw".into()],
        brand_keywords: vec!["kgi".into(), "凱基".into()],
        firm_names: vec!["凱基證券".into(), "KGI Securities".into()],
        ..IndexData::default()
    })
    .expect("the demo index builds")
}

/// The news and government hosts of the ordinary list, each as an article link.
fn news_and_government_links() -> Vec<String> {
    let mut section = "";
    let mut links = Vec::new();
    for line in ORDINARY_HOSTS.lines().map(str::trim) {
        if let Some(heading) = line.strip_prefix("# ---") {
            section = heading;
            continue;
        }
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        let heading = section.to_lowercase();
        if heading.contains("news") || heading.contains("government") || heading.contains("magazine") {
            links.push(format!("https://{line}/news/20261201/123456"));
        }
    }
    links
}

fn says_the_firm_sent_it(report: &engine::Report) -> bool {
    report.findings.iter().any(|f| f.reasons.contains(&Reason::FirmMessageLink))
}

#[test]
fn mentioning_the_firm_beside_news_and_government_links_warns_of_nothing() {
    let index = demo_index();
    let links = news_and_government_links();
    assert!(links.len() >= 100, "only {} news and government links", links.len());
    let mut raised = Vec::new();
    let mut total = 0;
    for template in MENTIONS {
        for link in &links {
            let text = template.replace("{link}", link);
            let report = check(&text, &index).expect("checkable");
            total += 1;
            if report.speaks_as_firm || report.verdict != Overall::Unknown {
                raised.push(format!("{text:?}: {:?}", report.verdict));
            }
        }
    }
    println!(
        "ordinary mentions: {} of {total} messages ({} templates x {} news and government links) raised",
        raised.len(),
        MENTIONS.len(),
        links.len()
    );
    assert!(raised.is_empty(), "{} false warnings:\n{}", raised.len(), raised.join("\n"));
}

#[test]
fn every_message_written_as_the_firm_that_sends_the_reader_elsewhere_is_suspicious() {
    let index = demo_index();
    // Other people's sites too: the firm sends its customers to its own addresses only.
    let elsewhere: Vec<String> = NOT_THE_FIRMS
        .iter()
        .map(|l| (*l).to_owned())
        .chain(news_and_government_links().into_iter().take(20))
        .collect();
    let mut missed = Vec::new();
    let mut total = 0;
    for template in AS_THE_FIRM {
        for link in &elsewhere {
            let text = template.replace("{link}", link);
            let report = check(&text, &index).expect("checkable");
            total += 1;
            if report.verdict != Overall::Suspicious || !says_the_firm_sent_it(&report) {
                missed.push(format!("{text:?}: {:?}", report.verdict));
            }
        }
    }
    println!("written as the firm: {} of {total} messages not flagged", missed.len());
    assert!(missed.is_empty(), "{} missed:\n{}", missed.len(), missed.join("\n"));
}

#[test]
fn a_message_written_as_the_firm_with_only_its_own_address_stays_official() {
    let index = demo_index();
    for template in AS_THE_FIRM {
        let text = template.replace("{link}", "https://www.kgi.com.tw/");
        let report = check(&text, &index).expect("checkable");
        assert!(report.speaks_as_firm, "{text:?}");
        assert!(!says_the_firm_sent_it(&report), "{text:?}");
    }
}
