//! The language switch: `GET /lang/{code}?next=/path` remembers the choice in a cookie
//! and sends the reader back to the page they were on. A plain link, so it works
//! without JavaScript.

use axum::extract::{Path, Query};
use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use serde::Deserialize;

use app::locale::{code, parse, safe_return_path, COOKIE};

/// How long the choice is remembered: a year.
pub const LANGUAGE_COOKIE_LIFETIME: u32 = 365 * 24 * 60 * 60;

/// Makes a request read as if the reader had already chosen `locale`, so the page rendered
/// for it (after the language button on the home page) is in that language.
pub fn with_language(headers: &mut axum::http::HeaderMap, locale: app::i18n::Locale) {
    let others: Vec<String> = headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .map(str::trim)
        .filter(|pair| !pair.is_empty() && pair.split_once('=').is_none_or(|(name, _)| name != COOKIE))
        .map(str::to_owned)
        .collect();
    let mut cookies = others.join("; ");
    if !cookies.is_empty() {
        cookies.push_str("; ");
    }
    cookies.push_str(&format!("{COOKIE}={}", code(locale)));
    headers.remove(header::COOKIE);
    if let Ok(value) = HeaderValue::from_str(&cookies) {
        headers.insert(header::COOKIE, value);
    }
}

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
    let cookie =
        format!("{COOKIE}={}; Path=/; Max-Age={LANGUAGE_COOKIE_LIFETIME}; SameSite=Lax", code(locale));
    // A path a header cannot carry (non-ASCII from a decoded query) goes home instead.
    let location = HeaderValue::from_str(back).unwrap_or(HeaderValue::from_static("/"));
    let mut response = StatusCode::SEE_OTHER.into_response();
    response.headers_mut().insert(header::LOCATION, location);
    if let Ok(value) = HeaderValue::from_str(&cookie) {
        response.headers_mut().insert(header::SET_COOKIE, value);
    }
    response
}
