//! Triage: one queue of what the public reported and agents escalated, a row per subject
//! (a link's host, a phone number, a LINE ID), and the security team's decision on each. An
//! acceptance lists the host in the takedown database; a rejection records the false positive
//! and may clear a lookalike warning for that site for good (docs/security.md).

use std::collections::HashSet;

use engine::{Lookalike, TakedownScope, TakedownStatus};
use sqlx::Row as _;

use crate::audit::{self, Actor};
use crate::contact::SubjectKind;
use crate::escalation::{self, Status};
use crate::official::{self, OfficialKind};
use crate::takedown::Source;
use crate::versions::{self, Draft, EntryImage, Op, Opening};
use crate::{Db, Executor, StoreError};

/// The longest reason or note on a decision, in characters.
pub const MAX_REASON_CHARS: usize = 1000;

/// What an analyst decides about a subject.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Decision {
    /// It is a fake: list it (a host) or confirm it (a number, a LINE ID).
    Accept,
    /// It is not: a false positive, with a reason.
    Reject,
}

impl Decision {
    pub fn code(self) -> &'static str {
        match self {
            Self::Accept => "accepted",
            Self::Reject => "rejected",
        }
    }

    pub fn parse(code: &str) -> Option<Self> {
        [Self::Accept, Self::Reject].into_iter().find(|d| d.code() == code)
    }
}

/// Why a decision was refused. Nothing was written.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum Refusal {
    #[error("nothing about {0} is waiting: someone else decided it already")]
    NothingWaiting(String),
    #[error("a rejection needs a reason")]
    ReasonNeeded,
    #[error("the reason is {0} characters, more than {MAX_REASON_CHARS}")]
    ReasonTooLong(usize),
    #[error(
        "{0} is a site where anyone can publish: list the fake page's own address through an import instead"
    )]
    SharedHost(String),
    #[error(
        "{host} is covered by the official domain {official}: the takedown list must never condemn the firm"
    )]
    CoversOfficial { host: String, official: String },
    #[error("{0:?} is not a lookalike warning")]
    UnknownLookalike(String),
    #[error("{0} has no site name whose lookalike warnings could be cleared")]
    NothingToClear(String),
}

/// One subject waiting in the queue, with its evidence counted.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Waiting {
    pub kind: SubjectKind,
    /// A lower-case host, a phone number in E.164, a LINE ID.
    pub value: String,
    /// Public reports that name it and wait for triage.
    pub reports: i64,
    /// Agents' escalations of it that wait (each agent's request counted).
    pub requests: i64,
    /// When the first and the last of that evidence came (RFC 3339).
    pub first_seen: String,
    pub last_seen: String,
}

/// A page of the queue and how many subjects wait in all.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Queue {
    pub waiting: Vec<Waiting>,
    pub total: i64,
}

const WAITING: &str = "SELECT kind, value, CAST(sum(reports) AS BIGINT) AS reports, \
     CAST(sum(requests) AS BIGINT) AS requests, min(first_seen) AS first_seen, max(last_seen) AS last_seen FROM (
        SELECT 'host' AS kind, l.host AS value, count(*) AS reports, 0 AS requests,
               min(r.created_at) AS first_seen, max(r.created_at) AS last_seen
        FROM report_links l JOIN reports r ON r.id = l.report_id
        WHERE l.triage_id IS NULL GROUP BY l.host
        UNION ALL
        SELECT c.kind, c.value, count(*), 0, min(r.created_at), max(r.created_at)
        FROM report_contacts c JOIN reports r ON r.id = c.report_id
        WHERE c.triage_id IS NULL GROUP BY c.kind, c.value
        UNION ALL
        SELECT kind, value, 0, requests, created_at, updated_at FROM escalations WHERE status = 'queued'
     ) w GROUP BY kind, value";

/// The queue: subjects with the most evidence first, then the longest waiting.
pub async fn queue(db: &Db, limit: i64, offset: i64) -> Result<Queue, StoreError> {
    let rows = sqlx::query(&format!(
        "{WAITING} ORDER BY sum(reports) + sum(requests) DESC, min(first_seen), value LIMIT $1 OFFSET $2"
    ))
    .bind(limit)
    .bind(offset)
    .fetch_all(db)
    .await?;
    let waiting = rows.iter().map(waiting_from).collect::<Result<Vec<_>, _>>()?;
    let (total,): (i64,) =
        sqlx::query_as(&format!("SELECT count(*) FROM ({WAITING}) q")).fetch_one(db).await?;
    Ok(Queue { waiting, total })
}

/// What waits about one subject, if anything does (read from that subject's rows alone).
pub async fn waiting_for(
    db: impl Executor<'_>,
    kind: SubjectKind,
    value: &str,
) -> Result<Option<Waiting>, StoreError> {
    let (reports, requests, first_seen, last_seen): (i64, i64, Option<String>, Option<String>) = sqlx::query_as(
        "SELECT CAST(coalesce(sum(reports), 0) AS BIGINT), CAST(coalesce(sum(requests), 0) AS BIGINT),
                min(first_seen), max(last_seen) FROM (
            SELECT count(*) AS reports, 0 AS requests, min(r.created_at) AS first_seen, max(r.created_at) AS last_seen
            FROM report_links l JOIN reports r ON r.id = l.report_id
            WHERE $1 = 'host' AND l.host = $2 AND l.triage_id IS NULL
            UNION ALL
            SELECT count(*), 0, min(r.created_at), max(r.created_at)
            FROM report_contacts c JOIN reports r ON r.id = c.report_id
            WHERE c.kind = $3 AND c.value = $4 AND c.triage_id IS NULL
            UNION ALL
            SELECT 0, requests, created_at, updated_at FROM escalations
            WHERE kind = $5 AND value = $6 AND status = 'queued'
         ) w",
    )
    .bind(kind.code())
    .bind(value)
    .bind(kind.code())
    .bind(value)
    .bind(kind.code())
    .bind(value)
    .fetch_one(db)
    .await?;
    let (Some(first_seen), Some(last_seen)) = (first_seen, last_seen) else { return Ok(None) };
    Ok((reports + requests > 0).then(|| Waiting {
        kind,
        value: value.to_owned(),
        reports,
        requests,
        first_seen,
        last_seen,
    }))
}

