//! Reads the bulletin board (open incidents, newest bulletins) before a page is rendered and
//! hands it to the page in the request's extensions: every page shows what the database says
//! now, and the last good board when the database is slow or away (`store::bulletin::board`).

use axum::extract::{Request, State};
use axum::middleware::Next;
use axum::response::Response;

use app::state::AppState;

/// Whether `path` is a page (rather than an asset, an API call, a feed or a health check).
pub fn is_page(path: &str) -> bool {
    const NOT_PAGES: [&str; 8] =
        ["/pkg/", "/api/", "/open-data/", "/healthz", "/readyz", "/feed.atom", "/sitemap.xml", "/robots.txt"];
    // Domain pages end in a name with dots (`/domain/kgi357.com`); files end in these.
    const FILES: [&str; 10] =
        [".ico", ".css", ".js", ".wasm", ".png", ".svg", ".webmanifest", ".txt", ".xml", ".map"];
    !NOT_PAGES.iter().any(|prefix| path.starts_with(prefix))
        && path != "/console/events"
        && path != "/console/news"
        && !path.starts_with("/console/dashboard/")
        && !FILES.iter().any(|ext| path.ends_with(ext))
}

/// The middleware: attaches the board to every page request.
pub async fn attach(State(state): State<AppState>, mut request: Request, next: Next) -> Response {
    if is_page(request.uri().path()) {
        if let Some(board) = state.board.current(&state.db).await {
            request.extensions_mut().insert(board);
        }
    }
    next.run(request).await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pages_get_the_board_and_assets_feeds_and_streams_do_not() {
        for page in ["/", "/bulletins", "/bulletins/verify-real-website", "/console", "/domain/kgi357.com"] {
            assert!(is_page(page), "{page}");
        }
        for other in
            ["/pkg/app.wasm", "/favicon.ico", "/api/v1/check", "/feed.atom", "/console/events", "/healthz"]
        {
            assert!(!is_page(other), "{other}");
        }
    }
}
