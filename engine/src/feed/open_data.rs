//! Taiwan's 165 anti-fraud open data CSV (data.gov.tw dataset 160055): one reported site per
//! row, `WEBSITE_NM,WEBURL,CNT,STA_SDATE,STA_EDATE`, a second header row in Chinese, links
//! without a scheme and dates written `2023/12/12`.
//!
//! Fields are split by hand rather than with the `csv` crate. The import works line by line
//! (each problem names its line, and an overlong line is refused before it is read), which a
//! record-based reader would fight: a quoted field running onto the next line would blur
//! line numbers. Within one line, RFC 4180 quoting is small and tested here, and the real
//! files quote nothing at all.

use std::borrow::Cow;
use std::fmt;

use crate::extract::{extract, extract_cleaned, CandidateKind};
use crate::text::CleanText;

use super::{listed_site, plain_row, FeedRow};

/// The header row, as published.
const HEADER: [&str; 5] = ["WEBSITE_NM", "WEBURL", "CNT", "STA_SDATE", "STA_EDATE"];

/// The second header row, the same columns named in Chinese.
const HEADER_ZH: [&str; 5] = ["網站名稱", "網址", "件數", "統計起始日期", "統計結束日期"];

/// Whether `line` is the 165 header row (byte-order mark already removed), its column
/// names in any case, quoted or not.
pub(super) fn is_header(line: &str) -> bool {
    split_fields(line).is_ok_and(|fields| names_columns(&fields, &HEADER))
}

/// One line of the CSV: `None` for a blank line or a header row, otherwise the site it
/// reports or why it cannot be read.
pub(super) fn read_line(line: &str, number: usize) -> Option<Result<FeedRow, String>> {
    if line.trim().is_empty() {
        return None;
    }
    let fields = match split_fields(line) {
        Ok(fields) => fields,
        Err(reason) => return Some(Err(reason.to_owned())),
    };
    if names_columns(&fields, &HEADER) || names_columns(&fields, &HEADER_ZH) {
        return None;
    }
    if fields.iter().any(|f| f.trim().eq_ignore_ascii_case(HEADER[1])) {
        // Another export's header: reading its rows by our column order would misread them.
        return Some(Err(format!("this header row's columns are not {}", HEADER.join(","))));
    }
    Some(read_row(&fields, number))
}

