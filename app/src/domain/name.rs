//! The host a domain page is about: a real domain name under a public suffix, or a public
//! IPv4 address, in one canonical spelling so that each site has exactly one page.

use std::fmt;
use std::net::Ipv4Addr;

use engine::canon::{canonicalize, CanonError, Host};
use engine::domain::{has_public_suffix, registrable_domain};
use engine::host::is_domain_name;

/// The longest text looked at; anything longer is refused before any work. An
/// international name may take several bytes per letter before it becomes ASCII.
const MAX_INPUT_BYTES: usize = 1024;

/// A host a domain page can be about, in its canonical form: lower-case ASCII (punycode
/// for international names), no trailing dot, no leading `www.`; or a dotted-quad public
/// IPv4 address.
///
/// IP addresses are accepted because the takedown database lists them (the vendor notice's
/// `89.106.207.153`) and a phishing link may be a bare address; only public IPv4 addresses
/// are, since a private, loopback or documentation address names no site anyone else can
/// reach. IPv6 addresses are refused: no listed site uses one, and `[...]` does not fit a
/// path segment cleanly.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct DomainName {
    name: String,
    is_ip: bool,
}

/// Why a text is not a host we can show a page for. The page shows one plain message for
/// all of them; the variants are for tests and logs.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum DomainNameError {
    #[error("there is no host name")]
    Empty,
    #[error("the host name is longer than 253 characters")]
    TooLong,
    #[error("a part of the host name is longer than 63 characters")]
    LabelTooLong,
    #[error("{0:?} cannot appear in a host name")]
    InvalidCharacter(char),
    #[error("the international host name is not valid")]
    InvalidInternational,
    #[error("this is not a valid host name")]
    NotAHostName,
    #[error("the host name does not end in a public suffix such as .com or .tw")]
    NoPublicSuffix,
    #[error("this is not a valid IP address")]
    InvalidIpAddress,
    #[error("{0} is not a public IP address")]
    NotPublicAddress(Ipv4Addr),
}

impl DomainName {
    /// Reads a host as someone may type it (`WWW.KGI357.COM.`, `台灣.tw`) and gives its
    /// canonical form. Anything beyond a host (a scheme, path, port, user name, query) is
    /// refused: a page is about a host, and the home page checks whole links.
    pub fn parse(input: &str) -> Result<Self, DomainNameError> {
        let text = input.trim();
        if text.is_empty() {
            return Err(DomainNameError::Empty);
        }
        if text.len() > MAX_INPUT_BYTES {
            return Err(DomainNameError::TooLong);
        }
        if let Some(bad) = text.chars().find(|&c| {
            matches!(c, '/' | '\\' | ':' | '@' | '?' | '#' | '%' | '[' | ']')
                || c.is_whitespace()
                || c.is_control()
        }) {
            return Err(DomainNameError::InvalidCharacter(bad));
        }
        // The engine's canonical form is the host a check judges and the result links to:
        // IDNA to punycode, lower case, stray dots dropped, numeric hosts read as IPv4.
        let url = canonicalize(&format!("http://{text}/")).map_err(|e| match e {
            CanonError::HostTooLong | CanonError::TooLong { .. } => DomainNameError::TooLong,
            CanonError::HostLabelTooLong => DomainNameError::LabelTooLong,
            CanonError::InvalidHostCharacter(c) => DomainNameError::InvalidCharacter(c),
            CanonError::InvalidInternationalHost | CanonError::InvalidHostEncoding => {
                DomainNameError::InvalidInternational
            }
            CanonError::InvalidIpv4Address | CanonError::InvalidIpv6Address => {
                DomainNameError::InvalidIpAddress
            }
            CanonError::Empty
            | CanonError::EmptyHost
            | CanonError::UnsupportedScheme(_)
            | CanonError::InvalidPort => DomainNameError::NotAHostName,
        })?;
        match url.host() {
            Host::Ipv4(addr) if is_public(*addr) => Ok(Self { name: addr.to_string(), is_ip: true }),
            Host::Ipv4(addr) => Err(DomainNameError::NotPublicAddress(*addr)),
            Host::Ipv6(_) => Err(DomainNameError::InvalidIpAddress),
            Host::Domain(domain) => {
                if !is_domain_name(domain) {
                    return Err(DomainNameError::NotAHostName);
                }
                if !has_public_suffix(domain) {
                    return Err(DomainNameError::NoPublicSuffix);
                }
                // `www.` is the same site to a reader; not when it is all there is before a
                // public suffix (`www.com.tw` is its own registrable domain).
                let name = match domain.strip_prefix("www.") {
                    Some(rest) if has_public_suffix(rest) => rest,
                    _ => domain,
                };
                Ok(Self { name: name.to_owned(), is_ip: false })
            }
        }
    }

    /// The canonical host, as it appears in the page's address.
    pub fn as_str(&self) -> &str {
        &self.name
    }

    /// Whether this is an IP address rather than a domain name.
    pub fn is_ip(&self) -> bool {
        self.is_ip
    }

    /// The registrable domain (`kgi357.com` for `kkpp.kgi357.com`); none for an address.
    pub fn registrable_domain(&self) -> Option<&str> {
        if self.is_ip {
            None
        } else {
            registrable_domain(&self.name)
        }
    }

