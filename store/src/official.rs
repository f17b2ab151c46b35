//! The official list (verified domains, hotlines, LINE accounts, apps) and the brand
//! keywords that name the firm: reading them, and what a value on them may be.

use engine::index::{check_official_domain, is_line_id};
use engine::{BrandError, IndexError};

use crate::Executor;

use crate::StoreError;

/// The kinds of official entry, as stored.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum OfficialKind {
    Domain,
    Phone,
    LineId,
    /// A mobile app, named as the app stores list it.
    App,
}

impl OfficialKind {
    /// Every kind, in the order the official page shows them.
    pub const ALL: [Self; 4] = [Self::Domain, Self::App, Self::Phone, Self::LineId];

    /// The stored code.
    pub fn code(self) -> &'static str {
        match self {
            Self::Domain => "domain",
            Self::Phone => "phone",
            Self::LineId => "line_id",
            Self::App => "app",
        }
    }

    /// Reads a stored code; anything else is not a kind.
    pub fn parse(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.code() == code)
    }
}

/// One official channel with the labels the public pages show beside it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct OfficialEntry {
    pub kind: OfficialKind,
    pub value: String,
    pub label_zh: String,
    pub label_en: String,
}

/// Every official entry, in the order they were added. A row of a kind this version
/// does not know is refused rather than shown.
pub async fn entries(db: impl Executor<'_>) -> Result<Vec<OfficialEntry>, StoreError> {
    let rows: Vec<(String, String, String, String)> =
        sqlx::query_as("SELECT kind, value, label_zh, label_en FROM official_entries ORDER BY id")
            .fetch_all(db)
            .await?;
    rows.into_iter()
        .map(|(kind, value, label_zh, label_en)| {
            let kind = OfficialKind::parse(&kind).ok_or_else(|| {
                StoreError::invalid_row("official_entries", &value, format!("unknown kind {kind:?}"))
            })?;
            Ok(OfficialEntry { kind, value, label_zh, label_en })
        })
        .collect()
}

/// Every official value of one kind, in the order they were added.
pub async fn values(db: impl Executor<'_>, kind: OfficialKind) -> Result<Vec<String>, StoreError> {
    let rows: Vec<(String,)> =
        sqlx::query_as("SELECT value FROM official_entries WHERE kind = $1 ORDER BY id")
            .bind(kind.code())
            .fetch_all(db)
            .await?;
    Ok(rows.into_iter().map(|(v,)| v).collect())
}

/// The words that name the firm.
pub async fn brand_keywords(db: impl Executor<'_>) -> Result<Vec<String>, StoreError> {
    let rows: Vec<(String,)> =
        sqlx::query_as("SELECT keyword FROM brand_keywords ORDER BY keyword").fetch_all(db).await?;
    Ok(rows.into_iter().map(|(k,)| k).collect())
}

/// Something the official list or the brand keywords can hold: what a proposal names.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ListKind {
    /// An official entry of this kind (`official_entries`).
    Entry(OfficialKind),
    /// A word that names the firm (`brand_keywords`), Latin or Chinese.
    Keyword,
}

impl ListKind {
    /// Every kind, in the order the console lists them.
    pub const ALL: [Self; 5] = [
        Self::Entry(OfficialKind::Domain),
        Self::Entry(OfficialKind::App),
        Self::Entry(OfficialKind::Phone),
        Self::Entry(OfficialKind::LineId),
        Self::Keyword,
    ];

    /// The stored code.
    pub fn code(self) -> &'static str {
        match self {
            Self::Entry(kind) => kind.code(),
            Self::Keyword => "keyword",
        }
    }

    /// Reads a stored code; anything else is not a kind.
    pub fn parse(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.code() == code)
    }
}

