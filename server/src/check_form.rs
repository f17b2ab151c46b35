//! The check without JavaScript: the paste box posts a plain form to `/`, and the
//! answer comes back inside a fully server-rendered home page, the pasted text back in the
//! box. The header's language button posts the same form with `lang`: the answer (or the
//! text, ready to check) comes back in the other language.

use axum::body::Body;
use axum::extract::{FromRequest, Request, State};
use axum::http::request::Parts;
use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use axum::Form;
use leptos::prelude::provide_context;
use serde::Deserialize;

use app::i18n::Locale;
use app::lookup::{run_public_check, CheckFailure, PostedCheck};
use app::state::AppState;

use crate::language::{with_language, LANGUAGE_COOKIE_LIFETIME};
use crate::rate_limit::Throttled;

#[derive(Debug, Default, Deserialize)]
struct CheckFormBody {
    #[serde(default)]
    text: String,
    /// Set by the header's language button: `zh-TW` or `en`.
    #[serde(default)]
    lang: Option<String>,
}

/// `POST /`: runs the check and renders the home page with its answer.
pub async fn post(State(state): State<AppState>, request: Request) -> Response {
    let (mut parts, body) = request.into_parts();
    let throttled = parts.extensions.get::<Throttled>().map(|t| t.0.seconds());
    let form = match Form::<CheckFormBody>::from_request(Request::from_parts(parts.clone(), body), &state)
        .await
    {
        Ok(Form(form)) => form,
        // Over the request-body limit while reading (a body without a length): the same
        // friendly answer as a paste refused by its announced length.
        Err(rejection) if rejection.status() == StatusCode::PAYLOAD_TOO_LARGE => {
            let failure = CheckFailure::TooLong { bytes: crate::MAX_BODY_BYTES + 1 };
            return render(state, parts, Err(failure), String::new(), StatusCode::PAYLOAD_TOO_LARGE).await;
        }
        // Anything else unreadable (wrong content type, bad encoding) reads as an empty paste.
        Err(_) => CheckFormBody::default(),
    };
    let switch_to = form.lang.as_deref().and_then(app::locale::parse);
    if let Some(locale) = switch_to {
        with_language(&mut parts.headers, locale);
        if form.text.trim().is_empty() {
            // Nothing to check: just the page, in the other language.
            let mut response = Redirect::to("/").into_response();
            set_language_cookie(&mut response, locale);
            return response;
        }
    }
    let outcome = match throttled {
        // Over the limit (the middleware sets 429 and Retry-After): say so, check nothing,
        // and keep the text in the box for when the wait is over.
        Some(retry_after_secs) => Err(CheckFailure::RateLimited { retry_after_secs }),
        None => run_public_check(&state, &form.text),
    };
    // A page that explains (empty, too long, too many) is still the page the reader asked
    // for; the rate-limit middleware sets 429 on the way out.
    let mut response = render(state, parts, outcome, form.text, StatusCode::OK).await;
    if let Some(locale) = switch_to {
        set_language_cookie(&mut response, locale);
    }
    response
}

/// The home page with a check's outcome, the pasted text back in the box.
pub async fn render(
    state: AppState,
    parts: Parts,
    outcome: Result<app::lookup::CheckAnswer, CheckFailure>,
    text: String,
    status: StatusCode,
) -> Response {
    let options = state.leptos_options.clone();
    let posted = PostedCheck { outcome, text };
    let render = leptos_axum::render_app_async_with_context(
        move || {
            provide_context(state.clone());
            provide_context(posted.clone());
        },
        move || app::shell(options.clone()),
    );
    let mut response = render(Request::from_parts(parts, Body::empty())).await;
    if status != StatusCode::OK {
        *response.status_mut() = status;
    }
    response
}

fn set_language_cookie(response: &mut Response, locale: Locale) {
    let cookie = format!(
        "{}={}; Path=/; Max-Age={LANGUAGE_COOKIE_LIFETIME}; SameSite=Lax",
        app::locale::COOKIE,
        app::locale::code(locale)
    );
    if let Ok(value) = HeaderValue::from_str(&cookie) {
        response.headers_mut().append(header::SET_COOKIE, value);
    }
}
