//! The staff side as its users and its attackers meet it: signing in with a password and a
//! second factor (the code computed here, as an authenticator app would), the role each page
//! and action needs, sessions that rotate and expire on the server, limits on wrong
//! attempts, requests from other sites, and the agent console's check, contact log,
//! escalation and an analyst's decision, every change in the audit log.

// Test helpers: a failure here is a broken test set-up, said at once.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod support;

use axum::http::{header, StatusCode};
use server::staff::accounts;
use store::staff::Role;
use support::staff::{
    code_for, cookie_of, get_with, new_staff, next_event_with, now, post_and_follow, same_site_post,
    NEW_PASSWORD,
};
use support::{form_request, spawn_site, url_encode};

#[tokio::test]
async fn a_new_agent_signs_in_with_password_and_code_and_reaches_the_console() {
    let site = spawn_site().await;
    let cookie = new_staff(&site, "mei", &[Role::Agent]).await;
    let console = site.send(get_with("/console", Some(&cookie))).await;
    assert_eq!(console.status, StatusCode::OK);
    assert!(console.body.contains("客服主控台"), "{}", console.body);
    assert_eq!(console.header("cache-control"), "private, no-store");
    assert!(console.header("x-robots-tag").contains("noindex"));
    let log = store::audit::search(&site.state.db, &Default::default(), 20).await.unwrap();
    let actions: Vec<&str> = log.iter().map(|e| e.action.as_str()).collect();
    assert!(actions.contains(&"sign_in") && actions.contains(&"password_change"), "{actions:?}");
    for entry in &log {
        assert!(!entry.after.contains(NEW_PASSWORD) && !entry.before.contains(NEW_PASSWORD));
    }
}

