//! Opening the database: SQLite, a file beside the server and the default, or PostgreSQL,
//! for several instances behind a load balancer; the backend is chosen from the scheme of
//! `DATABASE_URL`. Each backend has its own migrations (`migrations/sqlite`,
//! `migrations/postgres`), run at start-up. Failures are one clear sentence that names the
//! database (never its password).
//!
//! Both backends are reached through sqlx's `Any` driver, so every query in the store is
//! written once, with `$1` placeholders both understand; the few statements that differ ask
//! [`Backend::of`] which to send.

use std::path::{Path, PathBuf};
use std::str::FromStr;
use std::time::Duration;

use sqlx::any::AnyPoolOptions;
use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode};
use sqlx::{AnyPool, ConnectOptions, Connection, Executor};

/// The connection pool; cheap to clone.
pub type Db = AnyPool;

/// Which database a [`Db`] talks to.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Backend {
    /// An embedded SQLite file: one instance, zero set-up.
    Sqlite,
    /// A PostgreSQL server shared by several instances.
    Postgres,
}

impl Backend {
    /// The backend a `DATABASE_URL` names, from its scheme.
    pub fn of_url(url: &str) -> Option<Self> {
        let scheme = url.split(':').next().unwrap_or_default();
        match scheme {
            "sqlite" => Some(Self::Sqlite),
            "postgres" | "postgresql" => Some(Self::Postgres),
            _ => None,
        }
    }

    /// The backend a pool talks to.
    pub fn of(db: &Db) -> Self {
        match db.connect_options().database_url.scheme() {
            "postgres" | "postgresql" => Self::Postgres,
            _ => Self::Sqlite,
        }
    }

    /// The backend a connection (or a transaction) speaks to.
    pub fn of_connection(conn: &sqlx::AnyConnection) -> Self {
        if conn.backend_name().eq_ignore_ascii_case("postgresql") {
            Self::Postgres
        } else {
            Self::Sqlite
        }
    }
}

/// How long a request waits for a free connection before it fails (and says so).
const ACQUIRE_TIMEOUT: Duration = Duration::from_secs(5);

/// Why the database could not be opened at start-up.
#[derive(Debug, thiserror::Error)]
pub enum OpenError {
    #[error(
        "DATABASE_URL {url:?} names no database we use (expected sqlite:PATH, sqlite://PATH or \
         postgres://USER@HOST/NAME)"
    )]
    UnknownScheme { url: String },
    #[error("cannot open database {path}: the folder {folder} does not exist")]
    MissingFolder { path: PathBuf, folder: PathBuf },
    #[error("cannot open database {database}: {reason}")]
    Unusable { database: String, reason: String },
    #[error("cannot prepare database {database}: {reason}")]
    Migration { database: String, reason: String },
}

/// Opens (creating a SQLite file if needed) and migrates the database at `url`.
pub async fn open(url: &str) -> Result<Db, OpenError> {
    sqlx::any::install_default_drivers();
    let db = match Backend::of_url(url) {
        Some(Backend::Sqlite) => open_sqlite(url).await?,
        Some(Backend::Postgres) => open_postgres(url).await?,
        None => return Err(OpenError::UnknownScheme { url: redacted(url) }),
    };
    let database = redacted(url);
    migrate(&db)
        .await
        .map_err(|e| OpenError::Migration { database: database.clone(), reason: e.to_string() })?;
    // Rows written before their hosts' sites were recorded get them now, once.
    let indexed = async {
        crate::bulletin::index_missing_hosts(&db).await?;
        crate::report::index_missing_contacts(&db).await?;
        crate::takedown::index_missing_sites(&db).await
    };
    indexed.await.map_err(|e| OpenError::Migration { database, reason: e.to_string() })?;
    Ok(db)
}

/// Runs the backend's migrations. On PostgreSQL sqlx holds an advisory lock meanwhile, so
/// instances starting together take turns. SQLite has no such lock: two processes opening a
/// new file at once (the server and a command) may both try a migration; the one that loses
/// fails inside its transaction, leaving nothing half-done, and tries again to find it applied.
async fn migrate(db: &Db) -> Result<(), sqlx::migrate::MigrateError> {
    match Backend::of(db) {
        Backend::Postgres => sqlx::migrate!("../migrations/postgres").run(db).await,
        Backend::Sqlite => {
            let migrator = sqlx::migrate!("../migrations/sqlite");
            let mut attempt = 1;
            loop {
                match migrator.run(db).await {
                    Err(_) if attempt < 3 => {
                        attempt += 1;
                        tokio::time::sleep(Duration::from_millis(200)).await;
                    }
                    done => return done,
                }
            }
        }
    }
}

