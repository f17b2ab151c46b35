//! The plain words of a check answer: one headline per verdict, a short why, one next
//! action, and a sentence per reason and signal, written for an anxious investor reading
//! on a phone.

use engine::{CandidateKind, Detector, Lookalike, Overall, Reason, Signal, TakedownStatus, Verdict};
use leptos_i18n::td_string;

use crate::i18n::Locale;

/// The shape beside a headline, so a verdict never rests on colour alone.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Icon {
    Stop,
    Warning,
    Question,
    Check,
    Info,
}

/// Headline, explanation sentences and the next action for an overall verdict.
pub struct Wording {
    pub icon: Icon,
    pub headline: String,
    pub why: Vec<&'static str>,
    pub action: &'static str,
}

/// What a message's answer is about, so the words say "this number", not "this link",
/// when a phone number is all there was.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Subject {
    Link,
    Number,
    LineId,
    /// Things of more than one kind.
    Several,
}

impl Subject {
    /// The subject of a report: the kind of all it found, or several.
    pub fn of(report: &engine::Report) -> Self {
        let mut kinds = report.findings.iter().map(|f| match f.kind {
            CandidateKind::Phone => Self::Number,
            CandidateKind::LineId => Self::LineId,
            _ => Self::Link,
        });
        let Some(first) = kinds.next() else { return Self::Link };
        if kinds.all(|k| k == first) && report.hidden.total == 0 {
            first
        } else {
            Self::Several
        }
    }
}

/// The words for a whole message's verdict, in the reader's language. `firm` is the firm's
/// name in that language.
pub fn overall(verdict: Overall, subject: Subject, locale: Locale, firm: &str) -> Wording {
    match verdict {
        Overall::Fraud => Wording {
            icon: Icon::Stop,
            headline: td_string!(locale, check.fraud_headline).to_owned(),
            why: vec![td_string!(locale, check.fraud_why_1), td_string!(locale, check.fraud_why_2)],
            action: td_string!(locale, check.fraud_action),
        },
        Overall::Suspicious => Wording {
            icon: Icon::Warning,
            headline: td_string!(locale, check.suspicious_headline).to_owned(),
            why: vec![td_string!(locale, check.suspicious_why_1)],
            action: td_string!(locale, check.suspicious_action),
        },
        Overall::Unknown => Wording {
            icon: Icon::Question,
            headline: match subject {
                Subject::Link => td_string!(locale, check.unknown_headline),
                Subject::Number => td_string!(locale, check.unknown_headline_number),
                Subject::LineId => td_string!(locale, check.unknown_headline_line_id),
                Subject::Several => td_string!(locale, check.unknown_headline_several),
            }
            .to_owned(),
            why: vec![td_string!(locale, check.unknown_why_1), td_string!(locale, check.unknown_why_2)],
            action: match subject {
                Subject::Number => td_string!(locale, check.unknown_action_number),
                Subject::LineId => td_string!(locale, check.unknown_action_line_id),
                Subject::Link | Subject::Several => td_string!(locale, check.unknown_action),
            },
        },
        Overall::Official => Wording {
            icon: Icon::Check,
            headline: td_string!(locale, check.official_headline, firm).to_string(),
            why: vec![td_string!(locale, check.official_why_1)],
            action: match subject {
                Subject::Number => td_string!(locale, check.official_action_number),
                Subject::LineId => td_string!(locale, check.official_action_line_id),
                Subject::Link | Subject::Several => td_string!(locale, check.official_action),
            },
        },
        Overall::NothingFound => Wording {
            icon: Icon::Info,
            headline: td_string!(locale, check.nothing_headline).to_owned(),
            why: vec![td_string!(locale, check.nothing_why_1)],
            action: td_string!(locale, check.nothing_action),
        },
    }
}

/// A detector's job in plain words, for the note that it is switched off.
pub fn detector_name(detector: Detector, locale: Locale) -> &'static str {
    match detector {
        Detector::Takedown => td_string!(locale, check.detector_takedown),
        Detector::Official => td_string!(locale, check.detector_official),
        Detector::Lookalike => td_string!(locale, check.detector_lookalike),
        Detector::Confusable => td_string!(locale, check.detector_confusable),
        Detector::RawIp => td_string!(locale, check.detector_raw_ip),
        Detector::Shortener => td_string!(locale, check.detector_shortener),
        Detector::Phone => td_string!(locale, check.detector_phone),
        Detector::LineId => td_string!(locale, check.detector_line_id),
        Detector::ScamWording => td_string!(locale, check.detector_scam_wording),
        Detector::FirmMessage => td_string!(locale, check.detector_firm_message),
    }
}