#[tokio::test]
async fn an_anonymous_visit_goes_to_sign_in_and_an_anonymous_action_is_refused() {
    let site = spawn_site().await;
    let page = site.get("/console").await;
    assert_eq!(page.status, StatusCode::SEE_OTHER);
    assert_eq!(page.header("location"), "/staff/sign-in");
    let action = site
        .send(same_site_post("/console/escalations", &[("kind", "host"), ("value", "x.example")], None))
        .await;
    assert_eq!(action.status, StatusCode::UNAUTHORIZED);
    let sign_in = site.get("/staff/sign-in").await;
    assert_eq!(sign_in.status, StatusCode::OK);
    assert!(sign_in.body.contains(r#"autocomplete="current-password""#));
}

/// Who may do what: every staff route, as every role and as an anonymous visitor.
#[tokio::test]
async fn every_staff_route_lets_in_exactly_the_roles_it_names() {
    let site = spawn_site().await;
    let mut cookies = vec![("anonymous", None)];
    for role in Role::ALL {
        let login = format!("role-{}", role.code());
        cookies.push((role.code(), Some(new_staff(&site, &login, &[role]).await)));
    }
    // (method, path, fields, roles that get in)
    type Rule<'a> = (&'a str, &'a str, &'a [(&'a str, &'a str)], &'a [&'a str]);
    let table: &[Rule] = &[
        ("GET", "/console", &[], &["agent", "analyst"]),
        ("GET", "/console/status", &[], &["agent", "analyst"]),
        ("POST", "/console/check", &[("text", "kgi357.com")], &["agent"]),
        ("POST", "/console/contacts", &[("channel", "phone"), ("summary", "s"), ("text", "")], &["agent"]),
        ("POST", "/console/escalations", &[("kind", "host"), ("value", "nobody-knows.example")], &["agent"]),
        ("POST", "/console/escalations/1/decide", &[("decision", "rejected")], &["analyst"]),
        ("GET", "/console/audit", &[], &["admin"]),
        ("GET", "/console/users", &[], &["admin"]),
        ("GET", "/console/scripts", &[], &["agent", "analyst", "admin"]),
        ("POST", "/console/scripts/new", &[("verdict", "safe")], &["admin"]),
        ("POST", "/console/scripts/1/edit", &[("verdict", "safe")], &["admin"]),
        ("POST", "/console/users", &[("login", "x"), ("agent", "on")], &["admin"]),
        ("POST", "/console/users/999/disable", &[], &["admin"]),
        ("GET", "/console/official", &[], &["analyst", "admin"]),
        (
            "POST",
            "/console/official/proposals",
            &[("action", "add"), ("kind", "domain"), ("value", "com.tw")],
            &["analyst", "admin"],
        ),
        ("POST", "/console/official/proposals/999/approve", &[], &["analyst", "admin"]),
        ("POST", "/console/official/proposals/999/reject", &[], &["analyst", "admin"]),
        ("POST", "/console/official/proposals/999/withdraw", &[], &["analyst", "admin"]),
        ("GET", "/console/dashboard", &[], &["analyst", "admin"]),
        ("GET", "/console/triage", &[], &["analyst", "admin"]),
        (
            "POST",
            "/console/triage/decide",
            &[("kind", "host"), ("value", "x.example"), ("decision", "accepted")],
            &["analyst", "admin"],
        ),
        (
            "POST",
            "/console/triage/restore",
            &[("domain", "x.example"), ("reason", "brand_in_name")],
            &["analyst", "admin"],
        ),
        ("GET", "/console/dashboard/status.svg", &[], &["analyst", "admin"]),
        ("GET", "/console/dashboard/new-entries.svg", &[], &["analyst", "admin"]),
        ("GET", "/console/dashboard/time-to-takedown.svg", &[], &["analyst", "admin"]),
        ("GET", "/console/dashboard/most-checked.svg", &[], &["analyst", "admin"]),
        ("GET", "/staff/password", &[], &["agent", "analyst", "publisher", "admin"]),
        ("GET", "/console/takedowns", &[], &["analyst", "admin"]),
        ("GET", "/console/takedowns/1", &[], &["analyst", "admin"]),
        ("POST", "/console/takedowns/1", &[("status", "")], &["analyst", "admin"]),
        ("POST", "/console/takedowns/status", &[("status", "")], &["analyst", "admin"]),
        ("GET", "/console/takedowns/campaigns", &[], &["analyst", "admin"]),
        ("POST", "/console/takedowns/campaigns/status", &[("kind", "name")], &["analyst", "admin"]),
        ("GET", "/console/imports/jobs/1", &[], &["analyst", "admin"]),
        ("GET", "/console/imports", &[], &["analyst", "admin"]),
        ("POST", "/console/imports/apply", &[("digest", "")], &["analyst", "admin"]),
        ("GET", "/console/versions", &[], &["analyst", "admin"]),
        ("POST", "/console/versions/999/rollback", &[], &["admin"]),
        ("POST", "/console/switches", &[("detector", "")], &["admin"]),
        ("GET", "/console/bulletins", &[], &["publisher", "admin"]),
        ("POST", "/console/bulletins/new", &[("title", "")], &["publisher"]),
        ("POST", "/console/bulletins/settings", &[("second_approval", "off")], &["admin"]),
        ("GET", "/console/bulletins/templates", &[], &["publisher", "admin"]),
        ("POST", "/console/bulletins/templates", &[("name", "")], &["admin"]),
        ("GET", "/console/bulletins/templates/999", &[], &["publisher", "admin"]),
        ("POST", "/console/bulletins/templates/999", &[("name", "")], &["admin"]),
        ("GET", "/console/bulletins/999", &[], &["publisher"]),
        ("GET", "/console/bulletins/999/revisions", &[], &["publisher"]),
        ("POST", "/console/bulletins/999/save", &[("title", "")], &["publisher"]),
        ("POST", "/console/bulletins/999/preview", &[("title", "")], &["publisher"]),
        ("POST", "/console/bulletins/999/preview-fragment", &[("title", "")], &["publisher"]),
        ("POST", "/console/bulletins/999/publish", &[], &["publisher"]),
        ("POST", "/console/bulletins/999/schedule", &[("at", "")], &["publisher"]),
        ("POST", "/console/bulletins/999/unpublish", &[], &["publisher"]),
        ("POST", "/console/bulletins/999/pin", &[], &["publisher"]),
        ("POST", "/console/bulletins/999/decide", &[("decision", "reject")], &["publisher"]),
        ("POST", "/console/bulletins/999/incident", &[("state", "")], &["publisher"]),
        ("POST", "/console/bulletins/999/restore", &[("revision", "1")], &["publisher"]),
        ("GET", "/console/bulletins/999/other", &[], &["admin"]),
        ("GET", "/console/some-future-page", &[], &["admin"]),
    ];
    for (method, path, fields, allowed) in table {
        for (who, cookie) in &cookies {
            let request = match *method {
                "GET" => get_with(path, cookie.as_deref()),
                _ => same_site_post(path, fields, cookie.as_deref()),
            };
            let answer = site.send(request).await;
            let got_in = !matches!(
                answer.status,
                StatusCode::FORBIDDEN | StatusCode::UNAUTHORIZED | StatusCode::SEE_OTHER
            ) || (answer.status == StatusCode::SEE_OTHER
                && answer.header("location") != "/staff/sign-in");
            // A page the route does not have is a 404 for whoever got past the gate.
            assert_eq!(
                got_in,
                allowed.contains(who),
                "{who} {method} {path}: {} {}",
                answer.status,
                answer.body
            );
        }
    }
}

