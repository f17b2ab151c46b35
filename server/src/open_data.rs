//! Public open data: the takedown entries checks condemn, as `/open-data/takedowns.csv`
//! (RFC 4180) and `/open-data/takedowns.json`, streamed row by row from one snapshot of the
//! database, and cached by the state of the data they show (`docs/open-data.md`).

use std::borrow::Cow;
use std::time::SystemTime;

use axum::body::{Body, Bytes};
use axum::extract::State;
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use futures_util::StreamExt;
use serde::Serialize;
use time::format_description::well_known::Rfc3339;
use time::OffsetDateTime;
use tokio::sync::{mpsc, oneshot, Semaphore};

use app::state::AppState;
use store::open_data::{DataStamp, OpenEntry, Snapshot};
use store::StoreError;

use crate::feeds::{not_available_now, unavailable};

pub const CSV_TYPE: &str = "text/csv; charset=utf-8; header=present";
pub const JSON_TYPE: &str = "application/json; charset=utf-8";

/// Caches may keep a file five minutes, then ask again (and get a 304 while it is current).
pub const CACHE_CONTROL: &str = "public, max-age=300";

/// The columns, in order, of both files.
pub const COLUMNS: [&str; 5] = ["target", "scope", "status", "first_seen", "taken_down_at"];

/// How many files one instance streams at once: each holds a database connection until its
/// reader has it all, so readers beyond this wait a minute rather than starve the site.
pub const MAX_STREAMS: usize = 2;
static STREAMS: Semaphore = Semaphore::const_new(MAX_STREAMS);

/// Rows are sent in pieces of about this many bytes.
const CHUNK_BYTES: usize = 32 * 1024;

/// The two files' formats.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Format {
    Csv,
    Json,
}

impl Format {
    fn content_type(self) -> &'static str {
        match self {
            Self::Csv => CSV_TYPE,
            Self::Json => JSON_TYPE,
        }
    }

    /// What comes before the first row.
    pub fn start(self) -> String {
        match self {
            Self::Csv => format!("{}\r\n", COLUMNS.join(",")),
            Self::Json => "[".to_owned(),
        }
    }

    /// Appends row `n` (from 0).
    pub fn push_row(self, out: &mut String, entry: &OpenEntry, n: u64) {
        match self {
            Self::Csv => {
                let fields = [
                    entry.target.as_str(),
                    &entry.scope,
                    &entry.status,
                    &entry.first_seen,
                    entry.taken_down_at.as_deref().unwrap_or(""),
                ];
                for (i, field) in fields.into_iter().enumerate() {
                    if i > 0 {
                        out.push(',');
                    }
                    out.push_str(&csv_field(field));
                }
                out.push_str("\r\n");
            }
            Self::Json => {
                out.push_str(if n == 0 { "\n" } else { ",\n" });
                let row = JsonEntry {
                    target: &entry.target,
                    scope: &entry.scope,
                    status: &entry.status,
                    first_seen: &entry.first_seen,
                    taken_down_at: entry.taken_down_at.as_deref(),
                };
                out.push_str(&serde_json::to_string(&row).unwrap_or_else(|_| "null".to_owned()));
            }
        }
    }

    /// What comes after the last row.
    pub fn end(self) -> &'static str {
        match self {
            Self::Csv => "",
            Self::Json => "\n]\n",
        }
    }
}

#[derive(Serialize)]
struct JsonEntry<'a> {
    target: &'a str,
    scope: &'a str,
    status: &'a str,
    first_seen: &'a str,
    taken_down_at: Option<&'a str>,
}

/// One CSV field (RFC 4180): quoted, with its quotes doubled, when it holds a comma, a quote
/// or a line break; as it is otherwise.
pub fn csv_field(field: &str) -> Cow<'_, str> {
    if field.contains([',', '"', '\r', '\n']) {
        Cow::Owned(format!("\"{}\"", field.replace('"', "\"\"")))
    } else {
        Cow::Borrowed(field)
    }
}

/// The entity tag of the files showing `stamp`. Weak: the bytes differ with the compression a
/// reader asked for, the data they carry does not.
pub fn entity_tag(stamp: &DataStamp) -> String {
    format!("W/\"{}\"", stamp.tag)
}

/// When the data last changed, to the second, if the stamp's time reads.
pub fn last_modified(stamp: &DataStamp) -> Option<SystemTime> {
    OffsetDateTime::parse(&stamp.changed_at, &Rfc3339).ok().map(SystemTime::from)
}

