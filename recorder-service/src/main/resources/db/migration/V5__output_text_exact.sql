-- Postgres cannot store NUL in text, nor a lone UTF-16 surrogate in UTF-8, and a model can emit either.
-- output_text then holds the output with each such character replaced by U+FFFD (readable, searchable), and
-- output_text_exact holds the exact output as a JSON string literal (\u0000 and \ud800 escapes) that any JSON
-- parser turns back into the very same characters. NULL whenever output_text is already exact.
ALTER TABLE apex_audition.generations ADD COLUMN output_text_exact text;
COMMENT ON COLUMN apex_audition.generations.output_text_exact IS
    'The exact output as a JSON string literal, when output_text had NUL or lone surrogates replaced by U+FFFD; else NULL';