fn waiting_from(row: &sqlx::any::AnyRow) -> Result<Waiting, StoreError> {
    let kind: String = row.try_get(0)?;
    let value: String = row.try_get(1)?;
    let kind = SubjectKind::parse(&kind).ok_or_else(|| {
        StoreError::invalid_row("escalations", value.clone(), format!("unknown kind {kind:?}"))
    })?;
    Ok(Waiting {
        kind,
        value,
        reports: row.try_get(2)?,
        requests: row.try_get(3)?,
        first_seen: row.try_get(4)?,
        last_seen: row.try_get(5)?,
    })
}

/// A public report that names a waiting host.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ReportText {
    pub reference: String,
    pub created_at: String,
    pub channel: String,
    pub text: String,
    pub note: String,
}

/// An agent's request to look at a waiting subject.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AgentRequest {
    pub agent: String,
    pub note: String,
    pub created_at: String,
    /// The verdict the check gave when the subject was first escalated.
    pub verdict: String,
}

/// The takedown entry a host already has.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ListedAs {
    pub id: i64,
    pub status: TakedownStatus,
    /// Taken out of the active set by an import or a rollback.
    pub removed: bool,
}

/// An earlier decision on the same subject.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PastDecision {
    pub id: i64,
    pub kind: SubjectKind,
    pub value: String,
    pub decision: Decision,
    pub reason: String,
    pub analyst: String,
    pub decided_at: String,
    pub reports: i64,
    pub requests: i64,
    pub takedown_entry_id: Option<i64>,
}

/// Everything the queue shows about one waiting subject.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Evidence {
    /// The newest reports, at most the number asked for.
    pub reports: Vec<ReportText>,
    /// The newest agents' requests, likewise.
    pub requests: Vec<AgentRequest>,
    pub listed: Option<ListedAs>,
    pub past: Vec<PastDecision>,
}

/// The evidence about a waiting subject: its newest reports and agents' requests (at most
/// `newest` of each), the takedown entry it has, and the last decisions on it.
pub async fn evidence(db: &Db, kind: SubjectKind, value: &str, newest: i64) -> Result<Evidence, StoreError> {
    let reports: Vec<(String, String, String, String, String)> = if kind == SubjectKind::Host {
        sqlx::query_as(
            "SELECT r.reference, r.created_at, r.channel, r.text, r.note
             FROM report_links l JOIN reports r ON r.id = l.report_id
             WHERE l.host = $1 AND l.triage_id IS NULL ORDER BY r.created_at DESC, r.id DESC LIMIT $2",
        )
        .bind(value)
        .bind(newest)
        .fetch_all(db)
        .await?
    } else {
        sqlx::query_as(
            "SELECT r.reference, r.created_at, r.channel, r.text, r.note
             FROM report_contacts c JOIN reports r ON r.id = c.report_id
             WHERE c.kind = $1 AND c.value = $2 AND c.triage_id IS NULL
             ORDER BY r.created_at DESC, r.id DESC LIMIT $3",
        )
        .bind(kind.code())
        .bind(value)
        .bind(newest)
        .fetch_all(db)
        .await?
    };
    let requests: Vec<(String, String, String, String)> = sqlx::query_as(
        "SELECT u.login, q.note, q.created_at, e.verdict
         FROM escalations e JOIN escalation_requests q ON q.escalation_id = e.id
         JOIN staff_users u ON u.id = q.agent_id
         WHERE e.kind = $1 AND e.value = $2 AND e.status = 'queued'
         ORDER BY q.created_at DESC LIMIT $3",
    )
    .bind(kind.code())
    .bind(value)
    .bind(newest)
    .fetch_all(db)
    .await?;
    let listed = match kind {
        SubjectKind::Host => listed_as(db, value).await?,
        _ => None,
    };
    Ok(Evidence {
        reports: reports
            .into_iter()
            .map(|(reference, created_at, channel, text, note)| ReportText {
                reference,
                created_at,
                channel,
                text,
                note,
            })
            .collect(),
        requests: requests
            .into_iter()
            .map(|(agent, note, created_at, verdict)| AgentRequest { agent, note, created_at, verdict })
            .collect(),
        listed,
        past: decisions(db, Some((kind, value)), 3).await?,
    })
}

/// The scope and target a host is listed under: an IP address as itself, a name as its host.
fn key_of(host: &str) -> (TakedownScope, &str) {
    if host.parse::<std::net::IpAddr>().is_ok() {
        (TakedownScope::Ip, host)
    } else {
        (TakedownScope::Host, host)
    }
}

async fn listed_as(db: impl Executor<'_>, host: &str) -> Result<Option<ListedAs>, StoreError> {
    let (scope, target) = key_of(host);
    let row: Option<(i64, String, Option<i64>)> = sqlx::query_as(
        "SELECT id, status, removed_in FROM takedown_entries WHERE scope = $1 AND target = $2",
    )
    .bind(scope.code())
    .bind(target)
    .fetch_optional(db)
    .await?;
    row.map(|(id, status, removed_in)| {
        let status = TakedownStatus::parse(&status).ok_or_else(|| {
            StoreError::invalid_row("takedown_entries", id, format!("unknown status {status:?}"))
        })?;
        Ok(ListedAs { id, status, removed: removed_in.is_some() })
    })
    .transpose()
}

type DecisionRow = (i64, String, String, String, String, String, String, i64, i64, Option<i64>);

