//! Judges every finding of a message against the index and sums them up: per
//! finding `official | fraud | suspicious | unknown`, overall the worst, with
//! reason codes, the scam wording seen and the detectors switched off.

use std::net::IpAddr;

use serde::{Deserialize, Serialize};

use crate::canon::{canonicalize, Host};
use crate::domain::registrable_domain;
use crate::extract::{extract_cleaned, Candidate, CandidateKind};
use crate::index::{Index, TakedownStatus};
use crate::lookalike::{assess_site, Lookalike};
use crate::signals::Signal;
use crate::text::CleanText;
use crate::{MAX_FINDINGS, MAX_MESSAGE_BYTES};

/// What we can say about one finding. Declared from least to most dangerous, so the
/// derived order makes "worst wins" a plain `max`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Verdict {
    /// One of the firm's verified domains, hotlines or accounts.
    Official,
    /// Not on any list: we cannot vouch for it (never "safe").
    Unknown,
    /// Not listed, but imitating the firm or otherwise risky.
    Suspicious,
    /// A known fake in the takedown database.
    Fraud,
}

/// The verdict for a whole message.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Overall {
    /// Nothing was extracted and no scam wording was seen.
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

/// A detector that can be switched off at run time.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Detector {
    /// Matching the takedown database.
    Takedown,
    /// Matching the official list.
    Official,
    /// Brand lookalikes: brand tokens, misspellings, other suffixes.
    Lookalike,
    /// Look-alike characters and mixed scripts (UTS #39).
    Confusable,
    /// Links whose host is a raw IP address.
    RawIp,
    /// Link shorteners, which hide where a link leads.
    Shortener,
    /// Phone numbers.
    Phone,
    /// LINE IDs.
    LineId,
    /// Scam wording in the message.
    ScamWording,
}

impl Detector {
    /// Every detector.
    pub const ALL: [Self; 9] = [
        Self::Takedown,
        Self::Official,
        Self::Lookalike,
        Self::Confusable,
        Self::RawIp,
        Self::Shortener,
        Self::Phone,
        Self::LineId,
        Self::ScamWording,
    ];

    /// The stable code, as in configuration and JSON.
    pub fn code(self) -> &'static str {
        match self {
            Self::Takedown => "takedown",
            Self::Official => "official",
            Self::Lookalike => "lookalike",
            Self::Confusable => "confusable",
            Self::RawIp => "raw_ip",
            Self::Shortener => "shortener",
            Self::Phone => "phone",
            Self::LineId => "line_id",
            Self::ScamWording => "scam_wording",
        }
    }

    /// Parses a detector code.
    pub fn parse(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|d| d.code() == code)
    }

    fn bit(self) -> u16 {
        1 << (self as u16)
    }
}

/// Which detectors are on. All are on by default; a switched-off detector is listed in
/// every report, so an answer never silently lacks a check.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Switches {
    off: u16,
}

impl Switches {
    /// These switches with `detector` turned off.
    pub fn without(self, detector: Detector) -> Self {
        Self { off: self.off | detector.bit() }
    }

    /// Whether `detector` runs.
    pub fn is_on(self, detector: Detector) -> bool {
        self.off & detector.bit() == 0
    }

    /// The detectors switched off, in [`Detector::ALL`] order.
    pub fn disabled(self) -> Vec<Detector> {
        Detector::ALL.into_iter().filter(|d| !self.is_on(*d)).collect()
    }
}

/// Why a finding got its verdict, as a stable code (documented in `docs/reason-codes.md`);
/// the app words it for the reader (`app/locales/*/reasons.json`).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Reason {
    /// The link's host is an official domain or one of its subdomains.
    OfficialDomain,
    /// The number is an official hotline.
    OfficialPhone,
    /// The LINE ID is an official account.
    OfficialLineId,
    /// The link is in the takedown database.
    TakedownListed,
    /// The link imitates the firm.
    Lookalike(Lookalike),
    /// The link goes to a bare IP address instead of a name.
    RawIpHost,
    /// The link puts a name before an `@`, so it reads like one site but opens another
    /// (`https://www.kgi.com.tw@evil.example/`).
    UserinfoTrick,
    /// A link shortener hides where the link leads.
    UrlShortener,
    /// A phone number that is not an official hotline, in a message that names the firm.
    UnofficialPhone,
    /// A LINE ID that is not an official account, in a message that names the firm.
    UnofficialLineId,
    /// The link is written in a way no browser would open; it cannot be checked.
    UnreadableLink,
    /// Not on any list we keep.
    NotListed,
}

