-- Migration 2: one read-only view per kind with the columns lists sort and filter on, and indexes for them.
-- Lists page through these in SQL (ORDER BY ... LIMIT ... OFFSET), never by loading a kind into Python.

CREATE VIEW case_list AS
SELECT id, revision, created_at, updated_at,
       body ->> '$.title' AS title,
       body ->> '$.status' AS status,
       body ->> '$.sensitivity' AS sensitivity,
       body ->> '$.opened_on' AS opened_on
FROM records WHERE kind = 'case' AND deleted = 0;

CREATE VIEW person_list AS
SELECT id, revision, created_at, updated_at,
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
SELECT id, revision, created_at, updated_at,
       body ->> '$.person_id' AS person_id,
       body ->> '$.type' AS type,
       body ->> '$.relation' AS relation
FROM records WHERE kind = 'contact' AND deleted = 0;

CREATE VIEW testimony_list AS
SELECT id, revision, created_at, updated_at,
       body ->> '$.interviewee_id' AS interviewee_id,
       body ->> '$.interviewer' AS interviewer,
       body ->> '$.date' AS date,
       body ->> '$.place' AS place,
       body ->> '$.language' AS language
FROM records WHERE kind = 'testimony' AND deleted = 0;

CREATE VIEW consent_list AS
SELECT id, revision, created_at, updated_at,
       body ->> '$.subject_person_id' AS subject_person_id,
       body ->> '$.testimony_id' AS testimony_id,
       body ->> '$.given_on' AS given_on,
       body ->> '$.withdraws_consent_id' AS withdraws_consent_id,
       body ->> '$.scopes.names_to_governments' AS names_to_governments,
       body ->> '$.scopes.names_in_public_reports' AS names_in_public_reports,
       body ->> '$.scopes.recontact' AS recontact,
       body ->> '$.scopes.share_with_un' AS share_with_un
FROM records WHERE kind = 'consent' AND deleted = 0;

CREATE VIEW event_list AS
SELECT id, revision, created_at, updated_at,
       body ->> '$.type' AS type,
       body ->> '$.title' AS title,
       body ->> '$.date' AS date,
       body ->> '$.location_id' AS location_id,
       body ->> '$.people_count' AS people_count
FROM records WHERE kind = 'event' AND deleted = 0;

CREATE VIEW route_list AS
SELECT id, revision, created_at, updated_at,
       body ->> '$.title' AS title,
       json_array_length(body, '$.event_ids') AS event_count
FROM records WHERE kind = 'route' AND deleted = 0;

CREATE VIEW location_list AS
SELECT id, revision, created_at, updated_at,
       body ->> '$.type' AS type,
       body ->> '$.names.ko' AS name_ko,
       body ->> '$.names.en' AS name_en,
       body ->> '$.names.zh' AS name_zh,
       body ->> '$.country' AS country
FROM records WHERE kind = 'location' AND deleted = 0;

CREATE VIEW observation_list AS
SELECT id, revision, created_at, updated_at,
       body ->> '$.type' AS type,
       body ->> '$.date' AS date,
       body ->> '$.location_id' AS location_id,
       body ->> '$.person_id' AS person_id,
       body ->> '$.people_count' AS people_count,
       body ->> '$.confidence' AS confidence
FROM records WHERE kind = 'observation' AND deleted = 0;

CREATE VIEW tag_list AS
SELECT id, revision, created_at, updated_at,
       body ->> '$.label' AS label,
       body ->> '$.label_ko' AS label_ko
FROM records WHERE kind = 'tag' AND deleted = 0;

-- Covers deleted persons too: a pseudonym is never reused, and the service checks that on every new person.
CREATE INDEX person_by_pseudonym ON records (body ->> '$.pseudonym') WHERE kind = 'person';
CREATE INDEX case_by_title ON records (body ->> '$.title') WHERE kind = 'case' AND deleted = 0;
CREATE INDEX event_by_date ON records (body ->> '$.date') WHERE kind = 'event' AND deleted = 0;
CREATE INDEX testimony_by_date ON records (body ->> '$.date') WHERE kind = 'testimony' AND deleted = 0;
