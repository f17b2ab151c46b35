//! Writing bulletins: drafts and their revisions, publishing now or at a time, unpublishing,
//! pins, and a second publisher's approval when the setting asks for it. Every change is
//! audited in the transaction that makes it; readers see only what [`super`] reads.

use time::OffsetDateTime;

use super::{
    split_listed, BulletinCategory, BulletinSlug, BulletinStatus, IncidentState, Language, SlugError,
};
use crate::audit::{self, Actor, NewEntry};
use crate::lock::{self, Locked};
use crate::{Db, StoreError};

pub const MAX_TITLE_CHARS: usize = 300;
pub const MAX_BODY_CHARS: usize = 100_000;
/// The most takedown targets one bulletin lists.
pub const MAX_LISTED: usize = 200;
/// How far ahead a bulletin can be scheduled.
pub const MAX_SCHEDULE_DAYS: i64 = 366;
/// The lock the scheduler holds while it publishes what is due (one instance at a time).
pub const SCHEDULE_LOCK: &str = "bulletin-schedule";

/// Why a change to a bulletin was refused, in words for the publisher. Nothing was written.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum Refusal {
    #[error("the address: {0}")]
    Slug(SlugError),
    #[error("the address /bulletins/{0} is taken by another bulletin: choose another")]
    SlugTaken(String),
    #[error("a bulletin needs a title")]
    TitleEmpty,
    #[error("the title has {0} characters, more than {MAX_TITLE_CHARS}")]
    TitleTooLong(usize),
    #[error("the text has {0} characters, more than {MAX_BODY_CHARS}")]
    BodyTooLong(usize),
    #[error("a bulletin lists at most {MAX_LISTED} fake sites; it lists {0}")]
    TooManyListed(usize),
    #[error("{0} is not in the takedown list: add it there first, or remove the line")]
    NotListed(String),
    #[error("there is no bulletin at /bulletins/{0} to translate")]
    NoOriginal(String),
    #[error("a translation is in the other language than the bulletin it translates")]
    SameLanguage,
    #[error("/bulletins/{0} already has a translation")]
    AlreadyTranslated(String),
    #[error("there is no such bulletin")]
    NoSuchBulletin,
    #[error("there is no such revision of this bulletin")]
    NoSuchRevision,
    #[error("someone else saved this bulletin after you opened it: reload it, and make your change again")]
    Stale,
    #[error("it is not published, so there is nothing to unpublish")]
    NotPublished,
    #[error("it is published as it is: there is no change to publish")]
    NothingToPublish,
    #[error("it is published already: publish the change now, or unpublish it first")]
    AlreadyPublished,
    #[error("the time to publish has passed: choose a later time, or publish now")]
    InThePast,
    #[error("a bulletin can be scheduled at most {MAX_SCHEDULE_DAYS} days ahead")]
    TooFarAhead,
    #[error("it already waits for a second publisher's approval")]
    AlreadyWaiting,
    #[error("there is no request waiting for approval")]
    NoRequest,
    #[error("a second publisher must approve this: you asked for it yourself")]
    OwnRequest,
    #[error("only a publisher can approve a bulletin")]
    NotAPublisher,
    #[error("only an incident has a timeline")]
    NotAnIncident,
    #[error("an update needs a few words")]
    UpdateEmpty,
    #[error("an update has at most {0} characters")]
    UpdateTooLong(usize),
    #[error("the time of an update cannot be in the future")]
    UpdateInFuture,
    #[error("the time of an update is not a time: write it as 2025-11-18 19:20")]
    UpdateTime,
}

/// What a publisher writes to start a bulletin.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Draft {
    /// Empty: one is made from the category and the date.
    pub slug: String,
    pub language: Option<Language>,
    pub category: Option<BulletinCategory>,
    pub title: String,
    pub body: String,
    /// Takedown targets, one a line.
    pub listed: String,
    /// The slug of the bulletin this one translates.
    pub translation_of: String,
}

/// A saved text of a bulletin; never changed once written.
#[derive(Clone, Debug, PartialEq, Eq, sqlx::FromRow)]
pub struct Revision {
    pub id: i64,
    pub title: String,
    pub body: String,
    pub listed: String,
    pub author: String,
    pub saved_at: String,
    pub restored_from: Option<i64>,
}

/// A request to publish that waits for a second publisher.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ApprovalRequest {
    pub id: i64,
    pub revision_id: i64,
    /// `None`: as soon as it is approved.
    pub publish_at: Option<String>,
    pub requested_by: i64,
    pub requester: String,
    pub requested_at: String,
}

/// A bulletin as its publishers see it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Editorial {
    pub id: i64,
    pub slug: String,
    pub language: Language,
    pub category: BulletinCategory,
    pub status: BulletinStatus,
    pub pinned: bool,
    pub publish_at: Option<String>,
    pub incident: Option<IncidentState>,
    /// The other-language version, either way round: (id, slug, language).
    pub translation: Option<(i64, String, Language)>,
    /// The newest revision: what the editor shows.
    pub head: Revision,
    /// The revision readers see, when published.
    pub published_revision: Option<i64>,
    pub scheduled_revision: Option<i64>,
    pub author: String,
    pub created_at: String,
    pub updated_at: String,
    pub waiting: Option<ApprovalRequest>,
}

