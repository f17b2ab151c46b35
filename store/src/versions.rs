//! Numbered versions of the takedown entry set: who changed it and how, the SHA-256 of the
//! set after each change, and the way back to any earlier version (docs/security.md).

use std::collections::HashMap;

use engine::{TakedownScope, TakedownStatus};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use sqlx::Row as _;

use crate::audit::{self, Actor};
use crate::lock::Locked;
use crate::takedown::Source;
use crate::{Db, StoreError};

/// Everything a version restores of an entry: the fields an import, an edit or a rollback
/// may change. The checksum of a version is computed over these.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct EntryImage {
    pub scope: TakedownScope,
    pub target: String,
    pub url: String,
    pub host: String,
    pub site: Option<String>,
    pub hosting_ip: Option<String>,
    pub source: Source,
    pub vendor: String,
    pub alert_id: Option<String>,
    pub case_id: Option<String>,
    pub brand: String,
    /// Taiwan dates, `YYYY-MM-DD`.
    pub first_seen: String,
    pub last_seen: String,
    pub report_count: i64,
    pub notes: String,
    pub status: TakedownStatus,
}

/// The columns of [`EntryImage`], in its order, for queries that read or write one.
pub(crate) const IMAGE_COLUMNS: &str =
    "scope, target, url, host, site, hosting_ip, source, vendor, alert_id, \
     case_id, brand, first_seen, last_seen, report_count, notes, status";

/// How many columns [`IMAGE_COLUMNS`] names.
pub(crate) const IMAGE_WIDTH: usize = 16;

impl EntryImage {
    /// Reads an image from `row`, whose columns from `at` on are [`IMAGE_COLUMNS`].
    pub(crate) fn from_row(row: &sqlx::any::AnyRow, at: usize, id: i64) -> Result<Self, StoreError> {
        let text = |i: usize| row.try_get::<String, _>(at + i);
        let optional = |i: usize| row.try_get::<Option<String>, _>(at + i);
        let bad = |what: &str, value: &str| {
            StoreError::invalid_row("takedown_entries", id, format!("unknown {what} {value:?}"))
        };
        let scope = text(0)?;
        let source = text(6)?;
        let status = text(15)?;
        Ok(Self {
            scope: TakedownScope::parse(&scope).ok_or_else(|| bad("scope", &scope))?,
            target: text(1)?,
            url: text(2)?,
            host: text(3)?,
            site: optional(4)?,
            hosting_ip: optional(5)?,
            source: Source::parse(&source).ok_or_else(|| bad("source", &source))?,
            vendor: text(7)?,
            alert_id: optional(8)?,
            case_id: optional(9)?,
            brand: text(10)?,
            first_seen: text(11)?,
            last_seen: text(12)?,
            report_count: row.try_get::<i64, _>(at + 13)?,
            notes: text(14)?,
            status: TakedownStatus::parse(&status).ok_or_else(|| bad("status", &status))?,
        })
    }

    /// Binds the image's fields, in [`IMAGE_COLUMNS`] order.
    pub(crate) fn bind<'q>(
        &'q self,
        query: sqlx::query::Query<'q, sqlx::Any, sqlx::any::AnyArguments<'q>>,
    ) -> sqlx::query::Query<'q, sqlx::Any, sqlx::any::AnyArguments<'q>> {
        query
            .bind(self.scope.code())
            .bind(&self.target)
            .bind(&self.url)
            .bind(&self.host)
            .bind(&self.site)
            .bind(&self.hosting_ip)
            .bind(self.source.code())
            .bind(&self.vendor)
            .bind(&self.alert_id)
            .bind(&self.case_id)
            .bind(&self.brand)
            .bind(&self.first_seen)
            .bind(&self.last_seen)
            .bind(self.report_count)
            .bind(&self.notes)
            .bind(self.status.code())
    }

    /// The entry's key: one entry per scope and target.
    pub fn key(&self) -> (TakedownScope, &str) {
        (self.scope, &self.target)
    }

    /// The key as [`checksum`] sorts by it: the scope's code, then the target.
    fn key_codes(&self) -> (&'static str, &str) {
        (self.scope.code(), &self.target)
    }

    fn json(&self) -> String {
        serde_json::to_string(self).unwrap_or_default()
    }
}

/// The SHA-256 of an entry set: each image as one JSON line, sorted bytewise by scope and
/// target in Rust (the two backends would sort text differently), hex.
pub fn checksum<'a>(images: impl IntoIterator<Item = &'a EntryImage>) -> String {
    checksum_from(images.into_iter().collect(), TWO_THREADS_FROM)
}

/// From this many entries on, [`checksum`] sorts them in two halves side by side, and writes
/// their lines on one thread while it hashes them on another: a million took 1.3 s of an
/// import's preview on one.
const TWO_THREADS_FROM: usize = 100_000;

