//! The security dashboard's numbers: the active set by status, new entries per week, and how
//! long takedowns take (median and 90th percentile, per vendor and per month), read the same
//! way on both backends (dates are compared as text, durations and percentiles computed here).

use std::collections::BTreeMap;

use engine::TakedownStatus;
use time::{Date, Duration};

use crate::date_text;
use crate::takedown::Source;
use crate::{Executor, StoreError};

/// How many entries of the active set are in one status.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct StatusCount {
    pub status: TakedownStatus,
    pub entries: i64,
}

/// The active set by status: every status in lifecycle order, none left out (a status no
/// entry is in counts 0).
pub async fn entries_by_status(db: impl Executor<'_>) -> Result<Vec<StatusCount>, StoreError> {
    let rows: Vec<(String, i64)> = sqlx::query_as(
        "SELECT status, CAST(count(*) AS BIGINT) FROM takedown_entries WHERE removed_in IS NULL GROUP BY status",
    )
    .fetch_all(db)
    .await?;
    let mut counts = TakedownStatus::ALL.map(|status| StatusCount { status, entries: 0 });
    for (code, entries) in rows {
        let status = TakedownStatus::parse(&code).ok_or_else(|| {
            StoreError::invalid_row("takedown_entries", format!("status {code}"), "unknown status")
        })?;
        if let Some(count) = counts.iter_mut().find(|c| c.status == status) {
            count.entries = entries;
        }
    }
    Ok(counts.to_vec())
}

/// How many entries were listed in one ISO week (Monday to Sunday, Taiwan dates).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct WeekCount {
    /// The ISO week-numbering year and week (`2026-W49`).
    pub year: i32,
    pub week: u8,
    /// Its Monday.
    pub starts_on: Date,
    pub entries: i64,
}

impl WeekCount {
    /// The ISO name of the week: `2026-W49`.
    pub fn label(&self) -> String {
        format!("{}-W{:02}", self.year, self.week)
    }
}

/// Entries of the active set by the ISO week of the day they were listed (`listed_on`), for
/// the `weeks` weeks up to and including the one `today` is in, oldest first; a week in which
/// nothing was listed is there with 0.
pub async fn new_entries_per_week(
    db: impl Executor<'_>,
    today: Date,
    weeks: u8,
) -> Result<Vec<WeekCount>, StoreError> {
    let monday = today.checked_sub(Duration::days(i64::from(today.weekday().number_days_from_monday())));
    let first = monday.and_then(|m| m.checked_sub(Duration::weeks(i64::from(weeks.saturating_sub(1)))));
    let Some(first) = first else { return Ok(Vec::new()) };
    let mut counts: Vec<WeekCount> = (0..i64::from(weeks))
        .filter_map(|i| first.checked_add(Duration::weeks(i)))
        .map(|starts_on| {
            let (year, week, _) = starts_on.to_iso_week_date();
            WeekCount { year, week, starts_on, entries: 0 }
        })
        .collect();
    let rows: Vec<(String, i64)> = sqlx::query_as(
        "SELECT listed_on, CAST(count(*) AS BIGINT) FROM takedown_entries
         WHERE removed_in IS NULL AND listed_on >= $1 GROUP BY listed_on",
    )
    .bind(date_text(first))
    .fetch_all(db)
    .await?;
    for (listed_on, entries) in rows {
        // A day that does not parse (a hand edit) is left out rather than failing the dashboard.
        let Some(day) = parse_date(&listed_on) else { continue };
        let index = usize::try_from((day - first).whole_weeks()).ok();
        if let Some(count) = index.and_then(|i| counts.get_mut(i)) {
            count.entries += entries;
        }
    }
    Ok(counts)
}

/// The median and the 90th percentile of a group's takedown times, in days.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Spread {
    /// How many takedowns the figures are over (at least one).
    pub takedowns: usize,
    pub median_days: i64,
    pub p90_days: i64,
}

impl Spread {
    /// The spread of `days` (in any order); `None` for none.
    pub fn of(mut days: Vec<i64>) -> Option<Self> {
        days.sort_unstable();
        Some(Self {
            takedowns: days.len(),
            median_days: nearest_rank(&days, 50)?,
            p90_days: nearest_rank(&days, 90)?,
        })
    }
}

/// The `percent`th percentile of `sorted` (ascending) by the nearest-rank method: the value
/// at rank ⌈percent / 100 × n⌉ (counting from 1), which is always one of the values. So the
/// median of an even number of values is the lower of the middle two, and both backends (and
/// anyone redoing the sum by hand) get the same whole number of days. `None` for no values.
pub fn nearest_rank(sorted: &[i64], percent: u8) -> Option<i64> {
    let rank = (usize::from(percent.min(100)) * sorted.len()).div_ceil(100).max(1);
    sorted.get(rank - 1).copied()
}

