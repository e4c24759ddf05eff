package io.apexaudition.recorder.persistence;

/**
 * The three {@code generations} upserts of {@link Table} ({@link Table#GENERATION_REQUESTED},
 * {@link Table#GENERATION_COMPLETED}, {@link Table#GENERATION_SUBMITTED}) applied to a row held in memory instead of
 * in the table: what a rebuild uses to fold a generation's events into its one row before writing it
 * ({@link RebuildFold}). Each method is its statement's {@code INSERT} or {@code ON CONFLICT} clause, expression for
 * expression, so folding a generation's rows in the order the statements would have run leaves the row those
 * statements would have left; {@code RebuildFoldPropertyTest} compares the two on shuffled event sets.
 *
 * <p>A row is the 34 columns of {@link #COLUMNS} as COPY's text format writes them ({@code null} for NULL): values
 * are copied as they came, never parsed, but for the few the clauses compare (attempt, status, timestamps, a boolean).
 * Timestamps are compared as Postgres prints them with {@code TimeZone} UTC ({@code 2026-12-01 12:00:00.5+00}),
 * whose text order is their order (a fixed-width date and time, then {@code +} before {@code .}, and fractions
 * without trailing zeros).
 */
final class GenerationFold {
    /** The columns of a row, in the order of {@link Table#GENERATION_COMPLETED}'s parameters: every stored column. */
    static final String COLUMNS = "id, run_id, condition_id, lane_id, prompt_id, prompt_version, replicate, attempt, "
            + "provider, model, mode, batch_id, custom_id, status, output_text, finish_reason, input_tokens, "
            + "cached_input_tokens, cache_write_tokens, output_tokens, reasoning_tokens, cache_hit, cost_usd, "
            + "error_kind, error_message, request_body_hash, requested_at, completed_at, updated_at, "
            + "output_text_exact, words, length_ratio, repetition, refusal";
    static final int WIDTH = 34;
    static final int ID = 0;
    static final int CONDITION = 2;
    static final int PROMPT = 4;
    static final int PROMPT_VERSION = 5;
    static final int REPLICATE = 6;
    static final int ATTEMPT = 7;
    static final int PROVIDER = 8;
    static final int MODEL = 9;
    static final int MODE = 10;
    static final int BATCH = 11;
    static final int CUSTOM = 12;
    static final int STATUS = 13;
    static final int OUTPUT = 14;
    static final int FINISH = 15;
    static final int INPUT_TOKENS = 16;
    static final int REASONING_TOKENS = 20;
    static final int CACHE_HIT = 21;
    static final int COST = 22;
    static final int ERROR_KIND = 23;
    static final int ERROR_MESSAGE = 24;
    static final int BODY_HASH = 25;
    static final int REQUESTED_AT = 26;
    static final int COMPLETED_AT = 27;
    static final int UPDATED_AT = 28;
    static final int EXACT = 29;
    static final int WORDS = 30;
    static final int LENGTH_RATIO = 31;
    static final int REPETITION = 32;
    static final int REFUSAL = 33;

    /** Which statement a staged row is for. */
    enum Kind {
        REQUESTED, COMPLETED, SUBMITTED
    }

    private GenerationFold() {
    }

    /**
     * The row after one more of the generation's rows: {@code row} is the generation's row so far (null: none yet),
     * {@code e} the statement's values laid out as a row (the columns the statement does not write are null; its
     * constants, such as a request's status {@code requested}, are in place). Returns the row, changed in place
     * where there was one.
     */
    static String[] apply(String[] row, Kind kind, String[] e) {
        if (row == null) {
            String[] inserted = e.clone();
            if (inserted[CACHE_HIT] == null) {
                inserted[CACHE_HIT] = "f"; // the column's default: requests and submissions do not write it
            }
            return inserted;
        }
        return switch (kind) {
            case REQUESTED -> requested(row, e);
            case SUBMITTED -> submitted(row, e);
            case COMPLETED -> completed(row, e);
        };
    }

    /** {@link Table#GENERATION_REQUESTED}'s {@code ON CONFLICT} clause. */
    private static String[] requested(String[] g, String[] e) {
        int ea = Integer.parseInt(e[ATTEMPT]);
        int ga = Integer.parseInt(g[ATTEMPT]);
        g[PROMPT_VERSION] = coalesce(g[PROMPT_VERSION], e[PROMPT_VERSION]);
        g[REPLICATE] = coalesce(g[REPLICATE], e[REPLICATE]);
        g[CONDITION] = coalesce(g[CONDITION], e[CONDITION]);
        g[PROVIDER] = coalesce(g[PROVIDER], e[PROVIDER]);
        g[MODEL] = coalesce(g[MODEL], e[MODEL]);
        g[MODE] = coalesce(g[MODE], e[MODE]);
        g[REQUESTED_AT] = ea > ga ? e[REQUESTED_AT]
                : ea == ga ? coalesce(g[REQUESTED_AT], e[REQUESTED_AT]) : g[REQUESTED_AT];
        g[STATUS] = ea > ga ? "requested" : g[STATUS];
        g[CUSTOM] = ea > ga ? e[CUSTOM] : coalesce(g[CUSTOM], e[CUSTOM]);
        g[ERROR_KIND] = ea > ga ? null : g[ERROR_KIND];
        g[ERROR_MESSAGE] = ea > ga ? null : g[ERROR_MESSAGE];
        g[ATTEMPT] = ea > ga ? e[ATTEMPT] : g[ATTEMPT];
        return g;
    }

