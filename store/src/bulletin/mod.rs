//! Fraud bulletins: the firm's warnings, scam patterns, notices and incidents. This module is
//! what readers see (published bulletins only, every query through [`VISIBLE`]); writing,
//! scheduling and publishing them is [`publishing`], an incident's timeline [`incident`],
//! the starting texts [`template`]. Design: `docs/publishing.md`.

pub mod board;
pub mod incident;
pub mod publishing;
#[cfg(test)]
mod publishing_tests;
pub mod template;

use crate::{Db, StoreError};

/// What a bulletin is about, as stored in `bulletins.category`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum BulletinCategory {
    /// A warning about a scam going on now (重要提醒).
    Alert,
    /// A notice from the firm (防詐騙公告).
    Notice,
    /// A common scam pattern explained in plain words (詐騙樣態).
    Pattern,
    /// Something wrong with the firm's own service, with a state and a timeline.
    Incident,
}

impl BulletinCategory {
    /// Every category, in the order pages list them.
    pub const ALL: [Self; 4] = [Self::Alert, Self::Notice, Self::Pattern, Self::Incident];

    /// The stored code.
    pub fn code(self) -> &'static str {
        match self {
            Self::Alert => "alert",
            Self::Notice => "notice",
            Self::Pattern => "pattern",
            Self::Incident => "incident",
        }
    }

    /// Reads a stored code; anything else is not a category.
    pub fn parse(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|c| c.code() == code)
    }
}

/// The language a bulletin is written in.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Language {
    Chinese,
    English,
}

impl Language {
    pub const ALL: [Self; 2] = [Self::Chinese, Self::English];

    /// The stored code, a BCP 47 tag: `zh-TW`, `en`.
    pub fn code(self) -> &'static str {
        match self {
            Self::Chinese => "zh-TW",
            Self::English => "en",
        }
    }

    pub fn parse(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|l| l.code() == code)
    }

    /// The other language.
    pub fn other(self) -> Self {
        match self {
            Self::Chinese => Self::English,
            Self::English => Self::Chinese,
        }
    }
}

/// Where a bulletin is in its life.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum BulletinStatus {
    /// Being written; no reader sees it.
    Draft,
    /// To be published at its publish time by the scheduler.
    Scheduled,
    /// What readers see.
    Published,
    /// Taken down from the public site; its revisions stay.
    Unpublished,
}

impl BulletinStatus {
    pub const ALL: [Self; 4] = [Self::Draft, Self::Scheduled, Self::Published, Self::Unpublished];

    pub fn code(self) -> &'static str {
        match self {
            Self::Draft => "draft",
            Self::Scheduled => "scheduled",
            Self::Published => "published",
            Self::Unpublished => "unpublished",
        }
    }

    pub fn parse(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|s| s.code() == code)
    }
}

/// An incident's state, in the order an incident goes through them.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum IncidentState {
    Investigating,
    Identified,
    Monitoring,
    Resolved,
}

impl IncidentState {
    pub const ALL: [Self; 4] = [Self::Investigating, Self::Identified, Self::Monitoring, Self::Resolved];

    pub fn code(self) -> &'static str {
        match self {
            Self::Investigating => "investigating",
            Self::Identified => "identified",
            Self::Monitoring => "monitoring",
            Self::Resolved => "resolved",
        }
    }

    pub fn parse(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|s| s.code() == code)
    }
}

/// A bulletin as readers see it: the text of its published revision, in Markdown (the pages
/// render and clean it; it is never sent to a browser as it is).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Bulletin {
    pub id: i64,
    pub slug: String,
    pub language: Language,
    pub category: BulletinCategory,
    pub title: String,
    pub body: String,
    /// The takedown targets it lists, each shown with its live status.
    pub listed: Vec<String>,
    pub pinned: bool,
    /// `YYYY-MM-DD` (Taiwan), the date readers see.
    pub published_on: String,
    /// When it was published, RFC 3339 UTC.
    pub publish_at: String,
    /// When its text last changed, RFC 3339 UTC.
    pub updated_at: String,
    /// An incident's state; `None` for every other category.
    pub incident: Option<IncidentState>,
}

