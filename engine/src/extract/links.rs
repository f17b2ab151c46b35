//! Links: URLs with an `http(s)` scheme, bare domains with a real public suffix, bare IPv4
//! addresses, and the `user@host` trick that puts a trusted name in front of the real host.
//!
//! **Names in Chinese without a scheme** (`凱基客服.net`, `中文網址.台灣`). Chinese has no
//! spaces, so where such a label starts is a guess; the rule is:
//!
//! 1. The label is the run of CJK letters (Han, kana, Hangul) right before the dot, at most
//!    [`MAX_CJK_LABEL_CHARS`] of them; punctuation (`：`, `】`, `，`) ends it. After the dot
//!    comes an ASCII ending (`net`, `com.tw`) or one in Chinese (`台灣`), and the name must
//!    be under a listed public suffix, as for any bare domain. The cleaner has already made
//!    `。` and `點` a dot here when a common ending follows (`凱基客服。com`).
//! 2. The label starts after the last lead-in phrase (`請至`, `請上`, `前往`, `登入`,
//!    `網址是`, `官網`, …, see [`LEAD_INS`]) that leaves at least [`MIN_CJK_LABEL_CHARS`]
//!    characters: `請至凱基客服.net驗證` gives `凱基客服.net`.
//! 3. Then single-character lead-ins (`請 至 到 去 於 在 往`) are dropped from its front while
//!    that many characters remain, except where they begin a common name (`至尊`, `在線`).
//!    `上` is never dropped: it begins names such as `上海銀行.com`.
//! 4. A run longer than the limit with no lead-in phrase in its last characters is a
//!    sentence, not a name: nothing is found. So is a label directly after a link (the
//!    Chinese part of a path, `https://a.tw/凱基.com`).
//! 5. ASCII labels glued in front (`www.凱基.tw`, `kgi凱基.com`) belong to the host when no
//!    lead-in phrase cut the label.
//!
//! The value is `http://` and the host as written (Unicode); the canonicaliser turns it into
//! punycode. The label is read backwards at most [`MAX_CJK_LABEL_CHARS`] characters from a
//! dot, never into the run of link characters before it, so the scan stays linear.

use std::net::Ipv4Addr;
use std::ops::Range;

use url::Url;

use super::{char_at, is_cjk, is_cjk_letter, line_id, plain_url, CandidateKind, LinkSpan, Sink};
use crate::domain::{is_listed_site, is_public_suffix};
use crate::host::is_domain_name;

/// Finds the links of `text`, recording where each one sits in `spans` (in text order).
pub(super) fn scan(text: &str, sink: &mut Sink, spans: &mut Vec<LinkSpan>) {
    let mut scanner = Scanner { text, bytes: text.as_bytes(), sink, spans, host: String::new() };
    let mut at = 0;
    // The last run of link characters, which a label in Chinese before a dot cannot reach into.
    let mut previous_run = 0..0;
    while at < text.len() && !scanner.sink.is_full() {
        // U+3000 to U+9FFF, the Chinese of a message, holds no link character (a test
        // checks this): passed over from the first byte (0xE3 to 0xE9), without decoding.
        if matches!(scanner.bytes[at], 0xE3..=0xE9) {
            at += 3;
            continue;
        }
        let (c, len) = char_at(text, at);
        if !is_link_char(c) {
            at += len;
            continue;
        }
        if c == '.' {
            if let Some(end) = scanner.cjk_host(at, previous_run.clone()) {
                previous_run = at..end;
                at = end;
                continue;
            }
        }
        let start = at;
        at = run_end(text, at);
        scanner.run(start, at);
        previous_run = start..at;
    }
}

/// The most CJK letters read back from a dot as a host label. Sixteen Han characters are
/// about the 63 bytes DNS allows a label once in punycode; a longer run is prose.
const MAX_CJK_LABEL_CHARS: usize = 16;

/// The fewest characters a label in Chinese keeps when a lead-in is cut off its front.
const MIN_CJK_LABEL_CHARS: usize = 2;

