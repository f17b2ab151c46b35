//! Builds an index of 1,000,000 synthetic takedown entries and reports the build
//! time and the process's peak memory (Linux `VmHWM`), for docs/benchmarks.md:
//! `cargo run -p engine --release --example index_memory [ENTRIES]`.

#[path = "../benches/synthetic.rs"]
mod synthetic;

use std::time::Instant;

fn peak_rss_kib() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    line.split_whitespace().nth(1)?.parse().ok()
}

fn main() {
    let entries: usize = std::env::args().nth(1).and_then(|a| a.parse().ok()).unwrap_or(1_000_000);
    let before = peak_rss_kib().unwrap_or(0);
    let data = synthetic::index_data(entries);
    let generated = peak_rss_kib().unwrap_or(0);
    let started = Instant::now();
    let index = match engine::Index::build(data) {
        Ok(index) => index,
        Err(e) => {
            eprintln!("index build failed: {e}");
            std::process::exit(1);
        }
    };
    let took = started.elapsed();
    let after = peak_rss_kib().unwrap_or(0);
    println!("entries: {}", index.takedown_len());
    println!("build time: {:.2} s", took.as_secs_f64());
    println!(
        "peak RSS: {:.1} MiB (before data {:.1} MiB, after generating data {:.1} MiB)",
        after as f64 / 1024.0,
        before as f64 / 1024.0,
        generated as f64 / 1024.0
    );
}
