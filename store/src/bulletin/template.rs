//! Starting texts for the bulletins the firm writes again and again ("new fake site", "new
//! scam pattern", "service notice"), with `{{name}}` placeholders. Admins edit them.

use time::OffsetDateTime;

use super::publishing::{check_text, stamp};
use super::{BulletinCategory, Language};
use crate::audit::{self, Actor, NewEntry};
use crate::{Db, StoreError};

/// A template.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Template {
    pub id: i64,
    pub name: String,
    pub category: BulletinCategory,
    pub language: Language,
    pub title: String,
    pub body: String,
    pub updated_by: String,
    pub updated_at: String,
}

/// What an admin writes.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TemplateText {
    pub name: String,
    pub category: BulletinCategory,
    pub language: Language,
    pub title: String,
    pub body: String,
}

type Row = (i64, String, String, String, String, String, String, String);

fn decode(row: Row) -> Result<Template, StoreError> {
    let (id, name, category, language, title, body, updated_by, updated_at) = row;
    let bad = |what: &str| StoreError::invalid_row("bulletin_templates", id, format!("unknown {what}"));
    Ok(Template {
        category: BulletinCategory::parse(&category).ok_or_else(|| bad("category"))?,
        language: Language::parse(&language).ok_or_else(|| bad("language"))?,
        id,
        name,
        title,
        body,
        updated_by,
        updated_at,
    })
}

const COLUMNS: &str = "id, name, category, language, title, body, updated_by, updated_at";

/// Every template, by name.
pub async fn all(db: &Db) -> Result<Vec<Template>, StoreError> {
    let rows: Vec<Row> = sqlx::query_as(&format!("SELECT {COLUMNS} FROM bulletin_templates ORDER BY name"))
        .fetch_all(db)
        .await?;
    rows.into_iter().map(decode).collect()
}

/// Template `id`.
pub async fn get(db: &Db, id: i64) -> Result<Option<Template>, StoreError> {
    let row: Option<Row> = sqlx::query_as(&format!("SELECT {COLUMNS} FROM bulletin_templates WHERE id = $1"))
        .bind(id)
        .fetch_optional(db)
        .await?;
    row.map(decode).transpose()
}

/// Adds a template (`id` None) or replaces one; audited. Returns its id.
pub async fn save(
    db: &Db,
    id: Option<i64>,
    text: &TemplateText,
    actor: Actor<'_>,
    now: OffsetDateTime,
) -> Result<i64, StoreError> {
    check_text(&text.title, &text.body)?;
    let name = text.name.trim();
    if name.is_empty() || name.chars().count() > 100 {
        return Err(StoreError::Refused("a template needs a name of at most 100 characters".into()));
    }
    let now = stamp(now);
    let mut tx = audit::begin(db).await?;
    let taken: Option<(i64,)> = sqlx::query_as("SELECT id FROM bulletin_templates WHERE name = $1")
        .bind(name)
        .fetch_optional(&mut *tx)
        .await?;
    if taken.is_some_and(|(other,)| Some(other) != id) {
        return Err(StoreError::Duplicate(format!("a template is already called {name:?}")));
    }
    let saved = match id {
        Some(id) => {
            let done = sqlx::query(
                "UPDATE bulletin_templates SET name = $1, category = $2, language = $3, title = $4, body = $5,
                        updated_by = $6, updated_at = $7 WHERE id = $8",
            )
            .bind(name)
            .bind(text.category.code())
            .bind(text.language.code())
            .bind(text.title.trim())
            .bind(&text.body)
            .bind(actor.login)
            .bind(&now)
            .bind(id)
            .execute(&mut *tx)
            .await?;
            if done.rows_affected() == 0 {
                return Err(StoreError::Refused("there is no such template".into()));
            }
            id
        }
        None => {
            let (id,): (i64,) = sqlx::query_as(
                "INSERT INTO bulletin_templates (name, category, language, title, body, updated_by, updated_at)
                 VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id",
            )
            .bind(name)
            .bind(text.category.code())
            .bind(text.language.code())
            .bind(text.title.trim())
            .bind(&text.body)
            .bind(actor.login)
            .bind(&now)
            .fetch_one(&mut *tx)
            .await?;
            id
        }
    };
    let entry = NewEntry::new("bulletin_template")
        .by(actor.id, actor.login)
        .on(format!("template:{saved}"))
        .change(if id.is_some() { "edited" } else { "" }, name)
        .from(actor.client);
    audit::append(&mut tx, &entry).await?;
    tx.commit().await?;
    Ok(saved)
}

/// The placeholder names in `text`, in order, without repeats (`{{fake_host}}` → `fake_host`).
pub fn placeholders(text: &str) -> Vec<String> {
    let mut names: Vec<String> = Vec::new();
    let mut rest = text;
    while let Some(start) = rest.find("{{") {
        let after = &rest[start + 2..];
        let Some(end) = after.find("}}") else { break };
        let name = after[..end].trim();
        let valid = !name.is_empty()
            && name.len() <= 40
            && name.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_');
        if valid && !names.iter().any(|n| n == name) {
            names.push(name.to_owned());
        }
        rest = &after[end + 2..];
    }
    names
}

/// `text` with each placeholder that has a value filled in; the others stay as they are, for
/// the publisher to see and fill.
pub fn fill(text: &str, values: &[(String, String)]) -> String {
    let mut out = text.to_owned();
    for (name, value) in values {
        if !value.trim().is_empty() {
            out = out.replace(&format!("{{{{{name}}}}}"), value.trim());
        }
    }
    out
}

/// Whether a refusal of a template is the publisher's to fix (so the page says why).
pub fn is_refusal(error: &StoreError) -> Option<String> {
    match error {
        StoreError::Refused(why) | StoreError::Duplicate(why) => Some(why.clone()),
        StoreError::Publishing(refusal) => Some(refusal.to_string()),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::bulletin::publishing::Refusal;

    #[test]
    fn placeholders_are_named_once_in_order() {
        let text = "發現假冒{{firm}}的網站 {{fake_host}}，{{ firm }}提醒 {{bad name}} {{";
        assert_eq!(placeholders(text), ["firm", "fake_host"]);
    }

    #[test]
    fn a_placeholder_without_a_value_stays_for_the_publisher_to_fill() {
        let values =
            vec![("firm".to_owned(), "凱基證券".to_owned()), ("fake_host".to_owned(), " ".to_owned())];
        assert_eq!(fill("{{firm}}：{{fake_host}}", &values), "凱基證券：{{fake_host}}");
    }

    #[test]
    fn a_template_refused_for_its_text_says_why() {
        let err: StoreError = Refusal::TitleEmpty.into();
        assert_eq!(is_refusal(&err).as_deref(), Some("a bulletin needs a title"));
    }
}
