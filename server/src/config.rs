//! Typed configuration from the environment, with one clear error per bad value.

use std::time::Duration;

use leptos::config::{get_configuration, LeptosOptions};

/// The public origin used when `PUBLIC_BASE_URL` is not set.
pub const DEFAULT_PUBLIC_BASE_URL: &str = "http://127.0.0.1:3000";

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
    /// `DATA_STALE_AFTER_SECS`: how long an instance may go without confirming its data is
    /// current before every answer says how old the data is (default 300).
    pub stale_after: Duration,
    /// `DEMO_DATA=true` or `server serve --demo`: load the demo data into an empty database
    /// at start (default false: a real start never publishes demo data as the firm's).
    pub demo_data: bool,
    /// Rate limits, proxy trust and HTTPS-only headers.
    pub protection: Protection,
    /// `PUBLIC_BASE_URL`: the origin readers reach the site at, for the absolute
    /// addresses in the feed, the sitemap and robots.txt.
    pub public_base_url: PublicBaseUrl,
    /// `DEMO_RELAX_SECOND_FACTOR=true`: staff sign in with a password only (a demo, never real
    /// staff; every staff page says so).
    pub relaxed_second_factor: bool,
    /// `CONTACT_RETENTION_DAYS`: days the text pasted into a contact is kept (default 90).
    pub contact_retention_days: u32,
    /// Bounds on takedown imports: `IMPORT_MAX_BYTES` (default 64 MiB), `IMPORT_MAX_ROWS`
    /// (1,000,000), `IMPORT_GUARD_MIN_ENTRIES` (1,000) and `IMPORT_MAX_CHANGE_PERCENT` (50).
    pub imports: store::import::Limits,
    /// `TAKEDOWN_FEED_URL`: where `server takedown pull` fetches the 165 open data from
    /// (default [`DEFAULT_TAKEDOWN_FEED_URL`], the National Police Agency's own address).
    pub takedown_feed_url: String,
    /// `TAKEDOWN_PULL_HOURS`: pull the feed every so many hours, once across all instances
    /// (default 0: only on demand).
    pub takedown_pull_every: Option<Duration>,
}

/// The 165 open data of fake investment and gambling sites (data.gov.tw dataset 160055), as
/// the National Police Agency publishes it.
pub const DEFAULT_TAKEDOWN_FEED_URL: &str =
    "https://data.moi.gov.tw/MoiOD/System/DownloadFile.aspx?DATA=3BB8E3CE-8223-43AF-B1AB-5824FA889883";

/// The site's public origin (`https://host[:port]`), without a trailing slash: the
/// only way to build an absolute address to one of its pages.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PublicBaseUrl(String);

impl PublicBaseUrl {
    /// Accepts an http or https origin; a path other than `/`, a query, a fragment or a
    /// user name is refused (each would end up in every address the site publishes).
    pub fn parse(text: &str) -> Result<Self, ConfigError> {
        let invalid = || ConfigError::Invalid {
            var: "PUBLIC_BASE_URL",
            value: text.to_owned(),
            expected:
                "an http or https origin such as https://fraudcheck.example.com (no path, query or user name)",
        };
        let url = url::Url::parse(text.trim()).map_err(|_| invalid())?;
        let origin_only = matches!(url.scheme(), "http" | "https")
            && url.host_str().is_some_and(|h| !h.is_empty())
            && url.username().is_empty()
            && url.password().is_none()
            && url.path() == "/"
            && url.query().is_none()
            && url.fragment().is_none();
        if !origin_only {
            return Err(invalid());
        }
        Ok(Self(url.origin().ascii_serialization()))
    }

    /// The absolute address of `path` (which starts with `/`) on this site.
    pub fn join(&self, path: &str) -> String {
        format!("{}{path}", self.0)
    }

