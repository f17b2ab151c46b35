//! How long the small changes an analyst makes take when the takedown data holds a million
//! entries (docs/benchmarks.md): imports `ROWS` (default 1,000,000) synthetic fake sites as a
//! plain list into a throw-away SQLite database through the import path, then times, `RUNS`
//! times each, a triage acceptance of one newly reported site (a new version of one added
//! entry) and the rollback that undoes it (a new version that must reproduce the earlier
//! checksum). Both seal their version with a checksum over the whole set.
//!
//! `cargo run -p store --release --example seal_million`

mod common;

use std::time::Instant;

use store::audit::Actor;
use store::contact::SubjectKind;
use store::report::NewReport;
use store::staff::{create_user, Role};
use store::triage::{Decision, Ruling};

const RUNS: usize = 5;

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let rows: usize = std::env::var("ROWS").ok().and_then(|r| r.parse().ok()).unwrap_or(1_000_000);
    let dir = tempfile::tempdir()?;
    let db = store::open(&format!("sqlite:{}", dir.path().join("bench.db").display())).await?;
    store::demo::load(&db, store::demo::Overwrite::DemoOnly).await?;

    let started = Instant::now();
    let text: String = (0..rows).map(|i| format!("https://login.kgi{i}.net/\n")).collect();
    common::import_unguarded(&db, &text, "").await?;
    drop(text);
    println!("{rows} entries written in {:.1} s", started.elapsed().as_secs_f64());

    let mut conn = db.acquire().await?;
    let analyst =
        create_user(&mut conn, "bench-analyst", "Bench", "h", &[Role::Analyst], "2026-12-03T00:00:00Z")
            .await?;
    drop(conn);
    let actor = Actor { id: Some(analyst), login: "bench-analyst", client: "127.0.0.1" };

    println!("| change | run | seconds |");
    println!("| --- | ---: | ---: |");
    for run in 1..=RUNS {
        let before = store::versions::current(&db).await?.ok_or("no takedown version")?;
        let host = format!("reported{run}.kgi-fake.top");
        store::report::submit(&db, &NewReport::parse(&format!("https://{host}/login"), "sms", "")?).await?;
        let ruling = Ruling {
            kind: SubjectKind::Host,
            value: &host,
            decision: Decision::Accept,
            reason: "",
            clear: &[],
        };
        let timer = Instant::now();
        let outcome = store::triage::decide(&db, &ruling, &actor).await?;
        let accepted = timer.elapsed().as_secs_f64();
        outcome.version.ok_or("the acceptance made no version")?;
        println!("| triage accepts one new site | {run} | {accepted:.2} |");

        let timer = Instant::now();
        let back = store::versions::rollback(&db, before.version, &actor).await?;
        let rolled = timer.elapsed().as_secs_f64();
        if back.checksum != before.checksum {
            return Err("the rollback did not reproduce the earlier checksum".into());
        }
        println!("| rollback of that acceptance | {run} | {rolled:.2} |");
    }
    Ok(())
}
