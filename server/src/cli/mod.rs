//! Command-line interface: `server` serves the site; `server demo` loads the demo data;
//! `server check` checks a link or message like the site does; `server switch` turns a
//! detector off or on; `server takedown` and `server data` import and version the takedown
//! data; `server user` and `server audit` look after staff accounts and the audit log;
//! `server bulletin add` adds a bulletin from a Markdown file.

pub mod bulletin;
pub mod takedown;

use std::io::Read;

use anyhow::Context as _;
use clap::{Parser, Subcommand};
use engine::feed::FeedFormat;
use engine::{Detector, Report};
use store::staff::Role;

use app::i18n::Locale;
use app::lookup::wording::{
    defanged, detectors_off, hidden_findings, overall, overall_code, reason_text, signal_text, status_label,
    verdict_label, Subject,
};
use app::lookup::{run_check, CheckAnswer};
use leptos_i18n::td_string;

use crate::api::{failure_response, CheckResponse};
use crate::config::Config;

#[derive(Debug, Parser)]
#[command(name = "server", about = "The anti-fraud verification site")]
pub struct Cli {
    /// The database, e.g. sqlite:data/fraudcheck.db (default: $DATABASE_URL, then sqlite:fraudcheck.db).
    #[arg(long, global = true)]
    pub database_url: Option<String>,
    #[command(subcommand)]
    pub command: Option<Command>,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Serve the site (the default).
    Serve {
        /// Load the demo data first if the database holds no firm data (also DEMO_DATA=true).
        /// Without it, a database without data answers "cannot verify yet".
        #[arg(long)]
        demo: bool,
    },
    /// Replace all firm data in the database with the demo data. Refuses a database that
    /// holds data that is not the demo's, saying what it would delete, unless --force.
    Demo {
        /// Delete whatever firm data the database holds.
        #[arg(long)]
        force: bool,
        /// Load the demo only into a database without firm data; otherwise leave it as it is.
        #[arg(long, conflicts_with = "force")]
        if_empty: bool,
    },
    /// Check a link or a whole message, as the site does.
    Check {
        /// Print the JSON of POST /api/v1/check instead of plain words.
        #[arg(long)]
        json: bool,
        /// Language of the sentences: zh-TW or en.
        #[arg(long, default_value = "zh-TW", value_parser = parse_lang)]
        lang: Locale,
        /// The text to check; standard input when absent.
        text: Option<String>,
    },
    /// Switch a detector off or on for every instance, without a restart (takes effect
    /// within DATA_REFRESH_SECS). Detectors: takedown, official, lookalike, confusable,
    /// raw_ip, shortener, phone, line_id, scam_wording.
    Switch {
        /// The detector to switch.
        #[arg(value_parser = parse_detector)]
        detector: Detector,
        /// on or off.
        state: SwitchState,
    },
    /// Staff accounts.
    #[command(subcommand)]
    User(UserCommand),
    /// The audit log.
    #[command(subcommand)]
    Audit(AuditCommand),
    /// The takedown database.
    #[command(subcommand)]
    Takedown(TakedownCommand),
    /// Versions of the takedown data.
    #[command(subcommand)]
    Data(DataCommand),
    /// Fraud bulletins.
    #[command(subcommand)]
    Bulletin(BulletinCommand),
}

#[derive(Debug, clap::Subcommand)]
pub enum BulletinCommand {
    /// Add a bulletin from a Markdown file that starts with a front matter (`---`, then
    /// `title:`, `slug:`, `category:` alert|notice|pattern|incident, `language:` zh-TW|en,
    /// optionally `translation_of:` and `listed:` fake sites separated by commas, then `---`),
    /// as a draft, and print its address. Validated, rendered and audited as on the page.
    Add {
        /// The file (`-` for standard input).
        file: std::path::PathBuf,
        /// Publish it at once (refused while a second publisher must approve).
        #[arg(long)]
        publish: bool,
    },
}

#[derive(Debug, clap::Subcommand)]
pub enum TakedownCommand {
    /// Import a vendor notice, the 165 open-data CSV or a list of links: shows what would
    /// be added, changed and removed, then applies it as a new data version (one
    /// transaction). Exits non-zero, changing nothing, when the file is refused.
    Import {
        /// The file (`-` for standard input; `.gz` files are decompressed).
        file: std::path::PathBuf,
        /// Preview only: write nothing.
        #[arg(long)]
        dry_run: bool,
        /// The format, when detection would get it wrong: vendor, 165 or list.
        #[arg(long, value_parser = parse_format)]
        format: Option<FeedFormat>,
        /// Apply although the import would more than double the data or change more than
        /// IMPORT_MAX_CHANGE_PERCENT of it (recorded in the version and the audit log).
        #[arg(long)]
        force: bool,
        /// The file is the whole current list of its source: remove that source's entries it
        /// no longer names.
        #[arg(long)]
        replace: bool,
        /// The vendor a notice comes from (such as RSA).
        #[arg(long, default_value = "")]
        vendor: String,
    },
    /// Fetch the 165 open data from TAKEDOWN_FEED_URL and import it as the whole current
    /// list of that source, through the same preview and guards as a file.
    Pull {
        /// Preview only: write nothing.
        #[arg(long)]
        dry_run: bool,
        /// Apply although a guard refuses it (recorded in the version and the audit log).
        #[arg(long)]
        force: bool,
    },
}

