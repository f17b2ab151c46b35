//! Imports applied from the console, as jobs: how many entries are written so far out of all,
//! and how each ended (the data version it made, or why not). The database keeps them, so the
//! analyst's next request may land on any instance. Progress is written from a connection of
//! its own, never inside the import's transaction, at most once a second; on SQLite, which
//! lets one writer in at a time (the import) and serves one instance, the instance's memory
//! ([`Board`]) carries the live count instead and the database gets the start and the end.

use std::collections::HashMap;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use sqlx::Row as _;

use crate::audit::Actor;
use crate::{Backend, Db, StoreError};

/// Where a job stands.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum JobState {
    /// Being applied.
    Running,
    /// Applied: a new data version.
    Done,
    /// Nothing to change.
    Unchanged,
    /// Refused (a guard, the firm's own address, data that moved on): nothing written.
    Refused,
    /// Failed (the database): nothing written.
    Failed,
}

impl JobState {
    const ALL: [Self; 5] = [Self::Running, Self::Done, Self::Unchanged, Self::Refused, Self::Failed];

    /// The stable code stored in the database.
    pub fn code(self) -> &'static str {
        match self {
            Self::Running => "running",
            Self::Done => "done",
            Self::Unchanged => "unchanged",
            Self::Refused => "refused",
            Self::Failed => "failed",
        }
    }

    /// Reads a stored code.
    pub fn parse(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|s| s.code() == code)
    }
}

/// How a job ended.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Outcome {
    Done {
        version: i64,
    },
    Unchanged,
    /// With the reason (kept as given, at most 2,000 characters).
    Refused(String),
    Failed(String),
}

/// One job as stored.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Job {
    pub id: i64,
    /// The staff login that applied it.
    pub actor: String,
    pub origin: String,
    pub format: String,
    pub state: JobState,
    /// Entries written so far, out of `total`.
    pub done: i64,
    pub total: i64,
    /// The data version it made.
    pub version: Option<i64>,
    pub reason: String,
    /// RFC 3339 UTC.
    pub started_at: String,
    pub updated_at: String,
    pub finished_at: Option<String>,
}

const JOB_COLUMNS: &str = "id, actor, origin, format, state, done_entries, total_entries, version, reason, \
     started_at, updated_at, finished_at";

fn job_of(r: &sqlx::any::AnyRow) -> Result<Job, StoreError> {
    let id: i64 = r.try_get(0)?;
    let state: String = r.try_get(4)?;
    let state = JobState::parse(&state)
        .ok_or_else(|| StoreError::invalid_row("import_jobs", id, format!("unknown state {state:?}")))?;
    Ok(Job {
        id,
        actor: r.try_get(1)?,
        origin: r.try_get(2)?,
        format: r.try_get(3)?,
        state,
        done: r.try_get(5)?,
        total: r.try_get(6)?,
        version: r.try_get(7)?,
        reason: r.try_get(8)?,
        started_at: r.try_get(9)?,
        updated_at: r.try_get(10)?,
        finished_at: r.try_get(11)?,
    })
}

fn count(n: usize) -> i64 {
    i64::try_from(n).unwrap_or(i64::MAX)
}

/// Records a job that is about to apply `total` entries; returns its id.
pub async fn start(
    db: &Db,
    actor: &Actor<'_>,
    origin: &str,
    format: &str,
    total: usize,
) -> Result<i64, StoreError> {
    let now = crate::now_rfc3339();
    let (id,): (i64,) = sqlx::query_as(
        "INSERT INTO import_jobs (actor_id, actor, origin, format, state, total_entries, started_at, updated_at)
         VALUES ($1, $2, $3, $4, 'running', $5, $6, $6) RETURNING id",
    )
    .bind(actor.id)
    .bind(actor.login)
    .bind(origin.chars().take(500).collect::<String>())
    .bind(format.chars().take(20).collect::<String>())
    .bind(count(total))
    .bind(now)
    .fetch_one(db)
    .await?;
    Ok(id)
}

/// Records how far a running job has got (a finished job is left as it ended).
pub async fn record_progress(db: &Db, id: i64, done: usize, total: usize) -> Result<(), StoreError> {
    sqlx::query(
        "UPDATE import_jobs SET done_entries = $1, total_entries = $2, updated_at = $3
         WHERE id = $4 AND state = 'running'",
    )
    .bind(count(done))
    .bind(count(total))
    .bind(crate::now_rfc3339())
    .bind(id)
    .execute(db)
    .await?;
    Ok(())
}