/// Phrases that send the reader to an address, after which a name in Chinese starts
/// (Traditional first, then the Simplified forms scam texts also use).
const LEAD_INS: [&str; 44] = [
    "請至",
    "請上",
    "請到",
    "請去",
    "請往",
    "請於",
    "請進入",
    "請登入",
    "請登錄",
    "請點擊",
    "請點選",
    "請輸入",
    "請造訪",
    "請瀏覽",
    "立即至",
    "馬上至",
    "前往",
    "登入",
    "登錄",
    "登陸",
    "進入",
    "網址是",
    "網址為",
    "網址",
    "網站",
    "官網",
    "連結",
    "連到",
    "點擊",
    "點選",
    "輸入",
    "造訪",
    "瀏覽",
    "打開",
    "開啟",
    "下載",
    "详见",
    "请至",
    "请登录",
    "登录",
    "网址",
    "网站",
    "官网",
    "进入",
];

/// Single characters that lead into an address (`至凱基客服.net`), dropped from a label's front.
const LEAD_IN_CHARS: [char; 7] = ['請', '至', '到', '去', '於', '在', '往'];

/// Common starts of names that begin with one of [`LEAD_IN_CHARS`] (`至尊娛樂城`, `在線客服`).
const NAME_STARTS: [&str; 2] = ["至尊", "在線"];

/// Where a host label in Chinese starts in `run`, the CJK letters before a dot (see the
/// module doc); `None` when no label can be told apart. `whole` says whether `run` is the
/// whole run of letters or only its last [`MAX_CJK_LABEL_CHARS`].
fn cjk_label_start(run: &str, whole: bool) -> Option<usize> {
    let chars_from = |offset: usize| run[offset..].chars().count();
    // Tried at each character that some phrase starts with: the run is short, and this is
    // several times cheaper than a substring search per phrase.
    let cut = run
        .char_indices()
        .filter(|&(_, c)| LEAD_INS.iter().any(|phrase| phrase.starts_with(c)))
        .flat_map(|(at, _)| {
            LEAD_INS
                .iter()
                .filter(move |phrase| run[at..].starts_with(*phrase))
                .map(move |phrase| at + phrase.len())
        })
        .filter(|&end| chars_from(end) >= MIN_CJK_LABEL_CHARS)
        .max();
    if cut.is_none() && !whole {
        return None;
    }
    let mut start = cut.unwrap_or(0);
    while let Some(first) = run[start..].chars().next() {
        let rest = &run[start..];
        let droppable = LEAD_IN_CHARS.contains(&first)
            && chars_from(start + first.len_utf8()) >= MIN_CJK_LABEL_CHARS
            && !NAME_STARTS.iter().any(|name| rest.starts_with(name));
        if !droppable {
            break;
        }
        start += first.len_utf8();
    }
    (chars_from(start) >= MIN_CJK_LABEL_CHARS).then_some(start)
}

/// The end of a public suffix in Chinese (`台灣`, `中國`) at `from`, the longest of at
/// most four CJK letters, when neither an ASCII letter nor a digit follows it.
fn cjk_suffix_end(text: &str, from: usize) -> Option<usize> {
    let mut ends = [0; 4];
    let mut count = 0;
    for (offset, c) in text[from..].char_indices() {
        if count == ends.len() || !is_cjk_letter(c) {
            break;
        }
        ends[count] = from + offset + c.len_utf8();
        count += 1;
    }
    ends[..count].iter().rev().copied().find(|&end| {
        let glued = text.as_bytes().get(end).is_some_and(|&b| b.is_ascii_alphanumeric() || b == b'-');
        // The letters are already NFKC, which is all the IDNA mapping would do to them.
        !glued
            && idna::punycode::encode_str(&text[from..end])
                .is_some_and(|encoded| is_public_suffix(&format!("xn--{encoded}")))
    })
}

/// The end of the run of link characters starting at `start`. Inside the host of a link
/// with a scheme, a label in Chinese or Japanese followed by a dot (`http://凱基.tw`)
/// belongs to the link; anywhere else such text ends it (`請至kgi357.com驗證`).
fn run_end(text: &str, start: usize) -> usize {
    let bytes = text.as_bytes();
    let mut at = start;
    let mut in_host = false;
    while at < text.len() {
        let b = bytes[at];
        if b.is_ascii() {
            // Most of a link: one table look-up a byte. An ASCII character that is no link
            // character is no letter either, so it ends the run.
            if !(b.is_ascii_alphanumeric() || LINK_PUNCTUATION[usize::from(b)]) {
                break;
            }
            match b {
                b'/' if at >= start + 2 && bytes[at - 2..at] == *b":/" => in_host = true,
                b'/' | b'?' | b'#' => in_host = false,
                _ => {}
            }
            at += 1;
            continue;
        }
        let (c, len) = char_at(text, at);
        if is_link_char(c) {
            at += len;
            continue;
        }
        if !(in_host && c.is_alphanumeric()) {
            break;
        }
        let label_end = idn_label_end(text, at);
        let dot_then_label = bytes.get(label_end) == Some(&b'.')
            && bytes.get(label_end + 1).is_some_and(|&b| b.is_ascii_alphanumeric() || !b.is_ascii());
        if !dot_then_label {
            break;
        }
        at = label_end;
    }
    at
}

