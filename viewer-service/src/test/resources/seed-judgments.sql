-- A judged run for the leaderboard's tests, written as the recorder writes it (V8: judgments, writing diagnostics).
-- run-stories: completed, 4 lanes x 6 prompts, every output completed, each with its diagnostics; a planted order
-- opus.t0-8.std > gpt5.reason-med > sonnet.t0-8.std > 4o.t1-0 (quality 3, 2, 1, 0).
-- Three judging passes over it (their own runs rows are left out, so the runs list stays as the other tests know it;
-- their judge generations are there, with their cost):
--   run-stories.judge-1: judge.4o, pairwise, every pair on every prompt in both orders (6 pairs x 2 orders x 6 prompts
--     = 72). The better lane wins by the quality difference, except on neighbours (a difference of 1): where the
--     table `planted` says 'upset', the worse lane wins when it is shown first (margin 1: a position bias), and where
--     it says 'tie', the order with the better lane first is a tie. So, row lane against column lane:
--       opus-gpt5 9-2-1 (share 9.5/12), gpt5-sonnet 10-2-0 (10/12), sonnet-4o 9-2-1 (9.5/12), the others 12-0-0;
--     36 pairs in both orders, 8 of them disagreeing (6 upsets, 2 ties); 70 decisive, 40 won by the piece shown first.
--   run-stories.judge-2: judge.sonnet, pairwise on p01 only, both orders, the better lane always winning (12).
--   run-stories.judge-3: judge.sonnet, rubric (voice, imagery, structure) on p01 and p02 (8 judged: overall means
--     8.5, 7.5, 6.5, 5.5 in the planted order; sonnet's imagery, 8, above gpt5's 7), and on p03 one request still
--     pending and one unreadable answer.
SET search_path = apex_audition;

INSERT INTO runs (id, status, mode, dry_run, created_by, notes, expected_generations, completed_count, error_count,
                  cost_usd, accepted_at, completed_at)
VALUES ('run-stories', 'completed', 'batch', false, 'ada', 'Short stories, judged pairwise', 24, 24, 0, 0.768000,
        '2026-11-20T09:00:00Z', '2026-11-20T10:00:00Z');

INSERT INTO prompts (id, version, content_hash, title, genre, text, shared_context, ingested_at)
VALUES ('p05', 1, 'c5', 'The last ferry', 'literary', 'Write the last crossing of a ferry that is being retired.',
        E'# House style\n\nPrefer the concrete to the abstract.', '2026-11-19T00:00:00Z'),
       ('p06', 1, 'c6', 'Inventory of a drawer', 'list', 'Write a story as the inventory of a kitchen drawer.',
        E'# House style\n\nPrefer the concrete to the abstract.', '2026-11-19T00:00:00Z');

-- the outputs, with what the recorder measures of each (words, length against the ~600 words asked, repetition,
-- refusal: 4o refused p06)
INSERT INTO generations (id, run_id, condition_id, lane_id, prompt_id, prompt_version, replicate, attempt, provider,
                         model, mode, status, output_text, finish_reason, input_tokens, output_tokens, cache_hit,
                         cost_usd, words, length_ratio, repetition, refusal, requested_at, completed_at, updated_at)
SELECT 'run-stories/' || l.slug || '/' || p.id || '/1', 'run-stories', l.cond, l.slug, p.id, 1, 1, 1, l.provider,
       l.model, 'batch', 'completed',
       CASE WHEN l.slug = '4o.t1-0' AND p.id = 'p06' THEN 'I can''t write that story.'
            ELSE l.voice || ' (' || p.id || ')' END,
       'stop', 2100, l.words + p.n * 10, true, l.cost,
       CASE WHEN l.slug = '4o.t1-0' AND p.id = 'p06' THEN 5 ELSE l.words + p.n * 10 END,
       CASE WHEN l.slug = '4o.t1-0' AND p.id = 'p06' THEN 0.008 ELSE (l.words + p.n * 10) / 600.0 END,
       l.repetition, l.slug = '4o.t1-0' AND p.id = 'p06',
       '2026-11-20T09:00:00Z', '2026-11-20T09:50:00Z', '2026-11-20T09:50:00Z'
