//! The audit log: who did what to which object, before and after, when and from where.
//! Append-only (the database refuses updates and deletes) and tamper-evident: each entry's
//! hash covers the previous entry's hash and every field, so a row edited, inserted or
//! removed by someone who got past the database's refusal breaks the chain, and
//! [`verify`] names the first entry where it breaks. Entries are appended under one lock,
//! so the entries of several instances form one chain.
//!
//! Never written here: passwords, codes, session tokens.

use sha2::{Digest, Sha256};

use crate::lock::{lock, Locked};
use crate::{now_rfc3339, Db, StoreError};

/// The lock every staff change holds while it writes and appends its entry.
pub const AUDIT_LOCK: &str = "audit";

/// The `prev_hash` of the first entry.
pub const GENESIS: &str = "0000000000000000000000000000000000000000000000000000000000000000";

/// Who makes a change: a staff user (with the address they came from), or the command line
/// or the system itself.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Actor<'a> {
    pub id: Option<i64>,
    /// The login name, or `cli` / `system`.
    pub login: &'a str,
    /// The client address ('' off the web).
    pub client: &'a str,
}

impl Actor<'static> {
    /// Someone at the command line on the server.
    pub fn cli() -> Self {
        Self { id: None, login: "cli", client: "" }
    }

    /// The site itself (a scheduled job, a baseline).
    pub fn system() -> Self {
        Self { id: None, login: "system", client: "" }
    }
}

/// An entry to append.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct NewEntry {
    /// The staff user who acted; none for a stranger (a failed sign-in under an unknown name).
    pub actor_id: Option<i64>,
    /// Their login name at the time (or the name a stranger typed).
    pub actor: String,
    /// What was done: `sign_in`, `sign_in_failed`, `user_create`, `escalate`, …
    pub action: String,
    /// Which object: `user:12`, `escalation:3`, a host.
    pub object: String,
    pub before: String,
    pub after: String,
    /// The client address.
    pub client: String,
}

impl NewEntry {
    pub fn new(action: &str) -> Self {
        Self { action: action.to_owned(), ..Self::default() }
    }
    pub fn by(mut self, actor_id: Option<i64>, actor: &str) -> Self {
        self.actor_id = actor_id;
        self.actor = actor.to_owned();
        self
    }
    pub fn on(mut self, object: impl Into<String>) -> Self {
        self.object = object.into();
        self
    }
    pub fn change(mut self, before: impl Into<String>, after: impl Into<String>) -> Self {
        self.before = before.into();
        self.after = after.into();
        self
    }
    pub fn from(mut self, client: &str) -> Self {
        self.client = client.to_owned();
        self
    }
}

/// A stored entry.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Entry {
    pub id: i64,
    pub at: String,
    pub actor_id: Option<i64>,
    pub actor: String,
    pub action: String,
    pub object: String,
    pub before: String,
    pub after: String,
    pub client: String,
    pub prev_hash: String,
    pub hash: String,
}

impl Entry {
    /// The hash this entry should carry, from its fields and the previous entry's hash.
    pub fn expected_hash(&self) -> String {
        hash_of(
            &self.prev_hash,
            &self.at,
            self.actor_id,
            &self.actor,
            &self.action,
            &self.object,
            &self.before,
            &self.after,
            &self.client,
        )
    }
}

/// SHA-256 over the previous hash and every field, each length-prefixed so that no two
/// different entries give the same input.
#[allow(clippy::too_many_arguments)]
fn hash_of(
    prev: &str,
    at: &str,
    actor_id: Option<i64>,
    actor: &str,
    action: &str,
    object: &str,
    before: &str,
    after: &str,
    client: &str,
) -> String {
    let mut hasher = Sha256::new();
    let actor_id = actor_id.map(|id| id.to_string()).unwrap_or_default();
    for field in [prev, at, actor_id.as_str(), actor, action, object, before, after, client] {
        hasher.update((field.len() as u64).to_be_bytes());
        hasher.update(field.as_bytes());
    }
    hex(&hasher.finalize())
}

