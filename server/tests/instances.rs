//! Several instances on one PostgreSQL agree: two real server processes share a database,
//! a change made from the command line reaches both within two seconds (PostgreSQL's
//! notification, not the poll, which is set to a minute here), and both start on an empty
//! database at once without racing over the migrations or the demo data.
//!
//! Needs PostgreSQL: `scripts/test` runs it with `TEST_DATABASE_URL` naming a throw-away
//! server (`cargo nextest run -p server --test instances --run-ignored all`).

// Test helpers: a failure here is a broken test set-up, said at once.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use tokio::io::{AsyncReadExt, AsyncWriteExt};

/// How soon a change must be live on every instance.
const BOUND: Duration = Duration::from_secs(2);

/// A server process, stopped when dropped.
struct Instance {
    child: Child,
    port: u16,
}

impl Drop for Instance {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port()
}

fn start(database_url: &str) -> Instance {
    let port = free_port();
    let child = Command::new(env!("CARGO_BIN_EXE_server"))
        .args(["serve", "--demo"])
        .env("DATABASE_URL", database_url)
        .env("LEPTOS_SITE_ADDR", format!("127.0.0.1:{port}"))
        .env("LEPTOS_OUTPUT_NAME", "fraudcheck")
        .env("DATA_REFRESH_SECS", "60")
        .env("DATA_STALE_AFTER_SECS", "600")
        .env("CHECK_RATE_PER_MINUTE", "100000")
        .env("RUST_LOG", "warn")
        // Staff sign in with a password alone here; the second factor has its own tests.
        .env("DEMO_RELAX_SECOND_FACTOR", "true")
        .stdout(Stdio::null())
        .spawn()
        .expect("the server starts");
    Instance { child, port }
}

/// One HTTP/1.1 exchange: `headers` (each ending in CRLF) and `body` sent, the answer's head
/// and body back.
async fn exchange(
    port: u16,
    method: &str,
    path: &str,
    headers: &str,
    body: &str,
) -> Option<(String, String)> {
    let mut stream = tokio::net::TcpStream::connect(("127.0.0.1", port)).await.ok()?;
    let request = format!(
        "{method} {path} HTTP/1.1\r\nHost: 127.0.0.1\r\n{headers}Content-Length: {}\r\nConnection: close\r\n\r\n{body}",
        body.len()
    );
    stream.write_all(request.as_bytes()).await.ok()?;
    let mut answer = String::new();
    stream.read_to_string(&mut answer).await.ok()?;
    let (head, body) = answer.split_once("\r\n\r\n")?;
    Some((head.to_owned(), body.to_owned()))
}

/// A JSON exchange: the answer's status line and body.
async fn http(port: u16, method: &str, path: &str, body: &str) -> Option<(String, String)> {
    let (head, body) = exchange(port, method, path, "Content-Type: application/json\r\n", body).await?;
    Some((head.lines().next()?.to_owned(), body))
}