FROM (VALUES ('opus.t0-8.std', 'cond-opus', 'anthropic', 'claude-opus-4-1', 610, 0.060000, 0.021,
              'The ferry had carried the island for sixty years.'),
             ('gpt5.reason-med', 'cond-gpt5', 'openai', 'gpt-5', 530, 0.040000, 0.034,
              'On the last crossing the captain let the children steer.'),
             ('sonnet.t0-8.std', NULL, 'anthropic', 'claude-sonnet-4-5', 690, 0.020000, 0.052,
              'Nobody on the ferry said it was the last time.'),
             ('4o.t1-0', 'cond-4o', 'openai', 'gpt-4o', 385, 0.008000, 0.083,
              'It was a ferry. It was old. It was the last day.'))
         AS l(slug, cond, provider, model, words, cost, repetition, voice),
     (VALUES ('p01', 1), ('p02', 2), ('p03', 3), ('p04', 4), ('p05', 5), ('p06', 6)) AS p(id, n);

-- pairwise judgments: every pair of lanes (better, worse) in both orders, on the prompts of each pass
WITH lanes(slug, q) AS (VALUES ('opus.t0-8.std', 3), ('gpt5.reason-med', 2), ('sonnet.t0-8.std', 1), ('4o.t1-0', 0)),
     pairs AS (SELECT b.slug AS better, w.slug AS worse, b.q - w.q AS d FROM lanes b JOIN lanes w ON b.q > w.q),
     planted(prompt, better, what) AS (VALUES ('p02', 'opus.t0-8.std', 'upset'), ('p05', 'opus.t0-8.std', 'upset'),
                                              ('p03', 'opus.t0-8.std', 'tie'), ('p01', 'gpt5.reason-med', 'upset'),
                                              ('p04', 'gpt5.reason-med', 'upset'), ('p03', 'sonnet.t0-8.std', 'upset'),
                                              ('p06', 'sonnet.t0-8.std', 'upset'), ('p02', 'sonnet.t0-8.std', 'tie')),
     passes(run, judge, prompt, biased) AS (
         SELECT 'run-stories.judge-1', 'judge.4o', id, true
         FROM (VALUES ('p01'), ('p02'), ('p03'), ('p04'), ('p05'), ('p06')) AS p(id)
         UNION ALL SELECT 'run-stories.judge-2', 'judge.sonnet', 'p01', false),
     shown AS (
         SELECT s.run, s.judge, s.prompt, pr.d, o.better_first,
                CASE WHEN o.better_first THEN pr.better ELSE pr.worse END AS lane_a,
                CASE WHEN o.better_first THEN pr.worse ELSE pr.better END AS lane_b,
                CASE WHEN s.biased AND pr.d = 1 THEN pl.what END AS what
         FROM passes s CROSS JOIN pairs pr CROSS JOIN (VALUES (true), (false)) AS o(better_first)
         LEFT JOIN planted pl ON pl.prompt = s.prompt AND pl.better = pr.better),
     judged AS (
         SELECT shown.*,
                CASE WHEN what = 'tie' AND better_first THEN 'tie'
                     WHEN what = 'upset' AND NOT better_first THEN 'a'
                     WHEN better_first THEN 'a' ELSE 'b' END AS winner,
                CASE WHEN what = 'tie' AND better_first THEN 0
                     WHEN what = 'upset' AND NOT better_first THEN 1
                     ELSE d END AS margin
         FROM shown)
INSERT INTO judgments (generation_id, run_id, source_run_id, judge_lane_id, kind, prompt_id, generation_a, lane_a,
                       generation_b, lane_b, status, winner, margin, rationale, attempt, updated_at)
