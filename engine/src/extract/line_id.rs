//! LINE IDs: `@abc123` official-account style, the ID after a label ("加LINE：abc123",
//! "加賴 abc123", "LINE ID: abc123"), and the ID inside a `line.me/ti/p/~abc` link.
//! A `lin.ee/…` short link hides its ID, so it gives a link and no LINE ID.

use url::Url;

use super::{CandidateKind, LinkSpan, Sink};
use crate::domain::has_public_suffix;

/// IDs in running text: LINE allows 4–20 characters; official-account IDs are shorter
/// with their `@`, so 3 is the floor.
const TEXT_ID_LEN: std::ops::RangeInclusive<usize> = 3..=20;
/// IDs inside a `line.me` link are whatever the link opens; only their length is bounded.
const LINK_ID_LEN: std::ops::RangeInclusive<usize> = 1..=32;
/// Further than this, a run of ID characters is no ID; the scan stops looking.
const MAX_TOKEN: usize = 64;

/// The hosts whose links open a LINE chat, the only ones [`from_url`] reads an ID from.
const CHAT_HOSTS: [&str; 3] = ["line.me", "www.line.me", "page.line.me"];

/// Whether a link to `host` (in any letter case) may open a LINE chat, so that its LINE ID
/// must be read with [`from_url`]; no link to any other host holds one.
pub(super) fn is_chat_host(host: &str) -> bool {
    CHAT_HOSTS.iter().any(|chat| chat.eq_ignore_ascii_case(host))
}

/// The LINE ID a `line.me` link opens: `line.me/ti/p/~abc`, `line.me/R/ti/p/@abc`,
/// `line.me/R/ti/p/%40abc`, `page.line.me/abc`.
pub(super) fn from_url(url: &Url) -> Option<String> {
    let mut segments = url.path_segments()?;
    let host = url.host_str()?;
    if !is_chat_host(host) {
        return None;
    }
    let id = match host {
        "line.me" | "www.line.me" => {
            let mut first = segments.next()?;
            if first.eq_ignore_ascii_case("r") {
                first = segments.next()?;
            }
            if !(first.eq_ignore_ascii_case("ti") && segments.next()?.eq_ignore_ascii_case("p")) {
                return None;
            }
            segments.next()?
        }
        "page.line.me" => segments.next()?,
        _ => return None,
    };
    let id = strip_prefix_ignore_case(id, "%40").or_else(|| id.strip_prefix(['@', '~'])).unwrap_or(id);
    normalize(id.as_bytes(), LINK_ID_LEN)
}

fn strip_prefix_ignore_case<'a>(s: &'a str, prefix: &str) -> Option<&'a str> {
    let head = s.get(..prefix.len())?;
    head.eq_ignore_ascii_case(prefix).then(|| &s[prefix.len()..])
}

/// The lower-case ID, if `id` is made of LINE ID characters, starts with a letter or digit,
/// and has an allowed length.
fn normalize(id: &[u8], len: std::ops::RangeInclusive<usize>) -> Option<String> {
    let valid = len.contains(&id.len())
        && id.first().is_some_and(u8::is_ascii_alphanumeric)
        && id.iter().all(|&b| is_id_byte(b));
    valid.then(|| id.iter().map(|b| char::from(b.to_ascii_lowercase())).collect())
}

/// The bytes an ID or its label can start with: `@`, the `l` of `LINE`, the first byte of 賴.
fn is_id_start(b: u8) -> bool {
    matches!(b, b'@' | b'l' | b'L' | 0xE8)
}

fn is_id_byte(b: u8) -> bool {
    b.is_ascii_alphanumeric() || matches!(b, b'.' | b'_' | b'-')
}

/// Finds the LINE IDs of `text`, skipping the bytes of links except to read `line.me` IDs.
pub(super) fn scan(text: &str, spans: &[LinkSpan], sink: &mut Sink) {
    let mut scanner = Scanner { bytes: text.as_bytes(), spans, next_span: 0, sink };
    scanner.run();
}

struct Scanner<'t, 's> {
    bytes: &'t [u8],
    spans: &'t [LinkSpan],
    /// The first span that does not end before the current position.
    next_span: usize,
    sink: &'s mut Sink,
}

impl Scanner<'_, '_> {
    fn run(&mut self) {
        let bytes = self.bytes;
        let mut at = 0;
        while at < bytes.len() && !self.sink.is_full() {
            if let Some(span) = self.spans.get(self.next_span) {
                if at >= span.range.start {
                    if let Some(id) = &span.line_id {
                        self.sink.push(span.range.clone(), CandidateKind::LineId, id.clone());
                    }
                    at = at.max(span.range.end);
                    self.next_span += 1;
                    continue;
                }
            }
            let next = match bytes[at] {
                b'@' => self.at_sign(at),
                b'l' | b'L' => self.line_label(at),
                // 0xE8 leads the UTF-8 of 賴; testing it first keeps ASCII text cheap.
                0xE8 if bytes[at..].starts_with("賴".as_bytes()) => self.label_rest(at, at + "賴".len()),
                0xE8 => None,
                // Only `@`, `LINE` and `賴` start an ID or its label: the bytes up to the next
                // of them (or the next link) are passed over at once.
                _ => {
                    let limit = self.spans.get(self.next_span).map_or(bytes.len(), |span| span.range.start);
                    let skip = bytes[at + 1..limit].iter().take_while(|&&b| !is_id_start(b)).count();
                    Some(at + 1 + skip)
                }
            };
            at = next.unwrap_or(at + 1);
        }
    }

