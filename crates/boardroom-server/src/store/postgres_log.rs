//! The record on a PostgreSQL server. Commits are durable as PostgreSQL
//! makes them (`synchronous_commit` on, its default); appends to one
//! structure are serialised by a transaction-scoped advisory lock on the
//! structure's id, so any number of servers may share the database.

use std::sync::{Mutex, MutexGuard};

use postgres::error::SqlState;
use postgres::{Client, NoTls, Row};

use super::{Entry, NewEntry, StoreError, StructureRow, TokenRow, now};

const MIGRATIONS: &[(i64, &str, &str)] = &[(
    1,
    "the log: structures, entries, tokens, revocations",
    include_str!("../../migrations/postgres/0001_log.sql"),
)];

/// The advisory lock key migrations hold, so that two servers starting at
/// once do not migrate twice.
const MIGRATION_LOCK: i64 = 0x626f_6172_6472_6f6f;

pub struct Postgres {
    url: String,
    writer: Mutex<Client>,
    readers: Mutex<Vec<Client>>,
}

fn connect(url: &str) -> Result<Client, StoreError> {
    Ok(Client::connect(url, NoTls)?)
}

/// The URL without its password, for messages.
pub fn shown(url: &str) -> String {
    match (url.find("://"), url.find('@')) {
        (Some(s), Some(at)) if at > s => {
            let user = &url[s + 3..at];
            let user = user.split(':').next().unwrap_or("");
            format!("{}{user}@{}", &url[..s + 3], &url[at + 1..])
        }
        _ => url.to_string(),
    }
}

impl Postgres {
    pub fn open(url: &str) -> Result<Postgres, StoreError> {
        let mut c = connect(url)?;
        migrate(&mut c, url)?;
        Ok(Postgres {
            url: url.to_string(),
            writer: Mutex::new(c),
            readers: Mutex::new(Vec::new()),
        })
    }

