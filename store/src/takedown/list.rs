//! The takedown database as the security console browses it: search, filters, sort and pages
//! over up to a million entries, every one of them answered from an index.

use engine::TakedownStatus;
use sqlx::Row as _;

use super::Source;
use crate::{Backend, Db, StoreError};

/// What to look for. Empty fields filter nothing.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Filter {
    /// A host, a registrable domain, a target, a vendor alert or case ID, an IP address, or
    /// the start of a host name (`kgi` finds `kgi357.com`); defanged text is read as meant.
    pub q: String,
    pub status: Option<TakedownStatus>,
    pub source: Option<Source>,
    pub vendor: String,
    pub hosting_ip: String,
    /// Include entries taken out of the active set (by an import or a rollback).
    pub include_removed: bool,
}

/// The orders the list can be sorted in.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Sort {
    /// Newest listed first (the default).
    #[default]
    Listed,
    LastSeen,
    FirstSeen,
    Reports,
    Target,
}

impl Sort {
    pub const ALL: [Self; 5] = [Self::Listed, Self::LastSeen, Self::FirstSeen, Self::Reports, Self::Target];

    pub fn code(self) -> &'static str {
        match self {
            Self::Listed => "listed",
            Self::LastSeen => "last_seen",
            Self::FirstSeen => "first_seen",
            Self::Reports => "reports",
            Self::Target => "target",
        }
    }

    pub fn parse(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|s| s.code() == code)
    }

    fn column(self) -> &'static str {
        match self {
            Self::Listed => "listed_on",
            Self::LastSeen => "last_seen",
            Self::FirstSeen => "first_seen",
            Self::Reports => "report_count",
            Self::Target => "target",
        }
    }
}

/// One entry in the list.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Row {
    pub id: i64,
    pub scope: String,
    pub target: String,
    pub status: String,
    pub source: String,
    pub vendor: String,
    pub hosting_ip: Option<String>,
    pub alert_id: Option<String>,
    pub case_id: Option<String>,
    pub brand: String,
    pub first_seen: String,
    pub last_seen: String,
    pub report_count: i64,
    pub listed_on: String,
    /// Out of the active set.
    pub removed: bool,
}

/// A page of the list and how many entries match in all.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Listing {
    pub rows: Vec<Row>,
    /// How many match, counted up to the deepest row a page can show.
    pub total: i64,
    /// More than `total` match: the count stopped there (narrow the search to see the rest).
    pub more: bool,
}

/// The most entries one page shows.
pub const MAX_PER_PAGE: i64 = 200;

/// The deepest page one may ask for (deeper pages are reached by narrowing the search).
pub const MAX_PAGE: i64 = 500;

/// What a search box holds, as the store compares it: trimmed, defanged, the host of a link,
/// lower-case for names (IDs keep their case).
fn normalised(q: &str) -> String {
    let mut q = q.trim().replace("[.]", ".").replace("(.)", ".").replace("hxxp", "http");
    if let Some((_, rest)) = q.split_once("://") {
        q = rest.split(['/', '?', '#']).next().unwrap_or_default().to_owned();
    }
    q
}