impl Editorial {
    /// A published (or unpublished) bulletin whose newest revision readers have not seen.
    pub fn pending(&self) -> bool {
        self.published_revision.is_some_and(|published| published != self.head.id)
    }
}

/// One line of the publishing page's list.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Listed {
    pub id: i64,
    pub slug: String,
    pub language: Language,
    pub category: BulletinCategory,
    pub status: BulletinStatus,
    pub pinned: bool,
    pub title: String,
    pub publish_at: Option<String>,
    pub updated_at: String,
    pub pending: bool,
    pub waiting: bool,
}

/// Which bulletins the list shows.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Filter {
    pub status: Option<BulletinStatus>,
    pub category: Option<BulletinCategory>,
    pub language: Option<Language>,
}

/// What a publish asked for came to.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Outcome {
    /// Readers see it now.
    Published,
    /// The scheduler publishes it at this time.
    Scheduled(String),
    /// It waits for a second publisher (request id).
    Waiting(i64),
}

/// When to publish.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum When {
    Now,
    At(OffsetDateTime),
}

/// A time as stored: RFC 3339, UTC, whole seconds.
pub fn stamp(at: OffsetDateTime) -> String {
    let at = at.to_offset(time::UtcOffset::UTC);
    at.replace_nanosecond(0)
        .unwrap_or(at)
        .format(&time::format_description::well_known::Rfc3339)
        .unwrap_or_default()
}

fn parse_stamp(text: &str) -> Option<OffsetDateTime> {
    OffsetDateTime::parse(text, &time::format_description::well_known::Rfc3339).ok()
}

/// Checks a title and body as the columns would, with words for the publisher.
pub fn check_text(title: &str, body: &str) -> Result<(), Refusal> {
    let title_chars = title.trim().chars().count();
    if title_chars == 0 {
        return Err(Refusal::TitleEmpty);
    }
    if title_chars > MAX_TITLE_CHARS {
        return Err(Refusal::TitleTooLong(title_chars));
    }
    let body_chars = body.chars().count();
    if body_chars > MAX_BODY_CHARS {
        return Err(Refusal::BodyTooLong(body_chars));
    }
    Ok(())
}

/// The listed targets as they will be stored, one canonical host or URL a line, without
/// repeats; each must be in the takedown list.
async fn checked_listed(conn: &mut sqlx::AnyConnection, listed: &str) -> Result<String, StoreError> {
    let lines = split_listed(listed);
    if lines.len() > MAX_LISTED {
        return Err(Refusal::TooManyListed(lines.len()).into());
    }
    let mut kept: Vec<String> = Vec::new();
    for line in lines {
        // Written as a vendor writes it (`hxxps://kkpp[.]kgi357[.]com/…`) or plainly.
        let link = engine::extract(&line).into_iter().find(|c| c.kind.is_link());
        let Some(url) = link.and_then(|c| engine::canonicalize(&c.value).ok()) else {
            return Err(Refusal::NotListed(line).into());
        };
        let host = url.host_str().to_owned();
        let (found,): (i64,) = sqlx::query_as(
            "SELECT count(*) FROM takedown_entries WHERE host = $1 AND removed_in IS NULL
               AND status NOT IN ('false_positive', 'withdrawn')",
        )
        .bind(&host)
        .fetch_one(&mut *conn)
        .await?;
        if found == 0 {
            return Err(Refusal::NotListed(line).into());
        }
        if !kept.contains(&host) {
            kept.push(host);
        }
    }
    Ok(kept.join("\n"))
}

/// A slug made from the category and the Taiwan date (`alert-2026-12-02`, then `-2`, `-3`…).
async fn free_slug(
    conn: &mut sqlx::AnyConnection,
    category: BulletinCategory,
    now: &str,
) -> Result<String, StoreError> {
    let day = crate::taiwan_day_of(now).unwrap_or_default();
    let base = format!("{}-{day}", category.code());
    for n in 1..1000 {
        let slug = if n == 1 { base.clone() } else { format!("{base}-{n}") };
        if !slug_taken(&mut *conn, &slug).await? {
            return Ok(slug);
        }
    }
    Err(Refusal::SlugTaken(base).into())
}

async fn slug_taken(conn: &mut sqlx::AnyConnection, slug: &str) -> Result<bool, StoreError> {
    let found: Option<(i64,)> = sqlx::query_as("SELECT id FROM bulletins WHERE slug = $1")
        .bind(slug)
        .fetch_optional(&mut *conn)
        .await?;
    Ok(found.is_some())
}

