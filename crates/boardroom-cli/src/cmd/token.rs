use std::process::ExitCode;

use anyhow::{Context, Result, bail};

use crate::cmd::serve::Db;

#[derive(clap::Subcommand)]
pub enum Action {
    /// Make a token. It is printed once, here, and stored only hashed.
    Create {
        /// Who holds it: recorded with every write made with it.
        #[arg(long)]
        name: String,
        /// The structure it may write to (and read), or `*` for every
        /// structure and for creating new ones.
        #[arg(long, value_name = "ID", conflicts_with = "read")]
        write: Option<String>,
        /// The structure it may only read (on a server started with
        /// --private), or `*`.
        #[arg(long, value_name = "ID")]
        read: Option<String>,
        #[command(flatten)]
        db: Db,
    },
    /// List the tokens: id, holder, scope, rights, and when revoked.
    List {
        #[command(flatten)]
        db: Db,
    },
    /// Revoke a token by its id; it is refused from the next request on.
    Revoke {
        /// The token's id (the part after `brt_`, before the next `_`).
        id: String,
        #[command(flatten)]
        db: Db,
    },
}

#[derive(clap::Args)]
pub struct Args {
    #[command(subcommand)]
    action: Action,
}

fn open(db: &Db) -> Result<boardroom_server::store::Store> {
    boardroom_server::store::Store::open(&db.db).with_context(|| {
        format!(
            "could not open the record at {}",
            boardroom_server::store::shown(&db.db)
        )
    })
}

pub fn run(a: Args) -> Result<ExitCode> {
    match a.action {
        Action::Create {
            name,
            write,
            read,
            db,
        } => {
            let (scope, can_write) = match (write, read) {
                (Some(w), _) => (w, true),
                (None, Some(r)) => (r, false),
                (None, None) => bail!(
                    "say what the token may do\n  = hint: --write ID (or '*') to append and read, --read ID (or '*') to read only"
                ),
            };
            let store = open(&db)?;
            let (row, token) = boardroom_server::token::create(&store, &name, &scope, can_write)
                .context("could not make the token")?;
            crate::input::emit(&format!("{token}\n"), false)?;
            stderrln!(
                "token {} for {} ({} {}): shown once; it is stored only hashed",
                row.id,
                row.name,
                if can_write { "writes" } else { "reads" },
                if scope == "*" {
                    "every structure".to_string()
                } else {
                    format!("`{scope}`")
                }
            );
        }
        Action::List { db } => {
            let store = open(&db)?;
            let mut out = String::new();
            for t in store.tokens()? {
                out.push_str(&format!(
                    "{}  {}  {} {}  created {}{}\n",
                    t.id,
                    t.name,
                    if t.can_write { "write" } else { "read" },
                    t.scope,
                    t.created_at,
                    t.revoked_at
                        .map(|r| format!("  revoked {r}"))
                        .unwrap_or_default()
                ));
            }
            if out.is_empty() {
                out.push_str("no tokens; `boardroom token create` makes one\n");
            }
            crate::input::emit(&out, false)?;
        }
        Action::Revoke { id, db } => {
            let store = open(&db)?;
            if !store.revoke(&id)? {
                match store.token(&id)? {
                    Some(_) => bail!("token {id} was already revoked"),
                    None => bail!(
                        "no token {id}\n  = hint: `boardroom token list` shows the tokens' ids"
                    ),
                }
            }
            stderrln!("token {id} revoked");
        }
    }
    Ok(ExitCode::SUCCESS)
}
