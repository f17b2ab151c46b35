//! The security console's dashboard and the public open data, as their readers meet them:
//! who may open the dashboard and its charts, charts that are well-formed SVG whatever the
//! data holds and say the same as the tables beneath them, and the open data files listing
//! exactly the known fakes, quoted as CSV must be, and cached by the state of the data.

// Test helpers: a failure here is a broken test set-up, said at once.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod support;

use std::collections::BTreeSet;

use axum::body::Body;
use axum::http::{header, Request, StatusCode};
use engine::TakedownStatus;
use store::staff::Role;
use support::staff::{get_with, new_staff};
use support::{spawn_site, TestSite};

/// The id of the entry listing `target`.
async fn entry_id(site: &TestSite, target: &str) -> i64 {
    let (id,): (i64,) = sqlx::query_as("SELECT id FROM takedown_entries WHERE target = $1")
        .bind(target)
        .fetch_one(&site.state.db)
        .await
        .unwrap();
    id
}

/// Adds an entry to the takedown data through the status lifecycle, as an analyst would.
async fn add_entry(site: &TestSite, target: &str, scope: &str, vendor: &str) -> i64 {
    sqlx::query(
        "INSERT INTO takedown_entries
             (url, host, scope, target, source, vendor, status, listed_on, first_seen, last_seen,
              status_changed_at)
         VALUES ($1, 'odd.example', $2, $1, 'manual', $3, 'detected', $4, $4, $4, $5)",
    )
    .bind(target)
    .bind(scope)
    .bind(vendor)
    .bind(store::today_in_taiwan())
    .bind(store::now_rfc3339())
    .execute(&site.state.db)
    .await
    .unwrap();
    entry_id(site, target).await
}

async fn set_status(site: &TestSite, id: i64, status: TakedownStatus) {
    assert!(store::takedown::change_status(&site.state.db, id, status, None).await.unwrap());
}

/// The targets the checks condemn now, read from the database itself.
async fn condemned_targets(site: &TestSite) -> BTreeSet<String> {
    let rows: Vec<(String,)> = sqlx::query_as(
        "SELECT target FROM takedown_entries
         WHERE removed_in IS NULL AND status NOT IN ('false_positive', 'withdrawn')",
    )
    .fetch_all(&site.state.db)
    .await
    .unwrap();
    rows.into_iter().map(|(t,)| t).collect()
}

/// A CSV file's records (RFC 4180: quoted fields may hold commas, quotes and line breaks).
fn csv_records(text: &str) -> Vec<Vec<String>> {
    let mut records = Vec::new();
    let (mut record, mut field) = (Vec::new(), String::new());
    let mut chars = text.chars().peekable();
    let mut quoted = false;
    while let Some(c) = chars.next() {
        match (quoted, c) {
            (true, '"') if chars.peek() == Some(&'"') => {
                chars.next();
                field.push('"');
            }
            (true, '"') => quoted = false,
            (true, c) => field.push(c),
            (false, '"') if field.is_empty() => quoted = true,
            (false, ',') => record.push(std::mem::take(&mut field)),
            (false, '\r') if chars.peek() == Some(&'\n') => {
                chars.next();
                record.push(std::mem::take(&mut field));
                records.push(std::mem::take(&mut record));
            }
            (false, c) => {
                assert!(c != '\n' && c != '"', "a bare {c:?} outside quotes: {text}");
                field.push(c);
            }
        }
    }
    assert!(field.is_empty() && record.is_empty(), "the last record ends with CR LF: {text:?}");
    records
}

fn get_with_header(path: &str, name: header::HeaderName, value: &str) -> Request<Body> {
    Request::get(path).header(name, value).body(Body::empty()).unwrap()
}

