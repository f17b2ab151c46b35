//! Imports into the takedown database: a feed is read and planned against what is stored
//! (the preview), held to the guards, then applied in one transaction as a new version of
//! the entry set. Nothing is written until the apply, and a refused import writes nothing.

use std::collections::{HashMap, HashSet};

use engine::feed::{parse_feed, parse_lines, FeedFormat, FeedProblem, FeedRow, ParsedFeed};
use engine::{TakedownScope, TakedownStatus};

use crate::audit::{self, Actor};
use crate::official::{self, OfficialKind};
use crate::takedown::Source;
use crate::versions::{self, Draft, EntryImage, Op, Opening, Version};
use crate::{Db, StoreError};

/// The bounds an import is held to (docs/security.md; the server reads them from its
/// configuration).
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Limits {
    /// The largest feed, in bytes.
    pub max_bytes: usize,
    /// The most rows a feed may hold.
    pub max_rows: usize,
    /// From this many active entries on, the size and change guards apply.
    pub guard_min_entries: usize,
    /// The largest share of the active entries one import may change or remove (0 to 1).
    pub max_change_share: f64,
}

impl Default for Limits {
    fn default() -> Self {
        Self {
            max_bytes: 64 * 1024 * 1024,
            max_rows: 1_000_000,
            guard_min_entries: 1_000,
            max_change_share: 0.5,
        }
    }
}

/// A feed is refused as unreadable when no row can be read, or when it has at least
/// [`PROBLEM_SHARE_FROM`] rows and more than this share of them cannot be read: it is
/// probably not the format it was taken for. (A short paste with a typo is previewed, with
/// its problem named, instead.)
pub const MAX_PROBLEM_SHARE: f64 = 0.1;

/// The size from which [`MAX_PROBLEM_SHARE`] applies.
pub const PROBLEM_SHARE_FROM: usize = 20;

/// What to import.
#[derive(Clone, Copy, Debug)]
pub struct Request<'a> {
    pub text: &'a str,
    /// The format; detected from the text when absent.
    pub format: Option<FeedFormat>,
    /// Where it came from (a file name, a feed address, `paste`), for the versions list.
    pub origin: &'a str,
    /// The vendor a vendor notice comes from (`RSA`), when known.
    pub vendor: &'a str,
    /// Whether the feed is the whole current list of its source: entries of that source it
    /// no longer names are removed.
    pub replace: bool,
}

/// Why an import was refused. Nothing was written.
#[derive(Clone, Debug, PartialEq, thiserror::Error)]
pub enum ImportRefusal {
    #[error("the file is {bytes} bytes, more than the {max} an import may be")]
    TooLarge { bytes: usize, max: usize },
    #[error("the file has {rows} rows, more than the {max} an import may have")]
    TooManyRows { rows: usize, max: usize },
    #[error("{problems} of {lines} rows cannot be read as {format}: this does not look like that format")]
    Unreadable { problems: usize, lines: usize, format: &'static str },
    #[error("the file names no site that can be imported")]
    Empty,
    #[error(
        "{} rows would list the firm's own addresses as fake (line {}: {} covers {}); remove them and import again",
        .0.len(), .0[0].line, .0[0].target, .0[0].official
    )]
    CoversOfficial(Vec<OfficialHit>),
    #[error("the import would take the takedown data from {before} to {after} entries, more than double; an admin must confirm it")]
    Doubles { before: usize, after: usize },
    #[error("the import would change or remove {touched} of {before} entries, more than {max_percent}%; an admin must confirm it")]
    ChangesTooMuch { before: usize, touched: usize, max_percent: u32 },
    #[error("the takedown data changed since this preview (version {planned_on:?}, now {now:?}); preview the import again")]
    Stale { planned_on: Option<i64>, now: Option<i64> },
}

impl ImportRefusal {
    /// Whether an admin may override this refusal (the size and change guards); a file that
    /// is unreadable, too big or names the firm's own addresses is never applied.
    pub fn can_be_forced(&self) -> bool {
        matches!(self, Self::Doubles { .. } | Self::ChangesTooMuch { .. })
    }
}

/// A row that would condemn one of the firm's own addresses.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct OfficialHit {
    pub line: usize,
    pub target: String,
    /// The official domain or LINE account it covers.
    pub official: String,
}

/// An entry the import would add: new, or back in the active set after a removal.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Addition {
    /// The removed entry this brings back, if any.
    pub revive: Option<i64>,
    pub image: EntryImage,
    /// The first line of the feed that names it.
    pub line: usize,
}

/// What an import would do: the preview shown before anything is written, and what the
/// apply carries out.
#[derive(Clone, Debug, PartialEq)]
pub struct Plan {
    pub format: FeedFormat,
    pub origin: String,
    pub replace: bool,
    /// Lines read and rows found in them.
    pub lines: usize,
    pub rows: usize,
    pub problems: Vec<FeedProblem>,
    pub official_hits: Vec<OfficialHit>,
    pub added: Vec<Addition>,
    /// Entries it would change: (id, before, after).
    pub changed: Vec<(i64, EntryImage, EntryImage)>,
    /// Rows that match an entry and change nothing in it.
    pub unchanged: usize,
    /// Rows merged into an earlier row of the same feed (one site in several weekly windows).
    pub merged: usize,
    pub removed: Vec<(i64, EntryImage)>,
    pub active_before: usize,
    pub active_after: usize,
    /// The version the plan was made against; the apply refuses if the data moved on.
    pub based_on: Option<i64>,
    /// The guard that refuses this import unless an admin confirms it.
    pub guard: Option<ImportRefusal>,
    /// The [`versions::checksum`] of the active set once applied, which the new version
    /// records (the apply checks the data has not moved since the plan was made).
    pub checksum_after: String,
}

impl Plan {
    /// Whether applying it would change anything.
    pub fn changes_anything(&self) -> bool {
        !(self.added.is_empty() && self.changed.is_empty() && self.removed.is_empty())
    }
}

/// Where the entries of a format come from, and the status they are listed with.
fn source_of(format: FeedFormat) -> (Source, TakedownStatus) {
    match format {
        // The vendor's notice says it has asked for the takedown ("已申請下架").
        FeedFormat::VendorNotice => (Source::VendorFeed, TakedownStatus::TakedownRequested),
        // The public reported them to the 165 hotline.
        FeedFormat::OpenData165 => (Source::OpenData165, TakedownStatus::Reported),
        FeedFormat::PlainList => (Source::Manual, TakedownStatus::Detected),
    }
}

/// Hosts where anyone can publish pages: a listed page there condemns that page only.
const SHARED_HOSTS: &[&str] = &[
    "sites.google.com",
    "docs.google.com",
    "drive.google.com",
    "forms.gle",
    "goo.gl",
    "line.me",
    "liff.line.me",
    "lin.ee",
    "bit.ly",
    "reurl.cc",
    "tinyurl.com",
    "pse.is",
    "t.co",
    "t.me",
    "linktr.ee",
    "github.com",
    "www.facebook.com",
    "facebook.com",
    "www.instagram.com",
    "www.youtube.com",
    "youtu.be",
    "medium.com",
    "notion.so",
];

/// How much a listed link of a feed row covers: an IP address as a whole, a page on a shared
/// host alone, otherwise the whole host (a fake site's every page is fake). `host` is the
/// row's, which the feed's reader took from the engine's own reading of `url`, so only a page
/// on a shared host needs reading again; `None` when that fails.
pub fn scope_of(url: &str, host: &str) -> Option<(TakedownScope, String)> {
    if host.parse::<std::net::IpAddr>().is_ok() {
        return Some((TakedownScope::Ip, host.to_owned()));
    }
    if SHARED_HOSTS.contains(&host) {
        let canonical = engine::canonicalize(url).ok()?;
        let page = page_of(&canonical);
        if page.len() > host.len() + 1 {
            return Some((TakedownScope::Url, page));
        }
    }
    Some((TakedownScope::Host, host.to_owned()))
}

/// The page a link names, as the engine's first look-up expression of it (host, path and a
/// query that is not empty: `sites.google.com/view/x?a=1`), without building the others.
fn page_of(canonical: &engine::CanonicalUrl) -> String {
    let mut page = format!("{}{}", canonical.host_str(), canonical.path());
    if let Some(query) = canonical.query().filter(|q| !q.is_empty()) {
        page.push('?');
        page.push_str(query);
    }
    page
}