#[tokio::test]
async fn a_cross_site_post_is_refused_even_with_a_valid_session() {
    let site = spawn_site().await;
    let cookie = new_staff(&site, "mei", &[Role::Agent]).await;
    let mut forged = form_request("/console/escalations", &[("kind", "host"), ("value", "kgi357.com")]);
    forged.headers_mut().insert(header::COOKIE, cookie.parse().unwrap());
    forged.headers_mut().insert("sec-fetch-site", "cross-site".parse().unwrap());
    assert_eq!(site.send(forged).await.status, StatusCode::FORBIDDEN);
    let mut old_browser = form_request("/staff/sign-out", &[]);
    old_browser.headers_mut().insert(header::COOKIE, cookie.parse().unwrap());
    old_browser.headers_mut().insert(header::ORIGIN, "https://evil.example".parse().unwrap());
    assert_eq!(site.send(old_browser).await.status, StatusCode::FORBIDDEN);
    let mut no_header = form_request("/staff/sign-out", &[]);
    no_header.headers_mut().insert(header::COOKIE, cookie.parse().unwrap());
    assert_eq!(site.send(no_header).await.status, StatusCode::FORBIDDEN, "neither header: refused");
    assert!(store::escalation::queue(&site.state.db, 10).await.unwrap().is_empty());
    assert_eq!(
        site.send(get_with("/console", Some(&cookie))).await.status,
        StatusCode::OK,
        "still signed in"
    );
}

#[tokio::test]
async fn a_wrong_password_and_an_unknown_name_get_the_same_answer() {
    let site = spawn_site().await;
    accounts::create(&site.state.db, "mei", "", &[Role::Agent], (None, "test")).await.unwrap();
    let wrong = site
        .send(same_site_post("/staff/sign-in", &[("login", "mei"), ("password", "not the password")], None))
        .await;
    let unknown = site
        .send(same_site_post(
            "/staff/sign-in",
            &[("login", "nobody"), ("password", "not the password")],
            None,
        ))
        .await;
    assert_eq!(wrong.status, StatusCode::UNAUTHORIZED);
    assert_eq!(unknown.status, wrong.status);
    assert!(wrong.body.contains("名稱或密碼錯誤") && unknown.body.contains("名稱或密碼錯誤"));
    assert!(cookie_of(&wrong).is_none() && cookie_of(&unknown).is_none());
}

#[tokio::test]
async fn five_wrong_passwords_lock_the_account_even_for_the_right_one() {
    let site = spawn_site().await;
    let created = accounts::create(&site.state.db, "mei", "", &[Role::Agent], (None, "test")).await.unwrap();
    for _ in 0..5 {
        site.send(same_site_post(
            "/staff/sign-in",
            &[("login", "mei"), ("password", "wrong password!")],
            None,
        ))
        .await;
    }
    let right = site
        .send(same_site_post(
            "/staff/sign-in",
            &[("login", "mei"), ("password", &created.one_time_password)],
            None,
        ))
        .await;
    assert_eq!(right.status, StatusCode::TOO_MANY_REQUESTS);
    assert!(right.body.contains("15 分鐘"), "{}", right.body);
    assert!(cookie_of(&right).is_none());
}

