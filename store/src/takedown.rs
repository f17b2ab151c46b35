//! The takedown database: known fake sites and where each stands in its takedown.

use engine::{TakedownEntry, TakedownScope, TakedownStatus};
use sqlx::SqliteExecutor;

use crate::StoreError;

/// Every takedown entry, oldest first. A row whose status or scope is unknown to
/// this version is refused rather than guessed.
pub async fn all(db: impl SqliteExecutor<'_>) -> Result<Vec<TakedownEntry>, StoreError> {
    let rows: Vec<(i64, String, String, String, String)> =
        sqlx::query_as("SELECT id, scope, target, status, listed_on FROM takedown_entries ORDER BY id")
            .fetch_all(db)
            .await?;
    rows.into_iter()
        .map(|(id, scope, target, status, listed_on)| {
            let undecodable = |what: &str, value: &str| {
                sqlx::Error::Decode(format!("takedown entry {id} has unknown {what} {value:?}").into())
            };
            let status = TakedownStatus::parse(&status).ok_or_else(|| undecodable("status", &status))?;
            let scope = TakedownScope::parse(&scope).ok_or_else(|| undecodable("scope", &scope))?;
            Ok(TakedownEntry { id, scope, target, status, listed_on })
        })
        .collect()
}

/// The distinct hosts in the takedown database, in alphabetical order, at most `limit`
/// of them (ask for one more than you can use to learn that some were left out).
pub async fn listed_hosts(db: impl SqliteExecutor<'_>, limit: i64) -> Result<Vec<String>, StoreError> {
    let rows: Vec<(String,)> =
        sqlx::query_as("SELECT DISTINCT lower(host) FROM takedown_entries ORDER BY 1 LIMIT $1")
            .bind(limit)
            .fetch_all(db)
            .await?;
    Ok(rows.into_iter().map(|(host,)| host).collect())
}
