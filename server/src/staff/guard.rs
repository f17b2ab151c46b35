//! The one gate in front of every staff page and action, on the server: who may reach which
//! path ([`access`], a table the tests walk), where a request must come from to change
//! anything (its own site: `Sec-Fetch-Site`, else `Origin`), and what every staff answer
//! carries (`Cache-Control: private, no-store`, `X-Robots-Tag: noindex`).

use axum::body::Body;
use axum::extract::{Request, State};
use axum::http::{header, HeaderMap, HeaderValue, Method, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Redirect, Response};
use time::OffsetDateTime;

use app::state::AppState;
use store::staff::{Role, Stage};

use super::session::{self, Signed};

/// Who may reach a staff path.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Access {
    /// Anyone: the sign-in page, sign-out.
    Open,
    /// A session whose password was right and whose second factor is still to come.
    HalfSigned,
    /// Signed in with both factors and holding any one of these roles.
    AnyOf(&'static [Role]),
}

pub const SIGN_IN: &str = "/staff/sign-in";
pub const SECOND_FACTOR: &str = "/staff/second-factor";
pub const PASSWORD: &str = "/staff/password";
pub const SIGN_OUT: &str = "/staff/sign-out";

const EVERY_ROLE: &[Role] = &[Role::Agent, Role::Analyst, Role::Publisher, Role::Admin];
const CONSOLE: &[Role] = &[Role::Agent, Role::Analyst];
const SCRIPTS: &[Role] = &[Role::Agent, Role::Analyst, Role::Admin];
const AGENT: &[Role] = &[Role::Agent];
const ANALYST: &[Role] = &[Role::Analyst];
const ADMIN: &[Role] = &[Role::Admin];
const SECURITY: &[Role] = &[Role::Analyst, Role::Admin];
const PUBLISHER: &[Role] = &[Role::Publisher];
/// Admins see the bulletins, the templates and the setting, but do not publish.
const PUBLISHING: &[Role] = &[Role::Publisher, Role::Admin];

/// What a publisher does to one bulletin: `/console/bulletins/{id}/{action}`.
const BULLETIN_ACTIONS: &[&str] = &[
    "revisions",
    "save",
    "preview",
    "preview-fragment",
    "publish",
    "schedule",
    "unpublish",
    "pin",
    "decide",
    "incident",
    "restore",
];

fn is_id(text: &str) -> bool {
    !text.is_empty() && text.bytes().all(|b| b.is_ascii_digit())
}

/// The rule of a path under `/console/bulletins/`, if it is one of publishing's.
fn bulletin_access(rest: &str) -> Option<Access> {
    if rest.strip_prefix("templates/").is_some_and(is_id) {
        return Some(Access::AnyOf(PUBLISHING));
    }
    let (id, action) = rest.split_once('/').unwrap_or((rest, ""));
    (is_id(id) && (action.is_empty() || BULLETIN_ACTIONS.contains(&action)))
        .then_some(Access::AnyOf(PUBLISHER))
}

/// The access rule of a path, or `None` for a public path. Unknown paths under `/staff/` and
/// `/console` need an admin, so a route added without a rule is closed rather than open.
pub fn access(path: &str) -> Option<Access> {
    let path = path.trim_end_matches('/');
    let rule = match path {
        SIGN_IN | SIGN_OUT => Access::Open,
        SECOND_FACTOR => Access::HalfSigned,
        PASSWORD | "/console/news" => Access::AnyOf(EVERY_ROLE),
        "/console" | "/console/status" => Access::AnyOf(CONSOLE),
        "/console/scripts" => Access::AnyOf(SCRIPTS),
        "/console/check" | "/console/contacts" | "/console/escalations" | "/console/events" => {
            Access::AnyOf(AGENT)
        }
        "/console/audit" | "/console/users" | "/console/switches" => Access::AnyOf(ADMIN),
        "/console/takedowns"
        | "/console/takedowns/status"
        | "/console/takedowns/campaigns"
        | "/console/takedowns/campaigns/status"
        | "/console/imports"
        | "/console/imports/preview"
        | "/console/imports/apply"
        | "/console/versions" => Access::AnyOf(SECURITY),
        p if p.starts_with("/console/versions/") && p.ends_with("/rollback") => Access::AnyOf(ADMIN),
        p if ["/console/takedowns/", "/console/imports/jobs/"].iter().any(|prefix| {
            p.strip_prefix(prefix).is_some_and(|id| !id.is_empty() && id.bytes().all(|b| b.is_ascii_digit()))
        }) =>
        {
            Access::AnyOf(SECURITY)
        }
        "/console/official" => Access::AnyOf(SECURITY),
        p if p.starts_with("/console/official/") => Access::AnyOf(SECURITY),
        "/console/dashboard" => Access::AnyOf(SECURITY),
        "/console/triage"
        | "/console/triage/decide"
        | "/console/triage/restore"
        | "/console/triage/close-report" => Access::AnyOf(SECURITY),
        p if p.starts_with("/console/dashboard/") && p.ends_with(".svg") => Access::AnyOf(SECURITY),
        p if p.starts_with("/console/escalations/") && p.ends_with("/decide") => Access::AnyOf(ANALYST),
        "/console/bulletins" | "/console/bulletins/templates" => Access::AnyOf(PUBLISHING),
        "/console/bulletins/new" => Access::AnyOf(PUBLISHER),
        "/console/bulletins/settings" => Access::AnyOf(ADMIN),
        p if p.strip_prefix("/console/bulletins/").and_then(bulletin_access).is_some() => {
            p.strip_prefix("/console/bulletins/").and_then(bulletin_access).unwrap_or(Access::AnyOf(ADMIN))
        }
        p if p.starts_with("/staff/") || p.starts_with("/console/") => Access::AnyOf(ADMIN),
        _ => return None,
    };
    Some(rule)
}

