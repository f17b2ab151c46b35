//! The immutable in-memory index a check runs against: the official list, the brand
//! profile and the takedown database, validated when built so that one bad row
//! refuses the whole data set instead of poisoning checks.

use std::collections::{HashMap, HashSet};
use std::hash::{BuildHasher, RandomState};
use std::net::IpAddr;

use serde::{Deserialize, Serialize};

use crate::canon::CanonicalUrl;
use crate::domain::{is_public_suffix, registrable_domain};
use crate::host::{is_domain_name, is_ipv4};
use crate::lookalike::{BrandError, BrandProfile, Lookalike};
use crate::sender::FirmNames;
use crate::signals::ScamPhrases;

/// Where a takedown entry stands in its lifecycle.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum TakedownStatus {
    /// Found (by the vendor, an analyst or a report); nothing asked of anyone yet.
    Detected,
    /// Reported to the takedown vendor or the authorities (165), who are looking at it.
    Reported,
    /// Takedown asked of the host or registrar; the site may still be up.
    TakedownRequested,
    /// Confirmed offline.
    TakenDown,
    /// Taken down and watched, in case it comes back.
    Monitoring,
    /// Came back after being taken down.
    Reactivated,
    /// Not a fake after all: checks no longer condemn it.
    FalsePositive,
    /// Taken off the list (reported by mistake, or no longer ours to follow): checks no
    /// longer condemn it.
    Withdrawn,
}

impl TakedownStatus {
    /// Every status, in lifecycle order.
    pub const ALL: [Self; 8] = [
        Self::Detected,
        Self::Reported,
        Self::TakedownRequested,
        Self::TakenDown,
        Self::Monitoring,
        Self::Reactivated,
        Self::FalsePositive,
        Self::Withdrawn,
    ];

    /// The stable code stored in the database and used in JSON.
    pub fn code(self) -> &'static str {
        match self {
            Self::Detected => "detected",
            Self::Reported => "reported",
            Self::TakedownRequested => "takedown_requested",
            Self::TakenDown => "taken_down",
            Self::Monitoring => "monitoring",
            Self::Reactivated => "reactivated",
            Self::FalsePositive => "false_positive",
            Self::Withdrawn => "withdrawn",
        }
    }

    /// Parses a stored status code.
    pub fn parse(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|s| s.code() == code)
    }

    /// Whether an entry in this status marks a known fake: every status but a false
    /// positive and a withdrawn entry (a taken-down site is still a fake that may return).
    pub fn condemns(self) -> bool {
        !matches!(self, Self::FalsePositive | Self::Withdrawn)
    }
}

/// How much a takedown entry covers.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum TakedownScope {
    /// Exactly one page: target `host/path?query`.
    Url,
    /// A page and everything under it: target `host/path/`.
    PathPrefix,
    /// A host and its subdomains, any path: target `host`.
    Host,
    /// A whole registrable domain and its subdomains: target `domain`.
    RegistrableDomain,
    /// Any link whose host is this IP address: target `1.2.3.4` or an IPv6 address.
    Ip,
    /// Any link whose host is in this network: target `1.2.3.0/24`.
    Cidr,
}

impl TakedownScope {
    /// Every scope.
    pub const ALL: [Self; 6] =
        [Self::Url, Self::PathPrefix, Self::Host, Self::RegistrableDomain, Self::Ip, Self::Cidr];

    /// The stable code stored in the database and used in JSON.
    pub fn code(self) -> &'static str {
        match self {
            Self::Url => "url",
            Self::PathPrefix => "path_prefix",
            Self::Host => "host",
            Self::RegistrableDomain => "registrable_domain",
            Self::Ip => "ip",
            Self::Cidr => "cidr",
        }
    }

    /// Parses a stored scope code.
    pub fn parse(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|s| s.code() == code)
    }
}

/// One known fake in the takedown database, as the index is built from it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TakedownEntry {
    pub id: i64,
    pub scope: TakedownScope,
    /// What the scope applies to (see [`TakedownScope`] for each form).
    pub target: String,
    pub status: TakedownStatus,
    /// The day the entry was first listed, `YYYY-MM-DD`.
    pub listed_on: String,
}

/// Everything an index is built from, as read from storage.
#[derive(Clone, Debug, Default)]
pub struct IndexData {
    /// Verified domains: each and its subdomains are official.
    pub official_domains: Vec<String>,
    /// Official hotlines, E.164 (`+886223456789`).
    pub official_phones: Vec<String>,
    /// Official LINE accounts, lower-case, without `@`.
    pub official_line_ids: Vec<String>,
    /// Words that name the firm (`kgi`, `凱基`).
    pub brand_keywords: Vec<String>,
    /// The firm's own names (`凱基證券`, `KGI Securities`): with the brand keywords, what a
    /// message that speaks as the firm calls itself.
    pub firm_names: Vec<String>,
    pub takedown: Vec<TakedownEntry>,
    /// Lookalike warnings the security team found wrong for one site: (registrable domain,
    /// lookalike code such as `brand_in_name`). A check no longer gives that reason there.
    pub cleared_lookalikes: Vec<(String, String)>,
}

