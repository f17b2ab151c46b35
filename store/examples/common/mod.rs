//! What the million-entry examples share: writing their synthetic entries through the import
//! path, with the guards (sizes, doubling) lifted as a benchmark needs.

/// Imports `text` (one entry a line, in any format the import reads) into `db` for `vendor`,
/// as the command line would with `--force`.
pub async fn import_unguarded(db: &store::Db, text: &str, vendor: &str) -> Result<(), store::StoreError> {
    let rows = text.lines().count();
    let limits = store::import::Limits {
        max_bytes: text.len() + 1,
        max_rows: rows + 1,
        guard_min_entries: usize::MAX,
        ..store::import::Limits::default()
    };
    let request = store::import::Request { text, format: None, origin: "bench", vendor, replace: false };
    let plan = store::import::preview(db, &request, &limits).await?;
    store::import::apply(db, &plan, &store::audit::Actor::cli(), true, &|_| {}).await?;
    Ok(())
}
