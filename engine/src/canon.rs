//! Safe Browsing canonical form of a link, and the host-suffix × path-prefix lookup
//! expressions that takedown entries are matched against.
//!
//! The rules are those of "URLs and Hashing" in the Safe Browsing v4 Update API
//! (canonicalization, suffix/prefix expressions). Two choices go beyond that text, both so
//! that the host we judge is the host a browser would visit:
//!
//! - The scheme, user name, host and port are found on the link as written, the way the
//!   WHATWG URL Standard (browsers, the `url` crate) finds them, and only then are the host
//!   and the path percent-unescaped. Unescaping the whole link first, as the spec's wording
//!   reads, would take `http://www.kgi.com.tw%2F@evil.example/` for a link to
//!   `www.kgi.com.tw`, while a browser opens `evil.example`: a fake site judged "official".
//! - Hosts that no browser can open (spaces, `#`, control characters, `<>^`, a number that
//!   is not a valid IPv4 address) are refused with a [`CanonError`] instead of being
//!   percent-escaped, so every canonical URL is one that `url::Url::parse` accepts.
//!
//! The canonicaliser is hand-written, runs in linear time and allocates little, because it
//! runs for every link of every pasted message.

use std::borrow::Cow;
use std::fmt::{self, Write as _};
use std::net::{Ipv4Addr, Ipv6Addr};

/// The longest link accepted, in UTF-8 bytes; longer input is refused before any work.
pub const MAX_LINK_BYTES: usize = 8 * 1024;

/// The longest host name accepted, in bytes (the DNS limit).
pub const MAX_HOST_BYTES: usize = 253;

/// The longest label (part between dots) of a host name, in bytes (the DNS limit).
pub const MAX_LABEL_BYTES: usize = 63;

/// The most lookup expressions one URL yields: 5 hosts × 6 paths.
pub const MAX_EXPRESSIONS: usize = 30;

/// Host suffixes tried besides the exact host, from the last five labels.
const MAX_HOST_SUFFIXES: usize = 4;

/// Path prefixes tried besides the exact path, starting with `/`.
const MAX_PATH_PREFIXES: usize = 4;

/// Why a link has no canonical form. The messages are shown to investors, so they are in
/// plain words.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum CanonError {
    /// The input is longer than [`MAX_LINK_BYTES`].
    #[error("This link is too long to check.")]
    TooLong {
        /// The limit that was exceeded, in bytes.
        max: usize,
    },
    /// Nothing is left once spaces and the `#fragment` are removed.
    #[error("There is no link to check.")]
    Empty,
    /// The link starts with a scheme other than `http` or `https` (for example `ftp:`).
    #[error("Only web links (starting with http or https) can be checked, not \"{0}:\" links.")]
    UnsupportedScheme(String),
    /// The link has no website name (`http:///path`, `http://user@/`, `/path`).
    #[error("This link has no website name.")]
    EmptyHost,
    /// The website name is longer than [`MAX_HOST_BYTES`].
    #[error("The website name in this link is too long to be real.")]
    HostTooLong,
    /// One part of the website name is longer than [`MAX_LABEL_BYTES`].
    #[error("A part of the website name in this link is too long to be real.")]
    HostLabelTooLong,
    /// The website name contains a character that cannot appear in one.
    #[error("The website name in this link contains a character that is not allowed: {0:?}.")]
    InvalidHostCharacter(char),
    /// The percent-escapes in the website name do not decode to text.
    #[error("The website name in this link is not readable text.")]
    InvalidHostEncoding,
    /// An international (non-ASCII) website name cannot be converted to its ASCII form.
    #[error("The international website name in this link is not valid.")]
    InvalidInternationalHost,
    /// The website name ends in a number but is not a valid IPv4 address.
    #[error("The website name in this link looks like an IP address but is not a valid one.")]
    InvalidIpv4Address,
    /// The bracketed IPv6 address is malformed.
    #[error("The IPv6 address in this link is not valid.")]
    InvalidIpv6Address,
    /// The port after the website name is not a number from 0 to 65535.
    #[error("The port number in this link is not valid.")]
    InvalidPort,
}

/// The host of a canonical URL.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum Host {
    /// A domain name: lower-case ASCII, IDNA labels as punycode (`xn--…`), no empty labels.
    Domain(String),
    /// An IPv4 address, whatever encoding the link used (`3279880203`, `0xC3.0x7F.0.11`).
    Ipv4(Ipv4Addr),
    /// An IPv6 address, written in brackets in the link.
    Ipv6(Ipv6Addr),
}

impl fmt::Display for Host {
    /// Writes the host as it appears in a URL (IPv6 in brackets).
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Host::Domain(domain) => f.write_str(domain),
            Host::Ipv4(addr) => write!(f, "{addr}"),
            Host::Ipv6(addr) => {
                f.write_char('[')?;
                write_ipv6(f, addr)?;
                f.write_char(']')
            }
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
enum Scheme {
    Http,
    Https,
}

impl Scheme {
    fn as_str(self) -> &'static str {
        match self {
            Scheme::Http => "http",
            Scheme::Https => "https",
        }
    }

    fn default_port(self) -> u16 {
        match self {
            Scheme::Http => 80,
            Scheme::Https => 443,
        }
    }
}

/// A link in Safe Browsing canonical form: `scheme://host/path?query`, without user name,
/// port or fragment, percent-escaped with upper-case hex.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct CanonicalUrl {
    serialization: String,
    scheme: Scheme,
    host: Host,
    host_start: usize,
    host_end: usize,
    /// Byte offset just after the `?`, when the link has a query (even an empty one).
    query_start: Option<usize>,
    port: Option<u16>,
}

impl CanonicalUrl {
    /// The whole canonical URL, for example `http://www.google.com/q?r?`.
    pub fn as_str(&self) -> &str {
        &self.serialization
    }

    /// `"http"` or `"https"`.
    pub fn scheme(&self) -> &str {
        self.scheme.as_str()
    }

    /// The host: a domain name (punycode), an IPv4 or an IPv6 address.
    pub fn host(&self) -> &Host {
        &self.host
    }

    /// The host as ASCII text: the domain, the dotted-quad IPv4 address, or the IPv6
    /// address *without* its brackets (`2001:db8::1`).
    pub fn host_str(&self) -> &str {
        let host = &self.serialization[self.host_start..self.host_end];
        match self.host {
            Host::Ipv6(_) => host.trim_start_matches('[').trim_end_matches(']'),
            Host::Domain(_) | Host::Ipv4(_) => host,
        }
    }

