-- The apex_audition schema: a projection of the event topics. Every row is keyed by the id its event
-- carries, so replaying the topics into empty tables rebuilds them row for row.

CREATE TABLE apex_audition.runs (
    id                   text PRIMARY KEY,
    status               text        NOT NULL,           -- accepted | rejected | completed
    mode                 text,
    dry_run              boolean,
    verify_first         boolean,
    cache                boolean,
    prompt_limit         integer,
    replicates           integer,
    created_by           text,
    notes                text,
    expected_generations integer,
    lanes                jsonb,
    reason               text,
    problems             jsonb,
    raw_command          text,
    completed_count      integer,
    error_count          integer,
    dry_run_count        integer,
    cost_usd             numeric(14, 6),
    accepted_at          timestamptz,
    rejected_at          timestamptz,
    completed_at         timestamptz
);

CREATE TABLE apex_audition.conditions (
    id            text PRIMARY KEY,
    slug          text        NOT NULL,
    version       integer     NOT NULL,
    provider      text        NOT NULL,
    model         text        NOT NULL,
    api_model_id  text,
    parameters    jsonb       NOT NULL,
    config_hash   text        NOT NULL,
    description   text,
    registered_at timestamptz NOT NULL,
    UNIQUE (slug, version)
);

CREATE TABLE apex_audition.prompts (
    id             text        NOT NULL,
    version        integer     NOT NULL,
    content_hash   text        NOT NULL,
    title          text,
    genre          text,
    text           text        NOT NULL,
    shared_context text,
    ingested_at    timestamptz NOT NULL,
    PRIMARY KEY (id, version)
);

CREATE TABLE apex_audition.batches (
    id             text PRIMARY KEY,
    provider       text        NOT NULL,
    run_id         text,
    model          text,
    intent_id      text,
    input_file_id  text,
    status         text        NOT NULL,
    terminal       boolean     NOT NULL DEFAULT false,
    request_count  integer,
    request_counts jsonb,
    message        text,
    submitted_at   timestamptz,
    updated_at     timestamptz NOT NULL
);

CREATE TABLE apex_audition.generations (
    id                  text PRIMARY KEY,
    run_id              text        NOT NULL,
    condition_id        text,
    lane_id             text        NOT NULL,            -- the lane's slug, as the seed's queries use it
    prompt_id           text        NOT NULL,
    prompt_version      integer,
    replicate           integer,
    attempt             integer     NOT NULL,
    provider            text,
    model               text,
    mode                text,
    batch_id            text,
    custom_id           text,
    status              text        NOT NULL,            -- requested | submitted | completed | error | dry_run
    output_text         text,
    finish_reason       text,
    input_tokens        bigint,
    cached_input_tokens bigint,
    cache_write_tokens  bigint,
    output_tokens       bigint,
    reasoning_tokens    bigint,
    cache_hit           boolean     NOT NULL DEFAULT false,
    cost_usd            numeric(14, 6),
    error_kind          text,
    error_message       text,
    request_body        text,
    requested_at        timestamptz,
    completed_at        timestamptz,
    updated_at          timestamptz NOT NULL
);
CREATE INDEX generations_run_lane ON apex_audition.generations (run_id, lane_id, status);
CREATE INDEX generations_condition ON apex_audition.generations (condition_id);

CREATE TABLE apex_audition.dead_letters (
    id           text PRIMARY KEY,
    consumer     text        NOT NULL,
    source_topic text        NOT NULL,
    partition    integer,
    "offset"     bigint,
    source_key   text,
    reason       text        NOT NULL,
    payload      text,
    occurred_at  timestamptz NOT NULL
);

-- A status only moves forward within an attempt: requested < submitted < a final state.
CREATE FUNCTION apex_audition.status_rank(status text) RETURNS integer
    LANGUAGE sql IMMUTABLE AS
$$ SELECT CASE status WHEN 'requested' THEN 1 WHEN 'submitted' THEN 2 ELSE 3 END $$;
