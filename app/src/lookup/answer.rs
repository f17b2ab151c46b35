//! The check's server function and the answer it sends back, shared by the
//! JavaScript path (server function) and the no-JavaScript path (form POST to `/`).

use engine::Report;
use leptos::prelude::*;

use crate::firm::FirmName;
use leptos::server_fn::codec::JsonEncoding;
use leptos::server_fn::error::{FromServerFnError, ServerFnErrorErr};
use serde::{Deserialize, Serialize};

/// What a check answers: the report, the age of the data it was judged on, and the firm
/// the data is about (the answer names it).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CheckAnswer {
    pub report: Report,
    pub data: DataStamp,
    pub firm: FirmName,
}

/// Which data a check used, so every answer can say how fresh it is.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct DataStamp {
    pub version: i64,
    /// Last change to the data, in Taiwan time, `YYYY-MM-DD HH:MM`.
    pub updated_at: String,
    /// When this instance last confirmed its data was current, Taiwan time, `YYYY-MM-DD HH:MM`.
    pub confirmed_at: String,
    /// Set once that is longer ago than the instance's limit (`DATA_STALE_AFTER_SECS`):
    /// how many whole minutes ago it was. The answer then says so.
    pub stale_minutes: Option<i64>,
}

/// Why a check gave no verdict. None of these ever falls back to a reassuring answer.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error, Serialize, Deserialize)]
pub enum CheckFailure {
    #[error("nothing was pasted")]
    Empty,
    #[error("the paste is {bytes} bytes, over the limit")]
    TooLong { bytes: usize },
    #[error("the check data has not loaded")]
    NotReady,
    #[error("too many checks from this address; try again in {retry_after_secs} s")]
    RateLimited { retry_after_secs: u64 },
    #[error("the check could not reach the server: {0}")]
    Transport(ServerFnErrorErr),
}

impl FromServerFnError for CheckFailure {
    type Encoder = JsonEncoding;

    fn from_server_fn_error(value: ServerFnErrorErr) -> Self {
        Self::Transport(value)
    }
}

impl From<engine::CheckError> for CheckFailure {
    fn from(e: engine::CheckError) -> Self {
        match e {
            engine::CheckError::Empty => Self::Empty,
            engine::CheckError::TooLong { bytes } => Self::TooLong { bytes },
        }
    }
}

/// A form posted without JavaScript, provided as context to the render: its answer, and
/// the text that was pasted, which goes back into the box.
#[derive(Clone, Debug)]
pub struct PostedCheck {
    pub outcome: Result<CheckAnswer, CheckFailure>,
    pub text: String,
}

/// Checks a pasted message against the live index. Never reads the database, so it
/// keeps answering from the last good data while the database is slow or down.
#[server(endpoint = "check")]
pub async fn check_message(text: String) -> Result<CheckAnswer, CheckFailure> {
    let Some(state) = use_context::<crate::state::AppState>() else {
        return Err(CheckFailure::NotReady);
    };
    let outcome = run_public_check(&state, &text);
    // A paste we cannot check is the reader's to fix (4xx) or ours (503), never a bare 500.
    if let (Err(failure), Some(response)) = (&outcome, use_context::<leptos_axum::ResponseOptions>()) {
        response.set_status(failure.http_status());
    }
    outcome
}

#[cfg(feature = "ssr")]
impl CheckFailure {
    /// The HTTP status that goes with this failure.
    pub fn http_status(&self) -> axum::http::StatusCode {
        use axum::http::StatusCode;
        match self {
            Self::Empty => StatusCode::BAD_REQUEST,
            Self::TooLong { .. } => StatusCode::PAYLOAD_TOO_LARGE,
            Self::RateLimited { .. } => StatusCode::TOO_MANY_REQUESTS,
            Self::NotReady | Self::Transport(_) => StatusCode::SERVICE_UNAVAILABLE,
        }
    }
}

/// A check asked by the public (server function, no-JS form, JSON API): the check, then
/// one count per host and verdict in the in-memory tally. Nothing of the text is kept,
/// and the database is not touched.
#[cfg(feature = "ssr")]
pub fn run_public_check(state: &crate::state::AppState, text: &str) -> Result<CheckAnswer, CheckFailure> {
    let answer = run_check(&state.live, text)?;
    state.tally.record_report(&answer.report);
    Ok(answer)
}

/// The check itself, for the server function and the form handler alike.
#[cfg(feature = "ssr")]
pub fn run_check(live: &store::LiveIndex, text: &str) -> Result<CheckAnswer, CheckFailure> {
    let snapshot = live.current().ok_or(CheckFailure::NotReady)?;
    let report = engine::check_with(text, &snapshot.index, snapshot.switches)?;
    Ok(CheckAnswer { report, data: data_stamp(live, &snapshot), firm: FirmName::from(&snapshot.firm) })
}

/// The version and freshness of the data in `snapshot`, as an answer states them.
#[cfg(feature = "ssr")]
pub fn data_stamp(live: &store::LiveIndex, snapshot: &store::Snapshot) -> DataStamp {
    let freshness = live.freshness();
    let now = time::OffsetDateTime::now_utc();
    DataStamp {
        version: snapshot.version,
        updated_at: taiwan_time(&snapshot.updated_at),
        confirmed_at: freshness.map(|f| show_taiwan_time(f.confirmed_at)).unwrap_or_default(),
        stale_minutes: freshness.filter(|f| f.stale).map(|f| (now - f.confirmed_at).whole_minutes()),
    }
}

/// Shows an RFC 3339 time as Taiwan local time (UTC+8), or as stored if unreadable.
#[cfg(feature = "ssr")]
pub fn taiwan_time(rfc3339: &str) -> String {
    use time::format_description::well_known::Rfc3339;
    time::OffsetDateTime::parse(rfc3339, &Rfc3339).map_or_else(|_| rfc3339.to_owned(), show_taiwan_time)
}

#[cfg(feature = "ssr")]
fn show_taiwan_time(at: time::OffsetDateTime) -> String {
    let taipei = time::UtcOffset::from_hms(8, 0, 0).unwrap_or(time::UtcOffset::UTC);
    let format = time::macros::format_description!("[year]-[month]-[day] [hour]:[minute]");
    at.to_offset(taipei).format(&format).unwrap_or_default()
}

#[cfg(test)]
#[cfg(feature = "ssr")]
mod tests {
    use super::*;

    #[test]
    fn stored_utc_times_are_shown_in_taiwan_time() {
        assert_eq!(taiwan_time("2026-11-27T21:54:05Z"), "2026-11-28 05:54");
        assert_eq!(taiwan_time("garbage"), "garbage");
    }

    #[test]
    fn a_check_before_any_data_loaded_cannot_verify() {
        let live = store::LiveIndex::default();
        assert_eq!(run_check(&live, "https://www.kgi.com.tw/"), Err(CheckFailure::NotReady));
    }
}
