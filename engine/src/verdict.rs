//! Judges every finding of a message against the index and sums them up: per
//! finding `official | fraud | suspicious | unknown`, overall the worst, with
//! reason codes, the scam wording seen and the detectors switched off.

use std::net::IpAddr;

use serde::{Deserialize, Serialize};

use crate::canon::{canonicalize, Host};
use crate::domain::registrable_domain;
use crate::extract::{extract_cleaned, Candidate, CandidateKind};
use crate::index::{Index, TakedownStatus};
use crate::lookalike::{assess_site, official_name_in_path, Lookalike};
use crate::signals::Signal;
use crate::text::CleanText;
use crate::{MAX_MESSAGE_BYTES, MAX_SHOWN_FINDINGS};

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
    /// Messages that speak as the firm (see [`crate::sender`]): what in them is not the
    /// firm's is suspicious.
    FirmMessage,
}

impl Detector {
    /// Every detector.
    pub const ALL: [Self; 10] = [
        Self::Takedown,
        Self::Official,
        Self::Lookalike,
        Self::Confusable,
        Self::RawIp,
        Self::Shortener,
        Self::Phone,
        Self::LineId,
        Self::ScamWording,
        Self::FirmMessage,
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
            Self::FirmMessage => "firm_message",
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
    /// A phone number that is not an official hotline, in a message that speaks as the firm.
    UnofficialPhone,
    /// A LINE ID that is not an official account, in a message that speaks as the firm.
    UnofficialLineId,
    /// A link that is not an official address, in a message that speaks as the firm.
    FirmMessageLink,
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
            "firm_message_link",
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
            Self::FirmMessageLink => "firm_message_link",
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
    /// The listed name the link fell under: the listed host or registrable domain, the
    /// host of a listed page, or the listed IP address (never more of the link's host).
    pub listed_host: String,
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

/// How many of a message's findings were judged but are not in [`Report::findings`], by
/// verdict. They count towards the headline all the same.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct HiddenFindings {
    pub total: usize,
    pub fraud: usize,
    pub suspicious: usize,
    pub unknown: usize,
    pub official: usize,
}

impl HiddenFindings {
    fn add(&mut self, verdict: Verdict) {
        self.total += 1;
        match verdict {
            Verdict::Fraud => self.fraud += 1,
            Verdict::Suspicious => self.suspicious += 1,
            Verdict::Unknown => self.unknown += 1,
            Verdict::Official => self.official += 1,
        }
    }
}

/// The result of checking one message.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Report {
    /// The worst of every finding (shown or not) and the scam wording.
    pub verdict: Overall,
    /// The findings to show, at most [`MAX_SHOWN_FINDINGS`], in the order of the message.
    /// When a message has more, the most serious are the ones shown.
    pub findings: Vec<Finding>,
    /// The findings judged but not shown.
    pub hidden: HiddenFindings,
    /// Scam wording seen in the message.
    pub signals: Vec<Signal>,
    /// The message presents itself as the firm (see [`crate::sender`]), so anything in it
    /// that is not the firm's is suspicious.
    pub speaks_as_firm: bool,
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
/// Every link, phone number and LINE ID in the message is judged, and all of them decide
/// the headline; only the list of findings to show is cut (see [`Report::hidden`]).
pub fn check_with(text: &str, index: &Index, switches: Switches) -> Result<Report, CheckError> {
    if text.len() > MAX_MESSAGE_BYTES {
        return Err(CheckError::TooLong { bytes: text.len() });
    }
    if text.trim().is_empty() {
        return Err(CheckError::Empty);
    }
    let clean = CleanText::new(text);
    let candidates = extract_cleaned(&clean);
    let speaks_as_firm =
        switches.is_on(Detector::FirmMessage) && index.firm_names().speaks_as_firm(clean.text());
    let judged: Vec<Finding> =
        candidates.into_iter().map(|c| judge(c, index, switches, speaks_as_firm)).collect();
    let signals = if switches.is_on(Detector::ScamWording) {
        index.scam_phrases().scan(clean.text())
    } else {
        Vec::new()
    };
    let verdict = overall(&judged, &signals);
    let (findings, hidden) = shown_and_hidden(judged);
    Ok(Report { verdict, findings, hidden, signals, speaks_as_firm, disabled_detectors: switches.disabled() })
}

/// Splits judged findings into those shown (at most [`MAX_SHOWN_FINDINGS`]: the most
/// serious, earliest first among equals, then back in message order) and a count of the rest.
fn shown_and_hidden(mut judged: Vec<Finding>) -> (Vec<Finding>, HiddenFindings) {
    let mut hidden = HiddenFindings::default();
    if judged.len() <= MAX_SHOWN_FINDINGS {
        return (judged, hidden);
    }
    let mut order: Vec<usize> = (0..judged.len()).collect();
    // Stable: among equally serious findings the earlier one comes first.
    order.sort_by_key(|&i| std::cmp::Reverse(judged[i].verdict));
    let mut keep = vec![false; judged.len()];
    for &i in &order[..MAX_SHOWN_FINDINGS] {
        keep[i] = true;
    }
    for &i in &order[MAX_SHOWN_FINDINGS..] {
        hidden.add(judged[i].verdict);
    }
    let mut position = 0;
    judged.retain(|_| {
        position += 1;
        keep[position - 1]
    });
    (judged, hidden)
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

fn judge(candidate: Candidate, index: &Index, switches: Switches, speaks_as_firm: bool) -> Finding {
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
            judge_link(&mut finding, index, switches);
            // The firm sends no one to an address that is not its own.
            let unofficial = matches!(finding.verdict, Verdict::Unknown | Verdict::Suspicious);
            if speaks_as_firm && unofficial {
                finding.reasons.retain(|r| *r != Reason::NotListed);
                finding.reasons.insert(0, Reason::FirmMessageLink);
                finding.verdict = Verdict::Suspicious;
            }
        }
        CandidateKind::Phone => {
            let official = switches.is_on(Detector::Official) && index.is_official_phone(&finding.normalized);
            judge_contact(
                &mut finding,
                official,
                switches.is_on(Detector::Phone) && speaks_as_firm,
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
                switches.is_on(Detector::LineId) && speaks_as_firm,
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
        let by_name = index.takedown_hit_for_url(&url, site).map(|(entry, name)| (entry, name.to_owned()));
        let by_ip = || ip.and_then(|ip| index.takedown_for_ip(ip).map(|entry| (entry, ip.to_string())));
        if let Some((entry, listed_host)) = by_name.or_else(by_ip) {
            finding.verdict = Verdict::Fraud;
            finding.reasons.push(Reason::TakedownListed);
            finding.takedown = Some(TakedownMatch {
                entry_id: entry.id,
                status: entry.status,
                listed_on: entry.listed_on().to_owned(),
                listed_host,
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
                && !index.lookalike_cleared(site, l.code())
        });
        finding.reasons.extend(lookalikes.map(Reason::Lookalike));
    }
    // `other.top/kgi.com.tw/login`: the firm's address as a folder of someone else's site.
    if switches.is_on(Detector::Lookalike) {
        if let Some(in_path) = official_name_in_path(url.path(), index.brand_profile()) {
            if !site.is_some_and(|site| index.lookalike_cleared(site, in_path.code())) {
                finding.reasons.push(Reason::Lookalike(in_path));
            }
        }
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
            firm_names: vec!["凱基證券".into(), "KGI Securities".into()],
            takedown: vec![
                entry(1, TakedownScope::Host, "kkpp.kgi357.com"),
                entry(2, TakedownScope::Ip, "89.106.207.153"),
                entry(3, TakedownScope::Url, "sites.example.net/fake-kgi/login"),
                entry(4, TakedownScope::RegistrableDomain, "ec66.tw"),
                entry(5, TakedownScope::Cidr, "203.0.113.0/24"),
            ],
            cleared_lookalikes: vec![("kgi-fans.org".into(), "brand_in_name".into())],
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
                listed_on: "2025-09-30".into(),
                listed_host: "kkpp.kgi357.com".into(),
            })
        );
        assert_eq!(finding.registrable_domain.as_deref(), Some("kgi357.com"));
    }

