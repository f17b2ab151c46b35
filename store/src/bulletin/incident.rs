//! An incident's timeline: dated updates appended one by one, each with the state it puts the
//! incident in. An update may speak of an earlier time than it was written (written up after
//! the fact); it is then marked as such. A published incident that is not resolved is open:
//! every public page and the agent console show it as a banner.

use time::OffsetDateTime;

use super::publishing::{stamp, Refusal};
use super::{BulletinCategory, IncidentState, Language};
use crate::audit::{self, Actor, NewEntry};
use crate::{Db, StoreError};

/// The longest update, in characters.
pub const MAX_UPDATE_CHARS: usize = 5000;
/// An update whose time is earlier than this before it was written is marked as written
/// after the fact.
pub const BACKDATED_AFTER: time::Duration = time::Duration::minutes(10);
/// How far ahead of the server's clock an update's time may be (a publisher's clock is off).
const CLOCK_SLACK: time::Duration = time::Duration::minutes(2);

/// One entry of a timeline.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct IncidentUpdate {
    pub id: i64,
    pub state: IncidentState,
    pub body: String,
    /// The time it speaks of, RFC 3339 UTC.
    pub happened_at: String,
    /// When it was written.
    pub written_at: String,
    pub author: String,
    /// Written after the fact ([`BACKDATED_AFTER`]).
    pub backdated: bool,
}

/// A published incident that is not resolved.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct OpenIncident {
    pub id: i64,
    pub slug: String,
    pub language: Language,
    /// The bulletin it translates, if it is a translation.
    pub translation_of: Option<i64>,
    pub title: String,
    pub state: IncidentState,
    /// The newest update's time and words, if any.
    pub latest_at: Option<String>,
    pub latest: Option<String>,
}

/// Reads a time a publisher typed, in Taiwan time: `2025-11-18 19:20` (or with a `T`, or
/// with seconds).
pub fn parse_taiwan_time(text: &str) -> Result<OffsetDateTime, Refusal> {
    let text = text.trim().replace('T', " ");
    let with_seconds = time::macros::format_description!("[year]-[month]-[day] [hour]:[minute]:[second]");
    let without = time::macros::format_description!("[year]-[month]-[day] [hour]:[minute]");
    let local = time::PrimitiveDateTime::parse(&text, with_seconds)
        .or_else(|_| time::PrimitiveDateTime::parse(&text, without))
        .map_err(|_| Refusal::UpdateTime)?;
    let taipei = time::UtcOffset::from_hms(8, 0, 0).map_err(|_| Refusal::UpdateTime)?;
    Ok(local.assume_offset(taipei).to_offset(time::UtcOffset::UTC))
}

#[derive(sqlx::FromRow)]
struct UpdateRow {
    id: i64,
    state: String,
    body: String,
    happened_at: String,
    written_at: String,
    author: String,
}

fn backdated(happened_at: &str, written_at: &str) -> bool {
    let parse = |t: &str| OffsetDateTime::parse(t, &time::format_description::well_known::Rfc3339).ok();
    match (parse(happened_at), parse(written_at)) {
        (Some(happened), Some(written)) => written - happened > BACKDATED_AFTER,
        _ => false,
    }
}

/// The timeline of bulletin `id`, in the order things happened.
pub async fn timeline(db: &Db, id: i64) -> Result<Vec<IncidentUpdate>, StoreError> {
    let rows: Vec<UpdateRow> = sqlx::query_as(
        "SELECT id, state, body, happened_at, written_at, author FROM incident_updates
         WHERE bulletin_id = $1 ORDER BY happened_at, id",
    )
    .bind(id)
    .fetch_all(db)
    .await?;
    rows.into_iter()
        .map(|row| {
            let state = IncidentState::parse(&row.state).ok_or_else(|| {
                StoreError::invalid_row("incident_updates", row.id, format!("unknown state {:?}", row.state))
            })?;
            Ok(IncidentUpdate {
                backdated: backdated(&row.happened_at, &row.written_at),
                id: row.id,
                state,
                body: row.body,
                happened_at: row.happened_at,
                written_at: row.written_at,
                author: row.author,
            })
        })
        .collect()
}

