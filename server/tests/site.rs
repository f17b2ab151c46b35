//! Boots the real router on a fresh SQLite database and uses it as a browser or an
//! API client would.

mod support;

use axum::http::StatusCode;
use support::spawn_site;

#[tokio::test]
async fn healthz_answers_ok() {
    let site = spawn_site().await;
    let page = site.get("/healthz").await;
    assert_eq!((page.status, page.body.as_str()), (StatusCode::OK, "ok"));
}

#[tokio::test]
async fn readyz_is_ready_once_the_demo_data_is_loaded() {
    let site = spawn_site().await;
    let page = site.get("/readyz").await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.body);
    let body: serde_json::Value = serde_json::from_str(&page.body).unwrap();
    assert_eq!(body["ready"], true);
    assert_eq!(body["database"], "ok");
}

#[tokio::test]
async fn the_check_server_function_calls_a_listed_fake_fraud() {
    let site = spawn_site().await;
    let reply = site.post_text("/api/check", "請登入 https://kkpp.kgi357.com/index/login 驗證").await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
    let answer: serde_json::Value = serde_json::from_str(&reply.body).unwrap();
    assert_eq!(answer["report"]["verdict"], "fraud");
    assert_eq!(answer["report"]["findings"][0]["host"], "kkpp.kgi357.com");
    assert_eq!(answer["report"]["findings"][0]["takedown"]["status"], "takedown_requested");
    assert!(answer["data"]["version"].as_i64().unwrap() >= 1);
}

