//! How long the security console's takedown list takes over a million entries
//! (docs/benchmarks.md): imports `ROWS` (default 1,000,000) synthetic vendor-notice lines into
//! a throw-away SQLite database through the import path, spreads their statuses, report
//! counts and dates, then times `store::takedown::list::list` for each search, filter, sort
//! and page the console offers, as the page asks for it (50 to a page, with the total).
//!
//! `cargo run -p store --release --example takedowns_million`

mod common;

use std::time::{Duration, Instant};

use engine::TakedownStatus;
use store::takedown::list::{self, Filter, Sort};

/// How many times each query runs; the table gives the median and the slowest.
const RUNS: usize = 7;

/// Line `i` of the synthetic notice: one fake site per line, on one of 20,000 hosting IPs.
fn notice_line(i: usize) -> String {
    let ip = i % 20_000;
    format!(
        "E{} (C{}) hxxps://kkpp[.]kgi{i}[.]com/index/login 10.{}.{}.{}\n",
        7_000_000 + i,
        8_000_000 + i,
        ip / 65_536,
        (ip / 256) % 256,
        ip % 256
    )
}

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let rows: usize = std::env::var("ROWS").ok().and_then(|r| r.parse().ok()).unwrap_or(1_000_000);
    let dir = tempfile::tempdir()?;
    // KEEP_DB=path keeps the database there, to look at a query's plan afterwards.
    let path =
        std::env::var("KEEP_DB").map_or_else(|_| dir.path().join("bench.db"), std::path::PathBuf::from);
    let db = store::open(&format!("sqlite:{}", path.display())).await?;
    store::demo::load(&db, store::demo::Overwrite::DemoOnly).await?;

    let started = Instant::now();
    let text: String = (0..rows).map(notice_line).collect();
    common::import_unguarded(&db, &text, "RSA").await?;
    drop(text);
    // Statuses in turn, report counts 1 to 37, first and last seen over 600 days: data that
    // sorts and filters like a real year of feeds (the status trigger writes each step).
    sqlx::query(
        "UPDATE takedown_entries SET
             status = CASE id % 8 WHEN 0 THEN 'detected' WHEN 1 THEN 'reported' WHEN 2 THEN 'takedown_requested'
                      WHEN 3 THEN 'taken_down' WHEN 4 THEN 'monitoring' WHEN 5 THEN 'reactivated'
                      WHEN 6 THEN 'taken_down' ELSE 'false_positive' END,
             report_count = 1 + id % 37,
             first_seen = date('2025-01-01', '+' || (id % 600) || ' days'),
             last_seen = date('2025-01-01', '+' || (id % 600 + id % 30) || ' days'),
             listed_on = date('2025-01-01', '+' || (id * 600 / $1) || ' days')",
    )
    .bind(i64::try_from(rows).unwrap_or(i64::MAX))
    .execute(&db)
    .await?;
    sqlx::query("ANALYZE").execute(&db).await?;
    println!("{rows} entries written in {:.1} s", started.elapsed().as_secs_f64());

    let middle = rows / 2;
    let search = |q: String| Filter { q, ..Filter::default() };
    let cases: Vec<(String, Filter, Sort, bool, i64)> = vec![
        ("newest listed, page 1 (the default)".into(), Filter::default(), Sort::Listed, true, 1),
        ("newest listed, page 500 (the deepest)".into(), Filter::default(), Sort::Listed, true, 500),
        ("last seen, newest first".into(), Filter::default(), Sort::LastSeen, true, 1),
        ("first seen, oldest first".into(), Filter::default(), Sort::FirstSeen, false, 1),
        ("most reports first".into(), Filter::default(), Sort::Reports, true, 1),
        ("target A to Z".into(), Filter::default(), Sort::Target, false, 1),
        (
            format!("search a host, kkpp.kgi{middle}.com"),
            search(format!("kkpp.kgi{middle}.com")),
            Sort::Listed,
            true,
            1,
        ),
        (
            "search a defanged link".into(),
            search(format!("hxxps://kkpp[.]kgi{middle}[.]com/index/login")),
            Sort::Listed,
            true,
            1,
        ),
        (
            "search the start of a host, kkpp.kgi12345".into(),
            search("kkpp.kgi12345".into()),
            Sort::Listed,
            true,
            1,
        ),
        (
            "search a vendor alert ID".into(),
            search(format!("E{}", 7_000_000 + middle)),
            Sort::Listed,
            true,
            1,
        ),
        ("search a hosting IP".into(), search("10.0.1.2".into()), Sort::Listed, true, 1),
        (
            "status taken down, newest listed".into(),
            Filter { status: Some(TakedownStatus::TakenDown), ..Filter::default() },
            Sort::Listed,
            true,
            1,
        ),
        (
            "status taken down, most reports first".into(),
            Filter { status: Some(TakedownStatus::TakenDown), ..Filter::default() },
            Sort::Reports,
            true,
            1,
        ),
        ("vendor RSA".into(), Filter { vendor: "RSA".into(), ..Filter::default() }, Sort::Listed, true, 1),
        (
            "hosting IP filter".into(),
            Filter { hosting_ip: "10.0.1.2".into(), ..Filter::default() },
            Sort::Listed,
            true,
            1,
        ),
    ];
    println!("| query | matches | median | slowest |");
    println!("| --- | ---: | ---: | ---: |");
    for (name, filter, sort, descending, page) in &cases {
        let mut times: Vec<Duration> = Vec::with_capacity(RUNS);
        let mut total = 0;
        for _ in 0..RUNS {
            let started = Instant::now();
            let listing = list::list(&db, filter, *sort, *descending, *page, 50).await?;
            times.push(started.elapsed());
            total = listing.total;
        }
        times.sort();
        println!(
            "| {name} | {total} | {:.1} ms | {:.1} ms |",
            times[RUNS / 2].as_secs_f64() * 1000.0,
            times[RUNS - 1].as_secs_f64() * 1000.0
        );
    }
    Ok(())
}