/// Whether anyone can publish under `host` (so a fake page there condemns only itself).
pub fn is_shared_host(host: &str) -> bool {
    SHARED_HOSTS.contains(&host)
}

/// The LINE account a `line.me` / `lin.ee` link opens, lower-case without `@`, if it names one.
pub(crate) fn line_account(url: &str, host: &str) -> Option<String> {
    if !matches!(host, "line.me" | "lin.ee" | "liff.line.me") {
        return None;
    }
    let at = url.find('@')?;
    let id: String =
        url[at + 1..].chars().take_while(|c| c.is_ascii_alphanumeric() || "._-".contains(*c)).collect();
    (!id.is_empty()).then(|| id.to_ascii_lowercase())
}

/// Reads the feed and plans it against the stored entries: what the preview shows. Refuses
/// a feed that is too large, has too many rows, is mostly unreadable, or names nothing.
pub async fn preview(db: &Db, request: &Request<'_>, limits: &Limits) -> Result<Plan, StoreError> {
    if request.text.len() > limits.max_bytes {
        return Err(ImportRefusal::TooLarge { bytes: request.text.len(), max: limits.max_bytes }.into());
    }
    let started = std::time::Instant::now();
    let format = request.format.unwrap_or_else(|| engine::feed::detect_format(request.text));
    let parsed = read_feed(request.text, format);
    let parsed_in = started.elapsed();
    let rows = parsed.rows.len();
    if rows > limits.max_rows {
        return Err(ImportRefusal::TooManyRows { rows, max: limits.max_rows }.into());
    }
    let problems = parsed.problems.len();
    let read = rows + problems;
    let mostly_unreadable = read >= PROBLEM_SHARE_FROM && problems as f64 > MAX_PROBLEM_SHARE * read as f64;
    if problems > 0 && (rows == 0 || mostly_unreadable) {
        return Err(ImportRefusal::Unreadable {
            problems,
            lines: rows + problems,
            format: format_name(format),
        }
        .into());
    }
    if rows == 0 {
        return Err(ImportRefusal::Empty.into());
    }
    let mut conn = db.acquire().await?;
    let officials = Officials::read(&mut conn).await?;
    let stored = versions::all_images(&mut conn).await?;
    let based_on = versions::current(&mut *conn).await?.map(|v| v.version);
    drop(conn);
    let read_in = started.elapsed() - parsed_in;
    let plan = plan(
        request,
        format,
        parsed.rows,
        parsed.problems,
        parsed.lines,
        &officials,
        &stored,
        based_on,
        limits,
    );
    tracing::debug!(
        parse_s = parsed_in.as_secs_f64(),
        read_stored_s = read_in.as_secs_f64(),
        plan_s = (started.elapsed() - parsed_in - read_in).as_secs_f64(),
        "import previewed"
    );
    Ok(plan)
}

/// From this size on, a feed is read in parts on every core (a million-line list in 2.5 s on
/// one): the lines are read one by one, so the parts join into what one pass reads.
const READ_IN_PARTS_FROM: usize = 1 << 20;

/// [`parse_feed`], in parts side by side for a big feed.
fn read_feed(text: &str, format: FeedFormat) -> ParsedFeed {
    let cores = std::thread::available_parallelism().map_or(1, usize::from).min(8);
    if text.len() < READ_IN_PARTS_FROM || cores < 2 {
        return parse_feed(text, format);
    }
    let text = text.strip_prefix('\u{FEFF}').unwrap_or(text);
    // Parts of about equal size, each ending just after a line break (the last at the end),
    // with the number of the line each starts on.
    let mut parts: Vec<(usize, &str)> = Vec::with_capacity(cores);
    let (mut rest, mut first_line) = (text, 1);
    for left in (1..=cores).rev() {
        let end = if left == 1 {
            rest.len()
        } else {
            let at = (rest.len() / left).max(1).min(rest.len());
            rest[at..].find('\n').map_or(rest.len(), |i| at + i + 1)
        };
        let (part, after) = rest.split_at(end);
        parts.push((first_line, part));
        first_line += part.bytes().filter(|b| *b == b'\n').count();
        rest = after;
    }
    let read: Vec<ParsedFeed> = std::thread::scope(|scope| {
        let readers: Vec<_> = parts
            .iter()
            .map(|&(first_line, part)| scope.spawn(move || parse_lines(part, format, first_line)))
            .collect();
        readers
            .into_iter()
            .map(|reader| reader.join().unwrap_or_else(|panic| std::panic::resume_unwind(panic)))
            .collect()
    });
    let mut feed = ParsedFeed { format, rows: Vec::new(), problems: Vec::new(), lines: 0 };
    for (part, (first_line, _)) in read.into_iter().zip(&parts) {
        if part.lines > 0 {
            feed.lines = first_line + part.lines - 1;
        }
        feed.rows.extend(part.rows);
        feed.problems.extend(part.problems);
    }
    feed
}

fn format_name(format: FeedFormat) -> &'static str {
    match format {
        FeedFormat::VendorNotice => "a vendor notice",
        FeedFormat::OpenData165 => "165 open data",
        FeedFormat::PlainList => "a list of links",
    }
}

/// The firm's own addresses, which no takedown entry may cover.
struct Officials {
    domains: Vec<String>,
    line_ids: HashSet<String>,
}

impl Officials {
    async fn read(conn: &mut sqlx::AnyConnection) -> Result<Self, StoreError> {
        Ok(Self {
            domains: official::values(&mut *conn, OfficialKind::Domain).await?,
            line_ids: official::values(&mut *conn, OfficialKind::LineId).await?.into_iter().collect(),
        })
    }

    /// The official domains as the engine's test takes them.
    fn domain_set(&self) -> HashSet<&str> {
        self.domains.iter().map(String::as_str).collect()
    }

    fn covered(
        &self,
        domains: &HashSet<&str>,
        scope: TakedownScope,
        target: &str,
        row: &FeedRow,
    ) -> Option<String> {
        if let Some(official) = engine::index::covered_official(scope, target, domains) {
            return Some(official.to_owned());
        }
        line_account(&row.url, &row.host)
            .filter(|id| self.line_ids.contains(id))
            .map(|id| format!("LINE @{id}"))
    }
}

