//! The verification site's server: wires the router, health checks and the no-JS
//! check form around the Leptos app, keeps the live index fresh, and shuts down
//! gracefully.

pub mod api;
pub mod assets;
pub mod board;
pub mod check_form;
pub mod cli;
pub mod config;
pub mod errors;
pub mod feeds;
pub mod health;
pub mod jobs;
pub mod language;
pub mod open_data;
pub mod rate_limit;
pub mod report_form;
pub mod staff;
pub mod takedown_feed;
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
use tower_http::set_header::SetResponseHeaderLayer;
use tower_http::timeout::TimeoutLayer;
use tower_http::trace::TraceLayer;

use app::state::AppState;
use app::{shell, App};
use config::Config;
use rate_limit::RateLimits;
use store::{CheckTally, LiveIndex, Refreshed};

/// The largest request body accepted, in bytes. Above the 64 KB paste limit because a
/// form-encoded paste grows up to threefold; larger bodies get a 413.
pub const MAX_BODY_BYTES: usize = 256 * 1024;

/// The largest body a request to `path` may have: [`MAX_BODY_BYTES`], but an import's
/// whole feed for the import paths, and a whole bulletin for the forms that carry one.
pub fn body_limit(path: &str, state: &AppState) -> usize {
    if staff::imports::UPLOAD_PATHS.contains(&path) {
        staff::imports::upload_body_limit(state.staff.imports.max_bytes)
    } else if staff::bulletins::takes_a_whole_text(path) {
        staff::bulletins::BULLETIN_FORM_BYTES
    } else {
        MAX_BODY_BYTES
    }
}

/// Caps the body every handler reads at [`body_limit`]: reading past it fails in the handler.
async fn limit_body(
    axum::extract::State(state): axum::extract::State<AppState>,
    request: axum::extract::Request,
    next: middleware::Next,
) -> axum::response::Response {
    let limit = body_limit(request.uri().path(), &state);
    let (parts, body) = request.into_parts();
    let body = axum::body::Body::new(http_body_util::Limited::new(body, limit));
    next.run(axum::extract::Request::from_parts(parts, body)).await
}

/// How often the check counts in memory are written to the database.
pub const TALLY_FLUSH_INTERVAL: Duration = Duration::from_secs(5);

