//! The live index: the last good snapshot of the data a check needs, held in memory
//! and swapped whole, so public checks keep answering when the database does not.
//!
//! Besides the check data, a snapshot carries what the home page shows under the answer
//! (the firm's names and the official list), and the live index keeps
//! the most-checked list, refreshed in the background: an answer never waits on the
//! database. It also remembers when this instance last confirmed its data was current, so
//! every answer can say how fresh it is and warn once that is longer ago than it should be.

use std::sync::{Arc, Mutex, MutexGuard};
use std::time::Duration;

use arc_swap::{ArcSwap, ArcSwapOption};
use engine::{Index, IndexData, Switches};
use time::OffsetDateTime;

use crate::official::{self, OfficialKind};
use crate::tally::CheckedHost;
use crate::{takedown, Db, StoreError};

/// How long an instance may go without confirming its data is current before every answer
/// says how old the data is, unless configured otherwise (`DATA_STALE_AFTER_SECS`).
pub const DEFAULT_STALE_AFTER: Duration = Duration::from_secs(5 * 60);

/// The firm the site speaks for, as its data names it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Firm {
    /// `凱基證券`
    pub name_zh: String,
    /// `KGI Securities`
    pub name_en: String,
}

/// One consistent view of the check data, with the version and time it was written.
#[derive(Debug)]
pub struct Snapshot {
    pub index: Index,
    /// Which detectors run.
    pub switches: Switches,
    /// The `data_version` counter when this snapshot was read.
    pub version: i64,
    /// When the data was last changed, RFC 3339 UTC.
    pub updated_at: String,
    /// The firm's names, for every page that names it.
    pub firm: Firm,
    /// The official list with its labels, for the public pages that show it.
    pub official: Vec<official::OfficialEntry>,
    /// The takedown data version the index holds (none before versions were kept).
    pub takedown_version: Option<i64>,
    /// Set when this instance started on an earlier, good takedown version because the
    /// current one did not validate.
    pub fallback: Option<Fallback>,
}

/// Why an instance serves an earlier takedown version than the current one.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Fallback {
    /// The current version, which did not validate.
    pub refused: i64,
    /// What was wrong with it ([`StoreError::summary`]).
    pub reason: String,
}

/// What a successful refresh did.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Refreshed {
    /// The stored data version is the one in memory.
    Unchanged,
    /// A new snapshot was read and swapped in.
    Reloaded { version: i64 },
}

/// A refresh that failed; the last good snapshot stays in place.
#[derive(Debug, thiserror::Error)]
#[error("{error}")]
pub struct RefreshFailed {
    pub error: StoreError,
    /// Whether this failure is news (the first, or for another reason than the last one):
    /// the caller logs it once, not at every try.
    pub news: bool,
}

/// How fresh the data in memory is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Freshness {
    /// When this instance last confirmed its data was the stored data (UTC).
    pub confirmed_at: OffsetDateTime,
    /// Whether that is longer ago than the instance's limit: answers then say how old it is.
    pub stale: bool,
}

#[derive(Debug, Default)]
struct Health {
    confirmed_at: Option<OffsetDateTime>,
    failing: Option<String>,
}

/// Holds the current snapshot; readers never wait for a reload.
#[derive(Debug)]
pub struct LiveIndex {
    current: ArcSwapOption<Snapshot>,
    most_checked: ArcSwap<Vec<CheckedHost>>,
    health: Mutex<Health>,
    stale_after: Duration,
    /// Held while a refresh looks for and reads new data: the poll and PostgreSQL's notice
    /// both noticing one change must not read a million entries twice.
    refreshing: tokio::sync::Mutex<()>,
}

impl Default for LiveIndex {
    fn default() -> Self {
        Self::new(DEFAULT_STALE_AFTER)
    }
}

impl LiveIndex {
    /// An empty live index whose data counts as stale once not confirmed for `stale_after`.
    pub fn new(stale_after: Duration) -> Self {
        Self {
            current: ArcSwapOption::empty(),
            most_checked: ArcSwap::from_pointee(Vec::new()),
            health: Mutex::new(Health::default()),
            stale_after,
            refreshing: tokio::sync::Mutex::new(()),
        }
    }

    /// The snapshot checks should use now, if one has ever loaded.
    pub fn current(&self) -> Option<Arc<Snapshot>> {
        self.current.load_full()
    }

    /// How fresh the current data is; `None` before any data has loaded.
    pub fn freshness(&self) -> Option<Freshness> {
        let confirmed_at = self.health().confirmed_at?;
        let age = OffsetDateTime::now_utc() - confirmed_at;
        Some(Freshness { confirmed_at, stale: age > self.stale_after })
    }