    /// A port other than the scheme's default, as written in the link. The Safe Browsing
    /// canonical form leaves ports out (`http://www.gotaport.com:1234/` becomes
    /// `http://www.gotaport.com/`), so this is the only place it is kept.
    pub fn port(&self) -> Option<u16> {
        self.port
    }

    /// The canonical path, always starting with `/` (`/1/2.html`).
    pub fn path(&self) -> &str {
        let end = self.query_start.map_or(self.serialization.len(), |q| q - 1);
        &self.serialization[self.host_end..end]
    }

    /// The query without its `?`, when the link has one; `Some("")` for a link ending in `?`.
    pub fn query(&self) -> Option<&str> {
        self.query_start.map(|q| &self.serialization[q..])
    }

    /// The Safe Browsing suffix/prefix expressions of this URL, without scheme
    /// (`a.b.c/1/2.html?param=1`), in the order of the spec's examples: each host (the
    /// exact host, then suffixes made of the last five, four, three and two labels; none
    /// for an IP address) combined with each path (the exact path with its query, without
    /// it, then the prefixes `/`, `/1/`, `/1/2/`, `/1/2/3/`). At most [`MAX_EXPRESSIONS`],
    /// no duplicates. An empty query (`/q?`) adds no expression of its own, as in Chromium.
    pub fn expressions(&self) -> Vec<String> {
        let hosts = self.lookup_hosts();
        let paths = self.lookup_paths();
        let mut expressions = Vec::with_capacity(hosts.len() * paths.len());
        for host in hosts.iter() {
            for path in paths.iter() {
                let mut expression = String::with_capacity(host.len() + path.len());
                expression.push_str(host);
                expression.push_str(path);
                expressions.push(expression);
            }
        }
        expressions
    }

    /// The exact host, then its suffixes of five down to two labels.
    pub(crate) fn lookup_hosts(&self) -> Few<'_, { 1 + MAX_HOST_SUFFIXES }> {
        let exact = &self.serialization[self.host_start..self.host_end];
        let mut hosts = Few::new();
        hosts.push(exact);
        if let Host::Domain(_) = self.host {
            // The last dot would leave the top-level domain alone, which the spec skips.
            // Every suffix is shorter than the exact host, so none repeats it.
            let dots = exact.bytes().enumerate().rev().filter(|&(_, b)| b == b'.');
            for (dot, _) in dots.skip(1).take(MAX_HOST_SUFFIXES) {
                hosts.push(&exact[dot + 1..]);
            }
            hosts.items[1..hosts.len].reverse();
        }
        hosts
    }

    /// The exact path with and without query, then the prefixes from `/`.
    pub(crate) fn lookup_paths(&self) -> Few<'_, { 2 + MAX_PATH_PREFIXES }> {
        let path = self.path();
        let mut paths = Few::new();
        if self.query().is_some_and(|query| !query.is_empty()) {
            paths.push(&self.serialization[self.host_end..]);
        }
        paths.push(path);
        let slashes = path.bytes().enumerate().filter(|&(_, b)| b == b'/');
        for (slash, _) in slashes.take(MAX_PATH_PREFIXES) {
            let prefix = &path[..=slash];
            if !paths.contains(&prefix) {
                paths.push(prefix);
            }
        }
        paths
    }
}

/// At most `N` hosts or paths of a URL's lookup expressions, kept on the stack: they are
/// built for every link checked.
pub(crate) struct Few<'a, const N: usize> {
    items: [&'a str; N],
    len: usize,
}

impl<'a, const N: usize> Few<'a, N> {
    fn new() -> Self {
        Self { items: [""; N], len: 0 }
    }

    /// Adds `item`. Callers take at most `N` by construction; one more would be dropped.
    fn push(&mut self, item: &'a str) {
        debug_assert!(self.len < N, "more than {N} lookup parts");
        if let Some(slot) = self.items.get_mut(self.len) {
            *slot = item;
            self.len += 1;
        }
    }
}

impl<'a, const N: usize> std::ops::Deref for Few<'a, N> {
    type Target = [&'a str];

    fn deref(&self) -> &Self::Target {
        &self.items[..self.len]
    }
}

impl fmt::Display for CanonicalUrl {
    /// Writes [`CanonicalUrl::as_str`].
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.serialization)
    }
}

/// Puts `link` in Safe Browsing canonical form: `http://` added when there is no scheme,
/// tab/CR/LF and the fragment removed, the host unescaped, cleaned of stray dots,
/// lower-cased, converted to punycode or to a dotted-quad IPv4 address, the path
/// unescaped and resolved (`/./`, `/../`, `//`), and the path and query re-escaped.
pub fn canonicalize(link: &str) -> Result<CanonicalUrl, CanonError> {
    if link.len() > MAX_LINK_BYTES {
        return Err(CanonError::TooLong { max: MAX_LINK_BYTES });
    }
    let without_tabs = remove_tab_cr_lf(link);
    // Browsers drop leading and trailing spaces and control characters before parsing.
    let trimmed = without_tabs.trim_matches(|c: char| c <= ' ');
    let without_fragment = trimmed.bytes().position(|b| b == b'#').map_or(trimmed, |hash| &trimmed[..hash]);
    if without_fragment.is_empty() {
        return Err(CanonError::Empty);
    }

    let (scheme, after_scheme) = split_scheme(without_fragment)?;
    // Like a browser, the authority ends at the first `/`, `\` or `?`, and the user name
    // ends at its last `@`: `https://www.kgi.com.tw@evil.example/` goes to evil.example.
    let authority_end = after_scheme.find(['/', '\\', '?']).unwrap_or(after_scheme.len());
    let (authority, path_and_query) = after_scheme.split_at(authority_end);
    let host_and_port = authority.rfind('@').map_or(authority, |at| &authority[at + 1..]);
    let (raw_host, port) = split_port(host_and_port, scheme)?;

    let mut out = String::with_capacity(scheme.as_str().len() + 3 + without_fragment.len() + 4);
    out.push_str(scheme.as_str());
    out.push_str("://");
    let host_start = out.len();
    let host = push_host(&mut out, raw_host)?;
    let host_end = out.len();

    // The spec unescapes path and query together before splitting them, so an escaped
    // `%3F` starts the query; this also keeps the result stable when canonicalised again.
    let path_and_query = unescape_fully(path_and_query.as_bytes());
    let (path, query) = match path_and_query.iter().position(|&b| b == b'?') {
        Some(q) => (&path_and_query[..q], Some(&path_and_query[q + 1..])),
        None => (&path_and_query[..], None),
    };
    push_path(&mut out, path);
    let query_start = query.map(|query| {
        out.push('?');
        let start = out.len();
        push_escaped(&mut out, query);
        start
    });

    Ok(CanonicalUrl { serialization: out, scheme, host, host_start, host_end, query_start, port })
}