/// Appends an update to incident `id` (`happened_at` None: now) and moves the incident to the
/// state of its latest update in time. Audited. Published incidents change for readers at
/// once: an update is news in an outage, so it does not wait for a second publisher.
pub async fn append(
    db: &Db,
    id: i64,
    state: IncidentState,
    body: &str,
    happened_at: Option<OffsetDateTime>,
    actor: Actor<'_>,
    now: OffsetDateTime,
) -> Result<i64, StoreError> {
    let body = body.trim();
    if body.is_empty() {
        return Err(Refusal::UpdateEmpty.into());
    }
    let chars = body.chars().count();
    if chars > MAX_UPDATE_CHARS {
        return Err(Refusal::UpdateTooLong(MAX_UPDATE_CHARS).into());
    }
    let happened_at = happened_at.unwrap_or(now);
    if happened_at > now + CLOCK_SLACK {
        return Err(Refusal::UpdateInFuture.into());
    }
    let (now_text, happened_text) = (stamp(now), stamp(happened_at.min(now)));
    let mut tx = audit::begin(db).await?;
    let category: Option<(String, Option<String>)> =
        sqlx::query_as("SELECT category, incident_state FROM bulletins WHERE id = $1")
            .bind(id)
            .fetch_optional(&mut *tx)
            .await?;
    let (category, before) = category.ok_or(Refusal::NoSuchBulletin)?;
    if category != BulletinCategory::Incident.code() {
        return Err(Refusal::NotAnIncident.into());
    }
    let (update,): (i64,) = sqlx::query_as(
        "INSERT INTO incident_updates (bulletin_id, state, body, happened_at, written_at, author)
         VALUES ($1, $2, $3, $4, $5, $6) RETURNING id",
    )
    .bind(id)
    .bind(state.code())
    .bind(body)
    .bind(&happened_text)
    .bind(&now_text)
    .bind(actor.login)
    .fetch_one(&mut *tx)
    .await?;
    sqlx::query(
        "UPDATE bulletins SET updated_at = $1, incident_state = (SELECT state FROM incident_updates
             WHERE bulletin_id = $2 ORDER BY happened_at DESC, id DESC LIMIT 1) WHERE id = $3",
    )
    .bind(&now_text)
    .bind(id)
    .bind(id)
    .execute(&mut *tx)
    .await?;
    let entry = NewEntry::new("incident_update")
        .by(actor.id, actor.login)
        .on(format!("bulletin:{id}"))
        .change(before.unwrap_or_default(), format!("{} at {happened_text}: {body}", state.code()))
        .from(actor.client);
    audit::append(&mut tx, &entry).await?;
    tx.commit().await?;
    Ok(update)
}

/// The open incidents, newest first: published, not resolved.
pub async fn open(db: impl crate::Executor<'_>) -> Result<Vec<OpenIncident>, StoreError> {
    #[allow(clippy::type_complexity)]
    let rows: Vec<(i64, String, String, Option<i64>, String, String, Option<String>, Option<String>)> = sqlx::query_as(
        "SELECT b.id, b.slug, b.language, b.translation_of, b.title, b.incident_state, u.happened_at, u.body
         FROM bulletins b
         LEFT JOIN incident_updates u ON u.id = (SELECT id FROM incident_updates WHERE bulletin_id = b.id
                                                 ORDER BY happened_at DESC, id DESC LIMIT 1)
         WHERE b.status = 'published' AND b.category = 'incident' AND b.incident_state <> 'resolved'
         ORDER BY b.publish_at DESC, b.id DESC LIMIT 20",
    )
    .fetch_all(db)
    .await?;
    rows.into_iter()
        .map(|(id, slug, language, translation_of, title, state, latest_at, latest)| {
            let bad = |what: &str| StoreError::invalid_row("bulletins", id, format!("unknown {what}"));
            Ok(OpenIncident {
                id,
                slug,
                language: Language::parse(&language).ok_or_else(|| bad("language"))?,
                translation_of,
                title,
                state: IncidentState::parse(&state).ok_or_else(|| bad("incident state"))?,
                latest_at,
                latest,
            })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_time_typed_in_taiwan_is_stored_in_utc() {
        let at = parse_taiwan_time("2025-11-18 19:20").unwrap();
        assert_eq!(stamp(at), "2025-11-18T11:20:00Z");
        assert_eq!(stamp(parse_taiwan_time("2025-11-18T01:06:30").unwrap()), "2025-11-17T17:06:30Z");
        for bad in ["", "19:20", "2025-13-01 10:00", "yesterday", "2025-11-18 25:00"] {
            assert_eq!(parse_taiwan_time(bad), Err(Refusal::UpdateTime), "{bad}");
        }
    }

    #[test]
    fn an_update_written_long_after_its_time_is_marked_as_written_after_the_fact() {
        assert!(backdated("2025-11-18T11:20:00Z", "2025-11-18T14:00:00Z"));
        assert!(!backdated("2025-11-18T11:20:00Z", "2025-11-18T11:25:00Z"));
    }
}