/// Who a takedown time is counted under: the entry's vendor, or, for an entry without one,
/// where it came from.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum TakenDownBy {
    Vendor(String),
    Source(Source),
}

/// How long takedowns took, per vendor and per month of the takedown.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct TakedownTimes {
    /// Vendors by name, then the sources of entries without a vendor (in [`Source::ALL`] order).
    pub by_vendor: Vec<(TakenDownBy, Spread)>,
    /// `(year, month)` of the taken-down date, oldest first; only months with a takedown.
    pub by_month: Vec<((i32, u8), Spread)>,
}

/// How long it took to take fakes down: for each entry of the active set, the days from its
/// first `reported` step (without one, its first `takedown_requested`, else `detected`) to its
/// first `taken_down` step, counted for the takedowns of the `months` calendar months up to
/// and including `today`'s (Taiwan dates), per vendor and per month of the takedown. A start
/// step only counts when it came on or before the takedown; an entry with none is left out.
pub async fn time_to_takedown(
    db: impl Executor<'_>,
    today: Date,
    months: u8,
) -> Result<TakedownTimes, StoreError> {
    let first_month =
        month_index(today.year(), u8::from(today.month())) - i32::from(months.saturating_sub(1));
    let since = format!("{:04}-{:02}-01", first_month.div_euclid(12), first_month.rem_euclid(12) + 1);
    type Row = (String, String, Option<String>, Option<String>, Option<String>, Option<String>);
    let rows: Vec<Row> = sqlx::query_as(
        "SELECT e.vendor, e.source,
                min(CASE WHEN ev.status = 'reported' THEN ev.happened_on END),
                min(CASE WHEN ev.status = 'takedown_requested' THEN ev.happened_on END),
                min(CASE WHEN ev.status = 'detected' THEN ev.happened_on END),
                min(CASE WHEN ev.status = 'taken_down' THEN ev.happened_on END)
         FROM takedown_entries e JOIN takedown_events ev ON ev.entry_id = e.id
         WHERE e.removed_in IS NULL
           AND ev.status IN ('reported', 'takedown_requested', 'detected', 'taken_down')
         GROUP BY e.id, e.vendor, e.source
         HAVING min(CASE WHEN ev.status = 'taken_down' THEN ev.happened_on END) >= $1",
    )
    .bind(&since)
    .fetch_all(db)
    .await?;
    let mut by_vendor: BTreeMap<TakenDownBy, Vec<i64>> = BTreeMap::new();
    let mut by_month: BTreeMap<(i32, u8), Vec<i64>> = BTreeMap::new();
    for (vendor, source, reported, requested, detected, taken_down) in rows {
        let Some(end) = taken_down.as_deref().and_then(parse_date) else { continue };
        let start = [reported, requested, detected]
            .iter()
            .filter_map(|day| day.as_deref().and_then(parse_date))
            .find(|start| *start <= end);
        let Some(start) = start else { continue };
        let by = match Source::parse(&source) {
            _ if !vendor.trim().is_empty() => TakenDownBy::Vendor(vendor.trim().to_owned()),
            Some(source) => TakenDownBy::Source(source),
            None => return Err(StoreError::invalid_row("takedown_entries", &source, "unknown source")),
        };
        let days = (end - start).whole_days();
        by_vendor.entry(by).or_default().push(days);
        by_month.entry((end.year(), u8::from(end.month()))).or_default().push(days);
    }
    Ok(TakedownTimes {
        by_vendor: by_vendor.into_iter().filter_map(|(by, days)| Some((by, Spread::of(days)?))).collect(),
        by_month: by_month.into_iter().filter_map(|(month, days)| Some((month, Spread::of(days)?))).collect(),
    })
}

/// A month as a count of months since year 0, so months can be stepped back over a new year.
fn month_index(year: i32, month: u8) -> i32 {
    year * 12 + i32::from(month) - 1
}

/// A Taiwan date as stored: `YYYY-MM-DD`.
fn parse_date(text: &str) -> Option<Date> {
    Date::parse(text, time::macros::format_description!("[year]-[month]-[day]")).ok()
}

#[cfg(test)]
mod tests {
    use time::macros::date;

    use super::*;
    use crate::testing::demo_db;
    use crate::Db;