/// The plan, from parsed rows and what is stored: pure, so the preview and its tests need
/// no database.
#[allow(clippy::too_many_arguments)]
fn plan(
    request: &Request<'_>,
    format: FeedFormat,
    rows: Vec<FeedRow>,
    mut problems: Vec<FeedProblem>,
    lines: usize,
    officials: &Officials,
    stored: &HashMap<i64, (EntryImage, bool)>,
    based_on: Option<i64>,
    limits: &Limits,
) -> Plan {
    let (source, status) = source_of(format);
    let today = crate::today_in_taiwan();
    let row_count = rows.len();
    let mut official_hits = Vec::new();
    let domains = officials.domain_set();
    // The feed's entries in the order first named, with the line that first named each.
    let mut incoming: Vec<(usize, EntryImage)> = Vec::with_capacity(row_count);
    for row in rows {
        let Some((scope, target)) = scope_of(&row.url, &row.host) else {
            problems.push(FeedProblem {
                line: row.line,
                reason: "the link cannot be read as a web address".into(),
            });
            continue;
        };
        if let Some(official) = officials.covered(&domains, scope, &target, &row) {
            official_hits.push(OfficialHit { line: row.line, target, official });
            continue;
        }
        let (first, last) = row.window.unwrap_or_else(|| (today.clone(), today.clone()));
        let image = EntryImage {
            scope,
            target,
            site: Some(crate::takedown::site_of(&row.host).to_owned()),
            url: row.url,
            host: row.host,
            hosting_ip: row.hosting_ip,
            source,
            vendor: if format == FeedFormat::VendorNotice {
                request.vendor.to_owned()
            } else {
                String::new()
            },
            alert_id: row.alert_id,
            case_id: row.case_id,
            brand: row.site_name.unwrap_or_default(),
            first_seen: first,
            last_seen: last,
            report_count: i64::from(row.reports),
            notes: String::new(),
            status,
        };
        incoming.push((row.line, image));
    }
    let merged = merge_repeats(&mut incoming);

    let by_key: HashMap<(TakedownScope, &str), i64> =
        stored.iter().map(|(id, (image, _))| ((image.scope, image.target.as_str()), *id)).collect();
    let mut added = Vec::new();
    let mut changed = Vec::new();
    let mut unchanged = 0;
    let mut named: HashSet<i64> = HashSet::new();
    for (line, image) in incoming {
        match by_key.get(&(image.scope, image.target.as_str())) {
            None => added.push(Addition { revive: None, image, line }),
            Some(&id) => {
                named.insert(id);
                let (before, active) = &stored[&id];
                if !active {
                    added.push(Addition { revive: Some(id), image, line });
                    continue;
                }
                let after = merged_into(before, &image);
                if after == *before {
                    unchanged += 1;
                } else {
                    changed.push((id, before.clone(), after));
                }
            }
        }
    }
    let mut removed: Vec<(i64, EntryImage)> = if request.replace {
        stored
            .iter()
            .filter(|(id, (image, active))| *active && image.source == source && !named.contains(id))
            .map(|(id, (image, _))| (*id, image.clone()))
            .collect()
    } else {
        Vec::new()
    };
    removed.sort_by_key(|(id, _)| *id);
    changed.sort_by_key(|(id, _, _)| *id);
    problems.sort_by_key(|p| p.line);

    let active_before = stored.values().filter(|(_, active)| *active).count();
    let active_after = active_before + added.len() - removed.len();
    let touched = changed.len() + removed.len();
    let guard = if active_before < limits.guard_min_entries {
        None
    } else if active_after > 2 * active_before {
        Some(ImportRefusal::Doubles { before: active_before, after: active_after })
    } else if touched as f64 > limits.max_change_share * active_before as f64 {
        Some(ImportRefusal::ChangesTooMuch {
            before: active_before,
            touched,
            max_percent: (limits.max_change_share * 100.0).round() as u32,
        })
    } else {
        None
    };
    let replaced: HashSet<i64> =
        changed.iter().map(|(id, _, _)| *id).chain(removed.iter().map(|(id, _)| *id)).collect();
    let (_, checksum_after) = versions::checksum_after(
        stored,
        &replaced,
        changed.iter().map(|(_, _, after)| after).chain(added.iter().map(|a| &a.image)),
    );
    Plan {
        checksum_after,
        format,
        origin: request.origin.to_owned(),
        replace: request.replace,
        lines,
        rows: row_count,
        problems,
        official_hits,
        added,
        changed,
        unchanged,
        merged,
        removed,
        active_before,
        active_after,
        based_on,
        guard,
    }
}

/// Merges every entry of `incoming` that repeats an earlier one's key into that earlier one
/// (in feed order: one site in several weekly windows of the 165 data) and drops it; returns
/// how many were merged. The keys are borrowed, not copied: a million-row feed has a million.
fn merge_repeats(incoming: &mut Vec<(usize, EntryImage)>) -> usize {
    // (earlier, later) pairs, later ascending.
    let repeats: Vec<(usize, usize)> = {
        let mut first: HashMap<(TakedownScope, &str), usize> = HashMap::with_capacity(incoming.len());
        incoming
            .iter()
            .enumerate()
            .filter_map(|(at, (_, image))| match first.entry(image.key()) {
                std::collections::hash_map::Entry::Occupied(earlier) => Some((*earlier.get(), at)),
                std::collections::hash_map::Entry::Vacant(slot) => {
                    slot.insert(at);
                    None
                }
            })
            .collect()
    };
    if repeats.is_empty() {
        return 0;
    }
    let mut keep = vec![true; incoming.len()];
    for &(earlier, later) in &repeats {
        let (head, tail) = incoming.split_at_mut(later);
        let (earlier, image) = (&mut head[earlier].1, &tail[0].1);
        earlier.report_count += image.report_count;
        merge_seen(earlier, image);
        fill(&mut earlier.alert_id, &image.alert_id);
        fill(&mut earlier.case_id, &image.case_id);
        fill(&mut earlier.hosting_ip, &image.hosting_ip);
        if earlier.brand.is_empty() {
            earlier.brand.clone_from(&image.brand);
        }
        keep[later] = false;
    }
    let mut at = 0;
    incoming.retain(|_| {
        at += 1;
        keep[at - 1]
    });
    repeats.len()
}

fn fill(field: &mut Option<String>, value: &Option<String>) {
    if field.is_none() {
        field.clone_from(value);
    }
}

fn merge_seen(into: &mut EntryImage, other: &EntryImage) {
    if other.first_seen < into.first_seen {
        into.first_seen.clone_from(&other.first_seen);
    }
    if other.last_seen > into.last_seen {
        into.last_seen.clone_from(&other.last_seen);
    }
}

/// A stored entry with what a feed says of it now: seen over a wider span, the higher
/// report count, the vendor's references where it has new ones. Its status, source, notes
/// and address stay as staff left them.
fn merged_into(stored: &EntryImage, feed: &EntryImage) -> EntryImage {
    let mut after = stored.clone();
    merge_seen(&mut after, feed);
    after.report_count = after.report_count.max(feed.report_count);
    for (field, value) in [
        (&mut after.alert_id, &feed.alert_id),
        (&mut after.case_id, &feed.case_id),
        (&mut after.hosting_ip, &feed.hosting_ip),
    ] {
        if value.is_some() {
            field.clone_from(value);
        }
    }
    if !feed.vendor.is_empty() {
        after.vendor.clone_from(&feed.vendor);
    }
    if after.brand.is_empty() {
        after.brand.clone_from(&feed.brand);
    }
    after
}

/// How far an apply has got, for a progress bar.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Progress {
    pub done: usize,
    pub total: usize,
}

/// New entries are written this many per statement (19 values each: within SQLite's limit of
/// 32,766 parameters).
const INSERT_BATCH: usize = 1_000;

/// Applies a previewed plan in one transaction, as a new version of the entry set, with an
/// audit entry. Refused (nothing written) when the plan names an official address, when a
/// guard refuses it and `force` is not set, or when the data changed since the preview.
/// `None` when the plan changes nothing.
pub async fn apply(
    db: &Db,
    plan: &Plan,
    actor: &Actor<'_>,
    force: bool,
    progress: &(dyn Fn(Progress) + Send + Sync),
) -> Result<Option<Version>, StoreError> {
    if !plan.official_hits.is_empty() {
        return Err(ImportRefusal::CoversOfficial(plan.official_hits.clone()).into());
    }
    if let Some(guard) = &plan.guard {
        if !force {
            return Err(guard.clone().into());
        }
    }
    if !plan.changes_anything() {
        return Ok(None);
    }
    let mut tx = crate::lock::lock(db, crate::demo::FIRM_DATA_LOCK).await?;
    let now_version = versions::current(&mut *tx).await?.map(|v| v.version);
    if now_version != plan.based_on {
        return Err(ImportRefusal::Stale { planned_on: plan.based_on, now: now_version }.into());
    }
    let forced = force && plan.guard.is_some();
    let note = format!(
        "{} rows: {} added, {} changed, {} removed",
        plan.rows,
        plan.added.len(),
        plan.changed.len(),
        plan.removed.len()
    );
    let opening = Opening {
        action: "import",
        actor,
        origin: &plan.origin,
        format: plan.format.code(),
        forced,
        note: &note,
        rolled_back_to: None,
    };
    let mut steps = Steps::start();
    // A big import on SQLite keeps the pages it writes in memory until its commit, instead of
    // spilling them to the log and reading them back for every scattered index insert.
    let widened = widen_cache(&mut tx, plan.added.len()).await?;
    let written = write_plan(&mut tx, plan, &opening, &mut steps, progress).await;
    if widened {
        let narrowed = narrow_cache(&mut tx).await;
        if written.is_ok() {
            narrowed?;
        }
    }
    let version = written?;
    crate::lock::also(&mut tx, audit::AUDIT_LOCK).await?;
    let entry = audit::NewEntry::new(if forced { "takedown_import_forced" } else { "takedown_import" })
        .by(actor.id, actor.login)
        .on(format!("takedown_version:{}", version.version))
        .change(
            format!("version {:?}, {} entries", plan.based_on, plan.active_before),
            format!("{} from {} ({}); {} entries", note, plan.origin, plan.format.code(), version.entries),
        )
        .from(actor.client);
    audit::append(&mut tx, &entry).await?;
    tx.commit().await?;
    steps.done("commit");
    tracing::debug!(version = version.version, steps = %steps, "import applied");
    Ok(Some(version))
}

