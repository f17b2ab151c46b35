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
        Command::Demo { force, if_empty } => server::cli::load_demo(&config, force, if_empty).await,
        Command::Check { json, lang, text } => server::cli::check(&config, json, lang, text).await,
        Command::Switch { detector, state } => server::cli::switch(&config, detector, state).await,
        Command::User(server::cli::UserCommand::Add { name, roles, display_name }) => {
            server::cli::add_user(&config, &name, &roles, &display_name).await
        }
        Command::Audit(server::cli::AuditCommand::Verify) => server::cli::verify_audit(&config).await,
        Command::Takedown(server::cli::TakedownCommand::Import {
            file,
            dry_run,
            format,
            force,
            replace,
            vendor,
        }) => {
            let args = server::cli::takedown::ImportArgs { file, format, dry_run, force, replace, vendor };
            server::cli::takedown::import(&config, &args).await
        }
        Command::Takedown(server::cli::TakedownCommand::Pull { dry_run, force }) => {
            server::cli::takedown::pull(&config, dry_run, force).await
        }
        Command::Data(server::cli::DataCommand::Versions { limit }) => {
            server::cli::takedown::versions(&config, limit).await
        }
        Command::Data(server::cli::DataCommand::Rollback { version }) => {
            server::cli::takedown::rollback(&config, version).await
        }
        Command::Bulletin(server::cli::BulletinCommand::Add { file, publish }) => {
            server::cli::bulletin::add(&config, &file, publish).await
        }
    };
    match outcome {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {e:#}");
            ExitCode::FAILURE
        }
    }
}