/// The longest slug a bulletin address may have (the column allows 100).
pub const MAX_SLUG_LEN: usize = 100;

/// A bulletin's address in `/bulletins/{slug}`: lower-case ASCII letters and digits in
/// words joined by single hyphens, at most 100 characters. Anything else cannot name a
/// bulletin, so it is refused before the database is asked.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct BulletinSlug(String);

/// Why a text is not a bulletin slug.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum SlugError {
    #[error("a slug cannot be empty")]
    Empty,
    #[error("a slug has at most {MAX_SLUG_LEN} characters")]
    TooLong,
    #[error("a slug has only a-z, 0-9 and single hyphens between words")]
    BadCharacters,
}

impl BulletinSlug {
    /// Checks `text` is a well-formed slug.
    pub fn parse(text: &str) -> Result<Self, SlugError> {
        if text.is_empty() {
            return Err(SlugError::Empty);
        }
        if text.len() > MAX_SLUG_LEN {
            return Err(SlugError::TooLong);
        }
        let words_ok = text.split('-').all(|word| {
            !word.is_empty() && word.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit())
        });
        if !words_ok {
            return Err(SlugError::BadCharacters);
        }
        Ok(Self(text.to_owned()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// One page of a bulletin list, and how many bulletins there are in all.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct BulletinPage {
    pub bulletins: Vec<Bulletin>,
    pub total: i64,
}

/// Where a bulletin lives and when it last changed: what the sitemap needs.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct BulletinAddress {
    pub slug: String,
    pub updated_at: String,
}

/// A published bulletin in the reader's language, where it has one.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Reading {
    /// What to show: the bulletin asked for, or its published translation into the reader's
    /// language.
    pub shown: Bulletin,
    /// The same bulletin in the other language, when that is published: (language, slug).
    pub other: Option<(Language, String)>,
}

pub(crate) const COLUMNS: &str =
    "b.id, b.slug, b.language, b.category, b.title, b.body, b.listed, b.pinned, \
     b.published_on, b.publish_at, b.updated_at, b.incident_state";

/// What readers may see: published bulletins only. Every public query goes through it.
const VISIBLE: &str = "b.status = 'published'";

/// Readers of one language see the bulletins in it, and those in the other language that have
/// no published translation into it (shown as they are, marked with their language). Binds
/// `$1` and `$2` to the reader's language.
const FOR_READER: &str = "(b.language = $1 OR NOT EXISTS (SELECT 1 FROM bulletins t \
     WHERE t.status = 'published' AND t.language = $2 AND (t.translation_of = b.id OR t.id = b.translation_of)))";

/// Pinned first, then newest first.
const NEWEST_FIRST: &str = "ORDER BY b.pinned DESC, b.publish_at DESC, b.id DESC";

#[derive(sqlx::FromRow)]
pub(crate) struct Row {
    id: i64,
    slug: String,
    language: String,
    category: String,
    title: String,
    body: String,
    listed: String,
    pinned: i64,
    published_on: Option<String>,
    publish_at: Option<String>,
    updated_at: String,
    incident_state: Option<String>,
}

impl TryFrom<Row> for Bulletin {
    type Error = StoreError;

    /// A row holding a code this version does not know is refused rather than guessed.
    fn try_from(row: Row) -> Result<Self, StoreError> {
        let bad = |what: &str, value: &str| {
            StoreError::invalid_row("bulletins", &row.slug, format!("unknown {what} {value:?}"))
        };
        let category =
            BulletinCategory::parse(&row.category).ok_or_else(|| bad("category", &row.category))?;
        let language = Language::parse(&row.language).ok_or_else(|| bad("language", &row.language))?;
        let incident = match row.incident_state.as_deref() {
            None => None,
            Some(code) => Some(IncidentState::parse(code).ok_or_else(|| bad("incident state", code))?),
        };
        Ok(Self {
            id: row.id,
            listed: split_listed(&row.listed),
            slug: row.slug,
            language,
            category,
            title: row.title,
            body: row.body,
            pinned: row.pinned != 0,
            published_on: row.published_on.unwrap_or_default(),
            publish_at: row.publish_at.unwrap_or_default(),
            updated_at: row.updated_at,
            incident,
        })
    }
}

