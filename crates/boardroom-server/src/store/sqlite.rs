//! The record in a SQLite file, in WAL mode with `synchronous=FULL`: a
//! write is durable when its transaction commits, before it is
//! acknowledged. Triggers refuse every UPDATE and DELETE.

use std::path::{Path, PathBuf};
use std::sync::Mutex;

use super::{Entry, NewEntry, StoreError, StructureRow, TokenRow, now};
use rusqlite::{Connection, OptionalExtension, TransactionBehavior, params};

/// The migrations, in order; each runs once, in its own transaction, and
/// is recorded in `schema_migration`.
const MIGRATIONS: &[(i64, &str, &str)] = &[(
    1,
    "the log: structures, entries, tokens, revocations",
    include_str!("../../migrations/sqlite/0001_log.sql"),
)];

pub struct Sqlite {
    path: PathBuf,
    writer: Mutex<Connection>,
    readers: Mutex<Vec<Connection>>,
}

fn connect(path: &Path) -> rusqlite::Result<Connection> {
    let c = Connection::open(path)?;
    c.busy_timeout(std::time::Duration::from_secs(10))?;
    // WAL: readers do not wait for the writer. FULL: a commit is on disk
    // (the WAL fsynced) before it returns.
    c.pragma_update(None, "journal_mode", "WAL")?;
    c.pragma_update(None, "synchronous", "FULL")?;
    c.pragma_update(None, "foreign_keys", "ON")?;
    Ok(c)
}

impl Sqlite {
    /// Opens (or creates) the database at `path` and brings its schema up
    /// to date.
    pub fn open(path: &Path) -> Result<Sqlite, StoreError> {
        let mut c = connect(path)?;
        migrate(&mut c, path)?;
        Ok(Sqlite {
            path: path.to_path_buf(),
            writer: Mutex::new(c),
            readers: Mutex::new(Vec::new()),
        })
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Runs `f` on a reading connection from the pool.
    fn read<T>(&self, f: impl FnOnce(&Connection) -> rusqlite::Result<T>) -> Result<T, StoreError> {
        let pooled = self.readers.lock().map_err(|_| StoreError::Poisoned)?.pop();
        let c = match pooled {
            Some(c) => c,
            None => connect(&self.path)?,
        };
        let out = f(&c);
        if let Ok(mut pool) = self.readers.lock()
            && pool.len() < 16
        {
            pool.push(c);
        }
        Ok(out?)
    }

    /// The schema version the database is at.
    pub fn schema_version(&self) -> Result<i64, StoreError> {
        self.read(|c| {
            c.query_row("SELECT MAX(version) FROM schema_migration", [], |r| {
                r.get::<_, Option<i64>>(0)
            })
            .map(|v| v.unwrap_or(0))
        })
    }

    /// Stores a new structure; refuses an id already taken.
    pub fn create_structure(&self, row: &StructureRow) -> Result<(), StoreError> {
        let c = self.writer.lock().map_err(|_| StoreError::Poisoned)?;
        let done = c.execute(
            "INSERT INTO structure (id, title, file_name, file_text, created_by, created_at)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
            params![
                row.id,
                row.title,
                row.file_name,
                row.file_text,
                row.created_by,
                row.created_at
            ],
        );
        match done {
            Ok(_) => Ok(()),
            Err(rusqlite::Error::SqliteFailure(e, _))
                if e.code == rusqlite::ErrorCode::ConstraintViolation =>
            {
                Err(StoreError::Exists(row.id.clone()))
            }
            Err(e) => Err(e.into()),
        }
    }

    pub fn structures(&self) -> Result<Vec<StructureRow>, StoreError> {
        self.read(|c| {
            let mut q = c.prepare(
                "SELECT id, title, file_name, file_text, created_by, created_at
                 FROM structure ORDER BY created_at, id",
            )?;
            q.query_map([], structure_row)?.collect()
        })
    }

    pub fn structure(&self, id: &str) -> Result<Option<StructureRow>, StoreError> {
        self.read(|c| {
            c.query_row(
                "SELECT id, title, file_name, file_text, created_by, created_at
                 FROM structure WHERE id = ?1",
                [id],
                structure_row,
            )
            .optional()
        })
    }

    /// The last entry's sequence number for a structure (0 for none).
    pub fn head(&self, id: &str) -> Result<i64, StoreError> {
        self.read(|c| {
            c.query_row(
                "SELECT COALESCE(MAX(seq), 0) FROM entry WHERE structure_id = ?1",
                [id],
                |r| r.get(0),
            )
        })
    }

    /// A structure's entries in log order, up to `upto` (a sequence
    /// number) when given.
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
            let mut q = c.prepare_cached(
                "SELECT seq, structure_id, event, outcome, verdict, recorded_by, recorded_at
                 FROM entry WHERE structure_id = ?1 AND seq > ?2 AND seq <= ?3
                 ORDER BY seq LIMIT ?4",
            )?;
            q.query_map(params![id, after, upto, limit], entry_row)?
                .collect()
        })
    }

    /// Appends one entry: in one IMMEDIATE transaction (so no other writer,
    /// in this process or another, can append in between), `judge` sees
    /// the log as it stands and says what to append, or refuses; the
    /// commit is durable before this returns.
    pub fn append<E>(
        &self,
        id: &str,
        judge: impl FnOnce(&[Entry]) -> Result<NewEntry, E>,
    ) -> Result<Result<Entry, E>, StoreError> {
        let mut c = self.writer.lock().map_err(|_| StoreError::Poisoned)?;
        let tx = c.transaction_with_behavior(TransactionBehavior::Immediate)?;
        let log = entries(&tx, id, i64::MAX)?;
        let new = match judge(&log) {
            Ok(n) => n,
            Err(e) => return Ok(Err(e)),
        };
        let recorded_at = now();
        tx.execute(
            "INSERT INTO entry (structure_id, event, outcome, verdict, recorded_by, recorded_at)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
            params![
                id,
                new.event,
                new.outcome,
                new.verdict,
                new.recorded_by,
                recorded_at
            ],
        )?;
        let seq = tx.last_insert_rowid();
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
        let c = self.writer.lock().map_err(|_| StoreError::Poisoned)?;
        c.execute(
            "INSERT INTO token (id, name, hash, scope, can_write, created_at)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
            params![
                row.id,
                row.name,
                row.hash,
                row.scope,
                row.can_write,
                row.created_at
            ],
        )?;
        Ok(())
    }

    pub fn token(&self, id: &str) -> Result<Option<TokenRow>, StoreError> {
        self.read(|c| {
            c.query_row(&format!("{TOKEN_SELECT} WHERE t.id = ?1"), [id], token_row)
                .optional()
        })
    }

    pub fn tokens(&self) -> Result<Vec<TokenRow>, StoreError> {
        self.read(|c| {
            let mut q = c.prepare(&format!("{TOKEN_SELECT} ORDER BY t.created_at, t.id"))?;
            q.query_map([], token_row)?.collect()
        })
    }

    /// Revokes a token (a revocation is itself appended); false when there
    /// is no such token or it was already revoked.
    pub fn revoke(&self, id: &str) -> Result<bool, StoreError> {
        let c = self.writer.lock().map_err(|_| StoreError::Poisoned)?;
        let n = c.execute(
            "INSERT OR IGNORE INTO token_revocation (token_id, revoked_at)
             SELECT id, ?2 FROM token WHERE id = ?1",
            params![id, now()],
        )?;
        Ok(n == 1)
    }

    /// SQLite's own check of the file.
    pub fn integrity(&self) -> Result<String, StoreError> {
        self.read(|c| c.query_row("PRAGMA integrity_check", [], |r| r.get(0)))
    }
}