/// [`checksum`] of `images`, on two threads from `two_threads_from` entries on (or on one,
/// when no thread can be started: the sum is the same).
fn checksum_from(mut images: Vec<&EntryImage>, two_threads_from: usize) -> String {
    if images.len() < two_threads_from {
        images.sort_unstable_by(by_key);
        return audit::hex(&Summing::default().add(images).hash.finalize());
    }
    let sorted = sorted_in_halves(images);
    audit::hex(&hashed_beside(&sorted).finalize())
}

fn by_key(a: &&EntryImage, b: &&EntryImage) -> std::cmp::Ordering {
    a.key_codes().cmp(&b.key_codes())
}

/// `images` in key order: each half sorted on a thread of its own, then merged here (leaving
/// the two sorted runs to `sort_by` to merge took 1.05 s for a million, longer than one thread's
/// whole sort, 0.7 s, in a release-mode probe).
fn sorted_in_halves(mut images: Vec<&EntryImage>) -> Vec<&EntryImage> {
    let middle = images.len() / 2;
    let (left, right) = images.split_at_mut(middle);
    let beside = std::thread::scope(|scope| {
        let beside =
            std::thread::Builder::new().spawn_scoped(scope, move || left.sort_unstable_by(by_key)).is_ok();
        right.sort_unstable_by(by_key);
        beside
    });
    if !beside {
        images[..middle].sort_unstable_by(by_key);
    }
    let (left, right) = images.split_at(middle);
    let mut merged = Vec::with_capacity(images.len());
    let (mut l, mut r) = (0, 0);
    while l < left.len() && r < right.len() {
        if by_key(&right[r], &left[l]).is_lt() {
            merged.push(right[r]);
            r += 1;
        } else {
            merged.push(left[l]);
            l += 1;
        }
    }
    merged.extend_from_slice(&left[l..]);
    merged.extend_from_slice(&right[r..]);
    merged
}

/// The hash [`Summing`] makes of `sorted`, the lines written on a thread of their own a few
/// thousand to a buffer while this one hashes the buffers before.
fn hashed_beside(sorted: &[&EntryImage]) -> Sha256 {
    let (send, written) = std::sync::mpsc::sync_channel::<Vec<u8>>(4);
    std::thread::scope(|scope| {
        let writer = std::thread::Builder::new().spawn_scoped(scope, move || {
            for part in sorted.chunks(4_096) {
                let mut lines = Vec::with_capacity(part.len() * 256);
                for image in part {
                    let start = lines.len();
                    if serde_json::to_writer(&mut lines, image).is_err() {
                        lines.truncate(start); // as `Summing::add`
                    }
                    lines.push(b'\n');
                }
                if send.send(lines).is_err() {
                    return;
                }
            }
        });
        if writer.is_err() {
            return Summing::default().add(sorted.iter().copied()).hash;
        }
        let mut hash = Sha256::new();
        for lines in written {
            hash.update(&lines);
        }
        hash
    })
}

/// The size and [`checksum`] of the active set `stored` (every entry by id, with whether it is
/// active, as [`all_images`] reads them) once the entries `replaced` names are taken out and
/// `added` put in: what a writer that read the whole set under the firm-data lock leaves.
pub(crate) fn checksum_after<'a>(
    stored: &'a HashMap<i64, (EntryImage, bool)>,
    replaced: &std::collections::HashSet<i64>,
    added: impl IntoIterator<Item = &'a EntryImage>,
) -> (i64, String) {
    let kept = stored
        .iter()
        .filter(|(id, (_, active))| *active && !replaced.contains(id))
        .map(|(_, (image, _))| image);
    let set: Vec<&EntryImage> = kept.chain(added).collect();
    (i64::try_from(set.len()).unwrap_or(i64::MAX), checksum(set))
}

/// The size and [`checksum`] of the active set as `conn` sees it, without holding it in
/// memory: the entries are read in key order, [`crate::db::PAGE_ROWS`] to a page of one JSON
/// text (one row at a time through sqlx cost a thread switch each), and each page is hashed on
/// a blocking thread while the next is read. Both backends are asked to order bytewise
/// (SQLite's `BINARY` collation, PostgreSQL's `"C"`), and the order is checked as the entries
/// arrive; should a backend ever return them otherwise, the set is read again and sorted in
/// Rust, so the sum is the one [`checksum`] gives either way.
pub(crate) async fn active_checksum(conn: &mut sqlx::AnyConnection) -> Result<(i64, String), StoreError> {
    active_checksum_in_pages(conn, crate::db::PAGE_ROWS).await
}