async fn open_sqlite(url: &str) -> Result<Db, OpenError> {
    let path = sqlite_path(url).ok_or_else(|| OpenError::UnknownScheme { url: url.to_owned() })?;
    if path != Path::new(":memory:") {
        let folder = match path.parent() {
            Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
            _ => PathBuf::from("."),
        };
        if !folder.is_dir() {
            return Err(OpenError::MissingFolder { path, folder });
        }
    }
    let unusable =
        |e: sqlx::Error| OpenError::Unusable { database: path.display().to_string(), reason: e.to_string() };
    // Create the file in write-ahead-log mode first: the mode stays with the file, so every
    // connection of the pool uses it, and readers never wait for a writer. Setting it needs
    // a moment alone with the file, which the busy timeout does not wait for: a process
    // opening the same new file at that moment tries again.
    let options = SqliteConnectOptions::from_str(url)
        .map_err(unusable)?
        .create_if_missing(true)
        .journal_mode(SqliteJournalMode::Wal);
    let mut attempt = 1;
    loop {
        match options.connect().await {
            Ok(conn) => {
                conn.close().await.map_err(unusable)?;
                break;
            }
            Err(e) if attempt < 10 && e.to_string().contains("locked") => {
                attempt += 1;
                tokio::time::sleep(Duration::from_millis(100)).await;
            }
            Err(e) => return Err(unusable(e)),
        }
    }
    sqlite_pool(8).connect(url).await.map_err(unusable)
}

/// The options of a SQLite pool of at most `connections`.
fn sqlite_pool(connections: u32) -> AnyPoolOptions {
    AnyPoolOptions::new()
        .max_connections(connections)
        .acquire_timeout(ACQUIRE_TIMEOUT)
        // Foreign keys and a 5 s busy timeout are sqlx's defaults; a write is durable once the
        // log reaches the disk, which is enough for data the next refresh would reload.
        .after_connect(|conn, _| {
            Box::pin(async move { conn.execute("PRAGMA synchronous = NORMAL").await.map(|_| ()) })
        })
}

/// How many connections a [`pool_beside`] holds: an import's transaction and a read beside it.
const BESIDE_CONNECTIONS: u32 = 2;

/// A small pool of its own on `db`'s database, for work on a thread of its own
/// ([`crate::background::beside_checks`]): its connections are made there, and on SQLite
/// their worker threads are started by that thread, so they take its priority. `None` for a
/// SQLite database in memory (another connection would open another, empty one) or when no
/// connection can be made now.
pub(crate) async fn pool_beside(db: &Db) -> Option<Db> {
    let options = db.connect_options();
    let pool = match Backend::of(db) {
        Backend::Sqlite => {
            let url = options.database_url.as_str();
            if url.contains(":memory:") || url.contains("mode=memory") {
                return None;
            }
            sqlite_pool(BESIDE_CONNECTIONS)
        }
        Backend::Postgres => {
            AnyPoolOptions::new().max_connections(BESIDE_CONNECTIONS).acquire_timeout(ACQUIRE_TIMEOUT)
        }
    };
    // Made now, not lazily on the first query: a pool that cannot reach the database is
    // refused here and the work goes on with `db`, which says what is wrong.
    pool.min_connections(1).connect_with((*options).clone()).await.ok()
}

async fn open_postgres(url: &str) -> Result<Db, OpenError> {
    AnyPoolOptions::new()
        .max_connections(10)
        .acquire_timeout(ACQUIRE_TIMEOUT)
        .connect(url)
        .await
        .map_err(|e| OpenError::Unusable { database: redacted(url), reason: e.to_string() })
}

/// The function that makes a JSON array of its arguments on `backend`.
pub(crate) fn json_array(backend: Backend) -> &'static str {
    match backend {
        Backend::Sqlite => "json_array",
        Backend::Postgres => "json_build_array",
    }
}

