//! Per-client rate limits on the check and the report: a token bucket per client address,
//! in memory, with a bounded number of addresses and an injectable clock for tests.
//!
//! The client address is the connection's peer address. Only with `TRUST_PROXY_HEADERS=true`
//! is it the right-most `X-Forwarded-For` entry instead: the one the reverse proxy in front
//! of us appended. Trusting that header without such a proxy would let anybody choose their
//! own key (and so never be limited), which is why it is off by default.

use std::collections::HashMap;
use std::net::{IpAddr, SocketAddr};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use axum::body::Body;
use axum::extract::{ConnectInfo, Request, State};
use axum::http::{header, HeaderMap, HeaderValue, Method, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use axum::Json;
use leptos::server_fn::error::FromServerFnError;

use app::lookup::CheckFailure;

use crate::api::failure_response;
use crate::config::Protection;

/// Where the time comes from: the system clock, or a hand-moved one in tests.
pub type Clock = Arc<dyn Fn() -> Instant + Send + Sync>;

/// The most client addresses remembered at once. Past it, idle ones are forgotten
/// first; if all are busy, newcomers share one bucket, so memory stays bounded under a
/// flood of fresh addresses at the price of limiting those newcomers together.
pub const MAX_CLIENTS: usize = 100_000;

/// Who a request is counted against. IPv6 clients are counted per /64, since one
/// subscriber usually holds a whole /64 and could otherwise rotate through it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum ClientKey {
    V4(std::net::Ipv4Addr),
    V6Prefix(u64),
    /// No address known (a request that did not come through a socket): one shared key.
    Unknown,
    /// Newcomers while every slot is taken.
    Overflow,
}

impl From<IpAddr> for ClientKey {
    fn from(ip: IpAddr) -> Self {
        match ip {
            IpAddr::V4(v4) => Self::V4(v4),
            IpAddr::V6(v6) => match v6.to_ipv4_mapped() {
                Some(v4) => Self::V4(v4),
                None => Self::V6Prefix((u128::from(v6) >> 64) as u64),
            },
        }
    }
}

/// The key for a request: the proxy's `X-Forwarded-For` entry when trusted and readable,
/// else the connection's address, else the shared unknown key.
pub fn client_key(headers: &HeaderMap, peer: Option<SocketAddr>, trust_proxy_headers: bool) -> ClientKey {
    let forwarded = trust_proxy_headers.then(|| forwarded_client(headers)).flatten();
    forwarded.or(peer.map(|p| p.ip())).map_or(ClientKey::Unknown, ClientKey::from)
}

/// The client's address as text (for the audit log and the sign-in limit): the same choice
/// as [`client_key`], `unknown` when there is none.
pub fn client_address(headers: &HeaderMap, peer: Option<SocketAddr>, trust_proxy_headers: bool) -> String {
    let forwarded = trust_proxy_headers.then(|| forwarded_client(headers)).flatten();
    forwarded.or(peer.map(|p| p.ip())).map_or_else(|| "unknown".to_owned(), |ip| ip.to_string())
}

/// The right-most `X-Forwarded-For` entry (of all such headers), if it is an address.
fn forwarded_client(headers: &HeaderMap) -> Option<IpAddr> {
    let last = headers
        .get_all("x-forwarded-for")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(','))
        .map(str::trim)
        .rfind(|entry| !entry.is_empty())?;
    last.parse::<IpAddr>().ok().or_else(|| last.parse::<SocketAddr>().ok().map(|s| s.ip()))
}

/// A request over its limit may try again after this long.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct RetryAfter(pub Duration);

impl RetryAfter {
    /// Whole seconds, rounded up and at least one, as the `Retry-After` header wants them.
    pub fn seconds(self) -> u64 {
        (self.0.as_secs() + u64::from(self.0.subsec_nanos() > 0)).max(1)
    }
}

