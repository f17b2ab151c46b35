//! Fuzzes the takedown feed parsers with arbitrary UTF-8: detection and every format must
//! never panic, and what they return must keep its promises (each line gives at most one
//! row or one problem, in order, numbered within the text; every row's link parses).
#![no_main]

use engine::feed::{detect_format, parse_feed, FeedFormat};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|text: &str| {
    let detected = detect_format(text);
    assert!(FeedFormat::ALL.contains(&detected));
    for format in FeedFormat::ALL {
        let feed = parse_feed(text, format);
        assert_eq!(feed.format, format);
        assert!(feed.lines <= text.len());
        let mut lines: Vec<usize> = feed.rows.iter().map(|r| r.line).collect();
        lines.extend(feed.problems.iter().map(|p| p.line));
        lines.sort_unstable();
        assert!(lines.windows(2).all(|w| w[0] < w[1]), "a line gave two results: {lines:?}");
        assert!(lines.iter().all(|&line| (1..=feed.lines).contains(&line)), "{lines:?} of {}", feed.lines);
        for row in &feed.rows {
            assert!(url::Url::parse(&row.url).is_ok(), "{row:?}");
            assert!(!row.host.is_empty() && row.reports >= 1, "{row:?}");
        }
        for problem in &feed.problems {
            assert!(!problem.reason.is_empty(), "{problem:?}");
        }
    }
});
