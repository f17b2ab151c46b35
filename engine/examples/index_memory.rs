//! Builds an index of 1,000,000 synthetic takedown entries and reports the build time, the
//! heap the finished index holds once its input is gone (counted by a global allocator), and
//! the process's peak memory (Linux `VmHWM`), for docs/benchmarks.md:
//! `cargo run -p engine --release --example index_memory [ENTRIES]`.

#[path = "../benches/synthetic.rs"]
mod synthetic;

use std::alloc::{GlobalAlloc, Layout, System};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Instant;

/// The system allocator, counting the bytes live on the heap and their peak.
struct Counting;

/// Bytes asked for and not yet freed.
static LIVE: AtomicUsize = AtomicUsize::new(0);
/// The most `LIVE` has been since it was last reset.
static PEAK: AtomicUsize = AtomicUsize::new(0);
/// The same bytes as glibc's malloc holds them: each block with its 8-byte header, rounded
/// up to 16 bytes, at least 32 (small blocks cost more than they ask for).
static LIVE_CHUNKS: AtomicUsize = AtomicUsize::new(0);

fn chunk(bytes: usize) -> usize {
    ((bytes + 8).div_ceil(16) * 16).max(32)
}

fn grew(bytes: usize) {
    let live = LIVE.fetch_add(bytes, Ordering::Relaxed) + bytes;
    PEAK.fetch_max(live, Ordering::Relaxed);
    LIVE_CHUNKS.fetch_add(chunk(bytes), Ordering::Relaxed);
}

fn shrank(bytes: usize) {
    LIVE.fetch_sub(bytes, Ordering::Relaxed);
    LIVE_CHUNKS.fetch_sub(chunk(bytes), Ordering::Relaxed);
}

// SAFETY: every call is passed on to `System` unchanged; only counters are updated besides.
unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        // SAFETY: the caller's contract for `alloc` is passed on to `System`.
        let ptr = unsafe { System.alloc(layout) };
        if !ptr.is_null() {
            grew(layout.size());
        }
        ptr
    }

    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
        // SAFETY: as for `alloc`.
        let ptr = unsafe { System.alloc_zeroed(layout) };
        if !ptr.is_null() {
            grew(layout.size());
        }
        ptr
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        // SAFETY: `ptr` was allocated by `System` with `layout`, as the caller guarantees.
        unsafe { System.dealloc(ptr, layout) };
        shrank(layout.size());
    }

    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        // SAFETY: as for `dealloc` and `alloc`.
        let new = unsafe { System.realloc(ptr, layout, new_size) };
        if !new.is_null() {
            shrank(layout.size());
            grew(new_size);
        }
        new
    }
}

#[global_allocator]
static ALLOCATOR: Counting = Counting;

fn peak_rss_kib() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    line.split_whitespace().nth(1)?.parse().ok()
}

fn mib(bytes: usize) -> f64 {
    bytes as f64 / (1024.0 * 1024.0)
}

fn main() {
    let entries: usize = std::env::args().nth(1).and_then(|a| a.parse().ok()).unwrap_or(1_000_000);
    let before = peak_rss_kib().unwrap_or(0);
    let heap_before = LIVE.load(Ordering::Relaxed);
    let chunks_before = LIVE_CHUNKS.load(Ordering::Relaxed);
    let data = synthetic::index_data(entries);
    let generated = peak_rss_kib().unwrap_or(0);
    let heap_data = LIVE.load(Ordering::Relaxed) - heap_before;
    PEAK.store(LIVE.load(Ordering::Relaxed), Ordering::Relaxed);
    let started = Instant::now();
    // `build` takes the data by value and drops it as it goes.
    let index = match engine::Index::build(data) {
        Ok(index) => index,
        Err(e) => {
            eprintln!("index build failed: {e}");
            std::process::exit(1);
        }
    };
    let took = started.elapsed();
    let heap_index = LIVE.load(Ordering::Relaxed) - heap_before;
    let chunks_index = LIVE_CHUNKS.load(Ordering::Relaxed) - chunks_before;
    let heap_peak = PEAK.load(Ordering::Relaxed) - heap_before;
    let after = peak_rss_kib().unwrap_or(0);
    println!("entries: {}", index.takedown_len());
    println!("build time: {:.2} s", took.as_secs_f64());
    println!(
        "heap held by the index (input dropped): {:.1} MiB ({:.0} bytes per entry)",
        mib(heap_index),
        heap_index as f64 / entries.max(1) as f64
    );
    println!(
        "  the same with glibc malloc's block headers and rounding: {:.1} MiB ({:.0} bytes per entry)",
        mib(chunks_index),
        chunks_index as f64 / entries.max(1) as f64
    );
    println!(
        "heap of the input data: {:.1} MiB; heap peak during the build (data + index): {:.1} MiB",
        mib(heap_data),
        mib(heap_peak)
    );
    println!(
        "peak RSS: {:.1} MiB (before data {:.1} MiB, after generating data {:.1} MiB)",
        after as f64 / 1024.0,
        before as f64 / 1024.0,
        generated as f64 / 1024.0
    );
    drop(index);
}
