use std::net::SocketAddr;
use std::process::ExitCode;

use anyhow::{Context, Result};

/// The record's database file, for `serve` and `token`.
#[derive(clap::Args)]
pub struct Db {
    /// Where the record is kept: a SQLite file (created, with the embedded
    /// OpenAI 2023 scenario, when it does not exist), or a PostgreSQL
    /// server's URL (postgres://user@host/database).
    #[arg(long, default_value = "boardroom.db", value_name = "FILE|URL")]
    pub db: String,
}

#[derive(clap::Args)]
pub struct Args {
    #[command(flatten)]
    db: Db,
    /// The address to listen on (port 0: any free port).
    #[arg(long, default_value = "127.0.0.1:8080")]
    addr: SocketAddr,
    /// Every read needs a token for the structure read (default: reads are
    /// public; writes always need a token).
    #[arg(long)]
    private: bool,
    /// The largest request body accepted, in bytes.
    #[arg(long, default_value_t = boardroom_server::MAX_BODY)]
    max_body: usize,
}

pub fn run(a: Args) -> Result<ExitCode> {
    let config = boardroom_server::Config {
        db: a.db.db,
        public_reads: !a.private,
        max_body: a.max_body,
    };
    let runtime = tokio::runtime::Runtime::new().context("could not start the server's runtime")?;
    let db = boardroom_server::store::shown(&config.db);
    let private = a.private;
    runtime
        .block_on(boardroom_server::serve(config, a.addr, move |bound| {
            stderrln!(
                "boardroom serve: http://{bound}/ (record: {db}; reads {}; writes need a token: `boardroom token create`)",
                if private { "need a token" } else { "are public" }
            );
        }))
        .map_err(anyhow::Error::msg)?;
    Ok(ExitCode::SUCCESS)
}
