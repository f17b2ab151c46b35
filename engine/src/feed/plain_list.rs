//! Plain lists: one link or domain name per line, as analysts paste them from a chat or a
//! spreadsheet, defanged or not, with or without a scheme.

use crate::extract::extract;

use super::{listed_site, plain_row, FeedRow};

/// One line of a list: `None` for a blank line or a `#` comment, otherwise the site it names
/// or why it cannot be read. The extractor reads the link, so the same disguises a message
/// may use (`hxxps://`, `[.]`, `(.)`, `[:]//`, `。`, full-width letters) are undone here too.
pub(super) fn read_line(line: &str, number: usize) -> Option<Result<FeedRow, String>> {
    let line = line.trim();
    if line.is_empty() || line.starts_with('#') {
        return None;
    }
    let links: Vec<_> = extract(line).into_iter().filter(|c| c.kind.is_link()).collect();
    Some(match links.as_slice() {
        [] => Err("the line holds no link or domain name".to_owned()),
        [link] => listed_site(link).map(|(url, host)| plain_row(number, url, host)),
        // Which of them is the site to take down is the analyst's call, not ours.
        more => Err(format!("the line holds {} links; a list has one per line", more.len())),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn site(line: &str) -> Result<(String, String), String> {
        read_line(line, 3).expect("not skipped").map(|row| (row.url, row.host))
    }

    #[test]
    fn defanged_and_plain_links_and_domains_are_read_alike() {
        let expected = Ok(("https://kkpp.kgi357.com/index/login".to_owned(), "kkpp.kgi357.com".to_owned()));
        for line in [
            "https://kkpp.kgi357.com/index/login",
            "hxxps://kkpp[.]kgi357[.]com/index/login",
            "hxxps[:]//kkpp(.)kgi357(.)com/index/login",
            "  HXXPS://KKPP[.]KGI357[.]COM/index/login  ",
            "https://kkpp.kgi357.com/index/login#top",
        ] {
            assert_eq!(site(line), expected, "{line}");
        }
        for line in [
            "kgi357.com",
            "kgi357[.]com",
            "kgi357。com",
            "ｋｇｉ３５７．ｃｏｍ",
            "kgi357．com",
            "http://kgi357.com",
        ] {
            assert_eq!(site(line), Ok(("http://kgi357.com/".to_owned(), "kgi357.com".to_owned())), "{line}");
        }
        assert_eq!(
            site("89[.]106[.]207[.]153/index"),
            Ok(("http://89.106.207.153/index".into(), "89.106.207.153".into()))
        );
    }

    #[test]
    fn every_row_of_a_list_counts_once_and_has_its_line() {
        let row = read_line("kgi357.com", 12).unwrap().unwrap();
        assert_eq!((row.line, row.reports, row.window, row.site_name), (12, 1, None, None));
    }

    #[test]
    fn blank_lines_and_comments_are_skipped() {
        assert_eq!(read_line("", 1), None);
        assert_eq!(read_line(" \t ", 1), None);
        assert_eq!(read_line("# from the 11/27 vendor mail: kgi357.com", 1), None);
    }

    #[test]
    fn a_line_with_no_link_or_with_two_is_a_problem() {
        assert_eq!(site("資安部："), Err("the line holds no link or domain name".into()));
        assert_eq!(site("readme.txt"), Err("the line holds no link or domain name".into()));
        assert_eq!(
            site("kgi357.com kgi599.com"),
            Err("the line holds 2 links; a list has one per line".into())
        );
        assert_eq!(
            site("hxxps://a[.]kgi357[.]com 89.106.207.153"),
            Err("the line holds 2 links; a list has one per line".into())
        );
    }

    #[test]
    fn a_link_to_a_name_under_no_known_suffix_is_a_problem() {
        assert_eq!(
            site("http://bitgin/login"),
            Err("the host \"bitgin\" is not under a known top-level domain".into())
        );
    }
}
