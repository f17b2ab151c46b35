//! The per-host status pages and the check counts, over the real router on a fresh
//! SQLite database loaded with the demo data.

use std::sync::{Mutex, MutexGuard};

use axum::body::Body;
use axum::http::{header, HeaderMap, Request, StatusCode};
use axum::Router;
use http_body_util::BodyExt;
use server::config::Config;
use tower::ServiceExt;

struct TestSite {
    router: Router,
    state: app::state::AppState,
    _dir: tempfile::TempDir,
    _turn: MutexGuard<'static, ()>,
}

/// Leptos' server rendering can stall when pages render at the same time on several Tokio
/// runtimes of one process (each `#[tokio::test]` has its own; a server has one), which
/// made a test time out now and then on a busy machine. The tests of this file take turns.
static ONE_AT_A_TIME: Mutex<()> = Mutex::new(());

/// A site on its own throw-away database, loaded with the demo data as on first start.
// Blocking is the point: each test has its own thread and runtime, and waits for its turn.
#[allow(clippy::await_holding_lock)]
async fn spawn_site() -> TestSite {
    let turn = ONE_AT_A_TIME.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
    let dir = tempfile::tempdir().expect("temp dir");
    let config = Config::local(format!("sqlite:{}", dir.path().join("site.db").display()));
    let state = server::prepare_state(&config).await.expect("state");
    TestSite { router: server::router(state.clone(), &config), state, _dir: dir, _turn: turn }
}

impl TestSite {
    async fn send(&self, request: Request<Body>) -> (StatusCode, HeaderMap, String) {
        let response = self.router.clone().oneshot(request).await.expect("response");
        let status = response.status();
        let headers = response.headers().clone();
        let bytes = response.into_body().collect().await.expect("body").to_bytes();
        (status, headers, String::from_utf8_lossy(&bytes).into_owned())
    }

    async fn get(&self, path: &str) -> (StatusCode, String) {
        let (status, _, body) = self.send(Request::get(path).body(Body::empty()).unwrap()).await;
        (status, body)
    }

    async fn get_in_english(&self, path: &str) -> (StatusCode, String) {
        let request = Request::get(path).header(header::COOKIE, "lang=en").body(Body::empty()).unwrap();
        let (status, _, body) = self.send(request).await;
        (status, body)
    }

    async fn post(&self, path: &str, content_type: &str, body: String) -> (StatusCode, String) {
        let request =
            Request::post(path).header(header::CONTENT_TYPE, content_type).body(Body::from(body)).unwrap();
        let (status, _, body) = self.send(request).await;
        (status, body)
    }

    async fn post_form(&self, path: &str, text: &str) -> (StatusCode, String) {
        self.post(path, "application/x-www-form-urlencoded", format!("text={}", url_encode(text))).await
    }

