//! Demo data, written from the shared seed material and shipped in the binary: the
//! firm 凱基證券 / KGI Securities, its official domain, a hotline and a LINE account
//! (demo values, labelled as such), the takedown notice's nine sites, and bulletins with
//! scam patterns in both languages. Loaded only when asked (`server demo`, `server serve
//! --demo`), never by accident: a database holding the firm's own data is not overwritten
//! unless the caller insists.

use engine::feed::parse_notice;

use crate::bulletin::{BulletinCategory, BulletinSlug, IncidentState, Language};
use crate::{now_rfc3339, today_in_taiwan, Db, StoreError};

const NOTICE: &str = include_str!("../demo/takedown-notice.txt");
const BULLETINS: &str = include_str!("../demo/bulletins.txt");
const FIRM_NAME_ZH: &str = "凱基證券";
const FIRM_NAME_EN: &str = "KGI Securities";
const BRAND_KEYWORDS: [&str; 2] = ["kgi", "凱基"];
/// The official list, as a firm enters it: kind, value, and the labels the public pages
/// show. The hotline and LINE account are made-up demo values and say so.
const OFFICIAL_ENTRIES: [(&str, &str, &str, &str); 3] = [
    ("domain", "kgi.com.tw", "官方網站", "Official website"),
    (
        "phone",
        "+886800000000",
        "客服專線（示範號碼，非真實電話）",
        "Customer service (demo number, not real)",
    ),
    (
        "line_id",
        "kgi_demo",
        "官方 LINE 帳號（示範帳號，非真實帳號）",
        "Official LINE account (demo account, not real)",
    ),
];

/// What a demo load wrote.
#[derive(Debug, PartialEq, Eq)]
pub struct DemoSummary {
    pub official_entries: usize,
    pub takedown_entries: usize,
    pub bulletins: usize,
}

/// How much firm data a database holds, by table.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct FirmData {
    pub firms: i64,
    pub official_entries: i64,
    pub takedown_entries: i64,
    pub bulletins: i64,
}

impl FirmData {
    fn is_empty(self) -> bool {
        self == Self::default()
    }
}

/// The database holds firm data that is not what the last demo load wrote: loading the
/// demo would delete it.
#[derive(Debug, thiserror::Error)]
#[error(
    "the database holds data that is not the demo data ({} firm, {} official entries, {} takedown \
     entries, {} bulletins); loading the demo would delete all of it. Run `server demo --force` to \
     delete it and load the demo data",
    .0.firms, .0.official_entries, .0.takedown_entries, .0.bulletins
)]
pub struct NotDemoData(pub FirmData);

/// Whether demo data may replace what the database holds.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Overwrite {
    /// Only an empty database, or one holding exactly what the last demo load wrote.
    DemoOnly,
    /// Whatever it holds (`server demo --force`).
    Anything,
}

/// Replaces all firm data with the demo data, in one transaction: on any error nothing
/// changes. With [`Overwrite::DemoOnly`], data that is not the demo's is refused with
/// [`NotDemoData`], which says how much would have been deleted.
pub async fn load(db: &Db, overwrite: Overwrite) -> Result<DemoSummary, StoreError> {
    let loaded = load_locked(db, overwrite, false).await?;
    loaded.ok_or_else(|| StoreError::InvalidDemo("nothing was loaded".into()))
}

/// Loads the demo data only into a database that has no firm data at all
/// (`server serve --demo`); a database with any firm data is left as it is. Instances that
/// start together take turns (a lock), so only the first loads it.
pub async fn load_if_empty(db: &Db) -> Result<Option<DemoSummary>, StoreError> {
    load_locked(db, Overwrite::DemoOnly, true).await
}

