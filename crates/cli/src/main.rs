//! The `hawkari` binary: parse the command line, load the configuration, run the command.
#![forbid(unsafe_code)]

mod commands;
mod config;

use clap::Parser;

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let cli = commands::Cli::parse();
    tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_env("HAWKARI_LOG")
                .unwrap_or_else(|_| "info,sqlx=warn".into()),
        )
        .with_writer(std::io::stderr)
        .init();
    commands::run(cli).await
}