/// Lower-case hexadecimal.
pub fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// Appends `entry` inside `tx`, which holds [`AUDIT_LOCK`] (see [`begin`]): the change and
/// its entry are written together or not at all.
pub async fn append(tx: &mut Locked, entry: &NewEntry) -> Result<i64, StoreError> {
    let at = now_rfc3339();
    let prev: Option<(String,)> = sqlx::query_as("SELECT hash FROM audit_log ORDER BY id DESC LIMIT 1")
        .fetch_optional(&mut **tx)
        .await?;
    let prev = prev.map_or_else(|| GENESIS.to_owned(), |(h,)| h);
    let hash = hash_of(
        &prev,
        &at,
        entry.actor_id,
        &entry.actor,
        &entry.action,
        &entry.object,
        &entry.before,
        &entry.after,
        &entry.client,
    );
    let (id,): (i64,) = sqlx::query_as(
        "INSERT INTO audit_log (at, actor_id, actor, action, object, before, after, client, prev_hash, hash)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) RETURNING id",
    )
    .bind(&at)
    .bind(entry.actor_id)
    .bind(&entry.actor)
    .bind(&entry.action)
    .bind(&entry.object)
    .bind(&entry.before)
    .bind(&entry.after)
    .bind(&entry.client)
    .bind(&prev)
    .bind(&hash)
    .fetch_one(&mut **tx)
    .await?;
    Ok(id)
}

/// Begins a staff change: a transaction holding the audit lock.
pub async fn begin(db: &Db) -> Result<Locked, StoreError> {
    lock(db, AUDIT_LOCK).await
}

/// Appends an entry on its own (an event with no other write, such as a failed sign-in).
pub async fn record(db: &Db, entry: &NewEntry) -> Result<(), StoreError> {
    let mut tx = begin(db).await?;
    append(&mut tx, entry).await?;
    tx.commit().await?;
    Ok(())
}

/// What [`verify`] found.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Verdict {
    /// Every entry's hash matches; `last_hash` is worth keeping elsewhere, since entries
    /// removed from the end leave no gap a later check could see.
    Intact { entries: i64, last_hash: String },
    /// The first entry whose chain does not hold, and why.
    Broken { id: i64, problem: String },
}

/// Recomputes the chain from the first entry.
pub async fn verify(db: &Db) -> Result<Verdict, StoreError> {
    let mut expected_prev = GENESIS.to_owned();
    let mut entries = 0;
    let mut after_id = 0_i64;
    loop {
        let page = entries_after(db, after_id, 1000).await?;
        if page.is_empty() {
            return Ok(Verdict::Intact { entries, last_hash: expected_prev });
        }
        for entry in page {
            if entry.prev_hash != expected_prev {
                return Ok(Verdict::Broken {
                    id: entry.id,
                    problem: "it does not follow the entry before it (an entry was removed or inserted)"
                        .to_owned(),
                });
            }
            if entry.expected_hash() != entry.hash {
                return Ok(Verdict::Broken {
                    id: entry.id,
                    problem: "its contents were changed after it was written".to_owned(),
                });
            }
            expected_prev = entry.hash.clone();
            entries += 1;
            after_id = entry.id;
        }
    }
}

type EntryRow = (i64, String, Option<i64>, String, String, String, String, String, String, String, String);

const ENTRY_COLUMNS: &str = "id, at, actor_id, actor, action, object, before, after, client, prev_hash, hash";

fn entry_from(row: EntryRow) -> Entry {
    let (id, at, actor_id, actor, action, object, before, after, client, prev_hash, hash) = row;
    Entry { id, at, actor_id, actor, action, object, before, after, client, prev_hash, hash }
}

async fn entries_after(db: &Db, after_id: i64, limit: i64) -> Result<Vec<Entry>, StoreError> {
    let rows: Vec<EntryRow> =
        sqlx::query_as(&format!("SELECT {ENTRY_COLUMNS} FROM audit_log WHERE id > $1 ORDER BY id LIMIT $2"))
            .bind(after_id)
            .bind(limit)
            .fetch_all(db)
            .await?;
    Ok(rows.into_iter().map(entry_from).collect())
}

/// What an admin filters the log by; empty fields match everything.
#[derive(Clone, Debug, Default)]
pub struct Filter {
    pub actor: String,
    pub action: String,
    pub object: String,
}

