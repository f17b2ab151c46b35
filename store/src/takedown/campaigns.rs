//! Campaigns: active takedown entries that belong together because they share a hosting IP,
//! a name pattern (`kkpp.kgi<digits>.com`) or a path pattern (`/index/login`), so that staff
//! see them as one group and move them at once. Computed in Rust from one streamed read of the
//! active entries (nothing the imports write is added for it), and kept per data version.

use std::collections::HashMap;
use std::net::IpAddr;
use std::sync::Arc;

use engine::TakedownStatus;

use crate::{Db, StoreError};

/// What a run of digits becomes in a pattern.
pub const DIGITS: &str = "<digits>";

/// What the entries of a campaign share.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum CampaignKind {
    /// The same hosting IP address (the server the fakes run on).
    HostingIp,
    /// The same host name once its numbers are left out (`kkpp.kgi<digits>.com`).
    Name,
    /// The same page path once its numbers are left out (`/index/login`).
    Path,
}

impl CampaignKind {
    /// Every kind, in the order pages list them.
    pub const ALL: [Self; 3] = [Self::HostingIp, Self::Name, Self::Path];

    /// The stable code forms and links use.
    pub fn code(self) -> &'static str {
        match self {
            Self::HostingIp => "ip",
            Self::Name => "name",
            Self::Path => "path",
        }
    }

    /// Reads a code.
    pub fn parse(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.code() == code)
    }
}

/// `s` in lower case with every run of ASCII digits written as [`DIGITS`].
fn generalise(s: &str, out: &mut String) {
    let mut in_digits = false;
    for c in s.chars() {
        if c.is_ascii_digit() {
            if !in_digits {
                out.push_str(DIGITS);
            }
            in_digits = true;
        } else {
            out.push(c.to_ascii_lowercase());
            in_digits = false;
        }
    }
}

/// The name pattern of a host: every run of digits written `<digits>`
/// (`kkpp.kgi357.com` → `kkpp.kgi<digits>.com`, `a006.kgi588.com` → `a<digits>.kgi<digits>.com`).
/// Letters stay as they are, hexadecimal-looking ones too (`a3f9b2` → `a<digits>f<digits>b<digits>`),
/// so only names that differ in their numbers alone match. `None` when the pattern could not
/// tell a campaign from chance: a host without digits (sharing it is sharing a host), an IP
/// address (the hosting-IP groups cover those), a name without a known public suffix, or one
/// whose own name (`7366623` in `7366623.com`) is digits alone, which would group every
/// numbered site. An internationalised label (`xn--…`) is kept as written.
pub fn name_pattern(host: &str) -> Option<String> {
    // Most hosts have no digits: they are answered before anything is copied.
    if !host.bytes().any(|b| b.is_ascii_digit()) || host.starts_with('[') || host.parse::<IpAddr>().is_ok() {
        return None;
    }
    let host = host.trim_end_matches('.');
    let lower;
    let host = if host.bytes().any(|b| b.is_ascii_uppercase()) {
        lower = host.to_ascii_lowercase();
        lower.as_str()
    } else {
        host
    };
    let site = engine::domain::registrable_domain(host)?;
    let own_name = site.split('.').next()?;
    if own_name.bytes().all(|b| b.is_ascii_digit() || b == b'-') {
        return None;
    }
    let mut pattern = String::with_capacity(host.len() + 16);
    for (i, label) in host.split('.').enumerate() {
        if i > 0 {
            pattern.push('.');
        }
        if label.starts_with("xn--") {
            pattern.push_str(label);
        } else {
            generalise(label, &mut pattern);
        }
    }
    pattern.contains(DIGITS).then_some(pattern)
}

/// A site's start page under another name: as trivial as `/`.
const START_PAGES: [&str; 5] = ["/index.html", "/index.htm", "/index.php", "/default.aspx", "/default.htm"];

