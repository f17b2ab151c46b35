//! Parsers for takedown feeds as they arrive: the vendor's e-mailed notice, Taiwan's 165
//! open data CSV and plain lists of links, read line by line so an import can show every
//! problem with its line before anything is stored.

mod notice;
mod open_data;
mod plain_list;

use std::fmt;
use std::net::IpAddr;

use crate::canon::canonicalize;
use crate::domain::is_listed_site;
use crate::extract::Candidate;

pub use notice::{parse_notice, NoticeEntry, NoticeError};

/// The longest line a feed may have, in bytes (without its line ending). Longer lines are
/// reported as problems without being read, so hostile input cannot make one line costly;
/// real feed lines are under 300 bytes.
pub const MAX_LINE_BYTES: usize = 4096;

/// The formats an import understands.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FeedFormat {
    /// The takedown vendor's notice: alert lines (`E7800746 (C7800745) hxxps://… 89.106.207.153`)
    /// and sites named in 【】 among prose.
    VendorNotice,
    /// Taiwan's 165 anti-fraud open data CSV (`WEBSITE_NM,WEBURL,CNT,STA_SDATE,STA_EDATE`).
    OpenData165,
    /// One link or domain name per line, defanged or not; `#` starts a comment line.
    PlainList,
}

impl FeedFormat {
    /// Every format, in the order an import form lists them.
    pub const ALL: [Self; 3] = [Self::VendorNotice, Self::OpenData165, Self::PlainList];

    /// The short code a form or command line names the format by: `vendor`, `165`, `list`.
    pub fn code(self) -> &'static str {
        match self {
            Self::VendorNotice => "vendor",
            Self::OpenData165 => "165",
            Self::PlainList => "list",
        }
    }

    /// The format whose [`code`](Self::code) is exactly `code`.
    pub fn parse(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|format| format.code() == code)
    }
}

/// Which format a text is in: the 165 CSV when its first line is the 165 header (with or
/// without a byte-order mark), a vendor notice when any line is an alert line or names a
/// site in 【】, and otherwise a plain list.
pub fn detect_format(text: &str) -> FeedFormat {
    let text = without_bom(text);
    // Lines too long to be read are too long to decide by, too.
    let readable = |line: &&str| line.len() <= MAX_LINE_BYTES;
    if text.lines().next().filter(readable).is_some_and(open_data::is_header) {
        return FeedFormat::OpenData165;
    }
    if text.lines().filter(readable).any(|line| notice::is_alert_line(line) || notice::names_a_site(line)) {
        FeedFormat::VendorNotice
    } else {
        FeedFormat::PlainList
    }
}

/// One site named by one line of a feed.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FeedRow {
    /// The line's number in the input text, from 1.
    pub line: usize,
    /// The link, canonical (`url::Url` form, as [`NoticeEntry::url`]), without fragment.
    pub url: String,
    /// The host the engine's look-ups see for this link ([`crate::CanonicalUrl::host_str`]):
    /// a lower-case host name (punycode) or an IP address.
    pub host: String,
    /// The vendor's alert ID (`E7800746`), when the line has one.
    pub alert_id: Option<String>,
    /// The vendor's case ID (`C7800745`), when the line has one.
    pub case_id: Option<String>,
    /// The hosting IP address the vendor saw, when given.
    pub hosting_ip: Option<String>,
    /// The site's name in the 165 data (`WEBSITE_NM`), trimmed, when not empty.
    pub site_name: Option<String>,
    /// How many reports the line stands for: the 165 data's `CNT` (at least 1), 1 otherwise.
    pub reports: u32,
    /// The 165 data's reporting window (`STA_SDATE`, `STA_EDATE`) as `YYYY-MM-DD`.
    pub window: Option<(String, String)>,
}

/// A line that could not be read, and why, in words a security analyst understands.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FeedProblem {
    /// The line's number in the input text, from 1.
    pub line: usize,
    /// Why the line was not read (`the reported link is not a valid http(s) link`).
    pub reason: String,
}

impl fmt::Display for FeedProblem {
    /// Writes `line N: reason`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "line {}: {}", self.line, self.reason)
    }
}

