//! The official list's two-person rule: a member of the security team proposes an addition,
//! a change of labels or a removal, with a reason; another one (an analyst or an admin, never
//! the proposer) approves or rejects it; the proposer may withdraw it while it waits. Every
//! rule is enforced here, inside the transaction that writes, so no page or crafted request
//! gets around it. An approval applies the change, proves that the engine still builds its
//! index from the result, bumps the data version (every instance reloads) and appends its
//! audit entries: all of it or none.
//!
//! Nothing that checks or shows the list reads proposals: the engine's index and the public
//! pages read `official_entries` and `brand_keywords` alone, which only an approval writes.

use std::collections::HashSet;

use serde::{Deserialize, Serialize};

use crate::audit::{self, Actor, NewEntry};
use crate::lock::{self, Locked};
use crate::official::{normalize_value, ListKind, OfficialKind, ValueProblem};
use crate::staff::Role;
use crate::{Db, StoreError};

/// What a proposal does to the list.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Action {
    Add,
    /// New labels for an entry (its value stays: a new value is a removal and an addition).
    Change,
    Remove,
}

impl Action {
    pub const ALL: [Self; 3] = [Self::Add, Self::Change, Self::Remove];

    pub fn code(self) -> &'static str {
        match self {
            Self::Add => "add",
            Self::Change => "change",
            Self::Remove => "remove",
        }
    }

    pub fn parse(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|a| a.code() == code)
    }
}

/// Where a proposal stands. Only a pending one can be decided or withdrawn.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum State {
    Pending,
    Approved,
    Rejected,
    Withdrawn,
}

impl State {
    pub const ALL: [Self; 4] = [Self::Pending, Self::Approved, Self::Rejected, Self::Withdrawn];

    pub fn code(self) -> &'static str {
        match self {
            Self::Pending => "pending",
            Self::Approved => "approved",
            Self::Rejected => "rejected",
            Self::Withdrawn => "withdrawn",
        }
    }

    pub fn parse(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|s| s.code() == code)
    }
}

/// An entry as it stands on the list (or would stand): one side of a proposal's diff, kept
/// as JSON in the proposal and the audit log.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Image {
    pub kind: String,
    pub value: String,
    #[serde(default)]
    pub label_zh: String,
    #[serde(default)]
    pub label_en: String,
}

impl Image {
    fn json(&self) -> String {
        serde_json::to_string(self).unwrap_or_default()
    }
}

/// A proposal as the console shows it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Proposal {
    pub id: i64,
    pub action: Action,
    pub kind: ListKind,
    /// As the list would store it (normalised).
    pub value: String,
    pub label_zh: String,
    pub label_en: String,
    /// The official entry changed or removed (none for an addition or a keyword).
    pub entry_id: Option<i64>,
    /// The entry as it was when proposed (none for an addition).
    pub before: Option<Image>,
    pub reason: String,
    pub proposed_by: i64,
    pub proposer: String,
    pub proposed_at: String,
    pub state: State,
    /// Who approved or rejected it (the proposer, for a withdrawal).
    pub decider: Option<String>,
    pub decided_at: Option<String>,
    pub decision_note: String,
}

impl Proposal {
    /// The entry as an approval would leave it: none for a removal.
    pub fn after(&self) -> Option<Image> {
        (self.action != Action::Remove).then(|| Image {
            kind: self.kind.code().to_owned(),
            value: self.value.clone(),
            label_zh: self.label_zh.clone(),
            label_en: self.label_en.clone(),
        })
    }
}

/// A proposal as a form gives it, before it is checked. The value may be written as people
/// write it (`02-2345-6789`, `@KGI_Official`); labels are ignored for a removal or a keyword.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NewProposal {
    pub action: Action,
    pub kind: ListKind,
    pub value: String,
    pub label_zh: String,
    pub label_en: String,
    pub reason: String,
}

pub const MAX_LABEL_CHARS: usize = 200;
pub const MAX_REASON_CHARS: usize = 1000;
pub const MAX_NOTE_CHARS: usize = 1000;

/// Why a proposal, a decision or a withdrawal was refused, in words for the person who asked.
/// Nothing was written.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum Refusal {
    #[error(transparent)]
    Value(#[from] ValueProblem),
    #[error(
        "{value:?} is listed as a fake in the takedown data (entry {entry_id}, {scope} {target:?}): \
         correct that entry first"
    )]
    ListedAsFake { value: String, entry_id: i64, scope: &'static str, target: String },
    #[error("give the label in both languages, at most 200 characters each")]
    Labels,
    #[error("say why, in at most 1,000 characters")]
    Reason,
    #[error("a note is at most 1,000 characters")]
    NoteTooLong,
    #[error("{0:?} is already on the list")]
    AlreadyListed(String),
    #[error("{0:?} is not on the list")]
    NotListed(String),
    #[error("those are the labels it already has")]
    NoChange,
    #[error("a brand keyword has no labels to change")]
    KeywordHasNoLabels,
    #[error("proposal {id} for {value:?} is already waiting: decide or withdraw it first")]
    AlreadyPending { id: i64, value: String },
    #[error("the list must keep at least one official domain")]
    LastDomain,
    #[error("there is no such proposal")]
    NotFound,
    #[error("the proposal was already {}", .0.code())]
    AlreadyDecided(State),
    #[error("a change to the official list needs a second person: you cannot decide your own proposal")]
    OwnProposal,
    #[error("only analysts and administrators propose and decide changes to the official list")]
    RoleNeeded,
    #[error("only the person who proposed it can withdraw it")]
    NotYours,
    #[error("the entry has changed since this was proposed: reject it and propose again")]
    EntryChanged,
    #[error("the check engine would refuse the list with this change: {0}")]
    IndexRefused(String),
}

