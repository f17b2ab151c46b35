//! Throw-away databases for tests, on the backend `TEST_DATABASE_URL` names: unset (or a
//! `sqlite:` URL), a new SQLite file in a temporary folder; a `postgres://` URL to a server
//! that may create databases, a new database on it for every call. One test suite thus runs
//! on both backends (`scripts/test` runs it twice).

use std::path::Path;
use std::sync::atomic::{AtomicU64, Ordering};

use sqlx::Connection;

use crate::db::Backend;
use crate::Db;

/// The environment variable that chooses the backend of the tests.
pub const TEST_DATABASE_URL: &str = "TEST_DATABASE_URL";

/// Why a throw-away database could not be made: a broken test set-up.
#[derive(Debug, thiserror::Error)]
#[error("cannot make a test database: {0}")]
pub struct TestDbError(String);

/// The backend the tests run on.
pub fn backend() -> Backend {
    std::env::var(TEST_DATABASE_URL).ok().and_then(|url| Backend::of_url(&url)).unwrap_or(Backend::Sqlite)
}

/// The URL of a new, empty database: a file in `dir` on SQLite, a new database on the
/// PostgreSQL server of `TEST_DATABASE_URL`.
pub async fn fresh_url(dir: &Path) -> Result<String, TestDbError> {
    match std::env::var(TEST_DATABASE_URL) {
        Ok(server) if Backend::of_url(&server) == Some(Backend::Postgres) => {
            new_postgres_database(&server).await
        }
        _ => Ok(format!("sqlite:{}", dir.join("test.db").display())),
    }
}

/// A new, migrated, empty database (kept alive by the `TempDir` on SQLite).
pub async fn fresh_db() -> Result<(tempfile::TempDir, Db), TestDbError> {
    let dir = tempfile::tempdir().map_err(|e| TestDbError(format!("temp dir: {e}")))?;
    let url = fresh_url(dir.path()).await?;
    let db = crate::open(&url).await.map_err(|e| TestDbError(e.to_string()))?;
    Ok((dir, db))
}

/// A new database loaded with the demo data, as a site has once the demo is asked for.
pub async fn demo_db() -> Result<(tempfile::TempDir, Db), TestDbError> {
    let (dir, db) = fresh_db().await?;
    crate::demo::load(&db, crate::demo::Overwrite::DemoOnly)
        .await
        .map_err(|e| TestDbError(format!("demo data: {e}")))?;
    Ok((dir, db))
}

async fn new_postgres_database(server: &str) -> Result<String, TestDbError> {
    static COUNTER: AtomicU64 = AtomicU64::new(0);
    let nanos =
        std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map_or(0, |d| d.subsec_nanos());
    let name = format!("t_{}_{}_{nanos}", std::process::id(), COUNTER.fetch_add(1, Ordering::Relaxed));
    let failed = |what: &str, e: &dyn std::fmt::Display| {
        TestDbError(format!("{what} on {}: {e}", crate::db::redacted(server)))
    };
    let mut admin = sqlx::PgConnection::connect(server).await.map_err(|e| failed("connect", &e))?;
    sqlx::query(&format!("CREATE DATABASE \"{name}\""))
        .execute(&mut admin)
        .await
        .map_err(|e| failed("create database", &e))?;
    let _ = admin.close().await;
    let mut url = url::Url::parse(server).map_err(|e| failed("parse", &e))?;
    url.set_path(&name);
    Ok(url.to_string())
}