    /// Why the last refresh failed, while refreshes keep failing ([`StoreError::summary`]:
    /// never the database's own text).
    pub fn failing(&self) -> Option<String> {
        self.health().failing.clone()
    }

    /// Reads the data afresh and swaps it in. On any error the previous snapshot
    /// stays in place: a bad or unreadable data set never replaces good data. An instance
    /// that has no snapshot yet (it is starting) and finds the current takedown version
    /// invalid starts on the newest earlier version that once validated, and says so
    /// ([`Snapshot::fallback`]).
    pub async fn reload(&self, db: &Db) -> Result<Arc<Snapshot>, RefreshFailed> {
        // A big index, or one that replaces a big one, is rebuilt beside the checks, which come
        // first; a small one, or the first, is read at once.
        let beside = match self.current() {
            None => false,
            Some(now) if now.index.takedown_len() > BIG_INDEX => true,
            Some(_) => crate::versions::current(db)
                .await
                .ok()
                .flatten()
                .is_some_and(|v| usize::try_from(v.entries).unwrap_or(usize::MAX) > BIG_INDEX),
        };
        let read = match read_snapshot(db, None, beside).await {
            Err(error) if !error.is_database() && self.current().is_none() => {
                match fall_back(db, &error).await {
                    Some(snapshot) => Ok(snapshot),
                    None => Err(error),
                }
            }
            read => read,
        };
        match read {
            Ok(snapshot) => {
                if let (Some(version), None) = (snapshot.takedown_version, &snapshot.fallback) {
                    if let Err(e) = crate::versions::mark_verified(db, version).await {
                        tracing::warn!(error = %e, version, "could not record that the takedown data validated");
                    }
                }
                let snapshot = Arc::new(snapshot);
                let old = self.current.swap(Some(snapshot.clone()));
                // Freeing a big index takes a while: not on a worker that answers checks, and
                // on a thread that gives way to them.
                if let Some(old) = old.filter(|old| old.index.takedown_len() > BIG_INDEX) {
                    free_in_background(old);
                }
                self.confirmed();
                Ok(snapshot)
            }
            Err(error) => Err(self.failed(error)),
        }
    }

    /// Reloads only when the stored data version differs from the one in memory.
    pub async fn refresh_if_changed(&self, db: &Db) -> Result<Refreshed, RefreshFailed> {
        let _one_at_a_time = self.refreshing.lock().await;
        let stored: Result<(i64,), _> =
            sqlx::query_as("SELECT version FROM data_version WHERE id = 1").fetch_one(db).await;
        let (stored,) = stored.map_err(|e| self.failed(e.into()))?;
        if self.current().is_some_and(|s| s.version == stored) {
            self.confirmed();
            return Ok(Refreshed::Unchanged);
        }
        let snapshot = self.reload(db).await?;
        Ok(Refreshed::Reloaded { version: snapshot.version })
    }

    /// The hosts checked most this week that were judged fraud or suspicious, as last read.
    pub fn most_checked(&self) -> Arc<Vec<CheckedHost>> {
        self.most_checked.load_full()
    }

    /// Reads the most-checked list afresh (in the background, after a tally flush). On an
    /// error the last list stays.
    pub async fn refresh_most_checked(&self, db: &Db, limit: u32) -> Result<(), StoreError> {
        let list = crate::tally::most_checked(db, crate::tally::week_start(), limit).await?;
        self.most_checked.store(Arc::new(list));
        Ok(())
    }

    fn confirmed(&self) {
        let mut health = self.health();
        health.confirmed_at = Some(OffsetDateTime::now_utc());
        health.failing = None;
    }

    fn failed(&self, error: StoreError) -> RefreshFailed {
        let reason = error.summary();
        let mut health = self.health();
        let news = health.failing.as_deref() != Some(reason.as_str());
        health.failing = Some(reason);
        RefreshFailed { error, news }
    }

    /// The health record, even if a thread panicked while holding it.
    fn health(&self) -> MutexGuard<'_, Health> {
        self.health.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
    }
}

/// From this many takedown entries on, an index is rebuilt and a replaced one freed on a
/// thread that yields to the checks.
const BIG_INDEX: usize = 10_000;

/// How long a replaced index waits for the checks still using it before it is let go anyway.
const FREE_WAIT: Duration = Duration::from_secs(30);

