//! The language switch: `GET /lang/{code}?next=/path` remembers the choice in a cookie
//! and sends the reader back to the page they were on. A plain link, so it works
//! without JavaScript.

use axum::extract::{Path, Query};
use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use serde::Deserialize;

use app::locale::{code, parse, safe_return_path, COOKIE};

/// How long the choice is remembered: a year.
const REMEMBER_SECONDS: u32 = 365 * 24 * 60 * 60;

#[derive(Debug, Deserialize)]
pub struct Next {
    next: Option<String>,
}

/// `GET /lang/{code}`: sets the language cookie and redirects back.
pub async fn switch(Path(wanted): Path<String>, Query(query): Query<Next>) -> Response {
    let Some(locale) = parse(&wanted) else {
        return (StatusCode::NOT_FOUND, "這個語言沒有提供。Language not available: use zh-TW or en.\n")
            .into_response();
    };
    let back = safe_return_path(query.next.as_deref().unwrap_or("/"));
    let cookie = format!("{COOKIE}={}; Path=/; Max-Age={REMEMBER_SECONDS}; SameSite=Lax", code(locale));
    // A path a header cannot carry (non-ASCII from a decoded query) goes home instead.
    let location = HeaderValue::from_str(back).unwrap_or(HeaderValue::from_static("/"));
    let mut response = StatusCode::SEE_OTHER.into_response();
    response.headers_mut().insert(header::LOCATION, location);
    if let Ok(value) = HeaderValue::from_str(&cookie) {
        response.headers_mut().insert(header::SET_COOKIE, value);
    }
    response
}
