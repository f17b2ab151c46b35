//! The security console's takedown database as analysts and admins use it, and as an
//! attacker would try it: importing the vendor's notice through a preview, the public check
//! answering from it, rolling it back, guards that only an admin may pass, a text changed
//! between preview and apply, the firm's own domain in a feed, bulk and campaign status
//! changes (a hosting IP, a name pattern), an import's progress page, and the detector switches.

// Test helpers: a failure here is a broken test set-up, said at once.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod support;

use axum::body::Body;
use axum::http::{header, Request, StatusCode};
use server::config::Config;
use store::staff::Role;
use support::staff::{get_with, new_staff, same_site_post};
use support::{spawn_configured, spawn_site, Answer, TestSite};

const BOUNDARY: &str = "----fraudcheck-test-boundary";

/// The seed notice the firm received from its takedown vendor, with one new site.
const NOTICE: &str = "資安部：\nRSA偵測到以下釣魚網頁，已申請下架。\n\n\
    E7900001 (C7900000) hxxps://kkpp[.]kgi888[.]com/index/login 89.106.207.160\n\
    E7800746 (C7800745) hxxps://kkpp[.]kgi357[.]com/index/login 89.106.207.153\n";

/// A multipart form POST from the site's own page, as the import form sends it.
fn multipart(
    path: &str,
    fields: &[(&str, &str)],
    file: Option<(&str, &[u8])>,
    cookie: &str,
) -> Request<Body> {
    let mut body = Vec::new();
    for (name, value) in fields {
        body.extend_from_slice(
            format!("--{BOUNDARY}\r\nContent-Disposition: form-data; name=\"{name}\"\r\n\r\n{value}\r\n")
                .as_bytes(),
        );
    }
    if let Some((file_name, bytes)) = file {
        body.extend_from_slice(
            format!(
                "--{BOUNDARY}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"{file_name}\"\r\n\
                 Content-Type: application/octet-stream\r\n\r\n"
            )
            .as_bytes(),
        );
        body.extend_from_slice(bytes);
        body.extend_from_slice(b"\r\n");
    }
    body.extend_from_slice(format!("--{BOUNDARY}--\r\n").as_bytes());
    Request::post(path)
        .header(header::CONTENT_TYPE, format!("multipart/form-data; boundary={BOUNDARY}"))
        .header("sec-fetch-site", "same-origin")
        .header(header::COOKIE, cookie)
        .body(Body::from(body))
        .unwrap()
}

/// The value of the hidden field `name` in a page.
fn hidden(page: &str, name: &str) -> String {
    let marker = format!("name=\"{name}\" value=\"");
    let start = page.find(&marker).unwrap_or_else(|| panic!("no hidden {name} in {page}")) + marker.len();
    page[start..].split('"').next().unwrap_or_default().to_owned()
}

/// The previewed text the page carries for the apply.
fn hidden_text(page: &str) -> String {
    let start = page.find("<textarea name=\"text\" hidden>").expect("the text to apply") + 29;
    let end = start + page[start..].find("</textarea>").unwrap();
    page[start..end].replace("&lt;", "<").replace("&gt;", ">").replace("&quot;", "\"").replace("&amp;", "&")
}

/// Previews `text` and applies what the preview shows, as an analyst would.
async fn preview(site: &TestSite, cookie: &str, text: &str) -> Answer {
    let answer = site
        .send(multipart("/console/imports/preview", &[("text", text), ("format", "auto")], None, cookie))
        .await;
    assert_eq!(answer.status, StatusCode::OK, "{}", answer.body);
    answer
}

fn apply_fields(page: &str) -> Vec<(String, String)> {
    let mut fields = vec![("text".to_owned(), hidden_text(page))];
    for name in ["format", "vendor", "origin", "digest", "based_on"] {
        fields.push((name.to_owned(), hidden(page, name)));
    }
    fields
}

async fn apply(site: &TestSite, cookie: &str, fields: &[(String, String)]) -> Answer {
    let fields: Vec<(&str, &str)> = fields.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
    site.send_following(same_site_post("/console/imports/apply", &fields, Some(cookie))).await
}

