//! Staff in tests: signing in as a member of staff with given roles (the second factor's code
//! computed as an authenticator app would), and requests as their browser sends them.

use axum::body::Body;
use axum::http::{header, Request, StatusCode};
use server::staff::{accounts, totp};
use store::staff::Role;

use super::{form_request, Answer, TestSite};

pub const NEW_PASSWORD: &str = "violet tundra marmalade cobalt";

/// The session cookie a response hands out (`staff=<token>`), if any.
pub fn cookie_of(answer: &Answer) -> Option<String> {
    answer
        .headers
        .get_all(header::SET_COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .find(|c| c.starts_with("staff=") && !c.contains("Max-Age=0"))
        .map(|c| c.split(';').next().unwrap_or_default().to_owned())
}

/// A form POST from the site's own page, with the browser's cookie.
pub fn same_site_post(path: &str, fields: &[(&str, &str)], cookie: Option<&str>) -> Request<Body> {
    let mut request = form_request(path, fields);
    request.headers_mut().insert("sec-fetch-site", "same-origin".parse().unwrap());
    if let Some(cookie) = cookie {
        request.headers_mut().insert(header::COOKIE, cookie.parse().unwrap());
    }
    request
}

/// A form POST from the site's own page and, when it answers 303 (Post/Redirect/Get), the GET
/// of the page it names, as a browser follows it: the answer the member of staff reads, with
/// the address it was read at (the POST's own path when it did not redirect).
pub async fn post_and_follow(
    site: &TestSite,
    path: &str,
    fields: &[(&str, &str)],
    cookie: &str,
) -> (String, Answer) {
    let posted = site.send(same_site_post(path, fields, Some(cookie))).await;
    if posted.status != StatusCode::SEE_OTHER {
        return (path.to_owned(), posted);
    }
    let location = posted.header("location").to_owned();
    let page = site.send(get_with(&location, Some(cookie))).await;
    (location, page)
}

pub fn get_with(path: &str, cookie: Option<&str>) -> Request<Body> {
    let mut request = Request::get(path).body(Body::empty()).unwrap();
    if let Some(cookie) = cookie {
        request.headers_mut().insert(header::COOKIE, cookie.parse().unwrap());
    }
    request
}

pub fn now() -> u64 {
    std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap().as_secs()
}

/// The code an authenticator app shows now for the user's secret.
pub async fn code_for(site: &TestSite, login: &str, at: u64) -> String {
    let credentials = store::staff::credentials(&site.state.db, login).await.unwrap().unwrap();
    totp::code_at(&credentials.totp_secret.expect("enrolled"), at).unwrap()
}

/// Creates an account and signs it in all the way (password, enrolment, own password), as a
/// new member of staff does on their first day; returns the session cookie.
pub async fn new_staff(site: &TestSite, login: &str, roles: &[Role]) -> String {
    let created = accounts::create(&site.state.db, login, "", roles, (None, "test")).await.unwrap();
    let half = site
        .send(same_site_post(
            "/staff/sign-in",
            &[("login", login), ("password", &created.one_time_password)],
            None,
        ))
        .await;
    assert_eq!(half.status, StatusCode::SEE_OTHER, "{}", half.body);
    assert_eq!(half.header("location"), "/staff/second-factor");
    let half = cookie_of(&half).expect("a half signed-in session");
    let enrol = site.send(get_with("/staff/second-factor", Some(&half))).await;
    assert!(enrol.body.contains("<svg"), "the QR code to enrol: {}", enrol.body);
    let code = code_for(site, login, now()).await;
    let full = site.send(same_site_post("/staff/second-factor", &[("code", &code)], Some(&half))).await;
    assert_eq!(full.header("location"), "/staff/password", "a one-time password is changed first");
    let full = cookie_of(&full).expect("a signed-in session");
    assert_ne!(full, half, "a new session id after the second factor");
    let forced = site.send(get_with("/console", Some(&full))).await;
    assert_eq!(forced.header("location"), "/staff/password");
    let changed = site
        .send(same_site_post(
            "/staff/password",
            &[("current", &created.one_time_password), ("new", NEW_PASSWORD), ("confirm", NEW_PASSWORD)],
            Some(&full),
        ))
        .await;
    let landing = match roles {
        r if r.contains(&Role::Agent) || r.contains(&Role::Analyst) => "/console",
        r if r.contains(&Role::Admin) => "/console/users",
        r if r.contains(&Role::Publisher) => "/console/bulletins",
        _ => "/staff/password",
    };
    assert_eq!(changed.header("location"), landing, "each role starts where its work is: {}", changed.body);
    cookie_of(&changed).expect("a fresh session after the password change")
}

/// Reads a server-sent event stream until its text so far holds `needle`; `None` when
/// `within` passes first.
#[allow(dead_code)]
pub async fn next_event_with(
    body: &mut axum::body::Body,
    needle: &str,
    within: std::time::Duration,
) -> Option<String> {
    use http_body_util::BodyExt;
    let deadline = tokio::time::Instant::now() + within;
    let mut seen = String::new();
    while let Ok(Some(Ok(frame))) = tokio::time::timeout_at(deadline, body.frame()).await {
        if let Some(data) = frame.data_ref() {
            seen.push_str(&String::from_utf8_lossy(data));
            if seen.contains(needle) {
                return Some(seen);
            }
        }
    }
    None
}