/// How many rows a [`packed_page`] holds at most.
pub(crate) const PAGE_ROWS: i64 = 10_000;

/// A query for one page of `table`'s rows that meet `filter`, in id order: `columns` of each
/// row packed into one JSON array, the page one JSON array of them (NULL when no row is left),
/// the rows after id `$1`, at most `$2` ([`PAGE_ROWS`]) of them. The first column is the id.
pub(crate) fn packed_page(backend: Backend, columns: &str, table: &str, filter: &str) -> String {
    match backend {
        // The rows' JSON texts joined as they are (NULL for no row): `json_group_array` would
        // parse each one again to mark it as JSON, a tenth of the time of a million rows.
        Backend::Sqlite => format!(
            "SELECT '[' || group_concat(row, ',') || ']' FROM
             (SELECT json_array({columns}) AS row FROM {table} WHERE {filter} AND id > $1 ORDER BY id LIMIT $2)"
        ),
        Backend::Postgres => format!(
            "SELECT json_agg(row ORDER BY id)::text FROM
             (SELECT id, json_build_array({columns}) AS row FROM {table}
              WHERE {filter} AND id > $1 ORDER BY id LIMIT $2) page"
        ),
    }
}

/// Reads every row of a [`packed_page`] query of `table`, page after page, and hands each
/// page's rows to `each`; `id_of` names a row's id, the one to read on after.
pub(crate) async fn read_pages<T: serde::de::DeserializeOwned + Send + 'static>(
    conn: &mut sqlx::AnyConnection,
    table: &'static str,
    sql: &str,
    id_of: fn(&T) -> i64,
    mut each: impl FnMut(Vec<T>),
) -> Result<(), crate::StoreError> {
    let mut cursor = PageCursor::default();
    while let Some(rows) = read_page(conn, table, sql, id_of, &mut cursor).await? {
        each(rows);
    }
    Ok(())
}

/// Where a read of [`packed_page`]s has got to: the last id read, and whether the last page
/// was the end (shorter than a full page).
#[derive(Clone, Copy, Debug, Default)]
pub(crate) struct PageCursor {
    after: i64,
    ended: bool,
}

/// The next page of a [`packed_page`] query, moving `cursor` past it; `None` once every page
/// was read.
pub(crate) async fn read_page<T: serde::de::DeserializeOwned + Send + 'static>(
    conn: &mut sqlx::AnyConnection,
    table: &'static str,
    sql: &str,
    id_of: fn(&T) -> i64,
    cursor: &mut PageCursor,
) -> Result<Option<Vec<T>>, crate::StoreError> {
    if cursor.ended {
        return Ok(None);
    }
    let (page,): (Option<String>,) =
        sqlx::query_as(sql).bind(cursor.after).bind(PAGE_ROWS).fetch_one(&mut *conn).await?;
    let Some(page) = page else { return Ok(None) };
    // Reading ten thousand rows takes milliseconds: not on a worker that answers checks.
    let rows = tokio::task::spawn_blocking(move || unpack::<Vec<T>>(table, &page))
        .await
        .map_err(|e| crate::StoreError::Refused(format!("reading {table} was stopped: {e}")))??;
    cursor.ended = (rows.len() as i64) < PAGE_ROWS;
    cursor.after = rows.iter().map(id_of).fold(cursor.after, i64::max);
    Ok(Some(rows))
}

/// A subquery of the ids in the JSON array bound at `placeholder` (`[1, 2, 3]`): one
/// parameter for any number of them.
pub(crate) fn json_ids(backend: Backend, placeholder: &str) -> String {
    match backend {
        Backend::Sqlite => format!("SELECT value FROM json_each({placeholder})"),
        Backend::Postgres => {
            format!("SELECT value::bigint FROM json_array_elements_text({placeholder}::json)")
        }
    }
}

/// Begins a transaction that reads one consistent state of the data: SQLite's transactions
/// read one snapshot; PostgreSQL's default (read committed) would not.
pub(crate) async fn begin_read(
    conn: &mut sqlx::AnyConnection,
) -> Result<sqlx::Transaction<'_, sqlx::Any>, sqlx::Error> {
    use sqlx::Connection as _;
    match Backend::of_connection(conn) {
        Backend::Postgres => conn.begin_with("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY").await,
        Backend::Sqlite => conn.begin().await,
    }
}