/// The newest decisions, of one subject or of all.
pub async fn decisions(
    db: impl Executor<'_>,
    subject: Option<(SubjectKind, &str)>,
    limit: i64,
) -> Result<Vec<PastDecision>, StoreError> {
    let select = "SELECT d.id, d.kind, d.value, d.decision, d.reason, u.login, d.decided_at, d.reports, \
                  d.requests, d.takedown_entry_id FROM triage_decisions d JOIN staff_users u ON u.id = d.decided_by";
    let rows: Vec<DecisionRow> = match subject {
        Some((kind, value)) => {
            sqlx::query_as(&format!(
                "{select} WHERE d.kind = $1 AND d.value = $2 ORDER BY d.decided_at DESC, d.id DESC LIMIT $3"
            ))
            .bind(kind.code())
            .bind(value)
            .bind(limit)
            .fetch_all(db)
            .await?
        }
        None => {
            sqlx::query_as(&format!("{select} ORDER BY d.decided_at DESC, d.id DESC LIMIT $1"))
                .bind(limit)
                .fetch_all(db)
                .await?
        }
    };
    rows.into_iter()
        .map(|(id, kind, value, decision, reason, analyst, decided_at, reports, requests, entry)| {
            let bad = |what: &str, v: &str| {
                StoreError::invalid_row("triage_decisions", id, format!("unknown {what} {v:?}"))
            };
            Ok(PastDecision {
                id,
                kind: SubjectKind::parse(&kind).ok_or_else(|| bad("kind", &kind))?,
                decision: Decision::parse(&decision).ok_or_else(|| bad("decision", &decision))?,
                value,
                reason,
                analyst,
                decided_at,
                reports,
                requests,
                takedown_entry_id: entry,
            })
        })
        .collect()
}

/// A decision as the analyst gives it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Ruling<'a> {
    pub kind: SubjectKind,
    pub value: &'a str,
    pub decision: Decision,
    /// The note of an acceptance (may be empty) or the reason of a rejection (required).
    pub reason: &'a str,
    /// For a rejected host: the lookalike warnings (codes) to stop giving for its site.
    pub clear: &'a [String],
}

/// What a decision did.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Outcome {
    pub decision_id: i64,
    /// The takedown entry it created, updated or marked false positive, with its status now.
    pub entry: Option<(i64, TakedownStatus)>,
    /// The new version of the takedown data, when the entry set changed.
    pub version: Option<i64>,
    /// The agents' escalations it decided (their agents see it live).
    pub escalations: Vec<i64>,
    /// The lookalike warnings cleared, and for which site.
    pub cleared: Vec<String>,
    pub site: Option<String>,
}

/// Decides a waiting subject, in one transaction under the firm-data lock: the decision,
/// its effect on the takedown data (a new version) and the lookalike warnings, the
/// escalations and reports it settles, and one audit entry. Refused, writing nothing, when
/// nothing about the subject waits (so two analysts cannot both decide it), when a
/// rejection has no reason, or when an acceptance would condemn the firm or a shared host.
pub async fn decide(db: &Db, ruling: &Ruling<'_>, actor: &Actor<'_>) -> Result<Outcome, StoreError> {
    let reason = ruling.reason.trim();
    let chars = reason.chars().count();
    if chars > MAX_REASON_CHARS {
        return Err(Refusal::ReasonTooLong(chars).into());
    }
    if ruling.decision == Decision::Reject && reason.is_empty() {
        return Err(Refusal::ReasonNeeded.into());
    }
    let clear = lookalike_codes(ruling.clear)?;
    let host = ruling.kind == SubjectKind::Host;
    let site = host.then(|| engine::domain::registrable_domain(ruling.value).map(str::to_owned)).flatten();
    if !clear.is_empty() && (ruling.decision == Decision::Accept || site.is_none()) {
        return Err(Refusal::NothingToClear(ruling.value.to_owned()).into());
    }

    let mut tx = crate::lock::lock(db, crate::demo::FIRM_DATA_LOCK).await?;
    let Some(waiting) = waiting_for(&mut *tx, ruling.kind, ruling.value).await? else {
        return Err(Refusal::NothingWaiting(ruling.value.to_owned()).into());
    };
    let now = crate::now_rfc3339();
    let (decision_id,): (i64,) = sqlx::query_as(
        "INSERT INTO triage_decisions (kind, value, decision, reason, reports, requests, decided_by, decided_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id",
    )
    .bind(ruling.kind.code())
    .bind(ruling.value)
    .bind(ruling.decision.code())
    .bind(reason)
    .bind(waiting.reports)
    .bind(waiting.requests)
    .bind(actor.id)
    .bind(&now)
    .fetch_one(&mut *tx)
    .await?;

    let mut outcome = Outcome {
        decision_id,
        entry: None,
        version: None,
        escalations: Vec::new(),
        cleared: Vec::new(),
        site,
    };
    if host {
        let change = match ruling.decision {
            Decision::Accept => list_host(&mut tx, &waiting, reason, actor).await?,
            Decision::Reject => clear_entry(&mut tx, ruling.value, reason, actor).await?,
        };
        if let Some((entry, version)) = change {
            outcome.entry = Some(entry);
            outcome.version = Some(version);
            sqlx::query(
                "UPDATE triage_decisions SET takedown_entry_id = $1, takedown_version = $2 WHERE id = $3",
            )
            .bind(entry.0)
            .bind(version)
            .bind(decision_id)
            .execute(&mut *tx)
            .await?;
        }
        if let Some(site) = outcome.site.as_deref() {
            for code in &clear {
                let added = sqlx::query(
                    "INSERT INTO cleared_lookalikes (domain, reason, triage_id, cleared_by, cleared_at)
                     VALUES ($1, $2, $3, $4, $5) ON CONFLICT (domain, reason) DO NOTHING",
                )
                .bind(site)
                .bind(*code)
                .bind(decision_id)
                .bind(actor.id)
                .bind(&now)
                .execute(&mut *tx)
                .await?;
                if added.rows_affected() == 1 {
                    outcome.cleared.push((*code).to_owned());
                }
            }
            // A version already bumped the data version; cleared warnings alone need it too.
            if !outcome.cleared.is_empty() && outcome.version.is_none() {
                crate::bump_data_version(&mut tx, &now).await?;
            }
        }
        sqlx::query("UPDATE report_links SET triage_id = $1 WHERE host = $2 AND triage_id IS NULL")
            .bind(decision_id)
            .bind(ruling.value)
            .execute(&mut *tx)
            .await?;
    } else {
        sqlx::query(
            "UPDATE report_contacts SET triage_id = $1 WHERE kind = $2 AND value = $3 AND triage_id IS NULL",
        )
        .bind(decision_id)
        .bind(ruling.kind.code())
        .bind(ruling.value)
        .execute(&mut *tx)
        .await?;
    }
    // A report is closed once everything it names has been decided.
    sqlx::query(
        "UPDATE reports SET status = 'closed'
         WHERE status <> 'closed'
           AND (id IN (SELECT report_id FROM report_links WHERE triage_id = $1)
                OR id IN (SELECT report_id FROM report_contacts WHERE triage_id = $2))
           AND NOT EXISTS (SELECT 1 FROM report_links l WHERE l.report_id = reports.id AND l.triage_id IS NULL)
           AND NOT EXISTS (SELECT 1 FROM report_contacts c WHERE c.report_id = reports.id AND c.triage_id IS NULL)",
    )
    .bind(decision_id)
    .bind(decision_id)
    .execute(&mut *tx)
    .await?;
    let queued: Vec<(i64,)> =
        sqlx::query_as("SELECT id FROM escalations WHERE kind = $1 AND value = $2 AND status = 'queued'")
            .bind(ruling.kind.code())
            .bind(ruling.value)
            .fetch_all(&mut *tx)
            .await?;
    let to = match ruling.decision {
        Decision::Accept => Status::Accepted,
        Decision::Reject => Status::Rejected,
    };
    for (id,) in queued {
        if escalation::decide(&mut tx, id, to, actor.id.unwrap_or_default(), reason, &now).await?.is_ok() {
            outcome.escalations.push(id);
        }
    }

    crate::lock::also(&mut tx, audit::AUDIT_LOCK).await?;
    let entry = audit::NewEntry::new(match ruling.decision {
        Decision::Accept => "triage_accept",
        Decision::Reject => "triage_reject",
    })
    .by(actor.id, actor.login)
    .on(format!("triage:{}:{}", ruling.kind.code(), ruling.value))
    .change(
        format!("{} reports, {} requests waiting", waiting.reports, waiting.requests),
        describe(&outcome, reason),
    )
    .from(actor.client);
    audit::append(&mut tx, &entry).await?;
    tx.commit().await?;
    Ok(outcome)
}