/// Creates a draft and its first revision; returns the bulletin's id.
pub async fn create(
    db: &Db,
    draft: &Draft,
    actor: Actor<'_>,
    now: OffsetDateTime,
) -> Result<i64, StoreError> {
    check_text(&draft.title, &draft.body)?;
    let now = stamp(now);
    let mut tx = audit::begin(db).await?;
    let slug = match draft.slug.trim() {
        "" => free_slug(&mut tx, draft.category.unwrap_or(BulletinCategory::Alert), &now).await?,
        given => {
            let slug = BulletinSlug::parse(given).map_err(Refusal::Slug)?;
            if slug_taken(&mut tx, slug.as_str()).await? {
                return Err(Refusal::SlugTaken(slug.as_str().to_owned()).into());
            }
            slug.as_str().to_owned()
        }
    };
    let language = draft.language.unwrap_or(Language::Chinese);
    let category = draft.category.unwrap_or(BulletinCategory::Alert);
    let translation_of = match draft.translation_of.trim() {
        "" => None,
        original => Some(original_for(&mut tx, original, language).await?),
    };
    let listed = checked_listed(&mut tx, &draft.listed).await?;
    let incident = (category == BulletinCategory::Incident).then_some(IncidentState::Investigating.code());
    let (id,): (i64,) = sqlx::query_as(
        "INSERT INTO bulletins (slug, language, translation_of, category, title, body, listed, status, incident_state,
                                author, created_at, updated_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, 'draft', $8, $9, $10, $11) RETURNING id",
    )
    .bind(&slug)
    .bind(language.code())
    .bind(translation_of)
    .bind(category.code())
    .bind(draft.title.trim())
    .bind(&draft.body)
    .bind(&listed)
    .bind(incident)
    .bind(actor.login)
    .bind(&now)
    .bind(&now)
    .fetch_one(&mut *tx)
    .await?;
    let revision =
        add_revision(&mut tx, id, draft.title.trim(), &draft.body, &listed, actor.login, &now, None).await?;
    sqlx::query("UPDATE bulletins SET head_revision = $1 WHERE id = $2")
        .bind(revision)
        .bind(id)
        .execute(&mut *tx)
        .await?;
    audited(
        &mut tx,
        actor,
        "bulletin_create",
        id,
        "",
        &format!("{slug} ({}, {})", category.code(), language.code()),
    )
    .await?;
    tx.commit().await?;
    Ok(id)
}

/// The id of the bulletin at `slug` that a new bulletin in `language` may translate.
async fn original_for(
    conn: &mut sqlx::AnyConnection,
    slug: &str,
    language: Language,
) -> Result<i64, StoreError> {
    let found: Option<(i64, String, Option<i64>)> =
        sqlx::query_as("SELECT id, language, translation_of FROM bulletins WHERE slug = $1")
            .bind(slug)
            .fetch_optional(&mut *conn)
            .await?;
    let Some((id, original_language, its_original)) = found else {
        return Err(Refusal::NoOriginal(slug.to_owned()).into());
    };
    if original_language == language.code() {
        return Err(Refusal::SameLanguage.into());
    }
    let (translations,): (i64,) = sqlx::query_as("SELECT count(*) FROM bulletins WHERE translation_of = $1")
        .bind(id)
        .fetch_one(&mut *conn)
        .await?;
    if translations > 0 || its_original.is_some() {
        return Err(Refusal::AlreadyTranslated(slug.to_owned()).into());
    }
    Ok(id)
}

#[allow(clippy::too_many_arguments)]
async fn add_revision(
    conn: &mut sqlx::AnyConnection,
    id: i64,
    title: &str,
    body: &str,
    listed: &str,
    author: &str,
    now: &str,
    restored_from: Option<i64>,
) -> Result<i64, StoreError> {
    let (revision,): (i64,) = sqlx::query_as(
        "INSERT INTO bulletin_revisions (bulletin_id, title, body, listed, author, saved_at, restored_from)
         VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id",
    )
    .bind(id)
    .bind(title)
    .bind(body)
    .bind(listed)
    .bind(author)
    .bind(now)
    .bind(restored_from)
    .fetch_one(&mut *conn)
    .await?;
    Ok(revision)
}

async fn audited(
    tx: &mut Locked,
    actor: Actor<'_>,
    action: &str,
    id: i64,
    before: &str,
    after: &str,
) -> Result<(), StoreError> {
    let entry = NewEntry::new(action)
        .by(actor.id, actor.login)
        .on(format!("bulletin:{id}"))
        .change(before, after)
        .from(actor.client);
    audit::append(tx, &entry).await?;
    Ok(())
}

/// The state the writers need, read inside their transaction.
struct Current {
    status: BulletinStatus,
    head: i64,
    published: Option<i64>,
}

async fn current(conn: &mut sqlx::AnyConnection, id: i64) -> Result<Current, StoreError> {
    let row: Option<(String, Option<i64>, Option<i64>)> =
        sqlx::query_as("SELECT status, head_revision, published_revision FROM bulletins WHERE id = $1")
            .bind(id)
            .fetch_optional(&mut *conn)
            .await?;
    let (status, head, published) = row.ok_or(Refusal::NoSuchBulletin)?;
    let status = BulletinStatus::parse(&status)
        .ok_or_else(|| StoreError::invalid_row("bulletins", id, format!("unknown status {status:?}")))?;
    Ok(Current { status, head: head.unwrap_or(0), published })
}