/// Whether a reader's copy is current: an `If-None-Match` that names the tag (weak comparison,
/// or `*`), or, without one, an `If-Modified-Since` not older than the last change
/// (RFC 9110 §13.2.2: `If-None-Match` wins when both are sent).
pub fn is_current(headers: &HeaderMap, stamp: &DataStamp) -> bool {
    let tags: Vec<&str> = headers
        .get_all(header::IF_NONE_MATCH)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(','))
        .map(str::trim)
        .filter(|t| !t.is_empty())
        .collect();
    if !tags.is_empty() {
        let ours = entity_tag(stamp);
        let opaque = |tag: &str| tag.strip_prefix("W/").unwrap_or(tag).to_owned();
        return tags.iter().any(|t| *t == "*" || opaque(t) == opaque(&ours));
    }
    let since = headers
        .get(header::IF_MODIFIED_SINCE)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| httpdate::parse_http_date(v).ok());
    match (since, last_modified(stamp)) {
        (Some(since), Some(changed)) => httpdate::HttpDate::from(changed) <= httpdate::HttpDate::from(since),
        _ => false,
    }
}

/// The caching headers of a file showing `stamp`.
fn cache_headers(response: &mut Response, stamp: &DataStamp) {
    let headers = response.headers_mut();
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static(CACHE_CONTROL));
    if let Ok(tag) = HeaderValue::from_str(&entity_tag(stamp)) {
        headers.insert(header::ETAG, tag);
    }
    if let Some(Ok(date)) = last_modified(stamp).map(|t| HeaderValue::from_str(&httpdate::fmt_http_date(t))) {
        headers.insert(header::LAST_MODIFIED, date);
    }
}

fn not_modified(stamp: &DataStamp) -> Response {
    let mut response = StatusCode::NOT_MODIFIED.into_response();
    cache_headers(&mut response, stamp);
    response
}

/// `GET /open-data/takedowns.csv`.
pub async fn csv(State(state): State<AppState>, headers: HeaderMap) -> Response {
    export(&state.db, &headers, Format::Csv).await
}

/// `GET /open-data/takedowns.json`.
pub async fn json(State(state): State<AppState>, headers: HeaderMap) -> Response {
    export(&state.db, &headers, Format::Json).await
}

async fn export(db: &store::Db, headers: &HeaderMap, format: Format) -> Response {
    // A reader whose copy is current needs no snapshot: one small query answers it.
    let stamp = async { store::open_data::stamp(&mut *db.acquire().await?).await };
    match stamp.await {
        Ok(stamp) if is_current(headers, &stamp) => return not_modified(&stamp),
        Ok(_) => {}
        Err(e) => return unavailable("open data stamp", e),
    }
    let Ok(permit) = STREAMS.try_acquire() else {
        tracing::info!(max = MAX_STREAMS, "open data: every stream is busy; asked to come back");
        return not_available_now();
    };
    let (opened, stamp) = oneshot::channel();
    let (chunks, received) = mpsc::channel(4);
    let db = db.clone();
    tokio::spawn(async move {
        write(&db, format, opened, chunks).await;
        drop(permit);
    });
    // The snapshot's own stamp: the data may have changed since the look above.
    let stamp = match stamp.await {
        Ok(Ok(stamp)) => stamp,
        Ok(Err(e)) => return unavailable("open data", e),
        Err(_) => return not_available_now(),
    };
    if is_current(headers, &stamp) {
        return not_modified(&stamp);
    }
    let body = futures_util::stream::unfold(received, |mut received| async move {
        received.recv().await.map(|chunk| (chunk, received))
    });
    let mut response = Body::from_stream(body).into_response();
    response.headers_mut().insert(header::CONTENT_TYPE, HeaderValue::from_static(format.content_type()));
    cache_headers(&mut response, &stamp);
    response
}

/// Reads the snapshot and sends the file in pieces, waiting while the reader is slow; stops
/// as soon as the reader has gone. A database failure half-way ends the body with an error,
/// so the reader's client sees a broken download rather than a complete-looking short file.
async fn write(
    db: &store::Db,
    format: Format,
    opened: oneshot::Sender<Result<DataStamp, StoreError>>,
    chunks: mpsc::Sender<Result<Bytes, std::io::Error>>,
) {
    let mut snapshot = match Snapshot::open(db).await {
        Ok(snapshot) => snapshot,
        Err(e) => {
            let _ = opened.send(Err(e));
            return;
        }
    };
    if opened.send(Ok(snapshot.stamp.clone())).is_err() {
        return;
    }
    let mut piece = format.start();
    let mut rows = 0;
    let mut entries = snapshot.entries();
    while let Some(entry) = entries.next().await {
        match entry {
            Ok(entry) => format.push_row(&mut piece, &entry, rows),
            Err(e) => {
                tracing::error!(error = %e, rows, "reading the open data failed half-way");
                let _ = chunks.send(Err(std::io::Error::other("the database failed"))).await;
                return;
            }
        }
        rows += 1;
        if piece.len() >= CHUNK_BYTES
            && chunks.send(Ok(Bytes::from(std::mem::take(&mut piece)))).await.is_err()
        {
            return;
        }
    }
    piece.push_str(format.end());
    let _ = chunks.send(Ok(Bytes::from(piece))).await;
}