/// Token buckets keyed by client: each holds up to `count` requests and refills at
/// `count` per `period`.
pub struct KeyedLimiter {
    capacity: f64,
    /// How long one request takes to come back into the bucket.
    seconds_per_token: f64,
    max_clients: usize,
    clock: Clock,
    buckets: Mutex<Buckets>,
}

struct Buckets {
    by_client: HashMap<ClientKey, Bucket>,
    swept_at: Instant,
}

#[derive(Clone, Copy)]
struct Bucket {
    tokens: f64,
    at: Instant,
}

impl KeyedLimiter {
    /// `count` requests per `period` for each client, all of them at once if it likes.
    pub fn new(count: u32, period: Duration, clock: Clock) -> Self {
        Self::with_max_clients(count, period, clock, MAX_CLIENTS)
    }

    fn with_max_clients(count: u32, period: Duration, clock: Clock, max_clients: usize) -> Self {
        let capacity = f64::from(count.max(1));
        let now = clock();
        Self {
            capacity,
            seconds_per_token: period.as_secs_f64().max(0.001) / capacity,
            max_clients,
            clock,
            buckets: Mutex::new(Buckets { by_client: HashMap::new(), swept_at: now }),
        }
    }

    /// Takes one request from `key`'s bucket, or says how long until one is free.
    pub fn check(&self, key: ClientKey) -> Result<(), RetryAfter> {
        let now = (self.clock)();
        // A panic elsewhere while holding the lock leaves plain numbers behind; keep using them.
        let mut buckets = self.buckets.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
        let full = Bucket { tokens: self.capacity, at: now };
        let since_sweep = now.saturating_duration_since(buckets.swept_at);
        if since_sweep >= self.time_to_fill()
            || (buckets.by_client.len() >= self.max_clients && since_sweep >= Duration::from_secs(1))
        {
            self.sweep(&mut buckets, now);
        }
        let key = if buckets.by_client.contains_key(&key) || buckets.by_client.len() < self.max_clients {
            key
        } else {
            ClientKey::Overflow
        };
        let bucket = buckets.by_client.entry(key).or_insert(full);
        let elapsed = now.saturating_duration_since(bucket.at).as_secs_f64();
        bucket.tokens = (bucket.tokens + elapsed / self.seconds_per_token).min(self.capacity);
        bucket.at = now;
        if bucket.tokens >= 1.0 {
            bucket.tokens -= 1.0;
            Ok(())
        } else {
            Err(RetryAfter(Duration::from_secs_f64((1.0 - bucket.tokens) * self.seconds_per_token)))
        }
    }

    /// How many clients are remembered (for tests).
    pub fn clients(&self) -> usize {
        self.buckets.lock().unwrap_or_else(|poisoned| poisoned.into_inner()).by_client.len()
    }

    fn time_to_fill(&self) -> Duration {
        Duration::from_secs_f64(self.capacity * self.seconds_per_token)
    }

    /// Forgets clients whose bucket has refilled: they would start full anyway.
    fn sweep(&self, buckets: &mut Buckets, now: Instant) {
        let (capacity, seconds_per_token) = (self.capacity, self.seconds_per_token);
        buckets.by_client.retain(|_, b| {
            b.tokens + now.saturating_duration_since(b.at).as_secs_f64() / seconds_per_token < capacity
        });
        buckets.swept_at = now;
    }
}

/// The limited endpoints and what an over-limit answer looks like on each.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Endpoint {
    /// `POST /`: the check without JavaScript; answered by the home page with a message.
    CheckForm,
    /// `POST /api/check`: the paste box's server function; answered with its typed error.
    CheckFunction,
    /// `POST /api/v1/check`: the JSON API; answered with its JSON error.
    CheckApi,
    /// `POST /report`: answered by the report form with a message, the text kept.
    ReportForm,
}

impl Endpoint {
    /// The limited endpoint a request is for, if any.
    pub fn of(method: &Method, path: &str) -> Option<Self> {
        if method != Method::POST {
            return None;
        }
        match path {
            "/" => Some(Self::CheckForm),
            "/api/check" => Some(Self::CheckFunction),
            "/api/v1/check" => Some(Self::CheckApi),
            "/report" => Some(Self::ReportForm),
            _ => None,
        }
    }
}