const TOKEN_SELECT: &str =
    "SELECT t.id, t.name, t.hash, t.scope, t.can_write, t.created_at, r.revoked_at
     FROM token t LEFT JOIN token_revocation r ON r.token_id = t.id";

fn token_row(r: &rusqlite::Row<'_>) -> rusqlite::Result<TokenRow> {
    Ok(TokenRow {
        id: r.get(0)?,
        name: r.get(1)?,
        hash: r.get(2)?,
        scope: r.get(3)?,
        can_write: r.get(4)?,
        created_at: r.get(5)?,
        revoked_at: r.get(6)?,
    })
}

fn structure_row(r: &rusqlite::Row<'_>) -> rusqlite::Result<StructureRow> {
    Ok(StructureRow {
        id: r.get(0)?,
        title: r.get(1)?,
        file_name: r.get(2)?,
        file_text: r.get(3)?,
        created_by: r.get(4)?,
        created_at: r.get(5)?,
    })
}

fn entries(c: &Connection, id: &str, upto: i64) -> rusqlite::Result<Vec<Entry>> {
    let mut q = c.prepare_cached(
        "SELECT seq, structure_id, event, outcome, verdict, recorded_by, recorded_at
         FROM entry WHERE structure_id = ?1 AND seq <= ?2 ORDER BY seq",
    )?;
    q.query_map(params![id, upto], entry_row)?.collect()
}

fn entry_row(r: &rusqlite::Row<'_>) -> rusqlite::Result<Entry> {
    Ok(Entry {
        seq: r.get(0)?,
        structure_id: r.get(1)?,
        event: r.get(2)?,
        outcome: r.get(3)?,
        verdict: r.get(4)?,
        recorded_by: r.get(5)?,
        recorded_at: r.get(6)?,
    })
}

fn migrate(c: &mut Connection, path: &Path) -> Result<(), StoreError> {
    c.execute_batch(
        "CREATE TABLE IF NOT EXISTS schema_migration (
             version INTEGER PRIMARY KEY,
             name TEXT NOT NULL,
             applied_at TEXT NOT NULL
         ) STRICT;",
    )?;
    let found: i64 = c.query_row(
        "SELECT COALESCE(MAX(version), 0) FROM schema_migration",
        [],
        |r| r.get(0),
    )?;
    if found > super::SCHEMA_VERSION {
        return Err(StoreError::TooNew {
            path: path.display().to_string(),
            found,
            known: super::SCHEMA_VERSION,
        });
    }
    for (version, name, sql) in MIGRATIONS {
        if *version <= found {
            continue;
        }
        let tx = c.transaction_with_behavior(TransactionBehavior::Immediate)?;
        tx.execute_batch(sql)?;
        tx.execute(
            "INSERT INTO schema_migration (version, name, applied_at) VALUES (?1, ?2, ?3)",
            params![version, name, now()],
        )?;
        tx.commit()?;
    }
    Ok(())
}
