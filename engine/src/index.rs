//! The immutable in-memory index a check runs against: the firm's official domains
//! and the takedown database, validated when built so a bad row cannot poison checks.

use std::collections::HashMap;

use serde::{Deserialize, Serialize};

use crate::host::{is_domain_name, is_ipv4};

/// A domain the firm has verified as its own; it and its subdomains are official.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct OfficialDomain {
    pub domain: String,
}

/// Where a takedown entry stands in its lifecycle.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum TakedownStatus {
    /// Found (by the vendor, an analyst or a report); no takedown asked yet.
    Detected,
    /// Takedown asked of the host or registrar; the site may still be up.
    TakedownRequested,
    /// Confirmed offline.
    TakenDown,
    /// Came back after being taken down.
    Reactivated,
}

impl TakedownStatus {
    /// The stable code stored in the database and used in JSON.
    pub fn code(self) -> &'static str {
        match self {
            Self::Detected => "detected",
            Self::TakedownRequested => "takedown_requested",
            Self::TakenDown => "taken_down",
            Self::Reactivated => "reactivated",
        }
    }

    /// Parses a stored status code.
    pub fn parse(code: &str) -> Option<Self> {
        [
            Self::Detected,
            Self::TakedownRequested,
            Self::TakenDown,
            Self::Reactivated,
        ]
        .into_iter()
        .find(|s| s.code() == code)
    }
}

/// One known fake site in the takedown database.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TakedownEntry {
    pub id: i64,
    /// The reported link, canonical.
    pub url: String,
    /// Its lower-case host name or IPv4 address; every link on this host matches.
    pub host: String,
    pub status: TakedownStatus,
    /// The day the entry was first listed, `YYYY-MM-DD`.
    pub listed_on: String,
}

/// Why a row could not go into the index.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum IndexError {
    #[error("official domain {0:?} is not a valid domain name")]
    InvalidOfficialDomain(String),
    #[error("takedown entry {id} has host {host:?}, which is neither a domain name nor an IPv4 address")]
    InvalidTakedownHost { id: i64, host: String },
}

/// Official domains and takedown entries, ready for lookups.
#[derive(Clone, Debug, Default)]
pub struct Index {
    official: Vec<OfficialDomain>,
    takedown: Vec<TakedownEntry>,
    takedown_by_host: HashMap<String, usize>,
}

impl Index {
    /// Builds an index, refusing the whole data set if any row is invalid, so that a
    /// bad import never half-replaces good data.
    pub fn build(official: Vec<OfficialDomain>, takedown: Vec<TakedownEntry>) -> Result<Self, IndexError> {
        if let Some(bad) = official.iter().find(|o| !is_domain_name(&o.domain)) {
            return Err(IndexError::InvalidOfficialDomain(bad.domain.clone()));
        }
        let mut takedown_by_host = HashMap::with_capacity(takedown.len());
        for (position, entry) in takedown.iter().enumerate() {
            if !(is_domain_name(&entry.host) || is_ipv4(&entry.host)) {
                return Err(IndexError::InvalidTakedownHost {
                    id: entry.id,
                    host: entry.host.clone(),
                });
            }
            // Several reported pages can share a host; the first listed stands for it.
            takedown_by_host.entry(entry.host.clone()).or_insert(position);
        }
        Ok(Self {
            official,
            takedown,
            takedown_by_host,
        })
    }

    /// The official domain that `host` is, or is a subdomain of.
    pub fn official_domain_for(&self, host: &str) -> Option<&OfficialDomain> {
        self.official
            .iter()
            .find(|o| crate::host::is_same_or_subdomain(host, &o.domain))
    }

    /// The takedown entry listed for exactly this host.
    pub fn takedown_for_host(&self, host: &str) -> Option<&TakedownEntry> {
        self.takedown_by_host.get(host).map(|&i| &self.takedown[i])
    }

    /// The official domains, in the order given.
    pub fn official_domains(&self) -> &[OfficialDomain] {
        &self.official
    }

    /// How many takedown entries the index holds.
    pub fn takedown_len(&self) -> usize {
        self.takedown.len()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn entry(id: i64, host: &str) -> TakedownEntry {
        TakedownEntry {
            id,
            url: format!("https://{host}/"),
            host: host.into(),
            status: TakedownStatus::TakedownRequested,
            listed_on: "2025-09-30".into(),
        }
    }

    #[test]
    fn an_invalid_official_domain_refuses_the_whole_index() {
        let official = vec![OfficialDomain {
            domain: "not a domain".into(),
        }];
        assert_eq!(
            Index::build(official, vec![]).unwrap_err(),
            IndexError::InvalidOfficialDomain("not a domain".into())
        );
    }

    #[test]
    fn an_invalid_takedown_host_refuses_the_whole_index() {
        let err = Index::build(vec![], vec![entry(1, "ok.com"), entry(7, "bad host")]).unwrap_err();
        assert_eq!(
            err,
            IndexError::InvalidTakedownHost {
                id: 7,
                host: "bad host".into()
            }
        );
    }

    #[test]
    fn status_codes_round_trip() {
        for s in [
            TakedownStatus::Detected,
            TakedownStatus::TakenDown,
            TakedownStatus::Reactivated,
        ] {
            assert_eq!(TakedownStatus::parse(s.code()), Some(s));
        }
        assert_eq!(TakedownStatus::parse("gone"), None);
    }
}
