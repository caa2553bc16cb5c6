//! The record: structures as created, an append-only log of entries (each
//! an event with the verdict it got when recorded), and tokens. Two
//! backends with one behaviour: a SQLite file (the default: nothing to
//! install) or a PostgreSQL server (`postgres://...`). In both, a write is
//! durable when its transaction commits, before it is acknowledged; an
//! append is judged inside its transaction, so no other append comes in
//! between; and triggers in the database refuse every UPDATE and DELETE,
//! so nothing stored is ever changed or lost, whatever the code above does.
//! Migrations are versioned and run at start.

use std::path::Path;

use serde::Serialize;

mod postgres_log;
mod sqlite;

pub use postgres_log::{Postgres, shown};
pub use sqlite::Sqlite;

/// The newest schema version this build knows.
pub const SCHEMA_VERSION: i64 = 1;

#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("the database: {0}")]
    Sqlite(#[from] rusqlite::Error),
    #[error("the database: {0}")]
    Postgres(#[from] postgres::Error),
    #[error("a structure with id `{0}` already exists")]
    Exists(String),
    #[error("the database at {path} has schema version {found}, newer than this build's {known}")]
    TooNew {
        path: String,
        found: i64,
        known: i64,
    },
    #[error("the database lock was poisoned by a panic")]
    Poisoned,
    #[error("{0}")]
    System(String),
}

/// A structure as it was created: the structure file, whole.
#[derive(Debug, Clone, Serialize)]
pub struct StructureRow {
    pub id: String,
    pub title: String,
    pub file_name: String,
    #[serde(skip)]
    pub file_text: String,
    pub created_by: String,
    pub created_at: String,
}

/// One entry of the log: an event as posted, and the verdict it got when
/// it was recorded.
#[derive(Debug, Clone, Serialize)]
pub struct Entry {
    pub seq: i64,
    pub structure_id: String,
    /// The event, as JSON (the `[[event]]` item of a structure file).
    pub event: String,
    /// `valid`, `invalid` or `cannot-tell`, as judged when recorded.
    pub outcome: String,
    /// The whole verdict, as JSON.
    pub verdict: String,
    pub recorded_by: String,
    pub recorded_at: String,
}

/// What a write adds to the log.
#[derive(Debug, Clone)]
pub struct NewEntry {
    pub event: String,
    pub outcome: String,
    pub verdict: String,
    pub recorded_by: String,
}

/// A token: its hash only, never the secret.
#[derive(Debug, Clone, Serialize)]
pub struct TokenRow {
    pub id: String,
    pub name: String,
    #[serde(skip)]
    pub hash: String,
    /// A structure id, or `*` for every structure.
    pub scope: String,
    pub can_write: bool,
    pub created_at: String,
    pub revoked_at: Option<String>,
}

/// The time now, as stored: RFC 3339 in UTC to the microsecond, so that
/// text order is time order.
pub fn now() -> String {
    chrono::Utc::now()
        .format("%Y-%m-%dT%H:%M:%S%.6fZ")
        .to_string()
}

/// Where the record is kept.
pub enum Store {
    Sqlite(Sqlite),
    Postgres(Postgres),
}

/// The same call on whichever backend holds the record.
macro_rules! each {
    ($self:ident, $s:ident => $call:expr) => {
        match $self {
            Store::Sqlite($s) => $call,
            Store::Postgres($s) => $call,
        }
    };
}

impl Store {
    /// Opens the record: a `postgres://` or `postgresql://` URL, else a
    /// SQLite file (created when missing); its schema is brought up to date.
    pub fn open(db: &str) -> Result<Store, StoreError> {
        if db.starts_with("postgres://") || db.starts_with("postgresql://") {
            Ok(Store::Postgres(Postgres::open(db)?))
        } else {
            Ok(Store::Sqlite(Sqlite::open(Path::new(db))?))
        }
    }

    /// The SQLite file, for a record kept in one.
    pub fn sqlite_path(&self) -> Option<&Path> {
        match self {
            Store::Sqlite(s) => Some(s.path()),
            Store::Postgres(_) => None,
        }
    }

    pub fn schema_version(&self) -> Result<i64, StoreError> {
        each!(self, s => s.schema_version())
    }

    pub fn create_structure(&self, row: &StructureRow) -> Result<(), StoreError> {
        each!(self, s => s.create_structure(row))
    }

    pub fn structures(&self) -> Result<Vec<StructureRow>, StoreError> {
        each!(self, s => s.structures())
    }

    pub fn structure(&self, id: &str) -> Result<Option<StructureRow>, StoreError> {
        each!(self, s => s.structure(id))
    }

    /// The last entry's sequence number for a structure (0 for none).
    pub fn head(&self, id: &str) -> Result<i64, StoreError> {
        each!(self, s => s.head(id))
    }

    /// A structure's entries in log order, up to `upto` (a sequence
    /// number) when given.
    pub fn entries(&self, id: &str, upto: Option<i64>) -> Result<Vec<Entry>, StoreError> {
        each!(self, s => s.entries(id, upto))
    }

    /// Up to `limit` entries after `after`, up to `upto`, in log order: the
    /// log read a page at a time.
    pub fn entries_page(
        &self,
        id: &str,
        after: i64,
        upto: i64,
        limit: i64,
    ) -> Result<Vec<Entry>, StoreError> {
        each!(self, s => s.entries_page(id, after, upto, limit))
    }

    /// Appends one entry: in one transaction that no other append to the
    /// structure can enter, `judge` sees the log as it stands and says what
    /// to append, or refuses; the commit is durable before this returns.
    pub fn append<E>(
        &self,
        id: &str,
        judge: impl FnOnce(&[Entry]) -> Result<NewEntry, E>,
    ) -> Result<Result<Entry, E>, StoreError> {
        each!(self, s => s.append(id, judge))
    }

    pub fn create_token(&self, row: &TokenRow) -> Result<(), StoreError> {
        each!(self, s => s.create_token(row))
    }

    pub fn token(&self, id: &str) -> Result<Option<TokenRow>, StoreError> {
        each!(self, s => s.token(id))
    }

    pub fn tokens(&self) -> Result<Vec<TokenRow>, StoreError> {
        each!(self, s => s.tokens())
    }

    /// Revokes a token (a revocation is itself appended); false when there
    /// is no such token or it was already revoked.
    pub fn revoke(&self, id: &str) -> Result<bool, StoreError> {
        each!(self, s => s.revoke(id))
    }

    /// The database's own check of its files: `ok` when sound.
    pub fn integrity(&self) -> Result<String, StoreError> {
        each!(self, s => s.integrity())
    }
}
