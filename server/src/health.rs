//! Health checks for the load balancer: `/healthz` (the process answers) and
//! `/readyz` (the database is reachable and check data is loaded).

use axum::extract::State;
use axum::http::StatusCode;
use axum::Json;
use serde::Serialize;

use app::state::AppState;

/// `GET /healthz`: the process is up.
pub async fn healthz() -> &'static str {
    "ok"
}

/// The body of `/readyz`.
#[derive(Debug, Serialize)]
pub struct Readiness {
    pub ready: bool,
    pub database: &'static str,
    pub data_loaded: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub data_version: Option<i64>,
}

/// `GET /readyz`: 200 when the database answers and check data is loaded, else 503.
pub async fn readyz(State(state): State<AppState>) -> (StatusCode, Json<Readiness>) {
    let database_ok = store::db::ping(&state.db).await;
    let snapshot = state.live.current();
    let ready = database_ok && snapshot.is_some();
    let body = Readiness {
        ready,
        database: if database_ok { "ok" } else { "unreachable" },
        data_loaded: snapshot.is_some(),
        data_version: snapshot.map(|s| s.version),
    };
    let status = if ready { StatusCode::OK } else { StatusCode::SERVICE_UNAVAILABLE };
    (status, Json(body))
}