impl Reason {
    /// The codes of every reason, lookalikes included, for documentation and tests.
    pub fn all_codes() -> impl Iterator<Item = &'static str> {
        [
            "official_domain",
            "official_phone",
            "official_line_id",
            "takedown_listed",
            "raw_ip_host",
            "userinfo_trick",
            "url_shortener",
            "unofficial_phone",
            "unofficial_line_id",
            "unreadable_link",
            "not_listed",
        ]
        .into_iter()
        .chain(Lookalike::CODES)
    }

    /// The stable code, as in JSON.
    pub fn code(&self) -> &'static str {
        match self {
            Self::OfficialDomain => "official_domain",
            Self::OfficialPhone => "official_phone",
            Self::OfficialLineId => "official_line_id",
            Self::TakedownListed => "takedown_listed",
            Self::Lookalike(l) => l.code(),
            Self::RawIpHost => "raw_ip_host",
            Self::UserinfoTrick => "userinfo_trick",
            Self::UrlShortener => "url_shortener",
            Self::UnofficialPhone => "unofficial_phone",
            Self::UnofficialLineId => "unofficial_line_id",
            Self::UnreadableLink => "unreadable_link",
            Self::NotListed => "not_listed",
        }
    }
}

/// The takedown entry a finding matched, as the public may see it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct TakedownMatch {
    pub entry_id: i64,
    pub status: TakedownStatus,
    pub listed_on: String,
}

/// One thing found in the message, with its verdict.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Finding {
    pub kind: CandidateKind,
    /// As written in the message.
    pub raw: String,
    /// Canonical URL, E.164 number or lower-case LINE ID.
    pub normalized: String,
    /// The link's host (ASCII, punycode for IDNs).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub host: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub registrable_domain: Option<String>,
    pub verdict: Verdict,
    pub reasons: Vec<Reason>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub takedown: Option<TakedownMatch>,
}

/// The result of checking one message.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Report {
    pub verdict: Overall,
    pub findings: Vec<Finding>,
    /// Scam wording seen in the message.
    pub signals: Vec<Signal>,
    /// True when the message had more than [`MAX_FINDINGS`] findings and the rest were not judged.
    pub truncated: bool,
    /// Detectors that were switched off for this check.
    pub disabled_detectors: Vec<Detector>,
}

/// Why a message could not be checked.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum CheckError {
    #[error("the message is empty")]
    Empty,
    #[error("the message is {bytes} bytes; the limit is {MAX_MESSAGE_BYTES}")]
    TooLong { bytes: usize },
}

/// Link shorteners: we never open links, so where these lead stays hidden.
const SHORTENERS: &[&str] = &[
    "0rz.tw",
    "bit.ly",
    "buff.ly",
    "cutt.ly",
    "goo.gl",
    "is.gd",
    "lihi.cc",
    "lihi1.com",
    "lihi2.com",
    "lihi3.com",
    "lin.ee",
    "ow.ly",
    "ppt.cc",
    "pse.is",
    "rb.gy",
    "rebrand.ly",
    "reurl.cc",
    "s.id",
    "shorturl.at",
    "t.co",
    "t.ly",
    "tiny.cc",
    "tinyurl.com",
    "v.gd",
];

/// Checks a pasted message against `index`, with every detector on.
pub fn check(text: &str, index: &Index) -> Result<Report, CheckError> {
    check_with(text, index, Switches::default())
}

/// Checks a pasted message against `index`, running only the detectors `switches` leaves on.
pub fn check_with(text: &str, index: &Index, switches: Switches) -> Result<Report, CheckError> {
    if text.len() > MAX_MESSAGE_BYTES {
        return Err(CheckError::TooLong { bytes: text.len() });
    }
    if text.trim().is_empty() {
        return Err(CheckError::Empty);
    }
    let clean = CleanText::new(text);
    let candidates = extract_cleaned(&clean);
    // Only phones and LINE IDs are judged by whether the message names the firm; a message
    // of links alone skips the search.
    let has_contacts = candidates
        .iter()
        .take(MAX_FINDINGS)
        .any(|c| matches!(c.kind, CandidateKind::Phone | CandidateKind::LineId));
    let names_firm = has_contacts && names_firm(clean.text(), index.brand_keywords());
    let truncated = candidates.len() > MAX_FINDINGS;
    let findings: Vec<Finding> =
        candidates.into_iter().take(MAX_FINDINGS).map(|c| judge(c, index, switches, names_firm)).collect();
    let signals = if switches.is_on(Detector::ScamWording) {
        index.scam_phrases().scan(clean.text())
    } else {
        Vec::new()
    };
    let verdict = overall(&findings, &signals);
    Ok(Report { verdict, findings, signals, truncated, disabled_detectors: switches.disabled() })
}