    /// The origin itself, e.g. `https://fraudcheck.example.com`.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl Default for PublicBaseUrl {
    fn default() -> Self {
        Self(DEFAULT_PUBLIC_BASE_URL.to_owned())
    }
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
        if store::Backend::of_url(&database_url).is_none() {
            return Err(ConfigError::Invalid {
                var: "DATABASE_URL",
                value: store::db::redacted(&database_url),
                expected: "sqlite:PATH (such as sqlite:data/fraudcheck.db) or postgres://USER@HOST/NAME",
            });
        }
        let refresh_interval = seconds(&var, "DATA_REFRESH_SECS", 10)?;
        let stale_after = seconds(&var, "DATA_STALE_AFTER_SECS", 300)?;
        // Data is confirmed at each refresh; a shorter limit would call good data stale.
        if stale_after <= refresh_interval {
            return Err(ConfigError::Invalid {
                var: "DATA_STALE_AFTER_SECS",
                value: stale_after.as_secs().to_string(),
                expected: "more seconds than DATA_REFRESH_SECS (data is confirmed at each refresh)",
            });
        }
        let mut leptos =
            get_configuration(None).map_err(|e| ConfigError::Leptos(e.to_string()))?.leptos_options;
        // A release build from `cargo leptos build` leaves the hash file beside the binary;
        // its presence means the site's files carry hashed names, whoever starts the server.
        leptos.hash_files |= hash_file_beside_binary(&leptos);
        Ok(Self {
            database_url,
            leptos,
            request_timeout: seconds(&var, "REQUEST_TIMEOUT_SECS", 15)?,
            refresh_interval,
            stale_after,
            demo_data: flag(&var, "DEMO_DATA")?,
            public_base_url: match var("PUBLIC_BASE_URL") {
                Some(value) => PublicBaseUrl::parse(&value)?,
                None => PublicBaseUrl::default(),
            },
            protection: Protection {
                check_per_minute: count(&var, "CHECK_RATE_PER_MINUTE", 30)?,
                report_per_hour: count(&var, "REPORT_RATE_PER_HOUR", 10)?,
                trust_proxy_headers: flag(&var, "TRUST_PROXY_HEADERS")?,
                https_only: flag(&var, "HTTPS_ONLY")?,
            },
            relaxed_second_factor: flag(&var, "DEMO_RELAX_SECOND_FACTOR")?,
            contact_retention_days: match count(&var, "CONTACT_RETENTION_DAYS", 90)? {
                0 => {
                    return Err(ConfigError::Invalid {
                        var: "CONTACT_RETENTION_DAYS",
                        value: "0".to_owned(),
                        expected: "a number of days of at least 1",
                    })
                }
                days => days,
            },
            imports: import_limits(&var)?,
            takedown_feed_url: match var("TAKEDOWN_FEED_URL") {
                Some(url) => feed_url(url)?,
                None => DEFAULT_TAKEDOWN_FEED_URL.to_owned(),
            },
            takedown_pull_every: match var("TAKEDOWN_PULL_HOURS").map(|h| h.trim().parse::<u64>()) {
                None | Some(Ok(0)) => None,
                Some(Ok(hours)) if hours <= 24 * 31 => Some(Duration::from_secs(hours * 3600)),
                Some(_) => {
                    return Err(ConfigError::Invalid {
                        var: "TAKEDOWN_PULL_HOURS",
                        value: var("TAKEDOWN_PULL_HOURS").unwrap_or_default(),
                        expected: "a whole number of hours from 0 (off) to 744",
                    })
                }
            },
        })
    }
}

/// A feed address: http or https only (never a file or another scheme a pull could be
/// turned against).
fn feed_url(value: String) -> Result<String, ConfigError> {
    match url::Url::parse(value.trim()) {
        Ok(url) if matches!(url.scheme(), "http" | "https") && url.host_str().is_some() => Ok(url.into()),
        _ => Err(ConfigError::Invalid {
            var: "TAKEDOWN_FEED_URL",
            value,
            expected: "an http or https address of the 165 open-data CSV",
        }),
    }
}

/// The import bounds from the environment, each with its documented default.
fn import_limits(var: &impl Fn(&str) -> Option<String>) -> Result<store::import::Limits, ConfigError> {
    let defaults = store::import::Limits::default();
    // Sizes and row counts go far beyond `count`'s range: a whole number of at least 1.
    let positive = |name: &'static str, default: usize| -> Result<usize, ConfigError> {
        let Some(value) = var(name) else {
            return Ok(default);
        };
        match value.trim().replace('_', "").parse::<usize>() {
            Ok(n) if n >= 1 => Ok(n),
            _ => Err(ConfigError::Invalid { var: name, value, expected: "a whole number of at least 1" }),
        }
    };
    let percent = count(var, "IMPORT_MAX_CHANGE_PERCENT", 50)?;
    if !(1..=100).contains(&percent) {
        return Err(ConfigError::Invalid {
            var: "IMPORT_MAX_CHANGE_PERCENT",
            value: percent.to_string(),
            expected: "a percentage from 1 to 100",
        });
    }
    Ok(store::import::Limits {
        max_bytes: positive("IMPORT_MAX_BYTES", defaults.max_bytes)?,
        max_rows: positive("IMPORT_MAX_ROWS", defaults.max_rows)?,
        guard_min_entries: positive("IMPORT_GUARD_MIN_ENTRIES", defaults.guard_min_entries)?,
        max_change_share: f64::from(percent) / 100.0,
    })
}

