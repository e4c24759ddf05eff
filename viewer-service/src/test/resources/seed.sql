-- Two runs for the viewer's tests, written as the recorder writes them.
-- run-poems: completed, 3 lanes x 4 prompts (12 generations: 11 completed, 1 error).
-- run-live: accepted and still running, 2 lanes x 2 prompts (1 completed, 3 requested or submitted).
-- run-poems-b: completed, run-poems's 3 lanes and one more (sonnet) over p01 and p02: 5 completed, 2 errors (one
-- expired, which apex retry resends; one invalid request, which it does not).
SET search_path = apex_audition;

INSERT INTO runs (id, status, mode, dry_run, created_by, notes, expected_generations, completed_count, error_count,
                  cost_usd, accepted_at, completed_at)
VALUES ('run-poems', 'completed', 'batch', false, 'ada', 'Production run', 12, 11, 1, 0.123456,
        '2026-11-30T09:00:00Z', '2026-11-30T09:42:00Z'),
       ('run-live', 'accepted', 'sync', false, 'grace', 'synchronous look', 4, NULL, NULL, NULL,
        '2026-12-01T08:00:00Z', NULL),
       ('run-poems-b', 'completed', 'batch', false, 'grace', 'Retake with the same lanes', 7, 5, 2, 0.070000,
        '2026-11-28T10:00:00Z', '2026-11-28T10:30:00Z');

INSERT INTO conditions (id, slug, version, provider, model, api_model_id, parameters, config_hash, registered_at)
VALUES ('cond-gpt5', 'gpt5.reason-med', 1, 'openai', 'gpt-5', 'gpt-5',
        '{"reasoning_effort": "medium", "max_completion_tokens": 36000}', 'h1', '2026-11-29T00:00:00Z'),
       ('cond-opus', 'opus.t0-8.std', 1, 'anthropic', 'claude-opus-4-1', 'claude-opus-4-1-20250805',
        '{"temperature": 0.8, "max_tokens": 6000}', 'h2', '2026-11-29T00:00:00Z'),
       ('cond-4o', '4o.t1-0', 1, 'openai', 'gpt-4o', 'gpt-4o',
        '{"temperature": 1.0, "max_tokens": 6000}', 'h3', '2026-11-29T00:00:00Z');

INSERT INTO prompts (id, version, content_hash, title, genre, text, shared_context, ingested_at)
VALUES ('p01', 1, 'c1', 'The lighthouse keeper''s last log', 'literary',
        'Write the final entry in a lighthouse keeper''s log, the night before the light is automated.',
        E'# House style\n\nPrefer the concrete to the abstract. Let the reader do some of the work.', '2026-11-29T00:00:00Z'),
       ('p02', 1, 'c2', 'A recipe for grief', 'poetry', 'Write a poem in the form of a recipe.',
        E'# House style\n\nPrefer the concrete to the abstract.', '2026-11-29T00:00:00Z'),
       ('p03', 1, 'c3', 'The interview', 'dialogue', 'Write a job interview between a dragon and a bank.',
        E'# House style\n\nPrefer the concrete to the abstract.', '2026-11-29T00:00:00Z'),
       ('p04', 1, 'c4', 'Two postcards', 'epistolary', 'Write two postcards, forty years apart, from the same beach.',
        E'# House style\n\nPrefer the concrete to the abstract.', '2026-11-29T00:00:00Z');

INSERT INTO generations (id, run_id, condition_id, lane_id, prompt_id, prompt_version, replicate, attempt, provider,
                         model, mode, status, output_text, finish_reason, input_tokens, cached_input_tokens,
                         output_tokens, reasoning_tokens, cache_hit, cost_usd, error_kind, error_message,
                         requested_at, completed_at, updated_at)
