//! The plain words of a check answer: one headline per verdict, a short why, and
//! one next action, written for an anxious investor reading on a phone.

use engine::{Overall, Verdict};

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
    pub headline_en: &'static str,
    pub why: &'static [&'static str],
    pub action: &'static str,
}

/// The words for a whole message's verdict.
pub fn overall(verdict: Overall) -> Wording {
    match verdict {
        Overall::Fraud => Wording {
            icon: Icon::Stop,
            headline: "危險：這是假冒的網站",
            headline_en: "Danger: this is a known fake site",
            why: &["這個連結在我們的假冒網站名單上。", "我們正在請相關單位將它下架。"],
            action: "不要點擊，不要登入。若已輸入帳號密碼，請立刻撥打 165 反詐騙專線。",
        },
        Overall::Suspicious => Wording {
            icon: Icon::Warning,
            headline: "小心：這很可能是詐騙",
            headline_en: "Careful: this is very likely a scam",
            why: &["它不在我們的官方名單上，卻有詐騙常見的特徵（原因列在下方）。"],
            action: "不要點擊，不要登入，不要加 LINE 或回電。有疑問請撥打 165 反詐騙專線。",
        },
        Overall::Unknown => Wording {
            icon: Icon::Question,
            headline: "無法確認：我們無法為它擔保",
            headline_en: "We cannot vouch for this link",
            why: &["它不在我們的任何名單上。", "這不代表它是安全的。"],
            action: "請不要在這個網站輸入帳號密碼。要登入時，請自己輸入下方的官方網址。",
        },
        Overall::Official => Wording {
            icon: Icon::Check,
            headline: "這是凱基證券的官方管道",
            headline_en: "This is an official KGI Securities channel",
            why: &["它在本公司的官方名單上。"],
            action: "登入前，請再看一次網址，確認每個字都一樣。",
        },
        Overall::NothingFound => Wording {
            icon: Icon::Info,
            headline: "沒有找到網址、電話或 LINE 帳號",
            headline_en: "No link, phone number or LINE ID found",
            why: &["您貼上的內容裡沒有可以查證的網址、電話或 LINE 帳號。"],
            action: "若訊息要您加 LINE、打電話或匯款，請先撥打 165 反詐騙專線查證。",
        },
    }
}

/// The short label for one link's verdict.
pub fn verdict_label(verdict: Verdict) -> &'static str {
    match verdict {
        Verdict::Fraud => "假冒網站",
        Verdict::Suspicious => "可疑",
        Verdict::Unknown => "無法確認",
        Verdict::Official => "官方網址",
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
        let words = overall(Overall::Unknown);
        let all: String =
            [words.headline, words.action].into_iter().chain(words.why.iter().copied()).collect();
        assert!(all.contains("不代表它是安全的"));
        assert!(!words.headline.contains("安全"));
        assert!(!words.headline_en.to_lowercase().contains("safe"));
    }
}