    /// An entry of the active set listed on `listed_on` by `vendor` (from `source`), whose
    /// history is `detected` that day and then `steps` (status, Taiwan date), oldest first.
    async fn entry(
        db: &Db,
        target: &str,
        vendor: &str,
        source: &str,
        listed_on: &str,
        steps: &[(&str, &str)],
    ) {
        let status = steps.last().map_or("detected", |s| s.0);
        let (id,): (i64,) = sqlx::query_as(
            "INSERT INTO takedown_entries
                 (url, host, scope, target, source, vendor, status, listed_on, first_seen, last_seen,
                  status_changed_at)
             VALUES ($1, $1, 'host', $1, $2, $3, $4, $5, $5, $5, $6) RETURNING id",
        )
        .bind(target)
        .bind(source)
        .bind(vendor)
        .bind(status)
        .bind(listed_on)
        .bind(format!("{listed_on}T01:00:00Z"))
        .fetch_one(db)
        .await
        .unwrap();
        // The history written out in full, in place of the one the trigger began.
        sqlx::query("DELETE FROM takedown_events WHERE entry_id = $1").bind(id).execute(db).await.unwrap();
        for (step, on) in std::iter::once(&("detected", listed_on)).chain(steps) {
            sqlx::query(
                "INSERT INTO takedown_events (entry_id, status, happened_on, recorded_at) VALUES ($1, $2, $3, $4)",
            )
            .bind(id)
            .bind(step)
            .bind(on)
            .bind(format!("{on}T01:00:00Z"))
            .execute(db)
            .await
            .unwrap();
        }
    }

    #[test]
    fn percentiles_are_by_nearest_rank_and_always_one_of_the_values() {
        let ten: Vec<i64> = (1..=10).collect();
        assert_eq!(nearest_rank(&ten, 50), Some(5), "the lower of the middle two");
        assert_eq!(nearest_rank(&ten, 90), Some(9));
        assert_eq!(nearest_rank(&[1, 2, 3, 4, 5], 50), Some(3));
        assert_eq!(nearest_rank(&[7], 90), Some(7));
        assert_eq!(nearest_rank(&[], 50), None);
        assert_eq!(nearest_rank(&[1, 2], 0), Some(1));
        assert_eq!(nearest_rank(&[1, 2], 100), Some(2));
        assert_eq!(
            Spread::of(vec![30, 2, 4, 3]),
            Some(Spread { takedowns: 4, median_days: 3, p90_days: 30 }),
            "any order in"
        );
    }

    #[tokio::test]
    async fn the_demo_set_is_counted_by_status_with_every_status_listed() {
        let (_dir, db) = demo_db().await.expect("test database");
        let counts = entries_by_status(&db).await.unwrap();
        let statuses: Vec<_> = counts.iter().map(|c| c.status).collect();
        assert_eq!(statuses, TakedownStatus::ALL);
        let requested = counts.iter().find(|c| c.status == TakedownStatus::TakedownRequested).unwrap();
        assert_eq!(requested.entries, 9);
        assert_eq!(counts.iter().map(|c| c.entries).sum::<i64>(), 9);

        sqlx::query("UPDATE takedown_entries SET removed_in = 1 WHERE host = 'kkpp.kgi69.com'")
            .execute(&db)
            .await
            .unwrap();
        let counts = entries_by_status(&db).await.unwrap();
        assert_eq!(
            counts.iter().map(|c| c.entries).sum::<i64>(),
            8,
            "an entry out of the active set is not counted"
        );
    }

    #[tokio::test]
    async fn new_entries_are_counted_per_iso_week_with_empty_weeks_as_zero() {
        let (_dir, db) = demo_db().await.expect("test database");
        sqlx::query("DELETE FROM takedown_events").execute(&db).await.unwrap();
        sqlx::query("DELETE FROM takedown_changes").execute(&db).await.unwrap();
        sqlx::query("DELETE FROM takedown_entries").execute(&db).await.unwrap();
        // Wednesday 2026-12-02 is in 2026-W49 (Monday 11-30); 2026-01-01 is in 2026-W01.
        for (target, day) in [
            ("a.example", "2026-12-02"),
            ("b.example", "2026-11-30"),
            ("c.example", "2026-11-29"),
            ("d.example", "2026-10-01"),
            ("e.example", "2025-12-31"),
        ] {
            entry(&db, target, "RSA", "vendor_feed", day, &[]).await;
        }
        let weeks = new_entries_per_week(&db, date!(2026 - 12 - 02), 12).await.unwrap();
        assert_eq!(weeks.len(), 12);
        assert_eq!(weeks[11].label(), "2026-W49");
        assert_eq!(weeks[11].starts_on, date!(2026 - 11 - 30));
        assert_eq!(weeks[11].entries, 2, "Monday and Wednesday");
        assert_eq!(weeks[10].label(), "2026-W48");
        assert_eq!(weeks[10].entries, 1, "the Sunday before");
        assert_eq!(weeks[0].label(), "2026-W38");
        assert_eq!(weeks[2].label(), "2026-W40");
        assert_eq!(weeks[2].entries, 1, "October the 1st");
        assert_eq!(weeks.iter().map(|w| w.entries).sum::<i64>(), 4, "older weeks are not shown");
        assert_eq!(weeks.iter().filter(|w| w.entries == 0).count(), 9);

        let new_year = new_entries_per_week(&db, date!(2026 - 01 - 01), 2).await.unwrap();
        let labels: Vec<String> = new_year.iter().map(WeekCount::label).collect();
        assert_eq!(labels, ["2025-W52", "2026-W01"], "ISO years, not calendar years");
        assert_eq!(new_year[1].entries, 1, "2025-12-31 is in 2026-W01");
    }