/// The note that some checks did not run, naming each in plain words; `None` when all ran.
pub fn detectors_off(detectors: &[Detector], locale: Locale) -> Option<String> {
    if detectors.is_empty() {
        return None;
    }
    let separator = match locale {
        Locale::zh_TW => "、",
        Locale::en => "; ",
    };
    let names = detectors.iter().map(|d| detector_name(*d, locale)).collect::<Vec<_>>().join(separator);
    Some(td_string!(locale, check.detectors_off, names).to_string())
}

/// The note on findings judged but not listed, `None` when every finding is listed.
pub fn hidden_findings(hidden: &engine::HiddenFindings, locale: Locale) -> Option<String> {
    let engine::HiddenFindings { total: count, fraud, suspicious, .. } = *hidden;
    (count > 0).then(|| td_string!(locale, check.hidden_findings, count, fraud, suspicious).to_string())
}

/// The short label for one link's verdict.
pub fn verdict_label(verdict: Verdict, locale: Locale) -> &'static str {
    match verdict {
        Verdict::Fraud => td_string!(locale, check.label_fraud),
        Verdict::Suspicious => td_string!(locale, check.label_suspicious),
        Verdict::Unknown => td_string!(locale, check.label_unknown),
        Verdict::Official => td_string!(locale, check.label_official),
    }
}

/// What has become of a listed fake site, in plain words.
pub fn status_label(status: TakedownStatus, locale: Locale) -> &'static str {
    match status {
        TakedownStatus::Detected => td_string!(locale, check.status_detected),
        TakedownStatus::TakedownRequested => td_string!(locale, check.status_takedown_requested),
        TakedownStatus::TakenDown => td_string!(locale, check.status_taken_down),
        TakedownStatus::Reactivated => td_string!(locale, check.status_reactivated),
        TakedownStatus::Reported => td_string!(locale, check.status_reported),
        TakedownStatus::Monitoring => td_string!(locale, check.status_monitoring),
        TakedownStatus::FalsePositive => td_string!(locale, check.status_false_positive),
        TakedownStatus::Withdrawn => td_string!(locale, check.status_withdrawn),
    }
}

/// Why a finding got its verdict, in one plain sentence (`docs/reason-codes.md`). `kind` is
/// the finding's, so a number is "this number"; `firm` is the firm's name in `locale`.
pub fn reason_text(reason: &Reason, kind: CandidateKind, locale: Locale, firm: &str) -> String {
    let sentence = match reason {
        Reason::OfficialDomain => td_string!(locale, reasons.official_domain),
        Reason::OfficialPhone => td_string!(locale, reasons.official_phone),
        Reason::OfficialLineId => td_string!(locale, reasons.official_line_id),
        Reason::TakedownListed => td_string!(locale, reasons.takedown_listed),
        Reason::Lookalike(lookalike) => lookalike_text(lookalike, locale),
        Reason::RawIpHost => td_string!(locale, reasons.raw_ip_host),
        Reason::UserinfoTrick => td_string!(locale, reasons.userinfo_trick),
        Reason::UrlShortener => td_string!(locale, reasons.url_shortener),
        Reason::UnofficialPhone => return td_string!(locale, reasons.unofficial_phone, firm).to_string(),
        Reason::UnofficialLineId => return td_string!(locale, reasons.unofficial_line_id, firm).to_string(),
        Reason::FirmMessageLink => return td_string!(locale, reasons.firm_message_link, firm).to_string(),
        Reason::UnreadableLink => td_string!(locale, reasons.unreadable_link),
        Reason::NotListed => match kind {
            CandidateKind::Phone => td_string!(locale, check.not_listed_phone),
            CandidateKind::LineId => td_string!(locale, check.not_listed_line_id),
            _ => td_string!(locale, reasons.not_listed),
        },
    };
    sentence.to_owned()
}

fn lookalike_text(lookalike: &Lookalike, locale: Locale) -> &'static str {
    match lookalike {
        Lookalike::OfficialNameInSubdomain { .. } => td_string!(locale, reasons.official_name_in_subdomain),
        Lookalike::OfficialNameOtherSuffix { .. } => td_string!(locale, reasons.official_name_other_suffix),
        Lookalike::ConfusableWithOfficial { .. } => td_string!(locale, reasons.confusable_with_official),
        Lookalike::BrandInName { .. } => td_string!(locale, reasons.brand_in_name),
        Lookalike::BrandInSubdomain { .. } => td_string!(locale, reasons.brand_in_subdomain),
        Lookalike::MisspelledOfficial { .. } => td_string!(locale, reasons.misspelled_official),
        Lookalike::MixedScript { .. } => td_string!(locale, reasons.mixed_script),
        Lookalike::BrandLookalikeLetters { .. } => td_string!(locale, reasons.brand_lookalike_letters),
        Lookalike::OfficialNameInPath { .. } => td_string!(locale, reasons.official_name_in_path),
    }
}

