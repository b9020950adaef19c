-- index case_by_title
CREATE INDEX case_by_title ON records (body ->> '$.title') WHERE kind = 'case' AND deleted = 0;

-- index event_by_date
CREATE INDEX event_by_date ON records (body ->> '$.date') WHERE kind = 'event' AND deleted = 0;

-- index person_by_pseudonym
CREATE INDEX person_by_pseudonym ON records (body ->> '$.pseudonym') WHERE kind = 'person';

-- index record_links_by_target
CREATE INDEX record_links_by_target ON record_links (target_id);

-- index records_by_kind
CREATE INDEX records_by_kind ON records (kind, deleted, updated_at);

-- index report_redactions_by_record
CREATE INDEX report_redactions_by_record ON report_redactions (record_id, field);

-- index testimony_by_date
CREATE INDEX testimony_by_date ON records (body ->> '$.date') WHERE kind = 'testimony' AND deleted = 0;

-- index version_sources_by_bundle
CREATE INDEX version_sources_by_bundle ON version_sources (bundle_id);

-- table attachment_blobs
CREATE TABLE attachment_blobs (
    attachment_id  TEXT PRIMARY KEY REFERENCES records(id),
    blob_name      TEXT NOT NULL UNIQUE,     -- file name in blobs/: 32 random hex digits, nothing derived
    stored_size    INTEGER NOT NULL,         -- bytes of the age file on disk
    stored_at      TEXT NOT NULL
) WITHOUT ROWID;

-- table audit_checkpoints
CREATE TABLE audit_checkpoints (
    seq        INTEGER PRIMARY KEY REFERENCES audit_log (seq),
    entry_hash TEXT NOT NULL,
    signed_at  TEXT NOT NULL,
    public_key TEXT NOT NULL,
    signature  TEXT NOT NULL
) STRICT;

-- table audit_log
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

-- table bundles_received
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

-- table bundles_sent
CREATE TABLE bundles_sent (
    sequence     INTEGER PRIMARY KEY CHECK (sequence >= 1),
    bundle_id    TEXT NOT NULL UNIQUE,
    created_at   TEXT NOT NULL,
    recipients   TEXT NOT NULL CHECK (json_valid(recipients)),  -- JSON array of team_contacts ids
    version_seq  INTEGER NOT NULL,                               -- highest record_versions.seq it could include
    record_count INTEGER NOT NULL,
    attachment_count INTEGER NOT NULL
) STRICT;

-- table drafts
CREATE TABLE drafts (
    draft_key     TEXT PRIMARY KEY,            -- the record id, also for a new record not yet saved
    kind          TEXT NOT NULL,
    base_revision TEXT,                        -- the revision the draft started from; NULL for a new record
    body          TEXT NOT NULL,
    saved_at      TEXT NOT NULL
) STRICT;

-- table identity
CREATE TABLE identity (
    id           INTEGER PRIMARY KEY CHECK (id = 1),
    display_name TEXT NOT NULL,
    organisation TEXT NOT NULL,
    private_json TEXT NOT NULL,
    created_at   TEXT NOT NULL
) STRICT;

-- table record_conflicts
CREATE TABLE record_conflicts (
    record_num INTEGER PRIMARY KEY REFERENCES records (num),
    heads      TEXT NOT NULL CHECK (json_valid(heads))   -- JSON array of the head revisions, in order
) STRICT;

-- table record_links
CREATE TABLE record_links (
    source_num INTEGER NOT NULL REFERENCES records (num),
    field      TEXT NOT NULL,
    target_id  TEXT NOT NULL,
    PRIMARY KEY (source_num, field, target_id)
) STRICT, WITHOUT ROWID;

-- table record_versions
CREATE TABLE record_versions (
    seq           INTEGER PRIMARY KEY,
    record_num    INTEGER NOT NULL REFERENCES records (num),
    revision      TEXT NOT NULL,
    kind          TEXT NOT NULL,
    deleted       INTEGER NOT NULL CHECK (deleted IN (0, 1)),
    origin_device TEXT NOT NULL,
    written_at    TEXT NOT NULL,
    body          TEXT NOT NULL CHECK (json_valid(body)),
    body_sha256   TEXT NOT NULL, parents TEXT NOT NULL DEFAULT '[]',
    UNIQUE (record_num, revision)
) STRICT;

-- table recordings
CREATE TABLE recordings (
    blob_name      TEXT PRIMARY KEY,
    testimony_id   TEXT NOT NULL REFERENCES records(id),
    started_at     TEXT NOT NULL,
    sample_rate    INTEGER NOT NULL,
    channels       INTEGER NOT NULL,
    sample_bytes   INTEGER NOT NULL,         -- bytes per sample: 2 for signed 16-bit PCM
    frame_key      BLOB NOT NULL CHECK (length(frame_key) = 32)  -- random per recording
) WITHOUT ROWID;