#[tokio::test]
async fn the_open_data_lists_exactly_the_known_fakes_in_both_formats() {
    let site = spawn_site().await;
    let down = entry_id(&site, "kkpp.kgi69.com").await;
    set_status(&site, down, TakedownStatus::TakenDown).await;
    let withdrawn = entry_id(&site, "kkpp.kgi599.com").await;
    set_status(&site, withdrawn, TakedownStatus::Withdrawn).await;
    let expected = condemned_targets(&site).await;
    assert_eq!(expected.len(), 8);

    let csv = site.get("/open-data/takedowns.csv").await;
    assert_eq!(csv.status, StatusCode::OK);
    assert_eq!(csv.header("content-type"), "text/csv; charset=utf-8; header=present");
    assert_eq!(csv.header("cache-control"), "public, max-age=300");
    let records = csv_records(&csv.body);
    assert_eq!(records[0], ["target", "scope", "status", "first_seen", "taken_down_at"]);
    let listed: BTreeSet<String> = records[1..].iter().map(|r| r[0].clone()).collect();
    assert_eq!(listed, expected);
    assert_eq!(records.len() - 1, expected.len(), "each once");
    let today = store::today_in_taiwan();
    let row = records.iter().find(|r| r[0] == "kkpp.kgi69.com").unwrap();
    assert_eq!(row[1..], ["host", "taken_down", today.as_str(), today.as_str()]);
    let still_up = records.iter().find(|r| r[0] == "kkpp.kgi357.com").unwrap();
    assert_eq!(still_up[2..], ["takedown_requested", today.as_str(), ""], "no takedown yet: empty");

    let json = site.get("/open-data/takedowns.json").await;
    assert_eq!(json.status, StatusCode::OK);
    assert_eq!(json.header("content-type"), "application/json; charset=utf-8");
    let rows: Vec<serde_json::Value> = serde_json::from_str(&json.body).expect("one JSON array");
    let listed: BTreeSet<String> = rows.iter().map(|r| r["target"].as_str().unwrap().to_owned()).collect();
    assert_eq!(listed, expected);
    let row = rows.iter().find(|r| r["target"] == "kkpp.kgi69.com").unwrap();
    assert_eq!(row["taken_down_at"], today.as_str());
    let still_up = rows.iter().find(|r| r["target"] == "kkpp.kgi357.com").unwrap();
    assert_eq!(still_up["taken_down_at"], serde_json::Value::Null);
    assert_eq!(still_up["scope"], "host");
    assert_eq!(still_up["first_seen"], today.as_str());
}

#[tokio::test]
async fn a_false_positive_is_not_in_the_open_data() {
    let site = spawn_site().await;
    let wrong = entry_id(&site, "kkpp.kgi357.com").await;
    set_status(&site, wrong, TakedownStatus::FalsePositive).await;
    let csv = site.get("/open-data/takedowns.csv").await;
    let json = site.get("/open-data/takedowns.json").await;
    for body in [&csv.body, &json.body] {
        assert!(!body.contains("kkpp.kgi357.com"), "{body}");
        assert!(body.contains("kkpp.kgi379.com"), "the others stay: {body}");
    }
}

#[tokio::test]
async fn csv_fields_with_commas_quotes_and_line_breaks_are_quoted_and_read_back_whole() {
    let site = spawn_site().await;
    let odd = "odd.example/a,b?q=\"x\"\r\nnext";
    add_entry(&site, odd, "url", "").await;
    let csv = site.get("/open-data/takedowns.csv").await;
    assert!(csv.body.contains("\"odd.example/a,b?q=\"\"x\"\"\r\nnext\",url,detected,"), "{}", csv.body);
    let records = csv_records(&csv.body);
    assert!(records.iter().all(|r| r.len() == 5), "{records:?}");
    assert!(records.iter().any(|r| r[0] == odd));
    let json = site.get("/open-data/takedowns.json").await;
    let rows: Vec<serde_json::Value> = serde_json::from_str(&json.body).unwrap();
    assert!(rows.iter().any(|r| r["target"] == odd));
}

