//! SQLite storage: opens the database, runs the migrations, reads and writes the
//! firm's data, and builds the in-memory index that public checks run against.

pub mod bulletin;
pub mod db;
pub mod demo;
pub mod live;
pub mod official;
pub mod report;
pub mod switches;
pub mod takedown;
pub mod tally;
#[cfg(test)]
mod testing;

pub use bulletin::Bulletin;
pub use db::{open, Db, OpenError};
pub use live::{LiveIndex, Snapshot};
pub use tally::CheckTally;

/// Why a storage operation failed. Database text stays in the logs, never in a response.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("database error: {0}")]
    Sqlx(#[from] sqlx::Error),
    #[error("stored data is invalid: {0}")]
    InvalidData(#[from] engine::IndexError),
    #[error("demo data is invalid: {0}")]
    InvalidDemo(String),
}

/// Marks the check data as changed, inside the writer's transaction, so that every
/// instance rebuilds its index at its next refresh. Every write to check data calls it.
pub(crate) async fn bump_data_version(
    conn: &mut sqlx::SqliteConnection,
    now: &str,
) -> Result<(), StoreError> {
    sqlx::query("UPDATE data_version SET version = version + 1, updated_at = $1 WHERE id = 1")
        .bind(now)
        .execute(conn)
        .await?;
    Ok(())
}

/// The current time as stored in the database: RFC 3339, UTC, whole seconds.
pub(crate) fn now_rfc3339() -> String {
    let now = time::OffsetDateTime::now_utc()
        .replace_nanosecond(0)
        .unwrap_or_else(|_| time::OffsetDateTime::now_utc());
    now.format(&time::format_description::well_known::Rfc3339).unwrap_or_default()
}

/// Today's date in Taiwan (UTC+8, no daylight saving), `YYYY-MM-DD`.
pub(crate) fn today_in_taiwan() -> String {
    let taipei = time::UtcOffset::from_hms(8, 0, 0).unwrap_or(time::UtcOffset::UTC);
    let date = time::OffsetDateTime::now_utc().to_offset(taipei).date();
    format!("{:04}-{:02}-{:02}", date.year(), u8::from(date.month()), date.day())
}
