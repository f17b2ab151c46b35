//! The plain words of a check answer: one headline per verdict, a short why, and
//! one next action, written for an anxious investor reading on a phone.

use engine::{Overall, TakedownStatus, Verdict};
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
    fn links_are_shown_defanged() {
        assert_eq!(
            defanged("https://kkpp.kgi357.com/index/login"),
            "hxxps://kkpp[.]kgi357[.]com/index/login"
        );
        assert_eq!(defanged("http://1.2.3.4/"), "hxxp://1[.]2[.]3[.]4/");
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