/// Open public reports that name no link, phone number or LINE ID: no subject to merge them
/// under, so the queue lists them one by one for an analyst to read and close.
const NAMING_NOTHING: &str = "FROM reports r WHERE r.status <> 'closed'
     AND NOT EXISTS (SELECT 1 FROM report_links l WHERE l.report_id = r.id)
     AND NOT EXISTS (SELECT 1 FROM report_contacts c WHERE c.report_id = r.id)";

/// The oldest open reports that name nothing (at most `limit`), and how many there are.
pub async fn reports_naming_nothing(db: &Db, limit: i64) -> Result<(Vec<ReportText>, i64), StoreError> {
    let rows: Vec<(String, String, String, String, String)> = sqlx::query_as(&format!(
        "SELECT r.reference, r.created_at, r.channel, r.text, r.note {NAMING_NOTHING} ORDER BY r.created_at, r.id LIMIT $1"
    ))
    .bind(limit)
    .fetch_all(db)
    .await?;
    let (total,): (i64,) = sqlx::query_as(&format!("SELECT count(*) {NAMING_NOTHING}")).fetch_one(db).await?;
    let reports = rows
        .into_iter()
        .map(|(reference, created_at, channel, text, note)| ReportText {
            reference,
            created_at,
            channel,
            text,
            note,
        })
        .collect();
    Ok((reports, total))
}

/// Closes an open report that names nothing, with the analyst's reason (audited).
pub async fn close_report(
    db: &Db,
    reference: &str,
    reason: &str,
    actor: &Actor<'_>,
) -> Result<(), StoreError> {
    let reason = reason.trim();
    if reason.is_empty() {
        return Err(Refusal::ReasonNeeded.into());
    }
    let chars = reason.chars().count();
    if chars > MAX_REASON_CHARS {
        return Err(Refusal::ReasonTooLong(chars).into());
    }
    let mut tx = crate::lock::lock(db, crate::demo::FIRM_DATA_LOCK).await?;
    let done = sqlx::query(&format!(
        "UPDATE reports SET status = 'closed', closed_by = $1, closed_reason = $2
         WHERE reference = $3 AND id IN (SELECT r.id {NAMING_NOTHING})"
    ))
    .bind(actor.id)
    .bind(reason)
    .bind(reference)
    .execute(&mut *tx)
    .await?;
    if done.rows_affected() != 1 {
        return Err(Refusal::NothingWaiting(format!("report {reference}")).into());
    }
    crate::lock::also(&mut tx, audit::AUDIT_LOCK).await?;
    let entry = audit::NewEntry::new("report_close")
        .by(actor.id, actor.login)
        .on(format!("report:{reference}"))
        .change("open, names no link, number or LINE ID", format!("closed: {reason}"))
        .from(actor.client);
    audit::append(&mut tx, &entry).await?;
    tx.commit().await?;
    Ok(())
}

/// The audit log's words for what a decision did.
fn describe(outcome: &Outcome, reason: &str) -> String {
    let mut parts = vec![if reason.is_empty() { "no note".to_owned() } else { format!("reason: {reason}") }];
    if let Some((id, status)) = outcome.entry {
        parts.push(format!("takedown entry {id} {}", status.code()));
    }
    if let Some(version) = outcome.version {
        parts.push(format!("version {version}"));
    }
    if !outcome.cleared.is_empty() {
        parts.push(format!(
            "cleared {} for {}",
            outcome.cleared.join(", "),
            outcome.site.as_deref().unwrap_or_default()
        ));
    }
    if !outcome.escalations.is_empty() {
        parts.push(format!("{} escalations decided", outcome.escalations.len()));
    }
    parts.join("; ")
}

/// The lookalike codes among `codes`, each once; refuses anything else.
fn lookalike_codes(codes: &[String]) -> Result<Vec<&'static str>, Refusal> {
    let mut found: Vec<&'static str> = Vec::new();
    for code in codes {
        let known = Lookalike::CODES.iter().find(|c| **c == code.trim());
        let Some(known) = known else { return Err(Refusal::UnknownLookalike(code.clone())) };
        if !found.contains(known) {
            found.push(known);
        }
    }
    Ok(found)
}

/// The status an entry takes when the public or an agent reports it again: a fake that was
/// taken down and is reported is back; one that was cleared is listed afresh; one being
/// worked on stays where it is.
pub fn status_when_reported(now: TakedownStatus, removed: bool) -> TakedownStatus {
    use TakedownStatus::*;
    match now {
        _ if removed => Detected,
        TakenDown | Monitoring => Reactivated,
        FalsePositive | Withdrawn => Detected,
        other => other,
    }
}