    /// The page's own path, `/domain/{host}`.
    pub fn page_path(&self) -> String {
        format!("/domain/{}", self.name)
    }
}

impl fmt::Display for DomainName {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.name)
    }
}

/// Whether anyone on the internet could reach a site at `addr`.
fn is_public(addr: Ipv4Addr) -> bool {
    let [a, b, ..] = addr.octets();
    let shared = a == 100 && (64..128).contains(&b);
    !(addr.is_private()
        || addr.is_loopback()
        || addr.is_link_local()
        || addr.is_broadcast()
        || addr.is_documentation()
        || addr.is_unspecified()
        || addr.is_multicast()
        || shared
        || a == 0
        || a >= 240)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn canonical(input: &str) -> String {
        match DomainName::parse(input) {
            Ok(name) => name.to_string(),
            Err(e) => panic!("{input:?} was refused: {e}"),
        }
    }

    #[test]
    fn good_hosts_keep_their_canonical_form() {
        assert_eq!(canonical("kkpp.kgi357.com"), "kkpp.kgi357.com");
        assert_eq!(canonical("kgi.com.tw"), "kgi.com.tw");
        assert_eq!(canonical("2311915.ec66.tw"), "2311915.ec66.tw");
        assert_eq!(canonical("someone.github.io"), "someone.github.io");
    }

    #[test]
    fn case_a_trailing_dot_and_www_are_spelled_one_way() {
        assert_eq!(canonical("WWW.KGI357.COM"), "kgi357.com");
        assert_eq!(canonical("kgi357.com."), "kgi357.com");
        assert_eq!(canonical("www.kgi.com.tw"), "kgi.com.tw");
        assert_eq!(canonical("www.com.tw"), "www.com.tw", "www is the site itself here");
        assert_eq!(canonical("www.www.kgi.com.tw"), "www.kgi.com.tw", "only one www is dropped");
    }

    #[test]
    fn international_names_become_punycode() {
        assert_eq!(canonical("台灣.tw"), "xn--kpry57d.tw");
        let brand = canonical("凱基證券.com");
        assert!(brand.starts_with("xn--") && brand.ends_with(".com"), "{brand}");
        assert_eq!(canonical(&brand.to_uppercase()), brand, "punycode is lower-cased like any name");
        assert_eq!(canonical("ｋｇｉ３５７．ｃｏｍ"), "kgi357.com", "full-width letters are the same host");
    }

    #[test]
    fn ip_addresses_are_accepted_when_public() {
        let ip = DomainName::parse("89.106.207.153").unwrap();
        assert_eq!(ip.as_str(), "89.106.207.153");
        assert!(ip.is_ip());
        assert_eq!(ip.registrable_domain(), None);
        assert_eq!(
            DomainName::parse("127.0.0.1"),
            Err(DomainNameError::NotPublicAddress(Ipv4Addr::LOCALHOST))
        );
        assert!(matches!(DomainName::parse("192.168.1.1"), Err(DomainNameError::NotPublicAddress(_))));
        assert_eq!(DomainName::parse("999.1.1.1"), Err(DomainNameError::InvalidIpAddress));
        assert!(DomainName::parse("[::1]").is_err(), "IPv6 is not taken");
    }

    #[test]
    fn bad_hosts_are_refused_with_the_reason() {
        assert_eq!(DomainName::parse(""), Err(DomainNameError::Empty));
        assert_eq!(DomainName::parse("localhost"), Err(DomainNameError::NotAHostName));
        assert_eq!(DomainName::parse("readme.txt"), Err(DomainNameError::NoPublicSuffix));
        assert_eq!(DomainName::parse("com.tw"), Err(DomainNameError::NoPublicSuffix));
        assert_eq!(DomainName::parse("-bad.com"), Err(DomainNameError::NotAHostName));
        assert_eq!(DomainName::parse("under_score.com"), Err(DomainNameError::NotAHostName));
        assert_eq!(DomainName::parse("a b.com"), Err(DomainNameError::InvalidCharacter(' ')));
        assert_eq!(DomainName::parse("kgi357.com/login"), Err(DomainNameError::InvalidCharacter('/')));
        assert_eq!(DomainName::parse("https:kgi357.com"), Err(DomainNameError::InvalidCharacter(':')));
        assert_eq!(DomainName::parse("<script>.com"), Err(DomainNameError::InvalidCharacter('<')));
    }

    #[test]
    fn names_over_the_dns_limits_are_refused() {
        let label = "a".repeat(63);
        let longest = format!("{label}.{label}.{label}.{}.com", "a".repeat(57));
        assert_eq!(longest.len(), 253);
        assert_eq!(canonical(&longest), longest);
        assert_eq!(DomainName::parse(&format!("a{longest}")), Err(DomainNameError::TooLong));
        assert_eq!(DomainName::parse(&format!("{}.com", "a".repeat(64))), Err(DomainNameError::LabelTooLong));
        assert_eq!(DomainName::parse(&"a.".repeat(2000)), Err(DomainNameError::TooLong));
    }

    #[test]
    fn the_page_path_and_site_follow_the_host() {
        let name = DomainName::parse("kkpp.kgi357.com").unwrap();
        assert_eq!(name.page_path(), "/domain/kkpp.kgi357.com");
        assert_eq!(name.registrable_domain(), Some("kgi357.com"));
    }
}
