//! The takedown database as public open data: the entries checks condemn, read row by row
//! from one snapshot, so a file holds one version of the data from its first row to its last
//! however large the set and whatever is written meanwhile.

use futures_util::stream::{Stream, StreamExt};

use crate::db::Backend;
use crate::{Db, StoreError};

/// One published entry.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct OpenEntry {
    /// What the entry covers (a URL without its scheme, a host, a domain, an address).
    pub target: String,
    /// `url`, `path_prefix`, `host`, `registrable_domain`, `ip` or `cidr`.
    pub scope: String,
    /// A condemning status code (`detected` … `reactivated`).
    pub status: String,
    /// The Taiwan date it was first seen, `YYYY-MM-DD`.
    pub first_seen: String,
    /// The Taiwan date of its first `taken_down` step, if it has one.
    pub taken_down_at: Option<String>,
}

/// Which state of the data a file shows, for caching.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DataStamp {
    /// Changes with every change of the takedown data: the current takedown data version and
    /// its checksum (`7-3f2a…`), or, before the first version was recorded, the data version
    /// (`data-12`).
    pub tag: String,
    /// When that state began, RFC 3339 (UTC).
    pub changed_at: String,
}

/// The stamp of the data as it is now.
pub async fn stamp(conn: &mut sqlx::AnyConnection) -> Result<DataStamp, StoreError> {
    if let Some(version) = crate::versions::current(&mut *conn).await? {
        return Ok(DataStamp {
            tag: format!("{}-{}", version.version, version.checksum),
            changed_at: version.created_at,
        });
    }
    let (version, updated_at): (i64, String) =
        sqlx::query_as("SELECT version, updated_at FROM data_version WHERE id = 1")
            .fetch_one(&mut *conn)
            .await?;
    Ok(DataStamp { tag: format!("data-{version}"), changed_at: updated_at })
}

/// The entries in the active set that are neither false positives nor withdrawn, oldest first,
/// with the day of each one's first takedown.
const OPEN_ENTRIES: &str = "SELECT e.target, e.scope, e.status, e.first_seen,
        (SELECT min(ev.happened_on) FROM takedown_events ev
         WHERE ev.entry_id = e.id AND ev.status = 'taken_down')
 FROM takedown_entries e
 WHERE e.removed_in IS NULL AND e.status NOT IN ('false_positive', 'withdrawn')
 ORDER BY e.id";

/// A read-only snapshot of the takedown data: its stamp, and its entries as a stream. It holds
/// one connection until dropped.
pub struct Snapshot {
    tx: sqlx::Transaction<'static, sqlx::Any>,
    /// The state of the data the entries are read from.
    pub stamp: DataStamp,
}

impl Snapshot {
    /// Opens a snapshot: on PostgreSQL a repeatable-read transaction; on SQLite every
    /// transaction reads one state of the file (write-ahead log), from its first read on.
    pub async fn open(db: &Db) -> Result<Self, StoreError> {
        let mut tx = db.begin().await?;
        if Backend::of(db) == Backend::Postgres {
            sqlx::query("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
                .execute(&mut *tx)
                .await?;
        }
        let stamp = stamp(&mut tx).await?;
        Ok(Self { tx, stamp })
    }

    /// The published entries, one row at a time (never the whole set in memory).
    pub fn entries(&mut self) -> impl Stream<Item = Result<OpenEntry, StoreError>> + Send + '_ {
        type Row = (String, String, String, String, Option<String>);
        sqlx::query_as::<_, Row>(OPEN_ENTRIES).fetch(&mut *self.tx).map(|row| {
            let (target, scope, status, first_seen, taken_down_at) = row?;
            Ok(OpenEntry { target, scope, status, first_seen, taken_down_at })
        })
    }
}

#[cfg(test)]
mod tests {
    use engine::TakedownStatus;
    use futures_util::TryStreamExt;

    use super::*;
    use crate::testing::{demo_db, fresh_db};

    async fn published(db: &Db) -> (DataStamp, Vec<OpenEntry>) {
        let mut snapshot = Snapshot::open(db).await.unwrap();
        let entries = snapshot.entries().try_collect().await.unwrap();
        (snapshot.stamp.clone(), entries)
    }

    #[tokio::test]
    async fn the_open_data_lists_what_checks_condemn_with_the_day_of_the_first_takedown() {
        let (_dir, db) = demo_db().await.expect("test database");
        let (stamp, entries) = published(&db).await;
        assert_eq!(entries.len(), 9);
        assert!(entries.iter().all(|e| e.status == "takedown_requested" && e.taken_down_at.is_none()));
        let version = crate::versions::current(&db).await.unwrap().unwrap();
        assert_eq!(stamp.tag, format!("{}-{}", version.version, version.checksum));
        assert_eq!(stamp.changed_at, version.created_at);

        let id_of = |host: &'static str| {
            let db = db.clone();
            async move {
                let (id,): (i64,) = sqlx::query_as("SELECT id FROM takedown_entries WHERE host = $1")
                    .bind(host)
                    .fetch_one(&db)
                    .await
                    .unwrap();
                id
            }
        };
        let down = id_of("kkpp.kgi69.com").await;
        crate::takedown::change_status(&db, down, TakedownStatus::TakenDown, None).await.unwrap();
        crate::takedown::change_status(&db, down, TakedownStatus::Reactivated, None).await.unwrap();
        let wrong = id_of("kkpp.kgi357.com").await;
        crate::takedown::change_status(&db, wrong, TakedownStatus::FalsePositive, None).await.unwrap();

        let (later, entries) = published(&db).await;
        assert_ne!(later.tag, stamp.tag, "every change gives a new stamp");
        assert_eq!(entries.len(), 8, "a false positive is not published");
        assert!(!entries.iter().any(|e| e.target == "kkpp.kgi357.com"));
        let back = entries.iter().find(|e| e.target == "kkpp.kgi69.com").unwrap();
        assert_eq!(back.status, "reactivated");
        assert_eq!(back.taken_down_at.as_deref(), Some(crate::today_in_taiwan().as_str()));
    }

    #[tokio::test]
    async fn before_any_takedown_version_the_stamp_is_the_data_version() {
        let (_dir, db) = fresh_db().await.expect("test database");
        let (stamp, entries) = published(&db).await;
        assert!(entries.is_empty());
        assert_eq!(stamp.tag, "data-0");
        assert_eq!(stamp.changed_at.len(), 20, "an RFC 3339 time: {stamp:?}");
    }
}