/// The worst finding decides; scam wording (beyond mere urgency) makes an unknown or
/// empty message suspicious, since the wording itself is the warning sign.
fn overall(findings: &[Finding], signals: &[Signal]) -> Overall {
    let worst = findings.iter().map(|f| f.verdict).max();
    let scam_wording = signals.iter().any(|s| *s != Signal::Urgency) || signals.len() >= 2;
    match worst {
        Some(Verdict::Unknown) | None if scam_wording => Overall::Suspicious,
        Some(v) => v.into(),
        None => Overall::NothingFound,
    }
}

/// Whether the message names the firm: a Latin keyword as a word of its own (digits,
/// punctuation or CJK around it are fine, letters are not), or a CJK keyword anywhere.
fn names_firm(text: &str, keywords: &[String]) -> bool {
    let lower = text.to_lowercase();
    keywords.iter().any(|keyword| {
        if !keyword.is_ascii() {
            return lower.contains(keyword.as_str());
        }
        lower.match_indices(keyword.as_str()).any(|(at, m)| {
            let before = lower[..at].chars().next_back();
            let after = lower[at + m.len()..].chars().next();
            !before.is_some_and(|c| c.is_ascii_alphabetic())
                && !after.is_some_and(|c| c.is_ascii_alphabetic())
        })
    })
}

fn judge(candidate: Candidate, index: &Index, switches: Switches, names_firm: bool) -> Finding {
    let Candidate { kind, raw, value } = candidate;
    let mut finding = Finding {
        kind,
        raw,
        normalized: value,
        host: None,
        registrable_domain: None,
        verdict: Verdict::Unknown,
        reasons: Vec::new(),
        takedown: None,
    };
    match kind {
        CandidateKind::Url | CandidateKind::Domain | CandidateKind::Ip => {
            judge_link(&mut finding, index, switches)
        }
        CandidateKind::Phone => {
            let official = switches.is_on(Detector::Official) && index.is_official_phone(&finding.normalized);
            judge_contact(
                &mut finding,
                official,
                switches.is_on(Detector::Phone) && names_firm,
                Reason::OfficialPhone,
                Reason::UnofficialPhone,
            );
        }
        CandidateKind::LineId => {
            let official =
                switches.is_on(Detector::Official) && index.is_official_line_id(&finding.normalized);
            judge_contact(
                &mut finding,
                official,
                switches.is_on(Detector::LineId) && names_firm,
                Reason::OfficialLineId,
                Reason::UnofficialLineId,
            );
        }
    }
    finding
}

fn judge_contact(
    finding: &mut Finding,
    official: bool,
    imitates: bool,
    official_reason: Reason,
    imitation: Reason,
) {
    (finding.verdict, finding.reasons) = if official {
        (Verdict::Official, vec![official_reason])
    } else if imitates {
        (Verdict::Suspicious, vec![imitation])
    } else {
        (Verdict::Unknown, vec![Reason::NotListed])
    };
}

/// Whether a link has a user part (`name@` before the host), as written.
fn has_userinfo(link: &str) -> bool {
    let after_scheme = link.split_once("://").map_or(link, |(_, rest)| rest);
    let authority_end = after_scheme.find(['/', '?', '#', '\\']).unwrap_or(after_scheme.len());
    after_scheme[..authority_end].contains('@')
}

