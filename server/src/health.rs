//! Health checks for the load balancer: `/healthz` (the process answers) and `/readyz`
//! (the instance can answer checks).
//!
//! Ready means "serving from good data in memory", not "the database answers": the public
//! check reads only memory, so an instance whose database is down still answers every
//! check correctly (with the data's age). Taking every instance out of the load balancer
//! when the database blips would take the public check down with it, the one thing that
//! must keep answering. An instance that has never loaded data is not ready: it can only
//! say "cannot verify yet". The body says which case it is, and what the database is doing.

use std::time::Duration;

use axum::extract::State;
use axum::http::StatusCode;
use axum::Json;
use serde::Serialize;

use app::state::AppState;

/// How long `/readyz` waits for the database before calling it unreachable: a load
/// balancer's probe must not hang on a stalled database.
pub const DATABASE_PROBE_TIMEOUT: Duration = Duration::from_secs(1);

/// `GET /healthz`: the process is up.
pub async fn healthz() -> &'static str {
    "ok"
}

/// The body of `/readyz`.
#[derive(Debug, Serialize)]
pub struct Readiness {
    /// Checks are answered from good data.
    pub ready: bool,
    /// `ok`, or `unreachable` (down, stalled or failing).
    pub database: &'static str,
    pub data_loaded: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub data_version: Option<i64>,
    /// Whether the data in memory is older than the instance's limit.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub data_stale: Option<bool>,
    /// The takedown data version the checks use.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub takedown_version: Option<i64>,
    /// The current takedown version, when it did not validate and this instance serves an
    /// earlier good one instead.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub takedown_version_refused: Option<i64>,
    /// What the instance is doing, in a sentence.
    pub status: String,
}

/// `GET /readyz`: 200 while checks are answered from loaded data (whatever the database
/// does), 503 before any data has loaded.
pub async fn readyz(State(state): State<AppState>) -> (StatusCode, Json<Readiness>) {
    let database_ok =
        tokio::time::timeout(DATABASE_PROBE_TIMEOUT, store::db::ping(&state.db)).await.unwrap_or(false);
    let snapshot = state.live.current();
    let freshness = state.live.freshness();
    let fallback = snapshot.as_ref().and_then(|s| s.fallback.clone().zip(s.takedown_version));
    let status = match (&snapshot, database_ok, &fallback) {
        (Some(_), _, Some((fallback, serving))) => format!(
            "serving the last good takedown data, version {serving}: version {} does not validate ({}); roll it back or fix it",
            fallback.refused, fallback.reason
        ),
        (Some(_), true, None) => "serving from the current data".to_owned(),
        (Some(_), false, None) => {
            "serving from the last good data in memory; the database is unreachable, staff writes fail"
                .to_owned()
        }
        (None, _, _) => match state.live.failing() {
            Some(reason) => format!("no data loaded: {reason}"),
            None => "no data loaded yet".to_owned(),
        },
    };
    let body = Readiness {
        ready: snapshot.is_some(),
        database: if database_ok { "ok" } else { "unreachable" },
        data_loaded: snapshot.is_some(),
        data_version: snapshot.as_ref().map(|s| s.version),
        data_stale: freshness.map(|f| f.stale),
        takedown_version: snapshot.as_ref().and_then(|s| s.takedown_version),
        takedown_version_refused: fallback.map(|(f, _)| f.refused),
        status,
    };
    let code = if body.ready { StatusCode::OK } else { StatusCode::SERVICE_UNAVAILABLE };
    (code, Json(body))
}