-- table records
CREATE TABLE records (
    num           INTEGER PRIMARY KEY,             -- stable rowid, shared with search_index
    id            TEXT NOT NULL UNIQUE,            -- UUID
    kind          TEXT NOT NULL CHECK (kind IN ('case', 'person', 'contact', 'testimony', 'consent', 'event',
                                                'route', 'location', 'observation', 'tag', 'attachment')),
    revision      TEXT NOT NULL,
    created_at    TEXT NOT NULL,
    updated_at    TEXT NOT NULL,
    origin_device TEXT NOT NULL,
    deleted       INTEGER NOT NULL DEFAULT 0 CHECK (deleted IN (0, 1)),
    body          TEXT NOT NULL CHECK (json_valid(body))
) STRICT;

-- table report_redactions
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

-- table report_signing_key
CREATE TABLE report_signing_key (
    id              INTEGER PRIMARY KEY CHECK (id = 1),
    private_key_der BLOB NOT NULL,      -- PKCS#8, unencrypted: this whole database is encrypted
    certificate_der BLOB NOT NULL,      -- X.509, self-signed, carrying the identity's cross-signature
    created_at      TEXT NOT NULL
) STRICT;

-- table search_index
CREATE VIRTUAL TABLE search_index USING fts5 (
    title,
    text,
    tokenize = 'ascii',
    content = '',
    contentless_delete = 1
);

-- table sync_state
CREATE TABLE sync_state (
    contact_id           TEXT PRIMARY KEY REFERENCES team_contacts (id),
    version_seq          INTEGER NOT NULL,
    contacts_version_seq INTEGER,                   -- NULL: no contact details were ever synced to them
    bundle_id            TEXT NOT NULL,
    synced_at            TEXT NOT NULL
) STRICT;

-- table team_contacts
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

-- table vault_meta
CREATE TABLE vault_meta (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
) STRICT;

-- table version_sources
CREATE TABLE version_sources (
    version_seq INTEGER NOT NULL REFERENCES record_versions (seq),
    bundle_id   TEXT NOT NULL REFERENCES bundles_received (bundle_id),
    PRIMARY KEY (version_seq, bundle_id)
) STRICT, WITHOUT ROWID;

-- trigger audit_checkpoints_no_delete
CREATE TRIGGER audit_checkpoints_no_delete BEFORE DELETE ON audit_checkpoints
BEGIN
    SELECT RAISE(ABORT, 'audit_checkpoints is append-only');
END;

-- trigger audit_checkpoints_no_update
CREATE TRIGGER audit_checkpoints_no_update BEFORE UPDATE ON audit_checkpoints
BEGIN
    SELECT RAISE(ABORT, 'audit_checkpoints is append-only');
END;

-- trigger audit_log_no_delete
CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
BEGIN
    SELECT RAISE(ABORT, 'audit_log is append-only');
END;

-- trigger audit_log_no_update
CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
BEGIN
    SELECT RAISE(ABORT, 'audit_log is append-only');
END;

-- trigger record_versions_no_delete
CREATE TRIGGER record_versions_no_delete BEFORE DELETE ON record_versions
BEGIN
    SELECT RAISE(ABORT, 'record_versions is append-only');
END;

-- trigger record_versions_no_update
CREATE TRIGGER record_versions_no_update BEFORE UPDATE ON record_versions
BEGIN
    SELECT RAISE(ABORT, 'record_versions is append-only');
END;

-- view attachment_list
CREATE VIEW attachment_list AS
SELECT num, id, revision, created_at, updated_at,
       body ->> '$.attached_to_id' AS attached_to_id,
       body ->> '$.file_name' AS file_name,
       body ->> '$.media_type' AS media_type,
       body ->> '$.size' AS size,
       body ->> '$.copy_role' AS copy_role,
       body ->> '$.intake_at' AS intake_at
FROM records WHERE kind = 'attachment' AND deleted = 0;

-- view case_list
CREATE VIEW case_list AS
SELECT num, id, revision, created_at, updated_at,
       body ->> '$.title' AS title,
       body ->> '$.status' AS status,
       body ->> '$.sensitivity' AS sensitivity,
       body ->> '$.opened_on' AS opened_on
FROM records WHERE kind = 'case' AND deleted = 0;

-- view consent_list
CREATE VIEW consent_list AS
SELECT r.num, r.id, r.revision, r.created_at, r.updated_at,
       r.body ->> '$.subject_person_id' AS subject_person_id,
       p.body ->> '$.pseudonym' AS subject_pseudonym,
       r.body ->> '$.testimony_id' AS testimony_id,
       r.body ->> '$.given_on' AS given_on,
       r.body ->> '$.withdraws_consent_id' AS withdraws_consent_id,
       r.body ->> '$.scopes.names_to_governments' AS names_to_governments,
       r.body ->> '$.scopes.names_in_public_reports' AS names_in_public_reports,
       r.body ->> '$.scopes.recontact' AS recontact,
       r.body ->> '$.scopes.share_with_un' AS share_with_un