SELECT 'run-poems/' || l.slug || '/' || p.id || '/1', 'run-poems', l.cond, l.slug, p.id, 1, 1, 1, l.provider,
       l.model, 'batch',
       CASE WHEN l.slug = 'opus.t0-8.std' AND p.id = 'p03' THEN 'error' ELSE 'completed' END,
       CASE WHEN l.slug = 'opus.t0-8.std' AND p.id = 'p03' THEN NULL
            ELSE l.voice || E'\n\n' || p.body END,
       CASE WHEN l.slug = 'opus.t0-8.std' AND p.id = 'p03' THEN NULL ELSE 'stop' END,
       2100, CASE WHEN p.id = 'p01' THEN 0 ELSE 2048 END, 300 + p.n * 40 + l.n * 7,
       CASE WHEN l.model = 'gpt-5' THEN 512 ELSE 0 END,
       p.id <> 'p01', CASE WHEN l.slug = 'opus.t0-8.std' AND p.id = 'p03' THEN NULL ELSE 0.010000 + l.n * 0.001 END,
       CASE WHEN l.slug = 'opus.t0-8.std' AND p.id = 'p03' THEN 'invalid_request' END,
       CASE WHEN l.slug = 'opus.t0-8.std' AND p.id = 'p03' THEN 'max_tokens: 40000 > 32000' END,
       '2026-11-30T09:00:00Z', '2026-11-30T09:40:00Z', '2026-11-30T09:40:00Z'
FROM (VALUES ('gpt5.reason-med', 'cond-gpt5', 'openai', 'gpt-5', 1,
              'The lamp turned as it always had, and the sea took no notice.'),
             ('opus.t0-8.std', 'cond-opus', 'anthropic', 'claude-opus-4-1', 2,
              'Salt on the glass again tonight; I wiped it for the last time.'),
             ('4o.t1-0', 'cond-4o', 'openai', 'gpt-4o', 3,
              'Forty-one years, and the wind still knows my name, "keeper", the way a gull does.'))
         AS l(slug, cond, provider, model, n, voice),
     (VALUES ('p01', 1, E'I have oiled the gears, polished the brass, and written the weather: wind south-west, '
                       'force five, visibility good. Tomorrow a man from the board will fit a box that blinks.\n\n'
                       'It will not climb the stairs. It will not count the ships.'),
             ('p02', 2, E'Take one kitchen, emptied of her voice.\nAdd the kettle, which still expects two cups.\n'
                       'Stir until the window goes dark.'),
             ('p03', 3, E'"Your collateral," said the bank, "is it liquid?"\n"It is gold," said the dragon, '
                       '"and I am lying on it."'),
             ('p04', 4, E'1984 — The water is freezing and Dad says that is good for us. 100% true.\n\n'
                       '2024 — The water is freezing. Dad was right, as usual_ I finally understand why.'))
         AS p(id, n, body);

INSERT INTO generations (id, run_id, condition_id, lane_id, prompt_id, prompt_version, replicate, attempt, provider,
                         model, mode, status, output_text, finish_reason, output_tokens, cache_hit, cost_usd,
                         requested_at, completed_at, updated_at)
VALUES ('run-live/4o.t1-0/p01/1', 'run-live', 'cond-4o', '4o.t1-0', 'p01', 1, 1, 1, 'openai', 'gpt-4o', 'sync',
        'completed', 'A short one.', 'stop', 5, false, 0.000500, '2026-12-01T08:00:00Z', '2026-12-01T08:01:00Z',
        '2026-12-01T08:01:00Z'),
       ('run-live/4o.t1-0/p02/1', 'run-live', 'cond-4o', '4o.t1-0', 'p02', 1, 1, 1, 'openai', 'gpt-4o', 'sync',
        'submitted', NULL, NULL, NULL, false, NULL, '2026-12-01T08:00:00Z', NULL, '2026-12-01T08:00:00Z'),
       ('run-live/opus.t0-8.std/p01/1', 'run-live', 'cond-opus', 'opus.t0-8.std', 'p01', 1, 1, 1, 'anthropic',
        'claude-opus-4-1', 'sync', 'requested', NULL, NULL, NULL, false, NULL, '2026-12-01T08:00:00Z', NULL,
        '2026-12-01T08:00:00Z'),
       ('run-live/opus.t0-8.std/p02/1', 'run-live', 'cond-opus', 'opus.t0-8.std', 'p02', 1, 1, 1, 'anthropic',
        'claude-opus-4-1', 'sync', 'requested', NULL, NULL, NULL, false, NULL, '2026-12-01T08:00:00Z', NULL,
        '2026-12-01T08:00:00Z');