/// Frees `old` on a thread of its own that yields to the checks ([`crate::background`]), or on
/// a blocking thread of the runtime when no thread can be started.
fn free_in_background(old: Arc<Snapshot>) {
    // Through a slot, so that when no thread starts the snapshot is not dropped with the
    // closure that was to run on it, here on a worker.
    let slot = Arc::new(Mutex::new(Some(old)));
    let handed = slot.clone();
    let started = std::thread::Builder::new().name("index-freer".into()).spawn(move || {
        crate::background::yield_to_checks();
        let old = handed.lock().unwrap_or_else(|poisoned| poisoned.into_inner()).take();
        if let Some(old) = old {
            free_when_last(old, FREE_WAIT);
        }
    });
    if started.is_err() {
        let old = slot.lock().unwrap_or_else(|poisoned| poisoned.into_inner()).take();
        if let Some(old) = old {
            tokio::task::spawn_blocking(move || free_when_last(old, FREE_WAIT));
        }
    }
}

/// Frees `old` on this (blocking) thread once nothing else holds it. A check that began before
/// the swap holds its own reference; were this thread to let go first, that check's worker
/// would free a million entries in the middle of answering. Waits at most `wait`, then lets go
/// wherever the last reference is; answers whether it freed the snapshot itself.
fn free_when_last(mut old: Arc<Snapshot>, wait: Duration) -> bool {
    let until = std::time::Instant::now() + wait;
    loop {
        match Arc::try_unwrap(old) {
            Ok(snapshot) => {
                drop(snapshot);
                return true;
            }
            Err(shared) if std::time::Instant::now() < until => {
                old = shared;
                std::thread::sleep(Duration::from_millis(5));
            }
            Err(_) => return false,
        }
    }
}

/// How many earlier verified versions a starting instance tries before it gives up.
const FALLBACK_TRIES: i64 = 10;

/// The snapshot at the newest earlier takedown version that once validated and, rebuilt
/// now, still does (damage made behind the versions' back can reach a rebuilt version too),
/// when the current one failed with `error`; `None` when there is none.
async fn fall_back(db: &Db, error: &StoreError) -> Option<Snapshot> {
    let current = crate::versions::current(db).await.ok()??.version;
    for good in crate::versions::verified_before(db, current, FALLBACK_TRIES).await.ok()? {
        match read_snapshot(db, Some(good), false).await {
            Ok(mut snapshot) => {
                tracing::error!(
                    refused = current,
                    serving = good,
                    reason = %error.summary(),
                    "the current takedown data does not validate: serving the last good version"
                );
                snapshot.fallback = Some(Fallback { refused: current, reason: error.summary() });
                return Some(snapshot);
            }
            Err(e) => {
                tracing::warn!(version = good, error = %e.summary(), "an earlier takedown version does not validate either");
            }
        }
    }
    None
}

/// Reads everything a check needs, with the takedown entries as stored or, given `at`, as
/// they were at that takedown version, and builds the index, on a thread of its own with a
/// connection of its own. `beside_checks`: that thread yields to the checks
/// ([`crate::background`]), and so does the connection's SQLite worker thread, which inherits
/// it. A million entries keep a core busy for seconds; the checks this instance answers
/// meanwhile come first.
async fn read_snapshot(db: &Db, at: Option<i64>, beside_checks: bool) -> Result<Snapshot, StoreError> {
    if db.is_closed() {
        return Err(sqlx::Error::PoolClosed.into());
    }
    let options = db.connect_options();
    let (sender, receiver) = tokio::sync::oneshot::channel();
    let reader = move || {
        if beside_checks {
            let yielding = crate::background::yield_to_checks();
            tracing::debug!(?yielding, "index reader yields to the checks");
        }
        let read = match tokio::runtime::Builder::new_current_thread().enable_all().build() {
            Ok(runtime) => runtime.block_on(async move {
                use sqlx::{ConnectOptions as _, Connection as _};
                let mut conn = options.connect().await?;
                let read = read_snapshot_on(&mut conn, at).await;
                let _ = conn.close().await;
                read
            }),
            Err(e) => Err(StoreError::Refused(format!("cannot start the index reader: {e}"))),
        };
        let _ = sender.send(read);
    };
    std::thread::Builder::new()
        .name("index-reader".into())
        .spawn(reader)
        .map_err(|e| StoreError::Refused(format!("cannot start the index reader: {e}")))?;
    // A reader that panicked (a bug in the index build) drops its sender: the refresh fails
    // and the last good snapshot stays.
    receiver.await.map_err(|_| StoreError::Refused("the index reader stopped unexpectedly".into()))?
}