/// Why a value cannot go on the official list or the brand keywords, naming it.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum ValueProblem {
    #[error("the value is empty")]
    Empty,
    #[error("{0:?} is not a domain name: write the name alone (example.com.tw), without https:// or a path")]
    NotADomainName(String),
    #[error(
        "{0:?} is a public suffix, an ending that many unrelated sites share: list the firm's own domain"
    )]
    PublicSuffix(String),
    #[error("{0:?} has no registrable domain (its ending is not on the Public Suffix List)")]
    NotRegistrable(String),
    #[error("{0:?} is not a Taiwan phone number such as 02-2345-6789 or +886 2 2345 6789")]
    NotAPhone(String),
    #[error("{0:?} is not a LINE ID: letters, digits and . _ - only, at most 40, with or without @")]
    NotALineId(String),
    #[error("{0:?} is not an https link to an app's page on apps.apple.com or play.google.com")]
    NotAnAppLink(String),
    #[error("a brand keyword is 2 to 64 characters (at most 21 Chinese characters)")]
    KeywordLength,
    #[error(
        "{0:?} cannot be a brand keyword: too short or no letter, or characters a web address cannot hold"
    )]
    NotAKeyword(String),
}

/// The longest value the list stores (a domain name's limit).
pub const MAX_VALUE_CHARS: usize = 253;

/// `raw` as the list stores a value of `kind`, or why it cannot be one: a domain lower case
/// and by the engine's rules for an official domain; a phone number in E.164; a LINE ID lower
/// case without `@`; an app an https link to its store page; a keyword 2 to 64 characters
/// the brand profile accepts. The engine reads each the same way, so a value that passes
/// here never makes the index refuse the list.
pub fn normalize_value(kind: ListKind, raw: &str) -> Result<String, ValueProblem> {
    let raw = raw.trim();
    if raw.is_empty() {
        return Err(ValueProblem::Empty);
    }
    match kind {
        ListKind::Entry(OfficialKind::Domain) => official_domain(raw),
        ListKind::Entry(OfficialKind::Phone) => {
            engine::extract::phone_number(raw).ok_or_else(|| ValueProblem::NotAPhone(raw.to_owned()))
        }
        ListKind::Entry(OfficialKind::LineId) => {
            let id = raw.strip_prefix('@').unwrap_or(raw).to_lowercase();
            if is_line_id(&id) {
                Ok(id)
            } else {
                Err(ValueProblem::NotALineId(raw.to_owned()))
            }
        }
        ListKind::Entry(OfficialKind::App) => {
            app_link(raw).ok_or_else(|| ValueProblem::NotAnAppLink(raw.to_owned()))
        }
        ListKind::Keyword => brand_keyword(raw),
    }
}

fn official_domain(raw: &str) -> Result<String, ValueProblem> {
    let domain = raw.strip_suffix('.').unwrap_or(raw).to_ascii_lowercase();
    if domain.len() > MAX_VALUE_CHARS {
        return Err(ValueProblem::NotADomainName(raw.to_owned()));
    }
    match check_official_domain(&domain) {
        Ok(()) => Ok(domain),
        Err(IndexError::OfficialDomainIsPublicSuffix(_)) => Err(ValueProblem::PublicSuffix(domain)),
        Err(IndexError::OfficialDomainNotRegistrable(_)) => Err(ValueProblem::NotRegistrable(domain)),
        Err(_) => Err(ValueProblem::NotADomainName(raw.to_owned())),
    }
}

/// The app stores whose pages an official app may link to.
const APP_STORES: [&str; 2] = ["apps.apple.com", "play.google.com"];

/// An https link to one app's page in an app store, without its fragment: on the App Store a
/// path with `app` and `id<digits>`, on Google Play `/store/apps/details?id=…`.
fn app_link(raw: &str) -> Option<String> {
    let mut url = url::Url::parse(raw).ok()?;
    let host = url.host_str()?;
    let plain = url.scheme() == "https"
        && url.port().is_none()
        && url.username().is_empty()
        && url.password().is_none();
    if !plain || !APP_STORES.contains(&host) {
        return None;
    }
    let segments: Vec<&str> = url.path_segments().map(Iterator::collect).unwrap_or_default();
    let one_app = if host == "apps.apple.com" {
        segments.contains(&"app")
            && segments.iter().any(|s| {
                s.strip_prefix("id").is_some_and(|n| !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit()))
            })
    } else {
        url.path() == "/store/apps/details" && url.query_pairs().any(|(k, v)| k == "id" && !v.is_empty())
    };
    url.set_fragment(None);
    let link = url.to_string();
    (one_app && link.chars().count() <= MAX_VALUE_CHARS).then_some(link)
}

