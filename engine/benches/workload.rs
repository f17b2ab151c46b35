//! The links and messages the engine benchmarks check, shared by `benches/engine.rs` and
//! `examples/check_latency.rs`: a fixed, deterministic mix of what investors paste, against
//! the index of `synthetic.rs`.

// A benchmark, example or test helper, not a request path: a failure is a broken set-up.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use crate::synthetic;

/// The kinds of link in the mix.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    /// In the takedown index: an exact listed page, another page on a listed host, a page
    /// under a listed path prefix or registrable domain, a listed IP or network.
    Listed,
    /// The firm's own site and its subdomains.
    Official,
    /// Not listed, imitating the firm: brand in the name, near spellings, other endings,
    /// look-alike letters (Unicode and punycode).
    Lookalike,
    /// Not listed and nothing to do with the firm: news, search, social, other shops.
    Unrelated,
    /// Not listed, a raw IPv4 or IPv6 host.
    RawIp,
    /// Link shorteners.
    Shortener,
}

impl Kind {
    /// Every kind and how many of the 10,000 links it gets.
    pub const MIX: [(Self, usize); 6] = [
        (Self::Listed, 3_000),
        (Self::Official, 1_500),
        (Self::Lookalike, 2_000),
        (Self::Unrelated, 2_500),
        (Self::RawIp, 500),
        (Self::Shortener, 500),
    ];

    /// A short name, for benchmark ids and tables.
    pub fn name(self) -> &'static str {
        match self {
            Self::Listed => "listed",
            Self::Official => "official",
            Self::Lookalike => "lookalike",
            Self::Unrelated => "unrelated",
            Self::RawIp => "raw_ip",
            Self::Shortener => "shortener",
        }
    }
}

/// A small deterministic generator (xorshift64*), so every run checks the same links.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }

    fn pick<'a>(&mut self, items: &[&'a str]) -> &'a str {
        items[self.below(items.len())]
    }

    /// A short-link style code of letters and digits.
    fn code(&mut self, len: usize) -> String {
        const CHARS: &[u8] = b"abcdefghijkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789";
        (0..len).map(|_| char::from(CHARS[self.below(CHARS.len())])).collect()
    }
}

/// A link to something in the takedown index of `entries` synthetic entries, following the
/// scope `synthetic::takedown` gives entry `i`.
fn listed(rng: &mut Rng, entries: usize) -> String {
    let i = rng.below(entries);
    let h = synthetic::host(i);
    let n = rng.below(100_000);
    match i % 100 {
        0..=69 => match n % 4 {
            0 => format!("https://{h}/"),
            1 => format!("https://{h}/member/verify?id={n}"),
            2 => format!("http://m.{h}/index.html"),
            _ => format!("{h}/login"),
        },
        70..=84 => match n % 3 {
            0 => format!("https://{h}/index/login"),
            1 => format!("https://{h}/index/login?from=sms&uid={n}"),
            _ => format!("{h}/index/login"),
        },
        85..=92 => format!("https://{h}/app/download/{}?ch={}", ["ios", "android"][n % 2], n % 7),
        93..=96 => {
            let site = h.split_once('.').map_or(h.as_str(), |(_, site)| site);
            format!("https://www{}.{site}/vip/{n}", n % 10)
        }
        97..=98 => {
            format!("http://{}.{}.{}.{}/index", 11 + i % 200, (i >> 8) % 256, (i >> 16) % 256, i % 256)
        }
        _ => format!("http://{}.{}.{}.{}/login", 11 + i % 200, (i >> 8) % 256, (i >> 16) % 256, 1 + n % 250),
    }
}

fn official(rng: &mut Rng) -> String {
    let n = rng.below(100_000);
    match n % 6 {
        0 => "https://www.kgi.com.tw/zh-tw/".to_owned(),
        1 => format!("https://www.kgi.com.tw/zh-tw/product-market/stock/{n}"),
        2 => "kgi.com.tw".to_owned(),
        3 => format!("https://ebank.kgi.com.tw/login?lang=zh-tw&r={n}"),
        4 => format!("https://www.kgi.com.tw/zh-tw/news/{n}.html"),
        _ => "www.kgi.com.tw/zh-tw/about-us".to_owned(),
    }
}

fn lookalike(rng: &mut Rng) -> String {
    let n = rng.below(10_000);
    let tld = rng.pick(&["com", "top", "cc", "vip", "xyz", "net", "com.tw"]);
    match n % 12 {
        0 => format!("https://kgi{n}.{tld}/index/login"),
        1 => format!("https://kgi-login.top/app/{n}"),
        2 => format!("https://kgi-login{n}.{tld}/"),
        3 => "http://kig.com.tw/".to_owned(),
        4 => format!("https://www.kgi.com.tw.{}.net/login", rng.code(6).to_ascii_lowercase()),
        5 => format!("kgi.tw/member/{n}"),
        6 => "https://kg1.com.tw/zh-tw/".to_owned(),
        // Cyrillic і for i, as pasted (Unicode) and as the punycode a browser shows.
        7 => format!("https://kg\u{456}.com.tw/app/{n}"),
        8 => format!("https://{}/app/{n}", punycode("kg\u{456}.com.tw")),
        9 => format!("https://凱基證券.{tld}/"),
        10 => format!("https://{}/", punycode(&format!("kg\u{456}{n}.{tld}"))),
        _ => format!("https://kgi.{}.{tld}/verify", rng.code(7).to_ascii_lowercase()),
    }
}

/// The ASCII (punycode) form of an international host name.
fn punycode(host: &str) -> String {
    idna::domain_to_ascii(host).expect("a valid international host name")
}

