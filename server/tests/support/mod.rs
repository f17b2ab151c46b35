//! The site on a throw-away database that every server test drives: the real router with
//! the demo data loaded as on first start, rate limits on a clock the test controls, and
//! requests as a browser or an API client sends them, from a chosen address if need be.

#![allow(dead_code)]
// Each test file uses its own part of the helpers.
// Test helpers: a failure here is a broken test set-up, said at once.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::net::SocketAddr;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use axum::body::Body;
use axum::extract::ConnectInfo;
use axum::http::{header, HeaderMap, Request, StatusCode};
use axum::Router;
use http_body_util::BodyExt;
use server::config::{Config, Protection, PublicBaseUrl};
use server::rate_limit::RateLimits;
use tower::ServiceExt;

pub mod staff;

pub struct TestSite {
    pub router: Router,
    pub state: app::state::AppState,
    now: Arc<Mutex<Instant>>,
    database_url: String,
    _dir: tempfile::TempDir,
}

/// What came back: status, headers and the body as text.
pub struct Answer {
    pub status: StatusCode,
    pub headers: HeaderMap,
    pub body: String,
}

impl Answer {
    pub fn header(&self, name: &str) -> &str {
        self.headers.get(name).and_then(|v| v.to_str().ok()).unwrap_or("")
    }
}

/// A site with the default limits.
pub async fn spawn_site() -> TestSite {
    spawn_site_with(Protection::default()).await
}

/// A site with the given limits, on a clock that only moves with [`TestSite::wait`].
pub async fn spawn_site_with(protection: Protection) -> TestSite {
    spawn_configured(|config| Config { protection, ..config }).await
}

/// A site with the default limits, published at `base_url` (feeds and sitemaps link to it).
pub async fn spawn_site_at(base_url: &str) -> TestSite {
    let public_base_url = PublicBaseUrl::parse(base_url).expect("base URL");
    spawn_configured(|config| Config { public_base_url, ..config }).await
}

/// A site with the local configuration as `adjust` changes it, on its own database.
pub async fn spawn_configured(adjust: impl FnOnce(Config) -> Config) -> TestSite {
    spawn_with_routes(adjust, axum::Router::new()).await
}

/// A site started as a firm would start it before loading its data: no demo data.
pub async fn spawn_empty_site() -> TestSite {
    spawn_configured(|config| Config { demo_data: false, ..config }).await
}

/// A site with `extra` routes beside its own (for routes that fail on purpose).
pub async fn spawn_with_routes(
    adjust: impl FnOnce(Config) -> Config,
    extra: axum::Router<app::state::AppState>,
) -> TestSite {
    let dir = tempfile::tempdir().expect("temp dir");
    // SQLite, or PostgreSQL when TEST_DATABASE_URL names a server (store::testing).
    let local = Config::local(store::testing::fresh_url(dir.path()).await.expect("test database"));
    // The demo data, as `scripts/run` starts the site.
    let config = adjust(Config { demo_data: true, ..local });
    let state = server::prepare_state(&config).await.expect("state");
    let now = Arc::new(Mutex::new(Instant::now()));
    let reader = now.clone();
    let limits = RateLimits::with_clock(&config.protection, Arc::new(move || *reader.lock().expect("clock")));
    let router = server::router_with(state.clone(), &config, limits, extra);
    TestSite { router, state, now, database_url: config.database_url.clone(), _dir: dir }
}

impl TestSite {
    /// The site's database, for a command-line run against it.
    #[allow(dead_code)]
    pub fn database_url(&self) -> String {
        self.database_url.clone()
    }

    /// Writes `sql` to the site's database, bumps the data version and reloads the live
    /// index, as a staff change and the next refresh would.
    pub async fn change_data(&self, sql: &str) {
        sqlx::raw_sql(sql).execute(&self.state.db).await.expect("change");
        sqlx::query("UPDATE data_version SET version = version + 1")
            .execute(&self.state.db)
            .await
            .expect("bump");
        self.state.live.reload(&self.state.db).await.expect("reload");
    }

    /// Moves the limiter's clock on.
    pub fn wait(&self, time: Duration) {
        *self.now.lock().expect("clock") += time;
    }

    pub async fn send(&self, request: Request<Body>) -> Answer {
        let response = self.router.clone().oneshot(request).await.expect("response");
        let status = response.status();
        let headers = response.headers().clone();
        let bytes = response.into_body().collect().await.expect("body").to_bytes();
        // Without the markers Leptos leaves between views when components are erased (as
        // `scripts/test` builds them, to keep test binaries small): the HTML is otherwise
        // the same, and the tests read it as a reader would.
        let body = String::from_utf8_lossy(&bytes).replace("<!>", "");
        Answer { status, headers, body }
    }

    /// Sends a request and, when it answers 303 to a page of the site other than sign-in
    /// (Post/Redirect/Get), reads that page with the same cookie, as a browser follows it.
    pub async fn send_following(&self, request: Request<Body>) -> Answer {
        let cookie = request.headers().get(header::COOKIE).cloned();
        let answer = self.send(request).await;
        let location = answer.header("location").to_owned();
        if answer.status != StatusCode::SEE_OTHER
            || !location.starts_with('/')
            || location == "/staff/sign-in"
        {
            return answer;
        }
        let mut follow = Request::get(location.as_str()).body(Body::empty()).expect("request");
        if let Some(cookie) = cookie {
            follow.headers_mut().insert(header::COOKIE, cookie);
        }
        self.send(follow).await
    }

    pub async fn get(&self, path: &str) -> Answer {
        self.send(Request::get(path).body(Body::empty()).expect("request")).await
    }

    /// A GET from a reader who chose English (the language cookie).
    pub async fn get_in_english(&self, path: &str) -> Answer {
        self.send(Request::get(path).header(header::COOKIE, "lang=en").body(Body::empty()).expect("request"))
            .await
    }

    /// Posts form fields, as a browser without JavaScript would.
    pub async fn post_form(&self, path: &str, fields: &[(&str, &str)]) -> Answer {
        self.send(form_request(path, fields)).await
    }

    /// Posts a form with the one field `text`, as the paste box and the check server function take it.
    pub async fn post_text(&self, path: &str, text: &str) -> Answer {
        self.post_form(path, &[("text", text)]).await
    }

    pub async fn post_json(&self, path: &str, body: &str) -> Answer {
        self.send(json_request(path, body)).await
    }
}

pub fn post_request(path: &str, content_type: &str, body: impl Into<Body>) -> Request<Body> {
    Request::post(path).header(header::CONTENT_TYPE, content_type).body(body.into()).expect("request")
}

/// A form POST; `.extensions_mut().insert(ConnectInfo(..))` makes it come from an address.
pub fn form_request(path: &str, fields: &[(&str, &str)]) -> Request<Body> {
    let body: Vec<String> = fields.iter().map(|(k, v)| format!("{k}={}", url_encode(v))).collect();
    post_request(path, "application/x-www-form-urlencoded", body.join("&"))
}

/// The same request as if it came through a socket from `addr`.
pub fn from_addr(mut request: Request<Body>, addr: &str) -> Request<Body> {
    let addr: SocketAddr = addr.parse().expect("address");
    request.extensions_mut().insert(ConnectInfo(addr));
    request
}

pub fn json_request(path: &str, body: &str) -> Request<Body> {
    post_request(path, "application/json", body.to_owned())
}

pub fn url_encode(text: &str) -> String {
    url::form_urlencoded::byte_serialize(text.as_bytes()).collect()
}