#[cfg(test)]
mod tests {
    use super::*;

    fn stamp() -> DataStamp {
        DataStamp { tag: "7-abc".into(), changed_at: "2026-12-01T08:30:15Z".into() }
    }

    fn with(name: header::HeaderName, value: &str) -> HeaderMap {
        let mut headers = HeaderMap::new();
        headers.insert(name, HeaderValue::from_str(value).unwrap());
        headers
    }

    #[test]
    fn csv_fields_are_quoted_only_when_they_must_be() {
        assert_eq!(csv_field("kkpp.kgi357.com"), "kkpp.kgi357.com");
        assert_eq!(csv_field("a,b"), "\"a,b\"");
        assert_eq!(csv_field("say \"hi\""), "\"say \"\"hi\"\"\"");
        assert_eq!(csv_field("two\nlines"), "\"two\nlines\"");
        assert_eq!(csv_field("cr\r"), "\"cr\r\"");
        assert_eq!(csv_field(""), "");
    }

    #[test]
    fn a_row_in_each_format() {
        let entry = OpenEntry {
            target: "example.com/a,b".into(),
            scope: "url".into(),
            status: "taken_down".into(),
            first_seen: "2026-11-01".into(),
            taken_down_at: Some("2026-11-03".into()),
        };
        let mut csv = Format::Csv.start();
        Format::Csv.push_row(&mut csv, &entry, 0);
        assert_eq!(
            csv,
            "target,scope,status,first_seen,taken_down_at\r\n\"example.com/a,b\",url,taken_down,2026-11-01,2026-11-03\r\n"
        );
        let mut json = Format::Json.start();
        Format::Json.push_row(&mut json, &entry, 0);
        Format::Json.push_row(&mut json, &OpenEntry { taken_down_at: None, ..entry }, 1);
        json.push_str(Format::Json.end());
        let parsed: serde_json::Value = serde_json::from_str(&json).unwrap();
        assert_eq!(parsed[0]["taken_down_at"], "2026-11-03");
        assert_eq!(parsed[1]["taken_down_at"], serde_json::Value::Null);
        let empty = format!("{}{}", Format::Json.start(), Format::Json.end());
        assert_eq!(serde_json::from_str::<serde_json::Value>(&empty).unwrap(), serde_json::json!([]));
    }

    #[test]
    fn a_copy_is_current_when_its_tag_matches_or_it_is_not_older() {
        let stamp = stamp();
        assert!(!is_current(&HeaderMap::new(), &stamp));
        assert!(is_current(&with(header::IF_NONE_MATCH, "W/\"7-abc\""), &stamp));
        assert!(
            is_current(&with(header::IF_NONE_MATCH, "\"old\", \"7-abc\""), &stamp),
            "weak comparison, a list"
        );
        assert!(is_current(&with(header::IF_NONE_MATCH, "*"), &stamp));
        assert!(!is_current(&with(header::IF_NONE_MATCH, "W/\"6-abc\""), &stamp));
        assert!(is_current(&with(header::IF_MODIFIED_SINCE, "Tue, 01 Dec 2026 08:30:15 GMT"), &stamp));
        assert!(is_current(&with(header::IF_MODIFIED_SINCE, "Wed, 02 Dec 2026 00:00:00 GMT"), &stamp));
        assert!(!is_current(&with(header::IF_MODIFIED_SINCE, "Tue, 01 Dec 2026 08:30:14 GMT"), &stamp));
        assert!(!is_current(&with(header::IF_MODIFIED_SINCE, "yesterday"), &stamp));
        let mut both = with(header::IF_NONE_MATCH, "W/\"6-abc\"");
        both.insert(header::IF_MODIFIED_SINCE, HeaderValue::from_static("Wed, 02 Dec 2026 00:00:00 GMT"));
        assert!(!is_current(&both, &stamp), "a tag that does not match wins over the date");
    }
}
