//! Extraction throughput on typical and worst-case messages. Ignored by default; run with
//! `cargo test -p engine --release --test throughput -- --ignored --nocapture`.

use std::time::Instant;

use engine::extract::extract;

fn measure(name: &str, text: &str, iterations: usize) {
    let started = Instant::now();
    let mut found = 0;
    for _ in 0..iterations {
        found += extract(std::hint::black_box(text)).len();
    }
    let seconds = started.elapsed().as_secs_f64();
    println!(
        "{name:28} {:>6} B {:>9.2} µs/message {:>7.1} MB/s ({} found)",
        text.len(),
        seconds * 1e6 / iterations as f64,
        (text.len() * iterations) as f64 / seconds / 1e6,
        found / iterations
    );
}

#[test]
#[ignore = "a measurement, not a check; run in release"]
fn extraction_throughput() {
    let sms = "【凱基證券】您的帳戶異常，請於今日至 kgi357。com 驗證身分，逾期停權。客服專線 (02)2345-6789，加LINE：kgi888 領取飆股 https://kkpp.kgi357.com/index/login";
    measure("typical scam SMS", sms, 20_000);
    let chinese = "您好，明天的會議改到下午三點，請準時出席。謝謝大家的配合，如有問題請回覆。";
    measure("64 KiB Chinese prose", &chinese.repeat(65_536 / chinese.len()), 50);
    let english = "The quick brown fox jumps over the lazy dog, then visits the bank. ";
    measure("64 KiB English prose", &english.repeat(65_536 / english.len()), 50);
    measure("64 KiB of the SMS repeated", &sms.repeat(65_536 / sms.len()), 50);
    let full_width = "請登入ｋｇｉ３５７．ｃｏｍ領取，電話０９１２－３４５－６７８。";
    measure("64 KiB full-width", &full_width.repeat(65_536 / full_width.len()), 50);
    let links: String = (0..3_000).map(|i| format!("請至 h{i}.kgi357.com 驗證 ")).collect();
    measure("distinct links (hits the cap)", &links, 50);
    for (name, unit) in [("0 ", "0 "), ("a . ", "a . "), ("kgi點", "kgi點"), ("(", "("), ("a@", "a@")] {
        measure(&format!("worst case {name:?}"), &unit.repeat(65_536 / unit.len()), 20);
    }
}
