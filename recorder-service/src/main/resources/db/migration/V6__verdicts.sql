-- A person's verdicts on a run's outputs (VerdictRecorded on apex.verdicts, cast in the viewer). Keyed by the
-- verdict id the page chose, so a verdict sent twice, redelivered or replayed is one row. Outputs are named by
-- their generation ids; a verdict's lanes are those generations' lane_id. No foreign keys: a replay may record a
-- verdict before the generations it names, and both end up in place.
CREATE TABLE apex_audition.verdicts (
    verdict_id   text PRIMARY KEY,
    run_id       text        NOT NULL,
    prompt_id    text        NOT NULL,
    kind         text        NOT NULL,               -- pairwise | ranking
    generation_a text,                               -- pairwise: the output shown as A
    generation_b text,                               -- pairwise: the output shown as B
    winner       text,                               -- pairwise: a | b | tie
    ranking      text[],                             -- ranking: generation ids, best first
    reader       text,                               -- who cast it, as typed (optional)
    blind        boolean     NOT NULL,
    occurred_at  timestamptz NOT NULL,
    event_id     text        NOT NULL,
    CONSTRAINT verdicts_kind CHECK (kind IN ('pairwise', 'ranking')),
    CONSTRAINT verdicts_pairwise CHECK (kind <> 'pairwise' OR (generation_a IS NOT NULL AND generation_b IS NOT NULL
        AND generation_a <> generation_b AND winner IN ('a', 'b', 'tie'))),
    CONSTRAINT verdicts_ranking CHECK (kind <> 'ranking' OR cardinality(ranking) >= 2)
);
CREATE INDEX verdicts_run ON apex_audition.verdicts (run_id);
