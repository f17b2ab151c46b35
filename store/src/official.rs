//! The official list (verified domains, hotlines, LINE accounts) and the brand
//! keywords that name the firm.

use crate::Executor;

use crate::StoreError;

/// The kinds of official entry, as stored.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum OfficialKind {
    Domain,
    Phone,
    LineId,
    /// A mobile app, named as the app stores list it.
    App,
}

impl OfficialKind {
    /// Every kind, in the order the official page shows them.
    pub const ALL: [Self; 4] = [Self::Domain, Self::App, Self::Phone, Self::LineId];

    /// The stored code.
    pub fn code(self) -> &'static str {
        match self {
            Self::Domain => "domain",
            Self::Phone => "phone",
            Self::LineId => "line_id",
            Self::App => "app",
        }
    }

    /// Reads a stored code; anything else is not a kind.
    pub fn parse(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.code() == code)
    }
}

/// One official channel with the labels the public pages show beside it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct OfficialEntry {
    pub kind: OfficialKind,
    pub value: String,
    pub label_zh: String,
    pub label_en: String,
}

/// Every official entry, in the order they were added. A row of a kind this version
/// does not know is refused rather than shown.
pub async fn entries(db: impl Executor<'_>) -> Result<Vec<OfficialEntry>, StoreError> {
    let rows: Vec<(String, String, String, String)> =
        sqlx::query_as("SELECT kind, value, label_zh, label_en FROM official_entries ORDER BY id")
            .fetch_all(db)
            .await?;
    rows.into_iter()
        .map(|(kind, value, label_zh, label_en)| {
            let kind = OfficialKind::parse(&kind).ok_or_else(|| {
                StoreError::invalid_row("official_entries", &value, format!("unknown kind {kind:?}"))
            })?;
            Ok(OfficialEntry { kind, value, label_zh, label_en })
        })
        .collect()
}

/// Every official value of one kind, in the order they were added.
pub async fn values(db: impl Executor<'_>, kind: OfficialKind) -> Result<Vec<String>, StoreError> {
    let rows: Vec<(String,)> =
        sqlx::query_as("SELECT value FROM official_entries WHERE kind = $1 ORDER BY id")
            .bind(kind.code())
            .fetch_all(db)
            .await?;
    Ok(rows.into_iter().map(|(v,)| v).collect())
}

/// The words that name the firm.
pub async fn brand_keywords(db: impl Executor<'_>) -> Result<Vec<String>, StoreError> {
    let rows: Vec<(String,)> =
        sqlx::query_as("SELECT keyword FROM brand_keywords ORDER BY keyword").fetch_all(db).await?;
    Ok(rows.into_iter().map(|(k,)| k).collect())
}
