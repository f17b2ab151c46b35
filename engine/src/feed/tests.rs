use std::collections::BTreeSet;
use std::time::Instant;

use super::*;

/// A data file of `shared/data/` beside the checkout, or `None` (with a note) when it is
/// absent outside CI. Under CI a missing file fails the test: the check it guards must not
/// pass by not running.
fn read_shared(relative: &str) -> Option<String> {
    let path = format!("{}/../../shared/data/{relative}", env!("CARGO_MANIFEST_DIR"));
    match std::fs::read_to_string(&path) {
        Ok(text) => Some(text),
        Err(e) if std::env::var_os("CI").is_some() => panic!("{path} is missing ({e}), and CI needs it"),
        Err(e) => {
            eprintln!("skipped: {path} cannot be read ({e})");
            None
        }
    }
}

fn problems(feed: &ParsedFeed) -> Vec<(usize, &str)> {
    feed.problems.iter().map(|p| (p.line, p.reason.as_str())).collect()
}

#[test]
fn every_line_of_the_seed_notice_gives_its_nine_sites_with_ids_and_ips() {
    let Some(text) = read_shared("seed/takedown-notice.txt") else { return };

    let feed = parse_feed(&text, FeedFormat::VendorNotice);

    assert_eq!(feed.lines, text.lines().count());
    assert_eq!(problems(&feed), []);
    let sites: Vec<_> = feed
        .rows
        .iter()
        .map(|r| {
            (r.line, r.alert_id.as_deref(), r.case_id.as_deref(), r.host.as_str(), r.hosting_ip.as_deref())
        })
        .collect();
    let ip = Some("89.106.207.153");
    assert_eq!(
        sites,
        [
            (4, Some("E7800746"), Some("C7800745"), "kkpp.kgi357.com", ip),
            (5, Some("E7800753"), Some("C7800752"), "kkpp.kgi379.com", ip),
            (6, Some("E7800748"), Some("C7800747"), "kkpp.kgi599.com", ip),
            (7, Some("E7800744"), Some("C7800743"), "kkpp.kgi69.com", ip),
            (8, Some("E7800741"), Some("C7800740"), "kkpp.kgi359.com", ip),
            (9, Some("E7800750"), Some("C7800749"), "kkpp.kgi257.com", ip),
            (10, Some("E7801179"), Some("C7801178"), "kkpp.kgi237.com", ip),
            (11, Some("E7801181"), Some("C7801180"), "89.106.207.153", None),
            (14, None, None, "2311915.ec66.tw", None),
        ]
    );
    assert_eq!(feed.rows[0].url, "https://kkpp.kgi357.com/index/login");
    assert_eq!(feed.rows[7].url, "https://89.106.207.153/index/login");
    assert!(feed.rows.iter().all(|r| r.reports == 1 && r.window.is_none() && r.site_name.is_none()));
    // The strict reader the demo loader uses sees the same sites.
    let strict = parse_notice(&text).unwrap();
    let sites_of_notice: Vec<_> = strict.iter().map(|e| (e.url.as_str(), e.host.as_str())).collect();
    let sites_of_feed: Vec<_> = feed.rows.iter().map(|r| (r.url.as_str(), r.host.as_str())).collect();
    assert_eq!(sites_of_notice, sites_of_feed);
}

#[test]
fn the_whole_165_file_is_read_and_only_its_rows_naming_no_real_site_are_problems() {
    let Some(text) = read_shared("165/gamble.csv") else { return };
    let started = Instant::now();

    let feed = parse_feed(&text, detect_format(&text));

    let elapsed = started.elapsed();
    assert_eq!(feed.format, FeedFormat::OpenData165);
    assert_eq!(feed.lines, 44_826, "two header rows and 44,824 data rows");
    assert_eq!(feed.rows.len() + feed.problems.len(), 44_824);
    let urls: BTreeSet<&str> = feed.rows.iter().map(|r| r.url.as_str()).collect();
    let hosts: BTreeSet<&str> = feed.rows.iter().map(|r| r.host.as_str()).collect();
    eprintln!(
        "165 data: {} rows, {} problems, {} distinct urls, {} distinct hosts, read in {elapsed:?}",
        feed.rows.len(),
        feed.problems.len(),
        urls.len(),
        hosts.len()
    );
    for problem in &feed.problems {
        eprintln!("  {problem}");
    }
    // Fourteen rows give a WEBURL that no browser could open: a bare word (`bitgin`, a
    // site name typed in the wrong column) or a typo of the suffix (`www.karcco.con`).
    // Every other row is read.
    assert_eq!(feed.problems.len(), 14);
    assert!(
        feed.problems.iter().all(|p| p.reason.ends_with("is not under a known top-level domain")),
        "{:?}",
        feed.problems
    );
    // Of the 31,030 distinct WEBURL values, 14 are those problems and 30 more merge with
    // another once canonical: the host's case (`WWW.eosscanel.com`), `a.top?x` and
    // `a.top/?x`, a bare trailing `?`.
    assert_eq!(urls.len(), 31_030 - 14 - 30);
    assert_eq!(hosts.len(), 30_702);
    assert!(feed.rows.iter().all(|r| r.reports >= 1 && r.window.is_some() && r.url.starts_with("http")));
    let kgi = feed.rows.iter().filter(|r| r.site_name.as_deref().is_some_and(|n| n.contains("凱基"))).count();
    assert_eq!(kgi, 25, "rows naming 凱基 (KGI Securities) as the impersonated brand");
}