/// What scam wording in the message means, in one plain sentence.
pub fn signal_text(signal: Signal, locale: Locale) -> &'static str {
    match signal {
        Signal::Urgency => td_string!(locale, reasons.urgency),
        Signal::GuaranteedProfit => td_string!(locale, reasons.guaranteed_profit),
        Signal::InvestmentTeacher => td_string!(locale, reasons.investment_teacher),
        Signal::JoinLineGroup => td_string!(locale, reasons.join_line_group),
        Signal::AccountVerification => td_string!(locale, reasons.account_verification),
    }
}

/// The stable CSS/test name of a verdict.
pub fn overall_code(verdict: Overall) -> &'static str {
    match verdict {
        Overall::Fraud => "fraud",
        Overall::Suspicious => "suspicious",
        Overall::Unknown => "unknown",
        Overall::Official => "official",
        Overall::NothingFound => "nothing_found",
    }
}

/// The stable CSS/test name of one link's verdict.
pub fn verdict_code(verdict: Verdict) -> &'static str {
    overall_code(verdict.into())
}

/// The address of a host's status page, for hosts that can have one: a host name of
/// letters, digits, hyphens and dots (a canonical host is lower-case ASCII, punycode for
/// international names). Anything else (`_` in a label, an IPv6 literal) has no page, so
/// the answer offers no link to a 404.
pub fn domain_page_path(host: &str) -> Option<String> {
    let plain = !host.is_empty() && host.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'.');
    plain.then(|| format!("/domain/{host}"))
}