/// Records how a job ended (once: a finished job is not finished again).
pub async fn finish(db: &Db, id: i64, outcome: &Outcome) -> Result<(), StoreError> {
    let (state, version, reason) = match outcome {
        Outcome::Done { version } => (JobState::Done, Some(*version), ""),
        Outcome::Unchanged => (JobState::Unchanged, None, ""),
        Outcome::Refused(why) => (JobState::Refused, None, why.as_str()),
        Outcome::Failed(why) => (JobState::Failed, None, why.as_str()),
    };
    let now = crate::now_rfc3339();
    // A job that wrote its entries shows all of them written.
    sqlx::query(
        "UPDATE import_jobs SET state = $1, version = $2, reason = $3, updated_at = $4, finished_at = $4,
                done_entries = CASE WHEN $1 = 'done' THEN total_entries ELSE done_entries END
         WHERE id = $5 AND state = 'running'",
    )
    .bind(state.code())
    .bind(version)
    .bind(reason.chars().take(2000).collect::<String>())
    .bind(now)
    .bind(id)
    .execute(db)
    .await?;
    Ok(())
}

/// One job.
pub async fn get(db: &Db, id: i64) -> Result<Option<Job>, StoreError> {
    let row = sqlx::query(&format!("SELECT {JOB_COLUMNS} FROM import_jobs WHERE id = $1"))
        .bind(id)
        .fetch_optional(db)
        .await?;
    row.as_ref().map(job_of).transpose()
}

/// The newest jobs, newest first.
pub async fn recent(db: &Db, limit: i64) -> Result<Vec<Job>, StoreError> {
    let rows = sqlx::query(&format!("SELECT {JOB_COLUMNS} FROM import_jobs ORDER BY id DESC LIMIT $1"))
        .bind(limit)
        .fetch_all(db)
        .await?;
    rows.iter().map(job_of).collect()
}

/// How far one running job has got, as its progress callback last said.
#[derive(Debug, Default)]
pub struct Tracker {
    done: AtomicUsize,
    total: AtomicUsize,
}

impl Tracker {
    /// Called from the import's progress callback: cheap, never waits.
    pub fn set(&self, done: usize, total: usize) {
        self.total.store(total, Ordering::Relaxed);
        self.done.store(done, Ordering::Relaxed);
    }

    /// Entries written so far, and all.
    pub fn get(&self) -> (usize, usize) {
        (self.done.load(Ordering::Relaxed), self.total.load(Ordering::Relaxed))
    }
}

/// The jobs this instance is applying now, with their live progress.
#[derive(Debug, Default)]
pub struct Board {
    running: Mutex<HashMap<i64, Arc<Tracker>>>,
}

impl Board {
    /// Puts job `id` on the board.
    pub fn track(&self, id: i64, total: usize) -> Arc<Tracker> {
        let tracker = Arc::new(Tracker::default());
        tracker.set(0, total);
        if let Ok(mut running) = self.running.lock() {
            running.insert(id, Arc::clone(&tracker));
        }
        tracker
    }

    /// Takes job `id` off the board (once its end is recorded).
    pub fn forget(&self, id: i64) {
        if let Ok(mut running) = self.running.lock() {
            running.remove(&id);
        }
    }

    /// Job `id`'s live progress, if this instance is applying it.
    pub fn progress(&self, id: i64) -> Option<(usize, usize)> {
        self.running.lock().ok()?.get(&id).map(|t| t.get())
    }
}

/// How often a running job's progress is written.
pub const REPORT_EVERY: Duration = Duration::from_secs(1);

/// Writes `tracker`'s progress to job `id` every [`REPORT_EVERY`] until cancelled (the
/// caller aborts it when the apply returns). On SQLite it writes nothing: the import holds
/// the only write lock, so a write would wait for the import to end.
pub async fn report(db: Db, id: i64, tracker: Arc<Tracker>) {
    if Backend::of(&db) == Backend::Sqlite {
        return;
    }
    let mut ticks = tokio::time::interval(REPORT_EVERY);
    ticks.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    ticks.tick().await;
    loop {
        ticks.tick().await;
        let (done, total) = tracker.get();
        if let Err(e) = record_progress(&db, id, done, total).await {
            tracing::warn!(error = %e, job = id, "writing an import's progress failed");
        }
    }
}

/// How long a running job may go without news before it counts as stopped (its instance
/// went away mid-apply: the transaction was rolled back, nothing of it was written).
pub const STALLED_AFTER: Duration = Duration::from_secs(60);

