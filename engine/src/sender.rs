//! Who a message says it is from: whether it presents itself as the firm.
//!
//! The commonest scam text opens with the firm's name (`【凱基證券】`, `凱基證券客服提醒：`,
//! `KGI Securities:`) and sends the reader to a link, a phone number or a LINE account that
//! is not the firm's. The firm never does that, so such a message is suspicious. Merely
//! naming the firm (`我的凱基帳戶餘額是多少`) is not speaking as it. The rule, in one sentence:
//!
//! > A message speaks as the firm when the firm's name stands where a sender's name
//! > stands: as a tag in brackets (`【凱基證券】`, `[KGI]`), as its first words followed by
//! > a colon, a line break or a word such as 提醒 / 通知 / 客服 / 您好, greeting the firm's
//! > customers (`親愛的凱基用戶`, `Dear KGI customer`), or as its signature on the last
//! > line (`凱基證券 敬上`).
//!
//! The firm's names are its Chinese and English names and its brand keywords, all from
//! the data (another firm deploys the site by loading its own). Latin names match as
//! whole words in any letter case (`kgi` in `parkgirl` is no name); Chinese ones anywhere.

/// The longest bracket tag read as a sender's name, in characters (`【凱基證券客服中心】`).
const MAX_TAG_CHARS: usize = 20;

/// The longest signature line read as a sender's name, in characters.
const MAX_SIGNATURE_CHARS: usize = 24;

/// Brackets that hold an SMS sender's tag. Round brackets are left out: they hold stock
/// codes and asides in ordinary text (`凱基(2883)`).
const TAG_BRACKETS: [(char, char); 5] = [('【', '】'), ('[', ']'), ('〔', '〕'), ('〖', '〗'), ('《', '》')];

/// Words that may follow the firm's name inside its sender's name: `凱基` + `證券` +
/// `客服中心`. Lower case; tried longest first.
const ORGANISATION_WORDS: [&str; 22] = [
    "customer service",
    "securities",
    "客服中心",
    "服務中心",
    "服務團隊",
    "總公司",
    "金控",
    "證券",
    "证券",
    "投顧",
    "期貨",
    "銀行",
    "人壽",
    "客服",
    "團隊",
    "官方",
    "support",
    "service",
    "official",
    "team",
    "co.",
    "inc.",
];

/// What, right after the sender's name at the start, makes it a sender: the message goes on
/// to address the reader. Lower case.
const SENDER_MARKERS: [&str; 20] = [
    ":",
    "：",
    "】",
    "]",
    "|",
    "｜",
    "—",
    "- ",
    "提醒",
    "通知",
    "敬告",
    "關心您",
    "您好",
    "你好",
    "溫馨",
    "重要",
    "提示",
    "reminder",
    "notice",
    "alert",
];

/// Who a greeting at the start addresses, right after the firm's name (`親愛的凱基` + `用戶`).
const CUSTOMER_WORDS: [&str; 10] =
    ["客戶", "用戶", "會員", "投資人", "貴賓", "customer", "client", "user", "member", "investor"];

/// Greetings that can open a message before the firm's name.
const GREETINGS: [&str; 4] = ["親愛的", "尊敬的", "dear ", "hi "];

/// Sign-offs that may follow the firm's name on the last line (`凱基證券 敬上`).
const SIGN_OFFS: [&str; 5] = ["敬上", "謹啟", "敬啟", "啟", "上"];

/// The names a firm goes by, prepared for [`FirmNames::speaks_as_firm`].
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct FirmNames {
    /// Lower-case, longest first, so the longest name at a place is the one read.
    names: Vec<String>,
}

impl FirmNames {
    /// The firm's names: its Chinese and English names and its brand keywords. Empty and
    /// duplicate names are dropped; Latin ones are compared in lower case.
    pub fn new<S: AsRef<str>>(names: &[S]) -> Self {
        let mut names: Vec<String> =
            names.iter().map(|n| n.as_ref().trim().to_lowercase()).filter(|n| !n.is_empty()).collect();
        names.sort_by(|a, b| b.len().cmp(&a.len()).then_with(|| a.cmp(b)));
        names.dedup();
        Self { names }
    }

    /// Whether `text` (cleaned: NFKC, see [`crate::CleanText`]) presents itself as the firm,
    /// by the rule in the module documentation.
    pub fn speaks_as_firm(&self, text: &str) -> bool {
        if self.names.is_empty() {
            return false;
        }
        let lower = text.to_lowercase();
        self.has_sender_tag(&lower) || self.opens_as_sender(&lower) || self.signs_off(&lower)
    }

