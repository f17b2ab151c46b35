//! Criterion benchmarks of the detection engine against 1,000,000 synthetic takedown entries:
//! index build, full URL checks, message extraction and message checks.
//! `cargo bench -p engine --bench engine`; the numbers and targets are in docs/benchmarks.md.

// A benchmark, example or test helper, not a request path: a failure is a broken set-up.
#![allow(clippy::unwrap_used, clippy::expect_used)]

#[path = "synthetic.rs"]
mod synthetic;
#[path = "workload.rs"]
mod workload;

use std::hint::black_box;
use std::sync::OnceLock;
use std::time::Duration;

use criterion::{criterion_group, criterion_main, BatchSize, Criterion, SamplingMode, Throughput};
use engine::Index;

/// Takedown entries in the index every check runs against.
const ENTRIES: usize = 1_000_000;

/// The 1,000,000-entry index, built once for all the check benchmarks.
fn index() -> &'static Index {
    static INDEX: OnceLock<Index> = OnceLock::new();
    INDEX.get_or_init(|| Index::build(synthetic::index_data(ENTRIES)).expect("synthetic data is valid"))
}

fn index_build(c: &mut Criterion) {
    let data = synthetic::index_data(ENTRIES);
    let mut group = c.benchmark_group("index_build");
    // A build takes about a second: ten builds, one per sample.
    group.sample_size(10).sampling_mode(SamplingMode::Flat).measurement_time(Duration::from_secs(15));
    group.throughput(Throughput::Elements(ENTRIES as u64));
    group.bench_function("1m", |b| {
        b.iter_batched(
            || data.clone(),
            |data| Index::build(data).expect("synthetic data is valid"),
            BatchSize::LargeInput,
        )
    });
    group.finish();
}

/// One full URL check per link: each link is checked as a message of its own with
/// `engine::check` (extraction of the one link, canonical form, registrable domain, takedown
/// expressions, official list, lookalike tests, shortener, scam wording of the message).
fn check_url(c: &mut Criterion) {
    let index = index();
    let links = workload::links(ENTRIES);
    let mut group = c.benchmark_group("check_url");
    group.sample_size(20).measurement_time(Duration::from_secs(10));
    group.throughput(Throughput::Elements(links.len() as u64));
    group.bench_function("mix_10k", |b| {
        b.iter(|| {
            for (_, link) in &links {
                black_box(engine::check(black_box(link), index)).ok();
            }
        })
    });
    for (kind, _) in workload::Kind::MIX {
        let some: Vec<&str> = links.iter().filter(|(k, _)| *k == kind).map(|(_, l)| l.as_str()).collect();
        group.throughput(Throughput::Elements(some.len() as u64));
        group.bench_function(kind.name(), |b| {
            b.iter(|| {
                for link in &some {
                    black_box(engine::check(black_box(link), index)).ok();
                }
            })
        });
    }
    group.finish();
}

fn extract_message(c: &mut Criterion) {
    let messages = workload::messages();
    let long = workload::long_message();
    let mut group = c.benchmark_group("extract_message");
    group.sample_size(30).measurement_time(Duration::from_secs(5));
    group.throughput(Throughput::Bytes(messages.iter().map(|m| m.len() as u64).sum()));
    group.bench_function("sms_set", |b| {
        b.iter(|| {
            for message in &messages {
                black_box(engine::extract(black_box(message)));
            }
        })
    });
    group.throughput(Throughput::Bytes(long.len() as u64));
    group.bench_function("64KiB", |b| b.iter(|| black_box(engine::extract(black_box(&long)))));
    // Adversarial 64 KiB messages: a quadratic scan shows up here as a collapse in MB/s.
    for (name, unit) in [
        ("dots", "a."),
        ("at_signs", "@"),
        ("digits", "0 "),
        ("chinese_dot", "kgi點"),
        ("cjk_labels", "凱基客服."),
        ("cjk_suffixes", "凱基.台灣"),
        ("schemes", "https://"),
        ("brackets", "((((("),
        ("bad_ports", "a.co:99999/"),
        ("userinfo_bad_ports", "www.a.co@b.co:99999/"),
    ] {
        let text = unit.repeat(engine::MAX_MESSAGE_BYTES / unit.len());
        group.throughput(Throughput::Bytes(text.len() as u64));
        group.bench_function(format!("worst_case/{name}"), |b| {
            b.iter(|| black_box(engine::extract(black_box(&text))))
        });
    }
    group.finish();
}

fn check_message(c: &mut Criterion) {
    let index = index();
    let messages = workload::messages();
    let long = workload::long_message();
    let mut group = c.benchmark_group("check_message");
    group.sample_size(30).measurement_time(Duration::from_secs(5));
    group.throughput(Throughput::Bytes(messages.iter().map(|m| m.len() as u64).sum()));
    group.bench_function("sms_set", |b| {
        b.iter(|| {
            for message in &messages {
                black_box(engine::check(black_box(message), index)).ok();
            }
        })
    });
    group.throughput(Throughput::Bytes(long.len() as u64));
    group.bench_function("64KiB", |b| b.iter(|| black_box(engine::check(black_box(&long), index)).ok()));
    // The worst case now that every finding is judged: as many distinct links as fit.
    let crowded = crowded_message();
    group.throughput(Throughput::Bytes(crowded.len() as u64));
    group.bench_function("every_link_64KiB", |b| {
        b.iter(|| black_box(engine::check(black_box(&crowded), index)).ok())
    });
    group.finish();
}

/// A message at the size limit made of the shortest distinct links the extractor finds
/// (`a0.tw a1.tw …`, about 11,000), every one of which the check must judge.
fn crowded_message() -> String {
    let mut text = String::new();
    let mut n = 0;
    while text.len() + 16 < engine::MAX_MESSAGE_BYTES {
        text.push_str(&format!("a{n}.tw "));
        n += 1;
    }
    text
}

criterion_group!(benches, index_build, check_url, extract_message, check_message);
criterion_main!(benches);