/// Proposes a change to the official list, as `actor` (an analyst or admin), with the checks
/// an approval will make again. Returns the proposal's id.
pub async fn propose(db: &Db, proposal: &NewProposal, actor: &Actor<'_>) -> Result<i64, StoreError> {
    let mut tx = begin(db).await?;
    let proposer = staff_member(&mut tx, actor).await?;
    let checked = check(&mut tx, proposal).await?;
    let pending: Option<(i64,)> = sqlx::query_as(
        "SELECT id FROM official_proposals WHERE kind = $1 AND value = $2 AND state = 'pending'",
    )
    .bind(proposal.kind.code())
    .bind(&checked.value)
    .fetch_optional(&mut *tx)
    .await?;
    if let Some((id,)) = pending {
        return Err(Refusal::AlreadyPending { id, value: checked.value }.into());
    }
    let before = checked.current.as_ref().map(|(_, image)| image.json());
    let now = crate::now_rfc3339();
    let (id,): (i64,) = sqlx::query_as(
        "INSERT INTO official_proposals
             (action, kind, value, label_zh, label_en, entry_id, before, reason, proposed_by, proposed_at, state)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, 'pending') RETURNING id",
    )
    .bind(proposal.action.code())
    .bind(proposal.kind.code())
    .bind(&checked.value)
    .bind(&checked.label_zh)
    .bind(&checked.label_en)
    .bind(checked.current.as_ref().and_then(|(id, _)| *id))
    .bind(&before)
    .bind(&checked.reason)
    .bind(proposer)
    .bind(&now)
    .fetch_one(&mut *tx)
    .await?;
    let after = serde_json::json!({
        "state": State::Pending.code(),
        "action": proposal.action.code(),
        "kind": proposal.kind.code(),
        "value": checked.value,
        "label_zh": checked.label_zh,
        "label_en": checked.label_en,
        "reason": checked.reason,
    });
    let entry = NewEntry::new("official_propose")
        .by(Some(proposer), actor.login)
        .on(object(id))
        .change(before.unwrap_or_default(), after.to_string())
        .from(actor.client);
    audit::append(&mut tx, &entry).await?;
    tx.commit().await?;
    Ok(id)
}

/// Withdraws a pending proposal; only its proposer may.
pub async fn withdraw(db: &Db, id: i64, actor: &Actor<'_>) -> Result<(), StoreError> {
    let mut tx = begin(db).await?;
    let proposal = pending_proposal(&mut tx, id).await?;
    if actor.id != Some(proposal.proposed_by) {
        return Err(Refusal::NotYours.into());
    }
    close(&mut tx, &proposal, State::Withdrawn, proposal.proposed_by, "", actor).await?;
    tx.commit().await?;
    Ok(())
}

/// Rejects a pending proposal, as an analyst or admin who did not propose it.
pub async fn reject(db: &Db, id: i64, actor: &Actor<'_>, note: &str) -> Result<(), StoreError> {
    let note = checked_note(note)?;
    let mut tx = begin(db).await?;
    let (proposal, decider) = decidable(&mut tx, id, actor).await?;
    close(&mut tx, &proposal, State::Rejected, decider, note, actor).await?;
    tx.commit().await?;
    Ok(())
}

/// Approves a pending proposal, as an analyst or admin who did not propose it, and applies
/// it: the list changes, the engine's index is proven to build from the result, the data
/// version moves on, and the decision and the change are audited, in one transaction.
pub async fn approve(db: &Db, id: i64, actor: &Actor<'_>, note: &str) -> Result<(), StoreError> {
    let note = checked_note(note)?;
    let mut tx = begin(db).await?;
    let (proposal, decider) = decidable(&mut tx, id, actor).await?;
    if proposal.action != Action::Add {
        let now = listed(&mut tx, proposal.kind, &proposal.value).await?;
        let then = proposal.before.clone().map(|image| (proposal.entry_id, image));
        if now != then {
            return Err(Refusal::EntryChanged.into());
        }
    }
    // The list or the takedown data may have changed since it was proposed.
    let request = NewProposal {
        action: proposal.action,
        kind: proposal.kind,
        value: proposal.value.clone(),
        label_zh: proposal.label_zh.clone(),
        label_en: proposal.label_en.clone(),
        reason: proposal.reason.clone(),
    };
    let checked = check(&mut tx, &request).await?;
    let now = crate::now_rfc3339();
    apply(&mut tx, &proposal, &checked, &now).await?;
    let (_, data) = crate::live::index_data(&mut tx).await?;
    let built = tokio::task::spawn_blocking(move || engine::Index::build(data).map(|_| ())).await;
    match built {
        Ok(Ok(())) => {}
        Ok(Err(refused)) => return Err(Refusal::IndexRefused(refused.to_string()).into()),
        Err(failed) => return Err(Refusal::IndexRefused(failed.to_string()).into()),
    }
    close(&mut tx, &proposal, State::Approved, decider, note, actor).await?;
    let entry = NewEntry::new(&format!("official_{}", proposal.action.code()))
        .by(Some(decider), actor.login)
        .on(format!("official:{}:{}", proposal.kind.code(), proposal.value))
        .change(
            proposal.before.as_ref().map(Image::json).unwrap_or_default(),
            proposal.after().as_ref().map(Image::json).unwrap_or_default(),
        )
        .from(actor.client);
    audit::append(&mut tx, &entry).await?;
    crate::bump_data_version(&mut tx, &now).await?;
    tx.commit().await?;
    Ok(())
}

/// The proposals waiting for a decision, oldest first.
pub async fn pending(db: &Db) -> Result<Vec<Proposal>, StoreError> {
    let rows: Vec<Row> =
        sqlx::query_as(&format!("{SELECT} WHERE p.state = 'pending' ORDER BY p.proposed_at, p.id"))
            .fetch_all(db)
            .await?;
    rows.into_iter().map(Proposal::try_from).collect()
}

