//! The staff side's scheduled work, done by one instance at a time (the lock `staff-purge`):
//! pasted texts older than the retention period are deleted from the contact log (what was
//! found in them stays), and expired sessions are removed (each request checks the limits
//! itself; this only keeps the table small).

use std::time::Duration;

use time::OffsetDateTime;

use app::state::AppState;
use store::{Db, StoreError};

use super::session::{format_time, ABSOLUTE_LIMIT, IDLE_LIMIT};

/// How often the work runs.
pub const EVERY: Duration = Duration::from_secs(60 * 60);
pub const LOCK: &str = "staff-purge";

/// What one run did; `None` when another instance held the lock (and so did the work).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Purged {
    pub pasted_texts: u64,
    pub sessions: u64,
}

/// Runs the work once, as of `now`.
pub async fn run_once(
    db: &Db,
    retention_days: u32,
    now: OffsetDateTime,
) -> Result<Option<Purged>, StoreError> {
    let Some(mut tx) = store::lock::try_lock(db, LOCK).await? else { return Ok(None) };
    let before = format_time(now - time::Duration::days(i64::from(retention_days)));
    let pasted_texts = store::contact::purge_pasted_before(&mut *tx, &before, &format_time(now)).await?;
    tx.commit().await?;
    let sessions = store::staff::remove_expired_sessions(
        db,
        &format_time(now - IDLE_LIMIT),
        &format_time(now - ABSOLUTE_LIMIT),
    )
    .await?;
    Ok(Some(Purged { pasted_texts, sessions }))
}

/// After a change to the check data: escalations of hosts now taken down say so (the agents
/// who sent them see it live), each change audited as the system's.
pub async fn follow_takedowns(db: &Db) {
    let changed = async {
        let ids = store::escalation::follow_takedowns(db, &store::now_rfc3339()).await?;
        for id in &ids {
            let entry = store::audit::NewEntry::new("escalation_taken_down")
                .by(None, "system")
                .on(format!("escalation:{id}"))
                .change("queued or accepted", "taken_down");
            store::audit::record(db, &entry).await?;
        }
        Ok::<usize, StoreError>(ids.len())
    };
    match changed.await {
        Ok(0) => {}
        Ok(n) => tracing::info!(escalations = n, "escalations marked taken down"),
        Err(e) => {
            tracing::warn!(error = %e, "marking escalations taken down failed; tried again at the next change")
        }
    }
}

/// Runs the work every [`EVERY`], from the start.
pub async fn keep_tidy(state: AppState) {
    let mut ticker = tokio::time::interval(EVERY);
    ticker.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    loop {
        ticker.tick().await;
        match run_once(&state.db, state.staff.contact_retention_days, OffsetDateTime::now_utc()).await {
            Ok(Some(purged)) if purged.pasted_texts > 0 || purged.sessions > 0 => {
                tracing::info!(
                    pasted_texts = purged.pasted_texts,
                    sessions = purged.sessions,
                    "staff data purged"
                )
            }
            Ok(_) => {}
            Err(e) => {
                tracing::warn!(error = %e, "purging old pasted texts failed; trying again within the hour")
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use store::contact::{ContactChannel, NewContact};
    use store::staff::Role;
    use time::macros::datetime;

    #[tokio::test]
    async fn texts_past_the_retention_period_are_purged_once_and_the_rest_kept() {
        let (_dir, db) = store::testing::fresh_db().await.expect("test database");
        let mut conn = db.acquire().await.expect("connection");
        let agent =
            store::staff::create_user(&mut conn, "mei", "Mei", "h", &[Role::Agent], "2026-01-01T00:00:00Z")
                .await
                .expect("user");
        for at in ["2026-08-01T00:00:00Z", "2026-11-30T00:00:00Z"] {
            let contact = NewContact {
                agent_id: agent,
                channel: ContactChannel::Chat,
                customer_ref: String::new(),
                summary: "asked".into(),
                pasted_text: Some("https://kgi357.com".into()),
                verdict: "fraud".into(),
                subjects: Vec::new(),
            };
            store::contact::record(&mut conn, &contact, at).await.expect("contact");
        }
        drop(conn);
        let now = datetime!(2026-12-01 00:00 UTC);
        let first = run_once(&db, 90, now).await.expect("run");
        assert_eq!(first.map(|p| p.pasted_texts), Some(1));
        let again = run_once(&db, 90, now).await.expect("run");
        assert_eq!(again.map(|p| p.pasted_texts), Some(0), "nothing left to purge");
        let kept = store::contact::recent_by(&db, agent, 10).await.expect("contacts");
        assert_eq!(kept.iter().filter(|c| c.pasted_text.is_some()).count(), 1);
    }
}