FROM records AS r LEFT JOIN records AS p ON p.id = r.body ->> '$.subject_person_id'
WHERE r.kind = 'consent' AND r.deleted = 0;

-- view contact_list
CREATE VIEW contact_list AS
SELECT r.num, r.id, r.revision, r.created_at, r.updated_at,
       r.body ->> '$.person_id' AS person_id,
       p.body ->> '$.pseudonym' AS person_pseudonym,
       r.body ->> '$.type' AS type,
       r.body ->> '$.relation' AS relation
FROM records AS r LEFT JOIN records AS p ON p.id = r.body ->> '$.person_id'
WHERE r.kind = 'contact' AND r.deleted = 0;

-- view event_list
CREATE VIEW event_list AS
SELECT r.num, r.id, r.revision, r.created_at, r.updated_at,
       r.body ->> '$.type' AS type,
       r.body ->> '$.title' AS title,
       r.body ->> '$.date' AS date,
       r.body ->> '$.location_id' AS location_id,
       coalesce(l.body ->> '$.names.ko', l.body ->> '$.names.en', l.body ->> '$.names.zh',
                l.body ->> '$.names.romanized') AS location_name,
       r.body ->> '$.people_count' AS people_count
FROM records AS r LEFT JOIN records AS l ON l.id = r.body ->> '$.location_id'
WHERE r.kind = 'event' AND r.deleted = 0;

-- view location_list
CREATE VIEW location_list AS
SELECT num, id, revision, created_at, updated_at,
       body ->> '$.type' AS type,
       body ->> '$.names.ko' AS name_ko,
       body ->> '$.names.en' AS name_en,
       body ->> '$.names.zh' AS name_zh,
       body ->> '$.country' AS country
FROM records WHERE kind = 'location' AND deleted = 0;

-- view observation_list
CREATE VIEW observation_list AS
SELECT num, id, revision, created_at, updated_at,
       body ->> '$.type' AS type,
       body ->> '$.date' AS date,
       body ->> '$.location_id' AS location_id,
       body ->> '$.person_id' AS person_id,
       body ->> '$.people_count' AS people_count,
       body ->> '$.confidence' AS confidence
FROM records WHERE kind = 'observation' AND deleted = 0;

-- view person_list
CREATE VIEW person_list AS
SELECT num, id, revision, created_at, updated_at,
       body ->> '$.pseudonym' AS pseudonym,
       body ->> '$.names.hangul' AS name_hangul,
       body ->> '$.names.romanized' AS name_romanized,
       body ->> '$.names.chinese' AS name_chinese,
       body ->> '$.sex' AS sex,
       body ->> '$.birth_year' AS birth_year,
       body ->> '$.status' AS status,
       coalesce(body ->> '$.is_group', 0) AS is_group,
       body ->> '$.group_estimated_count' AS group_estimated_count
FROM records WHERE kind = 'person' AND deleted = 0;

-- view route_list
CREATE VIEW route_list AS
SELECT num, id, revision, created_at, updated_at,
       body ->> '$.title' AS title,
       json_array_length(body, '$.event_ids') AS event_count
FROM records WHERE kind = 'route' AND deleted = 0;

-- view tag_list
CREATE VIEW tag_list AS
SELECT num, id, revision, created_at, updated_at,
       body ->> '$.label' AS label,
       body ->> '$.label_ko' AS label_ko
FROM records WHERE kind = 'tag' AND deleted = 0;

-- view testimony_list
CREATE VIEW testimony_list AS
SELECT r.num, r.id, r.revision, r.created_at, r.updated_at,
       r.body ->> '$.interviewee_id' AS interviewee_id,
       p.body ->> '$.pseudonym' AS interviewee_pseudonym,
       r.body ->> '$.interviewer' AS interviewer,
       r.body ->> '$.date' AS date,
       r.body ->> '$.place' AS place,
       r.body ->> '$.language' AS language
FROM records AS r LEFT JOIN records AS p ON p.id = r.body ->> '$.interviewee_id'
WHERE r.kind = 'testimony' AND r.deleted = 0;

-- view unverified_versions
CREATE VIEW unverified_versions AS
SELECT v.seq AS version_seq, v.record_num
FROM record_versions AS v
WHERE EXISTS (SELECT 1 FROM version_sources AS s WHERE s.version_seq = v.seq)
  AND NOT EXISTS (
    SELECT 1 FROM version_sources AS s
    JOIN bundles_received AS b ON b.bundle_id = s.bundle_id
    JOIN team_contacts AS c ON c.ed25519_public_key = b.sender_key
    WHERE s.version_seq = v.seq AND c.verified_at IS NOT NULL AND c.revoked_at IS NULL);