/// The listed targets as stored, one a line.
pub(crate) fn split_listed(text: &str) -> Vec<String> {
    text.lines().map(str::trim).filter(|l| !l.is_empty()).map(str::to_owned).collect()
}

fn decode(rows: Vec<Row>) -> Result<Vec<Bulletin>, StoreError> {
    rows.into_iter().map(Bulletin::try_from).collect()
}

/// The `limit` newest published bulletins for readers of `language`, pinned ones first.
pub async fn latest(
    db: impl crate::Executor<'_>,
    language: Language,
    limit: i64,
) -> Result<Vec<Bulletin>, StoreError> {
    let rows = sqlx::query_as::<_, Row>(&format!(
        "SELECT {COLUMNS} FROM bulletins b WHERE {VISIBLE} AND {FOR_READER} {NEWEST_FIRST} LIMIT $3"
    ))
    .bind(language.code())
    .bind(language.code())
    .bind(limit)
    .fetch_all(db)
    .await?;
    decode(rows)
}

/// The newest published bulletins in `language` only, of one category or all (a feed).
pub async fn latest_in(
    db: &Db,
    language: Language,
    category: Option<BulletinCategory>,
    limit: i64,
) -> Result<Vec<Bulletin>, StoreError> {
    let code = category.map_or("", BulletinCategory::code);
    let rows = sqlx::query_as::<_, Row>(&format!(
        "SELECT {COLUMNS} FROM bulletins b WHERE {VISIBLE} AND b.language = $1 AND ($2 = '' OR b.category = $3)
         ORDER BY b.publish_at DESC, b.id DESC LIMIT $4"
    ))
    .bind(language.code())
    .bind(code)
    .bind(code)
    .bind(limit)
    .fetch_all(db)
    .await?;
    decode(rows)
}

/// Page `page` (counted from 1) of the published bulletins for readers of `language`,
/// `per_page` to a page, pinned first, then newest first.
pub async fn page(db: &Db, language: Language, page: u32, per_page: u32) -> Result<BulletinPage, StoreError> {
    let offset = i64::from(page.saturating_sub(1)) * i64::from(per_page);
    let mut tx = db.begin().await?;
    let (total,): (i64,) =
        sqlx::query_as(&format!("SELECT count(*) FROM bulletins b WHERE {VISIBLE} AND {FOR_READER}"))
            .bind(language.code())
            .bind(language.code())
            .fetch_one(&mut *tx)
            .await?;
    let rows = sqlx::query_as::<_, Row>(&format!(
        "SELECT {COLUMNS} FROM bulletins b WHERE {VISIBLE} AND {FOR_READER} {NEWEST_FIRST} LIMIT $3 OFFSET $4"
    ))
    .bind(language.code())
    .bind(language.code())
    .bind(i64::from(per_page))
    .bind(offset)
    .fetch_all(&mut *tx)
    .await?;
    tx.commit().await?;
    Ok(BulletinPage { bulletins: decode(rows)?, total })
}

/// The `limit` newest published bulletins of one category, for readers of `language`.
pub async fn in_category(
    db: &Db,
    category: BulletinCategory,
    language: Language,
    limit: i64,
) -> Result<Vec<Bulletin>, StoreError> {
    let rows = sqlx::query_as::<_, Row>(&format!(
        "SELECT {COLUMNS} FROM bulletins b WHERE {VISIBLE} AND {FOR_READER} AND b.category = $3
         {NEWEST_FIRST} LIMIT $4"
    ))
    .bind(language.code())
    .bind(language.code())
    .bind(category.code())
    .bind(limit)
    .fetch_all(db)
    .await?;
    decode(rows)
}

