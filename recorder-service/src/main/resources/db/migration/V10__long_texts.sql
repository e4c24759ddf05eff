-- Long texts stored once (issue 18): every request body of an audition repeats the same ~9 KB shared context, so a
-- body is stored with its first long text cut out (request_bodies.body without it; text_at, the char where it lay;
-- text_hash, the key of long_texts) and the text once, as it lay in the body's JSON (escaped, without the quotes), so
-- that putting it back is a plain insertion. Rows come from apex.request-bodies (RequestBodyStored version 2,
-- LongTextStored), first write wins. A body stored whole (version 1, or one without a long text) has no text_hash.
CREATE TABLE apex_audition.long_texts (
    text_hash text PRIMARY KEY,                      -- SHA-256 of the escaped text's UTF-8, lower-case hex
    escaped   text NOT NULL
);

DO $$
BEGIN
    ALTER TABLE apex_audition.long_texts ALTER COLUMN escaped SET COMPRESSION lz4;
EXCEPTION
    WHEN feature_not_supported OR syntax_error OR undefined_object OR invalid_parameter_value THEN
        RAISE NOTICE 'lz4 compression is not available on this server (%); long texts keep pglz', SQLERRM;
END
$$;

ALTER TABLE apex_audition.request_bodies ADD COLUMN text_hash text, ADD COLUMN text_at integer;

-- The whole body: the cut body with its text put back (NULL while the text is not recorded yet: the two come from
-- one transaction but from two partitions). Positions are chars, which for these bodies are their code points, as
-- the dispatcher counts them (RequestBodies.CutBody). The viewer checks the result against body_hash before showing
-- it.
CREATE FUNCTION apex_audition.whole_body(body text, text_hash text, text_at integer) RETURNS text
    LANGUAGE sql STABLE AS $$
    SELECT CASE WHEN text_hash IS NULL THEN body
                ELSE (SELECT overlay(body PLACING t.escaped FROM text_at + 1 FOR 0)
                      FROM apex_audition.long_texts t WHERE t.text_hash = whole_body.text_hash) END
$$;

-- For people who query SQL: each generation with the exact body sent for its latest attempt (as in V9).
CREATE OR REPLACE VIEW apex_audition.generation_requests AS
SELECT g.id AS generation_id, g.run_id, g.lane_id, g.prompt_id, g.prompt_version, g.replicate, g.attempt,
       g.custom_id, g.request_body_hash, apex_audition.whole_body(b.body, b.text_hash, b.text_at) AS request_body
FROM apex_audition.generations g
LEFT JOIN apex_audition.request_bodies b ON b.body_hash = g.request_body_hash;