/// The page `page` (from 1) of the entries that match, sorted, `per_page` to a page.
pub async fn list(
    db: &Db,
    filter: &Filter,
    sort: Sort,
    descending: bool,
    page: i64,
    per_page: i64,
) -> Result<Listing, StoreError> {
    let per_page = per_page.clamp(1, MAX_PER_PAGE);
    let page = page.clamp(1, MAX_PAGE);
    let mut conditions: Vec<String> = Vec::new();
    let mut binds: Vec<String> = Vec::new();
    let mut bind = |value: String| {
        binds.push(value);
        format!("${}", binds.len())
    };
    if !filter.include_removed {
        conditions.push("removed_in IS NULL".into());
    }
    let q = normalised(&filter.q);
    if !q.is_empty() {
        let name = bind(q.to_ascii_lowercase());
        let id = bind(q.clone());
        let mut any = format!(
            "host = {name} OR site = {name} OR target = {name} OR hosting_ip = {name} OR alert_id = {id} OR case_id = {id}"
        );
        // The start of a host name, where the pattern can use the index: GLOB on SQLite's
        // binary-collated index, LIKE on PostgreSQL's pattern index.
        let plain = q.chars().all(|c| c.is_ascii_alphanumeric() || c == '.' || c == '-');
        if plain {
            let prefix = match Backend::of(db) {
                Backend::Sqlite => format!("host GLOB {}", bind(format!("{}*", q.to_ascii_lowercase()))),
                Backend::Postgres => format!("host LIKE {}", bind(format!("{}%", q.to_ascii_lowercase()))),
            };
            any.push_str(" OR ");
            any.push_str(&prefix);
        }
        conditions.push(format!("({any})"));
    }
    if let Some(status) = filter.status {
        conditions.push(format!("status = {}", bind(status.code().to_owned())));
    }
    if let Some(source) = filter.source {
        conditions.push(format!("source = {}", bind(source.code().to_owned())));
    }
    if !filter.vendor.trim().is_empty() {
        conditions.push(format!("vendor = {}", bind(filter.vendor.trim().to_owned())));
    }
    if !filter.hosting_ip.trim().is_empty() {
        conditions.push(format!("hosting_ip = {}", bind(filter.hosting_ip.trim().to_owned())));
    }
    let everything_active = conditions == ["removed_in IS NULL"];
    let filtered =
        if conditions.is_empty() { String::new() } else { format!("WHERE {}", conditions.join(" AND ")) };
    let direction = if descending { "DESC" } else { "ASC" };
    let sql = format!(
        "SELECT {ROW_COLUMNS} FROM takedown_entries {filtered}
         ORDER BY {column} {direction}, id {direction}
         LIMIT {per_page} OFFSET {offset}",
        column = sort.column(),
        offset = (page - 1) * per_page,
    );
    let mut query = sqlx::query(&sql);
    for value in &binds {
        query = query.bind(value);
    }
    let rows = query.fetch_all(db).await?;
    let rows = rows.iter().map(row_of).collect::<Result<Vec<_>, StoreError>>()?;
    // Counting a million entries takes longer than finding a page of them: the whole active
    // set's size is the current version's; any other count stops past the deepest page.
    if everything_active {
        if let Some(current) = crate::versions::current(db).await? {
            return Ok(Listing { rows, total: current.entries, more: false });
        }
    }
    let deepest = MAX_PAGE * per_page;
    let count_sql = format!(
        "SELECT count(*) FROM (SELECT 1 FROM takedown_entries {filtered} LIMIT {}) AS counted",
        deepest + 1
    );
    let mut count = sqlx::query_as::<_, (i64,)>(&count_sql);
    for value in &binds {
        count = count.bind(value);
    }
    let (counted,) = count.fetch_one(db).await?;
    Ok(Listing { rows, total: counted.min(deepest), more: counted > deepest })
}

/// The columns [`row_of`] reads, in its order.
const ROW_COLUMNS: &str = "id, scope, target, status, source, vendor, hosting_ip, alert_id, case_id, brand, \
     first_seen, last_seen, report_count, listed_on, removed_in";

fn row_of(r: &sqlx::any::AnyRow) -> Result<Row, StoreError> {
    Ok(Row {
        id: r.try_get(0)?,
        scope: r.try_get(1)?,
        target: r.try_get(2)?,
        status: r.try_get(3)?,
        source: r.try_get(4)?,
        vendor: r.try_get(5)?,
        hosting_ip: r.try_get(6)?,
        alert_id: r.try_get(7)?,
        case_id: r.try_get(8)?,
        brand: r.try_get(9)?,
        first_seen: r.try_get(10)?,
        last_seen: r.try_get(11)?,
        report_count: r.try_get(12)?,
        listed_on: r.try_get(13)?,
        removed: r.try_get::<Option<i64>, _>(14)?.is_some(),
    })
}

