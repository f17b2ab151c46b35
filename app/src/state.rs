//! What the server hands to every request: the database, the live index and the check tally.

use std::sync::Arc;

use axum::extract::FromRef;
use leptos::prelude::LeptosOptions;
use store::{CheckTally, Db, LiveIndex};

/// Shared server state, given to server functions as context and to axum handlers as state.
#[derive(Clone, Debug, FromRef)]
pub struct AppState {
    pub leptos_options: LeptosOptions,
    pub db: Db,
    pub live: Arc<LiveIndex>,
    /// Check counts per host and verdict, flushed to the database in the background.
    pub tally: Arc<CheckTally>,
}