fn unrelated(rng: &mut Rng) -> String {
    let n = rng.below(10_000_000);
    match n % 10 {
        0 => format!("https://example.org/path/{n}"),
        1 => format!("https://udn.com/news/story/7238/{n}"),
        2 => format!("https://news.ltn.com.tw/news/business/breakingnews/{n}"),
        3 => format!("https://www.cna.com.tw/news/afe/2026{n:07}.aspx"),
        4 => format!("https://www.ettoday.net/news/20261127/{n}.htm"),
        5 => format!("https://tw.stock.yahoo.com/quote/{}.TW", 1000 + n % 9000),
        6 => format!("https://www.google.com/search?q=%E5%87%B1%E5%9F%BA+{n}"),
        7 => format!("https://www.youtube.com/watch?v={}", rng.code(11)),
        8 => format!("https://www.facebook.com/groups/{n}/posts/{}", rng.below(1_000_000)),
        // A host shaped like the listed ones but not in the index (ids past its end).
        _ => format!("https://{}/index/login", synthetic::host(2_000_000 + n)),
    }
}

fn raw_ip(rng: &mut Rng) -> String {
    let n = rng.below(65_536);
    match n % 3 {
        0 => format!("http://203.0.113.{}/login", n % 256),
        1 => format!("http://198.51.100.{}:8080/app/download", n % 256),
        _ => format!("http://[2001:db8::{n:x}]/index"),
    }
}

fn shortener(rng: &mut Rng) -> String {
    let host = rng.pick(&["bit.ly", "reurl.cc", "lihi1.com", "tinyurl.com", "lin.ee", "ppt.cc", "pse.is"]);
    format!("https://{host}/{}", rng.code(7))
}

/// 10,000 links, each a message of its own, in the proportions of [`Kind::MIX`],
/// interleaved, for an index of `entries` synthetic takedown entries.
pub fn links(entries: usize) -> Vec<(Kind, String)> {
    let mut rng = Rng(0x9E37_79B9_7F4A_7C15);
    let mut all: Vec<(Kind, String)> = Kind::MIX
        .iter()
        .flat_map(|&(kind, count)| std::iter::repeat_n(kind, count))
        .map(|kind| {
            let link = match kind {
                Kind::Listed => listed(&mut rng, entries),
                Kind::Official => official(&mut rng),
                Kind::Lookalike => lookalike(&mut rng),
                Kind::Unrelated => unrelated(&mut rng),
                Kind::RawIp => raw_ip(&mut rng),
                Kind::Shortener => shortener(&mut rng),
            };
            (kind, link)
        })
        .collect();
    // Interleave (Fisher–Yates), so that consecutive checks are not all of one kind.
    for i in (1..all.len()).rev() {
        let j = rng.below(i + 1);
        all.swap(i, j);
    }
    all
}

/// Realistic zh-TW SMS and LINE messages: fake alerts, investment-group invitations,
/// defanged and full-width links, phone numbers, LINE IDs, the firm's own notice, news.
pub fn messages() -> Vec<String> {
    let listed_host = synthetic::host(70);
    vec![
        "【凱基證券】您的帳戶有潛在風險，請於今日內點擊連結完成身分驗證 https://kkpp.kgi357.com/index/login".to_owned(),
        "凱基投顧VIP群組：老師每日免費報飆股，保證獲利！加LINE：@kgi888 或 ＩＤ：kgi_vip2026，官網 kgi357。com".to_owned(),
        "［凱基］您申購的股票已中籤，請於２４小時內至 ｈｔｔｐｓ：／／ｗｗｗ．ｋｇｉ－ｔｗ．ｔｏｐ／ｌｏｇｉｎ 完成繳款，客服專線 ０２－２１８１－８８８８".to_owned(),
        "凱基證券提醒您：本公司官方網站為 https://www.kgi.com.tw ，客服專線 (02)2181-8888，官方 LINE @kgisecurities，請勿點擊不明連結。".to_owned(),
        "朋友傳來的網址 hxxps://kgi-login[.]top/app/download 說可以領股息，還叫我加賴 kgi_service88，這是真的嗎？".to_owned(),
        "【通知】您的股票帳戶將被凍結，請盡速處理 https://reurl.cc/a1B2c3 如有疑問請撥 0912-345-678 或 02-2345-6789".to_owned(),
        "股市名師帶單，穩賺不賠，名額有限！立即加入 https://line.me/ti/g2/AbCdEfGhIj 或搜尋 ID：@stock168，助理微信 tw_stock_888".to_owned(),
        "您的帳號異常登入，請至 http://89.106.207.153/index/login 重新登入驗證，逾期將停權。客服 service@kgi-help.net".to_owned(),
        "今天看到這篇報導 https://udn.com/news/story/7238/8123456 還有 https://www.cna.com.tw/news/afe/202611270123.aspx 你覺得呢？".to_owned(),
        "請到 kig 。com 。tw 或 kgi點tw 查詢，加賴 ID: kgi-service，電話 +886-2-2181-8888，凱基 App 新版請由 https://kg\u{456}.com.tw/app 下載".to_owned(),
        format!("【凱基證券】恭喜獲得新戶禮 NT$3,000，限時領取：{listed_host}/index/login 或 https://{listed_host}/index/login?from=line"),
    ]
}

/// The messages repeated, one per line, up to [`engine::MAX_MESSAGE_BYTES`]: the largest
/// message the engine accepts.
pub fn long_message() -> String {
    let messages = messages();
    let mut long = String::with_capacity(engine::MAX_MESSAGE_BYTES);
    for message in messages.iter().cycle() {
        if long.len() + message.len() + 1 > engine::MAX_MESSAGE_BYTES {
            break;
        }
        long.push_str(message);
        long.push('\n');
    }
    long
}
