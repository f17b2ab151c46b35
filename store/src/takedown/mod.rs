//! The takedown database: known fake sites and where each stands in its takedown.

pub mod campaigns;
pub mod list;

use engine::{TakedownEntry, TakedownStatus};
use serde::{Deserialize, Serialize};

use crate::audit::{self, Actor};
use crate::versions::{self, Draft, EntryImage, Op, Opening, Version};
use crate::{Executor, StoreError};

/// Where an entry came from.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub enum Source {
    /// A takedown vendor's notice or feed (RSA FraudAction and the like).
    #[serde(rename = "vendor_feed")]
    VendorFeed,
    /// Taiwan's 165 anti-fraud open data.
    #[serde(rename = "open_data_165")]
    OpenData165,
    /// An agent's escalation, accepted by an analyst.
    #[serde(rename = "escalation")]
    Escalation,
    /// A report from the public, accepted by an analyst.
    #[serde(rename = "public_report")]
    PublicReport,
    /// Entered by an analyst.
    #[serde(rename = "manual")]
    Manual,
}

impl Source {
    /// Every source.
    pub const ALL: [Self; 5] =
        [Self::VendorFeed, Self::OpenData165, Self::Escalation, Self::PublicReport, Self::Manual];

    /// The stable code stored in the database.
    pub fn code(self) -> &'static str {
        match self {
            Self::VendorFeed => "vendor_feed",
            Self::OpenData165 => "open_data_165",
            Self::Escalation => "escalation",
            Self::PublicReport => "public_report",
            Self::Manual => "manual",
        }
    }

    /// Parses a stored source code.
    pub fn parse(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|s| s.code() == code)
    }
}

/// The statuses that condemn (every one but a false positive and a withdrawn entry), for SQL.
pub(crate) const CONDEMNING: &str =
    "('detected', 'reported', 'takedown_requested', 'taken_down', 'monitoring', 'reactivated')";

/// Every takedown entry checks condemn (in the active set, neither a false positive nor
/// withdrawn), oldest first. A row whose status or scope is unknown to this version is
/// refused rather than guessed.
pub async fn all(conn: &mut sqlx::AnyConnection) -> Result<Vec<TakedownEntry>, StoreError> {
    type Row = (i64, engine::TakedownScope, String, TakedownStatus, String);
    // Pages of entries in id order, each one JSON text of rows (`db::packed_page`): sqlx's
    // drivers hand every row from their own thread to the reader, which cost a million
    // entries several seconds; a page costs one hand-off for ten thousand. The statuses are
    // filtered here, not in SQL: with `status IN (…)` SQLite reads the entries through the
    // status index and sorts them, instead of one pass in id order.
    let sql = crate::db::packed_page(
        crate::Backend::of_connection(conn),
        "id, scope, target, status, listed_on",
        "takedown_entries",
        "removed_in IS NULL",
    );
    let mut entries = Vec::new();
    crate::db::read_pages(
        conn,
        "takedown_entries",
        &sql,
        |row: &Row| row.0,
        |rows| {
            entries.extend(rows.into_iter().filter(|row| row.3.condemns()).map(
                |(id, scope, target, status, listed_on)| TakedownEntry {
                    id,
                    scope,
                    target,
                    status,
                    listed_on,
                },
            ));
        },
    )
    .await?;
    Ok(entries)
}

/// The scopes that condemn a whole host (or address): only those make a domain page say
/// fraud, show a history, or get listed for search engines. A listed page on a shared host
/// (`sites.google.com/view/x`, `forms.gle/…`, `lin.ee/…`) condemns that page, never the host.
const WHOLE_HOST_SCOPES: &str = "('host', 'registrable_domain', 'ip')";

/// The distinct hosts listed as a whole in the takedown database, in alphabetical order, at
/// most `limit` of them (ask for one more than you can use to learn that some were left out).
pub async fn listed_hosts(db: impl Executor<'_>, limit: i64) -> Result<Vec<String>, StoreError> {
    let rows: Vec<(String,)> = sqlx::query_as(&format!(
        "SELECT DISTINCT lower(host) FROM takedown_entries
         WHERE scope IN {WHOLE_HOST_SCOPES} AND removed_in IS NULL AND status IN {CONDEMNING}
         ORDER BY 1 LIMIT $1"
    ))
    .bind(limit)
    .fetch_all(db)
    .await?;
    Ok(rows.into_iter().map(|(host,)| host).collect())
}

