//! Judges each extracted link against the index and sums the findings up into one
//! overall verdict, worst first, with plain-language reasons.

use serde::{Deserialize, Serialize};

use crate::extract::{extract, Candidate, CandidateKind};
use crate::index::{Index, TakedownStatus};
use crate::{MAX_FINDINGS, MAX_MESSAGE_BYTES};

/// What we can say about one link. Declared from least to most dangerous, so the
/// derived order makes "worst wins" a plain `max`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Verdict {
    /// One of the firm's verified domains or a subdomain of one.
    Official,
    /// Not on any list: we cannot vouch for it (never "safe").
    Unknown,
    /// Not listed, but imitating the firm.
    Suspicious,
    /// A known fake in the takedown database.
    Fraud,
}

/// The verdict for a whole message.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Overall {
    /// No link was found in the message.
    NothingFound,
    Official,
    Unknown,
    Suspicious,
    Fraud,
}

impl From<Verdict> for Overall {
    fn from(v: Verdict) -> Self {
        match v {
            Verdict::Official => Self::Official,
            Verdict::Unknown => Self::Unknown,
            Verdict::Suspicious => Self::Suspicious,
            Verdict::Fraud => Self::Fraud,
        }
    }
}

/// The language of a plain-language sentence.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub enum Lang {
    #[default]
    #[serde(rename = "zh-TW")]
    ZhTw,
    #[serde(rename = "en")]
    En,
}

/// Why a link got its verdict: a stable code (documented in `docs/reason-codes.md`)
/// with a sentence for an anxious investor in each language.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ReasonCode {
    /// The host is an official domain or one of its subdomains.
    OfficialDomain,
    /// The host is in the takedown database.
    TakedownListed,
    /// The host is on no list we keep.
    NotListed,
}

impl ReasonCode {
    /// Every reason code, for documentation and tests.
    pub const ALL: [Self; 3] = [Self::OfficialDomain, Self::TakedownListed, Self::NotListed];

    /// The stable code, as in JSON.
    pub fn code(self) -> &'static str {
        match self {
            Self::OfficialDomain => "official_domain",
            Self::TakedownListed => "takedown_listed",
            Self::NotListed => "not_listed",
        }
    }

    /// One plain sentence saying why, in `lang`.
    pub fn message(self, lang: Lang) -> &'static str {
        match (self, lang) {
            (Self::OfficialDomain, Lang::ZhTw) => "這是本公司登記的官方網址。",
            (Self::OfficialDomain, Lang::En) => "This is one of our registered official web addresses.",
            (Self::TakedownListed, Lang::ZhTw) => "這是已知的假冒網站，我們正在處理下架。",
            (Self::TakedownListed, Lang::En) => "This is a known fake site. We are having it taken down.",
            (Self::NotListed, Lang::ZhTw) => "這個網址不在我們的任何名單上，我們無法為它擔保。",
            (Self::NotListed, Lang::En) => "This address is not on any of our lists. We cannot vouch for it.",
        }
    }
}

/// The takedown entry a link matched, as the public may see it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct TakedownMatch {
    pub entry_id: i64,
    pub status: TakedownStatus,
    pub listed_on: String,
}

/// One link in the message with its verdict.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Finding {
    pub kind: CandidateKind,
    pub raw: String,
    pub normalized: String,
    pub host: String,
    pub verdict: Verdict,
    pub reasons: Vec<ReasonCode>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub takedown: Option<TakedownMatch>,
}

/// The result of checking one message.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Report {
    pub verdict: Overall,
    pub findings: Vec<Finding>,
    /// True when the message had more than [`MAX_FINDINGS`] links and the rest were not judged.
    pub truncated: bool,
}

/// Why a message could not be checked.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum CheckError {
    #[error("the message is empty")]
    Empty,
    #[error("the message is {bytes} bytes; the limit is {MAX_MESSAGE_BYTES}")]
    TooLong { bytes: usize },
}

/// Checks a pasted message against `index`.
pub fn check(text: &str, index: &Index) -> Result<Report, CheckError> {
    if text.len() > MAX_MESSAGE_BYTES {
        return Err(CheckError::TooLong { bytes: text.len() });
    }
    if text.trim().is_empty() {
        return Err(CheckError::Empty);
    }
    let candidates = extract(text);
    let truncated = candidates.len() > MAX_FINDINGS;
    let findings: Vec<Finding> = candidates
        .into_iter()
        .take(MAX_FINDINGS)
        .map(|c| judge(c, index))
        .collect();
    let verdict = findings
        .iter()
        .map(|f| f.verdict)
        .max()
        .map_or(Overall::NothingFound, Overall::from);
    Ok(Report {
        verdict,
        findings,
        truncated,
    })
}