/// The published bulletin at `slug`, if there is one.
pub async fn by_slug(db: &Db, slug: &BulletinSlug) -> Result<Option<Bulletin>, StoreError> {
    let row = sqlx::query_as::<_, Row>(&format!(
        "SELECT {COLUMNS} FROM bulletins b WHERE {VISIBLE} AND b.slug = $1"
    ))
    .bind(slug.as_str())
    .fetch_optional(db)
    .await?;
    row.map(Bulletin::try_from).transpose()
}

/// The published bulletin at `slug` for a reader of `language`: its published translation
/// when it has one in that language, else itself; with the other language's address.
pub async fn for_reader(
    db: &Db,
    slug: &BulletinSlug,
    language: Language,
) -> Result<Option<Reading>, StoreError> {
    let Some(asked) = by_slug(db, slug).await? else { return Ok(None) };
    let translation = published_translation(db, asked.id).await?;
    Ok(Some(match translation {
        Some(other) if asked.language != language && other.language == language => {
            Reading { other: Some((asked.language, asked.slug.clone())), shown: other }
        }
        other => Reading { other: other.map(|o| (o.language, o.slug)), shown: asked },
    }))
}

/// Bulletin `id` whatever its status (for its writers, never for readers).
pub(crate) async fn by_id_in(conn: &mut sqlx::AnyConnection, id: i64) -> Result<Bulletin, StoreError> {
    let row = sqlx::query_as::<_, Row>(&format!("SELECT {COLUMNS} FROM bulletins b WHERE b.id = $1"))
        .bind(id)
        .fetch_one(&mut *conn)
        .await?;
    Bulletin::try_from(row)
}

/// The published translation of bulletin `id` (either way round), if any.
async fn published_translation(db: &Db, id: i64) -> Result<Option<Bulletin>, StoreError> {
    let row = sqlx::query_as::<_, Row>(&format!(
        "SELECT {COLUMNS} FROM bulletins b WHERE {VISIBLE}
           AND (b.translation_of = $1 OR b.id = (SELECT translation_of FROM bulletins WHERE id = $2))"
    ))
    .bind(id)
    .bind(id)
    .fetch_optional(db)
    .await?;
    row.map(Bulletin::try_from).transpose()
}

/// The addresses of the `limit` newest published bulletins (every language), without their
/// text.
pub async fn addresses(db: &Db, limit: i64) -> Result<Vec<BulletinAddress>, StoreError> {
    let rows: Vec<(String, String)> = sqlx::query_as(&format!(
        "SELECT b.slug, b.updated_at FROM bulletins b WHERE {VISIBLE} ORDER BY b.publish_at DESC, b.id DESC LIMIT $1"
    ))
    .bind(limit)
    .fetch_all(db)
    .await?;
    Ok(rows.into_iter().map(|(slug, updated_at)| BulletinAddress { slug, updated_at }).collect())
}

/// The newest published bulletins (at most `limit`) that name `host` or, when given, any
/// host of its registrable domain `site`, however the bulletin wrote it (`kgi357。com`,
/// `kgi357[.]com`). The hosts a bulletin names are computed when it is published
/// ([`index_hosts`]), so this is one indexed look-up, whatever the number of bulletins.
pub async fn mentioning(
    db: &Db,
    host: &str,
    site: Option<&str>,
    language: Language,
    limit: usize,
) -> Result<Vec<Bulletin>, StoreError> {
    let rows = sqlx::query_as::<_, Row>(&format!(
        "SELECT {COLUMNS} FROM bulletins b
         WHERE {VISIBLE} AND {FOR_READER}
           AND b.id IN (SELECT bulletin_id FROM bulletin_hosts WHERE host = $3 OR site = $4)
         ORDER BY b.publish_at DESC, b.id DESC LIMIT $5"
    ))
    .bind(language.code())
    .bind(language.code())
    .bind(host)
    .bind(site)
    .bind(i64::try_from(limit).unwrap_or(i64::MAX))
    .fetch_all(db)
    .await?;
    decode(rows)
}

/// The most hosts recorded for one bulletin; a bulletin naming more is a list, not a warning.
const MAX_HOSTS_PER_BULLETIN: usize = 500;

