//! Check counts: how often each site was checked, per verdict and day, kept in memory by
//! the public check and written to the database in batches, so that counting never puts
//! the database on the check's path. Only sites of links are counted: never the pasted
//! text, phone numbers or LINE IDs, and never a link's full host, since phishing kits put
//! victims' IDs and phone numbers in subdomains (see [`counted_name`]).

use std::collections::{HashMap, HashSet};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Mutex, MutexGuard};

use engine::{Finding, Report, Verdict};

use crate::{Db, StoreError};

/// The most distinct (host, verdict, day) counters held between two flushes. A flood of
/// random hosts cannot grow memory past it: further new hosts are dropped (and logged)
/// until the next flush empties the tally.
pub const DEFAULT_CAP: usize = 100_000;

#[derive(Clone, Debug, PartialEq, Eq, Hash)]
struct CountKey {
    host: String,
    verdict: Verdict,
    /// Taiwan date, `YYYY-MM-DD`.
    day: String,
}

/// The in-memory counters the check handlers increment.
#[derive(Debug)]
pub struct CheckTally {
    counts: Mutex<HashMap<CountKey, u64>>,
    cap: usize,
    dropped: AtomicU64,
}

impl Default for CheckTally {
    fn default() -> Self {
        Self::with_cap(DEFAULT_CAP)
    }
}

impl CheckTally {
    /// A tally holding at most `cap` distinct counters between flushes.
    pub fn with_cap(cap: usize) -> Self {
        Self { counts: Mutex::new(HashMap::new()), cap, dropped: AtomicU64::new(0) }
    }

    /// Counts one check: each distinct (site, verdict) among the links it shows, once.
    pub fn record_report(&self, report: &Report) {
        let mut seen = HashSet::new();
        let day = crate::today_in_taiwan();
        for finding in report.findings.iter() {
            if let Some(name) = counted_name(finding) {
                if seen.insert((name, finding.verdict)) {
                    self.add(
                        CountKey { host: name.to_owned(), verdict: finding.verdict, day: day.clone() },
                        1,
                    );
                }
            }
        }
    }

    /// Counts one check of `host` with `verdict`, today.
    pub fn record(&self, host: &str, verdict: Verdict) {
        self.add(CountKey { host: host.to_owned(), verdict, day: crate::today_in_taiwan() }, 1);
    }

    /// How many distinct counters wait for the next flush.
    pub fn pending(&self) -> usize {
        self.lock().len()
    }

    /// How many counts were dropped because the tally was full, since the last flush.
    pub fn dropped(&self) -> u64 {
        self.dropped.load(Ordering::Relaxed)
    }

    /// Writes the counters to the database in one transaction and empties the tally.
    /// If the write fails, the counts go back into the tally for the next try (as far as
    /// the cap allows), and nothing is half-written. Returns how many counters were written.
    pub async fn flush(&self, db: &Db) -> Result<usize, StoreError> {
        let dropped = self.dropped.swap(0, Ordering::Relaxed);
        if dropped > 0 {
            tracing::warn!(dropped, cap = self.cap, "check tally was full; some check counts were dropped");
        }
        let batch = std::mem::take(&mut *self.lock());
        if batch.is_empty() {
            return Ok(0);
        }
        match write(db, &batch).await {
            Ok(()) => Ok(batch.len()),
            Err(e) => {
                for (key, n) in batch {
                    self.add(key, n);
                }
                Err(e)
            }
        }
    }

    fn add(&self, key: CountKey, n: u64) {
        let mut counts = self.lock();
        let full = counts.len() >= self.cap;
        match counts.get_mut(&key) {
            Some(count) => *count = count.saturating_add(n),
            None if !full => {
                counts.insert(key, n);
            }
            None => {
                drop(counts);
                if self.dropped.fetch_add(n, Ordering::Relaxed) == 0 {
                    tracing::warn!(
                        cap = self.cap,
                        "check tally is full; new hosts are not counted until the next flush"
                    );
                }
            }
        }
    }

    /// The counters, even if a thread panicked while holding them: a count is never
    /// worth failing a check for.
    fn lock(&self) -> MutexGuard<'_, HashMap<CountKey, u64>> {
        self.counts.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
    }
}

/// The name a finding is counted under: for a known fake the listed name it fell under
/// (`kkpp.kgi357.com`, whatever was put in front of it), otherwise its registrable domain,
/// or the address of a link to a bare IP. `None` for phone numbers, LINE IDs and links
/// without a site.
pub fn counted_name(finding: &Finding) -> Option<&str> {
    if !finding.kind.is_link() {
        return None;
    }
    if let Some(listed) = finding.takedown.as_ref() {
        return Some(listed.listed_host.as_str());
    }
    let host = finding.host.as_deref()?;
    let is_ip = host.parse::<std::net::IpAddr>().is_ok() || host.starts_with('[');
    finding.registrable_domain.as_deref().or(is_ip.then_some(host))
}

