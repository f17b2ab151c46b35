//! A site on a throw-away database for the report and protection tests, with rate limits
//! and a clock the test controls, and requests that can come from a chosen address.

#![allow(dead_code)] // Each test file uses its own part of the helpers.

use std::net::SocketAddr;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use axum::body::Body;
use axum::extract::ConnectInfo;
use axum::http::{header, HeaderMap, Request, StatusCode};
use axum::Router;
use http_body_util::BodyExt;
use server::config::{Config, Protection};
use server::rate_limit::RateLimits;
use tower::ServiceExt;

pub struct TestSite {
    pub router: Router,
    pub state: app::state::AppState,
    now: Arc<Mutex<Instant>>,
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
    let dir = tempfile::tempdir().expect("temp dir");
    let config = Config {
        protection: protection.clone(),
        ..Config::local(format!("sqlite:{}", dir.path().join("site.db").display()))
    };
    let state = server::prepare_state(&config).await.expect("state");
    let now = Arc::new(Mutex::new(Instant::now()));
    let reader = now.clone();
    let limits = RateLimits::with_clock(&protection, Arc::new(move || *reader.lock().expect("clock")));
    let router = server::router_with_limits(state.clone(), &config, limits);
    TestSite { router, state, now, _dir: dir }
}

impl TestSite {
    /// Moves the limiter's clock on.
    pub fn wait(&self, time: Duration) {
        *self.now.lock().expect("clock") += time;
    }

    pub async fn send(&self, request: Request<Body>) -> Answer {
        let response = self.router.clone().oneshot(request).await.expect("response");
        let status = response.status();
        let headers = response.headers().clone();
        let bytes = response.into_body().collect().await.expect("body").to_bytes();
        Answer { status, headers, body: String::from_utf8_lossy(&bytes).into_owned() }
    }

    pub async fn get(&self, path: &str) -> Answer {
        self.send(Request::get(path).body(Body::empty()).expect("request")).await
    }

    /// Posts form fields, as a browser without JavaScript would.
    pub async fn post_form(&self, path: &str, fields: &[(&str, &str)]) -> Answer {
        self.send(form_request(path, fields)).await
    }
}

/// A form POST; `.extensions_mut().insert(ConnectInfo(..))` makes it come from an address.
pub fn form_request(path: &str, fields: &[(&str, &str)]) -> Request<Body> {
    let body: Vec<String> = fields.iter().map(|(k, v)| format!("{k}={}", url_encode(v))).collect();
    Request::post(path)
        .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
        .body(Body::from(body.join("&")))
        .expect("request")
}

/// The same request as if it came through a socket from `addr`.
pub fn from_addr(mut request: Request<Body>, addr: &str) -> Request<Body> {
    let addr: SocketAddr = addr.parse().expect("address");
    request.extensions_mut().insert(ConnectInfo(addr));
    request
}

pub fn json_request(path: &str, body: &str) -> Request<Body> {
    Request::post(path)
        .header(header::CONTENT_TYPE, "application/json")
        .body(Body::from(body.to_owned()))
        .expect("request")
}

pub fn url_encode(text: &str) -> String {
    text.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => (b as char).to_string(),
            _ => format!("%{b:02X}"),
        })
        .collect()
}
