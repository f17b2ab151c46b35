//! Bulletin publishing as publishers, the other roles and attackers meet it: a publisher
//! drafts, previews (nothing saved), saves and publishes, and readers see it on the list and
//! in the feed; unpublishing takes it away; a scheduled bulletin goes out when the scheduler
//! finds it due; an editor opened on an older text gets a conflict and keeps what was typed;
//! with the setting on a second publisher approves; nobody else reaches any publishing path,
//! nor any site's page posts to one; too long a text is refused without losing anything; a
//! hostile text previewed puts no script into the page.

// Test helpers: a failure here is a broken test set-up, said at once.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod support;

use axum::http::{header, StatusCode};
use store::bulletin::publishing;
use store::staff::Role;
use support::staff::{get_with, new_staff, post_and_follow, same_site_post};
use support::{form_request, spawn_site, Answer, TestSite};

/// Creates a draft through the page; returns its id.
async fn draft(site: &TestSite, cookie: &str, fields: &[(&str, &str)]) -> i64 {
    let created = site.send(same_site_post("/console/bulletins/new", fields, Some(cookie))).await;
    assert_eq!(created.status, StatusCode::SEE_OTHER, "{}", created.body);
    let location = created.header("location").to_owned();
    let id = location
        .strip_prefix("/console/bulletins/")
        .and_then(|rest| rest.split('?').next())
        .and_then(|id| id.parse().ok())
        .unwrap_or_else(|| panic!("the editor's address: {location}"));
    assert!(location.ends_with("?done=created"), "{location}");
    id
}

async fn head(site: &TestSite, id: i64) -> i64 {
    publishing::get(&site.state.db, id).await.unwrap().expect("bulletin").head.id
}

async fn revision_count(site: &TestSite, id: i64) -> usize {
    publishing::revisions(&site.state.db, id).await.unwrap().len()
}

/// An editor's action as a browser sends it, and the page it answers with: the editor (or
/// the revisions) by GET after a 303 when it did what it was asked, else its page at once.
async fn act(site: &TestSite, cookie: &str, id: i64, action: &str, fields: &[(&str, &str)]) -> Answer {
    post_and_follow(site, &format!("/console/bulletins/{id}/{action}"), fields, cookie).await.1
}

/// A bulletin the tests write, with words no demo bulletin has.
const TITLE: &str = "假冒本公司網站提醒測試";
const SLUG: &str = "fake-site-warning-test";