async fn until_ready(instance: &Instance) {
    let deadline = Instant::now() + Duration::from_secs(60);
    while Instant::now() < deadline {
        if let Some((status, _)) = http(instance.port, "GET", "/readyz", "").await {
            if status.contains(" 200 ") {
                return;
            }
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    panic!("instance on port {} never became ready", instance.port);
}

/// Whether the instance checks with the lookalike detector switched off.
async fn lookalike_off(instance: &Instance) -> bool {
    let (_, body) = http(instance.port, "POST", "/api/v1/check", r#"{"text": "kgi888.cc"}"#).await.unwrap();
    body.contains(r#""disabled_detectors":["lookalike"]"#)
}

fn switch(database_url: &str, state: &str) {
    let status = Command::new(env!("CARGO_BIN_EXE_server"))
        .args(["switch", "lookalike", state])
        .env("DATABASE_URL", database_url)
        .env("RUST_LOG", "warn")
        .stdout(Stdio::null())
        .status()
        .unwrap();
    assert!(status.success());
}

/// How long until every instance answers with the detector as `off` says.
async fn until_all_agree(instances: &[&Instance], off: bool, since: Instant) -> Duration {
    loop {
        let mut agree = true;
        for instance in instances {
            agree &= lookalike_off(instance).await == off;
        }
        if agree {
            return since.elapsed();
        }
        assert!(since.elapsed() < Duration::from_secs(30), "the instances never agreed");
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
}

#[tokio::test]
#[ignore = "needs PostgreSQL: scripts/test runs it with TEST_DATABASE_URL"]
async fn a_change_from_the_command_line_is_live_on_both_instances_within_two_seconds() {
    assert_eq!(
        store::testing::backend(),
        store::Backend::Postgres,
        "set TEST_DATABASE_URL to a PostgreSQL server"
    );
    let dir = tempfile::tempdir().unwrap();
    let url = store::testing::fresh_url(dir.path()).await.expect("test database");
    // Both start at once on the empty database: one migrates and loads the demo, the other
    // waits its turn and finds them done.
    let (a, b) = (start(&url), start(&url));
    until_ready(&a).await;
    until_ready(&b).await;
    assert!(!lookalike_off(&a).await && !lookalike_off(&b).await);

    let since = Instant::now();
    switch(&url, "off");
    let off = until_all_agree(&[&a, &b], true, since).await;
    assert!(off < BOUND, "switched off everywhere after {off:?}");

    let since = Instant::now();
    switch(&url, "on");
    let on = until_all_agree(&[&a, &b], false, since).await;
    assert!(on < BOUND, "switched on again everywhere after {on:?}");
}

#[tokio::test]
#[ignore = "needs PostgreSQL: scripts/test runs it with TEST_DATABASE_URL"]
async fn two_instances_starting_together_load_the_demo_data_once() {
    assert_eq!(
        store::testing::backend(),
        store::Backend::Postgres,
        "set TEST_DATABASE_URL to a PostgreSQL server"
    );
    let dir = tempfile::tempdir().unwrap();
    let url = store::testing::fresh_url(dir.path()).await.expect("test database");
    let (a, b) = (start(&url), start(&url));
    until_ready(&a).await;
    until_ready(&b).await;
    let db = store::open(&url).await.unwrap();
    let (entries,): (i64,) =
        sqlx::query_as("SELECT count(*) FROM takedown_entries").fetch_one(&db).await.unwrap();
    let (version,): (i64,) = sqlx::query_as("SELECT version FROM data_version").fetch_one(&db).await.unwrap();
    assert_eq!(entries, 9, "the demo's nine listings, once");
    assert_eq!(version, 1, "one demo load");
}

/// One HTTP/1.1 exchange as a browser's form post or page load sends it: status line, the
/// staff cookie handed out (if any), and the body.
async fn browser(
    port: u16,
    method: &str,
    path: &str,
    fields: &[(&str, &str)],
    cookie: &str,
) -> (String, Option<String>, String) {
    let body: Vec<String> = fields
        .iter()
        .map(|(k, v)| {
            format!("{k}={}", url::form_urlencoded::byte_serialize(v.as_bytes()).collect::<String>())
        })
        .collect();
    let body = body.join("&");
    let headers = format!(
        "Sec-Fetch-Site: same-origin\r\nCookie: {cookie}\r\nContent-Type: application/x-www-form-urlencoded\r\n"
    );
    let (head, body) = exchange(port, method, path, &headers, &body).await.expect("an answer");
    let cookie = head
        .lines()
        .filter_map(|l| l.strip_prefix("set-cookie: ").or_else(|| l.strip_prefix("Set-Cookie: ")))
        .find(|c| c.starts_with("staff=") && !c.contains("Max-Age=0"))
        .map(|c| c.split(';').next().unwrap_or_default().to_owned());
    (head.lines().next().unwrap_or_default().to_owned(), cookie, body.to_owned())
}

/// Reads a response in progress until it holds `needle` (false after 10 seconds).
async fn read_until(stream: &mut tokio::net::TcpStream, seen: &mut String, needle: &str) -> bool {
    let deadline = tokio::time::Instant::now() + Duration::from_secs(10);
    let mut buffer = [0u8; 4096];
    while !seen.contains(needle) {
        match tokio::time::timeout_at(deadline, stream.read(&mut buffer)).await {
            Ok(Ok(n)) if n > 0 => seen.push_str(&String::from_utf8_lossy(&buffer[..n])),
            _ => return false,
        }
    }
    true
}

/// Creates an account from the command line and signs it in on `port` (password, then a
/// password of its own); returns the session cookie.
async fn staff_on(database_url: &str, port: u16, login: &str, role: &str) -> String {
    let out = Command::new(env!("CARGO_BIN_EXE_server"))
        .args(["user", "add", login, "--role", role])
        .env("DATABASE_URL", database_url)
        .env("RUST_LOG", "warn")
        .output()
        .unwrap();
    let printed = String::from_utf8_lossy(&out.stdout).into_owned();
    let one_time = printed.rsplit(": ").next().unwrap().trim().to_owned();
    let (_, half, _) =
        browser(port, "POST", "/staff/sign-in", &[("login", login), ("password", &one_time)], "").await;
    let cookie = half.expect("signed in (second factor relaxed here)");
    let new = "violet tundra marmalade cobalt";
    let fields = [("current", one_time.as_str()), ("new", new), ("confirm", new)];
    let (_, own, _) = browser(port, "POST", "/staff/password", &fields, &cookie).await;
    own.expect("a session after the password change")
}

#[tokio::test]
#[ignore = "needs PostgreSQL: scripts/test runs it with TEST_DATABASE_URL"]
async fn an_analysts_decision_on_one_instance_reaches_an_agent_watching_on_the_other() {
    assert_eq!(
        store::testing::backend(),
        store::Backend::Postgres,
        "set TEST_DATABASE_URL to a PostgreSQL server"
    );
    let dir = tempfile::tempdir().unwrap();
    let url = store::testing::fresh_url(dir.path()).await.unwrap();
    let (a, b) = (start(&url), start(&url));
    until_ready(&a).await;
    until_ready(&b).await;
    let agent = staff_on(&url, a.port, "agent-a", "agent").await;
    let analyst = staff_on(&url, b.port, "analyst-b", "analyst").await;
    let (status, _, _) = browser(
        a.port,
        "POST",
        "/console/escalations",
        &[("kind", "host"), ("value", "kgi-app.top")],
        &agent,
    )
    .await;
    // Post/Redirect/Get: done, and sent to the page that shows it.
    assert!(status.contains(" 303 "), "{status}");

    // The agent's page on A follows the stream.
    let mut stream = tokio::net::TcpStream::connect(("127.0.0.1", a.port)).await.unwrap();
    let request = format!("GET /console/events HTTP/1.1\r\nHost: 127.0.0.1\r\nCookie: {agent}\r\n\r\n");
    stream.write_all(request.as_bytes()).await.unwrap();
    let mut seen = String::new();
    assert!(read_until(&mut stream, &mut seen, "queued").await, "the state at once");

    let db = store::open(&url).await.unwrap();
    let id = store::escalation::queue(&db, 10).await.unwrap()[0].id;
    let decided_at = Instant::now();
    let (status, _, _) = browser(
        b.port,
        "POST",
        &format!("/console/escalations/{id}/decide"),
        &[("decision", "accepted")],
        &analyst,
    )
    .await;
    assert!(status.contains(" 303 "), "{status}");
    assert!(
        read_until(&mut stream, &mut seen, "accepted").await,
        "the decision on B never reached A: {seen}"
    );
    let took = decided_at.elapsed();
    println!("a decision on B reached the agent's stream on A in {} ms", took.as_millis());
    assert!(took < Duration::from_secs(5), "within the stream's 2-second poll: {took:?}");
}

#[tokio::test]
#[ignore = "needs PostgreSQL: scripts/test runs it with TEST_DATABASE_URL"]
async fn a_scheduled_bulletin_is_published_once_by_two_instances_and_both_show_it_at_once() {
    assert_eq!(
        store::testing::backend(),
        store::Backend::Postgres,
        "set TEST_DATABASE_URL to a PostgreSQL server"
    );
    let dir = tempfile::tempdir().unwrap();
    let url = store::testing::fresh_url(dir.path()).await.expect("test database");
    let (a, b) = (start(&url), start(&url));
    until_ready(&a).await;
    until_ready(&b).await;
    let db = store::open(&url).await.unwrap();
    let now = time::OffsetDateTime::now_utc();
    let draft = store::bulletin::publishing::Draft {
        slug: "two-instances".into(),
        title: "【服務公告】兩台同時排程".into(),
        body: "排程發布。".into(),
        category: Some(store::bulletin::BulletinCategory::Notice),
        ..Default::default()
    };
    let actor = store::audit::Actor::cli();
    let id = store::bulletin::publishing::create(&db, &draft, actor, now).await.unwrap();
    let at = now + time::Duration::seconds(2);
    store::bulletin::publishing::publish(&db, id, store::bulletin::publishing::When::At(at), actor, now)
        .await
        .unwrap();

    // Each instance looks every 15 s: within 20 s of its time, both serve it.
    let deadline = Instant::now() + Duration::from_secs(25);
    let mut shown = [false, false];
    while Instant::now() < deadline && shown != [true, true] {
        for (i, instance) in [&a, &b].into_iter().enumerate() {
            let (_, body) = exchange(instance.port, "GET", "/bulletins", "", "").await.unwrap();
            shown[i] = body.contains("兩台同時排程");
        }
        tokio::time::sleep(Duration::from_millis(250)).await;
    }
    assert_eq!(shown, [true, true], "published on time, shown by both");
    let (published,): (i64,) = sqlx::query_as(
        "SELECT count(*) FROM audit_log WHERE action = 'bulletin_publish' AND object = $1 AND actor = 'system'",
    )
    .bind(format!("bulletin:{id}"))
    .fetch_one(&db)
    .await
    .unwrap();
    assert_eq!(published, 1, "exactly once");
}