#[tokio::test]
async fn a_reader_whose_copy_is_current_gets_304_until_the_data_changes() {
    let site = spawn_site().await;
    let first = site.get("/open-data/takedowns.csv").await;
    let tag = first.header("etag").to_owned();
    let version = store::versions::current(&site.state.db).await.unwrap().unwrap();
    assert!(tag.contains(&version.checksum), "the tag carries the version's checksum: {tag}");
    let modified = first.header("last-modified").to_owned();
    let created =
        time::OffsetDateTime::parse(&version.created_at, &time::format_description::well_known::Rfc3339)
            .unwrap();
    assert_eq!(httpdate::parse_http_date(&modified).unwrap(), std::time::SystemTime::from(created));

    for path in ["/open-data/takedowns.csv", "/open-data/takedowns.json"] {
        let again = site.send(get_with_header(path, header::IF_NONE_MATCH, &tag)).await;
        assert_eq!(again.status, StatusCode::NOT_MODIFIED, "{path}");
        assert!(again.body.is_empty());
        assert_eq!(again.header("etag"), tag);
        assert_eq!(again.header("cache-control"), "public, max-age=300");
        let since = site.send(get_with_header(path, header::IF_MODIFIED_SINCE, &modified)).await;
        assert_eq!(since.status, StatusCode::NOT_MODIFIED, "{path}: not older than the last change");
    }
    let earlier = "Thu, 01 Jan 2015 00:00:00 GMT";
    let stale =
        site.send(get_with_header("/open-data/takedowns.csv", header::IF_MODIFIED_SINCE, earlier)).await;
    assert_eq!(stale.status, StatusCode::OK);

    let id = entry_id(&site, "kkpp.kgi69.com").await;
    set_status(&site, id, TakedownStatus::TakenDown).await;
    let changed = site.send(get_with_header("/open-data/takedowns.csv", header::IF_NONE_MATCH, &tag)).await;
    assert_eq!(changed.status, StatusCode::OK, "a change of the data: the whole file again");
    assert_ne!(changed.header("etag"), tag);
    assert!(changed.body.contains("kkpp.kgi69.com,host,taken_down"));
}

/// Adds `count` entries (`bulk-1.example` …) to the takedown data in one statement.
async fn add_many(site: &TestSite, count: i64) {
    sqlx::query(
        "INSERT INTO takedown_entries
             (url, host, scope, target, source, status, listed_on, first_seen, last_seen, status_changed_at)
         WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < $1)
         SELECT 'bulk-' || i || '.example', 'bulk-' || i || '.example', 'host', 'bulk-' || i || '.example',
                'manual', 'detected', '2026-11-01', '2026-11-01', '2026-11-01', '2026-11-01T00:00:00Z'
         FROM n",
    )
    .bind(count)
    .execute(&site.state.db)
    .await
    .unwrap();
}

#[tokio::test]
async fn a_large_set_arrives_whole_row_after_row() {
    let site = spawn_site().await;
    add_many(&site, 6000).await;
    let csv = site.get("/open-data/takedowns.csv").await;
    let records = csv_records(&csv.body);
    assert_eq!(records.len(), 1 + 6009, "the header, the demo's nine and six thousand more");
    assert!(records.iter().all(|r| r.len() == 5), "no row split where one piece of the body ends");
    assert!(records[1..10].iter().all(|r| !r[0].starts_with("bulk-")), "oldest first: the demo's");
    let bulk: BTreeSet<&str> = records[10..].iter().map(|r| r[0].as_str()).collect();
    assert_eq!(bulk.len(), 6000);
    assert!(bulk.contains("bulk-1.example") && bulk.contains("bulk-6000.example"));
    let json = site.get("/open-data/takedowns.json").await;
    let rows: Vec<serde_json::Value> = serde_json::from_str(&json.body).expect("one JSON array");
    assert_eq!(rows.len(), 6009);
}

#[tokio::test]
async fn a_download_beyond_the_streams_an_instance_serves_at_once_is_asked_to_come_back() {
    use tower::ServiceExt;
    let site = spawn_site().await;
    // Large enough that a reader who reads nothing holds its stream open.
    add_many(&site, 6000).await;
    let open =
        || site.router.clone().oneshot(Request::get("/open-data/takedowns.csv").body(Body::empty()).unwrap());
    let first = open().await.unwrap();
    let second = open().await.unwrap();
    assert_eq!((first.status(), second.status()), (StatusCode::OK, StatusCode::OK));
    let third = site.get("/open-data/takedowns.json").await;
    assert_eq!(third.status, StatusCode::SERVICE_UNAVAILABLE);
    assert_eq!(third.header("retry-after"), "60");
    assert!(third.body.contains("Please try again later"));
    let current = site
        .send(get_with_header(
            "/open-data/takedowns.csv",
            header::IF_NONE_MATCH,
            first.headers()["etag"].to_str().unwrap(),
        ))
        .await;
    assert_eq!(current.status, StatusCode::NOT_MODIFIED, "a current copy is still answered");

    // Readers who leave free their streams.
    drop((first, second));
    let mut again = site.get("/open-data/takedowns.json").await;
    for _ in 0..200 {
        if again.status == StatusCode::OK {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(10)).await;
        again = site.get("/open-data/takedowns.json").await;
    }
    assert_eq!(again.status, StatusCode::OK);
}

