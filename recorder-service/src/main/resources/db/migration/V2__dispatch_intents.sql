-- Every paid call a dispatcher intended, and the batch it became: an intent without a batch_id for long is
-- a call whose outcome is being reconciled (see docs/reliability.md).
CREATE TABLE apex_audition.dispatch_intents (
    id            text PRIMARY KEY,
    provider      text        NOT NULL,
    run_id        text        NOT NULL,
    lane_id       text,
    model         text,
    kind          text        NOT NULL,
    chunk         integer     NOT NULL,
    request_count integer     NOT NULL,
    batch_id      text,
    intended_at   timestamptz NOT NULL,
    submitted_at  timestamptz,
    settled_at    timestamptz,
    succeeded     boolean,
    message       text
);
CREATE INDEX dispatch_intents_run ON apex_audition.dispatch_intents (run_id);