#[test]
fn the_165_header_is_recognised_with_or_without_a_byte_order_mark() {
    let csv = "WEBSITE_NM,WEBURL,CNT,STA_SDATE,STA_EDATE\r\n網站名稱,網址,件數,統計起始日期,統計結束日期\r\n0x,www.0xdappplus.com,2,2023/04/25,2023/04/30\r\n";
    assert_eq!(detect_format(csv), FeedFormat::OpenData165);
    let with_bom = format!("\u{FEFF}{csv}");
    assert_eq!(detect_format(&with_bom), FeedFormat::OpenData165);

    let feed = parse_feed(&with_bom, FeedFormat::OpenData165);
    assert_eq!((feed.lines, feed.rows.len(), problems(&feed)), (3, 1, vec![]));
    assert_eq!(feed.rows[0].line, 3);
}

#[test]
fn a_notice_with_prose_is_a_vendor_notice() {
    let notice = "資安部：\nRSA偵測到以下釣魚網頁，已申請下架。\n\nE7800746 (C7800745) hxxps://kkpp[.]kgi357[.]com/index/login 89.106.207.153";
    assert_eq!(detect_format(notice), FeedFormat::VendorNotice);
    assert_eq!(
        detect_format("資安部：\n確認【2311915.ec66.tw】非公司網站，已請委外廠商RSA下架。"),
        FeedFormat::VendorNotice
    );
}

#[test]
fn a_list_of_links_is_a_plain_list_even_when_a_name_starts_like_an_alert_id() {
    assert_eq!(
        detect_format("kgi357.com\nhxxps://kkpp[.]kgi599[.]com/index/login\nE5.com\n"),
        FeedFormat::PlainList
    );
    assert_eq!(detect_format("【重要提醒】請認明\nkgi357.com"), FeedFormat::PlainList);
    assert_eq!(detect_format(""), FeedFormat::PlainList);
}

#[test]
fn a_broken_vendor_line_is_a_problem_on_its_line_and_the_others_are_still_read() {
    let text = "資安部：\nE7800746 C7800745 hxxps://kkpp[.]kgi357[.]com/\nE1 (C2) hxxps://a[.]kgi357[.]com/ not-an-ip\n確認【2311915.ec66.tw】非公司網站\nE3 (C4) not-a-link\n確認【a.com b.com】非公司網站\nE5 (C6) hxxps://a[.]kgi599[.]com/ 1.2.3.4 extra";

    let feed = parse_feed(text, FeedFormat::VendorNotice);

    assert_eq!(feed.lines, 7);
    assert_eq!(
        feed.rows.iter().map(|r| (r.line, r.host.as_str())).collect::<Vec<_>>(),
        [(4, "2311915.ec66.tw")]
    );
    assert_eq!(
        problems(&feed),
        [
            (2, "missing case ID in parentheses after the alert ID"),
            (3, "the field after the link is not an IPv4 address"),
            (5, "the reported link is not a valid http(s) link"),
            (6, "the site named in 【】 is not a valid domain or link"),
            (7, "unexpected text after the hosting IP address"),
        ]
    );
}