/// From this many new entries on, an import on SQLite gives its connection a page cache of
/// [`WIDE_CACHE_KIB`] for the transaction.
const WIDE_CACHE_FROM: usize = REINDEX_FROM;

/// The page cache of a big import, in KiB (SQLite's default is 2,000 KiB): room for the
/// unique index on (scope, target) of a million entries, which every insert touches at random.
const WIDE_CACHE_KIB: i64 = 262_144;

/// SQLite's default page cache, in KiB, which a pooled connection goes back to.
const DEFAULT_CACHE_KIB: i64 = 2_000;

/// Widens the page cache of the import's connection on SQLite when it adds `added` entries or
/// more; answers whether it did (then [`narrow_cache`] must follow, whatever the outcome).
async fn widen_cache(tx: &mut crate::lock::Locked, added: usize) -> Result<bool, StoreError> {
    if added < WIDE_CACHE_FROM || crate::Backend::of_connection(tx) != crate::Backend::Sqlite {
        return Ok(false);
    }
    sqlx::query(&format!("PRAGMA cache_size = -{WIDE_CACHE_KIB}")).execute(&mut **tx).await?;
    Ok(true)
}

/// Gives the connection SQLite's default page cache back (it goes back to the pool).
async fn narrow_cache(tx: &mut crate::lock::Locked) -> Result<(), StoreError> {
    sqlx::query(&format!("PRAGMA cache_size = -{DEFAULT_CACHE_KIB}")).execute(&mut **tx).await?;
    Ok(())
}

/// Writes `plan` as a new version inside `tx` (which holds the firm-data lock), up to its seal.
async fn write_plan(
    tx: &mut crate::lock::Locked,
    plan: &Plan,
    opening: &Opening<'_>,
    steps: &mut Steps,
    progress: &(dyn Fn(Progress) + Send + Sync),
) -> Result<Version, StoreError> {
    let mut draft = Draft::open(tx, opening).await?;
    let total = plan.added.len() + plan.changed.len() + plan.removed.len();
    let mut done = 0;
    progress(Progress { done, total });

    let fresh: Vec<&EntryImage> =
        plan.added.iter().filter(|a| a.revive.is_none()).map(|a| &a.image).collect();
    let now = crate::now_rfc3339();
    let today = crate::today_in_taiwan();
    if !fresh.is_empty() {
        // The listing trigger skips this version's inserts; their history is written below,
        // in the same transaction, before anything else of this version touches an entry.
        mark_bulk_writes(tx, draft.number, true).await?;
        let set_aside = set_aside_for_bulk(tx, fresh.len()).await?;
        steps.done("open");
        for batch in fresh.chunks(INSERT_BATCH) {
            insert_batch(tx, batch, draft.number, &today, &now).await?;
            done += batch.len();
            progress(Progress { done, total });
        }
        steps.done("insert");
        for create in &set_aside {
            sqlx::query(create).execute(&mut **tx).await?;
        }
        steps.done("indexes");
        write_listed_history(tx, draft.number).await?;
        steps.done("history");
        mark_bulk_writes(tx, draft.number, false).await?;
    }
    draft.note_inserted(tx, fresh.len()).await?;
    steps.done("changes");
    for addition in plan.added.iter().filter(|a| a.revive.is_some()) {
        let id = addition.revive.unwrap_or_default();
        versions::write_image(tx, id, &addition.image, draft.number).await?;
        draft.note(tx, id, Op::Add, None).await?;
        done += 1;
    }
    for (id, before, after) in &plan.changed {
        versions::write_image(tx, *id, after, draft.number).await?;
        draft.note(tx, *id, Op::Change, Some(before)).await?;
        done += 1;
        if done % INSERT_BATCH == 0 {
            progress(Progress { done, total });
        }
    }
    for (id, before) in &plan.removed {
        versions::remove(tx, *id, draft.number).await?;
        draft.note(tx, *id, Op::Remove, Some(before)).await?;
        done += 1;
    }
    progress(Progress { done, total });
    steps.done("updates");
    let entries_after = i64::try_from(plan.active_after).unwrap_or(i64::MAX);
    let version = draft.seal_as(tx, entries_after, &plan.checksum_after).await?;
    steps.done("seal");
    Ok(version)
}

/// How long each step of an apply took, for the debug log (`RUST_LOG=store=debug`).
struct Steps {
    at: std::time::Instant,
    taken: Vec<(&'static str, std::time::Duration)>,
}

impl Steps {
    fn start() -> Self {
        Self { at: std::time::Instant::now(), taken: Vec::new() }
    }

    fn done(&mut self, step: &'static str) {
        let now = std::time::Instant::now();
        self.taken.push((step, now - self.at));
        self.at = now;
    }
}

impl std::fmt::Display for Steps {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        for (i, (step, took)) in self.taken.iter().enumerate() {
            write!(f, "{}{step} {:.2} s", if i == 0 { "" } else { ", " }, took.as_secs_f64())?;
        }
        Ok(())
    }
}

/// From this many new entries on, when they are at least as many as the entries stored, an
/// import on SQLite builds the entries' secondary indexes afresh after its inserts instead of
/// growing them row by row (sorting once is several times faster than a million scattered
/// inserts into each), and sets the listing trigger aside (its history is written in bulk).
const REINDEX_FROM: usize = 50_000;

/// Drops the secondary indexes of `takedown_entries` (not its key or its uniqueness) and its
/// listing trigger when an import of `fresh` new entries is big enough to build the indexes
/// faster afresh ([`REINDEX_FROM`]; SQLite only), and returns the `CREATE` statements the
/// migrations made them with, for the caller to run after its inserts in the same
/// transaction. Readers see the old data, its indexes and trigger until the commit; a failed
/// or killed import rolls the drop back too.
async fn set_aside_for_bulk(tx: &mut crate::lock::Locked, fresh: usize) -> Result<Vec<String>, StoreError> {
    if fresh < REINDEX_FROM || crate::Backend::of_connection(tx) != crate::Backend::Sqlite {
        return Ok(Vec::new());
    }
    let (stored,): (i64,) =
        sqlx::query_as("SELECT count(*) FROM takedown_entries").fetch_one(&mut **tx).await?;
    if usize::try_from(stored).unwrap_or(usize::MAX) > fresh {
        return Ok(Vec::new());
    }
    let objects: Vec<(String, String, String)> = sqlx::query_as(
        "SELECT type, name, sql FROM sqlite_master
         WHERE tbl_name = 'takedown_entries' AND sql IS NOT NULL
           AND (type = 'index' OR (type = 'trigger' AND name = 'takedown_entry_listed'))
         ORDER BY type, name",
    )
    .fetch_all(&mut **tx)
    .await?;
    for (kind, name, _) in &objects {
        let kind = if kind == "trigger" { "TRIGGER" } else { "INDEX" };
        sqlx::query(&format!("DROP {kind} \"{}\"", name.replace('"', "\"\""))).execute(&mut **tx).await?;
    }
    Ok(objects.into_iter().map(|(_, _, create)| create).collect())
}

/// Names version `number` as one whose new entries the listing trigger skips (their history
/// is written in bulk), or, with `on` false, no longer: in `takedown_bulk_writes`, which the
/// trigger asks, and on PostgreSQL also in the transaction's `fraudcheck.bulk_version`, which
/// the trigger's `WHEN` reads, so it is not even called
/// (migrations/postgres/20261207000001_bulk_history_when.sql).
async fn mark_bulk_writes(conn: &mut sqlx::AnyConnection, number: i64, on: bool) -> Result<(), StoreError> {
    let sql = if on {
        "INSERT INTO takedown_bulk_writes (version) VALUES ($1)"
    } else {
        "DELETE FROM takedown_bulk_writes WHERE version = $1"
    };
    sqlx::query(sql).bind(number).execute(&mut *conn).await?;
    if crate::Backend::of_connection(conn) == crate::Backend::Postgres {
        let version = if on { number.to_string() } else { String::new() };
        sqlx::query("SELECT set_config('fraudcheck.bulk_version', $1, true)")
            .bind(version)
            .execute(&mut *conn)
            .await?;
    }
    Ok(())
}