async fn write(db: &Db, batch: &HashMap<CountKey, u64>) -> Result<(), StoreError> {
    let mut tx = db.begin().await?;
    for (key, n) in batch {
        let site = engine::domain::registrable_domain(&key.host);
        sqlx::query(
            "INSERT INTO check_counts (host, site, verdict, day, checks) VALUES ($1, $2, $3, $4, $5)
             ON CONFLICT (host, verdict, day) DO UPDATE SET checks = check_counts.checks + excluded.checks",
        )
        .bind(&key.host)
        .bind(site)
        .bind(verdict_code(key.verdict))
        .bind(&key.day)
        .bind(i64::try_from(*n).unwrap_or(i64::MAX))
        .execute(&mut *tx)
        .await?;
    }
    tx.commit().await?;
    Ok(())
}

fn verdict_code(verdict: Verdict) -> &'static str {
    match verdict {
        Verdict::Official => "official",
        Verdict::Unknown => "unknown",
        Verdict::Suspicious => "suspicious",
        Verdict::Fraud => "fraud",
    }
}

/// A host that was checked often, with the worst verdict it was given.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CheckedHost {
    pub host: String,
    pub verdict: Verdict,
    pub checks: i64,
}

/// The hosts most often checked since `since` (a Taiwan date) that were judged fraud or
/// suspicious, most checked first. Unknown and official hosts are never listed: naming an
/// unknown host in public could wrong an innocent site.
pub async fn most_checked(db: &Db, since: time::Date, limit: u32) -> Result<Vec<CheckedHost>, StoreError> {
    let since = crate::date_text(since);
    let rows: Vec<(String, i64, i64)> = sqlx::query_as(
        "SELECT host, max(CASE verdict WHEN 'fraud' THEN 2 ELSE 1 END) AS worst,
                CAST(sum(checks) AS BIGINT) AS total
         FROM check_counts
         WHERE day >= $1 AND verdict IN ('fraud', 'suspicious')
         GROUP BY host
         ORDER BY total DESC, host
         LIMIT $2",
    )
    .bind(since)
    .bind(i64::from(limit))
    .fetch_all(db)
    .await?;
    Ok(rows
        .into_iter()
        .map(|(host, worst, checks)| CheckedHost {
            host,
            verdict: if worst == 2 { Verdict::Fraud } else { Verdict::Suspicious },
            checks,
        })
        .collect())
}

/// The first day of the last seven, today included, in Taiwan.
pub fn week_start() -> time::Date {
    let today = crate::taiwan_date();
    today.checked_sub(time::Duration::days(6)).unwrap_or(today)
}

#[cfg(test)]
mod tests {
    use engine::{Index, IndexData};

    use super::*;
    use crate::testing::fresh_db;

    fn report(text: &str) -> Report {
        let index = Index::build(IndexData {
            official_domains: vec!["kgi.com.tw".into()],
            brand_keywords: vec!["kgi".into()],
            ..IndexData::default()
        })
        .unwrap();
        engine::check(text, &index).unwrap()
    }

    async fn stored(db: &Db) -> Vec<(String, Option<String>, String, i64)> {
        sqlx::query_as("SELECT host, site, verdict, checks FROM check_counts ORDER BY host, verdict")
            .fetch_all(db)
            .await
            .unwrap()
    }

    #[tokio::test]
    async fn each_check_counts_its_hosts_once_and_a_flush_persists_them() {
        let (_dir, db) = fresh_db().await.expect("test database");
        let tally = CheckTally::default();
        tally.record_report(&report("https://www.kgi.com.tw/a https://www.kgi.com.tw/b kgi888.cc"));
        tally.record_report(&report("kgi888.cc/login"));
        assert_eq!(tally.pending(), 2);

        assert_eq!(tally.flush(&db).await.unwrap(), 2);
        assert_eq!(tally.pending(), 0, "a flush empties the tally");
        tally.record_report(&report("kgi888.cc"));
        tally.flush(&db).await.unwrap();
        assert_eq!(
            stored(&db).await,
            [
                ("kgi.com.tw".into(), Some("kgi.com.tw".into()), "official".into(), 1),
                ("kgi888.cc".into(), Some("kgi888.cc".into()), "suspicious".into(), 3),
            ]
        );
    }

    #[tokio::test]
    async fn an_unknown_links_full_host_is_never_stored_only_its_site() {
        let (_dir, db) = fresh_db().await.expect("test database");
        let tally = CheckTally::default();
        tally.record_report(&report("https://a123456789-0912345678.victim-portal.example.com/login"));
        tally.record_report(&report("http://198.51.100.7/x"));
        tally.flush(&db).await.unwrap();
        let rows = stored(&db).await;
        let hosts: Vec<&str> = rows.iter().map(|r| r.0.as_str()).collect();
        assert_eq!(hosts, ["198.51.100.7", "example.com"]);
    }