/// [`active_checksum`], `page_rows` entries to a page.
async fn active_checksum_in_pages(
    conn: &mut sqlx::AnyConnection,
    page_rows: i64,
) -> Result<(i64, String), StoreError> {
    let sql = key_ordered_page(crate::Backend::of_connection(conn));
    let mut sum = Summing::default();
    let mut hashing: Option<tokio::task::JoinHandle<Result<Summing, StoreError>>> = None;
    let mut after = (String::new(), String::new());
    let mut in_order = true;
    loop {
        let (page,): (Option<String>,) =
            sqlx::query_as(&sql).bind(&after.0).bind(&after.1).bind(page_rows).fetch_one(&mut *conn).await?;
        if let Some(previous) = hashing.take() {
            sum = joined(previous).await?;
        }
        let Some(page) = page else { break };
        let images: Vec<EntryImage> = crate::db::unpack("takedown_entries", &page)?;
        if !ascending(&after, &images) {
            in_order = false;
            break;
        }
        let Some(last) = images.last() else { break };
        after = (last.scope.code().to_owned(), last.target.clone());
        let full = images.len() as i64 >= page_rows;
        // Hashing ten thousand entries takes milliseconds: not on a worker that answers checks.
        hashing = Some(tokio::task::spawn_blocking(move || Ok(sum.add(&images))));
        sum = Summing::default();
        if !full {
            break;
        }
    }
    if let Some(previous) = hashing.take() {
        sum = joined(previous).await?;
    }
    if !in_order {
        let active = active_images(conn).await?;
        let count = i64::try_from(active.len()).unwrap_or(i64::MAX);
        return Ok((count, checksum(active.iter().map(|(_, image)| image))));
    }
    Ok((sum.count, audit::hex(&sum.hash.finalize())))
}

/// A query for the page of active entries after the key (`$1` scope code, `$2` target), in
/// bytewise key order, at most `$3`: one JSON array of [`IMAGE_COLUMNS`] arrays, NULL when
/// none is left.
fn key_ordered_page(backend: crate::Backend) -> String {
    match backend {
        // The rows' JSON texts joined as they are, as `db::packed_page` does.
        crate::Backend::Sqlite => format!(
            "SELECT '[' || group_concat(row, ',') || ']' FROM
             (SELECT json_array({IMAGE_COLUMNS}) AS row FROM takedown_entries
              WHERE removed_in IS NULL AND (scope, target) > ($1, $2)
              ORDER BY scope, target LIMIT $3)"
        ),
        crate::Backend::Postgres => format!(
            "SELECT json_agg(row ORDER BY scope COLLATE \"C\", target COLLATE \"C\")::text FROM
             (SELECT scope, target, json_build_array({IMAGE_COLUMNS}) AS row FROM takedown_entries
              WHERE removed_in IS NULL
                AND (scope COLLATE \"C\", target COLLATE \"C\") > ($1 COLLATE \"C\", $2 COLLATE \"C\")
              ORDER BY scope COLLATE \"C\", target COLLATE \"C\" LIMIT $3) page"
        ),
    }
}

/// Whether `images` come in bytewise key order, each after the key `after`.
fn ascending(after: &(String, String), images: &[EntryImage]) -> bool {
    let mut previous = (after.0.as_str(), after.1.as_str());
    images.iter().all(|image| {
        let key = image.key_codes();
        let rising = key > previous;
        previous = key;
        rising
    })
}

/// The running [`checksum`] of entries handed over in key order.
struct Summing {
    hash: Sha256,
    count: i64,
}

impl Default for Summing {
    fn default() -> Self {
        Self { hash: Sha256::new(), count: 0 }
    }
}

impl Summing {
    /// Adds the next entries, each as one JSON line. One line at a time through one buffer:
    /// a million lines at once would take 300 MB.
    fn add<'a>(mut self, images: impl IntoIterator<Item = &'a EntryImage>) -> Self {
        let mut line = Vec::with_capacity(512);
        for image in images {
            line.clear();
            if serde_json::to_writer(&mut line, image).is_err() {
                line.clear(); // as `EntryImage::json` (an image always serializes)
            }
            line.push(b'\n');
            self.hash.update(&line);
            self.count += 1;
        }
        self
    }
}

/// The [`Summing`] a page's hashing thread hands back.
async fn joined(handle: tokio::task::JoinHandle<Result<Summing, StoreError>>) -> Result<Summing, StoreError> {
    handle.await.map_err(|e| StoreError::Refused(format!("hashing the entries was stopped: {e}")))?
}

/// One version of the takedown entry set, as the versions list shows it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Version {
    pub version: i64,
    pub created_at: String,
    pub actor: String,
    /// `baseline`, `import`, `edit` or `rollback`.
    pub action: String,
    /// A file name, a feed address, `paste`.
    pub origin: String,
    pub format: String,
    pub added: i64,
    pub changed: i64,
    pub removed: i64,
    /// Active entries after it.
    pub entries: i64,
    pub checksum: String,
    pub rolled_back_to: Option<i64>,
    /// Whether an admin overrode a guard to make it.
    pub forced: bool,
    pub note: String,
}

const VERSION_COLUMNS: &str = "version, created_at, actor, action, origin, format, added, changed, removed, \
     entries, checksum, rolled_back_to, forced, note";

