//! Throw-away databases for tests, on the backend `TEST_DATABASE_URL` names: unset (or a
//! `sqlite:` URL), a new SQLite file in a temporary folder; a `postgres://` URL to a server
//! that may create databases, a new database on it for every call. One test suite thus runs
//! on both backends (`scripts/test` runs it twice).

// A test helper: a database that cannot be made is a broken test set-up, said at once.
#![allow(clippy::panic)]

use std::path::Path;
use std::sync::atomic::{AtomicU64, Ordering};

use sqlx::Connection;

use crate::db::Backend;
use crate::Db;

/// The environment variable that chooses the backend of the tests.
pub const TEST_DATABASE_URL: &str = "TEST_DATABASE_URL";

/// The backend the tests run on.
pub fn backend() -> Backend {
    std::env::var(TEST_DATABASE_URL).ok().and_then(|url| Backend::of_url(&url)).unwrap_or(Backend::Sqlite)
}

/// The URL of a new, empty database: a file in `dir` on SQLite, a new database on the
/// PostgreSQL server of `TEST_DATABASE_URL`.
pub async fn fresh_url(dir: &Path) -> String {
    match std::env::var(TEST_DATABASE_URL) {
        Ok(server) if Backend::of_url(&server) == Some(Backend::Postgres) => {
            new_postgres_database(&server).await
        }
        _ => format!("sqlite:{}", dir.join("test.db").display()),
    }
}

/// A new, migrated, empty database (kept alive by the `TempDir` on SQLite).
pub async fn fresh_db() -> (tempfile::TempDir, Db) {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("temp dir: {e}"));
    let url = fresh_url(dir.path()).await;
    let db = crate::open(&url).await.unwrap_or_else(|e| panic!("open {url}: {e}"));
    (dir, db)
}

/// A new database loaded with the demo data, as a site has once the demo is asked for.
pub async fn demo_db() -> (tempfile::TempDir, Db) {
    let (dir, db) = fresh_db().await;
    crate::demo::load(&db, crate::demo::Overwrite::DemoOnly)
        .await
        .unwrap_or_else(|e| panic!("demo data: {e}"));
    (dir, db)
}

async fn new_postgres_database(server: &str) -> String {
    static COUNTER: AtomicU64 = AtomicU64::new(0);
    let nanos =
        std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map_or(0, |d| d.subsec_nanos());
    let name = format!("t_{}_{}_{nanos}", std::process::id(), COUNTER.fetch_add(1, Ordering::Relaxed));
    let mut admin =
        sqlx::PgConnection::connect(server).await.unwrap_or_else(|e| panic!("connect {server}: {e}"));
    sqlx::query(&format!("CREATE DATABASE \"{name}\""))
        .execute(&mut admin)
        .await
        .unwrap_or_else(|e| panic!("create database {name}: {e}"));
    let _ = admin.close().await;
    let mut url = url::Url::parse(server).unwrap_or_else(|e| panic!("{server}: {e}"));
    url.set_path(&name);
    url.to_string()
}
