//! Escalations: what agents send the security team to look at (a link's host, a phone
//! number, a LINE ID), with each agent's note. A subject already waiting in the queue is not
//! queued twice: a further escalation joins it and counts. An analyst accepts or rejects it;
//! the agents who sent it see its state change.

use crate::contact::SubjectKind;
use crate::{Db, StoreError};

/// Where an escalation stands.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Status {
    /// Waiting in the security team's triage queue.
    Queued,
    /// An analyst agreed it is a fake and is acting on it.
    Accepted,
    /// An analyst found nothing wrong (or not ours to act on).
    Rejected,
    /// The takedown data now lists it as taken down.
    TakenDown,
}

impl Status {
    pub fn code(self) -> &'static str {
        match self {
            Self::Queued => "queued",
            Self::Accepted => "accepted",
            Self::Rejected => "rejected",
            Self::TakenDown => "taken_down",
        }
    }

    pub fn parse(code: &str) -> Option<Self> {
        [Self::Queued, Self::Accepted, Self::Rejected, Self::TakenDown].into_iter().find(|s| s.code() == code)
    }
}

/// An escalation as the consoles show it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Escalation {
    pub id: i64,
    pub kind: SubjectKind,
    pub value: String,
    pub status: Status,
    pub verdict: String,
    /// How many times agents escalated it.
    pub requests: i64,
    /// The first agent's note.
    pub note: String,
    pub decided_by: Option<String>,
    pub decision_note: String,
    pub created_at: String,
    pub updated_at: String,
}

/// What escalating did.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Escalated {
    /// A new entry in the queue.
    Queued { id: i64 },
    /// Joined the entry already waiting; `requests` counts this one.
    Merged { id: i64, requests: i64 },
}

impl Escalated {
    pub fn id(self) -> i64 {
        match self {
            Self::Queued { id } | Self::Merged { id, .. } => id,
        }
    }
}

/// Escalates a subject with the agent's note, inside the caller's audited transaction.
#[allow(clippy::too_many_arguments)]
pub async fn escalate(
    conn: &mut sqlx::AnyConnection,
    kind: SubjectKind,
    value: &str,
    verdict: &str,
    agent_id: i64,
    note: &str,
    contact_id: Option<i64>,
    now: &str,
) -> Result<Escalated, StoreError> {
    let queued: Option<(i64,)> =
        sqlx::query_as("SELECT id FROM escalations WHERE kind = $1 AND value = $2 AND status = 'queued'")
            .bind(kind.code())
            .bind(value)
            .fetch_optional(&mut *conn)
            .await?;
    let escalated = match queued {
        Some((id,)) => {
            let (requests,): (i64,) = sqlx::query_as(
                "UPDATE escalations SET requests = requests + 1, updated_at = $2 WHERE id = $1 RETURNING requests",
            )
            .bind(id)
            .bind(now)
            .fetch_one(&mut *conn)
            .await?;
            Escalated::Merged { id, requests }
        }
        None => {
            let (id,): (i64,) = sqlx::query_as(
                "INSERT INTO escalations (kind, value, status, verdict, requests, created_at, updated_at)
                 VALUES ($1, $2, 'queued', $3, 1, $4, $4) RETURNING id",
            )
            .bind(kind.code())
            .bind(value)
            .bind(verdict)
            .bind(now)
            .fetch_one(&mut *conn)
            .await?;
            Escalated::Queued { id }
        }
    };
    sqlx::query(
        "INSERT INTO escalation_requests (escalation_id, agent_id, note, contact_id, created_at)
         VALUES ($1, $2, $3, $4, $5)",
    )
    .bind(escalated.id())
    .bind(agent_id)
    .bind(note)
    .bind(contact_id)
    .bind(now)
    .execute(&mut *conn)
    .await?;
    Ok(escalated)
}

/// Why a decision was not recorded.
#[derive(Clone, Copy, Debug, PartialEq, Eq, thiserror::Error)]
pub enum DecisionRefused {
    #[error("there is no such escalation")]
    NotFound,
    #[error("it was already decided ({0:?})")]
    AlreadyDecided(Status),
}