fn version_of(row: &sqlx::any::AnyRow) -> Result<Version, StoreError> {
    Ok(Version {
        version: row.try_get(0)?,
        created_at: row.try_get(1)?,
        actor: row.try_get(2)?,
        action: row.try_get(3)?,
        origin: row.try_get(4)?,
        format: row.try_get(5)?,
        added: row.try_get(6)?,
        changed: row.try_get(7)?,
        removed: row.try_get(8)?,
        entries: row.try_get(9)?,
        checksum: row.try_get(10)?,
        rolled_back_to: row.try_get(11)?,
        forced: row.try_get::<i64, _>(12)? == 1,
        note: row.try_get(13)?,
    })
}

/// The newest versions, newest first, at most `limit`.
pub async fn list(db: impl crate::Executor<'_>, limit: i64) -> Result<Vec<Version>, StoreError> {
    let rows = sqlx::query(&format!(
        "SELECT {VERSION_COLUMNS} FROM takedown_versions ORDER BY version DESC LIMIT $1"
    ))
    .bind(limit)
    .fetch_all(db)
    .await?;
    rows.iter().map(version_of).collect()
}

/// One version, if it exists.
pub async fn get(db: impl crate::Executor<'_>, version: i64) -> Result<Option<Version>, StoreError> {
    let row = sqlx::query(&format!("SELECT {VERSION_COLUMNS} FROM takedown_versions WHERE version = $1"))
        .bind(version)
        .fetch_optional(db)
        .await?;
    row.as_ref().map(version_of).transpose()
}

/// The current version (the newest), if any was ever recorded.
pub async fn current(db: impl crate::Executor<'_>) -> Result<Option<Version>, StoreError> {
    Ok(list(db, 1).await?.into_iter().next())
}

/// Every entry in the active set, by id.
pub(crate) async fn active_images(
    conn: &mut sqlx::AnyConnection,
) -> Result<Vec<(i64, EntryImage)>, StoreError> {
    let rows =
        sqlx::query(&format!("SELECT id, {IMAGE_COLUMNS} FROM takedown_entries WHERE removed_in IS NULL"))
            .fetch_all(&mut *conn)
            .await?;
    rows.iter()
        .map(|row| {
            let id: i64 = row.try_get(0)?;
            Ok((id, EntryImage::from_row(row, 1, id)?))
        })
        .collect()
}

/// Records that an instance built a valid index from `version` (once; later calls change
/// nothing).
pub async fn mark_verified(db: &Db, version: i64) -> Result<(), StoreError> {
    sqlx::query("UPDATE takedown_versions SET verified_at = $1 WHERE version = $2 AND verified_at IS NULL")
        .bind(crate::now_rfc3339())
        .bind(version)
        .execute(db)
        .await?;
    Ok(())
}

/// The versions before `version` that an instance once built a valid index from, newest
/// first, at most `limit`.
pub async fn verified_before(
    db: impl crate::Executor<'_>,
    version: i64,
    limit: i64,
) -> Result<Vec<i64>, StoreError> {
    let rows: Vec<(i64,)> = sqlx::query_as(
        "SELECT version FROM takedown_versions WHERE version < $1 AND verified_at IS NOT NULL
         ORDER BY version DESC LIMIT $2",
    )
    .bind(version)
    .bind(limit)
    .fetch_all(db)
    .await?;
    Ok(rows.into_iter().map(|(v,)| v).collect())
}

/// Every entry changed after `version`, as it was at `version` (its first later change
/// recorded it; `None`: not in the active set then).
async fn images_then(
    conn: &mut sqlx::AnyConnection,
    version: i64,
) -> Result<HashMap<i64, Option<EntryImage>>, StoreError> {
    let rows: Vec<(i64, Option<String>)> = sqlx::query_as(
        "SELECT c.entry_id, c.before FROM takedown_changes c
         WHERE c.version > $1
           AND c.version = (SELECT min(c2.version) FROM takedown_changes c2
                            WHERE c2.entry_id = c.entry_id AND c2.version > $1)",
    )
    .bind(version)
    .fetch_all(&mut *conn)
    .await?;
    rows.into_iter()
        .map(|(id, before)| {
            let image = before
                .map(|json| {
                    serde_json::from_str(&json).map_err(|e| {
                        StoreError::invalid_row(
                            "takedown_changes",
                            id,
                            format!("unreadable entry image: {e}"),
                        )
                    })
                })
                .transpose()?;
            Ok((id, image))
        })
        .collect()
}

/// The entries checks condemned at `version`, rebuilt from the change log: an entry changed
/// since has the image its first later change recorded; the others are as stored.
pub async fn condemned_at(
    conn: &mut sqlx::AnyConnection,
    version: i64,
) -> Result<Vec<engine::TakedownEntry>, StoreError> {
    let then = images_then(conn, version).await?;
    let listed: Vec<(i64, String)> =
        sqlx::query_as("SELECT id, listed_on FROM takedown_entries").fetch_all(&mut *conn).await?;
    let now = all_images(conn).await?;
    let mut entries: Vec<engine::TakedownEntry> = listed
        .into_iter()
        .filter_map(|(id, listed_on)| {
            let image = match then.get(&id) {
                Some(image) => image.clone()?,
                None => match now.get(&id) {
                    Some((image, true)) => image.clone(),
                    _ => return None,
                },
            };
            image.status.condemns().then_some(engine::TakedownEntry {
                id,
                scope: image.scope,
                target: image.target,
                status: image.status,
                listed_on,
            })
        })
        .collect();
    entries.sort_by_key(|e| e.id);
    Ok(entries)
}

