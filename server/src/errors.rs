//! The server's last-resort answers, so that no request ever ends without one a reader can
//! act on: a bug that panics becomes a 500 page (JSON for the API) with a reference in the
//! log, and a body too large to read gets the same friendly answer as a paste that is too
//! long, with every security header, before the body limit cuts the connection short.

use std::any::Any;
use std::panic::AssertUnwindSafe;

use axum::body::Body;
use axum::extract::{Request, State};
use axum::http::{header, HeaderValue, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use axum::Json;
use futures_util::FutureExt;

use app::lookup::CheckFailure;
use app::report::{PostedReport, ReportProblem};
use app::state::AppState;

use crate::api::{failure_response, ApiError};

/// Turns a panic anywhere below into a 500 with a reference, logged: a page for people, JSON
/// for the API. The panic's message goes to the log only.
pub async fn catch_panics(request: Request, next: Next) -> Response {
    let api = request.uri().path().starts_with("/api/");
    match AssertUnwindSafe(next.run(request)).catch_unwind().await {
        Ok(response) => response,
        Err(panic) => {
            let reference = app::error::new_reference();
            tracing::error!(%reference, panic = panic_message(&*panic), "a request failed with a panic");
            if api {
                let message = format!("Something went wrong on our side. Reference: {reference}.");
                let error = ApiError { code: "internal", message };
                (StatusCode::INTERNAL_SERVER_ERROR, Json(error)).into_response()
            } else {
                internal_error_page(&reference)
            }
        }
    }
}

fn panic_message(panic: &(dyn Any + Send)) -> &str {
    panic
        .downcast_ref::<&'static str>()
        .copied()
        .or_else(|| panic.downcast_ref::<String>().map(String::as_str))
        .unwrap_or("(not a string)")
}

/// A plain page in both languages: the renderer itself may be what failed.
fn internal_error_page(reference: &str) -> Response {
    let page = format!(
        "<!DOCTYPE html>\n<html lang=\"zh-Hant-TW\"><head><meta charset=\"utf-8\">\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\
         <title>出了點問題 | Something went wrong</title></head><body>\
         <h1>出了點問題</h1><p>這個網頁暫時無法顯示。請稍後再試。有疑問請撥打 165 反詐騙專線。</p>\
         <p>如需聯絡我們，請提供這個代碼：<strong>{reference}</strong></p>\
         <h1 lang=\"en\">Something went wrong</h1><p lang=\"en\">This page cannot be shown right now. \
         Please try again later. If in doubt, call the 165 anti-fraud hotline.</p>\
         <p lang=\"en\">If you contact us, quote this code: <strong>{reference}</strong></p>\
         <p><a href=\"/\">回到首頁 · Back to the check</a></p></body></html>\n"
    );
    let mut response = (StatusCode::INTERNAL_SERVER_ERROR, page).into_response();
    response.headers_mut().insert(header::CONTENT_TYPE, HeaderValue::from_static("text/html; charset=utf-8"));
    response.headers_mut().insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    response
}

/// Answers a request whose `Content-Length` is over its path's limit ([`crate::body_limit`]) without reading it, in
/// the words of the page it was sent to: the check page says the paste is too long (and the
/// reader's language is kept), the report page the same, the API its JSON error.
pub async fn refuse_oversized(State(state): State<AppState>, request: Request, next: Next) -> Response {
    let announced = request
        .headers()
        .get(header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.trim().parse::<usize>().ok());
    let limit = crate::body_limit(request.uri().path(), &state);
    let Some(bytes) = announced.filter(|&n| n > limit) else {
        return next.run(request).await;
    };
    let (parts, _body) = request.into_parts();
    match parts.uri.path() {
        "/" => {
            let failure = CheckFailure::TooLong { bytes };
            crate::check_form::render(
                state,
                parts,
                Err(failure),
                String::new(),
                StatusCode::PAYLOAD_TOO_LARGE,
            )
            .await
        }
        "/report" | "/report/new" => {
            let posted = PostedReport {
                text: String::new(),
                channel: String::new(),
                note: String::new(),
                problem: Some(ReportProblem::TooLong),
                reference: None,
            };
            crate::report_form::render(state, parts, posted, StatusCode::PAYLOAD_TOO_LARGE).await
        }
        path if path.starts_with("/api/v1/") => {
            let (status, error) = failure_response(&CheckFailure::TooLong { bytes });
            (status, Json(error)).into_response()
        }
        // The paste box's server function reads its own typed error.
        "/api/check" => {
            (StatusCode::PAYLOAD_TOO_LARGE, Json(CheckFailure::TooLong { bytes })).into_response()
        }
        path if crate::staff::bulletins::takes_a_whole_text(path) => crate::staff::bulletins::too_large(),
        _ => too_large_text(),
    }
}

/// A bare 413 for anything else, explained in both languages.
pub fn too_large_text() -> Response {
    let mut response = Response::new(Body::from(
        "內容太長了，無法查證。請只貼上有連結的那一段（上限 64 KB）。\n\
         That is too long to check. Paste only the part with the link (64 KB at most).\n",
    ));
    *response.status_mut() = StatusCode::PAYLOAD_TOO_LARGE;
    response
        .headers_mut()
        .insert(header::CONTENT_TYPE, HeaderValue::from_static("text/plain; charset=utf-8"));
    response
}