/// Saves a new text as a revision. `opened_head` is the revision the publisher's editor
/// showed: if someone saved since, nothing is written ([`Refusal::Stale`]). A draft's text
/// is its newest; a published bulletin's new text waits as a pending revision until it is
/// published. Returns the new revision's id.
pub async fn save(
    db: &Db,
    id: i64,
    title: &str,
    body: &str,
    listed: &str,
    opened_head: i64,
    actor: Actor<'_>,
    now: OffsetDateTime,
) -> Result<i64, StoreError> {
    check_text(title, body)?;
    let now = stamp(now);
    let mut tx = audit::begin(db).await?;
    let current = current(&mut tx, id).await?;
    if current.head != opened_head {
        return Err(Refusal::Stale.into());
    }
    let listed = checked_listed(&mut tx, listed).await?;
    let revision = add_revision(&mut tx, id, title.trim(), body, &listed, actor.login, &now, None).await?;
    point_head(&mut tx, id, revision, current.published.is_none(), &now).await?;
    audited(
        &mut tx,
        actor,
        "bulletin_save",
        id,
        &format!("revision {}", current.head),
        &format!("revision {revision}"),
    )
    .await?;
    tx.commit().await?;
    Ok(revision)
}

/// Makes `revision` the newest; a bulletin never published also shows it as its text.
async fn point_head(
    conn: &mut sqlx::AnyConnection,
    id: i64,
    revision: i64,
    never_published: bool,
    now: &str,
) -> Result<(), StoreError> {
    if never_published {
        sqlx::query(
            "UPDATE bulletins SET head_revision = r.id, title = r.title, body = r.body, listed = r.listed, updated_at = $1
             FROM (SELECT id, title, body, listed FROM bulletin_revisions WHERE id = $2) AS r WHERE bulletins.id = $3",
        )
        .bind(now)
        .bind(revision)
        .bind(id)
        .execute(&mut *conn)
        .await?;
    } else {
        sqlx::query("UPDATE bulletins SET head_revision = $1, updated_at = $2 WHERE id = $3")
            .bind(revision)
            .bind(now)
            .bind(id)
            .execute(&mut *conn)
            .await?;
    }
    Ok(())
}

/// Restores an earlier revision: its text becomes a new revision (the history is never
/// rewritten). Returns the new revision's id.
pub async fn restore(
    db: &Db,
    id: i64,
    revision_id: i64,
    opened_head: i64,
    actor: Actor<'_>,
    now: OffsetDateTime,
) -> Result<i64, StoreError> {
    let now = stamp(now);
    let mut tx = audit::begin(db).await?;
    let current = current(&mut tx, id).await?;
    if current.head != opened_head {
        return Err(Refusal::Stale.into());
    }
    let old: Option<Revision> = sqlx::query_as(
        "SELECT id, title, body, listed, author, saved_at, restored_from FROM bulletin_revisions
         WHERE id = $1 AND bulletin_id = $2",
    )
    .bind(revision_id)
    .bind(id)
    .fetch_optional(&mut *tx)
    .await?;
    let old = old.ok_or(Refusal::NoSuchRevision)?;
    let revision =
        add_revision(&mut tx, id, &old.title, &old.body, &old.listed, actor.login, &now, Some(old.id))
            .await?;
    point_head(&mut tx, id, revision, current.published.is_none(), &now).await?;
    audited(
        &mut tx,
        actor,
        "bulletin_restore",
        id,
        &format!("revision {}", current.head),
        &format!("revision {revision} (from {})", old.id),
    )
    .await?;
    tx.commit().await?;
    Ok(revision)
}

/// Whether a second publisher must approve before anything is published.
pub async fn second_approval(db: &Db) -> Result<bool, StoreError> {
    let (on,): (i64,) =
        sqlx::query_as("SELECT second_approval FROM publishing_settings WHERE id = 1").fetch_one(db).await?;
    Ok(on != 0)
}

/// Turns the second publisher's approval on or off (admins; audited).
pub async fn set_second_approval(
    db: &Db,
    on: bool,
    actor: Actor<'_>,
    now: OffsetDateTime,
) -> Result<(), StoreError> {
    let now = stamp(now);
    let mut tx = audit::begin(db).await?;
    let (before,): (i64,) = sqlx::query_as("SELECT second_approval FROM publishing_settings WHERE id = 1")
        .fetch_one(&mut *tx)
        .await?;
    sqlx::query(
        "UPDATE publishing_settings SET second_approval = $1, updated_by = $2, updated_at = $3 WHERE id = 1",
    )
    .bind(i64::from(on))
    .bind(actor.login)
    .bind(&now)
    .execute(&mut *tx)
    .await?;
    let word = |on: bool| if on { "second approval on" } else { "second approval off" };
    let entry = NewEntry::new("publishing_setting")
        .by(actor.id, actor.login)
        .on("publishing:second_approval")
        .change(word(before != 0), word(on))
        .from(actor.client);
    audit::append(&mut tx, &entry).await?;
    tx.commit().await?;
    Ok(())
}