/// What a version did to one entry.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Op {
    Add,
    Change,
    Remove,
}

impl Op {
    fn code(self) -> &'static str {
        match self {
            Op::Add => "add",
            Op::Change => "change",
            Op::Remove => "remove",
        }
    }
}

/// A version being written: opened with a number, filled with changes, then sealed with
/// its counts and checksum, all in the writer's transaction.
pub(crate) struct Draft {
    pub number: i64,
    added: i64,
    changed: i64,
    removed: i64,
    pending: Vec<(i64, Op, Option<String>)>,
}

/// What a new version is and who makes it.
pub(crate) struct Opening<'a> {
    pub action: &'static str,
    pub actor: &'a Actor<'a>,
    pub origin: &'a str,
    pub format: &'a str,
    pub forced: bool,
    pub note: &'a str,
    pub rolled_back_to: Option<i64>,
}

/// Changes are written in batches of this many rows per statement.
const BATCH: usize = 400;

impl Draft {
    /// Starts the next version inside `tx` (which holds the firm-data lock). A database that
    /// never had a version gets its baseline first, so that what was there can be rolled back to.
    pub async fn open(tx: &mut Locked, opening: &Opening<'_>) -> Result<Self, StoreError> {
        if current(&mut **tx).await?.is_none() {
            let system = Actor::system();
            let baseline = Opening {
                action: "baseline",
                actor: &system,
                origin: "",
                format: "",
                forced: false,
                note: "the entries held before versions were kept",
                rolled_back_to: None,
            };
            Box::pin(Self::start(tx, &baseline)).await?.seal(tx).await?;
        }
        Self::start(tx, opening).await
    }

    /// Starts the next version without a baseline before it (for a writer that replaces the
    /// whole set, such as the demo load).
    pub async fn start(tx: &mut Locked, o: &Opening<'_>) -> Result<Self, StoreError> {
        let (number,): (i64,) = sqlx::query_as("SELECT coalesce(max(version), 0) + 1 FROM takedown_versions")
            .fetch_one(&mut **tx)
            .await?;
        sqlx::query(
            "INSERT INTO takedown_versions
                 (version, created_at, actor_id, actor, action, origin, format, entries, checksum,
                  rolled_back_to, forced, note)
             VALUES ($1, $2, $3, $4, $5, $6, $7, 0, $8, $9, $10, $11)",
        )
        .bind(number)
        .bind(crate::now_rfc3339())
        .bind(o.actor.id)
        .bind(o.actor.login)
        .bind(o.action)
        .bind(truncate(o.origin, 500))
        .bind(o.format)
        .bind("0".repeat(64))
        .bind(o.rolled_back_to)
        .bind(i64::from(o.forced))
        .bind(truncate(o.note, 1000))
        .execute(&mut **tx)
        .await?;
        Ok(Self { number, added: 0, changed: 0, removed: 0, pending: Vec::new() })
    }

    /// Notes what this version did to entry `id`, with the entry as it was before (none when
    /// it was not in the active set).
    pub async fn note(
        &mut self,
        tx: &mut Locked,
        id: i64,
        op: Op,
        before: Option<&EntryImage>,
    ) -> Result<(), StoreError> {
        match op {
            Op::Add => self.added += 1,
            Op::Change => self.changed += 1,
            Op::Remove => self.removed += 1,
        }
        self.pending.push((id, op, before.map(EntryImage::json)));
        if self.pending.len() >= BATCH {
            self.flush(tx).await?;
        }
        Ok(())
    }

    /// Notes as added the `count` entries this version inserted (call it right after the
    /// inserts, before anything else of this version touches an entry).
    pub async fn note_inserted(&mut self, tx: &mut Locked, count: usize) -> Result<(), StoreError> {
        if count == 0 {
            return Ok(());
        }
        self.flush(tx).await?;
        let written = sqlx::query(
            "INSERT INTO takedown_changes (version, entry_id, op, before)
             SELECT $1, id, 'add', NULL FROM takedown_entries WHERE changed_in = $1",
        )
        .bind(self.number)
        .execute(&mut **tx)
        .await?
        .rows_affected();
        self.added += i64::try_from(written).unwrap_or(i64::MAX);
        Ok(())
    }

