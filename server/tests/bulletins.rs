//! Bulletins as readers meet them once publishers write them: only published ones anywhere
//! public, a hostile body harmless on the whole page, scheduled ones out on time, open
//! incidents on every page, and `server bulletin add` from the command line.

// A test helper, not a request path: a failure is a broken set-up, said at once.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod support;

use axum::http::StatusCode;
use store::audit::Actor;
use store::bulletin::publishing::{self, Draft, When};
use store::bulletin::{incident, BulletinCategory, IncidentState, Language};
use support::staff::{get_with, new_staff, next_event_with};
use support::{spawn_site, TestSite};
use time::OffsetDateTime;

fn draft(slug: &str, category: BulletinCategory, title: &str, body: &str) -> Draft {
    Draft {
        slug: slug.into(),
        language: Some(Language::Chinese),
        category: Some(category),
        title: title.into(),
        body: body.into(),
        ..Draft::default()
    }
}

async fn write(site: &TestSite, draft: &Draft, publish: bool) -> i64 {
    let now = OffsetDateTime::now_utc();
    let id = publishing::create(&site.state.db, draft, Actor::cli(), now).await.unwrap();
    if publish {
        publishing::publish(&site.state.db, id, When::Now, Actor::cli(), now).await.unwrap();
    }
    id
}

/// Every public place a bulletin can appear, fetched.
async fn public_pages(site: &TestSite, slug: &str) -> Vec<(String, StatusCode, String)> {
    let mut out = Vec::new();
    for path in [
        "/".to_owned(),
        "/bulletins".to_owned(),
        format!("/bulletins/{slug}"),
        "/patterns".to_owned(),
        "/feed.atom".to_owned(),
        "/feed.atom?lang=en".to_owned(),
        "/sitemap.xml".to_owned(),
        "/domain/new.kgi777.com".to_owned(),
    ] {
        let page = site.get(&path).await;
        out.push((path, page.status, page.body));
    }
    out
}

