//! The vendor's e-mailed takedown notice, with defanged lines such as
//! `E7800746 (C7800745) hxxps://kkpp[.]kgi357[.]com/index/login 89.106.207.153`: the strict
//! reader the demo loader uses, and the line reader it shares with [`super::parse_feed`].

use crate::extract::{extract, Candidate, CandidateKind};
use crate::host::is_ipv4;

use super::{lookup_host, plain_row, url_and_host, FeedRow};

/// One site named in a takedown notice.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NoticeEntry {
    /// The vendor's alert ID (`E7800746`), when the line has one.
    pub alert_id: Option<String>,
    /// The vendor's case ID (`C7800745`), when the line has one.
    pub case_id: Option<String>,
    /// The reported link, canonical.
    pub url: String,
    /// Its host name or IPv4 address.
    pub host: String,
    /// The hosting IP address the vendor saw, when given.
    pub hosting_ip: Option<String>,
}

/// A notice line that looks like an entry but cannot be read.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
#[error("line {line}: {reason}")]
pub struct NoticeError {
    /// The line's number in the notice, from 1.
    pub line: usize,
    /// Why the line cannot be read, in plain words.
    pub reason: &'static str,
}

/// Reads every entry of a vendor notice. Prose lines ("資安部：") are skipped; a line
/// that starts with an alert ID or names a site in 【】 must be complete, or the
/// whole notice is refused, naming the line.
pub fn parse_notice(text: &str) -> Result<Vec<NoticeEntry>, NoticeError> {
    let mut entries = Vec::new();
    for (number, line) in text.lines().enumerate() {
        let Some(parsed) = read_line(line) else { continue };
        entries.push(parsed.map_err(|reason| NoticeError { line: number + 1, reason })?);
    }
    Ok(entries)
}

/// One line of a notice: `None` for prose, otherwise the entry it names or why it cannot
/// be read. Both readers of a notice go through here, so they agree on every line.
pub(super) fn read_line(line: &str) -> Option<Result<NoticeEntry, &'static str>> {
    let line = line.trim();
    if starts_with_alert_id(line) {
        Some(parse_alert_line(line))
    } else {
        bracketed_site(line).map(parse_named_site)
    }
}

/// One line of a notice as a feed row: `None` for prose, otherwise the site it names (with
/// the look-ups' host, see [`lookup_host`]) or why it cannot be read.
pub(super) fn read_feed_line(line: &str, number: usize) -> Option<Result<FeedRow, String>> {
    let entry = match read_line(line)? {
        Ok(entry) => entry,
        Err(reason) => return Some(Err(reason.to_owned())),
    };
    Some(lookup_host(&entry.url).map(|host| FeedRow {
        alert_id: entry.alert_id,
        case_id: entry.case_id,
        hosting_ip: entry.hosting_ip,
        ..plain_row(number, entry.url, host)
    }))
}

/// Whether a line is plainly an alert line, for telling a notice from other feeds: its
/// first word is an alert ID (`E` and digits only) and more follows. Stricter than the
/// reader's own test, so a plain list holding `E5.com` is not taken for a notice (which
/// would skip its other lines as prose).
pub(super) fn is_alert_line(line: &str) -> bool {
    let mut words = line.split_whitespace();
    let is_alert_id = |word: &str| {
        word.strip_prefix('E')
            .is_some_and(|digits| !digits.is_empty() && digits.bytes().all(|b| b.is_ascii_digit()))
    };
    words.next().is_some_and(is_alert_id) && words.next().is_some()
}

/// Whether a line names a site in 【】, as `確認【2311915.ec66.tw】非公司網站` does.
pub(super) fn names_a_site(line: &str) -> bool {
    bracketed_site(line).is_some()
}

fn starts_with_alert_id(line: &str) -> bool {
    let mut chars = line.chars();
    chars.next() == Some('E') && chars.next().is_some_and(|c| c.is_ascii_digit())
}