/// The distinct link hosts `texts` name, with their registrable domains (the host itself
/// for an IP address), found the way a check finds them: a mere substring (`kgi357.com`
/// in `xkgi357.com`) is no mention.
pub fn named_hosts<'a>(texts: impl IntoIterator<Item = &'a str>) -> Vec<(String, String)> {
    let mut hosts: Vec<(String, String)> = Vec::new();
    for text in texts {
        let links = engine::extract(text).into_iter().filter(|c| c.kind.is_link());
        for url in links.filter_map(|c| engine::canonicalize(&c.value).ok()) {
            let host = url.host_str();
            if host.is_empty() || host.len() > 253 || hosts.iter().any(|(h, _)| h == host) {
                continue;
            }
            if hosts.len() >= MAX_HOSTS_PER_BULLETIN {
                return hosts;
            }
            let site = engine::domain::registrable_domain(host).unwrap_or(host);
            hosts.push((host.to_owned(), site.to_owned()));
        }
    }
    hosts
}

/// Records the hosts a published bulletin names (its title, body and listed targets),
/// replacing what was recorded before: publishing calls it in its own transaction.
pub async fn index_hosts(
    conn: &mut sqlx::AnyConnection,
    bulletin: &Bulletin,
    now: &str,
) -> Result<(), StoreError> {
    let id = bulletin.id;
    sqlx::query("DELETE FROM bulletin_hosts WHERE bulletin_id = $1").bind(id).execute(&mut *conn).await?;
    let texts = [bulletin.title.as_str(), bulletin.body.as_str()]
        .into_iter()
        .chain(bulletin.listed.iter().map(String::as_str));
    for (host, site) in named_hosts(texts) {
        sqlx::query("INSERT INTO bulletin_hosts (bulletin_id, host, site) VALUES ($1, $2, $3)")
            .bind(id)
            .bind(&host)
            .bind(&site)
            .execute(&mut *conn)
            .await?;
    }
    sqlx::query("UPDATE bulletins SET hosts_indexed_at = $1 WHERE id = $2")
        .bind(now)
        .bind(id)
        .execute(&mut *conn)
        .await?;
    Ok(())
}

/// Computes the hosts of published bulletins whose hosts were never recorded (once, at
/// start-up, by the first of the instances that start together). Returns how many it indexed.
pub async fn index_missing_hosts(db: &Db) -> Result<usize, StoreError> {
    let missing = format!(
        "SELECT {COLUMNS} FROM bulletins b WHERE {VISIBLE} AND b.hosts_indexed_at IS NULL ORDER BY b.id"
    );
    if sqlx::query_as::<_, Row>(&missing).fetch_optional(db).await?.is_none() {
        return Ok(0);
    }
    let mut tx = crate::lock::lock(db, crate::demo::FIRM_DATA_LOCK).await?;
    // Read again under the lock: another instance may have done it meanwhile.
    let rows = sqlx::query_as::<_, Row>(&missing).fetch_all(&mut *tx).await?;
    let now = crate::now_rfc3339();
    let count = rows.len();
    for row in rows {
        index_hosts(&mut tx, &Bulletin::try_from(row)?, &now).await?;
    }
    tx.commit().await?;
    Ok(count)
}