#[derive(Debug, clap::Subcommand)]
pub enum DataCommand {
    /// List the newest takedown data versions: who, when, what changed, checksum.
    Versions {
        /// How many to list.
        #[arg(long, default_value_t = 20)]
        limit: i64,
    },
    /// Make the takedown data what it was at VERSION, as a new version (audited).
    Rollback {
        /// The version to go back to (see `server data versions`).
        version: i64,
    },
}

fn parse_format(value: &str) -> Result<FeedFormat, String> {
    FeedFormat::parse(value).ok_or_else(|| format!("{value:?} is not a format; use vendor, 165 or list"))
}

#[derive(Debug, clap::Subcommand)]
pub enum UserCommand {
    /// Create a staff account and print its one-time password (changed at first sign-in,
    /// where the second factor is also set up).
    Add {
        /// The sign-in name: 3 to 64 lower-case letters, digits, '.', '-' or '_'.
        name: String,
        /// A role: agent, analyst, publisher or admin; repeat for several.
        #[arg(long = "role", required = true, value_parser = parse_role)]
        roles: Vec<Role>,
        /// The name shown in the consoles (the sign-in name when absent).
        #[arg(long, default_value = "")]
        display_name: String,
    },
}

#[derive(Debug, clap::Subcommand)]
pub enum AuditCommand {
    /// Recompute the audit log's hash chain; names the first entry that does not hold.
    Verify,
}

fn parse_role(value: &str) -> Result<Role, String> {
    Role::parse(value)
        .ok_or_else(|| format!("{value:?} is not a role; use agent, analyst, publisher or admin"))
}

/// `server user add NAME --role ROLE…`.
pub async fn add_user(config: &Config, name: &str, roles: &[Role], display_name: &str) -> anyhow::Result<()> {
    let db = store::open(&config.database_url).await?;
    let created = crate::staff::accounts::create(&db, name, display_name, roles, (None, "cli")).await?;
    println!(
        "created staff account {} (id {}).\none-time password (shown once; changed at first sign-in): {}",
        created.login, created.id, created.one_time_password
    );
    Ok(())
}

/// `server audit verify`: exits with an error naming the first broken entry.
pub async fn verify_audit(config: &Config) -> anyhow::Result<()> {
    let db = store::open(&config.database_url).await?;
    match store::audit::verify(&db).await? {
        store::audit::Verdict::Intact { entries, last_hash } => {
            println!("the audit log holds: {entries} entries, last hash {last_hash} (keep it elsewhere to notice entries removed from the end)");
            Ok(())
        }
        store::audit::Verdict::Broken { id, problem } => {
            anyhow::bail!("the audit log is broken at entry {id}: {problem}")
        }
    }
}

/// The state a detector is switched to.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum SwitchState {
    On,
    Off,
}

fn parse_detector(value: &str) -> Result<Detector, String> {
    Detector::parse(value).ok_or_else(|| {
        let known: Vec<_> = Detector::ALL.iter().map(|d| d.code()).collect();
        format!("{value:?} is not a detector; use one of: {}", known.join(", "))
    })
}

/// `server switch DETECTOR on|off`.
pub async fn switch(config: &Config, detector: Detector, state: SwitchState) -> anyhow::Result<()> {
    let db = store::open(&config.database_url).await?;
    store::switches::set(&db, detector, state == SwitchState::On, &store::audit::Actor::cli()).await?;
    let state = if state == SwitchState::On { "on" } else { "off" };
    println!(
        "detector {} switched {state}; every instance applies it within its refresh interval",
        detector.code()
    );
    Ok(())
}

fn parse_lang(value: &str) -> Result<Locale, String> {
    app::locale::parse(value)
        .ok_or_else(|| format!("{value:?} is not a language we write in: use zh-TW or en"))
}

/// `server demo [--force | --if-empty]`: replaces the data with the demo data, in one transaction.
pub async fn load_demo(config: &Config, force: bool, if_empty: bool) -> anyhow::Result<()> {
    let db = store::open(&config.database_url).await?;
    let overwrite = if force { store::demo::Overwrite::Anything } else { store::demo::Overwrite::DemoOnly };
    let loaded = if if_empty {
        store::demo::load_if_empty(&db).await?
    } else {
        Some(store::demo::load(&db, overwrite).await?)
    };
    let Some(summary) = loaded else {
        println!(
            "{} already holds firm data: the demo was not loaded",
            store::db::redacted(&config.database_url)
        );
        return Ok(());
    };
    println!(
        "demo data loaded into {}: {} official entries, {} takedown entries, {} bulletins",
        config.database_url, summary.official_entries, summary.takedown_entries, summary.bulletins
    );
    print_demo_users(&crate::staff::accounts::create_demo_users(&db).await?);
    Ok(())
}