/// Whether a job said to be running has stopped: no instance wrote about it for
/// [`STALLED_AFTER`], and this instance is not applying it.
pub fn is_stalled(job: &Job, on_this_instance: bool, now: time::OffsetDateTime) -> bool {
    if job.state != JobState::Running || on_this_instance {
        return false;
    }
    let format = time::format_description::well_known::Rfc3339;
    time::OffsetDateTime::parse(&job.updated_at, &format)
        .map_or(true, |updated| now - updated > time::Duration::try_from(STALLED_AFTER).unwrap_or_default())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::fresh_db;

    #[tokio::test]
    async fn a_jobs_progress_and_end_are_read_back_and_an_ended_job_stays_ended() {
        let (_dir, db) = fresh_db().await.expect("test database");
        let id = start(&db, &Actor::cli(), "gamble.csv", "165", 1000).await.unwrap();
        let job = get(&db, id).await.unwrap().unwrap();
        assert_eq!((job.state, job.done, job.total, job.actor.as_str()), (JobState::Running, 0, 1000, "cli"));
        record_progress(&db, id, 400, 1000).await.unwrap();
        assert_eq!(get(&db, id).await.unwrap().unwrap().done, 400);
        finish(&db, id, &Outcome::Done { version: 7 }).await.unwrap();
        let done = get(&db, id).await.unwrap().unwrap();
        assert_eq!((done.state, done.version, done.done), (JobState::Done, Some(7), 1000));
        assert!(done.finished_at.is_some());
        record_progress(&db, id, 10, 1000).await.unwrap();
        finish(&db, id, &Outcome::Failed("late".into())).await.unwrap();
        assert_eq!(get(&db, id).await.unwrap().unwrap(), done, "nothing overwrites an ended job");

        let refused = start(&db, &Actor::cli(), "paste", "list", 5).await.unwrap();
        finish(&db, refused, &Outcome::Refused("doubles the data".into())).await.unwrap();
        let jobs = recent(&db, 10).await.unwrap();
        assert_eq!(
            jobs.iter().map(|j| (j.id, j.state)).collect::<Vec<_>>(),
            [(refused, JobState::Refused), (id, JobState::Done)]
        );
        assert_eq!(jobs[0].reason, "doubles the data");
    }

    #[tokio::test]
    async fn a_running_jobs_count_reaches_the_database_within_a_second_while_the_import_holds_its_lock() {
        let (_dir, db) = fresh_db().await.expect("test database");
        let id = start(&db, &Actor::cli(), "big.txt", "list", 1000).await.unwrap();
        let postgres = Backend::of(&db) == Backend::Postgres;
        // The import's transaction, holding the firm-data lock (on SQLite the write lock, which
        // would make the report wait; there the instance's memory carries the count).
        let import = if postgres {
            Some(crate::lock::lock(&db, crate::demo::FIRM_DATA_LOCK).await.unwrap())
        } else {
            None
        };
        let tracker = Arc::new(Tracker::default());
        tracker.set(250, 1000);
        let reporter = tokio::spawn(report(db.clone(), id, Arc::clone(&tracker)));
        tokio::time::sleep(REPORT_EVERY + Duration::from_millis(500)).await;
        let done = get(&db, id).await.unwrap().unwrap().done;
        reporter.abort();
        drop(import);
        assert_eq!(done, if postgres { 250 } else { 0 });
    }

    #[test]
    fn the_board_carries_live_progress_until_the_job_is_forgotten() {
        let board = Board::default();
        let tracker = board.track(3, 100);
        assert_eq!(board.progress(3), Some((0, 100)));
        tracker.set(40, 100);
        assert_eq!(board.progress(3), Some((40, 100)));
        board.forget(3);
        assert_eq!(board.progress(3), None);
    }

    #[test]
    fn a_running_job_without_news_for_a_minute_elsewhere_has_stopped() {
        let now = time::OffsetDateTime::now_utc();
        let at = |ago: i64| {
            (now - time::Duration::seconds(ago))
                .format(&time::format_description::well_known::Rfc3339)
                .unwrap()
        };
        let job = |state, ago| Job {
            id: 1,
            actor: "mei".into(),
            origin: "paste".into(),
            format: "list".into(),
            state,
            done: 0,
            total: 10,
            version: None,
            reason: String::new(),
            started_at: at(ago),
            updated_at: at(ago),
            finished_at: None,
        };
        assert!(!is_stalled(&job(JobState::Running, 5), false, now), "news a moment ago");
        assert!(is_stalled(&job(JobState::Running, 120), false, now));
        assert!(!is_stalled(&job(JobState::Running, 120), true, now), "this instance is applying it");
        assert!(!is_stalled(&job(JobState::Done, 120), false, now), "an ended job has not stopped");
    }
}
