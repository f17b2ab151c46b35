//! The plain words of a check answer: one headline per verdict, a short why, one next
//! action, and a sentence per reason and signal, written for an anxious investor reading
//! on a phone.

use engine::{Lookalike, Overall, Reason, Signal, TakedownStatus, Verdict};
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
    pub headline: &'static str,
    pub why: Vec<&'static str>,
    pub action: &'static str,
}

/// The words for a whole message's verdict, in the reader's language.
pub fn overall(verdict: Overall, locale: Locale) -> Wording {
    match verdict {
        Overall::Fraud => Wording {
            icon: Icon::Stop,
            headline: td_string!(locale, check.fraud_headline),
            why: vec![td_string!(locale, check.fraud_why_1), td_string!(locale, check.fraud_why_2)],
            action: td_string!(locale, check.fraud_action),
        },
        Overall::Suspicious => Wording {
            icon: Icon::Warning,
            headline: td_string!(locale, check.suspicious_headline),
            why: vec![td_string!(locale, check.suspicious_why_1)],
            action: td_string!(locale, check.suspicious_action),
        },
        Overall::Unknown => Wording {
            icon: Icon::Question,
            headline: td_string!(locale, check.unknown_headline),
            why: vec![td_string!(locale, check.unknown_why_1), td_string!(locale, check.unknown_why_2)],
            action: td_string!(locale, check.unknown_action),
        },
        Overall::Official => Wording {
            icon: Icon::Check,
            headline: td_string!(locale, check.official_headline),
            why: vec![td_string!(locale, check.official_why_1)],
            action: td_string!(locale, check.official_action),
        },
        Overall::NothingFound => Wording {
            icon: Icon::Info,
            headline: td_string!(locale, check.nothing_headline),
            why: vec![td_string!(locale, check.nothing_why_1)],
            action: td_string!(locale, check.nothing_action),
        },
    }
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
    }
}

/// Why a finding got its verdict, in one plain sentence (`docs/reason-codes.md`).
pub fn reason_text(reason: &Reason, locale: Locale) -> &'static str {
    match reason {
        Reason::OfficialDomain => td_string!(locale, reasons.official_domain),
        Reason::OfficialPhone => td_string!(locale, reasons.official_phone),
        Reason::OfficialLineId => td_string!(locale, reasons.official_line_id),
        Reason::TakedownListed => td_string!(locale, reasons.takedown_listed),
        Reason::Lookalike(lookalike) => lookalike_text(lookalike, locale),
        Reason::RawIpHost => td_string!(locale, reasons.raw_ip_host),
        Reason::UserinfoTrick => td_string!(locale, reasons.userinfo_trick),
        Reason::UrlShortener => td_string!(locale, reasons.url_shortener),
        Reason::UnofficialPhone => td_string!(locale, reasons.unofficial_phone),
        Reason::UnofficialLineId => td_string!(locale, reasons.unofficial_line_id),
        Reason::UnreadableLink => td_string!(locale, reasons.unreadable_link),
        Reason::NotListed => td_string!(locale, reasons.not_listed),
    }
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
            let zh = reason_text(reason, Locale::zh_TW);
            let en = reason_text(reason, Locale::en);
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
        let zh = reason_text(&Reason::NotListed, Locale::zh_TW);
        assert!(zh.contains("無法為它擔保") && !zh.contains("安全"), "{zh}");
        let en = reason_text(&Reason::NotListed, Locale::en);
        assert!(en.contains("cannot vouch") && !en.to_lowercase().contains("safe"), "{en}");
    }

    #[test]
    fn unknown_is_never_worded_as_safe() {
        let zh = overall(Overall::Unknown, Locale::zh_TW);
        assert!(zh.why.concat().contains("不代表它是安全的"));
        assert!(!zh.headline.contains("安全"));
        let en = overall(Overall::Unknown, Locale::en);
        assert!(en.why.concat().contains("does not mean it is safe"));
        assert!(!en.headline.to_lowercase().contains("safe"));
    }
}