/// The demo's staff accounts and their one-time passwords, printed once.
pub fn print_demo_users(created: &[(Role, crate::staff::accounts::Created)]) {
    if created.is_empty() {
        return;
    }
    println!("demo staff accounts (sign in at /staff/sign-in; each password is shown only now):");
    for (role, account) in created {
        println!("  {:<10} {:<16} {}", role.code(), account.login, account.one_time_password);
    }
}

/// `server check`: prints the verdict on `text` (or standard input).
pub async fn check(config: &Config, json: bool, locale: Locale, text: Option<String>) -> anyhow::Result<()> {
    let text = match text {
        Some(text) => text,
        None => read_stdin()?,
    };
    let (_db, live) = crate::open_data(config).await?;
    match run_check(&live, &text) {
        Ok(answer) if json => {
            println!("{}", serde_json::to_string_pretty(&CheckResponse::new(answer, locale))?)
        }
        Ok(answer) => print!("{}", plain_words(&answer, locale)),
        Err(failure) => anyhow::bail!(failure_response(&failure).1.message),
    }
    Ok(())
}

/// Reads standard input, refusing more than the engine would check.
fn read_stdin() -> anyhow::Result<String> {
    let limit = engine::MAX_MESSAGE_BYTES as u64 + 1;
    let mut bytes = Vec::new();
    std::io::stdin().take(limit).read_to_end(&mut bytes).context("cannot read standard input")?;
    // Over the limit: hand on the oversized text so the check refuses it with its own message.
    String::from_utf8(bytes).context("standard input is not UTF-8 text")
}

/// The answer in plain words, one finding per line, in the site's own wording.
fn plain_words(answer: &CheckAnswer, locale: Locale) -> String {
    let Report { verdict, findings, hidden, signals, disabled_detectors, .. } = &answer.report;
    let firm = answer.firm.in_locale(locale);
    let words = overall(*verdict, Subject::of(&answer.report), locale, firm);
    let mut out = format!("{} [{}]\n", words.headline, overall_code(*verdict));
    for finding in findings {
        let shown =
            if finding.kind.is_link() { defanged(&finding.normalized) } else { finding.normalized.clone() };
        out.push_str(&format!("- {}: {shown}\n", verdict_label(finding.verdict, locale)));
        for reason in &finding.reasons {
            out.push_str(&format!("    {}\n", reason_text(reason, finding.kind, locale, firm)));
        }
        if let Some(t) = &finding.takedown {
            let status = status_label(t.status, locale);
            let date = &t.listed_on;
            out.push_str(&format!("    {}\n", td_string!(locale, check.takedown_line, status, date)));
        }
    }
    for signal in signals {
        out.push_str(&format!("! {}\n", signal_text(*signal, locale)));
    }
    if let Some(note) = detectors_off(disabled_detectors, locale) {
        out.push_str(&format!("{note}\n"));
    }
    if let Some(note) = hidden_findings(hidden, locale) {
        out.push_str(&format!("{note}\n"));
    }
    if let Some(minutes) = answer.data.stale_minutes {
        let time = &answer.data.confirmed_at;
        out.push_str(&format!("{}\n", td_string!(locale, check.data_stale, time, minutes)));
    }
    let (time, version) = (&answer.data.confirmed_at, answer.data.version);
    out.push_str(&format!("{}\n", td_string!(locale, check.data_stamp, time, version)));
    out
}

#[cfg(test)]
mod tests {
    use clap::CommandFactory;

    use super::*;

    #[test]
    fn the_command_line_definition_is_consistent() {
        Cli::command().debug_assert();
    }

    #[test]
    fn the_check_language_is_zh_tw_unless_en_is_asked_for() {
        let lang = |args: &[&str]| match Cli::try_parse_from(args).map(|cli| cli.command) {
            Ok(Some(Command::Check { lang, .. })) => Ok(lang),
            other => Err(format!("{other:?}")),
        };
        assert_eq!(lang(&["server", "check", "x"]), Ok(Locale::zh_TW));
        assert_eq!(lang(&["server", "check", "--lang", "en", "x"]), Ok(Locale::en));
        assert_eq!(lang(&["server", "check", "--lang", "zh-TW", "x"]), Ok(Locale::zh_TW));
        assert!(lang(&["server", "check", "--lang", "fr", "x"]).is_err());
    }

    #[test]
    fn an_unknown_detector_is_named_with_the_known_ones() {
        let err = Cli::try_parse_from(["server", "switch", "magic", "off"]).unwrap_err().to_string();
        assert!(err.contains("\"magic\" is not a detector; use one of: takedown, official"), "{err}");
    }
}