/// Publishes the newest revision now or schedules it, or, when the setting asks for a second
/// publisher, files the request for one.
pub async fn publish(
    db: &Db,
    id: i64,
    when: When,
    actor: Actor<'_>,
    now: OffsetDateTime,
) -> Result<Outcome, StoreError> {
    if let When::At(at) = when {
        if at <= now {
            return Err(Refusal::InThePast.into());
        }
        if at > now + time::Duration::days(MAX_SCHEDULE_DAYS) {
            return Err(Refusal::TooFarAhead.into());
        }
    }
    let at = match when {
        When::Now => None,
        When::At(at) => Some(stamp(at)),
    };
    let now_text = stamp(now);
    let mut tx = audit::begin(db).await?;
    let current = current(&mut tx, id).await?;
    if current.status == BulletinStatus::Published {
        if at.is_some() {
            return Err(Refusal::AlreadyPublished.into());
        }
        if current.published == Some(current.head) {
            return Err(Refusal::NothingToPublish.into());
        }
    }
    let (on,): (i64,) = sqlx::query_as("SELECT second_approval FROM publishing_settings WHERE id = 1")
        .fetch_one(&mut *tx)
        .await?;
    if on != 0 {
        if open_request(&mut tx, id).await?.is_some() {
            return Err(Refusal::AlreadyWaiting.into());
        }
        let requester = actor.id.ok_or(Refusal::NotAPublisher)?;
        let (request,): (i64,) = sqlx::query_as(
            "INSERT INTO bulletin_approvals (bulletin_id, revision_id, publish_at, requested_by, requested_at)
             VALUES ($1, $2, $3, $4, $5) RETURNING id",
        )
        .bind(id)
        .bind(current.head)
        .bind(at.as_deref())
        .bind(requester)
        .bind(&now_text)
        .fetch_one(&mut *tx)
        .await?;
        let asked = at.as_deref().map_or("publish now".to_owned(), |at| format!("publish at {at}"));
        audited(
            &mut tx,
            actor,
            "bulletin_request",
            id,
            "",
            &format!("{asked}: revision {} (request {request})", current.head),
        )
        .await?;
        tx.commit().await?;
        return Ok(Outcome::Waiting(request));
    }
    let outcome = put_out(&mut tx, id, current.head, at.as_deref(), &now_text).await?;
    audited(
        &mut tx,
        actor,
        outcome_action(&outcome),
        id,
        current.status.code(),
        &outcome_words(&outcome, current.head),
    )
    .await?;
    tx.commit().await?;
    Ok(outcome)
}

fn outcome_action(outcome: &Outcome) -> &'static str {
    match outcome {
        Outcome::Scheduled(_) => "bulletin_schedule",
        _ => "bulletin_publish",
    }
}

fn outcome_words(outcome: &Outcome, revision: i64) -> String {
    match outcome {
        Outcome::Scheduled(at) => format!("scheduled for {at}: revision {revision}"),
        _ => format!("published: revision {revision}"),
    }
}

/// Publishes `revision` now (`at` None) or schedules it for `at` (never published yet).
async fn put_out(
    tx: &mut Locked,
    id: i64,
    revision: i64,
    at: Option<&str>,
    now: &str,
) -> Result<Outcome, StoreError> {
    match at {
        Some(at) => {
            let day = crate::taiwan_day_of(at).unwrap_or_default();
            sqlx::query(
                "UPDATE bulletins SET status = 'scheduled', scheduled_revision = $1, publish_at = $2,
                        published_on = $3, updated_at = $4 WHERE id = $5",
            )
            .bind(revision)
            .bind(at)
            .bind(&day)
            .bind(now)
            .bind(id)
            .execute(&mut **tx)
            .await?;
            Ok(Outcome::Scheduled(at.to_owned()))
        }
        None => {
            go_live(tx, id, revision, now).await?;
            Ok(Outcome::Published)
        }
    }
}

/// Makes `revision` what readers see, and records the hosts it names. A bulletin published
/// before keeps its first publication date; its text and `updated_at` change.
async fn go_live(tx: &mut Locked, id: i64, revision: i64, now: &str) -> Result<(), StoreError> {
    let today = crate::taiwan_day_of(now).unwrap_or_default();
    sqlx::query(
        "UPDATE bulletins SET status = 'published', title = r.title, body = r.body, listed = r.listed,
                published_revision = r.id, scheduled_revision = NULL,
                publish_at = CASE WHEN bulletins.published_revision IS NULL OR bulletins.publish_at IS NULL
                                  THEN $1 ELSE bulletins.publish_at END,
                published_on = CASE WHEN bulletins.published_revision IS NULL OR bulletins.published_on IS NULL
                                    THEN $2 ELSE bulletins.published_on END,
                updated_at = $3
         FROM (SELECT id, title, body, listed FROM bulletin_revisions WHERE id = $4) AS r
         WHERE bulletins.id = $5",
    )
    .bind(now)
    .bind(&today)
    .bind(now)
    .bind(revision)
    .bind(id)
    .execute(&mut **tx)
    .await?;
    let bulletin = super::by_id_in(tx, id).await?;
    super::index_hosts(tx, &bulletin, now).await?;
    Ok(())
}