impl Config {
    /// Every default setting with the given database and the built site in `target/site`:
    /// the site on this machine, as tests and benchmarks start it.
    pub fn local(database_url: String) -> Self {
        Self {
            database_url,
            leptos: LeptosOptions::builder().output_name("fraudcheck").site_root("target/site").build(),
            request_timeout: Duration::from_secs(10),
            refresh_interval: Duration::from_secs(10),
            stale_after: Duration::from_secs(300),
            demo_data: false,
            public_base_url: PublicBaseUrl::default(),
            protection: Protection::default(),
            relaxed_second_factor: false,
            contact_retention_days: 90,
            imports: store::import::Limits::default(),
            takedown_feed_url: DEFAULT_TAKEDOWN_FEED_URL.to_owned(),
            takedown_pull_every: None,
        }
    }

    /// The staff side's settings.
    pub fn staff(&self) -> app::state::StaffSettings {
        app::state::StaffSettings {
            secure_cookie: self.protection.https_only,
            relaxed_second_factor: self.relaxed_second_factor,
            contact_retention_days: self.contact_retention_days,
            origin: self.public_base_url.as_str().to_owned(),
            trust_proxy_headers: self.protection.trust_proxy_headers,
            imports: self.imports,
        }
    }
}

fn hash_file_beside_binary(leptos: &LeptosOptions) -> bool {
    std::env::current_exe()
        .ok()
        .and_then(|exe| exe.parent().map(|dir| dir.join(leptos.hash_file.as_ref())))
        .is_some_and(|path| path.is_file())
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
    fn a_stale_limit_within_one_refresh_is_refused() {
        let err = Config::from_lookup(
            None,
            lookup(&[("DATA_REFRESH_SECS", "30"), ("DATA_STALE_AFTER_SECS", "30")]),
        )
        .unwrap_err();
        assert!(err.to_string().contains("more seconds than DATA_REFRESH_SECS"), "{err}");
    }

    #[test]
    fn demo_data_is_loaded_only_when_asked() -> Result<(), ConfigError> {
        assert!(!Config::from_lookup(None, lookup(&[]))?.demo_data);
        assert!(Config::from_lookup(None, lookup(&[("DEMO_DATA", "true")]))?.demo_data);
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
    fn the_public_base_url_defaults_to_the_local_site_and_loses_a_trailing_slash() -> Result<(), ConfigError>
    {
        let config = Config::from_lookup(None, lookup(&[]))?;
        assert_eq!(config.public_base_url.as_str(), "http://127.0.0.1:3000");
        let config =
            Config::from_lookup(None, lookup(&[("PUBLIC_BASE_URL", "https://Fraudcheck.Example.com/")]))?;
        assert_eq!(config.public_base_url.join("/feed.atom"), "https://fraudcheck.example.com/feed.atom");
        Ok(())
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
    fn a_public_base_url_that_is_not_an_http_origin_is_refused_in_one_line() {
        for bad in [
            "fraudcheck.example.com",
            "ftp://example.com",
            "https://example.com/site",
            "https://example.com/?a=1",
            "https://user@example.com",
            "https://",
        ] {
            let err = PublicBaseUrl::parse(bad).unwrap_err().to_string();
            assert!(err.starts_with("PUBLIC_BASE_URL="), "{bad}: {err}");
            assert!(err.contains("an http or https origin"), "{bad}: {err}");
            assert!(!err.contains('\n'), "{bad}: {err}");
        }
    }

    #[test]
    fn a_rate_of_zero_or_a_vague_flag_is_refused() {
        let err = Config::from_lookup(None, lookup(&[("CHECK_RATE_PER_MINUTE", "0")])).unwrap_err();
        assert!(err.to_string().starts_with("CHECK_RATE_PER_MINUTE=\"0\" is not valid"), "{err}");
        let err = Config::from_lookup(None, lookup(&[("TRUST_PROXY_HEADERS", "maybe")])).unwrap_err();
        assert_eq!(err.to_string(), "TRUST_PROXY_HEADERS=\"maybe\" is not valid: true or false");
    }

    #[test]
    fn a_database_that_is_neither_sqlite_nor_postgres_is_refused_without_its_password() {
        let err = Config::from_lookup(None, lookup(&[("DATABASE_URL", "mysql://app:pw@x/db")])).unwrap_err();
        assert!(err.to_string().starts_with("DATABASE_URL=\"mysql://app:***@x/db\" is not valid"), "{err}");
        let ok = Config::from_lookup(None, lookup(&[("DATABASE_URL", "postgres://app@db.internal/fraud")]));
        assert!(ok.is_ok(), "PostgreSQL is a backend");
    }
}