fn names_columns(fields: &[Cow<'_, str>], names: &[&str; 5]) -> bool {
    fields.len() == names.len()
        && fields.iter().zip(names).all(|(f, name)| f.trim().eq_ignore_ascii_case(name))
}

fn read_row(fields: &[Cow<'_, str>], number: usize) -> Result<FeedRow, String> {
    let [name, link, count, start, end] = fields else {
        return Err(format!(
            "the line has {} columns, not the 5 of a 165 row ({})",
            fields.len(),
            HEADER.join(",")
        ));
    };
    let link = link.trim();
    if link.is_empty() {
        return Err("WEBURL is empty".to_owned());
    }
    let (url, host) = read_link(link).map_err(|reason| format!("WEBURL {link:?}: {reason}"))?;
    let reports = read_count(count.trim())?;
    let start = read_date(HEADER[3], start.trim())?;
    let end = read_date(HEADER[4], end.trim())?;
    if end < start {
        return Err(format!("the window ends on {end}, before it starts on {start}"));
    }
    let name = name.trim();
    Ok(FeedRow {
        site_name: (!name.is_empty()).then(|| name.to_owned()),
        reports,
        window: Some((start.to_string(), end.to_string())),
        ..plain_row(number, url, host)
    })
}

/// The site of a WEBURL value. The data leaves the scheme out (`www.0857.games`,
/// `154.209.3.50/h5`), so `http://` is put in front, as a browser would, unless the value
/// has one (a few rows write `https://`, and a defanged `hxxps://` is read too). Prefixing,
/// rather than reading the value as a bare domain, lets a refused row say why: a name
/// under no known suffix (`bitgin`, `www.karcco.con`) is read as a link, and
/// [`listed_site`] refuses it naming its host, where a bare read would find "no link".
fn read_link(link: &str) -> Result<(String, String), String> {
    let clean = CleanText::new(link);
    let candidates = if starts_with_scheme(clean.text()) {
        extract_cleaned(&clean)
    } else {
        extract(&format!("http://{link}"))
    };
    let links: Vec<_> = candidates.into_iter().filter(|c| c.kind.is_link()).collect();
    match links.as_slice() {
        [link] if link.kind == CandidateKind::Url => listed_site(link),
        [] | [_] => Err("no http(s) link can be read from it".to_owned()),
        more => Err(format!("it holds {} links, not one", more.len())),
    }
}

/// Whether `text` starts with a scheme and `://` (RFC 3986 scheme characters), so a link
/// inside the query (`a.com/go?u=https://b.com`) does not count as the value's scheme.
fn starts_with_scheme(text: &str) -> bool {
    text.split_once("://").is_some_and(|(scheme, _)| {
        scheme.starts_with(|c: char| c.is_ascii_alphabetic())
            && scheme.bytes().all(|b| b.is_ascii_alphanumeric() || matches!(b, b'+' | b'-' | b'.'))
    })
}

/// CNT: the number of reports in the window, a whole number from 1.
fn read_count(count: &str) -> Result<u32, String> {
    if count.is_empty() || !count.bytes().all(|b| b.is_ascii_digit()) {
        return Err(format!("CNT {count:?} is not a whole number of reports"));
    }
    match count.parse::<u32>() {
        Ok(0) => Err("CNT is 0, but a listed site has at least one report".to_owned()),
        Ok(reports) => Ok(reports),
        Err(_) => Err(format!("CNT {count:?} is too large to be a number of reports")),
    }
}

/// A calendar date of the data, ordered by time.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
struct Date {
    year: u16,
    month: u8,
    day: u8,
}

impl fmt::Display for Date {
    /// Writes `YYYY-MM-DD`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:04}-{:02}-{:02}", self.year, self.month, self.day)
    }
}

/// A date written `2023/12/12` (also `2023-12-12`, and without leading zeros, as other
/// exports of the same data do), which must exist on the calendar.
fn read_date(column: &str, value: &str) -> Result<Date, String> {
    let invalid = || format!("{column} {value:?} is not a real date written YYYY/MM/DD");
    let mut parts = value.split(['/', '-']);
    let mut number = |digits: std::ops::RangeInclusive<usize>| {
        parts
            .next()
            .filter(|p| digits.contains(&p.len()) && p.bytes().all(|b| b.is_ascii_digit()))
            .and_then(|p| p.parse::<u16>().ok())
    };
    let (Some(year), Some(month), Some(day)) = (number(4..=4), number(1..=2), number(1..=2)) else {
        return Err(invalid());
    };
    if parts.next().is_some() || year == 0 || !(1..=days_in_month(year, month)).contains(&day) {
        return Err(invalid());
    }
    // Month and day are at most 99 here (two digits), so they fit.
    let (Ok(month), Ok(day)) = (u8::try_from(month), u8::try_from(day)) else {
        return Err(invalid());
    };
    Ok(Date { year, month, day })
}

/// The days of `month` (1 to 12) in the Gregorian `year`; 0 for a month that does not exist.
fn days_in_month(year: u16, month: u16) -> u16 {
    match month {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if year.is_multiple_of(4) && (!year.is_multiple_of(100) || year.is_multiple_of(400)) => 29,
        2 => 28,
        _ => 0,
    }
}

/// The fields of one CSV line: split at commas, except inside a field in double quotes,
/// where `""` stands for one quote (RFC 4180). Spaces before an opening quote are allowed.
fn split_fields(line: &str) -> Result<Vec<Cow<'_, str>>, &'static str> {
    let mut fields = Vec::new();
    let mut rest = line;
    loop {
        let after_field = if let Some(mut inside) = rest.trim_start_matches([' ', '\t']).strip_prefix('"') {
            let mut value = String::new();
            loop {
                let quote =
                    inside.find('"').ok_or("a quoted field is not closed before the end of the line")?;
                value.push_str(&inside[..quote]);
                inside = &inside[quote + 1..];
                match inside.strip_prefix('"') {
                    Some(after_doubled) => {
                        value.push('"');
                        inside = after_doubled;
                    }
                    None => break,
                }
            }
            let after = inside.trim_start_matches([' ', '\t']);
            if !after.is_empty() && !after.starts_with(',') {
                return Err("text follows the closing quote of a quoted field");
            }
            fields.push(Cow::Owned(value));
            after
        } else {
            let end = rest.find(',').unwrap_or(rest.len());
            fields.push(Cow::Borrowed(&rest[..end]));
            &rest[end..]
        };
        match after_field.strip_prefix(',') {
            Some(next) => rest = next,
            None => return Ok(fields),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read(line: &str) -> Result<FeedRow, String> {
        read_line(line, 7).expect("a data line")
    }

    #[test]
    fn a_row_gets_a_scheme_its_count_and_its_window() {
        let row = read("0857娛樂城,www.0857.games,3,2023/12/12,2023/12/18").unwrap();
        assert_eq!(row.line, 7);
        assert_eq!(row.url, "http://www.0857.games/");
        assert_eq!(row.host, "www.0857.games");
        assert_eq!(row.site_name.as_deref(), Some("0857娛樂城"));
        assert_eq!(row.reports, 3);
        assert_eq!(row.window, Some(("2023-12-12".into(), "2023-12-18".into())));
        assert_eq!((row.alert_id, row.case_id, row.hosting_ip), (None, None, None));
    }

    #[test]
    fn paths_queries_ports_ip_addresses_and_upper_case_are_read_as_a_browser_would() {
        let url =
            |weburl: &str| read(&format!("x,{weburl},1,2024/01/01,2024/01/07")).map(|r| (r.url, r.host));
        assert_eq!(url("154.209.3.50/h5"), Ok(("http://154.209.3.50/h5".into(), "154.209.3.50".into())));
        assert_eq!(
            url("Endjwbdbw.world/lottery/rotate/index.php?lid=150"),
            Ok(("http://endjwbdbw.world/lottery/rotate/index.php?lid=150".into(), "endjwbdbw.world".into()))
        );
        assert_eq!(url("98988837.cc:30360"), Ok(("http://98988837.cc:30360/".into(), "98988837.cc".into())));
        assert_eq!(
            url("https://fubaba.online/news/?subid=1#registration-form1"),
            Ok(("https://fubaba.online/news/?subid=1".into(), "fubaba.online".into()))
        );
        assert_eq!(
            url("hxxps://kkpp[.]kgi357[.]com/x"),
            Ok(("https://kkpp.kgi357.com/x".into(), "kkpp.kgi357.com".into()))
        );
    }

    #[test]
    fn a_site_name_of_spaces_is_no_site_name() {
        assert_eq!(read("  ,www.0857.games,1,2023/12/12,2023/12/18").unwrap().site_name, None);
        assert_eq!(
            read(" 凱基 ,www.0857.games,1,2023/12/12,2023/12/18").unwrap().site_name.as_deref(),
            Some("凱基")
        );
    }

    #[test]
    fn both_header_rows_and_blank_lines_are_skipped() {
        assert_eq!(read_line("WEBSITE_NM,WEBURL,CNT,STA_SDATE,STA_EDATE", 1), None);
        assert_eq!(read_line("網站名稱,網址,件數,統計起始日期,統計結束日期", 2), None);
        assert_eq!(read_line("\"website_nm\", \"weburl\",cnt,sta_sdate,sta_edate", 1), None);
        assert_eq!(read_line("   ", 3), None);
        assert!(is_header("WEBSITE_NM,WEBURL,CNT,STA_SDATE,STA_EDATE"));
        assert!(!is_header("網站名稱,網址,件數,統計起始日期,統計結束日期"));
    }

    #[test]
    fn a_header_with_other_columns_is_a_problem_not_a_row() {
        assert_eq!(
            read("WEBURL,WEBSITE_NM,CNT,STA_SDATE,STA_EDATE"),
            Err("this header row's columns are not WEBSITE_NM,WEBURL,CNT,STA_SDATE,STA_EDATE".into())
        );
    }

    #[test]
    fn a_quoted_field_may_hold_commas_and_doubled_quotes() {
        let row = read("\"Bit, \"\"Pro\"\" 版\",www.0857.games,\"12\",2023/12/12,2023/12/18").unwrap();
        assert_eq!(row.site_name.as_deref(), Some("Bit, \"Pro\" 版"));
        assert_eq!(row.reports, 12);
        assert_eq!(split_fields("a,\"\",b,").unwrap(), ["a", "", "b", ""]);
        assert_eq!(split_fields("a,b\"c").unwrap(), ["a", "b\"c"]);
    }

    #[test]
    fn broken_quoting_is_a_problem() {
        assert_eq!(
            read("\"Bit, www.0857.games,1,2023/12/12,2023/12/18"),
            Err("a quoted field is not closed before the end of the line".into())
        );
        assert_eq!(
            read("\"Bit\"x,www.0857.games,1,2023/12/12,2023/12/18"),
            Err("text follows the closing quote of a quoted field".into())
        );
    }

    #[test]
    fn a_wrong_number_of_columns_is_a_problem() {
        assert_eq!(
            read("x,www.0857.games,1,2023/12/12"),
            Err("the line has 4 columns, not the 5 of a 165 row (WEBSITE_NM,WEBURL,CNT,STA_SDATE,STA_EDATE)"
                .into())
        );
        assert!(read("x,www.0857.games,1,2023/12/12,2023/12/18,")
            .unwrap_err()
            .starts_with("the line has 6 columns"));
    }

    #[test]
    fn an_empty_or_unreadable_weburl_is_a_problem() {
        assert_eq!(read("x, ,1,2023/12/12,2023/12/18"), Err("WEBURL is empty".into()));
        assert_eq!(
            read("BITGIN,bitgin,1,2025/07/24,2025/07/30"),
            Err("WEBURL \"bitgin\": the host \"bitgin\" is not under a known top-level domain".into())
        );
        assert_eq!(
            read("x,www.karcco.con,2,2022/08/15,2022/08/21").unwrap_err(),
            "WEBURL \"www.karcco.con\": the host \"www.karcco.con\" is not under a known top-level domain"
        );
        assert_eq!(
            read("x,a.com b.com,1,2023/12/12,2023/12/18"),
            Err("WEBURL \"a.com b.com\": it holds 2 links, not one".into())
        );
        // The extractor reads a link in the query as a link of its own (a redirector's
        // target), so which of the two sites is meant is left to the analyst.
        assert_eq!(
            read("x,a.com/go?u=https://b.com,1,2023/12/12,2023/12/18"),
            Err("WEBURL \"a.com/go?u=https://b.com\": it holds 2 links, not one".into())
        );
        assert_eq!(
            read("x,ftp://a.com,1,2023/12/12,2023/12/18"),
            Err("WEBURL \"ftp://a.com\": no http(s) link can be read from it".into())
        );
        assert!(read("x,a.com:99999,1,2023/12/12,2023/12/18")
            .unwrap_err()
            .starts_with("WEBURL \"a.com:99999\": "));
    }

    #[test]
    fn a_count_must_be_a_whole_number_from_one() {
        let with_count = |cnt: &str| read(&format!("x,www.0857.games,{cnt},2023/12/12,2023/12/18"));
        assert_eq!(with_count("x"), Err("CNT \"x\" is not a whole number of reports".into()));
        assert_eq!(with_count("-1"), Err("CNT \"-1\" is not a whole number of reports".into()));
        assert_eq!(with_count("1.5"), Err("CNT \"1.5\" is not a whole number of reports".into()));
        assert_eq!(with_count(""), Err("CNT \"\" is not a whole number of reports".into()));
        assert_eq!(with_count("0"), Err("CNT is 0, but a listed site has at least one report".into()));
        assert_eq!(
            with_count("99999999999"),
            Err("CNT \"99999999999\" is too large to be a number of reports".into())
        );
        assert_eq!(with_count(" 4 ").map(|r| r.reports), Ok(4));
    }

    #[test]
    fn dates_must_be_real_and_the_window_must_not_end_before_it_starts() {
        let with_dates = |s: &str, e: &str| read(&format!("x,www.0857.games,1,{s},{e}")).map(|r| r.window);
        assert_eq!(
            with_dates("2024/2/29", "2024-03-01"),
            Ok(Some(("2024-02-29".into(), "2024-03-01".into())))
        );
        assert_eq!(
            with_dates("2023/12/12", "2023/12/12"),
            Ok(Some(("2023-12-12".into(), "2023-12-12".into())))
        );
        assert_eq!(
            with_dates("2023/02/29", "2023/03/01"),
            Err("STA_SDATE \"2023/02/29\" is not a real date written YYYY/MM/DD".into())
        );
        for bad in [
            "2023/13/01",
            "2023/00/10",
            "2023/04/31",
            "112/12/12",
            "2023/12",
            "2023/12/12/1",
            "",
            "二〇二三/1/1",
            "2023/+1/01",
        ] {
            assert_eq!(
                with_dates("2023/12/12", bad),
                Err(format!("STA_EDATE {bad:?} is not a real date written YYYY/MM/DD"))
            );
        }
        assert_eq!(
            with_dates("2023/12/18", "2023/12/12"),
            Err("the window ends on 2023-12-12, before it starts on 2023-12-18".into())
        );
        assert!(with_dates("1900/02/29", "1900/03/01").is_err());
        assert!(with_dates("2000/02/29", "2000/03/01").is_ok());
    }
}