/// Whether a state-changing request comes from this site: the browser's `Sec-Fetch-Site`
/// when it sends one, else an `Origin` equal to the site's; a request with neither is refused.
pub fn same_origin(headers: &HeaderMap, origin: &str) -> bool {
    if let Some(site) = headers.get("sec-fetch-site") {
        return site.as_bytes() == b"same-origin";
    }
    headers.get(header::ORIGIN).is_some_and(|o| o.as_bytes() == origin.trim_end_matches('/').as_bytes())
}

fn changes_state(method: &Method) -> bool {
    !matches!(*method, Method::GET | Method::HEAD | Method::OPTIONS)
}

/// The gate: runs for every request; does nothing for public paths.
pub async fn enforce(State(state): State<AppState>, mut request: Request, next: Next) -> Response {
    let Some(rule) = access(request.uri().path()) else {
        return next.run(request).await;
    };
    let response = match gate(&state, rule, &mut request).await {
        Some(answer) => answer,
        None => next.run(request).await,
    };
    staff_headers(response)
}

/// Decides a staff request: `Some(answer)` to refuse or redirect it, `None` to let it
/// through (with the [`Signed`] session in its extensions when it has one).
async fn gate(state: &AppState, rule: Access, request: &mut Request) -> Option<Response> {
    let settings = &state.staff;
    let method = request.method().clone();
    if changes_state(&method) && !same_origin(request.headers(), &settings.origin) {
        return Some(refuse(
            StatusCode::FORBIDDEN,
            "This request did not come from this site's own pages, so it was refused.",
        ));
    }
    let signed = match session::token_in(request.headers(), settings.secure_cookie) {
        Some(token) => match session::resolve(&state.db, &token, OffsetDateTime::now_utc()).await {
            Ok(signed) => signed,
            Err(e) => {
                tracing::warn!(error = %e, "reading a staff session failed");
                return Some(refuse(
                    StatusCode::SERVICE_UNAVAILABLE,
                    "Sign-in is unavailable for a moment (the database cannot be reached). Try again shortly.",
                ));
            }
        },
        None => None,
    };
    let path = request.uri().path().trim_end_matches('/').to_owned();
    let verdict = match (rule, &signed) {
        (Access::Open, _) => None,
        (Access::HalfSigned, Some(s)) if s.stage == Stage::Password => None,
        (Access::HalfSigned, Some(s)) => Some(Redirect::to(super::signin::landing(&s.user)).into_response()),
        (Access::HalfSigned, None) => Some(to_sign_in(&method)),
        (Access::AnyOf(_), None) => Some(to_sign_in(&method)),
        (Access::AnyOf(_), Some(s)) if s.stage != Stage::Full => {
            Some(Redirect::to(SECOND_FACTOR).into_response())
        }
        (Access::AnyOf(_), Some(s)) if s.user.must_change_password && path != PASSWORD => {
            Some(Redirect::to(PASSWORD).into_response())
        }
        (Access::AnyOf(roles), Some(s)) if !roles.iter().any(|r| s.user.has(*r)) => Some(refuse(
            StatusCode::FORBIDDEN,
            "Your account does not have the role this page needs. Ask an administrator if you need it.",
        )),
        (Access::AnyOf(_), Some(_)) => None,
    };
    if verdict.is_some() {
        return verdict;
    }
    if let Some(signed) = signed {
        request.extensions_mut().insert::<Signed>(signed);
    }
    None
}

/// An anonymous (or expired) visitor: a page goes to sign-in; an action is refused, since
/// repeating a POST after signing in is not something to do behind someone's back.
fn to_sign_in(method: &Method) -> Response {
    if changes_state(method) {
        refuse(
            StatusCode::UNAUTHORIZED,
            "You are not signed in (or your session ended). Sign in and try again.",
        )
    } else {
        Redirect::to(SIGN_IN).into_response()
    }
}

