//! Public Suffix List look-ups: the public suffix and registrable domain of a host,
//! private section included (so `someone.github.io` is its own site).

/// The registrable domain ("eTLD+1") of a lower-case ASCII host: `kgi.com.tw.evil.net`
/// gives `evil.net`. `None` for a bare public suffix or an unlisted top-level domain.
pub fn registrable_domain(host: &str) -> Option<&str> {
    let domain = psl::domain(host.as_bytes())?;
    if !domain.suffix().is_known() {
        return None;
    }
    std::str::from_utf8(domain.as_bytes()).ok()
}

/// The public suffix of a host (`com.tw` for `www.kgi.com.tw`), when the list knows it.
pub fn public_suffix(host: &str) -> Option<&str> {
    let suffix = psl::suffix(host.as_bytes())?;
    if !suffix.is_known() {
        return None;
    }
    std::str::from_utf8(suffix.as_bytes()).ok()
}

/// Whether `host` ends in a suffix the Public Suffix List knows and has a label
/// before it, as a real domain name must (`readme.txt` does not: `txt` is no suffix).
pub fn has_public_suffix(host: &str) -> bool {
    registrable_domain(host).is_some()
}

/// Whether `name` (lower-case ASCII) is itself a suffix the list knows: `com`, `com.tw`,
/// `github.io`, but not `kgi357.com` or the unlisted `txt`.
pub fn is_public_suffix(name: &str) -> bool {
    psl::suffix(name.as_bytes()).is_some_and(|s| s.is_known() && s.as_bytes().len() == name.len())
}

/// Whether a host written without a scheme names a site under a listed suffix: it has a
/// registrable domain, or it is itself a suffix from the list's private section, which the
/// platform serves (`github.io`, and `4pt2yy.eth.limo` under the wildcard `*.eth.limo`).
/// An ICANN suffix alone (`com.tw`) is not a site.
pub fn is_listed_site(host: &str) -> bool {
    has_public_suffix(host)
        || (host.contains('.')
            && psl::suffix(host.as_bytes())
                .is_some_and(|s| s.typ() == Some(psl::Type::Private) && s.as_bytes().len() == host.len()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_registrable_domain_follows_the_public_suffix_list() {
        assert_eq!(registrable_domain("www.kgi.com.tw"), Some("kgi.com.tw"));
        assert_eq!(registrable_domain("kgi.com.tw.evil.net"), Some("evil.net"));
        assert_eq!(registrable_domain("kkpp.kgi357.com"), Some("kgi357.com"));
        assert_eq!(registrable_domain("2311915.ec66.tw"), Some("ec66.tw"));
    }

    #[test]
    fn private_suffixes_make_each_customer_its_own_site() {
        assert_eq!(registrable_domain("someone.github.io"), Some("someone.github.io"));
        assert_eq!(public_suffix("someone.github.io"), Some("github.io"));
    }

    #[test]
    fn a_bare_suffix_or_unknown_tld_has_no_registrable_domain() {
        assert_eq!(registrable_domain("com.tw"), None);
        assert_eq!(registrable_domain("readme.txt"), None);
        assert!(!has_public_suffix("e.g"));
        assert!(has_public_suffix("kgi888.cc"));
    }

    #[test]
    fn platform_names_and_their_wildcard_customers_are_sites_but_icann_suffixes_are_not() {
        assert!(is_listed_site("kgi357.com"));
        assert!(is_listed_site("github.io"));
        assert!(is_listed_site("4pt2yy.eth.limo"));
        assert!(!is_listed_site("com.tw"));
        assert!(!is_listed_site("readme.txt"));
        assert!(!is_listed_site("bitgin"));
    }

    #[test]
    fn only_listed_suffixes_are_public_suffixes() {
        assert!(is_public_suffix("com"));
        assert!(is_public_suffix("com.tw"));
        assert!(is_public_suffix("github.io"));
        assert!(!is_public_suffix("kgi357.com"));
        assert!(!is_public_suffix("txt"));
        assert!(!is_public_suffix(""));
    }
}