    async fn stored_counts(&self) -> Vec<(String, String, i64)> {
        sqlx::query_as("SELECT host, verdict, checks FROM check_counts ORDER BY host, verdict")
            .fetch_all(&self.state.db)
            .await
            .expect("counts")
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

const NOINDEX: &str = r#"name="robots""#;

#[tokio::test]
async fn a_listed_fake_site_has_an_indexable_page_with_its_takedown_record_and_bulletin() {
    let site = spawn_site().await;
    let (status, html) = site.get("/domain/kkpp.kgi357.com").await;
    assert_eq!(status, StatusCode::OK, "{html}");
    assert!(html.contains(r#"data-verdict="fraud""#), "{html}");
    assert!(html.contains("危險：這是假冒的網站"));
    assert!(html.contains("kkpp[.]kgi357[.]com"), "the host is shown defanged");
    assert!(
        html.contains("發現，列入假冒網站名單") && html.contains("已申請下架"),
        "the takedown record is listed"
    );
    assert!(html.contains(r#"data-status="takedown_requested""#));
    assert!(html.contains("請認明凱基證券真正網址"), "the bulletin naming it is listed");
    assert!(html.contains(r#"href="/bulletins/verify-real-website""#));
    assert!(!html.contains(NOINDEX), "a listed fake may be found by search engines");
    assert!(html.contains(r#"<link href="/domain/kkpp.kgi357.com" rel="canonical">"#), "{html}");
    assert!(
        html.contains("<title>kkpp.kgi357.com 是凱基證券的網站嗎？"),
        "the title names the domain: {html}"
    );
    assert!(html.contains("不要點擊，不要登入"), "the next action is given");
    assert!(html.contains("正確辨識凱基證券"), "the official channels are shown");
}

#[tokio::test]
async fn a_site_whose_subdomain_is_listed_shows_that_record() {
    let site = spawn_site().await;
    let (status, html) = site.get("/domain/kgi357.com").await;
    assert_eq!(status, StatusCode::OK);
    assert!(html.contains(r#"data-verdict="suspicious""#), "a brand lookalike: {html}");
    assert!(html.contains("已申請下架"), "kkpp.kgi357.com's record is shown");
    assert!(html.contains("<code>kkpp[.]kgi357[.]com</code>"), "naming the listed host");
    assert!(!html.contains(NOINDEX));
}

#[tokio::test]
async fn a_listed_ip_address_has_its_page_too() {
    let site = spawn_site().await;
    let (status, html) = site.get("/domain/89.106.207.153").await;
    assert_eq!(status, StatusCode::OK);
    assert!(html.contains(r#"data-verdict="fraud""#), "{html}");
    assert!(html.contains("89[.]106[.]207[.]153"));
}

#[tokio::test]
async fn an_unknown_domain_is_one_we_cannot_vouch_for_and_is_not_indexed() {
    let site = spawn_site().await;
    let (status, html) = site.get("/domain/example.org").await;
    assert_eq!(status, StatusCode::OK);
    assert!(html.contains(r#"data-verdict="unknown""#), "{html}");
    assert!(html.contains("我們無法為它擔保") && html.contains("這不代表它是安全的"));
    assert!(html.contains("沒有下架紀錄"));
    assert!(html.contains(NOINDEX), "an unknown site is never put in search results");
    assert!(!html.contains(r#"rel="canonical""#));

    let (_, english) = site.get_in_english("/domain/example.org").await;
    assert!(english.contains("We cannot vouch for this link"), "{english}");
    assert!(english.contains("does not mean it is safe"));
    assert!(english.contains("<title>Is example.org really KGI Securities?"));
}

#[tokio::test]
async fn the_official_domain_is_called_official() {
    let site = spawn_site().await;
    let (_, html) = site.get("/domain/kgi.com.tw").await;
    assert!(html.contains(r#"data-verdict="official""#), "{html}");
    assert!(html.contains(NOINDEX), "only the takedown database is indexable");
}

#[tokio::test]
async fn other_spellings_of_a_host_move_permanently_to_its_one_page() {
    let site = spawn_site().await;
    for (path, to) in [
        ("/domain/WWW.KGI357.COM", "/domain/kgi357.com"),
        ("/domain/kgi357.com.", "/domain/kgi357.com"),
        ("/domain/www.kgi.com.tw", "/domain/kgi.com.tw"),
        ("/domain/%E5%8F%B0%E7%81%A3.tw", "/domain/xn--kpry57d.tw"),
    ] {
        let (status, headers, _) = site.send(Request::get(path).body(Body::empty()).unwrap()).await;
        assert_eq!(status, StatusCode::MOVED_PERMANENTLY, "{path}");
        assert_eq!(headers[header::LOCATION], to, "{path}");
    }
}

#[tokio::test]
async fn a_bad_host_is_a_404_that_says_to_paste_the_whole_link() {
    let site = spawn_site().await;
    for path in ["/domain/localhost", "/domain/readme.txt", "/domain/127.0.0.1", "/domain/a%20b.com"] {
        let (status, html) = site.get(path).await;
        assert_eq!(status, StatusCode::NOT_FOUND, "{path}");
        assert!(html.contains("這不是我們能查詢的網域名稱"), "{path}: {html}");
        assert!(html.contains("貼上完整的連結"));
        assert!(html.contains(NOINDEX));
    }
    let long = format!("/domain/{}.com", "a".repeat(300));
    assert_eq!(site.get(&long).await.0, StatusCode::NOT_FOUND);
    let (status, english) = site.get_in_english("/domain/localhost").await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    assert!(english.contains("This is not a domain name we can look up"), "{english}");
}

#[tokio::test]
async fn the_domain_page_still_gives_the_verdict_while_the_database_is_down() {
    let site = spawn_site().await;
    site.state.db.close().await;
    let (status, html) = site.get("/domain/kkpp.kgi357.com").await;
    assert_eq!(status, StatusCode::OK, "{html}");
    assert!(html.contains(r#"data-verdict="fraud""#), "the verdict comes from memory");
    assert!(html.contains("下架紀錄暫時無法顯示"), "{html}");
    assert!(!html.contains(NOINDEX), "the index in memory knows it is listed, so it stays indexable");
}

#[tokio::test]
async fn every_public_check_path_counts_hosts_and_a_flush_stores_only_hosts_and_verdicts() {
    let site = spawn_site().await;
    let secret =
        "王小明您好，帳戶異常請登入 https://kkpp.kgi357.com/index/login 或加 LINE @abc123 或撥 0912-345-678";
    assert_eq!(site.post_form("/", secret).await.0, StatusCode::OK);
    assert_eq!(site.post_form("/api/check", "kkpp.kgi357.com").await.0, StatusCode::OK);
    let json = r#"{"text": "hxxps://kkpp[.]kgi357[.]com https://example.org/"}"#.to_owned();
    assert_eq!(site.post("/api/v1/check", "application/json", json).await.0, StatusCode::OK);
    assert_eq!(site.stored_counts().await, [], "nothing is written on the check's path");

    site.state.tally.flush(&site.state.db).await.expect("flush");
    assert_eq!(
        site.stored_counts().await,
        [
            ("example.org".to_owned(), "unknown".to_owned(), 1),
            ("kkpp.kgi357.com".to_owned(), "fraud".to_owned(), 3)
        ]
    );
    let (dump,): (String,) =
        sqlx::query_as("SELECT group_concat(host || coalesce(site, '') || verdict || day) FROM check_counts")
            .fetch_one(&site.state.db)
            .await
            .unwrap();
    for needle in ["王小明", "abc123", "0912", "login", "帳戶"] {
        assert!(!dump.contains(needle), "{needle} was stored: {dump}");
    }
}

#[tokio::test]
async fn the_home_page_lists_the_fake_sites_checked_most_but_never_unknown_ones() {
    let site = spawn_site().await;
    let (_, before) = site.get("/").await;
    assert!(!before.contains("本週最多人查證的假冒網站"), "no list before anything was checked");

    for _ in 0..3 {
        site.post_form("/", "https://kkpp.kgi357.com/index/login").await;
        site.post_form("/", "https://innocent-shop.example.com/").await;
    }
    site.post_form("/", "kgi888.cc/login").await;
    site.state.tally.flush(&site.state.db).await.expect("flush");

    let (status, html) = site.get("/").await;
    assert_eq!(status, StatusCode::OK);
    assert!(html.contains("本週最多人查證的假冒網站"), "{html}");
    assert!(
        html.contains(
            r#"<a href="/domain/kkpp.kgi357.com"><code class="link">kkpp[.]kgi357[.]com</code></a>"#
        ),
        "{html}"
    );
    assert!(html.contains(r#"href="/domain/kgi888.cc""#));
    assert!(html.contains("查證 3 次"));
    assert!(!html.contains("innocent-shop"), "an unknown site is never named in public");
    let first = html.find("kkpp[.]kgi357").unwrap();
    assert!(first < html.find("kgi888[.]cc").unwrap(), "most checked first");
}