/// An analyst's decision on a queued escalation; only a queued one can be decided, so two
/// analysts deciding at once cannot both win. Returns the status before.
pub async fn decide(
    conn: &mut sqlx::AnyConnection,
    id: i64,
    to: Status,
    analyst_id: i64,
    note: &str,
    now: &str,
) -> Result<Result<(), DecisionRefused>, StoreError> {
    let done = sqlx::query(
        "UPDATE escalations SET status = $2, decided_by = $3, decision_note = $4, updated_at = $5
         WHERE id = $1 AND status = 'queued'",
    )
    .bind(id)
    .bind(to.code())
    .bind(analyst_id)
    .bind(note)
    .bind(now)
    .execute(&mut *conn)
    .await?;
    if done.rows_affected() == 1 {
        return Ok(Ok(()));
    }
    let status: Option<(String,)> = sqlx::query_as("SELECT status FROM escalations WHERE id = $1")
        .bind(id)
        .fetch_optional(&mut *conn)
        .await?;
    Ok(Err(match status.and_then(|(s,)| Status::parse(&s)) {
        Some(status) => DecisionRefused::AlreadyDecided(status),
        None => DecisionRefused::NotFound,
    }))
}

/// Marks as taken down every queued or accepted escalation of a host the takedown data now
/// lists as taken down (by the host itself); returns the ids it changed. Every instance may
/// run it after a data change: a second run finds nothing left to change.
pub async fn follow_takedowns(db: &Db, now: &str) -> Result<Vec<i64>, StoreError> {
    let rows: Vec<(i64,)> = sqlx::query_as(
        "UPDATE escalations SET status = 'taken_down', updated_at = $1
         WHERE kind = 'host' AND status IN ('queued', 'accepted')
           AND value IN (SELECT host FROM takedown_entries WHERE status = 'taken_down' AND removed_in IS NULL)
         RETURNING id",
    )
    .bind(now)
    .fetch_all(db)
    .await?;
    Ok(rows.into_iter().map(|(id,)| id).collect())
}

type EscalationRow =
    (i64, String, String, String, String, i64, Option<String>, String, String, String, Option<String>);

const ESCALATION_QUERY: &str = "SELECT e.id, e.kind, e.value, e.status, e.verdict, e.requests, d.login, \
     e.decision_note, e.created_at, e.updated_at, \
     (SELECT r.note FROM escalation_requests r WHERE r.escalation_id = e.id ORDER BY r.created_at LIMIT 1) \
     FROM escalations e LEFT JOIN staff_users d ON d.id = e.decided_by";

fn escalation_from(row: EscalationRow) -> Result<Escalation, StoreError> {
    let (id, kind, value, status, verdict, requests, decided_by, decision_note, created_at, updated_at, note) =
        row;
    let kind = SubjectKind::parse(&kind)
        .ok_or_else(|| StoreError::invalid_row("escalations", id, format!("unknown kind {kind:?}")))?;
    let status = Status::parse(&status)
        .ok_or_else(|| StoreError::invalid_row("escalations", id, format!("unknown status {status:?}")))?;
    Ok(Escalation {
        id,
        kind,
        value,
        status,
        verdict,
        requests,
        note: note.unwrap_or_default(),
        decided_by,
        decision_note,
        created_at,
        updated_at,
    })
}

/// The escalations an agent sent (each once), most recently changed first.
pub async fn sent_by(db: &Db, agent_id: i64, limit: i64) -> Result<Vec<Escalation>, StoreError> {
    let rows: Vec<EscalationRow> = sqlx::query_as(&format!(
        "{ESCALATION_QUERY} WHERE e.id IN (SELECT escalation_id FROM escalation_requests WHERE agent_id = $1)
         ORDER BY e.updated_at DESC, e.id DESC LIMIT $2"
    ))
    .bind(agent_id)
    .bind(limit)
    .fetch_all(db)
    .await?;
    rows.into_iter().map(escalation_from).collect()
}

/// The triage queue: queued escalations, most requested first, then oldest first.
pub async fn queue(db: &Db, limit: i64) -> Result<Vec<Escalation>, StoreError> {
    let rows: Vec<EscalationRow> = sqlx::query_as(&format!(
        "{ESCALATION_QUERY} WHERE e.status = 'queued' ORDER BY e.requests DESC, e.created_at, e.id LIMIT $1"
    ))
    .bind(limit)
    .fetch_all(db)
    .await?;
    rows.into_iter().map(escalation_from).collect()
}