    /// The length in bytes of the firm's name at the start of `text`, if one is there.
    fn name_at(&self, text: &str) -> Option<usize> {
        self.names.iter().find(|name| starts_with_word(text, name)).map(|name| name.len())
    }

    /// Whether `text` holds one of the firm's names anywhere (Latin ones as whole words).
    fn mentions(&self, text: &str) -> bool {
        text.char_indices().any(|(at, _)| is_word_start(text, at) && self.name_at(&text[at..]).is_some())
    }

    /// `【凱基證券】`, `[KGI Securities]`: a short bracket tag that names the firm.
    fn has_sender_tag(&self, text: &str) -> bool {
        TAG_BRACKETS.iter().any(|&(open, close)| {
            text.match_indices(open).any(|(at, _)| {
                let inside = &text[at + open.len_utf8()..];
                let Some(end) = inside.find(close) else { return false };
                let tag = &inside[..end];
                tag.chars().count() <= MAX_TAG_CHARS && !tag.contains('\n') && self.mentions(tag)
            })
        })
    }

    /// `凱基證券客服提醒您：…`, `KGI Securities: …`, `親愛的凱基用戶…`: the message opens
    /// with the firm's name as its sender, or greets the firm's customers.
    fn opens_as_sender(&self, text: &str) -> bool {
        let mut rest = skip_preamble(text);
        let greeted = GREETINGS.iter().find_map(|g| rest.strip_prefix(g));
        if let Some(after) = greeted {
            rest = after.trim_start();
        }
        let Some(len) = self.name_at(rest) else { return false };
        let rest = skip_organisation_words(&rest[len..]);
        let next = rest.trim_start_matches([' ', '\t']);
        if greeted.is_some() && CUSTOMER_WORDS.iter().any(|w| next.starts_with(w)) {
            return true;
        }
        next.starts_with(['\n', '\r']) || SENDER_MARKERS.iter().any(|m| next.starts_with(m))
    }

    /// `…\n凱基證券 敬上`, `— KGI Securities`: the last line is the firm's name as signature.
    fn signs_off(&self, text: &str) -> bool {
        let Some(last) = text.lines().map(str::trim).rfind(|l| !l.is_empty()) else {
            return false;
        };
        // A signature after a dash on the last line of a one-line message.
        let signature = last.rsplit(['—', '～', '~']).next().unwrap_or(last).trim();
        let signature = signature.trim_start_matches(['-', ' ']).trim();
        if signature.chars().count() > MAX_SIGNATURE_CHARS {
            return false;
        }
        // One line alone is the message itself, not its signature.
        let own_line = text.trim().lines().count() > 1 || signature.len() < last.len();
        let Some(len) = self.name_at(signature).filter(|_| own_line) else { return false };
        let rest = skip_organisation_words(&signature[len..]).trim();
        let rest = rest.trim_end_matches(['。', '.', '!', '！']).trim();
        rest.is_empty() || SIGN_OFFS.contains(&rest)
    }
}

/// Leading white space, punctuation, emoji and bracket tags that name no one (`【重要通知】`),
/// which may come before the sender's name.
fn skip_preamble(text: &str) -> &str {
    let mut rest = text;
    loop {
        let trimmed = rest.trim_start_matches(|c: char| !c.is_alphanumeric() && !is_tag_open(c));
        let after_tag = TAG_BRACKETS.iter().find_map(|&(open, close)| {
            let inside = trimmed.strip_prefix(open)?;
            let end = inside.find(close)?;
            (inside[..end].chars().count() <= MAX_TAG_CHARS).then(|| &inside[end + close.len_utf8()..])
        });
        match after_tag {
            Some(after) if after.len() < rest.len() => rest = after,
            _ => return trimmed,
        }
    }
}

fn is_tag_open(c: char) -> bool {
    TAG_BRACKETS.iter().any(|&(open, _)| open == c)
}

/// Skips the organisation words after a name (`證券客服中心`, ` Securities`).
fn skip_organisation_words(mut text: &str) -> &str {
    loop {
        let trimmed = text.trim_start_matches([' ', '\t']);
        match ORGANISATION_WORDS.iter().find(|w| trimmed.starts_with(*w)) {
            Some(word) => text = &trimmed[word.len()..],
            None => return text,
        }
    }
}

