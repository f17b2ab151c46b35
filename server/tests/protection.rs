//! Abuse and browser protections: per-client rate limits on the check and the report,
//! answered in words each caller understands, and a Content-Security-Policy whose
//! nonce matches every inline script of the page it came with.

// A benchmark, example or test helper, not a request path: a failure is a broken set-up.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod support;

use std::time::Duration;

use axum::http::{header, Request, StatusCode};
use server::config::Protection;
use support::{form_request, from_addr, json_request, spawn_site, spawn_site_with};

fn tight(checks: u32, reports: u32) -> Protection {
    Protection { check_per_minute: checks, report_per_hour: reports, ..Protection::default() }
}

#[tokio::test]
async fn checking_too_often_gets_a_friendly_page_that_says_to_wait_or_call_165() {
    let site = spawn_site_with(tight(2, 10)).await;
    for _ in 0..2 {
        let page = site.post_form("/", &[("text", "https://example.org/")]).await;
        assert_eq!(page.status, StatusCode::OK);
    }
    let page = site.post_form("/", &[("text", "https://example.org/")]).await;
    assert_eq!(page.status, StatusCode::TOO_MANY_REQUESTS);
    assert_eq!(page.header("retry-after"), "30");
    assert!(page.body.contains("您在短時間內查證了很多次"), "{}", page.body);
    assert!(page.body.contains("請等一分鐘，再試一次"));
    assert!(page.body.contains("165"));
    assert!(!page.body.contains(r#"data-verdict="unknown""#), "no check was run");
}

#[tokio::test]
async fn an_english_reader_is_asked_to_wait_in_english() {
    let site = spawn_site_with(tight(1, 10)).await;
    let english = || {
        let mut request = form_request("/", &[("text", "kgi888.cc")]);
        request.headers_mut().insert(header::COOKIE, "lang=en".parse().unwrap());
        request
    };
    site.send(english()).await;
    let page = site.send(english()).await;
    assert_eq!(page.status, StatusCode::TOO_MANY_REQUESTS);
    assert!(page.body.contains("You have checked many links in a short time."), "{}", page.body);
    assert!(page.body.contains("Please wait a minute, then try again."));
}

#[tokio::test]
async fn the_limit_lifts_once_the_client_has_waited() {
    let site = spawn_site_with(tight(1, 10)).await;
    assert_eq!(site.post_form("/", &[("text", "kgi888.cc")]).await.status, StatusCode::OK);
    assert_eq!(site.post_form("/", &[("text", "kgi888.cc")]).await.status, StatusCode::TOO_MANY_REQUESTS);
    site.wait(Duration::from_secs(60));
    let page = site.post_form("/", &[("text", "kgi888.cc")]).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.contains(r#"data-verdict="suspicious""#));
}

#[tokio::test]
async fn the_json_api_answers_a_client_over_its_limit_with_its_json_error() {
    let site = spawn_site_with(tight(1, 10)).await;
    let body = r#"{"text": "https://example.org/"}"#;
    assert_eq!(site.send(json_request("/api/v1/check", body)).await.status, StatusCode::OK);
    let answer = site.send(json_request("/api/v1/check", body)).await;
    assert_eq!(answer.status, StatusCode::TOO_MANY_REQUESTS);
    assert_eq!(answer.header("retry-after"), "60");
    assert_eq!(answer.header("content-type"), "application/json");
    let json: serde_json::Value = serde_json::from_str(&answer.body).unwrap();
    assert_eq!(json["code"], "rate_limited");
    assert!(json["message"].as_str().unwrap().contains("60 seconds"), "{json}");
}

#[tokio::test]
async fn the_paste_box_gets_a_typed_error_it_can_put_in_words() {
    let site = spawn_site_with(tight(1, 10)).await;
    assert_eq!(site.post_form("/api/check", &[("text", "kgi888.cc")]).await.status, StatusCode::OK);
    let answer = site.post_form("/api/check", &[("text", "kgi888.cc")]).await;
    assert_eq!(answer.status, StatusCode::TOO_MANY_REQUESTS);
    let failure: app::lookup::CheckFailure = serde_json::from_str(&answer.body).unwrap();
    assert_eq!(failure, app::lookup::CheckFailure::RateLimited { retry_after_secs: 60 });
}

#[tokio::test]
async fn the_form_the_paste_box_and_the_api_share_one_check_quota() {
    let site = spawn_site_with(tight(2, 10)).await;
    site.post_form("/", &[("text", "kgi888.cc")]).await;
    site.post_form("/api/check", &[("text", "kgi888.cc")]).await;
    let answer = site.send(json_request("/api/v1/check", r#"{"text": "kgi888.cc"}"#)).await;
    assert_eq!(answer.status, StatusCode::TOO_MANY_REQUESTS);
}

#[tokio::test]
async fn each_client_address_has_its_own_quota() {
    let site = spawn_site_with(tight(1, 10)).await;
    let check = |addr: &str| from_addr(form_request("/", &[("text", "kgi888.cc")]), addr);
    assert_eq!(site.send(check("203.0.113.1:4000")).await.status, StatusCode::OK);
    assert_eq!(site.send(check("203.0.113.1:4001")).await.status, StatusCode::TOO_MANY_REQUESTS);
    assert_eq!(site.send(check("203.0.113.2:4000")).await.status, StatusCode::OK);
}

#[tokio::test]
async fn a_made_up_forwarded_for_header_does_not_escape_the_limit_unless_the_proxy_is_trusted() {
    let spoofed = |ip: &str| {
        let mut request = from_addr(form_request("/", &[("text", "kgi888.cc")]), "203.0.113.1:4000");
        request.headers_mut().insert("x-forwarded-for", ip.parse().unwrap());
        request
    };
    let site = spawn_site_with(tight(1, 10)).await;
    assert_eq!(site.send(spoofed("1.1.1.1")).await.status, StatusCode::OK);
    assert_eq!(site.send(spoofed("2.2.2.2")).await.status, StatusCode::TOO_MANY_REQUESTS);

    let behind_proxy = spawn_site_with(Protection { trust_proxy_headers: true, ..tight(1, 10) }).await;
    assert_eq!(behind_proxy.send(spoofed("1.1.1.1")).await.status, StatusCode::OK);
    assert_eq!(behind_proxy.send(spoofed("2.2.2.2")).await.status, StatusCode::OK);
    assert_eq!(behind_proxy.send(spoofed("2.2.2.2")).await.status, StatusCode::TOO_MANY_REQUESTS);
}

#[tokio::test]
async fn reporting_too_often_keeps_the_text_in_the_box_and_stores_nothing() {
    let site = spawn_site_with(tight(30, 1)).await;
    let fields = [("text", "https://kgi888.cc/login"), ("channel", "sms")];
    assert_eq!(site.post_form("/report", &fields).await.status, StatusCode::SEE_OTHER);
    let page = site.post_form("/report", &fields).await;
    assert_eq!(page.status, StatusCode::TOO_MANY_REQUESTS);
    assert_eq!(page.header("retry-after"), "3600");
    assert!(page.body.contains("您在短時間內送出了很多檢舉"), "{}", page.body);
    assert!(page.body.contains("https://kgi888.cc/login</textarea>"));
    assert_eq!(store::report::waiting(&site.state.db).await.unwrap(), 1);
    // Reports and checks are counted apart.
    assert_eq!(site.post_form("/", &[("text", "kgi888.cc")]).await.status, StatusCode::OK);
}

#[tokio::test]
async fn reading_pages_is_never_limited() {
    let site = spawn_site_with(tight(1, 1)).await;
    for _ in 0..5 {
        assert_eq!(site.get("/").await.status, StatusCode::OK);
        assert_eq!(site.get("/report").await.status, StatusCode::OK);
    }
}

/// The nonce of a `script-src` policy.
fn policy_nonce(policy: &str) -> &str {
    let start =
        policy.find("'nonce-").map(|i| i + "'nonce-".len()).unwrap_or_else(|| panic!("no nonce: {policy}"));
    let end = policy[start..].find('\'').unwrap() + start;
    &policy[start..end]
}

/// The `nonce` of every inline `<script>` (one without `src`) in a page.
fn inline_script_nonces(html: &str) -> Vec<String> {
    html.match_indices("<script")
        .map(|(at, _)| &html[at..at + html[at..].find('>').unwrap()])
        .filter(|tag| !tag.contains(" src="))
        .map(|tag| {
            tag.split("nonce=\"")
                .nth(1)
                .map(|rest| rest[..rest.find('"').unwrap()].to_owned())
                .unwrap_or_default()
        })
        .collect()
}

#[tokio::test]
async fn every_html_page_has_a_policy_whose_nonce_is_on_each_inline_script() {
    let site = spawn_site().await;
    let pages = [
        site.get("/").await,
        site.get("/report").await,
        site.get("/report/thanks?ref=0000-0000").await,
        site.get("/no-such-page").await,
        site.post_form("/", &[("text", "https://kkpp.kgi357.com/index/login")]).await,
        site.post_form("/report", &[("text", "")]).await,
    ];
    for page in &pages {
        assert!(page.header("content-type").starts_with("text/html"), "{}", page.status);
        let policy = page.header("content-security-policy");
        assert!(policy.starts_with("default-src 'self'; script-src 'self' 'nonce-"), "{policy}");
        assert!(
            policy.contains("'wasm-unsafe-eval'") && policy.contains("frame-ancestors 'none'"),
            "{policy}"
        );
        let nonce = policy_nonce(policy);
        assert!(nonce.len() >= 16, "{nonce}");
        let scripts = inline_script_nonces(&page.body);
        assert!(!scripts.is_empty(), "the hydration script is inline");
        assert!(scripts.iter().all(|n| n == nonce), "{scripts:?} vs {nonce}");
    }
}

#[tokio::test]
async fn each_response_gets_a_fresh_nonce() {
    let site = spawn_site().await;
    let first = site.get("/").await;
    let second = site.get("/").await;
    assert_ne!(
        policy_nonce(first.header("content-security-policy")),
        policy_nonce(second.header("content-security-policy"))
    );
}

#[tokio::test]
async fn responses_that_are_not_pages_get_a_policy_that_allows_nothing() {
    let site = spawn_site().await;
    let json = site.send(json_request("/api/v1/check", r#"{"text": "kgi888.cc"}"#)).await;
    assert_eq!(json.header("content-security-policy"), app::csp::NON_PAGE_POLICY);
    assert_eq!(site.get("/healthz").await.header("content-security-policy"), app::csp::NON_PAGE_POLICY);
}

#[tokio::test]
async fn strict_transport_security_is_sent_only_when_the_site_is_https_only() {
    let plain = spawn_site().await;
    assert_eq!(plain.get("/").await.header("strict-transport-security"), "");
    let https = spawn_site_with(Protection { https_only: true, ..Protection::default() }).await;
    assert_eq!(https.get("/").await.header("strict-transport-security"), "max-age=31536000");
}

#[tokio::test]
async fn a_request_that_came_through_no_socket_is_still_counted_without_failing() {
    let site = spawn_site_with(tight(1, 10)).await;
    let request = Request::post("/").header(header::CONTENT_TYPE, "text/plain").body("x".into()).unwrap();
    assert_eq!(site.send(request).await.status, StatusCode::OK);
    assert_eq!(site.post_form("/", &[("text", "x")]).await.status, StatusCode::TOO_MANY_REQUESTS);
}