/// The end of a host label of letters from any script (and ASCII digits and hyphens).
fn idn_label_end(text: &str, mut at: usize) -> usize {
    while at < text.len() {
        let (c, len) = char_at(text, at);
        if !(c.is_alphanumeric() || c == '-') {
            break;
        }
        at += len;
    }
    at
}

/// The ASCII punctuation a link can hold, as a table: `is_link_char` runs for every byte of
/// a message, and a look-up is cheaper than searching the set.
const LINK_PUNCTUATION: [bool; 128] = {
    let set = b"-._~:/?#[]@!$&()*+,;=%";
    let mut table = [false; 128];
    let mut i = 0;
    while i < set.len() {
        table[set[i] as usize] = true;
        i += 1;
    }
    table
};

/// Characters a link can be made of in running text. Whitespace, quotes, angle brackets,
/// CJK text and its punctuation (`，。【】「」`) end a link; parentheses and square
/// brackets belong to it and are trimmed afterwards unless balanced.
fn is_link_char(c: char) -> bool {
    if c.is_ascii() {
        c.is_ascii_alphanumeric() || LINK_PUNCTUATION[usize::from(c as u8)]
    } else {
        // The range test first: most non-ASCII text is Chinese, and the Unicode tables
        // behind `is_alphanumeric` are far slower to search.
        !is_cjk(c) && c.is_alphanumeric()
    }
}

/// Characters a host name can be made of. Non-ASCII letters are kept so that a homoglyph
/// domain (`kgі.com` with a Cyrillic `і`) is found whole, for the lookalike check.
#[inline]
fn is_host_char(c: char) -> bool {
    c.is_ascii_alphanumeric() || c == '.' || c == '-' || (!c.is_ascii() && !is_cjk(c) && c.is_alphanumeric())
}

/// What a host written without a scheme is.
enum HostKind {
    Ipv4,
    Domain,
}

struct Scanner<'t, 's> {
    text: &'t str,
    bytes: &'t [u8],
    sink: &'s mut Sink,
    spans: &'s mut Vec<LinkSpan>,
    /// Reused buffer for the lower-case form of a host being checked.
    host: String,
}

impl Scanner<'_, '_> {
    /// One run of link characters: a scheme starts a new link inside it
    /// (`網址:https://a.tw` and `a.tw,https://b.tw` hold two).
    fn run(&mut self, start: usize, end: usize) {
        let mut cursor = start;
        let mut next = find_scheme(self.bytes, start, end);
        while let Some((scheme_start, scheme_len)) = next {
            self.bare(cursor, scheme_start);
            next = find_scheme(self.bytes, scheme_start + scheme_len, end);
            let segment_end = next.map_or(end, |(s, _)| s);
            self.with_scheme(scheme_start, scheme_len, segment_end);
            cursor = segment_end;
        }
        self.bare(cursor, end);
    }

    /// A link written with its scheme: everything up to the end of the segment, less
    /// trailing punctuation. Any host form is accepted if `url` can parse it (asked only when
    /// [`plain_url::host`] cannot tell, or the link may open a LINE chat); decimal, hex and
    /// octal IPv4 spellings are left to the canonicaliser.
    fn with_scheme(&mut self, start: usize, scheme_len: usize, end: usize) {
        let end = trim_end(self.bytes, start, start + scheme_len, end);
        if self.sink.is_full() {
            return;
        }
        let mut line_id = None;
        if end > start + scheme_len {
            let colon = start + scheme_len - 3;
            let mut value = String::with_capacity(end - start);
            value.extend(self.bytes[start..colon].iter().map(|b| char::from(b.to_ascii_lowercase())));
            value.push_str(&self.text[colon..end]);
            let parses = match plain_url::host(&value) {
                Some(host) if !line_id::is_chat_host(host) => true,
                _ => match Url::parse(&value) {
                    Ok(url) if url.host().is_some() => {
                        line_id = line_id::from_url(&url);
                        true
                    }
                    _ => false,
                },
            };
            if parses {
                self.sink.push(start..end, CandidateKind::Url, value);
            }
        }
        // Recorded even when unparsable, so that its digits are not read as a phone number.
        self.spans.push(LinkSpan { range: start..end, line_id });
    }