/// The newest entries matching `filter`, newest first.
pub async fn search(db: &Db, filter: &Filter, limit: i64) -> Result<Vec<Entry>, StoreError> {
    let rows: Vec<EntryRow> = sqlx::query_as(&format!(
        "SELECT {ENTRY_COLUMNS} FROM audit_log
         WHERE ($1 = '' OR actor = $1) AND ($2 = '' OR action = $2) AND ($3 = '' OR object = $3)
         ORDER BY id DESC LIMIT $4"
    ))
    .bind(filter.actor.trim())
    .bind(filter.action.trim())
    .bind(filter.object.trim())
    .bind(limit)
    .fetch_all(db)
    .await?;
    Ok(rows.into_iter().map(entry_from).collect())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::fresh_db;

    async fn three_entries(db: &Db) {
        for (i, action) in ["sign_in", "user_create", "sign_out"].into_iter().enumerate() {
            let entry = NewEntry::new(action)
                .by(Some(1), "mei")
                .on(format!("user:{i}"))
                .change("", r#"{"roles":["agent"]}"#)
                .from("192.0.2.1");
            record(db, &entry).await.unwrap();
        }
    }

    #[tokio::test]
    async fn an_untouched_log_verifies_and_each_entry_follows_the_one_before() {
        let (_dir, db) = fresh_db().await.expect("test database");
        assert_eq!(verify(&db).await.unwrap(), Verdict::Intact { entries: 0, last_hash: GENESIS.to_owned() });
        three_entries(&db).await;
        let Verdict::Intact { entries, last_hash } = verify(&db).await.unwrap() else { panic!("broken") };
        assert_eq!(entries, 3);
        let newest = search(&db, &Filter::default(), 10).await.unwrap();
        assert_eq!(newest[0].hash, last_hash);
        assert_eq!(newest[0].prev_hash, newest[1].hash);
        assert_eq!(newest[2].prev_hash, GENESIS);
    }

    #[tokio::test]
    async fn the_database_refuses_to_change_or_remove_an_entry() {
        let (_dir, db) = fresh_db().await.expect("test database");
        three_entries(&db).await;
        assert!(sqlx::query("UPDATE audit_log SET actor = 'kai'").execute(&db).await.is_err());
        assert!(sqlx::query("DELETE FROM audit_log").execute(&db).await.is_err());
        assert!(matches!(verify(&db).await.unwrap(), Verdict::Intact { entries: 3, .. }));
    }

    /// Someone with the database's keys gets past the refusal: the chain still tells.
    async fn without_the_guard(db: &Db, statement: &str) {
        let drop = match crate::db::Backend::of(db) {
            crate::db::Backend::Sqlite => {
                vec!["DROP TRIGGER audit_log_no_update", "DROP TRIGGER audit_log_no_delete"]
            }
            crate::db::Backend::Postgres => vec!["DROP TRIGGER audit_log_no_change ON audit_log"],
        };
        for d in drop {
            sqlx::query(d).execute(db).await.unwrap();
        }
        sqlx::query(statement).execute(db).await.unwrap();
    }

    #[tokio::test]
    async fn an_edited_entry_is_named_as_the_first_broken_one() {
        let (_dir, db) = fresh_db().await.expect("test database");
        three_entries(&db).await;
        let second = search(&db, &Filter::default(), 10).await.unwrap()[1].id;
        without_the_guard(&db, &format!("UPDATE audit_log SET actor = 'kai' WHERE id = {second}")).await;
        let Verdict::Broken { id, problem } = verify(&db).await.unwrap() else { panic!("not found") };
        assert_eq!(id, second);
        assert!(problem.contains("changed"), "{problem}");
    }

    #[tokio::test]
    async fn a_removed_entry_breaks_the_chain_at_the_one_after_it() {
        let (_dir, db) = fresh_db().await.expect("test database");
        three_entries(&db).await;
        let ids: Vec<i64> = search(&db, &Filter::default(), 10).await.unwrap().iter().map(|e| e.id).collect();
        without_the_guard(&db, &format!("DELETE FROM audit_log WHERE id = {}", ids[1])).await;
        let Verdict::Broken { id, problem } = verify(&db).await.unwrap() else { panic!("not found") };
        assert_eq!(id, ids[0], "the newest entry no longer follows the one before it");
        assert!(problem.contains("removed"), "{problem}");
    }

    #[tokio::test]
    async fn the_log_is_filtered_by_actor_action_and_object() {
        let (_dir, db) = fresh_db().await.expect("test database");
        three_entries(&db).await;
        let filter = Filter { action: "user_create".into(), ..Filter::default() };
        let found = search(&db, &filter, 10).await.unwrap();
        assert_eq!(found.len(), 1);
        assert_eq!(found[0].object, "user:1");
        let nobody = Filter { actor: "kai".into(), ..Filter::default() };
        assert!(search(&db, &nobody, 10).await.unwrap().is_empty());
    }
}