/// The registrable domain a listed host is recorded under: its site, or the host itself for
/// an IP address or a name without one. Every writer of `takedown_entries` sets it.
pub fn site_of(host: &str) -> &str {
    engine::domain::registrable_domain(host).unwrap_or(host)
}

/// Records the site of entries written before sites were (once, at start-up). Returns how
/// many entries it updated.
pub async fn index_missing_sites(db: &crate::Db) -> Result<usize, StoreError> {
    let missing = "SELECT id, lower(host) FROM takedown_entries WHERE site IS NULL";
    if sqlx::query_as::<_, (i64, String)>(missing).fetch_optional(db).await?.is_none() {
        return Ok(0);
    }
    let mut tx = crate::lock::lock(db, crate::demo::FIRM_DATA_LOCK).await?;
    let rows: Vec<(i64, String)> = sqlx::query_as(missing).fetch_all(&mut *tx).await?;
    for (id, host) in &rows {
        sqlx::query("UPDATE takedown_entries SET site = $1 WHERE id = $2")
            .bind(site_of(host))
            .bind(id)
            .execute(&mut *tx)
            .await?;
    }
    tx.commit().await?;
    Ok(rows.len())
}

/// One step in a listed site's takedown: what happened to which host, and on which day.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct HistoryEvent {
    /// The listed host (the page's own host, or a subdomain of its site).
    pub host: String,
    pub status: TakedownStatus,
    /// Taiwan date, `YYYY-MM-DD`.
    pub happened_on: String,
}

/// The most steps a history shows; a site with more is summed up by its newest.
pub const MAX_HISTORY_EVENTS: i64 = 100;

/// The takedown history of `host` and, when given, of every host under its registrable
/// domain `site`, oldest first. The same step on the same day for one host (several listed
/// pages of one site) appears once.
pub async fn history_for(
    db: impl Executor<'_>,
    host: &str,
    site: Option<&str>,
) -> Result<Vec<HistoryEvent>, StoreError> {
    // The newest steps when there are too many, shown oldest first.
    let rows: Vec<(String, String, String)> = sqlx::query_as(&format!(
        "SELECT host, status, happened_on FROM (
             SELECT e.host AS host, ev.status AS status, ev.happened_on AS happened_on,
                    min(ev.id) AS first_id
             FROM takedown_events ev JOIN takedown_entries e ON e.id = ev.entry_id
             WHERE e.scope IN {WHOLE_HOST_SCOPES} AND (e.host = $1 OR e.site = $2) AND e.removed_in IS NULL
             GROUP BY e.host, ev.status, ev.happened_on
             ORDER BY happened_on DESC, first_id DESC
             LIMIT $3
         ) AS newest ORDER BY happened_on, first_id"
    ))
    .bind(host)
    .bind(site)
    .bind(MAX_HISTORY_EVENTS)
    .fetch_all(db)
    .await?;
    rows.into_iter()
        .map(|(host, status, happened_on)| {
            let status = TakedownStatus::parse(&status).ok_or_else(|| {
                StoreError::invalid_row("takedown_events", &host, format!("unknown status {status:?}"))
            })?;
            Ok(HistoryEvent { host, status, happened_on })
        })
        .collect()
}

/// Moves an entry to `status` with a note on why, as the system (a new version of the
/// entry set). Returns false when there is no such entry or it already has that status.
pub async fn change_status(
    db: &crate::Db,
    entry_id: i64,
    status: TakedownStatus,
    note: Option<&str>,
) -> Result<bool, StoreError> {
    let edit = Edit { status: Some(status), event_note: note.map(str::to_owned), notes: None };
    Ok(edit_entries(db, &[entry_id], &edit, &Actor::system()).await?.is_some())
}

/// A change staff make to one entry or a selection at once.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Edit {
    /// The new status.
    pub status: Option<TakedownStatus>,
    /// Why the status changed (kept with the step in the history, at most 1,000 characters).
    pub event_note: Option<String>,
    /// The entry's notes, replaced (at most 4,000 characters).
    pub notes: Option<String>,
}

/// The most entries one edit may change at once: 100,000 take about 6 s over a million
/// (docs/benchmarks.md), within a request's time.
pub const MAX_EDIT_SELECTION: usize = 100_000;