/// `E7800746 (C7800745) hxxps://… 89.106.207.153`
fn parse_alert_line(line: &str) -> Result<NoticeEntry, &'static str> {
    let mut fields = line.split_whitespace();
    let alert_id = fields.next().ok_or("missing alert ID")?;
    let case_id = fields
        .next()
        .and_then(|f| f.strip_prefix('(')?.strip_suffix(')'))
        .filter(|c| c.starts_with('C') && c.len() > 1)
        .ok_or("missing case ID in parentheses after the alert ID")?;
    let link = fields.next().ok_or("missing the reported link")?;
    let hosting_ip = match fields.next() {
        Some(ip) if is_ipv4(ip) => Some(ip.to_owned()),
        Some(_) => return Err("the field after the link is not an IPv4 address"),
        None => None,
    };
    if fields.next().is_some() {
        return Err("unexpected text after the hosting IP address");
    }
    let found = extract(link);
    let (url, host) = match found.as_slice() {
        [c] if c.kind == CandidateKind::Url => url_and_host(c),
        _ => None,
    }
    .ok_or("the reported link is not a valid http(s) link")?;
    Ok(NoticeEntry {
        alert_id: Some(alert_id.to_owned()),
        case_id: Some(case_id.to_owned()),
        url,
        host,
        hosting_ip,
    })
}

/// The text between 【 and 】, as in `確認【2311915.ec66.tw】非公司網站`.
fn bracketed_site(line: &str) -> Option<&str> {
    let start = line.find('【')? + '【'.len_utf8();
    let end = start + line[start..].find('】')?;
    let inside = &line[start..end];
    // Bulletin-style labels (【重要提醒】) are words, not sites.
    inside.contains(['.', '[', '。']).then_some(inside)
}

fn parse_named_site(named: &str) -> Result<NoticeEntry, &'static str> {
    let links: Vec<Candidate> = extract(named).into_iter().filter(|c| c.kind.is_link()).collect();
    let (url, host) = match links.as_slice() {
        [c] => url_and_host(c),
        _ => None,
    }
    .ok_or("the site named in 【】 is not a valid domain or link")?;
    Ok(NoticeEntry { alert_id: None, case_id: None, url, host, hosting_ip: None })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_vendor_alert_line_gives_ids_link_and_hosting_ip() {
        let entries =
            parse_notice("E7800746 (C7800745) hxxps://kkpp[.]kgi357[.]com/index/login 89.106.207.153")
                .unwrap();
        assert_eq!(
            entries,
            [NoticeEntry {
                alert_id: Some("E7800746".into()),
                case_id: Some("C7800745".into()),
                url: "https://kkpp.kgi357.com/index/login".into(),
                host: "kkpp.kgi357.com".into(),
                hosting_ip: Some("89.106.207.153".into()),
            }]
        );
    }

    #[test]
    fn a_link_on_a_raw_ip_has_the_ip_as_host() {
        let entries = parse_notice("E7801181 (C7801180) hxxps://89[.]106[.]207[.]153/index/login").unwrap();
        assert_eq!(entries[0].host, "89.106.207.153");
        assert_eq!(entries[0].hosting_ip, None);
    }

    #[test]
    fn a_site_named_in_brackets_is_an_entry_and_prose_is_skipped() {
        let text = "資安部：\n確認【2311915.ec66.tw】非公司網站，已請委外廠商RSA下架。\n【重要提醒】請認明";
        let entries = parse_notice(text).unwrap();
        assert_eq!(entries.len(), 1);
        assert_eq!(entries[0].host, "2311915.ec66.tw");
        assert_eq!(entries[0].alert_id, None);
    }

    #[test]
    fn a_broken_alert_line_refuses_the_notice_naming_the_line() {
        let text = "資安部：\nE7800746 C7800745 hxxps://kkpp[.]kgi357[.]com/";
        assert_eq!(
            parse_notice(text),
            Err(NoticeError { line: 2, reason: "missing case ID in parentheses after the alert ID" })
        );
        let bad_ip = "E1 (C2) hxxps://a[.]kgi357[.]com/ not-an-ip";
        assert_eq!(
            parse_notice(bad_ip).unwrap_err().reason,
            "the field after the link is not an IPv4 address"
        );
    }
}
