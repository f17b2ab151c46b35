//! What the server hands to every request: the database and the live index.

use std::sync::Arc;

use axum::extract::FromRef;
use leptos::prelude::LeptosOptions;
use store::{Db, LiveIndex};

/// Shared server state, given to server functions as context and to axum handlers as state.
#[derive(Clone, Debug, FromRef)]
pub struct AppState {
    pub leptos_options: LeptosOptions,
    pub db: Db,
    pub live: Arc<LiveIndex>,
}
