-- Claim checks (issue 18): a request body is stored once, under the SHA-256 of its UTF-8 bytes (lower-case hex), and
-- generations name it by that hash. Identical bodies (replicates; reruns of one lane version x prompt version x cache
-- setting) share one row, where every generation used to carry its own ~9 KB copy. Rows come from apex.request-bodies
-- (RequestBodyStored), first write wins: a hash has only one body.
CREATE TABLE apex_audition.request_bodies (
    body_hash text PRIMARY KEY,
    body      text NOT NULL
);

DO $$
BEGIN
    ALTER TABLE apex_audition.request_bodies ALTER COLUMN body SET COMPRESSION lz4;
EXCEPTION
    WHEN feature_not_supported OR syntax_error OR undefined_object OR invalid_parameter_value THEN
        RAISE NOTICE 'lz4 compression is not available on this server (%); request bodies keep pglz', SQLERRM;
END
$$;

ALTER TABLE apex_audition.generations ADD COLUMN request_body_hash text;

-- The bodies already recorded move into the new table under their hash. sha256() is built into PostgreSQL 11+ (no
-- pgcrypto needed), and encode(sha256(convert_to(body, 'UTF8')), 'hex') is exactly RequestBodyStored.hashOf(body).
INSERT INTO apex_audition.request_bodies (body_hash, body)
SELECT DISTINCT ON (hash) hash, request_body
FROM (SELECT encode(sha256(convert_to(request_body, 'UTF8')), 'hex') AS hash, request_body
      FROM apex_audition.generations WHERE request_body IS NOT NULL) bodies
ON CONFLICT (body_hash) DO NOTHING;

UPDATE apex_audition.generations
SET request_body_hash = encode(sha256(convert_to(request_body, 'UTF8')), 'hex')
WHERE request_body IS NOT NULL;

ALTER TABLE apex_audition.generations DROP COLUMN request_body;

-- For people who query SQL: each generation with the exact body sent for its latest attempt.
CREATE VIEW apex_audition.generation_requests AS
SELECT g.id AS generation_id, g.run_id, g.lane_id, g.prompt_id, g.prompt_version, g.replicate, g.attempt,
       g.custom_id, g.request_body_hash, b.body AS request_body
FROM apex_audition.generations g
LEFT JOIN apex_audition.request_bodies b ON b.body_hash = g.request_body_hash;
