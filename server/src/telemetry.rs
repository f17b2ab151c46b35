//! Logging set-up: `RUST_LOG` filters, plain lines on standard error.

use tracing_subscriber::EnvFilter;

/// Starts logging at `info` unless `RUST_LOG` says otherwise.
pub fn init() {
    let filter = EnvFilter::try_from_default_env().unwrap_or_else(|_| EnvFilter::new("info,sqlx=warn"));
    tracing_subscriber::fmt().with_env_filter(filter).with_writer(std::io::stderr).init();
}