    async fn flush(&mut self, tx: &mut Locked) -> Result<(), StoreError> {
        if self.pending.is_empty() {
            return Ok(());
        }
        let values: Vec<String> = (0..self.pending.len())
            .map(|i| format!("($1, ${}, ${}, ${})", 3 * i + 2, 3 * i + 3, 3 * i + 4))
            .collect();
        let sql = format!(
            "INSERT INTO takedown_changes (version, entry_id, op, before) VALUES {}",
            values.join(", ")
        );
        let mut query = sqlx::query(&sql).bind(self.number);
        for (id, op, before) in &self.pending {
            query = query.bind(*id).bind(op.code()).bind(before.as_deref());
        }
        query.execute(&mut **tx).await?;
        self.pending.clear();
        Ok(())
    }

    /// Writes the counts and the checksum of the active set as it now stands, and marks the
    /// check data changed so every instance swaps to it.
    pub async fn seal(self, tx: &mut Locked) -> Result<Version, StoreError> {
        let (count, sum) = active_checksum(tx).await?;
        self.seal_as(tx, count, &sum).await
    }

    /// [`Draft::seal`] with the size and checksum of the new active set already known to the
    /// writer (an import computes them from its plan: reading a million entries back would
    /// cost more than writing them did).
    pub async fn seal_as(mut self, tx: &mut Locked, count: i64, sum: &str) -> Result<Version, StoreError> {
        self.flush(tx).await?;
        sqlx::query(
            "UPDATE takedown_versions SET added = $1, changed = $2, removed = $3, entries = $4, checksum = $5
             WHERE version = $6",
        )
        .bind(self.added)
        .bind(self.changed)
        .bind(self.removed)
        .bind(count)
        .bind(sum)
        .bind(self.number)
        .execute(&mut **tx)
        .await?;
        crate::bump_data_version(tx, &crate::now_rfc3339()).await?;
        get(&mut **tx, self.number).await?.ok_or_else(|| {
            StoreError::invalid_row("takedown_versions", self.number, "vanished while written")
        })
    }
}

fn truncate(text: &str, max_chars: usize) -> String {
    text.chars().take(max_chars).collect()
}

/// Writes `image` over entry `id` as part of version `number`: it is in the active set
/// again, and its status change (if any) is dated now (the caller signs that step).
pub(crate) async fn write_image(
    tx: &mut Locked,
    id: i64,
    image: &EntryImage,
    number: i64,
) -> Result<(), StoreError> {
    let now = crate::now_rfc3339();
    let assignments: Vec<String> =
        IMAGE_COLUMNS.split(", ").enumerate().map(|(i, column)| format!("{column} = ${}", i + 1)).collect();
    let w = IMAGE_WIDTH;
    let sql = format!(
        "UPDATE takedown_entries SET {},
             status_changed_at = CASE WHEN status = ${} THEN status_changed_at ELSE ${} END,
             removed_in = NULL, changed_in = ${}
         WHERE id = ${}",
        assignments.join(", "),
        w + 1,
        w + 2,
        w + 3,
        w + 4
    );
    image
        .bind(sqlx::query(&sql))
        .bind(image.status.code())
        .bind(&now)
        .bind(number)
        .bind(id)
        .execute(&mut **tx)
        .await?;
    Ok(())
}

/// Inserts a new entry as part of version `number` and returns its id (the trigger records
/// its first status step).
pub(crate) async fn insert_image(
    tx: &mut Locked,
    image: &EntryImage,
    number: i64,
) -> Result<i64, StoreError> {
    let placeholders: Vec<String> = (1..=IMAGE_WIDTH + 3).map(|i| format!("${i}")).collect();
    let sql = format!(
        "INSERT INTO takedown_entries ({IMAGE_COLUMNS}, listed_on, status_changed_at, changed_in)
         VALUES ({}) RETURNING id",
        placeholders.join(", ")
    );
    let row = image
        .bind(sqlx::query(&sql))
        .bind(crate::today_in_taiwan())
        .bind(crate::now_rfc3339())
        .bind(number)
        .fetch_one(&mut **tx)
        .await?;
    Ok(row.try_get(0)?)
}

/// The stored image of entry `id`, active or not.
pub(crate) async fn image_of(conn: &mut sqlx::AnyConnection, id: i64) -> Result<EntryImage, StoreError> {
    let row = sqlx::query(&format!("SELECT {IMAGE_COLUMNS} FROM takedown_entries WHERE id = $1"))
        .bind(id)
        .fetch_one(&mut *conn)
        .await?;
    EntryImage::from_row(&row, 0, id)
}

/// Takes entry `id` out of the active set as part of version `number` (it keeps its history).
pub(crate) async fn remove(tx: &mut Locked, id: i64, number: i64) -> Result<(), StoreError> {
    sqlx::query("UPDATE takedown_entries SET removed_in = $1, changed_in = $1 WHERE id = $2")
        .bind(number)
        .bind(id)
        .execute(&mut **tx)
        .await?;
    Ok(())
}

/// Every entry, active or not, by id: what an import or a rollback compares against.
pub(crate) async fn all_images(
    conn: &mut sqlx::AnyConnection,
) -> Result<HashMap<i64, (EntryImage, bool)>, StoreError> {
    let mut images = HashMap::new();
    read_images(conn, "1 = 1", &mut images).await?;
    Ok(images)
}