async fn verdict_of(site: &TestSite, text: &str) -> String {
    site.state.live.reload(&site.state.db).await.unwrap();
    let answer = site.post_json("/api/v1/check", &serde_json::json!({ "text": text }).to_string()).await;
    let json: serde_json::Value = serde_json::from_str(&answer.body).unwrap();
    json["verdict"].as_str().unwrap_or_default().to_owned()
}

#[tokio::test]
async fn an_analyst_imports_the_vendor_notice_the_check_then_answers_fraud_and_an_admin_rolls_it_back() {
    let site = spawn_site().await;
    let analyst = new_staff(&site, "mei", &[Role::Analyst]).await;
    let admin = new_staff(&site, "kai", &[Role::Admin]).await;
    assert_eq!(verdict_of(&site, "https://kkpp.kgi888.com/index/login").await, "suspicious");

    let page = preview(&site, &analyst, NOTICE).await;
    assert!(page.body.contains("預覽（尚未寫入）"), "{}", page.body);
    assert!(page.body.contains("kkpp.kgi888.com"), "the sample of what is added");
    assert!(
        store::versions::current(&site.state.db).await.unwrap().unwrap().version == 1,
        "nothing written yet"
    );

    let applied = apply(&site, &analyst, &apply_fields(&page.body)).await;
    assert_eq!(applied.status, StatusCode::OK, "{}", applied.body);
    let version = store::versions::current(&site.state.db).await.unwrap().unwrap();
    assert_eq!((version.version, version.added, version.actor.as_str()), (2, 1, "mei"));
    assert_eq!(verdict_of(&site, "https://kkpp.kgi888.com/index/login").await, "fraud");

    let versions = site.send(get_with("/console/versions", Some(&analyst))).await;
    assert!(versions.body.contains(&version.checksum[..16]), "the list shows the checksum");
    let refused =
        site.send_following(same_site_post("/console/versions/1/rollback", &[], Some(&analyst))).await;
    assert_eq!(refused.status, StatusCode::FORBIDDEN, "a rollback is for admins");

    let rolled = site.send_following(same_site_post("/console/versions/1/rollback", &[], Some(&admin))).await;
    assert_eq!(rolled.status, StatusCode::OK, "{}", rolled.body);
    let first = store::versions::get(&site.state.db, 1).await.unwrap().unwrap();
    assert!(rolled.body.contains(&first.checksum), "the rollback restores version 1's checksum");
    assert_eq!(
        verdict_of(&site, "https://kkpp.kgi888.com/index/login").await,
        "suspicious",
        "answers as before"
    );
}

