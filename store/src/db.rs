//! Opening the database: parses `DATABASE_URL`, checks the path can be used, and
//! runs the migrations, failing with one clear sentence that names the path.

use std::path::{Path, PathBuf};
use std::str::FromStr;
use std::time::Duration;

use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqlitePoolOptions, SqliteSynchronous};
use sqlx::SqlitePool;

/// The connection pool; cheap to clone.
pub type Db = SqlitePool;

/// Why the database could not be opened at start-up.
#[derive(Debug, thiserror::Error)]
pub enum OpenError {
    #[error("DATABASE_URL {url:?} is not a SQLite URL (expected sqlite:PATH or sqlite://PATH)")]
    NotSqlite { url: String },
    #[error("cannot open database {path}: the folder {folder} does not exist")]
    MissingFolder { path: PathBuf, folder: PathBuf },
    #[error("cannot open database {path}: {reason}")]
    Unusable { path: PathBuf, reason: String },
    #[error("cannot prepare database {path}: {reason}")]
    Migration { path: PathBuf, reason: String },
}

/// Opens (creating the file if needed) and migrates the SQLite database at `url`.
pub async fn open(url: &str) -> Result<Db, OpenError> {
    let path = sqlite_path(url).ok_or_else(|| OpenError::NotSqlite { url: url.to_owned() })?;
    if path != Path::new(":memory:") {
        let folder = match path.parent() {
            Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
            _ => PathBuf::from("."),
        };
        if !folder.is_dir() {
            return Err(OpenError::MissingFolder { path, folder });
        }
    }
    let unusable = |e: sqlx::Error| OpenError::Unusable { path: path.clone(), reason: e.to_string() };
    let options = SqliteConnectOptions::from_str(url)
        .map_err(unusable)?
        .create_if_missing(true)
        .journal_mode(SqliteJournalMode::Wal)
        .synchronous(SqliteSynchronous::Normal)
        .foreign_keys(true)
        .busy_timeout(Duration::from_secs(5));
    let pool = SqlitePoolOptions::new()
        .max_connections(8)
        .acquire_timeout(Duration::from_secs(5))
        .connect_with(options)
        .await
        .map_err(unusable)?;
    sqlx::migrate!("../migrations")
        .run(&pool)
        .await
        .map_err(|e| OpenError::Migration { path: path.clone(), reason: e.to_string() })?;
    // Rows written before their hosts' sites were recorded get them now, once.
    let indexed = async {
        crate::bulletin::index_missing_hosts(&pool).await?;
        crate::takedown::index_missing_sites(&pool).await
    };
    indexed.await.map_err(|e| OpenError::Migration { path: path.clone(), reason: e.to_string() })?;
    Ok(pool)
}

/// Whether the database answers a trivial query.
pub async fn ping(db: &Db) -> bool {
    sqlx::query("SELECT 1").execute(db).await.is_ok()
}

/// The file path inside a `sqlite:` URL, without its query string.
fn sqlite_path(url: &str) -> Option<PathBuf> {
    let rest = url.strip_prefix("sqlite://").or_else(|| url.strip_prefix("sqlite:"))?;
    let path = rest.split('?').next().unwrap_or(rest);
    (!path.is_empty()).then(|| PathBuf::from(path))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sqlite_urls_give_their_path() {
        assert_eq!(sqlite_path("sqlite://data/x.db"), Some(PathBuf::from("data/x.db")));
        assert_eq!(sqlite_path("sqlite:x.db?mode=rwc"), Some(PathBuf::from("x.db")));
        assert_eq!(sqlite_path("postgres://x"), None);
        assert_eq!(sqlite_path("sqlite:"), None);
    }

    #[tokio::test]
    async fn a_missing_folder_is_named_in_the_error() {
        let err = open("sqlite:/nonexistent-folder-for-test/x.db").await.unwrap_err();
        assert_eq!(
            err.to_string(),
            "cannot open database /nonexistent-folder-for-test/x.db: the folder /nonexistent-folder-for-test does not exist"
        );
    }

    #[tokio::test]
    async fn a_fresh_file_is_created_and_migrated() {
        let dir = tempfile::tempdir().unwrap();
        let url = format!("sqlite:{}", dir.path().join("fresh.db").display());
        let db = open(&url).await.unwrap();
        let (version,): (i64,) =
            sqlx::query_as("SELECT version FROM data_version").fetch_one(&db).await.unwrap();
        assert_eq!(version, 0);
    }

    #[tokio::test]
    async fn a_url_that_is_not_sqlite_is_refused() {
        assert!(matches!(open("mysql://x").await, Err(OpenError::NotSqlite { .. })));
    }
}
