//! Whether `url::Url::parse` accepts a link, told without parsing it for the plain form
//! nearly every message holds (`http://www.kgi357.com/login`), so that the parser, and the
//! string it builds, run only for the rare links whose fate only it can decide.
//!
//! The answer is conservative: a host is given back only where the WHATWG URL rules leave
//! no doubt that the parser accepts the link and reads that host. A property test holds it
//! to the parser.

use std::net::Ipv4Addr;

/// The host of `value`, a link starting `http://` or `https://` (in lower case), when
/// `url::Url::parse` certainly accepts it and reads that host (in lower case: the host as
/// written, its ASCII letters lowered). `None` when only the parser can tell.
///
/// Certain means: the authority (up to the first `/`, `\`, `?` or `#`) is a host of ASCII
/// letters, digits, hyphens and dots, then an optional port of one to five digits no
/// larger than 65535. The host is a dotted-quad IPv4 address, or labels none of which is
/// empty or starts with `xn--` (punycode the parser would check) whose last one has a letter
/// and is not a hexadecimal number (the parser reads such a host as IPv4). Anything after
/// the authority cannot make the parser fail: paths, queries and fragments are
/// percent-encoded, never refused.
pub(super) fn host(value: &str) -> Option<&str> {
    let rest = value.strip_prefix("http://").or_else(|| value.strip_prefix("https://"))?;
    // The parser refuses a URL whose serialisation passes `u32::MAX` bytes; percent-encoding
    // at most triples each byte.
    if value.len() > (u32::MAX / 4) as usize {
        return None;
    }
    // One pass over the bytes: this runs for every link of every message.
    let bytes = rest.as_bytes();
    let host_end = bytes.iter().position(|&b| !is_host_byte(b)).unwrap_or(bytes.len());
    let ends_authority = |b: Option<&u8>| matches!(b, None | Some(b'/' | b'\\' | b'?' | b'#'));
    match bytes.get(host_end) {
        Some(b':') => {
            let port = &bytes[host_end + 1..];
            let digits = port.iter().take_while(|b| b.is_ascii_digit()).count();
            if !((1..=5).contains(&digits) && ends_authority(port.get(digits))) {
                return None;
            }
            let number = port[..digits].iter().fold(0_u32, |n, &d| n * 10 + u32::from(d - b'0'));
            if number > u32::from(u16::MAX) {
                return None;
            }
        }
        next if ends_authority(next) => {}
        _ => return None,
    }
    let host = &rest[..host_end];
    (is_plain_domain(host.as_bytes()) || host.parse::<Ipv4Addr>().is_ok()).then_some(host)
}

fn is_host_byte(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b == b'-' || b == b'.'
}

/// Whether `host` (letters, digits, hyphens and dots) is a domain name the parser takes as
/// it is, bar lower-casing.
fn is_plain_domain(host: &[u8]) -> bool {
    let mut last: &[u8] = &[];
    for label in host.split(|&b| b == b'.') {
        if label.is_empty() || label.get(..4).is_some_and(|head| head.eq_ignore_ascii_case(b"xn--")) {
            return false;
        }
        last = label;
    }
    // With a letter, the last label is a number only as hexadecimal (`0x1f`).
    last.iter().any(u8::is_ascii_alphabetic)
        && !last.get(..2).is_some_and(|head| head.eq_ignore_ascii_case(b"0x"))
}

#[cfg(test)]
mod tests {
    use super::host;
    use proptest::prelude::*;
    use url::Url;

    #[test]
    fn a_plain_link_gives_its_host_as_written() {
        assert_eq!(host("http://www.kgi357.com"), Some("www.kgi357.com"));
        assert_eq!(host("https://KGI.com.tw/login?a=1#top"), Some("KGI.com.tw"));
        assert_eq!(host("http://a-b.tw:8080/x"), Some("a-b.tw"));
        assert_eq!(host("http://89.106.207.153/index"), Some("89.106.207.153"));
        assert_eq!(host("http://kgi.com\\path"), Some("kgi.com"));
    }

    #[test]
    fn links_only_the_parser_can_judge_are_left_to_it() {
        for value in [
            "http://",
            "http:///kgi.com",
            "http://kgi.com.",
            "http://kgi..com",
            "http://.kgi.com",
            "http://xn--fiq228c.tw",
            "http://www.XN--abc.com",
            "http://evil.0x1f",
            "http://a.0X",
            "http://a.123",
            "http://1.2.3",
            "http://kgi.com:",
            "http://kgi.com:65536",
            "http://kgi.com:123456",
            "http://kgi.com:80a",
            "http://kgi.com:1:2",
            "http://user@kgi.com",
            "http://kgi%2ecom",
            "http://[::1]",
            "http://凱基.tw",
            "http://kgі.com",
            "http://kgi_357.com",
            "ftp://kgi.com",
            "HTTP://kgi.com",
        ] {
            assert_eq!(host(value), None, "{value}");
        }
    }

    #[test]
    fn the_largest_port_is_still_plain() {
        assert_eq!(host("http://kgi.com:65535"), Some("kgi.com"));
        assert_eq!(host("http://kgi.com:00080/"), Some("kgi.com"));
    }

    /// Pieces of plain links, and the awkward ones that put a link on the other side of the
    /// line, mixed so that both sides are reached often.
    const PLAIN: &[&str] =
        &["a", "kgi", "KGI", "357", "0", "1", "255", "com", "tw", "-", ".", ":", "80", "/", "?"];
    const AWKWARD: &[&str] = &[
        "256",
        "0x",
        "0x1f",
        "xn--",
        "xn--fiq228c",
        "..",
        "65535",
        "65536",
        "99999",
        "\\",
        "#",
        "@",
        "%",
        "%2e",
        "[",
        "]",
        "::1",
        "_",
        "~",
        "凱基",
        "і",
        "ß",
        "\u{200B}",
        " ",
        "\t",
    ];

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(4096))]

        #[test]
        fn a_host_given_back_is_the_one_the_parser_reads(
            https in any::<bool>(),
            parts in prop::collection::vec(
                prop_oneof![4 => prop::sample::select(PLAIN), 1 => prop::sample::select(AWKWARD)],
                0..12,
            ),
        ) {
            let value = format!("{}://{}", if https { "https" } else { "http" }, parts.concat());
            if let Some(found) = host(&value) {
                let parsed = Url::parse(&value);
                prop_assert!(parsed.is_ok(), "{value} does not parse: {parsed:?}");
                let read = parsed.ok().and_then(|url| url.host_str().map(str::to_owned));
                prop_assert_eq!(read, Some(found.to_ascii_lowercase()), "{}", value);
            }
        }
    }
}
