//! Fraud bulletins: the firm's public warnings, newest first.

use crate::{Db, StoreError};

/// A published fraud bulletin.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Bulletin {
    pub slug: String,
    pub title: String,
    pub body: String,
    /// `YYYY-MM-DD`
    pub published_on: String,
}

/// Reads the `limit` newest bulletins.
pub async fn latest(db: &Db, limit: i64) -> Result<Vec<Bulletin>, StoreError> {
    let rows = sqlx::query_as::<_, (String, String, String, String)>(
        "SELECT slug, title, body, published_on FROM bulletins ORDER BY published_on DESC, id DESC LIMIT $1",
    )
    .bind(limit)
    .fetch_all(db)
    .await?;
    Ok(rows
        .into_iter()
        .map(|(slug, title, body, published_on)| Bulletin { slug, title, body, published_on })
        .collect())
}