/// What the index keeps of a takedown entry: just what a check reports. The targets
/// live only as look-up keys, so a million entries stay small in memory.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ListedEntry {
    pub id: i64,
    pub scope: TakedownScope,
    pub status: TakedownStatus,
    listed_on: [u8; 10],
}

impl ListedEntry {
    /// The day the entry was first listed, `YYYY-MM-DD`.
    pub fn listed_on(&self) -> &str {
        // Only ASCII dates are ever stored (checked in `Index::build`).
        std::str::from_utf8(&self.listed_on).unwrap_or("")
    }
}

/// Whether `date` is a `YYYY-MM-DD` date (digits and dashes in place; month 01–12, day 01–31).
fn parse_date(date: &str) -> Option<[u8; 10]> {
    let bytes: [u8; 10] = date.as_bytes().try_into().ok()?;
    let digits_ok =
        bytes.iter().enumerate().all(|(i, b)| if i == 4 || i == 7 { *b == b'-' } else { b.is_ascii_digit() });
    let number = |r: std::ops::Range<usize>| date[r].parse::<u8>().ok();
    let month_ok = number(5..7).is_some_and(|m| (1..=12).contains(&m));
    let day_ok = number(8..10).is_some_and(|d| (1..=31).contains(&d));
    (digits_ok && month_ok && day_ok).then_some(bytes)
}

/// Why a data set could not become an index. Each names the offending row.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum IndexError {
    #[error("official domain {0:?} is not a valid lower-case domain name")]
    InvalidOfficialDomain(String),
    #[error(
        "official domain {0:?} is a public suffix, an ending that many unrelated sites share; \
         list the firm's own domain instead"
    )]
    OfficialDomainIsPublicSuffix(String),
    #[error(
        "official domain {0:?} has no registrable domain under the Public Suffix List (an unknown ending)"
    )]
    OfficialDomainNotRegistrable(String),
    #[error(
        "official domain {official:?} is also in the takedown data (entry {entry_id}, {scope} {target:?}): \
         an address cannot be both the firm's and a fake, so neither is used until one of them is corrected"
    )]
    OfficialListedAsFake { official: String, entry_id: i64, scope: &'static str, target: String },
    #[error("official phone {0:?} is not an E.164 number such as +886223456789")]
    InvalidOfficialPhone(String),
    #[error("official LINE ID {0:?} is not a lower-case LINE ID")]
    InvalidOfficialLineId(String),
    #[error("brand profile is not usable: {0}")]
    Brand(#[from] BrandError),
    #[error("takedown entry {id} has listing date {date:?}, which is not a YYYY-MM-DD date")]
    InvalidListingDate { id: i64, date: String },
    #[error("takedown entry {id} has scope {scope} but target {target:?}, which is not {expected}")]
    InvalidTakedownTarget { id: i64, scope: &'static str, target: String, expected: &'static str },
    #[error("a cleared lookalike warning names {domain:?} and {reason:?}, which is not a registrable domain and a lookalike reason")]
    InvalidClearedLookalike { domain: String, reason: String },
}

/// Checks and indexes the cleared lookalike warnings: each names a registrable domain (not a
/// public suffix, not an IP address) and one of [`Lookalike::CODES`].
fn cleared_set(cleared: Vec<(String, String)>) -> Result<HashMap<Box<str>, Vec<&'static str>>, IndexError> {
    let mut set: HashMap<Box<str>, Vec<&'static str>> = HashMap::new();
    for (domain, reason) in cleared {
        let code = Lookalike::CODES.iter().find(|c| **c == reason);
        let registrable = is_domain_name(&domain) && registrable_domain(&domain) == Some(domain.as_str());
        let Some(code) = code.filter(|_| registrable) else {
            return Err(IndexError::InvalidClearedLookalike { domain, reason });
        };
        let codes = set.entry(domain.into()).or_default();
        if !codes.contains(code) {
            codes.push(code);
        }
    }
    Ok(set)
}

/// An IP network: family, prefix length and the address masked to that length.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
struct Network {
    v6: bool,
    len: u8,
    base: u128,
}

impl Network {
    fn parse(text: &str) -> Option<Self> {
        let (addr, len) = text.split_once('/')?;
        let addr: IpAddr = addr.parse().ok()?;
        let len: u8 = len.parse().ok()?;
        let v6 = addr.is_ipv6();
        (len <= family_bits(v6)).then(|| Self::of(addr, len))
    }

