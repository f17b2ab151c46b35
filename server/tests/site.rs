//! Boots the real router on a fresh SQLite database and uses it as a browser or an
//! API client would.

use axum::body::Body;
use axum::http::{header, Request, StatusCode};
use axum::Router;
use http_body_util::BodyExt;
use server::config::Config;
use tower::ServiceExt;

struct TestSite {
    router: Router,
    state: app::state::AppState,
    _dir: tempfile::TempDir,
}

/// A site on its own throw-away database, loaded with the demo data as on first start.
async fn spawn_site() -> TestSite {
    let dir = tempfile::tempdir().expect("temp dir");
    let config = Config::local(format!("sqlite:{}", dir.path().join("site.db").display()));
    let state = server::prepare_state(&config).await.expect("state");
    TestSite { router: server::router(state.clone(), &config), state, _dir: dir }
}

impl TestSite {
    async fn send(&self, request: Request<Body>) -> (StatusCode, String) {
        let response = self.router.clone().oneshot(request).await.expect("response");
        let status = response.status();
        let bytes = response.into_body().collect().await.expect("body").to_bytes();
        (status, String::from_utf8_lossy(&bytes).into_owned())
    }

    async fn get(&self, path: &str) -> (StatusCode, String) {
        self.send(Request::get(path).body(Body::empty()).unwrap()).await
    }

    async fn post_form(&self, path: &str, text: &str) -> (StatusCode, String) {
        let body = format!("text={}", url_encode(text));
        let request = Request::post(path)
            .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
            .body(Body::from(body))
            .unwrap();
        self.send(request).await
    }
}

fn url_encode(text: &str) -> String {
    text.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => (b as char).to_string(),
            _ => format!("%{b:02X}"),
        })
        .collect()
}

#[tokio::test]
async fn healthz_answers_ok() {
    let site = spawn_site().await;
    assert_eq!(site.get("/healthz").await, (StatusCode::OK, "ok".to_owned()));
}

#[tokio::test]
async fn readyz_is_ready_once_the_demo_data_is_loaded() {
    let site = spawn_site().await;
    let (status, body) = site.get("/readyz").await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let body: serde_json::Value = serde_json::from_str(&body).unwrap();
    assert_eq!(body["ready"], true);
    assert_eq!(body["database"], "ok");
}

#[tokio::test]
async fn the_check_server_function_calls_a_listed_fake_fraud() {
    let site = spawn_site().await;
    let (status, body) =
        site.post_form("/api/check", "請登入 https://kkpp.kgi357.com/index/login 驗證").await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let answer: serde_json::Value = serde_json::from_str(&body).unwrap();
    assert_eq!(answer["report"]["verdict"], "fraud");
    assert_eq!(answer["report"]["findings"][0]["host"], "kkpp.kgi357.com");
    assert_eq!(answer["report"]["findings"][0]["takedown"]["status"], "takedown_requested");
    assert!(answer["data"]["version"].as_i64().unwrap() >= 1);
}