    /// The writing connection, opened again if the server dropped it.
    fn writer(&self) -> Result<MutexGuard<'_, Client>, StoreError> {
        let mut c = self.writer.lock().map_err(|_| StoreError::Poisoned)?;
        if c.is_closed() {
            *c = connect(&self.url)?;
        }
        Ok(c)
    }

    fn read<T>(
        &self,
        f: impl FnOnce(&mut Client) -> Result<T, postgres::Error>,
    ) -> Result<T, StoreError> {
        let pooled = self.readers.lock().map_err(|_| StoreError::Poisoned)?.pop();
        let mut c = match pooled {
            Some(c) if !c.is_closed() => c,
            _ => connect(&self.url)?,
        };
        let out = f(&mut c);
        if out.is_ok()
            && let Ok(mut pool) = self.readers.lock()
            && pool.len() < 16
        {
            pool.push(c);
        }
        Ok(out?)
    }

    pub fn schema_version(&self) -> Result<i64, StoreError> {
        self.read(|c| {
            c.query_one(
                "SELECT COALESCE(MAX(version), 0) FROM schema_migration",
                &[],
            )
            .map(|r| r.get(0))
        })
    }

    pub fn create_structure(&self, row: &StructureRow) -> Result<(), StoreError> {
        let mut c = self.writer()?;
        let done = c.execute(
            "INSERT INTO structure (id, title, file_name, file_text, created_by, created_at)
             VALUES ($1, $2, $3, $4, $5, $6)",
            &[
                &row.id,
                &row.title,
                &row.file_name,
                &row.file_text,
                &row.created_by,
                &row.created_at,
            ],
        );
        match done {
            Ok(_) => Ok(()),
            Err(e) if e.code() == Some(&SqlState::UNIQUE_VIOLATION) => {
                Err(StoreError::Exists(row.id.clone()))
            }
            Err(e) => Err(e.into()),
        }
    }

    pub fn structures(&self) -> Result<Vec<StructureRow>, StoreError> {
        self.read(|c| {
            c.query(
                "SELECT id, title, file_name, file_text, created_by, created_at
                 FROM structure ORDER BY created_at, id",
                &[],
            )
            .map(|rows| rows.iter().map(structure_row).collect())
        })
    }

    pub fn structure(&self, id: &str) -> Result<Option<StructureRow>, StoreError> {
        self.read(|c| {
            c.query_opt(
                "SELECT id, title, file_name, file_text, created_by, created_at
                 FROM structure WHERE id = $1",
                &[&id],
            )
            .map(|r| r.as_ref().map(structure_row))
        })
    }

    pub fn head(&self, id: &str) -> Result<i64, StoreError> {
        self.read(|c| {
            c.query_one(
                "SELECT COALESCE(MAX(seq), 0) FROM entry WHERE structure_id = $1",
                &[&id],
            )
            .map(|r| r.get(0))
        })
    }

    pub fn entries(&self, id: &str, upto: Option<i64>) -> Result<Vec<Entry>, StoreError> {
        self.read(|c| entries(c, id, upto.unwrap_or(i64::MAX)))
    }

    pub fn entries_page(
        &self,
        id: &str,
        after: i64,
        upto: i64,
        limit: i64,
    ) -> Result<Vec<Entry>, StoreError> {
        self.read(|c| {
            Ok(c.query(
                "SELECT seq, structure_id, event, outcome, verdict, recorded_by, recorded_at
                 FROM entry WHERE structure_id = $1 AND seq > $2 AND seq <= $3
                 ORDER BY seq LIMIT $4",
                &[&id, &after, &upto, &limit],
            )?
            .iter()
            .map(entry_row)
            .collect())
        })
    }

    pub fn append<E>(
        &self,
        id: &str,
        judge: impl FnOnce(&[Entry]) -> Result<NewEntry, E>,
    ) -> Result<Result<Entry, E>, StoreError> {
        let mut c = self.writer()?;
        let mut tx = c.transaction()?;
        // Held until the commit: appends to one structure, from any server,
        // take turns.
        tx.execute("SELECT pg_advisory_xact_lock(hashtext($1))", &[&id])?;
        let log = entries_in(&mut tx, id, i64::MAX)?;
        let new = match judge(&log) {
            Ok(n) => n,
            Err(e) => return Ok(Err(e)),
        };
        let recorded_at = now();
        let seq: i64 = tx
            .query_one(
                "INSERT INTO entry (structure_id, event, outcome, verdict, recorded_by, recorded_at)
                 VALUES ($1, $2, $3, $4, $5, $6) RETURNING seq",
                &[
                    &id,
                    &new.event,
                    &new.outcome,
                    &new.verdict,
                    &new.recorded_by,
                    &recorded_at,
                ],
            )?
            .get(0);
        tx.commit()?;
        Ok(Ok(Entry {
            seq,
            structure_id: id.to_string(),
            event: new.event,
            outcome: new.outcome,
            verdict: new.verdict,
            recorded_by: new.recorded_by,
            recorded_at,
        }))
    }

    pub fn create_token(&self, row: &TokenRow) -> Result<(), StoreError> {
        self.writer()?.execute(
            "INSERT INTO token (id, name, hash, scope, can_write, created_at)
             VALUES ($1, $2, $3, $4, $5, $6)",
            &[
                &row.id,
                &row.name,
                &row.hash,
                &row.scope,
                &row.can_write,
                &row.created_at,
            ],
        )?;
        Ok(())
    }

    pub fn token(&self, id: &str) -> Result<Option<TokenRow>, StoreError> {
        self.read(|c| {
            c.query_opt(&format!("{TOKEN_SELECT} WHERE t.id = $1"), &[&id])
                .map(|r| r.as_ref().map(token_row))
        })
    }

    pub fn tokens(&self) -> Result<Vec<TokenRow>, StoreError> {
        self.read(|c| {
            c.query(&format!("{TOKEN_SELECT} ORDER BY t.created_at, t.id"), &[])
                .map(|rows| rows.iter().map(token_row).collect())
        })
    }

    pub fn revoke(&self, id: &str) -> Result<bool, StoreError> {
        let n = self.writer()?.execute(
            "INSERT INTO token_revocation (token_id, revoked_at)
             SELECT id, $2 FROM token WHERE id = $1
             ON CONFLICT (token_id) DO NOTHING",
            &[&id, &now()],
        )?;
        Ok(n == 1)
    }

    /// PostgreSQL checks its pages as it reads them; here, that every
    /// entry names a structure and the sequence is unique, read whole.
    pub fn integrity(&self) -> Result<String, StoreError> {
        self.read(|c| {
            let orphans: i64 = c
                .query_one(
                    "SELECT COUNT(*) FROM entry e LEFT JOIN structure s ON s.id = e.structure_id
                     WHERE s.id IS NULL",
                    &[],
                )?
                .get(0);
            Ok(if orphans == 0 {
                "ok".to_string()
            } else {
                format!("{orphans} entries name no structure")
            })
        })
    }
}

