-- Migration 6: reports. The key that signs reports as PDF (ECDSA P-256, the curve PDF readers' signature panels
-- know), with its certificate that binds it to the vault identity; and spans of text marked as redacted for
-- reports, which never change the record itself.

CREATE TABLE report_signing_key (
    id              INTEGER PRIMARY KEY CHECK (id = 1),
    private_key_der BLOB NOT NULL,      -- PKCS#8, unencrypted: this whole database is encrypted
    certificate_der BLOB NOT NULL,      -- X.509, self-signed, carrying the identity's cross-signature
    created_at      TEXT NOT NULL
) STRICT;

CREATE TABLE report_redactions (
    id         INTEGER PRIMARY KEY,
    record_id  TEXT NOT NULL,           -- usually a testimony
    field      TEXT NOT NULL,           -- the text field, e.g. original_text, translation, summary
    revision   TEXT NOT NULL,           -- the version whose text the offsets count in
    start      INTEGER NOT NULL CHECK (start >= 0),
    end        INTEGER NOT NULL CHECK (end > start),
    reason     TEXT NOT NULL DEFAULT '',
    created_at TEXT NOT NULL
) STRICT;

CREATE INDEX report_redactions_by_record ON report_redactions (record_id, field);
