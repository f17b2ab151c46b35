//! The agents' contact log: each customer contact an agent records, with what the check
//! found in the pasted text. The pasted text itself is kept for the retention period only
//! (a job purges it); the links, numbers and LINE IDs found in it stay, so past contacts can
//! still be found by domain, phone number or LINE ID.

use crate::{Db, Executor, StoreError};

/// How the customer reached us.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ContactChannel {
    Phone,
    Branch,
    Chat,
    Email,
}

impl ContactChannel {
    pub const ALL: [Self; 4] = [Self::Phone, Self::Branch, Self::Chat, Self::Email];

    pub fn code(self) -> &'static str {
        match self {
            Self::Phone => "phone",
            Self::Branch => "branch",
            Self::Chat => "chat",
            Self::Email => "email",
        }
    }

    pub fn parse(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|c| c.code() == code.trim())
    }
}

/// What a contact is about: a link's host, a phone number or a LINE ID.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum SubjectKind {
    Host,
    Phone,
    LineId,
}

impl SubjectKind {
    pub fn code(self) -> &'static str {
        match self {
            Self::Host => "host",
            Self::Phone => "phone",
            Self::LineId => "line_id",
        }
    }

    pub fn parse(code: &str) -> Option<Self> {
        [Self::Host, Self::Phone, Self::LineId].into_iter().find(|k| k.code() == code)
    }
}

/// One thing found in a contact's text.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Subject {
    pub kind: SubjectKind,
    /// The canonical value: a lower-case host, a phone number in E.164, a LINE ID.
    pub value: String,
    /// The registrable domain of a host; empty for the others.
    pub domain: String,
}

/// A contact to record, validated by the caller.
#[derive(Clone, Debug)]
pub struct NewContact {
    pub agent_id: i64,
    pub channel: ContactChannel,
    pub customer_ref: String,
    pub summary: String,
    pub pasted_text: Option<String>,
    pub verdict: String,
    pub subjects: Vec<Subject>,
}

/// A recorded contact.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Contact {
    pub id: i64,
    pub agent: String,
    pub channel: ContactChannel,
    pub customer_ref: String,
    pub summary: String,
    /// None once purged (or when nothing was pasted).
    pub pasted_text: Option<String>,
    pub verdict: String,
    pub created_at: String,
    pub purged_at: Option<String>,
    pub subjects: Vec<Subject>,
}

/// Records a contact and its subjects inside `conn` (the caller's audited transaction).
pub async fn record(
    conn: &mut sqlx::AnyConnection,
    contact: &NewContact,
    now: &str,
) -> Result<i64, StoreError> {
    let (id,): (i64,) = sqlx::query_as(
        "INSERT INTO contacts (agent_id, channel, customer_ref, summary, pasted_text, verdict, created_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id",
    )
    .bind(contact.agent_id)
    .bind(contact.channel.code())
    .bind(&contact.customer_ref)
    .bind(&contact.summary)
    .bind(contact.pasted_text.as_deref())
    .bind(&contact.verdict)
    .bind(now)
    .fetch_one(&mut *conn)
    .await?;
    for subject in &contact.subjects {
        sqlx::query(
            "INSERT INTO contact_subjects (contact_id, kind, value, domain) VALUES ($1, $2, $3, $4)
             ON CONFLICT DO NOTHING",
        )
        .bind(id)
        .bind(subject.kind.code())
        .bind(&subject.value)
        .bind(&subject.domain)
        .execute(&mut *conn)
        .await?;
    }
    Ok(id)
}

type ContactRow = (i64, String, String, String, String, Option<String>, String, String, Option<String>);

const CONTACT_QUERY: &str =
    "SELECT c.id, u.login, c.channel, c.customer_ref, c.summary, c.pasted_text, c.verdict, \
     c.created_at, c.purged_at FROM contacts c JOIN staff_users u ON u.id = c.agent_id";

/// Contacts about `term`: a host or registrable domain (its subdomains included), a phone
/// number or a LINE ID, exactly as canonicalised by the caller; newest first.
pub async fn search(db: &Db, term: &str, limit: i64) -> Result<Vec<Contact>, StoreError> {
    let rows: Vec<ContactRow> = sqlx::query_as(&format!(
        "{CONTACT_QUERY} WHERE c.id IN (SELECT contact_id FROM contact_subjects WHERE value = $1 OR domain = $1)
         ORDER BY c.id DESC LIMIT $2"
    ))
    .bind(term)
    .bind(limit)
    .fetch_all(db)
    .await?;
    contacts_from(db, rows).await
}

/// The newest contacts an agent recorded.
pub async fn recent_by(db: &Db, agent_id: i64, limit: i64) -> Result<Vec<Contact>, StoreError> {
    let rows: Vec<ContactRow> =
        sqlx::query_as(&format!("{CONTACT_QUERY} WHERE c.agent_id = $1 ORDER BY c.id DESC LIMIT $2"))
            .bind(agent_id)
            .bind(limit)
            .fetch_all(db)
            .await?;
    contacts_from(db, rows).await
}

/// One contact, if `agent_id` recorded it: an agent's console reopens only their own.
pub async fn recorded_by(db: &Db, id: i64, agent_id: i64) -> Result<Option<Contact>, StoreError> {
    let rows: Vec<ContactRow> =
        sqlx::query_as(&format!("{CONTACT_QUERY} WHERE c.id = $1 AND c.agent_id = $2"))
            .bind(id)
            .bind(agent_id)
            .fetch_all(db)
            .await?;
    Ok(contacts_from(db, rows).await?.pop())
}

