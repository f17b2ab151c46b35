//! Demo data, written from the shared seed material and shipped in the binary: the
//! firm 凱基證券 / KGI Securities, its official domain, the takedown notice's nine
//! sites, and bulletins with scam patterns in both languages. Loaded on first start and by `server demo`.

use engine::feed::parse_notice;

use crate::bulletin::{BulletinCategory, BulletinSlug};
use crate::{now_rfc3339, today_in_taiwan, Db, StoreError};

const NOTICE: &str = include_str!("../demo/takedown-notice.txt");
const BULLETINS: &str = include_str!("../demo/bulletins.txt");
const FIRM_NAME_ZH: &str = "凱基證券";
const FIRM_NAME_EN: &str = "KGI Securities";
const BRAND_KEYWORDS: [&str; 2] = ["kgi", "凱基"];
const OFFICIAL_DOMAINS: [(&str, &str, &str); 1] = [("kgi.com.tw", "官方網站", "Official website")];

/// What a demo load wrote.
#[derive(Debug, PartialEq, Eq)]
pub struct DemoSummary {
    pub official_domains: usize,
    pub takedown_entries: usize,
    pub bulletins: usize,
}

/// Replaces all firm data with the demo data, in one transaction: on any error
/// nothing changes.
pub async fn load(db: &Db) -> Result<DemoSummary, StoreError> {
    let notice = parse_notice(NOTICE).map_err(|e| StoreError::InvalidDemo(format!("takedown notice {e}")))?;
    let bulletins = parse_bulletins(BULLETINS)?;
    let now = now_rfc3339();
    let today = today_in_taiwan();

    let mut tx = db.begin().await?;
    for table in ["firm", "brand_keywords", "official_entries", "takedown_entries", "bulletins"] {
        sqlx::query(&format!("DELETE FROM {table}")).execute(&mut *tx).await?;
    }
    sqlx::query("INSERT INTO firm (id, name_zh, name_en) VALUES (1, $1, $2)")
        .bind(FIRM_NAME_ZH)
        .bind(FIRM_NAME_EN)
        .execute(&mut *tx)
        .await?;
    for keyword in BRAND_KEYWORDS {
        sqlx::query("INSERT INTO brand_keywords (keyword) VALUES ($1)")
            .bind(keyword)
            .execute(&mut *tx)
            .await?;
    }
    for (domain, label_zh, label_en) in OFFICIAL_DOMAINS {
        sqlx::query(
            "INSERT INTO official_entries (kind, value, label_zh, label_en, created_at) VALUES ('domain', $1, $2, $3, $4)",
        )
        .bind(domain)
        .bind(label_zh)
        .bind(label_en)
        .bind(&now)
        .execute(&mut *tx)
        .await?;
    }
    // The notice reports each site found and its takedown requested: the trigger on
    // takedown_entries records both steps in takedown_events, in this transaction.
    for entry in &notice {
        sqlx::query(
            "INSERT INTO takedown_entries
                 (url, host, scope, target, hosting_ip, source, alert_id, case_id, status, listed_on,
                  status_changed_at)
             VALUES ($1, $2, $3, $2, $4, 'vendor_notice', $5, $6, 'takedown_requested', $7, $8)",
        )
        .bind(&entry.url)
        .bind(&entry.host)
        .bind(demo_scope(&entry.host).code())
        .bind(&entry.hosting_ip)
        .bind(&entry.alert_id)
        .bind(&entry.case_id)
        .bind(&today)
        .bind(&now)
        .execute(&mut *tx)
        .await?;
    }
    for b in &bulletins {
        sqlx::query(
            "INSERT INTO bulletins
                 (slug, category, title, body, title_en, body_en, published_on, created_at, updated_at)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $8)",
        )
        .bind(&b.slug)
        .bind(b.category.code())
        .bind(&b.title)
        .bind(&b.body)
        .bind(&b.title_en)
        .bind(&b.body_en)
        .bind(&b.published_on)
        .bind(&now)
        .execute(&mut *tx)
        .await?;
    }
    crate::bump_data_version(&mut tx, &now).await?;
    tx.commit().await?;
    Ok(DemoSummary {
        official_domains: OFFICIAL_DOMAINS.len(),
        takedown_entries: notice.len(),
        bulletins: bulletins.len(),
    })
}

