//! The check without JavaScript: the paste box posts a plain form to `/`, and the
//! answer comes back inside a fully server-rendered home page.

use axum::body::Body;
use axum::extract::{FromRequest, Request, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::Form;
use leptos::prelude::provide_context;
use serde::Deserialize;

use app::lookup::{run_public_check, CheckFailure, PostedCheck};
use app::state::AppState;

use crate::rate_limit::Throttled;

#[derive(Debug, Deserialize)]
struct CheckFormBody {
    #[serde(default)]
    text: String,
}

/// `POST /`: runs the check and renders the home page with its answer.
pub async fn post(State(state): State<AppState>, request: Request) -> Response {
    let (parts, body) = request.into_parts();
    let throttled = parts.extensions.get::<Throttled>().map(|t| t.0.seconds());
    let outcome = if let Some(retry_after_secs) = throttled {
        // Over the limit (the middleware sets 429 and Retry-After): say so, check nothing.
        Err(CheckFailure::RateLimited { retry_after_secs })
    } else {
        match Form::<CheckFormBody>::from_request(Request::from_parts(parts.clone(), body), &state).await {
            Ok(Form(form)) => run_public_check(&state, &form.text),
            // Over the request-body limit: the raw 413, explained by the router's layer.
            Err(rejection) if rejection.status() == StatusCode::PAYLOAD_TOO_LARGE => {
                return rejection.into_response();
            }
            // Anything else unreadable (wrong content type, bad encoding) reads as an empty paste.
            Err(_) => Err(CheckFailure::Empty),
        }
    };
    let options = state.leptos_options.clone();
    let render = leptos_axum::render_app_async_with_context(
        move || {
            provide_context(state.clone());
            provide_context(PostedCheck(outcome.clone()));
        },
        move || app::shell(options.clone()),
    );
    render(Request::from_parts(parts, Body::empty())).await
}