    /// The network of `len` bits that contains `ip`.
    fn of(ip: IpAddr, len: u8) -> Self {
        let v6 = ip.is_ipv6();
        let bits = u32::from(family_bits(v6));
        let len_bits = u32::from(len);
        let mask = if len == 0 { 0 } else { (!0u128 << (128 - len_bits)) >> (128 - bits) };
        Self { v6, len, base: ip_bits(ip) & mask }
    }
}

fn family_bits(v6: bool) -> u8 {
    if v6 {
        128
    } else {
        32
    }
}

fn ip_bits(ip: IpAddr) -> u128 {
    match ip {
        IpAddr::V4(v4) => u128::from(u32::from(v4)),
        IpAddr::V6(v6) => u128::from(v6),
    }
}

/// Official list, brand profile, scam wording and takedown database, ready for look-ups.
#[derive(Clone, Debug)]
pub struct Index {
    official_domains: Vec<String>,
    official_phones: HashSet<String>,
    official_line_ids: HashSet<String>,
    brand: BrandProfile,
    firm_names: FirmNames,
    phrases: ScamPhrases,
    takedown: Vec<ListedEntry>,
    /// Safe-Browsing-style expressions (`host/`, `host/path/`, `host/path?q`) → entry position.
    by_expression: HashMap<Box<str>, u32>,
    /// Hashes (by `path_host_hasher`) of the hosts of page and path-prefix entries. Only such
    /// a host has expressions with a path other than `/`, so a URL check looks those up only
    /// for hosts found here; a hash collision merely costs a few needless look-ups.
    path_hosts: HashSet<u64>,
    path_host_hasher: RandomState,
    by_ip: HashMap<IpAddr, u32>,
    /// Networks by (family, length, base); a look-up masks the address once per
    /// distinct prefix length, most specific first, so it stays fast with many entries.
    networks: HashMap<Network, u32>,
    network_lengths: Vec<(bool, u8)>,
    /// Per registrable domain, the lookalike codes a check no longer gives there.
    cleared: HashMap<Box<str>, Vec<&'static str>>,
}

impl Index {
    /// Builds an index, refusing the whole data set if any row is invalid, so that a
    /// bad import never half-replaces good data.
    pub fn build(data: IndexData) -> Result<Self, IndexError> {
        let IndexData {
            official_domains,
            official_phones,
            official_line_ids,
            brand_keywords,
            firm_names,
            takedown,
            cleared_lookalikes,
        } = data;
        for domain in &official_domains {
            check_official_domain(domain)?;
        }
        if let Some(bad) = official_phones.iter().find(|p| !is_e164(p)) {
            return Err(IndexError::InvalidOfficialPhone(bad.clone()));
        }
        if let Some(bad) = official_line_ids.iter().find(|id| !is_line_id(id)) {
            return Err(IndexError::InvalidOfficialLineId(bad.clone()));
        }
        let cleared = cleared_set(cleared_lookalikes)?;
        let brand = BrandProfile::new(&official_domains, &brand_keywords)?;
        let names: Vec<&str> = firm_names.iter().chain(&brand_keywords).map(String::as_str).collect();
        let official_set: HashSet<&str> = official_domains.iter().map(String::as_str).collect();
        // A false positive or a withdrawn entry stays in storage with its history, but
        // condemns nothing.
        let takedown: Vec<TakedownEntry> = takedown.into_iter().filter(|e| e.status.condemns()).collect();
        if let Some(conflict) = takedown.iter().find_map(|e| official_covered_by(e, &official_set)) {
            return Err(conflict);
        }
        let mut index = Self {
            official_domains: Vec::new(),
            official_phones: official_phones.into_iter().collect(),
            official_line_ids: official_line_ids.into_iter().collect(),
            brand,
            firm_names: FirmNames::new(&names),
            phrases: ScamPhrases::default(),
            takedown: Vec::with_capacity(takedown.len()),
            by_expression: HashMap::with_capacity(takedown.len()),
            path_hosts: HashSet::new(),
            path_host_hasher: RandomState::new(),
            by_ip: HashMap::new(),
            networks: HashMap::new(),
            network_lengths: Vec::new(),
            cleared,
        };
        for (position, entry) in takedown.into_iter().enumerate() {
            let position = u32::try_from(position).unwrap_or(u32::MAX);
            index.add_takedown(&entry, position)?;
            let listed_on = parse_date(&entry.listed_on).ok_or_else(|| IndexError::InvalidListingDate {
                id: entry.id,
                date: entry.listed_on.clone(),
            })?;
            index.takedown.push(ListedEntry {
                id: entry.id,
                scope: entry.scope,
                status: entry.status,
                listed_on,
            });
        }
        index.official_domains = official_domains;
        Ok(index)
    }