// The dashboard.

const CHARTS: [&str; 4] = ["status", "new-entries", "time-to-takedown", "most-checked"];

fn in_english(cookie: &str) -> String {
    format!("{cookie}; lang=en")
}

/// What the picture writes, in order.
fn svg_texts(svg: &str) -> Vec<String> {
    let doc = roxmltree::Document::parse(svg).unwrap_or_else(|e| panic!("not well-formed SVG ({e}): {svg}"));
    assert!(doc.root_element().has_tag_name(("http://www.w3.org/2000/svg", "svg")));
    assert!(!doc.descendants().any(|n| n.tag_name().name().eq_ignore_ascii_case("script")), "{svg}");
    doc.descendants()
        .filter(|n| n.has_tag_name("text"))
        .map(|n| n.text().unwrap_or("").trim().to_owned())
        .collect()
}

fn unescape(html: &str) -> String {
    html.replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&#x27;", "'")
        .replace("&#39;", "'")
        .replace("&amp;", "&")
}

/// The text of each cell (`th` or `td`) of each row of each table in `html`.
fn tables(html: &str) -> Vec<Vec<Vec<String>>> {
    html.split("<table")
        .skip(1)
        .map(|table| {
            let table = table.split("</table>").next().unwrap_or_default();
            let body = table.split("<tbody>").nth(1).unwrap_or_default();
            body.split("<tr")
                .skip(1)
                .map(|row| {
                    let mut cells = Vec::new();
                    let mut rest = row;
                    while let Some(start) = rest.find(['<']).filter(|_| rest.contains("<t")) {
                        let after = &rest[start..];
                        if !(after.starts_with("<th") || after.starts_with("<td")) {
                            rest = &after[1..];
                            continue;
                        }
                        let open_end = after.find('>').unwrap() + 1;
                        let close = after.find("</t").unwrap();
                        let inner = &after[open_end..close];
                        let mut text = String::new();
                        let mut in_tag = false;
                        for c in inner.chars() {
                            match c {
                                '<' => in_tag = true,
                                '>' => in_tag = false,
                                c if !in_tag => text.push(c),
                                _ => {}
                            }
                        }
                        cells.push(unescape(text.trim()));
                        rest = &after[close + 3..];
                    }
                    cells
                })
                .collect()
        })
        .collect()
}

/// The page's section of one chart.
fn section<'a>(page: &'a str, chart: &str) -> &'a str {
    let start = page
        .find(&format!("aria-labelledby=\"chart-{chart}\""))
        .unwrap_or_else(|| panic!("{chart} in {page}"));
    let rest = &page[start..];
    &rest[..rest.find("</section>").unwrap()]
}

/// Which cells of a table row the chart draws (after the label).
fn drawn_cells(chart: &str) -> &'static [usize] {
    match chart {
        "time-to-takedown" => &[2, 3],
        "most-checked" => &[2],
        _ => &[1],
    }
}

/// Asserts that the picture writes each row's label and then its drawn numbers, in the
/// table's order.
fn assert_same_numbers(chart: &str, svg: &str, table_rows: &[Vec<String>]) {
    let texts = svg_texts(svg);
    let mut at = 0;
    for row in table_rows {
        let mut wanted = vec![row[0].clone()];
        wanted.extend(drawn_cells(chart).iter().map(|i| row[*i].clone()));
        for word in wanted {
            // A label too wide for the picture is cut there, and written whole in the table.
            let shown = |t: &String| {
                *t == word
                    || t.strip_suffix('…').is_some_and(|cut| word.starts_with(cut))
                    || t.strip_prefix('…').is_some_and(|cut| word.ends_with(cut))
            };
            let found = texts[at..].iter().position(shown);
            let found = found
                .unwrap_or_else(|| panic!("{chart}: {word:?} (row {row:?}) not after {at} in {texts:?}"));
            at += found + 1;
        }
    }
}