/// The demo load, under the lock every writer of the whole firm data takes. With
/// `only_if_empty`, a database holding any firm data gives `None`.
async fn load_locked(
    db: &Db,
    overwrite: Overwrite,
    only_if_empty: bool,
) -> Result<Option<DemoSummary>, StoreError> {
    let notice = parse_notice(NOTICE).map_err(|e| StoreError::InvalidDemo(format!("takedown notice {e}")))?;
    let bulletins = parse_bulletins(BULLETINS)?;
    let now = now_rfc3339();
    let today = today_in_taiwan();

    let mut tx = crate::lock::lock(db, FIRM_DATA_LOCK).await?;
    let held = firm_data(&mut tx).await?;
    if only_if_empty && !held.is_empty() {
        return Ok(None);
    }
    if overwrite == Overwrite::DemoOnly {
        let is_demo = match marked_fingerprint(&mut tx).await? {
            Some(mark) => mark == fingerprint(&mut tx).await?,
            None => false,
        };
        if !held.is_empty() && !is_demo {
            return Err(NotDemoData(held).into());
        }
    }
    for table in [
        "takedown_changes",
        "takedown_versions",
        "firm",
        "brand_keywords",
        "official_entries",
        "cleared_lookalikes",
        "takedown_entries",
        "bulletins",
    ] {
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
    for (kind, value, label_zh, label_en) in OFFICIAL_ENTRIES {
        sqlx::query(
            "INSERT INTO official_entries (kind, value, label_zh, label_en, created_at) VALUES ($1, $2, $3, $4, $5)",
        )
        .bind(kind)
        .bind(value)
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
                 (url, host, site, scope, target, hosting_ip, source, vendor, alert_id, case_id, status,
                  listed_on, first_seen, last_seen, status_changed_at)
             VALUES ($1, $2, $9, $3, $2, $4, 'vendor_feed', 'RSA', $5, $6, 'takedown_requested', $7, $7, $7, $8)",
        )
        .bind(&entry.url)
        .bind(&entry.host)
        .bind(demo_scope(&entry.host).code())
        .bind(&entry.hosting_ip)
        .bind(&entry.alert_id)
        .bind(&entry.case_id)
        .bind(&today)
        .bind(&now)
        .bind(crate::takedown::site_of(&entry.host))
        .execute(&mut *tx)
        .await?;
    }
    for b in &bulletins {
        let id =
            insert_published(&mut tx, b, &b.slug, Language::Chinese, &b.title, &b.body, None, &now).await?;
        if let Some((title, body)) = &b.english {
            let slug = format!("{}-en", b.slug);
            insert_published(&mut tx, b, &slug, Language::English, title, body, Some(id), &now).await?;
        }
        for (at, state, words) in &b.timeline {
            sqlx::query(
                "INSERT INTO incident_updates (bulletin_id, state, body, happened_at, written_at, author)
                 VALUES ($1, $2, $3, $4, $5, 'demo')",
            )
            .bind(id)
            .bind(state.code())
            .bind(words)
            .bind(at)
            .bind(at)
            .execute(&mut *tx)
            .await?;
        }
    }
    // The demo's entries are the first version of the takedown data, to roll back to.
    let demo = crate::audit::Actor { id: None, login: "demo", client: "" };
    let baseline = crate::versions::Opening {
        action: "baseline",
        actor: &demo,
        origin: "demo data",
        format: engine::feed::FeedFormat::VendorNotice.code(),
        forced: false,
        note: "the demo's takedown notice",
        rolled_back_to: None,
    };
    // Sealing it marks the check data changed.
    crate::versions::Draft::start(&mut tx, &baseline).await?.seal(&mut tx).await?;
    let mark = fingerprint(&mut tx).await?;
    sqlx::query(
        "INSERT INTO demo_loads (id, fingerprint, loaded_at) VALUES (1, $1, $2)
         ON CONFLICT (id) DO UPDATE SET fingerprint = excluded.fingerprint, loaded_at = excluded.loaded_at",
    )
    .bind(&mark)
    .bind(&now)
    .execute(&mut *tx)
    .await?;
    tx.commit().await?;
    Ok(Some(DemoSummary {
        official_entries: OFFICIAL_ENTRIES.len(),
        takedown_entries: notice.len(),
        bulletins: bulletins.iter().map(|b| 1 + usize::from(b.english.is_some())).sum(),
    }))
}

/// The lock a writer of the firm data as a whole takes (the demo load, imports to come).
pub const FIRM_DATA_LOCK: &str = "firm-data";