    fn add_takedown(&mut self, entry: &TakedownEntry, position: u32) -> Result<(), IndexError> {
        let invalid = |expected| IndexError::InvalidTakedownTarget {
            id: entry.id,
            scope: entry.scope.code(),
            target: entry.target.clone(),
            expected,
        };
        let target = entry.target.as_str();
        // Several entries can share a key; the first listed stands for it.
        match entry.scope {
            TakedownScope::Url | TakedownScope::PathPrefix => {
                let (host, _) = target.split_once('/').ok_or_else(|| invalid("host/path"))?;
                if !(is_domain_name(host) || is_ipv4(host)) {
                    return Err(invalid("host/path with a valid host"));
                }
                if entry.scope == TakedownScope::PathPrefix && !target.ends_with('/') {
                    return Err(invalid("a path prefix ending in /"));
                }
                self.by_expression.entry(target.into()).or_insert(position);
                self.path_hosts.insert(self.path_host_hasher.hash_one(host));
            }
            TakedownScope::Host | TakedownScope::RegistrableDomain => {
                if !(is_domain_name(target) || is_ipv4(target)) {
                    return Err(invalid("a domain name"));
                }
                self.by_expression.entry(format!("{target}/").into()).or_insert(position);
            }
            TakedownScope::Ip => {
                let ip: IpAddr = target.parse().map_err(|_| invalid("an IP address"))?;
                self.by_ip.entry(ip).or_insert(position);
            }
            TakedownScope::Cidr => {
                let network =
                    Network::parse(target).ok_or_else(|| invalid("a network such as 1.2.3.0/24"))?;
                self.networks.entry(network).or_insert(position);
                if !self.network_lengths.contains(&(network.v6, network.len)) {
                    self.network_lengths.push((network.v6, network.len));
                    self.network_lengths.sort_by_key(|&(_, len)| std::cmp::Reverse(len));
                }
            }
        }
        Ok(())
    }

    /// The takedown entry matching the first of `expressions` (give them most specific
    /// first, as Safe Browsing orders them) that is listed.
    pub fn takedown_for_expressions<'a>(
        &self,
        expressions: impl IntoIterator<Item = &'a str>,
    ) -> Option<&ListedEntry> {
        expressions.into_iter().find_map(|e| self.by_expression.get(e)).map(|&i| &self.takedown[i as usize])
    }

    /// The takedown entry a canonical URL matches by name: the first listed of its lookup
    /// expressions ([`CanonicalUrl::expressions`], most specific first), then `site/` for its
    /// registrable domain `site`. The same answer as [`Self::takedown_for_expressions`] on
    /// those expressions, without building them all: a path other than `/` is only tried
    /// on a host that has page or path-prefix entries.
    pub fn takedown_for_url(&self, url: &CanonicalUrl, site: Option<&str>) -> Option<&ListedEntry> {
        self.takedown_hit_for_url(url, site).map(|(entry, _)| entry)
    }

    /// [`Self::takedown_for_url`] with the listed name the URL fell under: the host of the
    /// expression that matched (`kkpp.kgi357.com` for `https://victim-id.kkpp.kgi357.com/`),
    /// or `site`. It names the listing without whatever a phishing kit put in front of it.
    pub fn takedown_hit_for_url<'u>(
        &self,
        url: &'u CanonicalUrl,
        site: Option<&'u str>,
    ) -> Option<(&ListedEntry, &'u str)> {
        let hosts = url.lookup_hosts();
        let paths = url.lookup_paths();
        let mut expression = String::with_capacity(url.as_str().len());
        let mut listed = |host: &str, path: &str| {
            expression.clear();
            expression.push_str(host);
            expression.push_str(path);
            self.by_expression.get(expression.as_str()).copied()
        };
        let found = hosts.iter().find_map(|&host| {
            let has_paths = self.path_hosts.contains(&self.path_host_hasher.hash_one(host));
            let position =
                paths.iter().filter(|&&path| has_paths || path == "/").find_map(|&path| listed(host, path));
            position.map(|i| (i, host))
        });
        found
            .or_else(|| site.and_then(|site| listed(site, "/").map(|i| (i, site))))
            .map(|(i, host)| (&self.takedown[i as usize], host))
    }

    /// The takedown entry listing this IP address, exactly or by network.
    pub fn takedown_for_ip(&self, ip: IpAddr) -> Option<&ListedEntry> {
        self.by_ip
            .get(&ip)
            .or_else(|| {
                self.network_lengths
                    .iter()
                    .filter(|(v6, _)| *v6 == ip.is_ipv6())
                    .find_map(|&(_, len)| self.networks.get(&Network::of(ip, len)))
            })
            .map(|&i| &self.takedown[i as usize])
    }

    /// The official domain that `host` is, or is a subdomain of on a label boundary.
    pub fn official_domain_for(&self, host: &str) -> Option<&str> {
        self.official_domains.iter().find(|d| crate::host::is_same_or_subdomain(host, d)).map(String::as_str)
    }

    /// Whether an E.164 number is an official hotline.
    pub fn is_official_phone(&self, e164: &str) -> bool {
        self.official_phones.contains(e164)
    }

    /// Whether a lower-case LINE ID is an official account.
    pub fn is_official_line_id(&self, id: &str) -> bool {
        self.official_line_ids.contains(id)
    }

    /// The official domains, in the order given.
    pub fn official_domains(&self) -> &[String] {
        &self.official_domains
    }

    /// The names a message that speaks as the firm uses.
    pub fn firm_names(&self) -> &FirmNames {
        &self.firm_names
    }

    /// The brand profile lookalikes are judged against.
    pub fn brand_profile(&self) -> &BrandProfile {
        &self.brand
    }

    /// Whether the security team cleared lookalike warning `code` for the registrable domain
    /// `site` (a site that looks like the firm's but is someone's real one).
    pub fn lookalike_cleared(&self, site: &str, code: &str) -> bool {
        self.cleared.get(site).is_some_and(|codes| codes.contains(&code))
    }

    /// The scam wording to look for in messages.
    pub fn scam_phrases(&self) -> &ScamPhrases {
        &self.phrases
    }

    /// How many takedown entries the index holds.
    pub fn takedown_len(&self) -> usize {
        self.takedown.len()
    }
}