#[tokio::test]
async fn an_apply_whose_text_differs_from_the_preview_is_refused_and_writes_nothing() {
    let site = spawn_site().await;
    let analyst = new_staff(&site, "mei", &[Role::Analyst]).await;
    let page = preview(&site, &analyst, NOTICE).await;
    let mut fields = apply_fields(&page.body);
    fields[0].1.push_str("E7999999 (C7999998) hxxps://www[.]kgi[.]com[.]tw/ 1.2.3.4\n");
    let answer = apply(&site, &analyst, &fields).await;
    assert_eq!(answer.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", answer.body);
    assert_eq!(store::versions::current(&site.state.db).await.unwrap().unwrap().version, 1);
}

#[tokio::test]
async fn a_feed_naming_the_firms_own_domain_is_shown_refused_and_a_crafted_apply_cannot_pass() {
    let site = spawn_site().await;
    let admin = new_staff(&site, "kai", &[Role::Admin]).await;
    let feed = "hxxps://login[.]kgi-secure-check[.]com/\nhttps://www.kgi.com.tw/\n";
    let page = preview(&site, &admin, feed).await;
    assert!(page.body.contains("www.kgi.com.tw"), "the refused row is named: {}", page.body);
    assert!(!page.body.contains("/console/imports/apply"), "no apply button");
    // Everything a hand-made apply could send, forced, by an admin.
    let based_on = store::versions::current(&site.state.db).await.unwrap().unwrap().version.to_string();
    let fields = [
        ("text", feed),
        ("format", "auto"),
        ("based_on", based_on.as_str()),
        ("digest", "x"),
        ("force", "on"),
    ];
    let answer = site.send_following(same_site_post("/console/imports/apply", &fields, Some(&admin))).await;
    assert_ne!(answer.status, StatusCode::OK);
    assert_eq!(verdict_of(&site, "https://www.kgi.com.tw/").await, "official");
}

#[tokio::test]
async fn past_a_guard_only_an_admin_may_confirm_an_import() {
    let site = spawn_configured(|config| Config {
        imports: store::import::Limits { guard_min_entries: 5, ..store::import::Limits::default() },
        ..config
    })
    .await;
    let analyst = new_staff(&site, "mei", &[Role::Analyst]).await;
    let admin = new_staff(&site, "kai", &[Role::Admin]).await;
    let list: String = (0..12).map(|i| format!("hxxps://fake{i}[.]kgi-login[.]com/\n")).collect();
    let page = preview(&site, &analyst, &list).await;
    assert!(page.body.contains("從 9 筆變成 21 筆"), "the guard says 9 → 21: {}", page.body);
    assert!(!page.body.contains("name=\"force\""), "an analyst is not offered the override");
    let mut fields = apply_fields(&page.body);
    let refused = apply(&site, &analyst, &fields).await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", refused.body);
    fields.push(("force".into(), "on".into()));
    assert_eq!(apply(&site, &analyst, &fields).await.status, StatusCode::FORBIDDEN);
    assert_eq!(store::versions::current(&site.state.db).await.unwrap().unwrap().version, 1);

    let page = preview(&site, &admin, &list).await;
    assert!(page.body.contains("name=\"force\""), "an admin may confirm");
    let mut fields = apply_fields(&page.body);
    fields.push(("force".into(), "on".into()));
    let forced = apply(&site, &admin, &fields).await;
    assert_eq!(forced.status, StatusCode::OK, "{}", forced.body);
    let version = store::versions::current(&site.state.db).await.unwrap().unwrap();
    assert!(version.forced && version.entries == 21);
}

#[tokio::test]
async fn an_upload_over_the_limit_is_refused_with_its_size_and_nothing_is_written() {
    let site = spawn_configured(|config| Config {
        imports: store::import::Limits { max_bytes: 1_000, ..store::import::Limits::default() },
        ..config
    })
    .await;
    let analyst = new_staff(&site, "mei", &[Role::Analyst]).await;
    let big: String = (0..100).map(|i| format!("hxxps://fake{i}[.]kgi-login[.]com/\n")).collect();
    let answer = site
        .send(multipart(
            "/console/imports/preview",
            &[("format", "list")],
            Some(("big.txt", big.as_bytes())),
            &analyst,
        ))
        .await;
    assert_eq!(answer.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", answer.body);
    assert!(answer.body.contains("1000") || answer.body.contains("1,000"), "{}", answer.body);
    assert_eq!(store::versions::current(&site.state.db).await.unwrap().unwrap().version, 1);
}

#[tokio::test]
async fn an_analyst_finds_entries_moves_a_campaign_to_taken_down_and_each_step_is_signed() {
    let site = spawn_site().await;
    let analyst = new_staff(&site, "mei", &[Role::Analyst]).await;
    let list =
        site.send(get_with("/console/takedowns?q=kkpp.kgi3&sort=target&dir=asc", Some(&analyst))).await;
    assert_eq!(list.status, StatusCode::OK);
    assert!(list.body.contains("kkpp.kgi357.com") && !list.body.contains("kkpp.kgi69.com"), "{}", list.body);

    let campaign = site.send(get_with("/console/takedowns?ip=89.106.207.153", Some(&analyst))).await;
    assert!(campaign.body.contains("campaign_ip"), "a campaign on one IP can be changed at once");
    let moved = site
        .send_following(same_site_post(
            "/console/takedowns/status",
            &[("campaign_ip", "89.106.207.153"), ("status", "taken_down"), ("note", "RSA confirmed")],
            Some(&analyst),
        ))
        .await;
    assert_eq!(moved.status, StatusCode::OK, "{}", moved.body);
    let (taken,): (i64,) =
        sqlx::query_as("SELECT count(*) FROM takedown_entries WHERE status = 'taken_down'")
            .fetch_one(&site.state.db)
            .await
            .unwrap();
    assert_eq!(taken, 7);
    let (signed,): (i64,) = sqlx::query_as(
        "SELECT count(*) FROM takedown_events WHERE status = 'taken_down' AND actor = 'mei' AND note = 'RSA confirmed'",
    )
    .fetch_one(&site.state.db)
    .await
    .unwrap();
    assert_eq!(signed, 7);

    let (id,): (i64,) = sqlx::query_as("SELECT id FROM takedown_entries WHERE target = 'kkpp.kgi69.com'")
        .fetch_one(&site.state.db)
        .await
        .unwrap();
    let edited = site
        .send(same_site_post(
            &format!("/console/takedowns/{id}"),
            &[("status", "monitoring"), ("note", ""), ("notes", "watch for a comeback")],
            Some(&analyst),
        ))
        .await;
    assert_eq!(edited.status, StatusCode::SEE_OTHER, "{}", edited.body);
    let entry = site.send(get_with(&format!("/console/takedowns/{id}"), Some(&analyst))).await;
    assert!(entry.body.contains("watch for a comeback") && entry.body.contains("mei"), "{}", entry.body);
    let audit = store::audit::search(&site.state.db, &store::audit::Filter::default(), 10).await.unwrap();
    assert!(audit.iter().filter(|e| e.action == "takedown_edit").count() >= 2);
}

#[tokio::test]
async fn an_analyst_moves_a_whole_name_pattern_campaign_in_one_action_and_an_agent_cannot() {
    let site = spawn_site().await;
    let analyst = new_staff(&site, "mei", &[Role::Analyst]).await;
    let agent = new_staff(&site, "ann", &[Role::Agent]).await;
    let db = &site.state.db;
    let before = store::versions::current(db).await.unwrap().unwrap().version;

    let list = site.send(get_with("/console/takedowns/campaigns?kind=name", Some(&analyst))).await;
    assert_eq!(list.status, StatusCode::OK, "{}", list.body);
    assert!(list.body.contains("kkpp.kgi&lt;digits&gt;.com"), "the name pattern is listed: {}", list.body);
    let group_path = "/console/takedowns/campaigns?kind=name&pattern=kkpp.kgi%3Cdigits%3E.com";
    let group = site.send(get_with(group_path, Some(&analyst))).await;
    assert_eq!(group.status, StatusCode::OK);
    assert!(
        group.body.contains("kkpp.kgi599.com") && group.body.contains("89.106.207.153"),
        "{}",
        group.body
    );
    let version = hidden(&group.body, "version");
    let fields = [
        ("kind", "name"),
        ("pattern", "kkpp.kgi<digits>.com"),
        ("version", version.as_str()),
        ("status", "taken_down"),
        ("note", "RSA took the kit down"),
    ];
    let refused = site
        .send_following(same_site_post("/console/takedowns/campaigns/status", &fields, Some(&agent)))
        .await;
    assert_eq!(refused.status, StatusCode::FORBIDDEN, "an agent cannot");
    assert_eq!(store::versions::current(db).await.unwrap().unwrap().version, before);

    let moved = site
        .send_following(same_site_post("/console/takedowns/campaigns/status", &fields, Some(&analyst)))
        .await;
    assert_eq!(moved.status, StatusCode::OK, "{}", moved.body);
    let after = store::versions::current(db).await.unwrap().unwrap();
    assert_eq!((after.version, after.changed, after.actor.as_str()), (before + 1, 7, "mei"), "one version");
    let (taken, signed): (i64, i64) = sqlx::query_as(
        "SELECT (SELECT count(*) FROM takedown_entries WHERE status = 'taken_down' AND host LIKE 'kkpp.kgi%'),
                (SELECT count(*) FROM takedown_events WHERE status = 'taken_down' AND actor = 'mei'
                     AND note = 'RSA took the kit down')",
    )
    .fetch_one(db)
    .await
    .unwrap();
    assert_eq!((taken, signed), (7, 7));
    let (others,): (i64,) =
        sqlx::query_as("SELECT count(*) FROM takedown_entries WHERE status = 'taken_down'")
            .fetch_one(db)
            .await
            .unwrap();
    assert_eq!(others, 7, "entries outside the name pattern (the bare IP's page) stay as they were");

    // The same form again names a version that is no longer current: shown again, not applied.
    let stale = site
        .send_following(same_site_post("/console/takedowns/campaigns/status", &fields, Some(&analyst)))
        .await;
    assert_eq!(stale.status, StatusCode::CONFLICT, "{}", stale.body);
    assert_eq!(store::versions::current(db).await.unwrap().unwrap().version, before + 1);
}

#[tokio::test]
async fn an_imports_progress_and_its_outcome_are_readable_on_its_page_and_not_by_an_agent() {
    use store::import_jobs::{self, Outcome};
    let site = spawn_site().await;
    let analyst = new_staff(&site, "mei", &[Role::Analyst]).await;
    let agent = new_staff(&site, "ann", &[Role::Agent]).await;
    let db = &site.state.db;

    // An import applied from the console leaves its job behind, done, with its version.
    let page = preview(&site, &analyst, NOTICE).await;
    assert_eq!(apply(&site, &analyst, &apply_fields(&page.body)).await.status, StatusCode::OK);
    let imports = site.send(get_with("/console/imports", Some(&analyst))).await;
    let job = import_jobs::recent(db, 1).await.unwrap().remove(0);
    assert!(imports.body.contains(&format!("/console/imports/jobs/{}", job.id)), "{}", imports.body);
    let done = site.send(get_with(&format!("/console/imports/jobs/{}", job.id), Some(&analyst))).await;
    let version = store::versions::current(db).await.unwrap().unwrap();
    assert_eq!(done.status, StatusCode::OK, "{}", done.body);
    assert!(done.body.contains(&version.checksum) && done.body.contains("已寫入 1 / 1 筆"), "{}", done.body);
    assert!(!done.body.contains("http-equiv=\"refresh\""), "a finished job's page stays still");

    // A long one, as another instance writes it: its page reloads itself and counts.
    let actor = store::audit::Actor { id: None, login: "mei", client: "" };
    let id = import_jobs::start(db, &actor, "big.txt", "list", 1000).await.unwrap();
    import_jobs::record_progress(db, id, 400, 1000).await.unwrap();
    let path = format!("/console/imports/jobs/{id}");
    let running = site.send(get_with(&path, Some(&analyst))).await;
    assert!(running.body.contains("已寫入 400 / 1000 筆"), "{}", running.body);
    assert!(running.body.contains("http-equiv=\"refresh\""), "the page reloads itself");
    // On this instance (SQLite's only source while the import holds the write lock).
    site.state.import_jobs.track(id, 1000).set(700, 1000);
    assert!(site.send(get_with(&path, Some(&analyst))).await.body.contains("已寫入 700 / 1000 筆"));
    assert_eq!(site.send(get_with(&path, Some(&agent))).await.status, StatusCode::FORBIDDEN);

    site.state.import_jobs.forget(id);
    let why = app::staff::imports::ImportProblem::Doubles { before: 9, after: 1009 };
    import_jobs::finish(db, id, &Outcome::Refused(serde_json::to_string(&why).unwrap())).await.unwrap();
    let refused = site.send(get_with(&path, Some(&analyst))).await;
    assert!(
        refused.body.contains("沒有套用") && refused.body.contains("從 9 筆變成 1009 筆"),
        "{}",
        refused.body
    );
    assert!(!refused.body.contains("http-equiv=\"refresh\""));
}

#[tokio::test]
async fn only_an_admin_switches_a_detector_and_the_next_check_skips_it() {
    let site = spawn_site().await;
    let analyst = new_staff(&site, "mei", &[Role::Analyst]).await;
    let admin = new_staff(&site, "kai", &[Role::Admin]).await;
    let off = [("detector", "lookalike"), ("state", "off")];
    assert_eq!(
        site.send_following(same_site_post("/console/switches", &off, Some(&analyst))).await.status,
        StatusCode::FORBIDDEN
    );
    let switched = site.send_following(same_site_post("/console/switches", &off, Some(&admin))).await;
    assert_eq!(switched.status, StatusCode::OK, "{}", switched.body);
    site.state.live.reload(&site.state.db).await.unwrap();
    assert_eq!(site.state.live.current().unwrap().switches.disabled(), [engine::Detector::Lookalike]);
    let audit = store::audit::search(&site.state.db, &store::audit::Filter::default(), 5).await.unwrap();
    assert!(audit.iter().any(|e| e.action == "detector_switch" && e.actor == "kai"));
}

#[tokio::test]
async fn an_import_killed_half_way_leaves_the_old_version_active_and_the_database_sound() {
    use std::io::BufRead as _;
    let dir = tempfile::tempdir().unwrap();
    let url = store::testing::fresh_url(dir.path()).await.unwrap();
    let db = store::open(&url).await.unwrap();
    store::demo::load(&db, store::demo::Overwrite::DemoOnly).await.unwrap();
    let before = store::versions::current(&db).await.unwrap().unwrap();
    // A big import on SQLite builds the entries' indexes afresh after its inserts and sets
    // their listing trigger aside meanwhile.
    let indexes =
        "SELECT name FROM sqlite_master WHERE type IN ('index', 'trigger') AND tbl_name = 'takedown_entries'
                   ORDER BY name";
    let sqlite = store::Backend::of(&db) == store::Backend::Sqlite;
    let indexes_before: Vec<(String,)> =
        if sqlite { sqlx::query_as(indexes).fetch_all(&db).await.unwrap() } else { Vec::new() };
    let feed = dir.path().join("feed.txt");
    let lines: String = (0..100_000).map(|i| format!("hxxps://login[.]kgi-{i}-check[.]com/\n")).collect();
    std::fs::write(&feed, lines).unwrap();

    let mut import = std::process::Command::new(env!("CARGO_BIN_EXE_server"))
        .args(["takedown", "import", feed.to_str().unwrap(), "--format", "list"])
        .env("DATABASE_URL", &url)
        .env("RUST_LOG", "warn")
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap();
    // The preview is printed before the apply starts writing; let it write for a while.
    let stdout = std::io::BufReader::new(import.stdout.take().unwrap());
    for line in stdout.lines() {
        if line.unwrap().starts_with("active entries:") {
            break;
        }
    }
    std::thread::sleep(std::time::Duration::from_millis(1500));
    import.kill().unwrap(); // SIGKILL: no destructor, no rollback by the process itself
    let status = import.wait().unwrap();
    assert!(!status.success(), "the import was killed, not finished");

    let db = store::open(&url).await.unwrap();
    assert_eq!(store::versions::current(&db).await.unwrap().unwrap(), before, "the old version is active");
    let (entries,): (i64,) =
        sqlx::query_as("SELECT count(*) FROM takedown_entries").fetch_one(&db).await.unwrap();
    assert_eq!(entries, 9, "nothing of the import was kept");
    if store::Backend::of(&db) == store::Backend::Sqlite {
        let (integrity,): (String,) = sqlx::query_as("PRAGMA integrity_check").fetch_one(&db).await.unwrap();
        assert_eq!(integrity, "ok");
        let indexes_after: Vec<(String,)> = sqlx::query_as(indexes).fetch_all(&db).await.unwrap();
        assert_eq!(
            indexes_after, indexes_before,
            "every index the console searches, and the trigger, is there"
        );
    }
    let live = store::LiveIndex::default();
    assert_eq!(live.reload(&db).await.unwrap().index.takedown_len(), 9, "checks run on the old data");
}

#[tokio::test]
async fn a_pull_imports_the_165_feed_from_its_address_and_a_hostile_feed_changes_nothing() {
    use axum::routing::get;
    const CSV: &str = "\u{feff}WEBSITE_NM,WEBURL,CNT,STA_SDATE,STA_EDATE\n網站名稱,網址,件數,統計起始日期,統計結束日期\n\
                       凱基,www.kgi-vip.com,2,2024/01/01,2024/01/07\n凱基,www.kgi-vip.com/login,3,2024/02/05,2024/02/11\n";
    // The publisher, played by a local server: the feed, one too large, one down, one that
    // names the firm's own domain.
    let publisher = axum::Router::new()
        .route("/165.csv", get(|| async { CSV }))
        .route("/huge.csv", get(|| async { "x,".repeat(10_000) }))
        .route("/down.csv", get(|| async { (StatusCode::INTERNAL_SERVER_ERROR, "maintenance") }))
        .route("/official.csv", get(|| async { CSV.replace("www.kgi-vip.com/login", "www.kgi.com.tw") }));
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let address = listener.local_addr().unwrap();
    tokio::spawn(async move { axum::serve(listener, publisher).await });

    let site = spawn_site().await;
    let db = &site.state.db;
    let feed = |path: &str| Config {
        takedown_feed_url: format!("http://{address}{path}"),
        imports: store::import::Limits { max_bytes: 10_000, ..store::import::Limits::default() },
        ..Config::local(String::new())
    };
    let system = store::audit::Actor::system();
    let before = store::versions::current(db).await.unwrap().unwrap();
    for (path, expected) in [
        ("/huge.csv", "larger than the 10000 bytes"),
        ("/down.csv", "could not be fetched"),
        ("/official.csv", "firm's own addresses"),
    ] {
        let refused = server::takedown_feed::pull(&feed(path), db, &system, false, true).await.unwrap_err();
        assert!(refused.to_string().contains(expected), "{path}: {refused}");
        assert_eq!(store::versions::current(db).await.unwrap().unwrap(), before, "{path} changed nothing");
    }

    let pulled = server::takedown_feed::pull(&feed("/165.csv"), db, &system, false, false).await.unwrap();
    let version = pulled.version.expect("applied");
    assert_eq!((version.added, version.actor.as_str()), (1, "system"));
    assert_eq!(verdict_of(&site, "https://www.kgi-vip.com/").await, "fraud");
    let again = server::takedown_feed::pull(&feed("/165.csv"), db, &system, false, false).await.unwrap();
    assert!(again.version.is_none(), "the same feed again changes nothing");
}

#[tokio::test]
async fn an_instance_restarted_on_a_damaged_takedown_version_serves_the_last_good_one_and_readyz_says_so() {
    use tower::ServiceExt as _;
    let dir = tempfile::tempdir().unwrap();
    let url = store::testing::fresh_url(dir.path()).await.unwrap();
    let config = Config { demo_data: true, ..Config::local(url) };
    let first = server::prepare_state(&config).await.unwrap();
    let db = first.db.clone();
    for list in ["hxxps://fake[.]kgi1x[.]com/\n", "hxxps://new[.]kgi2x[.]com/\n"] {
        let request =
            store::import::Request { text: list, format: None, origin: "t", vendor: "", replace: false };
        let plan = store::import::preview(&db, &request, &store::import::Limits::default()).await.unwrap();
        store::import::apply(&db, &plan, &store::audit::Actor::cli(), false, &|_| {}).await.unwrap();
        first.live.reload(&db).await.unwrap();
    }
    // Version 3 validated once; then a hand edit makes the entry it added name the firm, and
    // a later version (4) carries the damage.
    sqlx::query("UPDATE takedown_entries SET target = 'www.kgi.com.tw' WHERE target = 'new.kgi2x.com'")
        .execute(&db)
        .await
        .unwrap();
    let request = store::import::Request {
        text: "hxxps://third[.]kgi3x[.]com/\n",
        format: None,
        origin: "t",
        vendor: "",
        replace: false,
    };
    let plan = store::import::preview(&db, &request, &store::import::Limits::default()).await.unwrap();
    store::import::apply(&db, &plan, &store::audit::Actor::cli(), false, &|_| {}).await.unwrap();

    let restarted = server::prepare_state(&config).await.expect("starts");
    let router = server::router(restarted.clone(), &config);
    let response = router.oneshot(Request::get("/readyz").body(Body::empty()).unwrap()).await.unwrap();
    assert_eq!(response.status(), StatusCode::OK, "it answers checks");
    let body = axum::body::to_bytes(response.into_body(), 100_000).await.unwrap();
    let readiness: serde_json::Value = serde_json::from_slice(&body).unwrap();
    assert_eq!(readiness["takedown_version"], 2, "{readiness}");
    assert_eq!(readiness["takedown_version_refused"], 4, "{readiness}");
    assert!(readiness["status"].as_str().unwrap().contains("last good"), "{readiness}");
}