/// Whether `text` has a link to `host`, or to any host of `site`: what a bulletin's recorded
/// hosts ([`named_hosts`]) let [`mentioning`] find.
#[cfg(test)]
fn mentions(text: &str, host: &str, site: Option<&str>) -> bool {
    named_hosts([text]).iter().any(|(named, named_site)| named == host || Some(named_site.as_str()) == site)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::demo_db;

    #[test]
    fn a_bulletin_mentions_a_host_however_it_is_written() {
        assert!(mentions("假網址 kkpp.kgi357.com 請小心", "kkpp.kgi357.com", Some("kgi357.com")));
        assert!(mentions("假網址 kkpp.kgi357。com", "kgi357.com", Some("kgi357.com")));
        assert!(mentions("hxxps://kgi357[.]com/login", "kgi357.com", Some("kgi357.com")));
        assert!(mentions("見 https://89.106.207.153/index", "89.106.207.153", None));
    }

    #[test]
    fn a_lookalike_neighbour_is_not_a_mention() {
        assert!(!mentions("xkgi357.com", "kgi357.com", Some("kgi357.com")));
        assert!(!mentions("kgi357.com.tw", "kgi357.com", Some("kgi357.com")));
        assert!(
            !mentions("kkpp.kgi357.com", "www.kgi357.com", None),
            "without the site, only the host counts"
        );
        assert!(!mentions("沒有連結", "kgi357.com", Some("kgi357.com")));
    }

    #[tokio::test]
    async fn the_demo_bulletin_naming_the_fake_site_is_found() {
        let (_dir, db) = demo_db().await.expect("test database");
        let found = mentioning(&db, "kgi357.com", Some("kgi357.com"), Language::Chinese, 5).await.unwrap();
        assert_eq!(
            found.iter().map(|b| b.slug.as_str()).collect::<Vec<_>>(),
            ["verify-real-website", "pattern-lookalike-login-page"]
        );
        let english = mentioning(&db, "kgi357.com", Some("kgi357.com"), Language::English, 5).await.unwrap();
        assert_eq!(
            english.iter().map(|b| b.slug.as_str()).collect::<Vec<_>>(),
            ["verify-real-website-en", "pattern-lookalike-login-page-en"]
        );
        assert!(mentioning(&db, "example.org", Some("example.org"), Language::Chinese, 5)
            .await
            .unwrap()
            .is_empty());
    }

    #[tokio::test]
    async fn a_published_bulletin_whose_hosts_were_never_recorded_gets_them_once_at_start() {
        let (_dir, db) = demo_db().await.expect("test database");
        sqlx::query(
            "INSERT INTO bulletins (slug, language, category, title, body, status, publish_at, published_on,
                                    created_at, updated_at)
             VALUES ('older', 'zh-TW', 'alert', '舊公告', '假網站 new.kgi777.com', 'published',
                     '2024-01-01T00:00:00Z', '2024-01-01', 'x', 'x')",
        )
        .execute(&db)
        .await
        .unwrap();
        let find = || mentioning(&db, "new.kgi777.com", None, Language::Chinese, 5);
        assert!(find().await.unwrap().is_empty(), "not yet recorded");

        assert_eq!(index_missing_hosts(&db).await.unwrap(), 1);

        let found = find().await.unwrap();
        assert_eq!(found.iter().map(|b| b.slug.as_str()).collect::<Vec<_>>(), ["older"]);
        assert_eq!(index_missing_hosts(&db).await.unwrap(), 0, "only once");
    }

    #[test]
    fn a_slug_is_lower_case_words_joined_by_single_hyphens() {
        assert!(BulletinSlug::parse("verify-real-website").is_ok());
        assert!(BulletinSlug::parse("2025-q3-notice").is_ok());
        assert_eq!(BulletinSlug::parse(""), Err(SlugError::Empty));
        assert_eq!(BulletinSlug::parse(&"a".repeat(101)), Err(SlugError::TooLong));
        for bad in ["Upper", "a--b", "-a", "a-", "a_b", "a/b", "..", "a b", "假冒", "a%2Fb"] {
            assert_eq!(BulletinSlug::parse(bad), Err(SlugError::BadCharacters), "{bad}");
        }
    }

    #[test]
    fn codes_read_back_what_they_store() {
        for category in BulletinCategory::ALL {
            assert_eq!(BulletinCategory::parse(category.code()), Some(category));
        }
        for language in Language::ALL {
            assert_eq!(Language::parse(language.code()), Some(language));
        }
        for status in BulletinStatus::ALL {
            assert_eq!(BulletinStatus::parse(status.code()), Some(status));
        }
        for state in IncidentState::ALL {
            assert_eq!(IncidentState::parse(state.code()), Some(state));
        }
        assert_eq!(BulletinCategory::parse("warning"), None, "the old code is gone");
    }

    #[tokio::test]
    async fn pages_split_the_bulletins_newest_first_and_count_them_all() {
        let (_dir, db) = demo_db().await.expect("test database");
        let all = latest(&db, Language::Chinese, 100).await.unwrap();
        let first = page(&db, Language::Chinese, 1, 2).await.unwrap();
        let second = page(&db, Language::Chinese, 2, 2).await.unwrap();
        assert_eq!(first.total, all.len() as i64);
        assert_eq!(first.bulletins, all[..2]);
        assert_eq!(second.bulletins[0], all[2]);
        assert!(all.windows(2).all(|w| w[0].publish_at >= w[1].publish_at));
        assert!(all.iter().all(|b| b.language == Language::Chinese), "each has its Chinese original");
    }

    #[tokio::test]
    async fn an_english_reader_gets_the_translation_and_a_chinese_only_bulletin_as_it_is() {
        let (_dir, db) = demo_db().await.expect("test database");
        sqlx::query("DELETE FROM bulletins WHERE slug = 'beware-of-fraud-en'").execute(&db).await.unwrap();
        let english = latest(&db, Language::English, 100).await.unwrap();
        assert!(english.iter().any(|b| b.slug == "verify-real-website-en"));
        assert!(!english.iter().any(|b| b.slug == "verify-real-website"), "not twice");
        let chinese_only = english.iter().find(|b| b.slug == "beware-of-fraud").expect("untranslated, shown");
        assert_eq!(chinese_only.language, Language::Chinese);

        let slug = BulletinSlug::parse("verify-real-website").unwrap();
        let reading = for_reader(&db, &slug, Language::English).await.unwrap().unwrap();
        assert_eq!(reading.shown.slug, "verify-real-website-en");
        assert_eq!(reading.other, Some((Language::Chinese, "verify-real-website".to_owned())));
        let reading = for_reader(&db, &slug, Language::Chinese).await.unwrap().unwrap();
        assert_eq!(reading.shown.slug, "verify-real-website");
        assert_eq!(reading.other, Some((Language::English, "verify-real-website-en".to_owned())));
    }

    #[tokio::test]
    async fn a_bulletin_is_found_by_its_slug_and_an_unknown_slug_finds_nothing() {
        let (_dir, db) = demo_db().await.expect("test database");
        let found =
            by_slug(&db, &BulletinSlug::parse("verify-real-website").unwrap()).await.unwrap().unwrap();
        assert!(found.title.contains("請認明凱基證券真正網址"));
        assert!(by_slug(&db, &BulletinSlug::parse("no-such-bulletin").unwrap()).await.unwrap().is_none());
    }

    #[tokio::test]
    async fn the_pattern_category_holds_only_patterns() {
        let (_dir, db) = demo_db().await.expect("test database");
        let patterns = in_category(&db, BulletinCategory::Pattern, Language::Chinese, 50).await.unwrap();
        assert!((3..=5).contains(&patterns.len()), "{}", patterns.len());
        assert!(patterns.iter().all(|b| b.category == BulletinCategory::Pattern));
    }

    #[tokio::test]
    async fn an_unknown_category_in_the_database_is_refused_not_guessed() {
        let (_dir, db) = demo_db().await.expect("test database");
        // The CHECK constraint stops such a row; lift it to simulate a newer writer.
        let mut conn = db.acquire().await.unwrap();
        let lift = match crate::Backend::of(&db) {
            crate::Backend::Sqlite => "PRAGMA ignore_check_constraints = ON",
            crate::Backend::Postgres => "ALTER TABLE bulletins DROP CONSTRAINT bulletins_category_check",
        };
        sqlx::query(lift).execute(&mut *conn).await.unwrap();
        sqlx::query("UPDATE bulletins SET category = 'urgent' WHERE slug = 'verify-real-website'")
            .execute(&mut *conn)
            .await
            .unwrap();
        drop(conn);
        let slug = BulletinSlug::parse("verify-real-website").unwrap();
        let err = by_slug(&db, &slug).await.unwrap_err();
        assert!(err.to_string().contains("unknown category"), "{err}");
    }
}