/// The path pattern of a URL: its path in lower case, without the query, the fragment and a
/// final `/`, every run of digits written `<digits>` (`https://kkpp.kgi357.com/index/login`
/// → `/index/login`; `/h5/8821/` → `/h<digits>/<digits>`). `None` for a trivial path, which
/// never groups: none, `/`, or the start page (`/index.html`, `/index.php`…).
pub fn path_pattern(url: &str) -> Option<String> {
    let rest = url.split_once("://").map_or(url, |(_, rest)| rest);
    let start = rest.find(['/', '?', '#'])?;
    let path = rest[start..].split(['?', '#']).next().unwrap_or_default().trim_end_matches('/');
    if path.is_empty() {
        return None;
    }
    if START_PAGES.iter().any(|start| start.eq_ignore_ascii_case(path)) {
        return None;
    }
    let mut pattern = String::with_capacity(path.len() + 16);
    generalise(path, &mut pattern);
    Some(pattern)
}

/// One active entry, as campaigns read it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ActiveEntry {
    pub id: i64,
    pub host: String,
    pub url: String,
    pub hosting_ip: Option<String>,
    pub status: TakedownStatus,
}

/// A group of at least two active entries that share something.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Campaign {
    pub kind: CampaignKind,
    /// The shared IP address, name pattern or path pattern.
    pub pattern: String,
    /// Its entries, in id order.
    pub ids: Vec<i64>,
    /// How many of its entries have each status, in lifecycle order (statuses it has only).
    pub statuses: Vec<(TakedownStatus, usize)>,
    /// The hosting IPs its entries name, the most named first, at most [`IPS_SHOWN`].
    pub hosting_ips: Vec<(String, usize)>,
    /// How many distinct hosting IPs its entries name.
    pub distinct_ips: usize,
}

/// The most hosting IPs a campaign lists by name.
pub const IPS_SHOWN: usize = 5;

/// Who is in a group so far: one entry (most names and paths are a site's own), or more.
enum Members {
    One(u32),
    Many(Vec<u32>),
}

impl Members {
    fn push(&mut self, at: u32) {
        match self {
            Self::One(first) => *self = Self::Many(vec![*first, at]),
            Self::Many(all) => all.push(at),
        }
    }
}

/// Builds the campaigns from entries given one at a time, keeping per entry only its id,
/// status and hosting IP (by number), so a million entries stay a few tens of megabytes.
#[derive(Default)]
pub struct Grouper {
    entries: Vec<(i64, TakedownStatus, u32)>,
    ips: HashMap<String, u32>,
    ip_names: Vec<String>,
    by_ip: Vec<Vec<u32>>,
    by_name: HashMap<String, Members>,
    by_path: HashMap<String, Members>,
}

/// No hosting IP.
const NO_IP: u32 = u32::MAX;

impl Grouper {
    /// Takes one active entry into account.
    pub fn add(&mut self, entry: &ActiveEntry) {
        let Ok(at) = u32::try_from(self.entries.len()) else { return };
        let ip = match entry.hosting_ip.as_deref().map(str::trim).filter(|ip| !ip.is_empty()) {
            None => NO_IP,
            Some(ip) => match self.ips.get(ip) {
                Some(&n) => n,
                None => {
                    let n = u32::try_from(self.ip_names.len()).unwrap_or(NO_IP);
                    self.ips.insert(ip.to_owned(), n);
                    self.ip_names.push(ip.to_owned());
                    self.by_ip.push(Vec::new());
                    n
                }
            },
        };
        if let Some(members) = self.by_ip.get_mut(ip as usize) {
            members.push(at);
        }
        self.entries.push((entry.id, entry.status, ip));
        for (map, pattern) in
            [(&mut self.by_name, name_pattern(&entry.host)), (&mut self.by_path, path_pattern(&entry.url))]
        {
            if let Some(pattern) = pattern {
                match map.get_mut(&pattern) {
                    Some(members) => members.push(at),
                    None => {
                        map.insert(pattern, Members::One(at));
                    }
                }
            }
        }
    }

    /// How many entries were taken into account.
    pub fn len(&self) -> usize {
        self.entries.len()
    }

