//! The official list (verified domains, hotlines, LINE accounts) and the brand
//! keywords that name the firm.

use sqlx::SqliteExecutor;

use crate::StoreError;

/// The kinds of official entry, as stored.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum OfficialKind {
    Domain,
    Phone,
    LineId,
}

impl OfficialKind {
    fn code(self) -> &'static str {
        match self {
            Self::Domain => "domain",
            Self::Phone => "phone",
            Self::LineId => "line_id",
        }
    }
}

/// Every official value of one kind, in the order they were added.
pub async fn values(db: impl SqliteExecutor<'_>, kind: OfficialKind) -> Result<Vec<String>, StoreError> {
    let rows: Vec<(String,)> =
        sqlx::query_as("SELECT value FROM official_entries WHERE kind = $1 ORDER BY id")
            .bind(kind.code())
            .fetch_all(db)
            .await?;
    Ok(rows.into_iter().map(|(v,)| v).collect())
}

/// The words that name the firm.
pub async fn brand_keywords(db: impl SqliteExecutor<'_>) -> Result<Vec<String>, StoreError> {
    let rows: Vec<(String,)> =
        sqlx::query_as("SELECT keyword FROM brand_keywords ORDER BY keyword").fetch_all(db).await?;
    Ok(rows.into_iter().map(|(k,)| k).collect())
}