async fn contacts_from(db: &Db, rows: Vec<ContactRow>) -> Result<Vec<Contact>, StoreError> {
    let mut contacts = Vec::with_capacity(rows.len());
    for (id, agent, channel, customer_ref, summary, pasted_text, verdict, created_at, purged_at) in rows {
        let channel = ContactChannel::parse(&channel)
            .ok_or_else(|| StoreError::invalid_row("contacts", id, format!("unknown channel {channel:?}")))?;
        let subjects: Vec<(String, String, String)> = sqlx::query_as(
            "SELECT kind, value, domain FROM contact_subjects WHERE contact_id = $1 ORDER BY kind, value",
        )
        .bind(id)
        .fetch_all(db)
        .await?;
        let subjects = subjects
            .into_iter()
            .filter_map(|(kind, value, domain)| {
                Some(Subject { kind: SubjectKind::parse(&kind)?, value, domain })
            })
            .collect();
        contacts.push(Contact {
            id,
            agent,
            channel,
            customer_ref,
            summary,
            pasted_text,
            verdict,
            created_at,
            purged_at,
            subjects,
        });
    }
    Ok(contacts)
}

/// Removes the pasted text of every contact recorded before `before` (the retention
/// period's start); returns how many were purged. What was found in them stays.
pub async fn purge_pasted_before<'c>(
    conn: impl Executor<'c>,
    before: &str,
    now: &str,
) -> Result<u64, StoreError> {
    let done = sqlx::query(
        "UPDATE contacts SET pasted_text = NULL, purged_at = $2 WHERE created_at < $1 AND pasted_text IS NOT NULL",
    )
    .bind(before)
    .bind(now)
    .execute(conn)
    .await?;
    Ok(done.rows_affected())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::staff::{create_user, Role};
    use crate::testing::fresh_db;

    fn contact(agent_id: i64, host: &str, domain: &str) -> NewContact {
        NewContact {
            agent_id,
            channel: ContactChannel::Phone,
            customer_ref: "C-1".into(),
            summary: "Customer asked about an SMS".into(),
            pasted_text: Some(format!("【凱基證券】請至 https://{host}/ 更新資料")),
            verdict: "fraud".into(),
            subjects: vec![Subject { kind: SubjectKind::Host, value: host.into(), domain: domain.into() }],
        }
    }

    #[tokio::test]
    async fn a_contact_is_found_by_its_host_and_by_the_domain_of_its_subdomain() {
        let (_dir, db) = fresh_db().await.expect("test database");
        let mut conn = db.acquire().await.unwrap();
        let agent =
            create_user(&mut conn, "mei", "Mei", "h", &[Role::Agent], "2026-12-01T00:00:00Z").await.unwrap();
        record(&mut conn, &contact(agent, "a006.kgi588.com", "kgi588.com"), "2026-12-01T01:00:00Z")
            .await
            .unwrap();
        record(&mut conn, &contact(agent, "other.example", "other.example"), "2026-12-01T02:00:00Z")
            .await
            .unwrap();
        drop(conn);
        assert_eq!(search(&db, "a006.kgi588.com", 10).await.unwrap().len(), 1);
        let by_domain = search(&db, "kgi588.com", 10).await.unwrap();
        assert_eq!(by_domain.len(), 1);
        assert_eq!(by_domain[0].agent, "mei");
        assert_eq!(by_domain[0].subjects[0].value, "a006.kgi588.com");
        assert!(search(&db, "kgi", 10).await.unwrap().is_empty(), "whole values only");
    }

    #[tokio::test]
    async fn purging_removes_old_pasted_texts_and_keeps_what_was_found_in_them() {
        let (_dir, db) = fresh_db().await.expect("test database");
        let mut conn = db.acquire().await.unwrap();
        let agent =
            create_user(&mut conn, "mei", "Mei", "h", &[Role::Agent], "2026-01-01T00:00:00Z").await.unwrap();
        record(&mut conn, &contact(agent, "old.example", "old.example"), "2026-08-01T00:00:00Z")
            .await
            .unwrap();
        record(&mut conn, &contact(agent, "new.example", "new.example"), "2026-11-30T00:00:00Z")
            .await
            .unwrap();
        let purged =
            purge_pasted_before(&mut *conn, "2026-09-02T00:00:00Z", "2026-12-01T00:00:00Z").await.unwrap();
        drop(conn);
        assert_eq!(purged, 1);
        let old = &search(&db, "old.example", 1).await.unwrap()[0];
        assert_eq!(
            (old.pasted_text.as_deref(), old.purged_at.as_deref()),
            (None, Some("2026-12-01T00:00:00Z"))
        );
        assert_eq!(old.summary, "Customer asked about an SMS", "the agent's summary stays");
        let new = &search(&db, "new.example", 1).await.unwrap()[0];
        assert!(new.pasted_text.is_some(), "inside the retention period");
    }

    #[tokio::test]
    async fn a_contact_is_read_back_only_by_the_agent_who_recorded_it() {
        let (_dir, db) = fresh_db().await.expect("test database");
        let mut conn = db.acquire().await.unwrap();
        let mei =
            create_user(&mut conn, "mei", "Mei", "h", &[Role::Agent], "2026-12-01T00:00:00Z").await.unwrap();
        let lin =
            create_user(&mut conn, "lin", "Lin", "h", &[Role::Agent], "2026-12-01T00:00:00Z").await.unwrap();
        let id = record(&mut conn, &contact(mei, "a006.kgi588.com", "kgi588.com"), "2026-12-01T01:00:00Z")
            .await
            .unwrap();
        drop(conn);
        let own = recorded_by(&db, id, mei).await.unwrap().expect("her own contact");
        assert!(own.pasted_text.is_some_and(|t| t.contains("a006.kgi588.com")));
        assert!(recorded_by(&db, id, lin).await.unwrap().is_none(), "another agent's contact");
        assert!(recorded_by(&db, id + 1, mei).await.unwrap().is_none(), "no such contact");
    }
}
