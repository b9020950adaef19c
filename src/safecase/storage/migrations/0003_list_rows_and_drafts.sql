-- Migration 3: list views carry the integer key (num) so the desktop app can hold a sorted list of a million keys
-- and fetch only the rows on screen by key, and show the pseudonym or place name a row refers to instead of its
-- UUID. Plus drafts: form states that do not validate yet, kept inside the encrypted database so that closing a
-- window or an auto-lock never loses typing and never writes it to a plaintext file.

DROP VIEW case_list;
DROP VIEW person_list;
DROP VIEW contact_list;
DROP VIEW testimony_list;
DROP VIEW consent_list;
DROP VIEW event_list;
DROP VIEW route_list;
DROP VIEW location_list;
DROP VIEW observation_list;
DROP VIEW tag_list;

CREATE VIEW case_list AS
SELECT num, id, revision, created_at, updated_at,
       body ->> '$.title' AS title,
       body ->> '$.status' AS status,
       body ->> '$.sensitivity' AS sensitivity,
       body ->> '$.opened_on' AS opened_on
FROM records WHERE kind = 'case' AND deleted = 0;

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

CREATE VIEW contact_list AS
SELECT r.num, r.id, r.revision, r.created_at, r.updated_at,
       r.body ->> '$.person_id' AS person_id,
       p.body ->> '$.pseudonym' AS person_pseudonym,
       r.body ->> '$.type' AS type,
       r.body ->> '$.relation' AS relation
FROM records AS r LEFT JOIN records AS p ON p.id = r.body ->> '$.person_id'
WHERE r.kind = 'contact' AND r.deleted = 0;

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

CREATE VIEW route_list AS
SELECT num, id, revision, created_at, updated_at,
       body ->> '$.title' AS title,
       json_array_length(body, '$.event_ids') AS event_count
FROM records WHERE kind = 'route' AND deleted = 0;

CREATE VIEW location_list AS
SELECT num, id, revision, created_at, updated_at,
       body ->> '$.type' AS type,
       body ->> '$.names.ko' AS name_ko,
       body ->> '$.names.en' AS name_en,
       body ->> '$.names.zh' AS name_zh,
       body ->> '$.country' AS country
FROM records WHERE kind = 'location' AND deleted = 0;

CREATE VIEW observation_list AS
SELECT num, id, revision, created_at, updated_at,
       body ->> '$.type' AS type,
       body ->> '$.date' AS date,
       body ->> '$.location_id' AS location_id,
       body ->> '$.person_id' AS person_id,
       body ->> '$.people_count' AS people_count,
       body ->> '$.confidence' AS confidence
FROM records WHERE kind = 'observation' AND deleted = 0;

CREATE VIEW tag_list AS
SELECT num, id, revision, created_at, updated_at,
       body ->> '$.label' AS label,
       body ->> '$.label_ko' AS label_ko
FROM records WHERE kind = 'tag' AND deleted = 0;

-- One draft per record (or per new record not yet saved). The body is the form as typed and may not validate.
CREATE TABLE drafts (
    draft_key     TEXT PRIMARY KEY,            -- the record id, also for a new record not yet saved
    kind          TEXT NOT NULL,
    base_revision TEXT,                        -- the revision the draft started from; NULL for a new record
    body          TEXT NOT NULL,
    saved_at      TEXT NOT NULL
) STRICT;
