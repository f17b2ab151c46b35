//! The report form's POST: stores a valid report and redirects to its confirmation
//! (POST-redirect-GET, so a reload cannot send it twice); anything else renders the
//! form again with a plain message and everything the reporter wrote still in place.
//! `POST /report/new` opens the form filled in from a check's answer, without storing
//! anything: the links travel in the body, never in an address.

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
    let form = match Form::<ReportFormBody>::from_request(Request::from_parts(parts.clone(), body), &state)
        .await
    {
        Ok(Form(form)) => form,
        // Over the request-body limit while reading: the form again, saying so.
        Err(rejection) if rejection.status() == StatusCode::PAYLOAD_TOO_LARGE => {
            let posted = problem(String::new(), String::new(), String::new(), ReportProblem::TooLong, None);
            return render(state, parts, posted, StatusCode::PAYLOAD_TOO_LARGE).await;
        }
        // Anything else unreadable reads as an empty form.
        Err(_) => ReportFormBody::default(),
    };
    let mut reference = None;
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
                    reference =
                        app::error::AppError::storage("storing a report", &e).reference().map(str::to_owned);
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
    let posted = self::problem(form.text, form.channel, form.note, problem, reference);
    render(state, parts, posted, status).await
}

/// `POST /report/new`: the report form with the text a check's answer sent along.
pub async fn prefill(State(state): State<AppState>, request: Request) -> Response {
    let (parts, body) = request.into_parts();
    let text =
        match Form::<ReportFormBody>::from_request(Request::from_parts(parts.clone(), body), &state).await {
            Ok(Form(form)) => form.text,
            Err(_) => String::new(),
        };
    let posted =
        PostedReport { text, channel: String::new(), note: String::new(), problem: None, reference: None };
    render(state, parts, posted, StatusCode::OK).await
}

fn problem(
    text: String,
    channel: String,
    note: String,
    problem: ReportProblem,
    reference: Option<String>,
) -> PostedReport {
    PostedReport { text, channel, note, problem: Some(problem), reference }
}

/// The report page with the form as `posted` left it.
pub async fn render(
    state: AppState,
    parts: axum::http::request::Parts,
    posted: PostedReport,
    status: StatusCode,
) -> Response {
    let options = state.leptos_options.clone();
    let render = leptos_axum::render_app_async_with_context(
        move || {
            provide_context(state.clone());
            provide_context(posted.clone());
        },
        move || app::shell(options.clone()),
    );
    let mut response = render(Request::from_parts(parts, Body::empty())).await;
    if status != StatusCode::OK {
        *response.status_mut() = status;
    }
    response
}
