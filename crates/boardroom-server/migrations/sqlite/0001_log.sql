-- The record: structures as created, then only appended entries.
-- Nothing is ever updated or deleted: the triggers refuse it.
CREATE TABLE structure (
    id TEXT PRIMARY KEY,
    title TEXT NOT NULL,
    file_name TEXT NOT NULL,
    file_text TEXT NOT NULL,
    created_by TEXT NOT NULL,
    created_at TEXT NOT NULL
) STRICT;

CREATE TABLE entry (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    structure_id TEXT NOT NULL REFERENCES structure(id),
    event TEXT NOT NULL,
    outcome TEXT NOT NULL,
    verdict TEXT NOT NULL,
    recorded_by TEXT NOT NULL,
    recorded_at TEXT NOT NULL
) STRICT;
CREATE INDEX entry_by_structure ON entry(structure_id, seq);

CREATE TABLE token (
    id TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    hash TEXT NOT NULL,
    scope TEXT NOT NULL,
    can_write INTEGER NOT NULL,
    created_at TEXT NOT NULL
) STRICT;

CREATE TABLE token_revocation (
    token_id TEXT PRIMARY KEY REFERENCES token(id),
    revoked_at TEXT NOT NULL
) STRICT;

CREATE TRIGGER structure_append_only_update BEFORE UPDATE ON structure
BEGIN SELECT RAISE(ABORT, 'the record is append-only: a structure is never changed'); END;
CREATE TRIGGER structure_append_only_delete BEFORE DELETE ON structure
BEGIN SELECT RAISE(ABORT, 'the record is append-only: a structure is never deleted'); END;
CREATE TRIGGER entry_append_only_update BEFORE UPDATE ON entry
BEGIN SELECT RAISE(ABORT, 'the record is append-only: an entry is never changed'); END;
CREATE TRIGGER entry_append_only_delete BEFORE DELETE ON entry
BEGIN SELECT RAISE(ABORT, 'the record is append-only: an entry is never deleted'); END;
CREATE TRIGGER token_append_only_update BEFORE UPDATE ON token
BEGIN SELECT RAISE(ABORT, 'tokens are revoked, never changed'); END;
CREATE TRIGGER token_append_only_delete BEFORE DELETE ON token
BEGIN SELECT RAISE(ABORT, 'tokens are revoked, never deleted'); END;
CREATE TRIGGER token_revocation_append_only_update BEFORE UPDATE ON token_revocation
BEGIN SELECT RAISE(ABORT, 'a revocation is never changed'); END;
CREATE TRIGGER token_revocation_append_only_delete BEFORE DELETE ON token_revocation
BEGIN SELECT RAISE(ABORT, 'a revocation is never deleted'); END;