/// The notice's sites are fake domains set up for phishing (and one bare IP), so each
/// entry covers its whole host, not just the reported page.
fn demo_scope(host: &str) -> engine::TakedownScope {
    if host.parse::<std::net::IpAddr>().is_ok() {
        engine::TakedownScope::Ip
    } else {
        engine::TakedownScope::Host
    }
}

/// Loads the demo data only into a database that has no firm data at all.
pub async fn load_if_empty(db: &Db) -> Result<Option<DemoSummary>, StoreError> {
    let (rows,): (i64,) = sqlx::query_as(
        "SELECT (SELECT count(*) FROM firm) + (SELECT count(*) FROM official_entries)
              + (SELECT count(*) FROM takedown_entries) + (SELECT count(*) FROM bulletins)",
    )
    .fetch_one(db)
    .await?;
    if rows > 0 {
        return Ok(None);
    }
    load(db).await.map(Some)
}

/// The line that starts a bulletin's English version in the demo file.
const ENGLISH_MARK: &str = "[en]";

/// Reads the demo bulletin file: blocks of "date | slug | category", a Chinese title and
/// body, then optionally "[en]", an English title and body. Anything malformed is
/// refused with the block it is in, so a bad edit cannot load half a file.
fn parse_bulletins(text: &str) -> Result<Vec<crate::Bulletin>, StoreError> {
    let invalid = |msg: String| StoreError::InvalidDemo(format!("bulletins: {msg}"));
    let content: Vec<&str> = text.lines().filter(|l| !l.starts_with('#')).collect();
    let mut bulletins: Vec<crate::Bulletin> = Vec::new();
    for block in content.split(|l| l.trim().is_empty()).filter(|b| !b.is_empty()) {
        let (head, rest) = block.split_first().ok_or_else(|| invalid("empty block".into()))?;
        let fields: Vec<&str> = head.split('|').map(str::trim).collect();
        let [date, slug, category] = fields[..] else {
            return Err(invalid(format!("{head:?} is not \"date | slug | category\"")));
        };
        if time::Date::parse(date, time::macros::format_description!("[year]-[month]-[day]")).is_err() {
            return Err(invalid(format!("{date:?} is not a YYYY-MM-DD date")));
        }
        let slug = BulletinSlug::parse(slug).map_err(|e| invalid(format!("{slug:?}: {e}")))?;
        let category = BulletinCategory::parse(category).ok_or_else(|| {
            invalid(format!("{slug:?}: {category:?} is not warning, pattern or notice", slug = slug.as_str()))
        })?;
        if bulletins.iter().any(|b| b.slug == slug.as_str()) {
            return Err(invalid(format!("{:?} is used by two bulletins", slug.as_str())));
        }
        let mut parts = rest.split(|l| l.trim() == ENGLISH_MARK);
        let chinese = parts.next().unwrap_or_default();
        let english = parts.next();
        if parts.next().is_some() {
            return Err(invalid(format!("{:?} has more than one {ENGLISH_MARK} section", slug.as_str())));
        }
        let (title, body) = title_and_body(chinese).ok_or_else(|| {
            invalid(format!("{:?} needs a title line and at least one body line", slug.as_str()))
        })?;
        let english = match english {
            None => None,
            Some(lines) => Some(title_and_body(lines).ok_or_else(|| {
                invalid(format!(
                    "{:?}: {ENGLISH_MARK} needs a title line and at least one body line",
                    slug.as_str()
                ))
            })?),
        };
        let (title_en, body_en) = english.unzip();
        bulletins.push(crate::Bulletin {
            slug: slug.as_str().to_owned(),
            category,
            title,
            body,
            title_en,
            body_en,
            published_on: date.to_owned(),
            updated_at: String::new(),
        });
    }
    Ok(bulletins)
}

