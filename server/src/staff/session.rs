//! Staff sessions (OWASP ASVS 5.0 §7): the cookie holds 256 random bits; the database keeps
//! only their SHA-256, so a copy of it opens no session. Idle for 30 minutes or 12 hours old,
//! a session is over, whichever instance is asked. A new token is issued after the password
//! and again after the second factor; sign-out, a password or factor change, disabling and an
//! admin's "end sessions" delete the rows, which every instance sees at the next request.

use axum::http::{header, HeaderMap, HeaderValue};
use sha2::{Digest, Sha256};
use time::{Duration, OffsetDateTime};

use store::staff::{Session, StaffUser, Stage};
use store::{Db, StoreError};

/// A session unused this long is over.
pub const IDLE_LIMIT: Duration = Duration::minutes(30);
/// A session this old is over, however busy.
pub const ABSOLUTE_LIMIT: Duration = Duration::hours(12);
/// "Last seen" is written at most this often (idle expiry is counted in these steps).
pub const TOUCH_EVERY: Duration = Duration::seconds(60);

/// The signed-in (or half signed-in) staff member of a request, put there by the guard.
#[derive(Clone, Debug)]
pub struct Signed {
    pub user: StaffUser,
    pub stage: Stage,
    pub token_hash: String,
}

/// The cookie's name: with the `__Host-` prefix over HTTPS, which browsers accept only from
/// a secure origin, with `Path=/` and without a domain.
pub fn cookie_name(secure: bool) -> &'static str {
    if secure {
        "__Host-staff"
    } else {
        "staff"
    }
}

/// A new token and the hash the database keeps of it.
pub fn new_token() -> Option<(String, String)> {
    let mut bytes = [0u8; 32];
    getrandom::fill(&mut bytes).ok()?;
    let token = store::audit::hex(&bytes);
    let hash = token_hash(&token);
    Some((token, hash))
}

pub fn token_hash(token: &str) -> String {
    store::audit::hex(&Sha256::digest(token.as_bytes()))
}

/// The `Set-Cookie` value that hands a browser its session token. No `Max-Age`: the browser
/// forgets it when it closes, and the server enforces both limits whatever the browser keeps.
pub fn session_cookie(token: &str, secure: bool) -> HeaderValue {
    let secure_attr = if secure { "; Secure" } else { "" };
    let text = format!("{}={token}; Path=/; HttpOnly; SameSite=Strict{secure_attr}", cookie_name(secure));
    HeaderValue::from_str(&text).unwrap_or_else(|_| HeaderValue::from_static("staff=; Path=/"))
}

/// The `Set-Cookie` value that makes the browser forget its token.
pub fn cleared_cookie(secure: bool) -> HeaderValue {
    let secure_attr = if secure { "; Secure" } else { "" };
    let text = format!("{}=; Path=/; HttpOnly; SameSite=Strict; Max-Age=0{secure_attr}", cookie_name(secure));
    HeaderValue::from_str(&text).unwrap_or_else(|_| HeaderValue::from_static("staff=; Path=/; Max-Age=0"))
}

/// The session token the request carries, if any.
pub fn token_in(headers: &HeaderMap, secure: bool) -> Option<String> {
    let name = cookie_name(secure);
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(k, v)| *k == name && v.len() == 64 && v.bytes().all(|b| b.is_ascii_hexdigit()))
        .map(|(_, v)| v.to_owned())
}

/// What the limits say of a session now.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Expiry {
    /// Still good; `touch` when its "last seen" is worth writing again.
    Live { touch: bool },
    /// Unused for longer than the idle limit.
    Idle,
    /// Older than the absolute limit.
    TooOld,
}

/// Judges a session by its times.
pub fn judge(created: OffsetDateTime, last_seen: OffsetDateTime, now: OffsetDateTime) -> Expiry {
    if now - created >= ABSOLUTE_LIMIT {
        Expiry::TooOld
    } else if now - last_seen >= IDLE_LIMIT {
        Expiry::Idle
    } else {
        Expiry::Live { touch: now - last_seen >= TOUCH_EVERY }
    }
}

pub fn parse_time(text: &str) -> Option<OffsetDateTime> {
    OffsetDateTime::parse(text, &time::format_description::well_known::Rfc3339).ok()
}

