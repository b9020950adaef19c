-- Migration 4: evidence files. The attachment record (kind 'attachment') holds the chain of custody and travels
-- with the vault's records; which encrypted file in blobs/ holds its content is local to this vault, because blob
-- names are random per vault so that two vaults cannot be compared by their file names.

-- The records table's kind CHECK gains 'attachment'. Loosening a CHECK does not change what is stored, so this
-- follows SQLite's documented procedure for such changes (https://sqlite.org/lang_altertable.html, "making other
-- kinds of table schema changes") instead of rebuilding the table; the CREATE statements below bump the schema
-- cookie so every connection rereads the schema. tests/storage/test_migrations.py checks the result.
PRAGMA writable_schema = ON;
UPDATE sqlite_schema SET sql = replace(sql, '''tag'')', '''tag'', ''attachment'')')
WHERE type = 'table' AND name = 'records';
PRAGMA writable_schema = RESET;

CREATE VIEW attachment_list AS
SELECT num, id, revision, created_at, updated_at,
       body ->> '$.attached_to_id' AS attached_to_id,
       body ->> '$.file_name' AS file_name,
       body ->> '$.media_type' AS media_type,
       body ->> '$.size' AS size,
       body ->> '$.copy_role' AS copy_role,
       body ->> '$.intake_at' AS intake_at
FROM records WHERE kind = 'attachment' AND deleted = 0;

CREATE TABLE attachment_blobs (
    attachment_id  TEXT PRIMARY KEY REFERENCES records(id),
    blob_name      TEXT NOT NULL UNIQUE,     -- file name in blobs/: 32 random hex digits, nothing derived
    stored_size    INTEGER NOT NULL,         -- bytes of the age file on disk
    stored_at      TEXT NOT NULL
) WITHOUT ROWID;

-- A recording in progress: its encrypted segment file in blobs/ and what it belongs to. The row goes when the
-- recording becomes an attachment; a row left behind after a crash is how the app finds the recording to recover.
-- frame_key authenticates the segment file's frames (HMAC-SHA256): the file is encrypted to the vault's public age
-- recipient, which others have, so only this key, kept inside the encrypted database, shows a frame is ours.
CREATE TABLE recordings (
    blob_name      TEXT PRIMARY KEY,
    testimony_id   TEXT NOT NULL REFERENCES records(id),
    started_at     TEXT NOT NULL,
    sample_rate    INTEGER NOT NULL,
    channels       INTEGER NOT NULL,
    sample_bytes   INTEGER NOT NULL,         -- bytes per sample: 2 for signed 16-bit PCM
    frame_key      BLOB NOT NULL CHECK (length(frame_key) = 32)  -- random per recording
) WITHOUT ROWID;
