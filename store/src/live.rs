//! The live index: the last good snapshot of the data a check needs, held in memory
//! and swapped whole, so public checks keep answering when the database does not.

use std::sync::Arc;

use arc_swap::ArcSwapOption;
use engine::{Index, IndexData, Switches};

use crate::official::{self, OfficialKind};
use crate::{takedown, Db, StoreError};

/// One consistent view of the check data, with the version and time it was written.
#[derive(Debug)]
pub struct Snapshot {
    pub index: Index,
    /// Which detectors run.
    pub switches: Switches,
    /// The `data_version` counter when this snapshot was read.
    pub version: i64,
    /// When the data was last changed, RFC 3339 UTC.
    pub updated_at: String,
    /// The official list with its labels, for the public pages that show it.
    pub official: Vec<official::OfficialEntry>,
}

/// Holds the current snapshot; readers never wait for a reload.
#[derive(Debug, Default)]
pub struct LiveIndex {
    current: ArcSwapOption<Snapshot>,
}

impl LiveIndex {
    /// The snapshot checks should use now, if one has ever loaded.
    pub fn current(&self) -> Option<Arc<Snapshot>> {
        self.current.load_full()
    }

    /// Reads the data afresh and swaps it in. On any error the previous snapshot
    /// stays in place: a bad or unreadable data set never replaces good data.
    pub async fn reload(&self, db: &Db) -> Result<Arc<Snapshot>, StoreError> {
        let snapshot = Arc::new(read_snapshot(db).await?);
        self.current.store(Some(snapshot.clone()));
        Ok(snapshot)
    }

    /// Reloads only when the stored data version differs from the one in memory.
    /// Returns whether a new snapshot was swapped in.
    pub async fn refresh_if_changed(&self, db: &Db) -> Result<bool, StoreError> {
        let (stored,): (i64,) =
            sqlx::query_as("SELECT version FROM data_version WHERE id = 1").fetch_one(db).await?;
        if self.current().is_some_and(|s| s.version == stored) {
            return Ok(false);
        }
        self.reload(db).await?;
        Ok(true)
    }
}

async fn read_snapshot(db: &Db) -> Result<Snapshot, StoreError> {
    // One read transaction, so the index never mixes two versions of the data.
    let mut tx = db.begin().await?;
    let (version, updated_at): (i64, String) =
        sqlx::query_as("SELECT version, updated_at FROM data_version WHERE id = 1")
            .fetch_one(&mut *tx)
            .await?;
    let data = IndexData {
        official_domains: official::values(&mut *tx, OfficialKind::Domain).await?,
        official_phones: official::values(&mut *tx, OfficialKind::Phone).await?,
        official_line_ids: official::values(&mut *tx, OfficialKind::LineId).await?,
        brand_keywords: official::brand_keywords(&mut *tx).await?,
        takedown: takedown::all(&mut *tx).await?,
    };
    let switches = crate::switches::read(&mut *tx).await?;
    let official = official::entries(&mut *tx).await?;
    tx.commit().await?;
    let index = Index::build(data)?;
    Ok(Snapshot { index, switches, version, updated_at, official })
}