/// Removes tab, CR and LF anywhere in the link (step one of the spec); borrows when there
/// are none, which is almost always.
fn remove_tab_cr_lf(link: &str) -> Cow<'_, str> {
    if link.bytes().any(|b| matches!(b, b'\t' | b'\r' | b'\n')) {
        Cow::Owned(link.chars().filter(|c| !matches!(c, '\t' | '\r' | '\n')).collect())
    } else {
        Cow::Borrowed(link)
    }
}

/// Splits off the scheme and the slashes after it. A link without a scheme is taken as
/// `http`. Schemes have no dots and host names do, so `www.google.com:80/` is a host with
/// a port while `tel:165` and `localhost:8080` are schemes we do not check.
fn split_scheme(link: &str) -> Result<(Scheme, &str), CanonError> {
    if let Some(colon) = link.bytes().position(|b| b == b':') {
        let candidate = &link[..colon];
        let after = &link[colon + 1..];
        if is_scheme_syntax(candidate) {
            if candidate.eq_ignore_ascii_case("http") {
                return Ok((Scheme::Http, trim_slashes(after)));
            }
            if candidate.eq_ignore_ascii_case("https") {
                return Ok((Scheme::Https, trim_slashes(after)));
            }
            if !candidate.contains('.') {
                let mut scheme: String = candidate.chars().take(20).collect();
                scheme.make_ascii_lowercase();
                return Err(CanonError::UnsupportedScheme(scheme));
            }
        }
    }
    match link.as_bytes() {
        // `//host/path`, as links in web pages are often written, names a host; a single
        // leading slash is a path on no host at all.
        [b'/' | b'\\', b'/' | b'\\', ..] => Ok((Scheme::Http, trim_slashes(link))),
        [b'/' | b'\\', ..] => Err(CanonError::EmptyHost),
        _ => Ok((Scheme::Http, link)),
    }
}

/// Whether `s` is a URL scheme: a letter, then letters, digits, `+`, `-` or `.`.
fn is_scheme_syntax(s: &str) -> bool {
    let mut bytes = s.bytes();
    bytes.next().is_some_and(|b| b.is_ascii_alphabetic())
        && bytes.all(|b| b.is_ascii_alphanumeric() || matches!(b, b'+' | b'-' | b'.'))
}

/// Browsers skip any number of slashes or backslashes after `http:`, so `http:///evil.com`
/// and `http:\\evil.com` both open evil.com.
fn trim_slashes(s: &str) -> &str {
    s.trim_start_matches(['/', '\\'])
}

/// Splits `host[:port]` or `[ipv6][:port]`; a default port is dropped.
fn split_port(host_and_port: &str, scheme: Scheme) -> Result<(&str, Option<u16>), CanonError> {
    let (host, port) = if host_and_port.starts_with('[') {
        let close = host_and_port.find(']').ok_or(CanonError::InvalidIpv6Address)?;
        let (host, after) = host_and_port.split_at(close + 1);
        match after.strip_prefix(':') {
            Some(port) => (host, port),
            None if after.is_empty() => (host, ""),
            None => return Err(CanonError::InvalidIpv6Address),
        }
    } else {
        host_and_port.split_once(':').unwrap_or((host_and_port, ""))
    };
    if port.is_empty() {
        return Ok((host, None));
    }
    if !port.bytes().all(|b| b.is_ascii_digit()) {
        return Err(CanonError::InvalidPort);
    }
    // Leading zeros are allowed (`:0080`); only the value has to fit.
    let significant = port.trim_start_matches('0');
    let value = if significant.is_empty() {
        0
    } else if significant.len() > 5 {
        return Err(CanonError::InvalidPort);
    } else {
        significant.parse::<u16>().map_err(|_| CanonError::InvalidPort)?
    };
    Ok((host, (value != scheme.default_port()).then_some(value)))
}

/// Writes the canonical host to `out` and returns it.
fn push_host(out: &mut String, raw: &str) -> Result<Host, CanonError> {
    if let Some(inner) = raw.strip_prefix('[') {
        let inner = inner.strip_suffix(']').ok_or(CanonError::InvalidIpv6Address)?;
        let addr: Ipv6Addr = inner.parse().map_err(|_| CanonError::InvalidIpv6Address)?;
        out.push('[');
        // Writing to a String cannot fail.
        let _ = write_ipv6(out, &addr);
        out.push(']');
        return Ok(Host::Ipv6(addr));
    }
    let decoded: Cow<'_, str> = match unescape_fully(raw.as_bytes()) {
        // Nothing was unescaped: still the input text, no need to check it again.
        Cow::Borrowed(_) => Cow::Borrowed(raw),
        Cow::Owned(bytes) => {
            Cow::Owned(String::from_utf8(bytes).map_err(|_| CanonError::InvalidHostEncoding)?)
        }
    };

    let start = out.len();
    push_dotted_lower(out, &decoded);
    if let Some(bad) = out[start..].chars().find(|&c| c.is_ascii() && !is_host_char(c)) {
        return Err(CanonError::InvalidHostCharacter(bad));
    }
    // IDNA also validates existing `xn--` labels, so that the result is one that the `url`
    // crate, which runs the same IDNA, accepts. Plain ASCII names skip it: it is slow.
    if !out[start..].is_ascii() || has_punycode_label(&out[start..]) {
        let ascii = idna::domain_to_ascii_cow(&out.as_bytes()[start..], idna::AsciiDenyList::URL)
            .map_err(|_| CanonError::InvalidInternationalHost)?
            .into_owned();
        out.truncate(start);
        // IDNA maps `。` and other full stops to `.`, which can leave new stray dots.
        push_dotted_lower(out, &ascii);
        if let Some(bad) = out[start..].chars().find(|&c| !is_host_char(c)) {
            return Err(CanonError::InvalidHostCharacter(bad));
        }
    }

    let host = &out[start..];
    if host.is_empty() {
        return Err(CanonError::EmptyHost);
    }
    // Browsers read a host that ends in a number as an IPv4 address in any encoding
    // (decimal, octal, hex, fewer than four parts), or refuse it; so do we.
    if ends_in_number(host) {
        let addr = parse_ipv4(host).ok_or(CanonError::InvalidIpv4Address)?;
        out.truncate(start);
        // Writing to a String cannot fail.
        let _ = write!(out, "{addr}");
        return Ok(Host::Ipv4(addr));
    }
    if host.len() > MAX_HOST_BYTES {
        return Err(CanonError::HostTooLong);
    }
    if host.as_bytes().split(|&b| b == b'.').any(|label| label.len() > MAX_LABEL_BYTES) {
        return Err(CanonError::HostLabelTooLong);
    }
    Ok(Host::Domain(host.to_owned()))
}

