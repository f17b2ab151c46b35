//! Fraud bulletins: the firm's public warnings, scam patterns and notices, newest first.

use crate::{Db, StoreError};

/// What a bulletin is about, as stored in `bulletins.category`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum BulletinCategory {
    /// A warning about a scam going on now.
    Warning,
    /// A common scam pattern explained in plain words (詐騙樣態停看聽).
    Pattern,
    /// Any other notice from the firm.
    Notice,
}

impl BulletinCategory {
    /// Every category, in the order pages list them.
    pub const ALL: [Self; 3] = [Self::Warning, Self::Pattern, Self::Notice];

    /// The stored code.
    pub fn code(self) -> &'static str {
        match self {
            Self::Warning => "warning",
            Self::Pattern => "pattern",
            Self::Notice => "notice",
        }
    }

    /// Reads a stored code; anything else is not a category.
    pub fn parse(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|c| c.code() == code)
    }
}

/// A published bulletin. The Chinese text is always there; the English text only
/// when someone wrote it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Bulletin {
    pub slug: String,
    pub category: BulletinCategory,
    pub title: String,
    pub body: String,
    pub title_en: Option<String>,
    pub body_en: Option<String>,
    /// `YYYY-MM-DD`, the date readers see.
    pub published_on: String,
    /// When the text last changed, RFC 3339 UTC.
    pub updated_at: String,
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

const COLUMNS: &str = "slug, category, title, body, title_en, body_en, published_on, updated_at";
const NEWEST_FIRST: &str = "ORDER BY published_on DESC, id DESC";

#[derive(sqlx::FromRow)]
struct Row {
    slug: String,
    category: String,
    title: String,
    body: String,
    title_en: Option<String>,
    body_en: Option<String>,
    published_on: String,
    updated_at: String,
}

impl TryFrom<Row> for Bulletin {
    type Error = StoreError;

    /// A row whose category this version does not know is refused rather than guessed.
    fn try_from(row: Row) -> Result<Self, StoreError> {
        let category = BulletinCategory::parse(&row.category).ok_or_else(|| {
            StoreError::invalid_row("bulletins", &row.slug, format!("unknown category {:?}", row.category))
        })?;
        // Empty English text is the same as none: the page then shows the Chinese.
        let non_empty = |text: Option<String>| text.filter(|t| !t.trim().is_empty());
        Ok(Self {
            slug: row.slug,
            category,
            title: row.title,
            body: row.body,
            title_en: non_empty(row.title_en),
            body_en: non_empty(row.body_en),
            published_on: row.published_on,
            updated_at: row.updated_at,
        })
    }
}

fn decode(rows: Vec<Row>) -> Result<Vec<Bulletin>, StoreError> {
    rows.into_iter().map(Bulletin::try_from).collect()
}

/// Reads the `limit` newest bulletins of every category.
pub async fn latest(db: impl crate::Executor<'_>, limit: i64) -> Result<Vec<Bulletin>, StoreError> {
    let rows = sqlx::query_as::<_, Row>(&format!("SELECT {COLUMNS} FROM bulletins {NEWEST_FIRST} LIMIT $1"))
        .bind(limit)
        .fetch_all(db)
        .await?;
    decode(rows)
}

/// Reads page `page` (counted from 1) of all bulletins, `per_page` to a page, newest first.
pub async fn page(db: &Db, page: u32, per_page: u32) -> Result<BulletinPage, StoreError> {
    let offset = i64::from(page.saturating_sub(1)) * i64::from(per_page);
    let mut tx = db.begin().await?;
    let (total,): (i64,) = sqlx::query_as("SELECT count(*) FROM bulletins").fetch_one(&mut *tx).await?;
    let rows = sqlx::query_as::<_, Row>(&format!(
        "SELECT {COLUMNS} FROM bulletins {NEWEST_FIRST} LIMIT $1 OFFSET $2"
    ))
    .bind(i64::from(per_page))
    .bind(offset)
    .fetch_all(&mut *tx)
    .await?;
    tx.commit().await?;
    Ok(BulletinPage { bulletins: decode(rows)?, total })
}

/// Reads the `limit` newest bulletins of one category.
pub async fn in_category(
    db: &Db,
    category: BulletinCategory,
    limit: i64,
) -> Result<Vec<Bulletin>, StoreError> {
    let rows = sqlx::query_as::<_, Row>(&format!(
        "SELECT {COLUMNS} FROM bulletins WHERE category = $1 {NEWEST_FIRST} LIMIT $2"
    ))
    .bind(category.code())
    .bind(limit)
    .fetch_all(db)
    .await?;
    decode(rows)
}

/// The bulletin at `slug`, if there is one.
pub async fn by_slug(db: &Db, slug: &BulletinSlug) -> Result<Option<Bulletin>, StoreError> {
    let row = sqlx::query_as::<_, Row>(&format!("SELECT {COLUMNS} FROM bulletins WHERE slug = $1"))
        .bind(slug.as_str())
        .fetch_optional(db)
        .await?;
    row.map(Bulletin::try_from).transpose()
}

/// The addresses of the `limit` newest bulletins, without their text.
pub async fn addresses(db: &Db, limit: i64) -> Result<Vec<BulletinAddress>, StoreError> {
    let rows: Vec<(String, String)> =
        sqlx::query_as(&format!("SELECT slug, updated_at FROM bulletins {NEWEST_FIRST} LIMIT $1"))
            .bind(limit)
            .fetch_all(db)
            .await?;
    Ok(rows.into_iter().map(|(slug, updated_at)| BulletinAddress { slug, updated_at }).collect())
}