/// Reads a row of `table` packed into JSON text by a query; a value this version cannot read is
/// refused, naming the row.
pub(crate) fn unpack<T: serde::de::DeserializeOwned>(
    table: &'static str,
    packed: &str,
) -> Result<T, crate::StoreError> {
    serde_json::from_str(packed).map_err(|e| {
        let id = packed.trim_start_matches('[').split(',').next().unwrap_or_default();
        crate::StoreError::invalid_row(table, id, format!("unreadable row: {e}"))
    })
}

/// Whether the database answers a trivial query.
pub async fn ping(db: &Db) -> bool {
    sqlx::query("SELECT 1").execute(db).await.is_ok()
}

/// A database address fit for a log or an error: without its password.
pub fn redacted(url: &str) -> String {
    match url::Url::parse(url) {
        Ok(mut parsed) if parsed.password().is_some() => {
            let _ = parsed.set_password(Some("***"));
            parsed.to_string()
        }
        _ => url.to_owned(),
    }
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
    fn a_packed_row_reads_back_by_its_stored_codes_and_an_unknown_one_is_refused_naming_the_row() {
        use engine::{TakedownScope, TakedownStatus};
        for scope in TakedownScope::ALL {
            for status in TakedownStatus::ALL {
                let packed = format!(r#"[7,"{}","a.example","{}"]"#, scope.code(), status.code());
                let read: (i64, TakedownScope, String, TakedownStatus) =
                    unpack("takedown_entries", &packed).unwrap();
                assert_eq!(read, (7, scope, "a.example".to_owned(), status));
            }
        }
        for source in crate::takedown::Source::ALL {
            let read: crate::takedown::Source = unpack("t", &format!(r#""{}""#, source.code())).unwrap();
            assert_eq!(read, source);
        }
        let refused = unpack::<(i64, TakedownScope, String, TakedownStatus)>(
            "takedown_entries",
            r#"[42,"host","a.example","gone"]"#,
        )
        .unwrap_err();
        let said = refused.to_string();
        assert!(said.starts_with("takedown_entries row 42:") && said.contains("gone"), "{said}");
    }

    #[test]
    fn the_backend_follows_the_scheme() {
        assert_eq!(Backend::of_url("sqlite:data/x.db"), Some(Backend::Sqlite));
        assert_eq!(Backend::of_url("postgres://u@h/db"), Some(Backend::Postgres));
        assert_eq!(Backend::of_url("postgresql://u@h/db"), Some(Backend::Postgres));
        assert_eq!(Backend::of_url("mysql://x"), None);
    }

    #[test]
    fn sqlite_urls_give_their_path() {
        assert_eq!(sqlite_path("sqlite://data/x.db"), Some(PathBuf::from("data/x.db")));
        assert_eq!(sqlite_path("sqlite:x.db?mode=rwc"), Some(PathBuf::from("x.db")));
        assert_eq!(sqlite_path("postgres://x"), None);
        assert_eq!(sqlite_path("sqlite:"), None);
    }

    #[test]
    fn a_password_never_reaches_a_message() {
        assert_eq!(
            redacted("postgres://app:s3cret@db.internal/fraud"),
            "postgres://app:***@db.internal/fraud"
        );
        assert_eq!(redacted("sqlite:data/x.db"), "sqlite:data/x.db");
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
        let (mode,): (String,) = sqlx::query_as("PRAGMA journal_mode").fetch_one(&db).await.unwrap();
        assert_eq!(mode, "wal", "readers never wait for a writer");
    }

    #[tokio::test]
    async fn a_url_that_is_no_database_we_use_is_refused() {
        assert!(matches!(open("mysql://x").await, Err(OpenError::UnknownScheme { .. })));
    }

    #[tokio::test]
    async fn an_unreachable_postgres_is_named_without_its_password() {
        let err = open("postgres://app:s3cret@127.0.0.1:1/fraud?connect_timeout=1").await.unwrap_err();
        let text = err.to_string();
        assert!(text.starts_with("cannot open database postgres://app:***@127.0.0.1:1/fraud"), "{text}");
        assert!(!text.contains("s3cret"), "{text}");
    }
}