#[tokio::test]
async fn a_publisher_drafts_previews_saves_and_publishes_and_readers_see_it_until_it_is_unpublished() {
    let site = spawn_site().await;
    let pat = new_staff(&site, "pat", &[Role::Publisher]).await;
    let list = site.send(get_with("/console/bulletins", Some(&pat))).await;
    assert_eq!(list.status, StatusCode::OK, "{}", list.body);
    assert!(list.body.contains(r#"action="/console/bulletins/new""#), "the new-bulletin form");
    assert!(!list.body.contains("/console/bulletins/settings"), "the setting is the admins'");

    let id = draft(
        &site,
        &pat,
        &[
            ("slug", SLUG),
            ("language", "zh-TW"),
            ("category", "alert"),
            ("title", "草稿標題"),
            ("body", "第一版內文"),
            ("listed", ""),
        ],
    )
    .await;
    let editor = site.send(get_with(&format!("/console/bulletins/{id}?done=created"), Some(&pat))).await;
    assert_eq!(editor.status, StatusCode::OK, "{}", editor.body);
    assert!(editor.body.contains("草稿已建立"), "{}", editor.body);
    assert!(editor.body.contains(r#"class="bulletin-article""#), "the public component as the preview");
    assert!(editor.body.contains("第一版內文"));
    assert!(site.get(&format!("/bulletins/{SLUG}")).await.status != StatusCode::OK, "a draft is not public");

    let opened = head(&site, id).await.to_string();
    let previewed = act(
        &site,
        &pat,
        id,
        "preview",
        &[
            ("title", TITLE),
            ("body", "## 請認明官方網址\n\n**切勿**點擊簡訊連結。"),
            ("listed", ""),
            ("opened_head", &opened),
        ],
    )
    .await;
    assert_eq!(previewed.status, StatusCode::OK, "{}", previewed.body);
    assert!(
        previewed.body.contains("<strong>切勿</strong>"),
        "rendered as readers would see it: {}",
        previewed.body
    );
    assert!(previewed.body.contains("尚未儲存"), "it says the preview is not saved");
    assert_eq!(revision_count(&site, id).await, 1, "a preview saves nothing");

    let fragment = act(
        &site,
        &pat,
        id,
        "preview-fragment",
        &[("title", TITLE), ("body", "**即時**預覽"), ("listed", "")],
    )
    .await;
    assert_eq!(fragment.status, StatusCode::OK, "{}", fragment.body);
    assert!(fragment.header("content-type").starts_with("text/html"));
    assert!(
        fragment.body.contains(r#"class="bulletin-article""#)
            && fragment.body.contains("<strong>即時</strong>")
    );
    assert!(!fragment.body.contains("<html"), "only the article");
    assert_eq!(revision_count(&site, id).await, 1, "a live preview saves nothing");

    let saved = act(
        &site,
        &pat,
        id,
        "save",
        &[
            ("title", TITLE),
            ("body", "## 請認明官方網址\n\n**切勿**點擊簡訊連結。"),
            ("listed", ""),
            ("opened_head", &opened),
        ],
    )
    .await;
    assert_eq!(saved.status, StatusCode::OK, "{}", saved.body);
    assert!(saved.body.contains("已儲存"), "{}", saved.body);
    assert_eq!(revision_count(&site, id).await, 2);

    let published = act(&site, &pat, id, "publish", &[]).await;
    assert_eq!(published.status, StatusCode::OK, "{}", published.body);
    assert!(published.body.contains("已發布"), "{}", published.body);
    let public = site.get("/bulletins").await;
    assert!(public.body.contains(TITLE), "on the public list at once");
    let page = site.get(&format!("/bulletins/{SLUG}")).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.contains("<strong>切勿</strong>"));
    let feed = site.get("/feed.atom").await;
    assert!(feed.body.contains(TITLE), "in the feed: {}", feed.body);

    let pinned = act(&site, &pat, id, "pin", &[("pinned", "on")]).await;
    assert_eq!(pinned.status, StatusCode::OK, "{}", pinned.body);
    assert!(publishing::get(&site.state.db, id).await.unwrap().unwrap().pinned);

    let again = act(&site, &pat, id, "publish", &[]).await;
    assert_eq!(again.status, StatusCode::UNPROCESSABLE_ENTITY, "nothing new to publish");
    assert!(again.body.contains("there is no change to publish"), "{}", again.body);

    let unpublished = act(&site, &pat, id, "unpublish", &[]).await;
    assert_eq!(unpublished.status, StatusCode::OK, "{}", unpublished.body);
    assert!(!site.get("/bulletins").await.body.contains(TITLE), "off the public list");
    assert!(!site.get("/feed.atom").await.body.contains(TITLE), "out of the feed");
    assert_ne!(site.get(&format!("/bulletins/{SLUG}")).await.status, StatusCode::OK);

    let listed = site.send(get_with("/console/bulletins?status=unpublished", Some(&pat))).await;
    assert!(listed.body.contains(TITLE), "the filter finds it");
    let drafts = site.send(get_with("/console/bulletins?status=draft", Some(&pat))).await;
    assert!(!drafts.body.contains(TITLE), "and only where it belongs");
}

#[tokio::test]
async fn a_scheduled_bulletin_goes_out_when_the_scheduler_finds_it_due() {
    let site = spawn_site().await;
    let pat = new_staff(&site, "pat", &[Role::Publisher]).await;
    let id =
        draft(&site, &pat, &[("slug", SLUG), ("title", TITLE), ("body", "排程內文"), ("category", "notice")])
            .await;
    let in_two_hours = time::OffsetDateTime::now_utc() + time::Duration::hours(2);
    let taipei = in_two_hours.to_offset(time::UtcOffset::from_hms(8, 0, 0).unwrap());
    let at = format!(
        "{:04}-{:02}-{:02}T{:02}:{:02}",
        taipei.year(),
        u8::from(taipei.month()),
        taipei.day(),
        taipei.hour(),
        taipei.minute()
    );
    let past = act(&site, &pat, id, "schedule", &[("at", "2020-01-01T09:00")]).await;
    assert_eq!(past.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(past.body.contains("the time to publish has passed"), "{}", past.body);
    assert!(past.body.contains(r#"value="2020-01-01T09:00""#), "the time typed comes back");
    let nonsense = act(&site, &pat, id, "schedule", &[("at", "tomorrow")]).await;
    assert_eq!(nonsense.status, StatusCode::UNPROCESSABLE_ENTITY);

    let scheduled = act(&site, &pat, id, "schedule", &[("at", &at)]).await;
    assert_eq!(scheduled.status, StatusCode::OK, "{}", scheduled.body);
    assert!(scheduled.body.contains("已排程"), "{}", scheduled.body);
    assert!(scheduled.body.contains(&at.replace('T', " ")), "the time, in Taiwan time: {}", scheduled.body);
    assert!(scheduled.body.contains("台灣時間"), "the time zone said plainly");
    assert!(!site.get("/bulletins").await.body.contains(TITLE), "not before its time");

    let early = publishing::publish_due(&site.state.db, time::OffsetDateTime::now_utc()).await.unwrap();
    assert_eq!(early, Some(vec![]));
    let due =
        publishing::publish_due(&site.state.db, in_two_hours + time::Duration::minutes(1)).await.unwrap();
    assert_eq!(due, Some(vec![SLUG.to_owned()]));
    assert!(site.get("/bulletins").await.body.contains(TITLE), "published on schedule");
    assert!(site.get("/feed.atom").await.body.contains(TITLE));
}

#[tokio::test]
async fn an_editor_opened_on_an_older_text_gets_a_conflict_and_keeps_what_was_typed() {
    let site = spawn_site().await;
    let pat = new_staff(&site, "pat", &[Role::Publisher]).await;
    let quinn = new_staff(&site, "quinn", &[Role::Publisher]).await;
    let id = draft(&site, &pat, &[("title", TITLE), ("body", "原本的內文")]).await;
    let opened = head(&site, id).await.to_string();
    let first =
        act(&site, &quinn, id, "save", &[("title", TITLE), ("body", "小昆的修改"), ("opened_head", &opened)])
            .await;
    assert_eq!(first.status, StatusCode::OK, "{}", first.body);

    let stale = act(
        &site,
        &pat,
        id,
        "save",
        &[("title", TITLE), ("body", "小派打了很久的字"), ("opened_head", &opened)],
    )
    .await;
    assert_eq!(stale.status, StatusCode::CONFLICT, "{}", stale.body);
    assert!(stale.body.contains("小派打了很久的字"), "the text typed comes back");
    assert!(stale.body.contains("小昆的修改"), "beside what was saved meanwhile");
    assert!(stale.body.contains("someone else saved this bulletin"), "{}", stale.body);
    let stored = publishing::get(&site.state.db, id).await.unwrap().unwrap();
    assert_eq!(stored.head.body, "小昆的修改", "nothing overwritten");

    // The form now carries the head it showed: saving again is a choice made knowingly.
    let newest = stored.head.id.to_string();
    assert!(stale.body.contains(&format!(r#"name="opened_head" value="{newest}""#)), "{}", stale.body);
}

#[tokio::test]
async fn with_the_setting_on_a_second_publisher_approves_and_the_first_cannot_approve_their_own() {
    let site = spawn_site().await;
    let ada = new_staff(&site, "ada", &[Role::Admin]).await;
    let pat = new_staff(&site, "pat", &[Role::Publisher]).await;
    let quinn = new_staff(&site, "quinn", &[Role::Publisher]).await;
    let on = site
        .send(same_site_post("/console/bulletins/settings", &[("second_approval", "on")], Some(&ada)))
        .await;
    assert_eq!(on.status, StatusCode::SEE_OTHER, "{}", on.body);
    assert!(publishing::second_approval(&site.state.db).await.unwrap());
    let by_publisher = site
        .send(same_site_post("/console/bulletins/settings", &[("second_approval", "off")], Some(&pat)))
        .await;
    assert_eq!(by_publisher.status, StatusCode::FORBIDDEN, "the setting is the admins'");

    let id = draft(&site, &pat, &[("slug", SLUG), ("title", TITLE), ("body", "需要核准")]).await;
    let editor = site.send(get_with(&format!("/console/bulletins/{id}"), Some(&pat))).await;
    assert!(editor.body.contains("等待另一位發布者核准"), "what publishing will do: {}", editor.body);
    let asked = act(&site, &pat, id, "publish", &[]).await;
    assert_eq!(asked.status, StatusCode::OK, "{}", asked.body);
    assert!(asked.body.contains("已送出申請"), "{}", asked.body);
    assert!(!site.get("/bulletins").await.body.contains(TITLE), "not before approval");
    let list = site.send(get_with("/console/bulletins", Some(&quinn))).await;
    assert!(list.body.contains("等待第二位發布者核准") && list.body.contains("pat"), "{}", list.body);

    let own = act(&site, &pat, id, "decide", &[("decision", "approve")]).await;
    assert_eq!(own.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", own.body);
    assert!(own.body.contains("you asked for it yourself"));
    let approved = act(&site, &quinn, id, "decide", &[("decision", "approve"), ("note", "內容正確")]).await;
    assert_eq!(approved.status, StatusCode::OK, "{}", approved.body);
    assert!(site.get("/bulletins").await.body.contains(TITLE), "published on approval");
}

#[tokio::test]
async fn an_incident_gets_updates_and_one_written_after_the_fact_is_marked() {
    let site = spawn_site().await;
    let pat = new_staff(&site, "pat", &[Role::Publisher]).await;
    let id =
        draft(&site, &pat, &[("title", "系統異常通報"), ("body", "調查中"), ("category", "incident")]).await;
    let earlier = time::OffsetDateTime::now_utc().to_offset(time::UtcOffset::from_hms(8, 0, 0).unwrap())
        - time::Duration::hours(3);
    let at = format!(
        "{:04}-{:02}-{:02} {:02}:{:02}",
        earlier.year(),
        u8::from(earlier.month()),
        earlier.day(),
        earlier.hour(),
        earlier.minute()
    );
    let added =
        act(&site, &pat, id, "incident", &[("state", "identified"), ("text", "已找到原因"), ("at", &at)])
            .await;
    assert_eq!(added.status, StatusCode::OK, "{}", added.body);
    assert!(added.body.contains("已找到原因") && added.body.contains("事後補記"), "{}", added.body);
    let empty = act(&site, &pat, id, "incident", &[("state", "resolved"), ("text", " "), ("at", "")]).await;
    assert_eq!(empty.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(empty.body.contains("an update needs a few words"));
}

#[tokio::test]
async fn a_revision_compares_beside_the_newest_and_restores_as_a_new_one() {
    let site = spawn_site().await;
    let pat = new_staff(&site, "pat", &[Role::Publisher]).await;
    let id = draft(&site, &pat, &[("title", TITLE), ("body", "第一行\n舊的第二行")]).await;
    let first = head(&site, id).await;
    let saved = act(
        &site,
        &pat,
        id,
        "save",
        &[("title", TITLE), ("body", "第一行\n新的第二行"), ("opened_head", &first.to_string())],
    )
    .await;
    assert_eq!(saved.status, StatusCode::OK);
    let compared =
        site.send(get_with(&format!("/console/bulletins/{id}/revisions?compare={first}"), Some(&pat))).await;
    assert_eq!(compared.status, StatusCode::OK, "{}", compared.body);
    assert!(
        compared.body.contains(r#"class="diff-changed""#) && compared.body.contains("舊的第二行"),
        "{}",
        compared.body
    );
    let newest = head(&site, id).await;
    let stale = act(
        &site,
        &pat,
        id,
        "restore",
        &[("revision", &first.to_string()), ("opened_head", &first.to_string())],
    )
    .await;
    assert_eq!(stale.status, StatusCode::CONFLICT);
    let restored = act(
        &site,
        &pat,
        id,
        "restore",
        &[("revision", &first.to_string()), ("opened_head", &newest.to_string())],
    )
    .await;
    assert_eq!(restored.status, StatusCode::OK, "{}", restored.body);
    let stored = publishing::get(&site.state.db, id).await.unwrap().unwrap();
    assert_eq!((stored.head.body.as_str(), stored.head.restored_from), ("第一行\n舊的第二行", Some(first)));
}

#[tokio::test]
async fn a_publisher_starts_from_a_template_and_an_admin_edits_it() {
    let site = spawn_site().await;
    let ada = new_staff(&site, "ada", &[Role::Admin]).await;
    let pat = new_staff(&site, "pat", &[Role::Publisher]).await;
    let added = site
        .send(same_site_post(
            "/console/bulletins/templates",
            &[
                ("name", "新假網站"),
                ("category", "alert"),
                ("language", "zh-TW"),
                ("title", "【重要提醒】假網站 {{fake_host}}"),
                ("body", "請勿登入 {{fake_host}}。"),
            ],
            Some(&ada),
        ))
        .await;
    assert_eq!(added.status, StatusCode::SEE_OTHER, "{}", added.body);
    let by_publisher = site
        .send(same_site_post("/console/bulletins/templates", &[("name", "x"), ("title", "x")], Some(&pat)))
        .await;
    assert_eq!(by_publisher.status, StatusCode::FORBIDDEN, "publishers use templates, admins edit them");
    let templates = store::bulletin::template::all(&site.state.db).await.unwrap();
    let made = templates.iter().find(|t| t.name == "新假網站").expect("saved");

    let form = site.send(get_with(&format!("/console/bulletins?template={}", made.id), Some(&pat))).await;
    assert!(form.body.contains(r#"name="ph_fake_host""#), "an input for each placeholder: {}", form.body);
    let template_id = made.id.to_string();
    let id = draft(
        &site,
        &pat,
        &[
            ("template", &template_id),
            ("ph_fake_host", "kgi-login.example"),
            ("title", &made.title),
            ("body", &made.body),
            ("category", "alert"),
            ("language", "zh-TW"),
        ],
    )
    .await;
    let stored = publishing::get(&site.state.db, id).await.unwrap().unwrap();
    assert_eq!(stored.head.title, "【重要提醒】假網站 kgi-login.example");
    assert_eq!(stored.head.body, "請勿登入 kgi-login.example。");
}

/// Every publishing path, as each role that may not, and as a signed-out visitor.
#[tokio::test]
async fn nobody_but_a_publisher_reaches_a_bulletin_and_only_admins_change_the_setting() {
    let site = spawn_site().await;
    let pat = new_staff(&site, "pat", &[Role::Publisher]).await;
    let id = draft(&site, &pat, &[("title", TITLE), ("body", "x")]).await;
    let agent = new_staff(&site, "mei", &[Role::Agent]).await;
    let analyst = new_staff(&site, "ana", &[Role::Analyst]).await;
    let admin = new_staff(&site, "ada", &[Role::Admin]).await;
    let b = format!("/console/bulletins/{id}");
    let paths: Vec<(&str, String, bool)> = vec![
        // (method, path, an admin gets in)
        ("GET", "/console/bulletins".into(), true),
        ("GET", "/console/bulletins/templates".into(), true),
        ("GET", "/console/bulletins/templates/1".into(), true),
        ("POST", "/console/bulletins/templates".into(), true),
        ("POST", "/console/bulletins/settings".into(), true),
        ("POST", "/console/bulletins/new".into(), false),
        ("GET", b.clone(), false),
        ("GET", format!("{b}/revisions"), false),
        ("POST", format!("{b}/save"), false),
        ("POST", format!("{b}/preview"), false),
        ("POST", format!("{b}/preview-fragment"), false),
        ("POST", format!("{b}/publish"), false),
        ("POST", format!("{b}/schedule"), false),
        ("POST", format!("{b}/unpublish"), false),
        ("POST", format!("{b}/pin"), false),
        ("POST", format!("{b}/decide"), false),
        ("POST", format!("{b}/incident"), false),
        ("POST", format!("{b}/restore"), false),
    ];
    for (method, path, admin_in) in &paths {
        for (who, cookie) in [("agent", Some(&agent)), ("analyst", Some(&analyst)), ("anonymous", None)] {
            let request = match *method {
                "GET" => get_with(path, cookie.map(String::as_str)),
                _ => same_site_post(path, &[("title", "越權"), ("body", "越權")], cookie.map(String::as_str)),
            };
            let answer = site.send(request).await;
            let refused = match (who, *method) {
                ("anonymous", "GET") => {
                    answer.status == StatusCode::SEE_OTHER && answer.header("location") == "/staff/sign-in"
                }
                ("anonymous", _) => answer.status == StatusCode::UNAUTHORIZED,
                _ => answer.status == StatusCode::FORBIDDEN,
            };
            assert!(refused, "{who} {method} {path}: {} {}", answer.status, answer.body);
        }
        let request = match *method {
            "GET" => get_with(path, Some(&admin)),
            _ => same_site_post(path, &[("second_approval", "off"), ("name", "")], Some(&admin)),
        };
        let answer = site.send(request).await;
        assert_eq!(
            answer.status != StatusCode::FORBIDDEN,
            *admin_in,
            "admin {method} {path}: {}",
            answer.status
        );
    }
    let stored = publishing::get(&site.state.db, id).await.unwrap().unwrap();
    assert_eq!((stored.head.title.as_str(), revision_count(&site, id).await), (TITLE, 1), "nothing changed");
}

#[tokio::test]
async fn a_post_from_another_site_is_refused_even_with_a_publishers_session() {
    let site = spawn_site().await;
    let pat = new_staff(&site, "pat", &[Role::Publisher]).await;
    let id = draft(&site, &pat, &[("title", TITLE), ("body", "x")]).await;
    for path in ["/console/bulletins/new".to_owned(), format!("/console/bulletins/{id}/publish")] {
        let mut forged = form_request(&path, &[("title", "偽造"), ("body", "偽造")]);
        forged.headers_mut().insert(header::COOKIE, pat.parse().unwrap());
        forged.headers_mut().insert("sec-fetch-site", "cross-site".parse().unwrap());
        assert_eq!(site.send(forged).await.status, StatusCode::FORBIDDEN, "{path}");
    }
    let stored = publishing::get(&site.state.db, id).await.unwrap().unwrap();
    assert_eq!(stored.status, store::bulletin::BulletinStatus::Draft);
    assert_eq!(
        publishing::list(&site.state.db, Default::default(), 100)
            .await
            .unwrap()
            .iter()
            .filter(|l| l.title == "偽造")
            .count(),
        0
    );
}

#[tokio::test]
async fn a_text_of_200_kb_is_refused_plainly_and_loses_nothing() {
    let site = spawn_site().await;
    let pat = new_staff(&site, "pat", &[Role::Publisher]).await;
    let id = draft(&site, &pat, &[("title", TITLE), ("body", "保存好的內文")]).await;
    let opened = head(&site, id).await.to_string();
    // 200 KB: more characters than a bulletin may have.
    let huge = format!("詐騙提醒{}", "a".repeat(200_000));
    let refused =
        act(&site, &pat, id, "save", &[("title", TITLE), ("body", &huge), ("opened_head", &opened)]).await;
    assert_eq!(
        refused.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "{}",
        &refused.body[..500.min(refused.body.len())]
    );
    assert!(refused.body.contains("200004 characters, more than 100000"), "says why");
    assert!(refused.body.contains(&huge), "the text comes back to be shortened");
    let stored = publishing::get(&site.state.db, id).await.unwrap().unwrap();
    assert_eq!((stored.head.body.as_str(), revision_count(&site, id).await), ("保存好的內文", 1));
    let created = site
        .send(same_site_post("/console/bulletins/new", &[("title", "太長"), ("body", &huge)], Some(&pat)))
        .await;
    assert_eq!(created.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(created.body.contains("more than 100000"));
}

/// What no page may carry, whatever a publisher types.
fn assert_no_hostile_markup(page: &str) {
    for bad in [
        "<script>alert",
        "<img src=x onerror",
        "href=\"javascript:",
        "<iframe",
        "<a href=\"#\" onclick",
        "href=\"data:",
    ] {
        if let Some(at) = page.find(bad) {
            let from = page.floor_char_boundary(at.saturating_sub(300));
            panic!("{bad:?} in the page: …{}…", &page[from..page.ceil_char_boundary(at + 100)]);
        }
    }
    // The page's own scripts carry its nonce; nothing else is a script.
    let mut rest = page;
    while let Some(at) = rest.find("<script") {
        let tag_end = rest[at..].find('>').map_or(rest.len(), |e| at + e);
        assert!(rest[at..tag_end].contains("nonce="), "a script without the nonce: {}", &rest[at..tag_end]);
        rest = &rest[tag_end..];
    }
}

#[tokio::test]
async fn a_hostile_text_previewed_puts_no_script_anywhere_in_the_page() {
    let site = spawn_site().await;
    let pat = new_staff(&site, "pat", &[Role::Publisher]).await;
    let id = draft(&site, &pat, &[("title", TITLE), ("body", "x")]).await;
    let hostile = "<script>alert(1)</script>\n\n[點我](javascript:alert(2))\n\n<img src=x onerror=alert(3)>\n\n\
                   <iframe src=\"https://evil.example\"></iframe>\n\n<a href=\"#\" onclick=\"alert(4)\">x</a>\n\n\
                   [圖](data:text/html;base64,PHNjcmlwdD4=)\n\n</textarea><script>alert(5)</script>";
    let opened = head(&site, id).await.to_string();
    let title = "<script>alert(6)</script>標題";
    let previewed = act(
        &site,
        &pat,
        id,
        "preview",
        &[("title", title), ("body", hostile), ("listed", ""), ("opened_head", &opened)],
    )
    .await;
    assert_eq!(previewed.status, StatusCode::OK, "{}", previewed.body);
    assert!(previewed.body.contains(r#"class="bulletin-article""#));
    assert_no_hostile_markup(&previewed.body);
    assert!(!previewed.body.contains("</textarea><script>"), "the text cannot close its box");

    let fragment =
        act(&site, &pat, id, "preview-fragment", &[("title", title), ("body", hostile), ("listed", "")])
            .await;
    assert_eq!(fragment.status, StatusCode::OK);
    assert_no_hostile_markup(&fragment.body);
    assert!(!fragment.body.contains("<script"), "the fragment has no script at all");

    let saved = act(
        &site,
        &pat,
        id,
        "save",
        &[("title", title), ("body", hostile), ("listed", ""), ("opened_head", &opened)],
    )
    .await;
    assert_eq!(saved.status, StatusCode::OK);
    assert_no_hostile_markup(&saved.body);
    assert_no_hostile_markup(
        &site.send(get_with(&format!("/console/bulletins/{id}"), Some(&pat))).await.body,
    );
}
