//! Work that must be done by one instance at a time: a transaction that holds a named lock
//! until it ends. On PostgreSQL that is a transaction-scoped advisory lock, so several
//! instances sharing the database take turns (and a crashed one lets go with its
//! connection); on SQLite, which serves one instance, it is the database's write lock.

use sqlx::{Any, Transaction};

use crate::db::Backend;
use crate::{Db, StoreError};

/// A transaction holding a named lock; the lock is released when it commits or rolls back.
pub type Locked = Transaction<'static, Any>;

/// Begins a transaction that holds the lock `name`, waiting for any instance holding it.
pub async fn lock(db: &Db, name: &str) -> Result<Locked, StoreError> {
    match Backend::of(db) {
        Backend::Postgres => {
            let mut tx = db.begin().await?;
            sqlx::query("SELECT pg_advisory_xact_lock($1)").bind(key(name)).execute(&mut *tx).await?;
            Ok(tx)
        }
        // The write lock, taken at once rather than at the first write.
        Backend::Sqlite => Ok(db.begin_with("BEGIN IMMEDIATE").await?),
    }
}

/// Takes the lock `name` as well, inside a transaction that already holds another one (take
/// them in one order everywhere: the firm-data lock before the audit lock).
pub async fn also(tx: &mut Locked, name: &str) -> Result<(), StoreError> {
    if tx.backend_name().eq_ignore_ascii_case("postgresql") {
        sqlx::query("SELECT pg_advisory_xact_lock($1)").bind(key(name)).execute(&mut **tx).await?;
    }
    Ok(())
}

/// Begins a transaction that holds the lock `name` if no other instance holds it now;
/// `None` when one does (and so is doing the work).
pub async fn try_lock(db: &Db, name: &str) -> Result<Option<Locked>, StoreError> {
    match Backend::of(db) {
        Backend::Postgres => {
            let mut tx = db.begin().await?;
            let (taken,): (bool,) = sqlx::query_as("SELECT pg_try_advisory_xact_lock($1)")
                .bind(key(name))
                .fetch_one(&mut *tx)
                .await?;
            if taken {
                Ok(Some(tx))
            } else {
                tx.rollback().await?;
                Ok(None)
            }
        }
        Backend::Sqlite => match db.begin_with("BEGIN IMMEDIATE").await {
            Ok(tx) => Ok(Some(tx)),
            Err(sqlx::Error::Database(e)) if e.message().contains("locked") => Ok(None),
            Err(e) => Err(e.into()),
        },
    }
}

/// Claims this run of the scheduled job `job`, due when it last started more than `every`
/// ago: true for exactly one of several instances asking at once (one UPDATE decides), false
/// for the others and whenever the job is not yet due.
pub async fn claim_run(db: &Db, job: &str, every: std::time::Duration) -> Result<bool, StoreError> {
    let now = time::OffsetDateTime::now_utc();
    let due = now - every;
    let format = |t: time::OffsetDateTime| {
        t.replace_nanosecond(0)
            .unwrap_or(t)
            .format(&time::format_description::well_known::Rfc3339)
            .unwrap_or_default()
    };
    sqlx::query("INSERT INTO scheduled_jobs (job, last_started) VALUES ($1, '1970-01-01T00:00:00Z') ON CONFLICT (job) DO NOTHING")
        .bind(job)
        .execute(db)
        .await?;
    let claimed =
        sqlx::query("UPDATE scheduled_jobs SET last_started = $1 WHERE job = $2 AND last_started <= $3")
            .bind(format(now))
            .bind(job)
            .bind(format(due))
            .execute(db)
            .await?
            .rows_affected();
    Ok(claimed == 1)
}

/// The advisory lock key of a name: FNV-1a, so every instance computes the same key.
fn key(name: &str) -> i64 {
    let hash = name.bytes().fold(0xcbf2_9ce4_8422_2325_u64, |hash, byte| {
        (hash ^ u64::from(byte)).wrapping_mul(0x0000_0100_0000_01b3)
    });
    i64::from_ne_bytes(hash.to_ne_bytes())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::fresh_db;

    #[test]
    fn every_instance_computes_the_same_key_for_a_name() {
        assert_eq!(key("scheduled-publishing"), key("scheduled-publishing"));
        assert_ne!(key("scheduled-publishing"), key("purge-pastes"));
        assert_eq!(key(""), i64::from_ne_bytes(0xcbf2_9ce4_8422_2325_u64.to_ne_bytes()));
    }

    #[tokio::test]
    async fn two_instances_opening_an_empty_database_at_once_both_migrate_it_once() {
        let dir = tempfile::tempdir().unwrap();
        let url = crate::testing::fresh_url(dir.path()).await.expect("test database");
        let (first, second) = tokio::join!(crate::open(&url), crate::open(&url));
        let (first, _second) = (first.unwrap(), second.unwrap());
        let (version,): (i64,) =
            sqlx::query_as("SELECT version FROM data_version").fetch_one(&first).await.unwrap();
        assert_eq!(version, 0);
    }

    #[tokio::test]
    async fn two_instances_asked_for_the_demo_at_once_load_it_once() {
        let (_dir, db) = fresh_db().await.expect("test database");
        let other = db.clone();
        let (first, second) =
            tokio::join!(crate::demo::load_if_empty(&db), crate::demo::load_if_empty(&other));
        let loads = [first.unwrap(), second.unwrap()].into_iter().flatten().count();
        assert_eq!(loads, 1, "one loads, the other finds it done");
        let (entries,): (i64,) =
            sqlx::query_as("SELECT count(*) FROM takedown_entries").fetch_one(&db).await.unwrap();
        assert_eq!(entries, 9);
    }

    #[tokio::test]
    async fn a_scheduled_run_is_claimed_by_one_instance_and_not_again_until_it_is_due() {
        let (_dir, db) = fresh_db().await.expect("test database");
        let other = db.clone();
        let hour = std::time::Duration::from_secs(3600);
        let (first, second) = tokio::join!(claim_run(&db, "pull", hour), claim_run(&other, "pull", hour));
        assert_eq!(
            [first.unwrap(), second.unwrap()].iter().filter(|c| **c).count(),
            1,
            "one instance runs it"
        );
        assert!(!claim_run(&db, "pull", hour).await.unwrap(), "not due again for an hour");
        assert!(
            claim_run(&db, "pull", std::time::Duration::ZERO).await.unwrap(),
            "due at once when every is zero"
        );
    }

    #[tokio::test]
    async fn a_lock_held_by_one_is_refused_to_another_until_it_is_released() {
        let (_dir, db) = fresh_db().await.expect("test database");
        let held = try_lock(&db, "job").await.unwrap();
        assert!(held.is_some(), "free at first");
        assert!(try_lock(&db, "job").await.unwrap().is_none(), "taken while held");
        held.unwrap().commit().await.unwrap();
        let again = try_lock(&db, "job").await.unwrap();
        assert!(again.is_some(), "free again once released");
    }
}