#[tokio::test]
async fn a_disabled_account_is_refused_and_its_sessions_end_at_once() {
    let site = spawn_site().await;
    let cookie = new_staff(&site, "mei", &[Role::Agent]).await;
    let id = store::staff::credentials(&site.state.db, "mei").await.unwrap().unwrap().user.id;
    store::staff::set_disabled(&site.state.db, id, Some("2026-12-01T00:00:00Z")).await.unwrap();
    let after = site.send(get_with("/console", Some(&cookie))).await;
    assert_eq!(after.header("location"), "/staff/sign-in", "the open session no longer works");
    let again = site
        .send(same_site_post("/staff/sign-in", &[("login", "mei"), ("password", NEW_PASSWORD)], None))
        .await;
    assert_eq!(again.status, StatusCode::UNAUTHORIZED);
    assert!(again.body.contains("帳號已停用"), "{}", again.body);
}

#[tokio::test]
async fn sign_out_ends_the_session_on_the_server() {
    let site = spawn_site().await;
    let cookie = new_staff(&site, "mei", &[Role::Agent]).await;
    let out = site.send(same_site_post("/staff/sign-out", &[], Some(&cookie))).await;
    assert_eq!(out.header("location"), "/staff/sign-in");
    assert!(out.header("set-cookie").contains("Max-Age=0"));
    // The browser (or a thief) replays the old cookie: nothing.
    assert_eq!(site.send(get_with("/console", Some(&cookie))).await.header("location"), "/staff/sign-in");
}

#[tokio::test]
async fn an_idle_or_old_session_is_over_whatever_the_browser_keeps() {
    let site = spawn_site().await;
    let cookie = new_staff(&site, "mei", &[Role::Agent]).await;
    sqlx::query("UPDATE staff_sessions SET last_seen_at = '2000-01-01T00:00:00Z'")
        .execute(&site.state.db)
        .await
        .unwrap();
    assert_eq!(
        site.send(get_with("/console", Some(&cookie))).await.header("location"),
        "/staff/sign-in",
        "idle"
    );
    let cookie = {
        let code_later = code_for(&site, "mei", now() + 30).await;
        let half = site
            .send(same_site_post("/staff/sign-in", &[("login", "mei"), ("password", NEW_PASSWORD)], None))
            .await;
        let half = cookie_of(&half).unwrap();
        let full =
            site.send(same_site_post("/staff/second-factor", &[("code", &code_later)], Some(&half))).await;
        cookie_of(&full).expect("signed in again")
    };
    assert_eq!(site.send(get_with("/console", Some(&cookie))).await.status, StatusCode::OK);
    sqlx::query("UPDATE staff_sessions SET created_at = '2000-01-01T00:00:00Z'")
        .execute(&site.state.db)
        .await
        .unwrap();
    assert_eq!(
        site.send(get_with("/console", Some(&cookie))).await.header("location"),
        "/staff/sign-in",
        "too old"
    );
}

#[tokio::test]
async fn a_code_is_accepted_once() {
    let site = spawn_site().await;
    new_staff(&site, "mei", &[Role::Agent]).await;
    // The code of the step after the one used at enrolment, used twice.
    let code = code_for(&site, "mei", now() + 30).await;
    let first = site
        .send(same_site_post("/staff/sign-in", &[("login", "mei"), ("password", NEW_PASSWORD)], None))
        .await;
    let first = cookie_of(&first).unwrap();
    let ok = site.send(same_site_post("/staff/second-factor", &[("code", &code)], Some(&first))).await;
    assert_eq!(ok.header("location"), "/console");
    let second = site
        .send(same_site_post("/staff/sign-in", &[("login", "mei"), ("password", NEW_PASSWORD)], None))
        .await;
    let second = cookie_of(&second).unwrap();
    let replay = site.send(same_site_post("/staff/second-factor", &[("code", &code)], Some(&second))).await;
    assert_eq!(replay.status, StatusCode::UNAUTHORIZED);
    assert!(cookie_of(&replay).is_none());
}