pub fn format_time(at: OffsetDateTime) -> String {
    at.replace_nanosecond(0)
        .unwrap_or(at)
        .format(&time::format_description::well_known::Rfc3339)
        .unwrap_or_default()
}

/// The session a request's token opens now, if any: an expired one, or one whose account is
/// disabled, is deleted and opens nothing.
pub async fn resolve(db: &Db, token: &str, now: OffsetDateTime) -> Result<Option<Signed>, StoreError> {
    let hash = token_hash(token);
    let Some(Session { user_id, stage, created_at, last_seen_at }) = store::staff::session(db, &hash).await?
    else {
        return Ok(None);
    };
    let (Some(created), Some(last_seen)) = (parse_time(&created_at), parse_time(&last_seen_at)) else {
        store::staff::end_session(db, &hash).await?;
        return Ok(None);
    };
    match judge(created, last_seen, now) {
        Expiry::Idle | Expiry::TooOld => {
            store::staff::end_session(db, &hash).await?;
            Ok(None)
        }
        Expiry::Live { touch } => {
            let Some(user) = store::staff::user(db, user_id).await?.filter(|u| !u.disabled) else {
                store::staff::end_session(db, &hash).await?;
                return Ok(None);
            };
            if touch {
                store::staff::touch_session(db, &hash, &format_time(now)).await?;
            }
            Ok(Some(Signed { user, stage, token_hash: hash }))
        }
    }
}

/// Whether the session of `token_hash` is still open now, without counting this as use (a
/// page left open with its live updates is not someone at work).
pub async fn still_open(db: &Db, token_hash: &str, now: OffsetDateTime) -> Result<bool, StoreError> {
    let Some(session) = store::staff::session(db, token_hash).await? else { return Ok(false) };
    let times = parse_time(&session.created_at).zip(parse_time(&session.last_seen_at));
    Ok(times
        .is_some_and(|(created, last_seen)| matches!(judge(created, last_seen, now), Expiry::Live { .. })))
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::datetime;

    #[test]
    fn a_session_ends_after_30_idle_minutes_or_12_hours_whichever_comes_first() {
        let start = datetime!(2026-12-01 08:00 UTC);
        assert_eq!(judge(start, start, start), Expiry::Live { touch: false });
        assert_eq!(judge(start, start, start + Duration::seconds(61)), Expiry::Live { touch: true });
        assert_eq!(judge(start, start, start + Duration::minutes(29)), Expiry::Live { touch: true });
        assert_eq!(judge(start, start, start + Duration::minutes(30)), Expiry::Idle);
        // Busy all day: the absolute limit still ends it.
        let late = start + Duration::hours(12);
        assert_eq!(judge(start, late - Duration::seconds(10), late), Expiry::TooOld);
        assert_eq!(
            judge(start, late - Duration::minutes(2), late - Duration::seconds(1)),
            Expiry::Live { touch: true }
        );
    }

    #[test]
    fn the_cookie_is_http_only_strict_and_host_prefixed_over_https() {
        let plain = session_cookie(&"a".repeat(64), false);
        assert_eq!(
            plain.to_str().unwrap(),
            format!("staff={}; Path=/; HttpOnly; SameSite=Strict", "a".repeat(64))
        );
        let secure = session_cookie(&"a".repeat(64), true);
        let secure = secure.to_str().unwrap();
        assert!(secure.starts_with("__Host-staff=") && secure.ends_with("; Secure"), "{secure}");
        assert!(cleared_cookie(false).to_str().unwrap().contains("Max-Age=0"));
    }

    #[test]
    fn only_a_well_formed_token_in_our_cookie_is_read() {
        let (token, hash) = new_token().unwrap();
        assert_eq!((token.len(), hash.len()), (64, 64));
        assert_ne!(token, hash);
        let mut headers = HeaderMap::new();
        headers.insert(header::COOKIE, HeaderValue::from_str(&format!("lang=en; staff={token}")).unwrap());
        assert_eq!(token_in(&headers, false), Some(token.clone()));
        assert_eq!(token_in(&headers, true), None, "over HTTPS only the prefixed cookie counts");
        headers.insert(header::COOKIE, HeaderValue::from_static("staff=../../etc"));
        assert_eq!(token_in(&headers, false), None);
    }
}
