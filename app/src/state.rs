//! What the server hands to every request: the database, the live index, the check tally,
//! and the staff side's settings and shared caches.

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
    /// How the staff side behaves.
    pub staff: Arc<StaffSettings>,
    /// The takedown campaigns, computed once per data version.
    pub campaigns: Arc<store::takedown::campaigns::CampaignCache>,
    /// The imports this instance is applying now, with their live progress.
    pub import_jobs: Arc<store::import_jobs::Board>,
    /// The open incidents and newest bulletins every page shows, with the last good read.
    pub board: Arc<store::bulletin::board::Board>,
}

/// The staff side's settings, from the configuration.
#[derive(Clone, Debug, PartialEq)]
pub struct StaffSettings {
    /// Served over HTTPS: the session cookie is `__Host-staff` and `Secure`.
    pub secure_cookie: bool,
    /// `DEMO_RELAX_SECOND_FACTOR=true`: sign-in asks for the password only, and every staff
    /// page says so. For trying the consoles; never for real staff.
    pub relaxed_second_factor: bool,
    /// `CONTACT_RETENTION_DAYS`: how long the text pasted into a contact is kept (default 90).
    pub contact_retention_days: u32,
    /// The site's origin (`PUBLIC_BASE_URL`), which a state-changing staff request must come from.
    pub origin: String,
    /// `TRUST_PROXY_HEADERS`: the client address is the proxy's `X-Forwarded-For`.
    pub trust_proxy_headers: bool,
    /// The bounds on takedown imports (`IMPORT_*`).
    pub imports: store::import::Limits,
}

impl Default for StaffSettings {
    fn default() -> Self {
        Self {
            secure_cookie: false,
            relaxed_second_factor: false,
            contact_retention_days: 90,
            origin: "http://127.0.0.1:3000".to_owned(),
            trust_proxy_headers: false,
            imports: store::import::Limits::default(),
        }
    }
}
