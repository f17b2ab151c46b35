//! The HTTP status of a page that renders but lacks its content: a 404 for something that
//! does not exist, a 503 while its data cannot be read, a 301 to the one right address. The page itself still explains,
//! in the reader's language; the status tells browsers, caches and crawlers not to take
//! the explanation for the content.

/// Marks the page being rendered as not found.
pub(crate) fn respond_not_found() {
    #[cfg(feature = "ssr")]
    set_status(axum::http::StatusCode::NOT_FOUND);
}

/// Marks the page being rendered as unavailable for now (its data could not be read).
pub(crate) fn respond_unavailable() {
    #[cfg(feature = "ssr")]
    set_status(axum::http::StatusCode::SERVICE_UNAVAILABLE);
}

/// Marks the page being rendered as moved for good to `location` (a path on this site).
pub(crate) fn respond_moved(location: &str) {
    #[cfg(feature = "ssr")]
    {
        use axum::http::{header, HeaderValue, StatusCode};
        set_status(StatusCode::MOVED_PERMANENTLY);
        let response = leptos::prelude::use_context::<leptos_axum::ResponseOptions>();
        if let (Some(response), Ok(value)) = (response, HeaderValue::from_str(location)) {
            response.insert_header(header::LOCATION, value);
        }
    }
    #[cfg(not(feature = "ssr"))]
    let _ = location;
}

#[cfg(feature = "ssr")]
fn set_status(status: axum::http::StatusCode) {
    if let Some(response) = leptos::prelude::use_context::<leptos_axum::ResponseOptions>() {
        response.set_status(status);
    }
}
