//! Scheduled bulletins go out on time: every [`PUBLISH_EVERY`] each instance asks the store to
//! publish what is due, which it does under a lock and only for bulletins still scheduled, so
//! each is published exactly once however many instances run, and after a restart whatever
//! came due meanwhile goes out at the first tick (at most a minute late, as promised).

use std::time::Duration;

use time::OffsetDateTime;

use store::Db;

/// How often the instance looks for bulletins whose time has come.
pub const PUBLISH_EVERY: Duration = Duration::from_secs(15);

/// One look: publishes what is due now; returns the slugs this instance published.
pub async fn publish_due_once(db: &Db, now: OffsetDateTime) -> Vec<String> {
    match store::bulletin::publishing::publish_due(db, now).await {
        Ok(Some(published)) => {
            for slug in &published {
                tracing::info!(slug, "scheduled bulletin published");
            }
            published
        }
        // Another instance is at it.
        Ok(None) => Vec::new(),
        Err(error) => {
            tracing::warn!(%error, "publishing the scheduled bulletins failed: trying again at the next tick");
            Vec::new()
        }
    }
}

/// Runs for the life of the server.
pub async fn publish_scheduled_bulletins(db: Db) {
    let mut ticks = tokio::time::interval(PUBLISH_EVERY);
    ticks.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    loop {
        ticks.tick().await;
        publish_due_once(&db, OffsetDateTime::now_utc()).await;
    }
}
