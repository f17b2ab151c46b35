//! Reloading a staff page never sends its form again (Post/Redirect/Get): an action that did
//! what it was asked answers 303 to a page read by GET, which shows what it did, so that the
//! browser's reload (or its "send the form again?") asks for that page instead. The agent
//! console's contact and escalation, an analyst's decision, a publisher's actions and the
//! security console's, each with the outcome on the page it lands on; a notice in an
//! address is shown only to the session it was made for.

// Test helpers: a failure here is a broken test set-up, said at once.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod support;

use axum::http::StatusCode;
use store::staff::Role;
use support::spawn_site;
use support::staff::{get_with, new_staff, post_and_follow, same_site_post};

const MESSAGE: &str =
    "【凱基證券】您的帳戶異常，請至 https://kkpp.kgi357.com/index/login 驗證，另加 LINE ID: kgi_vip888";

async fn requests_of(site: &support::TestSite, value: &str) -> i64 {
    let queue = store::escalation::queue(&site.state.db, 10).await.unwrap();
    queue.iter().find(|e| e.value == value).map_or(0, |e| e.requests)
}

#[tokio::test]
async fn an_escalation_answers_303_and_reloading_the_page_it_names_shows_it_without_escalating_again() {
    let site = spawn_site().await;
    let mei = new_staff(&site, "mei", &[Role::Agent]).await;
    let fields =
        [("kind", "line_id"), ("value", "kgi_vip888"), ("note", "asked to add it"), ("text", MESSAGE)];
    let posted = site.send(same_site_post("/console/escalations", &fields, Some(&mei))).await;
    assert_eq!(posted.status, StatusCode::SEE_OTHER, "{}", posted.body);
    let location = posted.header("location").to_owned();
    assert!(location.starts_with("/console?done=escalated&escalation="), "{location}");

    for _reload in 0..2 {
        let page = site.send(get_with(&location, Some(&mei))).await;
        assert_eq!(page.status, StatusCode::OK);
        assert!(page.body.contains("已將 kgi_vip888 送交資安團隊"), "{}", page.body);
        // What was escalated, with its evidence, and in "my escalations" as queued.
        assert!(page.body.contains(r#"class="evidence-item""#) && page.body.contains("kgi_vip888"));
        assert!(page.body.contains(r#"data-status="queued""#), "{}", page.body);
    }
    assert_eq!(requests_of(&site, "kgi_vip888").await, 1, "reloading sent nothing");
    assert!(!location.contains("kgi357"), "no pasted text in an address: {location}");
}

#[tokio::test]
async fn a_logged_contact_reopens_by_its_id_with_its_text_checked_and_an_escalation_from_it_names_it() {
    let site = spawn_site().await;
    let mei = new_staff(&site, "mei", &[Role::Agent]).await;
    let contact = [
        ("text", MESSAGE),
        ("channel", "phone"),
        ("customer_ref", "C-0042"),
        ("summary", "Customer got this SMS"),
    ];
    let (location, page) = post_and_follow(&site, "/console/contacts", &contact, &mei).await;
    assert!(location.starts_with("/console?contact=") && location.ends_with("&done=contact"), "{location}");
    assert!(page.body.contains("已記錄這次聯繫"), "{}", page.body);
    assert!(page.body.contains("E7800746"), "the message's check, from the stored text: {}", page.body);
    let contact_id: i64 =
        location.trim_start_matches("/console?contact=").split('&').next().unwrap().parse().unwrap();
    assert!(page.body.contains(&format!(r#"name="contact" value="{contact_id}""#)), "escalations name it");

    let escalate = [
        ("kind", "line_id"),
        ("value", "kgi_vip888"),
        ("text", MESSAGE),
        ("contact", &contact_id.to_string()),
    ];
    let (location, page) = post_and_follow(&site, "/console/escalations", &escalate, &mei).await;
    assert!(location.starts_with(&format!("/console?contact={contact_id}&done=escalated")), "{location}");
    assert!(page.body.contains("已將 kgi_vip888 送交資安團隊"), "{}", page.body);
    assert!(page.body.contains("E7800746"), "the whole message is still checked: {}", page.body);
    let (linked,): (Option<i64>,) =
        sqlx::query_as("SELECT contact_id FROM escalation_requests").fetch_one(&site.state.db).await.unwrap();
    assert_eq!(linked, Some(contact_id), "the escalation request names the contact");

    // Another agent's console at the same address: no text, no notice of hers.
    let lin = new_staff(&site, "lin", &[Role::Agent]).await;
    let theirs = site.send(get_with(&location, Some(&lin))).await;
    assert!(!theirs.body.contains("E7800746") && !theirs.body.contains("送交資安團隊"), "{}", theirs.body);
}

#[tokio::test]
async fn an_analysts_decision_in_the_console_answers_303_and_the_page_shows_the_decision() {
    let site = spawn_site().await;
    let mei = new_staff(&site, "mei", &[Role::Agent]).await;
    let ana = new_staff(&site, "ana", &[Role::Analyst]).await;
    site.send(same_site_post(
        "/console/escalations",
        &[("kind", "host"), ("value", "kgi-app.top")],
        Some(&mei),
    ))
    .await;
    let id = store::escalation::queue(&site.state.db, 10).await.unwrap()[0].id;
    let path = format!("/console/escalations/{id}/decide");
    let (location, page) =
        post_and_follow(&site, &path, &[("decision", "accepted"), ("note", "fake")], &ana).await;
    assert_eq!(location, format!("/console?done=decided&escalation={id}"));
    assert!(page.body.contains("kgi-app.top") && page.body.contains("已受理"), "{}", page.body);
    // A refusal writes nothing and is its page at once, with its status.
    let again = site.send(same_site_post(&path, &[("decision", "rejected")], Some(&ana))).await;
    assert_eq!(again.status, StatusCode::CONFLICT);
}

#[tokio::test]
async fn a_publishers_action_answers_303_to_the_editor_which_says_what_it_did() {
    let site = spawn_site().await;
    let pat = new_staff(&site, "pat", &[Role::Publisher]).await;
    let created = site
        .send(same_site_post(
            "/console/bulletins/new",
            &[
                ("title", "重新整理測試"),
                ("body", "請認明官方網址。"),
                ("language", "zh-TW"),
                ("category", "incident"),
            ],
            Some(&pat),
        ))
        .await;
    let editor = created.header("location").split('?').next().unwrap().to_owned();
    let (location, page) = post_and_follow(&site, &format!("{editor}/publish"), &[], &pat).await;
    assert_eq!(location, format!("{editor}?done=published"));
    assert!(page.body.contains("已發布，讀者現在看得到。"), "{}", page.body);
    let update = [("state", "identified"), ("text", "已找到原因"), ("at", "")];
    let (location, page) = post_and_follow(&site, &format!("{editor}/incident"), &update, &pat).await;
    assert_eq!(location, format!("{editor}?done=update"));
    assert!(page.body.contains("進度已新增") && page.body.contains("已找到原因"), "{}", page.body);
    let id: i64 = editor.rsplit('/').next().unwrap().parse().unwrap();
    let timeline = store::bulletin::incident::timeline(&site.state.db, id).await.unwrap();
    assert_eq!(timeline.len(), 1, "the update once, however often its page is read");
    // A preview writes nothing: it is the editor at once, with the text as typed.
    let preview = site
        .send(same_site_post(
            &format!("{editor}/preview"),
            &[("title", "重新整理測試"), ("body", "**預覽**")],
            Some(&pat),
        ))
        .await;
    assert_eq!(preview.status, StatusCode::OK);
}

#[tokio::test]
async fn a_triage_notice_in_an_address_shows_only_to_the_session_that_acted() {
    let site = spawn_site().await;
    let ana = new_staff(&site, "ana", &[Role::Analyst]).await;
    let bob = new_staff(&site, "bob", &[Role::Analyst]).await;
    site.post_form("/report", &[("text", "有人自稱營業員，要我下載一個 App 投資"), ("channel", "sms")]).await;
    let queue = site.send(get_with("/console/triage", Some(&ana))).await;
    let reference = queue
        .body
        .split(r#"data-report=""#)
        .nth(1)
        .expect("a report naming nothing")
        .split('"')
        .next()
        .unwrap()
        .to_owned();
    let close = [("reference", reference.as_str()), ("reason", "已回電說明，非本公司人員")];
    let (location, page) = post_and_follow(&site, "/console/triage/close-report", &close, &ana).await;
    assert!(location.starts_with("/console/triage?notice="), "{location}");
    assert!(page.body.contains(&format!("回報 {reference} 已結案")), "{}", page.body);
    let reloaded = site.send(get_with(&location, Some(&ana))).await;
    assert!(reloaded.body.contains(&format!("回報 {reference} 已結案")), "a reload shows it again");
    let elsewhere = site.send(get_with(&location, Some(&bob))).await;
    assert_eq!(elsewhere.status, StatusCode::OK);
    assert!(!elsewhere.body.contains("已結案"), "another analyst's session: no notice");
    let forged = location.replace(&reference, "ZZZZ-ZZZZ");
    let forged = site.send(get_with(&forged, Some(&ana))).await;
    assert!(!forged.body.contains("ZZZZ-ZZZZ"), "an address changed by hand shows nothing");
}