-- run-poems-b: lengths chosen to be checked (opus: 120 and 360 characters, mean 240, spread 120); sonnet's output had
-- a NUL, stored replaced in output_text and exact in output_text_exact, as the recorder writes it (V5)
INSERT INTO generations (id, run_id, condition_id, lane_id, prompt_id, prompt_version, replicate, attempt, provider,
                         model, mode, status, output_text, output_text_exact, finish_reason, input_tokens,
                         cached_input_tokens, output_tokens, reasoning_tokens, cache_hit, cost_usd, error_kind,
                         error_message, requested_at, completed_at, updated_at)
VALUES ('run-poems-b/gpt5.reason-med/p01/1', 'run-poems-b', 'cond-gpt5', 'gpt5.reason-med', 'p01', 1, 1, 1, 'openai',
        'gpt-5', 'batch', 'completed', 'The lamp is a box now. It blinks; it does not keep.', NULL, 'stop', 2100, 2048,
        120, 256, true, 0.020000, NULL, NULL, '2026-11-28T10:00:00Z', '2026-11-28T10:20:00Z', '2026-11-28T10:20:00Z'),
       ('run-poems-b/gpt5.reason-med/p02/1', 'run-poems-b', 'cond-gpt5', 'gpt5.reason-med', 'p02', 1, 1, 2, 'openai',
        'gpt-5', 'batch', 'error', NULL, NULL, NULL, NULL, NULL, NULL, NULL, false, NULL, 'expired',
        'batch_expired: the batch did not finish within its 24h window', '2026-11-28T10:00:00Z',
        '2026-11-28T10:25:00Z', '2026-11-28T10:25:00Z'),
       ('run-poems-b/opus.t0-8.std/p01/1', 'run-poems-b', 'cond-opus', 'opus.t0-8.std', 'p01', 1, 1, 1, 'anthropic',
        'claude-opus-4-1', 'batch', 'completed', rpad('', 120, 'The light goes out at nine. '), NULL, 'end_turn',
        2100, 2048, 40, 0, true, 0.015000, NULL, NULL, '2026-11-28T10:00:00Z', '2026-11-28T10:20:00Z',
        '2026-11-28T10:20:00Z'),
       ('run-poems-b/opus.t0-8.std/p02/1', 'run-poems-b', 'cond-opus', 'opus.t0-8.std', 'p02', 1, 1, 1, 'anthropic',
        'claude-opus-4-1', 'batch', 'completed', rpad('', 360, 'Salt, then the kettle, then the dark. '), NULL,
        'end_turn', 2100, 2048, 110, 0, true, 0.017000, NULL, NULL, '2026-11-28T10:00:00Z', '2026-11-28T10:20:00Z',
        '2026-11-28T10:20:00Z'),
       ('run-poems-b/4o.t1-0/p01/1', 'run-poems-b', 'cond-4o', '4o.t1-0', 'p01', 1, 1, 1, 'openai', 'gpt-4o', 'batch',
        'completed', 'Forty-two years. The board''s box arrives tomorrow; the gulls will not know it.', NULL, 'stop',
        2100, 0, 30, 0, false, 0.009000, NULL, NULL, '2026-11-28T10:00:00Z', '2026-11-28T10:20:00Z',
        '2026-11-28T10:20:00Z'),
       ('run-poems-b/4o.t1-0/p02/1', 'run-poems-b', 'cond-4o', '4o.t1-0', 'p02', 1, 1, 1, 'openai', 'gpt-4o', 'batch',
        'error', NULL, NULL, NULL, NULL, NULL, NULL, NULL, false, NULL, 'invalid_request',
        'temperature: 2.5 is greater than the maximum of 2', '2026-11-28T10:00:00Z', '2026-11-28T10:21:00Z',
        '2026-11-28T10:21:00Z'),
       ('run-poems-b/sonnet.t0-8.std/p01/1', 'run-poems-b', NULL, 'sonnet.t0-8.std', 'p01', 1, 1, 1, 'anthropic',
        'claude-sonnet-4-5', 'batch', 'completed', E'The keeper\uFFFDs log, last page.', '"The keeper\u0000s log, last page."',
        'end_turn', 2100, 2048, 12, 0, true, 0.009000, NULL, NULL, '2026-11-28T10:00:00Z', '2026-11-28T10:20:00Z',
        '2026-11-28T10:20:00Z');

