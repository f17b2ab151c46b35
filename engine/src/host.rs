//! Rules for host names: which strings are real domain names or IPv4 addresses,
//! and how one host relates to another (same site, subdomain).

use std::net::Ipv4Addr;

/// Whether `host` (already lower-case ASCII) is a syntactically valid domain name:
/// at least two labels, each 1–63 of `a-z 0-9 -` not starting or ending with `-`.
pub fn is_domain_name(host: &str) -> bool {
    // No test for a dotted quad is needed: its last label has no letter. The labels are
    // read as bytes, since this runs for every host-like word of every message.
    if host.is_empty() || host.len() > 253 {
        return false;
    }
    let mut labels = 0;
    let mut last: &[u8] = &[];
    for label in host.as_bytes().split(|&b| b == b'.') {
        labels += 1;
        let valid = label.len() <= 63
            && label.first().is_some_and(|&b| b != b'-')
            && label.last().is_some_and(|&b| b != b'-')
            && label.iter().all(|&b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-');
        if !valid {
            return false;
        }
        last = label;
    }
    labels >= 2 && last.iter().any(u8::is_ascii_lowercase)
}

/// Whether `host` is a dotted-quad IPv4 address.
pub fn is_ipv4(host: &str) -> bool {
    host.parse::<Ipv4Addr>().is_ok()
}

/// Whether `host` equals `domain` or is a subdomain of it on a label boundary
/// (`www.kgi.com.tw` is under `kgi.com.tw`; `evilkgi.com.tw` is not).
pub fn is_same_or_subdomain(host: &str, domain: &str) -> bool {
    match host.strip_suffix(domain) {
        Some("") => true,
        Some(prefix) => prefix.ends_with('.'),
        None => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn real_domains_are_domains() {
        assert!(is_domain_name("kgi.com.tw"));
        assert!(is_domain_name("kkpp.kgi357.com"));
        assert!(is_domain_name("2311915.ec66.tw"));
        assert!(is_domain_name("xn--fiq228c.tw"));
    }

    #[test]
    fn malformed_hosts_are_not_domains() {
        assert!(!is_domain_name("localhost"));
        assert!(!is_domain_name("-bad.com"));
        assert!(!is_domain_name("a..com"));
        assert!(!is_domain_name("1.2.3.4"));
        assert!(!is_domain_name("x.123"));
        assert!(!is_domain_name("UPPER.com"));
    }

    /// The test as first written, with a dotted-quad check and `str::split`: the byte loop
    /// must agree with it.
    fn is_domain_name_as_first_written(host: &str) -> bool {
        if host.is_empty() || host.len() > 253 || host.parse::<Ipv4Addr>().is_ok() {
            return false;
        }
        let mut labels = 0;
        for label in host.split('.') {
            labels += 1;
            let valid = !label.is_empty()
                && label.len() <= 63
                && !label.starts_with('-')
                && !label.ends_with('-')
                && label.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-');
            if !valid {
                return false;
            }
        }
        labels >= 2 && host.rsplit('.').next().is_some_and(|tld| tld.bytes().any(|b| b.is_ascii_lowercase()))
    }

    /// Pieces of host names, one of them a label of the longest length allowed.
    const PIECES: &[&str] = &[
        "a",
        "kgi",
        "Z",
        "1",
        "255",
        "0",
        ".",
        "..",
        "-",
        "_",
        "é",
        "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx",
    ];

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(4096))]

        #[test]
        fn the_byte_loop_agrees_with_the_first_domain_test(
            parts in proptest::collection::vec(
                proptest::sample::select(PIECES),
                0..10,
            ),
        ) {
            let host = parts.concat();
            proptest::prop_assert_eq!(is_domain_name(&host), is_domain_name_as_first_written(&host), "{}", host);
        }
    }

    #[test]
    fn subdomains_match_only_on_a_label_boundary() {
        assert!(is_same_or_subdomain("kgi.com.tw", "kgi.com.tw"));
        assert!(is_same_or_subdomain("www.kgi.com.tw", "kgi.com.tw"));
        assert!(!is_same_or_subdomain("evilkgi.com.tw", "kgi.com.tw"));
        assert!(!is_same_or_subdomain("kgi.com.tw.evil.net", "kgi.com.tw"));
    }
}