/// What a feed holds.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ParsedFeed {
    /// The format it was read as.
    pub format: FeedFormat,
    /// Every site read, one per line that names one, in line order. Repeated sites are kept:
    /// merging them is the caller's decision.
    pub rows: Vec<FeedRow>,
    /// Every line that could not be read, in line order.
    pub problems: Vec<FeedProblem>,
    /// How many lines were read, skipped ones (blank, prose, headers, comments) included.
    pub lines: usize,
}

/// Reads a feed in `format`: every row it can, every problem with its line. Never fails
/// as a whole: an import previews the problems and decides.
pub fn parse_feed(text: &str, format: FeedFormat) -> ParsedFeed {
    parse_lines(without_bom(text), format, 1)
}

/// [`parse_feed`] of a part of a feed that starts at line `first_line` (a part after the
/// first carries no byte-order mark): every line is read on its own, so a big feed can be
/// read in parts side by side and the parts joined in order. `lines` counts this part's.
pub fn parse_lines(text: &str, format: FeedFormat, first_line: usize) -> ParsedFeed {
    let mut feed = ParsedFeed { format, rows: Vec::new(), problems: Vec::new(), lines: 0 };
    for (index, line) in text.lines().enumerate() {
        let number = first_line + index;
        feed.lines = index + 1;
        let read = if line.len() > MAX_LINE_BYTES {
            Some(Err(format!("line is longer than {MAX_LINE_BYTES} bytes")))
        } else {
            match format {
                FeedFormat::VendorNotice => notice::read_feed_line(line, number),
                FeedFormat::OpenData165 => open_data::read_line(line, number),
                FeedFormat::PlainList => plain_list::read_line(line, number),
            }
        };
        match read {
            None => {}
            Some(Ok(row)) => feed.rows.push(row),
            Some(Err(reason)) => feed.problems.push(FeedProblem { line: number, reason }),
        }
    }
    feed
}

/// The text without the byte-order mark Windows tools put in front of UTF-8 files.
fn without_bom(text: &str) -> &str {
    text.strip_prefix('\u{FEFF}').unwrap_or(text)
}

/// The canonical URL (without fragment) and host of a link candidate, as the takedown
/// database stores them.
fn url_and_host(candidate: &Candidate) -> Option<(String, String)> {
    let mut url = url::Url::parse(&candidate.value).ok()?;
    let host = url.host_str()?.to_owned();
    url.set_fragment(None);
    Some((url.into(), host))
}

/// The host the engine's look-ups compute for `url`. The `url` crate and the Safe Browsing
/// canonicaliser agree on hosts nearly always (on every row of the 165 data), but not on
/// all (`kgi357.com.` keeps its dot in one only); a takedown stored under the other
/// spelling would never match, so the feed takes the look-ups' own.
fn lookup_host(url: &str) -> Result<String, String> {
    let canonical = canonicalize(url).map_err(|e| format!("the link cannot be checked: {e}"))?;
    Ok(canonical.host_str().to_owned())
}

/// The URL and look-up host of a link from a list or the 165 data, which must name a site
/// someone can visit: an IP address, or a name under a suffix the Public Suffix List knows.
/// A bare domain only counts as a link under a listed suffix ([`crate::extract`]); a
/// scheme, written or added, does not lift that rule, so `http://bitgin` is no site either.
fn listed_site(candidate: &Candidate) -> Result<(String, String), String> {
    let (url, _) = url_and_host(candidate).ok_or("the link is not a valid http(s) link")?;
    let host = lookup_host(&url)?;
    if host.parse::<IpAddr>().is_err() && !is_listed_site(&host) {
        return Err(format!("the host {host:?} is not under a known top-level domain"));
    }
    Ok((url, host))
}

/// A row for a site read from `line`, with nothing but its link known.
fn plain_row(line: usize, url: String, host: String) -> FeedRow {
    FeedRow {
        line,
        url,
        host,
        alert_id: None,
        case_id: None,
        hosting_ip: None,
        site_name: None,
        reports: 1,
        window: None,
    }
}

#[cfg(test)]
mod tests;
