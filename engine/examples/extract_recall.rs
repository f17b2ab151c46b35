//! Recall and speed of link extraction on the 165 corpus (`engine/benches/extract/`), for
//! docs/benchmarks.md: `cargo run -p engine --release --example extract_recall -- CORPUS.jsonl
//! [--reps N] [--misses N] [--summary OUT.json]`. `scripts/bench-extract` runs it beside iocextract.
//!
//! A message is recalled when one of its link candidates canonicalises to exactly the host the
//! message was written for. Only the `engine::extract` calls are timed, each result dropped
//! inside the timing; the best and the median of the repetitions are reported.
//!
//! A miss whose host has no suffix on the Public Suffix List (`bitgin`, the typo
//! `www.karcco.con`) is counted apart: written without a scheme, such a name is rightly not a
//! link (or `readme.txt` would be one). Those misses are listed after the others.

use std::collections::BTreeMap;
use std::hint::black_box;
use std::process::ExitCode;
use std::time::{Duration, Instant};

use engine::domain::is_listed_site;
use engine::{canonicalize, extract, Candidate};
use serde::Deserialize;

/// One line of the corpus.
#[derive(Deserialize)]
struct Message {
    text: String,
    host: String,
    spelling: String,
}

struct Args {
    corpus: String,
    reps: usize,
    misses: usize,
    summary: Option<String>,
}

fn parse_args() -> Result<Args, String> {
    let mut args = std::env::args().skip(1);
    let mut parsed = Args { corpus: String::new(), reps: 5, misses: 5, summary: None };
    while let Some(arg) = args.next() {
        let mut value = |name: &str| args.next().ok_or(format!("{name} needs a value"));
        match arg.as_str() {
            "--reps" => parsed.reps = value("--reps")?.parse().map_err(|e| format!("--reps: {e}"))?,
            "--misses" => parsed.misses = value("--misses")?.parse().map_err(|e| format!("--misses: {e}"))?,
            "--summary" => parsed.summary = Some(value("--summary")?),
            _ if parsed.corpus.is_empty() && !arg.starts_with("--") => parsed.corpus = arg,
            _ => return Err(format!("unexpected argument {arg:?}")),
        }
    }
    if parsed.corpus.is_empty() {
        return Err("usage: extract_recall CORPUS.jsonl [--reps N] [--misses N] [--summary OUT.json]".into());
    }
    parsed.reps = parsed.reps.max(1);
    Ok(parsed)
}

/// The canonical hosts of a message's link candidates, in order of appearance.
fn link_hosts(candidates: &[Candidate]) -> Vec<String> {
    candidates
        .iter()
        .filter(|c| c.kind.is_link())
        .filter_map(|c| canonicalize(&c.value).ok())
        .map(|url| url.host_str().to_owned())
        .collect()
}

#[derive(Default)]
struct Tally {
    messages: usize,
    recalled: usize,
    /// Missed messages whose host has a listed suffix: the text and the hosts found instead.
    gaps: Vec<(String, Vec<String>)>,
    /// Missed messages whose host has no listed suffix.
    unlisted: Vec<(String, Vec<String>)>,
}

/// Whether `host`, written without a scheme, is a link at all: a listed site or an IPv4 address.
fn is_link_without_scheme(host: &str) -> bool {
    is_listed_site(host) || host.parse::<std::net::Ipv4Addr>().is_ok()
}

fn percent(part: usize, whole: usize) -> f64 {
    if whole == 0 {
        0.0
    } else {
        100.0 * part as f64 / whole as f64
    }
}

