//! The public check's promises, tried as a reader and an attacker would: nothing pasted is
//! lost, the answer never waits on the database, readiness and freshness are told honestly,
//! demo data never appears by accident, the firm is named from its data, shared hosts are
//! not condemned for one page, bulletins never hand out a tappable fake address, and no
//! failure reaches a reader as a bare error or as database text.

// Test helpers: a failure here is a broken test set-up, said at once.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod support;

use std::time::Duration;

use axum::body::Body;
use axum::http::{header, Request, StatusCode};
use axum::routing::get;
use server::config::Config;
use support::{form_request, spawn_configured, spawn_empty_site, spawn_site, spawn_with_routes, Answer};

/// The text inside the paste box of a rendered home page.
fn paste_box(page: &Answer) -> String {
    let start = page.body.find(r#"<textarea id="paste""#).expect("a paste box");
    let open_end = start + page.body[start..].find('>').expect("end of tag") + 1;
    let close = open_end + page.body[open_end..].find("</textarea>").expect("closing tag");
    page.body[open_end..close].replace("<!>", "").replace("<!---->", "")
}

#[tokio::test]
async fn the_pasted_text_stays_in_the_box_after_a_check() {
    let site = spawn_site().await;
    let page = site.post_text("/", "【凱基證券】請至 kkpp.kgi357.com 驗證").await;
    assert!(page.body.contains(r#"data-verdict="fraud""#));
    assert_eq!(paste_box(&page), "【凱基證券】請至 kkpp.kgi357.com 驗證");
}

#[tokio::test]
async fn a_paste_too_long_to_check_comes_back_in_the_box_to_be_shortened() {
    let site = spawn_site().await;
    let long = format!("請看 kgi888.cc {}", "長".repeat(25_000));
    let page = site.post_text("/", &long).await;
    assert!(page.body.contains("內容太長了"), "the reader is told why");
    assert_eq!(paste_box(&page), long);
}

#[tokio::test]
async fn an_empty_paste_and_one_over_the_rate_limit_keep_what_was_typed() {
    let site = support::spawn_site_with(server::config::Protection {
        check_per_minute: 1,
        ..server::config::Protection::default()
    })
    .await;
    let blank = site.post_text("/", "  \n ").await;
    assert!(blank.body.contains("請先貼上網址或訊息"));
    assert_eq!(paste_box(&blank).trim(), "");
    site.post_text("/", "kgi888.cc").await;
    let throttled = site.post_text("/", "我想查 kgi888.cc/login").await;
    assert_eq!(throttled.status, StatusCode::TOO_MANY_REQUESTS);
    assert!(throttled.body.contains("您在短時間內查證了很多次"));
    assert_eq!(paste_box(&throttled), "我想查 kgi888.cc/login", "ready to check again after the wait");
}

#[tokio::test]
async fn switching_language_on_an_answer_page_keeps_the_answer() {
    let site = spawn_site().await;
    let page = site.post_form("/", &[("text", "https://kkpp.kgi357.com/index/login"), ("lang", "en")]).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.contains(r#"<html lang="en""#), "the page is in English");
    assert!(page.body.contains("Danger: this is a known fake site"), "{}", page.body);
    assert_eq!(paste_box(&page), "https://kkpp.kgi357.com/index/login");
    assert!(page.header("set-cookie").starts_with("lang=en;"), "and the choice is remembered");
}

#[tokio::test]
async fn switching_language_with_an_empty_box_just_reloads_the_page_in_that_language() {
    let site = spawn_site().await;
    let reply = site.post_form("/", &[("text", ""), ("lang", "en")]).await;
    assert_eq!(reply.status, StatusCode::SEE_OTHER);
    assert_eq!(reply.header("location"), "/");
    assert!(reply.header("set-cookie").starts_with("lang=en;"));
}

#[tokio::test]
async fn the_home_pages_language_switch_submits_the_paste_box() {
    let site = spawn_site().await;
    let home = site.get("/").await;
    assert!(home.body.contains(r#"form="check-form""#), "{}", home.body);
    assert!(home.body.contains(r#"name="lang" value="en""#));
    assert!(home.body.contains(r#"<form id="check-form""#));
}

/// Holds every connection of the pool, as a stalled database would: nobody else gets one
/// until `acquire_timeout`.
async fn exhaust_the_pool(db: &store::Db) -> Vec<sqlx::pool::PoolConnection<sqlx::Any>> {
    let mut held = Vec::new();
    while let Ok(Ok(conn)) = tokio::time::timeout(Duration::from_millis(500), db.acquire()).await {
        held.push(conn);
    }
    assert!(!held.is_empty());
    held
}

#[tokio::test]
async fn the_answer_and_the_home_page_never_wait_on_a_stalled_database() {
    let site = spawn_site().await;
    let _held = exhaust_the_pool(&site.state.db).await;

    let answer =
        tokio::time::timeout(Duration::from_secs(3), site.post_text("/", "https://kkpp.kgi357.com/"))
            .await
            .expect("the answer came without waiting for the database");
    assert!(answer.body.contains(r#"data-verdict="fraud""#));
    assert!(
        answer.body.contains("請認明凱基證券真正網址"),
        "the newest bulletins come from the last board read"
    );
    assert!(answer.body.contains("kgi.com.tw</strong>"), "so does the official list");
    let home = tokio::time::timeout(Duration::from_secs(3), site.get("/")).await.expect("the home page too");
    assert_eq!(home.status, StatusCode::OK);
    let json = tokio::time::timeout(
        Duration::from_secs(3),
        site.post_json("/api/v1/check", r#"{"text": "kgi888.cc"}"#),
    )
    .await
    .expect("and the JSON API");
    assert!(json.body.contains(r#""verdict":"suspicious""#), "{}", json.body);
}

#[tokio::test]
async fn the_answer_never_waits_on_a_held_write_lock() {
    let site = spawn_site().await;
    let mut writer = site.state.db.acquire().await.unwrap();
    let (begin, lock) = match store::Backend::of(&site.state.db) {
        store::Backend::Sqlite => ("BEGIN IMMEDIATE", "UPDATE data_version SET updated_at = updated_at"),
        store::Backend::Postgres => {
            ("BEGIN", "LOCK TABLE check_counts, data_version IN ACCESS EXCLUSIVE MODE")
        }
    };
    sqlx::query(begin).execute(&mut *writer).await.unwrap();
    sqlx::query(lock).execute(&mut *writer).await.unwrap();

    let answer = tokio::time::timeout(Duration::from_secs(3), site.post_text("/", "https://www.kgi.com.tw/"))
        .await
        .expect("the answer came while a writer held the database");
    assert!(answer.body.contains(r#"data-verdict="official""#));
    // The counting in the background waits for the lock; the check did not.
    assert_eq!(site.state.tally.pending(), 1);
    sqlx::query("ROLLBACK").execute(&mut *writer).await.unwrap();
}

#[tokio::test]
async fn readyz_stays_ready_while_the_database_is_stalled_and_says_so() {
    let site = spawn_site().await;
    let _held = exhaust_the_pool(&site.state.db).await;
    let ready = tokio::time::timeout(Duration::from_secs(3), site.get("/readyz")).await.expect("no hang");
    assert_eq!(ready.status, StatusCode::OK, "{}", ready.body);
    let body: serde_json::Value = serde_json::from_str(&ready.body).unwrap();
    assert_eq!(body["database"], "unreachable");
    assert_eq!(body["ready"], true);
}

#[tokio::test]
async fn a_real_start_on_an_empty_database_cannot_verify_yet_and_is_not_ready() {
    let site = spawn_empty_site().await;
    let ready = site.get("/readyz").await;
    assert_eq!(ready.status, StatusCode::SERVICE_UNAVAILABLE);
    let body: serde_json::Value = serde_json::from_str(&ready.body).unwrap();
    assert_eq!(body["data_loaded"], false);
    assert!(body["status"].as_str().unwrap().contains("no firm data"), "{body}");

    let page = site.post_text("/", "https://www.kgi.com.tw/").await;
    assert!(page.body.contains("現在還無法查證"), "{}", page.body);
    assert!(!page.body.contains(r#"data-verdict="official""#), "never a reassuring answer");
    let home = site.get("/").await;
    assert!(!home.body.contains("kgi.com.tw"), "no demo data was published as the firm's");
    assert!(!home.body.contains("凱基"), "nor the demo firm's name");
    let api = site.post_json("/api/v1/check", r#"{"text": "https://www.kgi.com.tw/"}"#).await;
    assert_eq!(api.status, StatusCode::SERVICE_UNAVAILABLE);
    assert!(api.body.contains("cannot verify yet"), "{}", api.body);
}

#[tokio::test]
async fn an_instance_picks_up_the_firms_data_once_it_arrives() {
    let site = spawn_empty_site().await;
    store::demo::load(&site.state.db, store::demo::Overwrite::DemoOnly).await.unwrap();
    site.state.live.refresh_if_changed(&site.state.db).await.unwrap();
    assert_eq!(site.get("/readyz").await.status, StatusCode::OK);
}

#[tokio::test]
async fn an_answer_says_how_old_the_data_is_once_it_could_not_be_refreshed_for_too_long() {
    let site = spawn_configured(|config| Config { stale_after: Duration::from_millis(1), ..config }).await;
    tokio::time::sleep(Duration::from_millis(20)).await;
    let page = site.post_text("/", "kgi888.cc").await;
    assert!(page.body.contains("分鐘無法更新資料"), "{}", page.body);
    let fresh = spawn_site().await.post_text("/", "kgi888.cc").await;
    assert!(!fresh.body.contains("無法更新資料"), "fresh data says nothing of the kind");
}

#[tokio::test]
async fn another_firm_deploys_the_site_by_loading_its_own_data() {
    let site = spawn_site().await;
    site.change_data("UPDATE firm SET name_zh = '另一家證券', name_en = 'Other Securities'").await;
    let page = site.post_text("/", "https://www.kgi.com.tw/").await;
    assert!(page.body.contains("<title>防詐查證 | 另一家證券</title>"), "{}", page.body);
    assert!(page.body.contains("另一家證券 防詐查證"), "the header names it");
    assert!(page.body.contains("這是另一家證券的官方管道"), "and so does the answer");
    let english = site.get_in_english("/official").await;
    assert!(english.body.contains("How to recognise the real Other Securities"), "{}", english.body);
}

#[tokio::test]
async fn a_listed_page_on_a_shared_host_does_not_condemn_the_host() {
    let site = spawn_site().await;
    site.change_data(
        "INSERT INTO takedown_entries
             (url, host, scope, target, source, status, listed_on, first_seen, last_seen, status_changed_at)
         VALUES ('https://sites.google.com/view/kgi-vip', 'sites.google.com', 'url', 'sites.google.com/view/kgi-vip',
                 'manual', 'detected', '2026-12-01', '2026-12-01', '2026-12-01', '2026-12-01T00:00:00Z')",
    )
    .await;
    let page = site.post_text("/", "https://sites.google.com/view/kgi-vip").await;
    assert!(page.body.contains(r#"data-verdict="fraud""#), "the page itself is a known fake");
    for host in ["sites.google.com", "google.com"] {
        let domain = site.get(&format!("/domain/{host}")).await;
        assert!(!domain.body.contains(r#"data-verdict="fraud""#), "{host} is not a fake site");
        assert!(
            domain.body.contains(r#"<meta name="robots" content="noindex">"#),
            "{host} not offered to search"
        );
    }
    let sitemap = site.get("/sitemap.xml").await;
    assert!(!sitemap.body.contains("google.com"), "{}", sitemap.body);
}

#[tokio::test]
async fn bulletins_show_fake_addresses_defanged_and_official_ones_as_links() {
    let site = spawn_site().await;
    let page = site.get("/bulletins/verify-real-website").await;
    assert!(page.body.contains("kkpp[.]kgi357[.]com"), "{}", page.body);
    assert!(!page.body.contains("kkpp.kgi357.com"), "no tappable fake address anywhere on the page");
    assert!(
        page.body.contains(r#"<a href="https://kgi.com.tw/" rel="noopener noreferrer">kgi.com.tw</a>"#),
        "{}",
        page.body
    );
    let feed = site.get("/feed.atom").await;
    assert!(!feed.body.contains("kkpp.kgi357.com"), "nor in the feed");
}

#[tokio::test]
async fn a_phone_number_alone_is_this_number_not_this_link() {
    let site = spawn_site().await;
    let page = site.post_text("/", "0912-345-678").await;
    assert!(page.body.contains("無法確認：我們無法為這支電話擔保"), "{}", page.body);
    assert!(page.body.contains("這支電話不在我們的任何名單上"));
    assert!(!page.body.contains("這個網址不在"));
}

#[tokio::test]
async fn switched_off_checks_are_named_in_plain_words() {
    let site = spawn_site().await;
    store::switches::set(&site.state.db, engine::Detector::Lookalike, false, &store::audit::Actor::cli())
        .await
        .unwrap();
    site.state.live.refresh_if_changed(&site.state.db).await.unwrap();
    let page = site.post_text("/", "kgi888.cc").await;
    assert!(page.body.contains("目前沒有在：找出模仿本公司名字的網址"), "{}", page.body);
    assert!(!page.body.contains("(lookalike)") && !page.body.contains("（lookalike）"));
}

#[tokio::test]
async fn a_message_that_speaks_as_the_firm_says_why_its_link_is_suspicious() {
    let site = spawn_site().await;
    let page =
        site.post_text("/", "【凱基證券】您的帳戶需要更新，請至 https://example.org/update 辦理").await;
    assert!(page.body.contains(r#"data-verdict="suspicious""#));
    assert!(page.body.contains("這則訊息自稱是凱基證券，但這個網址不是凱基證券的網址。"), "{}", page.body);
}

#[tokio::test]
async fn a_long_message_lists_the_worst_and_counts_the_rest() {
    let site = spawn_site().await;
    let mut text: String = (0..250).map(|i| format!("https://p{i}.kgi.com.tw/ ")).collect();
    text.push_str("https://kkpp.kgi357.com/index/login");
    let page = site.post_text("/", &text).await;
    let at = page.body.find("data-verdict=").unwrap_or(0);
    assert!(
        page.body.contains(r#"class="verdict verdict-fraud""#),
        "the hidden-away fake decides: {}",
        &page.body[at..at + 300]
    );
    assert!(page.body.contains("另有 51 項沒有列出"), "{}", &page.body[..2000]);
}

#[tokio::test]
async fn a_storage_failure_reaches_the_reader_only_as_a_reference() {
    let site = spawn_site().await;
    site.state.db.close().await;
    for path in ["/bulletins", "/patterns", "/bulletins/verify-real-website"] {
        let page = site.get(path).await;
        assert_eq!(page.status, StatusCode::SERVICE_UNAVAILABLE, "{path}");
        assert!(page.body.contains("如需聯絡我們，請提供這個代碼："), "{path}: {}", page.body);
        for leak in ["sqlx", "pool", "closed", "database error", "SQLITE"] {
            assert!(!page.body.contains(leak), "{path} leaks {leak:?}");
        }
    }
    let fn_reply = site.post_form("/api/bulletins/page", &[("page", "1")]).await;
    assert!(fn_reply.body.contains("Unavailable"), "{}", fn_reply.body);
    assert!(!fn_reply.body.contains("closed"), "{}", fn_reply.body);
}

async fn panics() -> &'static str {
    panic!("a bug on purpose")
}

#[tokio::test]
async fn a_panic_becomes_a_500_page_with_a_reference_and_json_for_the_api() {
    let extra = axum::Router::new().route("/bug", get(panics)).route("/api/v1/bug", get(panics));
    let site = spawn_with_routes(|config| config, extra).await;

    let page = site.get("/bug").await;
    assert_eq!(page.status, StatusCode::INTERNAL_SERVER_ERROR);
    assert!(page.header("content-type").starts_with("text/html"));
    assert!(page.body.contains("如需聯絡我們，請提供這個代碼："), "{}", page.body);
    assert!(!page.body.contains("on purpose"), "the panic's text stays in the log");
    assert_eq!(page.header("x-frame-options"), "DENY");
    assert_eq!(page.header("x-content-type-options"), "nosniff");

    let api = site.get("/api/v1/bug").await;
    assert_eq!(api.status, StatusCode::INTERNAL_SERVER_ERROR);
    let json: serde_json::Value = serde_json::from_str(&api.body).unwrap();
    assert_eq!(json["code"], "internal");
    assert!(json["message"].as_str().unwrap().contains("Reference: "), "{json}");
    assert_eq!(site.get("/healthz").await.status, StatusCode::OK, "and the site goes on");
}

/// What a browser sends when a reader submits a paste far over the limit.
fn browser_post(path: &str, content_type: &str, body: String) -> Request<Body> {
    Request::post(path)
        .header(header::CONTENT_TYPE, content_type)
        .header(header::CONTENT_LENGTH, body.len().to_string())
        .header(header::ORIGIN, "http://127.0.0.1:3000")
        .header("sec-fetch-site", "same-origin")
        .header("sec-fetch-mode", "navigate")
        .header(header::ACCEPT, "text/html,application/xhtml+xml")
        .header(header::COOKIE, "lang=en")
        .body(Body::from(body))
        .unwrap()
}

#[tokio::test]
async fn an_oversized_paste_from_a_browser_gets_the_friendly_page_with_every_security_header() {
    let site = spawn_site().await;
    let body = format!("text={}", "x".repeat(server::MAX_BODY_BYTES + 10_000));
    let page = site.send(browser_post("/", "application/x-www-form-urlencoded", body)).await;
    assert_eq!(page.status, StatusCode::PAYLOAD_TOO_LARGE);
    assert!(page.header("content-type").starts_with("text/html"), "{}", page.header("content-type"));
    assert!(page.body.contains("That is too long to check"), "in the reader's language: {}", page.body);
    assert!(page.header("content-security-policy").contains("nonce-"), "the page policy");
    assert_eq!(page.header("x-frame-options"), "DENY");
    assert_eq!(page.header("x-content-type-options"), "nosniff");
    assert_eq!(page.header("referrer-policy"), "no-referrer");

    let report =
        site.send(browser_post("/report", "application/x-www-form-urlencoded", "text=".repeat(60_000))).await;
    assert_eq!(report.status, StatusCode::PAYLOAD_TOO_LARGE);
    assert!(report.body.contains("<form"), "the report form comes back, saying why");
}

#[tokio::test]
async fn an_oversized_request_to_the_json_api_gets_its_json_error() {
    let site = spawn_site().await;
    let body = format!(r#"{{"text": "{}"}}"#, "x".repeat(server::MAX_BODY_BYTES));
    let reply = site.send(browser_post("/api/v1/check", "application/json", body)).await;
    assert_eq!(reply.status, StatusCode::PAYLOAD_TOO_LARGE);
    let json: serde_json::Value = serde_json::from_str(&reply.body).unwrap();
    assert_eq!(json["code"], "too_long");
}

#[tokio::test]
async fn a_body_without_a_length_that_runs_over_the_limit_still_gets_the_friendly_page() {
    let site = spawn_site().await;
    let chunks = vec![Ok::<_, std::io::Error>(bytes_of(server::MAX_BODY_BYTES + 1))];
    let request = Request::post("/")
        .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
        .body(Body::from_stream(futures_util::stream::iter(chunks)))
        .unwrap();
    let page = site.send(request).await;
    assert_eq!(page.status, StatusCode::PAYLOAD_TOO_LARGE);
    assert!(page.body.contains("內容太長了"), "{}", page.body);
    assert_eq!(page.header("x-frame-options"), "DENY");
}

fn bytes_of(n: usize) -> axum::body::Bytes {
    axum::body::Bytes::from(format!("text={}", "y".repeat(n)))
}

#[tokio::test]
async fn a_check_counts_only_the_site_of_an_unknown_link() {
    let site = spawn_site().await;
    site.send(form_request(
        "/",
        &[("text", "https://a123456789-0912345678.victim-portal.example.com/login")],
    ))
    .await;
    site.state.tally.flush(&site.state.db).await.unwrap();
    let hosts: Vec<(String,)> =
        sqlx::query_as("SELECT host FROM check_counts").fetch_all(&site.state.db).await.unwrap();
    assert_eq!(hosts, [("example.com".to_owned(),)]);
}

#[tokio::test]
async fn a_pasted_text_that_closes_its_box_comes_back_as_text_and_never_as_markup() {
    let site = spawn_site().await;
    let hostile =
        "https://kkpp.kgi357.com </textarea><form action=https://evil.example><b id=injected>官方網站</b>";
    let check = site.post_text("/", hostile).await;
    let report = site
        .post_form("/report", &[("text", hostile), ("channel", "not-a-channel"), ("note", hostile)])
        .await;
    assert_eq!(report.status, StatusCode::UNPROCESSABLE_ENTITY, "the form comes back, filled");
    for (what, page) in [("check", &check.body), ("report", &report.body)] {
        assert!(
            !page.contains("<b id=injected>") && !page.contains("<form action=https://evil"),
            "{what}: {page}"
        );
        assert!(
            page.contains("&lt;/textarea&gt;&lt;form action=https://evil.example&gt;"),
            "{what}: the text, as written"
        );
    }
}
