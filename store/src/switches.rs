//! Detector kill switches: stored per detector, read into every snapshot, flipped at
//! run time with `server switch`.

use crate::Executor;
use engine::{Detector, Switches};

use crate::audit::Actor;
use crate::{now_rfc3339, Db, StoreError};

/// The switches as stored: every detector is on unless a row turns it off.
pub async fn read(db: impl Executor<'_>) -> Result<Switches, StoreError> {
    let rows: Vec<(String,)> =
        sqlx::query_as("SELECT detector FROM detector_switches WHERE enabled = 0").fetch_all(db).await?;
    rows.iter().try_fold(Switches::default(), |switches, (code,)| {
        let detector = Detector::parse(code)
            .ok_or_else(|| StoreError::invalid_row("detector_switches", code, "unknown detector"))?;
        Ok(switches.without(detector))
    })
}

/// Turns a detector on or off for every instance, in one transaction with the data
/// version bump that makes instances reload and an entry in the audit log.
pub async fn set(db: &Db, detector: Detector, enabled: bool, actor: &Actor<'_>) -> Result<(), StoreError> {
    let now = now_rfc3339();
    let mut tx = crate::audit::begin(db).await?;
    sqlx::query(
        "INSERT INTO detector_switches (detector, enabled, changed_at) VALUES ($1, $2, $3)
         ON CONFLICT (detector) DO UPDATE SET enabled = excluded.enabled, changed_at = excluded.changed_at",
    )
    .bind(detector.code())
    .bind(i64::from(enabled))
    .bind(&now)
    .execute(&mut *tx)
    .await?;
    crate::bump_data_version(&mut tx, &now).await?;
    let state = if enabled { "on" } else { "off" };
    let entry = crate::audit::NewEntry::new("detector_switch")
        .by(actor.id, actor.login)
        .on(format!("detector:{}", detector.code()))
        .change("", state)
        .from(actor.client);
    crate::audit::append(&mut tx, &entry).await?;
    tx.commit().await?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn a_switched_off_detector_reaches_the_next_snapshot_and_can_be_switched_back() {
        let (_dir, db) = crate::testing::demo_db().await.expect("test database");
        let live = crate::LiveIndex::default();
        live.reload(&db).await.unwrap();
        assert!(live.current().unwrap().switches.disabled().is_empty());

        set(&db, Detector::Lookalike, false, &Actor::cli()).await.unwrap();
        assert!(
            matches!(live.refresh_if_changed(&db).await.unwrap(), crate::Refreshed::Reloaded { .. }),
            "a switch change is a data change"
        );
        assert_eq!(live.current().unwrap().switches.disabled(), [Detector::Lookalike]);

        set(&db, Detector::Lookalike, true, &Actor::cli()).await.unwrap();
        live.refresh_if_changed(&db).await.unwrap();
        assert!(live.current().unwrap().switches.disabled().is_empty());
    }

    #[tokio::test]
    async fn every_detector_the_engine_knows_can_be_switched_off() {
        let (_dir, db) = crate::testing::fresh_db().await.expect("test database");
        for detector in Detector::ALL {
            set(&db, detector, false, &Actor::cli())
                .await
                .unwrap_or_else(|e| panic!("{}: {e}", detector.code()));
        }
        let mut conn = db.acquire().await.unwrap();
        assert_eq!(read(&mut *conn).await.unwrap().disabled(), Detector::ALL);
    }
}