/// Refuses an official domain that is malformed, a public suffix (`com.tw`, `tw`,
/// `github.io`: marking one official would mark every site under it), or under an ending
/// the Public Suffix List does not know. The index refuses a stored one; a form that
/// proposes one asks first.
pub fn check_official_domain(domain: &str) -> Result<(), IndexError> {
    if is_public_suffix(domain) {
        return Err(IndexError::OfficialDomainIsPublicSuffix(domain.to_owned()));
    }
    if !is_domain_name(domain) {
        return Err(IndexError::InvalidOfficialDomain(domain.to_owned()));
    }
    if registrable_domain(domain).is_none() {
        return Err(IndexError::OfficialDomainNotRegistrable(domain.to_owned()));
    }
    Ok(())
}

/// The conflict when a takedown entry's host is an official domain or lies under one.
fn official_covered_by(entry: &TakedownEntry, officials: &HashSet<&str>) -> Option<IndexError> {
    let official = covered_official(entry.scope, &entry.target, officials)?;
    Some(IndexError::OfficialListedAsFake {
        official: official.to_owned(),
        entry_id: entry.id,
        scope: entry.scope.code(),
        target: entry.target.clone(),
    })
}

/// The official domain a takedown target would condemn, if any: the target's host is an
/// official domain or lies under one, or (for a whole registrable domain) an official
/// domain lies under the target. An import refuses such a row before it is written; the
/// index refuses a stored one.
pub fn covered_official<'a>(
    scope: TakedownScope,
    target: &str,
    officials: &HashSet<&'a str>,
) -> Option<&'a str> {
    let host = match scope {
        TakedownScope::Url | TakedownScope::PathPrefix => target.split_once('/').map(|(h, _)| h)?,
        TakedownScope::Host | TakedownScope::RegistrableDomain => target,
        TakedownScope::Ip | TakedownScope::Cidr => return None,
    };
    let mut name = host;
    loop {
        if let Some(official) = officials.get(name) {
            return Some(official);
        }
        match name.split_once('.') {
            Some((_, parent)) => name = parent,
            None => break,
        }
    }
    // A host above an official domain (`kgi.com.tw` when `www.kgi.com.tw` is official)
    // covers it as well.
    if matches!(scope, TakedownScope::Host | TakedownScope::RegistrableDomain) {
        return officials
            .iter()
            .find(|o| {
                o.len() > host.len() && o.ends_with(host) && o.as_bytes()[o.len() - host.len() - 1] == b'.'
            })
            .copied();
    }
    None
}

/// Whether `phone` is written in E.164 (`+886223456789`), as official hotlines are stored.
pub fn is_e164(phone: &str) -> bool {
    phone.strip_prefix('+').is_some_and(|digits| {
        (8..=15).contains(&digits.len())
            && digits.bytes().all(|b| b.is_ascii_digit())
            && !digits.starts_with('0')
    })
}

