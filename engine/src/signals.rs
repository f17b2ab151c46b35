//! Scam wording: phrases that fraud messages use (rushing, sure profit, "investment
//! teachers", LINE groups, account checks), found in one pass with Aho-Corasick.
//!
//! Signals are hints, not verdicts: the firm's own bulletins quote these phrases to warn
//! about them, and a real message may say 驗證 for a one-time code. They add a reason to a
//! message; they never make a link fraudulent on their own.

use aho_corasick::{AhoCorasick, AhoCorasickBuilder, AhoCorasickKind};
use serde::{Deserialize, Serialize};

/// The most phrases a configured list may hold; a list this long is a broken import.
pub const MAX_PHRASES: usize = 2_000;

/// The longest phrase, in UTF-8 bytes.
pub const MAX_PHRASE_BYTES: usize = 128;

/// Phrase lists of at most this many bytes in all (the built-in one is about 1.2 KiB) are
/// compiled into a DFA, which finds the same matches faster than the crate's default
/// contiguous NFA (measured: 110 ns instead of 230 for a link alone, 161 µs instead of
/// 201 for 64 KiB of SMS text); its tables stay within a few MiB (0.95 MB for the built-in
/// list, against 60 KB). Longer lists leave the choice to the crate, whose DFA could grow large.
const DFA_MAX_PHRASE_BYTES: usize = 4 * 1024;

/// One kind of scam wording. Declared in the order [`ScamPhrases::scan`] reports them.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Signal {
    /// The message rushes the reader: 立即, 最後通知, account will be frozen.
    Urgency,
    /// The message promises sure or risk-free profit: 保證獲利, 穩賺不賠.
    GuaranteedProfit,
    /// The message brings in an "investment teacher", an assistant or copy trading: 老師帶單.
    InvestmentTeacher,
    /// The message asks the reader to add a LINE contact or join a chat group: 加LINE.
    JoinLineGroup,
    /// The message says the account needs checking, verifying or logging in again: 帳戶異常.
    AccountVerification,
}

impl Signal {
    /// Every signal, in report order.
    pub const ALL: [Self; 5] = [
        Self::Urgency,
        Self::GuaranteedProfit,
        Self::InvestmentTeacher,
        Self::JoinLineGroup,
        Self::AccountVerification,
    ];

    /// The stable code, as in JSON.
    pub fn code(self) -> &'static str {
        match self {
            Self::Urgency => "urgency",
            Self::GuaranteedProfit => "guaranteed_profit",
            Self::InvestmentTeacher => "investment_teacher",
            Self::JoinLineGroup => "join_line_group",
            Self::AccountVerification => "account_verification",
        }
    }

    /// The position of this signal in [`Signal::ALL`].
    fn index(self) -> usize {
        match self {
            Self::Urgency => 0,
            Self::GuaranteedProfit => 1,
            Self::InvestmentTeacher => 2,
            Self::JoinLineGroup => 3,
            Self::AccountVerification => 4,
        }
    }
}

