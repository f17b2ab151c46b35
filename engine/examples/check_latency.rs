//! Single-thread throughput and latency percentiles of full URL checks against 1,000,000
//! synthetic takedown entries, for docs/benchmarks.md (criterion reports means only):
//! `cargo run -p engine --release --example check_latency [CHECKS]`.
//!
//! Each link of the benchmark mix (`benches/workload.rs`) is checked as a message of its
//! own with `engine::check`; every call is timed with `Instant`, its result dropped inside
//! the timing.

// A benchmark, example or test helper, not a request path: a failure is a broken set-up.
#![allow(clippy::unwrap_used, clippy::expect_used)]

#[path = "../benches/synthetic.rs"]
mod synthetic;
#[path = "../benches/workload.rs"]
mod workload;

use std::hint::black_box;
use std::time::{Duration, Instant};

use engine::{Index, Overall};
use workload::Kind;

const ENTRIES: usize = 1_000_000;

/// The `p`-th percentile (0–100) of sorted latencies, nearest rank.
fn percentile(sorted: &[Duration], p: f64) -> Duration {
    if sorted.is_empty() {
        return Duration::ZERO;
    }
    let rank = ((p / 100.0) * sorted.len() as f64).ceil() as usize;
    sorted[rank.clamp(1, sorted.len()) - 1]
}

fn micros(d: Duration) -> f64 {
    d.as_secs_f64() * 1e6
}

fn summary(name: &str, latencies: &mut [Duration]) {
    latencies.sort_unstable();
    let total: Duration = latencies.iter().sum();
    let mean = total / u32::try_from(latencies.len().max(1)).unwrap_or(u32::MAX);
    println!(
        "{name:<12} {:>9} {:>8.2} {:>8.2} {:>8.2} {:>8.2} {:>8.2} {:>9.2}",
        latencies.len(),
        micros(mean),
        micros(percentile(latencies, 50.0)),
        micros(percentile(latencies, 90.0)),
        micros(percentile(latencies, 99.0)),
        micros(percentile(latencies, 99.9)),
        micros(latencies.last().copied().unwrap_or_default()),
    );
}

fn main() {
    let checks: usize = std::env::args().nth(1).and_then(|a| a.parse().ok()).unwrap_or(1_000_000);
    let started = Instant::now();
    let index = Index::build(synthetic::index_data(ENTRIES)).expect("synthetic data is valid");
    println!("index: {} entries, built in {:.2} s", index.takedown_len(), started.elapsed().as_secs_f64());
    let links = workload::links(ENTRIES);

    // What the mix is judged, so a reader can see the links do what their kind says.
    println!("\nverdicts by kind of link:");
    for (kind, _) in Kind::MIX {
        let mut counts = [0usize; 5];
        for (_, link) in links.iter().filter(|(k, _)| *k == kind) {
            let slot = match engine::check(link, &index).map(|r| r.verdict) {
                Ok(Overall::Official) => 0,
                Ok(Overall::Unknown) => 1,
                Ok(Overall::Suspicious) => 2,
                Ok(Overall::Fraud) => 3,
                Ok(Overall::NothingFound) | Err(_) => 4,
            };
            counts[slot] += 1;
        }
        println!(
            "  {:<10} official {:>5}  unknown {:>5}  suspicious {:>5}  fraud {:>5}  nothing/error {:>5}",
            kind.name(),
            counts[0],
            counts[1],
            counts[2],
            counts[3],
            counts[4]
        );
    }

    // Warm-up: one pass over the mix.
    for (_, link) in &links {
        black_box(engine::check(black_box(link), &index)).ok();
    }

    // Throughput without per-call timing.
    let started = Instant::now();
    for (_, link) in links.iter().cycle().take(checks) {
        black_box(engine::check(black_box(link), &index)).ok();
    }
    let untimed = started.elapsed();

    // Latency of each call.
    let mut by_kind: Vec<Vec<Duration>> = Kind::MIX.iter().map(|_| Vec::new()).collect();
    let mut all = Vec::with_capacity(checks);
    let started = Instant::now();
    for (kind, link) in links.iter().cycle().take(checks) {
        let start = Instant::now();
        black_box(engine::check(black_box(link), &index)).ok();
        let took = start.elapsed();
        all.push(took);
        if let Some(slot) = Kind::MIX.iter().position(|(k, _)| k == kind) {
            by_kind[slot].push(took);
        }
    }
    let timed = started.elapsed();

    println!("\n{checks} checks, single thread:");
    println!(
        "  throughput {:.0} checks/s (untimed loop, {:.2} s); {:.0} checks/s with per-call timing",
        checks as f64 / untimed.as_secs_f64(),
        untimed.as_secs_f64(),
        checks as f64 / timed.as_secs_f64()
    );
    println!("\nlatency, µs:");
    println!(
        "{:<12} {:>9} {:>8} {:>8} {:>8} {:>8} {:>8} {:>9}",
        "kind", "checks", "mean", "p50", "p90", "p99", "p99.9", "max"
    );
    summary("all", &mut all);
    for ((kind, _), latencies) in Kind::MIX.iter().zip(&mut by_kind) {
        summary(kind.name(), latencies);
    }

    // Whole messages, for comparison.
    let messages = workload::messages();
    let rounds = 2_000;
    let mut latencies = Vec::with_capacity(messages.len() * rounds);
    for message in messages.iter().cycle().take(messages.len() * rounds) {
        let start = Instant::now();
        black_box(engine::check(black_box(message), &index)).ok();
        latencies.push(start.elapsed());
    }
    summary("sms_message", &mut latencies);
    let long = workload::long_message();
    let mut latencies = Vec::with_capacity(200);
    for _ in 0..200 {
        let start = Instant::now();
        black_box(engine::check(black_box(&long), &index)).ok();
        latencies.push(start.elapsed());
    }
    summary("64KiB_msg", &mut latencies);
}