#[tokio::test]
async fn the_check_server_function_tells_official_from_unknown() {
    let site = spawn_site().await;
    let (_, official) = site.post_form("/api/check", "https://www.kgi.com.tw/").await;
    assert!(official.contains(r#""verdict":"official""#), "{official}");
    let (_, unknown) = site.post_form("/api/check", "https://example.org/").await;
    assert!(unknown.contains(r#""verdict":"unknown""#), "{unknown}");
}

#[tokio::test]
async fn the_check_server_function_refuses_an_empty_paste_with_a_typed_error() {
    let site = spawn_site().await;
    let (status, body) = site.post_form("/api/check", "   ").await;
    assert!(status.is_server_error() || status.is_client_error(), "{status}");
    assert!(body.contains("Empty"), "{body}");
}

#[tokio::test]
async fn posting_the_form_without_javascript_renders_the_verdict_in_the_page() {
    let site = spawn_site().await;
    let (status, html) = site.post_form("/", "https://kkpp.kgi357.com/index/login").await;
    assert_eq!(status, StatusCode::OK);
    assert!(html.contains(r#"data-verdict="fraud""#), "{html}");
    assert!(html.contains("hxxps://kkpp[.]kgi357[.]com/index/login"), "the link is shown defanged");
    assert!(html.contains("資料更新時間"), "the answer says how fresh the data is");
}

#[tokio::test]
async fn an_empty_form_gets_a_plain_request_to_paste_something() {
    let site = spawn_site().await;
    let (status, html) = site.post_form("/", "").await;
    assert_eq!(status, StatusCode::OK);
    assert!(html.contains("請先貼上網址或訊息"), "{html}");
}

#[tokio::test]
async fn a_paste_over_64_kb_is_refused_with_a_clear_message() {
    let site = spawn_site().await;
    let (status, html) = site.post_form("/", &"x".repeat(70 * 1024)).await;
    assert_eq!(status, StatusCode::OK);
    assert!(html.contains("內容太長了"), "{html}");
}

#[tokio::test]
async fn a_raw_body_over_the_limit_gets_413_with_an_explanation() {
    let site = spawn_site().await;
    let (status, body) = site.post_form("/", &"x".repeat(server::MAX_BODY_BYTES + 1)).await;
    assert_eq!(status, StatusCode::PAYLOAD_TOO_LARGE);
    assert!(body.contains("64 KB"), "{body}");
}

#[tokio::test]
async fn the_home_page_shows_the_paste_box_bulletins_and_official_domain() {
    let site = spawn_site().await;
    let (status, html) = site.get("/").await;
    assert_eq!(status, StatusCode::OK);
    assert!(html.contains("貼上可疑的網址或訊息"));
    assert!(html.contains("請認明凱基證券真正網址"), "the newest bulletin is listed");
    assert!(html.contains("kgi.com.tw"), "the official domain is listed");
}

#[tokio::test]
async fn an_unknown_page_is_a_404_with_a_way_home() {
    let site = spawn_site().await;
    let (status, html) = site.get("/no-such-page").await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    assert!(html.contains("找不到這個網頁"), "{html}");
}

impl TestSite {
    async fn post_json(&self, path: &str, body: &str) -> (StatusCode, String) {
        let request = Request::post(path)
            .header(header::CONTENT_TYPE, "application/json")
            .body(Body::from(body.to_owned()))
            .unwrap();
        self.send(request).await
    }
}

#[tokio::test]
async fn the_json_api_answers_with_verdicts_and_english_reasons_on_request() {
    let site = spawn_site().await;
    let body = r#"{"text": "hxxps://kkpp[.]kgi357[.]com/index/login", "lang": "en"}"#;
    let (status, json) = site.post_json("/api/v1/check", body).await;
    assert_eq!(status, StatusCode::OK, "{json}");
    let answer: serde_json::Value = serde_json::from_str(&json).unwrap();
    assert_eq!(answer["verdict"], "fraud");
    assert_eq!(answer["findings"][0]["reasons"][0]["code"], "takedown_listed");
    assert_eq!(
        answer["findings"][0]["reasons"][0]["message"],
        "This is a known fake site. We are having it taken down."
    );
}

#[tokio::test]
async fn the_json_api_names_what_is_wrong_with_a_bad_request() {
    let site = spawn_site().await;
    let (status, json) = site.post_json("/api/v1/check", r#"{"text": ""}"#).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert!(json.contains(r#""code":"empty""#), "{json}");
    let (status, json) = site.post_json("/api/v1/check", "{not json").await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert!(json.contains("bad_request"), "{json}");
    let long = format!(r#"{{"text": "{}"}}"#, "a".repeat(engine::MAX_MESSAGE_BYTES + 1));
    let (status, json) = site.post_json("/api/v1/check", &long).await;
    assert_eq!(status, StatusCode::PAYLOAD_TOO_LARGE);
    assert!(json.contains("too_long"), "{json}");
}

#[tokio::test]
async fn every_page_forbids_framing_sniffing_and_referrers() {
    let site = spawn_site().await;
    let response = site.router.clone().oneshot(Request::get("/").body(Body::empty()).unwrap()).await.unwrap();
    let headers = response.headers();
    assert_eq!(headers["x-frame-options"], "DENY");
    assert_eq!(headers["x-content-type-options"], "nosniff");
    assert_eq!(headers["referrer-policy"], "no-referrer");
}

#[tokio::test]
async fn the_public_check_keeps_answering_from_the_last_good_data_when_the_database_is_down() {
    let site = spawn_site().await;
    site.state.db.close().await;

    let (status, json) =
        site.post_json("/api/v1/check", r#"{"text": "https://kkpp.kgi357.com/index/login"}"#).await;
    assert_eq!(status, StatusCode::OK, "{json}");
    assert!(json.contains(r#""verdict":"fraud""#), "{json}");
    let (status, body) = site.get("/readyz").await;
    assert_eq!(status, StatusCode::SERVICE_UNAVAILABLE, "{body}");
    assert!(body.contains(r#""database":"unreachable""#), "{body}");
}

#[tokio::test]
async fn checks_are_counted_in_memory_and_keep_answering_while_the_database_is_down() {
    let site = spawn_site().await;
    site.state.db.close().await;

    let (status, html) = site.post_form("/", "https://kkpp.kgi357.com/index/login").await;
    assert_eq!(status, StatusCode::OK);
    assert!(html.contains(r#"data-verdict="fraud""#), "{html}");
    let (status, json) = site.post_form("/api/check", "https://example.org/").await;
    assert_eq!(status, StatusCode::OK, "{json}");
    assert_eq!(site.state.tally.pending(), 2, "both checks were counted");
    assert!(site.state.tally.flush(&site.state.db).await.is_err(), "the database is really down");
    assert_eq!(site.state.tally.pending(), 2, "and the counts wait for it");
}

#[tokio::test]
async fn only_the_page_with_the_paste_box_loads_the_webassembly() {
    let site = spawn_site().await;
    let (_, home) = site.get("/").await;
    assert!(home.contains(".wasm"), "the home page hydrates its paste box");
    for path in ["/bulletins", "/official", "/help", "/report", "/domain/kkpp.kgi357.com"] {
        let (status, page) = site.get(path).await;
        assert!(status.is_success(), "{path}: {status}");
        // (Leptos still appends its small inline resource scripts; they load nothing.)
        assert!(
            !page.contains(".wasm") && !page.contains(".js\""),
            "{path} loads no WebAssembly or script file"
        );
    }
}
