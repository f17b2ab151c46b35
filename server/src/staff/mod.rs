//! The staff side on the server: sign-in with a password and a second factor, sessions in the
//! database, the one gate every staff request passes ([`guard`]), the agent console's pages
//! and actions, the official list's two-person approval, bulletin publishing, and the audit log. Every staff page is rendered here, by the handler that
//! checked who is asking, from data it loaded: nothing of it is reachable any other way.
//! Design: `docs/staff.md`.

pub mod accounts;
pub mod admin;
pub mod bulletins;
pub mod campaigns;
pub mod charts;
pub mod console;
pub mod dashboard;
pub mod follow_up;
pub mod guard;
pub mod housekeeping;
pub mod imports;
pub mod official;
pub mod password;
pub mod scripts;
pub mod session;
pub mod signin;
pub mod takedowns;
pub mod totp;
pub mod triage;

use std::net::SocketAddr;

use axum::body::Body;
use axum::extract::{ConnectInfo, DefaultBodyLimit, FromRequest, FromRequestParts, Request};
use axum::http::request::Parts;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Form, Router};
use leptos::prelude::provide_context;
use serde::de::DeserializeOwned;

use app::staff::{Badge, StaffPage};
use app::state::AppState;
use session::Signed;

/// The staff routes; the gate ([`guard::enforce`]) is layered over the whole site.
pub fn routes() -> Router<AppState> {
    Router::new()
        .route(guard::SIGN_IN, get(signin::sign_in_page).post(signin::sign_in))
        .route(guard::SECOND_FACTOR, get(signin::second_factor_page).post(signin::second_factor))
        .route(guard::PASSWORD, get(signin::password_page).post(signin::change_password))
        .route(guard::SIGN_OUT, post(signin::sign_out))
        .route("/console", get(console::page))
        .route("/console/check", post(console::check))
        .route("/console/contacts", post(console::log_contact))
        .route("/console/escalations", post(console::escalate))
        .route("/console/escalations/{id}/decide", post(console::decide))
        .route("/console/status", get(console::status))
        .route("/console/events", get(console::events))
        .route("/console/news", get(console::news))
        .route("/console/audit", get(console::audit))
        .route("/console/users", get(admin::page).post(admin::create_user))
        .route("/console/scripts", get(scripts::page))
        .route("/console/scripts/new", post(scripts::add))
        .route("/console/scripts/{id}/edit", post(scripts::edit))
        .route("/console/users/{id}/{action}", post(admin::change))
        .route("/console/takedowns", get(takedowns::page))
        .route("/console/takedowns/status", post(takedowns::change_status))
        .route("/console/takedowns/campaigns", get(campaigns::page))
        .route("/console/takedowns/campaigns/status", post(campaigns::change_status))
        .route("/console/takedowns/{id}", get(takedowns::entry).post(takedowns::edit))
        .route("/console/imports", get(imports::page))
        // The import paths read bodies up to their own limit (`imports::upload_body_limit`).
        .route("/console/imports/preview", post(imports::preview).layer(DefaultBodyLimit::disable()))
        .route("/console/imports/apply", post(imports::apply).layer(DefaultBodyLimit::disable()))
        .route("/console/imports/jobs/{id}", get(imports::job))
        .route("/console/versions", get(imports::versions))
        .route("/console/versions/{version}/rollback", post(imports::rollback))
        .route("/console/switches", post(imports::switch))
        .route("/console/official", get(official::page))
        .route("/console/official/proposals", post(official::propose))
        .route("/console/official/proposals/{id}/{decision}", post(official::decide))
        .route("/console/dashboard", get(dashboard::page))
        .route("/console/triage", get(triage::page))
        .route("/console/triage/decide", post(triage::decide))
        .route("/console/triage/restore", post(triage::restore))
        .route("/console/triage/close-report", post(triage::close_report))
        .route("/console/dashboard/{chart}", get(dashboard::chart))
        .route("/console/bulletins", get(bulletins::list))
        .route("/console/bulletins/new", post(bulletins::create))
        .route("/console/bulletins/settings", post(bulletins::settings))
        .route("/console/bulletins/templates", get(bulletins::templates).post(bulletins::add_template))
        .route(
            "/console/bulletins/templates/{id}",
            get(bulletins::template_page).post(bulletins::edit_template),
        )
        .route("/console/bulletins/{id}", get(bulletins::editor))
        .route("/console/bulletins/{id}/revisions", get(bulletins::revisions))
        .route("/console/bulletins/{id}/{action}", post(bulletins::act))
}

/// The largest staff form other than an import, in bytes.
pub const FORM_BYTES: usize = 64 * 1024;

/// Renders a staff page from its data, in the reader's language, with `status`.
pub async fn render(state: &AppState, mut parts: Parts, page: StaffPage, status: StatusCode) -> Response {
    // An action's answer (`POST /console/check`) is its page, rendered by the page's route.
    parts.uri = axum::http::Uri::from_static(page.path());
    let options = state.leptos_options.clone();
    let context_state = state.clone();
    let render = leptos_axum::render_app_async_with_context(
        move || {
            provide_context(context_state.clone());
            provide_context(page.clone());
        },
        move || app::shell(options.clone()),
    );
    let mut response = render(Request::from_parts(parts, Body::empty())).await;
    *response.status_mut() = status;
    response
}

/// A form body; `None` for a body that is not the form expected (each handler answers that
/// plainly).
pub async fn read_form<T: DeserializeOwned>(state: &AppState, request: Request) -> Option<T> {
    Form::<T>::from_request(request, state).await.ok().map(|Form(f)| f)
}

/// The session the gate found, if any.
pub fn signed(parts: &Parts) -> Option<Signed> {
    parts.extensions.get::<Signed>().cloned()
}

/// A staff request past the gate: its parts (to render the answer with) and who is asking.
/// A handler that takes it cannot run without a session, whatever the gate's table says.
pub struct StaffRequest {
    pub parts: Parts,
    pub signed: Signed,
}

impl<S: Send + Sync> FromRequestParts<S> for StaffRequest {
    type Rejection = Response;

    async fn from_request_parts(parts: &mut Parts, _state: &S) -> Result<Self, Response> {
        match signed(parts) {
            Some(signed) => Ok(Self { parts: parts.clone(), signed }),
            None => Err(axum::response::Redirect::to(guard::SIGN_IN).into_response()),
        }
    }
}

/// The client address of a request, for the audit log and the per-address limit.
pub fn client_of(parts: &Parts, trust_proxy_headers: bool) -> String {
    let peer = parts.extensions.get::<ConnectInfo<SocketAddr>>().map(|c| c.0);
    crate::rate_limit::client_address(&parts.headers, peer, trust_proxy_headers)
}

/// Who is signed in, for the staff header.
pub fn badge(signed: &Signed, state: &AppState) -> Badge {
    Badge {
        login: signed.user.login.clone(),
        display_name: signed.user.display_name.clone(),
        roles: signed.user.roles.iter().map(|r| r.code().to_owned()).collect(),
        relaxed_second_factor: state.staff.relaxed_second_factor,
    }
}

/// The current time as the store writes it.
pub fn now_text() -> String {
    session::format_time(time::OffsetDateTime::now_utc())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn a_handler_that_needs_a_session_refuses_a_request_without_one() {
        let (mut parts, _) = axum::http::Request::get("/console").body(()).unwrap_or_default().into_parts();
        let refused = StaffRequest::from_request_parts(&mut parts, &()).await.err().map(|r| r.status());
        assert_eq!(refused, Some(StatusCode::SEE_OTHER));
    }
}
