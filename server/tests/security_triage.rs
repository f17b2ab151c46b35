//! Triage as the public, agents, analysts and attackers meet it: a public report and an
//! agent's escalation of one fake site wait as one row; accepting it makes the public check
//! answer fraud and the agent see the outcome; a rejected lookalike warning stops for that
//! site until it is given back; the firm's own domain is never listed; only the security
//! team reaches the page, and never from another site.

// Test helpers: a failure here is a broken test set-up, said at once.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod support;

use axum::http::{header, StatusCode};
use store::staff::Role;
use support::staff::{get_with, new_staff, same_site_post};
use support::{form_request, spawn_site, TestSite};

const DECIDE: &str = "/console/triage/decide";

/// The public check's verdict for `text`, from the JSON API.
async fn public_verdict(site: &TestSite, text: &str) -> String {
    let answer = site.post_json("/api/v1/check", &format!(r#"{{"text": "{text}"}}"#)).await;
    assert_eq!(answer.status, StatusCode::OK, "{}", answer.body);
    let json: serde_json::Value = serde_json::from_str(&answer.body).unwrap();
    json["verdict"].as_str().unwrap_or_default().to_owned()
}

async fn report(site: &TestSite, text: &str) {
    let sent = site.post_form("/report", &[("text", text), ("channel", "sms")]).await;
    assert_eq!(sent.status, StatusCode::SEE_OTHER, "{}", sent.body);
}

async fn decisions(site: &TestSite) -> i64 {
    let (n,): (i64,) =
        sqlx::query_as("SELECT count(*) FROM triage_decisions").fetch_one(&site.state.db).await.unwrap();
    n
}

#[tokio::test]
async fn a_report_and_an_escalation_of_one_site_wait_together_and_accepting_makes_the_check_say_fraud() {
    let site = spawn_site().await;
    let mei = new_staff(&site, "mei", &[Role::Agent]).await;
    let ana = new_staff(&site, "ana", &[Role::Analyst]).await;
    report(&site, "【凱基證券】您的帳戶異常，請立即至 https://kkpp.kgi777.com/login 驗證").await;
    let escalated = site
        .send_following(same_site_post(
            "/console/escalations",
            &[("kind", "host"), ("value", "kkpp.kgi777.com"), ("text", ""), ("note", "客戶收到簡訊")],
            Some(&mei),
        ))
        .await;
    assert_eq!(escalated.status, StatusCode::OK, "{}", escalated.body);
    assert_eq!(public_verdict(&site, "https://kkpp.kgi777.com/login").await, "suspicious");

    let queue = site.send(get_with("/console/triage", Some(&ana))).await;
    assert_eq!(queue.status, StatusCode::OK, "{}", queue.body);
    assert_eq!(queue.body.matches(r#"class="triage-item""#).count(), 1, "one row: {}", queue.body);
    assert!(queue.body.contains("kkpp[.]kgi777[.]com"), "shown defanged");
    assert!(!queue.body.contains("https://kkpp.kgi777.com"), "no tappable fake in the page");
    assert!(queue.body.contains("民眾檢舉 1 則，客服轉報 1 次"), "{}", queue.body);
    assert!(queue.body.contains("客戶收到簡訊"), "the agent's note");
    assert!(queue.body.contains("firm_message_link"), "what the text shows: it speaks as the firm");

    let accepted = site
        .send_following(same_site_post(
            DECIDE,
            &[
                ("kind", "host"),
                ("value", "kkpp.kgi777.com"),
                ("decision", "accepted"),
                ("reason", "RSA 已通報"),
            ],
            Some(&ana),
        ))
        .await;
    assert_eq!(accepted.status, StatusCode::OK, "{}", accepted.body);
    assert!(accepted.body.contains("已列入下架資料庫"), "{}", accepted.body);
    assert_eq!(public_verdict(&site, "https://kkpp.kgi777.com/other").await, "fraud");
    let status = site.send(get_with("/console/status", Some(&mei))).await;
    assert!(status.body.contains(r#""status":"accepted""#), "{}", status.body);
    let (source, status): (String, String) =
        sqlx::query_as("SELECT source, status FROM takedown_entries WHERE target = 'kkpp.kgi777.com'")
            .fetch_one(&site.state.db)
            .await
            .unwrap();
    assert_eq!((source.as_str(), status.as_str()), ("escalation", "detected"));
    let after = site.send(get_with("/console/triage", Some(&ana))).await;
    assert!(!after.body.contains(r#"class="triage-item""#), "nothing waits any more");
    assert!(matches!(
        store::audit::verify(&site.state.db).await.unwrap(),
        store::audit::Verdict::Intact { .. }
    ));
}

#[tokio::test]
async fn a_rejected_lookalike_warning_stops_for_that_site_and_comes_back_when_given_back() {
    let site = spawn_site().await;
    let ana = new_staff(&site, "ana", &[Role::Analyst]).await;
    report(&site, "這個 https://kgi-fans.org/ 說我的網站是假的").await;
    assert_eq!(public_verdict(&site, "https://kgi-fans.org/").await, "suspicious");
    let queue = site.send(get_with("/console/triage", Some(&ana))).await;
    assert!(queue.body.contains(r#"name="clear" value="brand_in_name""#), "{}", queue.body);

    let without_reason = site
        .send_following(same_site_post(
            DECIDE,
            &[
                ("kind", "host"),
                ("value", "kgi-fans.org"),
                ("decision", "rejected"),
                ("clear", "brand_in_name"),
            ],
            Some(&ana),
        ))
        .await;
    assert_eq!(without_reason.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(without_reason.body.contains("請寫下為什麼是誤報"), "{}", without_reason.body);
    assert_eq!(decisions(&site).await, 0);

    let rejected = site
        .send_following(same_site_post(
            DECIDE,
            &[
                ("kind", "host"),
                ("value", "kgi-fans.org"),
                ("decision", "rejected"),
                ("reason", "影迷社團的真網站"),
                ("clear", "brand_in_name"),
            ],
            Some(&ana),
        ))
        .await;
    assert_eq!(rejected.status, StatusCode::OK, "{}", rejected.body);
    assert!(rejected.body.contains("查證不再對 kgi-fans.org 提出這些警示"), "{}", rejected.body);
    assert_eq!(public_verdict(&site, "https://kgi-fans.org/").await, "unknown");
    assert_eq!(public_verdict(&site, "https://kgi-fans.net/").await, "suspicious", "only that site");

    let restored = site
        .send_following(same_site_post(
            "/console/triage/restore",
            &[("domain", "kgi-fans.org"), ("reason", "brand_in_name")],
            Some(&ana),
        ))
        .await;
    assert_eq!(restored.status, StatusCode::OK, "{}", restored.body);
    assert_eq!(public_verdict(&site, "https://kgi-fans.org/").await, "suspicious");
}

#[tokio::test]
async fn accepting_the_firms_own_domain_is_refused_and_the_check_still_says_official() {
    let site = spawn_site().await;
    let ana = new_staff(&site, "ana", &[Role::Analyst]).await;
    report(&site, "這是真的嗎 https://www.kgi.com.tw/").await;
    let refused = site
        .send_following(same_site_post(
            DECIDE,
            &[("kind", "host"), ("value", "www.kgi.com.tw"), ("decision", "accepted")],
            Some(&ana),
        ))
        .await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(refused.body.contains("下架資料庫絕不能列入本公司"), "{}", refused.body);
    assert_eq!(public_verdict(&site, "https://www.kgi.com.tw/").await, "official");
    assert_eq!(decisions(&site).await, 0);
}

#[tokio::test]
async fn two_analysts_deciding_one_site_at_once_record_one_decision() {
    let site = spawn_site().await;
    let ana = new_staff(&site, "ana", &[Role::Analyst]).await;
    let ben = new_staff(&site, "ben", &[Role::Analyst]).await;
    report(&site, "https://kgi-login.top/").await;
    let accept = [("kind", "host"), ("value", "kgi-login.top"), ("decision", "accepted")];
    let reject =
        [("kind", "host"), ("value", "kgi-login.top"), ("decision", "rejected"), ("reason", "not ours")];
    let (a, b) = tokio::join!(
        site.send_following(same_site_post(DECIDE, &accept, Some(&ana))),
        site.send_following(same_site_post(DECIDE, &reject, Some(&ben)))
    );
    let mut statuses = [a.status, b.status];
    statuses.sort();
    assert_eq!(statuses, [StatusCode::OK, StatusCode::CONFLICT], "{} / {}", a.body, b.body);
    let loser = if a.status == StatusCode::CONFLICT { &a } else { &b };
    assert!(loser.body.contains("剛剛已有其他人做了決定"), "{}", loser.body);
    assert_eq!(decisions(&site).await, 1);
}

#[tokio::test]
async fn only_the_security_team_reaches_triage_and_never_from_another_site() {
    let site = spawn_site().await;
    let mei = new_staff(&site, "mei", &[Role::Agent]).await;
    let pub_ = new_staff(&site, "pat", &[Role::Publisher]).await;
    let ana = new_staff(&site, "ana", &[Role::Analyst]).await;
    report(&site, "https://kgi-login.top/").await;
    let accept = [("kind", "host"), ("value", "kgi-login.top"), ("decision", "accepted")];

    for cookie in [&mei, &pub_] {
        assert_eq!(site.send(get_with("/console/triage", Some(cookie))).await.status, StatusCode::FORBIDDEN);
        assert_eq!(
            site.send_following(same_site_post(DECIDE, &accept, Some(cookie))).await.status,
            StatusCode::FORBIDDEN
        );
    }
    let stranger = site.send_following(same_site_post(DECIDE, &accept, None)).await;
    assert_eq!(stranger.status, StatusCode::UNAUTHORIZED);
    let mut forged = form_request(DECIDE, &accept);
    forged.headers_mut().insert(header::COOKIE, ana.parse().unwrap());
    forged.headers_mut().insert("sec-fetch-site", "cross-site".parse().unwrap());
    assert_eq!(site.send(forged).await.status, StatusCode::FORBIDDEN);
    assert_eq!(decisions(&site).await, 0);
    assert_eq!(public_verdict(&site, "https://kgi-login.top/").await, "suspicious");
}

#[tokio::test]
async fn a_decision_while_the_database_is_away_fails_loudly_and_the_check_keeps_answering() {
    let site = spawn_site().await;
    let ana = new_staff(&site, "ana", &[Role::Analyst]).await;
    report(&site, "https://kgi-login.top/").await;
    site.state.db.close().await;
    let accept = [("kind", "host"), ("value", "kgi-login.top"), ("decision", "accepted")];
    let answer = site.send_following(same_site_post(DECIDE, &accept, Some(&ana))).await;
    assert!(answer.status.is_server_error(), "{}: {}", answer.status, answer.body);
    assert_eq!(
        public_verdict(&site, "https://kgi-login.top/").await,
        "suspicious",
        "from the last good data"
    );
}

#[tokio::test]
async fn a_report_with_only_a_line_id_gets_a_row_and_one_naming_nothing_is_closed_with_what_was_done() {
    let site = spawn_site().await;
    let ana = new_staff(&site, "ana", &[Role::Analyst]).await;
    let mei = new_staff(&site, "mei", &[Role::Agent]).await;
    report(&site, "投資老師叫我加 LINE @kgi_vip888 領飆股").await;
    report(&site, "有人自稱營業員打來，要我把錢匯到他的帳戶").await;

    let queue = site.send(get_with("/console/triage", Some(&ana))).await;
    assert!(queue.body.contains("kgi_vip888"), "the LINE ID has its own row: {}", queue.body);
    assert!(queue.body.contains(r#"data-report=""#), "the report naming nothing is listed");
    assert!(queue.body.contains("自稱營業員"), "{}", queue.body);
    let reference =
        queue.body.split(r#"data-report=""#).nth(1).unwrap().split('"').next().unwrap().to_owned();

    let no_reason = site
        .send_following(same_site_post(
            "/console/triage/close-report",
            &[("reference", &reference), ("reason", "")],
            Some(&ana),
        ))
        .await;
    assert_eq!(no_reason.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", no_reason.body);
    let by_agent = site
        .send_following(same_site_post(
            "/console/triage/close-report",
            &[("reference", &reference), ("reason", "x")],
            Some(&mei),
        ))
        .await;
    assert_eq!(by_agent.status, StatusCode::FORBIDDEN, "an agent cannot close reports");
    let cross_site = site
        .send(form_request("/console/triage/close-report", &[("reference", &reference), ("reason", "x")]))
        .await;
    assert_eq!(cross_site.status, StatusCode::FORBIDDEN);

    let closed = site
        .send_following(same_site_post(
            "/console/triage/close-report",
            &[("reference", &reference), ("reason", "已回電說明，非本公司人員")],
            Some(&ana),
        ))
        .await;
    assert_eq!(closed.status, StatusCode::OK, "{}", closed.body);
    assert!(!closed.body.contains("自稱營業員"), "closed, off the list");
    let again = site
        .send_following(same_site_post(
            "/console/triage/close-report",
            &[("reference", &reference), ("reason", "x")],
            Some(&ana),
        ))
        .await;
    assert_eq!(again.status, StatusCode::CONFLICT, "nothing waits any more");
}