/// The built-in phrases. Latin ones are lower-case (matching ignores ASCII case). Text is
/// NFKC-normalised before the scan, so full-width `ＬＩＮＥ` arrives as `LINE`. A few
/// Simplified Chinese forms are included because many scam scripts are written in them.
const BUILT_IN: &[(&str, Signal)] = &[
    // Urgency.
    ("立即", Signal::Urgency),
    ("立刻", Signal::Urgency),
    ("馬上", Signal::Urgency),
    ("盡快", Signal::Urgency),
    ("儘快", Signal::Urgency),
    ("盡速", Signal::Urgency),
    ("儘速", Signal::Urgency),
    ("今日內", Signal::Urgency),
    ("今天內", Signal::Urgency),
    ("24小時內", Signal::Urgency),
    ("24 小時內", Signal::Urgency),
    ("逾期", Signal::Urgency),
    ("限時", Signal::Urgency),
    ("限期", Signal::Urgency),
    ("最後通知", Signal::Urgency),
    ("最後一天", Signal::Urgency),
    ("即將到期", Signal::Urgency),
    ("名額有限", Signal::Urgency),
    ("帳戶將被凍結", Signal::Urgency),
    ("帳戶將被停權", Signal::Urgency),
    ("帳戶將被停用", Signal::Urgency),
    ("帳號將被凍結", Signal::Urgency),
    ("帳號將被停權", Signal::Urgency),
    ("帳號將被停用", Signal::Urgency),
    ("将被冻结", Signal::Urgency),
    ("urgent", Signal::Urgency),
    ("immediately", Signal::Urgency),
    ("within 24 hours", Signal::Urgency),
    ("final notice", Signal::Urgency),
    ("account suspended", Signal::Urgency),
    ("account will be suspended", Signal::Urgency),
    ("act now", Signal::Urgency),
    // Sure profit.
    ("保證獲利", Signal::GuaranteedProfit),
    ("保證賺", Signal::GuaranteedProfit),
    ("包賺", Signal::GuaranteedProfit),
    ("穩賺", Signal::GuaranteedProfit),
    ("穩賺不賠", Signal::GuaranteedProfit),
    ("穩定獲利", Signal::GuaranteedProfit),
    ("保本", Signal::GuaranteedProfit),
    ("零風險", Signal::GuaranteedProfit),
    ("無風險", Signal::GuaranteedProfit),
    ("高報酬", Signal::GuaranteedProfit),
    ("高獲利", Signal::GuaranteedProfit),
    ("翻倍", Signal::GuaranteedProfit),
    ("飆股", Signal::GuaranteedProfit),
    ("明牌", Signal::GuaranteedProfit),
    ("內線", Signal::GuaranteedProfit),
    ("保證中籤", Signal::GuaranteedProfit),
    ("日賺", Signal::GuaranteedProfit),
    ("保证获利", Signal::GuaranteedProfit),
    ("稳赚", Signal::GuaranteedProfit),
    ("内线", Signal::GuaranteedProfit),
    ("guaranteed return", Signal::GuaranteedProfit),
    ("guaranteed profit", Signal::GuaranteedProfit),
    ("risk-free", Signal::GuaranteedProfit),
    ("risk free", Signal::GuaranteedProfit),
    ("double your money", Signal::GuaranteedProfit),
    // Investment teacher.
    ("老師", Signal::InvestmentTeacher),
    ("投資老師", Signal::InvestmentTeacher),
    ("股票老師", Signal::InvestmentTeacher),
    ("名師", Signal::InvestmentTeacher),
    ("分析師帶單", Signal::InvestmentTeacher),
    ("帶單", Signal::InvestmentTeacher),
    ("助理", Signal::InvestmentTeacher),
    ("助教", Signal::InvestmentTeacher),
    ("操盤手", Signal::InvestmentTeacher),
    ("老师", Signal::InvestmentTeacher),
    ("带单", Signal::InvestmentTeacher),
    ("teacher", Signal::InvestmentTeacher),
    ("mentor", Signal::InvestmentTeacher),
    ("signal group", Signal::InvestmentTeacher),
    // LINE and chat groups.
    ("加line", Signal::JoinLineGroup),
    ("加 line", Signal::JoinLineGroup),
    ("加賴", Signal::JoinLineGroup),
    ("加入line", Signal::JoinLineGroup),
    ("加入 line", Signal::JoinLineGroup),
    ("加入群組", Signal::JoinLineGroup),
    ("line群", Signal::JoinLineGroup),
    ("line 群", Signal::JoinLineGroup),
    ("投資群組", Signal::JoinLineGroup),
    ("股票群組", Signal::JoinLineGroup),
    ("加好友", Signal::JoinLineGroup),
    ("私訊", Signal::JoinLineGroup),
    ("加入群组", Signal::JoinLineGroup),
    ("add line", Signal::JoinLineGroup),
    ("add me on line", Signal::JoinLineGroup),
    ("join our group", Signal::JoinLineGroup),
    ("line group", Signal::JoinLineGroup),
    ("whatsapp group", Signal::JoinLineGroup),
    ("telegram group", Signal::JoinLineGroup),
    // Account checks.
    ("帳戶異常", Signal::AccountVerification),
    ("帳號異常", Signal::AccountVerification),
    ("登入異常", Signal::AccountVerification),
    ("異常登入", Signal::AccountVerification),
    ("帳戶有風險", Signal::AccountVerification),
    ("潛在風險", Signal::AccountVerification),
    ("驗證", Signal::AccountVerification),
    ("身分驗證", Signal::AccountVerification),
    ("身份驗證", Signal::AccountVerification),
    ("更新資料", Signal::AccountVerification),
    ("更新個人資料", Signal::AccountVerification),
    ("重新登入", Signal::AccountVerification),
    ("解除鎖定", Signal::AccountVerification),
    ("解除分期", Signal::AccountVerification),
    ("账户异常", Signal::AccountVerification),
    ("验证", Signal::AccountVerification),
    ("verify your account", Signal::AccountVerification),
    ("account verification", Signal::AccountVerification),
    ("update your information", Signal::AccountVerification),
    ("unusual activity", Signal::AccountVerification),
    ("login to confirm", Signal::AccountVerification),
    ("log in to confirm", Signal::AccountVerification),
    ("confirm your identity", Signal::AccountVerification),
];