    /// Whether no entry was.
    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    /// The campaigns: the groups of two entries or more, the largest first (then by kind and
    /// pattern, so the order is stable).
    pub fn finish(self) -> Vec<Campaign> {
        let Self { entries, ip_names, by_ip, by_name, by_path, .. } = self;
        let campaign = |kind: CampaignKind, pattern: String, members: &[u32]| {
            let mut ids = Vec::with_capacity(members.len());
            let mut statuses: Vec<(TakedownStatus, usize)> = Vec::new();
            let mut ips: HashMap<u32, usize> = HashMap::new();
            for &at in members {
                let Some(&(id, status, ip)) = entries.get(at as usize) else { continue };
                ids.push(id);
                match statuses.iter_mut().find(|(s, _)| *s == status) {
                    Some((_, n)) => *n += 1,
                    None => statuses.push((status, 1)),
                }
                if ip != NO_IP {
                    *ips.entry(ip).or_default() += 1;
                }
            }
            ids.sort_unstable();
            statuses.sort_by_key(|(s, _)| TakedownStatus::ALL.iter().position(|a| a == s));
            let mut named: Vec<(String, usize)> = ips
                .iter()
                .map(|(&ip, &n)| (ip_names.get(ip as usize).cloned().unwrap_or_default(), n))
                .collect();
            named.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
            let distinct_ips = named.len();
            named.truncate(IPS_SHOWN);
            Campaign { kind, pattern, ids, statuses, hosting_ips: named, distinct_ips }
        };
        let mut groups = Vec::new();
        for (ip, members) in by_ip.iter().enumerate() {
            if members.len() >= 2 {
                groups.push(campaign(
                    CampaignKind::HostingIp,
                    ip_names.get(ip).cloned().unwrap_or_default(),
                    members,
                ));
            }
        }
        for (kind, map) in [(CampaignKind::Name, by_name), (CampaignKind::Path, by_path)] {
            for (pattern, members) in map {
                if let Members::Many(members) = members {
                    groups.push(campaign(kind, pattern, &members));
                }
            }
        }
        groups.sort_by(|a, b| {
            b.ids.len().cmp(&a.ids.len()).then(a.kind.cmp(&b.kind)).then_with(|| a.pattern.cmp(&b.pattern))
        });
        groups
    }
}

/// The campaigns of given entries (what [`read`] does with the database's).
pub fn group<'a>(entries: impl IntoIterator<Item = &'a ActiveEntry>) -> Vec<Campaign> {
    let mut grouper = Grouper::default();
    for entry in entries {
        grouper.add(entry);
    }
    grouper.finish()
}

/// The campaigns of the active set as of one takedown version.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Campaigns {
    /// The takedown version read at the start (the set may be newer, never older).
    pub version: Option<i64>,
    /// Active entries read.
    pub entries: usize,
    /// The groups, the largest first.
    pub groups: Vec<Campaign>,
}

impl Campaigns {
    /// The group of `kind` with `pattern`, if there is one.
    pub fn find(&self, kind: CampaignKind, pattern: &str) -> Option<&Campaign> {
        self.groups.iter().find(|g| g.kind == kind && g.pattern == pattern)
    }

    /// The groups of `kind` (any, when `None`) whose pattern contains `text` (any case), the
    /// largest first.
    pub fn matching(&self, kind: Option<CampaignKind>, text: &str) -> Vec<&Campaign> {
        let text = text.trim().to_lowercase();
        self.groups
            .iter()
            .filter(|g| kind.is_none_or(|k| g.kind == k) && (text.is_empty() || g.pattern.contains(&text)))
            .collect()
    }
}

/// Reads every active entry (in pages of 10,000, in one read transaction) and groups them
/// into campaigns. The grouping runs on a blocking thread while the pages come in, so a
/// million entries neither sit in memory at once nor hold up the async workers.
pub async fn read(db: &Db) -> Result<Campaigns, StoreError> {
    // The version first: a set that moves on meanwhile is newer than its label, never older,
    // so a cache keyed by it is never served past a change.
    let version = crate::versions::current(db).await?.map(|v| v.version);
    let (sender, mut receiver) = tokio::sync::mpsc::channel::<Vec<Row>>(4);
    let grouping = tokio::task::spawn_blocking(move || {
        let mut grouper = Grouper::default();
        while let Some(page) = receiver.blocking_recv() {
            for (id, host, url, hosting_ip, status) in page {
                grouper.add(&ActiveEntry { id, host, url, hosting_ip, status });
            }
        }
        let entries = grouper.len();
        (entries, grouper.finish())
    });
    // In pages of one JSON text each (`db::packed_page`), in one read transaction: reading the
    // rows one by one through sqlx took most of the time.
    type Row = (i64, String, String, Option<String>, TakedownStatus);
    let mut conn = db.acquire().await?;
    let mut tx = crate::db::begin_read(&mut conn).await?;
    let sql = crate::db::packed_page(
        crate::Backend::of(db),
        "id, host, url, hosting_ip, status",
        "takedown_entries",
        "removed_in IS NULL",
    );
    let mut cursor = crate::db::PageCursor::default();
    while let Some(page) =
        crate::db::read_page(&mut tx, "takedown_entries", &sql, |row: &Row| row.0, &mut cursor).await?
    {
        if sender.send(page).await.is_err() {
            break;
        }
    }
    tx.commit().await?;
    drop(sender);
    let (entries, groups) =
        grouping.await.map_err(|e| StoreError::Refused(format!("grouping the campaigns stopped: {e}")))?;
    Ok(Campaigns { version, entries, groups })
}