    #[tokio::test]
    async fn a_known_fake_is_counted_under_its_listing_without_the_victims_subdomain() {
        let (_dir, db) = fresh_db().await.expect("test database");
        let index = Index::build(IndexData {
            official_domains: vec!["kgi.com.tw".into()],
            brand_keywords: vec!["kgi".into()],
            takedown: vec![engine::TakedownEntry {
                id: 1,
                scope: engine::TakedownScope::Host,
                target: "kkpp.kgi357.com".into(),
                status: engine::TakedownStatus::Detected,
                listed_on: "2026-11-27".into(),
            }],
            ..IndexData::default()
        })
        .unwrap();
        let tally = CheckTally::default();
        tally
            .record_report(&engine::check("https://a123456789.kkpp.kgi357.com/index/login", &index).unwrap());
        tally.flush(&db).await.unwrap();
        assert_eq!(stored(&db).await[0].0, "kkpp.kgi357.com");
    }

    #[tokio::test]
    async fn nothing_but_link_hosts_is_stored() {
        let (_dir, db) = fresh_db().await.expect("test database");
        let tally = CheckTally::default();
        let secret = "王小明 身分證 A123456789 請加 LINE @abc123 或撥 0912-345-678 到 kgi888.cc 驗證";
        tally.record_report(&report(secret));
        tally.flush(&db).await.unwrap();
        let rows = stored(&db).await;
        assert_eq!(rows.len(), 1);
        assert_eq!(rows[0].0, "kgi888.cc");
        let dump: Vec<(String,)> = sqlx::query_as(
            "SELECT host || ' ' || coalesce(site, '') || ' ' || verdict || ' ' || day FROM check_counts",
        )
        .fetch_all(&db)
        .await
        .unwrap();
        for needle in ["王小明", "A123456789", "abc123", "0912", "驗證"] {
            assert!(!dump.iter().any(|(row,)| row.contains(needle)), "{needle} leaked into {dump:?}");
        }
    }

    #[tokio::test]
    async fn a_full_tally_drops_new_hosts_but_keeps_counting_known_ones() {
        let (_dir, db) = fresh_db().await.expect("test database");
        let tally = CheckTally::with_cap(3);
        for i in 0..10 {
            tally.record(&format!("random{i}.example"), Verdict::Unknown);
        }
        tally.record("random0.example", Verdict::Unknown);
        assert_eq!(tally.pending(), 3, "the cap holds");
        assert_eq!(tally.dropped(), 7);
        tally.flush(&db).await.unwrap();
        assert_eq!(tally.dropped(), 0, "the drop count is reported at the flush");
        assert_eq!(stored(&db).await[0].3, 2, "known hosts keep counting while full");
        tally.record("random9.example", Verdict::Unknown);
        assert_eq!(tally.pending(), 1, "room again after the flush");
    }

    #[tokio::test]
    async fn two_instances_flushing_counts_of_the_same_site_add_them_up() {
        let (_dir, db) = fresh_db().await.expect("test database");
        let (first, second) = (CheckTally::default(), CheckTally::default());
        for _ in 0..3 {
            first.record("kgi888.cc", Verdict::Suspicious);
        }
        for _ in 0..4 {
            second.record("kgi888.cc", Verdict::Suspicious);
        }
        let (a, b) = tokio::join!(first.flush(&db), second.flush(&db));
        a.unwrap();
        b.unwrap();
        assert_eq!(stored(&db).await[0].3, 7, "neither flush replaced the other's counts");
    }

    #[tokio::test]
    async fn counts_survive_a_failed_flush_for_the_next_one() {
        let (_dir, db) = fresh_db().await.expect("test database");
        let tally = CheckTally::default();
        tally.record("kgi888.cc", Verdict::Suspicious);
        db.close().await;
        assert!(tally.flush(&db).await.is_err());
        assert_eq!(tally.pending(), 1, "nothing is lost while the database is down");

        let (_dir2, db2) = fresh_db().await.expect("test database");
        tally.flush(&db2).await.unwrap();
        assert_eq!(stored(&db2).await.len(), 1);
    }

    #[tokio::test]
    async fn the_most_checked_list_names_only_fraud_and_suspicious_hosts() {
        let (_dir, db) = fresh_db().await.expect("test database");
        let tally = CheckTally::default();
        for _ in 0..5 {
            tally.record("innocent.example", Verdict::Unknown);
            tally.record("www.kgi.com.tw", Verdict::Official);
        }
        for _ in 0..3 {
            tally.record("kgi888.cc", Verdict::Suspicious);
        }
        tally.record("kkpp.kgi357.com", Verdict::Suspicious);
        for _ in 0..4 {
            tally.record("kkpp.kgi357.com", Verdict::Fraud);
        }
        tally.flush(&db).await.unwrap();
        let list = most_checked(&db, week_start(), 10).await.unwrap();
        assert_eq!(
            list,
            [
                CheckedHost { host: "kkpp.kgi357.com".into(), verdict: Verdict::Fraud, checks: 5 },
                CheckedHost { host: "kgi888.cc".into(), verdict: Verdict::Suspicious, checks: 3 },
            ]
        );
        assert_eq!(most_checked(&db, week_start(), 1).await.unwrap().len(), 1);
        let tomorrow = week_start().checked_add(time::Duration::days(7)).unwrap();
        assert!(most_checked(&db, tomorrow, 10).await.unwrap().is_empty(), "only days since `since` count");
    }
}
