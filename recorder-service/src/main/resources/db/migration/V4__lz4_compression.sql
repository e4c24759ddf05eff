-- The request body (~9 KB, mostly the shared context) and the output are the bulk of every generation row.
-- PostgreSQL's default pglz compression of them was most of the cost of writing a row (COPY of the real row
-- shape: ~4,000 rows/s with pglz, ~7,000 with lz4 on the machine of docs/benchmarks.md). lz4 needs a server
-- built with it (PostgreSQL 14+ with --with-lz4, as Debian's and the official images are); on one without it
-- the columns keep pglz, which is slower but stores the same values.
DO $$
BEGIN
    ALTER TABLE apex_audition.generations
        ALTER COLUMN request_body SET COMPRESSION lz4,
        ALTER COLUMN output_text SET COMPRESSION lz4;
EXCEPTION
    WHEN feature_not_supported OR syntax_error OR undefined_object OR invalid_parameter_value THEN
        RAISE NOTICE 'lz4 compression is not available on this server (%); generations keep pglz', SQLERRM;
END
$$;