/// Writes the steps the listing trigger (migrations/*/20261204000003_bulk_history.sql) would
/// have written for every entry version `number` inserted, one statement per step: found on
/// the day it was listed, then its status when it was listed straight into another.
async fn write_listed_history(tx: &mut crate::lock::Locked, number: i64) -> Result<(), StoreError> {
    // As the trigger dates a status: the Taiwan day of the moment it changed.
    let day = match crate::Backend::of_connection(tx) {
        crate::Backend::Sqlite => {
            "coalesce(date(status_changed_at, '+8 hours'), substr(status_changed_at, 1, 10))"
        }
        crate::Backend::Postgres => "taiwan_day(status_changed_at)",
    };
    for (status, only) in [("'detected'", ""), ("status", "AND status <> 'detected'")] {
        let happened_on = if only.is_empty() { "listed_on" } else { day };
        let sql = format!(
            "INSERT INTO takedown_events (entry_id, status, happened_on, recorded_at, source)
             SELECT id, {status}, {happened_on}, status_changed_at, source FROM takedown_entries
             WHERE changed_in = $1 {only} ORDER BY id"
        );
        sqlx::query(&sql).bind(number).execute(&mut **tx).await?;
    }
    Ok(())
}

async fn insert_batch(
    tx: &mut crate::lock::Locked,
    batch: &[&EntryImage],
    number: i64,
    today: &str,
    now: &str,
) -> Result<(), StoreError> {
    let columns = versions::IMAGE_COLUMNS;
    match crate::Backend::of_connection(tx) {
        // Anonymous `?` placeholders: SQLite looks each named one (`$7`) up in a list, which
        // makes a statement with thousands of them cost time quadratic in their number.
        crate::Backend::Sqlite => {
            let row = format!("({})", vec!["?"; versions::IMAGE_WIDTH + 3].join(", "));
            let sql = format!(
                "INSERT INTO takedown_entries ({columns}, listed_on, status_changed_at, changed_in) VALUES {}",
                vec![row.as_str(); batch.len()].join(", ")
            );
            let mut query = sqlx::query(&sql);
            for image in batch {
                query = image.bind(query).bind(today).bind(now).bind(number);
            }
            query.execute(&mut **tx).await?;
        }
        // One JSON parameter that PostgreSQL unpacks itself (it allows 65,535 parameters).
        crate::Backend::Postgres => {
            let json = serde_json::to_string(batch)
                .map_err(|e| StoreError::Refused(format!("cannot encode entries: {e}")))?;
            let types: Vec<String> = columns
                .split(", ")
                .map(|c| format!("{c} {}", if c == "report_count" { "bigint" } else { "text" }))
                .collect();
            let sql = format!(
                "INSERT INTO takedown_entries ({columns}, listed_on, status_changed_at, changed_in)
                 SELECT {columns}, $2, $3, $4 FROM json_to_recordset($1::json) AS x({})",
                types.join(", ")
            );
            sqlx::query(&sql).bind(json).bind(today).bind(now).bind(number).execute(&mut **tx).await?;
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::demo_db;

    fn request(text: &str) -> Request<'_> {
        Request { text, format: None, origin: "test.txt", vendor: "RSA", replace: false }
    }

    fn nothing(_: Progress) {}

    async fn import(
        db: &Db,
        text: &str,
        limits: &Limits,
        force: bool,
    ) -> Result<Option<Version>, StoreError> {
        let plan = preview(db, &request(text), limits).await?;
        apply(db, &plan, &Actor::cli(), force, &nothing).await
    }

    async fn active_targets(db: &Db) -> Vec<String> {
        let mut targets: Vec<String> = crate::takedown::all(&mut db.acquire().await.unwrap())
            .await
            .unwrap()
            .into_iter()
            .map(|e| e.target)
            .collect();
        targets.sort();
        targets
    }

    /// `n` fake sites no one has listed, as a plain list.
    fn fake_sites(n: usize, from: usize) -> String {
        (from..from + n).map(|i| format!("hxxps://login[.]kgi{i}x[.]com/\n")).collect()
    }

    #[test]
    fn a_big_feed_read_in_parts_reads_as_one_pass_does() {
        let mut text = String::from("\u{FEFF}");
        let mut i = 0;
        while text.len() < 3 * READ_IN_PARTS_FROM {
            text.push_str(&match i % 7 {
                0 => format!("hxxps://login[.]kgi-{i}-check[.]com/index/login\r\n"),
                1 => "not a link at all\n".to_owned(),
                2 => "\n".to_owned(),
                3 => format!("kgi{i}.top\n"),
                4 => format!("http://{i}.bitgin\n"),
                _ => format!("https://89.106.{}.{}/x\n", i % 250, i % 200),
            });
            i += 1;
        }
        text.push_str("https://last.kgi-tail.com"); // no line break at the end
        let whole = parse_feed(&text, FeedFormat::PlainList);
        assert!(whole.rows.len() > 50_000 && !whole.problems.is_empty(), "{} rows", whole.rows.len());
        assert_eq!(read_feed(&text, FeedFormat::PlainList), whole);
        assert_eq!(
            read_feed(&text[..READ_IN_PARTS_FROM + 1], FeedFormat::PlainList),
            parse_feed(&text[..READ_IN_PARTS_FROM + 1], FeedFormat::PlainList),
            "a cut in the middle of a line"
        );
    }

    #[test]
    fn a_fake_site_covers_its_host_an_ip_itself_and_a_page_on_a_shared_host_only_that_page() {
        assert_eq!(
            scope_of("https://kkpp.kgi357.com/index/login", "kkpp.kgi357.com"),
            Some((TakedownScope::Host, "kkpp.kgi357.com".into()))
        );
        assert_eq!(
            scope_of("https://89.106.207.153/index/login", "89.106.207.153"),
            Some((TakedownScope::Ip, "89.106.207.153".into()))
        );
        assert_eq!(
            scope_of("https://sites.google.com/view/kgi-vip", "sites.google.com"),
            Some((TakedownScope::Url, "sites.google.com/view/kgi-vip".into()))
        );
        assert_eq!(
            scope_of("https://sites.google.com/", "sites.google.com"),
            Some((TakedownScope::Host, "sites.google.com".into())),
            "the shared host itself only when the feed names it bare"
        );
    }

    #[test]
    fn a_page_on_a_shared_host_is_named_as_the_engine_looks_it_up() {
        for link in [
            "https://sites.google.com/view/kgi-vip",
            "https://sites.google.com/view/kgi-vip?usp=sharing&x=1",
            "https://sites.google.com/view/kgi-vip?",
            "https://line.me/R/ti/p/@kgi-fake",
            "https://bit.ly/",
        ] {
            let canonical = engine::canonicalize(link).unwrap();
            assert_eq!(page_of(&canonical), canonical.expressions()[0], "{link}");
        }
    }

    /// The steps of an entry as its history shows them.
    async fn steps_of(db: &Db, target: &str) -> Vec<(String, String, String, String)> {
        sqlx::query_as(
            "SELECT ev.status, ev.happened_on, ev.recorded_at, ev.source FROM takedown_events ev
             JOIN takedown_entries e ON e.id = ev.entry_id WHERE e.target = $1
             ORDER BY ev.happened_on, ev.id",
        )
        .bind(target)
        .fetch_all(db)
        .await
        .unwrap()
    }

    #[tokio::test]
    async fn entries_listed_in_one_statement_each_get_their_found_step_then_the_status_they_came_in() {
        let (_dir, db) = demo_db().await.expect("test database");
        let row = |target: &str, status: &str| {
            format!(
                "('host', '{target}', 'https://{target}/', '{target}', 'manual', '2026-11-20', '2026-11-20',
                  '{status}', '2026-11-20', '2026-11-30T20:00:00Z', 0)"
            )
        };
        sqlx::query(&format!(
            "INSERT INTO takedown_entries (scope, target, url, host, source, first_seen, last_seen, status,
                 listed_on, status_changed_at, changed_in) VALUES {}, {}",
            row("one.kgi-fake.top", "detected"),
            row("two.kgi-fake.top", "taken_down")
        ))
        .execute(&db)
        .await
        .unwrap();

        let step = |status: &str, day: &str| {
            (status.to_owned(), day.to_owned(), "2026-11-30T20:00:00Z".to_owned(), "manual".to_owned())
        };
        assert_eq!(steps_of(&db, "one.kgi-fake.top").await, [step("detected", "2026-11-20")]);
        assert_eq!(
            steps_of(&db, "two.kgi-fake.top").await,
            [step("detected", "2026-11-20"), step("taken_down", "2026-12-01")],
            "found on the day it was listed, then taken down on the Taiwan day of its status change"
        );
    }

    #[tokio::test]
    async fn an_imported_site_has_the_same_history_steps_as_one_the_listing_trigger_records() {
        let (_dir, db) = demo_db().await.expect("test database");
        let notice = "RSA偵測到以下釣魚網頁，已申請下架。\n\
                      E7900001 (C7900000) hxxps://kkpp[.]kgi888[.]com/index/login 89.106.207.160\n\
                      E7900002 (C7900001) hxxps://kkpp[.]kgi889[.]com/index/login 89.106.207.160\n";
        let plan = preview(&db, &request(notice), &Limits::default()).await.unwrap();
        apply(&db, &plan, &Actor::cli(), false, &nothing).await.unwrap().unwrap();
        let imported = steps_of(&db, "kkpp.kgi888.com").await;
        // The same entry written as any other writer does, through the trigger.
        let (listed_on, changed_at): (String, String) = sqlx::query_as(
            "SELECT listed_on, status_changed_at FROM takedown_entries WHERE target = 'kkpp.kgi888.com'",
        )
        .fetch_one(&db)
        .await
        .unwrap();
        sqlx::query(
            "INSERT INTO takedown_entries (scope, target, url, host, source, first_seen, last_seen, status,
                                           listed_on, status_changed_at, changed_in)
             VALUES ('host', 'by.trigger.example', 'https://by.trigger.example/', 'by.trigger.example',
                     'vendor_feed', $1, $1, 'takedown_requested', $1, $2, 0)",
        )
        .bind(&listed_on)
        .bind(&changed_at)
        .execute(&db)
        .await
        .unwrap();

        assert_eq!(imported.len(), 2, "found, then the takedown the vendor asked for: {imported:?}");
        assert_eq!(imported[0].0, "detected");
        assert_eq!(imported[1].0, "takedown_requested");
        assert_eq!(imported, steps_of(&db, "by.trigger.example").await);
        assert_eq!(steps_of(&db, "kkpp.kgi889.com").await, imported, "every imported entry");
        let (marks,): (i64,) =
            sqlx::query_as("SELECT count(*) FROM takedown_bulk_writes").fetch_one(&db).await.unwrap();
        assert_eq!(marks, 0, "the trigger skips nothing once the import has committed");
    }

    #[tokio::test]
    async fn the_listing_trigger_skips_only_the_marked_versions_new_entries_and_only_while_marked() {
        let (_dir, db) = demo_db().await.expect("test database");
        let version = crate::versions::current(&db).await.unwrap().unwrap().version;
        let mut conn = db.acquire().await.unwrap();
        let insert = |target: &str, changed_in: i64| {
            format!(
                "INSERT INTO takedown_entries (scope, target, url, host, source, first_seen, last_seen, status,
                                               listed_on, status_changed_at, changed_in)
                 VALUES ('host', '{target}', 'https://{target}/', '{target}', 'manual', '2026-12-03',
                         '2026-12-03', 'detected', '2026-12-03', '2026-12-03T00:00:00Z', {changed_in})"
            )
        };
        let mut tx = sqlx::Connection::begin(&mut *conn).await.unwrap();
        mark_bulk_writes(&mut tx, version, true).await.unwrap();
        sqlx::query(&insert("bulk.example", version)).execute(&mut *tx).await.unwrap();
        sqlx::query(&insert("other-version.example", 0)).execute(&mut *tx).await.unwrap();
        mark_bulk_writes(&mut tx, version, false).await.unwrap();
        sqlx::query(&insert("after-the-mark.example", version)).execute(&mut *tx).await.unwrap();
        tx.commit().await.unwrap();
        // The same connection after that transaction, as the pool hands it to the next writer.
        sqlx::query(&insert("next-writer.example", version)).execute(&mut *conn).await.unwrap();
        drop(conn);

        assert!(steps_of(&db, "bulk.example").await.is_empty(), "its history is the import's to write");
        for target in ["other-version.example", "after-the-mark.example", "next-writer.example"] {
            assert_eq!(steps_of(&db, target).await.len(), 1, "{target} gets its found step from the trigger");
        }
    }

    #[tokio::test]
    async fn a_versions_checksum_is_the_sum_over_its_entries_sorted_bytewise() {
        let (_dir, db) = demo_db().await.expect("test database");
        // Pages whose order differs between bytewise and language-aware sorting.
        let list = "https://sites.google.com/view/Zeta\nhttps://sites.google.com/view/alpha\n\
                    https://sites.google.com/view/_under\nhttps://sites.google.com/view/-dash\n\
                    https://sites.google.com/view/%C3%A9t%C3%A9\nhttps://sites.google.com/view/e\n\
                    hxxps://b[.]kgi5x[.]com/\nhxxps://B-2[.]kgi5x[.]com/\n";
        let plan = preview(&db, &request(list), &Limits::default()).await.unwrap();
        let version = apply(&db, &plan, &Actor::cli(), false, &nothing).await.unwrap().unwrap();
        let mut conn = db.acquire().await.unwrap();
        let active = crate::versions::active_images(&mut conn).await.unwrap();
        assert_eq!(version.entries, active.len() as i64);
        assert_eq!(version.checksum, crate::versions::checksum(active.iter().map(|(_, image)| image)));
    }

    #[tokio::test]
    async fn the_checksum_an_import_records_from_its_plan_is_the_one_read_back_after_adding_changing_removing_and_reviving(
    ) {
        let (_dir, db) = demo_db().await.expect("test database");
        let line = |alert: u32, site: &str, ip: &str| {
            format!("E79{alert:05} (C79{alert:05}) hxxps://kkpp[.]{site}[.]com/index/login {ip}\n")
        };
        let first = [
            line(1, "kgi801", "89.106.207.1"),
            line(2, "kgi802", "89.106.207.1"),
            line(3, "kgi803", "89.106.207.1"),
        ]
        .concat();
        // The first site moves to another address, the second stays, the third is not named
        // again (the replacing import removes it) and a fourth is new.
        let second = [
            line(1, "kgi801", "89.106.207.2"),
            line(2, "kgi802", "89.106.207.1"),
            line(4, "kgi804", "89.106.207.1"),
        ]
        .concat();
        let third = line(3, "kgi803", "89.106.207.1"); // back again
        let mut versions = Vec::new();
        for (text, replace) in [(first.as_str(), false), (second.as_str(), true), (third.as_str(), false)] {
            let plan = preview(&db, &Request { replace, ..request(text) }, &Limits::default()).await.unwrap();
            versions.push((plan.added.len(), plan.changed.len(), plan.removed.len()));
            let version = apply(&db, &plan, &Actor::cli(), false, &nothing).await.unwrap().unwrap();
            let read_back = crate::versions::active_checksum(&mut db.acquire().await.unwrap()).await.unwrap();
            assert_eq!((version.entries, version.checksum), read_back, "after {text}");
        }
        // The replacing import also removes the demo's nine vendor entries it does not name.
        assert_eq!(versions, [(3, 0, 0), (1, 1, 10), (1, 0, 0)], "every kind of change was made");
    }

    #[tokio::test]
    async fn indexes_and_the_trigger_set_aside_by_a_big_import_come_back_as_the_migrations_made_them_or_were_never_gone(
    ) {
        let (_dir, db) = demo_db().await.expect("test database");
        if crate::Backend::of(&db) != crate::Backend::Sqlite {
            return; // PostgreSQL keeps its indexes and trigger through an import
        }
        let schema = "SELECT type, name, sql FROM sqlite_master
                      WHERE tbl_name = 'takedown_entries' AND type IN ('index', 'trigger') ORDER BY type, name";
        type Schema = Vec<(String, String, Option<String>)>;
        let before: Schema = sqlx::query_as(schema).fetch_all(&db).await.unwrap();
        assert!(before.iter().any(|(_, name, _)| name == "takedown_entry_listed"));
        let lock = || crate::lock::lock(&db, crate::demo::FIRM_DATA_LOCK);

        let mut tx = lock().await.unwrap();
        assert!(set_aside_for_bulk(&mut tx, REINDEX_FROM - 1).await.unwrap().is_empty(), "a small import");
        let set_aside = set_aside_for_bulk(&mut tx, REINDEX_FROM).await.unwrap();
        assert!(set_aside.len() >= 9, "{set_aside:?}");
        let within: Schema = sqlx::query_as(schema).fetch_all(&mut *tx).await.unwrap();
        assert!(
            within.iter().all(|(_, name, sql)| sql.is_none() || name == "takedown_entry_status_changed"),
            "only the key's own index and the status trigger are left: {within:?}"
        );
        tx.rollback().await.unwrap(); // as a killed import's transaction is
        assert_eq!(
            sqlx::query_as::<_, (String, String, Option<String>)>(schema).fetch_all(&db).await.unwrap(),
            before
        );

        let mut tx = lock().await.unwrap();
        for create in set_aside_for_bulk(&mut tx, REINDEX_FROM).await.unwrap() {
            sqlx::query(&create).execute(&mut *tx).await.unwrap();
        }
        tx.commit().await.unwrap();
        assert_eq!(
            sqlx::query_as::<_, (String, String, Option<String>)>(schema).fetch_all(&db).await.unwrap(),
            before
        );
    }

    #[tokio::test]
    async fn a_big_import_widens_its_connections_page_cache_and_gives_the_pool_the_default_back() {
        let (_dir, db) = demo_db().await.expect("test database");
        let mut tx = crate::lock::lock(&db, crate::demo::FIRM_DATA_LOCK).await.unwrap();
        let cache = "PRAGMA cache_size";
        let sqlite = crate::Backend::of(&db) == crate::Backend::Sqlite;
        let default = (-DEFAULT_CACHE_KIB,);

        assert!(!widen_cache(&mut tx, WIDE_CACHE_FROM - 1).await.unwrap(), "a small import");
        if sqlite {
            let left: (i64,) = sqlx::query_as(cache).fetch_one(&mut *tx).await.unwrap();
            assert_eq!(left, default);
        }
        assert_eq!(widen_cache(&mut tx, WIDE_CACHE_FROM).await.unwrap(), sqlite, "only SQLite's");
        if sqlite {
            let wide: (i64,) = sqlx::query_as(cache).fetch_one(&mut *tx).await.unwrap();
            assert_eq!(wide, (-WIDE_CACHE_KIB,));
            narrow_cache(&mut tx).await.unwrap();
            let narrowed: (i64,) = sqlx::query_as(cache).fetch_one(&mut *tx).await.unwrap();
            assert_eq!(narrowed, default);
        }
        tx.rollback().await.unwrap();
    }

    #[tokio::test]
    async fn a_vendor_notice_is_previewed_then_applied_as_a_new_version_the_checks_use() {
        let (_dir, db) = demo_db().await.expect("test database");
        let before = crate::versions::current(&db).await.unwrap().unwrap();
        let notice = "資安部：\nRSA偵測到以下釣魚網頁，已申請下架。\n\
                      E7900001 (C7900000) hxxps://kkpp[.]kgi888[.]com/index/login 89.106.207.160\n\
                      E7800746 (C7800745) hxxps://kkpp[.]kgi357[.]com/index/login 89.106.207.153\n\
                      E7 (C7) not-a-link\n";
        let plan = preview(&db, &request(notice), &Limits::default()).await.unwrap();
        assert_eq!(plan.format, FeedFormat::VendorNotice);
        assert_eq!((plan.added.len(), plan.changed.len(), plan.unchanged), (1, 0, 1), "{plan:?}");
        assert_eq!(plan.problems.len(), 1);
        assert_eq!(plan.problems[0].line, 5);
        assert_eq!(crate::versions::current(&db).await.unwrap().unwrap(), before, "a preview writes nothing");

        let version =
            apply(&db, &plan, &Actor::cli(), false, &nothing).await.unwrap().expect("a new version");
        assert_eq!(version.version, before.version + 1);
        assert_eq!((version.added, version.entries), (1, 10));
        assert_ne!(version.checksum, before.checksum);
        assert!(active_targets(&db).await.contains(&"kkpp.kgi888.com".to_owned()));
        let (source, status, alert, vendor): (String, String, String, String) = sqlx::query_as(
            "SELECT source, status, alert_id, vendor FROM takedown_entries WHERE target = 'kkpp.kgi888.com'",
        )
        .fetch_one(&db)
        .await
        .unwrap();
        assert_eq!(
            (source.as_str(), status.as_str(), alert.as_str(), vendor.as_str()),
            ("vendor_feed", "takedown_requested", "E7900001", "RSA")
        );
        let audit = crate::audit::search(&db, &crate::audit::Filter::default(), 5).await.unwrap();
        assert!(audit.iter().any(|e| e.action == "takedown_import"), "{audit:?}");

        assert_eq!(
            import(&db, notice, &Limits::default(), false).await.unwrap(),
            None,
            "the same file again changes nothing"
        );
    }

    #[tokio::test]
    async fn a_row_that_covers_the_firms_own_domain_or_line_account_is_named_and_refused() {
        let (_dir, db) = demo_db().await.expect("test database");
        let before = crate::versions::current(&db).await.unwrap();
        let list = "hxxps://new-fake[.]kgi999[.]com/\nhttps://www.kgi.com.tw/login\n";
        let plan = preview(&db, &request(list), &Limits::default()).await.unwrap();
        assert_eq!(plan.official_hits.len(), 1, "{plan:?}");
        assert_eq!(plan.official_hits[0].line, 2);
        let refused = apply(&db, &plan, &Actor::cli(), true, &nothing).await.unwrap_err();
        assert!(matches!(refused, StoreError::Import(ImportRefusal::CoversOfficial(_))), "{refused}");
        assert!(refused.to_string().contains("line 2"), "{refused}");
        assert_eq!(crate::versions::current(&db).await.unwrap(), before, "not even forced");
        assert!(!active_targets(&db).await.iter().any(|t| t.contains("kgi999")));

        let lines = official::values(&db, OfficialKind::LineId).await.unwrap();
        if let Some(line_id) = lines.first() {
            let link = format!("https://line.me/R/ti/p/@{line_id}\n");
            let plan = preview(&db, &request(&link), &Limits::default()).await.unwrap();
            assert_eq!(plan.official_hits.len(), 1, "the official LINE account: {plan:?}");
        }
    }

    #[tokio::test]
    async fn an_import_that_would_more_than_double_the_data_is_refused_unless_forced() {
        let (_dir, db) = demo_db().await.expect("test database");
        let limits = Limits { guard_min_entries: 5, ..Limits::default() };
        let before = crate::versions::current(&db).await.unwrap().unwrap();
        let doubled = fake_sites(10, 0);

        let refused = import(&db, &doubled, &limits, false).await.unwrap_err();
        assert!(
            matches!(refused, StoreError::Import(ImportRefusal::Doubles { before: 9, after: 19 })),
            "{refused}"
        );
        assert_eq!(
            crate::versions::current(&db).await.unwrap().unwrap(),
            before,
            "the active version is unchanged"
        );
        assert_eq!(active_targets(&db).await.len(), 9);

        let forced = import(&db, &doubled, &limits, true).await.unwrap().unwrap();
        assert!(forced.forced);
        assert_eq!(forced.entries, 19);
        let audit = crate::audit::search(&db, &crate::audit::Filter::default(), 5).await.unwrap();
        assert!(audit.iter().any(|e| e.action == "takedown_import_forced"), "{audit:?}");
    }

    #[tokio::test]
    async fn a_replacing_import_that_would_remove_most_entries_is_refused_unless_forced() {
        let (_dir, db) = demo_db().await.expect("test database");
        let limits = Limits { guard_min_entries: 5, ..Limits::default() };
        let one = "E7800746 (C7800745) hxxps://kkpp[.]kgi357[.]com/index/login 89.106.207.153\n";
        let plan = preview(&db, &Request { replace: true, ..request(one) }, &limits).await.unwrap();
        assert_eq!(plan.removed.len(), 8);
        assert!(
            matches!(plan.guard, Some(ImportRefusal::ChangesTooMuch { touched: 8, before: 9, .. })),
            "{plan:?}"
        );
        assert!(apply(&db, &plan, &Actor::cli(), false, &nothing).await.is_err());
        assert_eq!(active_targets(&db).await.len(), 9);
    }

    #[tokio::test]
    async fn a_rollback_restores_the_earlier_checksum_and_entries_and_can_itself_be_undone() {
        let (_dir, db) = demo_db().await.expect("test database");
        let demo = crate::versions::current(&db).await.unwrap().unwrap();
        let demo_targets = active_targets(&db).await;
        let one = "E7800746 (C7800745) hxxps://kkpp[.]kgi357[.]com/index/login 89.106.207.153\n";
        // Replace the vendor's list with one site (8 removed), then add two new sites.
        let plan =
            preview(&db, &Request { replace: true, ..request(one) }, &Limits::default()).await.unwrap();
        apply(&db, &plan, &Actor::cli(), false, &nothing).await.unwrap().unwrap();
        let grown = import(&db, &fake_sites(2, 50), &Limits::default(), false).await.unwrap().unwrap();
        assert_eq!(grown.entries, 3);
        let (removed_id,): (i64,) =
            sqlx::query_as("SELECT id FROM takedown_entries WHERE target = 'kkpp.kgi69.com'")
                .fetch_one(&db)
                .await
                .unwrap();

        let back = crate::versions::rollback(&db, demo.version, &Actor::cli()).await.unwrap();
        assert_eq!(back.checksum, demo.checksum);
        assert_eq!(back.rolled_back_to, Some(demo.version));
        assert_eq!(active_targets(&db).await, demo_targets);
        let (same_id,): (i64,) = sqlx::query_as(
            "SELECT id FROM takedown_entries WHERE target = 'kkpp.kgi69.com' AND removed_in IS NULL",
        )
        .fetch_one(&db)
        .await
        .unwrap();
        assert_eq!(same_id, removed_id, "the removed entry comes back with its history");

        let again = crate::versions::rollback(&db, grown.version, &Actor::cli()).await.unwrap();
        assert_eq!(again.checksum, grown.checksum);
        assert!(matches!(
            crate::versions::rollback(&db, again.version, &Actor::cli()).await,
            Err(StoreError::VersionIsCurrent(_))
        ));
        assert!(matches!(
            crate::versions::rollback(&db, 999, &Actor::cli()).await,
            Err(StoreError::NoSuchVersion(999))
        ));
    }

    #[tokio::test]
    async fn a_plan_made_before_the_data_changed_is_refused_at_apply() {
        let (_dir, db) = demo_db().await.expect("test database");
        let plan = preview(&db, &request(&fake_sites(1, 70)), &Limits::default()).await.unwrap();
        import(&db, &fake_sites(1, 80), &Limits::default(), false).await.unwrap();
        let stale = apply(&db, &plan, &Actor::cli(), false, &nothing).await.unwrap_err();
        assert!(matches!(stale, StoreError::Import(ImportRefusal::Stale { .. })), "{stale}");
    }

    #[tokio::test]
    async fn the_165_weekly_windows_of_one_site_become_one_entry_with_its_reports_and_span() {
        let (_dir, db) = demo_db().await.expect("test database");
        let csv = "\u{feff}WEBSITE_NM,WEBURL,CNT,STA_SDATE,STA_EDATE\n網站名稱,網址,件數,統計起始日期,統計結束日期\n\
                   凱基,www.kgi-vip.com,2,2024/01/01,2024/01/07\n\
                   凱基,www.kgi-vip.com/login,3,2024/02/05,2024/02/11\n\
                   0x,www.0xplusdapp.com,1,2023/05/01,2023/05/07\n";
        let plan = preview(&db, &request(csv), &Limits::default()).await.unwrap();
        assert_eq!(plan.format, FeedFormat::OpenData165);
        assert_eq!((plan.added.len(), plan.merged), (2, 1), "{plan:?}");
        apply(&db, &plan, &Actor::cli(), false, &nothing).await.unwrap().unwrap();
        let row: (String, String, i64, String, String, String) = sqlx::query_as(
            "SELECT source, status, report_count, first_seen, last_seen, brand FROM takedown_entries
             WHERE target = 'www.kgi-vip.com'",
        )
        .fetch_one(&db)
        .await
        .unwrap();
        assert_eq!(
            row,
            (
                "open_data_165".into(),
                "reported".into(),
                5,
                "2024-01-01".into(),
                "2024-02-11".into(),
                "凱基".into()
            )
        );
    }

    #[tokio::test]
    async fn a_file_that_is_too_large_mostly_unreadable_or_empty_is_refused_before_anything_is_read() {
        let (_dir, db) = demo_db().await.expect("test database");
        let small = Limits { max_bytes: 100, ..Limits::default() };
        let big = fake_sites(10, 0);
        assert!(matches!(
            preview(&db, &request(&big), &small).await,
            Err(StoreError::Import(ImportRefusal::TooLarge { max: 100, .. }))
        ));
        let few_rows = Limits { max_rows: 3, ..Limits::default() };
        assert!(matches!(
            preview(&db, &request(&big), &few_rows).await,
            Err(StoreError::Import(ImportRefusal::TooManyRows { rows: 10, max: 3 }))
        ));
        let junk = "this is\nnot a list\nof links at all\n";
        let refused = preview(
            &db,
            &Request { format: Some(FeedFormat::PlainList), ..request(junk) },
            &Limits::default(),
        )
        .await
        .unwrap_err();
        assert!(refused.to_string().contains("3 of 3 rows cannot be read as a list of links"), "{refused}");
        let mostly_junk: String =
            (0..25).map(|i| if i % 4 == 0 { "hxxps://ok[.]kgi1x[.]com/\n" } else { "junk line\n" }).collect();
        assert!(matches!(
            preview(
                &db,
                &Request { format: Some(FeedFormat::PlainList), ..request(&mostly_junk) },
                &Limits::default()
            )
            .await,
            Err(StoreError::Import(ImportRefusal::Unreadable { .. }))
        ));
        assert!(matches!(
            preview(&db, &request("# nothing\n\n"), &Limits::default()).await,
            Err(StoreError::Import(ImportRefusal::Empty))
        ));
    }

    #[tokio::test]
    async fn staff_change_the_status_of_a_selection_at_once_as_one_signed_version() {
        let (_dir, db) = demo_db().await.expect("test database");
        let ids: Vec<(i64,)> = sqlx::query_as("SELECT id FROM takedown_entries ORDER BY id LIMIT 3")
            .fetch_all(&db)
            .await
            .unwrap();
        let ids: Vec<i64> = ids.into_iter().map(|(id,)| id).collect();
        let analyst = Actor { id: None, login: "mei", client: "10.0.0.8" };
        let edit = crate::takedown::Edit {
            status: Some(TakedownStatus::TakenDown),
            event_note: Some("RSA confirmed".into()),
            notes: None,
        };
        let version = crate::takedown::edit_entries(&db, &ids, &edit, &analyst).await.unwrap().unwrap();
        assert_eq!((version.action.as_str(), version.changed, version.actor.as_str()), ("edit", 3, "mei"));
        let read_back = crate::versions::active_checksum(&mut db.acquire().await.unwrap()).await.unwrap();
        assert_eq!(
            (version.entries, version.checksum.clone()),
            read_back,
            "the sum it computed is the stored set's"
        );
        let signed: Vec<(String, Option<String>)> =
            sqlx::query_as("SELECT actor, note FROM takedown_events WHERE status = 'taken_down' ORDER BY id")
                .fetch_all(&db)
                .await
                .unwrap();
        assert_eq!(signed, vec![("mei".to_owned(), Some("RSA confirmed".to_owned())); 3]);
        assert_eq!(
            crate::takedown::edit_entries(&db, &ids, &edit, &analyst).await.unwrap(),
            None,
            "already so"
        );

        let mut withdrawn = edit.clone();
        withdrawn.status = Some(TakedownStatus::Withdrawn);
        crate::takedown::edit_entries(&db, &ids[..1], &withdrawn, &analyst).await.unwrap().unwrap();
        assert_eq!(
            crate::takedown::all(&mut db.acquire().await.unwrap()).await.unwrap().len(),
            8,
            "a withdrawn entry condemns nothing"
        );
    }
}