/// The newest bulletins (at most `limit`) that name `host` or, when given, any host of its
/// registrable domain `site`, however the bulletin wrote it (`kgi357。com`, `kgi357[.]com`).
/// The hosts a bulletin names are computed when it is written ([`index_hosts`]), so this is
/// one indexed look-up, whatever the number of bulletins.
pub async fn mentioning(
    db: &Db,
    host: &str,
    site: Option<&str>,
    limit: usize,
) -> Result<Vec<Bulletin>, StoreError> {
    let columns = COLUMNS.split(", ").map(|c| format!("b.{c}")).collect::<Vec<_>>().join(", ");
    let rows = sqlx::query_as::<_, Row>(&format!(
        "SELECT {columns} FROM bulletins b
         WHERE b.id IN (SELECT bulletin_id FROM bulletin_hosts WHERE host = $1 OR site = $2)
         ORDER BY b.published_on DESC, b.id DESC LIMIT $3"
    ))
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

/// Records the hosts bulletin `id` names, replacing what was recorded before: every writer
/// of a bulletin calls it in its own transaction.
pub async fn index_hosts(
    conn: &mut sqlx::AnyConnection,
    id: i64,
    bulletin: &Bulletin,
    now: &str,
) -> Result<(), StoreError> {
    sqlx::query("DELETE FROM bulletin_hosts WHERE bulletin_id = $1").bind(id).execute(&mut *conn).await?;
    let texts =
        [Some(&bulletin.title), Some(&bulletin.body), bulletin.title_en.as_ref(), bulletin.body_en.as_ref()];
    for (host, site) in named_hosts(texts.into_iter().flatten().map(String::as_str)) {
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

/// Computes the hosts of bulletins written before hosts were recorded (once, at start-up,
/// by the first of the instances that start together). Returns how many it indexed.
pub async fn index_missing_hosts(db: &Db) -> Result<usize, StoreError> {
    let missing = format!("SELECT id, {COLUMNS} FROM bulletins WHERE hosts_indexed_at IS NULL ORDER BY id");
    if sqlx::query_as::<_, IdRow>(&missing).fetch_optional(db).await?.is_none() {
        return Ok(0);
    }
    let mut tx = crate::lock::lock(db, crate::demo::FIRM_DATA_LOCK).await?;
    // Read again under the lock: another instance may have done it meanwhile.
    let rows = sqlx::query_as::<_, IdRow>(&missing).fetch_all(&mut *tx).await?;
    let now = crate::now_rfc3339();
    let count = rows.len();
    for IdRow { id, row } in rows {
        let bulletin = Bulletin::try_from(row)?;
        index_hosts(&mut tx, id, &bulletin, &now).await?;
    }
    tx.commit().await?;
    Ok(count)
}

#[derive(sqlx::FromRow)]
struct IdRow {
    id: i64,
    #[sqlx(flatten)]
    row: Row,
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
        let found = mentioning(&db, "kgi357.com", Some("kgi357.com"), 5).await.unwrap();
        assert_eq!(
            found.iter().map(|b| b.slug.as_str()).collect::<Vec<_>>(),
            ["verify-real-website", "pattern-lookalike-login-page"]
        );
        assert!(mentioning(&db, "example.org", Some("example.org"), 5).await.unwrap().is_empty());
    }

    #[tokio::test]
    async fn a_bulletin_written_before_hosts_were_recorded_gets_them_once_at_start() {
        let (_dir, db) = demo_db().await.expect("test database");
        sqlx::query(
            "INSERT INTO bulletins (slug, category, title, body, published_on, created_at, updated_at)
             VALUES ('older', 'warning', '舊公告', '假網站 new.kgi777.com', '2024-01-01', 'x', 'x')",
        )
        .execute(&db)
        .await
        .unwrap();
        assert!(mentioning(&db, "new.kgi777.com", None, 5).await.unwrap().is_empty(), "not yet recorded");

        assert_eq!(index_missing_hosts(&db).await.unwrap(), 1);

        let found = mentioning(&db, "new.kgi777.com", None, 5).await.unwrap();
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
    fn categories_read_back_what_they_store() {
        for category in BulletinCategory::ALL {
            assert_eq!(BulletinCategory::parse(category.code()), Some(category));
        }
        assert_eq!(BulletinCategory::parse("urgent"), None);
    }

    #[tokio::test]
    async fn pages_split_the_bulletins_newest_first_and_count_them_all() {
        let (_dir, db) = demo_db().await.expect("test database");
        let all = latest(&db, 100).await.unwrap();
        let first = page(&db, 1, 2).await.unwrap();
        let second = page(&db, 2, 2).await.unwrap();
        assert_eq!(first.total, all.len() as i64);
        assert_eq!(first.bulletins, all[..2]);
        assert_eq!(second.bulletins[0], all[2]);
        assert!(all.windows(2).all(|w| w[0].published_on >= w[1].published_on));
    }

    #[tokio::test]
    async fn a_bulletin_is_found_by_its_slug_and_an_unknown_slug_finds_nothing() {
        let (_dir, db) = demo_db().await.expect("test database");
        let found =
            by_slug(&db, &BulletinSlug::parse("verify-real-website").unwrap()).await.unwrap().unwrap();
        assert!(found.title.contains("請認明凱基證券真正網址"));
        assert!(found.title_en.is_some());
        assert!(by_slug(&db, &BulletinSlug::parse("no-such-bulletin").unwrap()).await.unwrap().is_none());
    }

    #[tokio::test]
    async fn the_pattern_category_holds_only_patterns() {
        let (_dir, db) = demo_db().await.expect("test database");
        let patterns = in_category(&db, BulletinCategory::Pattern, 50).await.unwrap();
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