/// Marks a form post that is over its limit: the form's handler renders its page with
/// a friendly message instead of doing the work.
#[derive(Clone, Copy, Debug)]
pub struct Throttled(pub RetryAfter);

/// The limits of one site: checks and reports have separate buckets.
#[derive(Clone)]
pub struct RateLimits {
    check: Arc<KeyedLimiter>,
    report: Arc<KeyedLimiter>,
    trust_proxy_headers: bool,
}

impl RateLimits {
    /// The configured limits on the system clock.
    pub fn new(protection: &Protection) -> Self {
        Self::with_clock(protection, Arc::new(Instant::now))
    }

    /// The configured limits on the given clock.
    pub fn with_clock(protection: &Protection, clock: Clock) -> Self {
        Self {
            check: Arc::new(KeyedLimiter::new(
                protection.check_per_minute,
                Duration::from_secs(60),
                clock.clone(),
            )),
            report: Arc::new(KeyedLimiter::new(protection.report_per_hour, Duration::from_secs(3600), clock)),
            trust_proxy_headers: protection.trust_proxy_headers,
        }
    }
}

/// The middleware: counts requests to the limited endpoints and answers those over the
/// limit with 429 and `Retry-After`, in the form each endpoint's callers understand.
pub async fn enforce(State(limits): State<RateLimits>, mut request: Request, next: Next) -> Response {
    let Some(endpoint) = Endpoint::of(request.method(), request.uri().path()) else {
        return next.run(request).await;
    };
    let peer = request.extensions().get::<ConnectInfo<SocketAddr>>().map(|c| c.0);
    let key = client_key(request.headers(), peer, limits.trust_proxy_headers);
    let limiter = if endpoint == Endpoint::ReportForm { &limits.report } else { &limits.check };
    let Err(retry) = limiter.check(key) else {
        return next.run(request).await;
    };
    // The address stays out of the logs (it is personal data), and the level is debug so a
    // flood of refused requests cannot flood the logs too.
    tracing::debug!(?endpoint, "rate limit reached");
    let failure = CheckFailure::RateLimited { retry_after_secs: retry.seconds() };
    let mut response = match endpoint {
        Endpoint::CheckApi => {
            let (_, error) = failure_response(&failure);
            Json(error).into_response()
        }
        Endpoint::CheckFunction => {
            let mut response = Response::new(Body::from(failure.ser()));
            response.headers_mut().insert(header::CONTENT_TYPE, HeaderValue::from_static("application/json"));
            response
        }
        Endpoint::CheckForm | Endpoint::ReportForm => {
            request.extensions_mut().insert(Throttled(retry));
            next.run(request).await
        }
    };
    *response.status_mut() = StatusCode::TOO_MANY_REQUESTS;
    response.headers_mut().insert(header::RETRY_AFTER, HeaderValue::from(retry.seconds()));
    response
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A clock that only moves when told to.
    fn manual_clock() -> (Clock, Arc<Mutex<Instant>>) {
        let now = Arc::new(Mutex::new(Instant::now()));
        let reader = now.clone();
        (Arc::new(move || *reader.lock().unwrap()), now)
    }

    fn advance(now: &Mutex<Instant>, by: Duration) {
        let mut t = now.lock().unwrap();
        *t += by;
    }

    fn ip(s: &str) -> ClientKey {
        ClientKey::from(s.parse::<IpAddr>().unwrap())
    }

    #[test]
    fn a_client_may_use_its_whole_quota_at_once_then_waits_for_a_refill() {
        let (clock, now) = manual_clock();
        let limiter = KeyedLimiter::new(3, Duration::from_secs(60), clock);
        for _ in 0..3 {
            assert_eq!(limiter.check(ip("1.2.3.4")), Ok(()));
        }
        assert_eq!(limiter.check(ip("1.2.3.4")), Err(RetryAfter(Duration::from_secs(20))));
        advance(&now, Duration::from_secs(20));
        assert_eq!(limiter.check(ip("1.2.3.4")), Ok(()));
        assert!(limiter.check(ip("1.2.3.4")).is_err());
    }

    #[test]
    fn one_client_over_its_limit_does_not_limit_another() {
        let (clock, _) = manual_clock();
        let limiter = KeyedLimiter::new(1, Duration::from_secs(60), clock);
        assert!(limiter.check(ip("1.2.3.4")).is_ok());
        assert!(limiter.check(ip("1.2.3.4")).is_err());
        assert!(limiter.check(ip("5.6.7.8")).is_ok());
    }

    #[test]
    fn addresses_in_one_ipv6_64_share_a_bucket() {
        assert_eq!(ip("2001:db8:1:2::1"), ip("2001:db8:1:2:ffff::9"));
        assert_ne!(ip("2001:db8:1:2::1"), ip("2001:db8:1:3::1"));
        assert_eq!(ip("::ffff:1.2.3.4"), ip("1.2.3.4"));
    }

    #[test]
    fn idle_clients_are_forgotten_and_newcomers_share_a_bucket_when_memory_is_full() {
        let (clock, now) = manual_clock();
        let limiter = KeyedLimiter::with_max_clients(1, Duration::from_secs(60), clock, 2);
        assert!(limiter.check(ip("10.0.0.1")).is_ok());
        assert!(limiter.check(ip("10.0.0.2")).is_ok());
        // Full: the third and fourth newcomers share the overflow bucket of one request.
        assert!(limiter.check(ip("10.0.0.3")).is_ok());
        assert!(limiter.check(ip("10.0.0.4")).is_err());
        assert!(limiter.clients() <= 3);
        // A minute later every bucket has refilled, so all are forgotten.
        advance(&now, Duration::from_secs(61));
        assert!(limiter.check(ip("10.0.0.5")).is_ok());
        assert_eq!(limiter.clients(), 1);
    }

    #[test]
    fn the_forwarded_address_counts_only_when_the_proxy_is_trusted() {
        let mut headers = HeaderMap::new();
        headers.append("x-forwarded-for", HeaderValue::from_static("6.6.6.6, 203.0.113.7"));
        let peer = Some("127.0.0.1:5000".parse().unwrap());
        assert_eq!(client_key(&headers, peer, false), ip("127.0.0.1"));
        // The right-most entry is the one our proxy wrote; the left ones the client may have made up.
        assert_eq!(client_key(&headers, peer, true), ip("203.0.113.7"));
        headers.insert("x-forwarded-for", HeaderValue::from_static("not-an-address"));
        assert_eq!(client_key(&headers, peer, true), ip("127.0.0.1"));
        assert_eq!(client_key(&HeaderMap::new(), None, true), ClientKey::Unknown);
    }

    #[test]
    fn only_posts_to_the_check_and_report_are_limited() {
        assert_eq!(Endpoint::of(&Method::POST, "/"), Some(Endpoint::CheckForm));
        assert_eq!(Endpoint::of(&Method::POST, "/api/check"), Some(Endpoint::CheckFunction));
        assert_eq!(Endpoint::of(&Method::POST, "/api/v1/check"), Some(Endpoint::CheckApi));
        assert_eq!(Endpoint::of(&Method::POST, "/report"), Some(Endpoint::ReportForm));
        assert_eq!(Endpoint::of(&Method::GET, "/report"), None);
        assert_eq!(Endpoint::of(&Method::POST, "/api/bulletins/latest"), None);
    }

    #[test]
    fn retry_after_is_whole_seconds_rounded_up() {
        assert_eq!(RetryAfter(Duration::from_millis(1500)).seconds(), 2);
        assert_eq!(RetryAfter(Duration::from_secs(20)).seconds(), 20);
        assert_eq!(RetryAfter(Duration::ZERO).seconds(), 1);
    }
}