    /// Links without a scheme in `start..end`: domains, IPv4 addresses, `user@host` tricks.
    fn bare(&mut self, start: usize, end: usize) {
        let mut at = start;
        while at < end && !self.sink.is_full() {
            let (c, len) = char_at(self.text, at);
            if !(is_host_char(c) && c != '.' && c != '-') {
                at += len;
                continue;
            }
            let host_end = self.host_end(at, end);
            if self.bytes.get(host_end) == Some(&b'@') && host_end + 1 < end {
                let after = self.host_end(host_end + 1, end);
                // `www.kgi.com.tw@evil.example/login` is a link to evil.example; anything
                // else with an `@` (`service@kgi.com.tw`) is an e-mail address: no link.
                at = self.userinfo_trick(at..host_end, host_end + 1..after, end).unwrap_or(after);
                continue;
            }
            if at > start {
                let before = self.bytes[at - 1];
                // The domain of an e-mail address whose local part was not host-like
                // (`john_doe@gmail.com`), or the middle of some longer token. A dot or hyphen
                // that starts the run is no token of its own: `.evil.net` on a new line,
                // where a link was broken across lines, still names evil.net.
                let after_local_part = before == b'@' && at - 1 > start;
                let leading_dot = matches!(before, b'.' | b'-') && at - 1 == start;
                if after_local_part || (!leading_dot && b"._-%=&?#~+*$!".contains(&before)) {
                    at = host_end;
                    continue;
                }
            }
            at = self.bare_link(at, host_end, end).unwrap_or(host_end);
        }
    }

    /// A bare host whose label before the dot at `dot` is in Chinese (or Japanese, Korean):
    /// `凱基客服.net`, `中文網址.台灣/login`. `previous_run` is the run of link characters
    /// before the label. Returns where the link ends, or `None` when there is none.
    fn cjk_host(&mut self, dot: usize, previous_run: Range<usize>) -> Option<usize> {
        let text = self.text;
        let mut letters_start = dot;
        let mut letters = 0;
        let mut whole = true;
        for (offset, c) in text[previous_run.end.min(dot)..dot].char_indices().rev() {
            if !is_cjk_letter(c) {
                break;
            }
            if letters == MAX_CJK_LABEL_CHARS {
                whole = false;
                break;
            }
            letters_start = previous_run.end + offset;
            letters += 1;
        }
        if letters == 0 {
            return None;
        }
        // Chinese right after a link is the rest of its path (`https://a.tw/凱基.com`).
        if whole && self.spans.last().is_some_and(|span| span.range.end == letters_start) {
            return None;
        }
        let cut = cjk_label_start(&text[letters_start..dot], whole)?;
        let label_start = letters_start + cut;
        let glued = &self.bytes[previous_run.clone()];
        let host_start = if cut == 0
            && whole
            && previous_run.end == letters_start
            && self.spans.last().is_none_or(|span| span.range.end <= previous_run.start)
            && glued.first().is_some_and(u8::is_ascii_alphanumeric)
            && glued.iter().all(|&b| b.is_ascii_alphanumeric() || b == b'-' || b == b'.')
        {
            previous_run.start
        } else {
            label_start
        };

        let after = dot + 1;
        let (next, _) = char_at(text, after.min(text.len().saturating_sub(1)));
        let (host_end, limit) = if after < text.len() && is_cjk_letter(next) {
            let end = cjk_suffix_end(text, after)?;
            (end, run_end(text, end))
        } else {
            let limit = run_end(text, dot);
            (self.host_end(after, limit), limit)
        };
        let trimmed = trim_host(self.bytes, host_start, host_end);
        if trimmed <= after {
            return None;
        }
        let kind = self.host_kind(host_start..trimmed, true)?;
        let end = if trimmed < host_end { trimmed } else { self.port_and_path(host_start, trimmed, limit) };
        self.push_bare(host_start..end, kind)
    }

