-- Judging (issue 17, docs/judging.md). One row per judge request, keyed by the judge request's generation id: the
-- request's GenerationRequested says who is judged (written 'pending'), its GenerationCompleted brings the answer
-- (read into 'judged' or 'unparseable'), in whichever order the two arrive. The raw answer, its tokens, cost and
-- status stay in generations like any generation's.
CREATE TABLE apex_audition.judgments (
    generation_id   text PRIMARY KEY,
    run_id          text        NOT NULL,            -- the judging run
    source_run_id   text        NOT NULL,            -- the run whose outputs are judged
    judge_lane_id   text        NOT NULL,            -- the judge lane's slug
    kind            text        NOT NULL,            -- rubric | pairwise
    prompt_id       text        NOT NULL,
    generation_a    text        NOT NULL,
    lane_a          text        NOT NULL,
    generation_b    text,                            -- pairwise only
    lane_b          text,
    criteria        text[]      NOT NULL DEFAULT '{}',
    scale_min       integer,
    scale_max       integer,
    status          text        NOT NULL,            -- pending | judged | unparseable
    winner          text,                            -- pairwise: A | B | tie
    margin          integer,                         -- pairwise: 1..3, 0 for a tie
    scores          jsonb,                           -- rubric: {"criterion": score, ...}
    rationale       text,
    problem         text,                            -- unparseable: what was wrong with the answer
    attempt         integer,
    updated_at      timestamptz NOT NULL
);
-- the leaderboard reads a source run's judgments of one kind
CREATE INDEX judgments_source ON apex_audition.judgments (source_run_id, kind, status);
CREATE INDEX judgments_run ON apex_audition.judgments (run_id);

-- Writing diagnostics of each output, computed when it is recorded (audition-core WritingDiagnostics): words,
-- length against the length its prompt asks for (null when the prompt names none), share of repeated word 3-grams,
-- a refusal detected at its start.
ALTER TABLE apex_audition.generations
    ADD COLUMN words        integer,
    ADD COLUMN length_ratio double precision,
    ADD COLUMN repetition   double precision,
    ADD COLUMN refusal      boolean;