/// A short plain answer in both languages.
pub fn refuse(status: StatusCode, english: &str) -> Response {
    let chinese = match status {
        StatusCode::FORBIDDEN => "您沒有這項操作的權限，或這個請求不是來自本站的頁面。",
        StatusCode::UNAUTHORIZED => "您尚未登入或登入已逾時，請重新登入。",
        _ => "登入功能暫時無法使用，請稍後再試。",
    };
    let body = format!("{chinese}\n{english}\n");
    let mut response = (status, body).into_response();
    response
        .headers_mut()
        .insert(header::CONTENT_TYPE, HeaderValue::from_static("text/plain; charset=utf-8"));
    response
}

/// Every staff answer: never stored by a browser or a proxy, never indexed.
fn staff_headers(mut response: Response<Body>) -> Response<Body> {
    let headers = response.headers_mut();
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("private, no-store"));
    headers.insert(
        header::HeaderName::from_static("x-robots-tag"),
        HeaderValue::from_static("noindex, nofollow"),
    );
    response
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_console_path_has_a_rule_and_an_unknown_staff_path_needs_an_admin() {
        assert_eq!(access("/"), None);
        assert_eq!(access("/domain/kgi.com.tw"), None);
        assert_eq!(access("/consoles"), None, "a public path that only starts alike");
        assert_eq!(access(SIGN_IN), Some(Access::Open));
        assert_eq!(access("/console/"), Some(Access::AnyOf(CONSOLE)));
        assert_eq!(access("/console/escalations/7/decide"), Some(Access::AnyOf(ANALYST)));
        assert_eq!(access("/console/official"), Some(Access::AnyOf(SECURITY)));
        assert_eq!(access("/console/official/proposals/7/approve"), Some(Access::AnyOf(SECURITY)));
        assert_eq!(access("/console/officially"), Some(Access::AnyOf(ADMIN)), "only starts alike");
        assert_eq!(access("/console/dashboard/status.svg"), Some(Access::AnyOf(SECURITY)));
        assert_eq!(access("/console/triage/decide"), Some(Access::AnyOf(SECURITY)));
        assert_eq!(access("/console/triage/other"), Some(Access::AnyOf(ADMIN)));
        assert_eq!(
            access("/console/dashboard/other"),
            Some(Access::AnyOf(ADMIN)),
            "only charts are the analysts'"
        );
        assert_eq!(access("/console/takedowns/campaigns"), Some(Access::AnyOf(SECURITY)));
        assert_eq!(access("/console/imports/jobs/12"), Some(Access::AnyOf(SECURITY)));
        assert_eq!(access("/console/imports/jobs/12/x"), Some(Access::AnyOf(ADMIN)), "only a job's own page");
        assert_eq!(
            access("/console/news"),
            Some(Access::AnyOf(EVERY_ROLE)),
            "every staff member sees the news"
        );
        assert_eq!(access("/console/not-yet-written"), Some(Access::AnyOf(ADMIN)));
        assert_eq!(access("/console/bulletins"), Some(Access::AnyOf(PUBLISHING)));
        assert_eq!(access("/console/bulletins/new"), Some(Access::AnyOf(PUBLISHER)));
        assert_eq!(access("/console/bulletins/settings"), Some(Access::AnyOf(ADMIN)));
        assert_eq!(access("/console/bulletins/templates/3"), Some(Access::AnyOf(PUBLISHING)));
        assert_eq!(access("/console/bulletins/12"), Some(Access::AnyOf(PUBLISHER)));
        assert_eq!(access("/console/bulletins/12/preview-fragment"), Some(Access::AnyOf(PUBLISHER)));
        assert_eq!(
            access("/console/bulletins/12/other"),
            Some(Access::AnyOf(ADMIN)),
            "only the known actions"
        );
        assert_eq!(access("/console/bulletins/x/save"), Some(Access::AnyOf(ADMIN)));
        assert_eq!(access("/staff/anything"), Some(Access::AnyOf(ADMIN)));
    }

    #[test]
    fn a_change_must_come_from_the_site_itself() {
        let origin = "https://fraudcheck.example.com";
        let mut headers = HeaderMap::new();
        assert!(!same_origin(&headers, origin), "neither header");
        headers.insert(header::ORIGIN, HeaderValue::from_static("https://fraudcheck.example.com"));
        assert!(same_origin(&headers, origin));
        headers.insert(header::ORIGIN, HeaderValue::from_static("https://evil.example"));
        assert!(!same_origin(&headers, origin));
        headers.insert("sec-fetch-site", HeaderValue::from_static("cross-site"));
        assert!(!same_origin(&headers, origin));
        headers.insert("sec-fetch-site", HeaderValue::from_static("same-site"));
        assert!(!same_origin(&headers, origin), "a sibling subdomain is not this site");
        headers.insert("sec-fetch-site", HeaderValue::from_static("same-origin"));
        assert!(same_origin(&headers, origin));
    }
}