-- the exact body sent for one generation of run-poems, stored once under the SHA-256 of its UTF-8 bytes and named by
-- that hash (V9: request_bodies, generations.request_body_hash)
INSERT INTO request_bodies (body_hash, body)
SELECT encode(sha256(convert_to(b, 'UTF8')), 'hex'), b
FROM (VALUES ('{"model":"gpt-5","messages":[{"role":"user","content":"Write the last night of a lighthouse keeper."}],"max_completion_tokens":36000,"reasoning_effort":"medium"}')) AS v(b);
UPDATE generations SET request_body_hash = (SELECT body_hash FROM request_bodies LIMIT 1)
WHERE id = 'run-poems/gpt5.reason-med/p01/1';

-- a body stored with its long text cut out (V10: long_texts; request_bodies.text_hash, text_at counted in chars, an
-- é before it), which generation_requests puts back
WITH v(whole, t) AS (VALUES (E'{"model":"gpt-4o","metadata":{"note":"café"},"messages":[{"role":"system","content":"# House style\\n\\nPrefer the concrete \\"to\\" the abstract."},{"role":"user","content":"Write the last night of a lighthouse keeper."}]}',
                             E'# House style\\n\\nPrefer the concrete \\"to\\" the abstract.'))
INSERT INTO long_texts (text_hash, escaped) SELECT encode(sha256(convert_to(t, 'UTF8')), 'hex'), t FROM v;
WITH v(whole, t) AS (VALUES (E'{"model":"gpt-4o","metadata":{"note":"café"},"messages":[{"role":"system","content":"# House style\\n\\nPrefer the concrete \\"to\\" the abstract."},{"role":"user","content":"Write the last night of a lighthouse keeper."}]}',
                             E'# House style\\n\\nPrefer the concrete \\"to\\" the abstract.'))
INSERT INTO request_bodies (body_hash, body, text_hash, text_at)
SELECT encode(sha256(convert_to(whole, 'UTF8')), 'hex'), overlay(whole PLACING '' FROM strpos(whole, t) FOR length(t)),
       encode(sha256(convert_to(t, 'UTF8')), 'hex'), strpos(whole, t) - 1
FROM v;
UPDATE generations SET request_body_hash = (SELECT body_hash FROM request_bodies WHERE text_hash IS NOT NULL)
WHERE id = 'run-poems/4o.t1-0/p01/1';

-- a body that does not hash to the claim check naming it (a damaged row): not shown
INSERT INTO request_bodies (body_hash, body) VALUES (encode(sha256(convert_to('{"model":"other"}', 'UTF8')), 'hex'),
                                                     '{"model":"claude-opus-4-1"}');
UPDATE generations SET request_body_hash = encode(sha256(convert_to('{"model":"other"}', 'UTF8')), 'hex')
WHERE id = 'run-poems/opus.t0-8.std/p01/1';