/// The newest decided proposals (approved, rejected or withdrawn), newest first.
pub async fn recent_decisions(db: &Db, limit: i64) -> Result<Vec<Proposal>, StoreError> {
    let rows: Vec<Row> = sqlx::query_as(&format!(
        "{SELECT} WHERE p.state <> 'pending' ORDER BY p.decided_at DESC, p.id DESC LIMIT $1"
    ))
    .bind(limit)
    .fetch_all(db)
    .await?;
    rows.into_iter().map(Proposal::try_from).collect()
}

/// One proposal.
pub async fn get(db: impl crate::Executor<'_>, id: i64) -> Result<Option<Proposal>, StoreError> {
    let row: Option<Row> =
        sqlx::query_as(&format!("{SELECT} WHERE p.id = $1")).bind(id).fetch_optional(db).await?;
    row.map(Proposal::try_from).transpose()
}

/// A change to the list: a transaction holding the firm-data lock, then the audit lock.
async fn begin(db: &Db) -> Result<Locked, StoreError> {
    let mut tx = lock::lock(db, crate::demo::FIRM_DATA_LOCK).await?;
    lock::also(&mut tx, audit::AUDIT_LOCK).await?;
    Ok(tx)
}

/// The staff user `actor` is, if they may propose and decide: an enabled account holding the
/// analyst or admin role, as the database says now (not as a session remembered it).
async fn staff_member(conn: &mut sqlx::AnyConnection, actor: &Actor<'_>) -> Result<i64, StoreError> {
    let Some(id) = actor.id else {
        return Err(Refusal::RoleNeeded.into());
    };
    let roles: Vec<(String,)> = sqlx::query_as(
        "SELECT r.role FROM staff_roles r JOIN staff_users u ON u.id = r.user_id
         WHERE u.id = $1 AND u.disabled_at IS NULL",
    )
    .bind(id)
    .fetch_all(&mut *conn)
    .await?;
    let may = roles
        .iter()
        .filter_map(|(code,)| Role::parse(code))
        .any(|r| matches!(r, Role::Analyst | Role::Admin));
    if may {
        Ok(id)
    } else {
        Err(Refusal::RoleNeeded.into())
    }
}

async fn pending_proposal(conn: &mut sqlx::AnyConnection, id: i64) -> Result<Proposal, StoreError> {
    let proposal = get(&mut *conn, id).await?.ok_or(Refusal::NotFound)?;
    if proposal.state != State::Pending {
        return Err(Refusal::AlreadyDecided(proposal.state).into());
    }
    Ok(proposal)
}

/// A pending proposal `actor` may decide (an analyst or admin, not its proposer), and the
/// decider's id.
async fn decidable(
    conn: &mut sqlx::AnyConnection,
    id: i64,
    actor: &Actor<'_>,
) -> Result<(Proposal, i64), StoreError> {
    let decider = staff_member(conn, actor).await?;
    let proposal = get(&mut *conn, id).await?.ok_or(Refusal::NotFound)?;
    if proposal.proposed_by == decider {
        return Err(Refusal::OwnProposal.into());
    }
    if proposal.state != State::Pending {
        return Err(Refusal::AlreadyDecided(proposal.state).into());
    }
    Ok((proposal, decider))
}

fn checked_note(note: &str) -> Result<&str, Refusal> {
    let note = note.trim();
    if note.chars().count() > MAX_NOTE_CHARS {
        return Err(Refusal::NoteTooLong);
    }
    Ok(note)
}

/// Records a decision or withdrawal on a pending proposal, with its audit entry. Only a
/// pending one changes, so of two deciding at once, the second finds it decided.
async fn close(
    tx: &mut Locked,
    proposal: &Proposal,
    to: State,
    by: i64,
    note: &str,
    actor: &Actor<'_>,
) -> Result<(), StoreError> {
    let now = crate::now_rfc3339();
    let done = sqlx::query(
        "UPDATE official_proposals SET state = $2, decided_by = $3, decided_at = $4, decision_note = $5
         WHERE id = $1 AND state = 'pending'",
    )
    .bind(proposal.id)
    .bind(to.code())
    .bind(by)
    .bind(&now)
    .bind(note)
    .execute(&mut **tx)
    .await?;
    if done.rows_affected() != 1 {
        return Err(Refusal::AlreadyDecided(to).into());
    }
    let after = serde_json::json!({ "state": to.code(), "note": note });
    let entry = NewEntry::new(&format!(
        "official_{}",
        match to {
            State::Approved => "approve",
            State::Rejected => "reject",
            State::Withdrawn | State::Pending => "withdraw",
        }
    ))
    .by(Some(by), actor.login)
    .on(object(proposal.id))
    .change(serde_json::json!({ "state": State::Pending.code() }).to_string(), after.to_string())
    .from(actor.client);
    audit::append(tx, &entry).await?;
    Ok(())
}

fn object(id: i64) -> String {
    format!("official_proposal:{id}")
}

/// A proposal that meets every rule, as it will be stored.
struct Checked {
    value: String,
    label_zh: String,
    label_en: String,
    reason: String,
    /// The entry it changes or removes, as the list holds it now: its id (none for a
    /// keyword) and image.
    current: Option<(Option<i64>, Image)>,
}