/// Applies `edit` to the active entries among `ids`, as one new version of the entry set,
/// with a step in each entry's history signed by the actor and one audit entry. `None`
/// when nothing changed (unknown ids, or the entries already are so).
pub async fn edit_entries(
    db: &crate::Db,
    ids: &[i64],
    edit: &Edit,
    actor: &Actor<'_>,
) -> Result<Option<Version>, StoreError> {
    if ids.len() > MAX_EDIT_SELECTION {
        return Err(StoreError::Refused(format!(
            "a selection of {} entries is more than the {MAX_EDIT_SELECTION} one change may touch",
            ids.len()
        )));
    }
    let note_length = edit.event_note.as_ref().map_or(0, |n| n.chars().count());
    if note_length > 1000 || edit.notes.as_ref().is_some_and(|n| n.chars().count() > 4000) {
        return Err(StoreError::Refused(
            "the note is too long (1,000 characters for a step, 4,000 for notes)".into(),
        ));
    }
    let mut tx = crate::lock::lock(db, crate::demo::FIRM_DATA_LOCK).await?;
    // Only the entries selected: holding the other million in memory to seal took 1.4 GB.
    let selected = versions::images_by_id(&mut tx, ids, MAX_EDIT_SELECTION).await?;
    let mut changes: Vec<(i64, &EntryImage, EntryImage)> = Vec::new();
    let mut seen = std::collections::HashSet::with_capacity(ids.len());
    for id in ids {
        if !seen.insert(*id) {
            continue; // named twice
        }
        let Some((image, true)) = selected.get(id) else { continue };
        let mut after = image.clone();
        if let Some(status) = edit.status {
            after.status = status;
        }
        if let Some(notes) = &edit.notes {
            after.notes.clone_from(notes);
        }
        if after != *image {
            changes.push((*id, image, after));
        }
    }
    if changes.is_empty() {
        return Ok(None);
    }
    let summary = describe_edit(edit, changes.len());
    let opening = Opening {
        action: "edit",
        actor,
        origin: "",
        format: "",
        forced: false,
        note: &summary,
        rolled_back_to: None,
    };
    let mut draft = Draft::open(&mut tx, &opening).await?;
    write_edit(&mut tx, &changes, edit, actor.login, draft.number).await?;
    for (id, before, _) in &changes {
        draft.note(&mut tx, *id, Op::Change, Some(before)).await?;
    }
    let version = draft.seal(&mut tx).await?;
    crate::lock::also(&mut tx, audit::AUDIT_LOCK).await?;
    let ids: Vec<String> = changes.iter().take(50).map(|(id, _, _)| id.to_string()).collect();
    let entry = audit::NewEntry::new("takedown_edit")
        .by(actor.id, actor.login)
        .on(format!("takedown_version:{}", version.version))
        .change(format!("entries {}", ids.join(",")), summary)
        .from(actor.client);
    audit::append(&mut tx, &entry).await?;
    tx.commit().await?;
    Ok(Some(version))
}

/// Writes one edit to every entry of `changes` as part of version `number`, three statements
/// whatever their number (a campaign can hold a quarter of a million entries): the entries,
/// then the steps the status trigger wrote for them signed with `login` and the note.
async fn write_edit(
    tx: &mut crate::lock::Locked,
    changes: &[(i64, &EntryImage, EntryImage)],
    edit: &Edit,
    login: &str,
    number: i64,
) -> Result<(), StoreError> {
    let backend = crate::Backend::of_connection(tx);
    let ids = serde_json::to_string(&changes.iter().map(|(id, _, _)| *id).collect::<Vec<_>>())
        .map_err(|e| StoreError::Refused(format!("cannot encode the selection: {e}")))?;
    let selected = crate::db::json_ids(backend, "$1");
    let (steps_before,): (i64,) =
        sqlx::query_as("SELECT coalesce(max(id), 0) FROM takedown_events").fetch_one(&mut **tx).await?;
    let now = crate::now_rfc3339();
    sqlx::query(&format!(
        "UPDATE takedown_entries SET
             status = coalesce($2, status),
             notes = coalesce($3, notes),
             status_changed_at = CASE WHEN $2 IS NULL OR status = $2 THEN status_changed_at ELSE $4 END,
             changed_in = $5
         WHERE id IN ({selected}) AND removed_in IS NULL"
    ))
    .bind(&ids)
    .bind(edit.status.map(TakedownStatus::code))
    .bind(edit.notes.as_deref())
    .bind(&now)
    .bind(number)
    .execute(&mut **tx)
    .await?;
    if edit.status.is_some() {
        // The trigger wrote a step for each entry whose status changed, after `steps_before`.
        sqlx::query(&format!(
            "UPDATE takedown_events SET actor = $2, note = coalesce($3, note)
             WHERE id > $4 AND entry_id IN ({selected}) AND actor = ''"
        ))
        .bind(&ids)
        .bind(login)
        .bind(edit.event_note.as_deref())
        .bind(steps_before)
        .execute(&mut **tx)
        .await?;
    }
    Ok(())
}