/// One escalation.
pub async fn get(db: &Db, id: i64) -> Result<Option<Escalation>, StoreError> {
    let row: Option<EscalationRow> =
        sqlx::query_as(&format!("{ESCALATION_QUERY} WHERE e.id = $1")).bind(id).fetch_optional(db).await?;
    row.map(escalation_from).transpose()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::staff::{create_user, Role};
    use crate::testing::fresh_db;

    const NOW: &str = "2026-12-01T10:00:00Z";

    #[tokio::test]
    async fn escalating_a_queued_host_again_merges_and_counts() {
        let (_dir, db) = fresh_db().await.expect("test database");
        let mut conn = db.acquire().await.unwrap();
        let mei = create_user(&mut conn, "mei", "Mei", "h", &[Role::Agent], NOW).await.unwrap();
        let kai = create_user(&mut conn, "kai", "Kai", "h", &[Role::Agent], NOW).await.unwrap();
        let first =
            escalate(&mut conn, SubjectKind::Host, "kgi-app.top", "suspicious", mei, "SMS", None, NOW)
                .await
                .unwrap();
        let second =
            escalate(&mut conn, SubjectKind::Host, "kgi-app.top", "suspicious", kai, "LINE", None, NOW)
                .await
                .unwrap();
        let other = escalate(&mut conn, SubjectKind::Phone, "+886912345678", "unknown", kai, "", None, NOW)
            .await
            .unwrap();
        drop(conn);
        assert!(matches!(first, Escalated::Queued { .. }));
        assert_eq!(second, Escalated::Merged { id: first.id(), requests: 2 });
        let queue = queue(&db, 10).await.unwrap();
        assert_eq!(
            queue.iter().map(|e| e.id).collect::<Vec<_>>(),
            vec![first.id(), other.id()],
            "most requested first"
        );
        assert_eq!(queue[0].note, "SMS", "the first agent's note");
        assert_eq!(sent_by(&db, kai, 10).await.unwrap().len(), 2);
        assert_eq!(sent_by(&db, mei, 10).await.unwrap().len(), 1);
    }

    #[tokio::test]
    async fn only_a_queued_escalation_can_be_decided_and_then_it_may_be_escalated_afresh() {
        let (_dir, db) = fresh_db().await.expect("test database");
        let mut conn = db.acquire().await.unwrap();
        let mei = create_user(&mut conn, "mei", "Mei", "h", &[Role::Agent], NOW).await.unwrap();
        let ana = create_user(&mut conn, "ana", "Ana", "h", &[Role::Analyst], NOW).await.unwrap();
        let id =
            escalate(&mut conn, SubjectKind::Host, "kgi-app.top", "", mei, "", None, NOW).await.unwrap().id();
        assert_eq!(decide(&mut conn, id, Status::Accepted, ana, "fake", NOW).await.unwrap(), Ok(()));
        assert_eq!(
            decide(&mut conn, id, Status::Rejected, ana, "", NOW).await.unwrap(),
            Err(DecisionRefused::AlreadyDecided(Status::Accepted))
        );
        assert_eq!(
            decide(&mut conn, 999, Status::Rejected, ana, "", NOW).await.unwrap(),
            Err(DecisionRefused::NotFound)
        );
        let again =
            escalate(&mut conn, SubjectKind::Host, "kgi-app.top", "", mei, "", None, NOW).await.unwrap();
        assert!(matches!(again, Escalated::Queued { .. }) && again.id() != id);
        let accepted = get(&db, id).await.unwrap().unwrap();
        assert_eq!((accepted.status, accepted.decided_by.as_deref()), (Status::Accepted, Some("ana")));
    }
}

#[cfg(test)]
mod takedown_tests {
    use super::*;
    use crate::staff::{create_user, Role};
    use crate::testing::demo_db;

    #[tokio::test]
    async fn an_escalated_host_the_takedown_data_lists_as_taken_down_follows_once() {
        let (_dir, db) = demo_db().await.expect("test database");
        let mut conn = db.acquire().await.unwrap();
        let mei =
            create_user(&mut conn, "mei", "Mei", "h", &[Role::Agent], "2026-12-01T00:00:00Z").await.unwrap();
        let host = "kkpp.kgi357.com";
        let id = escalate(&mut conn, SubjectKind::Host, host, "fraud", mei, "", None, "2026-12-01T00:00:00Z")
            .await
            .unwrap()
            .id();
        drop(conn);
        assert!(
            follow_takedowns(&db, "2026-12-01T01:00:00Z").await.unwrap().is_empty(),
            "not taken down yet"
        );
        sqlx::query("UPDATE takedown_entries SET status = 'taken_down' WHERE host = $1")
            .bind(host)
            .execute(&db)
            .await
            .unwrap();
        assert_eq!(follow_takedowns(&db, "2026-12-01T02:00:00Z").await.unwrap(), vec![id]);
        assert!(follow_takedowns(&db, "2026-12-01T03:00:00Z").await.unwrap().is_empty(), "once");
        assert_eq!(get(&db, id).await.unwrap().unwrap().status, Status::TakenDown);
    }
}