/// Adds to `images` the entries `filter` (an SQL condition on `takedown_entries`) selects, by
/// id, with whether each is active.
async fn read_images(
    conn: &mut sqlx::AnyConnection,
    filter: &str,
    images: &mut HashMap<i64, (EntryImage, bool)>,
) -> Result<(), StoreError> {
    // In pages of one JSON text each, as `takedown::all` reads: 17 columns of a million rows
    // one by one through sqlx took 12 s.
    let backend = crate::Backend::of_connection(conn);
    let columns = format!(
        "id, CASE WHEN removed_in IS NULL THEN 1 ELSE 0 END, {}({IMAGE_COLUMNS})",
        crate::db::json_array(backend)
    );
    let sql = crate::db::packed_page(backend, &columns, "takedown_entries", filter);
    crate::db::read_pages(
        conn,
        "takedown_entries",
        &sql,
        |row: &(i64, u8, EntryImage)| row.0,
        |rows| {
            images.extend(rows.into_iter().map(|(id, active, image)| (id, (image, active == 1))));
        },
    )
    .await
}

/// From this many entries on, [`images_by_id`] reads the whole table page by page instead of
/// asking for the entries by id (100,000 of a million by id took 0.36 s; the bound where one
/// read of every entry becomes cheaper was not measured, a fifth of a million is a guess).
const BY_ID_LIMIT: usize = 200_000;

/// The entries `ids` names, active or not, by id: what a writer that touches some entries
/// compares against, without reading the other million. From `by_id_limit` ids on, the whole
/// table is read page by page instead ([`BY_ID_LIMIT`]).
pub(crate) async fn images_by_id(
    conn: &mut sqlx::AnyConnection,
    ids: &[i64],
    by_id_limit: usize,
) -> Result<HashMap<i64, (EntryImage, bool)>, StoreError> {
    if ids.len() > by_id_limit {
        let mut all = all_images(conn).await?;
        let wanted: std::collections::HashSet<i64> = ids.iter().copied().collect();
        all.retain(|id, _| wanted.contains(id));
        return Ok(all);
    }
    let mut ids = ids.to_vec();
    ids.sort_unstable();
    ids.dedup();
    let mut images = HashMap::with_capacity(ids.len());
    // A page's worth of ids written into the query (integers, nothing to escape), so that each
    // is one packed page: asked for 400 at a time and read row by row, 100,000 took 1.8 s.
    let per_query = usize::try_from(crate::db::PAGE_ROWS).unwrap_or(10_000);
    for chunk in ids.chunks(per_query) {
        let listed: Vec<String> = chunk.iter().map(i64::to_string).collect();
        read_images(conn, &format!("id IN ({})", listed.join(",")), &mut images).await?;
    }
    Ok(images)
}

