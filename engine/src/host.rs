//! Rules for host names: which strings are real domain names or IPv4 addresses,
//! and how one host relates to another (same site, subdomain).

use std::net::Ipv4Addr;

/// Top-level domains that bare (scheme-less) text must end in to be taken as a domain.
///
/// A short list on purpose: without it `readme.txt` or `e.g.` would count as domains.
/// The detection-engine issue replaces it with the full Public Suffix List.
const KNOWN_TLDS: &[&str] = &[
    "app", "asia", "biz", "bet", "cc", "cn", "co", "com", "club", "cyou", "fun", "games", "hk", "icu",
    "info", "io", "jp", "kr", "life", "live", "me", "mo", "my", "net", "online", "org", "pro", "shop",
    "site", "store", "sg", "tech", "top", "tv", "tw", "uk", "us", "vip", "win", "work", "xyz",
];

/// Whether `host` (already lower-case ASCII) is a syntactically valid domain name:
/// at least two labels, each 1–63 of `a-z 0-9 -` not starting or ending with `-`.
pub fn is_domain_name(host: &str) -> bool {
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
            && label
                .bytes()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-');
        if !valid {
            return false;
        }
    }
    labels >= 2
        && host
            .rsplit('.')
            .next()
            .is_some_and(|tld| tld.bytes().any(|b| b.is_ascii_lowercase()))
}

/// Whether a bare domain found in running text ends in a known top-level domain.
pub fn has_known_tld(host: &str) -> bool {
    host.rsplit('.')
        .next()
        .is_some_and(|tld| KNOWN_TLDS.contains(&tld))
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

    #[test]
    fn file_names_do_not_have_a_known_tld() {
        assert!(!has_known_tld("readme.txt"));
        assert!(has_known_tld("kgi357.com"));
    }

    #[test]
    fn subdomains_match_only_on_a_label_boundary() {
        assert!(is_same_or_subdomain("kgi.com.tw", "kgi.com.tw"));
        assert!(is_same_or_subdomain("www.kgi.com.tw", "kgi.com.tw"));
        assert!(!is_same_or_subdomain("evilkgi.com.tw", "kgi.com.tw"));
        assert!(!is_same_or_subdomain("kgi.com.tw.evil.net", "kgi.com.tw"));
    }
}