/// Characters of a canonical host name. Stricter than browsers (which also allow `!$&'()*+,;=`
/// and a few others): no registrable domain contains them, and fakes that do are refused.
fn is_host_char(c: char) -> bool {
    c.is_ascii_lowercase() || c.is_ascii_digit() || matches!(c, '-' | '_' | '.')
}

/// Writes the labels of `host` joined by single dots, without leading or trailing dots,
/// ASCII letters lower-cased.
fn push_dotted_lower(out: &mut String, host: &str) {
    let start = out.len();
    // A byte loop: `str::split('.')` costs more than the rest of the host work together.
    let mut label_start = 0;
    for (i, byte) in host.bytes().chain([b'.']).enumerate() {
        if byte == b'.' {
            if i > label_start {
                if out.len() > start {
                    out.push('.');
                }
                out.push_str(&host[label_start..i]);
            }
            label_start = i + 1;
        }
    }
    out[start..].make_ascii_lowercase();
}

fn has_punycode_label(host: &str) -> bool {
    // Byte loops here and below: `str::split('.')` and friends cost more than the test.
    host.starts_with("xn--") || host.as_bytes().windows(5).any(|w| w == b".xn--")
}

/// The WHATWG "ends in a number" test: the last label is all digits or a valid IPv4 number.
fn ends_in_number(host: &str) -> bool {
    let last = host.bytes().rposition(|b| b == b'.').map_or(host, |dot| &host[dot + 1..]);
    (!last.is_empty() && last.bytes().all(|b| b.is_ascii_digit())) || ipv4_number(last).is_some()
}

/// One part of an IPv4 address: `0x` hex, `0` octal or decimal. `None` when it is not a
/// number; values too large for an address saturate so that they fail later.
fn ipv4_number(part: &str) -> Option<u64> {
    if part.is_empty() {
        return None;
    }
    let (digits, radix) = if let Some(hex) = part.strip_prefix("0x").or_else(|| part.strip_prefix("0X")) {
        (hex, 16)
    } else if part.len() > 1 && part.starts_with('0') {
        (&part[1..], 8)
    } else {
        (part, 10)
    };
    let mut value: u64 = 0;
    for c in digits.chars() {
        let digit = c.to_digit(radix)?;
        value = value.saturating_mul(u64::from(radix)).saturating_add(u64::from(digit));
    }
    Some(value)
}

/// The WHATWG IPv4 parser, which is also what the spec asks for ("any legal encoding,
/// including octal, hex, and fewer than four components").
fn parse_ipv4(host: &str) -> Option<Ipv4Addr> {
    let mut numbers = [0u64; 4];
    let mut count = 0;
    for part in host.split('.') {
        if count == numbers.len() {
            return None;
        }
        numbers[count] = ipv4_number(part)?;
        count += 1;
    }
    let (last, leading) = numbers[..count].split_last()?;
    if leading.iter().any(|&n| n > 255) || *last >= 1u64 << (8 * (5 - count)) {
        return None;
    }
    let value = leading.iter().enumerate().fold(*last, |acc, (i, &n)| acc + (n << (8 * (3 - i))));
    u32::try_from(value).ok().map(Ipv4Addr::from)
}

/// Writes an IPv6 address the way the WHATWG URL Standard serialises it (and so the `url`
/// crate): lower-case hex, the first longest run of two or more zero groups as `::`, and
/// never a dotted-quad tail.
fn write_ipv6<W: fmt::Write>(w: &mut W, addr: &Ipv6Addr) -> fmt::Result {
    let groups = addr.segments();
    let (mut compress, mut longest) = (None, 1);
    let mut i = 0;
    while i < groups.len() {
        if groups[i] == 0 {
            let run_start = i;
            while i < groups.len() && groups[i] == 0 {
                i += 1;
            }
            if i - run_start > longest {
                compress = Some(run_start);
                longest = i - run_start;
            }
        } else {
            i += 1;
        }
    }
    let mut skipping_zeros = false;
    for (i, &group) in groups.iter().enumerate() {
        if skipping_zeros && group == 0 {
            continue;
        }
        skipping_zeros = false;
        if compress == Some(i) {
            w.write_str(if i == 0 { "::" } else { ":" })?;
            skipping_zeros = true;
            continue;
        }
        write!(w, "{group:x}")?;
        if i != groups.len() - 1 {
            w.write_char(':')?;
        }
    }
    Ok(())
}

/// Percent-unescapes `input` until no escape is left, as the spec's "repeatedly unescape"
/// does, in one linear pass: decoding a byte can only complete a new escape that ends at
/// that byte (`%25` `41` → `%41` → `A`), so the tail is checked again after each decode.
/// Escapes cannot overlap, so the result is the same as repeating whole passes, which would
/// take quadratic time on `%252525…`.
fn unescape_fully(input: &[u8]) -> Cow<'_, [u8]> {
    if !input.contains(&b'%') {
        return Cow::Borrowed(input);
    }
    let mut out = Vec::with_capacity(input.len());
    for &byte in input {
        out.push(byte);
        while let [.., b'%', high, low] = out[..] {
            let (Some(high), Some(low)) = (hex_value(high), hex_value(low)) else {
                break;
            };
            out.truncate(out.len() - 3);
            out.push((high << 4) | low);
        }
    }
    Cow::Owned(out)
}

fn hex_value(b: u8) -> Option<u8> {
    match b {
        b'0'..=b'9' => Some(b - b'0'),
        b'a'..=b'f' => Some(b - b'a' + 10),
        b'A'..=b'F' => Some(b - b'A' + 10),
        _ => None,
    }
}

