//! Storage on SQLite or PostgreSQL: opens the database, runs the migrations, reads and
//! writes the firm's data, and builds the in-memory index that public checks run against.

pub mod audit;
pub mod background;
pub mod bulletin;
pub mod contact;
pub mod db;
pub mod demo;
pub mod escalation;
pub mod import;
pub mod import_jobs;
pub mod live;
pub mod lock;
pub mod official;
pub mod official_proposals;
pub mod open_data;
pub mod report;
pub mod script;
pub mod staff;
pub mod stats;
pub mod switches;
pub mod takedown;
pub mod tally;
#[cfg(any(test, feature = "testing"))]
pub mod testing;
pub mod triage;
pub mod versions;

pub use bulletin::Bulletin;
pub use db::{open, Backend, Db, OpenError};
pub use live::{Fallback, Firm, Freshness, LiveIndex, RefreshFailed, Refreshed, Snapshot};
/// The database crate, for callers that build storage errors in their own tests.
pub use sqlx;
pub use tally::CheckTally;

/// Why a storage operation failed. The text is for logs and operators; callers that answer
/// the public or staff map each variant to their own words (a database failure never
/// reaches a page as database text).
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    /// The database could not be reached, timed out, or failed the statement.
    #[error("database error: {0}")]
    Database(#[from] sqlx::Error),
    /// A stored row holds a value this version does not know (a newer writer, or a hand edit).
    #[error("{table} row {row}: {problem}")]
    InvalidRow { table: &'static str, row: String, problem: String },
    /// The stored check data does not make a valid index (one bad row refuses the whole set).
    #[error("stored data is invalid: {0}")]
    InvalidData(#[from] engine::IndexError),
    /// The database holds no firm yet: nothing can be checked until the firm's data is loaded.
    #[error("the database holds no firm data yet: load the firm's data, or start with --demo")]
    NoFirmData,
    /// The demo data shipped in the binary does not parse.
    #[error("demo data is invalid: {0}")]
    InvalidDemo(String),
    /// `server demo` would delete data that is not demo data.
    #[error(transparent)]
    NotDemoData(#[from] demo::NotDemoData),
    /// A row that must be unique already exists (says which).
    #[error("{0}")]
    Duplicate(String),
    /// A change that breaks a rule of the data, in words for the person who asked for it.
    #[error("{0}")]
    Refused(String),
    /// A proposal to change the official list, or a decision on one, that was refused
    /// before anything was written (says why).
    #[error(transparent)]
    Proposal(#[from] official_proposals::Refusal),
    /// An import that was refused before anything was written (says why).
    #[error(transparent)]
    Import(#[from] import::ImportRefusal),
    /// A change to a bulletin that was refused before anything was written (says why).
    #[error(transparent)]
    Publishing(#[from] bulletin::publishing::Refusal),
    /// A triage decision that was refused before anything was written (says why).
    #[error(transparent)]
    Triage(#[from] triage::Refusal),
    /// A takedown data version that does not exist.
    #[error("there is no takedown data version {0}")]
    NoSuchVersion(i64),
    /// A rollback to the version already in use.
    #[error("version {0} is already the current takedown data")]
    VersionIsCurrent(i64),
    /// A rollback that would not reproduce the version's entries; nothing was written.
    #[error("rolling back to version {version} would give checksum {actual}, not its {expected}: nothing was changed")]
    ChecksumMismatch { version: i64, expected: String, actual: String },
    /// A fresh random reference collided too many times.
    #[error("no free report reference after several tries")]
    NoFreeReference,
}

impl StoreError {
    /// Whether the failure is the database's (unreachable, slow, failing), as opposed to
    /// the data's: the first is worth a retry, the second needs someone to fix the data.
    pub fn is_database(&self) -> bool {
        matches!(self, Self::Database(_))
    }

    /// What went wrong, in words fit for an operator's status page: the data's own problem
    /// in full (it names the bad row), but never the database's text.
    pub fn summary(&self) -> String {
        match self {
            Self::Database(_) => "the database could not be read".to_owned(),
            other => other.to_string(),
        }
    }

    /// A stored row that cannot be read, naming the table, the row and what is wrong.
    pub(crate) fn invalid_row(table: &'static str, row: impl ToString, problem: impl Into<String>) -> Self {
        Self::InvalidRow { table, row: row.to_string(), problem: problem.into() }
    }
}

/// Something queries run on: the pool, a connection or a transaction, on either backend.
pub trait Executor<'c>: sqlx::Executor<'c, Database = sqlx::Any> {}
impl<'c, E: sqlx::Executor<'c, Database = sqlx::Any>> Executor<'c> for E {}

/// The channel on which PostgreSQL announces a new data version to every instance.
pub const DATA_VERSION_CHANNEL: &str = "data_version";

/// Marks the check data as changed, inside the writer's transaction, so that every
/// instance rebuilds its index: on PostgreSQL at once (a notification, delivered when the
/// transaction commits), and on either backend at its next poll. Every write to check data
/// calls it.
pub(crate) async fn bump_data_version(conn: &mut sqlx::AnyConnection, now: &str) -> Result<(), StoreError> {
    let (version,): (i64,) = sqlx::query_as(
        "UPDATE data_version SET version = version + 1, updated_at = $1 WHERE id = 1 RETURNING version",
    )
    .bind(now)
    .fetch_one(&mut *conn)
    .await?;
    if conn.backend_name().eq_ignore_ascii_case("postgresql") {
        sqlx::query("SELECT pg_notify($1, $2)")
            .bind(DATA_VERSION_CHANNEL)
            .bind(version.to_string())
            .execute(&mut *conn)
            .await?;
    }
    Ok(())
}

/// The current time as stored in the database: RFC 3339, UTC, whole seconds.
pub fn now_rfc3339() -> String {
    let now = time::OffsetDateTime::now_utc()
        .replace_nanosecond(0)
        .unwrap_or_else(|_| time::OffsetDateTime::now_utc());
    now.format(&time::format_description::well_known::Rfc3339).unwrap_or_default()
}

/// Taiwan's offset from UTC (UTC+8, no daylight saving).
fn taipei() -> time::UtcOffset {
    time::UtcOffset::from_hms(8, 0, 0).unwrap_or(time::UtcOffset::UTC)
}

/// Today's date in Taiwan.
pub fn taiwan_date() -> time::Date {
    time::OffsetDateTime::now_utc().to_offset(taipei()).date()
}

/// Today's date in Taiwan, `YYYY-MM-DD`.
pub fn today_in_taiwan() -> String {
    date_text(taiwan_date())
}

/// A date as stored: `YYYY-MM-DD`.
pub(crate) fn date_text(date: time::Date) -> String {
    format!("{:04}-{:02}-{:02}", date.year(), u8::from(date.month()), date.day())
}

/// The Taiwan date of a stored RFC 3339 time, `YYYY-MM-DD`.
pub(crate) fn taiwan_day_of(rfc3339: &str) -> Option<String> {
    let at = time::OffsetDateTime::parse(rfc3339, &time::format_description::well_known::Rfc3339).ok()?;
    Some(date_text(at.to_offset(taipei()).date()))
}