/// Why a phrase list could not be built.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum PhrasesError {
    /// More phrases than [`MAX_PHRASES`].
    #[error("{count} phrases; the limit is {MAX_PHRASES}")]
    TooMany {
        /// How many were given.
        count: usize,
    },
    /// A phrase is empty or only white space.
    #[error("a phrase is empty")]
    Empty,
    /// A phrase is longer than [`MAX_PHRASE_BYTES`].
    #[error("phrase {0:?} is longer than {MAX_PHRASE_BYTES} bytes")]
    TooLong(String),
    /// The automaton could not be built (it never happens within the limits above).
    #[error("the phrase matcher could not be built: {0}")]
    Build(String),
}

/// A phrase list compiled into one automaton; build it once and share it.
#[derive(Clone, Debug)]
pub struct ScamPhrases {
    matcher: Matcher,
    /// The signal of each phrase, by pattern id.
    signal_of: Vec<Signal>,
}

/// How the phrases are searched.
#[derive(Clone, Debug)]
enum Matcher {
    /// One pass over the text, whatever the number of phrases.
    Automaton(AhoCorasick),
    /// One search per phrase in the ASCII-lower-cased text: slower, same answers. Only
    /// [`ScamPhrases::default`] uses it, if the automaton could not be built.
    Plain(Vec<String>),
}

impl ScamPhrases {
    /// Compiles a phrase list (a configured one; [`Default`] gives the built-in list).
    /// Latin letters match in any case.
    pub fn new<P: AsRef<str>>(phrases: &[(P, Signal)]) -> Result<Self, PhrasesError> {
        let (patterns, signal_of) = validate(phrases)?;
        // Standard match semantics, so overlapping phrases of different signals all count.
        // Every kind of automaton finds the same matches; only speed and size differ.
        let small = patterns.iter().map(|p| p.len()).sum::<usize>() <= DFA_MAX_PHRASE_BYTES;
        let matcher = AhoCorasickBuilder::new()
            .ascii_case_insensitive(true)
            .kind(small.then_some(AhoCorasickKind::DFA))
            .build(&patterns)
            .map_err(|e| PhrasesError::Build(e.to_string()))?;
        Ok(Self { matcher: Matcher::Automaton(matcher), signal_of })
    }

    /// The signals whose phrases occur in `text` (NFKC-normalised, as the engine's text
    /// cleaning gives it), each at most once, in the order of [`Signal::ALL`].
    pub fn scan(&self, text: &str) -> Vec<Signal> {
        let mut seen = [false; Signal::ALL.len()];
        let mut mark = |pattern: usize| {
            if let Some(signal) = self.signal_of.get(pattern) {
                seen[signal.index()] = true;
            }
        };
        match &self.matcher {
            Matcher::Automaton(automaton) => {
                for found in automaton.find_overlapping_iter(text) {
                    mark(found.pattern().as_usize());
                }
            }
            Matcher::Plain(patterns) => {
                let lowered = text.to_ascii_lowercase();
                for (pattern, phrase) in patterns.iter().enumerate() {
                    if lowered.contains(phrase.as_str()) {
                        mark(pattern);
                    }
                }
            }
        }
        Signal::ALL.into_iter().filter(|s| seen[s.index()]).collect()
    }
}