fn describe_edit(edit: &Edit, count: usize) -> String {
    let mut parts = Vec::new();
    if let Some(status) = edit.status {
        parts.push(format!("status {}", status.code()));
    }
    if edit.notes.is_some() {
        parts.push("notes".to_owned());
    }
    format!("{} of {count} entr{}", parts.join(" and "), if count == 1 { "y" } else { "ies" })
}

/// Signs the newest step of entry `id`'s history (written by the trigger in this
/// transaction) with who made it and, when given, why.
pub(crate) async fn sign_newest_event(
    tx: &mut crate::lock::Locked,
    id: i64,
    actor: &str,
    note: Option<&str>,
) -> Result<(), StoreError> {
    sqlx::query(
        "UPDATE takedown_events SET actor = $1, note = coalesce($2, note)
         WHERE id = (SELECT max(id) FROM takedown_events WHERE entry_id = $3) AND actor = ''",
    )
    .bind(actor)
    .bind(note)
    .bind(id)
    .execute(&mut **tx)
    .await?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::demo_db;

    fn steps(history: &[HistoryEvent]) -> Vec<(&str, TakedownStatus)> {
        history.iter().map(|e| (e.host.as_str(), e.status)).collect()
    }

    #[tokio::test]
    async fn a_demo_site_was_found_then_its_takedown_requested() {
        let (_dir, db) = demo_db().await.expect("test database");
        let history = history_for(&db, "kkpp.kgi357.com", Some("kgi357.com")).await.unwrap();
        assert_eq!(
            steps(&history),
            [
                ("kkpp.kgi357.com", TakedownStatus::Detected),
                ("kkpp.kgi357.com", TakedownStatus::TakedownRequested)
            ]
        );
        assert_eq!(history[0].happened_on.len(), 10, "a plain date: {history:?}");
    }

    #[tokio::test]
    async fn the_history_of_a_site_covers_its_listed_subdomains_only() {
        let (_dir, db) = demo_db().await.expect("test database");
        let site = history_for(&db, "kgi357.com", Some("kgi357.com")).await.unwrap();
        assert!(site.iter().all(|e| e.host == "kkpp.kgi357.com"), "{site:?}");
        assert_eq!(site.len(), 2);
        // kgi357.com must not pull in kgi3357.com-like neighbours, nor other sites.
        assert!(history_for(&db, "gi357.com", Some("gi357.com")).await.unwrap().is_empty());
        assert!(history_for(&db, "example.org", Some("example.org")).await.unwrap().is_empty());
    }

    #[tokio::test]
    async fn a_listed_page_on_a_shared_host_gives_the_host_no_history_and_no_sitemap_entry() {
        let (_dir, db) = demo_db().await.expect("test database");
        for (url, host, target) in [
            ("https://sites.google.com/view/kgi-vip", "sites.google.com", "sites.google.com/view/kgi-vip"),
            ("https://forms.gle/AbCdEf", "forms.gle", "forms.gle/AbCdEf"),
        ] {
            sqlx::query(
                "INSERT INTO takedown_entries
                     (url, host, scope, target, source, status, listed_on, first_seen, last_seen, status_changed_at)
                 VALUES ($1, $2, 'url', $3, 'manual', 'detected', '2026-12-01', '2026-12-01', '2026-12-01',
                         '2026-12-01T00:00:00Z')",
            )
            .bind(url)
            .bind(host)
            .bind(target)
            .execute(&db)
            .await
            .unwrap();
        }
        assert!(history_for(&db, "sites.google.com", Some("google.com")).await.unwrap().is_empty());
        assert!(history_for(&db, "google.com", Some("google.com")).await.unwrap().is_empty());
        assert!(history_for(&db, "forms.gle", Some("forms.gle")).await.unwrap().is_empty());
        let hosts = listed_hosts(&db, 100).await.unwrap();
        assert!(!hosts.iter().any(|h| h.contains("google") || h == "forms.gle"), "{hosts:?}");
        assert_eq!(hosts.len(), 9, "the demo's whole-host listings stay");
    }

    #[tokio::test]
    async fn a_domain_pages_look_ups_are_indexed_whatever_the_size_of_the_data() {
        let (_dir, db) = demo_db().await.expect("test database");
        let plans = [
            "SELECT ev.status FROM takedown_events ev JOIN takedown_entries e ON e.id = ev.entry_id
             WHERE e.scope IN ('host', 'registrable_domain', 'ip') AND (e.host = 'a' OR e.site = 'b')",
            "SELECT bulletin_id FROM bulletin_hosts WHERE host = 'a' OR site = 'b'",
        ];
        let mut conn = db.acquire().await.unwrap();
        for query in plans {
            let steps: Vec<String> = match crate::Backend::of(&db) {
                crate::Backend::Sqlite => {
                    let rows: Vec<(i64, i64, i64, String)> =
                        sqlx::query_as(&format!("EXPLAIN QUERY PLAN {query}"))
                            .fetch_all(&mut *conn)
                            .await
                            .unwrap();
                    rows.into_iter().map(|r| r.3).filter(|s| s.starts_with("SCAN")).collect()
                }
                crate::Backend::Postgres => {
                    // Tiny tables are cheaper to scan; with scans priced out, only a missing
                    // index leaves one in the plan.
                    sqlx::query("SET enable_seqscan = off").execute(&mut *conn).await.unwrap();
                    let rows: Vec<(String,)> =
                        sqlx::query_as(&format!("EXPLAIN {query}")).fetch_all(&mut *conn).await.unwrap();
                    rows.into_iter().map(|r| r.0).filter(|s| s.contains("Seq Scan")).collect()
                }
            };
            assert!(steps.is_empty(), "{query}: {steps:?}");
        }
    }

    #[tokio::test]
    async fn a_listed_ip_address_has_its_own_history() {
        let (_dir, db) = demo_db().await.expect("test database");
        let history = history_for(&db, "89.106.207.153", None).await.unwrap();
        assert_eq!(steps(&history)[0], ("89.106.207.153", TakedownStatus::Detected));
    }

    #[tokio::test]
    async fn every_status_change_is_recorded_with_its_note_and_bumps_the_data_version() {
        let (_dir, db) = demo_db().await.expect("test database");
        let (id, version): (i64, i64) = sqlx::query_as(
            "SELECT id, (SELECT version FROM data_version) FROM takedown_entries WHERE host = 'kkpp.kgi69.com'",
        )
        .fetch_one(&db)
        .await
        .unwrap();
        assert!(change_status(&db, id, TakedownStatus::TakenDown, Some("RSA confirmed")).await.unwrap());
        assert!(
            !change_status(&db, id, TakedownStatus::TakenDown, None).await.unwrap(),
            "no change, no event"
        );
        // A writer that updates the row directly still leaves a trace.
        sqlx::query("UPDATE takedown_entries SET status = 'reactivated', status_changed_at = '2099-12-01T17:00:00Z' WHERE id = $1")
            .bind(id)
            .execute(&db)
            .await
            .unwrap();

        let history = history_for(&db, "kkpp.kgi69.com", None).await.unwrap();
        let statuses: Vec<_> = history.iter().map(|e| e.status).collect();
        assert_eq!(
            statuses,
            [
                TakedownStatus::Detected,
                TakedownStatus::TakedownRequested,
                TakedownStatus::TakenDown,
                TakedownStatus::Reactivated
            ]
        );
        assert_eq!(history[3].happened_on, "2099-12-02", "dates are Taiwan dates");
        let (note,): (Option<String>,) =
            sqlx::query_as("SELECT note FROM takedown_events WHERE entry_id = $1 AND status = 'taken_down'")
                .bind(id)
                .fetch_one(&db)
                .await
                .unwrap();
        assert_eq!(note.as_deref(), Some("RSA confirmed"));
        let (after,): (i64,) =
            sqlx::query_as("SELECT version FROM data_version").fetch_one(&db).await.unwrap();
        assert_eq!(after, version + 1);
    }

    #[tokio::test]
    async fn entries_listed_before_the_history_existed_are_backfilled() {
        // The history of SQLite's migrations; PostgreSQL's started with the history in place.
        let dir = tempfile::tempdir().unwrap();
        let url = format!("sqlite:{}?mode=rwc", dir.path().join("old.db").display());
        sqlx::any::install_default_drivers();
        let db = sqlx::AnyPool::connect(&url).await.unwrap();
        let migrator = sqlx::migrate!("../migrations/sqlite");
        let (before, after): (Vec<_>, Vec<_>) = migrator.iter().partition(|m| m.version < 20261128000001);
        for m in before {
            sqlx::raw_sql(&m.sql).execute(&db).await.unwrap();
        }
        sqlx::query(
            "INSERT INTO takedown_entries (url, host, source, status, listed_on, status_changed_at, target)
             VALUES ('https://old.kgi999.com/', 'old.kgi999.com', 'analyst', 'taken_down', '2026-10-01',
                     '2026-10-03T18:30:00Z', 'old.kgi999.com')",
        )
        .execute(&db)
        .await
        .unwrap();
        for m in after {
            sqlx::raw_sql(&m.sql).execute(&db).await.unwrap();
        }
        assert_eq!(index_missing_sites(&db).await.unwrap(), 1, "the old entry gets its site");

        let history = history_for(&db, "old.kgi999.com", Some("kgi999.com")).await.unwrap();
        let steps: Vec<_> = history.iter().map(|e| (e.status, e.happened_on.as_str())).collect();
        assert_eq!(
            steps,
            [(TakedownStatus::Detected, "2026-10-01"), (TakedownStatus::TakenDown, "2026-10-04")]
        );
    }
}