/// Whether `text` starts with `name`, and a Latin name is not followed by a Latin letter
/// (`kgi` starts `kgi securities` but not `kgirl`).
fn starts_with_word(text: &str, name: &str) -> bool {
    text.starts_with(name)
        && (!name.ends_with(|c: char| c.is_ascii_alphanumeric())
            || !text[name.len()..].starts_with(|c: char| c.is_ascii_alphanumeric()))
}

/// Whether a Latin name could start at byte `at`: not in the middle of a Latin word.
fn is_word_start(text: &str, at: usize) -> bool {
    let starts_latin = text[at..].starts_with(|c: char| c.is_ascii_alphanumeric());
    !starts_latin || !text[..at].ends_with(|c: char| c.is_ascii_alphanumeric())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn kgi() -> FirmNames {
        FirmNames::new(&["凱基證券", "KGI Securities", "kgi", "凱基"])
    }

    #[test]
    fn a_bracket_tag_naming_the_firm_speaks_as_the_firm() {
        for text in [
            "【凱基證券】您的帳戶有風險，請立即至 kgi357.com 驗證",
            "【凱基】恭喜中籤，請至 kgi-lottery.top 領取",
            "[KGI Securities] Your account is locked: https://x.example/",
            "您的帳戶已凍結 https://x.example/ 【凱基證券客服中心】",
            "〔凱基證券〕通知",
        ] {
            assert!(kgi().speaks_as_firm(text), "{text}");
        }
    }

    #[test]
    fn the_firms_name_as_the_first_words_of_a_notice_speaks_as_the_firm() {
        for text in [
            "凱基證券客服提醒您：帳戶異常 https://x.example/",
            "凱基證券提醒：請更新資料",
            "凱基證券通知 您的帳戶",
            "KGI Securities: verify at https://x.example/",
            "kgi securities customer service: call 0912-345-678",
            "KGI: your account is locked",
            "凱基證券\n您的帳戶異常",
            "【重要通知】凱基證券提醒您 https://x.example/",
            "  ★凱基證券：限時優惠",
        ] {
            assert!(kgi().speaks_as_firm(text), "{text}");
        }
    }

    #[test]
    fn greeting_the_firms_customers_speaks_as_the_firm() {
        for text in [
            "親愛的凱基用戶，您的帳戶有異常",
            "親愛的凱基證券客戶您好",
            "Dear KGI customer, please confirm your identity",
            "Dear KGI Securities client,",
        ] {
            assert!(kgi().speaks_as_firm(text), "{text}");
        }
    }

    #[test]
    fn the_firms_name_as_the_signature_speaks_as_the_firm() {
        for text in [
            "您的帳戶異常，請至 https://x.example/ 驗證。\n凱基證券 敬上",
            "請加LINE @abc123 領取飆股 — 凱基證券",
            "Please verify at https://x.example/\n- KGI Securities",
        ] {
            assert!(kgi().speaks_as_firm(text), "{text}");
        }
    }

    #[test]
    fn merely_mentioning_the_firm_does_not_speak_as_it() {
        for text in [
            "我的凱基帳戶餘額是多少",
            "凱基證券公告第三季財報 https://news.example.com.tw/a/1",
            "凱基證券投資群組，加LINE：@stock888",
            "我在凱基開戶了，你呢？",
            "請問凱基證券的電話是幾號",
            "凱基的App很好用",
            "聽說凱基證券今天有活動 https://www.cna.com.tw/news/1.aspx",
            "parkgirl: hello",
            "KGIRL: new album",
            "【重要提醒】請認明本公司真正網址",
            "朋友說凱基證券很好",
            "凱基證券",
            "明天去凱基",
            "確認【2311915.ec66.tw】非公司網站",
            "我買了凱基(2883)",
            "kgi-lottery.top 是真的嗎",
            "kgi.com.tw 是官網嗎",
        ] {
            assert!(!kgi().speaks_as_firm(text), "{text}");
        }
    }

    #[test]
    fn latin_names_are_whole_words_in_any_case() {
        assert!(kgi().speaks_as_firm("[KGI] hello"));
        assert!(!kgi().speaks_as_firm("[KGIRL] hello"));
        assert!(!kgi().speaks_as_firm("[parkgi] hello"));
    }

    #[test]
    fn a_firm_without_names_never_speaks() {
        assert!(!FirmNames::new::<&str>(&[]).speaks_as_firm("【凱基證券】"));
        assert!(!FirmNames::new(&["  "]).speaks_as_firm("【】"));
    }

    #[test]
    fn names_are_read_longest_first() {
        let names = kgi();
        assert_eq!(names.names[0], "kgi securities");
        assert_eq!(names.name_at("凱基證券客服"), Some("凱基證券".len()));
    }
}