/// The rules a proposal meets when it is made, and again when it is approved (the list and
/// the takedown data may have changed in between).
async fn check(conn: &mut sqlx::AnyConnection, p: &NewProposal) -> Result<Checked, StoreError> {
    let value = normalize_value(p.kind, &p.value).map_err(Refusal::from)?;
    let reason = p.reason.trim().to_owned();
    if reason.is_empty() || reason.chars().count() > MAX_REASON_CHARS {
        return Err(Refusal::Reason.into());
    }
    let labelled = p.action != Action::Remove && p.kind != ListKind::Keyword;
    let (label_zh, label_en) = if labelled {
        let (zh, en) = (p.label_zh.trim(), p.label_en.trim());
        let fits = |l: &str| !l.is_empty() && l.chars().count() <= MAX_LABEL_CHARS;
        if !(fits(zh) && fits(en)) {
            return Err(Refusal::Labels.into());
        }
        (zh.to_owned(), en.to_owned())
    } else {
        (String::new(), String::new())
    };
    let current = listed(conn, p.kind, &value).await?;
    match (p.action, &current) {
        (Action::Add, Some(_)) => return Err(Refusal::AlreadyListed(value).into()),
        (Action::Add, None) => {
            if let Some(fake) = listed_as_fake(conn, p.kind, &value).await? {
                return Err(fake.into());
            }
        }
        (Action::Change | Action::Remove, None) => return Err(Refusal::NotListed(value).into()),
        (Action::Change, Some(_)) if p.kind == ListKind::Keyword => {
            return Err(Refusal::KeywordHasNoLabels.into())
        }
        (Action::Change, Some((_, image))) => {
            if image.label_zh == label_zh && image.label_en == label_en {
                return Err(Refusal::NoChange.into());
            }
        }
        (Action::Remove, Some(_)) => {
            if p.kind == ListKind::Entry(OfficialKind::Domain) {
                let (domains,): (i64,) =
                    sqlx::query_as("SELECT count(*) FROM official_entries WHERE kind = 'domain'")
                        .fetch_one(&mut *conn)
                        .await?;
                if domains <= 1 {
                    return Err(Refusal::LastDomain.into());
                }
            }
        }
    }
    Ok(Checked { value, label_zh, label_en, reason, current })
}

/// The entry of `kind` with `value` as the list holds it now: its id (none for a keyword)
/// and image.
async fn listed(
    conn: &mut sqlx::AnyConnection,
    kind: ListKind,
    value: &str,
) -> Result<Option<(Option<i64>, Image)>, StoreError> {
    let image = |label_zh: String, label_en: String| Image {
        kind: kind.code().to_owned(),
        value: value.to_owned(),
        label_zh,
        label_en,
    };
    Ok(match kind {
        ListKind::Entry(entry) => {
            let row: Option<(i64, String, String)> = sqlx::query_as(
                "SELECT id, label_zh, label_en FROM official_entries WHERE kind = $1 AND value = $2",
            )
            .bind(entry.code())
            .bind(value)
            .fetch_optional(&mut *conn)
            .await?;
            row.map(|(id, zh, en)| (Some(id), image(zh, en)))
        }
        ListKind::Keyword => {
            let row: Option<(String,)> =
                sqlx::query_as("SELECT keyword FROM brand_keywords WHERE keyword = $1")
                    .bind(value)
                    .fetch_optional(&mut *conn)
                    .await?;
            row.map(|_| (None, image(String::new(), String::new())))
        }
    })
}

/// The refusal naming the active takedown entry that says `value` is a fake, if one does: for
/// a domain by the engine's rule (the index refuses an official domain such an entry
/// covers), for a LINE account by the import's (a listed `line.me` link that opens it).
async fn listed_as_fake(
    conn: &mut sqlx::AnyConnection,
    kind: ListKind,
    value: &str,
) -> Result<Option<Refusal>, StoreError> {
    let found = match kind {
        ListKind::Entry(OfficialKind::Domain) => {
            let officials: HashSet<&str> = HashSet::from([value]);
            crate::takedown::all(&mut *conn)
                .await?
                .into_iter()
                .find(|e| engine::index::covered_official(e.scope, &e.target, &officials).is_some())
                .map(|e| (e.id, e.scope.code(), e.target))
        }
        ListKind::Entry(OfficialKind::LineId) => {
            let rows: Vec<(i64, String, String, String, String)> = sqlx::query_as(&format!(
                "SELECT id, scope, target, url, host FROM takedown_entries
                 WHERE removed_in IS NULL AND status IN {} AND host IN ('line.me', 'lin.ee', 'liff.line.me')
                 ORDER BY id",
                crate::takedown::CONDEMNING
            ))
            .fetch_all(&mut *conn)
            .await?;
            rows.into_iter()
                .find(|(_, _, _, url, host)| crate::import::line_account(url, host).as_deref() == Some(value))
                .map(|(id, scope, target, _, _)| {
                    let scope = engine::TakedownScope::parse(&scope).map_or("url", |s| s.code());
                    (id, scope, target)
                })
        }
        _ => None,
    };
    Ok(found.map(|(entry_id, scope, target)| Refusal::ListedAsFake {
        value: value.to_owned(),
        entry_id,
        scope,
        target,
    }))
}

/// Writes an approved proposal to the list.
async fn apply(tx: &mut Locked, proposal: &Proposal, checked: &Checked, now: &str) -> Result<(), StoreError> {
    let entry_id = checked.current.as_ref().and_then(|(id, _)| *id);
    match (proposal.action, proposal.kind) {
        (Action::Add, ListKind::Entry(kind)) => {
            sqlx::query(
                "INSERT INTO official_entries (kind, value, label_zh, label_en, created_at)
                 VALUES ($1, $2, $3, $4, $5)",
            )
            .bind(kind.code())
            .bind(&checked.value)
            .bind(&checked.label_zh)
            .bind(&checked.label_en)
            .bind(now)
            .execute(&mut **tx)
            .await?;
        }
        (Action::Add, ListKind::Keyword) => {
            sqlx::query("INSERT INTO brand_keywords (keyword) VALUES ($1)")
                .bind(&checked.value)
                .execute(&mut **tx)
                .await?;
        }
        (Action::Change, _) => {
            sqlx::query("UPDATE official_entries SET label_zh = $2, label_en = $3 WHERE id = $1")
                .bind(entry_id)
                .bind(&checked.label_zh)
                .bind(&checked.label_en)
                .execute(&mut **tx)
                .await?;
        }
        (Action::Remove, ListKind::Entry(_)) => {
            sqlx::query("DELETE FROM official_entries WHERE id = $1")
                .bind(entry_id)
                .execute(&mut **tx)
                .await?;
        }
        (Action::Remove, ListKind::Keyword) => {
            sqlx::query("DELETE FROM brand_keywords WHERE keyword = $1")
                .bind(&checked.value)
                .execute(&mut **tx)
                .await?;
        }
    }
    Ok(())
}