/// One step of an entry's history as staff see it: who made it and why.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Step {
    pub status: String,
    /// Taiwan date, `YYYY-MM-DD`.
    pub happened_on: String,
    /// The staff login ('' for imports and the system).
    pub actor: String,
    pub note: String,
}

/// A takedown entry as the staff consoles show it: the vendor's references and every step.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct EntryDetail {
    pub id: i64,
    pub scope: String,
    pub target: String,
    pub url: String,
    pub host: String,
    pub source: String,
    pub vendor: String,
    pub alert_id: Option<String>,
    pub case_id: Option<String>,
    pub hosting_ip: Option<String>,
    pub brand: String,
    pub first_seen: String,
    pub last_seen: String,
    pub report_count: i64,
    pub notes: String,
    pub status: String,
    pub listed_on: String,
    pub status_changed_at: String,
    /// Out of the active set (removed by an import or a rollback).
    pub removed: bool,
    /// Every status step of this entry, oldest first, with who made it and why.
    pub events: Vec<Step>,
}

/// One entry with its vendor references and status steps.
pub async fn detail(db: &crate::Db, id: i64) -> Result<Option<EntryDetail>, StoreError> {
    use sqlx::Row as _;
    let row = sqlx::query(
        "SELECT id, scope, target, url, host, source, vendor, alert_id, case_id, hosting_ip, brand, first_seen,
                last_seen, report_count, notes, status, listed_on, status_changed_at, removed_in
         FROM takedown_entries WHERE id = $1",
    )
    .bind(id)
    .fetch_optional(db)
    .await?;
    let Some(r) = row else {
        return Ok(None);
    };
    let events: Vec<(String, String, String, Option<String>)> = sqlx::query_as(
        "SELECT status, happened_on, actor, note FROM takedown_events WHERE entry_id = $1 ORDER BY id",
    )
    .bind(id)
    .fetch_all(db)
    .await?;
    let events: Vec<Step> = events
        .into_iter()
        .map(|(status, happened_on, actor, note)| Step {
            status,
            happened_on,
            actor,
            note: note.unwrap_or_default(),
        })
        .collect();
    Ok(Some(EntryDetail {
        id: r.try_get(0)?,
        scope: r.try_get(1)?,
        target: r.try_get(2)?,
        url: r.try_get(3)?,
        host: r.try_get(4)?,
        source: r.try_get(5)?,
        vendor: r.try_get(6)?,
        alert_id: r.try_get(7)?,
        case_id: r.try_get(8)?,
        hosting_ip: r.try_get(9)?,
        brand: r.try_get(10)?,
        first_seen: r.try_get(11)?,
        last_seen: r.try_get(12)?,
        report_count: r.try_get(13)?,
        notes: r.try_get(14)?,
        status: r.try_get(15)?,
        listed_on: r.try_get(16)?,
        status_changed_at: r.try_get(17)?,
        removed: r.try_get::<Option<i64>, _>(18)?.is_some(),
        events,
    }))
}
