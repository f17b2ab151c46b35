//! The verification site's server: wires the router, health checks and the no-JS
//! check form around the Leptos app, keeps the live index fresh, and shuts down
//! gracefully.

pub mod api;
pub mod assets;
pub mod check_form;
pub mod cli;
pub mod config;
pub mod feeds;
pub mod health;
pub mod language;
pub mod rate_limit;
pub mod report_form;
pub mod telemetry;

use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

use anyhow::Context as _;
use axum::body::Body;
use axum::http::{header, HeaderValue, Response, StatusCode};
use axum::routing::{get, post};
use axum::{middleware, Extension, Router};
use leptos_axum::{generate_route_list, LeptosRoutes};
use tower_http::compression::CompressionLayer;
use tower_http::limit::RequestBodyLimitLayer;
use tower_http::set_header::SetResponseHeaderLayer;
use tower_http::timeout::TimeoutLayer;
use tower_http::trace::TraceLayer;

use app::state::AppState;
use app::{shell, App};
use config::Config;
use rate_limit::RateLimits;
use store::{CheckTally, LiveIndex};

/// The largest request body accepted, in bytes. Above the 64 KB paste limit because a
/// form-encoded paste grows up to threefold; larger bodies get a 413.
pub const MAX_BODY_BYTES: usize = 256 * 1024;

/// How often the check counts in memory are written to the database.
pub const TALLY_FLUSH_INTERVAL: Duration = Duration::from_secs(5);

/// Opens the database, loads the data and serves the site until SIGINT or SIGTERM.
pub async fn serve(config: Config) -> anyhow::Result<()> {
    let state = prepare_state(&config).await?;
    tokio::spawn(keep_data_fresh(state.clone(), config.refresh_interval));
    tokio::spawn(flush_check_counts(state.clone(), TALLY_FLUSH_INTERVAL));
    let addr = config.leptos.site_addr;
    let listener =
        tokio::net::TcpListener::bind(addr).await.with_context(|| format!("cannot listen on {addr}"))?;
    tracing::info!("listening on http://{addr}");
    // The peer address keys the rate limits (see `rate_limit`).
    axum::serve(listener, router(state.clone(), &config).into_make_service_with_connect_info::<SocketAddr>())
        .with_graceful_shutdown(shutdown_signal())
        .await
        .context("server stopped with an error")?;
    // The last counts since the previous flush.
    if let Err(e) = state.tally.flush(&state.db).await {
        tracing::warn!(error = %e, "writing the last check counts failed");
    }
    tracing::info!("shut down");
    Ok(())
}

/// Opens and migrates the database, loads the demo data into an empty one, and
/// builds the first live index.
pub async fn prepare_state(config: &Config) -> anyhow::Result<AppState> {
    let (db, live) = open_data(&config.database_url).await?;
    Ok(AppState { leptos_options: config.leptos.clone(), db, live, tally: Arc::new(CheckTally::default()) })
}

/// The database and its live index, as the server and `server check` use them.
pub async fn open_data(database_url: &str) -> anyhow::Result<(store::Db, Arc<LiveIndex>)> {
    let db = store::open(database_url).await?;
    if let Some(summary) = store::demo::load_if_empty(&db).await.context("loading the demo data failed")? {
        tracing::info!(?summary, "empty database: demo data loaded");
    }
    let live = Arc::new(LiveIndex::default());
    live.reload(&db).await.context("loading the check data failed")?;
    Ok((db, live))
}

/// The whole site: pages, server functions, health checks, static files.
pub fn router(state: AppState, config: &Config) -> Router {
    router_with_limits(state, config, RateLimits::new(&config.protection))
}