/// Whether `id` is a LINE ID as official accounts are stored: lower case, without `@`.
pub fn is_line_id(id: &str) -> bool {
    (1..=40).contains(&id.len())
        && id.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b"._-".contains(&b))
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    /// A takedown entry for tests: requested, listed 2025-09-30.
    pub(crate) fn entry(id: i64, scope: TakedownScope, target: &str) -> TakedownEntry {
        TakedownEntry {
            id,
            scope,
            target: target.into(),
            status: TakedownStatus::TakedownRequested,
            listed_on: "2025-09-30".into(),
        }
    }

    fn index_of(takedown: Vec<TakedownEntry>) -> Index {
        Index::build(IndexData { takedown, ..IndexData::default() }).expect("valid index")
    }

    #[test]
    fn an_invalid_official_domain_refuses_the_whole_index() {
        let data = IndexData { official_domains: vec!["not a domain".into()], ..IndexData::default() };
        assert_eq!(Index::build(data).unwrap_err(), IndexError::InvalidOfficialDomain("not a domain".into()));
    }

    fn official_with(domains: &[&str], takedown: Vec<TakedownEntry>) -> Result<Index, IndexError> {
        Index::build(IndexData {
            official_domains: domains.iter().map(|d| (*d).to_owned()).collect(),
            takedown,
            ..IndexData::default()
        })
    }

    #[test]
    fn a_public_suffix_as_official_domain_is_refused_naming_it() {
        for suffix in ["com.tw", "tw", "github.io", "com"] {
            let err = official_with(&["kgi.com.tw", suffix], vec![]).unwrap_err();
            assert_eq!(err, IndexError::OfficialDomainIsPublicSuffix(suffix.into()));
            assert!(err.to_string().contains(&format!("{suffix:?} is a public suffix")), "{err}");
        }
    }

    #[test]
    fn an_official_domain_under_an_unknown_ending_is_refused() {
        let err = official_with(&["kgi.invalidtld"], vec![]).unwrap_err();
        assert_eq!(err, IndexError::OfficialDomainNotRegistrable("kgi.invalidtld".into()));
    }

    #[test]
    fn an_official_domain_that_is_also_a_listed_fake_refuses_both() {
        let cases = [
            (entry(3, TakedownScope::Host, "kgi.com.tw"), "kgi.com.tw"),
            (entry(4, TakedownScope::Host, "login.kgi.com.tw"), "kgi.com.tw"),
            (entry(5, TakedownScope::Url, "www.kgi.com.tw/login"), "kgi.com.tw"),
            (entry(6, TakedownScope::PathPrefix, "kgi.com.tw/app/"), "kgi.com.tw"),
            (entry(7, TakedownScope::RegistrableDomain, "kgi.com.tw"), "kgi.com.tw"),
        ];
        for (listed, official) in cases {
            let id = listed.id;
            let err = official_with(&[official], vec![listed]).unwrap_err();
            assert!(
                matches!(&err, IndexError::OfficialListedAsFake { entry_id, .. } if *entry_id == id),
                "entry {id}: {err}"
            );
            assert!(err.to_string().contains("neither is used"), "{err}");
        }
    }

    #[test]
    fn a_listed_fake_above_an_official_subdomain_refuses_both() {
        let err = official_with(
            &["www.kgi.com.tw"],
            vec![entry(8, TakedownScope::RegistrableDomain, "kgi.com.tw")],
        )
        .unwrap_err();
        assert_eq!(
            err,
            IndexError::OfficialListedAsFake {
                official: "www.kgi.com.tw".into(),
                entry_id: 8,
                scope: "registrable_domain",
                target: "kgi.com.tw".into()
            }
        );
    }

    #[test]
    fn a_false_positive_or_withdrawn_entry_condemns_nothing_even_over_an_official_domain() {
        let mut cleared = entry(9, TakedownScope::Host, "kgi.com.tw");
        cleared.status = TakedownStatus::FalsePositive;
        let mut withdrawn = entry(10, TakedownScope::Host, "kgi357.com");
        withdrawn.status = TakedownStatus::Withdrawn;
        let index = official_with(&["kgi.com.tw"], vec![cleared, withdrawn]).unwrap();
        assert_eq!(index.takedown_len(), 0);
        assert!(TakedownStatus::ALL.iter().filter(|s| !s.condemns()).count() == 2);
    }

    #[test]
    fn covered_official_names_the_official_domain_a_target_would_condemn() {
        let officials: HashSet<&str> = ["www.kgi.com.tw", "kgieworld.com"].into_iter().collect();
        let covered = |scope, target| covered_official(scope, target, &officials);
        assert_eq!(covered(TakedownScope::Host, "kgi.com.tw"), Some("www.kgi.com.tw"));
        assert_eq!(covered(TakedownScope::Url, "a.kgieworld.com/login"), Some("kgieworld.com"));
        assert_eq!(
            covered(TakedownScope::Url, "kgi.com.tw/login"),
            None,
            "one page above is not the official host"
        );
        assert_eq!(covered(TakedownScope::Host, "kgi357.com"), None);
        assert_eq!(covered(TakedownScope::Host, "w.kgi.com.tw"), None, "a sibling, not the official");
        assert_eq!(covered(TakedownScope::Ip, "89.106.207.153"), None);
    }

    #[test]
    fn neighbours_of_an_official_domain_may_be_listed() {
        let listed = vec![
            entry(1, TakedownScope::Host, "evilkgi.com.tw"),
            entry(2, TakedownScope::Host, "kgi.com.tw.evil.net"),
            entry(3, TakedownScope::Ip, "89.106.207.153"),
            entry(4, TakedownScope::Url, "sites.example.net/kgi.com.tw/login"),
        ];
        assert!(official_with(&["kgi.com.tw"], listed).is_ok());
    }

    #[test]
    fn an_invalid_takedown_target_refuses_the_whole_index_naming_the_entry() {
        let data = IndexData {
            takedown: vec![
                entry(1, TakedownScope::Host, "ok.com"),
                entry(7, TakedownScope::Host, "bad host"),
            ],
            ..IndexData::default()
        };
        assert_eq!(
            Index::build(data).unwrap_err().to_string(),
            "takedown entry 7 has scope host but target \"bad host\", which is not a domain name"
        );
    }

    #[test]
    fn a_host_entry_matches_through_its_host_expression() {
        let index = index_of(vec![entry(1, TakedownScope::Host, "kkpp.kgi357.com")]);
        let found = index.takedown_for_expressions(["kkpp.kgi357.com/index/login", "kkpp.kgi357.com/"]);
        assert_eq!(found.map(|e| e.id), Some(1));
        assert!(index.takedown_for_expressions(["kgi357.com/"]).is_none());
    }

    #[test]
    fn a_url_entry_matches_only_its_page() {
        let index = index_of(vec![entry(2, TakedownScope::Url, "sites.example.com/fake/login")]);
        assert!(index.takedown_for_expressions(["sites.example.com/fake/login"]).is_some());
        assert!(index.takedown_for_expressions(["sites.example.com/other", "sites.example.com/"]).is_none());
    }

    #[test]
    fn the_most_specific_expression_given_first_wins() {
        let index = index_of(vec![
            entry(1, TakedownScope::RegistrableDomain, "kgi357.com"),
            entry(2, TakedownScope::PathPrefix, "kkpp.kgi357.com/index/"),
        ]);
        let found = index.takedown_for_expressions(["kkpp.kgi357.com/index/", "kgi357.com/"]);
        assert_eq!(found.map(|e| e.id), Some(2));
    }

    #[test]
    fn a_url_look_up_finds_what_its_expressions_find() {
        let index = index_of(vec![
            entry(1, TakedownScope::Url, "kkpp.kgi357.com/index/login"),
            entry(2, TakedownScope::PathPrefix, "kkpp.kgi357.com/app/"),
            entry(3, TakedownScope::Host, "kkpp.kgi357.com"),
            entry(4, TakedownScope::RegistrableDomain, "kgi888.cc"),
            entry(5, TakedownScope::Url, "a.b.c/1/2.html?param=1"),
            entry(6, TakedownScope::PathPrefix, "b.c/1/"),
            entry(7, TakedownScope::Url, "89.106.207.153/index/login"),
            entry(8, TakedownScope::Host, "89.106.207.154"),
            entry(9, TakedownScope::Url, "x.y.com/"),
            entry(10, TakedownScope::RegistrableDomain, "someone.github.io"),
            entry(11, TakedownScope::Url, "kgi888.cc/login"),
        ]);
        let hosts = [
            "kkpp.kgi357.com",
            "www.kkpp.kgi357.com",
            "kgi357.com",
            "c002.kgi888.cc",
            "kgi888.cc",
            "a.b.c",
            "z.a.b.c",
            "b.c",
            "89.106.207.153",
            "89.106.207.154",
            "x.y.com",
            "q.x.y.com",
            "a.b.c.d.e.f.someone.github.io",
            "example.org",
        ];
        let paths = [
            "",
            "/",
            "/index/login",
            "/index/login?from=sms",
            "/index/",
            "/app/",
            "/app/download/ios?ch=1",
            "/1/2.html?param=1",
            "/1/2.html",
            "/1/x/y/z/w",
            "/login",
            "/?q=1",
        ];
        let mut matched = 0;
        for host in hosts {
            for path in paths {
                let link = format!("http://{host}{path}");
                let url = crate::canon::canonicalize(&link).expect("a valid link");
                let site = crate::domain::registrable_domain(url.host_str());
                let expressions = url.expressions();
                let site_expression = site.map(|s| format!("{s}/"));
                let expected = index.takedown_for_expressions(
                    expressions.iter().map(String::as_str).chain(site_expression.as_deref()),
                );
                let found = index.takedown_for_url(&url, site);
                assert_eq!(found.map(|e| e.id), expected.map(|e| e.id), "{link}");
                matched += usize::from(found.is_some());
            }
        }
        assert!(matched > 50, "only {matched} links matched: the test checks too little");
    }

    #[test]
    fn ip_and_network_entries_match_addresses() {
        let index = index_of(vec![
            entry(1, TakedownScope::Ip, "89.106.207.153"),
            entry(2, TakedownScope::Cidr, "10.20.0.0/16"),
            entry(3, TakedownScope::Cidr, "2001:db8::/32"),
        ]);
        let ip = |s: &str| s.parse::<IpAddr>().unwrap();
        assert_eq!(index.takedown_for_ip(ip("89.106.207.153")).map(|e| e.id), Some(1));
        assert_eq!(index.takedown_for_ip(ip("10.20.255.1")).map(|e| e.id), Some(2));
        assert_eq!(index.takedown_for_ip(ip("2001:db8::1")).map(|e| e.id), Some(3));
        assert!(index.takedown_for_ip(ip("10.21.0.1")).is_none());
    }

    #[test]
    fn the_most_specific_of_nested_networks_wins() {
        let index = index_of(vec![
            entry(1, TakedownScope::Cidr, "10.0.0.0/8"),
            entry(2, TakedownScope::Cidr, "10.1.2.0/24"),
            entry(3, TakedownScope::Cidr, "0.0.0.0/0"),
        ]);
        let ip = |s: &str| s.parse::<IpAddr>().unwrap();
        assert_eq!(index.takedown_for_ip(ip("10.1.2.3")).map(|e| e.id), Some(2));
        assert_eq!(index.takedown_for_ip(ip("10.9.9.9")).map(|e| e.id), Some(1));
        assert_eq!(index.takedown_for_ip(ip("192.0.2.1")).map(|e| e.id), Some(3));
        assert!(index.takedown_for_ip(ip("::1")).is_none(), "an IPv4 network never holds an IPv6 address");
    }

    #[test]
    fn a_bad_listing_date_is_refused_naming_the_entry() {
        let mut bad = entry(5, TakedownScope::Host, "a.example.com");
        bad.listed_on = "2025/09/30".into();
        let data = IndexData { takedown: vec![bad], ..IndexData::default() };
        assert_eq!(
            Index::build(data).unwrap_err(),
            IndexError::InvalidListingDate { id: 5, date: "2025/09/30".into() }
        );
    }

    #[test]
    fn a_malformed_network_is_refused() {
        let data = IndexData {
            takedown: vec![entry(4, TakedownScope::Cidr, "10.0.0.0/33")],
            ..IndexData::default()
        };
        assert!(matches!(Index::build(data), Err(IndexError::InvalidTakedownTarget { id: 4, .. })));
    }

    #[test]
    fn a_cleared_lookalike_that_names_no_site_or_no_lookalike_reason_refuses_the_whole_index() {
        for (domain, reason) in [
            ("www.kgi-fans.org", "brand_in_name"),
            ("com.tw", "brand_in_name"),
            ("89.106.207.153", "brand_in_name"),
            ("kgi-fans.org", "takedown_listed"),
        ] {
            let data = IndexData {
                official_domains: vec!["kgi.com.tw".into()],
                brand_keywords: vec!["kgi".into()],
                cleared_lookalikes: vec![(domain.into(), reason.into())],
                ..IndexData::default()
            };
            assert!(
                matches!(Index::build(data), Err(IndexError::InvalidClearedLookalike { .. })),
                "{domain} {reason}"
            );
        }
        let good = IndexData {
            official_domains: vec!["kgi.com.tw".into()],
            brand_keywords: vec!["kgi".into()],
            cleared_lookalikes: vec![("kgi-fans.org".into(), "brand_in_name".into())],
            ..IndexData::default()
        };
        let index = Index::build(good).expect("valid");
        assert!(index.lookalike_cleared("kgi-fans.org", "brand_in_name"));
        assert!(!index.lookalike_cleared("kgi-fans.org", "brand_in_subdomain"));
    }

    #[test]
    fn official_phones_and_line_ids_are_validated_and_found() {
        let data = IndexData {
            official_phones: vec!["+886223456789".into()],
            official_line_ids: vec!["kgi_official".into()],
            ..IndexData::default()
        };
        let index = Index::build(data).unwrap();
        assert!(index.is_official_phone("+886223456789"));
        assert!(index.is_official_line_id("kgi_official"));
        let bad = IndexData { official_phones: vec!["02-2345-6789".into()], ..IndexData::default() };
        assert!(matches!(Index::build(bad), Err(IndexError::InvalidOfficialPhone(_))));
    }

    #[test]
    fn status_and_scope_codes_round_trip() {
        for s in TakedownStatus::ALL {
            assert_eq!(TakedownStatus::parse(s.code()), Some(s));
        }
        for s in TakedownScope::ALL {
            assert_eq!(TakedownScope::parse(s.code()), Some(s));
        }
        assert_eq!(TakedownStatus::parse("gone"), None);
    }
}
