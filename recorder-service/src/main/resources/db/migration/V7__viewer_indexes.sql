-- What the viewer's reads need (viewer-service), measured on a 100,000-generation run (50 lanes x 2,000 prompts,
-- ~2,000-character outputs; figures in viewer-service's README section).
--
-- output_length: every matrix page shows each lane's mean and spread of output length over the whole run, and a
-- cell's length. char_length(output_text) has to decompress every output (lz4) and count its characters: ~750 ms
-- for 100,000 outputs of 2 KB, the whole budget of opening a run. Stored once when the row is written, it costs
-- the recorder a character count of a string it already holds (the recorder names its columns, so it writes this
-- one without knowing it). Adding it rewrites the table once: on a large existing table this migration takes a
-- while, under an exclusive lock.
ALTER TABLE apex_audition.generations
    ADD COLUMN output_length integer GENERATED ALWAYS AS (char_length(output_text)) STORED;

-- The matrix pages a run by prompt: its prompt ids in order (an index-only scan), and one page's cells by
-- (run, prompt) instead of the run's every row; also the order the exports and the HTML bundle stream in.
CREATE INDEX generations_run_prompt ON apex_audition.generations (run_id, prompt_id, lane_id, replicate);

-- Counts by status and cost per run (the runs page, a run's summary: an index-only scan once vacuumed) and a run's
-- errors (the errors page, what `apex retry` would resend).
CREATE INDEX generations_run_status ON apex_audition.generations (run_id, status) INCLUDE (cost_usd);

-- No trigram index (pg_trgm GIN) on output_text for the text filter, though the extension is there on Debian's
-- Postgres 15 and on the tests' embedded Postgres 14: building one over 100,000 outputs took 32 s, and it made
-- inserting outputs 2.7 times as slow (20,000 rows of 2 KB prose-like text: 39 s without, 104 s with), a cost every
-- recorded generation would pay for a filter a reader uses now and then. The viewer instead matches the text in one
-- scan of the run's rows per page with a case-insensitive regular expression (2.5 times faster than ILIKE).
