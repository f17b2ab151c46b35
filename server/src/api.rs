//! The JSON API: `POST /api/v1/check` with `{"text": "..."}`, answering with the same
//! JSON that `server check --json` prints.

use axum::extract::rejection::JsonRejection;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::Json;
use engine::{HiddenFindings, Overall, Report, TakedownMatch};
use serde::{Deserialize, Deserializer, Serialize};

use app::i18n::Locale;
use app::lookup::wording::{reason_text, signal_text};
use app::lookup::{run_public_check, CheckAnswer, CheckFailure};
use app::state::AppState;

/// The request body of `POST /api/v1/check`.
#[derive(Debug, Deserialize)]
pub struct CheckRequest {
    pub text: String,
    /// `zh-TW` (default) or `en`: the language of the reason sentences.
    #[serde(default, deserialize_with = "language")]
    pub lang: Locale,
}

/// The language codes the API takes: exactly `zh-TW` or `en`, nothing looser.
fn language<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Locale, D::Error> {
    let code = String::deserialize(deserializer)?;
    app::locale::parse(&code)
        .filter(|locale| app::locale::code(*locale) == code)
        .ok_or_else(|| serde::de::Error::unknown_variant(&code, &["zh-TW", "en"]))
}

/// A check's answer as JSON (documented in docs/api.md).
#[derive(Debug, Serialize)]
pub struct CheckResponse {
    /// Decided by every finding of the message, listed or not.
    pub verdict: Overall,
    /// At most 200; past that, the most serious are listed.
    pub findings: Vec<FindingJson>,
    /// How many findings were judged but are not listed, by verdict.
    pub hidden: HiddenFindings,
    /// True when `hidden.total > 0`.
    pub truncated: bool,
    /// The message presents itself as the firm: what in it is not the firm's is suspicious.
    pub speaks_as_firm: bool,
    /// Scam wording seen in the message.
    pub signals: Vec<ReasonJson>,
    pub data: DataJson,
    /// Detectors that were switched off: the answer lacks their checks.
    pub disabled_detectors: Vec<&'static str>,
}

/// One finding as JSON.
#[derive(Debug, Serialize)]
pub struct FindingJson {
    pub kind: engine::CandidateKind,
    pub raw: String,
    pub normalized: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub host: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub registrable_domain: Option<String>,
    pub verdict: engine::Verdict,
    pub reasons: Vec<ReasonJson>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub takedown: Option<TakedownMatch>,
}

/// A reason: its stable code and a sentence in the requested language.
#[derive(Debug, Serialize)]
pub struct ReasonJson {
    pub code: &'static str,
    pub message: String,
}

/// Which data the answer was judged on.
#[derive(Debug, Serialize)]
pub struct DataJson {
    pub version: i64,
    /// Last change to the data, Taiwan time.
    pub updated_at: String,
    /// When the answering instance last confirmed its data was current, Taiwan time.
    pub confirmed_at: String,
    /// Minutes since then, once that is longer ago than the instance's limit.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub stale_minutes: Option<i64>,
}

impl CheckResponse {
    /// Renders an answer, with reason sentences in `locale`.
    pub fn new(answer: CheckAnswer, locale: Locale) -> Self {
        let CheckAnswer { report, data, firm } = answer;
        let firm = firm.in_locale(locale);
        let Report { verdict, findings, hidden, signals, speaks_as_firm, disabled_detectors } = report;
        let findings = findings
            .into_iter()
            .map(|f| FindingJson {
                reasons: f
                    .reasons
                    .iter()
                    .map(|r| ReasonJson { code: r.code(), message: reason_text(r, f.kind, locale, firm) })
                    .collect(),
                kind: f.kind,
                raw: f.raw,
                normalized: f.normalized,
                host: f.host,
                registrable_domain: f.registrable_domain,
                verdict: f.verdict,
                takedown: f.takedown,
            })
            .collect();
        Self {
            verdict,
            findings,
            hidden,
            truncated: hidden.total > 0,
            speaks_as_firm,
            signals: signals
                .iter()
                .map(|s| ReasonJson { code: s.code(), message: signal_text(*s, locale).to_owned() })
                .collect(),
            data: DataJson {
                version: data.version,
                updated_at: data.updated_at,
                confirmed_at: data.confirmed_at,
                stale_minutes: data.stale_minutes,
            },
            disabled_detectors: disabled_detectors.iter().map(|d| d.code()).collect(),
        }
    }
}

/// An API error: a stable code and a plain sentence.
#[derive(Debug, Serialize)]
pub struct ApiError {
    pub code: &'static str,
    pub message: String,
}

/// The HTTP status and body for a failed check.
pub fn failure_response(failure: &CheckFailure) -> (StatusCode, ApiError) {
    let (status, code, message) = match failure {
        CheckFailure::Empty => {
            (StatusCode::BAD_REQUEST, "empty", "The text is empty: paste a link or a message.".into())
        }
        CheckFailure::TooLong { bytes } => (
            StatusCode::PAYLOAD_TOO_LARGE,
            "too_long",
            format!("The text is {bytes} bytes; the limit is {} bytes.", engine::MAX_MESSAGE_BYTES),
        ),
        CheckFailure::RateLimited { retry_after_secs } => (
            StatusCode::TOO_MANY_REQUESTS,
            "rate_limited",
            format!(
                "Too many checks from this address in a short time. Try again in {retry_after_secs} seconds."
            ),
        ),
        CheckFailure::NotReady => (
            StatusCode::SERVICE_UNAVAILABLE,
            "cannot_verify",
            "We cannot verify yet: this site's data has not loaded. Do not open the link until we can."
                .into(),
        ),
        CheckFailure::Transport(_) => (
            StatusCode::SERVICE_UNAVAILABLE,
            "cannot_verify",
            "We cannot verify right now. Do not open the link until we can.".into(),
        ),
    };
    (status, ApiError { code, message })
}

/// `POST /api/v1/check`.
pub async fn check(
    State(state): State<AppState>,
    body: Result<Json<CheckRequest>, JsonRejection>,
) -> Response {
    let request = match body {
        Ok(Json(request)) => request,
        Err(rejection) => {
            let error = ApiError { code: "bad_request", message: rejection.body_text() };
            return (rejection.status(), Json(error)).into_response();
        }
    };
    match run_public_check(&state, &request.text) {
        Ok(answer) => Json(CheckResponse::new(answer, request.lang)).into_response(),
        Err(failure) => {
            let (status, error) = failure_response(&failure);
            (status, Json(error)).into_response()
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lang_of(body: &str) -> Result<Locale, String> {
        serde_json::from_str::<CheckRequest>(body).map(|r| r.lang).map_err(|e| e.to_string())
    }

    #[test]
    fn the_api_takes_zh_tw_or_en_and_defaults_to_zh_tw() {
        assert_eq!(lang_of(r#"{"text": "x"}"#), Ok(Locale::zh_TW));
        assert_eq!(lang_of(r#"{"text": "x", "lang": "zh-TW"}"#), Ok(Locale::zh_TW));
        assert_eq!(lang_of(r#"{"text": "x", "lang": "en"}"#), Ok(Locale::en));
    }

    #[test]
    fn the_api_refuses_any_other_language_code() {
        for code in ["fr", "zh", "EN", ""] {
            let err = lang_of(&format!(r#"{{"text": "x", "lang": "{code}"}}"#)).unwrap_err();
            assert!(err.contains("expected `zh-TW` or `en`"), "{code}: {err}");
        }
    }
}
