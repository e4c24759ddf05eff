package io.apexaudition.viewer.domain;

import io.apexaudition.core.TextChecks;
import io.apexaudition.events.EventIds;
import io.apexaudition.events.VerdictRecorded;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * Turns a verdict as a reader sent it into a {@link VerdictRecorded}, or refuses it naming every problem and its fix.
 * The outputs it may name are the prompt's, labelled as the blind page shows them ({@link BlindShuffler}); a verdict
 * names them by label or generation id and is recorded with generation ids. Only completed outputs can be judged.
 * Messages name outputs by their labels, never by lane or generation id, so a refusal tells a blind reader nothing
 * about the lanes.
 */
public final class VerdictBallot {
    /** A reader's name: an identifier's length, no control character. */
    public static final int MAX_READER_CHARS = TextChecks.MAX_ID_CHARS;
    /** Key-like text (an OpenAI or Anthropic key, a bearer token): never kept in a verdict, which lives forever. */
    private static final Pattern KEY_LIKE = Pattern.compile("(?i)(sk-[a-z0-9_*-]{8,}|bearer\\s+\\S{8,})");
    private static final int ECHO = 60;
    private static final String COMPLETED = "completed";

    private VerdictBallot() {
    }

    /**
     * The verdict to publish.
     *
     * @param outputs the prompt's outputs in the run, labelled as the blind page shows them (empty when the prompt
     *                has none in the run or none was named)
     * @throws VerdictRefusedException naming every problem (400), or saying that the page is stale (409)
     */
    public static VerdictRecorded check(String runId, VerdictRequest body, List<LaneOutput> outputs, Instant now) {
        if (body == null) {
            throw new VerdictRefusedException(400, List.of("the body is empty: send a JSON object such as "
                    + "{\"verdictId\":\"<a new UUID>\",\"promptId\":\"p01\",\"kind\":\"pairwise\",\"a\":\"Lane A\","
                    + "\"b\":\"Lane B\",\"winner\":\"A\",\"blind\":true}"));
        }
        if (body.shown() != null && !outputs.isEmpty() && body.shown() != outputs.size()) {
            throw new VerdictRefusedException(409, List.of("the page showed " + body.shown() + " outputs of prompt "
                    + echo(body.promptId()) + " and the run now has " + outputs.size() + ": the labels may have "
                    + "moved, so nothing was recorded. Reload the page and cast the verdict again"));
        }
        List<String> problems = new ArrayList<>();
        String verdictId = verdictId(body.verdictId(), problems);
        if (blank(body.promptId())) {
            problems.add("promptId is missing: name the prompt whose outputs were judged");
        } else if (outputs.isEmpty()) {
            problems.add("run " + echo(runId) + " has no output for prompt " + echo(body.promptId())
                    + ": name a prompt of the run");
        }
        String reader = reader(body.reader(), problems);
        VerdictRecorded.Kind kind = kind(body.kind(), problems);
        String a = null;
        String b = null;
        VerdictRecorded.Winner winner = null;
        List<String> ranking = List.of();
        if (kind == VerdictRecorded.Kind.PAIRWISE) {
            if (body.ranking() != null && !body.ranking().isEmpty()) {
                problems.add("ranking is only for kind 'ranking': leave it out of a pairwise verdict");
            }
            LaneOutput first = output("a", body.a(), outputs, problems);
            LaneOutput second = output("b", body.b(), outputs, problems);
            if (first != null && first.equals(second)) {
                problems.add("a and b are both " + first.label() + ": compare two different outputs");
            }
            a = first == null ? null : first.generationId();
            b = second == null ? null : second.generationId();
            winner = winner(body.winner(), problems);
        } else if (kind == VerdictRecorded.Kind.RANKING) {
            if (body.a() != null || body.b() != null || body.winner() != null) {
                problems.add("a, b and winner are only for kind 'pairwise': leave them out of a ranking");
            }
            ranking = ranking(body.ranking(), outputs, problems);
        }
        if (!problems.isEmpty()) {
            throw new VerdictRefusedException(400, problems);
        }
        // the event id follows from the verdict id: the same verdict sent twice is the same event, recorded once
        return new VerdictRecorded(EventIds.nameUuid("VerdictRecorded", verdictId), VerdictRecorded.SCHEMA_VERSION,
                now, runId, verdictId, body.promptId(), kind, a, b, winner, ranking, reader,
                Boolean.TRUE.equals(body.blind()));
    }