/// Makes the active set what it was at version `to`, as a new version (so a rollback can be
/// rolled back too), and records it in the audit log. Refused for an unknown version, the
/// current one, or when the result would not have `to`'s checksum (then nothing is written).
pub async fn rollback(db: &Db, to: i64, actor: &Actor<'_>) -> Result<Version, StoreError> {
    let mut tx = crate::lock::lock(db, crate::demo::FIRM_DATA_LOCK).await?;
    let target = get(&mut *tx, to).await?.ok_or(StoreError::NoSuchVersion(to))?;
    let newest = current(&mut *tx).await?.map_or(0, |v| v.version);
    if newest == to {
        return Err(StoreError::VersionIsCurrent(to));
    }
    let mut rows: Vec<(i64, Option<EntryImage>)> = images_then(&mut tx, to).await?.into_iter().collect();
    rows.sort_by_key(|(id, _)| *id);
    let ids: Vec<i64> = rows.iter().map(|(id, _)| *id).collect();
    let now = images_by_id(&mut tx, &ids, BY_ID_LIMIT).await?;
    let opening = Opening {
        action: "rollback",
        actor,
        origin: "",
        format: "",
        forced: false,
        note: &format!("back to version {to}"),
        rolled_back_to: Some(to),
    };
    let mut draft = Draft::open(&mut tx, &opening).await?;
    for (id, then) in rows {
        let current = now.get(&id);
        match (then, current) {
            (None, Some((image, true))) => {
                remove(&mut tx, id, draft.number).await?;
                draft.note(&mut tx, id, Op::Remove, Some(image)).await?;
            }
            (Some(then), Some((image, active))) if !active || *image != then => {
                write_image(&mut tx, id, &then, draft.number).await?;
                if then.status != image.status {
                    crate::takedown::sign_newest_event(&mut tx, id, actor.login, Some(opening.note)).await?;
                }
                let (op, before) = if *active { (Op::Change, Some(image)) } else { (Op::Add, None) };
                draft.note(&mut tx, id, op, before).await?;
            }
            _ => {}
        }
    }
    let version = draft.seal(&mut tx).await?;
    if version.checksum != target.checksum {
        tx.rollback().await?;
        return Err(StoreError::ChecksumMismatch {
            version: to,
            expected: target.checksum,
            actual: version.checksum,
        });
    }
    crate::lock::also(&mut tx, audit::AUDIT_LOCK).await?;
    let entry = audit::NewEntry::new("takedown_rollback")
        .by(actor.id, actor.login)
        .on(format!("takedown_version:{}", version.version))
        .change(format!("version {newest}"), format!("version {to} ({} entries)", version.entries))
        .from(actor.client);
    audit::append(&mut tx, &entry).await?;
    tx.commit().await?;
    Ok(version)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::demo_db;

    #[test]
    fn a_checksum_made_on_two_threads_is_the_one_made_on_one() {
        let image = |i: usize| EntryImage {
            scope: [TakedownScope::Host, TakedownScope::Url, TakedownScope::Ip][i % 3],
            // Keys in no order, some sharing a long prefix, some not ASCII.
            target: format!("{}{}.example", ["a", "kgi-", "Z", "凱基"][i % 4], (i * 7919) % 10_007),
            url: format!("https://x{i}.example/"),
            host: format!("x{i}.example"),
            site: None,
            hosting_ip: None,
            source: Source::Manual,
            vendor: String::new(),
            alert_id: None,
            case_id: None,
            brand: String::new(),
            first_seen: "2026-12-03".into(),
            last_seen: "2026-12-03".into(),
            report_count: 1,
            notes: "a \"quoted\" note\\".into(),
            status: TakedownStatus::Detected,
        };
        for n in [0, 1, 2, 3, 4_097, 10_007] {
            let images: Vec<EntryImage> = (0..n).map(image).collect();
            let on_one = checksum_from(images.iter().collect(), usize::MAX);
            let on_two = checksum_from(images.iter().collect(), 0);
            assert_eq!(on_two, on_one, "{n} entries");
        }
    }

    #[tokio::test]
    async fn entries_asked_for_by_id_are_the_ones_a_whole_read_finds_active_or_not() {
        let (_dir, db) = demo_db().await.expect("test database");
        let mut conn = db.acquire().await.unwrap();
        let all = all_images(&mut conn).await.unwrap();
        let (removed,): (i64,) =
            sqlx::query_as("SELECT min(id) FROM takedown_entries").fetch_one(&mut *conn).await.unwrap();
        sqlx::query("UPDATE takedown_entries SET removed_in = 1 WHERE id = $1")
            .bind(removed)
            .execute(&mut *conn)
            .await
            .unwrap();
        let mut ids: Vec<i64> = all.keys().copied().collect();
        ids.sort_unstable();
        let asked = [ids[0], ids[ids.len() - 1], 999_999];

        let by_id = images_by_id(&mut conn, &asked, 10).await.unwrap();
        let by_pages = images_by_id(&mut conn, &asked, 0).await.unwrap();

        assert_eq!(by_id, by_pages);
        assert_eq!(by_id.len(), 2, "an id that names no entry is left out");
        assert_eq!(by_id.get(&removed).map(|(_, active)| *active), Some(false));
        assert_eq!(by_id.get(&ids[ids.len() - 1]), all.get(&ids[ids.len() - 1]));
    }

    #[tokio::test]
    async fn the_active_sets_checksum_read_page_by_page_in_key_order_is_the_one_computed_in_rust() {
        let (_dir, db) = demo_db().await.expect("test database");
        let mut conn = db.acquire().await.unwrap();
        // Keys whose bytewise order differs from a case-blind or accent-aware one, a quote and a
        // backslash to escape, and one entry out of the active set.
        for (scope, target, removed) in [
            ("host", "Z.example", None),
            ("host", "a.example", None),
            ("host", "\u{e9}.example", None),
            ("url", "https://e.example/\"q\"\\", None),
            ("url", "https://e.example/x", Some(1)),
            ("path_prefix", "https://e.example/\u{4e2d}", None),
        ] {
            sqlx::query(
                "INSERT INTO takedown_entries (scope, target, url, host, source, first_seen, last_seen,
                     status, listed_on, status_changed_at, removed_in)
                 VALUES ($1, $2, $2, 'e.example', 'manual', '2026-12-01', '2026-12-01', 'detected',
                     '2026-12-01', '2026-12-01T00:00:00Z', $3)",
            )
            .bind(scope)
            .bind(target)
            .bind(removed)
            .execute(&mut *conn)
            .await
            .unwrap();
        }
        let active = active_images(&mut conn).await.unwrap();
        let expected = (active.len() as i64, checksum(active.iter().map(|(_, image)| image)));

        for page_rows in [1, 2, 4, 1_000] {
            assert_eq!(
                active_checksum_in_pages(&mut conn, page_rows).await.unwrap(),
                expected,
                "{page_rows}"
            );
        }
    }
}