    #[test]
    fn a_lookalike_warning_the_security_team_cleared_is_no_longer_given_for_that_site_only() {
        // kgi-fans.org had its `brand_in_name` warning cleared (a fan club, not a fake).
        let cleared = report("https://www.kgi-fans.org/");
        assert_eq!(cleared.verdict, Overall::Unknown, "{cleared:?}");
        assert_eq!(codes(&cleared.findings[0]), ["not_listed"]);
        // Another site with the same trick still gets it.
        assert_eq!(codes(&report("https://kgi-fans.net/").findings[0]), ["brand_in_name"]);
        // A cleared reason is only that reason: the raw address, or a listing, still counts.
        let other = report("https://www.kgi-fans.org.evil.top/");
        assert_eq!(other.verdict, Overall::Suspicious);
    }

    #[test]
    fn any_page_and_subdomain_of_a_listed_host_is_fraud() {
        assert_eq!(report("kkpp.kgi357.com/other?x=1").verdict, Overall::Fraud);
        assert_eq!(report("https://a.kkpp.kgi357.com/").verdict, Overall::Fraud);
    }

    #[test]
    fn a_match_names_the_listing_not_what_a_phishing_kit_put_before_it() {
        let listed = |text: &str| report(text).findings[0].takedown.clone().map(|t| t.listed_host);
        assert_eq!(listed("https://a123456789.kkpp.kgi357.com/").as_deref(), Some("kkpp.kgi357.com"));
        assert_eq!(listed("https://0912345678.ec66.tw/").as_deref(), Some("ec66.tw"));
        assert_eq!(listed("http://203.0.113.9/x").as_deref(), Some("203.0.113.9"));
        assert_eq!(listed("https://sites.example.net/fake-kgi/login").as_deref(), Some("sites.example.net"));
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
    fn the_official_address_as_a_folder_of_another_site_is_suspicious() {
        for link in ["other.top/kgi.com.tw/", "https://198.51.100.9/www.kgi.com.tw/login"] {
            let report = report(link);
            assert_eq!(report.verdict, Overall::Suspicious, "{link}");
            assert!(codes(&report.findings[0]).contains(&"official_name_in_path"), "{link}");
        }
        assert_eq!(report("https://www.kgi.com.tw/kgi.com.tw/").verdict, Overall::Official);
        assert_eq!(report("https://www.google.com/search?q=kgi.com.tw").verdict, Overall::Unknown);
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
    fn an_unlisted_contact_in_a_message_speaking_as_the_firm_is_suspicious() {
        let report = report("【凱基證券】專員專線 0912-345-678，加LINE：kgi888");
        assert!(report.speaks_as_firm);
        let verdicts: Vec<_> = report.findings.iter().map(|f| (f.kind, f.verdict)).collect();
        assert_eq!(
            verdicts,
            [(CandidateKind::Phone, Verdict::Suspicious), (CandidateKind::LineId, Verdict::Suspicious)]
        );
        assert_eq!(codes(&report.findings[0]), ["unofficial_phone"]);
    }

    #[test]
    fn an_unlisted_contact_in_a_message_not_speaking_as_the_firm_is_unknown() {
        assert_eq!(report("媽，我換號碼了 0912-345-678").findings[0].verdict, Verdict::Unknown);
        let mention = report("我在凱基的營業員 0912-345-678");
        assert!(!mention.speaks_as_firm);
        assert_eq!(mention.findings[0].verdict, Verdict::Unknown);
    }

    #[test]
    fn an_unofficial_link_in_a_message_speaking_as_the_firm_is_suspicious_and_says_why() {
        for text in [
            "【凱基證券】您的帳戶有風險，請至 https://example.org/verify 驗證",
            "凱基證券客服提醒您：請更新資料 secure-update.top",
            "KGI Securities: your account is locked, visit https://www.google.com/forms/x",
        ] {
            let report = report(text);
            assert_eq!(report.verdict, Overall::Suspicious, "{text}");
            assert_eq!(codes(&report.findings[0])[0], "firm_message_link", "{text}");
            assert!(!codes(&report.findings[0]).contains(&"not_listed"), "{text}");
        }
    }

    #[test]
    fn a_short_link_in_a_message_speaking_as_the_firm_is_suspicious() {
        let report = report("【凱基證券】中籤通知，詳情 https://bit.ly/3abcDEF");
        assert_eq!(report.verdict, Overall::Suspicious);
        assert_eq!(codes(&report.findings[0]), ["firm_message_link", "url_shortener"]);
    }

    #[test]
    fn official_links_and_known_fakes_keep_their_verdict_in_a_message_speaking_as_the_firm() {
        let report = report("【凱基證券】官網 https://www.kgi.com.tw/ 假網站 https://kkpp.kgi357.com/");
        let verdicts: Vec<_> = report.findings.iter().map(|f| f.verdict).collect();
        assert_eq!(verdicts, [Verdict::Official, Verdict::Fraud]);
        assert_eq!(codes(&report.findings[1]), ["takedown_listed"]);
    }

    #[test]
    fn mentioning_the_firm_beside_an_unrelated_site_stays_unknown() {
        for text in [
            "我的凱基帳戶餘額是多少 https://www.google.com/",
            "凱基證券公告第三季財報 https://news.cnyes.com/news/id/1",
        ] {
            let report = report(text);
            assert!(!report.speaks_as_firm, "{text}");
            assert_eq!(report.verdict, Overall::Unknown, "{text}");
        }
    }

    #[test]
    fn a_message_speaking_as_the_firm_with_only_official_links_stays_official() {
        let report = report("【凱基證券】請至官網 https://www.kgi.com.tw/ 查詢，客服 (02)2345-6789");
        assert_eq!(report.verdict, Overall::Official);
    }

    #[test]
    fn switching_off_firm_message_judges_links_on_their_own() {
        let switches = Switches::default().without(Detector::FirmMessage);
        let report = check_with("【凱基證券】請至 https://example.org/ 驗證", &index(), switches).unwrap();
        assert!(!report.speaks_as_firm);
        assert_eq!(codes(&report.findings[0]), ["not_listed"]);
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
    fn past_the_shown_limit_findings_are_counted_and_still_decide_the_headline() {
        // Many official links before one fake: the fake is past the limit yet decides.
        let mut text: String =
            (0..MAX_SHOWN_FINDINGS + 20).map(|i| format!("https://p{i}.kgi.com.tw/ ")).collect();
        text.push_str("https://kkpp.kgi357.com/index/login");
        let report = report(&text);
        assert_eq!(report.verdict, Overall::Fraud);
        assert_eq!(report.findings.len(), MAX_SHOWN_FINDINGS);
        assert_eq!(report.findings.last().map(|f| f.verdict), Some(Verdict::Fraud), "the fake is shown");
        assert_eq!(
            report.hidden,
            HiddenFindings { total: 21, official: 21, ..HiddenFindings::default() },
            "the rest are counted"
        );
    }

    #[test]
    fn exactly_the_shown_limit_hides_nothing_and_one_more_hides_one() {
        let links = |n: usize| -> String { (0..n).map(|i| format!("https://p{i}.kgi.com.tw/ ")).collect() };
        let at_limit = report(&links(MAX_SHOWN_FINDINGS));
        assert_eq!((at_limit.findings.len(), at_limit.hidden.total), (MAX_SHOWN_FINDINGS, 0));
        assert_eq!(at_limit.verdict, Overall::Official);
        let mut one_past = links(MAX_SHOWN_FINDINGS);
        one_past.push_str("https://example.org/");
        let one_past = report(&one_past);
        assert_eq!(one_past.verdict, Overall::Unknown, "the unknown one past the limit decides");
        assert_eq!(one_past.hidden, HiddenFindings { total: 1, official: 1, ..HiddenFindings::default() });
        assert!(one_past.findings.iter().any(|f| f.verdict == Verdict::Unknown), "and is the one shown");
    }

    #[test]
    fn the_shown_findings_keep_the_order_of_the_message() {
        let mut text: String =
            (0..MAX_SHOWN_FINDINGS).map(|i| format!("https://p{i}.kgi.com.tw/ ")).collect();
        text = format!("https://example.org/ {text} https://kkpp.kgi357.com/");
        let report = report(&text);
        assert_eq!(report.findings[0].verdict, Verdict::Unknown);
        assert_eq!(report.findings.last().map(|f| f.verdict), Some(Verdict::Fraud));
        assert_eq!(report.hidden.official, 2);
    }

    #[test]
    fn every_link_of_a_full_size_message_is_judged() {
        // The smallest links the extractor finds, as many as fit in the size limit.
        let mut text = String::new();
        let mut n = 0;
        while text.len() + 32 < MAX_MESSAGE_BYTES {
            text.push_str(&format!("a{n}.tw "));
            n += 1;
        }
        text.push_str("kkpp.kgi357.com");
        let report = report(&text);
        assert_eq!(report.verdict, Overall::Fraud);
        assert_eq!(report.findings.len() + report.hidden.total, n + 1);
    }

    #[test]
    fn a_link_split_across_lines_is_never_official() {
        for text in [
            "https://www.kgi.com.tw\n.evil.net/login",
            "https://www.kgi.com.\ntw.evil.net/login",
            "https://www.kgi.com.tw.\nevil.net",
            "官網 https://www.kgi.com.tw/\nhttps://www.kgi.com.tw.\nverify-account.net/login",
        ] {
            assert_ne!(report(text).verdict, Overall::Official, "{text:?}");
        }
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