    private static String verdictId(String value, List<String> problems) {
        if (blank(value)) {
            problems.add("verdictId is missing: make one per verdict (a UUID, e.g. crypto.randomUUID()) and send "
                    + "the same one again on a retry, so the verdict counts once");
            return null;
        }
        try {
            String canonical = UUID.fromString(value.strip()).toString();
            if (canonical.equalsIgnoreCase(value.strip())) {
                return canonical;
            }
        } catch (IllegalArgumentException e) {
            // named below
        }
        problems.add("verdictId is " + echo(value) + ", not a UUID: make one per verdict (e.g. crypto.randomUUID())");
        return null;
    }

    private static String reader(String value, List<String> problems) {
        if (value == null || value.isBlank()) {
            return null;
        }
        Optional<String> problem = TextChecks.identifier("reader", value);
        if (problem.isPresent()) {
            problems.add(problem.get());
            return null;
        }
        if (KEY_LIKE.matcher(value).find()) {
            problems.add("reader looks like a key or a token: give a name there (verdicts are kept forever and "
                    + "never hold a secret)");
            return null;
        }
        return value.strip();
    }

    private static VerdictRecorded.Kind kind(String value, List<String> problems) {
        if (blank(value)) {
            problems.add("kind is missing: 'pairwise' (the better of a and b, or a tie) or 'ranking' (every output, "
                    + "best first)");
            return null;
        }
        try {
            return VerdictRecorded.Kind.valueOf(value.strip().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            problems.add("kind is " + echo(value) + ": use 'pairwise' (the better of a and b, or a tie) or "
                    + "'ranking' (every output, best first)");
            return null;
        }
    }

    private static VerdictRecorded.Winner winner(String value, List<String> problems) {
        if (blank(value)) {
            problems.add("winner is missing: 'A' (a is better), 'B' (b is better) or 'TIE'");
            return null;
        }
        try {
            return VerdictRecorded.Winner.valueOf(value.strip().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            problems.add("winner is " + echo(value) + ": use 'A' (a is better), 'B' (b is better) or 'TIE'");
            return null;
        }
    }

    private static List<String> ranking(List<String> values, List<LaneOutput> outputs, List<String> problems) {
        if (values == null || values.isEmpty()) {
            problems.add("ranking is missing: list every completed output of the prompt, best first, by its label "
                    + "(\"Lane A\") or generation id");
            return List.of();
        }
        Set<LaneOutput> ranked = new LinkedHashSet<>();
        for (int i = 0; i < values.size(); i++) {
            LaneOutput o = output("ranking[" + i + "]", values.get(i), outputs, problems);
            if (o != null && !ranked.add(o)) {
                problems.add("ranking names " + o.label() + " twice: put each output in it once");
            }
        }
        List<String> missing = outputs.stream().filter(o -> COMPLETED.equals(o.status()) && !ranked.contains(o))
                .map(LaneOutput::label).toList();
        if (!missing.isEmpty()) {
            problems.add("ranking leaves out " + String.join(", ", missing) + ": a ranking puts every completed "
                    + "output of the prompt in order, best first");
        }
        if (ranked.size() == 1 && missing.isEmpty()) {
            problems.add("ranking holds one output: a ranking orders two outputs or more");
        }
        return ranked.stream().map(LaneOutput::generationId).toList();
    }

    /** The output a field names, by generation id or by label; null (and a problem) when it names none to judge. */
    private static LaneOutput output(String field, String ref, List<LaneOutput> outputs, List<String> problems) {
        if (blank(ref)) {
            problems.add(field + " is missing: name an output by its label (\"Lane A\") or generation id");
            return null;
        }
        String wanted = ref.strip();
        LaneOutput found = outputs.stream().filter(o -> wanted.equals(o.generationId())).findFirst()
                .or(() -> outputs.stream().filter(o -> wanted.equalsIgnoreCase(o.label())).findFirst())
                .orElse(null);
        if (found == null) {
            if (!outputs.isEmpty()) {
                problems.add(field + " is " + echo(ref) + ", which is not an output of this prompt: use a label the "
                        + "page shows (" + outputs.get(0).label() + " to " + outputs.get(outputs.size() - 1).label()
                        + ") or a generation id of the prompt");
            }
            return null;
        }
        if (!COMPLETED.equals(found.status())) {
            problems.add(field + " is " + found.label() + ", which is " + found.status() + ", not completed: only a "
                    + "completed output can be judged");
            return null;
        }
        return found;
    }

    private static boolean blank(String value) {
        return value == null || value.isBlank();
    }

    private static String echo(String value) {
        return "'" + TextChecks.printable(value, ECHO) + "'";
    }
}