/// [`read_snapshot`]'s reading and building, on `conn`.
async fn read_snapshot_on(conn: &mut sqlx::AnyConnection, at: Option<i64>) -> Result<Snapshot, StoreError> {
    // One read transaction, so the index never mixes two versions of the data.
    let mut tx = crate::db::begin_read(conn).await?;
    let (version, updated_at): (i64, String) =
        sqlx::query_as("SELECT version, updated_at FROM data_version WHERE id = 1")
            .fetch_one(&mut *tx)
            .await?;
    let (firm, mut data) = index_data(&mut tx).await?;
    if let Some(version) = at {
        data.takedown = crate::versions::condemned_at(&mut tx, version).await?;
    }
    let takedown_version = match at {
        Some(version) => Some(version),
        None => crate::versions::current(&mut *tx).await?.map(|v| v.version),
    };
    let switches = crate::switches::read(&mut *tx).await?;
    let official = official::entries(&mut *tx).await?;
    tx.commit().await?;
    let index = Index::build(data)?;
    Ok(Snapshot { index, switches, version, updated_at, firm, official, takedown_version, fallback: None })
}

/// The firm and everything its index is built from, as `conn` sees them: read by each
/// snapshot, and by a change to the official list that must prove the index still builds
/// before it commits. [`StoreError::NoFirmData`] without a firm or an official domain.
pub(crate) async fn index_data(conn: &mut sqlx::AnyConnection) -> Result<(Firm, IndexData), StoreError> {
    let firm: Option<(String, String)> =
        sqlx::query_as("SELECT name_zh, name_en FROM firm WHERE id = 1").fetch_optional(&mut *conn).await?;
    let Some((name_zh, name_en)) = firm else {
        return Err(StoreError::NoFirmData);
    };
    let official_domains = official::values(&mut *conn, OfficialKind::Domain).await?;
    if official_domains.is_empty() {
        return Err(StoreError::NoFirmData);
    }
    let data = IndexData {
        official_domains,
        official_phones: official::values(&mut *conn, OfficialKind::Phone).await?,
        official_line_ids: official::values(&mut *conn, OfficialKind::LineId).await?,
        brand_keywords: official::brand_keywords(&mut *conn).await?,
        firm_names: vec![name_zh.clone(), name_en.clone()],
        takedown: takedown::all(&mut *conn).await?,
        cleared_lookalikes: crate::triage::cleared_lookalikes(&mut *conn).await?,
    };
    Ok((Firm { name_zh, name_en }, data))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::{demo_db, fresh_db};

    #[tokio::test]
    async fn an_empty_database_has_no_firm_data_and_gives_no_snapshot() {
        let (_dir, db) = fresh_db().await.expect("test database");
        let live = LiveIndex::default();

        let failed = live.reload(&db).await.unwrap_err();

        assert!(matches!(failed.error, StoreError::NoFirmData), "{failed}");
        assert!(live.current().is_none());
        assert!(live.freshness().is_none(), "nothing was ever confirmed");
    }

    #[tokio::test]
    async fn a_replaced_snapshot_still_in_use_is_freed_by_the_freeing_thread_not_its_last_user() {
        let (_dir, db) = demo_db().await.expect("test database");
        let live = LiveIndex::default();
        let old = live.reload(&db).await.unwrap();
        let in_use = old.clone();
        let gone = Arc::downgrade(&old);
        live.reload(&db).await.unwrap(); // the swap: `old` is no longer current

        let freer = std::thread::spawn(move || free_when_last(old, Duration::from_secs(10)));
        std::thread::sleep(Duration::from_millis(50));
        assert!(gone.upgrade().is_some(), "a check still holds it: the freeing thread waits");
        drop(in_use);
        assert!(freer.join().unwrap(), "the freeing thread let go last, so it freed it");
        assert!(gone.upgrade().is_none());

        // A holder that never lets go: after the wait the freeing thread gives up its share.
        let held = live.current().unwrap();
        let freer = std::thread::spawn({
            let held = held.clone();
            move || free_when_last(held, Duration::from_millis(20))
        });
        assert!(!freer.join().unwrap());
        assert_eq!(Arc::strong_count(&held), 2, "the holder's and the live index's");
    }

    #[tokio::test]
    async fn a_snapshot_carries_the_firm_and_its_official_list() {
        let (_dir, db) = demo_db().await.expect("test database");
        let live = LiveIndex::default();

        let snapshot = live.reload(&db).await.unwrap();

        assert_eq!(snapshot.firm, Firm { name_zh: "凱基證券".into(), name_en: "KGI Securities".into() });
        assert!(snapshot.official.iter().any(|e| e.kind == OfficialKind::Phone));
        assert!(!live.freshness().unwrap().stale);
    }

    #[tokio::test]
    async fn a_failing_refresh_keeps_the_data_is_news_once_and_the_data_grows_stale() {
        let (_dir, db) = demo_db().await.expect("test database");
        let live = LiveIndex::new(Duration::ZERO);
        live.reload(&db).await.unwrap();
        db.close().await;

        let first = live.refresh_if_changed(&db).await.unwrap_err();
        let second = live.refresh_if_changed(&db).await.unwrap_err();

        assert!(first.news && !second.news, "the same failure is news only once");
        assert!(live.current().is_some(), "the last good data stays");
        assert!(live.failing().is_some());
        std::thread::sleep(Duration::from_millis(5));
        assert!(live.freshness().unwrap().stale);
    }

    #[tokio::test]
    async fn a_restart_on_a_damaged_takedown_version_serves_the_last_good_one_and_says_so() {
        let (_dir, db) = demo_db().await.expect("test database");
        let import = |text: &'static str| {
            let db = db.clone();
            async move {
                let request =
                    crate::import::Request { text, format: None, origin: "t", vendor: "", replace: false };
                let plan =
                    crate::import::preview(&db, &request, &crate::import::Limits::default()).await.unwrap();
                crate::import::apply(&db, &plan, &crate::audit::Actor::cli(), false, &|_| {})
                    .await
                    .unwrap()
                    .unwrap()
            }
        };
        let running = LiveIndex::default();
        import("hxxps://fake[.]kgi1x[.]com/\n").await;
        assert_eq!(running.reload(&db).await.unwrap().takedown_version, Some(2), "version 2 validated");
        let bad = import("hxxps://new[.]kgi2x[.]com/\n").await;
        // Version 3 is damaged after it was written (a hand edit): its entry now names the firm.
        sqlx::query("UPDATE takedown_entries SET target = 'www.kgi.com.tw' WHERE target = 'new.kgi2x.com'")
            .execute(&db)
            .await
            .unwrap();
        sqlx::query("UPDATE data_version SET version = version + 1").execute(&db).await.unwrap();

        assert!(running.refresh_if_changed(&db).await.is_err(), "a running instance keeps its data");
        assert_eq!(running.current().unwrap().takedown_version, Some(2));

        let restarted = LiveIndex::default();
        let snapshot = restarted.reload(&db).await.expect("starts on the last good version");
        assert_eq!(snapshot.takedown_version, Some(2));
        let fallback = snapshot.fallback.clone().expect("says it fell back");
        assert_eq!(fallback.refused, bad.version);
        assert!(fallback.reason.contains("www.kgi.com.tw"), "{}", fallback.reason);
        assert_eq!(snapshot.index.takedown_len(), 10, "the demo's nine and version 2's one");
    }

    #[tokio::test]
    async fn two_refreshes_that_notice_one_change_at_once_read_it_once() {
        let (_dir, db) = demo_db().await.expect("test database");
        let live = LiveIndex::default();
        live.reload(&db).await.unwrap();
        sqlx::query("UPDATE data_version SET version = version + 1").execute(&db).await.unwrap();

        let (poll, notice) = tokio::join!(live.refresh_if_changed(&db), live.refresh_if_changed(&db));

        let mut outcomes = vec![poll.unwrap(), notice.unwrap()];
        outcomes.sort_by_key(|o| matches!(o, Refreshed::Unchanged));
        assert_eq!(outcomes, vec![Refreshed::Reloaded { version: 2 }, Refreshed::Unchanged]);
    }

    #[tokio::test]
    async fn a_refresh_after_a_failure_clears_it() {
        let (_dir, db) = demo_db().await.expect("test database");
        let live = LiveIndex::default();
        assert_eq!(live.refresh_if_changed(&db).await.unwrap(), Refreshed::Reloaded { version: 1 });
        sqlx::query("UPDATE official_entries SET value = 'com.tw' WHERE kind = 'domain'")
            .execute(&db)
            .await
            .unwrap();
        sqlx::query("UPDATE data_version SET version = version + 1").execute(&db).await.unwrap();

        let bad = live.refresh_if_changed(&db).await.unwrap_err();
        assert!(bad.to_string().contains("\"com.tw\" is a public suffix"), "{bad}");
        assert_eq!(live.current().unwrap().version, 1, "a bad row never replaces good data");

        sqlx::query("UPDATE official_entries SET value = 'kgi.com.tw' WHERE kind = 'domain'")
            .execute(&db)
            .await
            .unwrap();
        assert_eq!(live.refresh_if_changed(&db).await.unwrap(), Refreshed::Reloaded { version: 2 });
        assert!(live.failing().is_none(), "a good refresh clears the failure");
    }
}