const SELECT: &str = "SELECT p.id, p.action, p.kind, p.value, p.label_zh, p.label_en, p.entry_id, p.before, \
     p.reason, p.proposed_by, u.login AS proposer, p.proposed_at, p.state, d.login AS decider, p.decided_at, \
     p.decision_note FROM official_proposals p JOIN staff_users u ON u.id = p.proposed_by \
     LEFT JOIN staff_users d ON d.id = p.decided_by";

#[derive(sqlx::FromRow)]
struct Row {
    id: i64,
    action: String,
    kind: String,
    value: String,
    label_zh: String,
    label_en: String,
    entry_id: Option<i64>,
    before: Option<String>,
    reason: String,
    proposed_by: i64,
    proposer: String,
    proposed_at: String,
    state: String,
    decider: Option<String>,
    decided_at: Option<String>,
    decision_note: String,
}

impl TryFrom<Row> for Proposal {
    type Error = StoreError;

    /// A row this version cannot read (an unknown action, kind or state, a damaged image) is
    /// refused rather than guessed.
    fn try_from(row: Row) -> Result<Self, StoreError> {
        let invalid = |problem: String| StoreError::invalid_row("official_proposals", row.id, problem);
        let action =
            Action::parse(&row.action).ok_or_else(|| invalid(format!("unknown action {:?}", row.action)))?;
        let kind =
            ListKind::parse(&row.kind).ok_or_else(|| invalid(format!("unknown kind {:?}", row.kind)))?;
        let state =
            State::parse(&row.state).ok_or_else(|| invalid(format!("unknown state {:?}", row.state)))?;
        let before = match &row.before {
            Some(json) => Some(
                serde_json::from_str(json).map_err(|e| invalid(format!("unreadable before-image: {e}")))?,
            ),
            None => None,
        };
        Ok(Self {
            id: row.id,
            action,
            kind,
            value: row.value,
            label_zh: row.label_zh,
            label_en: row.label_en,
            entry_id: row.entry_id,
            before,
            reason: row.reason,
            proposed_by: row.proposed_by,
            proposer: row.proposer,
            proposed_at: row.proposed_at,
            state,
            decider: row.decider,
            decided_at: row.decided_at,
            decision_note: row.decision_note,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::staff::create_user;
    use crate::testing::demo_db;
    use crate::LiveIndex;

    const DOMAIN: ListKind = ListKind::Entry(OfficialKind::Domain);
    const PHONE: ListKind = ListKind::Entry(OfficialKind::Phone);
    const LINE: ListKind = ListKind::Entry(OfficialKind::LineId);

    /// A member of staff with `roles`, as whom the test acts.
    async fn staff(db: &Db, login: &'static str, roles: &[Role]) -> Actor<'static> {
        let mut conn = db.acquire().await.unwrap();
        let id = create_user(&mut conn, login, login, "h", roles, "2026-12-03T09:00:00Z").await.unwrap();
        Actor { id: Some(id), login, client: "192.0.2.1" }
    }

    fn proposal(action: Action, kind: ListKind, value: &str) -> NewProposal {
        NewProposal {
            action,
            kind,
            value: value.to_owned(),
            label_zh: "官方網站".to_owned(),
            label_en: "Official website".to_owned(),
            reason: "announced in the 2026 annual report".to_owned(),
        }
    }

    fn refusal<T: std::fmt::Debug>(result: Result<T, StoreError>) -> Refusal {
        match result {
            Err(StoreError::Proposal(refusal)) => refusal,
            other => panic!("expected a refusal, got {other:?}"),
        }
    }

    async fn official_values(db: &Db) -> Vec<(OfficialKind, String)> {
        let snapshot = LiveIndex::default().reload(db).await.unwrap();
        snapshot.official.iter().map(|e| (e.kind, e.value.clone())).collect()
    }

    #[tokio::test]
    async fn a_domain_proposed_by_one_analyst_and_approved_by_another_is_in_the_next_snapshot() {
        let (_dir, db) = demo_db().await.expect("test database");
        let (ana, ben) =
            (staff(&db, "ana", &[Role::Analyst]).await, staff(&db, "ben", &[Role::Analyst]).await);
        let live = LiveIndex::default();
        let before = live.reload(&db).await.unwrap().version;

        let id = propose(&db, &proposal(Action::Add, DOMAIN, "KGIfund.com.tw"), &ana).await.unwrap();
        assert!(
            !official_values(&db).await.contains(&(OfficialKind::Domain, "kgifund.com.tw".into())),
            "not yet"
        );
        approve(&db, id, &ben, "checked with the registrar").await.unwrap();

        let snapshot = live.reload(&db).await.unwrap();
        assert!(snapshot
            .official
            .iter()
            .any(|e| e.value == "kgifund.com.tw" && e.label_en == "Official website"));
        assert!(snapshot.version > before, "every instance reloads");
        let decided = get(&db, id).await.unwrap().unwrap();
        assert_eq!((decided.state, decided.decider.as_deref()), (State::Approved, Some("ben")));
        assert!(pending(&db).await.unwrap().is_empty());
    }

    #[tokio::test]
    async fn the_proposer_can_neither_approve_nor_reject_their_own_proposal() {
        let (_dir, db) = demo_db().await.expect("test database");
        let ana = staff(&db, "ana", &[Role::Analyst, Role::Admin]).await;
        let id = propose(&db, &proposal(Action::Add, DOMAIN, "kgifund.com.tw"), &ana).await.unwrap();

        assert_eq!(refusal(approve(&db, id, &ana, "").await), Refusal::OwnProposal);
        assert_eq!(refusal(reject(&db, id, &ana, "").await), Refusal::OwnProposal);

        assert_eq!(get(&db, id).await.unwrap().unwrap().state, State::Pending);
        assert!(!official_values(&db).await.iter().any(|(_, v)| v == "kgifund.com.tw"));
    }

    #[tokio::test]
    async fn an_agent_or_a_publisher_can_neither_propose_nor_decide() {
        let (_dir, db) = demo_db().await.expect("test database");
        let ana = staff(&db, "ana", &[Role::Analyst]).await;
        let mei = staff(&db, "mei", &[Role::Agent]).await;
        let pat = staff(&db, "pat", &[Role::Publisher]).await;
        let id = propose(&db, &proposal(Action::Add, DOMAIN, "kgifund.com.tw"), &ana).await.unwrap();

        for outsider in [&mei, &pat, &Actor::cli()] {
            assert_eq!(refusal(approve(&db, id, outsider, "").await), Refusal::RoleNeeded);
            assert_eq!(refusal(reject(&db, id, outsider, "").await), Refusal::RoleNeeded);
            let other = proposal(Action::Add, DOMAIN, "kgi-other.com.tw");
            assert_eq!(refusal(propose(&db, &other, outsider).await), Refusal::RoleNeeded);
        }
        assert_eq!(get(&db, id).await.unwrap().unwrap().state, State::Pending);
    }

    #[tokio::test]
    async fn a_decided_proposal_cannot_be_decided_or_withdrawn_again() {
        let (_dir, db) = demo_db().await.expect("test database");
        let ana = staff(&db, "ana", &[Role::Analyst]).await;
        let ben = staff(&db, "ben", &[Role::Analyst]).await;
        let boss = staff(&db, "boss", &[Role::Admin]).await;
        let id = propose(&db, &proposal(Action::Add, DOMAIN, "kgifund.com.tw"), &ana).await.unwrap();
        reject(&db, id, &ben, "not ours").await.unwrap();

        assert_eq!(refusal(approve(&db, id, &boss, "").await), Refusal::AlreadyDecided(State::Rejected));
        assert_eq!(refusal(reject(&db, id, &boss, "").await), Refusal::AlreadyDecided(State::Rejected));
        assert_eq!(refusal(withdraw(&db, id, &ana).await), Refusal::AlreadyDecided(State::Rejected));
        assert_eq!(refusal(approve(&db, 999, &boss, "").await), Refusal::NotFound);
        assert!(!official_values(&db).await.iter().any(|(_, v)| v == "kgifund.com.tw"));
    }

    #[tokio::test]
    async fn of_two_approvers_at_once_exactly_one_wins() {
        let (_dir, db) = demo_db().await.expect("test database");
        let ana = staff(&db, "ana", &[Role::Analyst]).await;
        let ben = staff(&db, "ben", &[Role::Analyst]).await;
        let boss = staff(&db, "boss", &[Role::Admin]).await;
        let id = propose(&db, &proposal(Action::Add, PHONE, "02-2345-6789"), &ana).await.unwrap();

        let (first, second) = tokio::join!(approve(&db, id, &ben, "ok"), approve(&db, id, &boss, "ok"));

        let outcomes = [first, second];
        assert_eq!(outcomes.iter().filter(|o| o.is_ok()).count(), 1, "{outcomes:?}");
        let lost = outcomes.into_iter().find(Result::is_err).unwrap();
        assert_eq!(refusal(lost), Refusal::AlreadyDecided(State::Approved));
        let phones =
            official_values(&db).await.into_iter().filter(|(k, _)| *k == OfficialKind::Phone).count();
        assert_eq!(phones, 2, "the demo's hotline and this one, once");
        let (approvals,): (i64,) =
            sqlx::query_as("SELECT count(*) FROM audit_log WHERE action = 'official_approve'")
                .fetch_one(&db)
                .await
                .unwrap();
        assert_eq!(approvals, 1);
    }

    #[tokio::test]
    async fn a_domain_the_takedown_data_lists_as_fake_is_refused_naming_the_entry() {
        let (_dir, db) = demo_db().await.expect("test database");
        let ana = staff(&db, "ana", &[Role::Analyst]).await;
        let (entry,): (i64,) =
            sqlx::query_as("SELECT id FROM takedown_entries WHERE target = 'kkpp.kgi357.com'")
                .fetch_one(&db)
                .await
                .unwrap();

        for fake in ["kgi357.com", "kkpp.kgi357.com"] {
            let refused = refusal(propose(&db, &proposal(Action::Add, DOMAIN, fake), &ana).await);
            assert_eq!(
                refused,
                Refusal::ListedAsFake {
                    value: fake.into(),
                    entry_id: entry,
                    scope: "host",
                    target: "kkpp.kgi357.com".into()
                }
            );
            assert!(refused.to_string().contains(&format!("entry {entry}")), "{refused}");
        }
        assert!(pending(&db).await.unwrap().is_empty());
    }

    #[tokio::test]
    async fn a_line_account_a_listed_fake_link_opens_is_refused_naming_the_entry() {
        let (_dir, db) = demo_db().await.expect("test database");
        let ana = staff(&db, "ana", &[Role::Analyst]).await;
        let (entry,): (i64,) = sqlx::query_as(
            "INSERT INTO takedown_entries
                 (url, host, site, scope, target, source, status, listed_on, first_seen, last_seen, status_changed_at)
             VALUES ('https://line.me/R/ti/p/@kgi-teacher88', 'line.me', 'line.me', 'url',
                     'line.me/R/ti/p/@kgi-teacher88', 'manual', 'detected', '2026-12-03', '2026-12-03',
                     '2026-12-03', '2026-12-03T09:00:00Z') RETURNING id",
        )
        .fetch_one(&db)
        .await
        .unwrap();

        let refused = refusal(propose(&db, &proposal(Action::Add, LINE, "@KGI-Teacher88"), &ana).await);

        assert!(
            matches!(refused, Refusal::ListedAsFake { ref value, entry_id, .. } if value == "kgi-teacher88" && entry_id == entry),
            "{refused}"
        );
        assert!(
            propose(&db, &proposal(Action::Add, LINE, "@kgi_service"), &ana).await.is_ok(),
            "another account"
        );
    }

    #[tokio::test]
    async fn a_domain_listed_as_fake_after_it_was_proposed_is_refused_at_approval() {
        let (_dir, db) = demo_db().await.expect("test database");
        let (ana, ben) =
            (staff(&db, "ana", &[Role::Analyst]).await, staff(&db, "ben", &[Role::Analyst]).await);
        let id = propose(&db, &proposal(Action::Add, DOMAIN, "kgifund.com.tw"), &ana).await.unwrap();
        sqlx::query(
            "INSERT INTO takedown_entries
                 (url, host, site, scope, target, source, status, listed_on, first_seen, last_seen, status_changed_at)
             VALUES ('https://login.kgifund.com.tw/', 'login.kgifund.com.tw', 'kgifund.com.tw', 'host',
                     'login.kgifund.com.tw', 'manual', 'detected', '2026-12-03', '2026-12-03', '2026-12-03',
                     '2026-12-03T09:00:00Z')",
        )
        .execute(&db)
        .await
        .unwrap();

        let refused = refusal(approve(&db, id, &ben, "").await);

        assert!(
            matches!(refused, Refusal::ListedAsFake { ref target, .. } if target == "login.kgifund.com.tw")
        );
        assert_eq!(get(&db, id).await.unwrap().unwrap().state, State::Pending, "still waiting, unchanged");
        assert!(!official_values(&db).await.iter().any(|(_, v)| v == "kgifund.com.tw"));
    }

    #[tokio::test]
    async fn a_public_suffix_or_a_malformed_value_is_refused_with_what_is_wrong() {
        let (_dir, db) = demo_db().await.expect("test database");
        let ana = staff(&db, "ana", &[Role::Analyst]).await;
        let refused = |kind, value: &'static str| {
            let db = db.clone();
            async move { refusal(propose(&db, &proposal(Action::Add, kind, value), &ana).await) }
        };

        assert_eq!(
            refused(DOMAIN, "com.tw").await,
            Refusal::Value(ValueProblem::PublicSuffix("com.tw".into()))
        );
        assert_eq!(refused(PHONE, "12345").await, Refusal::Value(ValueProblem::NotAPhone("12345".into())));
        assert_eq!(refused(ListKind::Keyword, "k").await, Refusal::Value(ValueProblem::KeywordLength));
        assert_eq!(refused(DOMAIN, "kgi.com.tw").await, Refusal::AlreadyListed("kgi.com.tw".into()));
        let no_reason = NewProposal { reason: " ".into(), ..proposal(Action::Add, DOMAIN, "kgifund.com.tw") };
        assert_eq!(refusal(propose(&db, &no_reason, &ana).await), Refusal::Reason);
        let no_label =
            NewProposal { label_en: String::new(), ..proposal(Action::Add, DOMAIN, "kgifund.com.tw") };
        assert_eq!(refusal(propose(&db, &no_label, &ana).await), Refusal::Labels);
        assert!(pending(&db).await.unwrap().is_empty());
    }

    #[tokio::test]
    async fn a_phone_number_is_proposed_and_listed_in_e164() {
        let (_dir, db) = demo_db().await.expect("test database");
        let (ana, ben) =
            (staff(&db, "ana", &[Role::Analyst]).await, staff(&db, "ben", &[Role::Analyst]).await);

        let id = propose(&db, &proposal(Action::Add, PHONE, "+886 2 2345 6789"), &ana).await.unwrap();
        let again = proposal(Action::Add, PHONE, "02-2345-6789");

        assert_eq!(get(&db, id).await.unwrap().unwrap().value, "+886223456789");
        assert_eq!(
            refusal(propose(&db, &again, &ben).await),
            Refusal::AlreadyPending { id, value: "+886223456789".into() },
            "the same number, however written, waits once"
        );
        approve(&db, id, &ben, "").await.unwrap();
        assert!(official_values(&db).await.contains(&(OfficialKind::Phone, "+886223456789".into())));
    }

    #[tokio::test]
    async fn an_approved_removal_takes_the_entry_off_and_keeps_what_it_was() {
        let (_dir, db) = demo_db().await.expect("test database");
        let (ana, ben) = (staff(&db, "ana", &[Role::Analyst]).await, staff(&db, "ben", &[Role::Admin]).await);

        let id = propose(&db, &proposal(Action::Remove, LINE, "@KGI_demo"), &ana).await.unwrap();
        let waiting = get(&db, id).await.unwrap().unwrap();
        approve(&db, id, &ben, "the account was closed").await.unwrap();

        let before = waiting.before.clone().unwrap();
        assert_eq!(
            (before.value.as_str(), before.label_en.as_str()),
            ("kgi_demo", "Official LINE account (demo account, not real)")
        );
        assert!(waiting.after().is_none());
        assert!(!official_values(&db).await.iter().any(|(k, _)| *k == OfficialKind::LineId));
    }

    #[tokio::test]
    async fn a_change_of_labels_shows_before_and_after_and_is_refused_once_the_entry_changed() {
        let (_dir, db) = demo_db().await.expect("test database");
        let (ana, ben) =
            (staff(&db, "ana", &[Role::Analyst]).await, staff(&db, "ben", &[Role::Analyst]).await);
        let change = NewProposal {
            label_zh: "官方網站（總公司）".into(),
            label_en: "Official website (head office)".into(),
            ..proposal(Action::Change, DOMAIN, "kgi.com.tw")
        };
        let id = propose(&db, &change, &ana).await.unwrap();
        let waiting = get(&db, id).await.unwrap().unwrap();
        assert_eq!(waiting.before.as_ref().map(|b| b.label_zh.as_str()), Some("官方網站"));
        assert_eq!(waiting.after().map(|a| a.label_zh), Some("官方網站（總公司）".to_owned()));
        let same = proposal(Action::Change, PHONE, "+886800000000");
        let same = NewProposal {
            label_zh: "客服專線（示範號碼，非真實電話）".into(),
            label_en: "Customer service (demo number, not real)".into(),
            ..same
        };
        assert_eq!(refusal(propose(&db, &same, &ana).await), Refusal::NoChange);

        sqlx::query("UPDATE official_entries SET label_zh = '改過' WHERE value = 'kgi.com.tw'")
            .execute(&db)
            .await
            .unwrap();

        assert_eq!(refusal(approve(&db, id, &ben, "").await), Refusal::EntryChanged);
    }

    #[tokio::test]
    async fn the_last_official_domain_cannot_be_removed() {
        let (_dir, db) = demo_db().await.expect("test database");
        let ana = staff(&db, "ana", &[Role::Analyst]).await;

        let refused = refusal(propose(&db, &proposal(Action::Remove, DOMAIN, "kgi.com.tw"), &ana).await);

        assert_eq!(refused, Refusal::LastDomain);
    }

    #[tokio::test]
    async fn an_approval_the_engine_would_refuse_changes_nothing() {
        let (_dir, db) = demo_db().await.expect("test database");
        let (ana, ben) =
            (staff(&db, "ana", &[Role::Analyst]).await, staff(&db, "ben", &[Role::Analyst]).await);
        // The brand profile takes at most 64 keywords: the demo's two and 62 more.
        for n in 0..62 {
            sqlx::query("INSERT INTO brand_keywords (keyword) VALUES ($1)")
                .bind(format!("kgi{n}x"))
                .execute(&db)
                .await
                .unwrap();
        }
        let (version,): (i64,) =
            sqlx::query_as("SELECT version FROM data_version").fetch_one(&db).await.unwrap();
        let id = propose(&db, &proposal(Action::Add, ListKind::Keyword, "凱基證券"), &ana).await.unwrap();

        let refused = refusal(approve(&db, id, &ben, "").await);

        assert!(
            matches!(refused, Refusal::IndexRefused(ref why) if why.contains("65 brand keywords")),
            "{refused}"
        );
        let (keywords, after): (i64, i64) = sqlx::query_as(
            "SELECT (SELECT count(*) FROM brand_keywords), (SELECT version FROM data_version)",
        )
        .fetch_one(&db)
        .await
        .unwrap();
        assert_eq!((keywords, after), (64, version), "nothing written, no reload");
        assert_eq!(get(&db, id).await.unwrap().unwrap().state, State::Pending);
    }

    #[tokio::test]
    async fn only_the_proposer_withdraws_and_one_proposal_waits_per_value() {
        let (_dir, db) = demo_db().await.expect("test database");
        let (ana, ben) =
            (staff(&db, "ana", &[Role::Analyst]).await, staff(&db, "ben", &[Role::Analyst]).await);
        let id = propose(&db, &proposal(Action::Add, ListKind::Keyword, "KGI證券"), &ana).await.unwrap();

        assert_eq!(refusal(withdraw(&db, id, &ben).await), Refusal::NotYours);
        withdraw(&db, id, &ana).await.unwrap();

        let afresh = propose(&db, &proposal(Action::Add, ListKind::Keyword, "kgi證券"), &ben).await.unwrap();
        assert_ne!(afresh, id, "a withdrawn one may be proposed afresh");
        let decided = recent_decisions(&db, 10).await.unwrap();
        assert_eq!((decided[0].id, decided[0].state), (id, State::Withdrawn));
    }

    #[tokio::test]
    async fn every_step_is_in_the_audit_log_with_before_and_after() {
        let (_dir, db) = demo_db().await.expect("test database");
        let (ana, ben) =
            (staff(&db, "ana", &[Role::Analyst]).await, staff(&db, "ben", &[Role::Analyst]).await);
        let add = proposal(Action::Add, DOMAIN, "kgifund.com.tw");
        let rejected = propose(&db, &add, &ana).await.unwrap();
        reject(&db, rejected, &ben, "not yet registered").await.unwrap();
        let withdrawn = propose(&db, &add, &ana).await.unwrap();
        withdraw(&db, withdrawn, &ana).await.unwrap();
        let approved = propose(&db, &add, &ana).await.unwrap();
        approve(&db, approved, &ben, "registered now").await.unwrap();

        let log = audit::search(&db, &audit::Filter::default(), 20).await.unwrap();
        let steps: Vec<(&str, &str, &str)> =
            log.iter().rev().map(|e| (e.actor.as_str(), e.action.as_str(), e.object.as_str())).collect();
        let (r, w, a) = (object(rejected), object(withdrawn), object(approved));
        assert_eq!(
            steps,
            [
                ("ana", "official_propose", r.as_str()),
                ("ben", "official_reject", r.as_str()),
                ("ana", "official_propose", w.as_str()),
                ("ana", "official_withdraw", w.as_str()),
                ("ana", "official_propose", a.as_str()),
                ("ben", "official_approve", a.as_str()),
                ("ben", "official_add", "official:domain:kgifund.com.tw"),
            ]
        );
        let added = &log[0];
        assert_eq!(added.before, "");
        assert!(added.after.contains("\"value\":\"kgifund.com.tw\""), "{}", added.after);
        assert!(log[1].before.contains("pending") && log[1].after.contains("registered now"), "{:?}", log[1]);
        assert!(log.iter().all(|e| e.client == "192.0.2.1"));
        assert!(matches!(audit::verify(&db).await.unwrap(), audit::Verdict::Intact { .. }));
    }
}