    /// The end of the host-like characters starting at `at`.
    fn host_end(&self, mut at: usize, limit: usize) -> usize {
        while at < limit {
            let (c, len) = char_at(self.text, at);
            if !is_host_char(c) {
                break;
            }
            at += len;
        }
        at
    }

    /// A bare domain or IPv4 address at `start..host_end`, with its port and path.
    fn bare_link(&mut self, start: usize, host_end: usize, limit: usize) -> Option<usize> {
        let trimmed = trim_host(self.bytes, start, host_end);
        let kind = self.host_kind(start..trimmed, true)?;
        // A host that ended in a full stop ended its sentence: no port or path follows.
        let end = if trimmed < host_end { trimmed } else { self.port_and_path(start, trimmed, limit) };
        self.push_bare(start..end, kind)
    }

    /// `userinfo@host…` without a scheme. When the part before `@` is itself a host name
    /// (the trusted name shown to the victim), it is a link if a path follows or that name
    /// has three labels or more; otherwise only a path makes it a link (`abc@x.com/login`).
    /// So `amy.kim@x.com` and `service@kgi.com.tw` stay e-mail addresses.
    fn userinfo_trick(&mut self, user: Range<usize>, host: Range<usize>, limit: usize) -> Option<usize> {
        let user_is_host = self.host_kind(user.clone(), true).is_some();
        let trimmed = trim_host(self.bytes, host.start, host.end);
        // Behind a trusted name the real host need not have a listed suffix: the trick is
        // what gives it away.
        let kind = self.host_kind(host.start..trimmed, !user_is_host)?;
        let end = if trimmed < host.end { trimmed } else { self.port_and_path(user.start, trimmed, limit) };
        let has_path = end > trimmed;
        let labels = self.text[user.clone()].split('.').count();
        if !(has_path || (user_is_host && labels >= 3)) {
            return None;
        }
        self.push_bare(user.start..end, kind)
    }

    /// Adds a link found without a scheme, as `http://…`, if `url` can parse it (asked only
    /// when [`plain_url::host`] cannot tell, or the link may open a LINE chat).
    fn push_bare(&mut self, range: Range<usize>, kind: HostKind) -> Option<usize> {
        let written = &self.text[range.clone()];
        let mut value = String::with_capacity(written.len() + 7);
        value.push_str("http://");
        value.push_str(written);
        let (short_link, line_id) = match plain_url::host(&value) {
            Some(host) if !line_id::is_chat_host(host) => (host.eq_ignore_ascii_case("lin.ee"), None),
            _ => {
                let url = Url::parse(&value).ok()?;
                (url.host_str() == Some("lin.ee"), line_id::from_url(&url))
            }
        };
        let kind = match kind {
            // A LINE short link hides its target (and any LINE ID): report it as a link.
            _ if short_link => CandidateKind::Url,
            HostKind::Ipv4 => CandidateKind::Ip,
            HostKind::Domain => CandidateKind::Domain,
        };
        self.sink.push(range.clone(), kind, value);
        let end = range.end;
        self.spans.push(LinkSpan { range, line_id });
        Some(end)
    }

    /// Whether `range` is a dotted-quad IPv4 address or a domain name (under a suffix the
    /// Public Suffix List knows, when `need_suffix`).
    fn host_kind(&mut self, range: Range<usize>, need_suffix: bool) -> Option<HostKind> {
        let text = self.text;
        let host = &text[range];
        if host.parse::<Ipv4Addr>().is_ok() {
            return Some(HostKind::Ipv4);
        }
        let lower = if !host.is_ascii() {
            // Letters from other scripts: check the punycode form, as a browser would.
            self.host.clear();
            match url::Host::parse(host) {
                Ok(url::Host::Domain(ascii)) => self.host.push_str(&ascii),
                _ => return None,
            }
            &self.host
        } else if host.bytes().any(|b| b.is_ascii_uppercase()) {
            self.host.clear();
            self.host.extend(host.bytes().map(|b| char::from(b.to_ascii_lowercase())));
            &self.host
        } else {
            // Already lower case, as nearly every host is: no copy.
            host
        };
        let valid = is_domain_name(lower) && (!need_suffix || is_listed_site(lower));
        valid.then_some(HostKind::Domain)
    }