#[tokio::test]
async fn an_agent_checks_logs_the_contact_and_escalates_and_an_analyst_accepts() {
    let site = spawn_site().await;
    let agent = new_staff(&site, "mei", &[Role::Agent]).await;
    let analyst = new_staff(&site, "ana", &[Role::Analyst]).await;
    let message =
        "【凱基證券】您的帳戶異常，請至 https://kkpp.kgi357.com/index/login 驗證，另加 LINE ID: kgi_vip888";
    let checked = site.send(same_site_post("/console/check", &[("text", message)], Some(&agent))).await;
    assert_eq!(checked.status, StatusCode::OK);
    assert!(
        checked.body.contains("E7800746") && checked.body.contains("C7800745"),
        "vendor alert and case: {}",
        checked.body
    );
    assert!(checked.body.contains("kgi357.com"));
    let (_, logged) = post_and_follow(
        &site,
        "/console/contacts",
        &[
            ("text", message),
            ("channel", "phone"),
            ("customer_ref", "C-0042"),
            ("summary", "Customer got this SMS"),
        ],
        &agent,
    )
    .await;
    assert!(logged.body.contains("已記錄這次聯繫"), "{}", logged.body);
    let found = site.send(get_with(&format!("/console?q={}", url_encode("kgi357.com")), Some(&agent))).await;
    assert!(found.body.contains("C-0042") && found.body.contains("Customer got this SMS"), "{}", found.body);
    let (_, escalated) = post_and_follow(
        &site,
        "/console/escalations",
        &[
            ("kind", "line_id"),
            ("value", "kgi_vip888"),
            ("note", "customer was asked to add it"),
            ("text", message),
        ],
        &agent,
    )
    .await;
    assert!(escalated.body.contains("已將 kgi_vip888 送交資安團隊"), "{}", escalated.body);
    let queue = store::escalation::queue(&site.state.db, 10).await.unwrap();
    assert_eq!(queue.len(), 1);
    let id = queue[0].id;
    let decided = site
        .send(same_site_post(
            &format!("/console/escalations/{id}/decide"),
            &[("decision", "accepted"), ("note", "fake")],
            Some(&analyst),
        ))
        .await;
    assert_eq!(decided.status, StatusCode::SEE_OTHER, "{}", decided.body);
    let again = site
        .send(same_site_post(
            &format!("/console/escalations/{id}/decide"),
            &[("decision", "rejected")],
            Some(&analyst),
        ))
        .await;
    assert_eq!(again.status, StatusCode::CONFLICT, "decided once");
    let status = site.send(get_with("/console/status", Some(&agent))).await;
    assert!(status.body.contains(r#""status":"accepted""#), "{}", status.body);
    let mine = site.send(get_with("/console", Some(&agent))).await;
    assert!(mine.body.contains(r#"data-status="accepted""#), "{}", mine.body);
    assert!(matches!(
        store::audit::verify(&site.state.db).await.unwrap(),
        store::audit::Verdict::Intact { .. }
    ));
}

#[tokio::test]
async fn an_agent_cannot_escalate_an_official_address_or_something_not_found() {
    let site = spawn_site().await;
    let agent = new_staff(&site, "mei", &[Role::Agent]).await;
    for (kind, value) in [("host", "www.kgi.com.tw"), ("host", "not a host at all"), ("bogus", "kgi357.com")]
    {
        let answer = site
            .send(same_site_post("/console/escalations", &[("kind", kind), ("value", value)], Some(&agent)))
            .await;
        assert_eq!(answer.status, StatusCode::UNPROCESSABLE_ENTITY, "{kind} {value}");
    }
    assert!(store::escalation::queue(&site.state.db, 10).await.unwrap().is_empty());
}

/// The command line: an account made with `server user add`, then someone with the
/// database's keys edits the audit log; `server audit verify` names the edited entry.
#[tokio::test]
async fn server_audit_verify_names_an_entry_edited_behind_the_logs_back() {
    let dir = tempfile::tempdir().unwrap();
    let url = store::testing::fresh_url(dir.path()).await.unwrap();
    let server = |args: &[&str]| {
        std::process::Command::new(env!("CARGO_BIN_EXE_server"))
            .args(args)
            .env("DATABASE_URL", &url)
            .env("RUST_LOG", "warn")
            .output()
            .unwrap()
    };
    let added = server(&["user", "add", "mei", "--role", "agent", "--role", "analyst"]);
    assert!(added.status.success(), "{}", String::from_utf8_lossy(&added.stderr));
    let printed = String::from_utf8_lossy(&added.stdout);
    assert!(printed.contains("one-time password"), "{printed}");
    let refused = server(&["user", "add", "mei", "--role", "agent"]);
    assert!(!refused.status.success(), "a second account of the same name");
    let intact = server(&["audit", "verify"]);
    assert!(intact.status.success() && String::from_utf8_lossy(&intact.stdout).contains("1 entries"));
    let db = store::open(&url).await.unwrap();
    let unguard = match store::Backend::of(&db) {
        store::Backend::Sqlite => "DROP TRIGGER audit_log_no_update",
        store::Backend::Postgres => "DROP TRIGGER audit_log_no_change ON audit_log",
    };
    sqlx::query(unguard).execute(&db).await.unwrap();
    sqlx::query("UPDATE audit_log SET after = 'login=mei roles=admin'").execute(&db).await.unwrap();
    let broken = server(&["audit", "verify"]);
    assert!(!broken.status.success());
    let said = String::from_utf8_lossy(&broken.stderr);
    assert!(said.contains("broken at entry 1") && said.contains("changed"), "{said}");
}

/// Reads the event stream until an event contains `needle` (or `within` passes).

#[tokio::test]
async fn an_agents_event_stream_brings_an_analysts_decision_without_a_reload() {
    use tower::ServiceExt;
    let site = spawn_site().await;
    let agent = new_staff(&site, "mei", &[Role::Agent]).await;
    let analyst = new_staff(&site, "ana", &[Role::Analyst]).await;
    site.send(same_site_post(
        "/console/escalations",
        &[("kind", "host"), ("value", "kgi-app.top")],
        Some(&agent),
    ))
    .await;
    let id = store::escalation::queue(&site.state.db, 10).await.unwrap()[0].id;
    let response = site.router.clone().oneshot(get_with("/console/events", Some(&agent))).await.unwrap();
    assert_eq!(response.status(), StatusCode::OK);
    assert!(response.headers()[header::CONTENT_TYPE].to_str().unwrap().starts_with("text/event-stream"));
    let mut body = response.into_body();
    let first = next_event_with(&mut body, "queued", std::time::Duration::from_secs(5)).await;
    assert!(first.is_some_and(|e| e.contains(&format!(r#""id":{id}"#))), "the state at once");
    site.send(same_site_post(
        &format!("/console/escalations/{id}/decide"),
        &[("decision", "accepted")],
        Some(&analyst),
    ))
    .await;
    let news = next_event_with(&mut body, "accepted", std::time::Duration::from_secs(5)).await;
    assert!(news.is_some(), "the decision arrives within the poll");
    // Signed out elsewhere: the stream ends.
    site.send(same_site_post("/staff/sign-out", &[], Some(&agent))).await;
    let ended = tokio::time::timeout(std::time::Duration::from_secs(5), async {
        use http_body_util::BodyExt;
        while let Some(Ok(_)) = body.frame().await {}
    })
    .await;
    assert!(ended.is_ok(), "the stream ends with the session");
    let anonymous = site.get("/console/events").await;
    assert_eq!(anonymous.header("location"), "/staff/sign-in");
}

#[tokio::test]
async fn an_admin_creates_changes_disables_and_resets_accounts_and_every_change_is_audited() {
    let site = spawn_site().await;
    let admin = new_staff(&site, "boss", &[Role::Admin]).await;
    let created = site
        .send(same_site_post(
            "/console/users",
            &[("login", "Kai"), ("display_name", "Kai Lin"), ("agent", "on")],
            Some(&admin),
        ))
        .await;
    assert_eq!(created.status, StatusCode::OK, "{}", created.body);
    assert!(created.body.contains("one-time-password"), "the password, shown once");
    let kai = store::staff::credentials(&site.state.db, "kai").await.unwrap().unwrap().user;
    assert_eq!(kai.roles, vec![Role::Agent]);
    let taken =
        site.send(same_site_post("/console/users", &[("login", "kai"), ("agent", "on")], Some(&admin))).await;
    assert_eq!(taken.status, StatusCode::CONFLICT);
    let no_role = site.send(same_site_post("/console/users", &[("login", "lee")], Some(&admin))).await;
    assert_eq!(no_role.status, StatusCode::UNPROCESSABLE_ENTITY);

    let roles = site
        .send(same_site_post(
            &format!("/console/users/{}/roles", kai.id),
            &[("agent", "on"), ("analyst", "on")],
            Some(&admin),
        ))
        .await;
    assert_eq!(roles.status, StatusCode::SEE_OTHER, "done: the list by GET");
    let listed = site.send(get_with(roles.header("location"), Some(&admin))).await;
    assert!(listed.body.contains("kai"), "{}", listed.body);
    assert_eq!(
        store::staff::user(&site.state.db, kai.id).await.unwrap().unwrap().roles,
        vec![Role::Agent, Role::Analyst]
    );

    // Kai signs in; the admin disables the account: Kai's session ends at once.
    let kai_cookie = {
        let id = kai.id;
        store::staff::set_password(
            &site.state.db,
            id,
            &server::staff::password::hash(NEW_PASSWORD).unwrap(),
            false,
        )
        .await
        .unwrap();
        let half = site
            .send(same_site_post("/staff/sign-in", &[("login", "kai"), ("password", NEW_PASSWORD)], None))
            .await;
        let half = cookie_of(&half).unwrap();
        site.send(get_with("/staff/second-factor", Some(&half))).await;
        let code = code_for(&site, "kai", now()).await;
        cookie_of(&site.send(same_site_post("/staff/second-factor", &[("code", &code)], Some(&half))).await)
            .unwrap()
    };
    assert_eq!(site.send(get_with("/console", Some(&kai_cookie))).await.status, StatusCode::OK);
    site.send(same_site_post(&format!("/console/users/{}/disable", kai.id), &[], Some(&admin))).await;
    assert_eq!(site.send(get_with("/console", Some(&kai_cookie))).await.header("location"), "/staff/sign-in");
    site.send(same_site_post(&format!("/console/users/{}/enable", kai.id), &[], Some(&admin))).await;
    let reset =
        site.send(same_site_post(&format!("/console/users/{}/reset", kai.id), &[], Some(&admin))).await;
    assert!(reset.body.contains("one-time-password"));
    let after = store::staff::credentials(&site.state.db, "kai").await.unwrap().unwrap();
    assert!(after.user.must_change_password && !after.user.totp_confirmed && after.totp_secret.is_none());

    // An admin cannot lock themselves out.
    let boss = store::staff::credentials(&site.state.db, "boss").await.unwrap().unwrap().user;
    let myself =
        site.send(same_site_post(&format!("/console/users/{}/disable", boss.id), &[], Some(&admin))).await;
    assert_eq!(myself.status, StatusCode::UNPROCESSABLE_ENTITY);
    let demote = site
        .send(same_site_post(&format!("/console/users/{}/roles", boss.id), &[("agent", "on")], Some(&admin)))
        .await;
    assert_eq!(demote.status, StatusCode::UNPROCESSABLE_ENTITY);

    let log = store::audit::search(&site.state.db, &Default::default(), 50).await.unwrap();
    let actions: Vec<&str> = log.iter().map(|e| e.action.as_str()).collect();
    for action in ["user_create", "user_roles", "user_disable", "user_enable", "user_reset"] {
        assert!(actions.contains(&action), "{action} in {actions:?}");
    }
    let roles_entry = log.iter().find(|e| e.action == "user_roles").unwrap();
    assert_eq!((roles_entry.before.as_str(), roles_entry.after.as_str()), ("agent", "agent,analyst"));
    assert!(log.iter().all(|e| !e.after.contains(NEW_PASSWORD)));
}

#[tokio::test]
async fn the_console_offers_the_reply_scripts_for_the_verdict_filled_in_and_admins_edit_them() {
    let site = spawn_site().await;
    let agent = new_staff(&site, "mei", &[Role::Agent]).await;
    let admin = new_staff(&site, "boss", &[Role::Admin]).await;
    let checked = site
        .send(same_site_post(
            "/console/check",
            &[("text", "https://kkpp.kgi357.com/index/login")],
            Some(&agent),
        ))
        .await;
    assert!(checked.body.contains("這個網址 kgi357[.]com 是冒用凱基證券的假網站"), "{}", checked.body);
    assert!(!checked.body.contains("{domain}") && !checked.body.contains("{firm}"));
    let listed = site.send(get_with("/console/scripts?q=165", Some(&agent))).await;
    assert_eq!(listed.status, StatusCode::OK);
    assert!(listed.body.contains("165") && !listed.body.contains("script-editor"), "agents read, never edit");

    let fields = [
        ("verdict", "unknown"),
        ("situation_zh", "客戶問能不能下載 App"),
        ("situation_en", "The customer asks about an app"),
        ("body_zh", "請只從官方商店下載{firm}的 App。"),
        ("body_en", "Only download the {firm} app from the official store."),
    ];
    let added = site.send(same_site_post("/console/scripts/new", &fields, Some(&admin))).await;
    assert_eq!(added.header("location"), "/console/scripts", "{}", added.body);
    let found = store::script::all(&site.state.db, "官方商店").await.unwrap();
    assert_eq!(found.len(), 1);
    assert_eq!(found[0].updated_by, "boss");
    let empty = site
        .send(same_site_post(
            &format!("/console/scripts/{}/edit", found[0].id),
            &[("verdict", "unknown")],
            Some(&admin),
        ))
        .await;
    assert_eq!(empty.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(
        store::script::get(&site.state.db, found[0].id).await.unwrap().unwrap().body_zh,
        "請只從官方商店下載{firm}的 App。",
        "nothing lost"
    );
    let log = store::audit::search(
        &site.state.db,
        &store::audit::Filter { action: "script_edit".into(), ..Default::default() },
        5,
    )
    .await
    .unwrap();
    assert_eq!(log.len(), 1);
}

#[tokio::test]
async fn the_today_panel_shows_what_the_public_checked_most_and_the_newest_bulletins() {
    let site = spawn_site().await;
    let agent = new_staff(&site, "mei", &[Role::Agent]).await;
    for _ in 0..3 {
        site.post_text("/", "https://kkpp.kgi357.com/index/login").await;
    }
    site.post_text("/", "https://never-listed-anywhere.example/").await;
    site.state.tally.flush(&site.state.db).await.unwrap();
    let console = site.send(get_with("/console", Some(&agent))).await;
    assert!(console.body.contains("今日概況"), "{}", console.body);
    assert!(
        console.body.contains("kkpp[.]kgi357[.]com") && console.body.contains("查詢 3 次"),
        "{}",
        console.body
    );
    assert!(!console.body.contains("never-listed-anywhere"), "an unknown host is never named");
    let newest =
        store::bulletin::latest(&site.state.db, store::bulletin::Language::Chinese, 1).await.unwrap();
    assert!(console.body.contains(&format!("/bulletins/{}", newest[0].slug)));
}

#[tokio::test]
async fn the_staff_pages_speak_english_to_who_chose_it() {
    let site = spawn_site().await;
    let page = site.get_in_english("/staff/sign-in").await;
    assert!(page.body.contains("Staff sign-in") && page.body.contains("Sign-in name"), "{}", page.body);
    let agent = new_staff(&site, "mei", &[Role::Agent]).await;
    let console = site.send(get_with("/console", Some(&format!("{agent}; lang=en")))).await;
    assert!(
        console.body.contains("Agent console") && console.body.contains("My escalations"),
        "{}",
        console.body
    );
}