    /** {@link Table#GENERATION_SUBMITTED}'s {@code ON CONFLICT} clause. */
    private static String[] submitted(String[] g, String[] e) {
        int ea = Integer.parseInt(e[ATTEMPT]);
        int ga = Integer.parseInt(g[ATTEMPT]);
        g[STATUS] = ea > ga || (ea == ga && rank(g[STATUS]) <= 2) ? "submitted" : g[STATUS];
        g[REQUESTED_AT] = ea > ga ? null : g[REQUESTED_AT];
        g[BATCH] = ea >= ga ? e[BATCH] : g[BATCH];
        g[CUSTOM] = ea >= ga ? e[CUSTOM] : g[CUSTOM];
        g[BODY_HASH] = ea >= ga ? e[BODY_HASH] : g[BODY_HASH];
        g[UPDATED_AT] = greatest(e[UPDATED_AT], g[UPDATED_AT]);
        g[ATTEMPT] = ea > ga ? e[ATTEMPT] : g[ATTEMPT];
        return g;
    }

    /** {@link Table#GENERATION_COMPLETED}'s {@code ON CONFLICT ... WHERE} clause. */
    private static String[] completed(String[] g, String[] e) {
        int ea = Integer.parseInt(e[ATTEMPT]);
        int ga = Integer.parseInt(g[ATTEMPT]);
        if (!(ea > ga || (ea == ga && rank(e[STATUS]) >= rank(g[STATUS])))) {
            return g;
        }
        boolean output = e[OUTPUT] != null;
        String[] r = new String[WIDTH];
        r[ID] = g[ID];
        r[1] = g[1];
        r[CONDITION] = coalesce(e[CONDITION], g[CONDITION]);
        r[3] = g[3];
        r[PROMPT] = g[PROMPT];
        r[PROMPT_VERSION] = coalesce(e[PROMPT_VERSION], g[PROMPT_VERSION]);
        r[REPLICATE] = coalesce(e[REPLICATE], g[REPLICATE]);
        r[ATTEMPT] = e[ATTEMPT];
        r[PROVIDER] = coalesce(e[PROVIDER], g[PROVIDER]);
        r[MODEL] = coalesce(e[MODEL], g[MODEL]);
        r[MODE] = coalesce(e[MODE], g[MODE]);
        r[BATCH] = coalesce(e[BATCH], g[BATCH]);
        r[CUSTOM] = coalesce(e[CUSTOM], g[CUSTOM]);
        r[STATUS] = e[STATUS];
        r[OUTPUT] = coalesce(e[OUTPUT], g[OUTPUT]);
        r[EXACT] = output ? e[EXACT] : g[EXACT];
        r[WORDS] = output ? e[WORDS] : g[WORDS];
        r[LENGTH_RATIO] = output ? e[LENGTH_RATIO] : g[LENGTH_RATIO];
        r[REPETITION] = output ? e[REPETITION] : g[REPETITION];
        r[REFUSAL] = output ? e[REFUSAL] : g[REFUSAL];
        r[FINISH] = coalesce(e[FINISH], g[FINISH]);
        for (int i = INPUT_TOKENS; i <= REASONING_TOKENS; i++) {
            r[i] = coalesce(e[i], g[i]);
        }
        r[CACHE_HIT] = or(e[CACHE_HIT], and(g[CACHE_HIT], ea == ga ? "t" : "f"));
        r[COST] = coalesce(e[COST], g[COST]);
        r[ERROR_KIND] = e[ERROR_KIND];
        r[ERROR_MESSAGE] = e[ERROR_MESSAGE];
        r[BODY_HASH] = e[BODY_HASH];
        r[REQUESTED_AT] = ea > ga ? e[REQUESTED_AT] : coalesce(g[REQUESTED_AT], e[REQUESTED_AT]);
        r[COMPLETED_AT] = coalesce(e[COMPLETED_AT], g[COMPLETED_AT]);
        r[UPDATED_AT] = greatest(e[UPDATED_AT], g[UPDATED_AT]);
        return r;
    }

    /** {@code apex_audition.status_rank}: requested < submitted < a final status. */
    static int rank(String status) {
        return "requested".equals(status) ? 1 : "submitted".equals(status) ? 2 : 3;
    }

    private static String coalesce(String a, String b) {
        return a != null ? a : b;
    }

    /** SQL's {@code GREATEST} of two timestamps as Postgres prints them in UTC: NULLs ignored. */
    static String greatest(String a, String b) {
        if (a == null) {
            return b;
        }
        if (b == null) {
            return a;
        }
        return a.compareTo(b) >= 0 ? a : b;
    }

    /** SQL's three-valued {@code OR} of booleans as COPY writes them ({@code t}, {@code f}, null). */
    private static String or(String a, String b) {
        if ("t".equals(a) || "t".equals(b)) {
            return "t";
        }
        return a == null || b == null ? null : "f";
    }

    /** SQL's three-valued {@code AND}. */
    private static String and(String a, String b) {
        if ("f".equals(a) || "f".equals(b)) {
            return "f";
        }
        return a == null || b == null ? null : "t";
    }
}