/// Checks a phrase list against the limits; gives the patterns and their signals.
fn validate<P: AsRef<str>>(phrases: &[(P, Signal)]) -> Result<(Vec<&str>, Vec<Signal>), PhrasesError> {
    if phrases.len() > MAX_PHRASES {
        return Err(PhrasesError::TooMany { count: phrases.len() });
    }
    let mut patterns = Vec::with_capacity(phrases.len());
    let mut signal_of = Vec::with_capacity(phrases.len());
    for (phrase, signal) in phrases {
        let phrase = phrase.as_ref();
        if phrase.trim().is_empty() {
            return Err(PhrasesError::Empty);
        }
        if phrase.len() > MAX_PHRASE_BYTES {
            return Err(PhrasesError::TooLong(phrase.to_owned()));
        }
        patterns.push(phrase);
        signal_of.push(*signal);
    }
    Ok((patterns, signal_of))
}

impl Default for ScamPhrases {
    /// The built-in phrase list. Its automaton always builds (a test proves it); should it
    /// ever fail, the plain matcher keeps the detector working instead of panicking on a
    /// request path or silently finding nothing.
    fn default() -> Self {
        Self::new(BUILT_IN).unwrap_or_else(|_| Self {
            matcher: Matcher::Plain(BUILT_IN.iter().map(|(p, _)| p.to_ascii_lowercase()).collect()),
            signal_of: BUILT_IN.iter().map(|(_, s)| *s).collect(),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn scan(text: &str) -> Vec<Signal> {
        ScamPhrases::default().scan(text)
    }

    #[test]
    fn the_built_in_list_compiles_into_an_automaton() {
        let phrases = ScamPhrases::new(BUILT_IN);

        assert!(matches!(phrases.map(|p| p.matcher), Ok(Matcher::Automaton(_))));
    }

    #[test]
    fn the_built_in_list_is_a_small_dfa_and_long_lists_are_not_dfas() {
        let bytes: usize = BUILT_IN.iter().map(|(p, _)| p.len()).sum();
        assert!(bytes <= DFA_MAX_PHRASE_BYTES, "{bytes} bytes");
        let Matcher::Automaton(built_in) = ScamPhrases::default().matcher else { panic!("no automaton") };
        assert_eq!(built_in.kind(), AhoCorasickKind::DFA);
        assert!(built_in.memory_usage() < 4 << 20, "{} bytes", built_in.memory_usage());

        let long: Vec<(String, Signal)> =
            (0..MAX_PHRASES).map(|i| (format!("詐騙話術第{i}句"), Signal::Urgency)).collect();
        let Ok(ScamPhrases { matcher: Matcher::Automaton(long), .. }) = ScamPhrases::new(&long) else {
            panic!("no automaton")
        };
        assert_ne!(long.kind(), AhoCorasickKind::DFA);
    }

    #[test]
    fn each_signal_is_found_in_chinese_and_english_wording() {
        let cases = [
            ("請立即處理，否則帳戶將被凍結", Signal::Urgency),
            ("最後通知：今日內完成", Signal::Urgency),
            ("Final notice: act within 24 hours", Signal::Urgency),
            ("老師帶你穩賺不賠，零風險", Signal::GuaranteedProfit),
            ("Guaranteed returns, risk-free!", Signal::GuaranteedProfit),
            ("分析師帶單，跟著投資老師操作", Signal::InvestmentTeacher),
            ("Our mentor shares tips in the signal group", Signal::InvestmentTeacher),
            ("加LINE領取飆股", Signal::JoinLineGroup),
            ("加賴好友", Signal::JoinLineGroup),
            ("Join our group on WhatsApp group chat", Signal::JoinLineGroup),
            ("您的帳戶異常，請重新登入", Signal::AccountVerification),
            ("Unusual activity: verify your account", Signal::AccountVerification),
        ];
        for (text, signal) in cases {
            let found = scan(text);

            assert!(found.contains(&signal), "{text:?} gave {found:?}");
        }
    }

    #[test]
    fn ordinary_messages_give_no_signal() {
        for text in [
            "明天下午三點在分行開會",
            "您的對帳單已寄出，謝謝",
            "Your monthly statement is ready.",
            "股東會將於六月舉行",
        ] {
            assert_eq!(scan(text), [], "{text:?}");
        }
    }

    #[test]
    fn latin_phrases_match_in_any_case() {
        assert_eq!(scan("加Line群組"), [Signal::JoinLineGroup]);
        assert_eq!(scan("URGENT"), [Signal::Urgency]);
        assert_eq!(scan("Verify Your Account"), [Signal::AccountVerification]);
    }

    #[test]
    fn nfkc_normalised_full_width_letters_are_matched() {
        // What the text cleaner turns `加ＬＩＮＥ` into.
        assert_eq!(scan("加LINE"), [Signal::JoinLineGroup]);
    }

    #[test]
    fn each_signal_is_reported_once_in_a_stable_order() {
        let text = "帳戶異常 驗證 加入群組 加賴 老師 助理 穩賺 翻倍 立即 馬上 立即";

        let found = scan(text);

        assert_eq!(found, Signal::ALL);
    }

    #[test]
    fn a_phrase_inside_a_longer_phrase_of_another_signal_still_counts() {
        // 帳戶將被凍結 is urgency; 帳戶異常 elsewhere is account verification.
        assert_eq!(scan("帳戶異常，帳戶將被凍結"), [Signal::Urgency, Signal::AccountVerification]);
        assert_eq!(scan("投資老師帶單"), [Signal::InvestmentTeacher]);
    }

    #[test]
    fn a_real_fake_sms_gives_its_signals() {
        let sms = "【凱基證券】您的帳戶有潛在風險，請於今日內點擊連結完成身分驗證 kgi357.com";

        assert_eq!(scan(sms), [Signal::Urgency, Signal::AccountVerification]);
    }

    #[test]
    fn a_real_fake_investment_invitation_gives_its_signals() {
        let text = "股市名師免費帶單，保證獲利，立即加入LINE群組：@abc123";

        assert_eq!(
            scan(text),
            [Signal::Urgency, Signal::GuaranteedProfit, Signal::InvestmentTeacher, Signal::JoinLineGroup]
        );
    }

    #[test]
    fn the_plain_fallback_finds_what_the_automaton_finds() {
        let automaton = ScamPhrases::default();
        let plain = ScamPhrases {
            matcher: Matcher::Plain(BUILT_IN.iter().map(|(p, _)| p.to_ascii_lowercase()).collect()),
            signal_of: BUILT_IN.iter().map(|(_, s)| *s).collect(),
        };
        for text in [
            "股市名師免費帶單，保證獲利，立即加入LINE群組",
            "Unusual activity: VERIFY your account",
            "明天開會",
        ] {
            assert_eq!(plain.scan(text), automaton.scan(text), "{text:?}");
        }
    }

    #[test]
    fn a_configured_list_is_checked_against_the_limits() {
        assert_eq!(ScamPhrases::new(&[(" ", Signal::Urgency)]).err(), Some(PhrasesError::Empty));
        let long = "急".repeat(MAX_PHRASE_BYTES);
        assert_eq!(
            ScamPhrases::new(&[(long.as_str(), Signal::Urgency)]).err(),
            Some(PhrasesError::TooLong(long.clone()))
        );
        let many = vec![("急", Signal::Urgency); MAX_PHRASES + 1];
        assert_eq!(ScamPhrases::new(&many).err(), Some(PhrasesError::TooMany { count: MAX_PHRASES + 1 }));
    }

    #[test]
    fn a_configured_list_finds_its_own_phrases() {
        let phrases = ScamPhrases::new(&[("抽籤", Signal::GuaranteedProfit)]).expect("valid list");

        assert_eq!(phrases.scan("包你抽籤中"), [Signal::GuaranteedProfit]);
        assert_eq!(phrases.scan("立即"), []);
    }

    #[test]
    fn every_signal_has_a_stable_code() {
        for signal in Signal::ALL {
            let json = serde_json::to_string(&signal).expect("serialisable");

            assert_eq!(json, format!("\"{}\"", signal.code()));
        }
        let codes: Vec<&str> = Signal::ALL.iter().map(|s| s.code()).collect();
        assert_eq!(
            codes,
            ["urgency", "guaranteed_profit", "investment_teacher", "join_line_group", "account_verification"]
        );
    }

    #[test]
    fn every_built_in_phrase_is_found_by_itself() {
        let phrases = ScamPhrases::default();

        for (phrase, signal) in BUILT_IN {
            assert!(phrases.scan(phrase).contains(signal), "{phrase:?}");
        }
    }

    #[test]
    fn built_in_latin_phrases_are_lower_case() {
        for (phrase, _) in BUILT_IN {
            assert_eq!(*phrase, phrase.to_ascii_lowercase(), "{phrase:?}");
        }
    }
}