/// The first line as the title and the rest as the body; `None` if either is missing.
fn title_and_body(lines: &[&str]) -> Option<(String, String)> {
    let (title, body) = lines.split_first()?;
    let title = title.trim();
    if title.is_empty() || body.is_empty() || title.chars().count() > 300 {
        return None;
    }
    Some((title.to_owned(), body.iter().map(|l| l.trim()).collect::<Vec<_>>().join("\n")))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::fresh_db;

    #[test]
    fn the_shipped_demo_files_parse() {
        assert_eq!(parse_notice(NOTICE).unwrap().len(), 9);
        let bulletins = parse_bulletins(BULLETINS).unwrap();
        assert_eq!(bulletins.len(), 7);
        assert_eq!(bulletins[0].published_on, "2025-09-30");
        assert!(bulletins[0].title.starts_with("【重要提醒】請認明凱基證券真正網址"));
        assert!(bulletins.iter().all(|b| b.title_en.is_some() && b.body_en.is_some()), "all have English");
        let patterns = bulletins.iter().filter(|b| b.category == BulletinCategory::Pattern).count();
        assert!((3..=5).contains(&patterns), "{patterns} patterns");
    }

    #[test]
    fn a_bulletin_with_a_bad_date_is_refused() {
        let err = parse_bulletins("2025.09.30 | x | warning\nTitle\nBody\n").unwrap_err();
        assert!(err.to_string().contains("\"2025.09.30\" is not a YYYY-MM-DD date"), "{err}");
    }

    #[test]
    fn a_malformed_bulletin_is_refused_with_what_is_wrong() {
        let cases = [
            ("2025-09-30 | x\nTitle\nBody", "is not \"date | slug | category\""),
            ("2025-09-30 | Bad Slug | warning\nTitle\nBody", "a-z, 0-9"),
            ("2025-09-30 | x | urgent\nTitle\nBody", "\"urgent\" is not warning, pattern or notice"),
            ("2025-09-30 | x | warning\nTitle only", "needs a title line and at least one body line"),
            ("2025-09-30 | x | warning\nTitle\nBody\n[en]\nTitle only", "[en] needs a title line"),
            ("2025-09-30 | x | warning\nT\nB\n[en]\nT\nB\n[en]\nT\nB", "more than one [en] section"),
            ("2025-09-30 | x | warning\nT\nB\n\n2025-09-29 | x | notice\nT\nB", "used by two bulletins"),
        ];
        for (text, expected) in cases {
            let err = parse_bulletins(text).unwrap_err().to_string();
            assert!(err.contains(expected), "{text:?}: {err}");
        }
    }

    #[test]
    fn the_english_version_is_optional() {
        let bulletins = parse_bulletins("2025-09-30 | only-chinese | notice\n標題\n內文").unwrap();
        assert_eq!(bulletins[0].title_en, None);
        assert_eq!(bulletins[0].body, "內文");
    }

    #[tokio::test]
    async fn an_empty_database_gets_the_demo_data_once() {
        let (_dir, db) = fresh_db().await;
        let first = load_if_empty(&db).await.unwrap();
        assert_eq!(first, Some(DemoSummary { official_domains: 1, takedown_entries: 9, bulletins: 7 }));
        assert_eq!(load_if_empty(&db).await.unwrap(), None);
    }

    #[tokio::test]
    async fn reloading_the_demo_replaces_rather_than_duplicates() {
        let (_dir, db) = fresh_db().await;
        load(&db).await.unwrap();
        load(&db).await.unwrap();
        let (n,): (i64,) =
            sqlx::query_as("SELECT count(*) FROM takedown_entries").fetch_one(&db).await.unwrap();
        assert_eq!(n, 9);
        let (version,): (i64,) =
            sqlx::query_as("SELECT version FROM data_version").fetch_one(&db).await.unwrap();
        assert_eq!(version, 2);
    }

    #[tokio::test]
    async fn every_demo_site_has_its_takedown_history_once_even_after_a_reload() {
        let (_dir, db) = fresh_db().await;
        load(&db).await.unwrap();
        load(&db).await.unwrap();
        let rows: Vec<(String, i64)> =
            sqlx::query_as("SELECT status, count(*) FROM takedown_events GROUP BY status ORDER BY status")
                .fetch_all(&db)
                .await
                .unwrap();
        assert_eq!(rows, [("detected".to_owned(), 9), ("takedown_requested".to_owned(), 9)]);
    }

    #[tokio::test]
    async fn the_live_index_sees_the_demo_data_and_keeps_it_when_the_database_fails() {
        let (_dir, db) = fresh_db().await;
        load(&db).await.unwrap();
        let live = crate::LiveIndex::default();
        assert!(live.refresh_if_changed(&db).await.unwrap());
        assert!(!live.refresh_if_changed(&db).await.unwrap(), "unchanged data is not reloaded");
        let snapshot = live.current().unwrap();
        assert_eq!(snapshot.index.takedown_len(), 9);

        db.close().await;
        assert!(live.reload(&db).await.is_err());
        assert_eq!(live.current().unwrap().version, snapshot.version, "the last good snapshot stays");
    }
}
