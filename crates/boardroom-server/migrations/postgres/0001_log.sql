-- The record: structures as created, then only appended entries.
-- Nothing is ever updated or deleted: the triggers refuse it.
CREATE TABLE structure (
    id TEXT PRIMARY KEY,
    title TEXT NOT NULL,
    file_name TEXT NOT NULL,
    file_text TEXT NOT NULL,
    created_by TEXT NOT NULL,
    created_at TEXT NOT NULL
);

CREATE TABLE entry (
    seq BIGSERIAL PRIMARY KEY,
    structure_id TEXT NOT NULL REFERENCES structure(id),
    event TEXT NOT NULL,
    outcome TEXT NOT NULL,
    verdict TEXT NOT NULL,
    recorded_by TEXT NOT NULL,
    recorded_at TEXT NOT NULL
);
CREATE INDEX entry_by_structure ON entry(structure_id, seq);

CREATE TABLE token (
    id TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    hash TEXT NOT NULL,
    scope TEXT NOT NULL,
    can_write BOOLEAN NOT NULL,
    created_at TEXT NOT NULL
);

CREATE TABLE token_revocation (
    token_id TEXT PRIMARY KEY REFERENCES token(id),
    revoked_at TEXT NOT NULL
);

CREATE FUNCTION boardroom_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'the record is append-only: % on % is refused (an entry, a structure, a token or a revocation is never changed or deleted)', TG_OP, TG_TABLE_NAME;
END
$$;

CREATE TRIGGER structure_append_only BEFORE UPDATE OR DELETE ON structure
    FOR EACH ROW EXECUTE FUNCTION boardroom_append_only();
CREATE TRIGGER entry_append_only BEFORE UPDATE OR DELETE ON entry
    FOR EACH ROW EXECUTE FUNCTION boardroom_append_only();
CREATE TRIGGER token_append_only BEFORE UPDATE OR DELETE ON token
    FOR EACH ROW EXECUTE FUNCTION boardroom_append_only();
CREATE TRIGGER token_revocation_append_only BEFORE UPDATE OR DELETE ON token_revocation
    FOR EACH ROW EXECUTE FUNCTION boardroom_append_only();
CREATE TRIGGER structure_no_truncate BEFORE TRUNCATE ON structure
    FOR EACH STATEMENT EXECUTE FUNCTION boardroom_append_only();
CREATE TRIGGER entry_no_truncate BEFORE TRUNCATE ON entry
    FOR EACH STATEMENT EXECUTE FUNCTION boardroom_append_only();
CREATE TRIGGER token_no_truncate BEFORE TRUNCATE ON token
    FOR EACH STATEMENT EXECUTE FUNCTION boardroom_append_only();
CREATE TRIGGER token_revocation_no_truncate BEFORE TRUNCATE ON token_revocation
    FOR EACH STATEMENT EXECUTE FUNCTION boardroom_append_only();