    #[tokio::test]
    async fn takedown_time_runs_from_the_report_to_the_first_takedown_per_vendor_and_month() {
        let (_dir, db) = demo_db().await.expect("test database");
        let today = date!(2026 - 12 - 02);
        // RSA: reported, then down 2, 4 and 10 days later; a vendor-less 165 entry with no
        // report step: from its request; a manual one with neither: from its detection.
        // Not counted: still up, taken down too long ago, out of the active set.
        type Steps = &'static [(&'static str, &'static str)];
        let entries: [(&str, &str, &str, &str, Steps); 8] = [
            (
                "r1.example",
                "RSA",
                "vendor_feed",
                "2026-11-01",
                &[("reported", "2026-11-02"), ("taken_down", "2026-11-04")],
            ),
            (
                "r2.example",
                "RSA",
                "vendor_feed",
                "2026-11-01",
                &[("reported", "2026-11-01"), ("taken_down", "2026-11-05")],
            ),
            (
                "r3.example",
                "RSA",
                "vendor_feed",
                "2026-10-20",
                &[
                    ("reported", "2026-10-22"),
                    ("taken_down", "2026-11-01"),
                    ("reactivated", "2026-11-10"),
                    ("taken_down", "2026-11-20"),
                ],
            ),
            (
                "g1.example",
                "",
                "open_data_165",
                "2026-09-01",
                &[("takedown_requested", "2026-09-03"), ("taken_down", "2026-10-03")],
            ),
            ("m1.example", " ", "manual", "2026-12-01", &[("taken_down", "2026-12-02")]),
            ("up.example", "RSA", "vendor_feed", "2026-11-01", &[("reported", "2026-11-02")]),
            (
                "old.example",
                "RSA",
                "vendor_feed",
                "2025-01-01",
                &[("reported", "2025-01-02"), ("taken_down", "2025-11-30")],
            ),
            (
                "gone.example",
                "RSA",
                "vendor_feed",
                "2026-11-01",
                &[("reported", "2026-11-01"), ("taken_down", "2026-11-02")],
            ),
        ];
        for (target, vendor, source, listed_on, steps) in entries {
            entry(&db, target, vendor, source, listed_on, steps).await;
        }
        sqlx::query("UPDATE takedown_entries SET removed_in = 1 WHERE target = 'gone.example'")
            .execute(&db)
            .await
            .unwrap();

        let times = time_to_takedown(&db, today, 12).await.unwrap();
        assert_eq!(
            times.by_vendor,
            [
                (TakenDownBy::Vendor("RSA".into()), Spread { takedowns: 3, median_days: 4, p90_days: 10 }),
                (
                    TakenDownBy::Source(Source::OpenData165),
                    Spread { takedowns: 1, median_days: 30, p90_days: 30 }
                ),
                (TakenDownBy::Source(Source::Manual), Spread { takedowns: 1, median_days: 1, p90_days: 1 }),
            ]
        );
        assert_eq!(
            times.by_month,
            [
                ((2026, 10), Spread { takedowns: 1, median_days: 30, p90_days: 30 }),
                ((2026, 11), Spread { takedowns: 3, median_days: 4, p90_days: 10 }),
                ((2026, 12), Spread { takedowns: 1, median_days: 1, p90_days: 1 }),
            ],
            "the first takedown counts (r3 in November from its first report), months in Taiwan dates"
        );
        let january = time_to_takedown(&db, date!(2027 - 01 - 15), 2).await.unwrap();
        assert_eq!(
            january.by_month.iter().map(|m| m.0).collect::<Vec<_>>(),
            [(2026, 12)],
            "back over the new year"
        );
    }

    #[tokio::test]
    async fn a_report_after_the_takedown_does_not_start_its_clock() {
        let (_dir, db) = demo_db().await.expect("test database");
        entry(
            &db,
            "late.example",
            "RSA",
            "vendor_feed",
            "2026-11-01",
            &[("taken_down", "2026-11-03"), ("reactivated", "2026-11-05"), ("reported", "2026-11-06")],
        )
        .await;
        let times = time_to_takedown(&db, date!(2026 - 12 - 02), 12).await.unwrap();
        assert_eq!(
            times.by_vendor,
            [(TakenDownBy::Vendor("RSA".into()), Spread { takedowns: 1, median_days: 2, p90_days: 2 })],
            "from its detection on the first"
        );
    }
}