/// The entries with these ids (a page of a campaign), in id order; at most
/// [`MAX_PER_PAGE`] are read.
pub async fn rows_with_ids(db: &Db, ids: &[i64]) -> Result<Vec<Row>, StoreError> {
    let ids = &ids[..ids.len().min(usize::try_from(MAX_PER_PAGE).unwrap_or(usize::MAX))];
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    // Numbers, so they can be written into the statement as they are.
    let list: Vec<String> = ids.iter().map(i64::to_string).collect();
    let sql =
        format!("SELECT {ROW_COLUMNS} FROM takedown_entries WHERE id IN ({}) ORDER BY id", list.join(", "));
    let rows = sqlx::query(&sql).fetch_all(db).await?;
    rows.iter().map(row_of).collect()
}

/// The ids of every active entry that shares `hosting_ip` (a campaign on one server), read
/// up to one more than [`super::MAX_EDIT_SELECTION`]: a campaign too large for one change is
/// refused whole by the edit, never changed in part.
pub async fn ids_on_ip(db: &Db, hosting_ip: &str) -> Result<Vec<i64>, StoreError> {
    let rows: Vec<(i64,)> = sqlx::query_as(
        "SELECT id FROM takedown_entries WHERE hosting_ip = $1 AND removed_in IS NULL ORDER BY id LIMIT $2",
    )
    .bind(hosting_ip)
    .bind(i64::try_from(super::MAX_EDIT_SELECTION + 1).unwrap_or(i64::MAX))
    .fetch_all(db)
    .await?;
    Ok(rows.into_iter().map(|(id,)| id).collect())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::demo_db;

    fn targets(listing: &Listing) -> Vec<&str> {
        listing.rows.iter().map(|r| r.target.as_str()).collect()
    }

    #[tokio::test]
    async fn a_search_finds_an_entry_by_host_site_prefix_id_or_ip_and_defanged_text_as_meant() {
        let (_dir, db) = demo_db().await.expect("test database");
        let find = |q: &str| Filter { q: q.into(), ..Filter::default() };
        for (q, expected) in [
            ("kkpp.kgi357.com", 1),
            ("kgi357.com", 1),
            ("hxxps://kkpp[.]kgi357[.]com/index/login", 1),
            ("E7800746", 1),
            ("C7800745", 1),
            ("kkpp.kgi3", 3),
            ("89.106.207.153", 8),
            ("nothing-like-it.example", 0),
        ] {
            let found = list(&db, &find(q), Sort::Listed, true, 1, 50).await.unwrap();
            assert_eq!(found.total, expected, "{q}: {:?}", targets(&found));
        }
    }

    #[tokio::test]
    async fn the_list_filters_sorts_and_pages() {
        let (_dir, db) = demo_db().await.expect("test database");
        let all = list(&db, &Filter::default(), Sort::Target, false, 1, 4).await.unwrap();
        assert_eq!((all.total, all.rows.len()), (9, 4));
        let mut sorted = targets(&all);
        sorted.sort_unstable();
        assert_eq!(targets(&all), sorted);
        let last = list(&db, &Filter::default(), Sort::Target, false, 3, 4).await.unwrap();
        assert_eq!(last.rows.len(), 1);
        let requested = Filter { status: Some(TakedownStatus::TakedownRequested), ..Filter::default() };
        assert_eq!(list(&db, &requested, Sort::Listed, true, 1, 50).await.unwrap().total, 9);
        let taken = Filter { status: Some(TakedownStatus::TakenDown), ..Filter::default() };
        assert_eq!(list(&db, &taken, Sort::Listed, true, 1, 50).await.unwrap().total, 0);
        assert_eq!(ids_on_ip(&db, "89.106.207.153").await.unwrap().len(), 7);
    }

    #[tokio::test]
    async fn the_count_stops_past_the_deepest_page_and_the_whole_active_set_is_counted_by_its_version() {
        let (_dir, db) = demo_db().await.expect("test database");
        let feed: String = (0..600).map(|i| format!("hxxps://login[.]kgi{i}x[.]com/\n")).collect();
        let request =
            crate::import::Request { text: &feed, format: None, origin: "t", vendor: "", replace: false };
        let limits = crate::import::Limits { guard_min_entries: usize::MAX, ..Default::default() };
        let plan = crate::import::preview(&db, &request, &limits).await.unwrap();
        crate::import::apply(&db, &plan, &crate::audit::Actor::cli(), false, &|_| {}).await.unwrap();
        let (stored,): (i64,) =
            sqlx::query_as("SELECT count(*) FROM takedown_entries WHERE removed_in IS NULL")
                .fetch_one(&db)
                .await
                .unwrap();

        let everything = list(&db, &Filter::default(), Sort::Listed, true, 1, 1).await.unwrap();
        assert_eq!((everything.total, everything.more), (stored, false), "609 counted exactly");
        let listed = Filter { source: Some(Source::Manual), ..Filter::default() };
        let capped = list(&db, &listed, Sort::Listed, true, 1, 1).await.unwrap();
        assert_eq!((capped.total, capped.more), (MAX_PAGE, true), "600 match; a page of one reaches 500");
        let wide = list(&db, &listed, Sort::Listed, true, 1, 50).await.unwrap();
        assert_eq!((wide.total, wide.more), (600, false));
    }

    #[tokio::test]
    async fn a_campaign_on_one_ip_too_large_for_one_change_is_refused_whole() {
        let (_dir, db) = demo_db().await.expect("test database");
        let over = super::super::MAX_EDIT_SELECTION + 1;
        let notice: String = (0..over)
            .map(|i| format!("E9{i:07} (C9{i:07}) hxxps://kkpp[.]kgi{i}z[.]com/index/login 10.9.9.9\n"))
            .collect();
        let request = crate::import::Request {
            text: &notice,
            format: None,
            origin: "t",
            vendor: "RSA",
            replace: false,
        };
        let limits = crate::import::Limits { guard_min_entries: usize::MAX, ..Default::default() };
        let plan = crate::import::preview(&db, &request, &limits).await.unwrap();
        crate::import::apply(&db, &plan, &crate::audit::Actor::cli(), false, &|_| {}).await.unwrap();

        let ids = ids_on_ip(&db, "10.9.9.9").await.unwrap();
        assert_eq!(ids.len(), over, "every entry on the address, not the first 100,000");
        let edit = super::super::Edit { status: Some(TakedownStatus::TakenDown), ..Default::default() };
        let refused = super::super::edit_entries(&db, &ids, &edit, &crate::audit::Actor::cli()).await;
        assert!(matches!(&refused, Err(StoreError::Refused(why)) if why.contains("100001")), "{refused:?}");
        let taken = Filter { status: Some(TakedownStatus::TakenDown), ..Filter::default() };
        assert_eq!(list(&db, &taken, Sort::Listed, true, 1, 50).await.unwrap().total, 0, "none changed");
    }

    #[tokio::test]
    async fn a_search_the_list_makes_is_answered_from_an_index() {
        let (_dir, db) = demo_db().await.expect("test database");
        if Backend::of(&db) != Backend::Sqlite {
            return; // PostgreSQL prices scans over a nine-row table below any index.
        }
        let mut conn = db.acquire().await.unwrap();
        for query in [
            "SELECT id FROM takedown_entries WHERE removed_in IS NULL AND (host = 'a' OR site = 'a' OR target = 'a'
                 OR hosting_ip = 'a' OR alert_id = 'A' OR case_id = 'A' OR host GLOB 'a*') ORDER BY listed_on DESC LIMIT 50",
            "SELECT id FROM takedown_entries WHERE status = 'reported' ORDER BY listed_on DESC, id DESC LIMIT 50",
            "SELECT id FROM takedown_entries ORDER BY listed_on DESC, id DESC LIMIT 50",
        ] {
            let plan: Vec<(i64, i64, i64, String)> =
                sqlx::query_as(&format!("EXPLAIN QUERY PLAN {query}")).fetch_all(&mut *conn).await.unwrap();
            let scans: Vec<_> = plan.iter().map(|r| &r.3).filter(|s| s.starts_with("SCAN") && !s.contains("USING")).collect();
            assert!(scans.is_empty(), "{query}: {plan:?}");
        }
    }
}
