//! Rough per-call timing of `lookalike::assess` and `ScamPhrases::scan` until the criterion
//! benchmark lands: `cargo run -p engine --release --example lookalike_timing`.

use std::hint::black_box;
use std::time::Instant;

use engine::lookalike::{assess, BrandProfile};
use engine::ScamPhrases;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let profile = BrandProfile::new(&["kgi.com.tw"], &["kgi", "凱基"])?;
    let hosts = [
        "example.org",
        "www.google.com",
        "2311915.ec66.tw",
        "abc.com.tw",
        "kkpp.kgi357.com",
        "kgi.com.tw.evil.net",
        "kig.com.tw",
        "xn--kg-ioc.com.tw",
        "xn--y9qqg13ofn6d.com",
        "www.kgi.com.tw",
    ];
    let rounds = 1_000_000u32;
    for host in hosts {
        let start = Instant::now();
        for _ in 0..rounds {
            black_box(assess(black_box(host), &profile));
        }
        let nanos = start.elapsed().as_nanos() / u128::from(rounds);
        println!("assess {host:<24} {nanos:>6} ns/call");
    }

    let phrases = ScamPhrases::default();
    let sms =
        "【凱基證券】您的帳戶有潛在風險，請於今日內點擊連結完成身分驗證 https://kkpp.kgi357.com/index/login";
    let rounds = 200_000u32;
    let start = Instant::now();
    for _ in 0..rounds {
        black_box(phrases.scan(black_box(sms)));
    }
    let nanos = start.elapsed().as_nanos() / u128::from(rounds);
    println!("scan   {} bytes of SMS          {nanos:>6} ns/call", sms.len());
    Ok(())
}