/// How much firm data the database holds.
pub async fn firm_data(conn: &mut sqlx::AnyConnection) -> Result<FirmData, StoreError> {
    let (firms, official_entries, takedown_entries, bulletins): (i64, i64, i64, i64) = sqlx::query_as(
        "SELECT (SELECT count(*) FROM firm), (SELECT count(*) FROM official_entries),
                (SELECT count(*) FROM takedown_entries), (SELECT count(*) FROM bulletins)",
    )
    .fetch_one(conn)
    .await?;
    Ok(FirmData { firms, official_entries, takedown_entries, bulletins })
}

/// A summary of the firm data that changes whenever a row is added, removed or edited
/// (counts, newest ids, newest change times, the small tables whole): equal to the one
/// recorded at the last demo load exactly when nobody has written firm data since.
async fn fingerprint(conn: &mut sqlx::AnyConnection) -> Result<String, StoreError> {
    let firms: Vec<(String, String)> =
        sqlx::query_as("SELECT name_zh, name_en FROM firm ORDER BY id").fetch_all(&mut *conn).await?;
    let keywords: Vec<(String,)> =
        sqlx::query_as("SELECT keyword FROM brand_keywords ORDER BY keyword").fetch_all(&mut *conn).await?;
    let official: Vec<(i64, String, String, String, String)> =
        sqlx::query_as("SELECT id, kind, value, label_zh, label_en FROM official_entries ORDER BY id")
            .fetch_all(&mut *conn)
            .await?;
    let summary = |table: &str, changed: &str, sized: &str| {
        format!(
            "SELECT count(*), coalesce(max(id), 0), coalesce(max({changed}), ''),
                    CAST(coalesce(sum({sized}), 0) AS BIGINT) FROM {table}"
        )
    };
    let takedown: (i64, i64, String, i64) =
        sqlx::query_as(&summary("takedown_entries", "status_changed_at", "length(target) + length(url)"))
            .fetch_one(&mut *conn)
            .await?;
    let bulletins: (i64, i64, String, i64) =
        sqlx::query_as(&summary("bulletins", "updated_at", "length(title) + length(body)"))
            .fetch_one(&mut *conn)
            .await?;
    Ok(format!("{firms:?}/{keywords:?}/{official:?}/{takedown:?}/{bulletins:?}"))
}

/// The fingerprint recorded at the last demo load, if any.
async fn marked_fingerprint(conn: &mut sqlx::AnyConnection) -> Result<Option<String>, StoreError> {
    let row: Option<(String,)> =
        sqlx::query_as("SELECT fingerprint FROM demo_loads WHERE id = 1").fetch_optional(conn).await?;
    Ok(row.map(|(mark,)| mark))
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

/// The line that starts a bulletin's English version in the demo file.
const ENGLISH_MARK: &str = "[en]";

/// A bulletin of the demo file.
#[derive(Clone, Debug, PartialEq, Eq)]
struct DemoBulletin {
    slug: String,
    category: BulletinCategory,
    published_on: String,
    title: String,
    /// Markdown: each line of the file is a paragraph.
    body: String,
    english: Option<(String, String)>,
    /// An incident's updates: (time, state, words).
    timeline: Vec<(String, IncidentState, String)>,
}

/// Writes a published bulletin with its one revision, and the hosts it names.
#[allow(clippy::too_many_arguments)]
async fn insert_published(
    tx: &mut crate::lock::Locked,
    b: &DemoBulletin,
    slug: &str,
    language: Language,
    title: &str,
    body: &str,
    translation_of: Option<i64>,
    now: &str,
) -> Result<i64, StoreError> {
    let state = b.timeline.last().map(|(_, state, _)| state.code());
    let publish_at = format!("{}T01:00:00Z", b.published_on);
    let (id,): (i64,) = sqlx::query_as(
        "INSERT INTO bulletins (slug, language, translation_of, category, title, body, status, publish_at,
                                published_on, incident_state, author, created_at, updated_at)
         VALUES ($1, $2, $3, $4, $5, $6, 'published', $7, $8, $9, 'demo', $10, $11) RETURNING id",
    )
    .bind(slug)
    .bind(language.code())
    .bind(translation_of)
    .bind(b.category.code())
    .bind(title)
    .bind(body)
    .bind(&publish_at)
    .bind(&b.published_on)
    .bind(state)
    .bind(now)
    .bind(now)
    .fetch_one(&mut **tx)
    .await?;
    let (revision,): (i64,) = sqlx::query_as(
        "INSERT INTO bulletin_revisions (bulletin_id, title, body, author, saved_at)
         VALUES ($1, $2, $3, 'demo', $4) RETURNING id",
    )
    .bind(id)
    .bind(title)
    .bind(body)
    .bind(now)
    .fetch_one(&mut **tx)
    .await?;
    sqlx::query("UPDATE bulletins SET head_revision = $1, published_revision = $2 WHERE id = $3")
        .bind(revision)
        .bind(revision)
        .bind(id)
        .execute(&mut **tx)
        .await?;
    let row = crate::bulletin::by_id_in(&mut **tx, id).await?;
    crate::bulletin::index_hosts(tx, &row, now).await?;
    Ok(id)
}