    /// The end of an optional `:port` and `/path`, `?query` or `#fragment` after a host.
    fn port_and_path(&self, link_start: usize, host_end: usize, limit: usize) -> usize {
        let bytes = self.bytes;
        let mut end = host_end;
        if bytes.get(end) == Some(&b':') {
            let digits = bytes[end + 1..limit].iter().take(6).take_while(|b| b.is_ascii_digit()).count();
            let next_ok = !bytes.get(end + 1 + digits).is_some_and(u8::is_ascii_alphanumeric);
            if (1..=5).contains(&digits) && next_ok {
                end += 1 + digits;
            }
        }
        if end < limit && matches!(bytes[end], b'/' | b'?' | b'#') {
            end = trim_end(bytes, link_start, end, limit);
        }
        end
    }
}

/// The start and length (through `://`) of the first `http://` or `https://` in
/// `bytes[from..to]`, in any letter case.
fn find_scheme(bytes: &[u8], from: usize, to: usize) -> Option<(usize, usize)> {
    let mut at = from;
    while at + 3 <= to {
        let colon = at + bytes[at..to].iter().position(|&b| b == b':')?;
        if bytes[colon..to].starts_with(b"://") {
            for name in [&b"https"[..], b"http"] {
                if colon >= from + name.len() && bytes[colon - name.len()..colon].eq_ignore_ascii_case(name) {
                    let start = colon - name.len();
                    return Some((start, name.len() + 3));
                }
            }
        }
        at = colon + 1;
    }
    None
}

/// Drops trailing dots and hyphens from a host (`kgi357.com.` ends a sentence).
fn trim_host(bytes: &[u8], start: usize, mut end: usize) -> usize {
    while end > start && matches!(bytes[end - 1], b'.' | b'-') {
        end -= 1;
    }
    end
}

/// The end of a link once sentence punctuation after it is dropped: `.,!?;:*` and any
/// closing bracket without its opening one in the link (`(see https://a.tw/x)`).
/// Never trims below `min`.
fn trim_end(bytes: &[u8], link_start: usize, min: usize, mut end: usize) -> usize {
    // Brackets are counted only when one ends the link, which is rare; the punctuation
    // trimmed before that holds none, so the counts are those of the whole link.
    let mut brackets: Option<[usize; 4]> = None;
    while end > min {
        let last = bytes[end - 1];
        if matches!(last, b'.' | b',' | b'!' | b'?' | b';' | b':' | b'*') {
            end -= 1;
            continue;
        }
        if !matches!(last, b'(' | b')' | b'[' | b']') {
            break;
        }
        let [open_paren, close_paren, open_square, close_square] =
            brackets.get_or_insert_with(|| count_brackets(&bytes[link_start..end]));
        match last {
            b')' if *close_paren > *open_paren => *close_paren -= 1,
            b']' if *close_square > *open_square => *close_square -= 1,
            b'(' => *open_paren -= 1,
            b'[' => *open_square -= 1,
            _ => break,
        }
        end -= 1;
    }
    end
}

/// How many `(`, `)`, `[` and `]` a link holds, in that order.
fn count_brackets(link: &[u8]) -> [usize; 4] {
    let mut counts = [0; 4];
    for &b in link {
        match b {
            b'(' => counts[0] += 1,
            b')' => counts[1] += 1,
            b'[' => counts[2] += 1,
            b']' => counts[3] += 1,
            _ => {}
        }
    }
    counts
}

#[cfg(test)]
mod tests {
    use super::is_link_char;

    #[test]
    fn no_character_from_u3000_to_u9fff_is_a_link_character() {
        for c in ('\u{3000}'..='\u{9FFF}').filter(|c| c.len_utf8() == 3) {
            assert!(!is_link_char(c), "{c:?}");
        }
    }

    #[test]
    fn the_punctuation_table_holds_exactly_the_link_punctuation() {
        let set = b"-._~:/?#[]@!$&()*+,;=%";
        for b in 0u8..128 {
            let expected = b.is_ascii_alphanumeric() || set.contains(&b);
            assert_eq!(is_link_char(char::from(b)), expected, "{:?}", char::from(b));
        }
    }
}
