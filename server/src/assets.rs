//! How long browsers may keep each response. The WebAssembly, JavaScript and CSS carry a
//! content hash in their names (cargo-leptos `hash-files`), so they are cached for a year
//! and never revalidated; pages are revalidated every time, and answers to a check
//! (which carry what someone pasted) are never stored.

use axum::body::Body;
use axum::extract::Request;
use axum::http::{header, HeaderValue, Method, Response};
use axum::middleware::Next;

/// A year, for files whose name changes whenever their content does.
const IMMUTABLE: &str = "public, max-age=31536000, immutable";
/// A day, for the few unhashed files (favicon, robots.txt).
const STATIC: &str = "public, max-age=86400";
/// Pages: always ask the server whether the page changed.
const REVALIDATE: &str = "no-cache";
/// Answers to a posted paste and API answers: never kept by any cache.
const NEVER_STORE: &str = "no-store";

/// The cache policy for one response.
pub fn policy(method: &Method, path: &str, hashed_assets: bool, is_html_or_json: bool) -> &'static str {
    if method != Method::GET && method != Method::HEAD {
        NEVER_STORE
    } else if path.starts_with("/pkg/") {
        if hashed_assets {
            IMMUTABLE
        } else {
            REVALIDATE
        }
    } else if path.starts_with("/api/") {
        NEVER_STORE
    } else if is_html_or_json {
        REVALIDATE
    } else {
        STATIC
    }
}

/// Sets `Cache-Control` on every response that has none.
pub async fn cache_control(hashed_assets: bool, request: Request, next: Next) -> Response<Body> {
    let method = request.method().clone();
    let path = request.uri().path().to_owned();
    let mut response = next.run(request).await;
    if response.headers().contains_key(header::CACHE_CONTROL) {
        return response;
    }
    let is_html_or_json = response.headers().get(header::CONTENT_TYPE).is_none_or(|v| {
        let v = v.as_bytes();
        v.starts_with(b"text/html") || v.starts_with(b"application/json")
    });
    let value = policy(&method, &path, hashed_assets && response.status().is_success(), is_html_or_json);
    response.headers_mut().insert(header::CACHE_CONTROL, HeaderValue::from_static(value));
    response
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hashed_site_files_are_cached_for_a_year() {
        assert_eq!(policy(&Method::GET, "/pkg/fraudcheck.Ab12.wasm", true, false), IMMUTABLE);
        assert_eq!(policy(&Method::GET, "/pkg/fraudcheck.wasm", false, false), REVALIDATE);
    }

    #[test]
    fn answers_to_a_paste_are_never_stored() {
        assert_eq!(policy(&Method::POST, "/", true, true), NEVER_STORE);
        assert_eq!(policy(&Method::POST, "/api/check", true, true), NEVER_STORE);
    }

    #[test]
    fn pages_are_revalidated_and_plain_files_kept_a_day() {
        assert_eq!(policy(&Method::GET, "/", true, true), REVALIDATE);
        assert_eq!(policy(&Method::GET, "/favicon.svg", true, false), STATIC);
    }
}
