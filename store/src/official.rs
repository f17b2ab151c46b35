//! The official list: the firm's verified domains (and, later, hotlines and accounts).

use engine::OfficialDomain;

use sqlx::SqliteExecutor;

use crate::StoreError;

/// Every official domain, in the order they were added.
pub async fn domains(db: impl SqliteExecutor<'_>) -> Result<Vec<OfficialDomain>, StoreError> {
    let rows: Vec<(String,)> =
        sqlx::query_as("SELECT value FROM official_entries WHERE kind = 'domain' ORDER BY id")
            .fetch_all(db)
            .await?;
    Ok(rows
        .into_iter()
        .map(|(domain,)| OfficialDomain { domain })
        .collect())
}
