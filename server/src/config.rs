//! Typed configuration from the environment, with one clear error per bad value.

use std::time::Duration;

use leptos::config::{get_configuration, LeptosOptions};

/// The database used when neither `--database-url` nor `DATABASE_URL` names one.
pub const DEFAULT_DATABASE_URL: &str = "sqlite:fraudcheck.db";

/// Everything the server needs to start.
#[derive(Clone, Debug)]
pub struct Config {
    /// `DATABASE_URL`: where the data lives.
    pub database_url: String,
    /// Leptos' own settings: `LEPTOS_SITE_ADDR` (listen address), `LEPTOS_SITE_ROOT` (built site).
    pub leptos: LeptosOptions,
    /// `REQUEST_TIMEOUT_SECS`: longest time one request may take (default 15).
    pub request_timeout: Duration,
    /// `DATA_REFRESH_SECS`: how often to look for changed data to reload (default 10).
    pub refresh_interval: Duration,
    /// Rate limits, proxy trust and HTTPS-only headers.
    pub protection: Protection,
}

/// How the site protects itself and its readers from abuse.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Protection {
    /// `CHECK_RATE_PER_MINUTE`: checks one client address may make per minute, all at
    /// once if it likes (default 30). Covers the form, the server function and the JSON API.
    pub check_per_minute: u32,
    /// `REPORT_RATE_PER_HOUR`: reports one client address may send per hour (default 10).
    pub report_per_hour: u32,
    /// `TRUST_PROXY_HEADERS=true`: take the client address from the right-most entry of
    /// `X-Forwarded-For`, which the reverse proxy in front of the site appended. Only set it
    /// behind exactly one such proxy: without one, anybody can write that header and pick
    /// their own rate-limit key (default false: the connection's address).
    pub trust_proxy_headers: bool,
    /// `HTTPS_ONLY=true`: send `Strict-Transport-Security` (one year). Only set it once the
    /// site is served over HTTPS for good: browsers then refuse plain HTTP to it for a year
    /// (default false, so a local or plain-HTTP set-up is never locked out).
    pub https_only: bool,
}

impl Default for Protection {
    fn default() -> Self {
        Self { check_per_minute: 30, report_per_hour: 10, trust_proxy_headers: false, https_only: false }
    }
}

/// A configuration value that cannot be used.
#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    #[error("{var}={value:?} is not valid: {expected}")]
    Invalid { var: &'static str, value: String, expected: &'static str },
    #[error("Leptos settings (LEPTOS_*) are not valid: {0}")]
    Leptos(String),
}

impl Config {
    /// Reads the configuration; `database_url` (from the command line) wins over `DATABASE_URL`.
    pub fn from_env(database_url: Option<String>) -> Result<Self, ConfigError> {
        Self::from_lookup(database_url, |var| std::env::var(var).ok())
    }

    fn from_lookup(
        database_url: Option<String>,
        var: impl Fn(&str) -> Option<String>,
    ) -> Result<Self, ConfigError> {
        let database_url =
            database_url.or_else(|| var("DATABASE_URL")).unwrap_or_else(|| DEFAULT_DATABASE_URL.into());
        if !database_url.starts_with("sqlite:") {
            return Err(ConfigError::Invalid {
                var: "DATABASE_URL",
                value: database_url,
                expected: "a SQLite URL such as sqlite:data/fraudcheck.db",
            });
        }
        let leptos = get_configuration(None).map_err(|e| ConfigError::Leptos(e.to_string()))?.leptos_options;
        Ok(Self {
            database_url,
            leptos,
            request_timeout: seconds(&var, "REQUEST_TIMEOUT_SECS", 15)?,
            refresh_interval: seconds(&var, "DATA_REFRESH_SECS", 10)?,
            protection: Protection {
                check_per_minute: count(&var, "CHECK_RATE_PER_MINUTE", 30)?,
                report_per_hour: count(&var, "REPORT_RATE_PER_HOUR", 10)?,
                trust_proxy_headers: flag(&var, "TRUST_PROXY_HEADERS")?,
                https_only: flag(&var, "HTTPS_ONLY")?,
            },
        })
    }
}

