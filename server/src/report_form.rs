//! The report form's POST: stores a valid report and redirects to its confirmation
//! (POST-redirect-GET, so a reload cannot send it twice); anything else renders the
//! form again with a plain message and everything the reporter wrote still in place.

use axum::body::Body;
use axum::extract::{FromRequest, Request, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::Form;
use leptos::prelude::provide_context;
use serde::Deserialize;

use app::report::{PostedReport, ReportProblem};
use app::state::AppState;
use store::report::NewReport;

use crate::rate_limit::Throttled;

#[derive(Debug, Default, Deserialize)]
struct ReportFormBody {
    #[serde(default)]
    text: String,
    #[serde(default)]
    channel: String,
    #[serde(default)]
    note: String,
}

/// `POST /report`.
pub async fn post(State(state): State<AppState>, request: Request) -> Response {
    let (parts, body) = request.into_parts();
    let throttled = parts.extensions.get::<Throttled>().is_some();
    let form =
        match Form::<ReportFormBody>::from_request(Request::from_parts(parts.clone(), body), &state).await {
            Ok(Form(form)) => form,
            // Over the request-body limit: the raw 413, explained by the router's layer.
            Err(rejection) if rejection.status() == StatusCode::PAYLOAD_TOO_LARGE => {
                return rejection.into_response();
            }
            // Anything else unreadable reads as an empty form.
            Err(_) => ReportFormBody::default(),
        };
    let problem = if throttled {
        ReportProblem::RateLimited
    } else {
        match NewReport::parse(&form.text, &form.channel, &form.note) {
            Err(e) => e.into(),
            Ok(report) => match store::report::submit(&state.db, &report).await {
                Ok(receipt) => {
                    tracing::info!(links = report.links().len(), "report stored");
                    return Redirect::to(&format!("/report/thanks?ref={}", receipt.reference))
                        .into_response();
                }
                Err(e) => {
                    // The error names no reported text: sqlx reports constraints, not values.
                    tracing::error!(error = %e, "storing a report failed");
                    ReportProblem::Unavailable
                }
            },
        }
    };
    let status = match problem {
        ReportProblem::Unavailable => StatusCode::SERVICE_UNAVAILABLE,
        // The rate-limit middleware sets 429 and Retry-After on the way out.
        ReportProblem::RateLimited => StatusCode::TOO_MANY_REQUESTS,
        _ => StatusCode::UNPROCESSABLE_ENTITY,
    };
    let posted = PostedReport { text: form.text, channel: form.channel, note: form.note, problem };
    let options = state.leptos_options.clone();
    let render = leptos_axum::render_app_async_with_context(
        move || {
            provide_context(state.clone());
            provide_context(posted.clone());
        },
        move || app::shell(options.clone()),
    );
    let mut response = render(Request::from_parts(parts, Body::empty())).await;
    *response.status_mut() = status;
    response
}