/// Judges one candidate. A takedown listing outranks an official one: if a listed fake
/// ever sat under an official name, warning is the only safe answer.
fn judge(candidate: Candidate, index: &Index) -> Finding {
    let Candidate { kind, raw, value } = candidate;
    // Phone numbers and LINE IDs have no lists yet; extraction guarantees that link values
    // parse, so the fallback only keeps a surprise from becoming a reassuring answer.
    let link = kind.is_link().then(|| url::Url::parse(&value).ok()).flatten();
    let Some(mut url) = link else {
        return Finding {
            kind,
            raw,
            normalized: value,
            host: String::new(),
            verdict: Verdict::Unknown,
            reasons: vec![ReasonCode::NotListed],
            takedown: None,
        };
    };
    let host = url.host_str().unwrap_or_default().to_owned();
    url.set_fragment(None);
    let normalized = url.into();
    let (verdict, reason, takedown) = if let Some(entry) = index.takedown_for_host(&host) {
        let takedown = TakedownMatch {
            entry_id: entry.id,
            status: entry.status,
            listed_on: entry.listed_on.clone(),
        };
        (Verdict::Fraud, ReasonCode::TakedownListed, Some(takedown))
    } else if kind != CandidateKind::Ip && index.official_domain_for(&host).is_some() {
        (Verdict::Official, ReasonCode::OfficialDomain, None)
    } else {
        (Verdict::Unknown, ReasonCode::NotListed, None)
    };
    Finding {
        kind,
        raw,
        normalized,
        host,
        verdict,
        reasons: vec![reason],
        takedown,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::index::{OfficialDomain, TakedownEntry};

    fn demo_index() -> Index {
        Index::build(
            vec![OfficialDomain {
                domain: "kgi.com.tw".into(),
            }],
            vec![TakedownEntry {
                id: 1,
                url: "https://kkpp.kgi357.com/index/login".into(),
                host: "kkpp.kgi357.com".into(),
                status: TakedownStatus::TakedownRequested,
                listed_on: "2025-09-30".into(),
            }],
        )
        .expect("valid demo index")
    }

    fn verdict_of(text: &str) -> Overall {
        check(text, &demo_index()).expect("checkable").verdict
    }

    #[test]
    fn a_listed_fake_is_fraud_with_its_takedown_status() {
        let report = check("https://kkpp.kgi357.com/index/login", &demo_index()).unwrap();
        assert_eq!(report.verdict, Overall::Fraud);
        let takedown = report.findings[0].takedown.as_ref().expect("takedown match");
        assert_eq!(takedown.status, TakedownStatus::TakedownRequested);
        assert_eq!(report.findings[0].reasons, [ReasonCode::TakedownListed]);
    }

    #[test]
    fn any_page_on_a_listed_host_is_fraud() {
        assert_eq!(verdict_of("kkpp.kgi357.com/other?x=1"), Overall::Fraud);
    }

    #[test]
    fn the_official_domain_and_its_subdomains_are_official() {
        assert_eq!(verdict_of("https://www.kgi.com.tw/"), Overall::Official);
        assert_eq!(verdict_of("kgi.com.tw"), Overall::Official);
    }

    #[test]
    fn an_official_name_inside_another_domain_is_not_official() {
        assert_eq!(verdict_of("https://kgi.com.tw.evil.net/login"), Overall::Unknown);
        assert_eq!(verdict_of("https://evilkgi.com.tw/"), Overall::Unknown);
    }

    #[test]
    fn an_unlisted_link_is_unknown_never_safe() {
        let report = check("https://example.org/", &demo_index()).unwrap();
        assert_eq!(report.verdict, Overall::Unknown);
        assert_eq!(report.findings[0].reasons, [ReasonCode::NotListed]);
        assert!(ReasonCode::NotListed.message(Lang::En).contains("cannot vouch"));
    }

    #[test]
    fn the_worst_finding_decides_the_message() {
        let text = "官網 https://www.kgi.com.tw/ 或 https://kkpp.kgi357.com/index/login";
        assert_eq!(verdict_of(text), Overall::Fraud);
        assert_eq!(
            verdict_of("https://www.kgi.com.tw/ https://example.org/"),
            Overall::Unknown
        );
    }

    #[test]
    fn a_message_without_links_has_nothing_found() {
        assert_eq!(verdict_of("明天開會"), Overall::NothingFound);
    }

    #[test]
    fn empty_and_oversized_messages_are_refused() {
        assert_eq!(check("  \n ", &demo_index()), Err(CheckError::Empty));
        let big = "a".repeat(MAX_MESSAGE_BYTES + 1);
        assert_eq!(
            check(&big, &demo_index()),
            Err(CheckError::TooLong {
                bytes: MAX_MESSAGE_BYTES + 1
            })
        );
    }

    #[test]
    fn every_reason_code_is_documented_with_both_sentences() {
        let doc = include_str!("../../docs/reason-codes.md");
        for reason in ReasonCode::ALL {
            let row = doc
                .lines()
                .find(|l| l.starts_with(&format!("| `{}` |", reason.code())))
                .unwrap_or_else(|| panic!("{} is missing from docs/reason-codes.md", reason.code()));
            assert!(
                row.contains(reason.message(Lang::ZhTw)),
                "zh-TW sentence of {} differs",
                reason.code()
            );
            assert!(
                row.contains(reason.message(Lang::En)),
                "English sentence of {} differs",
                reason.code()
            );
        }
    }

    #[test]
    fn phone_numbers_and_line_ids_are_unknown_until_their_lists_exist() {
        let report = check("客服專線 (02)2345-6789，加LINE：kgi888", &demo_index()).unwrap();
        let kinds: Vec<_> = report.findings.iter().map(|f| (f.kind, f.verdict)).collect();
        assert_eq!(
            kinds,
            [
                (CandidateKind::Phone, Verdict::Unknown),
                (CandidateKind::LineId, Verdict::Unknown)
            ]
        );
        assert_eq!(report.findings[0].normalized, "+886223456789");
    }

    #[test]
    fn findings_are_capped() {
        let text: String = (0..MAX_FINDINGS + 5)
            .map(|i| format!("https://h{i}.example.com/ "))
            .collect();
        let report = check(&text, &demo_index()).unwrap();
        assert_eq!(report.findings.len(), MAX_FINDINGS);
        assert!(report.truncated);
    }
}