#[tokio::test]
async fn the_check_server_function_tells_official_from_unknown() {
    let site = spawn_site().await;
    let official = site.post_text("/api/check", "https://www.kgi.com.tw/").await.body;
    assert!(official.contains(r#""verdict":"official""#), "{official}");
    let unknown = site.post_text("/api/check", "https://example.org/").await.body;
    assert!(unknown.contains(r#""verdict":"unknown""#), "{unknown}");
}

#[tokio::test]
async fn the_check_server_function_refuses_an_empty_paste_with_a_typed_error() {
    let site = spawn_site().await;
    let reply = site.post_text("/api/check", "   ").await;
    assert!(reply.status.is_server_error() || reply.status.is_client_error(), "{}", reply.status);
    assert!(reply.body.contains("Empty"), "{}", reply.body);
}

#[tokio::test]
async fn posting_the_form_without_javascript_renders_the_verdict_in_the_page() {
    let site = spawn_site().await;
    let page = site.post_text("/", "https://kkpp.kgi357.com/index/login").await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.contains(r#"data-verdict="fraud""#), "{}", page.body);
    assert!(page.body.contains("hxxps://kkpp[.]kgi357[.]com/index/login"), "the link is shown defanged");
    assert!(page.body.contains("資料版本"), "the answer names its data version");
    assert!(page.body.contains("最後確認為最新"), "and when it was last confirmed current");
}

#[tokio::test]
async fn an_empty_form_gets_a_plain_request_to_paste_something() {
    let site = spawn_site().await;
    let page = site.post_text("/", "").await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.contains("請先貼上網址或訊息"), "{}", page.body);
}

#[tokio::test]
async fn a_paste_over_64_kb_is_refused_with_a_clear_message() {
    let site = spawn_site().await;
    let page = site.post_text("/", &"x".repeat(70 * 1024)).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.contains("內容太長了"), "{}", page.body);
}

#[tokio::test]
async fn a_raw_body_over_the_limit_gets_413_with_an_explanation() {
    let site = spawn_site().await;
    let reply = site.post_text("/", &"x".repeat(server::MAX_BODY_BYTES + 1)).await;
    assert_eq!(reply.status, StatusCode::PAYLOAD_TOO_LARGE);
    assert!(reply.body.contains("64 KB"), "{}", reply.body);
}

#[tokio::test]
async fn the_home_page_shows_the_paste_box_bulletins_and_official_domain() {
    let site = spawn_site().await;
    let page = site.get("/").await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.contains("貼上可疑的網址或訊息"));
    assert!(page.body.contains("請認明凱基證券真正網址"), "the newest bulletin is listed");
    assert!(page.body.contains("kgi.com.tw"), "the official domain is listed");
}

#[tokio::test]
async fn an_unknown_page_is_a_404_with_a_way_home() {
    let site = spawn_site().await;
    let page = site.get("/no-such-page").await;
    assert_eq!(page.status, StatusCode::NOT_FOUND);
    assert!(page.body.contains("找不到這個網頁"), "{}", page.body);
}

#[tokio::test]
async fn the_json_api_answers_with_verdicts_and_english_reasons_on_request() {
    let site = spawn_site().await;
    let body = r#"{"text": "hxxps://kkpp[.]kgi357[.]com/index/login", "lang": "en"}"#;
    let reply = site.post_json("/api/v1/check", body).await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
    let answer: serde_json::Value = serde_json::from_str(&reply.body).unwrap();
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
    let empty = site.post_json("/api/v1/check", r#"{"text": ""}"#).await;
    assert_eq!(empty.status, StatusCode::BAD_REQUEST);
    assert!(empty.body.contains(r#""code":"empty""#), "{}", empty.body);
    let not_json = site.post_json("/api/v1/check", "{not json").await;
    assert_eq!(not_json.status, StatusCode::BAD_REQUEST);
    assert!(not_json.body.contains("bad_request"), "{}", not_json.body);
    let long = format!(r#"{{"text": "{}"}}"#, "a".repeat(engine::MAX_MESSAGE_BYTES + 1));
    let too_long = site.post_json("/api/v1/check", &long).await;
    assert_eq!(too_long.status, StatusCode::PAYLOAD_TOO_LARGE);
    assert!(too_long.body.contains("too_long"), "{}", too_long.body);
}

#[tokio::test]
async fn every_page_forbids_framing_sniffing_and_referrers() {
    let site = spawn_site().await;
    let headers = site.get("/").await.headers;
    assert_eq!(headers["x-frame-options"], "DENY");
    assert_eq!(headers["x-content-type-options"], "nosniff");
    assert_eq!(headers["referrer-policy"], "no-referrer");
}

#[tokio::test]
async fn the_public_check_keeps_answering_from_the_last_good_data_when_the_database_is_down() {
    let site = spawn_site().await;
    site.state.db.close().await;

    let check = site.post_json("/api/v1/check", r#"{"text": "https://kkpp.kgi357.com/index/login"}"#).await;
    assert_eq!(check.status, StatusCode::OK, "{}", check.body);
    assert!(check.body.contains(r#""verdict":"fraud""#), "{}", check.body);
    let ready = site.get("/readyz").await;
    assert_eq!(ready.status, StatusCode::OK, "still serving good data: {}", ready.body);
    assert!(ready.body.contains(r#""database":"unreachable""#), "{}", ready.body);
    assert!(ready.body.contains("serving from the last good data in memory"), "{}", ready.body);
}

#[tokio::test]
async fn checks_are_counted_in_memory_and_keep_answering_while_the_database_is_down() {
    let site = spawn_site().await;
    site.state.db.close().await;

    let page = site.post_text("/", "https://kkpp.kgi357.com/index/login").await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.contains(r#"data-verdict="fraud""#), "{}", page.body);
    let reply = site.post_text("/api/check", "https://example.org/").await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
    assert_eq!(site.state.tally.pending(), 2, "both checks were counted");
    assert!(site.state.tally.flush(&site.state.db).await.is_err(), "the database is really down");
    assert_eq!(site.state.tally.pending(), 2, "and the counts wait for it");
}

#[tokio::test]
async fn only_the_page_with_the_paste_box_loads_the_webassembly() {
    let site = spawn_site().await;
    let home = site.get("/").await;
    assert!(home.body.contains(".wasm"), "the home page hydrates its paste box");
    for path in ["/bulletins", "/official", "/help", "/report", "/domain/kkpp.kgi357.com"] {
        let page = site.get(path).await;
        assert!(page.status.is_success(), "{path}: {}", page.status);
        // (Leptos still appends its small inline resource scripts; they load nothing.)
        assert!(
            !page.body.contains(".wasm") && !page.body.contains(".js\""),
            "{path} loads no WebAssembly or script file"
        );
    }
}