/// Writes the canonical path: `/` and `\` separate segments, empty and `.` segments go,
/// `..` removes the segment before it, and a trailing slash stays (also after a final
/// `.` or `..`, as in `http://www.google.com/blah/..` → `http://www.google.com/`).
fn push_path(out: &mut String, path: &[u8]) {
    let start = out.len();
    out.push('/');
    let mut ends_with_name = false;
    for segment in path.split(|&b| b == b'/' || b == b'\\') {
        ends_with_name = false;
        match segment {
            [] | [b'.'] => {}
            [b'.', b'.'] => {
                if out.len() > start + 1 {
                    // Drop the last segment's slash, then the segment. Escaped segments
                    // never contain `/`, so the previous `/` is where it starts.
                    out.pop();
                    let cut = out[start..].rfind('/').map_or(start + 1, |slash| start + slash + 1);
                    out.truncate(cut);
                }
            }
            name => {
                push_escaped(out, name);
                out.push('/');
                ends_with_name = true;
            }
        }
    }
    if ends_with_name {
        out.pop();
    }
}

/// Percent-escapes the bytes the spec names (<= 0x20, >= 0x7F, `#`, `%`) with upper-case
/// hex; everything else is printable ASCII and is copied as is.
fn push_escaped(out: &mut String, bytes: &[u8]) {
    const HEX: &[u8; 16] = b"0123456789ABCDEF";
    for &b in bytes {
        if b <= b' ' || b >= 0x7f || b == b'#' || b == b'%' {
            out.push('%');
            out.push(char::from(HEX[usize::from(b >> 4)]));
            out.push(char::from(HEX[usize::from(b & 0x0f)]));
        } else {
            out.push(char::from(b));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn canonical(link: &str) -> String {
        match canonicalize(link) {
            Ok(url) => url.as_str().to_owned(),
            Err(err) => panic!("{link:?} did not canonicalise: {err}"),
        }
    }

    fn expressions(link: &str) -> Vec<String> {
        match canonicalize(link) {
            Ok(url) => url.expressions(),
            Err(err) => panic!("{link:?} did not canonicalise: {err}"),
        }
    }

    // The canonicalisation examples published with the Safe Browsing v4 "URLs and Hashing"
    // page (developers.google.com/safe-browsing/v4/urls-hashing), in the page's order. Those
    // that the spec turns into hosts no browser can open are in
    // `hosts_that_no_browser_can_open_are_refused` below instead.
    #[test]
    fn the_published_safe_browsing_examples_canonicalise_as_published() {
        let examples = [
            ("http://host/%25%32%35", "http://host/%25"),
            ("http://host/%25%32%35%25%32%35", "http://host/%25%25"),
            ("http://host/%2525252525252525", "http://host/%25"),
            ("http://host/asdf%25%32%35asd", "http://host/asdf%25asd"),
            ("http://host/%%%25%32%35asd%%", "http://host/%25%25%25asd%25%25"),
            ("http://www.google.com/", "http://www.google.com/"),
            (
                "http://%31%36%38%2e%31%38%38%2e%39%39%2e%32%36/%2E%73%65%63%75%72%65/%77%77%77%2E%65%62%61%79%2E%63%6F%6D/",
                "http://168.188.99.26/.secure/www.ebay.com/",
            ),
            (
                "http://195.127.0.11/uploads/%20%20%20%20/.verify/.eBaysecure=updateuserdataxplimnbqmn-xplmvalidateinfoswqpcmlx=hgplmcx/",
                "http://195.127.0.11/uploads/%20%20%20%20/.verify/.eBaysecure=updateuserdataxplimnbqmn-xplmvalidateinfoswqpcmlx=hgplmcx/",
            ),
            ("http://3279880203/blah", "http://195.127.0.11/blah"),
            ("http://www.google.com/blah/..", "http://www.google.com/"),
            ("www.google.com/", "http://www.google.com/"),
            ("www.google.com", "http://www.google.com/"),
            ("http://www.evil.com/blah#frag", "http://www.evil.com/blah"),
            ("http://www.GOOgle.com/", "http://www.google.com/"),
            ("http://www.google.com.../", "http://www.google.com/"),
            ("http://www.google.com/foo\tbar\rbaz\n2", "http://www.google.com/foobarbaz2"),
            ("http://www.google.com/q?", "http://www.google.com/q?"),
            ("http://www.google.com/q?r?", "http://www.google.com/q?r?"),
            ("http://www.google.com/q?r?s", "http://www.google.com/q?r?s"),
            ("http://evil.com/foo#bar#baz", "http://evil.com/foo"),
            ("http://evil.com/foo;", "http://evil.com/foo;"),
            ("http://evil.com/foo?bar;", "http://evil.com/foo?bar;"),
            ("http://notrailingslash.com", "http://notrailingslash.com/"),
            ("http://www.gotaport.com:1234/", "http://www.gotaport.com/"),
            ("  http://www.google.com/  ", "http://www.google.com/"),
            ("https://www.securesite.com/", "https://www.securesite.com/"),
            ("http://host.com/ab%23cd", "http://host.com/ab%23cd"),
            ("http://host.com//twoslashes?more//slashes", "http://host.com/twoslashes?more//slashes"),
        ];
        for (input, expected) in examples {
            assert_eq!(canonical(input), expected, "input {input:?}");
        }
    }

    // Published examples whose host the spec escapes (`%20`, `%23`, `%01%80`): a browser
    // refuses such links, so they cannot be a working fake site, and a host with a space
    // or `#` would not survive being parsed again. The path of the `host%23.com` example
    // is still checked on a real host.
    #[test]
    fn hosts_that_no_browser_can_open_are_refused() {
        let examples = [
            ("http://host%23.com/", CanonError::InvalidHostCharacter('#')),
            ("http://\u{1}\u{80}.com/", CanonError::InvalidHostCharacter('\u{1}')),
            ("http:// leadingspace.com/", CanonError::InvalidHostCharacter(' ')),
            ("http://%20leadingspace.com/", CanonError::InvalidHostCharacter(' ')),
            ("%20leadingspace.com/", CanonError::InvalidHostCharacter(' ')),
            ("http://W!eird<>Ho$^.com/", CanonError::InvalidHostCharacter('!')),
        ];
        for (input, expected) in examples {
            assert_eq!(canonicalize(input), Err(expected), "input {input:?}");
        }
        assert_eq!(
            canonical("http://host.com/%257Ea%2521b%2540c%2523d%2524e%25f%255E00%252611%252A22%252833%252944_55%252B"),
            "http://host.com/~a!b@c%23d$e%25f^00&11*22(33)44_55+"
        );
    }

    #[test]
    fn repeated_percent_escapes_are_undone_in_one_pass() {
        assert_eq!(unescape_fully(b"%2541"), Cow::Borrowed(b"A".as_slice()));
        assert_eq!(unescape_fully(b"%%3235"), Cow::Borrowed(b"#5".as_slice()));
        assert_eq!(unescape_fully(b"%zz%4"), Cow::Borrowed(b"%zz%4".as_slice()));
        let deep = format!("http://host/%{}", "25".repeat(3000));
        assert_eq!(canonical(&deep), "http://host/%25");
    }

    #[test]
    fn the_host_is_the_part_after_the_user_name() {
        let url = canonicalize("https://www.kgi.com.tw@evil.example/login").ok();
        assert_eq!(url.as_ref().map(|u| u.as_str()), Some("https://evil.example/login"));
        assert_eq!(url.map(|u| u.host().clone()), Some(Host::Domain("evil.example".into())));
        assert_eq!(canonical("http://user:pass@a.com:8080@b.com/"), "http://b.com/");
    }

    #[test]
    fn an_escaped_slash_in_the_user_name_does_not_change_the_host() {
        // A browser opens evil.example here; unescaping first would say www.kgi.com.tw.
        assert_eq!(canonical("https://www.kgi.com.tw%2F@evil.example/"), "https://evil.example/");
        assert_eq!(
            canonical("http://evil.example\\@www.kgi.com.tw/"),
            "http://evil.example/@www.kgi.com.tw/"
        );
        assert_eq!(
            canonicalize("http://www.kgi.com.tw%40evil.example/"),
            Err(CanonError::InvalidHostCharacter('@'))
        );
    }

    #[test]
    fn ipv4_addresses_in_any_encoding_become_dotted_quads() {
        let examples = [
            ("http://0x12.0x43.0x44.0x01/", "http://18.67.68.1/"),
            ("http://012.034.01.055/", "http://10.28.1.45/"),
            ("http://12.0x12.01234/", "http://12.18.2.156/"),
            ("http://167838211/", "http://10.1.2.3/"),
            ("http://4294967295/", "http://255.255.255.255/"),
            ("http://1.2.3/", "http://1.2.0.3/"),
            ("http://0X7F.1/", "http://127.0.0.1/"),
            ("http://192.168.0.1:80/index.html", "http://192.168.0.1/index.html"),
            ("http://１２７.０.０.１/", "http://127.0.0.1/"),
        ];
        for (input, expected) in examples {
            assert_eq!(canonical(input), expected, "input {input:?}");
        }
        let url = canonicalize("3279880203").ok();
        assert_eq!(url.map(|u| u.host().clone()), Some(Host::Ipv4(Ipv4Addr::new(195, 127, 0, 11))));
    }

    #[test]
    fn numbers_that_are_not_ipv4_addresses_are_refused() {
        for input in [
            "http://4294967296/",
            "http://256.1.1.1/",
            "http://1.2.3.4.5/",
            "http://x.123/",
            "http://1.2.3.08/",
            "http://a.0x/",
        ] {
            assert_eq!(canonicalize(input), Err(CanonError::InvalidIpv4Address), "input {input:?}");
        }
    }

    #[test]
    fn ipv6_addresses_keep_their_brackets_and_are_compressed() {
        let url = canonicalize("http://[2001:0DB8:0000:0000::1]:443/a").ok();
        assert_eq!(url.as_ref().map(|u| u.as_str()), Some("http://[2001:db8::1]/a"));
        assert_eq!(url.as_ref().map(|u| u.host_str()), Some("2001:db8::1"));
        assert_eq!(url.as_ref().and_then(|u| u.port()), Some(443));
        assert_eq!(canonical("http://[::ffff:1.2.3.4]/"), "http://[::ffff:102:304]/");
        assert_eq!(canonical("http://[::]/"), "http://[::]/");
        assert_eq!(canonicalize("http://[fe80::1%25eth0]/"), Err(CanonError::InvalidIpv6Address));
        assert_eq!(canonicalize("http://[::1/"), Err(CanonError::InvalidIpv6Address));
        assert_eq!(canonicalize("http://[::1]x/"), Err(CanonError::InvalidIpv6Address));
    }

    #[test]
    fn international_host_names_become_punycode() {
        assert_eq!(canonical("http://www.\u{fc}mlat.com/"), "http://www.xn--mlat-zra.com/");
        assert_eq!(canonical("http://凱基證券。com/"), "http://xn--y9qqg13ofn6d.com/");
        assert_eq!(canonical("http://ＫＧＩ.com.tw/"), "http://kgi.com.tw/");
        assert_eq!(canonical("http://www.xn--mlat-zra.com/"), "http://www.xn--mlat-zra.com/");
        assert_eq!(canonicalize("http://xn--a.com/"), Err(CanonError::InvalidInternationalHost));
    }

    #[test]
    fn punycode_labels_and_numeric_endings_are_told_by_whole_labels() {
        assert!(has_punycode_label("xn--mlat-zra.com"));
        assert!(has_punycode_label("www.xn--mlat-zra.com"));
        assert!(has_punycode_label("a.b.xn--kpry57d"));
        assert!(!has_punycode_label("axn--mlat.com"));
        assert!(!has_punycode_label("a.bxn--c.com"));
        assert!(!has_punycode_label("xn-a.com"));
        assert!(ends_in_number("a.b.123"));
        assert!(ends_in_number("1.2.3.0x1f"));
        assert!(ends_in_number("42"));
        assert!(!ends_in_number("a.123b"));
        assert!(!ends_in_number("123.com"));
    }

    #[test]
    fn default_ports_and_all_ports_leave_the_canonical_form() {
        let url = canonicalize("https://kgi.com.tw:8443/x").ok();
        assert_eq!(url.as_ref().map(|u| u.as_str()), Some("https://kgi.com.tw/x"));
        assert_eq!(url.and_then(|u| u.port()), Some(8443));
        assert_eq!(canonicalize("https://kgi.com.tw:443/").ok().and_then(|u| u.port()), None);
        assert_eq!(canonicalize("http://kgi.com.tw:0080/").ok().and_then(|u| u.port()), None);
        assert_eq!(canonical("http://kgi.com.tw:/"), "http://kgi.com.tw/");
        for input in [
            "http://a.com:65536/",
            "http://a.com:8o/",
            "www.google.com:xxyy/foo.html:80",
            "http://a.com:1:2/",
        ] {
            assert_eq!(canonicalize(input), Err(CanonError::InvalidPort), "input {input:?}");
        }
    }

    #[test]
    fn paths_are_resolved_and_slashes_collapsed() {
        let examples = [
            ("http://a.com", "http://a.com/"),
            ("http://a.com/foo/.././bar/./../foo.html", "http://a.com/foo.html"),
            ("http://a.com//a//b///c////", "http://a.com/a/b/c/"),
            ("http://a.com/a/b/.", "http://a.com/a/b/"),
            ("http://a.com/../../x", "http://a.com/x"),
            ("http://a.com/%2e%2E/x/%2e/y", "http://a.com/x/y"),
            ("http://a.com\\a\\b", "http://a.com/a/b"),
            ("http://a.com/x?a/../b//c", "http://a.com/x?a/../b//c"),
            ("http://a.com/x%3Fy", "http://a.com/x?y"),
            ("http://a.com?q", "http://a.com/?q"),
            ("http://a.com/caf\u{e9} x", "http://a.com/caf%C3%A9%20x"),
            ("http://a.com/%0a%7f", "http://a.com/%0A%7F"),
        ];
        for (input, expected) in examples {
            assert_eq!(canonical(input), expected, "input {input:?}");
        }
    }

    #[test]
    fn slashes_after_the_scheme_are_skipped_as_a_browser_does() {
        assert_eq!(canonical("http:///evil.com/x"), "http://evil.com/x");
        assert_eq!(canonical("HTTPS:evil.com"), "https://evil.com/");
        assert_eq!(canonical("//evil.com/x"), "http://evil.com/x");
    }

    #[test]
    fn only_web_schemes_are_accepted() {
        let examples = [
            ("ftp://ftp.myfiles.com/", "ftp"),
            ("mailto:bryner@google.com", "mailto"),
            ("javascript:alert(1)", "javascript"),
            ("hxxps://kgi357.com/", "hxxps"),
            ("data:text/html,x", "data"),
            ("tel:165", "tel"),
            ("localhost:8080", "localhost"),
        ];
        for (input, scheme) in examples {
            assert_eq!(
                canonicalize(input),
                Err(CanonError::UnsupportedScheme(scheme.into())),
                "input {input:?}"
            );
        }
    }

    #[test]
    fn links_without_a_host_are_refused() {
        for input in [
            "http://",
            "http:///",
            ":",
            "/blah",
            "/blah#ref",
            "?query#ref",
            "http://#ref",
            "http://?q",
            "http://user@/x",
            "http://.../",
        ] {
            assert_eq!(canonicalize(input), Err(CanonError::EmptyHost), "input {input:?}");
        }
        for input in ["", "   ", "#ref", "\t\r\n"] {
            assert_eq!(canonicalize(input), Err(CanonError::Empty), "input {input:?}");
        }
    }

    #[test]
    fn oversized_links_and_hosts_are_refused() {
        let long = format!("http://a.com/{}", "x".repeat(MAX_LINK_BYTES));
        assert_eq!(canonicalize(&long), Err(CanonError::TooLong { max: MAX_LINK_BYTES }));
        let long_host = format!("http://{}.com/", vec!["a".repeat(60); 5].join("."));
        assert_eq!(canonicalize(&long_host), Err(CanonError::HostTooLong));
        let long_label = format!("http://{}.com/", "a".repeat(64));
        assert_eq!(canonicalize(&long_label), Err(CanonError::HostLabelTooLong));
        assert_eq!(canonicalize("http://%ff.com/"), Err(CanonError::InvalidHostEncoding));
    }

    #[test]
    fn accessors_return_the_parts_of_the_canonical_url() {
        let url = canonicalize("HTTPS://User@Www.KGI.com.tw./a/./b.html?x=1#top");
        let Ok(url) = url else { panic!("{url:?}") };
        assert_eq!(url.as_str(), "https://www.kgi.com.tw/a/b.html?x=1");
        assert_eq!(url.to_string(), url.as_str());
        assert_eq!(url.scheme(), "https");
        assert_eq!(url.host(), &Host::Domain("www.kgi.com.tw".into()));
        assert_eq!(url.host().to_string(), "www.kgi.com.tw");
        assert_eq!(url.host_str(), "www.kgi.com.tw");
        assert_eq!(url.path(), "/a/b.html");
        assert_eq!(url.query(), Some("x=1"));
        assert_eq!(url.port(), None);
        let bare = canonicalize("kgi.com.tw").ok();
        assert_eq!(bare.as_ref().map(|u| (u.path(), u.query())), Some(("/", None)));
        let empty_query = canonicalize("kgi.com.tw/q?").ok();
        assert_eq!(empty_query.as_ref().map(|u| (u.path(), u.query())), Some(("/q", Some(""))));
    }

    #[test]
    fn error_messages_are_plain_sentences() {
        assert_eq!(
            CanonError::UnsupportedScheme("ftp".into()).to_string(),
            "Only web links (starting with http or https) can be checked, not \"ftp:\" links."
        );
        assert_eq!(CanonError::EmptyHost.to_string(), "This link has no website name.");
    }

    // The suffix/prefix examples published on the same Safe Browsing v4 page, in its order.
    #[test]
    fn the_published_expression_examples_are_reproduced_in_order() {
        assert_eq!(
            expressions("http://a.b.c/1/2.html?param=1"),
            [
                "a.b.c/1/2.html?param=1",
                "a.b.c/1/2.html",
                "a.b.c/",
                "a.b.c/1/",
                "b.c/1/2.html?param=1",
                "b.c/1/2.html",
                "b.c/",
                "b.c/1/",
            ]
        );
        assert_eq!(
            expressions("http://a.b.c.d.e.f.g/1.html"),
            [
                "a.b.c.d.e.f.g/1.html",
                "a.b.c.d.e.f.g/",
                "c.d.e.f.g/1.html",
                "c.d.e.f.g/",
                "d.e.f.g/1.html",
                "d.e.f.g/",
                "e.f.g/1.html",
                "e.f.g/",
                "f.g/1.html",
                "f.g/",
            ]
        );
        assert_eq!(expressions("http://1.2.3.4/1/"), ["1.2.3.4/1/", "1.2.3.4/"]);
    }

    #[test]
    fn path_prefixes_stop_after_four_from_the_root() {
        assert_eq!(
            expressions("http://a.b.c/1/2/3/4/5/"),
            [
                "a.b.c/1/2/3/4/5/",
                "a.b.c/",
                "a.b.c/1/",
                "a.b.c/1/2/",
                "a.b.c/1/2/3/",
                "b.c/1/2/3/4/5/",
                "b.c/",
                "b.c/1/",
                "b.c/1/2/",
                "b.c/1/2/3/",
            ]
        );
    }

    #[test]
    fn single_label_hosts_empty_queries_and_ipv6_hosts_get_only_their_own_expressions() {
        assert_eq!(expressions("http://b/"), ["b/"]);
        assert_eq!(expressions("http://a.b/?"), ["a.b/"]);
        assert_eq!(
            expressions("http://[2001:470:1:18::114]/a/b"),
            ["[2001:470:1:18::114]/a/b", "[2001:470:1:18::114]/", "[2001:470:1:18::114]/a/"]
        );
    }

    #[test]
    fn a_deep_url_yields_exactly_thirty_expressions() {
        let all = expressions("https://a.b.c.d.e.f.g.h/1/2/3/4/5/6/7.html?x=1");
        assert_eq!(all.len(), MAX_EXPRESSIONS);
        assert_eq!(all.first().map(String::as_str), Some("a.b.c.d.e.f.g.h/1/2/3/4/5/6/7.html?x=1"));
        assert_eq!(all.last().map(String::as_str), Some("g.h/1/2/3/"));
    }

    #[test]
    fn a_takedown_entry_matches_the_link_an_investor_pastes() {
        let entry = expressions("https://kkpp.kgi357.com/index/login");
        let pasted = expressions("HTTPS://KKPP.kgi357.com./index/./login?from=sms#top");
        assert!(pasted.contains(&"kkpp.kgi357.com/index/login".to_owned()));
        assert!(entry.iter().all(|e| pasted.contains(e)));
    }
}

#[cfg(test)]
mod properties {
    use super::*;
    use proptest::prelude::*;

    /// Links built from the pieces that trip canonicalisers: escapes, dots, slashes,
    /// user names, ports, brackets, Unicode and digits.
    fn link_like() -> impl Strategy<Value = String> {
        let scheme = prop_oneof![
            Just(""),
            Just("http://"),
            Just("https://"),
            Just("HTTP:"),
            Just("http:\\\\"),
            Just("//"),
            Just("ftp://"),
        ];
        let userinfo = prop_oneof![Just(String::new()), "[a-z.:%2F]{0,8}@"];
        let host = prop_oneof![
            "[a-zA-Z0-9.\\-_%]{0,24}",
            "[0-9x.]{1,16}",
            "[a-z]{1,5}(\\.[a-z]{1,5}){0,7}",
            "[\u{e0}-\u{ff}a-z\u{4e00}-\u{4e10}\u{3002}\u{ff10}-\u{ff19}.]{1,10}",
            "\\[[0-9a-f:.]{0,20}\\]",
            "(%25|%2[eE]|%3[0-9]|%[46][1-9]){1,8}",
        ];
        let port = prop_oneof![Just(String::new()), ":[0-9]{0,6}"];
        let rest = "[a-zA-Z0-9/\\\\.%?#@;=&~ \u{e9}\t]{0,40}";
        (scheme, userinfo, host, port, rest)
            .prop_map(|(scheme, userinfo, host, port, rest)| format!("{scheme}{userinfo}{host}{port}{rest}"))
    }

    fn check_canonical(url: &CanonicalUrl) -> Result<(), TestCaseError> {
        // Everything but the port, which the canonical form leaves out on purpose.
        let again = canonicalize(url.as_str());
        prop_assert!(again.is_ok(), "canonical form refused: {:?} {:?}", url.as_str(), again);
        if let Ok(again) = again {
            prop_assert_eq!(again.as_str(), url.as_str(), "not idempotent");
            prop_assert_eq!(again.host(), url.host());
            prop_assert_eq!(again.path(), url.path());
            prop_assert_eq!(again.query(), url.query());
            prop_assert_eq!(again.port(), None);
        }
        let parsed = url::Url::parse(url.as_str());
        prop_assert!(parsed.is_ok(), "url rejects {:?}: {:?}", url.as_str(), parsed);
        if let Ok(parsed) = parsed {
            let expected = match url.host() {
                Host::Domain(d) => Some(url::Host::Domain(d.as_str())),
                Host::Ipv4(a) => Some(url::Host::Ipv4(*a)),
                Host::Ipv6(a) => Some(url::Host::Ipv6(*a)),
            };
            prop_assert_eq!(parsed.host(), expected, "url reads another host");
            prop_assert_eq!(parsed.scheme(), url.scheme());
        }
        let expressions = url.expressions();
        prop_assert!(expressions.len() <= MAX_EXPRESSIONS);
        let mut unique = expressions.clone();
        unique.sort();
        unique.dedup();
        prop_assert_eq!(unique.len(), expressions.len(), "duplicate expressions");
        Ok(())
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(2000))]

        #[test]
        fn arbitrary_unicode_never_panics_and_results_are_stable(input in any::<String>()) {
            if let Ok(url) = canonicalize(&input) {
                check_canonical(&url)?;
            }
        }

        #[test]
        fn link_like_input_is_idempotent_and_reparses(input in link_like()) {
            if let Ok(url) = canonicalize(&input) {
                check_canonical(&url)?;
            }
        }

        #[test]
        fn the_host_is_the_one_a_browser_would_open(input in link_like()) {
            // Where the spec and the browser agree (no escapes or stray dots in the
            // authority), the host must be the browser's: anything else could make a
            // fake site look official.
            let parsed = url::Url::parse(&input);
            // Stray dots are the one host change the spec makes on purpose (`0..` is a
            // name to a browser, `0.0.0.0` to the spec).
            let comparable = !input.contains('%')
                && parsed.as_ref().is_ok_and(|p| {
                    matches!(p.scheme(), "http" | "https")
                        && p.host_str().is_some_and(|h| !h.starts_with('.') && !h.contains(".."))
                });
            if let (Ok(parsed), Ok(url), true) = (parsed, canonicalize(&input), comparable) {
                let browser_host = parsed.host_str().map(|h| h.strip_suffix('.').unwrap_or(h).to_owned());
                let ours = match url.host() {
                    Host::Ipv6(_) => format!("[{}]", url.host_str()),
                    _ => url.host_str().to_owned(),
                };
                prop_assert_eq!(browser_host, Some(ours));
            }
        }
    }
}
