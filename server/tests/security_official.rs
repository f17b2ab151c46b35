//! The official list's two-person rule as staff and attackers meet it: an analyst proposes,
//! a second one approves and the public page shows it; the proposer's own approval is refused
//! by the server however it is sent; agents, publishers and strangers can neither open the
//! page nor post to it; a request from another site is refused even with a valid session.

// Test helpers: a failure here is a broken test set-up, said at once.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod support;

use axum::http::{header, StatusCode};
use store::official_proposals::{self, State};
use store::staff::Role;
use support::staff::{get_with, new_staff, same_site_post};
use support::{form_request, spawn_site, TestSite};

const PROPOSALS: &str = "/console/official/proposals";

/// The fields of a proposal to add `kgifund.com.tw`.
fn addition() -> Vec<(&'static str, &'static str)> {
    vec![
        ("action", "add"),
        ("kind", "domain"),
        ("value", "KGIfund.com.tw"),
        ("label_zh", "基金網站"),
        ("label_en", "Funds website"),
        ("reason", "The funds site moved to its own domain (board notice 2026-11)."),
    ]
}

/// The one proposal waiting, as the store has it.
async fn the_pending_one(site: &TestSite) -> official_proposals::Proposal {
    let mut pending = official_proposals::pending(&site.state.db).await.unwrap();
    assert_eq!(pending.len(), 1, "{pending:?}");
    pending.remove(0)
}

#[tokio::test]
async fn an_analyst_proposes_a_second_analyst_approves_and_the_public_page_then_lists_it() {
    let site = spawn_site().await;
    let ana = new_staff(&site, "ana", &[Role::Analyst]).await;
    let ben = new_staff(&site, "ben", &[Role::Analyst]).await;

    let proposed = site.send_following(same_site_post(PROPOSALS, &addition(), Some(&ana))).await;
    assert_eq!(proposed.status, StatusCode::OK, "{}", proposed.body);
    assert!(proposed.body.contains("已送出，等待核准：kgifund.com.tw"), "{}", proposed.body);
    assert!(
        !site.get("/official").await.body.contains("kgifund.com.tw"),
        "not before a second person approves"
    );
    let id = the_pending_one(&site).await.id;
    let approve = format!("{PROPOSALS}/{id}/approve");
    assert!(!proposed.body.contains(&approve), "no approve button on one's own proposal");
    assert!(proposed.body.contains(&format!("{PROPOSALS}/{id}/withdraw")));

    let seen = site.send(get_with("/console/official", Some(&ben))).await;
    assert!(seen.body.contains(&approve), "{}", seen.body);
    assert!(seen.body.contains("<ins>") && seen.body.contains("基金網站"), "the diff shows what it adds");
    let approved = site
        .send_following(same_site_post(&approve, &[("note", "checked with the registrar")], Some(&ben)))
        .await;

    assert_eq!(approved.status, StatusCode::OK, "{}", approved.body);
    assert!(approved.body.contains("已核准：kgifund.com.tw"), "{}", approved.body);
    let public = site.get("/official").await;
    assert!(public.body.contains("kgifund.com.tw") && public.body.contains("基金網站"), "{}", public.body);
    let decided = official_proposals::get(&site.state.db, id).await.unwrap().unwrap();
    assert_eq!((decided.state, decided.decider.as_deref()), (State::Approved, Some("ben")));
}

#[tokio::test]
async fn the_proposers_own_approval_is_refused_by_the_server_even_when_crafted_by_hand() {
    let site = spawn_site().await;
    let ana = new_staff(&site, "ana", &[Role::Analyst, Role::Admin]).await;
    site.send_following(same_site_post(PROPOSALS, &addition(), Some(&ana))).await;
    let id = the_pending_one(&site).await.id;

    for decision in ["approve", "reject"] {
        let crafted = site
            .send_following(same_site_post(
                &format!("{PROPOSALS}/{id}/{decision}"),
                &[("note", "lgtm")],
                Some(&ana),
            ))
            .await;

        assert_eq!(crafted.status, StatusCode::FORBIDDEN, "{decision}");
        assert!(crafted.body.contains("這是您提出的變更，您不能自己核准或退回"), "{}", crafted.body);
    }
    assert_eq!(the_pending_one(&site).await.state, State::Pending);
    assert!(!site.get("/official").await.body.contains("kgifund.com.tw"));
    let english = site
        .send_following(same_site_post(
            &format!("{PROPOSALS}/{id}/approve"),
            &[],
            Some(&format!("{ana}; lang=en")),
        ))
        .await;
    assert!(english.body.contains("you cannot approve or reject it"), "{}", english.body);
}