#[tokio::test]
async fn a_draft_is_nowhere_public_and_a_published_bulletin_is_everywhere_at_once() {
    let site = spawn_site().await;
    let body = "假網站 new.kgi777.com，請勿點擊。";
    let id = write(
        &site,
        &draft("new-fake-site", BulletinCategory::Alert, "【重要提醒】新假網站出現", body),
        false,
    )
    .await;

    for (path, status, text) in public_pages(&site, "new-fake-site").await {
        assert!(!text.contains("新假網站出現"), "a draft shows on {path}");
        assert!(!text.contains(r#"href="/bulletins/new-fake-site""#), "a draft is linked from {path}");
        if path == "/bulletins/new-fake-site" {
            assert_eq!(status, StatusCode::NOT_FOUND);
        }
    }
    let server_fn = site.post_form("/api/bulletins/one", &[("slug", "new-fake-site")]).await;
    assert!(
        !server_fn.body.contains("新假網站出現"),
        "nor through the page's server function: {}",
        server_fn.body
    );

    publishing::publish(&site.state.db, id, When::Now, Actor::cli(), OffsetDateTime::now_utc())
        .await
        .unwrap();

    for path in ["/", "/bulletins", "/bulletins/new-fake-site", "/feed.atom"] {
        let page = site.get(path).await;
        assert!(page.body.contains("新假網站出現"), "published, so on {path} at the next request");
    }
    assert!(site.get("/sitemap.xml").await.body.contains("/bulletins/new-fake-site"));

    publishing::unpublish(&site.state.db, id, Actor::cli(), OffsetDateTime::now_utc()).await.unwrap();
    for (path, _, text) in public_pages(&site, "new-fake-site").await {
        assert!(!text.contains("新假網站出現"), "unpublished, yet on {path}");
    }
    assert_eq!(site.get("/bulletins/new-fake-site").await.status, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn a_hostile_body_is_harmless_on_the_whole_page_and_its_markdown_never_reaches_the_browser() {
    let site = spawn_site().await;
    let hostile = "正文 MARKDOWN-SOURCE-MARK **粗體**\n\n\
        <script>alert('x')</script>\n\n\
        </script><script>alert(1)</script>\n\n\
        <img src=x onerror=alert(1)>\n\n\
        [點我](javascript:alert(1)) [資料](data:text/html;base64,PHNjcmlwdD4=)\n\n\
        [https://www.kgi.com.tw](https://kkpp.kgi357.com/index/login)\n\n\
        ![追蹤](https://evil.example/pixel.png)\n\n\
        <div onmouseover=\"alert(1)\"><iframe src=\"https://kgi357.com\"></iframe></div>";
    write(&site, &draft("hostile", BulletinCategory::Notice, "標題 <b>粗</b>", hostile), true).await;

    let page = site.get("/bulletins/hostile").await;
    assert_eq!(page.status, StatusCode::OK);
    let html = &page.body;
    // Every script on the page is the page's own, with its nonce.
    let nonce = page
        .header("content-security-policy")
        .split("'nonce-")
        .nth(1)
        .unwrap()
        .split('\'')
        .next()
        .unwrap()
        .to_owned();
    for script in html.match_indices("<script").map(|(at, _)| &html[at..html.len().min(at + 200)]) {
        assert!(
            script.contains(&format!("nonce=\"{nonce}\"")),
            "a script without the page's nonce: {script}"
        );
    }
    // What the author wrote as HTML is shown as the text it is, never as markup.
    for never in
        ["<img", "<iframe", "<div onmouseover", "href=\"javascript:", "href=\"data:", "src=\"https://evil"]
    {
        assert!(!html.contains(never), "{never} on the page: {html}");
    }
    assert!(html.contains("&lt;script&gt;alert('x')&lt;/script&gt;"), "{html}");
    assert!(!html.contains("evil.example/pixel.png"), "no remote image, not even its address as a link");
    assert!(!html.contains("kkpp.kgi357.com"), "the fake link's target is shown defanged, never tappable");
    assert!(html.contains("kkpp[.]kgi357[.]com"), "{html}");
    assert!(!html.contains("**粗體**"), "the Markdown itself is not on the page, not even in its data");
    assert!(html.contains("<strong>粗體</strong>"));
}

#[tokio::test]
async fn a_scheduled_bulletin_goes_out_at_its_time_from_the_servers_job() {
    let site = spawn_site().await;
    let now = OffsetDateTime::now_utc();
    let id = publishing::create(
        &site.state.db,
        &draft("scheduled-notice", BulletinCategory::Notice, "【服務公告】系統維護", "維護期間暫停服務。"),
        Actor::cli(),
        now,
    )
    .await
    .unwrap();
    publishing::publish(&site.state.db, id, When::At(now + time::Duration::minutes(30)), Actor::cli(), now)
        .await
        .unwrap();
    assert!(server::jobs::publish_due_once(&site.state.db, now + time::Duration::minutes(29))
        .await
        .is_empty());
    assert!(!site.get("/bulletins").await.body.contains("系統維護"));

    let published = server::jobs::publish_due_once(&site.state.db, now + time::Duration::minutes(31)).await;

    assert_eq!(published, ["scheduled-notice"]);
    assert!(site.get("/bulletins").await.body.contains("系統維護"));
    assert!(server::jobs::publish_due_once(&site.state.db, now + time::Duration::minutes(32))
        .await
        .is_empty());
}

#[tokio::test]
async fn an_open_incident_is_a_banner_on_every_public_page_until_it_is_resolved() {
    let site = spawn_site().await;
    let id = write(
        &site,
        &draft("app-login-outage", BulletinCategory::Incident, "【服務狀態】App 無法登入", "我們正在處理。"),
        true,
    )
    .await;
    let now = OffsetDateTime::now_utc();
    incident::append(
        &site.state.db,
        id,
        IncidentState::Identified,
        "找到原因，正在修復。",
        None,
        Actor::cli(),
        now,
    )
    .await
    .unwrap();

    for path in ["/", "/bulletins", "/official", "/help", "/report", "/patterns", "/domain/kgi357.com"] {
        let page = site.get(path).await;
        assert!(page.body.contains(r#"class="incident-banner""#), "no banner on {path}");
        assert!(page.body.contains("App 無法登入") && page.body.contains("找到原因，正在修復。"), "{path}");
    }
    let english = site.get_in_english("/").await;
    assert!(
        english.body.contains(r#"<strong lang="zh-Hant-TW">【服務狀態】App 無法登入</strong>"#),
        "{}",
        english.body
    );
    let timeline = site.get("/bulletins/app-login-outage").await;
    assert!(timeline.body.contains("已找到原因") && timeline.body.contains("事件經過"), "{}", timeline.body);

    incident::append(&site.state.db, id, IncidentState::Resolved, "已恢復正常。", None, Actor::cli(), now)
        .await
        .unwrap();
    assert!(!site.get("/").await.body.contains("incident-banner"), "resolved: no banner");
}

#[tokio::test]
async fn a_bulletin_listing_fake_sites_shows_each_with_its_status_now() {
    let site = spawn_site().await;
    let mut listing =
        draft("listed-sites", BulletinCategory::Alert, "【重要提醒】假網站清單", "以下網站都是假的。");
    listing.listed = "kkpp.kgi357.com".into();
    write(&site, &listing, true).await;
    let page = site.get("/bulletins/listed-sites").await;
    assert!(page.body.contains("這則公告提到的假網站"), "{}", page.body);
    assert!(page.body.contains(r#"<span class="defanged">kkpp[.]kgi357[.]com</span>"#), "{}", page.body);
    assert!(page.body.contains(r#"data-status=""#), "a status is shown: {}", page.body);
}

#[tokio::test]
async fn server_bulletin_add_saves_a_draft_or_publishes_and_refuses_a_bad_file_plainly() {
    let site = spawn_site().await;
    let url = site.database_url();
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("notice.md");
    std::fs::write(&file, "---\ntitle: 【防詐騙公告】CLI 寫的公告\nslug: from-the-cli\ncategory: notice\n---\n\n請小心 **假網站**。\n").unwrap();
    let run = |args: &[&str]| {
        std::process::Command::new(env!("CARGO_BIN_EXE_server"))
            .args(args)
            .env("DATABASE_URL", &url)
            .env("PUBLIC_BASE_URL", "https://check.example.tw")
            .env("RUST_LOG", "warn")
            .output()
            .unwrap()
    };

    let published = run(&["bulletin", "add", file.to_str().unwrap(), "--publish"]);
    let out = String::from_utf8_lossy(&published.stdout);
    assert!(published.status.success(), "{out} {}", String::from_utf8_lossy(&published.stderr));
    assert!(out.contains("published: https://check.example.tw/bulletins/from-the-cli"), "{out}");
    assert!(site.get("/bulletins/from-the-cli").await.body.contains("<strong>假網站</strong>"));

    std::fs::write(&file, "title: no front matter\n").unwrap();
    let refused = run(&["bulletin", "add", file.to_str().unwrap()]);
    assert!(!refused.status.success());
    assert!(String::from_utf8_lossy(&refused.stderr).contains("must start with a front matter"));

    let again = run(&["bulletin", "add", "/no/such/file.md"]);
    assert!(String::from_utf8_lossy(&again.stderr).contains("cannot open /no/such/file.md"));
    let (audited,): (i64,) =
        sqlx::query_as("SELECT count(*) FROM audit_log WHERE actor = 'cli' AND action LIKE 'bulletin_%'")
            .fetch_one(&site.state.db)
            .await
            .unwrap();
    assert_eq!(audited, 2, "created and published, both audited");
}

#[tokio::test]
async fn an_open_agent_console_gets_a_new_bulletin_and_an_incident_update_without_a_reload() {
    use tower::ServiceExt;
    let site = spawn_site().await;
    let agent = new_staff(&site, "mei", &[store::staff::Role::Agent]).await;
    let console = site.send(get_with("/console", Some(&agent))).await;
    assert!(console.body.contains("console-news"), "{}", console.body);
    let response = site.router.clone().oneshot(get_with("/console/news", Some(&agent))).await.unwrap();
    assert_eq!(response.status(), StatusCode::OK);
    let mut body = response.into_body();
    let first = next_event_with(&mut body, "verify-real-website", std::time::Duration::from_secs(5)).await;
    assert!(first.is_some(), "the news at once");

    let id = write(
        &site,
        &draft("outage-now", BulletinCategory::Incident, "【服務狀態】下單變慢", "處理中。"),
        true,
    )
    .await;
    let banner = next_event_with(&mut body, "outage-now", std::time::Duration::from_secs(5)).await;
    assert!(banner.is_some_and(|e| e.contains("investigating")), "the incident arrives within the poll");
    let now = OffsetDateTime::now_utc();
    incident::append(
        &site.state.db,
        id,
        IncidentState::Monitoring,
        "已恢復，觀察中。",
        None,
        Actor::cli(),
        now,
    )
    .await
    .unwrap();
    let update = next_event_with(&mut body, "monitoring", std::time::Duration::from_secs(5)).await;
    assert!(update.is_some_and(|e| e.contains("已恢復，觀察中。")), "and so does its update");

    let stranger = site.get("/console/news").await;
    assert_eq!(stranger.header("location"), "/staff/sign-in", "signed-out visitors get no stream");
}
