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
