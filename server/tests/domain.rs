//! The per-host status pages and the check counts, over the real router on a fresh
//! SQLite database loaded with the demo data.

// A benchmark, example or test helper, not a request path: a failure is a broken set-up.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod support;

use axum::http::{header, StatusCode};
use support::{spawn_site, TestSite};

async fn stored_counts(site: &TestSite) -> Vec<(String, String, i64)> {
    sqlx::query_as("SELECT host, verdict, checks FROM check_counts ORDER BY host, verdict")
        .fetch_all(&site.state.db)
        .await
        .expect("counts")
}

const NOINDEX: &str = r#"name="robots""#;

#[tokio::test]
async fn a_listed_fake_site_has_an_indexable_page_with_its_takedown_record_and_bulletin() {
    let site = spawn_site().await;
    let page = site.get("/domain/kkpp.kgi357.com").await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.body);
    assert!(page.body.contains(r#"data-verdict="fraud""#), "{}", page.body);
    assert!(page.body.contains("危險：這是假冒的網站"));
    assert!(page.body.contains("kkpp[.]kgi357[.]com"), "the host is shown defanged");
    assert!(
        page.body.contains("發現，列入假冒網站名單") && page.body.contains("已申請下架"),
        "the takedown record is listed"
    );
    assert!(page.body.contains(r#"data-status="takedown_requested""#));
    assert!(page.body.contains("請認明凱基證券真正網址"), "the bulletin naming it is listed");
    assert!(page.body.contains(r#"href="/bulletins/verify-real-website""#));
    assert!(!page.body.contains(NOINDEX), "a listed fake may be found by search engines");
    assert!(page.body.contains(r#"<link href="/domain/kkpp.kgi357.com" rel="canonical">"#), "{}", page.body);
    assert!(
        page.body.contains("<title>kkpp.kgi357.com 是凱基證券的網站嗎？"),
        "the title names the domain: {}",
        page.body
    );
    assert!(page.body.contains("不要點擊，不要登入"), "the next action is given");
    assert!(page.body.contains("正確辨識凱基證券"), "the official channels are shown");
}

#[tokio::test]
async fn a_site_whose_subdomain_is_listed_shows_that_record() {
    let site = spawn_site().await;
    let page = site.get("/domain/kgi357.com").await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.contains(r#"data-verdict="suspicious""#), "a brand lookalike: {}", page.body);
    assert!(page.body.contains("已申請下架"), "kkpp.kgi357.com's record is shown");
    assert!(page.body.contains("<code>kkpp[.]kgi357[.]com</code>"), "naming the listed host");
    assert!(!page.body.contains(NOINDEX));
}

#[tokio::test]
async fn a_listed_ip_address_has_its_page_too() {
    let site = spawn_site().await;
    let page = site.get("/domain/89.106.207.153").await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.contains(r#"data-verdict="fraud""#), "{}", page.body);
    assert!(page.body.contains("89[.]106[.]207[.]153"));
}

#[tokio::test]
async fn an_unknown_domain_is_one_we_cannot_vouch_for_and_is_not_indexed() {
    let site = spawn_site().await;
    let page = site.get("/domain/example.org").await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.contains(r#"data-verdict="unknown""#), "{}", page.body);
    assert!(page.body.contains("我們無法為它擔保") && page.body.contains("這不代表它是安全的"));
    assert!(page.body.contains("沒有下架紀錄"));
    assert!(page.body.contains(NOINDEX), "an unknown site is never put in search results");
    assert!(!page.body.contains(r#"rel="canonical""#));

    let english = site.get_in_english("/domain/example.org").await;
    assert!(english.body.contains("We cannot vouch for this link"), "{}", english.body);
    assert!(english.body.contains("does not mean it is safe"));
    assert!(english.body.contains("<title>Is example.org really KGI Securities?"));
}

#[tokio::test]
async fn the_official_domain_is_called_official() {
    let site = spawn_site().await;
    let page = site.get("/domain/kgi.com.tw").await;
    assert!(page.body.contains(r#"data-verdict="official""#), "{}", page.body);
    assert!(page.body.contains(NOINDEX), "only the takedown database is indexable");
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
        let answer = site.get(path).await;
        assert_eq!(answer.status, StatusCode::MOVED_PERMANENTLY, "{path}");
        assert_eq!(answer.headers[header::LOCATION], to, "{path}");
    }
}

#[tokio::test]
async fn a_bad_host_is_a_404_that_says_to_paste_the_whole_link() {
    let site = spawn_site().await;
    for path in ["/domain/localhost", "/domain/readme.txt", "/domain/127.0.0.1", "/domain/a%20b.com"] {
        let page = site.get(path).await;
        assert_eq!(page.status, StatusCode::NOT_FOUND, "{path}");
        assert!(page.body.contains("這不是我們能查詢的網域名稱"), "{path}: {}", page.body);
        assert!(page.body.contains("貼上完整的連結"));
        assert!(page.body.contains(NOINDEX));
    }
    let long = format!("/domain/{}.com", "a".repeat(300));
    assert_eq!(site.get(&long).await.status, StatusCode::NOT_FOUND);
    let english = site.get_in_english("/domain/localhost").await;
    assert_eq!(english.status, StatusCode::NOT_FOUND);
    assert!(english.body.contains("This is not a domain name we can look up"), "{}", english.body);
}

#[tokio::test]
async fn the_domain_page_still_gives_the_verdict_while_the_database_is_down() {
    let site = spawn_site().await;
    site.state.db.close().await;
    let page = site.get("/domain/kkpp.kgi357.com").await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.body);
    assert!(page.body.contains(r#"data-verdict="fraud""#), "the verdict comes from memory");
    assert!(page.body.contains("下架紀錄暫時無法顯示"), "{}", page.body);
    assert!(!page.body.contains(NOINDEX), "the index in memory knows it is listed, so it stays indexable");
}

#[tokio::test]
async fn every_public_check_path_counts_hosts_and_a_flush_stores_only_hosts_and_verdicts() {
    let site = spawn_site().await;
    let secret =
        "王小明您好，帳戶異常請登入 https://kkpp.kgi357.com/index/login 或加 LINE @abc123 或撥 0912-345-678";
    assert_eq!(site.post_text("/", secret).await.status, StatusCode::OK);
    assert_eq!(site.post_text("/api/check", "kkpp.kgi357.com").await.status, StatusCode::OK);
    let json = r#"{"text": "hxxps://kkpp[.]kgi357[.]com https://example.org/"}"#;
    assert_eq!(site.post_json("/api/v1/check", json).await.status, StatusCode::OK);
    assert_eq!(stored_counts(&site).await, [], "nothing is written on the check's path");

    site.state.tally.flush(&site.state.db).await.expect("flush");
    assert_eq!(
        stored_counts(&site).await,
        [
            ("example.org".to_owned(), "unknown".to_owned(), 1),
            ("kkpp.kgi357.com".to_owned(), "fraud".to_owned(), 3)
        ]
    );
    let rows: Vec<(String,)> =
        sqlx::query_as("SELECT host || coalesce(site, '') || verdict || day FROM check_counts")
            .fetch_all(&site.state.db)
            .await
            .unwrap();
    let dump: String = rows.into_iter().map(|(row,)| row).collect::<Vec<_>>().join(",");
    for needle in ["王小明", "abc123", "0912", "login", "帳戶"] {
        assert!(!dump.contains(needle), "{needle} was stored: {dump}");
    }
}

#[tokio::test]
async fn the_home_page_lists_the_fake_sites_checked_most_but_never_unknown_ones() {
    let site = spawn_site().await;
    let before = site.get("/").await;
    assert!(!before.body.contains("本週最多人查證的假冒網站"), "no list before anything was checked");

    for _ in 0..3 {
        site.post_text("/", "https://kkpp.kgi357.com/index/login").await;
        site.post_text("/", "https://innocent-shop.example.com/").await;
    }
    site.post_text("/", "kgi888.cc/login").await;
    // What the background task does every few seconds: write the counts, read the list.
    site.state.tally.flush(&site.state.db).await.expect("flush");
    site.state.live.refresh_most_checked(&site.state.db, app::domain::MOST_CHECKED_KEPT).await.expect("list");

    let page = site.get("/").await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.contains("本週最多人查證的假冒網站"), "{}", page.body);
    assert!(
        page.body.contains(
            r#"<a href="/domain/kkpp.kgi357.com"><code class="link">kkpp[.]kgi357[.]com</code></a>"#
        ),
        "{}",
        page.body
    );
    assert!(page.body.contains(r#"href="/domain/kgi888.cc""#));
    assert!(page.body.contains("查證 3 次"));
    assert!(!page.body.contains("innocent-shop"), "an unknown site is never named in public");
    let first = page.body.find("kkpp[.]kgi357").unwrap();
    assert!(first < page.body.find("kgi888[.]cc").unwrap(), "most checked first");
}