/// Lists an accepted host in the takedown database as a new version: a new entry
/// (`detected`, from an escalation or a public report), or its entry updated with the new
/// evidence. Returns the entry with its status and the version.
async fn list_host(
    tx: &mut crate::lock::Locked,
    waiting: &Waiting,
    note: &str,
    actor: &Actor<'_>,
) -> Result<Option<((i64, TakedownStatus), i64)>, StoreError> {
    let host = waiting.value.as_str();
    if crate::import::is_shared_host(host) {
        return Err(Refusal::SharedHost(host.to_owned()).into());
    }
    let (scope, target) = key_of(host);
    let officials = official::values(&mut **tx, OfficialKind::Domain).await?;
    let officials: HashSet<&str> = officials.iter().map(String::as_str).collect();
    if let Some(official) = engine::index::covered_official(scope, target, &officials) {
        return Err(Refusal::CoversOfficial { host: host.to_owned(), official: official.to_owned() }.into());
    }
    let first = crate::taiwan_day_of(&waiting.first_seen).unwrap_or_else(crate::today_in_taiwan);
    let last = crate::taiwan_day_of(&waiting.last_seen).unwrap_or_else(crate::today_in_taiwan);
    let evidence = waiting.reports + waiting.requests;
    let source = if waiting.requests > 0 { Source::Escalation } else { Source::PublicReport };
    let summary = format!("triage: {evidence} reports of {host}");
    let opening = opening(actor, &summary);
    let found = listed_as(&mut **tx, host).await?;
    let mut draft = Draft::open(tx, &opening).await?;
    // (entry, status, whether the status changed: a new step in its history to sign)
    let (id, status, stepped) = match found {
        None => {
            let image = EntryImage {
                scope,
                target: target.to_owned(),
                url: format!("{}://{host}/", if scope == TakedownScope::Ip { "http" } else { "https" }),
                host: host.to_owned(),
                site: engine::domain::registrable_domain(host).map(str::to_owned),
                hosting_ip: (scope == TakedownScope::Ip).then(|| host.to_owned()),
                source,
                vendor: String::new(),
                alert_id: None,
                case_id: None,
                brand: String::new(),
                first_seen: first,
                last_seen: last,
                report_count: evidence,
                notes: note.to_owned(),
                status: TakedownStatus::Detected,
            };
            let id = versions::insert_image(tx, &image, draft.number).await?;
            draft.note(tx, id, Op::Add, None).await?;
            (id, image.status, true)
        }
        Some(ListedAs { id, removed, .. }) => {
            let everything = versions::image_of(tx, id).await?;
            let after = EntryImage {
                status: status_when_reported(everything.status, removed),
                first_seen: everything.first_seen.clone().min(first),
                last_seen: everything.last_seen.clone().max(last),
                report_count: everything.report_count.saturating_add(evidence),
                ..everything.clone()
            };
            versions::write_image(tx, id, &after, draft.number).await?;
            let (op, before) = if removed { (Op::Add, None) } else { (Op::Change, Some(&everything)) };
            draft.note(tx, id, op, before).await?;
            (id, after.status, after.status != everything.status)
        }
    };
    // An unchanged status wrote no step: signing the newest would sign someone else's.
    if stepped {
        crate::takedown::sign_newest_event(tx, id, actor.login, Some(&summary)).await?;
    }
    let version = draft.seal(tx).await?;
    Ok(Some(((id, status), version.version)))
}

/// A version of the takedown data that triage makes.
fn opening<'a>(actor: &'a Actor<'a>, note: &'a str) -> Opening<'a> {
    Opening { action: "edit", actor, origin: "triage", format: "", forced: false, note, rolled_back_to: None }
}

/// Marks a rejected host's active entry a false positive (a new version), if it has one
/// that condemns it.
async fn clear_entry(
    tx: &mut crate::lock::Locked,
    host: &str,
    reason: &str,
    actor: &Actor<'_>,
) -> Result<Option<((i64, TakedownStatus), i64)>, StoreError> {
    let Some(listed) = listed_as(&mut **tx, host).await? else { return Ok(None) };
    if listed.removed || !listed.status.condemns() {
        return Ok(None);
    }
    let before = versions::image_of(tx, listed.id).await?;
    let after = EntryImage { status: TakedownStatus::FalsePositive, ..before.clone() };
    let summary = format!("triage: {host} is a false positive");
    let opening = opening(actor, &summary);
    let mut draft = Draft::open(tx, &opening).await?;
    versions::write_image(tx, listed.id, &after, draft.number).await?;
    crate::takedown::sign_newest_event(tx, listed.id, actor.login, Some(reason)).await?;
    draft.note(tx, listed.id, Op::Change, Some(&before)).await?;
    let version = draft.seal(tx).await?;
    Ok(Some(((listed.id, after.status), version.version)))
}

/// The cleared lookalike warnings, as the index is built from them: (site, code).
pub async fn cleared_lookalikes(db: impl Executor<'_>) -> Result<Vec<(String, String)>, StoreError> {
    Ok(sqlx::query_as("SELECT domain, reason FROM cleared_lookalikes ORDER BY domain, reason")
        .fetch_all(db)
        .await?)
}

/// A cleared lookalike warning as the console lists it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Cleared {
    pub domain: String,
    pub reason: String,
    pub analyst: String,
    pub cleared_at: String,
    /// The decision that cleared it.
    pub triage_id: Option<i64>,
    pub why: String,
}

/// Every cleared lookalike warning, newest first.
pub async fn cleared(db: &Db) -> Result<Vec<Cleared>, StoreError> {
    type ClearedRow = (String, String, String, String, Option<i64>, Option<String>);
    let rows: Vec<ClearedRow> = sqlx::query_as(
        "SELECT c.domain, c.reason, u.login, c.cleared_at, c.triage_id, d.reason
         FROM cleared_lookalikes c JOIN staff_users u ON u.id = c.cleared_by
         LEFT JOIN triage_decisions d ON d.id = c.triage_id
         ORDER BY c.cleared_at DESC, c.domain, c.reason",
    )
    .fetch_all(db)
    .await?;
    Ok(rows
        .into_iter()
        .map(|(domain, reason, analyst, cleared_at, triage_id, why)| Cleared {
            domain,
            reason,
            analyst,
            cleared_at,
            triage_id,
            why: why.unwrap_or_default(),
        })
        .collect())
}

