//! Throw-away databases for the store's own tests.

use crate::Db;

/// A new, migrated, empty database in its own temporary folder (kept alive by the `TempDir`).
pub async fn fresh_db() -> (tempfile::TempDir, Db) {
    let dir = tempfile::tempdir().expect("temp dir");
    let db = crate::open(&format!("sqlite:{}", dir.path().join("t.db").display())).await.expect("open");
    (dir, db)
}

/// A new database loaded with the demo data, as a site has on first start.
pub async fn demo_db() -> (tempfile::TempDir, Db) {
    let (dir, db) = fresh_db().await;
    crate::demo::load(&db, crate::demo::Overwrite::DemoOnly).await.expect("demo data");
    (dir, db)
}