const TOKEN_SELECT: &str =
    "SELECT t.id, t.name, t.hash, t.scope, t.can_write, t.created_at, r.revoked_at
     FROM token t LEFT JOIN token_revocation r ON r.token_id = t.id";

fn token_row(r: &Row) -> TokenRow {
    TokenRow {
        id: r.get(0),
        name: r.get(1),
        hash: r.get(2),
        scope: r.get(3),
        can_write: r.get(4),
        created_at: r.get(5),
        revoked_at: r.get(6),
    }
}

fn structure_row(r: &Row) -> StructureRow {
    StructureRow {
        id: r.get(0),
        title: r.get(1),
        file_name: r.get(2),
        file_text: r.get(3),
        created_by: r.get(4),
        created_at: r.get(5),
    }
}

const ENTRIES: &str = "SELECT seq, structure_id, event, outcome, verdict, recorded_by, recorded_at
     FROM entry WHERE structure_id = $1 AND seq <= $2 ORDER BY seq";

fn entry_row(r: &Row) -> Entry {
    Entry {
        seq: r.get(0),
        structure_id: r.get(1),
        event: r.get(2),
        outcome: r.get(3),
        verdict: r.get(4),
        recorded_by: r.get(5),
        recorded_at: r.get(6),
    }
}

fn entries(c: &mut Client, id: &str, upto: i64) -> Result<Vec<Entry>, postgres::Error> {
    Ok(c.query(ENTRIES, &[&id, &upto])?
        .iter()
        .map(entry_row)
        .collect())
}

fn entries_in(
    tx: &mut postgres::Transaction<'_>,
    id: &str,
    upto: i64,
) -> Result<Vec<Entry>, postgres::Error> {
    Ok(tx
        .query(ENTRIES, &[&id, &upto])?
        .iter()
        .map(entry_row)
        .collect())
}

fn migrate(c: &mut Client, url: &str) -> Result<(), StoreError> {
    let mut tx = c.transaction()?;
    tx.execute("SELECT pg_advisory_xact_lock($1)", &[&MIGRATION_LOCK])?;
    tx.batch_execute(
        "CREATE TABLE IF NOT EXISTS schema_migration (
             version BIGINT PRIMARY KEY,
             name TEXT NOT NULL,
             applied_at TEXT NOT NULL
         );",
    )?;
    let found: i64 = tx
        .query_one(
            "SELECT COALESCE(MAX(version), 0) FROM schema_migration",
            &[],
        )?
        .get(0);
    if found > super::SCHEMA_VERSION {
        return Err(StoreError::TooNew {
            path: shown(url),
            found,
            known: super::SCHEMA_VERSION,
        });
    }
    for (version, name, sql) in MIGRATIONS {
        if *version <= found {
            continue;
        }
        tx.batch_execute(sql)?;
        tx.execute(
            "INSERT INTO schema_migration (version, name, applied_at) VALUES ($1, $2, $3)",
            &[version, name, &now()],
        )?;
    }
    tx.commit()?;
    Ok(())
}
