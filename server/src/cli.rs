//! Command-line interface: `server` serves the site; `server demo` reloads the demo data.

use clap::{Parser, Subcommand};

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
    Serve,
    /// Replace all firm data in the database with the demo data.
    Demo,
}

/// `server demo`: replaces the data with the demo data, in one transaction.
pub async fn load_demo(config: &Config) -> anyhow::Result<()> {
    let db = store::open(&config.database_url).await?;
    let summary = store::demo::load(&db).await?;
    println!(
        "demo data loaded into {}: {} official domain(s), {} takedown entries, {} bulletins",
        config.database_url, summary.official_domains, summary.takedown_entries, summary.bulletins
    );
    Ok(())
}
