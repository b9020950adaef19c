-- SafeCase vault schema, migration 1: records with full history, links, identity, audit chain, search index.
-- Record bodies are JSON validated by the domain layer; every version ever written stays in record_versions.

CREATE TABLE vault_meta (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
) STRICT;

CREATE TABLE identity (
    id           INTEGER PRIMARY KEY CHECK (id = 1),
    display_name TEXT NOT NULL,
    organisation TEXT NOT NULL,
    private_json TEXT NOT NULL,
    created_at   TEXT NOT NULL
) STRICT;

-- The current state of each record: the body of its highest revision.
CREATE TABLE records (
    num           INTEGER PRIMARY KEY,             -- stable rowid, shared with search_index
    id            TEXT NOT NULL UNIQUE,            -- UUID
    kind          TEXT NOT NULL CHECK (kind IN ('case', 'person', 'contact', 'testimony', 'consent', 'event',
                                                'route', 'location', 'observation', 'tag')),
    revision      TEXT NOT NULL,
    created_at    TEXT NOT NULL,
    updated_at    TEXT NOT NULL,
    origin_device TEXT NOT NULL,
    deleted       INTEGER NOT NULL DEFAULT 0 CHECK (deleted IN (0, 1)),
    body          TEXT NOT NULL CHECK (json_valid(body))
) STRICT;

CREATE INDEX records_by_kind ON records (kind, deleted, updated_at);

-- Every version of every record, including tombstones (deleted = 1). Never updated, never deleted.
-- Keyed by arrival order and the record's integer key, so new versions append at the end of both b-trees instead
-- of landing at random places (by UUID), which keeps the number of pages each commit re-encrypts small.
CREATE TABLE record_versions (
    seq           INTEGER PRIMARY KEY,
    record_num    INTEGER NOT NULL REFERENCES records (num),
    revision      TEXT NOT NULL,
    kind          TEXT NOT NULL,
    deleted       INTEGER NOT NULL CHECK (deleted IN (0, 1)),
    origin_device TEXT NOT NULL,
    written_at    TEXT NOT NULL,
    body          TEXT NOT NULL CHECK (json_valid(body)),
    body_sha256   TEXT NOT NULL,
    UNIQUE (record_num, revision)
) STRICT;

CREATE TRIGGER record_versions_no_update BEFORE UPDATE ON record_versions
BEGIN
    SELECT RAISE(ABORT, 'record_versions is append-only');
END;

CREATE TRIGGER record_versions_no_delete BEFORE DELETE ON record_versions
BEGIN
    SELECT RAISE(ABORT, 'record_versions is append-only');
END;

-- References between current records (testimony -> interviewee, event -> location ...), derived from bodies.
CREATE TABLE record_links (
    source_num INTEGER NOT NULL REFERENCES records (num),
    field      TEXT NOT NULL,
    target_id  TEXT NOT NULL REFERENCES records (id),
    PRIMARY KEY (source_num, field, target_id)
) STRICT, WITHOUT ROWID;

CREATE INDEX record_links_by_target ON record_links (target_id);

-- Append-only, hash-chained log of what was done (never what was written: no content, no names).
CREATE TABLE audit_log (
    seq        INTEGER PRIMARY KEY,
    at         TEXT NOT NULL,
    device_id  TEXT NOT NULL,
    actor      TEXT NOT NULL,
    action     TEXT NOT NULL,
    subject    TEXT NOT NULL,
    detail     TEXT NOT NULL,
    prev_hash  TEXT NOT NULL,
    entry_hash TEXT NOT NULL
) STRICT;

CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
BEGIN
    SELECT RAISE(ABORT, 'audit_log is append-only');
END;

CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
BEGIN
    SELECT RAISE(ABORT, 'audit_log is append-only');
END;

CREATE TABLE audit_checkpoints (
    seq        INTEGER PRIMARY KEY REFERENCES audit_log (seq),
    entry_hash TEXT NOT NULL,
    signed_at  TEXT NOT NULL,
    public_key TEXT NOT NULL,
    signature  TEXT NOT NULL
) STRICT;

CREATE TRIGGER audit_checkpoints_no_update BEFORE UPDATE ON audit_checkpoints
BEGIN
    SELECT RAISE(ABORT, 'audit_checkpoints is append-only');
END;

CREATE TRIGGER audit_checkpoints_no_delete BEFORE DELETE ON audit_checkpoints
BEGIN
    SELECT RAISE(ABORT, 'audit_checkpoints is append-only');
END;

-- Contentless full-text index: rowid = records.num. Text is folded and split into CJK bigrams by the
-- application before it gets here (safecase.storage.search_text).
CREATE VIRTUAL TABLE search_index USING fts5 (
    title,
    text,
    tokenize = 'ascii',
    content = '',
    contentless_delete = 1
);
