-- Migration 5: team exchange. Versions name the versions they were written over (so concurrent edits from two
-- laptops can be told from successive ones), records may refer to records that have not arrived yet (bundles come
-- in any order), and the vault keeps its team contacts and a ledger of the bundles it sent and received.

-- Each version lists the revisions it replaced: one for an ordinary edit, none for a first version, several for a
-- version that resolves a conflict. Versions written before this migration were all written on this laptop, one
-- over the other, so each one's parent is the version before it.
DROP TRIGGER record_versions_no_update;
ALTER TABLE record_versions ADD COLUMN parents TEXT NOT NULL DEFAULT '[]';
UPDATE record_versions SET parents = json_array(earlier.revision)
FROM (SELECT seq, lag(revision) OVER (PARTITION BY record_num ORDER BY revision) AS revision
      FROM record_versions) AS earlier
WHERE earlier.seq = record_versions.seq AND earlier.revision IS NOT NULL;
CREATE TRIGGER record_versions_no_update BEFORE UPDATE ON record_versions
BEGIN
    SELECT RAISE(ABORT, 'record_versions is append-only');
END;

-- A link may now name a record this vault does not hold yet (it arrives in a later bundle). Dropping a FOREIGN KEY
-- constraint does not change what is stored, so this uses SQLite's documented writable_schema procedure, as
-- migration 4 did; tests/storage/test_migrations.py checks the result.
PRAGMA writable_schema = ON;
UPDATE sqlite_schema SET sql = replace(sql, 'target_id  TEXT NOT NULL REFERENCES records (id)',
                                            'target_id  TEXT NOT NULL')
WHERE type = 'table' AND name = 'record_links';
PRAGMA writable_schema = RESET;

-- Records whose history has more than one head: edits made on two laptops without seeing each other. The current
-- state is still the highest revision; the row stays until someone resolves the conflict with a version that
-- names every head as its parent.
CREATE TABLE record_conflicts (
    record_num INTEGER PRIMARY KEY REFERENCES records (num),
    heads      TEXT NOT NULL CHECK (json_valid(heads))   -- JSON array of the head revisions, in order
) STRICT;

-- The people this vault exchanges bundles with. A contact added from a signed card has an Ed25519 key and a
-- fingerprint; one added from a bare age recipient (someone with only the standard age tool) can receive bundles
-- but never send them. A removed contact is kept as revoked, so that bundles signed by its key are refused.
CREATE TABLE team_contacts (
    id                 TEXT PRIMARY KEY,
    display_name       TEXT NOT NULL,
    organisation       TEXT NOT NULL,
    age_recipient      TEXT NOT NULL UNIQUE,
    ed25519_public_key TEXT UNIQUE,                      -- standard base64; NULL for an age-only contact
    fingerprint        TEXT UNIQUE,                      -- NULL for an age-only contact
    card               TEXT,                             -- the signed card as it was read
    added_at           TEXT NOT NULL,
    verified_at        TEXT,                             -- when the user confirmed the fingerprint
    revoked_at         TEXT
) STRICT;

-- Bundles this vault made. The sequence number is per sender and never reused.
CREATE TABLE bundles_sent (
    sequence     INTEGER PRIMARY KEY CHECK (sequence >= 1),
    bundle_id    TEXT NOT NULL UNIQUE,
    created_at   TEXT NOT NULL,
    recipients   TEXT NOT NULL CHECK (json_valid(recipients)),  -- JSON array of team_contacts ids
    version_seq  INTEGER NOT NULL,                               -- highest record_versions.seq it could include
    record_count INTEGER NOT NULL,
    attachment_count INTEGER NOT NULL
) STRICT;

-- What the sync folder last sent each contact: the next sync sends the versions stored after it. People's contact
-- details go only when asked for, so they have their own mark: a sync that left them out does not move it.
CREATE TABLE sync_state (
    contact_id           TEXT PRIMARY KEY REFERENCES team_contacts (id),
    version_seq          INTEGER NOT NULL,
    contacts_version_seq INTEGER,                   -- NULL: no contact details were ever synced to them
    bundle_id            TEXT NOT NULL,
    synced_at            TEXT NOT NULL
) STRICT;

-- Bundles this vault imported: a second import of the same bundle is a no-op, and a sender never gets to reuse
-- a sequence number for a different bundle.
CREATE TABLE bundles_received (
    bundle_id          TEXT PRIMARY KEY,
    sender_key         TEXT NOT NULL,                     -- Ed25519 public key, standard base64
    sender_fingerprint TEXT NOT NULL,
    sender_name        TEXT NOT NULL,
    sequence           INTEGER NOT NULL,
    created_at         TEXT NOT NULL,
    imported_at        TEXT NOT NULL,
    manifest_sha256    TEXT NOT NULL,
    UNIQUE (sender_key, sequence)
) STRICT;

-- Which bundles brought each version. A version with sources only from senders the user has not verified is
-- shown as coming from an unverified source.
CREATE TABLE version_sources (
    version_seq INTEGER NOT NULL REFERENCES record_versions (seq),
    bundle_id   TEXT NOT NULL REFERENCES bundles_received (bundle_id),
    PRIMARY KEY (version_seq, bundle_id)
) STRICT, WITHOUT ROWID;

CREATE INDEX version_sources_by_bundle ON version_sources (bundle_id);

-- Versions only ever seen in bundles from senders that are not verified contacts now (unknown, unconfirmed
-- fingerprint, or revoked). Computed, so verifying a contact later vouches for what it already sent.
CREATE VIEW unverified_versions AS
SELECT v.seq AS version_seq, v.record_num
FROM record_versions AS v
WHERE EXISTS (SELECT 1 FROM version_sources AS s WHERE s.version_seq = v.seq)
  AND NOT EXISTS (
    SELECT 1 FROM version_sources AS s
    JOIN bundles_received AS b ON b.bundle_id = s.bundle_id
    JOIN team_contacts AS c ON c.ed25519_public_key = b.sender_key
    WHERE s.version_seq = v.seq AND c.verified_at IS NOT NULL AND c.revoked_at IS NULL);
