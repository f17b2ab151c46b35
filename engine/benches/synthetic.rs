//! Synthetic but realistic data for benchmarks: takedown entries shaped like the
//! vendor notices and the 165 open data (lookalike hosts, login paths, raw IPs).

use engine::{IndexData, TakedownEntry, TakedownScope, TakedownStatus};

const WORDS: [&str; 12] =
    ["kgi", "secure", "login", "app", "vip", "trade", "stock", "fund", "invest", "bonus", "tw", "win"];
const SUFFIXES: [&str; 8] = ["com", "cc", "top", "vip", "xyz", "net", "com.tw", "shop"];

/// A deterministic host for entry `i`: `a{i}.{word}{n}.{suffix}`.
pub fn host(i: usize) -> String {
    let word = WORDS[i % WORDS.len()];
    let suffix = SUFFIXES[(i / WORDS.len()) % SUFFIXES.len()];
    format!("a{}.{word}{}.{suffix}", i % 1000, i / 7)
}

/// `n` takedown entries: mostly whole hosts, some single pages and path prefixes,
/// a few registrable domains, IP addresses and networks.
pub fn takedown(n: usize) -> Vec<TakedownEntry> {
    (0..n)
        .map(|i| {
            let h = host(i);
            let (scope, target) = match i % 100 {
                0..=69 => (TakedownScope::Host, h.clone()),
                70..=84 => (TakedownScope::Url, format!("{h}/index/login")),
                85..=92 => (TakedownScope::PathPrefix, format!("{h}/app/")),
                93..=96 => (
                    TakedownScope::RegistrableDomain,
                    h.split_once('.').map_or(h.clone(), |(_, r)| r.to_owned()),
                ),
                97..=98 => (
                    TakedownScope::Ip,
                    format!("{}.{}.{}.{}", 11 + i % 200, (i >> 8) % 256, (i >> 16) % 256, i % 256),
                ),
                _ => (
                    TakedownScope::Cidr,
                    format!("{}.{}.{}.0/24", 11 + i % 200, (i >> 8) % 256, (i >> 16) % 256),
                ),
            };
            TakedownEntry {
                id: i as i64 + 1,
                scope,
                target,
                status: TakedownStatus::TakedownRequested,
                listed_on: "2026-11-27".into(),
            }
        })
        .collect()
}

/// The demo firm's official data with `n` synthetic takedown entries.
pub fn index_data(n: usize) -> IndexData {
    IndexData {
        official_domains: vec!["kgi.com.tw".into()],
        official_phones: vec![],
        official_line_ids: vec![],
        brand_keywords: vec!["kgi".into(), "凱基".into()],
        firm_names: vec!["凱基證券".into(), "KGI Securities".into()],
        takedown: takedown(n),
        cleared_lookalikes: vec![],
    }
}