/// Sets what the demo data lacks for the charts: two takedowns (5 and 2 days after the
/// request), a withdrawn entry, and checks of a fake and a suspicious site today.
async fn dashboard_data(site: &TestSite) {
    let today = store::taiwan_date();
    for (target, days) in [("kkpp.kgi69.com", 5), ("kkpp.kgi357.com", 2)] {
        let id = entry_id(site, target).await;
        let requested = today - time::Duration::days(days);
        sqlx::query("UPDATE takedown_events SET happened_on = $1 WHERE entry_id = $2")
            .bind(format!(
                "{:04}-{:02}-{:02}",
                requested.year(),
                u8::from(requested.month()),
                requested.day()
            ))
            .bind(id)
            .execute(&site.state.db)
            .await
            .unwrap();
        set_status(site, id, TakedownStatus::TakenDown).await;
    }
    let withdrawn = entry_id(site, "kkpp.kgi599.com").await;
    set_status(site, withdrawn, TakedownStatus::Withdrawn).await;
    for (host, verdict, checks) in [("kkpp.kgi357.com", "fraud", 7), ("kgi888.cc", "suspicious", 3)] {
        checked(site, host, verdict, checks).await;
    }
}

async fn checked(site: &TestSite, host: &str, verdict: &str, checks: i64) {
    sqlx::query("INSERT INTO check_counts (host, site, verdict, day, checks) VALUES ($1, $1, $2, $3, $4)")
        .bind(host)
        .bind(verdict)
        .bind(store::today_in_taiwan())
        .bind(checks)
        .execute(&site.state.db)
        .await
        .unwrap();
}