/// The campaigns of the newest takedown version, computed once per version and shared: the
/// first request after a change reads the entries, requests meanwhile wait for that read
/// rather than each making their own.
#[derive(Debug, Default)]
pub struct CampaignCache {
    current: tokio::sync::Mutex<Option<Arc<Campaigns>>>,
}

impl CampaignCache {
    /// The campaigns as of the current takedown version.
    pub async fn get(&self, db: &Db) -> Result<Arc<Campaigns>, StoreError> {
        let version = crate::versions::current(db).await?.map(|v| v.version);
        let mut slot = self.current.lock().await;
        if let Some(campaigns) = slot.as_ref().filter(|c| c.version == version) {
            return Ok(Arc::clone(campaigns));
        }
        let fresh = Arc::new(read(db).await?);
        *slot = Some(Arc::clone(&fresh));
        Ok(fresh)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::demo_db;

    fn entry(id: i64, url: &str, ip: Option<&str>, status: TakedownStatus) -> ActiveEntry {
        let rest = url.split_once("://").map_or(url, |(_, r)| r);
        let host = rest.split(['/', '?', '#']).next().unwrap_or_default().to_owned();
        ActiveEntry { id, host, url: url.to_owned(), hosting_ip: ip.map(str::to_owned), status }
    }

    #[test]
    fn a_hosts_numbers_become_digits_in_its_name_pattern() {
        for (host, pattern) in [
            ("kkpp.kgi357.com", Some("kkpp.kgi<digits>.com")),
            ("KKPP.KGI69.COM", Some("kkpp.kgi<digits>.com")),
            ("a006.kgi588.com", Some("a<digits>.kgi<digits>.com")),
            ("2311915.ec66.tw", Some("<digits>.ec<digits>.tw")),
            ("www.wds1688.com.", Some("www.wds<digits>.com")),
            ("login.kgi-12-check.com", Some("login.kgi-<digits>-check.com")),
            // Hexadecimal-looking letters stay letters: only numbers are left out.
            ("a3f9b2.example.com", Some("a<digits>f<digits>b<digits>.example.com")),
            ("xn--kgi-1x2.com", None),
            ("www.babao.cc", None),
            ("89.106.207.153", None),
            ("7366623.com", None),
            ("www.8888.com", None),
            ("kgi357.notasuffix", None),
        ] {
            assert_eq!(name_pattern(host).as_deref(), pattern, "{host}");
        }
    }

    #[test]
    fn a_urls_path_pattern_drops_the_query_and_numbers_and_a_trivial_path_has_none() {
        for (url, pattern) in [
            ("https://kkpp.kgi357.com/index/login", Some("/index/login")),
            ("https://89.106.207.153/index/login/", Some("/index/login")),
            ("kkpp.kgi69.com/Index/Login?from=sms#top", Some("/index/login")),
            ("https://x.top/h5/8821/", Some("/h<digits>/<digits>")),
            ("https://x.top/m", Some("/m")),
            ("https://x.top/", None),
            ("https://x.top", None),
            ("https://x.top?next=/index/login", None),
            ("https://x.top//", None),
            ("https://x.top/index.html", None),
            ("https://x.top/INDEX.PHP?id=3", None),
        ] {
            assert_eq!(path_pattern(url).as_deref(), pattern, "{url}");
        }
    }

    #[test]
    fn entries_that_share_an_ip_a_name_pattern_or_a_path_are_grouped_and_a_lone_one_is_not() {
        use TakedownStatus::{Reported, TakenDown};
        let entries = [
            entry(1, "https://kkpp.kgi357.com/index/login", Some("89.106.207.153"), Reported),
            entry(2, "https://kkpp.kgi379.com/index/login", Some("89.106.207.153"), TakenDown),
            entry(3, "https://kkpp.kgi69.com/", Some("1.2.3.4"), Reported),
            entry(4, "https://www.babao.cc/index/login", None, Reported),
            entry(5, "https://lonely.example.com/", Some("5.6.7.8"), Reported),
            entry(6, "https://other.example.org/", Some(""), Reported),
            entry(7, "https://again.example.net/", None, Reported),
        ];
        let groups = group(&entries);
        let seen: Vec<(CampaignKind, &str, &[i64])> =
            groups.iter().map(|g| (g.kind, g.pattern.as_str(), g.ids.as_slice())).collect();
        assert_eq!(
            seen,
            [
                (CampaignKind::Name, "kkpp.kgi<digits>.com", &[1, 2, 3][..]),
                (CampaignKind::Path, "/index/login", &[1, 2, 4][..]),
                (CampaignKind::HostingIp, "89.106.207.153", &[1, 2][..]),
            ],
            "largest first; no group of one, none for a blank IP or the start page"
        );
        let name = &groups[0];
        assert_eq!(name.statuses, [(Reported, 2), (TakenDown, 1)], "in lifecycle order");
        assert_eq!(name.hosting_ips, [("89.106.207.153".to_owned(), 2), ("1.2.3.4".to_owned(), 1)]);
        assert_eq!(name.distinct_ips, 2);
        assert_eq!(groups[1].hosting_ips.len(), 1, "an entry without an IP names none");
    }

    #[tokio::test]
    async fn the_demo_notice_is_one_campaign_by_name_by_path_and_by_hosting_ip() {
        let (_dir, db) = demo_db().await.expect("test database");
        let campaigns = read(&db).await.unwrap();
        assert_eq!(campaigns.entries, 9);
        assert_eq!(campaigns.version, crate::versions::current(&db).await.unwrap().map(|v| v.version));
        let name = campaigns.find(CampaignKind::Name, "kkpp.kgi<digits>.com").expect("the name campaign");
        assert_eq!(name.ids.len(), 7);
        assert_eq!(name.hosting_ips, [("89.106.207.153".to_owned(), 7)]);
        let rows = crate::takedown::list::rows_with_ids(&db, &name.ids).await.unwrap();
        assert!(rows.iter().all(|r| r.target.starts_with("kkpp.kgi")) && rows.len() == 7, "{rows:?}");
        let path = campaigns.find(CampaignKind::Path, "/index/login").expect("the path campaign");
        assert_eq!(path.ids.len(), 8, "the seven names and the bare IP's page");
        assert_eq!(campaigns.matching(Some(CampaignKind::Path), "LOGIN").len(), 1, "found by part of a path");
        assert_eq!(campaigns.matching(None, "kgi").len(), 1);
        assert_eq!(campaigns.matching(None, "").len(), campaigns.groups.len());
        let ip = campaigns.find(CampaignKind::HostingIp, "89.106.207.153").expect("the IP campaign");
        assert_eq!(ip.ids, crate::takedown::list::ids_on_ip(&db, "89.106.207.153").await.unwrap());
    }

    #[tokio::test]
    async fn the_cache_reads_again_only_when_the_takedown_version_moves() {
        let (_dir, db) = demo_db().await.expect("test database");
        let cache = CampaignCache::default();
        let first = cache.get(&db).await.unwrap();
        assert!(Arc::ptr_eq(&first, &cache.get(&db).await.unwrap()), "the same version is not read again");
        let name = first.find(CampaignKind::Name, "kkpp.kgi<digits>.com").unwrap();
        let edit = super::super::Edit { status: Some(TakedownStatus::TakenDown), ..Default::default() };
        super::super::edit_entries(&db, &name.ids, &edit, &crate::audit::Actor::system())
            .await
            .unwrap()
            .expect("a new version");
        let second = cache.get(&db).await.unwrap();
        assert_ne!(second.version, first.version);
        let moved = second.find(CampaignKind::Name, "kkpp.kgi<digits>.com").unwrap();
        assert_eq!(moved.statuses, [(TakedownStatus::TakenDown, 7)]);
    }
}
