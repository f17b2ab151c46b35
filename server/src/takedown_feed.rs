//! The 165 open data pulled from its publisher: on demand (`server takedown pull`) or every
//! `TAKEDOWN_PULL_HOURS`, once across all instances. The feed is untrusted input like any
//! file: bounded in size while it downloads, then through the same preview, guards and
//! versioned apply as an analyst's import. The site never fetches anything a user pasted;
//! this address comes from the configuration only.

use std::io::Read as _;
use std::time::Duration;

use store::audit::Actor;
use store::import::{Plan, Request};
use store::versions::Version;
use store::Db;

use crate::config::Config;

/// How long a download may take in all.
const DOWNLOAD_TIMEOUT: Duration = Duration::from_secs(120);

/// The scheduled job's name (in `scheduled_jobs`).
pub const PULL_JOB: &str = "takedown-pull";

/// Why a pull did not apply anything.
#[derive(Debug, thiserror::Error)]
pub enum PullError {
    #[error("the feed at {url} could not be fetched: {reason}")]
    Fetch { url: String, reason: String },
    #[error("the feed at {url} is larger than the {max} bytes an import may be; nothing was imported")]
    TooLarge { url: String, max: usize },
    #[error("the feed at {url} is not UTF-8 text; nothing was imported")]
    NotText { url: String },
    #[error(transparent)]
    Store(#[from] store::StoreError),
}

/// What a pull did.
#[derive(Debug)]
pub struct Pulled {
    pub plan: Plan,
    /// The version applied; `None` for a dry run or when nothing changed.
    pub version: Option<Version>,
}

/// Downloads `url`, reading at most `max_bytes` (a larger body is refused, not cut).
pub async fn fetch(url: &str, max_bytes: usize) -> Result<String, PullError> {
    let owned = url.to_owned();
    let fetched = tokio::task::spawn_blocking(move || {
        let agent: ureq::Agent = ureq::Agent::config_builder()
            .timeout_global(Some(DOWNLOAD_TIMEOUT))
            .user_agent("fraudcheck-takedown-pull")
            .build()
            .into();
        let failed = |reason: String| PullError::Fetch { url: owned.clone(), reason };
        let mut response = agent.get(&owned).call().map_err(|e| failed(e.to_string()))?;
        let limit = u64::try_from(max_bytes).unwrap_or(u64::MAX).saturating_add(1);
        let mut bytes = Vec::new();
        response
            .body_mut()
            .as_reader()
            .take(limit)
            .read_to_end(&mut bytes)
            .map_err(|e| failed(e.to_string()))?;
        if bytes.len() > max_bytes {
            return Err(PullError::TooLarge { url: owned.clone(), max: max_bytes });
        }
        String::from_utf8(bytes).map_err(|_| PullError::NotText { url: owned.clone() })
    })
    .await;
    fetched.map_err(|e| PullError::Fetch { url: url.to_owned(), reason: e.to_string() })?
}

/// Pulls the configured feed and applies it as the whole current list of its source (sites
/// the feed no longer names are removed), unless `dry_run`. `force` passes the guards (for
/// an admin at the command line only; the schedule never forces).
pub async fn pull(
    config: &Config,
    db: &Db,
    actor: &Actor<'_>,
    dry_run: bool,
    force: bool,
) -> Result<Pulled, PullError> {
    let limits = config.imports;
    let url = &config.takedown_feed_url;
    let text = fetch(url, limits.max_bytes).await?;
    let request = Request { text: &text, format: None, origin: url, vendor: "", replace: true };
    let plan = store::import::preview(db, &request, &limits).await?;
    if dry_run {
        return Ok(Pulled { plan, version: None });
    }
    let version = store::import::apply(db, &plan, actor, force, &|_| {}).await?;
    Ok(Pulled { plan, version })
}

/// Pulls the feed every `every`, on whichever instance claims the run first; a refusal (a
/// feed that doubles the data, one that names the firm) is logged and waits for staff.
pub async fn schedule(config: Config, db: Db, every: Duration) {
    let mut tick = tokio::time::interval(Duration::from_secs(300).min(every));
    loop {
        tick.tick().await;
        match store::lock::claim_run(&db, PULL_JOB, every).await {
            Ok(true) => {}
            Ok(false) => continue,
            Err(e) => {
                tracing::warn!(error = %e, "cannot tell whether the takedown feed is due");
                continue;
            }
        }
        // Beside the checks this instance answers, as an import from the console.
        let pulling = config.clone();
        let pulled = store::background::beside_checks(&db, move |db| async move {
            pull(&pulling, &db, &Actor::system(), false, false).await
        })
        .await
        .map_err(PullError::from)
        .and_then(|pulled| pulled);
        match pulled {
            Ok(Pulled { version: Some(v), .. }) => tracing::info!(
                version = v.version,
                added = v.added,
                changed = v.changed,
                removed = v.removed,
                "takedown feed pulled and applied"
            ),
            Ok(Pulled { version: None, .. }) => tracing::info!("takedown feed pulled: nothing to change"),
            Err(e) => {
                tracing::warn!(error = %e, "takedown feed pull refused or failed; the data is unchanged")
            }
        }
    }
}
