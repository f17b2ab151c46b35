//! How long the campaigns of a million active takedown entries take (docs/benchmarks.md):
//! writes `ROWS` (default 1,000,000) synthetic entries into a throw-away SQLite database,
//! then times the grouping alone over the same entries in memory, then three times the same
//! columns read row by row (for comparison) and `store::takedown::campaigns::read` (the read
//! in pages and the grouping, as the console's first request after a change makes it), and
//! last one status change of the largest group, as its page's form makes it.
//!
//! `cargo run -p store --release --example campaigns_million`

use std::time::Instant;

use store::takedown::campaigns::{self, ActiveEntry, CampaignKind};

const STATUSES: [engine::TakedownStatus; 8] = engine::TakedownStatus::ALL;

/// `n` written in letters only (`a`, `b`, … `ba`), so a name holds no digits of its own.
fn letters(mut n: usize) -> String {
    let mut out = Vec::new();
    loop {
        out.push(b'a' + u8::try_from(n % 26).unwrap_or(0));
        n /= 26;
        if n == 0 {
            break;
        }
    }
    out.reverse();
    String::from_utf8(out).unwrap_or_default()
}

/// Entry `i` of the synthetic set: half unique names without digits, 30 % in 5,000 families
/// of numbered names (`kkpp.fabc123.com`), 20 % unique numbered names; a quarter each of
/// `/`, `/index/login`, `/h5/<n>` and one of 5,000 short paths; two in three on one of 50,000
/// hosting IPs; the statuses in turn.
fn synthetic(i: usize) -> ActiveEntry {
    let host = match i % 10 {
        0..=4 => format!("www.{}.com", letters(i)),
        5..=7 => format!("{}.f{}{}.com", ["kkpp", "a", "m", "www"][i % 4], letters(i % 5000), i),
        _ => format!("{}{}.top", letters(i), i % 97),
    };
    let path = match i % 4 {
        0 => "/".to_owned(),
        1 => "/index/login".to_owned(),
        2 => format!("/h5/{}", i % 1000),
        _ => format!("/{}", letters(i % 20_000)),
    };
    let ip = i % 50_000;
    let hosting_ip =
        (!i.is_multiple_of(3)).then(|| format!("10.{}.{}.{}", ip / 65_536, (ip / 256) % 256, ip % 256));
    ActiveEntry { id: 0, url: format!("https://{host}{path}"), host, hosting_ip, status: STATUSES[i % 8] }
}

/// CPU seconds the whole process has used so far (every thread, user and system), which the
/// other work on a shared machine slows less than it slows the wall clock.
fn cpu_seconds() -> f64 {
    let stat = std::fs::read_to_string("/proc/self/stat").unwrap_or_default();
    let fields: Vec<&str> = stat.rsplit_once(')').map_or("", |(_, rest)| rest).split_whitespace().collect();
    let ticks = |i: usize| fields.get(i).and_then(|f| f.parse::<f64>().ok()).unwrap_or(0.0);
    // utime and stime, fields 14 and 15 of the line (11 and 12 after the name), in 1/100 s.
    (ticks(11) + ticks(12)) / 100.0
}