/// Opens the database, loads the data and serves the site until SIGINT or SIGTERM. A
/// database without usable data still serves: every check says "cannot verify yet" and
/// `/readyz` says why, until data arrives (it is looked for every `DATA_REFRESH_SECS`).
pub async fn serve(config: Config) -> anyhow::Result<()> {
    let state = prepare_state(&config).await?;
    tokio::spawn(keep_data_fresh(state.clone(), config.refresh_interval));
    if store::Backend::of(&state.db) == store::Backend::Postgres {
        tokio::spawn(follow_data_version(state.clone(), config.database_url.clone()));
    }
    tokio::spawn(flush_check_counts(state.clone(), TALLY_FLUSH_INTERVAL));
    tokio::spawn(staff::housekeeping::keep_tidy(state.clone()));
    tokio::spawn(jobs::publish_scheduled_bulletins(state.db.clone()));
    if let Some(every) = config.takedown_pull_every {
        tokio::spawn(takedown_feed::schedule(config.clone(), state.db.clone(), every));
    }
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

/// Opens and migrates the database, loads the demo data into an empty one when asked, and
/// builds the first live index.
pub async fn prepare_state(config: &Config) -> anyhow::Result<AppState> {
    let (db, live) = open_data(config).await?;
    // The first pages then have a board to fall back on should the database stall.
    let board = Arc::new(store::bulletin::board::Board::default());
    if board.current(&db).await.is_none() {
        tracing::warn!("the bulletin board could not be read at start: pages show none until it can");
    }
    Ok(AppState {
        leptos_options: config.leptos.clone(),
        db,
        live,
        tally: Arc::new(CheckTally::default()),
        staff: Arc::new(config.staff()),
        campaigns: Arc::default(),
        import_jobs: Arc::default(),
        board,
    })
}

/// The database and its live index, as the server and `server check` use them. Demo data
/// is loaded only when the configuration asks for it (`--demo`, `DEMO_DATA`), and only into
/// a database without firm data: a real start never publishes demo data as the firm's.
pub async fn open_data(config: &Config) -> anyhow::Result<(store::Db, Arc<LiveIndex>)> {
    let db = store::open(&config.database_url).await?;
    if config.demo_data {
        match store::demo::load_if_empty(&db).await.context("loading the demo data failed")? {
            Some(summary) => {
                tracing::info!(?summary, "demo data loaded, as asked");
                let created = staff::accounts::create_demo_users(&db)
                    .await
                    .context("creating the demo staff failed")?;
                cli::print_demo_users(&created);
            }
            None => tracing::info!("the database holds firm data: demo data not loaded"),
        }
    }
    let live = Arc::new(LiveIndex::new(config.stale_after));
    match live.reload(&db).await {
        Ok(snapshot) => tracing::info!(version = snapshot.version, "check data loaded"),
        Err(failed) => tracing::warn!(
            error = %failed,
            "no check data loaded: every check answers \"cannot verify yet\" until there is"
        ),
    }
    if let Err(e) = live.refresh_most_checked(&db, app::domain::MOST_CHECKED_KEPT).await {
        tracing::warn!(error = %e, "reading the most-checked list failed; it stays empty for now");
    }
    Ok((db, live))
}

/// The whole site: pages, server functions, health checks, static files.
pub fn router(state: AppState, config: &Config) -> Router {
    router_with_limits(state, config, RateLimits::new(&config.protection))
}

/// The whole site with the given rate limits (tests give them a clock they can move).
pub fn router_with_limits(state: AppState, config: &Config, limits: RateLimits) -> Router {
    router_with(state, config, limits, Router::new())
}

/// The whole site with `extra` routes beside its own (tests add one that fails on purpose,
/// to prove what a reader gets when something does).
pub fn router_with(state: AppState, config: &Config, limits: RateLimits, extra: Router<AppState>) -> Router {
    // Staff pages are rendered by their guarded handlers only (`staff::routes`).
    let routes: Vec<_> =
        generate_route_list(App).into_iter().filter(|r| !app::is_staff_path(r.path())).collect();
    let options = state.leptos_options.clone();
    let hashed_assets = options.hash_files;
    let router = extra
        .route("/", post(check_form::post))
        .route("/report", post(report_form::post))
        .route("/report/new", post(report_form::prefill))
        .route("/api/v1/check", post(api::check))
        .route("/lang/{code}", get(language::switch))
        .route("/healthz", get(health::healthz))
        .route("/readyz", get(health::readyz))
        .route("/feed.atom", get(feeds::feed))
        .route("/sitemap.xml", get(feeds::sitemap))
        .route("/robots.txt", get(feeds::robots))
        .route("/open-data/takedowns.csv", get(open_data::csv))
        .route("/open-data/takedowns.json", get(open_data::json))
        .merge(staff::routes())
        .leptos_routes(&state, routes, move || shell(options.clone()))
        .fallback(leptos_axum::file_and_error_handler::<AppState, _>(shell))
        // Innermost: a body read past the limit fails in its handler, whose answer then gets
        // every header below; a body announced over it never gets that far.
        .layer(middleware::from_fn_with_state(state.clone(), limit_body))
        .layer(middleware::from_fn_with_state(state.clone(), board::attach))
        .layer(middleware::from_fn_with_state(state.clone(), staff::guard::enforce))
        .layer(middleware::from_fn_with_state(limits, rate_limit::enforce))
        .layer(middleware::from_fn_with_state(state.clone(), errors::refuse_oversized))
        .layer(middleware::map_response(explain_too_large))
        .layer(middleware::from_fn(move |request, next| assets::cache_control(hashed_assets, request, next)))
        // Inside the header layers below, so a bug's 500 page carries them all.
        .layer(middleware::from_fn(errors::catch_panics))
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
/// languages. Pages and JSON answers already explain themselves and are left alone.
async fn explain_too_large(response: Response<Body>) -> Response<Body> {
    let explained = response.headers().get(header::CONTENT_TYPE).is_some_and(|v| {
        v.as_bytes().starts_with(b"application/json") || v.as_bytes().starts_with(b"text/html")
    });
    if response.status() != StatusCode::PAYLOAD_TOO_LARGE || explained {
        return response;
    }
    errors::too_large_text()
}

/// Reloads the live index whenever the stored data version changes. A failed
/// reload keeps the last good data and is logged; checks go on answering.
async fn keep_data_fresh(state: AppState, every: Duration) {
    let mut ticker = tokio::time::interval(every);
    ticker.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    loop {
        ticker.tick().await;
        let was_failing = state.live.failing().is_some();
        let started = std::time::Instant::now();
        match state.live.refresh_if_changed(&state.db).await {
            Ok(Refreshed::Reloaded { version }) => {
                tracing::info!(version, seconds = started.elapsed().as_secs_f64(), "check data reloaded");
                staff::housekeeping::follow_takedowns(&state.db).await;
            }
            Ok(Refreshed::Unchanged) if was_failing => tracing::info!("check data refreshes again"),
            Ok(Refreshed::Unchanged) => {}
            // Once per cause, not at every tick: the answers say how old the data is.
            Err(failed) if failed.news => {
                tracing::warn!(error = %failed.error, "check data refresh failed; serving the last good data")
            }
            Err(_) => {}
        }
    }
}

/// On PostgreSQL, reloads the live index as soon as another instance (or the command line)
/// announces a new data version, so a change is live everywhere within a moment; the poll in
/// [`keep_data_fresh`] stays as the fallback for a lost notification or connection.
async fn follow_data_version(state: AppState, database_url: String) {
    loop {
        let Err(e) = listen_for_data_versions(&state, &database_url).await;
        tracing::warn!(error = %e, "cannot follow data version announcements; polling only, retrying in 10 s");
        tokio::time::sleep(Duration::from_secs(10)).await;
    }
}

async fn listen_for_data_versions(
    state: &AppState,
    database_url: &str,
) -> Result<std::convert::Infallible, sqlx::Error> {
    let mut listener = sqlx::postgres::PgListener::connect(database_url).await?;
    listener.listen(store::DATA_VERSION_CHANNEL).await?;
    tracing::info!("following data version announcements");
    loop {
        // recv reconnects by itself after a lost connection; what is missed meanwhile the
        // poll catches.
        listener.recv().await?;
        let started = std::time::Instant::now();
        match state.live.refresh_if_changed(&state.db).await {
            Ok(Refreshed::Reloaded { version }) => {
                tracing::info!(
                    version,
                    seconds = started.elapsed().as_secs_f64(),
                    "check data reloaded on notice"
                );
                staff::housekeeping::follow_takedowns(&state.db).await;
            }
            Ok(Refreshed::Unchanged) => {}
            Err(failed) if failed.news => {
                tracing::warn!(error = %failed.error, "check data refresh failed; serving the last good data")
            }
            Err(_) => {}
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
        // The home page reads the list from memory; it is read here, off every request's path.
        if let Err(e) = state.live.refresh_most_checked(&state.db, app::domain::MOST_CHECKED_KEPT).await {
            tracing::debug!(error = %e, "refreshing the most-checked list failed; keeping the last one");
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