async fn open_request(
    conn: &mut sqlx::AnyConnection,
    id: i64,
) -> Result<Option<ApprovalRequest>, StoreError> {
    let row: Option<(i64, i64, Option<String>, i64, String, String)> = sqlx::query_as(
        "SELECT a.id, a.revision_id, a.publish_at, a.requested_by, coalesce(u.login, ''), a.requested_at
         FROM bulletin_approvals a LEFT JOIN staff_users u ON u.id = a.requested_by
         WHERE a.bulletin_id = $1 AND a.decided_at IS NULL",
    )
    .bind(id)
    .fetch_optional(&mut *conn)
    .await?;
    Ok(row.map(|(id, revision_id, publish_at, requested_by, requester, requested_at)| ApprovalRequest {
        id,
        revision_id,
        publish_at,
        requested_by,
        requester,
        requested_at,
    }))
}

/// A second publisher approves or rejects the waiting request of bulletin `id`. Approval
/// publishes the revision that was asked for (not a later edit), now or at its time.
pub async fn decide(
    db: &Db,
    id: i64,
    approve: bool,
    note: &str,
    actor: Actor<'_>,
    now: OffsetDateTime,
) -> Result<Option<Outcome>, StoreError> {
    let now_text = stamp(now);
    let mut tx = audit::begin(db).await?;
    let request = open_request(&mut tx, id).await?.ok_or(Refusal::NoRequest)?;
    let decider = actor.id.ok_or(Refusal::NotAPublisher)?;
    if decider == request.requested_by {
        return Err(Refusal::OwnRequest.into());
    }
    let (publisher,): (i64,) =
        sqlx::query_as("SELECT count(*) FROM staff_roles WHERE user_id = $1 AND role = 'publisher'")
            .bind(decider)
            .fetch_one(&mut *tx)
            .await?;
    if publisher == 0 {
        return Err(Refusal::NotAPublisher.into());
    }
    let decision = if approve { "approved" } else { "rejected" };
    sqlx::query("UPDATE bulletin_approvals SET decided_by = $1, decided_at = $2, decision = $3, note = $4 WHERE id = $5")
        .bind(decider)
        .bind(&now_text)
        .bind(decision)
        .bind(note.trim().chars().take(1000).collect::<String>())
        .bind(request.id)
        .execute(&mut *tx)
        .await?;
    let outcome = if approve {
        // A time that passed while the request waited means: now.
        let at = request.publish_at.as_deref().filter(|at| parse_stamp(at).is_some_and(|at| at > now));
        Some(put_out(&mut tx, id, request.revision_id, at, &now_text).await?)
    } else {
        None
    };
    let after = match &outcome {
        Some(outcome) => {
            format!("{decision} request {}: {}", request.id, outcome_words(outcome, request.revision_id))
        }
        None => format!("{decision} request {}", request.id),
    };
    audited(&mut tx, actor, "bulletin_decide", id, &format!("requested by {}", request.requester), &after)
        .await?;
    tx.commit().await?;
    Ok(outcome)
}

/// Takes a published (or scheduled) bulletin off the public site; its revisions stay.
pub async fn unpublish(db: &Db, id: i64, actor: Actor<'_>, now: OffsetDateTime) -> Result<(), StoreError> {
    let now = stamp(now);
    let mut tx = audit::begin(db).await?;
    let current = current(&mut tx, id).await?;
    let next = match current.status {
        BulletinStatus::Published => BulletinStatus::Unpublished,
        // A scheduled bulletin never published goes back to being a draft.
        BulletinStatus::Scheduled if current.published.is_none() => BulletinStatus::Draft,
        BulletinStatus::Scheduled => BulletinStatus::Unpublished,
        _ => return Err(Refusal::NotPublished.into()),
    };
    sqlx::query(
        "UPDATE bulletins SET status = $1, scheduled_revision = NULL,
                publish_at = CASE WHEN $2 = 'draft' THEN NULL ELSE publish_at END,
                published_on = CASE WHEN $3 = 'draft' THEN NULL ELSE published_on END, updated_at = $4
         WHERE id = $5",
    )
    .bind(next.code())
    .bind(next.code())
    .bind(next.code())
    .bind(&now)
    .bind(id)
    .execute(&mut *tx)
    .await?;
    sqlx::query("DELETE FROM bulletin_hosts WHERE bulletin_id = $1").bind(id).execute(&mut *tx).await?;
    audited(&mut tx, actor, "bulletin_unpublish", id, current.status.code(), next.code()).await?;
    tx.commit().await?;
    Ok(())
}

