-- Every attempt of every generation, as it ended. apex_audition.generations shows the latest attempt; this
-- table keeps the history that `apex retry` adds to.
CREATE TABLE apex_audition.generation_attempts (
    generation_id text        NOT NULL,
    attempt       integer     NOT NULL,
    run_id        text        NOT NULL,
    lane_id       text        NOT NULL,
    prompt_id     text        NOT NULL,
    mode          text,
    batch_id      text,
    status        text        NOT NULL,
    error_kind    text,
    error_message text,
    output_tokens bigint,
    cost_usd      numeric(14, 6),
    ended_at      timestamptz NOT NULL,
    PRIMARY KEY (generation_id, attempt)
);
CREATE INDEX generation_attempts_run ON apex_audition.generation_attempts (run_id);