fn seconds(
    var: &impl Fn(&str) -> Option<String>,
    name: &'static str,
    default: u64,
) -> Result<Duration, ConfigError> {
    let Some(value) = var(name) else {
        return Ok(Duration::from_secs(default));
    };
    match value.trim().parse::<u64>() {
        Ok(n) if (1..=3600).contains(&n) => Ok(Duration::from_secs(n)),
        _ => Err(ConfigError::Invalid {
            var: name,
            value,
            expected: "a whole number of seconds from 1 to 3600",
        }),
    }
}

fn count(
    var: &impl Fn(&str) -> Option<String>,
    name: &'static str,
    default: u32,
) -> Result<u32, ConfigError> {
    let Some(value) = var(name) else {
        return Ok(default);
    };
    match value.trim().parse::<u32>() {
        Ok(n) if (1..=100_000).contains(&n) => Ok(n),
        _ => Err(ConfigError::Invalid { var: name, value, expected: "a whole number from 1 to 100000" }),
    }
}

fn flag(var: &impl Fn(&str) -> Option<String>, name: &'static str) -> Result<bool, ConfigError> {
    let Some(value) = var(name) else {
        return Ok(false);
    };
    match value.trim().to_ascii_lowercase().as_str() {
        "true" | "1" | "yes" => Ok(true),
        "false" | "0" | "no" | "" => Ok(false),
        _ => Err(ConfigError::Invalid { var: name, value, expected: "true or false" }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lookup(pairs: &'static [(&'static str, &'static str)]) -> impl Fn(&str) -> Option<String> {
        move |var| pairs.iter().find(|(k, _)| *k == var).map(|(_, v)| v.to_string())
    }

    #[test]
    fn defaults_apply_when_nothing_is_set() -> Result<(), ConfigError> {
        let config = Config::from_lookup(None, lookup(&[]))?;
        assert_eq!(config.database_url, DEFAULT_DATABASE_URL);
        assert_eq!(config.request_timeout, Duration::from_secs(15));
        Ok(())
    }

    #[test]
    fn the_command_line_database_wins_over_the_environment() -> Result<(), ConfigError> {
        let config =
            Config::from_lookup(Some("sqlite:cli.db".into()), lookup(&[("DATABASE_URL", "sqlite:env.db")]))?;
        assert_eq!(config.database_url, "sqlite:cli.db");
        Ok(())
    }

    #[test]
    fn a_bad_timeout_is_named_with_what_was_expected() {
        let err = Config::from_lookup(None, lookup(&[("REQUEST_TIMEOUT_SECS", "soon")])).unwrap_err();
        assert_eq!(
            err.to_string(),
            "REQUEST_TIMEOUT_SECS=\"soon\" is not valid: a whole number of seconds from 1 to 3600"
        );
    }

    #[test]
    fn rate_limits_and_proxy_trust_come_from_the_environment() -> Result<(), ConfigError> {
        assert_eq!(Config::from_lookup(None, lookup(&[]))?.protection, Protection::default());
        let config = Config::from_lookup(
            None,
            lookup(&[
                ("CHECK_RATE_PER_MINUTE", "5"),
                ("REPORT_RATE_PER_HOUR", "2"),
                ("TRUST_PROXY_HEADERS", "true"),
                ("HTTPS_ONLY", "1"),
            ]),
        )?;
        assert_eq!(
            config.protection,
            Protection {
                check_per_minute: 5,
                report_per_hour: 2,
                trust_proxy_headers: true,
                https_only: true
            }
        );
        Ok(())
    }

    #[test]
    fn a_rate_of_zero_or_a_vague_flag_is_refused() {
        let err = Config::from_lookup(None, lookup(&[("CHECK_RATE_PER_MINUTE", "0")])).unwrap_err();
        assert!(err.to_string().starts_with("CHECK_RATE_PER_MINUTE=\"0\" is not valid"), "{err}");
        let err = Config::from_lookup(None, lookup(&[("TRUST_PROXY_HEADERS", "maybe")])).unwrap_err();
        assert_eq!(err.to_string(), "TRUST_PROXY_HEADERS=\"maybe\" is not valid: true or false");
    }

    #[test]
    fn a_database_that_is_not_sqlite_is_refused() {
        let err = Config::from_lookup(None, lookup(&[("DATABASE_URL", "postgres://x")])).unwrap_err();
        assert!(err.to_string().starts_with("DATABASE_URL=\"postgres://x\" is not valid"), "{err}");
    }
}