/// The whole site with the given rate limits (tests give them a clock they can move).
pub fn router_with_limits(state: AppState, config: &Config, limits: RateLimits) -> Router {
    let routes = generate_route_list(App);
    let options = state.leptos_options.clone();
    let hashed_assets = options.hash_files;
    let router = Router::new()
        .route("/", post(check_form::post))
        .route("/report", post(report_form::post))
        .route("/api/v1/check", post(api::check))
        .route("/lang/{code}", get(language::switch))
        .route("/healthz", get(health::healthz))
        .route("/readyz", get(health::readyz))
        .route("/feed.atom", get(feeds::feed))
        .route("/sitemap.xml", get(feeds::sitemap))
        .route("/robots.txt", get(feeds::robots))
        .leptos_routes(&state, routes, move || shell(options.clone()))
        .fallback(leptos_axum::file_and_error_handler::<AppState, _>(shell))
        .layer(middleware::from_fn_with_state(limits, rate_limit::enforce))
        .layer(middleware::map_response(explain_too_large))
        .layer(middleware::from_fn(move |request, next| assets::cache_control(hashed_assets, request, next)))
        .layer(Extension(config.public_base_url.clone()))
        // HTML pages send their own policy, with the nonce of their hydration script.
        .layer(always(header::CONTENT_SECURITY_POLICY, app::csp::NON_PAGE_POLICY))
        // No framing (a verification page inside someone else's frame is a phishing tool),
        // no MIME sniffing, no referrer (a checked link must not learn where users came from).
        .layer(always(header::X_FRAME_OPTIONS, "DENY"))
        .layer(always(header::X_CONTENT_TYPE_OPTIONS, "nosniff"))
        .layer(always(header::REFERRER_POLICY, "no-referrer"))
        .layer(always(
            header::HeaderName::from_static("permissions-policy"),
            "camera=(), microphone=(), geolocation=()",
        ))
        .layer(RequestBodyLimitLayer::new(MAX_BODY_BYTES))
        .layer(TimeoutLayer::with_status_code(StatusCode::REQUEST_TIMEOUT, config.request_timeout))
        .layer(CompressionLayer::new())
        .layer(TraceLayer::new_for_http())
        .with_state(state);
    // Only once the site is HTTPS for good: browsers then refuse plain HTTP to it for a year.
    if config.protection.https_only {
        router.layer(always(header::STRICT_TRANSPORT_SECURITY, "max-age=31536000"))
    } else {
        router
    }
}

/// A header every response carries unless the handler set its own.
fn always(name: header::HeaderName, value: &'static str) -> SetResponseHeaderLayer<HeaderValue> {
    SetResponseHeaderLayer::if_not_present(name, HeaderValue::from_static(value))
}

/// Gives a bare 413 (from the body limit) a body that says what happened, in both
/// languages. The JSON API's own 413s already explain themselves and are left alone.
async fn explain_too_large(response: Response<Body>) -> Response<Body> {
    let is_json = response
        .headers()
        .get(header::CONTENT_TYPE)
        .is_some_and(|v| v.as_bytes().starts_with(b"application/json"));
    if response.status() != StatusCode::PAYLOAD_TOO_LARGE || is_json {
        return response;
    }
    let mut explained = Response::new(Body::from(
        "內容太長了，無法查證。請只貼上有連結的那一段（上限 64 KB）。\n\
         That is too long to check. Paste only the part with the link (64 KB at most).\n",
    ));
    *explained.status_mut() = StatusCode::PAYLOAD_TOO_LARGE;
    explained
        .headers_mut()
        .insert(header::CONTENT_TYPE, HeaderValue::from_static("text/plain; charset=utf-8"));
    explained
}

/// Reloads the live index whenever the stored data version changes. A failed
/// reload keeps the last good data and is logged; checks go on answering.
async fn keep_data_fresh(state: AppState, every: Duration) {
    let mut ticker = tokio::time::interval(every);
    ticker.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    loop {
        ticker.tick().await;
        match state.live.refresh_if_changed(&state.db).await {
            Ok(true) => tracing::info!("check data reloaded"),
            Ok(false) => {}
            Err(e) => tracing::warn!(error = %e, "check data reload failed; serving the last good data"),
        }
    }
}

/// Writes the check counts to the database every `every`. A failed write keeps the
/// counts in memory for the next try; the checks themselves never wait for it.
async fn flush_check_counts(state: AppState, every: Duration) {
    let mut ticker = tokio::time::interval(every);
    ticker.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    loop {
        ticker.tick().await;
        if let Err(e) = state.tally.flush(&state.db).await {
            tracing::warn!(error = %e, pending = state.tally.pending(), "writing check counts failed; keeping them for the next try");
        }
    }
}

async fn shutdown_signal() {
    let interrupt = async {
        if let Err(e) = tokio::signal::ctrl_c().await {
            tracing::error!(error = %e, "cannot listen for Ctrl-C");
            std::future::pending::<()>().await;
        }
    };
    #[cfg(unix)]
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut signal) => {
                signal.recv().await;
            }
            Err(e) => {
                tracing::error!(error = %e, "cannot listen for SIGTERM");
                std::future::pending::<()>().await;
            }
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        () = interrupt => {},
        () = terminate => {},
    }
    tracing::info!("shutdown signal received; finishing requests in flight");
}