#[tokio::test]
async fn agents_publishers_and_strangers_can_neither_open_the_page_nor_post_to_it() {
    let site = spawn_site().await;
    let ana = new_staff(&site, "ana", &[Role::Analyst]).await;
    site.send_following(same_site_post(PROPOSALS, &addition(), Some(&ana))).await;
    let id = the_pending_one(&site).await.id;
    let agent = new_staff(&site, "mei", &[Role::Agent]).await;
    let publisher = new_staff(&site, "pat", &[Role::Publisher]).await;

    for cookie in [Some(agent.as_str()), Some(publisher.as_str()), None] {
        let page = site.send(get_with("/console/official", cookie)).await;
        assert!(
            page.status == StatusCode::FORBIDDEN || page.header("location") == "/staff/sign-in",
            "{cookie:?}: {}",
            page.status
        );
        let removal = [("action", "remove"), ("kind", "domain"), ("value", "kgi.com.tw"), ("reason", "x")];
        for (path, fields) in [
            (PROPOSALS.to_owned(), &removal[..]),
            (format!("{PROPOSALS}/{id}/approve"), &[][..]),
            (format!("{PROPOSALS}/{id}/withdraw"), &[][..]),
        ] {
            let posted = site.send_following(same_site_post(&path, fields, cookie)).await;
            assert!(
                matches!(posted.status, StatusCode::FORBIDDEN | StatusCode::UNAUTHORIZED),
                "{cookie:?} {path}: {}",
                posted.status
            );
            assert!(!posted.body.contains("kgifund"), "nothing of the list leaks");
        }
    }
    assert_eq!(the_pending_one(&site).await.state, State::Pending, "still waiting, nothing else proposed");
}

#[tokio::test]
async fn a_cross_site_post_with_a_valid_session_is_refused() {
    let site = spawn_site().await;
    let ana = new_staff(&site, "ana", &[Role::Analyst]).await;
    let ben = new_staff(&site, "ben", &[Role::Analyst]).await;
    site.send_following(same_site_post(PROPOSALS, &addition(), Some(&ana))).await;
    let id = the_pending_one(&site).await.id;
    let approve = format!("{PROPOSALS}/{id}/approve");

    let mut forged = form_request(&approve, &[]);
    forged.headers_mut().insert(header::COOKIE, ben.parse().unwrap());
    forged.headers_mut().insert("sec-fetch-site", "cross-site".parse().unwrap());
    let mut old_browser = form_request(PROPOSALS, &addition());
    old_browser.headers_mut().insert(header::COOKIE, ben.parse().unwrap());
    old_browser.headers_mut().insert(header::ORIGIN, "https://evil.example".parse().unwrap());

    assert_eq!(site.send(forged).await.status, StatusCode::FORBIDDEN);
    assert_eq!(site.send(old_browser).await.status, StatusCode::FORBIDDEN);
    assert_eq!(the_pending_one(&site).await.state, State::Pending);
    assert!(!site.get("/official").await.body.contains("kgifund.com.tw"));
}

#[tokio::test]
async fn a_domain_the_takedown_data_calls_fake_is_refused_naming_the_entry_and_the_form_keeps_what_was_typed()
{
    let site = spawn_site().await;
    let ana = new_staff(&site, "ana", &[Role::Analyst]).await;
    let (entry,): (i64,) = sqlx::query_as("SELECT id FROM takedown_entries WHERE target = 'kkpp.kgi357.com'")
        .fetch_one(&site.state.db)
        .await
        .unwrap();
    let mut fake = addition();
    fake[2] = ("value", "kgi357.com");

    let refused = site.send_following(same_site_post(PROPOSALS, &fake, Some(&ana))).await;

    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        refused
            .body
            .contains(&format!("kgi357.com 在下架資料中被列為假網站（第 {entry} 筆：kkpp[.]kgi357[.]com）")),
        "{}",
        refused.body
    );
    assert!(refused.body.contains(r#"value="kgi357.com""#), "the value typed stays in the form");
    assert!(refused.body.contains("board notice 2026-11"), "and so does the reason");
    assert!(official_proposals::pending(&site.state.db).await.unwrap().is_empty());
}

#[tokio::test]
async fn a_removal_proposed_by_an_analyst_and_approved_by_an_admin_leaves_the_public_page() {
    let site = spawn_site().await;
    let ana = new_staff(&site, "ana", &[Role::Analyst]).await;
    let boss = new_staff(&site, "boss", &[Role::Admin]).await;
    assert!(site.get("/official").await.body.contains("kgi_demo"));
    let removal =
        [("action", "remove"), ("kind", "line_id"), ("value", "kgi_demo"), ("reason", "account closed")];
    site.send_following(same_site_post(PROPOSALS, &removal, Some(&ana))).await;
    let id = the_pending_one(&site).await.id;

    let page = site.send(get_with("/console/official", Some(&boss))).await;
    assert!(page.body.contains("<del>") && page.body.contains("從名單移除"), "the diff shows what goes");
    let approved =
        site.send_following(same_site_post(&format!("{PROPOSALS}/{id}/approve"), &[], Some(&boss))).await;

    assert_eq!(approved.status, StatusCode::OK, "{}", approved.body);
    assert!(!site.get("/official").await.body.contains("kgi_demo"));
}