/// Reads the demo bulletin file: blocks of "date | slug | category", a Chinese title and
/// body, then optionally "[en]", an English title and body; an incident's timeline lines
/// start with `@ YYYY-MM-DD HH:MM | state |` (Taiwan time). Anything malformed is refused
/// with the block it is in, so a bad edit cannot load half a file.
fn parse_bulletins(text: &str) -> Result<Vec<DemoBulletin>, StoreError> {
    let invalid = |msg: String| StoreError::InvalidDemo(format!("bulletins: {msg}"));
    let content: Vec<&str> = text.lines().filter(|l| !l.starts_with('#')).collect();
    let mut bulletins: Vec<DemoBulletin> = Vec::new();
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
            invalid(format!(
                "{slug:?}: {category:?} is not alert, notice, pattern or incident",
                slug = slug.as_str()
            ))
        })?;
        if bulletins.iter().any(|b| b.slug == slug.as_str()) {
            return Err(invalid(format!("{:?} is used by two bulletins", slug.as_str())));
        }
        let (timeline_lines, rest): (Vec<&str>, Vec<&str>) = rest.iter().partition(|l| l.starts_with('@'));
        let mut timeline = Vec::new();
        for line in timeline_lines {
            let parts: Vec<&str> = line.trim_start_matches('@').splitn(3, '|').map(str::trim).collect();
            let [at, state, words] = parts[..] else {
                return Err(invalid(format!("{line:?} is not \"@ time | state | words\"")));
            };
            let at = crate::bulletin::incident::parse_taiwan_time(at)
                .map_err(|e| invalid(format!("{:?}: {e}", slug.as_str())))?;
            let state = IncidentState::parse(state)
                .ok_or_else(|| invalid(format!("{:?}: {state:?} is not an incident state", slug.as_str())))?;
            timeline.push((crate::bulletin::publishing::stamp(at), state, words.to_owned()));
        }
        if (category == BulletinCategory::Incident) != !timeline.is_empty() {
            return Err(invalid(format!(
                "{:?}: an incident, and only an incident, has timeline lines",
                slug.as_str()
            )));
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
        bulletins.push(DemoBulletin {
            slug: slug.as_str().to_owned(),
            category,
            published_on: date.to_owned(),
            title,
            body,
            english,
            timeline,
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
    Some((title.to_owned(), body.iter().map(|l| l.trim()).collect::<Vec<_>>().join("\n\n")))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::fresh_db;

    #[test]
    fn the_shipped_demo_files_parse() {
        assert_eq!(parse_notice(NOTICE).unwrap().len(), 9);
        let bulletins = parse_bulletins(BULLETINS).unwrap();
        assert_eq!(bulletins.len(), 8);
        assert_eq!(bulletins[0].published_on, "2025-09-30");
        assert!(bulletins[0].title.starts_with("【重要提醒】請認明凱基證券真正網址"));
        assert!(bulletins.iter().all(|b| b.english.is_some()), "all have English");
        let incident = bulletins.iter().find(|b| b.category == BulletinCategory::Incident).unwrap();
        assert_eq!(incident.timeline.len(), 4);
        assert_eq!(incident.timeline[0].0, "2025-11-18T11:20:00Z", "Taiwan time, stored in UTC");
        assert_eq!(incident.timeline.last().unwrap().1, IncidentState::Resolved);
        let patterns = bulletins.iter().filter(|b| b.category == BulletinCategory::Pattern).count();
        assert!((3..=5).contains(&patterns), "{patterns} patterns");
    }

    #[test]
    fn a_bulletin_with_a_bad_date_is_refused() {
        let err = parse_bulletins("2025.09.30 | x | alert\nTitle\nBody\n").unwrap_err();
        assert!(err.to_string().contains("\"2025.09.30\" is not a YYYY-MM-DD date"), "{err}");
    }

    #[test]
    fn a_malformed_bulletin_is_refused_with_what_is_wrong() {
        let cases = [
            ("2025-09-30 | x\nTitle\nBody", "is not \"date | slug | category\""),
            ("2025-09-30 | Bad Slug | alert\nTitle\nBody", "a-z, 0-9"),
            ("2025-09-30 | x | urgent\nTitle\nBody", "\"urgent\" is not alert, notice, pattern or incident"),
            ("2025-09-30 | x | alert\nTitle only", "needs a title line and at least one body line"),
            ("2025-09-30 | x | alert\nTitle\nBody\n[en]\nTitle only", "[en] needs a title line"),
            ("2025-09-30 | x | alert\nT\nB\n[en]\nT\nB\n[en]\nT\nB", "more than one [en] section"),
            ("2025-09-30 | x | alert\nT\nB\n\n2025-09-29 | x | notice\nT\nB", "used by two bulletins"),
            ("2025-09-30 | x | incident\nT\nB", "only an incident, has timeline lines"),
            (
                "2025-09-30 | x | notice\nT\nB\n@ 2025-09-30 10:00 | resolved | ok",
                "only an incident, has timeline lines",
            ),
            ("2025-09-30 | x | incident\nT\nB\n@ 2025-09-30 10:00 | fixed | ok", "is not an incident state"),
        ];
        for (text, expected) in cases {
            let err = parse_bulletins(text).unwrap_err().to_string();
            assert!(err.contains(expected), "{text:?}: {err}");
        }
    }

    #[test]
    fn the_english_version_is_optional() {
        let bulletins = parse_bulletins("2025-09-30 | only-chinese | notice\n標題\n內文").unwrap();
        assert_eq!(bulletins[0].english, None);
        assert_eq!(bulletins[0].body, "內文");
    }

    #[tokio::test]
    async fn an_empty_database_gets_the_demo_data_once() {
        let (_dir, db) = fresh_db().await.expect("test database");
        let first = load_if_empty(&db).await.unwrap();
        assert_eq!(first, Some(DemoSummary { official_entries: 3, takedown_entries: 9, bulletins: 16 }));
        assert_eq!(load_if_empty(&db).await.unwrap(), None);
    }

    #[tokio::test]
    async fn the_demo_refuses_to_replace_the_firms_own_data_and_says_what_it_would_delete() {
        let (_dir, db) = fresh_db().await.expect("test database");
        load(&db, Overwrite::DemoOnly).await.unwrap();
        // An analyst lists a new fake site: the database no longer holds only demo data.
        sqlx::query(
            "INSERT INTO takedown_entries
                 (url, host, scope, target, source, status, listed_on, first_seen, last_seen, status_changed_at)
             VALUES ('https://new.kgi777.com/', 'new.kgi777.com', 'host', 'new.kgi777.com', 'manual',
                     'detected', '2026-12-01', '2026-12-01', '2026-12-01', '2026-12-01T00:00:00Z')",
        )
        .execute(&db)
        .await
        .unwrap();

        let err = load(&db, Overwrite::DemoOnly).await.unwrap_err();

        assert!(matches!(err, StoreError::NotDemoData(_)), "{err}");
        let message = err.to_string();
        assert!(
            message.contains("1 firm, 3 official entries, 10 takedown entries, 16 bulletins"),
            "{message}"
        );
        assert!(message.contains("server demo --force"), "{message}");
        let (n,): (i64,) =
            sqlx::query_as("SELECT count(*) FROM takedown_entries").fetch_one(&db).await.unwrap();
        assert_eq!(n, 10, "nothing was deleted");
        load(&db, Overwrite::Anything).await.unwrap();
        let (n,): (i64,) =
            sqlx::query_as("SELECT count(*) FROM takedown_entries").fetch_one(&db).await.unwrap();
        assert_eq!(n, 9, "forced, the demo replaces it");
    }

    #[tokio::test]
    async fn a_database_with_a_firm_but_no_demo_mark_is_not_demo_data() {
        let (_dir, db) = fresh_db().await.expect("test database");
        sqlx::query("INSERT INTO firm (id, name_zh, name_en) VALUES (1, '另一家證券', 'Other Securities')")
            .execute(&db)
            .await
            .unwrap();
        assert!(matches!(load(&db, Overwrite::DemoOnly).await, Err(StoreError::NotDemoData(_))));
        assert_eq!(load_if_empty(&db).await.unwrap(), None, "--demo leaves a firm's data alone");
    }

    #[tokio::test]
    async fn the_demo_hotline_and_line_account_are_labelled_as_demo_values() {
        let (_dir, db) = fresh_db().await.expect("test database");
        load(&db, Overwrite::DemoOnly).await.unwrap();
        let rows: Vec<(String, String, String, String)> = sqlx::query_as(
            "SELECT kind, value, label_zh, label_en FROM official_entries WHERE kind <> 'domain'",
        )
        .fetch_all(&db)
        .await
        .unwrap();
        assert_eq!(rows.len(), 2);
        for (kind, value, zh, en) in rows {
            assert!(zh.contains("示範") && en.contains("demo"), "{kind} {value}: {zh} / {en}");
        }
    }

    #[tokio::test]
    async fn reloading_the_demo_replaces_rather_than_duplicates() {
        let (_dir, db) = fresh_db().await.expect("test database");
        load(&db, Overwrite::DemoOnly).await.unwrap();
        load(&db, Overwrite::DemoOnly).await.unwrap();
        let (n,): (i64,) =
            sqlx::query_as("SELECT count(*) FROM takedown_entries").fetch_one(&db).await.unwrap();
        assert_eq!(n, 9);
        let (version,): (i64,) =
            sqlx::query_as("SELECT version FROM data_version").fetch_one(&db).await.unwrap();
        assert_eq!(version, 2);
    }

    #[tokio::test]
    async fn every_demo_site_has_its_takedown_history_once_even_after_a_reload() {
        let (_dir, db) = fresh_db().await.expect("test database");
        load(&db, Overwrite::DemoOnly).await.unwrap();
        load(&db, Overwrite::DemoOnly).await.unwrap();
        let rows: Vec<(String, i64)> =
            sqlx::query_as("SELECT status, count(*) FROM takedown_events GROUP BY status ORDER BY status")
                .fetch_all(&db)
                .await
                .unwrap();
        assert_eq!(rows, [("detected".to_owned(), 9), ("takedown_requested".to_owned(), 9)]);
    }

    #[tokio::test]
    async fn the_live_index_sees_the_demo_data_and_keeps_it_when_the_database_fails() {
        let (_dir, db) = fresh_db().await.expect("test database");
        load(&db, Overwrite::DemoOnly).await.unwrap();
        let live = crate::LiveIndex::default();
        assert!(matches!(live.refresh_if_changed(&db).await.unwrap(), crate::Refreshed::Reloaded { .. }));
        assert_eq!(
            live.refresh_if_changed(&db).await.unwrap(),
            crate::Refreshed::Unchanged,
            "unchanged data is not reloaded"
        );
        let snapshot = live.current().unwrap();
        assert_eq!(snapshot.index.takedown_len(), 9);

        db.close().await;
        assert!(live.reload(&db).await.is_err());
        assert_eq!(live.current().unwrap().version, snapshot.version, "the last good snapshot stays");
    }
}
