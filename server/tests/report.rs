//! Reporting a suspicious link: the form, the stored report, the confirmation with its
//! reference and count, and a plain message (with nothing lost) whenever it cannot be stored.

// A benchmark, example or test helper, not a request path: a failure is a broken set-up.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod support;

use axum::http::StatusCode;
use support::{spawn_site, TestSite};

async fn stored_reports(site: &TestSite) -> i64 {
    store::report::waiting(&site.state.db).await.unwrap()
}

/// Sends a report and follows the redirect to its confirmation page.
async fn report(site: &TestSite, text: &str, channel: &str) -> (String, String) {
    let posted = site.post_form("/report", &[("text", text), ("channel", channel), ("note", "")]).await;
    assert_eq!(posted.status, StatusCode::SEE_OTHER, "{}", posted.body);
    let location = posted.header("location").to_owned();
    assert!(location.starts_with("/report/thanks?ref="), "{location}");
    let thanks = site.get(&location).await;
    assert_eq!(thanks.status, StatusCode::OK);
    (location["/report/thanks?ref=".len()..].to_owned(), thanks.body)
}

#[tokio::test]
async fn the_report_page_asks_for_the_link_and_says_not_to_include_personal_data() {
    let site = spawn_site().await;
    let page = site.get("/report").await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.contains("檢舉可疑的網址或訊息"), "{}", page.body);
    assert!(page.body.contains("請不要寫您的姓名、電話、身分證字號、帳號或密碼"));
    assert!(page.body.contains(r#"method="post" action="/report""#), "{}", page.body);
    assert!(page.body.contains(r#"<label for="report-text""#), "the text box has a label");
    assert!(page.body.contains("<legend"), "the channel choices are a labelled group");
}

#[tokio::test]
async fn a_report_is_stored_and_its_confirmation_shows_the_reference_and_what_happens_next() {
    let site = spawn_site().await;
    let (reference, thanks) =
        report(&site, "【凱基】帳戶異常 請至 kkpp.kgi357。com/index/login 驗證", "sms").await;

    assert_eq!(reference.len(), 9, "{reference}");
    assert!(thanks.contains("謝謝您的檢舉"), "{thanks}");
    assert!(thanks.contains(&reference), "the reference is shown");
    assert!(thanks.contains("kkpp[.]kgi357[.]com：已被檢舉 1 次"), "{thanks}");
    assert!(thanks.contains("資安團隊會查看您的檢舉"));
    assert!(thanks.contains("165"), "the reporter is told to call 165 if money was lost");
    assert!(!thanks.contains("帳戶異常"), "the reported text is never shown back");
    assert_eq!(stored_reports(&site).await, 1);
}

#[tokio::test]
async fn the_confirmation_counts_every_report_of_the_same_link() {
    let site = spawn_site().await;
    report(&site, "https://kgi888.cc/login", "line").await;
    let (_, thanks) = report(&site, "又收到 kgi888.cc/login 了", "sms").await;
    assert!(thanks.contains("kgi888[.]cc：已被檢舉 2 次"), "{thanks}");
}

#[tokio::test]
async fn an_empty_report_shows_the_form_again_with_a_specific_message() {
    let site = spawn_site().await;
    let page = site.post_form("/report", &[("text", "  "), ("channel", "sms")]).await;
    assert_eq!(page.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(page.body.contains("請貼上可疑的網址或訊息。"), "{}", page.body);
    assert!(page.body.contains(r#"role="alert""#));
    assert_eq!(stored_reports(&site).await, 0);
}

#[tokio::test]
async fn a_report_without_a_channel_asks_where_it_was_seen_and_keeps_the_text() {
    let site = spawn_site().await;
    let page =
        site.post_form("/report", &[("text", "https://kgi888.cc/login"), ("note", "自稱營業員")]).await;
    assert_eq!(page.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(page.body.contains("請選擇您在哪裡看到它。"), "{}", page.body);
    assert!(page.body.contains("https://kgi888.cc/login</textarea>"), "the text stays in the box");
    assert!(page.body.contains("自稱營業員</textarea>"), "the note stays too");
    let bad = site.post_form("/report", &[("text", "kgi888.cc"), ("channel", "fax")]).await;
    assert!(bad.body.contains("請選擇您在哪裡看到它。"));
    assert_eq!(stored_reports(&site).await, 0);
}

#[tokio::test]
async fn an_oversized_report_is_refused_with_a_clear_message_and_nothing_stored() {
    let site = spawn_site().await;
    let long = format!("kgi888.cc {}", "x".repeat(engine::MAX_MESSAGE_BYTES));
    let page = site.post_form("/report", &[("text", &long), ("channel", "sms")]).await;
    assert_eq!(page.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(page.body.contains("內容太長了"), "{}", &page.body[..500.min(page.body.len())]);
    assert!(page.body.contains(r#"selected"#) || page.body.contains("checked"), "the channel stays chosen");
    assert_eq!(stored_reports(&site).await, 0);
}

#[tokio::test]
async fn the_report_form_is_filled_in_from_a_checks_answer_without_the_link_in_any_address() {
    let site = spawn_site().await;
    let page = site.post_form("/report/new", &[("text", "https://kgi888.cc/login")]).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.contains("https://kgi888.cc/login</textarea>"), "{}", page.body);
    assert!(!page.body.contains("kgi888.cc%2Flogin"), "the language switch does not carry it either");
    assert_eq!(stored_reports(&site).await, 0, "nothing is stored until the reader sends it");
    let old_style = site.get("/report?text=https%3A%2F%2Fkgi888.cc%2Flogin").await;
    assert!(!old_style.body.contains("kgi888.cc/login"), "an address never fills in the form");
}

#[tokio::test]
async fn a_check_that_cannot_vouch_for_a_link_offers_to_report_it() {
    let site = spawn_site().await;
    let unknown = site.post_form("/", &[("text", "請看 https://example.org/x")]).await;
    assert!(unknown.body.contains(r#"method="post" action="/report/new""#), "{}", unknown.body);
    assert!(unknown.body.contains(r#"value="https://example.org/x""#), "{}", unknown.body);
    let official = site.post_form("/", &[("text", "https://www.kgi.com.tw/")]).await;
    assert!(
        !official.body.contains(r#"action="/report/new""#),
        "an official link is not offered for reporting"
    );
}

#[tokio::test]
async fn an_unknown_reference_says_so_plainly() {
    let site = spawn_site().await;
    let page = site.get("/report/thanks?ref=0000-0000").await;
    assert!(page.body.contains("找不到這個檢舉編號"), "{}", page.body);
}

#[tokio::test]
async fn a_report_that_cannot_be_stored_says_so_and_keeps_the_text() {
    let site = spawn_site().await;
    site.state.db.close().await;
    let page = site.post_form("/report", &[("text", "https://kgi888.cc/login"), ("channel", "sms")]).await;
    assert_eq!(page.status, StatusCode::SERVICE_UNAVAILABLE);
    assert!(page.body.contains("現在無法收到檢舉"), "{}", page.body);
    assert!(page.body.contains("https://kgi888.cc/login</textarea>"));
    assert!(!page.body.to_lowercase().contains("sqlx"), "no database text reaches the reader");
}

#[tokio::test]
async fn an_english_reader_gets_the_report_page_in_english() {
    let site = spawn_site().await;
    let request = axum::http::Request::get("/report")
        .header(axum::http::header::COOKIE, "lang=en")
        .body(axum::body::Body::empty())
        .unwrap();
    let page = site.send(request).await;
    assert!(page.body.contains("Report a suspicious link or message"), "{}", page.body);
    assert!(page.body.contains("Do not write your name"));
}