/// Pins a bulletin to the top of the lists, or lets it go.
pub async fn set_pinned(
    db: &Db,
    id: i64,
    pinned: bool,
    actor: Actor<'_>,
    now: OffsetDateTime,
) -> Result<(), StoreError> {
    let now = stamp(now);
    let mut tx = audit::begin(db).await?;
    current(&mut tx, id).await?;
    sqlx::query("UPDATE bulletins SET pinned = $1, updated_at = $2 WHERE id = $3")
        .bind(i64::from(pinned))
        .bind(&now)
        .bind(id)
        .execute(&mut *tx)
        .await?;
    let word = |p: bool| if p { "pinned" } else { "not pinned" };
    audited(&mut tx, actor, "bulletin_pin", id, word(!pinned), word(pinned)).await?;
    tx.commit().await?;
    Ok(())
}

/// Publishes every scheduled bulletin whose time has come, each exactly once whatever the
/// number of instances (the scheduler's lock, and a change that only a still-scheduled row
/// takes). Returns the slugs published; `None` when another instance is at it.
pub async fn publish_due(db: &Db, now: OffsetDateTime) -> Result<Option<Vec<String>>, StoreError> {
    let now_text = stamp(now);
    let Some(mut tx) = lock::try_lock(db, SCHEDULE_LOCK).await? else { return Ok(None) };
    lock::also(&mut tx, audit::AUDIT_LOCK).await?;
    let due: Vec<(i64, String, Option<i64>, i64)> = sqlx::query_as(
        "SELECT id, slug, scheduled_revision, coalesce(head_revision, 0) FROM bulletins
         WHERE status = 'scheduled' AND publish_at <= $1 ORDER BY publish_at, id",
    )
    .bind(&now_text)
    .fetch_all(&mut *tx)
    .await?;
    let mut published = Vec::new();
    for (id, slug, scheduled, head) in due {
        let revision = scheduled.unwrap_or(head);
        // Publish at the time it was scheduled for: readers see the date they were told.
        let (at,): (String,) = sqlx::query_as("SELECT publish_at FROM bulletins WHERE id = $1")
            .bind(id)
            .fetch_one(&mut *tx)
            .await?;
        go_live(&mut tx, id, revision, &now_text).await?;
        sqlx::query("UPDATE bulletins SET publish_at = $1, published_on = $2 WHERE id = $3")
            .bind(&at)
            .bind(crate::taiwan_day_of(&at).unwrap_or_default())
            .bind(id)
            .execute(&mut *tx)
            .await?;
        audited(
            &mut tx,
            Actor::system(),
            "bulletin_publish",
            id,
            "scheduled",
            &format!("published on schedule ({at}): revision {revision}"),
        )
        .await?;
        published.push(slug);
    }
    tx.commit().await?;
    Ok(Some(published))
}

#[derive(sqlx::FromRow)]
struct EditorialRow {
    id: i64,
    slug: String,
    language: String,
    category: String,
    status: String,
    pinned: i64,
    publish_at: Option<String>,
    incident_state: Option<String>,
    translation_of: Option<i64>,
    head_revision: Option<i64>,
    published_revision: Option<i64>,
    scheduled_revision: Option<i64>,
    author: String,
    created_at: String,
    updated_at: String,
    title: String,
}

struct Codes {
    language: Language,
    category: BulletinCategory,
    status: BulletinStatus,
    incident: Option<IncidentState>,
}

fn codes(row: &EditorialRow) -> Result<Codes, StoreError> {
    let bad = |what: &str, value: &str| {
        StoreError::invalid_row("bulletins", row.id, format!("unknown {what} {value:?}"))
    };
    Ok(Codes {
        language: Language::parse(&row.language).ok_or_else(|| bad("language", &row.language))?,
        category: BulletinCategory::parse(&row.category).ok_or_else(|| bad("category", &row.category))?,
        status: BulletinStatus::parse(&row.status).ok_or_else(|| bad("status", &row.status))?,
        incident: match row.incident_state.as_deref() {
            None => None,
            Some(code) => Some(IncidentState::parse(code).ok_or_else(|| bad("incident state", code))?),
        },
    })
}

const EDITORIAL_COLUMNS: &str = "b.id, b.slug, b.language, b.category, b.status, b.pinned, b.publish_at, \
     b.incident_state, b.translation_of, b.head_revision, b.published_revision, b.scheduled_revision, b.author, \
     b.created_at, b.updated_at, coalesce(h.title, b.title) AS title";