/// Gives a cleared lookalike warning back to the checks (audited; every instance reloads).
/// False when it was not cleared.
pub async fn restore_lookalike(
    db: &Db,
    domain: &str,
    reason: &str,
    actor: &Actor<'_>,
) -> Result<bool, StoreError> {
    let mut tx = crate::lock::lock(db, crate::demo::FIRM_DATA_LOCK).await?;
    let gone = sqlx::query("DELETE FROM cleared_lookalikes WHERE domain = $1 AND reason = $2")
        .bind(domain)
        .bind(reason)
        .execute(&mut *tx)
        .await?;
    if gone.rows_affected() == 0 {
        return Ok(false);
    }
    let now = crate::now_rfc3339();
    crate::bump_data_version(&mut tx, &now).await?;
    crate::lock::also(&mut tx, audit::AUDIT_LOCK).await?;
    let entry = audit::NewEntry::new("lookalike_restore")
        .by(actor.id, actor.login)
        .on(format!("lookalike:{domain}:{reason}"))
        .change("cleared", "given again")
        .from(actor.client);
    audit::append(&mut tx, &entry).await?;
    tx.commit().await?;
    Ok(true)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::report::{self, NewReport};
    use crate::staff::{create_user, Role};
    use crate::testing::demo_db;

    const NOW: &str = "2026-12-01T10:00:00Z";

    struct Staff {
        agent: i64,
        analyst: i64,
    }

    async fn staff(db: &Db) -> Staff {
        let mut conn = db.acquire().await.unwrap();
        let agent = create_user(&mut conn, "mei", "Mei", "h", &[Role::Agent], NOW).await.unwrap();
        let analyst = create_user(&mut conn, "ana", "Ana", "h", &[Role::Analyst], NOW).await.unwrap();
        Staff { agent, analyst }
    }

    fn ana(id: i64) -> Actor<'static> {
        Actor { id: Some(id), login: "ana", client: "192.0.2.1" }
    }

    async fn reported(db: &Db, text: &str) {
        report::submit(db, &NewReport::parse(text, "sms", "").unwrap()).await.unwrap();
    }

    async fn escalated(db: &Db, agent: i64, kind: SubjectKind, value: &str) -> i64 {
        let mut conn = db.acquire().await.unwrap();
        escalation::escalate(&mut conn, kind, value, "suspicious", agent, "客戶來電", None, NOW)
            .await
            .unwrap()
            .id()
    }

    fn ruling<'a>(value: &'a str, decision: Decision, reason: &'a str, clear: &'a [String]) -> Ruling<'a> {
        Ruling { kind: SubjectKind::Host, value, decision, reason, clear }
    }

    async fn entry_of(db: &Db, host: &str) -> Option<(String, String, i64, String)> {
        sqlx::query_as("SELECT status, source, report_count, notes FROM takedown_entries WHERE target = $1")
            .bind(host)
            .fetch_optional(db)
            .await
            .unwrap()
    }

    #[tokio::test]
    async fn reports_and_escalations_of_one_host_wait_as_one_row_with_their_counts() {
        let (_dir, db) = demo_db().await.expect("test database");
        let s = staff(&db).await;
        reported(&db, "【凱基】帳戶異常，請至 kkpp.kgi999。com/login 驗證").await;
        reported(&db, "https://kkpp.kgi999.com/a 又來了，還有 other-fake.top").await;
        escalated(&db, s.agent, SubjectKind::Host, "kkpp.kgi999.com").await;
        escalated(&db, s.agent, SubjectKind::Phone, "+886912345678").await;

        let queue = queue(&db, 10, 0).await.unwrap();
        let rows: Vec<(&str, i64, i64)> =
            queue.waiting.iter().map(|w| (w.value.as_str(), w.reports, w.requests)).collect();
        assert_eq!(rows, [("kkpp.kgi999.com", 2, 1), ("+886912345678", 0, 1), ("other-fake.top", 1, 0)]);
        assert_eq!(queue.total, 3);
        let evidence = evidence(&db, SubjectKind::Host, "kkpp.kgi999.com", 5).await.unwrap();
        assert_eq!(evidence.reports.len(), 2);
        assert_eq!(evidence.requests[0].agent, "mei");
        assert_eq!(evidence.listed, None);
    }

    #[tokio::test]
    async fn accepting_a_host_lists_it_detected_in_a_new_version_and_settles_what_waited() {
        let (_dir, db) = demo_db().await.expect("test database");
        let s = staff(&db).await;
        reported(&db, "kkpp.kgi999.com/login").await;
        reported(&db, "kkpp.kgi999.com and other-fake.top").await;
        let escalation = escalated(&db, s.agent, SubjectKind::Host, "kkpp.kgi999.com").await;
        let before = crate::versions::current(&db).await.unwrap().unwrap().version;

        let outcome =
            decide(&db, &ruling("kkpp.kgi999.com", Decision::Accept, "RSA 已通報", &[]), &ana(s.analyst))
                .await
                .unwrap();
        assert_eq!(outcome.version, Some(before + 1));
        assert_eq!(outcome.escalations, [escalation]);
        let (status, source, reports, notes) = entry_of(&db, "kkpp.kgi999.com").await.unwrap();
        assert_eq!(
            (status.as_str(), source.as_str(), reports, notes.as_str()),
            ("detected", "escalation", 3, "RSA 已通報")
        );
        assert_eq!(escalation::get(&db, escalation).await.unwrap().unwrap().status, Status::Accepted);
        // The report naming only that host is closed; the one naming another host still waits.
        let (closed,): (i64,) = sqlx::query_as("SELECT count(*) FROM reports WHERE status = 'closed'")
            .fetch_one(&db)
            .await
            .unwrap();
        assert_eq!(closed, 1);
        let left: Vec<String> =
            queue(&db, 10, 0).await.unwrap().waiting.into_iter().map(|w| w.value).collect();
        assert_eq!(left, ["other-fake.top"]);
        // A second analyst deciding the same host finds nothing waiting, and nothing changes.
        let again =
            decide(&db, &ruling("kkpp.kgi999.com", Decision::Reject, "no", &[]), &ana(s.analyst)).await;
        assert!(matches!(again, Err(StoreError::Triage(Refusal::NothingWaiting(_)))), "{again:?}");
        assert_eq!(crate::versions::current(&db).await.unwrap().unwrap().version, before + 1);
        let (audited,): (i64,) =
            sqlx::query_as("SELECT count(*) FROM audit_log WHERE action = 'triage_accept' AND object = $1")
                .bind("triage:host:kkpp.kgi999.com")
                .fetch_one(&db)
                .await
                .unwrap();
        assert_eq!(audited, 1);
    }

    #[tokio::test]
    async fn a_host_reported_again_after_its_takedown_is_reactivated_with_the_new_reports_counted() {
        let (_dir, db) = demo_db().await.expect("test database");
        let s = staff(&db).await;
        let (id, count): (i64, i64) =
            sqlx::query_as("SELECT id, report_count FROM takedown_entries WHERE target = 'kkpp.kgi357.com'")
                .fetch_one(&db)
                .await
                .unwrap();
        assert!(crate::takedown::change_status(&db, id, TakedownStatus::TakenDown, None).await.unwrap());
        reported(&db, "kkpp.kgi357.com/index/login 又出現了").await;

        let outcome = decide(&db, &ruling("kkpp.kgi357.com", Decision::Accept, "", &[]), &ana(s.analyst))
            .await
            .unwrap();
        assert_eq!(outcome.entry, Some((id, TakedownStatus::Reactivated)));
        let (status, source, reports, _) = entry_of(&db, "kkpp.kgi357.com").await.unwrap();
        assert_eq!((status.as_str(), source.as_str(), reports), ("reactivated", "vendor_feed", count + 1));
        let history = crate::takedown::detail(&db, id).await.unwrap().unwrap();
        assert_eq!(history.events.last().map(|s| s.actor.as_str()), Some("ana"));
    }

    #[tokio::test]
    async fn a_host_being_worked_on_keeps_its_status_and_its_history_keeps_who_made_each_step() {
        let (_dir, db) = demo_db().await.expect("test database");
        let s = staff(&db).await;
        let (id,): (i64,) =
            sqlx::query_as("SELECT id FROM takedown_entries WHERE target = 'kkpp.kgi357.com'")
                .fetch_one(&db)
                .await
                .unwrap();
        let before = crate::takedown::detail(&db, id).await.unwrap().unwrap().events;
        reported(&db, "kkpp.kgi357.com/index/login").await;

        let outcome = decide(&db, &ruling("kkpp.kgi357.com", Decision::Accept, "", &[]), &ana(s.analyst))
            .await
            .unwrap();
        assert_eq!(outcome.entry, Some((id, TakedownStatus::TakedownRequested)));
        let after = crate::takedown::detail(&db, id).await.unwrap().unwrap();
        assert_eq!(after.events, before, "no step, and no one else's step signed");
        assert_eq!(after.report_count, 2);
    }

    #[tokio::test]
    async fn an_acceptance_that_would_condemn_the_firm_or_a_shared_host_is_refused_and_writes_nothing() {
        let (_dir, db) = demo_db().await.expect("test database");
        let s = staff(&db).await;
        reported(&db, "這是 https://www.kgi.com.tw/ 嗎").await;
        reported(&db, "https://sites.google.com/view/kgi-vip").await;
        let before = crate::versions::current(&db).await.unwrap().unwrap();
        for (host, official) in [("www.kgi.com.tw", true), ("sites.google.com", false)] {
            let refused = decide(&db, &ruling(host, Decision::Accept, "", &[]), &ana(s.analyst)).await;
            match refused {
                Err(StoreError::Triage(Refusal::CoversOfficial { .. })) => assert!(official, "{host}"),
                Err(StoreError::Triage(Refusal::SharedHost(_))) => assert!(!official, "{host}"),
                other => panic!("{host}: {other:?}"),
            }
        }
        assert_eq!(crate::versions::current(&db).await.unwrap().unwrap(), before);
        assert_eq!(queue(&db, 10, 0).await.unwrap().total, 2, "both still wait");
        let (decisions,): (i64,) =
            sqlx::query_as("SELECT count(*) FROM triage_decisions").fetch_one(&db).await.unwrap();
        assert_eq!(decisions, 0);
    }

    #[tokio::test]
    async fn a_rejected_lookalike_stops_that_warning_for_its_site_on_the_next_reload_until_restored() {
        let (_dir, db) = demo_db().await.expect("test database");
        let s = staff(&db).await;
        let live = crate::LiveIndex::default();
        live.reload(&db).await.unwrap();
        let codes = |live: &crate::LiveIndex, text: &str| -> Vec<&'static str> {
            let snapshot = live.current().unwrap();
            let report = engine::check(text, &snapshot.index).unwrap();
            report.findings[0].reasons.iter().map(engine::Reason::code).collect()
        };
        assert_eq!(codes(&live, "https://kgi-fans.org/"), ["brand_in_name"]);
        reported(&db, "這個 kgi-fans.org 是假的嗎？").await;
        let escalation = escalated(&db, s.agent, SubjectKind::Host, "www.kgi-fans.org").await;

        let refused = decide(&db, &ruling("kgi-fans.org", Decision::Reject, " ", &[]), &ana(s.analyst)).await;
        assert!(matches!(refused, Err(StoreError::Triage(Refusal::ReasonNeeded))));
        let clear = vec!["brand_in_name".to_owned()];
        let bad = vec!["takedown_listed".to_owned()];
        let refused =
            decide(&db, &ruling("kgi-fans.org", Decision::Reject, "影迷社團", &bad), &ana(s.analyst)).await;
        assert!(matches!(refused, Err(StoreError::Triage(Refusal::UnknownLookalike(_)))));

        let outcome = decide(
            &db,
            &ruling("kgi-fans.org", Decision::Reject, "影迷社團，不是假網站", &clear),
            &ana(s.analyst),
        )
        .await
        .unwrap();
        assert_eq!((outcome.cleared.clone(), outcome.site.as_deref()), (clear.clone(), Some("kgi-fans.org")));
        assert_eq!(outcome.version, None, "no entry: the takedown data is unchanged");
        live.refresh_if_changed(&db).await.unwrap();
        assert_eq!(codes(&live, "https://kgi-fans.org/"), ["not_listed"]);
        // The other subdomain of that site, escalated on its own, is cleared as well: it is the site's warning.
        assert_eq!(codes(&live, "https://www.kgi-fans.org/"), ["not_listed"]);
        assert_eq!(codes(&live, "https://kgi-fans.net/"), ["brand_in_name"], "only that site");
        // The agent's own escalation of another host of the site still waits for its decision.
        assert_eq!(escalation::get(&db, escalation).await.unwrap().unwrap().status, Status::Queued);

        assert_eq!(cleared(&db).await.unwrap()[0].why, "影迷社團，不是假網站");
        assert!(restore_lookalike(&db, "kgi-fans.org", "brand_in_name", &ana(s.analyst)).await.unwrap());
        assert!(!restore_lookalike(&db, "kgi-fans.org", "brand_in_name", &ana(s.analyst)).await.unwrap());
        live.refresh_if_changed(&db).await.unwrap();
        assert_eq!(codes(&live, "https://kgi-fans.org/"), ["brand_in_name"]);
    }

    #[tokio::test]
    async fn rejecting_a_listed_host_marks_its_entry_a_false_positive() {
        let (_dir, db) = demo_db().await.expect("test database");
        let s = staff(&db).await;
        reported(&db, "kkpp.kgi69.com 是我們公司的測試站").await;
        let outcome = decide(&db, &ruling("kkpp.kgi69.com", Decision::Reject, "誤報", &[]), &ana(s.analyst))
            .await
            .unwrap();
        assert!(outcome.version.is_some());
        assert_eq!(entry_of(&db, "kkpp.kgi69.com").await.unwrap().0, "false_positive");
    }

    #[tokio::test]
    async fn a_phone_number_escalation_is_decided_for_its_agents_without_a_takedown_entry() {
        let (_dir, db) = demo_db().await.expect("test database");
        let s = staff(&db).await;
        let id = escalated(&db, s.agent, SubjectKind::Phone, "+886912345678").await;
        let phone = Ruling {
            kind: SubjectKind::Phone,
            value: "+886912345678",
            decision: Decision::Reject,
            reason: "客戶的營業員",
            clear: &[],
        };
        let outcome = decide(&db, &phone, &ana(s.analyst)).await.unwrap();
        assert_eq!((outcome.entry, outcome.escalations.clone()), (None, vec![id]));
        let decided = escalation::get(&db, id).await.unwrap().unwrap();
        assert_eq!((decided.status, decided.decision_note.as_str()), (Status::Rejected, "客戶的營業員"));
        let past = decisions(&db, None, 5).await.unwrap();
        assert_eq!((past[0].decision, past[0].analyst.as_str()), (Decision::Reject, "ana"));
    }

    #[tokio::test]
    async fn a_report_naming_only_a_line_id_waits_with_the_agents_escalation_of_it_and_closes_with_the_decision(
    ) {
        let (_dir, db) = demo_db().await.unwrap();
        let staff = staff(&db).await;
        reported(&db, "老師說加 LINE @kgi_vip888 就能拿到飆股").await;
        escalated(&db, staff.agent, SubjectKind::LineId, "kgi_vip888").await;

        let queue = queue(&db, 50, 0).await.unwrap();
        let row = queue.waiting.iter().find(|w| w.value == "kgi_vip888").expect("a row for the LINE ID");
        assert_eq!((row.kind, row.reports, row.requests), (SubjectKind::LineId, 1, 1));
        let evidence = evidence(&db, SubjectKind::LineId, "kgi_vip888", 5).await.unwrap();
        assert!(evidence.reports[0].text.contains("飆股"));

        let rejected =
            Ruling { kind: SubjectKind::LineId, ..ruling("kgi_vip888", Decision::Accept, "", &[]) };
        decide(&db, &rejected, &ana(staff.analyst)).await.unwrap();

        assert!(waiting_for(&db, SubjectKind::LineId, "kgi_vip888").await.unwrap().is_none());
        let (open,): (i64,) = sqlx::query_as("SELECT count(*) FROM reports WHERE status <> 'closed'")
            .fetch_one(&db)
            .await
            .unwrap();
        assert_eq!(open, 0, "the report is closed with its only subject decided");
    }

    #[tokio::test]
    async fn a_report_naming_nothing_is_listed_and_closed_with_a_reason() {
        let (_dir, db) = demo_db().await.unwrap();
        let staff = staff(&db).await;
        reported(&db, "有人打電話說是營業員，要我匯款").await;
        let (listed, total) = reports_naming_nothing(&db, 10).await.unwrap();
        assert_eq!(total, 1);
        let reference = listed[0].reference.clone();

        let err = close_report(&db, &reference, " ", &ana(staff.analyst)).await.unwrap_err();
        assert!(matches!(err, StoreError::Triage(Refusal::ReasonNeeded)), "{err}");
        close_report(&db, &reference, "已回電說明，非本公司人員", &ana(staff.analyst)).await.unwrap();

        assert_eq!(reports_naming_nothing(&db, 10).await.unwrap().1, 0);
        let again = close_report(&db, &reference, "again", &ana(staff.analyst)).await.unwrap_err();
        assert!(matches!(again, StoreError::Triage(Refusal::NothingWaiting(_))), "{again}");
        let (audited,): (i64,) =
            sqlx::query_as("SELECT count(*) FROM audit_log WHERE action = 'report_close'")
                .fetch_one(&db)
                .await
                .unwrap();
        assert_eq!(audited, 1);
    }

    #[test]
    fn a_fake_reported_again_comes_back_unless_it_is_being_worked_on() {
        use TakedownStatus::*;
        assert_eq!(status_when_reported(TakenDown, false), Reactivated);
        assert_eq!(status_when_reported(Monitoring, false), Reactivated);
        assert_eq!(status_when_reported(FalsePositive, false), Detected);
        assert_eq!(status_when_reported(Reported, false), Reported);
        assert_eq!(status_when_reported(TakedownRequested, true), Detected);
        assert_eq!(crate::taiwan_day_of("2026-12-01T17:30:00Z").as_deref(), Some("2026-12-02"));
    }
}
