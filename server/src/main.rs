//! The `server` binary: serves the site, or runs a command-line task.

use std::process::ExitCode;

use clap::Parser;
use server::cli::{Cli, Command};
use server::config::Config;

#[tokio::main]
async fn main() -> ExitCode {
    server::telemetry::init();
    let cli = Cli::parse();
    let mut config = match Config::from_env(cli.database_url.clone()) {
        Ok(config) => config,
        Err(e) => {
            eprintln!("error: {e}");
            return ExitCode::FAILURE;
        }
    };
    let outcome = match cli.command.unwrap_or(Command::Serve { demo: false }) {
        Command::Serve { demo } => {
            config.demo_data |= demo;
            server::serve(config).await
        }
        Command::Demo { force } => server::cli::load_demo(&config, force).await,
        Command::Check { json, lang, text } => server::cli::check(&config, json, lang, text).await,
        Command::Switch { detector, state } => server::cli::switch(&config, detector, state).await,
        Command::User(server::cli::UserCommand::Add { name, roles, display_name }) => {
            server::cli::add_user(&config, &name, &roles, &display_name).await
        }
        Command::Audit(server::cli::AuditCommand::Verify) => server::cli::verify_audit(&config).await,
    };
    match outcome {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {e:#}");
            ExitCode::FAILURE
        }
    }
}