/// The bulletins the publishing page lists, newest change first (at most `limit`).
pub async fn list(db: &Db, filter: Filter, limit: i64) -> Result<Vec<Listed>, StoreError> {
    let rows = sqlx::query_as::<_, EditorialRow>(&format!(
        "SELECT {EDITORIAL_COLUMNS} FROM bulletins b LEFT JOIN bulletin_revisions h ON h.id = b.head_revision
         WHERE ($1 = '' OR b.status = $2) AND ($3 = '' OR b.category = $4) AND ($5 = '' OR b.language = $6)
         ORDER BY b.updated_at DESC, b.id DESC LIMIT $7"
    ))
    .bind(filter.status.map_or("", BulletinStatus::code))
    .bind(filter.status.map_or("", BulletinStatus::code))
    .bind(filter.category.map_or("", BulletinCategory::code))
    .bind(filter.category.map_or("", BulletinCategory::code))
    .bind(filter.language.map_or("", Language::code))
    .bind(filter.language.map_or("", Language::code))
    .bind(limit)
    .fetch_all(db)
    .await?;
    let waiting: Vec<(i64,)> =
        sqlx::query_as("SELECT bulletin_id FROM bulletin_approvals WHERE decided_at IS NULL")
            .fetch_all(db)
            .await?;
    rows.into_iter()
        .map(|row| {
            let c = codes(&row)?;
            Ok(Listed {
                id: row.id,
                pending: row.published_revision.is_some_and(|p| Some(p) != row.head_revision),
                waiting: waiting.iter().any(|(id,)| *id == row.id),
                slug: row.slug,
                language: c.language,
                category: c.category,
                status: c.status,
                pinned: row.pinned != 0,
                title: row.title,
                publish_at: row.publish_at,
                updated_at: row.updated_at,
            })
        })
        .collect()
}

/// One bulletin as its publishers see it: its newest revision, where it stands, its
/// translation and any request that waits for approval.
pub async fn get(db: &Db, id: i64) -> Result<Option<Editorial>, StoreError> {
    let row = sqlx::query_as::<_, EditorialRow>(&format!(
        "SELECT {EDITORIAL_COLUMNS} FROM bulletins b LEFT JOIN bulletin_revisions h ON h.id = b.head_revision
         WHERE b.id = $1"
    ))
    .bind(id)
    .fetch_optional(db)
    .await?;
    let Some(row) = row else { return Ok(None) };
    let c = codes(&row)?;
    let head = match row.head_revision {
        Some(head) => revision(db, id, head).await?,
        None => None,
    }
    .ok_or_else(|| StoreError::invalid_row("bulletins", id, "no revision"))?;
    let translation: Option<(i64, String, String)> = sqlx::query_as(
        "SELECT id, slug, language FROM bulletins WHERE translation_of = $1 OR id = $2 ORDER BY id LIMIT 1",
    )
    .bind(id)
    .bind(row.translation_of.unwrap_or(-1))
    .fetch_optional(db)
    .await?;
    let mut conn = db.acquire().await?;
    let waiting = open_request(&mut conn, id).await?;
    Ok(Some(Editorial {
        id,
        slug: row.slug,
        language: c.language,
        category: c.category,
        status: c.status,
        pinned: row.pinned != 0,
        publish_at: row.publish_at,
        incident: c.incident,
        translation: translation
            .and_then(|(id, slug, language)| Language::parse(&language).map(|language| (id, slug, language))),
        head,
        published_revision: row.published_revision,
        scheduled_revision: row.scheduled_revision,
        author: row.author,
        created_at: row.created_at,
        updated_at: row.updated_at,
        waiting,
    }))
}

/// The id of the bulletin at `slug`, whatever its status.
pub async fn id_of(db: &Db, slug: &str) -> Result<Option<i64>, StoreError> {
    let found: Option<(i64,)> =
        sqlx::query_as("SELECT id FROM bulletins WHERE slug = $1").bind(slug).fetch_optional(db).await?;
    Ok(found.map(|(id,)| id))
}

/// Revision `revision` of bulletin `id`.
pub async fn revision(db: &Db, id: i64, revision: i64) -> Result<Option<Revision>, StoreError> {
    Ok(sqlx::query_as(
        "SELECT id, title, body, listed, author, saved_at, restored_from FROM bulletin_revisions
         WHERE id = $1 AND bulletin_id = $2",
    )
    .bind(revision)
    .bind(id)
    .fetch_optional(db)
    .await?)
}

/// Every revision of bulletin `id`, newest first.
pub async fn revisions(db: &Db, id: i64) -> Result<Vec<Revision>, StoreError> {
    Ok(sqlx::query_as(
        "SELECT id, title, body, listed, author, saved_at, restored_from FROM bulletin_revisions
         WHERE bulletin_id = $1 ORDER BY id DESC",
    )
    .bind(id)
    .fetch_all(db)
    .await?)
}

/// The requests that wait for a second publisher, oldest first: (bulletin id, request).
pub async fn waiting_requests(db: &Db) -> Result<Vec<(i64, ApprovalRequest)>, StoreError> {
    let rows: Vec<(i64, i64, i64, Option<String>, i64, String, String)> = sqlx::query_as(
        "SELECT a.bulletin_id, a.id, a.revision_id, a.publish_at, a.requested_by, coalesce(u.login, ''), a.requested_at
         FROM bulletin_approvals a LEFT JOIN staff_users u ON u.id = a.requested_by
         WHERE a.decided_at IS NULL ORDER BY a.id",
    )
    .fetch_all(db)
    .await?;
    Ok(rows
        .into_iter()
        .map(|(bulletin, id, revision_id, publish_at, requested_by, requester, requested_at)| {
            (bulletin, ApprovalRequest { id, revision_id, publish_at, requested_by, requester, requested_at })
        })
        .collect())
}
