//! Reply scripts: what an agent reads or pastes to a customer, per verdict and situation,
//! in both languages, with placeholders the console fills (`{firm}`, `{domain}`,
//! `{hotline}`, `{date}`). Admins edit them; the migration brings a starting set.

use crate::{Db, Executor, StoreError};

/// The verdicts a script can be for.
pub const VERDICTS: [&str; 4] = ["fraud", "suspicious", "unknown", "official"];

/// The longest title and body, in characters.
pub const MAX_SITUATION_CHARS: usize = 200;
pub const MAX_BODY_CHARS: usize = 2000;

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Script {
    pub id: i64,
    pub verdict: String,
    pub situation_zh: String,
    pub situation_en: String,
    pub body_zh: String,
    pub body_en: String,
    pub updated_at: String,
    pub updated_by: String,
}

/// A script as an admin wrote it, before it is stored.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ScriptText {
    pub verdict: String,
    pub situation_zh: String,
    pub situation_en: String,
    pub body_zh: String,
    pub body_en: String,
}

/// Why a script cannot be stored as written.
#[derive(Clone, Copy, Debug, PartialEq, Eq, thiserror::Error)]
pub enum ScriptError {
    #[error("choose the verdict the script is for")]
    UnknownVerdict,
    #[error("every field is needed, in both languages")]
    Empty,
    #[error("the title is at most 200 characters and the text at most 2,000")]
    TooLong,
}

impl ScriptText {
    /// Trims every field and checks it.
    pub fn validated(&self) -> Result<Self, ScriptError> {
        if !VERDICTS.contains(&self.verdict.trim()) {
            return Err(ScriptError::UnknownVerdict);
        }
        let t = |s: &str| s.trim().to_owned();
        let text = Self {
            verdict: t(&self.verdict),
            situation_zh: t(&self.situation_zh),
            situation_en: t(&self.situation_en),
            body_zh: t(&self.body_zh),
            body_en: t(&self.body_en),
        };
        let fields = [&text.situation_zh, &text.situation_en, &text.body_zh, &text.body_en];
        if fields.iter().any(|f| f.is_empty()) {
            return Err(ScriptError::Empty);
        }
        let long = |s: &str, max| s.chars().count() > max;
        if long(&text.situation_zh, MAX_SITUATION_CHARS)
            || long(&text.situation_en, MAX_SITUATION_CHARS)
            || long(&text.body_zh, MAX_BODY_CHARS)
            || long(&text.body_en, MAX_BODY_CHARS)
        {
            return Err(ScriptError::TooLong);
        }
        Ok(text)
    }
}

type Row = (i64, String, String, String, String, String, String, String);
const COLUMNS: &str = "id, verdict, situation_zh, situation_en, body_zh, body_en, updated_at, updated_by";

fn script_from(
    (id, verdict, situation_zh, situation_en, body_zh, body_en, updated_at, updated_by): Row,
) -> Script {
    Script { id, verdict, situation_zh, situation_en, body_zh, body_en, updated_at, updated_by }
}

/// Every script, by verdict (fraud first) and position; those containing `search` (any field,
/// any case) when it is not empty.
pub async fn all(db: &Db, search: &str) -> Result<Vec<Script>, StoreError> {
    let rows: Vec<Row> = sqlx::query_as(&format!(
        "SELECT {COLUMNS} FROM reply_scripts ORDER BY
         CASE verdict WHEN 'fraud' THEN 0 WHEN 'suspicious' THEN 1 WHEN 'unknown' THEN 2 ELSE 3 END, position, id"
    ))
    .fetch_all(db)
    .await?;
    let needle = search.trim().to_lowercase();
    Ok(rows
        .into_iter()
        .map(script_from)
        .filter(|s| {
            needle.is_empty()
                || [&s.situation_zh, &s.situation_en, &s.body_zh, &s.body_en]
                    .iter()
                    .any(|f| f.to_lowercase().contains(&needle))
        })
        .collect())
}

/// The scripts for one verdict.
pub async fn for_verdict(db: &Db, verdict: &str) -> Result<Vec<Script>, StoreError> {
    Ok(all(db, "").await?.into_iter().filter(|s| s.verdict == verdict).collect())
}

pub async fn get(db: &Db, id: i64) -> Result<Option<Script>, StoreError> {
    let row: Option<Row> = sqlx::query_as(&format!("SELECT {COLUMNS} FROM reply_scripts WHERE id = $1"))
        .bind(id)
        .fetch_optional(db)
        .await?;
    Ok(row.map(script_from))
}

