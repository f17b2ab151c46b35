//! Fuzzes extraction with arbitrary UTF-8: it must never panic, and what it returns must keep
//! its promises (link values parse, `raw` comes from the message, the cap holds).
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|text: &str| {
    let candidates = engine::extract::extract(text);
    assert!(candidates.len() <= engine::extract::MAX_CANDIDATES);
    for candidate in &candidates {
        assert!(
            text.contains(&candidate.raw),
            "raw {:?} is not in the input",
            candidate.raw
        );
        if candidate.kind.is_link() {
            assert!(url::Url::parse(&candidate.value).is_ok(), "{candidate:?}");
        }
    }
});