    /// `@abc123`, unless the `@` belongs to an e-mail address or a word.
    fn at_sign(&mut self, at: usize) -> Option<usize> {
        if at > 0 {
            let before = self.bytes[at - 1];
            if before.is_ascii_alphanumeric()
                || matches!(before, b'.' | b'_' | b'%' | b'+' | b'-' | b'@' | b'/' | b'=')
            {
                return None;
            }
        }
        self.take_id(at, at + 1)
    }

    /// `LINE` (any case) as a label: `加LINE：abc`, `LINE ID: abc`, `LINE@abc`.
    fn line_label(&mut self, at: usize) -> Option<usize> {
        let bytes = self.bytes;
        if at > 0 && bytes[at - 1].is_ascii_alphabetic() {
            return None; // `online`
        }
        let end = at + 4;
        if !bytes.get(at..end)?.eq_ignore_ascii_case(b"line") {
            return None;
        }
        // `lines`, `linear`, `line.me` are words or links; `LINEID` is a label.
        match bytes.get(end) {
            Some(b) if b.is_ascii_alphanumeric() && !starts_with_id_word(&bytes[end..]) => None,
            Some(b'.') => None,
            _ => self.label_rest(at, end),
        }
    }

    /// The part of a label after `LINE` or `賴`, then the ID. The word alone is not enough
    /// (賴 is a surname): it must be preceded by 加 ("add"), or followed by `ID`, `@` or a colon.
    fn label_rest(&mut self, label_start: usize, mut at: usize) -> Option<usize> {
        let bytes = self.bytes;
        let added = added_before(bytes, label_start);
        let mut flagged = added;
        if bytes.get(at) == Some(&b'@') {
            flagged = true; // `LINE@`, the old name of official accounts
            at += 1;
        }
        at = skip_spaces(bytes, at);
        if starts_with_id_word(&bytes[at..]) {
            flagged = true;
            at = skip_spaces(bytes, at + 2);
        }
        if bytes.get(at) == Some(&b':') {
            flagged = true;
            at = skip_spaces(bytes, at + 1);
        }
        if !flagged {
            return None;
        }
        self.take_id(at, at + usize::from(matches!(bytes.get(at), Some(b'@' | b'~'))))
    }

    /// The ID whose text starts at `id_start` (after any `@`/`~` that begins at `from`).
    fn take_id(&mut self, from: usize, id_start: usize) -> Option<usize> {
        let bytes = self.bytes;
        let run = bytes[id_start..].iter().take(MAX_TOKEN + 1).take_while(|&&b| is_id_byte(b)).count();
        if run > MAX_TOKEN {
            return None;
        }
        let mut end = id_start + run;
        // A link or e-mail address continues here: not an ID.
        let next = bytes.get(end..).unwrap_or_default();
        if next.first() == Some(&b'@') || next.first() == Some(&b'/') || next.starts_with(b"://") {
            return None;
        }
        if self.spans.get(self.next_span).is_some_and(|s| s.range.start < end) {
            return None;
        }
        while end > id_start && matches!(bytes[end - 1], b'.' | b'_' | b'-') {
            end -= 1; // sentence punctuation
        }
        let id = &bytes[id_start..end];
        let id_text = std::str::from_utf8(id).ok()?;
        if id.contains(&b'.') && has_public_suffix(&id_text.to_ascii_lowercase()) {
            return None; // a domain name; the link scanner has it
        }
        let value = normalize(id, TEXT_ID_LEN)?;
        self.sink.push(from..end, CandidateKind::LineId, value);
        Some(end)
    }
}

fn starts_with_id_word(bytes: &[u8]) -> bool {
    bytes.len() >= 2
        && bytes[..2].eq_ignore_ascii_case(b"id")
        && !bytes.get(2).is_some_and(u8::is_ascii_alphanumeric)
}

fn skip_spaces(bytes: &[u8], at: usize) -> usize {
    at + bytes[at..].iter().take(3).take_while(|&&b| b == b' ' || b == b'\t').count()
}

/// Whether 加 or 加入 ("add") comes right before `at`, with at most one space between.
fn added_before(bytes: &[u8], at: usize) -> bool {
    let mut before = &bytes[..at];
    if let Some(rest) = before.strip_suffix(b" ") {
        before = rest;
    }
    before.ends_with("加".as_bytes()) || before.ends_with("加入".as_bytes())
}