/// Adds a script (validated by the caller), at the end of its verdict's list.
pub async fn add<'c>(
    conn: impl Executor<'c>,
    text: &ScriptText,
    by: &str,
    now: &str,
) -> Result<i64, StoreError> {
    let (id,): (i64,) = sqlx::query_as(
        "INSERT INTO reply_scripts (verdict, situation_zh, situation_en, body_zh, body_en, position, updated_at, updated_by)
         VALUES ($1, $2, $3, $4, $5, 1000, $6, $7) RETURNING id",
    )
    .bind(&text.verdict)
    .bind(&text.situation_zh)
    .bind(&text.situation_en)
    .bind(&text.body_zh)
    .bind(&text.body_en)
    .bind(now)
    .bind(by)
    .fetch_one(conn)
    .await?;
    Ok(id)
}

/// Replaces a script's text; false when there is no such script.
pub async fn update<'c>(
    conn: impl Executor<'c>,
    id: i64,
    text: &ScriptText,
    by: &str,
    now: &str,
) -> Result<bool, StoreError> {
    let done = sqlx::query(
        "UPDATE reply_scripts SET verdict = $2, situation_zh = $3, situation_en = $4, body_zh = $5, body_en = $6,
             updated_at = $7, updated_by = $8 WHERE id = $1",
    )
    .bind(id)
    .bind(&text.verdict)
    .bind(&text.situation_zh)
    .bind(&text.situation_en)
    .bind(&text.body_zh)
    .bind(&text.body_en)
    .bind(now)
    .bind(by)
    .execute(conn)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// What the placeholders stand for in one conversation.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Placeholders {
    pub firm: String,
    /// The link's domain, defanged; empty when the check found none.
    pub domain: String,
    pub hotline: String,
    pub date: String,
}

/// The script with its placeholders filled; one without a value stays as `[domain]` etc.,
/// for the agent to fill by hand.
pub fn fill(body: &str, with: &Placeholders) -> String {
    let mut out = body.to_owned();
    for (name, value) in
        [("firm", &with.firm), ("domain", &with.domain), ("hotline", &with.hotline), ("date", &with.date)]
    {
        let shown = if value.is_empty() { format!("[{name}]") } else { value.clone() };
        out = out.replace(&format!("{{{name}}}"), &shown);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::fresh_db;

    #[test]
    fn placeholders_are_filled_and_a_missing_one_is_left_for_the_agent() {
        let with = Placeholders {
            firm: "凱基證券".into(),
            domain: "kgi357[.]com".into(),
            hotline: String::new(),
            date: "2026-12-01".into(),
        };
        assert_eq!(
            fill("{domain} 不是{firm}的網址，請撥 {hotline}（{date}）", &with),
            "kgi357[.]com 不是凱基證券的網址，請撥 [hotline]（2026-12-01）"
        );
        assert_eq!(fill("no placeholders {unknown}", &with), "no placeholders {unknown}");
    }

    #[test]
    fn a_script_needs_a_verdict_and_every_field_within_its_limit() {
        let good = ScriptText {
            verdict: " fraud ".into(),
            situation_zh: "標題".into(),
            situation_en: "Title".into(),
            body_zh: "內文".into(),
            body_en: "Body".into(),
        };
        assert_eq!(good.validated().map(|t| t.verdict), Ok("fraud".to_owned()));
        assert_eq!(
            ScriptText { verdict: "safe".into(), ..good.clone() }.validated(),
            Err(ScriptError::UnknownVerdict)
        );
        assert_eq!(ScriptText { body_en: " ".into(), ..good.clone() }.validated(), Err(ScriptError::Empty));
        assert_eq!(ScriptText { body_zh: "字".repeat(2001), ..good }.validated(), Err(ScriptError::TooLong));
    }

    #[tokio::test]
    async fn the_starting_set_covers_every_verdict_and_search_finds_by_any_words() {
        let (_dir, db) = fresh_db().await.expect("test database");
        for verdict in VERDICTS {
            assert!(!for_verdict(&db, verdict).await.unwrap().is_empty(), "{verdict}");
        }
        let found = all(&db, "165").await.unwrap();
        assert!(
            !found.is_empty() && found.iter().all(|s| s.body_zh.contains("165") || s.body_en.contains("165"))
        );
        assert!(all(&db, "no script says this").await.unwrap().is_empty());
        let first = all(&db, "").await.unwrap()[0].clone();
        let text = ScriptText {
            verdict: first.verdict.clone(),
            situation_zh: "新".into(),
            situation_en: "New".into(),
            body_zh: "甲".into(),
            body_en: "A".into(),
        };
        assert!(update(&db, first.id, &text, "boss", "2026-12-01T10:00:00Z").await.unwrap());
        assert_eq!(get(&db, first.id).await.unwrap().unwrap().updated_by, "boss");
        assert!(!update(&db, 9999, &text, "boss", "2026-12-01T10:00:00Z").await.unwrap());
    }
}
