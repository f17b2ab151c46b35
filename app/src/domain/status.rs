//! What a domain page says about a host: its verdict (from the live index, as a check
//! would give it), its takedown history and the bulletins that name it.

use engine::{Reason, TakedownMatch, TakedownStatus, Verdict};
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

use crate::bulletin::BulletinSummary;
use crate::error::AppError;
use crate::lookup::DataStamp;

/// Everything a domain page shows, for one host.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct DomainStatus {
    /// The canonical host the page is about.
    pub host: String,
    /// The verdict and why, or `None` when no check data has loaded (never a guess).
    pub judged: Option<Judged>,
    /// Oldest first; `None` when the database could not be read.
    pub history: Option<Vec<HistoryStep>>,
    /// Newest first; `None` when the database could not be read.
    pub bulletins: Option<Vec<BulletinSummary>>,
}

/// The verdict a check gives the host now.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Judged {
    pub verdict: Verdict,
    pub reasons: Vec<Reason>,
    pub takedown: Option<TakedownMatch>,
    pub data: DataStamp,
}

/// One step of a takedown, for the host or a host under the same site.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct HistoryStep {
    pub host: String,
    pub status: TakedownStatus,
    /// `YYYY-MM-DD`, Taiwan.
    pub happened_on: String,
}

impl DomainStatus {
    /// Search engines may list the page only for hosts in the takedown database: naming
    /// any other host in search results could wrong an innocent site.
    pub fn indexable(&self) -> bool {
        self.judged.as_ref().is_some_and(|j| j.verdict == Verdict::Fraud)
            || self.history.as_ref().is_some_and(|h| !h.is_empty())
    }
}

/// How many bulletins a domain page lists.
#[cfg(feature = "ssr")]
const MAX_BULLETINS: usize = 10;

/// The status of `host` (validated again here: anyone can call a server function).
#[server(endpoint = "domain/status")]
pub async fn domain_page_data(host: String) -> Result<DomainStatus, AppError> {
    let name = super::DomainName::parse(&host).map_err(|_| AppError::NotFound)?;
    let state = crate::error::app_state()?;
    Ok(read_status(&state, &name).await)
}

/// Reads a host's status: the verdict from memory, history and bulletins from the
/// database. A database failure loses the history and bulletins, never the verdict.
#[cfg(feature = "ssr")]
pub async fn read_status(state: &crate::state::AppState, name: &super::DomainName) -> DomainStatus {
    let site = name.registrable_domain();
    let history = match store::takedown::history_for(&state.db, name.as_str(), site).await {
        Ok(events) => Some(
            events
                .into_iter()
                .map(|e| HistoryStep { host: e.host, status: e.status, happened_on: e.happened_on })
                .collect(),
        ),
        Err(e) => {
            AppError::storage("reading a takedown history", &e);
            None
        }
    };
    let language = crate::bulletin::reader_language(crate::locale::page_locale());
    let bulletins =
        match store::bulletin::mentioning(&state.db, name.as_str(), site, language, MAX_BULLETINS).await {
            Ok(list) => Some(list.iter().map(|b| crate::bulletin::for_readers(state, b)).collect()),
            Err(e) => {
                AppError::storage("reading the bulletins that mention a host", &e);
                None
            }
        };
    DomainStatus { host: name.to_string(), judged: judge(&state.live, name), history, bulletins }
}

/// Judges a host as a check of a link to it would, against the live index only. A page
/// about `kgi357.com` also covers `www.kgi357.com` (its address redirects here), so the
/// worse of the two verdicts stands; "official" needs the host itself to be official,
/// since official is the mildest verdict and never wins over another.
#[cfg(feature = "ssr")]
pub fn judge(live: &store::LiveIndex, name: &super::DomainName) -> Option<Judged> {
    let judge_one = |host: &str| {
        let answer = crate::lookup::run_check(live, &format!("http://{host}/")).ok()?;
        let finding = answer.report.findings.into_iter().find(|f| f.kind.is_link())?;
        Some(Judged {
            verdict: finding.verdict,
            reasons: finding.reasons,
            takedown: finding.takedown,
            data: answer.data,
        })
    };
    let own = judge_one(name.as_str())?;
    if name.is_ip() {
        return Some(own);
    }
    match judge_one(&format!("www.{name}")) {
        Some(www) if www.verdict > own.verdict => Some(www),
        _ => Some(own),
    }
}

#[cfg(test)]
#[cfg(feature = "ssr")]
mod tests {
    use super::*;
    use crate::domain::DomainName;

    #[test]
    fn before_any_data_loaded_there_is_no_verdict() {
        let live = store::LiveIndex::default();
        assert_eq!(judge(&live, &DomainName::parse("kgi357.com").unwrap()), None);
    }

    #[test]
    fn only_hosts_with_a_takedown_record_are_indexable() {
        let mut status =
            DomainStatus { host: "example.org".into(), judged: None, history: None, bulletins: None };
        assert!(!status.indexable());
        status.history = Some(vec![]);
        assert!(!status.indexable());
        status.history = Some(vec![HistoryStep {
            host: "kkpp.kgi357.com".into(),
            status: TakedownStatus::Detected,
            happened_on: "2026-11-28".into(),
        }]);
        assert!(status.indexable());
    }
}