fn main() -> ExitCode {
    let args = match parse_args() {
        Ok(args) => args,
        Err(e) => {
            eprintln!("{e}");
            return ExitCode::FAILURE;
        }
    };
    let corpus = match std::fs::read_to_string(&args.corpus) {
        Ok(corpus) => corpus,
        Err(e) => {
            eprintln!("cannot read {}: {e}", args.corpus);
            return ExitCode::FAILURE;
        }
    };
    let messages: Vec<Message> = match corpus.lines().map(serde_json::from_str).collect() {
        Ok(messages) => messages,
        Err(e) => {
            eprintln!("{} is not a corpus of JSON lines: {e}", args.corpus);
            return ExitCode::FAILURE;
        }
    };
    let bytes: usize = messages.iter().map(|m| m.text.len()).sum();

    // Speed: extraction alone, the whole corpus per repetition.
    let mut times: Vec<Duration> = (0..args.reps)
        .map(|_| {
            let started = Instant::now();
            for message in &messages {
                black_box(extract(black_box(&message.text)));
            }
            started.elapsed()
        })
        .collect();
    times.sort_unstable();
    let best = times[0];
    let median = times[times.len() / 2];
    let per_second = |d: Duration| messages.len() as f64 / d.as_secs_f64();

    // Recall, outside the timing.
    let mut by_spelling: BTreeMap<&str, Tally> = BTreeMap::new();
    for message in &messages {
        let hosts = link_hosts(&extract(&message.text));
        let tally = by_spelling.entry(&message.spelling).or_default();
        tally.messages += 1;
        if hosts.contains(&message.host) {
            tally.recalled += 1;
        } else if is_link_without_scheme(&message.host) {
            tally.gaps.push((message.text.clone(), hosts));
        } else {
            tally.unlisted.push((message.text.clone(), hosts));
        }
    }
    let total = messages.len();
    let recalled: usize = by_spelling.values().map(|t| t.recalled).sum();
    let unlisted_hosts = messages.iter().filter(|m| !is_link_without_scheme(&m.host)).count();

    println!("engine::extract on {} ({total} messages, {bytes} bytes)", args.corpus);
    println!(
        "speed: best {:.0} msgs/s ({:.1} MiB/s), median {:.0} msgs/s, over {} repetitions",
        per_second(best),
        bytes as f64 / best.as_secs_f64() / (1024.0 * 1024.0),
        per_second(median),
        args.reps
    );
    println!("recall: {recalled}/{total} = {:.2} %", percent(recalled, total));
    println!("hosts without a listed suffix (not links unless written with a scheme): {unlisted_hosts}\n");
    println!(
        "{:<20} {:>8} {:>8} {:>8} {:>16}",
        "spelling", "messages", "recalled", "recall", "missed, unlisted"
    );
    for (spelling, tally) in &by_spelling {
        println!(
            "{spelling:<20} {:>8} {:>8} {:>7.2}% {:>16}",
            tally.messages,
            tally.recalled,
            percent(tally.recalled, tally.messages),
            tally.unlisted.len()
        );
    }
    for (spelling, tally) in &by_spelling {
        let missed = tally.messages - tally.recalled;
        if missed == 0 {
            continue;
        }
        println!(
            "\nmissed, {spelling} ({} of {}, {} of them unlisted):",
            missed,
            tally.messages,
            tally.unlisted.len()
        );
        for (text, hosts) in tally.gaps.iter().chain(&tally.unlisted).take(args.misses) {
            println!("  {text:?} -> {hosts:?}");
        }
    }

    if let Some(path) = &args.summary {
        let spellings: serde_json::Map<String, serde_json::Value> = by_spelling
            .iter()
            .map(|(s, t)| (s.to_string(), serde_json::json!({"messages": t.messages, "recalled": t.recalled, "unlisted": t.unlisted.len()})))
            .collect();
        let summary = serde_json::json!({
            "extractor": "engine::extract",
            "messages": total,
            "recalled": recalled,
            "unlisted_hosts": unlisted_hosts,
            "msgs_per_second_best": per_second(best),
            "msgs_per_second_median": per_second(median),
            "repetitions": args.reps,
            "spellings": spellings,
        });
        if let Err(e) = std::fs::write(path, summary.to_string()) {
            eprintln!("cannot write {path}: {e}");
            return ExitCode::FAILURE;
        }
    }
    ExitCode::SUCCESS
}