SELECT run || '/' || judge || '/' || prompt || '/' || lane_a || '/' || lane_b, run, 'run-stories', judge, 'pairwise',
       prompt, 'run-stories/' || lane_a || '/' || prompt || '/1', lane_a,
       'run-stories/' || lane_b || '/' || prompt || '/1', lane_b, 'judged', winner, margin, 'planted', 1,
       '2026-11-21T09:00:00Z'
FROM judged;

-- rubric scores on p01 and p02; on p03 an answer still to come and one that could not be read
INSERT INTO judgments (generation_id, run_id, source_run_id, judge_lane_id, kind, prompt_id, generation_a, lane_a,
                       criteria, scale_min, scale_max, status, scores, rationale, problem, attempt, updated_at)
SELECT 'run-stories.judge-3/judge.sonnet/' || r.prompt || '/' || r.lane, 'run-stories.judge-3', 'run-stories',
       'judge.sonnet', 'rubric', r.prompt, 'run-stories/' || r.lane || '/' || r.prompt || '/1', r.lane,
       ARRAY['voice', 'imagery', 'structure'], 1, 10, r.status, r.scores::jsonb,
       CASE WHEN r.status = 'judged' THEN 'planted' END,
       CASE WHEN r.status = 'unparseable' THEN 'the answer is not JSON' END, 1, '2026-11-21T10:00:00Z'
FROM (VALUES ('p01', 'opus.t0-8.std', 'judged', '{"voice": 9, "imagery": 9, "structure": 7}'),
             ('p02', 'opus.t0-8.std', 'judged', '{"voice": 8, "imagery": 9, "structure": 9}'),
             ('p01', 'gpt5.reason-med', 'judged', '{"voice": 8, "imagery": 7, "structure": 8}'),
             ('p02', 'gpt5.reason-med', 'judged', '{"voice": 7, "imagery": 7, "structure": 8}'),
             ('p01', 'sonnet.t0-8.std', 'judged', '{"voice": 7, "imagery": 8, "structure": 5}'),
             ('p02', 'sonnet.t0-8.std', 'judged', '{"voice": 6, "imagery": 8, "structure": 5}'),
             ('p01', '4o.t1-0', 'judged', '{"voice": 5, "imagery": 6, "structure": 5}'),
             ('p02', '4o.t1-0', 'judged', '{"voice": 6, "imagery": 5, "structure": 6}'),
             ('p03', 'opus.t0-8.std', 'pending', NULL),
             ('p03', 'gpt5.reason-med', 'unparseable', NULL)) AS r(prompt, lane, status, scores);

-- the judge requests as generations of their judging runs: what judging cost (judge.4o $0.0004 a call, judge.sonnet
-- $0.0010 pairwise and $0.0015 on the rubric; the pending request has cost nothing yet)
INSERT INTO generations (id, run_id, lane_id, prompt_id, prompt_version, replicate, attempt, provider, model, mode,
                         status, output_text, cost_usd, error_kind, requested_at, completed_at, updated_at)
SELECT j.generation_id, j.run_id, j.judge_lane_id, j.prompt_id, 1, 1, 1,
       CASE WHEN j.judge_lane_id = 'judge.4o' THEN 'openai' ELSE 'anthropic' END,
       CASE WHEN j.judge_lane_id = 'judge.4o' THEN 'gpt-4o' ELSE 'claude-sonnet-4-5' END, 'batch',
       CASE j.status WHEN 'judged' THEN 'completed' WHEN 'pending' THEN 'submitted' ELSE 'error' END,
       CASE WHEN j.status = 'unparseable' THEN 'I would rather not score this.' END,
       CASE WHEN j.status = 'pending' THEN NULL WHEN j.judge_lane_id = 'judge.4o' THEN 0.000400
            WHEN j.kind = 'pairwise' THEN 0.001000 ELSE 0.001500 END,
       CASE WHEN j.status = 'unparseable' THEN 'unparseable_judgment' END,
       '2026-11-21T08:00:00Z', CASE WHEN j.status <> 'pending' THEN j.updated_at END, j.updated_at
FROM judgments j WHERE j.source_run_id = 'run-stories';