/// Writes a link so that it cannot be tapped or auto-linked: `hxxps://kkpp[.]kgi357[.]com`.
pub fn defanged(link: &str) -> String {
    let link = match link.get(..4) {
        Some(scheme) if scheme.eq_ignore_ascii_case("http") => format!("hxxp{}", &link[4..]),
        _ => link.to_owned(),
    };
    link.replace('.', "[.]")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_hosts_that_can_have_a_page_get_a_link_to_one() {
        assert_eq!(domain_page_path("kkpp.kgi357.com").as_deref(), Some("/domain/kkpp.kgi357.com"));
        assert_eq!(domain_page_path("xn--kpry57d.tw").as_deref(), Some("/domain/xn--kpry57d.tw"));
        assert_eq!(domain_page_path("89.106.207.153").as_deref(), Some("/domain/89.106.207.153"));
        assert_eq!(domain_page_path("my_site.example.com"), None);
        assert_eq!(domain_page_path("[2001:db8::1]"), None);
        assert_eq!(domain_page_path(""), None);
    }

    #[test]
    fn links_are_shown_defanged() {
        assert_eq!(
            defanged("https://kkpp.kgi357.com/index/login"),
            "hxxps://kkpp[.]kgi357[.]com/index/login"
        );
        assert_eq!(defanged("http://1.2.3.4/"), "hxxp://1[.]2[.]3[.]4/");
    }

    /// One reason of every kind, lookalikes included.
    fn every_reason() -> Vec<Reason> {
        let text = |s: &str| s.to_owned();
        let lookalikes = [
            Lookalike::OfficialNameInSubdomain {
                official: text("kgi.com.tw"),
                registrable_domain: text("evil.net"),
            },
            Lookalike::OfficialNameOtherSuffix { official: text("kgi.com.tw"), suffix: text("tw") },
            Lookalike::ConfusableWithOfficial { official: text("kgi.com.tw"), label: text("kgl") },
            Lookalike::BrandInName { keyword: text("kgi"), label: text("kgi357") },
            Lookalike::BrandInSubdomain {
                keyword: text("kgi"),
                label: text("kgi"),
                registrable_domain: text("evil.net"),
            },
            Lookalike::MisspelledOfficial { official: text("kgi.com.tw"), label: text("kig"), distance: 1 },
            Lookalike::MixedScript { label: text("p\u{430}ypal") },
            Lookalike::BrandLookalikeLetters { keyword: text("kgi"), label: text("kgl357") },
            Lookalike::OfficialNameInPath { official: text("kgi.com.tw") },
        ];
        [
            Reason::OfficialDomain,
            Reason::OfficialPhone,
            Reason::OfficialLineId,
            Reason::TakedownListed,
            Reason::RawIpHost,
            Reason::UserinfoTrick,
            Reason::UrlShortener,
            Reason::UnofficialPhone,
            Reason::UnofficialLineId,
            Reason::FirmMessageLink,
            Reason::UnreadableLink,
            Reason::NotListed,
        ]
        .into_iter()
        .chain(lookalikes.into_iter().map(Reason::Lookalike))
        .collect()
    }

    #[test]
    fn every_reason_has_a_sentence_in_both_languages() {
        let reasons = every_reason();
        let codes: Vec<&str> = reasons.iter().map(Reason::code).collect();
        assert_eq!(codes, Reason::all_codes().collect::<Vec<_>>());
        for reason in &reasons {
            let zh = reason_text(reason, CandidateKind::Url, Locale::zh_TW, "凱基證券");
            let en = reason_text(reason, CandidateKind::Url, Locale::en, "KGI Securities");
            assert!(zh.ends_with('。') && en.ends_with('.'), "{}", reason.code());
        }
    }

    #[test]
    fn every_signal_has_a_sentence_in_both_languages() {
        for signal in Signal::ALL {
            assert!(signal_text(signal, Locale::zh_TW).ends_with('。'), "{}", signal.code());
            assert!(signal_text(signal, Locale::en).ends_with('.'), "{}", signal.code());
        }
        assert_eq!(signal_text(Signal::Urgency, Locale::zh_TW), "訊息催您馬上行動，這是詐騙常用的手法。");
    }

    #[test]
    fn not_listed_says_we_cannot_vouch_and_never_safe() {
        let zh = reason_text(&Reason::NotListed, CandidateKind::Url, Locale::zh_TW, "凱基證券");
        assert!(zh.contains("無法為它擔保") && !zh.contains("安全"), "{zh}");
        let en = reason_text(&Reason::NotListed, CandidateKind::Url, Locale::en, "KGI Securities");
        assert!(en.contains("cannot vouch") && !en.to_lowercase().contains("safe"), "{en}");
    }

    #[test]
    fn unknown_is_never_worded_as_safe() {
        let zh = overall(Overall::Unknown, Subject::Link, Locale::zh_TW, "凱基證券");
        assert!(zh.why.concat().contains("不代表它是安全的"));
        assert!(!zh.headline.contains("安全"));
        let en = overall(Overall::Unknown, Subject::Link, Locale::en, "KGI Securities");
        assert!(en.why.concat().contains("does not mean it is safe"));
        assert!(!en.headline.to_lowercase().contains("safe"));
    }

    #[test]
    fn a_message_speaking_as_the_firm_is_named_with_the_firms_own_name() {
        let en = reason_text(&Reason::FirmMessageLink, CandidateKind::Url, Locale::en, "Cathay Securities");
        assert_eq!(
            en,
            "This message says it is from Cathay Securities, but this link is not a Cathay Securities address."
        );
        let zh = reason_text(&Reason::UnofficialPhone, CandidateKind::Phone, Locale::zh_TW, "某證券");
        assert_eq!(zh, "這則訊息自稱是某證券，但這支電話不是某證券的電話。");
    }

    #[test]
    fn a_phone_number_alone_is_this_number_not_this_link() {
        let words = overall(Overall::Unknown, Subject::Number, Locale::en, "KGI Securities");
        assert_eq!(words.headline, "We cannot vouch for this number");
        assert!(!words.action.contains("site"), "{}", words.action);
        let reason = reason_text(&Reason::NotListed, CandidateKind::Phone, Locale::en, "KGI Securities");
        assert!(reason.starts_with("This number"), "{reason}");
        let zh = reason_text(&Reason::NotListed, CandidateKind::LineId, Locale::zh_TW, "凱基證券");
        assert!(zh.starts_with("這個 LINE 帳號"), "{zh}");
    }

    #[test]
    fn switched_off_detectors_are_named_in_plain_words() {
        let note = detectors_off(&[Detector::Lookalike, Detector::RawIp], Locale::en).unwrap();
        assert!(note.contains("spotting addresses that copy our name; spotting links"), "{note}");
        assert!(!note.contains("raw_ip") && !note.contains("lookalike"), "{note}");
        assert_eq!(detectors_off(&[], Locale::en), None);
        for detector in Detector::ALL {
            for locale in [Locale::zh_TW, Locale::en] {
                assert!(!detector_name(detector, locale).contains('_'), "{}", detector.code());
            }
        }
    }

    #[test]
    fn the_official_headline_names_the_firm_from_its_data() {
        let words = overall(Overall::Official, Subject::Link, Locale::zh_TW, "某證券");
        assert_eq!(words.headline, "這是某證券的官方管道");
    }
}