fn rss_mib() -> String {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("VmHWM:"))
                .map(|l| l.trim_start_matches("VmHWM:").trim().to_owned())
        })
        .unwrap_or_default()
}

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let rows: usize = std::env::var("ROWS").ok().and_then(|r| r.parse().ok()).unwrap_or(1_000_000);
    let dir = tempfile::tempdir()?;
    let db = store::open(&format!("sqlite:{}", dir.path().join("bench.db").display())).await?;

    let entries: Vec<ActiveEntry> =
        (0..rows).map(|i| ActiveEntry { id: i64::try_from(i).unwrap_or(0) + 1, ..synthetic(i) }).collect();
    let (started, cpu) = (Instant::now(), cpu_seconds());
    let groups = campaigns::group(&entries);
    let grouping = started.elapsed();
    let grouping_cpu = cpu_seconds() - cpu;
    let by_kind = |kind| groups.iter().filter(|g| g.kind == kind).count();
    println!(
        "grouping alone, {rows} entries in memory: {:.3} s ({grouping_cpu:.2} s CPU); {} groups ({} hosting IP, {} name, {} path); largest {}",
        grouping.as_secs_f64(),
        groups.len(),
        by_kind(CampaignKind::HostingIp),
        by_kind(CampaignKind::Name),
        by_kind(CampaignKind::Path),
        groups.first().map_or(0, |g| g.ids.len()),
    );
    drop(groups);

    let started = Instant::now();
    let mut tx = db.begin().await?;
    for chunk in entries.chunks(1000) {
        let row = "(?, ?, 'host', ?, ?, ?, 'vendor_feed', ?, '2026-12-01', '2026-12-01', '2026-12-01', '2026-12-01T00:00:00Z')";
        let sql = format!(
            "INSERT INTO takedown_entries (url, host, scope, target, site, hosting_ip, source, status, first_seen,
                 last_seen, listed_on, status_changed_at) VALUES {}",
            vec![row; chunk.len()].join(", ")
        );
        let mut query = sqlx::query(&sql);
        for e in chunk {
            query = query
                .bind(&e.url)
                .bind(&e.host)
                .bind(&e.host)
                .bind(store::takedown::site_of(&e.host).to_owned())
                .bind(e.hosting_ip.clone())
                .bind(e.status.code());
        }
        query.execute(&mut *tx).await?;
    }
    tx.commit().await?;
    println!("wrote {rows} entries in {:.1} s", started.elapsed().as_secs_f64());
    drop(entries);

    for run in 1..=3 {
        use futures_util::TryStreamExt as _;
        let (started, cpu) = (Instant::now(), cpu_seconds());
        let mut rows = sqlx::query_as::<_, (i64, String, String, Option<String>, String)>(
            "SELECT id, host, url, hosting_ip, status FROM takedown_entries WHERE removed_in IS NULL",
        )
        .fetch(&db);
        let mut read = 0_usize;
        while rows.try_next().await?.is_some() {
            read += 1;
        }
        println!(
            "run {run}: the same query streamed alone, {read} rows: {:.3} s ({:.2} s CPU)",
            started.elapsed().as_secs_f64(),
            cpu_seconds() - cpu
        );
        let (started, cpu) = (Instant::now(), cpu_seconds());
        let read = campaigns::read(&db).await?;
        println!(
            "run {run}: campaigns::read of {} active entries: {:.3} s ({:.2} s CPU), {} groups; peak RSS so far {}",
            read.entries,
            started.elapsed().as_secs_f64(),
            cpu_seconds() - cpu,
            read.groups.len(),
            rss_mib()
        );
    }
    // One status for the whole largest group, as its page's form asks: a first small edit
    // makes the baseline version (the entries above were written without one).
    let grouped = campaigns::read(&db).await?;
    let mut largest = grouped.groups.first().map(|g| g.ids.clone()).unwrap_or_default();
    largest.truncate(store::takedown::MAX_EDIT_SELECTION);
    let edit = store::takedown::Edit {
        status: Some(engine::TakedownStatus::TakenDown),
        event_note: Some("the vendor confirmed the whole campaign".into()),
        notes: None,
    };
    let actor = store::audit::Actor::cli();
    store::takedown::edit_entries(&db, &largest[..1], &edit, &actor).await?;
    let (started, cpu) = (Instant::now(), cpu_seconds());
    let version = store::takedown::edit_entries(&db, &largest, &edit, &actor).await?;
    println!(
        "one status for the largest group (up to the most one edit may change), {} entries ({} changed): {:.2} s ({:.2} s CPU); peak RSS so far {}",
        largest.len(),
        version.map_or(0, |v| v.changed),
        started.elapsed().as_secs_f64(),
        cpu_seconds() - cpu,
        rss_mib()
    );
    Ok(())
}