#[test]
fn malformed_165_lines_give_their_line_and_reason() {
    let csv = "\u{FEFF}WEBSITE_NM,WEBURL,CNT,STA_SDATE,STA_EDATE\n網站名稱,網址,件數,統計起始日期,統計結束日期\nok,www.0857.games,1,2023/12/12,2023/12/18\n\nshort,www.0857.games,1\nx,,1,2023/12/12,2023/12/18\nx,www.0857.games,x,2023/12/12,2023/12/18\nx,www.0857.games,1,2023/02/30,2023/03/01\n\"x,www.0857.games,1,2023/12/12,2023/12/18";

    let feed = parse_feed(csv, FeedFormat::OpenData165);

    assert_eq!(feed.lines, 9);
    assert_eq!(feed.rows.iter().map(|r| r.line).collect::<Vec<_>>(), [3]);
    assert_eq!(
        problems(&feed),
        [
            (5, "the line has 3 columns, not the 5 of a 165 row (WEBSITE_NM,WEBURL,CNT,STA_SDATE,STA_EDATE)"),
            (6, "WEBURL is empty"),
            (7, "CNT \"x\" is not a whole number of reports"),
            (8, "STA_SDATE \"2023/02/30\" is not a real date written YYYY/MM/DD"),
            (9, "a quoted field is not closed before the end of the line"),
        ]
    );
}

#[test]
fn malformed_list_lines_give_their_line_and_reason() {
    let list = "# takedowns of the week\nkgi357[.]com\n\nnothing here\nkgi357.com kgi599.com\nhxxps://kkpp[.]kgi599[.]com/index/login";

    let feed = parse_feed(list, FeedFormat::PlainList);

    assert_eq!(feed.lines, 6);
    assert_eq!(
        feed.rows.iter().map(|r| (r.line, r.url.as_str())).collect::<Vec<_>>(),
        [(2, "http://kgi357.com/"), (6, "https://kkpp.kgi599.com/index/login")]
    );
    assert_eq!(
        problems(&feed),
        [
            (4, "the line holds no link or domain name"),
            (5, "the line holds 2 links; a list has one per line")
        ]
    );
}

/// A line of `len` bytes: `before`, a link padded with `a`s, `after`.
fn line_of(len: usize, before: &str, after: &str) -> String {
    let link = "https://kgi357.com/";
    format!("{before}{link}{}{after}", "a".repeat(len - before.len() - link.len() - after.len()))
}

#[test]
fn a_line_longer_than_4096_bytes_is_a_problem_in_every_format_without_being_read() {
    for (format, before, after) in [
        (FeedFormat::PlainList, "", ""),
        (FeedFormat::OpenData165, "x,", ",1,2023/12/12,2023/12/18"),
        (FeedFormat::VendorNotice, "E1 (C2) ", " 1.2.3.4"),
    ] {
        let at_limit = line_of(MAX_LINE_BYTES, before, after);
        let over = line_of(MAX_LINE_BYTES + 1, before, after);
        assert_eq!(at_limit.len(), 4096);

        let feed = parse_feed(&format!("{at_limit}\r\n{over}\r\n"), format);

        assert_eq!(feed.rows.iter().map(|r| r.line).collect::<Vec<_>>(), [1], "{format:?}");
        assert_eq!(problems(&feed), [(2, "line is longer than 4096 bytes")], "{format:?}");
    }
    // Even a line that would be skipped: its length is the problem an analyst must see.
    let prose = "資安部".repeat(500);
    assert_eq!(
        problems(&parse_feed(&prose, FeedFormat::VendorNotice)),
        [(1, "line is longer than 4096 bytes")]
    );
}

#[test]
fn formats_are_named_by_their_codes_and_back() {
    for format in FeedFormat::ALL {
        assert_eq!(FeedFormat::parse(format.code()), Some(format));
    }
    assert_eq!(FeedFormat::ALL.map(FeedFormat::code), ["vendor", "165", "list"]);
    assert_eq!(FeedFormat::parse("csv"), None);
    assert_eq!(FeedFormat::parse(""), None);
}

#[test]
fn a_problem_reads_as_its_line_and_reason() {
    let problem = FeedProblem { line: 12, reason: "WEBURL is empty".into() };
    assert_eq!(problem.to_string(), "line 12: WEBURL is empty");
}

#[test]
fn text_that_is_not_a_feed_gives_problems_not_a_panic() {
    for text in [
        "\u{FEFF}",
        "\r\n\r\n",
        "\"",
        "【",
        "【.】",
        "E1",
        "E1 (",
        ",,,,",
        "\u{FEFF}\u{FEFF}x",
        "a\u{0}b.com",
    ] {
        for format in FeedFormat::ALL {
            let feed = parse_feed(text, format);
            assert!(feed.rows.len() + feed.problems.len() <= feed.lines, "{text:?} as {format:?}");
        }
        detect_format(text);
    }
}