fn judge_link(finding: &mut Finding, index: &Index, switches: Switches) {
    // Read before canonicalising, which drops the user part.
    let userinfo = has_userinfo(&finding.normalized);
    let url = match canonicalize(&finding.normalized) {
        Ok(url) => url,
        Err(_) => {
            finding.reasons.push(Reason::UnreadableLink);
            return;
        }
    };
    finding.normalized = url.as_str().to_owned();
    // Borrowed from the canonical URL; the finding gets one copy of each.
    let host = url.host_str();
    let ip = match url.host() {
        Host::Ipv4(v4) => Some(IpAddr::V4(*v4)),
        Host::Ipv6(v6) => Some(IpAddr::V6(*v6)),
        Host::Domain(_) => None,
    };
    let site = if ip.is_none() { registrable_domain(host) } else { None };
    finding.registrable_domain = site.map(str::to_owned);
    finding.host = Some(host.to_owned());

    if switches.is_on(Detector::Takedown) {
        let by_name = index.takedown_for_url(&url, site);
        if let Some(entry) = by_name.or_else(|| ip.and_then(|ip| index.takedown_for_ip(ip))) {
            finding.verdict = Verdict::Fraud;
            finding.reasons.push(Reason::TakedownListed);
            finding.takedown = Some(TakedownMatch {
                entry_id: entry.id,
                status: entry.status,
                listed_on: entry.listed_on().to_owned(),
            });
            return;
        }
    }
    if ip.is_none() && switches.is_on(Detector::Official) && index.official_domain_for(host).is_some() {
        finding.verdict = Verdict::Official;
        finding.reasons.push(Reason::OfficialDomain);
        return;
    }
    if ip.is_some() && switches.is_on(Detector::RawIp) {
        finding.reasons.push(Reason::RawIpHost);
    }
    if switches.is_on(Detector::Lookalike) && userinfo {
        finding.reasons.push(Reason::UserinfoTrick);
    }
    let lookalike_on = switches.is_on(Detector::Lookalike) || switches.is_on(Detector::Confusable);
    // No site for an IP address or an unlisted ending: such hosts imitate no one.
    if let Some(site) = site.filter(|_| lookalike_on) {
        let lookalikes = assess_site(host, site, index.brand_profile()).into_iter().filter(|l| {
            let confusable =
                matches!(l, Lookalike::ConfusableWithOfficial { .. } | Lookalike::MixedScript { .. });
            switches.is_on(if confusable { Detector::Confusable } else { Detector::Lookalike })
        });
        finding.reasons.extend(lookalikes.map(Reason::Lookalike));
    }
    finding.verdict = if finding.reasons.is_empty() { Verdict::Unknown } else { Verdict::Suspicious };
    if switches.is_on(Detector::Shortener) && site.is_some_and(|s| SHORTENERS.contains(&s)) {
        finding.reasons.push(Reason::UrlShortener);
    }
    if finding.verdict == Verdict::Unknown {
        finding.reasons.push(Reason::NotListed);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::index::tests::entry;
    use crate::index::{IndexData, TakedownScope};

    fn index() -> Index {
        Index::build(IndexData {
            official_domains: vec!["kgi.com.tw".into()],
            official_phones: vec!["+886223456789".into()],
            official_line_ids: vec!["kgi_official".into()],
            brand_keywords: vec!["kgi".into(), "凱基".into()],
            takedown: vec![
                entry(1, TakedownScope::Host, "kkpp.kgi357.com"),
                entry(2, TakedownScope::Ip, "89.106.207.153"),
                entry(3, TakedownScope::Url, "sites.example.net/fake-kgi/login"),
                entry(4, TakedownScope::RegistrableDomain, "ec66.tw"),
                entry(5, TakedownScope::Cidr, "203.0.113.0/24"),
            ],
        })
        .expect("valid test index")
    }

    fn report(text: &str) -> Report {
        check(text, &index()).expect("checkable")
    }

    fn codes(finding: &Finding) -> Vec<&'static str> {
        finding.reasons.iter().map(Reason::code).collect()
    }

    #[test]
    fn a_listed_fake_is_fraud_with_its_takedown_status_and_date() {
        let report = report("https://kkpp.kgi357.com/index/login");
        assert_eq!(report.verdict, Overall::Fraud);
        let finding = &report.findings[0];
        assert_eq!(codes(finding), ["takedown_listed"]);
        assert_eq!(
            finding.takedown,
            Some(TakedownMatch {
                entry_id: 1,
                status: TakedownStatus::TakedownRequested,
                listed_on: "2025-09-30".into()
            })
        );
        assert_eq!(finding.registrable_domain.as_deref(), Some("kgi357.com"));
    }

    #[test]
    fn any_page_and_subdomain_of_a_listed_host_is_fraud() {
        assert_eq!(report("kkpp.kgi357.com/other?x=1").verdict, Overall::Fraud);
        assert_eq!(report("https://a.kkpp.kgi357.com/").verdict, Overall::Fraud);
    }

    #[test]
    fn a_listed_page_on_a_shared_host_does_not_condemn_the_host() {
        assert_eq!(report("https://sites.example.net/fake-kgi/login").verdict, Overall::Fraud);
        assert_eq!(report("https://sites.example.net/someone-else").verdict, Overall::Unknown);
    }

    #[test]
    fn a_listed_registrable_domain_covers_every_host_under_it() {
        let report = report("確認【2311915.ec66.tw】非公司網站");
        assert_eq!(report.verdict, Overall::Fraud);
        assert_eq!(report.findings[0].takedown.as_ref().map(|t| t.entry_id), Some(4));
    }

    #[test]
    fn links_on_a_listed_ip_or_network_are_fraud_in_any_ipv4_spelling() {
        assert_eq!(report("hxxps://89[.]106[.]207[.]153/index/login").verdict, Overall::Fraud);
        // 203.0.113.7 written as one decimal number, as phishing kits sometimes do.
        assert_eq!(report("http://3405803783/login").verdict, Overall::Fraud);
    }

    #[test]
    fn the_official_domain_and_its_subdomains_are_official() {
        let report = report("https://www.kgi.com.tw/");
        assert_eq!(report.verdict, Overall::Official);
        assert_eq!(codes(&report.findings[0]), ["official_domain"]);
    }

    #[test]
    fn the_official_name_inside_another_domain_is_suspicious_never_official() {
        let report = report("https://www.kgi.com.tw.evil.net/login");
        assert_eq!(report.verdict, Overall::Suspicious);
        assert_eq!(codes(&report.findings[0]), ["official_name_in_subdomain"]);
        assert_eq!(report.findings[0].registrable_domain.as_deref(), Some("evil.net"));
    }

    #[test]
    fn a_user_at_host_trick_is_judged_by_the_real_host() {
        let report = report("https://www.kgi.com.tw@evil.example/login");
        assert_ne!(report.verdict, Overall::Official);
        assert_eq!(report.findings[0].host.as_deref(), Some("evil.example"));
    }

    #[test]
    fn a_name_before_an_at_sign_is_a_trick_whatever_the_real_host() {
        let report = report("https://www.kgi.com.tw@evil.example/login");
        assert_eq!(report.verdict, Overall::Suspicious);
        assert_eq!(codes(&report.findings[0]), ["userinfo_trick"]);
        assert!(!has_userinfo("https://example.org/path@here"));
    }

    #[test]
    fn brand_lookalikes_are_suspicious_with_their_reason() {
        for (link, code) in [
            ("kgi888.cc", "brand_in_name"),
            ("https://kig.com.tw/", "misspelled_official"),
            ("kgi.tw", "official_name_other_suffix"),
        ] {
            let report = report(link);
            assert_eq!(report.verdict, Overall::Suspicious, "{link}");
            assert_eq!(codes(&report.findings[0]), [code], "{link}");
        }
    }

    #[test]
    fn a_raw_ip_link_is_suspicious() {
        let report = report("http://198.51.100.9/verify");
        assert_eq!(report.verdict, Overall::Suspicious);
        assert_eq!(codes(&report.findings[0]), ["raw_ip_host"]);
    }

    #[test]
    fn a_short_link_is_unknown_and_says_its_target_is_hidden() {
        let report = report("https://bit.ly/3abcDEF");
        assert_eq!(report.verdict, Overall::Unknown);
        assert_eq!(codes(&report.findings[0]), ["url_shortener", "not_listed"]);
    }

    #[test]
    fn an_unlisted_link_is_unknown_never_safe() {
        let report = report("https://example.org/");
        assert_eq!(report.verdict, Overall::Unknown);
        assert_eq!(codes(&report.findings[0]), ["not_listed"]);
    }

    #[test]
    fn phones_and_line_ids_are_official_only_when_listed() {
        let report = report("客服 (02)2345-6789，LINE @kgi_official");
        assert_eq!(report.verdict, Overall::Official);
        let kinds: Vec<_> = report.findings.iter().map(|f| (f.kind, f.verdict)).collect();
        assert_eq!(
            kinds,
            [(CandidateKind::Phone, Verdict::Official), (CandidateKind::LineId, Verdict::Official)]
        );
    }

    #[test]
    fn an_unlisted_contact_in_a_message_naming_the_firm_is_suspicious() {
        let report = report("【凱基證券】專員專線 0912-345-678，加LINE：kgi888");
        let verdicts: Vec<_> = report.findings.iter().map(|f| (f.kind, f.verdict)).collect();
        assert_eq!(
            verdicts,
            [(CandidateKind::Phone, Verdict::Suspicious), (CandidateKind::LineId, Verdict::Suspicious)]
        );
        assert_eq!(codes(&report.findings[0]), ["unofficial_phone"]);
    }

    #[test]
    fn an_unlisted_contact_in_a_message_not_naming_the_firm_is_unknown() {
        let report = report("媽，我換號碼了 0912-345-678");
        assert_eq!(report.findings[0].verdict, Verdict::Unknown);
    }

    #[test]
    fn a_brand_buried_in_a_word_does_not_name_the_firm() {
        assert!(!names_firm("parkgirl 0912-345-678", &["kgi".into()]));
        assert!(names_firm("KGI證券", &["kgi".into()]));
        assert!(names_firm("凱基提醒您", &["凱基".into()]));
    }

    #[test]
    fn the_worst_finding_decides_the_message() {
        let text = "官網 https://www.kgi.com.tw/ 或 https://kkpp.kgi357.com/index/login";
        assert_eq!(report(text).verdict, Overall::Fraud);
        assert_eq!(report("https://www.kgi.com.tw/ https://example.org/").verdict, Overall::Unknown);
    }

    #[test]
    fn scam_wording_makes_an_unknown_or_empty_message_suspicious() {
        let unknown_link = report("您的帳戶異常，請立即至 https://example.org/a 驗證");
        assert_eq!(unknown_link.verdict, Overall::Suspicious);
        assert!(unknown_link.signals.contains(&Signal::AccountVerification));
        assert_eq!(report("保證獲利，老師帶單").verdict, Overall::Suspicious);
    }

    #[test]
    fn urgency_alone_does_not_raise_the_verdict() {
        assert_eq!(report("請立即回電").verdict, Overall::NothingFound);
    }

    #[test]
    fn a_message_without_findings_or_wording_has_nothing_found() {
        let report = report("明天下午三點開會");
        assert_eq!(report.verdict, Overall::NothingFound);
        assert!(report.findings.is_empty() && report.signals.is_empty());
    }

    #[test]
    fn a_switched_off_detector_is_reported_and_its_check_skipped() {
        let switches = Switches::default().without(Detector::Lookalike).without(Detector::ScamWording);
        let report = check_with("kgi888.cc 保證獲利", &index(), switches).unwrap();
        assert_eq!(report.verdict, Overall::Unknown);
        assert!(report.signals.is_empty());
        assert_eq!(report.disabled_detectors, [Detector::Lookalike, Detector::ScamWording]);
    }

    #[test]
    fn switching_off_takedown_never_turns_a_fake_official() {
        let switches = Switches::default().without(Detector::Takedown);
        let report = check_with("https://kkpp.kgi357.com/index/login", &index(), switches).unwrap();
        assert_eq!(report.verdict, Overall::Suspicious, "still a brand lookalike");
        assert_eq!(report.disabled_detectors, [Detector::Takedown]);
    }

    #[test]
    fn empty_and_oversized_messages_are_refused() {
        assert_eq!(check("  \n ", &index()), Err(CheckError::Empty));
        let big = "a".repeat(MAX_MESSAGE_BYTES + 1);
        assert_eq!(check(&big, &index()), Err(CheckError::TooLong { bytes: MAX_MESSAGE_BYTES + 1 }));
    }

    #[test]
    fn findings_are_capped_and_the_cut_is_reported() {
        let text: String = (0..MAX_FINDINGS + 5).map(|i| format!("https://h{i}.example.com/ ")).collect();
        let report = report(&text);
        assert_eq!(report.findings.len(), MAX_FINDINGS);
        assert!(report.truncated);
    }

    #[test]
    fn detector_codes_round_trip() {
        for d in Detector::ALL {
            assert_eq!(Detector::parse(d.code()), Some(d));
        }
    }

    #[test]
    fn every_reason_and_signal_is_documented() {
        let doc = include_str!("../../docs/reason-codes.md");
        for code in Reason::all_codes().chain(Signal::ALL.iter().map(|s| s.code())) {
            assert!(doc.contains(&format!("| `{code}` |")), "{code} is missing from docs/reason-codes.md");
        }
    }
}