#[tokio::test]
async fn analysts_and_admins_open_the_dashboard_and_every_chart() {
    let site = spawn_site().await;
    for role in [Role::Analyst, Role::Admin] {
        let cookie = new_staff(&site, &format!("dash-{}", role.code()), &[role]).await;
        let page = site.send(get_with("/console/dashboard", Some(&cookie))).await;
        assert_eq!(page.status, StatusCode::OK, "{role:?}: {}", page.body);
        assert!(page.body.contains("下架資料儀表板"), "Traditional Chinese first: {}", page.body);
        assert!(page.body.contains(r#"<a href="/console/dashboard">儀表板</a>"#), "in the menu");
        assert_eq!(page.header("cache-control"), "private, no-store");
        for chart in CHARTS {
            let src = format!("/console/dashboard/{chart}.svg");
            let img =
                page.body.split("<img").find(|i| i.contains(&format!("src=\"{src}\""))).unwrap_or_default();
            assert!(
                img.contains("alt=\"長條圖：") && img.contains("class=\"chart\""),
                "{chart}: {}",
                page.body
            );
            let picture = site.send(get_with(&src, Some(&cookie))).await;
            assert_eq!(picture.status, StatusCode::OK, "{role:?} {chart}");
            assert_eq!(picture.header("content-type"), "image/svg+xml; charset=utf-8");
            assert_eq!(
                picture.header("content-security-policy"),
                "default-src 'none'; style-src 'unsafe-inline'"
            );
            assert!(!svg_texts(&picture.body).is_empty());
        }
        let english = site.send(get_with("/console/dashboard", Some(&in_english(&cookie)))).await;
        assert!(english.body.contains("Takedown dashboard"));
        assert!(english.body.contains(
            r#"alt="Bar chart: how many entries of the current takedown data are in each status."#
        ));
        let picture = site.send(get_with("/console/dashboard/status.svg", Some(&in_english(&cookie)))).await;
        assert!(
            svg_texts(&picture.body).contains(&"Entries by status".to_owned()),
            "the picture in English too"
        );
    }
}

#[tokio::test]
async fn agents_publishers_and_anonymous_visitors_get_neither_the_dashboard_nor_its_charts() {
    let site = spawn_site().await;
    let agent = new_staff(&site, "dash-agent", &[Role::Agent]).await;
    let publisher = new_staff(&site, "dash-publisher", &[Role::Publisher]).await;
    let console = site.send(get_with("/console", Some(&agent))).await;
    assert!(!console.body.contains("/console/dashboard"), "no link for an agent");
    for path in std::iter::once("/console/dashboard".to_owned())
        .chain(CHARTS.map(|c| format!("/console/dashboard/{c}.svg")))
    {
        for cookie in [&agent, &publisher] {
            let refused = site.send(get_with(&path, Some(cookie))).await;
            assert_eq!(refused.status, StatusCode::FORBIDDEN, "{path}");
            assert!(!refused.body.contains("<svg"));
        }
        let anonymous = site.get(&path).await;
        assert_eq!(anonymous.status, StatusCode::SEE_OTHER, "{path}");
        assert_eq!(anonymous.header("location"), "/staff/sign-in");
    }
    let analyst = new_staff(&site, "dash-analyst", &[Role::Analyst]).await;
    let unknown = site.send(get_with("/console/dashboard/secrets.svg", Some(&analyst))).await;
    assert_eq!(unknown.status, StatusCode::NOT_FOUND, "a chart that does not exist");
}

#[tokio::test]
async fn each_chart_shows_the_same_numbers_as_the_table_beneath_it() {
    let site = spawn_site().await;
    dashboard_data(&site).await;
    let cookie = new_staff(&site, "dash-analyst", &[Role::Analyst]).await;
    for cookie in [cookie.clone(), in_english(&cookie)] {
        let page = site.send(get_with("/console/dashboard", Some(&cookie))).await;
        for chart in CHARTS {
            let tables = tables(section(&page.body, chart));
            let svg =
                site.send(get_with(&format!("/console/dashboard/{chart}.svg"), Some(&cookie))).await.body;
            let rows: Vec<Vec<String>> = tables.concat();
            assert!(!rows.is_empty(), "{chart}");
            assert_same_numbers(chart, &svg, &rows);
        }
        let status = &tables(section(&page.body, "status"))[0];
        assert_eq!(status.len(), TakedownStatus::ALL.len(), "every status, none left out");
        let counts: Vec<&str> = status.iter().map(|r| r[1].as_str()).collect();
        assert_eq!(counts, ["0", "0", "6", "2", "0", "0", "0", "1"], "{status:?}");
        let weeks = &tables(section(&page.body, "new-entries"))[0];
        assert_eq!(weeks.len(), 12);
        assert_eq!(weeks[11][1], "9", "the demo's nine entries were listed this week");
        assert!(weeks[..11].iter().all(|w| w[1] == "0"), "empty weeks show 0: {weeks:?}");
        let times = tables(section(&page.body, "time-to-takedown"));
        assert_eq!(
            times[0],
            [vec!["RSA".to_owned(), "2".into(), "2".into(), "5".into()]],
            "median of 2 and 5 by nearest rank"
        );
        assert_eq!(times[1].len(), 1, "one month: {:?}", times[1]);
        assert_eq!(times[1][0][1..], ["2", "2", "5"]);
        let checked = &tables(section(&page.body, "most-checked"))[0];
        let hosts: Vec<(&str, &str)> = checked.iter().map(|r| (r[0].as_str(), r[2].as_str())).collect();
        assert_eq!(hosts, [("kkpp.kgi357.com", "7"), ("kgi888.cc", "3")]);
    }
}

#[tokio::test]
async fn hostile_domain_and_vendor_names_stay_text_in_the_charts_and_the_page() {
    let site = spawn_site().await;
    let domain = r#"<script>alert("x")</script>&"q'.example"#;
    checked(&site, domain, "fraud", 9).await;
    let vendor = r#"<script>&"'"#;
    let id = add_entry(&site, "hostile.example", "host", vendor).await;
    set_status(&site, id, TakedownStatus::TakenDown).await;
    let cookie = new_staff(&site, "dash-admin", &[Role::Admin]).await;
    let picture = |chart: &'static str| {
        let request = get_with(&format!("/console/dashboard/{chart}.svg"), Some(&cookie));
        async { site.send(request).await.body }
    };
    let most_checked = picture("most-checked").await;
    assert!(!most_checked.contains("<script"), "{most_checked}");
    // Too wide for its column, the host is cut at its start; what is shown reads back as written.
    let shown = svg_texts(&most_checked).into_iter().find(|t| t.starts_with('…')).unwrap_or_default();
    assert!(shown.len() > 10 && domain.ends_with(shown.trim_start_matches('…')), "{most_checked}");
    let times = picture("time-to-takedown").await;
    assert!(!times.contains("<script"), "{times}");
    assert!(svg_texts(&times).contains(&vendor.to_owned()), "the vendor whole, as text: {times}");

    let page = site.send(get_with("/console/dashboard", Some(&cookie))).await;
    assert!(!page.body.contains("<script>"), "{}", page.body);
    assert_eq!(tables(section(&page.body, "most-checked"))[0][0][0], domain, "whole in the table");
    assert_eq!(tables(section(&page.body, "time-to-takedown"))[0][0][0], vendor);
}