fn brand_keyword(raw: &str) -> Result<String, ValueProblem> {
    let keyword = raw.to_lowercase();
    if !(2..=64).contains(&keyword.chars().count()) {
        return Err(ValueProblem::KeywordLength);
    }
    match engine::BrandProfile::new::<&str, &str>(&[], &[&keyword]) {
        Ok(_) => Ok(keyword),
        Err(BrandError::KeywordTooLong(_)) => Err(ValueProblem::KeywordLength),
        Err(_) => Err(ValueProblem::NotAKeyword(raw.to_owned())),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const DOMAIN: ListKind = ListKind::Entry(OfficialKind::Domain);
    const PHONE: ListKind = ListKind::Entry(OfficialKind::Phone);
    const LINE: ListKind = ListKind::Entry(OfficialKind::LineId);
    const APP: ListKind = ListKind::Entry(OfficialKind::App);

    #[test]
    fn a_domain_is_stored_lower_case_and_a_public_suffix_or_a_link_is_refused() {
        assert_eq!(normalize_value(DOMAIN, " WWW.KGI.com.tw. "), Ok("www.kgi.com.tw".to_owned()));
        assert_eq!(normalize_value(DOMAIN, "com.tw"), Err(ValueProblem::PublicSuffix("com.tw".into())));
        assert_eq!(normalize_value(DOMAIN, "github.io"), Err(ValueProblem::PublicSuffix("github.io".into())));
        assert_eq!(
            normalize_value(DOMAIN, "https://kgi.com.tw/"),
            Err(ValueProblem::NotADomainName("https://kgi.com.tw/".into()))
        );
        assert_eq!(
            normalize_value(DOMAIN, "kgi.notarealending"),
            Err(ValueProblem::NotRegistrable("kgi.notarealending".into()))
        );
        assert_eq!(normalize_value(DOMAIN, "  "), Err(ValueProblem::Empty));
    }

    #[test]
    fn a_phone_number_is_stored_in_e164_however_it_is_written() {
        for written in ["02-2345-6789", "+886 2 2345 6789", "(02)2345-6789", "+886223456789"] {
            assert_eq!(normalize_value(PHONE, written), Ok("+886223456789".to_owned()), "{written}");
        }
        assert_eq!(normalize_value(PHONE, "12345"), Err(ValueProblem::NotAPhone("12345".into())));
    }

    #[test]
    fn a_line_id_is_stored_lower_case_without_its_at_sign() {
        assert_eq!(normalize_value(LINE, "@KGI_Official"), Ok("kgi_official".to_owned()));
        assert_eq!(
            normalize_value(LINE, "kgi official"),
            Err(ValueProblem::NotALineId("kgi official".into()))
        );
    }

    #[test]
    fn an_app_is_an_https_link_to_its_page_in_an_app_store() {
        let apple = "https://apps.apple.com/tw/app/kgi/id1234567890";
        assert_eq!(normalize_value(APP, &format!("{apple}#reviews")), Ok(apple.to_owned()));
        let play = "https://play.google.com/store/apps/details?id=com.kgi.app";
        assert_eq!(normalize_value(APP, play), Ok(play.to_owned()));
        for bad in [
            "http://apps.apple.com/tw/app/kgi/id1234567890",
            "https://apps.apple.com.evil.example/tw/app/kgi/id1234567890",
            "https://apps.apple.com/tw/developer/kgi/id1234567890",
            "https://play.google.com/store/apps/details",
            "https://kgi-app.top/download.apk",
        ] {
            assert_eq!(normalize_value(APP, bad), Err(ValueProblem::NotAnAppLink(bad.into())), "{bad}");
        }
    }

    #[test]
    fn a_keyword_is_two_to_sixty_four_characters_the_brand_profile_accepts() {
        assert_eq!(normalize_value(ListKind::Keyword, "KGI"), Ok("kgi".to_owned()));
        assert_eq!(normalize_value(ListKind::Keyword, "凱基"), Ok("凱基".to_owned()));
        assert_eq!(normalize_value(ListKind::Keyword, "k"), Err(ValueProblem::KeywordLength));
        assert_eq!(normalize_value(ListKind::Keyword, &"k".repeat(65)), Err(ValueProblem::KeywordLength));
        assert_eq!(
            normalize_value(ListKind::Keyword, "kgi bank"),
            Err(ValueProblem::NotAKeyword("kgi bank".into()))
        );
        assert_eq!(normalize_value(ListKind::Keyword, "123"), Err(ValueProblem::NotAKeyword("123".into())));
    }
}
